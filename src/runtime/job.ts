// A running job: builds operators from a physical plan, drives the sources, generates
// watermarks per split, writes to sinks, and takes checkpoints (two-phase commit into sinks).
import { randomUUID, createHash } from 'node:crypto';
import type { ConnectorIdentity, DynamicSink, DynamicSource, LookupSource, RuntimeContext, SourceBatch } from '../common/connector.js';
import type { Field, LogicalType, Row } from '../common/types.js';
import { isNanosType } from '../common/nanos.js';
import { JobError, TsstreamError } from '../common/errors.js';
import { parseDuration } from '../common/options.js';
import { children, type PhysicalNode } from '../planner/physical.js';
import { sharedNodes } from '../planner/reuse.js';
import { compileCalc, compileExpression, compilePredicate, compileProjection, type CompileOptions } from './expr-compiler.js';
import { CalcOperator, ExpandOperator, ReplicateRowsOperator, UnnestOperator, Operator, UnionOperator, emitValues, withRowWatermarks, type OperatorContext, type Output } from './operators/operator.js';
import { WindowAggregateOperator, WindowTableFunctionOperator, flinkLocalBuffer, localWindowOf, type WindowAggPhase } from './operators/window.js';
import { ColumnarWindowAggregateOperator, columnarWindowAggSupported } from './columnar/window-agg.js';
import { columnarEnabled, toRows, valueAt, type ColumnBatch } from './columnar/batch.js';
import { inputRefs } from '../planner/rex.js';
import { GroupAggregateOperator, OverAggregateOperator, StreamingGroupAggregateOperator } from './operators/aggregates.js';
import { OverWindowOperator } from './operators/over.js';
import { KeyedLookupJoinOperator } from './operators/lookup.js';
import { HashJoinOperator, IntervalJoinOperator, LookupJoinOperator, RankOperator, SortLimitOperator, StreamingJoinOperator } from './operators/batch.js';
import { TemporalSortOperator, TopNOperator, WindowRankOperator } from './operators/rank.js';
import { MatchRecognizeOperator } from './operators/match.js';
import { TemporalJoinOperator } from './operators/temporal-join.js';
import { MarkJoinOperator, SemiAntiJoinOperator, WindowSemiJoinOperator } from './operators/semi-join.js';
import type { RexNode } from '../planner/rex.js';
import { CheckpointSerializer, CheckpointStore, parseState, readCheckpoint, retainedCheckpoints, storageOptions, stringifyState, writeSavepoint, type CheckpointData } from './checkpoint-store.js';
import { joinPath } from '../io/fileio.js';
import { describeException, pushBounded, type CheckpointStats, type JobException, type OperatorStats, type TaskTimes } from './stats.js';
import { runWorkers, type ParallelSpec } from './parallel/coordinator.js';
import { Exchange, minActiveWatermark, type ExchangeLink } from './parallel/exchange.js';
import { exchangeKeys, windowAggUnmergeable } from './parallel/plan.js';
import { LocalGlobalWindowAggregate, partialKeyGroup } from './parallel/local-global.js';
import { rescaleStates, type OldState, type RescaledState } from './parallel/rescale.js';
import { keyGroupRange } from './parallel/exchange.js';

export type JobStatus = 'CREATED' | 'RUNNING' | 'FINISHED' | 'CANCELED' | 'FAILED' | 'STOPPED';

export interface JobMetrics {
  recordsIn: number;
  recordsOut: number;
  lateRecordsDropped: number;
  recordsSkipped: number;
  /** Lowest watermark over the sources, micros (−∞ before the first). */
  watermark: number;
  openWindows: number;
  lastCheckpointId?: number;
  lastCheckpointTime?: number;
  checkpoints: number;
  startTime: number;
  endTime?: number;
}

export interface JobOptions {
  jobId?: string;
  jobName: string;
  config: ReadonlyMap<string, string>;
  /** Restore from this checkpoint/savepoint (already read). */
  restore?: CheckpointData;
  /** Where `restore` was read from (absent: it was kept in memory only). */
  restoreLocation?: string;
  /** Rows of a Collect root arrive here. */
  onRows?: (rows: Row[]) => void;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Processing-time clock in micros (tests may fix it). */
  now?: () => number;
  /**
   * Processing time comes from `now` only (tsstream test moves it): source idle timeouts and the
   * watermark interval follow it instead of the wall clock.
   */
  manualClock?: boolean;
  /** Run split across worker threads (the session checked that the plan allows it). */
  parallel?: ParallelSpec;
  /** This job is one worker of a parallel job: its sources read their share of the splits. */
  subtask?: { index: number; parallelism: number; wholeSplits?: boolean; chunks?: boolean; chunkClaims?: Int32Array };
  /** A local phase over a file read in chunks: after the partial rows of chunk k, its watermark (the largest of its rows and of this worker's before). */
  onChunk?: (k: number, wm: number) => void;
  /** This worker runs a window aggregation's local phase (the plan's root is a Collect over it). */
  windowPhase?: 'local';
  /** The watermark reaching a Collect root (a local phase sends it to the coordinator). */
  onWatermark?: (wm: number) => void;
  /** A worker's sources have no split (idle: as Flink's WatermarkStatus.IDLE), or have one again (two-phase runs). */
  onIdle?: (idle: boolean) => void;
  /** A worker's state at a barrier (requestBarrier), as the JSON text of a WorkerState. */
  onBarrier?: (id: number, state: string) => void;
  /** This job is one worker of a keyed parallel job: the rows into its keyed operators pass through the exchange. */
  exchange?: ExchangeLink;
  /** A worker of a keyed job resumed at another parallelism: the old workers' states (it takes its key groups; `restore` gives the checkpoint's id). */
  rescaleFrom?: OldState[];
}

/** What a worker of a two-phase job keeps in the coordinator's checkpoint. */
export interface WorkerState {
  checkpointId: number;
  planFingerprint: string;
  sources: unknown[];
  operators: unknown[];
  identities?: CheckpointData['identities'];
}

export interface JobResult {
  status: JobStatus;
  metrics: JobMetrics;
  savepointPath?: string;
}

const STATE_OP_KINDS = new Set(['SemiJoin', 'WindowAggregate', 'GroupAggregate', 'Sort', 'HashJoin', 'IntervalJoin', 'StreamingJoin', 'Rank', 'TopN', 'WindowRank', 'TemporalSort', 'MatchRecognize', 'TemporalJoin', 'OverAggregate', 'OverWindow', 'WindowTableFunction']);

/**
 * Shape of the plan's state: sources and stateful operators in build order. A source read by
 * several readers (one scan, planner/reuse.ts) has one state: its other readers count as reuses;
 * `unshared` gives the shape the plan had when each of them was a scan of its own (true), or when
 * the scans were shared but each equal sub-plan above them was computed on its own ('sub-plans').
 */
export function planFingerprint(roots: PhysicalNode[], unshared: boolean | 'sub-plans' = false): string {
  const parts: string[] = [];
  const seen = new Set<PhysicalNode>();
  const walk = (n: PhysicalNode) => {
    if (seen.has(n) && (unshared === false || (unshared === 'sub-plans' && n.kind === 'Source'))) {
      parts.push(`reused:${n.kind === 'Source' ? n.name : n.kind}`);
      return;
    }
    if (n.kind === 'Source') parts.push(`src:${n.name}:${n.fields.map((f) => f.name).join(',')}`);
    else if (STATE_OP_KINDS.has(n.kind)) parts.push(`${n.kind}:${n.fields.map((f) => f.name).join(',')}`);
    else if (n.kind === 'Sink') parts.push(`sink:${n.name}`);
    seen.add(n);
    for (const c of children(n)) walk(c);
  };
  roots.forEach(walk);
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 16);
}


/** How long one slice of a background checkpoint write may hold the pipeline, ms. */
const CHECKPOINT_SLICE_MS = 20;
/** Deltas written over a whole checkpoint before the next one is whole again (also once the deltas' bytes reach the whole one's). */
const MAX_DELTAS = 8;

/** A checkpoint whose state is being serialised and written while the pipeline runs on. */
interface InflightCheckpoint {
  id: number;
  savepoint: boolean;
  triggerTime: number;
  data: CheckpointData;
  serializer: CheckpointSerializer;
  /** How long its synchronous part held the pipeline, ms (wall clock), and the process's CPU time in it. */
  pauseMs: number;
  syncCpuMs: number;
  /** Slices of serialisation so far. */
  steps: number;
  writing?: Promise<void>;
  written?: { location?: string; error?: unknown };
}

interface SplitWatermark {
  wm: number;
  lastActive: number;
  idle: boolean;
}

/**
 * The input column a watermark expression is non-decreasing in, when it reads only that column: the
 * column itself or the column ± a day-time interval literal, over a TIMESTAMP/TIMESTAMP_LTZ held as
 * a number (not nanos). Undefined for any other expression.
 */
export function monotoneColumn(e: RexNode): number | undefined {
  const isTime = (t: LogicalType) => (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && !isNanosType(t);
  if (e.kind === 'input') return isTime(e.type) ? e.index : undefined;
  if (e.kind !== 'call' || (e.op !== '-' && e.op !== '+') || e.args.length !== 2 || !isTime(e.type)) return undefined;
  const [a, b] = e.args;
  const interval = (x: RexNode) => x.kind === 'literal' && x.type.kind === 'INTERVAL_DAY_TIME' && typeof x.value === 'number' && Number.isFinite(x.value);
  if (a.kind === 'input' && isTime(a.type) && interval(b)) return a.index;
  if (e.op === '+' && b.kind === 'input' && isTime(b.type) && interval(a)) return b.index;
  return undefined;
}

/** The largest of values[0, n) whose validity bit is set, or undefined when all are NULL. */
function columnMax(values: Float64Array, valid: Uint8Array, n: number): number | undefined {
  let top = -Infinity;
  let any = false;
  for (let i = 0; i < n; i++) {
    if ((valid[i >> 3] & (1 << (i & 7))) === 0) continue;
    any = true;
    if (values[i] > top) top = values[i];
  }
  return any ? top : undefined;
}

/**
 * The output of a source or sub-plan read by several readers (planner/reuse.ts): every batch,
 * watermark and end goes to each of them, counted once on the node's stats. Readers share the row objects
 * (operators never change their input rows). Columnar batches go as they are to the readers that
 * take them, and as rows (made once) to the others.
 */
class SourceFanout implements Output {
  readonly readers: Output[] = [];
  /** The exchange channels made below the shared node ([from, to)): upstream of every reader's channel too. */
  channels?: [number, number];
  /** A source's stats, which it counts on (an operator's output is counted by build()'s wrapper). */
  constructor(private readonly st?: OperatorStats) {}

  emit(rows: Row[]): void {
    if (this.st) this.st.numRecordsOut += rows.length;
    for (const r of this.readers) r.emit(rows);
  }

  /** Present when some reader takes batches. */
  get emitBatch(): ((b: ColumnBatch) => void) | undefined {
    return this.readers.some((r) => r.emitBatch) ? this.sendBatch : undefined;
  }

  private readonly sendBatch = (b: ColumnBatch): void => {
    if (this.st) this.st.numRecordsOut += b.length;
    let rows: Row[] | undefined;
    for (const r of this.readers) {
      if (r.emitBatch) r.emitBatch(b);
      else r.emit((rows ??= toRows(b)));
    }
  };

  /** The columns any reader reads (undefined: all, when a reader takes rows or reads every column). */
  get columnsRead(): ReadonlySet<number> | undefined {
    const all = new Set<number>();
    for (const r of this.readers) {
      if (!r.emitBatch || !r.columnsRead) return undefined;
      for (const c of r.columnsRead) all.add(c);
    }
    return all;
  }

  watermark(wm: number): void {
    if (this.st && wm > this.st.outputWatermark) this.st.outputWatermark = wm;
    for (const r of this.readers) r.watermark(wm);
  }

  end(): void {
    for (const r of this.readers) r.end();
  }
}

/** Connectors Flink 1.20 pushes the watermark into (SupportsWatermarkPushDown): no WatermarkAssignerOperator after them. */
const WATERMARK_PUSH_DOWN = new Set(['kafka', 'upsert-kafka']);

/** Drives one source: polls it, builds table rows, tracks per-split watermarks. */
class SourceDriver {
  source!: DynamicSource;
  /** open() was called (so close() is due). */
  isOpen = false;
  ended = false;
  private readonly computed?: (row: Row) => Row;
  private readonly wmExpr?: (row: Row) => unknown;
  /** The columns the watermark expression reads (a batch fills only these into a scratch row). */
  private readonly wmColumns: number[] = [];
  /**
   * The column the watermark expression is non-decreasing in, when it reads only that column
   * (`ts`, `ts - INTERVAL …`): a batch's watermark is the expression at the column's maximum.
   */
  private readonly wmMonotone?: number;
  /** The source was asked for columnar batches (setColumnarOutput). */
  private columnar = false;
  private readonly splitWms = new Map<string, SplitWatermark>();
  watermark = -Infinity;
  /** An unbounded source with a watermark and no split (this worker's share of the partitions is empty): it holds no watermark back. */
  get noSplits(): boolean {
    return !this.ended && this.wmExpr !== undefined && this.source.noSplits?.() === true;
  }
  /** Index of this source in the job's operatorStats. */
  statsIndex = -1;
  private lastEmit = 0;
  /** Where the job's time goes (set by the job). */
  times?: TaskTimes;
  /**
   * A window aggregation that follows Flink's local buffer reads this source through Calcs only:
   * its row batches carry the watermarks Flink's WatermarkAssignerOperator would emit inside them
   * (RowWatermarks), which needs row batches (no columnar output).
   */
  rowWatermarks = false;
  /** Called after the last batch of each chunk of a file read in chunks (RuntimeContext.subtask.chunks). */
  onChunkEnd?: (k: number, wm: number) => void;
  /** Flink's WatermarkAssignerOperator over this source's rows: its watermark and the last one it emitted (both start at 0, as there). */
  private assigner = { current: 0, emitted: 0 };

  constructor(
    readonly node: Extract<PhysicalNode, { kind: 'Source' }>,
    readonly out: Output,
    compile: CompileOptions,
    private readonly idleTimeoutMs: number,
    private readonly autoWatermarkMs: number,
    private readonly clockMs: () => number = Date.now,
  ) {
    if (node.computed) this.computed = compileProjection(node.computed, compile);
    if (node.watermark) {
      this.wmExpr = compileExpression(node.watermark.expr, compile);
      this.wmColumns = [...inputRefs(node.watermark.expr)];
      this.wmMonotone = monotoneColumn(node.watermark.expr);
    }
  }

  /**
   * Asks the source for columnar batches when they can go as they are to an operator that reads
   * them (no computed columns to build first). Called once the source exists, before open().
   */
  offerColumnar(): void {
    const out = this.out;
    if (!out.emitBatch || this.computed || this.node.lookup || !this.source.setColumnarOutput || this.rowWatermarks) return;
    const read = new Set(out.columnsRead ?? this.node.fields.map((_, i) => i));
    for (const c of this.wmColumns) read.add(c);
    if (this.node.watermark) read.add(this.node.watermark.rowtimeIndex);
    const unused = new Set<number>();
    this.node.fields.forEach((_, i) => {
      if (!read.has(i)) unused.add(i);
    });
    this.source.setColumnarOutput(unused);
    this.columnar = true;
  }

  /** Polls once; returns the number of rows read. */
  async pollOnce(timeoutMs: number, metrics: JobMetrics): Promise<number> {
    const t0 = performance.now();
    const batches = await this.source.poll(timeoutMs);
    const t1 = performance.now();
    const nowMs = this.clockMs();
    if (batches === null) {
      this.ended = true;
      this.watermark = Infinity;
      this.out.watermark(Infinity);
      this.out.end();
      return 0;
    }
    let n = 0;
    let chunkEnd: SourceBatch | undefined;
    for (const b of batches) {
      n += this.processBatch(b, nowMs);
      if (b.chunkEnd !== undefined) chunkEnd = b;
    }
    metrics.recordsIn += n;
    if (this.times) {
      this.times.idleMs += t1 - t0;
      this.times.busyMs += performance.now() - t1;
    }
    this.updateIdle(nowMs);
    // Periodic watermark emission (pipeline.auto-watermark-interval), and whenever the source is quiet.
    if (this.wmExpr && (n === 0 || nowMs - this.lastEmit >= this.autoWatermarkMs)) this.emitWatermark(nowMs);
    // The end of a chunk of a file read in chunks, with the largest watermark of its rows (and of this worker's rows before).
    if (chunkEnd !== undefined) this.onChunkEnd?.(chunkEnd.chunkEnd!, this.splitWms.get(chunkEnd.split)?.wm ?? -Infinity);
    return n;
  }

  private processBatch(b: SourceBatch, nowMs: number): number {
    if (b.columns !== undefined) {
      const n = this.processColumns(b.split, b.columns, nowMs);
      // Operators read a batch during the call (emitBatch lends it; toRows copies): its arrays are free.
      b.release?.();
      return n;
    }
    let rows = b.rows;
    if (rows.length === 0) return 0;
    if (this.computed) {
      const f = this.computed;
      const built = new Array<Row>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        const o = f(r);
        // A changelog source's rows keep their kind (RowKind) through the computed columns.
        const kind = (r as { rowKind?: string }).rowKind;
        if (kind !== undefined) (o as { rowKind?: string }).rowKind = kind;
        built[i] = o;
      }
      rows = built;
    }
    if (this.wmExpr) {
      let s = this.splitWms.get(b.split);
      if (!s) {
        s = { wm: -Infinity, lastActive: nowMs, idle: false };
        this.splitWms.set(b.split, s);
      }
      const f = this.wmExpr;
      let max = s.wm;
      if (this.rowWatermarks) max = this.assignRowWatermarks(rows, max);
      else {
        for (let i = 0; i < rows.length; i++) {
          const w = f(rows[i]);
          if (typeof w === 'number' && w > max) max = w;
        }
      }
      s.wm = max;
      s.lastActive = nowMs;
      s.idle = false;
    }
    this.out.emit(rows);
    return rows.length;
  }

  /**
   * The watermarks Flink's WatermarkAssignerOperator would emit inside the batch, attached to it
   * (RowWatermarks): after each row that moves its watermark on by more than the auto-watermark
   * interval since the one it last emitted. (Its other emissions, every interval of wall-clock
   * time, fall between batches here: a small input is read within one.) Returns the largest
   * watermark of the rows, at least `max`.
   */
  private assignRowWatermarks(rows: Row[], max: number): number {
    const f = this.wmExpr!;
    const a = this.assigner;
    const interval = this.autoWatermarkMs * 1000;
    const after: number[] = [];
    const wms: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const w = f(rows[i]);
      if (typeof w !== 'number') continue;
      if (w > max) max = w;
      if (w > a.current) a.current = w;
      if (a.current - a.emitted > interval) {
        a.emitted = a.current;
        after.push(i + 1);
        wms.push(a.current);
      }
    }
    if (after.length > 0) withRowWatermarks(rows, { after, wm: wms });
    return max;
  }

  /** A columnar batch (insert-only, no computed columns): the split's watermark, then the batch as it is. */
  private processColumns(split: string, b: ColumnBatch, nowMs: number): number {
    const n = b.length;
    if (n === 0) return 0;
    if (this.wmExpr) {
      const s = this.splitState(split, nowMs);
      const f = this.wmExpr;
      const scratch: Row = new Array(b.columns.length).fill(null);
      const cols = this.wmColumns;
      let max = s.wm;
      const mono = this.wmMonotone === undefined ? undefined : b.columns[this.wmMonotone];
      if (mono !== undefined && mono.kind === 'number' && mono.others === undefined) {
        // The expression at the column's largest non-NULL value is the largest over the rows.
        const top = columnMax(mono.values, mono.valid, n);
        if (top !== undefined) {
          scratch[this.wmMonotone!] = top;
          const w = f(scratch);
          if (typeof w === 'number' && w > max) max = w;
        }
        s.wm = max;
      } else {
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < cols.length; k++) scratch[cols[k]] = valueAt(b.columns[cols[k]], i);
          const w = f(scratch);
          if (typeof w === 'number' && w > max) max = w;
        }
        s.wm = max;
      }
    }
    if (this.out.emitBatch) this.out.emitBatch(b);
    else this.out.emit(toRows(b));
    return n;
  }

  private splitState(split: string, nowMs: number): SplitWatermark {
    let s = this.splitWms.get(split);
    if (!s) {
      s = { wm: -Infinity, lastActive: nowMs, idle: false };
      this.splitWms.set(split, s);
    }
    s.lastActive = nowMs;
    s.idle = false;
    return s;
  }

  private updateIdle(nowMs: number): void {
    if (!this.wmExpr) return;
    for (const split of this.source.splits()) {
      if (!this.splitWms.has(split)) this.splitWms.set(split, { wm: -Infinity, lastActive: nowMs, idle: false });
    }
    if (this.idleTimeoutMs <= 0) return;
    for (const s of this.splitWms.values()) {
      if (!s.idle && nowMs - s.lastActive >= this.idleTimeoutMs) s.idle = true;
    }
  }

  emitWatermark(nowMs: number): void {
    this.lastEmit = nowMs;
    let min = Infinity;
    let active = 0;
    for (const s of this.splitWms.values()) {
      if (s.idle) continue;
      active++;
      if (s.wm < min) min = s.wm;
    }
    if (active === 0) return; // every split idle (or none yet): the source holds no watermark back, but sets none either
    if (min > this.watermark) {
      this.watermark = min;
      this.out.watermark(min);
    }
  }

  /** Moves every split's watermark, and the source's, forward to `wm` (an injected watermark). */
  advanceWatermark(wm: number): void {
    for (const s of this.splitWms.values()) if (s.wm < wm) s.wm = wm;
    if (wm > this.watermark) {
      this.watermark = wm;
      this.out.watermark(wm);
    }
  }

  private notifying?: Promise<void>;
  private notifyNext?: number;

  /**
   * Tells the source a checkpoint completed, in the background and one at a time: while one
   * notification is running, only the newest next checkpoint waits (it covers the older ones).
   */
  checkpointComplete(id: number, log: RuntimeContext['log']): void {
    if (!this.source.notifyCheckpointComplete) return;
    this.notifyNext = id;
    this.notifying ??= (async () => {
      while (this.notifyNext !== undefined) {
        const next = this.notifyNext;
        this.notifyNext = undefined;
        try {
          await this.source.notifyCheckpointComplete!(next);
        } catch (e) {
          log('warn', `Source ${this.node.name}: after checkpoint ${next}: ${(e as Error)?.message ?? e}`);
        }
      }
    })().finally(() => (this.notifying = undefined));
  }

  /** Waits up to `ms` for a running notification (the last checkpoint's offsets of a finished job). */
  async settle(ms: number): Promise<void> {
    if (!this.notifying) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.notifying, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  snapshot(checkpointId: number): unknown {
    const splits: Record<string, number> = {};
    for (const [k, s] of this.splitWms) if (Number.isFinite(s.wm)) splits[k] = s.wm;
    return { source: this.source.snapshotState(checkpointId), splits, watermark: Number.isFinite(this.watermark) ? this.watermark : null };
  }

  restoreWatermarks(state: { splits?: Record<string, number>; watermark?: number | null }): void {
    const now = Date.now();
    for (const [k, wm] of Object.entries(state.splits ?? {})) this.splitWms.set(k, { wm, lastActive: now, idle: false });
    if (typeof state.watermark === 'number') this.watermark = state.watermark;
  }
}

/** A keyed lookup join's table (its connector's LookupSource, created when the job opens). */
/** A lookup side read whole and read again on a period ('lookup.full-cache.periodic-reload.*'). */
interface LookupReloadEntry {
  node: Extract<PhysicalNode, { kind: 'Source' }>;
  /** The lookup side's own projection and filter (a Calc above the source). */
  step?: (rows: Row[]) => Row[];
  op: LookupJoinOperator;
  intervalMs: number;
  fixedRate: boolean;
  /** When the next read starts (ms, the wall clock). */
  due: number;
  running?: Promise<void>;
  /** A completed read, applied by the job loop between batches. */
  ready?: Row[];
}

interface KeyedLookupEntry {
  node: Extract<PhysicalNode, { kind: 'Source' }>;
  keyColumns: number[];
  op: KeyedLookupJoinOperator;
  source?: LookupSource;
  isOpen?: boolean;
}

/** Buffers rows for one sink between the synchronous operators and the asynchronous writer. */
class SinkDriver implements Output {
  sink!: DynamicSink;
  /** open() was called (so close() is due). */
  isOpen = false;
  buffer: Row[] = [];
  ended = false;
  /** Prepared but not yet committed, by checkpoint id. */
  pending = new Map<number, unknown[]>();
  constructor(readonly node: Extract<PhysicalNode, { kind: 'Sink' }>, private readonly metrics: JobMetrics) {}
  emit(rows: Row[]): void {
    for (const r of rows) this.buffer.push(r);
    this.metrics.recordsOut += rows.length;
  }
  watermark(wm: number): void {
    this.sink.watermarkAdvanced?.(wm);
  }
  end(): void {
    this.ended = true;
  }
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    await this.sink.write(rows);
  }
}

class CollectOutput implements Output {
  ended = false;
  constructor(
    private readonly onRows: (rows: Row[]) => void,
    private readonly metrics: JobMetrics,
    private readonly onWatermark?: (wm: number) => void,
  ) {}
  emit(rows: Row[]): void {
    this.metrics.recordsOut += rows.length;
    this.onRows(rows);
  }
  watermark(wm: number): void {
    this.onWatermark?.(wm);
  }
  end(): void {
    this.ended = true;
  }
}

/**
 * Tests only: a keyed worker whose sources hold no split waits this long after opening them before
 * it first reports to its peers (a cold worker on a loaded machine, made on demand).
 */
export const IDLE_WORKER_START_DELAY = 'tsstream.test.idle-worker-start-delay';

/** One job: create, run() until it ends, or cancel()/stop() from outside. */
export class Job {
  readonly id: string;
  readonly name: string;
  status: JobStatus = 'CREATED';
  readonly metrics: JobMetrics;
  private readonly sources: SourceDriver[] = [];
  private readonly sinks: SinkDriver[] = [];
  private readonly keyedLookups: KeyedLookupEntry[] = [];
  private readonly lookupReloads: LookupReloadEntry[] = [];
  private readonly operators: Operator[] = [];
  private readonly windowOps: (WindowAggregateOperator | ColumnarWindowAggregateOperator | WindowTableFunctionOperator)[] = [];
  private collect?: CollectOutput;
  private readonly abort = new AbortController();
  private readonly ctx: RuntimeContext;
  private opCtx: OperatorContext;
  private readonly compile: CompileOptions;
  private nextCheckpointId = 1;
  /** The checkpoint or savepoint this run resumed from, if any. */
  restoredFrom?: number;
  /** Resolves once sources and sinks are open (or the job failed before that). */
  readonly opened: Promise<void>;
  /** The local phases of a two-phase window aggregation and the sources below each (see open: DynamicSource.readsEverySplit). */
  private readonly localPhases: { local: ColumnarWindowAggregateOperator | WindowAggregateOperator; sources: SourceDriver[] }[] = [];
  /** A source reads its file in chunks (RuntimeContext.subtask.chunks; known once opened). */
  get chunked(): boolean {
    return this.sources.some((d) => d.isOpen && d.source.chunked?.() === true);
  }
  private markOpened!: () => void;
  /**
   * The latest completed checkpoint when it is kept only in memory (no checkpoint directory), for
   * restarts within the process; one on disk is read back from `lastCheckpointLocation` instead
   * (see latestCheckpoint), so that a large state is not held twice.
   */
  lastCheckpoint?: CheckpointData;
  /** Which checkpoint or savepoint is the latest completed one (or the one this run resumed from). */
  lastCheckpointInfo?: { checkpointId: number; savepoint: boolean };
  /** Where the latest completed checkpoint is on disk (its folder), or undefined when it is only in memory. */
  lastCheckpointLocation?: string;

  /** The latest completed checkpoint (what a restart resumes from): the one in memory, or read from its folder. */
  async latestCheckpoint(): Promise<CheckpointData | undefined> {
    if (this.lastCheckpoint || !this.lastCheckpointLocation) return this.lastCheckpoint;
    return readCheckpoint(this.lastCheckpointLocation, storageOptions(this.opts.config));
  }

  private setLastCheckpoint(data: CheckpointData, location: string | undefined): void {
    this.lastCheckpointInfo = { checkpointId: data.checkpointId, savepoint: data.savepoint };
    this.lastCheckpointLocation = location;
    this.lastCheckpoint = location === undefined ? data : undefined;
  }
  private stopRequest?: { savepointDir?: string; drain: boolean; resolve: (path?: string) => void; reject: (e: unknown) => void };
  private savepointRequests: { dir: string; resolve: (path: string) => void; reject: (e: unknown) => void }[] = [];
  /** Barriers from the coordinator of a two-phase job (this job is a worker). */
  private barrierRequests: number[] = [];

  /** A worker of a two-phase job: snapshot at the next pass of the loop and hand it to `onBarrier`. */
  requestBarrier(id: number): void {
    this.barrierRequests.push(id);
  }

  /** This worker's state now (its sources and local operators), as JSON text. */
  workerState(id: number): string {
    const st: WorkerState = {
      checkpointId: id,
      planFingerprint: this.fingerprint,
      sources: this.sources.map((s) => s.snapshot(id)),
      operators: this.operators.map((o) => o.snapshot()),
      identities: this.identities,
    };
    return stringifyState(st);
  }
  private checkpointStore?: CheckpointStore;
  /** Where completed checkpoints are kept (`<dir>/<job name>`), if a checkpoint directory is set. */
  get checkpointDir(): string | undefined {
    return this.checkpointStore?.dir;
  }
  private readonly checkpointInterval: number;
  /** execution.checkpointing.incremental: large window state is checkpointed as deltas. */
  private readonly incremental: boolean;
  private readonly retainedCheckpoints: number;
  /** What the sources read and the sinks write (known once open), recorded in every checkpoint. */
  private identities?: NonNullable<CheckpointData['identities']>;
  private readonly fingerprint: string;
  /** Every operator of the plan with its counts, for metrics and the dashboard. */
  readonly operatorStats: OperatorStats[] = [];
  private readonly statsStack: number[] = [];
  readonly times: TaskTimes = { busyMs: 0, idleMs: 0, backPressuredMs: 0 };
  /** The latest completed checkpoints of this run, oldest first. */
  readonly checkpointHistory: CheckpointStats[] = [];
  /** The run loop's passes and the longest one (ms): how long the pipeline was held at most. */
  readonly loopStats = { iterations: 0, maxIterationMs: 0 };
  failedCheckpoints = 0;
  /** Why this run failed (set when run() fails). */
  failure?: JobException;

  readonly roots: PhysicalNode[];

  constructor(plan: PhysicalNode | PhysicalNode[], readonly opts: JobOptions) {
    this.roots = Array.isArray(plan) ? plan : [plan];
    this.opened = new Promise((resolve) => (this.markOpened = resolve));
    this.id = opts.jobId ?? randomUUID().replace(/-/g, '');
    this.name = opts.jobName;
    this.metrics = { recordsIn: 0, recordsOut: 0, lateRecordsDropped: 0, recordsSkipped: 0, watermark: -Infinity, openWindows: 0, checkpoints: 0, startTime: Date.now() };
    const log = opts.log ?? ((level, m) => process.stderr.write(`[${level.toUpperCase()}] ${m}\n`));
    const now = opts.now ?? (() => Date.now() * 1000);
    this.ctx = {
      jobId: this.id,
      jobName: this.name,
      config: opts.config,
      signal: this.abort.signal,
      log,
      metric: (name, delta) => this.countMetric(name, delta),
      ...(opts.subtask ? { subtask: opts.subtask } : {}),
    };
    const ttl = parseDuration(opts.config.get('table.exec.state.ttl') ?? '0') ?? 0;
    const localTimeZone = opts.config.get('table.local-time-zone') ?? 'UTC';
    const miniBatch = miniBatchOf(opts.config);
    this.opCtx = { metric: (name, delta) => this.countMetric(name, delta), now, stateTtl: ttl * 1000, localTimeZone, ...(miniBatch ? { miniBatch } : {}) };
    this.compile = { localTimeZone, now };
    const interval = opts.config.get('execution.checkpointing.interval');
    this.checkpointInterval = interval ? (parseDuration(interval) ?? 0) : 0;
    const dir = opts.config.get('execution.checkpointing.dir') ?? opts.config.get('state.checkpoints.dir');
    if (dir) this.checkpointStore = new CheckpointStore(joinPath(dir, sanitize(this.name)), storageOptions(opts.config));
    this.retainedCheckpoints = retainedCheckpoints(opts.config);
    this.incremental = (opts.config.get('execution.checkpointing.incremental') ?? opts.config.get('state.backend.incremental') ?? 'true').trim().toLowerCase() !== 'false';
    this.fingerprint = planFingerprint(this.roots);
    this.sharedScans = new Set(sharedNodes(this.roots));
    if (opts.exchange) {
      this.keyExchange = new Exchange(opts.exchange, (e) => {
        this.exchangeFailure ??= e;
        this.abort.abort();
      });
    }
    if (opts.parallel?.keyed) {
      // The coordinator of a keyed run: the workers run the plan; the rows of a Collect root, or
      // of a sink that runs here, come here.
      for (const root of this.roots) {
        if (root.kind === 'Collect') {
          this.collect = new CollectOutput((rows) => this.opts.onRows?.(rows), this.metrics);
          this.exchange = this.collect;
        } else if (root.kind === 'Sink' && opts.parallel.sinkInCoordinator) {
          const d = new SinkDriver(root, this.metrics);
          this.sinks.push(d);
          this.exchange = this.notNullEnforcer(root.fields, d);
        }
      }
    } else for (const root of this.roots) this.build(root, { emit() {}, watermark() {}, end() {} });
    for (const s of this.sources) s.times = this.times;
  }

  /** What the sources report for monitoring, with each source's index in `operatorStats`. */
  sourceMetrics(): { operator: number; metrics: ReturnType<NonNullable<DynamicSource['metrics']>> }[] {
    const out: { operator: number; metrics: ReturnType<NonNullable<DynamicSource['metrics']>> }[] = [];
    for (const s of this.sources) {
      const m = s.isOpen ? s.source.metrics?.() : undefined;
      if (m) out.push({ operator: s.statsIndex, metrics: m });
    }
    return out;
  }

  private async flushSinks(): Promise<void> {
    await this.drainLookups();
    const t0 = performance.now();
    await Promise.all(this.sinks.map((d) => d.flush()));
    this.times.backPressuredMs += performance.now() - t0;
  }

  private countMetric(name: string, delta: number): void {
    if (name === 'late-records-dropped') this.metrics.lateRecordsDropped += delta;
    else if (name === 'records-skipped') this.metrics.recordsSkipped += delta;
  }

  /** A worker of a keyed parallel job: the exchange in front of its keyed operators. */
  private readonly keyExchange?: Exchange;
  private exchangeFailure?: unknown;
  /** The exchange keys of the node being built (exchangeKeys), taken by the operator addOp registers next. */
  private nodeKeys?: number[][];
  private readonly opKeys = new Map<Operator, number[][]>();
  /** Sources read by several readers (one scan each, planner/reuse.ts), and the output feeding them. */
  private readonly sharedScans: ReadonlySet<PhysicalNode>;
  private readonly fanouts = new Map<PhysicalNode, SourceFanout>();
  /** The plan node each operator was built for (re-assigning state by key group reads its keys). */
  private readonly opNodes = new Map<Operator, PhysicalNode>();
  private nodeBuilding?: PhysicalNode;
  /** A keyed run resumed at another parallelism: the old workers' states, which every worker gets whole. */
  private rescaleWorkers?: string[];

  private port(op: Operator, input: number): Output {
    const out: Output = { emit: (rows) => op.process(rows, input), watermark: (wm) => op.watermark(wm, input), end: () => op.endInput(input) };
    const keys = this.opKeys.get(op)?.[input];
    if (keys && this.keyExchange) return this.keyExchange.channel(out, keys);
    if (op instanceof ColumnarWindowAggregateOperator) {
      out.emitBatch = (b) => op.processBatch(b, input);
      out.columnsRead = op.columnsRead;
    } else if (op instanceof LocalGlobalWindowAggregate) {
      const batch = op.processBatch;
      if (batch) {
        out.emitBatch = (b) => batch(b, input);
        out.columnsRead = op.columnsRead;
      }
    }
    return out;
  }

  private addOp<T extends Operator>(op: T): T {
    if (this.nodeKeys) this.opKeys.set(op, this.nodeKeys);
    this.nodeKeys = undefined;
    if (this.nodeBuilding) this.opNodes.set(op, this.nodeBuilding);
    this.nodeBuilding = undefined;
    this.operators.push(op);
    return op;
  }

  /** Builds `n` feeding `out`, counting what it emits and the watermarks it sends. */
  private build(n: PhysicalNode, out: Output): void {
    // Built behind an exchange channel: the channels made below it feed it (checkpoint barriers wait for them).
    const channel = (out as { channel?: number }).channel;
    const fanout = this.fanouts.get(n);
    if (fanout) {
      // Another reader of a shared scan or sub-plan: the one already built feeds it too.
      fanout.readers.push(out);
      if (channel !== undefined && fanout.channels) this.keyExchange!.setUpstream(channel, fanout.channels[0], fanout.channels[1]);
      return;
    }
    const index = this.operatorStats.length;
    const name = n.kind === 'Source' ? `Source: ${n.name}` : n.kind === 'Sink' ? `Sink: ${n.name}` : n.kind;
    const id = createHash('md5').update(`${this.fingerprint}:${index}:${name}`).digest('hex');
    const st: OperatorStats = { index, id, name, kind: n.kind, downstream: this.statsStack.at(-1) ?? -1, numRecordsOut: 0, outputWatermark: -Infinity, numLateRecordsDropped: 0, numRecordsInErrors: 0 };
    this.operatorStats.push(st);
    if (n.kind === 'Source' && this.sharedScans.has(n)) {
      const f = new SourceFanout(st);
      f.readers.push(out);
      this.fanouts.set(n, f);
      this.buildNode(n, f);
      this.sources[this.sources.length - 1].statsIndex = index;
      return;
    }
    let shared: SourceFanout | undefined;
    if (this.sharedScans.has(n)) {
      shared = new SourceFanout();
      shared.readers.push(out);
      this.fanouts.set(n, shared);
      out = shared;
    }
    const counted: Output = {
      emit(rows) {
        st.numRecordsOut += rows.length;
        out.emit(rows);
      },
      watermark(wm) {
        if (wm > st.outputWatermark) st.outputWatermark = wm;
        out.watermark(wm);
      },
      end: () => out.end(),
    };
    if (out.emitBatch) {
      const emitBatch = out.emitBatch.bind(out);
      counted.emitBatch = (b) => {
        st.numRecordsOut += b.length;
        emitBatch(b);
      };
      counted.columnsRead = out.columnsRead;
    }
    // The operator built for `n` counts its late records on its own stats.
    const jobCtx = this.opCtx;
    this.opCtx = {
      ...jobCtx,
      metric: (m, delta) => {
        if (m === 'late-records-dropped') st.numLateRecordsDropped += delta;
        jobCtx.metric(m, delta);
      },
    };
    this.statsStack.push(index);
    const channelsBefore = this.keyExchange?.size ?? 0;
    this.nodeKeys = this.keyExchange ? exchangeKeys(n) : undefined;
    this.nodeBuilding = n;
    try {
      this.buildNode(n, counted);
    } finally {
      this.statsStack.pop();
      this.opCtx = jobCtx;
    }
    if (shared && this.keyExchange) shared.channels = [channelsBefore, this.keyExchange.size];
    if (channel !== undefined) this.keyExchange!.setUpstream(channel, channelsBefore, this.keyExchange!.size);
    if (n.kind === 'Source') this.sources[this.sources.length - 1].statsIndex = index;
  }

  private buildNode(n: PhysicalNode, out: Output): void {
    const cfg = this.opts.config;
    switch (n.kind) {
      case 'Source': {
        const idle = parseDuration(cfg.get('table.exec.source.idle-timeout') ?? '0') ?? 0;
        const auto = parseDuration(cfg.get('pipeline.auto-watermark-interval') ?? '200ms') ?? 200;
        const clockMs = this.opts.manualClock ? () => Math.floor(this.compile.now() / 1000) : undefined;
        this.sources.push(new SourceDriver(n, out, this.compile, idle, auto, clockMs));
        return;
      }
      case 'Calc': {
        // CURRENT_WATERMARK reads this operator's watermark (the one its input brought so far).
        const ref: { op?: CalcOperator } = {};
        const compile = { ...this.compile, currentWatermark: () => ref.op?.currentWatermark ?? -Infinity };
        const op = this.addOp(new CalcOperator(out, this.opCtx, compileCalc(n.filter, n.projection, compile, n.changelog === true)));
        ref.op = op;
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'WindowTableFunction': {
        const op = this.addOp(new WindowTableFunctionOperator(out, this.opCtx, n.window, n.changelog === true));
        this.windowOps.push(op);
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'WindowAggregate': {
        const phase: WindowAggPhase = this.opts.windowPhase ?? (this.opts.parallel?.twoPhase ? 'global' : 'single');
        const ex = this.keyExchange;
        if (ex && phase === 'single' && !windowAggUnmergeable(n)) {
          // A keyed worker: local phase here, partials through the exchange, global phase at the key's owner.
          this.nodeKeys = undefined;
          const global = new WindowAggregateOperator(out, this.opCtx, n.window, n.groupKeys, n.aggs, 'global');
          const channel = ex.channel(this.port(global, 0), partialKeyGroup(n.groupKeys.length));
          // A sliced HOP is pre-aggregated per slice (Flink's local slicing window aggregation): a
          // row goes into one slice instead of size/slide windows, and a partial per slice and key
          // crosses the exchange; the global phase adds each slice's partial to its windows.
          const lw = localWindowOf(n.window);
          const local =
            columnarEnabled(cfg) && columnarWindowAggSupported(lw, n.aggs)
              ? new ColumnarWindowAggregateOperator(channel, this.opCtx, lw, n.groupKeys, n.aggs, n.input.fields, true)
              : new WindowAggregateOperator(channel, this.opCtx, lw, n.groupKeys, n.aggs, 'local');
          const op = this.addOp(new LocalGlobalWindowAggregate(out, this.opCtx, local, global));
          this.windowOps.push(global);
          const before = ex.size;
          this.build(n.input, this.port(op, 0));
          ex.setUpstream(channel.channel, before, ex.size);
          return;
        }
        // Floating-point sums added in Flink's order (its local buffer's partial sums): the row operator.
        const buffer = phase === 'single' && n.streaming === true ? flinkLocalBuffer(n.window, n.aggs) : undefined;
        // With columnar batches on, the aggregations it takes run with columnar state (and read batches).
        const op = this.addOp(
          phase !== 'global' && buffer === undefined && columnarEnabled(cfg) && columnarWindowAggSupported(n.window, n.aggs)
            ? new ColumnarWindowAggregateOperator(out, this.opCtx, n.window, n.groupKeys, n.aggs, n.input.fields, phase === 'local')
            : new WindowAggregateOperator(out, this.opCtx, n.window, n.groupKeys, n.aggs, phase, buffer),
        );
        this.windowOps.push(op);
        // The global phase's input is the workers' partial rows (runTwoPhase), not the plan below.
        if (phase === 'global') this.exchange = this.port(op, 0);
        else {
          const before = this.sources.length;
          this.build(n.input, this.port(op, 0));
          if (phase === 'local' && this.opts.subtask?.chunks && this.opts.onChunk) {
            // A file read in chunks: the local phase drops its late rows and sends each chunk's partials, then the chunk's end.
            const local = op as ColumnarWindowAggregateOperator | WindowAggregateOperator;
            local.dropLateRows();
            const onChunk = this.opts.onChunk;
            for (const d of this.sources.slice(before))
              d.onChunkEnd = (k, wm) => {
                local.flushChunk();
                onChunk(k, wm);
              };
          } else if (phase === 'local') {
            this.localPhases.push({ local: op as ColumnarWindowAggregateOperator | WindowAggregateOperator, sources: this.sources.slice(before) });
          }
        }
        if (buffer !== undefined && !ex && !this.opts.subtask) {
          // Flink's watermarks inside the batches, when the rows come from one source through Calcs
          // only, and Flink does not push the watermark into that source (Kafka: the source emits
          // one every 200 ms of wall-clock time only, as tsstream's between batches).
          let src = n.input;
          while (src.kind === 'Calc') src = src.input;
          const assigned = src.kind === 'Source' && src.watermark !== undefined && !WATERMARK_PUSH_DOWN.has(src.factory.identifier);
          const driver = assigned ? this.sources.find((d) => d.node === src) : undefined;
          if (driver) {
            driver.rowWatermarks = true;
            (op as WindowAggregateOperator).readRowWatermarks();
          }
        }
        return;
      }
      case 'GroupAggregate': {
        const op = this.addOp(
          n.updating === undefined
            ? new GroupAggregateOperator(out, this.opCtx, n.groupKeys, n.aggs)
            : new StreamingGroupAggregateOperator(out, this.opCtx, n.groupKeys, n.aggs, n.retracting === true),
        );
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'Sort': {
        const op = this.addOp(new SortLimitOperator(out, this.opCtx, n.keys, n.limit, n.offset));
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'Union': {
        const op = this.addOp(new UnionOperator(out, this.opCtx, n.inputs.length));
        n.inputs.forEach((c, i) => this.build(c, this.port(op, i)));
        return;
      }
      case 'SemiJoin': {
        const lw = n.left.fields.length;
        if (n.mark) {
          const cond = n.condition ? compilePredicate(n.condition, this.compile) : undefined;
          let inKey: { left: number; right: number; equal: (joined: Row) => boolean } | undefined;
          if (n.nullAware) {
            const [l, r] = n.nullAware;
            const eq: RexNode = { kind: 'call', op: '=', args: [{ kind: 'input', index: l, type: n.left.fields[l].type }, { kind: 'input', index: lw + r, type: n.right.fields[r].type }], type: { kind: 'BOOLEAN', nullable: true } };
            inKey = { left: l, right: r, equal: compilePredicate(eq, this.compile) };
          }
          const op = this.addOp(new MarkJoinOperator(out, this.opCtx, n.leftKeys, n.rightKeys, lw, n.right.fields.length, cond, inKey, n.streaming));
          this.build(n.left, this.port(op, 0));
          this.build(n.right, this.port(op, 1));
          return;
        }
        const parts: RexNode[] = [];
        if (n.nullAware) {
          // NOT IN: a NULL on either side matches (so the left row is not emitted), as in Flink.
          const [l, r] = n.nullAware;
          const lt = n.left.fields[l].type;
          const rt = n.right.fields[r].type;
          const isNull = (i: number, t: LogicalType): RexNode => ({ kind: 'call', op: 'IS NULL', args: [{ kind: 'input', index: i, type: t }], type: { kind: 'BOOLEAN', nullable: false } });
          const eq: RexNode = { kind: 'call', op: '=', args: [{ kind: 'input', index: l, type: lt }, { kind: 'input', index: lw + r, type: rt }], type: { kind: 'BOOLEAN', nullable: true } };
          parts.push({ kind: 'call', op: 'OR', args: [isNull(l, lt), isNull(lw + r, rt), eq], type: { kind: 'BOOLEAN', nullable: true } });
        }
        if (n.condition) parts.push(n.condition);
        const cond = parts.length === 0 ? undefined : compilePredicate(parts.length === 1 ? parts[0] : { kind: 'call', op: 'AND', args: parts, type: { kind: 'BOOLEAN', nullable: true } }, this.compile);
        const op = n.window
          ? this.addOp(new WindowSemiJoinOperator(out, this.opCtx, n.anti, n.leftKeys, n.rightKeys, [n.window.leftEnd, n.window.rightEnd], cond, n.window.left))
          : this.addOp(new SemiAntiJoinOperator(out, this.opCtx, n.anti, n.leftKeys, n.rightKeys, lw, n.right.fields.length, cond, n.streaming, n.nullAware && !n.condition ? n.nullAware : undefined));
        this.build(n.left, this.port(op, 0));
        this.build(n.right, this.port(op, 1));
        return;
      }
      case 'Unnest': {
        const t = n.expr.type;
        const width = n.fields.length - n.input.fields.length;
        const rowElements = t.kind === 'ARRAY' && t.element.kind === 'ROW';
        const op = this.addOp(new UnnestOperator(out, this.opCtx, compileExpression(n.expr, this.compile), t.kind === 'MAP', rowElements, n.ordinality, n.outer, width));
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'Replicate': {
        const op = this.addOp(new ReplicateRowsOperator(out, this.opCtx));
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'Expand': {
        const op = this.addOp(new ExpandOperator(out, this.opCtx, n.projections.map((p) => compileCalc(undefined, p, this.compile, true))));
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'HashJoin': {
        const cond = n.condition ? compilePredicate(n.condition, this.compile) : undefined;
        const op = this.addOp(new HashJoinOperator(out, this.opCtx, n.joinType, n.leftKeys, n.rightKeys, n.left.fields.length, n.right.fields.length, cond));
        this.build(n.left, this.port(op, 0));
        this.build(n.right, this.port(op, 1));
        return;
      }
      case 'OverAggregate': {
        const op = this.addOp(new OverAggregateOperator(out, this.opCtx, n.partitionKeys, n.orderKey, n.eventTime, n.rows, n.preceding, n.aggs));
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'OverWindow': {
        const op = this.addOp(new OverWindowOperator(out, this.opCtx, n.partitionKeys, n.orderKeys, n.calls));
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'StreamingJoin': {
        const cond = n.condition ? compilePredicate(n.condition, this.compile) : undefined;
        const op = this.addOp(new StreamingJoinOperator(out, this.opCtx, n.joinType, n.leftKeys, n.rightKeys, n.left.fields.length, n.right.fields.length, cond));
        this.build(n.left, this.port(op, 0));
        this.build(n.right, this.port(op, 1));
        return;
      }
      case 'Rank': {
        const op = this.addOp(new RankOperator(out, this.opCtx, n.partitionKeys, n.orderKeys, n.limit, n.streaming, n.orderKeys[0]?.descending === true, n.fn, n.timeOrder === 'ROWTIME' ? n.orderKeys[0].index : undefined));
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'TemporalJoin': {
        const cond = n.condition ? compilePredicate(n.condition, this.compile) : undefined;
        const op = this.addOp(new TemporalJoinOperator(out, this.opCtx, n.joinType, n.leftKeys, n.rightKeys, n.leftTime, n.rightTime, n.right.fields.length, cond));
        this.build(n.left, this.port(op, 0));
        this.build(n.right, this.port(op, 1));
        return;
      }
      case 'MatchRecognize': {
        const op = this.addOp(new MatchRecognizeOperator(out, this.opCtx, n.spec, this.compile));
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'TemporalSort': {
        const op = this.addOp(new TemporalSortOperator(out, this.opCtx, n.keys, n.eventTime));
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'TopN': {
        const op = this.addOp(new TopNOperator(out, this.opCtx, n.partitionKeys, n.orderKeys, n.fn, n.limit, n.outputRank, n.retracting));
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'WindowRank': {
        const op = this.addOp(new WindowRankOperator(out, this.opCtx, n.partitionKeys, n.orderKeys, n.fn, n.limit, n.windowEnd, n.window));
        this.build(n.input, this.port(op, 0));
        return;
      }
      case 'LookupJoin': {
        const cond = n.condition ? compilePredicate(n.condition, this.compile) : undefined;
        if (n.keyed) {
          this.buildKeyedLookup(n, n.keyed.keyColumns, out, cond);
          return;
        }
        const op = this.addOp(new LookupJoinOperator(out, this.opCtx, n.joinType, n.leftKeys, n.rightKeys, n.right.fields.length, cond));
        this.build(n.left, this.port(op, 0));
        this.build(n.right, this.port(op, 1));
        if (n.reload) {
          const calc = n.right.kind === 'Calc' ? n.right : undefined;
          const node = (calc ? calc.input : n.right) as Extract<PhysicalNode, { kind: 'Source' }>;
          const step = calc ? compileCalc(calc.filter, calc.projection, this.compile, false) : undefined;
          this.lookupReloads.push({ node, step, op, intervalMs: n.reload.intervalMs, fixedRate: n.reload.fixedRate, due: Date.now() + n.reload.intervalMs });
        }
        return;
      }
      case 'IntervalJoin': {
        const cond = n.condition ? compilePredicate(n.condition, this.compile) : undefined;
        const op = this.addOp(new IntervalJoinOperator(out, this.opCtx, n.leftKeys, n.rightKeys, n.leftTime, n.rightTime, n.lower, n.upper, cond));
        this.build(n.left, this.port(op, 0));
        this.build(n.right, this.port(op, 1));
        return;
      }
      case 'Values': {
        const op = this.addOp(new UnionOperator(out, this.opCtx, 1));
        const rows = n.rows.map((r) => compileProjection(r, this.compile)([]));
        this.valuesToEmit.push(() => emitValues(this.port(op, 0), rows));
        return;
      }
      case 'Sink': {
        const d = new SinkDriver(n, this.metrics);
        this.sinks.push(d);
        this.build(n.input, this.notNullEnforcer(n.fields, d));
        return;
      }
      case 'Collect': {
        this.collect = new CollectOutput((rows) => this.opts.onRows?.(rows), this.metrics, this.opts.onWatermark);
        // A local phase's partial rows are not the plan's rows: no NOT NULL enforcer.
        this.build(n.input, this.opts.windowPhase === 'local' ? this.collect : this.notNullEnforcer(n.fields, this.collect));
        return;
      }
    }
  }

  private readonly valuesToEmit: (() => void)[] = [];

  /**
   * Flink's NOT NULL enforcer in front of a sink (a SELECT's result included): a NULL in a column
   * typed NOT NULL fails the job naming the column ('table.exec.sink.not-null-enforcer' = 'ERROR',
   * the default) or drops the row ('DROP'). `out` itself when no column is NOT NULL.
   */
  private notNullEnforcer(fields: Field[], out: Output): Output {
    const cols = fields.flatMap((f, i) => (f.type.nullable ? [] : [i]));
    if (cols.length === 0) return out;
    const drop = (this.opts.config.get('table.exec.sink.not-null-enforcer') ?? 'ERROR').trim().toUpperCase() === 'DROP';
    return {
      emit(rows: Row[]): void {
        let kept: Row[] | undefined;
        for (let k = 0; k < rows.length; k++) {
          const r = rows[k];
          const bad = cols.find((i) => r[i] === null || r[i] === undefined);
          if (bad === undefined) {
            kept?.push(r);
            continue;
          }
          if (!drop) {
            throw new JobError(
              `Column '${fields[bad].name}' is NOT NULL, however, a null value is being written into it. You can set job configuration 'table.exec.sink.not-null-enforcer'='DROP' to suppress this exception and drop such records silently.`,
            );
          }
          kept ??= rows.slice(0, k);
        }
        out.emit(kept ?? rows);
      },
      watermark: (wm: number) => out.watermark(wm),
      end: () => out.end(),
    };
  }

  /**
   * Periodic reloads of lookup tables read whole: a completed read replaces the join's table here,
   * between batches; a due one starts in the background (one at a time per table). A failed read
   * is logged and the join keeps the rows it has until the next period.
   */
  private reloadLookups(): void {
    const now = Date.now();
    for (const e of this.lookupReloads) {
      if (e.ready) {
        e.op.replaceTable(e.ready);
        e.ready = undefined;
        this.ctx.log('info', `Lookup table ${e.node.name} reloaded (${e.op.reloads} time(s))`);
      }
      if (e.running || now < e.due) continue;
      const started = now;
      e.running = this.readLookupTable(e)
        .then((rows) => {
          e.ready = rows;
        })
        .catch((err: unknown) => {
          if (!this.abort.signal.aborted) this.ctx.log('warn', `Reloading lookup table ${e.node.name} failed, keeping the rows read before: ${(err as Error)?.message ?? err}`);
        })
        .finally(() => {
          e.running = undefined;
          e.due = (e.fixedRate ? started : Date.now()) + e.intervalMs;
        });
    }
  }

  /** Reads a lookup table whole with a source of its own: its rows after computed columns and the lookup side's Calc. */
  private async readLookupTable(e: LookupReloadEntry): Promise<Row[]> {
    const { node } = e;
    const source = node.factory.createSource!(node.table, node.scan, { config: this.opts.config });
    const computed = node.computed ? compileProjection(node.computed, this.compile) : undefined;
    const rows: Row[] = [];
    await source.open(this.ctx);
    try {
      for (;;) {
        if (this.abort.signal.aborted) throw new JobError('job stopped');
        const batches = await source.poll(100);
        if (batches === null) break;
        for (const b of batches) for (const r of b.rows) rows.push(computed ? computed(r) : r);
      }
    } finally {
      await source.close();
    }
    return e.step ? e.step(rows) : rows;
  }

  /** A lookup join whose table's connector looks rows up by key: the right side is not read. */
  private buildKeyedLookup(n: Extract<PhysicalNode, { kind: 'LookupJoin' }>, keyColumns: number[], out: Output, cond?: (row: Row) => boolean): void {
    const calc = n.right.kind === 'Calc' ? n.right : undefined;
    const src = (calc ? calc.input : n.right) as Extract<PhysicalNode, { kind: 'Source' }>;
    const step = calc ? compileCalc(calc.filter, calc.projection, this.compile, false) : undefined;
    const entry: KeyedLookupEntry = { node: src, keyColumns, op: undefined as unknown as KeyedLookupJoinOperator };
    const lookup = async (keys: unknown[][]): Promise<Row[][]> => {
      const found = await entry.source!.lookup(keys);
      return step ? found.map((rows) => (rows.length ? step(rows) : rows)) : found;
    };
    entry.op = this.addOp(new KeyedLookupJoinOperator(out, this.opCtx, n.joinType, n.leftKeys, n.right.fields.length, lookup, cond));
    this.keyedLookups.push(entry);
    this.build(n.left, this.port(entry.op, 0));
  }

  /** Runs the keyed lookups of buffered rows, upstream first, until none has rows waiting. */
  private async drainLookups(): Promise<void> {
    if (!this.keyedLookups.length) return;
    for (;;) {
      const busy = this.keyedLookups.filter((e) => e.op.hasPending);
      if (!busy.length) return;
      // Operators are built downstream first: the last one registered is the most upstream.
      for (const e of busy.reverse()) await e.op.drain();
    }
  }

  /** Whether every source is bounded (known once the job is open). */
  get bounded(): boolean {
    return this.sources.every((s) => s.source?.bounded === true);
  }

  /** Cancels the job: no savepoint, nothing more committed. */
  cancel(): void {
    this.status = this.status === 'RUNNING' ? 'CANCELED' : this.status;
    this.abort.abort();
  }

  /** Stop with a savepoint: resolves with the savepoint path once the job has stopped. */
  stopWithSavepoint(dir?: string, drain = false): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      this.stopRequest = { savepointDir: dir, drain, resolve, reject };
    });
  }

  /** Triggers a savepoint while the job keeps running. */
  triggerSavepoint(dir: string): Promise<string> {
    return new Promise((resolve, reject) => this.savepointRequests.push({ dir, resolve, reject }));
  }

  /** Refuses a checkpoint taken with other tables or topics than this job's sources and sinks. */
  private checkIdentities(r: CheckpointData, location: string | undefined): void {
    const what = `checkpoint ${r.checkpointId} of job '${r.jobName}' (${location ? `at ${location}` : 'kept in memory'})`;
    if (!r.identities) {
      this.ctx.log('warn', `The ${what} does not record which tables and topics it was taken with (an older tsstream made it): resuming it unchecked.`);
      return;
    }
    const show = (x: ConnectorIdentity) => `${x.what} (${Object.entries(x.keys).map(([k, v]) => `${k}=${v}`).join(', ')})`;
    const check = (role: string, names: string[], then: (ConnectorIdentity | null)[], now: (ConnectorIdentity | null)[]) => {
      names.forEach((name, i) => {
        const a = then[i];
        const b = now[i];
        if (!a || !b) return;
        const differs = Object.keys(a.keys).some((k) => k in b.keys && a.keys[k] !== b.keys[k]);
        if (!differs) return;
        throw new JobError(
          `Cannot resume the ${what}: it was taken with ${role} ${name} = ${show(a)}; this job's ${role} ${name} is ${show(b)}. ` +
            `Its positions and uncommitted data belong to the other one. Give this job its own checkpoint directory ('execution.checkpointing.dir') or 'pipeline.name', or start it without 'execution.savepoint.path'.`,
        );
      });
    };
    check('source', this.sources.map((s) => s.node.name), r.identities.sources, this.identities!.sources);
    check('sink', this.sinks.map((d) => d.node.name), r.identities.sinks, this.identities!.sinks);
  }

  /** What this job restores from old workers' states, keeping the key groups `owns` takes (rescale.ts). */
  private rescaled(old: OldState[], owns: (kg: number) => boolean): RescaledState {
    return rescaleStates(
      old,
      this.sources.map((s) => s.node),
      this.operators.map((op) => ({ node: this.opNodes.get(op), localGlobal: op instanceof LocalGlobalWindowAggregate })),
      owns,
    );
  }

  private async open(): Promise<void> {
    let r = this.opts.restore;
    let location = this.opts.restoreLocation;
    if (!r && this.checkpointStore) {
      // Same checkpoint directory and pipeline.name: resume from the latest completed checkpoint.
      r = await this.checkpointStore.latest();
      if (r) {
        location = this.checkpointStore.location(r.checkpointId);
        this.ctx.log('info', `Resuming job '${this.name}' from checkpoint ${r.checkpointId} in ${this.checkpointStore.dir}`);
      }
    }
    let rescaled: RescaledState | undefined;
    if (r && this.opts.rescaleFrom) {
      // A worker of a keyed run resumed at another parallelism: its key groups of every old worker's state.
      const ex = this.opts.exchange!;
      const [from, to] = keyGroupRange(ex.index, ex.parallelism);
      rescaled = this.rescaled(this.opts.rescaleFrom, (kg) => kg >= from && kg <= to);
    } else if (r) {
      const taken = r.workers?.length ?? 1;
      const now = this.opts.parallel?.twoPhase || this.opts.parallel?.keyed ? this.opts.parallel.parallelism : 1;
      // A checkpoint of a keyed run, or of parallelism 1, resumes at another parallelism by key group.
      const byKeyGroup = (r.workers === undefined || r.workersKeyed === true) && (this.opts.parallel?.keyed || !this.opts.parallel) && !this.opts.subtask;
      if (taken !== now && byKeyGroup) {
        this.ctx.log('info', `Resuming checkpoint ${r.checkpointId} of job '${r.jobName}', taken at parallelism ${taken}, at parallelism ${now}: its keyed state is re-assigned by key group`);
        if (this.opts.parallel) {
          const single: WorkerState = { checkpointId: r.checkpointId, planFingerprint: r.planFingerprint, sources: r.sources, operators: r.operators };
          this.rescaleWorkers = r.workers ?? [stringifyState(single)];
        } else {
          rescaled = this.rescaled((r.workers ?? []).map((t) => parseState(t) as WorkerState), () => true);
        }
      } else if (taken !== now) {
        throw new JobError(
          `The checkpoint/savepoint ${r.checkpointId} of job '${r.jobName}' was taken at parallelism ${taken}, and this job runs at parallelism ${now}: state is not yet re-assigned across a different number of workers. Resume it with SET 'parallelism.default' = '${taken}' (and the same plan), or start without it.`,
        );
      }
    }
    if (r && !this.opts.rescaleFrom && r.planFingerprint !== this.fingerprint && r.planFingerprint === planFingerprint(this.roots, 'sub-plans')) {
      throw new JobError(
        `The savepoint/checkpoint (job '${r.jobName}', checkpoint ${r.checkpointId}) was taken when each equal sub-plan of this job (${[...new Set(sharedNodes(this.roots).flatMap((n) => (n.kind === 'Source' ? [] : [n.kind])))].join(', ')}) had its own state; this job computes each once for all its readers (table.optimizer.reuse-sub-plan-enabled). Resume it with SET 'table.optimizer.reuse-sub-plan-enabled' = 'false'.`,
      );
    }
    if (r && !this.opts.rescaleFrom && r.planFingerprint !== this.fingerprint && r.planFingerprint === planFingerprint(this.roots, true)) {
      throw new JobError(
        `The savepoint/checkpoint (job '${r.jobName}', checkpoint ${r.checkpointId}) was taken when each scan of ${[...new Set(sharedNodes(this.roots).flatMap((n) => (n.kind === 'Source' ? [n.name] : [])))].join(', ')} read it on its own, with its own offsets${sharedNodes(this.roots).some((n) => n.kind !== 'Source') ? ', and each equal sub-plan above had its own state' : ''}; this job reads each once for all its readers (table.optimizer.reuse-source-enabled, table.optimizer.reuse-sub-plan-enabled). Resume it with SET 'table.optimizer.reuse-source-enabled' = 'false'.`,
      );
    }
    if (r && !this.opts.rescaleFrom && r.planFingerprint !== this.fingerprint) {
      throw new JobError(
        `The savepoint/checkpoint (job '${r.jobName}', checkpoint ${r.checkpointId}) does not fit this job's SQL: its sources and stateful operators differ. Start without 'execution.savepoint.path' (or with another checkpoint directory / pipeline.name) or use the SQL it was taken from.`,
      );
    }
    this.restoredFrom = r?.checkpointId;
    this.restoreWorkers = this.rescaleWorkers ? undefined : r?.workers;
    // Until this run completes a checkpoint of its own, the one it resumed from is the latest:
    // a restart after a failure that comes before the first checkpoint must resume from it too.
    if (r) this.setLastCheckpoint(r, location);
    for (const s of this.sources) {
      const factory = s.node.factory;
      if (!factory.createSource) throw new JobError(`Connector '${factory.identifier}' cannot be used as a source (table ${s.node.name})`);
      s.source = factory.createSource(s.node.table, s.node.scan, { config: this.opts.config });
      s.offerColumnar();
    }
    for (const d of this.sinks) {
      const factory = d.node.factory;
      if (!factory.createSink) throw new JobError(`Connector '${factory.identifier}' cannot be used as a sink (table ${d.node.name})`);
      d.sink = factory.createSink(d.node.table, { config: this.opts.config });
    }
    // What the sources read and the sinks write: a checkpoint of other tables or topics is refused
    // before anything is opened with its state (or its data files committed here).
    const identities: NonNullable<CheckpointData['identities']> = { sources: [], sinks: [] };
    for (const s of this.sources) identities.sources.push((await s.source.checkpointIdentity?.()) ?? null);
    for (const d of this.sinks) identities.sinks.push((await d.sink.checkpointIdentity?.()) ?? null);
    this.identities = identities;
    if (r) this.checkIdentities(r, location);
    for (const [i, s] of this.sources.entries()) {
      const st = s.node.lookup ? undefined : ((rescaled ? rescaled.sources[i] : r?.sources[i]) as { source?: unknown; splits?: Record<string, number>; watermark?: number | null } | undefined);
      s.isOpen = true; // closed even when open() fails halfway
      // Each source counts its skipped malformed records on its own stats (Flink's numRecordsInErrors).
      const stats = this.operatorStats[s.statsIndex];
      const metric = (name: string, delta: number) => {
        if (name === 'records-skipped' && stats) stats.numRecordsInErrors += delta;
        this.ctx.metric(name, delta);
      };
      await s.source.open({ ...this.ctx, metric }, st?.source);
      if (st) s.restoreWatermarks(st);
    }
    // A local phase all of whose sources hold every split of their input (one file, read whole by
    // this worker) has parallelism 1's watermark: it drops late rows itself, so that they do not
    // depend on when the other workers (with nothing to read) first report to the global phase.
    for (const { local, sources } of this.localPhases) {
      if (sources.length > 0 && sources.every((d) => d.source.readsEverySplit?.() === true)) local.dropLateRows();
    }
    for (const [i, d] of this.sinks.entries()) {
      d.isOpen = true;
      await d.sink.open(this.ctx, r?.sinks[i]?.state);
    }
    for (const e of this.keyedLookups) {
      const t = e.node;
      e.source = t.factory.createLookupSource!(t.table, { keyColumns: e.keyColumns, projection: t.scan.projection }, { config: this.opts.config });
      e.isOpen = true;
      await e.source.open(this.ctx);
    }
    if (r) {
      if (rescaled) rescaled.operators.forEach((list, i) => list.forEach((st) => this.operators[i]?.restore(st)));
      else r.operators.forEach((st, i) => this.operators[i]?.restore(st));
      this.nextCheckpointId = r.checkpointId + 1;
      // Data that was durable in the checkpoint but maybe not committed: commit it now (idempotent).
      for (const [i, d] of this.sinks.entries()) {
        const committables = r.sinks[i]?.committables ?? [];
        if (committables.length) await d.sink.commit(r.checkpointId, committables);
      }
    } else if (this.checkpointStore) {
      const ids = await this.checkpointStore.list();
      if (ids.length) this.nextCheckpointId = ids[ids.length - 1] + 1;
    }
    if (this.checkpointInterval <= 0 && this.sinks.some((d) => d.sink.transactional) && !this.sources.every((s) => s.source.bounded)) {
      this.ctx.log(
        'warn',
        "Checkpointing is disabled (execution.checkpointing.interval is not set): streaming writes into transactional sinks such as Iceberg are never committed. SET 'execution.checkpointing.interval' = '10s'.",
      );
    }
  }

  /** A worker whose sources have no split (and are not all ended): it holds no watermark back (Flink's WatermarkStatus.IDLE). */
  private workerIdle(): boolean {
    return this.sources.length > 0 && this.sources.some((s) => s.noSplits) && this.sources.every((s) => s.ended || s.noSplits);
  }

  /** Runs until the sources end, the job is cancelled, or stopped with a savepoint. */
  async run(): Promise<JobResult> {
    if (this.opts.parallel) return this.runParallel(this.opts.parallel);
    this.status = 'RUNNING';
    let savepointPath: string | undefined;
    try {
      try {
        await this.open();
      } finally {
        this.markOpened();
      }
      const signal = this.abort.signal;
      let idle = false;
      const ex0 = this.keyExchange;
      if (this.opts.subtask && ex0) {
        // The start barrier (Exchange.start): every worker says whether its sources hold a split
        // before any reads, so a worker without one holds no receiver's watermark back and none
        // runs ahead of it (however late it starts).
        idle = this.workerIdle();
        const delay = parseDuration(this.opts.config.get(IDLE_WORKER_START_DELAY) ?? '0') ?? 0;
        if (delay > 0 && idle) await new Promise((r) => setTimeout(r, delay));
        ex0.start(idle);
        while (!ex0.started && !signal.aborted) await ex0.idle(100);
      }
      for (const v of this.valuesToEmit) v();
      let lastCheckpoint = Date.now();
      let iterStart = performance.now();
      while (!signal.aborted) {
        // A worker whose sources have no split is idle: the exchange (or the coordinator) leaves it out of the minimum watermark.
        if (this.opts.subtask && (this.keyExchange || this.opts.onIdle)) {
          const now = this.workerIdle();
          if (now !== idle) {
            idle = now;
            if (this.keyExchange) this.keyExchange.setIdle(idle);
            else this.opts.onIdle?.(idle);
          }
        }
        const now = performance.now();
        const iterMs = now - iterStart;
        iterStart = now;
        if (iterMs > this.loopStats.maxIterationMs) this.loopStats.maxIterationMs = iterMs;
        this.loopStats.iterations++;
        const active = this.sources.filter((s) => !s.ended);
        const ex = this.keyExchange;
        if (active.length === 0 && (!ex || ex.done)) break;
        if (ex && (active.length === 0 || ex.aligning)) {
          // A keyed worker waits for its peers: their rows, their ends, a checkpoint's alignment.
          ex.flush();
          await ex.idle(20);
        } else {
          const timeout = active.length > 1 ? 20 : 100;
          for (const s of active) {
            await s.pollOnce(timeout, this.metrics);
            if (signal.aborted) break;
          }
          if (ex) {
            ex.flush();
            await ex.ready();
          }
        }
        if (signal.aborted) break;
        if (this.lookupReloads.length) this.reloadLookups();
        const nowMicros = this.opCtx.now();
        for (const op of this.operators) op.onProcessingTime(nowMicros);
        this.metrics.watermark = Math.min(...this.sources.map((s) => s.watermark));
        this.metrics.openWindows = this.windowOps.reduce((n, op) => n + op.openWindows(), 0);
        await this.flushSinks();
        // A checkpoint being written in the background: a slice of its state, or its completion.
        if (this.inflight) await this.advanceCheckpoint(CHECKPOINT_SLICE_MS);
        // A worker of a two-phase job: the barrier's snapshot goes after the partial rows sent before it.
        for (const id of this.barrierRequests.splice(0)) {
          if (this.keyExchange) this.keyExchange.barrier(id, () => this.opts.onBarrier?.(id, this.workerState(id)));
          else this.opts.onBarrier?.(id, this.workerState(id));
        }
        if (this.savepointRequests.length) {
          const reqs = this.savepointRequests;
          this.savepointRequests = [];
          try {
            const data = await this.checkpoint(true);
            for (const q of reqs) q.resolve(await writeSavepoint(q.dir, data, storageOptions(this.opts.config)));
          } catch (e) {
            for (const q of reqs) q.reject(e);
          }
        }
        if (this.stopRequest) {
          const req = this.stopRequest;
          if (req.drain) for (const s of this.sources) if (!s.ended) s.out.watermark(Infinity);
          await this.flushSinks();
          try {
            const data = await this.checkpoint(true);
            savepointPath = req.savepointDir ? await writeSavepoint(req.savepointDir, data, storageOptions(this.opts.config)) : undefined;
            req.resolve(savepointPath);
          } catch (e) {
            req.reject(e);
            throw e;
          }
          this.status = 'STOPPED';
          break;
        }
        if (this.checkpointInterval > 0 && !this.inflight && Date.now() - lastCheckpoint >= this.checkpointInterval) {
          // Flink's execution.checkpointing.interval counts from the end of the previous checkpoint
          // (one at a time); this one's state is written in the background (advanceCheckpoint).
          await this.beginCheckpoint(false);
          await this.advanceCheckpoint(CHECKPOINT_SLICE_MS);
          lastCheckpoint = Date.now();
        }
      }
      if (this.exchangeFailure) throw this.exchangeFailure;
      if (this.status === 'RUNNING' && !signal.aborted) {
        // Every source ended: the final watermark has fired all windows; commit what is left.
        await this.flushSinks();
        await this.completeInflight();
        // A worker's sinks that commit nothing (blackhole) need no final checkpoint (its state would be serialised for nothing).
        if (this.sinks.length && !(this.opts.subtask && this.sinks.every((d) => d.sink.transactional !== true))) await this.finalCheckpoint();
        this.status = 'FINISHED';
      }
    } catch (e) {
      this.status = 'FAILED';
      const err = e instanceof TsstreamError ? e : new JobError(`Job '${this.name}' failed: ${(e as Error)?.message ?? e}`, { cause: e });
      this.failure = describeException(err);
      throw err;
    } finally {
      this.metrics.endTime = Date.now();
      await this.close();
    }
    return { status: this.status, metrics: this.metrics, savepointPath };
  }

  /** Where the workers' partial rows enter the global phase of a two-phase window aggregation. */
  private exchange?: Output;
  /** The workers' states at the barrier of the checkpoint being taken (two-phase runs). */
  private workerStates?: string[];
  /** The states the workers of a two-phase run resume from (set by open()). */
  private restoreWorkers?: string[];

  /**
   * run() of a two-phase window aggregation: the workers run the plan up to the aggregation's
   * local phase; this job runs the global phase (fed with their partial rows, its watermark the
   * minimum over the workers', as Flink's per-channel watermarks), the rest of the plan and the sinks.
   */
  private async runTwoPhase(spec: ParallelSpec): Promise<JobResult> {
    this.status = 'RUNNING';
    // A keyed run without a Collect root: nothing comes back but metrics, watermarks and states.
    const exchange: Output = this.exchange ?? { emit() {}, watermark() {}, end() {} };
    const wms = new Array<number>(spec.parallelism).fill(-Infinity);
    /** Per worker: its sources have no split (it holds no watermark back). */
    const idle = new Array<boolean>(spec.parallelism).fill(false);
    let combined = -Infinity;
    /** The minimum watermark over the workers that are not idle (none: it stays); it never goes back. */
    const advance = (): void => {
      if (failure) return;
      const min = minActiveWatermark(wms, idle);
      if (min === undefined || min <= combined) return;
      try {
        raise(min);
      } catch (e) {
        fail(e);
      }
      flush();
    };
    /** The global phase's watermark moved on to `wm` (when later than the last). */
    const raise = (wm: number): void => {
      if (wm <= combined) return;
      combined = wm;
      this.metrics.watermark = wm;
      exchange.watermark(wm);
    };
    let failure: unknown;
    let flushing: Promise<void> = Promise.resolve();
    let flushDue = false;
    const refuse = setInterval(() => {
      const no = () => new JobError(`A savepoint is not supported yet for a job running at parallelism ${spec.parallelism}: cancel it instead, or run it with SET 'parallelism.default' = '1'`);
      if (this.stopRequest) {
        this.stopRequest.reject(no());
        this.stopRequest = undefined;
      }
      for (const q of this.savepointRequests.splice(0)) q.reject(no());
    }, 100);
    const fail = (e: unknown) => {
      failure ??= e;
      this.abort.abort();
    };
    const flush = () => {
      if (flushDue) return;
      flushDue = true;
      flushing = flushing.then(async () => {
        flushDue = false;
        try {
          await this.flushSinks();
        } catch (e) {
          fail(e);
        }
      });
    };
    try {
      try {
        await this.open();
      } catch (e) {
        this.markOpened();
        throw e;
      }
      // Aligned checkpoints: a barrier goes to every worker; a worker's rows and watermarks after its
      // barrier wait (as Flink's aligned checkpoints block a channel) until every worker's state is
      // in and the coordinator has snapshot the global phase and pre-committed the sinks.
      const n = spec.parallelism;
      let pending: { id: number; states: string[]; got: Set<number>; held: (() => void)[][] } | undefined;
      const finalStates: (string | undefined)[] = new Array(n);
      const ended = new Set<number>();
      const deliver = (i: number, f: () => void) => {
        if (pending?.got.has(i)) pending.held[i].push(f);
        else f();
      };
      const release = (p: NonNullable<typeof pending>) => {
        if (pending === p) pending = undefined;
        for (const q of p.held) for (const f of q) f();
      };
      let broadcast: ((m: { t: 'barrier'; id: number }) => void) | undefined;
      let lastCheckpoint = Date.now();
      const trigger = setInterval(() => {
        if (failure || pending || !broadcast || ended.size > 0 || this.checkpointInterval <= 0) return;
        if (Date.now() - lastCheckpoint < this.checkpointInterval) return;
        pending = { id: this.nextCheckpointId, states: new Array<string>(n), got: new Set(), held: Array.from({ length: n }, () => []) };
        broadcast({ t: 'barrier', id: pending.id });
      }, Math.max(10, Math.min(this.checkpointInterval || 1000, 100)));
      // One file read in chunks (spec.chunks, and the source could): each worker sends chunk k's
      // partials (its rows since its previous chunk) and watermark; they are merged in file order.
      // Before chunk k the global phase has the watermark parallelism 1 has after chunks < k, so it
      // drops chunk k's partials of the windows that watermark passed as late rows (all their rows
      // were late at parallelism 1), and the worker dropped the rows late by chunk k's own watermarks.
      let chunked = false;
      const pendingRows: Row[][][] = Array.from({ length: n }, () => []);
      const chunks = new Map<number, { rows: Row[][]; wm: number }>();
      let nextChunk = 0;
      const drainChunks = (): void => {
        for (let c = chunks.get(nextChunk); c !== undefined && !failure; c = chunks.get(nextChunk)) {
          chunks.delete(nextChunk++);
          try {
            for (const rows of c.rows) exchange.emit(rows);
            raise(c.wm);
          } catch (e) {
            fail(e);
          }
          flush();
        }
      };
      let workerLate = 0;
      let r: Awaited<ReturnType<typeof runWorkers>>;
      try {
        r = await runWorkers({
          spec,
          config: this.opts.config,
          jobName: this.name,
          jobId: this.id,
          signal: this.abort.signal,
          restore: this.restoreWorkers,
          ...(this.rescaleWorkers ? { rescale: this.rescaleWorkers } : {}),
          onStart: (b) => (broadcast = b),
          onRows: (rows, i) =>
            deliver(i, () => {
              if (failure) return;
              if (chunked) {
                pendingRows[i].push(rows);
                return;
              }
              try {
                exchange.emit(rows);
              } catch (e) {
                fail(e);
              }
              flush();
            }),
          onChunked: () => {
            if (!chunked) this.ctx.log('info', `Job '${this.name}': the subtasks (the first in this thread) read the file in chunks, each taking the next one when it needs one; their partial aggregates are merged in file order`);
            chunked = true;
          },
          onChunk: (i, k, wm) => {
            chunks.set(k, { rows: pendingRows[i], wm });
            pendingRows[i] = [];
            drainChunks();
          },
          onWatermark: (i, wm) =>
            deliver(i, () => {
              if (failure || chunked || wm <= wms[i]) return;
              wms[i] = wm;
              advance();
            }),
          onIdle: (i, now) =>
            deliver(i, () => {
              idle[i] = now;
              advance();
            }),
          onSnapshot: (i, id, state) => {
            if (id === -1) {
              finalStates[i] = state;
              return;
            }
            const p = pending;
            if (!p || p.id !== id) return;
            p.states[i] = state;
            p.got.add(i);
            if (p.got.size < n) return;
            flushing = flushing.then(async () => {
              try {
                await this.flushSinks();
                this.workerStates = p.states;
                await this.checkpoint(false);
              } catch (e) {
                fail(e);
              } finally {
                this.workerStates = undefined;
                lastCheckpoint = Date.now();
                release(p);
              }
            });
          },
          onWorkerDone: (i) => {
            ended.add(i);
            // A worker that ended before its barrier: that checkpoint is not taken.
            if (pending && !pending.got.has(i)) release(pending);
          },
          onOpened: () => this.markOpened(),
          onCounts: (c) => {
            this.metrics.recordsIn = c.recordsIn;
            this.metrics.recordsSkipped = c.recordsSkipped;
            // A keyed run's sinks are the workers' (a Collect root counts here).
            if (spec.keyed && !this.collect && !this.sinks.length) {
              this.metrics.recordsOut = c.recordsOut;
              this.metrics.watermark = c.watermark;
            }
            if (spec.keyed) this.metrics.lateRecordsDropped = c.lateRecordsDropped;
            else {
              // A local phase over chunks drops its late rows itself; the global phase counts the late partials' rows.
              this.metrics.lateRecordsDropped += c.lateRecordsDropped - workerLate;
              workerLate = c.lateRecordsDropped;
            }
          },
          log: this.ctx.log,
        });
      } finally {
        clearInterval(trigger);
      }
      await flushing;
      if (pending) release(pending);
      if (r.status === 'FINISHED' && finalStates.every((x) => x !== undefined)) this.workerStates = finalStates as string[];
      if (failure) throw failure;
      if (r.status === 'FINISHED') {
        if (chunked) {
          drainChunks();
          if (chunks.size > 0 && !failure) throw new JobError(`Job '${this.name}': chunk ${nextChunk} of the file never came`);
          for (const q of pendingRows) for (const rows of q) exchange.emit(rows);
        }
        exchange.watermark(Infinity);
        exchange.end();
        await flushing;
        if (failure) throw failure;
        await this.flushSinks();
        if (this.sinks.length) await this.finalCheckpoint();
        this.workerStates = undefined;
      }
      if (this.status === 'RUNNING') this.status = r.status;
    } catch (e) {
      const cause = failure ?? e;
      this.status = 'FAILED';
      const err = cause instanceof TsstreamError ? cause : new JobError(`Job '${this.name}' failed: ${(cause as Error)?.message ?? cause}`, { cause });
      this.failure = describeException(err);
      throw err;
    } finally {
      clearInterval(refuse);
      this.markOpened();
      this.metrics.endTime = Date.now();
      await this.close();
    }
    return { status: this.status, metrics: this.metrics };
  }

  /** run() at parallelism > 1: the workers run the plan (src/runtime/parallel/); this job sums up their metrics. */
  private async runParallel(spec: ParallelSpec): Promise<JobResult> {
    if (spec.twoPhase || spec.keyed) return this.runTwoPhase(spec);
    this.status = 'RUNNING';
    const refuse = (what: string) => new JobError(`${what} is not supported yet for a job running at parallelism ${spec.parallelism}: cancel it instead, or run it with SET 'parallelism.default' = '1'`);
    const poll = setInterval(() => {
      if (this.stopRequest) {
        this.stopRequest.reject(refuse('Stopping with a savepoint'));
        this.stopRequest = undefined;
      }
      for (const q of this.savepointRequests.splice(0)) q.reject(refuse('A savepoint'));
    }, 100);
    try {
      const r = await runWorkers({
        spec,
        config: this.opts.config,
        jobName: this.name,
        jobId: this.id,
        signal: this.abort.signal,
        onRows: this.opts.onRows ? (rows) => this.opts.onRows!(rows) : undefined,
        onOpened: () => this.markOpened(),
        onCounts: (c) => Object.assign(this.metrics, c),
        log: this.ctx.log,
      });
      if (this.status === 'RUNNING') this.status = r.status;
    } catch (e) {
      this.status = 'FAILED';
      const err = e instanceof TsstreamError ? e : new JobError(`Job '${this.name}' failed: ${(e as Error)?.message ?? e}`, { cause: e });
      this.failure = describeException(err);
      throw err;
    } finally {
      clearInterval(poll);
      this.markOpened();
      this.metrics.endTime = Date.now();
    }
    return { status: this.status, metrics: this.metrics };
  }

  /**
   * A checkpoint: snapshot sources and operators, pre-commit sinks, make it durable, then commit
   * sinks and tell sources (Kafka commits offsets to the group).
   */
  /**
   * The last checkpoint of a job whose sources all ended. Its state is read only from a checkpoint
   * directory (a later run resumes from it) or for a transactional sink's commit; otherwise (e.g.
   * blackhole or print at the end of a bounded job) the sinks flush (prepareCommit) and the sources
   * commit their positions (Kafka group offsets) without serialising any operator state.
   */
  private async finalCheckpoint(): Promise<void> {
    if (this.checkpointStore || this.sinks.some((d) => d.sink.transactional)) {
      await this.checkpoint(false);
      return;
    }
    await this.completeInflight();
    const id = this.nextCheckpointId++;
    for (const s of this.sources) s.snapshot(id);
    for (const d of this.sinks) {
      const c = await d.sink.prepareCommit(id);
      if (c !== undefined && c !== null) await d.sink.commit(id, [c]);
    }
    for (const s of this.sources) s.checkpointComplete(id, this.ctx.log);
  }

  private async checkpoint(savepoint: boolean): Promise<CheckpointData> {
    // One checkpoint at a time: the one being written in the background completes first.
    await this.completeInflight();
    await this.beginCheckpoint(savepoint);
    return (await this.completeInflight())!;
  }

  /** The checkpoint whose state is being written in the background (at most one). */
  private inflight?: InflightCheckpoint;
  /**
   * The latest completed checkpoint on disk that the next one's deltas may apply to, with the
   * deltas written since its chain's last whole checkpoint (their number and bytes).
   */
  private chain?: { lastId: number; deltas: number; baseBytes: number; deltaBytes: number };

  /**
   * A checkpoint's synchronous part, while the pipeline waits: snapshot the sources and operators
   * (an operator hands what is large as a SlicedState, captured copy-on-write), pre-commit the
   * sinks, serialise the small parts. The rest is written by advanceCheckpoint().
   */
  private async beginCheckpoint(savepoint: boolean): Promise<void> {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    try {
      const triggerTime = Date.now();
      const id = this.nextCheckpointId++;
      const sources = this.sources.map((s) => s.snapshot(id));
      // Incremental: an operator may write a delta over its previous snapshot, which must be the
      // latest completed checkpoint on disk (a savepoint or a failed checkpoint starts a new chain).
      const chain = this.chain;
      const incremental = !savepoint && this.incremental && chain !== undefined && chain.deltas < MAX_DELTAS && chain.deltaBytes < chain.baseBytes;
      const operators = this.operators.map((o) => o.snapshot({ incremental }));
      const isDelta = (st: unknown) => st !== null && typeof st === 'object' && (st as { delta?: unknown }).delta === true;
      const previous = incremental && operators.some(isDelta) ? chain.lastId : undefined;
      const sinks: CheckpointData['sinks'] = [];
      for (const d of this.sinks) {
        const committable = await d.sink.prepareCommit(id);
        const committables = committable === undefined || committable === null ? [] : [committable];
        sinks.push({ committables, state: d.sink.snapshotState?.(id) });
      }
      const data: CheckpointData = {
        version: 1,
        jobId: this.id,
        jobName: this.name,
        checkpointId: id,
        planFingerprint: this.fingerprint,
        timestamp: Date.now(),
        savepoint,
        sources,
        operators,
        sinks,
        identities: this.identities,
        ...(this.workerStates ? { workers: this.workerStates } : {}),
        ...(this.workerStates && this.opts.parallel?.keyed ? { workersKeyed: true } : {}),
        ...(previous !== undefined ? { previous } : {}),
      };
      // A checkpoint written to disk is read back from there for a restart: its sliced state is not kept.
      const serializer = new CheckpointSerializer(data, this.checkpointStore !== undefined, savepoint || !this.checkpointStore);
      this.inflight = { id, savepoint, triggerTime, data, serializer, pauseMs: 0, syncCpuMs: 0, steps: 0 };
      this.inflight.pauseMs = performance.now() - t0;
      const c = process.cpuUsage(c0);
      this.inflight.syncCpuMs = (c.user + c.system) / 1000;
    } catch (e) {
      this.failedCheckpoints++;
      this.chain = undefined;
      throw e;
    } finally {
      this.times.busyMs += performance.now() - t0;
    }
  }

  /**
   * Moves the checkpoint in flight on: serialises its state for about `budgetMs`; once all is
   * serialised, starts the write; once written (durable), completes it: the sinks commit what
   * they prepared for it (exactly-once: never before the checkpoint is durable), the sources are
   * told. Returns the checkpoint's data when it completed in this call.
   */
  private async advanceCheckpoint(budgetMs: number): Promise<CheckpointData | undefined> {
    const c = this.inflight;
    if (!c) return undefined;
    const t0 = performance.now();
    try {
      if (!c.serializer.done) {
        c.steps++;
        if (!c.serializer.step(budgetMs)) return undefined;
      }
      if (this.checkpointStore && !c.written) {
        c.writing ??= this.checkpointStore.writeBytes(c.id, c.serializer.bytes(), c.data.previous).then(
          (loc) => {
            c.written = { location: loc };
          },
          (e: unknown) => {
            c.written = { error: e };
          },
        );
        if (budgetMs !== Infinity) return undefined;
        await c.writing;
      }
      this.inflight = undefined;
      if (c.written?.error) throw c.written.error;
      return await this.completeCheckpoint(c);
    } catch (e) {
      this.inflight = undefined;
      this.failedCheckpoints++;
      this.chain = undefined;
      throw e;
    } finally {
      this.times.busyMs += performance.now() - t0;
    }
  }

  /** Completes the checkpoint in flight, if any, without slicing (before a savepoint, at the end). */
  private async completeInflight(): Promise<CheckpointData | undefined> {
    return this.inflight ? this.advanceCheckpoint(Infinity) : undefined;
  }

  private async completeCheckpoint(c: InflightCheckpoint): Promise<CheckpointData> {
    const { id, savepoint, triggerTime, data } = c;
    const sinks = data.sinks;
    let location: string | undefined;
    if (this.checkpointStore) {
      location = c.written?.location;
      await this.checkpointStore.prune(this.retainedCheckpoints);
    }
    this.setLastCheckpoint(data, location);
    for (const [i, d] of this.sinks.entries()) {
      if (sinks[i].committables.length) await d.sink.commit(id, sinks[i].committables);
    }
    // Not awaited: an offset commit to an unreachable group coordinator must not hold back the
    // next checkpoint, a savepoint or cancel (the offsets in the group are for monitoring only).
    for (const s of this.sources) s.checkpointComplete(id, this.ctx.log);
    const commits = this.sinks.flatMap((d, i) => {
      const c = sinks[i].committables;
      if (!c.length) return [];
      const target = this.identities?.sinks[i];
      return [{ sink: d.node.name, target: target ? `${target.what}` : d.node.name, detail: d.sink.describeCommit?.(c) ?? `${c.length} committable${c.length === 1 ? '' : 's'}` }];
    });
    const sizeBytes = this.checkpointStore ? this.checkpointStore.lastSize : 0;
    // What the next checkpoint's deltas apply to: this one, on disk (not a savepoint).
    const ch = this.chain;
    if (savepoint || location === undefined) this.chain = undefined;
    else if (data.previous === undefined || ch === undefined) this.chain = { lastId: id, deltas: 0, baseBytes: sizeBytes, deltaBytes: 0 };
    else this.chain = { lastId: id, deltas: ch.deltas + 1, baseBytes: ch.baseBytes, deltaBytes: ch.deltaBytes + sizeBytes };
    const pauseMs = Math.max(c.pauseMs, c.serializer.maxStepMs);
    pushBounded(this.checkpointHistory, { id, savepoint, triggerTime, durationMs: Date.now() - triggerTime, sizeBytes, location, commits, pauseMs: +pauseMs.toFixed(1), syncMs: +c.pauseMs.toFixed(1), slices: c.steps, pauseCpuMs: +Math.max(c.syncCpuMs, c.serializer.maxStepCpuMs).toFixed(1), ...(data.previous !== undefined ? { previous: data.previous } : {}) });
    this.metrics.checkpoints++;
    this.metrics.lastCheckpointId = id;
    this.metrics.lastCheckpointTime = Date.now();
    return data;
  }

  private async close(): Promise<void> {
    const errors: unknown[] = [];
    this.keyExchange?.close();
    // A finished job gives its last checkpoint's notifications (Kafka offset commits) a moment to
    // land; a cancelled or failed one does not wait.
    if (this.status === 'FINISHED' || this.status === 'STOPPED') await Promise.all(this.sources.map((s) => s.settle(10_000)));
    // A lookup table being read again is let finish (its reader closes its own source).
    await Promise.all(this.lookupReloads.map((e) => e.running));
    for (const s of this.sources) {
      try {
        if (s.isOpen) await s.source.close();
      } catch (e) {
        errors.push(e);
      }
    }
    for (const d of this.sinks) {
      try {
        if (d.isOpen) await d.sink.close();
      } catch (e) {
        errors.push(e);
      }
    }
    for (const l of this.keyedLookups) {
      try {
        if (l.isOpen) await l.source?.close();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length && this.status !== 'FAILED') this.ctx.log('warn', `Closing job '${this.name}': ${String((errors[0] as Error)?.message ?? errors[0])}`);
  }

  // Step-by-step driving (tsstream test), instead of run(): startSteps(), then drainOnce() and
  // injectWatermark() as the test feeds its sources, then finishSteps().

  private failed(e: unknown): TsstreamError {
    this.status = 'FAILED';
    const err = e instanceof TsstreamError ? e : new JobError(`Job '${this.name}' failed: ${(e as Error)?.message ?? e}`, { cause: e });
    this.failure = describeException(err);
    return err;
  }

  /** Opens sources and sinks without running the loop. */
  async startSteps(): Promise<void> {
    this.status = 'RUNNING';
    try {
      await this.open();
    } catch (e) {
      const err = this.failed(e);
      await this.close();
      throw err;
    } finally {
      this.markOpened();
    }
    for (const v of this.valuesToEmit) v();
  }

  /** One pass of the loop: polls every open source once (waiting at most timeoutMs) and flushes the sinks. Resolves with the rows read. */
  async drainOnce(timeoutMs = 0): Promise<number> {
    let n = 0;
    try {
      for (const s of this.sources) if (!s.ended) n += await s.pollOnce(timeoutMs, this.metrics);
      const nowMicros = this.opCtx.now();
      for (const op of this.operators) op.onProcessingTime(nowMicros);
      this.metrics.watermark = Math.min(...this.sources.map((s) => s.watermark));
      this.metrics.openWindows = this.windowOps.reduce((k, op) => k + op.openWindows(), 0);
      await this.flushSinks();
    } catch (e) {
      throw this.failed(e);
    }
    return n;
  }

  /** Whether every source has ended. */
  get sourcesEnded(): boolean {
    return this.sources.every((s) => s.ended);
  }

  /** Sends a watermark from the sources reading the table `sourceName` (catalog.db.table); false when no source reads it. */
  injectWatermark(sourceName: string, micros: number): boolean {
    let found = false;
    for (const s of this.sources) {
      if (s.node.name !== sourceName) continue;
      found = true;
      if (!s.ended) s.advanceWatermark(micros);
    }
    return found;
  }

  /** Ends a step-by-step run: the final watermark from every source still open, a flush, a last checkpoint, close. */
  async finishSteps(): Promise<JobResult> {
    try {
      if (this.status === 'RUNNING') {
        for (const s of this.sources) {
          if (s.ended) continue;
          s.ended = true;
          s.watermark = Infinity;
          s.out.watermark(Infinity);
          s.out.end();
        }
        this.metrics.watermark = Infinity;
        await this.flushSinks();
        if (this.sinks.length) await this.checkpoint(false);
        this.status = 'FINISHED';
      }
    } catch (e) {
      throw this.failed(e);
    } finally {
      this.metrics.endTime = Date.now();
      await this.close();
    }
    return { status: this.status, metrics: this.metrics };
  }
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '_') || 'job';
}

/**
 * `table.exec.mini-batch.enabled`, `.allow-latency` and `.size` as GROUP BY aggregations use them
 * (latency in micros); undefined when off. On, both must be positive, as Flink requires.
 */
export function miniBatchOf(config: { get(key: string): string | undefined }): { latency: number; size: number } | undefined {
  if ((config.get('table.exec.mini-batch.enabled') ?? 'false').trim().toLowerCase() !== 'true') return undefined;
  const latency = parseDuration(config.get('table.exec.mini-batch.allow-latency') ?? '0') ?? 0;
  if (!(latency > 0)) throw new JobError("MiniBatch Latency must be greater than 0 ms: set 'table.exec.mini-batch.allow-latency' (e.g. '2 s') with 'table.exec.mini-batch.enabled'");
  const size = Number(config.get('table.exec.mini-batch.size') ?? '-1');
  if (!(Number.isInteger(size) && size > 0)) throw new JobError("'table.exec.mini-batch.size' must be > 0 with 'table.exec.mini-batch.enabled' (e.g. '5000')");
  return { latency: latency * 1000, size };
}
