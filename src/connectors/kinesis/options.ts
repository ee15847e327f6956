// Options of the 'kinesis' connector, with the names of Flink's Kinesis SQL connector, and their
// reading into a config. Credentials are read here and never appear in a message.
import { ValidationError, suggestion } from '../../common/errors.js';
import { getOption, validateOptions, type OptionSpec } from '../../common/options.js';
import { formatPath, type ConnectorIdentity, type TableDescriptor } from '../../common/connector.js';
import type { Field } from '../../common/types.js';
import type { FormatFactory } from '../../formats/api.js';
import { formatIds, getFormat } from '../../formats/registry.js';

export const INIT_POSITIONS = ['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP'] as const;
export type InitPosition = (typeof INIT_POSITIONS)[number];
import { CREDENTIAL_OPTIONS, CREDENTIAL_PROVIDERS, readCredentials, type CredentialsSpec } from './credentials.js';

export const KINESIS_OPTIONS: readonly OptionSpec[] = [
  { key: 'stream', type: 'string', description: 'Name of the Kinesis data stream (or set stream.arn)' },
  { key: 'stream.arn', type: 'string', description: "ARN of the Kinesis data stream, 'arn:aws:kinesis:<region>:<account>:stream/<name>' (its region is used when aws.region is not set)" },
  { key: 'format', type: 'string', description: "Format of the record data ('json', 'csv', 'raw', …)" },
  { key: 'aws.region', type: 'string', description: "AWS region of the stream, e.g. 'us-east-1'" },
  { key: 'aws.endpoint', type: 'string', description: "Endpoint URL overriding the region's (e.g. 'http://localhost:4567' for kinesalite or moto); spoken over HTTP/1.1" },
  { key: 'aws.credentials.provider', type: 'enum', values: CREDENTIAL_PROVIDERS, default: 'AUTO', description: 'AUTO (the AWS SDK default chain), BASIC, ENV_VAR (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN), PROFILE, ASSUME_ROLE or WEB_IDENTITY_TOKEN' },
  ...CREDENTIAL_OPTIONS,
  { key: 'scan.stream.recordpublisher', type: 'enum', values: ['POLLING', 'EFO'], default: 'POLLING', description: "POLLING (GetRecords) only: 'EFO' (enhanced fan-out, SubscribeToShard over HTTP/2) is refused, as no Kinesis implementation that runs here offers SubscribeToShard to test it" },
  { key: 'scan.stream.initpos', type: 'enum', values: INIT_POSITIONS, default: 'LATEST', description: 'Where a fresh start begins reading each shard' },
  { key: 'scan.stream.initpos-timestamp', type: 'string', description: "For AT_TIMESTAMP: seconds since the epoch ('1700000000.5') or an ISO-8601 date-time" },
  { key: 'scan.stream.initpos-timestamp-format', type: 'string', default: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", description: 'Accepted for compatibility with Flink; ISO-8601 and epoch seconds are read' },
  { key: 'scan.shard.getrecords.maxrecordcount', type: 'int', default: '10000', description: 'Records asked for per GetRecords call (at most 10000)' },
  { key: 'scan.shard.getrecords.intervalmillis', type: 'int', default: '200', description: 'Pause between GetRecords calls of one shard that returned nothing new' },
  { key: 'scan.shard.getrecords.maxretries', type: 'int', default: '3', description: 'Retries of a throttled GetRecords (ProvisionedThroughputExceeded) before the job fails' },
  { key: 'scan.shard.getrecords.backoff.base', type: 'int', default: '300', description: 'First backoff (ms) after a throttled GetRecords' },
  { key: 'scan.shard.getrecords.backoff.max', type: 'int', default: '1000', description: 'Largest backoff (ms) after a throttled GetRecords' },
  { key: 'scan.shard.getrecords.backoff.expconst', type: 'string', default: '1.5', description: 'Growth factor of the backoff' },
  { key: 'sink.partitioner', type: 'enum', values: ['random', 'fixed'], default: 'random', description: "Partition key of a table without PARTITIONED BY: 'random' (spread over the shards) or 'fixed' (one key, one shard)" },
  { key: 'sink.partitioner-field-delimiter', type: 'string', default: '|', description: 'Separator of the PARTITIONED BY column values that make the partition key' },
  { key: 'sink.fail-on-error', type: 'boolean', default: 'false', description: 'Accepted for compatibility with Flink; refused records are retried (scan.shard.getrecords.maxretries / backoff options) and then fail the job' },
  { key: 'scan.shard.discovery.intervalmillis', type: 'int', default: '10000', description: 'How often new shards (after a reshard) are looked for; 0 disables' },
];

/** Flink's metadata columns of the Kinesis source. */
export const KINESIS_METADATA = {
  timestamp: { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: false },
  'shard-id': { kind: 'VARCHAR', length: 2147483647, nullable: false },
  'sequence-number': { kind: 'VARCHAR', length: 2147483647, nullable: false },
} as const;


export interface KinesisConfig {
  what: string;
  stream: string;
  region: string;
  endpoint?: string;
  /** Where the credentials come from (the SDK provider is made with the client). */
  credentials: CredentialsSpec;
  formatId: string;
  format: FormatFactory;
  formatOptions: Record<string, string>;
  initPos: InitPosition;
  initTimestampMs?: number;
  maxRecords: number;
  intervalMs: number;
  maxRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  backoffExp: number;
  discoveryIntervalMs: number;
  sinkPartitioner: 'random' | 'fixed';
  sinkFieldDelimiter: string;
}

export function kinesisFormatPrefixes(o: Record<string, string>): string[] {
  return o['format'] ? [`${o['format']}.`] : [];
}

export function kinesisIdentity(cfg: KinesisConfig): ConnectorIdentity {
  return { what: `Kinesis stream ${cfg.stream} in ${cfg.region}`, keys: { stream: cfg.stream, region: cfg.region, endpoint: cfg.endpoint ?? '' } };
}

function parseTimestamp(what: string, text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new ValidationError(`${what}: invalid 'scan.stream.initpos-timestamp' '${text}': expected seconds since the epoch or an ISO-8601 date-time`);
  return ms;
}

function intOpt(what: string, o: Record<string, string>, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = Number(getOption(o, KINESIS_OPTIONS, key));
  if (!Number.isInteger(v) || v < min || v > max) throw new ValidationError(`${what}: option '${key}' must be an integer between ${min} and ${max}`);
  return v;
}

/**
 * Enhanced fan-out is refused at planning, by name: it needs SubscribeToShard (an HTTP/2 event
 * stream), which neither kinesalite nor moto implements (moto has RegisterStreamConsumer and
 * DescribeStreamConsumer only), so it could not be tested against a real server here.
 */
function refuseEfo(what: string, o: Record<string, string>): void {
  const efoKeys = Object.keys(o).filter((k) => k.startsWith('scan.stream.efo.'));
  const publisher = o['scan.stream.recordpublisher']?.trim().toUpperCase();
  if (publisher === 'EFO' || efoKeys.length) {
    const by = publisher === 'EFO' ? "'scan.stream.recordpublisher' = 'EFO'" : `option '${efoKeys[0]}'`;
    throw new ValidationError(
      `${what}: enhanced fan-out (${by}) is not supported: tsstream reads Kinesis with the polling record publisher only (GetRecords; 'scan.stream.recordpublisher' = 'POLLING', the default). Remove the option, or read the stream with Flink`,
    );
  }
}

export function readKinesisConfig(table: TableDescriptor): KinesisConfig {
  const o = Object.fromEntries(Object.entries(table.options).filter(([k]) => k !== 'connector'));
  const what = `connector 'kinesis' (table ${formatPath(table.path)})`;
  refuseEfo(what, o);
  validateOptions(what, o, KINESIS_OPTIONS, kinesisFormatPrefixes(o));
  const get = (k: string) => getOption(o, KINESIS_OPTIONS, k);

  let stream = o['stream']?.trim();
  let arnRegion: string | undefined;
  if (o['stream.arn']) {
    const m = /^arn:[\w-]+:kinesis:([\w-]+):\d+:stream\/([\w.-]+)$/.exec(o['stream.arn'].trim());
    if (!m) throw new ValidationError(`${what}: invalid 'stream.arn' '${o['stream.arn']}': expected 'arn:aws:kinesis:<region>:<account>:stream/<name>'`);
    if (stream && stream !== m[2]) throw new ValidationError(`${what}: 'stream' ${stream} and 'stream.arn' (stream ${m[2]}) disagree`);
    stream = m[2];
    arnRegion = m[1];
  }
  if (!stream) throw new ValidationError(`${what}: one of 'stream' or 'stream.arn' must be set`);
  const region = o['aws.region']?.trim() || arnRegion || process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'];
  if (!region) throw new ValidationError(`${what}: 'aws.region' must be set (or give 'stream.arn', or AWS_REGION in the environment)`);

  const formatId = o['format'];
  if (!formatId) throw new ValidationError(`${what}: option 'format' must be set`);
  const format = getFormat(formatId);
  if (!format) throw new ValidationError(`Unsupported format '${formatId}' for ${what}${suggestion(formatId, formatIds())}. Supported formats: ${formatIds().join(', ')}`);
  const formatOptions: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (k.startsWith(`${formatId}.`)) formatOptions[k.slice(formatId.length + 1)] = v;

  const credentials = readCredentials(what, o, region);

  const initPos = get('scan.stream.initpos') as InitPosition;
  let initTimestampMs: number | undefined;
  if (initPos === 'AT_TIMESTAMP') {
    const ts = o['scan.stream.initpos-timestamp'];
    if (!ts) throw new ValidationError(`${what}: 'scan.stream.initpos-timestamp' is required with scan.stream.initpos AT_TIMESTAMP`);
    initTimestampMs = parseTimestamp(what, ts);
  }
  const backoffExp = Number(get('scan.shard.getrecords.backoff.expconst'));
  if (!Number.isFinite(backoffExp) || backoffExp < 1) throw new ValidationError(`${what}: option 'scan.shard.getrecords.backoff.expconst' must be a number of at least 1`);
  const endpoint = o['aws.endpoint']?.trim() || undefined;
  if (endpoint && !/^https?:\/\//.test(endpoint)) throw new ValidationError(`${what}: 'aws.endpoint' must be an http:// or https:// URL`);
  return {
    what,
    stream,
    region,
    endpoint,
    credentials,
    formatId,
    format,
    formatOptions,
    initPos,
    initTimestampMs,
    maxRecords: intOpt(what, o, 'scan.shard.getrecords.maxrecordcount', 1, 10_000),
    intervalMs: intOpt(what, o, 'scan.shard.getrecords.intervalmillis', 0),
    maxRetries: intOpt(what, o, 'scan.shard.getrecords.maxretries', 0),
    backoffBaseMs: intOpt(what, o, 'scan.shard.getrecords.backoff.base', 0),
    backoffMaxMs: intOpt(what, o, 'scan.shard.getrecords.backoff.max', 0),
    backoffExp,
    discoveryIntervalMs: intOpt(what, o, 'scan.shard.discovery.intervalmillis', 0),
    sinkPartitioner: get('sink.partitioner') as KinesisConfig['sinkPartitioner'],
    sinkFieldDelimiter: get('sink.partitioner-field-delimiter') ?? '|',
  };
}

export type { Field };
