// Durable checkpoints: one JSON file per checkpoint under <dir>/<job name>/chk-<id>/_metadata,
// written to a temporary name and renamed, so a checkpoint exists completely or not at all.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface CheckpointData {
  version: 1;
  jobId: string;
  jobName: string;
  checkpointId: number;
  /** Fingerprint of the plan's stateful shape: a savepoint of another shape is refused. */
  planFingerprint: string;
  timestamp: number;
  savepoint: boolean;
  sources: unknown[];
  operators: unknown[];
  /** Per sink: prepared but maybe not yet committed data. */
  sinks: { committables: unknown[]; state?: unknown }[];
}

export class CheckpointStore {
  constructor(readonly dir: string) {}

  private chkDir(id: number): string {
    return path.join(this.dir, `chk-${id}`);
  }

  async write(data: CheckpointData): Promise<string> {
    const d = this.chkDir(data.checkpointId);
    await fs.mkdir(d, { recursive: true });
    const file = path.join(d, '_metadata');
    const tmp = `${file}.${process.pid}.tmp`;
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify(data));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
    return d;
  }

  /** Completed checkpoint ids, ascending. */
  async list(): Promise<number[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const ids: number[] = [];
    for (const n of names) {
      const m = /^chk-(\d+)$/.exec(n);
      if (!m) continue;
      try {
        await fs.access(path.join(this.dir, n, '_metadata'));
        ids.push(Number(m[1]));
      } catch {
        // incomplete checkpoint
      }
    }
    return ids.sort((a, b) => a - b);
  }

  async latest(): Promise<CheckpointData | undefined> {
    const ids = await this.list();
    if (!ids.length) return undefined;
    return readCheckpoint(this.chkDir(ids[ids.length - 1]));
  }

  /** Keeps the newest `retain` checkpoints. */
  async prune(retain: number): Promise<void> {
    const ids = await this.list();
    for (const id of ids.slice(0, Math.max(0, ids.length - retain))) {
      await fs.rm(this.chkDir(id), { recursive: true, force: true });
    }
  }
}

/** Reads a checkpoint or savepoint from its folder (or its _metadata file). */
export async function readCheckpoint(location: string): Promise<CheckpointData> {
  const file = location.endsWith('_metadata') ? location : path.join(location, '_metadata');
  return JSON.parse(await fs.readFile(file, 'utf8')) as CheckpointData;
}

/** Writes a savepoint folder `<dir>/savepoint-<jobid prefix>-<random>`; returns its path. */
export async function writeSavepoint(dir: string, data: CheckpointData): Promise<string> {
  const name = `savepoint-${data.jobId.slice(0, 6)}-${Math.random().toString(16).slice(2, 14)}`;
  const d = path.resolve(dir, name);
  await fs.mkdir(d, { recursive: true });
  const tmp = path.join(d, `_metadata.${process.pid}.tmp`);
  await fs.writeFile(tmp, JSON.stringify({ ...data, savepoint: true }));
  await fs.rename(tmp, path.join(d, '_metadata'));
  return d;
}
