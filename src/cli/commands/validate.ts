// `tsstream validate FILE…`: parses SQL files (or stdin with `-`) and prints each statement
// normalised; on the first syntax error prints FILE:LINE:COL, the source line and a caret.
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { formatParseError, parseStatements, printStatement } from '../../parser/index.js';

async function readInput(file: string): Promise<string> {
  if (file !== '-') return fs.readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Validates the files in order; resolves with the exit code (0 valid, 1 on the first syntax error, 2 an unreadable file). */
export async function validateFiles(files: string[], out = process.stdout, err = process.stderr): Promise<number> {
  for (const file of files) {
    const label = file === '-' ? '<stdin>' : file;
    let text: string;
    try {
      text = await readInput(file);
    } catch (e) {
      err.write(`[ERROR] Cannot read ${label}: ${(e as Error).message}\n`);
      return 2;
    }
    try {
      const statements = parseStatements(text);
      out.write(statements.map((s) => printStatement(s) + ';\n').join('\n'));
    } catch (e) {
      const shown = formatParseError(e, text, label);
      if (shown === undefined) throw e;
      err.write(shown + '\n');
      return 1;
    }
  }
  return 0;
}

/** `validate --target flink`: what would not run on the cluster; 0 when nothing, 1 naming each item. */
export async function validateForFlink(files: string[], gateway: string | undefined, out = process.stdout, err = process.stderr): Promise<number> {
  const { flinkProblems } = await import('../../remote/validate.js');
  const { incompatibilityText, flinkIncompatibilities } = await import('../../remote/compat.js');
  let code = 0;
  for (const file of files) {
    const label = file === '-' ? '<stdin>' : file;
    let text: string;
    try {
      text = await readInput(file);
    } catch (e) {
      err.write(`[ERROR] Cannot read ${label}: ${(e as Error).message}\n`);
      return 2;
    }
    const gw = gateway ?? (await import('../../remote/compat.js')).targetSettings(text)['tsstream.gateway'] ?? process.env.TSSTREAM_GATEWAY;
    // Without a gateway only what tsstream itself knows to be its own is checked.
    const { splitStatements } = await import('../../parser/index.js');
    const problems = gw ? await flinkProblems(text, gw) : flinkIncompatibilities(splitStatements(text));
    if (!gw) err.write(`[WARNING] No gateway given (--gateway, SET 'tsstream.gateway' or TSSTREAM_GATEWAY): the cluster itself was not asked.\n`);
    if (problems.length) {
      err.write(`[ERROR] ${incompatibilityText(problems, label).replace(/\n/g, '\n[ERROR] ')}\n`);
      code = 1;
    } else out.write(`${label}: runs on Flink${gw ? ` (planned by ${gw})` : ''}.\n`);
  }
  return code;
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('Check the syntax of SQL files (or stdin with -) and print each statement normalised')
    .argument('<files...>', "SQL files, or '-' for stdin")
    .option('-t, --target <target>', "'flink': name what would not run on a Flink cluster (tsstream-only features, and what the gateway's EXPLAIN refuses)")
    .option('-g, --gateway <url>', "the Flink SQL Gateway to ask (also SET 'tsstream.gateway' or TSSTREAM_GATEWAY)")
    .action(async (files: string[], o: { target?: string; gateway?: string }) => {
      const target = (o.target ?? process.env.TSSTREAM_TARGET ?? 'local').toLowerCase();
      if (target !== 'local' && target !== 'flink') {
        process.stderr.write(`[ERROR] Unknown target '${target}': expected 'local' or 'flink'\n`);
        process.exitCode = 2;
        return;
      }
      const code = target === 'flink' ? await validateForFlink(files, o.gateway ?? process.env.TSSTREAM_GATEWAY) : await validateFiles(files);
      if (code !== 0) process.exitCode = code;
    });
}
