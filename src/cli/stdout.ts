// Standard output that may close under us (`tsstream run job.sql | head -1`): an EPIPE is not an
// error of the user's job; the CLI stops printing, cancels what only existed to print (a
// SELECT), and exits normally.

import { clearStatusLine } from './progress.js';

let closed = false;
const listeners = new Set<() => void>();

/** Installs the EPIPE handler on process.stdout (once). */
export function watchStdout(stream: NodeJS.WriteStream = process.stdout): void {
  if ((stream as { __tsstreamWatched?: boolean }).__tsstreamWatched) return;
  (stream as { __tsstreamWatched?: boolean }).__tsstreamWatched = true;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (closed) return;
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    closed = true;
    for (const l of listeners) l();
  });
}

export function stdoutClosed(): boolean {
  return closed;
}

/** Calls `f` when stdout's reader goes away; returns the unsubscribe function. */
export function onStdoutClosed(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** Writes to stdout unless its reader is gone. */
export function out(s: string): void {
  clearStatusLine();
  if (!closed) process.stdout.write(s);
}

/** Writes to stderr, clearing the status line first. */
export function err(s: string): void {
  clearStatusLine();
  process.stderr.write(s);
}
