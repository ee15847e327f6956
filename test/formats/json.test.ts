import { describe, expect, it } from 'vitest';
import { ConnectorError, ValidationError } from '../../src/common/errors.js';
import { MAX_LENGTH, T, type Field, type LogicalType } from '../../src/common/types.js';
import { formatIds, getFormat } from '../../src/formats/registry.js';

const json = getFormat('json')!;
const where = () => 'file events.json:3';
const f = (name: string, type: LogicalType): Field => ({ name, type });
const ts = Date.UTC(2025, 11, 29, 10, 0, 0) * 1000;

describe('format registry', () => {
  it('lists json, csv, raw and the changelog formats', () => {
    expect(formatIds()).toEqual(['avro', 'avro-confluent', 'canal-json', 'csv', 'debezium-avro-confluent', 'debezium-json', 'json', 'maxwell-json', 'raw']);
    expect(getFormat('json')?.identifier).toBe('json');
    expect(getFormat('no-such-format')).toBeUndefined();
  });
});

describe('json decoding', () => {
  const s2Fields = [f('event_id', T.string()), f('user_id', T.string()), f('event_type', T.string()), f('event_time', T.timestamp(3))];

  it("decodes S2's input with ISO-8601 timestamps", () => {
    const d = json.createDecoder(s2Fields, { 'timestamp-format.standard': 'ISO-8601' });
    const lines = [
      '{"event_id":"w001","user_id":"u001","event_type":"click","event_time":"2025-12-29T10:00:10"}',
      '{"event_id":"w002","user_id":"u002","event_type":"click","event_time":"2025-12-29T10:00:20"}',
      '{"event_id":"w003","user_id":"u001","event_type":"view","event_time":"2025-12-29T10:00:30"}',
      '{"event_id":"w004","user_id":"u003","event_type":"click","event_time":"2025-12-29T10:00:45"}',
      '{"event_id":"w005","user_id":"u002","event_type":"purchase","event_time":"2025-12-29T10:00:55"}',
      '{"event_id":"w006","user_id":"u001","event_type":"click","event_time":"2025-12-29T10:01:10"}',
    ];
    const rows = lines.map((l) => d.decode(l, where));
    expect(rows).toEqual([
      ['w001', 'u001', 'click', ts + 10e6],
      ['w002', 'u002', 'click', ts + 20e6],
      ['w003', 'u001', 'view', ts + 30e6],
      ['w004', 'u003', 'click', ts + 45e6],
      ['w005', 'u002', 'purchase', ts + 55e6],
      ['w006', 'u001', 'click', ts + 70e6],
    ]);
  });

  it('accepts bytes as well as text', () => {
    const d = json.createDecoder([f('a', T.string())], {});
    expect(d.decode(new TextEncoder().encode('{"a":"héllo"}'), where)).toEqual(['héllo']);
  });

  it('SQL standard (the default) reads `yyyy-MM-dd HH:mm:ss` and rejects the ISO form', () => {
    const d = json.createDecoder([f('t', T.timestamp(3))], {});
    expect(d.decode('{"t":"2025-12-29 10:00:00"}', where)).toEqual([ts]);
    expect(d.decode('{"t":"2025-12-29 10:00:00.123"}', where)).toEqual([ts + 123000]);
    expect(() => d.decode('{"t":"2025-12-29T10:00:00"}', where)).toThrow(/json.timestamp-format.standard 'SQL'/);
  });

  it("ISO-8601 TIMESTAMP accepts a trailing 'Z' (lenient) but not an offset", () => {
    const d = json.createDecoder([f('t', T.timestamp(3))], { 'timestamp-format.standard': 'ISO-8601' });
    expect(d.decode('{"t":"2024-12-31T10:00:00Z"}', where)).toEqual([Date.UTC(2024, 11, 31, 10) * 1000]);
    expect(d.decode('{"t":"2024-12-31T10:00"}', where)).toEqual([Date.UTC(2024, 11, 31, 10) * 1000]);
    expect(() => d.decode('{"t":"2024-12-31T10:00:00+02:00"}', where)).toThrow(ConnectorError);
  });

  it('TIMESTAMP_LTZ needs Z or an offset and applies it', () => {
    const iso = json.createDecoder([f('t', T.timestampLtz(3))], { 'timestamp-format.standard': 'ISO-8601' });
    expect(iso.decode('{"t":"2024-12-31T10:00:00Z"}', where)).toEqual([Date.UTC(2024, 11, 31, 10) * 1000]);
    expect(iso.decode('{"t":"2024-12-31T12:00:00+02:00"}', where)).toEqual([Date.UTC(2024, 11, 31, 10) * 1000]);
    expect(iso.decode('{"t":"2024-12-31T05:30:00.5-04:30"}', where)).toEqual([Date.UTC(2024, 11, 31, 10) * 1000 + 500000]);
    expect(() => iso.decode('{"t":"2024-12-31T10:00:00"}', where)).toThrow(/TIMESTAMP_LTZ\(3\)/);
    const sql = json.createDecoder([f('t', T.timestampLtz(3))], {});
    expect(sql.decode('{"t":"2024-12-31 10:00:00Z"}', where)).toEqual([Date.UTC(2024, 11, 31, 10) * 1000]);
  });

  it('missing fields are NULL, or an error with fail-on-missing-field', () => {
    const fields = [f('a', T.string()), f('b', T.int())];
    expect(json.createDecoder(fields, {}).decode('{"a":"x"}', where)).toEqual(['x', null]);
    const strict = json.createDecoder(fields, { 'fail-on-missing-field': 'true' });
    expect(() => strict.decode('{"a":"x"}', where)).toThrow("could not find field 'b'");
    expect(() => strict.decode('{"a":"x"}', where)).toThrow('file events.json:3');
  });

  it('a malformed record names its location; ignore-parse-errors skips it', () => {
    const fields = [f('a', T.string())];
    const d = json.createDecoder(fields, {});
    expect(() => d.decode('{"a":', where)).toThrow(/Failed to deserialize JSON '\{"a":' at file events.json:3/);
    expect(() => d.decode('[1,2]', where)).toThrow(/expected a JSON object/);
    const lenient = json.createDecoder(fields, { 'ignore-parse-errors': 'true' });
    expect(lenient.decode('{"a":', where)).toBeNull();
    expect(lenient.decode('42', where)).toBeNull();
  });

  it('a field that does not convert names the field; ignore-parse-errors makes it NULL', () => {
    const fields = [f('id', T.string()), f('n', T.int()), f('t', T.timestamp(3))];
    const d = json.createDecoder(fields, {});
    expect(() => d.decode('{"id":"x","n":"abc"}', where)).toThrow("field 'n': cannot convert 'abc' to INT");
    const lenient = json.createDecoder(fields, { 'ignore-parse-errors': 'true' });
    expect(lenient.decode('{"id":"x","n":"abc","t":"yesterday"}', where)).toEqual(['x', null, null]);
  });

  it('fail-on-missing-field and ignore-parse-errors exclude each other', () => {
    expect(() => json.createDecoder([f('a', T.string())], { 'fail-on-missing-field': 'true', 'ignore-parse-errors': 'true' })).toThrow(ValidationError);
  });

  it('unknown and invalid options are errors with suggestions', () => {
    expect(() => json.createDecoder([f('a', T.string())], { 'fail-on-missing-fields': 'true' })).toThrow(/did you mean 'json.fail-on-missing-field'/);
    expect(() => json.createDecoder([f('a', T.string())], { 'timestamp-format.standard': 'RFC' })).toThrow(/'SQL', 'ISO-8601'/);
  });

  it('converts every type, numbers given as strings too', () => {
    const fields: Field[] = [
      f('b', T.boolean()),
      f('ti', { kind: 'TINYINT', nullable: true }),
      f('si', { kind: 'SMALLINT', nullable: true }),
      f('i', T.int()),
      f('l', T.bigint()),
      f('fl', { kind: 'FLOAT', nullable: true }),
      f('d', T.double()),
      f('dec', { kind: 'DECIMAL', precision: 10, scale: 2, nullable: true }),
      f('s', T.string()),
      f('c', { kind: 'CHAR', length: 3, nullable: true }),
      f('bin', T.bytes()),
      f('dt', T.date()),
      f('tm', { kind: 'TIME', precision: 0, nullable: true }),
    ];
    const d = json.createDecoder(fields, {});
    const row = d.decode(
      '{"b":"true","ti":"12","si":-300,"i":"42","l":"9007199254740991","fl":"1.5","d":"2.5e3","dec":"12.345","s":{"x":[1,2]},"c":"abc","bin":"AQID","dt":"2025-12-29","tm":"10:30:15"}',
      where,
    );
    expect(row).toEqual([
      true,
      12,
      -300,
      42,
      9007199254740991,
      1.5,
      2500,
      1235, // DECIMAL(10, 2): the unscaled value of 12.35
      '{"x":[1,2]}',
      'abc',
      new Uint8Array([1, 2, 3]),
      20451,
      (10 * 3600 + 30 * 60 + 15) * 1e6,
    ]);
    expect(() => d.decode('{"ti":300}', where)).toThrow(/TINYINT/);
    expect(() => d.decode('{"bin":"!!"}', where)).toThrow(/base64/);
    expect(() => d.decode('{"dt":"2025-02-30"}', where)).toThrow(/DATE/);
    // DECIMAL overflowing its precision is NULL, as Flink 1.20 reads it (difftest case json-decimal-overflow).
    expect(d.decode('{"dec":123456789012}', where)?.[7]).toBeNull();
    expect(d.decode('{"d":"NaN","i":7.9}', where)?.slice(3, 7)).toEqual([7, null, null, NaN]);
  });

  it('nested ROW, ARRAY and MAP', () => {
    const fields: Field[] = [
      f('r', { kind: 'ROW', nullable: true, fields: [f('x', T.int()), f('y', { kind: 'ARRAY', element: T.string(), nullable: true })] }),
      f('a', { kind: 'ARRAY', element: { kind: 'ROW', nullable: true, fields: [f('k', T.string())] }, nullable: true }),
      f('m', { kind: 'MAP', key: T.string(), value: T.bigint(), nullable: true }),
      f('mi', { kind: 'MAP', key: T.int(), value: T.timestamp(3), nullable: true }),
    ];
    const d = json.createDecoder(fields, {});
    const row = d.decode('{"r":{"x":1,"y":["a",null]},"a":[{"k":"v"},null],"m":{"a":1,"b":null},"mi":{"7":"2025-12-29 10:00:00"}}', where)!;
    expect(row[0]).toEqual([1, ['a', null]]);
    expect(row[1]).toEqual([['v'], null]);
    expect(row[2]).toEqual(new Map<string, number | null>([['a', 1], ['b', null]]));
    expect(row[3]).toEqual(new Map([[7, ts]]));
    expect(() => d.decode('{"r":[1]}', where)).toThrow(/field 'r': expected a JSON object for ROW/);
  });

  it("field names that Object.prototype also has are looked up safely", () => {
    const d = json.createDecoder([f('constructor', T.string()), f('toString', T.string())], {});
    expect(d.decode('{"toString":"x"}', where)).toEqual([null, 'x']);
  });
});

describe('json decoding: the flat-object scanner agrees with JSON.parse', () => {
  const fields: Field[] = [f('a', T.string()), f('n', T.bigint()), f('d', T.double()), f('b', T.boolean()), f('t', T.timestamp(3))];
  const d = json.createDecoder(fields, {});
  it.each([
    ['{"a":"x","n":1,"d":2.5,"b":true,"t":"2025-12-29 10:00:00"}', ['x', 1, 2.5, true, ts]],
    ['  { "a" : "x" ,\t"n" : -12 , "d":1e3,"b":false,"t":null }  ', ['x', -12, 1000, false, null]],
    ['{"a":"q\\"uote\\u00e9","extra":{"deep":[1,{"x":"}"}]},"n":"7"}', ['q"uoteé', 7, null, null, null]],
    ['{"a":"[not nested]","skip":"{","n":3}', ['[not nested]', 3, null, null, null]],
    ['{"n":1,"n":2}', [null, 2, null, null, null]],
    ['{}', [null, null, null, null, null]],
    ['{"a":123,"d":"4.5","b":"TRUE"}', ['123', null, 4.5, true, null]],
    ['{"a":1.50,"n":2}', ['1.50', 2, null, null, null]],
    ['{"a":null,"other":[1,2],"n":5}', [null, 5, null, null, null]],
  ])('%s', (text, expected) => {
    expect(d.decode(text, where)).toEqual(expected);
  });
  it('agrees with JSON.parse on 5000 random flat records (key order, whitespace, escapes, unknown keys)', () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const ws = () => [' ', '', '\t', '\n', '  '][rnd(5)];
    const strs = ['x', '', 'héllo', 'a\\"b', 'tab\\there', 'u\\u00e9', '{', '}', ',', ':'];
    const sfields: Field[] = [f('s', T.string()), f('n', T.bigint()), f('d', T.double()), f('b', T.boolean()), f('sn', T.string())];
    let dd = json.createDecoder(sfields, {});
    for (let k = 0; k < 5000; k++) {
      // a fresh decoder every 1000 records, so that the scanner is never switched off here
      if (k % 1000 === 0) dd = json.createDecoder(sfields, {});
      const entries: [string, string][] = [];
      if (rnd(5)) entries.push(['s', `"${strs[rnd(strs.length)]}"`]);
      if (rnd(5)) entries.push(['n', String(rnd(2000000) - 1000000)]);
      if (rnd(5)) entries.push(['d', rnd(2) ? String(rnd(1000) / 8) : `${rnd(9) + 1}e${rnd(5)}`]);
      if (rnd(5)) entries.push(['b', rnd(2) ? 'true' : 'false']);
      if (rnd(5)) entries.push(['sn', [String(rnd(100)), 'true', 'null'][rnd(3)]]);
      for (let u = rnd(3); u > 0; u--) entries.push([`extra${rnd(3)}`, ['1', '"v"', 'null', '[1,{"a":2}]', '{"n":"}"}'][rnd(5)]]);
      if (rnd(4) === 0 && entries.length) entries.push([entries[0][0], entries[0][1]]);
      for (let i = entries.length - 1; i > 0; i--) {
        const j = rnd(i + 1);
        [entries[i], entries[j]] = [entries[j], entries[i]];
      }
      const text = ws() + '{' + entries.map(([key, v]) => `${ws()}"${key}"${ws()}:${ws()}${v}${ws()}`).join(',') + '}' + ws();
      const o = JSON.parse(text) as Record<string, unknown>;
      const str = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
      const expected = [str(o.s), o.n ?? null, o.d ?? null, o.b ?? null, str(o.sn)];
      expect(dd.decode(text, where), text).toEqual(expected);
    }
  });

  it('matches keys in any order, with names of equal length and shared prefixes', () => {
    const dd = json.createDecoder([f('ab', T.int()), f('cd', T.int()), f('a', T.int()), f('abc', T.int())], {});
    expect(dd.decode('{"cd":1,"ab":2,"abc":3,"a":4}', where)).toEqual([2, 1, 4, 3]);
    expect(dd.decode('{"abcd":9,"ab":1,"x":2,"cd":3}', where)).toEqual([1, 3, null, null]);
    expect(dd.decode('{"a":1,"ab":2,"cd":3,"abc":4}', where)).toEqual([2, 3, 1, 4]);
  });

  it('stays correct when it gives up scanning (most records need JSON.parse)', () => {
    const dd = json.createDecoder(fields, {});
    for (let i = 0; i < 3000; i++) expect(dd.decode(`{"a":"x\\"${i}","n":${i}}`, where)).toEqual([`x"${i}`, i, null, null, null]);
    expect(dd.decode('{"a":"plain","n":1}', where)).toEqual(['plain', 1, null, null, null]);
    const nested = json.createDecoder([f('r', { kind: 'ROW', nullable: true, fields: [f('x', T.int())] })], {});
    expect(nested.decode('{"r":{"x":1}}', where)).toEqual([[1]]);
  });
  it.each(['{"a":"x"} trailing', '{"a":"x",}', '{"a":-}', '{"a" "x"}', '{a:1}', '', '{"a":"x"'])('rejects %s like JSON.parse', (text) => {
    expect(() => d.decode(text, where)).toThrow(/Failed to deserialize JSON/);
  });
});

describe('json encoding', () => {
  it('writes Flink-compatible JSON', () => {
    const fields: Field[] = [
      f('s', T.string()),
      f('i', T.int()),
      f('d', T.double()),
      f('fl', { kind: 'FLOAT', nullable: true }),
      f('dec', { kind: 'DECIMAL', precision: 10, scale: 2, nullable: true }),
      f('b', T.boolean()),
      f('t', T.timestamp(3)),
      f('lt', T.timestampLtz(3)),
      f('dt', T.date()),
      f('tm', { kind: 'TIME', precision: 0, nullable: true }),
      f('bin', T.bytes()),
      f('n', T.string()),
    ];
    const e = json.createEncoder(fields, {});
    const out = e.encode(['a"b', 1, 1, 0.1, 150, true, ts + 500000, ts, 20451, 3600e6, new Uint8Array([1, 2, 3]), null]);
    expect(out).toBe(
      '{"s":"a\\"b","i":1,"d":1.0,"fl":0.1,"dec":1.50,"b":true,"t":"2025-12-29 10:00:00.5","lt":"2025-12-29 10:00:00Z","dt":"2025-12-29","tm":"01:00:00","bin":"AQID","n":null}',
    );
    const iso = json.createEncoder([f('t', T.timestamp(3)), f('lt', T.timestampLtz(3))], { 'timestamp-format.standard': 'ISO-8601' });
    expect(iso.encode([ts, ts])).toBe('{"t":"2025-12-29T10:00:00","lt":"2025-12-29T10:00:00Z"}');
  });

  it('round-trips through the decoder', () => {
    const fields: Field[] = [
      f('id', T.string()),
      f('r', { kind: 'ROW', nullable: true, fields: [f('x', T.int()), f('t', T.timestamp(6))] }),
      f('a', { kind: 'ARRAY', element: T.double(), nullable: true }),
      f('m', { kind: 'MAP', key: T.string(), value: T.string(), nullable: true }),
    ];
    for (const std of ['SQL', 'ISO-8601']) {
      const opts = { 'timestamp-format.standard': std };
      const row = ['x', [1, ts + 123456], [1.5, 1e21, null], new Map([['k', 'v']])];
      const text = json.createEncoder(fields, opts).encode(row) as string;
      expect(json.createDecoder(fields, opts).decode(text, where)).toEqual(row);
    }
  });

  it('DOUBLE in Java notation, NaN as a string, DECIMAL plain or scientific', () => {
    const fields: Field[] = [f('d', T.double()), f('x', T.double()), f('dec', { kind: 'DECIMAL', precision: 20, scale: 10, nullable: true })];
    expect(json.createEncoder(fields, {}).encode([1e10, NaN, 270])).toBe('{"d":1.0E10,"x":"NaN","dec":2.70E-8}');
    expect(json.createEncoder(fields, { 'encode.decimal-as-plain-number': 'true' }).encode([1e-5, -Infinity, 270])).toBe(
      '{"d":1.0E-5,"x":"-Infinity","dec":0.0000000270}',
    );
  });

  it('map-null-key modes and ignore-null-fields', () => {
    const fields: Field[] = [f('m', { kind: 'MAP', key: T.string(), value: T.int(), nullable: true }), f('z', T.string())];
    const m = new Map<string | null, number>([
      ['a', 1],
      [null, 2],
    ]);
    expect(() => json.createEncoder(fields, {}).encode([m, null])).toThrow(/map-null-key.mode/);
    expect(json.createEncoder(fields, { 'map-null-key.mode': 'DROP' }).encode([m, null])).toBe('{"m":{"a":1},"z":null}');
    expect(json.createEncoder(fields, { 'map-null-key.mode': 'LITERAL', 'map-null-key.literal': 'nil' }).encode([m, null])).toBe('{"m":{"a":1,"nil":2},"z":null}');
    expect(json.createEncoder(fields, { 'map-null-key.mode': 'DROP', 'encode.ignore-null-fields': 'true' }).encode([m, null])).toBe('{"m":{"a":1}}');
  });

  it('STRING of maximum length prints as STRING in errors', () => {
    expect(MAX_LENGTH).toBe(2147483647);
  });
});
