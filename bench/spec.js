// `npm run bench` (or `npm run bench spec`): how long `tsstream test queries/tests` takes, per spec
// in process (what a spec itself costs: planning, temporary catalogs, steps, comparison), and for
// the whole command as CI runs it (a child process: Node start-up and module loading included).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export async function run({ measure, root }) {
  const cases = [];
  const { findSpecFiles, loadSpecFile, runSpec } = await import(path.join(root, 'dist/testing/index.js'));
  const files = await findSpecFiles([path.join(root, 'queries/tests')]);
  const rounds = Number(process.env.BENCH_SPEC_ROUNDS ?? 5);
  for (const file of files) {
    for (const spec of await loadSpecFile(file)) {
      // One warm-up run (module JIT, first Iceberg catalog), then the measured rounds.
      await runSpec(spec);
      const c = await measure(`spec-${path.basename(file).replace(/\.test\.ya?ml$/, '')}-in-process-x${rounds}`, async () => {
        let worst = 0;
        const t0 = performance.now();
        for (let i = 0; i < rounds; i++) {
          const t = performance.now();
          const r = await runSpec(spec);
          worst = Math.max(worst, performance.now() - t);
          if (r.status !== 'pass') throw new Error(`${file}: ${r.status} ${r.message ?? ''}`);
        }
        const mean = (performance.now() - t0) / rounds;
        return { events: rounds, meanMs: +mean.toFixed(1), worstMs: +worst.toFixed(1) };
      });
      cases.push(c);
    }
  }
  const cli = await measure('spec-cli-tsstream-test-queries-tests', async () => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [path.join(root, 'bin/tsstream.js'), 'test', 'queries/tests'], { cwd: root, encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`tsstream test queries/tests exited ${r.status}\n${r.stdout}${r.stderr}`);
    return { events: files.length, specs: files.length, wallMs: Math.round(ms), perSpecMs: Math.round(ms / files.length) };
  });
  cases.push(cli);
  return cases;
}
