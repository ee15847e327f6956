// The JSON text scanner reads nested objects of ROW columns itself (no JSON.parse): the same rows
// as the JSON.parse path, keys outside the schema skipped (but still checked to be JSON).
import { describe, expect, it } from 'vitest';
import { T, type Field, type LogicalType } from '../../src/common/types.js';
import { getFormat } from '../../src/formats/registry.js';

const json = getFormat('json')!;
const where = () => 'topic t partition 0 offset 7';
const f = (name: string, type: LogicalType): Field => ({ name, type });
const row = (...fields: Field[]): LogicalType => ({ kind: 'ROW', fields, nullable: true });
const fields = [f('event_type', T.int()), f('bid', row(f('auction', T.bigint()), f('price', T.bigint()), f('dateTime', T.timestamp(3)), f('inner', row(f('x', T.string()))))), f('name', T.string())];

describe('json nested ROW columns', () => {
  it('decodes nested objects, nulls, missing and extra keys as JSON.parse does', () => {
    const d = json.createDecoder(fields, {});
    const ts = Date.UTC(2025, 0, 1, 0, 0, 1, 500) * 1000;
    expect(d.decode('{"event_type":2,"bid":{"auction":1000,"price":12,"dateTime":"2025-01-01 00:00:01.500","inner":{"x":"a"}},"name":"n"}', where)).toEqual([2, [1000, 12, ts, ['a']], 'n']);
    expect(d.decode('{"event_type":0,"person":{"id":1,"tags":[1,{"a":[2]}]},"bid":null,"name":"p"}', where)).toEqual([0, null, 'p']);
    expect(d.decode(' { "bid" : { "price" : 9007199254740993 } } ', where)).toEqual([null, [null, 9007199254740993n, null, null], null]);
    // Escapes and arrays in a ROW column take the JSON.parse path: the same result.
    expect(d.decode('{"event_type":1,"bid":{"auction":1,"inner":{"x":"a\\"b"}}}', where)).toEqual([1, [1, null, null, ['a"b']], null]);
  });

  it('refuses what is not JSON, inside skipped keys too', () => {
    const d = json.createDecoder(fields, {});
    expect(() => d.decode('{"event_type":2,"other":{"a":1 2}}', where)).toThrow(/Failed to deserialize JSON/);
    expect(() => d.decode('{"event_type":2,"bid":{"auction":1}', where)).toThrow(/Failed to deserialize JSON/);
    expect(() => d.decode('{"event_type":2,"bid":{"auction":"x"}}', where)).toThrow(/field 'bid.auction': cannot convert 'x' to BIGINT/);
    // The JSON.parse path (an escape in the record) names the same field.
    expect(() => d.decode('{"name":"\\n","bid":{"auction":"x"}}', where)).toThrow(/field 'bid.auction': cannot convert 'x' to BIGINT/);
    expect(() => d.decode('{"event_type":2,"bid":5}', where)).toThrow(/field 'bid': expected a JSON object for ROW/);
  });
});
