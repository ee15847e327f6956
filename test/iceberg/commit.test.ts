import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { icebergRead } from 'icebird';
import { icebergCatalogFactory, type IcebergCatalog, maxCommittedCheckpoint } from '../../src/connectors/iceberg/index.js';
import type { TableDescriptor } from '../../src/common/connector.js';
import { T } from '../../src/common/types.js';
import { parseMetadata, serializeMetadata } from '../../src/connectors/iceberg/metadata.js';
import { readAvroFile } from '../../src/connectors/iceberg/avro.js';
import { runtimeContext, tempDir, withLocalFetch } from './helpers.js';

let dir: string;
let catalog: IcebergCatalog;
const physical = [
  { name: 'id', type: T.bigint() },
  { name: 'writer', type: T.string() },
];
const desc = (table: string): TableDescriptor => ({ path: { catalog: 'c', database: 'db', table }, physical, metadata: [], options: {}, partitionKeys: [] });

beforeAll(async () => {
  dir = await tempDir();
  catalog = icebergCatalogFactory.create('c', { type: 'iceberg', 'catalog-type': 'hadoop', warehouse: dir }) as IcebergCatalog;
  await catalog.open();
  await catalog.createDatabase('db', false);
  await catalog.createTable('db', 't', { kind: 'table', columns: physical.map((p) => ({ kind: 'physical' as const, ...p })), partitionKeys: [], options: {} }, false);
});

afterAll(async () => {
  await catalog.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Iceberg commits', () => {
  it('lands every commit of writers committing to one table at once', async () => {
    const writers = 4;
    const perWriter = 3;
    const sinks = await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        // Each writer has its own catalog instance, as separate jobs would.
        const cat = icebergCatalogFactory.create('c', { type: 'iceberg', warehouse: dir });
        const sink = cat.tableFactory!()!.createSink!(desc('t'), { config: new Map() });
        await sink.open(runtimeContext(`job-${w}`));
        return sink;
      }),
    );
    await Promise.all(
      sinks.map(async (sink, w) => {
        for (let cp = 1; cp <= perWriter; cp++) {
          await sink.write([[w * 100 + cp, `w${w}`]]);
          const c = await sink.prepareCommit(cp);
          await sink.commit(cp, [c]);
        }
      }),
    );
    const ops = (await catalog.backend.loadTable('db', 't'))!;
    const m = await ops.load();
    expect(m.snapshots).toHaveLength(writers * perWriter);
    for (let w = 0; w < writers; w++) expect(maxCommittedCheckpoint(m, `job-${w}`)).toBe(perWriter);
    const last = m.snapshots.find((s) => s['snapshot-id'] === m['current-snapshot-id'])!;
    expect(last.summary['total-records']).toBe(String(writers * perWriter));
    const rows = await withLocalFetch(() => icebergRead({ tableUrl: path.join(dir, 'db/t') }));
    expect(rows.map((r: Record<string, unknown>) => Number(r.id)).sort((a: number, b: number) => a - b)).toEqual(
      Array.from({ length: writers }, (_, w) => Array.from({ length: perWriter }, (_, k) => w * 100 + k + 1)).flat().sort((a, b) => a - b),
    );
    // Sequence numbers are strictly increasing along the history.
    const seqs = m.snapshots.map((s) => s['sequence-number']).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: writers * perWriter }, (_, i) => i + 1));
  });

  it('commits a restored checkpoint of an earlier job once', async () => {
    const a = catalog.tableFactory().createSink!(desc('t'), { config: new Map() });
    await a.open(runtimeContext('old-job'));
    await a.write([[999, 'old']]);
    const pending = await a.prepareCommit(7);
    // The job dies before commit; a new job restores the committable and commits it, twice.
    const b = catalog.tableFactory().createSink!(desc('t'), { config: new Map() });
    await b.open(runtimeContext('new-job'));
    await b.commit(7, [pending]);
    await b.commit(7, [JSON.parse(JSON.stringify(pending))]);
    const m = await (await catalog.backend.loadTable('db', 't'))!.load();
    expect(maxCommittedCheckpoint(m, 'old-job')).toBe(7);
    expect(m.snapshots.filter((s) => s.summary['tsstream.job-id'] === 'old-job')).toHaveLength(1);
  });

  it('reads and writes table metadata without rounding 63-bit ids', () => {
    const big = '9223372036854775807';
    const text = `{"format-version":2,"table-uuid":"u","location":"/x","last-sequence-number":1,"last-updated-ms":1,"last-column-id":1,
      "schemas":[{"type":"struct","schema-id":0,"fields":[{"id":1,"name":"a","required":false,"type":"long"}]}],"current-schema-id":0,
      "partition-specs":[{"spec-id":0,"fields":[]}],"default-spec-id":0,"last-partition-id":999,"properties":{},
      "current-snapshot-id":${big},"snapshots":[{"snapshot-id":${big},"parent-snapshot-id":4611686018427387905,"sequence-number":1,"timestamp-ms":5,"manifest-list":"/x/m.avro","summary":{"operation":"append"}}],
      "snapshot-log":[{"timestamp-ms":5,"snapshot-id":${big}}],"metadata-log":[],"sort-orders":[{"order-id":0,"fields":[]}],"default-sort-order-id":0,
      "refs":{"main":{"snapshot-id":${big},"type":"branch"}},"future-field":{"x":[1,2]}}`;
    const m = parseMetadata(text);
    expect(m['current-snapshot-id']).toBe(BigInt(big));
    expect(m.snapshots[0]['parent-snapshot-id']).toBe(4611686018427387905n);
    const out = serializeMetadata(m);
    expect(out).toContain(`"current-snapshot-id": ${big}`);
    expect(out).toContain('"parent-snapshot-id": 4611686018427387905');
    expect(out).toContain('"future-field"');
    expect(parseMetadata(out).refs.main['snapshot-id']).toBe(BigInt(big));
  });

  it('writes manifests whose Avro header schema keeps the field ids', async () => {
    const m = await (await catalog.backend.loadTable('db', 't'))!.load();
    const snap = m.snapshots[m.snapshots.length - 1];
    const listBytes = await fs.readFile(snap['manifest-list']);
    const list = readAvroFile(listBytes);
    expect(list.metadata['avro.codec']).toBe('deflate');
    expect(list.metadata['snapshot-id']).toBe(String(snap['snapshot-id']));
    const schemaText = list.metadata['avro.schema'];
    for (const id of [500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 512, 513, 514, 515, 516, 517, 518]) {
      expect(schemaText).toContain(`"field-id":${id}`.replace('"field-id":508', '"element-id":508'));
    }
    expect(listBytes.includes(Buffer.from('"field-id":500'))).toBe(true);
    const manifestPath = String(list.records[0].manifest_path);
    const manifest = readAvroFile(await fs.readFile(manifestPath));
    expect(manifest.metadata['format-version']).toBe('2');
    expect(manifest.metadata.content).toBe('data');
    expect(JSON.parse(manifest.metadata.schema).fields[0]).toMatchObject({ id: 1, name: 'id', type: 'long' });
    for (const id of [0, 1, 2, 3, 4, 100, 101, 102, 103, 104, 108, 109, 110, 117, 118, 119, 120, 121, 122, 125, 126, 127, 128, 129, 130, 134, 137, 138, 139]) {
      expect(manifest.metadata['avro.schema']).toContain(`"field-id":${id}`);
    }
    expect(typeof manifest.records[0].snapshot_id).toBe('bigint');
  });
});

describe('tables created by another library', () => {
  it('loads an icebird-created table, appends to it, and icebird reads the rows', async () => {
    const { icebergCreate } = await import('icebird');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const tableUrl = path.join(dir, 'db', 'foreign');
    await icebergCreate({
      tableUrl,
      schema: {
        type: 'struct',
        'schema-id': 0,
        fields: [
          { id: 1, name: 'id', required: false, type: 'long' },
          { id: 2, name: 'name', required: false, type: 'string' },
        ],
      },
      writerFactory: (file: string) => {
        const chunks: Uint8Array[] = [];
        return {
          appendBytes: (b: Uint8Array) => chunks.push(b),
          finish: () => {
            mkdirSync(path.dirname(file), { recursive: true });
            writeFileSync(file, Buffer.concat(chunks));
          },
        } as never;
      },
    } as never);
    expect(await catalog.listTables('db')).toContain('foreign');
    const d: TableDescriptor = { path: { catalog: 'c', database: 'db', table: 'foreign' }, physical: [{ name: 'id', type: T.bigint() }, { name: 'name', type: T.string() }], metadata: [], options: {}, partitionKeys: [] };
    const sink = catalog.tableFactory().createSink!(d, { config: new Map() });
    await sink.open(runtimeContext('interop'));
    await sink.write([[1, 'one'], [2, 'two']]);
    await sink.commit(1, [await sink.prepareCommit(1)]);
    const rows = await withLocalFetch(() => icebergRead({ tableUrl }));
    expect(rows.map((r: Record<string, unknown>) => [Number(r.id), r.name])).toEqual([[1, 'one'], [2, 'two']]);
  });
});

describe('catalog options', () => {
  it('rejects unknown or missing options with a suggestion, never printing secrets', () => {
    expect(() => icebergCatalogFactory.create('x', { type: 'iceberg', 'catalog-type': 'hadoop', warehous: '/tmp/x' })).toThrow(/warehous.*did you mean 'warehouse'/);
    expect(() => icebergCatalogFactory.create('x', { type: 'iceberg', 'catalog-type': 'hadoop' })).toThrow(/Missing required option 'warehouse'/);
    expect(() => icebergCatalogFactory.create('x', { type: 'iceberg', 'catalog-type': 'rest' })).toThrow(/Missing required option 'uri'/);
    expect(() => icebergCatalogFactory.create('x', { type: 'iceberg', 'catalog-type': 'hive', warehouse: '/x' })).toThrow(/catalog-type/);
    const c = icebergCatalogFactory.create('s1', {
      type: 'iceberg', 'catalog-type': 'rest', uri: 'http://127.0.0.1:1', warehouse: 's3://warehouse/', 'io-impl': 'org.apache.iceberg.aws.s3.S3FileIO',
      's3.endpoint': 'http://127.0.0.1:2', 's3.path-style-access': 'true', 's3.secret-access-key': 'hidden-key', credential: 'a:hidden-cred',
    });
    expect(String(c)).not.toMatch(/hidden/);
  });
});

describe('two sinks of one job into one table (a statement set)', () => {
  it('commits both for the same checkpoint', async () => {
    await catalog.createTable('db', 'shared', { kind: 'table', columns: physical.map((p) => ({ kind: 'physical' as const, ...p })), partitionKeys: [], options: {} }, false);
    const a = catalog.tableFactory().createSink!(desc('shared'), { config: new Map() });
    const b = catalog.tableFactory().createSink!(desc('shared'), { config: new Map() });
    await a.open(runtimeContext('one-job'));
    await b.open(runtimeContext('one-job'));
    await a.write([[1, 'a']]);
    await b.write([[2, 'b']]);
    const ca = await a.prepareCommit(1);
    const cb = await b.prepareCommit(1);
    await a.commit(1, [ca]);
    await b.commit(1, [cb]);
    await a.commit(1, [ca]); // replays stay no-ops
    await b.commit(1, [cb]);
    const m = await (await catalog.backend.loadTable('db', 'shared'))!.load();
    expect(m.snapshots).toHaveLength(2);
    const rows = await withLocalFetch(() => icebergRead({ tableUrl: path.join(dir, 'db/shared') }));
    expect(rows.map((r: Record<string, unknown>) => Number(r.id)).sort()).toEqual([1, 2]);
  });
});

describe('manifest merging', () => {
  it('keeps the manifest list short under many small commits', async () => {
    await catalog.createTable('db', 'many', { kind: 'table', columns: physical.map((p) => ({ kind: 'physical' as const, ...p })), partitionKeys: [], options: { 'commit.manifest.min-count-to-merge': '5' } }, false);
    const sink = catalog.tableFactory().createSink!(desc('many'), { config: new Map() });
    await sink.open(runtimeContext('many'));
    for (let cp = 1; cp <= 12; cp++) {
      await sink.write([[cp, 'x']]);
      await sink.commit(cp, [await sink.prepareCommit(cp)]);
    }
    const ops = (await catalog.backend.loadTable('db', 'many'))!;
    const m = await ops.load();
    const cur = m.snapshots.find((s) => s['snapshot-id'] === m['current-snapshot-id'])!;
    const { readManifestList } = await import('../../src/connectors/iceberg/manifest.js');
    const list = await readManifestList(ops.io, cur['manifest-list']);
    expect(list.length).toBeLessThan(6);
    expect(list.reduce((a, x) => a + x.addedRowsCount + x.existingRowsCount, 0)).toBe(12);
    expect(cur.summary['total-records']).toBe('12');
    const rows = await withLocalFetch(() => icebergRead({ tableUrl: path.join(dir, 'db/many') }));
    expect(rows.map((r: Record<string, unknown>) => Number(r.id)).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});

describe('unsupported write modes', () => {
  it("refuses 'write.upsert.enabled' on a table without a key instead of appending duplicates", async () => {
    const d = { ...desc('t'), options: { 'write.upsert.enabled': 'true' } };
    const sink = catalog.tableFactory().createSink!(d, { config: new Map() });
    await expect(sink.open(runtimeContext('ups'))).rejects.toThrow(/Equality field columns shouldn't be empty when configuring to use UPSERT data stream/);
  });
});
