// The filesystem sink: JSON lines / CSV / raw part files in the folder `path`, exactly once.
//
// Rows are appended to hidden in-progress files (`.part-<uuid>-0-<n>.inprogress`); at a
// checkpoint prepareCommit() flushes and closes them and returns their names; commit() renames
// each to its visible name (`part-<uuid>-0-<n>`). A rename whose source is gone and whose target
// exists was already done, so commit() is idempotent. A part file also rolls when it reaches
// sink.rolling-policy.file-size, has been open for sink.rolling-policy.rollover-interval or got no
// rows for sink.rolling-policy.inactivity-interval.
// On s3:// paths the part data is kept in memory until prepareCommit writes the hidden object;
// commit() copies it to its visible name and deletes it (object stores have no rename).
// PARTITIONED BY columns become `col=value/` folders and are left out of the file contents.
// A partition that received files waits (in the sink's checkpointed state) until its commit
// trigger fires, checked at each checkpoint commit: 'process-time', the wall clock past its
// creation + 'sink.partition-commit.delay'; 'partition-time', the watermark of that checkpoint past
// the time read from its values + delay (as Flink's PartitionTimeCommitPredicate). At the end of a
// bounded input every waiting partition is committed. Committing a partition with
// sink.partition-commit.policy.kind = 'success-file' writes an empty `_SUCCESS` file into it.
import { randomUUID } from 'node:crypto';
import { access, mkdir, open as openFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ConnectorError } from '../../common/errors.js';
import { fileIOFor, joinPath, type FileIO } from '../../io/fileio.js';
import type { ConnectorIdentity, DynamicSink, RuntimeContext, TableDescriptor } from '../../common/connector.js';
import type { Row } from '../../common/types.js';
import type { RowEncoder } from '../../formats/api.js';
import { escapePartitionValue, partitionFolderValues, readFsConfig, type FsConfig } from './options.js';
import { formatDateIso, formatTimestampFlink } from '../../formats/temporal.js';

export interface FileCommittable {
  files: { inProgress: string; final: string }[];
  /** The sink's watermark when the checkpoint was taken (micros; null before the first). */
  watermark?: number | null | 'end';
  /** Partition folders (relative, `k=v/…/`) that got files, with when each was first written to (ms). */
  partitions?: [string, number][];
}

/** The sink's own checkpointed state: partitions written but not committed yet. */
interface FileSinkState {
  waiting: [string, number][];
}

/** A watermark in a committable (JSON): +∞ (the input ended) as the string 'end'. */
function wmJson(wm: number | null): number | null | 'end' {
  return wm === Infinity ? 'end' : wm;
}

function wmValue(wm: unknown): number {
  return wm === 'end' ? Infinity : typeof wm === 'number' ? wm : -Infinity;
}

interface OpenPart {
  dir: string;
  inProgress: string;
  final: string;
  /** Local files: the in-progress file. Object stores: undefined (bytes collect in `mem`). */
  fd: FileHandle | undefined;
  mem: Buffer[];
  bytes: number;
  chunks: (string | Uint8Array)[];
  pendingBytes: number;
  openedAt: number;
  lastWriteAt: number;
}

const FLUSH_BYTES = 256 * 1024;

export class FileSystemSink implements DynamicSink {
  readonly transactional = true;
  private readonly cfg: FsConfig;
  private readonly encoder: RowEncoder;
  private readonly dataIndexes: number[];
  private readonly partIndexes: number[];
  private readonly partNames: string[];
  private readonly partKinds: string[];
  private readonly uuid = randomUUID();
  private counter = 0;
  private readonly open_ = new Map<string, OpenPart>();
  private pending: { inProgress: string; final: string }[] = [];
  private ctx!: RuntimeContext;
  /** Partitions (relative folders) that got rows since the last checkpoint → first write (ms). */
  private created = new Map<string, number>();
  /** Partitions whose files are committed, waiting for their commit trigger → creation (ms). */
  private waiting = new Map<string, number>();
  private watermark = -Infinity;

  constructor(
    private readonly table: TableDescriptor,
    sessionConfig: ReadonlyMap<string, string> = new Map(),
  ) {
    this.cfg = readFsConfig(table, sessionConfig);
    const partKeys = new Set(table.partitionKeys);
    this.dataIndexes = [];
    table.physical.forEach((f, i) => {
      if (!partKeys.has(f.name)) this.dataIndexes.push(i);
    });
    this.partIndexes = table.partitionKeys.map((k) => {
      const i = table.physical.findIndex((f) => f.name === k);
      if (i < 0) throw new ConnectorError(`Partition column '${k}' is not a physical column of table ${table.path.table}`);
      return i;
    });
    this.partNames = table.partitionKeys.map(escapePartitionValue);
    this.partKinds = this.partIndexes.map((i) => table.physical[i].type.kind);
    const dataFields = this.dataIndexes.map((i) => table.physical[i]);
    this.encoder = this.cfg.format.createEncoder(dataFields, this.cfg.formatOptions);
  }

  private io: FileIO | undefined;

  async checkpointIdentity(): Promise<ConnectorIdentity> {
    return { what: `files at ${this.cfg.path}`, keys: { path: this.cfg.path } };
  }

  async open(ctx: RuntimeContext, restored?: unknown): Promise<void> {
    this.ctx = ctx;
    for (const [dir, at] of (restored as FileSinkState | undefined)?.waiting ?? []) this.waiting.set(dir, at);
    if (this.cfg.remote) {
      this.io = await fileIOFor(this.cfg.path, this.cfg.remoteOptions);
      return;
    }
    try {
      await mkdir(this.cfg.path, { recursive: true });
    } catch (e) {
      throw new ConnectorError(
        `filesystem sink of table ${this.table.path.table}: 'path' must be a folder it can create or write into, but '${this.cfg.path}' is not (${(e as Error).message})`,
        { cause: e },
      );
    }
  }

  async write(rows: Row[]): Promise<void> {
    const project = this.partIndexes.length > 0;
    const dataIdx = this.dataIndexes;
    const now = Date.now();
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      const dir = project ? this.partitionDir(row) : '';
      let part = this.open_.get(dir);
      if (
        part &&
        (part.bytes + part.pendingBytes >= this.cfg.rollingFileSize ||
          now - part.openedAt >= this.cfg.rolloverIntervalMs ||
          now - part.lastWriteAt >= this.cfg.inactivityIntervalMs)
      ) {
        await this.closePart(part);
        part = undefined;
      }
      if (!part) part = await this.newPart(dir);
      if (project && !this.created.has(dir)) this.created.set(dir, now);
      let data = row;
      if (project) {
        data = new Array(dataIdx.length);
        for (let i = 0; i < dataIdx.length; i++) data[i] = row[dataIdx[i]];
      }
      const enc = this.encoder.encode(data);
      if (typeof enc === 'string') {
        const line = enc + '\n';
        part.chunks.push(line);
        part.pendingBytes += line.length; // close enough for rolling; exact bytes counted at flush
      } else {
        part.chunks.push(enc, NEWLINE);
        part.pendingBytes += enc.byteLength + 1;
      }
      part.lastWriteAt = now;
      if (part.pendingBytes >= FLUSH_BYTES) await this.flush(part);
    }
  }

  async prepareCommit(): Promise<FileCommittable | null> {
    for (const part of [...this.open_.values()]) await this.closePart(part);
    const watermark = this.watermark === -Infinity ? null : this.watermark;
    if (this.pending.length === 0) return this.waiting.size > 0 || watermark === Infinity ? { files: [], watermark: wmJson(watermark) } : null;
    const files = this.pending;
    this.pending = [];
    const partitions = [...this.created];
    this.created = new Map();
    return { files, watermark: wmJson(watermark), ...(partitions.length ? { partitions } : {}) };
  }

  watermarkAdvanced(wm: number): void {
    if (wm > this.watermark) this.watermark = wm;
  }

  async commit(_checkpointId: number, committables: unknown[]): Promise<void> {
    let watermark = -Infinity;
    for (const c of committables) {
      const fc = c as FileCommittable;
      const wm = wmValue(fc.watermark);
      if (wm > watermark) watermark = wm;
      for (const [dir, at] of fc.partitions ?? []) if (!this.waiting.has(dir)) this.waiting.set(dir, at);
      for (const f of fc.files ?? []) {
        if (this.io) {
          // Object stores have no rename: copy the in-progress object, then delete it (both idempotent).
          if (await this.io.exists(f.inProgress)) {
            await this.io.write(f.final, await this.io.read(f.inProgress));
            await this.io.delete(f.inProgress);
          } else if (!(await this.io.exists(f.final))) {
            this.ctx?.log('warn', `filesystem sink: part file ${f.final} is missing and cannot be committed (in-progress object ${f.inProgress} is gone)`);
            continue;
          }
        } else if (await exists(f.inProgress)) {
          await rename(f.inProgress, f.final);
        } else if (!(await exists(f.final))) {
          this.ctx?.log('warn', `filesystem sink: part file ${f.final} is missing and cannot be committed (in-progress file ${f.inProgress} is gone)`);
          continue;
        }
      }
    }
    if (this.partIndexes.length > 0) await this.commitPartitions(watermark);
  }

  /** Commits the waiting partitions whose trigger fired (all of them once the input ended: watermark +∞). */
  private async commitPartitions(watermark: number): Promise<void> {
    const pc = this.cfg.partitionCommit;
    const now = Date.now();
    for (const [dir, createdAt] of [...this.waiting]) {
      let due: boolean;
      if (watermark === Infinity) due = true;
      else if (pc.trigger === 'process-time') due = now >= createdAt + pc.delayMs;
      else {
        const t = pc.partitionTime(partitionFolderValues(dir.split('/')));
        if (t === undefined) {
          throw new ConnectorError(
            `filesystem sink of table ${this.table.path.table}: cannot read a time from partition '${dir.replace(/\/$/, '')}' with 'partition.time-extractor.timestamp-pattern' and 'partition.time-extractor.timestamp-formatter'`,
          );
        }
        due = watermark > t + pc.delayMs * 1000;
      }
      if (!due) continue;
      this.waiting.delete(dir);
      // sink.partition-commit.policy.kind = 'success-file': mark the partition committed.
      if (this.cfg.successFile === undefined) continue;
      if (this.io) await this.io.write(joinPath(this.cfg.path, dir, this.cfg.successFile), new Uint8Array(0));
      else await writeFile(path.join(this.cfg.path, dir, this.cfg.successFile), '');
    }
  }

  snapshotState(): unknown {
    return this.waiting.size > 0 ? ({ waiting: [...this.waiting] } satisfies FileSinkState) : undefined;
  }

  async close(): Promise<void> {
    // Files that no checkpoint prepared are dropped (their rows are replayed after a restart).
    for (const part of [...this.open_.values()]) {
      this.open_.delete(part.dir);
      if (part.fd) {
        await part.fd.close().catch(() => undefined);
        await rm(part.inProgress, { force: true });
      }
    }
    for (const p of this.pending) {
      if (this.io) await this.io.delete(p.inProgress).catch(() => undefined);
      else await rm(p.inProgress, { force: true });
    }
    this.pending = [];
  }

  // -------------------------------------------------------------------------------------------

  private partitionDir(row: Row): string {
    let dir = '';
    for (let i = 0; i < this.partIndexes.length; i++) {
      const v = row[this.partIndexes[i]];
      let text: string;
      if (v === null || v === undefined || v === '') text = this.cfg.defaultPartitionName;
      else if (this.partKinds[i] === 'DATE') text = formatDateIso(v as number);
      else if (this.partKinds[i] === 'TIMESTAMP' || this.partKinds[i] === 'TIMESTAMP_LTZ') text = formatTimestampFlink(v as number, ' ');
      else text = String(v);
      dir += `${this.partNames[i]}=${escapePartitionValue(text)}/`;
    }
    return dir;
  }

  private async newPart(dir: string): Promise<OpenPart> {
    const name = `part-${this.uuid}-0-${this.counter++}`;
    let inProgress: string;
    let final: string;
    let fd: FileHandle | undefined;
    if (this.io) {
      inProgress = joinPath(this.cfg.path, dir, `.${name}.inprogress`);
      final = joinPath(this.cfg.path, dir, name);
    } else {
      const folder = path.join(this.cfg.path, dir);
      await mkdir(folder, { recursive: true });
      inProgress = path.join(folder, `.${name}.inprogress`);
      final = path.join(folder, name);
      try {
        fd = await openFile(inProgress, 'w');
      } catch (e) {
        throw new ConnectorError(`filesystem sink: cannot create ${inProgress}: ${(e as Error).message}`, { cause: e });
      }
    }
    const now = Date.now();
    const part: OpenPart = { dir, inProgress, final, fd, mem: [], bytes: 0, chunks: [], pendingBytes: 0, openedAt: now, lastWriteAt: now };
    this.open_.set(dir, part);
    return part;
  }

  private async flush(part: OpenPart): Promise<void> {
    if (part.chunks.length === 0) return;
    const bufs = part.chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c));
    part.chunks = [];
    part.pendingBytes = 0;
    const data = Buffer.concat(bufs);
    if (part.fd) await part.fd.write(data, 0, data.length);
    else part.mem.push(data);
    part.bytes += data.length;
  }

  private async closePart(part: OpenPart): Promise<void> {
    await this.flush(part);
    this.open_.delete(part.dir);
    if (part.fd) {
      await part.fd.sync().catch(() => undefined);
      await part.fd.close();
      if (part.bytes > 0) this.pending.push({ inProgress: part.inProgress, final: part.final });
      else await rm(part.inProgress, { force: true });
      return;
    }
    if (part.bytes === 0) return;
    // Object store: the part becomes a hidden in-progress object, made visible by commit().
    await this.io!.write(part.inProgress, Buffer.concat(part.mem));
    part.mem = [];
    this.pending.push({ inProgress: part.inProgress, final: part.final });
  }
}

const NEWLINE = new Uint8Array([10]);

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
