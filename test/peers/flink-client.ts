// Runs SQL statements on the Flink test peer through the SQL Gateway's REST API (v3, the version
// that serves rowFormat=JSON results with row kinds), one gateway session per call.
//   const res = await runOnFlink(['CREATE TABLE …', 'SELECT …'], { flink: peer('flink') });
//   res[1].columns → [{ name, type: 'BIGINT NOT NULL', logicalType }], res[1].rows → [{ kind: '+I', fields }]
// Values keep their exact text where JavaScript numbers would round (BIGINT as bigint, DECIMAL as
// a string with the scale's digits).
import { LosslessNumber, parse } from 'lossless-json';
import type { FlinkEndpoint } from './flink.js';
import { decimalText, flinkText as gatewayText, plainNumbers, rootCauseOf, type FlinkLogicalType } from '../../src/remote/gateway.js';

export interface FlinkColumn {
  name: string;
  /** In the style of tsstream's formatType: 'BIGINT NOT NULL', 'DECIMAL(38, 2)', 'STRING'. */
  type: string;
  logicalType: FlinkLogicalType;
}

export type FlinkRowKind = '+I' | '-U' | '+U' | '-D';

export interface FlinkRow {
  kind: FlinkRowKind;
  fields: unknown[];
  /** Each field as Flink's CAST(… AS STRING) prints it (NULL as `<NULL>`, as tableau does). */
  text: string[];
}

export interface FlinkStatementResult {
  statement: string;
  /** SUCCESS (DDL, SET, …) or SUCCESS_WITH_CONTENT. */
  resultKind: string;
  columns: FlinkColumn[];
  rows: FlinkRow[];
  jobId?: string;
  /** For an INSERT with waitForJobs: the job's final state (FINISHED, …). */
  jobState?: string;
}

export interface RunOnFlinkOptions {
  flink: FlinkEndpoint;
  /** Session properties (e.g. 'execution.runtime-mode': 'batch', 'table.local-time-zone'). */
  properties?: Record<string, string>;
  /** Wait until each INSERT's job finishes (default true); false leaves it running. */
  waitForJobs?: boolean;
  /** Per statement: how long to wait for results or a job (default 120 s). */
  timeoutMs?: number;
  /** Stop fetching a query's results after this many rows (unbounded queries); then cancel it. */
  maxRows?: number;
  /** Stop fetching a query's results this long after its first page and cancel it, keeping the
   *  rows so far (an unbounded query whose row count is what the test looks at). */
  collectForMs?: number;
  /** With collectForMs: once this many rows have come, collect only `ms` more (a query whose
   *  expected rows come at once, where more rows would follow them closely). */
  settleAfter?: { rows: number; ms: number };
  /**
   * JSON (default): typed values, `text` made from them; PLAIN_TEXT: every field as Flink itself
   * prints it (its sql-client's converter), `fields` and `text` both that text.
   */
  rowFormat?: 'JSON' | 'PLAIN_TEXT';
}

/** A statement Flink rejected or a job that failed; `rootCause` is Flink's innermost message. */
export class FlinkStatementError extends Error {
  constructor(
    readonly statement: string,
    readonly index: number,
    readonly rootCause: string,
    readonly detail: string,
  ) {
    super(`Flink rejected statement ${index + 1} (${statement.slice(0, 80).replace(/\s+/g, ' ')}…): ${rootCause}`);
    this.name = 'FlinkStatementError';
  }
}

const ROW_KINDS: Record<string, FlinkRowKind> = { INSERT: '+I', UPDATE_BEFORE: '-U', UPDATE_AFTER: '+U', DELETE: '-D' };


export function flinkTypeText(t: FlinkLogicalType): string {
  const nn = t.nullable === false ? ' NOT NULL' : '';
  switch (t.type) {
    case 'VARCHAR':
      return (t.length === 2147483647 ? 'STRING' : `VARCHAR(${t.length})`) + nn;
    case 'VARBINARY':
      return (t.length === 2147483647 ? 'BYTES' : `VARBINARY(${t.length})`) + nn;
    case 'CHAR':
    case 'BINARY':
      return `${t.type}(${t.length})${nn}`;
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})${nn}`;
    case 'TIME_WITHOUT_TIME_ZONE':
      return `TIME(${t.precision ?? 0})${nn}`;
    case 'TIMESTAMP_WITHOUT_TIME_ZONE':
      return `TIMESTAMP(${t.precision ?? 6})${nn}`;
    case 'TIMESTAMP_WITH_LOCAL_TIME_ZONE':
      return `TIMESTAMP_LTZ(${t.precision ?? 6})${nn}`;
    case 'TIMESTAMP_WITH_TIME_ZONE':
      return `TIMESTAMP(${t.precision ?? 6}) WITH TIME ZONE${nn}`;
    case 'INTERVAL_DAY_TIME':
      return `INTERVAL SECOND(3)${nn}`;
    case 'INTERVAL_YEAR_MONTH':
      return `INTERVAL MONTH${nn}`;
    case 'ARRAY':
    case 'MULTISET':
      return `${t.type}<${flinkTypeText(t.elementType!)}>${nn}`;
    case 'MAP':
      return `MAP<${flinkTypeText(t.keyType!)}, ${flinkTypeText(t.valueType!)}>${nn}`;
    case 'ROW':
      return `ROW<${(t.fields ?? []).map((f) => `\`${f.name}\` ${flinkTypeText(f.fieldType)}`).join(', ')}>${nn}`;
    case 'NULL':
      return 'NULL';
    case 'INTEGER':
      return 'INT' + nn;
    default:
      return t.type + nn;
  }
}

/** A JSON value of the result in the type's exact form (see the header). */
function decode(v: unknown, t: FlinkLogicalType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.type) {
    case 'BIGINT':
      return v instanceof LosslessNumber ? BigInt(v.value) : BigInt(String(v));
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'FLOAT':
    case 'DOUBLE':
      return v instanceof LosslessNumber ? Number(v.value) : v;
    case 'DECIMAL':
      return decimalText(v instanceof LosslessNumber ? v.value : String(v), t.scale ?? 0);
    case 'ARRAY':
    case 'MULTISET':
      return (v as unknown[]).map((x) => decode(x, t.elementType!));
    case 'MAP': {
      const m = new Map<unknown, unknown>();
      if (Array.isArray(v)) for (const e of v as { key: unknown; value: unknown }[]) m.set(decode(e.key, t.keyType!), decode(e.value, t.valueType!));
      else for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(decode(k, t.keyType!), decode(x, t.valueType!));
      return m;
    }
    case 'ROW': {
      const fs = t.fields ?? [];
      if (Array.isArray(v)) return v.map((x, i) => decode(x, fs[i].fieldType));
      return fs.map((f) => decode((v as Record<string, unknown>)[f.name], f.fieldType));
    }
    default:
      return v instanceof LosslessNumber ? v.value : v;
  }
}


/** A JSON field as Flink's CAST(… AS STRING) prints it (a top-level NULL as the tableau's `<NULL>`); the session time zone is UTC. */
export function flinkText(v: unknown, t: FlinkLogicalType): string {
  return gatewayText(v, t) ?? '<NULL>';
}

interface ResultPage {
  resultType: 'NOT_READY' | 'PAYLOAD' | 'EOS';
  resultKind?: string;
  jobID?: string;
  results?: { columns?: { name: string; logicalType: FlinkLogicalType }[]; data?: { kind: string; fields: unknown[] }[] };
  nextResultUri?: string;
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call(base: string, method: string, p: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
  const r = await fetch(base + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await r.text();
  let json: unknown = undefined;
  try {
    json = parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: r.status, json, text };
}

function errorText(json: unknown, text: string): string {
  const errs = (json as { errors?: unknown[] } | undefined)?.errors;
  return Array.isArray(errs) ? errs.map(String).join('\n') : text;
}

/** The state of a job on the JobManager, and its root exception when it failed. */
export async function flinkJob(flink: FlinkEndpoint, jobId: string): Promise<{ state: string; rootException?: string }> {
  const r = await call(flink.rest, 'GET', `/jobs/${jobId}`);
  const state = String((r.json as { state?: string })?.state ?? 'UNKNOWN');
  if (state !== 'FAILED') return { state };
  const ex = await call(flink.rest, 'GET', `/jobs/${jobId}/exceptions`);
  const root = (ex.json as { 'root-exception'?: string } | undefined)?.['root-exception'];
  return { state, rootException: root };
}

export async function cancelFlinkJob(flink: FlinkEndpoint, jobId: string): Promise<void> {
  await call(flink.rest, 'PATCH', `/jobs/${jobId}?mode=cancel`);
}

/** Runs the statements in order in one gateway session; throws FlinkStatementError on the first failure. */
export async function runOnFlink(statements: string[], opts: RunOnFlinkOptions): Promise<FlinkStatementResult[]> {
  const g = opts.flink.gateway;
  const timeout = opts.timeoutMs ?? 120_000;
  const open = await call(g, 'POST', '/v3/sessions', { properties: opts.properties ?? {} });
  if (open.status !== 200) throw new Error(`Flink's SQL Gateway did not open a session: ${errorText(open.json, open.text)}`);
  const session = String((open.json as { sessionHandle: string }).sessionHandle);
  const out: FlinkStatementResult[] = [];
  try {
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i];
      const fail = (detail: string): never => {
        throw new FlinkStatementError(statement, i, rootCauseOf(detail), detail);
      };
      const sub = await call(g, 'POST', `/v3/sessions/${session}/statements`, { statement });
      if (sub.status !== 200) fail(errorText(sub.json, sub.text));
      const op = String((sub.json as { operationHandle: string }).operationHandle);
      const res: FlinkStatementResult = { statement, resultKind: '', columns: [], rows: [] };
      const plain = opts.rowFormat === 'PLAIN_TEXT';
      let next: string | undefined = `/v3/sessions/${session}/operations/${op}/result/0?rowFormat=${plain ? 'PLAIN_TEXT' : 'JSON'}`;
      const deadline = Date.now() + timeout;
      let collectUntil: number | undefined;
      let cancelled = false;
      while (next) {
        const page = await call(g, 'GET', next);
        if (page.status !== 200) fail(errorText(page.json, page.text));
        const p = page.json as ResultPage;
        if (p.resultType === 'NOT_READY') {
          if (Date.now() > deadline) throw new FlinkStatementError(statement, i, `no result within ${timeout} ms`, '');
          await sleep(100);
          continue;
        }
        if (p.resultKind) res.resultKind = p.resultKind;
        if (opts.collectForMs !== undefined) collectUntil ??= Date.now() + opts.collectForMs;
        if (p.jobID) res.jobId = p.jobID;
        const cols = p.results?.columns;
        if (cols && res.columns.length === 0) {
          res.columns = cols.map((c) => {
            const logicalType = plainNumbers(c.logicalType) as FlinkLogicalType;
            return { name: c.name, type: flinkTypeText(logicalType), logicalType };
          });
        }
        for (const d of p.results?.data ?? []) {
          const text = plain ? d.fields.map((v) => (v === null ? '<NULL>' : String(v))) : d.fields.map((v, k) => flinkText(v, res.columns[k].logicalType));
          res.rows.push({ kind: ROW_KINDS[d.kind] ?? '+I', fields: plain ? text : d.fields.map((v, k) => decode(v, res.columns[k].logicalType)), text });
        }
        if (p.resultType === 'EOS') break;
        if (collectUntil !== undefined && opts.settleAfter && res.rows.length >= opts.settleAfter.rows) collectUntil = Math.min(collectUntil, Date.now() + opts.settleAfter.ms);
        if ((opts.maxRows !== undefined && res.rows.length >= opts.maxRows) || (collectUntil !== undefined && Date.now() > collectUntil)) {
          cancelled = true;
          break;
        }
        if (Date.now() > deadline) throw new FlinkStatementError(statement, i, `results did not end within ${timeout} ms (an unbounded query? set maxRows)`, '');
        next = p.nextResultUri;
        if ((p.results?.data ?? []).length === 0) await sleep(50);
      }
      if (cancelled) await call(g, 'DELETE', `/v3/sessions/${session}/operations/${op}/close`);
      const isInsert = res.jobId !== undefined && res.columns.length === 1 && res.columns[0].name === 'job id';
      if (isInsert && (opts.waitForJobs ?? true)) {
        for (;;) {
          const j = await flinkJob(opts.flink, res.jobId!);
          if (j.state === 'FAILED') fail(j.rootException ?? 'the job failed');
          if (j.state === 'FINISHED' || j.state === 'CANCELED') {
            res.jobState = j.state;
            break;
          }
          if (Date.now() > deadline) throw new FlinkStatementError(statement, i, `job ${res.jobId} still ${j.state} after ${timeout} ms`, '');
          await sleep(200);
        }
      }
      out.push(res);
    }
  } finally {
    await call(g, 'DELETE', `/v3/sessions/${session}`).catch(() => undefined);
  }
  return out;
}

/** A SQL script's statements (split at `;` outside quotes, back-ticks and comments), without the `;`. */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      for (; j < script.length; j++) {
        if (script[j] === c) {
          if (script[j + 1] === c) j++;
          else break;
        }
      }
      cur += script.slice(i, j + 1);
      i = j;
    } else if (c === '-' && script[i + 1] === '-') {
      const j = script.indexOf('\n', i);
      i = j < 0 ? script.length : j - 1;
    } else if (c === '/' && script[i + 1] === '*') {
      const j = script.indexOf('*/', i + 2);
      i = j < 0 ? script.length : j + 1;
    } else if (c === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else {
      cur += c;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
