import { decToString } from '../../src/common/exact.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { icebergRead } from 'icebird';
import { DuckDBInstance } from '@duckdb/node-api';
import { icebergCatalogFactory, type IcebergCatalog } from '../../src/connectors/iceberg/index.js';
import type { CatalogTable } from '../../src/common/catalog.js';
import type { TableDescriptor } from '../../src/common/connector.js';
import { T, type Field } from '../../src/common/types.js';
import { parseTimestamp } from '../../src/common/time.js';
import { runtimeContext, tempDir, withLocalFetch } from './helpers.js';
import { hasPeer } from '../peers/index.js';
import { fieldSummary, isoDate, isoMicros, readIcebergTable } from '../peers/pyiceberg.js';

const fields: Field[] = [
  { name: 'event_id', type: T.string(false) },
  { name: 'user_id', type: T.string() },
  { name: 'event_type', type: T.string() },
  { name: 'event_time', type: T.timestamp(6) },
  { name: 'ts_ltz', type: T.timestampLtz(6) },
  { name: 'n', type: T.int() },
  { name: 'big', type: T.bigint() },
  { name: 'price', type: { kind: 'DECIMAL', precision: 10, scale: 2, nullable: true } },
  { name: 'score', type: T.double() },
  { name: 'day', type: T.date() },
  { name: 'flag', type: T.boolean() },
  { name: 'tags', type: { kind: 'ARRAY', element: T.string(), nullable: true } },
  { name: 'attrs', type: { kind: 'MAP', key: T.string(false), value: T.bigint(), nullable: true } },
  { name: 'point', type: { kind: 'ROW', nullable: true, fields: [{ name: 'x', type: T.double() }, { name: 'y', type: T.double() }] } },
];

const ts = (s: string) => parseTimestamp(s)!;

function row(i: number): unknown[] {
  return [
    `e${String(i).padStart(3, '0')}`,
    i % 3 === 0 ? null : `u${i % 3}`,
    ['click', 'view', 'purchase'][i % 3],
    ts('2025-12-29T10:00:00') + i * 1_000_000,
    ts('2025-12-29T10:00:00Z') + i * 1000,
    i,
    2 ** 40 + i,
    i * 125, // DECIMAL(10, 2): the unscaled value of i × 1.25
    i === 5 ? NaN : i / 4,
    20000 + (i % 2),
    i % 2 === 0,
    i % 4 === 0 ? null : [`t${i}`, 'x'],
    new Map([['k', i]]),
    i % 5 === 0 ? null : [i, -i],
  ];
}

let dir: string;
let catalog: IcebergCatalog;

function descriptor(table: string): TableDescriptor {
  return { path: { catalog: 'ice', database: 'demo', table }, physical: fields, metadata: [], options: {}, partitionKeys: [] };
}

beforeAll(async () => {
  dir = await tempDir();
  catalog = icebergCatalogFactory.create('ice', { type: 'iceberg', 'catalog-type': 'hadoop', warehouse: path.join(dir, 'wh') }) as IcebergCatalog;
  await catalog.open();
  await catalog.createDatabase('demo', true);
});

afterAll(async () => {
  await catalog.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Iceberg sink on the hadoop catalog', () => {
  it('creates databases and tables with field ids and the type mapping', async () => {
    const entry: CatalogTable = {
      kind: 'table',
      columns: fields.map((f) => ({ kind: 'physical', name: f.name, type: f.type })),
      partitionKeys: ['event_type'],
      options: { 'write.target-file-size-bytes': '134217728' },
    };
    await catalog.createTable('demo', 'events', entry, false);
    await catalog.createTable('demo', 'events', entry, true);
    await expect(catalog.createTable('demo', 'events', entry, false)).rejects.toThrow(/already exists/);
    expect(await catalog.listDatabases()).toContain('demo');
    expect(await catalog.listTables('demo')).toEqual(['events']);
    const back = (await catalog.getTable('demo', 'events')) as CatalogTable;
    expect(back.partitionKeys).toEqual(['event_type']);
    expect(back.columns.map((c) => c.name)).toEqual(fields.map((f) => f.name));
    const types = back.columns.map((c) => (c.kind === 'physical' ? c.type : undefined));
    expect(types[3]).toMatchObject({ kind: 'TIMESTAMP', precision: 6 });
    expect(types[4]).toMatchObject({ kind: 'TIMESTAMP_LTZ', precision: 6 });
    expect(types[0]).toMatchObject({ kind: 'VARCHAR', nullable: false });
    const meta = JSON.parse(await fs.readFile(path.join(dir, 'wh/demo/events/metadata/v1.metadata.json'), 'utf8'));
    expect(meta['format-version']).toBe(2);
    expect(meta.schemas[0].fields.map((f: { id: number }) => f.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(meta.schemas[0].fields[3].type).toBe('timestamp');
    expect(meta.schemas[0].fields[4].type).toBe('timestamptz');
    expect(meta.schemas[0].fields[7].type).toBe('decimal(10, 2)');
    expect(meta['partition-specs'][0].fields).toEqual([{ 'source-id': 3, 'field-id': 1000, name: 'event_type', transform: 'identity' }]);
    expect(await fs.readFile(path.join(dir, 'wh/demo/events/metadata/version-hint.text'), 'utf8')).toBe('1');
  });

  it('writes, commits once per checkpoint, and other readers see the same rows and types', async () => {
    const sink = icebergCatalogFactory.create('x', { type: 'iceberg', warehouse: path.join(dir, 'wh') }).tableFactory!()!.createSink!(descriptor('events'), { config: new Map() });
    await sink.open(runtimeContext('job-A'));
    const rows = Array.from({ length: 30 }, (_, i) => row(i));
    await sink.write(rows.slice(0, 20));
    const c1 = await sink.prepareCommit(1);
    expect(JSON.parse(JSON.stringify(c1))).toEqual(c1); // plain JSON
    await sink.commit(1, [c1]);
    await sink.commit(1, [c1]); // again: nothing new
    await sink.write(rows.slice(20));
    const c2 = await sink.prepareCommit(2);
    await sink.commit(2, [c2]);
    await sink.commit(1, [c1]); // an older checkpoint replayed after a restart: skipped
    const c3 = await sink.prepareCommit(3); // no data: no snapshot
    await sink.commit(3, [c3]);
    await sink.close();

    const meta = JSON.parse(await fs.readFile(path.join(dir, 'wh/demo/events/metadata/v3.metadata.json'), 'utf8'));
    expect(await fs.readFile(path.join(dir, 'wh/demo/events/metadata/version-hint.text'), 'utf8')).toBe('3');
    await expect(fs.stat(path.join(dir, 'wh/demo/events/metadata/v4.metadata.json'))).rejects.toThrow();
    expect(meta.snapshots).toHaveLength(2);
    const [s1, s2] = meta.snapshots;
    expect(s1.summary).toMatchObject({ operation: 'append', 'added-records': '20', 'total-records': '20', 'tsstream.job-id': 'job-A', 'tsstream.checkpoint-id': '1', 'added-data-files': '3', 'changed-partition-count': '3' });
    expect(s2.summary).toMatchObject({ 'added-records': '10', 'total-records': '30', 'tsstream.checkpoint-id': '2', 'total-data-files': '6' });
    expect(s2['parent-snapshot-id']).toBe(s1['snapshot-id']);
    expect(s2['sequence-number']).toBe(2);
    expect(meta['current-snapshot-id']).toBe(s2['snapshot-id']);
    expect(meta.refs.main['snapshot-id']).toBe(s2['snapshot-id']);
    expect(meta['snapshot-log']).toHaveLength(2);
    expect(meta['metadata-log']).toHaveLength(2);

    // icebird: an independent Iceberg reader.
    const tableUrl = path.join(dir, 'wh/demo/events');
    const read = await withLocalFetch(() => icebergRead({ tableUrl }));
    expect(read).toHaveLength(30);
    const byId = new Map(read.map((r: Record<string, unknown>) => [r.event_id, r]));
    const r7 = byId.get('e007') as Record<string, unknown>;
    expect(r7.user_id).toBe('u1');
    expect(r7.event_type).toBe('view');
    expect(r7.n).toBe(7);
    expect(r7.big).toBe(BigInt(2 ** 40 + 7));
    expect(r7.flag).toBe(false);
    expect(r7.tags).toEqual(['t7', 'x']);
    expect(new Date(r7.event_time as Date).toISOString()).toBe('2025-12-29T10:00:07.000Z');
    expect((byId.get('e000') as Record<string, unknown>).user_id).toBeNull();

    // DuckDB reads the data files: same rows, same types, field ids present.
    const files = (await fs.readdir(path.join(dir, 'wh/demo/events/data'), { recursive: true })).filter((f) => String(f).endsWith('.parquet'));
    expect(files.length).toBe(6);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const glob = path.join(dir, 'wh/demo/events/data/**/*.parquet');
    const res = await conn.runAndReadAll(`SELECT event_id, user_id, event_type, CAST(event_time AS VARCHAR) AS t, typeof(event_time) AS tt, typeof(ts_ltz) AS tl, CAST(price AS VARCHAR) AS price, typeof(price) AS pt, score, day, tags, point FROM read_parquet('${glob}', hive_partitioning=false) ORDER BY event_id`);
    const got = res.getRowObjectsJS();
    expect(got).toHaveLength(30);
    expect(got[7]).toMatchObject({ event_id: 'e007', user_id: 'u1', event_type: 'view', t: '2025-12-29 10:00:07', tt: 'TIMESTAMP', tl: 'TIMESTAMP WITH TIME ZONE', price: '8.75', pt: 'DECIMAL(10,2)', score: 1.75 });
    expect(got[5].score).toBeNaN();
    const nested = await conn.runAndReadAll(`SELECT CAST(attrs AS VARCHAR) AS a, point.x AS x, point.y AS y, CAST(tags AS VARCHAR) AS t, CAST(day AS VARCHAR) AS d, flag FROM read_parquet('${glob}') WHERE event_id = 'e007'`);
    expect(nested.getRowObjectsJS()[0]).toMatchObject({ a: '{k=7}', x: 7, y: -7, t: '[t7, x]', d: '2024-10-05', flag: false });
    const schema = await conn.runAndReadAll(`SELECT name, field_id FROM parquet_schema('${path.join(dir, 'wh/demo/events/data', String(files[0]))}')`);
    const ids = Object.fromEntries(schema.getRowObjectsJS().map((r) => [r.name, r.field_id === null ? null : Number(r.field_id)]));
    expect(ids).toMatchObject({ event_id: 1, user_id: 2, event_type: 3, event_time: 4, ts_ltz: 5, n: 6, big: 7, price: 8, score: 9, day: 10, flag: 11, tags: 12, attrs: 13, point: 14, element: 15, key: 16, value: 17, x: 18, y: 19 });
    const kv = await conn.runAndReadAll(`SELECT key, value FROM parquet_kv_metadata('${path.join(dir, 'wh/demo/events/data', String(files[0]))}')`);
    const footer = Object.fromEntries(kv.getRowObjectsJS().map((r) => [Buffer.from(r.key as Uint8Array).toString(), Buffer.from(r.value as Uint8Array).toString()]));
    expect(JSON.parse(String(footer['iceberg.schema'])).fields[0]).toMatchObject({ id: 1, name: 'event_id', required: true, type: 'string' });
    conn.closeSync();
  });

  it.skipIf(!hasPeer('pyiceberg'))('pyiceberg reads every value, the types, field ids, spec and snapshot summaries', async () => {
    const warehouse = path.join(dir, 'wh');
    const py = await readIcebergTable({ kind: 'hadoop', warehouse }, 'demo.events');
    expect(fieldSummary(py)).toEqual([
      [1, 'event_id', 'string'],
      [2, 'user_id', 'string'],
      [3, 'event_type', 'string'],
      [4, 'event_time', 'timestamp'],
      [5, 'ts_ltz', 'timestamptz'],
      [6, 'n', 'int'],
      [7, 'big', 'long'],
      [8, 'price', 'decimal(10, 2)'],
      [9, 'score', 'double'],
      [10, 'day', 'date'],
      [11, 'flag', 'boolean'],
      [12, 'tags', { type: 'list', 'element-id': 15, element: 'string', 'element-required': false }],
      [13, 'attrs', { type: 'map', 'key-id': 16, key: 'string', 'value-id': 17, value: 'long', 'value-required': false }],
      [14, 'point', { type: 'struct', fields: [{ id: 18, name: 'x', type: 'double', required: false }, { id: 19, name: 'y', type: 'double', required: false }] }],
    ]);
    expect(py.schema.fields[0].required).toBe(true);
    expect(py.spec.fields).toEqual([{ 'source-id': 3, 'field-id': 1000, transform: 'identity', name: 'event_type' }]);
    const expected = Array.from({ length: 30 }, (_, i) => {
      const r = row(i) as [string, string | null, string, number, number, number, number, number, number, number, boolean, string[] | null, Map<string, number>, number[] | null];
      return [
        r[0], r[1], r[2], isoMicros(r[3]), isoMicros(r[4], true), r[5], String(r[6]), decToString(r[7], 2), Number.isNaN(r[8]) ? 'NaN' : r[8],
        isoDate(r[9]), r[10], r[11], [...r[12]].map(([k, v]) => [k, String(v)]), r[13] === null ? null : { x: r[13][0], y: r[13][1] },
      ];
    });
    expect(py.rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual(expected);
    // The snapshots pyiceberg sees are the ones tsstream reports, summaries included.
    const meta = await (await catalog.backend.loadTable('demo', 'events'))!.load();
    expect(py.snapshots.map((s) => [s.snapshotId, s.parentSnapshotId, s.sequenceNumber, s.timestampMs, s.summary])).toEqual(
      meta.snapshots.map((s) => [String(s['snapshot-id']), s['parent-snapshot-id'] === undefined ? null : String(s['parent-snapshot-id']), s['sequence-number'], s['timestamp-ms'], s.summary]),
    );
    expect(py.currentSnapshot?.snapshotId).toBe(String(meta['current-snapshot-id']));
    // Filtered scans prune files by partition values and by the column bounds in the manifests:
    // wrong metrics would drop rows here.
    const views = await readIcebergTable({ kind: 'hadoop', warehouse }, 'demo.events', { rowFilter: "event_type == 'view'" });
    expect(views.rows.map((r) => r[0]).sort()).toEqual(expected.filter((r) => r[2] === 'view').map((r) => r[0]));
    expect(views.filesScanned).toBe(2);
    const late = await readIcebergTable({ kind: 'hadoop', warehouse }, 'demo.events', { rowFilter: `n >= 25 and big > ${2 ** 40 + 26} and event_time >= '${isoMicros(row(27)[3] as number)}'` });
    expect(late.rows.map((r) => r[0]).sort()).toEqual(['e027', 'e028', 'e029']);
    expect(late.filesScanned).toBeLessThan(6);
  }, 120_000);

  it('keeps metrics in the manifests and reads back through the source', async () => {
    const factory = catalog.tableFactory();
    const src = factory.createSource!(descriptor('events'), { projection: [0, 3, 7, 11, 12, 13], batch: true }, { config: new Map() });
    await src.open(runtimeContext());
    const out: unknown[][] = [];
    for (;;) {
      const b = await src.poll(100);
      if (b === null) break;
      for (const x of b) out.push(...x.rows);
    }
    await src.close();
    out.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(out).toHaveLength(30);
    const exp = row(7);
    expect(out[7]).toEqual([exp[0], exp[3], exp[7], exp[11], exp[12], exp[13]]);
    expect(out[0][5]).toBeNull();
    expect(out[0][3]).toBeNull();

    const filesTable = catalog.tableFactory().createSource!(descriptor('events$files'), { batch: true }, { config: new Map() });
    const ft = (await catalog.getTable('demo', 'events$files')) as CatalogTable;
    const d: TableDescriptor = { ...descriptor('events$files'), physical: ft.columns.map((c) => ({ name: c.name, type: (c as { type: Field['type'] }).type })) };
    const fsrc = catalog.tableFactory().createSource!(d, { batch: true }, { config: new Map() });
    void filesTable;
    await fsrc.open(runtimeContext());
    const frows = (await fsrc.poll(10))![0].rows;
    expect(frows).toHaveLength(6);
    const names = d.physical.map((f) => f.name);
    const f0 = frows.find((r) => (r[names.indexOf('partition')] as unknown[])[0] === 'click')!;
    expect(f0[names.indexOf('file_format')]).toBe('PARQUET');
    const vc = f0[names.indexOf('value_counts')] as Map<number, number>;
    const nc = f0[names.indexOf('null_value_counts')] as Map<number, number>;
    const nan = f0[names.indexOf('nan_value_counts')] as Map<number, number>;
    expect(vc.get(1)).toBe(f0[names.indexOf('record_count')]);
    expect(nc.get(2)).toBe(vc.get(2)); // user_id is null for every click row (i % 3 === 0)
    expect(nan.has(9)).toBe(true);
    const sizes = f0[names.indexOf('column_sizes')] as Map<number, number>;
    for (const id of [1, 2, 3, 4, 15, 16, 17, 18, 19]) expect(sizes.get(id)).toBeGreaterThan(0);
    expect(f0[names.indexOf('split_offsets')]).toEqual([4]);
    expect(nan.has(1)).toBe(false);
    const clickLower = frows
      .filter((r) => (r[names.indexOf('partition')] as unknown[])[0] === 'click')
      .map((r) => Buffer.from((r[names.indexOf('lower_bounds')] as Map<number, Uint8Array>).get(1)!).toString())
      .sort();
    expect(clickLower).toEqual(['e000', 'e021']);
  });

  it('truncates string bounds to 16 characters', async () => {
    await catalog.createTable('demo', 'longs', { kind: 'table', columns: [{ kind: 'physical', name: 's', type: T.string() }], partitionKeys: [], options: {} }, false);
    const d: TableDescriptor = { path: { catalog: 'ice', database: 'demo', table: 'longs' }, physical: [{ name: 's', type: T.string() }], metadata: [], options: {}, partitionKeys: [] };
    const sink = catalog.tableFactory().createSink!(d, { config: new Map() });
    await sink.open(runtimeContext('j'));
    await sink.write([['aaaaaaaaaaaaaaaaaaaaaaaa'], ['abcdefghijklmnopqrstuvwxyz'], ['ab']]);
    await sink.commit(1, [await sink.prepareCommit(1)]);
    const ft = (await catalog.getTable('demo', 'longs$files')) as CatalogTable;
    const fd: TableDescriptor = { ...d, path: { ...d.path, table: 'longs$files' }, physical: ft.columns.map((c) => ({ name: c.name, type: (c as { type: Field['type'] }).type })) };
    const src = catalog.tableFactory().createSource!(fd, { batch: true }, { config: new Map() });
    await src.open(runtimeContext());
    const [r] = (await src.poll(10))![0].rows;
    const names = fd.physical.map((f) => f.name);
    const lo = Buffer.from((r[names.indexOf('lower_bounds')] as Map<number, Uint8Array>).get(1)!).toString();
    const hi = Buffer.from((r[names.indexOf('upper_bounds')] as Map<number, Uint8Array>).get(1)!).toString();
    expect(lo).toBe('aaaaaaaaaaaaaaaa');
    expect(hi).toBe('abcdefghijklmnoq');
  });
});
