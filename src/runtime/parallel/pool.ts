// The worker threads of parallel jobs, started once per process and kept (as Flink's TaskManager
// slots outlive a job): the first job at parallelism N starts N workers; when a job ends, its
// workers go back to the pool for the next one (loading the engine's modules, ~0.6–1 CPU-s per
// worker, is paid once). An idle worker does not keep the process alive (unref) and ends after
// IDLE_MS without a job. Each job talks to its workers over its own MessageChannel, so nothing a
// worker sends for one job can reach the next.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type MessagePort } from 'node:worker_threads';
import { JobError } from '../../common/errors.js';

/** An idle worker is ended after this long without a job. */
const IDLE_MS = 5 * 60_000;

/** What the job a worker runs hears of the worker thread itself. */
export interface WorkerLease {
  /** The worker thread died (an uncaught error in it, or terminated). */
  onExit: (error?: Error) => void;
}

/** What a job does with one of its subtasks' threads (a pooled worker thread, or the job's own thread: InThreadWorker). */
export interface WorkerSlot {
  run(data: unknown, port: MessagePort, lease: WorkerLease, transfer?: MessagePort[]): void;
  release(): void;
  terminate(): Promise<number>;
}

/**
 * Runs a subtask's job in this thread (the worker module's runJob, registered by the layer that
 * has it: src/cli/session.ts); the job reports on `port` as a worker thread's would.
 */
export type InThreadRunner = (data: unknown, port: MessagePort) => void;
let inThreadRunner: InThreadRunner | undefined;

/** Registers the way to run a subtask in the job's own thread (InThreadWorker). */
export function setInThreadRunner(r: InThreadRunner): void {
  inThreadRunner = r;
}

/**
 * A subtask run in the job's own thread (the coordinator's): no thread to start, no second copy
 * of the engine to load and compile. Used for the first subtask of a two-phase job over a file
 * read in chunks, where the coordinator's thread otherwise waits (coordinator.ts). Undefined when
 * no runner is registered.
 */
export class InThreadWorker implements WorkerSlot {
  private constructor(private readonly runner: InThreadRunner) {}

  static create(): InThreadWorker | undefined {
    return inThreadRunner ? new InThreadWorker(inThreadRunner) : undefined;
  }

  run(data: unknown, port: MessagePort): void {
    // Started from the event loop, as a worker thread's job is: never inside the caller's stack.
    setImmediate(() => this.runner(data, port));
  }

  release(): void {}

  /** A job in this thread cannot be ended from outside: the coordinator cancels it (its port's { t: 'cancel' }). */
  terminate(): Promise<number> {
    return Promise.resolve(0);
  }
}

/** A pooled worker thread. */
export class PooledWorker implements WorkerSlot {
  private readonly worker: Worker;
  private lease?: WorkerLease;
  private idleTimer?: NodeJS.Timeout;
  private error?: Error;
  dead = false;

  constructor(
    private readonly pool: WorkerPool,
    readonly entry: string,
  ) {
    this.worker = startWorker(entry);
    this.worker.on('error', (e) => (this.error = e));
    this.worker.on('exit', () => {
      this.dead = true;
      this.pool.forget(this);
      const l = this.lease;
      this.lease = undefined;
      l?.onExit(this.error);
    });
  }

  /** Hands the worker a job: `port` is the job's end of its channel; it and `transfer` (ports in `data`) are transferred to the worker. */
  run(data: unknown, port: MessagePort, lease: WorkerLease, transfer: MessagePort[] = []): void {
    clearTimeout(this.idleTimer);
    this.lease = lease;
    this.worker.ref();
    this.worker.postMessage({ t: 'run', data, port }, [port, ...transfer]);
  }

  /** The job is over and the worker is fine: back to the pool. */
  release(): void {
    this.lease = undefined;
    if (this.dead) return;
    this.worker.unref();
    this.idleTimer = setTimeout(() => void this.terminate(), IDLE_MS);
    this.idleTimer.unref();
    this.pool.idle(this);
  }

  /** Ends the worker thread (a failed or stuck job: the worker is not reused). */
  terminate(): Promise<number> {
    clearTimeout(this.idleTimer);
    this.lease = undefined;
    this.pool.forget(this);
    return this.worker.terminate();
  }
}

export class WorkerPool {
  private readonly free = new Map<string, PooledWorker[]>();
  /** Worker threads started so far. */
  started = 0;

  /** `n` workers for `entry`: idle ones first, new ones for the rest. */
  acquire(entry: URL, n: number): PooledWorker[] {
    const key = entry.href;
    const free = this.free.get(key) ?? [];
    const out = free.splice(0, n);
    while (out.length < n) {
      out.push(new PooledWorker(this, key));
      this.started++;
    }
    return out;
  }

  idle(w: PooledWorker): void {
    const list = this.free.get(w.entry) ?? [];
    if (!list.includes(w)) list.push(w);
    this.free.set(w.entry, list);
  }

  forget(w: PooledWorker): void {
    const list = this.free.get(w.entry);
    const i = list ? list.indexOf(w) : -1;
    if (i >= 0) list!.splice(i, 1);
  }

  /** Idle workers now in the pool (tests). */
  get size(): number {
    let n = 0;
    for (const l of this.free.values()) n += l.length;
    return n;
  }

  /** Ends every idle worker. */
  async close(): Promise<void> {
    const all = [...this.free.values()].flat();
    this.free.clear();
    await Promise.all(all.map((w) => w.terminate()));
  }
}

/** The process's pool of parallel-job workers. */
export const workerPool = new WorkerPool();

/**
 * A worker's young generation (MB): V8's semi-spaces of 32 MB (the young generation is 3 semi-spaces).
 * With the default 16 MB, the rows in flight and the young state of a stateful job (join rows,
 * window accumulators) survive scavenge after scavenge and are copied each time: Nexmark q4/q5/q7
 * spent 60–70% of their CPU in the scavenger; with 32 MB, 2–3× less CPU over all. The CLI's
 * launcher gives the main thread the same (bin/tsstream.js).
 */
const YOUNG_GENERATION_MB = 3 * 32;

/** Starts the worker for `entry`: a compiled .js runs as is; a .ts (tests, `tsx`) goes through tsx's loader. */
function startWorker(entry: string): Worker {
  const url = new URL(entry);
  const path = fileURLToPath(url);
  const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
  if (existsSync(path)) return new Worker(url, { resourceLimits });
  const ts = path.replace(/\.js$/, '.ts');
  if (!existsSync(ts)) throw new JobError(`The parallel worker module is missing (${path})`);
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(ts).href)}); })`;
  return new Worker(code, { eval: true, resourceLimits });
}
