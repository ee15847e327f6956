// Runs the test broker by hand:
//   npm run kafka:test-broker -- --port 19092 [--partitions 3] [--no-auto-create] [--sasl user:password]
//     [--tls-key key.pem --tls-cert cert.pem] [--debug]
import { readFileSync } from 'node:fs';
import { startTestBroker } from './index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const port = Number(arg('--port') ?? 9092);
const partitions = Number(arg('--partitions') ?? 1);
const broker = await startTestBroker({
  port,
  partitions,
  autoCreateTopics: !process.argv.includes('--no-auto-create'),
  debug: process.argv.includes('--debug'),
  sasl: sasl(),
  tls: arg('--tls-key') && arg('--tls-cert') ? { key: readFileSync(arg('--tls-key')!), cert: readFileSync(arg('--tls-cert')!) } : undefined,
});

function sasl(): { username: string; password: string } | undefined {
  const v = arg('--sasl');
  if (!v) return undefined;
  const i = v.indexOf(':');
  return { username: v.slice(0, i), password: v.slice(i + 1) };
}
process.stdout.write(`Kafka test broker listening on ${broker.bootstrap}\n`);
const shutdown = (): void => {
  void broker.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
