// Iceberg's single-value binary serialization (spec Appendix D), used for manifest lower and
// upper bounds and partition summaries, plus the comparison and truncation rules for bounds.
import { ConnectorError } from '../../common/errors.js';
import { canonical, decToString } from '../../common/exact.js';
import type { IcebergType } from './schema.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

export function decimalParams(t: string): { precision: number; scale: number } | undefined {
  const m = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(t);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : undefined;
}

/** A decimal value (number, rounded to `scale`) as its unscaled integer. */
export function unscaled(value: number | string | bigint, scale: number): bigint {
  if (typeof value === 'bigint') return value * 10n ** BigInt(scale);
  const text = typeof value === 'number' ? value.toFixed(scale) : Number(value).toFixed(scale);
  const neg = text.startsWith('-');
  const [i, f = ''] = (neg ? text.slice(1) : text).split('.');
  const v = BigInt(i + f.padEnd(scale, '0').slice(0, scale));
  return neg ? -v : v;
}

export function scaledToNumber(u: bigint, scale: number): number {
  if (scale === 0) return Number(u);
  const neg = u < 0n;
  const s = (neg ? -u : u).toString().padStart(scale + 1, '0');
  return Number(`${neg ? '-' : ''}${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`);
}

/** Minimal big-endian two's complement bytes. */
export function bigintToTwos(v: bigint): Uint8Array {
  const bytes: number[] = [];
  let x = v;
  for (;;) {
    bytes.unshift(Number(x & 0xffn));
    x >>= 8n;
    const top = bytes[0] & 0x80;
    if ((x === 0n && top === 0) || (x === -1n && top !== 0)) break;
  }
  return Uint8Array.from(bytes);
}

export function twosToBigint(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  if (b[0] & 0x80) v -= 1n << BigInt(b.length * 8);
  return v;
}

/** Serializes a value (runtime representation) of a primitive Iceberg type. */
export function toBytes(type: IcebergType, value: unknown): Uint8Array {
  if (typeof type !== 'string') throw new ConnectorError('Bounds exist only for primitive types');
  const buf = (n: number) => new DataView(new ArrayBuffer(n));
  switch (type) {
    case 'boolean':
      return Uint8Array.of(value ? 1 : 0);
    case 'int':
    case 'date': {
      const d = buf(4);
      d.setInt32(0, Number(value), true);
      return new Uint8Array(d.buffer);
    }
    case 'long':
    case 'time':
    case 'timestamp':
    case 'timestamptz': {
      const d = buf(8);
      d.setBigInt64(0, typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value))), true);
      return new Uint8Array(d.buffer);
    }
    case 'float': {
      const d = buf(4);
      d.setFloat32(0, Number(value), true);
      return new Uint8Array(d.buffer);
    }
    case 'double': {
      const d = buf(8);
      d.setFloat64(0, Number(value), true);
      return new Uint8Array(d.buffer);
    }
    case 'string':
      return enc.encode(String(value));
    case 'binary':
    case 'uuid':
      return value as Uint8Array;
    default: {
      if (type.startsWith('fixed')) return value as Uint8Array;
      const dp = decimalParams(type);
      if (dp) return bigintToTwos(BigInt(value as number | bigint)); // DECIMAL values are unscaled integers
      throw new ConnectorError(`Cannot serialize a value of type ${type}`);
    }
  }
}

/** The inverse of toBytes. */
export function fromBytes(type: IcebergType, b: Uint8Array): unknown {
  if (typeof type !== 'string') throw new ConnectorError('Bounds exist only for primitive types');
  const d = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (type) {
    case 'boolean':
      return b[0] !== 0;
    case 'int':
    case 'date':
      return d.getInt32(0, true);
    case 'long':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
      // v1 tables may store 4-byte bounds for promoted int columns.
      if (b.length === 4) return d.getInt32(0, true);
      return type === 'long' ? canonical(d.getBigInt64(0, true)) : Number(d.getBigInt64(0, true));
    case 'float':
      return d.getFloat32(0, true);
    case 'double':
      return b.length === 4 ? d.getFloat32(0, true) : d.getFloat64(0, true);
    case 'string':
      return dec.decode(b);
    case 'binary':
    case 'uuid':
      return b;
    default: {
      if (type.startsWith('fixed')) return b;
      const dp = decimalParams(type);
      if (dp) return canonical(twosToBigint(b));
      throw new ConnectorError(`Cannot read a value of type ${type}`);
    }
  }
}

/** Compares strings by Unicode code point (as Iceberg does), not by UTF-16 unit. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && x <= 0xdfff && !(y >= 0xd800 && y <= 0xdfff)) return y >= 0xe000 ? 1 : 1;
    if (y >= 0xd800 && y <= 0xdfff && !(x >= 0xd800 && x <= 0xdfff)) return x >= 0xe000 ? -1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Compares two values of one primitive type. */
export function compareValues(type: IcebergType, a: unknown, b: unknown): number {
  if (type === 'string') return compareStrings(String(a), String(b));
  if (type === 'binary' || type === 'uuid' || (typeof type === 'string' && type.startsWith('fixed'))) {
    return compareBytes(a as Uint8Array, b as Uint8Array);
  }
  if (type === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  // Longs and decimals may be bigints: number and bigint compare exactly with each other.
  const x = typeof a === 'bigint' ? a : Number(a);
  const y = typeof b === 'bigint' ? b : Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The first `n` code points. */
export function truncateLowerString(s: string, n: number): string {
  const cps = Array.from(s);
  return cps.length <= n ? s : cps.slice(0, n).join('');
}

/** An upper bound of at most `n` code points ≥ s, or undefined when none exists. */
export function truncateUpperString(s: string, n: number): string | undefined {
  const cps = Array.from(s);
  if (cps.length <= n) return s;
  const kept = cps.slice(0, n);
  for (let i = kept.length - 1; i >= 0; i--) {
    let cp = kept[i].codePointAt(0)! + 1;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000;
    if (cp <= 0x10ffff) {
      return kept.slice(0, i).join('') + String.fromCodePoint(cp);
    }
  }
  return undefined;
}

export function truncateLowerBytes(b: Uint8Array, n: number): Uint8Array {
  return b.length <= n ? b : b.slice(0, n);
}

export function truncateUpperBytes(b: Uint8Array, n: number): Uint8Array | undefined {
  if (b.length <= n) return b;
  const out = b.slice(0, n);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] < 0xff) {
      out[i]++;
      return out.slice(0, i + 1);
    }
  }
  return undefined;
}

/** How a partition value prints in a path (Iceberg's human string). */
export function humanString(type: IcebergType, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (type) {
    case 'date':
      return new Date(Number(value) * 86_400_000).toISOString().slice(0, 10);
    case 'timestamp':
    case 'timestamptz': {
      const us = Number(value);
      const ms = Math.floor(us / 1000);
      const frac = String(((us % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
      const iso = new Date(ms).toISOString().slice(0, 19);
      return `${iso}.${frac}${type === 'timestamptz' ? '+00:00' : ''}`;
    }
    case 'time': {
      const us = Number(value);
      const s = Math.floor(us / 1_000_000);
      const p = (x: number) => String(x).padStart(2, '0');
      return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}.${String(us % 1_000_000).padStart(6, '0')}`;
    }
    case 'binary':
    case 'uuid':
      return Buffer.from(value as Uint8Array).toString('base64');
    default:
      if (typeof type === 'string' && type.startsWith('fixed')) return Buffer.from(value as Uint8Array).toString('base64');
      if (typeof type === 'string' && type.startsWith('decimal')) {
        const dp = decimalParams(type)!;
        return decToString(value as number | bigint, dp.scale);
      }
      return String(value);
  }
}
