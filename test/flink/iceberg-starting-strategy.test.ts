// Where a streaming read of an Iceberg table starts: Flink's Iceberg source options
// 'starting-strategy', 'start-snapshot-id' and 'start-snapshot-timestamp' (and, in batch mode,
// 'start-snapshot-id'/'end-snapshot-id' as an incremental read), compared with Flink 1.20's
// Iceberg connector (iceberg-flink-runtime 1.9.2) on the same table of three append snapshots.
// Flink's default strategy is INCREMENTAL_FROM_LATEST_SNAPSHOT: only the files the current
// snapshot appended, then later appends; a 'start-snapshot-id' without the strategy is ignored.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { icebergConnectorFactory } from '../../src/connectors/iceberg/index.js';
import type { TableDescriptor } from '../../src/common/connector.js';
import { T } from '../../src/common/types.js';
import { Session } from '../../src/cli/session.js';
import { runtimeContext } from '../iceberg/helpers.js';
import { hasPeer, peer } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { runOnFlink } from '../peers/flink-client.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-flink-iceberg-start-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** tsstream's read of the table with these options: rows until nothing more comes. */
async function tsstreamRows(warehouse: string, options: Record<string, string>, batch = false): Promise<string[]> {
  const desc: TableDescriptor = {
    path: { catalog: 'default_catalog', database: 'default_database', table: 't' },
    physical: [{ name: 'id', type: T.bigint() }],
    metadata: [],
    options: { connector: 'iceberg', 'metadata-location': path.join(warehouse, 'db/t'), 'monitor-interval': '10ms', ...(batch ? {} : { streaming: 'true' }), ...options },
    partitionKeys: [],
  };
  const src = icebergConnectorFactory.createSource!(desc, { batch }, { config: new Map() });
  await src.open(runtimeContext());
  const rows: string[] = [];
  try {
    for (let i = 0, idle = 0; i < 200 && idle < 10; i++) {
      const b = await src.poll(20);
      if (b === null) break;
      const n = b.reduce((k, x) => k + x.rows.length, 0);
      idle = n === 0 ? idle + 1 : 0;
      for (const x of b) for (const r of x.rows) rows.push(String(r[0]));
    }
  } finally {
    await src.close();
  }
  return rows.sort();
}

it.skipIf(!hasPeer('flink'))("'starting-strategy', 'start-snapshot-id' and 'start-snapshot-timestamp' start where Flink's Iceberg source starts", async () => {
  const flink = peer<FlinkEndpoint>('flink');
  const warehouse = path.join(dir, 'wh');
  const catalog = `CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'file://${warehouse}')`;
  const batch = { flink, properties: { 'execution.runtime-mode': 'batch' } };
  await runOnFlink([catalog, 'CREATE DATABASE ice.db', 'CREATE TABLE ice.db.t (id BIGINT)', 'INSERT INTO ice.db.t VALUES (1), (2)', 'INSERT INTO ice.db.t VALUES (3), (4)', 'INSERT INTO ice.db.t VALUES (5), (6)'], batch);
  const [, snaps] = await runOnFlink([catalog, 'SELECT snapshot_id, committed_at FROM ice.db.`t$snapshots` ORDER BY committed_at'], batch);
  expect(snaps.rows).toHaveLength(3);
  const [s1, s2] = snaps.rows.map((r) => r.text[0]);
  const s2Ms = String(Date.parse(`${snaps.rows[1].text[1].replace(' ', 'T')}Z`));

  // A streaming read is collected for 10 s, or 3 s more once the rows a case expects have come
  // (Flink reads every file a discovery finds at once, so rows beyond them would come with them).
  const flinkRows = async (hint: string, runtimeMode = 'streaming', expectRows = Infinity): Promise<string[]> => {
    const streamingOpts = runtimeMode === 'streaming' ? "'streaming' = 'true', " : '';
    const [, res] = await runOnFlink([catalog, `SELECT id FROM ice.db.t /*+ OPTIONS(${streamingOpts}'monitor-interval' = '1s'${hint ? `, ${hint}` : ''}) */`], {
      flink,
      properties: { 'execution.runtime-mode': runtimeMode },
      collectForMs: 10_000,
      settleAfter: { rows: expectRows, ms: 3_000 },
      timeoutMs: 90_000,
    });
    return res.rows.map((r) => r.text[0]).sort();
  };
  const cases: [string, Record<string, string>, string[]][] = [
    ['', {}, ['5', '6']],
    [`'start-snapshot-id' = '${s1}'`, { 'start-snapshot-id': s1 }, ['5', '6']], // ignored without the strategy, as in Flink
    [`'starting-strategy' = 'TABLE_SCAN_THEN_INCREMENTAL'`, { 'starting-strategy': 'TABLE_SCAN_THEN_INCREMENTAL' }, ['1', '2', '3', '4', '5', '6']],
    [`'starting-strategy' = 'INCREMENTAL_FROM_EARLIEST_SNAPSHOT'`, { 'starting-strategy': 'INCREMENTAL_FROM_EARLIEST_SNAPSHOT' }, ['1', '2', '3', '4', '5', '6']],
    [`'starting-strategy' = 'INCREMENTAL_FROM_SNAPSHOT_ID', 'start-snapshot-id' = '${s2}'`, { 'starting-strategy': 'INCREMENTAL_FROM_SNAPSHOT_ID', 'start-snapshot-id': s2 }, ['3', '4', '5', '6']],
    [
      `'starting-strategy' = 'INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP', 'start-snapshot-timestamp' = '${s2Ms}'`,
      { 'starting-strategy': 'INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP', 'start-snapshot-timestamp': s2Ms },
      ['3', '4', '5', '6'],
    ],
  ];
  for (const [hint, options, want] of cases) {
    expect({ hint, flink: await flinkRows(hint, 'streaming', want.length) }).toEqual({ hint, flink: want });
    expect({ hint, tsstream: await tsstreamRows(warehouse, options) }).toEqual({ hint, tsstream: want });
  }
  // Batch mode: the files appended after 'start-snapshot-id' (exclusive), up to 'end-snapshot-id'.
  expect(await flinkRows(`'start-snapshot-id' = '${s1}'`, 'batch')).toEqual(['3', '4', '5', '6']);
  expect(await tsstreamRows(warehouse, { 'start-snapshot-id': s1 }, true)).toEqual(['3', '4', '5', '6']);
  expect(await flinkRows(`'start-snapshot-id' = '${s1}', 'end-snapshot-id' = '${s2}'`, 'batch')).toEqual(['3', '4']);
  expect(await tsstreamRows(warehouse, { 'start-snapshot-id': s1, 'end-snapshot-id': s2 }, true)).toEqual(['3', '4']);
  expect(await tsstreamRows(warehouse, { 'starting-strategy': 'INCREMENTAL_FROM_LATEST_SNAPSHOT_EXCLUSIVE' })).toEqual([]);

  // Errors, where Flink fails too: a snapshot id not in the history, no snapshot after the time,
  // a strategy without its option; the strategy is spelled as Flink spells it.
  await expect(flinkRows(`'starting-strategy' = 'INCREMENTAL_FROM_SNAPSHOT_ID', 'start-snapshot-id' = '123'`)).rejects.toThrow(/Start snapshot id not found in history: 123/);
  await expect(tsstreamRows(warehouse, { 'starting-strategy': 'INCREMENTAL_FROM_SNAPSHOT_ID', 'start-snapshot-id': '123' })).rejects.toThrow(
    "Start snapshot id not found in history: 123 ('start-snapshot-id')",
  );
  const future = String(Date.now() + 86_400_000);
  await expect(flinkRows(`'starting-strategy' = 'INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP', 'start-snapshot-timestamp' = '${future}'`)).rejects.toThrow(`Cannot find a snapshot after: ${future}`);
  await expect(tsstreamRows(warehouse, { 'starting-strategy': 'INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP', 'start-snapshot-timestamp': future })).rejects.toThrow(
    `Cannot find a snapshot after: ${future} ('start-snapshot-timestamp')`,
  );
  await expect(tsstreamRows(warehouse, { 'starting-strategy': 'INCREMENTAL_FROM_SNAPSHOT_ID' })).rejects.toThrow("'starting-strategy' INCREMENTAL_FROM_SNAPSHOT_ID needs 'start-snapshot-id'");
  // One snapshot ('snapshot-id', 'as-of-timestamp', 'tag') is a batch read only.
  await expect(flinkRows(`'snapshot-id' = '${s1}'`)).rejects.toThrow(/Cannot set snapshot-id option for streaming reader/);
  await expect(tsstreamRows(warehouse, { 'snapshot-id': s1 })).rejects.toThrow(/^Cannot set snapshot-id option for streaming reader/);
  const s = new Session({ log: () => {} });
  try {
    await expect(
      s.executeAll(`CREATE TABLE t (id BIGINT) WITH ('connector' = 'iceberg', 'metadata-location' = '${path.join(warehouse, 'db/t')}', 'streaming' = 'true', 'starting-strategy' = 'incremental_from_earliest_snapshot'); SELECT * FROM t;`),
    ).rejects.toThrow(/'starting-strategy'.*one of 'TABLE_SCAN_THEN_INCREMENTAL'/);
  } finally {
    await s.close();
  }
}, 600_000);
