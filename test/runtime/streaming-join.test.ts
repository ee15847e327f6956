// The regular streaming join operator's state: outer-side match counts and TTL times kept beside
// the stored rows, through a checkpoint (the checkpoint format is one entry per row).
import { describe, expect, it } from 'vitest';
import { rowKindOf, setRowKind, type Row } from '../../src/common/types.js';
import { StreamingJoinOperator } from '../../src/runtime/operators/batch.js';
import type { OperatorContext, Output } from '../../src/runtime/operators/operator.js';

function harness(joinType: 'INNER' | 'LEFT' | 'FULL', ttl = 0, clock = { now: 0 }) {
  const out: string[] = [];
  const output: Output = { emit: (rows: Row[]) => out.push(...rows.map((r) => `${rowKindOf(r)}${JSON.stringify(r)}`)), watermark() {}, end() {} };
  const ctx: OperatorContext = { metric() {}, now: () => clock.now, stateTtl: ttl };
  // left (k, v), right (k, w): joined on k.
  const op = new StreamingJoinOperator(output, ctx, joinType, [0], [0], 2, 2);
  return { op, out, clock };
}

describe('streaming regular join state', () => {
  it('a FULL join keeps each side\'s match counts through a checkpoint, in the one-entry-per-row format', () => {
    const first = harness('FULL');
    first.op.process([['a', 1], ['a', 2], ['b', 3]], 0);
    first.op.process([['a', 10]], 1);
    const state = JSON.parse(JSON.stringify(first.op.snapshot())) as { left: { row: Row; matches: number }[]; right: { row: Row; matches: number }[] };
    expect(state.left.map((e) => [e.row, e.matches])).toEqual([[['a', 1], 1], [['a', 2], 1], [['b', 3], 0]]);
    expect(state.right.map((e) => [e.row, e.matches])).toEqual([[['a', 10], 2]]);
    const second = harness('FULL');
    second.op.restore(state);
    // The right row goes: both left rows lose their only match and stand padded again.
    second.op.process([setRowKind(['a', 10], '-D')], 1);
    second.op.process([['b', 30]], 1);
    expect(second.out).toEqual([
      '-D["a",1,"a",10]',
      '+I["a",1,null,null]',
      '-D["a",2,"a",10]',
      '+I["a",2,null,null]',
      '-D["b",3,null,null]',
      '+I["b",3,"b",30]',
    ]);
  });

  it('forgets rows idle longer than table.exec.state.ttl, also after a restore', () => {
    const clock = { now: 0 };
    const first = harness('INNER', 1000, clock);
    first.op.process([['a', 1]], 0);
    clock.now = 600;
    first.op.process([['b', 2]], 0);
    const second = harness('INNER', 1000, clock);
    second.op.restore(JSON.parse(JSON.stringify(first.op.snapshot())));
    clock.now = 1500;
    second.op.onProcessingTime(clock.now);
    second.op.process([['a', 10], ['b', 20]], 1);
    expect(second.out).toEqual(['+I["b",2,"b",20]']);
  });

  it('a TTL sweep that drops some rows of a key keeps the others\' match counts beside them (LEFT join)', () => {
    const clock = { now: 0 };
    const h = harness('LEFT', 1000, clock);
    h.op.process([['a', 1]], 0);
    clock.now = 600;
    h.op.process([['a', 2]], 0);
    h.op.process([['a', 10]], 1);
    clock.now = 1500; // ['a', 1] expires, ['a', 2] and ['a', 10] stay
    h.op.onProcessingTime(clock.now);
    h.out.length = 0;
    h.op.process([setRowKind(['a', 10], '-D')], 1);
    expect(h.out).toEqual(['-D["a",2,"a",10]', '+I["a",2,null,null]']);
    const state = h.op.snapshot() as { left: { row: Row; matches: number; at: number }[] };
    expect(state.left.map((e) => [e.row, e.matches, e.at])).toEqual([[['a', 2], 0, 600]]);
  });
});
