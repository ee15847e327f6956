// Tables written by Spark, Iceberg Java and Athena, served from the moto peer (bucket
// hyperparam-iceberg, path-style), read through SQL and compared with independent readers:
// pyiceberg, and icebird where pyiceberg cannot apply the deletes (equality deletes).
import { beforeAll, describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { peer } from '../peers/index.js';
import { s3Options, type MotoEndpoint } from '../peers/moto.js';
import { readIcebergTable } from '../peers/pyiceberg.js';
import { icebirdRows, uploadForeignTables } from './fixtures.js';

let moto: MotoEndpoint;

beforeAll(async () => {
  moto = peer<MotoEndpoint>('moto');
  await uploadForeignTables(moto);
}, 120_000);

const optionsSql = (extra: Record<string, string> = {}) =>
  Object.entries({ ...s3Options(moto), ...extra })
    .map(([k, v]) => `'${k}' = '${v}'`)
    .join(', ');

interface Result {
  columns: string[];
  types: string[];
  scales: number[];
  rows: unknown[][];
}

/** Runs statements; returns the rows and column names of the last one (a query). */
async function query(sql: string): Promise<Result> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(sql);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
    return {
      columns: q.columns.map((c) => c.name),
      types: q.columns.map((c) => c.type.kind),
      scales: q.columns.map((c) => (c.type.kind === 'DECIMAL' ? c.type.scale : 0)),
      rows: await collectQuery(q),
    };
  } finally {
    await session.close();
  }
}

/** One value as text, the same whichever reader produced it (number, bigint, string or Date). */
function canon(v: unknown, kind: string, scale: number): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (kind === 'DATE' && typeof v === 'number') return new Date(v * 86_400_000).toISOString().slice(0, 10);
  if (kind === 'DECIMAL') return Number(v).toFixed(scale);
  return String(v);
}

function tuples(r: Result, rows: unknown[][]): string[] {
  return rows.map((row) => r.columns.map((c, i) => `${c}=${canon(row[i], r.types[i], r.scales[i])}`).join(' | ')).sort();
}

/** Our rows equal icebird's (objects keyed by column name). */
function sameAsIcebird(ours: Result, reference: Record<string, unknown>[]) {
  expect(tuples(ours, ours.rows)).toEqual(tuples(ours, reference.map((o) => ours.columns.map((c) => o[c]))));
}

/** Our rows equal pyiceberg's reading of the same metadata file through the same S3 server. */
async function sameAsPyiceberg(ours: Result, metadataLocation: string, snapshotId?: string) {
  const t = await readIcebergTable({ kind: 'metadata', location: metadataLocation, props: s3Options(moto) }, 'foreign.t', { snapshotId });
  const idx = ours.columns.map((c) => t.columns.indexOf(c));
  expect(idx.every((i) => i >= 0)).toBe(true);
  expect(tuples(ours, ours.rows)).toEqual(tuples(ours, t.rows.map((row) => idx.map((i) => row[i]))));
}

const META = {
  athena: 's3://hyperparam-iceberg/athena/example/metadata/00001-aaf0d033-d06b-43c7-be60-67f83abd4aca.metadata.json',
  javaBunnies: 's3a://hyperparam-iceberg/java/bunnies/metadata/v5.metadata.json',
  sparkBunnies: 's3a://hyperparam-iceberg/spark/bunnies/metadata/v5.metadata.json',
  renameColumn: 's3a://hyperparam-iceberg/spark/rename_column/metadata/v3.metadata.json',
};

const catalog = () => `CREATE CATALOG foreign_tables WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 's3a://hyperparam-iceberg', ${optionsSql()});`;

describe('tables written by other engines', () => {
  it('Athena: a table whose metadata files are NNNNN-uuid.metadata.json, without version-hint.text', async () => {
    const ours = await query(`${catalog()} SELECT * FROM foreign_tables.athena.example;`);
    expect(ours.rows.length).toBe(2);
    await sameAsPyiceberg(ours, META.athena);
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
    // pyiceberg refuses equality deletes: icebird is the reference here.
    await expect(sameAsPyiceberg(ours, META.javaBunnies)).rejects.toThrow(/equality deletes/);
    sameAsIcebird(ours, await icebirdRows('java/bunnies', 'v5.metadata.json'));
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
    await sameAsPyiceberg(second, META.javaBunnies, '6458828015811002920');
    sameAsIcebird(second, await icebirdRows('java/bunnies', 'v4.metadata.json'));
  });

  it('Spark: a position delete file', async () => {
    const ours = await query(`${catalog()} SELECT * FROM foreign_tables.spark.bunnies;`);
    expect(ours.rows.length).toBe(20);
    await sameAsPyiceberg(ours, META.sparkBunnies);
  });

  it('Spark: bucket and identity partitions, a renamed column', async () => {
    const ours = await query(`${catalog()} SELECT * FROM foreign_tables.spark.rename_column;`);
    expect(ours.rows.length).toBe(4);
    await sameAsPyiceberg(ours, META.renameColumn);
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
