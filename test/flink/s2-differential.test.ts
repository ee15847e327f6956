// S2 of SCENARIOS.md run twice from the same Kafka topic on the real broker: the same job.sql text
// (only the bootstrap servers and the warehouse substituted) on Apache Flink 1.20 through its SQL
// Gateway and on tsstream through the CLI. Both Iceberg tables must hold the same rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session, collectQuery } from '../../src/cli/session.js';
import { cellText } from '../../src/cli/tableau.js';
import { hasPeer, peer } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { cancelFlinkJob, runOnFlink, splitStatements } from '../peers/flink-client.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { startRun, until, type RunningCli } from '../e2e/helpers.js';

let dir: string;
let kafka: KafkaTestClient | undefined;
let cli: RunningCli | undefined;
let flinkJobId: string | undefined;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-flink-s2-'));
});

afterAll(async () => {
  cli?.child.kill('SIGKILL');
  if (flinkJobId) await cancelFlinkJob(peer<FlinkEndpoint>('flink'), flinkJobId).catch(() => undefined);
  await kafka?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** S2's job, as a user would write it for Flink. */
const jobSql = (bootstrap: string, topic: string, warehouse: string) => `
CREATE TABLE kafka_window_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = '${topic}',
    'properties.bootstrap.servers' = '${bootstrap}',
    'properties.group.id' = 'flink-consumer',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

CREATE CATALOG iceberg_catalog WITH (
    'type' = 'iceberg',
    'catalog-type' = 'hadoop',
    'warehouse' = '${warehouse}'
);
CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;
CREATE TABLE IF NOT EXISTS iceberg_catalog.demo.event_counts (
    window_start TIMESTAMP(6),
    window_end TIMESTAMP(6),
    event_type STRING,
    event_count BIGINT
);

SET 'execution.checkpointing.interval' = '1s';

INSERT INTO iceberg_catalog.demo.event_counts
SELECT window_start, window_end, event_type, COUNT(*) AS event_count
FROM TABLE(TUMBLE(TABLE kafka_window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;
`;

const EXPECTED = [
  ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'click', '3'],
  ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'purchase', '1'],
  ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'view', '1'],
];

const SELECT = 'SELECT * FROM iceberg_catalog.demo.event_counts ORDER BY window_start, event_type';
const catalogDdl = (warehouse: string) => `CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${warehouse}')`;

async function readWithTsstream(warehouse: string): Promise<string[][]> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(`${catalogDdl(warehouse)}; SET 'execution.runtime-mode' = 'batch'; ${SELECT};`);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
    return cellText(await collectQuery(q), q.columns);
  } catch (e) {
    if (/not exist|not found|no such/i.test((e as Error).message)) return [];
    throw e;
  } finally {
    await session.close();
  }
}

async function readWithFlink(flink: FlinkEndpoint, warehouse: string): Promise<string[][]> {
  const res = await runOnFlink([catalogDdl(warehouse), SELECT], { flink, properties: { 'execution.runtime-mode': 'batch' } });
  return res[1].rows.map((r) => r.text);
}

describe.skipIf(!hasPeer('flink') || !hasPeer('kafka'))('S2 on Flink 1.20 and on tsstream, from the same topic', () => {
  it('the same job.sql gives the same Iceberg rows', async () => {
    const flink = peer<FlinkEndpoint>('flink');
    const { bootstrap } = peer<KafkaEndpoint>('kafka');
    kafka = kafkaTestClient(bootstrap);
    const topic = uniqueTopic('window-events');
    await kafka.createTopic(topic, 1);
    const ev = (id: string, user: string, type: string, time: string) => ({
      value: JSON.stringify({ event_id: id, user_id: user, event_type: type, event_time: `2025-12-29T${time}` }),
    });
    await kafka.produce(topic, 0, [
      ev('w001', 'u001', 'click', '10:00:10'),
      ev('w002', 'u002', 'click', '10:00:20'),
      ev('w003', 'u001', 'view', '10:00:30'),
      ev('w004', 'u003', 'click', '10:00:45'),
      ev('w005', 'u002', 'purchase', '10:00:55'),
      ev('w006', 'u001', 'click', '10:01:10'),
    ]);

    // Flink: one statement after another in a gateway session; the INSERT's job keeps running.
    // One task per operator, as the single partition gives (idle source subtasks would hold the
    // watermark back): the cluster's default parallelism, not part of the job text.
    const flinkWarehouse = `file://${dir}/flink-warehouse`;
    const results = await runOnFlink(splitStatements(jobSql(bootstrap, topic, flinkWarehouse)), {
      flink,
      properties: { 'parallelism.default': '1' },
      waitForJobs: false,
    });
    flinkJobId = results[results.length - 1].jobId;
    expect(flinkJobId).toMatch(/^[0-9a-f]{32}$/);

    // tsstream: the same text as a file for `tsstream run`.
    const tsWarehouse = `file://${dir}/tsstream-warehouse`;
    writeFileSync(path.join(dir, 'job.sql'), jobSql(bootstrap, topic, tsWarehouse));
    cli = startRun(path.join(dir, 'job.sql'));

    const mine = await until(async () => ((await readWithTsstream(tsWarehouse)).length >= 3 ? readWithTsstream(tsWarehouse) : undefined), 90_000, 'the fired window in tsstream’s table');
    const theirs = await until(async () => {
      const rows = await readWithFlink(flink, flinkWarehouse).catch(() => []);
      return rows.length >= 3 ? rows : undefined;
    }, 120_000, 'the fired window in Flink’s table');
    expect(theirs).toEqual(EXPECTED);
    expect(mine).toEqual(EXPECTED);
    // And each reads the other's table the same way.
    expect(await readWithTsstream(flinkWarehouse)).toEqual(EXPECTED);
    expect(await readWithFlink(flink, tsWarehouse)).toEqual(EXPECTED);
  }, 300_000);
});
