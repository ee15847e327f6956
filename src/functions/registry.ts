// The built-in function library: looked up by (case-insensitive) SQL name at plan time.
import type { AggregateFunctionDef, ScalarFunctionDef } from './api.js';
import { CORE_FUNCTIONS } from './scalar/core.js';
import { STRING_FUNCTIONS } from './scalar/string.js';
import { MATH_FUNCTIONS } from './scalar/math.js';
import { TIME_FUNCTIONS } from './scalar/time.js';
import { JSON_FUNCTIONS } from './scalar/json.js';
import { MISC_FUNCTIONS } from './scalar/misc.js';
import { COLLECTION_FUNCTIONS } from './scalar/collection.js';
import { AGGREGATE_FUNCTIONS } from './aggregates.js';

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
for (const a of AGGREGATE_FUNCTIONS) aggregates.set(a.name.toUpperCase(), a);

export function getScalarFunction(name: string): ScalarFunctionDef | undefined {
  return scalars.get(name.toUpperCase());
}

export function getAggregateFunction(name: string): AggregateFunctionDef | undefined {
  return aggregates.get(name.toUpperCase());
}

export function scalarFunctionNames(): string[] {
  return [...scalars.keys()].sort();
}

export function aggregateFunctionNames(): string[] {
  return [...aggregates.keys()].sort();
}
