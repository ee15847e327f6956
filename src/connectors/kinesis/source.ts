// The Kinesis source (polling, as Flink's default record publisher): every shard of the stream is
// a split named by its shard id. The source owns its positions: the sequence number of the last
// record read of every shard (resumed AFTER_SEQUENCE_NUMBER), or where a shard not yet read starts
// (TRIM_HORIZON, AT_TIMESTAMP), or SHARD_END once a closed shard is drained. That map is the
// checkpoint state.
//
// Resharding: a shard is read only once its parents (ParentShardId, AdjacentParentShardId) that
// the stream still lists are drained, so the records of one key stay in order across a split or
// merge. New shards are found by ListShards every scan.shard.discovery.intervalmillis and read
// from TRIM_HORIZON.
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  type _Record,
  type GetShardIteratorCommandInput,
  type Shard,
} from '@aws-sdk/client-kinesis';
import type { ConnectorIdentity, DynamicSource, RuntimeContext, ScanRequest, SourceBatch, SourceMetrics, TableDescriptor } from '../../common/connector.js';
import { ConnectorError, TsstreamError } from '../../common/errors.js';
import type { Row } from '../../common/types.js';
import type { RecordLocation, RowDecoder } from '../../formats/api.js';
import { kinesisClient } from './client.js';
import { KINESIS_METADATA, kinesisIdentity, type KinesisConfig } from './options.js';

/**
 * A shard's position: a sequence number (the last record read: resume after it), or
 * 'TRIM_HORIZON', 'AT_TIMESTAMP:<ms>', 'LATEST' (in memory only: not read yet), or 'SHARD_END' (a closed shard, drained).
 */
export type ShardPosition = string;

/** What a checkpoint keeps: the position of every shard known. */
export interface KinesisSourceState {
  shards: Record<string, ShardPosition>;
}

export const SHARD_END = 'SHARD_END';

interface ShardState {
  id: string;
  parents: string[];
  position: ShardPosition;
  iterator?: string;
  /** Earliest time of the next GetRecords (interval after an empty answer, or backoff). */
  nextAt: number;
  throttled: number;
  /** Milliseconds behind the tip of the shard, from the last GetRecords. */
  behindMs?: number;
}

const isSequence = (p: ShardPosition): boolean => /^\d+$/.test(p);

export class KinesisSource implements DynamicSource {
  readonly bounded = false;
  private client?: KinesisClient;
  private ctx?: RuntimeContext;
  private readonly shards = new Map<string, ShardState>();
  private closed = false;
  private paused = false;
  private lastDiscovery = 0;
  private openedAt = 0;
  private bytesIn = 0;
  private readonly decoder: RowDecoder;
  private readonly projection: number[];
  private readonly metaKeys: string[];
  private readonly identity: boolean;

  constructor(
    private readonly table: TableDescriptor,
    scan: ScanRequest,
    private readonly cfg: KinesisConfig,
  ) {
    const physical = table.physical;
    this.metaKeys = scan.metadataKeys ?? [];
    for (const k of this.metaKeys) {
      if (!(k in KINESIS_METADATA)) throw new ConnectorError(`Unknown metadata key '${k}' for connector 'kinesis'. Available: ${Object.keys(KINESIS_METADATA).join(', ')}`);
    }
    this.projection = scan.projection ?? physical.map((_, i) => i);
    this.decoder = cfg.format.createDecoder(physical, cfg.formatOptions);
    this.identity = this.metaKeys.length === 0 && this.projection.length === physical.length && this.projection.every((p, i) => p === i);
  }

  async checkpointIdentity(): Promise<ConnectorIdentity> {
    return kinesisIdentity(this.cfg);
  }

  private fail(action: string, e: unknown, shard?: string): ConnectorError {
    const name = (e as { name?: string }).name ?? 'Error';
    const where = shard ? `shard ${shard} of Kinesis stream '${this.cfg.stream}'` : `Kinesis stream '${this.cfg.stream}'`;
    const at = this.cfg.endpoint ? ` at ${this.cfg.endpoint}` : ` in ${this.cfg.region}`;
    if (name === 'ResourceNotFoundException' && !shard) {
      return new ConnectorError(`${this.cfg.what}: Kinesis stream '${this.cfg.stream}' does not exist${at}`, { cause: e });
    }
    return new ConnectorError(`${this.cfg.what}: ${action} of ${where}${at} failed: ${name}: ${(e as Error).message}`, { cause: e });
  }

  async open(ctx: RuntimeContext, restoredState?: unknown): Promise<void> {
    this.ctx = ctx;
    this.client = kinesisClient(this.cfg);
    const restored = restoredState as KinesisSourceState | undefined;
    const listed = await this.listShards();
    let start: ShardPosition;
    switch (this.cfg.initPos) {
      case 'TRIM_HORIZON':
        start = 'TRIM_HORIZON';
        break;
      case 'AT_TIMESTAMP':
        start = `AT_TIMESTAMP:${this.cfg.initTimestampMs}`;
        break;
      case 'LATEST':
        // Read with a LATEST iterator; until a shard's first record, a checkpoint keeps the start
        // time (AT_TIMESTAMP), so a restore loses nothing that arrived after it.
        start = 'LATEST';
        this.openedAt = Date.now();
        break;
    }
    for (const s of listed) {
      const saved = restored?.shards?.[s.ShardId!];
      // Shards that appeared since the checkpoint are read from their beginning (as Flink does).
      const position = restored?.shards ? (saved ?? 'TRIM_HORIZON') : start;
      this.shards.set(s.ShardId!, this.shardState(s, position));
    }
    // Shards of the checkpoint that the stream no longer lists (expired): nothing to read.
    this.lastDiscovery = Date.now();
    ctx.log('info', `kinesis source ${this.table.path.table}: stream ${this.cfg.stream}: ${[...this.shards.values()].map((s) => `${s.id}@${s.position}`).join(', ')}`);
  }

  private shardState(s: Shard, position: ShardPosition): ShardState {
    const parents = [s.ParentShardId, s.AdjacentParentShardId].filter((p): p is string => !!p);
    return { id: s.ShardId!, parents, position, nextAt: 0, throttled: 0 };
  }

  private async listShards(): Promise<Shard[]> {
    const out: Shard[] = [];
    let token: string | undefined;
    do {
      let res;
      try {
        res = await this.client!.send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: this.cfg.stream }));
      } catch (e) {
        throw this.fail('ListShards', e);
      }
      out.push(...(res.Shards ?? []));
      token = res.NextToken;
    } while (token);
    return out;
  }

  private async rediscover(): Promise<void> {
    this.lastDiscovery = Date.now();
    let listed: Shard[];
    try {
      listed = await this.listShards();
    } catch (e) {
      this.ctx?.log('warn', `kinesis shard discovery failed: ${(e as Error).message}`);
      return;
    }
    const fresh = listed.filter((s) => !this.shards.has(s.ShardId!));
    for (const s of fresh) this.shards.set(s.ShardId!, this.shardState(s, 'TRIM_HORIZON'));
    if (fresh.length) this.ctx?.log('info', `kinesis source ${this.table.path.table}: discovered shards ${fresh.map((s) => s.ShardId).join(', ')}`);
  }

  /** A shard is read once every parent the source knows is drained. */
  private ready(s: ShardState): boolean {
    if (s.position === SHARD_END) return false;
    return s.parents.every((p) => {
      const parent = this.shards.get(p);
      return !parent || parent.position === SHARD_END;
    });
  }

  splits(): string[] {
    return [...this.shards.values()].filter((s) => this.ready(s)).map((s) => s.id);
  }

  snapshotState(): KinesisSourceState {
    const shards: Record<string, ShardPosition> = {};
    for (const s of this.shards.values()) shards[s.id] = s.position === 'LATEST' ? `AT_TIMESTAMP:${this.openedAt}` : s.position;
    return { shards };
  }

  metrics(): SourceMetrics {
    // Sequence numbers (up to 128 bits) are no numeric offsets: only the bytes read are reported.
    // The lag is MillisBehindLatest of each open shard's last GetRecords (Flink's millisBehindLatest gauge).
    const millisBehindLatest = [...this.shards.values()]
      .filter((s) => s.behindMs !== undefined && s.position !== SHARD_END)
      .map((s) => ({ split: s.id, labels: { stream: this.cfg.stream, shardId: s.id }, millis: s.behindMs! }));
    return { bytesIn: this.bytesIn, splits: [], millisBehindLatest };
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  async poll(timeoutMs: number): Promise<SourceBatch[] | null> {
    if (this.closed) return null;
    if (this.cfg.discoveryIntervalMs > 0 && Date.now() - this.lastDiscovery >= this.cfg.discoveryIntervalMs) await this.rediscover();
    const deadline = Date.now() + Math.max(0, timeoutMs);
    for (;;) {
      const now = Date.now();
      const due = this.paused ? [] : [...this.shards.values()].filter((s) => this.ready(s) && s.nextAt <= now);
      if (due.length) {
        const out: SourceBatch[] = [];
        const results = await Promise.all(due.map((s) => this.fetch(s)));
        results.forEach((rows, i) => {
          if (rows.length) out.push({ split: due[i].id, rows });
        });
        if (out.length || Date.now() >= deadline) return out;
        continue;
      }
      const ready = [...this.shards.values()].filter((s) => this.ready(s));
      const next = this.paused || !ready.length ? deadline : Math.min(deadline, ...ready.map((s) => s.nextAt));
      const wait = next - Date.now();
      if (wait <= 0 && next >= deadline) return [];
      if (this.ctx?.signal.aborted) return [];
      await new Promise((r) => setTimeout(r, Math.max(1, wait)));
      if (Date.now() >= deadline && !ready.some((s) => s.nextAt <= Date.now())) return [];
    }
  }

  private iteratorRequest(s: ShardState): GetShardIteratorCommandInput {
    const base = { StreamName: this.cfg.stream, ShardId: s.id };
    if (isSequence(s.position)) return { ...base, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: s.position };
    if (s.position === 'LATEST') return { ...base, ShardIteratorType: 'LATEST' };
    if (s.position.startsWith('AT_TIMESTAMP:')) return { ...base, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(Number(s.position.slice('AT_TIMESTAMP:'.length))) };
    return { ...base, ShardIteratorType: 'TRIM_HORIZON' };
  }

  private throttle(s: ShardState, e: unknown, action: string): void {
    s.throttled++;
    if (s.throttled > this.cfg.maxRetries) throw this.fail(`${action} (throttled ${s.throttled} times in a row)`, e, s.id);
    const delay = Math.min(this.cfg.backoffMaxMs, this.cfg.backoffBaseMs * this.cfg.backoffExp ** (s.throttled - 1));
    this.ctx?.log('warn', `kinesis ${action} of shard ${s.id} of stream '${this.cfg.stream}' throttled (${(e as { name?: string }).name}); retry ${s.throttled}/${this.cfg.maxRetries} in ${Math.round(delay)} ms`);
    s.nextAt = Date.now() + delay;
  }

  /** One GetRecords of a shard: its rows (empty when throttled or nothing new). */
  private async fetch(s: ShardState): Promise<Row[]> {
    const client = this.client!;
    if (!s.iterator) {
      try {
        const res = await client.send(new GetShardIteratorCommand(this.iteratorRequest(s)));
        s.iterator = res.ShardIterator;
      } catch (e) {
        if (isThrottle(e)) {
          this.throttle(s, e, 'GetShardIterator');
          return [];
        }
        throw this.fail('GetShardIterator', e, s.id);
      }
      if (!s.iterator) {
        s.position = SHARD_END;
        return [];
      }
    }
    let res;
    try {
      res = await client.send(new GetRecordsCommand({ ShardIterator: s.iterator, Limit: this.cfg.maxRecords }));
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (isThrottle(e)) {
        this.throttle(s, e, 'GetRecords');
        return [];
      }
      if (name === 'ExpiredIteratorException') {
        s.iterator = undefined; // asked again from the position on the next fetch
        return [];
      }
      throw this.fail('GetRecords', e, s.id);
    }
    s.throttled = 0;
    s.behindMs = res.MillisBehindLatest;
    const records = res.Records ?? [];
    const rows = this.toRows(s, records);
    if (records.length) s.position = records[records.length - 1].SequenceNumber!;
    s.iterator = res.NextShardIterator;
    if (!s.iterator) {
      s.position = SHARD_END; // a closed shard, drained: its children may start
      this.ctx?.log('info', `kinesis source ${this.table.path.table}: shard ${s.id} of stream '${this.cfg.stream}' is drained`);
    } else if (!records.length || (res.MillisBehindLatest ?? 0) === 0) {
      s.nextAt = Date.now() + this.cfg.intervalMs;
    }
    return rows;
  }

  private toRows(s: ShardState, records: _Record[]): Row[] {
    const rows: Row[] = [];
    let seq = '';
    const where: RecordLocation = () => `shard ${s.id} of Kinesis stream '${this.cfg.stream}', sequence number ${seq}`;
    let skipped = 0;
    for (const r of records) {
      seq = r.SequenceNumber ?? '';
      const data = r.Data ?? new Uint8Array();
      this.bytesIn += data.length;
      let value: Row | null;
      try {
        value = this.decoder.decode(data, where);
      } catch (e) {
        if (e instanceof TsstreamError) throw e;
        throw new ConnectorError(`${this.cfg.what}: cannot decode the record at ${where()}: ${(e as Error).message}`, { cause: e });
      }
      if (value === null) {
        skipped++;
        continue;
      }
      if (this.identity) {
        rows.push(value);
        continue;
      }
      const row: unknown[] = this.projection.map((p) => value![p]);
      for (const k of this.metaKeys) {
        row.push(k === 'timestamp' ? (r.ApproximateArrivalTimestamp?.getTime() ?? null) : k === 'shard-id' ? s.id : seq);
      }
      rows.push(row);
    }
    if (skipped) this.ctx?.metric('records-skipped', skipped);
    return rows;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client?.destroy();
  }
}

function isThrottle(e: unknown): boolean {
  const name = (e as { name?: string }).name;
  return name === 'ProvisionedThroughputExceededException' || name === 'LimitExceededException';
}
