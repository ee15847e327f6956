// Tables written by Spark, Iceberg Java and Athena, served from the moto peer (bucket
// hyperparam-iceberg, path-style), read through SQL and compared with independent readers:
// pyiceberg, and icebird where pyiceberg cannot apply the deletes (equality deletes). Then
// written: into Spark's bucket-partitioned table and into one with year/month/day/hour/
// truncate/bucket fields, checked by pyiceberg's own transforms (check_partitions.py). The
// writes come last: the reads compare with the tables as the other engines left them.
import { decToString } from '../../src/common/exact.js';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { icebergCatalogFactory, icebergConnectorFactory, type IcebergCatalog } from '../../src/connectors/iceberg/index.js';
import type { DynamicSource, TableDescriptor } from '../../src/common/connector.js';
import { T } from '../../src/common/types.js';
import { S3FileIO } from '../../src/io/s3.js';
import { runtimeContext } from '../iceberg/helpers.js';
import { peer, requirePeers } from '../peers/index.js';
import { s3Options, type MotoEndpoint } from '../peers/moto.js';
import { readIcebergTable, type PyicebergEndpoint } from '../peers/pyiceberg.js';
import { icebirdRows, uploadForeignTables } from './fixtures.js';

let moto: MotoEndpoint;

const peersReady = requirePeers('moto', 'pyiceberg');

beforeAll(async () => {
  if (!peersReady) return;
  moto = peer<MotoEndpoint>('moto');
  await uploadForeignTables(moto);
}, 120_000);

const optionsSql = (extra: Record<string, string> = {}) =>
  Object.entries({ ...s3Options(moto), ...extra })
    .map(([k, v]) => `'${k}' = '${v}'`)
    .join(', ');

interface Result {
  columns: string[];
  types: string[];
  scales: number[];
  rows: unknown[][];
}

/** Runs statements; returns the rows and column names of the last one (a query). */
async function query(sql: string): Promise<Result> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(sql);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
    return {
      columns: q.columns.map((c) => c.name),
      types: q.columns.map((c) => c.type.kind),
      scales: q.columns.map((c) => (c.type.kind === 'DECIMAL' ? c.type.scale : 0)),
      // DECIMAL values are unscaled integers at run time: as decimal text, like the other readers give.
      rows: (await collectQuery(q)).map((row) => row.map((v, i) => (q.columns[i].type.kind === 'DECIMAL' && v !== null ? decToString(v as number | bigint, (q.columns[i].type as { scale: number }).scale) : v))),
    };
  } finally {
    await session.close();
  }
}

/** One value as text, the same whichever reader produced it (number, bigint, string or Date). */
function canon(v: unknown, kind: string, scale: number): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (kind === 'DATE' && typeof v === 'number') return new Date(v * 86_400_000).toISOString().slice(0, 10);
  if (kind === 'DECIMAL') return Number(v).toFixed(scale);
  return String(v);
}

function tuples(r: Result, rows: unknown[][]): string[] {
  return rows.map((row) => r.columns.map((c, i) => `${c}=${canon(row[i], r.types[i], r.scales[i])}`).join(' | ')).sort();
}

/** Our rows equal icebird's (objects keyed by column name). */
function sameAsIcebird(ours: Result, reference: Record<string, unknown>[]) {
  expect(tuples(ours, ours.rows)).toEqual(tuples(ours, reference.map((o) => ours.columns.map((c) => o[c]))));
}

/** Our rows equal pyiceberg's reading of the same metadata file through the same S3 server. */
async function sameAsPyiceberg(ours: Result, metadataLocation: string, snapshotId?: string) {
  const t = await readIcebergTable({ kind: 'metadata', location: metadataLocation, props: s3Options(moto) }, 'foreign.t', { snapshotId });
  const idx = ours.columns.map((c) => t.columns.indexOf(c));
  expect(idx.every((i) => i >= 0)).toBe(true);
  expect(tuples(ours, ours.rows)).toEqual(tuples(ours, t.rows.map((row) => idx.map((i) => row[i]))));
}

const META = {
  athena: 's3://hyperparam-iceberg/athena/example/metadata/00001-aaf0d033-d06b-43c7-be60-67f83abd4aca.metadata.json',
  javaBunnies: 's3a://hyperparam-iceberg/java/bunnies/metadata/v5.metadata.json',
  sparkBunnies: 's3a://hyperparam-iceberg/spark/bunnies/metadata/v5.metadata.json',
  renameColumn: 's3a://hyperparam-iceberg/spark/rename_column/metadata/v3.metadata.json',
};

/** Runs statements (jobs to the end); the rows of the last one when it is a query. */
async function runRows(sql: string): Promise<unknown[][]> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(sql);
    for (const x of res) if (x.kind === 'job') await x.job.run();
    const last = res[res.length - 1];
    return last.kind === 'query' ? await collectQuery(last) : [];
  } finally {
    await session.close();
  }
}
const run = runRows;

const catalog = () => `CREATE CATALOG foreign_tables WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 's3a://hyperparam-iceberg', ${optionsSql()});`;

describe('tables written by other engines', () => {
  it('Athena: a table whose metadata files are NNNNN-uuid.metadata.json, without version-hint.text', async () => {
    const ours = await query(`${catalog()} SELECT * FROM foreign_tables.athena.example;`);
    expect(ours.rows.length).toBe(2);
    await sameAsPyiceberg(ours, META.athena);
  }, 120_000);

  it("'metadata-location' opens a table by one metadata file, or by its folder's newest", async () => {
    const byFile = await query(
      `CREATE TABLE ex (id INT, name STRING) WITH ('connector' = 'iceberg', 'metadata-location' = 's3://hyperparam-iceberg/athena/example/metadata/00001-aaf0d033-d06b-43c7-be60-67f83abd4aca.metadata.json', ${optionsSql()});
       SELECT id, name FROM ex;`,
    );
    expect(byFile.rows.map((r) => r.join(':')).sort()).toEqual(['1:Alice', '2:Bob']);
    // The first version has no snapshot: an empty table.
    const first = await query(
      `CREATE TABLE ex (id INT, name STRING) WITH ('connector' = 'iceberg', 'metadata-location' = 's3://hyperparam-iceberg/athena/example/metadata/00000-eedf51e6-8c09-463b-8850-844ee6ec1de0.metadata.json', ${optionsSql()});
       SELECT id, name FROM ex;`,
    );
    expect(first.rows).toEqual([]);
    const byFolder = await query(
      `CREATE TABLE ex (id INT, name STRING) WITH ('connector' = 'iceberg', 'metadata-location' = 's3://hyperparam-iceberg/athena/example', ${optionsSql()});
       SELECT id, name FROM ex;`,
    );
    expect(byFolder.rows.map((r) => r.join(':')).sort()).toEqual(['1:Alice', '2:Bob']);
  }, 120_000);

  it('Iceberg Java: position deletes, then an equality delete and the updated row (merge-on-read)', async () => {
    const ours = await query(`${catalog()} SELECT * FROM foreign_tables.java.bunnies;`);
    expect(ours.rows.length).toBe(15);
    // pyiceberg refuses equality deletes: icebird is the reference here.
    await expect(sameAsPyiceberg(ours, META.javaBunnies)).rejects.toThrow(/equality deletes/);
    sameAsIcebird(ours, await icebirdRows('java/bunnies', 'v5.metadata.json'));
    const nz = ours.rows.filter((r) => r[0] === 'New Zealand');
    expect(nz).toEqual([['New Zealand', 4, 2.7, 8, 'New Zealand', 'Erect', 'Affectionate', 0, true]]);
  }, 120_000);

  it('Iceberg Java: a projection that leaves out the equality delete column still applies it', async () => {
    const ours = await query(`${catalog()} SELECT \`Popularity Rank\`, __happy__ FROM foreign_tables.java.bunnies;`);
    expect(ours.rows.length).toBe(15);
    expect(ours.rows.filter((r) => r[0] === 21)).toEqual([]); // the old New Zealand row is gone
    expect(ours.rows.filter((r) => r[0] === 0)).toEqual([[0, true]]);
  }, 120_000);

  it('Iceberg Java: earlier snapshots apply only the deletes they hold', async () => {
    const snaps = await query(`${catalog()} SELECT snapshot_id, operation FROM foreign_tables.java.bunnies$snapshots;`);
    expect(snaps.rows.map((r) => r[1])).toEqual(['append', 'delete', 'overwrite']);
    const first = await query(`${catalog()} SELECT * FROM foreign_tables.java.bunnies /*+ OPTIONS('snapshot-id'='4951213507629824583') */;`);
    expect(first.rows.length).toBe(21);
    const second = await query(`${catalog()} SELECT * FROM foreign_tables.java.bunnies /*+ OPTIONS('snapshot-id'='6458828015811002920') */;`);
    await sameAsPyiceberg(second, META.javaBunnies, '6458828015811002920');
    sameAsIcebird(second, await icebirdRows('java/bunnies', 'v4.metadata.json'));
  }, 120_000);

  it('Spark: a position delete file', async () => {
    const ours = await query(`${catalog()} SELECT * FROM foreign_tables.spark.bunnies;`);
    expect(ours.rows.length).toBe(20);
    await sameAsPyiceberg(ours, META.sparkBunnies);
  }, 120_000);

  it('Spark: bucket and identity partitions, a renamed column', async () => {
    const ours = await query(`${catalog()} SELECT * FROM foreign_tables.spark.rename_column;`);
    expect(ours.rows.length).toBe(4);
    await sameAsPyiceberg(ours, META.renameColumn);
  }, 120_000);

  it('the metadata tables show the delete files', async () => {
    const files = await query(`${catalog()} SELECT content, file_path, record_count FROM foreign_tables.java.bunnies$files;`);
    expect(files.rows.map((r) => `${r[0]} ${String(r[1]).split('/').pop()} ${r[2]}`).sort()).toEqual([
      '0 bunnies-initial.parquet 21',
      '0 bunnies-updated-new-zealand.parquet 1',
      '1 bunnies-pos-deletes.parquet 6',
      '2 bunnies-eq-delete-new-zealand.parquet 1',
    ]);
    const deletes = await query(`${catalog()} SELECT content, equality_ids FROM foreign_tables.java.bunnies$delete_files;`);
    expect(deletes.rows.map((r) => `${r[0]} ${JSON.stringify(r[1])}`).sort()).toEqual(['1 null', '2 [1]']);
  }, 120_000);
});

/** pyiceberg's check of every data file's partition values and path (check_partitions.py). */
function checkPartitions(location: string): Promise<{ files: number; rows: number; problems: string[] }> {
  const python = peer<PyicebergEndpoint>('pyiceberg').python;
  return new Promise((resolve, reject) => {
    const child = spawn(python, [path.join(import.meta.dirname, 'check_partitions.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`check_partitions.py failed: ${Buffer.concat(err).toString()}`));
      resolve(JSON.parse(Buffer.concat(out).toString()));
    });
    child.stdin.end(JSON.stringify({ location, props: s3Options(moto) }));
  });
}

async function metadataLocation(db: string, table: string): Promise<string> {
  const cat = icebergCatalogFactory.create('c', { type: 'iceberg', 'catalog-type': 'hadoop', warehouse: 's3a://hyperparam-iceberg', ...s3Options(moto) }) as IcebergCatalog;
  try {
    const ops = (await cat.backend.loadTable(db, table)) as unknown as { currentVersion(): Promise<number>; metadataFile(v: number): string };
    return ops.metadataFile(await ops.currentVersion());
  } finally {
    await cat.close();
  }
}

describe('writing tables partitioned by transforms', () => {
  it("into Spark's bucket[4](id) + identity(date) table: the files land in Spark's partitions", async () => {
    await run(`${catalog()}
      INSERT INTO foreign_tables.spark.rename_column VALUES
        (1, 'Benjamin', DATE '2022-01-01', 1.25, true),
        (2, 'Peter', DATE '2022-01-01', 2.50, false),
        (3, 'Jemima', CAST(NULL AS DATE), 3.75, true),
        (4, 'Squirrel', DATE '2022-01-02', 4.00, false),
        (34, 'Tom', DATE '2022-01-03', 5.00, true);`);
    const files = await runRows(`${catalog()} SELECT file_path FROM foreign_tables.spark.rename_column$files;`);
    const ours = files.map((r) => String(r[0])).filter((p) => !p.includes('00000-20-'));
    // Spark put ids 1 and 2 in bucket 0, 3 in bucket 3 and 4 in bucket 2; bucket[4](34) = 3.
    expect(ours.map((p) => p.split('/data/')[1].split('/').slice(0, 2).join('/')).sort()).toEqual([
      'id_bucket=0/date=2022-01-01',
      'id_bucket=2/date=2022-01-02',
      'id_bucket=3/date=2022-01-03',
      'id_bucket=3/date=null',
    ]);
    const location = await metadataLocation('spark', 'rename_column');
    expect(await checkPartitions(location)).toEqual({ files: 7, rows: 9, problems: [] });
    const back = await readIcebergTable({ kind: 'metadata', location, props: s3Options(moto) }, 'spark.rename_column');
    expect(back.rows.map((r) => `${r[0]}:${r[1]}:${r[2]}:${r[3]}`).sort()).toEqual([
      '1:Benjamin:2022-01-01:1.25',
      '1:Flopsy 🐇:2022-01-01:9.99',
      '2:Mopsy–Naïve:2022-01-01:-5.00',
      '2:Peter:2022-01-01:2.50',
      '34:Tom:2022-01-03:5.00',
      '3:Cottontail:null:0.00',
      '3:Jemima:null:3.75',
      '4:Squirrel:2022-01-02:4.00',
      '4:Thumper:2022-01-02:99999999.99',
    ]);
    // Pruning by the bucket and identity fields keeps exactly the matching rows.
    const some = await runRows(`${catalog()} SELECT id, name FROM foreign_tables.spark.rename_column WHERE id = 34 OR id = 4;`);
    expect(some.map((r) => `${r[0]}:${r[1]}`).sort()).toEqual(['34:Tom', '4:Squirrel', '4:Thumper']);
    const day = await runRows(`${catalog()} SELECT id FROM foreign_tables.spark.rename_column WHERE event_date = DATE '2022-01-01';`);
    expect(day.map((r) => r[0]).sort()).toEqual([1, 1, 2, 2]);
  }, 180_000);

  it('into a table with year, month, day, hour, truncate and bucket fields', async () => {
    const cat = icebergCatalogFactory.create('c', { type: 'iceberg', 'catalog-type': 'hadoop', warehouse: 's3a://hyperparam-iceberg', ...s3Options(moto) }) as IcebergCatalog;
    await cat.open();
    try {
      await cat.createDatabase('tx', true);
      await cat.backend.createTable('tx', 'events', {
        schema: {
          type: 'struct',
          'schema-id': 0,
          fields: [
            { id: 1, name: 'id', required: false, type: 'long' },
            { id: 2, name: 'ts', required: false, type: 'timestamp' },
            { id: 3, name: 'ts_tz', required: false, type: 'timestamptz' },
            { id: 4, name: 'd', required: false, type: 'date' },
            { id: 5, name: 'name', required: false, type: 'string' },
            { id: 6, name: 'amount', required: false, type: 'decimal(10, 2)' },
          ],
        },
        spec: {
          'spec-id': 0,
          fields: [
            { 'source-id': 2, 'field-id': 1000, name: 'ts_day', transform: 'day' },
            { 'source-id': 3, 'field-id': 1001, name: 'ts_tz_hour', transform: 'hour' },
            { 'source-id': 4, 'field-id': 1002, name: 'd_month', transform: 'month' },
            { 'source-id': 4, 'field-id': 1003, name: 'd_year', transform: 'year' },
            { 'source-id': 5, 'field-id': 1004, name: 'name_trunc', transform: 'truncate[2]' },
            { 'source-id': 6, 'field-id': 1005, name: 'amount_trunc', transform: 'truncate[50]' },
            { 'source-id': 1, 'field-id': 1006, name: 'id_bucket', transform: 'bucket[8]' },
          ],
        },
        properties: {},
      });
    } finally {
      await cat.close();
    }
    await run(`${catalog()}
      INSERT INTO foreign_tables.tx.events VALUES
        (1, TIMESTAMP '2025-12-29 10:41:05.123456', TO_TIMESTAMP_LTZ(1767004865123, 3), DATE '2025-12-29', 'alpha', 10.65),
        (2, TIMESTAMP '2025-12-29 23:59:59', TO_TIMESTAMP_LTZ(0, 3), DATE '1969-12-31', 'al', -0.01),
        (3, TIMESTAMP '1969-12-31 23:00:00', TO_TIMESTAMP_LTZ(1767004865123, 3), DATE '2024-02-29', 'bé🐇x', 99.99),
        (4, CAST(NULL AS TIMESTAMP), CAST(NULL AS TIMESTAMP_LTZ(3)), CAST(NULL AS DATE), CAST(NULL AS STRING), CAST(NULL AS DECIMAL(10, 2)));`);
    const location = await metadataLocation('tx', 'events');
    expect(await checkPartitions(location)).toEqual({ files: 4, rows: 4, problems: [] });
    const back = await readIcebergTable({ kind: 'metadata', location, props: s3Options(moto) }, 'tx.events');
    expect(back.rows.map((r) => `${r[0]} ${r[1]} ${r[4]} ${r[5]}`).sort()).toEqual([
      '1 2025-12-29T10:41:05.123456 alpha 10.65',
      '2 2025-12-29T23:59:59.000000 al -0.01',
      '3 1969-12-31T23:00:00.000000 bé🐇x 99.99',
      '4 null null null',
    ]);
    const paths = (await runRows(`${catalog()} SELECT file_path FROM foreign_tables.tx.events$files;`)).map((r) => String(r[0]).split('/data/')[1]);
    expect(paths.find((p) => p.includes('name_trunc=al/') && p.includes('ts_day=2025-12-29/'))).toBeDefined();
    expect(paths.some((p) => p.startsWith('ts_day=1969-12-31/ts_tz_hour=2025-12-29-10/d_month=2024-02/d_year=2024/'))).toBe(true);
    // Pruned reads return the same rows as filtering everything.
    const byTs = await runRows(`${catalog()} SELECT id FROM foreign_tables.tx.events WHERE ts >= TIMESTAMP '2025-12-29 12:00:00';`);
    expect(byTs.map((r) => r[0])).toEqual([2]);
    const byName = await runRows(`${catalog()} SELECT id FROM foreign_tables.tx.events WHERE name = 'al';`);
    expect(byName.map((r) => r[0])).toEqual([2]);
    const byDate = await runRows(`${catalog()} SELECT id FROM foreign_tables.tx.events WHERE d < DATE '2000-01-01';`);
    expect(byDate.map((r) => r[0])).toEqual([2]);
  }, 180_000);
});

describe('committing to tables written elsewhere', () => {
  it('an INSERT into the Athena table writes the next NNNNN-uuid.metadata.json, which pyiceberg reads', async () => {
    await runRows(`${catalog()} INSERT INTO foreign_tables.athena.example VALUES (3, 'Carol'), (4, CAST(NULL AS STRING));`);
    const io = new S3FileIO(s3Options(moto));
    try {
      const names = (await io.list('s3://hyperparam-iceberg/athena/example/metadata')).map((e) => e.name).filter((n) => n.endsWith('.metadata.json'));
      expect(names.length).toBe(3);
      const next = names.find((n) => n.startsWith('00002-'));
      expect(next).toMatch(/^00002-[0-9a-f-]{36}\.metadata\.json$/);
      expect(names).not.toContain('version-hint.text');
      const back = await readIcebergTable({ kind: 'metadata', location: `s3://hyperparam-iceberg/athena/example/metadata/${next}`, props: s3Options(moto) }, 'athena.example');
      expect(back.rows.map((r) => `${r[0]}:${r[1]}`).sort()).toEqual(['1:Alice', '2:Bob', '3:Carol', '4:null']);
      expect(back.currentSnapshot?.summary['total-records']).toBe('4');
    } finally {
      await io.close();
    }
    const ours = await runRows(`${catalog()} SELECT id FROM foreign_tables.athena.example;`);
    expect(ours.map((r) => r[0]).sort()).toEqual([1, 2, 3, 4]);
  }, 180_000);

  it('CREATE TABLE … WITH (metadata-location) registers a table in a hadoop catalog', async () => {
    const rows = await runRows(`${catalog()}
      CREATE DATABASE IF NOT EXISTS foreign_tables.registered;
      CREATE TABLE foreign_tables.registered.bunnies (\`Breed Name\` STRING) WITH ('metadata-location' = 's3a://hyperparam-iceberg/java/bunnies/metadata/v5.metadata.json');
      SELECT \`Breed Name\`, \`Popularity Rank\` FROM foreign_tables.registered.bunnies;`);
    expect(rows.length).toBe(15);
    expect(rows.filter((r) => r[0] === 'New Zealand')).toEqual([['New Zealand', 0]]);
    await expect(
      runRows(`${catalog()} CREATE TABLE foreign_tables.registered.other (nope INT) WITH ('metadata-location' = 's3a://hyperparam-iceberg/java/bunnies/metadata/v5.metadata.json');`),
    ).rejects.toThrow(/Column 'nope' is not in the Iceberg table/);
  }, 180_000);
});

describe('streaming reads of tables with deletes', () => {
  const physical = [
    { name: 'Breed Name', type: T.string() },
    { name: 'Popularity Rank', type: T.bigint() },
  ];
  const desc = (options: Record<string, string>): TableDescriptor => ({
    path: { catalog: 'default_catalog', database: 'default_database', table: 'bunnies' },
    physical,
    metadata: [],
    options: { connector: 'iceberg', 'metadata-location': 's3a://hyperparam-iceberg/java/bunnies', ...s3Options(moto), ...options },
    partitionKeys: [],
  });

  async function drain(src: DynamicSource): Promise<unknown[][]> {
    const rows: unknown[][] = [];
    for (let i = 0; i < 50; i++) {
      const b = await src.poll(20);
      if (b === null) break;
      for (const x of b) rows.push(...x.rows);
      if (b.length === 0 && i > 5) break;
    }
    return rows;
  }

  it("the first snapshot read applies the deletes; later delete/overwrite snapshots are passed over (Flink's rule) or fail when the skip options are 'false'", async () => {
    // The whole current snapshot first (Flink's default strategy reads only what it appended).
    const streaming = { streaming: 'true', 'monitor-interval': '10ms', 'starting-strategy': 'TABLE_SCAN_THEN_INCREMENTAL' };
    const src = icebergConnectorFactory.createSource!(desc(streaming), { batch: false }, { config: new Map() });
    expect(src.bounded).toBe(false);
    await src.open(runtimeContext());
    const first = await drain(src);
    expect(first.length).toBe(15);
    expect(first.filter((r) => r[0] === 'New Zealand')).toEqual([['New Zealand', 0]]);
    await src.close();

    // Resumed right after the first (append) snapshot: the next ones delete and overwrite.
    const after = { snapshotId: '4951213507629824583', remaining: [], group: 0 };
    const strict = icebergConnectorFactory.createSource!(
      desc({ ...streaming, 'streaming-skip-delete-snapshots': 'false', 'streaming-skip-overwrite-snapshots': 'false' }),
      { batch: false },
      { config: new Map() },
    );
    await strict.open(runtimeContext(), after);
    await expect(drain(strict)).rejects.toThrow(/is a 'delete'.*streaming-skip-delete-snapshots is 'false'/);
    const lenient = icebergConnectorFactory.createSource!(desc(streaming), { batch: false }, { config: new Map() });
    await lenient.open(runtimeContext(), after);
    expect(await drain(lenient)).toEqual([]);
    expect(JSON.parse(JSON.stringify(lenient.snapshotState(1)))).toMatchObject({ snapshotId: '9158179788527662767', remaining: [] });
  }, 120_000);

  it('$entries lists every manifest entry with its sequence numbers', async () => {
    const rows = await runRows(`${catalog()} SELECT status, sequence_number, file_sequence_number, data_file FROM foreign_tables.java.bunnies$entries;`);
    const shown = rows.map((r) => {
      const df = r[3] as unknown[];
      return `${r[0]} ${r[1]} ${r[2]} ${df[0]} ${String(df[1]).split('/').pop()}`;
    });
    // Java's fast appends keep earlier manifests as they are: every entry is still ADDED (1),
    // as pyiceberg's fetch_manifest_entry(discard_deleted=False) lists them too.
    expect(shown.sort()).toEqual([
      '1 1 1 0 bunnies-initial.parquet',
      '1 2 2 1 bunnies-pos-deletes.parquet',
      '1 3 3 0 bunnies-updated-new-zealand.parquet',
      '1 3 3 2 bunnies-eq-delete-new-zealand.parquet',
    ]);
  }, 120_000);
});

describe('errors name the real cause', () => {
  it('a missing bucket', async () => {
    await expect(runRows(`CREATE CATALOG nb WITH ('type' = 'iceberg', 'warehouse' = 's3://no-such-bucket/wh', ${optionsSql()}); USE CATALOG nb;`)).rejects.toThrow(
      /S3 bucket 'no-such-bucket' does not exist at http:\/\/127\.0\.0\.1:\d+: cannot create folder s3:\/\/no-such-bucket\/wh/,
    );
    await expect(
      runRows(`CREATE TABLE t (id INT) WITH ('connector' = 'iceberg', 'metadata-location' = 's3://no-such-bucket/t/metadata/00001-x.metadata.json', ${optionsSql()}); SELECT * FROM t;`),
    ).rejects.toThrow(/S3 bucket 'no-such-bucket' does not exist/);
  }, 120_000);

  it('not a table', async () => {
    await expect(runRows(`CREATE TABLE t (id INT) WITH ('connector' = 'iceberg', 'metadata-location' = 's3://hyperparam-iceberg/java', ${optionsSql()}); SELECT * FROM t;`)).rejects.toThrow(
      /s3:\/\/hyperparam-iceberg\/java is not an Iceberg table: no metadata\/\*\.metadata\.json under it/,
    );
    await expect(runRows(`CREATE TABLE t (id INT) WITH ('connector' = 'iceberg', 'metadata-location' = 's3://hyperparam-iceberg/nothing/here', ${optionsSql()}); SELECT * FROM t;`)).rejects.toThrow(
      /is not an Iceberg table: nothing is stored there/,
    );
    await expect(
      runRows(`CREATE TABLE t (id INT) WITH ('connector' = 'iceberg', 'metadata-location' = 's3://hyperparam-iceberg/java/bunnies/metadata/v9.metadata.json', ${optionsSql()}); SELECT * FROM t;`),
    ).rejects.toThrow(/Iceberg metadata file s3:\/\/hyperparam-iceberg\/java\/bunnies\/metadata\/v9\.metadata\.json does not exist/);
    await expect(runRows(`CREATE TABLE t (id INT) WITH ('connector' = 'iceberg', ${optionsSql()}); SELECT * FROM t;`)).rejects.toThrow(/'catalog-name'.*'metadata-location'/);
  }, 120_000);

  // Access denied: access-denied.test.ts (a moto that enforces IAM).
});
