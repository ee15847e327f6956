// Time values are numbers of microseconds since the epoch (DESIGN.md: exact until 2255).

export const MICROS_PER_MILLI = 1000;
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60_000_000;
export const MICROS_PER_HOUR = 3_600_000_000;
export const MICROS_PER_DAY = 86_400_000_000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2025-12-29 10:00:00.000` (precision = digits of fraction, Flink's print style). */
export function formatTimestamp(micros: number, precision = 3): string {
  const ms = Math.floor(micros / 1000);
  const d = new Date(ms);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (precision <= 0) return base;
  const frac = ((micros % MICROS_PER_SECOND) + MICROS_PER_SECOND) % MICROS_PER_SECOND;
  const digits = pad(frac, 6).slice(0, Math.min(precision, 6));
  return `${base}.${digits}${precision > 6 ? '0'.repeat(precision - 6) : ''}`;
}

/** ISO-8601 with a `T` (and `Z` when `utc`), as JSON formats write it. */
export function formatTimestampIso(micros: number, precision = 3, utc = false): string {
  return formatTimestamp(micros, precision).replace(' ', 'T') + (utc ? 'Z' : '');
}

export function formatDate(days: number): string {
  const d = new Date(days * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function formatTime(microsOfDay: number, precision = 0): string {
  const s = Math.floor(microsOfDay / MICROS_PER_SECOND);
  const base = `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  if (precision <= 0) return base;
  return `${base}.${pad(microsOfDay % MICROS_PER_SECOND, 6).slice(0, precision)}`;
}

const TS_RE = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i;

/**
 * Parses `2025-12-29 10:00:00`, `2025-12-29T10:00:00.123`, `2024-12-31T10:00:00Z`,
 * `…+02:00`. Returns micros since the epoch (an offset or Z is applied; without one the
 * wall-clock time is read as UTC), or undefined when the text is not a timestamp.
 */
export function parseTimestamp(text: string): number | undefined {
  const m = TS_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  // Reject dates that roll over (Feb 30). Not Date.UTC: it reads years 0..99 as 1900..1999.
  if (day > daysInMonth(Number(y), month)) return undefined;
  const ms = (civilToDays(Number(y), month, day) * 86_400 + Number(h) * 3600 + Number(mi) * 60 + Number(s)) * 1000;
  let micros = ms * 1000 + Number((frac + '000000').slice(0, 6));
  if (zone && zone.toUpperCase() !== 'Z') {
    const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    const off = (Number(zm[2]) * 60 + Number(zm[3] ?? '0')) * MICROS_PER_MINUTE;
    micros -= zm[1] === '+' ? off : -off;
  }
  return micros;
}

/** Whether the text carries a zone (Z or an offset). */
export function hasZone(text: string): boolean {
  const m = TS_RE.exec(text);
  return !!m && !!m[8];
}

export function parseDate(text: string): number | undefined {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  if (!m) return undefined;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  const day = Number(m[3]);
  if (day < 1 || day > daysInMonth(Number(m[1]), month)) return undefined;
  return civilToDays(Number(m[1]), month, day);
}

export function parseTime(text: string): number | undefined {
  const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3] ?? '0');
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return ((h * 60 + mi) * 60 + s) * MICROS_PER_SECOND + Number(((m[4] ?? '') + '000000').slice(0, 6));
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic, time zones and Java-style date patterns (added for src/functions).
// ---------------------------------------------------------------------------------------------

/** Days since 1970-01-01 for a proleptic Gregorian date (month 1–12). */
export function civilToDays(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year of a day number (days since 1970-01-01). */
export function daysToYear(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return yoe + era * 400 + (m <= 2 ? 1 : 0);
}

/** Writes [year, month (1–12), day] of a day number into `out` (no allocation) and returns it. */
export function daysToCivil(days: number, out: number[] = [0, 0, 0]): number[] {
  const z = days + 719468;
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
  return out;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** 1 = Sunday … 7 = Saturday (SQL DAYOFWEEK) for a day number. */
export function dayOfWeek(days: number): number {
  return ((((days + 4) % 7) + 7) % 7) + 1;
}

/** Adds calendar months to a wall-clock timestamp in micros, clamping the day (Jan 31 + 1 month = Feb 28/29). */
export function addMonthsMicros(micros: number, months: number): number {
  const days = Math.floor(micros / MICROS_PER_DAY);
  const tod = micros - days * MICROS_PER_DAY;
  return addMonthsDays(days, months) * MICROS_PER_DAY + tod;
}

/** Adds calendar months to a day number, clamping the day of month. */
const addMonthsScratch = [0, 0, 0];
export function addMonthsDays(days: number, months: number): number {
  const c = daysToCivil(days, addMonthsScratch);
  const total = c[0] * 12 + (c[1] - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return civilToDays(y, m, Math.min(c[2], daysInMonth(y, m)));
}

const FIXED_ZONE_RE = /^(?:UTC|GMT|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** A region zone: its formatter and a direct-mapped cache of offsets per 15-minute bucket. */
interface RegionZone {
  fmt: Intl.DateTimeFormat;
  keys: Float64Array;
  vals: Float64Array;
}
const ZONE_CACHE_SIZE = 4096;
const zoneEntries = new Map<string, RegionZone | number>();
let lastZoneName = '';
let lastZoneEntry: RegionZone | number = 0;

function zoneEntry(zone: string): RegionZone | number {
  if (zone === lastZoneName) return lastZoneEntry;
  let e = zoneEntries.get(zone);
  if (e === undefined) {
    const up = zone.toUpperCase();
    if (up === 'UTC' || up === 'Z' || up === 'GMT' || up === 'UT' || up === 'ETC/UTC' || up === 'ETC/GMT') e = 0;
    else {
      const m = FIXED_ZONE_RE.exec(zone);
      if (m) e = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? '0')) * MICROS_PER_MINUTE;
      else {
        const fmt = new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
          era: 'short',
        });
        e = { fmt, keys: new Float64Array(ZONE_CACHE_SIZE).fill(NaN), vals: new Float64Array(ZONE_CACHE_SIZE) };
      }
    }
    zoneEntries.set(zone, e);
  }
  lastZoneName = zone;
  lastZoneEntry = e;
  return e;
}

/** Whether `zone` is a valid time zone (IANA name, UTC, or a fixed offset such as +08:00). */
export function isValidTimeZone(zone: string): boolean {
  try {
    zoneEntry(zone);
    return true;
  } catch {
    return false;
  }
}

const OFFSET_BUCKET = 15 * MICROS_PER_MINUTE;

function computeOffset(fmt: Intl.DateTimeFormat, ms: number): number {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, bc = false;
  for (const p of fmt.formatToParts(new Date(ms))) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
      case 'era': bc = p.value.startsWith('B'); break;
    }
  }
  if (bc) y = 1 - y;
  const local = (civilToDays(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000;
  return (local - ms) * 1000;
}

/** The zone's offset from UTC in micros at an instant (micros since the epoch). */
export function zoneOffsetMicros(instantMicros: number, zone: string): number {
  const e = zoneEntry(zone);
  if (typeof e === 'number') return e;
  const bucket = Math.floor(instantMicros / OFFSET_BUCKET);
  const slot = ((bucket % ZONE_CACHE_SIZE) + ZONE_CACHE_SIZE) % ZONE_CACHE_SIZE;
  if (e.keys[slot] === bucket) return e.vals[slot];
  const off = computeOffset(e.fmt, bucket * (OFFSET_BUCKET / 1000));
  e.keys[slot] = bucket;
  e.vals[slot] = off;
  return off;
}

/** An instant as wall-clock micros in `zone` (TIMESTAMP_LTZ → TIMESTAMP). */
export function instantToLocal(instantMicros: number, zone: string): number {
  return instantMicros + zoneOffsetMicros(instantMicros, zone);
}

/**
 * Wall-clock micros in `zone` as an instant (TIMESTAMP → TIMESTAMP_LTZ); gaps move forward, a time
 * that repeats (fall-back) is its earlier instant as java.time takes it, or with `later` its later
 * one, as java.util's calendar (SimpleDateFormat: Flink's UNIX_TIMESTAMP and CONVERT_TZ) takes it.
 */
export function localToInstant(localMicros: number, zone: string, later = false): number {
  const e = zoneEntry(zone);
  if (typeof e === 'number') return localMicros - e;
  const before = zoneOffsetMicros(localMicros - MICROS_PER_DAY, zone);
  const after = zoneOffsetMicros(localMicros + MICROS_PER_DAY, zone);
  const o1 = zoneOffsetMicros(localMicros - zoneOffsetMicros(localMicros, zone), zone);
  if (before === after && zoneOffsetMicros(localMicros - o1, zone) === o1) return localMicros - o1;
  // Near a transition: among the offsets in effect around this time, the valid ones map back to
  // the same wall clock; an overlap takes the earlier instant, a gap shifts forward (as java.time).
  let best: number | undefined;
  let min = Infinity;
  for (const o of [before, after, o1]) {
    if (o < min) min = o;
    if (zoneOffsetMicros(localMicros - o, zone) === o && (best === undefined || (later ? o < best : o > best))) best = o;
  }
  return localMicros - (best ?? min);
}

/**
 * Java's TimeZone.useDaylightTime(): whether the zone observes daylight saving time now or later
 * (its offset changes within this year or the next). False for UTC and fixed offsets, and for zones
 * that used DST only in the past (Asia/Shanghai, Asia/Kolkata).
 */
export function zoneUsesDaylightTime(zone: string): boolean {
  let v = dstZones.get(zone);
  if (v === undefined) {
    v = false;
    if (typeof zoneEntry(zone) !== 'number') {
      const y = new Date().getUTCFullYear();
      const first = zoneOffsetMicros(Date.UTC(y, 0, 1) * 1000, zone);
      for (let m = 1; m < 24 && !v; m++) v = zoneOffsetMicros(Date.UTC(y, m, 1) * 1000, zone) !== first;
    }
    dstZones.set(zone, v);
  }
  return v;
}
const dstZones = new Map<string, boolean>();

/**
 * The instant at which a window of a TIMESTAMP_LTZ time attribute fires, for `localMicros` (its end
 * − 1 ms, wall clock of `zone`): Flink's TimeWindowUtil.toEpochMillsForTimer. In a zone that observes
 * DST, a time in the spring-forward gap fires at the hour its instant falls in (the first instant
 * after the gap), and a time of the repeated fall-back hour at its later instant (after both hours);
 * elsewhere the time as an instant (localToInstant).
 */
export function windowTriggerInstant(localMicros: number, zone: string): number {
  const t1 = localToInstant(localMicros, zone);
  if (!zoneUsesDaylightTime(zone)) return t1;
  const t2 = localToInstant(localMicros + MICROS_PER_HOUR, zone);
  if (t1 === t2) return t1 - (t1 % MICROS_PER_HOUR); // Java's % (toward zero), as Flink's
  return t2 - t1 > MICROS_PER_HOUR ? t1 + MICROS_PER_HOUR : t1;
}

/**
 * A progress (a watermark or processing time: an instant, micros) as the wall clock of `zone` that
 * window ends are compared with: the latest millisecond x whose windowTriggerInstant is at or before
 * it, so that a window of end e has fired once e − 1 ms ≤ x (windowTriggerInstant never decreases).
 */
export function localProgress(instantMicros: number, zone: string): number {
  if (!Number.isFinite(instantMicros)) return instantMicros;
  const fits = (x: number) => windowTriggerInstant(x, zone) <= instantMicros;
  const guess = Math.floor(instantToLocal(instantMicros, zone) / MICROS_PER_MILLI) * MICROS_PER_MILLI;
  if (fits(guess) && !fits(guess + MICROS_PER_MILLI)) return guess;
  // Near a transition: a binary search over the milliseconds of two days around it.
  let lo = guess - MICROS_PER_DAY; // fits
  let hi = guess + MICROS_PER_DAY; // does not fit
  while (hi - lo > MICROS_PER_MILLI) {
    const mid = lo + Math.floor((hi - lo) / 2 / MICROS_PER_MILLI) * MICROS_PER_MILLI;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type PatternPart = { letter: string; count: number } | string;

/** Splits a Java SimpleDateFormat / DateTimeFormatter pattern into letter runs and literals. */
export function tokenizeDatePattern(pattern: string): PatternPart[] {
  const parts: PatternPart[] = [];
  let i = 0;
  let lit = '';
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        lit += "'";
        i += 2;
        continue;
      }
      // A quoted literal; '' inside it is one quote ('it''s' → it's).
      let j = i + 1;
      for (;;) {
        const end = pattern.indexOf("'", j);
        const stop = end < 0 ? pattern.length : end;
        lit += pattern.slice(j, stop);
        if (end >= 0 && pattern[end + 1] === "'") {
          lit += "'";
          j = end + 2;
          continue;
        }
        i = stop + 1;
        break;
      }
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      let j = i;
      while (j < pattern.length && pattern[j] === c) j++;
      if (lit) parts.push(lit), (lit = '');
      parts.push({ letter: c, count: j - i });
      i = j;
      continue;
    }
    lit += c;
    i++;
  }
  if (lit) parts.push(lit);
  return parts;
}

const PAD2: string[] = [];
for (let i = 0; i < 100; i++) PAD2.push(i < 10 ? '0' + i : String(i));
const padN = (n: number, w: number) => {
  if (w <= 2 && n >= 0 && n < 100) return w === 2 || n >= 10 ? PAD2[n] : String(n);
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (s.length >= w ? s : '0'.repeat(w - s.length) + s);
};

function formatOffset(offMicros: number, colon: boolean, zForZero: boolean): string {
  if (offMicros === 0 && zForZero) return 'Z';
  const mins = Math.round(offMicros / MICROS_PER_MINUTE);
  const a = Math.abs(mins);
  return (mins < 0 ? '-' : '+') + padN(Math.floor(a / 60), 2) + (colon ? ':' : '') + padN(a % 60, 2);
}

/**
 * Compiles a Java date pattern (`yyyy-MM-dd HH:mm:ss.SSS`, `EEE, d MMM yyyy`, …) into a
 * formatter of wall-clock micros. `offsetMicros` (for Z/X/x letters) is the zone offset.
 */
export function compileDateFormatter(pattern: string): (localMicros: number, offsetMicros?: number, subMicros?: number) => string {
  const parts = tokenizeDatePattern(pattern);
  const civil = [0, 0, 0];
  // The digits below the microsecond (0..999) of a TIMESTAMP(7..9), for S beyond 6 letters.
  let sub = 0;
  const fns: ((us: number, days: number, off: number) => string)[] = parts.map((p) => {
    if (typeof p === 'string') return () => p;
    const n = p.count;
    switch (p.letter) {
      case 'y':
      case 'u':
      case 'Y':
        return () => {
          const y = civil[0];
          return n === 2 ? padN(((y % 100) + 100) % 100, 2) : padN(y, n);
        };
      case 'M':
      case 'L':
        return () => {
          const m = civil[1];
          return n >= 4 ? MONTHS_LONG[m - 1] : n === 3 ? MONTHS_SHORT[m - 1] : padN(m, n);
        };
      case 'd':
        return () => padN(civil[2], n);
      case 'D':
        return (_us, days) => padN(days - civilToDays(daysToYear(days), 1, 1) + 1, n);
      case 'E':
        return (_us, days) => (n >= 4 ? DAYS_LONG : DAYS_SHORT)[dayOfWeek(days) - 1];
      case 'e':
      case 'c':
        return (_us, days) => padN(dayOfWeek(days), n);
      case 'a':
        return (us) => (Math.floor(us / MICROS_PER_HOUR) < 12 ? 'AM' : 'PM');
      case 'H':
        return (us) => padN(Math.floor(us / MICROS_PER_HOUR), n);
      case 'k':
        return (us) => padN(Math.floor(us / MICROS_PER_HOUR) || 24, n);
      case 'K':
        return (us) => padN(Math.floor(us / MICROS_PER_HOUR) % 12, n);
      case 'h':
        return (us) => padN(Math.floor(us / MICROS_PER_HOUR) % 12 || 12, n);
      case 'm':
        return (us) => padN(Math.floor(us / MICROS_PER_MINUTE) % 60, n);
      case 's':
        return (us) => padN(Math.floor(us / MICROS_PER_SECOND) % 60, n);
      case 'S':
        return (us) => {
          const f = padN(us % MICROS_PER_SECOND, 6);
          return n <= 6 ? f.slice(0, n) : n <= 9 ? (f + padN(sub, 3)).slice(0, n) : f + padN(sub, 3) + '0'.repeat(n - 9);
        };
      case 'Z':
        return (_us, _d, off) => (n >= 4 ? 'GMT' + formatOffset(off, true, false) : formatOffset(off, false, false));
      case 'X':
        return (_us, _d, off) => (n === 1 ? formatOffset(off, false, true).slice(0, off === 0 ? 1 : 3) : formatOffset(off, n >= 3, true));
      case 'x':
        return (_us, _d, off) => formatOffset(off, n >= 3, false);
      case 'z':
      case 'V':
      case 'O':
        return (_us, _d, off) => (off === 0 ? 'UTC' : 'GMT' + formatOffset(off, true, false));
      case 'G':
        return (_us, days) => (daysToYear(days) > 0 ? 'AD' : 'BC');
      case 'Q':
      case 'q':
        return () => padN(Math.floor((civil[1] - 1) / 3) + 1, n);
      case 'w':
        return (_us, days) => padN(isoWeek(days), n);
      default:
        throw new Error(`unsupported date pattern letter '${p.letter}' in '${pattern}'`);
    }
  });
  return (localMicros: number, offsetMicros = 0, subMicros = 0) => {
    sub = subMicros;
    const days = Math.floor(localMicros / MICROS_PER_DAY);
    const us = localMicros - days * MICROS_PER_DAY;
    daysToCivil(days, civil);
    let out = '';
    for (let i = 0; i < fns.length; i++) out += fns[i](us, days, offsetMicros);
    return out;
  };
}

/** ISO-8601 week of the year (1–53) of a day number. */
export function isoWeek(days: number): number {
  const dow = ((((days + 3) % 7) + 7) % 7) + 1; // 1 = Monday … 7 = Sunday
  const thursday = days - dow + 4;
  const y = daysToYear(thursday);
  return Math.floor((thursday - civilToDays(y, 1, 1)) / 7) + 1;
}

/** ISO-8601 week-based year of a day number. */
export function isoYear(days: number): number {
  const dow = ((((days + 3) % 7) + 7) % 7) + 1;
  return daysToYear(days - dow + 4);
}

/**
 * Compiles a Java date pattern into a parser: text → wall-clock micros (or, when the text
 * carries an offset via Z/X/x, the instant as UTC micros), or undefined when it does not match.
 * `allowTrailing` ignores text after the pattern (SimpleDateFormat's behaviour).
 */
export function compileDateParser(pattern: string, allowTrailing = false): (text: string) => number | undefined {
  const parts = tokenizeDatePattern(pattern);
  let re = '^\\s*';
  const setters: ((v: string, st: number[]) => boolean)[] = [];
  // st: [year, month, day, hour, minute, second, micros, pm(-1 none, 0 am, 1 pm), offsetMicros or NaN, dayOfYear]
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === 'string') {
      re += esc(p);
      continue;
    }
    const n = p.count;
    // Adjacent numeric fields need fixed widths (yyyyMMdd).
    const next = parts[i + 1];
    const fixed = next !== undefined && typeof next !== 'string';
    // SimpleDateFormat (allowTrailing) reads fewer digits than the pattern letters too (M for MM).
    const num = (min: number, max: number) => (fixed ? `(\\d{${Math.max(n, min)}})` : `(\\d{${allowTrailing ? 1 : Math.min(n, max)},${max}})`);
    // allowTrailing parses as SimpleDateFormat's lenient mode: a field out of range rolls over
    // into the next (month 13 is January of the next year, 24:00 the next day).
    const int = (idx: number, lo: number, hi: number) => (v: string, st: number[]) => {
      const x = Number(v);
      st[idx] = x;
      return allowTrailing || (x >= lo && x <= hi);
    };
    switch (p.letter) {
      case 'y':
      case 'u':
      case 'Y':
        if (n === 2) {
          re += '(\\d{2})';
          setters.push((v, st) => ((st[0] = 2000 + Number(v)), true));
        } else {
          re += fixed ? `(\\d{${Math.max(n, 4)}})` : allowTrailing ? '([+-]?\\d{1,9})' : '([+-]?\\d{4,9})';
          setters.push(int(0, -999999, 999999999));
        }
        break;
      case 'M':
      case 'L':
        if (n >= 3) {
          const names = n === 3 ? MONTHS_SHORT : MONTHS_LONG;
          re += `(${names.join('|')})`;
          setters.push((v, st) => ((st[1] = names.findIndex((x) => x.toLowerCase() === v.toLowerCase()) + 1), st[1] > 0));
        } else {
          re += num(1, 2);
          setters.push(int(1, 1, 12));
        }
        break;
      case 'd':
        re += num(1, 2);
        setters.push(int(2, 1, 31));
        break;
      case 'D':
        re += num(1, 3);
        setters.push(int(9, 1, 366));
        break;
      case 'H':
      case 'k':
        re += num(1, 2);
        setters.push((v, st) => ((st[3] = Number(v) % (p.letter === 'k' ? 24 : 100)), allowTrailing || st[3] <= 23));
        break;
      case 'h':
      case 'K':
        re += num(1, 2);
        setters.push((v, st) => ((st[3] = Number(v) % 12), Number(v) <= 12));
        break;
      case 'm':
        re += num(1, 2);
        setters.push(int(4, 0, 59));
        break;
      case 's':
        re += num(1, 2);
        setters.push(int(5, 0, 59));
        break;
      case 'S':
        re += fixed ? `(\\d{${n}})` : `(\\d{1,9})`;
        setters.push((v, st) => ((st[6] = Number((v + '000000').slice(0, 6))), true));
        break;
      case 'a':
        re += '(AM|PM|am|pm)';
        setters.push((v, st) => ((st[7] = v.toUpperCase() === 'PM' ? 1 : 0), true));
        break;
      case 'E':
        re += `(${[...DAYS_LONG, ...DAYS_SHORT].join('|')})`;
        setters.push(() => true);
        break;
      case 'Z':
      case 'X':
      case 'x':
      case 'z':
      case 'V':
      case 'O':
        re += '(Z|UTC|GMT|(?:GMT|UTC)?[+-]\\d{1,2}(?::?\\d{2})?)';
        setters.push((v, st) => {
          const u = v.toUpperCase();
          if (u === 'Z' || u === 'UTC' || u === 'GMT') st[8] = 0;
          else {
            const m = /([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(v)!;
            st[8] = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? '0')) * MICROS_PER_MINUTE;
          }
          return true;
        });
        break;
      case 'G':
        re += '(AD|BC)';
        setters.push(() => true);
        break;
      default:
        throw new Error(`unsupported date pattern letter '${p.letter}' in '${pattern}'`);
    }
  }
  // allowTrailing: like SimpleDateFormat.parse (lenient), text after the pattern is ignored.
  const regex = new RegExp(allowTrailing ? re : re + '\\s*$', 'i');
  const st = [1970, 1, 1, 0, 0, 0, 0, -1, NaN, 0];
  return (text: string) => {
    const m = regex.exec(text);
    if (!m) return undefined;
    st[0] = 1970; st[1] = 1; st[2] = 1; st[3] = 0; st[4] = 0; st[5] = 0; st[6] = 0; st[7] = -1; st[8] = NaN; st[9] = 0;
    for (let i = 0; i < setters.length; i++) if (!setters[i](m[i + 1], st)) return undefined;
    let days: number;
    if (st[9] > 0) days = civilToDays(st[0], 1, 1) + st[9] - 1;
    else if (allowTrailing) {
      const months = st[0] * 12 + st[1] - 1;
      days = civilToDays(Math.floor(months / 12), months - Math.floor(months / 12) * 12 + 1, 1) + st[2] - 1;
    } else {
      if (st[2] > daysInMonth(st[0], st[1])) return undefined;
      days = civilToDays(st[0], st[1], st[2]);
    }
    const hour = st[7] === 1 ? st[3] + 12 : st[3];
    let micros = days * MICROS_PER_DAY + hour * MICROS_PER_HOUR + st[4] * MICROS_PER_MINUTE + st[5] * MICROS_PER_SECOND + st[6];
    if (!Number.isNaN(st[8])) micros -= st[8];
    return micros;
  };
}

/** Whether a compiled pattern carries a zone/offset letter (then parsed values are instants). */
export function datePatternHasZone(pattern: string): boolean {
  return tokenizeDatePattern(pattern).some((p) => typeof p !== 'string' && 'ZXxzVO'.includes(p.letter));
}
