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

export function register(program: Command): void {
  program
    .command('validate')
    .description('Check the syntax of SQL files (or stdin with -) and print each statement normalised')
    .argument('<files...>', "SQL files, or '-' for stdin")
    .action(async (files: string[]) => {
      const code = await validateFiles(files);
      if (code !== 0) process.exitCode = code;
    });
}
