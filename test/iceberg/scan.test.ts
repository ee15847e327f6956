import { canonical } from '../../src/common/exact.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { icebergCatalogFactory, type IcebergCatalog, IcebergSource } from '../../src/connectors/iceberg/index.js';
import type { CatalogTable } from '../../src/common/catalog.js';
import type { DynamicSource, PushdownPredicate, ScanRequest, TableDescriptor } from '../../src/common/connector.js';
import { T, type Field, type Row } from '../../src/common/types.js';
import { runtimeContext, tempDir } from './helpers.js';

let dir: string;
let catalog: IcebergCatalog;
const physical: Field[] = [
  { name: 'id', type: T.int() },
  { name: 'region', type: T.string() },
  { name: 'amount', type: T.double() },
];
const desc = (table: string, fields: Field[] = physical, options: Record<string, string> = {}): TableDescriptor => ({
  path: { catalog: 'c', database: 'db', table },
  physical: fields,
  metadata: [],
  options,
  partitionKeys: [],
});

async function drain(src: DynamicSource): Promise<Row[]> {
  await src.open(runtimeContext());
  const out: Row[] = [];
  for (;;) {
    const b = await src.poll(100);
    if (b === null) break;
    for (const x of b) out.push(...x.rows);
  }
  await src.close();
  return out;
}

function scan(filters: PushdownPredicate[] = [], projection?: number[]): ScanRequest {
  return { batch: true, filters, projection };
}

// Snapshot ids are 63-bit longs: BIGINT values (a bigint beyond 2^53).
const snapshotIds: (number | bigint)[] = [];

beforeAll(async () => {
  dir = await tempDir();
  catalog = icebergCatalogFactory.create('c', { type: 'iceberg', warehouse: `file://${dir}` }) as IcebergCatalog;
  await catalog.open();
  await catalog.createDatabase('db', false);
  await catalog.createTable('db', 'sales', { kind: 'table', columns: physical.map((p) => ({ kind: 'physical' as const, ...p })), partitionKeys: ['region'], options: {} }, false);
  const sink = catalog.tableFactory().createSink!(desc('sales'), { config: new Map() });
  await sink.open(runtimeContext('loader'));
  // Three checkpoints: ids 0–99, 100–199, 200–299, in two regions each.
  for (let cp = 1; cp <= 3; cp++) {
    const rows: Row[] = [];
    for (let i = (cp - 1) * 100; i < cp * 100; i++) rows.push([i, i % 2 === 0 ? 'eu' : 'us', i * 1.5]);
    await sink.write(rows);
    await sink.commit(cp, [await sink.prepareCommit(cp)]);
    const m = await (await catalog.backend.loadTable('db', 'sales'))!.load();
    snapshotIds.push(canonical(BigInt(m['current-snapshot-id'] as bigint)));
    await new Promise((r) => setTimeout(r, 5));
  }
});

afterAll(async () => {
  await catalog.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Iceberg batch source', () => {
  it('reads every row of the current snapshot, projected', async () => {
    const rows = await drain(catalog.tableFactory().createSource!(desc('sales'), scan([], [2, 0]), { config: new Map() }));
    expect(rows).toHaveLength(300);
    expect(rows.find((r) => r[1] === 7)).toEqual([10.5, 7]);
  });

  it('prunes files by column bounds: a predicate on a bound reads fewer files', async () => {
    const all = catalog.tableFactory().createSource!(desc('sales'), scan(), { config: new Map() }) as IcebergSource;
    await drain(all);
    expect(all.filesRead).toBe(6);
    const some = catalog.tableFactory().createSource!(desc('sales'), scan([{ op: '>=', column: 'id', value: 250 }]), { config: new Map() }) as IcebergSource;
    const rows = await drain(some);
    expect(some.filesRead).toBe(2);
    expect(some.plan!.totalFiles).toBe(6);
    expect(rows.filter((r) => (r[0] as number) >= 250)).toHaveLength(50);
    const none = catalog.tableFactory().createSource!(desc('sales'), scan([{ op: '<', column: 'id', value: 0 }]), { config: new Map() }) as IcebergSource;
    expect(await drain(none)).toHaveLength(0);
    expect(none.filesRead).toBe(0);
    const eq = catalog.tableFactory().createSource!(desc('sales'), scan([{ op: '=', column: 'id', value: 150 }]), { config: new Map() }) as IcebergSource;
    await drain(eq);
    expect(eq.filesRead).toBe(2);
  });

  it('prunes by identity partition values and manifest summaries', async () => {
    const eu = catalog.tableFactory().createSource!(desc('sales'), scan([{ op: '=', column: 'region', value: 'eu' }]), { config: new Map() }) as IcebergSource;
    const rows = await drain(eu);
    expect(eu.filesRead).toBe(3);
    expect(rows.every((r) => r[1] === 'eu')).toBe(true);
    expect(rows).toHaveLength(150);
    const nowhere = catalog.tableFactory().createSource!(desc('sales'), scan([{ op: 'IN', column: 'region', values: ['apac'] }]), { config: new Map() }) as IcebergSource;
    expect(await drain(nowhere)).toHaveLength(0);
    expect(nowhere.plan!.manifestsSkipped).toBe(3);
    const isNull = catalog.tableFactory().createSource!(desc('sales'), scan([{ op: 'IS NULL', column: 'region' }]), { config: new Map() }) as IcebergSource;
    expect(await drain(isNull)).toHaveLength(0);
  });

  it('travels in time with snapshot-id and as-of-timestamp', async () => {
    const first = await drain(catalog.tableFactory().createSource!(desc('sales', physical, { 'snapshot-id': String(snapshotIds[0]) }), scan(), { config: new Map() }));
    expect(first).toHaveLength(100);
    const m = await (await catalog.backend.loadTable('db', 'sales'))!.load();
    const second = m.snapshots.find((s) => BigInt(s['snapshot-id']) === BigInt(snapshotIds[1]))!;
    const asOf = await drain(catalog.tableFactory().createSource!(desc('sales', physical, { 'as-of-timestamp': String(second['timestamp-ms']) }), scan(), { config: new Map() }));
    expect(asOf).toHaveLength(200);
    await expect(drain(catalog.tableFactory().createSource!(desc('sales', physical, { 'snapshot-id': '12345' }), scan(), { config: new Map() }))).rejects.toThrow(/does not exist/);
  });

  it('shows $snapshots, $history, $refs and $manifests', async () => {
    const read = async (name: string) => {
      const t = (await catalog.getTable('db', name)) as CatalogTable;
      const fields = t.columns.map((c) => ({ name: c.name, type: (c as { type: Field['type'] }).type }));
      return { fields, rows: await drain(catalog.tableFactory().createSource!(desc(name, fields), scan(), { config: new Map() })) };
    };
    const snaps = await read('sales$snapshots');
    expect(snaps.fields.map((f) => f.name)).toEqual(['committed_at', 'snapshot_id', 'parent_id', 'operation', 'manifest_list', 'summary']);
    expect(snaps.fields[0].type).toMatchObject({ kind: 'TIMESTAMP_LTZ', precision: 3 });
    expect(snaps.fields[5].type).toMatchObject({ kind: 'MAP' });
    expect(snaps.rows.map((r) => r[1])).toEqual(snapshotIds);
    expect(snaps.rows[0][2]).toBeNull();
    expect(snaps.rows[1][2]).toBe(snapshotIds[0]);
    expect(snaps.rows.map((r) => r[3])).toEqual(['append', 'append', 'append']);
    expect(snaps.rows.map((r) => (r[5] as Map<string, string>).get('added-records'))).toEqual(['100', '100', '100']);
    expect((snaps.rows[2][5] as Map<string, string>).get('total-records')).toBe('300');
    expect((snaps.rows[2][5] as Map<string, string>).get('tsstream.checkpoint-id')).toBe('3');
    const hist = await read('sales$history');
    expect(hist.rows.map((r) => [r[1], r[3]])).toEqual(snapshotIds.map((id) => [id, true]));
    const refs = await read('sales$refs');
    expect(refs.rows).toEqual([['main', 'BRANCH', snapshotIds[2], null, null, null]]);
    const mans = await read('sales$manifests');
    expect(mans.rows).toHaveLength(3);
    expect(mans.rows.map((r) => r[5])).toEqual([2, 2, 2]);
    expect(mans.rows[0][11]).toEqual([[false, null, 'eu', 'us']]);
    const parts = await read('sales$partitions');
    expect(parts.fields.map((f) => f.name).slice(0, 4)).toEqual(['partition', 'spec_id', 'record_count', 'file_count']);
    expect(parts.rows.map((r) => [(r[0] as unknown[])[0], r[2], r[3]]).sort()).toEqual([['eu', 150, 3], ['us', 150, 3]]);
    expect(parts.rows[0][10]).toBe(snapshotIds[2]);
    expect((await read('sales$data_files')).rows).toHaveLength(6);
    expect((await read('sales$delete_files')).rows).toHaveLength(0);
    const log = await read('sales$metadata_log_entries');
    expect(log.rows).toHaveLength(4);
    expect(log.rows.map((r) => r[2])).toEqual([null, snapshotIds[0], snapshotIds[1], snapshotIds[2]]);
    expect(String(log.rows[0][1])).toMatch(/v1\.metadata\.json$/);
    await expect(catalog.getTable('db', 'sales$nope')).rejects.toThrow(/Unknown Iceberg metadata table/);
    expect(await catalog.getTable('db', 'missing$snapshots')).toBeUndefined();
  });

  it('rolls data files at write.target-file-size-bytes', async () => {
    await catalog.createTable('db', 'rolled', { kind: 'table', columns: [{ kind: 'physical', name: 's', type: T.string() }], partitionKeys: [], options: { 'write.target-file-size-bytes': '20000', 'write.tsstream.batch-rows': '1000' } }, false);
    const d = desc('rolled', [{ name: 's', type: T.string() }]);
    const sink = catalog.tableFactory().createSink!(d, { config: new Map() });
    await sink.open(runtimeContext('roll'));
    const rows: Row[] = Array.from({ length: 20000 }, (_, i) => [`row-${i}-${'x'.repeat(i % 50)}-${Math.random()}`]);
    await sink.write(rows);
    const c = (await sink.prepareCommit(1)) as { files: { fileSizeInBytes: number; recordCount: number }[] };
    expect(c.files.length).toBeGreaterThan(3);
    expect(c.files.reduce((a, f) => a + f.recordCount, 0)).toBe(20000);
    await sink.commit(1, [c]);
    expect(await drain(catalog.tableFactory().createSource!(d, scan(), { config: new Map() }))).toHaveLength(20000);
  });

  it('reads a file with several row groups one group per poll', async () => {
    await catalog.createTable('db', 'groups', { kind: 'table', columns: [{ kind: 'physical', name: 'n', type: T.int() }], partitionKeys: [], options: { 'write.tsstream.row-group-rows': '1000' } }, false);
    const d = desc('groups', [{ name: 'n', type: T.int() }]);
    const sink = catalog.tableFactory().createSink!(d, { config: new Map() });
    await sink.open(runtimeContext('groups'));
    await sink.write(Array.from({ length: 4500 }, (_, i) => [i]));
    const c = (await sink.prepareCommit(1)) as { files: { splitOffsets: number[] }[] };
    expect(c.files).toHaveLength(1);
    expect(c.files[0].splitOffsets).toHaveLength(5);
    await sink.commit(1, [c]);
    const src = catalog.tableFactory().createSource!(d, scan(), { config: new Map() });
    await src.open(runtimeContext());
    const sizes: number[] = [];
    const all: number[] = [];
    for (;;) {
      const b = await src.poll(10);
      if (!b) break;
      for (const x of b) (sizes.push(x.rows.length), all.push(...x.rows.map((r) => r[0] as number)));
    }
    expect(sizes).toEqual([1000, 1000, 1000, 1000, 500]);
    expect(all).toEqual(Array.from({ length: 4500 }, (_, i) => i));
  });

  it('drops tables and databases', async () => {
    await catalog.createTable('db', 'gone', { kind: 'table', columns: [{ kind: 'physical', name: 's', type: T.string() }], partitionKeys: [], options: {} }, false);
    expect(await catalog.listTables('db')).toContain('gone');
    await catalog.dropTable('db', 'gone', false);
    expect(await catalog.listTables('db')).not.toContain('gone');
    await expect(catalog.dropTable('db', 'gone', false)).rejects.toThrow(/does not exist/);
    await catalog.dropTable('db', 'gone', true);
    await catalog.createDatabase('tmpdb', false);
    await catalog.dropDatabase('tmpdb', false, false);
    expect(await catalog.databaseExists('tmpdb')).toBe(false);
    await expect(catalog.createTable('db', 'bad', { kind: 'table', columns: [{ kind: 'computed', name: 'x', expr: '1' }], partitionKeys: [], options: {} }, false)).rejects.toThrow(/computed/);
  });
});
