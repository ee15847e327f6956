import { describe, expect, it } from 'vitest';
import { ConnectorError, ValidationError } from '../../src/common/errors.js';
import { T, type Field, type LogicalType } from '../../src/common/types.js';
import { getFormat } from '../../src/formats/registry.js';

const csv = getFormat('csv')!;
const where = () => 'data.csv:7';
const f = (name: string, type: LogicalType): Field => ({ name, type });
const ts = Date.UTC(2025, 11, 29, 10, 0, 0) * 1000;
const fields = [f('id', T.string()), f('n', T.int()), f('t', T.timestamp(3))];

describe('csv decoding', () => {
  it('reads fields by position with the default options', () => {
    const d = csv.createDecoder(fields, {});
    expect(d.decode('e1,5,2025-12-29 10:00:00', where)).toEqual(['e1', 5, ts]);
    expect(d.decode('"a,b",-1,2025-12-29 10:00:00.250\r\n', where)).toEqual(['a,b', -1, ts + 250000]);
    expect(d.decode('"say ""hi""",,', where)).toEqual(['say "hi"', null, null]);
  });

  it('field-delimiter, quote-character, escape-character', () => {
    const d = csv.createDecoder(fields, { 'field-delimiter': '|', 'quote-character': "'", 'escape-character': '\\' });
    expect(d.decode("'x|y'|1|2025-12-29T10:00:00", where)).toEqual(['x|y', 1, ts]);
    expect(d.decode('a\\|b|2|', where)).toEqual(['a|b', 2, null]);
    const tab = csv.createDecoder(fields, { 'field-delimiter': '\t' });
    expect(tab.decode('a\t1\t2025-12-29 10:00:00', where)).toEqual(['a', 1, ts]);
    expect(() => csv.createDecoder(fields, { 'field-delimiter': ';;' })).toThrow(ValidationError);
  });

  it('disable-quote-character reads quotes as text', () => {
    const d = csv.createDecoder([f('a', T.string()), f('b', T.string())], { 'disable-quote-character': 'true' });
    expect(d.decode('"x",y', where)).toEqual(['"x"', 'y']);
    expect(() => csv.createDecoder(fields, { 'disable-quote-character': 'true', 'quote-character': "'" })).toThrow(/not allowed/);
  });

  it('allow-comments skips # lines', () => {
    const d = csv.createDecoder(fields, { 'allow-comments': 'true' });
    expect(d.decode('# a comment', where)).toBeNull();
    expect(() => csv.createDecoder(fields, {}).decode('# a comment', where)).toThrow(ConnectorError);
  });

  it('null-literal; empty non-string values are NULL, empty strings stay', () => {
    const d = csv.createDecoder(fields, { 'null-literal': 'N/A' });
    expect(d.decode('N/A,N/A,N/A', where)).toEqual([null, null, null]);
    expect(d.decode(',,', where)).toEqual(['', null, null]);
  });

  it('array-element-delimiter for ARRAY and ROW', () => {
    const fs: Field[] = [
      f('a', { kind: 'ARRAY', element: T.int(), nullable: true }),
      f('r', { kind: 'ROW', nullable: true, fields: [f('x', T.string()), f('y', T.double())] }),
    ];
    expect(csv.createDecoder(fs, {}).decode('1;2;3,k;1.5', where)).toEqual([[1, 2, 3], ['k', 1.5]]);
    expect(csv.createDecoder(fs, { 'array-element-delimiter': '/' }).decode('1/2,k/2', where)).toEqual([[1, 2], ['k', 2]]);
  });

  it('errors name the location and the field; ignore-parse-errors skips or nulls', () => {
    const d = csv.createDecoder(fields, {});
    expect(() => d.decode('a,x,2025-12-29 10:00:00', where)).toThrow("at data.csv:7: field 'n': cannot convert 'x' to INT");
    expect(() => d.decode('a,1', where)).toThrow('row length mismatch, 3 fields expected but was 2');
    expect(() => d.decode('"open,1,2', where)).toThrow('unterminated quoted value');
    const lenient = csv.createDecoder(fields, { 'ignore-parse-errors': 'true' });
    expect(lenient.decode('a,x,2025-12-29 10:00:00', where)).toEqual(['a', null, ts]);
    expect(lenient.decode('a,1', where)).toEqual(['a', 1, null]);
    expect(lenient.decode('"open,1,2', where)).toBeNull();
  });

  it('every scalar type', () => {
    const fs: Field[] = [
      f('b', T.boolean()),
      f('l', T.bigint()),
      f('d', T.double()),
      f('dec', { kind: 'DECIMAL', precision: 5, scale: 1, nullable: true }),
      f('dt', T.date()),
      f('tm', { kind: 'TIME', precision: 3, nullable: true }),
      f('lt', T.timestampLtz(3)),
      f('bin', T.bytes()),
    ];
    expect(csv.createDecoder(fs, {}).decode('true,12,1.5e2,3.25,2025-12-29,10:00:01.5,2025-12-29 12:00:00+02:00,AQI=', where)).toEqual([
      true,
      12,
      150,
      33, // DECIMAL(5, 1): 3.25 rounds HALF_UP to 3.3, unscaled 33
      20451,
      36001.5e6,
      ts,
      new Uint8Array([1, 2]),
    ]);
  });

  it('MAP columns are rejected', () => {
    expect(() => csv.createDecoder([f('m', { kind: 'MAP', key: T.string(), value: T.string(), nullable: true })], {})).toThrow(/MAP/);
  });
});

describe('csv encoding', () => {
  it('writes as Flink does, quoting when needed', () => {
    const e = csv.createEncoder(fields, {});
    // Jackson's loose quoting: a space (below ',') makes the timestamp quoted, as Flink writes it.
    expect(e.encode(['e1', 5, ts])).toBe('e1,5,"2025-12-29 10:00:00"');
    expect(e.encode(['a,b', null, ts + 5e5])).toBe('"a,b",,"2025-12-29 10:00:00.5"');
    expect(e.encode(['abcdefghijklmnopqrstuvwxyz', -1, null])).toBe('"abcdefghijklmnopqrstuvwxyz",-1,');
    expect(e.encode(['say "hi"', 1, null])).toBe('"say ""hi""",1,');
    expect(e.encode(['two words', 1, null])).toBe('"two words",1,');
  });

  it('null-literal, delimiter, disabled quoting, DECIMAL notation', () => {
    const fs: Field[] = [f('s', T.string()), f('dec', { kind: 'DECIMAL', precision: 20, scale: 10, nullable: true }), f('d', T.double())];
    expect(csv.createEncoder(fs, { 'null-literal': 'NULL', 'field-delimiter': ';' }).encode([null, 270, 1])).toBe('NULL;"2.70E-8";1.0');
    expect(csv.createEncoder(fs, { 'write-bigdecimal-in-scientific-notation': 'false' }).encode(['a b', 5000000000, 1e7])).toBe('"a b",0.5000000000,1.0E7');
    expect(csv.createEncoder(fs, { 'disable-quote-character': 'true' }).encode(['a,b', null, null])).toBe('a,b,,');
  });

  it('escape-character: the escape character is doubled and the value quoted (Jackson)', () => {
    const fs: Field[] = [f('s', T.string()), f('n', T.int())];
    const opts = { 'escape-character': '\\' };
    const line = csv.createEncoder(fs, opts).encode(['a\\b"c', 1]) as string;
    expect(line).toBe('"a\\\\b""c",1');
    expect(csv.createDecoder(fs, opts).decode(line, where)).toEqual(['a\\b"c', 1]);
  });

  it('round-trips 3000 random rows under random delimiter / quote / escape options', () => {
    let seed = 99;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = ['a', 'b', ' ', ',', ';', '|', '\t', '"', "'", '\\', '\n', '\r', 'é', '#', '-'];
    const fs: Field[] = [f('s', T.string()), f('n', T.bigint()), f('t', T.string())];
    for (let k = 0; k < 3000; k++) {
      const opts: Record<string, string> = { 'field-delimiter': [',', ';', '\t', '|'][rnd(4)] };
      if (rnd(2)) opts['quote-character'] = "'";
      if (rnd(2)) opts['escape-character'] = '\\';
      const str = () => Array.from({ length: rnd(30) }, () => alphabet[rnd(alphabet.length)]).join('');
      const row = [str(), rnd(3) ? rnd(1000) - 500 : null, str()];
      const line = csv.createEncoder(fs, opts).encode(row) as string;
      expect(csv.createDecoder(fs, opts).decode(line, where), JSON.stringify([opts, line])).toEqual(row);
    }
  });

  it('round-trips', () => {
    const fs: Field[] = [f('s', T.string()), f('a', { kind: 'ARRAY', element: T.string(), nullable: true }), f('t', T.timestampLtz(6)), f('dt', T.date())];
    const row = ['x "y", z', ['p', 'q'], ts + 1, 20451];
    const text = csv.createEncoder(fs, {}).encode(row) as string;
    expect(csv.createDecoder(fs, {}).decode(text, where)).toEqual(row);
  });
});
