// The `debezium-avro-confluent` format, as Flink's (flink-avro-confluent-registry): a Debezium
// change event in Confluent's Avro wire format (magic byte, schema id, Avro datum), whose writer
// schema is fetched from the schema registry by id. Only "before", "after" and "op" are read
// (Debezium's "source", "ts_ms", "transaction" are skipped, as Flink does; the format has no
// metadata). op c/r → +I after; u → -U before, +U after; d → -D before. Writing registers Flink's
// envelope schema — a nullable record "record" (namespace org.apache.flink.avro.generated) with
// "before" and "after" (nullable records of the table's columns) and "op" (nullable string) —
// under the subject ('<topic>-value' on Kafka unless set), and writes +I/+U as
// {before: null, after: row, op: "c"}, -U/-D as {before: row, after: null, op: "d"}.
import type avro from 'avsc';
import { ConnectorError } from '../common/errors.js';
import { rowKindOf, setRowKind, type Field, type Row, type RowKind } from '../common/types.js';
import type { ChangelogDecoder, ChangelogEncoder, FormatFactory, RecordLocation } from './api.js';
import { avroType, reader, recordSchema, type Conv } from './avro.js';
import { AVRO_CONFLUENT_OPTIONS, header, registrySettings, RegisteredSchemaWriter, type SchemaRegistryClient } from './avro-confluent.js';
import { changelogOnly } from './changelog-json.js';

const FORMAT = 'debezium-avro-confluent';

/** Flink's envelope schema for a table (DebeziumAvroSerializationSchema: ROW<before, after, op>, nullable). */
export function debeziumAvroSchema(fields: Field[]): object {
  return [
    'null',
    {
      type: 'record',
      name: 'record',
      namespace: 'org.apache.flink.avro.generated',
      fields: [
        { name: 'before', type: ['null', recordSchema(fields, 'record_before', true)], default: null },
        { name: 'after', type: ['null', recordSchema(fields, 'record_after', true)], default: null },
        { name: 'op', type: ['null', 'string'], default: null },
      ],
    },
  ];
}

/** The record inside a type that may be a union with null. */
function recordOf(t: avro.Type | undefined): avro.Type | undefined {
  if (!t) return undefined;
  const u = t as unknown as { types?: avro.Type[] };
  if (Array.isArray(u.types)) return u.types.find((x) => x.typeName === 'record');
  return t.typeName === 'record' ? t : undefined;
}

function nameOf(t: avro.Type | undefined): string | undefined {
  return (t as unknown as { name?: string } | undefined)?.name;
}

/**
 * The reader schema for one writer schema: the envelope with the table's columns, its records
 * named as the writer's (Avro resolves records by name; Debezium names them "<topic>.Envelope"
 * and "<topic>.Value").
 */
function readerFor(fields: Field[], w: avro.Type): avro.Type {
  const top = recordOf(w);
  if (!top) throw new Error(`the writer schema is a ${w.typeName}, not a record`);
  const field = (n: string) => (top as unknown as { field(n: string): { type: avro.Type } | undefined }).field(n);
  const defined = new Set<string>();
  const image = (n: 'before' | 'after') => {
    const wr = recordOf(field(n)?.type);
    const name = nameOf(wr);
    const s = recordSchema(fields, `record_${n}`, true);
    // Debezium's before and after are the same named record: define it once, then refer to it.
    if (name !== undefined && defined.has(name)) return { name: n, type: ['null', name], default: null };
    if (name !== undefined) defined.add(name);
    return { name: n, type: ['null', name !== undefined ? { ...s, name } : s], default: null };
  };
  if (!field('op')) throw new Error('it has no "op" field (a Debezium change event has "before", "after" and "op")');
  const envelope = { type: 'record', name: nameOf(top) ?? 'record', fields: [image('before'), image('after'), { name: 'op', type: ['null', 'string'], default: null }] };
  // Flink writes the envelope as a union with null; Debezium as a plain record.
  return avroType(Array.isArray((w as unknown as { types?: unknown }).types) ? ['null', envelope] : envelope);
}

const REPLICA_IDENTITY =
  'if you are using the Debezium Postgres Connector, check that the table has REPLICA IDENTITY FULL (ALTER TABLE … REPLICA IDENTITY FULL)';

class DebeziumAvroDecoder implements ChangelogDecoder {
  private readonly client: SchemaRegistryClient;
  private readonly conv: Conv;
  private readonly resolved = new Map<number, { type: avro.Type; resolver: avro.Resolver }>();
  constructor(
    private readonly fields: Field[],
    options: Record<string, string>,
    metadataKeys: string[],
  ) {
    if (metadataKeys.length) throw new ConnectorError(`Format '${FORMAT}' has no metadata keys (asked for ${metadataKeys.map((k) => `'${k}'`).join(', ')})`);
    this.client = registrySettings(options, FORMAT).client;
    this.conv = reader({ kind: 'ROW', fields, nullable: false });
  }

  prepare(data: Uint8Array | string, where: RecordLocation): Promise<void> | undefined {
    if (data.length === 0) return undefined;
    const { id } = header(data, where);
    if (this.resolved.has(id)) return undefined;
    return this.client.schemaById(id).then(
      (w) => {
        if (this.resolved.has(id)) return;
        let type: avro.Type;
        let resolver: avro.Resolver;
        try {
          type = readerFor(this.fields, w);
          resolver = type.createResolver(w);
        } catch (e) {
          throw new ConnectorError(`the writer schema id ${id} of the record at ${where()} cannot be read as a Debezium change event of the table's columns: ${(e as Error).message}`);
        }
        this.resolved.set(id, { type, resolver });
      },
      (e: Error) => {
        throw new ConnectorError(`cannot fetch the writer schema id ${id} of the record at ${where()}: ${e.message}`, { cause: e });
      },
    );
  }

  decode(data: Uint8Array | string, where: RecordLocation): Row[] {
    if (data.length === 0) return []; // an empty message carries no change (Flink skips it too)
    const { buf, id } = header(data, where);
    const r = this.resolved.get(id);
    if (!r) throw new ConnectorError(`Failed to deserialize Debezium Avro record at ${where()}: writer schema id ${id} was not fetched from the schema registry`);
    let env: { before?: unknown; after?: unknown; op?: unknown } | null;
    try {
      env = r.type.fromBuffer(buf.subarray(5), r.resolver) as typeof env;
    } catch (e) {
      throw new ConnectorError(`Failed to deserialize Debezium Avro record at ${where()} (schema id ${id}): ${(e as Error).message}`);
    }
    if (env === null) return []; // a null envelope (the schema is a union with null) carries no change
    const corrupt = (why: string) => new ConnectorError(`Corrupt Debezium Avro message at ${where()} (schema id ${id}): ${why}`);
    const image = (v: unknown, what: string, kind: RowKind): Row => {
      if (v === null || v === undefined) {
        throw corrupt(what === 'after' ? `the "after" field is null` : `the "before" field of ${kind === '-D' ? 'a delete' : 'an update'} message is null; ${REPLICA_IDENTITY}`);
      }
      return setRowKind(this.conv(v) as Row, kind);
    };
    switch (env.op) {
      case 'c':
      case 'r':
        return [image(env.after, 'after', '+I')];
      case 'u':
        return [image(env.before, 'before', '-U'), image(env.after, 'after', '+U')];
      case 'd':
        return [image(env.before, 'before', '-D')];
      default:
        throw corrupt(env.op === null || env.op === undefined ? 'no "op" value' : `unknown "op" value "${String(env.op)}"`);
    }
  }
}

class DebeziumAvroEncoder extends RegisteredSchemaWriter implements ChangelogEncoder {
  constructor(fields: Field[], options: Record<string, string>) {
    super(fields, options, FORMAT, debeziumAvroSchema);
  }

  encode(row: Row): Uint8Array {
    const k = rowKindOf(row);
    const image = this.conv(row);
    return this.frame(k === '+I' || k === '+U' ? { before: null, after: image, op: 'c' } : { before: image, after: null, op: 'd' });
  }
}

export const debeziumAvroConfluentFormat: FormatFactory = {
  identifier: FORMAT,
  options: AVRO_CONFLUENT_OPTIONS,
  ...changelogOnly(FORMAT),
  changelog: {
    metadata: {},
    createDecoder: (fields, options, metadataKeys) => new DebeziumAvroDecoder(fields, options, metadataKeys),
    createEncoder: (fields, options) => new DebeziumAvroEncoder(fields, options),
  },
};
