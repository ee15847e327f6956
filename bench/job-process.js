#!/usr/bin/env node
// One bench job as a whole process (Node start-up and module loading included), for the cases
// that compare processes (DuckDB) or peak RSS (a fresh heap per run):
//   node bench/job-process.js s2 FILE [columnar=true|false]     the seed job (1-minute TUMBLE counts per event_type)
//   node bench/job-process.js keys FILE [columnar=true|false]   one 1-hour TUMBLE window per user_id (all keys open until the end)
// Prints one JSON line: events, groups, late.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [kind, file, columnar = 'true'] = process.argv.slice(2);
const QUERIES = {
  s2: `CREATE TABLE sink (window_start TIMESTAMP(3), window_end TIMESTAMP(3), event_type STRING, event_count BIGINT) WITH ('connector' = 'blackhole');
    INSERT INTO sink SELECT window_start, window_end, event_type, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, event_type;`,
  keys: `CREATE TABLE sink (window_start TIMESTAMP(3), user_id STRING, event_count BIGINT, last_time TIMESTAMP(3)) WITH ('connector' = 'blackhole');
    INSERT INTO sink SELECT window_start, user_id, COUNT(*), MAX(event_time) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '1' HOUR)) GROUP BY window_start, window_end, user_id;`,
};
if (!QUERIES[kind] || !file) {
  console.error('usage: node bench/job-process.js s2|keys FILE [true|false]');
  process.exit(2);
}
const { Session } = await import(path.join(root, 'dist/cli/session.js'));
const session = new Session({ log: () => {} });
const res = await session.executeAll(`
  SET 'table.exec.columnar.enabled' = '${columnar}';
  CREATE TABLE events (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
  ${QUERIES[kind]}`);
const r = await res.find((x) => x.kind === 'job').job.run();
await session.close();
console.log(JSON.stringify({ events: r.metrics.recordsIn, groups: r.metrics.recordsOut, late: r.metrics.lateRecordsDropped }));
