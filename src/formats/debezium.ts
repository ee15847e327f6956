// The `debezium-json` format, as Flink's: a Debezium change event ({"before", "after", "op",
// "source", "ts_ms"}, or wrapped as {"schema", "payload"} with debezium-json.schema-include) is
// one or two changes: op c/r → +I after; u → -U before, +U after; d → -D before. Writing: +I/+U
// as {"before":null,"after":row,"op":"c"}, -U/-D as {"before":row,"after":null,"op":"d"}.
import type { OptionSpec } from '../common/options.js';
import { rowKindOf, type Field, type LogicalType, type Row } from '../common/types.js';
import type { ChangelogEncoder, FormatFactory } from './api.js';
import { asText, CDC_JSON_OPTIONS, CdcJsonDecoder, cdcJsonConfig, changelogOnly, CorruptChange, isObject, millisToLtz, STRING_NULL, TS_LTZ3_NULL, type Json, type MetaReader } from './changelog-json.js';
import { formatOptions } from './common.js';
import { jsonObjectEncoder } from './json.js';


const OPTIONS: readonly OptionSpec[] = [
  { key: 'schema-include', type: 'boolean', default: 'false', description: 'Whether the Debezium JSON messages carry the schema envelope ({"schema": …, "payload": …}, Kafka Connect JsonConverter with schemas.enable)' },
  ...CDC_JSON_OPTIONS,
];

function payloadOf(record: Json, schemaInclude: boolean): Json {
  if (!schemaInclude) return record;
  return isObject(record['payload']) ? record['payload'] : {};
}

function sourceOf(record: Json, schemaInclude: boolean): Json {
  const s = payloadOf(record, schemaInclude)['source'];
  return isObject(s) ? s : {};
}

function readers(schemaInclude: boolean): Record<string, MetaReader> {
  return {
    schema: { type: STRING_NULL, read: (r) => asText(r['schema']) },
    'ingestion-timestamp': { type: TS_LTZ3_NULL, read: (r) => millisToLtz(payloadOf(r, schemaInclude)['ts_ms']) },
    'source.timestamp': { type: TS_LTZ3_NULL, read: (r) => millisToLtz(sourceOf(r, schemaInclude)['ts_ms']) },
    'source.database': { type: STRING_NULL, read: (r) => asText(sourceOf(r, schemaInclude)['db']) },
    'source.schema': { type: STRING_NULL, read: (r) => asText(sourceOf(r, schemaInclude)['schema']) },
    'source.table': {
      type: STRING_NULL,
      read: (r) => {
        const s = sourceOf(r, schemaInclude);
        return asText(s['table'] ?? s['collection']);
      },
    },
    'source.properties': {
      type: { kind: 'MAP', key: { kind: 'VARCHAR', length: 2147483647, nullable: false }, value: STRING_NULL, nullable: true },
      read: (r) => {
        const s = payloadOf(r, schemaInclude)['source'];
        if (!isObject(s)) return null;
        return new Map(Object.entries(s).map(([k, v]) => [k, asText(v)]));
      },
    },
  };
}

const METADATA: Record<string, LogicalType> = Object.fromEntries(Object.entries(readers(false)).map(([k, r]) => [k, r.type]));

const REPLICA_IDENTITY =
  'if you are using the Debezium Postgres Connector, check that the table has REPLICA IDENTITY FULL (ALTER TABLE … REPLICA IDENTITY FULL)';

class DebeziumJsonDecoder extends CdcJsonDecoder {
  constructor(
    fields: Field[],
    options: Record<string, string>,
    metadataKeys: string[],
    private readonly schemaInclude: boolean,
  ) {
    super('Debezium', fields, cdcJsonConfig('debezium-json', options, OPTIONS), metadataKeys, readers(schemaInclude));
  }

  protected changes(record: Json, out: Row[]): void {
    let payload = record;
    if (this.schemaInclude) {
      if (!isObject(record['payload'])) throw new CorruptChange(`no "payload" object (debezium-json.schema-include is true, so messages are {"schema": …, "payload": …})`);
      payload = record['payload'];
    }
    const op = payload['op'];
    if (typeof op !== 'string') {
      const hint =
        !this.schemaInclude && 'schema' in record && 'payload' in record
          ? `; the message has "schema" and "payload": set 'debezium-json.schema-include' = 'true'`
          : '';
      throw new CorruptChange(`no "op" field${hint}`);
    }
    switch (op) {
      case 'c':
      case 'r':
        this.push(out, this.image(payload['after'], 'after'), '+I');
        return;
      case 'u':
        if (payload['before'] === null || payload['before'] === undefined) throw new CorruptChange(`the "before" field of an update message is null; ${REPLICA_IDENTITY}`);
        this.push(out, this.image(payload['before'], 'before'), '-U');
        this.push(out, this.image(payload['after'], 'after'), '+U');
        return;
      case 'd':
        if (payload['before'] === null || payload['before'] === undefined) throw new CorruptChange(`the "before" field of a delete message is null; ${REPLICA_IDENTITY}`);
        this.push(out, this.image(payload['before'], 'before'), '-D');
        return;
      default:
        throw new CorruptChange(`unknown "op" value "${op}"`);
    }
  }
}

class DebeziumJsonEncoder implements ChangelogEncoder {
  private readonly row: { encode(row: Row): string };
  constructor(fields: Field[], options: Record<string, string>) {
    this.row = jsonObjectEncoder(fields, cdcJsonConfig('debezium-json', options, OPTIONS));
  }
  encode(row: Row): string {
    const k = rowKindOf(row);
    const image = this.row.encode(row);
    return k === '+I' || k === '+U' ? `{"before":null,"after":${image},"op":"c"}` : `{"before":${image},"after":null,"op":"d"}`;
  }
}

export const debeziumJsonFormat: FormatFactory = {
  identifier: 'debezium-json',
  options: OPTIONS,
  ...changelogOnly('debezium-json'),
  changelog: {
    metadata: METADATA,
    createDecoder: (fields, options, metadataKeys) =>
      new DebeziumJsonDecoder(fields, options, metadataKeys, formatOptions('debezium-json', options, OPTIONS).bool('schema-include')),
    createEncoder: (fields, options) => new DebeziumJsonEncoder(fields, options),
  },
};
