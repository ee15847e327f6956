// The 'kafka' connector (Flink's option names): a source that owns its partition positions
// (checkpointed exactly, committed to the group after each checkpoint) and a sink with
// none / at-least-once / exactly-once (Kafka transactions) delivery. Built on kafkajs.
import type { ConnectorFactory } from '../../common/connector.js';
import type { LogicalType } from '../../common/types.js';
import { KAFKA_METADATA, KAFKA_OPTIONS, kafkaFormatPrefixes, readKafkaConfig } from './options.js';
import { KafkaSink } from './sink.js';
import { KafkaSource } from './source.js';

export const kafkaFactory: ConnectorFactory = {
  identifier: 'kafka',
  description: 'Apache Kafka topics: an unbounded (or bounded) source with exact offsets in checkpoints, and an at-least-once or exactly-once sink',
  options: KAFKA_OPTIONS,
  formatPrefixes: (options) => kafkaFormatPrefixes(options),
  createSource: (table, scan) => new KafkaSource(table, scan, readKafkaConfig(table, 'source')),
  createSink: (table) => new KafkaSink(table, readKafkaConfig(table, 'sink')),
  isBounded: (table) => (table.options['scan.bounded.mode'] ?? 'unbounded').trim() !== 'unbounded',
  metadataKeys: KAFKA_METADATA as unknown as Record<string, LogicalType>,
};

export { KafkaSource, KafkaSink, KAFKA_OPTIONS, KAFKA_METADATA, readKafkaConfig };
export { upsertKafkaFactory } from './upsert.js';
export type { KafkaSourceState } from './source.js';
export type { KafkaCommittable, KafkaSinkState } from './sink.js';
