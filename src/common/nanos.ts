// TIMESTAMP(p) and TIMESTAMP_LTZ(p) with p = 7..9 (src/common/types.ts): nanoseconds since the epoch,
// always a bigint (never a number, so a nanos value that reaches code written for micros fails with
// a TypeError instead of being read 1000 times too large). p ≤ 6 stays micros in a number.
// These helpers convert between the two and print/parse the nanosecond form exactly over Flink's
// whole range (years 0000–9999, where micros in a double are no longer exact).
import type { LogicalType } from './types.js';
import { civilToDays, daysToCivil, instantToLocal, localToInstant } from './time.js';

export const NANOS_PER_SECOND = 1_000_000_000n;
export const NANOS_PER_DAY = 86_400_000_000_000n;

/** Whether values of this type are nanoseconds (a bigint): TIMESTAMP(7..9), TIMESTAMP_LTZ(7..9). */
export function isNanosType(t: LogicalType): boolean {
  return (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.precision > 6;
}

export function microsToNanos(us: number): bigint {
  return BigInt(us) * 1000n;
}

/** floor(ns / 1000): the micros of a nanos value (the sub-microsecond digits dropped, as Flink's CAST truncates). */
export function nanosToMicros(ns: bigint): number {
  const q = ns / 1000n;
  return Number(ns < 0n && q * 1000n !== ns ? q - 1n : q);
}

/** The digits below the microsecond (0..999) of a nanos value. */
export function subMicros(ns: bigint): number {
  const r = Number(ns % 1000n);
  return r < 0 ? r + 1000 : r;
}

const POW10N = [1n, 10n, 100n, 1000n, 10000n, 100000n, 1000000n, 10000000n, 100000000n, 1000000000n];

/** Truncates nanos to `precision` (0..9) fraction digits, towards the past (Flink's CAST between precisions). */
export function truncateNanos(ns: bigint, precision: number): bigint {
  if (precision >= 9) return ns;
  const f = POW10N[9 - precision];
  let r = ns % f;
  if (r === 0n) return ns;
  if (r < 0n) r += f;
  return ns - r;
}

/**
 * Nanos cut to precision 7 or 8 as Flink 1.20's DateTimeUtils.truncate (a CAST between
 * TIMESTAMP(9) and a lower precision): as truncateNanos, except that a nano-of-second of at most
 * `precision` decimal digits (the number's, without leading zeros) is kept as it is.
 */
export function flinkTruncateNanos(ns: bigint, precision: number): bigint {
  let n = ns % NANOS_PER_SECOND;
  if (n < 0n) n += NANOS_PER_SECOND;
  return String(n).length <= precision ? ns : truncateNanos(ns, precision);
}

/** Seconds since the epoch (floor) and the nanos of that second, written into `out`. */
export function splitNanos(ns: bigint, out: number[]): void {
  let s = ns / NANOS_PER_SECOND;
  let n = ns - s * NANOS_PER_SECOND;
  if (n < 0n) {
    s -= 1n;
    n += NANOS_PER_SECOND;
  }
  out[0] = Number(s);
  out[1] = Number(n);
}

/** Nanos from seconds since the epoch and the nanos of the second. */
export function joinNanos(seconds: number, nanoOfSecond: number): bigint {
  return BigInt(seconds) * NANOS_PER_SECOND + BigInt(nanoOfSecond);
}

const P2: string[] = [];
for (let i = 0; i < 100; i++) P2.push(i < 10 ? '0' + i : String(i));
const scratch = [0, 0];
const civil = [0, 0, 0];

function yearText(y: number): string {
  if (y >= 1000 && y <= 9999) return String(y);
  const a = Math.abs(y);
  return (y < 0 ? '-' : '') + String(a).padStart(4, '0');
}

/** `yyyy-MM-dd HH:mm:ss.fffffffff` with exactly `precision` fraction digits (0..9), for wall-clock nanos. */
export function formatNanos(ns: bigint, precision: number, sep = ' '): string {
  splitNanos(ns, scratch);
  const secs = scratch[0];
  const days = Math.floor(secs / 86400);
  const sod = secs - days * 86400;
  daysToCivil(days, civil);
  const h = Math.floor(sod / 3600);
  const m = Math.floor((sod - h * 3600) / 60);
  const text = yearText(civil[0]) + '-' + P2[civil[1]] + '-' + P2[civil[2]] + sep + P2[h] + ':' + P2[m] + ':' + P2[sod - h * 3600 - m * 60];
  if (precision <= 0) return text;
  return text + '.' + String(scratch[1]).padStart(9, '0').slice(0, precision);
}

/** The fraction of a second as Java's minimal form prints it: '' or '.5', '.123456789'. */
export function minimalFraction(nanoOfSecond: number): string {
  if (nanoOfSecond === 0) return '';
  let s = String(nanoOfSecond).padStart(9, '0');
  let end = 9;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  s = s.slice(0, end);
  return '.' + s;
}

/** Java's fraction printing of LocalTime/Instant.toString: groups of 3 digits ('.100', '.123456', '.123456789'). */
export function javaFraction(nanoOfSecond: number): string {
  if (nanoOfSecond === 0) return '';
  const s = String(nanoOfSecond).padStart(9, '0');
  if (nanoOfSecond % 1_000_000 === 0) return '.' + s.slice(0, 3);
  if (nanoOfSecond % 1000 === 0) return '.' + s.slice(0, 6);
  return '.' + s;
}

/** `yyyy-MM-dd<sep>HH:mm:ss[.fraction]` with the fraction in Java's minimal form (Flink's JSON/CSV text). */
export function formatNanosMinimal(ns: bigint, sep: string): string {
  splitNanos(ns, scratch);
  const nos = scratch[1];
  return formatNanos(joinNanos(scratch[0], 0), 0, sep) + minimalFraction(nos);
}

/** Java's LocalDateTime.toString of wall-clock nanos: `2025-12-29T10:00`, `…T10:00:01.123456789`. */
export function localDateTimeJavaNanos(ns: bigint): string {
  splitNanos(ns, scratch);
  const nos = scratch[1];
  const text = formatNanos(joinNanos(scratch[0], 0), 0, 'T');
  return nos === 0 && text.endsWith(':00') ? text.slice(0, -3) : text + javaFraction(nos);
}

/** Java's Instant.toString of nanos: `2025-12-29T10:00:00Z`, `…T10:00:01.123456789Z`. */
export function instantJavaNanos(ns: bigint): string {
  splitNanos(ns, scratch);
  const nos = scratch[1];
  return formatNanos(joinNanos(scratch[0], 0), 0, 'T') + javaFraction(nos) + 'Z';
}

/** Wall-clock nanos in `zone` of an instant in nanos (TIMESTAMP_LTZ → TIMESTAMP). */
export function instantToLocalNanos(ns: bigint, zone: string): bigint {
  const us = nanosToMicros(ns);
  return ns + BigInt(instantToLocal(us, zone) - us) * 1000n;
}

/** The instant in nanos of wall-clock nanos in `zone` (TIMESTAMP → TIMESTAMP_LTZ). */
export function localToInstantNanos(ns: bigint, zone: string): bigint {
  const us = nanosToMicros(ns);
  return ns + BigInt(localToInstant(us, zone) - us) * 1000n;
}

/** Days since the epoch of (wall-clock) nanos. */
export function nanosToDays(ns: bigint): number {
  const d = ns / NANOS_PER_DAY;
  return Number(ns < 0n && d * NANOS_PER_DAY !== ns ? d - 1n : d);
}

/** Micros of the day of (wall-clock) nanos (sub-microsecond digits dropped). */
export function nanosTimeOfDayMicros(ns: bigint): number {
  return Number((((ns % NANOS_PER_DAY) + NANOS_PER_DAY) % NANOS_PER_DAY) / 1000n);
}

export function daysToNanos(days: number): bigint {
  return BigInt(days) * NANOS_PER_DAY;
}

const TS_NANOS_RE = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ Tt](\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*$/;

/** Wall-clock nanos of `yyyy-MM-dd HH:mm:ss[.fffffffff]` (no zone), or undefined. Month/day are checked by the caller. */
export function parseNanosText(text: string): bigint | undefined {
  const m = TS_NANOS_RE.exec(text);
  if (!m) return undefined;
  const days = civilToDays(Number(m[1]), Number(m[2]), Number(m[3]));
  const secs = days * 86400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]);
  return joinNanos(secs, Number(((m[7] ?? '') + '000000000').slice(0, 9)));
}
