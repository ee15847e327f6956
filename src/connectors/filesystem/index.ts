// The 'filesystem' connector: JSON lines / CSV / raw files (local, file:// or s3://) as a bounded
// or monitored source and an exactly-once sink (see source.ts and sink.ts).
import type { ConnectorFactory } from '../../common/connector.js';
import { getFormat } from '../../formats/registry.js';
import { FILESYSTEM_OPTIONS } from './options.js';
import { FileSystemSink } from './sink.js';
import { FILESYSTEM_METADATA, FileSystemSource } from './source.js';

export const filesystemFactory: ConnectorFactory = {
  identifier: 'filesystem',
  description: 'Files in a folder (local or s3://): JSON lines, CSV or raw lines; bounded, or monitored for new files and lines; exactly-once part files as a sink',
  options: FILESYSTEM_OPTIONS,
  formatPrefixes: (options) => (options['format'] ? [`${options['format']}.`] : []),
  createSource: (table, scan, ctx) => new FileSystemSource(table, scan, ctx?.config),
  supportsFilterPushDown: true,
  createSink: (table, ctx) => new FileSystemSink(table, ctx?.config),
  metadataKeys: FILESYSTEM_METADATA,
  // A changelog format (debezium-json, canal-json, maxwell-json) makes the files a changelog (read only).
  sourceChangelogMode: (table) => (getFormat(table.options['format'] ?? '')?.changelog ? 'all' : 'insert-only'),
};

export { FileSystemSource, FileSystemSink, FILESYSTEM_OPTIONS, FILESYSTEM_METADATA };
export type { FileSystemSourceState } from './source.js';
export type { FileCommittable } from './sink.js';
