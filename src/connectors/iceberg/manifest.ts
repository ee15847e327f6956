// Manifests and manifest lists (Iceberg spec "Manifests", "Manifest Lists"), v2 layout, with
// the spec's field ids: manifest_entry 0–4, data_file 100–143 (metrics map keys/values
// 117–139), manifest_file 500–519.
import { canonical } from '../../common/exact.js';
import { ConnectorError } from '../../common/errors.js';
import type { FileIO } from '../../io/fileio.js';
import { readAvroFile, writeAvroFile } from './avro.js';
import { decimalParams, fromBytes, toBytes, twosToBigint, bigintToTwos } from './conversions.js';
import { stringifyJson } from './json.js';
import { partitionFieldType, type IcebergSchema, type IcebergType, type PartitionSpec } from './schema.js';

export interface DataFile {
  /** 0 data, 1 position deletes, 2 equality deletes */
  content: number;
  filePath: string;
  fileFormat: string;
  specId: number;
  /** Partition values in spec order (runtime representation). */
  partition: unknown[];
  recordCount: number;
  fileSizeInBytes: number;
  columnSizes?: Record<number, number>;
  valueCounts?: Record<number, number>;
  nullValueCounts?: Record<number, number>;
  nanValueCounts?: Record<number, number>;
  lowerBounds?: Record<number, Uint8Array>;
  upperBounds?: Record<number, Uint8Array>;
  splitOffsets?: number[];
  equalityIds?: number[];
  sortOrderId?: number;
}

export interface ManifestEntry {
  /** 0 existing, 1 added, 2 deleted */
  status: number;
  snapshotId: bigint | null;
  sequenceNumber: number | null;
  fileSequenceNumber: number | null;
  dataFile: DataFile;
}

export interface FieldSummary {
  containsNull: boolean;
  containsNan?: boolean | null;
  lowerBound?: Uint8Array | null;
  upperBound?: Uint8Array | null;
}

export interface ManifestFile {
  manifestPath: string;
  manifestLength: number;
  partitionSpecId: number;
  /** 0 data, 1 deletes */
  content: number;
  sequenceNumber: number;
  minSequenceNumber: number;
  addedSnapshotId: bigint;
  addedFilesCount: number;
  existingFilesCount: number;
  deletedFilesCount: number;
  addedRowsCount: number;
  existingRowsCount: number;
  deletedRowsCount: number;
  partitions?: FieldSummary[] | null;
}

// ---- Avro schemas ---------------------------------------------------------------------

function avroPrimitive(t: IcebergType, id: number): unknown {
  if (typeof t !== 'string') throw new ConnectorError('Partition fields must be primitive');
  switch (t) {
    case 'boolean':
    case 'int':
    case 'long':
    case 'float':
    case 'double':
    case 'string':
      return t;
    case 'binary':
      return 'bytes';
    case 'date':
      return { type: 'int', logicalType: 'date' };
    case 'time':
      return { type: 'long', logicalType: 'time-micros' };
    case 'timestamp':
      return { type: 'long', logicalType: 'timestamp-micros', 'adjust-to-utc': false };
    case 'timestamptz':
      return { type: 'long', logicalType: 'timestamp-micros', 'adjust-to-utc': true };
    case 'uuid':
      return { type: 'fixed', name: `uuid_fixed_${id}`, size: 16, logicalType: 'uuid' };
    default: {
      const fx = /^fixed\[(\d+)\]$/.exec(t);
      if (fx) return { type: 'fixed', name: `fixed_${fx[1]}_${id}`, size: Number(fx[1]) };
      const dp = decimalParams(t);
      if (dp) {
        return { type: 'fixed', name: `decimal_${dp.precision}_${dp.scale}_${id}`, size: decimalBytes(dp.precision), logicalType: 'decimal', precision: dp.precision, scale: dp.scale };
      }
      throw new ConnectorError(`Unsupported partition type ${t}`);
    }
  }
}

export function decimalBytes(precision: number): number {
  for (let n = 1; ; n++) if (2 ** (8 * n - 1) - 1 >= 10 ** precision - 1) return n;
}

function partitionRecord(schema: IcebergSchema, spec: PartitionSpec): object {
  return {
    type: 'record',
    name: 'r102',
    fields: spec.fields.map((pf) => ({
      name: pf.name,
      type: ['null', avroPrimitive(partitionFieldType(schema, pf), pf['field-id'])],
      default: null,
      'field-id': pf['field-id'],
    })),
  };
}

const kv = (name: string, keyId: number, valueId: number, valueType: string, fieldId: number) => ({
  name,
  type: [
    'null',
    {
      type: 'array',
      items: {
        type: 'record',
        name: `k${keyId}_v${valueId}`,
        fields: [
          { name: 'key', type: 'int', 'field-id': keyId },
          { name: 'value', type: valueType, 'field-id': valueId },
        ],
      },
      logicalType: 'map',
    },
  ],
  default: null,
  'field-id': fieldId,
});

export function manifestEntrySchema(schema: IcebergSchema, spec: PartitionSpec): object {
  return {
    type: 'record',
    name: 'manifest_entry',
    fields: [
      { name: 'status', type: 'int', 'field-id': 0 },
      { name: 'snapshot_id', type: ['null', 'long'], default: null, 'field-id': 1 },
      { name: 'sequence_number', type: ['null', 'long'], default: null, 'field-id': 3 },
      { name: 'file_sequence_number', type: ['null', 'long'], default: null, 'field-id': 4 },
      {
        name: 'data_file',
        type: {
          type: 'record',
          name: 'r2',
          fields: [
            { name: 'content', type: 'int', doc: 'Contents of the file: 0=data, 1=position deletes, 2=equality deletes', 'field-id': 134 },
            { name: 'file_path', type: 'string', doc: 'Location URI with FS scheme', 'field-id': 100 },
            { name: 'file_format', type: 'string', doc: 'File format name: avro, orc, or parquet', 'field-id': 101 },
            { name: 'partition', type: partitionRecord(schema, spec), doc: 'Partition data tuple, schema based on the partition spec', 'field-id': 102 },
            { name: 'record_count', type: 'long', doc: 'Number of records in the file', 'field-id': 103 },
            { name: 'file_size_in_bytes', type: 'long', doc: 'Total file size in bytes', 'field-id': 104 },
            kv('column_sizes', 117, 118, 'long', 108),
            kv('value_counts', 119, 120, 'long', 109),
            kv('null_value_counts', 121, 122, 'long', 110),
            kv('nan_value_counts', 138, 139, 'long', 137),
            kv('lower_bounds', 126, 127, 'bytes', 125),
            kv('upper_bounds', 129, 130, 'bytes', 128),
            { name: 'key_metadata', type: ['null', 'bytes'], default: null, 'field-id': 131 },
            { name: 'split_offsets', type: ['null', { type: 'array', items: 'long', 'element-id': 133 }], default: null, 'field-id': 132 },
            { name: 'equality_ids', type: ['null', { type: 'array', items: 'int', 'element-id': 136 }], default: null, 'field-id': 135 },
            { name: 'sort_order_id', type: ['null', 'int'], default: null, 'field-id': 140 },
          ],
        },
        'field-id': 2,
      },
    ],
  };
}

export const MANIFEST_LIST_SCHEMA = {
  type: 'record',
  name: 'manifest_file',
  fields: [
    { name: 'manifest_path', type: 'string', doc: 'Location URI with FS scheme', 'field-id': 500 },
    { name: 'manifest_length', type: 'long', doc: 'Total file size in bytes', 'field-id': 501 },
    { name: 'partition_spec_id', type: 'int', doc: 'Spec ID used to write', 'field-id': 502 },
    { name: 'content', type: 'int', doc: 'Contents of the manifest: 0=data, 1=deletes', 'field-id': 517 },
    { name: 'sequence_number', type: 'long', doc: 'Sequence number when the manifest was added', 'field-id': 515 },
    { name: 'min_sequence_number', type: 'long', doc: 'Lowest sequence number in the manifest', 'field-id': 516 },
    { name: 'added_snapshot_id', type: 'long', doc: 'Snapshot ID that added the manifest', 'field-id': 503 },
    { name: 'added_files_count', type: 'int', doc: 'Added entry count', 'field-id': 504 },
    { name: 'existing_files_count', type: 'int', doc: 'Existing entry count', 'field-id': 505 },
    { name: 'deleted_files_count', type: 'int', doc: 'Deleted entry count', 'field-id': 506 },
    { name: 'added_rows_count', type: 'long', doc: 'Added rows count', 'field-id': 512 },
    { name: 'existing_rows_count', type: 'long', doc: 'Existing rows count', 'field-id': 513 },
    { name: 'deleted_rows_count', type: 'long', doc: 'Deleted rows count', 'field-id': 514 },
    {
      name: 'partitions',
      type: [
        'null',
        {
          type: 'array',
          items: {
            type: 'record',
            name: 'r508',
            fields: [
              { name: 'contains_null', type: 'boolean', doc: 'True if any file has a null partition value', 'field-id': 509 },
              { name: 'contains_nan', type: ['null', 'boolean'], doc: 'True if any file has a nan partition value', default: null, 'field-id': 518 },
              { name: 'lower_bound', type: ['null', 'bytes'], doc: 'Partition lower bound for all files', default: null, 'field-id': 510 },
              { name: 'upper_bound', type: ['null', 'bytes'], doc: 'Partition upper bound for all files', default: null, 'field-id': 511 },
            ],
          },
          'element-id': 508,
        },
      ],
      doc: 'Summary for each partition',
      default: null,
      'field-id': 507,
    },
    { name: 'key_metadata', type: ['null', 'bytes'], default: null, 'field-id': 519 },
  ],
};

// ---- value conversion between runtime values and Avro datums ------------------------------

function toAvroValue(t: IcebergType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (t) {
    case 'long':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
      return typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
    case 'binary':
    case 'uuid':
      return Buffer.from(v as Uint8Array);
    default:
      if (typeof t === 'string' && t.startsWith('fixed')) return Buffer.from(v as Uint8Array);
      if (typeof t === 'string' && t.startsWith('decimal')) {
        const dp = decimalParams(t)!;
        const size = decimalBytes(dp.precision);
        const min = bigintToTwos(BigInt(v as number | bigint)); // DECIMAL values are unscaled integers
        const out = Buffer.alloc(size, min[0] & 0x80 ? 0xff : 0);
        Buffer.from(min).copy(out, size - min.length);
        return out;
      }
      return v;
  }
}

function fromAvroValue(t: IcebergType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return t === 'long' ? canonical(v) : Number(v);
  if (Buffer.isBuffer(v)) {
    if (typeof t === 'string' && t.startsWith('decimal')) return canonical(twosToBigint(v));
    return new Uint8Array(v);
  }
  return v;
}

const mapToAvro = (m: Record<number, number> | undefined) =>
  m ? Object.entries(m).map(([k, v]) => ({ key: Number(k), value: BigInt(v) })) : null;
const bytesMapToAvro = (m: Record<number, Uint8Array> | undefined) =>
  m ? Object.entries(m).map(([k, v]) => ({ key: Number(k), value: Buffer.from(v) })) : null;
const mapFromAvro = (a: unknown): Record<number, number> | undefined => {
  if (!Array.isArray(a)) return undefined;
  const out: Record<number, number> = {};
  for (const e of a as { key: number; value: bigint }[]) out[e.key] = Number(e.value);
  return out;
};
const bytesMapFromAvro = (a: unknown): Record<number, Uint8Array> | undefined => {
  if (!Array.isArray(a)) return undefined;
  const out: Record<number, Uint8Array> = {};
  for (const e of a as { key: number; value: Buffer }[]) out[e.key] = new Uint8Array(e.value);
  return out;
};
const num = (v: unknown, dflt = 0) => (v === null || v === undefined ? dflt : Number(v));

// ---- manifests ------------------------------------------------------------------------------

export interface WriteManifestArgs {
  io: FileIO;
  location: string;
  schema: IcebergSchema;
  spec: PartitionSpec;
  snapshotId: bigint;
  entries: ManifestEntry[];
  formatVersion?: number;
  /** 0 (default): a data manifest; 1: a delete manifest (position or equality delete files). */
  content?: 0 | 1;
}

/** Writes a data manifest and returns its manifest-list entry (sequence numbers filled by the caller). */
export async function writeManifest(a: WriteManifestArgs): Promise<ManifestFile> {
  const schemaTypes = a.spec.fields.map((pf) => partitionFieldType(a.schema, pf));
  const records = a.entries.map((e) => {
    const f = e.dataFile;
    const partition: Record<string, unknown> = {};
    a.spec.fields.forEach((pf, i) => {
      partition[pf.name] = toAvroValue(schemaTypes[i], f.partition[i]);
    });
    return {
      status: e.status,
      snapshot_id: e.snapshotId,
      sequence_number: e.sequenceNumber === null ? null : BigInt(e.sequenceNumber),
      file_sequence_number: e.fileSequenceNumber === null ? null : BigInt(e.fileSequenceNumber),
      data_file: {
        content: f.content,
        file_path: f.filePath,
        file_format: f.fileFormat.toUpperCase(),
        partition,
        record_count: BigInt(f.recordCount),
        file_size_in_bytes: BigInt(f.fileSizeInBytes),
        column_sizes: mapToAvro(f.columnSizes),
        value_counts: mapToAvro(f.valueCounts),
        null_value_counts: mapToAvro(f.nullValueCounts),
        nan_value_counts: mapToAvro(f.nanValueCounts),
        lower_bounds: bytesMapToAvro(f.lowerBounds),
        upper_bounds: bytesMapToAvro(f.upperBounds),
        key_metadata: null,
        split_offsets: f.splitOffsets ? f.splitOffsets.map((x) => BigInt(x)) : null,
        equality_ids: f.equalityIds ?? null,
        sort_order_id: f.sortOrderId ?? null,
      },
    };
  });
  const bytes = writeAvroFile(manifestEntrySchema(a.schema, a.spec), records, {
    schema: stringifyJson(a.schema),
    'schema-id': String(a.schema['schema-id']),
    'partition-spec': stringifyJson(a.spec.fields),
    'partition-spec-id': String(a.spec['spec-id']),
    'format-version': String(a.formatVersion ?? 2),
    content: a.content === 1 ? 'deletes' : 'data',
  });
  await a.io.write(a.location, bytes);
  let added = 0, existing = 0, deleted = 0, addedRows = 0, existingRows = 0, deletedRows = 0;
  for (const e of a.entries) {
    if (e.status === 1) (added++, (addedRows += e.dataFile.recordCount));
    else if (e.status === 0) (existing++, (existingRows += e.dataFile.recordCount));
    else (deleted++, (deletedRows += e.dataFile.recordCount));
  }
  return {
    manifestPath: a.location,
    manifestLength: bytes.byteLength,
    partitionSpecId: a.spec['spec-id'],
    content: a.content ?? 0,
    sequenceNumber: -1,
    minSequenceNumber: -1,
    addedSnapshotId: a.snapshotId,
    addedFilesCount: added,
    existingFilesCount: existing,
    deletedFilesCount: deleted,
    addedRowsCount: addedRows,
    existingRowsCount: existingRows,
    deletedRowsCount: deletedRows,
    partitions: summarizePartitions(a.entries.map((e) => e.dataFile), schemaTypes),
  };
}

function summarizePartitions(files: DataFile[], types: IcebergType[]): FieldSummary[] {
  return types.map((t, i) => {
    let containsNull = false;
    let containsNan = false;
    let lo: unknown;
    let hi: unknown;
    for (const f of files) {
      const v = f.partition[i];
      if (v === null || v === undefined) {
        containsNull = true;
        continue;
      }
      if (typeof v === 'number' && Number.isNaN(v)) {
        containsNan = true;
        continue;
      }
      if (lo === undefined || cmp(t, v, lo) < 0) lo = v;
      if (hi === undefined || cmp(t, v, hi) > 0) hi = v;
    }
    return {
      containsNull,
      containsNan: t === 'float' || t === 'double' ? containsNan : null,
      lowerBound: lo === undefined ? null : toBytes(t, lo),
      upperBound: hi === undefined ? null : toBytes(t, hi),
    };
  });
}

function cmp(t: IcebergType, a: unknown, b: unknown): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }
  if (t === 'string') return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  return Number(a) - Number(b);
}

/** Reads a manifest: its entries, with partition values typed by the manifest's own spec. */
export async function readManifest(io: FileIO, m: ManifestFile, schema: IcebergSchema, spec: PartitionSpec | undefined): Promise<ManifestEntry[]> {
  const file = readAvroFile(await io.read(m.manifestPath), m.manifestPath);
  let fileSpec = spec;
  if (file.metadata['partition-spec']) {
    try {
      fileSpec = { 'spec-id': Number(file.metadata['partition-spec-id'] ?? m.partitionSpecId), fields: JSON.parse(file.metadata['partition-spec']) };
    } catch {
      /* use the table's spec */
    }
  }
  const types = (fileSpec?.fields ?? []).map((pf) => partitionFieldType(schema, pf));
  return file.records.map((r) => {
    const df = r.data_file as Record<string, unknown>;
    const part = (df.partition ?? {}) as Record<string, unknown>;
    const partition = (fileSpec?.fields ?? []).map((pf, i) => fromAvroValue(types[i], part[pf.name]));
    const status = Number(r.status);
    // Inheritance (spec: "Sequence Number Inheritance", "Snapshot ID Inheritance").
    let seq = r.sequence_number === null || r.sequence_number === undefined ? null : Number(r.sequence_number);
    let fseq = r.file_sequence_number === null || r.file_sequence_number === undefined ? null : Number(r.file_sequence_number);
    if (seq === null && (status === 1 || m.sequenceNumber === 0)) seq = m.sequenceNumber;
    if (fseq === null && (status === 1 || m.sequenceNumber === 0)) fseq = m.sequenceNumber;
    const sid = r.snapshot_id === null || r.snapshot_id === undefined ? (status === 1 ? m.addedSnapshotId : null) : BigInt(r.snapshot_id as bigint);
    return {
      status,
      snapshotId: sid,
      sequenceNumber: seq,
      fileSequenceNumber: fseq,
      dataFile: {
        content: num(df.content),
        filePath: String(df.file_path),
        fileFormat: String(df.file_format),
        specId: m.partitionSpecId,
        partition,
        recordCount: num(df.record_count),
        fileSizeInBytes: num(df.file_size_in_bytes),
        columnSizes: mapFromAvro(df.column_sizes),
        valueCounts: mapFromAvro(df.value_counts),
        nullValueCounts: mapFromAvro(df.null_value_counts),
        nanValueCounts: mapFromAvro(df.nan_value_counts),
        lowerBounds: bytesMapFromAvro(df.lower_bounds),
        upperBounds: bytesMapFromAvro(df.upper_bounds),
        splitOffsets: Array.isArray(df.split_offsets) ? (df.split_offsets as bigint[]).map(Number) : undefined,
        equalityIds: Array.isArray(df.equality_ids) ? (df.equality_ids as number[]) : undefined,
        sortOrderId: df.sort_order_id === null || df.sort_order_id === undefined ? undefined : Number(df.sort_order_id),
      },
    };
  });
}

// ---- manifest lists -----------------------------------------------------------------------

export async function writeManifestList(
  io: FileIO,
  location: string,
  manifests: ManifestFile[],
  meta: { snapshotId: bigint; parentSnapshotId: bigint | null; sequenceNumber: number },
): Promise<void> {
  const records = manifests.map((m) => ({
    manifest_path: m.manifestPath,
    manifest_length: BigInt(m.manifestLength),
    partition_spec_id: m.partitionSpecId,
    content: m.content,
    sequence_number: BigInt(m.sequenceNumber),
    min_sequence_number: BigInt(m.minSequenceNumber),
    added_snapshot_id: m.addedSnapshotId,
    added_files_count: m.addedFilesCount,
    existing_files_count: m.existingFilesCount,
    deleted_files_count: m.deletedFilesCount,
    added_rows_count: BigInt(m.addedRowsCount),
    existing_rows_count: BigInt(m.existingRowsCount),
    deleted_rows_count: BigInt(m.deletedRowsCount),
    partitions: m.partitions
      ? m.partitions.map((p) => ({
          contains_null: p.containsNull,
          contains_nan: p.containsNan ?? null,
          lower_bound: p.lowerBound ? Buffer.from(p.lowerBound) : null,
          upper_bound: p.upperBound ? Buffer.from(p.upperBound) : null,
        }))
      : null,
    key_metadata: null,
  }));
  const bytes = writeAvroFile(MANIFEST_LIST_SCHEMA, records, {
    'snapshot-id': String(meta.snapshotId),
    'parent-snapshot-id': meta.parentSnapshotId === null ? 'null' : String(meta.parentSnapshotId),
    'sequence-number': String(meta.sequenceNumber),
    'format-version': '2',
  });
  await io.write(location, bytes);
}

export async function readManifestList(io: FileIO, location: string): Promise<ManifestFile[]> {
  const file = readAvroFile(await io.read(location), location);
  return file.records.map((r) => ({
    manifestPath: String(r.manifest_path),
    manifestLength: num(r.manifest_length),
    partitionSpecId: num(r.partition_spec_id),
    content: num(r.content),
    sequenceNumber: num(r.sequence_number),
    minSequenceNumber: num(r.min_sequence_number),
    addedSnapshotId: BigInt((r.added_snapshot_id as bigint) ?? 0n),
    addedFilesCount: num(r.added_files_count ?? r.added_data_files_count),
    existingFilesCount: num(r.existing_files_count ?? r.existing_data_files_count),
    deletedFilesCount: num(r.deleted_files_count ?? r.deleted_data_files_count),
    addedRowsCount: num(r.added_rows_count),
    existingRowsCount: num(r.existing_rows_count),
    deletedRowsCount: num(r.deleted_rows_count),
    partitions: Array.isArray(r.partitions)
      ? (r.partitions as Record<string, unknown>[]).map((p) => ({
          containsNull: Boolean(p.contains_null),
          containsNan: p.contains_nan === null || p.contains_nan === undefined ? null : Boolean(p.contains_nan),
          lowerBound: p.lower_bound ? new Uint8Array(p.lower_bound as Buffer) : null,
          upperBound: p.upper_bound ? new Uint8Array(p.upper_bound as Buffer) : null,
        }))
      : null,
  }));
}

// ---- JSON form of data files (checkpoint committables) --------------------------------------

export interface DataFileJson {
  content: number;
  filePath: string;
  fileFormat: string;
  specId: number;
  /** Partition values as base64 single-value encodings (null for null). */
  partition: (string | null)[];
  recordCount: number;
  fileSizeInBytes: number;
  columnSizes?: Record<string, number>;
  valueCounts?: Record<string, number>;
  nullValueCounts?: Record<string, number>;
  nanValueCounts?: Record<string, number>;
  lowerBounds?: Record<string, string>;
  upperBounds?: Record<string, string>;
  splitOffsets?: number[];
  /** Equality delete files: the field ids compared. */
  equalityIds?: number[];
  sortOrderId?: number;
}

const b64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

export function dataFileToJson(f: DataFile, partitionTypes: IcebergType[]): DataFileJson {
  const mapB = (m?: Record<number, Uint8Array>) =>
    m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, b64(v)])) : undefined;
  return {
    content: f.content,
    filePath: f.filePath,
    fileFormat: f.fileFormat,
    specId: f.specId,
    partition: f.partition.map((v, i) => (v === null || v === undefined ? null : b64(toBytes(partitionTypes[i], v)))),
    recordCount: f.recordCount,
    fileSizeInBytes: f.fileSizeInBytes,
    columnSizes: f.columnSizes,
    valueCounts: f.valueCounts,
    nullValueCounts: f.nullValueCounts,
    nanValueCounts: f.nanValueCounts,
    lowerBounds: mapB(f.lowerBounds),
    upperBounds: mapB(f.upperBounds),
    splitOffsets: f.splitOffsets,
    equalityIds: f.equalityIds,
    sortOrderId: f.sortOrderId,
  };
}

export function dataFileFromJson(j: DataFileJson, partitionTypes: IcebergType[]): DataFile {
  const mapB = (m?: Record<string, string>) =>
    m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [Number(k), unb64(v)])) : undefined;
  const mapN = (m?: Record<string, number>) => (m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [Number(k), v])) : undefined);
  return {
    content: j.content,
    filePath: j.filePath,
    fileFormat: j.fileFormat,
    specId: j.specId,
    partition: j.partition.map((v, i) => (v === null ? null : fromBytes(partitionTypes[i], unb64(v)))),
    recordCount: j.recordCount,
    fileSizeInBytes: j.fileSizeInBytes,
    columnSizes: mapN(j.columnSizes),
    valueCounts: mapN(j.valueCounts),
    nullValueCounts: mapN(j.nullValueCounts),
    nanValueCounts: mapN(j.nanValueCounts),
    lowerBounds: mapB(j.lowerBounds),
    upperBounds: mapB(j.upperBounds),
    splitOffsets: j.splitOffsets,
    ...(j.equalityIds ? { equalityIds: j.equalityIds } : {}),
    ...(j.sortOrderId !== undefined ? { sortOrderId: j.sortOrderId } : {}),
  };
}
