// Columnar batches: a row count and one vector per column, in Apache Arrow's spirit (typed arrays,
// a validity bitmap, strings as a dictionary of codes). Values keep the runtime's canonical form
// when rows are materialised (toRows): a BIGINT beyond 2^53 stays a bigint, a DECIMAL its exact
// object, a TIMESTAMP its number of micros. Operators that do not read columns see rows through
// toRows(), so the Operator interface is unchanged.
import type { Row } from '../../common/types.js';

export type { NumberVector, DictionaryVector, ValueVector, Vector, ColumnBatch } from '../../common/columns.js';
import type { NumberVector, DictionaryVector, ValueVector, Vector, ColumnBatch } from '../../common/columns.js';

/** Whether `table.exec.columnar.enabled` (default true) is on in this configuration. */
export function columnarEnabled(config: ReadonlyMap<string, string>): boolean {
  return (config.get('table.exec.columnar.enabled') ?? 'true').trim().toLowerCase() !== 'false';
}

export function isValid(valid: Uint8Array, i: number): boolean {
  return (valid[i >> 3] & (1 << (i & 7))) !== 0;
}

/** The value at row i, in the runtime's canonical row form. */
export function valueAt(v: Vector, i: number): unknown {
  switch (v.kind) {
    case 'number':
      if (!isValid(v.valid, i)) return null;
      if (v.others !== undefined) {
        const o = v.others.get(i);
        if (o !== undefined) return o;
      }
      return v.values[i];
    case 'dictionary':
      return isValid(v.valid, i) ? v.dictionary[v.codes[i]] : null;
    default:
      return v.values[i];
  }
}

/** The batch as rows (the adapter every row operator reads through). */
export function toRows(b: ColumnBatch): Row[] {
  const n = b.length;
  const cols = b.columns;
  const w = cols.length;
  const rows = new Array<Row>(n);
  for (let i = 0; i < n; i++) rows[i] = new Array(w);
  for (let c = 0; c < w; c++) {
    const v = cols[c];
    if (v.kind === 'dictionary') {
      const { codes, dictionary, valid } = v;
      for (let i = 0; i < n; i++) rows[i][c] = (valid[i >> 3] & (1 << (i & 7))) !== 0 ? dictionary[codes[i]] : null;
    } else if (v.kind === 'number' && v.others === undefined) {
      const { values, valid } = v;
      for (let i = 0; i < n; i++) rows[i][c] = (valid[i >> 3] & (1 << (i & 7))) !== 0 ? values[i] : null;
    } else for (let i = 0; i < n; i++) rows[i][c] = valueAt(v, i);
  }
  return rows;
}

/** Builds one column value by value (the decoders' side). */
export interface ColumnBuilder {
  /** Appends a value in canonical row form (null, a number, a bigint, a string, anything else). */
  push(v: unknown): void;
  /** Replaces the last appended value (a JSON key given twice: the last one wins). */
  setLast(v: unknown): void;
  finish(length: number): Vector;
  /**
   * Takes back the arrays of a vector this builder's finish() returned, once its batch's consumer is
   * done with it (SourceBatch.release): the next finish() reuses them instead of allocating. A vector
   * the builder did not hand out, or hands back twice, is ignored.
   */
  recycle?(v: Vector): void;
}

/** Vectors' arrays a builder lent and may take back: at most LENT_MAX outstanding are remembered. */
const LENT_MAX = 4;

/** Room for the next batch: its predecessor's length and some (batches of one read size vary a little). */
function nextCapacity(length: number): number {
  return Math.max(1024, length + (length >> 3));
}

/** Whether `buf` is one of `lent` (then removed from it). */
function takeLent(lent: ArrayBufferLike[], buf: ArrayBufferLike): boolean {
  const i = lent.indexOf(buf);
  if (i < 0) return false;
  lent.splice(i, 1);
  return true;
}

function lend(lent: ArrayBufferLike[], buf: ArrayBufferLike): void {
  if (lent.length === LENT_MAX) lent.shift();
  lent.push(buf);
}

function growBits(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  if ((n >> 3) < a.length) return a;
  const b = new Uint8Array(Math.max(a.length * 2, (n >> 3) + 1));
  b.set(a);
  return b;
}

export class NumberBuilder implements ColumnBuilder {
  private values = new Float64Array(1024);
  private valid: Uint8Array<ArrayBuffer> = new Uint8Array(128);
  private others: Map<number, unknown> | undefined;
  private n = 0;
  /** Buffers of the values arrays finish() handed out (recycle() takes only these back). */
  private readonly lent: ArrayBufferLike[] = [];
  private spare: { values: Float64Array<ArrayBuffer>; valid: Uint8Array<ArrayBuffer> } | undefined;

  push(v: unknown): void {
    this.put(this.next(), v);
  }

  setLast(v: unknown): void {
    this.put(this.n - 1, v);
  }

  /** Appends a number (not NULL): push() without the type checks. */
  pushNumber(v: number): void {
    const i = this.next();
    this.values[i] = v;
    this.valid[i >> 3] |= 1 << (i & 7);
  }

  /** The index of a new value, with room for it (valid has a bit for each of values' slots). */
  private next(): number {
    const i = this.n++;
    if (i >= this.values.length) {
      const g = new Float64Array(this.values.length * 2);
      g.set(this.values);
      this.values = g;
      this.valid = growBits(this.valid, g.length - 1);
    }
    return i;
  }

  private put(i: number, v: unknown): void {
    const bit = 1 << (i & 7);
    if (v === null || v === undefined) {
      this.valid[i >> 3] &= ~bit;
      this.others?.delete(i);
      return;
    }
    this.valid[i >> 3] |= bit;
    if (typeof v === 'number') {
      this.values[i] = v;
      this.others?.delete(i);
    } else (this.others ??= new Map()).set(i, v);
  }

  finish(length: number): NumberVector {
    const out: NumberVector = { kind: 'number', values: this.values.subarray(0, length), valid: this.valid.subarray(0, (length + 7) >> 3) };
    if (this.others !== undefined && this.others.size > 0) out.others = this.others;
    lend(this.lent, this.values.buffer);
    const spare = this.spare;
    if (spare !== undefined && spare.values.length >= length) {
      // As fresh arrays: zeros (a NULL's slot is read as 0 by loops over all slots).
      spare.values.fill(0);
      spare.valid.fill(0);
      this.values = spare.values;
      this.valid = spare.valid;
    } else {
      this.values = new Float64Array(nextCapacity(length));
      this.valid = new Uint8Array((this.values.length + 7) >> 3);
    }
    this.spare = undefined;
    this.others = undefined;
    this.n = 0;
    return out;
  }

  recycle(v: Vector): void {
    if (v.kind !== 'number' || !takeLent(this.lent, v.values.buffer)) return;
    const values = new Float64Array(v.values.buffer as ArrayBuffer);
    const valid = new Uint8Array(v.valid.buffer as ArrayBuffer);
    if (this.spare === undefined || this.spare.values.length < values.length) this.spare = { values, valid };
  }
}

/** Strings by dictionary code; a column whose dictionary grows past `limit` becomes a plain value column. */
export class DictionaryBuilder implements ColumnBuilder {
  private codes = new Int32Array(1024);
  private valid: Uint8Array<ArrayBuffer> = new Uint8Array(128);
  private n = 0;
  /** Shared with the decoder (it looks strings up by their bytes and adds them here). */
  readonly dictionary: string[] = [];
  private readonly index = new Map<string, number>();
  /** Buffers of the codes arrays finish() handed out (recycle() takes only these back). */
  private readonly lent: ArrayBufferLike[] = [];
  private spare: { codes: Int32Array<ArrayBuffer>; valid: Uint8Array<ArrayBuffer> } | undefined;

  /** The code of a string, added when new. */
  code(s: string): number {
    let c = this.index.get(s);
    if (c === undefined) {
      c = this.dictionary.length;
      this.dictionary.push(s);
      this.index.set(s, c);
    }
    return c;
  }

  pushCode(c: number): void {
    const i = this.n++;
    if (i >= this.codes.length) {
      // valid has a bit for each of codes' slots
      const g = new Int32Array(this.codes.length * 2);
      g.set(this.codes);
      this.codes = g;
      this.valid = growBits(this.valid, g.length - 1);
    }
    this.codes[i] = c;
    this.valid[i >> 3] |= 1 << (i & 7);
  }

  setLastCode(c: number): void {
    const i = this.n - 1;
    this.codes[i] = c;
    this.valid[i >> 3] |= 1 << (i & 7);
  }

  push(v: unknown): void {
    if (v === null || v === undefined) {
      const i = this.n;
      this.pushCode(0);
      this.valid[i >> 3] &= ~(1 << (i & 7));
    } else this.pushCode(this.code(v as string));
  }

  setLast(v: unknown): void {
    const i = this.n - 1;
    if (v === null || v === undefined) this.valid[i >> 3] &= ~(1 << (i & 7));
    else this.setLastCode(this.code(v as string));
  }

  finish(length: number): DictionaryVector {
    // The dictionary is shared across batches (its strings are the row values): batches only read it.
    const out: DictionaryVector = { kind: 'dictionary', codes: this.codes.subarray(0, length), dictionary: this.dictionary, valid: this.valid.subarray(0, (length + 7) >> 3) };
    lend(this.lent, this.codes.buffer);
    const spare = this.spare;
    if (spare !== undefined && spare.codes.length >= length) {
      spare.codes.fill(0);
      spare.valid.fill(0);
      this.codes = spare.codes;
      this.valid = spare.valid;
    } else {
      this.codes = new Int32Array(nextCapacity(length));
      this.valid = new Uint8Array((this.codes.length + 7) >> 3);
    }
    this.spare = undefined;
    this.n = 0;
    return out;
  }

  recycle(v: Vector): void {
    if (v.kind !== 'dictionary' || !takeLent(this.lent, v.codes.buffer)) return;
    const codes = new Int32Array(v.codes.buffer as ArrayBuffer);
    const valid = new Uint8Array(v.valid.buffer as ArrayBuffer);
    if (this.spare === undefined || this.spare.codes.length < codes.length) this.spare = { codes, valid };
  }
}

export class ValueBuilder implements ColumnBuilder {
  private values: unknown[] = [];

  push(v: unknown): void {
    this.values.push(v);
  }

  setLast(v: unknown): void {
    this.values[this.values.length - 1] = v;
  }

  finish(): ValueVector {
    const out: ValueVector = { kind: 'value', values: this.values };
    this.values = [];
    return out;
  }
}
