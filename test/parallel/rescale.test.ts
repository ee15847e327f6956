// A keyed job resumed at another parallelism (state re-assigned by key group, as Flink rescales):
// a window aggregation by key over a Kafka topic of 2 partitions is cancelled at parallelism 2
// (resp. 1) with windows open, then resumed at 1 (resp. 2) to the topic's end; the committed rows
// are exactly those of one run at parallelism 1. A source whose splits depend on the parallelism
// (nexmark) is refused with a message.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { uniqueTopic } from '../peers/kafka-client.js';
import { committedLines, kafkaForTests, nexmarkDdl } from './helpers.js';

const kafka = kafkaForTests();
const ready = kafka.ready;

const T0 = Date.UTC(2025, 0, 1);
/** Records `from`…`to`-1 of each of the 2 partitions: key i % 7, value i, one per second of event time. */
async function produce(topic: string, from: number, to: number): Promise<void> {
  for (let p = 0; p < 2; p++) {
    const recs = [];
    for (let i = from; i < to; i++) recs.push({ key: `k${i}`, value: JSON.stringify({ k: (i * 3 + p) % 7, v: i, ts: new Date(T0 + i * 1000).toISOString().replace('T', ' ').replace('Z', '') }), timestamp: T0 + i * 1000 });
    await kafka.client.produce(topic, p, recs);
  }
}

const committed = committedLines;

/**
 * 'keyed': a window aggregation whose DOUBLE sum does not merge (all rows through the exchange);
 * 'local-global': two window aggregations (COUNT, exact SUM) pre-aggregated per worker, their partials through the exchange.
 */
const QUERIES = {
  keyed: `SELECT k, window_start, COUNT(*), SUM(CAST(v AS DOUBLE)) FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY k, window_start, window_end`,
  'local-global': `SELECT k, window_start, COUNT(*), CAST(SUM(v) AS DOUBLE) FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY k, window_start, window_end
    UNION ALL SELECT k + 100, window_start, COUNT(*), CAST(MAX(v) AS DOUBLE) FROM TABLE(HOP(TABLE src, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '15' SECOND)) GROUP BY k, window_start, window_end`,
};
type Query = keyof typeof QUERIES;

async function run(query: Query, topic: string, p: number, out: string, ckpt: string | undefined, bounded: boolean, logs: string[], until?: (j: { metrics: { recordsIn: number; checkpoints: number } }) => boolean) {
  const config: Record<string, string> = { 'parallelism.default': String(p), 'pipeline.name': 'rescale' };
  if (ckpt) Object.assign(config, { 'execution.checkpointing.interval': '100 ms', 'execution.checkpointing.dir': ckpt });
  const session = new Session({ log: (_l, m) => logs.push(m), config });
  try {
    const res = await session.executeAll(`
      CREATE TABLE src (k INT, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'kafka', 'topic' = '${topic}',
        'properties.bootstrap.servers' = '${kafka.bootstrap}', 'properties.group.id' = 'g-${topic}', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json'
        ${bounded ? ", 'scan.bounded.mode' = 'latest-offset'" : ''});
      CREATE TABLE out (k INT, ws TIMESTAMP(3), n BIGINT, total DOUBLE) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'csv');
      INSERT INTO out ${QUERIES[query]};`);
    const r = res.at(-1)!;
    if (r.kind !== 'job') throw new Error('not a job');
    const running = r.job.run();
    if (until) {
      // A bound in time, not in polls: on a loaded machine workers start and checkpoints come slowly.
      const end = Date.now() + 90_000;
      while (!until(r.job) && Date.now() < end) await new Promise((s) => setTimeout(s, 25));
      r.job.cancel();
      await running.catch(() => undefined);
      return;
    }
    expect((await running).status).toBe('FINISHED');
  } finally {
    await session.close();
  }
}

describe('a keyed job resumed at another parallelism', () => {
  it.each<[number, number, Query]>([
    [2, 1, 'keyed'],
    [1, 2, 'keyed'],
    [2, 1, 'local-global'],
    [1, 2, 'local-global'],
  ])('checkpoint at %i, resumed at %i (%s): the rows of one run at parallelism 1', async (from, to, query) => {
    const topic = uniqueTopic('rescale');
    await kafka.client.createTopic(topic, 2);
    await produce(topic, 0, 300);
    // The first run reads the first 300 records of each partition, takes checkpoints, is cancelled.
    const out = mkdtempSync(path.join(os.tmpdir(), 'tsstream-rescale-out-'));
    const ckpt = mkdtempSync(path.join(os.tmpdir(), 'tsstream-rescale-ckpt-'));
    const logs: string[] = [];
    let seenAll = -1;
    await run(query, topic, from, out, ckpt, false, logs, (j) => {
      if (j.metrics.recordsIn >= 600 && seenAll < 0) seenAll = j.metrics.checkpoints;
      return seenAll >= 0 && j.metrics.checkpoints >= seenAll + 2;
    });
    expect(seenAll).toBeGreaterThanOrEqual(0);
    const first = committed(out);
    await produce(topic, 300, 500);
    // Resumed at the other parallelism to the topic's end.
    const resumed: string[] = [];
    await run(query, topic, to, out, ckpt, true, resumed);
    expect(resumed.some((m) => m.includes(`taken at parallelism ${from}, at parallelism ${to}: its keyed state is re-assigned by key group`))).toBe(true);
    expect(logs.concat(resumed).filter((m) => /runs at parallelism 1:/.test(m))).toEqual([]);
    // The reference: one bounded run at parallelism 1, no checkpoints. It counted every one of the
    // 1000 records (the windows of keys < 100 are tumbling: each record in exactly one), from offset
    // 0 of both partitions (its source's log line says where it read, for a failure's message).
    const ref = mkdtempSync(path.join(os.tmpdir(), 'tsstream-rescale-ref-'));
    const refLogs: string[] = [];
    await run(query, topic, 1, ref, undefined, true, refLogs);
    const want = committed(ref);
    const counted = want.map((l) => l.split(',')).filter((f) => Number(f[0]) < 100).reduce((n, f) => n + Number(f[2]), 0);
    expect(counted, refLogs.filter((m) => m.startsWith('kafka source')).join('\n')).toBe(1000);
    expect(want.length).toBeGreaterThan(first.length);
    expect(first.length).toBeGreaterThan(0);
    expect(committed(out)).toEqual(want);
  }, 240_000);

  it('a nexmark source (events shared out by stride) does not resume at another parallelism', async () => {
    const ckpt = mkdtempSync(path.join(os.tmpdir(), 'tsstream-rescale-nx-'));
    const ddl = nexmarkDdl(4000).replace("'events.num' = '4000'", "'events.num' = '4000', 'max-emit-speed' = 'false'").replace("'first-event.rate' = '10000000'", "'first-event.rate' = '2000'");
    const job = async (p: number) => {
      const session = new Session({ log: () => {}, config: { 'parallelism.default': String(p), 'pipeline.name': 'rescale-nx', 'execution.checkpointing.interval': '100 ms', 'execution.checkpointing.dir': ckpt } });
      const res = await session.executeAll(`${ddl};
        CREATE TABLE o (bidder BIGINT, n BIGINT) WITH ('connector' = 'blackhole');
        INSERT INTO o SELECT bidder, COUNT(*) FROM bid GROUP BY bidder;`);
      const r = res.at(-1)!;
      if (r.kind !== 'job') throw new Error('not a job');
      return { job: r.job, session };
    };
    const a = await job(2);
    const running = a.job.run();
    const end = Date.now() + 60_000;
    while (a.job.metrics.checkpoints < 1 && Date.now() < end) await new Promise((s) => setTimeout(s, 25));
    a.job.cancel();
    await running.catch(() => undefined);
    await a.session.close();
    const b = await job(1);
    await expect(b.job.run()).rejects.toThrow(/The source \S*datagen \(connector 'nexmark'\) cannot resume at another parallelism/);
    await b.session.close();
  }, 120_000);
});
