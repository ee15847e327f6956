// The Glue catalog (`'catalog-impl'='org.apache.iceberg.aws.glue.GlueCatalog'` or
// `'catalog-type'='glue'`): databases and tables are AWS Glue Data Catalog objects, as Iceberg's
// GlueCatalog writes them, so that Iceberg (Java), pyiceberg, Athena and Spark find them: a Glue
// table of TableType EXTERNAL_TABLE whose parameters say table_type=ICEBERG and
// metadata_location=<the current metadata file>, with previous_metadata_location, and the columns
// in the storage descriptor (Hive type names plus iceberg.field.* parameters). Metadata files are
// `<table location>/metadata/NNNNN-<uuid>.metadata.json`; a new table's location is
// `<database LocationUri>/<table>` or `<warehouse>/<db>.db/<table>`.
// A commit writes the next metadata file, then swaps the pointer with UpdateTable guarded by the
// Glue table's VersionId (read with the metadata_location the commit started from): Glue refuses
// the update when another writer changed the table in between (ConcurrentModificationException),
// which is a CommitConflictError (reload and retry). Credentials never appear in messages.
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import type { Column, GlueClient, GlueClientConfig, Table, TableInput } from '@aws-sdk/client-glue';
import { lazyRequire } from '../../common/lazy-require.js';
import { ConnectorError, ValidationError } from '../../common/errors.js';
import { fileIOFor, joinPath, type FileIO } from '../../io/fileio.js';
import type { IcebergBackend, NewTable } from './backend.js';
import {
  applyUpdates,
  checkRequirements,
  CommitConflictError,
  CommitStateUnknownError,
  currentSchema,
  newTableMetadata,
  serializeMetadata,
  type MetadataUpdate,
  type TableMetadata,
  type UpdateRequirement,
} from './metadata.js';
import { isPrimitive, type IcebergField, type IcebergType } from './schema.js';
import { parseMetadataFile, parseMetadataFileName, type TableOperations } from './table.js';

/** The AWS SDK's Glue client, loaded when a Glue catalog is first used. */
const glue = lazyRequire<typeof import('@aws-sdk/client-glue')>('@aws-sdk/client-glue');

export const GLUE_CATALOG_IMPL = 'org.apache.iceberg.aws.glue.GlueCatalog';

const TABLE_TYPE = 'table_type';
const METADATA_LOCATION = 'metadata_location';
const PREVIOUS_METADATA_LOCATION = 'previous_metadata_location';
const ICEBERG = 'ICEBERG';

// Glue's (and Iceberg's GlueCatalog's) naming rules; Glue stores names in lower case.
const DB_RE = /^[a-z0-9_]{1,252}$/;
const TABLE_RE = /^[a-z0-9_]{1,255}$/;

function errName(e: unknown): string {
  return (e as { name?: string })?.name ?? '';
}

function statusOf(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function isTrue(v: string | undefined, dflt: boolean): boolean {
  return v === undefined ? dflt : v.trim().toLowerCase() === 'true';
}

function isIcebergTable(t: Table | undefined): boolean {
  return (t?.Parameters?.[TABLE_TYPE] ?? '').toUpperCase() === ICEBERG;
}

/** Iceberg type → the Hive type name Glue (and Athena) show for the column. */
export function glueTypeName(t: IcebergType): string {
  if (isPrimitive(t)) {
    switch (t) {
      case 'boolean':
      case 'int':
      case 'float':
      case 'double':
      case 'date':
      case 'string':
      case 'binary':
        return t;
      case 'long':
        return 'bigint';
      case 'timestamp':
      case 'timestamptz':
      case 'timestamp_ns':
      case 'timestamptz_ns':
        return 'timestamp';
      case 'time':
      case 'uuid':
        return 'string';
      default:
        if (t.startsWith('decimal')) return t.replace(/\s+/g, '');
        if (t.startsWith('fixed')) return 'binary';
        return t;
    }
  }
  if (t.type === 'struct') return `struct<${t.fields.map((f) => `${f.name}:${glueTypeName(f.type)}`).join(',')}>`;
  if (t.type === 'list') return `array<${glueTypeName(t.element)}>`;
  return `map<${glueTypeName(t.key)},${glueTypeName(t.value)}>`;
}

function glueColumns(fields: IcebergField[]): Column[] {
  return fields.map((f) => ({
    Name: f.name,
    Type: glueTypeName(f.type),
    ...(f.doc ? { Comment: f.doc } : {}),
    Parameters: { 'iceberg.field.id': String(f.id), 'iceberg.field.optional': String(!f.required), 'iceberg.field.current': 'true' },
  }));
}

/** Glue's TableInput for a table whose current metadata is `m` at `metadataLocation`. */
function tableInput(name: string, m: TableMetadata, metadataLocation: string, previous: Table | undefined): TableInput {
  const params: Record<string, string> = { ...(previous?.Parameters ?? {}) };
  params[TABLE_TYPE] = ICEBERG;
  params[METADATA_LOCATION] = metadataLocation;
  const prev = previous?.Parameters?.[METADATA_LOCATION];
  if (prev) params[PREVIOUS_METADATA_LOCATION] = prev;
  else delete params[PREVIOUS_METADATA_LOCATION];
  const comment = m.properties.comment;
  return {
    Name: name,
    TableType: 'EXTERNAL_TABLE',
    Parameters: params,
    ...(comment ? { Description: comment } : previous?.Description ? { Description: previous.Description } : {}),
    StorageDescriptor: { Location: m.location, Columns: glueColumns(currentSchema(m).fields) },
  };
}

function maxFieldId(fields: IcebergField[]): number {
  let m = 0;
  const visit = (t: IcebergType) => {
    if (isPrimitive(t)) return;
    if (t.type === 'struct') for (const f of t.fields) (m = Math.max(m, f.id)), visit(f.type);
    else if (t.type === 'list') (m = Math.max(m, t['element-id'])), visit(t.element);
    else (m = Math.max(m, t['key-id'], t['value-id'])), visit(t.key), visit(t.value);
  };
  for (const f of fields) (m = Math.max(m, f.id)), visit(f.type);
  return m;
}

/** The version number in a metadata file name (`00003-<uuid>.metadata.json` → 3), or -1. */
function versionOf(location: string | undefined): number {
  if (!location) return -1;
  return parseMetadataFileName(location.slice(location.lastIndexOf('/') + 1))?.version ?? -1;
}

function metadataFileName(version: number): string {
  return `${String(version).padStart(5, '0')}-${randomUUID()}.metadata.json`;
}

export class GlueBackend implements IcebergBackend {
  readonly kind = 'glue' as const;
  readonly client: GlueClient;
  private readonly catalogId: string | undefined;
  private readonly skipArchive: boolean;
  private readonly warehouse: string | undefined;
  private readonly endpoint: string;
  private fileIOs = new Map<string, FileIO>();

  constructor(private readonly options: Record<string, string>) {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.warehouse = options.warehouse ? options.warehouse.replace(/\/+$/, '') : undefined;
    this.catalogId = options['glue.id'] || undefined;
    this.skipArchive = isTrue(options['glue.skip-archive'], true);
    const config: GlueClientConfig = {
      region: options['client.region'] ?? options['glue.region'] ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      maxAttempts: Number(options['glue.max-attempts'] ?? 5),
    };
    if (options['glue.endpoint']) config.endpoint = options['glue.endpoint'];
    this.endpoint = options['glue.endpoint'] ?? 'AWS Glue';
    const id = options['glue.access-key-id'] ?? options['client.access-key-id'];
    const secret = options['glue.secret-access-key'] ?? options['client.secret-access-key'];
    const token = options['glue.session-token'] ?? options['client.session-token'];
    if (id && secret) config.credentials = { accessKeyId: id, secretAccessKey: secret, sessionToken: token };
    this.client = new (glue().GlueClient)(config);
  }

  toString(): string {
    return `GlueBackend(${this.endpoint}${this.catalogId ? `, catalog ${this.catalogId}` : ''})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  toJSON(): string {
    return this.toString();
  }

  async open(): Promise<void> {
    // Nothing to fetch: the first call tells whether Glue answers.
  }

  async close(): Promise<void> {
    for (const io of this.fileIOs.values()) if (io.scheme !== 'file') await io.close().catch(() => undefined);
    this.fileIOs.clear();
    this.client.destroy();
  }

  /** A Glue call; errors other than the ones the caller handles name the operation and the endpoint. */
  async call<T>(what: string, send: () => Promise<T>, handled: string[] = []): Promise<T> {
    try {
      return await send();
    } catch (e) {
      if (handled.includes(errName(e))) throw e;
      const name = errName(e);
      const msg = (e as Error).message ?? String(e);
      if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException' || name === 'InvalidSignatureException' || statusOf(e) === 403) {
        throw new ConnectorError(`Glue catalog (${this.endpoint}): ${what} was refused (${name || 'HTTP 403'}): check the credentials and permissions (${msg})`);
      }
      throw new ConnectorError(`Glue catalog (${this.endpoint}): ${what} failed${name ? ` (${name})` : ''}: ${msg}`, { cause: e });
    }
  }

  private dbName(ns: string): string {
    const n = ns.toLowerCase();
    if (!isTrue(this.options['glue.skip-name-validation'], false) && !DB_RE.test(n)) {
      throw new ValidationError(`Invalid Glue database name '${ns}': use letters, digits and '_' (at most 252 characters)`);
    }
    return n;
  }

  private tableName(name: string): string {
    const n = name.toLowerCase();
    if (!isTrue(this.options['glue.skip-name-validation'], false) && !TABLE_RE.test(n)) {
      throw new ValidationError(`Invalid Glue table name '${name}': use letters, digits and '_' (at most 255 characters)`);
    }
    return n;
  }

  async fileIOFor(location: string): Promise<FileIO> {
    const key = location.split(':')[0];
    let io = this.fileIOs.get(key);
    if (!io) {
      io = await fileIOFor(location, this.options);
      this.fileIOs.set(key, io);
    }
    return io;
  }

  async io(): Promise<FileIO> {
    return this.fileIOFor(this.warehouse ?? '/');
  }

  async listNamespaces(): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.call('GetDatabases', () => this.client.send(new (glue().GetDatabasesCommand)({ CatalogId: this.catalogId, NextToken: token })));
      for (const d of res.DatabaseList ?? []) if (d.Name) out.push(d.Name);
      token = res.NextToken || undefined;
    } while (token);
    return out;
  }

  async getDatabase(ns: string) {
    try {
      const res = await this.call(`GetDatabase ${ns}`, () => this.client.send(new (glue().GetDatabaseCommand)({ CatalogId: this.catalogId, Name: this.dbName(ns) })), ['EntityNotFoundException']);
      return res.Database;
    } catch (e) {
      if (errName(e) === 'EntityNotFoundException') return undefined;
      throw e;
    }
  }

  async namespaceExists(ns: string): Promise<boolean> {
    return (await this.getDatabase(ns)) !== undefined;
  }

  async createNamespace(ns: string, properties: Record<string, string>): Promise<void> {
    const params = { ...properties };
    const location = params.location;
    delete params.location;
    const comment = params.comment;
    delete params.comment;
    try {
      await this.call(
        `CreateDatabase ${ns}`,
        () =>
          this.client.send(
            new (glue().CreateDatabaseCommand)({
              CatalogId: this.catalogId,
              DatabaseInput: { Name: this.dbName(ns), ...(location ? { LocationUri: location } : {}), ...(comment ? { Description: comment } : {}), Parameters: params },
            }),
          ),
        ['AlreadyExistsException'],
      );
    } catch (e) {
      if (errName(e) === 'AlreadyExistsException') throw new ValidationError(`Database ${ns} already exists`);
      throw e;
    }
  }

  async dropNamespace(ns: string): Promise<void> {
    const tables = await this.glueTables(ns);
    if (tables.length > 0) throw new ValidationError(`Database ${ns} is not empty (tables: ${tables.map((t) => t.Name).join(', ')})`);
    try {
      await this.call(`DeleteDatabase ${ns}`, () => this.client.send(new (glue().DeleteDatabaseCommand)({ CatalogId: this.catalogId, Name: this.dbName(ns) })), ['EntityNotFoundException']);
    } catch (e) {
      if (errName(e) !== 'EntityNotFoundException') throw e;
    }
  }

  private async glueTables(ns: string): Promise<Table[]> {
    const out: Table[] = [];
    let token: string | undefined;
    do {
      const res = await this.call(`GetTables ${ns}`, () =>
        this.client.send(new (glue().GetTablesCommand)({ CatalogId: this.catalogId, DatabaseName: this.dbName(ns), NextToken: token })),
      );
      out.push(...(res.TableList ?? []));
      token = res.NextToken || undefined;
    } while (token);
    return out;
  }

  /** The Iceberg tables of a database (Glue tables of other kinds are left out). */
  async listTables(ns: string): Promise<string[]> {
    return (await this.glueTables(ns)).filter(isIcebergTable).map((t) => t.Name!);
  }

  /** The Glue table, or undefined when it does not exist. */
  async getGlueTable(ns: string, name: string): Promise<Table | undefined> {
    try {
      const res = await this.call(
        `GetTable ${ns}.${name}`,
        () => this.client.send(new (glue().GetTableCommand)({ CatalogId: this.catalogId, DatabaseName: this.dbName(ns), Name: this.tableName(name) })),
        ['EntityNotFoundException'],
      );
      return res.Table;
    } catch (e) {
      if (errName(e) === 'EntityNotFoundException') return undefined;
      throw e;
    }
  }

  async loadTable(ns: string, name: string): Promise<TableOperations | undefined> {
    const t = await this.getGlueTable(ns, name);
    if (!t) return undefined;
    if (!isIcebergTable(t)) throw new ConnectorError(`Glue table ${ns}.${name} is not an Iceberg table (its table_type parameter is '${t.Parameters?.[TABLE_TYPE] ?? ''}')`);
    const location = t.Parameters?.[METADATA_LOCATION];
    if (!location) throw new ConnectorError(`Glue table ${ns}.${name} has no metadata_location parameter`);
    return new GlueTableOperations(this, this.dbName(ns), this.tableName(name), await this.fileIOFor(location), t);
  }

  private async defaultLocation(ns: string, name: string): Promise<string> {
    const db = await this.getDatabase(ns);
    if (!db) throw new ValidationError(`Database ${ns} does not exist`);
    if (db.LocationUri) return joinPath(db.LocationUri.replace(/\/+$/, ''), this.tableName(name));
    if (!this.warehouse) {
      throw new ValidationError(`Cannot place table ${ns}.${name}: the Glue database has no location and the catalog has no 'warehouse' (give 'warehouse' = 's3://bucket/path', or 'location' in the table's options)`);
    }
    return joinPath(this.warehouse, `${this.dbName(ns)}.db`, this.tableName(name));
  }

  async createTable(ns: string, name: string, t: NewTable): Promise<TableMetadata> {
    const location = (t.location ?? (await this.defaultLocation(ns, name))).replace(/\/+$/, '');
    const meta = newTableMetadata({
      location,
      schema: t.schema,
      lastColumnId: maxFieldId(t.schema.fields),
      spec: t.spec,
      lastPartitionId: t.spec.fields.reduce((a, f) => Math.max(a, f['field-id']), 999),
      properties: t.properties,
    });
    const file = joinPath(location, 'metadata', metadataFileName(0));
    const io = await this.fileIOFor(file);
    await io.write(file, new TextEncoder().encode(serializeMetadata(meta)), { ifAbsent: true });
    try {
      await this.createGlueTable(ns, name, meta, file);
    } catch (e) {
      await io.delete(file).catch(() => undefined);
      throw e;
    }
    return meta;
  }

  private async createGlueTable(ns: string, name: string, meta: TableMetadata, metadataLocation: string): Promise<void> {
    try {
      await this.call(
        `CreateTable ${ns}.${name}`,
        () =>
          this.client.send(
            new (glue().CreateTableCommand)({ CatalogId: this.catalogId, DatabaseName: this.dbName(ns), TableInput: tableInput(this.tableName(name), meta, metadataLocation, undefined) }),
          ),
        ['AlreadyExistsException', 'EntityNotFoundException'],
      );
    } catch (e) {
      if (errName(e) === 'AlreadyExistsException') throw new ValidationError(`Table ${ns}.${name} already exists`);
      if (errName(e) === 'EntityNotFoundException') throw new ValidationError(`Database ${ns} does not exist`);
      throw e;
    }
  }

  async registerTable(ns: string, name: string, metadataLocation: string): Promise<TableMetadata> {
    const io = await this.fileIOFor(metadataLocation);
    const meta = parseMetadataFile(await io.read(metadataLocation), metadataLocation, `${ns}.${name}`);
    await this.createGlueTable(ns, name, meta, metadataLocation);
    return meta;
  }

  async dropTable(ns: string, name: string, purge: boolean): Promise<boolean> {
    const t = await this.getGlueTable(ns, name);
    if (!t) return false;
    try {
      await this.call(`DeleteTable ${ns}.${name}`, () => this.client.send(new (glue().DeleteTableCommand)({ CatalogId: this.catalogId, DatabaseName: this.dbName(ns), Name: this.tableName(name) })), [
        'EntityNotFoundException',
      ]);
    } catch (e) {
      if (errName(e) === 'EntityNotFoundException') return false;
      throw e;
    }
    const location = t.StorageDescriptor?.Location;
    if (purge && isIcebergTable(t) && location) {
      const io = await this.fileIOFor(location);
      await io.deleteRecursive(location).catch(() => undefined);
    }
    return true;
  }

  /**
   * As Iceberg's GlueCatalog#renameTable: Glue cannot rename, so the destination is created from
   * the source's Glue table (same parameters, metadata location and storage descriptor), then the
   * source is deleted; when that fails, the destination is deleted again and the error stands.
   */
  async renameTable(ns: string, name: string, toNs: string, toName: string): Promise<void> {
    if (!(await this.getDatabase(toNs))) throw new ValidationError(`Database ${toNs} does not exist`);
    const from = await this.getGlueTable(ns, name);
    if (!from) throw new ValidationError(`Table ${ns}.${name} does not exist`);
    if (!isIcebergTable(from)) throw new ConnectorError(`Glue table ${ns}.${name} is not an Iceberg table (its table_type parameter is '${from.Parameters?.[TABLE_TYPE] ?? ''}')`);
    const input: TableInput = {
      Name: this.tableName(toName),
      TableType: from.TableType,
      Parameters: from.Parameters,
      StorageDescriptor: from.StorageDescriptor,
      ...(from.Owner ? { Owner: from.Owner } : {}),
      ...(from.Description ? { Description: from.Description } : {}),
    };
    try {
      await this.call(`CreateTable ${toNs}.${toName}`, () => this.client.send(new (glue().CreateTableCommand)({ CatalogId: this.catalogId, DatabaseName: this.dbName(toNs), TableInput: input })), [
        'AlreadyExistsException',
      ]);
    } catch (e) {
      if (errName(e) === 'AlreadyExistsException') throw new ValidationError(`Table ${toNs}.${toName} already exists`);
      throw e;
    }
    try {
      await this.call(`DeleteTable ${ns}.${name}`, () => this.client.send(new (glue().DeleteTableCommand)({ CatalogId: this.catalogId, DatabaseName: this.dbName(ns), Name: this.tableName(name) })));
    } catch (e) {
      await this.call(`DeleteTable ${toNs}.${toName}`, () =>
        this.client.send(new (glue().DeleteTableCommand)({ CatalogId: this.catalogId, DatabaseName: this.dbName(toNs), Name: this.tableName(toName) })),
      ).catch(() => undefined);
      throw e;
    }
  }

  /** UpdateTable guarded by the version the caller read; ConcurrentModificationException when it moved. */
  async updateTable(ns: string, input: TableInput, versionId: string | undefined): Promise<void> {
    await this.call(
      `UpdateTable ${ns}.${input.Name}`,
      () =>
        this.client.send(
          new (glue().UpdateTableCommand)({ CatalogId: this.catalogId, DatabaseName: ns, TableInput: input, SkipArchive: this.skipArchive, ...(versionId ? { VersionId: versionId } : {}) }),
        ),
      ['ConcurrentModificationException', 'EntityNotFoundException'],
    );
  }
}

export class GlueTableOperations implements TableOperations {
  readonly name: string;
  /** The Glue table (with its VersionId) each loaded metadata came from. */
  private readonly sources = new WeakMap<TableMetadata, Table>();

  constructor(
    private readonly backend: GlueBackend,
    private readonly ns: string,
    private readonly table: string,
    readonly io: FileIO,
    private initial?: Table,
  ) {
    this.name = `${ns}.${table}`;
  }

  async load(): Promise<TableMetadata> {
    const t = this.initial ?? (await this.backend.getGlueTable(this.ns, this.table));
    this.initial = undefined;
    if (!t) throw new ConnectorError(`Table ${this.name} does not exist in the Glue catalog`);
    const location = t.Parameters?.[METADATA_LOCATION];
    if (!location) throw new ConnectorError(`Glue table ${this.name} has no metadata_location parameter`);
    const m = parseMetadataFile(await this.io.read(location), location, this.name);
    this.sources.set(m, t);
    return m;
  }

  async commit(base: TableMetadata, updates: MetadataUpdate[], requirements: UpdateRequirement[]): Promise<TableMetadata> {
    let source = this.sources.get(base);
    if (!source) {
      base = await this.load();
      source = this.sources.get(base)!;
    }
    checkRequirements(base, requirements);
    const baseLocation = source.Parameters![METADATA_LOCATION]!;
    const next = applyUpdates(base, updates, baseLocation);
    const file = joinPath(next.location, 'metadata', metadataFileName(versionOf(baseLocation) + 1));
    await this.io.write(file, new TextEncoder().encode(serializeMetadata(next)), { ifAbsent: true });
    // As Iceberg's GlueCatalog: the table must still point at the metadata this commit started
    // from, and UpdateTable carries the VersionId read with it, so that Glue refuses the swap
    // when another commit lands in between.
    let current: Table | undefined;
    try {
      current = await this.backend.getGlueTable(this.ns, this.table);
    } catch (e) {
      await this.io.delete(file).catch(() => undefined);
      throw e;
    }
    if (!current) {
      await this.io.delete(file).catch(() => undefined);
      throw new ConnectorError(`Table ${this.name} was dropped from the Glue catalog during a commit`);
    }
    if (current.Parameters?.[METADATA_LOCATION] !== baseLocation) {
      await this.io.delete(file).catch(() => undefined);
      throw new CommitConflictError(`Table ${this.name} was changed by another commit (its metadata_location moved on from ${baseLocation})`);
    }
    try {
      await this.backend.updateTable(this.ns, tableInput(this.table, next, file, current), current.VersionId);
    } catch (e) {
      const name = errName(e);
      if (name === 'ConcurrentModificationException') {
        await this.io.delete(file).catch(() => undefined);
        throw new CommitConflictError(`Table ${this.name} was changed by another commit (Glue refused version ${current.VersionId ?? '?'}: ${(e as Error).message})`);
      }
      if (name === 'EntityNotFoundException') {
        await this.io.delete(file).catch(() => undefined);
        throw new ConnectorError(`Table ${this.name} was dropped from the Glue catalog during a commit`);
      }
      // The update may have landed: look before deciding.
      const after = await this.backend.getGlueTable(this.ns, this.table).catch(() => undefined);
      if (after?.Parameters?.[METADATA_LOCATION] === file) {
        this.sources.set(next, after);
        return next;
      }
      if (after && after.Parameters?.[METADATA_LOCATION] !== file) {
        await this.io.delete(file).catch(() => undefined);
        throw e;
      }
      throw new CommitStateUnknownError(`Commit to ${this.name} has an unknown outcome: ${(e as Error).message}`, { cause: e });
    }
    const after = { ...current, VersionId: undefined, Parameters: { ...(current.Parameters ?? {}), [METADATA_LOCATION]: file, [PREVIOUS_METADATA_LOCATION]: baseLocation } } as Table;
    // The next commit reads the VersionId afresh (above), so an unknown one here is fine.
    this.sources.set(next, after);
    return next;
  }
}
