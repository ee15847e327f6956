// Double.toString and Float.toString exactly as the JVM that runs Flink 1.20 prints them (JDK 8 to 18:
// the FloatingDecimal digit generator, before JDK 19 switched to the shortest digits). That
// generator is not always the shortest: it may print one digit more (1.23456789012345677E18 where
// the shortest is 1.2345678901234568E18, 3.22122547E9 for a float) and it always prints at least
// two digits in the E form. So the digits are developed here the same way: the same decimal
// exponent estimate, the same stopping tests (which differ between its 32-bit, 64-bit and big-integer
// arithmetic, including their overflow), and the same final rounding.

/** ceil(log2(5^i)) for i < 27 (the 5^i that fit a Java long). */
const N5BITS = [0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61];
const POW5: bigint[] = Array.from({ length: 27 }, (_, i) => 5n ** BigInt(i));
const POW5N: number[] = Array.from({ length: 23 }, (_, i) => 5 ** i);
const bits5 = (i: number) => (i < N5BITS.length ? N5BITS[i] : i * 3);

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer); // little-endian: [low, high]

interface Digits {
  digits: number[];
  /** The value is 0.d1d2d3… × 10^decExponent. */
  decExponent: number;
}

const TWO32 = 4294967296;
const TWO52 = 4503599627370496;
const ctz32 = (x: number) => 31 - Math.clz32(x & -x);

/** Trailing zero bits of a positive integer below 2^53. */
function ctz(x: number): number {
  const lo = x % TWO32;
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(Math.floor(x / TWO32));
}

/** Integral values: the long's digits, the low `insignificant` ones rounded away (half up). */
function longDigits(v: bigint | number, insignificant: number): Digits {
  let decExponent = 0;
  if (insignificant !== 0) {
    v = BigInt(v);
    const pow10 = 10n ** BigInt(insignificant);
    const residue = v % pow10;
    v /= pow10;
    decExponent += insignificant;
    if (residue >= pow10 >> 1n) v++;
  }
  const s = v.toString();
  const t = s.replace(/0+$/, '');
  return { digits: Array.from(t, (c) => c.charCodeAt(0) - 48), decExponent: decExponent + s.length };
}

function estimateDecExp(fractBits: number, binExp: number): number {
  // 1 <= d2 < 2 with the same mantissa; log10 estimated linearly around 1.5.
  const d2 = 1 + (fractBits - TWO52) / TWO52;
  const d = (d2 - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981;
  return Math.floor(d);
}

function roundup(r: Digits): void {
  const ds = r.digits;
  let i = ds.length - 1;
  while (i > 0 && ds[i] === 9) ds[i--] = 0;
  if (ds[i] === 9) {
    // all nines: 1 followed by zeros, one more decimal place
    r.decExponent += 1;
    ds[0] = 1;
    return;
  }
  ds[i] += 1;
}

/** The digit generator, for a positive finite value fractBits × 2^(binExp-52) (fractBits has bit 52 set). */
function dtoa(binExp: number, fractBits: number, nSignificantBits: number): Digits {
  const tailZeros = ctz(fractBits);
  const nFractBits = 53 - tailZeros;
  const nTinyBits = Math.max(0, nFractBits - binExp - 1);
  if (binExp <= 62 && binExp >= -21 && nTinyBits === 0 && nFractBits + N5BITS[0] < 64) {
    // An integer that fits a long.
    const p2 = binExp - nSignificantBits - 1;
    const insignificant = binExp > nSignificantBits && p2 > 1 && p2 < 64 ? (2n ** BigInt(p2)).toString().length - 1 : 0;
    // fractBits × 2^(binExp-52), exact (a right shift drops zero bits only, as nTinyBits is 0)
    const v = binExp >= 52 ? BigInt(fractBits) << BigInt(binExp - 52) : fractBits / 2 ** (52 - binExp);
    return longDigits(v, insignificant);
  }
  let decExp = estimateDecExp(fractBits, binExp);
  const B5 = Math.max(0, -decExp);
  let B2 = B5 + nTinyBits + binExp;
  const S5 = Math.max(0, decExp);
  let S2 = S5 + nTinyBits;
  const M5 = B5;
  let M2 = B2 - nSignificantBits;
  const fb = fractBits / 2 ** tailZeros;
  B2 -= nFractBits - 1;
  const common = Math.min(B2, S2);
  B2 -= common;
  S2 -= common;
  M2 -= common;
  if (nFractBits === 1) M2 -= 1; // a power of two: the next lower value is half as far
  if (M2 < 0) {
    B2 -= M2;
    S2 -= M2;
    M2 = 0;
  }
  const Bbits = nFractBits + B2 + bits5(B5);
  const tenSbits = S2 + 1 + bits5(S5 + 1);
  const digits: number[] = [];
  let low: boolean;
  let high: boolean;
  let lowDigitDifference: number; // its sign only
  // E form (decimal exponent outside -3..7) needs at least two digits: no stop after the first.
  const eForm = (e: number) => e < -3 || e >= 8;
  if (Bbits < 32 && tenSbits < 32) {
    // Java int arithmetic, with its overflow.
    let b = Math.imul(fb, POW5N[B5]) << B2;
    const s = POW5N[S5] << S2;
    let m = POW5N[M5] << M2;
    const tens = Math.imul(s, 10);
    let q = Math.trunc(b / s);
    b = Math.imul(10, b % s);
    m = Math.imul(m, 10);
    low = b < m;
    high = ((b + m) | 0) > tens;
    if (q === 0 && !high) decExp--;
    else digits.push(q);
    if (eForm(decExp)) high = low = false;
    while (!low && !high) {
      q = Math.trunc(b / s);
      b = Math.imul(10, b % s);
      m = Math.imul(m, 10);
      if (m > 0) {
        low = b < m;
        high = ((b + m) | 0) > tens;
      } else {
        low = high = true;
      }
      digits.push(q);
    }
    lowDigitDifference = Math.sign(((b << 1) - tens) | 0);
  } else if (Bbits < 53 && tenSbits < 53) {
    // Java long arithmetic where every value fits a double exactly (and so no long overflows):
    // m may grow past 2^53 only once it is above b and 10s, where its inexactness changes no test.
    let b = fb * POW5N[B5] * 2 ** B2;
    const s = POW5N[S5] * 2 ** S2;
    let m = POW5N[M5] * 2 ** M2;
    const tens = s * 10;
    let q = Math.floor(b / s);
    b = 10 * (b % s);
    m *= 10;
    low = b < m;
    high = b + m > tens;
    if (q === 0 && !high) decExp--;
    else digits.push(q);
    if (eForm(decExp)) high = low = false;
    while (!low && !high) {
      q = Math.floor(b / s);
      b = 10 * (b % s);
      m *= 10;
      low = b < m;
      high = b + m > tens;
      digits.push(q);
    }
    lowDigitDifference = Math.sign(2 * b - tens);
  } else if (Bbits < 64 && tenSbits < 64) {
    // Java long arithmetic, with its overflow.
    const L = (x: bigint) => BigInt.asIntN(64, x);
    let b = L(L(BigInt(fb) * POW5[B5]) << BigInt(B2));
    const s = L(POW5[S5] << BigInt(S2));
    let m = L(POW5[M5] << BigInt(M2));
    const tens = L(s * 10n);
    let q = Number(b / s);
    b = L(10n * (b % s));
    m = L(m * 10n);
    low = b < m;
    high = L(b + m) > tens;
    if (q === 0 && !high) decExp--;
    else digits.push(q);
    if (eForm(decExp)) high = low = false;
    while (!low && !high) {
      q = Number(b / s);
      b = L(10n * (b % s));
      m = L(m * 10n);
      if (m > 0n) {
        low = b < m;
        high = L(b + m) > tens;
      } else {
        low = high = true;
      }
      digits.push(q);
    }
    const diff = L(L(b << 1n) - tens);
    lowDigitDifference = diff > 0n ? 1 : diff < 0n ? -1 : 0;
  } else {
    // Exact big integers; here the high test is B + M >= 10S (not >).
    const S = 5n ** BigInt(S5) << BigInt(S2);
    let B = (BigInt(fb) * 5n ** BigInt(B5)) << BigInt(B2);
    let M = (5n ** BigInt(M5 + 1)) << BigInt(M2 + 1);
    const tenS = S * 10n;
    let q = Number(B / S);
    B = (B % S) * 10n;
    low = B < M;
    high = B + M >= tenS;
    if (q === 0 && !high) decExp--;
    else digits.push(q);
    if (eForm(decExp)) high = low = false;
    while (!low && !high) {
      q = Number(B / S);
      B = (B % S) * 10n;
      M *= 10n;
      low = B < M;
      high = B + M >= tenS;
      digits.push(q);
    }
    if (high && low) {
      const c = B * 2n - tenS;
      lowDigitDifference = c > 0n ? 1 : c < 0n ? -1 : 0;
    } else lowDigitDifference = 0;
  }
  const r: Digits = { digits, decExponent: decExp + 1 };
  if (high) {
    if (low) {
      if (lowDigitDifference === 0) {
        if ((digits[digits.length - 1] & 1) !== 0) roundup(r);
      } else if (lowDigitDifference > 0) roundup(r);
    } else roundup(r);
  }
  return r;
}

function layout(neg: boolean, { digits, decExponent: e }: Digits): string {
  const ds = digits.join('');
  const n = ds.length;
  let out = neg ? '-' : '';
  if (e > 0 && e < 8) {
    if (n <= e) out += ds + '0'.repeat(e - n) + '.0';
    else out += ds.slice(0, e) + '.' + ds.slice(e);
  } else if (e <= 0 && e > -3) {
    out += '0.' + '0'.repeat(-e) + ds;
  } else {
    out += ds[0] + '.' + (n > 1 ? ds.slice(1) : '0') + 'E' + (e - 1);
  }
  return out;
}

/** Java's Double.toString(x) (JDK 8 to 18). */
export function javaDoubleString(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  F64[0] = x;
  const hi = U32[1];
  const lo = U32[0];
  const neg = hi >>> 31 === 1;
  let binExp = (hi >>> 20) & 0x7ff;
  let fractBits = (hi & 0xfffff) * TWO32 + lo;
  let nSignificantBits: number;
  if (binExp === 0) {
    // subnormal: normalize
    const lz = (hi & 0xfffff) !== 0 ? Math.clz32(hi & 0xfffff) : 32 + Math.clz32(lo);
    const shift = lz - 11;
    fractBits *= 2 ** shift;
    binExp = 1 - shift;
    nSignificantBits = 64 - lz;
  } else {
    fractBits += TWO52;
    nSignificantBits = 53;
  }
  return layout(neg, dtoa(binExp - 1023, fractBits, nSignificantBits));
}

const F32 = new Float32Array(1);
const U32F = new Uint32Array(F32.buffer);

/** Java's Float.toString of the float nearest to x (JDK 8 to 18). */
export function javaFloatString(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  F32[0] = x;
  const bits = U32F[0];
  const neg = bits >>> 31 === 1;
  let binExp = (bits >>> 23) & 0xff;
  let fractBits = bits & 0x7fffff;
  if (binExp === 0xff) return F32[0] !== F32[0] ? 'NaN' : neg ? '-Infinity' : 'Infinity';
  let nSignificantBits: number;
  if (binExp === 0) {
    if (fractBits === 0) return neg ? '-0.0' : '0.0';
    const lz = Math.clz32(fractBits);
    const shift = lz - 8;
    fractBits <<= shift;
    binExp = 1 - shift;
    nSignificantBits = 32 - lz;
  } else {
    fractBits |= 0x800000;
    nSignificantBits = 24;
  }
  return layout(neg, dtoa(binExp - 127, fractBits * 2 ** 29, nSignificantBits));
}
