// The Kafka sink.
// - none / at-least-once: rows are sent as they come (batched per write call); prepareCommit
//   waits until every send is acknowledged (acks=all), so a completed checkpoint never loses rows.
//   The producer is idempotent by default, as Kafka's 3.x client under Flink's KafkaSink: retries
//   add no duplicates ('properties.enable.idempotence' = 'false' turns it off).
// - exactly-once: rows go into a Kafka transaction; prepareCommit flushes it and hands its
//   transactional id, producer id and epoch to the checkpoint; commit() ends it (EndTxn). Each
//   transaction has its own transactional id `<prefix>-<n>`, so the next one can start while the
//   previous waits for its checkpoint. A transaction prepared before a restart is committed from
//   the checkpoint's ids; transactions left open by a crash are fenced (and so aborted) on open.
import type { Message, Producer, Transaction } from 'kafkajs';
import type { ConnectorIdentity, DynamicSink, RuntimeContext, TableDescriptor } from '../../common/connector.js';
import { ConnectorError, TsstreamError } from '../../common/errors.js';
import { rowKindOf, setRowKind, type Row } from '../../common/types.js';
import type { RowEncoder } from '../../formats/api.js';
import { connectFailureText, createCluster, createProducerOnCluster, isAuthenticationFailure, type KCluster, type TxnIds } from './client.js';
import { kafkaIdentity, type KafkaConfig } from './options.js';

export interface KafkaCommittable {
  transactionalId: string;
  producerId: string;
  producerEpoch: number;
}

export interface KafkaSinkState {
  /** Index of the next transactional id. */
  nextTxn: number;
}

interface TxnWriter {
  index: number;
  transactionalId: string;
  producer: Producer;
  transaction: Transaction;
  ids(): TxnIds | undefined;
  cluster: KCluster;
}

/** How many transactional ids after the restored one are fenced on open (transactions a crash may have left open). */
const FENCE_AHEAD = 3;
/** Coordinator answers that mean "try again shortly" (a transaction being aborted or completed, a coordinator moving). */
const RETRIABLE_COORDINATOR = new Set(['CONCURRENT_TRANSACTIONS', 'COORDINATOR_LOAD_IN_PROGRESS', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE']);

/**
 * Metadata answers while a broker auto-creates the topic: a real Kafka (KRaft) answers
 * UNKNOWN_TOPIC_OR_PARTITION or LEADER_NOT_AVAILABLE until the controller created it.
 */
const RETRIABLE_TOPIC = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

async function retryCoordinator(fn: () => Promise<void>, attempts = 20, retriable = RETRIABLE_COORDINATOR): Promise<void> {
  let delay = 50;
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      const type = (e as { type?: string }).type;
      if (!type || !retriable.has(type) || i + 1 >= attempts) throw e;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 1000);
    }
  }
}

/**
 * Messages per produce call. kafkajs 2.2.4 groups a call's messages by partition by copying the
 * partition's array for every message (groupMessagesPerPartition: quadratic in messages per
 * partition), so large calls cost more per row: 1000 rows per call into 2 partitions took 7.4–7.9
 * CPU-s per 1M JSON rows against 9.5–9.9 at 5000 (500 and 250 were no better: more requests).
 */
const SEND_BATCH = 1000;

/** Registry formats (avro-confluent) register under '<topic>-value' / '<topic>-key' unless a subject is set, as Flink's Kafka connector does. */
function withSubject(use: { id: string; options: Record<string, string> }, subject: string): Record<string, string> {
  return use.id.endsWith('avro-confluent') && use.options['subject'] === undefined ? { ...use.options, subject } : use.options;
}

export class KafkaSink implements DynamicSink {
  readonly transactional: boolean;
  private ctx?: RuntimeContext;
  private producer?: Producer;
  private current?: TxnWriter;
  /** Prepared, not yet committed transactions, by checkpoint id. */
  private readonly prepared = new Map<number, TxnWriter>();
  private nextTxn = 0;
  private buffer: Message[] = [];
  private sending: Promise<void> = Promise.resolve();
  private firstError?: unknown;
  private readonly valueEncoder: RowEncoder;
  /** The value format is a changelog format (debezium-json, …): the row's kind goes into the message. */
  private readonly changelogValue: boolean;
  private readonly keyEncoder?: RowEncoder;
  private readonly topic: string;
  private partitions = 1;
  private rr = 0;
  private headersIndex = -1;
  private timestampIndex = -1;

  constructor(
    private readonly table: TableDescriptor,
    private readonly cfg: KafkaConfig,
  ) {
    this.transactional = cfg.deliveryGuarantee === 'exactly-once';
    this.topic = cfg.topics[0];
    const changelog = cfg.value.factory.changelog;
    if (changelog) {
      // A changelog format writes every change, deletions included, as a message of its own.
      const enc = changelog.createEncoder(cfg.value.fields, withSubject(cfg.value, `${this.topic}-value`));
      this.changelogValue = true;
      this.valueEncoder = { encode: (row) => enc.encode(row), open: enc.open ? () => enc.open!() : undefined };
    } else {
      this.changelogValue = false;
      this.valueEncoder = cfg.value.factory.createEncoder(cfg.value.fields, withSubject(cfg.value, `${this.topic}-value`));
    }
    if (cfg.key) this.keyEncoder = cfg.key.factory.createEncoder(cfg.key.fields, withSubject(cfg.key, `${this.topic}-key`));
    // Writable metadata (after the physical columns, in declared order): headers and timestamp.
    const persisted = table.metadata.filter((m) => !m.virtual);
    persisted.forEach((m, i) => {
      const at = table.physical.length + i;
      if (m.key === 'headers') this.headersIndex = at;
      else if (m.key === 'timestamp') this.timestampIndex = at;
      else throw new ConnectorError(`${cfg.what}: metadata column '${m.name}' (${m.key}) cannot be written; declare it VIRTUAL. Writable: headers, timestamp`);
    });
  }

  private brokersText(): string {
    return this.cfg.client.brokers.join(',');
  }

  async checkpointIdentity(): Promise<ConnectorIdentity> {
    return kafkaIdentity(this.cfg);
  }

  async open(ctx: RuntimeContext, restoredState?: unknown): Promise<void> {
    this.ctx = ctx;
    try {
      await this.valueEncoder.open?.();
      await this.keyEncoder?.open?.();
    } catch (e) {
      if (e instanceof TsstreamError) throw new ConnectorError(`${this.cfg.what}: ${e.message}`, { cause: e });
      throw e;
    }
    const restored = restoredState as KafkaSinkState | undefined;
    // Learn the partition count (fixed / round-robin) and check the brokers are there.
    const cluster = createCluster({ ...this.cfg.client, allowAutoTopicCreation: true });
    try {
      await cluster.connect();
      // A topic the brokers create on first use appears a moment after the first metadata request.
      await retryCoordinator(() => cluster.addMultipleTargetTopics([this.topic]), 12, RETRIABLE_TOPIC);
      this.partitions = Math.max(1, cluster.findTopicPartitionMetadata(this.topic).length);
    } catch (e) {
      if ((e as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') {
        throw new ConnectorError(`${this.cfg.what}: topic '${this.topic}' does not exist on ${this.brokersText()} and the brokers do not create it (auto.create.topics.enable)`, { cause: e });
      }
      throw new ConnectorError(isAuthenticationFailure(e) ? connectFailureText(this.cfg.what, this.cfg.client, e) : `${this.cfg.what}: cannot reach Kafka brokers ${this.brokersText()} to write topic '${this.topic}': ${(e as Error).message}`, { cause: e });
    } finally {
      await cluster.disconnect().catch(() => {});
    }
    if (this.transactional) {
      this.nextTxn = restored?.nextTxn ?? 0;
      // Fence transactional ids a crashed run may have left open: InitProducerId aborts them.
      if (restored) {
        const fencer = createCluster(this.cfg.client);
        try {
          await fencer.connect();
          for (let i = this.nextTxn; i < this.nextTxn + FENCE_AHEAD; i++) {
            const transactionalId = this.txnId(i);
            await retryCoordinator(async () => {
              const coordinator = await fencer.findGroupCoordinator({ groupId: transactionalId, coordinatorType: 1 });
              await coordinator.initProducerId({ transactionalId, transactionTimeout: this.cfg.transactionTimeoutMs });
            });
          }
        } catch (e) {
          throw new ConnectorError(`${this.cfg.what}: cannot fence the transactions of '${this.cfg.transactionalIdPrefix}' on ${this.brokersText()}: ${(e as Error).message}`, { cause: e });
        } finally {
          await fencer.disconnect().catch(() => {});
        }
        this.nextTxn += FENCE_AHEAD;
      }
    } else {
      // Idempotent unless turned off (properties.enable.idempotence / acks): connect() asks the
      // brokers for a producer id; each batch carries it and a sequence number per partition, so
      // the broker drops a batch a retry sends again (the whole request is resent when any of its
      // partitions failed or its answer was lost).
      const { producer } = createProducerOnCluster(this.cfg.client, { allowAutoTopicCreation: true, idempotent: this.cfg.idempotence });
      this.producer = producer;
      try {
        await producer.connect();
      } catch (e) {
        const type = (e as { type?: string }).type;
        if (this.cfg.idempotence && (type === 'CLUSTER_AUTHORIZATION_FAILED' || type === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED')) {
          throw new ConnectorError(`${this.cfg.what}: the brokers ${this.brokersText()} refuse an idempotent producer (InitProducerId: ${(e as Error).message}); grant the IDEMPOTENT_WRITE permission or set 'properties.enable.idempotence' = 'false'`, { cause: e });
        }
        throw new ConnectorError(connectFailureText(this.cfg.what, this.cfg.client, e), { cause: e });
      }
    }
  }

  private txnId(i: number): string {
    return `${this.cfg.transactionalIdPrefix}-${i}`;
  }

  private async beginTxn(): Promise<TxnWriter> {
    const index = this.nextTxn++;
    const transactionalId = this.txnId(index);
    const { producer, cluster, ids } = createProducerOnCluster(this.cfg.client, {
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.cfg.transactionTimeoutMs,
    });
    try {
      await producer.connect();
      const transaction = await producer.transaction();
      return { index, transactionalId, producer, transaction, ids, cluster };
    } catch (e) {
      await producer.disconnect().catch(() => {});
      throw new ConnectorError(`${this.cfg.what}: cannot begin a Kafka transaction '${transactionalId}' on ${this.brokersText()}: ${(e as Error).message}`, { cause: e });
    }
  }

  private toMessage(row: Row): Message {
    // A deletion in a changelog (upsert-kafka) is a tombstone: the key with a null value.
    let value: string | Uint8Array | null;
    if (this.changelogValue) {
      const image = setRowKind(this.cfg.value.physicalIndex.map((i) => row[i]), rowKindOf(row));
      value = this.valueEncoder.encode(image);
    } else value = rowKindOf(row) === '-D' ? null : this.valueEncoder.encode(this.cfg.value.physicalIndex.map((i) => row[i]));
    const msg: Message = { value: value === null ? null : typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength) };
    if (this.keyEncoder) {
      const key = this.keyEncoder.encode(this.cfg.key!.physicalIndex.map((i) => row[i]));
      msg.key = typeof key === 'string' ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
    }
    if (this.cfg.partitioner === 'fixed') msg.partition = 0;
    else if (this.cfg.partitioner === 'round-robin') msg.partition = this.rr++ % this.partitions;
    if (this.timestampIndex >= 0) {
      const ts = row[this.timestampIndex];
      if (typeof ts === 'number') msg.timestamp = String(Math.floor(ts / 1000));
    }
    if (this.headersIndex >= 0) {
      const h = row[this.headersIndex];
      if (h instanceof Map) {
        const headers: Record<string, Buffer> = {};
        for (const [k, v] of h) if (v !== null && v !== undefined) headers[String(k)] = Buffer.from(v as Uint8Array);
        msg.headers = headers;
      }
    }
    return msg;
  }

  async write(rows: Row[]): Promise<void> {
    if (this.firstError) throw this.sendError(this.firstError);
    for (let i = 0; i < rows.length; i++) {
      this.buffer.push(this.toMessage(rows[i]));
      // At most SEND_BATCH messages per produce call, however large the write.
      if (this.buffer.length >= SEND_BATCH) await this.sendBuffered();
    }
  }

  /** Hands the buffered messages to the producer; one send in flight at a time keeps their order. */
  private async sendBuffered(): Promise<void> {
    await this.sending;
    if (this.firstError) throw this.sendError(this.firstError);
    if (this.buffer.length === 0) return;
    const messages = this.buffer;
    this.buffer = [];
    let p: Promise<unknown>;
    if (this.transactional) {
      if (!this.current) this.current = await this.beginTxn();
      p = this.current.transaction.send({ topic: this.topic, messages, acks: -1 });
    } else {
      p = this.producer!.send({ topic: this.topic, messages, acks: this.cfg.acks });
    }
    this.sending = p.then(
      () => undefined,
      (e) => {
        this.firstError ??= e;
      },
    );
  }

  private sendError(e: unknown): ConnectorError {
    return new ConnectorError(`${this.cfg.what}: writing to topic '${this.topic}' on ${this.brokersText()} failed: ${(e as Error).message}`, { cause: e });
  }

  private async flush(): Promise<void> {
    await this.sendBuffered();
    await this.sending;
    if (this.firstError) throw this.sendError(this.firstError);
  }

  async prepareCommit(checkpointId: number): Promise<KafkaCommittable[]> {
    await this.flush();
    if (!this.transactional || !this.current) return [];
    const w = this.current;
    this.current = undefined;
    const ids = w.ids();
    if (!ids) throw new ConnectorError(`${this.cfg.what}: transaction '${w.transactionalId}' has no producer id`);
    this.prepared.set(checkpointId, w);
    return [{ transactionalId: w.transactionalId, producerId: ids.producerId, producerEpoch: ids.producerEpoch }];
  }

  describeCommit(committables: unknown[]): string {
    const ids = (committables as KafkaCommittable[][]).flat().map((c) => c?.transactionalId).filter(Boolean);
    return ids.length ? `committed transaction${ids.length === 1 ? '' : 's'} ${ids.join(', ')}` : 'flushed (at-least-once)';
  }

  snapshotState(): KafkaSinkState | undefined {
    return this.transactional ? { nextTxn: this.nextTxn } : undefined;
  }

  async commit(checkpointId: number, committables: unknown[]): Promise<void> {
    if (!this.transactional) return;
    const mine = this.prepared.get(checkpointId);
    for (const [id, w] of [...this.prepared]) {
      if (id > checkpointId) continue;
      this.prepared.delete(id);
      try {
        await w.transaction.commit();
      } catch (e) {
        throw new ConnectorError(`${this.cfg.what}: committing Kafka transaction '${w.transactionalId}' failed: ${(e as Error).message}`, { cause: e });
      } finally {
        await w.producer.disconnect().catch(() => {});
      }
    }
    if (mine) return;
    // Committables from before a restart: end their transactions from the stored ids.
    for (const c of committables as KafkaCommittable[]) {
      if (!c || !c.transactionalId) continue;
      await this.resumeAndCommit(c);
    }
  }

  private async resumeAndCommit(c: KafkaCommittable): Promise<void> {
    const cluster = createCluster(this.cfg.client);
    try {
      await cluster.connect();
      await retryCoordinator(async () => {
        const coordinator = await cluster.findGroupCoordinator({ groupId: c.transactionalId, coordinatorType: 1 });
        await coordinator.endTxn({ transactionalId: c.transactionalId, producerId: c.producerId, producerEpoch: c.producerEpoch, transactionResult: true });
      });
    } catch (e) {
      const type = (e as { type?: string }).type;
      // Already committed (or superseded): committing again is a no-op.
      if (type === 'INVALID_TXN_STATE' || type === 'PRODUCER_FENCED' || type === 'INVALID_PRODUCER_EPOCH' || type === 'INVALID_PRODUCER_ID_MAPPING') {
        this.ctx?.log('warn', `kafka sink: transaction '${c.transactionalId}' was already completed (${type})`);
        return;
      }
      throw new ConnectorError(`${this.cfg.what}: committing restored Kafka transaction '${c.transactionalId}' on ${this.brokersText()} failed: ${(e as Error).message}`, { cause: e });
    } finally {
      await cluster.disconnect().catch(() => {});
    }
  }

  async close(): Promise<void> {
    await this.sending;
    this.buffer = [];
    if (this.current) {
      // An unprepared transaction: abort it (its rows will be written again after a restart).
      await this.current.transaction.abort().catch(() => {});
      await this.current.producer.disconnect().catch(() => {});
      this.current = undefined;
    }
    // Prepared but uncommitted transactions stay open: a restart commits them from the checkpoint.
    for (const w of this.prepared.values()) await w.cluster.disconnect().catch(() => {});
    this.prepared.clear();
    await this.producer?.disconnect().catch(() => {});
  }
}
