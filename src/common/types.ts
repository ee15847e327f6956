// Logical SQL types shared by every stage (planner, runtime, connectors), and how values of each
// type are represented at run time. Runtime representation (fixed; connectors rely on it):
//   BOOLEAN → boolean; TINYINT/SMALLINT/INT/FLOAT/DOUBLE → number;
//   BIGINT → exact: a number while it is a safe integer (|v| < 2^53), a bigint beyond — always in
//     that canonical form (never a bigint for a safe value), so ===, Map keys, group keys and
//     state see one value one way, and `<` compares number and bigint exactly. Arithmetic takes the
//     number path when its result is safe, else bigint with Java's 64-bit wrap-around
//     (src/common/exact.ts). A columnar runtime maps it onto BigInt64Array directly.
//   DECIMAL(p,s) → the unscaled integer (value × 10^s), exact to 38 digits, in the same canonical
//     number-or-bigint form; the scale comes from the type (Flink's compact DecimalData, Arrow
//     Decimal128 and Iceberg/Parquet decimals store exactly this). Equal values of one type are
//     ===; code that reads a DECIMAL must know its type (decToString/decToDouble in exact.ts).
//     + − × ÷ %, SUM, AVG and casts follow Flink's precision/scale rules, rounding HALF_UP;
//     a result beyond its precision is NULL (Flink's overflow), a JSON value beyond it NULL too (as
//     Flink's JSON format reads it).
//   CHAR/VARCHAR/STRING → string;
//   BINARY/VARBINARY/BYTES → Uint8Array; DATE → days since 1970-01-01 (number);
//   TIME(p) → microseconds of the day (number; Flink 1.20 types TIME literals and casts TIME(0));
//   TIMESTAMP(p) and TIMESTAMP_LTZ(p) with p ≤ 6 → microseconds since the epoch (number;
//   TIMESTAMP is wall-clock in UTC terms, LTZ an instant); with p = 7..9 → nanoseconds since the
//   epoch, always a bigint (src/common/nanos.ts: code that reads a timestamp must know its
//   precision, as for DECIMAL; CAST between precisions converts and truncates);
//   ARRAY → unknown[]; MAP → Map<unknown, unknown>; ROW → unknown[] (positional);
//   INTERVAL DAY TO SECOND → microseconds (number); INTERVAL YEAR TO MONTH → months (number);
//   NULL → null.

export type LogicalType =
  | { kind: 'BOOLEAN'; nullable: boolean }
  | { kind: 'TINYINT' | 'SMALLINT' | 'INT' | 'BIGINT' | 'FLOAT' | 'DOUBLE'; nullable: boolean }
  | { kind: 'DECIMAL'; precision: number; scale: number; nullable: boolean }
  | { kind: 'CHAR' | 'VARCHAR'; length: number; nullable: boolean }
  | { kind: 'BINARY' | 'VARBINARY'; length: number; nullable: boolean }
  | { kind: 'DATE'; nullable: boolean }
  | { kind: 'TIME'; precision: number; nullable: boolean }
  | { kind: 'TIMESTAMP' | 'TIMESTAMP_LTZ'; precision: number; nullable: boolean }
  | { kind: 'INTERVAL_DAY_TIME' | 'INTERVAL_YEAR_MONTH'; nullable: boolean }
  | { kind: 'ARRAY'; element: LogicalType; nullable: boolean }
  | { kind: 'MAP'; key: LogicalType; value: LogicalType; nullable: boolean }
  | { kind: 'ROW'; fields: Field[]; nullable: boolean }
  | { kind: 'NULL'; nullable: true };

export type TypeKind = LogicalType['kind'];

export interface Field {
  name: string;
  type: LogicalType;
  /** A nested field of a source's ROW column that the plan never reads (src/planner/nested-pruning.ts): a decoder may skip its value (the field is then NULL). */
  unread?: boolean;
}

/** VARCHAR of this length is what Flink calls STRING (and prints as STRING). */
export const MAX_LENGTH = 2147483647;

/** A row at run time: values by position, in the order of its schema. */
export type Row = unknown[];

export const T = {
  boolean: (nullable = true): LogicalType => ({ kind: 'BOOLEAN', nullable }),
  int: (nullable = true): LogicalType => ({ kind: 'INT', nullable }),
  bigint: (nullable = true): LogicalType => ({ kind: 'BIGINT', nullable }),
  double: (nullable = true): LogicalType => ({ kind: 'DOUBLE', nullable }),
  string: (nullable = true): LogicalType => ({ kind: 'VARCHAR', length: MAX_LENGTH, nullable }),
  bytes: (nullable = true): LogicalType => ({ kind: 'VARBINARY', length: MAX_LENGTH, nullable }),
  date: (nullable = true): LogicalType => ({ kind: 'DATE', nullable }),
  timestamp: (precision = 6, nullable = true): LogicalType => ({ kind: 'TIMESTAMP', precision, nullable }),
  timestampLtz: (precision = 6, nullable = true): LogicalType => ({ kind: 'TIMESTAMP_LTZ', precision, nullable }),
  nullType: (): LogicalType => ({ kind: 'NULL', nullable: true }),
};

export function withNullable(t: LogicalType, nullable: boolean): LogicalType {
  if (t.kind === 'NULL') return t;
  return { ...t, nullable } as LogicalType;
}

/** Prints a type the way Flink does (`STRING`, `TIMESTAMP(3)`, `ROW<\`a\` INT>`, `BIGINT NOT NULL`). */
export function formatType(t: LogicalType): string {
  const nn = t.nullable ? '' : ' NOT NULL';
  switch (t.kind) {
    case 'BOOLEAN':
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'FLOAT':
    case 'DOUBLE':
    case 'DATE':
      return t.kind + nn;
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})${nn}`;
    case 'CHAR':
      return `CHAR(${t.length})${nn}`;
    case 'VARCHAR':
      return (t.length === MAX_LENGTH ? 'STRING' : `VARCHAR(${t.length})`) + nn;
    case 'BINARY':
      return `BINARY(${t.length})${nn}`;
    case 'VARBINARY':
      return (t.length === MAX_LENGTH ? 'BYTES' : `VARBINARY(${t.length})`) + nn;
    case 'TIME':
      return `TIME(${t.precision})${nn}`;
    case 'TIMESTAMP':
      return `TIMESTAMP(${t.precision})${nn}`;
    case 'TIMESTAMP_LTZ':
      return `TIMESTAMP_LTZ(${t.precision})${nn}`;
    case 'INTERVAL_DAY_TIME':
      return `INTERVAL SECOND(3)${nn}`;
    case 'INTERVAL_YEAR_MONTH':
      return `INTERVAL MONTH${nn}`;
    case 'ARRAY':
      return `ARRAY<${formatType(t.element)}>${nn}`;
    case 'MAP':
      return `MAP<${formatType(t.key)}, ${formatType(t.value)}>${nn}`;
    case 'ROW':
      return `ROW<${t.fields.map((f) => `\`${f.name}\` ${formatType(f.type)}`).join(', ')}>${nn}`;
    case 'NULL':
      return 'NULL';
    default: {
      const never: never = t;
      throw new Error(`unknown type ${(never as LogicalType).kind}`);
    }
  }
}

export function isNumeric(t: LogicalType): boolean {
  switch (t.kind) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'FLOAT':
    case 'DOUBLE':
    case 'DECIMAL':
      return true;
    default:
      return false;
  }
}

export function isIntegral(t: LogicalType): boolean {
  return t.kind === 'TINYINT' || t.kind === 'SMALLINT' || t.kind === 'INT' || t.kind === 'BIGINT';
}

export function isString(t: LogicalType): boolean {
  return t.kind === 'CHAR' || t.kind === 'VARCHAR';
}

export function isTimestamp(t: LogicalType): boolean {
  return t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ';
}

export function typesEqual(a: LogicalType, b: LogicalType, ignoreNullability = true): boolean {
  if (ignoreNullability) return formatType(withNullable(a, true)) === formatType(withNullable(b, true));
  return formatType(a) === formatType(b);
}

/**
 * The change a row stands for in a changelog stream (Flink's RowKind). Append-only streams carry
 * no kind (every row is an insert); an updating operator marks its rows with `setRowKind`.
 */
export type RowKind = '+I' | '-U' | '+U' | '-D';

/** The kind of a row: '+I' unless an updating operator marked it. */
export function rowKindOf(row: Row): RowKind {
  return ((row as { rowKind?: RowKind }).rowKind ?? '+I') as RowKind;
}

export function setRowKind(row: Row, kind: RowKind): Row {
  if (kind !== '+I') (row as { rowKind?: RowKind }).rowKind = kind;
  return row;
}
