// S5's table maintenance: bin-pack small files (Athena's OPTIMIZE … BIN_PACK) and expire old
// snapshots (VACUUM) through CALL procedures, with the rows unchanged.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session, collectQuery } from '../../src/cli/session.js';

describe('Iceberg maintenance procedures', () => {
  it('compacts small files and expires snapshots without changing the rows', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-maint-'));
    const session = new Session({ log: () => {} });
    const run = async (sql: string) => {
      const out = [];
      for (const r of await session.executeAll(sql)) {
        if (r.kind === 'job') await r.job.run();
        if (r.kind === 'query') out.push(await collectQuery(r));
        if (r.kind === 'table') out.push(r.rows);
      }
      return out;
    };
    await run(`
      CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${dir}');
      CREATE DATABASE ice.demo;
      CREATE TABLE ice.demo.events (id INT, kind STRING);
      SET 'execution.runtime-mode' = 'batch';`);
    for (let i = 0; i < 3; i++) await run(`INSERT INTO ice.demo.events VALUES (${2 * i}, 'a'), (${2 * i + 1}, 'b');`);
    const [files] = await run('SELECT COUNT(*) FROM ice.demo.`events$files`;');
    expect(files).toEqual([[3]]);
    const [rewrite] = await run(`CALL ice.system.rewrite_data_files(table => 'demo.events');`);
    expect(rewrite).toEqual([[3, 1]]);
    const [expire] = await run(`CALL ice.system.expire_snapshots(table => 'demo.events', older_than => TIMESTAMP '2999-01-01 00:00:00', retain_last => 1);`);
    expect(expire[0][0]).toBe(3);
    expect(expire[0][1]).toBeGreaterThanOrEqual(3); // the three small data files at least
    const [snapshots, after, rows] = await run('SELECT operation FROM ice.demo.`events$snapshots`; SELECT COUNT(*) FROM ice.demo.`events$files`; SELECT id, kind FROM ice.demo.events ORDER BY id;');
    expect(snapshots).toEqual([['replace']]);
    expect(after).toEqual([[1]]);
    expect(rows).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'a'],
      [3, 'b'],
      [4, 'a'],
      [5, 'b'],
    ]);
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('Iceberg time travel', () => {
  it('reads the snapshot current at FOR SYSTEM_TIME AS OF TIMESTAMP', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-tt-'));
    const session = new Session({ log: () => {} });
    const run = async (sql: string) => {
      const out = [];
      for (const r of await session.executeAll(sql)) {
        if (r.kind === 'job') await r.job.run();
        if (r.kind === 'query') out.push(await collectQuery(r));
      }
      return out;
    };
    await run(`
      CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${dir}');
      CREATE DATABASE ice.demo;
      CREATE TABLE ice.demo.t (id INT);
      SET 'execution.runtime-mode' = 'batch';
      INSERT INTO ice.demo.t VALUES (1);`);
    await new Promise((r) => setTimeout(r, 20));
    const between = new Date().toISOString().replace('T', ' ').replace('Z', '');
    await new Promise((r) => setTimeout(r, 20));
    await run('INSERT INTO ice.demo.t VALUES (2);');
    const [now, then] = await run(`SELECT COUNT(*) FROM ice.demo.t; SELECT COUNT(*) FROM ice.demo.t FOR SYSTEM_TIME AS OF TIMESTAMP '${between}';`);
    expect(now).toEqual([[2]]);
    expect(then).toEqual([[1]]);
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
