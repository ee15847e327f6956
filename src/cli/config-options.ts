// The session configuration keys tsstream reads, as Flink names them: a description, the default
// (what `SET;` shows when the key is not set), and the accepted values, checked at SET time so
// that a typo fails there rather than at the job's start (or never).
import { parseDuration } from '../common/options.js';
import { PORTS_ACCEPTED, parsePorts } from './observe/ports.js';

export interface ConfigOption {
  description: string;
  /** The effective value when the key is not set (undefined: off / not used). */
  default?: string;
  /** The accepted forms, for the error message. */
  accepted?: string;
  /** Whether a value is accepted (undefined: any value). */
  check?: (value: string) => boolean;
  /** A refusal with its own explanation for a value Flink knows but tsstream does not support. */
  refuse?: (value: string) => string | undefined;
}

const duration = (v: string) => parseDuration(v) !== undefined;
const DURATION = "a duration such as '10 s', '10s', '500 ms', '1 min', '2 h' (a number alone is milliseconds)";
const oneOf = (...values: string[]) => (v: string) => values.includes(v.trim().toLowerCase());
const quoted = (...values: string[]) => values.map((v) => `'${v}'`).join(', ');
const BOOLEAN = { accepted: quoted('true', 'false'), check: oneOf('true', 'false') };
const RESTART_STRATEGIES = ['none', 'off', 'disable', 'fixed-delay', 'fixeddelay', 'exponential-delay', 'exponentialdelay'] as const;
const positiveInt = (v: string) => /^\s*\d+\s*$/.test(v) && Number(v) > 0;

function validTimeZone(v: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v.trim() });
    return true;
  } catch {
    return false;
  }
}

export const CONFIG_OPTIONS: Record<string, ConfigOption> = {
  'execution.runtime-mode': { description: 'streaming | batch', default: 'streaming', accepted: quoted('streaming', 'batch'), check: oneOf('streaming', 'batch') },
  'execution.checkpointing.interval': { description: 'checkpoint every (e.g. 10s); unset = no checkpoints', accepted: DURATION, check: duration },
  'execution.checkpointing.dir': { description: 'where checkpoints are written (local path or s3://)' },
  'execution.checkpointing.mode': { description: 'EXACTLY_ONCE (the only mode)', default: 'EXACTLY_ONCE', accepted: quoted('EXACTLY_ONCE'), check: oneOf('exactly_once') },
  'execution.checkpointing.savepoint-dir': { description: 'alias of state.savepoints.dir' },
  'state.checkpoints.dir': { description: 'alias of execution.checkpointing.dir' },
  'execution.checkpointing.incremental': { description: "checkpoints of large window state (65 536 open groups or more) write only the groups changed since the previous checkpoint, with a whole checkpoint at least every 9th checkpoint or once the deltas' bytes reach it; 'false': every checkpoint whole (savepoints always are)", default: 'true', ...BOOLEAN },
  'state.backend.incremental': { description: 'alias of execution.checkpointing.incremental', ...BOOLEAN },
  'state.checkpoints.num-retained': { description: 'how many completed checkpoints to keep', default: '1', accepted: 'a whole number ≥ 1', check: positiveInt },
  'state.savepoints.dir': { description: 'default directory of savepoints (STOP JOB … WITH SAVEPOINT, tsstream jobs stop)' },
  'execution.savepoint.path': { description: 'resume the next INSERT from this savepoint or checkpoint' },
  'table.exec.source.idle-timeout': { description: 'a source split without data for this long stops holding the watermark back', default: '0 ms', accepted: DURATION, check: duration },
  'table.exec.sink.not-null-enforcer': { description: "a NULL written into a NOT NULL column of a sink (or a query's result): ERROR fails the job naming the column, DROP drops the row", default: 'ERROR', accepted: quoted('ERROR', 'DROP'), check: oneOf('error', 'drop') },
  'table.optimizer.reuse-source-enabled': {
    description: "scans of the same table with the same options in one job (a self-join, views over one table, the INSERTs of a statement set) read it once and feed every reader (EXPLAIN: reuse_id / Reused); 'false' reads it once per scan, as a checkpoint taken before scans were shared needs",
    default: 'true',
    ...BOOLEAN,
  },
  'table.optimizer.reuse-sub-plan-enabled': {
    description: "equal sub-plans of one job over the same (shared) scans, e.g. the same aggregation read by both sides of a join, are computed once and feed every reader (EXPLAIN: reuse_id / Reused); 'false' computes each on its own",
    default: 'true',
    ...BOOLEAN,
  },
  'table.exec.columnar.enabled': { description: 'sources that can (JSON files) read records straight into columnar batches, and TUMBLE/HOP/CUMULATE aggregations with COUNT/SUM/AVG/MIN/MAX keep their state as columns and read those batches', default: 'true', ...BOOLEAN },
  'table.exec.mini-batch.enabled': { description: 'GROUP BY aggregations (not windowed) emit the net change of each group once per mini-batch instead of a -U/+U pair per row; needs allow-latency and size', default: 'false', ...BOOLEAN },
  'table.exec.mini-batch.allow-latency': { description: 'with mini-batch: a mini-batch ends this long after its first row at the latest (also on a watermark and at the end of input)', default: '0 ms', accepted: DURATION, check: duration },
  'table.exec.mini-batch.size': { description: 'with mini-batch: a mini-batch ends after this many rows into the operator', default: '-1', accepted: 'a whole number ≥ 1', check: positiveInt },
  'table.exec.state.ttl': { description: 'streaming join, GROUP BY and deduplication state idle this long is dropped (0: kept)', default: '0 ms', accepted: DURATION, check: duration },
  'pipeline.auto-watermark-interval': { description: 'how often watermarks are emitted', default: '200 ms', accepted: DURATION, check: duration },
  'pipeline.name': { description: 'the job name' },
  'table.local-time-zone': { description: 'zone for TIMESTAMP_LTZ conversions', default: 'UTC', accepted: "an IANA zone id such as 'UTC', 'Europe/Berlin', 'America/New_York'", check: validTimeZone },
  'table.dml-sync': { description: 'wait for INSERT jobs to finish', default: 'false', ...BOOLEAN },
  'sql-client.execution.result-mode': {
    description:
      "tableau: rows printed as they come (a streaming result with the op column); table: Flink's full-screen materialized view of the result, refreshed and paged; changelog: Flink's full-screen view of the changes. table and changelog need the interactive shell",
    default: 'tableau',
    accepted: quoted('tableau', 'table', 'changelog'),
    check: oneOf('tableau', 'table', 'changelog'),
  },
  'sql-client.execution.max-table-result.rows': {
    description: "rows kept by the 'table' result mode (beyond it the oldest rows are dropped)",
    default: '1000000',
    accepted: 'a whole number ≥ 1',
    check: positiveInt,
  },
  'sql-client.display.max-column-width': { description: 'widest column of query results (wider values are cut with ...)', default: '30', accepted: 'a whole number ≥ 4', check: (v) => positiveInt(v) && Number(v) > 3 },
  'sql-client.verbose': { description: 'print stack traces with errors', default: 'false', ...BOOLEAN },
  'restart-strategy': { description: 'none | fixed-delay | exponential-delay (unset: exponential-delay with checkpointing on, else none)', accepted: quoted(...RESTART_STRATEGIES), check: oneOf(...RESTART_STRATEGIES) },
  'restart-strategy.type': { description: 'alias of restart-strategy', accepted: quoted(...RESTART_STRATEGIES), check: oneOf(...RESTART_STRATEGIES) },
  'restart-strategy.fixed-delay.attempts': { description: 'restart attempts', default: '3', accepted: 'a whole number ≥ 1', check: positiveInt },
  'restart-strategy.fixed-delay.delay': { description: 'delay between restarts', default: '1 s', accepted: DURATION, check: duration },
  'restart-strategy.exponential-delay.initial-backoff': { description: 'delay before the first restart', default: '1 s', accepted: DURATION, check: duration },
  'restart-strategy.exponential-delay.max-backoff': { description: 'longest delay between restarts', default: '1 min', accepted: DURATION, check: duration },
  'restart-strategy.exponential-delay.backoff-multiplier': { description: 'factor each delay grows by', default: '1.5', accepted: 'a number ≥ 1', check: (v) => Number.isFinite(Number(v)) && Number(v) >= 1 },
  'restart-strategy.exponential-delay.jitter-factor': { description: 'random part of each delay, as a fraction of it', default: '0.1', accepted: 'a number from 0 to 1', check: (v) => v.trim() !== '' && Number(v) >= 0 && Number(v) <= 1 },
  'restart-strategy.exponential-delay.reset-backoff-threshold': { description: 'how long a job runs without failing before the delays start over', default: '1 h', accepted: DURATION, check: duration },
  'restart-strategy.exponential-delay.attempts-before-reset-backoff': { description: 'restart attempts (unset: no limit)', accepted: 'a whole number ≥ 1', check: positiveInt },
  // S3 client settings for s3:// checkpoint and savepoint locations and filesystem tables (an
  // Iceberg catalog takes its own from its WITH options).
  's3.endpoint': { description: 'S3 endpoint for s3:// checkpoints, savepoints and filesystem paths (e.g. MinIO); unset = AWS' },
  's3.path-style-access': { description: 'path-style S3 URLs for s3:// checkpoints, savepoints and filesystem paths', default: 'false', ...BOOLEAN },
  's3.access-key-id': { description: 'S3 access key id for s3:// checkpoints, savepoints and filesystem paths; unset = the AWS default chain' },
  's3.secret-access-key': { description: 'S3 secret key for s3:// checkpoints, savepoints and filesystem paths (never printed)' },
  's3.session-token': { description: 'S3 session token for s3:// checkpoints, savepoints and filesystem paths (never printed)' },
  's3.region': { description: 'alias of client.region' },
  's3.max-attempts': { description: 'attempts per S3 request for s3:// checkpoints, savepoints and filesystem paths', default: '5', accepted: 'a whole number ≥ 1', check: positiveInt },
  'client.region': { description: 'S3 region for s3:// checkpoints, savepoints and filesystem paths (unset: AWS_REGION, else us-east-1)' },
  'metrics.reporter.prom.factory.class': {
    description: "Flink's Prometheus reporter: serves /metrics (Flink's metric names) while jobs run",
    accepted: quoted('org.apache.flink.metrics.prometheus.PrometheusReporterFactory'),
    check: (v) => v.trim() === 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
  },
  'metrics.reporter.prom.port': { description: 'port (or range) of the Prometheus endpoint', default: '9249', accepted: PORTS_ACCEPTED, check: (v) => parsePorts(v) !== undefined },
  'metrics.reporter.prom.host': { description: 'address the Prometheus endpoint listens on', default: '127.0.0.1' },
  'rest.port': { description: 'port (or range) of the web dashboard and job control endpoint (unset: a free port)', accepted: PORTS_ACCEPTED, check: (v) => parsePorts(v) !== undefined },
  'rest.bind-address': { description: 'address the web dashboard listens on', default: '127.0.0.1' },
  'rest.address': { description: 'host name the dashboard URLs use (default: the bind address)' },
  'parallelism.default': {
    description: 'worker threads a job is split across, as Flink runs parallel subtasks (only plans that can be split yet: EXPLAIN says; the others run at 1; -1 means 1)',
    default: '1',
    accepted: 'a whole number ≥ 1 (or -1)',
    check: (v) => positiveInt(v) || v.trim() === '-1',
  },
  'table.exec.resource.default-parallelism': {
    description: "the parallelism of the SQL jobs of the session, over 'parallelism.default' when > 0",
    default: '-1',
    accepted: 'a whole number ≥ 1, or -1 (use parallelism.default)',
    check: (v) => positiveInt(v) || v.trim() === '-1',
  },
};

/** Description by key (what SET's unknown-key warning suggests from, and what completion offers). */
export const KNOWN_CONFIG: Record<string, string> = Object.fromEntries(Object.entries(CONFIG_OPTIONS).map(([k, o]) => [k, o.description]));

/** Why a value cannot be SET for a known key, or undefined when it can. */
export function checkConfigValue(key: string, value: string): string | undefined {
  const o = CONFIG_OPTIONS[key];
  if (!o) return undefined;
  const refused = o.refuse?.(value);
  if (refused) return `Invalid value '${value}' for '${key}': ${refused}`;
  if (o.check && !o.check(value)) return `Invalid value '${value}' for '${key}': expected ${o.accepted ?? 'another value'}`;
  return undefined;
}

/** The effective configuration: every key set in the session, and the defaults of the others. */
export function effectiveConfig(config: ReadonlyMap<string, string>): [string, string][] {
  const all = new Map<string, string>();
  for (const [k, o] of Object.entries(CONFIG_OPTIONS)) if (o.default !== undefined) all.set(k, o.default);
  for (const [k, v] of config) all.set(k, v);
  return [...all.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** `sql-client.execution.result-mode`, lower-cased ('tableau' when unset). */
export function resultMode(config: ReadonlyMap<string, string>): 'tableau' | 'table' | 'changelog' {
  const m = (config.get('sql-client.execution.result-mode') ?? 'tableau').trim().toLowerCase();
  return m === 'table' || m === 'changelog' ? m : 'tableau';
}

/** Flink's refusal of a query in a full-screen result mode where there is no terminal (sql-client -f). */
export const NON_INTERACTIVE_RESULT_MODE =
  "In non-interactive mode, it only supports to use TABLEAU as value of sql-client.execution.result-mode when execute query. Please add 'SET sql-client.execution.result-mode=TABLEAU;' in the sql file. ('table' and 'changelog' are the full-screen views of the interactive shell, `tsstream sql` in a terminal.)";
