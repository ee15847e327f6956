// Iceberg case of `npm run bench iceberg`: BENCH_ICEBERG_ROWS (default 1M) rows of a typical
// event schema (id BIGINT, user_id STRING of 1000 values, event_type STRING of 5, amount
// DECIMAL(10, 2), event_time TIMESTAMP(3)) written through the Iceberg sink (write(), then
// prepareCommit and commit of one checkpoint: one snapshot) into a table of a local hadoop
// catalog. The rows are built before the clock starts, in the runtime's representation, and handed
// to the sink in batches of BENCH_ICEBERG_BATCH (default 8192) rows as a job would. Reported: wall and
// CPU seconds, rows/s, peak RSS, and where the time went (rows to Arrow, Parquet encoding, file
// writes, manifest + metadata commit: the sink's commit log line) and garbage collection. A first, small write (not
// measured) loads and compiles the connector's modules. Beside it, pyiceberg (the peers' venv,
// .peers/venv) appends the same rows into a sqlite-catalog table in a process of its own; skipped
// with a message when the venv is missing. BENCH_ICEBERG_BASE=<dir> (another checkout, built) writes
// the same rows with that build too, alternating with this one over BENCH_ICEBERG_ROUNDS (default 1)
// rounds, for a before/after under the same load.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';

const N = Number(process.env.BENCH_ICEBERG_ROWS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_ICEBERG_BATCH ?? 8192);
const TYPES = ['click', 'view', 'purchase', 'login', 'logout'];

function fields(T) {
  return [
    { name: 'id', type: T.bigint() },
    { name: 'user_id', type: T.string() },
    { name: 'event_type', type: T.string() },
    { name: 'amount', type: { kind: 'DECIMAL', precision: 10, scale: 2, nullable: true } },
    { name: 'event_time', type: T.timestamp(3) },
  ];
}

/** n rows as the runtime hands them to a sink: numbers (DECIMAL unscaled, TIMESTAMP in µs), strings. */
export function makeRows(n) {
  const base = Date.UTC(2025, 11, 29, 10, 0, 0) * 1000;
  const users = Array.from({ length: 1000 }, (_, i) => `u${i}`);
  const rows = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = [i, users[i % 1000], TYPES[i % 5], i % 100000, base + i * 1000];
  return rows;
}

export async function writeTable(dist, warehouse, table, rows) {
  const { icebergCatalogFactory } = await import(path.join(dist, 'connectors/iceberg/index.js'));
  const { T } = await import(path.join(dist, 'common/types.js'));
  const fs = fields(T);
  const catalog = icebergCatalogFactory.create('bench', { type: 'iceberg', 'catalog-type': 'hadoop', warehouse });
  await catalog.open();
  await catalog.createDatabase('demo', true);
  await catalog.createTable('demo', table, { kind: 'table', columns: fs.map((f) => ({ kind: 'physical', name: f.name, type: f.type })), partitionKeys: [], options: {} }, false);
  const logs = [];
  // Garbage collection in the timed part (marking includes the rows built beforehand, all alive).
  let gcMs = 0;
  const obs = new PerformanceObserver((l) => {
    for (const e of l.getEntries()) gcMs += e.duration;
  });
  obs.observe({ entryTypes: ['gc'] });
  const t0 = performance.now();
  const sink = catalog.tableFactory().createSink({ path: { catalog: 'bench', database: 'demo', table }, physical: fs, metadata: [], options: {}, partitionKeys: [] }, { config: new Map() });
  const ctx = { jobId: 'bench', jobName: 'bench', config: new Map(), signal: new AbortController().signal, log: (_l, m) => logs.push(m), metric: () => undefined };
  await sink.open(ctx);
  const t1 = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) await sink.write(rows.slice(i, i + BATCH));
  const t2 = performance.now();
  const c = await sink.prepareCommit(1);
  const t3 = performance.now();
  await sink.commit(1, [c]);
  const t4 = performance.now();
  await new Promise((r) => setImmediate(r));
  obs.disconnect();
  await sink.close();
  await catalog.close();
  const line = logs.find((l) => l.includes('committed snapshot')) ?? '';
  const part = (re) => Number(re.exec(line)?.[1] ?? NaN);
  const meta = JSON.parse((await import('node:fs')).readFileSync(path.join(warehouse, 'demo', table, 'metadata', 'v2.metadata.json'), 'utf8'));
  const summary = meta.snapshots.at(-1).summary;
  if (Number(summary['added-records']) !== rows.length) throw new Error(`committed ${summary['added-records']} rows, wrote ${rows.length}`);
  return {
    events: rows.length,
    files: Number(summary['added-data-files']),
    fileMB: +(Number(summary['added-files-size']) / 2 ** 20).toFixed(1),
    openMs: Math.round(t1 - t0),
    writeCallsMs: Math.round(t2 - t1),
    prepareCommitMs: Math.round(t3 - t2),
    commitMs: Math.round(t4 - t3),
    gcMs: Math.round(gcMs),
    arrowMs: part(/rows to Arrow (\d+) ms/),
    parquetMs: part(/Parquet (\d+) ms/),
    fileWriteMs: part(/file writes (\d+) ms/),
    commitLog: line,
  };
}

function pyiceberg(root, dir) {
  const python = path.join(root, '.peers/venv/bin/python');
  if (!existsSync(python)) return { missing: `no pyiceberg venv at ${python} (npm run peers:install)` };
  const TIME = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', '@@time %e %U %S %M'] : [];
  const argv = [...TIME, python, path.join(root, 'bench/iceberg-pyiceberg.py'), String(N), dir];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`pyiceberg bench exited ${r.status}\n${r.stdout}${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  const m = /@@time (\S+) (\S+) (\S+) (\d+)/.exec(r.stderr);
  if (m) Object.assign(out, { processSeconds: Number(m[1]), processCpuSeconds: +(Number(m[2]) + Number(m[3])).toFixed(2), peakRssMB: Math.round(Number(m[4]) / 1024) });
  return out;
}

export async function run({ measure, root }) {
  const trees = [['', path.join(root, 'dist')]];
  if (process.env.BENCH_ICEBERG_BASE) trees.push(['base-', path.join(process.env.BENCH_ICEBERG_BASE, 'dist')]);
  const rounds = Number(process.env.BENCH_ICEBERG_ROUNDS ?? 1);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-bench-iceberg-'));
  const out = [];
  try {
    for (const [prefix, dist] of trees) await writeTable(dist, path.join(dir, 'wh'), `${prefix}warmup`, makeRows(10_000));
    const rows = makeRows(N);
    let c;
    for (let r = 1; r <= rounds; r++) {
      for (const [prefix, dist] of trees) {
        const name = `iceberg-sink-${prefix}${N}-rows-write-commit${rounds > 1 ? `-round${r}` : ''}`;
        const m = await measure(name, () => writeTable(dist, path.join(dir, 'wh'), `${prefix}events${r}`, rows));
        out.push(m);
        if (!prefix) c = m;
      }
    }
    const py = pyiceberg(root, path.join(dir, 'py'));
    if (py.missing) console.log(`iceberg-pyiceberg: skipped (${py.missing})`);
    else {
      if (py.rows !== N) throw new Error(`pyiceberg committed ${py.rows} rows, expected ${N}`);
      const p = { name: `iceberg-pyiceberg-${N}-rows-append`, ...py, eventsPerSecond: Math.round(N / py.seconds), eventsPerCpuSecond: Math.round(N / py.cpuSeconds), loadAverage: +os.loadavg()[0].toFixed(1) };
      console.log(JSON.stringify(p));
      out.push(p);
      console.log(`iceberg write+commit of ${N} rows: tsstream ${c.seconds} s (${c.cpuSeconds} CPU-s), pyiceberg ${py.seconds} s (${py.cpuSeconds} CPU-s): tsstream / pyiceberg wall ${(c.seconds / py.seconds).toFixed(2)}x`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
