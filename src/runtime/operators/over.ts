// Batch OVER windows: every partition is sorted once the input ends, then each call is computed
// over it — window functions (ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, LAG,
// LEAD) from the rows' positions, aggregates over their ROWS or RANGE frames (incrementally when the
// frame's start is unbounded, sliding with retraction when the aggregate can take rows back).
import type { Row } from '../../common/types.js';
import type { Accumulator } from '../../functions/api.js';
import type { FrameEdge, OverCall, SortKey } from '../../planner/physical.js';
import { AggregatesFactory, groupKeyFn } from './aggregates.js';
import { rowComparator } from './batch.js';
import { Operator, type Output, type OperatorContext } from './operator.js';

type Num = number | bigint;

/** x + y over numbers and exact integers (a BIGINT or a DECIMAL's unscaled value may be a bigint). */
function plus(x: Num, y: Num): Num {
  if (typeof x === 'number' && typeof y === 'number') return x + y;
  return BigInt(x) + BigInt(y);
}

function negate(x: Num): Num {
  return typeof x === 'bigint' ? -x : -x;
}

/** A result safe to keep while the accumulator goes on (arrays are copied). */
function snapshotValue(v: unknown): unknown {
  return Array.isArray(v) ? v.slice() : v;
}

export class OverWindowOperator extends Operator {
  private readonly partitions = new Map<string, Row[]>();
  private readonly key: (row: Row) => string;
  private readonly cmp: (a: Row, b: Row) => number;

  constructor(
    out: Output,
    ctx: OperatorContext,
    partitionKeys: number[],
    private readonly orderKeys: SortKey[],
    private readonly calls: OverCall[],
  ) {
    super(out, ctx);
    this.key = groupKeyFn(partitionKeys);
    this.cmp = rowComparator(orderKeys);
  }

  process(rows: Row[], _input = 0): void {
    for (const r of rows) {
      const k = this.key(r);
      const l = this.partitions.get(k);
      if (l) l.push(r);
      else this.partitions.set(k, [r]);
    }
  }

  protected override onWatermark(): void {
    // Batch operator: results come at the end of input.
  }

  protected override onEnd(): void {
    const out: Row[] = [];
    for (const list of this.partitions.values()) {
      list.sort(this.cmp); // stable: peers keep their input order
      const n = list.length;
      // Peers (equal in every order key): [peerStart[i], peerEnd[i]).
      const peerStart = new Array<number>(n);
      const peerEnd = new Array<number>(n);
      for (let i = 0; i < n; i++) peerStart[i] = i > 0 && this.cmp(list[i - 1], list[i]) === 0 ? peerStart[i - 1] : i;
      for (let i = n - 1; i >= 0; i--) peerEnd[i] = i < n - 1 && this.cmp(list[i], list[i + 1]) === 0 ? peerEnd[i + 1] : i + 1;
      const cols = this.calls.map((c) => this.compute(c, list, peerStart, peerEnd));
      for (let i = 0; i < n; i++) {
        const row = list[i].slice();
        for (const col of cols) row.push(col[i]);
        out.push(row);
      }
    }
    this.partitions.clear();
    if (out.length) this.out.emit(out);
    this.out.watermark(Infinity);
    this.out.end();
  }

  private compute(c: OverCall, list: Row[], peerStart: number[], peerEnd: number[]): unknown[] {
    const n = list.length;
    const col = new Array<unknown>(n);
    switch (c.fn) {
      case 'ROW_NUMBER':
        for (let i = 0; i < n; i++) col[i] = i + 1;
        return col;
      case 'RANK':
        for (let i = 0; i < n; i++) col[i] = peerStart[i] + 1;
        return col;
      case 'DENSE_RANK': {
        let d = 0;
        for (let i = 0; i < n; i++) col[i] = peerStart[i] === i ? ++d : d;
        return col;
      }
      case 'PERCENT_RANK':
        for (let i = 0; i < n; i++) col[i] = n === 1 ? 0 : peerStart[i] / (n - 1);
        return col;
      case 'CUME_DIST':
        for (let i = 0; i < n; i++) col[i] = peerEnd[i] / n;
        return col;
      case 'NTILE': {
        // The first n % buckets buckets take one row more.
        const buckets = c.offset ?? 1;
        const size = Math.floor(n / buckets);
        const rest = n % buckets;
        for (let i = 0; i < n; i++) col[i] = i < rest * (size + 1) ? Math.floor(i / (size + 1)) + 1 : rest + Math.floor((i - rest * (size + 1)) / size) + 1;
        return col;
      }
      case 'LAG':
      case 'LEAD': {
        const step = (c.offset ?? 1) * (c.fn === 'LAG' ? -1 : 1);
        const [value, def] = c.args;
        for (let i = 0; i < n; i++) {
          const j = i + step;
          col[i] = j >= 0 && j < n ? (list[j][value] ?? null) : def === undefined ? null : (list[i][def] ?? null);
        }
        return col;
      }
    }
    return this.aggregate(c, list, peerStart, peerEnd);
  }

  /** An aggregate over each row's frame [lo, hi). */
  private aggregate(c: OverCall, list: Row[], peerStart: number[], peerEnd: number[]): unknown[] {
    const n = list.length;
    const col = new Array<unknown>(n);
    const f = c.frame;
    const bounds = f.rows ? this.rowsBounds(f.lower, f.upper, n) : this.rangeBounds(f.lower, f.upper, list, peerStart, peerEnd);
    const aggs = new AggregatesFactory([c], true);
    let accs = aggs.create();
    const canRetract = accs[0].retract !== undefined;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      let [a, b] = bounds(i);
      if (b < a) b = a;
      if (a < lo || b < hi || (a > lo && !canRetract)) {
        // The frame does not slide forward (or cannot): start over.
        accs = aggs.create();
        lo = hi = a;
      }
      while (lo < a) aggs.retract(accs, list[lo++]);
      if (hi < lo) hi = lo;
      while (hi < b) aggs.add(accs, list[hi++]);
      col[i] = snapshotValue((accs[0] as Accumulator).result());
    }
    return col;
  }

  private rowsBounds(lower: FrameEdge, upper: FrameEdge, n: number): (i: number) => [number, number] {
    const edge = (e: FrameEdge, i: number, isUpper: boolean): number => {
      if (e.kind === 'unbounded') return isUpper ? n : 0;
      if (e.kind === 'current') return isUpper ? i + 1 : i;
      const d = Number(e.amount) * (e.kind === 'preceding' ? -1 : 1);
      return isUpper ? i + d + 1 : i + d;
    };
    const clip = (x: number) => Math.max(0, Math.min(n, x));
    return (i) => [clip(edge(lower, i, false)), clip(edge(upper, i, true))];
  }

  /** RANGE frames: by the values of the one order key (peers for CURRENT ROW; NULL keys frame their peers). */
  private rangeBounds(lower: FrameEdge, upper: FrameEdge, list: Row[], peerStart: number[], peerEnd: number[]): (i: number) => [number, number] {
    const n = list.length;
    const key = this.orderKeys[0];
    const sign = key?.descending ? -1 : 1;
    const pos = (r: Row): Num | null => {
      const v = r[key.index] as Num | null | undefined;
      if (v === null || v === undefined) return null;
      return sign === 1 ? v : negate(v);
    };
    // The non-NULL keys are one run [nnStart, nnEnd), ascending in pos().
    let nnStart = 0;
    let nnEnd = n;
    if (key) {
      while (nnStart < n && pos(list[nnStart]) === null) nnStart++;
      nnEnd = nnStart;
      while (nnEnd < n && pos(list[nnEnd]) !== null) nnEnd++;
    }
    // First index in [nnStart, nnEnd) whose pos is >= p (strict: > p).
    const search = (p: Num, strict: boolean): number => {
      let a = nnStart;
      let b = nnEnd;
      while (a < b) {
        const m = (a + b) >>> 1;
        const v = pos(list[m]) as Num;
        if (strict ? v <= p : v < p) a = m + 1;
        else b = m;
      }
      return a;
    };
    const edge = (e: FrameEdge, i: number, isUpper: boolean): number => {
      if (e.kind === 'unbounded') return isUpper ? n : 0;
      if (e.kind === 'current') return isUpper ? peerEnd[i] : peerStart[i];
      const x = pos(list[i]);
      if (x === null) return isUpper ? peerEnd[i] : peerStart[i];
      const p = plus(x, e.kind === 'preceding' ? negate(e.amount) : e.amount);
      return isUpper ? search(p, true) : search(p, false);
    };
    return (i) => [edge(lower, i, false), edge(upper, i, true)];
  }

  override snapshot(): unknown {
    return { base: super.snapshot(), rows: [...this.partitions.values()].flat() };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; rows: Row[] };
    super.restore(s.base);
    this.process(s.rows ?? []);
  }
}
