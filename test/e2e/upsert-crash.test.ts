// Upserts under crashes: a GROUP BY without a window (a changelog) feeds an Iceberg table with a
// PRIMARY KEY while the test kills the job process with SIGKILL again and again and restarts it
// (same checkpoint directory and pipeline.name). Each checkpoint commits equality deletes and data
// files once; at the end the table — read by tsstream and by Flink's Iceberg connector (pyiceberg
// refuses equality deletes) — equals the final aggregate exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasPeer, peer, requirePeers } from '../peers/index.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { runOnFlink } from '../peers/flink-client.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { readIceberg, sleep, startRun, until, type RunningCli } from './helpers.js';

let kafka: KafkaEndpoint;
let client: KafkaTestClient;
const topic = uniqueTopic('upsert-events');
let dir: string;
const running: RunningCli[] = [];

const peersReady = requirePeers('kafka');

beforeAll(async () => {
  if (!peersReady) return;
  kafka = peer<KafkaEndpoint>('kafka');
  client = kafkaTestClient(kafka.bootstrap);
  await client.createTopic(topic, 2);
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-upsert-crash-'));
});

afterAll(async () => {
  if (!peersReady) return;
  for (const r of running) r.child.kill('SIGKILL');
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

const KEYS = 12;

describe('a GROUP BY changelog into an Iceberg PRIMARY KEY table, killed with SIGKILL again and again', () => {
  it('ends with the table equal to the final aggregate', async () => {
    writeFileSync(
      `${dir}/job.sql`,
      `
CREATE TABLE events (k STRING, v BIGINT) WITH ('connector' = 'kafka', 'topic' = '${topic}',
    'properties.bootstrap.servers' = '${kafka.bootstrap}', 'properties.group.id' = '${uniqueTopic('upsert')}',
    'scan.startup.mode' = 'earliest-offset', 'format' = 'json');
CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${dir}/warehouse');
CREATE DATABASE IF NOT EXISTS ice.demo;
CREATE TABLE IF NOT EXISTS ice.demo.totals (k STRING NOT NULL, total BIGINT, cnt BIGINT, PRIMARY KEY (k) NOT ENFORCED);
SET 'execution.checkpointing.interval' = '150ms';
SET 'execution.checkpointing.dir' = '${dir}/checkpoints';
SET 'pipeline.name' = 'upsert-crash-test';
INSERT INTO ice.demo.totals SELECT k, SUM(v), COUNT(*) FROM events GROUP BY k;
`,
    );
    // A continuous producer: 2 events every 10 ms over a few keys, both partitions.
    const expected = new Map<string, { total: number; cnt: number }>();
    let produced = 0;
    const TOTAL = 2400;
    const producing = (async () => {
      while (produced < TOTAL) {
        for (let i = 0; i < 2 && produced < TOTAL; i++, produced++) {
          const k = `key${(produced * 7) % KEYS}`;
          const v = (produced % 13) - 3;
          await client.produce(topic, produced % 2, [{ value: JSON.stringify({ k, v }) }]);
          const e = expected.get(k) ?? { total: 0, cnt: 0 };
          expected.set(k, { total: e.total + v, cnt: e.cnt + 1 });
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
      const checkpointed = /Resuming job 'upsert-crash-test' from checkpoint (\d+)/.exec(run.output());
      kills.push(`kill #${k} at ${Date.now() - t0} ms (${wait} ms after start${checkpointed ? `, resumed from checkpoint ${checkpointed[1]}` : ''}), ${produced} events produced so far`);
    }
    console.log(`SIGKILLs made: ${kills.length}\n${kills.join('\n')}`);
    expect(kills.length).toBeGreaterThanOrEqual(10);
    expect(kills.filter((k) => k.includes('resumed from checkpoint')).length).toBeGreaterThan(0);

    await producing;
    const want = [...expected.entries()].map(([k, e]) => `${k} ${e.total} ${e.cnt}`).sort();
    const last = startRun(`${dir}/job.sql`);
    running.push(last);
    let seen: string[] = [];
    await until(
      async () => {
        seen = (await readIceberg(`${dir}/warehouse`, 'demo.totals').catch(() => [] as string[][])).map((r) => r.join(' ')).sort();
        return JSON.stringify(seen) === JSON.stringify(want) ? true : undefined;
      },
      60_000,
      'the final aggregate in the table',
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nwant ${want.join(', ')}\ngot  ${seen.join(', ')}`);
    });
    last.child.kill('SIGTERM');
    await last.exited;
    // Read once more after the job is gone: each key exactly once, with its exact aggregate.
    const got = (await readIceberg(`${dir}/warehouse`, 'demo.totals')).map((r) => r.join(' ')).sort();
    expect(got).toEqual(want);

    if (hasPeer('flink')) {
      // Flink's Iceberg connector applies the equality deletes by its own rules: the same rows.
      const res = await runOnFlink(
        [`CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'file://${dir}/warehouse')`, 'SELECT * FROM ice.demo.totals'],
        { flink: peer<FlinkEndpoint>('flink'), properties: { 'execution.runtime-mode': 'batch' } },
      );
      expect(res[1].rows.map((r) => r.text.join(' ')).sort()).toEqual(want);
    }
  }, 300_000);
});
