// State of the streaming anti join (NOT EXISTS) and of the window semi join (IN between two
// window TVFs) survives SIGKILL: a job (the CLI as a child process, checkpoints every 150 ms) reads
// orders and customer blocks from Kafka and writes the orders of never-blocked customers and the
// orders whose customer was blocked in the same 10-second window into upsert-kafka topics; it is
// killed again and again while the producer runs. At the end the upserted views equal what the
// whole input gives: an anti join that lost its left rows would not take back the orders of a
// customer blocked late, one that lost its right rows would let later orders of a blocked customer
// through, and a window semi join that lost its open windows would miss matches.
import { describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { uniqueTopic } from '../peers/kafka-client.js';
import { kafkaE2e, killAgainAndAgain, sleep, startRun, until, upsertedView } from './helpers.js';

const topics = { orders: uniqueTopic('sj-orders'), blocks: uniqueTopic('sj-blocks'), open: uniqueTopic('sj-open'), hit: uniqueTopic('sj-hit') };

const e2e = kafkaE2e('tsstream-semi-crash-', Object.values(topics), 1);

const BASE = Date.UTC(2025, 0, 1, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 23);

const checkpointFiles = () => {
  try {
    return (readdirSync(`${e2e.dir}/checkpoints`, { recursive: true }) as string[]).sort().join(',');
  } catch {
    return '';
  }
};

const upserted = (topic: string) => upsertedView(e2e.client, topic);

describe('semi and anti joins killed with SIGKILL', () => {
  it('resume from their checkpointed state and end with the results of the whole input', async () => {
    const kafkaOpts = (topic: string) =>
      `'connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${e2e.kafka.bootstrap}', 'properties.group.id' = '${uniqueTopic('sj')}', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601'`;
    const upsertOpts = (topic: string) => `'connector' = 'upsert-kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${e2e.kafka.bootstrap}', 'key.format' = 'json', 'value.format' = 'json'`;
    writeFileSync(
      `${e2e.dir}/job.sql`,
      `
CREATE TABLE orders (oid INT, cust STRING, amount INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH (${kafkaOpts(topics.orders)});
CREATE TABLE blocks (cust STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH (${kafkaOpts(topics.blocks)});
CREATE TABLE open_orders (oid INT, amount INT, PRIMARY KEY (oid) NOT ENFORCED) WITH (${upsertOpts(topics.open)});
CREATE TABLE hits (oid INT, window_start TIMESTAMP(3), PRIMARY KEY (oid) NOT ENFORCED) WITH (${upsertOpts(topics.hit)});
SET 'execution.checkpointing.interval' = '150ms';
SET 'execution.checkpointing.dir' = '${e2e.dir}/checkpoints';
SET 'pipeline.name' = 'semi-join-crash';
EXECUTE STATEMENT SET BEGIN
INSERT INTO open_orders SELECT oid, amount FROM orders o WHERE NOT EXISTS (SELECT 1 FROM blocks b WHERE b.cust = o.cust);
INSERT INTO hits SELECT l.oid, l.window_start FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND)) l
  WHERE l.cust IN (SELECT r.cust FROM TABLE(TUMBLE(TABLE blocks, DESCRIPTOR(ts), INTERVAL '10' SECOND)) r WHERE r.window_start = l.window_start AND r.window_end = l.window_end);
END;
`,
    );
    // Step i (at BASE + i s): an order of customer c(i*3 % 8); every 4th step a block of c((i/4) % 4)
    // (c0..c3); at step 250 a block of c4, whose earlier orders must then be taken back.
    const orders: { oid: number; cust: string; amount: number; t: number }[] = [];
    const blocks: { cust: string; t: number }[] = [];
    const TOTAL = 320;
    let produced = 0;
    const producing = (async () => {
      for (let i = 0; i < TOTAL; i++, produced++) {
        const t = BASE + i * 1000;
        const cust = i === 250 ? 'c4' : i % 4 === 0 ? `c${(i / 4) % 4}` : undefined;
        if (cust) {
          blocks.push({ cust, t });
          await e2e.client.produce(topics.blocks, 0, [{ value: JSON.stringify({ cust, ts: iso(t) }) }]);
        }
        const o = { oid: i, cust: `c${(i * 3) % 8}`, amount: (i * 7919) % 1000, t: t + 500 };
        orders.push(o);
        await e2e.client.produce(topics.orders, 0, [{ value: JSON.stringify({ oid: o.oid, cust: o.cust, amount: o.amount, ts: iso(o.t) }) }]);
        await sleep(12);
      }
    })();
    producing.catch(() => {});

    const kills = await killAgainAndAgain({
      file: `${e2e.dir}/job.sql`,
      pipeline: 'semi-join-crash',
      kills: 4,
      running: e2e.running,
      // Killed at a random moment after the run has completed a checkpoint of its own (the machine may be slow to start it).
      beforeWait: async (run, k) => {
        const before = checkpointFiles();
        await until(() => checkpointFiles() !== before || run.output().includes('ERROR') || undefined, 30_000, `a checkpoint of run #${k}`);
      },
      waitMs: () => 100 + Math.floor(Math.random() * 500),
      progress: () => `${produced} steps produced`,
    });
    console.log(kills.join('\n'));
    expect(kills.filter((k) => k.includes('resumed')).length).toBeGreaterThan(0);

    // The rest of the input, then a sentinel far ahead on both topics closes every window.
    await producing;
    const end = BASE + 3600_000;
    await e2e.client.produce(topics.blocks, 0, [{ value: JSON.stringify({ cust: 'zz', ts: iso(end) }) }]);
    await e2e.client.produce(topics.orders, 0, [{ value: JSON.stringify({ oid: -1, cust: 'zz', amount: -1, ts: iso(end) }) }]);
    await e2e.client.produce(topics.blocks, 0, [{ value: JSON.stringify({ cust: 'zz', ts: iso(end + 60_000) }) }]);
    await e2e.client.produce(topics.orders, 0, [{ value: JSON.stringify({ oid: -2, cust: 'zz', amount: -2, ts: iso(end + 60_000) }) }]);

    const blocked = new Set([...blocks.map((b) => b.cust), 'zz']);
    const wantOpen = new Map<string, string>();
    for (const o of orders) if (!blocked.has(o.cust)) wantOpen.set(JSON.stringify({ oid: o.oid }), JSON.stringify({ oid: o.oid, amount: o.amount }));
    const win = (t: number) => t - (t % 10_000);
    const wantHits = new Map<string, string>();
    for (const o of [...orders, { oid: -1, cust: 'zz', amount: -1, t: end }]) {
      if (blocks.some((b) => b.cust === o.cust && win(b.t) === win(o.t)) || o.oid === -1) {
        wantHits.set(JSON.stringify({ oid: o.oid }), JSON.stringify({ oid: o.oid, window_start: iso(win(o.t)).replace('T', ' ').slice(0, 19) }));
      }
    }

    const last = startRun(`${e2e.dir}/job.sql`);
    e2e.running.push(last);
    // The sentinel's window fires once the second sentinel's watermark passes it: every earlier window has fired.
    await until(async () => (await upserted(topics.hit)).has(JSON.stringify({ oid: -1 })) || undefined, 90_000, 'the sentinel window fired');
    // The anti join's output goes to another topic: wait until it settles on the expected view (or time out and show the difference).
    const same = async () => JSON.stringify([...(await upserted(topics.open))].sort()) === JSON.stringify([...wantOpen].sort());
    await until(async () => (await same()) || undefined, 15_000, 'the open orders settled').catch(() => {});
    last.child.kill('SIGTERM');
    await last.exited;
    expect(Object.fromEntries([...(await upserted(topics.hit))].sort())).toEqual(Object.fromEntries([...wantHits].sort()));
    expect(Object.fromEntries([...(await upserted(topics.open))].sort())).toEqual(Object.fromEntries([...wantOpen].sort()));
  }, 180_000);
});
