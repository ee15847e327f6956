// Values between tsstream's runtime representation (types.ts) and the database drivers. Both
// drivers are asked for text (pg: every type as its text form; mysql2: big numbers, decimals and
// dates as strings), so BIGINT, DECIMAL and TIMESTAMP(p) arrive exactly; parameters go out as text.
import { formatNanos, isNanosType, microsToNanos } from '../../common/nanos.js';
import { decFromString, decToString, parseInteger, type Exact } from '../../common/exact.js';
import { formatDate, formatTime, formatTimestamp, parseDate, parseTime, parseTimestamp } from '../../common/time.js';
import type { Field, LogicalType } from '../../common/types.js';

/** Why a value could not be read (the caller names table and column). */
export class ValueError extends Error {}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return String(v);
}

function hexBytes(s: string): Uint8Array {
  // PostgreSQL's bytea text form (bytea_output = hex): \x0a1b…
  if (s.startsWith('\\x')) return new Uint8Array(Buffer.from(s.slice(2), 'hex'));
  return new Uint8Array(Buffer.from(s, 'utf8'));
}

/** Truncates micros to `precision` fraction digits (TIMESTAMP(3) holds milliseconds). */
function truncMicros(micros: number, precision: number): number {
  if (precision >= 6) return micros;
  const unit = 10 ** (6 - precision);
  return Math.floor(micros / unit) * unit;
}

/** A database value (as the driver gives it) as a runtime value of `type`. */
export function fromDb(v: unknown, type: LogicalType): unknown {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case 'BOOLEAN': {
      if (typeof v === 'boolean') return v;
      const s = text(v).trim().toLowerCase();
      if (s === 't' || s === 'true' || s === '1') return true;
      if (s === 'f' || s === 'false' || s === '0') return false;
      throw new ValueError(`'${s}' is not a BOOLEAN`);
    }
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT': {
      const n = typeof v === 'number' ? v : Number(text(v).trim());
      if (!Number.isInteger(n)) throw new ValueError(`'${text(v)}' is not an ${type.kind}`);
      return n;
    }
    case 'BIGINT': {
      if (typeof v === 'bigint') return parseInteger(String(v));
      if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
      const r = parseInteger(text(v));
      if (r === undefined) throw new ValueError(`'${text(v)}' is not a BIGINT`);
      return r;
    }
    case 'FLOAT':
    case 'DOUBLE': {
      if (typeof v === 'number') return v;
      const s = text(v).trim();
      if (s === 'NaN') return NaN;
      if (s === 'Infinity') return Infinity;
      if (s === '-Infinity') return -Infinity;
      const n = Number(s);
      if (Number.isNaN(n)) throw new ValueError(`'${s}' is not a ${type.kind}`);
      return n;
    }
    case 'DECIMAL': {
      const r: Exact | undefined = decFromString(text(v), type.precision, type.scale);
      if (r === undefined) throw new ValueError(`'${text(v)}' does not fit DECIMAL(${type.precision}, ${type.scale})`);
      return r;
    }
    case 'CHAR':
    case 'VARCHAR':
      return text(v);
    case 'BINARY':
    case 'VARBINARY':
      if (v instanceof Uint8Array) return new Uint8Array(v);
      return hexBytes(text(v));
    case 'DATE': {
      const d = parseDate(text(v));
      if (d === undefined) throw new ValueError(`'${text(v)}' is not a DATE`);
      return d;
    }
    case 'TIME': {
      const t = parseTime(text(v));
      if (t === undefined) throw new ValueError(`'${text(v)}' is not a TIME`);
      return truncMicros(t, type.precision);
    }
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      // TIMESTAMP: wall-clock text; TIMESTAMP_LTZ: the session runs in UTC (an offset, when given, applies).
      const t = parseTimestamp(text(v));
      if (t === undefined) throw new ValueError(`'${text(v)}' is not a ${type.kind}`);
      // TIMESTAMP(7..9) holds nanos (a bigint); the databases store micros at most.
      return isNanosType(type) ? microsToNanos(t) : truncMicros(t, type.precision);
    }
    default:
      throw new ValueError(`the type ${type.kind} is not supported by the jdbc connector`);
  }
}

/** A runtime value of `type` as a query parameter (text for exact types). */
export function toDb(v: unknown, type: LogicalType): unknown {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case 'BOOLEAN':
      return v;
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'FLOAT':
    case 'DOUBLE':
      return v;
    case 'BIGINT':
      return String(v);
    case 'DECIMAL':
      return decToString(v as Exact, type.scale);
    case 'CHAR':
    case 'VARCHAR':
      return v;
    case 'BINARY':
    case 'VARBINARY':
      return Buffer.from(v as Uint8Array);
    case 'DATE':
      return formatDate(v as number);
    case 'TIME':
      return formatTime(v as number, 6);
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return typeof v === 'bigint' ? formatNanos(v, 9) : formatTimestamp(v as number, 6);
    default:
      throw new ValueError(`the type ${type.kind} is not supported by the jdbc connector`);
  }
}

/** Checks that every column has a type the connector maps (at planning time). */
export function unsupportedColumn(fields: Field[]): Field | undefined {
  const ok = new Set(['BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'CHAR', 'VARCHAR', 'BINARY', 'VARBINARY', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ']);
  return fields.find((f) => !ok.has(f.type.kind));
}
