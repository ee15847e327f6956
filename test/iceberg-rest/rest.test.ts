// tsstream's REST catalog client against Apache Iceberg's own REST catalog server (the fixture of
// the apache/iceberg-rest-fixture image, shared by the test run), with a local warehouse. A relay
// in front of it shows what tsstream sends and stands in for the network (held or lost answers);
// pyiceberg reads back what tsstream committed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { icebergCatalogFactory, type IcebergCatalog, maxCommittedCheckpoint } from '../../src/connectors/iceberg/index.js';
import type { CatalogTable } from '../../src/common/catalog.js';
import type { DynamicSource, TableDescriptor } from '../../src/common/connector.js';
import { T, type Field, type Row } from '../../src/common/types.js';
import { runtimeContext } from '../iceberg/helpers.js';
import { hasPeer, peer, skipReason } from '../peers/index.js';
import type { IcebergRestEndpoint } from '../peers/iceberg-rest.js';
import { fieldSummary, readIcebergTable, writeIcebergTable } from '../peers/pyiceberg.js';
import { startRelay, type RestRelay } from './proxy.js';

const DB = 'rest_demo';
const SECRET = 'client-secret-do-not-print';
const physical: Field[] = [
  { name: 'event_id', type: T.string() },
  { name: 'event_type', type: T.string() },
  { name: 'event_time', type: T.timestamp(6) },
];
const desc = (table: string, fields: Field[] = physical): TableDescriptor => ({
  path: { catalog: 'rest', database: DB, table },
  physical: fields,
  metadata: [],
  options: {},
  partitionKeys: [],
});

let relay: RestRelay;
let catalog: IcebergCatalog;
const rest = () => peer<IcebergRestEndpoint>('iceberg-rest');
const restOptions = () => ({ type: 'iceberg', 'catalog-type': 'rest', uri: relay.uri, warehouse: 'wh', credential: `tsstream:${SECRET}` });

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

describe.skipIf(!hasPeer('iceberg-rest'))(`Iceberg REST catalog (Iceberg's server: ${skipReason('iceberg-rest') ?? 'running'})`, () => {
  beforeAll(async () => {
    relay = await startRelay(rest().uri);
    catalog = icebergCatalogFactory.create('rest', restOptions()) as IcebergCatalog;
    await catalog.open();
  });

  afterAll(async () => {
    await catalog?.close();
    await relay?.close();
  });

  it('reads /v1/config, gets an OAuth2 token from the server and sends it on every request', async () => {
    await catalog.createDatabase(DB, false);
    await catalog.createDatabase(DB, true);
    expect(await catalog.listDatabases()).toEqual(expect.arrayContaining([DB]));
    expect(await catalog.databaseExists(DB)).toBe(true);
    expect(await catalog.databaseExists('rest_nope')).toBe(false);
    const paths = relay.seen.map((s) => `${s.method} ${s.path}`);
    expect(paths.filter((p) => p === 'POST /v1/oauth/tokens')).toHaveLength(1);
    expect(paths).toContain('GET /v1/config');
    expect(paths).toContain('POST /v1/namespaces');
    // Iceberg's server issues 'client-credentials-token:sub=<client id>' for client credentials.
    for (const s of relay.seen.filter((x) => x.path !== '/v1/oauth/tokens')) expect(s.authorization).toBe('Bearer client-credentials-token:sub=tsstream');
  });

  it('creates, describes, writes and reads a table; pyiceberg reads the same', async () => {
    await catalog.createTable(DB, 'events', { kind: 'table', columns: physical.map((p) => ({ kind: 'physical' as const, ...p })), partitionKeys: ['event_type'], options: {} }, false);
    await expect(catalog.createTable(DB, 'events', { kind: 'table', columns: [], partitionKeys: [], options: {} }, false)).rejects.toThrow(/already exists/);
    expect(await catalog.listTables(DB)).toEqual(['events']);
    const t = (await catalog.getTable(DB, 'events')) as CatalogTable;
    expect(t.partitionKeys).toEqual(['event_type']);
    await writeCheckpoint(catalog, 'job-r', 1, [
      ['e001', 'click', 1_767_002_400_000_000],
      ['e002', 'view', 1_767_002_405_000_000],
      ['e003', 'purchase', 1_767_002_410_000_000],
    ]);
    const rows = await drain(catalog.tableFactory().createSource!(desc('events'), { batch: true }, { config: new Map() }));
    expect(rows.map((r) => r[0]).sort()).toEqual(['e001', 'e002', 'e003']);
    // Iceberg's Python implementation reads the table through the same server.
    const py = await readIcebergTable({ kind: 'rest', uri: rest().uri }, `${DB}.events`);
    expect(fieldSummary(py)).toEqual([
      [1, 'event_id', 'string'],
      [2, 'event_type', 'string'],
      [3, 'event_time', 'timestamp'],
    ]);
    expect(py.spec.fields).toEqual([expect.objectContaining({ 'source-id': 2, transform: 'identity', name: 'event_type' })]);
    expect(py.rows.sort()).toEqual([
      ['e001', 'click', '2025-12-29T10:00:00.000000'],
      ['e002', 'view', '2025-12-29T10:00:05.000000'],
      ['e003', 'purchase', '2025-12-29T10:00:10.000000'],
    ]);
    expect(py.currentSnapshot?.summary).toMatchObject({ operation: 'append', 'added-records': '3', 'added-data-files': '3', 'total-records': '3', 'tsstream.job-id': 'job-r' });
    const m = await (await catalog.backend.loadTable(DB, 'events'))!.load();
    expect(py.currentSnapshot?.snapshotId).toBe(String(m['current-snapshot-id']));
  }, 120_000);

  it('lands concurrent commits: Iceberg answers 409 to the losers, which reload and retry', async () => {
    const others = await Promise.all(
      [0, 1, 2].map(async () => {
        const c = icebergCatalogFactory.create('rest', restOptions()) as IcebergCatalog;
        await c.open();
        return c;
      }),
    );
    const before = relay.seen.length;
    relay.gatherCommits(3); // all three commit against the same snapshot
    await Promise.all(others.map((c, i) => writeCheckpoint(c, `job-c${i}`, 1, [[`c${i}`, 'click', i]])));
    const commits = relay.seen.slice(before).filter((s) => s.method === 'POST' && s.path.endsWith(`/${DB}/tables/events`));
    expect(commits.filter((s) => s.status === 409).length).toBeGreaterThanOrEqual(2);
    expect(commits.filter((s) => s.status === 200)).toHaveLength(3);
    const m = await (await catalog.backend.loadTable(DB, 'events'))!.load();
    for (let i = 0; i < 3; i++) expect(maxCommittedCheckpoint(m, `job-c${i}`)).toBe(1);
    expect(m.snapshots).toHaveLength(4);
    const py = await readIcebergTable({ kind: 'rest', uri: rest().uri }, `${DB}.events`);
    expect(py.snapshots).toHaveLength(4);
    expect(py.rows.map((r) => r[0]).sort()).toEqual(['c0', 'c1', 'c2', 'e001', 'e002', 'e003']);
    await Promise.all(others.map((c) => c.close()));
  }, 120_000);

  it('after an unknown commit outcome, finds the commit instead of repeating it', async () => {
    const before = (await (await catalog.backend.loadTable(DB, 'events'))!.load()).snapshots.length;
    relay.loseNextCommitAnswer(); // Iceberg commits it; tsstream sees a 503
    await writeCheckpoint(catalog, 'job-u', 5, [['u1', 'view', 0]]);
    const m = await (await catalog.backend.loadTable(DB, 'events'))!.load();
    expect(m.snapshots.length).toBe(before + 1);
    expect(m.snapshots.filter((s) => s.summary['tsstream.job-id'] === 'job-u')).toHaveLength(1);
    const rows = await drain(catalog.tableFactory().createSource!(desc('events'), { batch: true }, { config: new Map() }));
    expect(rows.filter((r) => r[0] === 'u1')).toHaveLength(1);
    const py = await readIcebergTable({ kind: 'rest', uri: rest().uri }, `${DB}.events`);
    expect(py.rows.filter((r) => r[0] === 'u1')).toEqual([['u1', 'view', '1970-01-01T00:00:00.000000']]);
    expect(py.currentSnapshot?.summary).toMatchObject({ 'tsstream.job-id': 'job-u', 'added-records': '1', 'total-records': '7' });
  }, 120_000);

  it('shows $snapshots through the REST catalog', async () => {
    const t = (await catalog.getTable(DB, 'events$snapshots')) as CatalogTable;
    const fields = t.columns.map((c) => ({ name: c.name, type: (c as { type: Field['type'] }).type }));
    const rows = await drain(catalog.tableFactory().createSource!(desc('events$snapshots', fields), { batch: true }, { config: new Map() }));
    expect(rows).toHaveLength(5);
    expect((rows[0][5] as Map<string, string>).get('added-records')).toBe('3');
  });

  it('reads a table that pyiceberg wrote through the same server', async () => {
    await writeIcebergTable({ kind: 'rest', uri: rest().uri }, `${DB}.from_py`, {
      columns: [
        { name: 'id', type: 'long', required: true },
        { name: 'name', type: 'string' },
        { name: 'amount', type: 'decimal(12, 2)' },
        { name: 'at', type: 'timestamp' },
      ],
      rows: [
        ['9007199254740993', 'big', '1234567890.12', '2025-12-29T10:00:00.123456'],
        ['-1', null, null, null],
      ],
    });
    const t = (await catalog.getTable(DB, 'from_py')) as CatalogTable;
    const fields = t.columns.map((c) => ({ name: c.name, type: (c as { type: Field['type'] }).type }));
    expect(fields.map((f) => [f.name, f.type.kind, f.type.nullable])).toEqual([
      ['id', 'BIGINT', false],
      ['name', 'VARCHAR', true],
      ['amount', 'DECIMAL', true],
      ['at', 'TIMESTAMP', true],
    ]);
    const rows = await drain(catalog.tableFactory().createSource!(desc('from_py', fields), { batch: true }, { config: new Map() }));
    rows.sort((a, b) => Number(a[0]) - Number(b[0]));
    // BIGINT beyond 2^53 arrives exact (as a bigint); DECIMAL(12, 2) as its unscaled integer.
    expect(rows).toEqual([
      [-1, null, null, null],
      [9007199254740993n, 'big', 123456789012, 1_767_002_400_123_456],
    ]);
  }, 120_000);

  it('never shows the client secret', async () => {
    const down = icebergCatalogFactory.create('down', { type: 'iceberg', 'catalog-type': 'rest', uri: 'http://127.0.0.1:9', credential: 'tsstream:wrong-secret-value' }) as IcebergCatalog;
    const err = await down.open().catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/cannot reach/);
    expect((err as Error).message).not.toContain('wrong-secret-value');
    expect(String(down)).not.toContain('wrong-secret-value');
    expect(inspect(down, { depth: 5 })).not.toContain('wrong-secret-value');
  });

  it('accepts a static bearer token', async () => {
    const res = await fetch(`${rest().uri}/v1/oauth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'static', client_secret: SECRET }).toString(),
    });
    const token = ((await res.json()) as { access_token: string }).access_token;
    const before = relay.seen.length;
    const c = icebergCatalogFactory.create('tok', { type: 'iceberg', 'catalog-type': 'rest', uri: relay.uri, token }) as IcebergCatalog;
    await c.open();
    expect(await c.listTables(DB)).toEqual(['events', 'from_py']);
    await c.close();
    const seen = relay.seen.slice(before);
    expect(seen.some((s) => s.path === '/v1/oauth/tokens')).toBe(false);
    for (const s of seen) expect(s.authorization).toBe(`Bearer ${token}`);
  });

  it('drops tables and namespaces', async () => {
    await catalog.createDatabase('rest_tmp', false);
    await catalog.createTable('rest_tmp', 'x', { kind: 'table', columns: [{ kind: 'physical', name: 'a', type: T.int() }], partitionKeys: [], options: {} }, false);
    await expect(catalog.dropDatabase('rest_tmp', false, false)).rejects.toThrow(/not empty/);
    await catalog.dropTable('rest_tmp', 'x', false);
    expect(await catalog.getTable('rest_tmp', 'x')).toBeUndefined();
    await catalog.dropDatabase('rest_tmp', false, false);
    expect(await catalog.databaseExists('rest_tmp')).toBe(false);
  });
});
