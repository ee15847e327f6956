// The streaming semi/anti join operator: its changelog, its state through a checkpoint, and
// table.exec.state.ttl.
import { describe, expect, it } from 'vitest';
import { rowKindOf, setRowKind, type Row } from '../../src/common/types.js';
import { MarkJoinOperator, SemiAntiJoinOperator, WindowSemiJoinOperator } from '../../src/runtime/operators/semi-join.js';
import type { OperatorContext, Output } from '../../src/runtime/operators/operator.js';

function harness(anti: boolean, ttl = 0, clock = { now: 0 }) {
  const out: string[] = [];
  const output: Output = { emit: (rows: Row[]) => out.push(...rows.map((r) => `${rowKindOf(r)}${JSON.stringify(r)}`)), watermark() {}, end() {} };
  const ctx: OperatorContext = { metric() {}, now: () => clock.now, stateTtl: ttl };
  // left (k, v), right (k): joined on k.
  const op = new SemiAntiJoinOperator(output, ctx, anti, [0], [0], 2, 1, undefined, true);
  return { op, out, ctx, output };
}

describe('streaming semi and anti joins', () => {
  it('a semi join emits a left row at its first match and retracts it when the last match goes', () => {
    const { op, out } = harness(false);
    op.process([['a', 1], ['b', 2]], 0);
    op.process([['a'], ['a']], 1);
    op.process([setRowKind(['a'], '-D')], 1);
    op.process([setRowKind(['a'], '-D')], 1);
    expect(out).toEqual(['+I["a",1]', '-D["a",1]']);
  });

  it('an anti join keeps its state through a checkpoint', () => {
    const first = harness(true);
    first.op.process([['a', 1], ['b', 2]], 0);
    first.op.process([['a']], 1);
    expect(first.out).toEqual(['+I["a",1]', '+I["b",2]', '-D["a",1]']);
    const state = JSON.parse(JSON.stringify(first.op.snapshot()));
    const second = harness(true);
    second.op.restore(state);
    second.op.process([['b']], 1);
    second.op.process([setRowKind(['a'], '-D')], 1);
    expect(second.out).toEqual(['-D["b",2]', '+I["a",1]']);
  });

  it('forgets rows idle longer than table.exec.state.ttl', () => {
    const clock = { now: 0 };
    const { op, out } = harness(false, 1000, clock);
    op.process([['a', 1]], 0);
    clock.now = 5000;
    op.onProcessingTime(5000);
    op.process([['a']], 1);
    expect(out).toEqual([]);
  });

  it('a mark join (x IN (…) as a value) answers TRUE, FALSE or NULL and updates its answer through a checkpoint', () => {
    const out: string[] = [];
    const output: Output = { emit: (rows: Row[]) => out.push(...rows.map((r) => `${rowKindOf(r)}${JSON.stringify(r)}`)), watermark() {}, end() {} };
    const ctx: OperatorContext = { metric() {}, now: () => 0 };
    // left (x), right (y): x IN (SELECT y …), no correlation.
    const make = () => new MarkJoinOperator(output, ctx, [], [], 1, 1, undefined, { left: 0, right: 0, equal: (j) => j[0] === j[1] }, true);
    const op = make();
    op.process([[1], [null]], 0);
    op.process([[2]], 1);
    op.process([[1]], 1);
    const restored = make();
    restored.restore(JSON.parse(JSON.stringify(op.snapshot())));
    restored.process([[null]], 1);
    restored.process([[3]], 0);
    expect(out).toEqual(['+I[1,false]', '+I[null,false]', '-U[null,false]', '+U[null,null]', '-U[1,false]', '+U[1,true]', '+I[3,null]']);
  });

  it('NOT IN counts matches from its key index: NULL on either side matches, through a checkpoint', () => {
    const out: string[] = [];
    const output: Output = { emit: (rows: Row[]) => out.push(...rows.map((r) => `${rowKindOf(r)}${JSON.stringify(r)}`)), watermark() {}, end() {} };
    const ctx: OperatorContext = { metric() {}, now: () => 0 };
    const make = () => new SemiAntiJoinOperator(output, ctx, true, [], [], 1, 1, () => {
      throw new Error('the index answers, no scan');
    }, true, [0, 0]);
    const op = make();
    op.process([[1], [2], [null]], 0);
    op.process([[1]], 1);
    const restored = make();
    restored.restore(JSON.parse(JSON.stringify(op.snapshot())));
    restored.process([[3]], 0);
    restored.process([setRowKind([1], '-D')], 1);
    expect(out).toEqual(['+I[1]', '+I[2]', '+I[null]', '-D[1]', '-D[null]', '+I[3]', '+I[1]', '+I[null]']);
  });
});

describe('window semi and anti joins', () => {
  // left (k, v, window_end), right (k, window_end): joined on k and window_end.
  function windowHarness(anti: boolean) {
    const out: string[] = [];
    const marks: number[] = [];
    const output: Output = { emit: (rows: Row[]) => out.push(...rows.map((r) => `${rowKindOf(r)}${JSON.stringify(r)}`)), watermark: (wm) => marks.push(wm), end() {} };
    const ctx: OperatorContext = { metric() {}, now: () => 0, stateTtl: 1 };
    const op = new WindowSemiJoinOperator(output, ctx, anti, [0, 2], [0, 1], [2, 1], undefined);
    return { op, out, marks };
  }

  it('emits a window\'s left rows with a match, insert-only, once the watermark reaches window_end − 1 ms (micros here), and frees its state', () => {
    const { op, out, marks } = windowHarness(false);
    op.process([['a', 1, 60_000], ['b', 2, 60_000], ['a', 3, 120_000]], 0);
    op.process([['a', 60_000], ['a', 60_000], ['b', 120_000]], 1);
    op.watermark(58_999, 0);
    op.watermark(58_999, 1);
    expect(out).toEqual([]);
    op.watermark(59_000, 0);
    op.watermark(59_000, 1);
    expect(out).toEqual(['+I["a",1,60000]']);
    expect(marks).toEqual([58_999, 59_000]);
    expect(op.stateSize()).toEqual({ windows: 1, rows: 2 });
    // A row of the fired window is late: dropped.
    op.process([['b', 9, 60_000]], 1);
    op.process([['a', 9, 60_000]], 0);
    expect(op.stateSize()).toEqual({ windows: 1, rows: 2 });
    op.endInput(0);
    op.endInput(1);
    expect(out).toEqual(['+I["a",1,60000]']);
    expect(op.stateSize()).toEqual({ windows: 0, rows: 0 });
  });

  it('an anti join keeps its open windows through a checkpoint and ignores table.exec.state.ttl', () => {
    const first = windowHarness(true);
    first.op.process([['a', 1, 60_000], ['b', 2, 60_000]], 0);
    first.op.process([['a', 60_000]], 1);
    first.op.onProcessingTime(1e9);
    const state = JSON.parse(JSON.stringify(first.op.snapshot()));
    expect(first.out).toEqual([]);
    const second = windowHarness(true);
    second.op.restore(state);
    expect(second.op.stateSize()).toEqual({ windows: 1, rows: 3 });
    second.op.process([['c', 3, 60_000]], 0);
    second.op.watermark(100_000, 0);
    second.op.watermark(100_000, 1);
    expect(second.out.sort()).toEqual(['+I["b",2,60000]', '+I["c",3,60000]']);
  });
});
