// Turns rows into Parquet data files of an Iceberg table: rows are grouped by partition (any
// transform of transforms.ts, paths as Iceberg prints them: `ts_day=2025-12-29/id_bucket=3`), converted to Arrow batches every `batchRows` rows (with metrics collected on the
// way), and a file is closed when its estimated size reaches write.target-file-size-bytes.
import { randomUUID } from 'node:crypto';
import type { RecordBatch, Schema as ArrowSchema } from 'apache-arrow';
import { ConnectorError } from '../../common/errors.js';
import { joinPath, type FileIO } from '../../io/fileio.js';
import { toBytes, truncateLowerBytes, truncateLowerString, truncateUpperBytes, truncateUpperString } from './conversions.js';
import type { DataFile } from './manifest.js';
import { stringifyJson } from './json.js';
import { arrowSchema, batchBytes, buildBatch, compressionCodec, encodeParquet, parquetLayout, type Codec, type StatsMap } from './parquet.js';
import { indexById, partitionFieldType, type IcebergField, type IcebergSchema, type IcebergType, type PartitionSpec } from './schema.js';
import { applyTransform, checkTransform, humanPartitionValue, parseTransform, type Transform } from './transforms.js';

export interface WriterConfig {
  io: FileIO;
  /** Folder for data files (write.data.path, default <table>/data). */
  dataLocation: string;
  schema: IcebergSchema;
  spec: PartitionSpec;
  properties: Record<string, string>;
  /** For each schema field (top level, in order), the index of its value in an input row (-1: null). */
  columnIndex: number[];
  /** Distinguishes files of different writers/attempts. */
  filePrefix?: string;
  /** Equality delete files instead of data files: the field ids they compare (`schema` holds those columns). */
  equalityIds?: number[];
}

export interface WriteTiming {
  arrowMs: number;
  parquetMs: number;
  writeMs: number;
}

type MetricsMode = { kind: 'none' } | { kind: 'counts' } | { kind: 'truncate'; length: number } | { kind: 'full' };

function metricsMode(text: string | undefined): MetricsMode {
  const t = (text ?? 'truncate(16)').trim().toLowerCase();
  if (t === 'none') return { kind: 'none' };
  if (t === 'counts') return { kind: 'counts' };
  if (t === 'full') return { kind: 'full' };
  const m = /^truncate\((\d+)\)$/.exec(t);
  if (m) return { kind: 'truncate', length: Number(m[1]) };
  throw new ConnectorError(`Invalid metrics mode '${text}' (none, counts, truncate(N), full)`);
}

class FileBuffer {
  rows: unknown[][] = [];
  batches: RecordBatch[] = [];
  stats: StatsMap = new Map();
  recordCount = 0;
  arrowBytes = 0;
  constructor(readonly partition: unknown[], readonly partitionPath: string) {}
}

export class DataFileWriter {
  private readonly arrow: ArrowSchema;
  private readonly codec: Codec;
  private readonly target: number;
  private readonly batchRows: number;
  /** Arrow bytes one open file may hold in memory before it is closed regardless of its size. */
  private readonly maxBuffer: number;
  private readonly open = new Map<string, FileBuffer>();
  private readonly partSources: number[];
  private readonly partTransforms: { transform: Transform; sourceType: IcebergType }[];
  private readonly partTypes: IcebergType[];
  private readonly byId: Map<number, IcebergField>;
  private readonly metrics: MetricsMode;
  private readonly prefix: string;
  private fileCount = 0;
  /** Parquet bytes per Arrow byte, learnt from the files written so far. */
  private ratio = 0.5;
  private done: DataFile[] = [];
  /** Parquet footer key/values: the Iceberg schema, as Iceberg's own writer records it. */
  private readonly footer: Map<string, string>;
  /** Milliseconds spent since the last flush building Arrow batches, encoding Parquet and writing files (for the commit's log line). */
  timing: WriteTiming = { arrowMs: 0, parquetMs: 0, writeMs: 0 };

  constructor(private readonly cfg: WriterConfig) {
    this.arrow = arrowSchema(cfg.schema.fields);
    this.codec = compressionCodec(cfg.properties['write.parquet.compression-codec']);
    this.target = Number(cfg.properties['write.target-file-size-bytes'] ?? 512 * 1024 * 1024);
    this.batchRows = Number(cfg.properties['write.tsstream.batch-rows'] ?? 131072);
    this.maxBuffer = Number(cfg.properties['write.tsstream.max-buffer-bytes'] ?? 512 * 1024 * 1024);
    this.metrics = metricsMode(cfg.properties['write.metadata.metrics.default']);
    this.byId = indexById(cfg.schema);
    this.partTypes = cfg.spec.fields.map((pf) => partitionFieldType(cfg.schema, pf));
    this.partTransforms = cfg.spec.fields.map((pf) => {
      const src = this.byId.get(pf['source-id']);
      if (!src) throw new ConnectorError(`Partition field '${pf.name}' has source field ${pf['source-id']}, which is not in the table schema`);
      const transform = parseTransform(pf.transform);
      checkTransform(transform, src.type);
      return { transform, sourceType: src.type };
    });
    this.partSources = cfg.spec.fields.map((pf) => {
      const pos = cfg.schema.fields.findIndex((f) => f.id === pf['source-id']);
      if (pos < 0) throw new ConnectorError(`Partition source field ${pf['source-id']} (of '${pf.name}') must be a top-level column`);
      return cfg.columnIndex[pos];
    });
    this.prefix = cfg.filePrefix ?? randomUUID();
    this.footer = new Map([['iceberg.schema', stringifyJson(cfg.schema)]]);
  }

  /** Adds rows; closes files that reached the target size. */
  async write(rows: readonly unknown[][]): Promise<void> {
    const partitioned = this.partSources.length > 0;
    let single: FileBuffer | undefined;
    for (const row of rows) {
      let buf: FileBuffer;
      if (!partitioned) {
        buf = single ??= this.buffer('', []);
      } else {
        const values = this.partSources.map((i, k) => {
          const pt = this.partTransforms[k];
          return applyTransform(pt.transform, pt.sourceType, i < 0 ? null : (row[i] ?? null));
        });
        const key = JSON.stringify(values, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
        buf = this.buffer(key, values);
      }
      buf.rows.push(row);
      if (buf.rows.length >= this.batchRows) await this.seal(buf);
    }
  }

  private buffer(key: string, values: unknown[]): FileBuffer {
    let b = this.open.get(key);
    if (!b) {
      const path = this.cfg.spec.fields
        .map((pf, i) => `${encodeURIComponent(pf.name)}=${encodeURIComponent(humanPartitionValue(this.partTransforms[i].transform, this.partTransforms[i].sourceType, values[i]))}`)
        .join('/');
      b = new FileBuffer(values, path);
      this.open.set(key, b);
    }
    return b;
  }

  private async seal(buf: FileBuffer): Promise<void> {
    if (buf.rows.length === 0) return;
    this.addBatch(buf);
    if (buf.arrowBytes * this.ratio >= this.target || buf.arrowBytes >= this.maxBuffer) await this.closeFile(buf);
  }

  /** The buffered rows of a file as one more Arrow batch. */
  private addBatch(buf: FileBuffer): void {
    const t0 = performance.now();
    const batch = buildBatch(this.arrow, this.cfg.schema.fields, buf.rows, this.cfg.columnIndex, buf.stats);
    buf.recordCount += buf.rows.length;
    buf.rows = [];
    buf.batches.push(batch);
    buf.arrowBytes += batchBytes(batch);
    this.timing.arrowMs += performance.now() - t0;
  }

  private async closeFile(buf: FileBuffer): Promise<void> {
    if (buf.rows.length > 0) this.addBatch(buf);
    if (buf.recordCount === 0) return;
    const t0 = performance.now();
    const bytes = await encodeParquet(
      this.arrow,
      buf.batches,
      this.codec,
      Number(this.cfg.properties['write.tsstream.row-group-rows'] ?? 1024 * 1024),
      Number(this.cfg.properties['write.parquet.row-group-size-bytes'] ?? 128 * 1024 * 1024),
      this.footer,
    );
    if (buf.arrowBytes > 0) this.ratio = Math.max(0.05, Math.min(2, bytes.byteLength / buf.arrowBytes));
    const name = `${String(++this.fileCount).padStart(5, '0')}-${this.prefix}.parquet`;
    const location = buf.partitionPath ? joinPath(this.cfg.dataLocation, buf.partitionPath, name) : joinPath(this.cfg.dataLocation, name);
    const t1 = performance.now();
    this.timing.parquetMs += t1 - t0;
    // The file is written (off the main thread) while its footer is read for the column sizes.
    const writing = this.cfg.io.write(location, bytes);
    writing.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    const df = this.dataFile(buf, location, bytes.byteLength);
    if (this.metrics.kind !== 'none') {
      try {
        const layout = parquetLayout(bytes, this.cfg.schema.fields);
        df.columnSizes = layout.columnSizes;
        df.splitOffsets = layout.splitOffsets;
      } catch {
        // Optional metrics: leave them out rather than fail the write.
      }
    }
    const t2 = performance.now();
    this.timing.parquetMs += t2 - t1;
    await writing;
    this.timing.writeMs += performance.now() - t2;
    this.done.push(df);
    // Start a fresh file for the partition.
    buf.batches = [];
    buf.stats = new Map();
    buf.recordCount = 0;
    buf.arrowBytes = 0;
  }

  private dataFile(buf: FileBuffer, location: string, size: number): DataFile {
    const valueCounts: Record<number, number> = {};
    const nullValueCounts: Record<number, number> = {};
    const nanValueCounts: Record<number, number> = {};
    const lowerBounds: Record<number, Uint8Array> = {};
    const upperBounds: Record<number, Uint8Array> = {};
    const m = this.metrics;
    if (m.kind !== 'none') {
      for (const [id, s] of buf.stats) {
        const f = this.byId.get(id);
        if (!f || typeof f.type !== 'string') continue;
        valueCounts[id] = s.valueCount;
        nullValueCounts[id] = s.nullCount;
        if (f.type === 'float' || f.type === 'double') nanValueCounts[id] = s.nanCount;
        if (m.kind === 'counts' || !s.bounded || s.min === undefined) continue;
        const t = f.type;
        if (t === 'string' && m.kind === 'truncate') {
          lowerBounds[id] = toBytes(t, truncateLowerString(s.min as string, m.length));
          const up = truncateUpperString(s.max as string, m.length);
          if (up !== undefined) upperBounds[id] = toBytes(t, up);
        } else if ((t === 'binary' || t.startsWith('fixed')) && m.kind === 'truncate') {
          lowerBounds[id] = truncateLowerBytes(s.min as Uint8Array, m.length);
          const up = truncateUpperBytes(s.max as Uint8Array, m.length);
          if (up !== undefined) upperBounds[id] = up;
        } else {
          lowerBounds[id] = toBytes(t, s.min);
          upperBounds[id] = toBytes(t, s.max);
        }
      }
    }
    const eq = this.cfg.equalityIds;
    return {
      content: eq ? 2 : 0,
      ...(eq ? { equalityIds: eq } : {}),
      filePath: location,
      fileFormat: 'PARQUET',
      specId: this.cfg.spec['spec-id'],
      partition: buf.partition,
      recordCount: buf.recordCount,
      fileSizeInBytes: size,
      valueCounts,
      nullValueCounts,
      nanValueCounts,
      lowerBounds,
      upperBounds,
      ...(eq ? {} : { sortOrderId: 0 }),
    };
  }

  /** Closes every open file and returns all files written since the last call. */
  async flush(): Promise<DataFile[]> {
    for (const buf of this.open.values()) await this.closeFile(buf);
    this.open.clear();
    const out = this.done;
    this.done = [];
    return out;
  }

  /** Rows buffered but not yet in a closed file. */
  pendingRows(): number {
    let n = 0;
    for (const b of this.open.values()) n += b.rows.length + b.recordCount;
    return n;
  }

  partitionTypes(): IcebergType[] {
    return this.partTypes;
  }
}
