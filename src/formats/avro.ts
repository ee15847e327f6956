// The `avro` format, as Flink's (flink-avro): one Avro binary datum per record, written and read
// with the schema Flink derives from the table (AvroSchemaConverter): a record named "record"
// (nested rows "record_<field>"), nullable columns as ["null", T] with default null, DECIMAL as
// bytes with the decimal logical type, DATE as int date, TIME as int time-millis, TIMESTAMP and
// TIMESTAMP_LTZ as long timestamp-millis (precision ≤ 3) or timestamp-micros (Flink's legacy
// mapping, its default). Values stay exact: BIGINT beyond 2^53 as bigint, DECIMAL as its
// unscaled integer from the two's-complement bytes.
import type avro from 'avsc';
import { ConnectorError, ValidationError } from '../common/errors.js';
import { canonical, toBig, type Exact } from '../common/exact.js';
import type { OptionSpec } from '../common/options.js';
import type { Field, LogicalType, Row } from '../common/types.js';
import type { FormatFactory, RecordLocation, RowDecoder, RowEncoder } from './api.js';
import { formatOptions } from './common.js';
import { avsc } from '../common/avsc.js';


const OPTIONS: readonly OptionSpec[] = [
  { key: 'encoding', type: 'enum', values: ['binary'], default: 'binary', description: "Avro encoding: 'binary' (Flink's 'json' encoding is not supported)" },
  { key: 'timestamp_mapping.legacy', type: 'boolean', default: 'true', description: 'TIMESTAMP as timestamp-millis/micros (true, Flink’s default) or local-timestamp-millis/micros (false)' },
];

let longType: avro.Type | undefined;

/** Avro's long as an exact value: a number while safe, else a bigint (made once, on first use). */
function exactLong(): avro.Type {
  const { LongType } = avsc().builtins as unknown as { LongType: { __with(m: object): avro.Type } };
  return (longType ??= LongType.__with({
    fromBuffer: (buf: Buffer) => canonical(buf.readBigInt64LE()),
    toBuffer: (n: Exact) => {
      const buf = Buffer.alloc(8);
      buf.writeBigInt64LE(BigInt(n));
      return buf;
    },
    fromJSON: (v: unknown) => (typeof v === 'string' ? canonical(BigInt(v)) : (v as number)),
    toJSON: (n: Exact) => (typeof n === 'bigint' ? n.toString() : n),
    isValid: (n: unknown) => typeof n === 'bigint' || (typeof n === 'number' && Number.isInteger(n)),
    compare: (a: Exact, b: Exact) => (toBig(a) < toBig(b) ? -1 : toBig(a) > toBig(b) ? 1 : 0),
  }));
}

type AvroSchema = string | Record<string, unknown> | AvroSchema[];

/** The Avro schema Flink's AvroSchemaConverter derives for a column type. */
function schemaOf(t: LogicalType, name: string, legacy: boolean): AvroSchema {
  const s = notNullSchema(t, name, legacy);
  return t.nullable ? ['null', s] : s;
}

function notNullSchema(t: LogicalType, name: string, legacy: boolean): AvroSchema {
  switch (t.kind) {
    case 'BOOLEAN':
      return 'boolean';
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
      return 'int';
    case 'BIGINT':
      return 'long';
    case 'FLOAT':
      return 'float';
    case 'DOUBLE':
      return 'double';
    case 'CHAR':
    case 'VARCHAR':
      return 'string';
    case 'BINARY':
    case 'VARBINARY':
      return 'bytes';
    case 'DECIMAL':
      return { type: 'bytes', logicalType: 'decimal', precision: t.precision, scale: t.scale };
    case 'DATE':
      return { type: 'int', logicalType: 'date' };
    case 'TIME':
      if (t.precision > 3) throw new ValidationError(`Avro does not support TIME type with precision: ${t.precision}, it only supports precision less than 3.`);
      return { type: 'int', logicalType: 'time-millis' };
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      if (t.precision > 6) throw new ValidationError(`Avro does not support ${t.kind} type with precision: ${t.precision}, it only supports precision less than 6.`);
      const local = t.kind === 'TIMESTAMP' && !legacy ? 'local-' : '';
      return { type: 'long', logicalType: `${local}timestamp-${t.precision <= 3 ? 'millis' : 'micros'}` };
    }
    case 'ARRAY':
      return { type: 'array', items: schemaOf(t.element, name, legacy) };
    case 'MAP':
      if (t.key.kind !== 'VARCHAR' && t.key.kind !== 'CHAR') throw new ValidationError(`Avro format doesn't support non-string as key type of map. The key type is: ${t.key.kind}`);
      return { type: 'map', values: schemaOf(t.value, name, legacy) };
    case 'ROW':
      return recordSchema(t.fields, name, legacy);
    default:
      throw new ValidationError(`Unsupported type ${t.kind} for the avro format`);
  }
}

export function recordSchema(fields: Field[], name: string, legacy: boolean): Record<string, unknown> {
  return {
    type: 'record',
    name,
    fields: fields.map((f) => {
      const s = schemaOf(f.type, `${name}_${f.name}`, legacy);
      return f.type.nullable ? { name: f.name, type: s, default: null } : { name: f.name, type: s };
    }),
  };
}

/** The table's Avro schema as Flink derives it (record "record", namespace of Flink's generated classes). */
export function tableAvroSchema(fields: Field[], legacy = true): Record<string, unknown> {
  return { ...recordSchema(fields, 'record', legacy), namespace: 'org.apache.flink.avro.generated' };
}

export function avroType(schema: AvroSchema): avro.Type {
  return avsc().Type.forSchema(schema as avro.Schema, { registry: { long: exactLong() }, wrapUnions: false });
}

// ---- values: tsstream's runtime form ⇄ avsc's ----

export type Conv = (v: unknown) => unknown;

function unscaledFromBytes(b: Buffer): Exact {
  if (b.length === 0) return 0;
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  if (b[0] & 0x80) v -= 1n << BigInt(8 * b.length);
  return canonical(v);
}

function bytesFromUnscaled(u: Exact): Buffer {
  let v = BigInt(u);
  const out: number[] = [];
  for (;;) {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
    const sign = out[0] & 0x80;
    if ((v === 0n && !sign) || (v === -1n && sign)) break;
  }
  return Buffer.from(out);
}

export function reader(t: LogicalType): Conv {
  const c = readerNotNull(t);
  return (v) => (v === null || v === undefined ? null : c(v));
}

function readerNotNull(t: LogicalType): Conv {
  switch (t.kind) {
    case 'DECIMAL':
      return (v) => unscaledFromBytes(v as Buffer);
    case 'BINARY':
    case 'VARBINARY':
      return (v) => new Uint8Array(v as Buffer);
    case 'TIME':
      return (v) => (v as number) * 1000;
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return t.precision <= 3 ? (v) => Number(v) * 1000 : (v) => Number(v);
    case 'ARRAY': {
      const e = reader(t.element);
      return (v) => (v as unknown[]).map(e);
    }
    case 'MAP': {
      const e = reader(t.value);
      return (v) => new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, e(x)]));
    }
    case 'ROW': {
      const cs = t.fields.map((f) => reader(f.type));
      const names = t.fields.map((f) => f.name);
      return (v) => names.map((n, i) => cs[i]((v as Record<string, unknown>)[n]));
    }
    default:
      return (v) => v;
  }
}

export function writer(t: LogicalType): Conv {
  const c = writerNotNull(t);
  return (v) => (v === null || v === undefined ? null : c(v));
}

function writerNotNull(t: LogicalType): Conv {
  switch (t.kind) {
    case 'DECIMAL':
      return (v) => bytesFromUnscaled(v as Exact);
    case 'BINARY':
    case 'VARBINARY':
      return (v) => Buffer.from(v as Uint8Array);
    case 'TIME':
      return (v) => Math.floor((v as number) / 1000);
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return t.precision <= 3 ? (v) => Math.floor((v as number) / 1000) : (v) => v;
    case 'ARRAY': {
      const e = writer(t.element);
      return (v) => (v as unknown[]).map(e);
    }
    case 'MAP': {
      const e = writer(t.value);
      return (v) => Object.fromEntries([...(v as Map<unknown, unknown>)].map(([k, x]) => [String(k), e(x)]));
    }
    case 'ROW': {
      const cs = t.fields.map((f) => writer(f.type));
      return (v) => Object.fromEntries(t.fields.map((f, i) => [f.name, cs[i]((v as unknown[])[i])]));
    }
    default:
      return (v) => v;
  }
}

export class AvroRowDecoder implements RowDecoder {
  private readonly type: avro.Type;
  private readonly conv: Conv;
  constructor(fields: Field[], legacy: boolean) {
    this.type = avroType(tableAvroSchema(fields, legacy));
    this.conv = reader({ kind: 'ROW', fields, nullable: false });
  }
  decode(data: Uint8Array | string, where: RecordLocation): Row {
    const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let obj: unknown;
    try {
      obj = this.type.fromBuffer(buf);
    } catch (e) {
      throw new ConnectorError(`Failed to deserialize Avro record at ${where()}: ${(e as Error).message}`);
    }
    return this.conv(obj) as Row;
  }
}

export class AvroRowEncoder implements RowEncoder {
  private readonly type: avro.Type;
  private readonly conv: Conv;
  constructor(fields: Field[], legacy: boolean) {
    this.type = avroType(tableAvroSchema(fields, legacy));
    this.conv = writer({ kind: 'ROW', fields, nullable: false });
  }
  encode(row: Row): Uint8Array {
    return this.type.toBuffer(this.conv(row));
  }
}

export function legacyMapping(options: Record<string, string>): boolean {
  return formatOptions('avro', options, OPTIONS).bool('timestamp_mapping.legacy');
}

export const avroFormat: FormatFactory = {
  identifier: 'avro',
  options: OPTIONS,
  createDecoder: (fields, options) => new AvroRowDecoder(fields, legacyMapping(options)),
  createEncoder: (fields, options) => new AvroRowEncoder(fields, legacyMapping(options)),
};
