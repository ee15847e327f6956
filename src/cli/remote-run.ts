// `tsstream run FILE --target flink`: the same job file on a Flink cluster through its SQL
// Gateway. SET statements become the gateway session's configuration, DDL and INSERTs run in
// order (a statement set as one job), Flink's job ids are printed; SELECT results print as a
// local run prints them. Only Flink's root cause is shown when Flink refuses something.
import { splitStatements } from '../parser/index.js';
import { flinkIncompatibilities, incompatibilityText, setStatement, TARGET_KEYS } from '../remote/compat.js';
import { FlinkError, GatewaySession, JobManagerClient, jobManagerOf, type GatewayOperation, type RemoteColumn, type RemoteRow } from '../remote/gateway.js';
import type { Field, Row } from '../common/types.js';
import { printQueryResult, typeWidth } from './shell/result-printer.js';
import { renderTableau } from './tableau.js';
import { onStdoutClosed, out } from './stdout.js';
import { formatError } from './report.js';

export interface RemoteRunOptions {
  gateway: string;
  /** The JobManager's REST address (default: the one the gateway submits to). */
  flinkRest?: string;
  /** Follow the jobs until they end. */
  attached?: boolean;
  quiet?: boolean;
  /** Session configuration (--set key=value). */
  config?: Record<string, string>;
}

/** Columns for the printers: each value arrives as Flink's text, shown as wide as its type allows. */
export function displayColumns(columns: RemoteColumn[]): Field[] {
  return columns.map((c) => ({ name: c.name, type: { kind: 'VARCHAR', length: typeWidth(c.type), nullable: true } }));
}

/** A remote row as a printer row: its cells, with its row kind. */
export function displayRow(r: RemoteRow): Row {
  const row: Row = [...r.cells];
  if (r.kind !== '+I') (row as { rowKind?: string }).rowKind = r.kind;
  return row;
}

/**
 * Prints an operation's result: a query as a (streaming) tableau, a SHOW/DESCRIBE/EXPLAIN as a
 * table. `batch` follows the session's runtime mode. Resolves with whether the user stopped it.
 */
export async function printRemoteResult(op: GatewayOperation, batch: boolean, maxColumnWidth: number, stop: () => boolean = () => false): Promise<boolean> {
  const head = await op.head();
  const cols = displayColumns(head.columns);
  if (!head.isQuery) {
    const rows: Row[] = [];
    await op.fetchAll((rs) => rows.push(...rs.map(displayRow)));
    if (head.columns.length === 1 && head.columns[0].name === 'result' && rows.length === 1 && head.columns[0].type.kind === 'VARCHAR' && /^(OK|SUCCESS)?$/.test(String(rows[0][0]))) return false;
    // EXPLAIN's answer is one text cell: print it as text, as sql-client does.
    if (/^\s*EXPLAIN\b/i.test(op.statement) && rows.length === 1) out(`${String(rows[0][0])}\n`);
    else out(renderTableau(head.columns.map((c) => ({ name: c.name, type: { kind: 'VARCHAR', length: 2147483647, nullable: true } })), rows));
    return false;
  }
  let sink: (rows: Row[]) => void = () => {};
  let stopped = false;
  await printQueryResult(
    cols,
    (f) => (sink = f),
    async () => (stopped = await op.fetchAll((rs) => sink(rs.map(displayRow)), Infinity, stop)),
    out,
    { batch, maxColumnWidth },
  );
  return stopped;
}

/** Runs a job file on Flink. Resolves with the exit code. */
export async function runFileOnFlink(file: string, text: string, opts: RemoteRunOptions): Promise<number> {
  const statements = splitStatements(text);
  const bad = flinkIncompatibilities(statements);
  if (bad.length) {
    process.stderr.write(`[ERROR] ${incompatibilityText(bad, file)}\n`);
    return 1;
  }
  const info = (s: string) => {
    if (!opts.quiet) process.stderr.write(`[INFO] ${s}\n`);
  };
  let session: GatewaySession | undefined;
  const jobs: string[] = [];
  let current: GatewayOperation | undefined;
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    void current?.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const config: Record<string, string> = { ...(opts.config ?? {}) };
  try {
    session = await GatewaySession.open(opts.gateway, config);
    for (const st of statements) {
      if (interrupted) break;
      const set = setStatement(st.text);
      if (set && (TARGET_KEYS as readonly string[]).includes(set.key)) continue;
      if (set) config[set.key] = set.value;
      try {
        current = await session.submit(st.text);
        const head = await current.head();
        if (head.jobId && !head.isQuery) {
          info('Submitting SQL update statement to the Flink cluster…');
          info(`Job ID: ${head.jobId}`);
          jobs.push(head.jobId);
          await current.close();
          continue;
        }
        if (head.isQuery) {
          const stop = onStdoutClosed(() => void current?.close());
          try {
            await printRemoteResult(current, (config['execution.runtime-mode'] ?? 'streaming').toLowerCase() === 'batch', Number(config['sql-client.display.max-column-width'] ?? 30), () => interrupted);
          } finally {
            stop();
          }
        } else if (head.resultKind === 'SUCCESS_WITH_CONTENT') {
          await printRemoteResult(current, true, 30);
        } else {
          await current.close();
          info(set ? 'Session property has been set.' : 'Execute statement succeeded.');
        }
      } catch (e) {
        if (e instanceof FlinkError) {
          process.stderr.write(`[ERROR] ${file}:${st.line}:${st.column}: ${e.message}\n`);
          return 1;
        }
        throw e;
      }
    }
    if (opts.attached && jobs.length && !interrupted) {
      const rest = opts.flinkRest ?? (await jobManagerOf(opts.gateway));
      if (!rest) throw new FlinkError("The gateway does not say where its JobManager's REST API is: pass --flink URL");
      const jm = new JobManagerClient(rest);
      for (const id of jobs) {
        const state = await jm.follow(id, (s) => info(`Job ${id}: ${s}`));
        if (state !== 'FINISHED') info(`Job ${id} ended ${state}.`);
      }
    }
    return 0;
  } catch (e) {
    process.stderr.write(`[ERROR] ${formatError(e, file, text)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session?.close();
  }
}
