// `BENCH_BASELINE_REV=<git rev> npm run bench revisions`: the seed job (S2: JSON lines → TUMBLE
// count by key → blackhole) on this checkout and on an earlier revision of tsstream, in the same
// process, interleaved (baseline, current, current, baseline, …) so that both see the same machine
// load; the median of each side and their ratio. The baseline is built in a git worktree under
// bench/.cache (git-ignored). Both sides run the row path (table.exec.columnar.enabled = false,
// which older revisions ignore) and the columnar default, so a change of the value representation
// is measured on its own.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { runSeedJob } from './seed-job.js';

function buildRevision(root, rev) {
  const sha = execFileSync('git', ['rev-parse', '--short=12', `${rev}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
  const dir = path.join(root, 'bench/.cache', `rev-${sha}`);
  if (!existsSync(path.join(dir, 'dist/cli/session.js'))) {
    mkdirSync(path.dirname(dir), { recursive: true });
    if (!existsSync(dir)) execFileSync('git', ['worktree', 'add', '--detach', dir, sha], { cwd: root, stdio: 'ignore' });
    if (!existsSync(path.join(dir, 'node_modules'))) symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  }
  return { sha, dir };
}

async function seedJob(dist, file, columnar) {
  return runSeedJob(dist, file, { columnar });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run({ measure, root, eventsFile }) {
  const rev = process.env.BENCH_BASELINE_REV;
  if (!rev) {
    console.log('revisions: skipped (set BENCH_BASELINE_REV to the git revision to compare with)');
    return [];
  }
  const base = buildRevision(root, rev);
  const file = await eventsFile();
  const rounds = Number(process.env.BENCH_REVISION_ROUNDS ?? 5);
  const sides = [
    { name: `baseline-${base.sha}`, dist: path.join(base.dir, 'dist') },
    { name: 'current', dist: path.join(root, 'dist') },
  ];
  const warm = await eventsFile(20_000);
  for (const s of sides) for (const columnar of [false, true]) await seedJob(s.dist, warm, columnar);
  const cases = [];
  for (const columnar of [false, true]) {
    const secs = new Map(sides.map((s) => [s.name, []]));
    const cpu = new Map(sides.map((s) => [s.name, []]));
    for (let i = 0; i < rounds; i++) {
      // The order alternates between rounds, so neither side always runs after the other (GC, heap).
      for (const s of i % 2 ? [...sides].reverse() : sides) {
        const c = await measure(`s2-${s.name}-${columnar ? 'columnar' : 'row-path'}-round${i + 1}`, () => seedJob(s.dist, file, columnar));
        secs.get(s.name).push(c.seconds);
        cpu.get(s.name).push(c.cpuSeconds);
        cases.push(c);
      }
    }
    const [b, cur] = sides.map((s) => median(secs.get(s.name)));
    const [bc, cc] = sides.map((s) => median(cpu.get(s.name)));
    console.log(
      `revisions (${columnar ? 'columnar default' : 'row path'}), medians over ${rounds} interleaved rounds: ${b.toFixed(3)} s wall / ${bc.toFixed(3)} CPU-s at ${base.sha}, ${cur.toFixed(3)} s / ${cc.toFixed(3)} CPU-s now: current/baseline throughput ${(b / cur).toFixed(2)}x by wall, ${(bc / cc).toFixed(2)}x by CPU`,
    );
  }
  return cases;
}
