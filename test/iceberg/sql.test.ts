// S1 and S2 of the scenarios, end to end through the SQL session, from the filesystem source
// into Iceberg tables of a local hadoop catalog, read back in batch mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { icebergRead } from 'icebird';
import { Session, collectQuery, type StatementResult } from '../../src/cli/session.js';
import { formatTimestamp } from '../../src/common/time.js';
import { tempDir, withLocalFetch } from './helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('tsstream-iceberg-sql-');
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function run(sql: string): Promise<StatementResult[]> {
  const session = new Session({ log: () => {} });
  try {
    const results = await session.executeAll(sql);
    for (const r of results) if (r.kind === 'job') await r.job.run();
    return results;
  } finally {
    await session.close();
  }
}

async function query(sql: string): Promise<string[][]> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(sql);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
    const rows = await collectQuery(q);
    return rows.map((r) =>
      r.map((v, i) => {
        const k = q.columns[i].type.kind;
        if (v === null) return 'NULL';
        return k === 'TIMESTAMP' || k === 'TIMESTAMP_LTZ' ? formatTimestamp(v as number, 3) : String(v);
      }),
    );
  } finally {
    await session.close();
  }
}

const catalogDdl = () => `CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${path.join(dir, 'warehouse')}');`;

describe('Iceberg through SQL', () => {
  it('S1: plain append, then one more event in a second run', async () => {
    const input = path.join(dir, 'events.jsonl');
    await fs.writeFile(
      input,
      [
        '{"event_id":"e001","user_id":"u001","event_type":"click","event_time":"2025-12-29T10:00:00"}',
        '{"event_id":"e002","user_id":"u002","event_type":"view","event_time":"2025-12-29T10:00:05"}',
        '{"event_id":"e003","user_id":"u001","event_type":"purchase","event_time":"2025-12-29T10:00:10"}',
      ].join('\n') + '\n',
    );
    const job = (file: string) => `
      CREATE TABLE kafka_events (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
        WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
      WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
      ${catalogDdl()}
      USE CATALOG iceberg_catalog;
      CREATE DATABASE IF NOT EXISTS demo;
      USE demo;
      CREATE TABLE IF NOT EXISTS events (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(6));
      INSERT INTO iceberg_catalog.demo.events SELECT event_id, user_id, event_type, event_time FROM default_catalog.default_database.kafka_events;`;
    await run(job(input));
    const sel = `${catalogDdl()} SET 'execution.runtime-mode' = 'batch'; SELECT * FROM iceberg_catalog.demo.events ORDER BY event_id;`;
    expect(await query(sel)).toEqual([
      ['e001', 'u001', 'click', '2025-12-29 10:00:00.000'],
      ['e002', 'u002', 'view', '2025-12-29 10:00:05.000'],
      ['e003', 'u001', 'purchase', '2025-12-29 10:00:10.000'],
    ]);
    const more = path.join(dir, 'more.jsonl');
    await fs.writeFile(more, '{"event_id":"e004","user_id":"u003","event_type":"login","event_time":"2025-12-29T10:01:00"}\n');
    await run(job(more));
    expect((await query(sel)).map((r) => r[0])).toEqual(['e001', 'e002', 'e003', 'e004']);
    const snaps = await query(`${catalogDdl()} SET 'execution.runtime-mode' = 'batch';
      SELECT operation, summary['added-records'], summary['total-records'], committed_at FROM iceberg_catalog.demo.\`events$snapshots\` ORDER BY committed_at;`);
    expect(snaps.map((r) => r.slice(0, 3))).toEqual([
      ['append', '3', '3'],
      ['append', '1', '4'],
    ]);
    // Time travel with an OPTIONS hint: the first snapshot has 3 rows.
    const ids = await query(`${catalogDdl()} SET 'execution.runtime-mode' = 'batch';
      SELECT snapshot_id, committed_at FROM iceberg_catalog.demo.\`events$snapshots\` ORDER BY committed_at;`);
    const first = await query(`${catalogDdl()} SET 'execution.runtime-mode' = 'batch';
      SELECT event_id FROM iceberg_catalog.demo.events /*+ OPTIONS('snapshot-id' = '${ids[0][0]}') */ ORDER BY event_id;`);
    expect(first.map((r) => r[0])).toEqual(['e001', 'e002', 'e003']);
    const read = await withLocalFetch(() => icebergRead({ tableUrl: path.join(dir, 'warehouse/demo/events') }));
    expect(read.map((r: Record<string, unknown>) => r.event_id).sort()).toEqual(['e001', 'e002', 'e003', 'e004']);
  });

  it('S2: TUMBLE counts land in Iceberg; $snapshots lists the commit', async () => {
    const input = path.join(dir, 'window-events.jsonl');
    await fs.writeFile(
      input,
      [
        '{"event_id":"w001","user_id":"u001","event_type":"click","event_time":"2025-12-29T10:00:10"}',
        '{"event_id":"w002","user_id":"u002","event_type":"click","event_time":"2025-12-29T10:00:20"}',
        '{"event_id":"w003","user_id":"u001","event_type":"view","event_time":"2025-12-29T10:00:30"}',
        '{"event_id":"w004","user_id":"u003","event_type":"click","event_time":"2025-12-29T10:00:45"}',
        '{"event_id":"w005","user_id":"u002","event_type":"purchase","event_time":"2025-12-29T10:00:55"}',
      ].join('\n') + '\n',
    );
    await run(`
      CREATE TABLE kafka_window_events (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
        WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
      WITH ('connector' = 'filesystem', 'path' = '${input}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
      ${catalogDdl()}
      CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;
      CREATE TABLE iceberg_catalog.demo.event_counts (window_start TIMESTAMP(6), window_end TIMESTAMP(6), event_type STRING, event_count BIGINT);
      INSERT INTO iceberg_catalog.demo.event_counts
      SELECT window_start, window_end, event_type, COUNT(*) AS event_count
      FROM TABLE(TUMBLE(TABLE kafka_window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
      GROUP BY window_start, window_end, event_type;`);
    expect(await query(`${catalogDdl()} SET 'execution.runtime-mode' = 'batch';
      SELECT * FROM iceberg_catalog.demo.event_counts ORDER BY window_start, event_type;`)).toEqual([
      ['2025-12-29 10:00:00.000', '2025-12-29 10:01:00.000', 'click', '3'],
      ['2025-12-29 10:00:00.000', '2025-12-29 10:01:00.000', 'purchase', '1'],
      ['2025-12-29 10:00:00.000', '2025-12-29 10:01:00.000', 'view', '1'],
    ]);
    const snaps = await query(`${catalogDdl()} SET 'execution.runtime-mode' = 'batch';
      SELECT snapshot_id, committed_at, operation FROM iceberg_catalog.demo.\`event_counts$snapshots\` ORDER BY committed_at;`);
    expect(snaps).toHaveLength(1);
    expect(snaps[0][2]).toBe('append');
    expect(Number(snaps[0][0])).toBeGreaterThan(0);
  });

  it('PARTITIONED BY, a WHERE on the partition column, DESCRIBE-able tables', async () => {
    const input = path.join(dir, 'sales.jsonl');
    await fs.writeFile(input, Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: i, region: i % 2 ? 'us' : 'eu', amount: i * 1.5 })).join('\n') + '\n');
    await run(`
      CREATE TABLE src (id INT, region STRING, amount DOUBLE) WITH ('connector' = 'filesystem', 'path' = '${input}', 'format' = 'json');
      ${catalogDdl()}
      CREATE TABLE iceberg_catalog.demo.sales (id INT, region STRING, amount DOUBLE) PARTITIONED BY (region);
      SET 'execution.runtime-mode' = 'batch';
      INSERT INTO iceberg_catalog.demo.sales SELECT * FROM src;`);
    const rows = await query(`${catalogDdl()} SET 'execution.runtime-mode' = 'batch';
      SELECT id, amount FROM iceberg_catalog.demo.sales WHERE region = 'us' AND id >= 15 ORDER BY id;`);
    expect(rows).toEqual([['15', '22.5'], ['17', '25.5'], ['19', '28.5']]);
    const files = await fs.readdir(path.join(dir, 'warehouse/demo/sales/data'));
    expect(files.sort()).toEqual(['region=eu', 'region=us']);
  });

  it("'connector' = 'iceberg' tables in the default catalog", async () => {
    const wh = path.join(dir, 'wh2');
    const ddl = `CREATE TABLE ice_t (k STRING, v BIGINT) WITH ('connector' = 'iceberg', 'catalog-name' = 'hc', 'catalog-type' = 'hadoop', 'warehouse' = '${wh}', 'catalog-database' = 'db1');`;
    await run(`${ddl} SET 'execution.runtime-mode' = 'batch'; INSERT INTO ice_t VALUES ('a', 1), ('b', 2);`);
    expect(await query(`${ddl} SET 'execution.runtime-mode' = 'batch'; SELECT * FROM ice_t ORDER BY k;`)).toEqual([['a', '1'], ['b', '2']]);
    const meta = await fs.readdir(path.join(wh, 'db1/ice_t/metadata'));
    expect(meta).toContain('version-hint.text');
  });
});

describe('Iceberg catalog statements', () => {
  it('SHOW DATABASES / SHOW TABLES / DESCRIBE / DROP TABLE', async () => {
    const session = new Session({ log: () => {} });
    try {
      const res = await session.executeAll(`
        ${catalogDdl()}
        USE CATALOG iceberg_catalog;
        CREATE DATABASE IF NOT EXISTS shop;
        USE shop;
        CREATE TABLE orders (id BIGINT NOT NULL, amount DECIMAL(10, 2), placed TIMESTAMP_LTZ(3), PRIMARY KEY (id) NOT ENFORCED) PARTITIONED BY (id);
        SHOW DATABASES;
        SHOW TABLES;
        DESCRIBE orders;
        ALTER TABLE orders SET ('write.parquet.compression-codec' = 'snappy', 'owner' = 'me');
        ALTER TABLE orders RESET ('owner');`);
      const entry = (await session.catalogs.getCatalog('iceberg_catalog').getTable('shop', 'orders')) as { options: Record<string, string> };
      expect(entry.options).toEqual({ 'write.parquet.compression-codec': 'snappy' });
      res.push(...(await session.executeAll(`DROP TABLE orders; SHOW TABLES;`)));
      const tables = res.filter((r): r is Extract<StatementResult, { kind: 'table' }> => r.kind === 'table');
      expect(tables[0].rows.map((r) => r[0])).toEqual(expect.arrayContaining(['shop', 'demo']));
      expect(tables[1].rows.map((r) => r[0])).toEqual(['orders']);
      const desc = tables[2].rows.map((r) => [r[0], r[1]]);
      expect(desc).toEqual([
        ['id', 'BIGINT'],
        ['amount', 'DECIMAL(10, 2)'],
        ['placed', 'TIMESTAMP_LTZ(6)'],
      ]);
      expect(tables[3].rows).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
