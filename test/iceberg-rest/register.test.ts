// Register-table through Iceberg's own REST catalog server: CREATE TABLE … WITH
// ('metadata-location' = …) in a REST catalog sends POST /v1/namespaces/{ns}/register, and the
// registered table reads like the original.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icebergCatalogFactory, type IcebergCatalog } from '../../src/connectors/iceberg/index.js';
import type { DynamicSource, TableDescriptor } from '../../src/common/connector.js';
import { T, type Field, type Row } from '../../src/common/types.js';
import { runtimeContext } from '../iceberg/helpers.js';
import { hasPeer, peer, skipReason } from '../peers/index.js';
import type { IcebergRestEndpoint } from '../peers/iceberg-rest.js';
import { readIcebergTable } from '../peers/pyiceberg.js';

const DB = 'register_demo';
const physical: Field[] = [
  { name: 'id', type: T.bigint() },
  { name: 'name', type: T.string() },
];
const desc = (table: string): TableDescriptor => ({ path: { catalog: 'rest', database: DB, table }, physical, metadata: [], options: {}, partitionKeys: [] });

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

describe.skipIf(!hasPeer('iceberg-rest'))(`register-table on Iceberg's REST server (${skipReason('iceberg-rest') ?? 'running'})`, () => {
  let catalog: IcebergCatalog;
  beforeAll(async () => {
    const rest = peer<IcebergRestEndpoint>('iceberg-rest');
    catalog = icebergCatalogFactory.create('rest', { type: 'iceberg', 'catalog-type': 'rest', uri: rest.uri, warehouse: 'wh', credential: 'tsstream:secret' }) as IcebergCatalog;
    await catalog.open();
    await catalog.createDatabase(DB, true);
  });
  afterAll(async () => {
    await catalog?.close();
  });

  it('registers a table by its metadata file and reads it', async () => {
    await catalog.createTable(DB, 'original', { kind: 'table', columns: physical.map((p) => ({ kind: 'physical' as const, ...p })), partitionKeys: [], options: {} }, false);
    const sink = catalog.tableFactory().createSink!(desc('original'), { config: new Map() });
    await sink.open(runtimeContext('job-reg'));
    await sink.write([[1, 'one'], [2, 'two']]);
    await sink.commit(1, [await sink.prepareCommit(1)]);
    await sink.close();
    const rest = peer<IcebergRestEndpoint>('iceberg-rest');
    const location = (await readIcebergTable({ kind: 'rest', uri: rest.uri }, `${DB}.original`)).metadataLocation;
    expect(location).toMatch(/\.metadata\.json$/);

    await catalog.createTable(DB, 'registered', { kind: 'table', columns: [], partitionKeys: [], options: { 'metadata-location': location } }, false);
    expect((await catalog.listTables(DB)).sort()).toEqual(['original', 'registered']);
    const rows = await drain(catalog.tableFactory().createSource!(desc('registered'), { batch: true }, { config: new Map() }));
    expect(rows.map((r) => `${r[0]}:${r[1]}`).sort()).toEqual(['1:one', '2:two']);
    await expect(
      catalog.createTable(DB, 'registered', { kind: 'table', columns: [], partitionKeys: [], options: { 'metadata-location': location } }, false),
    ).rejects.toThrow(/already exists/);
  }, 120_000);
});
