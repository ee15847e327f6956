// Runs one job as N worker threads (parallelism N) and merges what they report: each worker plans
// the same SQL (the session's DDL replayed, then the job's statement) and runs it as a Job with
// its subtask index, so its sources read only their share of the splits (RuntimeContext.subtask).
// The workers come from the process's pool (pool.ts) and go back to it when the job ends; the job
// talks to each over its own MessageChannel. Rows of a Collect root come back here; metrics are
// summed; the first failure cancels the rest.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Row } from '../../common/types.js';
import type { ColumnBatch } from '../../common/columns.js';
import { toRows } from '../columnar/batch.js';
import { JobError } from '../../common/errors.js';
import { InThreadWorker, workerPool, type WorkerSlot } from './pool.js';

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
  /** Two phases over one file read in chunks (RuntimeContext.subtask.chunks), merged in file order. */
  chunks?: boolean;
  /** The workers run the whole plan, linked by the key-group hash exchange (exchange.ts) in front of its keyed operators. */
  keyed?: boolean;
  /** A keyed run whose one sink runs in the coordinator: the workers send it the rows of the sink's input. */
  sinkInCoordinator?: boolean;
}

/** What the coordinator hands each worker with its job ({ t: 'run', data, port }). */
export interface WorkerData {
  script: string[];
  statement: string;
  config: [string, string][];
  jobName: string;
  jobId: string;
  index: number;
  parallelism: number;
  collect: boolean;
  /** 'local': run the plan up to the window aggregation's local phase and send its partial rows and watermarks; 'sink': run it up to its sink's input and send the rows. */
  phase?: 'local' | 'sink';
  /** A two-phase local phase: a file may be read in chunks (RuntimeContext.subtask.chunks). */
  chunks?: boolean;
  /** With chunks: the number of chunks the workers have taken, shared by them (RuntimeContext.subtask.chunkClaims). */
  chunkClaims?: Int32Array;
  /** The worker's state to resume from (a WorkerState's JSON text from the coordinator's checkpoint). */
  restore?: string;
  /** A keyed run resumed at another parallelism: the old workers' states (WorkerState JSON texts), each worker taking its key groups. */
  rescale?: string[];
  /** A keyed run: the ports to the other workers (index j: to worker j; none for itself), for the exchange. */
  peers?: (MessagePort | undefined)[];
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
  /** chunked: its source reads a file in chunks (all the workers do then). */
  | { t: 'opened'; chunked?: boolean }
  /** The end of chunk k of a file read in chunks: the rows sent since the last one were its partials; wm: its watermark. */
  | { t: 'chunk'; k: number; wm: number }
  /** Rows as columns (columns.ts); kinds: the row kinds where not INSERT. */
  | { t: 'rows'; cols: ColumnBatch; kinds?: (string | undefined)[] }
  | { t: 'metrics'; counts: WorkerCounts }
  | { t: 'wm'; wm: number }
  /** The worker's sources have no split (idle), or have one again. */
  | { t: 'idle'; idle: boolean }
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
  /** A worker's sources have no split (idle: left out of the minimum watermark), or have one again. */
  onIdle?: (index: number, idle: boolean) => void;
  /** A worker's source reads a file in chunks (two-phase runs; told before its rows). */
  onChunked?: (index: number) => void;
  /** The end of chunk k (two-phase runs over a file read in chunks). */
  onChunk?: (index: number, k: number, wm: number) => void;
  /** A worker's state at a barrier (two-phase runs). */
  onSnapshot?: (index: number, id: number, state: string) => void;
  /** A worker's job ended. */
  onWorkerDone?: (index: number) => void;
  /** Per worker, the state it resumes from. */
  restore?: string[];
  /** A keyed run resumed at another parallelism: the states of all the workers that took the checkpoint (each worker takes its key groups). */
  rescale?: string[];
  /** Called once the workers are started, with a way to send them all a message ({ t: 'barrier', id }). */
  onStart?: (broadcast: (m: { t: 'barrier'; id: number }) => void) => void;
  onOpened: () => void;
  /** Called with the summed counts whenever a worker reports. */
  onCounts: (sum: WorkerCounts) => void;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
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
  const ports: MessagePort[] = [];
  let workers: WorkerSlot[] = [];
  let failure: Error | undefined;
  let opened = 0;
  let canceled = false;
  const cancelAll = () => {
    for (const p of ports) p.postMessage({ t: 'cancel' });
  };
  const onAbort = () => {
    canceled = true;
    cancelAll();
  };
  o.signal.addEventListener('abort', onAbort, { once: true });
  try {
    // A file read in chunks: the first subtask runs in this thread, which otherwise only merges the
    // chunks' partials (small); the workers take the chunks as they go (chunkClaims), so this one
    // starts reading at once while the others start.
    const here = o.spec.twoPhase && o.spec.chunks && !o.spec.keyed ? InThreadWorker.create() : undefined;
    workers = here ? [here, ...workerPool.acquire(o.spec.entry, n - 1)] : workerPool.acquire(o.spec.entry, n);
    // A keyed run: a channel between every two workers, for the exchange.
    const peers: (MessagePort | undefined)[][] = Array.from({ length: n }, () => new Array<MessagePort | undefined>(n).fill(undefined));
    if (o.spec.keyed) {
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const { port1, port2 } = new MessageChannel();
          peers[i][j] = port1;
          peers[j][i] = port2;
        }
      }
    }
    // A file read in chunks: each worker takes the next chunk when it needs one (a worker the machine slows takes fewer).
    const chunkClaims = o.spec.twoPhase && o.spec.chunks ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
    const ends = workers.map((w, index) => {
      const data: WorkerData = {
        script: o.spec.script,
        statement: o.spec.statement,
        config: [...o.config],
        jobName: o.jobName,
        jobId: o.jobId,
        index,
        parallelism: n,
        collect: collect || o.spec.twoPhase === true || o.spec.sinkInCoordinator === true,
        ...(o.spec.twoPhase ? { phase: 'local' as const } : o.spec.sinkInCoordinator ? { phase: 'sink' as const } : {}),
        ...(chunkClaims ? { chunks: true, chunkClaims } : {}),
        ...(o.spec.keyed ? { peers: peers[index] } : {}),
        ...(o.restore?.[index] !== undefined ? { restore: o.restore[index] } : {}),
        ...(o.rescale ? { rescale: o.rescale } : {}),
      };
      const { port1: port, port2 } = new MessageChannel();
      ports.push(port);
      return new Promise<void>((resolve) => {
        let done = false;
        const end = (reuse: boolean) => {
          if (done) return;
          done = true;
          port.close();
          if (reuse) w.release();
          else void w.terminate();
          resolve();
        };
        port.on('message', (m: WorkerMessage) => {
          switch (m.t) {
            case 'opened':
              if (m.chunked) o.onChunked?.(index);
              if (++opened === n) o.onOpened();
              break;
            case 'chunk':
              o.onChunk?.(index, m.k, m.wm);
              break;
            case 'rows': {
              const rows = toRows(m.cols);
              if (m.kinds) rows.forEach((r, i) => m.kinds![i] !== undefined && ((r as { rowKind?: string }).rowKind = m.kinds![i]));
              o.onRows?.(rows, index);
              break;
            }
            case 'wm':
              o.onWatermark?.(index, m.wm);
              break;
            case 'idle':
              o.onIdle?.(index, m.idle);
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
              end(true);
              break;
            case 'failed':
              if (!failure) failure = new JobError(m.message);
              cancelAll();
              end(false);
              break;
            case 'log':
              o.log(m.level, m.message);
              break;
          }
        });
        w.run(
          data,
          port2,
          {
            onExit: (e) => {
              if (!done && !failure && !canceled) {
                failure = e
                  ? new JobError(`Job '${o.jobName}' failed in worker ${index + 1} of ${n}: ${e.message}`, { cause: e })
                  : new JobError(`Job '${o.jobName}': worker ${index + 1} of ${n} exited before its job ended`);
              }
              if (!done && opened < n) o.onOpened();
              if (!done) cancelAll();
              end(false);
            },
          },
          peers[index].filter((p): p is MessagePort => p !== undefined),
        );
      });
    });
    o.onStart?.((m) => {
      for (const p of ports) p.postMessage(m);
    });
    await Promise.all(ends);
  } finally {
    o.signal.removeEventListener('abort', onAbort);
    for (const p of ports) p.close();
  }
  if (failure) throw failure;
  return { status: canceled ? 'CANCELED' : 'FINISHED', counts: sum() };
}
