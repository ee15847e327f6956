// INSERTs typed in the shell run as background jobs that outlive the shell, as with Flink's
// sql-client submitting to a cluster: the shell writes the session's state (CREATE CATALOG,
// DDL on in-memory catalogs, USE, SET, RESET — in the order typed) and the INSERT to a job
// file, and starts a detached `tsstream run --job-id ID FILE` whose output goes to a log file.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs, openSync, closeSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as A from '../../parser/ast.js';
import type { Session } from '../session.js';
import { tsstreamHome } from '../jobs/registry.js';

export { tsstreamHome } from '../jobs/registry.js';

/**
 * bin/tsstream.js of this installation: the first one up from this module's folder (dist/cli/shell
 * or src/cli/shell, or dist/cli where the bundle of scripts/bundle.mjs puts this code).
 */
export function binPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const bin = path.join(dir, 'bin', 'tsstream.js');
    if (existsSync(bin)) return bin;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/tsstream.js');
    dir = up;
  }
}

/**
 * The statements that made the session what it is, to be replayed before a background INSERT.
 * Objects in persistent catalogs (Iceberg) exist on their own and are not created again;
 * objects in in-memory catalogs and temporary ones live only in the session and are.
 */
export class SessionReplay {
  private readonly statements: string[] = [];

  /** Whether the statement changes what a later INSERT sees, so that it must be replayed. */
  private inMemoryTarget(session: Session, s: A.Statement): boolean {
    const cm = session.catalogs;
    const isMemory = (catalog: string) => {
      try {
        return cm.getCatalog(catalog).type === 'generic_in_memory';
      } catch {
        return true;
      }
    };
    switch (s.kind) {
      case 'createCatalog':
      case 'useCatalog':
      case 'useDatabase':
      case 'set':
      case 'reset':
        return true;
      case 'createTable':
      case 'createView':
        return s.temporary || isMemory(cm.qualify(s.name.parts).catalog);
      case 'alterTable':
        return isMemory(cm.qualify(s.name.parts).catalog);
      case 'createDatabase':
        return isMemory(s.name.parts.length === 2 ? s.name.parts[0] : cm.currentCatalog);
      case 'drop':
        if (s.objectType === 'CATALOG') return true;
        if (s.objectType === 'DATABASE') return isMemory(s.name.parts.length === 2 ? s.name.parts[0] : cm.currentCatalog);
        if (s.objectType === 'TABLE' || s.objectType === 'VIEW') return s.temporary || isMemory(cm.qualify(s.name.parts).catalog);
        return false;
      default:
        return false;
    }
  }

  /** Call before executing the statement (the target catalog is decided by the current one). */
  shouldRecord(session: Session, s: A.Statement): boolean {
    if (s.kind === 'set' && s.key === undefined) return false;
    return this.inMemoryTarget(session, s);
  }

  /** Call after the statement succeeded. */
  record(text: string): void {
    this.statements.push(text.trim());
  }

  script(): string {
    return this.statements.map((s) => `${s};\n`).join('');
  }
}

export interface SubmittedJob {
  id: string;
  name: string;
  /** When the shell submitted it (ms since the epoch). */
  submitted: number;
  pid: number;
  sqlFile: string;
  logFile: string;
  /** What the job printed while the shell waited for it to start. */
  output: string;
  /** Set when the job process already ended while the shell waited. */
  exitCode?: number | null;
  /** Resolves with the exit code when the job's process ends (while this process lives). */
  exited: Promise<number | null>;
}

/** How long a job may take to read its replay file; one older than this was never read (its process died). */
const REPLAY_READ_MS = 60_000;

/** Replay files no job read (its process was killed before): they may hold secrets. */
async function removeStaleReplayFiles(dir: string): Promise<void> {
  const now = Date.now();
  for (const f of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!f.endsWith('.sql')) continue;
    const p = path.join(dir, f);
    const st = await fs.stat(p).catch(() => undefined);
    if (st && now - st.mtimeMs > REPLAY_READ_MS) await fs.rm(p, { force: true }).catch(() => undefined);
  }
}

/** A fresh job id: 32 hex digits, like Flink's JobID. */
export function newJobId(): string {
  return randomUUID().replace(/-/g, '');
}

/**
 * Writes the job file and starts it detached. Resolves once the job printed its id (or failed,
 * or `waitMs` passed).
 */
export async function submitDetached(script: string, opts: { jobId?: string; name?: string; cwd?: string; home?: string; waitMs?: number } = {}): Promise<SubmittedJob> {
  const id = opts.jobId ?? newJobId();
  const submitted = Date.now();
  const dir = path.join(opts.home ?? tsstreamHome(), 'sql-client');
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await removeStaleReplayFiles(dir);
  const sqlFile = path.join(dir, `${id}.sql`);
  const logFile = path.join(dir, `${id}.log`);
  // The replay file may hold secrets (CREATE CATALOG … 'credential'): readable by its owner only,
  // and removed by the job as soon as it has read it.
  await fs.writeFile(sqlFile, `-- Submitted by tsstream sql at ${new Date().toISOString()}\n${script}`, { mode: 0o600 });
  const fd = openSync(logFile, 'a', 0o600);
  let child;
  try {
    // The launcher's V8 flag (its shebang is not read when node runs it): semi-spaces of 32 MB.
    child = spawn(process.execPath, ['--max-semi-space-size=32', binPath(), 'run', '--job-id', id, '--remove-file-when-done', sqlFile], {
      cwd: opts.cwd ?? process.cwd(),
      detached: true,
      stdio: ['ignore', fd, fd],
      // The job records its log file, for SHOW JOBS and `tsstream jobs list` in other processes.
      env: { ...process.env, TSSTREAM_LOG_FILE: logFile },
    });
  } finally {
    closeSync(fd);
  }
  let exitCode: number | null | undefined;
  let spawnError: Error | undefined;
  let resolveExit!: (code: number | null) => void;
  const exited = new Promise<number | null>((r) => (resolveExit = r));
  child.on('exit', (code) => {
    exitCode = code;
    resolveExit(code);
  });
  child.on('error', (e) => {
    spawnError = e;
    exitCode = -1;
    resolveExit(-1);
  });
  child.unref();
  const deadline = Date.now() + (opts.waitMs ?? 15_000);
  let output = '';
  let sawId = 0;
  for (;;) {
    output = await fs.readFile(logFile, 'utf8').catch(() => '');
    if (exitCode !== undefined) break;
    if (/Job ID: /.test(output) && !sawId) sawId = Date.now();
    // Give a started job a moment to fail on opening its sources and sinks.
    if (sawId && Date.now() - sawId > 500) break;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (exitCode !== undefined) output = await fs.readFile(logFile, 'utf8').catch(() => output);
  if (spawnError) output += `\n[ERROR] Cannot start ${process.execPath}: ${spawnError.message}\n`;
  return { id, name: opts.name ?? id, submitted, pid: child.pid ?? -1, sqlFile, logFile, output, exitCode, exited };
}

/** The error lines of a job's log: why it failed (without the [ERROR] prefixes). */
export function failureOf(log: string): string | undefined {
  const lines = log.split('\n');
  const i = lines.findIndex((l) => l.startsWith('[ERROR] '));
  if (i < 0) return undefined;
  const out = [lines[i].slice('[ERROR] '.length)];
  // An error goes on over the following lines (a caret, a cause) until the next tagged line.
  for (const l of lines.slice(i + 1)) {
    if (/^\[(INFO|WARN|WARNING|ERROR)\]/.test(l)) break;
    out.push(l);
  }
  return out.join('\n').trim();
}

/** The status a background job's log shows (its summary line, or RUNNING while its process lives), and why it failed. */
export async function backgroundStatus(job: SubmittedJob): Promise<{ status: string; failure?: string }> {
  const log = await fs.readFile(job.logFile, 'utf8').catch(() => '');
  // The job file is the shell's own making: the reason without its name in front.
  const failure = failureOf(log)?.replace(new RegExp(`^${job.sqlFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:\\d+:\\d+)?: `), '');
  const m = new RegExp(`Job ${job.id} \\(.*?\\) ([A-Z]+) in`).exec(log);
  if (m) return { status: m[1], failure: m[1] === 'FAILED' ? failure : undefined };
  if (failure) return { status: 'FAILED', failure };
  try {
    process.kill(job.pid, 0);
    return { status: 'RUNNING' };
  } catch {
    return { status: 'ENDED' };
  }
}
