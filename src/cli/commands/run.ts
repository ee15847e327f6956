// `tsstream run FILE`: runs a job file's statements in order, like `sql-client.sh -f FILE`.
import { promises as fs } from 'node:fs';
import { Option, type Command } from 'commander';
import { readStdin } from '../stdin.js';
import type { Row } from '../../common/types.js';
import type { Session, StatementResult } from '../session.js';
import { formatError, resultText } from '../report.js';
import { printQueryResult } from '../shell/result-printer.js';
import { err, onStdoutClosed, out } from '../stdout.js';
import { showProgress, summaryText } from '../progress.js';
import type { Job } from '../../runtime/job.js';
import { parseDuration } from '../../common/options.js';
import { superviseJob } from '../jobs/control.js';
import { targetSettings } from '../../remote/compat.js';
import { restartPolicy } from '../jobs/restart.js';
import { NON_INTERACTIVE_RESULT_MODE, resultMode } from '../config-options.js';
import { ValidationError } from '../../common/errors.js';

export interface RunOptions {
  set?: string[];
  quiet?: boolean;
  /** The id of the file's first INSERT job (a shell that starts the job detached knows it in advance). */
  jobId?: string;
  /**
   * Delete the file once its jobs have ended: the shell's replay file of a background INSERT,
   * which may hold secrets (CREATE CATALOG … 'credential', SET 's3.secret-access-key').
   */
  removeFileWhenDone?: boolean;
  /** 'local' (this process) or 'flink' (a Flink cluster's SQL Gateway); else the file's SET 'tsstream.target' or TSSTREAM_TARGET. */
  target?: string;
  gateway?: string;
  /** The Flink JobManager's REST address (for --attached; default: the gateway's). */
  flink?: string;
  attached?: boolean;
}

/** Where the file runs: the flag, else the file's SET 'tsstream.target', else TSSTREAM_TARGET; and the gateway likewise. */
export function resolveTarget(text: string, opts: { target?: string; gateway?: string }): { target: 'local' | 'flink'; gateway?: string; flinkRest?: string } | string {
  const inFile = targetSettings(text);
  const target = (opts.target ?? inFile['tsstream.target'] ?? process.env.TSSTREAM_TARGET ?? 'local').trim().toLowerCase();
  if (target !== 'local' && target !== 'flink') return `Unknown target '${target}': expected 'local' or 'flink'`;
  const gateway = opts.gateway ?? inFile['tsstream.gateway'] ?? process.env.TSSTREAM_GATEWAY;
  if (target === 'flink' && !gateway) return "The target 'flink' needs the SQL Gateway's address: --gateway http://host:8083, SET 'tsstream.gateway' = '…' or TSSTREAM_GATEWAY";
  return { target, gateway, flinkRest: inFile['tsstream.flink-rest'] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs one INSERT job: registered for `tsstream jobs`, with a status line on a TTY, and restarted
 * from its last checkpoint on failure as the restart strategy says (see ../jobs/restart.ts).
 */
export async function runJob(r: Extract<StatementResult, { kind: 'job' }>, session: Session, quiet: boolean, running: Set<Job>): Promise<void> {
  const policy = restartPolicy(session.config);
  let job = r.job;
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    running.add(job);
    // The job starts without waiting for its control endpoint (a token file, the web server, the
    // registry record: file writes and a listen); superviseJob watches the job from its first,
    // synchronous step on.
    const supervision = superviseJob(job, session.config.get('state.savepoints.dir'), undefined, session.log).catch((e) => {
      session.log('warn', `Job ${job.id} cannot be controlled with 'tsstream jobs': ${(e as Error).message}`);
      return async () => {};
    });
    const stopProgress = showProgress(job);
    let failure: string | undefined;
    try {
      await job.run();
      stopProgress();
      if (!quiet) err(`[INFO] ${summaryText(job)}\n`);
      return;
    } catch (e) {
      // A job that ran long enough without failing starts the backoff again.
      if (policy.resetsAfter(Date.now() - started)) attempt = 1;
      const delay = job.status === 'CANCELED' ? undefined : policy.delayBefore(attempt);
      if (delay === undefined) {
        if (job.status !== 'CANCELED') failure = (e as Error)?.message ?? String(e);
        throw e;
      }
      const of = Number.isFinite(policy.attempts) ? ` of ${policy.attempts}` : '';
      session.log('warn', `Job ${job.id} failed: ${(e as Error).message}. Restarting ${restartPoint(job)} in ${delay} ms (attempt ${attempt}${of}; restart-strategy ${policy.name}).`);
      await sleep(delay);
      job = r.restart(await job.latestCheckpoint(), job.lastCheckpointLocation);
    } finally {
      stopProgress();
      running.delete(job);
      await (await supervision)(failure);
    }
  }
}

/** Where a restart of the failed `job` resumes, in words: which checkpoint, and whether it is on disk or only in memory. */
function restartPoint(job: Job): string {
  const from = job.lastCheckpointInfo;
  const dir = job.checkpointDir;
  if (!from) return dir ? `from the latest checkpoint in ${dir} if there is one, else from the beginning (none completed in this run)` : 'from the beginning (no checkpoint completed yet)';
  const what = `${from.savepoint ? 'savepoint' : 'checkpoint'} ${from.checkpointId}`;
  const where = job.lastCheckpointLocation;
  return where ? `from ${what} at ${where}` : `from ${what} kept in memory (no checkpoint directory is set: it would not survive the process)`;
}

/** Runs a job file. Resolves with the exit code. */
export async function runFile(file: string, opts: RunOptions = {}): Promise<number> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await fs.readFile(file, 'utf8');
  } catch (e) {
    err(`[ERROR] Cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  // The shell's replay file may hold secrets: read once, it is gone, so that even a job killed
  // with SIGKILL leaves nothing behind.
  if (opts.removeFileWhenDone && file !== '-') await fs.rm(file, { force: true }).catch(() => undefined);
  const where = resolveTarget(text, opts);
  if (typeof where === 'string') {
    process.stderr.write(`[ERROR] ${where}\n`);
    return 2;
  }
  const config: Record<string, string> = {};
  for (const kv of opts.set ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) {
      err(`[ERROR] --set expects key=value, got '${kv}'\n`);
      return 2;
    }
    config[kv.slice(0, i)] = kv.slice(i + 1);
  }
  if (where.target === 'flink') {
    const { runFileOnFlink } = await import('../remote-run.js');
    return runFileOnFlink(file, text, { gateway: where.gateway!, flinkRest: opts.flink ?? where.flinkRest, attached: opts.attached, quiet: opts.quiet, config });
  }
  // Loaded on use: `tsstream --help` and the other commands start without the engine.
  const { Session } = await import('../session.js');
  // Logs go to stderr (results alone on stdout), under the status line; -q keeps warnings and errors only.
  const session = new Session({
    config,
    log: (level, m) => {
      if (level !== 'info' || !opts.quiet) err(`[${level.toUpperCase()}] ${m}\n`);
    },
  });
  session.nextJobId = opts.jobId;
  const background: Promise<unknown>[] = [];
  const running = new Set<Job>();
  const onSignal = () => {
    err('\n[INFO] Cancelling running jobs…\n');
    for (const j of running) j.cancel();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await session.executeAll(text, async (r: StatementResult) => {
      if (r.kind === 'job') {
        if (!opts.quiet) err(`[INFO] Submitting SQL update statement…\n[INFO] Job ID: ${r.job.id}\n`);
        const p = runJob(r, session, !!opts.quiet, running);
        // Wait for the job unless it is unbounded and the file goes on (then it runs beside the rest).
        await Promise.race([p.catch(() => {}), r.job.opened]);
        if (r.job.bounded || session.config.get('table.dml-sync') === 'true') await p;
        else background.push(p);
      } else if (r.kind === 'query') {
        // 'table' and 'changelog' are views of the interactive shell: refused here, as sql-client -f does.
        if (resultMode(session.config) !== 'tableau') throw new ValidationError(NON_INTERACTIVE_RESULT_MODE);
        running.add(r.job);
        // Nobody reads the rows any more (`| head -1`): the query has no other purpose.
        const stop = onStdoutClosed(() => r.job.cancel());
        try {
          await printQueryResult(
            r.columns,
            (fn) => ((r.job.opts as { onRows?: (rows: Row[]) => void }).onRows = fn),
            async () => {
              await r.job.run();
              return false;
            },
            out,
            { batch: (session.config.get('execution.runtime-mode') ?? 'streaming').toLowerCase() === 'batch', timeZone: session.config.get('table.local-time-zone'), maxColumnWidth: Number(session.config.get('sql-client.display.max-column-width') ?? 30) },
          );
        } finally {
          stop();
          running.delete(r.job);
        }
      } else {
        const t = resultText(r, session.config.get('table.local-time-zone'));
        if (r.kind === 'ok') {
          if (!opts.quiet && t) err(t);
        } else out(t);
      }
    });
    await Promise.all(background);
    return 0;
  } catch (e) {
    for (const j of running) j.cancel();
    err(`[ERROR] ${formatError(e, file, text)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session.close();
    if (opts.removeFileWhenDone && file !== '-') await fs.rm(file, { force: true }).catch(() => undefined);
  }
}

export function register(program: Command): void {
  program
    .command('run')
    .description('Run the statements of a job file (DDL, SET, INSERT, SELECT) in order')
    .argument('<file>', "SQL file, or '-' for stdin")
    .option('-s, --set <key=value...>', 'session configuration, as SET would')
    .option('-q, --quiet', 'print only results, warnings and errors (no [INFO] lines)')
    .option('--job-id <id>', 'id for the first INSERT job (32 hex digits)')
    .addOption(new Option('--remove-file-when-done', 'delete FILE once its jobs have ended (the shell passes it for its replay files)').hideHelp())
    .option('-t, --target <target>', "'local' (this process, the default) or 'flink' (a Flink cluster's SQL Gateway; also SET 'tsstream.target' or TSSTREAM_TARGET)")
    .option('-g, --gateway <url>', "the Flink SQL Gateway, e.g. http://host:8083 (also SET 'tsstream.gateway' or TSSTREAM_GATEWAY)")
    .option('--flink <url>', "the Flink JobManager's REST API (default: the one the gateway submits to)")
    .option('-a, --attached', 'with --target flink: follow the jobs until they end')
    .action(async (file: string, o: { set?: string[]; quiet?: boolean; jobId?: string; removeFileWhenDone?: boolean; target?: string; gateway?: string; flink?: string; attached?: boolean }) => {
      process.exitCode = await runFile(file, { set: o.set, quiet: o.quiet, jobId: o.jobId, removeFileWhenDone: o.removeFileWhenDone, target: o.target, gateway: o.gateway, flink: o.flink, attached: o.attached });
    });
}
