// Conditional functions: COALESCE, NULLIF, IF, IFNULL, IS_NULL helpers.
import type { LogicalType } from '../../common/types.js';
import { withNullable } from '../../common/types.js';
import type { ScalarFunctionDef } from '../api.js';
import { alias, checkArgs, fail, BOOL, ANY } from '../helpers.js';
import type { AnyFn } from '../helpers.js';
import { commonType } from '../coercion.js';
import { castFunction } from '../cast.js';
import { isNumeric, isString, isTimestamp } from '../../common/types.js';
import { isNanosType } from '../../common/nanos.js';

/**
 * Converters from each argument's representation to the common type's, for arguments whose
 * runtime values differ (DATE days vs TIMESTAMP micros, TIMESTAMP vs TIMESTAMP_LTZ, …);
 * undefined where the value can be used as is (numbers, strings, same kind).
 */
export function argConverters(args: readonly LogicalType[], target: LogicalType, zone: string): ((v: unknown) => unknown)[] | undefined {
  let any = false;
  const out = args.map((a) => {
    if (a.kind === 'NULL') return undefined;
    if (isNumeric(a) && isNumeric(target)) {
      if (sameNumericRepresentation(a, target)) return undefined;
    } else if (a.kind === target.kind && !timestampNeedsCast(a, target)) return undefined;
    if (isString(a) && isString(target)) return undefined;
    any = true;
    return castFunction(a, target, 'cast', zone);
  });
  return any ? (out as ((v: unknown) => unknown)[]) : undefined;
}

/** TIMESTAMP(p) values change representation across p = 6 (micros / nanos) and are truncated to a lower p. */
function timestampNeedsCast(a: LogicalType, target: LogicalType): boolean {
  if (!isTimestamp(a) || !isTimestamp(target)) return false;
  const pa = (a as { precision: number }).precision;
  const pt = (target as { precision: number }).precision;
  return pt < pa || isNanosType(a) !== isNanosType(target);
}

const SMALL_INTEGRAL = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'INT']);

/**
 * Whether a numeric value of type a is already the value of type target at run time: a DECIMAL is
 * an unscaled integer at its scale (DECIMAL(10, 2) 12.34 is 1234), a BIGINT may be a bigint.
 */
function sameNumericRepresentation(a: LogicalType, target: LogicalType): boolean {
  if (a.kind === 'DECIMAL' || target.kind === 'DECIMAL') return a.kind === 'DECIMAL' && target.kind === 'DECIMAL' && a.scale === target.scale;
  if (a.kind === target.kind) return true;
  if (SMALL_INTEGRAL.has(a.kind)) return target.kind === 'BIGINT' || target.kind === 'DOUBLE' || SMALL_INTEGRAL.has(target.kind);
  return a.kind === 'FLOAT' && target.kind === 'DOUBLE';
}

function common(name: string, sig: string, args: LogicalType[], opts?: { calcite?: boolean }): LogicalType {
  const t = commonType(args, opts);
  if (!t) fail(name, sig, args);
  return t;
}

export const COALESCE: ScalarFunctionDef = {
  name: 'COALESCE',
  strict: false,
  deterministic: true,
  returnType(args) {
    if (args.length === 0) fail('COALESCE', 'COALESCE(value, ...)', args);
    const t = common('COALESCE', 'COALESCE(value, ...) with arguments of a common type', args);
    // NOT NULL as soon as one argument is NOT NULL.
    return withNullable(t, args.every((a) => a.nullable));
  },
  create(args, ctx): AnyFn {
    const n = args.length;
    const t = commonType(args);
    const conv = t && argConverters(args, t, ctx.localTimeZone);
    if (conv) {
      return (...vs: unknown[]) => {
        for (let i = 0; i < vs.length; i++) {
          const v = vs[i];
          if (v !== null && v !== undefined) return conv[i] ? conv[i](v) : v;
        }
        return null;
      };
    }
    if (n === 1) return (a: unknown) => a;
    if (n === 2) return (a: unknown, b: unknown) => (a !== null && a !== undefined ? a : b);
    if (n === 3) {
      return (a: unknown, b: unknown, c: unknown) =>
        a !== null && a !== undefined ? a : b !== null && b !== undefined ? b : c === undefined ? null : c;
    }
    return (...vs: unknown[]) => {
      for (let i = 0; i < vs.length; i++) if (vs[i] !== null && vs[i] !== undefined) return vs[i];
      return null;
    };
  },
};

const IFNULL_BASE: ScalarFunctionDef = {
  ...COALESCE,
  returnType(args) {
    checkArgs('IFNULL', 'IFNULL(value, nullReplacement)', args, [ANY, ANY]);
    return COALESCE.returnType(args);
  },
};
export const IFNULL = alias(IFNULL_BASE, 'IFNULL');

export const NULLIF: ScalarFunctionDef = {
  name: 'NULLIF',
  strict: false,
  deterministic: true,
  returnType(args) {
    checkArgs('NULLIF', 'NULLIF(value1, value2)', args, [ANY, ANY]);
    // Flink 1.20 rejects NULLIF of arrays (Illegal mixing of types in CASE or COALESCE statement).
    if (args.some((a) => a.kind === 'ARRAY')) fail('NULLIF', 'NULLIF(value1, value2) of comparable types other than ARRAY', args);
    common('NULLIF', 'NULLIF(value1, value2) with comparable arguments', args);
    return withNullable(args[0], true);
  },
  create(args, ctx): AnyFn {
    const eq = valueEquals;
    const t = commonType(args);
    const conv = t && argConverters(args, t, ctx.localTimeZone);
    if (conv) {
      const ca = conv[0] ?? ((v: unknown) => v);
      const cb = conv[1] ?? ((v: unknown) => v);
      return (a: unknown, b: unknown) =>
        a !== null && a !== undefined && b !== null && b !== undefined && eq(ca(a), cb(b)) ? null : a;
    }
    return (a: unknown, b: unknown) => (a !== null && a !== undefined && b !== null && b !== undefined && eq(a, b) ? null : a);
  },
};

/**
 * Flink 1.20 types IF over two timestamps (TIMESTAMP or TIMESTAMP_LTZ) as its true branch
 * (FlinkReturnTypes.NUMERIC_FROM_ARG1_DEFAULT1): IF(c, TIMESTAMP(0), TIMESTAMP(3)) is TIMESTAMP(0)
 * and the false branch is cast (truncated) to it. Other types take the common type.
 */
function ifType(a: LogicalType, b: LogicalType): LogicalType | undefined {
  return isTimestamp(a) && isTimestamp(b) ? a : undefined;
}

export const IF: ScalarFunctionDef = {
  name: 'IF',
  strict: false,
  deterministic: true,
  returnType(args) {
    checkArgs('IF', 'IF(condition BOOLEAN, trueValue, falseValue)', args, [BOOL, ANY, ANY]);
    // Flink 1.20's IF takes no ARRAY, MAP or MULTISET branches (Cannot apply 'IF' to arguments of type …).
    if (args.slice(1).some((a) => ['ARRAY', 'MAP', 'MULTISET'].includes(a.kind))) fail('IF', 'IF(condition BOOLEAN, trueValue, falseValue) with branches other than ARRAY, MAP or MULTISET', args);
    // Calcite's common type, as CASE (IF(c, FLOAT, DECIMAL) is DOUBLE).
    const t = ifType(args[1], args[2]) ?? common('IF', 'IF(condition BOOLEAN, trueValue, falseValue) with branches of a common type', [args[1], args[2]], { calcite: true });
    // Flink's IF is nullable when any argument is, the condition too (IF(z, 1, 1) is INT).
    return withNullable(t, args[0].nullable || args[1].nullable || args[2].nullable);
  },
  create(args, ctx): AnyFn {
    const t = ifType(args[1], args[2]) ?? commonType([args[1], args[2]], { calcite: true });
    const conv = t && argConverters([args[1], args[2]], t, ctx.localTimeZone);
    if (conv) {
      const ca = conv[0] ?? ((v: unknown) => v);
      const cb = conv[1] ?? ((v: unknown) => v);
      return (c: unknown, a: unknown, b: unknown) => {
        const v = c === true ? a : b;
        return v === null || v === undefined ? null : c === true ? ca(v) : cb(v);
      };
    }
    return (c: unknown, a: unknown, b: unknown) => (c === true ? a : b);
  },
};

/** SQL equality of two non-null runtime values (numbers, strings, dates, bytes, arrays, maps). */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      if (x === null || y === null) {
        if (x !== y) return false;
      } else if (!valueEquals(x, y)) return false;
    }
    return true;
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k)) return false;
      const w = b.get(k);
      if (v === null || w === null ? v !== w : !valueEquals(v, w)) return false;
    }
    return true;
  }
  return false;
}

export const CORE_FUNCTIONS: ScalarFunctionDef[] = [COALESCE, IFNULL, NULLIF, IF];
