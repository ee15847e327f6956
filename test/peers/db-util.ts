// Shared by the database peers (PostgreSQL, MariaDB): the OS user a server runs as when this
// process is root (both refuse or dislike root), and a temp data dir that user owns.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, statSync } from 'node:fs';
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

/** The first directory from / down to `dir` that `user` may not enter (search permission), or undefined. */
function notEnterable(dir: string, user: RunAs): string | undefined {
  if (user.uid === undefined || user.uid === 0) return undefined;
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const d = path.sep + parts.slice(0, i).join(path.sep);
    const st = statSync(d);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return d;
  }
  return undefined;
}

/** A fresh directory under the OS temp dir, owned by `user` (mode 0700). */
export function tempDirFor(prefix: string, user: RunAs): string {
  // As root the server runs as another user, who must reach its directory: a TMPDIR under a
  // private directory (such as /root) fails later with a bare "Permission denied".
  const blocked = notEnterable(os.tmpdir(), user);
  if (blocked) {
    throw new Error(
      `the temp dir ${os.tmpdir()} (TMPDIR) cannot be reached by user '${user.name}' the server runs as: ${blocked} is not searchable for it; set TMPDIR to a directory it can reach (e.g. /tmp)`,
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!);
  chmodSync(dir, 0o700);
  return dir;
}

/** Runs `cmd args…` to its end (as `user`); rejects with its output when it fails. */
export function runTo(cmd: string, args: string[], opts: { user: RunAs; cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<string> {
  // Root without CAP_SETUID/CAP_SETGID (a user namespace, a sandbox dropping capabilities) cannot
  // start it as another user: spawn throws a bare EPERM.
  const cannotSwitch = (e: NodeJS.ErrnoException) =>
    e.code === 'EPERM' && opts.user.uid !== undefined
      ? new Error(`cannot run ${path.basename(cmd)} as user '${opts.user.name}' (uid ${opts.user.uid}): this root process may not switch users (${e.message})`)
      : e;
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(cmd, args, {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(opts.user.uid !== undefined ? { uid: opts.user.uid, gid: opts.user.gid } : {}),
      });
    } catch (e) {
      reject(cannotSwitch(e as NodeJS.ErrnoException));
      return;
    }
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(cannotSwitch(e));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(cmd)} failed (${signal ?? `exit ${code}`}):\n${out.slice(-3000)}`));
    });
  });
}
