// The seed job's SQL, shared by the bench cases that run it (in process, as a whole process, on
// another revision): the events table over a JSON-lines file and the queries run over it.
import { createWriteStream, existsSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const QUERIES = {
  // S2: 1-minute TUMBLE counts per event_type into a blackhole.
  s2: `CREATE TABLE sink (window_start TIMESTAMP(3), window_end TIMESTAMP(3), event_type STRING, event_count BIGINT) WITH ('connector' = 'blackhole');
    INSERT INTO sink SELECT window_start, window_end, event_type, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, event_type;`,
  // One 1-hour TUMBLE window per user_id: every key stays open until the end.
  keys: `CREATE TABLE sink (window_start TIMESTAMP(3), user_id STRING, event_count BIGINT, last_time TIMESTAMP(3)) WITH ('connector' = 'blackhole');
    INSERT INTO sink SELECT window_start, user_id, COUNT(*), MAX(event_time) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '1' HOUR)) GROUP BY window_start, window_end, user_id;`,
};

/** The whole script: settings, the events table over `file`, then the query `kind`. */
export function seedJobSql(file, { columnar = true, parallelism, kind = 's2' } = {}) {
  return `
    SET 'table.exec.columnar.enabled' = '${columnar}';
    ${parallelism === undefined ? '' : `SET 'parallelism.default' = '${parallelism}';`}
    CREATE TABLE events (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
      WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
    WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
    ${QUERIES[kind]}`;
}

/** Runs the seed job with the tsstream build in `dist`; its counts. */
export async function runSeedJob(dist, file, opts) {
  const { Session } = await import(`${dist}/cli/session.js`);
  const session = new Session({ log: () => {} });
  const res = await session.executeAll(seedJobSql(file, opts));
  const r = await res.find((x) => x.kind === 'job').job.run();
  await session.close();
  return { events: r.metrics.recordsIn, groups: r.metrics.recordsOut, late: r.metrics.lateRecordsDropped };
}

/**
 * A JSON-lines file of `n` generated lines (`line(i)` each, newline added) in the temporary
 * folder, written once under `name` and kept for later runs (written to a .tmp file, then renamed).
 */
export async function linesFile(name, n, line) {
  const file = path.join(os.tmpdir(), name);
  if (existsSync(file)) return file;
  const out = createWriteStream(file + '.tmp');
  let chunk = '';
  for (let i = 0; i < n; i++) {
    chunk += line(i) + '\n';
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise((r) => out.end(r));
  renameSync(file + '.tmp', file);
  return file;
}
