// The Iceberg sink: write() turns rows into Parquet data files (rolling by size, one file set
// per identity partition); prepareCommit(cp) closes the open files and hands their
// descriptors to the checkpoint; commit(cp, …) appends them as one snapshot whose summary
// carries tsstream.job-id and tsstream.checkpoint-id. Before committing it walks the
// snapshot ancestry: a snapshot of the same job with a checkpoint id ≥ cp means the files
// are already in, and nothing is done (exactly once across restarts).
//
// Upserts (as Flink's Iceberg sink writes them): a table with equality fields (a PRIMARY KEY,
// i.e. Iceberg identifier fields) takes a changelog. Within a checkpoint the sink keeps, per key,
// whether rows committed before must be deleted and the key's latest row; at the checkpoint the
// first become one equality delete file per partition (on the key's field ids), the second data
// files, committed together as one row delta (an equality delete applies only to data files of
// lower sequence numbers, so the new rows stay). With 'write.upsert.enabled' (or the
// 'upsert-enabled' option) +I/+U replace the key's row and -U is ignored; without it -U/-D delete
// the key's row and +I/+U insert, as Flink's writer does.
import { randomUUID } from 'node:crypto';
import type { ConnectorIdentity, DynamicSink, RuntimeContext, TableDescriptor } from '../../common/connector.js';
import { ConnectorError, UnsupportedError } from '../../common/errors.js';
import { rowKindOf, type Row } from '../../common/types.js';
import { joinPath } from '../../io/fileio.js';
import { appendFiles } from './append.js';
import { dataFileFromJson, dataFileToJson, type DataFile, type DataFileJson } from './manifest.js';
import { ancestors, branchHead, currentSchema, defaultSpec, specById, type TableMetadata } from './metadata.js';
import { partitionFieldType, type IcebergSchema, type IcebergType } from './schema.js';
import type { TableOperations } from './table.js';
import { loadParquet } from './parquet.js';
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
  /** Data files and equality delete files (content 2) of the checkpoint. */
  files: DataFileJson[];
}

/** What one checkpoint did to a key of an upsert table. */
interface KeyChange {
  /** Rows of the key committed before must go (an equality delete). */
  deleteOld: boolean;
  /** The values of the equality delete (the key, and the partition of the row deleted). */
  deleteRow?: Row;
  /** The key's row written in this checkpoint, if any. */
  row?: Row;
}

/** Whether a table's options or properties turn on upsert mode (Flink: 'upsert-enabled' / 'write.upsert.enabled'). */
export function upsertEnabled(options: Record<string, string>): boolean {
  return (options['upsert-enabled'] ?? options['write.upsert.enabled'] ?? '').toLowerCase() === 'true';
}

function keyText(values: unknown[]): string {
  return JSON.stringify(values, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
}

/**
 * The highest checkpoint of `jobId` (and of that sink, when given) committed on the current
 * branch, or -1.
 */
export function maxCommittedCheckpoint(m: TableMetadata, jobId: string, sinkId?: string, branch?: string): number {
  for (const s of ancestors(m, branchHead(m, branch))) {
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
  /** Upsert tables: the equality delete writer, the key's positions in a row, and this checkpoint's changes. */
  private deleteWriter: DataFileWriter | undefined;
  private keyIndex: number[] = [];
  private upsert = false;
  private changes = new Map<string, KeyChange>();
  /** The branch written ('branch' option, as Flink's Iceberg sink; default main). */
  private get branch(): string {
    return this.writeOptions.branch || 'main';
  }

  constructor(
    private readonly loadOps: () => Promise<TableOperations>,
    private readonly table: TableDescriptor,
    /** Write options that override the table's properties (e.g. from OPTIONS hints). */
    private readonly writeOptions: Record<string, string> = {},
  ) {
    // parquet-wasm compiles in the background while the job is set up (its first file waits for it otherwise).
    void loadParquet().catch(() => undefined);
  }

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
    this.partTypes = spec.fields.map((pf) => partitionFieldType(schema, pf));
    const prefix = `${sanitize(this.jobId)}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const dataLocation = props['write.data.path'] ?? joinPath(meta.location, 'data');
    this.writer = new DataFileWriter({ io: this.ops.io, dataLocation, schema, spec, properties: props, columnIndex, filePrefix: prefix });

    // Equality fields: the declared PRIMARY KEY (as Flink's sink takes them), else the table's identifier fields.
    const byName = new Map(schema.fields.map((f) => [f.name.toLowerCase(), f]));
    const declared = this.table.primaryKey ?? [];
    const eqIds = declared.length
      ? declared.map((n) => {
          const f = byName.get(n.toLowerCase());
          if (!f) throw new ConnectorError(`Iceberg table ${this.ops.name}: primary key column '${n}' is not in the table schema`);
          return f.id;
        })
      : [...(schema['identifier-field-ids'] ?? [])];
    this.upsert = upsertEnabled(props);
    const eqNames = eqIds.map((id) => schema.fields.find((f) => f.id === id)?.name ?? String(id));
    if (this.upsert && eqIds.length === 0) {
      throw new UnsupportedError(
        `Iceberg table ${this.ops.name}: Equality field columns shouldn't be empty when configuring to use UPSERT data stream. Declare a PRIMARY KEY (NOT ENFORCED) or set identifier fields.`,
      );
    }
    if (this.upsert) {
      for (const pf of spec.fields) {
        if (!eqIds.includes(pf['source-id'])) {
          throw new UnsupportedError(`Iceberg table ${this.ops.name}: In UPSERT mode, partition field '${pf.name}' should be included in equality fields: '[${eqNames.join(', ')}]'`);
        }
      }
    }
    if (eqIds.length > 0) {
      for (const id of eqIds) {
        const pos = schema.fields.findIndex((f) => f.id === id);
        if (pos < 0) throw new ConnectorError(`Iceberg table ${this.ops.name}: equality field ${id} must be a top-level column`);
        if (columnIndex[pos] < 0) throw new ConnectorError(`Iceberg table ${this.ops.name}: key column '${schema.fields[pos].name}' is not written by the query`);
      }
      this.keyIndex = eqIds.map((id) => columnIndex[schema.fields.findIndex((f) => f.id === id)]);
      // Delete files hold the key columns and the partition source columns (for the partition of the row deleted).
      const keep = new Set([...eqIds, ...spec.fields.map((pf) => pf['source-id'])]);
      const deleteSchema: IcebergSchema = { type: 'struct', 'schema-id': schema['schema-id'], fields: schema.fields.filter((f) => keep.has(f.id)) };
      this.deleteWriter = new DataFileWriter({
        io: this.ops.io,
        dataLocation,
        schema: deleteSchema,
        spec,
        properties: props,
        columnIndex: schema.fields.flatMap((f, i) => (keep.has(f.id) ? [columnIndex[i]] : [])),
        filePrefix: `${prefix}-eq-deletes`,
        equalityIds: eqIds,
      });
    }
  }

  async write(rows: Row[]): Promise<void> {
    if (!this.writer) throw new ConnectorError('Iceberg sink used before open()');
    if (!this.deleteWriter) {
      for (const r of rows) {
        const kind = rowKindOf(r);
        if (kind !== '+I' && kind !== '+U') {
          // The planner refuses updating queries into tables without a key; this guards the rest.
          throw new ConnectorError(`Iceberg table ${this.ops.name} has no primary key: it cannot apply a ${kind} change (declare a PRIMARY KEY to upsert)`);
        }
      }
      await this.writer.write(rows);
      return;
    }
    for (const r of rows) {
      const key = keyText(this.keyIndex.map((i) => r[i] ?? null));
      let c = this.changes.get(key);
      if (!c) this.changes.set(key, (c = { deleteOld: false }));
      switch (rowKindOf(r)) {
        case '+I':
        case '+U':
          if (this.upsert && !c.deleteOld) {
            c.deleteOld = true;
            c.deleteRow = r;
          }
          c.row = r;
          break;
        case '-U':
          if (this.upsert) break; // the +U that follows replaces the row
          this.retract(c, r);
          break;
        case '-D':
          if (this.upsert && !c.deleteOld) {
            c.deleteOld = true;
            c.deleteRow = r;
          }
          this.retract(c, r);
          break;
      }
    }
  }

  /** A retraction: of the row written in this checkpoint if there is one, else of the committed row. */
  private retract(c: KeyChange, r: Row): void {
    if (c.row) {
      c.row = undefined;
    } else if (!c.deleteOld) {
      c.deleteOld = true;
      c.deleteRow = r;
    }
  }

  /** Writes this checkpoint's key changes as equality deletes and data rows. */
  private async writeChanges(): Promise<DataFile[]> {
    if (!this.deleteWriter || !this.writer) return [];
    const deletes: Row[] = [];
    const rows: Row[] = [];
    for (const c of this.changes.values()) {
      if (c.deleteOld && c.deleteRow) deletes.push(c.deleteRow);
      if (c.row) rows.push(c.row);
    }
    this.changes.clear();
    await this.deleteWriter.write(deletes);
    await this.writer.write(rows);
    return this.deleteWriter.flush();
  }

  /** The snapshot the latest commit() made (for the checkpoint history). */
  private lastSnapshotId?: string;

  /** Per prepared checkpoint, where its writing time went (for the commit's log line). */
  private readonly writeTimes = new Map<number, string>();

  async prepareCommit(checkpointId: number): Promise<IcebergCommittable> {
    if (!this.writer) throw new ConnectorError('Iceberg sink used before open()');
    const deletes = await this.writeChanges();
    const files = [...this.pendingFiles, ...(await this.writer.flush()), ...deletes];
    this.pendingFiles = [];
    const t = { arrowMs: 0, parquetMs: 0, writeMs: 0 };
    for (const w of [this.writer, this.deleteWriter]) {
      if (!w) continue;
      t.arrowMs += w.timing.arrowMs;
      t.parquetMs += w.timing.parquetMs;
      t.writeMs += w.timing.writeMs;
      w.timing = { arrowMs: 0, parquetMs: 0, writeMs: 0 };
    }
    if (files.length) this.writeTimes.set(checkpointId, `rows to Arrow ${Math.round(t.arrowMs)} ms, Parquet ${Math.round(t.parquetMs)} ms, file writes ${Math.round(t.writeMs)} ms`);
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
      // One snapshot per checkpoint, in order: the equality deletes of a checkpoint must apply to the rows of the one before.
      const cpId = c.checkpointId ?? checkpointId;
      const key = `${jobId}\u0000${c.sinkId ?? ''}\u0000${cpId}`;
      const g = groups.get(key) ?? { jobId, sinkId: c.sinkId, cp: cpId, files: [] };
      g.files.push(...c.files);
      groups.set(key, g);
    }
    for (const g of [...groups.values()].sort((a, b) => a.cp - b.cp)) {
      const written = this.writeTimes.get(g.cp);
      if (g.files.length === 0) continue;
      const { jobId, sinkId } = g;
      const cp = g.cp;
      const branch = this.branch;
      const done = (m: TableMetadata) => maxCommittedCheckpoint(m, jobId, sinkId, branch) >= cp;
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
      const t0 = performance.now();
      const res = await appendFiles(this.ops, files, { summary, alreadyCommitted: done, branch });
      if (res.committed) {
        this.lastSnapshotId = String(res.snapshotId);
        const into = branch === 'main' ? '' : ` into branch '${branch}'`;
        const times = `${written ? `${written}, ` : ''}commit ${Math.round(performance.now() - t0)} ms`;
        this.ctx?.log('info', `Iceberg ${this.ops.name}: committed snapshot ${res.snapshotId}${into} (${files.length} files, ${files.reduce((n, f) => n + f.recordCount, 0)} rows) for checkpoint ${cp} (${times})`);
        this.ctx?.metric('iceberg-commits', 1);
      }
    }
    for (const cp of this.writeTimes.keys()) if (cp <= checkpointId) this.writeTimes.delete(cp);
  }

  snapshotState(): unknown {
    return { jobId: this.jobId };
  }

  describeCommit(committables: unknown[]): string {
    let files = 0;
    let rows = 0;
    let deleteFiles = 0;
    let deletes = 0;
    for (const c of committables as IcebergCommittable[]) {
      for (const f of c?.files ?? []) {
        if (f.content === 2) {
          deleteFiles++;
          deletes += Number(f.recordCount) || 0;
          continue;
        }
        files++;
        rows += Number(f.recordCount) || 0;
      }
    }
    const snap = this.lastSnapshotId !== undefined ? `snapshot ${this.lastSnapshotId}: ` : '';
    const del = deleteFiles ? `, ${deleteFiles} equality delete file${deleteFiles === 1 ? '' : 's'} (${deletes} key${deletes === 1 ? '' : 's'})` : '';
    return files || deleteFiles ? `${snap}${files} data file${files === 1 ? '' : 's'}, ${rows} row${rows === 1 ? '' : 's'}${del}` : 'no new data files';
  }

  async close(): Promise<void> {
    // Files written after the last checkpoint are not committed (they become orphans, as in Flink).
    this.writer = undefined;
  }
}

function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'job';
}
