// Apache Flink 1.20 (the test peer) and tsstream read each other's Iceberg tables (hadoop catalog
// on a local temp warehouse): what one wrote, the other reads back with equal rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session, collectQuery } from '../../src/cli/session.js';
import { formatType } from '../../src/common/types.js';
import { cellText } from '../../src/cli/tableau.js';
import { hasPeer, peer } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { runOnFlink } from '../peers/flink-client.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-flink-iceberg-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const catalog = (name: string, warehouse: string) => `CREATE CATALOG ${name} WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${warehouse}')`;

/** SELECT on tsstream in batch mode: column types and the rows as printed text. */
async function tsstreamQuery(statements: string): Promise<{ types: string[]; rows: string[][] }> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(statements);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
    const rows = await collectQuery(q);
    return { types: q.columns.map((c) => formatType(c.type)), rows: cellText(rows, q.columns) };
  } finally {
    await session.close();
  }
}

async function tsstreamRun(statements: string): Promise<void> {
  const session = new Session({ log: () => {} });
  try {
    const results = await session.executeAll(statements);
    for (const r of results) if (r.kind === 'job') await r.job.run();
  } finally {
    await session.close();
  }
}

const sortRows = (rows: string[][]) => [...rows].sort((a, b) => (a.join('\u0001') < b.join('\u0001') ? -1 : 1));

// Everyday values; the edges of BIGINT and DECIMAL(38, s) are in EXACT below.
const VALUES = `
  (1, CAST(12345.67 AS DECIMAL(12, 2)), 'first', TIMESTAMP '2025-12-29 10:00:00.123456'),
  (-9007199254740991, CAST(-0.05 AS DECIMAL(12, 2)), 'grüße, "quoted"', TIMESTAMP '1970-01-01 00:00:00'),
  (9007199254740991, CAST(9999999999.99 AS DECIMAL(12, 2)), '', TIMESTAMP '2038-01-19 03:14:08.000001'),
  (CAST(NULL AS BIGINT), CAST(NULL AS DECIMAL(12, 2)), CAST(NULL AS STRING), CAST(NULL AS TIMESTAMP(6)))`;

const EXPECTED = sortRows([
  ['1', '12345.67', 'first', '2025-12-29 10:00:00.123456'],
  ['-9007199254740991', '-0.05', 'grüße, "quoted"', '1970-01-01 00:00:00.000000'],
  ['9007199254740991', '9999999999.99', '', '2038-01-19 03:14:08.000001'],
  ['<NULL>', '<NULL>', '<NULL>', '<NULL>'],
]);
const TYPES = ['BIGINT', 'DECIMAL(12, 2)', 'STRING', 'TIMESTAMP(6)'];

describe.skipIf(!hasPeer('flink'))('Iceberg tables shared by Flink 1.20 and tsstream', () => {
  it("tsstream reads the table Flink's Iceberg sink wrote", async () => {
    const flink = peer<FlinkEndpoint>('flink');
    const warehouse = path.join(dir, 'by-flink');
    await runOnFlink(
      [
        catalog('ice', `file://${warehouse}`),
        'CREATE DATABASE IF NOT EXISTS ice.db',
        'CREATE TABLE ice.db.t (id BIGINT, amount DECIMAL(12, 2), name STRING, ts TIMESTAMP(6))',
        `INSERT INTO ice.db.t VALUES ${VALUES}`,
      ],
      { flink, properties: { 'execution.runtime-mode': 'batch' } },
    );
    // Flink reads its own table back the same way (the oracle agrees with itself).
    const [, back] = await runOnFlink([catalog('ice', `file://${warehouse}`), 'SELECT * FROM ice.db.t'], { flink, properties: { 'execution.runtime-mode': 'batch' } });
    expect(sortRows(back.rows.map((r) => r.text))).toEqual(EXPECTED);
    expect(back.columns.map((c) => c.type)).toEqual(TYPES);

    const mine = await tsstreamQuery(`${catalog('ice', warehouse)}; SET 'execution.runtime-mode' = 'batch'; SELECT * FROM ice.db.t;`);
    expect(mine.types).toEqual(TYPES);
    expect(sortRows(mine.rows)).toEqual(EXPECTED);
  }, 240_000);

  it('Flink reads the table tsstream wrote', async () => {
    const flink = peer<FlinkEndpoint>('flink');
    const warehouse = path.join(dir, 'by-tsstream');
    await tsstreamRun(`
      ${catalog('ice', warehouse)};
      CREATE DATABASE IF NOT EXISTS ice.db;
      CREATE TABLE ice.db.t (id BIGINT, amount DECIMAL(12, 2), name STRING, ts TIMESTAMP(6));
      SET 'execution.runtime-mode' = 'batch';
      INSERT INTO ice.db.t VALUES ${VALUES};`);
    const mine = await tsstreamQuery(`${catalog('ice', warehouse)}; SET 'execution.runtime-mode' = 'batch'; SELECT * FROM ice.db.t;`);
    expect(sortRows(mine.rows)).toEqual(EXPECTED);

    const [, , agg] = await runOnFlink(
      [catalog('ice', `file://${warehouse}`), 'SELECT * FROM ice.db.t', 'SELECT COUNT(*) AS n, SUM(amount) AS total, MAX(ts) AS last_ts FROM ice.db.t'],
      { flink, properties: { 'execution.runtime-mode': 'batch' } },
    ).then(async (res) => {
      expect(res[1].columns.map((c) => c.type)).toEqual(TYPES);
      expect(sortRows(res[1].rows.map((r) => r.text))).toEqual(EXPECTED);
      expect(res[1].rows.every((r) => r.kind === '+I')).toBe(true);
      return res;
    });
    expect(agg.rows.map((r) => r.text)).toEqual([['4', '10000012345.61', '2038-01-19 03:14:08.000001']]);
  }, 240_000);
  it("tsstream reads a table Flink's Iceberg sink wrote in upsert mode (equality deletes) as Flink reads it", async () => {
    const flink = peer<FlinkEndpoint>('flink');
    const warehouse = path.join(dir, 'upsert-by-flink');
    await runOnFlink(
      [
        catalog('ice', `file://${warehouse}`),
        'CREATE DATABASE IF NOT EXISTS ice.db',
        "CREATE TABLE ice.db.u (id BIGINT, name STRING, amount DECIMAL(12, 2), PRIMARY KEY (id) NOT ENFORCED) WITH ('format-version' = '2', 'write.upsert.enabled' = 'true')",
        "INSERT INTO ice.db.u VALUES (1, 'a', 1.50), (2, 'b', 2.00), (3, 'c', CAST(NULL AS DECIMAL(12, 2)))",
        "INSERT INTO ice.db.u VALUES (1, 'a2', 10.25), (4, 'd', 4.00)",
        "INSERT INTO ice.db.u VALUES (2, CAST(NULL AS STRING), -0.01), (1, 'a3', 100.00)",
      ],
      { flink, properties: { 'execution.runtime-mode': 'batch' } },
    );
    const [, back] = await runOnFlink([catalog('ice', `file://${warehouse}`), 'SELECT * FROM ice.db.u'], { flink, properties: { 'execution.runtime-mode': 'batch' } });
    const flinkRows = sortRows(back.rows.map((r) => r.text));
    expect(flinkRows).toEqual(sortRows([['1', 'a3', '100.00'], ['2', '<NULL>', '-0.01'], ['3', 'c', '<NULL>'], ['4', 'd', '4.00']]));

    // The table really holds equality delete files (the case merge-on-read must handle).
    const deletes = await tsstreamQuery(`${catalog('ice', warehouse)}; SET 'execution.runtime-mode' = 'batch'; SELECT content, equality_ids FROM ice.db.\`u$delete_files\`;`);
    expect(deletes.rows.length).toBeGreaterThan(0);
    expect(deletes.rows.every((r) => r[0] === '2')).toBe(true);

    const mine = await tsstreamQuery(`${catalog('ice', warehouse)}; SET 'execution.runtime-mode' = 'batch'; SELECT * FROM ice.db.u;`);
    expect(mine.types).toEqual(['BIGINT NOT NULL', 'STRING', 'DECIMAL(12, 2)']);
    expect(sortRows(mine.rows)).toEqual(flinkRows);
  }, 240_000);

  // Issue 13's round trip: BIGINT ids over the whole 64-bit range and DECIMAL(38, s) amounts written by
  // one engine are read back digit for digit by the other (and by pyiceberg: test/runtime/exact.test.ts).
  const EXACT_DDL = 'CREATE TABLE ice.db.x (id BIGINT, amount DECIMAL(38, 2), tiny DECIMAL(38, 18))';
  const EXACT_VALUES = `
    (9223372036854775807, CAST('999999999999999999999999999999999999.99' AS DECIMAL(38, 2)), CAST(0.000000000000000001 AS DECIMAL(38, 18))),
    (-9223372036854775808, CAST('-999999999999999999999999999999999999.99' AS DECIMAL(38, 2)), CAST('-99999999999999999999.999999999999999999' AS DECIMAL(38, 18))),
    (1234567890123456789, CAST(12345678901234567.89 AS DECIMAL(38, 2)), CAST('3.141592653589793238' AS DECIMAL(38, 18))),
    (9007199254740993, CAST(0.01 AS DECIMAL(38, 2)), CAST(0 AS DECIMAL(38, 18)))`;
  const EXACT = sortRows([
    ['9223372036854775807', '999999999999999999999999999999999999.99', '0.000000000000000001'],
    ['-9223372036854775808', '-999999999999999999999999999999999999.99', '-99999999999999999999.999999999999999999'],
    ['1234567890123456789', '12345678901234567.89', '3.141592653589793238'],
    ['9007199254740993', '0.01', '0.000000000000000000'],
  ]);
  const EXACT_SUMS = [['4', '1243575089378197781', '12345678901234567.90', '-99999999999999999996.858407346410206760']];
  const EXACT_AGG = 'SELECT COUNT(*) AS n, SUM(CAST(id AS DECIMAL(38, 0))) AS ids, SUM(amount) AS total, SUM(tiny) AS tinies FROM ice.db.x';

  it('BIGINT over its whole range and DECIMAL(38, s) written by tsstream are read back exactly by Flink', async () => {
    const flink = peer<FlinkEndpoint>('flink');
    const warehouse = path.join(dir, 'exact-by-tsstream');
    await tsstreamRun(`
      ${catalog('ice', warehouse)};
      CREATE DATABASE IF NOT EXISTS ice.db;
      ${EXACT_DDL};
      SET 'execution.runtime-mode' = 'batch';
      INSERT INTO ice.db.x VALUES ${EXACT_VALUES};`);
    const res = await runOnFlink([catalog('ice', `file://${warehouse}`), 'SELECT * FROM ice.db.x', EXACT_AGG], {
      flink,
      properties: { 'execution.runtime-mode': 'batch' },
    });
    expect(res[1].columns.map((c) => c.type)).toEqual(['BIGINT', 'DECIMAL(38, 2)', 'DECIMAL(38, 18)']);
    expect(sortRows(res[1].rows.map((r) => r.text))).toEqual(EXACT);
    expect(res[2].rows.map((r) => r.text)).toEqual(EXACT_SUMS);
    const mine = await tsstreamQuery(`${catalog('ice', warehouse)}; SET 'execution.runtime-mode' = 'batch'; ${EXACT_AGG};`);
    expect(mine.rows).toEqual(EXACT_SUMS);
  }, 240_000);

  it("BIGINT over its whole range and DECIMAL(38, s) written by Flink's Iceberg sink are read back exactly by tsstream", async () => {
    const flink = peer<FlinkEndpoint>('flink');
    const warehouse = path.join(dir, 'exact-by-flink');
    await runOnFlink([catalog('ice', `file://${warehouse}`), 'CREATE DATABASE IF NOT EXISTS ice.db', EXACT_DDL, `INSERT INTO ice.db.x VALUES ${EXACT_VALUES}`], {
      flink,
      properties: { 'execution.runtime-mode': 'batch' },
    });
    const mine = await tsstreamQuery(`${catalog('ice', warehouse)}; SET 'execution.runtime-mode' = 'batch'; SELECT * FROM ice.db.x;`);
    expect(mine.types).toEqual(['BIGINT', 'DECIMAL(38, 2)', 'DECIMAL(38, 18)']);
    expect(sortRows(mine.rows)).toEqual(EXACT);
  }, 240_000);
});
