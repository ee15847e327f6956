// Makes the V8 code cache of the CLI's bundle (src/cli/bundle-loader.ts) for the Node flags this
// process runs with: loads dist/cli/tsstream.cjs without a cache, runs a representative workload
// with it as a user would (`tsstream run` of the quickstart, and the seed job on the row path and on
// the columnar path: file source, planning, TUMBLE counts, an Iceberg table written and read back
// through Parquet and Avro manifests, a tableau result), then writes what V8 compiled by then to
// the cache file. Run by scripts/bundle.mjs in a throwaway process per set of flags, in a temporary
// folder (the quickstart's warehouse goes there); its output is not shown.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { loadBundle } = await import(pathToFileURL(path.join(root, 'dist/cli/bundle-loader.js')).href);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsstream-code-cache-'));
try {
  process.chdir(tmp);
  const events = [
    ['w001', 'u001', 'click', '2025-12-29T10:00:10'],
    ['w002', 'u002', 'click', '2025-12-29T10:00:20'],
    ['w003', 'u001', 'view', '2025-12-29T10:00:30'],
    ['w004', 'u003', 'click', '2025-12-29T10:01:10'],
    ['w005', 'u002', 'view', '2025-12-29T10:01:40'],
    ['w006', 'u001', 'click', '2025-12-29T10:02:20'],
  ];
  writeFileSync('events.jsonl', events.map(([e, u, t, ts]) => JSON.stringify({ event_id: e, user_id: u, event_type: t, event_time: ts }) + '\n').join(''));
  const table = (name) => `CREATE TABLE ${name} (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
      WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
    WITH ('connector' = 'filesystem', 'path' = 'events.jsonl', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');`;
  const tumble = (from) => `SELECT window_start, window_end, event_type, COUNT(*) AS event_count
    FROM TABLE(TUMBLE(TABLE ${from}, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, event_type`;
  // The quickstart (queries/quickstart.sql).
  writeFileSync('quickstart.sql', `${table('window_events')}
    CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'warehouse');
    USE CATALOG iceberg_catalog;
    CREATE DATABASE IF NOT EXISTS demo;
    USE demo;
    DROP TABLE IF EXISTS event_counts;
    CREATE TABLE event_counts (window_start TIMESTAMP(6), window_end TIMESTAMP(6), event_type STRING, event_count BIGINT);
    INSERT INTO iceberg_catalog.demo.event_counts ${tumble('default_catalog.default_database.window_events')};
    SET 'execution.runtime-mode' = 'batch';
    SELECT * FROM event_counts ORDER BY window_start, event_type;
    SELECT snapshot_id, operation, summary['added-records'] AS added_records FROM \`event_counts$snapshots\`;`);
  // The seed job (bench/seed-job.js), columnar and row path.
  for (const columnar of [true, false]) {
    writeFileSync(`seed-${columnar}.sql`, `SET 'table.exec.columnar.enabled' = '${columnar}';
      ${table('events')}
      CREATE TABLE sink (window_start TIMESTAMP(3), window_end TIMESTAMP(3), event_type STRING, event_count BIGINT) WITH ('connector' = 'blackhole');
      INSERT INTO sink ${tumble('events')};`);
  }
  const bundle = loadBundle({ useCache: false });
  // The workload's output is not ours to show.
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    for (const f of ['quickstart.sql', 'seed-true.sql', 'seed-false.sql']) {
      const code = await bundle.exports.main([process.argv[0], 'tsstream', 'run', f]);
      if (code) throw new Error(`tsstream run ${f} exited ${code}`);
    }
  } finally {
    process.stdout.write = write;
  }
  const data = bundle.script.createCachedData();
  const out = bundle.cacheFile;
  writeFileSync(out + '.tmp', Buffer.concat([Buffer.from(bundle.buildId + '\n', 'latin1'), data]));
  renameSync(out + '.tmp', out);
  console.log(`${path.relative(root, out)}: ${data.length} bytes`);
} finally {
  process.chdir(root);
  rmSync(tmp, { recursive: true, force: true });
}
