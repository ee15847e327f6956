// Decodes the text of DATE, TIME, TIMESTAMP and INTERVAL literals into the runtime
// representations of src/common/types.ts (days, microseconds, months).
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND, hasZone, parseDate, parseTimestamp } from '../common/time.js';
import { parseNanosText } from '../common/nanos.js';
import type { IntervalQualifier } from './ast.js';

export function dateLiteralValue(text: string): number | undefined {
  const m = /^\s*\d{4}-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) return undefined;
  return parseDate(text);
}

function fraction(digits: string | undefined): number {
  return digits ? Number((digits + '000000').slice(0, 6)) : 0;
}

const TIME_RE = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*$/;

export function timeLiteralValue(text: string): { value: number; precision: number } | undefined {
  const m = TIME_RE.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3] ?? '0');
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return { value: h * MICROS_PER_HOUR + mi * MICROS_PER_MINUTE + s * MICROS_PER_SECOND + fraction(m[4]), precision: m[4]?.length ?? 0 };
}

/** A TIMESTAMP literal's value: micros (a number) up to 6 fraction digits, nanos (a bigint) for 7..9 (src/common/nanos.ts). */
export function timestampLiteralValue(text: string): { value: number | bigint; precision: number } | undefined {
  if (hasZone(text)) return undefined;
  const m = /^\s*\d{4}-(\d{1,2})-/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) return undefined;
  const value = parseTimestamp(text);
  if (value === undefined) return undefined;
  const frac = /\.(\d+)\s*$/.exec(text);
  const precision = frac ? Math.min(frac[1].length, 9) : 0;
  if (precision > 6) {
    const ns = parseNanosText(text);
    return ns === undefined ? undefined : { value: ns, precision };
  }
  return { value, precision };
}

const UNIT_MICROS: Record<string, number> = {
  WEEK: 7 * MICROS_PER_DAY,
  DAY: MICROS_PER_DAY,
  HOUR: MICROS_PER_HOUR,
  MINUTE: MICROS_PER_MINUTE,
  SECOND: MICROS_PER_SECOND,
};

/**
 * The value of `INTERVAL 'text' qualifier`: microseconds for day-time intervals, months for
 * year-month ones; undefined when the text does not fit the qualifier.
 */
export function intervalValue(text: string, q: IntervalQualifier): number | undefined {
  const m = /^\s*([+-])?\s*(.*?)\s*$/.exec(text)!;
  const neg = m[1] === '-';
  const body = m[2];
  const sign = neg ? -1 : 1;
  const int = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);
  let v: number | undefined;
  const key = q.end ? `${q.start}-${q.end}` : q.start;
  switch (key) {
    case 'YEAR': {
      const n = int(body);
      v = n === undefined ? undefined : n * 12;
      break;
    }
    case 'QUARTER': {
      const n = int(body);
      v = n === undefined ? undefined : n * 3;
      break;
    }
    case 'MONTH':
      v = int(body);
      break;
    case 'WEEK':
    case 'DAY':
    case 'HOUR':
    case 'MINUTE': {
      const n = int(body);
      v = n === undefined ? undefined : n * UNIT_MICROS[key];
      break;
    }
    case 'SECOND': {
      const sm = /^(\d+)(?:\.(\d{1,9}))?$/.exec(body);
      v = sm ? Number(sm[1]) * MICROS_PER_SECOND + fraction(sm[2]) : undefined;
      break;
    }
    case 'YEAR-MONTH': {
      const ym = /^(\d+)-(\d+)$/.exec(body);
      v = ym && Number(ym[2]) < 12 ? Number(ym[1]) * 12 + Number(ym[2]) : undefined;
      break;
    }
    default: {
      // day-time ranges: [D ][H][:M][:S[.f]] according to the qualifier
      const re: Record<string, RegExp> = {
        'DAY-HOUR': /^(\d+) (\d{1,2})$/,
        'DAY-MINUTE': /^(\d+) (\d{1,2}):(\d{1,2})$/,
        'DAY-SECOND': /^(\d+) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?$/,
        'HOUR-MINUTE': /^(\d+):(\d{1,2})$/,
        'HOUR-SECOND': /^(\d+):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?$/,
        'MINUTE-SECOND': /^(\d+):(\d{1,2})(?:\.(\d{1,9}))?$/,
      };
      const r = re[key];
      const mm = r ? r.exec(body) : null;
      if (!mm) return undefined;
      const nums = mm.slice(1).map((x) => x);
      const units: string[] = {
        'DAY-HOUR': ['DAY', 'HOUR'],
        'DAY-MINUTE': ['DAY', 'HOUR', 'MINUTE'],
        'DAY-SECOND': ['DAY', 'HOUR', 'MINUTE', 'SECOND', 'FRACTION'],
        'HOUR-MINUTE': ['HOUR', 'MINUTE'],
        'HOUR-SECOND': ['HOUR', 'MINUTE', 'SECOND', 'FRACTION'],
        'MINUTE-SECOND': ['MINUTE', 'SECOND', 'FRACTION'],
      }[key]!;
      let total = 0;
      for (let k = 0; k < units.length; k++) {
        const u = units[k];
        const s = nums[k];
        if (u === 'FRACTION') {
          total += fraction(s);
          continue;
        }
        const n = Number(s);
        // Fields after the leading one stay within their natural range.
        if (k > 0 && ((u === 'HOUR' && n > 23) || ((u === 'MINUTE' || u === 'SECOND') && n > 59))) return undefined;
        total += n * UNIT_MICROS[u];
      }
      v = total;
    }
  }
  return v === undefined ? undefined : v === 0 ? 0 : sign * v;
}
