// Options of the 'jdbc' connector, with the names of Flink's JDBC SQL connector, and their reading
// into a config. The password is read here and never appears in a message (nor does the URL's
// query string, which may carry one).
import { ValidationError } from '../../common/errors.js';
import { getOption, parseDuration, type OptionSpec } from '../../common/options.js';
import type { ConnectorIdentity, TableDescriptor } from '../../common/connector.js';
import { formatPath } from '../../common/connector.js';

export const JDBC_OPTIONS: readonly OptionSpec[] = [
  { key: 'url', type: 'string', required: true, description: "JDBC URL of the database: 'jdbc:postgresql://host:port/db', 'jdbc:mysql://host:port/db' or 'jdbc:mariadb://host:port/db'" },
  { key: 'table-name', type: 'string', required: true, description: "Name of the table in the database ('orders' or 'schema.orders')" },
  { key: 'username', type: 'string', description: 'User name of the database login' },
  { key: 'password', type: 'string', secret: true, description: 'Password of the database login' },
  { key: 'driver', type: 'string', description: "Accepted for compatibility with Flink and ignored: the driver follows from the URL's scheme" },
  { key: 'connection.max-retry-timeout', type: 'duration', default: '60s', description: 'How long connecting is retried' },
  { key: 'scan.partition.column', type: 'string', description: 'Numeric column that splits the scan into scan.partition.num ranges' },
  { key: 'scan.partition.num', type: 'int', description: 'Number of partitions (ranges of scan.partition.column) of the scan' },
  { key: 'scan.partition.lower-bound', type: 'string', description: 'Smallest value of the first partition' },
  { key: 'scan.partition.upper-bound', type: 'string', description: 'Largest value of the last partition' },
  { key: 'scan.fetch-size', type: 'int', default: '0', description: 'Rows fetched from the database per round trip while scanning (0: 1000)' },
  { key: 'scan.auto-commit', type: 'boolean', default: 'true', description: 'Accepted for compatibility with Flink (scans read inside one read-only transaction per partition)' },
  { key: 'lookup.cache', type: 'enum', values: ['NONE', 'PARTIAL'], default: 'NONE', description: 'Cache of looked-up keys: NONE or PARTIAL (the keys looked up recently)' },
  { key: 'lookup.partial-cache.max-rows', type: 'int', description: 'Most keys the PARTIAL cache holds (least recently used go first)' },
  { key: 'lookup.partial-cache.expire-after-write', type: 'duration', description: 'A cached key is looked up again this long after it was read' },
  { key: 'lookup.partial-cache.expire-after-access', type: 'duration', description: 'A cached key is dropped when not used for this long' },
  { key: 'lookup.partial-cache.cache-missing-key', type: 'boolean', default: 'true', description: 'Whether a key without rows is cached too', aliases: ['lookup.cache.caching-missing-key'] },
  { key: 'lookup.cache.max-rows', type: 'int', description: 'Deprecated (Flink < 1.16): the PARTIAL cache with this many keys (with lookup.cache.ttl)' },
  { key: 'lookup.cache.ttl', type: 'duration', description: 'Deprecated (Flink < 1.16): expire-after-write of the PARTIAL cache' },
  { key: 'lookup.max-retries', type: 'int', default: '3', description: 'Retries of a failed lookup query (after reconnecting)' },
  { key: 'sink.buffer-flush.max-rows', type: 'int', default: '100', description: 'Buffered rows that trigger a write to the database (0: no limit)' },
  { key: 'sink.buffer-flush.interval', type: 'duration', default: '1s', description: 'Buffered rows are written at least this often (0: only by count and at checkpoints)' },
  { key: 'sink.max-retries', type: 'int', default: '3', description: 'Retries of a failed write (after reconnecting)' },
  { key: 'sink.parallelism', type: 'int', description: 'Accepted for compatibility with Flink (one writer)' },
];

export type Dialect = 'postgres' | 'mysql';

export interface JdbcConfig {
  /** For messages: "jdbc table 'cat.db.t' (PostgreSQL table orders at 127.0.0.1:5432/db)". */
  what: string;
  dialect: Dialect;
  host: string;
  port: number;
  database: string;
  /** URL query parameters other than user/password (e.g. sslmode), for the driver. */
  params: Record<string, string>;
  user?: string;
  password?: string;
  /** table-name split at '.' (schema.table). */
  table: string[];
  tableName: string;
  connectTimeoutMs: number;
  partition?: { column: string; num: number; lower: bigint; upper: bigint };
  fetchSize: number;
  lookupCache?: { maxRows: number; expireAfterWriteMs: number; expireAfterAccessMs: number; cacheMissing: boolean };
  lookupMaxRetries: number;
  flushMaxRows: number;
  flushIntervalMs: number;
  sinkMaxRetries: number;
}

/** Parses a JDBC URL into host, port, database and parameters (the query string is never printed). */
export function parseJdbcUrl(url: string, where: string): { dialect: Dialect; host: string; port: number; database: string; params: Record<string, string> } {
  const m = /^jdbc:(postgresql|mysql|mariadb):\/\/([^/:?]+|\[[^\]]+\])(?::(\d+))?(?:\/([^?]*))?(?:\?(.*))?$/i.exec(url.trim());
  if (!m) {
    const scheme = /^jdbc:([a-z0-9]+):/i.exec(url.trim())?.[1];
    throw new ValidationError(
      scheme
        ? `The 'url' of ${where} is for '${scheme}': tsstream's jdbc connector speaks PostgreSQL (jdbc:postgresql://host:port/db) and MySQL/MariaDB (jdbc:mysql://… or jdbc:mariadb://…)`
        : `The 'url' of ${where} is not a JDBC URL: expected 'jdbc:postgresql://host:port/db', 'jdbc:mysql://host:port/db' or 'jdbc:mariadb://host:port/db'`,
    );
  }
  const dialect: Dialect = m[1].toLowerCase() === 'postgresql' ? 'postgres' : 'mysql';
  const params: Record<string, string> = {};
  for (const kv of (m[5] ?? '').split('&')) {
    if (!kv) continue;
    const i = kv.indexOf('=');
    params[decodeURIComponent(i < 0 ? kv : kv.slice(0, i))] = i < 0 ? '' : decodeURIComponent(kv.slice(i + 1));
  }
  return {
    dialect,
    host: m[2].replace(/^\[|\]$/g, ''),
    port: m[3] ? Number(m[3]) : dialect === 'postgres' ? 5432 : 3306,
    database: decodeURIComponent(m[4] ?? ''),
    params,
  };
}

function intOpt(o: Record<string, string>, key: string): number | undefined {
  const v = getOption(o, JDBC_OPTIONS, key);
  return v === undefined ? undefined : Number(v.trim());
}

function durOpt(o: Record<string, string>, key: string): number | undefined {
  const v = getOption(o, JDBC_OPTIONS, key);
  return v === undefined ? undefined : parseDuration(v);
}

export function readJdbcConfig(table: TableDescriptor): JdbcConfig {
  const o = table.options;
  const name = formatPath(table.path);
  const where = `jdbc table '${name}'`;
  const url = parseJdbcUrl(o['url'] ?? '', where);
  const tableName = o['table-name'] ?? '';
  if (!tableName.trim()) throw new ValidationError(`Missing required option 'table-name' for ${where}`);
  const { user: urlUser, password: urlPassword, ...params } = url.params;
  const cfg: JdbcConfig = {
    what: `jdbc table '${name}' (${url.dialect === 'postgres' ? 'PostgreSQL' : 'MySQL'} table ${tableName} at ${url.host}:${url.port}/${url.database})`,
    dialect: url.dialect,
    host: url.host,
    port: url.port,
    database: url.database,
    params,
    user: o['username'] ?? urlUser,
    password: o['password'] ?? urlPassword,
    table: tableName.split('.'),
    tableName,
    connectTimeoutMs: durOpt(o, 'connection.max-retry-timeout') ?? 60_000,
    fetchSize: intOpt(o, 'scan.fetch-size') || 1000,
    lookupMaxRetries: intOpt(o, 'lookup.max-retries') ?? 3,
    flushMaxRows: intOpt(o, 'sink.buffer-flush.max-rows') ?? 100,
    flushIntervalMs: durOpt(o, 'sink.buffer-flush.interval') ?? 1000,
    sinkMaxRetries: intOpt(o, 'sink.max-retries') ?? 3,
  };
  // Partitioned scan: all four options or none (Flink's rule).
  const pkeys = ['scan.partition.column', 'scan.partition.num', 'scan.partition.lower-bound', 'scan.partition.upper-bound'];
  const given = pkeys.filter((k) => o[k] !== undefined);
  if (given.length > 0 && given.length < pkeys.length) {
    throw new ValidationError(`${where}: the options ${pkeys.map((k) => `'${k}'`).join(', ')} must all be set for a partitioned scan, or none (missing ${pkeys.filter((k) => o[k] === undefined).map((k) => `'${k}'`).join(', ')})`);
  }
  if (given.length) {
    const column = o['scan.partition.column'];
    if (!table.physical.some((f) => f.name === column)) throw new ValidationError(`${where}: scan.partition.column '${column}' is not a column of the table`);
    const bound = (k: string) => {
      const t = o[k].trim();
      if (!/^-?\d+$/.test(t)) throw new ValidationError(`${where}: '${k}' must be an integer, not '${t}'`);
      return BigInt(t);
    };
    const num = intOpt(o, 'scan.partition.num')!;
    const lower = bound('scan.partition.lower-bound');
    const upper = bound('scan.partition.upper-bound');
    if (num < 1) throw new ValidationError(`${where}: 'scan.partition.num' must be at least 1`);
    if (lower > upper) throw new ValidationError(`${where}: 'scan.partition.lower-bound' (${lower}) is above 'scan.partition.upper-bound' (${upper})`);
    cfg.partition = { column, num, lower, upper };
  }
  const legacyRows = intOpt(o, 'lookup.cache.max-rows');
  const cacheMode = getOption(o, JDBC_OPTIONS, 'lookup.cache');
  const cacheMissing = /^true$/i.test(getOption(o, JDBC_OPTIONS, 'lookup.partial-cache.cache-missing-key') ?? 'true');
  if (cacheMode === 'PARTIAL') {
    const maxRows = intOpt(o, 'lookup.partial-cache.max-rows');
    const write = durOpt(o, 'lookup.partial-cache.expire-after-write');
    const access = durOpt(o, 'lookup.partial-cache.expire-after-access');
    if (maxRows === undefined && write === undefined && access === undefined) {
      throw new ValidationError(`${where}: 'lookup.cache' = 'PARTIAL' needs at least one of 'lookup.partial-cache.max-rows', 'lookup.partial-cache.expire-after-write', 'lookup.partial-cache.expire-after-access'`);
    }
    cfg.lookupCache = { maxRows: maxRows ?? Infinity, expireAfterWriteMs: write ?? Infinity, expireAfterAccessMs: access ?? Infinity, cacheMissing };
  } else if (legacyRows !== undefined && legacyRows > 0) {
    cfg.lookupCache = { maxRows: legacyRows, expireAfterWriteMs: durOpt(o, 'lookup.cache.ttl') ?? Infinity, expireAfterAccessMs: Infinity, cacheMissing };
  }
  if (table.primaryKey) {
    for (const k of table.primaryKey) if (!table.physical.some((f) => f.name === k)) throw new ValidationError(`${where}: PRIMARY KEY column '${k}' is not a physical column`);
  }
  return cfg;
}

export function jdbcIdentity(cfg: JdbcConfig): ConnectorIdentity {
  return {
    what: `${cfg.dialect === 'postgres' ? 'PostgreSQL' : 'MySQL'} table ${cfg.tableName} at ${cfg.host}:${cfg.port}/${cfg.database}`,
    keys: { dialect: cfg.dialect, host: cfg.host, port: String(cfg.port), database: cfg.database, table: cfg.tableName },
  };
}
