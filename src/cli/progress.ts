// The live status line of a running job on a TTY, and the summary printed when it ends.
import type { Job } from '../runtime/job.js';
import { formatTimestamp } from '../common/time.js';

function wm(w: number): string {
  return Number.isFinite(w) ? formatTimestamp(w, 3) : w === Infinity ? 'end' : '-';
}

export function statusText(job: Job): string {
  const m = job.metrics;
  const secs = Math.max(0.001, ((m.endTime ?? Date.now()) - m.startTime) / 1000);
  const cp = m.lastCheckpointId !== undefined ? `#${m.lastCheckpointId} ${new Date(m.lastCheckpointTime!).toISOString().slice(11, 19)}` : '-';
  return `${job.status} | in ${m.recordsIn} (${Math.round(m.recordsIn / secs)}/s) | out ${m.recordsOut} | watermark ${wm(m.watermark)} | open windows ${m.openWindows} | late ${m.lateRecordsDropped} | checkpoint ${cp}`;
}

/** Shows a status line on stderr while the job runs (only on a TTY); returns a stop function. */
export function showProgress(job: Job, stream: NodeJS.WriteStream = process.stderr): () => void {
  if (!stream.isTTY) return () => {};
  const draw = () => stream.write(`\r\x1b[2K${statusText(job).slice(0, (stream.columns ?? 120) - 1)}`);
  const timer = setInterval(draw, 250);
  timer.unref();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    stream.write('\r\x1b[2K');
  };
}

export function summaryText(job: Job): string {
  const m = job.metrics;
  const secs = (((m.endTime ?? Date.now()) - m.startTime) / 1000).toFixed(2);
  const parts = [`${m.recordsIn} rows in`, `${m.recordsOut} rows out`, `${m.lateRecordsDropped} late rows dropped`];
  if (m.recordsSkipped) parts.push(`${m.recordsSkipped} malformed records skipped`);
  if (m.checkpoints) parts.push(`${m.checkpoints} checkpoint${m.checkpoints === 1 ? '' : 's'} (last #${m.lastCheckpointId})`);
  return `Job ${job.id} (${job.name}) ${job.status} in ${secs} s: ${parts.join(', ')}`;
}
