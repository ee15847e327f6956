// `tsstream run FILE`: runs a job file's statements in order, like `sql-client.sh -f FILE`.
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import type { Row } from '../../common/types.js';
import { Session, type StatementResult } from '../session.js';
import { formatError, resultText } from '../report.js';
import { renderTableau } from '../tableau.js';
import { showProgress, summaryText } from '../progress.js';
import type { Job } from '../../runtime/job.js';

export interface RunOptions {
  set?: string[];
  quiet?: boolean;
}

/** Runs a job file. Resolves with the exit code. */
export async function runFile(file: string, opts: RunOptions = {}): Promise<number> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await fs.readFile(file, 'utf8');
  } catch (e) {
    process.stderr.write(`[ERROR] Cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  const config: Record<string, string> = {};
  for (const kv of opts.set ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) {
      process.stderr.write(`[ERROR] --set expects key=value, got '${kv}'\n`);
      return 2;
    }
    config[kv.slice(0, i)] = kv.slice(i + 1);
  }
  const session = new Session({ config });
  const background: Promise<unknown>[] = [];
  const running = new Set<Job>();
  const onSignal = () => {
    process.stderr.write('\n[INFO] Cancelling running jobs…\n');
    for (const j of running) j.cancel();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await session.executeAll(text, async (r: StatementResult) => {
      if (r.kind === 'job') {
        running.add(r.job);
        if (!opts.quiet) process.stderr.write(`[INFO] Submitting SQL update statement…\n[INFO] Job ID: ${r.job.id}\n`);
        const stop = showProgress(r.job);
        const p = r.job.run().finally(() => {
          stop();
          running.delete(r.job);
          if (!opts.quiet) process.stderr.write(`[INFO] ${summaryText(r.job)}\n`);
        });
        // Wait for the job unless it is unbounded and the file goes on (then it runs beside the rest).
        await Promise.race([p, new Promise((res) => setTimeout(res, 50))]);
        if (r.job.bounded || session.config.get('table.dml-sync') === 'true') await p;
        else background.push(p);
      } else if (r.kind === 'query') {
        const rows: Row[] = [];
        running.add(r.job);
        (r.job.opts as { onRows?: (rows: Row[]) => void }).onRows = (rs) => rows.push(...rs);
        await r.job.run();
        running.delete(r.job);
        process.stdout.write(renderTableau(r.columns, rows, { timeZone: session.config.get('table.local-time-zone') }));
      } else {
        const t = resultText(r, session.config.get('table.local-time-zone'));
        if (r.kind === 'ok') {
          if (!opts.quiet && t) process.stderr.write(t);
        } else process.stdout.write(t);
      }
    });
    await Promise.all(background);
    return 0;
  } catch (e) {
    for (const j of running) j.cancel();
    process.stderr.write(`[ERROR] ${formatError(e, file, text)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function register(program: Command): void {
  program
    .command('run')
    .description('Run the statements of a job file (DDL, SET, INSERT, SELECT) in order')
    .argument('<file>', "SQL file, or '-' for stdin")
    .option('-s, --set <key=value...>', 'session configuration, as SET would')
    .option('-q, --quiet', 'print only results and errors')
    .action(async (file: string, o: { set?: string[]; quiet?: boolean }) => {
      process.exitCode = await runFile(file, { set: o.set, quiet: o.quiet });
    });
}
