// Options of the 'filesystem' connector (Flink's names), and the format lookup shared by source and sink.
import { ValidationError, suggestion } from '../../common/errors.js';
import { getOption, parseDuration, parseMemorySize, validateOptions, type OptionSpec } from '../../common/options.js';
import type { TableDescriptor } from '../../common/connector.js';
import type { FormatFactory } from '../../formats/api.js';
import { formatIds, getFormat } from '../../formats/registry.js';

export const FILESYSTEM_OPTIONS: readonly OptionSpec[] = [
  { key: 'path', type: 'string', required: true, description: 'A file or a folder (read recursively, in name order; names starting with . or _ are skipped)' },
  { key: 'format', type: 'string', required: true, description: "Format of the lines: 'json', 'csv' or 'raw'" },
  {
    key: 'source.monitor-interval',
    type: 'duration',
    description: 'Makes the source unbounded: the folder is listed again at this interval and new files and lines appended to known files are read',
  },
  { key: 'sink.rolling-policy.file-size', type: 'memory', default: '128mb', description: 'A part file is rolled (a new one started) when it reaches this size' },
  {
    key: 'sink.rolling-policy.rollover-interval',
    type: 'duration',
    default: '30 min',
    description: 'A part file open for longer than this is rolled at the next write (files always roll at checkpoints)',
  },
  {
    key: 'sink.rolling-policy.check-interval',
    type: 'duration',
    default: '1 min',
    description: 'Accepted for compatibility with Flink; tsstream checks the rolling policy on every write',
  },
  { key: 'partition.default-name', type: 'string', default: '__DEFAULT_PARTITION__', description: 'Folder name of the partition whose value is NULL or empty' },
];

export interface FsConfig {
  path: string;
  formatId: string;
  format: FormatFactory;
  /** The format's own options, prefix removed. */
  formatOptions: Record<string, string>;
  monitorIntervalMs: number | undefined;
  rollingFileSize: number;
  rolloverIntervalMs: number;
  defaultPartitionName: string;
}

const LINE_FORMATS = ['csv', 'json', 'raw'];

export function readFsConfig(table: TableDescriptor): FsConfig {
  const o = table.options;
  const formatId = o['format'];
  const what = `connector 'filesystem' (table ${table.path.table})`;
  validateOptions(what, withoutConnector(o), FILESYSTEM_OPTIONS, formatId ? [`${formatId}.`] : []);
  const format = getFormat(formatId);
  if (!format || !LINE_FORMATS.includes(formatId)) {
    const ids = formatIds().filter((f) => LINE_FORMATS.includes(f));
    throw new ValidationError(`Unsupported format '${formatId}' for ${what}. Supported formats: ${ids.join(', ')}${suggestion(formatId, ids)}`);
  }
  const formatOptions: Record<string, string> = {};
  const prefix = `${formatId}.`;
  for (const [k, v] of Object.entries(o)) if (k.startsWith(prefix)) formatOptions[k.slice(prefix.length)] = v;
  const mon = getOption(o, FILESYSTEM_OPTIONS, 'source.monitor-interval');
  return {
    path: o['path'],
    formatId,
    format,
    formatOptions,
    monitorIntervalMs: mon === undefined ? undefined : Math.max(1, parseDuration(mon)!),
    rollingFileSize: parseMemorySize(getOption(o, FILESYSTEM_OPTIONS, 'sink.rolling-policy.file-size')!)!,
    rolloverIntervalMs: parseDuration(getOption(o, FILESYSTEM_OPTIONS, 'sink.rolling-policy.rollover-interval')!)!,
    defaultPartitionName: getOption(o, FILESYSTEM_OPTIONS, 'partition.default-name')!,
  };
}


/** Characters escaped in partition folder names (Hive/Flink style %XX). */
const ESCAPE = /[\x00-\x1f"#%'*/:=?\\\x7f{}[\]^]/g;

export function escapePartitionValue(s: string): string {
  return s.replace(ESCAPE, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

export function unescapePartitionValue(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The table's options without 'connector' (which picked the factory and is not the connector's own option). */
export function withoutConnector(o: Record<string, string>): Record<string, string> {
  if (!('connector' in o)) return o;
  const { connector: _c, ...rest } = o;
  return rest;
}
