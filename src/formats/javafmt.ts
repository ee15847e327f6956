// Numbers and bytes printed the way the JVM (and so Flink) prints them.

import { decFromDouble, decToDouble, decToString, type Exact } from '../common/exact.js';

/** Java's Double.toString: `1.0`, `0.5`, `1.0E7`, `1.234E-5`, `NaN`, `Infinity`. */
export function javaDoubleToString(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const ax = Math.abs(x);
  if (ax >= 1e-3 && ax < 1e7) {
    const s = String(x);
    if (s.indexOf('e') >= 0) return sci(x);
    return s.indexOf('.') >= 0 ? s : s + '.0';
  }
  return sci(x);
}

function sci(x: number): string {
  const e = x.toExponential(); // shortest digits: "1.234e-5"
  const i = e.indexOf('e');
  let mant = e.slice(0, i);
  if (mant.indexOf('.') < 0) mant += '.0';
  const exp = e.slice(i + 1);
  return mant + 'E' + (exp.charCodeAt(0) === 43 ? exp.slice(1) : exp);
}

/** Java's Float.toString of the float nearest to x (shortest digits that round to the same float). */
export function javaFloatToString(x: number): string {
  if (x !== x || x === Infinity || x === -Infinity || x === 0) return javaDoubleToString(x);
  const f = Math.fround(x);
  let shortest = f;
  for (let p = 1; p <= 9; p++) {
    const c = Number(f.toPrecision(p));
    if (Math.fround(c) === f) {
      shortest = c;
      break;
    }
  }
  return javaDoubleToString(shortest);
}

/** A DECIMAL value (its unscaled integer) with exactly `scale` fraction digits, never in exponent form (BigDecimal.toPlainString). */
export function decimalPlain(unscaled: Exact, scale: number): string {
  return decToString(unscaled, scale);
}

/** BigDecimal.toString of a DECIMAL value (its unscaled integer): plain unless the adjusted exponent is below -6. */
export function decimalJava(unscaled: Exact, scale: number): string {
  const plain = decToString(unscaled, scale);
  if (scale <= 0) return plain;
  // unscaled digits and adjusted exponent = (#digits - 1) - scale
  const neg = plain.startsWith('-');
  const digits = String(neg ? -unscaled : unscaled);
  if (unscaled === 0) return plain;
  const adjusted = digits.length - 1 - scale;
  if (adjusted >= -6) return plain;
  const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  return (neg ? '-' : '') + mant + 'E' + adjusted;
}

/** Round a double to `scale` decimal digits (HALF_UP, on its shortest decimal text). */
export function roundDecimal(x: number, scale: number): number {
  if (!Number.isFinite(x)) return x;
  const u = decFromDouble(x, 400, scale);
  return u === undefined ? x : decToDouble(u, scale);
}

export function base64Encode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Strict-ish base64 (standard or URL-safe alphabet, padding optional); undefined when malformed. */
export function base64Decode(s: string): Uint8Array | undefined {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(clean)) return undefined;
  if (clean.replace(/=+$/, '').length % 4 === 1) return undefined;
  const b = Buffer.from(clean, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

