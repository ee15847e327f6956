// The Glue catalog on moto (Glue + S3 on one port): databases and tables as Glue objects in the
// shape Iceberg's GlueCatalog gives them, SQL jobs writing through it, two writers on one table
// decided by the Glue table version, and pyiceberg's GlueCatalog reading what tsstream wrote and
// writing what tsstream reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetDatabaseCommand, GetTableCommand } from '@aws-sdk/client-glue';
import { Session, collectQuery } from '../../src/cli/session.js';
import { hasPeer, peer, skipReason } from '../peers/index.js';
import type { MotoEndpoint } from '../peers/moto.js';
import { freshBucket, listKeys } from '../peers/s3-util.js';
import { glueCatalogOptions, glueClient, pyGlueProps, pyReadGlue, pyWriteGlue, startGlueGuard, withClause } from './helpers.js';

const ready = hasPeer('moto') && hasPeer('pyiceberg');
let moto: MotoEndpoint;
let bucket: string;

async function run(sql: string): Promise<unknown[][] | undefined> {
  const session = new Session({ log: () => {} });
  try {
    const results = await session.executeAll(sql);
    let rows: unknown[][] | undefined;
    for (const r of results) {
      if (r.kind === 'job') await r.job.run();
      if (r.kind === 'query') rows = await collectQuery(r);
      if (r.kind === 'table') rows = r.rows;
    }
    return rows;
  } finally {
    await session.close();
  }
}

describe.skipIf(!ready)(`Glue catalog on moto (${skipReason('moto') ?? skipReason('pyiceberg') ?? 'moto running'})`, () => {
  let catalog: string;
  beforeAll(async () => {
    moto = peer<MotoEndpoint>('moto');
    bucket = await freshBucket(moto, 'glue');
    catalog = `CREATE CATALOG glue WITH (${withClause(glueCatalogOptions(moto, `s3://${bucket}/wh`))});`;
  }, 60_000);

  it('creates, lists and drops Glue databases and tables in the shape Iceberg writes them', async () => {
    const rows = await run(`${catalog}
      CREATE DATABASE glue.shop_a;
      CREATE TABLE glue.shop_a.orders (id BIGINT, item STRING, price DECIMAL(10, 2)) WITH ('write.format.default' = 'parquet');
      SHOW TABLES IN glue.shop_a;`);
    expect(rows).toEqual([['orders']]);
    const glue = glueClient(moto);
    try {
      const db = await glue.send(new GetDatabaseCommand({ Name: 'shop_a' }));
      expect(db.Database?.Name).toBe('shop_a');
      const t = (await glue.send(new GetTableCommand({ DatabaseName: 'shop_a', Name: 'orders' }))).Table!;
      expect(t.TableType).toBe('EXTERNAL_TABLE');
      expect(t.Parameters?.table_type).toBe('ICEBERG');
      expect(t.Parameters?.metadata_location).toMatch(new RegExp(`^s3://${bucket}/wh/shop_a\\.db/orders/metadata/00000-[0-9a-f-]{36}\\.metadata\\.json$`));
      expect(t.StorageDescriptor?.Location).toBe(`s3://${bucket}/wh/shop_a.db/orders`);
      expect(t.StorageDescriptor?.Columns?.map((c) => [c.Name, c.Type, c.Parameters?.['iceberg.field.id']])).toEqual([
        ['id', 'bigint', '1'],
        ['item', 'string', '2'],
        ['price', 'decimal(10,2)', '3'],
      ]);
    } finally {
      glue.destroy();
    }
    expect(await run(`${catalog} USE CATALOG glue; SHOW DATABASES;`)).toContainEqual(['shop_a']);
    await run(`${catalog} DROP TABLE glue.shop_a.orders; DROP DATABASE glue.shop_a;`);
    expect(await run(`${catalog} USE CATALOG glue; SHOW DATABASES;`)).not.toContainEqual(['shop_a']);
    expect((await listKeys(moto, bucket, 'wh/shop_a.db/orders/')).length).toBe(0);
  }, 60_000);

  it('writes with a SQL job; pyiceberg GlueCatalog reads the table; tsstream reads it back', async () => {
    await run(`${catalog}
      CREATE DATABASE glue.shop_b;
      CREATE TABLE glue.shop_b.orders (id BIGINT, item STRING, price DECIMAL(10, 2));
      INSERT INTO glue.shop_b.orders VALUES (1, 'apple', 1.25), (2, 'pear', 2.50), (9007199254740993, 'fig', 99999999.99);`);
    const py = await pyReadGlue(pyGlueProps(moto, `s3://${bucket}/wh`), 'shop_b.orders');
    expect(py.rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      ['1', 'apple', '1.25'],
      ['9007199254740993', 'fig', '99999999.99'],
      ['2', 'pear', '2.50'],
    ]);
    expect(py.snapshots).toHaveLength(1);
    const rows = await run(`${catalog} SET 'execution.runtime-mode' = 'batch'; SELECT id, item, price FROM glue.shop_b.orders ORDER BY item;`);
    expect(rows).toEqual([
      [1, 'apple', 125],
      [9007199254740993n, 'fig', 9999999999],
      [2, 'pear', 250],
    ]);
  }, 90_000);

  it('reads a table pyiceberg created and appended through Glue, and appends to it', async () => {
    const props = pyGlueProps(moto, `s3://${bucket}/wh`);
    const w = await pyWriteGlue(props, 'shop_c.events', {
      columns: [
        { name: 'id', type: 'long' },
        { name: 'kind', type: 'string' },
      ],
      rows: [
        ['1', 'click'],
        ['2', 'view'],
      ],
    });
    expect(w.created).toBe(true);
    const rows = await run(`${catalog} SET 'execution.runtime-mode' = 'batch';
      INSERT INTO glue.shop_c.events VALUES (3, 'buy');
      SELECT id, kind FROM glue.shop_c.events ORDER BY id;`);
    expect(rows).toEqual([
      [1, 'click'],
      [2, 'view'],
      [3, 'buy'],
    ]);
    const py = await pyReadGlue(props, 'shop_c.events');
    expect(py.rows.map((r) => r[0]).sort()).toEqual(['1', '2', '3']);
    expect(py.snapshots).toHaveLength(2);
  }, 90_000);

  it('two writers committing at once to one table both land (Glue table version, reload and retry)', async () => {
    const guard = await startGlueGuard(moto);
    const guarded = `CREATE CATALOG glue WITH (${withClause(glueCatalogOptions(moto, `s3://${bucket}/wh`, guard.endpoint))});`;
    try {
      await run(`${guarded} CREATE DATABASE glue.shop_d; CREATE TABLE glue.shop_d.t (writer STRING, n INT);`);
      guard.gatherUpdates(2);
      await Promise.all([
        run(`${guarded} INSERT INTO glue.shop_d.t VALUES ('a', 1), ('a', 2);`),
        run(`${guarded} INSERT INTO glue.shop_d.t VALUES ('b', 1), ('b', 2), ('b', 3);`),
      ]);
      // Both read one table version: Glue let one through and refused the other, which retried.
      expect(guard.refused).toBe(1);
      expect(guard.updated).toBe(2);
    } finally {
      await guard.close();
    }
    const rows = await run(`${catalog} SET 'execution.runtime-mode' = 'batch'; SELECT writer, n FROM glue.shop_d.t ORDER BY writer, n;`);
    expect(rows).toEqual([
      ['a', 1],
      ['a', 2],
      ['b', 1],
      ['b', 2],
      ['b', 3],
    ]);
    const py = await pyReadGlue(pyGlueProps(moto, `s3://${bucket}/wh`), 'shop_d.t');
    expect(py.snapshots).toHaveLength(2);
  }, 90_000);

  it('RENAME TO creates the new Glue table from the old one and deletes the old (as GlueCatalog); pyiceberg reads it by the new name', async () => {
    await run(`${catalog}
      CREATE DATABASE glue.shop_r;
      CREATE TABLE glue.shop_r.t (id BIGINT, item STRING);
      CREATE TABLE glue.shop_r.taken (a INT);
      INSERT INTO glue.shop_r.t VALUES (1, 'apple'), (2, 'pear');`);
    const glue = glueClient(moto);
    try {
      const before = (await glue.send(new GetTableCommand({ DatabaseName: 'shop_r', Name: 't' }))).Table!;
      await run(`${catalog} ALTER TABLE glue.shop_r.t RENAME TO u;`);
      const after = (await glue.send(new GetTableCommand({ DatabaseName: 'shop_r', Name: 'u' }))).Table!;
      expect(after.Parameters?.metadata_location).toBe(before.Parameters?.metadata_location);
      expect(after.StorageDescriptor?.Location).toBe(before.StorageDescriptor?.Location);
      await expect(glue.send(new GetTableCommand({ DatabaseName: 'shop_r', Name: 't' }))).rejects.toThrow(/not found/i);
    } finally {
      glue.destroy();
    }
    expect(await run(`${catalog} SHOW TABLES IN glue.shop_r;`)).toEqual([['taken'], ['u']]);
    expect(await run(`${catalog} SET 'execution.runtime-mode' = 'batch'; SELECT id, item FROM glue.shop_r.u;`)).toEqual([
      [1, 'apple'],
      [2, 'pear'],
    ]);
    await expect(run(`${catalog} ALTER TABLE glue.shop_r.u RENAME TO taken;`)).rejects.toThrow('Table shop_r.taken already exists');
    const py = await pyReadGlue(pyGlueProps(moto, `s3://${bucket}/wh`), 'shop_r.u');
    expect(py.rows.sort()).toEqual([
      ['1', 'apple'],
      ['2', 'pear'],
    ]);
  }, 90_000);

  it("names 'catalog-type' and 'catalog-impl' conflicts and unknown implementations", async () => {
    await expect(run(`CREATE CATALOG g WITH ('type' = 'iceberg', 'catalog-type' = 'glue', 'catalog-impl' = 'org.apache.iceberg.aws.glue.GlueCatalog');`)).rejects.toThrow(
      /either 'catalog-type' or 'catalog-impl'/,
    );
    await expect(run(`CREATE CATALOG g WITH ('type' = 'iceberg', 'catalog-impl' = 'com.example.MyCatalog');`)).rejects.toThrow(/'catalog-impl' = 'com.example.MyCatalog' is not supported/);
  });
});
