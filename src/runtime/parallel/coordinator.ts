// Runs one job as N worker threads (parallelism N) and merges what they report: each worker plans
// the same SQL (the session's DDL replayed, then the job's statement) and runs it as a Job with
// its subtask index, so its sources read only their share of the splits (RuntimeContext.subtask).
// Rows of a Collect root come back here; metrics are summed; the first failure cancels the rest.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Row } from '../../common/types.js';
import { JobError } from '../../common/errors.js';

/** What a job needs to run split across workers (set by the session that planned it). */
export interface ParallelSpec {
  parallelism: number;
  /** The worker's entry module (it plans `statement` after replaying `script`, then runs it). */
  entry: URL;
  /** The session's DDL (CREATE TABLE/VIEW/FUNCTION, USE…) in order, as written. */
  script: string[];
  /** The INSERT or SELECT the job runs, as written. */
  statement: string;
  /** The workers run the plan up to its window aggregation's local phase; the coordinator the rest (plan.ts, parallelShape). */
  twoPhase?: boolean;
}

/** What the coordinator hands each worker (workerData). */
export interface WorkerData {
  script: string[];
  statement: string;
  config: [string, string][];
  jobName: string;
  jobId: string;
  index: number;
  parallelism: number;
  collect: boolean;
  /** Run the plan up to the window aggregation's local phase and send its partial rows and watermarks. */
  phase?: 'local';
  /** The worker's state to resume from (a WorkerState's JSON text from the coordinator's checkpoint). */
  restore?: string;
}

export interface WorkerCounts {
  recordsIn: number;
  recordsOut: number;
  lateRecordsDropped: number;
  recordsSkipped: number;
  watermark: number;
}

/** Messages from a worker to the coordinator. */
export type WorkerMessage =
  | { t: 'opened' }
  | { t: 'rows'; rows: Row[]; kinds?: (string | undefined)[] }
  | { t: 'metrics'; counts: WorkerCounts }
  | { t: 'wm'; wm: number }
  /** The worker's state at barrier `id` (-1: at its end), after every row it sent before. */
  | { t: 'snapshot'; id: number; state: string }
  | { t: 'done'; status: string; counts: WorkerCounts }
  | { t: 'failed'; message: string }
  | { t: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export interface RunWorkersOptions {
  spec: ParallelSpec;
  config: ReadonlyMap<string, string>;
  jobName: string;
  jobId: string;
  signal: AbortSignal;
  onRows?: (rows: Row[], index: number) => void;
  /** A worker's watermark (two-phase runs). */
  onWatermark?: (index: number, wm: number) => void;
  /** A worker's state at a barrier (two-phase runs). */
  onSnapshot?: (index: number, id: number, state: string) => void;
  /** A worker's job ended. */
  onWorkerDone?: (index: number) => void;
  /** Per worker, the state it resumes from. */
  restore?: string[];
  /** Called once the workers are started, with a way to send them all a message ({ t: 'barrier', id }). */
  onStart?: (broadcast: (m: { t: 'barrier'; id: number }) => void) => void;
  onOpened: () => void;
  /** Called with the summed counts whenever a worker reports. */
  onCounts: (sum: WorkerCounts) => void;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** Starts the worker for `entry`: a compiled .js runs as is; a .ts (tests, `tsx`) goes through tsx's loader. */
function startWorker(entry: URL, workerData: WorkerData): Worker {
  const path = fileURLToPath(entry);
  if (existsSync(path)) return new Worker(entry, { workerData });
  const ts = path.replace(/\.js$/, '.ts');
  if (!existsSync(ts)) throw new JobError(`The parallel worker module is missing (${path})`);
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(ts).href)}); })`;
  return new Worker(code, { eval: true, workerData });
}

/** Runs the workers until all end; resolves with the final status ('FINISHED' or 'CANCELED'), throws the first failure. */
export async function runWorkers(o: RunWorkersOptions): Promise<{ status: 'FINISHED' | 'CANCELED'; counts: WorkerCounts }> {
  const n = o.spec.parallelism;
  const counts: WorkerCounts[] = Array.from({ length: n }, () => ({ recordsIn: 0, recordsOut: 0, lateRecordsDropped: 0, recordsSkipped: 0, watermark: -Infinity }));
  const sum = (): WorkerCounts => ({
    recordsIn: counts.reduce((a, c) => a + c.recordsIn, 0),
    recordsOut: counts.reduce((a, c) => a + c.recordsOut, 0),
    lateRecordsDropped: counts.reduce((a, c) => a + c.lateRecordsDropped, 0),
    recordsSkipped: counts.reduce((a, c) => a + c.recordsSkipped, 0),
    // Per-channel watermarks, min-combined as Flink does.
    watermark: Math.min(...counts.map((c) => c.watermark)),
  });
  const collect = o.onRows !== undefined;
  const workers: Worker[] = [];
  let failure: Error | undefined;
  let opened = 0;
  let canceled = false;
  const cancelAll = () => {
    for (const w of workers) w.postMessage({ t: 'cancel' });
  };
  const onAbort = () => {
    canceled = true;
    cancelAll();
  };
  o.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const ends = Array.from({ length: n }, (_, index) => {
      const data: WorkerData = {
        script: o.spec.script,
        statement: o.spec.statement,
        config: [...o.config],
        jobName: o.jobName,
        jobId: o.jobId,
        index,
        parallelism: n,
        collect: collect || o.spec.twoPhase === true,
        ...(o.spec.twoPhase ? { phase: 'local' as const } : {}),
        ...(o.restore?.[index] !== undefined ? { restore: o.restore[index] } : {}),
      };
      const w = startWorker(o.spec.entry, data);
      workers.push(w);
      return new Promise<void>((resolve) => {
        let done = false;
        w.on('message', (m: WorkerMessage) => {
          switch (m.t) {
            case 'opened':
              if (++opened === n) o.onOpened();
              break;
            case 'rows': {
              if (m.kinds) m.rows.forEach((r, i) => m.kinds![i] !== undefined && ((r as { rowKind?: string }).rowKind = m.kinds![i]));
              o.onRows?.(m.rows, index);
              break;
            }
            case 'wm':
              o.onWatermark?.(index, m.wm);
              break;
            case 'snapshot':
              o.onSnapshot?.(index, m.id, m.state);
              break;
            case 'metrics':
              counts[index] = m.counts;
              o.onCounts(sum());
              break;
            case 'done':
              counts[index] = m.counts;
              o.onCounts(sum());
              o.onWorkerDone?.(index);
              done = true;
              void w.terminate();
              break;
            case 'failed':
              if (!failure) failure = new JobError(m.message);
              done = true;
              cancelAll();
              void w.terminate();
              break;
            case 'log':
              o.log(m.level, m.message);
              break;
          }
        });
        w.on('error', (e) => {
          if (!failure) failure = new JobError(`Job '${o.jobName}' failed in worker ${index + 1} of ${n}: ${e.message}`, { cause: e });
          cancelAll();
        });
        w.on('exit', () => {
          if (!done && !failure && !canceled) failure = new JobError(`Job '${o.jobName}': worker ${index + 1} of ${n} exited before its job ended`);
          if (!done && opened < n) o.onOpened();
          resolve();
        });
      });
    });
    o.onStart?.((m) => {
      for (const w of workers) w.postMessage(m);
    });
    await Promise.all(ends);
  } finally {
    o.signal.removeEventListener('abort', onAbort);
    for (const w of workers) void w.terminate();
  }
  if (failure) throw failure;
  return { status: canceled ? 'CANCELED' : 'FINISHED', counts: sum() };
}
