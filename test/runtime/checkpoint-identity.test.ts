// A checkpoint belongs to the sources and sinks it was taken with: resuming it into another
// table (another warehouse, or a table dropped and made again) or another topic is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session, collectQuery } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tsstream-chk-identity-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The same SQL and pipeline.name each time; only the warehouse (or the source channel) differs. */
function script(warehouse: string, channel: string): string {
  return `
    SET 'execution.checkpointing.dir' = '${path.join(dir, 'checkpoints')}';
    SET 'pipeline.name' = 'orders-to-iceberg';
    CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${warehouse}');
    CREATE DATABASE IF NOT EXISTS ice.db;
    CREATE TABLE IF NOT EXISTS ice.db.orders (id INT);
    CREATE TEMPORARY TABLE src (id INT) WITH ('connector' = 'memory', 'channel' = '${channel}', 'bounded' = 'true');
    INSERT INTO ice.db.orders SELECT id FROM src;`;
}

async function run(sql: string): Promise<void> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(sql);
    for (const r of res) if (r.kind === 'job') await r.job.run();
  } finally {
    await session.close();
  }
}

async function count(warehouse: string): Promise<number> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(`
      SET 'execution.runtime-mode' = 'batch';
      CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${warehouse}');
      SELECT COUNT(*) FROM ice.db.orders;`);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error('expected a query');
    return Number((await collectQuery(q))[0][0]);
  } finally {
    await session.close();
  }
}

function feed(channel: string, ids: number[]): void {
  const c = memoryChannel(channel);
  c.push(ids.map((i) => [i]));
  c.end();
}

describe('a checkpoint is bound to the tables and topics it was taken with', () => {
  it("refuses another warehouse's table with the same SQL and pipeline.name, and commits nothing into it", async () => {
    const wh1 = path.join(dir, 'wh1');
    const wh2 = path.join(dir, 'wh2');
    feed('identity-a', [1, 2, 3]);
    await run(script(wh1, 'identity-a'));
    expect(await count(wh1)).toBe(3);
    feed('identity-a', [10, 11]);
    await expect(run(script(wh2, 'identity-a'))).rejects.toThrow(
      /checkpoint 1 .*orders-to-iceberg.* was taken with sink ice\.db\.orders = Iceberg table .*wh1.*; this job's sink ice\.db\.orders is Iceberg table .*wh2/s,
    );
    expect(await count(wh2)).toBe(0);
  });

  it('refuses an Iceberg table that was dropped and created again at the same place (another table UUID)', async () => {
    const wh = path.join(dir, 'wh3');
    const ckp = path.join(dir, 'checkpoints');
    await fs.rm(ckp, { recursive: true, force: true });
    feed('identity-c', [1, 2]);
    await run(script(wh, 'identity-c'));
    await fs.rm(path.join(wh, 'db', 'orders'), { recursive: true, force: true });
    await run(`CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${wh}'); CREATE TABLE ice.db.orders (id INT);`);
    feed('identity-c', [5]);
    await expect(run(script(wh, 'identity-c'))).rejects.toThrow(/sink ice\.db\.orders = Iceberg table db\.orders \(table-uuid=[-0-9a-f]+, location=.*\); this job's sink ice\.db\.orders is Iceberg table db\.orders \(table-uuid=[-0-9a-f]+/);
    expect(await count(wh)).toBe(0);
  });

  it('names a source that reads another channel than the checkpoint was taken with', async () => {
    const wh = path.join(dir, 'wh5');
    await fs.rm(path.join(dir, 'checkpoints'), { recursive: true, force: true });
    feed('identity-f', [1]);
    await run(script(wh, 'identity-f'));
    feed('identity-g', [2]);
    await expect(run(script(wh, 'identity-g'))).rejects.toThrow(/source default_catalog\.default_database\.src = memory channel 'identity-f'.*is memory channel 'identity-g'/);
  });

  it('resumes when everything is the same', async () => {
    const wh = path.join(dir, 'wh4');
    await fs.rm(path.join(dir, 'checkpoints'), { recursive: true, force: true });
    const c = memoryChannel('identity-e');
    c.push([[1], [2]]);
    c.end();
    await run(script(wh, 'identity-e'));
    c.push([[3]]);
    await run(script(wh, 'identity-e'));
    expect(await count(wh)).toBe(3);
  });
});
