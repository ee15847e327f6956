// Streaming Top-N: the changelog it emits (with and without the rank number) and its plan.
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';
import { rowKindOf, setRowKind, type Row } from '../../src/common/types.js';
import { TemporalSortOperator, TopNOperator, WindowRankOperator } from '../../src/runtime/operators/rank.js';
import { RankOperator } from '../../src/runtime/operators/batch.js';
import { parseState, stringifyState } from '../../src/runtime/checkpoint-store.js';
import { TemporalJoinOperator } from '../../src/runtime/operators/temporal-join.js';

async function topN(channel: string, rows: [string, number][], select: string): Promise<{ explain: string; changelog: string[] }> {
  const input = memoryChannel(channel);
  for (const r of rows) input.push([r]); // one row per batch: the changelog row by row
  input.end();
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(`
      CREATE TABLE sales (shop STRING, price INT) WITH ('connector' = 'memory', 'channel' = '${channel}', 'bounded' = 'true');
      CREATE TABLE out (shop STRING, price INT, rn BIGINT) WITH ('connector' = 'memory', 'channel' = '${channel}-out');
      EXPLAIN INSERT INTO out ${select};
      INSERT INTO out ${select};`);
    const explain = res[res.length - 2];
    const job = res[res.length - 1];
    if (job.kind !== 'job' || explain.kind !== 'explain') throw new Error('expected a job');
    await job.job.run();
    return { explain: explain.text, changelog: memoryChannel(`${channel}-out`).written.map((x) => `${rowKindOf(x)}[${x.join(', ')}]`) };
  } finally {
    await session.close();
  }
}

const ROWS: [string, number][] = [
  ['a', 10],
  ['a', 30],
  ['a', 20],
  ['b', 5],
  ['a', 40],
];

function feed(op: TopNOperator, rows: Row[][]): void {
  for (const r of rows) op.process(r, 0);
}

function operator(outputRank: boolean, retracting = false): { op: TopNOperator; log: string[] } {
  const log: string[] = [];
  const out = { emit: (rows: Row[]) => rows.forEach((x) => log.push(`${rowKindOf(x)}[${x.join(', ')}]`)), watermark: () => {}, end: () => {} };
  const op = new TopNOperator(out, { metric: () => {}, now: () => 0 }, [0], [{ index: 1, descending: true, nullsFirst: false }], 'ROW_NUMBER', 2, outputRank, retracting);
  return { op, log };
}

describe('streaming Top-N', () => {
  it('updates the positions that change hands when the rank number is read', () => {
    const { op, log } = operator(true);
    feed(op, ROWS.map((r) => [r]));
    expect(log).toEqual([
      '+I[a, 10, 1]',
      '-U[a, 10, 1]', '+U[a, 30, 1]', '+I[a, 10, 2]', // 30 takes rank 1, 10 moves to rank 2
      '-U[a, 10, 2]', '+U[a, 20, 2]',
      '+I[b, 5, 1]',
      '-U[a, 30, 1]', '-U[a, 20, 2]', '+U[a, 40, 1]', '+U[a, 30, 2]',
    ]);
  });

  // A delete retracts the row exactly as it was inserted (its rank number then).
  it('emits each row once, as an insert and later a delete, without the rank number', () => {
    const { op, log } = operator(false);
    feed(op, ROWS.map((r) => [r]));
    expect(log).toEqual(['+I[a, 10, 1]', '+I[a, 30, 1]', '-D[a, 10, 1]', '+I[a, 20, 2]', '+I[b, 5, 1]', '-D[a, 20, 2]', '+I[a, 40, 1]']);
  });

  it('brings a row back into the top N when a better one is retracted (updating input)', () => {
    const { op, log } = operator(true, true);
    feed(op, ROWS.map((r) => [r]));
    log.length = 0;
    feed(op, [[setRowKind(['a', 40], '-U'), setRowKind(['a', 15], '+U')]]);
    expect(log).toEqual(['-U[a, 40, 1]', '-U[a, 30, 2]', '+U[a, 30, 1]', '+U[a, 20, 2]']);
    // State survives a snapshot: the restored operator goes on from the same top N.
    const { op: again, log: log2 } = operator(true, true);
    again.restore(JSON.parse(JSON.stringify(op.snapshot())));
    feed(again, [[['a', 25]]]);
    expect(log2).toEqual(['-U[a, 20, 2]', '+U[a, 25, 2]']);
  });

  it('plans a Top-N and leaves the final top N per key', async () => {
    const r = await topN('topn-rank', ROWS, `SELECT shop, price, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY shop ORDER BY price DESC) AS rn FROM sales) WHERE rn <= 2`);
    expect(r.explain).toMatch(/Rank\(strategy=\[AppendFastStrategy\], rankType=\[ROW_NUMBER\], rankRange=\[rankStart=1, rankEnd=2\], partitionBy=\[shop\], orderBy=\[price DESC\], outputRankNumber=\[true\], state=\[top 2 per partition key/);
    expect(r.changelog.sort()).toEqual(['+I[a, 30, 2]', '+I[a, 40, 1]', '+I[b, 5, 1]']);
    const n = await topN('topn-norank', ROWS, `SELECT shop, price, CAST(NULL AS BIGINT) FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY shop ORDER BY price DESC) AS rn FROM sales) WHERE rn <= 2`);
    expect(n.explain).toMatch(/outputRankNumber=\[false\]/);
  });
});

describe('streaming ORDER BY a time attribute', () => {
  it('holds rows until the watermark passes them and emits them in time order, dropping late ones', () => {
    const log: string[] = [];
    const out = { emit: (rows: Row[]) => rows.forEach((x) => log.push(x.join(':'))), watermark: (wm: number) => log.push(`wm ${wm}`), end: () => log.push('end') };
    const op = new TemporalSortOperator(out, { metric: () => {}, now: () => 0 }, [{ index: 1, descending: false, nullsFirst: true }, { index: 0, descending: true, nullsFirst: false }], true);
    op.process([['a', 30], ['b', 10], ['c', 20], ['d', 10]], 0);
    op.watermark(20, 0);
    op.process([['late', 15], ['e', 25]], 0);
    const state = JSON.parse(JSON.stringify(op.snapshot()));
    op.endInput(0);
    expect(log).toEqual(['d:10', 'b:10', 'c:20', 'wm 20', 'e:25', 'a:30', 'end']);
    // Restored from the snapshot taken before the end: the same rows are still waiting.
    log.length = 0;
    const again = new TemporalSortOperator(out, { metric: () => {}, now: () => 0 }, [{ index: 1, descending: false, nullsFirst: true }], true);
    again.restore(state);
    again.endInput(0);
    expect(log).toEqual(['e:25', 'a:30', 'end']);
  });
});

describe('table.exec.state.ttl on the new operators', () => {
  it('a Top-N partition idle longer than the TTL is forgotten: its next row starts it anew', () => {
    let now = 0;
    const log: string[] = [];
    const out = { emit: (rows: Row[]) => rows.forEach((x) => log.push(`${rowKindOf(x)}[${x.join(', ')}]`)), watermark: () => {}, end: () => {} };
    const op = new TopNOperator(out, { metric: () => {}, now: () => now, stateTtl: 1000 }, [0], [{ index: 1, descending: true, nullsFirst: false }], 'ROW_NUMBER', 1, true, false);
    op.process([['a', 10]], 0);
    now = 800;
    op.process([['b', 1]], 0);
    now = 1500; // a idle 1500 > 1000; b idle 700
    op.onProcessingTime(now);
    op.process([['a', 5], ['b', 0]], 0);
    // a's state is gone: 5 becomes its top row (no retraction of 10); b still knows 1 beats 0.
    expect(log).toEqual(['+I[a, 10, 1]', '+I[b, 1, 1]', '+I[a, 5, 1]']);
  });

  it('a temporal join forgets the versions of a key not updated within the TTL', () => {
    let now = 0;
    const log: string[] = [];
    const out = { emit: (rows: Row[]) => rows.forEach((x) => log.push(x.join(' '))), watermark: () => {}, end: () => {} };
    const op = new TemporalJoinOperator(out, { metric: () => {}, now: () => now, stateTtl: 1000 }, 'LEFT', [0], [0], 1, 2, 3);
    op.process([['EUR', 114, 0], ['USD', 100, 0]], 1);
    op.process([['EUR', 5]], 0);
    op.watermark(10, 0);
    op.watermark(10, 1);
    now = 900;
    op.process([['USD', 101, 20]], 1);
    now = 1500; // EUR untouched since 0 (1500 > 1000), USD since 900 (600)
    op.onProcessingTime(now);
    op.process([['EUR', 30], ['USD', 30]], 0);
    op.endInput(0);
    op.endInput(1);
    expect(log).toEqual(['EUR 5 EUR 114 0', 'EUR 30   ', 'USD 30 USD 101 20']);
    // State is JSON for checkpoints and comes back.
    const again = new TemporalJoinOperator(out, { metric: () => {}, now: () => now }, 'INNER', [0], [0], 1, 2, 3);
    again.restore(JSON.parse(JSON.stringify(op.snapshot())));
  });
});

describe('checkpoints of Window Top-N and streaming deduplication', () => {
  const collect = () => {
    const log: string[] = [];
    return { log, out: { emit: (rows: Row[]) => rows.forEach((x) => log.push(`${rowKindOf(x)}[${x.join(', ')}]`)), watermark: (wm: number) => log.push(`wm ${wm}`), end: () => log.push('end') } };
  };
  const roundTrip = (state: unknown) => parseState(stringifyState(state));

  it('Window Top-N: rows of open windows are in the snapshot; restored, the windows fire as they would have', () => {
    // Rows: [key, value, window_end (micros)]; top 2 by value descending per window and key; a window fires at its end − 1 ms.
    const make = (out: ReturnType<typeof collect>['out']) => new WindowRankOperator(out, { metric: () => {}, now: () => 0 }, [2, 0], [{ index: 1, descending: true, nullsFirst: false }], 'ROW_NUMBER', 2, 2);
    const rows: Row[] = [['a', 1, 10_000], ['a', 5, 10_000], ['b', 7, 10_000], ['a', 3, 20_000], ['a', 9, 20_000], ['a', 4, 20_000]];
    const straight = collect();
    const op = make(straight.out);
    op.process(rows.slice(0, 4), 0);
    const state = roundTrip(op.snapshot());
    op.process(rows.slice(4), 0);
    op.watermark(9_000, 0);
    op.watermark(19_000, 0);
    const restored = collect();
    const again = make(restored.out);
    again.restore(state);
    again.process(rows.slice(4), 0);
    again.watermark(9_000, 0);
    again.watermark(19_000, 0);
    expect(straight.log).toEqual(['+I[a, 5, 10000, 1]', '+I[a, 1, 10000, 2]', '+I[b, 7, 10000, 1]', 'wm 9000', '+I[a, 9, 20000, 1]', '+I[a, 4, 20000, 2]', 'wm 19000']);
    expect(restored.log).toEqual(straight.log);
  });

  for (const keepLast of [false, true]) {
    it(`deduplication keeping the ${keepLast ? 'last' : 'first'} row: the kept row per key is in the snapshot`, () => {
      const make = (out: ReturnType<typeof collect>['out']) => new RankOperator(out, { metric: () => {}, now: () => 0 }, [0], [{ index: 1, descending: keepLast, nullsFirst: false }], 1, true, keepLast);
      const first = collect();
      const op = make(first.out);
      op.process([['a', 1], ['b', 2]], 0);
      const state = roundTrip(op.snapshot());
      const restored = collect();
      const again = make(restored.out);
      again.restore(state);
      again.process([['a', 3], ['c', 4]], 0);
      expect(first.log).toEqual(['+I[a, 1, 1]', '+I[b, 2, 1]']);
      expect(restored.log).toEqual(keepLast ? ['-U[a, 1, 1]', '+U[a, 3, 1]', '+I[c, 4, 1]'] : ['+I[c, 4, 1]']);
    });
  }

  it('deduplication: a key restored from a checkpoint still expires under table.exec.state.ttl', () => {
    let now = 0;
    const make = (out: ReturnType<typeof collect>['out']) => new RankOperator(out, { metric: () => {}, now: () => now, stateTtl: 1000 }, [0], [{ index: 1, descending: false, nullsFirst: false }], 1, true, false);
    const op = make(collect().out);
    op.process([['a', 1]], 0);
    const state = roundTrip(op.snapshot());
    const restored = collect();
    const again = make(restored.out);
    now = 100;
    again.restore(state);
    now = 1500; // a idle since the restore at 100: 1400 > 1000
    again.onProcessingTime(now);
    again.process([['a', 2]], 0);
    expect(restored.log).toEqual(['+I[a, 2, 1]']);
  });
});
