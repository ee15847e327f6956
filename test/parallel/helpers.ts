// Shared by the parallelism tests: the bench's Nexmark table and views, and a query run at a
// given parallelism.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, collectQuery } from '../../src/cli/session.js';
import type { Row } from '../../src/common/types.js';
import type { Job } from '../../src/runtime/job.js';
import { afterAll, beforeAll } from 'vitest';
import { peer, requirePeers } from '../peers/index.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, type KafkaTestClient } from '../peers/kafka-client.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The bench's Nexmark table (`events` events, as fast as they generate) and its views (bid, …). */
export function nexmarkDdl(events: number): string {
  return [
    readFileSync(path.join(root, 'bench/nexmark/ddl_gen.sql'), 'utf8').replace("'${TPS}'", "'10000000'").replace("'${TPS}'", "'10000000'").replace('${EVENTS_NUM}', String(events)),
    readFileSync(path.join(root, 'bench/nexmark/ddl_views.sql'), 'utf8').replaceAll('${NEXMARK_TABLE}', 'datagen'),
  ].join(';\n');
}

/** The rows of `sql` (after `ddl`) at `parallelism`; the session's log lines go to `logs`. */
export async function selectAt(parallelism: number, ddl: string, sql: string, logs: string[] = []): Promise<Row[]> {
  const session = new Session({ log: (_l, m) => logs.push(m), config: { 'parallelism.default': String(parallelism) } });
  try {
    const res = await session.executeAll(`${ddl};\n${sql}`);
    const q = res.at(-1)!;
    if (q.kind !== 'query') throw new Error('not a query');
    return await collectQuery(q);
  } finally {
    await session.close();
  }
}

/** The lines of the files a filesystem sink committed into `dir` (hidden in-progress files left out), sorted. */
export function committedLines(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean))
    .sort();
}

/** The job of `script`'s last statement (an INSERT) at `parallelism`, named `name`; checkpoints every 150 ms into `ckpt` when given. */
export async function insertJobAt(parallelism: number, name: string, script: string, logs: string[], ckpt?: string): Promise<{ job: Job; session: Session }> {
  const config: Record<string, string> = { 'parallelism.default': String(parallelism), 'pipeline.name': name };
  if (ckpt) Object.assign(config, { 'execution.checkpointing.interval': '150 ms', 'execution.checkpointing.dir': ckpt });
  const session = new Session({ log: (_l, m) => logs.push(m), config });
  const res = await session.executeAll(script);
  const r = res.at(-1)!;
  if (r.kind !== 'job') throw new Error('not a job');
  return { job: r.job, session };
}

/** Runs `j` until it has completed `checkpoints` checkpoints (or 15 s), then cancels it and closes its session. */
export async function cancelAfterCheckpoints(j: { job: Job; session: Session }, checkpoints: number): Promise<void> {
  const running = j.job.run();
  for (let i = 0; i < 600 && j.job.metrics.checkpoints < checkpoints; i++) await new Promise((r) => setTimeout(r, 25));
  j.job.cancel();
  await running.catch(() => undefined);
  await j.session.close();
}

/** The Kafka peer for a test file: `ready` when it runs; its bootstrap address and a client, set up before the file's tests and closed after them. */
export function kafkaForTests(): { ready: boolean; readonly bootstrap: string; readonly client: KafkaTestClient } {
  const ready = requirePeers('kafka');
  let kafka: KafkaEndpoint | undefined;
  let client: KafkaTestClient | undefined;
  beforeAll(() => {
    if (!ready) return;
    kafka = peer<KafkaEndpoint>('kafka');
    client = kafkaTestClient(kafka.bootstrap);
  });
  afterAll(async () => {
    await client?.close();
  });
  return {
    ready,
    get bootstrap() {
      if (!kafka) throw new Error('the Kafka peer is not started');
      return kafka.bootstrap;
    },
    get client() {
      if (!client) throw new Error('the Kafka peer is not started');
      return client;
    },
  };
}
