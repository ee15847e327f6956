// Helpers shared by the formats: option reading, the internal field-error, text decoding.
import { ValidationError } from '../common/errors.js';
import { validateOptions, type OptionSpec } from '../common/options.js';
import type { LogicalType } from '../common/types.js';

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

/** An integer in text (Integer.parseInt / Long.parseLong on trimmed text). */
export function parseJavaInteger(text: string): number | undefined {
  const s = text.trim();
  if (!INTEGER.test(s)) return undefined;
  return Number(s);
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
