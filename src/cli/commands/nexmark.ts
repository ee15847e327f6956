// `tsstream nexmark gen`: the Nexmark event stream (src/connectors/nexmark) as JSON lines, one event
// a line in the shape of the suite's `datagen`/`kafka` table, on stdout or into a Kafka topic
// (created when missing; event n goes to partition n mod partitions, as the suite's round-robin
// partitioner). The events are those of `'connector' = 'nexmark'` with the same options.
import type { Command } from 'commander';
import { importModule } from '../../common/import-module.js';

export interface NexmarkGenOptions {
  events: number;
  /** 'key=value' nexmark options (first-event.rate, seed, base-time, proportions, …). */
  options?: Record<string, string>;
  kafka?: string;
  topic?: string;
  partitions?: number;
  log?: (line: string) => void;
}

/** Writes the events; resolves with how many were written. */
export async function nexmarkGen(o: NexmarkGenOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  // Imported here, not at the top: every `tsstream` command loads this file to register itself.
  const { nexmarkConfig } = await import('../../connectors/nexmark/index.js');
  const { NexmarkGenerator, eventJson } = await import('../../connectors/nexmark/generator.js');
  const { config } = nexmarkConfig({ connector: 'nexmark', ...(o.options ?? {}), 'events.num': String(o.events) }, "'tsstream nexmark gen'");
  const gen = new NexmarkGenerator(config);
  const n = o.events;
  if (!o.kafka) {
    let chunk = '';
    for (let i = 0; i < n; i++) {
      chunk += eventJson(gen.event(i)) + '\n';
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
        chunk = '';
      }
    }
    if (chunk) out.write(chunk);
    return n;
  }
  const topic = o.topic ?? 'nexmark';
  const partitions = o.partitions ?? 1;
  const { Kafka, logLevel, CompressionTypes } = await importModule<typeof import('kafkajs')>('kafkajs');
  const kafka = new Kafka({ clientId: 'tsstream-nexmark-gen', brokers: o.kafka.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
    else {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const have = meta.topics[0]?.partitions.length ?? 0;
      if (have !== partitions) throw new Error(`Topic '${topic}' exists with ${have} partitions, not ${partitions}`);
    }
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 4 });
  await producer.connect();
  try {
    const BATCH = 5000;
    const inFlight: Promise<unknown>[] = [];
    for (let start = 0; start < n; start += BATCH) {
      const end = Math.min(n, start + BATCH);
      const byPartition: { value: string }[][] = Array.from({ length: partitions }, () => []);
      for (let i = start; i < end; i++) byPartition[i % partitions].push({ value: eventJson(gen.event(i)) });
      inFlight.push(
        producer.sendBatch({
          acks: 1,
          compression: CompressionTypes.None,
          topicMessages: byPartition.flatMap((messages, p) => (messages.length ? [{ topic, messages: messages.map((m) => ({ ...m, partition: p })) }] : [])),
        }),
      );
      if (inFlight.length >= 4) await inFlight.shift();
      if (o.log && end % 1_000_000 < BATCH) o.log(`${end} events written`);
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
  return n;
}

function keyValues(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new Error(`Expected key=value, got '${kv}'`);
    out[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
  }
  return out;
}

export function register(program: Command): void {
  const nexmark = program.command('nexmark').description('The Nexmark benchmark: its event stream');
  nexmark
    .command('gen')
    .description("Write the Nexmark events as JSON lines (the suite's datagen/kafka table) to stdout or a Kafka topic")
    .requiredOption('-n, --events <n>', 'number of events')
    .option('-k, --kafka <bootstrap>', 'Kafka bootstrap servers: write into a topic instead of stdout')
    .option('-t, --topic <topic>', 'topic name (default nexmark)')
    .option('-p, --partitions <n>', 'partitions of a new topic (event n goes to partition n mod p)', '1')
    .option('-o, --option <key=value...>', "nexmark connector options: first-event.rate, seed, base-time, person.proportion, …")
    .action(async (o: { events: string; kafka?: string; topic?: string; partitions: string; option?: string[] }) => {
      const events = Number(o.events);
      const partitions = Number(o.partitions);
      if (!Number.isSafeInteger(events) || events < 0 || !Number.isSafeInteger(partitions) || partitions < 1) {
        process.stderr.write(`[ERROR] --events must be a non-negative integer and --partitions a positive one\n`);
        process.exitCode = 2;
        return;
      }
      try {
        const written = await nexmarkGen({ events, kafka: o.kafka, topic: o.topic, partitions, options: keyValues(o.option), log: (l) => process.stderr.write(l + '\n') });
        if (o.kafka) process.stderr.write(`${written} events written to topic '${o.topic ?? 'nexmark'}' at ${o.kafka}\n`);
      } catch (e) {
        process.stderr.write(`[ERROR] ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
