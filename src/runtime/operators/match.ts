// MATCH_RECOGNIZE: a hand-written NFA over a sequence of quantified pattern variables, with
// Flink CEP's semantics (strict contiguity, greedy quantifiers proceed only when they cannot
// take, reluctant ones branch, matches completing on the same row ordered by their start, then
// the AFTER MATCH SKIP strategy prunes partial matches). Event time: rows wait until the
// watermark passes them and run sorted by time (then the other ORDER BY keys); late rows are
// dropped. Processing time: rows run as they come. One output row per match, insert-only.
import type { Row } from '../../common/types.js';
import { getAggregateFunction } from '../../functions/registry.js';
import type { MatchExprs, MatchSlot, MatchSpec } from '../../planner/physical.js';
import { compileExpression, type CompileOptions } from '../expr-compiler.js';
import { rowComparator } from './batch.js';
import { groupKeyFn } from './aggregates.js';
import { Operator, type Output, type OperatorContext } from './operator.js';

/** A partial match: the rows taken so far and, for each, the index of its pattern element. */
interface Partial {
  /** Sequence number (within the partition) of the first row; -1 for the empty start state. */
  start: number;
  startTime: number;
  /** The pattern element the next row is tried against, and how many rows it has taken. */
  elem: number;
  count: number;
  rows: Row[];
  elems: number[];
}

interface PartitionState {
  /** Event time: rows not yet released by the watermark. */
  pending: Row[];
  partials: Partial[];
  /** Completed matches waiting for every partial match that started earlier to end (as Flink CEP). */
  completed: Partial[];
  /** Next row sequence number. */
  seq: number;
}

/** A match context: the rows of a (partial) match in order and the element each one took. */
interface Context {
  rows: Row[];
  elems: number[];
}

type SlotFn = (c: Context) => unknown;

export class MatchRecognizeOperator extends Operator {
  private readonly partitions = new Map<string, PartitionState>();
  private readonly key: (row: Row) => string;
  private readonly cmp: (a: Row, b: Row) => number;
  private readonly time: number;
  private readonly elementOf = new Map<string, number>();
  /** Per pattern element: the DEFINE condition over a context whose last row is the candidate (absent: always true). */
  private readonly conditions: (((c: Context) => boolean) | undefined)[];
  private readonly measures: (c: Context) => unknown[];

  constructor(
    out: Output,
    ctx: OperatorContext,
    private readonly spec: MatchSpec,
    compile: CompileOptions,
  ) {
    super(out, ctx);
    this.key = groupKeyFn(spec.partitionKeys);
    this.cmp = rowComparator(spec.orderKeys);
    this.time = spec.orderKeys[0].index;
    spec.pattern.forEach((p, i) => this.elementOf.set(p.variable, i));
    this.conditions = spec.pattern.map((p) => {
      const d = spec.define[p.variable];
      if (!d) return undefined;
      const f = this.compileExprs(d, compile)[0];
      return (c: Context) => f(c) === true;
    });
    const m = this.compileExprs(spec.measures, compile);
    this.measures = (c) => m.map((f) => f(c));
  }

  /** Each expression over a context: its slots computed, then the expression over them. */
  private compileExprs(m: MatchExprs, compile: CompileOptions): ((c: Context) => unknown)[] {
    const slots = m.slots.map((s) => this.slotFn(s, compile));
    const exprs = m.exprs.map((e) => compileExpression(e, compile));
    return exprs.map((f) => (c: Context) => f(slots.map((s) => s(c))));
  }

  private slotFn(s: MatchSlot, compile: CompileOptions): SlotFn {
    const expr = s.expr ? compileExpression(s.expr, compile) : undefined;
    const elem = s.variable === undefined ? -1 : this.elementOf.get(s.variable)!;
    const of = (c: Context, i: number): boolean => elem < 0 || c.elems[i] === elem;
    switch (s.nav) {
      case 'MATCH_ROWTIME':
        return (c) => c.rows[c.rows.length - 1][this.time];
      case 'MATCH_PROCTIME':
        return () => this.ctx.now();
      case 'PREV':
      // PREV(v.x, n) of another variable counts back among v's rows (as Flink; PREV(x, n), unqualified,
      // counts back among the match's rows from the current one): both are LAST with that offset.
      case 'LAST':
        return (c) => {
          for (let i = c.rows.length - 1, n = s.offset; i >= 0; i--) if (of(c, i) && n-- === 0) return expr!(c.rows[i]);
          return null;
        };
      case 'FIRST':
        return (c) => {
          for (let i = 0, n = s.offset; i < c.rows.length; i++) if (of(c, i) && n-- === 0) return expr!(c.rows[i]);
          return null;
        };
      case 'AGG': {
        const def = getAggregateFunction(s.agg!.fn)!;
        const create = def.create(s.agg!.argTypes, false);
        const more = (s.moreArgs ?? []).map((e) => compileExpression(e, compile));
        if (more.length) {
          return (c) => {
            const acc = create();
            for (let i = 0; i < c.rows.length; i++) if (of(c, i)) acc.add([expr!(c.rows[i]), ...more.map((f) => f(c.rows[i]))]);
            return acc.result();
          };
        }
        return (c) => {
          const acc = create();
          for (let i = 0; i < c.rows.length; i++) if (of(c, i)) acc.add(expr ? [expr(c.rows[i])] : []);
          return acc.result();
        };
      }
    }
  }

  process(rows: Row[], _input = 0): void {
    if (!this.spec.eventTime) {
      for (const r of rows) {
        const p = this.partition(r);
        this.advance(p, r[this.time] as number);
        this.run(p, r);
      }
      return;
    }
    if (this.spec.batch) {
      // Batch: every row waits for the end of the input.
      for (const r of rows) if (r[this.time] !== null && r[this.time] !== undefined) this.partition(r).pending.push(r);
      return;
    }
    const wm = this.currentWatermark;
    let late = 0;
    for (const r of rows) {
      const t = r[this.time] as number | null;
      if (t === null || t === undefined || t <= wm) late++;
      else this.partition(r).pending.push(r);
    }
    if (late) this.ctx.metric('late-records-dropped', late);
  }

  private partition(r: Row): PartitionState {
    const k = this.key(r);
    let p = this.partitions.get(k);
    if (!p) {
      p = { pending: [], partials: [], completed: [], seq: 0 };
      this.partitions.set(k, p);
    }
    return p;
  }

  protected override onWatermark(wm: number): void {
    if (!this.spec.batch) this.release(wm);
    this.out.watermark(wm);
  }

  protected override onEnd(): void {
    this.release(Infinity);
    this.out.end();
  }

  /** Runs each partition's rows at or before the watermark, in ORDER BY order. */
  private release(wm: number): void {
    for (const [k, p] of this.partitions) {
      if (p.pending.length) {
        const ready: Row[] = [];
        const waiting: Row[] = [];
        for (const r of p.pending) ((r[this.time] as number) <= wm ? ready : waiting).push(r);
        p.pending = waiting;
        ready.sort(this.cmp);
        for (let i = 0; i < ready.length; i++) {
          const t = ready[i][this.time] as number;
          if (i === 0 || t !== ready[i - 1][this.time]) this.advance(p, t);
          this.run(p, ready[i]);
        }
      }
      this.advance(p, wm);
      if (!p.pending.length && !p.partials.length && !p.completed.length) this.partitions.delete(k);
    }
  }

  /** Time moved to `t`: partial matches older than WITHIN end, which may free waiting matches. */
  private advance(p: PartitionState, t: number): void {
    const within = this.spec.withinMicros;
    if (within === undefined) return;
    const before = p.partials.length;
    p.partials = p.partials.filter((q) => t - q.startTime < within);
    if (p.partials.length !== before) this.emitReady(p);
  }

  /** One row through the NFA of its partition; emits the matches that are ready. */
  private run(p: PartitionState, row: Row): void {
    const seq = p.seq++;
    const t = row[this.time] as number;
    const next: Partial[] = [];
    const matches: Partial[] = [];
    const empty: Partial = { start: seq, startTime: t, elem: 0, count: 0, rows: [], elems: [] };
    for (const q of [...p.partials, empty]) this.step(q, row, next, matches);
    p.partials = next;
    if (!matches.length) return;
    // Completed matches in start order (stable: equal starts in the order found).
    for (const m of matches) {
      let i = p.completed.length;
      while (i > 0 && p.completed[i - 1].start > m.start) i--;
      p.completed.splice(i, 0, m);
    }
    this.emitReady(p);
  }

  /**
   * Emits, earliest start first, each completed match that no live partial match started before;
   * each emitted match prunes the partial and completed matches its AFTER MATCH SKIP skips.
   */
  private emitReady(p: PartitionState): void {
    const emitted: Row[] = [];
    while (p.completed.length) {
      let earliest = Infinity;
      for (const q of p.partials) if (q.start < earliest) earliest = q.start;
      const m = p.completed[0];
      if (m.start > earliest) break;
      p.completed.shift();
      emitted.push([...this.spec.partitionKeys.map((k) => m.rows[0][k]), ...this.measures({ rows: m.rows, elems: m.elems })]);
      const prune = this.pruneBelow(m);
      if (prune === undefined) continue;
      p.partials = p.partials.filter((q) => !prune(q.start));
      p.completed = p.completed.filter((q) => !prune(q.start));
    }
    if (emitted.length) this.out.emit(emitted);
  }

  /** Which start sequence numbers the skip strategy discards after match `m`. */
  private pruneBelow(m: Partial): ((start: number) => boolean) | undefined {
    const skip = this.spec.skip;
    switch (skip.kind) {
      case 'PAST LAST ROW': {
        const last = m.start + m.rows.length - 1;
        return (s) => s <= last;
      }
      case 'TO NEXT ROW':
        return (s) => s <= m.start;
      case 'TO FIRST':
      case 'TO LAST': {
        const elem = this.elementOf.get(skip.variable!)!;
        let at = -1;
        for (let i = 0; i < m.elems.length; i++) {
          if (m.elems[i] !== elem) continue;
          at = m.start + i;
          if (skip.kind === 'TO FIRST') break;
        }
        if (at < 0) return undefined;
        return (s) => s < at;
      }
    }
  }

  /**
   * Tries `row` against partial `q` at its element: TAKE (the element's condition holds and it
   * may take more), and PROCEED to the next element without taking (once the element has its
   * minimum; for a greedy element only when it cannot take). A partial that reaches the end of
   * the pattern is a match.
   */
  private step(q: Partial, row: Row, next: Partial[], matches: Partial[]): void {
    const pattern = this.spec.pattern;
    const el = pattern[q.elem];
    let take = false;
    if (el.max === undefined || q.count < el.max) {
      const cond = this.conditions[q.elem];
      take = !cond || cond({ rows: [...q.rows, row], elems: [...q.elems, q.elem] });
      // Flink CEP compiles a greedy {n,m} so that the element after it takes only rows the {n,m}
      // element would not take.
      const before = pattern[q.elem - 1];
      if (take && before && before.greedy && before.max !== undefined && before.max !== before.min) {
        const prev = this.conditions[q.elem - 1];
        if (!prev || prev({ rows: [...q.rows, row], elems: [...q.elems, q.elem - 1] })) take = false;
      }
    }
    if (take) {
      const taken: Partial = { ...q, count: q.count + 1, rows: [...q.rows, row], elems: [...q.elems, q.elem] };
      this.settle(taken, next, matches);
    }
    const proceed = q.count >= el.min && !(el.greedy && take);
    if (proceed && q.elem + 1 < pattern.length) this.step({ ...q, elem: q.elem + 1, count: 0 }, row, next, matches);
  }

  /**
   * A partial that just took a row: an element at its maximum moves on; a partial that can reach
   * the end of the pattern through elements needing no more rows (reluctant ones, or ones at their
   * count) completes a match — and stays a partial when its element could still take more.
   */
  private settle(q: Partial, next: Partial[], matches: Partial[]): void {
    const pattern = this.spec.pattern;
    let cur = q;
    if (pattern[cur.elem].max === cur.count) {
      if (cur.elem + 1 === pattern.length) {
        matches.push(cur);
        return;
      }
      cur = { ...cur, elem: cur.elem + 1, count: 0 };
    }
    // Can it finish now? Every element from here has what it needs, and none of them is greedy for more.
    let finishes = true;
    for (let i = cur.elem; i < pattern.length; i++) {
      const e = pattern[i];
      const count = i === cur.elem ? cur.count : 0;
      if (count < e.min || (e.greedy && e.max !== count)) {
        finishes = false;
        break;
      }
    }
    if (finishes) matches.push(cur);
    const el = pattern[cur.elem];
    if (!finishes || el.max === undefined || cur.count < el.max) next.push(cur);
  }

  override snapshot(): unknown {
    return { base: super.snapshot(), parts: [...this.partitions.values()].map((p) => ({ pending: p.pending, partials: p.partials, completed: p.completed, seq: p.seq })) };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; parts?: PartitionState[] };
    super.restore(s.base);
    for (const p of s.parts ?? []) {
      const first = p.pending[0] ?? p.partials[0]?.rows[0] ?? p.completed[0]?.rows[0];
      if (first) this.partitions.set(this.key(first), { pending: p.pending, partials: p.partials, completed: p.completed ?? [], seq: p.seq });
    }
  }
}
