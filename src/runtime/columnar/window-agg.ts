// Window aggregation (TUMBLE / HOP / CUMULATE) over columnar batches and rows, with its state held
// as columns: a group is a slot, its accumulators are entries of typed arrays (a count and a sum or
// extreme per aggregate), its key values one array per key column, and each open window maps its
// keys to slots. A batch is aggregated without a row object: the window comes from the rowtime
// vector, a string key from its dictionary code (cached per window), a number key as itself.
//
// Results, emission order and checkpoints are those of WindowAggregateOperator (operators/window.ts):
// the same accumulation in the same order, groups of a window in first-seen order, and a snapshot
// in the same format (so a savepoint of either operator restores into the other). A value the
// typed arrays cannot hold exactly (a BIGINT sum passing 2^53, a bigint input) moves that one
// group's aggregate into the row operator's accumulator, loaded from the typed state, for the rest
// of the window. What this operator does not take (SESSION, DISTINCT, FILTER, other functions)
// stays with WindowAggregateOperator: see columnarWindowAggSupported.
import { isIntegral, isNumeric, isString, type Field, type LogicalType, type Row } from '../../common/types.js';
import type { AggCall, WindowSpec } from '../../planner/physical.js';
import type { Accumulator } from '../../functions/api.js';
import { getAggregateFunction } from '../../functions/registry.js';
import { fromJsonValue, toJsonValue } from '../../functions/aggregates.js';
import { divLong } from '../../common/exact.js';
import { JobError } from '../../common/errors.js';
import { SlicedState } from '../checkpoint-store.js';
import { Operator, type Output, type OperatorContext, type SnapshotOptions } from '../operators/operator.js';
import { groupKeyFn } from '../operators/aggregates.js';
import { assignWindows, cumulateFirstSlice, firingWindowEnds, isSliced, isWindowFired, lastWindowEnd, savedGroups, sliceLastWindowEnd, sliceTarget, windowStart, type SavedBlock, type WindowAggDelta, type WindowAggState, resolveWindowDelta } from '../operators/window.js';
import { toRows, type ColumnBatch, type Vector } from './batch.js';

const MAX_TS_OFFSET = 1000;
/** Result rows emitted at a time when windows fire. */
const FIRE_CHUNK = 4096;
/** Groups per block of columns in a checkpoint (one block is serialised at a time: ~1 ms). */
const SNAPSHOT_BLOCK = 4096;
/** Fewest open groups for which an incremental checkpoint writes a delta (SnapshotOptions.minGroups). */
const INCREMENTAL_MIN_GROUPS = 65_536;

type AggKind = 'count' | 'sum' | 'sumExact' | 'avg' | 'avgExact' | 'min' | 'max';

/** Types whose values are numbers (or a bigint beyond 2^53, which moves a group to the slow path). */
function numberLike(t: LogicalType): boolean {
  return isNumeric(t) || t.kind === 'DATE' || t.kind === 'TIME' || t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ';
}

function aggKind(c: AggCall): AggKind | undefined {
  if (c.distinct || c.filter !== undefined) return undefined;
  const t = c.argTypes[0];
  switch (c.fn) {
    case 'COUNT':
      return 'count';
    case 'SUM':
    case '$SUM0':
      // FLOAT sums are rounded to FLOAT at each addition: the row operator's SumFloat.
      if (c.args.length !== 1 || !isNumeric(t) || t.kind === 'FLOAT') return undefined;
      return t.kind === 'BIGINT' || t.kind === 'DECIMAL' ? 'sumExact' : 'sum';
    case 'AVG':
      if (c.args.length !== 1 || !isNumeric(t)) return undefined;
      return t.kind === 'BIGINT' || t.kind === 'DECIMAL' ? 'avgExact' : 'avg';
    case 'MIN':
    case 'MAX':
      if (c.args.length !== 1 || !numberLike(t)) return undefined;
      return c.fn === 'MIN' ? 'min' : 'max';
    default:
      return undefined;
  }
}

/** Whether ColumnarWindowAggregateOperator takes this window aggregation (else WindowAggregateOperator does). */
export function columnarWindowAggSupported(window: WindowSpec, aggs: AggCall[]): boolean {
  // SESSION windows merge; attached windows are read from the rows; a batch column other than
  // TIMESTAMP(3) is read through windowTimeColumn (the row operator does all three).
  if (window.kind === 'SESSION' || window.attached || window.timeType) return false;
  return aggs.every((a) => aggKind(a) !== undefined);
}

const WRAP: Partial<Record<string, (x: number) => number>> = {
  TINYINT: (x) => (x << 24) >> 24,
  SMALLINT: (x) => (x << 16) >> 16,
  INT: (x) => x | 0,
  FLOAT: Math.fround,
};

/** One aggregate call's state for every slot. */
class ColumnAgg {
  readonly kind: AggKind;
  /** Rows counted (COUNT's value; SUM/AVG's number of non-NULL inputs). */
  n: Float64Array;
  /** SUM/AVG: the sum; MIN/MAX: the extreme so far. */
  v: Float64Array;
  /** MIN/MAX: v holds a value. */
  has: Uint8Array;
  /** 1: this slot's state is the row operator's accumulator in `slow`. */
  isSlow: Uint8Array;
  readonly slow = new Map<number, Accumulator>();
  private readonly make: () => Accumulator;
  private readonly wrap?: (x: number) => number;
  private readonly intAvg: boolean;
  /** COUNT's argument column (-1: COUNT(*)); COUNT with several arguments counts rows where all are non-NULL. */
  readonly args: number[];
  readonly sum0: boolean;

  constructor(readonly call: AggCall, cap: number) {
    this.kind = aggKind(call)!;
    const def = getAggregateFunction(call.fn);
    if (!def) throw new JobError(`No implementation for aggregate function ${call.fn}`);
    this.make = def.create(call.argTypes, false);
    this.n = new Float64Array(cap);
    this.v = new Float64Array(cap);
    this.has = new Uint8Array(cap);
    this.isSlow = new Uint8Array(cap);
    this.args = call.args;
    this.sum0 = call.fn === '$SUM0';
    const t = call.argTypes[0];
    this.wrap = t !== undefined ? WRAP[t.kind] : undefined;
    this.intAvg = t !== undefined && isIntegral(t);
  }

  grow(cap: number): void {
    const g = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.n = g(this.n, (k) => new Float64Array(k));
    this.v = g(this.v, (k) => new Float64Array(k));
    this.has = g(this.has, (k) => new Uint8Array(k));
    this.isSlow = g(this.isSlow, (k) => new Uint8Array(k));
  }

  /** A copy of slots [lo, hi)'s state as it is now, slot s at s − lo (what a snapshot written later reads). */
  copy(lo: number, hi: number): ColumnAgg {
    const slow = new Map<number, Accumulator>();
    for (const [s, acc] of this.slow) {
      if (s < lo || s >= hi) continue;
      const x = this.make();
      x.load(acc.save());
      slow.set(s - lo, x);
    }
    return Object.assign(Object.create(ColumnAgg.prototype) as ColumnAgg, this, { n: this.n.slice(lo, hi), v: this.v.slice(lo, hi), has: this.has.slice(lo, hi), isSlow: this.isSlow.slice(lo, hi), slow });
  }

  reset(s: number): void {
    this.n[s] = 0;
    this.v[s] = this.kind === 'sum' ? -0 : 0; // the row operator's Sum starts at −0 (AVG at 0)
    this.has[s] = 0;
    if (this.isSlow[s] !== 0) {
      this.isSlow[s] = 0;
      this.slow.delete(s);
    }
  }

  /** Moves slot s to the row operator's accumulator (loaded from the typed state). */
  private promote(s: number): Accumulator {
    const acc = this.make();
    acc.load(this.save(s));
    this.slow.set(s, acc);
    this.isSlow[s] = 1;
    return acc;
  }

  /** The row operator's accumulator of slot s (a new one loaded from the typed state, or the slot's own). */
  private accumulator(s: number): Accumulator {
    if (this.isSlow[s] !== 0) return this.slow.get(s)!;
    const acc = this.make();
    acc.load(this.save(s));
    return acc;
  }

  /** Merges slot s's state into slot d's (as the row operator's Accumulator.merge). */
  mergeInto(d: number, s: number): void {
    if (this.isSlow[d] === 0 && this.isSlow[s] === 0) {
      switch (this.kind) {
        case 'count':
          this.n[d] += this.n[s];
          return;
        case 'sum':
        case 'avg':
          this.v[d] += this.v[s];
          this.n[d] += this.n[s];
          return;
        case 'sumExact':
        case 'avgExact': {
          const r = this.v[d] + this.v[s];
          if (Number.isSafeInteger(r)) {
            this.v[d] = r;
            this.n[d] += this.n[s];
            return;
          }
          break;
        }
        default:
          if (this.has[s] !== 0 && (this.has[d] === 0 || (this.kind === 'min' ? this.v[s] < this.v[d] : this.v[s] > this.v[d]))) {
            this.v[d] = this.v[s];
            this.has[d] = 1;
          }
          return;
      }
    }
    (this.isSlow[d] !== 0 ? this.slow.get(d)! : this.promote(d)).merge(this.accumulator(s));
  }

  /** Adds one non-NULL argument value x (COUNT(*): any value) to slot s. */
  add(s: number, x: unknown): void {
    if (this.isSlow[s] !== 0) {
      this.slow.get(s)!.add([x]);
      return;
    }
    switch (this.kind) {
      case 'count':
        this.n[s]++;
        return;
      case 'sum':
      case 'avg':
        if (typeof x === 'number') {
          this.v[s] += x;
          this.n[s]++;
          return;
        }
        break;
      case 'sumExact':
      case 'avgExact':
        if (typeof x === 'number') {
          // addLong / addExact: a number while the sum is a safe integer.
          const r = this.v[s] + x;
          if (Number.isSafeInteger(r)) {
            this.v[s] = r;
            this.n[s]++;
            return;
          }
        }
        break;
      case 'min':
        if (typeof x === 'number') {
          if (this.has[s] === 0) {
            this.v[s] = x;
            this.has[s] = 1;
          } else if (x < this.v[s]) this.v[s] = x;
          return;
        }
        break;
      case 'max':
        if (typeof x === 'number') {
          if (this.has[s] === 0) {
            this.v[s] = x;
            this.has[s] = 1;
          } else if (x > this.v[s]) this.v[s] = x;
          return;
        }
        break;
    }
    this.promote(s).add([x]);
  }

  result(s: number): unknown {
    if (this.isSlow[s] !== 0) {
      const r = this.slow.get(s)!.result();
      return this.sum0 ? (r ?? 0) : r;
    }
    const n = this.n[s];
    switch (this.kind) {
      case 'count':
        return n;
      case 'sum':
      case 'sumExact': {
        if (n === 0) return this.sum0 ? 0 : null;
        const v = this.v[s];
        return this.wrap !== undefined ? this.wrap(v) : v;
      }
      case 'avg': {
        if (n === 0) return null;
        const a = this.v[s] / n;
        return this.intAvg ? Math.trunc(a) : a;
      }
      case 'avgExact': {
        if (n === 0) return null;
        if (this.call.argTypes[0].kind === 'BIGINT') return divLong(this.v[s], n);
        return this.accumulator(s).result(); // DECIMAL: the scale and rounding of the row operator's AVG
      }
      default:
        return this.has[s] !== 0 ? this.v[s] : null;
    }
  }

  /** The slot's state in the row accumulator's save() format. */
  save(s: number): unknown {
    if (this.isSlow[s] !== 0) return this.slow.get(s)!.save();
    switch (this.kind) {
      case 'count':
        return this.n[s];
      case 'min':
      case 'max':
        return this.has[s] !== 0 ? toJsonValue(this.v[s]) : null;
      default:
        return [toJsonValue(this.v[s]), this.n[s]];
    }
  }

  load(s: number, state: unknown): void {
    this.reset(s);
    switch (this.kind) {
      case 'count':
        if (typeof state === 'number') {
          this.n[s] = state;
          return;
        }
        break;
      case 'min':
      case 'max': {
        const v = fromJsonValue(state);
        if (v === null || v === undefined) return;
        if (typeof v === 'number') {
          this.v[s] = v;
          this.has[s] = 1;
          return;
        }
        break;
      }
      default: {
        const [sum, n] = state as [unknown, number];
        const v = fromJsonValue(sum);
        if (typeof v === 'number' && typeof n === 'number') {
          if (n !== 0) this.v[s] = v;
          this.n[s] = n;
          return;
        }
      }
    }
    const acc = this.make();
    acc.load(state);
    this.slow.set(s, acc);
    this.isSlow[s] = 1;
  }
}

const NULL_KEY = Symbol('null');

/** Slots per page of a snapshot's copy-on-write (SlotSnapshot). */
const PAGE_BITS = 12;
const PAGE_MASK = (1 << PAGE_BITS) - 1;

/**
 * The slots' state at a snapshot while it is written in the background, copy-on-write by page
 * (4096 slots): a page still `pending` holds the snapshot's values in the operator's own arrays;
 * just before the operator first changes one of its slots, the page is copied here. Taking it
 * costs a bitmap, whatever the state's size.
 */
class SlotSnapshot {
  readonly pending: Uint8Array;
  /** Copied pages: the key columns' and the aggregates' state of the page's slots (slot s at s & PAGE_MASK). */
  readonly pages = new Map<number, { keys: unknown[][]; aggs: ColumnAgg[] }>();
  constructor(used: number) {
    this.pending = new Uint8Array((used + PAGE_MASK) >> PAGE_BITS).fill(1);
  }
}

/** One open window: its bounds, and its groups' slots by key in first-seen order. */
/** A group as a checkpoint stores it: [start, end, keys, saved accumulators]. */
type Saved = [number, number, unknown[], unknown[]];

interface OpenWindow {
  /** Unique in this operator's run: a delta names the windows still open by it. */
  id: number;
  start: number;
  end: number;
  slots: Map<unknown, number>;
  /** Its slots in first-seen order (the first `count`): what a snapshot copies at once. */
  order: Int32Array;
  count: number;
  /** Slots by dictionary code of the last string-key dictionary seen (-1: not looked up yet). */
  codeDict?: string[];
  codeSlots?: Int32Array;
}



/** Types a single group key is mapped by as its own value (else by groupKeyFn's string). */
function directKeyType(t: LogicalType): boolean {
  return isString(t) || isIntegral(t) || t.kind === 'FLOAT' || t.kind === 'DOUBLE' || t.kind === 'DECIMAL' || t.kind === 'BOOLEAN' || t.kind === 'DATE';
}

/** A single key value as a Map key with groupKeyFn's equality (NULL one key, a bigint equal to a double that double). */
function directKey(v: unknown): unknown {
  if (v === null || v === undefined) return NULL_KEY;
  if (typeof v === 'bigint') {
    const d = Number(v);
    return BigInt(d) === v ? d : v;
  }
  return v;
}

function vectorValue(v: Vector, i: number): unknown {
  switch (v.kind) {
    case 'number': {
      if ((v.valid[i >> 3] & (1 << (i & 7))) === 0) return null;
      if (v.others !== undefined) {
        const o = v.others.get(i);
        if (o !== undefined) return o;
      }
      return v.values[i];
    }
    case 'dictionary':
      return (v.valid[i >> 3] & (1 << (i & 7))) !== 0 ? v.dictionary[v.codes[i]] : null;
    default:
      return v.values[i];
  }
}

/**
 * Window aggregation with columnar state. Output rows: [group keys…, window_start, window_end,
 * window_time, aggregates…], as WindowAggregateOperator.
 */
export class ColumnarWindowAggregateOperator extends Operator {
  /** TUMBLE's windows and the local phase's; HOP/CUMULATE: windows restored from a checkpoint without slices (as WindowAggregateOperator). */
  private readonly windows = new Map<number, OpenWindow>();
  /** HOP and CUMULATE in one phase: the slices (see isSliced), by end. */
  private readonly slices = new Map<number, OpenWindow>();
  private readonly sliced: boolean;
  /** The watermark (or processing time) windows have fired up to. */
  private progress = -Infinity;
  private lastSlice?: OpenWindow;
  /** Result rows not yet emitted (fire). */
  private pending: Row[] = [];
  private readonly aggs: ColumnAgg[];
  /** Key values per key column, by slot. */
  private readonly keyCols: unknown[][];
  private cap = 1024;
  private used = 0;
  private free: number[] = [];
  private readonly direct: boolean;
  private readonly genericKey: (row: Row) => string;
  private lastWin?: OpenWindow;
  /** The local phase: rows added per slot whose last window is the slot's (the global phase counts a late partial's rows once, lastWindowEnd). */
  private rowsAdded = new Float64Array(0);
  // Per batch: (row, slot) pairs (HOP and CUMULATE put a row into several windows).
  private pairRow = new Int32Array(1024);
  private pairSlot = new Int32Array(1024);
  private readonly scratch: unknown[];
  /** The snapshot being written, while it reads slots from the live state (see SlotSnapshot). */
  private cow?: SlotSnapshot;
  /** 1: the slot changed since the last snapshot (what a delta writes). */
  private dirty = new Uint8Array(this.cap);
  /** The last window id given (OpenWindow.id). */
  private windowIds = 0;
  /** A snapshot was taken in this run (a delta has something to apply to). */
  private snapshotted = false;

  constructor(
    out: Output,
    ctx: OperatorContext,
    private readonly window: WindowSpec,
    private readonly groupKeys: number[],
    aggCalls: AggCall[],
    inputFields: Field[],
    /**
     * The local phase of a two-phase aggregation (WindowAggPhase): no row is dropped as late, and a
     * fired group goes out as a partial row [start, end, keys, saved accumulators, rows added whose last window it is].
     */
    private readonly local = false,
  ) {
    super(out, ctx);
    this.aggs = aggCalls.map((c) => new ColumnAgg(c, this.cap));
    this.keyCols = groupKeys.map(() => new Array(this.cap));
    this.direct = groupKeys.length === 1 && directKeyType(inputFields[groupKeys[0]].type);
    this.genericKey = groupKeyFn(groupKeys);
    this.scratch = new Array(inputFields.length).fill(null);
    if (local) this.rowsAdded = new Float64Array(this.cap);
    this.sliced = !local && isSliced(window);
  }

  /** The input columns it reads: the time attribute, the keys, the aggregates' arguments. */
  get columnsRead(): ReadonlySet<number> {
    const r = new Set<number>(this.groupKeys);
    if (this.window.eventTime) r.add(this.window.timeIndex);
    for (const a of this.aggs) for (const j of a.args) r.add(j);
    return r;
  }

  /** Before slot s changes: its page is copied for the snapshot being written, if that still reads it live. */
  private touch(s: number): void {
    this.dirty[s] = 1;
    const c = this.cow;
    if (c !== undefined && c.pending[s >> PAGE_BITS] === 1) this.copyPage(c, s >> PAGE_BITS);
  }

  private copyPage(c: SlotSnapshot, page: number): void {
    c.pending[page] = 0;
    const lo = page << PAGE_BITS;
    const hi = lo + PAGE_MASK + 1;
    c.pages.set(page, { keys: this.keyCols.map((col) => col.slice(lo, hi)), aggs: this.aggs.map((a) => a.copy(lo, hi)) });
  }

  private newWindow(start: number, end: number): OpenWindow {
    return { id: ++this.windowIds, start, end, slots: new Map(), order: new Int32Array(64), count: 0 };
  }

  private newSlot(): number {
    const f = this.free.pop();
    if (f !== undefined) {
      this.touch(f);
      return f;
    }
    if (this.used === this.cap) {
      this.cap *= 2;
      for (const a of this.aggs) a.grow(this.cap);
      const d = new Uint8Array(this.cap);
      d.set(this.dirty);
      this.dirty = d;
      if (this.local) {
        const r = new Float64Array(this.cap);
        r.set(this.rowsAdded);
        this.rowsAdded = r;
      }
    }
    this.dirty[this.used] = 1;
    return this.used++;
  }

  private openWindow(start: number, end: number): OpenWindow {
    const last = this.lastWin;
    if (last !== undefined && last.end === end) return last;
    let w = this.windows.get(end);
    if (w === undefined) {
      w = this.newWindow(start, end);
      this.windows.set(end, w);
    }
    this.lastWin = w;
    return w;
  }

  private openSlice(start: number, end: number): OpenWindow {
    const last = this.lastSlice;
    if (last !== undefined && last.end === end) return last;
    let w = this.slices.get(end);
    if (w === undefined) {
      w = this.newWindow(start, end);
      this.slices.set(end, w);
    }
    this.lastSlice = w;
    return w;
  }

  /** A new group of key `k` in window w (its key values are the caller's to fill). */
  private createSlot(w: OpenWindow, k: unknown): number {
    const s = this.newSlot();
    for (const a of this.aggs) a.reset(s);
    w.slots.set(k, s);
    if (w.count === w.order.length) {
      const o = new Int32Array(w.order.length * 2);
      o.set(w.order);
      w.order = o;
    }
    w.order[w.count++] = s;
    return s;
  }

  /** The slot of key `k` in window w, created with the key values of `row` when new. */
  private slotOfRow(w: OpenWindow, k: unknown, row: Row): number {
    let s = w.slots.get(k);
    if (s === undefined) {
      s = this.createSlot(w, k);
      for (let j = 0; j < this.keyCols.length; j++) this.keyCols[j][s] = row[this.groupKeys[j]];
    }
    return s;
  }

  /** The slot of key `k` in window w, created with the key values of row i of `cols` when new. */
  private slotOfColumns(w: OpenWindow, k: unknown, cols: Vector[], i: number): number {
    let s = w.slots.get(k);
    if (s === undefined) {
      s = this.createSlot(w, k);
      for (let j = 0; j < this.keyCols.length; j++) this.keyCols[j][s] = vectorValue(cols[this.groupKeys[j]], i);
    }
    return s;
  }

  /** The slot of a single key `k` whose value is v. */
  private slotOfValue(w: OpenWindow, k: unknown, v: unknown): number {
    let s = w.slots.get(k);
    if (s === undefined) {
      s = this.createSlot(w, k);
      this.keyCols[0][s] = v;
    }
    return s;
  }

  private rowKey(row: Row): unknown {
    return this.direct ? directKey(row[this.groupKeys[0]]) : this.genericKey(row);
  }

  /** Calls f(start, end) for each window of ts not yet fired; the number of windows it was in (0: late). */
  private assign(ts: number, wm: number, f: (start: number, end: number) => void): number {
    const w = this.window;
    let k = 0;
    switch (w.kind) {
      case 'TUMBLE': {
        const s = windowStart(ts, w.size, w.offset);
        if (!isWindowFired(s + w.size, wm)) {
          f(s, s + w.size);
          k++;
        }
        return k;
      }
      case 'HOP': {
        const slide = w.slide!;
        for (let s = windowStart(ts, slide, w.offset); s > ts - w.size; s -= slide) {
          if (isWindowFired(s + w.size, wm)) continue;
          f(s, s + w.size);
          k++;
        }
        return k;
      }
      default: {
        const step = w.slide!;
        const s = windowStart(ts, w.size, w.offset);
        for (let end = windowStart(ts, step, w.offset) + step; end <= s + w.size; end += step) {
          if (isWindowFired(end, wm)) continue;
          f(s, end);
          k++;
        }
        return k;
      }
    }
  }

  process(rows: Row[], _input = 0): void {
    const w = this.window;
    const ti = w.timeIndex;
    const wm = w.eventTime && (!this.local || this.dropsLate) ? this.currentWatermark : -Infinity;
    let late = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const ts = w.eventTime ? (row[ti] as number | null) : this.ctx.now();
      if (ts === null || ts === undefined) continue; // Flink drops rows with a NULL time attribute.
      const k = this.rowKey(row);
      if (w.kind === 'TUMBLE') {
        // The common case without a callback per row.
        const start = windowStart(ts, w.size, w.offset);
        const end = start + w.size;
        if (isWindowFired(end, wm)) late++;
        else this.addRow(this.slotOfRow(this.openWindow(start, end), k, row), row);
        continue;
      }
      if (this.sliced) {
        const slice = sliceTarget(w, ts, wm);
        if (slice === undefined) late++;
        else {
          if (this.windows.size > 0) this.addToRestoredWindows(ts, wm, k, row);
          this.addRow(this.slotOfRow(this.openSlice(slice[0], slice[1]), k, row), row);
        }
        continue;
      }
      const last = this.local ? lastWindowEnd(w, ts) : NaN;
      const added = this.assign(ts, wm, (start, end) => {
        const s = this.slotOfRow(this.openWindow(start, end), k, row);
        this.addRow(s, row, end === last);
      });
      if (added === 0) late++;
    }
    if (late > 0) this.ctx.metric('late-records-dropped', late);
    // The local phase: rows of windows this worker's watermark already passed go out at once.
    if (this.local) this.fire(this.currentWatermark);
  }

  /** HOP/CUMULATE: the row also goes into the windows restored from a checkpoint without slices that hold its key. */
  private addToRestoredWindows(ts: number, wm: number, k: unknown, row: Row): void {
    assignWindows(this.window, ts, (_start, end) => {
      const s = isWindowFired(end, wm) ? undefined : this.windows.get(end)?.slots.get(k);
      if (s !== undefined) this.addRow(s, row);
    });
  }

  /** `counted`: the local phase counts the row in this slot's rows added (its last window, lastWindowEnd). */
  private addRow(s: number, row: Row, counted = true): void {
    this.touch(s);
    if (this.local && counted) this.rowsAdded[s]++;
    for (const a of this.aggs) {
      const args = a.args;
      if (args.length === 0) a.add(s, 1);
      else if (args.length === 1) {
        const x = row[args[0]];
        if (x !== null && x !== undefined) a.add(s, x);
      } else {
        let ok = true;
        for (const j of args) if (row[j] === null || row[j] === undefined) ok = false;
        if (ok) a.add(s, 1);
      }
    }
  }

  /** A batch of insert-only rows as columns. */
  processBatch(b: ColumnBatch, _input = 0): void {
    const n = b.length;
    if (n === 0) return;
    const w = this.window;
    const cols = b.columns;
    const tv = w.eventTime ? cols[w.timeIndex] : undefined;
    if ((tv !== undefined && (tv.kind !== 'number' || tv.others !== undefined)) || (this.sliced && this.windows.size > 0)) {
      this.process(toRows(b));
      return;
    }
    if (this.pairRow.length < n * 2) {
      this.pairRow = new Int32Array(n * 2);
      this.pairSlot = new Int32Array(n * 2);
    }
    let pairs = 0;
    const wm = w.eventTime && (!this.local || this.dropsLate) ? this.currentWatermark : -Infinity;
    const now = w.eventTime ? 0 : this.ctx.now();
    let late = 0;
    const kv = this.groupKeys.length === 1 ? cols[this.groupKeys[0]] : undefined;
    const dict = this.direct && kv !== undefined && kv.kind === 'dictionary' ? kv : undefined;
    const scratch = this.scratch;
    const keyAt = (i: number): unknown => {
      if (this.direct) return directKey(vectorValue(kv!, i));
      for (const g of this.groupKeys) scratch[g] = vectorValue(cols[g], i);
      return this.genericKey(scratch);
    };
    const tumble = w.kind === 'TUMBLE';
    // TUMBLE: the window of the previous row, [curStart, curEnd), and whether the watermark passed it
    // (rows in a row mostly share their window: no window arithmetic for them).
    let curStart = NaN;
    let curEnd = NaN;
    let curLate = false;
    let curWin: OpenWindow | undefined;
    for (let i = 0; i < n; i++) {
      let ts: number;
      if (tv !== undefined) {
        if ((tv.valid[i >> 3] & (1 << (i & 7))) === 0) continue;
        ts = tv.values[i];
      } else ts = now;
      if (tumble) {
        if (!(ts >= curStart && ts < curEnd)) {
          curStart = windowStart(ts, w.size, w.offset);
          curEnd = curStart + w.size;
          curLate = isWindowFired(curEnd, wm);
          curWin = curLate ? undefined : this.openWindow(curStart, curEnd);
        }
        if (curLate) {
          late++;
          continue;
        }
        const win = curWin!;
        let s: number;
        if (dict !== undefined) {
          s = this.dictSlot(win, dict, i);
        } else {
          const k = keyAt(i);
          s = this.slotOfColumns(win, k, cols, i);
        }
        if (pairs === this.pairRow.length) this.growPairs();
        this.pairRow[pairs] = i;
        this.pairSlot[pairs++] = s;
        continue;
      }
      const k = dict !== undefined ? undefined : keyAt(i);
      if (this.sliced) {
        const slice = sliceTarget(w, ts, wm);
        if (slice === undefined) {
          late++;
          continue;
        }
        const win = this.openSlice(slice[0], slice[1]);
        const s = dict !== undefined ? this.dictSlot(win, dict, i) : this.slotOfColumns(win, k, cols, i);
        if (pairs === this.pairRow.length) this.growPairs();
        this.pairRow[pairs] = i;
        this.pairSlot[pairs++] = s;
        continue;
      }
      const last = this.local ? lastWindowEnd(w, ts) : NaN;
      const added = this.assign(ts, wm, (start, end) => {
        const win = this.openWindow(start, end);
        const s = dict !== undefined ? this.dictSlot(win, dict, i) : this.slotOfColumns(win, k, cols, i);
        if (pairs === this.pairRow.length) this.growPairs();
        this.pairRow[pairs] = i;
        this.pairSlot[pairs++] = s;
        // A row of several windows is counted in its last window's slot only (lastWindowEnd).
        if (end === last) this.rowsAdded[s]++;
      });
      if (added === 0) late++;
    }
    if (this.cow !== undefined) for (let p = 0; p < pairs; p++) this.touch(this.pairSlot[p]);
    else {
      const dirty = this.dirty;
      const slots = this.pairSlot;
      for (let p = 0; p < pairs; p++) dirty[slots[p]] = 1;
    }
    for (const a of this.aggs) this.addColumn(a, cols, pairs);
    if (late > 0) this.ctx.metric('late-records-dropped', late);
    if (this.local) {
      // TUMBLE's rows (the others' were counted as they were assigned).
      const slots = this.pairSlot;
      if (tumble) for (let p = 0; p < pairs; p++) this.rowsAdded[slots[p]]++;
      this.fire(this.currentWatermark);
    }
  }

  private growPairs(): void {
    const r = new Int32Array(this.pairRow.length * 2);
    r.set(this.pairRow);
    const s = new Int32Array(this.pairSlot.length * 2);
    s.set(this.pairSlot);
    this.pairRow = r;
    this.pairSlot = s;
  }

  /** The slot of a dictionary-coded string key: by code (cached per window), else by its string. */
  private dictSlot(win: OpenWindow, v: Extract<Vector, { kind: 'dictionary' }>, i: number): number {
    if ((v.valid[i >> 3] & (1 << (i & 7))) === 0) return this.slotOfValue(win, NULL_KEY, null);
    const code = v.codes[i];
    let cache = win.codeSlots;
    if (win.codeDict !== v.dictionary || cache === undefined) {
      win.codeDict = v.dictionary;
      cache = win.codeSlots = new Int32Array(Math.max(64, v.dictionary.length)).fill(-1);
    } else if (code >= cache.length) {
      const g = new Int32Array(Math.max(cache.length * 2, code + 1)).fill(-1);
      g.set(cache);
      cache = win.codeSlots = g;
    }
    let s = cache[code];
    if (s < 0) {
      const str = v.dictionary[code];
      s = this.slotOfValue(win, str, str);
      cache[code] = s;
    }
    return s;
  }

  /** Adds the (row, slot) pairs' argument values to one aggregate. */
  private addColumn(a: ColumnAgg, cols: Vector[], pairs: number): void {
    const rowsOf = this.pairRow;
    const slotsOf = this.pairSlot;
    const args = a.args;
    if (args.length === 0 && a.slow.size === 0) {
      const n = a.n;
      for (let p = 0; p < pairs; p++) n[slotsOf[p]]++;
      return;
    }
    if (args.length !== 1) {
      // COUNT(*) (or COUNT(a, b): rows where every argument is non-NULL).
      for (let p = 0; p < pairs; p++) {
        const i = rowsOf[p];
        let ok = true;
        for (const j of args) {
          const x = vectorValue(cols[j], i);
          if (x === null || x === undefined) ok = false;
        }
        if (ok) a.add(slotsOf[p], 1);
      }
      return;
    }
    const v = cols[args[0]];
    if (v.kind === 'number' && v.others === undefined && a.slow.size === 0) {
      const { values, valid } = v;
      const n = a.n;
      const acc = a.v;
      switch (a.kind) {
        case 'count':
          for (let p = 0; p < pairs; p++) {
            const i = rowsOf[p];
            if ((valid[i >> 3] & (1 << (i & 7))) !== 0) n[slotsOf[p]]++;
          }
          return;
        case 'sum':
        case 'avg':
          for (let p = 0; p < pairs; p++) {
            const i = rowsOf[p];
            if ((valid[i >> 3] & (1 << (i & 7))) === 0) continue;
            const s = slotsOf[p];
            acc[s] += values[i];
            n[s]++;
          }
          return;
        default:
          break; // exact sums and extremes: per value (a sum passing 2^53 moves its group to the slow path)
      }
    }
    for (let p = 0; p < pairs; p++) {
      const x = vectorValue(v, rowsOf[p]);
      if (x !== null && x !== undefined) a.add(slotsOf[p], x);
    }
  }

  /** Processing-time windows fire on the wall clock, called by the job loop. */
  override onProcessingTime(now: number): void {
    if (!this.window.eventTime) this.fire(now);
  }

  protected override onWatermark(wm: number): void {
    this.fire(wm);
    this.out.watermark(wm);
  }

  protected override onEnd(): void {
    this.fire(Infinity);
    this.out.end();
  }

  /**
   * A local phase whose watermark is parallelism 1's (a file read in chunks, RuntimeContext.subtask.chunks,
   * or every split read by this worker, DynamicSource.readsEverySplit): rows its watermark passed are
   * dropped as late here (parallelism 1 drops them too), not left to the global phase, whose watermark
   * (the minimum over the workers) may lag behind until every worker has reported.
   */
  private dropsLate = false;
  dropLateRows(): void {
    this.dropsLate = true;
  }

  /** The local phase at the end of a chunk: every group goes out as a partial row. */
  flushChunk(): void {
    this.fire(Infinity);
  }

  private fire(wm: number): void {
    if (this.sliced) return this.fireSlices(wm);
    const ends: number[] = [];
    for (const e of this.windows.keys()) if (isWindowFired(e, wm)) ends.push(e);
    if (ends.length === 0) return;
    ends.sort((a, b) => a - b);
    for (const end of ends) this.fireWindow(end);
    this.flush();
  }

  /** Emits every group of the window of end `end` and drops the window. */
  private fireWindow(end: number): void {
    const w = this.windows.get(end)!;
    // window_start, window_end, window_time: one boxed number each, shared by the window's rows.
    const bounds: unknown[] = [w.start, w.end, w.end - MAX_TS_OFFSET];
    for (let i = 0; i < w.count; i++) {
      const s = w.order[i];
      this.push(this.local ? this.partial(w, s) : this.resultRow(bounds, s));
      this.release(s);
    }
    this.windows.delete(end);
    if (this.lastWin === w) this.lastWin = undefined;
  }

  /** HOP/CUMULATE: the windows that fire as the progress moves to wm, from their slices (as WindowAggregateOperator). */
  private fireSlices(wm: number): void {
    const prev = this.progress;
    if (wm <= prev) return;
    this.progress = wm;
    const w = this.window;
    const step = w.slide!;
    for (const end of firingWindowEnds(w, this.slices.keys(), this.windows.keys(), prev, wm)) {
      // A window restored as a window fires as it is, its keys not from the slices.
      const restored = this.windows.get(end)?.slots;
      if (restored) this.fireWindow(end);
      if (w.kind === 'HOP') {
        const start = end - w.size;
        const merged = new Map<unknown, number>();
        // Keys in first-seen order (oldest slice first); slices merged newest first, as Flink.
        for (let se = start + step; se <= end; se += step) {
          for (const [k, s] of this.slices.get(se)?.slots ?? []) {
            if (restored?.has(k) || merged.has(k)) continue;
            const t = this.newSlot();
            for (const a of this.aggs) a.reset(t);
            for (const col of this.keyCols) col[t] = col[s];
            merged.set(k, t);
          }
        }
        for (let se = end; se > start; se -= step) {
          for (const [k, s] of this.slices.get(se)?.slots ?? []) {
            const t = merged.get(k);
            if (t !== undefined) for (const a of this.aggs) a.mergeInto(t, s);
          }
        }
        const bounds: unknown[] = [start, end, end - MAX_TS_OFFSET];
        for (const t of merged.values()) {
          this.push(this.resultRow(bounds, t));
          this.release(t);
        }
        continue;
      }
      // CUMULATE: the window's last slice merged into its first slice.
      const [start, firstEnd] = cumulateFirstSlice(w, end);
      let first = this.slices.get(firstEnd);
      const last = end === firstEnd ? undefined : this.slices.get(end);
      if (last) {
        if (!first) this.slices.set(firstEnd, (first = this.newWindow(start, firstEnd)));
        for (const [k, s] of last.slots) {
          let f = first.slots.get(k);
          if (f === undefined) {
            f = this.createSlot(first, k);
            for (const col of this.keyCols) col[f] = col[s];
          } else this.touch(f);
          for (const a of this.aggs) a.mergeInto(f, s);
        }
        this.dropSlice(end);
      }
      if (!first) continue;
      const bounds: unknown[] = [start, end, end - MAX_TS_OFFSET];
      for (const [k, s] of first.slots) if (!restored?.has(k)) this.push(this.resultRow(bounds, s));
    }
    for (const se of [...this.slices.keys()]) if (isWindowFired(sliceLastWindowEnd(w, se - step), wm)) this.dropSlice(se);
    this.flush();
  }

  private dropSlice(end: number): void {
    const w = this.slices.get(end)!;
    for (let i = 0; i < w.count; i++) this.release(w.order[i]);
    this.slices.delete(end);
    if (this.lastSlice === w) this.lastSlice = undefined;
  }

  /** The result row of slot s in a window of the given [start, end, time]. */
  private resultRow(bounds: unknown[], s: number): Row {
    const k = this.keyCols.length;
    const row: Row = new Array(k + 3 + this.aggs.length);
    for (let j = 0; j < k; j++) row[j] = this.keyCols[j][s];
    row[k] = bounds[0];
    row[k + 1] = bounds[1];
    row[k + 2] = bounds[2];
    for (let a = 0; a < this.aggs.length; a++) row[k + 3 + a] = this.aggs[a].result(s);
    return row;
  }

  // Results go out in chunks: downstream (a Calc, a sink's buffer) takes each before the next is
  // built, so a window of a million groups is never a million result rows at once here.
  private push(row: Row): void {
    this.pending.push(row);
    if (this.pending.length === FIRE_CHUNK) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const out = this.pending;
    this.pending = [];
    this.out.emit(out);
  }

  /** The local phase's partial row of slot s: [start, end, keys, saved accumulators, rows added]. */
  private partial(w: OpenWindow, s: number): Row {
    return [w.start, w.end, this.keyCols.map((c) => c[s]), this.aggs.map((a) => a.save(s)), this.rowsAdded[s]];
  }

  private release(s: number): void {
    this.touch(s);
    if (this.local) this.rowsAdded[s] = 0;
    for (const col of this.keyCols) col[s] = undefined;
    for (const a of this.aggs) if (a.isSlow[s] !== 0) a.reset(s);
    this.free.push(s);
  }

  /** Number of groups waiting for the watermark. */
  openWindows(): number {
    let n = 0;
    for (const w of this.windows.values()) n += w.slots.size;
    for (const w of this.slices.values()) n += w.slots.size;
    return n;
  }

  /**
   * The row operator's format ({ base, groups, sessions: [], slices? }), each window's groups as
   * blocks of columns (SavedBlock, with the window's id). Taken at once: the slots of each window
   * (copied) and a copy-on-write view of the slots' state (SlotSnapshot); the blocks are written
   * from it in slices while the operator runs on (SlicedState). Incremental (`opts.incremental`,
   * after a snapshot in this run, at least `minGroups` groups open): a WindowAggDelta, the windows
   * open and only the groups changed since the previous snapshot.
   */
  override snapshot(opts?: SnapshotOptions): unknown {
    // One snapshot reads the live state at a time: one still being written gets its pages now.
    if (this.cow !== undefined) for (let p = 0; p < this.cow.pending.length; p++) if (this.cow.pending[p] === 1) this.copyPage(this.cow, p);
    const delta = opts?.incremental === true && this.snapshotted && !this.local && this.openWindows() >= (opts.minGroups ?? INCREMENTAL_MIN_GROUPS);
    this.snapshotted = true;
    const copy = (m: Map<number, OpenWindow>) => [...m.values()].map((w) => ({ id: w.id, start: w.start, end: w.end, slots: w.order.slice(0, w.count) }));
    const wins = copy(this.windows);
    const slices = copy(this.slices);
    const changed = delta ? this.dirty : undefined;
    this.dirty = new Uint8Array(this.cap);
    const snap = new SlotSnapshot(this.used);
    this.cow = snap;
    const keyCols = this.keyCols;
    const aggs = this.aggs;
    let writing = this.sliced ? 2 : 1;
    const done = (): void => {
      if (--writing === 0 && this.cow === snap) this.cow = undefined;
    };
    function* blocks(ws: typeof wins): Generator<SavedBlock> {
      for (const w of ws) {
        let i = 0;
        while (i < w.slots.length) {
          // The next (changed) slots of the window, at most a block.
          const part: number[] = [];
          for (; i < w.slots.length && part.length < SNAPSHOT_BLOCK; i++) if (changed === undefined || changed[w.slots[i]] === 1) part.push(w.slots[i]);
          if (part.length === 0) break;
          const keys = keyCols.map(() => new Array<unknown>(part.length));
          const accs = aggs.map(() => new Array<unknown>(part.length));
          for (let x = 0; x < part.length; x++) {
            const s = part[x];
            const page = snap.pages.get(s >> PAGE_BITS);
            const at = page === undefined ? s : s & PAGE_MASK;
            for (let j = 0; j < keys.length; j++) keys[j][x] = (page === undefined ? keyCols : page.keys)[j][at];
            for (let a = 0; a < accs.length; a++) accs[a][x] = (page === undefined ? aggs : page.aggs)[a].save(at);
          }
          yield { id: w.id, start: w.start, end: w.end, n: part.length, keys, accs };
        }
      }
      done();
    }
    const state: WindowAggState = { base: super.snapshot(), groups: new SlicedState(null, blocks(wins), 1), sessions: [] };
    if (delta) {
      const open: WindowAggDelta['open'] = [];
      for (const w of wins) open.push([w.id, w.start, w.end, 0]);
      for (const w of slices) open.push([w.id, w.start, w.end, 1]);
      Object.assign(state, { delta: true, open });
    }
    if (this.sliced) {
      state.slices = new SlicedState(null, blocks(slices), 1);
      state.progress = Number.isFinite(this.progress) ? this.progress : null;
    }
    return state;
  }

  override restore(state: unknown): void {
    const raw = resolveWindowDelta(state as WindowAggState);
    super.restore(raw.base);
    this.progress = raw.progress ?? this.currentWatermark;
    if (!savedGroups(raw.sessions).next().done) throw new JobError('The window aggregation state holds SESSION windows, which this plan does not have: the savepoint belongs to another query');
    for (const [start, end, keys, saved] of savedGroups<Saved>(raw.groups)) this.restoreGroup(this.openWindow(start, end), keys, saved);
    const w = this.window;
    for (const [start, end, keys, saved] of savedGroups<Saved>(raw.slices)) {
      if (this.sliced) {
        this.restoreGroup(this.openSlice(start, end), keys, saved);
        continue;
      }
      // Slices restored into the local phase's windows (its aggregates do not depend on the order).
      for (let e = end; e <= sliceLastWindowEnd(w, end - w.slide!); e += w.slide!) {
        if (!isWindowFired(e, this.progress)) this.restoreGroup(this.openWindow(w.kind === 'HOP' ? e - w.size : cumulateFirstSlice(w, e)[0], e), keys, saved);
      }
    }
  }

  /** A saved group loaded into window (or slice) w, merged into the group of its key there if any. */
  private restoreGroup(w: OpenWindow, keys: unknown[], saved: unknown[]): void {
    const row: Row = [];
    this.groupKeys.forEach((j, i) => (row[j] = keys[i]));
    const k = this.rowKey(row);
    const had = w.slots.get(k);
    const s = this.slotOfRow(w, k, row);
    this.touch(s);
    if (had === undefined) {
      this.aggs.forEach((a, i) => a.load(s, saved[i]));
      return;
    }
    const t = this.newSlot();
    this.aggs.forEach((a, i) => {
      a.load(t, saved[i]);
      a.mergeInto(s, t);
    });
    this.release(t);
  }
}
