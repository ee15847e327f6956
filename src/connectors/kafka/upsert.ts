// The 'upsert-kafka' connector (sink): a changelog written as upserts keyed by the table's
// PRIMARY KEY — +I/+U rows become messages with the key and the row, -D rows tombstones (the key
// with a null value), -U rows are dropped, as Flink's upsert-kafka does. Built on the Kafka sink.
import type { ConnectorFactory, ConnectorIdentity, DynamicSink, RuntimeContext, TableDescriptor } from '../../common/connector.js';
import { ValidationError } from '../../common/errors.js';
import type { OptionSpec } from '../../common/options.js';
import { rowKindOf, type Row } from '../../common/types.js';
import { KAFKA_OPTIONS, kafkaFormatPrefixes, readKafkaConfig } from './options.js';
import { KafkaSink } from './sink.js';

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
  return { ...t, options: { ...t.options, connector: 'kafka', 'key.fields': t.primaryKey.join(';') } };
}

export const upsertKafkaFactory: ConnectorFactory = {
  identifier: 'upsert-kafka',
  description: 'A changelog into a Kafka topic as upserts keyed by the PRIMARY KEY (tombstones for deletions)',
  options: UPSERT_OPTIONS,
  sinkChangelogMode: 'all',
  formatPrefixes: kafkaFormatPrefixes,
  validate: (table) => void asKafkaTable(table),
  createSink: (table) => {
    const t = asKafkaTable(table);
    return new UpsertKafkaSink(new KafkaSink(t, readKafkaConfig(t, 'sink')));
  },
};
