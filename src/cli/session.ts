// A SQL session, like Flink's sql-client session: catalogs, the current catalog and database,
// SET options, and the execution of each statement (DDL, SHOW, DESCRIBE, EXPLAIN, INSERT,
// SELECT). This is where parser, planner, runtime and connectors are wired together.
import { existsSync } from 'node:fs';
import type * as A from '../parser/ast.js';
import { parseStatements, printExpression, printStatement } from '../parser/index.js';
import { parseDataType } from '../parser/parser.js';
import type { Catalog, CatalogColumn, CatalogTable, ColumnChange } from '../common/catalog.js';
import { formatPath, type ObjectPath } from '../common/connector.js';
import { expandViewQuery } from './view-expansion.js';
import { UnsupportedError, ValidationError, suggestion } from '../common/errors.js';
import { maskSecrets } from '../common/options.js';
import type { FactoryRegistry } from '../common/registry.js';
import { formatType, type Field, type LogicalType, type Row } from '../common/types.js';
import { CatalogManager } from '../catalog/manager.js';
import { InMemoryCatalog } from '../catalog/in-memory.js';
import { applyColumnChanges } from '../catalog/alter.js';
import { Binder, Scope, isBatchMode } from '../planner/binder.js';
import type { IcebergCatalog } from '../connectors/iceberg/index.js';
import { compilePredicate } from '../runtime/expr-compiler.js';
import { toPhysical } from '../planner/optimizer.js';
import { reuseSources, reuseSubplans } from '../planner/reuse.js';
import { pruneNestedFields } from '../planner/nested-pruning.js';
import { explainLogical, explainPhysicalPlans } from '../planner/explain.js';
import type { LogicalNode } from '../planner/logical.js';
import type { PhysicalNode } from '../planner/physical.js';
import { Job } from '../runtime/job.js';
import { bundleIsCurrent } from './bundle-loader.js';
import type { ParallelSpec, WorkerData } from '../runtime/parallel/coordinator.js';
import { setInThreadRunner } from '../runtime/parallel/pool.js';
import { configuredParallelism, explainParallelism, parallelShape, twoPhaseChunkable } from '../runtime/parallel/plan.js';
import { readCheckpoint, storageOptions, type CheckpointData } from '../runtime/checkpoint-store.js';
import { aggregateFunctionNames, userFunctionNames, dropUserFunction, isBuiltinFunction, isUserFunction, registerUserFunction, scalarFunctionNames, UserFunctions, withUserFunctions } from '../functions/registry.js';
import { loadJavaScriptFunction } from '../functions/javascript.js';
import { defaultRegistry } from '../connectors/registry.js';
import { JobRegistry } from './jobs/registry.js';
import { controlRequest, savepointUri, storageDir } from './jobs/control.js';
import { CONFIG_OPTIONS, KNOWN_CONFIG, checkConfigValue, effectiveConfig } from './config-options.js';

export { KNOWN_CONFIG } from './config-options.js';

export type StatementResult =
  | { kind: 'ok'; message: string; warnings?: string[] }
  | { kind: 'table'; columns: Field[]; rows: Row[] }
  | { kind: 'explain'; text: string }
  /** INSERT / STATEMENT SET: a job, not yet run; `restart` makes the same job again from a checkpoint. */
  | { kind: 'job'; job: Job; sinks: string[]; restart: (from?: CheckpointData, location?: string) => Job }
  /** SELECT: a job whose rows arrive through onRows. */
  | { kind: 'query'; job: Job; columns: Field[] }
  | { kind: 'quit' };

export interface SessionOptions {
  registry?: FactoryRegistry;
  config?: Record<string, string>;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

const STRING: LogicalType = { kind: 'VARCHAR', length: 2147483647, nullable: false };
const STRING_NULL: LogicalType = { kind: 'VARCHAR', length: 2147483647, nullable: true };
const BOOL: LogicalType = { kind: 'BOOLEAN', nullable: false };

export class Session {
  readonly catalogs = new CatalogManager();
  readonly config = new Map<string, string>();
  readonly registry: FactoryRegistry;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Inside BEGIN STATEMENT SET … END. */
  private pendingSet?: A.InsertStatement[];
  /** Jobs started in this session, for SHOW JOBS / STOP JOB. */
  readonly jobs = new Map<string, Job>();
  /** The id the next INSERT's job takes (`tsstream run --job-id`). */
  nextJobId?: string;
  /** This session's CREATE FUNCTIONs: seen by its statements and its jobs only. */
  readonly functions = new UserFunctions();

  constructor(opts: SessionOptions = {}) {
    this.registry = opts.registry ?? defaultRegistry();
    this.log = opts.log ?? ((level, m) => process.stderr.write(`[${level.toUpperCase()}] ${m}\n`));
    for (const [k, v] of Object.entries(opts.config ?? {})) this.config.set(k, v);
  }

  /**
   * The DDL this session ran, as written, for the workers of a job run at parallelism > 1 (each
   * replays it into its own catalogs); `scriptBlocker` names a statement that cannot be replayed.
   */
  private readonly script: string[] = [];
  private scriptBlocker?: string;
  /** The text of the statement executeAll is running (undefined for a statement executed alone). */
  private statementText?: string;

  private record(s: A.Statement, text: string | undefined): void {
    switch (s.kind) {
      case 'createTable':
      case 'createView':
      case 'createDatabase':
      case 'createFunction':
      case 'drop':
      case 'alterTable':
      case 'useCatalog':
      case 'useDatabase':
        if (text === undefined) this.scriptBlocker ??= 'the session ran a statement given without its text, which workers cannot replay';
        else this.script.push(text);
        break;
      case 'createCatalog':
      case 'addJar':
      case 'removeJar':
        this.scriptBlocker ??= `the session ran ${s.kind === 'createCatalog' ? 'CREATE CATALOG' : s.kind === 'addJar' ? 'ADD JAR' : 'REMOVE JAR'}, which workers do not replay yet`;
        break;
      default:
        break; // SET/RESET travel in the job's config; the rest changes no catalog
    }
  }

  /** The job's parallel run, or why it runs at parallelism 1 (undefined: 1 was asked for). */
  private parallelSpec(physical: PhysicalNode[]): { spec?: ParallelSpec; why?: string } {
    const parallelism = configuredParallelism(this.config);
    if (parallelism <= 1) return {};
    const pre = this.scriptBlocker ?? (this.statementText === undefined ? 'the statement was not given as text' : undefined);
    if (pre) return { why: pre };
    const { shape, why, sinkInCoordinator } = parallelShape(physical, this.config);
    if (why) return { why };
    const chunks = shape === 'two-phase' && twoPhaseChunkable(physical, this.config);
    return { spec: { parallelism, entry: workerEntry(), script: [...this.script], statement: this.statementText!, twoPhase: shape === 'two-phase', keyed: shape === 'keyed', ...(chunks ? { chunks } : {}), ...(sinkInCoordinator ? { sinkInCoordinator } : {}) } };
  }

  private binder(): Binder {
    return new Binder({ catalogs: this.catalogs, registry: this.registry, config: this.config, functions: this.functions });
  }

  /** Parses and executes every statement of a text; returns the results in order. */
  async executeAll(sql: string, onResult?: (r: StatementResult, s: A.Statement) => Promise<void>): Promise<StatementResult[]> {
    const out: StatementResult[] = [];
    for (const s of parseStatements(sql)) {
      const r = await this.execute(s, sql.slice(s.span.start, s.span.end));
      out.push(r);
      if (onResult) await onResult(r, s);
      if (r.kind === 'quit') break;
    }
    return out;
  }

  /** Executes one statement; `text` (the statement as written) lets its jobs run split across workers. */
  async execute(s: A.Statement, text?: string): Promise<StatementResult> {
    this.statementText = text;
    let r: StatementResult;
    try {
      r = await this.executeStatement(s);
    } finally {
      this.statementText = undefined;
    }
    this.record(s, text);
    return r;
  }

  /**
   * ALTER TABLE t RENAME TO u: the catalog renames the table within its database. Flink renames
   * catalog tables only (not temporary ones) and takes only the last part of the new name; a
   * qualified new name here must name the table's own catalog and database.
   */
  private async renameTable(path: ObjectPath, to: string[], pos: A.Statement['pos']): Promise<StatementResult> {
    if (this.catalogs.isTemporary(path)) {
      throw new ValidationError(`Table ${formatPath(path)} is a temporary table: ALTER TABLE … RENAME TO renames catalog tables only (as in Flink)`, pos);
    }
    const newName = to[to.length - 1];
    if (to.length > 1) {
      const q = this.catalogs.qualify(to);
      if (q.catalog !== path.catalog || q.database !== path.database) {
        throw new ValidationError(
          `ALTER TABLE … RENAME TO keeps a table in its database: ${formatPath(q)} is not in ${path.catalog}.${path.database} (Flink would ignore the qualifier and name the table ${path.catalog}.${path.database}.${newName}); give the new name alone`,
          pos,
        );
      }
    }
    const cat = this.catalogs.getCatalog(path.catalog);
    if (!cat.renameTable) throw new UnsupportedError(`Catalog ${path.catalog} (type ${cat.type}) cannot rename tables`, pos);
    if (newName === path.table) return ok('Execute statement succeeded.');
    await cat.renameTable(path.database, path.table, newName);
    return ok('Execute statement succeeded.');
  }

  private async executeStatement(s: A.Statement): Promise<StatementResult> {
    if (this.pendingSet && s.kind !== 'insert' && s.kind !== 'end') {
      throw new ValidationError('Only INSERT statements are allowed inside BEGIN STATEMENT SET … END', s.pos);
    }
    switch (s.kind) {
      case 'createTable':
        return this.createTable(s);
      case 'createView': {
        const path = this.catalogs.qualify(s.name.parts);
        await this.binder().bindQuery(s.query); // validate now, as Flink does
        const q = printStatement({ kind: 'queryStatement', query: s.query, pos: s.pos, span: s.span });
        await this.catalogs.create(path, { kind: 'view', query: q, columnNames: s.columns?.map((c) => c.value), comment: s.comment }, s.ifNotExists, s.temporary);
        return ok('Execute statement succeeded.');
      }
      case 'createCatalog':
        return this.createCatalog(s);
      case 'createDatabase': {
        const [catalog, db] = s.name.parts.length === 2 ? s.name.parts : [this.catalogs.currentCatalog, s.name.parts[0]];
        await this.catalogs.getCatalog(catalog).createDatabase(db, s.ifNotExists, Object.fromEntries(s.options));
        return ok('Execute statement succeeded.');
      }
      case 'createFunction':
        return this.createFunction(s);
      case 'drop':
        return this.drop(s);
      case 'alterTable': {
        const path = this.catalogs.qualify(s.name.parts);
        const entry = await this.catalogs.get(path);
        if (!entry) {
          if (s.ifExists) return ok('Execute statement succeeded.');
          await this.catalogs.resolve(s.name.parts);
        }
        if (entry?.kind !== 'table') throw new ValidationError(`${formatPath(path)} is not a table`, s.pos);
        const a = s.action;
        if (a.kind === 'rename') return this.renameTable(path, a.newName.parts, s.pos);
        if (a.kind === 'addColumns' || a.kind === 'modifyColumns' || a.kind === 'dropColumns' || a.kind === 'renameColumn') {
          const changes: ColumnChange[] =
            a.kind === 'dropColumns'
              ? a.names.map((n) => ({ kind: 'drop', name: n.value }))
              : a.kind === 'renameColumn'
                ? [{ kind: 'rename', from: a.from.value, to: a.to.value }]
                : a.columns.map((c) => ({
                    kind: a.kind === 'addColumns' ? 'add' : 'modify',
                    name: c.column.name.value,
                    type: c.column.type,
                    ...(c.column.comment !== undefined ? { comment: c.column.comment } : {}),
                    ...(c.position ? { position: c.position.kind === 'first' ? { kind: 'first' } : { kind: 'after', column: c.position.column.value } } : {}),
                  }));
          const cat = this.catalogs.getCatalog(path.catalog);
          if (cat.alterTableColumns) await cat.alterTableColumns(path.database, path.table, changes);
          else Object.assign(entry, applyColumnChanges(entry, changes, formatPath(path)));
          return ok('Execute statement succeeded.');
        }
        const options = { ...entry.options };
        if (a.kind === 'setOptions') for (const [k, v] of a.options) options[k] = v;
        else for (const k of a.keys) delete options[k];
        const cat = this.catalogs.getCatalog(path.catalog);
        if (cat.alterTableOptions) await cat.alterTableOptions(path.database, path.table, options);
        else entry.options = options;
        return ok('Execute statement succeeded.');
      }
      case 'useCatalog':
        await this.catalogs.useCatalog(s.name.value);
        return ok('Execute statement succeeded.');
      case 'useDatabase':
        await this.catalogs.useDatabase(s.name.parts);
        return ok('Execute statement succeeded.');
      case 'set':
        return this.set(s);
      case 'reset':
        if (s.key === undefined) this.config.clear();
        else this.config.delete(s.key);
        return ok('Execute statement succeeded.');
      case 'show':
        return this.show(s);
      case 'showCreate':
        return this.showCreate(s);
      case 'describe':
        return this.describe(s);
      case 'explain':
        return { kind: 'explain', text: await this.explain(s.statement) };
      case 'insert':
        if (this.pendingSet) {
          this.pendingSet.push(s);
          return ok('Add SQL update statement to the statement set.');
        }
        return this.insert([s]);
      case 'statementSet':
        return this.insert(s.statements);
      case 'beginStatementSet':
        this.pendingSet = [];
        return ok('Begin a statement set.');
      case 'end': {
        const set = this.pendingSet;
        this.pendingSet = undefined;
        if (!set) throw new ValidationError('END without BEGIN STATEMENT SET', s.pos);
        if (!set.length) return ok('No statement in the statement set, skip submit.');
        return this.insert(set);
      }
      case 'queryStatement':
        return this.query(s.query);
      case 'describeJob': {
        // Flink's columns: this session's job, else one of this machine's registry (tsstream jobs list).
        const mine = this.jobs.get(s.jobId);
        const row: Row = mine
          ? [mine.id, mine.name, mine.status, new Date(mine.metrics.startTime).toISOString()]
          : await new JobRegistry()
              .find(s.jobId)
              .then((r) => [r.id, r.name, r.status, new Date(r.startTime).toISOString()] as Row)
              .catch((e: Error) => {
                throw new ValidationError(e.message, s.pos);
              });
        return {
          kind: 'table',
          columns: [{ name: 'job id', type: STRING }, { name: 'job name', type: STRING }, { name: 'status', type: STRING }, { name: 'start time', type: STRING }],
          rows: [row],
        };
      }
      case 'stopJob': {
        const dir = this.config.get('state.savepoints.dir') ?? this.config.get('execution.checkpointing.savepoint-dir');
        const job = this.jobs.get(s.jobId);
        if (!job) {
          // A job of another process (started by `tsstream run` or a detached INSERT): its control endpoint.
          const registry = new JobRegistry();
          const rec = await registry.find(s.jobId).catch((e: Error) => {
            throw new ValidationError(e.message, s.pos);
          });
          if (rec.status !== 'RUNNING' && rec.status !== 'CREATED') throw new ValidationError(`Job ${rec.id} is not running (status ${rec.status})`, s.pos);
          if (s.withSavepoint) {
            const r = await controlRequest(registry, rec, 'POST', 'stop', { dir: dir ? storageDir(dir) : undefined, drain: s.withDrain });
            return { kind: 'table', columns: [{ name: 'savepoint path', type: STRING }], rows: [[savepointUri(String(r.path))]] };
          }
          await controlRequest(registry, rec, 'POST', '/v1/cancel', {});
          return ok('The specified job is stopped.');
        }
        if (s.withSavepoint) {
          if (!dir) throw new ValidationError("STOP JOB … WITH SAVEPOINT needs 'state.savepoints.dir' to be SET", s.pos);
          const path = await job.stopWithSavepoint(storageDir(dir), s.withDrain);
          return { kind: 'table', columns: [{ name: 'savepoint path', type: STRING }], rows: [[path ? savepointUri(path) : '']] };
        }
        job.cancel();
        return ok('The specified job is stopped.');
      }
      case 'help':
        return ok(HELP);
      case 'quit':
        return { kind: 'quit' };
      case 'clear':
        return ok('');
      case 'callProcedure':
        return this.callProcedure(s);
      case 'optimize':
        return this.optimize(s);
      case 'vacuum':
        return this.vacuum(s);
      case 'addJar':
      case 'removeJar':
        return { kind: 'ok', message: 'Execute statement succeeded.', warnings: [`${s.kind === 'addJar' ? 'ADD' : 'REMOVE'} JAR '${s.path}' is ignored: tsstream runs no JVM code.`] };
    }
  }

  /**
   * Iceberg table maintenance as Flink's and Spark's Iceberg procedures name it:
   * `CALL cat.system.rewrite_data_files(table => 'db.t')` (bin-pack compaction) and
   * `CALL cat.system.expire_snapshots(table => 'db.t', older_than => TIMESTAMP '…', retain_last => 1)`.
   */
  private async callProcedure(s: A.CallProcedureStatement): Promise<StatementResult> {
    const parts = s.name.parts;
    const catalogName = parts.length === 3 ? parts[0] : this.catalogs.currentCatalog;
    const proc = parts[parts.length - 1].toLowerCase();
    const catalog = this.catalogs.getCatalog(catalogName);
    if (!isIcebergCatalog(catalog)) throw new UnsupportedError(`Catalog '${catalogName}' has no procedures (Iceberg catalogs have rewrite_data_files and expire_snapshots)`, s.pos);
    const binder = this.binder();
    const args = new Map<string, unknown>();
    s.args.forEach((a, i) => {
      const v = binder.bindExpr(a.value, Scope.of([]));
      if (v.kind !== 'literal') throw new ValidationError(`Procedure arguments must be constants`, a.value.pos);
      args.set(a.name?.value.toLowerCase() ?? ['table', 'older_than', 'retain_last'][i], v.value);
    });
    const table = String(args.get('table') ?? '');
    const [db, name] = table.includes('.') ? table.split('.', 2) : [this.catalogs.currentDatabase, table];
    const ops = await catalog.backend.loadTable(db, name);
    if (!ops) throw new ValidationError(`Table '${table}' not found in Iceberg catalog '${catalogName}'`, s.pos);
    const BIG: LogicalType = { kind: 'BIGINT', nullable: false };
    switch (proc) {
      case 'rewrite_data_files': {
        const { rewriteDataFiles } = await import('../connectors/iceberg/maintenance.js');
        const r = await rewriteDataFiles(ops, { minInputFiles: args.has('min_input_files') ? Number(args.get('min_input_files')) : undefined });
        return { kind: 'table', columns: [{ name: 'rewritten_data_files_count', type: BIG }, { name: 'added_data_files_count', type: BIG }], rows: [[r.rewrittenFiles, r.addedFiles]] };
      }
      case 'expire_snapshots': {
        const older = args.get('older_than');
        const { expireSnapshots } = await import('../connectors/iceberg/maintenance.js');
        const r = await expireSnapshots(ops, {
          olderThanMs: typeof older === 'number' ? Math.floor(older / 1000) : undefined,
          retainLast: args.has('retain_last') ? Number(args.get('retain_last')) : undefined,
        });
        return { kind: 'table', columns: [{ name: 'expired_snapshots_count', type: BIG }, { name: 'deleted_files_count', type: BIG }], rows: [[r.expiredSnapshots, r.deletedFiles]] };
      }
      default:
        throw new UnsupportedError(`Unknown procedure '${parts.join('.')}': Iceberg catalogs have rewrite_data_files and expire_snapshots`, s.pos);
    }
  }

  /** The operations of an Iceberg table named in OPTIMIZE / VACUUM. */
  private async icebergTableOps(name: A.ObjectName, what: string, pos: A.Pos) {
    const path = this.catalogs.qualify(name.parts);
    const catalog = this.catalogs.getCatalog(path.catalog);
    if (!isIcebergCatalog(catalog)) {
      throw new UnsupportedError(`${what} works on Iceberg tables: '${name.parts.join('.')}' is in catalog '${path.catalog}', which is not an Iceberg catalog`, pos);
    }
    const ops = await catalog.backend.loadTable(path.database, path.table);
    if (!ops) throw new ValidationError(`Table '${path.database}.${path.table}' not found in Iceberg catalog '${path.catalog}'`, pos);
    return ops;
  }

  /** Athena's `OPTIMIZE t REWRITE DATA USING BIN_PACK [WHERE p]`: the rewrite_data_files procedure on the partitions p selects. */
  private async optimize(s: A.OptimizeStatement): Promise<StatementResult> {
    const ops = await this.icebergTableOps(s.table, 'OPTIMIZE', s.pos);
    let include: ((f: import('../connectors/iceberg/manifest.js').DataFile) => boolean) | undefined;
    if (s.where) {
      const cols = await (await import('../connectors/iceberg/athena.js')).identityPartitionColumns(ops);
      let pred: (row: Row) => boolean;
      try {
        const where = s.where;
        pred = withUserFunctions(this.functions, () => compilePredicate(this.binder().bindExpr(where, Scope.of(cols.fields))));
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        throw new ValidationError(
          `OPTIMIZE … WHERE may use only the identity partition columns of ${ops.name} (${cols.fields.map((f) => f.name).join(', ') || 'it has none'}): ${e.message}`,
          s.where.pos,
        );
      }
      include = (f) => {
        const values = cols.values(f);
        return values !== undefined && pred(values);
      };
    }
    const r = await (await import('../connectors/iceberg/athena.js')).optimizeBinPack(ops, include);
    const BIG: LogicalType = { kind: 'BIGINT', nullable: false };
    return { kind: 'table', columns: [{ name: 'rewritten_data_files_count', type: BIG }, { name: 'added_data_files_count', type: BIG }], rows: [[r.rewrittenFiles, r.addedFiles]] };
  }

  /** Athena's `VACUUM t`: expire snapshots by the table's retention properties, then remove orphan files. */
  private async vacuum(s: A.VacuumStatement): Promise<StatementResult> {
    const ops = await this.icebergTableOps(s.table, 'VACUUM', s.pos);
    const r = await (await import('../connectors/iceberg/athena.js')).vacuum(ops);
    const BIG: LogicalType = { kind: 'BIGINT', nullable: false };
    return {
      kind: 'table',
      columns: [
        { name: 'expired_snapshots_count', type: BIG },
        { name: 'deleted_files_count', type: BIG },
        { name: 'orphan_files_count', type: BIG },
      ],
      rows: [[r.expiredSnapshots, r.deletedFiles, r.orphanFiles]],
    };
  }

  private async createTable(s: A.CreateTableStatement): Promise<StatementResult> {
    if (s.asQuery) throw new UnsupportedError('CREATE TABLE … AS SELECT is not supported yet', s.pos);
    const path = this.catalogs.qualify(s.name.parts);
    let columns: CatalogColumn[] = [];
    let watermark: CatalogTable['watermark'];
    let options: Record<string, string> = {};
    let partitionKeys = s.partitionedBy.map((p) => p.value);
    let primaryKey = s.primaryKey?.columns.map((c) => c.value);
    if (s.like) {
      const src = await this.catalogs.resolve(s.like.source.parts);
      if (src.entry.kind !== 'table') throw new ValidationError('CREATE TABLE … LIKE needs a table', s.like.pos);
      const excl = (f: A.LikeOption['feature']) => s.like!.options.some((o) => o.mode === 'EXCLUDING' && (o.feature === f || o.feature === 'ALL'));
      columns = src.entry.columns.filter((c) => c.kind === 'physical' || (c.kind === 'computed' ? !excl('GENERATED') : !excl('METADATA')));
      if (!excl('WATERMARKS')) watermark = src.entry.watermark;
      if (!excl('OPTIONS')) options = { ...src.entry.options };
      if (!excl('PARTITIONS') && !partitionKeys.length) partitionKeys = src.entry.partitionKeys;
      if (!excl('CONSTRAINTS') && !primaryKey) primaryKey = src.entry.primaryKey;
    }
    const seen = new Set(columns.map((c) => c.name));
    for (const c of s.columns) {
      if (seen.has(c.name.value)) throw new ValidationError(`Duplicate column '${c.name.value}' in CREATE TABLE ${s.name.parts.join('.')}`, c.pos);
      seen.add(c.name.value);
      if (c.kind === 'physical') columns.push({ kind: 'physical', name: c.name.value, type: c.type, comment: c.comment });
      else if (c.kind === 'computed') columns.push({ kind: 'computed', name: c.name.value, expr: printExpression(c.expr), comment: c.comment });
      else columns.push({ kind: 'metadata', name: c.name.value, type: c.type, key: c.from, virtual: c.virtual, comment: c.comment });
    }
    if (s.watermark) {
      if (!seen.has(s.watermark.column.value)) {
        throw new ValidationError(`WATERMARK FOR '${s.watermark.column.value}': no such column${suggestion(s.watermark.column.value, seen)}`, s.watermark.column.pos);
      }
      watermark = { column: s.watermark.column.value, expr: printExpression(s.watermark.expr) };
    }
    for (const p of partitionKeys) if (!seen.has(p)) throw new ValidationError(`PARTITIONED BY column '${p}' is not a column of the table${suggestion(p, seen)}`, s.pos);
    for (const [k, v] of s.options) options[k] = v;
    const table: CatalogTable = { kind: 'table', columns, watermark, primaryKey, partitionKeys, options, comment: s.comment };
    // Validate the definition now (connector, options, computed columns, watermark), as Flink does on use.
    if (options['connector'] !== undefined || this.catalogs.getCatalog(path.catalog).tableFactory === undefined) {
      if (options['connector'] === undefined) {
        throw new ValidationError(
          `Table options do not contain an option key 'connector' for ${formatPath(path)}. Available connectors: ${this.registry.connectorIds().join(', ')}`,
          s.pos,
        );
      }
      const probe = new InMemoryCatalog('__probe__');
      await probe.createTable('default_database', 't', table, false);
      const tmp = new CatalogManager();
      await tmp.registerCatalog('__probe__', probe);
      await new Binder({ catalogs: tmp, registry: this.registry, config: this.config }).resolveTable(['__probe__', 'default_database', 't'], [], s.pos).catch((e) => {
        if (e instanceof ValidationError) throw new ValidationError(e.message.replace('__probe__.default_database.t', formatPath(path)), e.position ?? s.pos);
        throw e;
      });
    }
    await this.catalogs.create(path, table, s.ifNotExists, s.temporary);
    return ok('Execute statement succeeded.');
  }

  private async createCatalog(s: A.CreateCatalogStatement): Promise<StatementResult> {
    const options = Object.fromEntries(s.options);
    const type = options['type'];
    if (!type) throw new ValidationError(`CREATE CATALOG ${s.name.value}: missing option 'type' (one of: generic_in_memory, ${this.registry.catalogTypes().join(', ')})`, s.pos);
    if (type === 'generic_in_memory') {
      await this.catalogs.registerCatalog(s.name.value, new InMemoryCatalog(s.name.value, options['default-database'] ?? 'default_database', options), s.ifNotExists);
      return ok('Execute statement succeeded.');
    }
    const f = await this.registry.catalog(type);
    if (!f) {
      throw new ValidationError(`Unknown catalog type '${type}'${suggestion(type, this.registry.catalogTypes())}. Available: generic_in_memory, ${this.registry.catalogTypes().join(', ')}`, s.pos);
    }
    if (this.catalogs.hasCatalog(s.name.value)) {
      if (s.ifNotExists) return ok('Execute statement succeeded.');
      throw new ValidationError(`Catalog '${s.name.value}' already exists`, s.pos);
    }
    await this.catalogs.registerCatalog(s.name.value, f.create(s.name.value, options));
    return ok('Execute statement succeeded.');
  }


  /**
   * CREATE FUNCTION f AS 'file.js' [LANGUAGE JAVASCRIPT]: a JavaScript module declaring its SQL
   * signature (src/functions/javascript.ts), path relative to the working directory. A Java, Scala
   * or Python class needs Flink's runtime.
   */
  private async createFunction(s: A.CreateFunctionStatement): Promise<StatementResult> {
    const name = s.name.parts[s.name.parts.length - 1];
    const js = s.language === 'JAVASCRIPT' || (s.language === undefined && /\.(m?js|cjs|ts|mts)$/i.test(s.className));
    if (!js) throw new UnsupportedError(`User-defined functions in ${s.language ?? 'JAVA'} (CREATE FUNCTION … AS '${s.className}') need a JVM or Python and are not supported; write it in JavaScript: CREATE FUNCTION ${name} AS 'file.js' LANGUAGE JAVASCRIPT`, s.pos);
    if (isBuiltinFunction(name)) throw new ValidationError(`Function ${name} is a built-in function`, s.pos);
    if (isUserFunction(name, this.functions)) {
      if (s.ifNotExists) return ok('Execute statement succeeded.');
      throw new ValidationError(`Function ${name} already exists`, s.pos);
    }
    const f = await loadJavaScriptFunction(name, s.className, process.cwd(), parseDataType);
    registerUserFunction(f, this.functions);
    return ok('Execute statement succeeded.');
  }

  private async drop(s: A.DropStatement): Promise<StatementResult> {
    switch (s.objectType) {
      case 'CATALOG':
        await this.catalogs.dropCatalog(s.name.parts[0], s.ifExists);
        break;
      case 'DATABASE': {
        const [catalog, db] = s.name.parts.length === 2 ? s.name.parts : [this.catalogs.currentCatalog, s.name.parts[0]];
        await this.catalogs.getCatalog(catalog).dropDatabase(db, s.ifExists, s.behavior === 'CASCADE');
        break;
      }
      case 'TABLE':
      case 'VIEW': {
        const path = this.catalogs.qualify(s.name.parts);
        const e = await this.catalogs.get(path);
        if (e && (e.kind === 'view') !== (s.objectType === 'VIEW')) throw new ValidationError(`${formatPath(path)} is a ${e.kind}, not a ${s.objectType.toLowerCase()}`, s.pos);
        await this.catalogs.drop(path, s.ifExists, s.temporary);
        break;
      }
      case 'FUNCTION': {
        const name = s.name.parts[s.name.parts.length - 1];
        if (!dropUserFunction(name, this.functions) && !s.ifExists) throw new ValidationError(`Function ${name} does not exist`, s.pos);
        break;
      }
    }
    return ok('Execute statement succeeded.');
  }

  private set(s: A.SetStatement): StatementResult {
    if (s.key === undefined) {
      const rows = effectiveConfig(this.config).map(([k, v]) => [k, maskSecrets({ [k]: v })[k]]);
      return { kind: 'table', columns: [{ name: 'key', type: STRING }, { name: 'value', type: STRING }], rows };
    }
    const value = s.value ?? '';
    const invalid = checkConfigValue(s.key, value);
    if (invalid) throw new ValidationError(invalid, s.pos);
    this.config.set(s.key, value);
    const warnings: string[] = [];
    if (!(s.key in CONFIG_OPTIONS)) {
      warnings.push(`Unknown configuration key '${s.key}'${suggestion(s.key, Object.keys(KNOWN_CONFIG))}: kept, but tsstream does not use it.`);
    }
    return { kind: 'ok', message: 'Execute statement succeeded.', warnings };
  }

  private async show(s: A.ShowStatement): Promise<StatementResult> {
    const one = (name: string, values: string[]): StatementResult => {
      let vs = values;
      if (s.like) {
        const re = new RegExp('^' + s.like.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.') + '$', s.like.ilike ? 'i' : '');
        vs = vs.filter((v) => re.test(v) !== s.like!.not);
      }
      return { kind: 'table', columns: [{ name, type: STRING }], rows: vs.map((v) => [v]) };
    };
    switch (s.object) {
      case 'CATALOGS':
        return one('catalog name', this.catalogs.catalogNames());
      case 'CURRENT CATALOG':
        return one('current catalog name', [this.catalogs.currentCatalog]);
      case 'CURRENT DATABASE':
        return one('current database name', [this.catalogs.currentDatabase]);
      case 'DATABASES': {
        const catalog = s.from?.parts[0] ?? this.catalogs.currentCatalog;
        return one('database name', await this.catalogs.getCatalog(catalog).listDatabases());
      }
      case 'TABLES':
      case 'VIEWS': {
        const parts = s.from?.parts ?? [];
        const [catalog, db] = parts.length === 2 ? parts : parts.length === 1 ? [this.catalogs.currentCatalog, parts[0]] : [this.catalogs.currentCatalog, this.catalogs.currentDatabase];
        return one(s.object === 'TABLES' ? 'table name' : 'view name', await this.catalogs.listTables(catalog, db, s.object === 'VIEWS'));
      }
      case 'FUNCTIONS':
        return one('function name', [...scalarFunctionNames(), ...aggregateFunctionNames()].map((f) => f.toLowerCase()).sort());
      case 'USER FUNCTIONS':
        return one('function name', userFunctionNames(this.functions).map((f) => f.toLowerCase()));
      case 'JOBS': {
        // Jobs of this session, and every job of this machine's registry (tsstream jobs list).
        const rows = new Map<string, Row>();
        for (const r of await new JobRegistry().list()) rows.set(r.id, [r.id, r.name, r.status, new Date(r.startTime).toISOString()]);
        for (const j of this.jobs.values()) rows.set(j.id, [j.id, j.name, j.status, new Date(j.metrics.startTime).toISOString()]);
        return {
          kind: 'table',
          columns: [{ name: 'job id', type: STRING }, { name: 'job name', type: STRING }, { name: 'status', type: STRING }, { name: 'start time', type: STRING }],
          rows: [...rows.values()],
        };
      }
      case 'COLUMNS':
        if (!s.from) throw new ValidationError('SHOW COLUMNS needs FROM table', s.pos);
        return this.describe({ kind: 'describe', name: s.from, extended: false, pos: s.pos, span: s.span });
      case 'MODULES':
      case 'FULL MODULES':
        return one('module name', ['core']);
      case 'JARS':
        return one('jars', []);
    }
  }

  private async describe(s: A.DescribeStatement): Promise<StatementResult> {
    const { path, entry } = await this.catalogs.resolve(s.name.parts);
    const columns: Field[] = [
      { name: 'name', type: STRING },
      { name: 'type', type: STRING },
      { name: 'null', type: BOOL },
      { name: 'key', type: STRING_NULL },
      { name: 'extras', type: STRING_NULL },
      { name: 'watermark', type: STRING_NULL },
    ];
    if (entry.kind === 'view') {
      const plan = await this.binder().bindQuery((parseStatements(entry.query)[0] as A.QueryStatement).query);
      return { kind: 'table', columns, rows: plan.fields.map((f) => [f.name, formatType(f.type).replace(/ NOT NULL$/, ''), f.type.nullable, '', '', '']) };
    }
    const resolved = await this.binder().resolveTable([path.catalog, path.database, path.table]).catch(() => undefined);
    const rows: Row[] = entry.columns.map((c, i) => {
      const type: LogicalType | undefined = c.kind === 'computed' ? resolved?.fields[i]?.type : c.type;
      const timeAttr = resolved?.fields[i]?.timeAttr;
      let typeText = type ? formatType(type).replace(/ NOT NULL$/, '') : '?';
      if (timeAttr === 'rowtime') typeText += ' *ROWTIME*';
      if (timeAttr === 'proctime') typeText += ' *PROCTIME*';
      // Flink prints blanks, not <NULL>, where a column has no key, extras or watermark.
      const extras = c.kind === 'computed' ? `AS ${c.expr}` : c.kind === 'metadata' ? `METADATA${c.key ? ` FROM '${c.key}'` : ''}${c.virtual ? ' VIRTUAL' : ''}` : '';
      const pk = entry.primaryKey?.includes(c.name) ? `PRI(${entry.primaryKey.join(', ')})` : '';
      const wm = entry.watermark?.column === c.name ? entry.watermark.expr : '';
      return [c.name, typeText, type ? type.nullable && !pk : true, pk, extras, wm];
    });
    const result: StatementResult = { kind: 'table', columns, rows };
    if (s.extended) {
      const opts = maskSecrets(entry.options);
      result.rows.push(...Object.entries(opts).map(([k, v]) => [`option '${k}'`, v, true, '', '', ''] as Row));
    }
    return result;
  }

  /** A view's query as Flink prints it (expanded: qualified, quoted names) where its shape allows, else as written. */
  private async expandedViewQuery(query: string): Promise<string> {
    const st = parseStatements(query)[0];
    if (st?.kind !== 'queryStatement') return query;
    const expanded = await expandViewQuery(st.query, async (name) => {
      const found = await this.catalogs.resolve(name.parts).catch(() => undefined);
      if (!found || found.entry.kind !== 'table') return undefined;
      return { path: [found.path.catalog, found.path.database, found.path.table], columns: found.entry.columns.map((c) => c.name) };
    });
    return expanded ? printStatement({ ...st, query: expanded }) : query;
  }

  private async showCreate(s: A.ShowCreateStatement): Promise<StatementResult> {
    const { path, entry } = await this.catalogs.resolve(s.name.parts);
    let text: string;
    if (s.objectType === 'VIEW' && entry.kind !== 'view') throw new ValidationError(`SHOW CREATE VIEW is only supported for views, but ${formatPath(path)} is a table. Use SHOW CREATE TABLE`, s.pos);
    if (s.objectType === 'TABLE' && entry.kind === 'view') throw new ValidationError(`SHOW CREATE TABLE is only supported for tables, but ${formatPath(path)} is a view. Use SHOW CREATE VIEW`, s.pos);
    if (entry.kind === 'view') {
      // Flink's form: TEMPORARY when it is, the column list, then the query (as written; Flink
      // prints its expanded form with qualified names).
      const names = entry.columnNames ?? (await this.binder().bindQuery((parseStatements(entry.query)[0] as A.QueryStatement).query)).fields.map((f) => f.name);
      const temporary = this.catalogs.isTemporary(path) ? 'TEMPORARY ' : '';
      const query = await this.expandedViewQuery(entry.query);
      text = `CREATE ${temporary}VIEW ${quoteIdent(path.catalog)}.${quoteIdent(path.database)}.${quoteIdent(path.table)}(${names.map(quoteIdent).join(', ')}) as\n${query}`;
    } else {
      const lines = entry.columns.map((c) => {
        if (c.kind === 'physical') return `  ${quoteIdent(c.name)} ${formatType(c.type)}`;
        if (c.kind === 'computed') return `  ${quoteIdent(c.name)} AS ${c.expr}`;
        return `  ${quoteIdent(c.name)} ${formatType(c.type)} METADATA${c.key ? ` FROM '${c.key}'` : ''}${c.virtual ? ' VIRTUAL' : ''}`;
      });
      if (entry.watermark) lines.push(`  WATERMARK FOR ${quoteIdent(entry.watermark.column)} AS ${entry.watermark.expr}`);
      if (entry.primaryKey?.length) lines.push(`  CONSTRAINT \`PK_${entry.primaryKey.join('_')}\` PRIMARY KEY (${entry.primaryKey.map(quoteIdent).join(', ')}) NOT ENFORCED`);
      const opts = Object.entries(maskSecrets(entry.options)).map(([k, v]) => `  '${k}' = '${v.replace(/'/g, "''")}'`);
      text =
        `CREATE TABLE ${quoteIdent(path.catalog)}.${quoteIdent(path.database)}.${quoteIdent(path.table)} (\n${lines.join(',\n')}\n)` +
        (entry.comment ? `\nCOMMENT '${entry.comment.replace(/'/g, "''")}'` : '') +
        (entry.partitionKeys.length ? `\nPARTITIONED BY (${entry.partitionKeys.map(quoteIdent).join(', ')})` : '') +
        (opts.length ? ` WITH (\n${opts.join(',\n')}\n)` : '') +
        '\n';
    }
    return { kind: 'table', columns: [{ name: 'result', type: STRING_NULL }], rows: [[text]] };
  }

  /** Plans INSERTs and SELECTs: logical plans, then physical ones. */
  async plan(s: A.InsertStatement | A.QueryStatement | A.StatementSetStatement): Promise<{ logical: LogicalNode[]; physical: PhysicalNode[] }> {
    const binder = this.binder();
    const batch = isBatchMode(this.config);
    const logical: LogicalNode[] = [];
    if (s.kind === 'queryStatement') logical.push(await binder.bindQuery(s.query));
    else for (const ins of s.kind === 'insert' ? [s] : s.statements) logical.push(await binder.bindInsert(ins));
    let physical = logical.map((l) => {
      const p = toPhysical(l, { batch });
      return s.kind === 'queryStatement' ? ({ kind: 'Collect', input: p, fields: p.fields } as PhysicalNode) : p;
    });
    // Scans of the same table (a self-join, views over one topic, the INSERTs of a statement set) read it once.
    const on = (k: string) => (this.config.get(k) ?? 'true').trim().toLowerCase() !== 'false';
    if (on('table.optimizer.reuse-source-enabled')) physical = reuseSources(physical);
    // Then equal sub-plans over them (q5's two equal HOP counts over bid) are computed once.
    if (on('table.optimizer.reuse-sub-plan-enabled')) physical = reuseSubplans(physical);
    // The nested fields of ROW columns nothing reads are skipped by the decoders that can.
    pruneNestedFields(physical);
    return { logical, physical };
  }

  async explain(s: A.InsertStatement | A.QueryStatement | A.StatementSetStatement): Promise<string> {
    const { logical, physical } = await this.plan(s);
    return [
      '== Abstract Syntax Tree ==',
      logical.map(explainLogical).join('\n\n'),
      '',
      '== Optimized Physical Plan ==',
      explainPhysicalPlans(physical),
      '',
      ...explainParallelism(physical, this.config, this.scriptBlocker),
    ].join('\n');
  }

  private jobName(defaultName: string): string {
    return this.config.get('pipeline.name') ?? defaultName;
  }

  private async restoreData() {
    const sp = this.config.get('execution.savepoint.path');
    if (!sp) return undefined;
    try {
      return await readCheckpoint(sp, storageOptions(this.config));
    } catch (e) {
      throw new ValidationError(`Cannot read the savepoint at 'execution.savepoint.path' = '${sp}': ${(e as Error).message}`);
    }
  }

  private async insert(stmts: A.InsertStatement[]): Promise<StatementResult> {
    const s: A.StatementSetStatement | A.InsertStatement = stmts.length === 1 ? stmts[0] : { kind: 'statementSet', statements: stmts, pos: stmts[0].pos, span: stmts[0].span };
    const { physical } = await this.plan(s);
    const sinks = stmts.map((i) => this.catalogs.qualify(i.table.parts)).map(formatPath);
    const restore = await this.restoreData();
    const savepointPath = restore ? this.config.get('execution.savepoint.path') : undefined;
    const opts = { jobName: this.jobName(`insert-into_${sinks.join(',')}`), config: new Map(this.config), log: this.log };
    const { spec: parallel, why } = this.parallelSpec(physical);
    if (why) this.log('info', `The job runs at parallelism 1: ${why}.`);
    const job = withUserFunctions(this.functions, () => new Job(physical, { ...opts, restore, restoreLocation: savepointPath, jobId: this.nextJobId, parallel }));
    this.nextJobId = undefined;
    this.jobs.set(job.id, job);
    const restart = (from?: CheckpointData, location?: string) => withUserFunctions(this.functions, () => {
      const again = new Job(physical, { ...opts, ...(from ? { restore: from, restoreLocation: location } : { restore, restoreLocation: savepointPath }), jobId: job.id, parallel });
      this.jobs.set(again.id, again);
      return again;
    });
    return { kind: 'job', job, sinks, restart };
  }

  private async query(q: A.Query): Promise<StatementResult> {
    const st: A.QueryStatement = { kind: 'queryStatement', query: q, pos: q.pos, span: { start: 0, end: 0 } };
    const { physical } = await this.plan(st);
    const { spec: parallel, why } = this.parallelSpec(physical);
    if (why) this.log('info', `The query runs at parallelism 1: ${why}.`);
    const job = withUserFunctions(this.functions, () => new Job(physical, { jobName: this.jobName('collect'), config: new Map(this.config), log: this.log, parallel }));
    return { kind: 'query', job, columns: physical[0].fields };
  }

  async close(): Promise<void> {
    for (const j of this.jobs.values()) if (j.status === 'RUNNING') j.cancel();
    await this.catalogs.closeAll();
  }
}

// A subtask run in the job's own thread (InThreadWorker: the first subtask of a file read in
// chunks) runs the worker module's job there, reporting on its port as a worker thread does.
setInThreadRunner((data, port) => {
  import('./parallel-worker.js').then(
    (m) => m.runJob(data as WorkerData, port),
    (e: unknown) => {
      port.postMessage({ t: 'failed', message: `cannot load the worker module: ${(e as Error)?.message ?? e}` });
      port.close();
    },
  );
});

/**
 * The module a parallel worker thread loads: the bundle's worker entry (dist/cli/tsstream-worker.js:
 * the bundle with its V8 code cache, src/cli/bundle-loader.ts) from the bundle itself
 * (scripts/bundle.mjs defines __TSSTREAM_BUNDLE__ there), and from tsc's dist/cli/session.js when
 * the bundle beside it is at least as new as tsc's last build (bin/tsstream.js's rule: a program
 * such as the Nexmark bench that imports dist/ gets workers that start as the CLI's do), else tsc's
 * module (src/ under tsx has no bundle beside it).
 */
function workerEntry(): URL {
  const bundled = new URL('./tsstream-worker.js', import.meta.url);
  if (typeof __TSSTREAM_BUNDLE__ !== 'undefined') return bundled;
  return bundleIsCurrent() && existsSync(bundled) ? bundled : new URL('./parallel-worker.js', import.meta.url);
}
declare const __TSSTREAM_BUNDLE__: boolean | undefined;

function ok(message: string): StatementResult {
  return { kind: 'ok', message };
}

function quoteIdent(s: string): string {
  return '`' + s.replace(/`/g, '``') + '`';
}

/** Collects every row of a SELECT job (bounded sources, or until the job is stopped). */
export async function collectQuery(r: Extract<StatementResult, { kind: 'query' }>): Promise<Row[]> {
  const rows: Row[] = [];
  const job = r.job;
  (job.opts as { onRows?: (rows: Row[]) => void }).onRows = (rs) => {
    for (const x of rs) rows.push(x);
  };
  await job.run();
  return rows;
}

/** Every statement tsstream runs, as sql-client's HELP lists them (one line each, descriptions aligned). */
export const HELP_STATEMENTS: [string, string][] = [
  ['ALTER TABLE', "Changes a table's options: ALTER TABLE t SET ('k' = 'v') / RESET ('k')."],
  ['BEGIN STATEMENT SET; … END;', 'Collects INSERTs typed one by one and runs them as one job at END.'],
  ['CALL', 'Runs an Iceberg procedure: CALL cat.system.rewrite_data_files(…) / expire_snapshots(…).'],
  ['OPTIMIZE', "Compacts an Iceberg table's small files (Athena): OPTIMIZE t REWRITE DATA USING BIN_PACK [WHERE partition predicate]."],
  ['VACUUM', "Expires an Iceberg table's old snapshots by its history.expire.* properties and removes orphan files (Athena): VACUUM t."],
  ['CLEAR', 'Clears the current terminal.'],
  ['CREATE CATALOG', "Creates a catalog: CREATE CATALOG c WITH ('type' = 'iceberg', …)."],
  ['CREATE DATABASE', 'Creates a database in the current (or the named) catalog.'],
  ['CREATE TABLE', "Creates a table: columns, WATERMARK, PRIMARY KEY, WITH ('connector' = '…')."],
  ['CREATE VIEW', 'Creates a view of a query.'],
  ['DESCRIBE / DESC', 'Describes the schema of a table or view.'],
  ['DROP CATALOG / DATABASE / TABLE / VIEW', 'Drops an object.'],
  ['EXECUTE STATEMENT SET BEGIN … END', 'Runs several INSERTs as one job.'],
  ['EXPLAIN', 'Prints the plans of an INSERT or SELECT.'],
  ['HELP', 'Prints the available statements.'],
  ['INSERT INTO', 'Runs a query into a table, as a job (in the shell: in the background).'],
  ['QUIT / EXIT', 'Quits the SQL shell.'],
  ['RESET', "Resets a session property: RESET 'key'; RESET; resets all of them."],
  ['SELECT', 'Runs a query and prints its result.'],
  ['SET', "Sets a session property: SET 'key' = 'value'; SET; lists the effective ones."],
  ['SHOW CATALOGS / DATABASES / TABLES / VIEWS', 'Lists objects (LIKE filters the names).'],
  ['SHOW COLUMNS FROM', 'Lists the columns of a table.'],
  ['SHOW CREATE TABLE / VIEW', 'Prints the statement that creates a table or view.'],
  ['SHOW CURRENT CATALOG / DATABASE', 'Prints the current catalog or database.'],
  ['SHOW FUNCTIONS / USER FUNCTIONS', 'Lists the functions.'],
  ['SHOW JOBS', 'Lists the jobs (with why a failed one failed).'],
  ['SHOW MODULES / FULL MODULES / JARS', 'Lists modules and jars (for compatibility).'],
  ["STOP JOB '<id>' [WITH SAVEPOINT] [WITH DRAIN]", 'Stops a job, with a savepoint if asked.'],
  ['USE CATALOG', 'Sets the current catalog.'],
  ['USE', 'Sets the current database.'],
  ['ADD JAR / REMOVE JAR', 'Accepted for compatibility; tsstream runs no JVM code.'],
];

const HELP_WIDTH = Math.max(...HELP_STATEMENTS.map(([k]) => k.length)) + 2;
const HELP = `The following commands are available:

${HELP_STATEMENTS.map(([k, d]) => k.padEnd(HELP_WIDTH) + d).join('\n')}

Hint: Make sure that a statement ends with ";" for finalizing (multi-line) statements.`;

/** An Iceberg catalog (told by its type, so that the session does not import the connector to ask). */
function isIcebergCatalog(c: Catalog): c is IcebergCatalog {
  return c.type === 'iceberg';
}
