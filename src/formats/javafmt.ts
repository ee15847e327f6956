// Numbers and bytes printed the way the JVM (and so Flink) prints them.

import { javaDoubleString, javaFloatString } from '../common/java-double.js';
import { decFromDouble, decToDouble, decToString, type Exact } from '../common/exact.js';

/** Java's Double.toString (JDK 17's digits, as Flink prints them): `1.0`, `0.5`, `1.0E7`, `NaN`, `Infinity`. */
export function javaDoubleToString(x: number): string {
  return javaDoubleString(x);
}

/** Java's Float.toString of the float nearest to x. */
export function javaFloatToString(x: number): string {
  return javaFloatString(x);
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

