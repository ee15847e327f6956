// What Flink 1.20's Iceberg source (iceberg-flink-runtime 1.9) does in a streaming read when the
// table's history holds an overwrite snapshot (an upsert commit: equality deletes + data files):
// it reads append snapshots only and passes over the overwrite without failing (Iceberg's
// IncrementalAppendScan). tsstream's streaming read of the same table, from the same snapshot
// (INCREMENTAL_FROM_SNAPSHOT_ID, inclusive), gives the same rows (tsstream's default;
// 'streaming-skip-overwrite-snapshots' = 'false' fails instead).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { icebergConnectorFactory } from '../../src/connectors/iceberg/index.js';
import type { TableDescriptor } from '../../src/common/connector.js';
import { T } from '../../src/common/types.js';
import { runtimeContext } from '../iceberg/helpers.js';
import { hasPeer, peer } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { runOnFlink } from '../peers/flink-client.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-flink-iceberg-stream-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const catalog = (warehouse: string) => `CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${warehouse}')`;

it.skipIf(!hasPeer('flink'))('a streaming read passes over overwrite (upsert) snapshots and reads the appends after them, as Flink does', async () => {
  const flink = peer<FlinkEndpoint>('flink');
  const warehouse = path.join(dir, 'wh');
  const batch = { flink, properties: { 'execution.runtime-mode': 'batch' } };
  await runOnFlink(
    [
      catalog(`file://${warehouse}`),
      'CREATE DATABASE IF NOT EXISTS ice.db',
      "CREATE TABLE ice.db.u (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('format-version' = '2')",
      "INSERT INTO ice.db.u VALUES (0, 'start')",
      "INSERT INTO ice.db.u VALUES (1, 'a'), (2, 'b')",
      "INSERT INTO ice.db.u /*+ OPTIONS('upsert-enabled' = 'true') */ VALUES (1, 'a2'), (3, 'c')",
      "INSERT INTO ice.db.u VALUES (4, 'd'), (5, 'e')",
    ],
    batch,
  );
  const [, snaps] = await runOnFlink([catalog(`file://${warehouse}`), 'SELECT snapshot_id, operation FROM ice.db.`u$snapshots` ORDER BY committed_at'], batch);
  expect(snaps.rows.map((r) => r.text[1])).toEqual(['append', 'append', 'overwrite', 'append']);
  const start = snaps.rows[2].text[0];

  const [, , streamed] = await runOnFlink(
    [catalog(`file://${warehouse}`), "SET 'execution.runtime-mode' = 'streaming'", `SELECT * FROM ice.db.u /*+ OPTIONS('streaming' = 'true', 'monitor-interval' = '1s', 'starting-strategy' = 'INCREMENTAL_FROM_SNAPSHOT_ID', 'start-snapshot-id' = '${start}') */`],
    { flink, maxRows: 2, timeoutMs: 90_000 },
  );
  // Started at the overwrite snapshot, Flink passes over it and reads the append after it.
  const flinkRows = streamed.rows.map((r) => `${r.kind} ${r.text.join(',')}`);
  expect(flinkRows).toEqual(['+I 4,d', '+I 5,e']);

  // tsstream from the same snapshot: the same rows, no failure.
  const desc: TableDescriptor = {
    path: { catalog: 'default_catalog', database: 'default_database', table: 'u' },
    physical: [
      { name: 'id', type: T.bigint() },
      { name: 'name', type: T.string() },
    ],
    metadata: [],
    options: {
      connector: 'iceberg',
      'metadata-location': path.join(warehouse, 'db/u'),
      streaming: 'true',
      'monitor-interval': '10ms',
      'starting-strategy': 'INCREMENTAL_FROM_SNAPSHOT_ID',
      'start-snapshot-id': start,
    },
    partitionKeys: [],
  };
  const src = icebergConnectorFactory.createSource!(desc, { batch: false }, { config: new Map() });
  await src.open(runtimeContext());
  const rows: string[] = [];
  for (let i = 0; i < 40 && rows.length < 2; i++) {
    const b = await src.poll(20);
    if (b === null) break;
    for (const x of b) for (const r of x.rows) rows.push(`+I ${r.join(',')}`);
  }
  await src.close();
  expect(rows.sort()).toEqual(flinkRows);
}, 300_000);
