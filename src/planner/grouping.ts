// GROUPING SETS, ROLLUP and CUBE: a GROUP BY clause as the list of grouping sets it stands for.
// The binder plans them as Flink does: an Expand node emits each input row once per set (the
// keys outside the set NULL, a set number `$e` appended), and one aggregation groups by the keys
// and `$e`. GROUPING()/GROUPING_ID() are then functions of `$e`.
import type * as A from '../parser/ast.js';
import { ValidationError } from '../common/errors.js';
import { withNullable, type LogicalType } from '../common/types.js';
import type { LogicalNode, PlanField } from './logical.js';
import { rexInput, rexLiteral } from './rex.js';

export interface GroupingAnalysis {
  /** Every distinct grouping expression, in order of first appearance. */
  exprs: A.Expr[];
  /** The grouping sets as indices into `exprs`; undefined for a plain GROUP BY (one set of all). */
  sets?: number[][];
}

/** Structural key of an expression (positions and spelling ignored). */
function key(e: A.Expr): string {
  return JSON.stringify(e, (k, v) => (k === 'pos' || k === 'quoted' || k === 'text' ? undefined : v));
}

/** The expressions of one grouping item: `(a, b)` is two, `()` none. */
function items(e: A.Expr): A.Expr[] {
  return e.kind === 'row' && !e.explicit ? e.items : [e];
}

export function analyzeGrouping(groupBy: A.GroupingElement[]): GroupingAnalysis {
  const exprs: A.Expr[] = [];
  const index = (e: A.Expr): number => {
    const k = key(e);
    const i = exprs.findIndex((x) => key(x) === k);
    if (i >= 0) return i;
    exprs.push(e);
    return exprs.length - 1;
  };
  const plain = groupBy.every((g) => g.kind === 'expr');
  // Each element stands for a list of sets; the clause is their cross product.
  const setsOf = (g: A.GroupingElement): number[][] => {
    switch (g.kind) {
      case 'expr':
        return [items(g.expr).map(index)];
      case 'groupingSets':
        return g.sets.flatMap(setsOf);
      case 'rollup': {
        const parts = g.items.map((e) => items(e).map(index));
        const out: number[][] = [];
        for (let n = parts.length; n >= 0; n--) out.push(parts.slice(0, n).flat());
        return out;
      }
      case 'cube': {
        const parts = g.items.map((e) => items(e).map(index));
        if (parts.length > 12) throw new ValidationError(`CUBE of ${parts.length} expressions gives too many grouping sets (at most 12 expressions)`, g.pos);
        const out: number[][] = [];
        // Calcite's order: the full set first, down to the empty set.
        for (let mask = (1 << parts.length) - 1; mask >= 0; mask--) out.push(parts.filter((_, i) => mask & (1 << (parts.length - 1 - i))).flat());
        return out;
      }
    }
  };
  let sets: number[][] = [[]];
  for (const g of groupBy) {
    const mine = setsOf(g);
    const next: number[][] = [];
    for (const a of sets) for (const b of mine) next.push([...a, ...b]);
    sets = next;
  }
  sets = sets.map((s) => [...new Set(s)].sort((a, b) => a - b));
  if (sets.length > 4096) throw new ValidationError(`GROUP BY gives ${sets.length} grouping sets (at most 4096)`, groupBy[0].pos);
  // One set of every expression (`GROUPING SETS ((a, b))`) is a plain GROUP BY.
  if (plain || (sets.length === 1 && sets[0].length === exprs.length)) return { exprs };
  return { exprs, sets };
}

/** Whether an expression is a GROUPING(…) / GROUPING_ID(…) call. */
export function isGroupingCall(e: A.Expr): e is A.CallExpr {
  if (e.kind !== 'call' || e.over) return false;
  const n = e.name.parts[e.name.parts.length - 1].toUpperCase();
  return n === 'GROUPING' || n === 'GROUPING_ID';
}

/**
 * The value of GROUPING(e1, …, en) in a grouping set: bit n-1-i is 1 when ei is not in the set
 * (aggregated away), as in Flink.
 */
export function groupingValue(args: number[], set: number[]): number {
  let v = 0;
  for (const a of args) v = v * 2 + (set.includes(a) ? 0 : 1);
  return v;
}

/**
 * The Expand below a grouping-sets aggregation: each input row once per set, as the input row,
 * then a copy of every key (NULL when outside the set), then the set number.
 */
export function expandGroupingSets(
  input: LogicalNode,
  keyIdx: number[],
  sets: number[][],
): { plan: LogicalNode; keyIdx: number[]; setIdx: number; keyFields: PlanField[]; setField: PlanField } {
  const n = input.fields.length;
  const setType: LogicalType = { kind: 'BIGINT', nullable: false };
  const keyFields: PlanField[] = keyIdx.map((k, j) => ({ name: `$k${j}`, type: withNullable(input.fields[k].type, input.fields[k].type.nullable || sets.some((s) => !s.includes(j))) }));
  const projections = sets.map((set, i) => [
    ...input.fields.map((f, c) => rexInput(c, f.type, f.name)),
    ...keyIdx.map((k, j) => (set.includes(j) ? rexInput(k, input.fields[k].type) : rexLiteral(null, keyFields[j].type))),
    rexLiteral(i, setType),
  ]);
  const setField: PlanField = { name: '$e', type: setType };
  const fields: PlanField[] = [...input.fields, ...keyFields, setField];
  return { plan: { kind: 'Expand', input, projections, fields }, keyIdx: keyIdx.map((_, j) => n + j), setIdx: n + keyIdx.length, keyFields, setField };
}
