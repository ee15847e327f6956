// Record batch v2 (magic 2): encoding, decoding and CRC-32C checking.
//   baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
//   attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
//   producerId int64 | producerEpoch int16 | baseSequence int32 | records [count int32 + records]
// The CRC covers everything from attributes to the end of the batch.
import { gunzipSync, gzipSync } from 'node:zlib';
import { Reader, Writer, crc32c } from './codec.js';

export const BATCH_HEADER_SIZE = 61;
const CRC_OFFSET = 17;
const ATTRIBUTES_OFFSET = 21;

export const ATTR_COMPRESSION_MASK = 0x07;
export const ATTR_TIMESTAMP_LOG_APPEND = 0x08;
export const ATTR_TRANSACTIONAL = 0x10;
export const ATTR_CONTROL = 0x20;

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface BrokerRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** What the broker keeps about one stored batch (the bytes are kept as sent, with offset and epoch rewritten). */
export interface BatchInfo {
  baseOffset: number;
  lastOffsetDelta: number;
  recordCount: number;
  attributes: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  partitionLeaderEpoch: number;
  magic: number;
}

export function readBatchHeader(buf: Buffer, at = 0): BatchInfo {
  return {
    baseOffset: Number(buf.readBigInt64BE(at)),
    partitionLeaderEpoch: buf.readInt32BE(at + 12),
    magic: buf.readInt8(at + 16),
    attributes: buf.readInt16BE(at + ATTRIBUTES_OFFSET),
    lastOffsetDelta: buf.readInt32BE(at + 23),
    baseTimestamp: Number(buf.readBigInt64BE(at + 27)),
    maxTimestamp: Number(buf.readBigInt64BE(at + 35)),
    producerId: Number(buf.readBigInt64BE(at + 43)),
    producerEpoch: buf.readInt16BE(at + 51),
    baseSequence: buf.readInt32BE(at + 53),
    recordCount: buf.readInt32BE(at + 57),
  };
}

/** Splits a RECORDS blob into its batches; throws a descriptive error on a malformed or corrupt one. */
export function splitBatches(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < 17) throw new CorruptRecordError('truncated record batch header');
    const len = buf.readInt32BE(at + 8);
    const end = at + 12 + len;
    if (len < BATCH_HEADER_SIZE - 12 || end > buf.length) throw new CorruptRecordError('record batch length out of range');
    const magic = buf.readInt8(at + 16);
    if (magic !== 2) throw new UnsupportedMagicError(`message format v${magic} is not supported (only record batch v2)`);
    const stored = buf.readUInt32BE(at + CRC_OFFSET);
    const computed = crc32c(buf, at + ATTRIBUTES_OFFSET, end);
    if (stored !== computed) throw new CorruptRecordError(`record batch CRC mismatch (stored ${stored}, computed ${computed})`);
    out.push(buf.subarray(at, end));
    at = end;
  }
  return out;
}

export class CorruptRecordError extends Error {}
export class UnsupportedMagicError extends Error {}

/** A copy of a batch with its base offset (and leader epoch) set. Neither is covered by the CRC. */
export function withBaseOffset(batch: Buffer, baseOffset: number, leaderEpoch: number): Buffer {
  const copy = Buffer.from(batch);
  copy.writeBigInt64BE(BigInt(baseOffset), 0);
  copy.writeInt32BE(leaderEpoch, 12);
  return copy;
}

/** Marks a batch LogAppendTime with the broker's time as its max timestamp, and recomputes its CRC (in place). */
export function stampLogAppendTime(batch: Buffer, now: number): void {
  batch.writeInt16BE(batch.readInt16BE(ATTRIBUTES_OFFSET) | ATTR_TIMESTAMP_LOG_APPEND, ATTRIBUTES_OFFSET);
  batch.writeBigInt64BE(BigInt(now), 35);
  batch.writeUInt32BE(crc32c(batch, ATTRIBUTES_OFFSET), CRC_OFFSET);
}

function decompress(codec: number, data: Buffer): Buffer | null {
  if (codec === 0) return data;
  if (codec === 1) return gunzipSync(data);
  return null; // snappy, lz4, zstd: stored and served as is, not looked into
}

/** The records of a batch (null when its compression is one the broker does not decode). */
export function decodeRecords(batch: Buffer): BrokerRecord[] | null {
  const h = readBatchHeader(batch);
  const body = decompress(h.attributes & ATTR_COMPRESSION_MASK, batch.subarray(BATCH_HEADER_SIZE));
  if (!body) return null;
  const r = new Reader(body);
  const out: BrokerRecord[] = [];
  for (let i = 0; i < h.recordCount; i++) {
    const len = r.varint();
    const end = r.off + len;
    r.int8(); // attributes
    const tsDelta = r.varlong();
    const offDelta = r.varint();
    const kl = r.varint();
    const key = kl < 0 ? null : Buffer.from(r.bytesN(kl));
    const vl = r.varint();
    const value = vl < 0 ? null : Buffer.from(r.bytesN(vl));
    const hc = r.varint();
    const headers: RecordHeader[] = [];
    for (let j = 0; j < hc; j++) {
      const hk = r.bytesN(r.varint()).toString('utf8');
      const hvl = r.varint();
      headers.push({ key: hk, value: hvl < 0 ? null : Buffer.from(r.bytesN(hvl)) });
    }
    r.off = end;
    out.push({
      offset: h.baseOffset + offDelta,
      timestamp: h.attributes & ATTR_TIMESTAMP_LOG_APPEND ? h.maxTimestamp : h.baseTimestamp + tsDelta,
      key,
      value,
      headers,
    });
  }
  return out;
}

export interface NewRecord {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | null> | RecordHeader[];
  timestamp?: number;
}

function buf(v: Buffer | string | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

export interface EncodeOptions {
  baseOffset?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
  gzip?: boolean;
  leaderEpoch?: number;
}

/** Builds a record batch v2 with a correct CRC-32C. */
export function encodeBatch(records: NewRecord[], opts: EncodeOptions = {}): Buffer {
  const now = Date.now();
  const ts = records.map((r) => r.timestamp ?? now);
  const baseTs = ts.length ? Math.min(...ts) : now;
  const maxTs = ts.length ? Math.max(...ts) : now;
  const body = new Writer();
  records.forEach((rec, i) => {
    const w = new Writer();
    w.int8(0);
    w.varint(ts[i] - baseTs);
    w.varint(i);
    const k = buf(rec.key);
    if (k === null) w.varint(-1);
    else w.varint(k.length).raw(k);
    const v = buf(rec.value);
    if (v === null) w.varint(-1);
    else w.varint(v.length).raw(v);
    const hs: RecordHeader[] = Array.isArray(rec.headers)
      ? rec.headers
      : Object.entries(rec.headers ?? {}).map(([key, value]) => ({ key, value: buf(value) }));
    w.varint(hs.length);
    for (const h of hs) {
      const hk = Buffer.from(h.key, 'utf8');
      w.varint(hk.length).raw(hk);
      if (h.value === null) w.varint(-1);
      else w.varint(h.value.length).raw(h.value);
    }
    const rb = w.toBuffer();
    body.varint(rb.length).raw(rb);
  });
  let recordsBytes = body.toBuffer();
  let attributes = 0;
  if (opts.gzip) {
    recordsBytes = gzipSync(recordsBytes);
    attributes |= 1;
  }
  if (opts.transactional) attributes |= ATTR_TRANSACTIONAL;
  if (opts.control) attributes |= ATTR_CONTROL;
  const out = Buffer.alloc(BATCH_HEADER_SIZE + recordsBytes.length);
  out.writeBigInt64BE(BigInt(opts.baseOffset ?? 0), 0);
  out.writeInt32BE(out.length - 12, 8);
  out.writeInt32BE(opts.leaderEpoch ?? 0, 12);
  out.writeInt8(2, 16);
  out.writeInt16BE(attributes, 21);
  out.writeInt32BE(Math.max(0, records.length - 1), 23);
  out.writeBigInt64BE(BigInt(baseTs), 27);
  out.writeBigInt64BE(BigInt(maxTs), 35);
  out.writeBigInt64BE(BigInt(opts.producerId ?? -1), 43);
  out.writeInt16BE(opts.producerEpoch ?? -1, 51);
  out.writeInt32BE(opts.baseSequence ?? -1, 53);
  out.writeInt32BE(records.length, 57);
  recordsBytes.copy(out, BATCH_HEADER_SIZE);
  out.writeUInt32BE(crc32c(out, ATTRIBUTES_OFFSET), CRC_OFFSET);
  return out;
}

/** A transaction marker: a control batch with one record whose key says commit (1) or abort (0). */
export function encodeControlBatch(commit: boolean, producerId: number, producerEpoch: number, baseOffset: number, leaderEpoch: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(commit ? 1 : 0, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(0, 2);
  return encodeBatch([{ key, value }], { baseOffset, producerId, producerEpoch, transactional: true, control: true, leaderEpoch });
}
