// The 'iceberg' connector: bound to a catalog (an Iceberg catalog's tableFactory()), or
// standalone for `'connector'='iceberg'` tables declared in another catalog, with
// 'catalog-name', 'catalog-type', 'warehouse' (or 'uri') and optional 'catalog-database' /
// 'catalog-table', as Flink's connector does. The standalone form creates the Iceberg
// table on first use when it does not exist. With 'metadata-location' (a metadata file, or a
// table or metadata folder) the table is opened by its files, without a catalog: a table
// written by Glue, Athena or any catalog whose files are reachable.
import type { ConnectorFactory, DynamicSink, DynamicSource, ScanRequest, TableDescriptor } from '../../common/connector.js';
import { ConnectorError, ValidationError } from '../../common/errors.js';
import { fileIOFor } from '../../io/fileio.js';
import { LOOKUP_RELOAD_OPTIONS, parseDuration, type OptionSpec } from '../../common/options.js';
import type { IcebergBackend } from './backend.js';
import { splitMetadataName, type MetadataTableKind } from './metadata-tables.js';
import { identitySpec, schemaFromFields } from './schema.js';
import { IcebergSink, upsertEnabled } from './sink.js';
import { IcebergSource, STARTING_STRATEGIES, type ScanOptions, type StartingStrategy } from './source.js';
import { openTableAt, type TableOperations } from './table.js';

const READ_WRITE_OPTIONS: OptionSpec[] = [
  { key: 'snapshot-id', type: 'string', description: 'Read this snapshot instead of the current one' },
  { key: 'as-of-timestamp', type: 'string', description: 'Read the snapshot current at this time (ms since the epoch)' },
  { key: 'branch', type: 'string', description: "Read the head of this branch; write into it (created from main's current snapshot when missing). Default main" },
  { key: 'tag', type: 'string', description: 'Read the snapshot of this tag' },
  { key: 'write.target-file-size-bytes', type: 'string', description: 'Roll data files at about this size (default 512 MB)' },
  { key: 'write.parquet.compression-codec', type: 'enum', values: ['zstd', 'snappy', 'gzip', 'brotli', 'lz4', 'uncompressed', 'none'], description: 'Parquet codec (default zstd)' },
  { key: 'write.metadata.metrics.default', type: 'string', description: 'none, counts, truncate(N) (default truncate(16)), full' },
  { key: 'write.', type: 'string', prefix: true, description: 'Iceberg write properties' },
  { key: 'read.', type: 'string', prefix: true, description: 'Iceberg read properties' },
  { key: 'commit.', type: 'string', prefix: true, description: 'Iceberg commit properties (commit.retry.num-retries)' },
  { key: 'history.', type: 'string', prefix: true, description: 'Iceberg snapshot retention properties' },
  { key: 'format-version', type: 'string', description: 'Iceberg format version (2)' },
  { key: 'upsert-enabled', type: 'boolean', description: "Write +I/+U as upserts of the primary key (equality delete + insert), as 'write.upsert.enabled'" },
  { key: 'streaming', type: 'boolean', description: 'Keep reading the snapshots appended after the current one (streaming mode only)' },
  { key: 'monitor-interval', type: 'duration', description: 'How often a streaming read looks for new snapshots (default 10 s)' },
  {
    key: 'starting-strategy',
    type: 'enum',
    values: [...STARTING_STRATEGIES],
    description:
      'Streaming: where to start, as Flink\'s Iceberg source: INCREMENTAL_FROM_LATEST_SNAPSHOT (default: the files the current snapshot appended, then later appends), TABLE_SCAN_THEN_INCREMENTAL (the whole current snapshot first), INCREMENTAL_FROM_LATEST_SNAPSHOT_EXCLUSIVE, INCREMENTAL_FROM_EARLIEST_SNAPSHOT, INCREMENTAL_FROM_SNAPSHOT_ID, INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP',
  },
  { key: 'start-snapshot-id', type: 'string', description: "Streaming (with 'starting-strategy'='INCREMENTAL_FROM_SNAPSHOT_ID'): the first snapshot read, inclusive. Batch: read the files appended after it (exclusive)" },
  { key: 'start-snapshot-timestamp', type: 'string', description: "Streaming (with 'starting-strategy'='INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP'): start at the oldest snapshot committed at or after this time (ms since the epoch)" },
  { key: 'end-snapshot-id', type: 'string', description: "Batch, with 'start-snapshot-id': the last snapshot whose appended files are read (inclusive; default the current one)" },
  { key: 'streaming-skip-delete-snapshots', type: 'boolean', description: "Streaming: pass over snapshots that only delete rows (default true, as Flink's Iceberg source; 'false' fails at such a snapshot)" },
  { key: 'streaming-skip-overwrite-snapshots', type: 'boolean', description: "Streaming: pass over overwrite snapshots, such as upsert commits (default true, as Flink's Iceberg source; 'false' fails at such a snapshot)" },
  ...LOOKUP_RELOAD_OPTIONS,
];

/** Options of tables owned by an Iceberg catalog: its table properties, whatever they are. */
const BOUND_OPTIONS: OptionSpec[] = [...READ_WRITE_OPTIONS, { key: '', type: 'string', prefix: true, description: 'Iceberg table property' }];

function scanOptions(o: Record<string, string>): ScanOptions {
  const monitor = o['monitor-interval'] !== undefined ? parseDuration(o['monitor-interval']) : undefined;
  return {
    snapshotId: o['snapshot-id'],
    asOfTimestamp: o['as-of-timestamp'],
    branch: o.branch,
    tag: o.tag,
    startingStrategy: o['starting-strategy']?.trim() as StartingStrategy | undefined,
    startSnapshotId: o['start-snapshot-id'],
    startSnapshotTimestamp: o['start-snapshot-timestamp'],
    endSnapshotId: o['end-snapshot-id'],
    streaming: (o.streaming ?? '').toLowerCase() === 'true',
    // Flink's Iceberg source (IncrementalAppendScan) reads append snapshots only and passes over
    // the others without failing; 'false' is Spark's stricter rule.
    skipDeleteSnapshots: (o['streaming-skip-delete-snapshots'] ?? 'true').toLowerCase() !== 'false',
    skipOverwriteSnapshots: (o['streaming-skip-overwrite-snapshots'] ?? 'true').toLowerCase() !== 'false',
    monitorIntervalMs: monitor,
  };
}

function writeOptions(o: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (k.startsWith('write.') || k === 'upsert-enabled' || k === 'branch') out[k] = v;
  return out;
}

/**
 * Updates (a changelog) go only into a table with equality fields: a PRIMARY KEY (Iceberg
 * identifier fields), or upsert mode (which then asks for the key, as Flink does).
 */
function changelogMode(table: TableDescriptor): 'append' | 'all' {
  return (table.primaryKey?.length ?? 0) > 0 || upsertEnabled(table.options) ? 'all' : 'append';
}

function loader(backend: IcebergBackend, db: string, name: string, create?: () => Promise<void>): () => Promise<TableOperations> {
  return async () => {
    let ops = await backend.loadTable(db, name);
    if (!ops && create) {
      await create();
      ops = await backend.loadTable(db, name);
    }
    if (!ops) throw new ConnectorError(`Iceberg table ${db}.${name} does not exist`);
    return ops;
  };
}

/** The connector for the tables of one Iceberg catalog. */
export function boundConnectorFactory(backend: IcebergBackend): ConnectorFactory {
  return {
    identifier: 'iceberg',
    description: 'Apache Iceberg tables of this catalog',
    options: BOUND_OPTIONS,
    sinkChangelogMode: changelogMode,
    supportsFilterPushDown: true,
    createSource(table: TableDescriptor, scan: ScanRequest): DynamicSource {
      const mt = splitMetadataName(table.path.table);
      const name = mt ? mt.table : table.path.table;
      return new IcebergSource(loader(backend, table.path.database, name), table, scan, scanOptions(table.options), mt?.kind as MetadataTableKind | undefined);
    },
    createSink(table: TableDescriptor): DynamicSink {
      if (splitMetadataName(table.path.table)) throw new ConnectorError(`Metadata table ${table.path.table} is read-only`);
      return new IcebergSink(loader(backend, table.path.database, table.path.table), table, writeOptions(table.options));
    },
  };
}

export const CONNECTOR_OPTIONS: readonly OptionSpec[] = [
  { key: 'connector', type: 'string', description: "'iceberg'" },
  { key: 'catalog-name', type: 'string', description: "Name of the Iceberg catalog (required unless 'metadata-location' is given)" },
  { key: 'metadata-location', type: 'string', description: 'Open the table from this metadata file, or from the newest metadata file of this table or metadata folder, without a catalog' },
  { key: 'catalog-type', type: 'enum', values: ['hadoop', 'rest', 'glue'], default: 'hadoop', description: 'hadoop, rest or glue' },
  { key: 'catalog-impl', type: 'string', description: 'Java catalog class (org.apache.iceberg.aws.glue.GlueCatalog, …) instead of catalog-type' },
  { key: 'glue.', type: 'string', prefix: true, description: 'Glue catalog options (glue.endpoint, glue.id, …)' },
  { key: 'catalog-database', type: 'string', description: 'Iceberg namespace (default: the database the table is declared in)' },
  { key: 'catalog-table', type: 'string', description: 'Iceberg table name (default: the declared table name)' },
  { key: 'warehouse', type: 'string', description: 'Warehouse location (hadoop) or name (rest)' },
  { key: 'uri', type: 'string', description: 'REST catalog URI' },
  { key: 'credential', type: 'string', secret: true, description: 'OAuth2 client credentials for the REST catalog' },
  { key: 'token', type: 'string', secret: true, description: 'Bearer token for the REST catalog' },
  { key: 'prefix', type: 'string', description: 'REST path prefix' },
  { key: 'io-impl', type: 'string', description: 'Java FileIO class name (accepted for compatibility)' },
  { key: 's3.', type: 'string', prefix: true, description: 'S3 FileIO options' },
  { key: 'client.', type: 'string', prefix: true, description: 'client.region' },
  { key: 'header.', type: 'string', prefix: true, description: 'REST HTTP headers' },
  ...READ_WRITE_OPTIONS,
];

const backends = new Map<string, IcebergBackend>();

async function backendFor(options: Record<string, string>): Promise<IcebergBackend> {
  const { createBackend } = await import('./catalog.js');
  const key = JSON.stringify(
    Object.entries(options)
      .filter(([k]) => !k.startsWith('write.') && !['catalog-database', 'catalog-table', 'snapshot-id', 'as-of-timestamp', 'branch', 'tag', 'upsert-enabled', 'streaming', 'monitor-interval', 'starting-strategy', 'start-snapshot-id', 'start-snapshot-timestamp', 'end-snapshot-id'].includes(k))
      .sort(),
  );
  let b = backends.get(key);
  if (!b) {
    b = createBackend(options);
    await b.open();
    backends.set(key, b);
  }
  return b;
}

/** Operations of a table opened by its 'metadata-location' (one instance per query, so commits move it forward). */
function locatedTable(table: TableDescriptor): () => Promise<TableOperations> {
  const where = table.options['metadata-location']!;
  let ops: Promise<TableOperations> | undefined;
  return () =>
    (ops ??= (async () => openTableAt(await fileIOFor(where, table.options), where, `${table.path.database}.${table.path.table}`))().catch((e) => {
      ops = undefined;
      throw e;
    }));
}

function standaloneOps(table: TableDescriptor): () => Promise<TableOperations> {
  if (table.options['metadata-location']) return locatedTable(table);
  const db = table.options['catalog-database'] ?? table.path.database;
  const name = table.options['catalog-table'] ?? table.path.table;
  return async () => loader(await backendFor(table.options), db, name, () => createFor(table))();
}

/** `'connector' = 'iceberg'` in any catalog. */
export const icebergConnectorFactory: ConnectorFactory = {
  identifier: 'iceberg',
  description: "Apache Iceberg table in a hadoop or REST Iceberg catalog named by the options, or at a 'metadata-location'",
  options: CONNECTOR_OPTIONS,
  sinkChangelogMode: changelogMode,
  supportsFilterPushDown: true,
  validate(table: TableDescriptor): void {
    if (!table.options['catalog-name'] && !table.options['metadata-location']) {
      throw new ValidationError(
        `Missing required option 'catalog-name' for table ${table.path.table} (connector 'iceberg'): name the Iceberg catalog, or give 'metadata-location' to open the table by its files`,
      );
    }
  },
  createSource(table: TableDescriptor, scan: ScanRequest): DynamicSource {
    return new IcebergSource(standaloneOps(table), table, scan, scanOptions(table.options));
  },
  createSink(table: TableDescriptor): DynamicSink {
    return new IcebergSink(standaloneOps(table), table, writeOptions(table.options));
  },
};

async function createFor(table: TableDescriptor): Promise<void> {
  const backend = await backendFor(table.options);
  const db = table.options['catalog-database'] ?? table.path.database;
  const name = table.options['catalog-table'] ?? table.path.table;
  if (!(await backend.namespaceExists(db))) await backend.createNamespace(db, {}).catch(() => undefined);
  const pk = table.primaryKey ?? [];
  const { schema } = schemaFromFields(
    table.physical.map((f) => (pk.includes(f.name) ? { ...f, type: { ...f.type, nullable: false } as typeof f.type } : f)),
    0,
    pk,
  );
  const { spec } = identitySpec(schema, table.partitionKeys);
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(table.options)) if (k.startsWith('write.') || k.startsWith('commit.')) properties[k] = v;
  try {
    await backend.createTable(db, name, { schema, spec, properties });
  } catch (e) {
    if (!(await backend.loadTable(db, name))) throw e; // lost a creation race: fine
  }
}

/** For tests: forget cached standalone backends. */
export async function resetConnectorBackends(): Promise<void> {
  for (const b of backends.values()) await b.close().catch(() => undefined);
  backends.clear();
}
