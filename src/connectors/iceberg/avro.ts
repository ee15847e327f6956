// Avro object container files for Iceberg manifests and manifest lists. avsc encodes and
// decodes the records (with a `long` that maps to bigint, since snapshot ids use all 63
// bits); the container (header, blocks, deflate) is written here, so the header's
// `avro.schema` is exactly the schema built with Iceberg's field-id attributes.
import type avro from 'avsc';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { ConnectorError } from '../../common/errors.js';
import { avsc } from '../../common/avsc.js';

let longAsBigInt: avro.Type | undefined;

/** avsc's long as bigint (made once, on first use). */
function bigintLong(): avro.Type {
  const LongType = avsc().builtins.LongType as unknown as { __with(methods: Record<string, unknown>): avro.Type };
  return (longAsBigInt ??= LongType.__with({
    fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
    toBuffer: (n: bigint | number) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(n));
      return b;
    },
    fromJSON: (x: unknown) => BigInt(x as number),
    toJSON: (n: bigint) => Number(n),
    isValid: (n: unknown) => typeof n === 'bigint' || (typeof n === 'number' && Number.isInteger(n)),
    compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
  }));
}

/** An avsc type for a schema, with longs as bigint. */
export function avroType(schema: unknown): avro.Type {
  return avsc().Type.forSchema(schema as avro.Schema, { registry: { long: bigintLong() } as never });
}

/**
 * The avsc types made so far, by their schema's JSON text (as a container file's header holds it):
 * avsc generates and compiles JavaScript for every record type it makes (`new Function`, which no
 * code cache keeps), a few ms each, and a commit writes a manifest and a manifest list whose
 * schemas the next read of the table meets again. A type holds no state between calls.
 */
const typesByJson = new Map<string, avro.Type>();

function avroTypeOf(json: string, schema: unknown): avro.Type {
  let t = typesByJson.get(json);
  if (!t) {
    // Schemas differ by table (partition fields) only: a bound for a process that writes many tables.
    if (typesByJson.size >= 64) typesByJson.clear();
    typesByJson.set(json, (t = avroType(schema)));
  }
  return t;
}

const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]);

function zigzag(n: number | bigint): Buffer {
  let v = BigInt(n);
  v = v >= 0n ? v << 1n : (-v << 1n) - 1n;
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

function bytesField(b: Buffer): Buffer {
  return Buffer.concat([zigzag(b.length), b]);
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  long(): number {
    let shift = 0n;
    let v = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new ConnectorError('Truncated Avro file');
      const b = this.buf[this.pos++];
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
    }
    return Number((v >> 1n) ^ -(v & 1n));
  }
  bytes(): Buffer {
    const n = this.long();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** Writes an Avro container file: the schema JSON (as given), extra metadata, deflated blocks. */
export function writeAvroFile(
  schema: object,
  records: unknown[],
  metadata: Record<string, string>,
  codec: 'deflate' | 'null' = 'deflate',
): Uint8Array {
  const json = JSON.stringify(schema);
  const type = avroTypeOf(json, schema);
  const sync = randomBytes(16);
  const meta: [string, Buffer][] = [
    ['avro.schema', Buffer.from(json, 'utf8')],
    ['avro.codec', Buffer.from(codec, 'utf8')],
    ...Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'utf8')] as [string, Buffer]),
  ];
  const parts: Buffer[] = [MAGIC, zigzag(meta.length)];
  for (const [k, v] of meta) parts.push(bytesField(Buffer.from(k, 'utf8')), bytesField(v));
  parts.push(zigzag(0), sync);
  const BLOCK = 1000;
  for (let i = 0; i < records.length; i += BLOCK) {
    const chunk = records.slice(i, i + BLOCK);
    const raw = Buffer.concat(chunk.map((r) => type.toBuffer(r)));
    const data = codec === 'deflate' ? deflateRawSync(raw) : raw;
    parts.push(zigzag(chunk.length), zigzag(data.length), data, sync);
  }
  const out = Buffer.concat(parts);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export interface AvroFile {
  schema: Record<string, unknown>;
  metadata: Record<string, string>;
  records: Record<string, unknown>[];
}

/** Reads an Avro container file (codecs null and deflate). */
export function readAvroFile(bytes: Uint8Array, what = 'Avro file'): AvroFile {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 4 || !buf.subarray(0, 4).equals(MAGIC)) throw new ConnectorError(`${what} is not an Avro container file`);
  const r = new Reader(buf);
  r.pos = 4;
  const metadata: Record<string, string> = {};
  for (;;) {
    let n = r.long();
    if (n === 0) break;
    if (n < 0) {
      n = -n;
      r.long();
    }
    for (let i = 0; i < n; i++) {
      const k = r.bytes().toString('utf8');
      metadata[k] = r.bytes().toString('utf8');
    }
  }
  const sync = buf.subarray(r.pos, r.pos + 16);
  r.pos += 16;
  const json = metadata['avro.schema'] ?? 'null';
  const schema = JSON.parse(json) as Record<string, unknown>;
  if (!schema) throw new ConnectorError(`${what} has no schema`);
  const codec = metadata['avro.codec'] ?? 'null';
  if (codec !== 'null' && codec !== 'deflate') throw new ConnectorError(`${what}: Avro codec '${codec}' is not supported`);
  const type = avroTypeOf(json, schema);
  const records: Record<string, unknown>[] = [];
  while (r.pos < buf.length) {
    const count = r.long();
    const size = r.long();
    const raw = buf.subarray(r.pos, r.pos + size);
    r.pos += size;
    const data = codec === 'deflate' ? inflateRawSync(raw) : raw;
    let off = 0;
    for (let i = 0; i < count; i++) {
      const res = type.decode(data, off);
      if (res.offset < 0) throw new ConnectorError(`${what}: truncated Avro block`);
      records.push(res.value as Record<string, unknown>);
      off = res.offset;
    }
    if (!buf.subarray(r.pos, r.pos + 16).equals(sync)) throw new ConnectorError(`${what}: Avro sync marker mismatch`);
    r.pos += 16;
  }
  return { schema, metadata, records };
}
