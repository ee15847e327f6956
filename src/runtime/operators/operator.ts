// Push-based operators: rows arrive in batches, watermarks between batches. Everything here is
// synchronous; the job loop owns the asynchronous edges (source polls, sink writes).
import type { Row } from '../../common/types.js';
import type { ColumnBatch } from '../columnar/batch.js';

/** Where an operator sends its output. */
export interface Output {
  emit(rows: Row[]): void;
  /**
   * Present when the receiver reads columnar batches (an operator with processBatch): insert-only
   * rows as columns. A sender without batches, or whose receiver lacks this, emits rows. The batch
   * is lent for the call: the receiver keeps no reference to its vectors afterwards (it copies what
   * it keeps), so the sender may reuse their arrays (SourceBatch.release).
   */
  emitBatch?(batch: ColumnBatch): void;
  /** With emitBatch: the input columns the receiver reads (the others may arrive NULL). */
  columnsRead?: ReadonlySet<number>;
  watermark(wm: number): void;
  /** No more input will come (bounded inputs ended). */
  end(): void;
}

/**
 * Where, inside a batch, Flink's WatermarkAssignerOperator would have emitted a watermark: after the
 * first `after[k]` rows of the batch, `wm[k]` (ascending both). tsstream's sources emit watermarks
 * between batches only; a source asked for these (SourceDriver.rowWatermarks) attaches them to the
 * batches it emits, a Calc keeps them (a row it drops still moved the watermark on), and a window
 * aggregation that follows Flink's local buffer (flinkLocalBuffer) flushes at them. Any other
 * operator drops them (its output is a new array).
 */
export interface RowWatermarks {
  after: number[];
  wm: number[];
}

const ROW_WATERMARKS = Symbol('rowWatermarks');

export function rowWatermarksOf(rows: Row[]): RowWatermarks | undefined {
  return (rows as { [ROW_WATERMARKS]?: RowWatermarks })[ROW_WATERMARKS];
}

export function withRowWatermarks(rows: Row[], marks: RowWatermarks): Row[] {
  (rows as { [ROW_WATERMARKS]?: RowWatermarks })[ROW_WATERMARKS] = marks;
  return rows;
}

export interface OperatorContext {
  /** Count a metric (e.g. late-records-dropped). */
  metric(name: string, delta: number): void;
  /** Processing time in micros. */
  now(): number;
  /** `table.exec.state.ttl` in micros: unbounded streaming state idle this long is dropped (0 = kept forever). */
  stateTtl?: number;
  /**
   * `table.exec.mini-batch.enabled` with its `allow-latency` (micros) and `size` (rows): GROUP BY
   * aggregations emit each group's net change once per mini-batch instead of once per row.
   */
  miniBatch?: { latency: number; size: number };
  /** `table.local-time-zone` (windows over a plain TIMESTAMP_LTZ column in batch mode are local). */
  localTimeZone?: string;
}

/** What a checkpoint asks of an operator's snapshot. */
export interface SnapshotOptions {
  /** The previous snapshot of this operator completed (is durable): a delta over it may be returned. */
  incremental?: boolean;
  /** Fewest open groups for which a delta is written (smaller state is written whole). */
  minGroups?: number;
}

export abstract class Operator {
  private readonly inputWatermarks: number[];
  private readonly inputEnded: boolean[];
  private current = -Infinity;

  constructor(
    protected readonly out: Output,
    protected readonly ctx: OperatorContext,
    inputs = 1,
  ) {
    this.inputWatermarks = new Array(inputs).fill(-Infinity);
    this.inputEnded = new Array(inputs).fill(false);
  }

  abstract process(rows: Row[], input: number): void;

  /** Called by the job loop with the processing time (micros): timers, state expiry. */
  onProcessingTime(_now: number): void {}

  /** The combined watermark advanced (minimum over inputs). */
  protected onWatermark(wm: number): void {
    this.out.watermark(wm);
  }

  /** Every input ended. */
  protected onEnd(): void {
    this.out.end();
  }

  get currentWatermark(): number {
    return this.current;
  }

  watermark(wm: number, input: number): void {
    if (wm <= this.inputWatermarks[input]) return;
    this.inputWatermarks[input] = wm;
    let min = Infinity;
    for (const w of this.inputWatermarks) if (w < min) min = w;
    if (min > this.current) {
      this.current = min;
      this.onWatermark(min);
    }
  }

  endInput(input: number): void {
    if (this.inputEnded[input]) return;
    this.inputEnded[input] = true;
    if (this.inputEnded.every(Boolean)) this.onEnd();
  }

  /**
   * Operator state for a checkpoint (JSON). With `incremental` an operator may return a delta
   * (`{ delta: true, … }`) holding only what changed since its previous snapshot; the checkpoint
   * store hands such a state back to restore() with the earlier one as its `prior`.
   */
  snapshot(_opts?: SnapshotOptions): unknown {
    return { wm: this.inputWatermarks.map((w) => (Number.isFinite(w) ? w : null)) };
  }

  restore(state: unknown): void {
    const s = state as { wm?: (number | null)[] } | undefined;
    if (!s?.wm) return;
    s.wm.forEach((w, i) => {
      if (w !== null && i < this.inputWatermarks.length) this.inputWatermarks[i] = w;
    });
    this.current = Math.min(...this.inputWatermarks);
  }
}

/** Filter and/or projection, one generated loop per batch. */
export class CalcOperator extends Operator {
  constructor(out: Output, ctx: OperatorContext, private readonly step: (rows: Row[]) => Row[]) {
    super(out, ctx);
  }

  process(rows: Row[], _input = 0): void {
    const marks = rowWatermarksOf(rows);
    if (marks !== undefined) return this.processMarked(rows, marks);
    const res = this.step(rows);
    if (res.length > 0) this.out.emit(res);
  }

  /** A batch with watermarks inside (RowWatermarks): each run of rows between two of them filtered on its own, the marks moved onto the rows kept. */
  private processMarked(rows: Row[], marks: RowWatermarks): void {
    const out: Row[] = [];
    const after: number[] = [];
    let lo = 0;
    for (let k = 0; k <= marks.after.length; k++) {
      const hi = k < marks.after.length ? marks.after[k] : rows.length;
      if (hi > lo) for (const r of this.step(rows.slice(lo, hi))) out.push(r);
      if (k < marks.after.length) after.push(out.length);
      lo = hi;
    }
    this.out.emit(withRowWatermarks(out, { after, wm: marks.wm }));
  }
}

/** Each row once per projection (GROUPING SETS), each keeping the row's kind. */
export class ExpandOperator extends Operator {
  constructor(out: Output, ctx: OperatorContext, private readonly steps: ((rows: Row[]) => Row[])[]) {
    super(out, ctx);
  }

  process(rows: Row[], _input = 0): void {
    const out: Row[] = [];
    for (const step of this.steps) for (const r of step(rows)) out.push(r);
    if (out.length) this.out.emit(out);
  }
}

/** INTERSECT ALL / EXCEPT ALL: each row (its last column a count) that many times without the count, keeping its kind. */
export class ReplicateRowsOperator extends Operator {
  process(rows: Row[], _input = 0): void {
    const out: Row[] = [];
    for (const r of rows) {
      const n = Number(r[r.length - 1]);
      const kind = (r as { rowKind?: string }).rowKind;
      for (let i = 0; i < n; i++) {
        const o = r.slice(0, r.length - 1);
        if (kind !== undefined) (o as { rowKind?: string }).rowKind = kind;
        out.push(o);
      }
    }
    if (out.length) this.out.emit(out);
  }
}

/**
 * CROSS JOIN UNNEST: each row followed by each element of its collection: an array element (a ROW
 * element's fields as columns), a map entry (key, value), then the ordinality (from 1) when asked.
 * `outer` (LEFT JOIN … ON TRUE) keeps a row with NULLs when the collection is NULL or empty.
 */
export class UnnestOperator extends Operator {
  constructor(
    out: Output,
    ctx: OperatorContext,
    private readonly collection: (row: Row) => unknown,
    private readonly map: boolean,
    private readonly rowElements: boolean,
    private readonly ordinality: boolean,
    private readonly outer: boolean,
    private readonly width: number,
  ) {
    super(out, ctx);
  }

  process(rows: Row[], _input = 0): void {
    const out: Row[] = [];
    for (const r of rows) {
      const kind = (r as { rowKind?: string }).rowKind;
      const push = (extra: unknown[]) => {
        const o = [...r, ...extra];
        if (kind !== undefined) (o as { rowKind?: string }).rowKind = kind;
        out.push(o);
      };
      const c = this.collection(r);
      let n = 0;
      if (this.map && c instanceof Map) {
        for (const [k, v] of c) push(this.ordinality ? [k, v, ++n] : [k, v]);
      } else if (Array.isArray(c)) {
        for (const el of c) {
          const cols = this.rowElements ? (Array.isArray(el) ? el : new Array(this.width - (this.ordinality ? 1 : 0)).fill(null)) : [el];
          push(this.ordinality ? [...cols, ++n] : cols);
        }
      }
      if (n === 0 && this.outer && !(Array.isArray(c) && c.length > 0) && !(c instanceof Map && c.size > 0)) push(new Array(this.width).fill(null));
    }
    if (out.length) this.out.emit(out);
  }
}

/** UNION ALL: passes every input through; the watermark is the minimum over inputs. */
export class UnionOperator extends Operator {
  process(rows: Row[], _input = 0): void {
    if (rows.length > 0) this.out.emit(rows);
  }
}

/** Emits constant rows once, then ends. */
export function emitValues(out: Output, rows: Row[]): void {
  if (rows.length) out.emit(rows);
  out.watermark(Infinity);
  out.end();
}

/**
 * State expiry for `table.exec.state.ttl`: says when a sweep is due (every quarter of the TTL)
 * and whether an entry last touched at `at` has expired.
 */
export class StateTtl {
  private lastSweep = 0;
  constructor(readonly ttl: number) {}
  get enabled(): boolean {
    return this.ttl > 0;
  }
  due(now: number): boolean {
    if (this.ttl <= 0 || now - this.lastSweep < this.ttl / 4) return false;
    this.lastSweep = now;
    return true;
  }
  expired(at: number, now: number): boolean {
    return now - at > this.ttl;
  }
}
