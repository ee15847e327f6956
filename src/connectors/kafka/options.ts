// Options of the 'kafka' connector, with Flink's names, and their reading into a config.
import { ValidationError, suggestion } from '../../common/errors.js';
import { getOption, parseDuration, validateOptions, type OptionSpec } from '../../common/options.js';
import type { ConnectorIdentity, TableDescriptor } from '../../common/connector.js';
import type { Field } from '../../common/types.js';
import type { FormatFactory } from '../../formats/api.js';
import { formatIds, getFormat } from '../../formats/registry.js';
import type { SASLOptions } from 'kafkajs';
import { readFileSync } from 'node:fs';
import type { ClientConfig } from './client.js';

export const STARTUP_MODES = ['earliest-offset', 'latest-offset', 'group-offsets', 'timestamp', 'specific-offsets'] as const;
export const BOUNDED_MODES = ['unbounded', 'latest-offset', 'timestamp', 'specific-offsets', 'group-offsets'] as const;
export type StartupMode = (typeof STARTUP_MODES)[number];
export type BoundedMode = (typeof BOUNDED_MODES)[number];

export const KAFKA_OPTIONS: readonly OptionSpec[] = [
  { key: 'topic', type: 'string', description: "Topic name(s) to read from or write to; several separated by ';' (source only)" },
  { key: 'topic-pattern', type: 'string', description: 'A regular expression for the names of the topics to read (source only)' },
  { key: 'properties.bootstrap.servers', type: 'string', required: true, description: "Comma-separated list of Kafka brokers, e.g. 'localhost:9092'" },
  { key: 'properties.group.id', type: 'string', description: 'Consumer group id: offsets are committed to it after each checkpoint; required for group-offsets' },
  {
    key: 'properties.',
    type: 'string',
    prefix: true,
    description:
      'Kafka client properties; those that mean something to kafkajs are used: client.id, security.protocol, sasl.mechanism, sasl.jaas.config, ssl.*, request.timeout.ms, socket.connection.setup.timeout.ms, retries, retry.backoff.ms, isolation.level, auto.offset.reset, max.partition.fetch.bytes, fetch.max.bytes, fetch.max.wait.ms, transaction.timeout.ms, enable.idempotence, acks',
  },
  { key: 'format', type: 'string', description: "Format of the message value ('json', 'csv', 'raw'); same as value.format" },
  { key: 'value.format', type: 'string', description: "Format of the message value ('json', 'csv', 'raw')" },
  { key: 'key.format', type: 'string', description: 'Format of the message key; requires key.fields' },
  { key: 'key.fields', type: 'list', default: '', description: "Physical columns that make up the message key, separated by ';'" },
  { key: 'key.fields-prefix', type: 'string', default: '', description: 'Prefix of the key columns in the table schema (stripped in the key format); requires value.fields-include = EXCEPT_KEY' },
  { key: 'value.fields-include', type: 'enum', values: ['ALL', 'EXCEPT_KEY'], default: 'ALL', description: 'Whether the value also holds the key columns (ALL) or not (EXCEPT_KEY)' },
  { key: 'scan.startup.mode', type: 'enum', values: STARTUP_MODES, default: 'group-offsets', description: 'Where a fresh start begins reading' },
  { key: 'scan.startup.specific-offsets', type: 'string', description: "For specific-offsets: 'partition:0,offset:42;partition:1,offset:300'" },
  { key: 'scan.startup.timestamp-millis', type: 'int', description: 'For timestamp: start at the first record whose timestamp is at least this (ms since the epoch)' },
  { key: 'scan.bounded.mode', type: 'enum', values: BOUNDED_MODES, default: 'unbounded', description: 'Where a bounded source stops (unbounded = never)' },
  { key: 'scan.bounded.specific-offsets', type: 'string', description: "For specific-offsets: 'partition:0,offset:42;partition:1,offset:300' (exclusive)" },
  { key: 'scan.bounded.timestamp-millis', type: 'int', description: 'For timestamp: stop before the first record whose timestamp is at least this' },
  { key: 'scan.topic-partition-discovery.interval', type: 'duration', default: '5 min', description: 'How often new partitions (and topics matching topic-pattern) are looked for; 0 disables' },
  { key: 'sink.partitioner', type: 'string', default: 'default', description: "'default' (by key hash, else sticky), 'fixed' (all to partition 0) or 'round-robin'" },
  { key: 'sink.delivery-guarantee', type: 'enum', values: ['none', 'at-least-once', 'exactly-once'], default: 'at-least-once', aliases: ['sink.semantic'], description: "Delivery guarantee of the sink; none / at-least-once write with an idempotent producer and acks=all unless 'properties.enable.idempotence' = 'false' or 'properties.acks' says otherwise (Kafka's client defaults)" },
  { key: 'sink.transactional-id-prefix', type: 'string', description: 'Prefix of the transactional ids of an exactly-once sink (required for exactly-once)' },
  { key: 'sink.parallelism', type: 'int', description: 'Accepted for compatibility with Flink; tsstream runs one writer' },
  { key: 'sink.buffer-flush.max-rows', type: 'int', default: '0', description: 'Accepted for compatibility with Flink (upsert-kafka); ignored' },
  { key: 'sink.buffer-flush.interval', type: 'duration', default: '0', description: 'Accepted for compatibility with Flink (upsert-kafka); ignored' },
];

/** Flink's metadata columns of the Kafka source, with their types. */
export const KAFKA_METADATA = {
  topic: { kind: 'VARCHAR', length: 2147483647, nullable: false },
  partition: { kind: 'INT', nullable: false },
  headers: { kind: 'MAP', key: { kind: 'VARCHAR', length: 2147483647, nullable: false }, value: { kind: 'VARBINARY', length: 2147483647, nullable: true }, nullable: false },
  'leader-epoch': { kind: 'INT', nullable: true },
  offset: { kind: 'BIGINT', nullable: false },
  timestamp: { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: false },
  'timestamp-type': { kind: 'VARCHAR', length: 2147483647, nullable: false },
} as const;

export interface FormatUse {
  id: string;
  factory: FormatFactory;
  /** The format's own options, prefix removed. */
  options: Record<string, string>;
  /** Table fields the format covers, in format order (key fields without key.fields-prefix). */
  fields: Field[];
  /** For each format field, its index among the table's physical columns. */
  physicalIndex: number[];
}

export interface KafkaConfig {
  what: string;
  topics: string[];
  topicPattern?: RegExp;
  groupId?: string;
  client: ClientConfig;
  properties: Record<string, string>;
  value: FormatUse;
  key?: FormatUse;
  exceptKey: boolean;
  startupMode: StartupMode;
  startupTimestamp?: number;
  startupSpecific?: Map<number, number>;
  boundedMode: BoundedMode;
  boundedTimestamp?: number;
  boundedSpecific?: Map<number, number>;
  discoveryIntervalMs: number;
  autoOffsetReset: 'earliest' | 'latest' | 'none';
  isolationLevel: number;
  maxPartitionFetchBytes: number;
  fetchMaxBytes: number;
  fetchMaxWaitMs: number;
  partitioner: 'default' | 'fixed' | 'round-robin';
  deliveryGuarantee: 'none' | 'at-least-once' | 'exactly-once';
  transactionalIdPrefix?: string;
  transactionTimeoutMs: number;
  /**
   * Whether the producer of a none / at-least-once sink is idempotent (a producer id and sequence
   * numbers, so the broker drops batches a retry sends again). An exactly-once sink's
   * transactional producer always is.
   */
  idempotence: boolean;
  /** Acknowledgements a none / at-least-once sink waits for: -1 (all in-sync replicas), 1 (the leader) or 0 (none). */
  acks: -1 | 0 | 1;
}

/** Format option prefixes a table's options use ('json.', 'value.json.', 'key.csv.'). */
export function kafkaFormatPrefixes(o: Record<string, string>): string[] {
  const out: string[] = [];
  const v = o['value.format'] ?? o['format'];
  if (v) out.push(`${v}.`, `value.${v}.`);
  if (o['key.format']) out.push(`key.${o['key.format']}.`);
  return out;
}

function parseSpecificOffsets(what: string, key: string, text: string | undefined): Map<number, number> {
  if (!text) throw new ValidationError(`Option '${key}' is required for ${what} with specific-offsets`);
  const out = new Map<number, number>();
  for (const part of text.split(';').map((s) => s.trim()).filter(Boolean)) {
    const m = /^partition\s*:\s*(\d+)\s*,\s*offset\s*:\s*(\d+)$/.exec(part);
    if (!m) throw new ValidationError(`Invalid value '${text}' for option '${key}' of ${what}: expected 'partition:0,offset:42;partition:1,offset:300'`);
    out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}

function formatUse(what: string, o: Record<string, string>, id: string, prefixes: string[], fields: Field[], physicalIndex: number[]): FormatUse {
  const factory = getFormat(id);
  if (!factory) throw new ValidationError(`Unsupported format '${id}' for ${what}${suggestion(id, formatIds())}. Supported formats: ${formatIds().join(', ')}`);
  const options: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    for (const p of prefixes) if (k.startsWith(p)) options[k.slice(p.length)] = v;
  }
  return { id, factory, options, fields, physicalIndex };
}

function saslFromProperties(what: string, props: Record<string, string>): SASLOptions | undefined {
  const mech = (props['sasl.mechanism'] ?? '').toUpperCase();
  const protocol = (props['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  if (!protocol.startsWith('SASL')) return undefined;
  const jaas = props['sasl.jaas.config'] ?? '';
  const user = /username\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
  const pass = /password\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
  if (user === undefined || pass === undefined) {
    throw new ValidationError(`${what}: 'properties.sasl.jaas.config' must give username="…" and password="…" for security.protocol ${protocol}`);
  }
  switch (mech || 'PLAIN') {
    case 'PLAIN':
      return { mechanism: 'plain', username: user, password: pass };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username: user, password: pass };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username: user, password: pass };
    default:
      throw new ValidationError(`${what}: sasl.mechanism '${mech}' is not supported (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)`);
  }
}

/**
 * TLS settings from Kafka's ssl.* properties. Node reads PEM only: trust and key stores of type
 * PEM (inline or a file), not JKS or PKCS12.
 */
function sslFromProperties(what: string, props: Record<string, string>): true | Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const pemFile = (key: string, type: string | undefined): string => {
    const file = props[key];
    if ((type ?? '').toUpperCase() !== 'PEM' && !/\.(pem|crt|cer|key)$/i.test(file)) {
      throw new ValidationError(`${what}: 'properties.${key}' must be a PEM file (set ssl.*.type = PEM); JKS and PKCS12 stores are not readable by Node.js — convert them with keytool/openssl`);
    }
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new ValidationError(`${what}: cannot read 'properties.${key}' ${file}: ${(e as Error).message}`);
    }
  };
  if (props['ssl.truststore.certificates']) out['ca'] = props['ssl.truststore.certificates'];
  else if (props['ssl.truststore.location']) out['ca'] = pemFile('ssl.truststore.location', props['ssl.truststore.type']);
  if (props['ssl.keystore.certificate.chain']) out['cert'] = props['ssl.keystore.certificate.chain'];
  if (props['ssl.keystore.key']) out['key'] = props['ssl.keystore.key'];
  if (props['ssl.keystore.location'] && !out['cert']) {
    const pem = pemFile('ssl.keystore.location', props['ssl.keystore.type']);
    out['cert'] = pem;
    if (!out['key']) out['key'] = pem;
  }
  if (props['ssl.key.password'] ?? props['ssl.keystore.password']) out['passphrase'] = props['ssl.key.password'] ?? props['ssl.keystore.password'];
  if (props['ssl.endpoint.identification.algorithm'] === '') out['checkServerIdentity'] = () => undefined;
  return Object.keys(out).length ? out : true;
}

function num(props: Record<string, string>, key: string, dflt: number): number {
  const v = props[key];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ValidationError(`Invalid value '${v}' for option 'properties.${key}': expected a number`);
  return n;
}

/** A Kafka source or sink is its topics (or pattern) on its cluster (the bootstrap servers). */
export function kafkaIdentity(cfg: KafkaConfig): ConnectorIdentity {
  const topics = cfg.topicPattern ? `pattern ${cfg.topicPattern.source}` : [...cfg.topics].sort().join(',');
  return { what: `Kafka topic ${topics} on ${cfg.client.brokers.join(',')}`, keys: { topics, 'bootstrap.servers': [...cfg.client.brokers].sort().join(',') } };
}

export function readKafkaConfig(table: TableDescriptor, role: 'source' | 'sink'): KafkaConfig {
  // 'connector' picked the factory; it is not one of the connector's own options.
  const o = Object.fromEntries(Object.entries(table.options).filter(([k]) => k !== 'connector'));
  const what = `connector 'kafka' (table ${table.path.table})`;
  validateOptions(what, o, KAFKA_OPTIONS, kafkaFormatPrefixes(o));
  const get = (k: string) => getOption(o, KAFKA_OPTIONS, k);

  const topics = (o['topic'] ?? '').split(';').map((s) => s.trim()).filter(Boolean);
  const pattern = o['topic-pattern'];
  if (topics.length && pattern) throw new ValidationError(`${what}: options 'topic' and 'topic-pattern' cannot both be set`);
  if (role === 'source' && !topics.length && !pattern) throw new ValidationError(`${what}: either 'topic' or 'topic-pattern' must be set`);
  if (role === 'sink') {
    if (pattern) throw new ValidationError(`${what}: 'topic-pattern' is not supported for a sink; set 'topic'`);
    if (topics.length !== 1) throw new ValidationError(`${what}: a Kafka sink needs exactly one 'topic'`);
  }
  let topicPattern: RegExp | undefined;
  if (pattern) {
    try {
      topicPattern = new RegExp(`^(?:${pattern})$`);
    } catch (e) {
      throw new ValidationError(`${what}: invalid 'topic-pattern' ${pattern}: ${(e as Error).message}`);
    }
  }

  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (k.startsWith('properties.')) props[k.slice('properties.'.length)] = v;

  // Formats: value (format / value.format) and key (key.format + key.fields).
  const valueId = o['value.format'] ?? o['format'];
  if (!valueId) throw new ValidationError(`${what}: one of 'format' or 'value.format' must be set`);
  if (o['value.format'] && o['format']) throw new ValidationError(`${what}: options 'format' and 'value.format' cannot both be set`);
  const keyFields = (get('key.fields') ?? '').split(';').map((s) => s.trim()).filter(Boolean);
  const keyPrefix = get('key.fields-prefix') ?? '';
  const exceptKey = get('value.fields-include') === 'EXCEPT_KEY';
  const physical = table.physical;
  if (keyFields.length && !o['key.format']) throw new ValidationError(`${what}: 'key.fields' needs 'key.format'`);
  if (o['key.format'] && !keyFields.length) throw new ValidationError(`${what}: 'key.format' needs 'key.fields' (the key columns, separated by ';')`);
  if (keyPrefix && !exceptKey) throw new ValidationError(`${what}: 'key.fields-prefix' requires 'value.fields-include' = 'EXCEPT_KEY'`);
  const keyIdx = keyFields.map((name) => {
    const i = physical.findIndex((f) => f.name === name);
    if (i < 0) throw new ValidationError(`${what}: key field '${name}' is not a physical column${suggestion(name, physical.map((f) => f.name))}`);
    if (keyPrefix && !name.startsWith(keyPrefix)) throw new ValidationError(`${what}: key field '${name}' must start with key.fields-prefix '${keyPrefix}'`);
    return i;
  });
  let key: FormatUse | undefined;
  if (o['key.format']) {
    const kid = o['key.format'];
    key = formatUse(what, o, kid, [`key.${kid}.`], keyIdx.map((i) => ({ name: physical[i].name.slice(keyPrefix.length), type: physical[i].type })), keyIdx);
  }
  const valueIdx = physical.map((_, i) => i).filter((i) => !exceptKey || !keyIdx.includes(i));
  const value = formatUse(what, o, valueId, [`${valueId}.`, `value.${valueId}.`], valueIdx.map((i) => physical[i]), valueIdx);

  const startupMode = get('scan.startup.mode') as StartupMode;
  const boundedMode = get('scan.bounded.mode') as BoundedMode;
  const groupId = props['group.id'];
  let startupTimestamp: number | undefined;
  let startupSpecific: Map<number, number> | undefined;
  if (startupMode === 'timestamp') {
    if (o['scan.startup.timestamp-millis'] === undefined) throw new ValidationError(`${what}: 'scan.startup.timestamp-millis' is required with scan.startup.mode 'timestamp'`);
    startupTimestamp = Number(o['scan.startup.timestamp-millis']);
  }
  if (startupMode === 'specific-offsets') {
    if (topics.length !== 1) throw new ValidationError(`${what}: scan.startup.mode 'specific-offsets' needs exactly one 'topic'`);
    startupSpecific = parseSpecificOffsets(what, 'scan.startup.specific-offsets', o['scan.startup.specific-offsets']);
  }
  if (role === 'source' && startupMode === 'group-offsets' && !groupId) {
    throw new ValidationError(`${what}: 'properties.group.id' is required with scan.startup.mode 'group-offsets' (the default); set it or choose another scan.startup.mode`);
  }
  let boundedTimestamp: number | undefined;
  let boundedSpecific: Map<number, number> | undefined;
  if (boundedMode === 'timestamp') {
    if (o['scan.bounded.timestamp-millis'] === undefined) throw new ValidationError(`${what}: 'scan.bounded.timestamp-millis' is required with scan.bounded.mode 'timestamp'`);
    boundedTimestamp = Number(o['scan.bounded.timestamp-millis']);
  }
  if (boundedMode === 'specific-offsets') {
    if (topics.length !== 1) throw new ValidationError(`${what}: scan.bounded.mode 'specific-offsets' needs exactly one 'topic'`);
    boundedSpecific = parseSpecificOffsets(what, 'scan.bounded.specific-offsets', o['scan.bounded.specific-offsets']);
  }
  if (boundedMode === 'group-offsets' && !groupId) throw new ValidationError(`${what}: 'properties.group.id' is required with scan.bounded.mode 'group-offsets'`);

  const partitioner = (get('sink.partitioner') ?? 'default') as KafkaConfig['partitioner'];
  if (!['default', 'fixed', 'round-robin'].includes(partitioner)) {
    throw new ValidationError(`${what}: sink.partitioner '${partitioner}' is not supported (custom partitioner classes are Java); use 'default', 'fixed' or 'round-robin'`);
  }
  const deliveryGuarantee = get('sink.delivery-guarantee') as KafkaConfig['deliveryGuarantee'];
  const transactionalIdPrefix = o['sink.transactional-id-prefix'];
  if (role === 'sink' && deliveryGuarantee === 'exactly-once' && !transactionalIdPrefix) {
    throw new ValidationError(`${what}: 'sink.transactional-id-prefix' is required with sink.delivery-guarantee 'exactly-once'`);
  }

  const retries = num(props, 'retries', 5);
  const { idempotence, acks } = producerGuarantees(what, props, deliveryGuarantee, retries);

  const brokers = o['properties.bootstrap.servers'].split(',').map((s) => s.trim()).filter(Boolean);
  const protocol = (props['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  const ssl = protocol === 'SSL' || protocol === 'SASL_SSL' ? sslFromProperties(what, props) : undefined;
  const isolation = (props['isolation.level'] ?? 'read_committed').toLowerCase();
  if (isolation !== 'read_committed' && isolation !== 'read_uncommitted') throw new ValidationError(`${what}: properties.isolation.level must be read_committed or read_uncommitted`);
  const reset = (props['auto.offset.reset'] ?? 'none').toLowerCase();
  if (!['earliest', 'latest', 'none'].includes(reset)) throw new ValidationError(`${what}: properties.auto.offset.reset must be earliest, latest or none`);
  const client: ClientConfig = {
    brokers,
    clientId: props['client.id'] ?? 'tsstream',
    ssl,
    sasl: saslFromProperties(what, props),
    connectionTimeout: num(props, 'socket.connection.setup.timeout.ms', 3000),
    requestTimeout: num(props, 'request.timeout.ms', 30000),
    retry: { retries, initialRetryTime: num(props, 'retry.backoff.ms', 300), maxRetryTime: 10_000 },
    isolationLevel: isolation === 'read_committed' ? 1 : 0,
  };
  return {
    what,
    topics,
    topicPattern,
    groupId,
    client,
    properties: props,
    value,
    key,
    exceptKey,
    startupMode,
    startupTimestamp,
    startupSpecific,
    boundedMode,
    boundedTimestamp,
    boundedSpecific,
    discoveryIntervalMs: parseDuration(get('scan.topic-partition-discovery.interval') ?? '0') ?? 0,
    autoOffsetReset: reset as KafkaConfig['autoOffsetReset'],
    isolationLevel: client.isolationLevel!,
    maxPartitionFetchBytes: num(props, 'max.partition.fetch.bytes', 1024 * 1024),
    fetchMaxBytes: num(props, 'fetch.max.bytes', 50 * 1024 * 1024),
    fetchMaxWaitMs: num(props, 'fetch.max.wait.ms', 500),
    partitioner,
    deliveryGuarantee,
    transactionalIdPrefix,
    transactionTimeoutMs: num(props, 'transaction.timeout.ms', 900_000),
    idempotence,
    acks,
  };
}

/**
 * The producer's enable.idempotence and acks, as Kafka's client (3.x, which Flink's KafkaSink uses)
 * settles them: idempotent with acks=all by default; a conflicting acks or retries = 0 turns the
 * default idempotence off, but is an error where idempotence is asked for (enable.idempotence =
 * true, or a transactional producer: exactly-once).
 */
function producerGuarantees(what: string, props: Record<string, string>, guarantee: KafkaConfig['deliveryGuarantee'], retries: number): { idempotence: boolean; acks: KafkaConfig['acks'] } {
  const idemText = props['enable.idempotence'];
  if (idemText !== undefined && idemText !== 'true' && idemText !== 'false') {
    throw new ValidationError(`${what}: invalid value '${idemText}' for option 'properties.enable.idempotence': expected 'true' or 'false'`);
  }
  const acksText = props['acks'];
  let acks: KafkaConfig['acks'] = -1;
  if (acksText !== undefined) {
    const a = acksText.trim().toLowerCase();
    if (a === 'all' || a === '-1') acks = -1;
    else if (a === '1' || a === '0') acks = Number(a) as 0 | 1;
    else throw new ValidationError(`${what}: invalid value '${acksText}' for option 'properties.acks': expected 'all', '-1', '1' or '0'`);
  }
  if (guarantee === 'exactly-once') {
    if (idemText === 'false') throw new ValidationError(`${what}: sink.delivery-guarantee 'exactly-once' writes Kafka transactions, which need an idempotent producer: remove 'properties.enable.idempotence' = 'false'`);
    if (acks !== -1) throw new ValidationError(`${what}: sink.delivery-guarantee 'exactly-once' needs 'properties.acks' = 'all' (a transactional producer is idempotent), not '${acksText}'`);
    if (retries < 1) throw new ValidationError(`${what}: sink.delivery-guarantee 'exactly-once' needs 'properties.retries' above 0 (a transactional producer is idempotent)`);
    return { idempotence: true, acks };
  }
  if (idemText === 'true') {
    if (acks !== -1) throw new ValidationError(`${what}: 'properties.enable.idempotence' = 'true' needs 'properties.acks' = 'all', not '${acksText}': the idempotent producer cannot be guaranteed otherwise`);
    if (retries < 1) throw new ValidationError(`${what}: 'properties.enable.idempotence' = 'true' needs 'properties.retries' above 0`);
    return { idempotence: true, acks };
  }
  return { idempotence: idemText === undefined && acks === -1 && retries >= 1, acks };
}
