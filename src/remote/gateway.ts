// A client of Flink's SQL Gateway REST API (v3: results as JSON with row kinds) and of the
// JobManager's REST API (jobs, their state, cancel, stop-with-savepoint). This is how tsstream
// hands a job to a Flink cluster: the same SQL text, Flink's engine. Errors carry Flink's root
// cause (the innermost "Caused by"), never the Java stack trace; secret option values are masked.
import { LosslessNumber, parse } from 'lossless-json';
import { TsstreamError } from '../common/errors.js';
import { isSecretKey } from '../common/options.js';
import { MAX_LENGTH, type Field, type LogicalType, type RowKind } from '../common/types.js';

/** Flink refused a statement, a job failed, or the gateway could not be reached. */
export class FlinkError extends TsstreamError {
  constructor(
    /** Flink's innermost message (secrets masked). */
    readonly rootCause: string,
    /** The statement concerned, if any (secrets masked). */
    readonly statement?: string,
  ) {
    super('FLINK', statement ? `Flink rejected: ${oneLine(statement)}\n${rootCause}` : rootCause);
  }
}

function oneLine(s: string, max = 100): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** Replaces the values of secret options (`'password' = '…'`, `"token"="…"`) in SQL or in Flink's messages. */
export function maskSecretsInText(text: string): string {
  return text.replace(/(['"])([^'"\n]+)\1(\s*=\s*)'((?:[^']|'')*)'/g, (m, q: string, key: string, eq: string) => (isSecretKey(key) ? `${q}${key}${q}${eq}'******'` : m));
}

/** Flink's innermost "Caused by" message of a Java stack trace text (or its first line). */
export function rootCauseOf(trace: string): string {
  const lines = trace.split('\n');
  let cause: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    // A cause without a message (Caused by: java.lang.NullPointerException) counts too.
    const m = /^(?:Caused by: )?([\w.$]+(?:Exception|Error))(?:: (.*))?$/.exec(lines[i].trim());
    if (!m) continue;
    let msg = m[2] ?? '';
    // The message may go on over the next lines, until the stack frames begin.
    for (let j = i + 1; m[2] !== undefined && j < lines.length && !/^\s*at |^\s*\.\.\. \d+ more|^Caused by:/.test(lines[j]); j++) msg += '\n' + lines[j];
    cause = msg.trim() ? `${m[1].split('.').pop()}: ${msg.trim()}` : m[1].split('.').pop();
  }
  const first = lines.find((l) => l.trim() !== '' && !/^Internal server error\.?$/.test(l.trim()))?.trim();
  return maskSecretsInText(cause ?? first ?? trace);
}

/** Flink's JSON form of a logical type (LogicalTypeJsonSerializer). */
export interface FlinkLogicalType {
  type: string;
  nullable: boolean;
  precision?: number;
  scale?: number;
  length?: number;
  elementType?: FlinkLogicalType;
  keyType?: FlinkLogicalType;
  valueType?: FlinkLogicalType;
  fields?: { name: string; fieldType: FlinkLogicalType }[];
}

/** Flink's type as tsstream's LogicalType (what the printers and the test runner take). */
export function fromFlinkType(t: FlinkLogicalType): LogicalType {
  const nullable = t.nullable !== false;
  switch (t.type) {
    case 'BOOLEAN':
    case 'TINYINT':
    case 'SMALLINT':
    case 'BIGINT':
    case 'FLOAT':
    case 'DOUBLE':
    case 'DATE':
      return { kind: t.type, nullable } as LogicalType;
    case 'INTEGER':
      return { kind: 'INT', nullable };
    case 'DECIMAL':
      return { kind: 'DECIMAL', precision: t.precision ?? 10, scale: t.scale ?? 0, nullable };
    case 'CHAR':
    case 'VARCHAR':
    case 'BINARY':
    case 'VARBINARY':
      return { kind: t.type, length: t.length ?? MAX_LENGTH, nullable };
    case 'TIME_WITHOUT_TIME_ZONE':
      return { kind: 'TIME', precision: t.precision ?? 0, nullable };
    case 'TIMESTAMP_WITHOUT_TIME_ZONE':
      return { kind: 'TIMESTAMP', precision: t.precision ?? 6, nullable };
    case 'TIMESTAMP_WITH_LOCAL_TIME_ZONE':
    case 'TIMESTAMP_WITH_TIME_ZONE':
      return { kind: 'TIMESTAMP_LTZ', precision: t.precision ?? 6, nullable };
    case 'INTERVAL_DAY_TIME':
      return { kind: 'INTERVAL_DAY_TIME', nullable };
    case 'INTERVAL_YEAR_MONTH':
      return { kind: 'INTERVAL_YEAR_MONTH', nullable };
    case 'ARRAY':
    case 'MULTISET':
      return { kind: 'ARRAY', element: fromFlinkType(t.elementType!), nullable };
    case 'MAP':
      return { kind: 'MAP', key: fromFlinkType(t.keyType!), value: fromFlinkType(t.valueType!), nullable };
    case 'ROW':
      return { kind: 'ROW', fields: (t.fields ?? []).map((f) => ({ name: f.name, type: fromFlinkType(f.fieldType) })), nullable };
    case 'NULL':
      return { kind: 'NULL', nullable: true };
    default:
      return { kind: 'VARCHAR', length: MAX_LENGTH, nullable };
  }
}

/** A decimal's plain text with exactly `scale` fraction digits (the JSON may drop zeros or use 1E+3). */
export function decimalText(text: string, scale: number): string {
  let s = text.trim();
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  let exp = 0;
  const e = /[eE]/.exec(s);
  if (e) {
    exp = Number(s.slice(e.index + 1));
    s = s.slice(0, e.index);
  }
  const [int0, frac0 = ''] = s.split('.');
  let digits = int0 + frac0;
  let point = int0.length + exp;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  let frac = digits.slice(point);
  frac = frac.length >= scale ? frac.slice(0, scale) : frac + '0'.repeat(scale - frac.length);
  const out = scale > 0 ? `${int}.${frac}` : int;
  return neg && /[1-9]/.test(out) ? `-${out}` : out;
}

/** A JSON field as Flink's CAST(… AS STRING) prints it (what sql-client's tableau shows). */
export function flinkText(v: unknown, t: FlinkLogicalType, top = true): string | null {
  if (v === null || v === undefined) return top ? null : 'NULL';
  const raw = v instanceof LosslessNumber ? v.value : v;
  switch (t.type) {
    case 'BOOLEAN':
      return raw === true || raw === 'true' ? 'TRUE' : 'FALSE';
    case 'DECIMAL':
      return decimalText(String(raw), t.scale ?? 0);
    case 'TIME_WITHOUT_TIME_ZONE':
    case 'TIMESTAMP_WITHOUT_TIME_ZONE':
    case 'TIMESTAMP_WITH_LOCAL_TIME_ZONE': {
      const s = String(raw).replace('T', ' ').replace(/Z$/, '');
      const p = t.precision ?? (t.type === 'TIME_WITHOUT_TIME_ZONE' ? 0 : 6);
      const m = /^([^.]*)(?:\.(\d*))?$/.exec(s);
      if (!m) return s;
      const frac = (m[2] ?? '').padEnd(p, '0').slice(0, Math.max(p, (m[2] ?? '').length));
      const hm = t.type === 'TIME_WITHOUT_TIME_ZONE' ? /^\d\d:\d\d$/ : /^.{10} \d\d:\d\d$/;
      const whole = hm.test(m[1]) ? `${m[1]}:00` : m[1];
      return frac ? `${whole}.${frac}` : whole;
    }
    case 'BINARY':
    case 'VARBINARY':
      return Buffer.from(String(raw), 'base64').toString('utf8');
    case 'ARRAY':
    case 'MULTISET':
      return `[${(raw as unknown[]).map((x) => flinkText(x, t.elementType!, false)).join(', ')}]`;
    case 'MAP': {
      const entries: [unknown, unknown][] = Array.isArray(raw) ? (raw as { key: unknown; value: unknown }[]).map((e) => [e.key, e.value]) : Object.entries(raw as Record<string, unknown>);
      return `{${entries.map(([k, x]) => `${flinkText(k, t.keyType!, false)}=${flinkText(x, t.valueType!, false)}`).join(', ')}}`;
    }
    case 'ROW': {
      const fs = t.fields ?? [];
      const vals = Array.isArray(raw) ? raw : fs.map((f) => (raw as Record<string, unknown>)[f.name]);
      return `(${fs.map((f, i) => flinkText(vals[i], f.fieldType, false)).join(', ')})`;
    }
    default:
      return typeof raw === 'string' ? raw : String(raw);
  }
}

/** The type's JSON with plain numbers (lengths, precisions) instead of lossless ones. */
export function plainNumbers(v: unknown): unknown {
  if (v instanceof LosslessNumber) return Number(v.value);
  if (Array.isArray(v)) return v.map(plainNumbers);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainNumbers(x)]));
  return v;
}

/** A result column: its name, Flink's type and the same type in tsstream's terms. */
export interface RemoteColumn extends Field {
  flinkType: FlinkLogicalType;
}

/** A result row: its change kind and each field as Flink prints it (null for NULL). */
export interface RemoteRow {
  kind: RowKind;
  cells: (string | null)[];
}

/** What a statement's first result page says about it. */
export interface StatementHead {
  /** SUCCESS (DDL, SET, …) or SUCCESS_WITH_CONTENT (queries, SHOW, INSERT's job id). */
  resultKind: string;
  /** Set for an INSERT (or statement set) and for a query: the job Flink started. */
  jobId?: string;
  columns: RemoteColumn[];
  /** An INSERT's answer is its job id: there are no result rows to follow. */
  isQuery: boolean;
}

const ROW_KINDS: Record<string, RowKind> = { INSERT: '+I', UPDATE_BEFORE: '-U', UPDATE_AFTER: '+U', DELETE: '-D' };

interface ResultPage {
  resultType: 'NOT_READY' | 'PAYLOAD' | 'EOS';
  resultKind?: string;
  jobID?: string;
  isQueryResult?: boolean;
  results?: { columns?: { name: string; logicalType: unknown }[]; data?: { kind: string; fields: unknown[] }[] };
  nextResultUri?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Reply {
  status: number;
  json: unknown;
  text: string;
}

/** One HTTP call to a Flink REST endpoint; a connection failure is a FlinkError naming the URL. */
async function call(base: string, method: string, p: string, body?: unknown, timeoutMs = 60_000): Promise<Reply> {
  let r: Response;
  try {
    r = await fetch(base.replace(/\/+$/, '') + p, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new FlinkError(`Cannot reach Flink at ${base}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  const text = await r.text();
  let json: unknown;
  try {
    json = parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text };
}

/** Flink's error answer as its root cause: `{"errors": ["Internal server error.", "<trace>"]}`. */
function errorOf(reply: Reply): string {
  const errs = (reply.json as { errors?: unknown[] } | undefined)?.errors;
  const text = Array.isArray(errs) ? errs.map(String).join('\n') : reply.text;
  return rootCauseOf(text || `HTTP ${reply.status}`);
}

/** A session on a SQL Gateway: statements run in order, SET and DDL stay in the session. */
export class GatewaySession {
  private closed = false;

  constructor(
    readonly gateway: string,
    readonly handle: string,
  ) {}

  /** Opens a session with these configuration properties (Flink's keys, as SET would set them). */
  static async open(gateway: string, properties: Record<string, string> = {}, name = 'tsstream'): Promise<GatewaySession> {
    const r = await call(gateway, 'POST', '/v3/sessions', { properties, sessionName: name });
    if (r.status !== 200) throw new FlinkError(`Flink's SQL Gateway at ${gateway} did not open a session: ${errorOf(r)}`);
    return new GatewaySession(gateway, String((r.json as { sessionHandle: string }).sessionHandle));
  }

  /** Submits a statement; the operation answers with its result pages. */
  async submit(statement: string): Promise<GatewayOperation> {
    const r = await call(this.gateway, 'POST', `/v3/sessions/${this.handle}/statements`, { statement });
    if (r.status !== 200) throw new FlinkError(errorOf(r), maskSecretsInText(statement));
    return new GatewayOperation(this, String((r.json as { operationHandle: string }).operationHandle), statement);
  }

  /** Runs a statement and collects all of its rows (for bounded results: DDL, SHOW, EXPLAIN, batch queries). */
  async execute(statement: string, timeoutMs = 120_000): Promise<{ head: StatementHead; rows: RemoteRow[] }> {
    const op = await this.submit(statement);
    const head = await op.head(timeoutMs);
    const rows: RemoteRow[] = [];
    await op.fetchAll((rs) => rows.push(...rs), timeoutMs);
    return { head, rows };
  }

  /** The session's configuration as the gateway holds it. */
  async config(): Promise<Record<string, string>> {
    const r = await call(this.gateway, 'GET', `/v3/sessions/${this.handle}`);
    if (r.status !== 200) throw new FlinkError(errorOf(r));
    return ((r.json as { properties?: Record<string, string> }).properties ?? {}) as Record<string, string>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await call(this.gateway, 'DELETE', `/v3/sessions/${this.handle}`).catch(() => undefined);
  }
}

/** One statement's operation on the gateway: its head (columns, job id), then its rows page by page. */
export class GatewayOperation {
  private next: string | undefined;
  private first: ResultPage | undefined;
  private headInfo: StatementHead | undefined;
  private done = false;

  constructor(
    readonly session: GatewaySession,
    readonly handle: string,
    readonly statement: string,
  ) {
    this.next = `/v3/sessions/${session.handle}/operations/${handle}/result/0?rowFormat=JSON`;
  }

  private async page(): Promise<ResultPage | undefined> {
    if (!this.next) return undefined;
    const r = await call(this.session.gateway, 'GET', this.next);
    if (r.status !== 200) {
      this.done = true;
      throw new FlinkError(errorOf(r), maskSecretsInText(this.statement));
    }
    return r.json as ResultPage;
  }

  /** Waits for the first result page: the statement ran (DDL) or its job started (INSERT, SELECT). */
  async head(timeoutMs = 120_000): Promise<StatementHead> {
    if (this.headInfo) return this.headInfo;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = await this.page();
      if (!p) throw new FlinkError('the gateway ended the result before its first page', maskSecretsInText(this.statement));
      if (p.resultType === 'NOT_READY') {
        if (Date.now() > deadline) throw new FlinkError(`no answer within ${timeoutMs} ms`, maskSecretsInText(this.statement));
        await sleep(100);
        continue;
      }
      const columns = (p.results?.columns ?? []).map((c) => {
        const flinkType = plainNumbers(c.logicalType) as FlinkLogicalType;
        return { name: c.name, type: fromFlinkType(flinkType), flinkType };
      });
      const isInsert = p.jobID !== undefined && columns.length === 1 && columns[0].name === 'job id';
      this.headInfo = { resultKind: p.resultKind ?? 'SUCCESS', jobId: p.jobID, columns, isQuery: p.isQueryResult ?? (p.jobID !== undefined && !isInsert) };
      this.first = p;
      return this.headInfo;
    }
  }

  private rowsOf(p: ResultPage): RemoteRow[] {
    const cols = this.headInfo!.columns;
    return (p.results?.data ?? []).map((d) => ({ kind: ROW_KINDS[d.kind] ?? '+I', cells: d.fields.map((v, k) => flinkText(v, cols[k].flinkType)) }));
  }

  /**
   * Hands every row batch to `onRows` until the result ends (EOS) or `stop()` says to stop; an
   * unbounded query's rows go on until its job ends. Resolves with whether it was stopped.
   */
  async fetchAll(onRows: (rows: RemoteRow[]) => void, timeoutMs = Infinity, stop: () => boolean = () => false): Promise<boolean> {
    await this.head(timeoutMs === Infinity ? 600_000 : timeoutMs);
    const deadline = Date.now() + timeoutMs;
    let p: ResultPage | undefined = this.first;
    this.first = undefined;
    while (p && !this.done) {
      const rows = this.rowsOf(p);
      if (rows.length) onRows(rows);
      if (p.resultType === 'EOS' || !p.nextResultUri) {
        this.done = true;
        break;
      }
      this.next = p.nextResultUri;
      if (stop()) {
        await this.close();
        return true;
      }
      if (Date.now() > deadline) throw new FlinkError(`the result did not end within ${timeoutMs} ms`, maskSecretsInText(this.statement));
      if (rows.length === 0) await sleep(p.resultType === 'NOT_READY' ? 100 : 50);
      p = await this.page();
    }
    return false;
  }

  /** Cancels the statement (a running query's job too) and frees its results. */
  async close(): Promise<void> {
    this.done = true;
    await call(this.session.gateway, 'DELETE', `/v3/sessions/${this.session.handle}/operations/${this.handle}/close`).catch(() => undefined);
  }
}

/** A job as the JobManager lists it. */
export interface FlinkJobInfo {
  id: string;
  name: string;
  state: string;
  startTime: number;
  endTime?: number;
}

/** Flink's JobManager REST API: jobs and their control (what `flink list/cancel/stop/savepoint` use). */
export class JobManagerClient {
  constructor(readonly rest: string) {}

  async list(): Promise<FlinkJobInfo[]> {
    const r = await call(this.rest, 'GET', '/jobs/overview');
    if (r.status !== 200) throw new FlinkError(`The JobManager at ${this.rest} did not list its jobs: ${errorOf(r)}`);
    const jobs = (r.json as { jobs?: Record<string, unknown>[] }).jobs ?? [];
    return jobs
      .map((j) => ({
        id: String(j.jid),
        name: String(j.name),
        state: String(j.state),
        startTime: Number(String(j['start-time'])),
        endTime: Number(String(j['end-time'])) > 0 ? Number(String(j['end-time'])) : undefined,
      }))
      .sort((a, b) => a.startTime - b.startTime);
  }

  /** The job with this id or unique id prefix. */
  async find(idOrPrefix: string): Promise<FlinkJobInfo> {
    const all = await this.list();
    const hits = all.filter((j) => j.id.startsWith(idOrPrefix.toLowerCase()));
    if (hits.length === 1) return hits[0];
    if (hits.length === 0) throw new FlinkError(`No job '${idOrPrefix}' on the Flink cluster at ${this.rest}`);
    throw new FlinkError(`'${idOrPrefix}' matches ${hits.length} jobs on ${this.rest}: ${hits.map((j) => j.id).join(', ')}`);
  }

  /** The job's state, and its root exception when it failed. */
  async status(jobId: string): Promise<{ state: string; failure?: string }> {
    const r = await call(this.rest, 'GET', `/jobs/${jobId}`);
    if (r.status !== 200) throw new FlinkError(`No job ${jobId} on ${this.rest}: ${errorOf(r)}`);
    const state = String((r.json as { state?: string }).state ?? 'UNKNOWN');
    if (state !== 'FAILED') return { state };
    const ex = await call(this.rest, 'GET', `/jobs/${jobId}/exceptions`);
    const root = (ex.json as { 'root-exception'?: string } | undefined)?.['root-exception'];
    return { state, failure: root ? rootCauseOf(root) : undefined };
  }

  async cancel(jobId: string): Promise<void> {
    const r = await call(this.rest, 'PATCH', `/jobs/${jobId}?mode=cancel`);
    if (r.status !== 202 && r.status !== 200) throw new FlinkError(`Cannot cancel job ${jobId}: ${errorOf(r)}`);
  }

  /** Stop-with-savepoint; resolves with the savepoint's path once it is complete. */
  async stop(jobId: string, dir: string | undefined, drain = false): Promise<string> {
    const r = await call(this.rest, 'POST', `/jobs/${jobId}/stop`, { targetDirectory: dir, drain });
    if (r.status !== 202 && r.status !== 200) throw new FlinkError(`Cannot stop job ${jobId}: ${errorOf(r)}`);
    return this.awaitSavepoint(jobId, String((r.json as { 'request-id': string })['request-id']));
  }

  /** Triggers a savepoint; the job keeps running. Resolves with the savepoint's path. */
  async savepoint(jobId: string, dir: string | undefined): Promise<string> {
    const r = await call(this.rest, 'POST', `/jobs/${jobId}/savepoints`, { 'target-directory': dir, 'cancel-job': false });
    if (r.status !== 202 && r.status !== 200) throw new FlinkError(`Cannot trigger a savepoint of job ${jobId}: ${errorOf(r)}`);
    return this.awaitSavepoint(jobId, String((r.json as { 'request-id': string })['request-id']));
  }

  private async awaitSavepoint(jobId: string, trigger: string, timeoutMs = 300_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await call(this.rest, 'GET', `/jobs/${jobId}/savepoints/${trigger}`);
      if (r.status !== 200) throw new FlinkError(`The savepoint of job ${jobId} is unknown to ${this.rest}: ${errorOf(r)}`);
      const j = r.json as { status?: { id?: string }; operation?: { location?: string; 'failure-cause'?: { 'stack-trace'?: string; 'serialized-throwable'?: string } } };
      if (j.status?.id === 'COMPLETED') {
        const failure = j.operation?.['failure-cause'];
        if (failure) throw new FlinkError(`The savepoint of job ${jobId} failed: ${rootCauseOf(failure['stack-trace'] ?? 'unknown cause')}`);
        return String(j.operation?.location);
      }
      if (Date.now() > deadline) throw new FlinkError(`The savepoint of job ${jobId} did not complete within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }

  /** Follows the job until it ends; resolves with its final state, throws FlinkError when it failed. */
  async follow(jobId: string, onState: (state: string) => void = () => {}): Promise<string> {
    let last = '';
    for (;;) {
      const s = await this.status(jobId);
      if (s.state !== last) onState((last = s.state));
      if (s.state === 'FAILED') throw new FlinkError(`Job ${jobId} failed: ${s.failure ?? 'no cause reported'}`);
      if (s.state === 'FINISHED' || s.state === 'CANCELED' || s.state === 'SUSPENDED') return s.state;
      await sleep(500);
    }
  }
}

/** The JobManager's REST address the gateway submits to, from its configuration (rest.address/rest.port). */
export async function jobManagerOf(gateway: string): Promise<string | undefined> {
  const s = await GatewaySession.open(gateway);
  try {
    const cfg = await s.config();
    const host = cfg['rest.address'] ?? cfg['jobmanager.rpc.address'];
    const port = cfg['rest.port'];
    if (!host || !port) return undefined;
    return `http://${host}:${port}`;
  } finally {
    await s.close();
  }
}
