// Exact numbers end to end: BIGINT beyond 2^53 (literals, casts, Java long arithmetic, SUM/AVG),
// JSON numbers read exactly and out-of-range ones refused with their location, state and
// checkpoints, Iceberg round trips and snapshot ids. Values are compared as the CLI prints them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { Session, collectQuery } from '../../src/cli/session.js';
import { formatValue } from '../../src/functions/cast.js';
import { toJsonValue, fromJsonValue } from '../../src/functions/aggregates.js';
import { parseJson } from '../../src/connectors/iceberg/json.js';
import { hasPeer } from '../peers/index.js';
import { readIcebergTable } from '../peers/pyiceberg.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tsstream-exact-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function withSession<T>(fn: (s: Session) => Promise<T>): Promise<T> {
  const session = new Session({ log: () => {} });
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

/** Runs the statements; the last one is a query: its rows as printed text, and its column types. */
async function query(sql: string): Promise<{ rows: string[][]; types: string[] }> {
  return withSession(async (session) => {
    const res = await session.executeAll(`SET 'execution.runtime-mode' = 'batch';\n${sql}`);
    for (const r of res.slice(0, -1)) if (r.kind === 'job') await r.job.run();
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
    const rows = await collectQuery(q);
    return {
      rows: rows.map((r) => r.map((v, i) => formatValue(v, q.columns[i].type))),
      types: q.columns.map((c) => c.type.kind + (c.type.kind === 'DECIMAL' ? `(${c.type.precision}, ${c.type.scale})` : '')),
    };
  });
}

async function run(sql: string): Promise<void> {
  await withSession(async (session) => {
    const res = await session.executeAll(`SET 'execution.runtime-mode' = 'batch';\n${sql}`);
    for (const r of res) if (r.kind === 'job') await r.job.run();
  });
}

async function jsonTable(name: string, lines: string[], columns: string, extra = ''): Promise<string> {
  const file = path.join(dir, `${name}.json`);
  await fs.writeFile(file, lines.join('\n') + '\n');
  return `CREATE TABLE ${name} (${columns}) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json'${extra});`;
}

describe('BIGINT is exact beyond 2^53', () => {
  it('casts and literals keep every digit', async () => {
    const { rows, types } = await query(
      `SELECT CAST(9007199254740993 AS BIGINT), CAST(9223372036854775807 AS BIGINT), CAST('-9223372036854775808' AS BIGINT), 9007199254740993, CAST(CAST(9007199254740993 AS BIGINT) AS STRING)`,
    );
    expect(rows).toEqual([['9007199254740993', '9223372036854775807', '-9223372036854775808', '9007199254740993', '9007199254740993']]);
    expect(types).toEqual(['BIGINT', 'BIGINT', 'BIGINT', 'BIGINT', 'VARCHAR']);
  });

  it('arithmetic wraps around like Java longs', async () => {
    const { rows } = await query(
      `SELECT CAST(9223372036854775807 AS BIGINT) + 1, CAST(-9223372036854775808 AS BIGINT) - 1, CAST(3000000000 AS BIGINT) * 4000000000,
              CAST(9007199254740993 AS BIGINT) * 3, CAST(9223372036854775807 AS BIGINT) / 10, CAST(9223372036854775807 AS BIGINT) % 10,
              -CAST(-9223372036854775808 AS BIGINT), CAST(9007199254740993 AS BIGINT) - 9007199254740992`,
    );
    expect(rows).toEqual([
      ['-9223372036854775808', '9223372036854775807', '-6446744073709551616', '27021597764222979', '922337203685477580', '7', '-9223372036854775808', '1'],
    ]);
  });

  it('comparisons, GROUP BY keys, SUM, AVG, MIN and MAX are exact', async () => {
    const ddl = await jsonTable('ids', ['{"id": 9007199254740993, "k": 1}', '{"id": 9007199254740993, "k": 2}', '{"id": 9007199254740992, "k": 3}', '{"id": 9223372036854775807, "k": 4}'], 'id BIGINT, k INT');
    const g = await query(`${ddl} SELECT id, COUNT(*), SUM(k) FROM ids GROUP BY id ORDER BY id`);
    expect(g.rows).toEqual([
      ['9007199254740992', '1', '3'],
      ['9007199254740993', '2', '3'],
      ['9223372036854775807', '1', '4'],
    ]);
    const f = await query(`${ddl} SELECT k FROM ids WHERE id = 9007199254740993 AND id > 9007199254740992 ORDER BY k`);
    expect(f.rows).toEqual([['1'], ['2']]);
    const a = await query(`${ddl} SELECT SUM(id), MIN(id), MAX(id), AVG(id), COUNT(DISTINCT id) FROM ids WHERE k < 4`);
    // 9007199254740993 · 2 + 9007199254740992 = 27021597764222978
    expect(a.rows).toEqual([['27021597764222978', '9007199254740992', '9007199254740993', '9007199254740992', '2']]);
    // SUM wraps around like Flink's long sum.
    const w = await query(`${ddl} SELECT SUM(id) FROM ids WHERE k <> 3`);
    expect(w.rows).toEqual([[String(BigInt.asIntN(64, 9007199254740993n * 2n + 9223372036854775807n))]]);
  });

  it('state values round-trip through their JSON form', () => {
    const v = [9007199254740993n, 1, [2n ** 62n]];
    expect(fromJsonValue(JSON.parse(JSON.stringify(toJsonValue(v))))).toEqual(v);
  });
});

describe('JSON numbers', () => {
  it('a JSON id beyond 2^53 is read exactly and written back exactly', async () => {
    const ddl = await jsonTable('big', ['{"id": 1234567890123456789, "n": 9007199254740993}'], 'id BIGINT, n BIGINT');
    const out = path.join(dir, 'big-out');
    await run(`${ddl} CREATE TABLE big_out (id BIGINT, n BIGINT) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'json'); INSERT INTO big_out SELECT id, n + 1 FROM big;`);
    const files = (await fs.readdir(out, { recursive: true })).filter((f) => !f.startsWith('.') && !String(f).includes('/.'));
    const text = (await Promise.all(files.map(async (f) => fs.readFile(path.join(out, String(f)), 'utf8').catch(() => '')))).join('');
    expect(text.trim()).toBe('{"id":1234567890123456789,"n":9007199254740994}');
  });

  for (const [what, json, col] of [
    ['2^64 into BIGINT', '18446744073709551616', 'BIGINT'],
    ['10^19 into BIGINT', '10000000000000000000', 'BIGINT'],
    ['1e300 into BIGINT', '1e300', 'BIGINT'],
    ['2^63 into BIGINT', '9223372036854775808', 'BIGINT'],
    ['2^31 into INT', '2147483648', 'INT'],
    ['40000 into SMALLINT', '40000', 'SMALLINT'],
    ['128 into TINYINT', '128', 'TINYINT'],
  ] as const) {
    it(`out of range is a parse error naming file and line: ${what}`, async () => {
      const ddl = await jsonTable(`oor_${col}_${json.length}`, ['{"n": 1}', `{"n": ${json}}`], `n ${col}`);
      await expect(query(`${ddl} SELECT * FROM oor_${col}_${json.length}`)).rejects.toThrow(new RegExp(`oor_${col}_${json.length}\\.json:2: field 'n': cannot convert .* to ${col} \\(out of range\\)`));
    });
  }

  it('the extremes of BIGINT are in range', async () => {
    const ddl = await jsonTable('edges', ['{"n": 9223372036854775807}', '{"n": -9223372036854775808}', '{"n": "9223372036854775806"}'], 'n BIGINT');
    expect((await query(`${ddl} SELECT n FROM edges`)).rows).toEqual([['9223372036854775807'], ['-9223372036854775808'], ['9223372036854775806']]);
  });

  it('with ignore-parse-errors an out-of-range value is NULL (Flink sets the field to null)', async () => {
    const ddl = await jsonTable('lenient', ['{"n": 10000000000000000000, "k": 1}'], 'n BIGINT, k INT', ", 'json.ignore-parse-errors' = 'true'");
    expect((await query(`${ddl} SELECT n, k FROM lenient`)).rows).toEqual([['NULL', '1']]);
  });

  it('CSV reads exact BIGINT and refuses out-of-range values', async () => {
    const file = path.join(dir, 'big.csv');
    await fs.writeFile(file, '9007199254740993,1\n');
    const ddl = `CREATE TABLE bigcsv (id BIGINT, k INT) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'csv');`;
    expect((await query(`${ddl} SELECT id + 0, k FROM bigcsv`)).rows).toEqual([['9007199254740993', '1']]);
    const bad = path.join(dir, 'bad.csv');
    await fs.writeFile(bad, '9223372036854775808,1\n');
    await expect(query(`CREATE TABLE badcsv (id BIGINT, k INT) WITH ('connector' = 'filesystem', 'path' = '${bad}', 'format' = 'csv'); SELECT * FROM badcsv`)).rejects.toThrow(/out of range/);
  });
});

describe('Iceberg keeps BIGINT exact', () => {
  it('ids beyond 2^53 round-trip, and snapshot ids (63-bit) show exactly and time-travel', async () => {
    const wh = path.join(dir, 'warehouse');
    const cat = `CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${wh}'); CREATE DATABASE IF NOT EXISTS ice.db;`;
    await run(`${cat} CREATE TABLE ice.db.ids (id BIGINT, note STRING);
      INSERT INTO ice.db.ids VALUES (CAST(1234567890123456789 AS BIGINT), 'a'), (CAST(9223372036854775807 AS BIGINT), 'max'), (CAST(-9223372036854775808 AS BIGINT), 'min'), (CAST(9007199254740993 AS BIGINT), 'b');`);
    const r = await query(`${cat} SELECT id, note FROM ice.db.ids ORDER BY id`);
    expect(r.rows).toEqual([
      ['-9223372036854775808', 'min'],
      ['9007199254740993', 'b'],
      ['1234567890123456789', 'a'],
      ['9223372036854775807', 'max'],
    ]);
    // Bounds in the manifest are exact too: a filter right between two ids prunes nothing wrongly.
    expect((await query(`${cat} SELECT note FROM ice.db.ids WHERE id > 9007199254740992 AND id < 9007199254740994`)).rows).toEqual([['b']]);

    const metaDir = path.join(wh, 'db', 'ids', 'metadata');
    const metas = (await fs.readdir(metaDir)).filter((f) => f.endsWith('.metadata.json')).sort();
    const m = parseJson(await fs.readFile(path.join(metaDir, metas[metas.length - 1]), 'utf8')) as Record<string, unknown>;
    const id = String(m['current-snapshot-id']);
    const s = await query(`${cat} SELECT snapshot_id FROM ice.db.\`ids$snapshots\``);
    expect(s.rows).toEqual([[id]]);
    await run(`${cat} INSERT INTO ice.db.ids VALUES (CAST(1 AS BIGINT), 'later');`);
    const tt = await query(`${cat} SELECT COUNT(*) FROM ice.db.ids /*+ OPTIONS('snapshot-id' = '${id}') */`);
    expect(tt.rows).toEqual([['4']]);
  });
});

describe('DECIMAL is exact to 38 digits', () => {
  it('literals and casts keep every digit, rounding HALF_UP', async () => {
    const { rows, types } = await query(
      `SELECT CAST(12345678901234567.89 AS DECIMAL(38, 2)), 12345678901234567.89, CAST('99999999999999999999999999999999999.999' AS DECIMAL(38, 3)),
              CAST(2.345 AS DECIMAL(10, 2)), CAST(-2.345 AS DECIMAL(10, 2)), CAST(1.005 AS DECIMAL(10, 2)), CAST(CAST(0.1 AS DOUBLE) AS DECIMAL(10, 2)),
              CAST(CAST(12345678901234567.89 AS DECIMAL(38, 2)) AS BIGINT), TRY_CAST(123.45 AS DECIMAL(4, 2))`,
    );
    expect(rows).toEqual([['12345678901234567.89', '12345678901234567.89', '99999999999999999999999999999999999.999', '2.35', '-2.35', '1.01', '0.10', '12345678901234567', 'NULL']]);
    expect(types.slice(0, 2)).toEqual(['DECIMAL(38, 2)', 'DECIMAL(19, 2)']);
  });

  it("+ − × ÷ follow Flink's result types; 0.1 + 0.2 is 0.3", async () => {
    const { rows, types } = await query(
      `SELECT 0.1 + 0.2, CAST(12345678901234567.89 AS DECIMAL(38, 2)) + 0.01, 1.10 * 1.1, CAST(10 AS DECIMAL(10, 2)) / 3, CAST(1 AS DECIMAL(10, 2)) / CAST(3 AS DECIMAL(10, 2)),
              2.5 - 3, CAST(7.5 AS DECIMAL(10, 1)) % 2, -CAST(1.25 AS DECIMAL(5, 2)), CAST(2 AS DECIMAL(10, 2)) / 3 * 3, 1.5 = 1.50, 0.1 + 0.2 = 0.3, CAST(1.5 AS DECIMAL(3, 1)) + CAST(0.25 AS DOUBLE)`,
    );
    expect(rows).toEqual([['0.3', '12345678901234567.90', '1.210', '3.3333333333333', '0.3333333333333', '-0.5', '1.5', '-1.25', '2.0000000000001', 'TRUE', 'TRUE', '1.75']]);
    expect(types.slice(0, 5)).toEqual(['DECIMAL(3, 1)', 'DECIMAL(38, 2)', 'DECIMAL(6, 3)', 'DECIMAL(21, 13)', 'DECIMAL(23, 13)']);
  });

  it('SUM keeps the scale exactly; AVG divides to scale max(6, s) HALF_UP', async () => {
    const ddl = await jsonTable('amounts', ['{"k": "a", "amt": 12345678901234567.89}', '{"k": "a", "amt": 0.01}', '{"k": "b", "amt": "0.10"}', '{"k": "b", "amt": 0.2}', '{"k": "b", "amt": 0.2}'], 'k STRING, amt DECIMAL(38, 2)');
    const r = await query(`${ddl} SELECT k, SUM(amt), AVG(amt), MIN(amt), MAX(amt), COUNT(DISTINCT amt) FROM amounts GROUP BY k ORDER BY k`);
    expect(r.rows).toEqual([
      ['a', '12345678901234567.90', '6172839450617283.950000', '0.01', '12345678901234567.89', '2'],
      ['b', '0.50', '0.166667', '0.10', '0.20', '2'],
    ]);
    expect(r.types.slice(1, 3)).toEqual(['DECIMAL(38, 2)', 'DECIMAL(38, 6)']);
    const g = await query(`${ddl} SELECT amt, COUNT(*) FROM amounts GROUP BY amt ORDER BY amt`);
    expect(g.rows).toEqual([['0.01', '1'], ['0.10', '1'], ['0.20', '2'], ['12345678901234567.89', '1']]);
  });

  it('a JSON DECIMAL beyond its precision is NULL, as Flink reads it', async () => {
    const ddl = await jsonTable('decoor', ['{"amt": 1.5}', '{"amt": 123456789.5}'], 'amt DECIMAL(5, 2)');
    expect((await query(`${ddl} SELECT * FROM decoor`)).rows).toEqual([['1.50'], ['NULL']]);
  });

  it('a CSV DECIMAL beyond its precision is NULL too, as Flink\'s csv format reads it', async () => {
    const file = path.join(dir, 'decoor.csv');
    await fs.writeFile(file, '1,1.5\n2,123456789.5\n');
    const ddl = `CREATE TABLE decoor_csv (id INT, amt DECIMAL(5, 2)) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'csv');`;
    expect((await query(`${ddl} SELECT * FROM decoor_csv`)).rows).toEqual([['1', '1.50'], ['2', 'NULL']]);
  });

  it('JSON write keeps the scale (1.50) and every digit', async () => {
    const ddl = await jsonTable('decw', ['{"amt": 12345678901234567.89, "x": 1.5}'], 'amt DECIMAL(38, 2), x DECIMAL(5, 2)');
    const out = path.join(dir, 'decw-out');
    await run(`${ddl} CREATE TABLE decw_out (amt DECIMAL(38, 2), x DECIMAL(5, 2)) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'json'); INSERT INTO decw_out SELECT amt, x FROM decw;`);
    const files = (await fs.readdir(out, { recursive: true })).map(String).filter((f) => !f.split('/').some((p) => p.startsWith('.')));
    const text = (await Promise.all(files.map(async (f) => fs.readFile(path.join(out, f), 'utf8').catch(() => '')))).join('');
    expect(text.trim()).toBe('{"amt":12345678901234567.89,"x":1.50}');
  });
});

describe('Iceberg keeps DECIMAL(38, s) and BIGINT exact', () => {
  const wh = () => path.join(dir, 'warehouse-dec');
  const cat = () => `CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${wh()}'); CREATE DATABASE IF NOT EXISTS ice.db;`;

  it('amounts and ids are read back exactly by tsstream', async () => {
    await run(`${cat()} CREATE TABLE ice.db.pay (id BIGINT, amount DECIMAL(38, 2), rate DECIMAL(10, 4));
      INSERT INTO ice.db.pay VALUES (CAST(1234567890123456789 AS BIGINT), CAST(12345678901234567.89 AS DECIMAL(38, 2)), CAST(0.1234 AS DECIMAL(10, 4))),
        (CAST(-9223372036854775808 AS BIGINT), CAST('-999999999999999999999999999999999999.99' AS DECIMAL(38, 2)), CAST(-1 AS DECIMAL(10, 4)));`);
    const r = await query(`${cat()} SELECT id, amount, rate FROM ice.db.pay ORDER BY id`);
    expect(r.rows).toEqual([
      ['-9223372036854775808', '-999999999999999999999999999999999999.99', '-1.0000'],
      ['1234567890123456789', '12345678901234567.89', '0.1234'],
    ]);
    // Manifest bounds are exact: a filter between two amounts keeps the file and the row.
    expect((await query(`${cat()} SELECT id FROM ice.db.pay WHERE amount = CAST(12345678901234567.89 AS DECIMAL(38, 2))`)).rows).toEqual([['1234567890123456789']]);
  });

  it.skipIf(!hasPeer('pyiceberg'))('pyiceberg reads the same exact values', async () => {
    const t = await readIcebergTable({ kind: 'hadoop', warehouse: wh() }, 'db.pay');
    const rows = [...t.rows].sort((a, b) => (BigInt(String(a[0])) < BigInt(String(b[0])) ? -1 : 1));
    expect(rows).toEqual([
      ['-9223372036854775808', '-999999999999999999999999999999999999.99', '-1.0000'],
      ['1234567890123456789', '12345678901234567.89', '0.1234'],
    ]);
    expect(t.currentSnapshot?.snapshotId).toBe(String((await query(`${cat()} SELECT snapshot_id FROM ice.db.\`pay$snapshots\``)).rows[0][0]));
  });
});
