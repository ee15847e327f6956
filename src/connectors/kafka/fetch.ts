// Fetch responses (v11, the version kafkajs 2.2.4 speaks to Kafka ≥ 2.3) decoded with fewer
// allocations than kafkajs's own decoder: a record is one object whose key and value are views
// of the response, its offset a number (`offsetNumber`); its offset and timestamp texts and its
// headers are built only when read (getters). kafkajs builds a Decoder, two Longs parsed from
// text, two strings and a headers object per record; on a source reading hundreds of thousands of
// small records a second that was most of the fetch path's cost. Everything else (the response
// and partition headers, legacy message sets, offsets beyond 2^53) goes through kafkajs's code,
// so what a record says is the same either way.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
const Decoder: any = require('kafkajs/src/protocol/decoder.js');
const v11Response: any = require('kafkajs/src/protocol/requests/fetch/v11/response.js');
const kafkajsDecodeMessages: any = require('kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js');
const kafkajsRecordDecoder: any = require('kafkajs/src/protocol/recordBatch/record/v0/decoder.js');
const { lookupCodecByAttributes }: any = require('kafkajs/src/protocol/message/compression/index.js');
const HeaderDecoder: any = require('kafkajs/src/protocol/recordBatch/header/v0/decoder.js');
const TimestampTypes: any = require('kafkajs/src/protocol/timestampTypes.js');

const MAGIC_OFFSET = 16;
const RECORD_BATCH_OVERHEAD = 49;
/** Bytes of a v2 record batch before its records: baseOffset(8) length(4) epoch(4) magic(1) crc(4) attributes(2) lastOffsetDelta(4) firstTimestamp(8) maxTimestamp(8) producerId(8) producerEpoch(2) firstSequence(4) count(4). */
const BATCH_HEADER = 61;
const TIMESTAMP_TYPE_FLAG_MASK = 0x8;
const TRANSACTIONAL_FLAG_MASK = 0x10;
const CONTROL_FLAG_MASK = 0x20;

interface BatchContext {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
  magicByte: number;
}

/** One record of a v2 batch, as kafkajs's record decoder gives it (same fields), its texts and headers built when read. */
class FetchedRecord {
  constructor(
    readonly magicByte: number,
    readonly attributes: number,
    readonly key: Buffer | null,
    readonly value: Buffer | null,
    readonly isControlRecord: boolean,
    readonly batchContext: BatchContext,
    /** The record's offset (the batch's base offset plus its delta; below 2^53). */
    readonly offsetNumber: number,
    /** The timestamp's delta from the batch's first timestamp. */
    private readonly tsDelta: number | bigint,
    /** The bytes the headers are in, and where they start. */
    private readonly buf: Buffer,
    private readonly headersAt: number,
  ) {}

  get offset(): string {
    return String(this.offsetNumber);
  }

  get timestamp(): string {
    const c = this.batchContext;
    if (c.timestampType === TimestampTypes.LOG_APPEND_TIME && c.maxTimestamp) return c.maxTimestamp;
    return String(BigInt(c.firstTimestamp) + BigInt(this.tsDelta));
  }

  get headers(): Record<string, Buffer | Buffer[] | null> {
    const d = new Decoder(this.buf);
    d.offset = this.headersAt;
    const out: Record<string, Buffer | Buffer[] | null> = {};
    for (const { key, value } of d.readVarIntArray(HeaderDecoder) as { key: string; value: Buffer | null }[]) {
      const prev = out[key];
      out[key] = prev === undefined ? value : Array.isArray(prev) ? prev.concat([value as Buffer]) : [prev as Buffer, value as Buffer];
    }
    return out;
  }
}

/** kafkajs's JSON of a record (for logs): its fields, getters included. */
Object.defineProperty(FetchedRecord.prototype, 'toJSON', {
  value(this: FetchedRecord) {
    return { magicByte: this.magicByte, attributes: this.attributes, timestamp: this.timestamp, offset: this.offset, key: this.key, value: this.value, headers: this.headers, isControlRecord: this.isControlRecord, batchContext: this.batchContext };
  },
});

/** A zigzag varint at buf[pos.at] (up to 32 bits), moving pos.at past it. */
function varint(buf: Buffer, pos: { at: number }): number {
  let i = pos.at;
  let b = buf[i++];
  let r = b & 0x7f;
  let shift = 7;
  while (b >= 0x80) {
    b = buf[i++];
    r += (b & 0x7f) * 2 ** shift;
    shift += 7;
  }
  pos.at = i;
  return r % 2 === 1 ? -(r + 1) / 2 : r / 2;
}

/** A zigzag varlong: a number when it is exact, else a bigint. */
function varlong(buf: Buffer, pos: { at: number }): number | bigint {
  const start = pos.at;
  let i = start;
  let b: number;
  do b = buf[i++];
  while (b >= 0x80 && i - start < 10);
  if (i - start <= 7) return varint(buf, pos); // at most 49 bits: exact as a number
  let r = 0n;
  let shift = 0n;
  for (let k = start; k < i; k++, shift += 7n) r |= BigInt(buf[k] & 0x7f) << shift;
  pos.at = i;
  return (r & 1n) === 1n ? -((r + 1n) >> 1n) : r >> 1n;
}

/** The records of one v2 batch whose records start at `buf[at]` (count of them); kafkajs's decoder when an offset is beyond 2^53. */
function batchRecords(buf: Buffer, at: number, count: number, base: bigint, ctx: BatchContext): unknown[] {
  const records = new Array<unknown>(count);
  if (base + BigInt(ctx.lastOffsetDelta) > BigInt(Number.MAX_SAFE_INTEGER) || base < 0n) {
    const d = new Decoder(buf);
    d.offset = at;
    for (let i = 0; i < count; i++) records[i] = kafkajsRecordDecoder(new Decoder(d.readVarIntBytes()), ctx);
    return records;
  }
  const baseN = Number(base);
  const pos = { at };
  const control = ctx.isControlBatch;
  const magic = ctx.magicByte;
  for (let i = 0; i < count; i++) {
    const len = varint(buf, pos);
    const end = pos.at + len;
    const attributes = buf.readInt8(pos.at++);
    const tsDelta = varlong(buf, pos);
    const offsetDelta = varint(buf, pos);
    const kl = varint(buf, pos);
    let key: Buffer | null = null;
    if (kl >= 0) {
      key = buf.subarray(pos.at, pos.at + kl);
      pos.at += kl;
    }
    const vl = varint(buf, pos);
    let value: Buffer | null = null;
    if (vl >= 0) {
      value = buf.subarray(pos.at, pos.at + vl);
      pos.at += vl;
    }
    records[i] = new FetchedRecord(magic, attributes, key, value, control, ctx, baseN + offsetDelta, tsDelta, buf, pos.at);
    pos.at = end;
  }
  return records;
}

/** The record set of one partition (kafkajs's decodeMessages, v2 batches decoded here). */
async function decodeMessages(decoder: any): Promise<unknown[]> {
  const start = decoder.offset;
  const size: number = decoder.readInt32();
  if (size <= 0 || !decoder.canReadBytes(size)) return [];
  const buf: Buffer = decoder.buffer;
  const from: number = decoder.offset;
  if (size <= MAGIC_OFFSET || buf.readInt8(from + MAGIC_OFFSET) !== 2) {
    decoder.offset = start;
    return kafkajsDecodeMessages(decoder);
  }
  decoder.offset = from + size;
  const end = from + size;
  const records: unknown[] = [];
  let p = from;
  while (end - p >= RECORD_BATCH_OVERHEAD) {
    const length = buf.readInt32BE(p + 8);
    // The tail of a response can hold a part of a batch (maxBytes): it is left for the next fetch.
    if (end - (p + 12) < length || length < BATCH_HEADER - 12) break;
    const base = buf.readBigInt64BE(p);
    const attributes = buf.readInt16BE(p + 21);
    const ctx: BatchContext = {
      firstOffset: String(base),
      firstTimestamp: String(buf.readBigInt64BE(p + 27)),
      partitionLeaderEpoch: buf.readInt32BE(p + 12),
      inTransaction: (attributes & TRANSACTIONAL_FLAG_MASK) > 0,
      isControlBatch: (attributes & CONTROL_FLAG_MASK) > 0,
      lastOffsetDelta: buf.readInt32BE(p + 23),
      producerId: String(buf.readBigInt64BE(p + 43)),
      producerEpoch: buf.readInt16BE(p + 51),
      firstSequence: buf.readInt32BE(p + 53),
      maxTimestamp: String(buf.readBigInt64BE(p + 35)),
      timestampType: (attributes & TIMESTAMP_TYPE_FLAG_MASK) > 0 ? TimestampTypes.LOG_APPEND_TIME : TimestampTypes.CREATE_TIME,
      magicByte: buf.readInt8(p + 16),
    };
    const count = buf.readInt32BE(p + 57);
    const batchEnd = p + 12 + length;
    const codec = lookupCodecByAttributes(attributes);
    if (!codec) {
      for (const r of batchRecords(buf, p + BATCH_HEADER, Math.max(0, count), base, ctx)) records.push(r);
    } else if (count > 0) {
      const plain: Buffer = await codec.decompress(buf.subarray(p + BATCH_HEADER, batchEnd));
      for (const r of batchRecords(plain, 0, count, base, ctx)) records.push(r);
    }
    p = batchEnd;
  }
  return records;
}

const decodeAbortedTransactions = (decoder: any) => ({
  producerId: decoder.readInt64().toString(),
  firstOffset: decoder.readInt64().toString(),
});

const decodePartition = async (decoder: any) => ({
  partition: decoder.readInt32(),
  errorCode: decoder.readInt16(),
  highWatermark: decoder.readInt64().toString(),
  lastStableOffset: decoder.readInt64().toString(),
  lastStartOffset: decoder.readInt64().toString(),
  abortedTransactions: decoder.readArray(decodeAbortedTransactions),
  preferredReadReplica: decoder.readInt32(),
  messages: await decodeMessages(decoder),
});

const decodeResponse = async (decoder: any) => ({
  topicName: decoder.readString(),
  partitions: await decoder.readArrayAsync(decodePartition),
});

/** kafkajs's Fetch v11 `decode`, with the records decoded above. */
async function decodeFetchV11(rawData: Buffer): Promise<unknown> {
  const decoder = new Decoder(rawData);
  const clientSideThrottleTime = decoder.readInt32();
  const errorCode = decoder.readInt16();
  const sessionId = decoder.readInt32();
  const responses = await decoder.readArrayAsync(decodeResponse);
  return { throttleTime: 0, clientSideThrottleTime, errorCode, sessionId, responses };
}

let installed = false;

/** Makes kafkajs decode Fetch v11 responses with decodeFetchV11 (its request builder looks the response module up on every fetch). */
export function installFetchDecoder(): void {
  if (installed) return;
  installed = true;
  v11Response.decode = decodeFetchV11;
}

export { decodeFetchV11 as decodeFetchResponseV11 };
