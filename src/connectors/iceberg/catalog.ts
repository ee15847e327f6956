// The Iceberg catalog (`CREATE CATALOG c WITH ('type'='iceberg', 'catalog-type'='hadoop'|'rest'|'glue', …)`):
// databases and tables of an Iceberg backend seen as tsstream catalog entries, the metadata
// tables (`t$snapshots`, …), and the connector for its tables (tableFactory()).
import type { Catalog, CatalogEntry, CatalogFactory, CatalogTable, ColumnChange } from '../../common/catalog.js';
import type { ConnectorFactory } from '../../common/connector.js';
import { UnsupportedError, ValidationError } from '../../common/errors.js';
import { validateOptions, type OptionSpec } from '../../common/options.js';
import { inspect } from 'node:util';
import type { IcebergBackend } from './backend.js';
import { HadoopBackend } from './hadoop.js';
import { CommitConflictError, currentSchema, defaultSpec } from './metadata.js';
import { metadataTableFields, splitMetadataName } from './metadata-tables.js';
import { identitySpec, indexById, schemaFromFields, type IcebergSchema } from './schema.js';
import { boundConnectorFactory } from './factory.js';
import { evolveSchema } from './evolve.js';
import { RestBackend } from './rest.js';
import { GLUE_CATALOG_IMPL, GlueBackend } from './glue.js';

export const CATALOG_OPTIONS: readonly OptionSpec[] = [
  { key: 'type', type: 'string', description: "'iceberg'", required: true },
  { key: 'catalog-type', type: 'enum', values: ['hadoop', 'rest', 'glue'], default: 'hadoop', description: 'Which Iceberg catalog: hadoop (a warehouse folder), rest (the Iceberg REST protocol) or glue (the AWS Glue Data Catalog)' },
  { key: 'catalog-impl', type: 'string', description: `Java catalog class, as Flink's Iceberg connector takes it: ${GLUE_CATALOG_IMPL}, org.apache.iceberg.rest.RESTCatalog or org.apache.iceberg.hadoop.HadoopCatalog` },
  { key: 'glue.', type: 'string', prefix: true, description: 'Glue catalog options: glue.endpoint, glue.id (catalog id), glue.skip-archive, glue.skip-name-validation, glue.region, glue.access-key-id, glue.secret-access-key, glue.session-token' },
  { key: 'warehouse', type: 'string', description: 'Warehouse location (local path, file:, s3://); for rest, the warehouse name sent to /v1/config' },
  { key: 'uri', type: 'string', description: 'REST catalog URI' },
  { key: 'prefix', type: 'string', description: 'REST path prefix (normally given by the server in /v1/config)' },
  { key: 'credential', type: 'string', secret: true, description: "OAuth2 client credentials 'client_id:client_secret' for the REST catalog" },
  { key: 'token', type: 'string', secret: true, description: 'Bearer token for the REST catalog' },
  { key: 'oauth2-server-uri', type: 'string', description: 'OAuth2 token endpoint (default <uri>/v1/oauth/tokens)' },
  { key: 'scope', type: 'string', description: 'OAuth2 scope (default catalog)' },
  { key: 'default-database', type: 'string', default: 'default', description: 'The database USE CATALOG starts in' },
  { key: 'property-version', type: 'string', description: 'Flink compatibility (ignored)' },
  { key: 'io-impl', type: 'string', description: 'Java FileIO class name (accepted for compatibility; S3 is chosen by the scheme)' },
  { key: 'cache-enabled', type: 'boolean', description: 'Flink compatibility (ignored)' },
  { key: 'clients', type: 'int', description: 'Flink compatibility (ignored)' },
  { key: 's3.', type: 'string', prefix: true, description: 'S3 FileIO options: s3.endpoint, s3.path-style-access, s3.access-key-id, s3.secret-access-key, s3.session-token' },
  { key: 'client.', type: 'string', prefix: true, description: 'client.region' },
  { key: 'header.', type: 'string', prefix: true, description: 'Extra HTTP headers for the REST catalog' },
  { key: 'rest.', type: 'string', prefix: true, description: 'REST client options: rest.sigv4-enabled, rest.signing-name (default execute-api), rest.signing-region, rest.access-key-id, rest.secret-access-key, rest.session-token (SigV4 credentials; default: the AWS chain), rest.timeout-ms' },
  { key: 'cache.', type: 'string', prefix: true, description: 'Flink compatibility (ignored)' },
  { key: 'table-default.', type: 'string', prefix: true, description: 'Flink compatibility (ignored)' },
  { key: 'table-override.', type: 'string', prefix: true, description: 'Flink compatibility (ignored)' },
  { key: 'hive-conf-dir', type: 'string', description: 'Flink compatibility (ignored)' },
  { key: 'hadoop-conf-dir', type: 'string', description: 'Flink compatibility (ignored)' },
  { key: 'base-namespace', type: 'string', description: 'Flink compatibility (ignored)' },
];

/** Option keys whose values are secrets (masked whenever options are printed). */
export const SECRET_KEYS = ['credential', 'token', 's3.secret-access-key', 's3.session-token', 'glue.secret-access-key', 'glue.session-token', 'client.secret-access-key', 'client.session-token', 'rest.secret-access-key', 'rest.session-token'];

const CATALOG_IMPLS: Record<string, string> = {
  [GLUE_CATALOG_IMPL]: 'glue',
  'org.apache.iceberg.rest.RESTCatalog': 'rest',
  'org.apache.iceberg.hadoop.HadoopCatalog': 'hadoop',
};

/** hadoop, rest or glue, from 'catalog-type' or 'catalog-impl' (Flink's Iceberg connector takes either, not both). */
export function catalogKind(options: Record<string, string>): string {
  const impl = options['catalog-impl'];
  if (impl !== undefined) {
    if (options['catalog-type'] !== undefined) {
      throw new ValidationError(`Give either 'catalog-type' or 'catalog-impl', not both ('catalog-type' = '${options['catalog-type']}', 'catalog-impl' = '${impl}')`);
    }
    const kind = CATALOG_IMPLS[impl.trim()];
    if (!kind) throw new UnsupportedError(`'catalog-impl' = '${impl}' is not supported: tsstream runs no JVM code; it has ${Object.keys(CATALOG_IMPLS).join(', ')}`);
    return kind;
  }
  return (options['catalog-type'] ?? 'hadoop').toLowerCase();
}

export function createBackend(options: Record<string, string>): IcebergBackend {
  const kind = catalogKind(options);
  if (kind === 'hadoop') return new HadoopBackend(options.warehouse ?? '', options);
  if (kind === 'rest') return new RestBackend(options);
  if (kind === 'glue') return new GlueBackend(options);
  throw new UnsupportedError(`Iceberg catalog-type '${kind}' is not supported (hadoop, rest, glue)`);
}

export class IcebergCatalog implements Catalog {
  readonly type = 'iceberg';
  readonly defaultDatabase: string;
  readonly backend: IcebergBackend;
  private factory: ConnectorFactory | undefined;

  constructor(
    readonly name: string,
    readonly options: Record<string, string>,
  ) {
    this.defaultDatabase = options['default-database'] ?? 'default';
    this.backend = createBackend(options);
  }

  toString(): string {
    return `IcebergCatalog(${this.name}, ${this.backend.kind})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  async open(): Promise<void> {
    await this.backend.open();
    // A warehouse folder gets its default database (as a fresh Flink hadoop catalog has one to
    // USE); a REST server's namespaces are left as the server has them.
    if (this.backend.kind === 'hadoop' && !(await this.backend.namespaceExists(this.defaultDatabase).catch(() => true))) {
      await this.backend.createNamespace(this.defaultDatabase, {}).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.backend.close();
  }

  listDatabases(): Promise<string[]> {
    return this.backend.listNamespaces();
  }

  databaseExists(db: string): Promise<boolean> {
    return this.backend.namespaceExists(db);
  }

  async createDatabase(db: string, ignoreIfExists: boolean, properties: Record<string, string> = {}): Promise<void> {
    if (await this.backend.namespaceExists(db)) {
      if (ignoreIfExists) return;
      throw new ValidationError(`Database ${db} already exists in catalog ${this.name}`);
    }
    await this.backend.createNamespace(db, properties);
  }

  async dropDatabase(db: string, ignoreIfNotExists: boolean, cascade: boolean): Promise<void> {
    if (!(await this.backend.namespaceExists(db))) {
      if (ignoreIfNotExists) return;
      throw new ValidationError(`Database ${db} does not exist in catalog ${this.name}`);
    }
    if (cascade) for (const t of await this.backend.listTables(db)) await this.backend.dropTable(db, t, true);
    await this.backend.dropNamespace(db);
  }

  listTables(db: string): Promise<string[]> {
    return this.backend.listTables(db);
  }

  async listViews(): Promise<string[]> {
    return [];
  }

  async getTable(db: string, name: string): Promise<CatalogEntry | undefined> {
    const mt = splitMetadataName(name);
    const ops = await this.backend.loadTable(db, mt ? mt.table : name);
    if (!ops) return undefined;
    const m = await ops.load();
    if (mt) {
      return {
        kind: 'table',
        columns: metadataTableFields(mt.kind, m).map((f) => ({ kind: 'physical', name: f.name, type: f.type })),
        partitionKeys: [],
        options: {},
        comment: `Iceberg metadata table ${mt.kind} of ${db}.${mt.table}`,
      };
    }
    const schema = currentSchema(m);
    const byId = indexById(schema);
    const spec = defaultSpec(m);
    const table: CatalogTable = {
      kind: 'table',
      columns: schema.fields.map((f) => ({
        kind: 'physical' as const,
        name: f.name,
        type: toLogical(f),
        ...(f.doc ? { comment: f.doc } : {}),
      })),
      partitionKeys: spec.fields.every((pf) => pf.transform === 'identity') ? spec.fields.map((pf) => byId.get(pf['source-id'])!.name) : [],
      options: { ...m.properties },
    };
    const ids = schema['identifier-field-ids'] ?? [];
    if (ids.length > 0) table.primaryKey = ids.map((id) => byId.get(id)!.name);
    if (m.properties.comment) table.comment = m.properties.comment;
    return table;
  }

  async createTable(db: string, name: string, entry: CatalogEntry, ignoreIfExists: boolean): Promise<void> {
    if (entry.kind !== 'table') throw new UnsupportedError(`Iceberg catalog ${this.name} cannot store views`);
    if (name.includes('$')) throw new ValidationError(`Invalid table name '${name}'`);
    if (await this.backend.loadTable(db, name)) {
      if (ignoreIfExists) return;
      throw new ValidationError(`Table ${db}.${name} already exists in catalog ${this.name}`);
    }
    const registered = entry.options['metadata-location'];
    if (registered) {
      // Register-table: the columns come from the table's metadata; any declared must agree.
      const meta = await this.backend.registerTable(db, name, registered);
      const names = new Set(currentSchema(meta).fields.map((f) => f.name.toLowerCase()));
      const unknown = entry.columns.filter((c) => !names.has(c.name.toLowerCase()));
      if (unknown.length > 0) {
        await this.backend.dropTable(db, name, false).catch(() => undefined);
        throw new ValidationError(`Column '${unknown[0].name}' is not in the Iceberg table at ${registered}`);
      }
      return;
    }
    for (const c of entry.columns) {
      if (c.kind !== 'physical') {
        throw new UnsupportedError(`Iceberg tables cannot have ${c.kind} columns (column '${c.name}'); create them in the default catalog instead`);
      }
    }
    if (entry.watermark) throw new UnsupportedError('Iceberg tables cannot declare a WATERMARK; create a table in the default catalog instead');
    const fields = entry.columns.map((c) => ({ name: c.name, type: (c as { type: import('../../common/types.js').LogicalType }).type }));
    const pk = entry.primaryKey ?? [];
    const { schema } = schemaFromFields(fields.map((f) => (pk.includes(f.name) ? { ...f, type: { ...f.type, nullable: false } as typeof f.type } : f)), 0, pk);
    const { spec } = identitySpec(schema, entry.partitionKeys);
    const properties = { ...entry.options };
    delete properties.connector;
    const location = properties.location;
    delete properties.location;
    if (properties['format-version'] && properties['format-version'] !== '2') {
      throw new UnsupportedError(`Iceberg format-version ${properties['format-version']}: tsstream writes format version 2`);
    }
    delete properties['format-version'];
    if (entry.comment) properties.comment = entry.comment;
    await this.backend.createTable(db, name, { schema, spec, properties, location });
  }

  async dropTable(db: string, name: string, ignoreIfNotExists: boolean): Promise<void> {
    const dropped = await this.backend.dropTable(db, name, true);
    if (!dropped && !ignoreIfNotExists) throw new ValidationError(`Table ${db}.${name} does not exist in catalog ${this.name}`);
  }

  async alterTableOptions(db: string, name: string, options: Record<string, string>): Promise<void> {
    const ops = await this.backend.loadTable(db, name);
    if (!ops) throw new ValidationError(`Table ${db}.${name} does not exist in catalog ${this.name}`);
    // `options` is the table's complete new option map (ALTER TABLE … SET / RESET).
    for (let attempt = 0; ; attempt++) {
      const base = await ops.load();
      const updates: Record<string, string> = {};
      for (const [k, v] of Object.entries(options)) if (base.properties[k] !== v) updates[k] = v;
      const removals = Object.keys(base.properties).filter((k) => !(k in options));
      if (Object.keys(updates).length === 0 && removals.length === 0) return;
      try {
        await ops.commit(
          base,
          [
            ...(Object.keys(updates).length ? [{ action: 'set-properties' as const, updates }] : []),
            ...(removals.length ? [{ action: 'remove-properties' as const, removals }] : []),
          ],
          [{ type: 'assert-table-uuid', uuid: base['table-uuid'] }],
        );
        return;
      } catch (e) {
        if (e instanceof CommitConflictError && attempt < 5) continue;
        throw e;
      }
    }
  }

  async alterTableColumns(db: string, name: string, changes: ColumnChange[]): Promise<void> {
    const ops = await this.backend.loadTable(db, name);
    if (!ops) throw new ValidationError(`Table ${db}.${name} does not exist in catalog ${this.name}`);
    for (let attempt = 0; ; attempt++) {
      const base = await ops.load();
      const { schema, lastColumnId } = evolveSchema(base, currentSchema(base), changes, `${this.name}.${db}.${name}`);
      // As Iceberg's TableMetadata.Builder: a schema equal to one the table already has (a DROP
      // undoing an ADD) is made current again under its id, not added twice (the REST server
      // refuses `set-current-schema -1` when its add-schema was such a repeat).
      const same = base.schemas.find((x) => sameSchema(x, schema));
      if (same && same['schema-id'] === base['current-schema-id']) return;
      try {
        await ops.commit(
          base,
          same
            ? [{ action: 'set-current-schema', 'schema-id': same['schema-id'] }]
            : [
                { action: 'add-schema', schema, 'last-column-id': lastColumnId },
                { action: 'set-current-schema', 'schema-id': -1 },
              ],
          [
            { type: 'assert-table-uuid', uuid: base['table-uuid'] },
            { type: 'assert-current-schema-id', 'current-schema-id': base['current-schema-id'] },
            { type: 'assert-last-assigned-field-id', 'last-assigned-field-id': base['last-column-id'] },
          ],
        );
        return;
      } catch (e) {
        if (e instanceof CommitConflictError && attempt < 5) continue;
        throw e;
      }
    }
  }

  async renameTable(db: string, name: string, newName: string): Promise<void> {
    if (newName.includes('$')) throw new ValidationError(`Invalid table name '${newName}'`);
    await this.backend.renameTable(db, name, db, newName);
  }

  tableFactory(): ConnectorFactory {
    return (this.factory ??= boundConnectorFactory(this.backend));
  }
}

function toLogical(f: { type: import('./schema.js').IcebergType; required: boolean }) {
  return schemaToLogical(f.type, !f.required);
}

import { toLogicalType as schemaToLogical } from './schema.js';

export const icebergCatalogFactory: CatalogFactory = {
  type: 'iceberg',
  options: CATALOG_OPTIONS,
  create(name: string, options: Record<string, string>): Catalog {
    validateOptions(`catalog '${name}' (type 'iceberg')`, options, CATALOG_OPTIONS);
    const kind = catalogKind(options);
    if (kind === 'hadoop' && !options.warehouse) {
      throw new ValidationError(`Missing required option 'warehouse' for catalog '${name}' (catalog-type 'hadoop': the warehouse folder, a local path or s3://)`);
    }
    if (kind === 'rest' && !options.uri) {
      throw new ValidationError(`Missing required option 'uri' for catalog '${name}' (catalog-type 'rest': the REST catalog URI)`);
    }
    return new IcebergCatalog(name, options);
  },
};

/** Iceberg's Schema#sameSchema: the same fields (ids, names, types, requiredness, docs) and identifier field ids. */
function sameSchema(a: IcebergSchema, b: IcebergSchema): boolean {
  const ids = (x: IcebergSchema) => JSON.stringify([...(x['identifier-field-ids'] ?? [])].sort((p, q) => p - q));
  return canonical(a.fields) === canonical(b.fields) && ids(a) === ids(b);
}

/** JSON with object keys sorted (schemas read back from a server need not keep our key order). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
