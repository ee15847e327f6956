// Numbers and bytes printed the way the JVM (and so Flink) prints them.

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

/** A DECIMAL value with exactly `scale` fraction digits, never in exponent form (BigDecimal.toPlainString). */
export function decimalPlain(x: number, scale: number): string {
  if (scale <= 0) return Math.round(x).toFixed(0) === '-0' ? '0' : Math.round(x).toFixed(0);
  const s = x.toFixed(Math.min(scale, 100));
  return s.startsWith('-') && Number(s) === 0 ? s.slice(1) : s;
}

/** BigDecimal.toString of a DECIMAL value: plain unless the adjusted exponent is below -6. */
export function decimalJava(x: number, scale: number): string {
  const plain = decimalPlain(x, scale);
  if (scale <= 0) return plain;
  // unscaled digits and adjusted exponent = (#digits - 1) - scale
  const neg = plain.startsWith('-');
  const digits = plain.replace('-', '').replace('.', '').replace(/^0+/, '');
  if (digits.length === 0) return plain;
  const adjusted = digits.length - 1 - scale;
  if (adjusted >= -6) return plain;
  const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  return (neg ? '-' : '') + mant + 'E' + adjusted;
}

/** Round a number to `scale` decimal digits (HALF_UP, as BigDecimal.setScale in Flink). */
export function roundDecimal(x: number, scale: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** scale;
  const v = Math.abs(x) * f;
  // Nudge by a relative epsilon so that 1.005 (really 1.00499…) rounds like its decimal text.
  const r = Math.floor(v + 0.5 + v * Number.EPSILON) / f;
  return x < 0 ? -r : r;
}

/** Whether |x| fits DECIMAL(precision, scale) (at most precision - scale integer digits). */
export function decimalFits(x: number, precision: number, scale: number): boolean {
  return Math.abs(x) < 10 ** (precision - scale);
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

