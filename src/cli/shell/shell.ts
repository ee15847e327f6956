// The interactive SQL shell (`tsstream sql`), like Flink's sql-client: a prompt with the current
// catalog and database, statements over several lines up to `;`, history across sessions, tab
// completion, results in tableau style, INSERTs as background jobs, Ctrl+C / Ctrl+D / QUIT.
// On a pipe it reads statements without prompts and prints only results (scriptable).
import path from 'node:path';
import readline from 'node:readline';
import type { Writable, Readable } from 'node:stream';
import type * as A from '../../parser/ast.js';
import { isSqlComplete, splitStatements } from '../../parser/index.js';
import type { Row } from '../../common/types.js';
import { ValidationError } from '../../common/errors.js';
import { isBatchMode } from '../../planner/binder.js';
import type { Job } from '../../runtime/job.js';
import { type Session, type StatementResult } from '../session.js';
import { formatError, resultText } from '../report.js';
import { renderTableau } from '../tableau.js';
import { summaryText } from '../progress.js';
import { bufferStatements, parseBuffered, type BufferedStatement } from './statements.js';
import { printQueryResult } from './result-printer.js';
import { showResultView, type ViewTerminal } from './result-view.js';
import { NON_INTERACTIVE_RESULT_MODE, resultMode } from '../config-options.js';
import { makeCompleter } from './completer.js';
import { historyEntry, loadHistory, saveHistory, HISTORY_SIZE } from './history.js';
import { JobRegistry, type JobRecord } from '../jobs/registry.js';
import { controlRequest, savepointUri, storageDir } from '../jobs/control.js';
import { SessionReplay, backgroundStatus, newJobId, submitDetached, type SubmittedJob } from './detached.js';
import { failureText } from '../jobs/registry.js';

export interface ShellOptions {
  session: Session;
  input: Readable;
  output: Writable;
  /** Where errors go when not interactive (interactive: the terminal, i.e. output). */
  errorOutput?: Writable;
  /** Prompts, line editing, completion and history (a TTY). */
  interactive: boolean;
  historyFile?: string;
  /** Start INSERTs as detached background jobs (default); false runs them in this process. */
  detachInserts?: boolean;
  /** $TSSTREAM_HOME for job files and logs of background jobs. */
  home?: string;
}

type Outcome = 'ok' | 'error' | 'quit';

const STRING = { kind: 'VARCHAR', length: 2147483647, nullable: false } as const;

export class SqlShell {
  readonly session: Session;
  /** Number of statements that failed. */
  errors = 0;
  private readonly out: Writable;
  private readonly err: Writable;
  private readonly replay = new SessionReplay();
  /** Background jobs started from this shell, by id. */
  readonly background = new Map<string, SubmittedJob>();
  /** The job of the running SELECT (or synchronous INSERT), which Ctrl+C cancels. */
  private current?: Job;
  private cancelled = false;
  /** INSERT texts inside BEGIN STATEMENT SET … END. */
  private statementSet?: string[];
  private closed = false;
  /** Prints a message that comes between prompts (a background job failed); the REPL redraws the prompt after it. */
  private notify: (message: string) => void = (m) => this.err.write(m);
  /** The terminal for the full-screen result views (result-mode 'table' / 'changelog'): only while the REPL reads a TTY. */
  private viewTerminal?: ViewTerminal;
  /** Messages held back while a full-screen view has the screen. */
  private held?: string[];

  constructor(private readonly opts: ShellOptions) {
    this.session = opts.session;
    this.out = opts.output;
    this.err = opts.interactive ? opts.output : (opts.errorOutput ?? opts.output);
  }

  prompt(): string {
    return `tsstream ${this.session.catalogs.currentCatalog}.${this.session.catalogs.currentDatabase}> `;
  }

  continuationPrompt(): string {
    return ' '.repeat(Math.max(0, this.prompt().length - 2)) + '> ';
  }

  private write(s: string): void {
    this.out.write(s);
  }

  private timeZone(): string {
    return this.session.config.get('table.local-time-zone') ?? 'UTC';
  }

  /** `sql-client.display.max-column-width` (default 30, as in Flink). */
  private maxColumnWidth(): number {
    const n = Number(this.session.config.get('sql-client.display.max-column-width'));
    return Number.isInteger(n) && n > 3 ? n : 30;
  }

  private printError(e: unknown, text: string): void {
    this.errors++;
    let msg = formatError(e, undefined, text);
    if (this.session.config.get('sql-client.verbose') === 'true' && e instanceof Error && e.stack) msg += `\n${e.stack}`;
    this.err.write(`[ERROR] Could not execute SQL statement. Reason:\n${msg}\n\n`);
  }

  /** Cancels the running query, if any (Ctrl+C). Returns whether there was one. */
  cancelCurrent(): boolean {
    if (!this.current) return false;
    this.cancelled = true;
    this.current.cancel();
    return true;
  }

  /**
   * Executes the statements of a text. `stopOnError`: the rest is skipped after an error (as for
   * `-f` and `-i`); otherwise each statement runs on its own, as typed in the shell.
   */
  async executeText(text: string, stopOnError = false): Promise<Outcome> {
    let outcome: Outcome = 'ok';
    for (const st of bufferStatements(text)) {
      const r = await this.executeStatement(st, text);
      if (r === 'quit') return 'quit';
      if (r === 'error') {
        outcome = 'error';
        if (stopOnError) return outcome;
      }
    }
    return outcome;
  }

  private async executeStatement(st: BufferedStatement, buffer: string): Promise<Outcome> {
    let s: A.Statement | undefined;
    try {
      s = parseBuffered(st);
    } catch (e) {
      this.printError(e, buffer);
      return 'error';
    }
    if (!s) return 'ok';
    try {
      return await this.execute(s, st);
    } catch (e) {
      this.printError(e, buffer);
      return 'error';
    }
  }

  private async execute(s: A.Statement, st: BufferedStatement): Promise<Outcome> {
    switch (s.kind) {
      case 'quit':
        return 'quit';
      case 'clear':
        if (this.opts.interactive) this.write('\x1b[H\x1b[2J');
        return 'ok';
      case 'help': {
        const r = await this.session.execute(s);
        if (r.kind === 'ok') this.write(r.message + '\n\n');
        return 'ok';
      }
      case 'show':
        if (s.object === 'JOBS') return this.showJobs();
        break;
      case 'stopJob':
        if (!this.session.jobs.has(s.jobId)) return this.stopOtherJob(s);
        break;
      default:
        break;
    }
    const record = this.replay.shouldRecord(this.session, s);
    const r = await this.session.execute(s, st.text);
    if (record) this.replay.record(st.text);
    if (s.kind === 'beginStatementSet') this.statementSet = [];
    if (s.kind === 'insert' && this.statementSet && r.kind === 'ok') this.statementSet.push(st.text);
    let insertText = st.text;
    if (s.kind === 'end') {
      insertText = `EXECUTE STATEMENT SET\nBEGIN\n${(this.statementSet ?? []).map((t) => `${t};\n`).join('')}END`;
      this.statementSet = undefined;
    }
    return this.show(r, insertText);
  }

  private async show(r: StatementResult, insertText: string): Promise<Outcome> {
    switch (r.kind) {
      case 'quit':
        return 'quit';
      case 'job':
        return this.submit(r, insertText);
      case 'query':
        return this.query(r);
      case 'ok': {
        const t = resultText(r, this.timeZone());
        if (t) this.write(t + '\n');
        return 'ok';
      }
      case 'table':
        // Statement results (SHOW, DESCRIBE, SET;) are never cut, as in sql-client.
        this.write(renderTableau(r.columns, r.rows, { timeZone: this.timeZone() }) + '\n');
        return 'ok';
      default:
        this.write(resultText(r, this.timeZone()) + '\n');
        return 'ok';
    }
  }

  /** Runs a job in this process until it ends or Ctrl+C; returns whether it was cancelled. */
  private async runHere(job: Job): Promise<boolean> {
    this.current = job;
    this.cancelled = false;
    try {
      await job.run();
    } finally {
      this.current = undefined;
    }
    return this.cancelled;
  }

  private async submit(r: Extract<StatementResult, { kind: 'job' }>, insertText: string): Promise<Outcome> {
    const sync = this.session.config.get('table.dml-sync') === 'true';
    if (this.opts.detachInserts === false || sync) {
      this.write(`[INFO] Submitting SQL update statement to the cluster...\n[INFO] Execute statement in sync mode. Job ID: ${r.job.id}\n`);
      const cancelled = await this.runHere(r.job);
      this.write(`[INFO] ${cancelled ? 'Job cancelled. ' : ''}${summaryText(r.job)}\n\n`);
      return 'ok';
    }
    // The job runs in its own process: this session's unstarted copy is not one of its jobs.
    this.session.jobs.delete(r.job.id);
    const id = newJobId();
    this.write('[INFO] Submitting SQL update statement to the cluster...\n');
    const job = await submitDetached(`${this.replay.script()}${insertText};\n`, { jobId: id, name: r.job.name, home: this.opts.home });
    this.background.set(id, job);
    this.watchBackground(job);
    const failed = job.exitCode !== undefined && job.exitCode !== 0;
    if (failed) {
      const reason = job.output.split('\n').filter((l) => l.trim() && !l.startsWith('[INFO]')).join('\n');
      throw new Error(`The job ${id} failed to start (log: ${job.logFile}):\n${reason || job.output.trim()}`);
    }
    this.write(`[INFO] SQL update statement has been successfully submitted to the cluster:\nJob ID: ${id}\n\n`);
    return 'ok';
  }

  private async query(r: Extract<StatementResult, { kind: 'query' }>): Promise<Outcome> {
    const job = r.job;
    const mode = resultMode(this.session.config);
    if (mode !== 'tableau') return this.queryView(r, mode);
    await printQueryResult(
      r.columns,
      (fn) => ((job.opts as { onRows?: (rows: Row[]) => void }).onRows = fn),
      () => this.runHere(job),
      (s) => this.write(s),
      { batch: isBatchMode(this.session.config), timeZone: this.timeZone(), maxColumnWidth: this.maxColumnWidth() },
    );
    this.write('\n');
    return 'ok';
  }

  /**
   * Result mode 'table' or 'changelog': Flink's full-screen view until the user quits it (which
   * cancels the query). Without a terminal (a file, -e, a pipe) it is refused, as sql-client -f does.
   */
  private async queryView(r: Extract<StatementResult, { kind: 'query' }>, mode: 'table' | 'changelog'): Promise<Outcome> {
    const terminal = this.viewTerminal;
    if (!terminal) throw new ValidationError(NON_INTERACTIVE_RESULT_MODE);
    const job = r.job;
    const maxRows = Number(this.session.config.get('sql-client.execution.max-table-result.rows') ?? 1_000_000);
    this.current = job;
    this.cancelled = false;
    this.held = [];
    try {
      await showResultView({
        mode,
        columns: r.columns,
        onRows: (fn) => ((job.opts as { onRows?: (rows: Row[]) => void }).onRows = fn),
        run: () => job.run(),
        cancel: () => job.cancel(),
        terminal,
        timeZone: this.timeZone(),
        maxColumnWidth: this.maxColumnWidth(),
        maxRows: Number.isInteger(maxRows) && maxRows > 0 ? maxRows : 1_000_000,
      });
    } finally {
      this.current = undefined;
      const held = this.held;
      this.held = undefined;
      for (const m of held) this.out.write(m);
    }
    this.write('[INFO] Result retrieval cancelled.\n\n');
    return 'ok';
  }

  /**
   * SHOW JOBS: this session's jobs, and every job of the registry (background INSERTs included).
   * Flink's four columns; when a listed job failed, a fifth says why and where its log is.
   */
  private async showJobs(): Promise<Outcome> {
    const r = await this.session.execute({ kind: 'show', object: 'JOBS', pos: { line: 1, column: 1 }, span: { start: 0, end: 0 } } as A.ShowStatement);
    if (r.kind !== 'table') return this.show(r, '');
    const failures = new Map<string, string>();
    const seen = new Set(r.rows.map((x) => String(x[0])));
    const iso = (ms: number) => new Date(ms).toISOString();
    const records = await new JobRegistry(this.opts.home).list();
    for (const rec of records) {
      if (rec.failure) failures.set(rec.id, failureText(rec.failure, rec.logFile ?? this.background.get(rec.id)?.logFile));
      if (seen.has(rec.id)) continue;
      seen.add(rec.id);
      r.rows.push([rec.id, rec.name, rec.status, iso(rec.startTime)]);
    }
    // Submitted from here but not (yet, or never) registered: starting, or failed at once.
    for (const j of this.background.values()) {
      if (seen.has(j.id)) continue;
      const st = await backgroundStatus(j);
      if (st.failure) failures.set(j.id, failureText(st.failure, j.logFile));
      r.rows.push([j.id, j.name, st.status, iso(j.submitted)]);
    }
    r.columns = r.columns.map((c) => ({ ...c, type: STRING }));
    if (failures.size) {
      r.columns.push({ name: 'failure', type: STRING });
      for (const row of r.rows) row.push(failures.get(String(row[0])) ?? '');
    }
    this.write((r.rows.length ? renderTableau(r.columns, r.rows) : 'Empty set\n') + '\n');
    return 'ok';
  }

  /** Tells the user, when it happens, that a background job failed: why, and where its log is. */
  private watchBackground(job: SubmittedJob): void {
    void job.exited.then(async (code) => {
      if (code === 0 || this.closed) return;
      const st = await backgroundStatus(job);
      const reason = st.failure ?? `its process ended with exit code ${code}`;
      const m = `[ERROR] Job ${job.id} (${job.name}) failed: ${reason}\nLog: ${job.logFile}\n`;
      if (this.held) this.held.push(m);
      else this.notify(m);
    });
  }

  /** STOP JOB for a job of another process (a background INSERT): through its control endpoint. */
  private async stopOtherJob(s: A.StopJobStatement): Promise<Outcome> {
    const reg = new JobRegistry(this.opts.home);
    let rec: JobRecord;
    try {
      rec = await reg.find(s.jobId);
    } catch (e) {
      const bg = this.background.get(s.jobId);
      if (!bg) throw new ValidationError((e as Error).message, s.pos);
      throw new ValidationError(`Job '${s.jobId}' has no record in the job registry (status ${(await backgroundStatus(bg)).status}); its log: ${bg.logFile}`, s.pos);
    }
    if (rec.status !== 'RUNNING' && rec.status !== 'CREATED') throw new ValidationError(`Job '${rec.id}' is not running (status ${rec.status})`, s.pos);
    if (s.withSavepoint) {
      const dir = this.session.config.get('state.savepoints.dir') ?? rec.savepointDir;
      if (!dir) throw new ValidationError("STOP JOB … WITH SAVEPOINT needs 'state.savepoints.dir' to be SET (in this session or the job's)", s.pos);
      const res = await controlRequest(reg, rec, 'POST', 'stop', { dir: storageDir(dir), drain: s.withDrain });
      this.write(renderTableau([{ name: 'savepoint path', type: STRING }], [[res.path ? savepointUri(String(res.path)) : '']]) + '\n');
      return 'ok';
    }
    await controlRequest(reg, rec, 'POST', '/v1/cancel', {});
    this.write('[INFO] The specified job is stopped.\n\n');
    return 'ok';
  }

  /** Runs a file or `-e` text: statements in order, stopping at the first error. */
  async runScript(text: string): Promise<Outcome> {
    return this.executeText(text, true);
  }

  /** Reads statements from the input until QUIT, Ctrl+D or the end of the input. */
  async repl(): Promise<void> {
    const interactive = this.opts.interactive;
    let buffer = '';
    const history = interactive && this.opts.historyFile ? await loadHistory(this.opts.historyFile) : [];
    const rl = readline.createInterface({
      input: this.opts.input,
      output: interactive ? this.opts.output : undefined,
      terminal: interactive,
      completer: interactive ? makeCompleter(this.session, () => buffer) : undefined,
      history,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      prompt: this.prompt(),
      tabSize: 4,
    });
    const rlHistory = () => (rl as unknown as { history: string[] }).history;
    if (interactive) {
      const input = this.opts.input;
      this.viewTerminal = {
        output: this.opts.output as ViewTerminal['output'],
        // The line editor reads key presses ('keypress' events of its input): the view takes
        // them for its lifetime, then hands them back.
        grabKeys: (onKey) => {
          const editor = input.listeners('keypress') as ((...a: unknown[]) => void)[];
          input.removeAllListeners('keypress');
          input.on('keypress', onKey);
          return () => {
            input.off('keypress', onKey);
            for (const l of editor) input.on('keypress', l);
          };
        },
      };
      this.notify = (m) => {
        // Above the line being typed: clear it, print, and draw the prompt and the line again.
        this.out.write(`\r\x1b[2K${m}`);
        if (!this.current) rl.prompt(true);
      };
    }
    const prompt = () => {
      if (!interactive) return;
      rl.setPrompt(buffer ? this.continuationPrompt() : this.prompt());
      rl.prompt();
    };
    let quitting = false;
    let pending = 0;
    let chain: Promise<void> = Promise.resolve();
    const done = new Promise<void>((resolve) => {
      rl.on('close', () => {
        // Ctrl+D (or QUIT) in a terminal ends the session now; the end of a pipe lets the
        // statements read so far finish.
        if (interactive) {
          quitting = true;
          this.cancelCurrent();
        }
        chain.then(resolve, resolve);
      });
    });

    const onLine = async (line: string): Promise<void> => {
      pending--;
      if (quitting) return;
      if (!buffer && /^\s*(quit|exit)\s*;?\s*$/i.test(line)) {
        quitting = true;
        rl.close();
        return;
      }
      buffer = buffer ? `${buffer}\n${line}` : line;
      if (!isSqlComplete(buffer)) {
        // Only blanks and comments so far (and nothing left open): start over.
        if (splitStatements(buffer).length === 0 && isSqlComplete(`${buffer}\nSELECT 1;`)) buffer = '';
        if (!pending) prompt();
        return;
      }
      const text = buffer;
      buffer = '';
      if (interactive) this.fixHistory(rlHistory(), text);
      const outcome = await this.executeText(text);
      if (interactive && this.opts.historyFile) await saveHistory(this.opts.historyFile, rlHistory());
      if (outcome === 'quit') {
        quitting = true;
        rl.close();
        return;
      }
      if (!pending) prompt();
    };

    rl.on('line', (line) => {
      pending++;
      chain = chain.then(() => onLine(line)).catch((e) => this.printError(e, ''));
    });
    rl.on('SIGINT', () => {
      if (this.cancelCurrent()) return;
      // Cancel the line being typed (and the statement so far).
      this.write('^C\n');
      buffer = '';
      const r = rl as unknown as { line: string; cursor: number };
      r.line = '';
      r.cursor = 0;
      prompt();
    });
    const onSignal = () => {
      if (!this.cancelCurrent()) rl.close();
    };
    if (!interactive) process.on('SIGINT', onSignal);
    prompt();
    await done;
    this.viewTerminal = undefined;
    if (!interactive) process.off('SIGINT', onSignal);
    // A statement without its final `;` at the end of a script still runs.
    if (!interactive && buffer.trim() && splitStatements(buffer).length) await this.executeText(buffer);
  }

  /** Keeps a multi-line statement as one history entry instead of one per line. */
  private fixHistory(history: string[], statement: string): void {
    const lines = statement.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (lines.length < 2) return;
    for (const l of lines) {
      const i = history.indexOf(l);
      if (i >= 0 && i < lines.length + 1) history.splice(i, 1);
    }
    history.unshift(historyEntry(statement));
  }

  /** Background jobs keep running; jobs of this process are cancelled, catalogs closed. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelCurrent();
    await this.session.close();
  }
}
