// Values of a spec (YAML / JSON / CSV: strings, numbers, booleans, null, lists, objects) turned
// into runtime values of a column's type, and runtime values into canonical text for comparison
// and into plain values for printing and for `--update`. Comparison is by type: numbers by value,
// timestamps by instant (`2025-12-29T10:00:00` = `2025-12-29 10:00:00.000`).
import { isNanosType, localToInstantNanos, microsToNanos, parseNanosText } from '../common/nanos.js';
import type { Field, LogicalType, Row } from '../common/types.js';
import { hasZone, localToInstant, parseDate, parseTime, parseTimestamp } from '../common/time.js';
import { castFunction, formatValue } from '../functions/cast.js';
import { decFromDouble, decToString, type Exact } from '../common/exact.js';

const STRING: LogicalType = { kind: 'VARCHAR', length: 2147483647, nullable: true };

/** Thrown when a spec value does not fit its column; the caller adds where it is. */
export class ValueError extends Error {}

function fail(v: unknown, t: LogicalType, why = ''): never {
  throw new ValueError(`${JSON.stringify(v)} is not a valid ${typeName(t)}${why ? `: ${why}` : ''}`);
}

function typeName(t: LogicalType): string {
  return t.kind === 'VARCHAR' && t.length === 2147483647 ? 'STRING' : t.kind;
}

function castString(s: string, t: LogicalType): unknown {
  let r: unknown;
  try {
    r = castFunction(STRING, t, 'try_cast')(s);
  } catch (e) {
    fail(s, t, (e as Error).message);
  }
  if (r === null || r === undefined) fail(s, t);
  return r;
}

/** A spec value as the runtime value of type `t` (timestamps as micros, dates as days, …). */
export function toRuntime(v: unknown, t: LogicalType, timeZone = 'UTC'): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'CHAR':
    case 'VARCHAR':
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
      return JSON.stringify(v);
    case 'BOOLEAN':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
      return fail(v, t);
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'FLOAT':
    case 'DOUBLE':
    case 'DECIMAL':
      if (typeof v === 'bigint') return t.kind === 'BIGINT' || t.kind === 'DECIMAL' ? castString(String(v), t) : Number(v);
      if (typeof v === 'number') {
        // DECIMAL values are unscaled integers: a spec's 12.5 means the decimal text 12.5.
        if (t.kind === 'DECIMAL') return Number.isFinite(v) ? castString(String(v), t) : fail(v, t);
        return t.kind === 'BIGINT' && !Number.isSafeInteger(v) ? castString(String(v), t) : v;
      }
      if (typeof v === 'string') return castString(v.trim(), t);
      return fail(v, t);
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      if (isNanosType(t)) {
        // TIMESTAMP(7..9): nanos (a bigint); text keeps all nine digits.
        if (typeof v === 'string' && !hasZone(v.trim())) {
          const n = parseNanosText(v.trim());
          if (n === undefined) return fail(v, t, "expected e.g. '2025-12-29 10:00:00.123456789'");
          return t.kind === 'TIMESTAMP_LTZ' ? localToInstantNanos(n, timeZone) : n;
        }
        const us = toRuntime(v, { ...t, precision: 6 } as LogicalType, timeZone);
        return typeof us === 'number' ? microsToNanos(us) : us;
      }
      if (typeof v === 'number') return v * 1000; // epoch milliseconds
      if (v instanceof Date) return v.getTime() * 1000;
      if (typeof v !== 'string') return fail(v, t);
      const micros = parseTimestamp(v.trim());
      if (micros === undefined) return fail(v, t, "expected e.g. '2025-12-29 10:00:00.000' or '2025-12-29T10:00:00Z'");
      return t.kind === 'TIMESTAMP_LTZ' && !hasZone(v.trim()) ? localToInstant(micros, timeZone) : micros;
    }
    case 'DATE': {
      if (typeof v !== 'string') return fail(v, t);
      const d = parseDate(v.trim());
      return d === undefined ? fail(v, t) : d;
    }
    case 'TIME': {
      if (typeof v !== 'string') return fail(v, t);
      const d = parseTime(v.trim());
      return d === undefined ? fail(v, t) : d;
    }
    case 'ARRAY':
      if (!Array.isArray(v)) return fail(v, t, 'expected a list');
      return v.map((x) => toRuntime(x, t.element, timeZone));
    case 'MAP': {
      if (typeof v !== 'object' || Array.isArray(v)) return fail(v, t, 'expected an object');
      const m = new Map<unknown, unknown>();
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(toRuntime(k, t.key, timeZone), toRuntime(x, t.value, timeZone));
      return m;
    }
    case 'ROW': {
      if (Array.isArray(v)) return t.fields.map((f, i) => toRuntime(v[i], f.type, timeZone));
      if (typeof v !== 'object') return fail(v, t, 'expected an object or a list');
      const o = v as Record<string, unknown>;
      return t.fields.map((f) => toRuntime(o[f.name], f.type, timeZone));
    }
    case 'BINARY':
    case 'VARBINARY':
      if (typeof v === 'string') return new TextEncoder().encode(v);
      return fail(v, t);
    case 'NULL':
      return null;
    default:
      if (typeof v === 'string') return castString(v, t);
      return fail(v, t);
  }
}

/** Canonical text of a runtime value (the key that comparison uses). */
export function canonical(v: unknown, t: LogicalType, timeZone = 'UTC'): string {
  if (v === null || v === undefined) return '\u0000NULL';
  if (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') return String(v); // micros: by instant
  if (t.kind === 'FLOAT' || t.kind === 'DOUBLE') return String(Number(v));
  if (t.kind === 'DECIMAL') return decToString(v as Exact, t.scale); // exact, at the column's scale
  return formatValue(v, t, timeZone);
}

/** A runtime value as a plain JSON value for diffs and expect files. */
export function toPlain(v: unknown, t: LogicalType, timeZone = 'UTC'): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'FLOAT':
    case 'DOUBLE':
      return typeof v === 'number' && Number.isFinite(v) ? v : formatValue(v, t, timeZone);
    case 'DECIMAL': {
      // A plain number when the double prints the same digits, else the exact text.
      const text = decToString(v as Exact, t.scale);
      const n = Number(text);
      return decFromDouble(n, 38, t.scale) === v ? n : text;
    }
    case 'BOOLEAN':
      return v;
    case 'CHAR':
    case 'VARCHAR':
      return v;
    default:
      return formatValue(v, t, timeZone);
  }
}

/** A row (positional, runtime values) as an object keyed by column name. */
export function rowToObject(row: Row, fields: Field[], timeZone = 'UTC'): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  fields.forEach((f, i) => (o[f.name] = toPlain(row[i], f.type, timeZone)));
  return o;
}

/** One line of a diff: `{"a":1,"b":"x"}`. */
export function showObject(o: Record<string, unknown>): string {
  return JSON.stringify(o);
}
