// The 'kinesis' connector (Flink's option names): an unbounded source reading every shard with
// exact sequence numbers in checkpoints, parents before children after a reshard.
import type { ConnectorFactory } from '../../common/connector.js';
import type { LogicalType } from '../../common/types.js';
import { KINESIS_METADATA, KINESIS_OPTIONS, kinesisFormatPrefixes, readKinesisConfig } from './options.js';
import { KinesisSink } from './sink.js';
import { KinesisSource } from './source.js';

export const kinesisFactory: ConnectorFactory = {
  identifier: 'kinesis',
  description: 'Amazon Kinesis Data Streams: an unbounded source with exact sequence numbers per shard in checkpoints, and an at-least-once sink (PutRecords)',
  options: KINESIS_OPTIONS,
  formatPrefixes: (options) => kinesisFormatPrefixes(options),
  createSource: (table, scan) => new KinesisSource(table, scan, readKinesisConfig(table)),
  createSink: (table) => new KinesisSink(table, readKinesisConfig(table)),
  isBounded: () => false,
  // Every option is checked when a query uses the table (EXPLAIN included), not when it starts.
  validate: (table) => void readKinesisConfig(table),
  metadataKeys: KINESIS_METADATA as unknown as Record<string, LogicalType>,
};

export { KinesisSource, KinesisSink, KINESIS_OPTIONS, KINESIS_METADATA, readKinesisConfig };
export type { KinesisSourceState } from './source.js';
