// A TUMBLE window aggregation over one JSON file at parallelism 2: the workers read the file in
// chunks (chunk k = parallelism 1's k-th read batch, by the worker that takes it next), pre-aggregate each
// chunk, and the coordinator merges the chunks in file order with the watermark parallelism 1 has
// before each. The rows written and the rows dropped as late are those of parallelism 1.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedLines, insertJobAt } from './helpers.js';
import { workerPool } from '../../src/runtime/parallel/pool.js';

const base = Date.UTC(2025, 11, 29, 10, 0, 0);
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 23);

/** Runs the INSERT at `parallelism` over `file`: the lines written, the rows dropped as late, the logs. */
async function run(parallelism: number, file: string, opts: { delay?: string; window?: string; aggs?: string } = {}): Promise<{ lines: string[]; late: number; logs: string[] }> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'tsstream-chunks-out-'));
  const window = opts.window ?? "TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE)";
  const script = `SET 'pipeline.auto-watermark-interval' = '0 ms';
    CREATE TABLE ev (id INT, k STRING, ts TIMESTAMP(3), pad STRING, WATERMARK FOR ts AS ts - INTERVAL '${opts.delay ?? '1'}' SECOND(3))
      WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
    CREATE TABLE out (ws TIMESTAMP(3), we TIMESTAMP(3), k STRING, c BIGINT, s BIGINT, lo INT, hi INT) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'csv');
    INSERT INTO out SELECT window_start, window_end, k, ${opts.aggs ?? 'COUNT(*), SUM(CAST(id AS BIGINT)), MIN(id), MAX(id)'} FROM TABLE(${window}) GROUP BY window_start, window_end, k;`;
  const logs: string[] = [];
  const j = await insertJobAt(parallelism, `chunks-${parallelism}`, script, logs);
  try {
    expect((await j.job.run()).status).toBe('FINISHED');
    return { lines: committedLines(out), late: j.job.metrics.lateRecordsDropped, logs };
  } finally {
    await j.session.close();
  }
}

const chunkedLog = (logs: string[]) => logs.some((m) => m.includes('read the file in chunks'));

describe('a TUMBLE aggregation over one file at parallelism 2 (chunks merged in file order)', () => {
  it('late rows across chunk boundaries and windows open across chunks: the rows and the late rows of parallelism 1', async () => {
    // ~5.5 MB: chunks of ~1 MB (parallelism 1's read batches), taken by the two workers as they go.
    // The watermark is 150 s behind the rows, so 3 one-minute windows are open at every chunk
    // boundary; every 97th row is 100 s behind (kept: its window is still open) and every 251st
    // from the 4000th on 400 s behind (late once an earlier chunk, often the other worker's,
    // moved the watermark past its window).
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-chunks-'));
    const file = path.join(dir, 'events.jsonl');
    const lines: string[] = [];
    const n = 22000;
    for (let i = 0; i < n; i++) {
      const back = i >= 4000 && i % 251 === 0 ? 400_000 : i % 97 === 0 ? 100_000 : 0;
      lines.push(`{"id":${i},"k":"k${i % 5}","ts":"${stamp(base + i * 100 - back)}","pad":"${'x'.repeat(200)}"}`);
    }
    writeFileSync(file, lines.join('\n') + '\n');
    const p1 = await run(1, file, { delay: '150' });
    const started = workerPool.started;
    const p2 = await run(2, file, { delay: '150' });
    expect(chunkedLog(p2.logs)).toBe(true);
    // The first subtask ran in the job's own thread: one worker thread at most was started for the other.
    expect(workerPool.started - started).toBeLessThanOrEqual(1);
    expect(p1.late).toBeGreaterThan(30);
    expect(p2.late).toBe(p1.late);
    expect(p1.lines.length).toBeGreaterThan(100);
    expect(p2.lines).toEqual(p1.lines);
  }, 60_000);

  it('a file of one line, and an empty file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-chunks-small-'));
    const one = path.join(dir, 'one.jsonl');
    writeFileSync(one, `{"id":7,"k":"a","ts":"${stamp(base)}","pad":""}`);
    const [a1, a2] = [await run(1, one), await run(2, one)];
    expect(chunkedLog(a2.logs)).toBe(true);
    expect(a1.lines).toEqual(['"2025-12-29 10:00:00","2025-12-29 10:01:00",a,1,7,7,7']);
    expect(a2.lines).toEqual(a1.lines);
    const empty = path.join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const [e1, e2] = [await run(1, empty), await run(2, empty)];
    expect(e1.lines).toEqual([]);
    expect(e2.lines).toEqual([]);
  }, 60_000);

  it('HOP windows keep the file read whole by one worker (a row in several windows), with the rows of parallelism 1', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-chunks-hop-'));
    const file = path.join(dir, 'events.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 9000; i++) lines.push(`{"id":${i},"k":"k${i % 3}","ts":"${stamp(base + i * 100 - (i >= 3000 && i % 301 === 0 ? 400_000 : 0))}","pad":"${'x'.repeat(200)}"}`);
    writeFileSync(file, lines.join('\n') + '\n');
    const hop = "HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '30' SECOND, INTERVAL '1' MINUTE)";
    const p1 = await run(1, file, { window: hop });
    const p2 = await run(2, file, { window: hop });
    expect(chunkedLog(p2.logs)).toBe(false);
    expect(p1.late).toBeGreaterThan(0);
    expect(p2.lines).toEqual(p1.lines);
  }, 60_000);
});
