// Parquet data files through apache-arrow (columns built directly from typed arrays, offsets
// and UTF-8 bytes) and parquet-wasm (encoding, zstd by default). Every Arrow field carries
// `PARQUET:field_id`, which becomes the Parquet field id Iceberg readers resolve columns by.
// parquet-wasm returns no statistics, so the builders collect Iceberg's column metrics (value,
// null and NaN counts, min and max) while they fill the buffers.
import type { Binary, Bool, Data, DataType, Float64, Int32, Int64, List, Map_, RecordBatch, Schema as ArrowSchema, Struct, Utf8 } from 'apache-arrow';
import type * as ParquetWasm from 'parquet-wasm/esm';
import { lazyRequire } from '../../common/lazy-require.js';
import { compileParquetWasm } from '../../common/parquet-wasm-module.js';
import { readParquetFooter } from './parquet-footer.js';
import { ConnectorError } from '../../common/errors.js';
import { canonical } from '../../common/exact.js';
import { compareBytes, compareStrings, decimalParams, twosToBigint } from './conversions.js';
import type { IcebergField, IcebergSchema, IcebergType } from './schema.js';

// ---- the libraries, loaded on first use --------------------------------------------------

/**
 * apache-arrow's single-file build (the same classes): ~25 ms to load where its ES modules (146
 * files) take ~150 ms, paid only by jobs that touch Iceberg data files. Every Arrow object of the
 * connector comes from this one instance (instanceof checks hold).
 */
const arrow = lazyRequire<typeof import('apache-arrow')>('apache-arrow/Arrow.esnext.min');

let parquetWasm: typeof ParquetWasm | undefined;
let parquetLoading: Promise<typeof ParquetWasm> | undefined;

/**
 * The WebAssembly exports of parquet-wasm that encodeParquet uses directly (initSync returns
 * them): its allocator, its memory and the function behind Table.fromIPCStream, so that the Arrow
 * IPC stream is written straight into WebAssembly memory instead of being joined into one
 * JavaScript buffer that Table.fromIPCStream then copies again.
 */
interface WasmExports {
  memory: { buffer: ArrayBuffer };
  __wbindgen_malloc(size: number, align: number): number;
  table_fromIPCStream(ptr: number, len: number): [number, number, number];
}
let wasmExports: WasmExports | undefined;

/**
 * Loads parquet-wasm: its JavaScript, and its WebAssembly (5 MB) compiled by WebAssembly.compile,
 * which works off the main thread, so that a caller that starts this early (a catalog or table
 * being set up) does not wait for it later; `tsstream run` of a file that mentions Iceberg has
 * started the compile before the engine loaded (src/common/parquet-wasm-module.ts). Idempotent.
 */
export function loadParquet(): Promise<typeof ParquetWasm> {
  return (parquetLoading ??= (async () => {
    const [lib, module] = await Promise.all([import('parquet-wasm/esm'), compileParquetWasm() as Promise<ParquetWasm.SyncInitInput>]);
    const exports = lib.initSync({ module }) as unknown as Partial<WasmExports>;
    // Only when this parquet-wasm build has them (else encodeParquet goes through Table.fromIPCStream).
    if (typeof exports.__wbindgen_malloc === 'function' && typeof exports.table_fromIPCStream === 'function' && exports.memory) wasmExports = exports as WasmExports;
    return (parquetWasm = lib);
  })());
}

/** parquet-wasm, once loadParquet() has resolved. */
async function pq(): Promise<typeof ParquetWasm> {
  return parquetWasm ?? loadParquet();
}

const FIELD_ID = 'PARQUET:field_id';
const meta = (id: number) => new Map([[FIELD_ID, String(id)]]);
const TWO32 = 4294967296;

export function arrowType(t: IcebergType): DataType {
  const { Bool, Int32, Int64, Float32, Float64, DateDay, TimeMicrosecond, TimestampMicrosecond, Utf8, Binary, FixedSizeBinary, Decimal, List, Field: ArrowField, Struct, Map_ } = arrow();
  if (typeof t === 'string') {
    switch (t) {
      case 'boolean':
        return new Bool();
      case 'int':
        return new Int32();
      case 'long':
        return new Int64();
      case 'float':
        return new Float32();
      case 'double':
        return new Float64();
      case 'date':
        return new DateDay();
      case 'time':
        return new TimeMicrosecond();
      case 'timestamp':
        return new TimestampMicrosecond(null);
      case 'timestamptz':
        return new TimestampMicrosecond('UTC');
      case 'string':
        return new Utf8();
      case 'binary':
        return new Binary();
      case 'uuid':
        return new FixedSizeBinary(16);
      default: {
        const fx = /^fixed\[(\d+)\]$/.exec(t);
        if (fx) return new FixedSizeBinary(Number(fx[1]));
        const dp = decimalParams(t);
        if (dp) return new Decimal(dp.scale, dp.precision, 128);
        throw new ConnectorError(`Iceberg type ${t} cannot be written to Parquet`);
      }
    }
  }
  switch (t.type) {
    case 'list':
      return new List(new ArrowField('element', arrowType(t.element), !t['element-required'], meta(t['element-id'])));
    case 'map': {
      const entries = new Struct([
        new ArrowField('key', arrowType(t.key), false, meta(t['key-id'])),
        new ArrowField('value', arrowType(t.value), !t['value-required'], meta(t['value-id'])),
      ]);
      return new Map_(new ArrowField('key_value', entries, false), false);
    }
    case 'struct':
      return new Struct(t.fields.map(arrowField));
  }
}

export function arrowField(f: IcebergField): ReturnType<typeof arrow>['Field']['prototype'] {
  return new (arrow().Field)(f.name, arrowType(f.type), !f.required, meta(f.id));
}

export function arrowSchema(fields: IcebergField[]): ArrowSchema {
  return new (arrow().Schema)(fields.map(arrowField));
}

// ---- metrics --------------------------------------------------------------------------

export interface ColumnStats {
  valueCount: number;
  nullCount: number;
  nanCount: number;
  min: unknown;
  max: unknown;
  /** Bounds kept (primitive, not inside a list or map). */
  bounded: boolean;
}

export type StatsMap = Map<number, ColumnStats>;

function statsFor(stats: StatsMap | undefined, id: number, bounded: boolean): ColumnStats | undefined {
  if (!stats) return undefined;
  let s = stats.get(id);
  if (!s) {
    s = { valueCount: 0, nullCount: 0, nanCount: 0, min: undefined, max: undefined, bounded };
    stats.set(id, s);
  }
  return s;
}

// ---- column builders ------------------------------------------------------------------

/**
 * The values a column is built from: `src[i]` itself (col < 0), or `src[i][col]` (rows, col ≥ 0),
 * so that a top-level column is read straight from the buffered rows, without a copy per column.
 */
type Source = readonly unknown[];

function at(src: Source, col: number, i: number): unknown {
  return col < 0 ? src[i] : (src[i] as unknown[])[col];
}

function validity(src: Source, col: number, field: IcebergField | undefined): { bitmap: Uint8Array; nulls: number } {
  const n = src.length;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = at(src, col, i);
    if (v === null || v === undefined) nulls++;
  }
  if (nulls > 0 && field?.required) {
    throw new ConnectorError(`Column '${field.name}' is NOT NULL (required in the Iceberg schema) but a row has NULL`);
  }
  if (nulls === 0) return { bitmap: new Uint8Array(0), nulls };
  const bitmap = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    const v = at(src, col, i);
    if (v !== null && v !== undefined) bitmap[i >> 3] |= 1 << (i & 7);
  }
  return { bitmap, nulls };
}

/**
 * Writes the UTF-8 bytes of `s` at `pos` (short ASCII strings byte by byte, faster than a native
 * call for the short strings of most columns; anything else through Buffer.write); the new position.
 */
function writeUtf8(out: Buffer, s: string, pos: number): number {
  const len = s.length;
  if (len <= 32) {
    let k = 0;
    for (; k < len; k++) {
      const c = s.charCodeAt(k);
      if (c >= 0x80) break;
      out[pos + k] = c;
    }
    if (k === len) return pos + len;
  }
  return pos + out.write(s, pos, 'utf8');
}

/** The validity bitmap of a column without nulls: none. */
const NO_NULLS = new Uint8Array(0);

/** A validity bitmap for `n` rows whose first null is row `i` (the rows before it valid). */
function bitmapFrom(n: number, i: number): Uint8Array {
  const bitmap = new Uint8Array((n + 7) >> 3);
  bitmap.fill(0xff, 0, i >> 3);
  for (let k = i & ~7; k < i; k++) bitmap[k >> 3] |= 1 << (k & 7);
  return bitmap;
}

/** A primitive column's counts and bounds, once its values are in; refuses nulls in a required column. */
function finish(field: IcebergField, st: ColumnStats | undefined, n: number, nulls: number, min: unknown, max: unknown): void {
  if (nulls > 0 && field.required) {
    throw new ConnectorError(`Column '${field.name}' is NOT NULL (required in the Iceberg schema) but a row has NULL`);
  }
  if (!st) return;
  st.valueCount += n;
  st.nullCount += nulls;
  if (st.bounded) {
    st.min = min;
    st.max = max;
  }
}

/**
 * Builds the Arrow data of one column from values in tsstream's runtime representation: `values`,
 * or with `col` ≥ 0 the column `col` of the rows `values`.
 * `stats` receives metrics for primitive columns (bounds only when `bounded`).
 */
export function buildColumn(field: IcebergField, values: Source, stats?: StatsMap, bounded = true, col = -1): Data {
  const { makeData, FixedSizeBinary, Decimal } = arrow();
  const src = values;
  const t = field.type;
  const type = arrowType(t);
  const n = src.length;
  if (typeof t !== 'string') {
    const { bitmap, nulls } = validity(src, col, field);
    if (t.type === 'struct') {
      const children = t.fields.map((cf, k) => {
        const cv = new Array(n);
        for (let i = 0; i < n; i++) {
          const v = at(src, col, i) as unknown[] | null | undefined;
          cv[i] = v === null || v === undefined ? null : v[k];
        }
        return buildColumn(cf, cv, stats, bounded);
      });
      // Children of a null struct are null in Arrow; required children inside a null parent are fine.
      return makeData({ type: type as Struct, length: n, nullCount: nulls, nullBitmap: bitmap, children });
    }
    if (t.type === 'list') {
      const offsets = new Int32Array(n + 1);
      const flat: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const v = at(src, col, i) as unknown[] | null | undefined;
        if (v) for (const x of v) flat.push(x);
        offsets[i + 1] = flat.length;
      }
      const elemField: IcebergField = { id: t['element-id'], name: 'element', required: t['element-required'], type: t.element };
      const child = buildColumn(elemField, flat, stats, false);
      return makeData({ type: type as List, length: n, nullCount: nulls, nullBitmap: bitmap, valueOffsets: offsets, child });
    }
    // map
    const offsets = new Int32Array(n + 1);
    const keys: unknown[] = [];
    const vals: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const v = at(src, col, i) as Map<unknown, unknown> | Record<string, unknown> | null | undefined;
      if (v instanceof Map) {
        for (const [k, x] of v) (keys.push(k), vals.push(x));
      } else if (v) {
        for (const [k, x] of Object.entries(v)) (keys.push(k), vals.push(x));
      }
      offsets[i + 1] = keys.length;
    }
    const kf: IcebergField = { id: t['key-id'], name: 'key', required: true, type: t.key };
    const vf: IcebergField = { id: t['value-id'], name: 'value', required: t['value-required'], type: t.value };
    const mt = type as Map_;
    const entries = makeData({
      type: mt.children[0].type as Struct,
      length: keys.length,
      nullCount: 0,
      children: [buildColumn(kf, keys, stats, false), buildColumn(vf, vals, stats, false)],
    });
    return makeData({ type: mt, length: n, nullCount: nulls, nullBitmap: bitmap, valueOffsets: offsets, child: entries });
  }

  const st = statsFor(stats, field.id, bounded);
  let min: unknown = st?.min;
  let max: unknown = st?.max;
  // Nulls are counted in the pass over the values; the validity bitmap is made at the first one.
  let nulls = 0;
  let bitmap: Uint8Array = NO_NULLS;

  switch (t) {
    case 'boolean': {
      const data = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) {
        const v = at(src, col, i);
        if (v === null || v === undefined) {
          if (nulls++ === 0) bitmap = bitmapFrom(n, i);
          continue;
        }
        if (nulls !== 0) bitmap[i >> 3] |= 1 << (i & 7);
        if (v) data[i >> 3] |= 1 << (i & 7);
        const b = v ? 1 : 0;
        if (min === undefined || b < (min as number)) min = b;
        if (max === undefined || b > (max as number)) max = b;
      }
      if (min !== undefined) (min = min === 1), (max = max === 1);
      finish(field, st, n, nulls, min, max);
      return makeData({ type: type as Bool, length: n, nullCount: nulls, nullBitmap: bitmap, data });
    }
    case 'int':
    case 'date': {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = at(src, col, i);
        if (v === null || v === undefined) {
          if (nulls++ === 0) bitmap = bitmapFrom(n, i);
          continue;
        }
        if (nulls !== 0) bitmap[i >> 3] |= 1 << (i & 7);
        const x = v as number;
        data[i] = x;
        if (min === undefined || x < (min as number)) min = x;
        if (max === undefined || x > (max as number)) max = x;
      }
      finish(field, st, n, nulls, min, max);
      return makeData({ type: type as Int32, length: n, nullCount: nulls, nullBitmap: bitmap, data });
    }
    case 'long':
    case 'time':
    case 'timestamp':
    case 'timestamptz': {
      const data = new BigInt64Array(n);
      const lo = new Uint32Array(data.buffer, 0, n * 2);
      const hi = new Int32Array(data.buffer, 0, n * 2);
      // Numbers (the usual case) are bounded as numbers, apart; a long beyond 2^53 is a bigint, compared exactly.
      let nmin = Infinity;
      let nmax = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = at(src, col, i);
        if (v === null || v === undefined) {
          if (nulls++ === 0) bitmap = bitmapFrom(n, i);
          continue;
        }
        if (nulls !== 0) bitmap[i >> 3] |= 1 << (i & 7);
        if (typeof v === 'number') {
          const x = Math.trunc(v);
          const h = Math.floor(x / TWO32);
          lo[2 * i] = x - h * TWO32;
          hi[2 * i + 1] = h;
          if (x < nmin) nmin = x;
          if (x > nmax) nmax = x;
          continue;
        }
        const x = v as bigint;
        data[i] = x;
        if (min === undefined || x < (min as bigint)) min = x;
        if (max === undefined || x > (max as bigint)) max = x;
      }
      if (nmin !== Infinity) {
        if (min === undefined || nmin < (min as number)) min = nmin;
        if (max === undefined || nmax > (max as number)) max = nmax;
      }
      finish(field, st, n, nulls, min, max);
      return makeData({ type: type as Int64, length: n, nullCount: nulls, nullBitmap: bitmap, data });
    }
    case 'float':
    case 'double': {
      const data = t === 'float' ? new Float32Array(n) : new Float64Array(n);
      let nan = 0;
      for (let i = 0; i < n; i++) {
        const v = at(src, col, i);
        if (v === null || v === undefined) {
          if (nulls++ === 0) bitmap = bitmapFrom(n, i);
          continue;
        }
        if (nulls !== 0) bitmap[i >> 3] |= 1 << (i & 7);
        const x = v as number;
        data[i] = x;
        if (Number.isNaN(x)) {
          nan++;
          continue;
        }
        const y = t === 'float' ? Math.fround(x) : x;
        if (min === undefined || y < (min as number) || (y === 0 && min === 0 && Object.is(y, -0))) min = y;
        if (max === undefined || y > (max as number) || (y === 0 && max === 0 && Object.is(max, -0))) max = y;
      }
      if (st) st.nanCount += nan;
      finish(field, st, n, nulls, min, max);
      return makeData({ type: type as Float64, length: n, nullCount: nulls, nullBitmap: bitmap, data: data as Float64Array });
    }
    case 'string': {
      // Room for the bytes estimated from the first values (no pass over the column to measure
      // it), grown when a value might not fit (3 bytes per UTF-16 unit at most).
      let cap = 64;
      let sampled = 0;
      let sampledLength = 0;
      for (let i = 0; i < n && sampled < 64; i++) {
        const v = at(src, col, i);
        if (v === null || v === undefined) continue;
        sampledLength += (typeof v === 'string' ? v : String(v)).length;
        sampled++;
      }
      if (sampled > 0) cap += Math.ceil((sampledLength / sampled) * n * 1.25);
      let bytes = Buffer.allocUnsafe(cap);
      const offsets = new Int32Array(n + 1);
      let pos = 0;
      // The bounds move rarely: a value compared before (the first 1024 distinct ones are
      // remembered, most columns repeat fewer) is not compared again.
      const seen = new Set<string>();
      let remember = true;
      for (let i = 0; i < n; i++) {
        const v = at(src, col, i);
        if (v === null || v === undefined) {
          if (nulls++ === 0) bitmap = bitmapFrom(n, i);
        } else {
          if (nulls !== 0) bitmap[i >> 3] |= 1 << (i & 7);
          const s = typeof v === 'string' ? v : String(v);
          if (pos + s.length * 3 > cap) {
            cap = Math.max(cap * 2, pos + s.length * 3);
            const grown = Buffer.allocUnsafe(cap);
            bytes.copy(grown, 0, 0, pos);
            bytes = grown;
          }
          pos = writeUtf8(bytes, s, pos);
          if (!remember || !seen.has(s)) {
            if (min === undefined || compareStrings(s, min as string) < 0) min = s;
            if (max === undefined || compareStrings(s, max as string) > 0) max = s;
            if (remember) {
              seen.add(s);
              remember = seen.size < 1024;
            }
          }
        }
        offsets[i + 1] = pos;
      }
      bytes = bytes.subarray(0, pos);
      finish(field, st, n, nulls, min, max);
      return makeData({ type: type as Utf8, length: n, nullCount: nulls, nullBitmap: bitmap, valueOffsets: offsets, data: new Uint8Array(bytes.buffer, bytes.byteOffset, pos) });
    }
    case 'binary': {
      let total = 0;
      for (let i = 0; i < n; i++) total += (at(src, col, i) as Uint8Array | null)?.length ?? 0;
      const data = new Uint8Array(total);
      const offsets = new Int32Array(n + 1);
      let pos = 0;
      for (let i = 0; i < n; i++) {
        const v = at(src, col, i) as Uint8Array | null | undefined;
        if (v === null || v === undefined) {
          if (nulls++ === 0) bitmap = bitmapFrom(n, i);
        } else {
          if (nulls !== 0) bitmap[i >> 3] |= 1 << (i & 7);
          data.set(v, pos);
          pos += v.length;
          if (min === undefined || compareBytes(v, min as Uint8Array) < 0) min = v;
          if (max === undefined || compareBytes(v, max as Uint8Array) > 0) max = v;
        }
        offsets[i + 1] = pos;
      }
      finish(field, st, n, nulls, min, max);
      return makeData({ type: type as Binary, length: n, nullCount: nulls, nullBitmap: bitmap, valueOffsets: offsets, data });
    }
    default: {
      if (type instanceof FixedSizeBinary) {
        const w = type.byteWidth;
        const data = new Uint8Array(n * w);
        for (let i = 0; i < n; i++) {
          const v = at(src, col, i) as Uint8Array | null | undefined;
          if (v === null || v === undefined) {
            if (nulls++ === 0) bitmap = bitmapFrom(n, i);
            continue;
          }
          if (nulls !== 0) bitmap[i >> 3] |= 1 << (i & 7);
          if (v.length !== w) throw new ConnectorError(`Column '${field.name}': expected ${w} bytes, got ${v.length}`);
          data.set(v, i * w);
          if (min === undefined || compareBytes(v, min as Uint8Array) < 0) min = v;
          if (max === undefined || compareBytes(v, max as Uint8Array) > 0) max = v;
        }
        finish(field, st, n, nulls, min, max);
        return makeData({ type, length: n, nullCount: nulls, nullBitmap: bitmap, data });
      }
      if (type instanceof Decimal) {
        // Values are already the unscaled integers at the column's scale (Arrow Decimal128 little-endian words).
        const data = new Uint32Array(n * 4);
        for (let i = 0; i < n; i++) {
          const v = at(src, col, i);
          if (v === null || v === undefined) {
            if (nulls++ === 0) bitmap = bitmapFrom(n, i);
            continue;
          }
          if (nulls !== 0) bitmap[i >> 3] |= 1 << (i & 7);
          const x = v as number | bigint;
          if (typeof x === 'bigint') writeDecimal128(data, i, x);
          else {
            const u = x === 0 ? 0 : x;
            const h = Math.floor(u / TWO32);
            data[4 * i] = u - h * TWO32;
            const hi = h < 0 ? h + TWO32 : h;
            data[4 * i + 1] = hi;
            const ext = u < 0 ? 0xffffffff : 0;
            data[4 * i + 2] = ext;
            data[4 * i + 3] = ext;
          }
          if (min === undefined || x < (min as number)) min = x;
          if (max === undefined || x > (max as number)) max = x;
        }
        finish(field, st, n, nulls, min, max);
        return makeData({ type, length: n, nullCount: nulls, nullBitmap: bitmap, data });
      }
      throw new ConnectorError(`Cannot write Iceberg type ${t}`);
    }
  }
}

function writeDecimal128(out: Uint32Array, i: number, v: bigint): void {
  let x = BigInt.asUintN(128, v);
  for (let k = 0; k < 4; k++) {
    out[4 * i + k] = Number(x & 0xffffffffn);
    x >>= 32n;
  }
}

/** One Arrow record batch from positional rows (columns picked by `columnIndex`, -1 = null). */
export function buildBatch(schema: ArrowSchema, fields: IcebergField[], rows: readonly unknown[][], columnIndex: number[], stats?: StatsMap): RecordBatch {
  const { makeData, Struct, RecordBatch } = arrow();
  const n = rows.length;
  const children = fields.map((f, j) => {
    const idx = columnIndex[j];
    return idx < 0 ? buildColumn(f, new Array(n).fill(null), stats, true) : buildColumn(f, rows, stats, true, idx);
  });
  const data = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children });
  return new RecordBatch(schema, data);
}

export function batchBytes(b: RecordBatch): number {
  let total = 0;
  const visit = (d: Data) => {
    for (const buf of [d.values, d.valueOffsets, d.nullBitmap] as (ArrayBufferView | undefined)[]) if (buf) total += buf.byteLength;
    for (const c of d.children) visit(c);
  };
  visit(b.data);
  return total;
}

const CODECS = {
  zstd: 'ZSTD',
  snappy: 'SNAPPY',
  gzip: 'GZIP',
  brotli: 'BROTLI',
  lz4: 'LZ4_RAW',
  lz4_raw: 'LZ4_RAW',
  uncompressed: 'UNCOMPRESSED',
  none: 'UNCOMPRESSED',
} as const;

/** A Parquet codec (parquet-wasm's name for it). */
export type Codec = (typeof CODECS)[keyof typeof CODECS];

export function compressionCodec(name: string | undefined): Codec {
  const c = CODECS[(name ?? 'zstd').toLowerCase() as keyof typeof CODECS];
  if (c === undefined) throw new ConnectorError(`Unsupported Parquet compression codec '${name}' (use one of ${Object.keys(CODECS).join(', ')})`);
  return c;
}

/** Encodes record batches as one Parquet file. */
export async function encodeParquet(
  schema: ArrowSchema,
  batches: RecordBatch[],
  codec: Codec,
  rowGroupRows = 1024 * 1024,
  rowGroupBytes = 128 * 1024 * 1024,
  keyValueMetadata?: Map<string, string>,
): Promise<Uint8Array> {
  const pw = await pq();
  const { DataType } = arrow();
  const wasmTable = toWasmTable(pw, schema, batches);
  let props = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression[codec])
    // Dictionaries for strings and bytes only: numbers and times are mostly distinct (ids, event
    // times), where building a dictionary that is then abandoned costs time and the codec
    // compresses repeats anyway.
    .setDictionaryEnabled(false)
    .setMaxRowGroupSize(rowGroupRows)
    .setMaxRowGroupBytes(rowGroupBytes)
    .setStatisticsEnabled(pw.EnabledStatistics.Chunk)
    .setCreatedBy('tsstream');
  for (const f of schema.fields) if (DataType.isUtf8(f.type) || DataType.isBinary(f.type)) props = props.setColumnDictionaryEnabled(f.name, true);
  if (keyValueMetadata) props = props.setKeyValueMetadata(keyValueMetadata);
  return pw.writeParquet(wasmTable, props.build());
}

/**
 * The record batches as a parquet-wasm Table: Arrow's stream writer hands its pieces (message
 * headers, and the columns' own buffers, not copied) to a sink that only keeps them; they are then
 * copied once, into memory allocated inside WebAssembly, which the stream reader there takes over
 * (and frees). Without the exports, through one joined IPC buffer.
 */
function toWasmTable(pw: typeof ParquetWasm, schema: ArrowSchema, batches: RecordBatch[]): ParquetWasm.Table {
  const { RecordBatchStreamWriter, AsyncByteQueue, Table, tableToIPC } = arrow();
  const ex = wasmExports;
  const wrap = (pw.Table as unknown as { __wrap?(ptr: number): ParquetWasm.Table }).__wrap;
  if (!ex || typeof wrap !== 'function') return pw.Table.fromIPCStream(tableToIPC(new Table(schema, batches), 'stream'));
  const chunks: Uint8Array[] = [];
  let size = 0;
  class Pieces extends AsyncByteQueue {
    override write(chunk: unknown): void {
      const c = chunk as Uint8Array;
      chunks.push(c);
      size += c.byteLength;
    }
  }
  const writer = new RecordBatchStreamWriter();
  writer.reset(new Pieces() as never, schema);
  for (const b of batches) writer.write(b);
  writer.finish();
  const ptr = ex.__wbindgen_malloc(size, 1) >>> 0;
  // After the allocation: it may have grown (replaced) the memory's buffer.
  const mem = new Uint8Array(ex.memory.buffer, ptr, size);
  let at = 0;
  for (const c of chunks) {
    mem.set(c, at);
    at += c.byteLength;
  }
  const ret = ex.table_fromIPCStream(ptr, size);
  if (ret[2]) throw new ConnectorError('parquet-wasm could not read the Arrow stream of a data file');
  return wrap.call(pw.Table, ret[0]);
}

/** Parquet column paths (as arrow-rs writes them) of every leaf, by field id. */
function leafPaths(fields: IcebergField[]): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (path: string[], id: number, t: IcebergType) => {
    if (typeof t === 'string') {
      out.set(path.join('.'), id);
      return;
    }
    if (t.type === 'struct') for (const f of t.fields) visit([...path, f.name], f.id, f.type);
    else if (t.type === 'list') visit([...path, 'list', 'element'], t['element-id'], t.element);
    else {
      for (const group of ['key_value', 'entries', 'map']) {
        visit([...path, group, 'key'], t['key-id'], t.key);
        visit([...path, group, 'value'], t['value-id'], t.value);
      }
    }
  };
  for (const f of fields) visit([f.name], f.id, f.type);
  return out;
}

/** Compressed bytes per leaf column (by field id) and row group start offsets of a file. */
export function parquetLayout(bytes: Uint8Array, fields: IcebergField[]): { columnSizes: Record<number, number>; splitOffsets: number[] } {
  const paths = leafPaths(fields);
  const columnSizes: Record<number, number> = {};
  const splitOffsets: number[] = [];
  let offset = 4; // after the 'PAR1' magic; row groups follow one another
  for (const rg of readParquetFooter(bytes).rowGroups) {
    splitOffsets.push(offset);
    let size = 0;
    for (const c of rg.columns) {
      const id = paths.get(c.path.join('.'));
      const n = c.totalCompressedSize;
      size += n;
      if (id !== undefined) columnSizes[id] = (columnSizes[id] ?? 0) + n;
    }
    offset += size;
  }
  return { columnSizes, splitOffsets };
}

// ---- reading ------------------------------------------------------------------------------

/** Field ids and names of a Parquet file's top-level columns. */
export function parquetColumns(bytes: Uint8Array): { name: string; id: number | undefined }[] {
  return readParquetFooter(bytes).columns;
}

/**
 * Reads a Parquet file into rows of the requested Iceberg fields (by field id; by name when the
 * file has no ids). Columns the file lacks read as null.
 */
export async function readParquetRows(bytes: Uint8Array, fields: IcebergField[], rowGroups?: number[]): Promise<unknown[][]> {
  const cols = parquetColumns(bytes);
  const pw = await pq();
  const { tableFromIPC } = arrow();
  const names = fields.map((f) => cols.find((c) => c.id === f.id)?.name ?? (cols.every((c) => c.id === undefined) ? cols.find((c) => c.name === f.name)?.name : undefined));
  const wanted = [...new Set(names.filter((x): x is string => x !== undefined))];
  if (wanted.length === 0) {
    // No projected column is in the file: only the row count matters.
    const t = tableFromIPC(pw.readParquet(bytes, { columns: [cols[0].name], rowGroups }).intoIPCStream());
    return Array.from({ length: t.numRows }, () => fields.map(() => null));
  }
  const table = tableFromIPC(pw.readParquet(bytes, { columns: wanted, batchSize: 65536, rowGroups }).intoIPCStream());
  const n = table.numRows;
  const rows: unknown[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = new Array(fields.length).fill(null);
  fields.forEach((f, j) => {
    const name = names[j];
    if (name === undefined) return;
    const vec = table.getChild(name);
    if (!vec) return;
    let base = 0;
    for (const d of vec.data) {
      const vals = readData(d, f.type);
      for (let i = 0; i < vals.length; i++) rows[base + i][j] = vals[i];
      base += d.length;
    }
  });
  return rows;
}

/** The number of rows of each row group of a Parquet file. */
export function parquetRowGroupRows(bytes: Uint8Array): number[] {
  return readParquetFooter(bytes).rowGroups.map((rg) => rg.numRows);
}

/** The number of row groups of a Parquet file. */
export function parquetRowGroupCount(bytes: Uint8Array): number {
  return readParquetFooter(bytes).rowGroups.length;
}

function isValid(d: Data, i: number): boolean {
  if (!d.nullBitmap || d.nullBitmap.length === 0 || d.nullCount === 0) return true;
  const k = d.offset + i;
  return (d.nullBitmap[k >> 3] & (1 << (k & 7))) !== 0;
}

/** Short ASCII strings decode fastest in JS; anything else goes to the native decoder. */
function decodeUtf8(buf: Buffer, start: number, end: number): string {
  const len = end - start;
  if (len <= 24) {
    let ascii = true;
    for (let i = start; i < end; i++) if (buf[i] > 0x7f) { ascii = false; break; }
    if (ascii) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
      return s;
    }
  }
  return buf.toString('utf8', start, end);
}

/** The value offsets of a variable-width chunk. Files whose embedded Arrow schema says large_string,
 *  large_binary or large_list (pyarrow's choice, so pyiceberg's files) come back with 64-bit
 *  offsets: they are read as numbers (a chunk never holds 2^53 bytes). */
function offsetsOf(d: Data): ArrayLike<number> {
  const vo = d.valueOffsets as Int32Array | BigInt64Array;
  if (!(vo instanceof BigInt64Array)) return vo;
  const out = new Float64Array(vo.length);
  for (let i = 0; i < vo.length; i++) out[i] = Number(vo[i]);
  return out;
}

/** Values of one Arrow data chunk in tsstream's runtime representation. */
export function readData(d: Data, t: IcebergType): unknown[] {
  const { FixedSizeBinary, Decimal } = arrow();
  const n = d.length;
  const out: unknown[] = new Array(n);
  const off = d.offset;
  if (typeof t !== 'string') {
    if (t.type === 'struct') {
      const kids = t.fields.map((f, k) => readData(d.children[k], f.type));
      for (let i = 0; i < n; i++) out[i] = isValid(d, i) ? kids.map((c) => c[i]) : null;
      return out;
    }
    if (t.type === 'list') {
      const vo = offsetsOf(d);
      const child = readData(d.children[0], t.element);
      for (let i = 0; i < n; i++) out[i] = isValid(d, i) ? child.slice(vo[off + i], vo[off + i + 1]) : null;
      return out;
    }
    const vo = offsetsOf(d);
    const entries = d.children[0];
    const keys = readData(entries.children[0], t.key);
    const vals = readData(entries.children[1], t.value);
    for (let i = 0; i < n; i++) {
      if (!isValid(d, i)) {
        out[i] = null;
        continue;
      }
      const m = new Map<unknown, unknown>();
      for (let k = vo[off + i]; k < vo[off + i + 1]; k++) m.set(keys[k], vals[k]);
      out[i] = m;
    }
    return out;
  }
  const values = d.values as ArrayLike<unknown> & ArrayBufferView;
  switch (t) {
    case 'boolean':
      for (let i = 0; i < n; i++) {
        const k = off + i;
        out[i] = isValid(d, i) ? ((values as Uint8Array)[k >> 3] & (1 << (k & 7))) !== 0 : null;
      }
      return out;
    case 'int':
    case 'date':
    case 'float':
    case 'double':
      for (let i = 0; i < n; i++) out[i] = isValid(d, i) ? Number(values[off + i]) : null;
      return out;
    case 'long':
    case 'time':
    case 'timestamp':
    case 'timestamptz': {
      const type = d.type as DataType;
      // Files from other writers may store timestamps in other units, dates as days.
      let scale = 1;
      const unit = (type as unknown as { unit?: number }).unit;
      if (type.typeId === 10 /* Timestamp */ || type.typeId === 9 /* Time */) {
        scale = unit === 0 ? 1e6 : unit === 1 ? 1e3 : unit === 2 ? 1 : 1e-3;
      }
      const v64 = values as unknown as BigInt64Array | Int32Array;
      for (let i = 0; i < n; i++) {
        if (!isValid(d, i)) {
          out[i] = null;
          continue;
        }
        if (t === 'long') {
          const raw = v64[off + i];
          out[i] = typeof raw === 'bigint' ? canonical(raw) : raw;
          continue;
        }
        const x = Number(v64[off + i]);
        out[i] = scale === 1 ? x : scale < 1 ? Math.floor(x * scale) : x * scale;
      }
      return out;
    }
    case 'string': {
      const vo = offsetsOf(d);
      const bytes = values as Uint8Array;
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < n; i++) out[i] = isValid(d, i) ? decodeUtf8(buf, vo[off + i], vo[off + i + 1]) : null;
      return out;
    }
    case 'binary': {
      const vo = offsetsOf(d);
      const bytes = values as Uint8Array;
      for (let i = 0; i < n; i++) out[i] = isValid(d, i) ? bytes.slice(vo[off + i], vo[off + i + 1]) : null;
      return out;
    }
    default: {
      const type = d.type as DataType;
      if (type instanceof FixedSizeBinary) {
        const w = type.byteWidth;
        const bytes = values as Uint8Array;
        for (let i = 0; i < n; i++) out[i] = isValid(d, i) ? bytes.slice((off + i) * w, (off + i + 1) * w) : null;
        return out;
      }
      if (type instanceof Decimal) {
        const words = values as Uint32Array;
        const stride = type.bitWidth / 32;
        for (let i = 0; i < n; i++) {
          if (!isValid(d, i)) {
            out[i] = null;
            continue;
          }
          let x = 0n;
          for (let k = stride - 1; k >= 0; k--) x = (x << 32n) | BigInt(words[(off + i) * stride + k]);
          x = BigInt.asIntN(type.bitWidth, x);
          out[i] = canonical(x); // the unscaled value: DECIMAL's runtime representation
        }
        return out;
      }
      if (type.typeId === 2 /* Int */) {
        for (let i = 0; i < n; i++) out[i] = isValid(d, i) ? Number(values[off + i]) : null;
        return out;
      }
      throw new ConnectorError(`Cannot read a Parquet column of Arrow type ${String(type)} as ${t}`);
    }
  }
}

export { twosToBigint };
