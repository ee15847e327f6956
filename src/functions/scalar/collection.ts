// ARRAY and MAP functions (ARRAY = JS array, MAP = Map, ROW = positional array).
import type { LogicalType } from '../../common/types.js';
import { withNullable, MAX_LENGTH } from '../../common/types.js';
import { JobError } from '../../common/errors.js';
import type { ScalarFunctionDef } from '../api.js';
import type { AnyFn, Pred } from '../helpers.js';
import { anyNullable, checkArgs, fail, ANY, INTEGER, STR, INT, BOOLEAN } from '../helpers.js';
import { valueEquals } from './core.js';
import { compareValues } from '../aggregates.js';
import { stringifier } from '../cast.js';
import { commonType, supportsImplicitCast } from '../coercion.js';

const ARR: Pred = (t) => t.kind === 'ARRAY' || t.kind === 'NULL';
const MAP: Pred = (t) => t.kind === 'MAP' || t.kind === 'NULL';
const ARR_OR_MAP: Pred = (t) => ARR(t) || MAP(t);

const elementOf = (t: LogicalType): LogicalType => (t.kind === 'ARRAY' ? t.element : { kind: 'NULL', nullable: true });

const eq = (a: unknown, b: unknown) => (a === null || a === undefined ? b === null || b === undefined : b !== null && b !== undefined && valueEquals(a, b));

function def(
  name: string,
  sig: string,
  preds: Pred[],
  result: (args: LogicalType[]) => LogicalType,
  impl: (args: LogicalType[]) => AnyFn,
  opts: { strict?: boolean; minArgs?: number; variadic?: boolean } = {},
): ScalarFunctionDef {
  return {
    name,
    strict: opts.strict ?? true,
    deterministic: true,
    returnType(args) {
      if (opts.variadic) {
        if (args.length < (opts.minArgs ?? 1)) fail(name, sig, args);
        for (const a of args) if (!preds[0](a)) fail(name, sig, args);
      } else checkArgs(name, sig, args, preds, opts.minArgs);
      return result(args);
    },
    create(args) {
      return impl(args);
    },
  };
}

export const CARDINALITY = def('CARDINALITY', 'CARDINALITY(ARRAY | MAP)', [ARR_OR_MAP], (a) => INT(anyNullable(a)), () =>
  (v: unknown[] | Map<unknown, unknown>) => (v instanceof Map ? v.size : v.length));

// NOT NULL when the array and its elements are (Flink 1.20's type; of an empty one Flink then
// answers -1, a made-up value, where tsstream answers NULL: gen-element-of-empty-not-null-array).
export const ELEMENT = def('ELEMENT', 'ELEMENT(ARRAY)', [ARR], (a) => withNullable(elementOf(a[0]), a[0].nullable || elementOf(a[0]).nullable), () => (v: unknown[]) => {
  if (v.length === 0) return null;
  if (v.length > 1) throw new JobError(`ELEMENT: the array has ${v.length} elements; it must have at most one`);
  return v[0] ?? null;
});

/**
 * The result type of a function of (array, needle) — ARRAY_CONTAINS, ARRAY_POSITION, ARRAY_REMOVE:
 * Flink takes a needle that casts implicitly to the element type (ArrayElementArgumentTypeStrategy:
 * ARRAY_CONTAINS(ARRAY<INT>, BIGINT) is refused, ARRAY_CONTAINS(ARRAY<BIGINT>, INT) accepted).
 */
const needleResult = (name: string, sig: string, result: (a: LogicalType[]) => LogicalType) => (a: LogicalType[]): LogicalType => {
  if (a[0].kind === 'ARRAY' && !supportsImplicitCast(a[1], a[0].element)) fail(name, sig, a);
  return result(a);
};

/** ARRAY_CONTAINS(array, value): NULL array → NULL; a NULL value matches a NULL element. */
const CONTAINS_SIG = 'ARRAY_CONTAINS(ARRAY, value of the element type)';
export const ARRAY_CONTAINS = def('ARRAY_CONTAINS', CONTAINS_SIG, [ARR, ANY], needleResult('ARRAY_CONTAINS', CONTAINS_SIG, (a) => BOOLEAN(a[0].nullable)), () =>
  (v: unknown[] | null, x: unknown) => {
    if (v === null || v === undefined) return null;
    for (let i = 0; i < v.length; i++) if (eq(v[i], x)) return true;
    return false;
  }, { strict: false });

/** ARRAY_POSITION(array, value): NULL when either is NULL (as Flink; ARRAY_CONTAINS finds a NULL element). */
const POSITION_SIG = 'ARRAY_POSITION(ARRAY, value of the element type)';
export const ARRAY_POSITION = def('ARRAY_POSITION', POSITION_SIG, [ARR, ANY], needleResult('ARRAY_POSITION', POSITION_SIG, (a) => INT(anyNullable(a))), () =>
  (v: unknown[], x: unknown) => {
    for (let i = 0; i < v.length; i++) if (eq(v[i], x)) return i + 1;
    return 0;
  });

const REMOVE_SIG = 'ARRAY_REMOVE(ARRAY, value of the element type)';
export const ARRAY_REMOVE = def('ARRAY_REMOVE', REMOVE_SIG, [ARR, ANY], needleResult('ARRAY_REMOVE', REMOVE_SIG, (a) => withNullable(a[0], a[0].nullable)), () =>
  (v: unknown[] | null, x: unknown) => (v === null || v === undefined ? null : v.filter((e) => !eq(e, x))), { strict: false });

export const ARRAY_DISTINCT = def('ARRAY_DISTINCT', 'ARRAY_DISTINCT(ARRAY)', [ARR], (a) => a[0], () => (v: unknown[]) => {
  const out: unknown[] = [];
  for (const e of v) if (!out.some((o) => eq(o, e))) out.push(e);
  return out;
});

export const ARRAY_REVERSE = def('ARRAY_REVERSE', 'ARRAY_REVERSE(ARRAY)', [ARR], (a) => a[0], () => (v: unknown[]) => v.slice().reverse());

/** The arrays' common type (ARRAY_CONCAT(ARRAY['a'], sa) is ARRAY<STRING>, as Flink), nullable when one is. */
const commonArray = (a: LogicalType[]): LogicalType => withNullable(commonType(a) ?? a[0], anyNullable(a));

export const ARRAY_CONCAT = def('ARRAY_CONCAT', 'ARRAY_CONCAT(ARRAY, ...)', [ARR], commonArray, () =>
  (...vs: unknown[][]) => ([] as unknown[]).concat(...vs), { variadic: true });

export const ARRAY_UNION = def('ARRAY_UNION', 'ARRAY_UNION(ARRAY, ARRAY)', [ARR, ARR], commonArray, () =>
  (x: unknown[], y: unknown[]) => {
    const out: unknown[] = [];
    for (const e of [...x, ...y]) if (!out.some((o) => eq(o, e))) out.push(e);
    return out;
  });

/**
 * ARRAY_SLICE(array, start[, end]): 1-based inclusive bounds; negative counts from the end. As
 * Flink's ArraySliceFunction: a start before the first element is the first; an end of 0 is 1 (so
 * ARRAY_SLICE(ARRAY[7, 8], -5, 0) is [7]); an end beyond the last element is the last.
 */
export const ARRAY_SLICE = def('ARRAY_SLICE', 'ARRAY_SLICE(ARRAY, start INT[, end INT])', [ARR, INTEGER, INTEGER], (a) => withNullable(a[0], anyNullable(a)), () =>
  (v: unknown[], start: number, end?: number) => {
    const n = v.length;
    if (n === 0) return v;
    const s = Math.max(1, start < 0 ? start + n + 1 : start);
    const e0 = end === undefined ? n : end < 0 ? end + n + 1 : end;
    const e = e0 === 0 ? 1 : Math.min(e0, n);
    return e < s ? [] : v.slice(s - 1, e);
  }, { minArgs: 2 });

const extreme = (name: string, sign: number) =>
  def(name, `${name}(ARRAY)`, [ARR], (a) => withNullable(elementOf(a[0]), true), () => (v: unknown[]) => {
    let best: unknown = null;
    for (const e of v) {
      if (e === null || e === undefined) continue;
      if (best === null || compareValues(e, best) * sign > 0) best = e;
    }
    return best;
  });
export const ARRAY_MAX = extreme('ARRAY_MAX', 1);
export const ARRAY_MIN = extreme('ARRAY_MIN', -1);

/** ARRAY_JOIN(array, delimiter[, nullReplacement]): NULL elements are skipped unless replaced. */
export const ARRAY_JOIN = def('ARRAY_JOIN', 'ARRAY_JOIN(ARRAY, delimiter STRING[, nullReplacement STRING])', [ARR, STR, STR],
  (a) => ({ kind: 'VARCHAR', length: MAX_LENGTH, nullable: anyNullable(a) }), (args) => {
    const f = args[0].kind === 'ARRAY' ? stringifier(args[0].element) : String;
    return (v: unknown[], d: string, nr?: string) => {
      const parts: string[] = [];
      for (const e of v) {
        if (e === null || e === undefined) {
          if (nr !== undefined) parts.push(nr);
        } else parts.push(f(e));
      }
      return parts.join(d);
    };
  }, { minArgs: 2 });

export const MAP_KEYS = def('MAP_KEYS', 'MAP_KEYS(MAP)', [MAP], (a) => ({ kind: 'ARRAY', element: a[0].kind === 'MAP' ? a[0].key : a[0], nullable: a[0].nullable }), () =>
  (m: Map<unknown, unknown>) => [...m.keys()]);
export const MAP_VALUES = def('MAP_VALUES', 'MAP_VALUES(MAP)', [MAP], (a) => ({ kind: 'ARRAY', element: a[0].kind === 'MAP' ? a[0].value : a[0], nullable: a[0].nullable }), () =>
  (m: Map<unknown, unknown>) => [...m.values()]);
export const MAP_ENTRIES = def('MAP_ENTRIES', 'MAP_ENTRIES(MAP)', [MAP],
  (a) => ({
    kind: 'ARRAY',
    element: { kind: 'ROW', fields: a[0].kind === 'MAP' ? [{ name: 'key', type: a[0].key }, { name: 'value', type: a[0].value }] : [], nullable: false },
    nullable: a[0].nullable,
  }),
  () => (m: Map<unknown, unknown>) => [...m.entries()].map(([k, v]) => [k, v]));
export const MAP_FROM_ARRAYS = def('MAP_FROM_ARRAYS', 'MAP_FROM_ARRAYS(keys ARRAY, values ARRAY)', [ARR, ARR],
  (a) => ({ kind: 'MAP', key: elementOf(a[0]), value: elementOf(a[1]), nullable: anyNullable(a) }), () =>
  (k: unknown[], v: unknown[]) => {
    if (k.length !== v.length) throw new JobError(`MAP_FROM_ARRAYS: ${k.length} keys but ${v.length} values`);
    const m = new Map<unknown, unknown>();
    for (let i = 0; i < k.length; i++) m.set(k[i], v[i]);
    return m;
  });

export const COLLECTION_FUNCTIONS: ScalarFunctionDef[] = [
  CARDINALITY, ELEMENT, ARRAY_CONTAINS, ARRAY_POSITION, ARRAY_REMOVE, ARRAY_DISTINCT, ARRAY_REVERSE, ARRAY_CONCAT, ARRAY_UNION,
  ARRAY_SLICE, ARRAY_MAX, ARRAY_MIN, ARRAY_JOIN, MAP_KEYS, MAP_VALUES, MAP_ENTRIES, MAP_FROM_ARRAYS,
];
