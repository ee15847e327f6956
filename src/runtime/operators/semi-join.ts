// Semi and anti joins ([NOT] IN and [NOT] EXISTS subqueries): a left row goes out when it has at
// least one matching right row (semi) or none (anti). In streaming mode both sides are state and
// the output is a changelog, as Flink's StreamingSemiAntiJoinOperator: a left row is emitted or
// retracted whenever its number of matches leaves or reaches zero.
import { rowKindOf, setRowKind, type Row } from '../../common/types.js';
import { Operator, StateTtl, type Output, type OperatorContext } from './operator.js';
import { groupKeyFn } from './aggregates.js';
import type { WindowSpec } from '../../planner/physical.js';
import { isWindowFired, windowProgressOf } from './window.js';

interface LeftEntry {
  row: Row;
  /** Matching right rows (kept up to date in streaming mode). */
  matches: number;
  /** Processing time it was stored (micros), for table.exec.state.ttl. */
  at: number;
}

interface RightEntry {
  row: Row;
  at: number;
}

export class SemiAntiJoinOperator extends Operator {
  private readonly left = new Map<string, LeftEntry[]>();
  private readonly right = new Map<string, RightEntry[]>();
  private readonly keyOf: [(r: Row) => string, (r: Row) => string];
  private readonly rowKey: [(r: Row) => string, (r: Row) => string];
  private readonly ttl: StateTtl;
  /** Batch: left rows waiting for the right input to end. */
  private waiting: Row[] = [];
  private rightEnded = false;

  constructor(
    out: Output,
    ctx: OperatorContext,
    private readonly anti: boolean,
    private readonly leftKeys: number[],
    private readonly rightKeys: number[],
    leftWidth: number,
    rightWidth: number,
    /** Over the joined row (left then right): the residual condition and NOT IN's NULL-aware key. */
    private readonly matches: ((joined: Row) => boolean) | undefined,
    private readonly streaming: boolean,
    /**
     * NOT IN without another condition: its [left, right] key pair. Matches are then counted from
     * an index of the right rows by that key (NULL matching everything) instead of a scan.
     */
    nullAwareKey?: [number, number],
  ) {
    super(out, ctx, 2);
    this.keyOf = [groupKeyFn(leftKeys), groupKeyFn(rightKeys)];
    this.rowKey = [groupKeyFn([...Array(leftWidth).keys()]), groupKeyFn([...Array(rightWidth).keys()])];
    this.ttl = new StateTtl(ctx.stateTtl ?? 0);
    if (nullAwareKey) this.naKey = { left: nullAwareKey[0], right: nullAwareKey[1], leftValue: groupKeyFn([nullAwareKey[0]]), rightValue: groupKeyFn([nullAwareKey[1]]) };
  }

  private readonly naKey?: { left: number; right: number; leftValue: (r: Row) => string; rightValue: (r: Row) => string };
  /** NOT IN's index: per bucket of the other keys, the right rows in all, with a NULL key, and by key. */
  private readonly naIndex = new Map<string, { total: number; nulls: number; byValue: Map<string, number> }>();

  private indexRight(row: Row, bucket: string, sign: number): void {
    const na = this.naKey;
    if (!na) return;
    let b = this.naIndex.get(bucket);
    if (!b) this.naIndex.set(bucket, (b = { total: 0, nulls: 0, byValue: new Map() }));
    b.total += sign;
    const y = row[na.right];
    if (y === null || y === undefined) b.nulls += sign;
    else {
      const k = na.rightValue(row);
      const n = (b.byValue.get(k) ?? 0) + sign;
      if (n > 0) b.byValue.set(k, n);
      else b.byValue.delete(k);
    }
    if (b.total <= 0) this.naIndex.delete(bucket);
  }

  private hasNullKey(row: Row, keys: number[]): boolean {
    for (const k of keys) if (row[k] === null || row[k] === undefined) return true;
    return false;
  }

  private match(l: Row, r: Row): boolean {
    const na = this.naKey;
    if (na) {
      const x = l[na.left];
      const y = r[na.right];
      return x === null || x === undefined || y === null || y === undefined || na.leftValue(l) === na.rightValue(r);
    }
    return this.matches ? this.matches([...l, ...r]) : true;
  }

  /** Whether a left row with this many matches is in the output. */
  private visible(matches: number): boolean {
    return this.anti ? matches === 0 : matches > 0;
  }

  private countMatches(row: Row): number {
    if (this.hasNullKey(row, this.leftKeys)) return 0;
    const na = this.naKey;
    if (na) {
      const b = this.naIndex.get(this.keyOf[0](row));
      if (!b) return 0;
      const x = row[na.left];
      return x === null || x === undefined ? b.total : b.nulls + (b.byValue.get(na.leftValue(row)) ?? 0);
    }
    let n = 0;
    for (const r of this.right.get(this.keyOf[0](row)) ?? []) if (this.match(row, r.row)) n++;
    return n;
  }

  override onProcessingTime(now: number): void {
    if (!this.streaming || !this.ttl.due(now)) return;
    for (const side of [this.left, this.right] as Map<string, { at: number }[]>[]) {
      for (const [k, list] of side) {
        const kept = list.filter((e) => !this.ttl.expired(e.at, now));
        if (kept.length) side.set(k, kept);
        else side.delete(k);
      }
    }
  }

  process(rows: Row[], input: number): void {
    if (!this.streaming) {
      if (input === 1) for (const r of rows) this.addRight(r);
      else if (this.rightEnded) this.probe(rows);
      else for (const r of rows) this.waiting.push(r);
      return;
    }
    const out: Row[] = [];
    if (input === 0) for (const r of rows) this.leftChange(r, out);
    else for (const r of rows) this.rightChange(r, out);
    if (out.length) this.out.emit(out);
  }

  /** Batch: every left row against the complete right side. */
  private probe(rows: Row[]): void {
    const out: Row[] = [];
    for (const r of rows) if (this.visible(this.countMatches(r))) out.push(r);
    if (out.length) this.out.emit(out);
  }

  private addRight(row: Row): RightEntry {
    const e: RightEntry = { row: row.slice(), at: this.ttl.enabled ? this.ctx.now() : 0 };
    const k = this.keyOf[1](row);
    const list = this.right.get(k);
    if (list) list.push(e);
    else this.right.set(k, [e]);
    this.indexRight(row, k, 1);
    return e;
  }

  private leftChange(row: Row, out: Row[]): void {
    const kind = rowKindOf(row);
    const k = this.keyOf[0](row);
    if (kind === '-U' || kind === '-D') {
      const list = this.left.get(k);
      const rk = this.rowKey[0](row);
      const i = list ? list.findIndex((e) => this.rowKey[0](e.row) === rk) : -1;
      if (i < 0) return; // never seen (or expired)
      const [e] = list!.splice(i, 1);
      if (!list!.length) this.left.delete(k);
      if (this.visible(e.matches)) out.push(setRowKind(e.row.slice(), '-D'));
      return;
    }
    const e: LeftEntry = { row: row.slice(), matches: this.countMatches(row), at: this.ttl.enabled ? this.ctx.now() : 0 };
    const list = this.left.get(k);
    if (list) list.push(e);
    else this.left.set(k, [e]);
    if (this.visible(e.matches)) out.push(e.row.slice());
  }

  private rightChange(row: Row, out: Row[]): void {
    const kind = rowKindOf(row);
    const retract = kind === '-U' || kind === '-D';
    if (retract) {
      const k = this.keyOf[1](row);
      const list = this.right.get(k);
      const rk = this.rowKey[1](row);
      const i = list ? list.findIndex((e) => this.rowKey[1](e.row) === rk) : -1;
      if (i < 0) return;
      list!.splice(i, 1);
      if (!list!.length) this.right.delete(k);
      this.indexRight(row, k, -1);
    } else this.addRight(row);
    if (this.hasNullKey(row, this.rightKeys)) return;
    for (const e of this.left.get(this.keyOf[1](row)) ?? []) {
      if (!this.match(e.row, row)) continue;
      const before = this.visible(e.matches);
      e.matches += retract ? -1 : 1;
      const after = this.visible(e.matches);
      if (before && !after) out.push(setRowKind(e.row.slice(), '-D'));
      else if (!before && after) out.push(e.row.slice());
      if (this.ttl.enabled) e.at = this.ctx.now();
    }
  }

  override endInput(input: number): void {
    if (input === 1 && !this.streaming && !this.rightEnded) {
      this.rightEnded = true;
      const w = this.waiting;
      this.waiting = [];
      this.probe(w);
    }
    super.endInput(input);
  }

  protected override onWatermark(wm: number): void {
    if (this.streaming) this.out.watermark(wm);
  }

  protected override onEnd(): void {
    if (!this.streaming) this.out.watermark(Infinity);
    this.out.end();
  }

  override snapshot(): unknown {
    return {
      base: super.snapshot(),
      left: [...this.left.values()].flat().map((e) => [e.row, e.matches]),
      right: [...this.right.values()].flat().map((e) => e.row),
      waiting: this.waiting,
      rightEnded: this.rightEnded,
    };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; left: [Row, number][]; right: Row[]; waiting?: Row[]; rightEnded?: boolean };
    super.restore(s.base);
    const now = this.ctx.now();
    for (const [row, matches] of s.left ?? []) {
      const k = this.keyOf[0](row);
      const list = this.left.get(k) ?? [];
      list.push({ row, matches, at: now });
      this.left.set(k, list);
    }
    for (const row of s.right ?? []) this.addRight(row);
    this.waiting = s.waiting ?? [];
    this.rightEnded = s.rightEnded ?? false;
  }
}

interface MarkEntry {
  row: Row;
  /** Right rows satisfying the condition (candidates), those equal on the IN key, those with a NULL key. */
  cands: number;
  matches: number;
  nulls: number;
  at: number;
}

/**
 * EXISTS / IN as a value (in a select list, under OR): every left row with a BOOLEAN appended.
 * EXISTS: whether a right row satisfies the condition. IN (a key pair): TRUE when a candidate
 * equals the key, else NULL when a candidate or the key is NULL, else FALSE (no candidates:
 * FALSE). Batch waits for the right input; streaming keeps both sides and sends -U/+U when a
 * row's answer changes.
 */
export class MarkJoinOperator extends Operator {
  private readonly left = new Map<string, MarkEntry[]>();
  private readonly right = new Map<string, RightEntry[]>();
  private readonly keyOf: [(r: Row) => string, (r: Row) => string];
  private readonly rowKey: [(r: Row) => string, (r: Row) => string];
  private readonly ttl: StateTtl;
  private waiting: Row[] = [];
  private rightEnded = false;

  constructor(
    out: Output,
    ctx: OperatorContext,
    private readonly leftKeys: number[],
    private readonly rightKeys: number[],
    leftWidth: number,
    rightWidth: number,
    /** The condition over the joined row (left then right), if any. */
    private readonly condition: ((joined: Row) => boolean) | undefined,
    /** IN: the key pair and its equality over the joined row. */
    private readonly inKey: { left: number; right: number; equal: (joined: Row) => boolean } | undefined,
    private readonly streaming: boolean,
  ) {
    super(out, ctx, 2);
    this.keyOf = [groupKeyFn(leftKeys), groupKeyFn(rightKeys)];
    this.rowKey = [groupKeyFn([...Array(leftWidth).keys()]), groupKeyFn([...Array(rightWidth).keys()])];
    this.ttl = new StateTtl(ctx.stateTtl ?? 0);
  }

  private static nullKey(row: Row, keys: number[]): boolean {
    for (const k of keys) if (row[k] === null || row[k] === undefined) return true;
    return false;
  }

  /** Adds (sign 1) or removes (-1) right row r's contribution to left entry e. */
  private count(e: MarkEntry, r: Row, sign: number): void {
    const joined = [...e.row, ...r];
    if (this.condition && !this.condition(joined)) return;
    e.cands += sign;
    if (!this.inKey) return;
    const x = e.row[this.inKey.left];
    const y = r[this.inKey.right];
    if (x === null || x === undefined || y === null || y === undefined) e.nulls += sign;
    else if (this.inKey.equal(joined)) e.matches += sign;
  }

  private mark(e: MarkEntry): boolean | null {
    if (!this.inKey) return e.cands > 0;
    if (e.matches > 0) return true;
    if (e.cands === 0) return false;
    return e.nulls > 0 ? null : false;
  }

  private entry(row: Row): MarkEntry {
    const e: MarkEntry = { row: row.slice(), cands: 0, matches: 0, nulls: 0, at: this.ttl.enabled ? this.ctx.now() : 0 };
    if (!MarkJoinOperator.nullKey(row, this.leftKeys)) for (const r of this.right.get(this.keyOf[0](row)) ?? []) this.count(e, r.row, 1);
    return e;
  }

  override onProcessingTime(now: number): void {
    if (!this.streaming || !this.ttl.due(now)) return;
    for (const side of [this.left, this.right] as Map<string, { at: number }[]>[]) {
      for (const [k, list] of side) {
        const kept = list.filter((e) => !this.ttl.expired(e.at, now));
        if (kept.length) side.set(k, kept);
        else side.delete(k);
      }
    }
  }

  process(rows: Row[], input: number): void {
    if (!this.streaming) {
      if (input === 1) for (const r of rows) this.addRight(r);
      else if (this.rightEnded) this.probe(rows);
      else for (const r of rows) this.waiting.push(r);
      return;
    }
    const out: Row[] = [];
    for (const r of rows) (input === 0 ? this.leftChange(r, out) : this.rightChange(r, out));
    if (out.length) this.out.emit(out);
  }

  private probe(rows: Row[]): void {
    const out: Row[] = [];
    for (const r of rows) out.push([...r, this.mark(this.entry(r))]);
    if (out.length) this.out.emit(out);
  }

  private addRight(row: Row): void {
    const k = this.keyOf[1](row);
    const list = this.right.get(k) ?? [];
    list.push({ row: row.slice(), at: this.ttl.enabled ? this.ctx.now() : 0 });
    this.right.set(k, list);
  }

  private leftChange(row: Row, out: Row[]): void {
    const kind = rowKindOf(row);
    const k = this.keyOf[0](row);
    if (kind === '-U' || kind === '-D') {
      const list = this.left.get(k);
      const rk = this.rowKey[0](row);
      const i = list ? list.findIndex((e) => this.rowKey[0](e.row) === rk) : -1;
      if (i < 0) return;
      const [e] = list!.splice(i, 1);
      if (!list!.length) this.left.delete(k);
      out.push(setRowKind([...e.row, this.mark(e)], '-D'));
      return;
    }
    const e = this.entry(row);
    const list = this.left.get(k) ?? [];
    list.push(e);
    this.left.set(k, list);
    out.push([...e.row, this.mark(e)]);
  }

  private rightChange(row: Row, out: Row[]): void {
    const kind = rowKindOf(row);
    const retract = kind === '-U' || kind === '-D';
    const k = this.keyOf[1](row);
    if (retract) {
      const list = this.right.get(k);
      const rk = this.rowKey[1](row);
      const i = list ? list.findIndex((e) => this.rowKey[1](e.row) === rk) : -1;
      if (i < 0) return;
      list!.splice(i, 1);
      if (!list!.length) this.right.delete(k);
    } else this.addRight(row);
    if (MarkJoinOperator.nullKey(row, this.rightKeys)) return;
    for (const e of this.left.get(k) ?? []) {
      const before = this.mark(e);
      this.count(e, row, retract ? -1 : 1);
      const after = this.mark(e);
      if (this.ttl.enabled) e.at = this.ctx.now();
      if (before === after) continue;
      out.push(setRowKind([...e.row, before], '-U'), setRowKind([...e.row, after], '+U'));
    }
  }

  override endInput(input: number): void {
    if (input === 1 && !this.streaming && !this.rightEnded) {
      this.rightEnded = true;
      const w = this.waiting;
      this.waiting = [];
      this.probe(w);
    }
    super.endInput(input);
  }

  protected override onWatermark(wm: number): void {
    if (this.streaming) this.out.watermark(wm);
  }

  protected override onEnd(): void {
    if (!this.streaming) this.out.watermark(Infinity);
    this.out.end();
  }

  override snapshot(): unknown {
    return {
      base: super.snapshot(),
      left: [...this.left.values()].flat().map((e) => [e.row, e.cands, e.matches, e.nulls]),
      right: [...this.right.values()].flat().map((e) => e.row),
      waiting: this.waiting,
      rightEnded: this.rightEnded,
    };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; left: [Row, number, number, number][]; right: Row[]; waiting?: Row[]; rightEnded?: boolean };
    super.restore(s.base);
    const now = this.ctx.now();
    for (const [row, cands, matches, nulls] of s.left ?? []) {
      const k = this.keyOf[0](row);
      const list = this.left.get(k) ?? [];
      list.push({ row, cands, matches, nulls, at: now });
      this.left.set(k, list);
    }
    for (const row of s.right ?? []) this.addRight(row);
    this.waiting = s.waiting ?? [];
    this.rightEnded = s.rightEnded ?? false;
  }
}

/**
 * Flink's window semi/anti join (WindowJoinOperator with a semi/anti join type): both inputs are
 * rows of the same event-time windows, joined on window_start/window_end and other keys. Rows wait
 * per window end; when the watermark reaches window_end - 1 the window's left rows with (semi) or
 * without (anti) a matching right row go out, insert-only, and the window's state is freed. Rows of
 * a window the watermark has already passed are late and dropped, as in Flink.
 * `table.exec.state.ttl` does not apply: the watermark frees the state (as Flink's window join).
 */
export class WindowSemiJoinOperator extends Operator {
  /** By window end (micros): the left and right rows of that window, the right ones by join key. */
  private readonly windows = new Map<number, { left: Row[]; right: Map<string, Row[]> }>();
  private readonly keyOf: [(r: Row) => string, (r: Row) => string];

  constructor(
    out: Output,
    ctx: OperatorContext,
    private readonly anti: boolean,
    private readonly leftKeys: number[],
    rightKeys: number[],
    /** window_end's column in the left and the right input. */
    private readonly ends: [number, number],
    /** Over the joined row (left then right): the residual condition and NOT IN's NULL-aware key. */
    private readonly matches: ((joined: Row) => boolean) | undefined,
    /** The inputs' window: a TIMESTAMP_LTZ one fires by the session time zone's wall clock (windowProgress). */
    window?: WindowSpec,
  ) {
    super(out, ctx, 2);
    this.keyOf = [groupKeyFn(leftKeys), groupKeyFn(rightKeys)];
    this.progress = windowProgressOf(window, ctx);
  }

  private readonly progress: (instant: number) => number;

  process(rows: Row[], input: number): void {
    const wm = this.progress(this.currentWatermark);
    let late = 0;
    for (const r of rows) {
      const end = r[this.ends[input]] as number;
      if (isWindowFired(end, wm)) {
        late++;
        continue;
      }
      this.add(r, input);
    }
    if (late) this.ctx.metric('late-records-dropped', late);
  }

  private add(r: Row, input: number): void {
    const end = r[this.ends[input]] as number;
    let w = this.windows.get(end);
    if (!w) this.windows.set(end, (w = { left: [], right: new Map() }));
    if (input === 0) {
      w.left.push(r.slice());
      return;
    }
    const k = this.keyOf[1](r);
    const list = w.right.get(k);
    if (list) list.push(r.slice());
    else w.right.set(k, [r.slice()]);
  }

  private hasMatch(l: Row, right: Map<string, Row[]>): boolean {
    for (const k of this.leftKeys) if (l[k] === null || l[k] === undefined) return false;
    const cands = right.get(this.keyOf[0](l));
    if (!cands) return false;
    if (!this.matches) return cands.length > 0;
    for (const r of cands) if (this.matches([...l, ...r])) return true;
    return false;
  }

  private fire(wm: number): void {
    const ends = [...this.windows.keys()].filter((e) => isWindowFired(e, wm)).sort((a, b) => a - b);
    const out: Row[] = [];
    for (const end of ends) {
      const w = this.windows.get(end)!;
      for (const l of w.left) if (this.hasMatch(l, w.right) !== this.anti) out.push(l);
      this.windows.delete(end);
    }
    if (out.length) this.out.emit(out);
  }

  protected override onWatermark(wm: number): void {
    this.fire(this.progress(wm));
    this.out.watermark(wm);
  }

  protected override onEnd(): void {
    this.fire(Infinity);
    this.out.end();
  }

  /** Open windows and their rows (for tests and metrics). */
  stateSize(): { windows: number; rows: number } {
    let rows = 0;
    for (const w of this.windows.values()) {
      rows += w.left.length;
      for (const l of w.right.values()) rows += l.length;
    }
    return { windows: this.windows.size, rows };
  }

  override snapshot(): unknown {
    const left: Row[] = [];
    const right: Row[] = [];
    for (const w of this.windows.values()) {
      left.push(...w.left);
      for (const l of w.right.values()) right.push(...l);
    }
    return { base: super.snapshot(), left, right };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; left?: Row[]; right?: Row[] };
    super.restore(s.base);
    for (const r of s.left ?? []) this.add(r, 0);
    for (const r of s.right ?? []) this.add(r, 1);
  }
}
