// The 'kafka' connector (Flink's option names): a source that owns its partition positions
// (checkpointed exactly, committed to the group after each checkpoint) and a sink with
// none / at-least-once / exactly-once (Kafka transactions) delivery. Built on kafkajs.
// With a changelog value format (debezium-json, canal-json, maxwell-json) the source reads
// changes (+I/-U/+U/-D) and the sink writes them.
import type { ConnectorFactory, FactoryContext, TableDescriptor } from '../../common/connector.js';
import { ValidationError } from '../../common/errors.js';
import { formatPath } from '../../common/connector.js';
import type { LogicalType } from '../../common/types.js';
import { formatIds, getFormat } from '../../formats/registry.js';
import { KAFKA_METADATA, KAFKA_OPTIONS, kafkaFormatPrefixes, readKafkaConfig } from './options.js';
import { KafkaSink } from './sink.js';
import { KafkaSource } from './source.js';

/** Whether the table's value format is a changelog format. */
export function changelogValue(table: TableDescriptor): boolean {
  const id = table.options['value.format'] ?? table.options['format'];
  return !!(id && getFormat(id)?.changelog);
}

/** Flink's rule: a changelog source whose events may repeat (table.exec.source.cdc-events-duplicate) needs a PRIMARY KEY, by which it is normalized. */
export function cdcEventsDuplicate(table: TableDescriptor, ctx: FactoryContext): boolean {
  if ((ctx.config.get('table.exec.source.cdc-events-duplicate') ?? 'false').trim().toLowerCase() !== 'true') return false;
  if (!table.primaryKey?.length) {
    throw new ValidationError(
      `Configuration 'table.exec.source.cdc-events-duplicate' is enabled which requires the changelog sources to define a PRIMARY KEY. However, table '${formatPath(table.path)}' doesn't have a primary key.`,
    );
  }
  return true;
}

/** Kafka's metadata keys and those of every changelog value format ('value.source.table', …). */
function metadataKeys(): Record<string, LogicalType> {
  const out: Record<string, LogicalType> = { ...(KAFKA_METADATA as unknown as Record<string, LogicalType>) };
  for (const id of formatIds()) {
    for (const [k, t] of Object.entries(getFormat(id)!.changelog?.metadata ?? {})) out[`value.${k}`] ??= t;
  }
  return out;
}

export const kafkaFactory: ConnectorFactory = {
  identifier: 'kafka',
  description: 'Apache Kafka topics: an unbounded (or bounded) source with exact offsets in checkpoints, and an at-least-once or exactly-once sink',
  options: KAFKA_OPTIONS,
  formatPrefixes: (options) => kafkaFormatPrefixes(options),
  createSource: (table, scan, ctx) => {
    const changelog = changelogValue(table);
    const normalize = changelog && cdcEventsDuplicate(table, ctx);
    return new KafkaSource(table, scan, readKafkaConfig(table, 'source'), changelog ? { upsert: false, normalize } : undefined, ctx?.config);
  },
  createSink: (table) => new KafkaSink(table, readKafkaConfig(table, 'sink')),
  isBounded: (table) => (table.options['scan.bounded.mode'] ?? 'unbounded').trim() !== 'unbounded',
  metadataKeys: metadataKeys(),
  sourceChangelogMode: (table) => (changelogValue(table) ? 'all' : 'insert-only'),
  sinkChangelogMode: (table) => (changelogValue(table) ? 'all' : 'append'),
};

export { KafkaSource, KafkaSink, KAFKA_OPTIONS, KAFKA_METADATA, readKafkaConfig };
export { upsertKafkaFactory } from './upsert.js';
export type { KafkaSourceState } from './source.js';
export type { KafkaCommittable, KafkaSinkState } from './sink.js';
