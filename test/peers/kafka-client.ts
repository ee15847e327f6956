// What tests do to a real Kafka broker besides running tsstream against it: create topics, write
// records into an exact partition, read back everything a partition holds, committed offsets.
//   const kafka = peer<KafkaEndpoint>('kafka');
//   const client = kafkaTestClient(kafka.bootstrap);   // one per test file; close() in afterAll
//   const topic = uniqueTopic('events');               // test files share the broker: own names
//   await client.createTopic(topic, 2);
//   await client.produce(topic, 0, [{ key: 'k', value: '{"a":1}', timestamp: Date.now() }]);
//   await client.records(topic, 0);
// Admin, producer: kafkajs's public API. Reading: kafkajs's Fetch request to the partition leader
// (no consumer group), so a read sees exactly the partition from offset 0 to its end.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Kafka, logLevel, type Admin, type Producer, type IHeaders } from 'kafkajs';

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
const ClusterCtor: any = require('kafkajs/src/cluster/index.js');
const loggers: any = require('kafkajs/src/loggers/index.js');
const LoggerConsole: any = require('kafkajs/src/loggers/console.js');
const socketFactory: any = require('kafkajs/src/network/socketFactory.js');
const BatchCtor: any = require('kafkajs/src/consumer/batch.js');

/** A topic name no other test (file, run) uses: `${prefix}-<random>`. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export interface NewRecord {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string | Buffer>;
  /** Epoch milliseconds (CreateTime); the producer's clock when left out. */
  timestamp?: number;
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface StoredRecord {
  offset: number;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
  key: Buffer | null;
  value: Buffer | null;
  /** In the order they were written. */
  headers: RecordHeader[];
  /** The producer id of the record's batch: '-1' unless an idempotent or transactional producer wrote it. */
  producerId: string;
}

export interface KafkaTestClient {
  /** Creates a topic (replication 1) and waits for its leaders. configs: topic configs, e.g. { 'message.timestamp.type': 'LogAppendTime' }. */
  createTopic(name: string, partitions?: number, configs?: Record<string, string>): Promise<void>;
  /** Grows a topic to `total` partitions. */
  addPartitions(name: string, total: number): Promise<void>;
  /** Appends the messages to one partition as one request; returns the offset of the first. */
  produce(topic: string, partition: number, messages: NewRecord[]): Promise<number>;
  /**
   * The data records of a partition from its first offset to its end (control records left out).
   * By default every data record (read_uncommitted, like the log itself); `committed` reads with
   * read_committed: up to the last stable offset, aborted transactions left out.
   */
  records(topic: string, partition: number, opts?: { committed?: boolean }): Promise<StoredRecord[]>;
  /** The next offset of a partition (high watermark). */
  endOffset(topic: string, partition: number): Promise<number>;
  /**
   * Waits until no transaction is open on the partition (last stable offset = high watermark):
   * EndTxn returns once the coordinator logged the decision, the markers follow a moment later.
   */
  awaitStable(topic: string, partition: number, timeoutMs?: number): Promise<void>;
  /** Committed offsets of a consumer group, keyed 'topic-partition' (partitions without one left out). */
  committedOffsets(group: string): Promise<Map<string, number>>;
  /** The kafkajs admin client, for what the helpers do not cover. */
  admin(): Promise<Admin>;
  close(): Promise<void>;
}

export function kafkaTestClient(bootstrap: string): KafkaTestClient {
  const kafka = new Kafka({ clientId: 'tsstream-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } });
  let admin: Promise<Admin> | undefined;
  let producer: Promise<Producer> | undefined;
  let cluster: Promise<any> | undefined;

  const getAdmin = (): Promise<Admin> =>
    (admin ??= (async () => {
      const a = kafka.admin();
      await a.connect();
      return a;
    })());
  const getProducer = (): Promise<Producer> =>
    (producer ??= (async () => {
      const p = kafka.producer({ allowAutoTopicCreation: true });
      await p.connect();
      return p;
    })());
  const getCluster = (): Promise<any> =>
    (cluster ??= (async () => {
      const c = new ClusterCtor({
        logger: loggers.createLogger({ level: loggers.LEVELS.NOTHING, logCreator: LoggerConsole }),
        socketFactory: socketFactory(),
        brokers: [bootstrap],
        clientId: 'tsstream-test-reader',
        connectionTimeout: 3000,
        requestTimeout: 30000,
        enforceRequestTimeout: true,
        metadataMaxAge: 300000,
        retry: { retries: 8, initialRetryTime: 100 },
        allowAutoTopicCreation: false,
        isolationLevel: 0,
        offsets: new Map(),
      });
      await c.connect();
      return c;
    })());

  async function leaderOf(topic: string, partition: number): Promise<any> {
    const c = await getCluster();
    for (let attempt = 0; ; attempt++) {
      await c.addMultipleTargetTopics([topic]);
      if (attempt > 0) await c.refreshMetadata();
      const byLeader: Record<string, number[]> = c.findLeaderForPartitions(topic, [partition]);
      const nodeId = Object.keys(byLeader)[0];
      if (nodeId !== undefined) return c.findBroker({ nodeId });
      if (attempt >= 20) throw new Error(`no leader for ${topic}-${partition}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  return {
    async createTopic(name, partitions = 1, configs = {}) {
      const a = await getAdmin();
      const created = await a.createTopics({
        waitForLeaders: false,
        topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }],
      });
      if (!created) throw new Error(`topic ${name} already exists`);
      // Until every partition has a leader that serves it. Not kafkajs's waitForLeaders: it retries
      // only LEADER_NOT_AVAILABLE, and a loaded broker answers the metadata request that follows the
      // creation with UNKNOWN_TOPIC_OR_PARTITION until its metadata cache has the topic; and its
      // cache names a leader before the leader has the partition (a produce then fails for that
      // partition, and kafkajs sends the whole request again: the other partitions' rows twice).
      const deadline = Date.now() + 30_000;
      for (;;) {
        let why: string;
        try {
          const md = await a.fetchTopicMetadata({ topics: [name] });
          const ps = md.topics[0]?.partitions ?? [];
          if (ps.length === partitions && ps.every((p) => p.leader >= 0)) {
            await a.fetchTopicOffsets(name); // ListOffsets: answered by each partition's leader
            return;
          }
          why = `${ps.filter((p) => p.leader >= 0).length} of ${partitions} partitions with a leader`;
        } catch (e) {
          why = (e as Error).message;
        }
        if (Date.now() > deadline) throw new Error(`topic ${name} was created but has no leaders after 30 s (${why})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async addPartitions(name, total) {
      const a = await getAdmin();
      await a.createPartitions({ topicPartitions: [{ topic: name, count: total }] });
      // The producer keeps the old partition count in its metadata: the next produce() makes a new one.
      const old = producer;
      producer = undefined;
      await old?.then((p) => p.disconnect()).catch(() => {});
      // Wait until the new partitions have leaders, so that produce() to them works at once.
      for (let i = 0; i < 50; i++) {
        const md = await a.fetchTopicMetadata({ topics: [name] });
        const ps = md.topics[0]?.partitions ?? [];
        if (ps.length >= total && ps.every((p) => p.leader >= 0)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${name} did not reach ${total} partitions with leaders`);
    },
    async produce(topic, partition, messages) {
      const p = await getProducer();
      const res = await p.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({
          partition,
          key: m.key ?? null,
          value: m.value,
          headers: m.headers as IHeaders | undefined,
          timestamp: m.timestamp === undefined ? undefined : String(m.timestamp),
        })),
      });
      const mine = res.find((r) => r.topicName === topic && r.partition === partition);
      if (!mine || mine.errorCode !== 0) throw new Error(`produce to ${topic}-${partition} failed: ${JSON.stringify(res)}`);
      return Number(mine.baseOffset ?? mine.offset);
    },
    async records(topic, partition, opts = {}) {
      const isolationLevel = opts.committed ? 1 : 0;
      const out: StoredRecord[] = [];
      let offset = 0;
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (Date.now() > deadline) throw new Error(`reading ${topic}-${partition} did not reach its end within 60 s (at offset ${offset})`);
        const broker = await leaderOf(topic, partition);
        const res = await broker.fetch({
          isolationLevel,
          maxWaitTime: 0,
          minBytes: 1,
          maxBytes: 16 << 20,
          topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes: 16 << 20 }] }],
        });
        const pd = res.responses[0].partitions[0];
        if (pd.errorCode !== 0) throw new Error(`fetch ${topic}-${partition} at ${offset}: error code ${pd.errorCode}`);
        const end = Number(opts.committed ? pd.lastStableOffset : pd.highWatermark);
        const batch = new BatchCtor(topic, String(offset), pd);
        const within: any[] = batch.messagesWithinOffset.filter((m: any) => Number(m.offset) < end);
        for (const m of batch.messages as any[]) {
          if (Number(m.offset) >= end) continue;
          const headers: RecordHeader[] = [];
          for (const [key, v] of Object.entries(m.headers ?? {})) {
            for (const one of Array.isArray(v) ? v : [v]) headers.push({ key, value: (one as Buffer | null | undefined) ?? null });
          }
          out.push({
            offset: Number(m.offset),
            timestamp: Number(m.timestamp),
            timestampType: m.batchContext?.timestampType === 1 ? 'LogAppendTime' : 'CreateTime',
            key: m.key ?? null,
            value: m.value ?? null,
            headers,
            producerId: String(m.batchContext?.producerId ?? '-1'),
          });
        }
        if (within.length > 0) offset = Number(within[within.length - 1].offset) + 1;
        if (offset >= end) return out;
        if (within.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
    },
    async awaitStable(topic, partition, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const broker = await leaderOf(topic, partition);
        const res = await broker.fetch({
          isolationLevel: 1,
          maxWaitTime: 0,
          minBytes: 1,
          maxBytes: 1,
          topics: [{ topic, partitions: [{ partition, fetchOffset: '0', maxBytes: 1 }] }],
        });
        const pd = res.responses[0].partitions[0];
        if (pd.errorCode === 0 && Number(pd.lastStableOffset) === Number(pd.highWatermark)) return;
        if (Date.now() > deadline) throw new Error(`${topic}-${partition} still has an open transaction after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async endOffset(topic, partition) {
      const a = await getAdmin();
      const offs = await a.fetchTopicOffsets(topic);
      const p = offs.find((o) => o.partition === partition);
      if (!p) throw new Error(`${topic} has no partition ${partition}`);
      return Number(p.high);
    },
    async committedOffsets(group) {
      const a = await getAdmin();
      // A group's coordinator may still be loading (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS): retry.
      let res: Awaited<ReturnType<Admin['fetchOffsets']>>;
      for (let attempt = 0; ; attempt++) {
        try {
          res = await a.fetchOffsets({ groupId: group });
          break;
        } catch (e) {
          if (attempt >= 50 || !(e as { retriable?: boolean }).retriable) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      const out = new Map<string, number>();
      for (const t of res) for (const p of t.partitions) if (Number(p.offset) >= 0) out.set(`${t.topic}-${p.partition}`, Number(p.offset));
      return out;
    },
    admin: getAdmin,
    async close() {
      const all = await Promise.allSettled([admin, producer, cluster].filter(Boolean) as Promise<any>[]);
      await Promise.allSettled(all.map((r) => (r.status === 'fulfilled' ? r.value.disconnect() : undefined)));
    },
  };
}
