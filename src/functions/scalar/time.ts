// Date and time functions. Values follow src/common/types.ts: TIMESTAMP = wall-clock micros,
// TIMESTAMP_LTZ = instant micros (shown in `table.local-time-zone`), DATE = days, TIME = micros of day.
import type { LogicalType } from '../../common/types.js';
import { ValidationError } from '../../common/errors.js';
import type { FunctionContext, ScalarFunctionDef } from '../api.js';
import type { AnyFn } from '../helpers.js';
import { anyNullable, checkArgs, BIGINT, INT, INTEGER, NUM, STR, STRING, DATETIME, TS } from '../helpers.js';
import {
  addMonthsDays,
  addMonthsMicros,
  civilToDays,
  compileDateFormatter,
  compileDateParser,
  dayOfWeek,
  daysToCivil,
  daysToYear,
  instantToLocal,
  isoWeek,
  isoYear,
  localToInstant,
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  MICROS_PER_MILLI,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  parseTimestamp,
  hasZone,
  zoneOffsetMicros,
  datePatternHasZone,
} from '../../common/time.js';
import { doubleOf, wrapLong } from '../../common/exact.js';
import { isNanosType, microsToNanos, nanosToMicros, subMicros } from '../../common/nanos.js';
import { parseDateStrict, truncateMicros, parseTimestampText, parseFlinkTimestamp } from '../cast.js';

/** Fast path first, then the general parser. */
const parseTs = (s: string): number | undefined => parseTimestampText(s) ?? parseTimestamp(s);

const DEFAULT_TS_FORMAT = 'yyyy-MM-dd HH:mm:ss';
/** Long.MIN_VALUE, exact (a bigint: beyond a double's safe integers). */
const LONG_MIN = -(1n << 63n);

const ts3 = (nullable: boolean): LogicalType => ({ kind: 'TIMESTAMP', precision: 3, nullable });
const ltz3 = (nullable: boolean): LogicalType => ({ kind: 'TIMESTAMP_LTZ', precision: 3, nullable });
const dateT = (nullable: boolean): LogicalType => ({ kind: 'DATE', nullable });

// ----- caches for non-constant patterns ------------------------------------------------------------

const formatterCache = new Map<string, (us: number, off?: number, sub?: number) => string>();
const parserCache = new Map<string, (s: string) => number | undefined>();

function formatterFor(pattern: string): (us: number, off?: number, sub?: number) => string {
  let f = formatterCache.get(pattern);
  if (!f) {
    f = compileDateFormatter(pattern);
    if (formatterCache.size > 500) formatterCache.clear();
    formatterCache.set(pattern, f);
  }
  return f;
}

function parserFor(pattern: string): (s: string) => number | undefined {
  let f = parserCache.get(pattern);
  if (!f) {
    f = compileDateParser(pattern);
    if (parserCache.size > 500) parserCache.clear();
    parserCache.set(pattern, f);
  }
  return f;
}

const lenientParserCache = new Map<string, (s: string) => number | undefined>();
/** SimpleDateFormat-style parser (UNIX_TIMESTAMP, TO_DATE): trailing text is ignored. */
function lenientParserFor(pattern: string): (s: string) => number | undefined {
  let f = lenientParserCache.get(pattern);
  if (!f) {
    f = compileDateParser(pattern, true);
    if (lenientParserCache.size > 500) lenientParserCache.clear();
    lenientParserCache.set(pattern, f);
  }
  return f;
}

/** A pattern argument: precompiled when constant (invalid → ValidationError at plan time). */
function patternArg<F>(ctx: FunctionContext, i: number, make: (p: string) => F, fname: string): (p: string) => F {
  const c = ctx.constantArgs[i];
  if (typeof c === 'string') {
    let f: F;
    try {
      f = make(c);
    } catch (e) {
      throw new ValidationError(`${fname}: invalid date format '${c}': ${(e as Error).message}`);
    }
    return () => f;
  }
  return (p) => make(p);
}

/** Converts a datetime value of type `t` to wall-clock micros in `zone`. */
export function toLocalMicros(t: LogicalType, zone: string): (v: number) => number {
  switch (t.kind) {
    case 'TIMESTAMP_LTZ':
      return (v) => instantToLocal(v, zone);
    case 'DATE':
      return (v) => v * MICROS_PER_DAY;
    default:
      return (v) => v;
  }
}

// ----- current time ----------------------------------------------------------------------------

const nowFn = (name: string, type: (n: boolean) => LogicalType, make: (ctx: FunctionContext) => () => unknown): ScalarFunctionDef => ({
  name,
  strict: true,
  deterministic: false,
  returnType(args) {
    checkArgs(name, `${name}()`, args, []);
    return type(false);
  },
  create(_args, ctx) {
    return make(ctx);
  },
});

const millis = (us: number) => Math.floor(us / MICROS_PER_MILLI) * MICROS_PER_MILLI;

export const CURRENT_TIMESTAMP = nowFn('CURRENT_TIMESTAMP', ltz3, (ctx) => () => millis(ctx.now()));
export const NOW = nowFn('NOW', ltz3, (ctx) => () => millis(ctx.now()));
export const CURRENT_ROW_TIMESTAMP = nowFn('CURRENT_ROW_TIMESTAMP', ltz3, (ctx) => () => millis(ctx.now()));
/** PROCTIME(): the processing time; the planner marks such columns as proctime attributes. */
export const PROCTIME = nowFn('PROCTIME', ltz3, (ctx) => () => millis(ctx.now()));
export const LOCALTIMESTAMP = nowFn('LOCALTIMESTAMP', ts3, (ctx) => () => millis(instantToLocal(ctx.now(), ctx.localTimeZone)));
export const CURRENT_DATE = nowFn('CURRENT_DATE', dateT, (ctx) => () => Math.floor(instantToLocal(ctx.now(), ctx.localTimeZone) / MICROS_PER_DAY));
const timeOfDay = (ctx: FunctionContext) => () => {
  const l = instantToLocal(ctx.now(), ctx.localTimeZone);
  return truncateMicros(l - Math.floor(l / MICROS_PER_DAY) * MICROS_PER_DAY, 0);
};
export const CURRENT_TIME = nowFn('CURRENT_TIME', (n) => ({ kind: 'TIME', precision: 0, nullable: n }), timeOfDay);
export const LOCALTIME = nowFn('LOCALTIME', (n) => ({ kind: 'TIME', precision: 0, nullable: n }), timeOfDay);

// ----- formatting and parsing ---------------------------------------------------------------------

/** DATE_FORMAT(timestamp | string, format): Java date pattern; TIMESTAMP_LTZ in the session zone. */
export const DATE_FORMAT: ScalarFunctionDef = {
  name: 'DATE_FORMAT',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('DATE_FORMAT', 'DATE_FORMAT(TIMESTAMP | STRING, format STRING)', args, [(t) => DATETIME(t) || STR(t), STR]);
    return STRING(true);
  },
  create(args, ctx): AnyFn {
    const zone = ctx.localTimeZone;
    const fmt = patternArg(ctx, 1, formatterFor, 'DATE_FORMAT');
    const t = args[0];
    if (t.kind === 'TIMESTAMP_LTZ') return (v: number, p: string) => fmt(p)(instantToLocal(v, zone), zoneOffsetMicros(v, zone));
    if (STR(t) && t.kind !== 'NULL') {
      // Flink reads the text as SimpleDateFormat (lenient) reads `yyyy-MM-dd HH:mm:ss`.
      const parse = lenientParserFor(DEFAULT_TS_FORMAT);
      return (v: string, p: string) => {
        const us = parse(v);
        return us === undefined ? null : fmt(p)(us, 0);
      };
    }
    const local = toLocalMicros(t, zone);
    return (v: number, p: string) => fmt(p)(local(v), 0);
  },
};

/** DATE_FORMAT of a TIMESTAMP(7..9) (nanos): `S` letters beyond six print the digits below the microsecond. */
const DATE_FORMAT_NANOS: ScalarFunctionDef = {
  ...DATE_FORMAT,
  create(args, ctx): AnyFn {
    const t = args[0];
    if (!isNanosType(t)) return DATE_FORMAT.create(args, ctx);
    const zone = ctx.localTimeZone;
    const fmt = patternArg(ctx, 1, formatterFor, 'DATE_FORMAT');
    const ltz = t.kind === 'TIMESTAMP_LTZ';
    return (v: bigint, p: string) => {
      const us = nanosToMicros(v);
      return ltz ? fmt(p)(instantToLocal(us, zone), zoneOffsetMicros(us, zone), subMicros(v)) : fmt(p)(us, 0, subMicros(v));
    };
  },
};

/** Parses with a pattern (or leniently with none); a zone in the text gives UTC wall-clock time. */
function parseWith(ctx: FunctionContext, args: LogicalType[], fname: string): (s: string, p?: string) => number | undefined {
  if (args.length < 2) return fname === 'TO_TIMESTAMP' ? parseFlinkTimestamp : parseTs;
  const get = patternArg(ctx, 1, parserFor, fname);
  return (s, p) => get(p!)(s);
}

/** TO_TIMESTAMP(string[, format]) → TIMESTAMP(3); NULL when the text does not parse. */
export const TO_TIMESTAMP: ScalarFunctionDef = {
  name: 'TO_TIMESTAMP',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('TO_TIMESTAMP', 'TO_TIMESTAMP(STRING[, format STRING])', args, [STR, STR], 1);
    return ts3(true);
  },
  create(args, ctx): AnyFn {
    const parse = parseWith(ctx, args, 'TO_TIMESTAMP');
    return (s: string, p?: string) => {
      const us = parse(s, p);
      return us === undefined ? null : truncateMicros(us, 3);
    };
  },
};

/**
 * TO_TIMESTAMP_LTZ(number, precision): epoch seconds (precision 0) or millis (3, the default);
 * TO_TIMESTAMP_LTZ(string[, format[, zone]]): the text read in `zone` (default the session zone).
 */
export const TO_TIMESTAMP_LTZ: ScalarFunctionDef = {
  name: 'TO_TIMESTAMP_LTZ',
  strict: true,
  deterministic: true,
  returnType(args) {
    if (args.length >= 1 && NUM(args[0]) && args[0].kind !== 'NULL') {
      checkArgs('TO_TIMESTAMP_LTZ', 'TO_TIMESTAMP_LTZ(NUMERIC[, precision INT])', args, [NUM, INTEGER], 1);
      return ltz3(true); // NULL out of range
    }
    checkArgs('TO_TIMESTAMP_LTZ', 'TO_TIMESTAMP_LTZ(NUMERIC, precision INT) or TO_TIMESTAMP_LTZ(STRING[, format STRING[, zone STRING]])', args, [STR, STR, STR], 1);
    return ltz3(true);
  },
  create(args, ctx): AnyFn {
    if (NUM(args[0]) && args[0].kind !== 'NULL') {
      const p = args.length > 1 ? ctx.constantArgs[1] : 3;
      // Milliseconds per unit of the number; the result is cut (toward zero) to milliseconds and
      // NULL outside 0000-01-01 … 9999-12-31, as in Flink.
      const msPer = (prec: number) => {
        if (prec === 0) return 1000;
        if (prec === 3) return 1;
        if (prec === 6) return 0.001;
        if (prec === 9) return 0.000001;
        throw new ValidationError(`TO_TIMESTAMP_LTZ: precision must be 0 (seconds) or 3 (milliseconds) (also 6, 9), got ${prec}`);
      };
      // Flink cuts a DECIMAL to a whole number before it scales it (TO_TIMESTAMP_LTZ(1.5, 0) is 1 s),
      // a DOUBLE after (1.5E0 is 1.5 s); a BIGINT beyond a double's exact range is out of range anyway.
      const whole = doubleOf(args[0]);
      const toLtz = (v: unknown, f: number) => {
        // A DOUBLE NaN: Flink casts it to long as milliseconds (0, the epoch) but range-checks it as seconds (NULL).
        if (!whole && Number.isNaN(v)) return f === 1 ? 0 : null;
        const ms = Math.trunc(whole ? Math.trunc(whole(v)) * f : (v as number) * f);
        return ms >= -62167219200000 && ms <= 253402300799999 ? ms * MICROS_PER_MILLI + 0 : null;
      };
      if (typeof p === 'number') {
        const f = msPer(p);
        return (v: unknown) => toLtz(v, f);
      }
      return (v: unknown, prec: number) => toLtz(v, msPer(prec));
    }
    const parse = parseWith(ctx, args, 'TO_TIMESTAMP_LTZ');
    return (s: string, p?: string, zone?: string) => {
      const us = parse(s, p);
      if (us === undefined) return null;
      const zoned = args.length > 1 ? datePatternHasZone(p!) : hasZone(s);
      return truncateMicros(zoned ? us : localToInstant(us, zone ?? ctx.localTimeZone), 3);
    };
  },
};

/** TO_DATE(string[, format]) → DATE; NULL when the text does not parse. */
export const TO_DATE: ScalarFunctionDef = {
  name: 'TO_DATE',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('TO_DATE', 'TO_DATE(STRING[, format STRING])', args, [STR, STR], 1);
    return dateT(true);
  },
  create(args, ctx): AnyFn {
    if (args.length < 2) {
      return (s: string) => {
        // Flink 1.20 reads a year alone ('2024') but not more than 4 digits of it ('20240101').
        if (/^\s*\d{5,}\s*$/.test(s)) return null;
        const d = parseDateStrict(s);
        if (d !== undefined) return d;
        const ts = parseTs(s);
        return ts === undefined ? null : Math.floor(ts / MICROS_PER_DAY);
      };
    }
    const get = patternArg(ctx, 1, lenientParserFor, 'TO_DATE');
    return (s: string, p: string) => {
      const us = get(p)(s);
      return us === undefined ? null : Math.floor(us / MICROS_PER_DAY);
    };
  },
};

/** UNIX_TIMESTAMP(): now in epoch seconds; UNIX_TIMESTAMP(string[, format]): the text read in the session zone. */
export const UNIX_TIMESTAMP: ScalarFunctionDef = {
  name: 'UNIX_TIMESTAMP',
  strict: true,
  deterministic: false,
  returnType(args) {
    checkArgs('UNIX_TIMESTAMP', 'UNIX_TIMESTAMP([STRING[, format STRING]])', args, [STR, STR], 0);
    return BIGINT(anyNullable(args));
  },
  create(args, ctx): AnyFn {
    if (args.length === 0) return () => Math.floor(ctx.now() / MICROS_PER_SECOND);
    // As Flink: SimpleDateFormat (default `yyyy-MM-dd HH:mm:ss`, trailing text ignored) in the
    // session zone, a repeated (fall-back) time read as its later instant.
    const get = args.length > 1 ? patternArg(ctx, 1, lenientParserFor, 'UNIX_TIMESTAMP') : () => lenientParserFor(DEFAULT_TS_FORMAT);
    return (s: string, p?: string) => {
      const us = get(p!)(s);
      // Flink returns Long.MIN_VALUE when the text does not parse (a date alone with the default pattern too).
      if (us === undefined) return LONG_MIN;
      const zoned = args.length > 1 && datePatternHasZone(p!);
      return Math.trunc((zoned ? us : localToInstant(us, ctx.localTimeZone, true)) / MICROS_PER_SECOND);
    };
  },
};

/** FROM_UNIXTIME(seconds[, format]): the instant formatted in the session zone (default `yyyy-MM-dd HH:mm:ss`). */
export const FROM_UNIXTIME: ScalarFunctionDef = {
  name: 'FROM_UNIXTIME',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('FROM_UNIXTIME', 'FROM_UNIXTIME(seconds NUMERIC[, format STRING])', args, [NUM, STR], 1);
    return STRING(true);
  },
  create(args, ctx): AnyFn {
    const zone = ctx.localTimeZone;
    const get = args.length > 1 ? patternArg(ctx, 1, formatterFor, 'FROM_UNIXTIME') : () => formatterFor(DEFAULT_TS_FORMAT);
    const num = doubleOf(args[0]) ?? ((v: unknown) => v as number);
    return (secs: unknown, p?: string) => {
      const us = Math.floor(num(secs)) * MICROS_PER_SECOND;
      return get(p!)(instantToLocal(us, zone), zoneOffsetMicros(us, zone));
    };
  },
};

/** CONVERT_TZ(string, fromZone, toZone): re-reads a `yyyy-MM-dd HH:mm:ss` text in another zone. */
export const CONVERT_TZ: ScalarFunctionDef = {
  name: 'CONVERT_TZ',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('CONVERT_TZ', 'CONVERT_TZ(STRING, fromZone STRING, toZone STRING)', args, [STR, STR, STR]);
    return STRING(true);
  },
  create(): AnyFn {
    const fmt = formatterFor(DEFAULT_TS_FORMAT);
    // Flink reads the text as SimpleDateFormat (lenient) reads `yyyy-MM-dd HH:mm:ss`.
    const parse = lenientParserFor(DEFAULT_TS_FORMAT);
    return (s: string, from: string, to: string) => {
      const us = parse(s);
      if (us === undefined) return null;
      return fmt(instantToLocal(localToInstant(us, from, true), to));
    };
  },
};

// ----- EXTRACT and friends -------------------------------------------------------------------------

const civil = [0, 0, 0];

/** A field of wall-clock micros. */
function extractor(unit: string): (us: number) => number {
  const day = (us: number) => Math.floor(us / MICROS_PER_DAY);
  const tod = (us: number) => us - Math.floor(us / MICROS_PER_DAY) * MICROS_PER_DAY;
  switch (unit) {
    case 'YEAR':
      return (us) => daysToYear(day(us));
    case 'QUARTER':
      return (us) => Math.floor((daysToCivil(day(us), civil)[1] - 1) / 3) + 1;
    case 'MONTH':
      return (us) => daysToCivil(day(us), civil)[1];
    case 'WEEK':
      return (us) => isoWeek(day(us));
    case 'DAY':
    case 'DAYOFMONTH':
      return (us) => daysToCivil(day(us), civil)[2];
    case 'DOY':
    case 'DAYOFYEAR':
      return (us) => {
        const d = day(us);
        return d - civilToDays(daysToYear(d), 1, 1) + 1;
      };
    case 'DOW':
    case 'DAYOFWEEK':
      return (us) => dayOfWeek(day(us));
    case 'ISODOW':
      return (us) => ((dayOfWeek(day(us)) + 5) % 7) + 1;
    case 'ISOYEAR':
      return (us) => isoYear(day(us));
    case 'HOUR':
      return (us) => Math.floor(tod(us) / MICROS_PER_HOUR);
    case 'MINUTE':
      return (us) => Math.floor(tod(us) / MICROS_PER_MINUTE) % 60;
    case 'SECOND':
      return (us) => Math.floor(tod(us) / MICROS_PER_SECOND) % 60;
    // Flink 1.20: the fraction of the second only (EXTRACT(MILLISECOND FROM … 00:00:01.123) is 123).
    case 'MILLISECOND':
      return (us) => Math.floor((tod(us) % MICROS_PER_SECOND) / MICROS_PER_MILLI);
    case 'MICROSECOND':
      return (us) => tod(us) % MICROS_PER_SECOND;
    case 'NANOSECOND':
      return (us) => (tod(us) % MICROS_PER_SECOND) * 1000;
    case 'EPOCH':
      return (us) => Math.floor(us / MICROS_PER_SECOND);
    case 'DECADE':
      return (us) => Math.floor(daysToYear(day(us)) / 10);
    case 'CENTURY':
      return (us) => {
        const y = daysToYear(day(us));
        return y > 0 ? Math.floor((y + 99) / 100) : -Math.floor((99 - y) / 100);
      };
    case 'MILLENNIUM':
      return (us) => {
        const y = daysToYear(day(us));
        return y > 0 ? Math.floor((y + 999) / 1000) : -Math.floor((999 - y) / 1000);
      };
    default:
      throw new ValidationError(`EXTRACT: unknown time unit '${unit}'`);
  }
}

/**
 * EXTRACT (and HOUR(), YEAR(), …) of a TIMESTAMP or TIMESTAMP_LTZ as Flink 1.20 computes it
 * (DateTimeUtils.convertExtract): from the wall clock's milliseconds since 1970-01-01 (the instant's
 * plus the zone's offset for TIMESTAMP_LTZ) with Java's truncating division and remainder. So
 * before 1970 the time fields are negative and the date is the day truncated toward 1970-01-01:
 * 1969-12-31 19:00 is hour -5 of 1970-01-01, 23:59:58.5 is second -1 and millisecond -500.
 * Takes the milliseconds (floored) and the nanoseconds within the millisecond (0..999999).
 */
function timestampExtractor(unit: string): (ms: number, nanoOfMilli: number) => number {
  const MS_DAY = MICROS_PER_DAY / MICROS_PER_MILLI;
  const field = (within: number, of: number) => (ms: number) => Math.trunc((ms % within) / of) + 0; // + 0: no -0
  switch (unit) {
    case 'HOUR':
      return field(MS_DAY, 3_600_000);
    case 'MINUTE':
      return field(3_600_000, 60_000);
    case 'SECOND':
      return field(60_000, 1000);
    case 'MILLISECOND':
      return field(1000, 1);
    case 'MICROSECOND':
      return (ms, nano) => (ms % 1000) * 1000 + Math.trunc(nano / 1000);
    case 'NANOSECOND':
      return (ms, nano) => (ms % 1000) * 1_000_000 + nano;
    case 'EPOCH':
      return (ms) => Math.trunc(ms / 1000) + 0;
    default: {
      const f = extractor(unit); // the date's fields (calendar arithmetic is right for any day)
      return (ms) => f(Math.trunc(ms / MS_DAY) * MICROS_PER_DAY);
    }
  }
}

/** 1900-01-01T00:00Z in micros: where java.util.TimeZone's table of a zone's offsets starts. */
const UTC1900 = -2_208_988_800_000_000;
const standardOffsets = new Map<string, number>();

/**
 * A zone's offset at an instant as java.util.TimeZone.getOffset(millis) gives it, which Flink 1.20's
 * EXTRACT (and HOUR(), MINUTE() …) and FLOOR/CEIL of a TIMESTAMP_LTZ use: the tz database's, except
 * before 1900-01-01T00:00Z, where Java's table starts, the zone's present standard offset (Kolkata
 * +05:30 there, not Madras time's +05:21:10; New York -05:00 before 1883, not its LMT -04:56:02).
 * java.time (Flink's CAST of a TIMESTAMP_LTZ) uses the tz database's offsets at any instant.
 */
function javaUtilOffsetMicros(instantMicros: number, zone: string): number {
  if (instantMicros >= UTC1900) return zoneOffsetMicros(instantMicros, zone);
  let o = standardOffsets.get(zone);
  if (o === undefined) {
    // The standard offset: the smaller of January's and July's this year (the other one is DST's).
    const y = new Date().getUTCFullYear();
    o = Math.min(zoneOffsetMicros(Date.UTC(y, 0, 1) * 1000, zone), zoneOffsetMicros(Date.UTC(y, 6, 1) * 1000, zone));
    standardOffsets.set(zone, o);
  }
  return o;
}

/** timestampExtractor over a TIMESTAMP/TIMESTAMP_LTZ value (micros, or nanos for precision 7..9); LTZ in `zone`. */
function timestampExtract(unit: string, t: LogicalType, zone: string): (v: number | bigint) => number {
  const f = timestampExtractor(unit);
  const ltz = t.kind === 'TIMESTAMP_LTZ';
  const local = (ms: number) => (ltz ? ms + javaUtilOffsetMicros(ms * MICROS_PER_MILLI, zone) / MICROS_PER_MILLI : ms);
  if (isNanosType(t)) {
    return (v) => {
      const ms = Number((v as bigint) / 1_000_000n) - ((v as bigint) % 1_000_000n < 0n ? 1 : 0);
      return f(local(ms), Number((v as bigint) - BigInt(ms) * 1_000_000n));
    };
  }
  return (v) => {
    const ms = Math.floor((v as number) / MICROS_PER_MILLI);
    return f(local(ms), ((v as number) - ms * MICROS_PER_MILLI) * 1000);
  };
}

const INTERVAL = (t: LogicalType) => t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH' || t.kind === 'NULL';

function intervalExtractor(unit: string, t: LogicalType): (v: number) => number {
  const tr = Math.trunc;
  if (t.kind === 'INTERVAL_YEAR_MONTH') {
    if (unit === 'YEAR') return (v) => tr(v / 12);
    if (unit === 'MONTH') return (v) => v % 12;
    if (unit === 'QUARTER') return (v) => tr((v % 12) / 3) + 1;
    throw new ValidationError(`EXTRACT: unit ${unit} is not valid for ${t.kind}`);
  }
  switch (unit) {
    case 'DAY':
      return (v) => tr(v / MICROS_PER_DAY);
    case 'HOUR':
      return (v) => tr(v / MICROS_PER_HOUR) % 24;
    case 'MINUTE':
      return (v) => tr(v / MICROS_PER_MINUTE) % 60;
    case 'SECOND':
      return (v) => tr(v / MICROS_PER_SECOND) % 60;
    case 'MILLISECOND':
      return (v) => tr(v / MICROS_PER_MILLI) % 60000;
    case 'MICROSECOND':
      return (v) => v % MICROS_PER_MINUTE;
    case 'EPOCH':
      return (v) => tr(v / MICROS_PER_SECOND);
    default:
      throw new ValidationError(`EXTRACT: unit ${unit} is not valid for an interval of days to seconds`);
  }
}

function normalizeUnit(u: unknown, fname: string): string {
  if (typeof u !== 'string') throw new ValidationError(`${fname}: the time unit must be a constant, e.g. ${fname === 'EXTRACT' ? 'EXTRACT(YEAR FROM ts)' : 'DAY'}`);
  let s = u.toUpperCase().trim();
  if (s.startsWith('SQL_TSI_')) s = s.slice(8);
  if (s === 'FRAC_SECOND') s = 'MICROSECOND';
  if (s.endsWith('S') && s !== 'DOS' && ['YEARS', 'MONTHS', 'DAYS', 'HOURS', 'MINUTES', 'SECONDS', 'WEEKS', 'QUARTERS'].includes(s)) s = s.slice(0, -1);
  return s;
}

/** EXTRACT(unit FROM x) is the function EXTRACT(unit, x) with the unit as a constant string. */
export const EXTRACT: ScalarFunctionDef = {
  name: 'EXTRACT',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('EXTRACT', "EXTRACT(unit 'YEAR'|'MONTH'|…, DATE | TIME | TIMESTAMP | INTERVAL)", args, [STR, (t) => DATETIME(t) || INTERVAL(t)]);
    return BIGINT(args[1].nullable);
  },
  create(args, ctx): AnyFn {
    const unit = normalizeUnit(ctx.constantArgs[0], 'EXTRACT');
    const t = args[1];
    if (t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH') {
      const f = intervalExtractor(unit, t);
      return (_u: string, v: number) => f(v);
    }
    if (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') {
      const f = timestampExtract(unit, t, ctx.localTimeZone);
      return (_u: string, v: number | bigint) => f(v);
    }
    const f = extractor(unit);
    if (t.kind === 'DATE') return (_u: string, v: number) => f(v * MICROS_PER_DAY);
    return (_u: string, v: number) => f(v);
  },
};

const fieldFn = (name: string, unit: string): ScalarFunctionDef => ({
  name,
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs(name, `${name}(DATE | TIMESTAMP)`, args, [DATETIME]);
    return BIGINT(anyNullable(args));
  },
  create(args, ctx): AnyFn {
    const t = args[0];
    if (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') return timestampExtract(unit, t, ctx.localTimeZone);
    const f = extractor(unit);
    const local = toLocalMicros(t, ctx.localTimeZone);
    return (v: number) => f(local(v));
  },
});
export const YEAR = fieldFn('YEAR', 'YEAR');
export const QUARTER = fieldFn('QUARTER', 'QUARTER');
export const MONTH = fieldFn('MONTH', 'MONTH');
export const WEEK = fieldFn('WEEK', 'WEEK');
export const DAYOFYEAR = fieldFn('DAYOFYEAR', 'DOY');
export const DAYOFMONTH = fieldFn('DAYOFMONTH', 'DAY');
export const DAYOFWEEK = fieldFn('DAYOFWEEK', 'DOW');
export const HOUR = fieldFn('HOUR', 'HOUR');
export const MINUTE = fieldFn('MINUTE', 'MINUTE');
export const SECOND = fieldFn('SECOND', 'SECOND');

// ----- FLOOR/CEIL(x TO unit), TIMESTAMPADD, TIMESTAMPDIFF --------------------------------------------

const FIXED_UNITS: Record<string, number> = {
  DAY: MICROS_PER_DAY,
  HOUR: MICROS_PER_HOUR,
  MINUTE: MICROS_PER_MINUTE,
  SECOND: MICROS_PER_SECOND,
  MILLISECOND: MICROS_PER_MILLI,
  MICROSECOND: 1,
  WEEK: 7 * MICROS_PER_DAY,
};
const MONTH_UNITS: Record<string, number> = { MONTH: 1, QUARTER: 3, YEAR: 12, DECADE: 120, CENTURY: 1200, MILLENNIUM: 12000 };

/** Floors wall-clock micros to a unit (weeks start on Sunday, as in Calcite). */
function floorLocal(unit: string): (us: number) => number {
  const fixed = FIXED_UNITS[unit];
  if (fixed !== undefined) {
    if (unit === 'WEEK') {
      // Day 0 (1970-01-01) is a Thursday; Sundays are days ≡ 3 (mod 7).
      return (us) => {
        const d = Math.floor(us / MICROS_PER_DAY);
        return (d - ((((d - 3) % 7) + 7) % 7)) * MICROS_PER_DAY;
      };
    }
    return (us) => Math.floor(us / fixed) * fixed;
  }
  const months = MONTH_UNITS[unit];
  if (months !== undefined) {
    return (us) => {
      const c = daysToCivil(Math.floor(us / MICROS_PER_DAY), civil);
      const total = c[0] * 12 + c[1] - 1;
      const fl = Math.floor(total / months) * months;
      const y = Math.floor(fl / 12);
      return civilToDays(y, fl - y * 12 + 1, 1) * MICROS_PER_DAY;
    };
  }
  throw new ValidationError(`FLOOR/CEIL: unknown time unit '${unit}'`);
}

function addUnit(unit: string): (us: number, n: number) => number {
  const fixed = FIXED_UNITS[unit];
  if (fixed !== undefined) return (us, n) => us + n * fixed;
  const months = MONTH_UNITS[unit];
  if (months !== undefined) return (us, n) => addMonthsMicros(us, n * months);
  throw new ValidationError(`unknown time unit '${unit}'`);
}

const floorCeil = (name: 'FLOOR_TO' | 'CEIL_TO'): ScalarFunctionDef => ({
  name,
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs(name, `${name}(DATE | TIME | TIMESTAMP, unit STRING)  -- FLOOR/CEIL(x TO unit)`, args, [DATETIME, STR]);
    return { ...args[0], nullable: args[0].nullable } as LogicalType;
  },
  create(args, ctx): AnyFn {
    const unit = normalizeUnit(ctx.constantArgs[1], name);
    const fl = floorLocal(unit);
    const add = addUnit(unit);
    const ceil = name === 'CEIL_TO';
    // Flink 1.20 ceils to a second or more from the millisecond (CEIL(…01.000001 TO SECOND) is …01),
    // to MILLISECOND from the whole value (CEIL(…01.0001 TO MILLISECOND) is …01.001).
    const fromMillis = unit !== 'MILLISECOND' && unit !== 'MICROSECOND' && (args[0].kind === 'TIMESTAMP' || args[0].kind === 'TIMESTAMP_LTZ');
    const f = ceil
      ? (us: number) => {
          if (fromMillis) us = Math.floor(us / MICROS_PER_MILLI) * MICROS_PER_MILLI;
          const x = fl(us);
          return x === us ? us : add(x, 1);
        }
      : fl;
    const t = args[0];
    const zone = ctx.localTimeZone;
    if (t.kind === 'DATE') return (v: number) => Math.floor(f(v * MICROS_PER_DAY) / MICROS_PER_DAY);
    if (t.kind === 'TIMESTAMP_LTZ') {
      // Before 1900 as Flink (DateTimeUtils.timestampFloor/Ceil with java.util.TimeZone): in the zone's
      // standard offset, added and taken off again (javaUtilOffsetMicros).
      return (v: number) => {
        if (v >= UTC1900) return localToInstant(f(instantToLocal(v, zone)), zone);
        const o = javaUtilOffsetMicros(v, zone);
        return f(v + o) - o;
      };
    }
    if (t.kind === 'TIME') return (v: number) => f(v) % MICROS_PER_DAY;
    return f;
  },
});
export const FLOOR_TO = floorCeil('FLOOR_TO');
export const CEIL_TO = floorCeil('CEIL_TO');

const SUB_DAY = new Set(['HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'MICROSECOND']);

/** TIMESTAMPADD(unit, n, x): unit a constant string; DATE stays DATE for units of a day or more. */
export const TIMESTAMPADD: ScalarFunctionDef = {
  name: 'TIMESTAMPADD',
  strict: true,
  deterministic: true,
  returnType(args, constants) {
    checkArgs('TIMESTAMPADD', "TIMESTAMPADD(unit 'DAY'|'HOUR'|…, INT, DATE | TIME | TIMESTAMP)", args, [STR, INTEGER, DATETIME]);
    const t = args[2];
    const nullable = anyNullable(args.slice(1));
    if (t.kind === 'DATE' && constants && typeof constants[0] === 'string' && SUB_DAY.has(normalizeUnit(constants[0], 'TIMESTAMPADD'))) {
      return { kind: 'TIMESTAMP', precision: normalizeUnit(constants[0], 'TIMESTAMPADD') === 'SECOND' || normalizeUnit(constants[0], 'TIMESTAMPADD') === 'MINUTE' || normalizeUnit(constants[0], 'TIMESTAMPADD') === 'HOUR' ? 0 : 3, nullable };
    }
    return { ...t, nullable } as LogicalType;
  },
  create(args, ctx): AnyFn {
    const unit = normalizeUnit(ctx.constantArgs[0], 'TIMESTAMPADD');
    const add = addUnit(unit);
    const t = args[2];
    if (t.kind === 'DATE') {
      if (SUB_DAY.has(unit)) return (_u: string, n: number, v: number) => add(v * MICROS_PER_DAY, n);
      const months = MONTH_UNITS[unit];
      if (months !== undefined) return (_u: string, n: number, v: number) => addMonthsDays(v, n * months);
      const days = FIXED_UNITS[unit] / MICROS_PER_DAY;
      return (_u: string, n: number, v: number) => v + n * days;
    }
    if (t.kind === 'TIME') return (_u: string, n: number, v: number) => ((add(v, n) % MICROS_PER_DAY) + MICROS_PER_DAY) % MICROS_PER_DAY;
    // A TIMESTAMP_LTZ moves in UTC's calendar, as Flink's (months are added to the instant's UTC
    // date and time, whatever the session zone: 11:00Z stays 11:00Z, 12:00 CET becomes 13:00 CEST).
    return (_u: string, n: number, v: number) => add(v, n);
  },
};

/** Whole months from day d1 to day d0 (d0 − d1), counting a month once adding it does not overshoot. */
function subtractMonthsDays(d0: number, d1: number): number {
  if (d0 < d1) return -subtractMonthsDays(d1, d0);
  let m = Math.trunc((d0 - d1) / 31); // never more than the true value
  for (;;) {
    if (addMonthsDays(d1, m) >= d0) return m;
    if (addMonthsDays(d1, m + 1) > d0) return m;
    m++;
  }
}

/** Whole months from wall-clock micros t1 to t0, Calcite's rule (the time of day breaks ties). */
function monthsBetween(t1: number, t0: number): number {
  const d0 = Math.floor(t0 / MICROS_PER_DAY);
  const d1 = Math.floor(t1 / MICROS_PER_DAY);
  const r0 = t0 - d0 * MICROS_PER_DAY;
  const r1 = t1 - d1 * MICROS_PER_DAY;
  let x = subtractMonthsDays(d0, d1);
  if (addMonthsDays(d1, x) === d0 && r0 < r1) x--;
  return x;
}

/** TIMESTAMPDIFF(unit, a, b): whole units from a to b (INT). */
export const TIMESTAMPDIFF: ScalarFunctionDef = {
  name: 'TIMESTAMPDIFF',
  strict: true,
  deterministic: true,
  returnType(args, constants) {
    checkArgs('TIMESTAMPDIFF', "TIMESTAMPDIFF(unit 'DAY'|'HOUR'|…, DATE | TIMESTAMP, DATE | TIMESTAMP)", args, [STR, DATETIME, DATETIME]);
    // Flink 1.20 types TIMESTAMPDIFF(NANOSECOND, …) BIGINT, every other unit INT.
    if (constants && typeof constants[0] === 'string' && normalizeUnit(constants[0], 'TIMESTAMPDIFF') === 'NANOSECOND') return BIGINT(anyNullable(args.slice(1)));
    return INT(anyNullable(args.slice(1)));
  },
  create(args, ctx): AnyFn {
    const unit = normalizeUnit(ctx.constantArgs[0], 'TIMESTAMPDIFF');
    const zone = ctx.localTimeZone;
    // Two TIMESTAMP_LTZ (Flink takes no other pair with one) are compared as instants, months in
    // UTC's calendar as TIMESTAMPADD adds them.
    const bothLtz = args[1].kind === 'TIMESTAMP_LTZ' && args[2].kind === 'TIMESTAMP_LTZ';
    const la = bothLtz ? (v: number) => v : toLocalMicros(args[1], zone);
    const lb = bothLtz ? (v: number) => v : toLocalMicros(args[2], zone);
    const months = MONTH_UNITS[unit];
    if (months !== undefined) return (_u: string, a: number, b: number) => Math.trunc(monthsBetween(la(a), lb(b)) / months) + 0;
    const ms = (us: number) => Math.floor(us / MICROS_PER_MILLI) * MICROS_PER_MILLI;
    if (unit === 'MICROSECOND' || unit === 'NANOSECOND') {
      // Flink 1.20 counts whole seconds (of the millisecond difference) and scales them:
      // TIMESTAMPDIFF(MICROSECOND, …00.001, …00.003) is 0, over 5 seconds 5000000.
      const secs = (a: number, b: number) => Math.trunc((ms(lb(b)) - ms(la(a))) / MICROS_PER_SECOND);
      if (unit === 'MICROSECOND') return (_u: string, a: number, b: number) => (secs(a, b) * 1_000_000) | 0;
      return (_u: string, a: number, b: number) => wrapLong(BigInt(secs(a, b)) * 1_000_000_000n);
    }
    const fixed = FIXED_UNITS[unit];
    if (fixed === undefined) throw new ValidationError(`TIMESTAMPDIFF: unknown time unit '${unit}'`);
    // Flink 1.20 subtracts the two as milliseconds (each truncated to its millisecond first):
    // TIMESTAMPDIFF(SECOND, …00.999999, …01.999998) is 1. The long result is cast to INT as Java
    // does, wrapping: 124 years in seconds is 375924496 there.
    return (_u: string, a: number, b: number) => Math.trunc((ms(lb(b)) - ms(la(a))) / fixed) | 0;
  },
};

/** DATEDIFF-style helpers often used in Flink jobs. */
export const LAST_DAY: ScalarFunctionDef = {
  name: 'LAST_DAY',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('LAST_DAY', 'LAST_DAY(DATE | TIMESTAMP)', args, [DATETIME]);
    return dateT(anyNullable(args));
  },
  create(args, ctx): AnyFn {
    const local = toLocalMicros(args[0], ctx.localTimeZone);
    return (v: number) => {
      const d = Math.floor(local(v) / MICROS_PER_DAY);
      return addMonthsDays(d - daysToCivil(d, civil)[2] + 1, 1) - 1;
    };
  },
};


/**
 * CURRENT_WATERMARK(rowtime): the watermark of the operator evaluating it, typed as the rowtime
 * (TIMESTAMP(3) or TIMESTAMP_LTZ(3), nullable); NULL before the first watermark. The binder checks
 * that the argument is a rowtime attribute; the value does not depend on the argument's value.
 */
export const CURRENT_WATERMARK: ScalarFunctionDef = {
  name: 'CURRENT_WATERMARK',
  strict: false,
  deterministic: false,
  returnType(args) {
    checkArgs('CURRENT_WATERMARK', 'CURRENT_WATERMARK(rowtime)', args, [TS]);
    return { ...args[0], nullable: true } as LogicalType;
  },
  create(_args, ctx): AnyFn {
    const wm = ctx.currentWatermark;
    if (!wm) return () => null;
    return () => {
      const w = wm();
      return Number.isFinite(w) ? w : null;
    };
  },
};

// ----- TIMESTAMP(7..9) arguments (nanos, a bigint: src/common/nanos.ts) -----------------------------

/**
 * How a function built for micros takes a TIMESTAMP(7..9) argument at `args`: 'micros' reads it
 * truncated to the microsecond (fields, differences, formats up to 6 digits); 'keep' returns a
 * timestamp of the same type that keeps the digits below the microsecond (TIMESTAMPADD); 'floor' /
 * 'ceil' return the timestamp rounded to a unit of a microsecond or more.
 */
function nanosArgs(def: ScalarFunctionDef, args: number[], mode: 'micros' | 'keep' | 'floor' | 'ceil'): ScalarFunctionDef {
  return {
    ...def,
    create(types, ctx) {
      const at = args.filter((i) => types[i] && isNanosType(types[i]));
      if (at.length === 0) return def.create(types, ctx);
      const mtypes = types.map((t, i) => (at.includes(i) ? ({ ...t, precision: 6 } as LogicalType) : t));
      const f = def.create(mtypes, ctx) as AnyFn;
      const i0 = at[0];
      if (mode === 'micros') {
        return (...vs: unknown[]) => {
          for (const i of at) vs[i] = nanosToMicros(vs[i] as bigint);
          return f(...vs);
        };
      }
      return (...vs: unknown[]) => {
        const ns = vs[i0] as bigint;
        const sub = subMicros(ns);
        vs[i0] = nanosToMicros(ns) + (mode === 'ceil' && sub > 0 ? 1 : 0);
        const r = f(...vs) as number;
        return mode === 'keep' ? microsToNanos(r) + BigInt(sub) : microsToNanos(r);
      };
    },
  };
}

export const TIME_FUNCTIONS: ScalarFunctionDef[] = [
  CURRENT_TIMESTAMP, NOW, CURRENT_ROW_TIMESTAMP, PROCTIME, LOCALTIMESTAMP, CURRENT_DATE, CURRENT_TIME, LOCALTIME,
  DATE_FORMAT_NANOS, TO_TIMESTAMP, TO_TIMESTAMP_LTZ, TO_DATE, UNIX_TIMESTAMP, FROM_UNIXTIME, CONVERT_TZ, EXTRACT,
  ...[YEAR, QUARTER, MONTH, WEEK, DAYOFYEAR, DAYOFMONTH, DAYOFWEEK, HOUR, MINUTE, SECOND].map((f) => nanosArgs(f, [0], 'micros')),
  nanosArgs(FLOOR_TO, [0], 'floor'), nanosArgs(CEIL_TO, [0], 'ceil'),
  nanosArgs(TIMESTAMPADD, [2], 'keep'), nanosArgs(TIMESTAMPDIFF, [1, 2], 'micros'), nanosArgs(LAST_DAY, [0], 'micros'),
  CURRENT_WATERMARK,
];
