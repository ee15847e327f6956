// What a running job counts about itself for monitoring: per operator records and watermarks,
// where the task spends its time, and the history of checkpoints and failures. Plain numbers,
// bumped once per batch (never per row); metrics reporters and the dashboard read them.

/** One operator of the plan as it runs (sources and sinks included). */
export interface OperatorStats {
  /** Index in Job.operatorStats (build order: a parent before its inputs). */
  index: number;
  /** Stable within the plan: a hash of the job's plan position (Flink's operator id is 32 hex digits). */
  id: string;
  /** As Flink names them: "Source: db.orders", "WindowAggregate", "Sink: db.counts". */
  name: string;
  kind: string;
  /** The operator this one feeds (its parent in the plan), or -1 for a root. */
  downstream: number;
  numRecordsOut: number;
  /** Micros, −∞ before the first. */
  outputWatermark: number;
  /** Rows behind the watermark that a window or aggregate dropped. */
  numLateRecordsDropped: number;
  /** Malformed records a source skipped (format ignore-parse-errors). */
  numRecordsInErrors: number;
}

/** Where the job loop spends its time, in milliseconds since the start (Flink's busy / idle / back-pressured time). */
export interface TaskTimes {
  /** Processing rows through the operators and taking checkpoints. */
  busyMs: number;
  /** Waiting for the sources to deliver. */
  idleMs: number;
  /** Waiting for sinks to take what was produced. */
  backPressuredMs: number;
}

export interface CheckpointCommit {
  /** The sink table (catalog.db.table). */
  sink: string;
  /** What the sink writes to, e.g. "Iceberg table demo.orders (uuid …)". */
  target: string;
  /** What became visible, e.g. "snapshot 123: 2 data files, 40 rows". */
  detail: string;
}

export interface CheckpointStats {
  id: number;
  savepoint: boolean;
  /** Wall-clock millis when it was triggered. */
  triggerTime: number;
  durationMs: number;
  /** Bytes of the checkpoint's metadata file (operator state and positions). */
  sizeBytes: number;
  /** Where it was written (absent: kept in memory). */
  location?: string;
  commits: CheckpointCommit[];
  /** The longest the pipeline was held by this checkpoint, ms: its synchronous part or its longest background slice. */
  pauseMs?: number;
  /** Its synchronous part (snapshots, sink pre-commit), ms. */
  syncMs?: number;
  /** Slices its state was written in, between batches. */
  slices?: number;
  /** The process's CPU time in that longest hold, ms: on a loaded machine, the wall-clock pause also holds time spent waiting for a core. */
  pauseCpuMs?: number;
  /** An incremental checkpoint: the id of the checkpoint its deltas apply to. */
  previous?: number;
}

export interface JobException {
  time: number;
  message: string;
  /** The causes below it, outermost first. */
  causes: string[];
}

/** The messages of an error and its causes (without stack traces). */
export function describeException(e: unknown, time = Date.now()): JobException {
  const text = (x: unknown) => (x instanceof Error ? `${x.name === 'Error' ? '' : `${x.name}: `}${x.message}` : String(x));
  const causes: string[] = [];
  const seen = new Set<unknown>([e]);
  let c = e instanceof Error ? e.cause : undefined;
  while (c !== undefined && c !== null && !seen.has(c) && causes.length < 8) {
    seen.add(c);
    causes.push(text(c));
    c = c instanceof Error ? c.cause : undefined;
  }
  return { time, message: text(e), causes };
}

/** Keeps the newest `max` entries. */
export function pushBounded<T>(list: T[], item: T, max = 50): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
