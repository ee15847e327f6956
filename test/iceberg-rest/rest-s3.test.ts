// S1's catalog configuration: a REST catalog whose warehouse is on S3 (an S3-compatible
// server on 127.0.0.1), with the S3 endpoint and path-style access given in CREATE CATALOG.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';
import { Session, collectQuery } from '../../src/cli/session.js';
import { formatTimestamp } from '../../src/common/time.js';
import { tempDir } from '../iceberg/helpers.js';
import { startRestServer, type RestServer } from './server.js';

let s3: { run(): Promise<unknown>; close(): Promise<void> };
let rest: RestServer;
let dir: string;
let s3Options: Record<string, string>;

beforeAll(async () => {
  dir = await tempDir('tsstream-rest-s3-');
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: `${dir}/s3`, configureBuckets: [{ name: 'warehouse', configs: [] }] });
  const addr = (await s3.run()) as { port: number };
  s3Options = {
    's3.endpoint': `http://127.0.0.1:${addr.port}`,
    's3.path-style-access': 'true',
    's3.access-key-id': 'S3RVER',
    's3.secret-access-key': 'S3RVER',
    'client.region': 'us-east-1',
  };
  rest = await startRestServer({ warehouse: 's3://warehouse/rest', backendOptions: s3Options });
});

afterAll(async () => {
  await rest?.close();
  await s3?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('REST catalog with an S3 warehouse', () => {
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
      'warehouse' = 's3://warehouse/', 'io-impl' = 'org.apache.iceberg.aws.s3.S3FileIO',
      's3.endpoint' = '${s3Options['s3.endpoint']}', 's3.path-style-access' = 'true',
      's3.access-key-id' = 'S3RVER', 's3.secret-access-key' = 'S3RVER', 'client.region' = 'us-east-1');`;
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
    // The files are on S3, under the server's warehouse.
    const stored = await fs.readdir(`${dir}/s3/warehouse`, { recursive: true });
    expect(stored.some((f) => String(f).includes('rest/demo/events/data'))).toBe(true);
    expect(stored.some((f) => /rest\/demo\/events\/metadata\/v2\.metadata\.json/.test(String(f)))).toBe(true);
  });
});
