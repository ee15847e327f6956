// The `tsstream` command: wires parser, planner, runtime and connectors together.
// Each sub-command lives in src/cli/commands/<name>.ts and registers itself here.
import { Command, CommanderError } from 'commander';
import { TsstreamError } from '../common/errors.js';
import { commands } from './commands/index.js';
import { watchStdout } from './stdout.js';

const EXIT_CODES = `
Exit codes:
  0  success
  1  a SQL statement or a job failed (syntax, validation, planning or run-time error)
  2  usage or file error (unknown option or command, a file that cannot be read, an unknown job id)

Errors are printed without stack traces (TSSTREAM_DEBUG=1 adds them for unexpected errors).
`;

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('tsstream')
    .description('Run Flink SQL jobs in one Node.js process: Kafka in, Apache Iceberg out, event-time windows, checkpoints.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of commands) register(program);
  program.addHelpText('after', EXIT_CODES);
  return program;
}

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  watchStdout();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof TsstreamError) {
      process.stderr.write(`[ERROR] ${err.message}\n`);
      return 1;
    }
    // Not a mistake of the user's: still no stack trace unless asked for (TSSTREAM_DEBUG=1).
    const e = err as Error;
    process.stderr.write(`[ERROR] ${e?.message ?? String(err)}\n`);
    if (process.env.TSSTREAM_DEBUG && e?.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}
