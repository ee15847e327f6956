// Merge-on-read (Iceberg spec "Scan Planning", format v2): which delete files apply to which
// data file, and removing the deleted rows while a data file is read.
// - A position delete file applies to data files of the same spec and partition whose data
//   sequence number is <= its own (and whose path lies within its file_path bounds).
// - An equality delete file applies to data files whose data sequence number is strictly
//   smaller than its own, of the same partition, or of every partition when it was written
//   with an unpartitioned spec.
// Delete files are read by field id, so their columns may come in any order.
import { ConnectorError } from '../../common/errors.js';
import type { FileIO } from '../../io/fileio.js';
import { compareStrings, fromBytes } from './conversions.js';
import type { DataFile } from './manifest.js';
import { readParquetRows } from './parquet.js';
import type { IcebergField, PartitionSpec } from './schema.js';

/** Field ids of the position delete columns (spec: reserved field ids). */
export const DELETE_FILE_PATH_ID = 2147483546;
export const DELETE_POS_ID = 2147483545;

/** A delete file as a scan task carries it (plain JSON, for checkpoints). */
export interface DeleteFileRef {
  path: string;
  /** 1 position deletes, 2 equality deletes */
  content: 1 | 2;
  /** Field ids compared by an equality delete file. */
  equalityIds?: number[];
}

/** A data file to read and the delete files that apply to it. */
export interface ScanTask {
  path: string;
  deletes: DeleteFileRef[];
}

interface IndexedDelete {
  file: DataFile;
  seq: number;
  /** Partition key (spec id + values), or null for a global equality delete. */
  partitionKey: string | null;
  pathLower?: string;
  pathUpper?: string;
}

export function partitionKey(specId: number, partition: readonly unknown[]): string {
  return JSON.stringify([specId, partition], (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
}

/** The delete files of a snapshot, indexed for matching against its data files. */
export class DeleteIndex {
  private readonly positional = new Map<string, IndexedDelete[]>();
  private readonly equalityByPartition = new Map<string, IndexedDelete[]>();
  private readonly globalEquality: IndexedDelete[] = [];
  size = 0;

  constructor(private readonly specs: (id: number) => PartitionSpec | undefined) {}

  add(file: DataFile, seq: number): void {
    this.size++;
    const key = partitionKey(file.specId, file.partition);
    if (file.content === 1) {
      const lo = file.lowerBounds?.[DELETE_FILE_PATH_ID];
      const hi = file.upperBounds?.[DELETE_FILE_PATH_ID];
      const d: IndexedDelete = { file, seq, partitionKey: key, pathLower: lo ? (fromBytes('string', lo) as string) : undefined, pathUpper: hi ? (fromBytes('string', hi) as string) : undefined };
      (this.positional.get(key) ?? this.positional.set(key, []).get(key)!).push(d);
    } else if (file.content === 2) {
      if (!file.equalityIds || file.equalityIds.length === 0) {
        throw new ConnectorError(`Equality delete file ${file.filePath} names no equality field ids`);
      }
      const spec = this.specs(file.specId);
      if (!spec || spec.fields.length === 0) this.globalEquality.push({ file, seq, partitionKey: null });
      else (this.equalityByPartition.get(key) ?? this.equalityByPartition.set(key, []).get(key)!).push({ file, seq, partitionKey: key });
    } else {
      throw new ConnectorError(`Delete file ${file.filePath} has unknown content ${file.content}`);
    }
  }

  /** The delete files that apply to a data file with data sequence number `seq`. */
  forDataFile(file: DataFile, seq: number): DeleteFileRef[] {
    if (this.size === 0) return [];
    const key = partitionKey(file.specId, file.partition);
    const out: DeleteFileRef[] = [];
    for (const d of this.positional.get(key) ?? []) {
      if (d.seq < seq) continue;
      // Bounds are truncated (lower cut, upper raised), so a containment check is safe.
      if (d.pathLower !== undefined && compareStrings(file.filePath, d.pathLower) < 0) continue;
      if (d.pathUpper !== undefined && compareStrings(file.filePath, d.pathUpper) > 0) continue;
      out.push({ path: d.file.filePath, content: 1 });
    }
    for (const d of [...(this.equalityByPartition.get(key) ?? []), ...this.globalEquality]) {
      if (d.seq <= seq) continue;
      out.push({ path: d.file.filePath, content: 2, equalityIds: d.file.equalityIds });
    }
    return out;
  }
}

/** Equality key of some values: nulls match nulls, bytes by content. */
function equalityKey(values: readonly unknown[]): string {
  return JSON.stringify(values, (_k, v) =>
    v instanceof Uint8Array ? { b: Buffer.from(v).toString('hex') } : typeof v === 'bigint' ? { n: v.toString() } : v instanceof Map ? { m: [...v] } : v,
  );
}

interface EqualityDeletes {
  /** Field ids compared, in the key's order. */
  ids: number[];
  keys: Set<string>;
}

/**
 * Removes deleted rows from the rows of data files. Delete files are read once per source and
 * kept (a delete file usually serves many data files).
 */
export class DeleteFilter {
  private readonly positionFiles = new Map<string, Map<string, number[]>>();
  private readonly equalityFiles = new Map<string, EqualityDeletes>();

  constructor(
    private readonly io: FileIO,
    /** Every field of the table by id (to type equality delete columns). */
    private readonly fieldById: (id: number) => IcebergField | undefined,
  ) {}

  /** Field ids a data file's rows must carry for its equality deletes. */
  static equalityFieldIds(deletes: readonly DeleteFileRef[]): number[] {
    const ids = new Set<number>();
    for (const d of deletes) if (d.content === 2) for (const id of d.equalityIds ?? []) ids.add(id);
    return [...ids];
  }

  private async positions(path: string): Promise<Map<string, number[]>> {
    let m = this.positionFiles.get(path);
    if (m) return m;
    const fields: IcebergField[] = [
      { id: DELETE_FILE_PATH_ID, name: 'file_path', required: true, type: 'string' },
      { id: DELETE_POS_ID, name: 'pos', required: true, type: 'long' },
    ];
    const rows = await readParquetRows(await this.io.read(path), fields);
    m = new Map();
    for (const [file, pos] of rows) {
      if (typeof file !== 'string' || pos === null || pos === undefined) {
        throw new ConnectorError(`Position delete file ${path} has a row without file_path or pos`);
      }
      (m.get(file) ?? m.set(file, []).get(file)!).push(Number(pos));
    }
    this.positionFiles.set(path, m);
    return m;
  }

  private async equality(ref: DeleteFileRef): Promise<EqualityDeletes> {
    let e = this.equalityFiles.get(ref.path);
    if (e) return e;
    const ids = ref.equalityIds ?? [];
    const fields = ids.map((id) => {
      const f = this.fieldById(id);
      if (!f) throw new ConnectorError(`Equality delete file ${ref.path} compares field id ${id}, which is not in the table schema`);
      return f;
    });
    const rows = await readParquetRows(await this.io.read(ref.path), fields);
    e = { ids, keys: new Set(rows.map(equalityKey)) };
    this.equalityFiles.set(ref.path, e);
    return e;
  }

  /** The deleted positions of one data file (sorted), from its position delete files. */
  async deletedPositions(dataPath: string, deletes: readonly DeleteFileRef[]): Promise<Set<number>> {
    const out = new Set<number>();
    for (const d of deletes) {
      if (d.content !== 1) continue;
      for (const p of (await this.positions(d.path)).get(dataPath) ?? []) out.add(p);
    }
    return out;
  }

  /**
   * Keeps the rows not deleted. `rows[i]` is the row at file position `firstPos + i`;
   * `idColumn(id)` gives the index of a field id's value in a row.
   */
  async apply(
    dataPath: string,
    deletes: readonly DeleteFileRef[],
    rows: unknown[][],
    firstPos: number,
    idColumn: (id: number) => number,
  ): Promise<unknown[][]> {
    if (deletes.length === 0) return rows;
    const positions = await this.deletedPositions(dataPath, deletes);
    const eq: { cols: number[]; keys: Set<string> }[] = [];
    for (const d of deletes) {
      if (d.content !== 2) continue;
      const e = await this.equality(d);
      eq.push({ cols: e.ids.map(idColumn), keys: e.keys });
    }
    if (positions.size === 0 && eq.length === 0) return rows;
    const out: unknown[][] = [];
    for (let i = 0; i < rows.length; i++) {
      if (positions.has(firstPos + i)) continue;
      const r = rows[i];
      if (eq.some((q) => q.keys.has(equalityKey(q.cols.map((c) => r[c]))))) continue;
      out.push(r);
    }
    return out;
  }
}
