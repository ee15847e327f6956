// The job registry: one record per job under $TSSTREAM_HOME/jobs (default ~/.tsstream), and a
// per-job token readable only by its owner that authorizes control requests to the job's
// endpoint on 127.0.0.1 (like `flink list` / `flink cancel` talking to the JobManager).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Job } from '../../runtime/job.js';

export function tsstreamHome(): string {
  return process.env.TSSTREAM_HOME ?? path.join(os.homedir(), '.tsstream');
}

export interface JobRecord {
  id: string;
  name: string;
  pid: number;
  status: string;
  startTime: number;
  endTime?: number;
  /** Port of the process's web server (dashboard and control endpoint). */
  port: number;
  /** Host of the control endpoint (absent: 127.0.0.1). */
  controlHost?: string;
  /** URL of the job's dashboard page. */
  dashboard?: string;
  /** Restarts after failures so far. */
  restarts?: number;
  recordsIn: number;
  recordsOut: number;
  watermark: number | null;
  lastCheckpointId?: number;
  lastCheckpointTime?: number;
  /** `state.savepoints.dir` of the job's session, the default for savepoints. */
  savepointDir?: string;
  /** Why the job failed (its error message), for SHOW JOBS and `tsstream jobs list`. */
  failure?: string;
  /** Where the job's output goes (a job submitted from the shell: its log file). */
  logFile?: string;
  updated: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class JobRegistry {
  readonly dir: string;
  constructor(home = tsstreamHome()) {
    this.dir = path.join(home, 'jobs');
  }

  private file(id: string, ext: string): string {
    return path.join(this.dir, `${id}.${ext}`);
  }

  /** Creates the job's token (mode 0600) and returns it. */
  async createToken(id: string): Promise<string> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const token = randomBytes(24).toString('hex');
    await fs.writeFile(this.file(id, 'token'), token, { mode: 0o600 });
    return token;
  }

  async readToken(id: string): Promise<string> {
    return (await fs.readFile(this.file(id, 'token'), 'utf8')).trim();
  }

  async write(rec: JobRecord): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file(rec.id, 'json')}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(rec, null, 2), { mode: 0o600 });
    await fs.rename(tmp, this.file(rec.id, 'json'));
  }

  tokenFile(id: string): string {
    return this.file(id, 'token');
  }

  static record(job: Job, port: number, savepointDir?: string, extra: Pick<JobRecord, 'failure' | 'logFile' | 'controlHost' | 'dashboard' | 'restarts'> = {}): JobRecord {
    const m = job.metrics;
    return {
      ...extra,
      id: job.id,
      name: job.name,
      pid: process.pid,
      status: job.status,
      startTime: m.startTime,
      endTime: m.endTime,
      port,
      recordsIn: m.recordsIn,
      recordsOut: m.recordsOut,
      watermark: Number.isFinite(m.watermark) ? m.watermark : null,
      lastCheckpointId: m.lastCheckpointId,
      lastCheckpointTime: m.lastCheckpointTime,
      savepointDir,
      failure: extra.failure,
      logFile: extra.logFile,
      updated: Date.now(),
    };
  }

  /** Every record; a RUNNING job whose process is gone is reported as such. */
  async list(): Promise<JobRecord[]> {
    let names: string[] = [];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const out: JobRecord[] = [];
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      try {
        const rec = JSON.parse(await fs.readFile(path.join(this.dir, n), 'utf8')) as JobRecord;
        if ((rec.status === 'RUNNING' || rec.status === 'CREATED') && !alive(rec.pid)) {
          rec.status = 'FAILED';
          rec.failure ??= `process died (pid ${rec.pid}) without recording why: killed?`;
        }
        out.push(rec);
      } catch {
        // a record being replaced
      }
    }
    return out.sort((a, b) => a.startTime - b.startTime);
  }

  /** A job by id or unique id prefix. */
  async find(idOrPrefix: string): Promise<JobRecord> {
    const all = await this.list();
    const exact = all.find((r) => r.id === idOrPrefix);
    if (exact) return exact;
    const m = all.filter((r) => r.id.startsWith(idOrPrefix));
    if (m.length === 1) return m[0];
    if (m.length > 1) throw new Error(`Job id prefix '${idOrPrefix}' is ambiguous: ${m.map((r) => r.id).join(', ')}`);
    throw new Error(`No job '${idOrPrefix}' in ${this.dir} (tsstream jobs list shows the known jobs)`);
  }
}

/** A failure for a one-line table cell: its first line, and where the whole story is. */
export function failureText(failure: string, logFile?: string): string {
  const first = failure.split('\n')[0];
  return logFile ? `${first} (log: ${logFile})` : first;
}
