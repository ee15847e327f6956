// The Kafka connector's sink against a real Kafka broker (the shared test peer; a private one for
// the broker-goes-away case). Topic and transactional-id names are unique per test.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { peer, requirePeers } from '../peers/index.js';
import { startKafkaBroker, type KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { T } from '../../src/common/types.js';
import type { DynamicSink } from '../../src/common/connector.js';
import { kafkaFactory } from '../../src/connectors/kafka/index.js';
import { drainToEnd, source, table, testContext } from './helpers.js';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
const BrokerCtor: any = require('kafkajs/src/broker/index.js');
const { createErrorFromCode }: any = require('kafkajs/src/protocol/error.js');
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Runs `fn` while the first produce request to `topic` loses its answer: the broker wrote it, the
 * producer sees UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition", as
 * right after a topic was created) and sends the whole request again. Returns how many answers were lost.
 */
async function losingFirstProduceAnswer(topic: string, fn: () => Promise<void>): Promise<number> {
  const original = BrokerCtor.prototype.produce;
  let lost = 0;
  BrokerCtor.prototype.produce = async function (this: unknown, req: { topicData: { topic: string }[] }) {
    const res = await original.call(this, req);
    if (lost === 0 && req.topicData.some((t) => t.topic === topic)) {
      lost++;
      throw createErrorFromCode(3);
    }
    return res;
  };
  try {
    await fn();
  } finally {
    BrokerCtor.prototype.produce = original;
  }
  return lost;
}

let kafka: KafkaEndpoint;
let client: KafkaTestClient;
const opened: { close(): Promise<void> }[] = [];
/** This test's topic names and transactional-id prefix. */
let out: string;
let rrTopic: string;
let fixedTopic: string;
let txn: string;

const peersReady = requirePeers('kafka');

beforeAll(() => {
  if (!peersReady) return;
  kafka = peer<KafkaEndpoint>('kafka');
  client = kafkaTestClient(kafka.bootstrap);
});
afterAll(async () => {
  if (!peersReady) return;
  await client.close();
});
beforeEach(() => {
  out = uniqueTopic('sink-out');
  rrTopic = uniqueTopic('sink-rr');
  fixedTopic = uniqueTopic('sink-fixed');
  txn = uniqueTopic('sink-job');
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close().catch(() => {});
});

const fields = [
  { name: 'id', type: T.int() },
  { name: 'name', type: T.string() },
];

function opts(extra: Record<string, string> = {}): Record<string, string> {
  return { connector: 'kafka', topic: out, 'properties.bootstrap.servers': kafka.bootstrap, format: 'json', ...extra };
}

async function openSink(o: Record<string, string>, state?: unknown, t = table(fields, o)): Promise<DynamicSink> {
  const sink = kafkaFactory.createSink!(t, { config: new Map() });
  opened.push(sink);
  await sink.open(testContext(), state);
  return sink;
}

async function values(topic: string, partition = 0): Promise<string[]> {
  return (await client.records(topic, partition)).map((r) => r.value?.toString() ?? 'null');
}

// EndTxn returns once the coordinator logged the decision; Kafka writes the commit markers into the
// partitions right after, so a read_committed reader sees the rows shortly after commit() returns.
const POLL = { timeout: 20_000, interval: 200 };

/** What a read_committed reader sees (the connector's own source, bounded at the latest offset). */
async function readCommitted(topic: string): Promise<unknown[][]> {
  const src = source(table(fields, { connector: 'kafka', topic, 'properties.bootstrap.servers': kafka.bootstrap, format: 'json', 'scan.startup.mode': 'earliest-offset', 'scan.bounded.mode': 'latest-offset' }));
  opened.push(src);
  await src.open(testContext());
  return drainToEnd(src);
}

describe('kafka sink', () => {
  it('at-least-once: rows are acknowledged by the broker when prepareCommit returns', async () => {
    await client.createTopic(out, 1);
    const sink = await openSink(opts());
    expect(sink.transactional).toBe(false);
    await sink.write([
      [1, 'a'],
      [2, 'b'],
    ]);
    await sink.write([[3, null]]);
    expect(await sink.prepareCommit(1)).toEqual([]);
    expect(await values(out)).toEqual(['{"id":1,"name":"a"}', '{"id":2,"name":"b"}', '{"id":3,"name":null}']);
    await sink.commit(1, []);
    await sink.close();
  });

  it('a large write goes out in produce requests of at most 1000 messages, in order', async () => {
    await client.createTopic(out, 1);
    const sink = await openSink(opts());
    const sizes: number[] = [];
    const original = BrokerCtor.prototype.produce;
    BrokerCtor.prototype.produce = async function (this: unknown, req: { topicData: { topic: string; partitions: { messages: unknown[] }[] }[] }) {
      for (const t of req.topicData) if (t.topic === out) sizes.push(t.partitions.reduce((n, p) => n + p.messages.length, 0));
      return original.call(this, req);
    };
    try {
      await sink.write(Array.from({ length: 2500 }, (_, i) => [i, `n${i}`]));
      await sink.prepareCommit(1);
    } finally {
      BrokerCtor.prototype.produce = original;
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(await values(out)).toEqual(Array.from({ length: 2500 }, (_, i) => `{"id":${i},"name":"n${i}"}`));
  });

  it('writes keys with the key format and spreads rows by sink.partitioner', async () => {
    await client.createTopic(out, 3);
    const keyed = await openSink(opts({ 'key.format': 'json', 'key.fields': 'id' }));
    await keyed.write([
      [1, 'a'],
      [1, 'b'],
      [2, 'c'],
    ]);
    await keyed.prepareCommit(1);
    const all = (await Promise.all([0, 1, 2].map(async (p) => (await client.records(out, p)).map((r) => ({ p, key: r.key?.toString(), value: r.value?.toString() }))))).flat();
    expect(all).toHaveLength(3);
    const ofKey1 = all.filter((r) => r.key === '{"id":1}');
    expect(ofKey1).toHaveLength(2);
    expect(new Set(ofKey1.map((r) => r.p)).size).toBe(1); // same key, same partition (default partitioner)

    await client.createTopic(rrTopic, 3);
    const rr = await openSink(opts({ topic: rrTopic, 'sink.partitioner': 'round-robin' }));
    await rr.write([0, 1, 2, 3, 4, 5].map((i) => [i, 'x']));
    await rr.prepareCommit(1);
    expect(await Promise.all([0, 1, 2].map(async (p) => (await client.records(rrTopic, p)).length))).toEqual([2, 2, 2]);

    await client.createTopic(fixedTopic, 3);
    const fixed = await openSink(opts({ topic: fixedTopic, 'sink.partitioner': 'fixed' }));
    await fixed.write([0, 1, 2, 3].map((i) => [i, 'x']));
    await fixed.prepareCommit(1);
    expect(await Promise.all([0, 1, 2].map(async (p) => (await client.records(fixedTopic, p)).length))).toEqual([4, 0, 0]);
  });

  it("at-least-once: the producer is idempotent by default (as Kafka's 3.x client under Flink): a produce request sent again adds no duplicates; enable.idempotence = false does", async () => {
    // One request to two partitions: the retry sends both again, also the one the broker had written.
    const rows = [0, 1, 2, 3, 4, 5].map((i) => [i, `r${i}`]);
    const stored = async (topic: string) => (await Promise.all([0, 1].map((p) => client.records(topic, p)))).flat();

    await client.createTopic(out, 2);
    const sink = await openSink(opts({ 'sink.partitioner': 'round-robin' }));
    const lost = await losingFirstProduceAnswer(out, async () => {
      await sink.write(rows);
      await sink.prepareCommit(1);
    });
    expect(lost).toBe(1);
    const idem = await stored(out);
    expect(idem.map((r) => r.value!.toString()).sort()).toEqual(rows.map(([i, n]) => JSON.stringify({ id: i, name: n })).sort());
    // The batches carry the producer id the brokers handed out (InitProducerId); -1 is a plain producer.
    expect(new Set(idem.map((r) => r.producerId)).size).toBe(1);
    expect(Number(idem[0].producerId)).toBeGreaterThanOrEqual(0);

    await client.createTopic(rrTopic, 2);
    const plain = await openSink(opts({ topic: rrTopic, 'sink.partitioner': 'round-robin', 'properties.enable.idempotence': 'false' }));
    expect(
      await losingFirstProduceAnswer(rrTopic, async () => {
        await plain.write(rows);
        await plain.prepareCommit(1);
      }),
    ).toBe(1);
    const dup = await stored(rrTopic);
    expect(dup).toHaveLength(12); // every row twice: at-least-once, without the broker's deduplication
    expect(new Set(dup.map((r) => r.producerId))).toEqual(new Set(['-1']));
  });

  it('writes the headers and timestamp metadata columns', async () => {
    await client.createTopic(out, 1);
    const t = table(fields, opts(), [
      { name: 'hs', type: { kind: 'MAP', key: T.string(false), value: T.bytes(), nullable: true }, key: 'headers', virtual: false },
      { name: 'ts', type: T.timestampLtz(3, false), key: 'timestamp', virtual: false },
    ]);
    const sink = await openSink(opts(), undefined, t);
    const ts = Date.UTC(2024, 3, 5, 6, 7, 8, 9);
    await sink.write([[1, 'a', new Map([['h', new Uint8Array([104, 105])]]), ts * 1000]]);
    await sink.prepareCommit(1);
    const [r] = await client.records(out, 0);
    expect(r.timestamp).toBe(ts);
    expect(r.headers.map((h) => [h.key, h.value?.toString()])).toEqual([['h', 'hi']]);
  });

  it('exactly-once: rows become visible to read_committed readers only once committed', async () => {
    await client.createTopic(out, 2);
    const sink = await openSink(opts({ 'sink.delivery-guarantee': 'exactly-once', 'sink.transactional-id-prefix': txn }));
    expect(sink.transactional).toBe(true);
    await sink.write([
      [1, 'a'],
      [2, 'b'],
    ]);
    const c1 = (await sink.prepareCommit(1)) as unknown[];
    expect(c1).toEqual([{ transactionalId: `${txn}-0`, producerId: expect.any(String), producerEpoch: 0 }]);
    // Written, not yet visible.
    expect((await client.records(out, 0)).length + (await client.records(out, 1)).length).toBe(2);
    expect(await readCommitted(out)).toEqual([]);
    // The next checkpoint's rows go into a new transaction while the first waits.
    await sink.write([[3, 'c']]);
    await sink.commit(1, c1);
    await expect.poll(async () => (await readCommitted(out)).map((r) => r[0]).sort(), POLL).toEqual([1, 2]);
    const c2 = (await sink.prepareCommit(2)) as unknown[];
    expect(c2[0]).toMatchObject({ transactionalId: `${txn}-1` });
    await sink.commit(2, c2);
    await expect.poll(async () => (await readCommitted(out)).map((r) => r[0]).sort(), POLL).toEqual([1, 2, 3]);
    expect(await sink.prepareCommit(3)).toEqual([]); // nothing written: no transaction
    await sink.close();
  });

  it('exactly-once after a crash: the prepared transaction is committed from the checkpoint, the unprepared one is aborted', async () => {
    await client.createTopic(out, 1);
    const o = opts({ 'sink.delivery-guarantee': 'exactly-once', 'sink.transactional-id-prefix': txn });
    const first = kafkaFactory.createSink!(table(fields, o), { config: new Map() });
    await first.open(testContext());
    await first.write([[1, 'kept']]);
    const committables = await first.prepareCommit(5);
    const state = JSON.parse(JSON.stringify(first.snapshotState!(5)));
    await first.write([[2, 'lost-with-the-crash']]); // after the checkpoint: never committed
    // "Crash": the process goes away without commit() or close(); its connections drop.
    opened.push(first);
    expect(await readCommitted(out)).toEqual([]);

    const second = await openSink(o, state);
    await second.commit(5, JSON.parse(JSON.stringify(committables)));
    await expect.poll(async () => (await readCommitted(out)).map((r) => r[1]), POLL).toEqual(['kept']);
    // Committing the same checkpoint again is harmless.
    await second.commit(5, JSON.parse(JSON.stringify(committables)));
    await second.write([[3, 'after-restart']]);
    await second.commit(6, (await second.prepareCommit(6)) as unknown[]);
    await expect.poll(async () => (await readCommitted(out)).map((r) => r[1]), POLL).toEqual(['kept', 'after-restart']);
  });

  it('exactly-once is checked by kafkajs read_committed consumers too', async () => {
    await client.createTopic(out, 1);
    const sink = await openSink(opts({ 'sink.delivery-guarantee': 'exactly-once', 'sink.transactional-id-prefix': txn }));
    await sink.write([[1, 'a']]);
    const c = (await sink.prepareCommit(1)) as unknown[];
    await sink.commit(1, c);
    await sink.write([[2, 'b']]);
    await sink.prepareCommit(2); // never committed
    const kafkajs = new Kafka({ brokers: [kafka.bootstrap], logLevel: logLevel.NOTHING });
    const consumer = kafkajs.consumer({ groupId: uniqueTopic('check'), maxWaitTimeInMs: 100 });
    opened.push({ close: () => consumer.disconnect() });
    const got: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: out, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(String(message.value)) });
    // The group join takes a moment on a real broker: wait for the committed row, then a little
    // longer in case the uncommitted one would follow.
    for (const deadline = Date.now() + 30_000; got.length === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    expect(got).toEqual(['{"id":1,"name":"a"}']);
  });

  it('writes to a topic the broker creates on first use (auto.create.topics.enable)', async () => {
    // A real broker answers UNKNOWN_TOPIC_OR_PARTITION until the controller made the topic.
    const sink = await openSink(opts());
    await sink.write([[1, 'a']]);
    await sink.prepareCommit(1);
    expect(await values(out)).toEqual(['{"id":1,"name":"a"}']);
  });

  it('a topic that does not exist on a broker that does not create topics: an error naming it', async () => {
    const broker = await startKafkaBroker({ autoCreateTopics: false }); // a private one: auto-create off
    opened.push({ close: () => broker.destroy() });
    const sink = kafkaFactory.createSink!(table(fields, opts({ 'properties.bootstrap.servers': broker.endpoint.bootstrap })), { config: new Map() });
    await expect(sink.open(testContext())).rejects.toThrow(new RegExp(`topic '${out}' does not exist on ${broker.endpoint.bootstrap.replace(/\./g, '\\.')}`));
  }, 120_000); // starts a broker of its own (a JVM): slow on a loaded machine

  it('fails with an error naming the brokers when none is reachable', async () => {
    const sink = kafkaFactory.createSink!(table(fields, { ...opts(), 'properties.bootstrap.servers': '127.0.0.1:1', 'properties.retries': '1', 'properties.retry.backoff.ms': '50' }), { config: new Map() });
    await expect(sink.open(testContext())).rejects.toThrow(/Kafka brokers 127\.0\.0\.1:1/);
  });

  it('a broker that goes away mid-run: the flush at the checkpoint fails naming the brokers', async () => {
    const broker = await startKafkaBroker(); // a private one: this test stops it
    opened.push({ close: () => broker.destroy() });
    const own = kafkaTestClient(broker.endpoint.bootstrap);
    await own.createTopic(out, 1);
    await own.close();
    const sink = await openSink(opts({ 'properties.bootstrap.servers': broker.endpoint.bootstrap, 'properties.retries': '1', 'properties.retry.backoff.ms': '50', 'properties.request.timeout.ms': '1000' }));
    await sink.write([[1, 'a']]);
    await sink.prepareCommit(1);
    await broker.stop();
    await sink.write([[2, 'b']]);
    const started = Date.now();
    await expect(sink.prepareCommit(2)).rejects.toThrow(new RegExp(`writing to topic '${out}' on ${broker.endpoint.bootstrap.replace(/\./g, '\\.')} failed`));
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 120_000); // starts a broker of its own (a JVM): slow on a loaded machine

  it('requires a transactional id prefix for exactly-once', () => {
    expect(() => kafkaFactory.createSink!(table(fields, opts({ 'sink.semantic': 'exactly-once' })), { config: new Map() })).toThrow(/sink.transactional-id-prefix/);
    expect(() => kafkaFactory.createSink!(table(fields, opts({ 'sink.delivery-guarantee': 'exactly-once' })), { config: new Map() })).toThrow(/sink.transactional-id-prefix/);
  });
});
