// The avro format: Flink's derived schema, and values that round-trip exactly (BIGINT beyond 2^53,
// DECIMAL(38) unscaled integers, timestamps in micros, dates, times, bytes, arrays, maps, rows).
import { describe, expect, it } from 'vitest';
import avro from 'avsc';
import type { Field } from '../../src/common/types.js';
import { getFormat } from '../../src/formats/registry.js';
import { tableAvroSchema } from '../../src/formats/avro.js';

const S = { kind: 'VARCHAR', length: 2147483647, nullable: true } as const;
const fields: Field[] = [
  { name: 'id', type: { kind: 'BIGINT', nullable: false } },
  { name: 'name', type: S },
  { name: 'price', type: { kind: 'DECIMAL', precision: 38, scale: 2, nullable: true } },
  { name: 'day', type: { kind: 'DATE', nullable: true } },
  { name: 't', type: { kind: 'TIME', precision: 3, nullable: true } },
  { name: 'ts3', type: { kind: 'TIMESTAMP', precision: 3, nullable: true } },
  { name: 'ts6', type: { kind: 'TIMESTAMP_LTZ', precision: 6, nullable: true } },
  { name: 'raw', type: { kind: 'VARBINARY', length: 2147483647, nullable: true } },
  { name: 'tags', type: { kind: 'ARRAY', element: S, nullable: true } },
  { name: 'attrs', type: { kind: 'MAP', key: { ...S, nullable: false }, value: { kind: 'INT', nullable: true }, nullable: true } },
  { name: 'addr', type: { kind: 'ROW', fields: [{ name: 'city', type: S }], nullable: true } },
];

describe('avro format', () => {
  it("derives Flink's schema", () => {
    const s = tableAvroSchema(fields) as { name: string; namespace: string; fields: { name: string; type: unknown; default?: unknown }[] };
    expect(s.name).toBe('record');
    expect(s.namespace).toBe('org.apache.flink.avro.generated');
    expect(s.fields[0]).toEqual({ name: 'id', type: 'long' });
    expect(s.fields[2]).toEqual({ name: 'price', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 38, scale: 2 }], default: null });
    expect(s.fields[5].type).toEqual(['null', { type: 'long', logicalType: 'timestamp-millis' }]);
    expect(s.fields[6].type).toEqual(['null', { type: 'long', logicalType: 'timestamp-micros' }]);
    expect((s.fields[10].type as [string, { name: string }])[1].name).toBe('record_addr');
  });

  it('round-trips exact values', () => {
    const f = getFormat('avro')!;
    const enc = f.createEncoder(fields, {});
    const dec = f.createDecoder(fields, {});
    const row = [
      9007199254740993n,
      'näme',
      -12345678901234567890123456789012345678n,
      20000,
      45296789000,
      1700000000123000,
      1700000000123456,
      new Uint8Array([0, 255, 7]),
      ['a', null],
      new Map([['k', 1], ['n', null]]),
      ['Paris'],
    ];
    const bytes = enc.encode(row) as Uint8Array;
    expect(dec.decode(bytes, () => 'here')).toEqual(row);
    const nulls = [-1, null, null, null, null, null, null, null, null, null, null];
    expect(dec.decode(enc.encode(nulls), () => 'here')).toEqual(nulls);
    // Small decimals: the shortest two's complement, as Java's BigInteger.toByteArray.
    const plain = avro.Type.forSchema(tableAvroSchema(fields) as avro.Schema, { wrapUnions: false });
    const obj = plain.fromBuffer(Buffer.from(enc.encode([1, null, 150, null, null, null, null, null, null, null, null]) as Uint8Array)) as { price: Buffer };
    expect([...obj.price]).toEqual([0, 150]);
  });

  it('names the record of a datum it cannot read', () => {
    const dec = getFormat('avro')!.createDecoder(fields, {});
    expect(() => dec.decode(new Uint8Array([1]), () => "topic 't' partition 0 offset 3")).toThrow(/Failed to deserialize Avro record at topic 't' partition 0 offset 3/);
  });
});
