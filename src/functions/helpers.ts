// Shared helpers for the built-in functions: argument checks with clear messages, nullability.
import { ValidationError } from '../common/errors.js';
import type { AggregateFunctionDef } from './api.js';
import { formatType, isNumeric, isString, isIntegral, MAX_LENGTH } from '../common/types.js';
import type { LogicalType } from '../common/types.js';
import type { ScalarFunctionDef } from './api.js';

export type Pred = (t: LogicalType) => boolean;

export const isNull: Pred = (t) => t.kind === 'NULL';
export const ANY: Pred = () => true;
export const STR: Pred = (t) => isString(t) || t.kind === 'NULL';
export const NUM: Pred = (t) => isNumeric(t) || t.kind === 'NULL';
export const INTEGER: Pred = (t) => isIntegral(t) || t.kind === 'NULL';
export const BOOL: Pred = (t) => t.kind === 'BOOLEAN' || t.kind === 'NULL';
export const BIN: Pred = (t) => t.kind === 'BINARY' || t.kind === 'VARBINARY' || t.kind === 'NULL';
export const STR_OR_BIN: Pred = (t) => STR(t) || BIN(t);
export const TS: Pred = (t) => t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ' || t.kind === 'NULL';
export const DATETIME: Pred = (t) => TS(t) || t.kind === 'DATE' || t.kind === 'TIME';

export function anyNullable(args: readonly LogicalType[]): boolean {
  for (const a of args) if (a.nullable) return true;
  return false;
}

export const STRING = (nullable: boolean): LogicalType => ({ kind: 'VARCHAR', length: MAX_LENGTH, nullable });
export const INT = (nullable: boolean): LogicalType => ({ kind: 'INT', nullable });
export const BIGINT = (nullable: boolean): LogicalType => ({ kind: 'BIGINT', nullable });
export const DOUBLE = (nullable: boolean): LogicalType => ({ kind: 'DOUBLE', nullable });
export const BOOLEAN = (nullable: boolean): LogicalType => ({ kind: 'BOOLEAN', nullable });

/**
 * Checks argument count and kinds; throws a ValidationError naming the function, the given
 * argument types and the expected signature(s).
 */
export function checkArgs(
  name: string,
  signature: string,
  args: readonly LogicalType[],
  preds: readonly Pred[],
  minArgs = preds.length,
): void {
  if (args.length < minArgs || args.length > preds.length) fail(name, signature, args);
  for (let i = 0; i < args.length; i++) if (!preds[i](args[i])) fail(name, signature, args);
}

export function fail(name: string, signature: string, args: readonly LogicalType[]): never {
  throw new ValidationError(
    `Invalid arguments for function ${name}(${args.map(formatType).join(', ')}); expected ${signature}`,
  );
}

/** A plain strict, deterministic function with a fixed check and result. */
export function simple(
  name: string,
  signature: string,
  preds: Pred[],
  result: (args: LogicalType[]) => LogicalType,
  impl: (args: LogicalType[], constants: readonly unknown[]) => (...values: any[]) => unknown,
  minArgs = preds.length,
): ScalarFunctionDef {
  return {
    name,
    strict: true,
    deterministic: true,
    returnType(args) {
      checkArgs(name, signature, args, preds, minArgs);
      return result(args);
    },
    create(args, ctx) {
      return impl(args, ctx.constantArgs);
    },
  };
}

/** Length in Unicode code points (Flink counts UTF-16 code units; we do too for speed). */
export function typeLength(t: LogicalType): number {
  return t.kind === 'CHAR' || t.kind === 'VARCHAR' ? t.length : MAX_LENGTH;
}

/** An implementation with typed parameters (assignable to the API's `(...values: unknown[]) => unknown`). */
export type AnyFn = (...values: any[]) => unknown;

function renameError(e: unknown, from: string, to: string): unknown {
  if (e instanceof ValidationError) return new ValidationError(e.message.split(from + '(').join(to + '('), e.position);
  return e;
}

/** The same function under another SQL name (CEILING for CEIL, …); errors name the alias. */
export function alias(def: ScalarFunctionDef, name: string): ScalarFunctionDef {
  return {
    ...def,
    name,
    returnType(args, constants) {
      try {
        return def.returnType(args, constants);
      } catch (e) {
        throw renameError(e, def.name, name);
      }
    },
  };
}

export function aggregateAlias(def: AggregateFunctionDef, name: string): AggregateFunctionDef {
  return {
    ...def,
    name,
    returnType(args, distinct) {
      try {
        return def.returnType(args, distinct);
      } catch (e) {
        throw renameError(e, def.name, name);
      }
    },
  };
}
