// Iceberg partition transforms (spec "Partition Transforms"): identity, bucket[N], truncate[W],
// year, month, day, hour and void, applied to runtime values; their result types, the human
// strings of partition paths (`ts_day=2025-12-29`, `id_bucket=3`), and the projection of a
// column predicate onto a partition value for pruning. Bucket hashes follow Appendix B:
// Murmur3 x86 32-bit (seed 0) of int/long/date/time/timestamp as an 8-byte little-endian long,
// strings as UTF-8, decimals as the minimal big-endian two's complement of the unscaled value,
// binary/fixed/uuid as their bytes.
import type { PushdownPredicate } from '../../common/connector.js';
import { UnsupportedError, ValidationError } from '../../common/errors.js';
import { bigintToTwos, decimalParams, humanString, unscaled } from './conversions.js';
import { canonical } from '../../common/exact.js';
import type { IcebergType } from './schema.js';

export type Transform =
  | { kind: 'identity' }
  | { kind: 'bucket'; n: number }
  | { kind: 'truncate'; width: number }
  | { kind: 'year' }
  | { kind: 'month' }
  | { kind: 'day' }
  | { kind: 'hour' }
  | { kind: 'void' };

/** A transform from its spec text (`bucket[16]`, `truncate[4]`, `day`, …). */
export function parseTransform(text: string): Transform {
  const t = text.trim().toLowerCase();
  const b = /^bucket\[(\d+)\]$/.exec(t);
  if (b) {
    const n = Number(b[1]);
    if (n <= 0) throw new ValidationError(`Invalid partition transform '${text}': the bucket count must be positive`);
    return { kind: 'bucket', n };
  }
  const w = /^truncate\[(\d+)\]$/.exec(t);
  if (w) {
    const width = Number(w[1]);
    if (width <= 0) throw new ValidationError(`Invalid partition transform '${text}': the width must be positive`);
    return { kind: 'truncate', width };
  }
  switch (t) {
    case 'identity':
    case 'year':
    case 'month':
    case 'day':
    case 'hour':
    case 'void':
      return { kind: t };
    default:
      throw new UnsupportedError(`Partition transform '${text}' is not supported (identity, bucket[N], truncate[W], year, month, day, hour, void)`);
  }
}

// ---- Murmur3 x86 32-bit ---------------------------------------------------------------------

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** Murmur3 x86 32-bit of some bytes (seed 0), as a signed 32-bit integer (as Java's Guava returns). */
export function murmur3x86_32(data: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed | 0;
  const n = data.length;
  const blocks = n & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, c1);
    k = rotl(k, 15);
    k = Math.imul(k, c2);
    h ^= k;
    h = rotl(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = n & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= data[blocks + 2] << 16;
    if (tail >= 2) k ^= data[blocks + 1] << 8;
    k ^= data[blocks];
    k = Math.imul(k, c1);
    k = rotl(k, 15);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function toBigIntValue(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  throw new ValidationError(`Cannot use ${String(v)} as an integer partition source value`);
}

function longBytes(v: unknown): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt.asIntN(64, toBigIntValue(v)), true);
  return out;
}

/** The unscaled value of a decimal value: the runtime value itself (number or bigint, see common/types.ts), or numeric text. */
function decimalUnscaled(v: unknown, scale: number): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string') {
    const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(v.trim());
    if (m) {
      const frac = (m[3] ?? '').padEnd(scale, '0').slice(0, scale);
      const u = BigInt((m[2] || '0') + frac);
      return m[1] ? -u : u;
    }
  }
  return unscaled(v as number, scale);
}

/** Appendix B: the 32-bit hash of a value of a primitive type. */
export function icebergHash(type: IcebergType, value: unknown): number {
  if (typeof type !== 'string') throw new UnsupportedError('Only primitive values can be bucketed');
  switch (type) {
    case 'int':
    case 'long':
    case 'date':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
      return murmur3x86_32(longBytes(value));
    case 'string':
      return murmur3x86_32(new TextEncoder().encode(String(value)));
    case 'binary':
    case 'uuid':
      return murmur3x86_32(value as Uint8Array);
    default: {
      if (type.startsWith('fixed')) return murmur3x86_32(value as Uint8Array);
      const dp = decimalParams(type);
      if (dp) return murmur3x86_32(bigintToTwos(decimalUnscaled(value, dp.scale)));
      throw new UnsupportedError(`Values of type ${type} cannot be bucketed (Iceberg buckets int, long, decimal, date, time, timestamp, string, uuid, fixed, binary)`);
    }
  }
}

// ---- applying transforms --------------------------------------------------------------------

const US_PER_HOUR = 3_600_000_000;
const US_PER_DAY = 86_400_000_000;

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Days since 1970-01-01 of a date or timestamp value. */
function daysOf(sourceType: string, v: unknown): number {
  const x = Number(v);
  return sourceType === 'date' ? x : floorDiv(x, US_PER_DAY);
}

function ymd(days: number): { y: number; m: number; d: number } {
  const dt = new Date(days * 86_400_000);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

function checkTemporal(t: Transform, sourceType: IcebergType): string {
  const ok = t.kind === 'hour' ? ['timestamp', 'timestamptz'] : ['date', 'timestamp', 'timestamptz'];
  if (typeof sourceType !== 'string' || !ok.includes(sourceType)) {
    throw new ValidationError(`Partition transform ${t.kind} cannot apply to a ${typeof sourceType === 'string' ? sourceType : sourceType.type} column`);
  }
  return sourceType;
}

/** Checks that a transform can apply to a source type (at table load, before any row). */
export function checkTransform(t: Transform, sourceType: IcebergType): void {
  switch (t.kind) {
    case 'year':
    case 'month':
    case 'day':
    case 'hour':
      checkTemporal(t, sourceType);
      return;
    case 'bucket':
      if (typeof sourceType !== 'string' || ['boolean', 'float', 'double'].includes(sourceType)) {
        throw new ValidationError(`Partition transform bucket[${t.n}] cannot apply to a ${typeof sourceType === 'string' ? sourceType : sourceType.type} column`);
      }
      return;
    case 'truncate':
      if (typeof sourceType !== 'string' || !(['int', 'long', 'string', 'binary'].includes(sourceType) || sourceType.startsWith('decimal'))) {
        throw new ValidationError(`Partition transform truncate[${t.width}] cannot apply to a ${typeof sourceType === 'string' ? sourceType : sourceType.type} column`);
      }
      return;
    case 'identity':
      if (typeof sourceType !== 'string') throw new ValidationError('An identity partition needs a primitive column');
      return;
    case 'void':
      return;
  }
}

/** The partition value of a source value (null stays null). */
export function applyTransform(t: Transform, sourceType: IcebergType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (t.kind) {
    case 'identity':
      return value;
    case 'void':
      return null;
    case 'bucket':
      return (icebergHash(sourceType, value) & 0x7fffffff) % t.n;
    case 'truncate': {
      const st = sourceType as string;
      if (st === 'int' || st === 'long') {
        if (typeof value === 'bigint') {
          const w = BigInt(t.width);
          return canonical(value - (((value % w) + w) % w));
        }
        const x = Number(value);
        return x - (((x % t.width) + t.width) % t.width);
      }
      if (st === 'string') {
        const cps = Array.from(String(value));
        return cps.length <= t.width ? String(value) : cps.slice(0, t.width).join('');
      }
      if (st === 'binary') {
        const b = value as Uint8Array;
        return b.length <= t.width ? b : b.slice(0, t.width);
      }
      const dp = decimalParams(st);
      if (dp) {
        const u = decimalUnscaled(value, dp.scale);
        const w = BigInt(t.width);
        return canonical(u - (((u % w) + w) % w)); // unscaled, at the column's scale
      }
      throw new ValidationError(`Partition transform truncate[${t.width}] cannot apply to a ${st} column`);
    }
    case 'year':
      return ymd(daysOf(checkTemporal(t, sourceType), value)).y - 1970;
    case 'month': {
      const { y, m } = ymd(daysOf(checkTemporal(t, sourceType), value));
      return (y - 1970) * 12 + (m - 1);
    }
    case 'day':
      return daysOf(checkTemporal(t, sourceType), value);
    case 'hour':
      checkTemporal(t, sourceType);
      return floorDiv(Number(value), US_PER_HOUR);
  }
}

/** The type of a transform's result (spec table "Partition Transforms"). */
export function transformResultType(t: Transform, sourceType: IcebergType): IcebergType {
  switch (t.kind) {
    case 'identity':
    case 'truncate':
    case 'void':
      return sourceType;
    case 'day':
      return 'date';
    case 'bucket':
    case 'year':
    case 'month':
    case 'hour':
      return 'int';
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A partition value as Iceberg prints it in a data file path. */
export function humanPartitionValue(t: Transform, sourceType: IcebergType, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (t.kind) {
    case 'year':
      return pad(1970 + Number(value), 4);
    case 'month': {
      const v = Number(value);
      const y = 1970 + Math.floor(v / 12);
      return `${pad(y, 4)}-${pad((((v % 12) + 12) % 12) + 1)}`;
    }
    case 'day': {
      const { y, m, d } = ymd(Number(value));
      return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
    }
    case 'hour': {
      const h = Number(value);
      const { y, m, d } = ymd(Math.floor(h / 24));
      return `${pad(y, 4)}-${pad(m)}-${pad(d)}-${pad(((h % 24) + 24) % 24)}`;
    }
    case 'bucket':
      return String(value);
    case 'identity':
    case 'truncate':
    case 'void':
      return humanString(transformResultType(t, sourceType), value);
  }
}

/**
 * A predicate on a source column as a predicate on the partition value, when the partition
 * value can rule files out: every transform keeps NULL as NULL (void excepted); bucket answers
 * only = and IN; the order-preserving ones (truncate, year, month, day, hour) turn x < v into
 * p <= T(v) and x > v into p >= T(v). Undefined when nothing follows.
 */
export function projectPredicate(t: Transform, sourceType: IcebergType, p: PushdownPredicate): PushdownPredicate | undefined {
  if (t.kind === 'identity') return p;
  if (t.kind === 'void') return undefined;
  if (p.op === 'IS NULL' || p.op === 'IS NOT NULL') return p;
  const tr = (v: unknown): unknown => {
    try {
      return applyTransform(t, sourceType, v);
    } catch {
      return undefined;
    }
  };
  const valid = (v: unknown) => v !== undefined && v !== null;
  if (p.op === 'IN') {
    const values = p.values.filter((v) => v !== null && v !== undefined).map(tr);
    if (!values.every(valid)) return undefined;
    return { ...p, values };
  }
  if (p.op === '<>') return undefined;
  const v = tr((p as { value: unknown }).value);
  if (!valid(v)) return undefined;
  if (p.op === '=') return { ...p, value: v } as PushdownPredicate;
  if (t.kind === 'bucket') return undefined;
  if (p.op === '<' || p.op === '<=') return { ...p, op: '<=', value: v } as PushdownPredicate;
  if (p.op === '>' || p.op === '>=') return { ...p, op: '>=', value: v } as PushdownPredicate;
  return undefined;
}
