// EXPLAIN of the query-language features of issue 14 (part A): each new operator is shown with its
// keys. Results are checked against Flink in test/difftest/cases/query-features.sql.
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';

async function explain(sql: string, mode: 'batch' | 'streaming' = 'batch'): Promise<string> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(`
      SET 'execution.runtime-mode' = '${mode}';
      CREATE TEMPORARY TABLE t (a STRING, b STRING, q INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen', 'number-of-rows' = '3');
      CREATE TEMPORARY TABLE u (a STRING, n INT) WITH ('connector' = 'datagen', 'number-of-rows' = '3');
      EXPLAIN ${sql};`);
    const r = res[res.length - 1];
    if (r.kind !== 'explain') throw new Error('expected an explain result');
    return r.text.slice(r.text.indexOf('== Optimized Physical Plan =='));
  } finally {
    await session.close();
  }
}

describe('EXPLAIN of query features', () => {
  it('shows grouping sets as an Expand below an aggregation keyed by the set number', async () => {
    const text = await explain('SELECT a, b, SUM(q) AS s, GROUPING(a) AS g FROM t GROUP BY ROLLUP (a, b)');
    expect(text).toContain('HashAggregate(isMerge=[false], groupBy=[$k0, $k1, $e], select=[$k0, $k1, $e, SUM(q) AS EXPR$0])');
    expect(text).toContain('Expand(projects=[{a, b, q, a AS $k0, b AS $k1, 0 AS $e}, {a, b, q, a AS $k0, NULL AS $k1, 1 AS $e}, {a, b, q, NULL AS $k0, NULL AS $k1, 2 AS $e}])');
  });

  it('shows IN between two window TVFs on window_start/window_end as a window semi join', async () => {
    const text = await explain(
      `SELECT l.a FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l WHERE l.a IN (SELECT r.a FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) r WHERE r.window_start = l.window_start AND r.window_end = l.window_end AND r.q > l.q)`,
      'streaming',
    );
    expect(text).toContain('WindowJoin(leftWindow=[TUMBLE(');
    expect(text).toContain('win_start=[window_start], win_end=[window_end]], rightWindow=[TUMBLE(');
    expect(text).toContain('joinType=[LeftSemiJoin], leftKeys=[a, window_start, window_end], rightKeys=[$v0, window_start, window_end], where=[(q > q)], state=[rows of both inputs per window, freed when the watermark passes window_end])');
    // Different windows on the two sides: a regular semi join.
    const regular = await explain(
      `SELECT l.a FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l WHERE l.a IN (SELECT r.a FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '2' MINUTE)) r WHERE r.window_start = l.window_start AND r.window_end = l.window_end)`,
      'streaming',
    );
    expect(regular).not.toContain('WindowJoin');
    expect(regular).toContain('Join(joinType=[LeftSemiJoin]');
  });

  it('shows NOT IN as a NULL-aware anti join and a correlated EXISTS as a semi join on its keys', async () => {
    const notIn = await explain('SELECT a FROM t WHERE a NOT IN (SELECT a FROM u)', 'streaming');
    expect(notIn).toContain('Join(joinType=[LeftAntiJoin], leftKeys=[], rightKeys=[], nullAwareKey=[a = a], state=[rows of both inputs by join key, table.exec.state.ttl])');
    const exists = await explain('SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a AND u.n > t.q)');
    expect(exists).toContain('HashJoin(joinType=[LeftSemiJoin], leftKeys=[a], rightKeys=[a], where=[(n > q)])');
  });

  it('plans INTERSECT ALL as an aggregation over both sides and a row replication', async () => {
    const text = await explain('SELECT a FROM t INTERSECT ALL SELECT a FROM u', 'streaming');
    expect(text).toContain('ReplicateRows(count=[$n], select=[a])');
    expect(text).toContain('GroupAggregate(groupBy=[a], select=[a, COUNT(*) FILTER $isl AS $cl, COUNT(*) FILTER $isr AS $cr], state=[accumulators and the row count per group key, table.exec.state.ttl])');
  });

  it('runs a legacy GROUP BY TUMBLE(…) group window as the window aggregation', async () => {
    const text = await explain("SELECT a, TUMBLE_START(ts, INTERVAL '1' MINUTE) AS ws, COUNT(*) AS n FROM t GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE), a", 'streaming');
    expect(text).toContain('WindowAggregate(groupBy=[a], window=[TUMBLE(time_col=[ts], size=[1 min])]');
  });

  it('shows CROSS JOIN UNNEST as a Correlate over the collection', async () => {
    const text = await explain("SELECT a, x FROM t CROSS JOIN UNNEST(ARRAY[a, b]) AS v (x)", 'streaming');
    expect(text).toContain('Correlate(invocation=[UNNEST(ARRAY(a, b))], select=[a, b, q, ts, x], joinType=[INNER])');
  });

  it('computes OVER aggregate arguments in a Calc below the OverAggregate, for a named window', async () => {
    const text = await explain('SELECT a, MAX(q * 2) OVER w AS m FROM t WINDOW w AS (PARTITION BY a ORDER BY ts)', 'streaming');
    expect(text).toContain('OverAggregate(partitionBy=[a], orderBy=[ts ASC], window=[RANG BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW], select=[MAX($arg0) AS $over0], state=[rows until the watermark passes their time, accumulators per partition key, table.exec.state.ttl])');
    expect(text).toContain('(q * 2) AS $arg0');
  });

  it('shows IN as a value as a mark join', async () => {
    const text = await explain('SELECT a, a IN (SELECT a FROM u) AS f FROM t', 'streaming');
    expect(text).toContain('Join(joinType=[LeftMarkJoin], leftKeys=[], rightKeys=[], nullAwareKey=[a = a], state=[rows of both inputs by join key, table.exec.state.ttl])');
  });
});
