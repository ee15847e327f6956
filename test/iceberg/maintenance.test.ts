import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { icebergRead } from 'icebird';
import { expireSnapshots, icebergCatalogFactory, removeOrphanFiles, rewriteDataFiles, type IcebergCatalog } from '../../src/connectors/iceberg/index.js';
import type { TableDescriptor } from '../../src/common/connector.js';
import { T, type Row } from '../../src/common/types.js';
import { runtimeContext, tempDir, withLocalFetch } from './helpers.js';
import { hasPeer } from '../peers/index.js';
import { readIcebergTable } from '../peers/pyiceberg.js';

let dir: string;
let catalog: IcebergCatalog;
const physical = [
  { name: 'id', type: T.bigint() },
  { name: 'region', type: T.string() },
];
const desc: TableDescriptor = { path: { catalog: 'c', database: 'db', table: 't' }, physical, metadata: [], options: {}, partitionKeys: [] };

async function readAll(): Promise<Row[]> {
  const src = catalog.tableFactory().createSource!(desc, { batch: true }, { config: new Map() });
  await src.open(runtimeContext());
  const out: Row[] = [];
  for (;;) {
    const b = await src.poll(10);
    if (!b) break;
    for (const x of b) out.push(...x.rows);
  }
  return out.sort((a, b) => (a[0] as number) - (b[0] as number));
}

async function dataFilesOnDisk(): Promise<string[]> {
  return (await fs.readdir(path.join(dir, 'db/t/data'), { recursive: true })).map(String).filter((f) => f.endsWith('.parquet'));
}

beforeAll(async () => {
  dir = await tempDir();
  catalog = icebergCatalogFactory.create('c', { type: 'iceberg', warehouse: dir }) as IcebergCatalog;
  await catalog.open();
  await catalog.createDatabase('db', false);
  await catalog.createTable('db', 't', { kind: 'table', columns: physical.map((p) => ({ kind: 'physical' as const, ...p })), partitionKeys: ['region'], options: {} }, false);
  const sink = catalog.tableFactory().createSink!(desc, { config: new Map() });
  await sink.open(runtimeContext('small-files'));
  for (let cp = 1; cp <= 5; cp++) {
    await sink.write(Array.from({ length: 10 }, (_, i) => [cp * 100 + i, i % 2 ? 'us' : 'eu']));
    await sink.commit(cp, [await sink.prepareCommit(cp)]);
  }
});

afterAll(async () => {
  await catalog.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Iceberg maintenance', () => {
  it('compacts small files per partition into a replace snapshot', async () => {
    const before = await readAll();
    expect(before).toHaveLength(50);
    expect(await dataFilesOnDisk()).toHaveLength(10);
    const ops = (await catalog.backend.loadTable('db', 't'))!;
    const res = await rewriteDataFiles(ops);
    expect(res).toMatchObject({ rewrittenFiles: 10, addedFiles: 2 });
    const m = await ops.load();
    const cur = m.snapshots.find((s) => s['snapshot-id'] === m['current-snapshot-id'])!;
    expect(cur.summary).toMatchObject({ operation: 'replace', 'added-data-files': '2', 'deleted-data-files': '10', 'total-records': '50', 'total-data-files': '2' });
    expect(await readAll()).toEqual(before);
    const read = await withLocalFetch(() => icebergRead({ tableUrl: path.join(dir, 'db/t') }));
    expect(read).toHaveLength(50);
    expect((await rewriteDataFiles(ops)).rewrittenFiles).toBe(0); // nothing small left to pack
    if (hasPeer('pyiceberg')) {
      // Iceberg's Python implementation sees the replace snapshot and the same 50 rows, and can
      // still read the snapshot before it (its manifests now list deleted entries).
      const py = await readIcebergTable({ kind: 'hadoop', warehouse: dir }, 'db.t');
      expect(py.currentSnapshot?.summary).toEqual(cur.summary);
      expect(py.currentSnapshot?.parentSnapshotId).toBe(String(cur['parent-snapshot-id']));
      expect(py.filesScanned).toBe(2);
      const asRows = (rows: Row[]) => rows.map((r) => [String(r[0]), r[1]]);
      expect(py.rows.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(asRows(before));
      const previous = await readIcebergTable({ kind: 'hadoop', warehouse: dir }, 'db.t', { snapshotId: cur['parent-snapshot-id'] });
      expect(previous.filesScanned).toBe(10);
      expect(previous.rows.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(asRows(before));
      const eu = await readIcebergTable({ kind: 'hadoop', warehouse: dir }, 'db.t', { rowFilter: "region == 'eu'" });
      expect(eu.filesScanned).toBe(1);
      expect(eu.rows).toHaveLength(25);
    }
  }, 120_000);

  it('expires old snapshots and deletes the files only they referenced', async () => {
    const ops = (await catalog.backend.loadTable('db', 't'))!;
    const res = await expireSnapshots(ops, { olderThanMs: Date.now() + 1000, retainLast: 1 });
    expect(res.expiredSnapshots).toBe(5);
    const m = await ops.load();
    expect(m.snapshots).toHaveLength(1);
    expect(m['snapshot-log']).toHaveLength(1);
    expect(await dataFilesOnDisk()).toHaveLength(2);
    expect(await readAll()).toHaveLength(50);
    const read = await withLocalFetch(() => icebergRead({ tableUrl: path.join(dir, 'db/t') }));
    expect(read).toHaveLength(50);
    const meta = await fs.readdir(path.join(dir, 'db/t/metadata'));
    expect(meta.filter((f) => f.startsWith('snap-'))).toHaveLength(1);
    if (hasPeer('pyiceberg')) {
      const py = await readIcebergTable({ kind: 'hadoop', warehouse: dir }, 'db.t');
      expect(py.snapshots.map((s) => s.snapshotId)).toEqual([String(m['current-snapshot-id'])]);
      expect(py.rows).toHaveLength(50);
    }
  }, 120_000);

  it('removes orphan files older than a threshold, and only those', async () => {
    const ops = (await catalog.backend.loadTable('db', 't'))!;
    // A crashed writer's data file and a lost commit attempt's manifest.
    const orphanData = path.join(dir, 'db/t/data/region=eu/00001-crashed.parquet');
    const orphanManifest = path.join(dir, 'db/t/metadata/lost-m0.avro');
    await fs.writeFile(orphanData, 'x');
    await fs.writeFile(orphanManifest, 'y');
    const old = new Date(Date.now() - 10 * 86_400_000);
    await fs.utimes(orphanData, old, old);
    await fs.utimes(orphanManifest, old, old);
    const fresh = path.join(dir, 'db/t/data/in-flight.parquet');
    await fs.writeFile(fresh, 'z');
    const dry = await removeOrphanFiles(ops, { dryRun: true });
    expect(dry.map((p) => path.basename(p)).sort()).toEqual(['00001-crashed.parquet', 'lost-m0.avro']);
    await removeOrphanFiles(ops);
    await expect(fs.stat(orphanData)).rejects.toThrow();
    await expect(fs.stat(orphanManifest)).rejects.toThrow();
    expect((await fs.stat(fresh)).size).toBe(1);
    expect(await readAll()).toHaveLength(50);
    const read = await withLocalFetch(() => icebergRead({ tableUrl: path.join(dir, 'db/t') }));
    expect(read).toHaveLength(50);
  });
});
