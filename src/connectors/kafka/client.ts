// The parts of kafkajs 2.2.4 the connector uses below its public API, typed here in one place.
// The public Consumer joins a group and owns partition assignment and positions; a Flink-style
// source owns both itself (every partition, exact offsets from checkpoints). So the source talks
// to brokers through kafkajs's Cluster/Broker (metadata, ListOffsets, Fetch, OffsetFetch,
// OffsetCommit, EndTxn) and uses its Batch class to drop control records and aborted
// transactions. The sink uses kafkajs's producer on such a Cluster, so that the producer id and
// epoch of a transaction can be kept in a checkpoint and the transaction committed after a restart.
import { createRequire } from 'node:module';
import { installFetchDecoder } from './fetch.js';
import type { ProducerConfig, Producer, RetryOptions, SASLOptions, logLevel as LogLevelEnum } from 'kafkajs';

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
const ClusterCtor: any = require('kafkajs/src/cluster/index.js');
const loggers: any = require('kafkajs/src/loggers/index.js');
const LoggerConsole: any = require('kafkajs/src/loggers/console.js');
const defaultSocketFactory: any = require('kafkajs/src/network/socketFactory.js');
const BatchCtor: any = require('kafkajs/src/consumer/batch.js');
const createProducer: any = require('kafkajs/src/producer/index.js');
const InstrumentationEventEmitter: any = require('kafkajs/src/instrumentation/emitter.js');

export interface KafkaMessage {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  offset: string;
  /** The offset as a number, where the fetch decoder (fetch.ts) gave it. */
  offsetNumber?: number;
  headers: Record<string, Buffer | Buffer[] | undefined>;
  isControlRecord: boolean;
  batchContext: { partitionLeaderEpoch: number; timestampType: number; inTransaction: boolean; producerId: string };
}

export interface FetchPartitionResponse {
  partition: number;
  errorCode: number;
  highWatermark: string;
  lastStableOffset?: string;
  abortedTransactions?: { producerId: string; firstOffset: string }[];
  messages: KafkaMessage[];
}

export interface KBroker {
  fetch(req: {
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: FetchPartitionResponse[] }[] }>;
  offsetCommit(req: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<unknown>;
  offsetFetch(req: { groupId: string; topics: { topic: string; partitions: { partition: number }[] }[] }): Promise<{
    responses: { topic: string; partitions: { partition: number; offset: string; errorCode: number }[] }[];
  }>;
  initProducerId(req: { transactionalId: string; transactionTimeout: number }): Promise<{ producerId: string; producerEpoch: number }>;
  endTxn(req: { transactionalId: string; producerId: string; producerEpoch: number; transactionResult: boolean }): Promise<unknown>;
}

export interface PartitionMetadata {
  partitionId: number;
  leader: number;
  leaderEpoch?: number;
}

export interface KCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  refreshMetadata(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  metadata(opts?: { topics?: string[] }): Promise<{ topicMetadata: { topic: string }[] }>;
  findTopicPartitionMetadata(topic: string): PartitionMetadata[];
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(opts: { nodeId: string | number }): Promise<KBroker>;
  findGroupCoordinator(opts: { groupId: string; coordinatorType?: number }): Promise<KBroker>;
  fetchTopicsOffset(
    topics: { topic: string; partitions: { partition: number }[]; fromBeginning?: boolean; fromTimestamp?: number }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

export interface ClientConfig {
  brokers: string[];
  clientId: string;
  ssl?: boolean | Record<string, unknown>;
  sasl?: SASLOptions;
  connectionTimeout?: number;
  requestTimeout?: number;
  retry: RetryOptions;
  /** 0 = read_uncommitted, 1 = read_committed. */
  isolationLevel?: number;
  allowAutoTopicCreation?: boolean;
  logLevel?: LogLevelEnum;
  metadataMaxAge?: number;
}

export function createCluster(cfg: ClientConfig): KCluster {
  installFetchDecoder();
  const logger = loggers.createLogger({ level: cfg.logLevel ?? loggers.LEVELS.NOTHING, logCreator: LoggerConsole });
  return new ClusterCtor({
    logger,
    socketFactory: defaultSocketFactory(),
    brokers: cfg.brokers,
    ssl: cfg.ssl,
    sasl: cfg.sasl,
    clientId: cfg.clientId,
    connectionTimeout: cfg.connectionTimeout ?? 1000,
    requestTimeout: cfg.requestTimeout ?? 30000,
    enforceRequestTimeout: true,
    metadataMaxAge: cfg.metadataMaxAge ?? 300000,
    retry: cfg.retry,
    allowAutoTopicCreation: cfg.allowAutoTopicCreation ?? false,
    isolationLevel: cfg.isolationLevel ?? 1,
    offsets: new Map(),
  }) as KCluster;
}

/** Whether a connect failure is the brokers refusing our SASL credentials (not an unreachable broker). */
export function isAuthenticationFailure(e: unknown): boolean {
  for (let c = e as { name?: string; message?: string; cause?: unknown; originalError?: unknown } | undefined, n = 0; c && n < 8; n++) {
    if (c.name === 'KafkaJSSASLAuthenticationError' || /SASL \S+ authentication failed|Authentication failed/i.test(c.message ?? '')) return true;
    c = (c.cause ?? c.originalError) as typeof c;
  }
  return false;
}

/**
 * What a failed connection to the brokers says: authentication failed (naming the mechanism and
 * user, never the password), or the brokers cannot be reached.
 */
export function connectFailureText(what: string, cfg: ClientConfig, e: unknown, attempts?: number): string {
  const brokers = cfg.brokers.join(',');
  if (isAuthenticationFailure(e)) {
    const sasl = cfg.sasl as { mechanism?: string; username?: string } | undefined;
    const who = sasl?.username !== undefined ? ` as user '${sasl.username}'` : '';
    return `${what}: authentication failed on Kafka brokers ${brokers} (SASL ${String(sasl?.mechanism ?? '').toUpperCase()}${who}): check the user name and password in 'properties.sasl.jaas.config'`;
  }
  const tries = attempts === undefined ? '' : ` (${attempts} attempt${attempts === 1 ? '' : 's'})`;
  return `${what}: cannot reach Kafka brokers ${brokers}${tries}: ${(e as Error).message}`;
}

/** kafkajs's view of one partition's fetch result: `messages` without control records and aborted transactions. */
export interface KBatch {
  messages: KafkaMessage[];
  /** Every record at or above the fetch offset, control records included. */
  messagesWithinOffset: KafkaMessage[];
}

export function makeBatch(topic: string, fetchedOffset: string, partitionData: FetchPartitionResponse): KBatch {
  return new BatchCtor(topic, fetchedOffset, partitionData) as KBatch;
}

export interface TxnIds {
  producerId: string;
  producerEpoch: number;
}

/**
 * A kafkajs producer on its own Cluster. For a transactional producer, `ids()` gives the producer
 * id and epoch the coordinator handed out (what a checkpoint must keep to commit after a restart).
 */
export function createProducerOnCluster(
  cfg: ClientConfig,
  opts: ProducerConfig,
): { producer: Producer; cluster: KCluster; ids(): TxnIds | undefined } {
  const cluster = createCluster({ ...cfg, allowAutoTopicCreation: opts.allowAutoTopicCreation ?? true });
  let captured: TxnIds | undefined;
  const wrapped = new WeakSet<object>();
  const find = cluster.findGroupCoordinator.bind(cluster);
  cluster.findGroupCoordinator = async (o) => {
    const broker = await find(o);
    if (o.coordinatorType === 1 && !wrapped.has(broker)) {
      wrapped.add(broker);
      const init = broker.initProducerId.bind(broker);
      broker.initProducerId = async (req) => {
        const res = await init(req);
        captured = { producerId: String(res.producerId), producerEpoch: Number(res.producerEpoch) };
        return res;
      };
    }
    return broker;
  };
  const logger = loggers.createLogger({ level: cfg.logLevel ?? loggers.LEVELS.NOTHING, logCreator: LoggerConsole });
  const producer = createProducer({
    retry: { ...cfg.retry, ...opts.retry },
    logger,
    cluster,
    createPartitioner: opts.createPartitioner,
    idempotent: opts.idempotent,
    transactionalId: opts.transactionalId,
    transactionTimeout: opts.transactionTimeout,
    instrumentationEmitter: new InstrumentationEventEmitter(),
  }) as Producer;
  return { producer, cluster, ids: () => captured };
}
