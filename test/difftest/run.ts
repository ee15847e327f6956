// `npm run difftest [-- NAME-OR-FILE…] [--verbose] [--parallelism=N]`: runs the differential cases on Apache Flink 1.20
// and on tsstream and prints, per case, whether they agree; then the counts. --parallelism=N runs
// tsstream with 'parallelism.default' = N (worker threads; a plan that is not split runs at 1, and
// the counts say how many did).
// `npm run difftest -- --seed=N[,M…] [--size=EXPRESSIONS]` runs the seeded random generator instead
// (generator.ts; default size 2000 expressions and 40 aggregation/window/join queries per seed). Starts the Flink
// peer itself unless TSSTREAM_FLINK_GATEWAY and TSSTREAM_FLINK_REST point at a running one.
// A case that could not be compared (a harness error: the input tables, the Flink peer, a timeout,
// or both engines refusing an unknown name the case does not expect) prints HARNESS ERROR.
// Exits 1 when a case differs that expected-differences.txt does not list, a listed case now
// agrees (take it off the list), or a case has a harness error.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flinkPeer, type FlinkEndpoint } from '../peers/flink.js';
import type { RunningPeer } from '../peers/peer.js';
import { loadCases, loadExpected, runCase, type Outcome } from './harness.js';
import { runGenerated } from './run-generated.js';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const seedArg = args.find((a) => a.startsWith('--seed='));
const sizeArg = args.find((a) => a.startsWith('--size='));
const parallelismArg = args.find((a) => a.startsWith('--parallelism='));
const parallelism = parallelismArg ? Number(parallelismArg.slice('--parallelism='.length)) : undefined;
if (parallelism !== undefined && !(Number.isInteger(parallelism) && parallelism > 0)) {
  console.error(`--parallelism wants a whole number above 0, not '${parallelismArg}'`);
  process.exit(2);
}
const filters = args.filter((a) => !a.startsWith('--'));
const cases = loadCases().filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f) || c.file === f || c.file === `${f}.sql`));
const expected = loadExpected();

let running: RunningPeer<FlinkEndpoint> | undefined;
let flink: FlinkEndpoint;
if (process.env.TSSTREAM_FLINK_GATEWAY && process.env.TSSTREAM_FLINK_REST) {
  flink = { gateway: process.env.TSSTREAM_FLINK_GATEWAY, rest: process.env.TSSTREAM_FLINK_REST };
} else {
  const why = flinkPeer.unavailable();
  if (why) {
    console.error(`difftest needs the Flink peer: ${why}`);
    process.exit(2);
  }
  const t0 = Date.now();
  running = await flinkPeer.start((l) => verbose && console.log(`[flink] ${l}`));
  flink = running.endpoint;
  console.log(`Flink started in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (seedArg) {
  const seeds = seedArg.slice('--seed='.length).split(',').map((x) => Number(x));
  const size = sizeArg ? Number(sizeArg.slice('--size='.length)) : 2000;
  let failed = false;
  try {
    for (const seed of seeds) {
      const r = await runGenerated(seed, size, flink, verbose, parallelism);
      failed ||= r.differences > 0 || r.harnessErrors > 0;
    }
  } finally {
    await running?.stop();
  }
  process.exit(failed ? 1 : 0);
}

const show = (o: Outcome) =>
  o.kind === 'error' ? `${o.errorKind} error at ${o.statement < 0 ? 'the input tables' : `statement ${o.statement + 1}`}: ${o.message.split('\n')[0]}` : `${o.columns.map((c) => `${c.name} ${c.type}`).join(', ')} → ${o.rows.map((r) => `(${r.join(', ')})`).join(' ')}${o.updating && o.changelog ? `  changelog: ${o.changelog.join('; ')}` : ''}`;

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-difftest-'));
let agree = 0;
let differ = 0;
let expectedDiffer = 0;
/** With --parallelism: the cases whose tsstream jobs all ran split across workers, and those where one ran at 1. */
let split = 0;
let atOne = 0;
const unexpected: string[] = [];
const nowAgree: string[] = [];
const harnessErrors: string[] = [];
const t0 = Date.now();
try {
  for (const c of cases) {
    let one = false;
    const r = await runCase(c, flink, dataDir, {
      parallelism,
      log: (m) => {
        if (/runs at parallelism 1:/.test(m)) one = true;
      },
    });
    if (parallelism && parallelism > 1) {
      if (one) atOne++;
      else split++;
      if (verbose && one) console.log(`    (ran at parallelism 1)`);
    }
    const known = expected.get(c.name);
    if (r.harnessError !== undefined) {
      harnessErrors.push(c.name);
      console.log(`HARNESS ERROR  ${c.name}  [${c.file}]\n    ${r.harnessError}`);
    } else if (r.differences.length === 0) {
      agree++;
      if (known !== undefined) nowAgree.push(c.name);
      console.log(`${known !== undefined ? 'AGREES NOW' : 'agree'}  ${c.name}${verbose ? `  ${show(r.flink)}` : ''}`);
    } else {
      differ++;
      if (known !== undefined) expectedDiffer++;
      else unexpected.push(c.name);
      console.log(`${known !== undefined ? 'differ (expected)' : 'DIFFER'}  ${c.name}  [${c.file}]`);
      for (const d of r.differences) console.log(`    ${d}`);
      if (verbose) console.log(`    Flink:    ${show(r.flink)}\n    tsstream: ${show(r.tsstream)}`);
    }
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  await running?.stop();
}
for (const name of expected.keys()) if (!cases.some((c) => c.name === name) && filters.length === 0) console.log(`expected-differences.txt lists '${name}', which is no case`);
console.log(
  `\n${cases.length} cases: ${agree} agree, ${differ} differ (${expectedDiffer} expected, ${unexpected.length} unexpected), ${harnessErrors.length} harness errors in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
);
if (parallelism && parallelism > 1) console.log(`tsstream at parallelism ${parallelism}: ${split} cases ran split across workers (or ran no job), ${atOne} ran a job at parallelism 1 (its plan is not split)`);
if (unexpected.length) console.log(`unexpected differences: ${unexpected.join(', ')}`);
if (nowAgree.length) console.log(`listed as differing but agree now (take them off expected-differences.txt): ${nowAgree.join(', ')}`);
if (harnessErrors.length) console.log(`harness errors (the case was not compared): ${harnessErrors.join(', ')}`);
process.exit(unexpected.length || nowAgree.length || harnessErrors.length ? 1 : 0);
