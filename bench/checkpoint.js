// Checkpoint case of `npm run bench checkpoint`: how long a checkpoint of large window state holds
// the pipeline. BENCH_CKPT_KEYS (default 1M) distinct keys stay open in one 1-day TUMBLE window
// (COUNT per key) while BENCH_CKPT_EVENTS (default 1.5M) JSON lines are read from a file; a
// checkpoint every BENCH_CKPT_INTERVAL (default 1 s) is written to a local checkpoint directory.
// Reported per run: the longest pass of the job loop (poll + operators + any checkpoint work in
// it, ms) with checkpoints and in the same job without them, and per checkpoint its pause (the
// synchronous part or its longest background slice), its duration and size.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { linesFile } from './seed-job.js';

const KEYS = Number(process.env.BENCH_CKPT_KEYS ?? 1_000_000);
const N = Number(process.env.BENCH_CKPT_EVENTS ?? 1_500_000);
const INTERVAL = process.env.BENCH_CKPT_INTERVAL ?? '1 s';

function keysFile() {
  const base = Date.UTC(2025, 11, 29, 0, 0, 0);
  // 20 events per second of event time: all in one day.
  return linesFile(`tsstream-bench-ckpt-${KEYS}-${N}.jsonl`, N, (i) => `{"user_id":"u${i % KEYS}","event_time":"${new Date(base + Math.floor(i / 20)).toISOString().slice(0, 23)}"}`);
}

async function job(root, file, checkpoints) {
  const { Session } = await import(path.join(root, 'dist/cli/session.js'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-bench-ckpt-'));
  const session = new Session({ log: () => {} });
  const sql = `
    ${checkpoints ? `SET 'execution.checkpointing.interval' = '${INTERVAL}'; SET 'execution.checkpointing.dir' = '${dir}';` : ''}
    CREATE TABLE events (user_id STRING, event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
    WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
    CREATE TABLE sink (user_id STRING, window_start TIMESTAMP(3), n BIGINT) WITH ('connector' = 'blackhole');
    INSERT INTO sink SELECT user_id, window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '1' DAY)) GROUP BY user_id, window_start, window_end;`;
  const res = await session.executeAll(sql);
  const j = res.find((r) => r.kind === 'job').job;
  // Garbage-collector pauses hold the pipeline too (whatever holds the state): the longest one.
  let gcMax = 0;
  let gcTotal = 0;
  const obs = new PerformanceObserver((l) => {
    for (const e of l.getEntries()) {
      gcMax = Math.max(gcMax, e.duration);
      gcTotal += e.duration;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  const r = await j.run();
  obs.disconnect();
  await session.close();
  rmSync(dir, { recursive: true, force: true });
  const cps = (j.checkpointHistory ?? []).filter((c) => !c.savepoint);
  // Before the background write, a checkpoint held the pipeline for its whole duration.
  const pause = (c) => c.pauseMs ?? c.durationMs;
  return {
    events: r.metrics.recordsIn,
    groups: r.metrics.recordsOut,
    maxLoopPassMs: j.loopStats ? +j.loopStats.maxIterationMs.toFixed(1) : undefined,
    loopPasses: j.loopStats?.iterations,
    maxGcPauseMs: +gcMax.toFixed(1),
    gcTotalMs: Math.round(gcTotal),
    checkpoints: cps.length,
    maxCheckpointPauseMs: cps.length ? Math.max(...cps.map(pause)) : undefined,
    maxCheckpointPauseCpuMs: cps.some((c) => c.pauseCpuMs !== undefined) ? Math.max(...cps.map((c) => c.pauseCpuMs ?? 0)) : undefined,
    checkpointList: cps.map((c) => ({ id: c.id, pauseMs: pause(c), pauseCpuMs: c.pauseCpuMs, syncMs: c.syncMs, slices: c.slices, durationMs: c.durationMs, sizeMB: +(c.sizeBytes / 2 ** 20).toFixed(1), ...(c.previous !== undefined ? { deltaOf: c.previous } : {}) })),
  };
}

export async function run({ measure, root }) {
  const file = await keysFile();
  const out = [];
  out.push(await measure(`checkpoint-stall-${KEYS}-keys-no-checkpoints`, () => job(root, file, false)));
  out.push(await measure(`checkpoint-stall-${KEYS}-keys-every-${INTERVAL.replace(/\s+/g, '')}`, () => job(root, file, true)));
  return out;
}
