// The live status line of a running job on a TTY, and the summary printed when it ends.
import { readFileSync } from 'node:fs';
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

/**
 * Whether this process may draw on its terminal: stdout and stderr are terminals and the
 * process's group is the terminal's foreground group (not `tsstream run job.sql &` in a shell
 * with job control). Linux says so in /proc/self/stat (pgrp and tpgid); elsewhere, TTYs suffice.
 */
export function inForeground(): boolean {
  if (!process.stdout.isTTY || !process.stderr.isTTY) return false;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // pid (comm) state ppid pgrp session tty_nr tpgid …: comm may hold spaces, so split after ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[2]) === Number(f[5]);
  } catch {
    return true;
  }
}

/**
 * The one status line at the bottom of the terminal (on stderr), for every job running in this
 * process. Everything else this process prints goes through `clear()` first, so that a log line
 * or a result row never lands in the middle of it; the line comes back at the next tick.
 */
class StatusLine {
  private readonly jobs = new Set<Job>();
  private timer?: NodeJS.Timeout;
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  add(job: Job): () => void {
    this.jobs.add(job);
    if (!this.timer) {
      this.timer = setInterval(() => this.draw(), 250);
      this.timer.unref();
    }
    return () => {
      this.jobs.delete(job);
      this.clear();
      if (!this.jobs.size && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  private draw(): void {
    if (!this.jobs.size || !inForeground()) {
      this.clear();
      return;
    }
    const text = [...this.jobs].map(statusText).join(' · ');
    this.stream.write(`\r\x1b[2K${text.slice(0, (this.stream.columns ?? 120) - 1)}`);
    this.shown = true;
  }

  /** Erases the line (if drawn), so that the next output starts on a clean line. */
  clear(): void {
    if (!this.shown) return;
    this.shown = false;
    this.stream.write('\r\x1b[2K');
  }
}

const statusLine = new StatusLine();

/** Clears the status line before other output; call before writing to stdout or stderr. */
export function clearStatusLine(): void {
  statusLine.clear();
}

/** Shows the job in the status line while it runs (only in a terminal, in the foreground); returns a stop function. */
export function showProgress(job: Job): () => void {
  let stopped = false;
  const remove = statusLine.add(job);
  return () => {
    if (stopped) return;
    stopped = true;
    remove();
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
