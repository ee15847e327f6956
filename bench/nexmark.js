#!/usr/bin/env node
// `npm run bench:nexmark [q0 q1 …]`: the Nexmark queries of bench/nexmark/ through tsstream and
// through Apache Flink 1.20 (the flink test peer's MiniCluster, parallelism 1 and 2), on the same
// NEXMARK_EVENTS events (default 1M) read from the same Kafka topic (2 partitions, written once by
// `tsstream nexmark gen`) into a blackhole sink. Needs `npm run peers:install kafka flink`.
//
// Measured per query and engine, both engines warm (long-lived processes: tsstream in this
// process, Flink in the peer's JVM; each engine runs q0 once first, unmeasured):
//   seconds   — from the job's tasks running (tsstream: Job.run() called; Flink: the earliest
//               vertex start-time in its REST API) to the last record written (the job's end);
//   eventsPerSecond — NEXMARK_EVENTS / seconds;
//   cpuSeconds — user+system CPU of the process over the job (tsstream: process.cpuUsage();
//               Flink: /proc/<jvm pid>/stat, which includes the JobManager and the gateway);
//   eventsPerCpuSecond — NEXMARK_EVENTS / cpuSeconds: what a core does, the figure that holds
//               when the machine is shared (wall-clock rates then depend on the other load);
//   peakRssMB — the process's RSS sampled every 50 ms during the job (Flink: the whole JVM).
// Results: bench/results/nexmark-<date>.json and a table on stdout. NEXMARK_PARALLELISM
// ('1,2' by default) picks the Flink parallelisms, NEXMARK_TS_PARALLELISM ('1,2') tsstream's (worker
// threads; a plan not split yet runs at 1 and its cell says so); NEXMARK_ENGINES ('tsstream,flink').
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.NEXMARK_EVENTS ?? 1_000_000);
const PARALLELISM = (process.env.NEXMARK_PARALLELISM ?? '1,2').split(',').map(Number);
const ENGINES = (process.env.NEXMARK_ENGINES ?? 'tsstream,flink').split(',');
/** tsstream's parallelisms ('1,2' by default): worker threads, where the plan can be split (else it runs at 1, and says so). */
const TS_PARALLELISM = (process.env.NEXMARK_TS_PARALLELISM ?? '1,2').split(',').map(Number);
/**
 * Mini-batch, as the Nexmark suite's Flink configuration sets it (table.exec.mini-batch.enabled
 * true, allow-latency 2 s, size 50000): both engines get the same settings. NEXMARK_MINI_BATCH=off
 * runs both without.
 */
const MINI_BATCH =
  (process.env.NEXMARK_MINI_BATCH ?? 'on') === 'off'
    ? {}
    : { 'table.exec.mini-batch.enabled': 'true', 'table.exec.mini-batch.allow-latency': '2 s', 'table.exec.mini-batch.size': '50000' };
const args = process.argv.slice(2);
const ALL = Array.from({ length: 23 }, (_, i) => `q${i}`);
const QUERIES = args.length ? args : ALL;
const dir = path.join(root, 'bench/nexmark');
const outDir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-nexmark-'));
const sideInput = path.join(outDir, 'side_input.csv');
writeFileSync(sideInput, Array.from({ length: 10_000 }, (_, i) => `${i},${i}`).join('\n') + '\n');

const { startKafkaBroker } = await import(path.join(root, 'test/peers/kafka.ts'));
const { flinkPeer } = await import(path.join(root, 'test/peers/flink.ts'));
const { runOnFlink, splitStatements, FlinkStatementError } = await import(path.join(root, 'test/peers/flink-client.ts'));
const { nexmarkGen } = await import(path.join(root, 'dist/cli/commands/nexmark.js'));
const { Session } = await import(path.join(root, 'dist/cli/session.js'));

const CLK_TCK = 100; // Linux's USER_HZ

function procCpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime, stime
}

function procRss(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

function sampler(read) {
  let peak = read();
  const t = setInterval(() => (peak = Math.max(peak, read())), 50);
  return () => {
    clearInterval(t);
    return Math.max(peak, read());
  };
}

function sqlOf(q, table, topic, bootstrap, group) {
  const fill = (s) =>
    s
      .replaceAll('${NEXMARK_TABLE}', table)
      .replaceAll('${TOPIC}', topic)
      .replaceAll('${BOOTSTRAP_SERVERS}', bootstrap)
      .replaceAll('${GROUP_ID}', group)
      .replaceAll('${OUTPUT_DIR}', path.join(outDir, group))
      .replaceAll('${SIDE_INPUT}', sideInput);
  return [readFileSync(path.join(dir, 'ddl_kafka.sql'), 'utf8'), readFileSync(path.join(dir, 'ddl_views.sql'), 'utf8'), readFileSync(path.join(dir, `${q}.sql`), 'utf8')].map(fill).join(';\n');
}

const firstLine = (e) => String(e?.rootCause ?? e?.message ?? e).split('\n')[0].slice(0, 300);

async function runTsstream(q, topic, bootstrap, p = 1) {
  let ranAt = p;
  const session = new Session({
    config: { 'parallelism.default': String(p), ...MINI_BATCH },
    log: (_level, m) => {
      if (/runs at parallelism 1/.test(m)) ranAt = 1;
    },
  });
  try {
    let job;
    try {
      const res = await session.executeAll(sqlOf(q, 'kafka', topic, bootstrap, `ts-${q}-${Date.now()}`));
      job = res.find((r) => r.kind === 'job')?.job;
      if (!job) return { supported: false, reason: 'no INSERT job' };
    } catch (e) {
      return { supported: false, reason: firstLine(e) };
    }
    global.gc?.();
    const stop = sampler(() => process.memoryUsage().rss);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await job.run();
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const peak = stop();
    if (r.status !== 'FINISHED') return { supported: true, failed: `job ${r.status}` };
    return {
      supported: true,
      seconds: +secs.toFixed(3),
      eventsPerSecond: Math.round(N / secs),
      cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
      eventsPerCpuSecond: Math.round(N / ((cpu.user + cpu.system) / 1e6)),
      peakRssMB: Math.round(peak / 2 ** 20),
      recordsIn: r.metrics.recordsIn,
      recordsOut: r.metrics.recordsOut,
      parallelism: ranAt,
    };
  } catch (e) {
    return { supported: true, failed: firstLine(e) };
  } finally {
    await session.close();
  }
}

async function runFlink(flink, q, p, topic, bootstrap) {
  const pid = flink.pid;
  const statements = splitStatements(sqlOf(q, 'kafka', topic, bootstrap, `flink-${q}-p${p}-${Date.now()}`));
  const stop = sampler(() => procRss(pid));
  const cpu0 = procCpuSeconds(pid);
  let res;
  try {
    res = await runOnFlink(statements, {
      flink,
      properties: { 'parallelism.default': String(p), 'table.local-time-zone': 'UTC', ...MINI_BATCH },
      timeoutMs: 60 * 60_000,
    });
  } catch (e) {
    stop();
    if (e instanceof FlinkStatementError) return { supported: false, reason: firstLine(e) };
    return { supported: true, failed: firstLine(e) };
  }
  const cpu = procCpuSeconds(pid) - cpu0;
  const peak = stop();
  const last = res[res.length - 1];
  if (!last.jobId) return { supported: false, reason: 'no INSERT job' };
  const job = await (await fetch(`${flink.rest}/jobs/${last.jobId}`)).json();
  const starts = job.vertices.map((v) => v['start-time']).filter((t) => t > 0);
  const start = Math.min(...starts);
  const end = job['end-time'];
  const secs = (end - start) / 1000;
  return {
    supported: true,
    seconds: +secs.toFixed(3),
    eventsPerSecond: Math.round(N / secs),
    cpuSeconds: +cpu.toFixed(2),
    eventsPerCpuSecond: Math.round(N / cpu),
    peakRssMB: Math.round(peak / 2 ** 20),
    jobState: last.jobState,
  };
}

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model,
  events: N,
  flink: '1.20.3 MiniCluster (test peer), JVM -Xmx1536m, SerialGC',
  config: Object.keys(MINI_BATCH).length ? `both engines: ${Object.entries(MINI_BATCH).map(([k, v]) => `${k}=${v}`).join(', ')}` : 'both engines: mini-batch off',
  measured: 'seconds from the tasks running to the job end; events/s = events / seconds; CPU and peak RSS of the engine process',
  queries: [],
};

const log = (s) => console.log(s);
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
const outFile = path.join(root, 'bench/results', `nexmark-${results.date.replace(/[:.]/g, '-')}.json`);
/** Written after every query, so an interrupted run keeps what it measured. */
const save = () => writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');
log(results.config);
const broker = await startKafkaBroker({ partitions: 2 });
const bootstrap = broker.endpoint.bootstrap;
let flinkRunning;
try {
  const topic = `nexmark-${N}`;
  const t0 = Date.now();
  await nexmarkGen({ events: N, kafka: bootstrap, topic, partitions: 2 });
  log(`${N} events written to ${topic} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  let flink;
  if (ENGINES.includes('flink')) {
    flinkRunning = await flinkPeer.start((l) => log(`[flink] ${l}`));
    flink = flinkRunning.endpoint;
  }
  // Warm-up, unmeasured: q0 once on each engine.
  if (ENGINES.includes('tsstream')) for (const p of TS_PARALLELISM) log(`warm-up tsstream q0 p${p}: ${JSON.stringify(await runTsstream('q0', topic, bootstrap, p))}`);
  if (flink) log(`warm-up flink q0: ${JSON.stringify(await runFlink(flink, 'q0', PARALLELISM[PARALLELISM.length - 1], topic, bootstrap))}`);
  for (const q of QUERIES) {
    if (!existsSync(path.join(dir, `${q}.sql`))) continue;
    const entry = { query: q };
    if (ENGINES.includes('tsstream')) {
      for (const p of TS_PARALLELISM) {
        entry[`tsstream_p${p}`] = await runTsstream(q, topic, bootstrap, p);
        log(`${q} tsstream p${p}: ${JSON.stringify(entry[`tsstream_p${p}`])}`);
      }
      // The ratios below compare tsstream at its highest parallelism asked for.
      entry.tsstream = entry[`tsstream_p${TS_PARALLELISM[TS_PARALLELISM.length - 1]}`];
    }
    if (flink) {
      for (const p of PARALLELISM) {
        entry[`flink_p${p}`] = await runFlink(flink, q, p, topic, bootstrap);
        log(`${q} flink p${p}: ${JSON.stringify(entry[`flink_p${p}`])}`);
      }
    }
    const ours = entry.tsstream;
    const base = entry[`tsstream_p${TS_PARALLELISM[0]}`];
    if (TS_PARALLELISM.length > 1 && ours?.eventsPerSecond && base?.eventsPerSecond) entry.speedup_vs_tsstream_p1 = +(ours.eventsPerSecond / base.eventsPerSecond).toFixed(2);
    for (const p of PARALLELISM) {
      const theirs = entry[`flink_p${p}`];
      if (ours?.eventsPerSecond && theirs?.eventsPerSecond) entry[`ratio_vs_flink_p${p}`] = +(ours.eventsPerSecond / theirs.eventsPerSecond).toFixed(2);
      if (ours?.eventsPerCpuSecond && theirs?.eventsPerCpuSecond) entry[`cpu_ratio_vs_flink_p${p}`] = +(ours.eventsPerCpuSecond / theirs.eventsPerCpuSecond).toFixed(2);
    }
    results.queries.push(entry);
    save();
  }
} finally {
  await flinkRunning?.stop();
  await broker.destroy();
}

save();

const cell = (r) => (!r ? '' : r.supported === false ? 'n/a' : r.failed ? 'failed' : `${(r.eventsPerSecond / 1000).toFixed(0)}k/s, ${(r.eventsPerCpuSecond / 1000).toFixed(0)}k/cpu-s, ${r.peakRssMB} MB`);
const tsCell = (r, p) => (r && p > 1 && r.parallelism === 1 ? `${cell(r)} (ran at p1)` : cell(r));
const top = TS_PARALLELISM[TS_PARALLELISM.length - 1];
const head = ['query', ...TS_PARALLELISM.map((p) => `tsstream p${p}`), ...PARALLELISM.map((p) => `flink p${p}`), ...(TS_PARALLELISM.length > 1 ? [`ts p${top}/p${TS_PARALLELISM[0]}`] : []), ...PARALLELISM.map((p) => `ts p${top}/flink p${p} (wall, cpu)`)];
log(`\n| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
for (const e of results.queries) {
  log(
    `| ${[
      e.query,
      ...TS_PARALLELISM.map((p) => tsCell(e[`tsstream_p${p}`], p)),
      ...PARALLELISM.map((p) => cell(e[`flink_p${p}`])),
      ...(TS_PARALLELISM.length > 1 ? [e.speedup_vs_tsstream_p1 ?? ''] : []),
      ...PARALLELISM.map((p) => (e[`ratio_vs_flink_p${p}`] ? `${e[`ratio_vs_flink_p${p}`]}, ${e[`cpu_ratio_vs_flink_p${p}`]}` : '')),
    ].join(' | ')} |`,
  );
}
const reasons = results.queries.flatMap((e) => [
  ...(e.tsstream?.supported === false ? [`${e.query} tsstream: ${e.tsstream.reason}`] : []),
  ...PARALLELISM.flatMap((p) => (e[`flink_p${p}`]?.supported === false && p === PARALLELISM[0] ? [`${e.query} flink: ${e[`flink_p${p}`].reason}`] : [])),
]);
if (reasons.length) log(`\nNot run:\n${reasons.map((r) => `- ${r}`).join('\n')}`);
log(`\nresults written to ${path.relative(root, outFile)}`);
