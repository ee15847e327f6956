// Aggregate calls over input rows, and GROUP BY in batch mode.
import { setRowKind, type Row } from '../../common/types.js';
import { JobError } from '../../common/errors.js';
import type { AggCall } from '../../planner/physical.js';
import type { Accumulator } from '../../functions/api.js';
import { getAggregateFunction } from '../../functions/registry.js';
import { Operator, type Output, type OperatorContext } from './operator.js';

/** Creates the accumulators of a list of aggregate calls and feeds rows into them. */
export class AggregatesFactory {
  private readonly makers: (() => Accumulator)[];
  private readonly scratch: unknown[][];

  constructor(private readonly calls: AggCall[]) {
    this.makers = calls.map((c) => {
      const def = getAggregateFunction(c.fn);
      if (!def) throw new JobError(`No implementation for aggregate function ${c.fn}`);
      return def.create(c.argTypes, c.distinct);
    });
    // One reused argument array per call: accumulators must not keep it.
    this.scratch = calls.map((c) => new Array(c.args.length));
  }

  create(): Accumulator[] {
    const accs = new Array<Accumulator>(this.makers.length);
    for (let i = 0; i < accs.length; i++) accs[i] = this.makers[i]();
    return accs;
  }

  add(accs: Accumulator[], row: Row): void {
    const calls = this.calls;
    for (let i = 0; i < calls.length; i++) {
      const c = calls[i];
      if (c.filter !== undefined && row[c.filter] !== true) continue;
      const a = this.scratch[i];
      for (let j = 0; j < c.args.length; j++) a[j] = row[c.args[j]];
      accs[i].add(a);
    }
  }
}

/** A function giving a string key for the values at the given positions (NULL distinct from 'null'). */
export function groupKeyFn(indices: number[]): (row: Row) => string {
  const enc = (v: unknown): string => {
    if (v === null || v === undefined) return '\u0000';
    if (typeof v === 'string') return 's' + v;
    if (typeof v === 'number') return 'n' + v;
    if (typeof v === 'boolean') return v ? 'T' : 'F';
    if (v instanceof Uint8Array) return 'b' + Buffer.from(v).toString('base64');
    if (v instanceof Map) return 'm' + JSON.stringify([...v.entries()]);
    return 'j' + JSON.stringify(v);
  };
  if (indices.length === 0) return () => '';
  if (indices.length === 1) {
    const i = indices[0];
    return (row) => {
      const v = row[i];
      return typeof v === 'string' ? 's' + v : enc(v);
    };
  }
  return (row) => {
    let k = '';
    for (let j = 0; j < indices.length; j++) k += enc(row[indices[j]]) + '\u0001';
    return k;
  };
}

/** GROUP BY without windows (batch mode): emits [keys…, aggregates…] when the input ends. */
export class GroupAggregateOperator extends Operator {
  private readonly groups = new Map<string, { keys: unknown[]; accs: Accumulator[] }>();
  private readonly key: (row: Row) => string;
  private readonly aggs: AggregatesFactory;

  constructor(out: Output, ctx: OperatorContext, private readonly groupKeys: number[], calls: AggCall[]) {
    super(out, ctx);
    this.key = groupKeyFn(groupKeys);
    this.aggs = new AggregatesFactory(calls);
  }

  process(rows: Row[], _input = 0): void {
    for (const row of rows) {
      const k = this.key(row);
      let g = this.groups.get(k);
      if (!g) {
        g = { keys: this.groupKeys.map((i) => row[i]), accs: this.aggs.create() };
        this.groups.set(k, g);
      }
      this.aggs.add(g.accs, row);
    }
  }

  protected override onWatermark(): void {
    // Batch operator: results come at the end of input.
  }

  protected override onEnd(): void {
    // A global aggregate (no GROUP BY) over no rows still gives one row, as in SQL.
    if (this.groups.size === 0 && this.groupKeys.length === 0) this.groups.set('', { keys: [], accs: this.aggs.create() });
    const out: Row[] = [];
    for (const g of this.groups.values()) out.push([...g.keys, ...g.accs.map((a) => a.result())]);
    this.groups.clear();
    if (out.length) this.out.emit(out);
    this.out.watermark(Infinity);
    this.out.end();
  }
}

/**
 * GROUP BY without a window in streaming mode: a changelog. A new group emits +I; when a row
 * changes a group's result, the old result is retracted (-U) and the new one emitted (+U).
 * Without aggregates (DISTINCT) a group's row never changes: only +I.
 */
export class StreamingGroupAggregateOperator extends Operator {
  private readonly groups = new Map<string, { keys: unknown[]; accs: Accumulator[]; last: Row }>();
  private readonly key: (row: Row) => string;
  private readonly aggs: AggregatesFactory;

  constructor(out: Output, ctx: OperatorContext, private readonly groupKeys: number[], private readonly calls: AggCall[]) {
    super(out, ctx);
    this.key = groupKeyFn(groupKeys);
    this.aggs = new AggregatesFactory(calls);
  }

  private result(keys: unknown[], accs: Accumulator[]): Row {
    const r: Row = keys.slice();
    for (const a of accs) r.push(a.result());
    return r;
  }

  process(rows: Row[], _input = 0): void {
    const out: Row[] = [];
    for (const row of rows) {
      const k = this.key(row);
      const g = this.groups.get(k);
      if (!g) {
        const keys = this.groupKeys.map((i) => row[i]);
        const accs = this.aggs.create();
        this.aggs.add(accs, row);
        const r = this.result(keys, accs);
        this.groups.set(k, { keys, accs, last: r });
        out.push(r);
        continue;
      }
      if (this.calls.length === 0) continue;
      this.aggs.add(g.accs, row);
      const r = this.result(g.keys, g.accs);
      if (r.every((v, i) => v === g.last[i])) continue; // unchanged (e.g. MAX of a smaller value)
      out.push(setRowKind(g.last.slice(), '-U'), setRowKind(r, '+U'));
      g.last = r;
    }
    if (out.length) this.out.emit(out);
  }

  override snapshot(): unknown {
    return { base: super.snapshot(), groups: [...this.groups.values()].map((g) => [g.keys, g.accs.map((a) => a.save())]) };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; groups: [unknown[], unknown[]][] };
    super.restore(s.base);
    for (const [keys, saved] of s.groups) {
      const accs = this.aggs.create();
      accs.forEach((a, i) => a.load(saved[i]));
      const row: Row = [];
      this.groupKeys.forEach((j, i) => (row[j] = keys[i]));
      this.groups.set(this.key(row), { keys, accs, last: this.result(keys, accs) });
    }
  }
}
