// Options of the 'filesystem' connector (Flink's names), and the format lookup shared by source and sink.
import { UnsupportedError, ValidationError, suggestion } from '../../common/errors.js';
import { LOOKUP_RELOAD_OPTIONS, getOption, parseDuration, parseMemorySize, validateOptions, type OptionSpec } from '../../common/options.js';
import type { TableDescriptor } from '../../common/connector.js';
import type { FormatFactory } from '../../formats/api.js';
import { formatIds, getFormat } from '../../formats/registry.js';
import { compileDateParser, isValidTimeZone, localToInstant } from '../../common/time.js';
import { parseTimestampText } from '../../functions/cast.js';

export const FILESYSTEM_OPTIONS: readonly OptionSpec[] = [
  { key: 'path', type: 'string', required: true, description: 'A file or a folder: a local path, file:// or s3:// (read recursively, in name order; names starting with . or _ are skipped)' },
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
    key: 'sink.rolling-policy.inactivity-interval',
    type: 'duration',
    default: '30 min',
    description: 'A part file that received no rows for this long is rolled at the next write',
  },
  {
    key: 'sink.rolling-policy.check-interval',
    type: 'duration',
    default: '1 min',
    description: 'Accepted for compatibility with Flink; tsstream checks the rolling policy on every write',
  },
  {
    key: 's3.',
    type: 'string',
    prefix: true,
    description: 'S3 client options for s3:// paths: s3.endpoint, s3.access-key-id, s3.secret-access-key, s3.path-style-access, s3.region (SET keys of these names apply too)',
  },
  { key: 'partition.default-name', type: 'string', default: '__DEFAULT_PARTITION__', description: 'Folder name of the partition whose value is NULL or empty' },
  {
    key: 'source.path.regex-pattern',
    type: 'string',
    description: 'Only files whose full path matches this regular expression are read',
  },
  {
    key: 'sink.partition-commit.policy.kind',
    type: 'string',
    description: "How a partition is marked committed (when 'sink.partition-commit.trigger' fires): 'success-file' writes an empty success file into it ('metastore' is accepted and does nothing: there is no metastore)",
  },
  { key: 'sink.partition-commit.success-file.name', type: 'string', default: '_SUCCESS', description: "Name of the success file of 'success-file'" },
  {
    key: 'sink.partition-commit.trigger',
    type: 'enum',
    values: ['process-time', 'partition-time'],
    default: 'process-time',
    description:
      "When a partition is committed (its success file written), checked at each checkpoint commit: 'process-time' once the processing time passes the partition's creation + delay; 'partition-time' once the watermark passes the time extracted from the partition's values + delay. At the end of a bounded input every partition is committed",
  },
  { key: 'sink.partition-commit.delay', type: 'duration', default: '0 s', description: 'How long after its creation (process-time) or its partition time (partition-time) a partition is committed' },
  {
    key: 'sink.partition-commit.watermark-time-zone',
    type: 'string',
    default: 'UTC',
    description: "The time zone in which a partition time is compared with the watermark ('partition-time'), e.g. 'Asia/Shanghai' when the watermark is of a TIMESTAMP_LTZ",
  },
  { key: 'partition.time-extractor.kind', type: 'enum', values: ['default'], default: 'default', description: "How a partition's time is read from its values: 'default' (the timestamp pattern)" },
  {
    key: 'partition.time-extractor.timestamp-pattern',
    type: 'string',
    description: "The partition's time built from its values, e.g. '$dt $hm:00' (default: the first partition value)",
  },
  {
    key: 'partition.time-extractor.timestamp-formatter',
    type: 'string',
    default: 'yyyy-MM-dd HH:mm:ss',
    description: "Java date pattern the text of 'partition.time-extractor.timestamp-pattern' is read with (the default also reads a date alone)",
  },
  ...LOOKUP_RELOAD_OPTIONS,
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
  inactivityIntervalMs: number;
  defaultPartitionName: string;
  pathPattern: RegExp | undefined;
  /** An s3:// path (read through src/io), with the S3 client options. */
  remote: boolean;
  remoteOptions: Record<string, string>;
  /** Name of the success file written into committed partitions, or undefined. */
  successFile: string | undefined;
  /** When a partition is committed ('sink.partition-commit.*'). */
  partitionCommit: PartitionCommitConfig;
}

export interface PartitionCommitConfig {
  trigger: 'process-time' | 'partition-time';
  delayMs: number;
  /** 'partition-time': a partition's time (epoch micros in the watermark's time zone) from its values by key, undefined when they do not give one. */
  partitionTime: (values: ReadonlyMap<string, string>) => number | undefined;
}

const LINE_FORMATS = ['csv', 'json', 'raw', 'debezium-json', 'canal-json', 'maxwell-json'];

export function readFsConfig(table: TableDescriptor, sessionConfig: ReadonlyMap<string, string> = new Map()): FsConfig {
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
  const regex = getOption(o, FILESYSTEM_OPTIONS, 'source.path.regex-pattern');
  let pathPattern: RegExp | undefined;
  if (regex !== undefined) {
    try {
      pathPattern = new RegExp(`^(?:${regex})$`);
    } catch (e) {
      throw new ValidationError(`Invalid value '${regex}' for option 'source.path.regex-pattern' of ${what}: ${(e as Error).message}`);
    }
  }
  const kinds = (getOption(o, FILESYSTEM_OPTIONS, 'sink.partition-commit.policy.kind') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  for (const k of kinds) {
    if (k !== 'success-file' && k !== 'metastore') {
      throw new ValidationError(`Unsupported value '${k}' in option 'sink.partition-commit.policy.kind' of ${what}: tsstream supports 'success-file' (and 'metastore' as a no-op)`);
    }
  }
  const partitionCommit = readPartitionCommit(table, what);
  const remote = /^s3[an]?:\/\//i.test(o['path']);
  const remoteOptions: Record<string, string> = {};
  for (const [k, v] of sessionConfig) if (k.startsWith('s3.') || k === 'client.region') remoteOptions[k] = v;
  for (const [k, v] of Object.entries(o)) if (k.startsWith('s3.')) remoteOptions[k] = v;
  return {
    path: remote ? o['path'] : localPath(o['path'], what),
    remote,
    remoteOptions,
    formatId,
    format,
    formatOptions,
    monitorIntervalMs: mon === undefined ? undefined : Math.max(1, parseDuration(mon)!),
    rollingFileSize: parseMemorySize(getOption(o, FILESYSTEM_OPTIONS, 'sink.rolling-policy.file-size')!)!,
    rolloverIntervalMs: parseDuration(getOption(o, FILESYSTEM_OPTIONS, 'sink.rolling-policy.rollover-interval')!)!,
    inactivityIntervalMs: parseDuration(getOption(o, FILESYSTEM_OPTIONS, 'sink.rolling-policy.inactivity-interval')!)!,
    defaultPartitionName: getOption(o, FILESYSTEM_OPTIONS, 'partition.default-name')!,
    pathPattern,
    successFile: kinds.includes('success-file') ? getOption(o, FILESYSTEM_OPTIONS, 'sink.partition-commit.success-file.name')! : undefined,
    partitionCommit,
  };
}

/** 'sink.partition-commit.trigger' and what it needs: the delay, and for 'partition-time' how a partition's time is read. */
function readPartitionCommit(table: TableDescriptor, what: string): PartitionCommitConfig {
  const o = table.options;
  const trigger = getOption(o, FILESYSTEM_OPTIONS, 'sink.partition-commit.trigger') as PartitionCommitConfig['trigger'];
  const delayMs = parseDuration(getOption(o, FILESYSTEM_OPTIONS, 'sink.partition-commit.delay')!)!;
  const zone = getOption(o, FILESYSTEM_OPTIONS, 'sink.partition-commit.watermark-time-zone')!;
  if (!isValidTimeZone(zone)) throw new ValidationError(`Invalid value '${zone}' for option 'sink.partition-commit.watermark-time-zone' of ${what}: not a time zone`);
  const pattern = getOption(o, FILESYSTEM_OPTIONS, 'partition.time-extractor.timestamp-pattern');
  const formatter = getOption(o, FILESYSTEM_OPTIONS, 'partition.time-extractor.timestamp-formatter')!;
  if (trigger === 'partition-time' && table.partitionKeys.length === 0) {
    throw new ValidationError(`Option 'sink.partition-commit.trigger' = 'partition-time' of ${what} needs a partitioned table (PARTITIONED BY)`);
  }
  for (const m of (pattern ?? '').matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (!table.partitionKeys.includes(m[1])) {
      throw new ValidationError(`Option 'partition.time-extractor.timestamp-pattern' of ${what} names '$${m[1]}', which is not a partition key (${table.partitionKeys.join(', ') || 'none'})`);
    }
  }
  let parse: (text: string) => number | undefined;
  if (formatter === 'yyyy-MM-dd HH:mm:ss') parse = (t) => parseTimestampText(t);
  else {
    try {
      parse = compileDateParser(formatter);
    } catch (e) {
      throw new ValidationError(`Invalid value '${formatter}' for option 'partition.time-extractor.timestamp-formatter' of ${what}: ${(e as Error).message}`);
    }
  }
  const first = table.partitionKeys[0];
  const partitionTime = (values: ReadonlyMap<string, string>): number | undefined => {
    const text = pattern === undefined ? values.get(first) : pattern.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, k: string) => values.get(k) ?? '');
    const local = text === undefined ? undefined : parse(text);
    return local === undefined ? undefined : localToInstant(local, zone);
  };
  return { trigger, delayMs, partitionTime };
}


/** A local path from 'path': plain, or a `file:` URI (`file:///tmp/x`, `file:/tmp/x`). Other schemes are not supported. */
export function localPath(p: string, what: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(p);
  if (!m || /^[a-zA-Z]$/.test(m[1])) return p; // no scheme (or a Windows drive letter)
  if (m[1].toLowerCase() !== 'file') {
    throw new UnsupportedError(`${what}: path '${p}' uses the scheme '${m[1]}:'; the filesystem connector supports local paths, file:// URIs and s3:// paths`);
  }
  let rest = m[2];
  if (rest.startsWith('//')) {
    rest = rest.slice(2);
    const slash = rest.indexOf('/');
    const host = slash < 0 ? rest : rest.slice(0, slash);
    if (host !== '' && host !== 'localhost') throw new UnsupportedError(`${what}: path '${p}' names the host '${host}'; only local files are supported`);
    rest = slash < 0 ? '/' : rest.slice(slash);
  }
  return decodeURIComponent(rest);
}

/** Characters escaped in partition folder names (Hive/Flink style %XX). */
const ESCAPE = /[\x00-\x1f"#%'*/:=?\\\x7f{}[\]^]/g;

export function escapePartitionValue(s: string): string {
  return s.replace(ESCAPE, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

export function unescapePartitionValue(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The `key=value` folders of a relative path (`dt=2025-01-01/hm=10%3A00/…`), unescaped, by key. */
export function partitionFolderValues(folders: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const d of folders) {
    const eq = d.indexOf('=');
    if (eq > 0) values.set(unescapePartitionValue(d.slice(0, eq)), unescapePartitionValue(d.slice(eq + 1)));
  }
  return values;
}

/** The table's options without 'connector' (which picked the factory and is not the connector's own option). */
export function withoutConnector(o: Record<string, string>): Record<string, string> {
  if (!('connector' in o)) return o;
  const { connector: _c, ...rest } = o;
  return rest;
}
