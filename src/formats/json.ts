// The `json` format, as Flink's (flink-json): one JSON object per record, fields by name.
//
// Decoding: JSON.parse, then a per-schema converter table built once (names, kinds and
// converter functions by position); the per-row loop allocates only the row array.
// - missing field → NULL (or an error with fail-on-missing-field);
// - a record that is not valid JSON → an error naming the record's location, or a skip
//   (decode returns null) with ignore-parse-errors;
// - a field whose value does not convert → an error naming the field and location, or NULL in
//   that field with ignore-parse-errors (Flink: "Fields are set to null in case of errors");
// - numbers given as strings are accepted where Flink accepts them (all numeric types), a
//   non-string JSON value in a STRING column becomes its JSON text, BYTES are base64;
// - timestamp-format.standard SQL: TIMESTAMP `2025-12-29 10:00:00[.fff]`, TIMESTAMP_LTZ
//   `2025-12-29 10:00:00Z`; ISO-8601: `2025-12-29T10:00:00[.fff]` and `…Z`. tsstream is more
//   lenient than Flink in two places: a TIMESTAMP column in ISO-8601 mode accepts a trailing `Z`
//   (read as UTC wall-clock time; Flink's ISO_LOCAL_DATE_TIME would fail), and TIMESTAMP_LTZ
//   accepts numeric offsets (`+02:00`) besides `Z`.
// Encoding writes what Flink writes: fields in schema order, nulls as null (unless
// encode.ignore-null-fields), timestamps in the chosen standard, DECIMAL with its scale
// (`1.50`), FLOAT/DOUBLE as Java prints them (`1.0`, `1.0E10`), BYTES base64, MAP keys as text.
import { isNanosType } from '../common/nanos.js';
import { ConnectorError, ValidationError } from '../common/errors.js';
import type { OptionSpec } from '../common/options.js';
import type { Field, LogicalType, Row } from '../common/types.js';
import { LosslessNumber, stringify as stringifyLossless } from 'lossless-json';
import type { FormatFactory, RecordLocation, RowDecoder, RowEncoder } from './api.js';
import {
  FieldParseError,
  fieldFail,
  formatOptions,
  EXACT_NUMBER_TEXT_LENGTH,
  exactNumberText,
  integralFrom,
  mayHoldLongNumber,
  parseDecimalText,
  parseJavaDouble,
  parseJsonExact,
  strictUtf8,
  toText,
  truncateText,
} from './common.js';
import { base64Decode, base64Encode, decimalJava, decimalPlain, javaDoubleToString, javaFloatToString } from './javafmt.js';
import { decFromString, type Exact } from '../common/exact.js';
import {
  SEP_SPACE,
  SEP_T,
  ZONE_FORBIDDEN,
  ZONE_REQUIRED,
  ZONE_Z_ONLY,
  formatDateIso,
  formatTimeMinimal,
  formatTimestampFlink,
  formatNanosFlink,
  lastNanos,
  parseDateStrict,
  parseTimeStrict,
  truncateTime,
  parseTimestampStrict,
  timestampParser,
} from './temporal.js';

export const JSON_OPTIONS: readonly OptionSpec[] = [
  { key: 'fail-on-missing-field', type: 'boolean', default: 'false', description: 'Fail when a field of the schema is missing from a record (default: the field is NULL)' },
  { key: 'ignore-parse-errors', type: 'boolean', default: 'false', description: 'Skip records that are not valid JSON and set fields that do not convert to NULL, instead of failing' },
  { key: 'timestamp-format.standard', type: 'enum', values: ['SQL', 'ISO-8601'], default: 'SQL', description: "Text form of TIMESTAMP and TIMESTAMP_LTZ: 'SQL' (2020-12-30 12:13:14.123) or 'ISO-8601' (2020-12-30T12:13:14.123)" },
  { key: 'map-null-key.mode', type: 'enum', values: ['FAIL', 'DROP', 'LITERAL'], default: 'FAIL', description: "What encoding does with a NULL map key: 'FAIL', 'DROP' the entry, or write 'LITERAL'" },
  { key: 'map-null-key.literal', type: 'string', default: 'null', description: "The key text written for a NULL map key when map-null-key.mode is 'LITERAL'" },
  { key: 'encode.decimal-as-plain-number', type: 'boolean', default: 'false', description: 'Write DECIMAL values without scientific notation (0.000000027 instead of 2.7E-8)' },
  { key: 'encode.ignore-null-fields', type: 'boolean', default: 'false', description: 'Leave out fields whose value is NULL when encoding' },
  { key: 'decode.json-parser.enabled', type: 'boolean', default: 'true', description: 'Accepted for compatibility with Flink (which parser Flink uses); no effect' },
];

export interface JsonConfig {
  failOnMissing: boolean;
  ignoreErrors: boolean;
  iso: boolean;
  mapNullKeyMode: string;
  mapNullKeyLiteral: string;
  decimalPlain: boolean;
  ignoreNullFields: boolean;
}

function readConfig(options: Record<string, string>, format = 'json', specs: readonly OptionSpec[] = JSON_OPTIONS): JsonConfig {
  const o = formatOptions(format, options, specs);
  const cfg: JsonConfig = {
    failOnMissing: o.bool('fail-on-missing-field'),
    ignoreErrors: o.bool('ignore-parse-errors'),
    iso: o.str('timestamp-format.standard') === 'ISO-8601',
    mapNullKeyMode: o.str('map-null-key.mode')!,
    mapNullKeyLiteral: o.str('map-null-key.literal')!,
    decimalPlain: o.bool('encode.decimal-as-plain-number'),
    ignoreNullFields: o.bool('encode.ignore-null-fields'),
  };
  if (cfg.failOnMissing && cfg.ignoreErrors) {
    throw new ValidationError(`Options '${format}.fail-on-missing-field' and '${format}.ignore-parse-errors' cannot both be true`);
  }
  return cfg;
}

// ---------------------------------------------------------------------------------------------
// Decoding

type Conv = (v: unknown) => unknown;

// Kind codes for the fields the row loop converts inline (no call).
const K_OTHER = 0;
const K_STRING = 1;
const K_BIGINT = 2;
const K_DOUBLE = 3;
const K_BOOLEAN = 4;
/** A nested ROW: the text scanner reads its object with a child decoder. */
const K_ROW = 5;

function describe(v: unknown): string {
  return typeof v === 'string' ? `'${truncateText(v, 80)}'` : truncateText(exactNumberText(v) ?? stringifyLossless(v) ?? String(v), 80);
}

function isNumberValue(v: unknown): boolean {
  return typeof v === 'number' || exactNumberText(v) !== undefined;
}

function typeName(t: LogicalType): string {
  switch (t.kind) {
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return `${t.kind}(${t.precision})`;
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    default:
      return t.kind === 'VARCHAR' ? 'STRING' : t.kind === 'VARBINARY' ? 'BYTES' : t.kind;
  }
}

function makeConverter(t: LogicalType, cfg: JsonConfig, notNull?: Conv): Conv {
  const conv = notNull ?? makeNotNullConverter(t, cfg);
  if (!cfg.ignoreErrors) {
    return (v) => (v === null || v === undefined ? null : conv(v));
  }
  return (v) => {
    if (v === null || v === undefined) return null;
    try {
      return conv(v);
    } catch (e) {
      if (e instanceof FieldParseError) return null;
      throw e;
    }
  };
}

function makeNotNullConverter(t: LogicalType, cfg: JsonConfig): Conv {
  switch (t.kind) {
    case 'NULL':
      return () => null;
    case 'BOOLEAN':
      return (v) => {
        if (typeof v === 'boolean') return v;
        if (typeof v === 'string') return v.trim().toLowerCase() === 'true';
        if (typeof v === 'number') return false; // Boolean.parseBoolean(node.asText())
        return fieldFail(`cannot convert ${describe(v)} to BOOLEAN`);
      };
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT': {
      const name = t.kind;
      const lenientFraction = t.kind === 'INT' || t.kind === 'BIGINT';
      return (v) => {
        const n = integralFrom(v, t, lenientFraction);
        if (n === undefined) return fieldFail(`cannot convert ${describe(v)} to ${name}${isNumberValue(v) ? ' (out of range)' : ''}`);
        return n;
      };
    }
    case 'FLOAT':
    case 'DOUBLE': {
      const name = t.kind;
      const f = t.kind === 'FLOAT';
      return (v) => {
        let n: number | undefined;
        if (typeof v === 'number') n = v;
        else if (typeof v === 'string') n = parseJavaDouble(v);
        else {
          const text = exactNumberText(v);
          if (text !== undefined) n = Number(text);
        }
        if (n === undefined) return fieldFail(`cannot convert ${describe(v)} to ${name}`);
        return f ? Math.fround(n) : n;
      };
    }
    case 'DECIMAL': {
      const { precision, scale } = t;
      return (v) => {
        // Exactly from the number's text (a long one is kept as text by the parser), HALF_UP to the scale.
        const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : undefined) : typeof v === 'string' ? v.trim() : exactNumberText(v);
        if (text === undefined || parseDecimalText(text) === undefined) return fieldFail(`cannot convert ${describe(v)} to DECIMAL(${precision}, ${scale})`);
        // Beyond the precision it is NULL, as Flink's JSON format reads it (DecimalData.fromBigDecimal overflows to null).
        return decFromString(text, precision, scale) ?? null;
      };
    }
    case 'CHAR':
    case 'VARCHAR':
      // A number keeps its text, as Flink's (BigDecimal) JSON node prints it.
      return (v) => (typeof v === 'string' ? v : (exactNumberText(v) ?? stringifyLossless(v) ?? 'null'));
    case 'BINARY':
    case 'VARBINARY':
      return (v) => {
        const b = typeof v === 'string' ? base64Decode(v) : undefined;
        return b ?? fieldFail(`cannot decode ${describe(v)} as base64 BYTES`);
      };
    case 'DATE':
      return (v) => {
        const d = typeof v === 'string' ? parseDateStrict(v) : NaN;
        return d === d ? d : fieldFail(`cannot parse ${describe(v)} as DATE (expected yyyy-MM-dd)`);
      };
    case 'TIME': {
      // TIME(p) is TIME(0) in Flink 1.20's planner: the text's fraction of a second is dropped.
      const p = t.precision;
      return (v) => {
        const d = typeof v === 'string' ? parseTimeStrict(v) : NaN;
        return d === d ? truncateTime(d, p) : fieldFail(`cannot parse ${describe(v)} as TIME (expected HH:mm:ss)`);
      };
    }
    case 'TIMESTAMP': {
      const sep = cfg.iso ? SEP_T : SEP_SPACE;
      const zone = cfg.iso ? ZONE_Z_ONLY : ZONE_FORBIDDEN;
      const expected = cfg.iso ? "yyyy-MM-dd'T'HH:mm:ss[.SSS] with json.timestamp-format.standard 'ISO-8601'" : "yyyy-MM-dd HH:mm:ss[.SSS] with json.timestamp-format.standard 'SQL'";
      const name = typeName(t);
      const nanos = isNanosType(t);
      const parse = nanos ? (s: string) => parseTimestampStrict(s, sep, zone, !cfg.iso) : timestampParser(sep, zone, !cfg.iso);
      return (v) => {
        const d = typeof v === 'string' ? parse(v) : NaN;
        return d === d ? (nanos ? lastNanos() : d) : fieldFail(`cannot parse ${describe(v)} as ${name} (expected ${expected})`);
      };
    }
    case 'TIMESTAMP_LTZ': {
      const sep = cfg.iso ? SEP_T : SEP_SPACE;
      const expected = cfg.iso
        ? "yyyy-MM-dd'T'HH:mm:ss[.SSS]Z with json.timestamp-format.standard 'ISO-8601'"
        : "yyyy-MM-dd HH:mm:ss[.SSS]Z with json.timestamp-format.standard 'SQL'";
      const name = typeName(t);
      const nanos = isNanosType(t);
      return (v) => {
        const d = typeof v === 'string' ? parseTimestampStrict(v, sep, ZONE_REQUIRED, !cfg.iso) : NaN;
        return d === d ? (nanos ? lastNanos() : d) : fieldFail(`cannot parse ${describe(v)} as ${name} (expected ${expected})`);
      };
    }
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH':
      return (v) => {
        const n = integralFrom(v, { kind: 'INT', nullable: true }, false) ?? (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);
        return n ?? fieldFail(`cannot convert ${describe(v)} to ${t.kind}`);
      };
    case 'ARRAY': {
      const el = makeConverter(t.element, cfg);
      return (v) => {
        if (!Array.isArray(v)) return fieldFail(`expected a JSON array for ${typeName(t)}, got ${describe(v)}`);
        const out = new Array(v.length);
        for (let i = 0; i < v.length; i++) out[i] = el(v[i]);
        return out;
      };
    }
    case 'MAP': {
      const kc = makeConverter(t.key, cfg);
      const vc = makeConverter(t.value, cfg);
      return (v) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return fieldFail(`expected a JSON object for MAP, got ${describe(v)}`);
        const m = new Map<unknown, unknown>();
        for (const k in v as Record<string, unknown>) m.set(kc(k), vc((v as Record<string, unknown>)[k]));
        return m;
      };
    }
    case 'ROW': {
      const dec = new ObjectDecoder(t.fields, cfg);
      return (v) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return fieldFail(`expected a JSON object for ROW, got ${describe(v)}`);
        return dec.convert(v as Record<string, unknown>);
      };
    }
    default: {
      const never: never = t;
      throw new ValidationError(`json format: unsupported type ${(never as LogicalType).kind}`);
    }
  }
}

/** Converts a parsed JSON object to a positional row for a fixed list of fields. */
class ObjectDecoder {
  private readonly n: number;
  private readonly names: string[];
  private readonly kinds: Uint8Array;
  private readonly convs: Conv[];
  /** Names that Object.prototype also has ('constructor', 'toString'): looked up with hasOwn. */
  private readonly own: boolean[];
  private readonly failOnMissing: boolean;
  private readonly ignoreErrors: boolean;
  /** Field index being converted when an error is thrown (for the message). */
  current = 0;
  /** For the text scanner: name lengths, and field positions by name length. */
  private readonly nameLen: number[];
  private readonly byLen: (number[] | undefined)[];
  /** For the text scanner: the decoders of nested ROW fields, by position. */
  private readonly children: (ObjectDecoder | undefined)[];
  /** For the text scanner: the index just after the object scanObject() read. */
  private end = 0;
  /**
   * For the text scanner: fields whose string values need no check for raw control characters (a
   * strict date/time parser refuses them, and decode() then lets JSON.parse say why).
   */
  private readonly strictText: boolean[];
  /** A field name with a control character: the scanner then checks whole records for them. */
  private readonly controlInNames: boolean;
  /** Nested fields the plan never reads (Field.unread): their values are skipped, the field is NULL. */
  private readonly unread: boolean[];

  constructor(readonly fields: Field[], cfg: JsonConfig) {
    this.n = fields.length;
    this.names = fields.map((f) => f.name);
    this.kinds = new Uint8Array(fields.map((f) => kindCode(f.type)));
    this.children = fields.map((f) => (f.type.kind === 'ROW' ? new ObjectDecoder(f.type.fields, cfg) : undefined));
    this.convs = fields.map((f, i) => {
      const child = this.children[i];
      if (!child) return makeConverter(f.type, cfg);
      // makeConverter's null and ignore-parse-errors handling around the same child decoder the scanner uses.
      return makeConverter({ kind: 'NULL', nullable: true }, cfg, (v: unknown) => {
        child.current = -1;
        if (typeof v !== 'object' || Array.isArray(v)) return fieldFail(`expected a JSON object for ROW, got ${describe(v)}`);
        return child.convert(v as Record<string, unknown>);
      });
    });
    this.own = fields.map((f) => f.name in Object.prototype);
    this.nameLen = fields.map((f) => f.name.length);
    this.byLen = [];
    fields.forEach((f, i) => {
      // A later duplicate name never matches first (as JSON.parse's object has one value per key).
      (this.byLen[f.name.length] ??= []).push(i);
    });
    this.failOnMissing = cfg.failOnMissing;
    this.ignoreErrors = cfg.ignoreErrors;
    const strict = new Set(['DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ']);
    // With ignore-parse-errors a refused value is a NULL field, not the record's error: every string is checked.
    this.strictText = fields.map((f) => !cfg.ignoreErrors && strict.has(f.type.kind));
    this.controlInNames = fields.some((f, i) => CONTROL_CHAR.test(f.name) || this.children[i]?.controlInNames === true);
    this.unread = fields.map((f) => f.unread === true);
  }

  convert(obj: Record<string, unknown>): Row {
    this.current = -1;
    const n = this.n;
    const row = new Array(n);
    const names = this.names;
    for (let i = 0; i < n; i++) {
      const name = names[i];
      const v = this.own[i] ? (Object.hasOwn(obj, name) ? obj[name] : undefined) : obj[name];
      if (v === undefined) {
        this.current = i;
        if (this.failOnMissing) fieldFail(`could not find field '${name}'`);
        row[i] = null;
      } else if (this.unread[i]) row[i] = null;
      else this.put(row, i, v);
    }
    return row;
  }

  /** Converts one present value into row[i] (inline for the common scalar kinds). */
  private put(row: Row, i: number, v: unknown): void {
    this.current = i;
    switch (this.kinds[i]) {
      case K_STRING:
        row[i] = typeof v === 'string' ? v : this.convs[i](v);
        break;
      case K_BIGINT:
        row[i] = typeof v === 'number' && Number.isSafeInteger(v) ? v : this.convs[i](v);
        break;
      case K_DOUBLE:
        row[i] = typeof v === 'number' ? v : this.convs[i](v);
        break;
      case K_BOOLEAN:
        row[i] = typeof v === 'boolean' ? v : this.convs[i](v);
        break;
      default:
        row[i] = this.convs[i](v);
    }
  }

  /**
   * Fast path for flat objects, reading the text directly instead of JSON.parse building an
   * object first. Returns undefined (the caller then uses JSON.parse) for anything it does not
   * handle: nested objects or arrays, escapes in strings, malformed text.
   */
  scan(s: string): Row | undefined {
    // Escapes: JSON.parse handles those records. Raw control characters (not allowed in a JSON string)
    // are looked for in the strings the scan reads (whitespace between tokens is read as such).
    if (s.indexOf('\\') >= 0 || (this.controlInNames && CONTROL_CHAR.test(s))) return undefined;
    let i = 0;
    let c = s.charCodeAt(i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
    const row = this.scanObject(s, i);
    if (row === undefined) return undefined;
    i = this.end;
    c = s.charCodeAt(i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
    return i < s.length ? undefined : row;
  }

  /**
   * Reads the object starting at s[start] ('{'): nested objects of ROW fields with their child
   * decoders, nested objects and arrays of keys not in the schema skipped. Sets `end` to the
   * index after its '}'.
   */
  private scanObject(s: string, start: number): Row | undefined {
    let i = start;
    let c = s.charCodeAt(i);
    if (c !== 123) return undefined;
    this.current = -1;
    c = s.charCodeAt(++i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
    const n = this.n;
    const row = new Array(n);
    const names = this.names;
    const nameLen = this.nameLen;
    const byLen = this.byLen;
    // Keys usually come in the same order record after record: try the field after the last one first.
    let predicted = 0;
    if (c !== 125) {
      for (;;) {
        if (c !== 34) return undefined;
        const ks = i + 1;
        const ke = s.indexOf('"', ks);
        if (ke < 0) return undefined;
        // Match the key against the field names without cutting it out of the text.
        const kl = ke - ks;
        let fi: number | undefined;
        if (predicted < n && nameLen[predicted] === kl && s.startsWith(names[predicted], ks)) fi = predicted;
        else {
          const bucket = kl < byLen.length ? byLen[kl] : undefined;
          if (bucket !== undefined) {
            for (let b = 0; b < bucket.length; b++) {
              if (s.startsWith(names[bucket[b]], ks)) {
                fi = bucket[b];
                break;
              }
            }
          }
        }
        if (fi !== undefined) {
          predicted = fi + 1;
          // A field the plan never reads: present (for fail-on-missing-field), its value skipped as an unknown key's.
          if (this.unread[fi]) {
            row[fi] = null;
            fi = undefined;
          }
        } else if (hasControl(s, ks, ke)) return undefined;
        i = ke + 1;
        c = s.charCodeAt(i);
        while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
        if (c !== 58) return undefined;
        c = s.charCodeAt(++i);
        while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
        let v: unknown;
        if (c === 34) {
          const ve = s.indexOf('"', i + 1);
          // A raw control character is not JSON (RFC 8259): JSON.parse refuses it with the reason.
          if (ve < 0 || ((fi === undefined || !this.strictText[fi]) && hasControl(s, i + 1, ve))) return undefined;
          v = fi === undefined ? null : s.slice(i + 1, ve);
          i = ve + 1;
        } else if ((c >= 48 && c <= 57) || c === 45) {
          const vs = i;
          // An integer of up to 15 digits (the common case) is read as it is scanned: exact as a double, no text cut out.
          let k = c === 45 ? i + 1 : i;
          const d0 = s.charCodeAt(k);
          let n = 0;
          let d = d0 - 48;
          while (d >= 0 && d <= 9) {
            n = n * 10 + d;
            d = s.charCodeAt(++k) - 48;
          }
          const nd = k - (c === 45 ? i + 1 : i);
          c = d + 48;
          if (nd >= 1 && nd <= EXACT_NUMBER_TEXT_LENGTH && (nd === 1 || d0 !== 48) && c !== 46 && c !== 101 && c !== 69 && c !== 43 && c !== 45 && (fi === undefined || this.kinds[fi] !== K_STRING)) {
            i = k;
            v = fi === undefined ? null : s.charCodeAt(vs) === 45 ? -n : n;
          } else {
            i = vs;
            c = s.charCodeAt(++i);
            while ((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45) c = s.charCodeAt(++i);
            const numText = s.slice(vs, i);
            // Number() also takes 007, 1. and 1.e5, which JSON does not: JSON.parse says why.
            if (!JSON_NUMBER.test(numText)) return undefined;
            v = Number(numText);
            // A number in a STRING column keeps its text, as Flink's (BigDecimal) JSON node prints it;
            // long number texts stay exact (BIGINT and DECIMAL beyond what a double holds).
            if (fi !== undefined) {
              if (this.kinds[fi] === K_STRING) v = numText;
              else if (numText.length > EXACT_NUMBER_TEXT_LENGTH && this.kinds[fi] !== K_DOUBLE) v = new LosslessNumber(numText);
            }
          }
        } else if (c === 123 || c === 91) {
          // A nested object: a ROW field's value, or a key the schema does not have (skipped).
          if (fi === undefined) {
            const e = skipComposite(s, i);
            if (e < 0) return undefined;
            try {
              JSON.parse(s.slice(i, e)); // skipped, but it must be JSON
            } catch {
              return undefined;
            }
            i = e;
            v = null;
          } else {
            const child = this.children[fi];
            if (child === undefined || c !== 123) return undefined; // arrays, maps: JSON.parse
            this.current = fi;
            const nested = child.scanObject(s, i);
            if (nested === undefined) return undefined;
            i = child.end;
            row[fi] = nested;
            fi = undefined; // stored
          }
        } else if (c === 116 && s.startsWith('true', i)) {
          v = true;
          i += 4;
        } else if (c === 102 && s.startsWith('false', i)) {
          v = false;
          i += 5;
        } else if (c === 110 && s.startsWith('null', i)) {
          v = null;
          i += 4;
        } else return undefined;
        if (fi !== undefined) this.put(row, fi, v);
        c = s.charCodeAt(i);
        while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
        if (c === 44) {
          c = s.charCodeAt(++i);
          while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
          continue;
        }
        if (c === 125) break;
        return undefined;
      }
    }
    this.end = i + 1;
    for (let k = 0; k < n; k++) {
      if (row[k] === undefined) {
        this.current = k;
        if (this.failOnMissing) fieldFail(`could not find field '${this.names[k]}'`);
        row[k] = null;
      }
    }
    return row;
  }

  /** The dotted path of the field that failed (nested rows included). */
  failedField(): string {
    const child = this.children[this.current];
    return (this.names[this.current] ?? '?') + (child !== undefined && child.current >= 0 ? '.' + child.failedField() : '');
  }

  get lenient(): boolean {
    return this.ignoreErrors;
  }

  /**
   * For a columnar reader of flat records: each field's converter (a present JSON value, as
   * scanObject() hands it to put(), to the row value) and whether the field is a string column.
   * Undefined when a field is nested or two fields share a name.
   */
  flatConverters(): { convs: Conv[]; stringKind: boolean[]; doubleKind: boolean[]; bigintKind: boolean[]; failOnMissing: boolean } | undefined {
    if (this.children.some((c) => c !== undefined) || new Set(this.names).size !== this.n) return undefined;
    if (this.fields.some((f) => f.type.kind === 'ARRAY' || f.type.kind === 'MAP')) return undefined;
    return {
      convs: this.convs,
      stringKind: [...this.kinds].map((k) => k === K_STRING), doubleKind: [...this.kinds].map((k) => k === K_DOUBLE),
      bigintKind: [...this.kinds].map((k) => k === K_BIGINT),
      failOnMissing: this.failOnMissing,
    };
  }
}

/** The index after the object or array starting at s[start] (strings without escapes: scan() refuses those), or -1. */
function skipComposite(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      const e = s.indexOf('"', i + 1);
      if (e < 0) return -1;
      i = e;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

/** RFC 8259's number grammar. */
export const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A character below U+0020 (raw control characters are not allowed in a JSON string). */
const CONTROL_CHAR = /[\u0000-\u001f]/;

/** Whether s[from, to) has a character below U+0020 (a loop: the strings of a record are short). */
function hasControl(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (s.charCodeAt(k) < 32) return true;
  return false;
}


function kindCode(t: LogicalType): number {
  switch (t.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return K_STRING;
    case 'BIGINT':
      return K_BIGINT;
    case 'DOUBLE':
      return K_DOUBLE;
    case 'BOOLEAN':
      return K_BOOLEAN;
    case 'ROW':
      return K_ROW;
    default:
      return K_OTHER;
  }
}

/**
 * For the formats built on JSON (debezium-json, canal-json, maxwell-json): their options read with
 * the json format's meaning, and a parsed object's fields converted by the json format's rules.
 */
export const readJsonConfig = readConfig;

export interface JsonObjectConverter {
  /** The row of `fields` from a parsed object (throws FieldParseError naming nothing: see failedField). */
  convert(obj: Record<string, unknown>): Row;
  failedField(): string;
}

export function jsonObjectConverter(fields: Field[], cfg: JsonConfig): JsonObjectConverter {
  return new ObjectDecoder(fields, cfg);
}

/** Record bytes (strict UTF-8) or text parsed as JSON, long numbers kept exact. Throws FieldParseError or SyntaxError. */
export function parseJsonRecord(data: Uint8Array | string): { text: string; value: unknown } {
  const text = typeof data === 'string' ? data : strictUtf8(data);
  return { text, value: mayHoldLongNumber(text) ? parseJsonExact(text) : JSON.parse(text) };
}

export class JsonRowDecoder implements RowDecoder {
  private readonly dec: ObjectDecoder;
  private readonly ignoreErrors: boolean;

  /** Whether the text scanner is tried first (off for schemas with nested columns, or when it rarely succeeds). */
  private scanning: boolean;
  private scanTries = 0;
  private scanMisses = 0;

  constructor(readonly fields: Field[], options: Record<string, string>) {
    const cfg = readConfig(options);
    this.dec = new ObjectDecoder(fields, cfg);
    this.ignoreErrors = cfg.ignoreErrors;
    this.scanning = fields.every(function flat(f: Field): boolean {
      return f.type.kind === 'ROW' ? f.type.fields.every(flat) : f.type.kind !== 'ARRAY' && f.type.kind !== 'MAP';
    });
  }

  private adapt(): void {
    // Records the scanner hands over to JSON.parse cost twice: stop scanning when most do.
    if (this.scanMisses * 2 > this.scanTries) this.scanning = false;
    this.scanTries = 0;
    this.scanMisses = 0;
  }

  /** See ObjectDecoder.flatConverters (the columnar JSON reader's contract with the row decoder). */
  flatConverters(): ReturnType<ObjectDecoder['flatConverters']> {
    return this.dec.flatConverters();
  }

  decode(data: Uint8Array | string, where: RecordLocation): Row | null {
    let text: string;
    try {
      text = typeof data === 'string' ? data : strictUtf8(data);
    } catch (e) {
      if (this.ignoreErrors) return null;
      throw new ConnectorError(`Failed to deserialize JSON at ${where()}: ${(e as Error).message}`);
    }
    try {
      if (this.scanning) {
        const fast = this.dec.scan(text);
        if (++this.scanTries >= 1024) this.adapt();
        if (fast !== undefined) return fast;
        this.scanMisses++;
      }
    } catch (e) {
      if (!(e instanceof FieldParseError)) throw e;
      // A value refused by its strict parser may hold a raw control character: then the record is not JSON (JSON.parse says so).
      if (!CONTROL_CHAR.test(text)) throw new ConnectorError(`Failed to deserialize JSON '${truncateText(text)}' at ${where()}: field '${this.dec.failedField()}': ${e.message}`);
    }
    let obj: unknown;
    try {
      obj = mayHoldLongNumber(text) ? parseJsonExact(text) : JSON.parse(text);
    } catch (e) {
      if (this.ignoreErrors) return null;
      throw new ConnectorError(`Failed to deserialize JSON '${truncateText(text)}' at ${where()}: ${(e as Error).message}`, { cause: e });
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      if (this.ignoreErrors) return null;
      throw new ConnectorError(`Failed to deserialize JSON '${truncateText(text)}' at ${where()}: expected a JSON object`);
    }
    try {
      return this.dec.convert(obj as Record<string, unknown>);
    } catch (e) {
      if (!(e instanceof FieldParseError)) throw e;
      // With ignore-parse-errors, converters return NULL instead of throwing: this is a strict-mode error.
      throw new ConnectorError(`Failed to deserialize JSON '${truncateText(text)}' at ${where()}: field '${this.dec.failedField()}': ${e.message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

type Enc = (v: unknown) => string;

function makeEncoder(t: LogicalType, cfg: JsonConfig): Enc {
  const e = makeNotNullEncoder(t, cfg);
  return (v) => (v === null || v === undefined ? 'null' : e(v));
}

function javaNumberJson(s: string): string {
  // Jackson writes NaN/Infinity as strings (WRITE_NAN_AS_STRINGS).
  return s === 'NaN' || s === 'Infinity' || s === '-Infinity' ? `"${s}"` : s;
}

function makeNotNullEncoder(t: LogicalType, cfg: JsonConfig): Enc {
  switch (t.kind) {
    case 'NULL':
      return () => 'null';
    case 'BOOLEAN':
      return (v) => (v ? 'true' : 'false');
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH':
      return (v) => String(v);
    case 'FLOAT':
      return (v) => javaNumberJson(javaFloatToString(v as number));
    case 'DOUBLE':
      return (v) => javaNumberJson(javaDoubleToString(v as number));
    case 'DECIMAL': {
      const scale = t.scale;
      return cfg.decimalPlain ? (v) => decimalPlain(v as Exact, scale) : (v) => decimalJava(v as Exact, scale);
    }
    case 'CHAR':
    case 'VARCHAR':
      return (v) => JSON.stringify(v);
    case 'BINARY':
    case 'VARBINARY':
      return (v) => `"${base64Encode(v as Uint8Array)}"`;
    case 'DATE':
      return (v) => `"${formatDateIso(v as number)}"`;
    case 'TIME':
      // Flink's JSON writes whole seconds (LocalTime.ofSecondOfDay), its CSV the fraction too.
      return (v) => `"${formatTimeMinimal(truncateTime(v as number, 0))}"`;
    case 'TIMESTAMP': {
      const sep = cfg.iso ? 'T' : ' ';
      if (isNanosType(t)) return (v) => `"${formatNanosFlink(v as bigint, sep)}"`;
      return (v) => `"${formatTimestampFlink(v as number, sep)}"`;
    }
    case 'TIMESTAMP_LTZ': {
      const sep = cfg.iso ? 'T' : ' ';
      if (isNanosType(t)) return (v) => `"${formatNanosFlink(v as bigint, sep, 'Z')}"`;
      return (v) => `"${formatTimestampFlink(v as number, sep, 'Z')}"`;
    }
    case 'ARRAY': {
      const el = makeEncoder(t.element, cfg);
      return (v) => {
        const a = v as unknown[];
        let s = '[';
        for (let i = 0; i < a.length; i++) s += (i ? ',' : '') + el(a[i]);
        return s + ']';
      };
    }
    case 'MAP': {
      const keyText = makeKeyText(t.key, cfg);
      const ve = makeEncoder(t.value, cfg);
      const mode = cfg.mapNullKeyMode;
      const literal = JSON.stringify(cfg.mapNullKeyLiteral);
      return (v) => {
        let s = '{';
        let first = true;
        for (const [k, val] of v as Map<unknown, unknown>) {
          let kt: string;
          if (k === null || k === undefined) {
            if (mode === 'DROP') continue;
            if (mode === 'FAIL') {
              throw new ConnectorError(
                "JSON format doesn't support to serialize map data with null keys. You can drop null key entries or encode null in literals by specifying 'json.map-null-key.mode' option.",
              );
            }
            kt = literal;
          } else kt = JSON.stringify(keyText(k));
          s += (first ? '' : ',') + kt + ':' + ve(val);
          first = false;
        }
        return s + '}';
      };
    }
    case 'ROW': {
      const enc = new ObjectEncoder(t.fields, cfg);
      return (v) => enc.encode(v as Row);
    }
    default: {
      const never: never = t;
      throw new ValidationError(`json format: unsupported type ${(never as LogicalType).kind}`);
    }
  }
}

/** Map keys are written as JSON object keys: the value's text (strings as is). */
function makeKeyText(t: LogicalType, cfg: JsonConfig): (v: unknown) => string {
  if (t.kind === 'CHAR' || t.kind === 'VARCHAR') return (v) => v as string;
  const e = makeNotNullEncoder(t, cfg);
  return (v) => {
    const s = e(v);
    return s.startsWith('"') ? (JSON.parse(s) as string) : s;
  };
}

class ObjectEncoder {
  private readonly keys: string[];
  private readonly encs: Enc[];
  /** K_STRING / K_BIGINT (any integer type) / K_BOOLEAN are written inline; others call their encoder. */
  private readonly kinds: Uint8Array;
  private readonly ignoreNulls: boolean;

  constructor(fields: Field[], cfg: JsonConfig) {
    this.keys = fields.map((f) => JSON.stringify(f.name) + ':');
    this.encs = fields.map((f) => makeEncoder(f.type, cfg));
    this.kinds = new Uint8Array(
      fields.map((f) => {
        const k = f.type.kind;
        if (k === 'CHAR' || k === 'VARCHAR') return K_STRING;
        if (k === 'TINYINT' || k === 'SMALLINT' || k === 'INT' || k === 'BIGINT') return K_BIGINT;
        if (k === 'BOOLEAN') return K_BOOLEAN;
        return K_OTHER;
      }),
    );
    this.ignoreNulls = cfg.ignoreNullFields;
  }

  encode(row: Row): string {
    let s = '{';
    let first = true;
    const keys = this.keys;
    const kinds = this.kinds;
    for (let i = 0; i < keys.length; i++) {
      const v = row[i];
      let text: string;
      if (v === null || v === undefined) {
        if (this.ignoreNulls) continue;
        text = 'null';
      } else {
        switch (kinds[i]) {
          case K_STRING:
            text = JSON.stringify(v);
            break;
          case K_BIGINT:
            text = '' + (v as number);
            break;
          case K_BOOLEAN:
            text = v ? 'true' : 'false';
            break;
          default:
            text = this.encs[i](v);
        }
      }
      s += (first ? '' : ',') + keys[i] + text;
      first = false;
    }
    return s + '}';
  }
}

/** A row of `fields` as one JSON object's text, by the json format's rules (for the changelog formats' envelopes). */
export function jsonObjectEncoder(fields: Field[], cfg: JsonConfig): { encode(row: Row): string } {
  return new ObjectEncoder(fields, cfg);
}

export class JsonRowEncoder implements RowEncoder {
  private readonly enc: ObjectEncoder;
  constructor(fields: Field[], options: Record<string, string>) {
    this.enc = new ObjectEncoder(fields, readConfig(options));
  }
  /** One JSON object as text (no trailing newline). */
  encode(row: Row): string {
    return this.enc.encode(row);
  }
}

export const jsonFormat: FormatFactory = {
  identifier: 'json',
  options: JSON_OPTIONS,
  createDecoder: (fields, options) => new JsonRowDecoder(fields, options),
  createEncoder: (fields, options) => new JsonRowEncoder(fields, options),
};
