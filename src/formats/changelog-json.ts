// What the JSON changelog formats (debezium-json, canal-json, maxwell-json) share: their options
// (the json format's, under their own prefix), record parsing with the json format's field rules,
// metadata columns read from the envelope, and the errors Flink gives (a corrupt message names
// the record's location; with ignore-parse-errors it is skipped and counted).
import { ConnectorError, ValidationError } from '../common/errors.js';
import type { OptionSpec } from '../common/options.js';
import { setRowKind, type Field, type LogicalType, type Row, type RowKind } from '../common/types.js';
import type { ChangelogDecoder, FormatFactory, RecordLocation } from './api.js';
import { FieldParseError, truncateText } from './common.js';
import { jsonObjectConverter, parseJsonRecord, readJsonConfig, type JsonConfig, type JsonObjectConverter } from './json.js';

/** Options every JSON changelog format has, with Flink's names and defaults. */
export const CDC_JSON_OPTIONS: readonly OptionSpec[] = [
  { key: 'ignore-parse-errors', type: 'boolean', default: 'false', description: 'Skip records that are not valid JSON or not valid changes, and set fields that do not convert to NULL, instead of failing' },
  { key: 'timestamp-format.standard', type: 'enum', values: ['SQL', 'ISO-8601'], default: 'SQL', description: "Text form of TIMESTAMP and TIMESTAMP_LTZ: 'SQL' or 'ISO-8601'" },
  { key: 'map-null-key.mode', type: 'enum', values: ['FAIL', 'DROP', 'LITERAL'], default: 'FAIL', description: "What encoding does with a NULL map key: 'FAIL', 'DROP' the entry, or write 'LITERAL'" },
  { key: 'map-null-key.literal', type: 'string', default: 'null', description: "The key text written for a NULL map key when map-null-key.mode is 'LITERAL'" },
  { key: 'encode.decimal-as-plain-number', type: 'boolean', default: 'false', description: 'Write DECIMAL values without scientific notation' },
  { key: 'encode.ignore-null-fields', type: 'boolean', default: 'false', description: 'Leave out fields whose value is NULL when encoding' },
];

/** A record that is valid JSON but not a valid change (unknown op, missing image): "Corrupt … message". */
export class CorruptChange extends Error {}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A metadata column: its type and how it is read from the parsed record. */
export interface MetaReader {
  type: LogicalType;
  read(record: Json): unknown;
}

export const STRING_NULL: LogicalType = { kind: 'VARCHAR', length: 2147483647, nullable: true };
export const TS_LTZ3_NULL: LogicalType = { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: true };

/** Epoch milliseconds (a JSON number or numeric text) as a TIMESTAMP_LTZ value (micros); null when absent. */
export function millisToLtz(v: unknown, scale = 1): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'object' && v !== null ? Number(String(v)) : NaN;
  if (!Number.isFinite(n)) return null;
  return Math.trunc(n * scale) * 1000;
}

/** A JSON value as Flink's JSON reader gives it to a STRING column: text as is, anything else as JSON text. */
export function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'object' && x !== null && 'isLosslessNumber' in x ? Number(String(x)) : x));
}

export function textArray(v: unknown): string[] | null {
  return Array.isArray(v) ? v.map((x) => asText(x) as string) : null;
}

/** The options of a JSON changelog format read as the json format's. */
export function cdcJsonConfig(format: string, options: Record<string, string>, specs: readonly OptionSpec[]): JsonConfig {
  // The format-specific options (schema-include, database.include, …) are checked here and read by the format.
  return readJsonConfig(options, format, specs);
}

/**
 * The shared reader: parses the record, lets the format turn it into (kind, image) changes, and
 * appends the metadata. `Name` is the format's name in Flink's messages ("Debezium", "Canal").
 */
export abstract class CdcJsonDecoder implements ChangelogDecoder {
  protected readonly conv: JsonObjectConverter;
  protected readonly fieldNames: string[];
  private readonly meta: MetaReader[];
  protected readonly ignoreErrors: boolean;

  constructor(
    private readonly name: string,
    fields: Field[],
    cfg: JsonConfig,
    metadataKeys: string[],
    readers: Record<string, MetaReader>,
  ) {
    this.conv = jsonObjectConverter(fields, cfg);
    this.fieldNames = fields.map((f) => f.name);
    this.ignoreErrors = cfg.ignoreErrors;
    this.meta = metadataKeys.map((k) => {
      const r = readers[k];
      if (!r) throw new ConnectorError(`${name} JSON has no metadata key '${k}'. Available: ${Object.keys(readers).join(', ')}`);
      return r;
    });
  }

  /** The changes of one parsed record, without metadata (throws CorruptChange or FieldParseError). */
  protected abstract changes(record: Json, out: Row[]): void;

  /** The row of an image (an object of the record), with the json format's conversions. */
  protected image(v: unknown, what: string): Row {
    if (!isObject(v)) throw new CorruptChange(`the "${what}" field is ${v === undefined ? 'missing' : v === null ? 'null' : 'not an object'}`);
    try {
      return this.conv.convert(v);
    } catch (e) {
      if (e instanceof FieldParseError) throw new FieldParseError(`field '${this.conv.failedField()}' of "${what}": ${e.message}`);
      throw e;
    }
  }

  protected push(out: Row[], row: Row, kind: RowKind): void {
    out.push(setRowKind(row, kind));
  }

  decode(data: Uint8Array | string, where: RecordLocation): Row[] | null {
    let text = typeof data === 'string' ? data : '';
    let record: unknown;
    try {
      const p = parseJsonRecord(data);
      text = p.text;
      record = p.value;
    } catch (e) {
      if (this.ignoreErrors) return null;
      throw new ConnectorError(`Failed to deserialize ${this.name} JSON${text ? ` '${truncateText(text)}'` : ''} at ${where()}: ${(e as Error).message}`);
    }
    const out: Row[] = [];
    try {
      if (!isObject(record)) throw new CorruptChange('expected a JSON object');
      this.changes(record, out);
      if (this.meta.length) {
        const values = this.meta.map((m) => m.read(record as Json));
        for (const r of out) r.push(...values);
      }
    } catch (e) {
      if (!(e instanceof CorruptChange) && !(e instanceof FieldParseError)) throw e;
      if (this.ignoreErrors) return null;
      throw new ConnectorError(`Corrupt ${this.name} JSON message '${truncateText(text)}' at ${where()}: ${e.message}`);
    }
    return out;
  }
}

/**
 * The before-image of a Canal or Maxwell update: `old` holds only the changed columns, so a
 * column that is NULL in it and not named by it is the after-image's value (as Flink does).
 */
export function mergeBefore(before: Row, after: Row, names: string[], old: unknown): Row {
  for (let f = 0; f < names.length; f++) {
    if (before[f] === null && !hasKey(old, names[f])) before[f] = after[f];
  }
  return before;
}

/** Whether a JSON value (object or array of objects, searched deeply as Jackson's findValue) has the key. */
function hasKey(v: unknown, name: string): boolean {
  if (Array.isArray(v)) return v.some((x) => hasKey(x, name));
  if (!isObject(v)) return false;
  if (Object.hasOwn(v, name)) return true;
  return Object.values(v).some((x) => typeof x === 'object' && x !== null && hasKey(x, name));
}

/** The row-at-a-time reader and writer of a changelog format: refused (the connector must handle changes). */
export function changelogOnly(id: string): Pick<FormatFactory, 'createDecoder' | 'createEncoder'> {
  const refuse = (): never => {
    throw new ValidationError(`Format '${id}' produces and consumes a changelog (INSERT/UPDATE/DELETE), which this connector does not support: changelog formats are read by the 'kafka' and 'filesystem' sources and written by the 'kafka' sink`);
  };
  return { createDecoder: refuse, createEncoder: refuse };
}
