// Table maintenance (scenario S5's OPTIMIZE … BIN_PACK and VACUUM): compact small data files
// into larger ones (a 'replace' snapshot that marks the old files DELETED and adds the new
// ones) and expire old snapshots, deleting the files only they referenced.
import { randomUUID } from 'node:crypto';
import { ConnectorError } from '../../common/errors.js';
import { joinPath, walkFiles } from '../../io/fileio.js';
import {
  CommitConflictError,
  ancestors,
  currentSchema,
  currentSnapshot,
  defaultSpec,
  newSnapshotId,
  specById,
  type Snapshot,
  type TableMetadata,
} from './metadata.js';
import { readManifest, readManifestList, writeManifest, writeManifestList, type DataFile, type ManifestEntry, type ManifestFile } from './manifest.js';
import { readParquetRows } from './parquet.js';
import { DeleteFilter, DeleteIndex } from './deletes.js';
import { indexById, type IcebergField } from './schema.js';
import type { TableOperations } from './table.js';
import { DataFileWriter } from './writer.js';

export interface RewriteOptions {
  /** Files smaller than this are compacted (default: 3/4 of write.target-file-size-bytes). */
  smallFileBytes?: number;
  /** A partition is compacted only when it has at least this many small files (default 2). */
  minInputFiles?: number;
  maxRetries?: number;
  /** Only files this accepts are compacted (OPTIMIZE … WHERE: the partitions it names). */
  include?: (f: DataFile) => boolean;
}

export interface RewriteResult {
  rewrittenFiles: number;
  addedFiles: number;
  snapshotId?: bigint;
}

const partitionKey = (f: DataFile) => JSON.stringify([f.specId, f.partition], (_k, v) => (v instanceof Uint8Array ? [...v] : v));

/** Bin-packs small data files of each partition into files of about the target size. */
export async function rewriteDataFiles(ops: TableOperations, opts: RewriteOptions = {}): Promise<RewriteResult> {
  for (let attempt = 0; ; attempt++) {
    const base = await ops.load();
    const snap = currentSnapshot(base);
    if (!snap) return { rewrittenFiles: 0, addedFiles: 0 };
    const schema = currentSchema(base);
    const spec = defaultSpec(base);
    const target = Number(base.properties['write.target-file-size-bytes'] ?? 512 * 1024 * 1024);
    const small = opts.smallFileBytes ?? Math.floor(target * 0.75);
    const manifests = await readManifestList(ops.io, snap['manifest-list']);
    // Row-level deletes (upserts) are applied while rewriting: the new files, with a newer
    // sequence number than every delete file, hold only the live rows, and no delete applies to
    // them any more. The delete files stay for the data files not rewritten.
    const deleteIndex = new DeleteIndex((id) => specById(base, id));
    const dataSeq = new Map<string, number>();
    const entriesByManifest = new Map<string, ManifestEntry[]>();
    for (const mf of manifests) {
      const entries = await readManifest(ops.io, mf, schema, specById(base, mf.partitionSpecId));
      entriesByManifest.set(mf.manifestPath, entries);
      for (const e of entries) {
        if (e.status === 2) continue;
        if (e.dataFile.content !== 0) deleteIndex.add(e.dataFile, e.sequenceNumber ?? mf.sequenceNumber);
        else dataSeq.set(e.dataFile.filePath, e.sequenceNumber ?? mf.sequenceNumber);
      }
    }
    const groups = new Map<string, DataFile[]>();
    for (const mf of manifests) {
      for (const e of entriesByManifest.get(mf.manifestPath) ?? []) {
        if (e.status === 2 || e.dataFile.content !== 0) continue;
        if (e.dataFile.specId !== spec['spec-id'] || e.dataFile.fileSizeInBytes >= small) continue;
        if (opts.include && !opts.include(e.dataFile)) continue;
        const k = partitionKey(e.dataFile);
        (groups.get(k) ?? groups.set(k, []).get(k)!).push(e.dataFile);
      }
    }
    const inputs = [...groups.values()].filter((g) => g.length >= (opts.minInputFiles ?? 2));
    if (inputs.length === 0) return { rewrittenFiles: 0, addedFiles: 0 };

    // Write the compacted files.
    const writer = new DataFileWriter({
      io: ops.io,
      dataLocation: base.properties['write.data.path'] ?? joinPath(base.location, 'data'),
      schema,
      spec,
      properties: base.properties,
      columnIndex: schema.fields.map((_, i) => i),
      filePrefix: `rewrite-${randomUUID()}`,
    });
    const removed = new Set<string>();
    let removedRecords = 0;
    let removedSize = 0;
    let liveRecords = 0;
    const fieldsById = new Map<number, IcebergField>();
    for (const sc of base.schemas) for (const [id, f] of indexById(sc)) fieldsById.set(id, f);
    for (const [id, f] of indexById(schema)) fieldsById.set(id, f);
    const filter = new DeleteFilter(ops.io, (id) => fieldsById.get(id));
    for (const group of inputs) {
      for (const f of group) {
        const deletes = deleteIndex.forDataFile(f, dataSeq.get(f.filePath) ?? 0);
        // Equality deletes may compare a column dropped since: read it too, then leave it out.
        const extra = DeleteFilter.equalityFieldIds(deletes)
          .filter((id) => !schema.fields.some((x) => x.id === id))
          .map((id) => {
            const x = fieldsById.get(id);
            if (!x) throw new ConnectorError(`Table ${ops.name}: an equality delete compares field id ${id}, which no schema has`);
            return x;
          });
        const readFields = [...schema.fields, ...extra];
        let rows = await readParquetRows(await ops.io.read(f.filePath), readFields);
        rows = await filter.apply(f.filePath, deletes, rows, 0, (id) => readFields.findIndex((x) => x.id === id));
        if (extra.length) rows = rows.map((r) => r.slice(0, schema.fields.length));
        await writer.write(rows);
        removed.add(f.filePath);
        removedRecords += f.recordCount;
        removedSize += f.fileSizeInBytes;
        liveRecords += rows.length;
      }
    }
    const added = await writer.flush();
    const addedRecords = added.reduce((a, f) => a + f.recordCount, 0);
    if (addedRecords !== liveRecords) throw new ConnectorError(`Compaction of ${ops.name} read ${liveRecords} live records but wrote ${addedRecords}`);
    try {
      const snapshotId = await commitReplace(ops, base, snap, manifests, entriesByManifest, removed, added, {
        removedRecords,
        removedSize,
        partitions: inputs.length,
      });
      return { rewrittenFiles: removed.size, addedFiles: added.length, snapshotId };
    } catch (e) {
      // The new files are not part of the table: remove them, then plan again on the new state.
      for (const f of added) await ops.io.delete(f.filePath).catch(() => undefined);
      if (e instanceof CommitConflictError && attempt < (opts.maxRetries ?? 3)) continue;
      throw e;
    }
  }
}

async function commitReplace(
  ops: TableOperations,
  base: TableMetadata,
  parent: Snapshot,
  manifests: ManifestFile[],
  entriesByManifest: Map<string, ManifestEntry[]>,
  removed: Set<string>,
  added: DataFile[],
  stats: { removedRecords: number; removedSize: number; partitions: number },
): Promise<bigint> {
  const schema = currentSchema(base);
  const spec = defaultSpec(base);
  const snapshotId = newSnapshotId();
  const seq = base['last-sequence-number'] + 1;
  const dir = joinPath(base.location, 'metadata');
  const uuid = randomUUID();
  const out: ManifestFile[] = [];
  let k = 0;
  if (added.length > 0) {
    const m = await writeManifest({
      io: ops.io,
      location: joinPath(dir, `${uuid}-m${k++}.avro`),
      schema,
      spec,
      snapshotId,
      entries: added.map((f) => ({ status: 1, snapshotId, sequenceNumber: null, fileSequenceNumber: null, dataFile: f })),
    });
    out.push({ ...m, sequenceNumber: seq, minSequenceNumber: seq });
  }
  for (const mf of manifests) {
    const entries = entriesByManifest.get(mf.manifestPath)!;
    if (!entries.some((e) => e.status !== 2 && removed.has(e.dataFile.filePath))) {
      out.push(mf);
      continue;
    }
    const rewritten: ManifestEntry[] = [];
    for (const e of entries) {
      if (e.status === 2) continue; // deletes of earlier snapshots are dropped
      if (removed.has(e.dataFile.filePath)) rewritten.push({ ...e, status: 2, snapshotId });
      else rewritten.push({ ...e, status: 0 }); // readManifest resolved inherited sequence numbers: kept as they are
    }
    const m = await writeManifest({
      io: ops.io,
      location: joinPath(dir, `${uuid}-m${k++}.avro`),
      schema,
      spec: specById(base, mf.partitionSpecId) ?? spec,
      snapshotId,
      entries: rewritten,
    });
    const live = rewritten.filter((e) => e.status === 0).map((e) => e.sequenceNumber ?? seq);
    out.push({ ...m, sequenceNumber: seq, minSequenceNumber: live.length ? Math.min(...live) : seq });
  }
  const listLocation = joinPath(dir, `snap-${snapshotId}-1-${uuid}.avro`);
  await writeManifestList(ops.io, listLocation, out, { snapshotId, parentSnapshotId: parent['snapshot-id'], sequenceNumber: seq });
  const ps = parent.summary;
  const addedRecords = added.reduce((a, f) => a + f.recordCount, 0);
  const addedSize = added.reduce((a, f) => a + f.fileSizeInBytes, 0);
  const num = (key: string) => Number(ps[key] ?? 0);
  const summary: Snapshot['summary'] = {
    operation: 'replace',
    'added-data-files': String(added.length),
    'deleted-data-files': String(removed.size),
    'added-records': String(addedRecords),
    'deleted-records': String(stats.removedRecords),
    'added-files-size': String(addedSize),
    'removed-files-size': String(stats.removedSize),
    'changed-partition-count': String(stats.partitions),
    'total-records': String(num('total-records') - stats.removedRecords + addedRecords),
    'total-files-size': String(num('total-files-size') - stats.removedSize + addedSize),
    'total-data-files': String(num('total-data-files') - removed.size + added.length),
    'total-delete-files': String(num('total-delete-files')),
    'total-position-deletes': String(num('total-position-deletes')),
    'total-equality-deletes': String(num('total-equality-deletes')),
    'engine-name': 'tsstream',
  };
  try {
    await ops.commit(
      base,
      [
        {
          action: 'add-snapshot',
          snapshot: {
            'sequence-number': seq,
            'snapshot-id': snapshotId,
            'parent-snapshot-id': parent['snapshot-id'],
            'timestamp-ms': Math.max(Date.now(), parent['timestamp-ms'] + 1),
            summary,
            'manifest-list': listLocation,
            'schema-id': schema['schema-id'],
          },
        },
        { action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': snapshotId },
      ],
      [
        { type: 'assert-table-uuid', uuid: base['table-uuid'] },
        { type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': parent['snapshot-id'] },
      ],
    );
  } catch (e) {
    await ops.io.delete(listLocation).catch(() => undefined);
    throw e;
  }
  return snapshotId;
}

export interface ExpireOptions {
  /** Snapshots older than this (ms since the epoch) may expire (default: now − 5 days). */
  olderThanMs?: number;
  /** The newest snapshots of main kept whatever their age (default 1). */
  retainLast?: number;
}

export interface ExpireResult {
  expiredSnapshots: number;
  deletedFiles: number;
}

/**
 * Removes old snapshots from the table metadata and deletes the manifest lists, manifests and
 * data files that no remaining snapshot references.
 */
export async function expireSnapshots(ops: TableOperations, opts: ExpireOptions = {}): Promise<ExpireResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await expireOnce(ops, opts);
    } catch (e) {
      if (e instanceof CommitConflictError && attempt < 5) continue;
      throw e;
    }
  }
}

async function expireOnce(ops: TableOperations, opts: ExpireOptions): Promise<ExpireResult> {
  const base = await ops.load();
  const olderThan = opts.olderThanMs ?? Date.now() - 5 * 86_400_000;
  const retainLast = Math.max(1, opts.retainLast ?? 1);
  const keep = new Set<bigint>();
  for (const ref of Object.values(base.refs)) keep.add(ref['snapshot-id']);
  let i = 0;
  for (const s of ancestors(base, currentSnapshot(base))) {
    if (i++ < retainLast || s['timestamp-ms'] >= olderThan) keep.add(s['snapshot-id']);
  }
  for (const s of base.snapshots) if (s['timestamp-ms'] >= olderThan) keep.add(s['snapshot-id']);
  const expired = base.snapshots.filter((s) => !keep.has(s['snapshot-id']));
  if (expired.length === 0) return { expiredSnapshots: 0, deletedFiles: 0 };

  // What the retained snapshots still need.
  const schema = currentSchema(base);
  const liveLists = new Set<string>();
  const liveManifests = new Set<string>();
  const liveFiles = new Set<string>();
  for (const s of base.snapshots.filter((x) => keep.has(x['snapshot-id']))) {
    liveLists.add(s['manifest-list']);
    for (const mf of await readManifestList(ops.io, s['manifest-list'])) {
      if (liveManifests.has(mf.manifestPath)) continue;
      liveManifests.add(mf.manifestPath);
      for (const e of await readManifest(ops.io, mf, schema, specById(base, mf.partitionSpecId))) {
        if (e.status !== 2) liveFiles.add(e.dataFile.filePath);
      }
    }
  }
  await ops.commit(
    base,
    [{ action: 'remove-snapshots', 'snapshot-ids': expired.map((s) => s['snapshot-id']) }],
    [{ type: 'assert-table-uuid', uuid: base['table-uuid'] }],
  );
  // Only after the commit: delete what nothing references any more.
  const doomed = new Set<string>();
  for (const s of expired) {
    if (!liveLists.has(s['manifest-list'])) doomed.add(s['manifest-list']);
    let list: ManifestFile[] = [];
    try {
      list = await readManifestList(ops.io, s['manifest-list']);
    } catch {
      continue;
    }
    for (const mf of list) {
      if (liveManifests.has(mf.manifestPath)) continue;
      doomed.add(mf.manifestPath);
      try {
        for (const e of await readManifest(ops.io, mf, schema, specById(base, mf.partitionSpecId))) {
          if (!liveFiles.has(e.dataFile.filePath)) doomed.add(e.dataFile.filePath);
        }
      } catch {
        /* already gone */
      }
    }
  }
  let deleted = 0;
  for (const f of doomed) {
    await ops.io.delete(f).then(
      () => deleted++,
      () => undefined,
    );
  }
  return { expiredSnapshots: expired.length, deletedFiles: deleted };
}

export interface OrphanOptions {
  /** Only files older than this (ms since the epoch) are removed (default: now − 3 days), so that
   * files of writes still in flight survive. */
  olderThanMs?: number;
  /** List what would be removed without removing it. */
  dryRun?: boolean;
}

/**
 * Deletes files under the table's location that no metadata references: data files of
 * crashed writers, manifests of lost commit attempts, old metadata files dropped from the log.
 */
export async function removeOrphanFiles(ops: TableOperations, opts: OrphanOptions = {}): Promise<string[]> {
  const m = await ops.load();
  const olderThan = opts.olderThanMs ?? Date.now() - 3 * 86_400_000;
  const schema = currentSchema(m);
  const live = new Set<string>();
  const norm = (p: string) => p.replace(/^file:(\/\/)?/, '').replace(/\/+/g, '/');
  for (const e of m['metadata-log']) live.add(norm(e['metadata-file']));
  for (const s of m.snapshots) {
    live.add(norm(s['manifest-list']));
    for (const mf of await readManifestList(ops.io, s['manifest-list'])) {
      if (live.has(norm(mf.manifestPath))) continue;
      live.add(norm(mf.manifestPath));
      for (const e of await readManifest(ops.io, mf, schema, specById(m, mf.partitionSpecId))) live.add(norm(e.dataFile.filePath));
    }
  }
  const removed: string[] = [];
  for await (const f of walkFiles(ops.io, m.location)) {
    if (live.has(norm(f.location))) continue;
    // Table metadata versions and the version hint belong to the catalog, not to snapshots: the
    // current metadata file (`vN…` in a hadoop catalog, `NNNNN-<uuid>…` in Glue or REST) is in no
    // metadata log, and must never go.
    if (/\/metadata\/([^/]*\.metadata\.json(\.gz)?|version-hint\.text)$/.test(f.location)) continue;
    if (f.modifiedMs === undefined || f.modifiedMs >= olderThan) continue;
    removed.push(f.location);
    if (!opts.dryRun) await ops.io.delete(f.location);
  }
  return removed;
}
