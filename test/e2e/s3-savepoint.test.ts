// S3 of SCENARIOS.md through the CLI: savepoint, cancel, produce while down, resume from the
// savepoint with no loss and no duplicates, then stop-with-savepoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { peer, requirePeers } from '../peers/index.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { readIceberg, startRun, tsstream, until } from './helpers.js';

// On the real Kafka test broker, with a topic and consumer group of its own.
let kafka: KafkaEndpoint;
let client: KafkaTestClient;
const topic = uniqueTopic('savepoint-events');
let dir: string;

const peersReady = requirePeers('kafka');

beforeAll(async () => {
  if (!peersReady) return;
  kafka = peer<KafkaEndpoint>('kafka');
  client = kafkaTestClient(kafka.bootstrap);
  await client.createTopic(topic, 1);
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-s3-'));
});

afterAll(async () => {
  if (!peersReady) return;
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function produce(id: string, type: string, time: string): Promise<void> {
  await client.produce(topic, 0, [
    { value: JSON.stringify({ event_id: id, user_id: 'u001', event_type: type, event_time: `2025-12-30T${time}` }) },
  ]);
}

function job(savepoint?: string): string {
  return `
${savepoint ? `SET 'execution.savepoint.path' = '${savepoint}';` : ''}
CREATE TABLE kafka_savepoint_events (
    event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'kafka', 'topic' = '${topic}',
    'properties.bootstrap.servers' = '${kafka.bootstrap}',
    'properties.group.id' = '${uniqueTopic('flink-savepoint-consumer')}',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${dir}/warehouse');
CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;
CREATE TABLE IF NOT EXISTS iceberg_catalog.demo.savepoint_test (
    window_start TIMESTAMP(6), window_end TIMESTAMP(6), event_type STRING, event_count BIGINT);
SET 'execution.checkpointing.interval' = '300ms';
INSERT INTO iceberg_catalog.demo.savepoint_test
SELECT window_start, window_end, event_type, COUNT(*) AS event_count
FROM TABLE(TUMBLE(TABLE kafka_savepoint_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;
`;
}

const table = () => readIceberg(`${dir}/warehouse`, 'demo.savepoint_test', 'window_start, event_type');
const tableIs = (rows: string[][]) => async () => {
  const t = await table();
  return JSON.stringify(t) === JSON.stringify(rows) ? t : undefined;
};

describe('S3: savepoint, stop, resume with no loss and no duplicates', () => {
  it('gives the tables of SCENARIOS.md at each step', async () => {
    // 1. sp001..sp004, then the job.
    await produce('sp001', 'click', '10:00:10');
    await produce('sp002', 'view', '10:00:30');
    await produce('sp003', 'click', '10:00:50');
    await produce('sp004', 'click', '10:02:00');
    writeFileSync(`${dir}/job.sql`, job());
    const first = startRun(`${dir}/job.sql`);
    const id = await first.jobId;
    const step1 = [
      ['10:00', '10:01', 'click', '2'],
      ['10:00', '10:01', 'view', '1'],
    ];
    await until(tableIs(step1), 20_000, 'the 10:00 window');

    // 2. savepoint, then cancel.
    const out = await tsstream(['jobs', 'savepoint', id, `${dir}/savepoints`]);
    const savepoint = /Path: (\S+)/.exec(out)![1];
    expect(savepoint).toContain(`${dir}/savepoints/savepoint-`);
    await tsstream(['jobs', 'cancel', id]);
    expect(await first.exited).toBe(0);

    // 3. produced while the job is down.
    await produce('sp005', 'view', '10:01:10');
    await produce('sp006', 'click', '10:01:30');
    await produce('sp007', 'purchase', '10:01:50');
    await produce('sp008', 'click', '10:03:00');

    // 4. resume from the savepoint: the records produced while down are processed once.
    writeFileSync(`${dir}/job2.sql`, job(savepoint));
    const second = startRun(`${dir}/job2.sql`);
    const id2 = await second.jobId;
    const step4 = [...step1, ['10:01', '10:02', 'click', '1'], ['10:01', '10:02', 'purchase', '1'], ['10:01', '10:02', 'view', '1']];
    await until(tableIs(step4), 20_000, 'the 10:01 window after resuming');
    // sp004's window (10:02–10:03) is still open: the watermark is 10:02:55.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await table()).toEqual(step4);

    // 5. sp009 moves the watermark to 10:03:00.
    await produce('sp009', 'click', '10:03:05');
    await until(tableIs([...step4, ['10:02', '10:03', 'click', '1']]), 20_000, 'the 10:02 window');

    // stop-with-savepoint in one step.
    const stopped = await tsstream(['jobs', 'stop', id2, '--savepoint-dir', `${dir}/savepoints`]);
    expect(stopped).toMatch(/Savepoint completed\. Path: \S+savepoint-/);
    expect(await second.exited).toBe(0);
    expect(second.output()).toMatch(/STOPPED/);
  }, 120_000);
});
