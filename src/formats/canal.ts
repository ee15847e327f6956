// The `canal-json` format, as Flink's: a Canal message ({"data": [...], "old": [...], "type",
// "database", "table", "es", "ts", "pkNames", "sqlType"}) holds the changes of several rows:
// INSERT → +I per row; UPDATE → -U (the row with the "old" values of the changed columns) and +U
// per row; DELETE → -D per row; CREATE (DDL) → nothing. canal-json.database.include and
// canal-json.table.include (regular expressions) keep only the messages of matching tables.
// Writing: +I/+U as {"data":[row],"type":"INSERT"}, -U/-D as {"data":[row],"type":"DELETE"}.
import { ValidationError } from '../common/errors.js';
import type { OptionSpec } from '../common/options.js';
import { rowKindOf, type Field, type LogicalType, type Row } from '../common/types.js';
import type { ChangelogEncoder, FormatFactory } from './api.js';
import { asText, CDC_JSON_OPTIONS, CdcJsonDecoder, cdcJsonConfig, changelogOnly, CorruptChange, isObject, mergeBefore, millisToLtz, STRING_NULL, textArray, TS_LTZ3_NULL, type Json, type MetaReader } from './changelog-json.js';
import { jsonObjectEncoder } from './json.js';

const OPTIONS: readonly OptionSpec[] = [
  ...CDC_JSON_OPTIONS,
  { key: 'database.include', type: 'string', description: 'A regular expression: only messages of databases whose name matches are read' },
  { key: 'table.include', type: 'string', description: 'A regular expression: only messages of tables whose name matches are read' },
];

const READERS: Record<string, MetaReader> = {
  database: { type: STRING_NULL, read: (r) => asText(r['database']) },
  table: { type: STRING_NULL, read: (r) => asText(r['table']) },
  'sql-type': {
    type: { kind: 'MAP', key: { kind: 'VARCHAR', length: 2147483647, nullable: false }, value: { kind: 'INT', nullable: true }, nullable: true },
    read: (r) => {
      const t = r['sqlType'];
      if (!isObject(t)) return null;
      return new Map(Object.entries(t).map(([k, v]) => [k, v === null ? null : Number(v)]));
    },
  },
  'pk-names': { type: { kind: 'ARRAY', element: STRING_NULL, nullable: true }, read: (r) => textArray(r['pkNames']) },
  'ingestion-timestamp': { type: TS_LTZ3_NULL, read: (r) => millisToLtz(r['ts']) },
  'event-timestamp': { type: TS_LTZ3_NULL, read: (r) => millisToLtz(r['es']) },
};

const METADATA: Record<string, LogicalType> = Object.fromEntries(Object.entries(READERS).map(([k, r]) => [k, r.type]));

function pattern(key: string, text: string | undefined): RegExp | undefined {
  if (text === undefined) return undefined;
  try {
    return new RegExp(`^(?:${text})$`);
  } catch (e) {
    throw new ValidationError(`Invalid regular expression '${text}' for option 'canal-json.${key}': ${(e as Error).message}`);
  }
}

class CanalJsonDecoder extends CdcJsonDecoder {
  private readonly database?: RegExp;
  private readonly table?: RegExp;
  constructor(fields: Field[], options: Record<string, string>, metadataKeys: string[]) {
    super('Canal', fields, cdcJsonConfig('canal-json', options, OPTIONS), metadataKeys, READERS);
    this.database = pattern('database.include', options['database.include']);
    this.table = pattern('table.include', options['table.include']);
  }

  private rows(v: unknown, what: string): unknown[] {
    if (!Array.isArray(v)) throw new CorruptChange(`the "${what}" field is ${v === undefined ? 'missing' : v === null ? 'null' : 'not an array'}`);
    return v;
  }

  protected changes(record: Json, out: Row[]): void {
    if (this.database && !this.database.test(String(record['database'] ?? ''))) return;
    if (this.table && !this.table.test(String(record['table'] ?? ''))) return;
    const type = record['type'];
    switch (type) {
      case 'INSERT':
        for (const d of this.rows(record['data'], 'data')) this.push(out, this.image(d, 'data'), '+I');
        return;
      case 'UPDATE': {
        const data = this.rows(record['data'], 'data');
        const old = this.rows(record['old'], 'old');
        data.forEach((d, i) => {
          const after = this.image(d, 'data');
          const before = mergeBefore(this.image(old[i] ?? {}, 'old'), after, this.fieldNames, old);
          this.push(out, before, '-U');
          this.push(out, after, '+U');
        });
        return;
      }
      case 'DELETE':
        for (const d of this.rows(record['data'], 'data')) this.push(out, this.image(d, 'data'), '-D');
        return;
      case 'CREATE':
        return; // a DDL event: no rows
      default:
        throw new CorruptChange(`unknown "type" value "${String(type)}"`);
    }
  }
}

class CanalJsonEncoder implements ChangelogEncoder {
  private readonly row: { encode(row: Row): string };
  constructor(fields: Field[], options: Record<string, string>) {
    this.row = jsonObjectEncoder(fields, cdcJsonConfig('canal-json', options, OPTIONS));
  }
  encode(row: Row): string {
    const k = rowKindOf(row);
    return `{"data":[${this.row.encode(row)}],"type":"${k === '+I' || k === '+U' ? 'INSERT' : 'DELETE'}"}`;
  }
}

export const canalJsonFormat: FormatFactory = {
  identifier: 'canal-json',
  options: OPTIONS,
  ...changelogOnly('canal-json'),
  changelog: {
    metadata: METADATA,
    createDecoder: (fields, options, metadataKeys) => new CanalJsonDecoder(fields, options, metadataKeys),
    createEncoder: (fields, options) => new CanalJsonEncoder(fields, options),
  },
};
