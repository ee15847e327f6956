// CAST / TRY_CAST between every pair of types Flink allows, and how values print as strings
// (CAST(… AS STRING), the tableau output, string concatenation). Converters are built once per
// plan; the per-value path allocates only what the target value needs.
import { javaDoubleString, javaFloatString } from '../common/java-double.js';
import { JobError, TsstreamError, ValidationError } from '../common/errors.js';
import type { LogicalType } from '../common/types.js';
import { formatType, isIntegral, isNumeric, isString, MAX_LENGTH } from '../common/types.js';
import {
  daysToNanos,
  formatNanos,
  instantToLocalNanos,
  isNanosType,
  joinNanos,
  localToInstantNanos,
  microsToNanos,
  nanosToMicros,
  truncateNanos,
  flinkTruncateNanos,
} from '../common/nanos.js';
import {
  canonical,
  decAdjust,
  decFits,
  decFromDouble,
  decFromString,
  decToDouble,
  decToString,
  inLongRange,
  longFromDouble,
  parseInteger,
  pow10n,
  rescale,
  toBig,
  wrapLong,
  type Exact,
} from '../common/exact.js';
import {
  daysToCivil,
  hasZone,
  instantToLocal,
  localToInstant,
  MICROS_PER_DAY,
  MICROS_PER_SECOND,
  parseTimestamp,
  civilToDays,
  daysInMonth,
} from '../common/time.js';

/** A CAST that fails at run time: names the value, its type and the target type. */
export class CastError extends TsstreamError {
  constructor(message: string) {
    super('CAST', message);
  }
}

export type CastMode = 'cast' | 'try_cast';

/** Returned by converters for a value that does not convert (no exception on the hot path). */
const FAIL: unique symbol = Symbol('cast-fail');
type Conv = (v: any) => unknown;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/** Whether CAST(x AS to) is valid for x of type `from`. */
export function canCast(from: LogicalType, to: LogicalType): boolean {
  try {
    build(from, to, 'UTC');
    return true;
  } catch {
    return false;
  }
}

/** A failure CAST and TRY_CAST share: Flink fails the job (TRY_CAST does not make it NULL). */
export class CastJobFailure extends JobError {}

const isWs = (b: number) => b === 32 || b === 10 || b === 9;

/**
 * STRING to DECIMAL(p, s) as Flink 1.20 reads it: up to 18 digits of precision and 18 bytes of text,
 * its own scanner, whose quirks are kept (one character that is no digit, point or exponent ends
 * the number and is skipped: 'x' is 0 and '1.5x' is 1.5; '1e' is 1; leading zeros count as
 * digits of the precision); otherwise Java's BigDecimal grammar. undefined: not a number or overflow.
 */
function stringToDecimal(v: string, p: number, s: number, to: LogicalType): Exact | undefined {
  const bytes = Buffer.from(v, 'utf8');
  const n = bytes.length;
  if (p > 18 || n > 18) {
    let a = 0;
    let z = n;
    while (a < n && isWs(bytes[a])) a++;
    while (z > a && isWs(bytes[z - 1])) z--;
    const t = bytes.subarray(a, z).toString('latin1');
    if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return undefined;
    return decFromString(t, p, s);
  }
  let i = 0;
  let b = 0;
  while (i < n) {
    b = bytes[i];
    if (!isWs(b)) break;
    i++;
  }
  if (i === n) return undefined;
  const negative = b === 45;
  if (negative || b === 43) {
    i++;
    if (i === n) return undefined;
  }
  let significand = 0n;
  let exp = 0;
  let sigLen = 0;
  let pointPos = -1;
  while (i < n) {
    b = bytes[i++];
    if (b >= 48 && b <= 57) {
      significand = significand * 10n + BigInt(b - 48);
      sigLen++;
    } else if (b === 46) {
      if (pointPos >= 0) return undefined;
      pointPos = sigLen;
    } else break;
  }
  if (pointPos < 0) pointPos = sigLen;
  if (negative) significand = -significand;
  if ((b === 101 || b === 69) && i < n) {
    b = bytes[i];
    const expNegative = b === 45;
    if (expNegative || b === 43) {
      i++;
      if (i === n) return undefined;
    }
    let expDigits = 0;
    while (i < n) {
      b = bytes[i++];
      if (b >= 48 && b <= 57) {
        if (expDigits < 40) expDigits = expDigits * 10 + (b - 48);
      } else break;
    }
    exp += expNegative ? -expDigits : expDigits;
  }
  exp -= sigLen - pointPos;
  while (i < n) if (!isWs(bytes[i++])) return undefined;
  const change = exp + s;
  if (sigLen + change > p) return undefined;
  if (change >= 0) significand *= 10n ** BigInt(change);
  else {
    const k = negative ? -5n : 5n;
    significand = (significand + k * 10n ** BigInt(-change - 1)) / 10n ** BigInt(-change);
  }
  const r = canonical(significand);
  if (!decFits(r, p)) throw new CastJobFailure(`Cannot convert ${decToString(r, s)} to ${formatType({ ...to, nullable: true })} due to overflow`);
  return r;
}

/**
 * The converter for CAST(x AS to) (mode 'cast': a value that does not convert throws CastError)
 * or TRY_CAST (mode 'try_cast': null instead). `timeZone` is `table.local-time-zone`, used
 * between TIMESTAMP_LTZ and TIMESTAMP/DATE/TIME/STRING. NULL gives NULL. Throws
 * ValidationError when the cast is not allowed between the two types at all.
 */
export function castFunction(from: LogicalType, to: LogicalType, mode: CastMode, timeZone = 'UTC'): (v: unknown) => unknown {
  const conv = build(from, to, timeZone);
  if (mode === 'try_cast') {
    return (v) => {
      if (v === null || v === undefined) return null;
      let r: unknown;
      try {
        r = conv(v);
      } catch (e) {
        if (e instanceof CastJobFailure) throw e;
        return null;
      }
      return r === FAIL ? null : r;
    };
  }
  return (v) => {
    if (v === null || v === undefined) return null;
    const r = conv(v);
    if (r === FAIL) {
      throw new CastError(
        `Cannot cast ${describeValue(v, from, timeZone)} of type ${formatType(from)} to ${formatType(to)}`,
      );
    }
    return r;
  };
}

function describeValue(v: unknown, t: LogicalType, zone: string): string {
  try {
    const s = formatValue(v, t, zone);
    return isString(t) ? `'${s}'` : s;
  } catch {
    return String(v);
  }
}

function notAllowed(from: LogicalType, to: LogicalType): never {
  let hint = '';
  if (isNumeric(from) && to.kind === 'TIMESTAMP') hint = '; use TO_TIMESTAMP(FROM_UNIXTIME(x)) or TO_TIMESTAMP_LTZ(x, 0 | 3)';
  else if (from.kind === 'TIMESTAMP' && isNumeric(to)) hint = '; use UNIX_TIMESTAMP(CAST(x AS STRING))';
  else if (isNumeric(from) && (to.kind === 'DATE' || to.kind === 'TIME')) hint = '; use TO_DATE(FROM_UNIXTIME(x))';
  throw new ValidationError(`Cast from ${formatType(from)} to ${formatType(to)} is not supported${hint}`);
}

/** Why CAST(from → to) is not allowed (with a hint where Flink gives one), or undefined when it is. */
export function castUnsupportedReason(from: LogicalType, to: LogicalType): string | undefined {
  try {
    build(from, to, 'UTC');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const identity: Conv = (v) => v;

function build(from: LogicalType, to: LogicalType, zone: string): Conv {
  if (from.kind === 'NULL') return () => null;
  if ((isNanosType(from) || isNanosType(to)) && !isString(to)) return buildNanos(from, to, zone);
  switch (to.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return toStringConv(from, to, zone);
    case 'BOOLEAN':
      if (from.kind === 'BOOLEAN') return identity;
      if (isString(from)) return parseBoolean;
      if (isNumeric(from)) return (v: number) => v !== 0;
      return notAllowed(from, to);
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
      return toIntegral(from, to);
    case 'FLOAT':
    case 'DOUBLE': {
      const f32 = to.kind === 'FLOAT';
      if (from.kind === 'BIGINT') return f32 ? (v: Exact) => Math.fround(Number(v)) : (v: Exact) => Number(v);
      if (from.kind === 'DECIMAL') {
        const fs = from.scale;
        return f32 ? (v: Exact) => Math.fround(decToDouble(v, fs)) : (v: Exact) => decToDouble(v, fs);
      }
      if (isNumeric(from)) return f32 && from.kind !== 'FLOAT' ? (v: number) => Math.fround(v) : identity;
      if (from.kind === 'BOOLEAN') return (v: boolean) => (v ? 1 : 0);
      if (isString(from)) return f32 ? (v: string) => { const x = parseFloatStrict(v); return x === FAIL ? x : Math.fround(x); } : parseFloatStrict;
      if (from.kind === 'TIMESTAMP_LTZ') return (v: number) => v / MICROS_PER_SECOND;
      return notAllowed(from, to);
    }
    case 'DECIMAL': {
      // Values are unscaled integers at the type's scale; overflow gives NULL as Flink's CAST does.
      const { precision: p, scale: s } = to;
      if (from.kind === 'DECIMAL') {
        if (from.scale === s && from.precision <= p) return identity;
        const fs = from.scale;
        return (v: Exact) => decAdjust(v, fs, p, s) ?? null;
      }
      if (isIntegral(from)) return (v: Exact) => decAdjust(v, 0, p, s) ?? null;
      if (isNumeric(from)) {
        // BigDecimal.valueOf(v): Java's digits of the double; NaN and ±Infinity fail the job, even in TRY_CAST.
        return (v: number) => {
          if (!Number.isFinite(v)) throw new CastJobFailure(`CAST of ${javaDoubleString(v)} to ${formatType(to)}: a ${from.kind} NaN or Infinity has no DECIMAL value (Flink fails with NumberFormatException)`);
          return decFromDouble(v, p, s) ?? null;
        };
      }
      if (from.kind === 'BOOLEAN') return (v: boolean) => decAdjust(v ? 1 : 0, 0, p, s) ?? null;
      if (isString(from)) {
        // Flink's parser (BinaryStringDataUtil.toDecimal); text it does not read, or that overflows,
        // fails the CAST and gives NULL in TRY_CAST.
        return (v: string) => stringToDecimal(v, p, s, to) ?? FAIL;
      }
      if (from.kind === 'TIMESTAMP_LTZ') return (v: number) => decAdjust(v, 6, p, s) ?? null;
      return notAllowed(from, to);
    }
    case 'DATE':
      switch (from.kind) {
        case 'DATE':
          return identity;
        case 'TIMESTAMP':
          // Flink divides the epoch milliseconds by a day's, truncating: a time before 1970 that is
          // not midnight lands on the next day (1969-12-31 23:59:59 is 1970-01-01).
          return (v: number) => Math.trunc(Math.floor(v / 1000) / 86_400_000) || 0;
        case 'TIMESTAMP_LTZ':
          return (v: number) => Math.floor(instantToLocal(v, zone) / MICROS_PER_DAY);
        case 'CHAR':
        case 'VARCHAR':
          return (v: string) => {
            const d = parseDateStrict(v);
            if (d !== undefined) return d;
            const ts = parseTimestamp(v);
            return ts === undefined ? FAIL : Math.floor(ts / MICROS_PER_DAY);
          };
        default:
          return notAllowed(from, to);
      }
    case 'TIME': {
      // Flink keeps a TIME as milliseconds of the day whatever its precision (TIME(0) in its planner):
      // CAST(ts AS TIME(0)) still holds 10:11:12.345, which comparisons, EXTRACT and the CSV and
      // Avro formats see (printing and the JSON format show whole seconds).
      const p = 3;
      switch (from.kind) {
        case 'TIME':
          return identity;
        case 'TIMESTAMP':
          return (v: number) => truncateMicros(v - Math.floor(v / MICROS_PER_DAY) * MICROS_PER_DAY, p);
        case 'TIMESTAMP_LTZ':
          return (v: number) => {
            const l = instantToLocal(v, zone);
            return truncateMicros(l - Math.floor(l / MICROS_PER_DAY) * MICROS_PER_DAY, p);
          };
        case 'CHAR':
        case 'VARCHAR':
          return (v: string) => {
            const t = parseTimeStrict(v);
            if (t !== undefined) return truncateMicros(t, p);
            const ts = parseTimestampText(v) ?? parseTimestamp(v);
            return ts === undefined ? FAIL : truncateMicros(ts - Math.floor(ts / MICROS_PER_DAY) * MICROS_PER_DAY, p);
          };
        default:
          return notAllowed(from, to);
      }
    }
    case 'TIMESTAMP': {
      const p = to.precision;
      switch (from.kind) {
        case 'TIMESTAMP':
          return from.precision <= p ? identity : (v: number) => flinkTruncateMicros(v, p);
        case 'TIMESTAMP_LTZ':
          return from.precision <= p ? (v: number) => instantToLocal(v, zone) : (v: number) => flinkTruncateMicros(instantToLocal(v, zone), p);
        case 'DATE':
          return (v: number) => v * MICROS_PER_DAY;
        case 'TIME':
          return (v: number) => truncateMicros(v, p);
        case 'CHAR':
        case 'VARCHAR':
          return (v: string) => {
            const ts = parseFlinkTimestamp(v);
            return ts === undefined ? FAIL : truncateMicros(ts, p);
          };
        default:
          return notAllowed(from, to);
      }
    }
    case 'TIMESTAMP_LTZ': {
      const p = to.precision;
      switch (from.kind) {
        case 'TIMESTAMP_LTZ':
          return from.precision <= p ? identity : (v: number) => flinkTruncateMicros(v, p);
        case 'TIMESTAMP':
          return from.precision <= p ? (v: number) => localToInstant(v, zone) : (v: number) => flinkTruncateMicros(localToInstant(v, zone), p);
        case 'DATE':
          return (v: number) => localToInstant(v * MICROS_PER_DAY, zone);
        case 'TIME':
          return (v: number) => truncateMicros(localToInstant(v, zone), p);
        case 'CHAR':
        case 'VARCHAR':
          return (v: string) => {
            const ts = parseFlinkTimestamp(v);
            return ts === undefined ? FAIL : truncateMicros(localToInstant(ts, zone), p);
          };
        case 'TINYINT':
        case 'SMALLINT':
        case 'INT':
        case 'BIGINT':
        case 'FLOAT':
        case 'DOUBLE':
          // Numbers are seconds since the epoch.
          return (v: number) => truncateMicros(Math.round(Number(v) * MICROS_PER_SECOND), p);
        case 'DECIMAL': {
          const fs = from.scale;
          return (v: Exact) => truncateMicros(Number(rescale(v, fs, 6)), p);
        }
        default:
          return notAllowed(from, to);
      }
    }
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH':
      if (from.kind === to.kind) return identity;
      if (isIntegral(from)) return identity;
      return notAllowed(from, to);
    case 'BINARY':
    case 'VARBINARY': {
      const n = to.length;
      const pad = to.kind === 'BINARY';
      let conv: Conv;
      if (from.kind === 'BINARY' || from.kind === 'VARBINARY') conv = identity;
      else if (isString(from)) conv = (v: string) => utf8Encoder.encode(v);
      else return notAllowed(from, to);
      if (n >= MAX_LENGTH) return conv;
      return (v: unknown) => {
        const b = conv(v) as Uint8Array;
        if (b.length === n) return b;
        if (b.length > n) return b.slice(0, n);
        if (!pad) return b;
        const out = new Uint8Array(n);
        out.set(b);
        return out;
      };
    }
    case 'ARRAY': {
      if (from.kind !== 'ARRAY') return notAllowed(from, to);
      const e = build(from.element, to.element, zone);
      if (e === identity) return identity;
      return (v: unknown[]) => {
        const out = new Array(v.length);
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x === null || x === undefined) out[i] = null;
          else {
            const r = e(x);
            if (r === FAIL) return FAIL;
            out[i] = r;
          }
        }
        return out;
      };
    }
    case 'MAP': {
      if (from.kind !== 'MAP') return notAllowed(from, to);
      const kc = build(from.key, to.key, zone);
      const vc = build(from.value, to.value, zone);
      if (kc === identity && vc === identity) return identity;
      return (v: Map<unknown, unknown>) => {
        const out = new Map<unknown, unknown>();
        for (const [k, x] of v) {
          const k2 = k === null || k === undefined ? null : kc(k);
          const x2 = x === null || x === undefined ? null : vc(x);
          if (k2 === FAIL || x2 === FAIL) return FAIL;
          out.set(k2, x2);
        }
        return out;
      };
    }
    case 'ROW': {
      if (from.kind !== 'ROW' || from.fields.length !== to.fields.length) return notAllowed(from, to);
      const convs = from.fields.map((f, i) => build(f.type, to.fields[i].type, zone));
      if (convs.every((c) => c === identity)) return identity;
      return (v: unknown[]) => {
        const out = new Array(convs.length);
        for (let i = 0; i < convs.length; i++) {
          const x = v[i];
          if (x === null || x === undefined) out[i] = null;
          else {
            const r = convs[i](x);
            if (r === FAIL) return FAIL;
            out[i] = r;
          }
        }
        return out;
      };
    }
    case 'NULL':
      return notAllowed(from, to);
  }
}

/**
 * Casts where one side is TIMESTAMP(7..9)/TIMESTAMP_LTZ(7..9), whose values are nanos (bigint):
 * between two nanos types and from a string directly; every other pair goes through the micros
 * converter of the same types at precision 6 (digits below the microsecond are dropped, as
 * Flink's CAST truncates).
 */
function buildNanos(from: LogicalType, to: LogicalType, zone: string): Conv {
  const fromNanos = isNanosType(from);
  if (fromNanos && !isNanosType(to)) {
    const inner = build({ ...from, precision: 6 } as LogicalType, to, zone);
    return (v: bigint) => inner(nanosToMicros(v));
  }
  const p = (to as { precision: number }).precision;
  const ltz = to.kind === 'TIMESTAMP_LTZ';
  if (fromNanos) {
    const cut = (from as { precision: number }).precision <= p ? (v: bigint) => v : (v: bigint) => flinkTruncateNanos(v, p);
    if (from.kind === to.kind) return (from as { precision: number }).precision <= p ? identity : cut;
    return ltz ? (v: bigint) => cut(localToInstantNanos(v, zone)) : (v: bigint) => cut(instantToLocalNanos(v, zone));
  }
  if (isString(from)) {
    return (v: string) => {
      if (parseFlinkTimestamp(v) === undefined) return FAIL;
      const ns = truncateNanos(lastTextNanos(), p);
      return ltz ? localToInstantNanos(ns, zone) : ns;
    };
  }
  if (from.kind === 'DATE' && !ltz) return (v: number) => daysToNanos(v);
  const inner = build(from, { ...to, precision: 6 } as LogicalType, zone);
  return (v: unknown) => {
    const r = inner(v);
    return typeof r === 'number' ? microsToNanos(r) : r;
  };
}

const DATE_RE = /^\s*([+-]?\d{1,9})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[ T].*)?\s*$/;
/**
 * A date as Flink's CAST reads it: `yyyy-MM-dd`, also `yyyy-M-d`, `yyyy-MM`, `yyyy` and a
 * timestamp text (its date part); month and day are checked. Days since the epoch, or undefined.
 */
export function parseDateStrict(v: string): number | undefined {
  const m = DATE_RE.exec(v);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = m[2] === undefined ? 1 : Number(m[2]);
  const d = m[3] === undefined ? 1 : Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return civilToDays(y, mo, d);
}

const TIME_RE = /^\s*(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?\s*$/;
/** `H[:m[:s[.fraction]]]` → micros of the day, or undefined. */
export function parseTimeStrict(v: string): number | undefined {
  const m = TIME_RE.exec(v);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2] ?? '0');
  const sec = Number(m[3] ?? '0');
  if (h > 23 || mi > 59 || sec > 59) return undefined;
  return ((h * 60 + mi) * 60 + sec) * MICROS_PER_SECOND + Number(((m[4] ?? '') + '000000').slice(0, 6));
}

// ----- fast timestamp text parsing ------------------------------------------------------------------

/**
 * A timestamp as Flink 1.20's CAST (and TO_TIMESTAMP without a pattern) reads it:
 * `yyyy-M-d[ H:m:s[.fraction]]`, the date and time separated by a space. The ISO 'T' and a
 * zone (Z or an offset) are refused (Flink fails with DateTimeParseException: "unparsed text
 * found at index 10").
 */
export function parseFlinkTimestamp(s: string): number | undefined {
  const ts = parseTimestampText(s);
  if (ts === undefined || lastTextHadZone) return undefined;
  // No whitespace around it either ("could not be parsed at index 0").
  const t = s.trim();
  if (t.length !== s.length) return undefined;
  let i = 0;
  while (i < t.length && ((t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) || t.charCodeAt(i) === 45)) i++;
  if (i === t.length) return ts;
  if (t.charCodeAt(i) !== 32) return undefined;
  // The time needs its seconds: '2024-02-29 10:00' is refused too.
  let colons = 0;
  for (let k = i; k < t.length; k++) if (t.charCodeAt(k) === 58) colons++;
  return colons === 2 ? ts : undefined;
}

/** Set by parseTimestampText: whether the last parsed text carried a zone (Z or an offset). */
export let lastTextHadZone = false;
// Set by parseTimestampText too: seconds since the epoch and nanos of the second of the last text.
let lastSeconds = 0;
let lastNanoOfSecond = 0;

/**
 * Parses `yyyy-M-d`, `yyyy-M-d[ T]H:m[:s[.fraction]]`, each optionally followed by `Z` or an
 * offset (`+02:00`, `+0200`, `+02`), by scanning characters (no regex, no allocation). An offset
 * is applied (the result is then UTC); without one the wall-clock time is returned. Sets
 * `lastTextHadZone`. Undefined when the text is not such a timestamp or not a valid date.
 */
export function parseTimestampText(s: string): number | undefined {
  let i = 0;
  let n = s.length;
  while (i < n && s.charCodeAt(i) <= 32) i++;
  while (n > i && s.charCodeAt(n - 1) <= 32) n--;
  let c = 0;
  // year: 4 digits
  let y = 0;
  const y0 = i;
  while (i < n && (c = s.charCodeAt(i) - 48) >= 0 && c <= 9) {
    y = y * 10 + c;
    i++;
  }
  if (i - y0 !== 4 || i >= n || s.charCodeAt(i) !== 45) return undefined;
  i++;
  let mo = 0;
  const m0 = i;
  while (i < n && (c = s.charCodeAt(i) - 48) >= 0 && c <= 9) {
    mo = mo * 10 + c;
    i++;
  }
  if (i - m0 < 1 || i - m0 > 2 || i >= n || s.charCodeAt(i) !== 45) return undefined;
  i++;
  let d = 0;
  const d0 = i;
  while (i < n && (c = s.charCodeAt(i) - 48) >= 0 && c <= 9) {
    d = d * 10 + c;
    i++;
  }
  if (i - d0 < 1 || i - d0 > 2 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  const days = civilToDays(y, mo, d);
  let micros = days * MICROS_PER_DAY;
  lastTextHadZone = false;
  lastSeconds = days * 86400;
  lastNanoOfSecond = 0;
  if (i === n) return micros;
  const sep = s.charCodeAt(i);
  if (sep !== 32 && sep !== 84 && sep !== 116) return undefined; // ' ', 'T', 't'
  i++;
  let h = 0;
  const h0 = i;
  while (i < n && (c = s.charCodeAt(i) - 48) >= 0 && c <= 9) {
    h = h * 10 + c;
    i++;
  }
  if (i - h0 < 1 || i - h0 > 2 || h > 23 || i >= n || s.charCodeAt(i) !== 58) return undefined;
  i++;
  let mi = 0;
  const mi0 = i;
  while (i < n && (c = s.charCodeAt(i) - 48) >= 0 && c <= 9) {
    mi = mi * 10 + c;
    i++;
  }
  if (i - mi0 < 1 || i - mi0 > 2 || mi > 59) return undefined;
  let sec = 0;
  let frac = 0;
  if (i < n && s.charCodeAt(i) === 58) {
    i++;
    const s0 = i;
    while (i < n && (c = s.charCodeAt(i) - 48) >= 0 && c <= 9) {
      sec = sec * 10 + c;
      i++;
    }
    if (i - s0 < 1 || i - s0 > 2 || sec > 59) return undefined;
    if (i < n && s.charCodeAt(i) === 46) {
      i++;
      const f0 = i;
      let scale = 100000;
      let nanoScale = 100_000_000;
      while (i < n && (c = s.charCodeAt(i) - 48) >= 0 && c <= 9) {
        frac += c * scale;
        scale = scale / 10;
        lastNanoOfSecond += c * nanoScale;
        nanoScale = nanoScale / 10;
        i++;
      }
      if (i - f0 < 1 || i - f0 > 9) return undefined;
      frac = Math.floor(frac);
    }
  }
  micros += h * 3_600_000_000 + mi * 60_000_000 + sec * MICROS_PER_SECOND + frac;
  lastSeconds += h * 3600 + mi * 60 + sec;
  if (i === n) return micros;
  c = s.charCodeAt(i);
  if ((c === 90 || c === 122) && i + 1 === n) {
    lastTextHadZone = true;
    return micros;
  }
  while (i < n && s.charCodeAt(i) === 32) i++; // '10:00:00 +02:00'
  c = s.charCodeAt(i);
  if (c !== 43 && c !== 45) return undefined;
  const sign = c === 43 ? 1 : -1;
  i++;
  let oh = 0;
  let om = 0;
  const oh0 = i;
  while (i < n && (c = s.charCodeAt(i) - 48) >= 0 && c <= 9 && i - oh0 < 2) {
    oh = oh * 10 + c;
    i++;
  }
  if (i - oh0 !== 2) return undefined;
  if (i < n && s.charCodeAt(i) === 58) i++;
  const om0 = i;
  while (i < n && (c = s.charCodeAt(i) - 48) >= 0 && c <= 9) {
    om = om * 10 + c;
    i++;
  }
  if ((i - om0 !== 0 && i - om0 !== 2) || i !== n || oh > 18 || om > 59) return undefined;
  lastTextHadZone = true;
  lastSeconds -= sign * (oh * 60 + om) * 60;
  return micros - sign * (oh * 60 + om) * 60_000_000;
}

/**
 * The nanoseconds of the text parseTimestampText (or parseFlinkTimestamp) last accepted, exact over
 * years 0000–9999 (its micros result is a double, exact only until 2255).
 */
export function lastTextNanos(): bigint {
  return joinNanos(lastSeconds, lastNanoOfSecond);
}

// ----- numbers ---------------------------------------------------------------------------------

const NUMBER_RE = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
/** Integer targets accept a decimal point (the fraction is cut off) but no exponent. */
const INTEGER_RE = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)\s*$/;
const SPECIAL_FLOATS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '+Infinity': Infinity, '-Infinity': -Infinity };

function parseFloatStrict(v: string): number | typeof FAIL {
  if (NUMBER_RE.test(v)) return Number(v);
  const t = v.trim();
  const sp = SPECIAL_FLOATS[t];
  return sp !== undefined ? sp : FAIL;
}

const INT_RANGE: Record<string, [number, number]> = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INT: [-2147483648, 2147483647],
  BIGINT: [-9223372036854775808, 9223372036854775807],
};

/** Java's narrowing of an integer (a BIGINT may be a bigint) to the target's width (wraps around). */
function wrapper(kind: string): (v: Exact) => Exact {
  const low32 = (v: Exact): number => (typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : v);
  switch (kind) {
    case 'TINYINT':
      return (v) => (low32(v) << 24) >> 24;
    case 'SMALLINT':
      return (v) => (low32(v) << 16) >> 16;
    case 'INT':
      return (v) => low32(v) | 0;
    default:
      return (v) => v;
  }
}

function toIntegral(from: LogicalType, to: LogicalType): Conv {
  const [lo, hi] = INT_RANGE[to.kind];
  const wrap = wrapper(to.kind);
  if (isIntegral(from)) {
    return INT_RANGE[from.kind][1] <= hi ? identity : (v: Exact) => wrap(v);
  }
  if (from.kind === 'FLOAT' || from.kind === 'DOUBLE') {
    // Java: double → long/int saturates, then narrows to byte/short by wrapping.
    if (to.kind === 'BIGINT') return longFromDouble;
    return (v: number) => {
      if (v !== v) return 0;
      const t = Math.trunc(v);
      return wrap(t > 2147483647 ? 2147483647 : t < -2147483648 ? -2147483648 : t);
    };
  }
  if (from.kind === 'DECIMAL') return decimalToIntegral(from.scale, to.kind, wrap);
  if (from.kind === 'BOOLEAN') return (v: boolean) => (v ? 1 : 0);
  if (isString(from)) {
    return (v: string) => {
      if (!INTEGER_RE.test(v)) return FAIL;
      // The integer part, exactly (`12.7` → 12, `-.5` → 0).
      const t = v.trim();
      const dot = t.indexOf('.');
      const ip = dot < 0 ? t : t.slice(0, dot);
      const x = parseInteger(/\d/.test(ip) ? ip : '0');
      if (x === undefined) return FAIL;
      return x < lo || x > hi || (typeof x === 'bigint' && !inLongRange(x)) ? FAIL : x;
    };
  }
  if (from.kind === 'TIMESTAMP_LTZ') return (v: number) => Math.floor(v / MICROS_PER_SECOND);
  if (from.kind === 'INTERVAL_DAY_TIME' || from.kind === 'INTERVAL_YEAR_MONTH') return identity;
  return notAllowed(from, to);
}

/** DECIMAL → integer: truncates toward zero, then narrows like Java (BigDecimal.longValue keeps the low 64 bits). */
function decimalToIntegral(scale: number, kind: string, wrap: (v: Exact) => Exact): Conv {
  const d = canonical(pow10n(scale));
  return (v: Exact) => {
    const t = scale === 0 ? v : typeof v === 'number' && typeof d === 'number' ? (v - (v % d)) / d : canonical(toBig(v) / toBig(d));
    const l = typeof t === 'bigint' ? wrapLong(t) : t === 0 ? 0 : t;
    return kind === 'BIGINT' ? l : wrap(l);
  };
}

const POW10: number[] = [];
for (let i = 0; i <= 38; i++) POW10.push(10 ** i);

/**
 * Rounds to `scale` digits, half away from zero (Java's HALF_UP); null when the value needs
 * more than precision − scale integer digits (Flink's CAST overflow gives NULL).
 */
export function roundDecimal(v: number, precision: number, scale: number): number | null {
  if (!Number.isFinite(v)) return null;
  const f = POW10[scale] ?? 10 ** scale;
  const a = Math.abs(v);
  const n = a * f;
  let r = Math.floor(n);
  const frac = n - r;
  if (frac > 0.5 + 1e-9) r += 1;
  else if (frac >= 0.5 - 1e-9) {
    // Near the half: decide on the decimal text, not on binary noise.
    r = Math.round(Number(`${a}e${scale}`));
    if (!Number.isFinite(r)) r = Math.round(n);
  }
  if (r >= (POW10[precision] ?? 10 ** precision)) return null;
  const out = r / f;
  return v < 0 && out !== 0 ? -out : out;
}

/** Flink's token set, case-insensitive, no surrounding whitespace. */
function parseBoolean(v: string): boolean | typeof FAIL {
  switch (v.toLowerCase()) {
    case 'true':
    case 't':
    case 'yes':
    case 'y':
    case '1':
      return true;
    case 'false':
    case 'f':
    case 'no':
    case 'n':
    case '0':
      return false;
    default:
      return FAIL;
  }
}

/** Truncates micros to `precision` fractional digits of a second. */
export function truncateMicros(v: number, precision: number): number {
  if (precision >= 6) return v;
  const f = POW10[6 - precision];
  return Math.floor(v / f) * f;
}

/**
 * A TIMESTAMP/TIMESTAMP_LTZ (micros) cast to a lower precision, as Flink 1.20's
 * DateTimeUtils.truncate: a value whose nano-of-second has at most `precision` decimal digits is
 * kept as it is (Flink counts the digits of the number, so 0.000005 s stays at precision 4 or 5);
 * to precision 0..3 the epoch milliseconds are cut toward zero (Java's long division: -7 ms at
 * precision 0 is 0, 1970-01-01 00:00:00, not the second before); to 4..5 the digits below the
 * millisecond are cut (they are never negative, so toward the past).
 */
export function flinkTruncateMicros(v: number, precision: number): number {
  if (precision >= 6) return v;
  const nanoOfSecond = (v - Math.floor(v / 1e6) * 1e6) * 1000;
  if (String(nanoOfSecond).length <= precision) return v;
  const ms = Math.floor(v / 1000);
  if (precision <= 3) {
    const f = POW10[3 - precision];
    return Math.trunc(ms / f) * f * 1000 + 0; // + 0: no -0
  }
  const f = POW10[6 - precision];
  return ms * 1000 + Math.floor((v - ms * 1000) / f) * f;
}

// ----- to string --------------------------------------------------------------------------------

function toStringConv(from: LogicalType, to: LogicalType, zone: string): Conv {
  if (from.kind === 'NULL') return () => null;
  const fmt = stringifier(from, zone);
  const n = (to as { length: number }).length;
  if (to.kind === 'VARCHAR') {
    if (n >= MAX_LENGTH) return fmt;
    return (v: unknown) => {
      const s = fmt(v) as string;
      return s.length > n ? s.slice(0, n) : s;
    };
  }
  return (v: unknown) => {
    const s = fmt(v) as string;
    return s.length > n ? s.slice(0, n) : s.length < n ? s.padEnd(n, ' ') : s;
  };
}

const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));

/**
 * The string of one value of type `t` (no NULL handling). `printing`: as Flink prints a result
 * (its sql-client and SQL Gateway), which differs from CAST only in BINARY/VARBINARY, printed as
 * `x'41'` (lower-case hex) where CAST decodes UTF-8, also inside ARRAY, MAP and ROW values.
 */
export function stringifier(t: LogicalType, zone = 'UTC', printing = false): (v: any) => string {
  switch (t.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return identity as (v: string) => string;
    case 'BOOLEAN':
      return (v: boolean) => (v ? 'TRUE' : 'FALSE');
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
      return (v: number) => String(v);
    case 'FLOAT':
      return formatFloat;
    case 'DOUBLE':
      return formatDouble;
    case 'DECIMAL': {
      const s = t.scale;
      return (v: Exact) => decToString(v, s);
    }
    case 'DATE':
      return formatDateFast;
    case 'TIME': {
      const p = t.precision;
      return (v: number) => formatTimeOfDay(v, p);
    }
    case 'TIMESTAMP': {
      const p = t.precision;
      if (p > 6) return (v: bigint) => formatNanos(v, p);
      return (v: number) => formatTs(v, p);
    }
    case 'TIMESTAMP_LTZ': {
      const p = t.precision;
      if (p > 6) return (v: bigint) => formatNanos(instantToLocalNanos(v, zone), p);
      return (v: number) => formatTs(instantToLocal(v, zone), p);
    }
    case 'INTERVAL_DAY_TIME':
      return formatIntervalDayTime;
    case 'INTERVAL_YEAR_MONTH':
      return formatIntervalYearMonth;
    case 'BINARY':
    case 'VARBINARY':
      return printing ? (v: Uint8Array) => `x'${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}'` : (v: Uint8Array) => utf8Decoder.decode(v);
    case 'ARRAY': {
      const e = stringifier(t.element, zone, printing);
      return (v: unknown[]) => {
        let s = '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) s += ', ';
          const x = v[i];
          s += x === null || x === undefined ? 'NULL' : e(x);
        }
        return s + ']';
      };
    }
    case 'MAP': {
      const kf = stringifier(t.key, zone, printing);
      const vf = stringifier(t.value, zone, printing);
      return (v: Map<unknown, unknown>) => {
        let s = '{';
        let first = true;
        for (const [k, x] of v) {
          if (!first) s += ', ';
          first = false;
          s += (k === null || k === undefined ? 'NULL' : kf(k)) + '=' + (x === null || x === undefined ? 'NULL' : vf(x));
        }
        return s + '}';
      };
    }
    case 'ROW': {
      const fs = t.fields.map((f) => stringifier(f.type, zone, printing));
      return (v: unknown[]) => {
        let s = '(';
        for (let i = 0; i < fs.length; i++) {
          if (i > 0) s += ', ';
          const x = v[i];
          s += x === null || x === undefined ? 'NULL' : fs[i](x);
        }
        return s + ')';
      };
    }
    case 'NULL':
      return () => 'NULL';
  }
}

/**
 * A value as Flink's CAST(… AS STRING) prints it (`2025-12-29 10:00:00.000` for TIMESTAMP(3),
 * `TRUE`, `1.0E7` for DOUBLE, `[1, 2]`, `{a=1}`, `(1, x)`). NULL prints as `NULL`.
 * TIMESTAMP_LTZ prints in `timeZone`.
 */
export function formatValue(v: unknown, type: LogicalType, timeZone = 'UTC'): string {
  if (v === null || v === undefined) return 'NULL';
  return stringifier(type, timeZone)(v);
}

/** Java's Double.toString (JDK 17, which Flink runs on): `1.0`, `0.001`, `1.0E7`, `1.23456789012345677E18`. */
export function formatDouble(v: number): string {
  return javaDoubleString(v);
}

/** Java's Float.toString for a float32 value held in a number. */
export function formatFloat(v: number): string {
  return javaFloatString(v);
}

export function formatDecimal(v: number, scale: number): string {
  if (Math.abs(v) < 1e21) return v.toFixed(scale);
  return BigInt(Math.round(v)).toString() + (scale > 0 ? '.' + '0'.repeat(scale) : '');
}

const civilScratch = [0, 0, 0];

function formatYear(y: number): string {
  if (y >= 1000 && y <= 9999) return String(y);
  const a = Math.abs(y);
  return (y < 0 ? '-' : '') + (a < 10 ? '000' : a < 100 ? '00' : a < 1000 ? '0' : '') + a;
}

/** `yyyy-MM-dd` for a day number. */
let lastDays = NaN;
let lastDateText = '';
export function formatDateFast(days: number): string {
  // Rows close in time share a day: a one-entry cache saves the calendar arithmetic.
  if (days === lastDays) return lastDateText;
  const c = daysToCivil(days, civilScratch);
  lastDateText = formatYear(c[0]) + '-' + P2[c[1]] + '-' + P2[c[2]];
  lastDays = days;
  return lastDateText;
}

const P2: string[] = [];
for (let i = 0; i < 100; i++) P2.push(i < 10 ? '0' + i : String(i));
const P3: string[] = [];
for (let i = 0; i < 1000; i++) P3.push(i < 10 ? '00' + i : i < 100 ? '0' + i : String(i));

function fraction(micros: number, precision: number): string {
  if (precision <= 0) return '';
  const hi = Math.floor(micros / 1000);
  if (precision === 3) return '.' + P3[hi];
  if (precision === 6) return '.' + P3[hi] + P3[micros - hi * 1000];
  const s = P3[hi] + P3[micros - hi * 1000];
  return '.' + (precision < 6 ? s.slice(0, precision) : s + '0'.repeat(precision - 6));
}

/** `HH:mm:ss[.fff…]` for micros of the day with `precision` fraction digits. */
export function formatTimeOfDay(v: number, precision: number): string {
  const secs = Math.floor(v / MICROS_PER_SECOND);
  const us = v - secs * MICROS_PER_SECOND;
  const h = Math.floor(secs / 3600);
  const rest = secs - h * 3600;
  const m = Math.floor(rest / 60);
  return (h < 100 ? P2[h] : String(h)) + ':' + P2[m] + ':' + P2[rest - m * 60] + fraction(us, precision);
}

/** `yyyy-MM-dd HH:mm:ss[.fff…]` for wall-clock micros with exactly `precision` fraction digits. */
export function formatTs(v: number, precision: number): string {
  const days = Math.floor(v / MICROS_PER_DAY);
  const tod = v - days * MICROS_PER_DAY;
  // A value with digits below its type's precision (window_time over a plain TIMESTAMP(0..2)
  // column is window_end − 1 ms) prints them as Flink does: at least `precision` fraction digits,
  // more while they are not zero.
  let p = precision;
  while (p < 6 && tod % FRACTION_UNIT[p] !== 0) p++;
  return formatDateFast(days) + ' ' + formatTimeOfDay(tod, p);
}

/** Micros of one unit of the last fraction digit at precision 0..5. */
const FRACTION_UNIT = [1_000_000, 100_000, 10_000, 1_000, 100, 10];

/** Flink's `+1 02:03:04.000` for an INTERVAL DAY TO SECOND in micros. */
export function formatIntervalDayTime(v: number): string {
  const sign = v < 0 ? '-' : '+';
  const a = Math.abs(v);
  const days = Math.floor(a / MICROS_PER_DAY);
  return sign + days + ' ' + formatTimeOfDay(a - days * MICROS_PER_DAY, 3);
}

/** Flink's `+1-02` for an INTERVAL YEAR TO MONTH in months. */
export function formatIntervalYearMonth(v: number): string {
  const sign = v < 0 ? '-' : '+';
  const a = Math.abs(v);
  return sign + Math.floor(a / 12) + '-' + pad2(a % 12);
}
