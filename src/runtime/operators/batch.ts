// Blocking operators of batch mode: ORDER BY / LIMIT and hash joins.
import { rowKindOf, setRowKind, type Row } from '../../common/types.js';
import type { RankFunction, SortKey } from '../../planner/physical.js';
import { rankNumbers } from './rank.js';
import { compareStructured } from '../expr-compiler.js';
import { Operator, StateTtl, type Output, type OperatorContext } from './operator.js';
import { groupKeyFn } from './aggregates.js';

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareStructured(a, b);
}

export function rowComparator(keys: SortKey[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const k of keys) {
      const x = a[k.index] ?? null;
      const y = b[k.index] ?? null;
      if (x === null || y === null) {
        if (x === y) continue;
        // Flink: NULLS FIRST for ASC and NULLS LAST for DESC unless stated.
        return (x === null) === k.nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y);
      if (c !== 0) return k.descending ? -c : c;
    }
    return 0;
  };
}

/** ORDER BY … LIMIT … OFFSET … (a LIMIT without ORDER BY passes rows through until full). */
export class SortLimitOperator extends Operator {
  private rows: Row[] = [];
  private passed = 0;

  constructor(out: Output, ctx: OperatorContext, private readonly keys: SortKey[], private readonly limit?: number, private readonly offset = 0) {
    super(out, ctx);
  }

  process(rows: Row[], _input = 0): void {
    if (this.keys.length === 0) {
      // Streaming-friendly LIMIT: forward as rows come.
      const out: Row[] = [];
      for (const r of rows) {
        const i = this.passed++;
        if (i < this.offset) continue;
        if (this.limit !== undefined && i >= this.offset + this.limit) break;
        out.push(r);
      }
      if (out.length) this.out.emit(out);
      return;
    }
    for (const r of rows) this.rows.push(r);
  }

  protected override onWatermark(wm: number): void {
    if (this.keys.length === 0) this.out.watermark(wm);
  }

  protected override onEnd(): void {
    if (this.keys.length > 0) {
      const sorted = this.rows.sort(rowComparator(this.keys));
      const end = this.limit === undefined ? sorted.length : this.offset + this.limit;
      const out = sorted.slice(this.offset, end);
      this.rows = [];
      if (out.length) this.out.emit(out);
    }
    this.out.watermark(Infinity);
    this.out.end();
  }
}

/** Equi-join of two bounded inputs (batch mode): builds on the right, probes with the left at the end. */
export class HashJoinOperator extends Operator {
  private readonly left: Row[] = [];
  private readonly right: Row[] = [];

  constructor(
    out: Output,
    ctx: OperatorContext,
    private readonly joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL',
    private readonly leftKeys: number[],
    private readonly rightKeys: number[],
    private readonly leftWidth: number,
    private readonly rightWidth: number,
    private readonly condition?: (row: Row) => boolean,
  ) {
    super(out, ctx, 2);
  }

  process(rows: Row[], input: number): void {
    const target = input === 0 ? this.left : this.right;
    for (const r of rows) target.push(r);
  }

  protected override onWatermark(): void {}

  protected override onEnd(): void {
    const lk = groupKeyFn(this.leftKeys);
    const rk = groupKeyFn(this.rightKeys);
    const hasNullKey = (r: Row, keys: number[]) => keys.some((k) => r[k] === null || r[k] === undefined);
    const table = new Map<string, number[]>();
    this.right.forEach((r, i) => {
      if (hasNullKey(r, this.rightKeys)) return;
      const k = rk(r);
      const l = table.get(k);
      if (l) l.push(i);
      else table.set(k, [i]);
    });
    const matchedRight = new Uint8Array(this.right.length);
    const out: Row[] = [];
    const nullsLeft = new Array(this.leftWidth).fill(null);
    const nullsRight = new Array(this.rightWidth).fill(null);
    for (const l of this.left) {
      let matched = false;
      if (!hasNullKey(l, this.leftKeys)) {
        for (const i of table.get(lk(l)) ?? []) {
          const joined = [...l, ...this.right[i]];
          if (this.condition && !this.condition(joined)) continue;
          matched = true;
          matchedRight[i] = 1;
          out.push(joined);
        }
      }
      if (!matched && (this.joinType === 'LEFT' || this.joinType === 'FULL')) out.push([...l, ...nullsRight]);
    }
    if (this.joinType === 'RIGHT' || this.joinType === 'FULL') {
      this.right.forEach((r, i) => {
        if (!matchedRight[i]) out.push([...nullsLeft, ...r]);
      });
    }
    if (out.length) this.out.emit(out);
    this.out.watermark(Infinity);
    this.out.end();
  }
}

/**
 * Streaming interval join: a left row and a right row with equal keys join when
 * lower <= left.time - right.time <= upper. Each side keeps its rows until the watermark shows
 * that no row of the other side can match them any more.
 */
export class IntervalJoinOperator extends Operator {
  private readonly state: [Map<string, Row[]>, Map<string, Row[]>] = [new Map(), new Map()];
  private readonly keyOf: [(r: Row) => string, (r: Row) => string];

  constructor(
    out: Output,
    ctx: OperatorContext,
    leftKeys: number[],
    rightKeys: number[],
    private readonly leftTime: number,
    private readonly rightTime: number,
    private readonly lower: number,
    private readonly upper: number,
    private readonly condition?: (row: Row) => boolean,
  ) {
    super(out, ctx, 2);
    this.keyOf = [groupKeyFn(leftKeys), groupKeyFn(rightKeys)];
  }

  process(rows: Row[], input: number): void {
    const out: Row[] = [];
    const mine = this.state[input];
    const other = this.state[1 - input];
    for (const row of rows) {
      const ts = row[input === 0 ? this.leftTime : this.rightTime] as number | null;
      if (ts === null || ts === undefined) continue;
      const k = this.keyOf[input](row);
      for (const o of other.get(k) ?? []) {
        const [l, r] = input === 0 ? [row, o] : [o, row];
        const d = (l[this.leftTime] as number) - (r[this.rightTime] as number);
        if (d < this.lower || d > this.upper) continue;
        const joined = [...l, ...r];
        if (this.condition && !this.condition(joined)) continue;
        out.push(joined);
      }
      const list = mine.get(k);
      if (list) list.push(row);
      else mine.set(k, [row]);
    }
    if (out.length) this.out.emit(out);
  }

  protected override onWatermark(wm: number): void {
    // Left rows can match right rows with time in [l - upper, l - lower]; right rows [r + lower, r + upper].
    this.expire(0, (t) => t - this.lower < wm, this.leftTime);
    this.expire(1, (t) => t + this.upper < wm, this.rightTime);
    this.out.watermark(wm - Math.max(0, this.upper, -this.lower));
  }

  private expire(side: 0 | 1, gone: (t: number) => boolean, ti: number): void {
    for (const [k, list] of this.state[side]) {
      const kept = list.filter((r) => !gone(r[ti] as number));
      if (kept.length) this.state[side].set(k, kept);
      else this.state[side].delete(k);
    }
  }

  override snapshot(): unknown {
    return { base: super.snapshot(), left: [...this.state[0].values()].flat(), right: [...this.state[1].values()].flat() };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; left: Row[]; right: Row[] };
    super.restore(s.base);
    ([s.left, s.right] as const).forEach((rows, side) => {
      for (const r of rows) {
        const k = this.keyOf[side](r);
        const list = this.state[side].get(k);
        if (list) list.push(r);
        else this.state[side].set(k, [r]);
      }
    });
  }
}

/**
 * Lookup join: the right input (a bounded table) is loaded whole into a hash table; left rows
 * that arrive before it is complete wait, then every left row looks up its key. Its watermark
 * is the left input's (the lookup table is not a time-ordered stream).
 */
export class LookupJoinOperator extends Operator {
  private table = new Map<string, Row[]>();
  private waiting: Row[] = [];
  private loaded = false;
  /** Times the table was replaced by a periodic reload. */
  reloads = 0;
  private readonly leftKey: (r: Row) => string;
  private readonly rightKey: (r: Row) => string;
  private readonly nullsRight: Row;

  constructor(
    out: Output,
    ctx: OperatorContext,
    private readonly joinType: 'INNER' | 'LEFT',
    private readonly leftKeys: number[],
    rightKeys: number[],
    rightWidth: number,
    private readonly condition?: (row: Row) => boolean,
  ) {
    super(out, ctx, 2);
    this.leftKey = groupKeyFn(leftKeys);
    this.rightKey = groupKeyFn(rightKeys);
    this.nullsRight = new Array(rightWidth).fill(null);
  }

  process(rows: Row[], input: number): void {
    if (input === 1) {
      for (const r of rows) {
        const k = this.rightKey(r);
        const l = this.table.get(k);
        if (l) l.push(r);
        else this.table.set(k, [r]);
      }
      return;
    }
    if (!this.loaded) {
      for (const r of rows) this.waiting.push(r);
      return;
    }
    this.probe(rows);
  }

  private probe(rows: Row[]): void {
    const out: Row[] = [];
    for (const l of rows) {
      let matched = false;
      if (!this.leftKeys.some((k) => l[k] === null || l[k] === undefined)) {
        for (const r of this.table.get(this.leftKey(l)) ?? []) {
          const joined = [...l, ...r];
          if (this.condition && !this.condition(joined)) continue;
          matched = true;
          out.push(joined);
        }
      }
      if (!matched && this.joinType === 'LEFT') out.push([...l, ...this.nullsRight]);
    }
    if (out.length) this.out.emit(out);
  }

  override watermark(wm: number, input: number): void {
    // The lookup side's final watermark counts only once its rows are all in the table (endInput).
    if (input === 1 && !this.loaded) return;
    super.watermark(wm, input);
  }

  override endInput(input: number): void {
    if (input === 1 && !this.loaded) {
      this.loaded = true;
      const w = this.waiting;
      this.waiting = [];
      this.probe(w);
      // The lookup side ended: from now on the watermark is the left input's.
      this.watermark(Infinity, 1);
    }
    super.endInput(input);
  }

  /**
   * Replaces the table with a fresh read of the lookup side (a periodic reload): left rows from
   * now on look up the new rows. Ignored until the first read completed (it is still coming).
   */
  replaceTable(rows: Row[]): void {
    if (!this.loaded) return;
    const table = new Map<string, Row[]>();
    for (const r of rows) {
      const k = this.rightKey(r);
      const l = table.get(k);
      if (l) l.push(r);
      else table.set(k, [r]);
    }
    this.table = table;
    this.reloads++;
  }

  override snapshot(): unknown {
    // The lookup table is read again on restore; only left rows still waiting for it are state.
    return { base: super.snapshot(), waiting: this.waiting };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; waiting: Row[] };
    super.restore(s.base);
    this.waiting = s.waiting ?? [];
  }
}

/**
 * Whether a deduplication by rowtime replaces the row it kept (rowtime `kept`) with one of rowtime
 * `t`, as Flink's RowTimeDeduplicateFunction: keeping the last, a row as late or later in time;
 * keeping the first, an earlier one (which makes that deduplication a changelog too).
 */
function replacesByRowtime(kept: unknown, t: unknown, keepLast: boolean): boolean {
  if (t === null || t === undefined) return false;
  if (kept === null || kept === undefined) return true;
  return keepLast ? (kept as number) <= (t as number) : (t as number) < (kept as number);
}

/**
 * ROW_NUMBER() OVER (PARTITION BY … ORDER BY …). Batch: numbers every partition when the input
 * ends (keeping rows up to `limit`). Streaming deduplication: the first row per key (ascending
 * time, append-only) or the last one (descending, a changelog of -U/+U). With mini-batch
 * (`table.exec.mini-batch.*`) a deduplication by processing time (Flink's
 * ProcTimeMiniBatchDeduplicate functions) emits a key once per mini-batch: the row it keeps at the
 * batch's end, +I or -U/+U of the one kept before.
 */
export class RankOperator extends Operator {
  private readonly rows = new Map<string, Row[]>();
  private readonly latest = new Map<string, Row>();
  private readonly touched = new Map<string, number>();
  private readonly key: (row: Row) => string;
  private readonly ttl: StateTtl;
  /** Mini-batch: the keys whose kept row changed in the open batch, each with the row emitted before it (null: none). */
  private readonly batch = new Map<string, Row | null>();
  private batchRows = 0;
  private batchStart = 0;

  constructor(
    out: Output,
    ctx: OperatorContext,
    partitionKeys: number[],
    private readonly orderKeys: SortKey[],
    private readonly limit: number | undefined,
    private readonly streaming: boolean,
    private readonly keepLast: boolean,
    private readonly fn: RankFunction = 'ROW_NUMBER',
    /** Streaming deduplication ordered by a rowtime: its column (rows then replace by time, not arrival). */
    private readonly rowtime?: number,
  ) {
    super(out, ctx);
    this.key = groupKeyFn(partitionKeys);
    this.ttl = new StateTtl(ctx.stateTtl ?? 0);
  }

  override onProcessingTime(now: number): void {
    if (this.batch.size && now - this.batchStart >= this.ctx.miniBatch!.latency) this.endBatch();
    if (!this.streaming || !this.ttl.due(now)) return;
    for (const [k, at] of this.touched) {
      if (this.ttl.expired(at, now)) {
        this.touched.delete(k);
        this.latest.delete(k);
      }
    }
  }

  process(rows: Row[], _input = 0): void {
    if (!this.streaming) {
      for (const r of rows) {
        const k = this.key(r);
        const l = this.rows.get(k);
        if (l) l.push(r);
        else this.rows.set(k, [r]);
      }
      return;
    }
    // By rowtime, Flink's mini-batch deduplication (RowTimeMiniBatchDeduplicateFunction) still
    // emits every replacement of a batch's rows, in order: the same changelog as without it.
    const mb = this.rowtime === undefined ? this.ctx.miniBatch : undefined;
    const out: Row[] = [];
    for (const r of rows) {
      const k = this.key(r);
      const prev = this.latest.get(k);
      const row = [...r, 1];
      if (this.ttl.enabled) this.touched.set(k, this.ctx.now());
      if (mb) {
        if (this.batch.size === 0) this.batchStart = this.ctx.now();
        if (!prev || this.keepLast) {
          if (!this.batch.has(k)) this.batch.set(k, prev ?? null);
          this.latest.set(k, row);
        }
        if (++this.batchRows >= mb.size) this.endBatch();
        continue;
      }
      if (!prev) {
        this.latest.set(k, row);
        out.push(row);
      } else if (this.rowtime !== undefined ? replacesByRowtime(prev[this.rowtime], r[this.rowtime], this.keepLast) : this.keepLast) {
        this.latest.set(k, row);
        out.push(setRowKind(prev.slice(), '-U'), setRowKind(row, '+U'));
      }
    }
    if (out.length) this.out.emit(out);
  }

  /** Ends the open mini-batch: each key whose kept row changed emits it (+I, or -U/+U of the one before). */
  private endBatch(): void {
    this.batchRows = 0;
    if (this.batch.size === 0) return;
    const out: Row[] = [];
    for (const [k, prev] of this.batch) {
      const cur = this.latest.get(k);
      if (!cur || cur === prev) continue;
      if (prev) out.push(setRowKind(prev.slice(), '-U'), setRowKind(cur.slice(), '+U'));
      else out.push(cur);
    }
    this.batch.clear();
    if (out.length) this.out.emit(out);
  }

  protected override onWatermark(wm: number): void {
    if (!this.streaming) return;
    this.endBatch();
    this.out.watermark(wm);
  }

  protected override onEnd(): void {
    this.endBatch();
    if (!this.streaming) {
      const cmp = rowComparator(this.orderKeys);
      const out: Row[] = [];
      for (const list of this.rows.values()) {
        list.sort(cmp);
        const ranks = rankNumbers(list, cmp, this.fn);
        for (let i = 0; i < list.length && (this.limit === undefined || ranks[i] <= this.limit); i++) out.push([...list[i], ranks[i]]);
      }
      this.rows.clear();
      if (out.length) this.out.emit(out);
      this.out.watermark(Infinity);
    }
    this.out.end();
  }

  override snapshot(): unknown {
    // An open mini-batch: the rows emitted before it, for its net change when it ends after a restore.
    const batch = this.batch.size ? { batch: [...this.batch], batchRows: this.batchRows } : {};
    return { base: super.snapshot(), latest: [...this.latest.values()], rows: [...this.rows.values()].flat(), ...batch };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; latest: Row[]; rows: Row[]; batch?: [string, Row | null][]; batchRows?: number };
    super.restore(s.base);
    for (const [k, prev] of s.batch ?? []) this.batch.set(k, prev);
    this.batchRows = s.batchRows ?? 0;
    this.batchStart = this.ctx.now();
    for (const r of s.latest ?? []) {
      const k = this.key(r);
      this.latest.set(k, r);
      // table.exec.state.ttl counts a restored key's idle time from the restore.
      if (this.ttl.enabled) this.touched.set(k, this.ctx.now());
    }
    for (const r of s.rows ?? []) {
      const k = this.key(r);
      const l = this.rows.get(k);
      if (l) l.push(r);
      else this.rows.set(k, [r]);
    }
  }
}

/** A stored row as checkpoints hold it (the state's format on disk; the operator keeps them in JoinBuckets). */
interface JoinEntry {
  row: Row;
  /** How many rows of the other side it has joined with (outer joins pad it while 0). */
  matches: number;
  /** Processing time it was stored (micros), for table.exec.state.ttl. */
  at: number;
}

/**
 * The rows of one key on one side, as they arrived, with what outer joins and TTL need in arrays
 * parallel to them: no object per stored row (a join keeps every row of both sides, so one object
 * each was much of what the collector walked).
 */
interface JoinBucket {
  rows: Row[];
  /** How many rows of the other side each row has joined with; only on an outer side (padded while 0). */
  matches: number[] | undefined;
  /** Processing time each row was stored (micros); only with table.exec.state.ttl. */
  at: number[] | undefined;
}

/**
 * A regular streaming join on equal keys. Both sides are kept. INNER emits +I for each new
 * match; an outer side emits its row padded with NULLs while it has no match, and retracts that
 * padded row (-D) when its first match arrives, as Flink's changelog does.
 */
export class StreamingJoinOperator extends Operator {
  private readonly state: [Map<string, JoinBucket>, Map<string, JoinBucket>] = [new Map(), new Map()];
  private readonly keyOf: [(r: Row) => string, (r: Row) => string];
  private readonly keyIdx: [number[], number[]];
  /** A row's whole value as a key (finds the stored row a retraction takes back). */
  private readonly rowOf: [(r: Row) => string, (r: Row) => string];
  private readonly outer: [boolean, boolean];
  private readonly nulls: [Row, Row];
  private readonly ttl: StateTtl;

  constructor(
    out: Output,
    ctx: OperatorContext,
    joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL',
    leftKeys: number[],
    rightKeys: number[],
    leftWidth: number,
    rightWidth: number,
    private readonly condition?: (row: Row) => boolean,
  ) {
    super(out, ctx, 2);
    this.keyOf = [groupKeyFn(leftKeys), groupKeyFn(rightKeys)];
    this.keyIdx = [leftKeys, rightKeys];
    this.rowOf = [groupKeyFn([...Array(leftWidth).keys()]), groupKeyFn([...Array(rightWidth).keys()])];
    this.outer = [joinType === 'LEFT' || joinType === 'FULL', joinType === 'RIGHT' || joinType === 'FULL'];
    this.nulls = [new Array(leftWidth).fill(null), new Array(rightWidth).fill(null)];
    this.ttl = new StateTtl(ctx.stateTtl ?? 0);
  }

  override onProcessingTime(now: number): void {
    if (!this.ttl.due(now)) return;
    for (const side of this.state) {
      for (const [k, b] of side) {
        const at = b.at!;
        const keep: number[] = [];
        for (let i = 0; i < at.length; i++) if (!this.ttl.expired(at[i], now)) keep.push(i);
        if (keep.length === at.length) continue;
        if (!keep.length) {
          side.delete(k);
          continue;
        }
        const ms = b.matches;
        b.rows = keep.map((i) => b.rows[i]);
        b.at = keep.map((i) => at[i]);
        if (ms) b.matches = keep.map((i) => ms[i]);
      }
    }
  }

  private joined(side: number, mine: Row, theirs: Row): Row {
    return side === 0 ? [...mine, ...theirs] : [...theirs, ...mine];
  }

  /** Stores a row of `side` under key `k`. */
  private store(side: number, k: string, row: Row, matches: number, at: number): void {
    let b = this.state[side].get(k);
    if (!b) {
      b = { rows: [], matches: this.outer[side] ? [] : undefined, at: this.ttl.enabled ? [] : undefined };
      this.state[side].set(k, b);
    }
    b.rows.push(row);
    b.matches?.push(matches);
    b.at?.push(at);
  }

  /**
   * A retraction (-U/-D) of an input row: an equal stored row leaves the state, and every match
   * on the other side is taken back (-D) with the retraction's own values, as Flink's join does
   * (a Debezium before-image need not equal the row once inserted, column for column).
   */
  private retract(row: Row, input: number, out: Row[]): void {
    const other = 1 - input;
    if (this.keyIdx[input].some((i) => row[i] === null || row[i] === undefined)) {
      // A row with a NULL key was never kept: it only stood alone, padded, in an outer join.
      if (this.outer[input]) out.push(setRowKind(this.joined(input, row, this.nulls[other]), '-D'));
      return;
    }
    const k = this.keyOf[input](row);
    const b = this.state[input].get(k);
    if (b) {
      const same = this.rowOf[input];
      const target = same(row);
      const at = b.rows.findIndex((r) => same(r) === target);
      if (at >= 0) {
        b.rows.splice(at, 1);
        b.matches?.splice(at, 1);
        b.at?.splice(at, 1);
      }
      if (!b.rows.length) this.state[input].delete(k);
    }
    let matched = 0;
    const o = this.state[other].get(k);
    if (o) {
      // o.matches is there only when the other side is outer.
      const ms = o.matches;
      for (let i = 0; i < o.rows.length; i++) {
        const j = this.joined(input, row, o.rows[i]);
        if (this.condition && !this.condition(j)) continue;
        matched++;
        out.push(setRowKind(j, '-D'));
        if (!ms) continue;
        if (ms[i] > 0) ms[i]--;
        if (ms[i] === 0) out.push(this.joined(other, o.rows[i], this.nulls[input]));
      }
    }
    if (matched === 0 && this.outer[input]) out.push(setRowKind(this.joined(input, row, this.nulls[other]), '-D'));
  }

  process(rows: Row[], input: number): void {
    const other = 1 - input;
    const theirs = this.state[other];
    const keyIdx = this.keyIdx[input];
    const keyOf = this.keyOf[input];
    const outerMine = this.outer[input];
    const condition = this.condition;
    const out: Row[] = [];
    for (const row of rows) {
      const kind = rowKindOf(row);
      if (kind === '-U' || kind === '-D') {
        this.retract(row, input, out);
        continue;
      }
      let nullKey = false;
      for (const i of keyIdx) {
        if (row[i] === null || row[i] === undefined) {
          nullKey = true;
          break;
        }
      }
      let matches = 0;
      const k = nullKey ? '' : keyOf(row);
      if (!nullKey) {
        const o = theirs.get(k);
        if (o) {
          // o.matches is there only when the other side is outer.
          const ms = o.matches;
          const rs = o.rows;
          for (let i = 0; i < rs.length; i++) {
            const j = this.joined(input, row, rs[i]);
            if (condition && !condition(j)) continue;
            if (ms) {
              if (ms[i] === 0) out.push(setRowKind(this.joined(other, rs[i], this.nulls[input]), '-D'));
              ms[i]++;
            }
            matches++;
            out.push(j);
          }
        }
      }
      if (matches === 0 && outerMine) out.push(this.joined(input, row, this.nulls[other]));
      if (nullKey) continue; // never matches: no need to keep it
      this.store(input, k, row, matches, this.ttl.enabled ? this.ctx.now() : 0);
    }
    if (out.length) this.out.emit(out);
  }

  override snapshot(): unknown {
    // The format of the JoinEntry-per-row state before: checkpoints of either restore into the other.
    const entries = (side: number): JoinEntry[] => {
      const list: JoinEntry[] = [];
      for (const b of this.state[side].values()) {
        for (let i = 0; i < b.rows.length; i++) list.push({ row: b.rows[i], matches: b.matches ? b.matches[i] : 0, at: b.at ? b.at[i] : 0 });
      }
      return list;
    };
    return { base: super.snapshot(), left: entries(0), right: entries(1) };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; left: JoinEntry[]; right: JoinEntry[] };
    super.restore(s.base);
    ([s.left, s.right] as const).forEach((entries, side) => {
      for (const e of entries) this.store(side, this.keyOf[side](e.row), e.row, e.matches ?? 0, e.at ?? 0);
    });
  }
}
