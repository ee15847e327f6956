// A job split across worker threads (parallelism 2) gives the rows parallelism 1 gives; plans not
// yet split run at 1 and EXPLAIN says why.
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import type { Row } from '../../src/common/types.js';
import { nexmarkDdl, selectAt } from './helpers.js';

const DDL = nexmarkDdl(20000);
const select = (parallelism: number, sql: string, logs: string[] = []): Promise<Row[]> => selectAt(parallelism, DDL, sql, logs);

const text = (rows: Row[]) => rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))).sort();

describe('parallelism 2', () => {
  it('a stateless SELECT over nexmark gives the same multiset of rows as parallelism 1', async () => {
    const sql = `SELECT auction, bidder, price * 2 AS p2, UPPER(channel) AS ch, dateTime FROM bid WHERE MOD(auction, 3) <> 0`;
    const logs: string[] = [];
    const [p1, p2] = [await select(1, sql), await select(2, sql, logs)];
    expect(logs.filter((m) => m.includes('parallelism 1'))).toEqual([]);
    expect(p1.length).toBeGreaterThan(1000);
    expect(p2.length).toBe(p1.length);
    expect(text(p2)).toEqual(text(p1));
    // Each worker's events keep their order: the event times of a worker's share never go back, and
    // the two shares interleave (both workers ran).
    const times = p2.map((r) => Number((r[4] as { valueOf(): number }).valueOf?.() ?? r[4]));
    expect(times.some((t, i) => i > 0 && t < times[i - 1])).toBe(true);
  }, 60_000);

  it('an INSERT into blackhole at parallelism 2 reads every event once', async () => {
    const session = new Session({ log: () => {}, config: { 'table.exec.resource.default-parallelism': '2' } });
    try {
      const res = await session.executeAll(`${DDL};\nCREATE TABLE out (a BIGINT) WITH ('connector' = 'blackhole');\nINSERT INTO out SELECT auction FROM bid`);
      const r = res.at(-1)!;
      if (r.kind !== 'job') throw new Error('not a job');
      const done = await r.job.run();
      expect(done.status).toBe('FINISHED');
      expect(done.metrics.recordsIn).toBe(20000);
      expect(done.metrics.recordsOut).toBeGreaterThan(15000); // the bids among them
      expect(done.metrics.watermark).toBe(Infinity);
    } finally {
      await session.close();
    }
  }, 60_000);

  it('EXPLAIN says how many workers run the plan, and why a plan runs at 1', async () => {
    const session = new Session({ log: () => {}, config: { 'parallelism.default': '2' } });
    try {
      const [a, b] = (await session.executeAll(
        `${DDL};\nEXPLAIN SELECT auction FROM bid WHERE price > 10;\nEXPLAIN SELECT channel, COUNT(*) FROM bid GROUP BY channel`,
      )).slice(-2);
      const show = (r: typeof a) => (r.kind === 'explain' ? r.text : '');
      expect(show(a)).toContain('== Parallelism ==\nRuns at parallelism 2: each worker thread reads its share of the source splits');
      expect(show(b)).toMatch(/Runs at parallelism 2: .*the rows going into each keyed operator are sent to the worker owning their key/);
      // Checkpoints of a plan without keyed operators are aligned as those of the keyed shape (no channels).
      await session.executeAll(`SET 'execution.checkpointing.interval' = '1s'`);
      const [c] = await session.executeAll(`EXPLAIN SELECT auction FROM bid`);
      expect(show(c)).toMatch(/Runs at parallelism 2: .*checkpoints are aligned across the workers/);
      const [d] = await session.executeAll(`EXPLAIN SELECT a, COUNT(*) FROM (VALUES (1), (2)) AS t(a) GROUP BY a`);
      expect(show(d)).toContain('Runs at parallelism 1 (2 asked for): the Values operator does not run on several workers yet');
    } finally {
      await session.close();
    }
  });

  it('a plan that is not split yet runs at parallelism 1 with the same rows', async () => {
    const sql = `SELECT channel, COUNT(*) AS n FROM bid WHERE auction NOT IN (SELECT auction FROM bid WHERE price > 1000000) GROUP BY channel`;
    const logs: string[] = [];
    const p2 = await select(2, sql, logs);
    expect(logs.some((m) => m.includes('runs at parallelism 1: a NOT IN subquery'))).toBe(true);
    expect(p2.length).toBeGreaterThan(0);
  }, 60_000);
});
