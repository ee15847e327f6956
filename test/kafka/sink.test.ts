// The Kafka connector's sink against the test broker.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, type TestBroker } from '../kafka-broker/index.js';
import { T } from '../../src/common/types.js';
import type { DynamicSink } from '../../src/common/connector.js';
import { kafkaFactory } from '../../src/connectors/kafka/index.js';
import { drainToEnd, source, table, testContext } from './helpers.js';

let broker: TestBroker;
const opened: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  broker = await startTestBroker();
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close().catch(() => {});
  await broker.stop();
});

const fields = [
  { name: 'id', type: T.int() },
  { name: 'name', type: T.string() },
];

function opts(extra: Record<string, string> = {}): Record<string, string> {
  return { connector: 'kafka', topic: 'out', 'properties.bootstrap.servers': broker.bootstrap, format: 'json', ...extra };
}

async function openSink(o: Record<string, string>, state?: unknown, t = table(fields, o)): Promise<DynamicSink> {
  const sink = kafkaFactory.createSink!(t, { config: new Map() });
  opened.push(sink);
  await sink.open(testContext(), state);
  return sink;
}

function values(topic: string, partition = 0): string[] {
  return broker.records(topic, partition).map((r) => r.value?.toString() ?? 'null');
}

/** What a read_committed reader sees (the connector's own source, bounded at the latest offset). */
async function readCommitted(topic: string): Promise<unknown[][]> {
  const src = source(table(fields, { connector: 'kafka', topic, 'properties.bootstrap.servers': broker.bootstrap, format: 'json', 'scan.startup.mode': 'earliest-offset', 'scan.bounded.mode': 'latest-offset' }));
  opened.push(src);
  await src.open(testContext());
  return drainToEnd(src);
}

describe('kafka sink', () => {
  it('at-least-once: rows are acknowledged by the broker when prepareCommit returns', async () => {
    broker.createTopic('out', 1);
    const sink = await openSink(opts());
    expect(sink.transactional).toBe(false);
    await sink.write([
      [1, 'a'],
      [2, 'b'],
    ]);
    await sink.write([[3, null]]);
    expect(await sink.prepareCommit(1)).toEqual([]);
    expect(values('out')).toEqual(['{"id":1,"name":"a"}', '{"id":2,"name":"b"}', '{"id":3,"name":null}']);
    await sink.commit(1, []);
    await sink.close();
  });

  it('writes keys with the key format and spreads rows by sink.partitioner', async () => {
    broker.createTopic('out', 3);
    const keyed = await openSink(opts({ 'key.format': 'json', 'key.fields': 'id' }));
    await keyed.write([
      [1, 'a'],
      [1, 'b'],
      [2, 'c'],
    ]);
    await keyed.prepareCommit(1);
    const all = [0, 1, 2].flatMap((p) => broker.records('out', p).map((r) => ({ p, key: r.key?.toString(), value: r.value?.toString() })));
    expect(all).toHaveLength(3);
    const ofKey1 = all.filter((r) => r.key === '{"id":1}');
    expect(ofKey1).toHaveLength(2);
    expect(new Set(ofKey1.map((r) => r.p)).size).toBe(1); // same key, same partition (default partitioner)

    broker.createTopic('rr', 3);
    const rr = await openSink(opts({ topic: 'rr', 'sink.partitioner': 'round-robin' }));
    await rr.write([0, 1, 2, 3, 4, 5].map((i) => [i, 'x']));
    await rr.prepareCommit(1);
    expect([0, 1, 2].map((p) => broker.records('rr', p).length)).toEqual([2, 2, 2]);

    broker.createTopic('fixed', 3);
    const fixed = await openSink(opts({ topic: 'fixed', 'sink.partitioner': 'fixed' }));
    await fixed.write([0, 1, 2, 3].map((i) => [i, 'x']));
    await fixed.prepareCommit(1);
    expect([0, 1, 2].map((p) => broker.records('fixed', p).length)).toEqual([4, 0, 0]);
  });

  it('writes the headers and timestamp metadata columns', async () => {
    broker.createTopic('out', 1);
    const t = table(fields, opts(), [
      { name: 'hs', type: { kind: 'MAP', key: T.string(false), value: T.bytes(), nullable: true }, key: 'headers', virtual: false },
      { name: 'ts', type: T.timestampLtz(3, false), key: 'timestamp', virtual: false },
    ]);
    const sink = await openSink(opts(), undefined, t);
    const ts = Date.UTC(2024, 3, 5, 6, 7, 8, 9);
    await sink.write([[1, 'a', new Map([['h', new Uint8Array([104, 105])]]), ts * 1000]]);
    await sink.prepareCommit(1);
    const [r] = broker.records('out', 0);
    expect(r.timestamp).toBe(ts);
    expect(r.headers.map((h) => [h.key, h.value?.toString()])).toEqual([['h', 'hi']]);
  });

  it('exactly-once: rows become visible to read_committed readers only at commit()', async () => {
    broker.createTopic('out', 2);
    const sink = await openSink(opts({ 'sink.delivery-guarantee': 'exactly-once', 'sink.transactional-id-prefix': 'job-a' }));
    expect(sink.transactional).toBe(true);
    await sink.write([
      [1, 'a'],
      [2, 'b'],
    ]);
    const c1 = (await sink.prepareCommit(1)) as unknown[];
    expect(c1).toEqual([{ transactionalId: 'job-a-0', producerId: expect.any(String), producerEpoch: 0 }]);
    // Written, not yet visible.
    expect(broker.records('out', 0).length + broker.records('out', 1).length).toBe(2);
    expect(await readCommitted('out')).toEqual([]);
    // The next checkpoint's rows go into a new transaction while the first waits.
    await sink.write([[3, 'c']]);
    await sink.commit(1, c1);
    expect((await readCommitted('out')).map((r) => r[0]).sort()).toEqual([1, 2]);
    const c2 = (await sink.prepareCommit(2)) as unknown[];
    expect(c2[0]).toMatchObject({ transactionalId: 'job-a-1' });
    await sink.commit(2, c2);
    expect((await readCommitted('out')).map((r) => r[0]).sort()).toEqual([1, 2, 3]);
    expect(await sink.prepareCommit(3)).toEqual([]); // nothing written: no transaction
    await sink.close();
  });

  it('exactly-once after a crash: the prepared transaction is committed from the checkpoint, the unprepared one is aborted', async () => {
    broker.createTopic('out', 1);
    const o = opts({ 'sink.delivery-guarantee': 'exactly-once', 'sink.transactional-id-prefix': 'job-b' });
    const first = kafkaFactory.createSink!(table(fields, o), { config: new Map() });
    await first.open(testContext());
    await first.write([[1, 'kept']]);
    const committables = await first.prepareCommit(5);
    const state = JSON.parse(JSON.stringify(first.snapshotState!(5)));
    await first.write([[2, 'lost-with-the-crash']]); // after the checkpoint: never committed
    // "Crash": the process goes away without commit() or close(); its connections drop.
    opened.push(first);
    expect(await readCommitted('out')).toEqual([]);

    const second = await openSink(o, state);
    await second.commit(5, JSON.parse(JSON.stringify(committables)));
    expect((await readCommitted('out')).map((r) => r[1])).toEqual(['kept']);
    // Committing the same checkpoint again is harmless.
    await second.commit(5, JSON.parse(JSON.stringify(committables)));
    await second.write([[3, 'after-restart']]);
    await second.commit(6, (await second.prepareCommit(6)) as unknown[]);
    expect((await readCommitted('out')).map((r) => r[1])).toEqual(['kept', 'after-restart']);
  });

  it('exactly-once is checked by kafkajs read_committed consumers too', async () => {
    broker.createTopic('out', 1);
    const sink = await openSink(opts({ 'sink.delivery-guarantee': 'exactly-once', 'sink.transactional-id-prefix': 'job-c' }));
    await sink.write([[1, 'a']]);
    const c = (await sink.prepareCommit(1)) as unknown[];
    await sink.commit(1, c);
    await sink.write([[2, 'b']]);
    await sink.prepareCommit(2); // never committed
    const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: 'check', maxWaitTimeInMs: 100 });
    opened.push({ close: () => consumer.disconnect() });
    const got: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: 'out', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(String(message.value)) });
    await new Promise((r) => setTimeout(r, 800));
    expect(got).toEqual(['{"id":1,"name":"a"}']);
  });

  it('fails with an error naming the brokers when none is reachable', async () => {
    const sink = kafkaFactory.createSink!(table(fields, { ...opts(), 'properties.bootstrap.servers': '127.0.0.1:1', 'properties.retries': '1', 'properties.retry.backoff.ms': '50' }), { config: new Map() });
    await expect(sink.open(testContext())).rejects.toThrow(/Kafka brokers 127\.0\.0\.1:1/);
  });

  it('a broker that goes away mid-run: the flush at the checkpoint fails naming the brokers', async () => {
    broker.createTopic('out', 1);
    const sink = await openSink(opts({ 'properties.retries': '1', 'properties.retry.backoff.ms': '50', 'properties.request.timeout.ms': '1000' }));
    await sink.write([[1, 'a']]);
    await sink.prepareCommit(1);
    await broker.stop();
    await sink.write([[2, 'b']]);
    const started = Date.now();
    await expect(sink.prepareCommit(2)).rejects.toThrow(new RegExp(`writing to topic 'out' on ${broker.bootstrap.replace(/\./g, '\\.')} failed`));
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('requires a transactional id prefix for exactly-once', () => {
    expect(() => kafkaFactory.createSink!(table(fields, opts({ 'sink.semantic': 'exactly-once' })), { config: new Map() })).toThrow(/sink.transactional-id-prefix/);
    expect(() => kafkaFactory.createSink!(table(fields, opts({ 'sink.delivery-guarantee': 'exactly-once' })), { config: new Map() })).toThrow(/sink.transactional-id-prefix/);
  });
});
