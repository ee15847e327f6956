// Exactly-once under crashes: a producer feeds an S2-style job while the test kills the job
// process with SIGKILL at random moments and restarts it (same checkpoint directory and
// pipeline.name). At the end the Iceberg table holds exactly the expected counts. The topic is on
// the real Kafka test broker (its own topic and consumer group).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasPeer, peer, requirePeers } from '../peers/index.js';
import { readIcebergTable } from '../peers/pyiceberg.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { readIceberg, sleep, startRun, tsstream, until, type RunningCli } from './helpers.js';

let kafka: KafkaEndpoint;
let client: KafkaTestClient;
const topic = uniqueTopic('crash-events');
let dir: string;
const running: RunningCli[] = [];

const peersReady = requirePeers('kafka');

beforeAll(async () => {
  if (!peersReady) return;
  kafka = peer<KafkaEndpoint>('kafka');
  client = kafkaTestClient(kafka.bootstrap);
  await client.createTopic(topic, 2);
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-crash-'));
});

afterAll(async () => {
  if (!peersReady) return;
  for (const r of running) r.child.kill('SIGKILL');
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

const TYPES = ['click', 'view', 'purchase'];
const BASE = Date.UTC(2025, 11, 29, 10, 0, 0);

describe('a job killed with SIGKILL again and again', () => {
  it('commits every event to Iceberg exactly once', async () => {
    writeFileSync(
      `${dir}/job.sql`,
      `
CREATE TABLE events (event_id STRING, event_type STRING, event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}',
    'properties.group.id' = '${uniqueTopic('crash')}', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601');
CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${dir}/warehouse');
CREATE DATABASE IF NOT EXISTS ice.demo;
CREATE TABLE IF NOT EXISTS ice.demo.counts (window_start TIMESTAMP(6), window_end TIMESTAMP(6), event_type STRING, event_count BIGINT);
SET 'execution.checkpointing.interval' = '150ms';
SET 'execution.checkpointing.dir' = '${dir}/checkpoints';
SET 'pipeline.name' = 'crash-test';
INSERT INTO ice.demo.counts
SELECT window_start, window_end, event_type, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;
`,
    );
    // A continuous producer: 2 events every 10 ms, one event per second of event time, both partitions.
    const expected = new Map<string, number>();
    let produced = 0;
    const TOTAL = 3000;
    const producing = (async () => {
      while (produced < TOTAL) {
        for (let i = 0; i < 2 && produced < TOTAL; i++, produced++) {
          const t = BASE + produced * 1000;
          const type = TYPES[(produced * 7) % 3];
          await client.produce(topic, produced % 2, [{ value: JSON.stringify({ event_id: `e${produced}`, event_type: type, event_time: new Date(t).toISOString().slice(0, 19) }) }]);
          const w = new Date(t - (t % 60000)).toISOString().slice(11, 16);
          expected.set(`${w} ${type}`, (expected.get(`${w} ${type}`) ?? 0) + 1);
        }
        await sleep(10);
      }
    })();
    producing.catch(() => {}); // awaited below; a failure there fails the test

    const kills: string[] = [];
    const t0 = Date.now();
    for (let k = 1; k <= 10; k++) {
      const run = startRun(`${dir}/job.sql`);
      running.push(run);
      await run.jobId;
      const wait = 300 + Math.floor(Math.random() * 900);
      const early = await Promise.race([run.exited.then(() => true), sleep(wait).then(() => false)]);
      if (early) throw new Error(`the job ended by itself before kill #${k}:\n${run.output()}`);
      run.child.kill('SIGKILL');
      await run.exited;
      const checkpointed = /Resuming job 'crash-test' from checkpoint (\d+)/.exec(run.output());
      kills.push(`kill #${k} at ${Date.now() - t0} ms (${wait} ms after start${checkpointed ? `, resumed from checkpoint ${checkpointed[1]}` : ''}), ${produced} events produced so far`);
    }
    console.log(`SIGKILLs made: ${kills.length}\n${kills.join('\n')}`);
    expect(kills.length).toBeGreaterThanOrEqual(10);
    // The registry recognises the killed jobs as dead.
    expect(await tsstream(['jobs', 'list'])).toMatch(/\| +FAILED \|.*process died \(pid \d+\) without recording why/);

    // Let the producer finish, then a sentinel far ahead fires every window of the produced events.
    await producing;
    const sentinel = BASE + 24 * 3600_000;
    for (const p of [0, 1]) {
      await client.produce(topic, p, [{ value: JSON.stringify({ event_id: `s${p}`, event_type: 'sentinel', event_time: new Date(sentinel).toISOString().slice(0, 19) }) }]);
    }
    const last = startRun(`${dir}/job.sql`);
    running.push(last);
    const want = [...expected.entries()].map(([k, n]) => `${k} ${n}`).sort();
    const got = await until(
      async () => {
        const rows = (await readIceberg(`${dir}/warehouse`, 'demo.counts').catch(() => [] as string[][])).map((r) => `${r[0]} ${r[2]} ${r[3]}`).sort();
        return rows.length >= want.length ? rows : undefined;
      },
      60_000,
      'every window in the table',
    );
    last.child.kill('SIGTERM');
    await last.exited;
    // No window/type twice (no duplicate commit), and every count exact (no loss, no double counting).
    expect(new Set(got.map((r) => r.split(' ').slice(0, 2).join(' '))).size).toBe(got.length);
    expect(got).toEqual(want);
    if (hasPeer('pyiceberg')) {
      // Iceberg's Python implementation sees the same windows and counts, and snapshots that each
      // name a distinct checkpoint of the job (none committed twice).
      const py = await readIcebergTable({ kind: 'hadoop', warehouse: `${dir}/warehouse` }, 'demo.counts');
      expect(py.rows.map((r) => `${String(r[0]).slice(11, 16)} ${r[2]} ${r[3]}`).sort()).toEqual(want);
      const commits = py.snapshots.map((s) => `${s.summary['tsstream.job-id']}/${s.summary['tsstream.checkpoint-id']}`);
      expect(new Set(commits).size).toBe(commits.length);
      expect(py.currentSnapshot?.summary['total-records']).toBe(String(want.length));
    }
  }, 180_000);
});
