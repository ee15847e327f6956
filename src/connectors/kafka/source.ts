// The Kafka source: every partition of the table's topics is a split named `topic-partition`.
// Like Flink's KafkaSource it does not join the consumer group: it owns the positions (the next
// offset of every partition, which is its checkpoint state) and only commits them to the group
// after a completed checkpoint, for lag monitoring.
//
// Fetching: one Fetch request in flight per leader broker, started when the previous one was
// taken by poll(); pause() stops starting new ones (backpressure), so memory stays bounded by
// one response per broker. Records are decoded and turned into rows inside poll().
import type { ConnectorIdentity, DynamicSource, RuntimeContext, ScanRequest, SourceBatch, SourceMetrics, TableDescriptor } from '../../common/connector.js';
import { ConnectorError, TsstreamError } from '../../common/errors.js';
import { rowKindOf, setRowKind, type Row } from '../../common/types.js';
import type { ChangelogDecoder, RecordLocation, RowDecoder } from '../../formats/api.js';
import { JsonRowDecoder } from '../../formats/json.js';
import { JsonColumnReader } from '../../runtime/columnar/json.js';
import { columnarEnabled, toRows } from '../../runtime/columnar/batch.js';
import { connectFailureText, createCluster, makeBatch, type FetchPartitionResponse, type KafkaMessage, type KBroker, type KCluster } from './client.js';
import { KAFKA_METADATA, kafkaIdentity, type KafkaConfig } from './options.js';

/** A topic the brokers do not have (yet). */
class TopicMissingError extends ConnectorError {}

/** How often a source whose topic does not exist yet asks the brokers again. */
const MISSING_TOPIC_RECHECK_MS = 2000;

/** What a checkpoint keeps: the next offset to read of every partition, and where bounded partitions stop. */
export interface KafkaSourceState {
  offsets: Record<string, number>;
  stops?: Record<string, number>;
  /** The last row of every key, when the source normalizes its changelog (upsert-kafka, cdc-events-duplicate). */
  latest?: [string, Row][];
}

/** How the source reads a changelog: changes from the value format, or upserts keyed by the message key. */
export interface ChangelogRead {
  /** upsert-kafka: a value is the key's new row, a tombstone (null value) its deletion. */
  upsert: boolean;
  /**
   * Keep the last row of every PRIMARY KEY and turn the changes into a normalized changelog
   * (Flink's DropUpdateBefore and ChangelogNormalize): -U rows are dropped, then +I for a new key,
   * -U/+U for a changed row, -D from the kept row; repeated rows and deletions of unknown keys disappear.
   */
  normalize: boolean;
}

interface PartState {
  split: string;
  topic: string;
  partition: number;
  next: number;
  /** Exclusive end (bounded sources). */
  stop?: number;
  done: boolean;
  /** The partition's high watermark in the latest fetch response (for the lag). */
  end?: number;
  /** The offset last committed to the consumer group. */
  committed?: number;
}

interface Inflight {
  nodeId: string;
  /** split → fetch offset the request was made with. */
  offsets: Map<string, number>;
  settled: boolean;
  result?: { topicName: string; partitions: FetchPartitionResponse[] }[];
  error?: unknown;
  promise: Promise<void>;
}

/** A partition's fetched records, taken from a response (its position already past them), to decode. */
interface Taken {
  p: PartState;
  data: KafkaMessage[];
  stop?: number;
}

const FROM_VALUE = 0;
const FROM_KEY = 1;
const FROM_META = 2;

/** A fetched record's offset as a number. */
function offsetOf(m: KafkaMessage): number {
  return m.offsetNumber ?? Number(m.offset);
}

export function splitName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** OffsetCommit answers that mean "ask again shortly" (not those of a group with active members). */
const RETRIABLE_COMMIT = new Set(['COORDINATOR_LOAD_IN_PROGRESS', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE']);

export class KafkaSource implements DynamicSource {
  readonly bounded: boolean;
  private cluster?: KCluster;
  private ctx?: RuntimeContext;
  private readonly parts = new Map<string, PartState>();
  private readonly inflight = new Map<string, Inflight>();
  private paused = false;
  private closed = false;
  private lastDiscovery = 0;
  private failures = 0;
  private retryAt = 0;
  private wake?: () => void;
  /** Offsets taken at each checkpoint, committed to the group once it completes. */
  private readonly pendingCommits = new Map<number, Record<string, number>>();
  /** Bytes of keys and values read (Flink's numBytesIn). */
  private bytesIn = 0;
  private readonly valueDecoder: RowDecoder;
  private readonly keyDecoder?: RowDecoder;
  private readonly outFrom: number[];
  private readonly outIndex: number[];
  private readonly outMeta: string[];
  private readonly identity: boolean;
  private readonly boundedMode: KafkaConfig['boundedMode'];
  /** Set when the value format is a changelog format (debezium-json, …). */
  private readonly changes?: ChangelogDecoder;
  /** Where the PRIMARY KEY columns come from (value or key row, index), when normalizing. */
  private readonly pkFrom: [number, number][] = [];
  private readonly latest = new Map<string, Row>();
  private readonly normalize: boolean;
  private readonly upsert: boolean;
  /** JSON values read straight into columns (table.exec.columnar.enabled, flat projected value fields, no key or metadata columns). */
  private readonly columnar?: JsonColumnReader;
  /** setColumnarOutput was called: batches carry columns, not rows. */
  private columnarOut = false;

  constructor(
    private readonly table: TableDescriptor,
    scan: ScanRequest,
    private readonly cfg: KafkaConfig,
    changelog?: ChangelogRead,
    sessionConfig: ReadonlyMap<string, string> = new Map(),
  ) {
    this.upsert = changelog?.upsert ?? false;
    this.normalize = changelog?.normalize ?? false;
    this.boundedMode = cfg.boundedMode === 'unbounded' && scan.batch ? 'latest-offset' : cfg.boundedMode;
    this.bounded = this.boundedMode !== 'unbounded';
    const physical = table.physical;
    const projection = scan.projection ?? physical.map((_, i) => i);
    const metaKeys = scan.metadataKeys ?? [];
    const changelogFormat = cfg.value.factory.changelog;
    // Metadata the value format reads ('value.source.table' of debezium-json), after the value's fields.
    const formatMeta = changelogFormat ? metaKeys.filter((k) => k.startsWith('value.') && k.slice(6) in changelogFormat.metadata) : [];
    for (const k of metaKeys) {
      if (!(k in KAFKA_METADATA) && !formatMeta.includes(k)) {
        const available = [...Object.keys(KAFKA_METADATA), ...Object.keys(changelogFormat?.metadata ?? {}).map((m) => `value.${m}`)];
        throw new ConnectorError(`Unknown metadata key '${k}' for connector 'kafka' with value format '${cfg.value.id}'. Available: ${available.join(', ')}`);
      }
    }
    // JSON reads fields by name: decode only the projected ones. Positional formats (csv, raw) decode
    // all, and so do changelog sources (a normalized changelog compares whole rows).
    let valuePhys = cfg.value.physicalIndex;
    if (cfg.value.id === 'json' && !this.normalize) valuePhys = valuePhys.filter((pi) => projection.includes(pi));
    const valueFields = valuePhys.map((pi) => physical[pi]);
    if (changelogFormat) {
      this.changes = changelogFormat.createDecoder(valueFields, cfg.value.options, formatMeta.map((k) => k.slice(6)));
      const changes = this.changes;
      this.valueDecoder = { decode: () => null, prepare: changes.prepare ? (d, w) => changes.prepare!(d, w) : undefined };
    } else {
      this.valueDecoder = cfg.value.factory.createDecoder(valueFields, cfg.value.options);
    }
    const needKey = cfg.key && ((cfg.exceptKey && projection.some((pi) => cfg.key!.physicalIndex.includes(pi))) || this.upsert);
    if (needKey) this.keyDecoder = cfg.key!.factory.createDecoder(cfg.key!.fields, cfg.key!.options);
    if (this.normalize) {
      const pk = table.primaryKey ?? [];
      for (const name of pk) {
        const pi = physical.findIndex((f) => f.name === name);
        const vi = valuePhys.indexOf(pi);
        if (vi >= 0 && !this.upsert) this.pkFrom.push([FROM_VALUE, vi]);
        else this.pkFrom.push([FROM_KEY, cfg.key ? cfg.key.physicalIndex.indexOf(pi) : -1]);
        if (this.pkFrom[this.pkFrom.length - 1][1] < 0) throw new ConnectorError(`${cfg.what}: PRIMARY KEY column '${name}' is neither in the message value nor in its key`);
      }
    }
    const n = projection.length + metaKeys.length;
    this.outFrom = new Array<number>(n);
    this.outIndex = new Array<number>(n);
    this.outMeta = new Array<string>(n);
    projection.forEach((pi, j) => {
      const vi = valuePhys.indexOf(pi);
      // upsert-kafka takes the key columns from the key (the value of a tombstone has none).
      if (vi >= 0 && !(this.upsert && cfg.key!.physicalIndex.includes(pi))) {
        this.outFrom[j] = FROM_VALUE;
        this.outIndex[j] = vi;
      } else {
        this.outFrom[j] = FROM_KEY;
        this.outIndex[j] = cfg.key!.physicalIndex.indexOf(pi);
      }
    });
    metaKeys.forEach((k, m) => {
      const fm = formatMeta.indexOf(k);
      if (fm >= 0) {
        this.outFrom[projection.length + m] = FROM_VALUE;
        this.outIndex[projection.length + m] = valueFields.length + fm;
      } else {
        this.outFrom[projection.length + m] = FROM_META;
        this.outMeta[projection.length + m] = k;
      }
    });
    this.identity = !this.normalize && !this.upsert && metaKeys.length === 0 && projection.length === valuePhys.length && projection.every((_, j) => this.outFrom[j] === FROM_VALUE && this.outIndex[j] === j);
    if (columnarEnabled(sessionConfig) && this.identity && !this.changes && !this.keyDecoder && this.valueDecoder instanceof JsonRowDecoder) {
      this.columnar = JsonColumnReader.create(valueFields, this.valueDecoder);
    }
  }

  /** Batches go out as columns (the JSON reader's fast path); unused STRING fields are not looked up. */
  setColumnarOutput(unused: ReadonlySet<number>): void {
    if (this.columnar === undefined) return;
    this.columnarOut = true;
    this.columnar.skipStrings(unused);
  }

  private brokersText(): string {
    return this.cfg.client.brokers.join(',');
  }

  private unreachable(e: unknown, attempts: number): ConnectorError {
    return new ConnectorError(connectFailureText(this.cfg.what, this.cfg.client, e, attempts), { cause: e });
  }

  async checkpointIdentity(): Promise<ConnectorIdentity> {
    return kafkaIdentity(this.cfg);
  }

  async open(ctx: RuntimeContext, restoredState?: unknown): Promise<void> {
    this.ctx = ctx;
    this.cluster = createCluster({ ...this.cfg.client, isolationLevel: this.cfg.isolationLevel, allowAutoTopicCreation: false });
    try {
      await this.cluster.connect();
    } catch (e) {
      throw this.unreachable(e, (this.cfg.client.retry.retries ?? 5) + 1);
    }
    const restored = restoredState as KafkaSourceState | undefined;
    this.latest.clear();
    for (const [k, row] of restored?.latest ?? []) this.latest.set(k, row);
    const found = await this.discoverOrWait(ctx);
    const fresh = found.filter((p) => !this.parts.has(p.split));
    for (const p of fresh) this.parts.set(p.split, p);
    const all = [...this.parts.values()];
    if (restored && restored.offsets) {
      const missing: PartState[] = [];
      for (const p of all) {
        const at = restored.offsets[p.split];
        if (at === undefined) missing.push(p);
        else p.next = at;
      }
      // Partitions that appeared since the checkpoint start at the beginning (as Flink does).
      await this.setStart(missing, 'earliest-offset');
    } else {
      await this.setStart(all, this.cfg.startupMode);
    }
    if (this.bounded) {
      // A state whose run had reached every stop offset is a finished bounded run: the next run
      // reads what is available now (S4's "available now" runs). An interrupted run keeps its stops.
      const finished = !!restored?.stops && Object.entries(restored.stops).every(([split, stop]) => (restored.offsets[split] ?? -1) >= stop);
      if (restored?.stops && !finished) {
        const missing: PartState[] = [];
        for (const p of all) {
          const s = restored.stops[p.split];
          if (s === undefined) missing.push(p);
          else p.stop = s;
        }
        await this.setStops(missing);
      } else {
        await this.setStops(all);
      }
      for (const p of all) if (p.stop !== undefined && p.next >= p.stop) p.done = true;
    }
    this.lastDiscovery = Date.now();
    ctx.log('info', `kafka source ${this.table.path.table}: ${all.map((p) => `${p.split}@${p.next}${p.stop !== undefined ? `..${p.stop}` : ''}`).join(', ')}`);
  }

  /**
   * The partitions at start. An unbounded source whose topic does not exist yet waits for it, as
   * Flink's Kafka source keeps discovering partitions (a job started before its topic is created
   * reads it once it is); a bounded one has nothing to wait for and fails naming the topic.
   */
  private async discoverOrWait(ctx: RuntimeContext): Promise<PartState[]> {
    for (let warned = false; ; ) {
      try {
        return await this.discover();
      } catch (e) {
        if (!(e instanceof TopicMissingError) || this.bounded) throw e;
        if (!warned) ctx.log('warn', `${e.message} yet: waiting for it (metadata refreshed every ${MISSING_TOPIC_RECHECK_MS / 1000} s)`);
        warned = true;
      }
      if (ctx.signal.aborted) return [];
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, MISSING_TOPIC_RECHECK_MS);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        }, { once: true });
      });
      if (ctx.signal.aborted) return [];
    }
  }

  /** The partitions of the table's topics (or of the topics matching the pattern). */
  private async discover(): Promise<PartState[]> {
    const cluster = this.cluster!;
    let topics = this.cfg.topics;
    try {
      if (this.cfg.topicPattern) {
        const md = await cluster.metadata({ topics: [] });
        topics = md.topicMetadata.map((t) => t.topic).filter((n) => this.cfg.topicPattern!.test(n)).sort();
      } else {
        await cluster.refreshMetadata();
      }
      if (topics.length) await cluster.addMultipleTargetTopics(topics);
    } catch (e) {
      const type = (e as { type?: string }).type;
      if (type === 'UNKNOWN_TOPIC_OR_PARTITION') {
        throw new TopicMissingError(`${this.cfg.what}: topic ${topics.map((t) => `'${t}'`).join(', ')} does not exist on ${this.brokersText()}`, { cause: e });
      }
      throw this.unreachable(e, 1);
    }
    const out: PartState[] = [];
    for (const topic of topics) {
      let md;
      try {
        md = cluster.findTopicPartitionMetadata(topic);
      } catch (e) {
        throw new TopicMissingError(`${this.cfg.what}: topic '${topic}' does not exist on ${this.brokersText()}`, { cause: e });
      }
      if (!md.length) throw new TopicMissingError(`${this.cfg.what}: topic '${topic}' does not exist on ${this.brokersText()}`);
      const sub = this.ctx?.subtask;
      for (const p of [...md].sort((a, b) => a.partitionId - b.partitionId)) {
        if (sub && splitOwner(topic, p.partitionId, sub.parallelism) !== sub.index) continue; // another worker's partition
        out.push({ split: splitName(topic, p.partitionId), topic, partition: p.partitionId, next: 0, done: false });
      }
    }
    return out;
  }

  private byTopic(parts: PartState[]): Map<string, PartState[]> {
    const m = new Map<string, PartState[]>();
    for (const p of parts) m.set(p.topic, [...(m.get(p.topic) ?? []), p]);
    return m;
  }

  /** Offsets from ListOffsets: earliest (-2), latest (-1) or by timestamp; -1 answers (no such record) become the latest offset. */
  private async listOffsets(parts: PartState[], spec: 'earliest' | 'latest' | number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!parts.length) return out;
    const req = [...this.byTopic(parts)].map(([topic, ps]) => ({
      topic,
      partitions: ps.map((p) => ({ partition: p.partition })),
      ...(spec === 'earliest' ? { fromBeginning: true } : spec === 'latest' ? { fromBeginning: false } : { fromTimestamp: spec }),
    }));
    const res = await this.withRetry('ListOffsets', () => this.cluster!.fetchTopicsOffset(req));
    let needLatest: PartState[] = [];
    for (const t of res) for (const p of t.partitions) out.set(splitName(t.topic, p.partition), Number(p.offset));
    if (typeof spec === 'number') {
      needLatest = parts.filter((p) => (out.get(p.split) ?? -1) < 0);
      const latest = await this.listOffsets(needLatest, 'latest');
      for (const [k, v] of latest) out.set(k, v);
    }
    return out;
  }

  private async groupOffsets(parts: PartState[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!parts.length || !this.cfg.groupId) return out;
    const groupId = this.cfg.groupId;
    const res = await this.withRetry('OffsetFetch', async () => {
      const coordinator = await this.cluster!.findGroupCoordinator({ groupId });
      return coordinator.offsetFetch({ groupId, topics: [...this.byTopic(parts)].map(([topic, ps]) => ({ topic, partitions: ps.map((p) => ({ partition: p.partition })) })) });
    });
    for (const t of res.responses) for (const p of t.partitions) if (Number(p.offset) >= 0) out.set(splitName(t.topic, p.partition), Number(p.offset));
    return out;
  }

  private async setStart(parts: PartState[], mode: KafkaConfig['startupMode']): Promise<void> {
    if (!parts.length) return;
    let offsets: Map<string, number>;
    switch (mode) {
      case 'earliest-offset':
        offsets = await this.listOffsets(parts, 'earliest');
        break;
      case 'latest-offset':
        offsets = await this.listOffsets(parts, 'latest');
        break;
      case 'timestamp':
        offsets = await this.listOffsets(parts, this.cfg.startupTimestamp!);
        break;
      case 'specific-offsets': {
        offsets = new Map();
        const rest: PartState[] = [];
        for (const p of parts) {
          const o = this.cfg.startupSpecific!.get(p.partition);
          if (o === undefined) rest.push(p);
          else offsets.set(p.split, o);
        }
        // Partitions without a given offset: the group's committed offset, else the earliest.
        const committed = await this.groupOffsets(rest);
        const left = rest.filter((p) => !committed.has(p.split));
        for (const [k, v] of committed) offsets.set(k, v);
        for (const [k, v] of await this.listOffsets(left, 'earliest')) offsets.set(k, v);
        break;
      }
      case 'group-offsets': {
        offsets = await this.groupOffsets(parts);
        const left = parts.filter((p) => !offsets.has(p.split));
        if (left.length) {
          if (this.cfg.autoOffsetReset === 'none') {
            throw new ConnectorError(
              `${this.cfg.what}: group '${this.cfg.groupId}' has no committed offset for ${left.map((p) => p.split).join(', ')} and 'properties.auto.offset.reset' is not set (earliest or latest)`,
            );
          }
          for (const [k, v] of await this.listOffsets(left, this.cfg.autoOffsetReset)) offsets.set(k, v);
        }
        break;
      }
    }
    for (const p of parts) p.next = offsets.get(p.split) ?? 0;
  }

  private async setStops(parts: PartState[]): Promise<void> {
    if (!parts.length) return;
    let stops: Map<string, number>;
    switch (this.boundedMode) {
      case 'latest-offset':
        stops = await this.listOffsets(parts, 'latest');
        break;
      case 'timestamp':
        stops = await this.listOffsets(parts, this.cfg.boundedTimestamp!);
        break;
      case 'specific-offsets': {
        stops = new Map();
        const latest = await this.listOffsets(parts.filter((p) => !this.cfg.boundedSpecific!.has(p.partition)), 'latest');
        for (const p of parts) stops.set(p.split, this.cfg.boundedSpecific!.get(p.partition) ?? latest.get(p.split)!);
        break;
      }
      case 'group-offsets': {
        stops = await this.groupOffsets(parts);
        const latest = await this.listOffsets(parts.filter((p) => !stops.has(p.split)), 'latest');
        for (const [k, v] of latest) stops.set(k, v);
        break;
      }
      default:
        return;
    }
    for (const p of parts) p.stop = stops.get(p.split);
  }

  /** Runs a broker call, retrying with backoff; then fails naming the brokers. */
  private async withRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const retries = this.cfg.client.retry.retries ?? 5;
    let delay = this.cfg.client.retry.initialRetryTime ?? 300;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (e instanceof TsstreamError) throw e;
        if (attempt >= retries || this.closed) {
          throw new ConnectorError(`${this.cfg.what}: ${what} failed against Kafka brokers ${this.brokersText()} after ${attempt + 1} attempts: ${(e as Error).message}`, { cause: e });
        }
        this.ctx?.log('warn', `kafka ${what} failed (${(e as Error).message}); retrying in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, this.cfg.client.retry.maxRetryTime ?? 10_000);
        await this.cluster!.refreshMetadata().catch(() => {});
      }
    }
  }

  noSplits(): boolean {
    return this.parts.size === 0;
  }

  splits(): string[] {
    const out: string[] = [];
    for (const p of this.parts.values()) if (!p.done) out.push(p.split);
    return out;
  }

  snapshotState(checkpointId: number): KafkaSourceState {
    const offsets: Record<string, number> = {};
    const stops: Record<string, number> = {};
    for (const p of this.parts.values()) {
      offsets[p.split] = p.next;
      if (p.stop !== undefined) stops[p.split] = p.stop;
    }
    this.pendingCommits.set(checkpointId, offsets);
    const state: KafkaSourceState = this.bounded ? { offsets, stops } : { offsets };
    if (this.normalize) state.latest = [...this.latest];
    return state;
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    const offsets = this.pendingCommits.get(checkpointId);
    for (const id of [...this.pendingCommits.keys()]) if (id <= checkpointId) this.pendingCommits.delete(id);
    if (!offsets || !this.cfg.groupId || !this.cluster) return;
    const groupId = this.cfg.groupId;
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const p of this.parts.values()) {
      const o = offsets[p.split];
      if (o === undefined) continue;
      byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), { partition: p.partition, offset: String(o) }]);
    }
    try {
      // A coordinator that is loading or moving (a fresh group's offsets partition) answers with a
      // retriable error: ask again shortly, a few times, before reporting the commit as failed.
      for (let attempt = 0, delay = 50; ; attempt++, delay = Math.min(delay * 2, 1000)) {
        try {
          const coordinator = await this.cluster.findGroupCoordinator({ groupId });
          await coordinator.offsetCommit({ groupId, groupGenerationId: -1, memberId: '', topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
          break;
        } catch (e) {
          const type = (e as { type?: string }).type;
          if (!type || !RETRIABLE_COMMIT.has(type) || attempt >= 8 || this.closed) throw e;
          await new Promise((r) => setTimeout(r, delay));
        }
      }
      for (const p of this.parts.values()) if (offsets[p.split] !== undefined) p.committed = offsets[p.split];
    } catch (e) {
      if (this.closed) return; // the job ended (or was cancelled) while the commit was on its way
      // As in Flink: a failed commit is reported, not fatal (offsets in the group are for monitoring).
      this.ctx?.log('warn', `kafka source ${this.table.path.table}: committing offsets of checkpoint ${checkpointId} to group '${groupId}' failed: ${(e as Error).message}`);
    }
  }

  metrics(): SourceMetrics {
    const splits: SourceMetrics['splits'] = [];
    for (const p of this.parts.values()) {
      splits.push({ split: p.split, labels: { topic: p.topic, partition: String(p.partition) }, currentOffset: p.next, committedOffset: p.committed, endOffset: p.end });
    }
    return { bytesIn: this.bytesIn, splits };
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  async poll(timeoutMs: number): Promise<SourceBatch[] | null> {
    if (this.closed) return null;
    if (this.bounded && this.splits().length === 0) return null;
    if (!this.bounded && this.cfg.discoveryIntervalMs > 0 && Date.now() - this.lastDiscovery >= this.cfg.discoveryIntervalMs) {
      await this.rediscover();
    }
    const deadline = Date.now() + Math.max(0, timeoutMs);
    if (!this.paused) this.startFetches();
    if (![...this.inflight.values()].some((f) => f.settled)) {
      // Wait for a response, the end of a retry backoff, resume(), or the poll timeout.
      const until = this.retryAt > Date.now() ? Math.min(deadline, this.retryAt) : deadline;
      const waitMs = Math.max(0, until - Date.now());
      if (waitMs > 0 && !this.ctx?.signal.aborted) {
        const signal = this.ctx?.signal;
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            this.wake = undefined;
            resolve();
          };
          const timer = setTimeout(done, waitMs);
          this.wake = done;
          signal?.addEventListener('abort', done, { once: true });
        });
      }
    }
    const taken: Taken[] = [];
    for (const f of [...this.inflight.values()]) {
      if (!f.settled) continue;
      this.inflight.delete(f.nodeId);
      if (f.error) {
        await this.onFetchError(f.error);
        continue;
      }
      this.failures = 0;
      await this.prepareDecoders(f);
      this.take(f, taken);
    }
    // The next fetches go out before the records are decoded: the brokers answer them meanwhile.
    if (!this.paused && !this.closed) this.startFetches();
    const out: SourceBatch[] = [];
    for (const t of taken) {
      const batch = this.columnar !== undefined ? this.toColumns(t.p.split, t.p, t.data, t.stop, this.columnar) : { split: t.p.split, rows: this.toRows(t.p, t.data, t.stop) };
      if ((batch.columns?.length ?? batch.rows.length) > 0) out.push(batch);
    }
    if (this.bounded && out.length === 0 && this.splits().length === 0) return null;
    return out;
  }

  private async onFetchError(e: unknown): Promise<void> {
    const err = e as { type?: string; name?: string; topic?: string; partition?: number; message: string };
    if (err.type === 'OFFSET_OUT_OF_RANGE' && err.topic !== undefined && err.partition !== undefined) {
      const p = this.parts.get(splitName(err.topic, err.partition));
      if (p) {
        const reset = this.cfg.autoOffsetReset === 'latest' ? 'latest' : 'earliest';
        const offsets = await this.listOffsets([p], reset);
        this.ctx?.log('warn', `kafka source: offset ${p.next} of ${p.split} is out of range; continuing from the ${reset} offset ${offsets.get(p.split)}`);
        p.next = offsets.get(p.split) ?? p.next;
        return;
      }
    }
    this.failures++;
    const retries = this.cfg.client.retry.retries ?? 5;
    if (this.failures > retries) {
      throw new ConnectorError(`${this.cfg.what}: fetching from Kafka brokers ${this.brokersText()} failed ${this.failures} times in a row: ${err.message}`, { cause: e });
    }
    const base = this.cfg.client.retry.initialRetryTime ?? 300;
    const delay = Math.min(base * 2 ** (this.failures - 1), this.cfg.client.retry.maxRetryTime ?? 10_000);
    this.ctx?.log('warn', `kafka fetch failed (${err.message}); retry ${this.failures}/${retries} in ${delay} ms`);
    this.retryAt = Date.now() + delay;
    await this.cluster!.refreshMetadata().catch(() => {});
  }

  private async rediscover(): Promise<void> {
    this.lastDiscovery = Date.now();
    let found: PartState[];
    try {
      found = await this.discover();
    } catch (e) {
      this.ctx?.log('warn', `kafka partition discovery failed: ${(e as Error).message}`);
      return;
    }
    const fresh = found.filter((p) => !this.parts.has(p.split));
    if (!fresh.length) return;
    await this.setStart(fresh, 'earliest-offset');
    for (const p of fresh) this.parts.set(p.split, p);
    this.ctx?.log('info', `kafka source ${this.table.path.table}: discovered ${fresh.map((p) => p.split).join(', ')}`);
  }

  private startFetches(): void {
    if (this.retryAt > Date.now()) return;
    const cluster = this.cluster!;
    const byLeader = new Map<string, PartState[]>();
    const busy = new Set<string>();
    for (const f of this.inflight.values()) for (const s of f.offsets.keys()) busy.add(s);
    for (const p of this.parts.values()) {
      if (p.done || busy.has(p.split)) continue;
      let leader: string | undefined;
      try {
        const m = cluster.findLeaderForPartitions(p.topic, [p.partition]);
        leader = Object.keys(m)[0];
      } catch {
        leader = undefined;
      }
      if (leader === undefined) continue;
      if (this.inflight.has(leader)) continue;
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
    }
    for (const [nodeId, ps] of byLeader) {
      const offsets = new Map(ps.map((p) => [p.split, p.next]));
      const f: Inflight = { nodeId, offsets, settled: false, promise: Promise.resolve() };
      const topics = [...this.byTopic(ps)].map(([topic, list]) => ({
        topic,
        partitions: list.map((p) => ({ partition: p.partition, fetchOffset: String(p.next), maxBytes: this.cfg.maxPartitionFetchBytes })),
      }));
      f.promise = (async () => {
        try {
          const broker: KBroker = await cluster.findBroker({ nodeId });
          const res = await broker.fetch({
            isolationLevel: this.cfg.isolationLevel,
            maxWaitTime: this.cfg.fetchMaxWaitMs,
            minBytes: 1,
            maxBytes: this.cfg.fetchMaxBytes,
            topics,
          });
          f.result = res.responses;
        } catch (e) {
          f.error = e;
        } finally {
          f.settled = true;
          this.wake?.();
        }
      })();
      this.inflight.set(nodeId, f);
    }
  }

  /** Lets formats fetch what they need before decoding (avro-confluent: writer schemas by id). */
  private async prepareDecoders(f: Inflight): Promise<void> {
    const value = this.valueDecoder.prepare ? this.valueDecoder : undefined;
    const key = this.keyDecoder?.prepare ? this.keyDecoder : undefined;
    if (!value && !key) return;
    const waits: Promise<void>[] = [];
    for (const t of f.result ?? []) {
      for (const pd of t.partitions) {
        for (const m of pd.messages) {
          if (m.isControlRecord) continue;
          const where: RecordLocation = () => `topic '${t.topicName}' partition ${pd.partition} offset ${m.offset}`;
          try {
            const v = m.value !== null && value ? value.prepare!(m.value, where) : undefined;
            if (v) waits.push(v);
            const k = m.key !== null && key ? key.prepare!(m.key, where) : undefined;
            if (k) waits.push(k);
          } catch (e) {
            if (e instanceof TsstreamError) throw new ConnectorError(`${this.cfg.what}: ${e.message}`, { cause: e });
            throw e;
          }
        }
      }
    }
    if (waits.length) await Promise.all(waits);
  }

  /** The records of a fetch response to turn into rows, each partition's position moved past them (and past control records). */
  private take(f: Inflight, taken: Taken[]): void {
    for (const t of f.result ?? []) {
      for (const pd of t.partitions) {
        const split = splitName(t.topicName, pd.partition);
        const p = this.parts.get(split);
        const fetched = f.offsets.get(split);
        if (p && pd.highWatermark !== undefined) p.end = Number(pd.highWatermark);
        if (!p || fetched === undefined || fetched !== p.next || p.done) continue;
        const { raw, data } = filterFetched(t.topicName, fetched, pd);
        if (raw.length === 0) continue;
        let next = offsetOf(raw[raw.length - 1]) + 1;
        const stop = p.stop;
        if (stop !== undefined && next >= stop) {
          next = stop; // records at and after the stop offset are not emitted
          p.done = true;
        }
        p.next = next;
        taken.push({ p, data, stop });
      }
    }
  }

  private toRows(p: PartState, messages: KafkaMessage[], stop: number | undefined): Row[] {
    const rows: Row[] = [];
    let skipped = 0;
    const topic = p.topic;
    const partition = p.partition;
    let offset = 0;
    const where: RecordLocation = () => `topic '${topic}' partition ${partition} offset ${offset}`;
    let bytes = 0;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      offset = offsetOf(m);
      if (stop !== undefined && offset >= stop) break;
      bytes += (m.value?.length ?? 0) + (m.key?.length ?? 0);
      if (m.value === null && !this.upsert) continue; // a tombstone: no row (as Flink's deserializers do)
      let values: Row[] | null;
      let key: Row | null = null;
      try {
        if (m.value === null) {
          // upsert-kafka: a tombstone deletes its key; the value's columns are NULL.
          if (m.key === null) continue;
          values = [setRowKind(new Array(this.cfg.value.fields.length).fill(null), '-D')];
        } else if (this.changes) values = this.changes.decode(m.value, where);
        else {
          const v = this.valueDecoder.decode(m.value, where);
          values = v === null ? null : [this.upsert ? setRowKind(v, '+U') : v];
        }
        if (values !== null && this.keyDecoder) {
          if (m.key === null && this.upsert) throw new ConnectorError(`${this.cfg.what}: the record at ${where()} has no key; upsert-kafka needs every record keyed by the PRIMARY KEY`);
          key = m.key === null ? new Array(this.cfg.key!.fields.length).fill(null) : this.keyDecoder.decode(m.key, where);
        }
      } catch (e) {
        if (e instanceof TsstreamError) throw e;
        throw new ConnectorError(`${this.cfg.what}: cannot decode the record at ${where()}: ${(e as Error).message}`, { cause: e });
      }
      if (values === null || (this.keyDecoder && key === null)) {
        skipped++;
        continue;
      }
      for (const value of values) {
        let row: Row;
        if (this.identity) row = value;
        else {
          const n = this.outFrom.length;
          row = new Array<unknown>(n);
          for (let j = 0; j < n; j++) {
            const from = this.outFrom[j];
            if (from === FROM_VALUE) row[j] = value[this.outIndex[j]];
            else if (from === FROM_KEY) row[j] = key![this.outIndex[j]];
            else row[j] = metadataValue(this.outMeta[j], topic, partition, offset, m);
          }
          const kind = rowKindOf(value);
          if (kind !== '+I') setRowKind(row, kind);
        }
        if (this.normalize) this.normalizeInto(rows, row, this.pkFrom.map(([from, i]) => (from === FROM_VALUE ? value[i] : key![i])));
        else rows.push(row);
      }
    }
    if (skipped) this.ctx?.metric('records-skipped', skipped);
    this.bytesIn += bytes;
    return rows;
  }

  /**
   * The records' values into columns: those the JSON reader's fast path takes straight from the
   * bytes, the others through the row decoder (its values and errors, with topic, partition and
   * offset), in offset order.
   */
  private toColumns(split: string, p: PartState, messages: KafkaMessage[], stop: number | undefined, columnar: JsonColumnReader): SourceBatch {
    let skipped = 0;
    let offset = 0;
    const where: RecordLocation = () => `topic '${p.topic}' partition ${p.partition} offset ${offset}`;
    let bytes = 0;
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      const value = m.value;
      if (stop !== undefined && offsetOf(m) >= stop) break;
      bytes += (value?.length ?? 0) + (m.key?.length ?? 0);
      if (value === null) continue; // a tombstone: no row (as Flink's deserializers do)
      if (columnar.addLine(value, 0, value.length)) continue;
      offset = offsetOf(m);
      let row: Row | null;
      try {
        row = this.valueDecoder.decode(value, where);
      } catch (e) {
        if (e instanceof TsstreamError) throw e;
        throw new ConnectorError(`${this.cfg.what}: cannot decode the record at ${where()}: ${(e as Error).message}`, { cause: e });
      }
      if (row === null) skipped++;
      else columnar.addRow(row);
    }
    if (skipped) this.ctx?.metric('records-skipped', skipped);
    this.bytesIn += bytes;
    const columns = columnar.finish();
    return this.columnarOut ? { split, rows: [], columns } : { split, rows: toRows(columns) };
  }

  /** Flink's ChangelogNormalize: the change of `row` against the last row kept for its key. */
  private normalizeInto(out: Row[], row: Row, pk: unknown[]): void {
    const k = keyText(pk);
    const prev = this.latest.get(k);
    const kind = rowKindOf(row);
    // As Flink's planner does (DropUpdateBefore ahead of ChangelogNormalize): the kept row is the before-image.
    if (kind === '-U') return;
    if (kind === '+I' || kind === '+U') {
      const plain = row.slice();
      if (prev === undefined) out.push(plain);
      else {
        if (sameRow(prev, plain)) return; // the same row again: no change
        out.push(setRowKind(prev.slice(), '-U'), setRowKind(row.slice(), '+U'));
      }
      this.latest.set(k, plain);
    } else if (prev !== undefined) {
      // The kept row is deleted: it has every column, a tombstone only the key.
      out.push(setRowKind(prev.slice(), '-D'));
      this.latest.delete(k);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    await this.cluster?.disconnect().catch(() => {});
    await Promise.allSettled([...this.inflight.values()].map((f) => f.promise));
    this.inflight.clear();
  }
}

/**
 * The records at or after the fetch offset (`raw`, control records included: they move the
 * position) and those that become rows (`data`). kafkajs's Batch drops aborted transactions; it
 * is only needed when the response lists some.
 */
function filterFetched(topic: string, fetched: number, pd: FetchPartitionResponse): { raw: KafkaMessage[]; data: KafkaMessage[] } {
  if (pd.abortedTransactions && pd.abortedTransactions.length > 0) {
    const b = makeBatch(topic, String(fetched), pd);
    return { raw: b.messagesWithinOffset, data: b.messages };
  }
  const msgs = pd.messages;
  let start = 0;
  while (start < msgs.length && offsetOf(msgs[start]) < fetched) start++;
  const raw = start > 0 ? msgs.slice(start) : msgs;
  let control = false;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i].isControlRecord) {
      control = true;
      break;
    }
  }
  return { raw, data: control ? raw.filter((m) => !m.isControlRecord) : raw };
}

/** A PRIMARY KEY's values as a map key (exact: bigints and strings kept apart). */
function keyText(values: unknown[]): string {
  return JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v instanceof Map ? [...v] : v));
}

/** Whether two rows hold the same values (exact values have one representation: a bigint never equals a number). */
function sameRow(a: Row, b: Row): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    if (keyText([x]) !== keyText([y])) return false;
  }
  return true;
}

function metadataValue(key: string, topic: string, partition: number, offset: number, m: KafkaMessage): unknown {
  switch (key) {
    case 'topic':
      return topic;
    case 'partition':
      return partition;
    case 'offset':
      return offset;
    case 'timestamp':
      return Number(m.timestamp) * 1000;
    case 'timestamp-type':
      return Number(m.timestamp) < 0 ? 'NoTimestampType' : m.batchContext.timestampType === 1 ? 'LogAppendTime' : 'CreateTime';
    case 'leader-epoch': {
      const e = m.batchContext.partitionLeaderEpoch;
      return e === undefined || e < 0 ? null : e;
    }
    case 'headers': {
      const map = new Map<string, Uint8Array | null>();
      for (const [k, v] of Object.entries(m.headers ?? {})) {
        if (v === undefined) continue;
        const last = Array.isArray(v) ? v[v.length - 1] : v;
        map.set(k, last === null || last === undefined ? null : new Uint8Array(last.buffer, last.byteOffset, last.length));
      }
      return map;
    }
    default:
      return null;
  }
}

/**
 * The worker reading a partition when the job runs at parallelism `n`: Flink's KafkaSourceEnumerator
 * rule (the topic's Java hashCode picks the first worker, then partitions go round-robin).
 */
export function splitOwner(topic: string, partition: number, n: number): number {
  let h = 0;
  for (let i = 0; i < topic.length; i++) h = (Math.imul(h, 31) + topic.charCodeAt(i)) | 0;
  const start = (Math.imul(h, 31) & 0x7fffffff) % n;
  return (start + partition) % n;
}
