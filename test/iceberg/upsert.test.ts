// Upserts into Iceberg tables with a primary key (identifier fields), as Flink's Iceberg sink
// writes them: a checkpoint's changes become equality delete files (on the key's field ids) and
// data files, committed as one row delta. Read back by tsstream (merge-on-read) and, when the
// flink peer is there, by Flink's own Iceberg connector; pyiceberg reads the delete-free table and (0.12.0) refuses equality deletes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { icebergCatalogFactory, rewriteDataFiles, type IcebergCatalog } from '../../src/connectors/iceberg/index.js';
import type { CatalogTable } from '../../src/common/catalog.js';
import type { TableDescriptor } from '../../src/common/connector.js';
import { setRowKind, T, type Field, type Row, type RowKind } from '../../src/common/types.js';
import { Session, collectQuery } from '../../src/cli/session.js';
import { cellText } from '../../src/cli/tableau.js';
import { runtimeContext, tempDir } from './helpers.js';
import { hasPeer, peer } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { runOnFlink } from '../peers/flink-client.js';
import { readIcebergTable } from '../peers/pyiceberg.js';
import { DuckDBInstance } from '@duckdb/node-api';

const fields: Field[] = [
  { name: 'k', type: T.string(false) },
  { name: 'region', type: T.string() },
  { name: 'n', type: T.bigint() },
];

let dir: string;
let catalog: IcebergCatalog;

const warehouse = () => path.join(dir, 'wh');
const catalogSql = () => `CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${warehouse()}')`;

function descriptor(table: string, options: Record<string, string> = {}, primaryKey?: string[]): TableDescriptor {
  return { path: { catalog: 'ice', database: 'db', table }, physical: fields, metadata: [], options, partitionKeys: [], ...(primaryKey ? { primaryKey } : {}) };
}

async function createTable(name: string, opts: { pk?: string[]; partitionKeys?: string[]; options?: Record<string, string> } = {}): Promise<void> {
  const entry: CatalogTable = {
    kind: 'table',
    columns: fields.map((f) => ({ kind: 'physical', name: f.name, type: f.type })),
    partitionKeys: opts.partitionKeys ?? [],
    options: opts.options ?? {},
    ...(opts.pk ? { primaryKey: opts.pk } : {}),
  };
  await catalog.createTable('db', name, entry, false);
}

const r = (kind: RowKind, k: string, region: string | null, n: number): Row => setRowKind([k, region, n], kind);

async function tsstreamRows(sql: string): Promise<string[]> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(`${catalogSql()}; SET 'execution.runtime-mode' = 'batch'; ${sql}`);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
    return cellText(await collectQuery(q), q.columns).map((x) => x.join(',')).sort();
  } finally {
    await session.close();
  }
}

async function flinkRows(table: string): Promise<string[]> {
  const flink = peer<FlinkEndpoint>('flink');
  const res = await runOnFlink(
    [`CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'file://${warehouse()}')`, `SELECT * FROM ice.db.${table}`],
    { flink, properties: { 'execution.runtime-mode': 'batch' } },
  );
  return res[1].rows.map((x) => x.text.join(',')).sort();
}

async function metadata(table: string): Promise<{ snapshots: { summary: Record<string, string> }[] }> {
  const hint = (await fs.readFile(path.join(warehouse(), `db/${table}/metadata/version-hint.text`), 'utf8')).trim();
  return JSON.parse(await fs.readFile(path.join(warehouse(), `db/${table}/metadata/v${hint}.metadata.json`), 'utf8'));
}

beforeAll(async () => {
  dir = await tempDir('tsstream-iceberg-upsert-');
  catalog = icebergCatalogFactory.create('ice', { type: 'iceberg', 'catalog-type': 'hadoop', warehouse: warehouse() }) as IcebergCatalog;
  await catalog.open();
  await catalog.createDatabase('db', true);
});

afterAll(async () => {
  await catalog.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Iceberg sink: a changelog into a table with a primary key', () => {
  it('-U/-D become equality deletes; rows replaced within a checkpoint are never written', async () => {
    await createTable('changes', { pk: ['k'] });
    const back = (await catalog.getTable('db', 'changes')) as CatalogTable;
    expect(back.primaryKey).toEqual(['k']);
    const factory = catalog.tableFactory!()!;
    const sink = factory.createSink!(descriptor('changes', {}, ['k']), { config: new Map() });
    await sink.open(runtimeContext('job-U'));
    await sink.write([r('+I', 'a', 'eu', 1), r('+I', 'b', 'us', 1), r('+I', 'd', 'us', 7)]);
    const c1 = await sink.prepareCommit(1);
    await sink.commit(1, [c1]);
    // a and b change (deletes of committed rows); c is inserted then updated in one checkpoint.
    await sink.write([r('-U', 'a', 'eu', 1), r('+U', 'a', 'eu', 2), r('-D', 'b', 'us', 1), r('+I', 'c', null, 1), r('-U', 'c', null, 1), r('+U', 'c', 'eu', 5)]);
    const c2 = await sink.prepareCommit(2);
    expect(JSON.parse(JSON.stringify(c2))).toEqual(c2);
    await sink.commit(2, [c2]);
    await sink.commit(2, [c2]); // replayed after a restart: nothing new
    await sink.write([r('-U', 'a', 'eu', 2), r('+U', 'a', 'eu', 3), r('-D', 'c', 'eu', 5)]);
    await sink.commit(3, [await sink.prepareCommit(3)]);
    await sink.close();

    const meta = await metadata('changes');
    expect(meta.snapshots.map((s) => s.summary.operation)).toEqual(['append', 'overwrite', 'overwrite']);
    expect(meta.snapshots[1].summary).toMatchObject({ 'added-records': '2', 'added-equality-delete-files': '1', 'added-equality-deletes': '2', 'total-equality-deletes': '2' });
    const eq = (c2 as { files: { content: number; equalityIds?: number[]; recordCount: number; filePath: string }[] }).files.filter((f) => f.content === 2);
    expect(eq).toMatchObject([{ equalityIds: [1], recordCount: 2 }]);
    // The delete file holds the key by field id and records its schema in the footer, as Iceberg's writers do.
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const cols = await conn.runAndReadAll(`SELECT name, field_id FROM parquet_schema('${eq[0].filePath}') WHERE field_id IS NOT NULL`);
    expect(cols.getRowObjectsJS().map((x) => `${x.name}:${x.field_id}`)).toEqual(['k:1']);
    const kv = await conn.runAndReadAll(`SELECT key, value FROM parquet_kv_metadata('${eq[0].filePath}')`);
    const footer = Object.fromEntries(kv.getRowObjectsJS().map((x) => [Buffer.from(x.key as Uint8Array).toString(), Buffer.from(x.value as Uint8Array).toString()]));
    expect(JSON.parse(footer['iceberg.schema']).fields).toEqual([{ id: 1, name: 'k', required: true, type: 'string' }]);
    const keys = await conn.runAndReadAll(`SELECT k FROM read_parquet('${eq[0].filePath}') ORDER BY k`);
    expect(keys.getRowObjectsJS().map((x) => x.k)).toEqual(['a', 'b']);
    conn.closeSync();

    const want = ['a,eu,3', 'd,us,7'];
    expect(await tsstreamRows('SELECT * FROM ice.db.changes')).toEqual(want);
    if (hasPeer('flink')) expect(await flinkRows('changes')).toEqual(want);
    if (hasPeer('pyiceberg')) {
      // pyiceberg cannot be the second reader of equality deletes yet: 0.12.0, the newest release on
      // PyPI (pre-releases included, December 2026), refuses them (apache/iceberg-python#3270 is
      // open). When a release reads them, this fails: compare its rows with `want` then.
      await expect(readIcebergTable({ kind: 'hadoop', warehouse: warehouse() }, 'db.changes')).rejects.toThrow(/PyIceberg does not yet support equality deletes/);
    }
  }, 240_000);

  it("upsert mode: +I/+U replace the key's row, -U is ignored, -D deletes", async () => {
    await createTable('upserts', { pk: ['k'], partitionKeys: ['k'], options: { 'write.upsert.enabled': 'true' } });
    const factory = catalog.tableFactory!()!;
    const sink = factory.createSink!(descriptor('upserts', { 'write.upsert.enabled': 'true' }, ['k']), { config: new Map() });
    await sink.open(runtimeContext('job-V'));
    await sink.write([r('+I', 'a', 'eu', 1), r('+I', 'b', 'us', 1), r('+I', 'a', 'eu', 2)]);
    await sink.commit(1, [await sink.prepareCommit(1)]);
    await sink.write([r('+I', 'a', 'us', 10), r('-U', 'b', 'us', 1), r('+I', 'c', null, 3)]);
    await sink.commit(2, [await sink.prepareCommit(2)]);
    await sink.write([r('-D', 'c', null, 3), r('+U', 'b', 'asia', 4)]);
    await sink.commit(3, [await sink.prepareCommit(3)]);
    await sink.close();
    const want = ['a,us,10', 'b,asia,4'];
    expect(await tsstreamRows('SELECT * FROM ice.db.upserts')).toEqual(want);
    if (hasPeer('flink')) expect(await flinkRows('upserts')).toEqual(want);
  }, 240_000);

  it('manifest merging and compaction keep the deletes applying (sequence numbers kept); compaction applies them', async () => {
    await createTable('merged', { pk: ['k'], options: { 'commit.manifest.min-count-to-merge': '3' } });
    const factory = catalog.tableFactory!()!;
    const sink = factory.createSink!(descriptor('merged', {}, ['k']), { config: new Map() });
    await sink.open(runtimeContext('job-M'));
    const want = new Map<string, number>();
    for (let cp = 1; cp <= 8; cp++) {
      const rows: Row[] = [];
      for (const k of ['a', 'b', 'c', 'd']) {
        if ((cp + k.charCodeAt(0)) % 3 === 0) continue; // not every key changes in every checkpoint
        const prev = want.get(k);
        if (prev !== undefined) rows.push(r('-U', k, 'eu', prev));
        rows.push(r(prev === undefined ? '+I' : '+U', k, 'eu', cp * 10));
        want.set(k, cp * 10);
      }
      if (cp === 5) {
        rows.push(r('-D', 'a', 'eu', want.get('a')!));
        want.delete('a');
      }
      await sink.write(rows);
      await sink.commit(cp, [await sink.prepareCommit(cp)]);
    }
    await sink.close();
    const expected = [...want.entries()].map(([k, n]) => `${k},eu,${n}`).sort();
    expect(await tsstreamRows('SELECT * FROM ice.db.merged')).toEqual(expected);

    const ops = (await catalog.backend.loadTable('db', 'merged'))!;
    const res = await rewriteDataFiles(ops, { smallFileBytes: 1 << 30, minInputFiles: 2 });
    expect(res.rewrittenFiles).toBeGreaterThan(2);
    expect(res.addedFiles).toBe(1);
    const meta = await metadata('merged');
    expect(meta.snapshots.at(-1)?.summary).toMatchObject({ operation: 'replace', 'added-records': String(want.size) });
    expect(await tsstreamRows('SELECT * FROM ice.db.merged')).toEqual(expected);
    if (hasPeer('flink')) expect(await flinkRows('merged')).toEqual(expected);
  }, 240_000);

  it("upsert mode refuses what Flink's sink refuses", async () => {
    await createTable('nokey', { options: {} });
    await createTable('partkey', { pk: ['k'], partitionKeys: ['region'] });
    const factory = catalog.tableFactory!()!;
    const nokey = factory.createSink!(descriptor('nokey', { 'write.upsert.enabled': 'true' }), { config: new Map() });
    await expect(nokey.open(runtimeContext('job-W'))).rejects.toThrow(/Equality field columns shouldn't be empty when configuring to use UPSERT data stream/);
    const partkey = factory.createSink!(descriptor('partkey', { 'upsert-enabled': 'true' }, ['k']), { config: new Map() });
    await expect(partkey.open(runtimeContext('job-W'))).rejects.toThrow(/In UPSERT mode, partition field 'region' should be included in equality fields: '\[k\]'/);
  });
});

describe('Iceberg sink: updating queries through SQL', () => {
  const input = () => path.join(dir, 'events.jsonl');
  beforeAll(async () => {
    const lines = ['a', 'b', 'a', 'c', 'a', 'b'].map((k, i) => JSON.stringify({ k, v: i + 1 }));
    await fs.writeFile(input(), lines.join('\n') + '\n');
  });
  const source = () => `CREATE TEMPORARY TABLE src (k STRING, v BIGINT) WITH ('connector' = 'filesystem', 'path' = '${input()}', 'format' = 'json')`;

  it('a GROUP BY changelog into a PRIMARY KEY table ends as the final aggregate', async () => {
    const session = new Session({ log: () => {} });
    try {
      const results = await session.executeAll(`
        ${catalogSql()};
        CREATE DATABASE IF NOT EXISTS ice.db;
        CREATE TABLE ice.db.totals (k STRING NOT NULL, total BIGINT, cnt BIGINT, PRIMARY KEY (k) NOT ENFORCED);
        ${source()};
        SET 'execution.runtime-mode' = 'streaming';
        INSERT INTO ice.db.totals SELECT k, SUM(v), COUNT(*) FROM src GROUP BY k;`);
      for (const x of results) if (x.kind === 'job') await x.job.run();
    } finally {
      await session.close();
    }
    const want = ['a,9,3', 'b,8,2', 'c,4,1'];
    expect(await tsstreamRows('SELECT * FROM ice.db.totals')).toEqual(want);
    if (hasPeer('flink')) expect(await flinkRows('totals')).toEqual(want);
    // One checkpoint, so no delete file: pyiceberg reads the same rows.
    if (hasPeer('pyiceberg')) expect((await readIcebergTable({ kind: 'hadoop', warehouse: warehouse() }, 'db.totals')).rows.map((x) => x.join(',')).sort()).toEqual(want);
  }, 240_000);

  it('a changelog into a table without a key is refused at planning, as in Flink', async () => {
    const session = new Session({ log: () => {} });
    try {
      await expect(
        session.executeAll(`
          ${catalogSql()};
          CREATE TABLE ice.db.appendonly (k STRING, total BIGINT);
          ${source()};
          SET 'execution.runtime-mode' = 'streaming';
          INSERT INTO ice.db.appendonly SELECT k, SUM(v) FROM src GROUP BY k;`),
      ).rejects.toThrow(/doesn't support consuming update changes/);
    } finally {
      await session.close();
    }
  });
});
