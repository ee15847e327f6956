// A moto S3 server for the tests (until a shared peer exists): started from
// $TSSTREAM_MOTO_SERVER or .peers/venv/bin/moto_server on a free port of 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function motoBinary(): string | undefined {
  const candidates = [process.env.TSSTREAM_MOTO_SERVER, path.resolve('.peers/venv/bin/moto_server')].filter((x): x is string => !!x);
  return candidates.find((c) => existsSync(c));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function startMoto(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const bin = motoBinary();
  if (!bin) throw new Error('moto_server not found');
  const port = await freePort();
  const child: ChildProcess = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${endpoint}/moto-api/`);
      if (r.ok || r.status < 500) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    },
  };
}
