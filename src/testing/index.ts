// `tsstream test`: CI smoke tests of a Flink SQL job. Public entry: runTests(paths) finds the
// specs, runs each one, applies --update, and returns the results and the exit code
// (0 all passed, 1 a failure, 2 a spec or job that cannot be read or planned).
import { findSpecFiles, loadSpecFile, SpecError, type Spec } from './spec.js';
import { runSpec, type CaseResult } from './runner.js';
import { applyUpdates, type Update } from './update.js';
import { runSpecOnFlink } from './flink-target.js';

export { SpecError, parseSpecText, findSpecFiles, loadSpecFile, type Spec } from './spec.js';
export { runSpec, type CaseResult } from './runner.js';
export { consoleReport, tapReport, junitReport, failureText } from './reporters.js';

export interface TestRunOptions {
  update?: boolean;
  cwd?: string;
  /** Also run every spec on a Flink cluster through this SQL Gateway (`--target flink`). */
  flinkGateway?: string;
  /** Called after each spec (for streaming output). */
  onResult?: (r: CaseResult) => void;
}

export interface TestRun {
  results: CaseResult[];
  exitCode: number;
  /** Problems that stopped everything (no spec found, unreadable path). */
  fatal?: string;
}

function errorCase(file: string, message: string): CaseResult {
  const spec: Spec = { file, doc: 0, docCount: 1, name: file.replace(/^.*\//, '').replace(/\.test\.ya?ml$/, ''), job: '', jobAt: { file, line: 0, col: 0 }, set: {}, sources: [], sinks: [], at: { file, line: 0, col: 0 } };
  return { spec, status: 'error', durationMs: 0, message, failures: [], updated: 0, notes: [] };
}

export async function runTests(paths: string[], opts: TestRunOptions = {}): Promise<TestRun> {
  let files: string[];
  try {
    files = await findSpecFiles(paths.length ? paths : ['.']);
  } catch (e) {
    return { results: [], exitCode: 2, fatal: (e as Error).message };
  }
  if (!files.length) return { results: [], exitCode: 2, fatal: `No spec files (*.test.yaml) found in ${paths.join(', ') || '.'}` };
  const results: CaseResult[] = [];
  for (const file of files) {
    let specs: Spec[];
    try {
      specs = await loadSpecFile(file);
    } catch (e) {
      const r = errorCase(file, e instanceof SpecError ? e.format(opts.cwd) : String(e));
      results.push(r);
      opts.onResult?.(r);
      continue;
    }
    const updates = new Map<number, Update[]>();
    const fileResults: CaseResult[] = [];
    for (const spec of specs) {
      const r = await runSpec(spec, { update: opts.update, cwd: opts.cwd });
      if (opts.update && r.status === 'pass') updates.set(spec.doc, r.updates);
      const { updates: _u, ...result } = r;
      void _u;
      fileResults.push(result);
    }
    if (opts.update && updates.size) {
      const n = await applyUpdates(file, updates);
      for (const r of fileResults) if (updates.has(r.spec.doc)) r.updated = updates.get(r.spec.doc)!.reduce((k, u) => k + u.rows.length, 0);
      void n;
    }
    if (opts.flinkGateway) {
      for (const spec of specs) fileResults.push(await runSpecOnFlink(spec, { gateway: opts.flinkGateway, cwd: opts.cwd }));
    }
    for (const r of fileResults) {
      results.push(r);
      opts.onResult?.(r);
    }
  }
  const exitCode = results.some((r) => r.status === 'error') ? 2 : results.some((r) => r.status === 'fail') ? 1 : 0;
  return { results, exitCode };
}
