// Tables written by Spark, Iceberg Java and Athena, served from an S3 server (bucket
// hyperparam-iceberg, path-style), read through SQL and compared with an independent reader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { icebirdRows, s3Options, uploadForeignTables } from './fixtures.js';
import { motoBinary, startMoto } from './moto.js';

let moto: { endpoint: string; stop(): Promise<void> } | undefined;
let endpoint = '';

beforeAll(async () => {
  moto = await startMoto();
  endpoint = moto.endpoint;
  await uploadForeignTables(endpoint);
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

const optionsSql = (extra: Record<string, string> = {}) =>
  Object.entries({ ...s3Options(endpoint), ...extra })
    .map(([k, v]) => `'${k}' = '${v}'`)
    .join(', ');

/** Runs statements; returns the rows and column names of the last one (a query). */
async function query(sql: string): Promise<{ columns: string[]; types: string[]; rows: unknown[][] }> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(sql);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
    return { columns: q.columns.map((c) => c.name), types: q.columns.map((c) => c.type.kind), rows: await collectQuery(q) };
  } finally {
    await session.close();
  }
}

function canon(v: unknown, kind?: string): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (kind === 'DATE' && typeof v === 'number') return new Date(v * 86_400_000).toISOString().slice(0, 10);
  return String(v);
}

/** Our rows and the reference rows as sorted lists of "col=value" tuples. */
function sameRows(ours: { columns: string[]; types: string[]; rows: unknown[][] }, reference: Record<string, unknown>[]) {
  const mine = ours.rows.map((r) => ours.columns.map((c, i) => `${c}=${canon(r[i], ours.types[i])}`).join(' | ')).sort();
  const theirs = reference.map((r) => ours.columns.map((c) => `${c}=${canon(r[c])}`).join(' | ')).sort();
  expect(mine).toEqual(theirs);
}

const catalog = () => `CREATE CATALOG foreign_tables WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 's3a://hyperparam-iceberg', ${optionsSql()});`;

describe.skipIf(!motoBinary())('tables written by other engines', () => {
  it('Athena: a table whose metadata files are NNNNN-uuid.metadata.json, without version-hint.text', async () => {
    const ours = await query(`${catalog()} SELECT * FROM foreign_tables.athena.example;`);
    expect(ours.rows.length).toBe(2);
    sameRows(ours, await icebirdRows('athena/example', '00001-aaf0d033-d06b-43c7-be60-67f83abd4aca.metadata.json'));
  });

  it("'metadata-location' opens a table by one metadata file, or by its folder's newest", async () => {
    const byFile = await query(
      `CREATE TABLE ex (id INT, name STRING) WITH ('connector' = 'iceberg', 'metadata-location' = 's3://hyperparam-iceberg/athena/example/metadata/00001-aaf0d033-d06b-43c7-be60-67f83abd4aca.metadata.json', ${optionsSql()});
       SELECT id, name FROM ex;`,
    );
    expect(byFile.rows.map((r) => r.join(':')).sort()).toEqual(['1:Alice', '2:Bob']);
    // The first version has no snapshot: an empty table.
    const first = await query(
      `CREATE TABLE ex (id INT, name STRING) WITH ('connector' = 'iceberg', 'metadata-location' = 's3://hyperparam-iceberg/athena/example/metadata/00000-eedf51e6-8c09-463b-8850-844ee6ec1de0.metadata.json', ${optionsSql()});
       SELECT id, name FROM ex;`,
    );
    expect(first.rows).toEqual([]);
    const byFolder = await query(
      `CREATE TABLE ex (id INT, name STRING) WITH ('connector' = 'iceberg', 'metadata-location' = 's3://hyperparam-iceberg/athena/example', ${optionsSql()});
       SELECT id, name FROM ex;`,
    );
    expect(byFolder.rows.map((r) => r.join(':')).sort()).toEqual(['1:Alice', '2:Bob']);
  });

  it('Iceberg Java: position deletes, then an equality delete and the updated row (merge-on-read)', async () => {
    const ours = await query(`${catalog()} SELECT * FROM foreign_tables.java.bunnies;`);
    expect(ours.rows.length).toBe(15);
    sameRows(ours, await icebirdRows('java/bunnies', 'v5.metadata.json'));
    const nz = ours.rows.filter((r) => r[0] === 'New Zealand');
    expect(nz).toEqual([['New Zealand', 4, 2.7, 8, 'New Zealand', 'Erect', 'Affectionate', 0, true]]);
  });

  it('Iceberg Java: a projection that leaves out the equality delete column still applies it', async () => {
    const ours = await query(`${catalog()} SELECT \`Popularity Rank\`, __happy__ FROM foreign_tables.java.bunnies;`);
    expect(ours.rows.length).toBe(15);
    expect(ours.rows.filter((r) => r[0] === 21)).toEqual([]); // the old New Zealand row is gone
    expect(ours.rows.filter((r) => r[0] === 0)).toEqual([[0, true]]);
  });

  it('Iceberg Java: earlier snapshots apply only the deletes they hold', async () => {
    const snaps = await query(`${catalog()} SELECT snapshot_id, operation FROM foreign_tables.java.bunnies$snapshots;`);
    expect(snaps.rows.map((r) => r[1])).toEqual(['append', 'delete', 'overwrite']);
    const first = await query(`${catalog()} SELECT * FROM foreign_tables.java.bunnies /*+ OPTIONS('snapshot-id'='4951213507629824583') */;`);
    expect(first.rows.length).toBe(21);
    const second = await query(`${catalog()} SELECT * FROM foreign_tables.java.bunnies /*+ OPTIONS('snapshot-id'='6458828015811002920') */;`);
    sameRows(second, await icebirdRows('java/bunnies', 'v4.metadata.json'));
  });

  it('Spark: a position delete file', async () => {
    const ours = await query(`${catalog()} SELECT * FROM foreign_tables.spark.bunnies;`);
    expect(ours.rows.length).toBe(20);
    sameRows(ours, await icebirdRows('spark/bunnies', 'v5.metadata.json'));
  });

  it('Spark: bucket and identity partitions, a renamed column', async () => {
    const ours = await query(`${catalog()} SELECT * FROM foreign_tables.spark.rename_column;`);
    expect(ours.rows.length).toBe(4);
    sameRows(ours, await icebirdRows('spark/rename_column', 'v3.metadata.json'));
  });

  it('the metadata tables show the delete files', async () => {
    const files = await query(`${catalog()} SELECT content, file_path, record_count FROM foreign_tables.java.bunnies$files;`);
    expect(files.rows.map((r) => `${r[0]} ${String(r[1]).split('/').pop()} ${r[2]}`).sort()).toEqual([
      '0 bunnies-initial.parquet 21',
      '0 bunnies-updated-new-zealand.parquet 1',
      '1 bunnies-pos-deletes.parquet 6',
      '2 bunnies-eq-delete-new-zealand.parquet 1',
    ]);
    const deletes = await query(`${catalog()} SELECT content, equality_ids FROM foreign_tables.java.bunnies$delete_files;`);
    expect(deletes.rows.map((r) => `${r[0]} ${JSON.stringify(r[1])}`).sort()).toEqual(['1 null', '2 [1]']);
  });
});
