// Keyed operators (joins, group aggregation, Top-N, window aggregation by key) at parallelism 2:
// the rows into each pass through the key-group hash exchange to the worker owning their key; the
// result is the one of parallelism 1 (a changelog compared as the table it ends in).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../src/common/types.js';
import { CheckpointStore } from '../../src/runtime/checkpoint-store.js';
import { cancelAfterCheckpoints, committedLines, insertJobAt, nexmarkDdl, selectAt } from './helpers.js';
import { keyGroupOf, keyGroupRange, workerOfKeyGroup, MAX_PARALLELISM } from '../../src/runtime/parallel/exchange.js';

const DDL = nexmarkDdl(20000);

const text = (r: Row) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
/** The table a changelog ends in, as sorted row texts. */
function table(rows: Row[]): string[] {
  const live = new Map<string, number>();
  for (const r of rows) {
    const k = text([...r]);
    const kind = (r as { rowKind?: string }).rowKind;
    const d = kind === '-U' || kind === '-D' ? -1 : 1;
    live.set(k, (live.get(k) ?? 0) + d);
  }
  const out: string[] = [];
  for (const [k, n] of live) {
    expect(n, `row ${k}`).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < n; i++) out.push(k);
  }
  return out.sort();
}

async function both(sql: string, minRows: number) {
  const logs: string[] = [];
  const p1 = await selectAt(1, DDL, sql);
  const p2 = await selectAt(2, DDL, sql, logs);
  expect(logs.filter((m) => /parallelism 1/.test(m))).toEqual([]);
  const t1 = table(p1);
  expect(t1.length).toBeGreaterThanOrEqual(minRows);
  expect(table(p2)).toEqual(t1);
}

describe('the key-group hash exchange', () => {
  it('key groups: 128, contiguous ranges per worker, equal keys in one group whatever their JS type', () => {
    for (const p of [1, 2, 3, 7]) {
      const seen: number[] = [];
      for (let i = 0; i < p; i++) {
        const [a, b] = keyGroupRange(i, p);
        for (let kg = a; kg <= b; kg++) {
          expect(workerOfKeyGroup(kg, p)).toBe(i);
          seen.push(kg);
        }
      }
      expect(seen).toEqual(Array.from({ length: MAX_PARALLELISM }, (_, i) => i));
    }
    expect(keyGroupOf([5n, 'x'], [0, 1])).toBe(keyGroupOf([5, 'x'], [0, 1]));
    expect(keyGroupOf(['a', 5], [1])).toBe(keyGroupOf([5], [0]));
    const groups = new Set(Array.from({ length: 1000 }, (_, i) => keyGroupOf([i], [0])));
    expect(groups.size).toBe(MAX_PARALLELISM);
  });

  it('q3: a regular join, filtered', async () => {
    await both(
      `SELECT P.name, P.city, P.state, A.id FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
       WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA')`,
      1,
    );
  }, 120_000);

  it('q4: an interval join under two group aggregations (retractions across the exchange)', async () => {
    await both(
      `SELECT Q.category, AVG(Q.final) FROM (
         SELECT MAX(B.price) AS final, A.category FROM auction A, bid B
         WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires GROUP BY A.id, A.category) Q
       GROUP BY Q.category`,
      3,
    );
  }, 120_000);

  it('q5: two HOP window aggregations joined', async () => {
    await both(
      `SELECT AuctionBids.auction, AuctionBids.num FROM (
         SELECT auction, count(*) AS num, window_start AS starttime, window_end AS endtime
         FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end) AS AuctionBids
       JOIN (
         SELECT max(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime FROM (
           SELECT count(*) AS num, window_start AS starttime, window_end AS endtime
           FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end) AS CountBids
         GROUP BY CountBids.starttime, CountBids.endtime) AS MaxBids
       ON AuctionBids.starttime = MaxBids.starttime AND AuctionBids.endtime = MaxBids.endtime AND AuctionBids.num >= MaxBids.maxn`,
      5,
    );
  }, 120_000);

  it('Top-N per key and a group count', async () => {
    await both(
      `SELECT * FROM (SELECT auction, bidder, price, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, bidder) AS rn FROM bid) WHERE rn <= 2`,
      100,
    );
    await both(`SELECT bidder, COUNT(*), MAX(price) FROM bid GROUP BY bidder`, 100);
  }, 120_000);

  it('checkpoints are aligned across the workers (barriers through the exchange): a cancelled join resumes at 2 and its sink (in the coordinator) has exactly the rows of parallelism 1', async () => {
    // 10 000 events at 2 000 per second of wall clock (max-emit-speed off): the job runs ~5 s.
    const ddl = nexmarkDdl(10000).replace("'events.num' = '10000'", "'events.num' = '10000', 'max-emit-speed' = 'false'").replace("'first-event.rate' = '10000000'", "'first-event.rate' = '2000'");
    expect(ddl).toContain("'max-emit-speed' = 'false'");
    const ckpt = mkdtempSync(path.join(os.tmpdir(), 'tsstream-keyed-ckpt-'));
    const insert = (dir: string) => `
      CREATE TABLE out (auction BIGINT, price BIGINT, seller BIGINT, category BIGINT) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'csv');
      INSERT INTO out SELECT B.auction, B.price, A.seller, A.category FROM bid AS B JOIN auction AS A ON B.auction = A.id;`;
    const committed = committedLines;
    const job = (p: number, dir: string, logs: string[], checkpoints: boolean) => insertJobAt(p, 'keyed-ckpt', `${ddl};${insert(dir)}`, logs, checkpoints ? ckpt : undefined);
    const refDir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-keyed-ref-'));
    const ref = await job(1, refDir, [], false);
    expect((await ref.job.run()).status).toBe('FINISHED');
    await ref.session.close();
    const want = committed(refDir);
    expect(want.length).toBeGreaterThan(1000);

    // Parallelism 2 with checkpoints, cancelled after its second completed checkpoint.
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-keyed-out-'));
    const logs: string[] = [];
    await cancelAfterCheckpoints(await job(2, outDir, logs, true), 2);
    expect(logs.filter((m) => m.includes('parallelism 1'))).toEqual([]);
    const taken = (await new CheckpointStore(path.join(ckpt, 'keyed-ckpt')).latest())!;
    expect(taken.workers).toHaveLength(2);
    const before = committed(outDir);
    expect(before.length).toBeLessThan(want.length); // it was cancelled before the end

    // Resumed at parallelism 2: every joined row exactly once.
    const resumedLogs: string[] = [];
    const b = await job(2, outDir, resumedLogs, true);
    expect((await b.job.run()).status).toBe('FINISHED');
    await b.session.close();
    expect(resumedLogs.some((m) => m.includes(`Resuming job 'keyed-ckpt' from checkpoint`))).toBe(true);
    expect(committed(outDir)).toEqual(want);
  }, 180_000);
});
