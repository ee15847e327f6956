// S1 (plain streaming append) and S2 (TUMBLE counts, when a window fires, one snapshot per
// checkpoint with data) from Kafka topics on the real test broker into Iceberg, through the CLI.
// Its topics and consumer group are its own (test files share the broker).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { hasPeer } from '../peers/index.js';
import { fieldSummary, readIcebergTable } from '../peers/pyiceberg.js';
import { uniqueTopic } from '../peers/kafka-client.js';
import { kafkaE2e, readIceberg, sleep, startRun, tsstream, until } from './helpers.js';

const topics = { events: uniqueTopic('s1-events'), nocp: uniqueTopic('s1-events-nocp'), window: uniqueTopic('s2-window-events') };
const group = uniqueTopic('flink-consumer');

const e2e = kafkaE2e('tsstream-s1s2-', Object.values(topics), 1);

const send = (topic: string, e: Record<string, string>) => e2e.client.produce(topic, 0, [{ value: JSON.stringify(e) }]);

function kafkaTable(name: string, topic: string): string {
  return `CREATE TABLE ${name} (
    event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'kafka', 'topic' = '${topic}',
    'properties.bootstrap.servers' = '${e2e.kafka.bootstrap}',
    'properties.group.id' = '${group}',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601');`;
}

const catalog = () => `CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${e2e.dir}/warehouse');
USE CATALOG iceberg_catalog;
CREATE DATABASE IF NOT EXISTS demo;
USE demo;`;

describe('S1: Kafka → Iceberg plain streaming append', () => {
  it('shows the rows after a checkpoint, and a new one within one checkpoint interval', async () => {
    await send(topics.events, { event_id: 'e001', user_id: 'u001', event_type: 'click', event_time: '2025-12-29T10:00:00' });
    await send(topics.events, { event_id: 'e002', user_id: 'u002', event_type: 'view', event_time: '2025-12-29T10:00:05' });
    await send(topics.events, { event_id: 'e003', user_id: 'u001', event_type: 'purchase', event_time: '2025-12-29T10:00:10' });
    writeFileSync(
      `${e2e.dir}/s1.sql`,
      `USE CATALOG default_catalog;
USE default_database;
${kafkaTable('kafka_events', topics.events)}
${catalog()}
CREATE TABLE events (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(6));
SET 'execution.runtime-mode' = 'streaming';
SET 'execution.checkpointing.interval' = '1s';
INSERT INTO iceberg_catalog.demo.events
SELECT event_id, user_id, event_type, event_time
FROM default_catalog.default_database.kafka_events;`,
    );
    const run = startRun(`${e2e.dir}/s1.sql`);
    e2e.running.push(run);
    const read = () => readIceberg(`${e2e.dir}/warehouse`, 'demo.events', 'event_id');
    const three = await until(async () => ((await read().catch(() => [])).length === 3 ? read() : undefined), 20_000, 'three rows');
    expect(three.map((r) => r.slice(0, 3))).toEqual([
      ['e001', 'u001', 'click'],
      ['e002', 'u002', 'view'],
      ['e003', 'u001', 'purchase'],
    ]);
    const t0 = Date.now();
    await send(topics.events, { event_id: 'e004', user_id: 'u003', event_type: 'login', event_time: '2025-12-29T10:01:00' });
    await until(async () => ((await read()).length === 4 ? true : undefined), 10_000, 'the fourth row');
    expect(Date.now() - t0).toBeLessThan(2500); // one checkpoint interval (1 s) plus reading
    run.child.kill('SIGTERM');
    await run.exited;
    if (hasPeer('pyiceberg')) {
      // Iceberg's Python implementation reads the same table: types, field ids, rows, and one
      // append snapshot per checkpoint with data, each naming its checkpoint.
      const py = await readIcebergTable({ kind: 'hadoop', warehouse: `${e2e.dir}/warehouse` }, 'demo.events');
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
        ['e004', 'u003', 'login', '2025-12-29T10:01:00.000000'],
      ]);
      expect(py.snapshots.length).toBeGreaterThanOrEqual(2);
      const cps = py.snapshots.map((s) => Number(s.summary['tsstream.checkpoint-id']));
      expect(cps).toEqual([...cps].sort((a, b) => a - b));
      for (const s of py.snapshots) expect(s.summary).toMatchObject({ operation: 'append', 'tsstream.job-id': expect.any(String) });
      expect(py.snapshots.reduce((n, s) => n + Number(s.summary['added-records']), 0)).toBe(4);
      expect(py.currentSnapshot?.summary['total-records']).toBe('4');
    }
  }, 120_000);

  it('commits nothing without checkpointing, and warns about it', async () => {
    await send(topics.nocp, { event_id: 'x1', user_id: 'u', event_type: 'click', event_time: '2025-12-29T10:00:00' });
    writeFileSync(
      `${e2e.dir}/s1-nocp.sql`,
      `${kafkaTable('kafka_events', topics.nocp)}
${catalog()}
CREATE TABLE events_nocp (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(6));
INSERT INTO events_nocp SELECT * FROM default_catalog.default_database.kafka_events;`,
    );
    const run = startRun(`${e2e.dir}/s1-nocp.sql`);
    e2e.running.push(run);
    await until(() => (/never committed/.test(run.output()) ? true : undefined), 10_000, 'the warning');
    await sleep(1500);
    expect(await readIceberg(`${e2e.dir}/warehouse`, 'demo.events_nocp')).toEqual([]);
    run.child.kill('SIGTERM');
    await run.exited;
  }, 30_000);
});

describe('S2: TUMBLE window counts from Kafka into Iceberg', () => {
  it('is empty until w006, then holds the three counts; one snapshot per checkpoint with data', async () => {
    const ev = (id: string, user: string, type: string, time: string) => send(topics.window, { event_id: id, user_id: user, event_type: type, event_time: `2025-12-29T${time}` });
    await ev('w001', 'u001', 'click', '10:00:10');
    await ev('w002', 'u002', 'click', '10:00:20');
    await ev('w003', 'u001', 'view', '10:00:30');
    await ev('w004', 'u003', 'click', '10:00:45');
    await ev('w005', 'u002', 'purchase', '10:00:55');
    writeFileSync(
      `${e2e.dir}/s2.sql`,
      `${kafkaTable('kafka_window_events', topics.window)}
${catalog()}
CREATE TABLE event_counts (window_start TIMESTAMP(6), window_end TIMESTAMP(6), event_type STRING, event_count BIGINT);
SET 'execution.checkpointing.interval' = '500ms';
INSERT INTO iceberg_catalog.demo.event_counts
SELECT window_start, window_end, event_type, COUNT(*) AS event_count
FROM TABLE(TUMBLE(TABLE default_catalog.default_database.kafka_window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;`,
    );
    const run = startRun(`${e2e.dir}/s2.sql`);
    e2e.running.push(run);
    const id = await run.jobId;
    // The watermark (10:00:50) has not passed 10:01:00: nothing, even after several checkpoints.
    await until(async () => {
      const list = await tsstream(['jobs', 'list']);
      return list.includes(id) && /#[3-9]/.test(list.split('\n').find((l) => l.includes(id)) ?? '') ? true : undefined;
    }, 20_000, 'three checkpoints');
    expect(await readIceberg(`${e2e.dir}/warehouse`, 'demo.event_counts', 'window_start, event_type')).toEqual([]);
    await ev('w006', 'u001', 'click', '10:01:10');
    const rows = await until(async () => {
      const t = await readIceberg(`${e2e.dir}/warehouse`, 'demo.event_counts', 'window_start, event_type');
      return t.length ? t : undefined;
    }, 10_000, 'the fired window');
    expect(rows).toEqual([
      ['10:00', '10:01', 'click', '3'],
      ['10:00', '10:01', 'purchase', '1'],
      ['10:00', '10:01', 'view', '1'],
    ]);
    writeFileSync(
      `${e2e.dir}/snapshots.sql`,
      `${catalog()}
SET 'execution.runtime-mode' = 'batch';
SELECT snapshot_id, committed_at, operation FROM iceberg_catalog.demo.\`event_counts$snapshots\` ORDER BY committed_at;`,
    );
    const out = await tsstream(['run', '--quiet', `${e2e.dir}/snapshots.sql`]);
    // Exactly one checkpoint committed data so far: one snapshot, an append.
    expect(out).toMatch(/\| +snapshot_id \| +committed_at \| operation \|/);
    expect(out.match(/\| +append \|/g)).toHaveLength(1);
    expect(out).toContain('1 row in set');
    run.child.kill('SIGTERM');
    await run.exited;
    if (hasPeer('pyiceberg')) {
      const py = await readIcebergTable({ kind: 'hadoop', warehouse: `${e2e.dir}/warehouse` }, 'demo.event_counts');
      expect(fieldSummary(py)).toEqual([
        [1, 'window_start', 'timestamp'],
        [2, 'window_end', 'timestamp'],
        [3, 'event_type', 'string'],
        [4, 'event_count', 'long'],
      ]);
      expect(py.rows.sort()).toEqual([
        ['2025-12-29T10:00:00.000000', '2025-12-29T10:01:00.000000', 'click', '3'],
        ['2025-12-29T10:00:00.000000', '2025-12-29T10:01:00.000000', 'purchase', '1'],
        ['2025-12-29T10:00:00.000000', '2025-12-29T10:01:00.000000', 'view', '1'],
      ]);
      expect(py.snapshots).toHaveLength(1);
      expect(py.currentSnapshot?.summary).toMatchObject({ operation: 'append', 'added-records': '3', 'total-records': '3' });
    }
  }, 120_000);
});
