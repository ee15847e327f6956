// `tsstream test PATH… [--reporter junit FILE|tap] [--update]`: runs the spec files
// (`*.test.yaml`, or folders holding them) against the job files they name, with no service.
// Exit code: 0 every spec passed, 1 a spec failed, 2 a spec or job could not be read or planned.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type * as Testing from '../../testing/index.js';

/** Loaded on use, so that other commands start without the test runner and the engine. */
const testing = (): Promise<typeof Testing> => import('../../testing/index.js');

export interface TestCommandOptions {
  reporters?: { kind: 'console' | 'tap' | 'junit'; file?: string }[];
  update?: boolean;
  /** Print how each job was isolated (catalog swaps, captured tables). */
  verbose?: boolean;
  /** 'local' (default) or 'flink': run every spec on tsstream and on Flink through `gateway`. */
  target?: string;
  gateway?: string;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

/** Splits `--reporter` values: `junit FILE`, `tap`, `console`; anything else is a spec path. */
export function parseReporterArgs(values: string[]): { reporters: NonNullable<TestCommandOptions['reporters']>; paths: string[]; error?: string } {
  const reporters: NonNullable<TestCommandOptions['reporters']> = [];
  const paths: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const m = /^junit[=:](.+)$/.exec(v);
    if (m) reporters.push({ kind: 'junit', file: m[1] });
    else if (v === 'junit') {
      const file = values[i + 1];
      if (!file) return { reporters, paths, error: '--reporter junit needs a file: --reporter junit report.xml' };
      reporters.push({ kind: 'junit', file });
      i++;
    } else if (v === 'tap' || v === 'console' || v === 'default') reporters.push({ kind: v === 'tap' ? 'tap' : 'console' });
    else if (i === 0) return { reporters, paths, error: `unknown reporter '${v}' (junit FILE, tap, console)` };
    else paths.push(v);
  }
  return { reporters, paths };
}

export async function testCommand(paths: string[], opts: TestCommandOptions = {}): Promise<number> {
  const out = opts.out ?? process.stdout;
  const err = opts.err ?? process.stderr;
  const reporters = opts.reporters?.length ? opts.reporters : [{ kind: 'console' as const }];
  const tap = reporters.some((r) => r.kind === 'tap');
  const { runTests, tapReport, consoleReport, junitReport } = await testing();
  const target = (opts.target ?? process.env.TSSTREAM_TARGET ?? 'local').trim().toLowerCase();
  if (target !== 'local' && target !== 'flink') {
    err.write(`[ERROR] Unknown target '${target}': expected 'local' or 'flink'\n`);
    return 2;
  }
  const gateway = opts.gateway ?? process.env.TSSTREAM_GATEWAY;
  if (target === 'flink' && !gateway) {
    err.write("[ERROR] The target 'flink' needs the SQL Gateway's address: --gateway http://host:8083 or TSSTREAM_GATEWAY\n");
    return 2;
  }
  if (target === 'flink' && opts.update) {
    err.write('[ERROR] --update writes what tsstream computes: run it without --target flink\n');
    return 2;
  }
  const run = await runTests(paths, { update: opts.update, flinkGateway: target === 'flink' ? gateway : undefined });
  if (run.fatal) {
    err.write(`[ERROR] ${run.fatal}\n`);
    return run.exitCode;
  }
  if (tap) out.write(tapReport(run.results));
  // With TAP on stdout, the readable report goes to stderr.
  (tap ? err : out).write(consoleReport(run.results, process.cwd(), { update: opts.update, verbose: opts.verbose }));
  for (const r of reporters) {
    if (r.kind !== 'junit' || !r.file) continue;
    await fs.mkdir(path.dirname(path.resolve(r.file)), { recursive: true });
    await fs.writeFile(r.file, junitReport(run.results));
  }
  return run.exitCode;
}

export function register(program: Command): void {
  program
    .command('test')
    .description('Run CI smoke tests of jobs: each spec (*.test.yaml) feeds rows to the job file it names and checks what its sinks receive, with no service')
    .argument('[paths...]', 'spec files or folders holding *.test.yaml (default: .)')
    .option('-r, --reporter <reporter...>', "'junit FILE' (JUnit XML), 'tap' (TAP on stdout) or 'console'")
    .option('-u, --update', 'write the rows the sinks received into the expect files (like vitest -u)')
    .option('-t, --target <target>', "'local' (default) or 'flink': run every spec on tsstream and also on a Flink cluster (also TSSTREAM_TARGET)")
    .option('-g, --gateway <url>', 'with --target flink: the Flink SQL Gateway, e.g. http://host:8083 (also TSSTREAM_GATEWAY)')
    .option('-v, --verbose', 'show how each job was isolated (temporary catalogs, in-memory sources, captured sinks)')
    .action(async (paths: string[], o: { reporter?: string[]; update?: boolean; verbose?: boolean; target?: string; gateway?: string }) => {
      const parsed = parseReporterArgs(o.reporter ?? []);
      if (parsed.error) {
        process.stderr.write(`[ERROR] ${parsed.error}\n`);
        process.exitCode = 2;
        return;
      }
      process.exitCode = await testCommand([...paths, ...parsed.paths], { reporters: parsed.reporters, update: o.update, verbose: o.verbose, target: o.target, gateway: o.gateway });
    });
}
