// MATCH_RECOGNIZE: its plan (EXPLAIN), the printed SQL, and a partial match that survives a
// checkpoint: the operator's state written and read back as the checkpoint store does, then the
// rest of the match fed to a fresh operator. Flink's results for the same queries are checked by
// the differential cases in test/difftest/cases/match-recognize.sql.
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { parseStatement } from '../../src/parser/index.js';
import { printStatement } from '../../src/parser/printer.js';
import type { Row } from '../../src/common/types.js';
import type { PhysicalNode } from '../../src/planner/physical.js';
import { MatchRecognizeOperator } from '../../src/runtime/operators/match.js';
import { parseState, stringifyState } from '../../src/runtime/checkpoint-store.js';

const TABLE = `CREATE TABLE ticker (symbol STRING, price BIGINT, rowtime TIMESTAMP(3), WATERMARK FOR rowtime AS rowtime)
  WITH ('connector' = 'datagen', 'number-of-rows' = '1')`;

// Price decreasing then increasing (Flink's documentation), plus an aggregate and MATCH_ROWTIME.
const QUERY = `SELECT * FROM ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES START_ROW.price AS start_price, LAST(DOWN.price) AS bottom, UP.price AS up_price, COUNT(DOWN.price) AS downs, MATCH_ROWTIME() AS mt
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (START_ROW DOWN+ UP) WITHIN INTERVAL '1' HOUR
  DEFINE
    DOWN AS DOWN.price < COALESCE(LAST(DOWN.price, 1), START_ROW.price),
    UP AS UP.price > LAST(DOWN.price, 1)
) AS T`;

async function planned(sql: string): Promise<{ explain: string; node: Extract<PhysicalNode, { kind: 'MatchRecognize' }> }> {
  const session = new Session({ log: () => {} });
  try {
    await session.executeAll(`${TABLE};`);
    const st = parseStatement(sql);
    if (st.kind !== 'queryStatement') throw new Error('a query');
    const { physical } = await session.plan(st);
    let n: PhysicalNode = physical[0];
    while (n.kind !== 'MatchRecognize') n = (n as { input: PhysicalNode }).input;
    return { explain: await session.explain(st), node: n };
  } finally {
    await session.close();
  }
}

const T0 = Date.UTC(2025, 0, 1, 10, 0, 0) * 1000; // micros
const row = (symbol: string, price: number, second: number): Row => [symbol, price, T0 + second * 1_000_000];

function operator(node: Extract<PhysicalNode, { kind: 'MatchRecognize' }>): { op: MatchRecognizeOperator; out: unknown[][]; late: number[] } {
  const out: unknown[][] = [];
  const late: number[] = [];
  const op = new MatchRecognizeOperator(
    { emit: (rows: Row[]) => out.push(...rows.map((r) => [...r])), watermark: () => {}, end: () => {} },
    { metric: (name, n) => name === 'late-records-dropped' && late.push(n), now: () => 0 },
    node.spec,
    { localTimeZone: 'UTC', now: () => 0 },
  );
  return { op, out, late };
}

describe('MATCH_RECOGNIZE', () => {
  it('explains the match with its keys, pattern, skip strategy and state', async () => {
    const { explain } = await planned(QUERY);
    expect(explain).toContain('LogicalMatch(partitionBy=[symbol], orderBy=[rowtime ASC]');
    expect(explain).toContain('Match(partitionBy=[symbol], orderBy=[rowtime ASC], measures=[START_ROW.price AS start_price, LAST(DOWN.price) AS bottom, UP.price AS up_price, COUNT(DOWN.price) AS downs, MATCH_ROWTIME() AS mt], rowsPerMatch=[ONE ROW PER MATCH], after=[SKIP PAST LAST ROW], pattern=[START_ROW DOWN+ UP], within=[3600000ms]');
    expect(explain).toContain('state=[rows until the watermark passes their time, partial matches per partition key, dropped after WITHIN]');
  });

  it('prints SQL that parses back to the same statement', () => {
    const sql = 'SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY k ORDER BY ts MEASURES FIRST(A.x) AS fx, SUM(B.x) AS s AFTER MATCH SKIP TO LAST B PATTERN (A{2,} B*? C{1,3}? D? E) WITHIN INTERVAL \'5\' SECOND DEFINE A AS A.x > PREV(x), E AS TRUE) AS m';
    const printed = printStatement(parseStatement(sql));
    expect(printStatement(parseStatement(printed))).toBe(printed);
    expect(printed).toContain('PATTERN (A{2,} B*? C{1,3}? D? E)');
    expect(printed).toContain('AFTER MATCH SKIP TO LAST B');
  });

  it('keeps a partial match across a checkpoint and completes it after the restore', async () => {
    const { node } = await planned(QUERY);
    const first = operator(node);
    // ACME: 20 (start), 18, 15 (down, down) — a partial match; BETA: 10, 9 and nothing more.
    first.op.process([row('ACME', 20, 0), row('BETA', 10, 0), row('ACME', 18, 1), row('ACME', 15, 2), row('BETA', 9, 2)], 0);
    first.op.watermark(T0 + 2_000_000, 0);
    expect(first.out).toEqual([]);
    // A row not yet released by the watermark is in the checkpoint too.
    first.op.process([row('ACME', 14, 3)], 0);
    const state = parseState(stringifyState(first.op.snapshot()));

    const second = operator(node);
    second.op.restore(state);
    second.op.process([row('ACME', 17, 4), row('ACME', 30, 1)], 0); // the second is late: before the restored watermark
    second.op.watermark(T0 + 10_000_000, 0);
    expect(second.late).toEqual([1]);
    expect(second.out).toEqual([['ACME', 20, 14, 17, 3, T0 + 4_000_000]]);
    // At the end, WITHIN ends BETA's partial match: no more output.
    second.op.endInput(0);
    expect(second.out).toHaveLength(1);
  });

  it('refuses what Flink refuses, with Flink\'s words', async () => {
    const bad = (pattern: string) => planned(QUERY.replace('PATTERN (START_ROW DOWN+ UP)', pattern));
    await expect(bad('PATTERN (START_ROW DOWN+)')).rejects.toThrow('Greedy quantifiers are not allowed as the last element of a Pattern yet.');
    await expect(bad('PATTERN (START_ROW DOWN?? UP)')).rejects.toThrow('Reluctant optional variables are not supported yet.');
    await expect(bad('PATTERN (START_ROW (DOWN | UP))')).rejects.toThrow('Alternation');
    await expect(planned(QUERY.replace('ONE ROW PER MATCH', 'ALL ROWS PER MATCH'))).rejects.toThrow('All rows per match mode is not supported yet.');
  });
});
