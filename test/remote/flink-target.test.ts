// `tsstream run --target flink`: S2's job.sql (SCENARIOS.md) handed to Apache Flink 1.20 through
// its SQL Gateway by the CLI, from the real Kafka into an Iceberg table (hadoop catalog), read
// back by tsstream; then `tsstream jobs stop --flink` with a savepoint and a resubmission from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasPeer, peer } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { cancelFlinkJob } from '../peers/flink-client.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { BIN, ROOT, until } from '../e2e/helpers.js';
import { S2_EVENTS, batchRead, readS2Iceberg, s2Event, s2JobSql } from '../flink/s2.js';

let dir: string;
let kafka: KafkaTestClient | undefined;
const started: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-flink-target-'));
});

afterAll(async () => {
  if (hasPeer('flink')) for (const id of started) await cancelFlinkJob(peer<FlinkEndpoint>('flink'), id).catch(() => undefined);
  await kafka?.close();
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000, env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const jobIdsOf = (text: string) => [...text.matchAll(/Job ID: ([0-9a-f]{32})/g)].map((m) => m[1]);

/** S2's job.sql as SCENARIOS.md has it (the broker, topic and warehouse substituted), with extra lines. */
const jobSql = (bootstrap: string, topic: string, warehouse: string, extra = '') =>
  s2JobSql(bootstrap, topic, warehouse, { prelude: `SET 'tsstream.target' = 'flink';\nSET 'parallelism.default' = '1';\n${extra}`, kafkaOptions: "\n    'properties.sasl.password' = 'hunter2-secret'," });

describe.skipIf(!hasPeer('flink') || !hasPeer('kafka'))('tsstream run --target flink', () => {
  it('S2 runs on Flink from Kafka into Iceberg; tsstream reads the rows back and Flink is the writer; stop with a savepoint and resume loses and repeats nothing', async () => {
    const flink = peer<FlinkEndpoint>('flink');
    const { bootstrap } = peer<KafkaEndpoint>('kafka');
    kafka = kafkaTestClient(bootstrap);
    const topic = uniqueTopic('flink-target');
    await kafka.createTopic(topic, 1);
    await kafka.produce(topic, 0, [...S2_EVENTS, s2Event('w007', 'u003', 'view', '10:01:20')]);
    const warehouse = `file://${dir}/warehouse`;
    const file = path.join(dir, 'job.sql');
    writeFileSync(file, jobSql(bootstrap, topic, warehouse));

    // The target comes from the file's SET; the gateway from the environment.
    const run = cli(['run', file], { TSSTREAM_GATEWAY: flink.gateway });
    expect(run.code, run.err).toBe(0);
    const [jobId] = jobIdsOf(run.err);
    expect(jobId).toMatch(/^[0-9a-f]{32}$/);
    started.push(jobId);
    expect(run.err + run.out).not.toContain('hunter2-secret');

    const listed = cli(['jobs', 'list', '--flink', flink.rest]);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toMatch(new RegExp(`\\| +${jobId} \\| +insert-into_iceberg_catalog\\.demo\\.event_counts +\\| +RUNNING \\| \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\|`));

    const first = await until(async () => {
      const rows = await readS2Iceberg(warehouse);
      return rows.length >= 3 ? rows : undefined;
    }, 120_000, "the fired window in the Flink job's table");
    expect(first).toEqual([
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'click', '3'],
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'purchase', '1'],
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'view', '1'],
    ]);
    // Flink's Iceberg sink wrote the snapshot: its summary names the Flink job.
    const summaries = await readS2Iceberg(warehouse, "SELECT operation, summary['flink.job-id'] FROM iceberg_catalog.demo.`event_counts$snapshots`");
    expect(summaries.some(([op, job]) => op === 'append' && job === jobId)).toBe(true);

    // Stop with a savepoint: the 10:01 window's two events are in the job's state, not in the table.
    const savepoints = path.join(dir, 'savepoints');
    const stop = cli(['jobs', 'stop', jobId.slice(0, 8), '--flink', flink.rest, '--savepoint-dir', savepoints]);
    expect(stop.code, stop.err).toBe(0);
    const savepoint = /Savepoint completed\. Path: (\S+)/.exec(stop.out)?.[1];
    expect(savepoint).toBeDefined();
    expect(readdirSync(savepoints).length).toBe(1);
    const afterStop = cli(['jobs', 'list', '--all', '--flink', flink.rest]);
    expect(afterStop.out).toMatch(new RegExp(`${jobId} \\| .* FINISHED `));

    // More events while no job runs; then the same file, resumed from the savepoint.
    await kafka.produce(topic, 0, [s2Event('w008', 'u002', 'click', '10:01:30'), s2Event('w009', 'u001', 'purchase', '10:01:40'), s2Event('w010', 'u003', 'click', '10:02:10')]);
    writeFileSync(file, jobSql(bootstrap, topic, warehouse, `SET 'execution.savepoint.path' = '${savepoint}';`));
    const resumed = cli(['run', file, '--gateway', flink.gateway]);
    expect(resumed.code, resumed.err).toBe(0);
    const [jobId2] = jobIdsOf(resumed.err);
    started.push(jobId2);
    expect(jobId2).not.toBe(jobId);

    const all = await until(async () => {
      const rows = await readS2Iceberg(warehouse);
      return rows.length >= 6 ? rows : undefined;
    }, 120_000, 'the second window after the resumption');
    expect(all).toEqual([
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'click', '3'],
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'purchase', '1'],
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'view', '1'],
      ['2025-12-29 10:01:00.000000', '2025-12-29 10:02:00.000000', 'click', '2'],
      ['2025-12-29 10:01:00.000000', '2025-12-29 10:02:00.000000', 'purchase', '1'],
      ['2025-12-29 10:01:00.000000', '2025-12-29 10:02:00.000000', 'view', '1'],
    ]);
    const cancel = cli(['jobs', 'cancel', jobId2, '--flink', flink.rest]);
    expect(cancel.code, cancel.err).toBe(0);
    expect(cancel.out).toBe(`Cancelled job ${jobId2}.\n`);
  }, 400_000);

  it('a SELECT prints on Flink as the local run prints it: the changelog with the op column', () => {
    const flink = peer<FlinkEndpoint>('flink');
    const file = path.join(dir, 'select.sql');
    writeFileSync(
      file,
      `SET 'parallelism.default' = '1';
CREATE TABLE w (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3))
WITH ('connector' = 'filesystem', 'path' = '${ROOT}/queries/data/window-events.jsonl', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
SELECT event_type, COUNT(*) AS n FROM w WHERE event_type <> 'view' GROUP BY event_type;
`,
    );
    const local = cli(['run', '-q', file]);
    expect(local.code, local.err).toBe(0);
    const remote = cli(['run', '-q', file, '--target', 'flink', '--gateway', flink.gateway]);
    expect(remote.code, remote.err).toBe(0);
    expect(remote.out).toBe(local.out);
    expect(remote.out).toContain('| op |');
  }, 200_000);

  it('a statement Flink refuses fails with Flink’s root cause and its place in the file, no Java stack trace', () => {
    const flink = peer<FlinkEndpoint>('flink');
    const file = path.join(dir, 'bad.sql');
    writeFileSync(file, `CREATE TABLE t (a INT) WITH ('connector' = 'datagen', 'password' = 'topsecret-42');\nSELECT nope FROM t;\n`);
    const r = cli(['run', file, '--target', 'flink', '--gateway', flink.gateway]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.sql:2:1: Flink rejected: SELECT nope FROM t\n.*Column 'nope' not found/);
    expect(r.err).not.toMatch(/^\s+at [\w.$]+\(/m);
    expect(r.err).not.toContain('topsecret-42');
  }, 200_000);

  it('options only tsstream knows are refused by name before anything is sent', () => {
    const file = path.join(dir, 'only.sql');
    writeFileSync(file, `SET 'tsstream.progress' = 'off';\nCREATE TABLE m (a INT) WITH ('connector' = 'memory');\n`);
    const r = cli(['run', file, '--target', 'flink', '--gateway', 'http://127.0.0.1:9']);
    expect(r.code).toBe(1);
    expect(r.err).toContain("only.sql:1:6: option 'tsstream.progress' would not run on Flink");
    expect(r.err).toContain("only.sql:2:30: connector 'memory' would not run on Flink");
  });

  it('validate --target flink names the tsstream-only items and what the cluster lacks, and exits 1; a file Flink can run passes', () => {
    const flink = peer<FlinkEndpoint>('flink');
    const bad = path.join(dir, 'validate-bad.sql');
    writeFileSync(
      bad,
      `SET 'tsstream.progress' = 'off';
CREATE TABLE src (a INT, b STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '3');
CREATE TABLE dst (a INT, b STRING) WITH ('connector' = 'nosuch-sink');
INSERT INTO dst SELECT a, b FROM src;
SELECT a, NO_SUCH_FUNCTION(b) FROM src;
`,
    );
    const r = cli(['validate', '--target', 'flink', '--gateway', flink.gateway, bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("validate-bad.sql:1:6: option 'tsstream.progress' would not run on Flink");
    expect(r.err).toMatch(/validate-bad\.sql:4:1: statement 4:1 would not run on Flink: Flink says: .*Could not find any factory for identifier 'nosuch-sink'/);
    expect(r.err).toMatch(/validate-bad\.sql:5:1: statement 5:1 would not run on Flink: Flink says: .*No match found for function signature NO_SUCH_FUNCTION/);
    expect(r.err).not.toMatch(/^\s+at [\w.$]+\(/m);

    const good = path.join(dir, 'validate-good.sql');
    writeFileSync(
      good,
      `CREATE TABLE src (a INT, b STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '3');
CREATE TABLE dst (a INT, b STRING) WITH ('connector' = 'blackhole');
EXECUTE STATEMENT SET BEGIN
INSERT INTO dst SELECT a, b FROM src;
INSERT INTO dst SELECT a + 1, b FROM src;
END;
`,
    );
    const ok = cli(['validate', '--target', 'flink', good], { TSSTREAM_GATEWAY: flink.gateway });
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('validate-good.sql: runs on Flink');
  }, 200_000);

  it('--attached follows the job on the JobManager until it ends', () => {
    const flink = peer<FlinkEndpoint>('flink');
    const file = path.join(dir, 'attached.sql');
    writeFileSync(
      file,
      `CREATE TABLE src (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '100');
CREATE TABLE dst (a INT) WITH ('connector' = 'blackhole');
INSERT INTO dst SELECT a FROM src;
`,
    );
    const r = cli(['run', file, '--target', 'flink', '--gateway', flink.gateway, '--attached']);
    expect(r.code, r.err).toBe(0);
    const [id] = jobIdsOf(r.err);
    expect(r.err).toContain(`[INFO] Job ${id}: FINISHED`);
  }, 200_000);
});

/** S1's job.sql as SCENARIOS.md has it: the broker, topic, REST catalog URI and database substituted; no S3 (the REST server's warehouse is a local folder). */
const s1Sql = (bootstrap: string, topic: string, restUri: string, db: string) => `
SET 'tsstream.target' = 'flink';
USE CATALOG default_catalog;
USE default_database;
CREATE TABLE kafka_events (
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
    'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = '${restUri}');
USE CATALOG iceberg_catalog;
CREATE DATABASE IF NOT EXISTS ${db};
USE ${db};
CREATE TABLE events (
    event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(6));

SET 'execution.runtime-mode' = 'streaming';
SET 'execution.checkpointing.interval' = '10s';
INSERT INTO iceberg_catalog.${db}.events
SELECT event_id, user_id, event_type, event_time
FROM default_catalog.default_database.kafka_events;
`;

const readRest = (uri: string, select: string) => batchRead(`CREATE CATALOG rest_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = '${uri}')`, select);

describe.skipIf(!hasPeer('flink') || !hasPeer('kafka') || !hasPeer('iceberg-rest'))('S1 with --target flink into the Iceberg REST catalog', () => {
  it("runs on Flink from Kafka; tsstream reads the REST catalog's table: 3 rows after a checkpoint, 4 after the next event, Flink the writer", async () => {
    const flink = peer<FlinkEndpoint>('flink');
    const { bootstrap } = peer<KafkaEndpoint>('kafka');
    const rest = peer<{ uri: string }>('iceberg-rest');
    kafka ??= kafkaTestClient(bootstrap);
    const topic = uniqueTopic('s1-flink');
    const db = `s1_flink_${Date.now().toString(36)}`;
    await kafka.createTopic(topic, 1);
    const e = (id: string, user: string, type: string, time: string) => ({ value: JSON.stringify({ event_id: id, user_id: user, event_type: type, event_time: `2025-12-29T${time}` }) });
    await kafka.produce(topic, 0, [e('e001', 'u001', 'click', '10:00:00'), e('e002', 'u002', 'view', '10:00:05'), e('e003', 'u001', 'purchase', '10:00:10')]);
    const file = path.join(dir, 's1.sql');
    writeFileSync(file, s1Sql(bootstrap, topic, rest.uri, db));
    const run = cli(['run', file, '--gateway', flink.gateway]);
    expect(run.code, run.err).toBe(0);
    const [jobId] = jobIdsOf(run.err);
    expect(jobId).toMatch(/^[0-9a-f]{32}$/);
    started.push(jobId);
    const ALL = `SELECT * FROM rest_catalog.${db}.events ORDER BY event_id`;
    const three = await until(async () => {
      const rows = await readRest(rest.uri, ALL);
      return rows.length >= 3 ? rows : undefined;
    }, 120_000, "S1's three rows in the REST catalog's table");
    expect(three).toEqual([
      ['e001', 'u001', 'click', '2025-12-29 10:00:00.000000'],
      ['e002', 'u002', 'view', '2025-12-29 10:00:05.000000'],
      ['e003', 'u001', 'purchase', '2025-12-29 10:00:10.000000'],
    ]);
    await kafka.produce(topic, 0, [e('e004', 'u003', 'login', '10:01:00')]);
    const four = await until(async () => {
      const rows = await readRest(rest.uri, ALL);
      return rows.length >= 4 ? rows : undefined;
    }, 120_000, 'the fourth row after the next checkpoint');
    expect(four[3]).toEqual(['e004', 'u003', 'login', '2025-12-29 10:01:00.000000']);
    expect(four).toHaveLength(4);
    const summaries = await readRest(rest.uri, `SELECT operation, summary['flink.job-id'] FROM rest_catalog.${db}.\`events$snapshots\``);
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.every(([op, job]) => op === 'append' && job === jobId)).toBe(true);
    expect(cli(['jobs', 'cancel', jobId, '--flink', flink.rest]).code).toBe(0);
  }, 400_000);
});
