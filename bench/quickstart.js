// Start-up case of `npm run bench quickstart`: whole `tsstream` processes as a user starts them,
// BENCH_ROUNDS rounds (default 5), median: `tsstream --version`, `tsstream validate` of the
// quickstart, and `tsstream run queries/quickstart.sql` with the time from spawn to the first
// result row on stdout (the SELECT after the INSERT job into Iceberg) and to the end. Wall time
// from spawn; CPU seconds and peak RSS from GNU time when installed.
// BENCH_STARTUP_BASE=<dir> runs the same commands in another checkout (built, with node_modules)
// beside this one, alternating, for a before/after in one run.
// NODE_EXTRA_CA_CERTS, when set, is read by every Node process before any JavaScript runs: a
// bundle of 144 certificates costs ~60 ms of CPU per process on a 2-core VM (node on an empty
// file: 0.08 s instead of 0.02 s), part of every figure here. The cases say whether it was set
// (extraCaCerts); BENCH_STARTUP_NO_EXTRA_CA=1 starts the processes without it, as on a machine
// that has none.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CHILD_ENV = { ...process.env };
if (process.env.BENCH_STARTUP_NO_EXTRA_CA) delete CHILD_ENV.NODE_EXTRA_CA_CERTS;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const COMMANDS = {
  version: ['--version'],
  validate: ['validate', 'queries/quickstart.sql'],
  quickstart: ['run', 'queries/quickstart.sql'],
};

/** One process: ms to the first result row (a table's first data line) and to exit, CPU s, peak RSS. */
export function timeProcess(cwd, args) {
  const node = process.execPath;
  const argv = ['bin/tsstream.js', ...args];
  const [cmd, full] = TIME ? [TIME, ['-f', '@@time %U %S %M', node, ...argv]] : [node, argv];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const child = spawn(cmd, full, { cwd, env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let firstRowMs;
    let borders = 0;
    let pending = '';
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s) => {
      out += s;
      if (firstRowMs !== undefined) return;
      pending += s;
      const lines = pending.split('\n');
      pending = lines.pop();
      // A tableau result: +---+ border, | header |, +---+ border, then the first | row |.
      for (const l of lines) {
        if (l.startsWith('+-')) borders++;
        else if (borders >= 2 && l.startsWith('|')) {
          firstRowMs = ms();
          break;
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (s) => (err += s));
    child.on('error', reject);
    child.on('close', (code) => {
      const totalMs = ms();
      if (code !== 0) return reject(new Error(`tsstream ${args.join(' ')} exited ${code} in ${cwd}\n${out}${err}`));
      const r = { totalMs: Math.round(totalMs), firstRowMs: firstRowMs === undefined ? undefined : Math.round(firstRowMs) };
      const m = /@@time (\S+) (\S+) (\d+)/.exec(err);
      if (m) Object.assign(r, { cpuSeconds: +(Number(m[1]) + Number(m[2])).toFixed(2), peakRssMB: Math.round(Number(m[3]) / 1024) });
      resolve(r);
    });
  });
}

const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (!s.length) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : +((s[m - 1] + s[m]) / 2).toFixed(2);
};

export async function run({ root }) {
  const trees = [['', root]];
  if (process.env.BENCH_STARTUP_BASE) trees.push(['base-', process.env.BENCH_STARTUP_BASE]);
  const runs = new Map();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [what, args] of Object.entries(COMMANDS)) {
      for (const [prefix, dir] of trees) {
        const key = `${prefix}${what}`;
        if (!runs.has(key)) runs.set(key, []);
        runs.get(key).push(await timeProcess(dir, args));
      }
    }
  }
  const out = [];
  for (const [key, rs] of runs) {
    const c = {
      name: `startup-${key}`,
      rounds: rs.length,
      medianMs: median(rs.map((x) => x.totalMs)),
      medianFirstRowMs: median(rs.map((x) => x.firstRowMs)),
      medianCpuSeconds: median(rs.map((x) => x.cpuSeconds)),
      peakRssMB: Math.max(...rs.map((x) => x.peakRssMB ?? 0)) || undefined,
      extraCaCerts: CHILD_ENV.NODE_EXTRA_CA_CERTS !== undefined,
      loadAverage: +os.loadavg()[0].toFixed(1),
      runs: rs,
    };
    console.log(JSON.stringify(c));
    out.push(c);
  }
  return out;
}
