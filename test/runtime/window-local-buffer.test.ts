// Floating-point sums of a streaming window aggregation added in the order of Flink's local window
// phase (flinkLocalBuffer): partial sums cut where a watermark inside a batch (RowWatermarks)
// passes the end of the oldest slice buffered. Checked against Flink by
// test/difftest/cases/window-double-sum-order.sql; here the operators alone.
import { describe, expect, it } from 'vitest';
import type { Row } from '../../src/common/types.js';
import { parseTimestamp } from '../../src/common/time.js';
import type { AggCall, WindowSpec } from '../../src/planner/physical.js';
import { WindowAggregateOperator, flinkLocalBuffer } from '../../src/runtime/operators/window.js';
import { CalcOperator, rowWatermarksOf, withRowWatermarks, type Output } from '../../src/runtime/operators/operator.js';
import { stringifyState } from '../../src/runtime/checkpoint-store.js';

const ts = (s: string) => parseTimestamp(`2024-01-01 ${s}`)!;
const MIN = 60_000_000;
const SEC = 1_000_000;
const TS3 = { kind: 'TIMESTAMP', precision: 3, nullable: false } as const;
const DOUBLE = { kind: 'DOUBLE', nullable: true } as const;
const sum: AggCall = { fn: 'SUM', args: [1], argTypes: [DOUBLE], distinct: false, type: DOUBLE, name: 's' };
const tumble: WindowSpec = { kind: 'TUMBLE', timeIndex: 0, eventTime: true, size: 90 * MIN, offset: 0, partitionKeys: [], boundType: TS3 };

/** Seed 6's rows: [ts, x]; the watermark is ts − 1 s. */
const ROWS: Row[] = [
  [ts('13:03:00.107'), 0.5],
  [ts('13:30:00.230'), 1.8],
  [ts('13:57:00.353'), null],
  [ts('14:04:00.476'), 1.0],
  [ts('14:31:00.599'), -1.0],
  [ts('14:58:00.722'), 0.3],
  [ts('15:10:00.000'), 0.0],
];

/** The watermarks Flink's assigner emits after each of ROWS (each moves it on by minutes). */
const marks = (rows: Row[]) => withRowWatermarks(rows.slice(), { after: rows.map((_, i) => i + 1), wm: rows.map((r) => (r[0] as number) - SEC) });

function run(batch: Row[], rowWatermarks: boolean): Map<number, unknown> {
  const got = new Map<number, unknown>();
  const out: Output = { emit: (rows) => rows.forEach((r) => got.set(r[0] as number, r[3])), watermark: () => {}, end: () => {} };
  const op = new WindowAggregateOperator(out, { metric: () => {}, now: () => 0 }, tumble, [], [sum], 'single', flinkLocalBuffer(tumble, [sum]));
  if (rowWatermarks) op.readRowWatermarks();
  op.process(batch, 0);
  op.watermark(ts('15:09:59'), 0);
  op.endInput(0);
  return got;
}

describe("Flink's local window buffer", () => {
  it('cuts the partial sums where a watermark inside the batch passes the oldest buffered slice', () => {
    // Row 3's watermark (13:56:59) passes 13:30, the end of row 1's window: 1.8 + (1.0 - 1.0 + 0.3).
    expect(run(marks(ROWS), true).get(ts('13:30:00'))).toBe(2.1);
  });

  it('without watermarks inside the batch adds the rows in arrival order', () => {
    expect(run(marks(ROWS), false).get(ts('13:30:00'))).toBe(2.0999999999999996);
    expect(run(ROWS.slice(), true).get(ts('13:30:00'))).toBe(2.0999999999999996);
  });

  it('applies to FLOAT/DOUBLE sums of event-time windows only', () => {
    const bigint = { kind: 'BIGINT', nullable: true } as const;
    expect(flinkLocalBuffer(tumble, [sum])).toBe(90 * MIN);
    expect(flinkLocalBuffer(tumble, [{ ...sum, argTypes: [bigint], type: bigint }])).toBeUndefined();
    expect(flinkLocalBuffer({ ...tumble, eventTime: false }, [sum])).toBeUndefined();
    expect(flinkLocalBuffer({ ...tumble, kind: 'CUMULATE', slide: 30 * MIN }, [sum])).toBe(30 * MIN);
    expect(flinkLocalBuffer(tumble, [sum, { ...sum, fn: 'LISTAGG' }])).toBeUndefined();
    expect(flinkLocalBuffer(tumble, [sum, { ...sum, distinct: true }])).toBe(90 * MIN);
    expect(flinkLocalBuffer(tumble, [{ ...sum, distinct: true }])).toBeUndefined();
  });

  it('a filter keeps the watermark of a row it drops, before the next row it keeps', () => {
    let got: Row[] = [];
    const out: Output = { emit: (rows) => void (got = rows), watermark: () => {}, end: () => {} };
    const calc = new CalcOperator(out, { metric: () => {}, now: () => 0 }, (rows) => rows.filter((r) => r[1] !== null));
    calc.process(withRowWatermarks(ROWS.slice(0, 4), { after: [2, 3], wm: [1, 2] }), 0);
    expect(got.map((r) => r[1])).toEqual([0.5, 1.8, 1.0]);
    expect(rowWatermarksOf(got)).toEqual({ after: [2, 2], wm: [1, 2] });
  });

  it('a snapshot holds the partial sums merged, as Flink flushes its buffer at a checkpoint', () => {
    const got = new Map<number, unknown>();
    const out: Output = { emit: (rows) => rows.forEach((r) => got.set(r[0] as number, r[3])), watermark: () => {}, end: () => {} };
    const ctx = { metric: () => {}, now: () => 0 };
    const a = new WindowAggregateOperator(out, ctx, tumble, [], [sum], 'single', flinkLocalBuffer(tumble, [sum]));
    a.process([[ts('13:30:00'), 0.1]], 0);
    const state = JSON.parse(stringifyState(a.snapshot()));
    const b = new WindowAggregateOperator(out, ctx, tumble, [], [sum], 'single', flinkLocalBuffer(tumble, [sum]));
    b.restore(state);
    b.process([[ts('13:31:00'), 0.2], [ts('13:32:00'), 0.3]], 0);
    b.endInput(0);
    // 0.1 + (0.2 + 0.3); the rows in arrival order give 0.6000000000000001.
    expect(got.get(ts('13:30:00'))).toBe(0.6);
  });
});
