// Primitive encoders/decoders of the Kafka wire protocol: big-endian integers, zig-zag
// varints, classic and compact (flexible-version) strings, arrays and tagged fields.

export class Reader {
  off = 0;
  constructor(readonly buf: Buffer) {}

  remaining(): number {
    return this.buf.length - this.off;
  }
  int8(): number {
    const v = this.buf.readInt8(this.off);
    this.off += 1;
    return v;
  }
  int16(): number {
    const v = this.buf.readInt16BE(this.off);
    this.off += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.off);
    this.off += 4;
    return v;
  }
  uint32(): number {
    const v = this.buf.readUInt32BE(this.off);
    this.off += 4;
    return v;
  }
  /** int64 as a JS number (offsets, timestamps and producer ids fit in 2^53). */
  int64(): number {
    const v = this.buf.readBigInt64BE(this.off);
    this.off += 8;
    return Number(v);
  }
  bool(): boolean {
    return this.int8() !== 0;
  }
  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.buf[this.off++];
      if (b === undefined) throw new RangeError('varint past end of buffer');
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new RangeError('varint too long');
    }
  }
  varint(): number {
    const u = this.uvarint();
    // zig-zag decode without 32-bit overflow
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
  varlong(): number {
    return this.varint();
  }
  bytesN(n: number): Buffer {
    if (n > this.remaining()) throw new RangeError(`need ${n} bytes, have ${this.remaining()}`);
    const b = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return b;
  }
  string(): string {
    const n = this.int16();
    if (n < 0) throw new RangeError('null where a string is required');
    return this.bytesN(n).toString('utf8');
  }
  nullableString(): string | null {
    const n = this.int16();
    return n < 0 ? null : this.bytesN(n).toString('utf8');
  }
  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new RangeError('null where a compact string is required');
    return s;
  }
  compactNullableString(): string | null {
    const n = this.uvarint() - 1;
    return n < 0 ? null : this.bytesN(n).toString('utf8');
  }
  bytes(): Buffer {
    const n = this.int32();
    return n < 0 ? Buffer.alloc(0) : this.bytesN(n);
  }
  nullableBytes(): Buffer | null {
    const n = this.int32();
    return n < 0 ? null : this.bytesN(n);
  }
  array<T>(item: (r: Reader) => T): T[] {
    const n = this.int32();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  compactArray<T>(item: (r: Reader) => T): T[] {
    const n = this.uvarint() - 1;
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  /** Skips a tagged-field section (we understand none of the optional tags). */
  taggedFields(): void {
    const n = this.uvarint();
    for (let i = 0; i < n; i++) {
      this.uvarint();
      const size = this.uvarint();
      this.bytesN(size);
    }
  }
}

export class Writer {
  private chunks: Buffer[] = [];
  private cur = Buffer.allocUnsafe(256);
  private pos = 0;
  private total = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.cur.length) return;
    this.flushCur();
    this.cur = Buffer.allocUnsafe(Math.max(256, n));
  }
  private flushCur(): void {
    if (this.pos > 0) this.chunks.push(this.cur.subarray(0, this.pos));
    this.cur = Buffer.allocUnsafe(256);
    this.pos = 0;
  }
  get length(): number {
    return this.total;
  }
  int8(v: number): this {
    this.ensure(1);
    this.cur.writeInt8(v, this.pos);
    this.pos += 1;
    this.total += 1;
    return this;
  }
  int16(v: number): this {
    this.ensure(2);
    this.cur.writeInt16BE(v, this.pos);
    this.pos += 2;
    this.total += 2;
    return this;
  }
  int32(v: number): this {
    this.ensure(4);
    this.cur.writeInt32BE(v, this.pos);
    this.pos += 4;
    this.total += 4;
    return this;
  }
  uint32(v: number): this {
    this.ensure(4);
    this.cur.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    this.total += 4;
    return this;
  }
  int64(v: number | bigint): this {
    this.ensure(8);
    this.cur.writeBigInt64BE(BigInt(v), this.pos);
    this.pos += 8;
    this.total += 8;
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  uvarint(v: number): this {
    this.ensure(10);
    let x = v;
    while (x >= 0x80) {
      this.cur[this.pos++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
      this.total++;
    }
    this.cur[this.pos++] = x;
    this.total++;
    return this;
  }
  varint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  raw(b: Uint8Array): this {
    if (b.length === 0) return this;
    this.flushCur();
    this.chunks.push(Buffer.from(b.buffer, b.byteOffset, b.length));
    this.total += b.length;
    return this;
  }
  string(s: string): this {
    const b = Buffer.from(s, 'utf8');
    this.int16(b.length);
    return this.raw(b);
  }
  nullableString(s: string | null | undefined): this {
    if (s === null || s === undefined) return this.int16(-1);
    return this.string(s);
  }
  compactString(s: string): this {
    const b = Buffer.from(s, 'utf8');
    this.uvarint(b.length + 1);
    return this.raw(b);
  }
  compactNullableString(s: string | null | undefined): this {
    if (s === null || s === undefined) return this.uvarint(0);
    return this.compactString(s);
  }
  bytes(b: Uint8Array): this {
    this.int32(b.length);
    return this.raw(b);
  }
  nullableBytes(b: Uint8Array | null | undefined): this {
    if (b === null || b === undefined) return this.int32(-1);
    return this.bytes(b);
  }
  array<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }
  nullableArray<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): this {
    if (items === null) return this.int32(-1);
    return this.array(items, item);
  }
  compactArray<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.uvarint(items.length + 1);
    for (const v of items) item(this, v);
    return this;
  }
  /** An empty tagged-field section. */
  taggedFields(): this {
    return this.uvarint(0);
  }
  toBuffer(): Buffer {
    this.flushCur();
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.total);
  }
}

// CRC-32C (Castagnoli), the checksum of record batch v2.
const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = CRC32C_TABLE[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
