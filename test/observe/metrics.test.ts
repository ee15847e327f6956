// Flink's Prometheus reporter on a running Kafka → Iceberg job (the CLI as a child process, the
// shared Apache Kafka peer): a real Prometheus server scrapes /metrics and is queried by Flink's
// metric names; promtool parses the exposition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { peer, requirePeers } from '../peers/index.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { freePort } from '../peers/process.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { startRun, tsstream, until, type RunningCli } from '../e2e/helpers.js';
import { promtoolCheck, startPrometheus, type PrometheusServer } from './helpers.js';

let dir: string;
let kafka: KafkaTestClient;
let run: RunningCli | undefined;
let prom: PrometheusServer | undefined;

const peersReady = requirePeers('kafka');

beforeAll(() => {
  if (!peersReady) return;
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-metrics-'));
});

afterAll(async () => {
  if (!peersReady) return;
  run?.child.kill('SIGTERM');
  await run?.exited;
  await prom?.stop();
  await kafka?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ev = (i: number, start: number) => ({
  value: JSON.stringify({ event_id: `e${i}`, user_id: `u${i % 3}`, event_type: i % 2 ? 'click' : 'view', event_time: new Date(Date.UTC(2025, 11, 30, 10, 0, 0) + (start + i) * 1000).toISOString().slice(0, 19) }),
});
const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => ev(i, from));

function jobSql(bootstrap: string, topic: string, promPort: number): string {
  return `
SET 'metrics.reporter.prom.factory.class' = 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory';
SET 'metrics.reporter.prom.port' = '${promPort}';
SET 'execution.checkpointing.interval' = '500ms';
SET 'execution.checkpointing.dir' = '${dir}/checkpoints';
CREATE TABLE events (
  event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${bootstrap}',
  'properties.group.id' = 'obs-metrics', 'scan.startup.mode' = 'earliest-offset',
  'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${dir}/warehouse');
CREATE DATABASE IF NOT EXISTS ice.obs;
CREATE TABLE IF NOT EXISTS ice.obs.counts (window_start TIMESTAMP(6), event_type STRING, n BIGINT);
INSERT INTO ice.obs.counts
SELECT window_start, event_type, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, event_type;
`;
}

const one = async (q: string) => (await prom!.query(q))[0]?.value;

describe('Prometheus metrics of a running Kafka → Iceberg job', () => {
  it('records in rise between scrapes; watermark, consumer lag and checkpoints are reported under Flink names', async () => {
    const { bootstrap } = peer<KafkaEndpoint>('kafka');
    kafka = kafkaTestClient(bootstrap);
    const topic = uniqueTopic('obs-events');
    await kafka.createTopic(topic, 2);
    // 50 events a partition, one a second from 10:00:00: the watermark is 10:00:49 − 5 s.
    await kafka.produce(topic, 0, batch(0, 50));
    await kafka.produce(topic, 1, batch(0, 50));

    const promPort = await freePort();
    writeFileSync(`${dir}/job.sql`, jobSql(bootstrap, topic, promPort));
    run = startRun(`${dir}/job.sql`, { TSSTREAM_HOME: `${dir}/home` });
    const jobId = await run.jobId;
    prom = await startPrometheus(promPort);
    const sel = `job_id="${jobId}",operator_name=~"Source: .*events"`;

    const firstIn = await until(async () => {
      const v = await one(`flink_taskmanager_job_task_operator_numRecordsIn{${sel}}`);
      return v === 100 ? v : undefined;
    }, 60_000, 'the source to have read the first 100 records (as Prometheus scraped it)');
    expect(firstIn).toBe(100);
    const wm1 = Date.UTC(2025, 11, 30, 10, 0, 44);
    await until(async () => (await one(`flink_taskmanager_job_task_operator_currentOutputWatermark{${sel}}`)) === wm1 || undefined, 30_000, 'the watermark 10:00:44');

    // Lag: the source's position reaches each partition's end, as the broker reports it.
    const end0 = await kafka.endOffset(topic, 0);
    expect(end0).toBe(50);
    await until(async () => {
      const offs = await prom!.query(`flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_currentOffset{job_id="${jobId}",topic="${topic}"}`);
      return offs.length === 2 && offs.every((o) => o.value === 50) ? offs : undefined;
    }, 30_000, 'currentOffset 50 on both partitions');
    const lags = await prom.query(`flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_records_lag{job_id="${jobId}",topic="${topic}"}`);
    expect(lags.map((l) => [l.metric.partition, l.value]).sort()).toEqual([['0', 0], ['1', 0]]);
    expect(await one(`flink_taskmanager_job_task_operator_pendingRecords{${sel}}`)).toBe(0);
    expect(await one(`flink_taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records_lag_max{${sel}}`)).toBe(0);
    // The group's committed offsets follow the checkpoints.
    await until(async () => {
      const c = await prom!.query(`flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_committedOffset{job_id="${jobId}",topic="${topic}"}`);
      return c.length === 2 && c.every((o) => o.value === 50) ? c : undefined;
    }, 30_000, 'committed offsets 50');

    // More records: a later scrape sees more records in and a later watermark.
    await kafka.produce(topic, 0, batch(50, 50));
    await kafka.produce(topic, 1, batch(50, 50));
    await until(async () => ((await one(`flink_taskmanager_job_task_operator_numRecordsIn{${sel}}`)) ?? 0) > firstIn || undefined, 30_000, 'records in to rise');
    await until(async () => (await one(`flink_taskmanager_job_task_operator_numRecordsIn{${sel}}`)) === 200 || undefined, 30_000, 'records in 200');
    await until(async () => (await one(`flink_taskmanager_job_task_operator_currentOutputWatermark{${sel}}`)) === Date.UTC(2025, 11, 30, 10, 1, 34) || undefined, 30_000, 'the watermark 10:01:34');
    // The window operator received what the source emitted, and its input watermark follows.
    expect(await one(`sum(flink_taskmanager_job_task_operator_numRecordsIn{job_id="${jobId}",operator_name="WindowAggregate"})`)).toBe(200);
    expect(await one(`flink_taskmanager_job_task_operator_numBytesIn{${sel}}`)).toBeGreaterThan(200 * 60);

    // Checkpoints: completed ones with a duration, a size and a completion time.
    const jobSel = `job_id="${jobId}"`;
    await until(async () => ((await one(`flink_jobmanager_job_numberOfCompletedCheckpoints{${jobSel}}`)) ?? 0) >= 2 || undefined, 30_000, 'two checkpoints');
    const duration = await one(`flink_jobmanager_job_lastCheckpointDuration{${jobSel}}`);
    expect(duration).toBeGreaterThanOrEqual(0);
    expect(duration).toBeLessThan(30_000);
    expect(await one(`flink_jobmanager_job_lastCheckpointSize{${jobSel}}`)).toBeGreaterThan(100);
    const completedAt = (await one(`flink_jobmanager_job_lastCheckpointCompletedTimestamp{${jobSel}}`))!;
    expect(Math.abs(Date.now() - completedAt)).toBeLessThan(60_000);
    expect(await one(`flink_jobmanager_job_numberOfFailedCheckpoints{${jobSel}}`)).toBe(0);
    expect(await one(`flink_jobmanager_job_numRestarts{${jobSel}}`)).toBe(0);
    expect(await one(`flink_taskmanager_Status_JVM_Memory_Heap_Used`)).toBeGreaterThan(1e6);
    expect((await prom.query('nodejs_eventloop_lag_seconds')).length).toBe(1);

    // The exposition itself: promtool parses it; its only remarks are lint on names (Flink's camelCase).
    const text = await (await fetch(`http://127.0.0.1:${promPort}/metrics`)).text();
    expect(text).toContain('flink_taskmanager_job_task_busyTimeMsPerSecond{');
    const check = promtoolCheck(text);
    const remarks = check.output.split('\n').filter((l) => l.trim() && !/should be written in 'snake_case'|should not have "_total" suffix/.test(l));
    expect(remarks).toEqual([]);
    expect([0, 3]).toContain(check.status);

    // tsstream jobs list: the running job with its dashboard URL.
    const list = await tsstream(['jobs', 'list'], { TSSTREAM_HOME: `${dir}/home` });
    expect(list).toMatch(new RegExp(`${jobId} .* RUNNING .*http://127\\.0\\.0\\.1:\\d+/jobs/${jobId}`));
  }, 180_000);
});
