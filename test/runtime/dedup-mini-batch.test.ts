// Mini-batch of the streaming deduplication by processing time (ROW_NUMBER() … = 1 ordered by a
// proctime; table.exec.mini-batch.*): each key emits once per batch (+I, or -U/+U of the row it
// kept before), the batch ending on size, allow-latency, watermark and end of input, and an open
// batch carried across a checkpoint. By rowtime the changelog is the one without mini-batch.
// Flink's results for the same options: test/difftest/cases/mini-batch.sql.
import { describe, expect, it } from 'vitest';
import { rowKindOf, type Row } from '../../src/common/types.js';
import { RankOperator } from '../../src/runtime/operators/batch.js';
import { parseState, stringifyState } from '../../src/runtime/checkpoint-store.js';

// Rows (k, v, t); partitioned by k, ordered by t (index 2).
function make(keepLast: boolean, clock: { now: number }, rowtime?: number) {
  const out: string[] = [];
  const op = new RankOperator(
    { emit: (rows: Row[]) => out.push(...rows.map((r) => `${rowKindOf(r)} ${r.join(',')}`)), watermark: () => out.push('wm'), end: () => out.push('end') },
    { metric: () => {}, now: () => clock.now, miniBatch: { latency: 1000, size: 3 } },
    [0], [{ index: 2, descending: keepLast, nullsFirst: !keepLast }], 1, true, keepLast, 'ROW_NUMBER', rowtime,
  );
  return { op, out };
}

describe('deduplication with mini-batch', () => {
  it('keep-last by proctime emits each key once per batch, across a checkpoint', () => {
    const clock = { now: 0 };
    const first = make(true, clock);
    first.op.process([['a', 1, 0], ['a', 2, 0], ['b', 1, 0]], 0); // size 3: the batch ends
    expect(first.out).toEqual(['+I a,2,0,1', '+I b,1,0,1']);
    first.out.length = 0;
    first.op.process([['a', 3, 0], ['a', 4, 0]], 0); // open batch, checkpointed
    expect(first.out).toEqual([]);
    clock.now = 500;
    const second = make(true, clock);
    second.op.restore(parseState(stringifyState(first.op.snapshot())));
    clock.now = 1000;
    second.op.onProcessingTime(clock.now); // allow-latency from the restore: not yet
    expect(second.out).toEqual([]);
    clock.now = 1500;
    second.op.onProcessingTime(clock.now);
    expect(second.out).toEqual(['-U a,2,0,1', '+U a,4,0,1']);
    second.out.length = 0;
    second.op.process([['b', 2, 0]], 0);
    second.op.watermark(5, 0);
    expect(second.out).toEqual(['-U b,1,0,1', '+U b,2,0,1', 'wm']);
  });

  it('keep-first by proctime emits a key\'s first row when its batch ends, once', () => {
    const clock = { now: 0 };
    const h = make(false, clock);
    h.op.process([['a', 1, 0], ['a', 2, 0]], 0);
    expect(h.out).toEqual([]);
    h.op.endInput(0);
    expect(h.out).toEqual(['+I a,1,0,1', 'end']);
  });

  it('by rowtime emits every replacement at once, as without mini-batch', () => {
    const clock = { now: 0 };
    const h = make(true, clock, 2);
    h.op.process([['a', 1, 10], ['a', 2, 20], ['a', 3, 5]], 0);
    expect(h.out).toEqual(['+I a,1,10,1', '-U a,1,10,1', '+U a,2,20,1']);
  });
});
