// Nested-field pruning (Flink's projection push-down of nested fields into the scan): a source's
// ROW column of which the plan reads only some fields (`bid.price`, `bid.auction` of Nexmark's
// `bid ROW<…7 fields>`) is handed to the connector with the other nested fields marked unread
// (Field.unread), so a decoder that knows the mark (the JSON format) skips their values instead
// of materialising them. The row keeps its shape (an unread field is NULL), so no operator or
// index changes. A column is pruned only when every reader of it is a Calc (a view's or a join
// input's projection, possibly stacked) that uses it through field access (FIELD(col, k)) alone:
// any other reader (a join, an aggregate, a sink, the whole ROW passed up) reads it whole.
import type { Field, LogicalType } from '../common/types.js';
import { children, type PhysicalNode } from './physical.js';
import type { RexNode } from './rex.js';

/** What the readers of a node use of its columns: each column whole or some of its nested fields; `all`: every column whole. */
type Use = 'whole' | Set<number>;
type Demand = 'all' | Map<number, Use>;

function addUse(d: Map<number, Use>, col: number, u: Use): void {
  const had = d.get(col);
  if (had === 'whole') return;
  if (u === 'whole' || had === undefined) d.set(col, u === 'whole' ? 'whole' : new Set(u));
  else for (const k of u) had.add(k);
}

function merge(into: Demand | undefined, d: Demand): Demand {
  if (into === 'all' || d === 'all') return 'all';
  const out = into ?? new Map<number, Use>();
  for (const [c, u] of d) addUse(out, c, u);
  return out;
}

/** The input columns an expression reads: FIELD(input i, k) reads field k of i only. */
function collect(e: RexNode, d: Map<number, Use>): void {
  if (e.kind === 'input') addUse(d, e.index, 'whole');
  else if (e.kind === 'cast') collect(e.arg, d);
  else if (e.kind === 'call') {
    const [row, k] = e.args;
    if (e.op === 'FIELD' && row?.kind === 'input' && k?.kind === 'literal' && typeof k.value === 'number') addUse(d, row.index, new Set([k.value]));
    else for (const a of e.args) collect(a, d);
  }
}

/** What a Calc's input must give, for what its readers use of its outputs. */
function calcInputDemand(n: Extract<PhysicalNode, { kind: 'Calc' }>, d: Demand): Demand {
  const out = new Map<number, Use>();
  if (n.filter) collect(n.filter, out);
  const items = n.projection;
  if (!items) {
    if (d === 'all') return 'all';
    for (const [c, u] of d) addUse(out, c, u);
    return out;
  }
  items.forEach((e, j) => {
    const u = d === 'all' ? 'whole' : d.get(j);
    if (u === undefined) return;
    // A column passed up as it is: its readers' use is the input's.
    if (e.kind === 'input' && u !== 'whole') addUse(out, e.index, u);
    else collect(e, out);
  });
  return out;
}

/** Marks the unread nested fields of the sources' ROW columns (see the top of the file). */
export function pruneNestedFields(roots: PhysicalNode[]): void {
  // Readers first: a node's demand is complete once every parent has added its own.
  const parents = new Map<PhysicalNode, number>();
  const count = (n: PhysicalNode): void => {
    for (const c of children(n)) {
      const had = parents.get(c);
      parents.set(c, (had ?? 0) + 1);
      if (had === undefined) count(c);
    }
  };
  roots.forEach(count);
  const demand = new Map<PhysicalNode, Demand>();
  const ready: PhysicalNode[] = [];
  for (const r of roots) {
    demand.set(r, 'all');
    if (!parents.has(r)) ready.push(r);
  }
  const seen = new Set<PhysicalNode>();
  while (ready.length) {
    const n = ready.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const d = demand.get(n) ?? 'all';
    if (n.kind === 'Source') prune(n, d);
    const below = n.kind === 'Calc' ? calcInputDemand(n, d) : 'all';
    for (const c of children(n)) {
      demand.set(c, merge(demand.get(c), below));
      const left = parents.get(c)! - 1;
      parents.set(c, left);
      if (left === 0) ready.push(c);
    }
  }
}

function prune(n: Extract<PhysicalNode, { kind: 'Source' }>, d: Demand): void {
  if (d === 'all' || n.lookup) return;
  // The table row's columns the readers use, with the watermark's and the rowtime's; then what
  // the computed columns read of the row the source produces.
  const table = new Map(d);
  if (n.watermark) {
    collect(n.watermark.expr, table);
    addUse(table, n.watermark.rowtimeIndex, 'whole');
  }
  let produced = table;
  if (n.computed) {
    produced = new Map<number, Use>();
    for (const [c, u] of table) {
      const e = n.computed[c];
      if (e === undefined) return;
      if (e.kind === 'input' && u !== 'whole') addUse(produced, e.index, u);
      else collect(e, produced);
    }
  }
  const projection = n.scan.projection;
  const physicalCount = projection?.length ?? n.table.physical.length;
  let changed = false;
  const physical = n.table.physical.slice();
  for (let q = 0; q < physicalCount; q++) {
    const p = projection ? projection[q] : q;
    const f = physical[p];
    if (f.type.kind !== 'ROW') continue;
    const u = produced.get(q) ?? new Set<number>();
    if (u === 'whole' || u.size === f.type.fields.length) continue;
    const type: LogicalType = { ...f.type, fields: f.type.fields.map((x, k): Field => (u.has(k) ? x : { ...x, unread: true })) };
    physical[p] = { ...f, type };
    changed = true;
  }
  if (changed) n.table = { ...n.table, physical };
}
