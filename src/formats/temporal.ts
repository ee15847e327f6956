// Fast, allocation-free parsing and Java-compatible printing of dates, times and timestamps,
// used by the formats (json, csv) and the print connector. Values follow src/common/types.ts:
// DATE = days since epoch, TIME = micros of day, TIMESTAMP/TIMESTAMP_LTZ = micros since epoch.

import { formatNanosMinimal } from '../common/nanos.js';

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_DAY = 86_400_000_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (no validation). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year, month, day of a day number, written into `out` (no allocation). */
export function civilFromDays(z: number, out: Int32Array | number[]): void {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Separator between date and time that a parser accepts. */
export const SEP_SPACE = 1;
export const SEP_T = 2;
export const SEP_ANY = 3;

/** What a parser does with a zone suffix (`Z`, `+02:00`). */
export const ZONE_FORBIDDEN = 0;
/** `Z` is accepted and ignored (the wall clock is UTC); offsets are rejected. */
export const ZONE_Z_ONLY = 1;
/** A zone is optional; when present it is applied (the result is an instant). */
export const ZONE_OPTIONAL = 2;
/** A zone is required (`Z` or an offset) and applied. */
export const ZONE_REQUIRED = 3;

// Parse cursor shared by the helpers below (single-threaded; avoids allocating a result object).
let pos = 0;

function digits(s: string, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(pos + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  pos += n;
  return v;
}

// Set by the parsers below: the second of the day and the nanos of that second of the last time
// read, and the seconds since the epoch of the last timestamp (for TIMESTAMP(7..9): lastNanos()).
let secondOfDay = 0;
let nanoOfSecond = 0;
let epochSeconds = 0;

/** The exact nanos since the epoch of the timestamp parseTimestampStrict last accepted. */
export function lastNanos(): bigint {
  return BigInt(epochSeconds) * 1_000_000_000n + BigInt(nanoOfSecond);
}

/** Parses `HH:mm[:ss[.fffffffff]]` at `pos` (seconds required when `needSeconds`). Micros of day or -1. */
function parseTimeAt(s: string, needSeconds: boolean): number {
  nanoOfSecond = 0;
  const h = digits(s, 2);
  if (h < 0 || h > 23 || s.charCodeAt(pos) !== 58) return -1;
  pos++;
  const mi = digits(s, 2);
  if (mi < 0 || mi > 59) return -1;
  let sec = 0;
  let frac = 0;
  if (s.charCodeAt(pos) === 58) {
    pos++;
    sec = digits(s, 2);
    if (sec < 0 || sec > 59) return -1;
    if (s.charCodeAt(pos) === 46) {
      pos++;
      let n = 0;
      let scale = 100000;
      let nanoScale = 100_000_000;
      for (;;) {
        const c = s.charCodeAt(pos) - 48;
        if (!(c >= 0 && c <= 9)) break;
        if (n < 6) frac += c * scale;
        if (n < 9) nanoOfSecond += c * nanoScale;
        scale /= 10;
        nanoScale /= 10;
        n++;
        pos++;
      }
      if (n === 0 || n > 9) return -1;
    }
  } else if (needSeconds) return -1;
  secondOfDay = (h * 60 + mi) * 60 + sec;
  return ((h * 60 + mi) * 60 + sec) * MICROS_PER_SECOND + frac;
}

/** Parses `yyyy-MM-dd` at `pos`. Days or NaN. */
function parseDateAt(s: string): number {
  let sign = 1;
  if (s.charCodeAt(pos) === 45 || s.charCodeAt(pos) === 43) {
    sign = s.charCodeAt(pos) === 45 ? -1 : 1;
    pos++;
  }
  let y = 0;
  let n = 0;
  for (;;) {
    const c = s.charCodeAt(pos) - 48;
    if (!(c >= 0 && c <= 9)) break;
    y = y * 10 + c;
    pos++;
    n++;
  }
  if (n < 4 || n > 9 || s.charCodeAt(pos) !== 45) return NaN;
  y *= sign;
  pos++;
  const m = digits(s, 2);
  if (m < 1 || m > 12 || s.charCodeAt(pos) !== 45) return NaN;
  pos++;
  const d = digits(s, 2);
  if (d < 1 || d > daysInMonth(y, m)) return NaN;
  return daysFromCivil(y, m, d);
}

/** Parses a zone at `pos`: returns the offset in micros to subtract, 0 for Z, NaN when malformed, undefined when absent. */
function parseZoneAt(s: string): number | undefined {
  const c = s.charCodeAt(pos);
  if (c !== c) return undefined; // end of text
  if (c === 90 || c === 122) {
    pos++;
    return 0;
  }
  if (c !== 43 && c !== 45) return NaN;
  pos++;
  const h = digits(s, 2);
  if (h < 0 || h > 18) return NaN;
  let mi = 0;
  if (pos < s.length) {
    if (s.charCodeAt(pos) === 58) pos++;
    mi = digits(s, 2);
    if (mi < 0 || mi > 59) return NaN;
    if (s.charCodeAt(pos) === 58) {
      pos++;
      if (digits(s, 2) < 0) return NaN;
    }
  }
  const off = (h * 60 + mi) * 60 * MICROS_PER_SECOND;
  return c === 45 ? -off : off;
}

/**
 * Parses a timestamp `yyyy-MM-dd<sep>HH:mm[:ss[.f…]]` (+ zone per `zoneMode`). Returns micros
 * since the epoch, or NaN when the text does not match. `needSeconds` follows Flink's SQL format
 * (`HH:mm:ss` required) versus ISO_LOCAL_TIME (seconds optional).
 */
export function parseTimestampStrict(s: string, sep: number, zoneMode: number, needSeconds: boolean): number {
  pos = 0;
  const days = parseDateAt(s);
  if (days !== days) return NaN;
  const c = s.charCodeAt(pos);
  if (c === 32) {
    if (!(sep & SEP_SPACE)) return NaN;
  } else if (c === 84 || c === 116) {
    if (!(sep & SEP_T)) return NaN;
  } else return NaN;
  pos++;
  const t = parseTimeAt(s, needSeconds);
  if (t < 0) return NaN;
  let micros = days * MICROS_PER_DAY + t;
  epochSeconds = days * 86400 + secondOfDay;
  if (pos === s.length) return zoneMode === ZONE_REQUIRED ? NaN : micros;
  if (zoneMode === ZONE_FORBIDDEN) return NaN;
  const off = parseZoneAt(s);
  if (off === undefined || off !== off || pos !== s.length) return NaN;
  if (zoneMode === ZONE_Z_ONLY) return off === 0 && (s.charCodeAt(s.length - 1) | 32) === 122 ? micros : NaN;
  micros -= off;
  epochSeconds -= off / MICROS_PER_SECOND;
  return micros;
}

/**
 * parseTimestampStrict(s, sep, zoneMode, needSeconds) with a fast path for consecutive values in the
 * same minute: once a text of the shape `yyyy-MM-dd?HH:mm:ss[.SSS]` (4-digit year, no zone) is
 * accepted, a later text with the same first 17 characters and valid `ss[.SSS]` after them is
 * computed from that minute (the full parser would accept it and give the same micros). Other texts
 * go to the full parser. Not for TIMESTAMP(7..9): lastNanos() is only set by the full parser.
 */
export function timestampParser(sep: number, zoneMode: number, needSeconds: boolean): (s: string) => number {
  let prefix = '';
  let minuteMicros = 0;
  // A required zone is never in the fast path's shape.
  if (zoneMode === ZONE_REQUIRED) return (s) => parseTimestampStrict(s, sep, zoneMode, needSeconds);
  return (s) => {
    const len = s.length;
    if ((len === 23 || len === 19) && s.startsWith(prefix) && prefix !== '') {
      const s1 = s.charCodeAt(17) - 48;
      const s2 = s.charCodeAt(18) - 48;
      if (s1 >= 0 && s1 <= 5 && s2 >= 0 && s2 <= 9) {
        const sec = s1 * 10 + s2;
        if (len === 19) return minuteMicros + sec * MICROS_PER_SECOND;
        const f1 = s.charCodeAt(20) - 48;
        const f2 = s.charCodeAt(21) - 48;
        const f3 = s.charCodeAt(22) - 48;
        if (s.charCodeAt(19) === 46 && f1 >= 0 && f1 <= 9 && f2 >= 0 && f2 <= 9 && f3 >= 0 && f3 <= 9) {
          return minuteMicros + sec * MICROS_PER_SECOND + (f1 * 100 + f2 * 10 + f3) * 1000;
        }
      }
    }
    const micros = parseTimestampStrict(s, sep, zoneMode, needSeconds);
    // Accepted with the plain shape: its minute is the next texts' fast path.
    if (micros === micros && (len === 23 || len === 19) && s.charCodeAt(4) === 45 && s.charCodeAt(16) === 58 && (len === 19 || s.charCodeAt(19) === 46)) {
      prefix = s.slice(0, 17);
      minuteMicros = micros - (secondOfDay % 60) * MICROS_PER_SECOND - (len === 23 ? nanoOfSecond / 1000 : 0);
    }
    return micros;
  };
}

/** `yyyy-MM-dd` → days since the epoch, or NaN. */
export function parseDateStrict(s: string): number {
  pos = 0;
  const d = parseDateAt(s);
  return pos === s.length ? d : NaN;
}

/** `HH:mm[:ss[.f…]]` → micros of the day, or NaN. */
export function parseTimeStrict(s: string, needSeconds = false): number {
  pos = 0;
  const t = parseTimeAt(s, needSeconds);
  return t >= 0 && pos === s.length ? t : NaN;
}

/** Micros of the day cut to `precision` fraction digits (a TIME(p) column reads its text to p digits). */
export function truncateTime(micros: number, precision: number): number {
  if (precision >= 6) return micros;
  const unit = 10 ** (6 - precision);
  return micros - (micros % unit);
}

// ---------------------------------------------------------------------------------------------
// Printing

const ymd = new Int32Array(3);

function pad2(n: number): string {
  return n < 10 ? '0' + n : '' + n;
}

function yearString(y: number): string {
  if (y >= 1000 && y <= 9999) return '' + y;
  if (y >= 0 && y < 1000) return ('000' + y).slice(-4);
  if (y > 9999) return '+' + y;
  return '-' + ('000' + -y).slice(-4);
}

/** `2025-12-29` (Java's LocalDate.toString / ISO_LOCAL_DATE). */
export function formatDateIso(days: number): string {
  civilFromDays(days, ymd);
  return yearString(ymd[0]) + '-' + pad2(ymd[1]) + '-' + pad2(ymd[2]);
}

/** Fraction of a second with trailing zeros removed (Java's appendFraction(NANO, 0, 9, true)): '' or '.5', '.123456'. */
function fractionMinimal(micros: number): string {
  if (micros === 0) return '';
  let s = ('00000' + micros).slice(-6);
  let end = 6;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  s = s.slice(0, end);
  return '.' + s;
}

/** Fraction as Java's LocalTime.toString prints it: in groups of 3 digits. */
function fractionJava(micros: number): string {
  if (micros === 0) return '';
  if (micros % 1000 === 0) return '.' + ('00' + micros / 1000).slice(-3);
  return '.' + ('00000' + micros).slice(-6);
}

// The date text of the last day printed: timestamps in a stream mostly share a few days.
let lastDay = NaN;
let lastDayText = '';

function dayText(days: number): string {
  if (days !== lastDay) {
    lastDayText = formatDateIso(days);
    lastDay = days;
  }
  return lastDayText;
}

/** `HH:mm:ss[.fraction]` with the fraction minimal (Flink's SQL_TIME_FORMAT / ISO_LOCAL_TIME when formatting). */
export function formatTimeMinimal(microsOfDay: number): string {
  const secs = Math.floor(microsOfDay / MICROS_PER_SECOND);
  const frac = microsOfDay - secs * MICROS_PER_SECOND;
  return pad2(Math.floor(secs / 3600)) + ':' + pad2(Math.floor(secs / 60) % 60) + ':' + pad2(secs % 60) + fractionMinimal(frac);
}

/** Java's LocalTime.toString: `10:00`, `10:00:05`, `10:00:05.100`, `10:00:05.000123`. */
export function formatTimeJava(microsOfDay: number): string {
  const secs = Math.floor(microsOfDay / MICROS_PER_SECOND);
  const frac = microsOfDay - secs * MICROS_PER_SECOND;
  const s = secs % 60;
  let out = pad2(Math.floor(secs / 3600)) + ':' + pad2(Math.floor(secs / 60) % 60);
  if (s !== 0 || frac !== 0) out += ':' + pad2(s) + fractionJava(frac);
  return out;
}

/** Flink JSON/CSV timestamp text: `2025-12-29 10:00:00` (sep ' ') or `2025-12-29T10:00:00.5` (sep 'T'), plus `suffix` (e.g. 'Z'). */
export function formatTimestampFlink(micros: number, sep: string, suffix = ''): string {
  const days = Math.floor(micros / MICROS_PER_DAY);
  return dayText(days) + sep + formatTimeMinimal(micros - days * MICROS_PER_DAY) + suffix;
}

/** formatTimestampFlink for a TIMESTAMP(7..9) (nanos since the epoch, a bigint). */
export function formatNanosFlink(ns: bigint, sep: string, suffix = ''): string {
  return formatNanosMinimal(ns, sep) + suffix;
}

/** Java's LocalDateTime.toString: `2025-12-29T10:00`, `2025-12-29T10:00:10.500`. */
export function formatLocalDateTimeJava(micros: number): string {
  const days = Math.floor(micros / MICROS_PER_DAY);
  return dayText(days) + 'T' + formatTimeJava(micros - days * MICROS_PER_DAY);
}

/** Java's Instant.toString: `2025-12-29T10:00:00Z`, `2025-12-29T10:00:00.500Z` (seconds always shown). */
export function formatInstantJava(micros: number): string {
  const days = Math.floor(micros / MICROS_PER_DAY);
  const tod = micros - days * MICROS_PER_DAY;
  const secs = Math.floor(tod / MICROS_PER_SECOND);
  const frac = tod - secs * MICROS_PER_SECOND;
  return (
    dayText(days) + 'T' + pad2(Math.floor(secs / 3600)) + ':' + pad2(Math.floor(secs / 60) % 60) + ':' + pad2(secs % 60) + fractionJava(frac) + 'Z'
  );
}
