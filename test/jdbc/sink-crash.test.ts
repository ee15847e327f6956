// The jdbc sink under crashes: a job reading a Kafka topic writes two upsert streams into
// PostgreSQL (per-key aggregates with exact BIGINT/DECIMAL; a histogram whose rows are also
// deleted when a count moves on) while the test kills the job process with SIGKILL again and
// again and restarts it (same checkpoint dir and pipeline.name). At the end both tables equal the
// expected final state, row for row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { peer, requirePeers } from '../peers/index.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { sleep, startRun, until, type RunningCli } from '../e2e/helpers.js';
import { jdbcWith, openDb, uniqueName, type TestDb } from './helpers.js';

const ready = requirePeers('kafka', 'postgres');
let kafka: KafkaEndpoint;
let client: KafkaTestClient;
let db: TestDb;
let dir: string;
const topic = uniqueTopic('jdbc-crash');
const running: RunningCli[] = [];

beforeAll(async () => {
  if (!ready) return;
  kafka = peer<KafkaEndpoint>('kafka');
  client = kafkaTestClient(kafka.bootstrap);
  await client.createTopic(topic, 2);
  db = await openDb('postgres');
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-jdbc-crash-'));
});

afterAll(async () => {
  if (!ready) return;
  for (const r of running) r.child.kill('SIGKILL');
  await client?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('jdbc upsert sink, job killed with SIGKILL again and again', () => {
  it('leaves the PostgreSQL tables exactly at the final state', async () => {
    const perKey = uniqueName('per_key');
    const hist = uniqueName('hist');
    await db.query(`CREATE TABLE ${perKey} (k VARCHAR(10) PRIMARY KEY, n BIGINT NOT NULL, total NUMERIC(20, 2) NOT NULL, last_seq BIGINT NOT NULL)`);
    await db.query(`CREATE TABLE ${hist} (cnt BIGINT PRIMARY KEY, keys BIGINT NOT NULL)`);
    writeFileSync(
      `${dir}/job.sql`,
      `
CREATE TABLE events (k STRING, v DECIMAL(10, 2), seq BIGINT) WITH ('connector' = 'kafka', 'topic' = '${topic}',
    'properties.bootstrap.servers' = '${kafka.bootstrap}', 'properties.group.id' = '${uniqueTopic('jdbc-crash')}',
    'scan.startup.mode' = 'earliest-offset', 'format' = 'json');
CREATE TABLE per_key (k STRING, n BIGINT, total DECIMAL(20, 2), last_seq BIGINT, PRIMARY KEY (k) NOT ENFORCED) ${jdbcWith(db, perKey, { 'sink.buffer-flush.max-rows': '50', 'sink.buffer-flush.interval': '100ms' })};
CREATE TABLE hist (cnt BIGINT, keys BIGINT, PRIMARY KEY (cnt) NOT ENFORCED) ${jdbcWith(db, hist, { 'sink.buffer-flush.max-rows': '50', 'sink.buffer-flush.interval': '100ms' })};
SET 'execution.checkpointing.interval' = '200ms';
SET 'execution.checkpointing.dir' = '${dir}/checkpoints';
SET 'pipeline.name' = 'jdbc-crash';
EXECUTE STATEMENT SET BEGIN
INSERT INTO per_key SELECT k, COUNT(*), SUM(v), MAX(seq) + 9007199254740000 FROM events GROUP BY k;
INSERT INTO hist SELECT n, COUNT(*) FROM (SELECT k, COUNT(*) AS n FROM events GROUP BY k) GROUP BY n;
END;
`,
    );
    // The producer: 2 events every 10 ms over 40 keys (skewed, so histogram rows come and go).
    const TOTAL = 2000;
    const events: { k: string; cents: number; seq: number }[] = [];
    for (let i = 0; i < TOTAL; i++) events.push({ k: `k${(i * i) % 41 % 40}`, cents: ((i * 7919) % 20001) - 10000, seq: i });
    let produced = 0;
    const producing = (async () => {
      while (produced < TOTAL) {
        const batch = events.slice(produced, produced + 2);
        for (const e of batch) {
          const v = `${e.cents < 0 ? '-' : ''}${Math.floor(Math.abs(e.cents) / 100)}.${String(Math.abs(e.cents) % 100).padStart(2, '0')}`;
          await client.produce(topic, e.seq % 2, [{ value: `{"k":"${e.k}","v":${v},"seq":${e.seq}}` }]);
        }
        produced += batch.length;
        await sleep(10);
      }
    })();
    producing.catch(() => {});

    const KILLS = 10; // the issue asks for 10 SIGKILLs during the upsert stream
    const kills: string[] = [];
    const t0 = Date.now();
    for (let k = 1; k <= KILLS; k++) {
      const run = startRun(`${dir}/job.sql`);
      running.push(run);
      await run.jobId;
      const wait = 300 + Math.floor(Math.random() * 900);
      const early = await Promise.race([run.exited.then(() => true), sleep(wait).then(() => false)]);
      if (early) throw new Error(`the job ended by itself before kill #${k}:\n${run.output()}`);
      run.child.kill('SIGKILL');
      await run.exited;
      const resumed = /Resuming job 'jdbc-crash' from checkpoint (\d+)/.exec(run.output());
      kills.push(`kill #${k} at ${Date.now() - t0} ms (${wait} ms after start${resumed ? `, resumed from checkpoint ${resumed[1]}` : ''}), ${produced} events produced`);
    }
    console.log(`SIGKILLs: ${kills.length}\n${kills.join('\n')}`);
    await producing;

    // Expected final state.
    const agg = new Map<string, { n: number; cents: bigint; last: number }>();
    for (const e of events) {
      const a = agg.get(e.k) ?? { n: 0, cents: 0n, last: -1 };
      a.n++;
      a.cents += BigInt(e.cents);
      a.last = Math.max(a.last, e.seq);
      agg.set(e.k, a);
    }
    const money = (c: bigint) => `${c < 0n ? '-' : ''}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, '0')}`;
    const wantPerKey = [...agg.entries()].map(([k, a]) => `${k} ${a.n} ${money(a.cents)} ${9007199254740000n + BigInt(a.last)}`).sort();
    const histogram = new Map<number, number>();
    for (const a of agg.values()) histogram.set(a.n, (histogram.get(a.n) ?? 0) + 1);
    const wantHist = [...histogram.entries()].map(([n, c]) => `${n} ${c}`).sort();

    const last = startRun(`${dir}/job.sql`);
    running.push(last);
    const read = async () => ({
      perKey: (await db.query(`SELECT k, n, total, last_seq FROM ${perKey}`)).map((r) => `${r.k} ${r.n} ${r.total} ${r.last_seq}`).sort(),
      hist: (await db.query(`SELECT cnt, keys FROM ${hist}`)).map((r) => `${r.cnt} ${r.keys}`).sort(),
    });
    const got = await until(
      async () => {
        const g = await read();
        return JSON.stringify(g.perKey) === JSON.stringify(wantPerKey) && JSON.stringify(g.hist) === JSON.stringify(wantHist) ? g : undefined;
      },
      60_000,
      'the final state in PostgreSQL',
    ).catch(async (e) => {
      const g = await read();
      throw new Error(`${(e as Error).message}\nper_key: got ${g.perKey.length} rows, hist: ${JSON.stringify(g.hist)} want ${JSON.stringify(wantHist)}\n${last.output().slice(-2000)}`);
    });
    last.child.kill('SIGTERM');
    await last.exited;
    expect(kills.length).toBe(KILLS);
    expect(got.perKey).toEqual(wantPerKey);
    expect(got.hist).toEqual(wantHist);
  }, 180_000);
});
