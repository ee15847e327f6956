// The `maxwell-json` format, as Flink's: a Maxwell message ({"database", "table", "type", "ts",
// "data": {…}, "old": {…}, "primary_key_columns"}) is one change: insert → +I; update → -U (the
// row with the "old" values of the changed columns) and +U; delete → -D.
// Writing: +I/+U as {"data":row,"type":"insert"}, -U/-D as {"data":row,"type":"delete"}.
import type { OptionSpec } from '../common/options.js';
import { rowKindOf, type Field, type LogicalType, type Row } from '../common/types.js';
import type { ChangelogEncoder, FormatFactory } from './api.js';
import { asText, CDC_JSON_OPTIONS, CdcJsonDecoder, cdcJsonConfig, changelogOnly, CorruptChange, mergeBefore, millisToLtz, STRING_NULL, textArray, TS_LTZ3_NULL, type Json, type MetaReader } from './changelog-json.js';
import { jsonObjectEncoder } from './json.js';

const OPTIONS: readonly OptionSpec[] = CDC_JSON_OPTIONS;

const READERS: Record<string, MetaReader> = {
  database: { type: STRING_NULL, read: (r) => asText(r['database']) },
  table: { type: STRING_NULL, read: (r) => asText(r['table']) },
  'primary-key-columns': { type: { kind: 'ARRAY', element: STRING_NULL, nullable: true }, read: (r) => textArray(r['primary_key_columns']) },
  // Maxwell's ts is in seconds.
  'ingestion-timestamp': { type: TS_LTZ3_NULL, read: (r) => millisToLtz(r['ts'], 1000) },
};

const METADATA: Record<string, LogicalType> = Object.fromEntries(Object.entries(READERS).map(([k, r]) => [k, r.type]));

class MaxwellJsonDecoder extends CdcJsonDecoder {
  constructor(fields: Field[], options: Record<string, string>, metadataKeys: string[]) {
    super('Maxwell', fields, cdcJsonConfig('maxwell-json', options, OPTIONS), metadataKeys, READERS);
  }

  protected changes(record: Json, out: Row[]): void {
    const type = record['type'];
    switch (type) {
      case 'insert':
        this.push(out, this.image(record['data'], 'data'), '+I');
        return;
      case 'update': {
        const after = this.image(record['data'], 'data');
        const before = mergeBefore(this.image(record['old'] ?? {}, 'old'), after, this.fieldNames, record['old']);
        this.push(out, before, '-U');
        this.push(out, after, '+U');
        return;
      }
      case 'delete':
        this.push(out, this.image(record['data'], 'data'), '-D');
        return;
      default:
        throw new CorruptChange(`unknown "type" value "${String(type)}"`);
    }
  }
}

class MaxwellJsonEncoder implements ChangelogEncoder {
  private readonly row: { encode(row: Row): string };
  constructor(fields: Field[], options: Record<string, string>) {
    this.row = jsonObjectEncoder(fields, cdcJsonConfig('maxwell-json', options, OPTIONS));
  }
  encode(row: Row): string {
    const k = rowKindOf(row);
    return `{"data":${this.row.encode(row)},"type":"${k === '+I' || k === '+U' ? 'insert' : 'delete'}"}`;
  }
}

export const maxwellJsonFormat: FormatFactory = {
  identifier: 'maxwell-json',
  options: OPTIONS,
  ...changelogOnly('maxwell-json'),
  changelog: {
    metadata: METADATA,
    createDecoder: (fields, options, metadataKeys) => new MaxwellJsonDecoder(fields, options, metadataKeys),
    createEncoder: (fields, options) => new MaxwellJsonEncoder(fields, options),
  },
};
