// Shared by the database peers (PostgreSQL, MariaDB): the OS user a server runs as when this
// process is root (both refuse or dislike root), and a temp data dir that user owns.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RunAs {
  uid?: number;
  gid?: number;
  /** The user name ('' when we are not root and run as ourselves). */
  name: string;
}

/** Who runs the server: ourselves, or (as root) the first of `candidates` that exists, else nobody. */
export function serverUser(candidates: string[]): RunAs {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { name: os.userInfo().username };
  for (const name of [...candidates, 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { stdio: 'pipe' }).toString().trim());
      const gid = Number(execFileSync('id', ['-g', name], { stdio: 'pipe' }).toString().trim());
      if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid, name };
    } catch {
      // next candidate
    }
  }
  throw new Error(`no user to run the server as (tried ${candidates.join(', ')}, nobody)`);
}

/** A fresh directory under the OS temp dir, owned by `user` (mode 0700). */
export function tempDirFor(prefix: string, user: RunAs): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!);
  chmodSync(dir, 0o700);
  return dir;
}

/** Runs `cmd args…` to its end (as `user`); rejects with its output when it fails. */
export function runTo(cmd: string, args: string[], opts: { user: RunAs; cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.user.uid !== undefined ? { uid: opts.user.uid, gid: opts.user.gid } : {}),
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(cmd)} failed (${signal ?? `exit ${code}`}):\n${out.slice(-3000)}`));
    });
  });
}
