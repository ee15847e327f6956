// `tsstream test --target flink`: the same spec run on a Flink cluster through its SQL Gateway, so
// a job is proven on the engine it will be deployed to. The job file is planned by tsstream first
// (to learn which tables the spec feeds and what each INSERT writes), then resent to Flink with:
//   - every table the spec feeds read from a JSON-lines file of the spec's rows (same columns,
//     computed columns and watermark; metadata columns become plain columns carrying the
//     spec's values), written with the table's own json.* options;
//   - every catalog swapped for a `generic_in_memory` catalog of the same name (nothing outside
//     the test is touched), every written table a blackhole;
//   - each INSERT run as its SELECT, cast to the sink's columns, collected as a changelog and
//     materialised, then compared with the spec's final expectations (`sinks: … expect:`).
// Step-by-step expectations depend on tsstream driving the watermark and are checked on tsstream
// only. The rows files live in this machine's temporary folder: the cluster must see it (a
// MiniCluster or a cluster on this machine), as Flink's filesystem source reads them.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as A from '../parser/ast.js';
import { printDataType, printQuery, printStatement } from '../parser/printer.js';
import { formatPath } from '../common/connector.js';
import type { Field, Row } from '../common/types.js';
import { getFormat } from '../formats/registry.js';
import { FlinkError, GatewaySession, maskSecretsInText, type RemoteRow } from '../remote/gateway.js';
import { TARGET_KEYS } from '../remote/compat.js';
import { SpecRun, type CaseResult } from './runner.js';
import { SpecError, whereText, type Spec } from './spec.js';
import { readRows } from './fixtures.js';
import { compareRows, type SinkDiff } from './compare.js';
import { ValueError, canonical, toRuntime } from './values.js';

export interface FlinkTargetOptions {
  gateway: string;
  cwd?: string;
  /** How long one INSERT's query may run on Flink (ms). */
  timeoutMs?: number;
}

/** Keys that point at storage or choose the target: not sent to Flink (its results are collected). */
const LOCAL_KEYS = new Set<string>([...TARGET_KEYS, 'execution.checkpointing.dir', 'state.checkpoints.dir', 'state.savepoints.dir', 'execution.savepoint.path', 'execution.checkpointing.savepoint-dir']);

const q = (s: string) => '`' + s.replace(/`/g, '``') + '`';
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The json.* options of a table's value format, as the json format's own keys. */
function jsonOptions(options: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) {
    const m = /^(?:value\.)?json\.(.+)$/.exec(k);
    if (m) out[m[1]] = v;
  }
  return out;
}

/** A CREATE TABLE the spec feeds, as Flink should see it: a filesystem JSON source over `file`. */
function sourceDdl(s: A.CreateTableStatement, file: string, json: Record<string, string>): string {
  const columns: A.ColumnDef[] = s.columns.map((c) => (c.kind === 'metadata' ? { kind: 'physical', name: c.name, type: c.type, pos: c.pos } : c));
  const options: A.Options = [
    ['connector', 'filesystem'],
    ['path', file],
    ['format', 'json'],
    ...Object.entries(json).map(([k, v]) => [`json.${k}`, v] as [string, string]),
  ];
  return printStatement({ ...s, columns, options, partitionedBy: [], like: undefined });
}

/** A written table as Flink should see it: same columns, a blackhole (the rows are collected from its query). */
function sinkDdl(s: A.CreateTableStatement): string {
  const columns: A.ColumnDef[] = s.columns.filter((c) => !(c.kind === 'metadata' && c.virtual)).map((c) => (c.kind === 'metadata' ? { kind: 'physical', name: c.name, type: c.type, pos: c.pos } : c));
  return printStatement({ ...s, columns, options: [['connector', 'blackhole']], like: undefined, watermark: undefined });
}

/** The INSERT's query, cast to the sink's columns (absent ones NULL), as a SELECT Flink can collect. */
export function collectingQuery(ins: A.InsertStatement, fields: Field[]): string {
  const named = ins.columns?.map((c) => c.value);
  const width = named?.length ?? fields.length;
  const inner = Array.from({ length: width }, (_, i) => q(`c${i}`));
  const select = fields.map((f, i) => {
    const at = named ? named.indexOf(f.name) : i;
    const value = at < 0 ? 'NULL' : `__q.${q(`c${at}`)}`;
    return `CAST(${value} AS ${printDataType(f.type)}) AS ${q(f.name)}`;
  });
  return `SELECT ${select.join(', ')} FROM (${printQuery(ins.query)}) AS __q(${inner.join(', ')})`;
}

/** Flink's changelog as the final rows: +I/+U add a row, -U/-D take one equal row back. */
function materialise(rows: Row[], kinds: string[], fields: Field[], timeZone: string): Row[] {
  const live = new Map<string, Row[]>();
  const keyOf = (r: Row) => JSON.stringify(r.map((v, i) => canonical(v, fields[i].type, timeZone)));
  rows.forEach((r, i) => {
    const k = keyOf(r);
    const list = live.get(k) ?? [];
    if (kinds[i] === '+I' || kinds[i] === '+U') {
      list.push(r);
      live.set(k, list);
    } else list.pop();
  });
  return [...live.values()].flat();
}

class FlinkSpecRun {
  readonly notes: string[] = [];
  readonly failures: { where: string; diffs: SinkDiff[] }[] = [];
  private tmp = '';

  constructor(
    readonly spec: Spec,
    readonly opts: FlinkTargetOptions,
  ) {}

  async run(): Promise<void> {
    const local = new SpecRun(this.spec, { cwd: this.opts.cwd });
    let view: Awaited<ReturnType<SpecRun['targetView']>>;
    try {
      await local.setup();
      view = await local.targetView();
    } finally {
      await local.cleanup();
    }
    const finals = this.spec.sinks.filter((s) => s.expect);
    if (!finals.length) throw new SpecError(`nothing to check on Flink: the spec has no final expectations (sinks: NAME: expect: …); step expectations are checked on tsstream only`, this.spec.at);
    if (this.spec.steps?.some((s) => s.watermark || s.advanceMs !== undefined)) this.notes.push('watermark and processing-time steps are not replayed on Flink: its final rows are compared');
    this.tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'tsstream-test-flink-'));

    // Statements for Flink, and the INSERTs to collect.
    const statements: string[] = [];
    const inserts: A.InsertStatement[] = [];
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.spec.set)) if (!LOCAL_KEYS.has(k) && !k.startsWith('tsstream.')) config[k] = v;
    // A record that fails the job fails the test at once with Flink's reason, rather than restarting until the timeout.
    config['restart-strategy.type'] = 'none';
    let n = 0;
    let setupDone = false;
    const all: A.Statement[] = [];
    for (const s of local.statements) {
      if (!setupDone && (s.kind === 'insert' || s.kind === 'statementSet' || s.kind === 'beginStatementSet')) {
        setupDone = true;
        all.push(...local.setupStatements);
      }
      all.push(s);
    }
    for (const s of all) {
      switch (s.kind) {
        case 'createCatalog':
          statements.push(`CREATE CATALOG ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${q(s.name.value)} WITH ('type' = 'generic_in_memory')`);
          this.notes.push(`catalog ${s.name.value} → a generic_in_memory catalog on Flink`);
          break;
        case 'createTable': {
          const p = local.createdBy.get(s)!;
          const src = view.sources.get(view.keyOf(p));
          if (s.asQuery || s.like) throw new SpecError(`CREATE TABLE ${formatPath(p)} ${s.asQuery ? 'AS SELECT' : 'LIKE'} cannot be sent to Flink by tsstream test: declare its columns`, { file: this.spec.job, line: s.pos.line, col: s.pos.column });
          if (src) {
            const file = path.join(this.tmp, `source-${++n}.json`);
            const json = jsonOptions(src.table.options);
            const enc = getFormat('json')!.createEncoder(src.fields, json);
            await fs.writeFile(file, src.rows.map((r) => String(enc.encode(r)) + '\n').join(''));
            statements.push(sourceDdl(s, file, json));
            this.notes.push(`source ${formatPath(p)} ← ${src.rows.length} spec rows in ${file} (filesystem, json)`);
          } else if (view.sinks.has(view.keyOf(p))) statements.push(sinkDdl(s));
          else statements.push(printStatement(s));
          break;
        }
        case 'set':
          if (s.key === undefined || LOCAL_KEYS.has(s.key) || s.key.startsWith('tsstream.')) break;
          if (s.key.startsWith('restart-strategy')) {
            this.notes.push(`SET '${s.key}' not sent: a failing job fails the test at once`);
            break;
          }
          config[s.key] = s.value ?? '';
          statements.push(printStatement(s));
          break;
        case 'insert':
          inserts.push(s);
          break;
        case 'statementSet':
          inserts.push(...s.statements);
          break;
        case 'queryStatement':
        case 'show':
        case 'showCreate':
        case 'describe':
        case 'explain':
        case 'beginStatementSet':
        case 'end':
        case 'stopJob':
        case 'quit':
        case 'help':
        case 'clear':
          break;
        default:
          statements.push(printStatement(s));
      }
    }
    // Inserts inside BEGIN STATEMENT SET … END arrive as plain inserts in the parsed list.
    const session = await GatewaySession.open(this.opts.gateway, config, `tsstream-test-${this.spec.name}`);
    try {
      for (const st of statements) await session.execute(st);
      for (const ins of inserts) {
        const key = view.keyOf(local.insertTargets.get(ins)!);
        const specSinks = finals.filter((f) => view.sinkKey(f.name) === key);
        if (!specSinks.length) continue;
        const fields = view.sinks.get(key)!.fields;
        const sql = collectingQuery(ins, fields);
        const got: RemoteRow[] = [];
        try {
          const op = await session.submit(sql);
          await op.fetchAll((rs) => got.push(...rs), this.opts.timeoutMs ?? 300_000);
        } catch (e) {
          if (e instanceof FlinkError) throw new FlinkError(`the query of INSERT INTO ${formatPath(local.insertTargets.get(ins)!)} (${path.relative(this.opts.cwd ?? process.cwd(), this.spec.job) || this.spec.job}:${ins.pos.line}) failed on Flink: ${e.rootCause}`);
          throw e;
        }
        const rows = got.map((r, k) =>
          r.cells.map((c, i) => {
            try {
              return toRuntime(c, fields[i].type, view.timeZone);
            } catch (e) {
              if (e instanceof ValueError) throw new SpecError(`Flink's row ${k + 1} for ${formatPath(view.sinks.get(key)!.path)}, column '${fields[i].name}': ${e.message}`);
              throw e;
            }
          }),
        );
        const final = materialise(rows, got.map((r) => r.kind), fields, view.timeZone);
        const diffs: SinkDiff[] = [];
        for (const s of specSinks) {
          const d = compareRows(s.name, fields, await readRows(s.expect!), final, { order: s.order, ignoreColumns: s.ignoreColumns, timeZone: view.timeZone });
          if (d) diffs.push(d);
        }
        if (diffs.length) this.failures.push({ where: 'on Flink, end of input', diffs });
      }
    } finally {
      await session.close();
    }
  }

  async cleanup(): Promise<void> {
    if (this.tmp) await fs.rm(this.tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Runs one spec on Flink; never throws. The result's name says it ran on Flink. */
export async function runSpecOnFlink(spec: Spec, opts: FlinkTargetOptions): Promise<CaseResult> {
  const t0 = performance.now();
  const run = new FlinkSpecRun(spec, opts);
  const done = (status: CaseResult['status'], message?: string): CaseResult => ({ spec: { ...spec, name: `${spec.name} [on Flink]` }, engine: 'flink', status, message, durationMs: performance.now() - t0, failures: run.failures, updated: 0, notes: run.notes });
  try {
    await run.run();
    return done(run.failures.length ? 'fail' : 'pass');
  } catch (e) {
    if (e instanceof SpecError) return done('error', e.format(opts.cwd));
    const msg = maskSecretsInText((e as Error)?.message ?? String(e));
    return done('fail', `${whereText(spec.at, opts.cwd)}: ${msg}`);
  } finally {
    await run.cleanup();
  }
}
