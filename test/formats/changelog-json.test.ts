// debezium-json, canal-json and maxwell-json: records become changes (+I/-U/+U/-D) with Flink's rules.
import { describe, expect, it } from 'vitest';
import { rowKindOf, type Field, type Row } from '../../src/common/types.js';
import { getFormat } from '../../src/formats/registry.js';

const fields: Field[] = [
  { name: 'id', type: { kind: 'INT', nullable: false } },
  { name: 'name', type: { kind: 'VARCHAR', length: 2147483647, nullable: true } },
  { name: 'price', type: { kind: 'DECIMAL', precision: 10, scale: 2, nullable: true } },
];
const where = () => 'topic t partition 0 offset 7';

function decoder(id: string, options: Record<string, string> = {}, meta: string[] = []) {
  return getFormat(id)!.changelog!.createDecoder(fields, options, meta);
}
function show(rows: Row[] | null): string[] | null {
  return rows && rows.map((r) => `${rowKindOf(r)}${JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v instanceof Map ? Object.fromEntries(v) : v))}`);
}

describe('debezium-json', () => {
  const d = decoder('debezium-json', {}, ['source.table', 'source.database', 'source.timestamp', 'ingestion-timestamp']);
  const ev = (op: string, before: unknown, after: unknown) =>
    JSON.stringify({ before, after, op, source: { db: 'inventory', table: 'products', ts_ms: 1700000000000 }, ts_ms: 1700000000123 });

  it('reads c/r as +I, u as -U/+U, d as -D, with source metadata', () => {
    expect(show(d.decode(ev('c', null, { id: 1, name: 'a', price: 1.5 }), where))).toEqual(['+I[1,"a",150,"products","inventory",1700000000000000,1700000000123000]']);
    expect(show(d.decode(ev('r', null, { id: 2, name: 'b', price: '2.25' }), where))).toEqual(['+I[2,"b",225,"products","inventory",1700000000000000,1700000000123000]']);
    expect(show(d.decode(ev('u', { id: 1, name: 'a', price: 1.5 }, { id: 1, name: 'a2', price: 1.75 }), where))).toEqual([
      '-U[1,"a",150,"products","inventory",1700000000000000,1700000000123000]',
      '+U[1,"a2",175,"products","inventory",1700000000000000,1700000000123000]',
    ]);
    expect(show(d.decode(ev('d', { id: 1, name: 'a2', price: 1.75 }, null), where))).toEqual(['-D[1,"a2",175,"products","inventory",1700000000000000,1700000000123000]']);
  });

  it('names the record of a corrupt message, and hints at schema-include', () => {
    expect(() => d.decode(ev('x', null, { id: 1 }), where)).toThrow(/Corrupt Debezium JSON message .* at topic t partition 0 offset 7: unknown "op" value "x"/);
    expect(() => d.decode(ev('u', null, { id: 1 }), where)).toThrow(/"before" field of an update message is null; .*REPLICA IDENTITY FULL/);
    const wrapped = JSON.stringify({ schema: { type: 'struct' }, payload: { before: null, after: { id: 1 }, op: 'c' } });
    expect(() => d.decode(wrapped, where)).toThrow(/set 'debezium-json.schema-include' = 'true'/);
    expect(() => d.decode('{not json', where)).toThrow(/Failed to deserialize Debezium JSON .* at topic t partition 0 offset 7/);
  });

  it('reads the schema envelope with schema-include, and skips what it cannot read with ignore-parse-errors', () => {
    const s = decoder('debezium-json', { 'schema-include': 'true' }, ['schema']);
    const wrapped = JSON.stringify({ schema: { type: 'struct' }, payload: { before: null, after: { id: 1, name: 'x', price: null }, op: 'c' } });
    expect(show(s.decode(wrapped, where))).toEqual(['+I[1,"x",null,"{\\"type\\":\\"struct\\"}"]']);
    const lenient = decoder('debezium-json', { 'ignore-parse-errors': 'true' });
    expect(lenient.decode('{not json', where)).toBeNull();
    expect(lenient.decode(ev('x', null, { id: 1 }), where)).toBeNull();
    // A field that does not convert is NULL, as in the json format.
    expect(show(lenient.decode(ev('c', null, { id: 3, name: 'n', price: 'abc' }), where))).toEqual(['+I[3,"n",null]']);
  });

  it('writes +I/+U as c and -U/-D as d', () => {
    const e = getFormat('debezium-json')!.changelog!.createEncoder(fields, {});
    const r = Object.assign([1, 'a', 150], { rowKind: '-U' });
    expect(e.encode(r)).toBe('{"before":{"id":1,"name":"a","price":1.50},"after":null,"op":"d"}');
    expect(e.encode([1, 'a', 150])).toBe('{"before":null,"after":{"id":1,"name":"a","price":1.50},"op":"c"}');
  });
});

describe('canal-json', () => {
  const d = decoder('canal-json', {}, ['database', 'table', 'pk-names', 'event-timestamp']);
  it('reads INSERT/UPDATE/DELETE of several rows; UPDATE takes unchanged columns from data', () => {
    const ins = { data: [{ id: '1', name: 'a', price: '1.50' }, { id: '2', name: 'b', price: null }], old: null, type: 'INSERT', database: 'shop', table: 'products', es: 1700000000000, ts: 1700000000999, pkNames: ['id'], isDdl: false };
    expect(show(d.decode(JSON.stringify(ins), where))).toEqual(['+I[1,"a",150,"shop","products",["id"],1700000000000000]', '+I[2,"b",null,"shop","products",["id"],1700000000000000]']);
    const upd = { ...ins, type: 'UPDATE', data: [{ id: '1', name: 'a', price: '2.00' }], old: [{ price: '1.50' }] };
    expect(show(d.decode(JSON.stringify(upd), where))).toEqual(['-U[1,"a",150,"shop","products",["id"],1700000000000000]', '+U[1,"a",200,"shop","products",["id"],1700000000000000]']);
    const del = { ...ins, type: 'DELETE', data: [{ id: '2', name: 'b', price: null }] };
    expect(show(d.decode(JSON.stringify(del), where))).toEqual(['-D[2,"b",null,"shop","products",["id"],1700000000000000]']);
    expect(d.decode(JSON.stringify({ ...ins, type: 'CREATE', data: null, isDdl: true }), where)).toEqual([]);
    expect(() => d.decode(JSON.stringify({ ...ins, type: 'ALTER' }), where)).toThrow(/Corrupt Canal JSON message .* offset 7: unknown "type" value "ALTER"/);
  });

  it('keeps only the tables of database.include / table.include', () => {
    const f = decoder('canal-json', { 'database.include': 'sh.p', 'table.include': 'products|orders' });
    const msg = (database: string, table: string) => JSON.stringify({ data: [{ id: 1 }], type: 'INSERT', database, table });
    expect(f.decode(msg('shop', 'products'), where)!.length).toBe(1);
    expect(f.decode(msg('shop', 'users'), where)).toEqual([]);
    expect(f.decode(msg('other', 'products'), where)).toEqual([]);
  });
});

describe('maxwell-json', () => {
  const d = decoder('maxwell-json', {}, ['table', 'ingestion-timestamp', 'primary-key-columns']);
  it('reads insert/update/delete; ts is in seconds', () => {
    const base = { database: 'shop', table: 'products', ts: 1700000000, primary_key_columns: ['id'] };
    expect(show(d.decode(JSON.stringify({ ...base, type: 'insert', data: { id: 1, name: 'a', price: 1.5 } }), where))).toEqual(['+I[1,"a",150,"products",1700000000000000,["id"]]']);
    expect(show(d.decode(JSON.stringify({ ...base, type: 'update', data: { id: 1, name: 'b', price: 1.5 }, old: { name: 'a' } }), where))).toEqual([
      '-U[1,"a",150,"products",1700000000000000,["id"]]',
      '+U[1,"b",150,"products",1700000000000000,["id"]]',
    ]);
    expect(show(d.decode(JSON.stringify({ ...base, type: 'delete', data: { id: 1, name: 'b', price: 1.5 } }), where))).toEqual(['-D[1,"b",150,"products",1700000000000000,["id"]]']);
    expect(() => d.decode(JSON.stringify({ ...base, type: 'table-create' }), where)).toThrow(/Corrupt Maxwell JSON message .*unknown "type" value "table-create"/);
  });
});
