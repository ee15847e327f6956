// A window aggregation at parallelism 2 runs in two phases (each worker pre-aggregates its share
// of the events, the coordinator merges with the minimum watermark) and gives exactly the rows of
// parallelism 1; windows come out in the same order (by window end).
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import type { Row } from '../../src/common/types.js';
import { cancelAfterCheckpoints, committedLines, insertJobAt, nexmarkDdl, selectAt } from './helpers.js';
import { CheckpointStore } from '../../src/runtime/checkpoint-store.js';

const DDL = nexmarkDdl(30000);
const select = (parallelism: number, sql: string, logs: string[] = []): Promise<Row[]> => selectAt(parallelism, DDL, sql, logs);

const text = (r: Row) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
/** Rows grouped by window end, in order of the windows; within a window as a sorted multiset. */
function byWindow(rows: Row[], endIndex: number): string[][] {
  const out: string[][] = [];
  let last: unknown;
  for (const r of rows) {
    const end = text([r[endIndex]]);
    if (end !== last) out.push([]);
    last = end;
    out[out.length - 1].push(text(r));
  }
  return out.map((w) => w.sort());
}

describe('a window aggregation at parallelism 2 (two phases)', () => {
  it("q5's HOP count per auction over nexmark: the rows and window order of parallelism 1", async () => {
    const sql = `SELECT auction, window_start, window_end, COUNT(*) AS num, MAX(price) AS top, SUM(price) AS total, MIN(bidder) AS b
      FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
      GROUP BY auction, window_start, window_end`;
    const logs: string[] = [];
    const [p1, p2] = [await select(1, sql), await select(2, sql, logs)];
    expect(logs.filter((m) => m.includes('parallelism 1'))).toEqual([]);
    expect(p1.length).toBeGreaterThan(1000);
    expect(p2.length).toBe(p1.length);
    expect(byWindow(p2, 2)).toEqual(byWindow(p1, 2));
  }, 120_000);

  it('the seed shape (TUMBLE count per key into a sink) at parallelism 2 writes the rows of parallelism 1', async () => {
    const run = async (p: number) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-two-phase-'));
      const session = new Session({ log: () => {}, config: { 'parallelism.default': String(p) } });
      try {
        const res = await session.executeAll(`${DDL};
          CREATE TABLE out (window_start TIMESTAMP(3), window_end TIMESTAMP(3), channel STRING, n BIGINT, avg_price BIGINT)
            WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'csv');
          EXPLAIN INSERT INTO out SELECT window_start, window_end, channel, COUNT(*), AVG(price)
            FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '1' SECOND)) GROUP BY window_start, window_end, channel;
          INSERT INTO out SELECT window_start, window_end, channel, COUNT(*), AVG(price)
            FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '1' SECOND)) GROUP BY window_start, window_end, channel;`);
        const explain = res.at(-2)!;
        const r = res.at(-1)!;
        if (r.kind !== 'job') throw new Error('not a job');
        const done = await r.job.run();
        expect(done.status).toBe('FINISHED');
        expect(done.metrics.recordsIn).toBe(30000);
        const lines = readdirSync(dir)
          .filter((f) => !f.startsWith('.'))
          .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean));
        return { lines, explain: JSON.stringify(explain), out: done.metrics.recordsOut };
      } finally {
        await session.close();
      }
    };
    const p1 = await run(1);
    const p2 = await run(2);
    expect(p2.explain).toMatch(/Runs at parallelism 2 in two phases/);
    expect(p1.lines.length).toBeGreaterThan(50);
    expect(p2.out).toBe(p1.out);
    expect(p2.lines.sort()).toEqual(p1.lines.sort());
  }, 120_000);

  it('the seed job (a JSON file, TUMBLE count per event type) at parallelism 2 gives the rows and window order of parallelism 1', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-two-phase-seed-'));
    const file = path.join(dir, 'events.jsonl');
    const types = ['click', 'view', 'purchase', 'login', 'logout'];
    const base = Date.UTC(2025, 11, 29, 10, 0, 0);
    const lines: string[] = [];
    for (let i = 0; i < 20000; i++) {
      // As the bench's events: ~1000 per second of event time, slightly out of order.
      const t = new Date(base + i * 10 + ((i * 7919) % 3000) - 1500).toISOString().slice(0, 23);
      lines.push(`{"event_id":"e${i}","user_id":"u${i % 1000}","event_type":"${types[i % 5]}","event_time":"${t}"}`);
    }
    writeFileSync(file, lines.join('\n') + '\n');
    const seed = async (p: number, logs: string[]) => {
      const session = new Session({ log: (_l, m) => logs.push(m), config: { 'parallelism.default': String(p) } });
      try {
        const res = await session.executeAll(`
          CREATE TABLE events (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
            WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
          WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
          SELECT window_start, window_end, event_type, COUNT(*) AS n, COUNT(DISTINCT user_id) AS users, MAX(user_id) AS top
          FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, event_type`);
        const q = res.at(-1)!;
        if (q.kind !== 'query') throw new Error('not a query');
        return await collectQuery(q);
      } finally {
        await session.close();
      }
    };
    const p1 = await seed(1, []);
    const logs: string[] = [];
    const p2 = await seed(2, logs);
    expect(logs.filter((m) => m.includes('parallelism 1'))).toEqual([]);
    expect(p1.length).toBeGreaterThan(10);
    expect(byWindow(p2, 1)).toEqual(byWindow(p1, 1));
  }, 120_000);

  it('late rows: at parallelism 2 the rows dropped as late are those of parallelism 1 (the file is read in chunks merged in file order, not by byte ranges)', async () => {
    // 3 MB of events in event-time order (a watermark after each of the source's 1 MB chunks), and from
    // the 5000th on every 250th one 500 s behind: late at parallelism 1 once a chunk before moved
    // the watermark past its window. Such rows lie in both halves of the file: a second worker
    // reading the second half from its own start (watermark not yet set) took them in.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-two-phase-late-'));
    const file = path.join(dir, 'events.jsonl');
    const base = Date.UTC(2025, 11, 29, 10, 0, 0);
    const lines: string[] = [];
    const n = 12000;
    for (let i = 0; i < n; i++) {
      const late = i >= 5000 && i % 250 === 0;
      const t = new Date(base + i * 100 - (late ? 500_000 : 0)).toISOString().slice(0, 23);
      lines.push(`{"id":${i},"k":"k${i % 3}","ts":"${t}","pad":"${'x'.repeat(220)}"}`);
    }
    writeFileSync(file, lines.join('\n') + '\n');
    // A watermark after every chunk (not every 200 ms of wall clock): which rows are late is the same on every run.
    const ddl = `SET 'pipeline.auto-watermark-interval' = '0 ms';
      CREATE TABLE ev (id INT, k STRING, ts TIMESTAMP(3), pad STRING, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
      WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')`;
    const sql = `SELECT window_start, window_end, k, COUNT(*) AS c, SUM(id) AS s FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, k`;
    const p1 = await selectAt(1, ddl, sql);
    const logs: string[] = [];
    const p2 = await selectAt(2, ddl, sql, logs);
    expect(logs.filter((m) => m.includes('parallelism 1'))).toEqual([]);
    const counted = (rows: Row[]) => rows.reduce((a, r) => a + Number(r[3]), 0);
    // The 28 rows 500 s behind are late at parallelism 1.
    expect(counted(p1)).toBe(n - 28);
    expect(byWindow(p2, 1)).toEqual(byWindow(p1, 1));
  }, 60_000);

  it('checkpoints at parallelism 2 are aligned across the workers: a cancelled job resumes at 2 and writes exactly the rows of parallelism 1; at 1 the checkpoint is refused', async () => {
    // 10 000 events at 2 000 per second of wall clock (max-emit-speed off): the job runs ~5 s.
    const ddl = DDL.replace("'events.num' = '30000'", "'events.num' = '10000', 'max-emit-speed' = 'false'").replace("'first-event.rate' = '10000000'", "'first-event.rate' = '2000'");
    const ckpt = mkdtempSync(path.join(os.tmpdir(), 'tsstream-two-phase-ckpt-'));
    const insert = (dir: string) => `
      CREATE TABLE out (window_start TIMESTAMP(3), channel STRING, b BIGINT, n BIGINT, total BIGINT) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'csv');
      INSERT INTO out SELECT window_start, channel, MOD(bidder, 10), COUNT(*), SUM(price) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '1' SECOND)) GROUP BY window_start, window_end, channel, MOD(bidder, 10);`;
    const committed = committedLines;
    const job = (p: number, dir: string, logs: string[], checkpoints: boolean) => insertJobAt(p, 'two-phase-ckpt', `${ddl};${insert(dir)}`, logs, checkpoints ? ckpt : undefined);
    // The reference: parallelism 1, no checkpoints.
    const refDir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-two-phase-ref-'));
    const ref = await job(1, refDir, [], false);
    expect((await ref.job.run()).status).toBe('FINISHED');
    await ref.session.close();
    const want = committed(refDir);
    expect(want.length).toBeGreaterThan(20);

    // Parallelism 2 with checkpoints, cancelled after its second completed checkpoint.
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-two-phase-out-'));
    const logs: string[] = [];
    await cancelAfterCheckpoints(await job(2, outDir, logs, true), 2);
    expect(logs.filter((m) => m.includes('parallelism 1'))).toEqual([]);
    const taken = (await new CheckpointStore(path.join(ckpt, 'two-phase-ckpt')).latest())!;
    expect(taken.workers).toHaveLength(2);
    const before = committed(outDir);
    expect(before.length).toBeLessThan(want.length); // it was cancelled before the end

    // Resumed at parallelism 1: refused, naming both parallelisms.
    const one = await job(1, outDir, [], true);
    await expect(one.job.run()).rejects.toThrow(/taken at parallelism 2, and this job runs at parallelism 1/);
    await one.session.close();

    // Resumed at parallelism 2: every window exactly once.
    const resumedLogs: string[] = [];
    const b = await job(2, outDir, resumedLogs, true);
    expect((await b.job.run()).status).toBe('FINISHED');
    await b.session.close();
    expect(resumedLogs.some((m) => m.includes(`Resuming job 'two-phase-ckpt' from checkpoint`))).toBe(true);
    expect(committed(outDir)).toEqual(want);
  }, 180_000);

  it('an aggregation that does not merge exactly runs behind the key exchange instead of in two phases', async () => {
    const session = new Session({ log: () => {}, config: { 'parallelism.default': '2' } });
    try {
      const res = await session.executeAll(`${DDL};
        EXPLAIN SELECT window_start, SUM(CAST(price AS DOUBLE)) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '1' SECOND)) GROUP BY window_start, window_end`);
      expect(JSON.stringify(res.at(-1))).toMatch(/Runs at parallelism 2: .*sent to the worker owning their key/);
    } finally {
      await session.close();
    }
  }, 60_000);
});
