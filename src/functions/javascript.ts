// User-defined functions written in JavaScript (beyond Flink): `CREATE FUNCTION f AS 'file.js'
// [LANGUAGE JAVASCRIPT]`. The module's default export declares the SQL signature and the code:
//   export default { kind: 'scalar', params: ['INT', 'STRING'], returns: 'STRING', eval(n, s) { … } };
//   export default { kind: 'aggregate', params: ['INT'], returns: 'BIGINT',
//                    create: () => acc, add(acc, x) → acc, result(acc) → value, retract?(acc, x) → acc };
// Values cross as plain JS: numbers (BIGINT: number or bigint), strings, booleans, DECIMAL as a
// number, TIMESTAMP/DATE as Date; an aggregate's accumulator must be JSON (it is checkpointed).
//   export default { kind: 'table', params: ['STRING'], returns: 'ROW<word STRING, len INT>',
//                    *eval(s) { for (const w of s.split(' ')) yield [w, w.length]; } };  (LATERAL TABLE)
// A function that throws fails the job with an error naming the function, its file and line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { decFromDouble, decToDouble, isExactInteger, type Exact } from '../common/exact.js';
import { JobError, ValidationError } from '../common/errors.js';
import { importModule } from '../common/import-module.js';
import { formatType, type LogicalType } from '../common/types.js';
import type { Accumulator, AggregateFunctionDef, ScalarFunctionDef } from './api.js';

/** Parses a SQL type name (the parser's, injected to keep this layer below the parser). */
export type TypeParser = (text: string) => LogicalType;

interface ModuleSpec {
  kind?: unknown;
  params?: unknown;
  returns?: unknown;
  eval?: unknown;
  create?: unknown;
  add?: unknown;
  retract?: unknown;
  result?: unknown;
}

/**
 * A table function is planned as a scalar function named TABLE_FUNCTION_PREFIX + name returning
 * ARRAY<ROW<…>> that LATERAL TABLE(f(…)) unnests (one output row per returned row).
 */
export const TABLE_FUNCTION_PREFIX = '$TABLE_FUNCTION$';

export type JavaScriptFunction = { kind: 'scalar' | 'table'; def: ScalarFunctionDef } | { kind: 'aggregate'; def: AggregateFunctionDef };

/** Loads `file` (relative to `baseDir`) and builds the function `name` it declares. */
export async function loadJavaScriptFunction(name: string, file: string, baseDir: string, parseType: TypeParser): Promise<JavaScriptFunction> {
  const abs = path.resolve(baseDir, file);
  let mod: { default?: ModuleSpec } & ModuleSpec;
  try {
    mod = await importModule<typeof mod>(pathToFileURL(abs).href);
  } catch (err) {
    const why = (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' ? 'the file does not exist' : (err as Error).message.split('\n')[0];
    throw new ValidationError(`Function ${name}: cannot load JavaScript module '${abs}': ${why}`);
  }
  const spec: ModuleSpec = mod.default && typeof mod.default === 'object' ? mod.default : mod;
  const what = `Function ${name} (${abs})`;
  const kind = spec.kind ?? 'scalar';
  if (kind !== 'scalar' && kind !== 'aggregate' && kind !== 'table') throw new ValidationError(`${what}: kind must be 'scalar', 'table' or 'aggregate', found ${JSON.stringify(kind)}`);
  if (!Array.isArray(spec.params) || !spec.params.every((p) => typeof p === 'string')) throw new ValidationError(`${what}: export 'params', the SQL types of its arguments (e.g. ['INT', 'STRING'])`);
  if (typeof spec.returns !== 'string') throw new ValidationError(`${what}: export 'returns', the SQL type of its result (e.g. 'STRING')`);
  const typeOf = (t: string) => {
    try {
      return { ...parseType(t), nullable: true } as LogicalType;
    } catch (err) {
      throw new ValidationError(`${what}: '${t}' is not a SQL type: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  const params = (spec.params as string[]).map(typeOf);
  const returns = typeOf(spec.returns);
  const upper = name.toUpperCase();
  const checkArgs = (args: LogicalType[]) => {
    if (args.length !== params.length) {
      throw new ValidationError(`Function ${name} takes ${params.length} argument(s) (${params.map(formatType).join(', ')}), found ${args.length}`);
    }
  };
  const call = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw userError(name, abs, err);
    }
  };
  const toJs = params.map(jsValue);
  if (kind === 'table') {
    const impl = spec.eval;
    if (typeof impl !== 'function') throw new ValidationError(`${what}: a table function exports eval(…), returning (or yielding) its rows`);
    if (returns.kind !== 'ROW') throw new ValidationError(`${what}: a table function returns 'ROW<name TYPE, …>', the columns of its rows`);
    const fields = returns.fields;
    const conv = fields.map((f) => sqlValue(f.type, name));
    const toRow = (r: unknown): unknown[] => {
      if (Array.isArray(r)) return fields.map((_, i) => conv[i](r[i]));
      if (r && typeof r === 'object') return fields.map((f, i) => conv[i]((r as Record<string, unknown>)[f.name]));
      if (fields.length === 1) return [conv[0](r)];
      throw new JobError(`JavaScript table function ${name} produced ${String(r)}, not a row (an array or an object with ${fields.map((f) => f.name).join(', ')})`);
    };
    const def: ScalarFunctionDef = {
      name: TABLE_FUNCTION_PREFIX + upper,
      strict: false,
      deterministic: false,
      returnType: (args) => (checkArgs(args), { kind: 'ARRAY', element: { ...returns, nullable: false }, nullable: true } as LogicalType),
      create: () => (...values) =>
        call(() => {
          const rows = impl(...values.map((v, i) => toJs[i](v)));
          if (rows === null || rows === undefined) return [];
          if (typeof (rows as Iterable<unknown>)[Symbol.iterator] !== 'function') throw new JobError(`JavaScript table function ${name} must return an array or a generator of rows`);
          return [...(rows as Iterable<unknown>)].map(toRow);
        }),
    };
    return { kind: 'table', def };
  }
  const fromJs = sqlValue(returns, name);
  if (kind === 'scalar') {
    const impl = spec.eval;
    if (typeof impl !== 'function') throw new ValidationError(`${what}: a scalar function exports eval(…)`);
    const def: ScalarFunctionDef = {
      name: upper,
      strict: false,
      deterministic: false,
      returnType: (args) => (checkArgs(args), returns),
      create: () => (...values) => fromJs(call(() => impl(...values.map((v, i) => toJs[i](v))))),
    };
    return { kind: 'scalar', def };
  }
  const { create, add, retract, result } = spec;
  if (typeof create !== 'function' || typeof add !== 'function' || typeof result !== 'function') {
    throw new ValidationError(`${what}: an aggregate function exports create(), add(acc, …args) and result(acc)`);
  }
  const def: AggregateFunctionDef = {
    name: upper,
    returnType: (args) => (checkArgs(args), returns),
    create: () => () => {
      let acc: unknown = call(() => create());
      const jsArgs = (values: unknown[]) => values.map((v, i) => toJs[i](v));
      const a: Accumulator = {
        add: (values) => {
          const next = call(() => add(acc, ...jsArgs(values)));
          if (next !== undefined) acc = next;
        },
        merge: () => {
          throw new JobError(`Function ${name} cannot merge accumulators`);
        },
        result: () => fromJs(call(() => result(acc))),
        save: () => JSON.parse(JSON.stringify(acc ?? null)),
        load: (state) => {
          acc = state;
        },
      };
      if (typeof retract === 'function') {
        a.retract = (values) => {
          const next = call(() => retract(acc, ...jsArgs(values)));
          if (next !== undefined) acc = next;
        };
      }
      return a;
    },
  };
  return { kind: 'aggregate', def };
}

/** The error of a user function that threw: its name, file and line, the message, no stack of ours. */
function userError(name: string, file: string, err: unknown): JobError {
  if (err instanceof JobError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const stack = err instanceof Error ? err.stack ?? '' : '';
  const base = path.basename(file);
  const frame = stack.split('\n').find((l) => l.includes(base));
  const m = frame ? /:(\d+):(\d+)\)?\s*$/.exec(frame) : null;
  const where = m ? `${file}:${m[1]}` : file;
  let line = '';
  if (m) {
    try {
      line = `\n  ${m[1]} | ${readFileSync(file, 'utf8').split('\n')[Number(m[1]) - 1]?.trim() ?? ''}`;
    } catch {
      // the source is gone: the location alone
    }
  }
  return new JobError(`JavaScript function ${name} threw at ${where}: ${message}${line}`);
}

/** Runtime value → the JS value a function sees. */
function jsValue(t: LogicalType): (v: unknown) => unknown {
  switch (t.kind) {
    case 'DECIMAL':
      return (v) => (v === null || v === undefined ? null : decToDouble(v as Exact, t.scale));
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return (v) => (v === null || v === undefined ? null : new Date(Math.floor((v as number) / 1000)));
    case 'DATE':
      return (v) => (v === null || v === undefined ? null : new Date((v as number) * 86_400_000));
    default:
      return (v) => (v === undefined ? null : v);
  }
}

/** A function's JS result → the runtime value of its declared type (a wrong kind of value is an error). */
function sqlValue(t: LogicalType, name: string): (v: unknown) => unknown {
  const wrong = (v: unknown) => new JobError(`JavaScript function ${name} returned ${typeof v === 'string' ? JSON.stringify(v) : String(v)} (${typeof v}), not a ${formatType(t)}`);
  return (v) => {
    if (v === null || v === undefined) return null;
    switch (t.kind) {
      case 'TINYINT':
      case 'SMALLINT':
      case 'INT':
        if (typeof v !== 'number' || !Number.isInteger(v)) throw wrong(v);
        return v;
      case 'BIGINT':
        if (!isExactInteger(v)) throw wrong(v);
        return v;
      case 'FLOAT':
      case 'DOUBLE':
        if (typeof v !== 'number') throw wrong(v);
        return v;
      case 'DECIMAL': {
        if (typeof v !== 'number') throw wrong(v);
        const u = decFromDouble(v, t.precision, t.scale);
        if (u === undefined) throw wrong(v);
        return u;
      }
      case 'CHAR':
      case 'VARCHAR':
        if (typeof v !== 'string') throw wrong(v);
        return v;
      case 'BOOLEAN':
        if (typeof v !== 'boolean') throw wrong(v);
        return v;
      case 'TIMESTAMP':
      case 'TIMESTAMP_LTZ':
        if (!(v instanceof Date)) throw wrong(v);
        return v.getTime() * 1000;
      case 'DATE':
        if (!(v instanceof Date)) throw wrong(v);
        return Math.floor(v.getTime() / 86_400_000);
      default:
        return v;
    }
  };
}
