// The 'upsert-kafka' connector. Sink: a changelog written as upserts keyed by the table's
// PRIMARY KEY — +I/+U rows become messages with the key and the row, -D rows tombstones (the key
// with a null value), -U rows are dropped, as Flink's upsert-kafka does. Source: the topic read
// from the earliest offset as a changelog — a value is its key's new row, a tombstone deletes the
// key — normalized as Flink's ChangelogNormalize does (the last row of every key is kept: +I for
// a new key, -U/+U for a change, -D for a deletion). Built on the Kafka source and sink.
import type { ConnectorFactory, ConnectorIdentity, DynamicSink, RuntimeContext, TableDescriptor } from '../../common/connector.js';
import { ValidationError } from '../../common/errors.js';
import type { OptionSpec } from '../../common/options.js';
import { rowKindOf, type LogicalType, type Row } from '../../common/types.js';
import { getFormat } from '../../formats/registry.js';
import { KAFKA_METADATA, KAFKA_OPTIONS, kafkaFormatPrefixes, readKafkaConfig } from './options.js';
import { KafkaSink } from './sink.js';
import { KafkaSource } from './source.js';

const SHARED = new Set([
  'topic',
  'properties.bootstrap.servers',
  'properties.',
  'key.format',
  'key.fields-prefix',
  'value.format',
  'value.fields-include',
  'sink.delivery-guarantee',
  'sink.transactional-id-prefix',
  'sink.parallelism',
  'sink.buffer-flush.max-rows',
  'sink.buffer-flush.interval',
  'scan.bounded.mode',
  'scan.bounded.specific-offsets',
  'scan.bounded.timestamp-millis',
  'scan.topic-partition-discovery.interval',
]);

const UPSERT_OPTIONS: OptionSpec[] = KAFKA_OPTIONS.filter((o) => SHARED.has(o.key)).map((o) =>
  o.key === 'key.format' || o.key === 'value.format' || o.key === 'topic' ? { ...o, required: true } : o,
);

/** Drops -U rows (the +U that follows carries the new value) and hands the rest to the Kafka sink. */
class UpsertKafkaSink implements DynamicSink {
  readonly transactional: boolean;
  constructor(private readonly inner: KafkaSink) {
    this.transactional = inner.transactional;
  }
  checkpointIdentity(): Promise<ConnectorIdentity> {
    return this.inner.checkpointIdentity();
  }
  open(ctx: RuntimeContext, restored?: unknown): Promise<void> {
    return this.inner.open(ctx, restored);
  }
  write(rows: Row[]): Promise<void> {
    let keep = rows;
    for (let i = 0; i < rows.length; i++) {
      if (rowKindOf(rows[i]) === '-U') {
        keep = rows.filter((r) => rowKindOf(r) !== '-U');
        break;
      }
    }
    return this.inner.write(keep);
  }
  prepareCommit(checkpointId: number): Promise<unknown> {
    return this.inner.prepareCommit(checkpointId);
  }
  commit(checkpointId: number, committables: unknown[]): Promise<void> {
    return this.inner.commit(checkpointId, committables);
  }
  snapshotState(checkpointId: number): unknown {
    void checkpointId;
    return this.inner.snapshotState?.();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

function asKafkaTable(t: TableDescriptor): TableDescriptor {
  const what = `connector 'upsert-kafka' (table ${t.path.table})`;
  if (!t.primaryKey?.length) throw new ValidationError(`${what} needs a PRIMARY KEY (…) NOT ENFORCED: its columns are the message key`);
  for (const role of ['key', 'value'] as const) {
    const id = t.options[`${role}.format`];
    if (id && getFormat(id)?.changelog) {
      throw new ValidationError(`'upsert-kafka' connector doesn't support '${id}' as ${role} format, because '${id}' is not in insert-only mode (table ${t.path.table})`);
    }
  }
  // The source always reads the whole topic (as Flink's upsert-kafka does).
  return { ...t, options: { ...t.options, connector: 'kafka', 'key.fields': t.primaryKey.join(';'), 'scan.startup.mode': 'earliest-offset' } };
}

export const upsertKafkaFactory: ConnectorFactory = {
  identifier: 'upsert-kafka',
  description: 'A Kafka topic as a changelog keyed by the PRIMARY KEY: upserts and tombstones (deletions), read and written',
  options: UPSERT_OPTIONS,
  sinkChangelogMode: 'all',
  formatPrefixes: kafkaFormatPrefixes,
  validate: (table) => void asKafkaTable(table),
  createSink: (table) => {
    const t = asKafkaTable(table);
    return new UpsertKafkaSink(new KafkaSink(t, readKafkaConfig(t, 'sink')));
  },
  createSource: (table, scan) => {
    const t = asKafkaTable(table);
    return new KafkaSource(t, scan, readKafkaConfig(t, 'source'), { upsert: true, normalize: true });
  },
  isBounded: (table) => (table.options['scan.bounded.mode'] ?? 'unbounded').trim() !== 'unbounded',
  metadataKeys: KAFKA_METADATA as unknown as Record<string, LogicalType>,
  sourceChangelogMode: () => 'all',
};
