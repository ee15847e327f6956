// `tsstream explain FILE`: runs the DDL of a job file and prints the plans of its INSERTs and SELECTs.
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { formatError } from '../report.js';
import { out } from '../stdout.js';

export async function explainFile(file: string): Promise<number> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    process.stderr.write(`[ERROR] Cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  const { Session } = await import('../session.js');
  const session = new Session({ log: () => {} });
  try {
    const { parseStatements } = await import('../../parser/index.js');
    for (const s of parseStatements(text)) {
      if (s.kind === 'insert' || s.kind === 'queryStatement' || s.kind === 'statementSet') {
        out((await session.explain(s)) + '\n');
      } else if (s.kind === 'explain') {
        out((await session.explain(s.statement)) + '\n');
      } else {
        await session.execute(s, text.slice(s.span.start, s.span.end));
      }
    }
    return 0;
  } catch (e) {
    process.stderr.write(`[ERROR] ${formatError(e, file, text)}\n`);
    return 1;
  } finally {
    await session.close();
  }
}

export function register(program: Command): void {
  program
    .command('explain')
    .description("Print the logical and physical plans of a job file's INSERT and SELECT statements")
    .argument('<file>', 'SQL file')
    .action(async (file: string) => {
      process.exitCode = await explainFile(file);
    });
}
