// OVER windows: EXPLAIN of the batch OverAggregate (keys, frames, state) and of a streaming
// ranking that is not a Top-N; LAG and RANK state across a checkpoint of the streaming over
// aggregation. Flink's results for the same queries: test/difftest/cases/over-windows.sql.
import { describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { parseStatement as parseAny } from '../../src/parser/index.js';
import type { QueryStatement } from '../../src/parser/ast.js';

const parseStatement = (sql: string) => parseAny(sql) as QueryStatement;
import type { Row } from '../../src/common/types.js';
import type { PhysicalNode } from '../../src/planner/physical.js';
import { OverAggregateOperator } from '../../src/runtime/operators/aggregates.js';
import { parseState, stringifyState } from '../../src/runtime/checkpoint-store.js';

const TABLE = `CREATE TABLE t (id INT, k STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH ('connector' = 'datagen', 'number-of-rows' = '1')`;
const VALUES = `CREATE TEMPORARY VIEW e AS SELECT * FROM (VALUES (1, 'a', 10), (2, 'a', 20), (3, 'a', 20), (4, 'b', CAST(NULL AS INT)), (5, 'a', 5)) AS x (id, k, v)`;

async function withSession<T>(mode: 'batch' | 'streaming', f: (s: Session) => Promise<T>): Promise<T> {
  const session = new Session({ log: () => {} });
  try {
    await session.executeAll(`SET 'execution.runtime-mode' = '${mode}'; ${TABLE}; ${VALUES};`);
    return await f(session);
  } finally {
    await session.close();
  }
}

describe('OVER windows', () => {
  it('runs ranking, LAG/LEAD and framed aggregates over any order in batch mode', async () => {
    const rows = await withSession('batch', async (s) => {
      const res = await s.executeAll(`SELECT id, RANK() OVER w AS r, DENSE_RANK() OVER w AS d, ROW_NUMBER() OVER (ORDER BY id) AS rn,
        LAG(v, 1, -1) OVER (PARTITION BY k ORDER BY id) AS l, LEAD(id) OVER (ORDER BY id) AS nx,
        SUM(v) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s3, COUNT(*) OVER (PARTITION BY k) AS n
        FROM e WINDOW w AS (ORDER BY v DESC);`);
      const q = res[res.length - 1];
      if (q.kind !== 'query') throw new Error('expected a query');
      return (await collectQuery(q)).map((x) => x.slice()).sort((a, b) => (a[0] as number) - (b[0] as number));
    });
    expect(rows).toEqual([
      [1, 3, 2, 1, -1, 2, 30, 4],
      [2, 1, 1, 2, 10, 3, 50, 4],
      [3, 1, 1, 3, 20, 4, 40, 4],
      [4, 5, 4, 4, -1, 5, 25, 1],
      [5, 4, 3, 5, 20, null, 5, 4],
    ]);
  });

  it('explains the batch OverAggregate with its keys and each call with its frame', async () => {
    const text = await withSession('batch', (s) => s.explain(parseStatement(`SELECT id, RANK() OVER (PARTITION BY k ORDER BY v DESC) AS r, SUM(v) OVER (PARTITION BY k ORDER BY v DESC ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS s, LAG(v, 2) OVER (PARTITION BY k ORDER BY v DESC) AS l FROM e`)));
    expect(text).toContain('OverAggregate(partitionBy=[k], orderBy=[v DESC], window=[RANK(*) AS $over0 RANG BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW, SUM(v) AS $over1 ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING, LAG(v) AS $over2, offset=2 RANG BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW], state=[');
  });

  it('plans a streaming RANK that is not a Top-N as an over aggregation, and refuses a non-time order with Flink\'s words', async () => {
    await withSession('streaming', async (s) => {
      const text = await s.explain(parseStatement('SELECT id, RANK() OVER (PARTITION BY k ORDER BY ts) AS r FROM t'));
      expect(text).toContain('OverAggregate(partitionBy=[k], orderBy=[ts ASC], window=[RANG BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW], select=[RANK(*) AS $rownum], state=[rows until the watermark passes their time, accumulators per partition key, table.exec.state.ttl])');
      await expect(s.explain(parseStatement('SELECT id, RANK() OVER (PARTITION BY k ORDER BY v) AS r FROM t'))).rejects.toThrow("OVER windows' ordering in stream mode must be defined on a time attribute.");
      await expect(s.explain(parseStatement('SELECT id, LEAD(v) OVER (PARTITION BY k ORDER BY ts) AS r FROM t'))).rejects.toThrow('LEAD Function is not supported in stream mode.');
    });
  });

  it('keeps LAG and RANK state across a checkpoint of the streaming over aggregation', async () => {
    const node = await withSession('streaming', async (s) => {
      const st = parseStatement('SELECT id, RANK() OVER w AS r, LAG(v, 1, id) OVER w AS l FROM t WINDOW w AS (PARTITION BY k ORDER BY ts)');
      if (st.kind !== 'queryStatement') throw new Error('a query');
      let n: PhysicalNode = (await s.plan(st)).physical[0];
      while (n.kind !== 'OverAggregate') n = (n as { input: PhysicalNode }).input;
      return n;
    });
    const T0 = Date.UTC(2025, 0, 1) * 1000;
    const row = (id: number, k: string, v: number, sec: number): Row => [id, k, v, T0 + sec * 1_000_000];
    const make = () => {
      const out: Row[] = [];
      const op = new OverAggregateOperator(
        { emit: (rows: Row[]) => out.push(...rows.map((r) => [...r])), watermark: () => {}, end: () => {} },
        { metric: () => {}, now: () => 0 },
        node.partitionKeys, node.orderKey, node.eventTime, node.rows, node.preceding, node.aggs,
      );
      return { op, out };
    };
    const first = make();
    first.op.process([row(1, 'a', 10, 1), row(2, 'a', 20, 2), row(3, 'b', 5, 2)], 0);
    first.op.watermark(T0 + 2_000_000, 0);
    first.op.process([row(4, 'a', 30, 3)], 0); // pending: not yet released by the watermark
    const state = parseState(stringifyState(first.op.snapshot()));
    const second = make();
    second.op.restore(state);
    second.op.process([row(5, 'a', 40, 3), row(6, 'b', 6, 4)], 0);
    second.op.watermark(T0 + 10_000_000, 0);
    const cols = (rows: Row[]) => rows.map((r) => [r[0], r[4], r[5]]);
    expect(cols(first.out)).toEqual([[1, 1, 1], [2, 2, 10], [3, 1, 3]]);
    // 4 and 5 are peers (same time): both count through the last of them and share LAG of the last.
    expect(cols(second.out)).toEqual([[4, 4, 30], [5, 4, 30], [6, 2, 5]]);
  });

  it('forgets a partition idle longer than table.exec.state.ttl: its next row starts it anew', async () => {
    const node = await withSession('streaming', async (s) => {
      const st = parseStatement('SELECT id, RANK() OVER w AS r, LAG(v, 1, id) OVER w AS l FROM t WINDOW w AS (PARTITION BY k ORDER BY ts)');
      let n: PhysicalNode = (await s.plan(st)).physical[0];
      while (n.kind !== 'OverAggregate') n = (n as { input: PhysicalNode }).input;
      return n;
    });
    const T0 = Date.UTC(2025, 0, 1) * 1000;
    const row = (id: number, k: string, v: number, sec: number): Row => [id, k, v, T0 + sec * 1_000_000];
    let now = 0;
    const out: Row[] = [];
    const op = new OverAggregateOperator(
      { emit: (rows: Row[]) => out.push(...rows.map((r) => [...r])), watermark: () => {}, end: () => {} },
      { metric: () => {}, now: () => now, stateTtl: 1000 },
      node.partitionKeys, node.orderKey, node.eventTime, node.rows, node.preceding, node.aggs,
    );
    op.process([row(1, 'a', 10, 1)], 0);
    op.watermark(T0 + 1_000_000, 0);
    now = 800;
    op.process([row(2, 'b', 20, 2)], 0);
    op.watermark(T0 + 2_000_000, 0);
    now = 1500; // a idle since 0 (1500 > 1000), b since 800 (700)
    op.onProcessingTime(now);
    op.process([row(3, 'a', 30, 3), row(4, 'b', 40, 3)], 0);
    op.watermark(T0 + 3_000_000, 0);
    const cols = (rows: Row[]) => rows.map((r) => [r[0], r[4], r[5]]);
    // a starts anew (rank 1, LAG's default: its own id); b still knows its earlier row.
    expect(cols(out)).toEqual([[1, 1, 1], [2, 1, 2], [3, 1, 3], [4, 2, 20]]);
  });
});
