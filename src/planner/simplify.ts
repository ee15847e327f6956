// The part of Calcite's RexSimplify (which Flink 1.20's planner runs on every projection and
// filter before generating code) that decides whether a sub-expression is still there when Flink
// generates code: a call of a strict operator with a definitely-NULL operand becomes NULL (Calcite's
// Strong) — also a strict built-in function over constants with a NULL operand, which Flink's
// ReduceExpressionsRule evaluates to NULL first (POSITION(CAST(NULL AS STRING) IN 'abc')) —, AND with FALSE is FALSE, OR with TRUE is TRUE, a CASE branch whose condition is FALSE or
// NULL is dropped (and the branches after a TRUE one), COALESCE drops NULL operands and those after
// a NOT NULL one, a comparison of two numeric or boolean literals is TRUE or FALSE. The binder uses it for expressions that hold a call Flink refuses only while
// generating code (JSON_VALUE … RETURNING BIGINT): Flink refuses it only where it survives.
import { compareWith, type ComparisonOp } from '../common/connector.js';
import { typesEqual, withNullable, type LogicalType } from '../common/types.js';
import { getScalarFunction, isBuiltinFunction } from '../functions/registry.js';
import { formatRex, inputRefs, rexLiteral, type RexNode } from './rex.js';

/** Calcite's Strong policy ANY: NULL if any operand is NULL (also the runtime's static-NULL folding). */
export const STRONG_OPS: ReadonlySet<string> = new Set(['+', '-', '*', '/', 'NEG', '=', '<>', '<', '<=', '>', '>=', 'NOT', 'LIKE', 'NOT LIKE', 'SIMILAR TO', 'FLOOR', 'CEIL', 'TRIM', 'LTRIM', 'RTRIM', 'EXTRACT', 'TIMESTAMPADD', 'TIMESTAMPDIFF']);

/** Whether `e` is NULL whatever the row (Calcite's Strong.isNull with no column known NULL). */
export function isDefinitelyNull(e: RexNode): boolean {
  switch (e.kind) {
    case 'literal':
      return e.value === null || e.value === undefined;
    case 'input':
      return false;
    case 'cast':
      return !e.safe && isDefinitelyNull(e.arg);
    case 'call':
      if (STRONG_OPS.has(e.op)) return e.args.some(isDefinitelyNull);
      switch (e.op) {
        case 'AND':
        case 'OR':
        case 'COALESCE':
          return e.args.every(isDefinitelyNull);
        case 'NULLIF':
        case 'IN':
        case 'NOT IN':
        case 'BETWEEN':
        case 'NOT BETWEEN':
          // Calcite: IN is ORs of =, BETWEEN an AND of >= and <= (each NULL when the value is NULL).
          return isDefinitelyNull(e.args[0]);
        case 'CASE':
          return e.args.every((a, i) => (i % 2 === 0 && i < e.args.length - 1) || isDefinitelyNull(a));
        default: {
          // A constant call Flink reduces at planning: NULL when the function is strict and an operand is NULL.
          const def = isBuiltinFunction(e.op) ? getScalarFunction(e.op) : undefined;
          return def?.deterministic === true && def.strict !== false && e.args.every(isConstant) && e.args.some(isDefinitelyNull);
        }
      }
  }
}

/** No column: literals, and casts and deterministic built-in calls of them. */
function isConstant(e: RexNode): boolean {
  if (e.kind === 'literal') return true;
  if (e.kind === 'input') return false;
  if (e.kind === 'cast') return isConstant(e.arg);
  if (!STRONG_OPS.has(e.op) && !['AND', 'OR', 'COALESCE', 'NULLIF', 'CASE'].includes(e.op) && getScalarFunction(e.op)?.deterministic !== true) return false;
  return e.args.every(isConstant);
}

const isBool = (e: RexNode, v: boolean) => e.kind === 'literal' && e.value === v;

/** `e` simplified as Calcite's RexSimplify does it (the rules above); an unchanged sub-tree is the same object. */
export function simplifyRex(e: RexNode): RexNode {
  if (e.kind === 'input' || e.kind === 'literal') return e;
  if (e.kind === 'cast') {
    const arg = simplifyRex(e.arg);
    const c = arg === e.arg ? e : { ...e, arg };
    return isDefinitelyNull(c) ? rexLiteral(null, withNullable(e.type, true)) : c;
  }
  if (e.op === 'CASE') return simplifyCase(e);
  let args = e.args.map(simplifyRex);
  const same = args.every((a, i) => a === e.args[i]);
  const c: RexNode = same ? e : { ...e, args };
  if (isDefinitelyNull(c)) return rexLiteral(null, withNullable(e.type, true));
  switch (e.op) {
    case 'IS NULL':
    case 'IS NOT NULL':
      return isDefinitelyNull(args[0]) ? rexLiteral(e.op === 'IS NULL', withNullable(e.type, false)) : c;
    case 'AND':
      if (args.some((a) => isBool(a, false))) return rexLiteral(false, e.type);
      args = args.filter((a) => !isBool(a, true));
      return args.length === 0 ? rexLiteral(true, e.type) : args.length === 1 ? retyped(args[0], e.type) : { ...e, args };
    case 'OR':
      if (args.some((a) => isBool(a, true))) return rexLiteral(true, e.type);
      args = args.filter((a) => !isBool(a, false));
      return args.length === 0 ? rexLiteral(false, e.type) : args.length === 1 ? retyped(args[0], e.type) : { ...e, args };
    case '=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const v = compareConstants(e.op as ComparisonOp, args[0], args[1]);
      return v === undefined ? c : rexLiteral(v, withNullable(e.type, false));
    }
    case 'COALESCE': {
      const kept: RexNode[] = [];
      for (const a of args) {
        if (!isDefinitelyNull(a)) kept.push(a);
        if (!a.type.nullable) break;
      }
      if (kept.length === 0) return rexLiteral(null, withNullable(e.type, true));
      if (kept.length === 1) return retyped(kept[0], e.type);
      return kept.length === args.length ? c : { ...e, args: kept };
    }
    default:
      return c;
  }
}

/**
 * A comparison of two non-NULL numeric or boolean literals of one kind (1 = 0, TRUE <> FALSE), as
 * Flink's ReduceExpressionsRule evaluates it while planning; strings (CHAR padding) and literals of
 * different representations (DECIMAL against INT) are left alone.
 */
function compareConstants(op: ComparisonOp, l: RexNode | undefined, r: RexNode | undefined): boolean | undefined {
  if (l?.kind !== 'literal' || r?.kind !== 'literal') return undefined;
  const a = l.value;
  const b = r.value;
  if (typeof a !== typeof b || !(typeof a === 'number' || typeof a === 'bigint' || typeof a === 'boolean')) return undefined;
  if (typeof a === 'number' && (Number.isNaN(a) || Number.isNaN(b as number))) return undefined;
  return compareWith(op, a as number, b as number);
}

/** CASE (when, then, …, else): branches whose condition is FALSE or NULL go, a TRUE one ends it. */
function simplifyCase(e: Extract<RexNode, { kind: 'call' }>): RexNode {
  // A condition is simplified as a filter's (Calcite: unknownAs FALSE), a value as it stands.
  const args = e.args.map((a, i) => (i % 2 === 0 && i < e.args.length - 1 ? asFilter(simplifyRex(a)) : simplifyRex(a)));
  const out: RexNode[] = [];
  let other = args[args.length - 1];
  for (let i = 0; i + 1 < args.length; i += 2) {
    const w = args[i];
    if (isBool(w, false) || isDefinitelyNull(w)) continue;
    if (isBool(w, true)) {
      other = args[i + 1];
      break;
    }
    out.push(w, args[i + 1]);
  }
  if (out.length === 0) return retyped(other, e.type);
  out.push(other);
  const r: RexNode = out.length === e.args.length && out.every((a, i) => a === e.args[i]) ? e : { ...e, args: out };
  return isDefinitelyNull(r) ? rexLiteral(null, withNullable(e.type, true)) : r;
}

/** `e` where an expression of type `t` stood: the type stays `t` (a NULL literal takes it; a NOT NULL value is cast to the nullable type, as Calcite keeps a projection's row type). */
function retyped(e: RexNode, t: LogicalType): RexNode {
  if (typesEqual(e.type, t, false)) return e;
  if (e.kind === 'literal' && (e.value === null || e.value === undefined || typesEqual(e.type, t))) return { ...e, type: e.value === null || e.value === undefined ? withNullable(t, true) : t };
  return { kind: 'cast', arg: e, type: t, safe: false };
}

/**
 * `e` as a filter's condition (WHERE, HAVING; Calcite simplifies it with unknownAs FALSE): NULLIF(c,
 * c) of a column is NULL, simplified, then an AND with a NULL operand is FALSE and an OR drops its
 * NULL operands.
 */
export function simplifyFilter(e: RexNode): RexNode {
  return asFilter(simplifyRex(nullifOfColumnAsNull(e)));
}

/**
 * NULLIF(c, c) of a column c, anywhere in a filter's condition, is NULL: Flink's planner reduces it
 * (CASE WHEN c IS NOT NULL THEN NULL ELSE c END) to NULL there, so ABS(NULLIF(i, i)) > 0 and
 * COALESCE(NULLIF(i, i), k) > 0 read NULL; in a projection the CASE stays. NULLIF(i + k, i + k)
 * and NULLIF(CAST(i AS BIGINT), …) stay too.
 */
function nullifOfColumnAsNull(e: RexNode): RexNode {
  if (e.kind === 'literal' || e.kind === 'input') return e;
  if (e.kind === 'cast') {
    const arg = nullifOfColumnAsNull(e.arg);
    return arg === e.arg ? e : { ...e, arg };
  }
  if (isNullifOfColumn(e)) return rexLiteral(null, withNullable(e.type, true));
  const args = e.args.map(nullifOfColumnAsNull);
  return sameArgs(e, args) ? e : { ...e, args };
}

function isNullifOfColumn(e: RexNode): boolean {
  if (e.kind !== 'call' || e.op !== 'NULLIF') return false;
  const [x, y] = e.args;
  return x.kind === 'input' && y.kind === 'input' && x.index === y.index;
}

function asFilter(e: RexNode): RexNode {
  if (isDefinitelyNull(e) || comparesNullifOfItself(e)) return rexLiteral(false, withNullable(e.type, false));
  if (e.kind !== 'call' || (e.op !== 'AND' && e.op !== 'OR')) return e;
  let args = e.args.map(asFilter);
  if (e.op === 'AND') {
    if (args.some((a) => isBool(a, false)) || isNullAndNotNull(args)) return rexLiteral(false, e.type);
    args = args.filter((a) => !isBool(a, true));
    return args.length === 0 ? rexLiteral(true, e.type) : args.length === 1 ? retyped(args[0], e.type) : sameArgs(e, args) ? e : { ...e, args };
  }
  if (args.some((a) => isBool(a, true))) return rexLiteral(true, e.type);
  args = args.filter((a) => !isBool(a, false));
  return args.length === 0 ? rexLiteral(false, e.type) : args.length === 1 ? retyped(args[0], e.type) : sameArgs(e, args) ? e : { ...e, args };
}

/** An AND holding x IS NULL and x IS NOT NULL of one x: FALSE (Calcite's RexSimplify.simplifyAnd). */
function isNullAndNotNull(args: RexNode[]): boolean {
  const of = (op: string) => new Set(args.flatMap((a) => (a.kind === 'call' && a.op === op ? [formatRex(a.args[0])] : [])));
  const isNull = of('IS NULL');
  return isNull.size > 0 && [...of('IS NOT NULL')].some((x) => isNull.has(x));
}

const sameArgs = (e: Extract<RexNode, { kind: 'call' }>, args: RexNode[]) => args.length === e.args.length && args.every((a, i) => a === e.args[i]);

const COMPARISONS: ReadonlySet<string> = new Set(['=', '<>', '<', '<=', '>', '>=']);

/** Calcite's RexSimplify.isSafeExpression: literals, columns and calls of operators that cannot fail (its SAFE_OPS: no CAST, no division). */
const SAFE_OPS: ReadonlySet<string> = new Set([...COMPARISONS, '+', '-', '*', 'NEG', 'IS NULL', 'IS NOT NULL', 'IS TRUE', 'IS NOT TRUE', 'IS FALSE', 'IS NOT FALSE', 'AND', 'OR', 'NOT', 'CASE', 'NULLIF', 'COALESCE', 'LIKE', 'BETWEEN', 'TRIM', 'LTRIM', 'RTRIM', 'CEIL', 'FLOOR', 'TIMESTAMPADD', 'TIMESTAMPDIFF']);

function isSafe(e: RexNode): boolean {
  if (e.kind === 'literal' || e.kind === 'input') return true;
  if (e.kind === 'cast') return e.arg.kind === 'literal'; // a literal to Calcite
  return SAFE_OPS.has(e.op) && e.args.every(isSafe);
}

/**
 * A comparison with NULLIF(c, c) of a column (a CASE condition's, in a projection too): FALSE in
 * Flink's planner. Its ReduceExpressionsRule pushes the comparison into the CASE
 * (pushPredicateIntoCase; not an = of two sides over disjoint columns): CASE WHEN c IS NOT NULL
 * THEN NULL <op> y ELSE c <op> y END; with safe branches RexSimplify makes it (c IS NOT NULL AND
 * NULL) OR (c IS NULL AND c <op> y), FALSE as a condition. With an unsafe y (a division, a CAST, a
 * function) the CASE stays, and so do k + NULLIF(i, i) > 0 and NULLIF(i + 1, i + 1) > k.
 */
function comparesNullifOfItself(e: RexNode): boolean {
  if (e.kind !== 'call' || !COMPARISONS.has(e.op) || e.args.length !== 2) return false;
  const [l, r] = e.args;
  // Calcite pushes the comparison into its last CASE operand.
  const caseLike = (x: RexNode) => x.kind === 'call' && (x.op === 'CASE' || x.op === 'NULLIF' || x.op === 'COALESCE');
  const pushed = caseLike(r) ? r : caseLike(l) ? l : undefined;
  if (!pushed || !isNullifOfColumn(pushed) || !isSafe(l) || !isSafe(r)) return false;
  if (e.op === '=') {
    const a = inputRefs(l);
    const b = inputRefs(r);
    if (a.size && b.size && ![...a].some((i) => b.has(i))) return false;
  }
  return true;
}
