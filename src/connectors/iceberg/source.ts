// The Iceberg source for batch reads: plans the data files of a snapshot (the current one,
// or the 'snapshot-id' / 'as-of-timestamp' options), skips manifests and files that cannot
// match the pushed-down predicates (identity partition values, column bounds, null counts),
// reads only the projected columns, one row group per poll, with the position and equality
// delete files that apply to each data file (merge-on-read, see deletes.ts).
import type { ConnectorIdentity, DynamicSource, PushdownPredicate, RuntimeContext, ScanRequest, SourceBatch, TableDescriptor } from '../../common/connector.js';
import { ConnectorError, UnsupportedError } from '../../common/errors.js';
import type { Row } from '../../common/types.js';
import { compareValues, fromBytes } from './conversions.js';
import { readManifest, readManifestList, type DataFile, type FieldSummary, type ManifestFile } from './manifest.js';
import { parseTransform, projectPredicate } from './transforms.js';
import {
  ancestors,
  currentSchema,
  branchHead,
  currentSnapshot,
  snapshotAsOf,
  snapshotById,
  specById,
  type Snapshot,
  type TableMetadata,
} from './metadata.js';
import { metadataTableFields, metadataTableRows, type MetadataTableKind } from './metadata-tables.js';
import { loadParquet, parquetRowGroupRows, readParquetRows } from './parquet.js';
import { DeleteFilter, DeleteIndex, type ScanTask } from './deletes.js';
import { indexById, partitionFieldType, type IcebergField, type IcebergSchema, type IcebergType, type PartitionSpec } from './schema.js';
import type { TableOperations } from './table.js';
import { icebergIdentity } from './identity.js';

export interface ScanOptions {
  /** Keep reading snapshots appended after the current one (unbounded). */
  streaming?: boolean;
  /** How often a streaming read looks for new snapshots (default 10 s). */
  monitorIntervalMs?: number;
  snapshotId?: string;
  /** Milliseconds since the epoch, or a timestamp text. */
  asOfTimestamp?: string;
  /** Read the head of this branch (Flink's 'branch' read option). */
  branch?: string;
  /** Read the snapshot of this tag (Flink's 'tag' read option). */
  tag?: string;
  /** Streaming: where to start (Flink's Iceberg 'starting-strategy'; default
   *  INCREMENTAL_FROM_LATEST_SNAPSHOT, as Flink's connector). */
  startingStrategy?: StartingStrategy;
  /** INCREMENTAL_FROM_SNAPSHOT_ID: the first snapshot read (inclusive). In batch mode: read the
   *  files appended after this snapshot (exclusive), up to end-snapshot-id or the current one. */
  startSnapshotId?: string;
  /** INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP: ms since the epoch; the first snapshot read is the oldest
   *  ancestor of the current one committed at or after it. */
  startSnapshotTimestamp?: string;
  /** Batch: the last snapshot of an incremental read (inclusive). */
  endSnapshotId?: string;
  /** Streaming: pass over snapshots that only delete rows instead of failing. */
  skipDeleteSnapshots?: boolean;
  /** Streaming: pass over snapshots that overwrite (replace or delete rows) instead of failing. */
  skipOverwriteSnapshots?: boolean;
}

/** Flink's StreamingStartingStrategy (iceberg-flink), spelled as Flink spells it (case-sensitive). */
export const STARTING_STRATEGIES = [
  'TABLE_SCAN_THEN_INCREMENTAL',
  'INCREMENTAL_FROM_LATEST_SNAPSHOT',
  'INCREMENTAL_FROM_LATEST_SNAPSHOT_EXCLUSIVE',
  'INCREMENTAL_FROM_EARLIEST_SNAPSHOT',
  'INCREMENTAL_FROM_SNAPSHOT_ID',
  'INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP',
] as const;
export type StartingStrategy = (typeof STARTING_STRATEGIES)[number];

function snapshotIdOption(value: string, option: string): bigint {
  if (!/^-?\d+$/.test(value.trim())) throw new ConnectorError(`Invalid '${option}' '${value}': a snapshot id (a BIGINT)`);
  return BigInt(value.trim());
}

/**
 * Where a streaming read starts, as Flink's Iceberg source (ContinuousSplitPlannerImpl) does:
 * `snapshot` is the first one read, `scanFirst` whether its whole content is read (a table scan)
 * rather than only the files it appended, `inclusive` whether its appended files are read.
 * Undefined snapshot: the table is empty, everything to come is read.
 */
export function streamingStart(m: TableMetadata, opts: ScanOptions): { snapshot: Snapshot | undefined; scanFirst: boolean; inclusive: boolean } {
  const strategy = opts.startingStrategy ?? 'INCREMENTAL_FROM_LATEST_SNAPSHOT';
  const hasId = opts.startSnapshotId !== undefined && opts.startSnapshotId !== '';
  const hasTs = opts.startSnapshotTimestamp !== undefined && opts.startSnapshotTimestamp !== '';
  // Flink's ScanContext.validate() for streaming reads.
  if (opts.tag) throw new ConnectorError(`Cannot scan table using ref ${opts.tag} configured for streaming reader ('tag'; 'branch' is followed)`);
  for (const [key, option] of [['snapshotId', 'snapshot-id'], ['asOfTimestamp', 'as-of-timestamp'], ['endSnapshotId', 'end-snapshot-id']] as const) {
    if ((opts[key] ?? '') !== '') throw new ConnectorError(`Cannot set ${option} option for streaming reader (use 'starting-strategy' and 'start-snapshot-id')`);
  }
  if (strategy === 'INCREMENTAL_FROM_SNAPSHOT_ID') {
    if (!hasId) throw new ConnectorError("'starting-strategy' INCREMENTAL_FROM_SNAPSHOT_ID needs 'start-snapshot-id'");
    if (hasTs) throw new ConnectorError("'starting-strategy' INCREMENTAL_FROM_SNAPSHOT_ID does not take 'start-snapshot-timestamp'");
  }
  if (strategy === 'INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP') {
    if (!hasTs) throw new ConnectorError("'starting-strategy' INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP needs 'start-snapshot-timestamp'");
    if (hasId) throw new ConnectorError("'starting-strategy' INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP does not take 'start-snapshot-id'");
  }
  const head = opts.branch ? branchHead(m, opts.branch) : currentSnapshot(m);
  switch (strategy) {
    case 'TABLE_SCAN_THEN_INCREMENTAL':
      return { snapshot: selectSnapshot(m, opts), scanFirst: true, inclusive: true };
    case 'INCREMENTAL_FROM_LATEST_SNAPSHOT':
      return { snapshot: head, scanFirst: false, inclusive: true };
    case 'INCREMENTAL_FROM_LATEST_SNAPSHOT_EXCLUSIVE':
      return { snapshot: head, scanFirst: false, inclusive: false };
    case 'INCREMENTAL_FROM_EARLIEST_SNAPSHOT': {
      let oldest: Snapshot | undefined;
      for (const s of ancestors(m, head)) oldest = s;
      return { snapshot: oldest, scanFirst: false, inclusive: true };
    }
    case 'INCREMENTAL_FROM_SNAPSHOT_ID': {
      const id = snapshotIdOption(opts.startSnapshotId!, 'start-snapshot-id');
      const s = snapshotById(m, id);
      if (!s) throw new ConnectorError(`Start snapshot id not found in history: ${id} ('start-snapshot-id')`);
      return { snapshot: s, scanFirst: false, inclusive: true };
    }
    case 'INCREMENTAL_FROM_SNAPSHOT_TIMESTAMP': {
      const text = opts.startSnapshotTimestamp!.trim();
      if (!/^-?\d+$/.test(text)) throw new ConnectorError(`Invalid 'start-snapshot-timestamp' '${text}': milliseconds since the epoch`);
      const ts = Number(text);
      // Iceberg's SnapshotUtil.oldestAncestorAfter: the oldest ancestor committed at or after ts.
      let found: Snapshot | undefined;
      for (const s of ancestors(m, head)) {
        if (s['timestamp-ms'] < ts) break;
        found = s;
      }
      if (!found) throw new ConnectorError(`Cannot find a snapshot after: ${ts} ('start-snapshot-timestamp')`);
      return { snapshot: found, scanFirst: false, inclusive: true };
    }
  }
}

export function selectSnapshot(m: TableMetadata, opts: ScanOptions): Snapshot | undefined {
  const given = (['snapshotId', 'asOfTimestamp', 'branch', 'tag'] as const).filter((k) => opts[k] !== undefined && opts[k] !== '');
  if (given.length > 1) {
    const name = { snapshotId: 'snapshot-id', asOfTimestamp: 'as-of-timestamp', branch: 'branch', tag: 'tag' };
    throw new ConnectorError(`Options ${given.map((k) => `'${name[k]}'`).join(' and ')} cannot be set together: read one snapshot, branch or tag`);
  }
  for (const kind of ['branch', 'tag'] as const) {
    const name = opts[kind];
    if (!name) continue;
    const ref = m.refs[name];
    if (!ref) {
      const known = Object.entries(m.refs).filter(([, r]) => r.type === kind).map(([n]) => n).sort();
      throw new ConnectorError(`Cannot find ${kind} '${name}' in the Iceberg table (its ${kind}es: ${known.length ? known.join(', ') : 'none'})`);
    }
    if (ref.type !== kind) throw new ConnectorError(`'${name}' is a ${ref.type} of the Iceberg table, not a ${kind}: use the '${ref.type}' option`);
    const s = snapshotById(m, ref['snapshot-id']);
    if (!s) throw new ConnectorError(`The ${kind} '${name}' points to snapshot ${ref['snapshot-id']}, which is not in the table metadata`);
    return s;
  }
  if (opts.snapshotId !== undefined && opts.snapshotId !== '') {
    const s = snapshotById(m, BigInt(opts.snapshotId));
    if (!s) throw new ConnectorError(`Snapshot ${opts.snapshotId} does not exist`);
    return s;
  }
  if (opts.asOfTimestamp !== undefined && opts.asOfTimestamp !== '') {
    const ts = /^\d+$/.test(opts.asOfTimestamp.trim()) ? Number(opts.asOfTimestamp) : Date.parse(opts.asOfTimestamp);
    if (!Number.isFinite(ts)) throw new ConnectorError(`Invalid as-of-timestamp '${opts.asOfTimestamp}'`);
    const s = snapshotAsOf(m, ts);
    if (!s) throw new ConnectorError(`No snapshot of the table was current at ${new Date(ts).toISOString()}`);
    return s;
  }
  return currentSnapshot(m);
}

// ---- pruning ---------------------------------------------------------------------------------

function fieldByName(schema: IcebergSchema, name: string): IcebergField | undefined {
  return schema.fields.find((f) => f.name === name) ?? schema.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

function comparable(t: IcebergType, v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (t === 'string') return typeof v === 'string';
  if (t === 'boolean') return typeof v === 'boolean';
  if (t === 'binary' || t === 'uuid' || (typeof t === 'string' && t.startsWith('fixed'))) return v instanceof Uint8Array;
  if (typeof t !== 'string') return false;
  return typeof v === 'number' && !Number.isNaN(v);
}

/** Whether a file may hold rows matching all predicates (false = skip it). */
export function fileMayMatch(f: DataFile, schema: IcebergSchema, spec: PartitionSpec | undefined, preds: readonly PushdownPredicate[]): boolean {
  for (const p of preds) {
    const field = fieldByName(schema, p.column);
    if (!field || typeof field.type !== 'string') continue;
    const t = field.type;
    const id = field.id;
    // The partition values: the predicate projected through each transform of the column.
    // Identity values are exact, so the column metrics need not be consulted after them.
    let exact = false;
    for (const [pi, pf] of (spec?.fields ?? []).entries()) {
      if (pf['source-id'] !== id) continue;
      const proj = projectedFor(pf, t, p);
      if (!proj) continue;
      if (!partitionMatches(partitionFieldType(schema, pf), f.partition[pi], proj.pred)) return false;
      if (proj.identity) exact = true;
    }
    if (exact) continue;
    const valueCount = f.valueCounts?.[id];
    const nullCount = f.nullValueCounts?.[id];
    const nanCount = f.nanValueCounts?.[id];
    if (p.op === 'IS NULL') {
      if (nullCount === 0) return false;
      continue;
    }
    const allNull = valueCount !== undefined && nullCount !== undefined && nullCount === valueCount;
    if (p.op === 'IS NOT NULL') {
      if (allNull) return false;
      continue;
    }
    if (allNull) return false; // comparisons with NULL are never true
    if ((t === 'float' || t === 'double') && (nanCount === undefined || nanCount > 0)) continue;
    const lo = f.lowerBounds?.[id] ? fromBytes(t, f.lowerBounds[id]) : undefined;
    const hi = f.upperBounds?.[id] ? fromBytes(t, f.upperBounds[id]) : undefined;
    if (!rangeMayMatch(t, lo, hi, p)) return false;
  }
  return true;
}

function rangeMayMatch(t: IcebergType, lo: unknown, hi: unknown, p: PushdownPredicate): boolean {
  const below = (v: unknown) => lo !== undefined && compareValues(t, v, lo) < 0; // v < lower
  const above = (v: unknown) => hi !== undefined && compareValues(t, v, hi) > 0; // v > upper
  switch (p.op) {
    case '=':
      if (!comparable(t, p.value)) return true;
      return !(below(p.value) || above(p.value));
    case 'IN': {
      const vals = p.values.filter((v) => v !== null && v !== undefined);
      if (vals.some((v) => !comparable(t, v))) return true;
      return vals.some((v) => !(below(v) || above(v)));
    }
    case '<':
      if (!comparable(t, p.value) || lo === undefined) return true;
      return compareValues(t, lo, p.value) < 0;
    case '<=':
      if (!comparable(t, p.value) || lo === undefined) return true;
      return compareValues(t, lo, p.value) <= 0;
    case '>':
      if (!comparable(t, p.value) || hi === undefined) return true;
      return compareValues(t, hi, p.value) > 0;
    case '>=':
      if (!comparable(t, p.value) || hi === undefined) return true;
      return compareValues(t, hi, p.value) >= 0;
    default:
      return true;
  }
}

function partitionMatches(t: IcebergType, v: unknown, p: PushdownPredicate): boolean {
  if (p.op === 'IS NULL') return v === null || v === undefined;
  if (p.op === 'IS NOT NULL') return !(v === null || v === undefined);
  if (v === null || v === undefined) return false;
  if (p.op === 'IN') {
    const vals = p.values.filter((x) => x !== null && x !== undefined);
    if (vals.some((x) => !comparable(t, x))) return true;
    return vals.some((x) => compareValues(t, v, x) === 0);
  }
  const pv = (p as { value: unknown }).value;
  if (!comparable(t, pv) || !comparable(t, v)) return true;
  const c = compareValues(t, v, pv);
  switch (p.op) {
    case '=':
      return c === 0;
    case '<>':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

/** Whether a manifest's partition summaries allow matching rows. */
function manifestMayMatch(mf: ManifestFile, schema: IcebergSchema, spec: PartitionSpec | undefined, preds: readonly PushdownPredicate[]): boolean {
  if (!spec || !mf.partitions || mf.partitions.length !== spec.fields.length) return true;
  for (const q of preds) {
    const field = fieldByName(schema, q.column);
    if (!field) continue;
    for (const [pi, pf] of spec.fields.entries()) {
      if (pf['source-id'] !== field.id) continue;
      const proj = projectedFor(pf, field.type, q);
      if (proj && !summaryMayMatch(mf.partitions[pi], partitionFieldType(schema, pf), proj.pred)) return false;
    }
  }
  return true;
}

/** A predicate on a column as one on a partition field of it (undefined: no pruning follows). */
function projectedFor(pf: PartitionSpec['fields'][number], sourceType: IcebergType, p: PushdownPredicate): { pred: PushdownPredicate; identity: boolean } | undefined {
  let tr;
  try {
    tr = parseTransform(pf.transform);
  } catch {
    return undefined; // a transform this version does not know: no pruning on it
  }
  if (typeof sourceType !== 'string') return undefined;
  const pred = projectPredicate(tr, sourceType, p);
  return pred ? { pred, identity: tr.kind === 'identity' } : undefined;
}

/** Whether a manifest's summary of one partition field allows a (projected) predicate. */
function summaryMayMatch(s: FieldSummary, t: IcebergType, p: PushdownPredicate): boolean {
  if (p.op === 'IS NULL') return s.containsNull;
  if (p.op === 'IS NOT NULL' || p.op === '<>') return true;
  if (t === 'float' || t === 'double') return true;
  if (!s.lowerBound && !s.upperBound) return !s.containsNull; // only nulls: no comparison can match
  const lo = s.lowerBound ? fromBytes(t, s.lowerBound) : undefined;
  const hi = s.upperBound ? fromBytes(t, s.upperBound) : undefined;
  return rangeMayMatch(t, lo, hi, p);
}

export interface PlannedScan {
  snapshot: Snapshot | undefined;
  files: DataFile[];
  /** One task per file of `files`: the file and the delete files that apply to it. */
  tasks: ScanTask[];
  /** Live delete files in the snapshot. */
  deleteFiles: number;
  /** Data files in the snapshot before pruning. */
  totalFiles: number;
  manifestsRead: number;
  manifestsSkipped: number;
}

export async function planFiles(ops: TableOperations, m: TableMetadata, snapshot: Snapshot | undefined, filters: readonly PushdownPredicate[] = []): Promise<PlannedScan> {
  const out: PlannedScan = { snapshot, files: [], tasks: [], deleteFiles: 0, totalFiles: 0, manifestsRead: 0, manifestsSkipped: 0 };
  if (!snapshot) return out;
  const schema = currentSchema(m);
  const manifests = await readManifestList(ops.io, snapshot['manifest-list']);
  const deletes = new DeleteIndex((id) => specById(m, id));
  const seqs: number[] = [];
  for (const mf of manifests) {
    if (mf.content === 0) continue;
    if (mf.content !== 1) throw new UnsupportedError(`Iceberg table ${ops.name}: manifest ${mf.manifestPath} has unknown content ${mf.content}`);
    for (const e of await readManifest(ops.io, mf, schema, specById(m, mf.partitionSpecId))) {
      if (e.status === 2) continue;
      deletes.add(e.dataFile, e.sequenceNumber ?? mf.sequenceNumber);
    }
  }
  out.deleteFiles = deletes.size;
  for (const mf of manifests) {
    if (mf.content !== 0) continue;
    const spec = specById(m, mf.partitionSpecId);
    if (!manifestMayMatch(mf, schema, spec, filters)) {
      out.manifestsSkipped++;
      out.totalFiles += mf.addedFilesCount + mf.existingFilesCount;
      continue;
    }
    out.manifestsRead++;
    for (const e of await readManifest(ops.io, mf, schema, spec)) {
      if (e.status === 2) continue;
      if (e.dataFile.content !== 0) continue;
      out.totalFiles++;
      if (fileMayMatch(e.dataFile, schema, spec, filters)) {
        out.files.push(e.dataFile);
        seqs.push(e.sequenceNumber ?? mf.sequenceNumber);
      }
    }
  }
  out.tasks = out.files.map((f, i) => ({ path: f.filePath, deletes: deletes.forDataFile(f, seqs[i]) }));
  return out;
}

// ---- the source ------------------------------------------------------------------------------

export class IcebergSource implements DynamicSource {
  readonly bounded: boolean;
  private ops!: TableOperations;
  /** Data files still to read (with their delete files), in order. */
  private queue: ScanTask[] = [];
  private next = 0;
  /** Row group of queue[next] to read next. */
  private group = 0;
  private fields: IcebergField[] = [];
  private metadataRows: Row[] | undefined;
  private metadataDone = false;
  private current: { path: string; bytes: Uint8Array; groupRows: number[] } | undefined;
  private deleteFilter: DeleteFilter | undefined;
  /** Field ids of every schema of the table (for the columns equality deletes compare). */
  private fieldsById = new Map<number, IcebergField>();
  /** The snapshot whose files are all in the queue (streaming: the last one discovered). */
  private lastSnapshotId: bigint | null = null;
  private lastCheck = 0;
  private readonly monitorMs: number;
  /** What the last plan did (for EXPLAIN-like output and tests). */
  plan: PlannedScan | undefined;
  filesRead = 0;

  constructor(
    private readonly loadOps: () => Promise<TableOperations>,
    private readonly table: TableDescriptor,
    private readonly scan: ScanRequest,
    private readonly options: ScanOptions = {},
    private readonly metadataKind?: MetadataTableKind,
  ) {
    if (scan.metadataKeys && scan.metadataKeys.length > 0) {
      throw new UnsupportedError(`The Iceberg source has no metadata columns (asked for ${scan.metadataKeys.join(', ')})`);
    }
    // Data files will be read: parquet-wasm compiles in the background while the job is set up.
    if (!metadataKind) void loadParquet().catch(() => undefined);
    const streaming = options.streaming === true && !scan.batch && !metadataKind;
    this.bounded = !streaming;
    this.monitorMs = options.monitorIntervalMs ?? 10_000;
  }

  async checkpointIdentity(): Promise<ConnectorIdentity | undefined> {
    if (this.metadataKind) return undefined; // a metadata table has no position to resume
    this.ops ??= await this.loadOps();
    return icebergIdentity(this.ops.name, await this.ops.load());
  }

  async open(ctx: RuntimeContext, restoredState?: unknown): Promise<void> {
    this.ops ??= await this.loadOps();
    const m = await this.ops.load();
    const projection = this.scan.projection ?? this.table.physical.map((_, i) => i);
    if (this.metadataKind) {
      const all = await metadataTableRows(this.metadataKind, this.ops, m);
      const names = metadataTableFields(this.metadataKind, m).map((f) => f.name.toLowerCase());
      const idx = projection.map((i) => names.indexOf(this.table.physical[i].name.toLowerCase()));
      this.metadataRows = all.map((r) => idx.map((i) => (i < 0 ? null : r[i])));
      return;
    }
    const schema = currentSchema(m);
    for (const sc of m.schemas) for (const [id, f] of indexById(sc)) if (sc === schema || !this.fieldsById.has(id)) this.fieldsById.set(id, f);
    for (const [id, f] of indexById(schema)) this.fieldsById.set(id, f);
    this.deleteFilter = new DeleteFilter(this.ops.io, (id) => this.fieldsById.get(id));
    this.fields = projection.map((i) => {
      const name = this.table.physical[i].name;
      const f = fieldByName(schema, name);
      if (!f) throw new ConnectorError(`Column '${name}' is not in Iceberg table ${this.ops.name}`);
      return f;
    });
    const st = restoredState as { snapshotId?: string | null; remaining?: (string | ScanTask)[]; group?: number } | undefined;
    if (st && Array.isArray(st.remaining)) {
      // States of older versions hold bare paths (files without deletes).
      this.queue = st.remaining.map((t) => (typeof t === 'string' ? { path: t, deletes: [] } : t));
      this.group = st.group ?? 0;
      this.lastSnapshotId = st.snapshotId ? BigInt(st.snapshotId) : null;
      return;
    }
    if (!this.bounded) {
      const start = streamingStart(m, this.options);
      if (!start.scanFirst) {
        // Incremental from the start snapshot: the first discovery (at once) reads the files each
        // append snapshot added after `lastSnapshotId`.
        const parent = start.snapshot?.['parent-snapshot-id'];
        const from = !start.snapshot ? null : !start.inclusive ? start.snapshot['snapshot-id'] : parent !== undefined && parent !== null && snapshotById(m, parent) ? parent : null;
        ctx.log('info', `Iceberg ${this.ops.name}: streaming from snapshot ${start.snapshot?.['snapshot-id'] ?? '(none yet)'} (${start.inclusive ? 'inclusive' : 'exclusive'}, ${this.options.startingStrategy ?? 'INCREMENTAL_FROM_LATEST_SNAPSHOT'})`);
        this.queue = [];
        this.lastSnapshotId = from;
        this.lastCheck = 0;
        return;
      }
    } else if ((this.options.startSnapshotId ?? '') !== '' || (this.options.endSnapshotId ?? '') !== '') {
      await this.openIncrementalBatch(ctx, m);
      return;
    }
    const snapshot = selectSnapshot(m, this.options);
    this.plan = await planFiles(this.ops, m, snapshot, this.scan.filters ?? []);
    const p = this.plan;
    if (snapshot) {
      ctx.log(
        'info',
        `Iceberg ${this.ops.name}: snapshot ${snapshot['snapshot-id']}: reading ${p.tasks.length} of ${p.totalFiles} data files (${p.totalFiles - p.tasks.length} skipped by partition values and column bounds; ${p.manifestsSkipped} of ${p.manifestsRead + p.manifestsSkipped} manifests skipped)`,
      );
    }
    this.queue = [...this.plan.tasks];
    this.lastSnapshotId = snapshot ? snapshot['snapshot-id'] : null;
    this.lastCheck = Date.now();
  }

  async poll(timeoutMs = 0): Promise<SourceBatch[] | null> {
    if (this.metadataKind) {
      if (this.metadataDone) return null;
      this.metadataDone = true;
      return [{ split: this.table.path.table, rows: this.metadataRows ?? [] }];
    }
    if (this.next >= this.queue.length) {
      if (this.bounded) return null;
      await this.discover(timeoutMs);
      if (this.next >= this.queue.length) return [];
    }
    // One row group per poll: a large file is never turned into rows all at once.
    const task = this.queue[this.next];
    const path = task.path;
    if (!this.current || this.current.path !== path) {
      const bytes = await this.ops.io.read(path);
      this.current = { path, bytes, groupRows: parquetRowGroupRows(bytes) };
      this.filesRead++;
    }
    const c = this.current;
    const groups = c.groupRows.length;
    // Equality deletes compare columns the query may not project: read them too, then drop them.
    const extra = DeleteFilter.equalityFieldIds(task.deletes)
      .filter((id) => !this.fields.some((f) => f.id === id))
      .map((id) => {
        const f = this.fieldsById.get(id);
        if (!f) throw new ConnectorError(`Iceberg table ${this.ops.name}: an equality delete compares field id ${id}, which no schema has`);
        return f;
      });
    const readFields = extra.length ? [...this.fields, ...extra] : this.fields;
    let rows = await readParquetRows(c.bytes, readFields, groups <= 1 ? undefined : [this.group]);
    if (task.deletes.length > 0) {
      let firstPos = 0;
      for (let g = 0; g < this.group && groups > 1; g++) firstPos += c.groupRows[g];
      rows = await this.deleteFilter!.apply(path, task.deletes, rows, firstPos, (id) => readFields.findIndex((f) => f.id === id));
      if (extra.length) rows = rows.map((r) => r.slice(0, this.fields.length));
    }
    this.group++;
    if (this.group >= Math.max(1, groups)) {
      this.current = undefined;
      this.group = 0;
      this.next++;
      if (this.next > 1024) {
        this.queue = this.queue.slice(this.next);
        this.next = 0;
      }
    }
    return [{ split: path, rows }];
  }

  /** Streaming: looks for snapshots appended since the last one seen (at most every monitor interval). */
  private async discover(timeoutMs: number): Promise<void> {
    const wait = this.lastCheck + this.monitorMs - Date.now();
    if (wait > 0) {
      await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, timeoutMs))));
      if (Date.now() < this.lastCheck + this.monitorMs) return;
    }
    this.lastCheck = Date.now();
    const m = await this.ops.load();
    const cur = this.options.branch ? branchHead(m, this.options.branch) : currentSnapshot(m);
    if (!cur || cur['snapshot-id'] === this.lastSnapshotId) return;
    const fresh: Snapshot[] = [];
    let found = this.lastSnapshotId === null;
    for (const s of ancestors(m, cur)) {
      if (s['snapshot-id'] === this.lastSnapshotId) {
        found = true;
        break;
      }
      fresh.push(s);
    }
    if (!found) {
      throw new ConnectorError(`Iceberg table ${this.ops.name}: snapshot ${this.lastSnapshotId} is no longer an ancestor of the current snapshot (expired or rolled back); cannot continue reading incrementally`);
    }
    await this.queueAppends(m, fresh.reverse());
    this.lastSnapshotId = cur['snapshot-id'];
  }

  /** Queues the data files that these snapshots (oldest first) appended; other operations are
   *  passed over or refused by the skip options. */
  private async queueAppends(m: TableMetadata, snapshots: Snapshot[]): Promise<void> {
    const schema = currentSchema(m);
    for (const s of snapshots) {
      const op = s.summary?.operation;
      if (op === 'replace') continue; // compaction: same rows, new files
      if (op === 'delete' && this.options.skipDeleteSnapshots) continue;
      if (op === 'overwrite' && this.options.skipOverwriteSnapshots) continue;
      if (op !== 'append') {
        const option = op === 'delete' ? 'streaming-skip-delete-snapshots' : op === 'overwrite' ? 'streaming-skip-overwrite-snapshots' : undefined;
        throw new UnsupportedError(
          `Iceberg table ${this.ops.name}: snapshot ${s['snapshot-id']} is a '${op}'; streaming reads follow appends only` +
            (option ? ` (${option} is 'false'; with 'true', the default, such snapshots are passed over as Flink's Iceberg source does)` : ''),
        );
      }
      for (const mf of await readManifestList(this.ops.io, s['manifest-list'])) {
        if (mf.content !== 0 || mf.addedSnapshotId !== s['snapshot-id']) continue;
        const spec = specById(m, mf.partitionSpecId);
        for (const e of await readManifest(this.ops.io, mf, schema, spec)) {
          if (e.status !== 1 || e.snapshotId !== s['snapshot-id']) continue;
          // An appended file is newer than every delete file already in the table: none applies.
          if (fileMayMatch(e.dataFile, schema, spec, this.scan.filters ?? [])) this.queue.push({ path: e.dataFile.filePath, deletes: [] });
        }
      }
    }
  }

  /**
   * Batch with 'start-snapshot-id' / 'end-snapshot-id': the files appended after the start
   * snapshot (exclusive) up to the end snapshot (inclusive; default the current one), as Flink's
   * Iceberg source plans an incremental append scan.
   */
  private async openIncrementalBatch(ctx: RuntimeContext, m: TableMetadata): Promise<void> {
    const endText = this.options.endSnapshotId ?? '';
    const end = endText !== '' ? snapshotById(m, snapshotIdOption(endText, 'end-snapshot-id')) : this.options.branch ? branchHead(m, this.options.branch) : currentSnapshot(m);
    if (!end) throw new ConnectorError(endText !== '' ? `End snapshot id not found in history: ${endText.trim()} ('end-snapshot-id')` : `Iceberg table ${this.ops.name} has no snapshot to read incrementally`);
    const startText = this.options.startSnapshotId ?? '';
    const start = startText !== '' ? snapshotIdOption(startText, 'start-snapshot-id') : null;
    const chain: Snapshot[] = [];
    let found = start === null;
    for (const s of ancestors(m, end)) {
      if (s['snapshot-id'] === start) {
        found = true;
        break;
      }
      chain.push(s);
    }
    if (!found) throw new ConnectorError(`Starting snapshot (exclusive) ${start} is not a parent ancestor of end snapshot ${end['snapshot-id']} ('start-snapshot-id', 'end-snapshot-id')`);
    this.queue = [];
    await this.queueAppends(m, chain.reverse());
    ctx.log('info', `Iceberg ${this.ops.name}: appends after snapshot ${start ?? '(none)'} up to ${end['snapshot-id']}: reading ${this.queue.length} data files`);
    this.lastSnapshotId = end['snapshot-id'];
  }

  splits(): string[] {
    return this.bounded ? this.queue.slice(this.next).map((t) => t.path) : [this.table.path.table];
  }

  snapshotState(): unknown {
    return {
      snapshotId: this.lastSnapshotId === null ? null : String(this.lastSnapshotId),
      remaining: this.queue.slice(this.next).map((t) => (t.deletes.length === 0 ? t.path : t)),
      group: this.group,
    };
  }

  async close(): Promise<void> {
    this.current = undefined;
  }
}
