// The Iceberg sink: write() turns rows into Parquet data files (rolling by size, one file set
// per identity partition); prepareCommit(cp) closes the open files and hands their
// descriptors to the checkpoint; commit(cp, …) appends them as one snapshot whose summary
// carries tsstream.job-id and tsstream.checkpoint-id. Before committing it walks the
// snapshot ancestry: a snapshot of the same job with a checkpoint id ≥ cp means the files
// are already in, and nothing is done (exactly once across restarts).
import { randomUUID } from 'node:crypto';
import type { ConnectorIdentity, DynamicSink, RuntimeContext, TableDescriptor } from '../../common/connector.js';
import { ConnectorError, UnsupportedError } from '../../common/errors.js';
import type { Row } from '../../common/types.js';
import { joinPath } from '../../io/fileio.js';
import { appendFiles } from './append.js';
import { dataFileFromJson, dataFileToJson, type DataFile, type DataFileJson } from './manifest.js';
import { ancestors, currentSchema, currentSnapshot, defaultSpec, specById, type TableMetadata } from './metadata.js';
import { partitionFieldType, type IcebergType } from './schema.js';
import type { TableOperations } from './table.js';
import { DataFileWriter } from './writer.js';
import { icebergIdentity } from './identity.js';

export const JOB_ID_KEY = 'tsstream.job-id';
export const CHECKPOINT_ID_KEY = 'tsstream.checkpoint-id';
/** Tells apart two sinks of one job writing to the same table (a statement set). */
export const SINK_ID_KEY = 'tsstream.sink-id';

/** What prepareCommit returns (plain JSON). */
export interface IcebergCommittable {
  jobId: string;
  /** The writing sink instance (absent in committables of older versions). */
  sinkId?: string;
  checkpointId: number;
  files: DataFileJson[];
}

/**
 * The highest checkpoint of `jobId` (and of that sink, when given) committed on the current
 * branch, or -1.
 */
export function maxCommittedCheckpoint(m: TableMetadata, jobId: string, sinkId?: string): number {
  for (const s of ancestors(m, currentSnapshot(m))) {
    if (s.summary?.[JOB_ID_KEY] !== jobId) continue;
    const sid = s.summary[SINK_ID_KEY];
    if (sinkId !== undefined && sid !== undefined && sid !== sinkId) continue;
    const cp = Number(s.summary[CHECKPOINT_ID_KEY]);
    if (Number.isFinite(cp)) return cp;
  }
  return -1;
}

export class IcebergSink implements DynamicSink {
  readonly transactional = true;
  private ops!: TableOperations;
  private writer: DataFileWriter | undefined;
  private jobId = '';
  private readonly sinkId = randomUUID().slice(0, 8);
  private ctx: RuntimeContext | undefined;
  private pendingFiles: DataFile[] = [];
  private partTypes: IcebergType[] = [];

  constructor(
    private readonly loadOps: () => Promise<TableOperations>,
    private readonly table: TableDescriptor,
    /** Write options that override the table's properties (e.g. from OPTIONS hints). */
    private readonly writeOptions: Record<string, string> = {},
  ) {}

  async checkpointIdentity(): Promise<ConnectorIdentity> {
    this.ops ??= await this.loadOps();
    return icebergIdentity(this.ops.name, await this.ops.load());
  }

  async open(ctx: RuntimeContext): Promise<void> {
    this.ctx = ctx;
    this.jobId = ctx.jobId;
    this.ops = await this.loadOps();
    const meta = await this.ops.load();
    const schema = currentSchema(meta);
    const spec = defaultSpec(meta);
    const names = this.table.physical.map((f) => f.name.toLowerCase());
    const columnIndex = schema.fields.map((f) => names.indexOf(f.name.toLowerCase()));
    for (const f of schema.fields) {
      if (f.required && !names.includes(f.name.toLowerCase())) {
        throw new ConnectorError(`Iceberg table ${this.ops.name}: required column '${f.name}' is not written by the query`);
      }
    }
    const props = { ...meta.properties, ...this.writeOptions };
    if ((props['write.upsert.enabled'] ?? '').toLowerCase() === 'true') {
      // Appending would silently turn upserts into duplicates.
      throw new UnsupportedError(`Iceberg table ${this.ops.name}: 'write.upsert.enabled' (equality deletes) is not supported; tsstream appends only`);
    }
    this.partTypes = spec.fields.map((pf) => partitionFieldType(schema, pf));
    this.writer = new DataFileWriter({
      io: this.ops.io,
      dataLocation: props['write.data.path'] ?? joinPath(meta.location, 'data'),
      schema,
      spec,
      properties: props,
      columnIndex,
      filePrefix: `${sanitize(this.jobId)}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    });
  }

  async write(rows: Row[]): Promise<void> {
    if (!this.writer) throw new ConnectorError('Iceberg sink used before open()');
    await this.writer.write(rows);
  }

  /** The snapshot the latest commit() made (for the checkpoint history). */
  private lastSnapshotId?: string;

  async prepareCommit(checkpointId: number): Promise<IcebergCommittable> {
    if (!this.writer) throw new ConnectorError('Iceberg sink used before open()');
    const files = [...this.pendingFiles, ...(await this.writer.flush())];
    this.pendingFiles = [];
    return { jobId: this.jobId, sinkId: this.sinkId, checkpointId, files: files.map((f) => dataFileToJson(f, this.partTypes)) };
  }

  async commit(checkpointId: number, committables: unknown[]): Promise<void> {
    this.lastSnapshotId = undefined;
    if (!this.ops) this.ops = await this.loadOps();
    // Group by the job and sink that wrote them (committables restored from a savepoint carry
    // the old job's ids).
    const groups = new Map<string, { jobId: string; sinkId?: string; cp: number; files: DataFileJson[] }>();
    for (const c of committables as IcebergCommittable[]) {
      if (!c || !Array.isArray(c.files)) continue;
      const jobId = c.jobId ?? this.jobId;
      const key = `${jobId}\u0000${c.sinkId ?? ''}`;
      const g = groups.get(key) ?? { jobId, sinkId: c.sinkId, cp: -1, files: [] };
      g.cp = Math.max(g.cp, c.checkpointId ?? checkpointId);
      g.files.push(...c.files);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      if (g.files.length === 0) continue;
      const { jobId, sinkId } = g;
      const cp = Math.max(g.cp, checkpointId);
      const done = (m: TableMetadata) => maxCommittedCheckpoint(m, jobId, sinkId) >= cp;
      const meta = await this.ops.load();
      if (done(meta)) {
        this.ctx?.log('info', `Iceberg ${this.ops.name}: checkpoint ${cp} of job ${jobId} already committed, skipping`);
        continue;
      }
      const schema = currentSchema(meta);
      const files = g.files.map((f) => {
        const spec = specById(meta, f.specId) ?? defaultSpec(meta);
        return dataFileFromJson(f, spec.fields.map((pf) => partitionFieldType(schema, pf)));
      });
      const summary: Record<string, string> = { [JOB_ID_KEY]: jobId, [CHECKPOINT_ID_KEY]: String(cp) };
      if (sinkId !== undefined) summary[SINK_ID_KEY] = sinkId;
      const res = await appendFiles(this.ops, files, { summary, alreadyCommitted: done });
      if (res.committed) {
        this.lastSnapshotId = String(res.snapshotId);
        this.ctx?.log('info', `Iceberg ${this.ops.name}: committed snapshot ${res.snapshotId} (${files.length} files) for checkpoint ${cp}`);
        this.ctx?.metric('iceberg-commits', 1);
      }
    }
  }

  snapshotState(): unknown {
    return { jobId: this.jobId };
  }

  describeCommit(committables: unknown[]): string {
    let files = 0;
    let rows = 0;
    for (const c of committables as IcebergCommittable[]) {
      for (const f of c?.files ?? []) {
        files++;
        rows += Number(f.recordCount) || 0;
      }
    }
    const snap = this.lastSnapshotId !== undefined ? `snapshot ${this.lastSnapshotId}: ` : '';
    return files ? `${snap}${files} data file${files === 1 ? '' : 's'}, ${rows} row${rows === 1 ? '' : 's'}` : 'no new data files';
  }

  async close(): Promise<void> {
    // Files written after the last checkpoint are not committed (they become orphans, as in Flink).
    this.writer = undefined;
  }
}

function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'job';
}
