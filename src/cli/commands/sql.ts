// `tsstream sql [-i init.sql] [-f file.sql] [-e "statement"]`: the SQL shell, like Flink's
// sql-client.sh. `-i` runs a file first (session setup), `-f` runs a file and exits, `-e` runs
// statements and exits; otherwise an interactive shell on a TTY, or statements read from stdin.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readStdin } from '../stdin.js';
import { tsstreamHome } from '../jobs/registry.js';

export interface SqlOptions {
  init?: string[];
  file?: string;
  execute?: string[];
  set?: string[];
  /** A Flink SQL Gateway: the shell runs its statements there instead of in this process. */
  gateway?: string;
}

/** The shell against a Flink SQL Gateway (same prompt, results and errors; Flink runs the statements). */
async function remoteSqlMain(o: SqlOptions, config: Record<string, string>): Promise<number> {
  const script = o.file !== undefined || (o.execute?.length ?? 0) > 0;
  const interactive = !script && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const [{ GatewaySession }, { RemoteSqlShell }] = await Promise.all([import('../../remote/gateway.js'), import('../shell/remote-shell.js')]);
  let session;
  try {
    session = await GatewaySession.open(o.gateway!, config, 'tsstream-sql');
  } catch (e) {
    process.stderr.write(`[ERROR] ${(e as Error).message}\n`);
    return 1;
  }
  const shell = new RemoteSqlShell({ session, input: process.stdin, output: process.stdout, errorOutput: process.stderr, interactive, historyFile: path.join(tsstreamHome(), 'sql_history') });
  try {
    const texts: string[] = [];
    for (const f of o.init ?? []) {
      const text = await readFileOrFail(f);
      if (text === undefined) return 2;
      if ((await shell.executeText(text, true)) === 'error') return 1;
    }
    if (script) {
      if (o.file !== undefined) {
        const t = o.file === '-' ? await readStdin() : await readFileOrFail(o.file);
        if (t === undefined) return 2;
        texts.push(t);
      }
      texts.push(...(o.execute ?? []));
      for (const t of texts) {
        const r = await shell.executeText(t, true);
        if (r === 'error') return 1;
        if (r === 'quit') break;
      }
      return 0;
    }
    if (interactive) process.stdout.write(`tsstream SQL shell 0.1.0 on the Flink SQL Gateway at ${o.gateway}. Statements end with ";". QUIT; or Ctrl+D exits, Ctrl+C cancels.\n\n`);
    await shell.repl();
    if (interactive) process.stdout.write('\nShutting down the session...\ndone.\n');
    return shell.errors > 0 && !interactive ? 1 : 0;
  } finally {
    await shell.close();
  }
}

async function readFileOrFail(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    process.stderr.write(`[ERROR] Cannot read ${file}: ${(e as Error).message}\n`);
    return undefined;
  }
}

/** Runs the shell; resolves with the exit code. */
export async function sqlMain(o: SqlOptions): Promise<number> {
  const config: Record<string, string> = {};
  for (const kv of o.set ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) {
      process.stderr.write(`[ERROR] --set expects key=value, got '${kv}'\n`);
      return 2;
    }
    config[kv.slice(0, i)] = kv.slice(i + 1);
  }
  if (o.gateway ?? (process.env.TSSTREAM_TARGET?.toLowerCase() === 'flink' ? process.env.TSSTREAM_GATEWAY : undefined)) {
    return remoteSqlMain({ ...o, gateway: o.gateway ?? process.env.TSSTREAM_GATEWAY }, config);
  }
  const script = o.file !== undefined || (o.execute?.length ?? 0) > 0;
  const interactive = !script && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const home = tsstreamHome();
  // Loaded on use: `tsstream --help` and the other commands start without the engine.
  const [{ Session }, { SqlShell }] = await Promise.all([import('../session.js'), import('../shell/shell.js')]);
  const session = new Session({
    config,
    // Job messages (checkpoints, commits) would break into the prompt: keep warnings and errors.
    log: (level, m) => {
      if (level !== 'info' || !interactive) process.stderr.write(`[${level.toUpperCase()}] ${m}\n`);
    },
  });
  const shell = new SqlShell({
    session,
    input: process.stdin,
    output: process.stdout,
    errorOutput: process.stderr,
    interactive,
    historyFile: path.join(home, 'sql_history'),
    home,
  });
  let code = 0;
  try {
    for (const f of o.init ?? []) {
      const text = await readFileOrFail(f);
      if (text === undefined) return 2;
      if ((await shell.runScript(text)) === 'error') {
        process.stderr.write(`[ERROR] The init file ${f} failed; stopping.\n`);
        return 1;
      }
    }
    if (script) {
      const texts: string[] = [];
      if (o.file !== undefined) {
        const t = o.file === '-' ? await readStdin() : await readFileOrFail(o.file);
        if (t === undefined) return 2;
        texts.push(t);
      }
      texts.push(...(o.execute ?? []));
      for (const t of texts) {
        const r = await shell.runScript(t);
        if (r === 'error') return 1;
        if (r === 'quit') break;
      }
      return 0;
    }
    if (interactive) {
      process.stdout.write('tsstream SQL shell 0.1.0. Statements end with ";". HELP; lists them, QUIT; or Ctrl+D exits, Ctrl+C cancels.\n\n');
    }
    await shell.repl();
    if (interactive) process.stdout.write('\nShutting down the session...\ndone.\n');
    code = shell.errors > 0 && !interactive ? 1 : 0;
    return code;
  } finally {
    await shell.close();
  }
}

export function register(program: Command): void {
  program
    .command('sql')
    .description('The interactive SQL shell (like Flink\'s sql-client); reads statements from stdin when it is not a terminal')
    .option('-i, --init <file...>', 'run this file first (e.g. CREATE CATALOG), then go on')
    .option('-f, --file <file>', "run the statements of this file (or '-' for stdin) and exit")
    .option('-e, --execute <statement...>', 'run these statements and exit')
    .option('-s, --set <key=value...>', 'session configuration, as SET would')
    .option('-g, --gateway <url>', 'run the statements on a Flink cluster through its SQL Gateway (e.g. http://host:8083)')
    .action(async (o: SqlOptions) => {
      const code = await sqlMain(o);
      process.exitCode = code;
      // Background jobs run in their own processes; do not wait for stray handles of this one.
      setTimeout(() => process.exit(code), 3000).unref();
    });
}
