#!/usr/bin/env node
// `npm run bench`: throughput and memory of tsstream against a hand-written Node.js loop on the
// same data, in the same process. Results are printed and written to bench/results/*.json.
// Cases: S2's job (JSON lines → TUMBLE count by key → blackhole) on BENCH_EVENTS events (default 5M),
// with columnar batches (the default) and on the row path (table.exec.columnar.enabled = false).
// `s2p`: the same job as whole processes (`tsstream run job.sql` as a user runs it: bin/tsstream.js, Node start-up included) beside the hand-written loop and
// DuckDB (bench/duckdb-s2.py; skipped with a message when DuckDB is not installed). `keys`: peak RSS
// of window state for BENCH_KEYS (default 1M) open keys, one process per path. `s2par` (only when named):
// the seed job at parallelism 1 and 2 (after the ceiling two threads reach here on a CPU-bound loop). `checkpoint`: how long a checkpoint of 1M open keys holds the pipeline.
// `quickstart`: whole `tsstream` processes (--version, validate, the quickstart's run to its first row),
// see bench/quickstart.js. `iceberg`: 1M rows written and committed through the Iceberg sink beside
// pyiceberg appending the same rows (bench/iceberg.js).
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { linesFile, runSeedJob, seedJobSql } from './seed-job.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const only = process.argv.slice(2);
const results = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadAverage: os.loadavg(), cases: [] };

function peakSampler() {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return () => {
    clearInterval(t);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

function eventsFile(n) {
  const types = ['click', 'view', 'purchase', 'login', 'logout'];
  const base = Date.UTC(2025, 11, 29, 10, 0, 0);
  // ~1000 events per second of event time, slightly out of order.
  return linesFile(`tsstream-bench-events-${n}.jsonl`, n, (i) => {
    const t = new Date(base + i + ((i * 7919) % 3000) - 1500).toISOString().slice(0, 23);
    return `{"event_id":"e${i}","user_id":"u${i % 1000}","event_type":"${types[i % 5]}","event_time":"${t}"}`;
  });
}

/** The baseline: what a developer would write by hand — JSON.parse each line, count per (window, type) in a Map. */
async function handWritten(file) {
  const counts = new Map();
  let n = 0;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    const e = JSON.parse(line);
    const ts = Date.parse(e.event_time + 'Z');
    const w = ts - (ts % 60000);
    const k = w + '|' + e.event_type;
    counts.set(k, (counts.get(k) ?? 0) + 1);
    n++;
  }
  return { events: n, groups: counts.size };
}

async function tsstreamJob(file, columnar = true, parallelism = 1) {
  return runSeedJob(path.join(root, 'dist'), file, { columnar, parallelism });
}

/** User+system CPU seconds of each thread of this process (Linux /proc; undefined elsewhere), by thread id. */
function threadCpu() {
  try {
    const out = new Map();
    for (const t of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(t, (Number(f[11]) + Number(f[12])) / 100); // utime, stime in USER_HZ
    }
    return out;
  } catch {
    return undefined;
  }
}

/**
 * Where a case's CPU went, by thread: the main thread (the job at parallelism 1, the coordinator
 * at 2), the three busiest other threads (a parallel job's workers, then libuv's read-ahead or V8's
 * GC/compiler helpers) and the rest. At parallelism 2 the workers' sum against p1's main thread is
 * the CPU parallelism costs per event.
 */
function cpuByThread(before, after) {
  if (!before || !after) return undefined;
  const others = [];
  let main = 0;
  for (const [t, c] of after) {
    const d = c - (before.get(t) ?? 0);
    if (t === String(process.pid)) main = d;
    else if (d > 0) others.push(d);
  }
  others.sort((a, b) => b - a);
  const r = (x) => +x.toFixed(2);
  return { main: r(main), busiest: others.slice(0, 3).map(r), rest: r(others.slice(3).reduce((a, b) => a + b, 0)) };
}

async function measure(name, fn) {
  global.gc?.();
  const threads0 = threadCpu();
  const stop = peakSampler();
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const out = await fn();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  const peak = stop();
  const threads = cpuByThread(threads0, threadCpu());
  // CPU seconds as well as wall time: on a shared machine the CPU time moves less with the load.
  const c = { name, seconds: +secs.toFixed(3), cpuSeconds: +cpuSecs.toFixed(3), eventsPerSecond: Math.round(out.events / secs), eventsPerCpuSecond: Math.round(out.events / cpuSecs), peakRssMB: Math.round(peak / 2 ** 20), loadAverage: +os.loadavg()[0].toFixed(1), ...(threads ? { cpuByThread: threads } : {}), ...out };
  results.cases.push(c);
  console.log(JSON.stringify(c));
  return c;
}

/** BENCH_KEYS events, each with its own user_id, all in one hour of event time (every key open until the end). */
function keysFile(n) {
  const base = Date.UTC(2025, 11, 29, 10, 0, 0);
  return linesFile(`tsstream-bench-keys-${n}.jsonl`, n, (i) => {
    const t = new Date(base + Math.floor((i * 3_000_000) / n)).toISOString().slice(0, 23);
    return `{"event_id":"e${i}","user_id":"user-${i}","event_type":"click","event_time":"${t}"}`;
  });
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** A whole process: wall and CPU seconds and peak RSS (GNU time), its JSON line of output (or `parse` of stdout + stderr). */
function processCase(name, cmd, args, parse = (stdout) => JSON.parse(stdout.trim().split('\n').pop())) {
  const full = TIME ? [TIME, ['-f', '@@time %e %U %S %M', cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${name}: ${cmd} exited ${r.status}\n${r.stdout}${r.stderr}`);
  const out = parse(r.stdout, r.stderr);
  const c = { name, seconds: +wall.toFixed(3), loadAverage: +os.loadavg()[0].toFixed(1) };
  const m = /@@time (\S+) (\S+) (\S+) (\d+)/.exec(r.stderr);
  if (m) Object.assign(c, { seconds: Number(m[1]), cpuSeconds: +(Number(m[2]) + Number(m[3])).toFixed(2), peakRssMB: Math.round(Number(m[4]) / 1024) });
  c.eventsPerSecond = Math.round(out.events / c.seconds);
  Object.assign(c, out);
  results.cases.push(c);
  console.log(JSON.stringify(c));
  return c;
}

/** How DuckDB runs here, or why it does not (it is never a dependency of tsstream). */
function duckdbAvailable() {
  const r = spawnSync('python3', ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(path.join(root, 'bench/.cache/duckdb-py'))}); import duckdb; print(duckdb.__version__)`], { encoding: 'utf8' });
  return r.status === 0 ? { version: r.stdout.trim() } : { missing: 'DuckDB is not installed: pip install --target bench/.cache/duckdb-py duckdb (a git-ignored folder) to add it to the bench' };
}

const ratio = (a, b) => (b.seconds / a.seconds).toFixed(2) + 'x';

/** Wall seconds of a fixed CPU-bound loop in one worker thread, then in two at once; their ratio (2 = two whole cores). */
async function twoThreadCeiling(iterations = 500_000) {
  const code = `const { parentPort, workerData } = require('node:worker_threads');
    const line = '{"event_id":"e1","user_id":"u1","event_type":"click","event_time":"2025-12-29T10:00:00.000"}';
    let n = 0;
    for (let i = 0; i < workerData; i++) n += JSON.parse(line).event_type.length;
    parentPort.postMessage(n);`;
  const run = (k) => {
    const t0 = process.hrtime.bigint();
    const ws = Array.from({ length: k }, () => new Promise((resolve, reject) => new Worker(code, { eval: true, workerData: iterations }).once('message', resolve).once('error', reject)));
    return Promise.all(ws).then(() => Number(process.hrtime.bigint() - t0) / 1e9);
  };
  await run(1); // start-up and JIT paid once
  const one = await run(1);
  const two = await run(2);
  return { oneSeconds: +one.toFixed(3), twoSeconds: +two.toFixed(3), ratio: +((2 * one) / two).toFixed(2) };
}

// The seed job's events file, written once (only for the cases that read it).
let file;
if (!only.length || only.includes('s2') || only.includes('s2p') || only.includes('s2par')) {
  file = await eventsFile(N);
  console.log(`events file: ${file} (${N} events)`);
}
if (!only.length || only.includes('s2')) {
  const base = await measure('s2-handwritten-json-parse-map', () => handWritten(file));
  // One job on a small file first (not measured) on each path, so neither measured run pays for loading
  // and compiling the engine's modules (the first job in a process otherwise runs ~1 s slower).
  const warm = await eventsFile(20_000);
  await tsstreamJob(warm, false);
  await tsstreamJob(warm, true);
  results.warmupEvents = 20_000;
  const ours = await measure('s2-tsstream-filesystem-tumble-blackhole', () => tsstreamJob(file));
  console.log(`tsstream / hand-written throughput: ${(ours.eventsPerSecond / base.eventsPerSecond).toFixed(2)}x`);
  // The same job on the row path (table.exec.columnar.enabled = false): what the columnar path buys.
  const rows = await measure('s2-tsstream-row-path', () => tsstreamJob(file, false));
  console.log(`row path / hand-written throughput: ${(rows.eventsPerSecond / base.eventsPerSecond).toFixed(2)}x; columnar / row path: ${(ours.eventsPerSecond / rows.eventsPerSecond).toFixed(2)}x`);
}
if (only.includes('s2par')) {
  // The seed job at parallelism 1 and 2 in one process, alternating (BENCH_PAR_ROUNDS rounds): at 2 the
  // window aggregation runs in two phases; the workers read the one file in chunks (each taking the next when it needs one) and the
  // coordinator merges their partials in file order with parallelism 1's watermarks (late rows those of
  // parallelism 1; docs/nexmark.md).
  const warm = await eventsFile(20_000);
  await tsstreamJob(warm, true, 1);
  await tsstreamJob(warm, true, 2);
  // What two threads of this process get here: the same CPU-bound loop (JSON.parse of a seed-job line)
  // in one worker, then in two at once. Its wall ratio is the ceiling p2 / p1 can reach on this machine
  // now (the load, vCPUs that share a core).
  const threads = await twoThreadCeiling();
  results.twoThreadCeiling = threads;
  console.log(`two busy threads against one (same loop, wall): ${threads.ratio}x (${threads.oneSeconds} s, ${threads.twoSeconds} s)`);
  const rounds = Number(process.env.BENCH_PAR_ROUNDS ?? 2);
  for (let r = 0; r < rounds; r++) {
    const p1 = await measure(`s2par-tsstream-p1-round${r + 1}`, () => tsstreamJob(file, true, 1));
    const p2 = await measure(`s2par-tsstream-p2-round${r + 1}`, () => tsstreamJob(file, true, 2));
    if (p1.groups !== p2.groups || p1.events !== p2.events) throw new Error(`p2 gave ${p2.events} events / ${p2.groups} rows, p1 ${p1.events} / ${p1.groups}`);
    console.log(`round ${r + 1}: p2 / p1 wall ${ratio(p2, p1)}`);
  }
}
if (!only.length || only.includes('s2p')) {
  // Whole processes, one after another on the same file: the seed job as a user runs it, beside the
  // hand-written loop and DuckDB (a batch engine in C++, reading the same file).
  const node = process.execPath;
  const hand = processCase('s2p-handwritten-process', node, ['bench/handwritten-process.js', file]);
  // tsstream as a user runs it: `tsstream run job.sql` (bin/tsstream.js and its bundle, the
  // launcher's node flags); the counts from its end-of-job line.
  const cli = (columnar) => {
    const sql = path.join(os.tmpdir(), `tsstream-bench-s2p-${columnar}.sql`);
    writeFileSync(sql, seedJobSql(file, { columnar }));
    return [path.join(root, 'bin/tsstream.js'), ['run', sql]];
  };
  const finished = (stdout, stderr) => {
    const m = /FINISHED in \S+ s: (\d+) rows in, (\d+) rows out, (\d+) late rows dropped/.exec(stdout + stderr);
    if (!m) throw new Error(`tsstream run printed no end-of-job line:\n${stdout}${stderr}`);
    return { events: Number(m[1]), groups: Number(m[2]), late: Number(m[3]) };
  };
  const ours = processCase('s2p-tsstream-process', ...cli(true), finished);
  const rowp = processCase('s2p-tsstream-row-path-process', ...cli(false), finished);
  console.log(`whole process, wall: tsstream / hand-written ${ratio(ours, hand)}; row path / hand-written ${ratio(rowp, hand)}`);
  const duck = duckdbAvailable();
  if (duck.missing) {
    console.log(`s2p-duckdb: skipped (${duck.missing})`);
    results.duckdb = duck;
  } else {
    results.duckdb = duck;
    for (const threads of [1, os.cpus().length]) {
      const d = processCase(`s2p-duckdb-${duck.version}-threads-${threads}`, 'python3', ['bench/duckdb-s2.py', file, String(threads)]);
      if (d.groups !== ours.groups || d.events !== ours.events) throw new Error(`DuckDB counted ${d.events} events in ${d.groups} groups, tsstream ${ours.events} in ${ours.groups}`);
      console.log(`whole process, wall: tsstream / DuckDB (threads=${threads}) ${ratio(ours, d)}`);
    }
  }
}
if (!only.length || only.includes('keys')) {
  // Window state for many open keys: peak RSS of a whole process per path (a fresh heap each).
  const K = Number(process.env.BENCH_KEYS ?? 1_000_000);
  const kf = await keysFile(K);
  const node = process.execPath;
  const col = processCase(`keys-${K}-tsstream-columnar-state`, node, ['bench/job-process.js', 'keys', kf, 'true']);
  const row = processCase(`keys-${K}-tsstream-row-operator`, node, ['bench/job-process.js', 'keys', kf, 'false']);
  if (col.groups !== K || row.groups !== K) throw new Error(`expected ${K} groups, got ${col.groups} / ${row.groups}`);
  console.log(`${K} open keys, peak RSS: columnar state ${col.peakRssMB} MB, row operator ${row.peakRssMB} MB`);
}
for (const extra of ['bench/kafka.js', 'bench/spec.js', 'bench/revisions.js', 'bench/checkpoint.js', 'bench/quickstart.js', 'bench/iceberg.js']) {
  const p = path.join(root, extra);
  if (existsSync(p) && (!only.length || only.some((o) => extra.includes(o)))) {
    const mod = await import(p);
    // A case measured with measure() is in the results already; one that times processes of its own is added here.
    for (const c of await mod.run({ measure, root, eventsFile: (n = N) => eventsFile(n) })) if (!results.cases.includes(c)) results.cases.push(c);
  }
}
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
const outFile = path.join(root, 'bench/results', `bench-${results.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(outFile, JSON.stringify(results, null, 2));
console.log(`results written to ${path.relative(root, outFile)}`);
