// A Parquet file's footer (its FileMetaData, Thrift compact protocol) read in JavaScript: the
// top-level columns with their field ids, the row groups' row counts and each column chunk's path
// and compressed size. This is all the connector asks of a file besides its rows (a data file's
// metrics after writing it, a scan's row groups, the projection's columns), and asking
// parquet-wasm for it ran WebAssembly functions that nothing else runs: V8 compiles each function
// on its first call (lazily, on the calling thread), ~25 ms on the quickstart's path for a footer
// of a few hundred bytes.
import { ConnectorError } from '../../common/errors.js';

export interface FooterColumn {
  name: string;
  /** The Parquet field id (Iceberg's), when the file has one. */
  id: number | undefined;
}

export interface FooterChunk {
  /** The column's path in the schema (arrow-rs's: a list's leaf is name.list.element). */
  path: string[];
  totalCompressedSize: number;
}

export interface FooterRowGroup {
  numRows: number;
  columns: FooterChunk[];
}

export interface ParquetFooter {
  /** The top-level columns, in file order. */
  columns: FooterColumn[];
  rowGroups: FooterRowGroup[];
}

// Thrift compact protocol field types.
const STOP = 0;
const TRUE = 1;
const FALSE = 2;
const BYTE = 3;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const SET = 10;
const MAP = 11;
const STRUCT = 12;

class CompactReader {
  pos: number;
  constructor(
    private readonly buf: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  private byte(): number {
    if (this.pos >= this.end) throw new ConnectorError('Parquet footer is truncated');
    return this.buf[this.pos++];
  }

  /** An unsigned varint (exact up to 2^53). */
  varint(): number {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
      if (mul > 2 ** 63) throw new ConnectorError('Parquet footer has a malformed varint');
    }
  }

  /** A zigzag varint (i16, i32, i64). */
  int(): number {
    const u = this.varint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  string(): string {
    const n = this.varint();
    if (this.pos + n > this.end) throw new ConnectorError('Parquet footer is truncated');
    const s = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, n).toString('utf8');
    this.pos += n;
    return s;
  }

  /** A list's (or set's) element type and size. */
  listHeader(): { type: number; size: number } {
    const h = this.byte();
    const size = h >> 4 === 15 ? this.varint() : h >> 4;
    return { type: h & 0x0f, size };
  }

  /** Reads a struct's fields, calling `field` with each id and type; it reads or skips the value (returns false to skip). */
  struct(field: (id: number, type: number) => boolean): void {
    let last = 0;
    for (;;) {
      const h = this.byte();
      const type = h & 0x0f;
      if (type === STOP) return;
      const delta = h >> 4;
      const id = delta === 0 ? this.int() : last + delta;
      last = id;
      if (!field(id, type)) this.skip(type);
    }
  }

  skip(type: number): void {
    switch (type) {
      case TRUE:
      case FALSE:
        return; // in a struct field header; list elements are bytes (BYTE below)
      case BYTE:
        this.pos++;
        return;
      case I16:
      case I32:
      case I64:
        this.varint();
        return;
      case DOUBLE:
        this.pos += 8;
        return;
      case BINARY: {
        const n = this.varint(); // before reading this.pos: `this.pos += this.varint()` would lose the length's bytes
        this.pos += n;
        return;
      }
      case LIST:
      case SET: {
        const { type: t, size } = this.listHeader();
        for (let i = 0; i < size; i++) this.skip(t === TRUE || t === FALSE ? BYTE : t);
        return;
      }
      case MAP: {
        const size = this.varint();
        if (size === 0) return;
        const kv = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(kv >> 4);
          this.skip(kv & 0x0f);
        }
        return;
      }
      case STRUCT:
        this.struct(() => false);
        return;
      default:
        throw new ConnectorError(`Parquet footer has an unknown Thrift type ${type}`);
    }
  }

  list<T>(elem: () => T): T[] {
    const { size } = this.listHeader();
    const out: T[] = new Array(size);
    for (let i = 0; i < size; i++) out[i] = elem();
    return out;
  }
}

interface SchemaElement {
  name: string;
  numChildren: number;
  fieldId: number | undefined;
}

function schemaElement(r: CompactReader): SchemaElement {
  const e: SchemaElement = { name: '', numChildren: 0, fieldId: undefined };
  r.struct((id, type) => {
    if (id === 4 && type === BINARY) e.name = r.string();
    else if (id === 5 && type === I32) e.numChildren = r.int();
    else if (id === 9 && type === I32) e.fieldId = r.int();
    else return false;
    return true;
  });
  return e;
}

function columnChunk(r: CompactReader): FooterChunk {
  const c: FooterChunk = { path: [], totalCompressedSize: 0 };
  r.struct((id, type) => {
    if (id !== 3 || type !== STRUCT) return false;
    // ColumnMetaData
    r.struct((mid, mtype) => {
      if (mid === 3 && mtype === LIST) c.path = r.list(() => r.string());
      else if (mid === 7 && mtype === I64) c.totalCompressedSize = r.int();
      else return false;
      return true;
    });
    return true;
  });
  return c;
}

function rowGroup(r: CompactReader): FooterRowGroup {
  const g: FooterRowGroup = { numRows: 0, columns: [] };
  r.struct((id, type) => {
    if (id === 1 && type === LIST) g.columns = r.list(() => columnChunk(r));
    else if (id === 3 && type === I64) g.numRows = r.int();
    else return false;
    return true;
  });
  return g;
}

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // 'PAR1'

/** The footer of a whole Parquet file's bytes. */
export function readParquetFooter(bytes: Uint8Array): ParquetFooter {
  const n = bytes.length;
  if (n < 12 || MAGIC.some((m, i) => bytes[n - 4 + i] !== m)) throw new ConnectorError('Not a Parquet file (no PAR1 footer)');
  const len = (bytes[n - 8] | (bytes[n - 7] << 8) | (bytes[n - 6] << 16) | (bytes[n - 5] << 24)) >>> 0;
  const start = n - 8 - len;
  if (len <= 0 || start < 4) throw new ConnectorError('Parquet footer length is out of range');
  const r = new CompactReader(bytes, start, n - 8);
  let schema: SchemaElement[] = [];
  let rowGroups: FooterRowGroup[] = [];
  r.struct((id, type) => {
    if (id === 2 && type === LIST) schema = r.list(() => schemaElement(r));
    else if (id === 4 && type === LIST) rowGroups = r.list(() => rowGroup(r));
    else return false;
    return true;
  });
  if (schema.length === 0) throw new ConnectorError('Parquet footer has no schema');
  // schema[0] is the root; its children follow depth first: skip each top-level column's subtree.
  const columns: FooterColumn[] = [];
  let i = 1;
  const subtree = (): void => {
    const e = schema[i++];
    if (!e) throw new ConnectorError('Parquet footer schema is truncated');
    for (let c = 0; c < e.numChildren; c++) subtree();
  };
  for (let c = 0; c < schema[0].numChildren; c++) {
    const e = schema[i];
    subtree();
    columns.push({ name: e.name, id: e.fieldId });
  }
  return { columns, rowGroups };
}
