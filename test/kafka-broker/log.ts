// The broker's storage: topics, partition logs of record batches, transaction bookkeeping
// (ongoing transactions per producer, aborted ranges, last stable offset).
import {
  ATTR_CONTROL,
  ATTR_TRANSACTIONAL,
  decodeRecords,
  encodeBatch,
  encodeControlBatch,
  readBatchHeader,
  stampLogAppendTime,
  withBaseOffset,
  type BatchInfo,
  type NewRecord,
} from './records.js';

export interface StoredBatch {
  info: BatchInfo;
  bytes: Buffer;
  baseOffset: number;
  lastOffset: number;
}

export interface AbortedTxn {
  producerId: number;
  firstOffset: number;
  /** The offset of the abort marker. */
  lastOffset: number;
}

export class PartitionLog {
  readonly batches: StoredBatch[] = [];
  logStartOffset = 0;
  /** Next offset to assign = high watermark (one replica). */
  nextOffset = 0;
  readonly leaderEpoch = 0;
  /** producerId → first offset of its open transaction in this partition. */
  readonly ongoing = new Map<number, number>();
  readonly aborted: AbortedTxn[] = [];

  constructor(
    readonly topic: string,
    readonly index: number,
    /** message.timestamp.type = LogAppendTime: the broker stamps every batch with its own clock. */
    readonly logAppendTime = false,
  ) {}

  /** Offsets below this are decided (committed or aborted): what read_committed consumers may see. */
  lastStableOffset(): number {
    let lso = this.nextOffset;
    for (const first of this.ongoing.values()) if (first < lso) lso = first;
    return lso;
  }

  /** Appends a validated batch (bytes as received); returns its base offset. */
  append(batch: Buffer): number {
    const base = this.nextOffset;
    const bytes = withBaseOffset(batch, base, this.leaderEpoch);
    if (this.logAppendTime && !(bytes.readInt16BE(21) & ATTR_CONTROL)) stampLogAppendTime(bytes, Date.now());
    const info = readBatchHeader(bytes);
    const last = base + info.lastOffsetDelta;
    this.batches.push({ info, bytes, baseOffset: base, lastOffset: last });
    this.nextOffset = last + 1;
    if (info.attributes & ATTR_TRANSACTIONAL && !(info.attributes & ATTR_CONTROL) && !this.ongoing.has(info.producerId)) {
      this.ongoing.set(info.producerId, base);
    }
    return base;
  }

  appendRecords(records: NewRecord[]): number {
    return this.append(encodeBatch(records));
  }

  /** Writes a commit or abort marker for a producer's open transaction here. */
  endTransaction(producerId: number, producerEpoch: number, commit: boolean): void {
    const first = this.ongoing.get(producerId);
    const markerOffset = this.nextOffset;
    this.append(encodeControlBatch(commit, producerId, producerEpoch, markerOffset, this.leaderEpoch));
    if (first !== undefined) {
      this.ongoing.delete(producerId);
      if (!commit) this.aborted.push({ producerId, firstOffset: first, lastOffset: markerOffset });
    }
  }

  /** Index of the first batch whose last offset is ≥ offset (batches.length when none). */
  batchIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.batches[mid].lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whole batches from the one holding `offset`, below `limit`, within about maxBytes (at least one). */
  read(offset: number, limit: number, maxBytes: number): { batches: Buffer[]; size: number; lastOffset: number } {
    const out: Buffer[] = [];
    let size = 0;
    let lastOffset = offset - 1;
    for (let i = this.batchIndexFor(offset); i < this.batches.length; i++) {
      const b = this.batches[i];
      if (b.lastOffset >= limit) break;
      if (out.length > 0 && size + b.bytes.length > maxBytes) break;
      out.push(b.bytes);
      size += b.bytes.length;
      lastOffset = b.lastOffset;
      if (size >= maxBytes) break;
    }
    return { batches: out, size, lastOffset };
  }

  /** The first offset whose record timestamp is ≥ ts, with that timestamp; null when none. */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | null {
    for (const b of this.batches) {
      if (b.info.attributes & ATTR_CONTROL) continue;
      if (b.info.maxTimestamp < ts) continue;
      const recs = decodeRecords(b.bytes);
      if (!recs) return { offset: b.baseOffset, timestamp: b.info.maxTimestamp };
      for (const r of recs) if (r.timestamp >= ts) return { offset: r.offset, timestamp: r.timestamp };
    }
    return null;
  }
}

export class Topic {
  readonly partitions: PartitionLog[] = [];
  constructor(
    readonly name: string,
    count: number,
    readonly logAppendTime = false,
  ) {
    for (let i = 0; i < count; i++) this.partitions.push(new PartitionLog(name, i, logAppendTime));
  }
}

const LEGAL_TOPIC = /^[a-zA-Z0-9._-]+$/;

export function isValidTopicName(name: string): boolean {
  return name.length > 0 && name.length <= 249 && name !== '.' && name !== '..' && LEGAL_TOPIC.test(name);
}
