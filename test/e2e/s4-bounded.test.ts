// S4 of SCENARIOS.md: JSON with an ISO-8601 `Z` timestamp, bounded "available now" runs
// (scan.bounded.mode = latest-offset), and a second run with the same checkpoint location that
// only processes new messages: snapshots with added-records 10, 1, 4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasPeer, peer, requirePeers } from '../peers/index.js';
import { fieldSummary, readIcebergTable } from '../peers/pyiceberg.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { startRun, tsstream } from './helpers.js';

// On the real Kafka test broker, with a topic and consumer group of its own.
let kafka: KafkaEndpoint;
let client: KafkaTestClient;
const topic = uniqueTopic('s4-events');
let dir: string;

const peersReady = requirePeers('kafka');

beforeAll(async () => {
  if (!peersReady) return;
  kafka = peer<KafkaEndpoint>('kafka');
  client = kafkaTestClient(kafka.bootstrap);
  await client.createTopic(topic, 1);
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-s4-'));
});

afterAll(async () => {
  if (!peersReady) return;
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

const TYPES = ['page_view', 'click', 'purchase'];
let next = 1;
async function produce(n: number): Promise<void> {
  for (let i = 0; i < n; i++, next++) {
    const e = {
      event_id: `evt_${String(next).padStart(4, '0')}`,
      user_id: `user_00${next % 3}`,
      event_type: TYPES[(next - 1) % 3],
      page: `/products/${100 + next}`,
      timestamp: `2024-12-31T10:${String(next).padStart(2, '0')}:00Z`,
    };
    await client.produce(topic, 0, [{ value: JSON.stringify(e) }]);
  }
}

async function runOnce(): Promise<void> {
  const r = startRun(`${dir}/job.sql`);
  expect(await r.exited, r.output()).toBe(0);
  expect(r.output()).toMatch(/FINISHED/);
}

describe('S4: bounded available-now runs that continue where the last one stopped', () => {
  it('commits one snapshot per run with only the new records', async () => {
    writeFileSync(
      `${dir}/job.sql`,
      `
CREATE TABLE kafka_events (
    event_id STRING, user_id STRING, event_type STRING, page STRING, \`timestamp\` TIMESTAMP_LTZ(3)
) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}',
    'properties.group.id' = '${uniqueTopic('s4')}', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',
    'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
-- The Z timestamp read as TIMESTAMP_LTZ (Flink 1.20 fails CAST('…T…Z' AS TIMESTAMP) of a STRING); in UTC it casts to the same TIMESTAMP.
SET 'table.local-time-zone' = 'UTC';
CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${dir}/warehouse');
CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;
CREATE TABLE IF NOT EXISTS iceberg_catalog.demo.user_events (
    event_id STRING, user_id STRING, event_type STRING, page STRING, event_time TIMESTAMP);
SET 'execution.checkpointing.interval' = '10s';
SET 'execution.checkpointing.dir' = '${dir}/checkpoints';
SET 'pipeline.name' = 's4-user-events';
INSERT INTO iceberg_catalog.demo.user_events
SELECT event_id, user_id, event_type, page, CAST(\`timestamp\` AS TIMESTAMP) FROM kafka_events;
`,
    );
    await produce(10);
    await runOnce();
    await produce(1);
    await runOnce();
    await produce(4);
    await runOnce();
    writeFileSync(
      `${dir}/query.sql`,
      `
CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${dir}/warehouse');
SET 'execution.runtime-mode' = 'batch';
SELECT summary['added-records'] AS added, summary['total-records'] AS total, operation
  FROM iceberg_catalog.demo.\`user_events$snapshots\` ORDER BY committed_at;
SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS ids, MIN(event_time) AS first_time FROM iceberg_catalog.demo.user_events;
`,
    );
    const out = await tsstream(['run', '--quiet', `${dir}/query.sql`]);
    const rows = out.split('\n').filter((l) => /^\|\s+\d/.test(l)).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    expect(rows.slice(0, 3)).toEqual([
      ['10', '10', 'append'],
      ['1', '11', 'append'],
      ['4', '15', 'append'],
    ]);
    // 15 rows, no duplicates, and the `Z` timestamp cast to TIMESTAMP.
    expect(rows[3]).toEqual(['15', '15', '2024-12-31 10:01:00.000000']);
    if (hasPeer('pyiceberg')) {
      const py = await readIcebergTable({ kind: 'hadoop', warehouse: `${dir}/warehouse` }, 'demo.user_events');
      expect(fieldSummary(py)).toEqual([
        [1, 'event_id', 'string'],
        [2, 'user_id', 'string'],
        [3, 'event_type', 'string'],
        [4, 'page', 'string'],
        [5, 'event_time', 'timestamp'],
      ]);
      expect(py.snapshots.map((s) => [s.summary.operation, s.summary['added-records'], s.summary['total-records']])).toEqual([
        ['append', '10', '10'],
        ['append', '1', '11'],
        ['append', '4', '15'],
      ]);
      expect(new Set(py.rows.map((r) => r[0])).size).toBe(15);
      expect(py.rows.map((r) => r[4]).sort()[0]).toBe('2024-12-31T10:01:00.000000');
    }
  }, 120_000);
});
