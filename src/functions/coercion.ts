// Flink's implicit type rules, for the planner: common types (CASE, COALESCE, UNION, IN, …),
// arithmetic result types and which types compare with each other.
import type { LogicalType } from '../common/types.js';
import { isIntegral, isNumeric, isString, MAX_LENGTH, withNullable } from '../common/types.js';

export const MAX_DECIMAL_PRECISION = 38;

const NUMERIC_RANK: Record<string, number> = { TINYINT: 1, SMALLINT: 2, INT: 3, BIGINT: 4, DECIMAL: 5, FLOAT: 6, DOUBLE: 7 };
const INT_PRECISION: Record<string, number> = { TINYINT: 3, SMALLINT: 5, INT: 10, BIGINT: 19 };

/** An exact numeric type as DECIMAL(p, s) (integers as DECIMAL(n, 0)); undefined for FLOAT/DOUBLE. */
export function asDecimal(t: LogicalType): { precision: number; scale: number } | undefined {
  if (t.kind === 'DECIMAL') return { precision: t.precision, scale: t.scale };
  if (isIntegral(t)) return { precision: INT_PRECISION[t.kind], scale: 0 };
  return undefined;
}

/** Flink's precision/scale adjustment when a derived DECIMAL exceeds 38 digits. */
export function adjustDecimal(precision: number, scale: number, nullable: boolean): LogicalType {
  if (precision <= MAX_DECIMAL_PRECISION) return { kind: 'DECIMAL', precision: Math.max(1, precision), scale, nullable };
  const intDigits = precision - scale;
  const minScale = Math.min(scale, 6);
  const s = Math.max(MAX_DECIMAL_PRECISION - intDigits, minScale);
  return { kind: 'DECIMAL', precision: MAX_DECIMAL_PRECISION, scale: s, nullable };
}

/**
 * `calcite`: Calcite's leastRestrictive (CASE and IF branches) types FLOAT with DECIMAL as DOUBLE
 * and FLOAT with DOUBLE as the first of them; Flink's own common type (COALESCE, …) FLOAT and DOUBLE.
 */
function commonPair(a: LogicalType, b: LogicalType, calcite = false): LogicalType | undefined {
  const nullable = a.nullable || b.nullable;
  if (a.kind === 'NULL') return withNullable(b, true);
  if (b.kind === 'NULL') return withNullable(a, true);
  if (isNumeric(a) && isNumeric(b)) {
    if (a.kind === b.kind && a.kind !== 'DECIMAL') return withNullable(a, nullable);
    const ra = NUMERIC_RANK[a.kind];
    const rb = NUMERIC_RANK[b.kind];
    // Calcite's FLOAT is as wide as DOUBLE: of the two, its leastRestrictive keeps the first.
    if (calcite && (a.kind === 'FLOAT' || a.kind === 'DOUBLE') && (b.kind === 'FLOAT' || b.kind === 'DOUBLE')) return { kind: a.kind, nullable };
    if (a.kind === 'DOUBLE' || b.kind === 'DOUBLE') return { kind: 'DOUBLE', nullable };
    if (a.kind === 'FLOAT' || b.kind === 'FLOAT') {
      return { kind: calcite && (a.kind === 'DECIMAL' || b.kind === 'DECIMAL') ? 'DOUBLE' : 'FLOAT', nullable };
    }
    if (a.kind === 'DECIMAL' || b.kind === 'DECIMAL') {
      const da = asDecimal(a)!;
      const db = asDecimal(b)!;
      const scale = Math.max(da.scale, db.scale);
      const intDigits = Math.max(da.precision - da.scale, db.precision - db.scale);
      return adjustDecimal(intDigits + scale, scale, nullable);
    }
    return withNullable(ra >= rb ? a : b, nullable);
  }
  if ((a.kind === 'CHAR' || a.kind === 'VARCHAR') && (b.kind === 'CHAR' || b.kind === 'VARCHAR')) {
    if (a.kind === 'CHAR' && b.kind === 'CHAR' && a.length === b.length) return withNullable(a, nullable);
    return { kind: 'VARCHAR', length: Math.max(a.length, b.length), nullable };
  }
  if ((a.kind === 'BINARY' || a.kind === 'VARBINARY') && (b.kind === 'BINARY' || b.kind === 'VARBINARY')) {
    if (a.kind === 'BINARY' && b.kind === 'BINARY' && a.length === b.length) return withNullable(a, nullable);
    return { kind: 'VARBINARY', length: Math.max(a.length, b.length), nullable };
  }
  if (a.kind === 'BOOLEAN' && b.kind === 'BOOLEAN') return withNullable(a, nullable);
  if (a.kind === 'DATE' && b.kind === 'DATE') return withNullable(a, nullable);
  if (a.kind === 'TIME' && b.kind === 'TIME') return { kind: 'TIME', precision: Math.max(a.precision, b.precision), nullable };
  const aTs = a.kind === 'TIMESTAMP' || a.kind === 'TIMESTAMP_LTZ';
  const bTs = b.kind === 'TIMESTAMP' || b.kind === 'TIMESTAMP_LTZ';
  if (aTs && bTs) {
    const kind = a.kind === 'TIMESTAMP_LTZ' || b.kind === 'TIMESTAMP_LTZ' ? 'TIMESTAMP_LTZ' : 'TIMESTAMP';
    return { kind, precision: Math.max(a.precision, b.precision), nullable };
  }
  if (aTs && b.kind === 'DATE') return withNullable(a, nullable);
  if (bTs && a.kind === 'DATE') return withNullable(b, nullable);
  if (a.kind === b.kind && (a.kind === 'INTERVAL_DAY_TIME' || a.kind === 'INTERVAL_YEAR_MONTH')) return withNullable(a, nullable);
  if (a.kind === 'ARRAY' && b.kind === 'ARRAY') {
    const e = commonPair(a.element, b.element, calcite);
    return e && { kind: 'ARRAY', element: e, nullable };
  }
  if (a.kind === 'MAP' && b.kind === 'MAP') {
    const k = commonPair(a.key, b.key, calcite);
    const v = commonPair(a.value, b.value, calcite);
    return k && v && { kind: 'MAP', key: k, value: v, nullable };
  }
  if (a.kind === 'ROW' && b.kind === 'ROW') {
    if (a.fields.length !== b.fields.length) return undefined;
    const fields = [];
    for (let i = 0; i < a.fields.length; i++) {
      const f = commonPair(a.fields[i].type, b.fields[i].type, calcite);
      if (!f) return undefined;
      fields.push({ name: a.fields[i].name, type: f });
    }
    return { kind: 'ROW', fields, nullable };
  }
  return undefined;
}

/**
 * The type all of `types` convert to implicitly (CASE branches, COALESCE, UNION, IN lists), or
 * undefined when there is none. NULL literals adapt; the result is nullable if any input is.
 * `{ calcite: true }`: Calcite's rule of CASE (FLOAT with DECIMAL is DOUBLE).
 */
export function commonType(types: readonly LogicalType[], opts?: { calcite?: boolean }): LogicalType | undefined {
  if (types.length === 0) return undefined;
  let acc: LogicalType = types[0];
  for (let i = 1; i < types.length; i++) {
    const next = commonPair(acc, types[i], opts?.calcite);
    if (!next) return undefined;
    acc = next;
  }
  return acc;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

/** The result type of `a op b`, or undefined when Flink rejects the operands. */
export function arithmeticResultType(op: ArithmeticOp, a: LogicalType, b: LogicalType): LogicalType | undefined {
  const nullable = a.nullable || b.nullable;
  if (a.kind === 'NULL' && b.kind === 'NULL') return { kind: 'NULL', nullable: true };
  if (a.kind === 'NULL') return arithmeticResultType(op, nullLike(b, op), b);
  if (b.kind === 'NULL') return arithmeticResultType(op, a, nullLike(a, op));
  if (isNumeric(a) && isNumeric(b)) {
    // Flink 1.20 (Calcite's FLOAT is as wide as DOUBLE) types FLOAT op DOUBLE as the left one:
    // CAST(i AS FLOAT) * 1.5E0 is FLOAT, x_double / f_float is DOUBLE.
    if ((a.kind === 'FLOAT' || a.kind === 'DOUBLE') && (b.kind === 'FLOAT' || b.kind === 'DOUBLE')) return { kind: a.kind, nullable };
    // Calcite's leastRestrictive: FLOAT with an integer is FLOAT, with a DECIMAL DOUBLE.
    if (a.kind === 'FLOAT' || b.kind === 'FLOAT') return { kind: a.kind === 'DECIMAL' || b.kind === 'DECIMAL' ? 'DOUBLE' : 'FLOAT', nullable };
    if (a.kind === 'DOUBLE' || b.kind === 'DOUBLE') return { kind: 'DOUBLE', nullable };
    if (a.kind !== 'DECIMAL' && b.kind !== 'DECIMAL') {
      const t = NUMERIC_RANK[a.kind] >= NUMERIC_RANK[b.kind] ? a : b;
      if (op === '%') return withNullable(b, nullable); // MOD takes the divisor's type
      return withNullable(t, nullable);
    }
    const da = asDecimal(a)!;
    const db = asDecimal(b)!;
    const [p1, s1, p2, s2] = [da.precision, da.scale, db.precision, db.scale];
    switch (op) {
      case '+':
      case '-': {
        const scale = Math.max(s1, s2);
        return adjustDecimal(Math.max(p1 - s1, p2 - s2) + scale + 1, scale, nullable);
      }
      case '*':
        // Flink's LogicalTypeMerging.findMultiplicationDecimalType: p1 + p2 + 1 digits.
        return adjustDecimal(p1 + p2 + 1, s1 + s2, nullable);
      case '/': {
        const scale = Math.max(6, s1 + p2 + 1);
        return adjustDecimal(p1 - s1 + s2 + scale, scale, nullable);
      }
      case '%': {
        // Calcite's deriveDecimalModType: two operands of scale 0 (integers, DECIMAL(p, 0)) give the
        // divisor's type (MOD(DECIMAL(21, 0), INT) is INT, MOD(INT, DECIMAL(21, 0)) DECIMAL(21, 0)).
        if (s1 === 0 && s2 === 0) return withNullable(b, nullable);
        const scale = Math.max(s1, s2);
        return adjustDecimal(Math.min(p1 - s1, p2 - s2) + scale, scale, nullable);
      }
    }
  }
  const aInt = a.kind === 'INTERVAL_DAY_TIME' || a.kind === 'INTERVAL_YEAR_MONTH';
  const bInt = b.kind === 'INTERVAL_DAY_TIME' || b.kind === 'INTERVAL_YEAR_MONTH';
  const aDt = a.kind === 'DATE' || a.kind === 'TIME' || a.kind === 'TIMESTAMP' || a.kind === 'TIMESTAMP_LTZ';
  const bDt = b.kind === 'DATE' || b.kind === 'TIME' || b.kind === 'TIMESTAMP' || b.kind === 'TIMESTAMP_LTZ';
  if ((op === '+' || op === '-') && aDt && bInt) {
    if (a.kind === 'TIME' && b.kind === 'INTERVAL_YEAR_MONTH') return undefined;
    return withNullable(a, nullable);
  }
  if (op === '+' && aInt && bDt) {
    if (b.kind === 'TIME' && a.kind === 'INTERVAL_YEAR_MONTH') return undefined;
    return withNullable(b, nullable);
  }
  if ((op === '+' || op === '-') && aInt && bInt && a.kind === b.kind) return withNullable(a, nullable);
  if ((op === '*' || op === '/') && aInt && isNumeric(b)) return withNullable(a, nullable);
  if (op === '*' && isNumeric(a) && bInt) return withNullable(b, nullable);
  return undefined;
}

function nullLike(other: LogicalType, op: ArithmeticOp): LogicalType {
  if (other.kind === 'INTERVAL_DAY_TIME' || other.kind === 'INTERVAL_YEAR_MONTH') {
    return op === '*' || op === '/' ? { kind: 'INT', nullable: true } : other;
  }
  if (other.kind === 'DATE' || other.kind === 'TIMESTAMP' || other.kind === 'TIMESTAMP_LTZ' || other.kind === 'TIME') {
    return { kind: 'INTERVAL_DAY_TIME', nullable: true };
  }
  return withNullable(other, true);
}

/** The unary minus result type. */
export function negateResultType(a: LogicalType): LogicalType | undefined {
  if (isNumeric(a) || a.kind === 'INTERVAL_DAY_TIME' || a.kind === 'INTERVAL_YEAR_MONTH' || a.kind === 'NULL') return a;
  return undefined;
}

/**
 * The type both sides of a comparison are converted to, or undefined when they do not
 * compare. Strings compare with numbers, booleans, dates and timestamps (the string is cast),
 * as Flink's implicit coercion allows.
 */
export function comparisonType(a: LogicalType, b: LogicalType): LogicalType | undefined {
  const c = commonPair(a, b);
  if (c) return c;
  const nullable = a.nullable || b.nullable;
  const castable = (s: LogicalType, o: LogicalType) =>
    isString(s) &&
    (isNumeric(o) || o.kind === 'BOOLEAN' || o.kind === 'DATE' || o.kind === 'TIME' || o.kind === 'TIMESTAMP' || o.kind === 'TIMESTAMP_LTZ');
  if (castable(a, b)) return withNullable(b, nullable);
  if (castable(b, a)) return withNullable(a, nullable);
  return undefined;
}

/** Whether `a` and `b` may be compared with =, <>, <, … (result BOOLEAN). */
export function comparable(a: LogicalType, b: LogicalType): boolean {
  return comparisonType(a, b) !== undefined;
}

/** Whether values of `from` may be assigned to a column of `to` without an explicit CAST (INSERT). */
export function assignable(from: LogicalType, to: LogicalType): boolean {
  if (from.kind === 'NULL') return true;
  if (isNumeric(from) && isNumeric(to)) return true;
  if (isString(from) && isString(to)) return true;
  const c = commonPair(from, to);
  return c !== undefined && c.kind === to.kind;
}

const INTEGRAL_KINDS = ['TINYINT', 'SMALLINT', 'INT', 'BIGINT'];
/** Flink's LogicalTypeCasts implicit casting rules: the kinds each kind takes implicitly (besides itself). */
const IMPLICIT_FROM: Record<string, string[]> = {
  VARCHAR: ['CHAR'],
  VARBINARY: ['BINARY'],
  DECIMAL: [...INTEGRAL_KINDS, 'FLOAT', 'DOUBLE'],
  SMALLINT: ['TINYINT'],
  INT: ['TINYINT', 'SMALLINT'],
  BIGINT: ['TINYINT', 'SMALLINT', 'INT'],
  FLOAT: [...INTEGRAL_KINDS, 'DECIMAL'],
  DOUBLE: [...INTEGRAL_KINDS, 'DECIMAL', 'FLOAT'],
  DATE: ['TIMESTAMP'],
  TIME: ['TIMESTAMP'],
  TIMESTAMP: ['TIMESTAMP_LTZ'],
  TIMESTAMP_LTZ: ['TIMESTAMP'],
};

/**
 * Flink's LogicalTypeCasts.supportsImplicitCast by kind (lengths, precisions and nullability are
 * not compared): what a function taking a value of `to` (ARRAY_CONTAINS' needle for the element
 * type) accepts. Collections and rows when their parts do.
 */
export function supportsImplicitCast(from: LogicalType, to: LogicalType): boolean {
  if (from.kind === 'NULL') return true;
  if (from.kind === 'ARRAY' || to.kind === 'ARRAY') return from.kind === 'ARRAY' && to.kind === 'ARRAY' && supportsImplicitCast(from.element, to.element);
  if (from.kind === 'MAP' || to.kind === 'MAP') return from.kind === 'MAP' && to.kind === 'MAP' && supportsImplicitCast(from.key, to.key) && supportsImplicitCast(from.value, to.value);
  if (from.kind === 'ROW' || to.kind === 'ROW') {
    return from.kind === 'ROW' && to.kind === 'ROW' && from.fields.length === to.fields.length && from.fields.every((f, i) => supportsImplicitCast(f.type, to.fields[i].type));
  }
  return from.kind === to.kind || (IMPLICIT_FROM[to.kind] ?? []).includes(from.kind);
}

export { MAX_LENGTH };
