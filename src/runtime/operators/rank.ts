// Streaming Top-N (ROW_NUMBER/RANK/DENSE_RANK … WHERE rn <= N) and Window Top-N. The regular
// Top-N keeps, per partition, the rows that can still rank (all rows over an updating input) and
// emits the difference between the top N before and after each batch as a changelog; Window
// Top-N holds a window's rows until the watermark passes its end, then emits its top N once.
import { rowKindOf, setRowKind, type Row } from '../../common/types.js';
import type { RankFunction, SortKey, WindowSpec } from '../../planner/physical.js';
import { rowComparator } from './batch.js';
import { isWindowFired, windowProgressOf } from './window.js';
import { groupKeyFn } from './aggregates.js';
import { Operator, StateTtl, type Output, type OperatorContext } from './operator.js';

/** Rank numbers of rows already sorted by `cmp` (ties share a rank for RANK and DENSE_RANK). */
export function rankNumbers(rows: Row[], cmp: (a: Row, b: Row) => number, fn: RankFunction): number[] {
  const out = new Array<number>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if (fn === 'ROW_NUMBER' || i === 0 || cmp(rows[i - 1], rows[i]) !== 0) out[i] = fn === 'DENSE_RANK' ? (i === 0 ? 1 : out[i - 1] + 1) : i + 1;
    else out[i] = out[i - 1];
  }
  return out;
}

/** Index at which `row` goes so that the list stays sorted and equal rows keep arrival order. */
function upperBound(list: Row[], row: Row, cmp: (a: Row, b: Row) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(list[mid], row) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const rowKey = (r: Row): string => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v instanceof Map ? [...v.entries()] : v));

/**
 * rowKey of a row kept in a Top-N partition, computed once per row: refresh() looks up the key of
 * every row of the top N after each batch that touches the partition (Nexmark q19: 10 per bid).
 * A kept row's values do not change (an updated row arrives as a new row).
 */
const keptKeys = new WeakMap<Row, string>();
function keptRowKey(r: Row): string {
  let k = keptKeys.get(r);
  if (k === undefined) keptKeys.set(r, (k = rowKey(r)));
  return k;
}

/** The identity of an output row: the kept row's key, and its rank number when that is output (a row's key ends with ']': the pair is unambiguous). */
const outputKey = (rowKeyOf: string, rank: number | undefined): string => (rank === undefined ? rowKeyOf : rowKeyOf + rank);

interface TopNPartition {
  /** Rows in rank order (equal rows in arrival order). */
  rows: Row[];
  /** What was last emitted for the partition: output rows by their identity. */
  emitted: Map<string, Row>;
  at: number;
}

/**
 * Top-N over an append-only or an updating input. Output: the input row plus its rank number
 * (when `outputRank`; otherwise the number is still filled in, at most N, but a row that only
 * changes rank is not re-emitted). A changelog: a row entering the top N is +I (or +U paired with
 * the -U of what it replaces when the rank number is output), a row leaving it -D.
 */
export class TopNOperator extends Operator {
  private readonly partitions = new Map<string, TopNPartition>();
  private readonly key: (row: Row) => string;
  private readonly cmp: (a: Row, b: Row) => number;
  private readonly ttl: StateTtl;

  constructor(
    out: Output,
    ctx: OperatorContext,
    partitionKeys: number[],
    orderKeys: SortKey[],
    private readonly fn: RankFunction,
    private readonly limit: number,
    private readonly outputRank: boolean,
    /** The input carries retractions: every row is kept (they may come back into the top N). */
    private readonly retracting: boolean,
  ) {
    super(out, ctx);
    this.key = groupKeyFn(partitionKeys);
    this.cmp = rowComparator(orderKeys);
    this.ttl = new StateTtl(ctx.stateTtl ?? 0);
  }

  /** table.exec.state.ttl: a partition untouched that long is forgotten (no retraction, as in Flink). */
  override onProcessingTime(now: number): void {
    if (!this.ttl.due(now)) return;
    for (const [k, p] of this.partitions) if (this.ttl.expired(p.at, now)) this.partitions.delete(k);
  }

  process(rows: Row[], _input = 0): void {
    const touched = new Set<string>();
    for (const r of rows) {
      const kind = rowKindOf(r);
      const k = this.key(r);
      let p = this.partitions.get(k);
      if (kind === '-U' || kind === '-D') {
        if (!p) continue; // a retraction of a row never seen (expired state)
        const id = rowKey(r);
        const i = p.rows.findIndex((x) => keptRowKey(x) === id);
        if (i >= 0) p.rows.splice(i, 1);
      } else {
        if (!p) this.partitions.set(k, (p = { rows: [], emitted: new Map(), at: 0 }));
        const row = kind === '+I' ? r : r.slice();
        p.rows.splice(upperBound(p.rows, row, this.cmp), 0, row);
      }
      if (this.ttl.enabled) p.at = this.ctx.now();
      touched.add(k);
    }
    const out: Row[] = [];
    for (const k of touched) this.refresh(k, out);
    if (out.length) this.out.emit(out);
  }

  /** Emits the difference between the partition's last output and its current top N. */
  private refresh(k: string, out: Row[]): void {
    const p = this.partitions.get(k)!;
    const ranks = rankNumbers(p.rows, this.cmp, this.fn);
    let n = 0;
    while (n < p.rows.length && ranks[n] <= this.limit) n++;
    // Over an append-only input a row past the top N never comes back: forget it.
    if (!this.retracting && n < p.rows.length) p.rows.length = n;
    const now = new Map<string, Row>();
    for (let i = 0; i < n; i++) {
      const row = [...p.rows[i], ranks[i]];
      now.set(outputKey(keptRowKey(p.rows[i]), this.outputRank ? ranks[i] : undefined), row);
    }
    const removed: Row[] = [];
    const added: Row[] = [];
    for (const [id, row] of p.emitted) if (!now.has(id)) removed.push(row);
    for (const [id, row] of now) if (!p.emitted.has(id)) added.push(row);
    if (this.outputRank) {
      // The same position changing hands is an update (-U/+U), as Flink's Top-N emits it.
      const pairs = Math.min(removed.length, added.length);
      for (let i = 0; i < removed.length; i++) out.push(setRowKind(removed[i].slice(), i < pairs ? '-U' : '-D'));
      for (let i = 0; i < added.length; i++) out.push(setRowKind(added[i], i < pairs ? '+U' : '+I'));
    } else {
      for (const r of removed) out.push(setRowKind(r.slice(), '-D'));
      for (const r of added) out.push(r);
    }
    if (this.outputRank) p.emitted = now;
    else {
      // Keep the row as first emitted (its rank number may since have moved; it is not re-sent).
      const kept = new Map<string, Row>();
      for (const [id, row] of now) kept.set(id, p.emitted.get(id) ?? row);
      p.emitted = kept;
    }
    if (p.rows.length === 0) this.partitions.delete(k);
  }

  override snapshot(): unknown {
    return { base: super.snapshot(), parts: [...this.partitions.values()].map((p) => [p.rows, [...p.emitted.values()]]) };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; parts: [Row[], Row[]][] };
    super.restore(s.base);
    for (const [rows, emitted] of s.parts ?? []) {
      if (!rows.length) continue;
      const e = new Map<string, Row>();
      for (const r of emitted) e.set(outputKey(rowKey(r.slice(0, -1)), this.outputRank ? (r[r.length - 1] as number) : undefined), r);
      this.partitions.set(this.key(rows[0]), { rows, emitted: e, at: this.ctx.now() });
    }
  }
}

/**
 * Window Top-N: rows of a window (a window TVF's rows or a window aggregation's results,
 * partitioned by at least window_start and window_end) wait until the watermark passes the
 * window's end; then the window's top N of each partition are emitted once, append-only.
 */
export class WindowRankOperator extends Operator {
  /** By window end (micros), then partition. */
  private readonly windows = new Map<number, Map<string, Row[]>>();
  private readonly key: (row: Row) => string;
  private readonly cmp: (a: Row, b: Row) => number;

  constructor(
    out: Output,
    ctx: OperatorContext,
    partitionKeys: number[],
    orderKeys: SortKey[],
    private readonly fn: RankFunction,
    private readonly limit: number,
    private readonly windowEnd: number,
    /** The input's window: a TIMESTAMP_LTZ one fires by the session time zone's wall clock (windowProgress). */
    window?: WindowSpec,
  ) {
    super(out, ctx);
    this.key = groupKeyFn(partitionKeys);
    this.cmp = rowComparator(orderKeys);
    this.progress = windowProgressOf(window, ctx);
  }

  private readonly progress: (instant: number) => number;

  process(rows: Row[], _input = 0): void {
    const wm = this.progress(this.currentWatermark);
    let late = 0;
    for (const r of rows) {
      const end = r[this.windowEnd] as number;
      if (isWindowFired(end, wm)) {
        late++;
        continue;
      }
      let w = this.windows.get(end);
      if (!w) this.windows.set(end, (w = new Map()));
      const k = this.key(r);
      const list = w.get(k);
      if (list) list.push(r);
      else w.set(k, [r]);
    }
    if (late) this.ctx.metric('late-records-dropped', late);
  }

  protected override onWatermark(wm: number): void {
    this.fire(this.progress(wm));
    this.out.watermark(wm);
  }

  protected override onEnd(): void {
    this.fire(Infinity);
    this.out.end();
  }

  private fire(wm: number): void {
    const ends = [...this.windows.keys()].filter((e) => isWindowFired(e, wm)).sort((a, b) => a - b);
    const out: Row[] = [];
    for (const end of ends) {
      for (const list of this.windows.get(end)!.values()) {
        // A stable sort: ties keep arrival order, as in Flink.
        list.sort(this.cmp);
        const ranks = rankNumbers(list, this.cmp, this.fn);
        for (let i = 0; i < list.length && ranks[i] <= this.limit; i++) out.push([...list[i], ranks[i]]);
      }
      this.windows.delete(end);
    }
    if (out.length) this.out.emit(out);
  }

  override snapshot(): unknown {
    return { base: super.snapshot(), rows: [...this.windows.values()].flatMap((w) => [...w.values()].flat()) };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; rows: Row[] };
    super.restore(s.base);
    // Re-adding goes through process() without dropping: the watermark restored is below their ends.
    for (const r of s.rows ?? []) {
      const end = r[this.windowEnd] as number;
      let w = this.windows.get(end);
      if (!w) this.windows.set(end, (w = new Map()));
      const k = this.key(r);
      const list = w.get(k);
      if (list) list.push(r);
      else w.set(k, [r]);
    }
  }
}

/**
 * Streaming ORDER BY a time attribute ascending. Event time: rows wait until the watermark passes
 * their time, then leave sorted by all keys (rows already behind the watermark are late and
 * dropped). Processing time: each batch leaves as it comes, sorted by the keys.
 */
export class TemporalSortOperator extends Operator {
  private pending: Row[] = [];
  private readonly cmp: (a: Row, b: Row) => number;
  private readonly time: number;

  constructor(out: Output, ctx: OperatorContext, keys: SortKey[], private readonly eventTime: boolean) {
    super(out, ctx);
    this.cmp = rowComparator(keys);
    this.time = keys[0].index;
  }

  process(rows: Row[], _input = 0): void {
    if (!this.eventTime) {
      if (rows.length) this.out.emit(rows.slice().sort(this.cmp));
      return;
    }
    const wm = this.currentWatermark;
    let late = 0;
    for (const r of rows) {
      const t = r[this.time] as number | null;
      if (t === null || t === undefined || t <= wm) late++;
      else this.pending.push(r);
    }
    if (late) this.ctx.metric('late-records-dropped', late);
  }

  protected override onWatermark(wm: number): void {
    this.flush(wm);
    this.out.watermark(wm);
  }

  protected override onEnd(): void {
    this.flush(Infinity);
    this.out.end();
  }

  private flush(wm: number): void {
    if (!this.pending.length) return;
    const ready: Row[] = [];
    const waiting: Row[] = [];
    for (const r of this.pending) ((r[this.time] as number) <= wm ? ready : waiting).push(r);
    this.pending = waiting;
    if (ready.length) this.out.emit(ready.sort(this.cmp));
  }

  override snapshot(): unknown {
    return { base: super.snapshot(), pending: this.pending };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; pending: Row[] };
    super.restore(s.base);
    this.pending = s.pending ?? [];
  }
}
