// Metadata tables (`t$snapshots`, `t$history`, `t$files`, `t$manifests`, `t$refs`) with the
// columns Flink's Iceberg connector shows, computed from the table's metadata and manifests.
import { T, type Field, type LogicalType, type Row } from '../../common/types.js';
import { ConnectorError } from '../../common/errors.js';
import { canonical } from '../../common/exact.js';
import { humanString, fromBytes } from './conversions.js';
import { readManifest, readManifestList } from './manifest.js';
import { ancestors, currentSchema, currentSnapshot, defaultSpec, specById, type TableMetadata } from './metadata.js';
import { partitionFieldType, toLogicalType } from './schema.js';
import type { TableOperations } from './table.js';

export const METADATA_TABLES = [
  'snapshots',
  'history',
  'files',
  'data_files',
  'delete_files',
  'entries',
  'manifests',
  'refs',
  'partitions',
  'metadata_log_entries',
] as const;
export type MetadataTableKind = (typeof METADATA_TABLES)[number];

/** Splits `t$snapshots` into ['t', 'snapshots']; undefined for plain names. */
export function splitMetadataName(name: string): { table: string; kind: MetadataTableKind } | undefined {
  const i = name.lastIndexOf('$');
  if (i <= 0) return undefined;
  const kind = name.slice(i + 1).toLowerCase();
  if (!(METADATA_TABLES as readonly string[]).includes(kind)) {
    throw new ConnectorError(`Unknown Iceberg metadata table '${name.slice(i)}' (known: ${METADATA_TABLES.map((k) => '$' + k).join(', ')})`);
  }
  return { table: name.slice(0, i), kind: kind as MetadataTableKind };
}

const ltz3 = (): LogicalType => ({ kind: 'TIMESTAMP_LTZ', precision: 3, nullable: true });
const map = (k: LogicalType, v: LogicalType): LogicalType => ({ kind: 'MAP', key: k, value: v, nullable: true });
const arr = (e: LogicalType): LogicalType => ({ kind: 'ARRAY', element: e, nullable: true });

export function metadataTableFields(kind: MetadataTableKind, m: TableMetadata): Field[] {
  switch (kind) {
    case 'snapshots':
      return [
        { name: 'committed_at', type: ltz3() },
        { name: 'snapshot_id', type: T.bigint() },
        { name: 'parent_id', type: T.bigint() },
        { name: 'operation', type: T.string() },
        { name: 'manifest_list', type: T.string() },
        { name: 'summary', type: map(T.string(), T.string()) },
      ];
    case 'history':
      return [
        { name: 'made_current_at', type: ltz3() },
        { name: 'snapshot_id', type: T.bigint() },
        { name: 'parent_id', type: T.bigint() },
        { name: 'is_current_ancestor', type: T.boolean() },
      ];
    case 'metadata_log_entries':
      return [
        { name: 'timestamp', type: ltz3() },
        { name: 'file', type: T.string() },
        { name: 'latest_snapshot_id', type: T.bigint() },
        { name: 'latest_schema_id', type: T.int() },
        { name: 'latest_sequence_number', type: T.bigint() },
      ];
    case 'partitions': {
      const schema = currentSchema(m);
      const spec = defaultSpec(m);
      const fields: Field[] = [];
      if (spec.fields.length > 0) {
        fields.push(
          {
            name: 'partition',
            type: { kind: 'ROW', nullable: true, fields: spec.fields.map((pf) => ({ name: pf.name, type: toLogicalType(partitionFieldType(schema, pf), true) })) },
          },
          { name: 'spec_id', type: T.int() },
        );
      }
      fields.push(
        { name: 'record_count', type: T.bigint() },
        { name: 'file_count', type: T.int() },
        { name: 'total_data_file_size_in_bytes', type: T.bigint() },
        { name: 'position_delete_record_count', type: T.bigint() },
        { name: 'position_delete_file_count', type: T.int() },
        { name: 'equality_delete_record_count', type: T.bigint() },
        { name: 'equality_delete_file_count', type: T.int() },
        { name: 'last_updated_at', type: { kind: 'TIMESTAMP_LTZ', precision: 6, nullable: true } },
        { name: 'last_updated_snapshot_id', type: T.bigint() },
      );
      return fields;
    }
    case 'entries': {
      // One row per manifest entry of the current snapshot (ADDED 1, EXISTING 0, DELETED 2), as Flink's $entries.
      const dataFile: LogicalType = { kind: 'ROW', nullable: true, fields: metadataTableFields('files', m).map((f) => ({ name: f.name, type: f.type })) };
      return [
        { name: 'status', type: T.int() },
        { name: 'snapshot_id', type: T.bigint() },
        { name: 'sequence_number', type: T.bigint() },
        { name: 'file_sequence_number', type: T.bigint() },
        { name: 'data_file', type: dataFile },
      ];
    }
    case 'files':
    case 'data_files':
    case 'delete_files': {
      const schema = currentSchema(m);
      const spec = defaultSpec(m);
      const fields: Field[] = [
        { name: 'content', type: T.int() },
        { name: 'file_path', type: T.string() },
        { name: 'file_format', type: T.string() },
        { name: 'spec_id', type: T.int() },
      ];
      if (spec.fields.length > 0) {
        fields.push({
          name: 'partition',
          type: {
            kind: 'ROW',
            nullable: true,
            fields: spec.fields.map((pf) => ({ name: pf.name, type: toLogicalType(partitionFieldType(schema, pf), true) })),
          },
        });
      }
      fields.push(
        { name: 'record_count', type: T.bigint() },
        { name: 'file_size_in_bytes', type: T.bigint() },
        { name: 'column_sizes', type: map(T.int(false), T.bigint()) },
        { name: 'value_counts', type: map(T.int(false), T.bigint()) },
        { name: 'null_value_counts', type: map(T.int(false), T.bigint()) },
        { name: 'nan_value_counts', type: map(T.int(false), T.bigint()) },
        { name: 'lower_bounds', type: map(T.int(false), T.bytes()) },
        { name: 'upper_bounds', type: map(T.int(false), T.bytes()) },
        { name: 'key_metadata', type: T.bytes() },
        { name: 'split_offsets', type: arr(T.bigint()) },
        { name: 'equality_ids', type: arr(T.int()) },
        { name: 'sort_order_id', type: T.int() },
      );
      return fields;
    }
    case 'manifests':
      return [
        { name: 'content', type: T.int() },
        { name: 'path', type: T.string() },
        { name: 'length', type: T.bigint() },
        { name: 'partition_spec_id', type: T.int() },
        { name: 'added_snapshot_id', type: T.bigint() },
        { name: 'added_data_files_count', type: T.int() },
        { name: 'existing_data_files_count', type: T.int() },
        { name: 'deleted_data_files_count', type: T.int() },
        { name: 'added_delete_files_count', type: T.int() },
        { name: 'existing_delete_files_count', type: T.int() },
        { name: 'deleted_delete_files_count', type: T.int() },
        {
          name: 'partition_summaries',
          type: arr({
            kind: 'ROW',
            nullable: true,
            fields: [
              { name: 'contains_null', type: T.boolean() },
              { name: 'contains_nan', type: T.boolean() },
              { name: 'lower_bound', type: T.string() },
              { name: 'upper_bound', type: T.string() },
            ],
          }),
        },
      ];
    case 'refs':
      return [
        { name: 'name', type: T.string() },
        { name: 'type', type: T.string() },
        { name: 'snapshot_id', type: T.bigint() },
        { name: 'max_reference_age_in_ms', type: T.bigint() },
        { name: 'min_snapshots_to_keep', type: T.int() },
        { name: 'max_snapshot_age_in_ms', type: T.bigint() },
      ];
  }
}

// Snapshot ids are random 63-bit longs: BIGINT keeps them exact (a bigint beyond 2^53).
const n = (v: bigint | number | undefined | null) => (v === undefined || v === null ? null : typeof v === 'bigint' ? canonical(v) : v);
const toMap = (o: Record<number, number> | undefined) => (o ? new Map(Object.entries(o).map(([k, v]) => [Number(k), v])) : null);
const toBMap = (o: Record<number, Uint8Array> | undefined) => (o ? new Map(Object.entries(o).map(([k, v]) => [Number(k), v])) : null);

/** The rows of a metadata table, in the column order of metadataTableFields. */
export async function metadataTableRows(kind: MetadataTableKind, ops: TableOperations, m: TableMetadata): Promise<Row[]> {
  switch (kind) {
    case 'snapshots':
      return [...m.snapshots]
        .sort((a, b) => a['timestamp-ms'] - b['timestamp-ms'])
        .map((s) => {
          const { operation, ...rest } = s.summary ?? { operation: null };
          return [s['timestamp-ms'] * 1000, n(s['snapshot-id']), n(s['parent-snapshot-id']), operation ?? null, s['manifest-list'], new Map(Object.entries(rest))];
        });
    case 'history': {
      const current = new Set([...ancestors(m, currentSnapshot(m))].map((s) => s['snapshot-id']));
      return m['snapshot-log'].map((e) => {
        const s = m.snapshots.find((x) => x['snapshot-id'] === e['snapshot-id']);
        return [e['timestamp-ms'] * 1000, n(e['snapshot-id']), n(s?.['parent-snapshot-id']), current.has(e['snapshot-id'])];
      });
    }
    case 'refs':
      return Object.entries(m.refs).map(([name, r]) => [
        name,
        r.type.toUpperCase(),
        n(r['snapshot-id']),
        r['max-ref-age-ms'] ?? null,
        r['min-snapshots-to-keep'] ?? null,
        r['max-snapshot-age-ms'] ?? null,
      ]);
    case 'manifests': {
      const snap = currentSnapshot(m);
      if (!snap) return [];
      const schema = currentSchema(m);
      const list = await readManifestList(ops.io, snap['manifest-list']);
      return list.map((mf) => {
        const spec = specById(m, mf.partitionSpecId);
        const summaries = (mf.partitions ?? []).map((p, i) => {
          const t = spec ? partitionFieldType(schema, spec.fields[i]) : 'string';
          const show = (b: Uint8Array | null | undefined) => (b ? humanString(t, fromBytes(t, b)) : null);
          return [p.containsNull, p.containsNan ?? null, show(p.lowerBound), show(p.upperBound)];
        });
        const data = mf.content === 0;
        return [
          mf.content,
          mf.manifestPath,
          mf.manifestLength,
          mf.partitionSpecId,
          n(mf.addedSnapshotId),
          data ? mf.addedFilesCount : 0,
          data ? mf.existingFilesCount : 0,
          data ? mf.deletedFilesCount : 0,
          data ? 0 : mf.addedFilesCount,
          data ? 0 : mf.existingFilesCount,
          data ? 0 : mf.deletedFilesCount,
          summaries,
        ];
      });
    }
    case 'metadata_log_entries': {
      // Each earlier metadata file, then the current one, with the snapshot current at that time.
      const entries = [...m['metadata-log'].map((e) => ({ ts: e['timestamp-ms'], file: e['metadata-file'] })), { ts: m['last-updated-ms'], file: null as string | null }];
      return entries.map((e) => {
        let latest: bigint | undefined;
        for (const l of m['snapshot-log']) if (l['timestamp-ms'] <= e.ts) latest = l['snapshot-id'];
        const s = latest === undefined ? undefined : m.snapshots.find((x) => x['snapshot-id'] === latest);
        return [e.ts * 1000, e.file, n(latest), s?.['schema-id'] ?? null, s ? s['sequence-number'] : null];
      });
    }
    case 'partitions': {
      const snap = currentSnapshot(m);
      if (!snap) return [];
      const schema = currentSchema(m);
      const partitioned = defaultSpec(m).fields.length > 0;
      const groups = new Map<string, { partition: unknown[]; specId: number; rec: number; files: number; size: number; pdRec: number; pdFiles: number; edRec: number; edFiles: number; ts: number; sid: bigint | null }>();
      for (const mf of await readManifestList(ops.io, snap['manifest-list'])) {
        for (const e of await readManifest(ops.io, mf, schema, specById(m, mf.partitionSpecId))) {
          if (e.status === 2) continue;
          const f = e.dataFile;
          const key = partitioned ? JSON.stringify([f.specId, f.partition], (_k, v) => (v instanceof Uint8Array ? [...v] : v)) : '';
          let g = groups.get(key);
          if (!g) groups.set(key, (g = { partition: f.partition, specId: f.specId, rec: 0, files: 0, size: 0, pdRec: 0, pdFiles: 0, edRec: 0, edFiles: 0, ts: 0, sid: null }));
          if (f.content === 0) (g.rec += f.recordCount), g.files++, (g.size += f.fileSizeInBytes);
          else if (f.content === 1) (g.pdRec += f.recordCount), g.pdFiles++;
          else (g.edRec += f.recordCount), g.edFiles++;
          const s = e.snapshotId === null ? undefined : m.snapshots.find((x) => x['snapshot-id'] === e.snapshotId);
          if (s && s['timestamp-ms'] >= g.ts) (g.ts = s['timestamp-ms']), (g.sid = s['snapshot-id']);
        }
      }
      return [...groups.values()].map((g) => [
        ...(partitioned ? [g.partition, g.specId] : []),
        g.rec, g.files, g.size, g.pdRec, g.pdFiles, g.edRec, g.edFiles, g.ts ? g.ts * 1000 : null, n(g.sid),
      ]);
    }
    case 'files':
    case 'data_files':
    case 'delete_files':
    case 'entries': {
      const snap = currentSnapshot(m);
      if (!snap) return [];
      const schema = currentSchema(m);
      const partitioned = defaultSpec(m).fields.length > 0;
      const rows: Row[] = [];
      for (const mf of await readManifestList(ops.io, snap['manifest-list'])) {
        for (const e of await readManifest(ops.io, mf, schema, specById(m, mf.partitionSpecId))) {
          if (e.status === 2 && kind !== 'entries') continue;
          const f = e.dataFile;
          if (kind === 'data_files' && f.content !== 0) continue;
          if (kind === 'delete_files' && f.content === 0) continue;
          const row: Row = [f.content, f.filePath, f.fileFormat, f.specId];
          if (partitioned) row.push(f.partition);
          row.push(
            f.recordCount,
            f.fileSizeInBytes,
            toMap(f.columnSizes),
            toMap(f.valueCounts),
            toMap(f.nullValueCounts),
            toMap(f.nanValueCounts),
            toBMap(f.lowerBounds),
            toBMap(f.upperBounds),
            null,
            f.splitOffsets ?? null,
            f.equalityIds ?? null,
            f.sortOrderId ?? null,
          );
          if (kind === 'entries') rows.push([e.status, n(e.snapshotId), e.sequenceNumber, e.fileSequenceNumber, row]);
          else rows.push(row);
        }
      }
      return rows;
    }
  }
}
