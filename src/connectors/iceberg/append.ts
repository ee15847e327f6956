// Appending data files (and delete files: a row delta) as one new snapshot: write a manifest (once), then per attempt a
// manifest list on top of the current snapshot's manifests and a commit guarded by
// "main is still at the parent I built on". A lost race reloads and retries; an unknown
// outcome reloads and looks for the snapshot before retrying.
import { randomUUID } from 'node:crypto';
import { ConnectorError, UnsupportedError } from '../../common/errors.js';
import { joinPath } from '../../io/fileio.js';
import {
  branchHead,
  CommitConflictError,
  CommitStateUnknownError,
  currentSchema,
  currentSnapshot,
  newSnapshotId,
  snapshotById,
  specById,
  type Snapshot,
  type TableMetadata,
} from './metadata.js';
import { readManifest, readManifestList, writeManifest, writeManifestList, type DataFile, type ManifestEntry, type ManifestFile } from './manifest.js';
import type { TableOperations } from './table.js';

export interface AppendOptions {
  /** Extra snapshot summary entries (e.g. tsstream.job-id). */
  summary?: Record<string, string>;
  /** Returns true when the work is already in the table (then nothing is committed). */
  alreadyCommitted?: (m: TableMetadata) => boolean;
  maxRetries?: number;
  /** Commit to this branch (default main); a branch that does not exist is created from main's current snapshot. */
  branch?: string;
}

export interface AppendResult {
  committed: boolean;
  snapshotId?: bigint;
  metadata: TableMetadata;
}

function metadataDir(m: TableMetadata): string {
  return m.properties['write.metadata.path'] ?? joinPath(m.location, 'metadata');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function appendFiles(ops: TableOperations, files: DataFile[], opts: AppendOptions = {}): Promise<AppendResult> {
  let base = await ops.load();
  if (base['format-version'] < 2) {
    throw new UnsupportedError(`Table ${ops.name} is an Iceberg format v1 table; tsstream writes only to v2 tables`);
  }
  if (opts.alreadyCommitted?.(base)) return { committed: false, metadata: base };
  if (files.length === 0) return { committed: false, metadata: base };
  const maxRetries = opts.maxRetries ?? Number(base.properties['commit.retry.num-retries'] ?? 10);
  const snapshotId = newSnapshotId();
  const schema = currentSchema(base);
  const io = ops.io;
  const dir = metadataDir(base);
  const commitUuid = randomUUID();

  // One manifest per partition spec and content (data, deletes), written once for all attempts.
  const dataFiles = files.filter((f) => f.content === 0);
  const deleteFiles = files.filter((f) => f.content !== 0);
  const groups = new Map<string, { specId: number; content: 0 | 1; files: DataFile[] }>();
  for (const f of files) {
    const content = f.content === 0 ? 0 : 1;
    const key = `${f.specId}:${content}`;
    (groups.get(key) ?? groups.set(key, { specId: f.specId, content, files: [] }).get(key)!).files.push(f);
  }
  const newManifests: ManifestFile[] = [];
  let k = 0;
  for (const { specId, content, files: group } of groups.values()) {
    const spec = specById(base, specId);
    if (!spec) throw new ConnectorError(`Table ${ops.name} has no partition spec ${specId}`);
    newManifests.push(
      await writeManifest({
        io,
        location: joinPath(dir, `${commitUuid}-m${k++}.avro`),
        schema,
        spec,
        snapshotId,
        content,
        entries: group.map((f) => ({ status: 1, snapshotId, sequenceNumber: null, fileSequenceNumber: null, dataFile: f })),
      }),
    );
  }
  const addedRecords = dataFiles.reduce((a, f) => a + f.recordCount, 0);
  const addedSize = files.reduce((a, f) => a + f.fileSizeInBytes, 0);
  const eqDeletes = deleteFiles.filter((f) => f.content === 2);
  const posDeletes = deleteFiles.filter((f) => f.content === 1);
  const addedEqRecords = eqDeletes.reduce((a, f) => a + f.recordCount, 0);
  const addedPosRecords = posDeletes.reduce((a, f) => a + f.recordCount, 0);
  const partitions = new Set(files.map((f) => `${f.specId}:${JSON.stringify(f.partition, (_k, v) => (v instanceof Uint8Array ? [...v] : typeof v === 'bigint' ? String(v) : v))}`));

  for (let attempt = 0; ; attempt++) {
    const branch = opts.branch || 'main';
    const parent = branchHead(base, branch);
    const branchRef = base.refs[branch];
    const seq = base['last-sequence-number'] + 1;
    let existing = parent ? await readManifestList(io, parent['manifest-list']) : [];
    const merged = await mergeManifests(ops, base, existing, snapshotId, seq, joinPath(dir, `${commitUuid}-merged-${attempt + 1}.avro`));
    const summaryBasis = existing;
    if (merged) existing = merged;
    const manifests = [...newManifests.map((m) => ({ ...m, sequenceNumber: seq, minSequenceNumber: seq })), ...existing];
    const listLocation = joinPath(dir, `snap-${snapshotId}-${attempt + 1}-${commitUuid}.avro`);
    await writeManifestList(io, listLocation, manifests, {
      snapshotId,
      parentSnapshotId: parent ? parent['snapshot-id'] : null,
      sequenceNumber: seq,
    });
    const ps = parent?.summary ?? ({} as Record<string, string>);
    const prev = (key: string, fallback: number) => (ps[key] !== undefined ? Number(ps[key]) : fallback);
    const existingRecords = summaryBasis.reduce((a, m) => a + (m.content === 0 ? m.addedRowsCount + m.existingRowsCount : 0), 0);
    const existingFiles = summaryBasis.reduce((a, m) => a + (m.content === 0 ? m.addedFilesCount + m.existingFilesCount : 0), 0);
    // A commit with delete files is a row delta: Iceberg names it 'overwrite' ('delete' without data files).
    const summary: Snapshot['summary'] = {
      operation: deleteFiles.length === 0 ? 'append' : dataFiles.length === 0 ? 'delete' : 'overwrite',
      ...(dataFiles.length > 0 ? { 'added-data-files': String(dataFiles.length), 'added-records': String(addedRecords) } : {}),
      ...(deleteFiles.length > 0 ? { 'added-delete-files': String(deleteFiles.length) } : {}),
      ...(eqDeletes.length > 0 ? { 'added-equality-delete-files': String(eqDeletes.length), 'added-equality-deletes': String(addedEqRecords) } : {}),
      ...(posDeletes.length > 0 ? { 'added-position-delete-files': String(posDeletes.length), 'added-position-deletes': String(addedPosRecords) } : {}),
      'added-files-size': String(addedSize),
      'changed-partition-count': String(partitions.size),
      'total-records': String(prev('total-records', existingRecords) + addedRecords),
      'total-files-size': String(prev('total-files-size', 0) + addedSize),
      'total-data-files': String(prev('total-data-files', existingFiles) + dataFiles.length),
      'total-delete-files': String(prev('total-delete-files', 0) + deleteFiles.length),
      'total-position-deletes': String(prev('total-position-deletes', 0) + addedPosRecords),
      'total-equality-deletes': String(prev('total-equality-deletes', 0) + addedEqRecords),
      'engine-name': 'tsstream',
      ...(opts.summary ?? {}),
    };
    const snapshot: Snapshot = {
      'sequence-number': seq,
      'snapshot-id': snapshotId,
      ...(parent ? { 'parent-snapshot-id': parent['snapshot-id'] } : {}),
      'timestamp-ms': Math.max(Date.now(), (parent?.['timestamp-ms'] ?? 0) + 1),
      summary,
      'manifest-list': listLocation,
      'schema-id': schema['schema-id'],
    };
    try {
      const next = await ops.commit(
        base,
        [
          { action: 'add-snapshot', snapshot },
          { action: 'set-snapshot-ref', 'ref-name': branch, type: 'branch', 'snapshot-id': snapshotId },
        ],
        [
          { type: 'assert-table-uuid', uuid: base['table-uuid'] },
          {
            type: 'assert-ref-snapshot-id',
            ref: branch,
            'snapshot-id': branch === 'main' ? (parent ? parent['snapshot-id'] : null) : branchRef ? branchRef['snapshot-id'] : null,
          },
        ],
      );
      return { committed: true, snapshotId, metadata: next };
    } catch (e) {
      if (e instanceof CommitConflictError) {
        await io.delete(listLocation).catch(() => undefined);
        if (merged) await io.delete(merged[0].manifestPath).catch(() => undefined);
        if (attempt >= maxRetries) throw new ConnectorError(`Commit to ${ops.name} failed after ${attempt + 1} attempts: ${e.message}`, { cause: e });
        await sleep(Math.min(2000, 20 * 2 ** attempt) * (0.5 + Math.random()));
        base = await ops.load();
        if (opts.alreadyCommitted?.(base)) return { committed: false, metadata: base };
        continue;
      }
      if (e instanceof CommitStateUnknownError) {
        // Never delete files here: the commit may have landed.
        if (attempt >= maxRetries) throw e;
        await sleep(Math.min(2000, 50 * 2 ** attempt));
        base = await ops.load();
        if (snapshotById(base, snapshotId)) return { committed: true, snapshotId, metadata: base };
        if (opts.alreadyCommitted?.(base)) return { committed: false, metadata: base };
        continue;
      }
      throw e;
    }
  }
}

/**
 * Keeps the manifest list short under frequent small commits (streaming checkpoints): once
 * there are `commit.manifest.min-count-to-merge` (100) small data manifests of the default
 * spec, they are rewritten as one manifest of EXISTING entries. Returns the new list of
 * existing manifests, or undefined when nothing is merged.
 */
async function mergeManifests(
  ops: TableOperations,
  base: TableMetadata,
  existing: ManifestFile[],
  snapshotId: bigint,
  seq: number,
  location: string,
): Promise<ManifestFile[] | undefined> {
  const props = base.properties;
  if ((props['commit.manifest-merge.enabled'] ?? 'true').toLowerCase() !== 'true') return undefined;
  const minCount = Number(props['commit.manifest.min-count-to-merge'] ?? 100);
  const targetSize = Number(props['commit.manifest.target-size-bytes'] ?? 8 * 1024 * 1024);
  const specId = base['default-spec-id'];
  const small = existing.filter((m) => m.content === 0 && m.partitionSpecId === specId && m.manifestLength < targetSize);
  if (small.length < minCount) return undefined;
  const schema = currentSchema(base);
  const spec = specById(base, specId)!;
  const entries: ManifestEntry[] = [];
  for (const m of small) {
    for (const e of await readManifest(ops.io, m, schema, spec)) {
      if (e.status === 2) continue;
      entries.push({ ...e, status: 0 });
    }
  }
  const mergedFile = await writeManifest({ io: ops.io, location, schema, spec, snapshotId, entries });
  const seqs = entries.map((e) => e.sequenceNumber ?? seq);
  const merged: ManifestFile = { ...mergedFile, sequenceNumber: seq, minSequenceNumber: seqs.length ? Math.min(...seqs) : seq };
  const keep = existing.filter((m) => !small.includes(m));
  return [merged, ...keep];
}
