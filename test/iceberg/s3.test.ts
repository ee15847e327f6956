// S3FileIO and a hadoop catalog whose warehouse is on S3, against moto's S3 on 127.0.0.1 (common
// prefixes and conditional writes as on AWS); pyiceberg reads the table back from S3.
import { beforeAll, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { S3FileIO } from '../../src/io/s3.js';
import { FileAlreadyExistsError, fileIOFor } from '../../src/io/fileio.js';
import { icebergCatalogFactory, type IcebergCatalog } from '../../src/connectors/iceberg/index.js';
import type { TableDescriptor } from '../../src/common/connector.js';
import { T, type Row } from '../../src/common/types.js';
import { runtimeContext } from './helpers.js';
import { hasPeer, peer, skipReason } from '../peers/index.js';
import { s3Options, type MotoEndpoint } from '../peers/moto.js';
import { fieldSummary, readIcebergTable } from '../peers/pyiceberg.js';
import { freshBucket } from '../peers/s3-util.js';

let bucket: string;
let options: Record<string, string>;

describe.skipIf(!hasPeer('moto'))(`S3 FileIO against moto's S3 on 127.0.0.1 (${skipReason('moto') ?? 'running'})`, () => {
  beforeAll(async () => {
    const moto = peer<MotoEndpoint>('moto');
    options = s3Options(moto);
    bucket = await freshBucket(moto, 'warehouse');
  });

  it('reads, writes, lists, checks and deletes objects', async () => {
    const io = (await fileIOFor(`s3a://${bucket}/x`, options)) as S3FileIO;
    expect(io).toBeInstanceOf(S3FileIO);
    await io.write(`s3://${bucket}/a/b/one.txt`, new TextEncoder().encode('hello world'));
    await io.write(`s3://${bucket}/a/two.txt`, new TextEncoder().encode('2'));
    expect(new TextDecoder().decode(await io.read(`s3://${bucket}/a/b/one.txt`))).toBe('hello world');
    expect(new TextDecoder().decode(await io.readRange(`s3://${bucket}/a/b/one.txt`, 6, 5))).toBe('world');
    expect(await io.size(`s3://${bucket}/a/b/one.txt`)).toBe(11);
    expect(await io.exists(`s3://${bucket}/a/b/one.txt`)).toBe(true);
    expect(await io.exists(`s3://${bucket}/a/b/nope.txt`)).toBe(false);
    const listed = await io.list(`s3://${bucket}/a`);
    expect(listed.map((e) => [e.name, e.isDir])).toEqual([['b', true], ['two.txt', false]]);
    await expect(io.write(`s3://${bucket}/a/two.txt`, new Uint8Array([1]), { ifAbsent: true })).rejects.toBeInstanceOf(FileAlreadyExistsError);
    await io.write(`s3://${bucket}/a/three.txt`, new Uint8Array([3]), { ifAbsent: true });
    await io.delete(`s3://${bucket}/a/three.txt`);
    expect(await io.exists(`s3://${bucket}/a/three.txt`)).toBe(false);
    await expect(io.read(`s3://${bucket}/a/missing`)).rejects.toThrow(/not found/);
    await io.deleteRecursive(`s3://${bucket}/a`);
    expect(await io.list(`s3://${bucket}/a`)).toEqual([]);
    await io.close();
  });

  it('uploads large files in parts', async () => {
    const io = new S3FileIO(options);
    const big = new Uint8Array(17 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    await io.write(`s3://${bucket}/big/blob.bin`, big);
    expect(await io.size(`s3://${bucket}/big/blob.bin`)).toBe(big.length);
    const back = await io.readRange(`s3://${bucket}/big/blob.bin`, 16 * 1024 * 1024, 8192);
    expect(back[0]).toBe(big[16 * 1024 * 1024]);
    await io.close();
  });

  it('never shows the secret key', async () => {
    const io = new S3FileIO({ ...options, 's3.secret-access-key': 'super-secret-value' });
    expect(String(io)).not.toContain('super-secret-value');
    expect(inspect(io, { depth: 10 })).not.toContain('super-secret-value');
    expect(JSON.stringify(io)).not.toContain('super-secret-value');
    const bad = new S3FileIO({ ...options, 's3.endpoint': 'http://127.0.0.1:1', 's3.max-attempts': '1', 's3.secret-access-key': 'super-secret-value' });
    const err = await bad.read(`s3://${bucket}/x`).catch((e: Error) => e);
    expect(String((err as Error).message)).not.toContain('super-secret-value');
    await io.close();
    await bad.close();
  });

  it('hosts a hadoop catalog warehouse on s3://', async () => {
    const catalog = icebergCatalogFactory.create('s3cat', { type: 'iceberg', 'catalog-type': 'hadoop', warehouse: `s3://${bucket}/wh`, ...options }) as IcebergCatalog;
    await catalog.open();
    await catalog.createDatabase('demo', true);
    expect(await catalog.listDatabases()).toContain('demo');
    const physical = [
      { name: 'event_id', type: T.string() },
      { name: 'event_time', type: T.timestamp(6) },
    ];
    await catalog.createTable('demo', 'events', { kind: 'table', columns: physical.map((p) => ({ kind: 'physical' as const, ...p })), partitionKeys: [], options: {} }, false);
    expect(await catalog.listTables('demo')).toEqual(['events']);
    const d: TableDescriptor = { path: { catalog: 's3cat', database: 'demo', table: 'events' }, physical, metadata: [], options: {}, partitionKeys: [] };
    const sink = catalog.tableFactory().createSink!(d, { config: new Map() });
    await sink.open(runtimeContext('s3-job'));
    await sink.write([['e1', 1_000_000], ['e2', 2_000_000]]);
    await sink.commit(1, [await sink.prepareCommit(1)]);
    await sink.write([['e3', 3_000_000]]);
    await sink.commit(2, [await sink.prepareCommit(2)]);
    const src = catalog.tableFactory().createSource!(d, { batch: true }, { config: new Map() });
    await src.open(runtimeContext());
    const rows: Row[] = [];
    for (;;) {
      const b = await src.poll(10);
      if (!b) break;
      for (const x of b) rows.push(...x.rows);
    }
    expect(rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([['e1', 1_000_000], ['e2', 2_000_000], ['e3', 3_000_000]]);
    const io = new S3FileIO(options);
    expect(new TextDecoder().decode(await io.read(`s3://${bucket}/wh/demo/events/metadata/version-hint.text`))).toBe('3');
    await io.close();
    if (hasPeer('pyiceberg')) {
      // Iceberg's Python implementation reads the same table from S3.
      const py = await readIcebergTable({ kind: 'hadoop', warehouse: `s3://${bucket}/wh`, props: options }, 'demo.events');
      expect(py.location).toBe(`s3://${bucket}/wh/demo/events`);
      expect(fieldSummary(py)).toEqual([
        [1, 'event_id', 'string'],
        [2, 'event_time', 'timestamp'],
      ]);
      expect(py.rows.sort()).toEqual([
        ['e1', '1970-01-01T00:00:01.000000'],
        ['e2', '1970-01-01T00:00:02.000000'],
        ['e3', '1970-01-01T00:00:03.000000'],
      ]);
      expect(py.snapshots.map((s) => s.summary['added-records'])).toEqual(['2', '1']);
      expect(py.currentSnapshot?.summary).toMatchObject({ operation: 'append', 'total-records': '3', 'tsstream.job-id': 's3-job' });
    }
    await catalog.dropTable('demo', 'events', false);
    expect(await catalog.listTables('demo')).toEqual([]);
    await catalog.close();
  }, 120_000);

  it('lands concurrent commits of writers sharing a hadoop table on s3:// (conditional writes)', async () => {
    const physical = [{ name: 'k', type: T.string() }];
    const open = async () => {
      const c = icebergCatalogFactory.create('s3cat', { type: 'iceberg', 'catalog-type': 'hadoop', warehouse: `s3://${bucket}/race`, ...options }) as IcebergCatalog;
      await c.open();
      return c;
    };
    const first = await open();
    await first.createDatabase('db', true);
    await first.createTable('db', 't', { kind: 'table', columns: physical.map((p) => ({ kind: 'physical' as const, ...p })), partitionKeys: [], options: {} }, false);
    const writers = await Promise.all([0, 1, 2, 3].map(() => open()));
    const d: TableDescriptor = { path: { catalog: 's3cat', database: 'db', table: 't' }, physical, metadata: [], options: {}, partitionKeys: [] };
    const sinks = await Promise.all(
      writers.map(async (c, i) => {
        const sink = c.tableFactory().createSink!(d, { config: new Map() });
        await sink.open(runtimeContext(`race-${i}`));
        await sink.write([[`w${i}`]]);
        return { sink, committable: await sink.prepareCommit(1) };
      }),
    );
    // All four prepared against the same table version; each commit must land, none overwrite another.
    await Promise.all(sinks.map(({ sink, committable }) => sink.commit(1, [committable])));
    await Promise.all(sinks.map(({ sink }) => sink.close()));
    const src = first.tableFactory().createSource!(d, { batch: true }, { config: new Map() });
    await src.open(runtimeContext());
    const rows: Row[] = [];
    for (;;) {
      const b = await src.poll(10);
      if (!b) break;
      for (const x of b) rows.push(...x.rows);
    }
    expect(rows.map((r) => r[0]).sort()).toEqual(['w0', 'w1', 'w2', 'w3']);
    if (hasPeer('pyiceberg')) {
      const py = await readIcebergTable({ kind: 'hadoop', warehouse: `s3://${bucket}/race`, props: options }, 'db.t');
      expect(py.snapshots).toHaveLength(4);
      expect(py.rows.map((r) => r[0]).sort()).toEqual(['w0', 'w1', 'w2', 'w3']);
    }
    await Promise.all([first, ...writers].map((c) => c.close()));
  }, 120_000);
});
