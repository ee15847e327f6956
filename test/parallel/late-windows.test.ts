// Late rows of HOP and CUMULATE window aggregations at parallelism 2 (the two-phase shape, and the
// keyed shape's local-global aggregation): a row is in several windows, and it is dropped — and
// counted once — when the last window it belongs to has fired (Flink's numLateRecordsDropped), as
// at parallelism 1; a row some of whose windows fired but not the last goes into the others. The
// keyed shape's late rows do not depend on when the worker without a split starts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedLines, insertJobAt } from './helpers.js';
import { IDLE_WORKER_START_DELAY } from '../../src/runtime/job.js';

const base = Date.UTC(2025, 11, 29, 10, 0, 0);
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 23);

/**
 * 8000 rows of ~560 bytes one second apart, the watermark 1 s behind; with
 * pipeline.auto-watermark-interval 0 a watermark follows each 1 MiB read batch (~1900 rows). From the
 * 2000th row on, every 13th is 0-2500 s behind: late when the watermark passed the last of its
 * windows, kept when it passed only some of them (or none).
 */
function eventsFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-late-windows-'));
  const file = path.join(dir, 'events.jsonl');
  const lines: string[] = [];
  for (let i = 0; i < 8000; i++) {
    const back = i >= 2000 && i % 13 === 0 ? ((i * 7919) % 2500) * 1000 : 0;
    lines.push(`{"id":${i},"k":"k${i % 3}","ts":"${stamp(base + i * 1000 - back)}","pad":"${'x'.repeat(500)}"}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const ddl = (file: string, out: string) => `SET 'pipeline.auto-watermark-interval' = '0 ms';
  CREATE TABLE ev (id INT, k STRING, ts TIMESTAMP(3), pad STRING, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
    WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
  CREATE TABLE out (ws TIMESTAMP(3), we TIMESTAMP(3), k STRING, c BIGINT, s BIGINT) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'csv');`;

const agg = (window: string) => `SELECT window_start, window_end, k, COUNT(*), SUM(CAST(id AS BIGINT)) FROM TABLE(${window}) GROUP BY window_start, window_end, k`;

/** The run at `parallelism`; `idleWorkerDelay`: the worker without a split (the file is read whole by the other) first reports to its peers that long after opening its source. */
async function run(parallelism: number, file: string, query: (out: string) => string, idleWorkerDelay?: string): Promise<{ lines: string[]; late: number }> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'tsstream-late-windows-out-'));
  const delay = idleWorkerDelay ? `SET '${IDLE_WORKER_START_DELAY}' = '${idleWorkerDelay}';` : '';
  const j = await insertJobAt(parallelism, `late-windows-${parallelism}`, `${delay} ${ddl(file, out)} ${query(out)};`, []);
  try {
    expect((await j.job.run()).status).toBe('FINISHED');
    return { lines: committedLines(out), late: j.job.metrics.lateRecordsDropped };
  } finally {
    await j.session.close();
  }
}

const HOP = "HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '20' SECOND, INTERVAL '1' MINUTE)";
const CUMULATE = "CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '20' SECOND, INTERVAL '1' MINUTE)";

describe('late rows of HOP and CUMULATE window aggregations at parallelism 2', () => {
  const file = eventsFile();

  for (const [name, window] of [
    ['HOP', HOP],
    ['CUMULATE', CUMULATE],
  ] as const) {
    it(`${name} in two phases: a row counted once, the rows and late rows of parallelism 1`, async () => {
      const p1 = await run(1, file, (_out) => `INSERT INTO out ${agg(window)}`);
      const p2 = await run(2, file, (_out) => `INSERT INTO out ${agg(window)}`);
      expect(p1.late).toBeGreaterThan(0);
      expect(p1.lines.length).toBeGreaterThan(50);
      expect(p2.lines).toEqual(p1.lines);
      expect(p2.late).toBe(p1.late);
    }, 30_000);
  }

  // The worker without a split (the file is read whole by the other) is left out of every
  // receiver's minimum watermark before anything is read (the exchange's start barrier): the owner
  // of a key sees the reading worker's watermarks, parallelism 1's, however late the other starts
  // (a cold worker on a loaded machine: made here by delaying it until the file was read).
  it('HOP and CUMULATE in the keyed shape (two window aggregations: local phase per slice, per window): the rows and late rows of parallelism 1, however late the worker without a split starts', async () => {
    const q = () => `INSERT INTO out ${agg(HOP)} UNION ALL ${agg(CUMULATE)}`;
    const p1 = await run(1, file, q);
    expect(p1.late).toBeGreaterThan(0);
    const p2 = await run(2, file, q, '1500 ms');
    expect(p2.late).toBe(p1.late);
    expect(p2.lines).toEqual(p1.lines);
  }, 30_000);

  it('TUMBLE windows in the keyed shape (two window aggregations): the rows and late rows of parallelism 1, however late the worker without a split starts', async () => {
    const tumble = (s: number) => `TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '${s}' SECOND)`;
    const q = () => `INSERT INTO out ${agg(tumble(20))} UNION ALL ${agg(tumble(30))}`;
    const p1 = await run(1, file, q);
    expect(p1.late).toBeGreaterThan(0);
    const p2 = await run(2, file, q, '1500 ms');
    expect(p2.late).toBe(p1.late);
    expect(p2.lines).toEqual(p1.lines);
  }, 30_000);
});
