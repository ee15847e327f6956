// The source's Fetch v11 response decoder (src/connectors/kafka/fetch.ts) against kafkajs's own:
// the same records (offsets, keys, values, timestamps, headers, batch context) from responses
// built with kafkajs's encoders, plain and gzip-compressed, with a truncated batch at the end.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeFetchResponseV11 } from '../../src/connectors/kafka/fetch.js';

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
const Encoder: any = require('kafkajs/src/protocol/encoder.js');
const { RecordBatch }: any = require('kafkajs/src/protocol/recordBatch/v0/index.js');
const Record: any = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
const { Types: Compression }: any = require('kafkajs/src/protocol/message/compression/index.js');
const kafkajsV11: any = require('kafkajs/src/protocol/requests/fetch/v11/response.js');
const Long: any = require('kafkajs/src/utils/long.js');

// kafkajs's decode as it was before installFetchDecoder() (the module object is the one fetch.ts patches).
const kafkajsDecode = kafkajsV11.decode === decodeFetchResponseV11 ? undefined : kafkajsV11.decode;

async function batch(firstOffset: number, compression: number, records: { key: Buffer | null; value: Buffer | null; headers?: Record<string, Buffer | Buffer[]>; ts: number }[]): Promise<Buffer> {
  const enc = await RecordBatch({
    compression,
    firstOffset: Long.fromValue(firstOffset),
    firstTimestamp: 1_700_000_000_000,
    maxTimestamp: 1_700_000_009_000,
    lastOffsetDelta: records.length - 1,
    producerId: Long.fromValue(7),
    producerEpoch: 1,
    records: records.map((r, i) => Record({ offsetDelta: i, timestampDelta: r.ts, key: r.key, value: r.value, headers: r.headers })),
  });
  return enc.buffer;
}

async function response(batches: Buffer[], truncate = 0): Promise<Buffer> {
  const set = Buffer.concat(batches);
  const records = truncate ? set.subarray(0, set.length - truncate) : set;
  return new Encoder()
    .writeInt32(0) // throttle
    .writeInt16(0) // error
    .writeInt32(0) // session
    .writeArray([
      new Encoder()
        .writeString('t')
        .writeArray([
          new Encoder()
            .writeInt32(3)
            .writeInt16(0)
            .writeInt64(99)
            .writeInt64(99)
            .writeInt64(0)
            .writeArray([])
            .writeInt32(-1)
            .writeInt32(records.length)
            .writeBuffer(records),
        ]),
    ]).buffer;
}

const plain = (m: any) => ({
  offset: m.offset,
  key: m.key,
  value: m.value,
  timestamp: m.timestamp,
  headers: m.headers,
  isControlRecord: m.isControlRecord,
  batchContext: m.batchContext,
  magicByte: m.magicByte,
  attributes: m.attributes,
});

describe('kafka fetch decoder', () => {
  it('gives the records kafkajs gives, plain and gzip, a partial last batch left out', async () => {
    expect(kafkajsDecode).toBeDefined();
    const rows = (n: number, base: number) =>
      Array.from({ length: n }, (_, i) => ({
        key: i % 3 === 0 ? null : Buffer.from(`k${base + i}`),
        value: i % 5 === 4 ? null : Buffer.from(JSON.stringify({ id: base + i, s: 'x'.repeat(i % 200) })),
        headers: i % 4 === 1 ? { a: Buffer.from('1'), b: [Buffer.from('2'), Buffer.from('3')] } : undefined,
        ts: i % 7 === 0 ? -5 : i * 1000 + (i % 2 ? 2 ** 40 : 0),
      }));
    const raw = await response([await batch(0, Compression.None, rows(300, 0)), await batch(300, Compression.GZIP, rows(50, 300)), await batch(350, Compression.None, rows(20, 350))], 10);
    const ours: any = await decodeFetchResponseV11(raw);
    const theirs: any = await kafkajsDecode(raw);
    const a = ours.responses[0].partitions[0];
    const b = theirs.responses[0].partitions[0];
    expect(a.messages.length).toBe(350);
    expect(a.messages.map(plain)).toEqual(b.messages.map(plain));
    expect({ ...a, messages: [] }).toEqual({ ...b, messages: [] });
    expect(a.messages.map((m: any) => m.offsetNumber)).toEqual(a.messages.map((_: unknown, i: number) => i));
  });
});
