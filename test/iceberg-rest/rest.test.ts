import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { icebergRead } from 'icebird';
import { icebergCatalogFactory, type IcebergCatalog, maxCommittedCheckpoint } from '../../src/connectors/iceberg/index.js';
import type { CatalogTable } from '../../src/common/catalog.js';
import type { DynamicSource, TableDescriptor } from '../../src/common/connector.js';
import { T, type Field, type Row } from '../../src/common/types.js';
import { runtimeContext, tempDir, withLocalFetch } from '../iceberg/helpers.js';
import { startRestServer, type RestServer } from './server.js';

let dir: string;
let server: RestServer;
let catalog: IcebergCatalog;
const SECRET = 'client-secret-do-not-print';
const physical: Field[] = [
  { name: 'event_id', type: T.string() },
  { name: 'event_type', type: T.string() },
  { name: 'event_time', type: T.timestamp(6) },
];
const desc = (table: string, fields: Field[] = physical): TableDescriptor => ({
  path: { catalog: 'rest', database: 'demo', table },
  physical: fields,
  metadata: [],
  options: {},
  partitionKeys: [],
});
const restOptions = () => ({ type: 'iceberg', 'catalog-type': 'rest', uri: server.uri, warehouse: 'wh', credential: `tsstream:${SECRET}` });

async function drain(src: DynamicSource): Promise<Row[]> {
  await src.open(runtimeContext());
  const out: Row[] = [];
  for (;;) {
    const b = await src.poll(10);
    if (!b) break;
    for (const x of b) out.push(...x.rows);
  }
  await src.close();
  return out;
}

async function writeCheckpoint(cat: IcebergCatalog, jobId: string, cp: number, rows: Row[]): Promise<void> {
  const sink = cat.tableFactory().createSink!(desc('events'), { config: new Map() });
  await sink.open(runtimeContext(jobId));
  await sink.write(rows);
  await sink.commit(cp, [await sink.prepareCommit(cp)]);
  await sink.close();
}

beforeAll(async () => {
  dir = await tempDir('tsstream-rest-');
  server = await startRestServer({ warehouse: dir, prefix: 'ws1', clientId: 'tsstream', clientSecret: SECRET });
  catalog = icebergCatalogFactory.create('rest', restOptions()) as IcebergCatalog;
  await catalog.open();
});

afterAll(async () => {
  await catalog?.close();
  await server?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Iceberg REST catalog', () => {
  it('uses the prefix from /v1/config and an OAuth2 token', async () => {
    await catalog.createDatabase('demo', false);
    await catalog.createDatabase('demo', true);
    expect(await catalog.listDatabases()).toEqual(expect.arrayContaining(['demo']));
    expect(await catalog.databaseExists('demo')).toBe(true);
    expect(await catalog.databaseExists('nope')).toBe(false);
    expect(server.tokensIssued).toBe(1);
    expect(server.log).toContain('GET /v1/config');
    expect(server.log).toContain('POST /v1/ws1/namespaces');
  });

  it('creates, describes, writes and reads a table', async () => {
    await catalog.createTable('demo', 'events', { kind: 'table', columns: physical.map((p) => ({ kind: 'physical' as const, ...p })), partitionKeys: ['event_type'], options: {} }, false);
    await expect(catalog.createTable('demo', 'events', { kind: 'table', columns: [], partitionKeys: [], options: {} }, false)).rejects.toThrow(/already exists/);
    expect(await catalog.listTables('demo')).toEqual(['events']);
    const t = (await catalog.getTable('demo', 'events')) as CatalogTable;
    expect(t.partitionKeys).toEqual(['event_type']);
    await writeCheckpoint(catalog, 'job-r', 1, [
      ['e001', 'click', 1_767_002_400_000_000],
      ['e002', 'view', 1_767_002_405_000_000],
      ['e003', 'purchase', 1_767_002_410_000_000],
    ]);
    const rows = await drain(catalog.tableFactory().createSource!(desc('events'), { batch: true }, { config: new Map() }));
    expect(rows.map((r) => r[0]).sort()).toEqual(['e001', 'e002', 'e003']);
    // Another engine reads the same table by its location.
    const read = await withLocalFetch(() => icebergRead({ tableUrl: path.join(dir, 'demo/events') }));
    expect(read).toHaveLength(3);
  });

  it('lands concurrent commits (409 → reload and retry)', async () => {
    const others = await Promise.all([0, 1, 2].map(async () => {
      const c = icebergCatalogFactory.create('rest', restOptions()) as IcebergCatalog;
      await c.open();
      return c;
    }));
    server.conflictNext = 2;
    await Promise.all(others.map((c, i) => writeCheckpoint(c, `job-c${i}`, 1, [[`c${i}`, 'click', i]])));
    const m = await (await catalog.backend.loadTable('demo', 'events'))!.load();
    for (let i = 0; i < 3; i++) expect(maxCommittedCheckpoint(m, `job-c${i}`)).toBe(1);
    expect(m.snapshots).toHaveLength(4);
    await Promise.all(others.map((c) => c.close()));
  });

  it('after an unknown commit outcome, finds the commit instead of repeating it', async () => {
    const before = (await (await catalog.backend.loadTable('demo', 'events'))!.load()).snapshots.length;
    server.failAfterApplyNext = 1;
    await writeCheckpoint(catalog, 'job-u', 5, [['u1', 'view', 0]]);
    const m = await (await catalog.backend.loadTable('demo', 'events'))!.load();
    expect(m.snapshots.length).toBe(before + 1);
    expect(m.snapshots.filter((s) => s.summary['tsstream.job-id'] === 'job-u')).toHaveLength(1);
    const rows = await drain(catalog.tableFactory().createSource!(desc('events'), { batch: true }, { config: new Map() }));
    expect(rows.filter((r) => r[0] === 'u1')).toHaveLength(1);
  });

  it('shows $snapshots through the REST catalog', async () => {
    const t = (await catalog.getTable('demo', 'events$snapshots')) as CatalogTable;
    const fields = t.columns.map((c) => ({ name: c.name, type: (c as { type: Field['type'] }).type }));
    const rows = await drain(catalog.tableFactory().createSource!(desc('events$snapshots', fields), { batch: true }, { config: new Map() }));
    expect(rows).toHaveLength(5);
    expect((rows[0][5] as Map<string, string>).get('added-records')).toBe('3');
  });

  it('refuses bad credentials without printing them', async () => {
    const bad = icebergCatalogFactory.create('bad', { ...restOptions(), credential: 'tsstream:wrong-secret-value' }) as IcebergCatalog;
    const err = await bad.open().catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/401/);
    expect((err as Error).message).not.toContain('wrong-secret-value');
    expect(String(bad)).not.toContain('wrong-secret-value');
    const unauth = icebergCatalogFactory.create('anon', { type: 'iceberg', 'catalog-type': 'rest', uri: server.uri }) as IcebergCatalog;
    await expect(unauth.open()).rejects.toThrow(/401/);
  });

  it('accepts a static bearer token', async () => {
    const res = await fetch(`${server.uri}/v1/oauth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'tsstream', client_secret: SECRET }).toString(),
    });
    const token = ((await res.json()) as { access_token: string }).access_token;
    const c = icebergCatalogFactory.create('tok', { type: 'iceberg', 'catalog-type': 'rest', uri: server.uri, token }) as IcebergCatalog;
    await c.open();
    expect(await c.listTables('demo')).toEqual(['events']);
    await c.close();
  });

  it('drops tables and namespaces', async () => {
    await catalog.createDatabase('tmp', false);
    await catalog.createTable('tmp', 'x', { kind: 'table', columns: [{ kind: 'physical', name: 'a', type: T.int() }], partitionKeys: [], options: {} }, false);
    await expect(catalog.dropDatabase('tmp', false, false)).rejects.toThrow(/not empty/);
    await catalog.dropTable('tmp', 'x', false);
    expect(await catalog.getTable('tmp', 'x')).toBeUndefined();
    await catalog.dropDatabase('tmp', false, false);
    expect(await catalog.databaseExists('tmp')).toBe(false);
  });
});
