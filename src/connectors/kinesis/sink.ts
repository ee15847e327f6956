// The Kinesis sink: every batch of rows handed to write() goes out with PutRecords (up to 500
// records a request) before write() returns, entries the stream refused (throttling) retried with
// backoff: at-least-once, nothing pending at a checkpoint. The partition key is the table's
// PARTITIONED BY columns joined by sink.partitioner-field-delimiter, else random (or fixed).
import { randomUUID } from 'node:crypto';
import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import type { ConnectorIdentity, DynamicSink, RuntimeContext, TableDescriptor } from '../../common/connector.js';
import { ConnectorError, ValidationError, suggestion } from '../../common/errors.js';
import type { Row } from '../../common/types.js';
import type { RowEncoder } from '../../formats/api.js';
import { kinesisClient } from './client.js';
import { kinesisIdentity, type KinesisConfig } from './options.js';

const MAX_ENTRIES = 500;

export class KinesisSink implements DynamicSink {
  readonly transactional = false;
  private client?: KinesisClient;
  private ctx?: RuntimeContext;
  private readonly encoder: RowEncoder;
  private readonly keyIndex: number[];

  constructor(
    table: TableDescriptor,
    private readonly cfg: KinesisConfig,
  ) {
    this.encoder = cfg.format.createEncoder(table.physical, cfg.formatOptions);
    const names = table.physical.map((f) => f.name);
    this.keyIndex = table.partitionKeys.map((k) => {
      const i = names.indexOf(k);
      if (i < 0) throw new ValidationError(`${cfg.what}: partition column '${k}' is not a physical column${suggestion(k, names)}`);
      return i;
    });
  }

  async checkpointIdentity(): Promise<ConnectorIdentity> {
    return kinesisIdentity(this.cfg);
  }

  async open(ctx: RuntimeContext): Promise<void> {
    this.ctx = ctx;
    this.client = kinesisClient(this.cfg);
  }

  private partitionKey(row: Row): string {
    if (this.keyIndex.length) {
      const key = this.keyIndex.map((i) => (row[i] === null || row[i] === undefined ? 'null' : String(row[i]))).join(this.cfg.sinkFieldDelimiter);
      return key.length > 256 ? key.slice(0, 256) : key || 'empty';
    }
    return this.cfg.sinkPartitioner === 'fixed' ? '0' : randomUUID();
  }

  async write(rows: Row[]): Promise<void> {
    for (let i = 0; i < rows.length; i += MAX_ENTRIES) {
      const entries: PutRecordsRequestEntry[] = rows.slice(i, i + MAX_ENTRIES).map((r) => {
        const data = this.encoder.encode(r);
        return { Data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data, PartitionKey: this.partitionKey(r) };
      });
      await this.put(entries);
    }
  }

  private async put(entries: PutRecordsRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 0; pending.length; attempt++) {
      let failed: PutRecordsRequestEntry[];
      let reason = '';
      try {
        const res = await this.client!.send(new PutRecordsCommand({ StreamName: this.cfg.stream, Records: pending }));
        const results = res.Records ?? [];
        failed = pending.filter((_, i) => !!results[i]?.ErrorCode);
        reason = results.find((r) => r.ErrorCode)?.ErrorCode ?? '';
      } catch (e) {
        const name = (e as { name?: string }).name ?? 'Error';
        if (name !== 'ProvisionedThroughputExceededException' && name !== 'LimitExceededException') {
          const at = this.cfg.endpoint ? ` at ${this.cfg.endpoint}` : ` in ${this.cfg.region}`;
          const msg = name === 'ResourceNotFoundException' ? `Kinesis stream '${this.cfg.stream}' does not exist${at}` : `PutRecords to Kinesis stream '${this.cfg.stream}'${at} failed: ${name}: ${(e as Error).message}`;
          throw new ConnectorError(`${this.cfg.what}: ${msg}`, { cause: e });
        }
        failed = pending;
        reason = name;
      }
      if (!failed.length) return;
      if (attempt >= this.cfg.maxRetries) {
        throw new ConnectorError(`${this.cfg.what}: PutRecords to Kinesis stream '${this.cfg.stream}': ${failed.length} records still refused (${reason}) after ${attempt + 1} attempts`);
      }
      const delay = Math.min(this.cfg.backoffMaxMs, this.cfg.backoffBaseMs * this.cfg.backoffExp ** attempt);
      this.ctx?.log('warn', `kinesis sink: ${failed.length} records refused by stream '${this.cfg.stream}' (${reason}); retrying in ${Math.round(delay)} ms`);
      await new Promise((r) => setTimeout(r, delay));
      pending = failed;
    }
  }

  async prepareCommit(): Promise<null> {
    return null; // write() returns only once its records are in the stream
  }

  async commit(): Promise<void> {}

  async close(): Promise<void> {
    this.client?.destroy();
  }
}
