// `tsstream sql --gateway URL`: the SQL shell against a Flink cluster's SQL Gateway. Same prompt
// (current catalog and database, asked from the gateway), statements up to `;`, results as
// tableau (the op column for a streaming result), errors with Flink's root cause, QUIT / Ctrl+D,
// Ctrl+C cancelling the running query, history, and completion of keywords and of table names
// the gateway lists. The local SqlShell runs statements in this process; this one only relays.
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { isSqlComplete, splitStatements } from '../../parser/index.js';
import { FlinkError, GatewaySession, maskSecretsInText, type GatewayOperation } from '../../remote/gateway.js';
import { flinkIncompatibilities, incompatibilityText, setStatement } from '../../remote/compat.js';
import { printRemoteResult } from '../remote-run.js';
import { historyEntry, loadHistory, saveHistory, HISTORY_SIZE } from './history.js';

export interface RemoteShellOptions {
  session: GatewaySession;
  input: Readable;
  output: Writable;
  errorOutput?: Writable;
  interactive: boolean;
  historyFile?: string;
}

type Outcome = 'ok' | 'error' | 'quit';

const KEYWORDS = ['SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'INSERT INTO', 'CREATE TABLE', 'CREATE CATALOG', 'CREATE DATABASE', 'SHOW TABLES', 'SHOW CATALOGS', 'SHOW DATABASES', 'SHOW JOBS', 'DESCRIBE', 'EXPLAIN', 'USE', 'USE CATALOG', 'SET', 'RESET', 'QUIT', 'EXECUTE STATEMENT SET', 'BEGIN STATEMENT SET', 'END', 'STOP JOB'];

export class RemoteSqlShell {
  errors = 0;
  private catalog = 'default_catalog';
  private database = 'default_database';
  private tables: string[] = [];
  private current?: GatewayOperation;
  private cancelled = false;
  private batch = false;
  private maxWidth = 30;
  private readonly err: Writable;

  constructor(private readonly opts: RemoteShellOptions) {
    this.err = opts.interactive ? opts.output : (opts.errorOutput ?? opts.output);
  }

  prompt(): string {
    return `tsstream ${this.catalog}.${this.database}> `;
  }

  private continuationPrompt(): string {
    return ' '.repeat(Math.max(0, this.prompt().length - 2)) + '> ';
  }

  private write(s: string): void {
    this.opts.output.write(s);
  }

  private printError(e: unknown): void {
    this.errors++;
    const msg = e instanceof FlinkError ? e.rootCause : maskSecretsInText((e as Error)?.message ?? String(e));
    this.err.write(`[ERROR] Could not execute SQL statement. Reason:\n${msg}\n\n`);
  }

  /** The gateway's current catalog and database, and the tables there (for the prompt and completion). */
  async refresh(): Promise<void> {
    const one = async (sql: string) => (await this.opts.session.execute(sql)).rows.map((r) => String(r.cells[0]));
    try {
      [this.catalog] = await one('SHOW CURRENT CATALOG');
      [this.database] = await one('SHOW CURRENT DATABASE');
      this.tables = [...(await one('SHOW TABLES')), ...(await one('SHOW VIEWS'))];
    } catch {
      // keep what we had: the prompt is not worth an error
    }
  }

  /** Completion candidates: keywords, and the current database's tables from the gateway. */
  complete(line: string): [string[], string] {
    const m = /[\w.`]*$/.exec(line);
    const word = m ? m[0] : '';
    const upper = word.toUpperCase();
    const hits = [...KEYWORDS.filter((k) => k.startsWith(upper) && upper !== ''), ...this.tables.filter((t) => t.toLowerCase().startsWith(word.toLowerCase()))];
    return [[...new Set(hits)], word];
  }

  cancelCurrent(): boolean {
    if (!this.current) return false;
    this.cancelled = true;
    void this.current.close();
    return true;
  }

  async executeText(text: string, stopOnError = false): Promise<Outcome> {
    let outcome: Outcome = 'ok';
    for (const st of splitStatements(text)) {
      const r = await this.executeStatement(st.text);
      if (r === 'quit') return 'quit';
      if (r === 'error') {
        outcome = 'error';
        if (stopOnError) return outcome;
      }
    }
    return outcome;
  }

  private async executeStatement(text: string): Promise<Outcome> {
    if (/^\s*(QUIT|EXIT)\s*$/i.test(text)) return 'quit';
    const bad = flinkIncompatibilities(splitStatements(text));
    if (bad.length) {
      this.errors++;
      this.err.write(`[ERROR] Could not execute SQL statement. Reason:\n${incompatibilityText(bad)}\n\n`);
      return 'error';
    }
    try {
      const op = await this.opts.session.submit(text);
      this.current = op;
      this.cancelled = false;
      const head = await op.head();
      const set = setStatement(text);
      if (set) {
        if (set.key === 'execution.runtime-mode') this.batch = set.value.trim().toLowerCase() === 'batch';
        if (set.key === 'sql-client.display.max-column-width') this.maxWidth = Number(set.value) || 30;
      }
      if (head.jobId && !head.isQuery) {
        await op.close();
        this.write(`[INFO] Submitting SQL update statement to the cluster...\n[INFO] SQL update statement has been successfully submitted to the cluster:\nJob ID: ${head.jobId}\n\n`);
      } else if (head.isQuery || head.resultKind === 'SUCCESS_WITH_CONTENT') {
        await printRemoteResult(op, head.isQuery ? this.batch : true, head.isQuery ? this.maxWidth : 30, () => this.cancelled);
        this.write('\n');
      } else {
        await op.close();
        this.write(set ? '[INFO] Session property has been set.\n\n' : '[INFO] Execute statement succeeded.\n\n');
      }
      if (/^\s*(USE|CREATE|DROP|ALTER)\b/i.test(text)) await this.refresh();
      return 'ok';
    } catch (e) {
      if (this.cancelled) return 'ok';
      this.printError(e);
      return 'error';
    } finally {
      this.current = undefined;
    }
  }

  async repl(): Promise<void> {
    const interactive = this.opts.interactive;
    await this.refresh();
    const history = interactive && this.opts.historyFile ? await loadHistory(this.opts.historyFile) : [];
    const rl = readline.createInterface({
      input: this.opts.input,
      output: interactive ? this.opts.output : undefined,
      terminal: interactive,
      completer: interactive ? (line: string) => this.complete(line) : undefined,
      history,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      prompt: this.prompt(),
    });
    let buffer = '';
    let quitting = false;
    let chain: Promise<void> = Promise.resolve();
    const prompt = () => {
      if (!interactive || quitting) return;
      rl.setPrompt(buffer ? this.continuationPrompt() : this.prompt());
      rl.prompt();
    };
    const done = new Promise<void>((resolve) => {
      rl.on('close', () => {
        if (interactive) {
          quitting = true;
          this.cancelCurrent();
        }
        chain.then(resolve, resolve);
      });
    });
    const onLine = async (line: string) => {
      if (quitting) return;
      if (!buffer && /^\s*(quit|exit)\s*;?\s*$/i.test(line)) {
        quitting = true;
        rl.close();
        return;
      }
      buffer = buffer ? `${buffer}\n${line}` : line;
      if (!isSqlComplete(buffer)) {
        if (splitStatements(buffer).length === 0 && isSqlComplete(`${buffer}\nSELECT 1;`)) buffer = '';
        prompt();
        return;
      }
      const text = buffer;
      buffer = '';
      const outcome = await this.executeText(text);
      if (interactive && this.opts.historyFile) {
        const h = (rl as unknown as { history: string[] }).history;
        if (text.includes('\n')) h.unshift(historyEntry(text));
        await saveHistory(this.opts.historyFile, h);
      }
      if (outcome === 'quit') {
        quitting = true;
        rl.close();
        return;
      }
      prompt();
    };
    rl.on('line', (line) => {
      chain = chain.then(() => onLine(line)).catch((e) => this.printError(e));
    });
    rl.on('SIGINT', () => {
      if (this.cancelCurrent()) return;
      this.write('^C\n');
      buffer = '';
      prompt();
    });
    prompt();
    await done;
    if (!interactive && buffer.trim() && splitStatements(buffer).length) await this.executeText(buffer);
  }

  async close(): Promise<void> {
    this.cancelCurrent();
    await this.opts.session.close();
  }
}
