// Athena's maintenance statements on Iceberg tables: OPTIMIZE … REWRITE DATA USING BIN_PACK
// [WHERE …] and VACUUM, parsed and run by a session on a local hadoop catalog.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Session, collectQuery } from '../../src/cli/session.js';
import { parseStatements, printStatement } from '../../src/parser/index.js';
import { tempDir } from '../iceberg/helpers.js';

let dir: string;

async function run(sql: string): Promise<unknown[][] | undefined> {
  const session = new Session({ log: () => {} });
  try {
    let rows: unknown[][] | undefined;
    for (const r of await session.executeAll(sql)) {
      if (r.kind === 'job') await r.job.run();
      if (r.kind === 'query') rows = await collectQuery(r);
      if (r.kind === 'table') rows = r.rows;
    }
    return rows;
  } finally {
    await session.close();
  }
}

async function dataFiles(table: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(path.join(d, e.name));
      else if (e.name.endsWith('.parquet')) out.push(path.join(d, e.name));
    }
  };
  await walk(path.join(dir, 'wh', 'db', table, 'data'));
  return out.sort();
}

const cat = () => `CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${dir}/wh'); USE CATALOG ice;`;

describe('OPTIMIZE … BIN_PACK and VACUUM (Athena) on Iceberg tables', () => {
  beforeAll(async () => {
    dir = await tempDir('tsstream-athena-');
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('parses and prints the statements', () => {
    const [o, w, v] = parseStatements(`OPTIMIZE db.t REWRITE DATA USING BIN_PACK; optimize c.db.t rewrite data using bin_pack where region = 'eu' and d > DATE '2025-01-01'; VACUUM t;`);
    expect(printStatement(o)).toBe('OPTIMIZE db.t REWRITE DATA USING BIN_PACK');
    expect(o.kind === 'optimize' && o.where).toBeUndefined();
    expect(w.kind === 'optimize' && w.where).toBeTruthy();
    expect(printStatement(w)).toMatch(/^OPTIMIZE c\.db\.t REWRITE DATA USING BIN_PACK WHERE /);
    expect(printStatement(v)).toBe('VACUUM t');
    expect(() => parseStatements('OPTIMIZE t REWRITE DATA USING SORT')).toThrow(/BIN_PACK/);
    expect(() => parseStatements('OPTIMIZE t')).toThrow(/REWRITE/);
  });

  it('compacts the partitions WHERE names, then all; VACUUM by history.expire.* leaves the same rows in fewer files', async () => {
    await run(`${cat()} CREATE DATABASE IF NOT EXISTS db;
      CREATE TABLE db.sales (id BIGINT, region STRING, amount DECIMAL(10, 2)) PARTITIONED BY (region);`);
    for (let i = 0; i < 3; i++) {
      await run(`${cat()} INSERT INTO db.sales VALUES (${i * 10 + 1}, 'eu', ${i}.50), (${i * 10 + 2}, 'us', ${i}.25), (${i * 10 + 3}, 'eu', 1.00);`);
    }
    const all = `${cat()} SET 'execution.runtime-mode' = 'batch'; SELECT id, region, amount FROM db.sales ORDER BY id;`;
    const expected = await run(all);
    expect(expected).toHaveLength(9);
    expect(await dataFiles('sales')).toHaveLength(6);

    expect(await run(`${cat()} OPTIMIZE db.sales REWRITE DATA USING BIN_PACK WHERE region = 'eu';`)).toEqual([[3, 1]]);
    expect(await run(`${cat()} OPTIMIZE db.sales REWRITE DATA USING BIN_PACK;`)).toEqual([[3, 1]]); // the us files
    expect(await run(`${cat()} OPTIMIZE db.sales REWRITE DATA USING BIN_PACK;`)).toEqual([[0, 0]]);
    expect(await run(all)).toEqual(expected);
    expect(await dataFiles('sales')).toHaveLength(8); // the old files stay for the old snapshots

    // Default retention (5 days): nothing is old enough.
    expect(await run(`${cat()} VACUUM db.sales;`)).toEqual([[0, 0, 0]]);
    expect(await dataFiles('sales')).toHaveLength(8);

    // A stray file an aborted writer left a week ago, and a retention of 0 ms.
    const stray = path.join(dir, 'wh', 'db', 'sales', 'data', 'stray-00000.parquet');
    await fs.writeFile(stray, 'not referenced');
    const weekAgo = new Date(Date.now() - 7 * 86_400_000);
    await fs.utimes(stray, weekAgo, weekAgo);
    await run(`${cat()} ALTER TABLE db.sales SET ('history.expire.max-snapshot-age-ms' = '0');`);
    const [[expiredSnapshots, deletedFiles, orphans]] = (await run(`${cat()} VACUUM db.sales;`)) as number[][];
    expect(expiredSnapshots).toBe(4); // 3 appends + the first rewrite; the current snapshot stays
    expect(deletedFiles).toBeGreaterThanOrEqual(6); // the 6 small data files (plus manifests and lists)
    expect(orphans).toBeGreaterThanOrEqual(1);
    const files = await dataFiles('sales');
    expect(files).toHaveLength(2);
    expect(files).not.toContain(stray);
    expect(await run(all)).toEqual(expected);
  }, 120_000);

  it('names what is wrong: a WHERE on a non-partition column, a table outside an Iceberg catalog', async () => {
    await expect(run(`${cat()} OPTIMIZE db.sales REWRITE DATA USING BIN_PACK WHERE amount > 1;`)).rejects.toThrow(
      /OPTIMIZE … WHERE may use only the identity partition columns of db\.sales \(region\)/,
    );
    await expect(run(`CREATE TABLE t (a INT) WITH ('connector' = 'blackhole'); VACUUM t;`)).rejects.toThrow(/VACUUM works on Iceberg tables/);
    await expect(run(`${cat()} VACUUM db.nope;`)).rejects.toThrow(/Table 'db\.nope' not found/);
  });
});
