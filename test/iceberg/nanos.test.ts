// TIMESTAMP(9) into Iceberg: Iceberg v2 `timestamp`/`timestamptz` hold microseconds. As Flink 1.20's
// Iceberg connector does, CREATE TABLE maps TIMESTAMP(9) to `timestamp` (the table then reads as
// TIMESTAMP(6)) and an INSERT truncates the digits below the microsecond (towards the past:
// 1969-12-31 23:59:59.999999999 is stored as …59.999999). With the flink peer, Flink does the same
// statements on its own table and reads tsstream's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Session, collectQuery } from '../../src/cli/session.js';
import { cellText } from '../../src/cli/tableau.js';
import { tempDir } from './helpers.js';
import { hasPeer, peer } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { runOnFlink } from '../peers/flink-client.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('tsstream-iceberg-nanos-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const cat = (wh: string) => `CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${wh}')`;
const CREATE = 'CREATE TABLE ice.db.t9 (id INT, ts TIMESTAMP(9), ltz TIMESTAMP_LTZ(9))';
const INSERT = `INSERT INTO ice.db.t9 VALUES
  (1, TIMESTAMP '2024-01-01 00:00:01.123456789', CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS TIMESTAMP_LTZ(9))),
  (2, TIMESTAMP '1969-12-31 23:59:59.999999999', CAST(TIMESTAMP '1969-12-31 23:59:59.999999999' AS TIMESTAMP_LTZ(9)))`;
const EXPECTED = ['1,2024-01-01 00:00:01.123456,2024-01-01 00:00:01.123456', '2,1969-12-31 23:59:59.999999,1969-12-31 23:59:59.999999'];

async function tsstreamRows(s: Session, sql: string): Promise<{ types: string[]; rows: string[] }> {
  const res = await s.executeAll(`SET 'execution.runtime-mode' = 'batch'; ${sql}`);
  const q = res[res.length - 1];
  if (q.kind !== 'query' && q.kind !== 'table') throw new Error(`not a query: ${q.kind}`);
  const rows = q.kind === 'query' ? await collectQuery(q) : q.rows;
  return { types: q.columns.map((c) => c.type.kind), rows: cellText(rows, q.columns).map((r) => r.join(',')).sort() };
}

describe('TIMESTAMP(9) into Iceberg', () => {
  it('is stored as microseconds, truncated, and the table column reads as TIMESTAMP(6), as Flink does', async () => {
    const wh = path.join(dir, 'tsstream');
    const s = new Session({ log: () => {} });
    try {
      for (const r of await s.executeAll(`${cat(wh)}; CREATE DATABASE ice.db; ${CREATE}; SET 'execution.runtime-mode' = 'batch'; ${INSERT};`)) {
        if (r.kind === 'job') await r.job.run();
      }
      const described = await tsstreamRows(s, 'DESCRIBE ice.db.t9');
      expect(described.rows.map((r) => r.split(',').slice(0, 2).join(' '))).toEqual(['id INT', 'ltz TIMESTAMP_LTZ(6)', 'ts TIMESTAMP(6)']);
      const meta = JSON.parse(await fs.readFile(path.join(wh, 'db', 't9', 'metadata', 'v1.metadata.json'), 'utf8'));
      expect(meta.schemas.at(-1).fields.map((f: { type: string }) => f.type)).toEqual(['int', 'timestamp', 'timestamptz']);
      expect((await tsstreamRows(s, 'SELECT * FROM ice.db.t9')).rows).toEqual(EXPECTED);
    } finally {
      await s.close();
    }
    if (!hasPeer('flink')) return;
    const flink = peer<FlinkEndpoint>('flink');
    const fwh = path.join(dir, 'flink');
    const res = await runOnFlink([`${cat(`file://${fwh}`)}`, 'CREATE DATABASE ice.db', CREATE, INSERT, 'SELECT * FROM ice.db.t9', 'DESCRIBE ice.db.t9'], {
      flink,
      properties: { 'execution.runtime-mode': 'batch', 'table.local-time-zone': 'UTC' },
    });
    expect(res[4].rows.map((r) => r.text.join(',')).sort()).toEqual(EXPECTED);
    expect(res[5].rows.map((r) => `${r.text[0]} ${r.text[1]}`).sort()).toEqual(['id INT', 'ltz TIMESTAMP_LTZ(6)', 'ts TIMESTAMP(6)']);
    // Flink reads the table tsstream wrote.
    const read = await runOnFlink([`${cat(`file://${wh}`)}`, 'SELECT * FROM ice.db.t9'], { flink, properties: { 'execution.runtime-mode': 'batch', 'table.local-time-zone': 'UTC' } });
    expect(read[1].rows.map((r) => r.text.join(',')).sort()).toEqual(EXPECTED);
  }, 240_000); // Flink's three jobs
});
