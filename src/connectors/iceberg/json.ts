// Lossless JSON for Iceberg metadata and REST payloads: integers beyond 2^53 (snapshot ids
// written by Java engines are random 63-bit longs) are parsed as bigint, never rounded, and
// bigints print as plain JSON numbers.
import { parse, stringify } from 'lossless-json';

function parseNumber(text: string): number | bigint {
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  return Number(text);
}

export function parseJson(text: string): unknown {
  return parse(text, null, parseNumber);
}

export function stringifyJson(value: unknown, space?: number): string {
  const s = stringify(value, null, space);
  if (s === undefined) throw new Error('value cannot be printed as JSON');
  return s;
}

/** A JSON integer (number or bigint) as bigint; null/undefined stay as they are. */
export function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  throw new Error(`not an integer: ${String(v)}`);
}

export function toBigIntOrNull(v: unknown): bigint | null {
  return v === undefined || v === null ? null : toBigInt(v);
}

/** A bigint as a JS number when it is exact, else as a decimal string. */
export function bigToNumber(v: bigint): number {
  return Number(v);
}
