// The Kafka-wire-protocol test broker: start one on 127.0.0.1 for a test, stop it after.
//   const broker = await startTestBroker({ partitions: 2 });
//   … new Kafka({ brokers: [broker.bootstrap] }) or kcat -b broker.bootstrap …
//   await broker.stop();
import { KafkaTestBroker, type BrokerOptions, type TopicConfig } from './broker.js';
import type { BrokerRecord, NewRecord } from './records.js';

export type { BrokerRecord, NewRecord } from './records.js';
export { KafkaTestBroker } from './broker.js';
export type { TopicConfig } from './broker.js';

export interface TestBrokerOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** Partitions of auto-created topics (default 1). */
  partitions?: number;
  /** Create unknown topics on Metadata/Produce (default true). */
  autoCreateTopics?: boolean;
  /** How long the first member of an empty group waits for others before the first generation (default 50 ms). */
  initialRebalanceDelayMs?: number;
  /** Log every request to stderr (also TEST_BROKER_DEBUG=1). */
  debug?: boolean;
  /** Require SASL/PLAIN (SASL_PLAINTEXT, or SASL_SSL with tls) with these credentials. */
  sasl?: { username: string; password: string };
  /** Serve TLS (security.protocol SSL) with this PEM key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface TestBroker {
  port: number;
  /** '127.0.0.1:PORT' */
  bootstrap: string;
  createTopic(name: string, partitions: number, config?: TopicConfig): void;
  /** Grows a topic to `total` partitions. */
  addPartitions(name: string, total: number): void;
  /** Appends messages as one record batch; returns the base offset. */
  produce(topic: string, partition: number, messages: NewRecord[]): number;
  /** The data records of a partition (control records left out). */
  records(topic: string, partition: number): BrokerRecord[];
  /** Next offset (high watermark) of a partition. */
  endOffset(topic: string, partition: number): number;
  /** Committed offsets of a group, keyed 'topic-partition'. */
  committedOffsets(group: string): Map<string, number>;
  /** The broker itself, for tests that need more. */
  broker: KafkaTestBroker;
  stop(): Promise<void>;
}

export async function startTestBroker(opts: TestBrokerOptions = {}): Promise<TestBroker> {
  const brokerOpts: BrokerOptions = { ...opts };
  const broker = new KafkaTestBroker(brokerOpts);
  await broker.start(opts.port ?? 0);
  return {
    port: broker.port,
    bootstrap: `127.0.0.1:${broker.port}`,
    createTopic: (name, partitions, config) => {
      broker.createTopic(name, partitions, config);
    },
    addPartitions: (name, total) => {
      const err = broker.addPartitions(name, total);
      if (err) throw new Error(err);
    },
    produce: (topic, partition, messages) => broker.produce(topic, partition, messages),
    records: (topic, partition) => broker.records(topic, partition),
    endOffset: (topic, partition) => broker.partition(topic, partition)?.nextOffset ?? -1,
    committedOffsets: (group) => broker.committedOffsets(group),
    broker,
    stop: () => broker.stop(),
  };
}
