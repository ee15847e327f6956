// A window aggregation at parallelism 2 runs in two phases (each worker pre-aggregates its share
// of the events, the coordinator merges with the minimum watermark) and gives exactly the rows of
// parallelism 1; windows come out in the same order (by window end).
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import type { Row } from '../../src/common/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DDL = [
  readFileSync(path.join(root, 'bench/nexmark/ddl_gen.sql'), 'utf8').replace("'${TPS}'", "'10000000'").replace("'${TPS}'", "'10000000'").replace('${EVENTS_NUM}', '30000'),
  readFileSync(path.join(root, 'bench/nexmark/ddl_views.sql'), 'utf8').replaceAll('${NEXMARK_TABLE}', 'datagen'),
].join(';\n');

async function select(parallelism: number, sql: string, logs: string[] = []): Promise<Row[]> {
  const session = new Session({ log: (_l, m) => logs.push(m), config: { 'parallelism.default': String(parallelism) } });
  try {
    const res = await session.executeAll(`${DDL};\n${sql}`);
    const q = res.at(-1)!;
    if (q.kind !== 'query') throw new Error('not a query');
    return await collectQuery(q);
  } finally {
    await session.close();
  }
}

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

  it('EXPLAIN says why an aggregation that does not merge exactly runs at parallelism 1', async () => {
    const session = new Session({ log: () => {}, config: { 'parallelism.default': '2' } });
    try {
      const res = await session.executeAll(`${DDL};
        EXPLAIN SELECT window_start, SUM(CAST(price AS DOUBLE)) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '1' SECOND)) GROUP BY window_start, window_end`);
      expect(JSON.stringify(res.at(-1))).toMatch(/Runs at parallelism 1 \(2 asked for\).*SUM over DOUBLE depends on the order of the rows/);
    } finally {
      await session.close();
    }
  }, 60_000);
});
