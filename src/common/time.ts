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
  const ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  // Reject dates that roll over (Feb 30).
  const check = new Date(ms);
  if (check.getUTCDate() !== day) return undefined;
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
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const check = new Date(ms);
  if (Number.isNaN(ms) || check.getUTCDate() !== Number(m[3])) return undefined;
  return Math.floor(ms / 86_400_000);
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
