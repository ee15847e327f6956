// The `csv` format, as Flink's (flink-csv, Jackson CSV underneath): one record per line, fields
// by position.
// Decoding: a hand-written scanner (quote-character, escape-character, field-delimiter); an
// empty value of a non-string column and a value equal to null-literal are NULL; ARRAY and ROW
// values are split on array-element-delimiter. A record with the wrong number of fields or an
// unterminated quote is an error naming the location (ignore-parse-errors: missing fields are
// NULL, an unreadable record is skipped, a field that does not convert is NULL).
// Encoding: Jackson's loose quoting of text values (quoted when longer than 24 characters or
// holding a character below max(delimiter, quote, newline) + 1, or the escape character; so
// `2025-12-29 10:00:00` is quoted because of its space), numbers never quoted, timestamps
// `2025-12-29 10:00:00[.f]`, TIMESTAMP_LTZ with a trailing `Z`, DECIMAL as BigDecimal.toString
// unless write-bigdecimal-in-scientific-notation is false.
import { isNanosType } from '../common/nanos.js';
import { ConnectorError, ValidationError } from '../common/errors.js';
import type { OptionSpec } from '../common/options.js';
import { formatType, type Field, type LogicalType, type Row } from '../common/types.js';
import type { FormatFactory, RecordLocation, RowDecoder, RowEncoder } from './api.js';
import {
  FieldParseError,
  charOption,
  fieldFail,
  formatOptions,
  integralFrom,
  parseDecimalText,
  parseJavaDouble,
  parseJavaInteger,
  strictUtf8,
  truncateText,
} from './common.js';
import { base64Decode, base64Encode, decimalJava, decimalPlain, javaDoubleToString, javaFloatToString } from './javafmt.js';
import { decFromString, type Exact } from '../common/exact.js';
import {
  SEP_ANY,
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
} from './temporal.js';

export const CSV_OPTIONS: readonly OptionSpec[] = [
  { key: 'field-delimiter', type: 'string', default: ',', description: "Field delimiter character (',' by default; '\\t' for tab)" },
  { key: 'disable-quote-character', type: 'boolean', default: 'false', description: 'Disable quoting of values (quote-character must then not be set)' },
  { key: 'quote-character', type: 'string', default: '"', description: 'Quote character enclosing field values' },
  { key: 'allow-comments', type: 'boolean', default: 'false', description: "Ignore comment lines that start with '#'" },
  { key: 'ignore-parse-errors', type: 'boolean', default: 'false', description: 'Skip records and set fields to NULL on parse errors instead of failing' },
  { key: 'array-element-delimiter', type: 'string', default: ';', description: 'Separator of ARRAY and ROW elements' },
  { key: 'escape-character', type: 'string', description: 'Escape character inside values (none by default)' },
  { key: 'null-literal', type: 'string', description: 'Text that stands for NULL (none by default; an empty non-string value is NULL anyway)' },
  { key: 'write-bigdecimal-in-scientific-notation', type: 'boolean', default: 'true', description: 'Write DECIMAL values as BigDecimal.toString (1E-8) rather than plain (0.00000001)' },
];

interface CsvConfig {
  delimiter: number;
  quote: number; // -1 when disabled
  escape: number; // -1 when none
  allowComments: boolean;
  ignoreErrors: boolean;
  arrayDelimiter: string;
  nullLiteral: string | undefined;
  scientificDecimal: boolean;
}

function readConfig(options: Record<string, string>): CsvConfig {
  const o = formatOptions('csv', options, CSV_OPTIONS);
  const disableQuote = o.bool('disable-quote-character');
  if (disableQuote && options['quote-character'] !== undefined) {
    throw new ValidationError("Format option 'csv.quote-character' is not allowed when 'csv.disable-quote-character' is true");
  }
  const esc = o.str('escape-character');
  const arrayDelimiter = o.str('array-element-delimiter')!;
  if (arrayDelimiter.length === 0) throw new ValidationError("Option 'csv.array-element-delimiter' must not be empty");
  return {
    delimiter: charOption('csv', 'field-delimiter', o.str('field-delimiter')!).charCodeAt(0),
    quote: disableQuote ? -1 : charOption('csv', 'quote-character', o.str('quote-character')!).charCodeAt(0),
    escape: esc === undefined ? -1 : charOption('csv', 'escape-character', esc).charCodeAt(0),
    allowComments: o.bool('allow-comments'),
    ignoreErrors: o.bool('ignore-parse-errors'),
    arrayDelimiter: arrayDelimiter === '\\t' ? '\t' : arrayDelimiter,
    nullLiteral: o.str('null-literal'),
    scientificDecimal: o.bool('write-bigdecimal-in-scientific-notation'),
  };
}

/**
 * The quote, delimiter and escape characters (char codes) a line-based reader needs to find
 * records whose quoted values span lines; undefined when quoting is disabled or the characters
 * are not ASCII (then records are single lines).
 */
export function csvRecordChars(options: Record<string, string>): { quote: number; delimiter: number; escape: number } | undefined {
  const cfg = readConfig(options);
  if (cfg.quote < 0 || cfg.quote > 127 || cfg.delimiter > 127 || cfg.escape > 127) return undefined;
  return { quote: cfg.quote, delimiter: cfg.delimiter, escape: cfg.escape };
}

// ---------------------------------------------------------------------------------------------
// Scanning a line into field texts

/** Reused output of the scanner: field texts, and whether each was quoted. */
class Scanned {
  values: string[] = [];
  quoted: boolean[] = [];
  count = 0;
  error: string | undefined;
}

function scanLine(line: string, cfg: CsvConfig, out: Scanned): void {
  out.count = 0;
  out.error = undefined;
  const len = line.length;
  const d = cfg.delimiter;
  const q = cfg.quote;
  const esc = cfg.escape;
  let i = 0;
  for (;;) {
    let value: string;
    let quoted = false;
    if (i < len && line.charCodeAt(i) === q) {
      quoted = true;
      i++;
      let buf = '';
      let start = i;
      let closed = false;
      while (i < len) {
        const c = line.charCodeAt(i);
        if (c === esc && i + 1 < len) {
          buf += line.slice(start, i) + line[i + 1];
          i += 2;
          start = i;
        } else if (c === q) {
          if (i + 1 < len && line.charCodeAt(i + 1) === q) {
            buf += line.slice(start, i + 1);
            i += 2;
            start = i;
          } else {
            buf += line.slice(start, i);
            i++;
            closed = true;
            break;
          }
        } else i++;
      }
      if (!closed) {
        out.error = 'unterminated quoted value';
        return;
      }
      value = buf;
      // Characters between the closing quote and the delimiter are kept (Jackson is lenient).
      const s2 = i;
      while (i < len && line.charCodeAt(i) !== d) i++;
      if (i > s2) value += line.slice(s2, i);
    } else if (esc >= 0) {
      let buf = '';
      let start = i;
      while (i < len) {
        const c = line.charCodeAt(i);
        if (c === d) break;
        if (c === esc && i + 1 < len) {
          buf += line.slice(start, i) + line[i + 1];
          i += 2;
          start = i;
        } else i++;
      }
      value = buf + line.slice(start, i);
    } else {
      const start = i;
      while (i < len && line.charCodeAt(i) !== d) i++;
      value = line.slice(start, i);
    }
    out.values[out.count] = value;
    out.quoted[out.count] = quoted;
    out.count++;
    if (i >= len) return;
    i++; // delimiter
    if (i === len) {
      // trailing delimiter: one more empty value
      out.values[out.count] = '';
      out.quoted[out.count] = false;
      out.count++;
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Converting field texts

type Conv = (s: string) => unknown;

function makeConverter(t: LogicalType, cfg: CsvConfig): Conv {
  const conv = makeTextConverter(t, cfg);
  const isString = t.kind === 'CHAR' || t.kind === 'VARCHAR';
  const nullLiteral = cfg.nullLiteral;
  const wrapped: Conv = (s) => {
    if (s === nullLiteral) return null;
    if (s.length === 0 && !isString) return null;
    return conv(s);
  };
  if (!cfg.ignoreErrors) return wrapped;
  return (s) => {
    try {
      return wrapped(s);
    } catch (e) {
      if (e instanceof FieldParseError) return null;
      throw e;
    }
  };
}

function makeTextConverter(t: LogicalType, cfg: CsvConfig): Conv {
  switch (t.kind) {
    case 'NULL':
      return () => null;
    case 'CHAR':
    case 'VARCHAR':
      return (s) => s;
    case 'BOOLEAN':
      return (s) => s.trim().toLowerCase() === 'true';
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH': {
      const name = t.kind;
      const range: LogicalType = t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH' ? { kind: 'BIGINT', nullable: true } : t;
      return (s) => {
        const n = integralFrom(s, range, false);
        return n === undefined ? fieldFail(`cannot convert '${truncateText(s, 80)}' to ${name}${parseJavaInteger(s) !== undefined ? ' (out of range)' : ''}`) : n;
      };
    }
    case 'FLOAT':
    case 'DOUBLE': {
      const f = t.kind === 'FLOAT';
      const name = t.kind;
      return (s) => {
        const n = parseJavaDouble(s);
        if (n === undefined) return fieldFail(`cannot convert '${truncateText(s, 80)}' to ${name}`);
        return f ? Math.fround(n) : n;
      };
    }
    case 'DECIMAL': {
      const { precision, scale } = t;
      return (s) => {
        if (parseDecimalText(s) === undefined) return fieldFail(`cannot convert '${truncateText(s, 80)}' to DECIMAL(${precision}, ${scale})`);
        // As Flink's csv format (DecimalData.fromBigDecimal): a value beyond DECIMAL(p, s) reads as NULL, as in json.
        return decFromString(s, precision, scale) ?? null;
      };
    }
    case 'BINARY':
    case 'VARBINARY':
      return (s) => base64Decode(s) ?? fieldFail(`cannot decode '${truncateText(s, 80)}' as base64 BYTES`);
    case 'DATE':
      return (s) => {
        const d = parseDateStrict(s.trim());
        return d === d ? d : fieldFail(`cannot parse '${truncateText(s, 80)}' as DATE (expected yyyy-MM-dd)`);
      };
    case 'TIME': {
      // TIME(p) is TIME(0) in Flink 1.20's planner: the text's fraction of a second is dropped.
      const p = t.precision;
      return (s) => {
        const d = parseTimeStrict(s.trim());
        return d === d ? truncateTime(d, p) : fieldFail(`cannot parse '${truncateText(s, 80)}' as TIME (expected HH:mm:ss)`);
      };
    }
    case 'TIMESTAMP': {
      const name = formatType(t);
      const nanos = isNanosType(t);
      return (s) => {
        const d = parseTimestampStrict(s.trim(), SEP_ANY, ZONE_Z_ONLY, false);
        return d === d ? (nanos ? lastNanos() : d) : fieldFail(`cannot parse '${truncateText(s, 80)}' as ${name} (expected yyyy-MM-dd HH:mm:ss[.SSS])`);
      };
    }
    case 'TIMESTAMP_LTZ': {
      const name = formatType(t);
      const nanos = isNanosType(t);
      return (s) => {
        const d = parseTimestampStrict(s.trim(), SEP_ANY, ZONE_REQUIRED, false);
        return d === d ? (nanos ? lastNanos() : d) : fieldFail(`cannot parse '${truncateText(s, 80)}' as ${name} (expected yyyy-MM-dd HH:mm:ss[.SSS]Z)`);
      };
    }
    case 'ARRAY': {
      const el = makeConverter(t.element, cfg);
      const sep = cfg.arrayDelimiter;
      return (s) => s.split(sep).map(el);
    }
    case 'ROW': {
      const convs = t.fields.map((f) => makeConverter(f.type, cfg));
      const sep = cfg.arrayDelimiter;
      return (s) => {
        const parts = s.split(sep);
        const out = new Array(convs.length);
        for (let i = 0; i < convs.length; i++) out[i] = i < parts.length ? convs[i](parts[i]) : null;
        return out;
      };
    }
    case 'MAP':
      throw new ValidationError(`The 'csv' format does not support MAP columns (${formatType(t)})`);
    default: {
      const never: never = t;
      throw new ValidationError(`csv format: unsupported type ${(never as LogicalType).kind}`);
    }
  }
}

export class CsvRowDecoder implements RowDecoder {
  private readonly cfg: CsvConfig;
  private readonly convs: Conv[];
  private readonly scanned = new Scanned();

  constructor(readonly fields: Field[], options: Record<string, string>) {
    this.cfg = readConfig(options);
    this.convs = fields.map((f) => makeConverter(f.type, this.cfg));
  }

  decode(data: Uint8Array | string, where: RecordLocation): Row | null {
    let line: string;
    try {
      line = typeof data === 'string' ? data : strictUtf8(data);
    } catch (e) {
      if (!(e instanceof FieldParseError)) throw e;
      if (this.cfg.ignoreErrors) return null;
      throw new ConnectorError(`Failed to deserialize CSV row at ${where()}: ${e.message}`);
    }
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 10) line = line.slice(0, line.charCodeAt(line.length - 2) === 13 ? -2 : -1);
    else if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    const cfg = this.cfg;
    if (cfg.allowComments && line.charCodeAt(0) === 35) return null;
    if (line.length === 0 && this.convs.length !== 1) return null;
    const sc = this.scanned;
    scanLine(line, cfg, sc);
    if (sc.error !== undefined) {
      if (cfg.ignoreErrors) return null;
      throw new ConnectorError(`Failed to deserialize CSV row '${truncateText(line)}' at ${where()}: ${sc.error}`);
    }
    const n = this.convs.length;
    if (sc.count !== n && !cfg.ignoreErrors) {
      throw new ConnectorError(`Failed to deserialize CSV row '${truncateText(line)}' at ${where()}: row length mismatch, ${n} fields expected but was ${sc.count}`);
    }
    const row = new Array(n);
    let i = 0;
    try {
      for (; i < n; i++) {
        if (i >= sc.count) row[i] = null;
        else row[i] = this.convs[i](sc.values[i]);
      }
    } catch (e) {
      if (!(e instanceof FieldParseError)) throw e;
      throw new ConnectorError(`Failed to deserialize CSV row '${truncateText(line)}' at ${where()}: field '${this.fields[i].name}': ${e.message}`);
    }
    return row;
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

type Enc = (v: unknown) => string;

function makeValueText(t: LogicalType, cfg: CsvConfig): Enc {
  switch (t.kind) {
    case 'NULL':
      return () => '';
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
      return (v) => javaFloatToString(v as number);
    case 'DOUBLE':
      return (v) => javaDoubleToString(v as number);
    case 'DECIMAL': {
      const scale = t.scale;
      return cfg.scientificDecimal ? (v) => decimalJava(v as Exact, scale) : (v) => decimalPlain(v as Exact, scale);
    }
    case 'CHAR':
    case 'VARCHAR':
      return (v) => v as string;
    case 'BINARY':
    case 'VARBINARY':
      return (v) => base64Encode(v as Uint8Array);
    case 'DATE':
      return (v) => formatDateIso(v as number);
    case 'TIME':
      return (v) => formatTimeMinimal(v as number);
    case 'TIMESTAMP':
      if (isNanosType(t)) return (v) => formatNanosFlink(v as bigint, ' ');
      return (v) => formatTimestampFlink(v as number, ' ');
    case 'TIMESTAMP_LTZ':
      if (isNanosType(t)) return (v) => formatNanosFlink(v as bigint, ' ', 'Z');
      return (v) => formatTimestampFlink(v as number, ' ', 'Z');
    case 'ARRAY': {
      const el = makeValueText(t.element, cfg);
      const sep = cfg.arrayDelimiter;
      const nl = cfg.nullLiteral ?? '';
      return (v) => (v as unknown[]).map((x) => (x === null || x === undefined ? nl : el(x))).join(sep);
    }
    case 'ROW': {
      const encs = t.fields.map((f) => makeValueText(f.type, cfg));
      const sep = cfg.arrayDelimiter;
      const nl = cfg.nullLiteral ?? '';
      return (v) => (v as unknown[]).map((x, i) => (x === null || x === undefined ? nl : encs[i](x))).join(sep);
    }
    case 'MAP':
      throw new ValidationError(`The 'csv' format does not support MAP columns (${formatType(t)})`);
    default: {
      const never: never = t;
      throw new ValidationError(`csv format: unsupported type ${(never as LogicalType).kind}`);
    }
  }
}

export class CsvRowEncoder implements RowEncoder {
  private readonly encs: Enc[];
  /** Columns Jackson writes as text (and so may quote); numbers and booleans are never quoted. */
  private readonly textual: boolean[];
  private readonly delim: string;
  private readonly quote: string;
  private readonly quoteEscape: string;
  private readonly minSafe: number;
  private readonly escape: number;
  private readonly nullText: string;

  constructor(fields: Field[], options: Record<string, string>) {
    const cfg = readConfig(options);
    this.encs = fields.map((f) => makeValueText(f.type, cfg));
    this.textual = fields.map((f) => !NEVER_QUOTED.has(f.type.kind));
    this.delim = String.fromCharCode(cfg.delimiter);
    this.quote = cfg.quote < 0 ? '' : String.fromCharCode(cfg.quote);
    this.escape = cfg.escape;
    this.quoteEscape = this.quote;
    // Jackson's CsvEncoder: the lowest character that is safe without quotes.
    this.minSafe = Math.max(cfg.delimiter, cfg.quote, 10) + 1;
    this.nullText = cfg.nullLiteral ?? '';
  }

  /** Jackson's loose quoting check: long values, any character below minSafe, or the escape character. */
  private quoted(s: string): string {
    if (this.quote === '' || s.length === 0) return s;
    let needs = s.length > MAX_QUOTE_CHECK;
    for (let i = 0; !needs && i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < this.minSafe || c === this.escape) needs = true;
    }
    if (!needs) return s;
    let body = s;
    if (this.escape >= 0) {
      const e = String.fromCharCode(this.escape);
      body = body.split(e).join(e + e);
    }
    body = body.split(this.quote).join(this.quoteEscape + this.quote);
    return this.quote + body + this.quote;
  }

  /** One CSV line (no trailing newline). */
  encode(row: Row): string {
    let s = '';
    for (let i = 0; i < this.encs.length; i++) {
      const v = row[i];
      if (i) s += this.delim;
      if (v === null || v === undefined) s += this.nullText;
      else s += this.textual[i] ? this.quoted(this.encs[i](v)) : this.encs[i](v);
    }
    return s;
  }
}

/** Jackson quotes only values longer than this without looking at them. */
const MAX_QUOTE_CHECK = 24;
const NEVER_QUOTED = new Set(['BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'INTERVAL_DAY_TIME', 'INTERVAL_YEAR_MONTH', 'NULL']);

export const csvFormat: FormatFactory = {
  identifier: 'csv',
  options: CSV_OPTIONS,
  createDecoder: (fields, options) => new CsvRowDecoder(fields, options),
  createEncoder: (fields, options) => new CsvRowEncoder(fields, options),
};
