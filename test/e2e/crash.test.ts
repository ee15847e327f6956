// Exactly-once under crashes: a producer feeds an S2-style job while the test kills the job
// process with SIGKILL at random moments and restarts it (same checkpoint directory and
// pipeline.name). At the end the Iceberg table holds exactly the expected counts. The topic is on
// the real Kafka test broker (its own topic and consumer group).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasPeer } from '../peers/index.js';
import { readIcebergTable } from '../peers/pyiceberg.js';
import { startKafkaBroker } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { kafkaE2e, killAgainAndAgain, readIceberg, sleep, startRun, tsstream, until } from './helpers.js';

const topic = uniqueTopic('crash-events');

const e2e = kafkaE2e('tsstream-crash-', [topic], 2);

const TYPES = ['click', 'view', 'purchase'];
const BASE = Date.UTC(2025, 11, 29, 10, 0, 0);

/** Sentinels far ahead fire every window; a last run commits them; the table must hold exactly `expected` (no loss, no double). */
async function finishAndVerify(client: KafkaTestClient, topic: string, file: string, dir: string, expected: Map<string, number>): Promise<void> {
  const sentinel = BASE + 24 * 3600_000;
  for (const p of [0, 1]) {
    await client.produce(topic, p, [{ value: JSON.stringify({ event_id: `s${p}`, event_type: 'sentinel', event_time: new Date(sentinel).toISOString().slice(0, 19) }) }]);
  }
  const last = startRun(file);
  e2e.running.push(last);
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
}

/** The S2-style job: Kafka → 1-minute TUMBLE counts → Iceberg, checkpoints every 150 ms in `dir`. */
const jobSql = (bootstrap: string, topic: string, dir: string, name: string) => `
CREATE TABLE events (event_id STRING, event_type STRING, event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${bootstrap}',
    'properties.group.id' = '${uniqueTopic('crash')}', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601');
CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${dir}/warehouse');
CREATE DATABASE IF NOT EXISTS ice.demo;
CREATE TABLE IF NOT EXISTS ice.demo.counts (window_start TIMESTAMP(6), window_end TIMESTAMP(6), event_type STRING, event_count BIGINT);
SET 'execution.checkpointing.interval' = '150ms';
SET 'execution.checkpointing.dir' = '${dir}/checkpoints';
SET 'pipeline.name' = '${name}';
INSERT INTO ice.demo.counts
SELECT window_start, window_end, event_type, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;
`;

describe('a job killed with SIGKILL again and again', () => {
  it('commits every event to Iceberg exactly once', async () => {
    writeFileSync(`${e2e.dir}/job.sql`, jobSql(e2e.kafka.bootstrap, topic, e2e.dir, 'crash-test'));
    // A continuous producer: 2 events every 10 ms, one event per second of event time, both partitions.
    const expected = new Map<string, number>();
    let produced = 0;
    const TOTAL = 3000;
    const producing = (async () => {
      while (produced < TOTAL) {
        for (let i = 0; i < 2 && produced < TOTAL; i++, produced++) {
          const t = BASE + produced * 1000;
          const type = TYPES[(produced * 7) % 3];
          await e2e.client.produce(topic, produced % 2, [{ value: JSON.stringify({ event_id: `e${produced}`, event_type: type, event_time: new Date(t).toISOString().slice(0, 19) }) }]);
          const w = new Date(t - (t % 60000)).toISOString().slice(11, 16);
          expected.set(`${w} ${type}`, (expected.get(`${w} ${type}`) ?? 0) + 1);
        }
        await sleep(10);
      }
    })();
    producing.catch(() => {}); // awaited below; a failure there fails the test

    const kills = await killAgainAndAgain({
      file: `${e2e.dir}/job.sql`,
      pipeline: 'crash-test',
      kills: 10,
      running: e2e.running,
      waitMs: () => 300 + Math.floor(Math.random() * 900),
      progress: () => `${produced} events produced so far`,
    });
    console.log(`SIGKILLs made: ${kills.length}\n${kills.join('\n')}`);
    expect(kills.length).toBeGreaterThanOrEqual(10);
    // The registry recognises the killed jobs as dead.
    expect(await tsstream(['jobs', 'list'])).toMatch(/\| +FAILED \|.*process died \(pid \d+\) without recording why/);

    // Let the producer finish, then a sentinel far ahead fires every window of the produced events.
    await producing;
    await finishAndVerify(e2e.client, topic, `${e2e.dir}/job.sql`, e2e.dir, expected);
  }, 180_000);
});

describe('20 SIGKILLs and 3 broker outages in one continuous run (issue 20)', () => {
  it('commits every event to Iceberg exactly once', async () => {
    // A private broker, so that stopping it disturbs no other test.
    const broker = await startKafkaBroker();
    const own = kafkaTestClient(broker.endpoint.bootstrap);
    const chaosDir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-chaos-'));
    const chaosTopic = uniqueTopic('chaos-events');
    try {
      await own.createTopic(chaosTopic, 2);
      const file = `${chaosDir}/job.sql`;
      writeFileSync(file, jobSql(broker.endpoint.bootstrap, chaosTopic, chaosDir, 'chaos-test'));
      // The producer pauses (between two sends) while the broker is down, so every event is sent exactly once.
      const expected = new Map<string, number>();
      let produced = 0;
      let paused = false;
      let idle: (() => void) | undefined;
      const TOTAL = 4000;
      const producing = (async () => {
        while (produced < TOTAL) {
          if (paused) {
            idle?.();
            await sleep(20);
            continue;
          }
          for (let i = 0; i < 2 && produced < TOTAL; i++, produced++) {
            const t = BASE + produced * 1000;
            const type = TYPES[(produced * 7) % 3];
            await own.produce(chaosTopic, produced % 2, [{ value: JSON.stringify({ event_id: `e${produced}`, event_type: type, event_time: new Date(t).toISOString().slice(0, 19) }) }]);
            const w = new Date(t - (t % 60000)).toISOString().slice(11, 16);
            expected.set(`${w} ${type}`, (expected.get(`${w} ${type}`) ?? 0) + 1);
          }
          await sleep(10);
        }
      })();
      producing.catch(() => {});
      const pause = () =>
        new Promise<void>((resolve) => {
          idle = resolve;
          paused = true;
        });

      const events: string[] = [];
      const OUTAGES_AT = new Set([4, 11, 17]);
      const kills = await killAgainAndAgain({
        file,
        pipeline: 'chaos-test',
        kills: 20,
        running: e2e.running,
        beforeWait: async (_run, k) => {
          if (!OUTAGES_AT.has(k)) return;
          // The broker goes away for good seconds while the job runs, then comes back on the same ports and data.
          await pause();
          await broker.kill();
          await sleep(3000);
          await broker.restart();
          paused = false;
          events.push(`outage before kill #${k}`);
          return 'after a broker outage';
        },
        waitMs: () => 300 + Math.floor(Math.random() * 700),
        progress: () => `${produced} events produced`,
      });
      events.push(...kills);
      console.log(events.join('\n'));
      expect(events.filter((e) => e.startsWith('kill #'))).toHaveLength(20);
      expect(events.filter((e) => e.startsWith('outage'))).toHaveLength(3);
      expect(events.some((e) => e.includes('had resumed from checkpoint'))).toBe(true);
      await producing;
      await finishAndVerify(own, chaosTopic, file, chaosDir, expected);
    } finally {
      await own.close().catch(() => {});
      await broker.destroy().catch(() => {});
      rmSync(chaosDir, { recursive: true, force: true });
    }
  }, 420_000);
});
