// The test broker with kafkajs: producer, consumer groups, admin, transactions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { startTestBroker, type TestBroker } from './index.js';

let broker: TestBroker;
let kafka: Kafka;
const cleanup: (() => Promise<void>)[] = [];

beforeEach(async () => {
  broker = await startTestBroker({ partitions: 1 });
  kafka = new Kafka({ clientId: 'kafkajs-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 50 } });
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  await broker.stop();
});

function until(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = () => {
      if (pred()) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error('condition not met in time'));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

async function consumeAll(consumer: Consumer, topic: string, count: number, fromBeginning = true): Promise<EachMessagePayload[]> {
  const got: EachMessagePayload[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning });
  await consumer.run({ eachMessage: async (p) => void got.push(p) });
  await until(() => got.length >= count);
  return got;
}

describe('kafkajs against the test broker', () => {
  it('admin creates, lists and deletes topics', async () => {
    const admin = kafka.admin();
    await admin.connect();
    cleanup.push(() => admin.disconnect());
    expect(await admin.createTopics({ topics: [{ topic: 'adm-a', numPartitions: 3 }, { topic: 'adm-b' }, { topic: 'adm-lat', configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }] })).toBe(true);
    const producer = kafka.producer();
    await producer.connect();
    const before = Date.now();
    const [meta] = await producer.send({ topic: 'adm-lat', messages: [{ value: 'x', timestamp: '1000' }] });
    await producer.disconnect();
    expect(Number(meta.logAppendTime)).toBeGreaterThanOrEqual(before);
    expect(broker.records('adm-lat', 0)[0].timestamp).toBe(Number(meta.logAppendTime));
    await admin.deleteTopics({ topics: ['adm-lat'] });
    expect(await admin.createTopics({ topics: [{ topic: 'adm-a', numPartitions: 3 }] })).toBe(false); // already exists
    expect((await admin.listTopics()).sort()).toEqual(['adm-a', 'adm-b']);
    const md = await admin.fetchTopicMetadata({ topics: ['adm-a'] });
    expect(md.topics[0].partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    await admin.deleteTopics({ topics: ['adm-b'] });
    expect(await admin.listTopics()).toEqual(['adm-a']);
    await admin.createPartitions({ topicPartitions: [{ topic: 'adm-a', count: 5 }] });
    expect((await admin.fetchTopicMetadata({ topics: ['adm-a'] })).topics[0].partitions).toHaveLength(5);
    await expect(admin.createPartitions({ topicPartitions: [{ topic: 'adm-a', count: 2 }] })).rejects.toThrow();
    const offsets = (await admin.fetchTopicOffsets('adm-a')).filter((o) => o.partition < 3);
    expect(offsets.map((o) => [o.partition, o.low, o.high]).sort()).toEqual([
      [0, '0', '0'],
      [1, '0', '0'],
      [2, '0', '0'],
    ]);
  });

  it('produces to several partitions and a consumer group reads everything, with keys, headers and timestamps', async () => {
    broker.createTopic('orders', 3);
    const producer = kafka.producer();
    await producer.connect();
    cleanup.push(() => producer.disconnect());
    const ts = Date.UTC(2024, 5, 1, 12, 0, 0);
    for (let p = 0; p < 3; p++) {
      await producer.send({
        topic: 'orders',
        messages: Array.from({ length: 10 }, (_, i) => ({ partition: p, key: `k${p}-${i}`, value: `v${p}-${i}`, headers: { h: `x${i}` }, timestamp: String(ts + i) })),
      });
    }
    const consumer = kafka.consumer({ groupId: 'g-orders', maxWaitTimeInMs: 100 });
    cleanup.push(() => consumer.disconnect());
    const got = await consumeAll(consumer, 'orders', 30);
    expect(got).toHaveLength(30);
    for (let p = 0; p < 3; p++) {
      const inP = got.filter((m) => m.partition === p);
      expect(inP.map((m) => m.message.offset)).toEqual([...Array(10).keys()].map(String));
      expect(inP.map((m) => m.message.key?.toString())).toEqual([...Array(10).keys()].map((i) => `k${p}-${i}`));
      expect(inP.map((m) => m.message.value?.toString())).toEqual([...Array(10).keys()].map((i) => `v${p}-${i}`));
      expect(inP.map((m) => m.message.headers?.h?.toString())).toEqual([...Array(10).keys()].map((i) => `x${i}`));
      expect(inP.map((m) => Number(m.message.timestamp))).toEqual([...Array(10).keys()].map((i) => ts + i));
    }
    // kcat-independent check: the broker holds the same records.
    expect(broker.records('orders', 2).map((r) => r.value?.toString())).toEqual([...Array(10).keys()].map((i) => `v2-${i}`));
  });

  it('commits offsets and a restarted group member continues from them', async () => {
    const producer = kafka.producer();
    await producer.connect();
    cleanup.push(() => producer.disconnect());
    await producer.send({ topic: 'resume', messages: Array.from({ length: 5 }, (_, i) => ({ value: `a${i}` })) });
    const c1 = kafka.consumer({ groupId: 'g-resume', maxWaitTimeInMs: 100 });
    const first = await consumeAll(c1, 'resume', 5);
    expect(first.map((m) => m.message.value?.toString())).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    await c1.disconnect(); // commits on the way out, then LeaveGroup
    expect(broker.committedOffsets('g-resume').get('resume-0')).toBe(5);
    const admin = kafka.admin();
    await admin.connect();
    cleanup.push(() => admin.disconnect());
    expect(await admin.fetchOffsets({ groupId: 'g-resume', topics: ['resume'] })).toEqual([{ topic: 'resume', partitions: [{ partition: 0, offset: '5', metadata: null }] }]);
    await producer.send({ topic: 'resume', messages: [{ value: 'b0' }, { value: 'b1' }] });
    const c2 = kafka.consumer({ groupId: 'g-resume', maxWaitTimeInMs: 100 });
    cleanup.push(() => c2.disconnect());
    const second = await consumeAll(c2, 'resume', 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(second.map((m) => m.message.value?.toString())).toEqual(['b0', 'b1']);
    const groups = await admin.describeGroups(['g-resume']);
    expect(groups.groups[0].state).toBe('Stable');
    expect(groups.groups[0].members).toHaveLength(1);
    expect((await admin.listGroups()).groups).toEqual([{ groupId: 'g-resume', protocolType: 'consumer' }]);
    await expect(admin.deleteGroups(['g-resume'])).rejects.toThrow(); // it has a member
    await c2.disconnect();
    expect(await admin.deleteGroups(['g-resume'])).toEqual([{ groupId: 'g-resume', errorCode: 0 }]);
    expect((await admin.listGroups()).groups).toEqual([]);
  });

  it('splits partitions between two members of a group and rebalances when one leaves', async () => {
    broker.createTopic('shared', 4);
    const producer = kafka.producer();
    await producer.connect();
    cleanup.push(() => producer.disconnect());
    const got = new Map<string, string[]>();
    const members: Consumer[] = [];
    const assigned = new Map<Consumer, number>();
    for (const name of ['m1', 'm2']) {
      const c = kafka.consumer({ groupId: 'g-shared', maxWaitTimeInMs: 100, heartbeatInterval: 200, sessionTimeout: 6000, rebalanceTimeout: 3000 });
      members.push(c);
      c.on(c.events.GROUP_JOIN, (e) => assigned.set(c, (e.payload.memberAssignment.shared ?? []).length));
      cleanup.push(() => c.disconnect());
      got.set(name, []);
      await c.connect();
      await c.subscribe({ topic: 'shared', fromBeginning: true });
      await c.run({ eachMessage: async ({ partition, message }) => void got.get(name)!.push(`${partition}:${message.value}`) });
    }
    // Wait until both members hold partitions (the second join triggers a rebalance).
    await until(() => members.every((c) => (assigned.get(c) ?? 0) > 0), 15_000);
    for (let p = 0; p < 4; p++) await producer.send({ topic: 'shared', messages: [{ partition: p, value: `p${p}` }] });
    await until(() => got.get('m1')!.length + got.get('m2')!.length >= 4, 10_000);
    expect([...got.get('m1')!, ...got.get('m2')!].sort()).toEqual(['0:p0', '1:p1', '2:p2', '3:p3']);
    expect(got.get('m1')!.length).toBeGreaterThan(0);
    expect(got.get('m2')!.length).toBeGreaterThan(0);
    // m2 leaves: m1 takes over all four partitions.
    await members[1].disconnect();
    await until(() => assigned.get(members[0]) === 4, 15_000);
    for (let p = 0; p < 4; p++) await producer.send({ topic: 'shared', messages: [{ partition: p, value: `q${p}` }] });
    await until(() => got.get('m1')!.filter((v) => v.includes(':q')).length === 4, 10_000);
  }, 45_000);

  it('transactions: a committed transaction is visible to read_committed consumers, an aborted one is not', async () => {
    broker.createTopic('txn', 2);
    const producer = kafka.producer({ transactionalId: 'tx-1', maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    cleanup.push(() => producer.disconnect());
    const t1 = await producer.transaction();
    await t1.send({ topic: 'txn', messages: [{ partition: 0, value: 'c1' }, { partition: 1, value: 'c2' }] });
    await t1.commit();
    const t2 = await producer.transaction();
    await t2.send({ topic: 'txn', messages: [{ partition: 0, value: 'a1' }, { partition: 1, value: 'a2' }] });
    await t2.abort();
    const t3 = await producer.transaction();
    await t3.send({ topic: 'txn', messages: [{ partition: 0, value: 'c3' }] });
    await t3.commit();
    // While a transaction is open its records stay invisible to read_committed readers.
    const t4 = await producer.transaction();
    await t4.send({ topic: 'txn', messages: [{ partition: 1, value: 'open' }] });

    const committed = kafka.consumer({ groupId: 'g-rc', maxWaitTimeInMs: 100, readUncommitted: false });
    cleanup.push(() => committed.disconnect());
    const got = await consumeAll(committed, 'txn', 3);
    await new Promise((r) => setTimeout(r, 500));
    expect(got.map((m) => m.message.value?.toString()).sort()).toEqual(['c1', 'c2', 'c3']);

    const uncommitted = kafka.consumer({ groupId: 'g-ru', maxWaitTimeInMs: 100, readUncommitted: true });
    cleanup.push(() => uncommitted.disconnect());
    const all = await consumeAll(uncommitted, 'txn', 6);
    expect(all.map((m) => m.message.value?.toString()).sort()).toEqual(['a1', 'a2', 'c1', 'c2', 'c3', 'open']);

    await t4.commit();
    await until(() => got.length === 4);
    expect(got.map((m) => m.message.value?.toString()).sort()).toEqual(['c1', 'c2', 'c3', 'open']);
  });

  it('transactions: sendOffsets commits consumer offsets only with the transaction', async () => {
    broker.createTopic('tx-src', 1);
    broker.produce('tx-src', 0, [{ value: 'x' }, { value: 'y' }]);
    const producer = kafka.producer({ transactionalId: 'tx-2', maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    cleanup.push(() => producer.disconnect());
    const aborted = await producer.transaction();
    await aborted.send({ topic: 'tx-out', messages: [{ value: 'nope' }] });
    await aborted.sendOffsets({ consumerGroupId: 'g-eos', topics: [{ topic: 'tx-src', partitions: [{ partition: 0, offset: '1' }] }] });
    await aborted.abort();
    expect(broker.committedOffsets('g-eos').get('tx-src-0')).toBeUndefined();
    const tx = await producer.transaction();
    await tx.send({ topic: 'tx-out', messages: [{ value: 'yes' }] });
    await tx.sendOffsets({ consumerGroupId: 'g-eos', topics: [{ topic: 'tx-src', partitions: [{ partition: 0, offset: '2' }] }] });
    await tx.commit();
    expect(broker.committedOffsets('g-eos').get('tx-src-0')).toBe(2);
  });

  it('a new producer with the same transactional id fences and aborts the open transaction', async () => {
    broker.createTopic('fence', 1);
    const p1 = kafka.producer({ transactionalId: 'tx-f', maxInFlightRequests: 1, idempotent: true });
    await p1.connect();
    cleanup.push(() => p1.disconnect());
    const t = await p1.transaction();
    await t.send({ topic: 'fence', messages: [{ value: 'left-open' }] });
    const p2 = kafka.producer({ transactionalId: 'tx-f', maxInFlightRequests: 1, idempotent: true });
    await p2.connect();
    cleanup.push(() => p2.disconnect());
    const t2 = await p2.transaction();
    await t2.send({ topic: 'fence', messages: [{ value: 'after' }] });
    await t2.commit();
    await expect(t.commit()).rejects.toThrow();
    const c = kafka.consumer({ groupId: 'g-fence', maxWaitTimeInMs: 100 });
    cleanup.push(() => c.disconnect());
    const got = await consumeAll(c, 'fence', 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(got.map((m) => m.message.value?.toString())).toEqual(['after']);
  });

  it('long-polls: a waiting fetch returns as soon as data arrives', async () => {
    broker.createTopic('poll', 1);
    const c = kafka.consumer({ groupId: 'g-poll', maxWaitTimeInMs: 3000 });
    cleanup.push(() => c.disconnect());
    const got: number[] = [];
    await c.connect();
    await c.subscribe({ topic: 'poll', fromBeginning: true });
    let joined = false;
    c.on(c.events.GROUP_JOIN, () => (joined = true));
    await c.run({ eachMessage: async () => void got.push(Date.now()) });
    await until(() => joined);
    await new Promise((r) => setTimeout(r, 300)); // the fetch is now parked on the broker
    const sentAt = Date.now();
    broker.produce('poll', 0, [{ value: 'wake' }]);
    await until(() => got.length === 1, 4000);
    expect(got[0] - sentAt).toBeLessThan(1500);
  });

  it('reads by timestamp with admin.fetchTopicOffsetsByTimestamp', async () => {
    const t0 = Date.UTC(2024, 0, 1);
    broker.produce('by-ts', 0, [0, 1, 2, 3].map((i) => ({ value: `m${i}`, timestamp: t0 + i * 1000 })));
    const admin = kafka.admin();
    await admin.connect();
    cleanup.push(() => admin.disconnect());
    expect(await admin.fetchTopicOffsetsByTimestamp('by-ts', t0 + 1500)).toEqual([{ partition: 0, offset: '2' }]);
    expect(await admin.fetchTopicOffsetsByTimestamp('by-ts', t0)).toEqual([{ partition: 0, offset: '0' }]);
  });
});
