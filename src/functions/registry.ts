// The built-in function library: looked up by (case-insensitive) SQL name at plan time.
//
// Calling conventions for special SQL syntax (the planner turns the syntax into plain calls; the
// bracketed arguments must be literals, passed in `constantArgs` to returnType and create):
//   EXTRACT(unit FROM x)              → EXTRACT(['YEAR'|'MONTH'|'DOW'|'EPOCH'|…], x)        BIGINT
//   FLOOR(x TO unit) / CEIL(x TO unit) → FLOOR_TO(x, ['HOUR'|…]) / CEIL_TO(x, ['HOUR'|…])      type of x
//   TRIM([BOTH|LEADING|TRAILING] [c] FROM s) → TRIM(['BOTH'|'LEADING'|'TRAILING'], c (default ' '), s); TRIM(s)
//   POSITION(a IN b)                  → POSITION(a, b)
//   SUBSTRING(s FROM i [FOR n])       → SUBSTRING(s, i[, n]);  OVERLAY(s PLACING r FROM i [FOR n]) → OVERLAY(s, r, i[, n])
//   TIMESTAMPADD(unit, n, x)          → TIMESTAMPADD(['DAY'|…], n, x)  (the unit as a string literal, SQL_TSI_ prefix ok)
//   TIMESTAMPDIFF(unit, a, b)         → TIMESTAMPDIFF(['DAY'|…], a, b)                      INT
//   s IS JSON [VALUE|OBJECT|ARRAY|SCALAR] → IS_JSON(s[, ['OBJECT'|…]])                      BOOLEAN NOT NULL
//   JSON_VALUE(j, p [RETURNING t] [… ON EMPTY] [… ON ERROR]) → JSON_VALUE(j, p, ['INT'|'DOUBLE'|'BOOLEAN'|'STRING'|NULL], ['NULL'|'ERROR'|'DEFAULT'|NULL], errorDefault, ['NULL'|'ERROR'|'DEFAULT'], emptyDefault)
//   JSON_QUERY(j, p [WITH [CONDITIONAL] [ARRAY] WRAPPER] [… ON EMPTY] [… ON ERROR]) → JSON_QUERY(j, p, ['WITH'|'CONDITIONAL'|'WITHOUT'], ['NULL'|'ERROR'|'EMPTY ARRAY'|'EMPTY OBJECT'|NULL], [onEmpty, alike])
//   JSON_EXISTS(j, p [… ON ERROR])    → JSON_EXISTS(j, p, ['FALSE'|'TRUE'|'UNKNOWN'|'ERROR'])   (ON EMPTY: no effect, as in Flink 1.20)
//   JSON_OBJECT(KEY k VALUE v, …)     → JSON_OBJECT(k, v, …) (NULL ON NULL) or $JSON_OBJECT_ABSENT_ON_NULL(k, v, …)
//   JSON_ARRAY(v, …)                  → JSON_ARRAY(v, …) (ABSENT ON NULL) or $JSON_ARRAY_NULL_ON_NULL(v, …)
//   JSON_OBJECTAGG / JSON_ARRAYAGG    → the aggregate, or $JSON_OBJECTAGG_ABSENT_ON_NULL / $JSON_ARRAYAGG_NULL_ON_NULL
//   CAST / TRY_CAST                   → src/functions/cast.ts castFunction (not in this registry)
//   LIKE / SIMILAR TO                 → src/functions/like.ts likeToRegExp / likeMatcher / similarToRegExp
// Aggregates: COUNT(*) is COUNT with zero arguments; DISTINCT is the `distinct` flag of create().
import type { AggregateFunctionDef, ScalarFunctionDef } from './api.js';
import { CORE_FUNCTIONS } from './scalar/core.js';
import { STRING_FUNCTIONS } from './scalar/string.js';
import { MATH_FUNCTIONS } from './scalar/math.js';
import { TIME_FUNCTIONS } from './scalar/time.js';
import { JSON_FUNCTIONS } from './scalar/json.js';
import { MISC_FUNCTIONS } from './scalar/misc.js';
import { COLLECTION_FUNCTIONS } from './scalar/collection.js';
import { AGGREGATE_FUNCTIONS } from './aggregates.js';
import { JSON_AGGREGATE_FUNCTIONS } from './json-aggregates.js';

const scalars = new Map<string, ScalarFunctionDef>();
const aggregates = new Map<string, AggregateFunctionDef>();

function addScalar(defs: ScalarFunctionDef[]): void {
  for (const d of defs) scalars.set(d.name.toUpperCase(), d);
}

addScalar(CORE_FUNCTIONS);
addScalar(STRING_FUNCTIONS);
addScalar(MATH_FUNCTIONS);
addScalar(TIME_FUNCTIONS);
addScalar(JSON_FUNCTIONS);
addScalar(MISC_FUNCTIONS);
addScalar(COLLECTION_FUNCTIONS);
for (const a of [...AGGREGATE_FUNCTIONS, ...JSON_AGGREGATE_FUNCTIONS]) aggregates.set(a.name.toUpperCase(), a);

// User-defined functions (JavaScript, src/functions/javascript.ts), registered by CREATE FUNCTION;
// they never shadow a built-in. Each session has its own (a UserFunctions scope), so two sessions
// (two jobs) of one process may define the same name differently. The scope is passed explicitly:
// the planner has it in its context (PlannerContext.functions) and the session's statements pass
// it to the functions below; a job's operators are built synchronously inside
// withUserFunctions(scope, () => new Job(…)), which makes it the current scope for the lookups of
// that synchronous call only (no AsyncLocalStorage: it would turn on promise hooks for the whole
// process, ~10% of a small job's CPU). Outside both, a process-wide scope.
export class UserFunctions {
  readonly scalars = new Map<string, ScalarFunctionDef>();
  readonly aggregates = new Map<string, AggregateFunctionDef>();
}

const processFunctions = new UserFunctions();
let currentScope = processFunctions;

/** Runs `f` with `scope` as the current user functions: synchronous work only (the scope is restored when `f` returns). */
export function withUserFunctions<T>(scope: UserFunctions, f: () => T): T {
  const before = currentScope;
  currentScope = scope;
  try {
    return f();
  } finally {
    currentScope = before;
  }
}

export function getScalarFunction(name: string, scope?: UserFunctions): ScalarFunctionDef | undefined {
  const n = name.toUpperCase();
  return scalars.get(n) ?? (scope ?? currentScope).scalars.get(n);
}

export function getAggregateFunction(name: string, scope?: UserFunctions): AggregateFunctionDef | undefined {
  const n = name.toUpperCase();
  return aggregates.get(n) ?? (scope ?? currentScope).aggregates.get(n);
}

export function isBuiltinFunction(name: string): boolean {
  const n = name.toUpperCase();
  return scalars.has(n) || aggregates.has(n);
}

/** A user table function is held as the scalar `$TABLE_FUNCTION$NAME` (see src/functions/javascript.ts). */
const TABLE_PREFIX = '$TABLE_FUNCTION$';

export function isUserFunction(name: string, scope: UserFunctions = currentScope): boolean {
  const n = name.toUpperCase();
  return scope.scalars.has(n) || scope.aggregates.has(n) || scope.scalars.has(TABLE_PREFIX + n);
}

/** Registers a user-defined function (replacing one of the same name). */
export function registerUserFunction(f: { kind: 'scalar' | 'table'; def: ScalarFunctionDef } | { kind: 'aggregate'; def: AggregateFunctionDef }, scope: UserFunctions = currentScope): void {
  dropUserFunction(f.def.name.replace(TABLE_PREFIX, ''), scope);
  if (f.kind === 'aggregate') scope.aggregates.set(f.def.name.toUpperCase(), f.def);
  else scope.scalars.set(f.def.name.toUpperCase(), f.def);
}

export function userFunctionNames(scope: UserFunctions = currentScope): string[] {
  return [...scope.scalars.keys(), ...scope.aggregates.keys()].map((n) => n.replace(TABLE_PREFIX, '')).sort();
}

export function dropUserFunction(name: string, scope: UserFunctions = currentScope): boolean {
  const n = name.toUpperCase();
  return scope.scalars.delete(n) || scope.aggregates.delete(n) || scope.scalars.delete(TABLE_PREFIX + n);
}

export function scalarFunctionNames(): string[] {
  // Internal forms ($JSON_OBJECT_ABSENT_ON_NULL) are not listed.
  return [...scalars.keys()].filter((n) => !n.startsWith('$')).sort();
}

export function aggregateFunctionNames(): string[] {
  // Internal aggregates ($SUM0) are not listed.
  return [...aggregates.keys()].filter((n) => !n.startsWith('$')).sort();
}
