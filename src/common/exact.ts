// Exact integers and decimals at run time (see the representation in types.ts): BIGINT values and
// DECIMAL unscaled values are a JS number while they are safe integers and a bigint beyond, always
// in that canonical form so that ===, Map keys and group keys see one value one way. Arithmetic
// takes the number path when its result is safe and falls back to bigint otherwise.

import { javaDoubleString } from './java-double.js';

/** A BIGINT value, or the unscaled value of a DECIMAL: a safe-integer number, else a bigint. */
export type Exact = number | bigint;

const MAX_SAFE_N = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE_N = -MAX_SAFE_N;

export const LONG_MIN = -(1n << 63n);
export const LONG_MAX = (1n << 63n) - 1n;

/** The canonical form of an integer: a number when it is safe. */
export function canonical(b: bigint): Exact {
  return b >= MIN_SAFE_N && b <= MAX_SAFE_N ? Number(b) : b;
}

/** Java's long overflow: the low 64 bits, two's complement. */
export function wrapLong(b: bigint): Exact {
  return canonical(BigInt.asIntN(64, b));
}

export function isExactInteger(v: unknown): v is Exact {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v));
}

export function toBig(v: Exact): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

// ----- BIGINT arithmetic (Java long semantics: wraps around on overflow) ------------------------

export function addLong(a: Exact, b: Exact): Exact {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return wrapLong(toBig(a) + toBig(b));
}

export function subLong(a: Exact, b: Exact): Exact {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return wrapLong(toBig(a) - toBig(b));
}

export function mulLong(a: Exact, b: Exact): Exact {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    // A product of safe integers that is itself safe is exact (rounding is monotone).
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  return wrapLong(toBig(a) * toBig(b));
}

/** Integer division truncating toward zero; throws on a zero divisor (the caller names it). */
export function divLong(a: Exact, b: Exact): Exact {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0) throw new RangeError('division by zero');
    const r = (a - (a % b)) / b;
    return r === 0 ? 0 : r;
  }
  const bb = toBig(b);
  if (bb === 0n) throw new RangeError('division by zero');
  return wrapLong(toBig(a) / bb);
}

export function modLong(a: Exact, b: Exact): Exact {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0) throw new RangeError('division by zero');
    const r = a % b;
    return r === 0 ? 0 : r;
  }
  const bb = toBig(b);
  if (bb === 0n) throw new RangeError('division by zero');
  return canonical(toBig(a) % bb);
}

export function negLong(a: Exact): Exact {
  if (typeof a === 'number') return a === 0 ? 0 : -a;
  return wrapLong(-a);
}

export function absLong(a: Exact): Exact {
  if (typeof a === 'number') return Math.abs(a);
  return wrapLong(a < 0n ? -a : a);
}

/** Java's (long) of a double: truncates, saturates at the long range, NaN → 0. */
export function longFromDouble(v: number): Exact {
  if (v !== v) return 0;
  const t = Math.trunc(v);
  if (Number.isSafeInteger(t)) return t === 0 ? 0 : t;
  if (t >= 9223372036854775807) return LONG_MAX;
  if (t <= -9223372036854775808) return LONG_MIN;
  return canonical(BigInt(t));
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/** A decimal integer text as an exact integer (no range check), undefined when it is not one. */
export function parseInteger(text: string): Exact | undefined {
  if (!INTEGER_TEXT.test(text)) return undefined;
  const t = text.trim();
  if (t.length <= 15) {
    const n = Number(t);
    return n === 0 ? 0 : n;
  }
  return canonical(BigInt(t));
}

export function inLongRange(v: Exact): boolean {
  return typeof v === 'number' || (v >= LONG_MIN && v <= LONG_MAX);
}

// ----- DECIMAL(p, s): unscaled values, the scale known from the type ----------------------------

export const MAX_PRECISION = 38;
const POW10: number[] = [];
const POW10N: bigint[] = [];
for (let i = 0; i <= 2 * MAX_PRECISION + 2; i++) {
  POW10.push(10 ** i);
  POW10N.push(10n ** BigInt(i));
}

export function pow10n(n: number): bigint {
  return POW10N[n] ?? 10n ** BigInt(n);
}

/** Whether an unscaled value has at most `precision` digits. */
export function decFits(u: Exact, precision: number): boolean {
  if (typeof u === 'number') return precision >= 16 || Math.abs(u) < POW10[precision];
  return (u < 0n ? -u : u) < pow10n(precision);
}

/** Divides by 10^k rounding HALF_UP (away from zero at the half), as Java's BigDecimal.setScale. */
function shiftDownHalfUp(u: bigint, k: number): bigint {
  const d = pow10n(k);
  const q = u / d;
  const r = u % d;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= d) return u < 0n ? q - 1n : q + 1n;
  return q;
}

/** An unscaled value at scale `from` as one at scale `to` (HALF_UP when digits are dropped). */
export function rescale(u: Exact, from: number, to: number): Exact {
  if (from === to) return u;
  if (to > from) {
    if (typeof u === 'number') {
      const r = u * POW10[to - from];
      if (Number.isSafeInteger(r)) return r;
    }
    return canonical(toBig(u) * pow10n(to - from));
  }
  const k = from - to;
  if (typeof u === 'number' && k <= 15) {
    const d = POW10[k];
    const r = u % d;
    const q = (u - r) / d;
    if (Math.abs(r) * 2 >= d) return u < 0 ? q - 1 : q + 1;
    return q === 0 ? 0 : q;
  }
  return canonical(shiftDownHalfUp(toBig(u), k));
}

/** Plain decimal text of an unscaled value at `scale` (`-0.50`, `12.00`): Java's BigDecimal.toPlainString. */
export function decToString(u: Exact, scale: number): string {
  if (scale === 0) return String(u);
  const neg = u < 0;
  let digits = String(neg ? (typeof u === 'number' ? -u : -u) : u);
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const cut = digits.length - scale;
  return (neg ? '-' : '') + digits.slice(0, cut) + '.' + digits.slice(cut);
}

/**
 * Java's BigDecimal.stripTrailingZeros().toString() of an unscaled value at `scale` (`1E+2`,
 * `-0.5`, `0`, `1E-7`, `12.34`): how Flink's JSON functions (Jackson) write a DECIMAL.
 */
export function decToJavaText(u: Exact, scale: number): string {
  const neg = u < 0;
  let digits = String(neg ? -BigInt(u) : BigInt(u));
  if (digits === '0') return '0';
  let s = scale;
  while (digits.length > 1 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    s--;
  }
  const adjusted = digits.length - 1 - s;
  const text = s >= 0 && adjusted >= -6 ? decToString(BigInt(digits), s) : `${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
  return (neg ? '-' : '') + text;
}

const DECIMAL_TEXT = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/**
 * Exact decimal text (`12.345`, `-1e3`, `.5`) as an unscaled value at `scale`, rounded HALF_UP;
 * undefined when it is not a number or needs more than `precision` digits.
 */
export function decFromString(text: string, precision: number, scale: number): Exact | undefined {
  const m = DECIMAL_TEXT.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return undefined;
  const frac = m[3] ?? '';
  const exp = m[4] ? Number(m[4]) : 0;
  if (!Number.isFinite(exp) || Math.abs(exp) > 1000) return undefined;
  let digits = (m[2] + frac).replace(/^0+(?=\d)/, '');
  // value = digits × 10^(exp − frac.length)
  const shift = scale + exp - frac.length;
  let u: bigint;
  if (shift >= 0) u = BigInt(digits) * pow10n(shift);
  else if (-shift > digits.length + 1) u = 0n;
  else u = shiftDownHalfUp(BigInt(digits), -shift);
  if (m[1] === '-') u = -u;
  digits = '';
  const r = canonical(u);
  return decFits(r, precision) ? r : undefined;
}

/** An unscaled value as the double nearest to it. */
export function decToDouble(u: Exact, scale: number): number {
  if (scale === 0) return Number(u);
  if (typeof u === 'number' && scale <= 22) return u / POW10[scale];
  return Number(decToString(u, scale));
}

/** A double as DECIMAL(p, s) the way Java's BigDecimal.valueOf(double) then setScale(HALF_UP) does; undefined on overflow or NaN/∞. */
export function decFromDouble(v: number, precision: number, scale: number): Exact | undefined {
  if (!Number.isFinite(v)) return undefined;
  if (Number.isSafeInteger(v) && Math.abs(v) < 1e15) {
    const r = rescale(v === 0 ? 0 : v, 0, scale);
    return decFits(r, precision) ? r : undefined;
  }
  // BigDecimal.valueOf(v): the digits Java's Double.toString prints
  return decFromString(javaDoubleString(v), precision, scale);
}

/** Rescales to `scale` and checks `precision`: undefined on overflow (Flink then gives NULL). */
export function decAdjust(u: Exact, from: number, precision: number, scale: number): Exact | undefined {
  const r = rescale(u, from, scale);
  return decFits(r, precision) ? r : undefined;
}

/** Sum of two unscaled values at the same scale (no overflow check). */
export function addExact(a: Exact, b: Exact): Exact {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return canonical(toBig(a) + toBig(b));
}

export function subExact(a: Exact, b: Exact): Exact {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return canonical(toBig(a) - toBig(b));
}

export function mulExact(a: Exact, b: Exact): Exact {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  return canonical(toBig(a) * toBig(b));
}

/** a / b rounded HALF_UP, as integers (b ≠ 0). */
export function divHalfUp(a: Exact, b: Exact): Exact {
  const x = toBig(a);
  const y = toBig(b);
  const q = x / y;
  const r = x % y;
  const ar = r < 0n ? -r : r;
  const ay = y < 0n ? -y : y;
  if (ar * 2n >= ay) return canonical((x < 0n) !== (y < 0n) ? q - 1n : q + 1n);
  return canonical(q);
}

/** DECIMAL division: (a at sa) / (b at sb) as an unscaled value at `scale`, HALF_UP; throws on b = 0. */
export function decDivide(a: Exact, sa: number, b: Exact, sb: number, scale: number): Exact {
  if (b === 0 || b === 0n) throw new RangeError('division by zero');
  // a·10^-sa / (b·10^-sb) = (a·10^(scale − sa + sb) / b)·10^-scale
  const k = scale - sa + sb;
  if (k >= 0) return divHalfUp(mulExact(a, canonical(pow10n(k))), b);
  return divHalfUp(a, mulExact(b, canonical(pow10n(-k))));
}

/** Sign-aware comparison of two exact values (number/bigint mixed). */
export function compareExact(a: Exact, b: Exact): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How a value of an exact type becomes a double (undefined when it already is a number). */
export function doubleOf(t: { kind: string; scale?: number }): ((v: unknown) => number) | undefined {
  if (t.kind === 'BIGINT') return (v) => Number(v);
  if (t.kind === 'DECIMAL') {
    const s = t.scale ?? 0;
    return (v) => decToDouble(v as Exact, s);
  }
  return undefined;
}

/** DECIMAL + − × ÷ % on unscaled values at scales sx and sy, into DECIMAL(p, s). */
export function decimalArith(op: string, sx: number, sy: number, p: number, s: number): (x: Exact, y: Exact) => Exact | null {
  const fit = (r: Exact): Exact | null => (decFits(r, p) ? r : null);
  switch (op) {
    case '+':
      return (x, y) => fit(addExact(rescale(x, sx, s), rescale(y, sy, s)));
    case '-':
      return (x, y) => fit(subExact(rescale(x, sx, s), rescale(y, sy, s)));
    case '*':
      return (x, y) => fit(rescale(mulExact(x, y), sx + sy, s));
    case '/':
      return (x, y) => {
        if (y === 0) throw new RangeError('Division by zero (DECIMAL division)');
        return fit(decDivide(x, sx, y, sy, s));
      };
    default: {
      const m = Math.max(sx, sy);
      return (x, y) => {
        if (y === 0) throw new RangeError('Division by zero (DECIMAL modulo)');
        const r = canonical(toBig(rescale(x, sx, m)) % toBig(rescale(y, sy, m)));
        return fit(rescale(r, m, s));
      };
    }
  }
}


/** An unscaled value at scale `from` cut to `to` digits toward zero (TRUNCATE), at scale `to`. */
export function truncScale(u: Exact, from: number, to: number): Exact {
  if (to >= from) return rescale(u, from, to);
  const k = from - to;
  if (typeof u === 'number' && k <= 15) {
    const d = POW10[k];
    const q = (u - (u % d)) / d;
    return q === 0 ? 0 : q;
  }
  return canonical(toBig(u) / pow10n(k));
}

/** FLOOR / CEIL of an unscaled value at `scale`, as an integer (scale 0). */
export function floorCeilScale(u: Exact, scale: number, ceil: boolean): Exact {
  if (scale === 0) return u;
  const t = truncScale(u, scale, 0);
  const back = rescale(t, 0, scale);
  if (back === u) return t;
  if (ceil ? u > 0 : u < 0) return addExact(t, ceil ? 1 : -1);
  return t;
}

export function absExact(u: Exact): Exact {
  return typeof u === 'number' ? Math.abs(u) : u < 0n ? -u : u;
}
