// One monitor per job of this process, kept across its restarts: the figures the Prometheus
// reporter and the web dashboard show (records, rates, watermarks, Kafka positions, checkpoint
// history, exceptions). Everything is read from the job's own counters when asked; a one-second
// sample of the counters gives the per-second rates (as Flink's meters do, over the last minute).
import os from 'node:os';
import type { Job } from '../../runtime/job.js';
import type { CheckpointStats, JobException } from '../../runtime/stats.js';
import { pushBounded } from '../../runtime/stats.js';
import { maskSecrets } from '../../common/options.js';

/** Flink reports a watermark as epoch millis, Long.MIN_VALUE before the first one. */
export function watermarkMillis(micros: number): number {
  if (micros === Infinity) return 9223372036854775807;
  if (!Number.isFinite(micros)) return -9223372036854775808;
  return Math.floor(micros / 1000);
}

interface Sample {
  t: number;
  out: number[];
  bytes: number[];
  busy: number;
  idle: number;
  backPressured: number;
}

export interface OperatorView {
  index: number;
  id: string;
  name: string;
  kind: string;
  /** The operators feeding this one. */
  inputs: number[];
  downstream: number;
  numRecordsIn: number;
  numRecordsOut: number;
  numRecordsInPerSecond: number;
  numRecordsOutPerSecond: number;
  numBytesIn: number;
  numBytesInPerSecond: number;
  numLateRecordsDropped: number;
  numRecordsInErrors: number;
  /** Epoch millis (Flink's convention), or null before the first. */
  currentInputWatermark: number | null;
  currentOutputWatermark: number | null;
  /** Kafka partitions (or other splits) this source reads. */
  splits: { split: string; labels: Record<string, string>; currentOffset: number; committedOffset?: number; endOffset?: number; lag?: number }[];
  /** Kinesis shards: milliseconds behind the tip of each shard (labels stream, shardId). */
  millisBehindLatest?: { split: string; labels: Record<string, string>; millis: number }[];
}

export interface JobView {
  id: string;
  name: string;
  status: string;
  startTime: number;
  endTime?: number;
  restarts: number;
  recordsIn: number;
  recordsOut: number;
  watermark: number | null;
  busyTimeMsPerSecond: number;
  idleTimeMsPerSecond: number;
  backPressuredTimeMsPerSecond: number;
  operators: OperatorView[];
  checkpoints: { completed: number; failed: number; history: CheckpointStats[] };
  exceptions: JobException[];
  /** Session configuration, secrets masked. */
  config: Record<string, string>;
  /** Where the job's control token is (the dashboard's stop/savepoint/cancel buttons need it). */
  tokenFile?: string;
}

const WINDOW_MS = 60_000;

export class JobMonitor {
  job: Job;
  restarts = 0;
  readonly exceptions: JobException[] = [];
  /** Checkpoints completed by earlier attempts of this job. */
  private readonly earlier: CheckpointStats[] = [];
  private earlierCompleted = 0;
  private earlierFailed = 0;
  private samples: Sample[] = [];
  /** The control token (checked by the web server) and where it is stored. */
  token?: string;
  tokenFile?: string;
  savepointDir?: string;

  constructor(job: Job) {
    this.job = job;
  }

  get id(): string {
    return this.job.id;
  }

  /** The next attempt after a failure (restart-strategy): counts carry on. */
  attach(job: Job): void {
    if (job === this.job) return;
    this.earlier.push(...this.job.checkpointHistory);
    if (this.earlier.length > 50) this.earlier.splice(0, this.earlier.length - 50);
    this.earlierCompleted += this.job.metrics.checkpoints;
    this.earlierFailed += this.job.failedCheckpoints;
    this.restarts++;
    this.samples = [];
    this.job = job;
  }

  /** A failure of the current attempt (recorded once, whether the job restarts or not). */
  recordFailure(f: JobException | undefined): void {
    if (!f || this.exceptions.includes(f)) return;
    pushBounded(this.exceptions, f, 20);
  }

  sample(now = Date.now()): void {
    const j = this.job;
    const bytes = new Array<number>(j.operatorStats.length).fill(0);
    for (const s of j.sourceMetrics()) bytes[s.operator] = s.metrics.bytesIn;
    this.samples.push({ t: now, out: j.operatorStats.map((o) => o.numRecordsOut), bytes, busy: j.times.busyMs, idle: j.times.idleMs, backPressured: j.times.backPressuredMs });
    while (this.samples.length > 2 && now - this.samples[0].t > WINDOW_MS) this.samples.shift();
  }

  /** Per-second rate of a counter between the oldest sample and now. */
  private rate(pick: (s: Sample) => number, current: number, now: number): number {
    const first = this.samples[0];
    if (!first || now - first.t < 1) return 0;
    return Math.max(0, ((current - pick(first)) * 1000) / (now - first.t));
  }

  view(now = Date.now()): JobView {
    const j = this.job;
    const stats = j.operatorStats;
    const inputs: number[][] = stats.map(() => []);
    for (const o of stats) if (o.downstream >= 0) inputs[o.downstream].push(o.index);
    const src = new Map(j.sourceMetrics().map((s) => [s.operator, s.metrics]));
    const operators: OperatorView[] = stats.map((o) => {
      const ins = inputs[o.index];
      const isSource = o.kind === 'Source';
      const numIn = isSource ? o.numRecordsOut : ins.reduce((n, i) => n + stats[i].numRecordsOut, 0);
      const inWm = isSource || ins.length === 0 ? -Infinity : Math.min(...ins.map((i) => stats[i].outputWatermark));
      const m = src.get(o.index);
      const numBytesIn = m?.bytesIn ?? 0;
      return {
        index: o.index,
        id: o.id,
        name: o.name,
        kind: o.kind,
        inputs: ins,
        downstream: o.downstream,
        numRecordsIn: numIn,
        numRecordsOut: o.numRecordsOut,
        numRecordsInPerSecond: isSource
          ? this.rate((s) => s.out[o.index] ?? 0, o.numRecordsOut, now)
          : ins.reduce((r, i) => r + this.rate((s) => s.out[i] ?? 0, stats[i].numRecordsOut, now), 0),
        numRecordsOutPerSecond: this.rate((s) => s.out[o.index] ?? 0, o.numRecordsOut, now),
        numBytesIn,
        numBytesInPerSecond: this.rate((s) => s.bytes[o.index] ?? 0, numBytesIn, now),
        numLateRecordsDropped: o.numLateRecordsDropped,
        numRecordsInErrors: o.numRecordsInErrors,
        currentInputWatermark: Number.isFinite(inWm) || inWm === Infinity ? watermarkMillis(inWm) : null,
        currentOutputWatermark: Number.isFinite(o.outputWatermark) || o.outputWatermark === Infinity ? watermarkMillis(o.outputWatermark) : null,
        splits: (m?.splits ?? []).map((s) => ({ ...s, lag: s.endOffset === undefined ? undefined : Math.max(0, s.endOffset - s.currentOffset) })),
        ...(m?.millisBehindLatest ? { millisBehindLatest: m.millisBehindLatest } : {}),
      };
    });
    const m = j.metrics;
    const config: Record<string, string> = {};
    for (const [k, v] of j.opts.config) config[k] = v;
    return {
      id: j.id,
      name: j.name,
      status: j.status,
      startTime: m.startTime,
      endTime: m.endTime,
      restarts: this.restarts,
      recordsIn: m.recordsIn,
      recordsOut: m.recordsOut,
      watermark: Number.isFinite(m.watermark) ? watermarkMillis(m.watermark) : null,
      busyTimeMsPerSecond: Math.min(1000, this.rate((s) => s.busy, j.times.busyMs, now)),
      idleTimeMsPerSecond: Math.min(1000, this.rate((s) => s.idle, j.times.idleMs, now)),
      backPressuredTimeMsPerSecond: Math.min(1000, this.rate((s) => s.backPressured, j.times.backPressuredMs, now)),
      operators,
      checkpoints: { completed: this.earlierCompleted + m.checkpoints, failed: this.earlierFailed + j.failedCheckpoints, history: [...this.earlier, ...j.checkpointHistory].slice(-50) },
      exceptions: [...this.exceptions],
      config: maskSecrets(config),
      tokenFile: this.tokenFile,
    };
  }
}

/** The monitors of this process's jobs, by job id. */
export const monitors = new Map<string, JobMonitor>();
let sampler: NodeJS.Timeout | undefined;

/** The monitor of `job` (one per job id: a restarted attempt continues its predecessor's). */
export function monitorJob(job: Job): JobMonitor {
  let m = monitors.get(job.id);
  if (m) m.attach(job);
  else {
    m = new JobMonitor(job);
    monitors.set(job.id, m);
  }
  m.sample();
  if (!sampler) {
    sampler = setInterval(() => {
      const now = Date.now();
      for (const x of monitors.values()) if (x.job.status === 'RUNNING' || x.job.status === 'CREATED') x.sample(now);
    }, 1000);
    sampler.unref();
  }
  return m;
}

export const HOST = os.hostname();
export const TM_ID = `tsstream-${process.pid}`;
