// S1's catalog configuration: Iceberg's REST catalog server whose warehouse is on S3 (moto on
// 127.0.0.1) through Iceberg's S3FileIO, as in docker-compose.yml; tsstream gets the S3 endpoint
// and path-style access in CREATE CATALOG. pyiceberg reads the table back through the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { Session, collectQuery } from '../../src/cli/session.js';
import { formatTimestamp } from '../../src/common/time.js';
import { tempDir } from '../iceberg/helpers.js';
import { hasPeer, peer, skipReason } from '../peers/index.js';
import { startIcebergRest, type IcebergRestServer } from '../peers/iceberg-rest.js';
import { s3Options, type MotoEndpoint } from '../peers/moto.js';
import { fieldSummary, readIcebergTable, writeIcebergTable } from '../peers/pyiceberg.js';
import { freshBucket, listKeys } from '../peers/s3-util.js';

const ready = hasPeer('moto') && hasPeer('pyiceberg');
let rest: IcebergRestServer;
let dir: string;
let bucket: string;
let s3: Record<string, string>;

describe.skipIf(!ready)(`REST catalog with an S3 warehouse (${skipReason('moto') ?? skipReason('pyiceberg') ?? 'moto running'})`, () => {
  beforeAll(async () => {
    dir = await tempDir('tsstream-rest-s3-');
    const moto = peer<MotoEndpoint>('moto');
    s3 = s3Options(moto);
    bucket = await freshBucket(moto, 'warehouse');
    // Iceberg's own server writes table metadata to S3 with S3FileIO.
    rest = await startIcebergRest({ warehouse: `s3://${bucket}/`, 'io-impl': 'org.apache.iceberg.aws.s3.S3FileIO', ...s3 });
  }, 120_000);

  afterAll(async () => {
    await rest?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('runs S1: CREATE CATALOG … rest + s3, INSERT, SELECT', async () => {
    const input = `${dir}/events.jsonl`;
    await fs.writeFile(
      input,
      [
        '{"event_id":"e001","user_id":"u001","event_type":"click","event_time":"2025-12-29T10:00:00"}',
        '{"event_id":"e002","user_id":"u002","event_type":"view","event_time":"2025-12-29T10:00:05"}',
        '{"event_id":"e003","user_id":"u001","event_type":"purchase","event_time":"2025-12-29T10:00:10"}',
      ].join('\n') + '\n',
    );
    const catalog = `CREATE CATALOG iceberg_catalog WITH (
      'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = '${rest.uri}',
      'warehouse' = 's3://${bucket}/', 'io-impl' = 'org.apache.iceberg.aws.s3.S3FileIO',
      's3.endpoint' = '${s3['s3.endpoint']}', 's3.path-style-access' = 'true',
      's3.access-key-id' = '${s3['s3.access-key-id']}', 's3.secret-access-key' = '${s3['s3.secret-access-key']}', 'client.region' = '${s3['client.region']}');`;
    const session = new Session({ log: () => {} });
    try {
      const results = await session.executeAll(`
        CREATE TABLE kafka_events (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
          WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
        WITH ('connector' = 'filesystem', 'path' = '${input}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
        ${catalog}
        USE CATALOG iceberg_catalog;
        CREATE DATABASE IF NOT EXISTS demo;
        USE demo;
        CREATE TABLE events (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(6));
        INSERT INTO iceberg_catalog.demo.events SELECT event_id, user_id, event_type, event_time FROM default_catalog.default_database.kafka_events;`);
      for (const r of results) if (r.kind === 'job') await r.job.run();
    } finally {
      await session.close();
    }
    const reader = new Session({ log: () => {} });
    try {
      const res = await reader.executeAll(`${catalog} SET 'execution.runtime-mode' = 'batch'; SELECT * FROM iceberg_catalog.demo.events ORDER BY event_id;`);
      const q = res[res.length - 1];
      if (q.kind !== 'query') throw new Error('not a query');
      const rows = (await collectQuery(q)).map((r) => [r[0], r[2], formatTimestamp(r[3] as number, 0)]);
      expect(rows).toEqual([
        ['e001', 'click', '2025-12-29 10:00:00'],
        ['e002', 'view', '2025-12-29 10:00:05'],
        ['e003', 'purchase', '2025-12-29 10:00:10'],
      ]);
    } finally {
      await reader.close();
    }
    // Everything is on S3, under the server's warehouse: metadata written by Iceberg's server
    // (create + commit), data files and manifests by tsstream.
    const keys = await listKeys(peer<MotoEndpoint>('moto'), bucket);
    expect(keys.filter((k) => /^demo\/events\/metadata\/\d{5}-[0-9a-f-]+\.metadata\.json$/.test(k))).toHaveLength(2);
    expect(keys.some((k) => /^demo\/events\/data\/.+\.parquet$/.test(k))).toBe(true);
    expect(keys.some((k) => /^demo\/events\/metadata\/snap-.+\.avro$/.test(k))).toBe(true);
    // Iceberg's Python implementation reads the same table from S3 through the server.
    const py = await readIcebergTable({ kind: 'rest', uri: rest.uri, props: s3 }, 'demo.events');
    expect(py.location).toBe(`s3://${bucket}/demo/events`);
    expect(fieldSummary(py)).toEqual([
      [1, 'event_id', 'string'],
      [2, 'user_id', 'string'],
      [3, 'event_type', 'string'],
      [4, 'event_time', 'timestamp'],
    ]);
    expect(py.rows.sort()).toEqual([
      ['e001', 'u001', 'click', '2025-12-29T10:00:00.000000'],
      ['e002', 'u002', 'view', '2025-12-29T10:00:05.000000'],
      ['e003', 'u001', 'purchase', '2025-12-29T10:00:10.000000'],
    ]);
    expect(py.snapshots).toHaveLength(1);
    expect(py.currentSnapshot?.summary).toMatchObject({ operation: 'append', 'added-records': '3', 'total-records': '3' });
  }, 120_000);

  it('reads a partitioned table that pyiceberg wrote to S3 through the same server', async () => {
    const w = await writeIcebergTable({ kind: 'rest', uri: rest.uri, props: s3 }, 'py.orders', {
      columns: [
        { name: 'order_id', type: 'long', required: true },
        { name: 'day', type: 'date' },
        { name: 'amount', type: 'decimal(9, 2)' },
        { name: 'at', type: 'timestamptz' },
      ],
      partitionBy: [{ column: 'day', transform: 'identity' }],
      rows: [
        ['1', '2025-12-29', '10.50', '2025-12-29T10:00:00.000001+00:00'],
        ['2', '2025-12-30', '-0.01', '2025-12-30T23:59:59.999999+00:00'],
        ['3', '2025-12-29', null, null],
      ],
    });
    expect(w.metadataLocation).toMatch(new RegExp(`^s3://${bucket}/py/orders/metadata/`));
    const session = new Session({ log: () => {} });
    try {
      const res = await session.executeAll(`CREATE CATALOG pyc WITH (
        'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = '${rest.uri}',
        's3.endpoint' = '${s3['s3.endpoint']}', 's3.path-style-access' = 'true',
        's3.access-key-id' = '${s3['s3.access-key-id']}', 's3.secret-access-key' = '${s3['s3.secret-access-key']}', 'client.region' = '${s3['client.region']}');
        SET 'execution.runtime-mode' = 'batch';
        SELECT order_id, CAST(\`day\` AS STRING), CAST(amount AS STRING), CAST(\`at\` AS STRING) FROM pyc.py.orders WHERE \`day\` = DATE '2025-12-29' ORDER BY order_id;`);
      const q = res[res.length - 1];
      if (q.kind !== 'query') throw new Error('not a query');
      expect((await collectQuery(q)).map((r) => r.map((v) => (v === null ? null : String(v))))).toEqual([
        ['1', '2025-12-29', '10.50', '2025-12-29 10:00:00.000001'],
        ['3', '2025-12-29', null, null],
      ]);
    } finally {
      await session.close();
    }
  }, 120_000);
});
