// Helpers shared by the formats: option reading, the internal field-error, text decoding.
import { isUtf8 } from 'node:buffer';
import { ValidationError } from '../common/errors.js';
import { validateOptions, type OptionSpec } from '../common/options.js';
import type { LogicalType } from '../common/types.js';
import { isLosslessNumber, LosslessNumber, parse as parseLossless } from 'lossless-json';
import { canonical, decFromString, inLongRange, parseInteger, toBig, type Exact } from '../common/exact.js';

/** A value that does not convert to its column's type; the decoder adds the field and location. */
export class FieldParseError extends Error {}

export function fieldFail(message: string): never {
  throw new FieldParseError(message);
}

export const utf8Decoder = new TextDecoder('utf-8');
export const utf8Encoder = new TextEncoder();

export function toText(data: Uint8Array | string): string {
  return typeof data === 'string' ? data : utf8Decoder.decode(data);
}

const strictUtf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Bytes as UTF-8 text; bytes that are not UTF-8 are an error (never U+FFFD), naming the first bad byte. */
export function strictUtf8(data: Uint8Array): string {
  try {
    return strictUtf8Decoder.decode(data);
  } catch {
    let at = 0;
    // Find the first byte that breaks the encoding, for the message.
    while (at < data.length) {
      const b = data[at];
      const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
      if (n === 0 || at + n > data.length || !isUtf8(data.subarray(at, at + n))) break;
      at += n;
    }
    throw new FieldParseError(`not valid UTF-8 (byte 0x${(data[at] ?? 0).toString(16).padStart(2, '0')} at offset ${at})`);
  }
}

/** Validates a format's own options (keys without prefix) and returns a reader with defaults. */
export function formatOptions(format: string, options: Record<string, string>, specs: readonly OptionSpec[]) {
  validateOptions(`format '${format}'`, prefixed(format, options), specs.map((s) => ({ ...s, key: `${format}.${s.key}` })));
  const get = (key: string): string | undefined => options[key] ?? specs.find((s) => s.key === key)?.default;
  return {
    str: get,
    bool(key: string): boolean {
      return (get(key) ?? 'false').trim().toLowerCase() === 'true';
    },
  };
}

function prefixed(format: string, options: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) out[`${format}.${k}`] = v;
  return out;
}

/** A single character option ('\t' and '\\t' both mean tab; 'U+0009' unicode notation too). */
export function charOption(format: string, key: string, value: string): string {
  let v = value;
  if (v === '\\t') v = '\t';
  else if (v === '\\n') v = '\n';
  else if (v === '\\r') v = '\r';
  else if (/^\\u[0-9a-fA-F]{4}$/.test(v) || /^U\+[0-9a-fA-F]{4}$/.test(v)) v = String.fromCharCode(parseInt(v.slice(2), 16));
  if (v.length !== 1) throw new ValidationError(`Option '${format}.${key}' must be a single character, got '${value}'`);
  return v;
}

export function intRange(t: LogicalType): [number, number] {
  switch (t.kind) {
    case 'TINYINT':
      return [-128, 127];
    case 'SMALLINT':
      return [-32768, 32767];
    case 'INT':
      return [-2147483648, 2147483647];
    default:
      return [Number.MIN_SAFE_INTEGER * 1024, Number.MAX_SAFE_INTEGER * 1024];
  }
}

const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;
const INTEGER = /^[+-]?\d+$/;

/** Java's Double.parseDouble on trimmed text; NaN result for 'NaN'; undefined when malformed. */
export function parseJavaDouble(text: string): number | undefined {
  const s = text.trim();
  if (!JAVA_DOUBLE.test(s)) return undefined;
  const last = s.charCodeAt(s.length - 1) | 32;
  return Number(last === 102 || last === 100 ? s.slice(0, -1) : s);
}

/** An integer in text (Integer.parseInt / Long.parseLong on trimmed text), exact (bigint beyond 2^53). */
export function parseJavaInteger(text: string): Exact | undefined {
  const s = text.trim();
  if (!INTEGER.test(s)) return undefined;
  return parseInteger(s);
}

/** The text of a JSON number kept exactly by the parser (lossless-json), or undefined. */
export function exactNumberText(v: unknown): string | undefined {
  return isLosslessNumber(v) ? (v as LosslessNumber).value : undefined;
}

/** JSON numbers whose text is longer than this may not be exact as doubles: they are kept as text. */
export const EXACT_NUMBER_TEXT_LENGTH = 15;

/** Parses JSON keeping numbers that a double would round (long digit runs) as LosslessNumber. */
export function parseJsonExact(text: string): unknown {
  return parseLossless(text, null, (s) => (s.length > EXACT_NUMBER_TEXT_LENGTH ? new LosslessNumber(s) : Number(s)));
}

/** Whether JSON text may hold a number that JSON.parse would round. */
export function mayHoldLongNumber(text: string): boolean {
  return LONG_DIGITS.test(text);
}
const LONG_DIGITS = /\d{16}/;

/**
 * A JSON value (number, exact number text, or string) as an integer of type `t` (TINYINT…BIGINT),
 * exactly; undefined when it is not an integer or out of the type's range. `lenientFraction`
 * truncates a fraction (Flink's INT and BIGINT read 1.5 as 1).
 */
export function integralFrom(v: unknown, t: LogicalType, lenientFraction: boolean): Exact | undefined {
  let x: Exact | undefined;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    let n = v;
    if (!Number.isInteger(n)) {
      if (!lenientFraction) return undefined;
      n = Math.trunc(n);
    }
    if (Number.isSafeInteger(n)) x = n === 0 ? 0 : n;
    else {
      const s = String(n); // shortest text: the value the JSON text meant
      x = s.includes('e') ? undefined : canonical(BigInt(s));
    }
  } else if (typeof v === 'string') x = parseJavaInteger(v);
  else {
    const text = exactNumberText(v);
    if (text === undefined) return undefined;
    if (INTEGER.test(text)) x = parseInteger(text);
    else if (!lenientFraction) return undefined;
    else {
      const r = decFromString(text, 80, 3);
      x = r === undefined ? undefined : canonical(toBig(r) / 1000n);
    }
  }
  if (x === undefined) return undefined;
  if (t.kind === 'BIGINT') return inLongRange(x) ? x : undefined;
  const [lo, hi] = intRange(t);
  return typeof x === 'number' && x >= lo && x <= hi ? x : undefined;
}

/** Decimal text (BigDecimal(String)): digits with optional fraction and exponent. */
export function parseDecimalText(text: string): number | undefined {
  const s = text.trim();
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

export function truncateText(s: string, max = 200): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}
