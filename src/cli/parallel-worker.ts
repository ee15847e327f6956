// A pooled worker thread of jobs run at parallelism > 1 (src/runtime/parallel/pool.ts,
// coordinator.ts). For each job it is handed ({ t: 'run', data, port }) it replays the session's
// DDL, plans the job's statement, and runs it as subtask `index` of `parallelism`: its sources
// read their share of the splits. Reports to the coordinator on the job's port; then waits for
// the next job (the modules stay loaded).
import { withUserFunctions } from '../functions/registry.js';
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { Row } from '../common/types.js';
import { parseStatements } from '../parser/index.js';
import { Job, type WorkerState } from '../runtime/job.js';
import { parseState, type CheckpointData } from '../runtime/checkpoint-store.js';
import type { WorkerCounts, WorkerData, WorkerMessage } from '../runtime/parallel/coordinator.js';
import { twoPhaseWindowAggregate } from '../runtime/parallel/plan.js';
import type { PhysicalNode } from '../planner/physical.js';
import { Session } from './session.js';
import { toColumns } from '../runtime/parallel/columns.js';

// In a worker thread; in the job's own thread (InThreadWorker) runJob is called directly.
parentPort?.on('message', (m: { t: string; data?: WorkerData; port?: MessagePort }) => {
  if (m.t === 'run') void runJob(m.data!, m.port!);
});

const counts = (j: Job): WorkerCounts => ({
  recordsIn: j.metrics.recordsIn,
  recordsOut: j.metrics.recordsOut,
  lateRecordsDropped: j.metrics.lateRecordsDropped,
  recordsSkipped: j.metrics.recordsSkipped,
  watermark: j.metrics.watermark,
});

/** The checkpoint a worker resumes from, built from its state in the coordinator's checkpoint. */
function workerRestore(data: WorkerData, text: string): CheckpointData {
  const w = parseState(text) as WorkerState;
  return {
    version: 1,
    jobId: data.jobId,
    jobName: data.jobName,
    checkpointId: w.checkpointId,
    planFingerprint: w.planFingerprint,
    timestamp: 0,
    savepoint: false,
    sources: w.sources,
    operators: w.operators,
    sinks: [],
    ...(w.identities ? { identities: w.identities } : {}),
  };
}

/** Runs one job, reporting on `port`; closes the port when the job ended. */
export async function runJob(data: WorkerData, port: MessagePort): Promise<void> {
  const post = (m: WorkerMessage) => port.postMessage(m);
  const log = (level: 'info' | 'warn' | 'error', message: string) => post({ t: 'log', level, message: `[subtask ${data.index + 1}/${data.parallelism}] ${message}` });
  let job: Job | undefined;
  let session: Session | undefined;
  let end: WorkerMessage | undefined;
  let canceled = false;
  const barriers: number[] = [];
  port.on('message', (m: { t: string; id?: number }) => {
    if (m.t === 'barrier') {
      if (job) job.requestBarrier(m.id!);
      else barriers.push(m.id!);
      return;
    }
    if (m.t !== 'cancel') return;
    canceled = true;
    job?.cancel();
  });
  try {
    const config = new Map(data.config);
    // A two-phase or keyed worker takes no checkpoints of its own: the coordinator's barriers ask for its state.
    const coordinated = data.phase === 'local' || data.peers !== undefined;
    // The state at the end goes to the coordinator only when it takes checkpoints (its final one holds it).
    const finalState = coordinated && ['execution.checkpointing.interval', 'execution.checkpointing.dir', 'state.checkpoints.dir'].some((k) => config.has(k));
    if (coordinated) for (const k of ['execution.checkpointing.interval', 'execution.checkpointing.dir', 'state.checkpoints.dir', 'execution.savepoint.path']) config.delete(k);
    session = new Session({ config: Object.fromEntries(config), log });
    for (const text of data.script) await session.executeAll(text);
    const st = parseStatements(data.statement)[0];
    if (!st || (st.kind !== 'insert' && st.kind !== 'queryStatement' && st.kind !== 'statementSet')) throw new Error(`not a job statement: ${data.statement.slice(0, 40)}`);
    let { physical } = await session.plan(st);
    if (data.phase === 'local') {
      // Two phases: this worker runs the plan up to the window aggregation's local phase.
      const agg = twoPhaseWindowAggregate(physical).node;
      if (!agg) throw new Error('the plan has no window aggregation to run in two phases');
      physical = [{ kind: 'Collect', input: agg, fields: agg.fields } as PhysicalNode];
    } else if (data.phase === 'sink') {
      // The sink runs in the coordinator: this worker sends it the rows of the sink's input.
      const sink = physical[0];
      if (physical.length !== 1 || sink.kind !== 'Sink') throw new Error('the plan has no single sink to run in the coordinator');
      physical = [{ kind: 'Collect', input: sink.input, fields: sink.input.fields }];
    }
    const onRows = data.collect
      ? (rows: Row[]) => {
          let kinds: (string | undefined)[] | undefined;
          for (let i = 0; i < rows.length; i++) {
            const k = (rows[i] as { rowKind?: string }).rowKind;
            if (k !== undefined) (kinds ??= new Array(rows.length))[i] = k;
          }
          if (rows.length === 0) return;
          post({ t: 'rows', cols: toColumns(rows, rows[0].length), kinds });
        }
      : undefined;
    job = withUserFunctions(session.functions, () => new Job(physical, {
      jobName: data.jobName,
      jobId: data.jobId,
      config,
      log,
      onRows,
      // Keyed operators and a window aggregation's late rows depend on the order of each key's rows: each split is read by one worker, in order.
      subtask: { index: data.index, parallelism: data.parallelism, ...(coordinated ? { wholeSplits: true } : {}), ...(data.chunks ? { chunks: true } : {}), ...(data.chunkClaims ? { chunkClaims: data.chunkClaims } : {}) },
      ...(data.chunks ? { onChunk: (k: number, wm: number) => post({ t: 'chunk', k, wm }) } : {}),
      ...(data.phase === 'local' ? { windowPhase: 'local' as const, onWatermark: (wm: number) => post({ t: 'wm', wm }), onIdle: (idle: boolean) => post({ t: 'idle', idle }) } : {}),
      ...(data.peers ? { exchange: { index: data.index, parallelism: data.parallelism, peers: data.peers } } : {}),
      ...(coordinated
        ? {
            onBarrier: (id: number, state: string) => post({ t: 'snapshot', id, state }),
            ...(data.restore !== undefined ? { restore: workerRestore(data, data.restore) } : {}),
            ...(data.rescale?.length ? { restore: workerRestore(data, data.rescale[0]), rescaleFrom: data.rescale.map((t) => parseState(t) as WorkerState) } : {}),
          }
        : {}),
    }));
    for (const id of barriers.splice(0)) job.requestBarrier(id);
    const j = job;
    void j.opened.then(() => post({ t: 'opened', ...(j.chunked ? { chunked: true } : {}) }));
    const timer = setInterval(() => post({ t: 'metrics', counts: counts(j) }), 500);
    try {
      if (canceled) j.cancel();
      const r = await j.run();
      if (finalState && r.status === 'FINISHED') {
        // The state at the end, for the coordinator's final checkpoint (a restart resumes after the end).
        try {
          post({ t: 'snapshot', id: -1, state: j.workerState(-1) });
        } catch (e) {
          log('warn', `no final state: ${(e as Error)?.message ?? e}`);
        }
      }
      end = { t: 'done', status: r.status, counts: counts(j) };
    } finally {
      clearInterval(timer);
    }
  } catch (e) {
    end = { t: 'failed', message: (e as Error)?.message ?? String(e) };
  }
  try {
    await session?.close();
  } catch (e) {
    log('warn', `closing the worker's session: ${(e as Error)?.message ?? e}`);
  }
  // Last: once the coordinator has this, the worker may be handed the next job.
  post(end ?? { t: 'failed', message: 'the worker ended the job without a result' });
  port.close();
  for (const p of data.peers ?? []) p?.close();
}
