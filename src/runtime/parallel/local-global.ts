// A window aggregation of a keyed parallel job in two phases around the exchange (Flink's
// local-global aggregation, `table.optimizer.agg-phase-strategy` TWO_PHASE): each worker
// pre-aggregates its own rows per window and key (local phase, the rows of the window TVF never
// leave the worker); when its watermark passes a window it sends one partial row per group
// ([start, end, keys, accumulators, rows]) through the exchange to the worker owning the key, which
// merges the partials (global phase, its watermark the minimum over the senders) and fires the
// windows. Far fewer rows cross the exchange, and a window aggregation without key (q7's) is no
// longer all done by one worker. One operator for the plan's node, so that a checkpoint holds the
// same operators at every parallelism: its state is both phases' ({ local, global }); restored from
// a one-phase state (parallelism 1), that goes to the global phase.
import type { Row } from '../../common/types.js';
import type { ColumnBatch } from '../columnar/batch.js';
import { Operator, type Output, type OperatorContext } from '../operators/operator.js';
import type { WindowAggregateOperator } from '../operators/window.js';
import type { ColumnarWindowAggregateOperator } from '../columnar/window-agg.js';
import { keyGroupOf } from './exchange.js';

/** The key group of a partial row: its keys (position 2) hashed as the one-phase rows' group keys are. */
export function partialKeyGroup(width: number): (row: Row) => number {
  const idx = Array.from({ length: width }, (_, i) => i);
  return (row) => keyGroupOf(row[2] as Row, idx);
}

export class LocalGlobalWindowAggregate extends Operator {
  constructor(
    out: Output,
    ctx: OperatorContext,
    private readonly local: WindowAggregateOperator | ColumnarWindowAggregateOperator,
    private readonly global: WindowAggregateOperator,
  ) {
    super(out, ctx);
  }

  process(rows: Row[], input = 0): void {
    this.local.process(rows, input);
  }

  /** Columnar batches go to a columnar local phase. */
  get processBatch(): ((b: ColumnBatch, input?: number) => void) | undefined {
    const l = this.local as ColumnarWindowAggregateOperator;
    return typeof l.processBatch === 'function' ? (b, input = 0) => l.processBatch(b, input) : undefined;
  }

  get columnsRead(): ReadonlySet<number> | undefined {
    return (this.local as ColumnarWindowAggregateOperator).columnsRead;
  }

  override watermark(wm: number, input: number): void {
    this.local.watermark(wm, input);
  }

  override endInput(input: number): void {
    this.local.endInput(input);
  }

  override onProcessingTime(now: number): void {
    this.local.onProcessingTime(now);
    this.global.onProcessingTime(now);
  }

  override get currentWatermark(): number {
    return this.global.currentWatermark;
  }

  openWindows(): number {
    return this.global.openWindows();
  }

  override snapshot(): unknown {
    return { local: this.local.snapshot(), global: this.global.snapshot() };
  }

  override restore(state: unknown): void {
    const s = state as { local?: unknown; global?: unknown } | undefined;
    if (s && typeof s === 'object' && 'global' in s) {
      this.local.restore(s.local);
      this.global.restore(s.global);
    } else this.global.restore(state);
  }
}
