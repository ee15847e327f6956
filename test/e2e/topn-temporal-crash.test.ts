// State of the streaming Top-N and of the event-time temporal join survives SIGKILL: a job
// (the CLI as a child process, checkpoints every 150 ms) reads orders and currency rates from
// Kafka, writes the top 3 orders per customer and every order converted at the rate valid at its
// time into upsert-kafka topics, and is killed again and again while the producer runs. At the
// end the upserted views equal what the whole input gives: a Top-N or a temporal join that lost
// its state on a restart would leave wrong ranks or missing conversions.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { uniqueTopic } from '../peers/kafka-client.js';
import { kafkaE2e, killAgainAndAgain, sleep, startRun, until, upsertedView } from './helpers.js';

const topics = { orders: uniqueTopic('tc-orders'), rates: uniqueTopic('tc-rates'), top: uniqueTopic('tc-top'), conv: uniqueTopic('tc-conv') };

const e2e = kafkaE2e('tsstream-topn-crash-', Object.values(topics), 1);

const BASE = Date.UTC(2025, 0, 1, 10, 0, 0);
const CUSTOMERS = ['c0', 'c1', 'c2', 'c3', 'c4'];
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 23);

const upserted = (topic: string) => upsertedView(e2e.client, topic);

describe('Top-N and event-time temporal join killed with SIGKILL', () => {
  it('resume from their checkpointed state and end with the results of the whole input', async () => {
    writeFileSync(
      `${e2e.dir}/job.sql`,
      `
CREATE TABLE orders (oid INT, cust STRING, amount INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts
) WITH ('connector' = 'kafka', 'topic' = '${topics.orders}', 'properties.bootstrap.servers' = '${e2e.kafka.bootstrap}',
    'properties.group.id' = '${uniqueTopic('tc')}', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
CREATE TABLE rates (cust STRING, rate INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts, PRIMARY KEY (cust) NOT ENFORCED
) WITH ('connector' = 'kafka', 'topic' = '${topics.rates}', 'properties.bootstrap.servers' = '${e2e.kafka.bootstrap}',
    'properties.group.id' = '${uniqueTopic('tc')}', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
CREATE TABLE top3 (cust STRING, rn BIGINT, oid INT, amount INT, PRIMARY KEY (cust, rn) NOT ENFORCED) WITH (
    'connector' = 'upsert-kafka', 'topic' = '${topics.top}', 'properties.bootstrap.servers' = '${e2e.kafka.bootstrap}', 'key.format' = 'json', 'value.format' = 'json');
CREATE TABLE converted (oid INT, total INT, PRIMARY KEY (oid) NOT ENFORCED) WITH (
    'connector' = 'upsert-kafka', 'topic' = '${topics.conv}', 'properties.bootstrap.servers' = '${e2e.kafka.bootstrap}', 'key.format' = 'json', 'value.format' = 'json');
SET 'execution.checkpointing.interval' = '150ms';
SET 'execution.checkpointing.dir' = '${e2e.dir}/checkpoints';
SET 'pipeline.name' = 'topn-temporal-crash';
EXECUTE STATEMENT SET BEGIN
INSERT INTO top3 SELECT cust, rn, oid, amount FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY cust ORDER BY amount DESC, oid) AS rn FROM orders) WHERE rn <= 3;
INSERT INTO converted SELECT o.oid, o.amount * r.rate FROM orders AS o
  JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.cust = r.cust;
END;
`,
    );
    // Step i: at BASE + i s a new rate for customer i % 5 in the first five steps of every 25
    // (each customer's rate changes every 25 s), then at + 0.5 s an order of customer (i * 3) % 5 with a pseudo-random amount.
    const orders: { oid: number; cust: string; amount: number; t: number }[] = [];
    const rates = new Map<string, { t: number; rate: number }[]>();
    const TOTAL = 600;
    let produced = 0;
    const producing = (async () => {
      for (let i = 0; i < TOTAL; i++, produced++) {
        const t = BASE + i * 1000;
        if (i % 25 < 5) {
          const cust = CUSTOMERS[i % 5];
          const rate = 1 + ((i * 37) % 11);
          (rates.get(cust) ?? rates.set(cust, []).get(cust)!).push({ t, rate });
          await e2e.client.produce(topics.rates, 0, [{ value: JSON.stringify({ cust, rate, ts: iso(t) }) }]);
        }
        const o = { oid: i, cust: CUSTOMERS[(i * 3) % 5], amount: (i * 7919) % 1000, t: t + 500 };
        orders.push(o);
        await e2e.client.produce(topics.orders, 0, [{ value: JSON.stringify({ oid: o.oid, cust: o.cust, amount: o.amount, ts: iso(o.t) }) }]);
        await sleep(5);
      }
    })();
    producing.catch(() => {});

    const kills = await killAgainAndAgain({
      file: `${e2e.dir}/job.sql`,
      pipeline: 'topn-temporal-crash',
      kills: 5,
      running: e2e.running,
      waitMs: () => 400 + Math.floor(Math.random() * 800),
      progress: () => `${produced} steps produced`,
    });
    console.log(kills.join('\n'));
    expect(kills.filter((k) => k.includes('resumed')).length).toBeGreaterThan(0);

    // The rest of the input, then a sentinel far ahead on both topics fires every pending order.
    await producing;
    const end = BASE + 3600_000;
    await e2e.client.produce(topics.rates, 0, [{ value: JSON.stringify({ cust: 'zz', rate: 1, ts: iso(end) }) }]);
    await e2e.client.produce(topics.orders, 0, [{ value: JSON.stringify({ oid: -1, cust: 'zz', amount: -1, ts: iso(end) }) }]);

    const wantTop = new Map<string, string>();
    for (const cust of [...CUSTOMERS, 'zz']) {
      const mine = cust === 'zz' ? [{ oid: -1, amount: -1 }] : orders.filter((o) => o.cust === cust);
      mine.sort((a, b) => b.amount - a.amount || a.oid - b.oid);
      mine.slice(0, 3).forEach((o, i) => wantTop.set(JSON.stringify({ cust, rn: i + 1 }), JSON.stringify({ cust, rn: i + 1, oid: o.oid, amount: o.amount })));
    }
    const wantConv = new Map<string, string>();
    for (const o of orders) {
      const valid = (rates.get(o.cust) ?? []).filter((r) => r.t <= o.t).at(-1);
      if (valid) wantConv.set(JSON.stringify({ oid: o.oid }), JSON.stringify({ oid: o.oid, total: o.amount * valid.rate }));
    }
    wantConv.set(JSON.stringify({ oid: -1 }), JSON.stringify({ oid: -1, total: -1 }));

    const last = startRun(`${e2e.dir}/job.sql`);
    e2e.running.push(last);
    await until(async () => (await upserted(topics.conv)).has(JSON.stringify({ oid: -1 })) || undefined, 90_000, 'the sentinel order converted');
    // The sentinel is the last order: once it is out, so is every Top-N change before it.
    await until(async () => (await upserted(topics.top)).has(JSON.stringify({ cust: 'zz', rn: 1 })) || undefined, 30_000, 'the sentinel ranked');
    last.child.kill('SIGTERM');
    await last.exited;
    expect(Object.fromEntries([...(await upserted(topics.top))].sort())).toEqual(Object.fromEntries([...wantTop].sort()));
    expect(Object.fromEntries([...(await upserted(topics.conv))].sort())).toEqual(Object.fromEntries([...wantConv].sort()));
  }, 240_000);
});
