// The `tsstream` command: wires parser, planner, runtime and connectors together.
// Each sub-command lives in src/cli/commands/<name>.ts and registers itself here.
import { Command, CommanderError } from 'commander';
import { TsstreamError } from '../common/errors.js';
import { commands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('tsstream')
    .description('Run Flink SQL jobs in one Node.js process: Kafka in, Apache Iceberg out, event-time windows, checkpoints.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
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
    process.stderr.write(`[ERROR] ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  }
}
