// Window table functions (TUMBLE, HOP, CUMULATE, SESSION) and window aggregation with
// Flink's semantics: a window fires when the watermark passes its end (window_end - 1 ms),
// records of windows already fired are late and dropped (and counted).
import { rowKindOf, setRowKind, type Row } from '../../common/types.js';
import type { AggCall, WindowSpec } from '../../planner/physical.js';
import type { Accumulator } from '../../functions/api.js';
import { Operator, rowWatermarksOf, type Output, type OperatorContext } from './operator.js';
import { AggregatesFactory, groupKeyFn } from './aggregates.js';
import { SlicedState, stringifyState } from '../checkpoint-store.js';
import { JobError } from '../../common/errors.js';
import { instantToLocal, localProgress, localToInstant } from '../../common/time.js';
import { isNanosType, microsToNanos, nanosToMicros } from '../../common/nanos.js';

/** A window's max timestamp is end − 1 ms (Flink's TimeWindow#maxTimestamp). */
const MAX_TS_OFFSET = 1000;

export function isWindowFired(end: number, watermark: number): boolean {
  return end - MAX_TS_OFFSET <= watermark;
}

/**
 * How a window reads its time column and writes window_time, when the column is other than
 * TIMESTAMP(3) (WindowSpec.timeType): as Flink, the value is read to the millisecond
 * (TIMESTAMP(7..9) nanos and TIMESTAMP(4..6) micros floored), a TIMESTAMP_LTZ instant (and the
 * processing time of a PROCTIME() column) as the wall clock of the session time zone (the windows
 * are local, window_start/window_end TIMESTAMP(3)); window_time is window_end − 1 ms in the column's
 * own form (an instant for TIMESTAMP_LTZ, nanos for precision 7..9). In streaming mode a
 * TIMESTAMP_LTZ window fires when the watermark (or processing time) reaches its end − 1 ms as an
 * instant (windowProgress). Undefined for the common case: the column is micros of a TIMESTAMP(3)
 * and window_time is window_end − 1 ms.
 */
export interface WindowTimeColumn {
  read(v: unknown): number | null;
  windowTime(end: number): unknown;
  /** TIMESTAMP_LTZ: the session time zone, whose wall clock the windows are in. */
  zone?: string;
}

/**
 * A progress (watermark or processing time, an instant) as window ends are compared with it: for
 * a TIMESTAMP_LTZ window the wall clock whose windows have fired (localProgress, Flink's timers
 * of a shifted window), else itself. isWindowFired(end, windowProgress(tc, wm)) is Flink's
 * isWindowFired(end, wm, shiftTimeZone).
 */
export function windowProgress(tc: WindowTimeColumn | undefined, instant: number): number {
  return tc?.zone ? localProgress(instant, tc.zone) : instant;
}

/** windowProgress for an operator reading the windows of `w` (window_start/window_end of its rows). */
export function windowProgressOf(w: WindowSpec | undefined, ctx: OperatorContext): (instant: number) => number {
  const zone = w && windowTimeColumn(w, ctx)?.zone;
  return zone ? (x) => localProgress(x, zone) : (x) => x;
}

/** Processing time (an instant) as the time a row is windowed by: the wall clock for TIMESTAMP_LTZ. */
export function windowNow(tc: WindowTimeColumn | undefined, instant: number): number {
  return tc?.zone ? instantToLocal(instant, tc.zone) : instant;
}

export function windowTimeColumn(w: WindowSpec, ctx: OperatorContext): WindowTimeColumn | undefined {
  const t = w.timeType;
  if (!t) return undefined;
  const zone = t.kind === 'TIMESTAMP_LTZ' ? (ctx.localTimeZone ?? 'UTC') : undefined;
  const nanos = isNanosType(t);
  return {
    ...(zone ? { zone } : {}),
    read(v) {
      if (v === null || v === undefined) return null;
      const us = typeof v === 'bigint' ? nanosToMicros(v) : (v as number);
      const ms = us - floorMod(us, 1000);
      return zone ? instantToLocal(ms, zone) : ms;
    },
    windowTime(end) {
      // As Flink: the wall clock end − 1 ms as an instant (in a DST gap, java.time's later one).
      const us = zone ? localToInstant(end - MAX_TS_OFFSET, zone) : end - MAX_TS_OFFSET;
      return nanos ? microsToNanos(us) : us;
    },
  };
}

function floorMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Start of the tumbling/sliding window grid cell containing ts. */
export function windowStart(ts: number, size: number, offset: number): number {
  return ts - floorMod(ts - offset, size);
}

/** Calls `f(start, end)` for every TUMBLE/HOP/CUMULATE window the timestamp belongs to. */
export function assignWindows(w: WindowSpec, ts: number, f: (start: number, end: number) => void): void {
  switch (w.kind) {
    case 'TUMBLE': {
      const s = windowStart(ts, w.size, w.offset);
      f(s, s + w.size);
      return;
    }
    case 'HOP': {
      const slide = w.slide!;
      // Windows of `size` starting every `slide`: the last start ≤ ts, back while end > ts.
      for (let s = windowStart(ts, slide, w.offset); s > ts - w.size; s -= slide) f(s, s + w.size);
      return;
    }
    case 'CUMULATE': {
      const step = w.slide!;
      const s = windowStart(ts, w.size, w.offset);
      for (let end = windowStart(ts, step, w.offset) + step; end <= s + w.size; end += step) f(s, end);
      return;
    }
    case 'SESSION':
      throw new Error('session windows are merged, not assigned');
  }
}

/**
 * Flink's slicing window aggregation (its SliceAssigners), which tsstream follows to give the same
 * floating-point sums and the same LISTAGG order: a HOP window is cut into slices of its slide, a
 * CUMULATE window into slices of its step (TUMBLE: the slice is the window). Rows are accumulated
 * per slice in arrival order. When a HOP window fires, its slices' accumulators are merged into a
 * new one, newest slice first; when a CUMULATE window fires, its last slice is merged into the
 * accumulator of its first slice, which then holds the window (and goes on into the next one).
 * A row whose slice has fired but not its last window (a late row) goes into its slice (HOP) or
 * into the first slice (CUMULATE); a row whose last window has fired is dropped.
 */
export function isSliced(w: WindowSpec): boolean {
  // A HOP whose size is not a multiple of its slide (batch mode, a group window) is not sliced in
  // Flink either: each row goes into each of its windows.
  return (w.kind === 'HOP' && w.size % w.slide! === 0) || w.kind === 'CUMULATE';
}

/**
 * The window a local phase (keyed parallel jobs) pre-aggregates by: for a sliced HOP its slices (a
 * TUMBLE of the slide, whose partials the global phase adds to each window holding the slice,
 * WindowAggregateOperator.mergePartials), else the window itself.
 */
export function localWindowOf(w: WindowSpec): WindowSpec {
  if (w.kind !== 'HOP' || !isSliced(w) || w.attached || !(w.slide! < w.size)) return w;
  return { ...w, kind: 'TUMBLE', size: w.slide!, slide: undefined };
}

/**
 * A local phase's state (of the window localWindowOf gave) as groups of the one-phase operator it
 * goes into when a job resumes at parallelism 1: a sliced HOP's local slice of a key becomes a
 * group of each window holding the slice (none of them fired: the slice was not, locally).
 */
export function localStateForOnePhase(w: WindowSpec, state: unknown): unknown {
  if (localWindowOf(w) === w || state === undefined || state === null || typeof state !== 'object') return state;
  const s = resolveWindowDelta(state as WindowAggState);
  const groups: [number, number, unknown[], unknown[]][] = [];
  for (const [start, end, keys, saved] of savedGroups(s.groups)) {
    // A window's group (a checkpoint of a local phase by windows, before slices) stays one.
    if (end - start !== w.slide) groups.push([start, end, keys, saved]);
    else for (let e = end; e <= start + w.size; e += w.slide!) groups.push([e - w.size, e, keys, saved]);
  }
  return { ...s, groups };
}

/**
 * The end of the last TUMBLE/HOP/CUMULATE window a row of time ts belongs to (the latest to fire). A
 * row is late — dropped, and counted once — when that window has fired (sliceTarget); a local phase
 * counts a row in the partial of that window only, so that the global phase, which drops a fired
 * window's partial, counts each row once, when its last window's partial is late.
 */
export function lastWindowEnd(w: WindowSpec, ts: number): number {
  return windowStart(ts, w.kind === 'HOP' ? w.slide! : w.size, w.offset) + w.size;
}

/** The last window end a slice starting at sliceStart is part of. */
export function sliceLastWindowEnd(w: WindowSpec, sliceStart: number): number {
  return w.kind === 'HOP' ? sliceStart + w.size : windowStart(sliceStart, w.size, w.offset) + w.size;
}

/** [start, end] of the slice a row of time ts is accumulated into at watermark wm (see isSliced); undefined: late, dropped. */
export function sliceTarget(w: WindowSpec, ts: number, wm: number): [number, number] | undefined {
  const step = w.slide!;
  const start = windowStart(ts, step, w.offset);
  if (!isWindowFired(start + step, wm)) return [start, start + step];
  if (isWindowFired(sliceLastWindowEnd(w, start), wm)) return undefined;
  if (w.kind === 'HOP') return [start, start + step];
  const first = windowStart(start, w.size, w.offset);
  return [first, first + step];
}

/** The CUMULATE window of end `end`: its start and the end of its first slice. */
export function cumulateFirstSlice(w: WindowSpec, end: number): [number, number] {
  const start = windowStart(end - w.slide!, w.size, w.offset);
  return [start, start + w.slide!];
}

/**
 * The ends of the windows that fire as the watermark moves from `prev` to `wm`, ascending: those holding
 * one of the slices (by end), and the restored windows (by end) that fire.
 */
export function firingWindowEnds(w: WindowSpec, sliceEnds: Iterable<number>, restoredEnds: Iterable<number>, prev: number, wm: number): number[] {
  const step = w.slide!;
  const ends = new Set<number>();
  for (const e of restoredEnds) if (isWindowFired(e, wm)) ends.add(e);
  for (const se of sliceEnds) {
    const last = sliceLastWindowEnd(w, se - step);
    for (let e = se; e <= last && isWindowFired(e, wm); e += step) if (!isWindowFired(e, prev)) ends.add(e);
  }
  return [...ends].sort((a, b) => a - b);
}

/** Aggregates Flink 1.20 runs in two phases in a streaming window aggregation (merged partial accumulators), DISTINCT too. */
const TWO_PHASE_AGGS = new Set(['COUNT', 'SUM', '$SUM0', 'AVG', 'MIN', 'MAX', 'STDDEV_POP', 'STDDEV_SAMP', 'STDDEV', 'VAR_POP', 'VAR_SAMP', 'VARIANCE']);
/** Those that add their argument up (STDDEV/VAR: Flink rewrites them into SUMs). */
const SUMMING_AGGS = new Set(['SUM', '$SUM0', 'AVG', 'STDDEV_POP', 'STDDEV_SAMP', 'STDDEV', 'VAR_POP', 'VAR_SAMP', 'VARIANCE']);

/**
 * Flink 1.20 runs a streaming event-time TUMBLE/HOP/CUMULATE aggregation in two phases, even at
 * parallelism 1: its LocalSlicingWindowAggOperator buffers the rows per key and slice and, when
 * flushed, sends one partial accumulator per key and slice (the rows added in arrival order) to
 * SlicingWindowOperator, which merges it into the slice's state. The buffer is flushed whole when a
 * watermark reaching the next multiple of the slice size (the offset ignored, FLINK-36664) finds
 * the end of the oldest slice it holds passed, at a checkpoint and at the end of the input. For
 * floating-point sums the order of the additions shows (1.8 + (1.0 − 1.0 + 0.3) = 2.1, where the
 * rows in arrival order give 2.0999999999999996): tsstream follows it (WindowAggregateOperator's
 * LocalBuffer) where a FLOAT/DOUBLE sum is among aggregates Flink runs in two phases. The slice
 * size (the watermark steps the buffer is checked at), or undefined: the rows are added as they come.
 */
export function flinkLocalBuffer(w: WindowSpec, aggs: AggCall[]): number | undefined {
  if (!w.eventTime || w.attached || w.kind === 'SESSION' || (w.kind === 'HOP' && !isSliced(w))) return undefined;
  if (!aggs.every((a) => TWO_PHASE_AGGS.has(a.fn))) return undefined;
  // A DISTINCT aggregate adds each new value once, in first-seen order, merged or not.
  const floating = (a: AggCall) => !a.distinct && SUMMING_AGGS.has(a.fn) && (a.argTypes[0]?.kind === 'DOUBLE' || a.argTypes[0]?.kind === 'FLOAT');
  if (!aggs.some(floating)) return undefined;
  return w.kind === 'TUMBLE' ? w.size : w.slide!;
}

/**
 * The state of Flink's local buffer (flinkLocalBuffer): the groups holding rows since the last
 * flush (their partial accumulators in WindowGroup.part), the end of the oldest slice a buffered
 * row belongs to (late rows too: Flink's buffer holds them), and the local operator's watermark
 * and next trigger watermark (0 at the start, as Flink's).
 */
interface LocalBuffer {
  interval: number;
  groups: WindowGroup[];
  minSliceEnd: number;
  watermark: number;
  nextTrigger: number;
  /** The input batches carry Flink's watermarks inside them (RowWatermarks): the buffer is checked at those. */
  rowWatermarks: boolean;
}

interface WindowGroup {
  start: number;
  end: number;
  keys: unknown[];
  accs: Accumulator[];
  /** Flink's local buffer: the accumulators of the rows added since its last flush (LocalBuffer). */
  part?: Accumulator[];
  /** Snapshot epoch when created (a snapshot skips groups born after it). */
  born?: number;
  /** Rows added whose last window this is (the local phase of a two-phase aggregation: late rows are counted by the global one, lastWindowEnd). */
  rows?: number;
  /** The latest snapshot epoch this group's state is already in (copy-on-write). */
  seen?: number;
}

/** A group as a checkpoint stores it: [start, end, keys, saved accumulators]. */
type SavedGroup = [number, number, unknown[], unknown[]];

/**
 * A window aggregation's checkpoint (the row and the columnar operator write the same). `groups`:
 * windows (TUMBLE's, the two phases', and HOP/CUMULATE windows restored from a checkpoint written
 * before slices); `slices` and `progress` (the watermark windows fired up to): HOP/CUMULATE in one
 * phase since slices (see isSliced). A checkpoint without `slices` restores as windows.
 */
export interface WindowAggState {
  base: unknown;
  groups?: SavedList<unknown>;
  sessions?: SavedList<unknown>;
  slices?: SavedList<unknown>;
  progress?: number | null;
}

/** Checkpoints written in slices hold { head, items }; older ones the list itself. */
type SavedList<T> = T[] | { items: T[] } | SlicedState;

/**
 * Groups of one window (or slice) as columns, the columnar operator's entries of `groups` and
 * `slices`: group i is [start, end, keys[·][i], accs[·][i]] (one list per key column, one per
 * aggregate of its accumulator's save()). A list may mix them with single groups; lists written
 * before blocks hold single groups only.
 */
export interface SavedBlock {
  /** The window's id in the operator's run (what an incremental checkpoint's later deltas name it by). */
  id?: number;
  start: number;
  end: number;
  /** Its number of groups. */
  n: number;
  keys: unknown[][];
  accs: unknown[][];
}

/**
 * An incremental checkpoint of a window aggregation (the columnar operator writes them for large
 * state): the windows and slices open ([id, start, end, 1 for a slice]) and only the groups
 * changed or created since the previous checkpoint, as blocks with their window's id. `prior` is
 * the state it applies to (a delta again, or a whole state), attached by readCheckpoint.
 */
export interface WindowAggDelta extends WindowAggState {
  delta: true;
  open: [number, number, number, number][];
  prior?: WindowAggState | WindowAggDelta;
}

function isDelta(s: WindowAggState | WindowAggDelta): s is WindowAggDelta {
  return (s as WindowAggDelta).delta === true;
}

/** A group's identity within its window in a saved state (its key values). */
function savedKey(keys: unknown[]): string {
  if (keys.length === 1) {
    const k = keys[0];
    if (typeof k === 'string') return 's' + k;
    if (typeof k === 'number') return 'n' + String(k);
  }
  return stringifyState(keys);
}

/**
 * A window aggregation's saved state as a whole: a delta applied to the states before it (its
 * `prior` chain, oldest first: a group takes its latest saved value, a window or slice not open
 * in the latest delta is gone, groups stay in first-seen order); a whole state as it is.
 */
export function resolveWindowDelta(state: WindowAggState | WindowAggDelta): WindowAggState {
  if (!isDelta(state)) return state;
  const chain: (WindowAggState | WindowAggDelta)[] = [];
  for (let s: WindowAggState | WindowAggDelta | undefined = state; s !== undefined; s = isDelta(s) ? s.prior : undefined) chain.unshift(s);
  if (isDelta(chain[0])) throw new JobError('An incremental checkpoint of a window aggregation is missing the earlier checkpoint it applies to');
  type Win = { start: number; end: number; slice: boolean; groups: Map<string, SavedGroup> };
  let wins = new Map<number, Win>();
  const apply = (list: SavedList<unknown> | undefined, slice: boolean): void => {
    if (list === undefined || list === null) return;
    for (const it of (Array.isArray(list) ? list : list.items) as Iterable<unknown>) {
      const b = it as SavedBlock;
      if (Array.isArray(it) || b.id === undefined) throw new JobError('An incremental checkpoint of a window aggregation applies to a state without window ids (written by another tsstream version)');
      let w = wins.get(b.id);
      if (w === undefined) wins.set(b.id, (w = { start: b.start, end: b.end, slice, groups: new Map() }));
      for (let i = 0; i < b.n; i++) {
        const keys = b.keys.map((c) => c[i]);
        w.groups.set(savedKey(keys), [b.start, b.end, keys, b.accs.map((c) => c[i])]);
      }
    }
  };
  for (const s of chain) {
    apply(s.groups, false);
    apply(s.slices, true);
    if (isDelta(s)) {
      const open = new Map<number, Win>();
      for (const [id] of s.open) {
        const w = wins.get(id);
        if (w !== undefined) open.set(id, w);
      }
      wins = open;
    }
  }
  const groups: SavedGroup[] = [];
  const slices: SavedGroup[] = [];
  for (const w of wins.values()) for (const g of w.groups.values()) (w.slice ? slices : groups).push(g);
  const out: WindowAggState = { base: state.base, groups, sessions: [] };
  if (state.slices !== undefined) out.slices = slices;
  if (state.progress !== undefined) out.progress = state.progress;
  return out;
}

/** The groups of a saved list, one at a time (blocks of columns taken apart into groups). */
export function* savedGroups<T extends [number, number, unknown[], unknown[]]>(v: SavedList<unknown> | undefined): Generator<T> {
  if (v === undefined || v === null) return;
  for (const it of (Array.isArray(v) ? v : v.items) as Iterable<unknown>) {
    if (Array.isArray(it)) {
      yield it as T;
      continue;
    }
    const b = it as SavedBlock;
    for (let i = 0; i < b.n; i++) yield [b.start, b.end, b.keys.map((c) => c[i]), b.accs.map((c) => c[i])] as T;
  }
}

function saveGroup(g: WindowGroup): SavedGroup {
  return [g.start, g.end, g.keys, g.accs.map((a) => a.save())];
}

/**
 * Which part of a window aggregation an operator runs. `single`: all of it. The two phases of a
 * window aggregation split across workers (Flink's TWO_PHASE agg strategy): `local` adds each
 * worker's rows to its own accumulators and, when the worker's watermark passes a window, emits
 * one partial row per group instead of a result: [window_start, window_end, [group keys…],
 * [saved accumulators…], rows added whose last window this is (lastWindowEnd)]; it drops no row as late (a worker's watermark is not the
 * job's). `global` takes those partial rows, merges them per window and key, drops (and counts)
 * the partials of windows its watermark (the minimum over the workers) has already fired, and
 * emits the results as `single` would.
 */
export type WindowAggPhase = 'single' | 'local' | 'global';

/** A partial row of the local phase. */
export type WindowPartial = [number, number, unknown[], unknown[], number];

/**
 * Window aggregation. Output rows: [group keys…, window_start, window_end, window_time, aggregates…].
 */
export class WindowAggregateOperator extends Operator {
  /**
   * window end → (group key → group): TUMBLE's windows, and the two phases' windows. HOP and CUMULATE
   * (`sliced`) keep slices instead; their windows here are those restored from a checkpoint written
   * before slices (a row still goes into such a window, and it fires as it was).
   */
  private readonly windows = new Map<number, Map<string, WindowGroup>>();
  /** HOP and CUMULATE in one phase: slice end → (group key → group), see isSliced. */
  private readonly slices = new Map<number, Map<string, WindowGroup>>();
  private readonly sliced: boolean;
  /** The watermark (or processing time) windows have fired up to. */
  private progress = -Infinity;
  /** SESSION: partition key → open sessions (sorted by start). */
  private readonly sessions = new Map<string, WindowGroup[]>();
  private readonly key: (row: Row) => string;
  private readonly aggs: AggregatesFactory;
  private readonly timeColumn: WindowTimeColumn | undefined;
  /**
   * Copy-on-write for a snapshot being written in the background: a group of the snapshot's
   * epoch that is about to change while it is not yet written is saved first.
   */
  private epoch = 0;
  private cow?: { epoch: number; saved: Map<WindowGroup, SavedGroup> };
  /** Floating-point sums added in Flink's order (flinkLocalBuffer). */
  private readonly buffer?: LocalBuffer;

  constructor(
    out: Output,
    ctx: OperatorContext,
    private readonly window: WindowSpec,
    private readonly groupKeys: number[],
    aggCalls: AggCall[],
    private readonly phase: WindowAggPhase = 'single',
    /** The slice size of flinkLocalBuffer (a single phase): rows go into partial accumulators, flushed as Flink's local buffer is. */
    localBufferInterval?: number,
  ) {
    super(out, ctx);
    this.key = groupKeyFn(groupKeys);
    this.aggs = new AggregatesFactory(aggCalls);
    this.timeColumn = windowTimeColumn(window, ctx);
    // Attached windows (window_start/window_end read from the rows) are not sliced: each is its own slice in Flink too.
    this.sliced = phase === 'single' && isSliced(window) && !window.attached;
    if (localBufferInterval !== undefined && phase === 'single') this.buffer = { interval: localBufferInterval, groups: [], minSliceEnd: Infinity, watermark: 0, nextTrigger: 0, rowWatermarks: false };
  }

  /** The input batches carry Flink's watermarks inside them (RowWatermarks): the local buffer follows those. */
  readRowWatermarks(): void {
    if (this.buffer) this.buffer.rowWatermarks = true;
  }

  process(rows: Row[], _input = 0): void {
    if (this.phase === 'global') return this.mergePartials(rows as unknown as WindowPartial[]);
    if (this.phase === 'local') return this.processLocal(rows);
    const marks = this.buffer?.rowWatermarks ? rowWatermarksOf(rows) : undefined;
    if (marks === undefined) return this.processRows(rows, 0, rows.length);
    let lo = 0;
    for (let k = 0; k < marks.after.length; k++) {
      this.processRows(rows, lo, marks.after[k]);
      this.localWatermark(marks.wm[k]);
      lo = marks.after[k];
    }
    this.processRows(rows, lo, rows.length);
  }

  /** Flink's local window operator receiving watermark wm: the buffer flushed if it holds a slice wm has passed (LocalBuffer). */
  private localWatermark(wm: number): void {
    const b = this.buffer!;
    if (!(wm > b.watermark)) return;
    b.watermark = wm;
    if (wm < b.nextTrigger) return;
    if (isWindowFired(b.minSliceEnd, windowProgress(this.timeColumn, wm))) this.flushBuffer();
    b.nextTrigger = wm === Infinity ? Infinity : windowStart(wm, b.interval, 0) + b.interval - MAX_TS_OFFSET;
  }

  /** Every buffered partial accumulator merged into its group's (Flink's global phase taking the partials). */
  private flushBuffer(): void {
    const b = this.buffer!;
    for (const g of b.groups) {
      const p = g.part;
      if (p === undefined) continue;
      g.part = undefined;
      this.beforeChange(g);
      for (let i = 0; i < p.length; i++) g.accs[i].merge(p[i]);
    }
    b.groups = [];
    b.minSliceEnd = Infinity;
  }

  /** Rows [lo, hi) of a batch, in one phase. */
  private processRows(rows: Row[], lo: number, hi: number): void {
    const w = this.window;
    const b = this.buffer;
    const ti = w.timeIndex;
    const tc = this.timeColumn;
    let late = 0;
    if (w.attached) {
      // The rows carry their window (window_start, window_end): no assignment, only the late check.
      const { start, end } = w.attached;
      const wm = w.eventTime ? windowProgress(this.timeColumn, this.currentWatermark) : -Infinity;
      for (let i = lo; i < hi; i++) {
        const row = rows[i];
        const e = row[end] as number;
        if (isWindowFired(e, wm)) late++;
        else this.addTo(this.windows, row[start] as number, e, row);
      }
      if (late > 0) this.ctx.metric('late-records-dropped', late);
      return;
    }
    const wm = w.eventTime ? windowProgress(tc, this.currentWatermark) : -Infinity;
    for (let i = lo; i < hi; i++) {
      const row = rows[i];
      const ts = w.eventTime ? (tc ? tc.read(row[ti]) : (row[ti] as number | null)) : windowNow(tc, this.ctx.now());
      if (ts === null || ts === undefined) continue; // Flink drops rows with a NULL time attribute.
      if (w.kind === 'SESSION') {
        if (isWindowFired(ts + w.size, wm)) {
          late++;
          continue;
        }
        this.addToSession(row, ts);
        continue;
      }
      if (w.kind === 'TUMBLE') {
        // The common case without a callback per row.
        const start = windowStart(ts, w.size, w.offset);
        const end = start + w.size;
        if (b !== undefined && end < b.minSliceEnd) b.minSliceEnd = end;
        if (isWindowFired(end, wm)) late++;
        else this.addTo(this.windows, start, end, row);
        continue;
      }
      if (this.sliced) {
        if (b !== undefined) {
          const own = windowStart(ts, w.slide!, w.offset) + w.slide!;
          if (own < b.minSliceEnd) b.minSliceEnd = own;
        }
        const slice = sliceTarget(w, ts, wm);
        if (slice === undefined) late++;
        else {
          if (this.windows.size > 0) this.addToRestoredWindows(ts, wm, row);
          this.addTo(this.slices, slice[0], slice[1], row);
        }
        continue;
      }
      let added = false;
      assignWindows(w, ts, (start, end) => {
        if (isWindowFired(end, wm)) return;
        added = true;
        this.addTo(this.windows, start, end, row);
      });
      if (!added) late++;
    }
    if (late > 0) this.ctx.metric('late-records-dropped', late);
  }

  /** Processing-time windows fire on the wall clock, called by the job loop. */
  override onProcessingTime(now: number): void {
    if (!this.window.eventTime) this.fire(windowProgress(this.timeColumn, now));
  }

  /** The local phase: every row goes into its windows; rows of windows already fired here go out at once as new partials. */
  private processLocal(rows: Row[]): void {
    const w = this.window;
    const ti = w.timeIndex;
    const tc = this.timeColumn;
    const wm = windowProgress(tc, this.currentWatermark);
    let behind = false;
    const at = w.attached;
    const drop = this.dropsLate;
    let late = 0;
    let added = 0;
    // A row of several windows (HOP, CUMULATE) is counted in its last window's partial only (lastWindowEnd).
    let last = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const add = (start: number, end: number) => {
        if (isWindowFired(end, wm)) {
          if (drop) return;
          behind = true;
        }
        added++;
        this.addTo(this.windows, start, end, row, end === last ? 1 : 0);
      };
      added = 0;
      if (at) {
        last = row[at.end] as number;
        add(row[at.start] as number, last);
      } else {
        const ts = tc ? tc.read(row[ti]) : (row[ti] as number | null);
        if (ts === null || ts === undefined) continue;
        last = lastWindowEnd(w, ts);
        assignWindows(w, ts, add);
      }
      if (drop && added === 0) late++;
    }
    if (late > 0) this.ctx.metric('late-records-dropped', late);
    if (behind) this.fire(wm);
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

  /**
   * The global phase: partial rows merged into the groups; partials of fired windows are late rows.
   * A HOP partial one slide long is a slice's (the keyed local phase pre-aggregates per slice, as
   * Flink's local slicing window aggregation): it goes into each of its windows not yet fired, and
   * its rows are late when all of them have (as a row at parallelism 1, sliceTarget).
   */
  private mergePartials(partials: WindowPartial[]): void {
    const wm = windowProgress(this.timeColumn, this.currentWatermark);
    const w = this.window;
    // The keyed local phase's slices (localWindowOf): partials one slide long.
    const lw = localWindowOf(w);
    const slide = lw !== w ? lw.size : 0;
    let late = 0;
    for (const [start, end, keys, saved, n] of partials) {
      if (end - start === slide) {
        let into = 0;
        for (let e = end; e <= start + w.size; e += slide) {
          if (isWindowFired(e, wm)) continue;
          this.mergePartial(e - w.size, e, keys, saved);
          into++;
        }
        if (into === 0) late += n;
        continue;
      }
      if (isWindowFired(end, wm)) {
        late += n;
        continue;
      }
      this.mergePartial(start, end, keys, saved);
    }
    if (late > 0) this.ctx.metric('late-records-dropped', late);
  }

  private readonly keyRow: Row = [];

  /** One partial's accumulators merged into its group of window [start, end). */
  private mergePartial(start: number, end: number, keys: unknown[], saved: unknown[]): void {
    let groups = this.windows.get(end);
    if (!groups) {
      groups = new Map();
      this.windows.set(end, groups);
    }
    const keyRow = this.keyRow;
    for (let i = 0; i < this.groupKeys.length; i++) keyRow[this.groupKeys[i]] = keys[i];
    const k = this.key(keyRow);
    const g = groups.get(k);
    if (!g) {
      const accs = this.aggs.create();
      for (let i = 0; i < accs.length; i++) accs[i].load(saved[i]);
      groups.set(k, { start, end, keys, accs, born: this.epoch, seen: this.epoch });
      return;
    }
    this.beforeChange(g);
    const other = this.aggs.create();
    for (let i = 0; i < other.length; i++) {
      other[i].load(saved[i]);
      g.accs[i].merge(other[i]);
    }
  }

  /** Copy-on-write: a group a snapshot being written still has to write is saved before it changes. */
  private beforeChange(g: WindowGroup): void {
    if (this.cow && (g.seen ?? -1) < this.cow.epoch) {
      this.cow.saved.set(g, saveGroup(g));
      g.seen = this.cow.epoch;
    }
  }

  private newGroup(start: number, end: number, keys: unknown[]): WindowGroup {
    return { start, end, keys, accs: this.aggs.create(), born: this.epoch, seen: this.epoch, rows: 0 };
  }

  /** Adds the row to its group in `groupsByEnd` (the windows or the slices) of the given bounds. */
  private addTo(groupsByEnd: Map<number, Map<string, WindowGroup>>, start: number, end: number, row: Row, counted = 1): void {
    let groups = groupsByEnd.get(end);
    if (!groups) {
      groups = new Map();
      groupsByEnd.set(end, groups);
    }
    const k = this.key(row);
    let g = groups.get(k);
    if (!g) {
      g = this.newGroup(start, end, this.groupKeys.map((j) => row[j]));
      groups.set(k, g);
    } else this.beforeChange(g);
    const b = this.buffer;
    if (b === undefined) this.aggs.add(g.accs, row);
    else {
      if (g.part === undefined) {
        g.part = this.aggs.create();
        b.groups.push(g);
      }
      this.aggs.add(g.part, row);
    }
    g.rows = (g.rows ?? 0) + counted;
  }

  /** HOP/CUMULATE: the row also goes into the windows restored from a checkpoint without slices that hold its key. */
  private addToRestoredWindows(ts: number, wm: number, row: Row): void {
    const k = this.key(row);
    assignWindows(this.window, ts, (_start, end) => {
      const g = isWindowFired(end, wm) ? undefined : this.windows.get(end)?.get(k);
      if (g === undefined) return;
      this.beforeChange(g);
      this.aggs.add(g.accs, row);
    });
  }

  private addToSession(row: Row, ts: number): void {
    const k = this.key(row);
    let list = this.sessions.get(k);
    if (!list) {
      list = [];
      this.sessions.set(k, list);
    }
    const gap = this.window.size;
    let g: WindowGroup = { start: ts, end: ts + gap, keys: this.groupKeys.map((j) => row[j]), accs: this.aggs.create() };
    this.aggs.add(g.accs, row);
    // Merge every session that overlaps or touches [ts, ts + gap) (Flink's TimeWindow.intersects is inclusive).
    const kept: WindowGroup[] = [];
    for (const s of list) {
      if (s.start <= g.end && g.start <= s.end) {
        for (let a = 0; a < s.accs.length; a++) g.accs[a].merge(s.accs[a]);
        g = { ...g, start: Math.min(s.start, g.start), end: Math.max(s.end, g.end) };
      } else kept.push(s);
    }
    kept.push(g);
    kept.sort((a, b) => a.start - b.start);
    this.sessions.set(k, kept);
  }

  protected override onWatermark(wm: number): void {
    // Without Flink's watermarks inside the batches, the local buffer is checked at the ones between them.
    if (this.buffer) this.localWatermark(wm);
    this.fire(windowProgress(this.timeColumn, wm));
    this.out.watermark(wm);
  }

  protected override onEnd(): void {
    this.fire(Infinity);
    this.out.end();
  }

  private fire(wm: number): void {
    // A window firing takes the buffered rows along, as Flink's (which flushes at the watermark that fires it).
    if (this.buffer && this.buffer.groups.length > 0 && isWindowFired(this.buffer.minSliceEnd, wm)) this.flushBuffer();
    const out: Row[] = [];
    if (this.window.kind === 'SESSION') {
      const fired: WindowGroup[] = [];
      for (const [k, list] of this.sessions) {
        const open = list.filter((s) => {
          if (isWindowFired(s.end, wm)) {
            fired.push(s);
            return false;
          }
          return true;
        });
        if (open.length) this.sessions.set(k, open);
        else this.sessions.delete(k);
      }
      fired.sort((a, b) => a.end - b.end || a.start - b.start);
      for (const g of fired) out.push(this.result(g));
    } else if (this.sliced) {
      this.fireSlices(wm, out);
    } else {
      const ends = [...this.windows.keys()].filter((e) => isWindowFired(e, wm)).sort((a, b) => a - b);
      for (const end of ends) {
        for (const g of this.windows.get(end)!.values()) out.push(this.result(g));
        this.windows.delete(end);
      }
    }
    if (out.length) this.out.emit(out);
  }

  /** HOP/CUMULATE: the windows that fire as the progress moves to wm, from their slices (see isSliced). */
  private fireSlices(wm: number, out: Row[]): void {
    const prev = this.progress;
    if (wm <= prev) return;
    this.progress = wm;
    const w = this.window;
    const step = w.slide!;
    for (const end of firingWindowEnds(w, this.slices.keys(), this.windows.keys(), prev, wm)) {
      // A window restored as a window fires as it is, its keys not from the slices.
      const restored = this.windows.get(end);
      if (restored) {
        for (const g of restored.values()) out.push(this.result(g));
        this.windows.delete(end);
      }
      if (w.kind === 'HOP') {
        const start = end - w.size;
        const merged = new Map<string, WindowGroup>();
        // Keys in first-seen order (oldest slice first); accumulators merged newest slice first, as Flink.
        for (let se = start + step; se <= end; se += step) {
          for (const [k, g] of this.slices.get(se) ?? []) if (!restored?.has(k) && !merged.has(k)) merged.set(k, { start, end, keys: g.keys, accs: this.aggs.create() });
        }
        for (let se = end; se > start; se -= step) {
          for (const [k, g] of this.slices.get(se) ?? []) {
            const m = merged.get(k);
            if (m) for (let i = 0; i < m.accs.length; i++) m.accs[i].merge(g.accs[i]);
          }
        }
        for (const g of merged.values()) out.push(this.result(g));
        continue;
      }
      // CUMULATE: the window's last slice merged into its first slice's accumulator.
      const [start, firstEnd] = cumulateFirstSlice(w, end);
      let first = this.slices.get(firstEnd);
      const last = end === firstEnd ? undefined : this.slices.get(end);
      if (last) {
        if (!first) this.slices.set(firstEnd, (first = new Map()));
        for (const [k, g] of last) {
          let f = first.get(k);
          if (!f) first.set(k, (f = this.newGroup(start, firstEnd, g.keys)));
          else this.beforeChange(f);
          for (let i = 0; i < f.accs.length; i++) f.accs[i].merge(g.accs[i]);
        }
        this.slices.delete(end);
      }
      if (first) for (const [k, g] of first) if (!restored?.has(k)) out.push(this.result(g, start, end));
    }
    for (const se of [...this.slices.keys()]) if (isWindowFired(sliceLastWindowEnd(w, se - step), wm)) this.slices.delete(se);
  }

  private result(g: WindowGroup, start = g.start, end = g.end): Row {
    if (this.phase === 'local') return [g.start, g.end, g.keys, g.accs.map((a) => a.save()), g.rows ?? 0];
    const row: Row = g.keys.slice();
    row.push(start, end, this.timeColumn ? this.timeColumn.windowTime(end) : end - MAX_TS_OFFSET);
    for (const a of g.accs) row.push(a.result());
    return row;
  }

  /** Number of windows (groups) waiting for the watermark. */
  openWindows(): number {
    let n = 0;
    for (const g of this.windows.values()) n += g.size;
    for (const g of this.slices.values()) n += g.size;
    for (const l of this.sessions.values()) n += l.length;
    return n;
  }

  /**
   * The state at this moment, written in slices while the operator keeps running: the open window
   * maps are captured (not their groups); a group that changes before it is written is saved
   * first (copy-on-write), groups created later are skipped. Sessions are never changed in place
   * (a merge makes a new session and a new list), so capturing the lists is enough.
   */
  override snapshot(): unknown {
    // Flink's local operator flushes its buffer at each checkpoint (prepareSnapshotPreBarrier).
    if (this.buffer) this.flushBuffer();
    const epoch = ++this.epoch;
    const cow = { epoch, saved: new Map<WindowGroup, SavedGroup>() };
    this.cow = cow;
    const windows = [...this.windows.values()];
    const slices = [...this.slices.values()];
    const sessionLists = [...this.sessions.values()];
    const self = this;
    let writing = this.sliced ? 2 : 1;
    function* groups(maps: Map<string, WindowGroup>[]): Generator<SavedGroup> {
      for (const m of maps) {
        for (const g of m.values()) {
          if ((g.born ?? -1) >= epoch) continue;
          const saved = cow.saved.get(g);
          if (saved) {
            cow.saved.delete(g);
            yield saved;
          } else {
            if (self.cow === cow) g.seen = epoch;
            yield saveGroup(g);
          }
        }
      }
      if (--writing === 0 && self.cow === cow) self.cow = undefined;
    }
    function* sessions(): Generator<SavedGroup> {
      for (const l of sessionLists) for (const g of l) yield saveGroup(g);
    }
    const state: WindowAggState = { base: super.snapshot(), groups: new SlicedState(null, groups(windows)), sessions: new SlicedState(null, sessions()) };
    if (this.sliced) {
      state.slices = new SlicedState(null, groups(slices));
      state.progress = Number.isFinite(this.progress) ? this.progress : null;
    }
    return state;
  }

  override restore(state: unknown): void {
    const raw = resolveWindowDelta(state as WindowAggState);
    const s = { base: raw.base, groups: savedGroups<SavedGroup>(raw.groups), sessions: savedGroups<SavedGroup>(raw.sessions), slices: savedGroups<SavedGroup>(raw.slices) };
    super.restore(s.base);
    this.progress = raw.progress ?? windowProgress(this.timeColumn, this.currentWatermark);
    const load = ([start, end, keys, saved]: [number, number, unknown[], unknown[]]): WindowGroup => {
      const accs = this.aggs.create();
      accs.forEach((a, i) => a.load(saved[i]));
      return { start, end, keys, accs };
    };
    // Group keys are recomputed from the key values (they sit at the group-key positions).
    const keyRow = (keys: unknown[]): Row => {
      const r: Row = [];
      this.groupKeys.forEach((j, i) => (r[j] = keys[i]));
      return r;
    };
    const put = (byEnd: Map<number, Map<string, WindowGroup>>, g: WindowGroup): void => {
      let m = byEnd.get(g.end);
      if (!m) byEnd.set(g.end, (m = new Map()));
      const k = this.key(keyRow(g.keys));
      const had = m.get(k);
      if (had) for (let i = 0; i < had.accs.length; i++) had.accs[i].merge(g.accs[i]);
      else m.set(k, g);
    };
    for (const t of s.groups) put(this.windows, load(t));
    for (const t of s.slices) {
      const g = load(t);
      if (this.sliced) {
        put(this.slices, g);
        continue;
      }
      // Slices restored into the two phases' windows (their aggregates do not depend on the order).
      const w = this.window;
      const last = sliceLastWindowEnd(w, g.end - w.slide!);
      for (let end = g.end; end <= last; end += w.slide!) {
        if (isWindowFired(end, this.progress)) continue;
        const copy = load(saveGroup(g));
        put(this.windows, { ...copy, start: w.kind === 'HOP' ? end - w.size : cumulateFirstSlice(w, end)[0], end });
      }
    }
    for (const t of s.sessions) {
      const g = load(t);
      const k = this.key(keyRow(g.keys));
      const l = this.sessions.get(k) ?? [];
      l.push(g);
      this.sessions.set(k, l);
    }
  }
}

/** A session of the SESSION window TVF: its bounds so far and the rows it holds until it fires. */
interface PendingSession {
  start: number;
  end: number;
  rows: Row[];
}

/**
 * A window TVF without aggregation: each row gets window_start, window_end, window_time appended.
 * TUMBLE/HOP/CUMULATE rows go out at once (their windows are known from the row alone). SESSION
 * rows wait, per partition key, until the watermark passes their merged session's end: only
 * then are the session's bounds known, and every row of it carries the same bounds (as in Flink).
 */
export class WindowTableFunctionOperator extends Operator {
  /** SESSION: partition key → open sessions. */
  private readonly sessions = new Map<string, PendingSession[]>();
  private readonly partitionKey: (row: Row) => string;
  private readonly timeColumn: WindowTimeColumn | undefined;

  /** `changelog`: over an updating input (a regular GROUP BY on the bounds follows): row kinds kept, nothing late. */
  constructor(out: Output, ctx: OperatorContext, private readonly window: WindowSpec, private readonly changelog = false) {
    super(out, ctx);
    this.partitionKey = groupKeyFn(window.partitionKeys);
    this.timeColumn = windowTimeColumn(window, ctx);
  }

  process(rows: Row[], _input = 0): void {
    const w = this.window;
    const out: Row[] = [];
    if (this.changelog) {
      for (const row of rows) {
        const ts = this.timeOf(row);
        if (ts === null || ts === undefined) continue;
        const kind = rowKindOf(row);
        assignWindows(w, ts, (start, end) => void out.push(setRowKind([...row, start, end, this.windowTime(end)], kind)));
      }
      if (out.length) this.out.emit(out);
      return;
    }
    const wm = w.eventTime ? windowProgress(this.timeColumn, this.currentWatermark) : -Infinity;
    let late = 0;
    for (const row of rows) {
      const ts = this.timeOf(row);
      if (ts === null || ts === undefined) continue;
      if (w.kind === 'SESSION') {
        if (isWindowFired(ts + w.size, wm)) late++;
        else this.addToSession(row, ts);
        continue;
      }
      let added = false;
      assignWindows(w, ts, (start, end) => {
        if (isWindowFired(end, wm)) return;
        added = true;
        out.push([...row, start, end, this.windowTime(end)]);
      });
      if (!added) late++;
    }
    if (late) this.ctx.metric('late-records-dropped', late);
    if (out.length) this.out.emit(out);
  }

  private timeOf(row: Row): number | null | undefined {
    const w = this.window;
    if (!w.eventTime) return windowNow(this.timeColumn, this.ctx.now());
    return this.timeColumn ? this.timeColumn.read(row[w.timeIndex]) : (row[w.timeIndex] as number | null);
  }

  private windowTime(end: number): unknown {
    return this.timeColumn ? this.timeColumn.windowTime(end) : end - MAX_TS_OFFSET;
  }

  private addToSession(row: Row, ts: number): void {
    const k = this.partitionKey(row);
    const list = this.sessions.get(k) ?? [];
    let merged: PendingSession = { start: ts, end: ts + this.window.size, rows: [row] };
    const kept: PendingSession[] = [];
    for (const s of list) {
      if (s.start <= merged.end && merged.start <= s.end) {
        merged = { start: Math.min(s.start, merged.start), end: Math.max(s.end, merged.end), rows: s.rows.concat(merged.rows) };
      } else kept.push(s);
    }
    kept.push(merged);
    this.sessions.set(k, kept);
  }

  /** Processing-time sessions close on the wall clock, called by the job loop. */
  override onProcessingTime(now: number): void {
    if (this.window.kind === 'SESSION' && !this.window.eventTime) this.fire(windowProgress(this.timeColumn, now));
  }

  protected override onWatermark(wm: number): void {
    if (this.window.kind === 'SESSION') this.fire(windowProgress(this.timeColumn, wm));
    this.out.watermark(wm);
  }

  protected override onEnd(): void {
    if (this.window.kind === 'SESSION') this.fire(Infinity);
    this.out.end();
  }

  private fire(wm: number): void {
    const fired: PendingSession[] = [];
    for (const [k, list] of this.sessions) {
      const open = list.filter((s) => (isWindowFired(s.end, wm) ? (fired.push(s), false) : true));
      if (open.length) this.sessions.set(k, open);
      else this.sessions.delete(k);
    }
    if (!fired.length) return;
    fired.sort((a, b) => a.end - b.end || a.start - b.start);
    const out: Row[] = [];
    for (const s of fired) for (const r of s.rows) out.push([...r, s.start, s.end, this.windowTime(s.end)]);
    this.out.emit(out);
  }

  /** Sessions waiting for the watermark. */
  openWindows(): number {
    let n = 0;
    for (const l of this.sessions.values()) n += l.length;
    return n;
  }

  override snapshot(): unknown {
    const sessions: [number, number, Row[]][] = [];
    for (const l of this.sessions.values()) for (const s of l) sessions.push([s.start, s.end, s.rows]);
    return { base: super.snapshot(), sessions };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; sessions?: [number, number, Row[]][] };
    super.restore(s.base);
    for (const [start, end, rows] of s.sessions ?? []) {
      const k = this.partitionKey(rows[0]);
      const l = this.sessions.get(k) ?? [];
      l.push({ start, end, rows });
      this.sessions.set(k, l);
    }
  }
}
