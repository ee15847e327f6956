// Schema evolution in Flink's ALTER TABLE syntax: parsed, applied to in-memory tables, and
// committed to Iceberg tables as new schemas (field ids kept); files written before are read by
// field id, and pyiceberg reads the evolved table the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseStatement, printStatement } from '../../src/parser/index.js';
import { exec, select, session, tempDir } from './helpers.js';
import { hasPeer } from '../peers/index.js';
import { readIcebergTable } from '../peers/pyiceberg.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('tsstream-iceberg-evolve-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('ALTER TABLE column changes: the parser', () => {
  it.each([
    ['ALTER TABLE t ADD (c INT)', 'ALTER TABLE `t` ADD (`c` INT)'],
    ["ALTER TABLE t ADD c STRING COMMENT 'new' AFTER a", "ALTER TABLE `t` ADD (`c` STRING COMMENT 'new' AFTER `a`)"],
    ['ALTER TABLE db.t ADD (x INT FIRST, y DECIMAL(10, 2))', 'ALTER TABLE `db`.`t` ADD (`x` INT FIRST, `y` DECIMAL(10, 2))'],
    ['ALTER TABLE t MODIFY c BIGINT', 'ALTER TABLE `t` MODIFY (`c` BIGINT)'],
    ['ALTER TABLE t MODIFY (c BIGINT, d DOUBLE)', 'ALTER TABLE `t` MODIFY (`c` BIGINT, `d` DOUBLE)'],
    ['ALTER TABLE t DROP c', 'ALTER TABLE `t` DROP (`c`)'],
    ['ALTER TABLE t DROP (c, d)', 'ALTER TABLE `t` DROP (`c`, `d`)'],
    ['ALTER TABLE t RENAME a TO b', 'ALTER TABLE `t` RENAME `a` TO `b`'],
    ['ALTER TABLE t RENAME TO u', 'ALTER TABLE `t` RENAME TO `u`'],
  ])('%s', (sql, printed) => {
    const s = parseStatement(sql);
    const text = printStatement(s);
    expect(text.replace(/`/g, '')).toBe(printed.replace(/`/g, ''));
    expect(printStatement(parseStatement(text))).toBe(text);
  });

  it('refuses key and watermark changes, naming them', () => {
    expect(() => parseStatement('ALTER TABLE t ADD PRIMARY KEY (a) NOT ENFORCED')).toThrow(/ADD PRIMARY KEY is not supported/);
    expect(() => parseStatement('ALTER TABLE t DROP WATERMARK')).toThrow(/DROP WATERMARK is not supported/);
    expect(() => parseStatement('ALTER TABLE t FROB x')).toThrow(/SET, RESET, RENAME, ADD, MODIFY or DROP/);
  });
});

describe('ALTER TABLE column changes: in-memory tables', () => {
  it('ADD / MODIFY / RENAME / DROP change the table the planner sees', async () => {
    await session(async (s) => {
      await exec(s, "CREATE TABLE t (a INT, b STRING, ts TIMESTAMP(3), PRIMARY KEY (a) NOT ENFORCED, WATERMARK FOR ts AS ts) WITH ('connector' = 'blackhole')");
      await exec(s, "ALTER TABLE t ADD (c DOUBLE COMMENT 'new' AFTER a, z INT FIRST)");
      await exec(s, 'ALTER TABLE t MODIFY a BIGINT');
      await exec(s, 'ALTER TABLE t RENAME b TO bb');
      await exec(s, 'ALTER TABLE t DROP z');
      const res = await s.executeAll('DESCRIBE t');
      const d = res[0];
      if (d.kind !== 'table') throw new Error('not a table');
      expect(d.rows.map((r) => `${r[0]} ${r[1]}`)).toEqual(['a BIGINT', 'c DOUBLE', 'bb STRING', 'ts TIMESTAMP(3) *ROWTIME*']);
      await expect(s.executeAll('ALTER TABLE t ADD (c INT)')).rejects.toThrow(/Try to add a column `c` which already exists/);
      await expect(s.executeAll('ALTER TABLE t DROP a')).rejects.toThrow(/`a` is used as the primary key/);
      await expect(s.executeAll('ALTER TABLE t DROP ts')).rejects.toThrow(/`ts` is referenced by watermark expression/);
      await expect(s.executeAll('ALTER TABLE t RENAME nope TO x')).rejects.toThrow(/The column `nope` does not exist/);
      await expect(s.executeAll('ALTER TABLE t MODIFY nope INT')).rejects.toThrow(/Try to modify a column `nope` which does not exist/);
    });
  });
});

describe('ALTER TABLE … RENAME TO', () => {
  it('renames an in-memory table within its database, with the errors Flink gives', async () => {
    await session(async (s) => {
      await exec(s, "CREATE TABLE t (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '3'); CREATE TABLE taken (a INT) WITH ('connector' = 'blackhole')");
      await exec(s, 'ALTER TABLE t RENAME TO u');
      const shown = await s.executeAll('SHOW TABLES');
      if (shown[0].kind !== 'table') throw new Error('not a table');
      expect(shown[0].rows.map((r) => r[0])).toEqual(['taken', 'u']);
      await exec(s, "SET 'execution.runtime-mode' = 'batch'");
      expect((await select(s, 'SELECT COUNT(*) FROM u')).rows).toEqual(['3']);
      await expect(s.executeAll('SELECT * FROM t')).rejects.toThrow(/Object 't' not found/);
      await exec(s, 'ALTER TABLE default_catalog.default_database.u RENAME TO default_database.v');
      await expect(s.executeAll('ALTER TABLE v RENAME TO taken')).rejects.toThrow('Table (or view) default_database.taken already exists in Catalog default_catalog.');
      await exec(s, 'ALTER TABLE IF EXISTS nope RENAME TO w');
      await exec(s, 'CREATE DATABASE d2');
      await expect(s.executeAll('ALTER TABLE v RENAME TO d2.w')).rejects.toThrow(/keeps a table in its database: default_catalog.d2.w is not in default_catalog.default_database/);
      await exec(s, "CREATE TEMPORARY TABLE tmp (a INT) WITH ('connector' = 'blackhole')");
      await expect(s.executeAll('ALTER TABLE tmp RENAME TO tmp2')).rejects.toThrow(/is a temporary table/);
    });
  });

  it("refuses on a hadoop catalog as Flink does ('Cannot rename Hadoop tables')", async () => {
    const wh = path.join(dir, 'wh-rename');
    await session(async (s) => {
      const cat = `CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${wh}')`;
      await exec(s, `${cat}; CREATE DATABASE ice.db; CREATE TABLE ice.db.t (a INT)`);
      await expect(s.executeAll('ALTER TABLE ice.db.t RENAME TO u')).rejects.toThrow(/^Cannot rename Hadoop tables: a table of the hadoop catalog is its folder/);
      await expect(s.executeAll('ALTER TABLE ice.db.nope RENAME TO u')).rejects.toThrow(/Object 'nope' not found in ice.db/);
    });
  });
});

describe('ALTER TABLE column changes: Iceberg tables', () => {
  const wh = () => path.join(dir, 'wh');
  const cat = () => `CREATE CATALOG IF NOT EXISTS ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${wh()}')`;

  it('commits new schemas with field ids kept; older files are read by field id', async () => {
    await session(async (s) => {
      await exec(
        s,
        `${cat()}; CREATE DATABASE IF NOT EXISTS ice.db;
         CREATE TABLE ice.db.t (id INT NOT NULL, v FLOAT, amount DECIMAL(10, 2), name STRING, note STRING, PRIMARY KEY (id) NOT ENFORCED);
         SET 'execution.runtime-mode' = 'batch';
         INSERT INTO ice.db.t VALUES (1, CAST(1.5 AS FLOAT), CAST(12345678.91 AS DECIMAL(10, 2)), 'one', 'x'), (2, CAST(NULL AS FLOAT), CAST(-0.01 AS DECIMAL(10, 2)), CAST(NULL AS STRING), 'y');`,
      );
      await exec(s, `${cat()}; ALTER TABLE ice.db.t ADD (extra STRING AFTER id)`);
      await exec(s, `${cat()}; ALTER TABLE ice.db.t RENAME name TO label`);
      await exec(s, `${cat()}; ALTER TABLE ice.db.t MODIFY (id BIGINT NOT NULL, v DOUBLE, amount DECIMAL(14, 2))`);
      await exec(s, `${cat()}; ALTER TABLE ice.db.t DROP note`);
      await exec(
        s,
        `${cat()}; SET 'execution.runtime-mode' = 'batch';
         INSERT INTO ice.db.t VALUES (9007199254740993, 'e', CAST(0.25 AS DOUBLE), CAST(999999999999.99 AS DECIMAL(14, 2)), 'three');`,
      );
      const got = await select(s, `${cat()}; SET 'execution.runtime-mode' = 'batch'; SELECT * FROM ice.db.t`);
      expect(got.names).toEqual(['id', 'extra', 'v', 'amount', 'label']);
      expect(got.types).toEqual(['BIGINT NOT NULL', 'STRING', 'DOUBLE', 'DECIMAL(14, 2)', 'STRING']);
      expect(got.rows).toEqual(['1,<NULL>,1.5,12345678.91,one', '2,<NULL>,<NULL>,-0.01,<NULL>', '9007199254740993,e,0.25,999999999999.99,three']);

      // Errors name the column and the rule.
      await expect(s.executeAll(`${cat()}; ALTER TABLE ice.db.t MODIFY label INT`)).rejects.toThrow(/Cannot change column `label` .* from string to int/);
      await expect(s.executeAll(`${cat()}; ALTER TABLE ice.db.t MODIFY amount DECIMAL(14, 3)`)).rejects.toThrow(/Cannot change column `amount`/);
      await expect(s.executeAll(`${cat()}; ALTER TABLE ice.db.t ADD (req INT NOT NULL)`)).rejects.toThrow(/cannot add required column `req`/);
      await expect(s.executeAll(`${cat()}; ALTER TABLE ice.db.t DROP id`)).rejects.toThrow(/`id` is used as the primary key/);
    });

    const hint = (await fs.readFile(path.join(wh(), 'db/t/metadata/version-hint.text'), 'utf8')).trim();
    const meta = JSON.parse(await fs.readFile(path.join(wh(), `db/t/metadata/v${hint}.metadata.json`), 'utf8'));
    expect(meta.schemas.map((x: { 'schema-id': number }) => x['schema-id'])).toEqual([0, 1, 2, 3, 4]);
    expect(meta['current-schema-id']).toBe(4);
    expect(meta['last-column-id']).toBe(6);
    const current = meta.schemas[4];
    expect(current.fields.map((f: { id: number; name: string; type: string }) => `${f.id}:${f.name}:${f.type}`)).toEqual([
      '1:id:long',
      '6:extra:string',
      '2:v:double',
      '3:amount:decimal(14, 2)',
      '4:label:string',
    ]);
    expect(current['identifier-field-ids']).toEqual([1]);

    if (hasPeer('pyiceberg')) {
      const py = await readIcebergTable({ kind: 'hadoop', warehouse: wh() }, 'db.t');
      expect(py.columns).toEqual(['id', 'extra', 'v', 'amount', 'label']);
      expect(py.schema['schema-id']).toBe(4);
      expect(py.rows.map((r) => r.map((v) => (v === null ? '<NULL>' : String(v))).join(',')).sort()).toEqual([
        '1,<NULL>,1.5,12345678.91,one',
        '2,<NULL>,<NULL>,-0.01,<NULL>',
        '9007199254740993,e,0.25,999999999999.99,three',
      ]);
    }
  }, 120_000);
});
