import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { inspect } from 'node:util';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';
import { S3FileIO } from '../../src/io/s3.js';
import { FileAlreadyExistsError, fileIOFor } from '../../src/io/fileio.js';
import { icebergCatalogFactory, type IcebergCatalog } from '../../src/connectors/iceberg/index.js';
import type { TableDescriptor } from '../../src/common/connector.js';
import { T, type Row } from '../../src/common/types.js';
import { runtimeContext, tempDir } from './helpers.js';

let server: { run(): Promise<unknown>; close(): Promise<void> };
let dir: string;
let endpoint: string;
const SECRET = 'S3RVER';
let options: Record<string, string>;

beforeAll(async () => {
  dir = await tempDir('tsstream-s3-');
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: 'warehouse', configs: [] }] });
  const addr = (await server.run()) as unknown as { address: string; port: number };
  endpoint = `http://127.0.0.1:${addr.port}`;
  options = {
    's3.endpoint': endpoint,
    's3.path-style-access': 'true',
    's3.access-key-id': 'S3RVER',
    's3.secret-access-key': SECRET,
    'client.region': 'us-east-1',
  };
});

afterAll(async () => {
  await server?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('S3 FileIO against an S3-compatible server on 127.0.0.1', () => {
  it('reads, writes, lists, checks and deletes objects', async () => {
    const io = (await fileIOFor('s3a://warehouse/x', options)) as S3FileIO;
    expect(io).toBeInstanceOf(S3FileIO);
    await io.write('s3://warehouse/a/b/one.txt', new TextEncoder().encode('hello world'));
    await io.write('s3://warehouse/a/two.txt', new TextEncoder().encode('2'));
    expect(new TextDecoder().decode(await io.read('s3://warehouse/a/b/one.txt'))).toBe('hello world');
    expect(new TextDecoder().decode(await io.readRange('s3://warehouse/a/b/one.txt', 6, 5))).toBe('world');
    expect(await io.size('s3://warehouse/a/b/one.txt')).toBe(11);
    expect(await io.exists('s3://warehouse/a/b/one.txt')).toBe(true);
    expect(await io.exists('s3://warehouse/a/b/nope.txt')).toBe(false);
    const listed = await io.list('s3://warehouse/a');
    expect(listed.map((e) => [e.name, e.isDir])).toEqual([['b', true], ['two.txt', false]]);
    await expect(io.write('s3://warehouse/a/two.txt', new Uint8Array([1]), { ifAbsent: true })).rejects.toBeInstanceOf(FileAlreadyExistsError);
    await io.write('s3://warehouse/a/three.txt', new Uint8Array([3]), { ifAbsent: true });
    await io.delete('s3://warehouse/a/three.txt');
    expect(await io.exists('s3://warehouse/a/three.txt')).toBe(false);
    await expect(io.read('s3://warehouse/a/missing')).rejects.toThrow(/not found/);
    await io.deleteRecursive('s3://warehouse/a');
    expect(await io.list('s3://warehouse/a')).toEqual([]);
    await io.close();
  });

  it('uploads large files in parts', async () => {
    const io = new S3FileIO(options);
    const big = new Uint8Array(17 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    await io.write('s3://warehouse/big/blob.bin', big);
    expect(await io.size('s3://warehouse/big/blob.bin')).toBe(big.length);
    const back = await io.readRange('s3://warehouse/big/blob.bin', 16 * 1024 * 1024, 8192);
    expect(back[0]).toBe(big[16 * 1024 * 1024]);
    await io.close();
  });

  it('never shows the secret key', async () => {
    const io = new S3FileIO({ ...options, 's3.secret-access-key': 'super-secret-value' });
    expect(String(io)).not.toContain('super-secret-value');
    expect(inspect(io, { depth: 10 })).not.toContain('super-secret-value');
    expect(JSON.stringify(io)).not.toContain('super-secret-value');
    const bad = new S3FileIO({ ...options, 's3.endpoint': 'http://127.0.0.1:1', 's3.max-attempts': '1', 's3.secret-access-key': 'super-secret-value' });
    const err = await bad.read('s3://warehouse/x').catch((e: Error) => e);
    expect(String((err as Error).message)).not.toContain('super-secret-value');
    await io.close();
    await bad.close();
  });

  it('hosts a hadoop catalog warehouse on s3://', async () => {
    const catalog = icebergCatalogFactory.create('s3cat', { type: 'iceberg', 'catalog-type': 'hadoop', warehouse: 's3://warehouse/wh', ...options }) as IcebergCatalog;
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
    expect(new TextDecoder().decode(await io.read('s3://warehouse/wh/demo/events/metadata/version-hint.text'))).toBe('3');
    await io.close();
    await catalog.dropTable('demo', 'events', false);
    expect(await catalog.listTables('demo')).toEqual([]);
    await catalog.close();
  });
});
