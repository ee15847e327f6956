// S2 of SCENARIOS.md run twice from the same Kafka topic on the real broker: the same job.sql text
// (only the bootstrap servers and the warehouse substituted) on Apache Flink 1.20 through its SQL
// Gateway and on tsstream through the CLI. Both Iceberg tables must hold the same rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasPeer, peer } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { cancelFlinkJob, runOnFlink, splitStatements } from '../peers/flink-client.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { startRun, until, type RunningCli } from '../e2e/helpers.js';
import { S2_COUNTS, S2_EVENTS, readS2Iceberg, s2CatalogDdl, s2JobSql } from './s2.js';

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

const EXPECTED = [
  ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'click', '3'],
  ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'purchase', '1'],
  ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'view', '1'],
];

async function readWithFlink(flink: FlinkEndpoint, warehouse: string): Promise<string[][]> {
  const res = await runOnFlink([s2CatalogDdl(warehouse), S2_COUNTS], { flink, properties: { 'execution.runtime-mode': 'batch' } });
  return res[1].rows.map((r) => r.text);
}

describe.skipIf(!hasPeer('flink') || !hasPeer('kafka'))('S2 on Flink 1.20 and on tsstream, from the same topic', () => {
  it('the same job.sql gives the same Iceberg rows', async () => {
    const flink = peer<FlinkEndpoint>('flink');
    const { bootstrap } = peer<KafkaEndpoint>('kafka');
    kafka = kafkaTestClient(bootstrap);
    const topic = uniqueTopic('window-events');
    await kafka.createTopic(topic, 1);
    await kafka.produce(topic, 0, S2_EVENTS);

    // Flink: one statement after another in a gateway session; the INSERT's job keeps running.
    // One task per operator, as the single partition gives (idle source subtasks would hold the
    // watermark back): the cluster's default parallelism, not part of the job text.
    const flinkWarehouse = `file://${dir}/flink-warehouse`;
    const results = await runOnFlink(splitStatements(s2JobSql(bootstrap, topic, flinkWarehouse)), {
      flink,
      properties: { 'parallelism.default': '1' },
      waitForJobs: false,
    });
    flinkJobId = results[results.length - 1].jobId;
    expect(flinkJobId).toMatch(/^[0-9a-f]{32}$/);

    // tsstream: the same text as a file for `tsstream run`.
    const tsWarehouse = `file://${dir}/tsstream-warehouse`;
    writeFileSync(path.join(dir, 'job.sql'), s2JobSql(bootstrap, topic, tsWarehouse));
    cli = startRun(path.join(dir, 'job.sql'));

    const mine = await until(async () => ((await readS2Iceberg(tsWarehouse)).length >= 3 ? readS2Iceberg(tsWarehouse) : undefined), 90_000, 'the fired window in tsstream’s table');
    const theirs = await until(async () => {
      const rows = await readWithFlink(flink, flinkWarehouse).catch(() => []);
      return rows.length >= 3 ? rows : undefined;
    }, 120_000, 'the fired window in Flink’s table');
    expect(theirs).toEqual(EXPECTED);
    expect(mine).toEqual(EXPECTED);
    // And each reads the other's table the same way.
    expect(await readS2Iceberg(flinkWarehouse)).toEqual(EXPECTED);
    expect(await readWithFlink(flink, tsWarehouse)).toEqual(EXPECTED);
  }, 300_000);
});
