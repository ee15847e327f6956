// Runs one spec: the production job file, unchanged, in a session where every source the spec
// names reads a bounded in-memory channel (same schema, computed columns, metadata columns and
// watermark: only the table's WITH options are swapped), every sink writes into a capture,
// and every catalog the job creates is a temporary embedded one of the same kind (an Iceberg
// catalog becomes a hadoop catalog in a temporary folder). Nothing outside the process is
// contacted. The job is driven step by step (Job.startSteps / drainOnce / injectWatermark /
// finishSteps) with a manual processing-time clock, so "when" a row is emitted is deterministic.
import { withUserFunctions } from '../functions/registry.js';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type * as A from '../parser/ast.js';
import { parseStatements } from '../parser/index.js';
import { Session } from '../cli/session.js';
import { formatError } from '../cli/report.js';
import { Job } from '../runtime/job.js';
import { children, type PhysicalNode } from '../planner/physical.js';
import type { CatalogEntry, CatalogTable } from '../common/catalog.js';
import { formatPath, type ObjectPath } from '../common/connector.js';
import { SqlSyntaxError, TsstreamError, suggestion } from '../common/errors.js';
import type { Field, Row } from '../common/types.js';
import { parseTimestamp } from '../common/time.js';
import { dropMemoryChannel, memoryChannel, type MemoryChannel } from '../connectors/memory/index.js';
import { SpecError, whereText, type RowsRef, type Spec, type StepSpec, type Where } from './spec.js';
import { readRows, type SpecRow } from './fixtures.js';
import { compareRows, type SinkDiff } from './compare.js';
import { ValueError, rowToObject, toRuntime } from './values.js';

export interface StepFailure {
  /** e.g. `step 6 (feed kafka_window_events: 1 row)` or `end of input`. */
  where: string;
  at?: Where;
  diffs: SinkDiff[];
}

export interface CaseResult {
  spec: Spec;
  status: 'pass' | 'fail' | 'error';
  durationMs: number;
  /** error: why the spec or job could not be read, planned or run. */
  message?: string;
  failures: StepFailure[];
  /** Rows written into expect files / the spec (--update). */
  updated: number;
  /** How the job was isolated (catalog swaps), for verbose output. */
  notes: string[];
  /** Where it ran: tsstream (absent) or a Flink cluster (`--target flink`). */
  engine?: 'flink';
}

export interface RunOptions {
  update?: boolean;
  cwd?: string;
}

/** Connectors that always talk to a service: a source using one must be named in the spec. */
const EXTERNAL_CONNECTORS = new Set(['kafka', 'upsert-kafka', 'kinesis', 'jdbc', 'elasticsearch-7', 'elasticsearch-6', 'pulsar', 'rabbitmq', 'mongodb', 'hbase-2.2', 'dynamodb', 'firehose']);
const REMOTE_URL = /^(s3[an]?|gs|abfss?|wasbs?|hdfs|oss|https?):\/\//i;
/** Session keys that point at storage outside the test: ignored (checkpoints stay in memory). */
const STORAGE_KEYS = new Set(['execution.checkpointing.dir', 'state.checkpoints.dir', 'state.savepoints.dir', 'execution.savepoint.path', 'execution.checkpointing.savepoint-dir']);

function splitName(name: string): string[] {
  return (name.match(/`(?:[^`]|``)+`|[^.]+/g) ?? []).map((p) => (p.startsWith('`') ? p.slice(1, -1).replace(/``/g, '`') : p));
}

const keyOf = (p: ObjectPath) => `${p.catalog}\u0000${p.database}\u0000${p.table}`;

/** Whether a spec name (`t`, `db.t`, `cat.db.t`) names the table at `p`. */
function nameMatches(name: string, p: ObjectPath): boolean {
  const parts = splitName(name);
  const full = [p.catalog, p.database, p.table];
  if (parts.length === 0 || parts.length > 3) return false;
  return parts.every((x, i) => x === full[3 - parts.length + i]);
}

interface Capture {
  path: ObjectPath;
  channelName: string;
  channel: MemoryChannel;
  kind: 'source' | 'sink';
  specName?: string;
}

interface RunningJob {
  job: Job;
  finished: boolean;
}

export class SpecRun {
  readonly notes: string[] = [];
  /** The job file's statements, as parsed (for `--target flink`, which rewrites and resends them). */
  statements: A.Statement[] = [];
  /** Each CREATE TABLE statement of the job and the table it made. */
  readonly createdBy = new Map<A.Statement, ObjectPath>();
  /** The spec's setup statements (run before the job's first INSERT). */
  setupStatements: A.Statement[] = [];
  /** Each INSERT of the job and the table it writes. */
  readonly insertTargets = new Map<A.InsertStatement, ObjectPath>();
  readonly logs: string[] = [];
  private session!: Session;
  private readonly runId = randomUUID().slice(0, 8);
  private tmp = '';
  private text = '';
  private readonly created: ObjectPath[] = [];
  /** Where each table is created in the job file. */
  private readonly createdAt = new Map<string, Where>();
  /** Captured tables by path key. */
  private readonly captures = new Map<string, Capture>();
  /** Spec name → capture (sources and sinks). */
  private readonly bySpecName = new Map<string, Capture>();
  private readonly jobs: RunningJob[] = [];
  private readonly sinkFields = new Map<string, Field[]>();
  private clock = 0;
  private ended = false;
  private external = false;
  readonly failures: StepFailure[] = [];
  readonly updates: { ref: RowsRef; sinkName: string; rows: Record<string, unknown>[]; columns: string[]; create?: (string | number)[] }[] = [];

  constructor(
    readonly spec: Spec,
    readonly opts: RunOptions,
  ) {}

  private get timeZone(): string {
    return this.session.config.get('table.local-time-zone') ?? 'UTC';
  }

  /** A planning error with the job file's position and caret. */
  private jobError(e: unknown, s?: A.Statement, file = this.spec.job, sql = this.text): SpecError {
    const rel = path.relative(this.opts.cwd ?? process.cwd(), file) || file;
    const isSpecErr = e instanceof SpecError;
    if (isSpecErr && (e.where || e.formatted || !s)) return e;
    if (isSpecErr || e instanceof SqlSyntaxError || e instanceof TsstreamError) {
      const text = isSpecErr ? '' : formatError(e, rel, sql);
      const hasPos = /^[^\n]*:\d+:\d+: /.test(text);
      if (!hasPos && s) {
        const line = sql.split(/\r?\n/)[s.pos.line - 1] ?? '';
        return new SpecError((e as Error).message, undefined, `${rel}:${s.pos.line}:${s.pos.column}: ${(e as Error).message}\n${line}\n${' '.repeat(Math.max(0, s.pos.column - 1))}^`);
      }
      return new SpecError((e as Error).message, undefined, text);
    }
    return new SpecError(`${rel}: ${(e as Error)?.message ?? String(e)}`);
  }

  async setup(): Promise<void> {
    try {
      this.text = await fs.readFile(this.spec.job, 'utf8');
    } catch (e) {
      throw new SpecError(`cannot read the job file: ${(e as Error).message}`, this.spec.jobAt);
    }
    let statements: A.Statement[];
    try {
      statements = parseStatements(this.text);
    } catch (e) {
      throw this.jobError(e);
    }
    this.statements = statements;
    this.tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'tsstream-test-'));
    this.session = new Session({ log: (level, m) => this.logs.push(`[${level.toUpperCase()}] ${m}`) });
    this.applySpecConfig();
    if (this.spec.processingTime !== undefined) {
      const t = parseTimestamp(this.spec.processingTime);
      if (t === undefined) throw new SpecError(`processing-time: not a timestamp: '${this.spec.processingTime}'`, this.spec.at);
      this.clock = t;
    } else this.clock = Date.now() * 1000;
    // Tables the spec names read (or write) the in-memory channels: only their options change.
    const mgr = this.session.catalogs;
    const origGet = mgr.get.bind(mgr);
    mgr.get = async (p: ObjectPath): Promise<CatalogEntry | undefined> => {
      const e = await origGet(p);
      const cap = this.captures.get(keyOf(p));
      if (!e || e.kind !== 'table' || !cap) return e;
      const options: Record<string, string> = { connector: 'memory', channel: cap.channelName };
      if (cap.kind === 'source') options['bounded'] = 'true';
      return { ...e, options };
    };
    let pendingSet: A.InsertStatement[] | undefined;
    for (const s of statements) {
      try {
        if (pendingSet && s.kind === 'insert') {
          pendingSet.push(s);
          continue;
        }
        const inserts = s.kind === 'insert' ? [s] : s.kind === 'statementSet' ? s.statements : s.kind === 'end' ? (pendingSet ?? []) : undefined;
        if (inserts) {
          pendingSet = undefined;
          if (!inserts.length) continue;
          await this.runSetup();
          await this.makeJob(inserts);
        } else if (s.kind === 'beginStatementSet') pendingSet = [];
        else await this.statement(s, this.spec.job);
      } catch (e) {
        throw this.jobError(e, s);
      }
    }
    if (!this.jobs.length) throw new SpecError(`the job file has no INSERT statement: nothing to test`, this.spec.jobAt);
    this.checkSpecNames();
    this.checkExternalSources();
    for (const c of this.captures.values()) {
      this.notes.push(c.kind === 'source' ? `source ${formatPath(c.path)} ← rows of the spec (in-memory, bounded)` : `sink ${formatPath(c.path)} → capture${[...this.bySpecName.values()].includes(c) ? '' : ' (not checked: the spec does not name it)'}`);
    }
  }

  /** Runs a statement of the job (or of the spec's setup) that is not an INSERT. */
  private async statement(s: A.Statement, file: string): Promise<void> {
    switch (s.kind) {
      case 'createCatalog':
        await this.session.execute(this.rewriteCatalog(s));
        return;
      case 'set':
        if (s.key !== undefined && STORAGE_KEYS.has(s.key)) {
          this.notes.push(`SET '${s.key}' ignored (checkpoints stay in memory)`);
          return;
        }
        await this.session.execute(s);
        this.applySpecConfig();
        return;
      case 'createTable': {
        const p = this.session.catalogs.qualify(s.name.parts);
        await this.session.execute(s);
        this.created.push(p);
        this.createdBy.set(s, p);
        this.createdAt.set(keyOf(p), { file, line: s.pos.line, col: s.pos.column });
        return;
      }
      case 'queryStatement':
        this.notes.push(`${path.basename(file)}:${s.pos.line}: SELECT not run (only INSERT jobs are tested)`);
        return;
      case 'stopJob':
      case 'quit':
      case 'help':
      case 'clear':
        return;
      default:
        await this.session.execute(s);
    }
  }

  private setupDone = false;

  /**
   * The spec's `setup:` SQL, run once just before the job's first INSERT (after its own DDL):
   * e.g. CREATE TABLE IF NOT EXISTS for tables that exist in production but that the job does
   * not create. The current catalog and database are restored afterwards.
   */
  private async runSetup(): Promise<void> {
    if (this.setupDone || !this.spec.setup) return;
    this.setupDone = true;
    const file = this.spec.setup;
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      throw new SpecError(`cannot read the setup file: ${(e as Error).message}`, this.spec.setupAt);
    }
    const mgr = this.session.catalogs;
    const [catalog, database] = [mgr.currentCatalog, mgr.currentDatabase];
    let statements: A.Statement[];
    try {
      statements = parseStatements(text);
    } catch (e) {
      throw this.jobError(e, undefined, file, text);
    }
    this.setupStatements = statements;
    for (const s of statements) {
      if (s.kind === 'insert' || s.kind === 'statementSet' || s.kind === 'beginStatementSet') throw this.jobError(new SpecError('the setup may not hold INSERT statements'), s, file, text);
      try {
        await this.statement(s, file);
      } catch (e) {
        throw this.jobError(e, s, file, text);
      }
    }
    mgr.currentCatalog = catalog;
    mgr.currentDatabase = database;
  }

  private applySpecConfig(): void {
    for (const [k, v] of Object.entries(this.spec.set)) this.session.config.set(k, v);
  }

  private rewriteCatalog(s: A.CreateCatalogStatement): A.CreateCatalogStatement {
    const opts = Object.fromEntries(s.options);
    if (opts['type'] !== 'iceberg') return s;
    const warehouse = path.join(this.tmp, 'warehouse', s.name.value);
    const options: A.Options = [
      ['type', 'iceberg'],
      ['catalog-type', 'hadoop'],
      ['warehouse', warehouse],
    ];
    if (opts['default-database']) options.push(['default-database', opts['default-database']]);
    this.notes.push(`catalog ${s.name.value}: ${opts['catalog-type'] ?? 'hadoop'} Iceberg catalog → temporary hadoop catalog in ${warehouse}`);
    return { ...s, options };
  }

  /** Spec source names used anywhere (sources, feeds). */
  private specSourceNames(): { name: string; at: Where }[] {
    const out = new Map<string, Where>();
    for (const s of this.spec.sources) if (!out.has(s.name)) out.set(s.name, s.at);
    for (const st of this.spec.steps ?? []) for (const f of st.feed) if (!out.has(f.table)) out.set(f.table, f.at);
    return [...out].map(([name, at]) => ({ name, at }));
  }

  private capture(p: ObjectPath, kind: 'source' | 'sink', specName?: string): Capture {
    const k = keyOf(p);
    let c = this.captures.get(k);
    if (c) {
      if (c.kind !== kind) throw new SpecError(`table ${formatPath(p)} is both read and written by the job: a test can only feed it or capture it`);
      if (specName) c.specName = specName;
      return c;
    }
    const channelName = `tsstream-test-${this.runId}-${kind}-${formatPath(p)}`;
    c = { path: p, channelName, channel: memoryChannel(channelName), kind, specName };
    this.captures.set(k, c);
    return c;
  }

  private matchOne(name: string, candidates: ObjectPath[], at: Where, what: string): ObjectPath | undefined {
    const uniq = new Map(candidates.map((p) => [keyOf(p), p]));
    const hits = [...uniq.values()].filter((p) => nameMatches(name, p));
    if (hits.length > 1) throw new SpecError(`${what} '${name}' is ambiguous: ${hits.map(formatPath).join(', ')} — qualify it`, at);
    return hits[0];
  }

  private async makeJob(inserts: A.InsertStatement[]): Promise<void> {
    // Sources the spec names: captured before the job is planned.
    for (const { name, at } of this.specSourceNames()) {
      if (this.bySpecName.has(name)) continue;
      const p = this.matchOne(name, this.created, at, 'source');
      if (p) this.bySpecName.set(name, this.capture(p, 'source', name));
    }
    // Every sink becomes a capture, named in the spec or not.
    for (const ins of inserts) {
      const p = this.session.catalogs.qualify(ins.table.parts);
      this.insertTargets.set(ins, p);
      this.capture(p, 'sink');
    }
    const stmt: A.InsertStatement | A.StatementSetStatement = inserts.length === 1 ? inserts[0] : { kind: 'statementSet', statements: inserts, pos: inserts[0].pos, span: inserts[0].span };
    const { physical } = await this.session.plan(stmt);
    // The session's user functions are looked up while the job builds its operators.
    const job = withUserFunctions(this.session.functions, () => new Job(physical, {
      jobName: `test_${path.basename(this.spec.file)}_${this.jobs.length + 1}`,
      config: new Map(this.session.config),
      log: (level, m) => this.logs.push(`[${level.toUpperCase()}] ${m}`),
      now: () => this.clock,
      manualClock: true,
    }));
    for (const root of physical) this.walk(root, (n) => n.kind === 'Sink' && this.sinkFields.set(n.name, n.fields));
    this.jobs.push({ job, finished: false });
  }

  private walk(n: PhysicalNode, f: (n: PhysicalNode) => unknown): void {
    f(n);
    for (const c of children(n)) this.walk(c, f);
  }

  private checkSpecNames(): void {
    for (const { name, at } of this.specSourceNames()) {
      if (this.bySpecName.has(name)) continue;
      const names = this.created.map(formatPath);
      throw new SpecError(`source '${name}': the job creates no such table${suggestion(name, [...names, ...this.created.map((p) => p.table)])} (tables: ${names.join(', ') || 'none'})`, at);
    }
    const sinks = [...this.captures.values()].filter((c) => c.kind === 'sink').map((c) => c.path);
    for (const s of this.spec.sinks) {
      const p = this.matchOne(s.name, sinks, s.at, 'sink');
      if (!p) {
        throw new SpecError(`sink '${s.name}': the job writes no such table${suggestion(s.name, [...sinks.map(formatPath), ...sinks.map((x) => x.table)])} (it writes: ${sinks.map(formatPath).join(', ')})`, s.at);
      }
      this.bySpecName.set(s.name, this.captures.get(keyOf(p))!);
    }
    for (const st of this.spec.steps ?? []) {
      for (const e of st.expect) {
        if (this.bySpecName.get(e.sink)?.kind === 'sink') continue;
        const p = this.matchOne(e.sink, sinks, e.at, 'sink');
        if (!p) throw new SpecError(`sink '${e.sink}': the job writes no such table${suggestion(e.sink, sinks.map((x) => x.table))} (it writes: ${sinks.map(formatPath).join(', ')})`, e.at);
        this.bySpecName.set(e.sink, this.captures.get(keyOf(p))!);
      }
    }
  }

  /** A source the spec does not name keeps its connector, unless that would contact a service. */
  private checkExternalSources(): void {
    for (const { job } of this.jobs) {
      for (const root of job.roots) {
        this.walk(root, (n) => {
          if (n.kind !== 'Source') return;
          const opts = n.table.options;
          if (opts['connector'] === 'memory' && this.captures.has(keyOf(n.table.path))) return;
          const short = n.table.path.table;
          const at = this.createdAt.get(keyOf(n.table.path)) ?? this.spec.at;
          if (EXTERNAL_CONNECTORS.has(n.factory.identifier)) {
            const where = opts['properties.bootstrap.servers'] ? ` at ${opts['properties.bootstrap.servers']}` : '';
            throw new SpecError(
              `source table ${n.name} reads from an external service (connector '${n.factory.identifier}'${where}) and the spec gives no rows for it: add it under 'sources:' of ${whereText(this.spec.at, this.opts.cwd).replace(/:\d+:\d+$/, '')} (e.g. sources: {${short}: {rows: fixtures/${short}.jsonl}})`,
              at,
            );
          }
          for (const [k, v] of Object.entries(opts)) {
            if (REMOTE_URL.test(v)) {
              throw new SpecError(`source table ${n.name} reads from ${v} ('${k}'), outside this machine, and the spec gives no rows for it: add it under 'sources:' of ${whereText(this.spec.at, this.opts.cwd).replace(/:\d+:\d+$/, '')}`, at);
            }
          }
          this.external = true;
        });
      }
    }
  }

  /**
   * What `tsstream test --target flink` needs once setup() has planned the job: every source the
   * spec feeds with all its rows in feed order (spec sources, then each step's feeds), and every
   * sink with the columns the job writes.
   */
  async targetView(): Promise<{
    timeZone: string;
    sources: Map<string, { path: ObjectPath; table: CatalogTable; fields: Field[]; rows: Row[] }>;
    sinks: Map<string, { path: ObjectPath; fields: Field[] }>;
    keyOf: (p: ObjectPath) => string;
    /** A spec's sink name → the key of the table it names. */
    sinkKey: (specName: string) => string | undefined;
  }> {
    const sources = new Map<string, { path: ObjectPath; table: CatalogTable; fields: Field[]; rows: Row[] }>();
    const feeds: { name: string; ref: RowsRef }[] = [];
    for (const s of this.spec.sources) if (s.rows) feeds.push({ name: s.name, ref: s.rows });
    for (const st of this.spec.steps ?? []) for (const f of st.feed) feeds.push({ name: f.table, ref: f.rows });
    for (const c of this.bySpecName.values()) {
      if (c.kind !== 'source' || sources.has(keyOf(c.path))) continue;
      const table = await this.sourceColumns(c);
      const cols = [...table.columns.filter((x) => x.kind === 'physical'), ...table.columns.filter((x) => x.kind === 'metadata')] as Extract<CatalogTable['columns'][number], { type: unknown }>[];
      sources.set(keyOf(c.path), { path: c.path, table, fields: cols.map((x) => ({ name: x.name, type: x.type })), rows: [] });
    }
    for (const f of feeds) {
      const cap = this.bySpecName.get(f.name);
      if (!cap || cap.kind !== 'source') continue;
      const rows = await this.toSourceRows(cap, await readRows(f.ref), f.name);
      sources.get(keyOf(cap.path))!.rows.push(...rows.map((r) => r.row));
    }
    const sinks = new Map<string, { path: ObjectPath; fields: Field[] }>();
    for (const c of this.captures.values()) if (c.kind === 'sink') sinks.set(keyOf(c.path), { path: c.path, fields: this.sinkFields.get(formatPath(c.path)) ?? [] });
    const sinkKey = (n: string) => {
      const c = this.bySpecName.get(n);
      return c?.kind === 'sink' ? keyOf(c.path) : undefined;
    };
    return { timeZone: this.timeZone, sources, sinks, keyOf, sinkKey };
  }

  // ───────────── running ─────────────

  private sourceColumns(cap: Capture): Promise<CatalogTable> {
    return this.session.catalogs.getCatalog(cap.path.catalog).getTable(cap.path.database, cap.path.table).then((e) => {
      if (e?.kind !== 'table') throw new SpecError(`${formatPath(cap.path)} is not a table`);
      return e;
    });
  }

  /**
   * Spec rows → positional rows (physical columns, then metadata columns), each with its split:
   * the `$split` key, else the value of a `partition` metadata column (Kafka), else '0'.
   * Watermarks are kept per split, as per Kafka partition.
   */
  private async toSourceRows(cap: Capture, rows: SpecRow[], specName: string): Promise<{ row: Row; split: string }[]> {
    const t = await this.sourceColumns(cap);
    const cols = [...t.columns.filter((c) => c.kind === 'physical'), ...t.columns.filter((c) => c.kind === 'metadata')] as Extract<CatalogTable['columns'][number], { type: unknown }>[];
    const names = cols.map((c) => c.name);
    const computed = t.columns.filter((c) => c.kind === 'computed').map((c) => c.name);
    const partCol = t.columns.find((c) => c.kind === 'metadata' && (c.key ?? c.name) === 'partition')?.name;
    const tz = this.timeZone;
    return rows.map((r) => {
      for (const k of Object.keys(r.value)) {
        if (names.includes(k) || k === '$split') continue;
        if (computed.includes(k)) throw new SpecError(`rows for ${specName}: '${k}' is a computed column; give the columns it is computed from`, r.at);
        throw new SpecError(`rows for ${specName}: unknown column '${k}'${suggestion(k, names)} (columns: ${names.join(', ')})`, r.at);
      }
      const row = cols.map((c) => {
        try {
          return toRuntime(r.value[c.name], c.type, tz);
        } catch (e) {
          if (e instanceof ValueError) throw new SpecError(`rows for ${specName}, column '${c.name}': ${e.message}`, r.at);
          throw e;
        }
      });
      const sv = r.value['$split'] ?? (partCol !== undefined ? r.value[partCol] : undefined);
      return { row, split: sv === undefined || sv === null ? '0' : String(sv) };
    });
  }

  private async feed(specName: string, ref: RowsRef): Promise<number> {
    const cap = this.bySpecName.get(specName)!;
    const rows = await this.toSourceRows(cap, await readRows(ref), specName);
    // In order, one push per run of rows of the same split.
    for (let i = 0; i < rows.length; ) {
      let j = i;
      while (j < rows.length && rows[j].split === rows[i].split) j++;
      cap.channel.push(rows.slice(i, j).map((x) => x.row), rows[i].split);
      i = j;
    }
    return rows.length;
  }

  /** Polls every job until nothing moves (each quiet poll emits the watermarks). */
  private async settle(untilEnded: boolean): Promise<void> {
    let quiet = 0;
    const wait = this.external ? 10 : 0;
    const need = untilEnded ? (this.external ? 100 : 3) : this.external ? 5 : 2;
    for (;;) {
      let n = 0;
      for (const j of this.jobs) if (!j.finished) n += await j.job.drainOnce(wait);
      if (untilEnded && this.jobs.every((j) => j.finished || j.job.sourcesEnded)) break;
      if (n === 0) {
        if (++quiet >= need) break;
      } else quiet = 0;
    }
  }

  private async endInput(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    for (const c of this.captures.values()) if (c.kind === 'source') c.channel.end();
    await this.settle(true);
    for (const j of this.jobs) {
      if (j.finished) continue;
      j.finished = true;
      await j.job.finishSteps();
    }
  }

  private received(cap: Capture): Row[] {
    return cap.channel.written;
  }

  private async check(where: string, at: Where | undefined, expects: { sink: string; rows: RowsRef; order: 'any' | 'exact'; ignore: string[] }[]): Promise<boolean> {
    const diffs: SinkDiff[] = [];
    for (const e of expects) {
      const cap = this.bySpecName.get(e.sink)!;
      const name = formatPath(cap.path);
      const fields = this.sinkFields.get(name) ?? [];
      const actual = this.received(cap);
      const opts = { order: e.order, ignoreColumns: e.ignore, timeZone: this.timeZone };
      if (this.opts.update) {
        const shown = fields.filter((f) => !e.ignore.includes(f.name));
        const idx = shown.map((f) => fields.indexOf(f));
        this.updates.push({
          ref: e.rows,
          sinkName: e.sink,
          rows: actual.map((r) => rowToObject(idx.map((i) => r[i]), shown, this.timeZone)),
          columns: shown.map((f) => f.name),
        });
        continue;
      }
      const d = compareRows(e.sink, fields, await readRows(e.rows), actual, opts);
      if (d) diffs.push(d);
    }
    if (diffs.length) this.failures.push({ where, at, diffs });
    return diffs.length === 0;
  }

  private stepLabel(st: StepSpec): string {
    const parts: string[] = [];
    for (const f of st.feed) {
      const n = f.rows.inline ? f.rows.inline.length : undefined;
      const ids = f.rows.inline?.map((r) => {
        const v = r.value as Record<string, unknown>;
        const k = Object.keys(v).find((x) => /(^|_)id$/.test(x));
        return k ? String(v[k]) : undefined;
      });
      const idText = ids && ids.every((x) => x !== undefined) && ids.length <= 4 ? ` ${ids.join(', ')}` : '';
      parts.push(`feed ${f.table}:${idText || (n !== undefined ? ` ${n} row${n === 1 ? '' : 's'}` : ` ${path.basename(f.rows.file ?? '')}`)}`);
    }
    if (st.watermark) parts.push(`watermark ${st.watermark.table} → ${st.watermark.to}`);
    if (st.advanceMs !== undefined) parts.push(`advance processing time ${st.advanceMs} ms`);
    if (st.end) parts.push('end');
    if (!parts.length) parts.push('expect');
    return `step ${st.index + 1}${st.name ? ` "${st.name}"` : ''} (${parts.join('; ')})`;
  }

  private watermarkMicros(st: NonNullable<StepSpec['watermark']>): { name: string; micros: number } {
    const cap = this.bySpecName.get(st.table);
    let p = cap?.path;
    if (!p) {
      p = this.matchOne(st.table, this.created, st.at, 'watermark table');
      if (!p) throw new SpecError(`watermark: the job creates no table '${st.table}'`, st.at);
    }
    const micros = parseTimestamp(st.to);
    if (micros === undefined) throw new SpecError(`watermark.to: not a timestamp: '${st.to}'`, st.at);
    return { name: formatPath(p), micros };
  }

  async run(): Promise<void> {
    for (const j of this.jobs) {
      try {
        await j.job.startSteps();
      } catch (e) {
        j.finished = true;
        throw this.jobError(e);
      }
    }
    const sinkExpect = (name: string) => this.spec.sinks.find((s) => s.name === name);
    for (const s of this.spec.sources) if (s.rows) await this.feed(s.name, s.rows);
    await this.settle(false);
    for (const st of this.spec.steps ?? []) {
      if (this.ended && (st.feed.length || st.watermark || st.advanceMs !== undefined)) throw new SpecError(`${this.stepLabel(st)}: the input has already ended (end: true in an earlier step)`, st.at);
      for (const f of st.feed) await this.feed(f.table, f.rows);
      if (st.advanceMs !== undefined) this.clock += st.advanceMs * 1000;
      await this.settle(false);
      if (st.watermark) {
        const { name, micros } = this.watermarkMicros(st.watermark);
        let found = false;
        for (const j of this.jobs) if (!j.finished && j.job.injectWatermark(name, micros)) found = true;
        if (!found) throw new SpecError(`watermark: no job reads table ${name}`, st.watermark.at);
        await this.settle(false);
      }
      if (st.end) await this.endInput();
      const ok = await this.check(
        this.stepLabel(st),
        st.at,
        st.expect.map((e) => {
          const s = sinkExpect(e.sink);
          return { sink: e.sink, rows: e.rows, order: s?.order ?? 'any', ignore: s?.ignoreColumns ?? [] };
        }),
      );
      if (!ok) return;
    }
    await this.endInput();
    const finals = this.spec.sinks.filter((s) => s.expect || this.opts.update);
    await this.check(
      this.spec.steps ? 'end of input (final watermark)' : 'all rows fed, end of input',
      undefined,
      finals.map((s) => ({
        sink: s.name,
        rows: s.expect ?? { inline: [], at: s.at, yamlPath: ['sinks', s.name, 'expect'] },
        order: s.order,
        ignore: s.ignoreColumns,
      })),
    );
  }

  async cleanup(): Promise<void> {
    for (const j of this.jobs) {
      if (j.finished) continue;
      j.finished = true;
      j.job.cancel();
      await j.job.finishSteps().catch(() => undefined);
    }
    await this.session?.close().catch(() => undefined);
    for (const c of this.captures.values()) dropMemoryChannel(c.channelName);
    if (this.tmp) await fs.rm(this.tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Runs one spec; never throws. */
export async function runSpec(spec: Spec, opts: RunOptions = {}): Promise<CaseResult & { updates: SpecRun['updates'] }> {
  const t0 = performance.now();
  const run = new SpecRun(spec, opts);
  const done = (status: CaseResult['status'], message?: string) => ({
    spec,
    status,
    message,
    durationMs: performance.now() - t0,
    failures: run.failures,
    updated: 0,
    notes: run.notes,
    updates: run.updates,
  });
  try {
    try {
      await run.setup();
    } catch (e) {
      return done('error', e instanceof SpecError ? e.format(opts.cwd) : `${whereText(spec.at, opts.cwd)}: ${(e as Error)?.stack ?? e}`);
    }
    try {
      await run.run();
    } catch (e) {
      if (e instanceof SpecError) return done('error', e.format(opts.cwd));
      const logs = run.logs.filter((l) => l.startsWith('[ERROR]') || l.startsWith('[WARN]'));
      return done('fail', `the job failed: ${(e as Error)?.message ?? e}${logs.length ? '\n' + logs.join('\n') : ''}`);
    }
    return done(run.failures.length ? 'fail' : 'pass');
  } finally {
    await run.cleanup();
  }
}
