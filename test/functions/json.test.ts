import { describe, expect, it } from 'vitest';
import { call, returnTypeOf } from './util.js';
import { formatType } from '../../src/common/types.js';
import { createHash } from 'node:crypto';

type Case = [string, string[], unknown[], unknown];
const S = 'STRING';
const cases: Case[] = [
  ['JSON_VALUE', [S, S], ['{"a": true}', '$.a'], 'true'],
  ['JSON_VALUE', [S, S], ['{"a": {"b": "x"}}', '$.a.b'], 'x'],
  ['JSON_VALUE', [S, S], ['{"a": [1, 2.5]}', '$.a[1]'], '2.5'],
  ['JSON_VALUE', [S, S], ['{"price": 10.0, "n": 3}', '$.price'], '10.0'],
  ['JSON_VALUE', [S, S], ['{"price": 10.0, "n": 3}', '$.n'], '3'],
  ['JSON_VALUE', [S, S], ['{"x": 1e10}', '$.x'], '1.0E10'],
  ['JSON_VALUE', [S, S], ['{"id": 12345678901234567890}', '$.id'], '12345678901234567890'],
  ['JSON_VALUE', [S, S], ['{"a": {"b": 1}}', '$.a'], null],
  ['JSON_VALUE', [S, S], ['{"a": 1}', '$.b'], null],
  ['JSON_VALUE', [S, S], ['not json', '$.a'], null],
  ['JSON_VALUE', [S, S], ['{"a b": 3}', "$['a b']"], '3'],
  ['JSON_VALUE', [S, S, S], ['{"a.b": [0.998,0.996]}', '$.["a.b"][0]', 'DOUBLE'], 0.998],
  ['JSON_VALUE', [S, S, S], ['{"n": 42}', '$.n', 'INT'], 42],
  ['JSON_VALUE', [S, S, S], ['{"n": "abcdef"}', '$.n', 'VARCHAR(3)'], 'abc'],
  ['JSON_VALUE', [S, S, S], ['{"n": 1}', '$.x', 'INT'], null],
  ['JSON_VALUE', [S, S, S], ['{"b": true}', '$.b', 'BOOLEAN'], true],
  ['JSON_VALUE', [S, S], ['{"a": 1} x', '$.a'], '1'],
  ['JSON_VALUE', [S, S], ['{"t": "2024-12-31T10:00:00Z"}', 'lax $.t'], '2024-12-31T10:00:00Z'],
  ['JSON_QUERY', [S, S], ['{ "a": { "b": 1 } }', '$.a'], '{"b":1}'],
  ['JSON_QUERY', [S, S], ['[1, 2]', '$'], '[1,2]'],
  ['JSON_QUERY', [S, S], ['{}', 'strict $.invalid'], null],
  ['JSON_QUERY', [S, S], ['{"a": 1}', '$.a'], null],
  ['JSON_QUERY', [S, S, S], ['{"a": 1}', '$.a', 'WITH'], '[1]'],
  ['JSON_QUERY', [S, S, S], ['{"a": "1"}', '$.a', 'CONDITIONAL'], '["1"]'],
  ['JSON_QUERY', [S, S, S], ['{"a": [1]}', '$.a', 'CONDITIONAL'], '[1]'],
  ['JSON_QUERY', [S, S, S], ['{"a": [{"b": 1}, {"b": 2}]}', '$.a[*].b', 'WITH ARRAY WRAPPER'], '[[1,2]]'], // an indefinite path selects the array of its matches (Flink)
  ['JSON_EXISTS', [S, S], ['{"a": true}', '$.a'], true],
  ['JSON_EXISTS', [S, S], ['{"a": true}', '$.b'], false],
  ['JSON_EXISTS', [S, S], ['{"a": [{ "b": 1 }]}', '$.a[0].b'], true],
  ['JSON_EXISTS', [S, S], ['{"a": null}', '$.a'], false], // Flink 1.20: a JSON null does not exist
  // A missing path or a null value is an error without the lax prefix: ON ERROR decides (Flink 1.20).
  ['JSON_EXISTS', [S, S, S], ['{"a": 1}', 'lax $.x', 'TRUE'], false],
  ['JSON_EXISTS', [S, S, S], ['{"a": 1}', '$.x', 'TRUE'], true],
  ['JSON_EXISTS', [S, S, S], ['{"a": null}', '$.a', 'UNKNOWN'], null],
  ['JSON_EXISTS', [S, S, S], ['{"a": 1}', '$.a', 'TRUE'], true],
  ['JSON_STRING', ['DECIMAL(5, 2)'], [10000], '1E+2'],
  ['JSON_STRING', ['DECIMAL(5, 2)'], [-50], '-0.5'],
  ['JSON_STRING', ['DECIMAL(10, 8)'], [10], '1E-7'],
  ['JSON_STRING', ['DECIMAL(5, 2)'], [0], '0'],
  ['IS_JSON', [S], ['1'], true],
  ['IS_JSON', [S], ['{}'], true],
  ['IS_JSON', [S], ['abc'], false],
  ['IS_JSON', [S], [''], false],
  ['IS_JSON', [S], [null], false],
  ['IS_JSON', [S, S], ['{}', 'OBJECT'], true],
  ['IS_JSON', [S, S], ['[]', 'OBJECT'], false],
  ['IS_JSON', [S, S], ['[]', 'ARRAY'], true],
  ['IS_JSON', [S, S], ['"x"', 'SCALAR'], true],
  ['IS_JSON', [S, S], ['{}', 'SCALAR'], false],
  ['JSON_OBJECT', [S, 'INT', S, S, S, 'INT'], ['a', 1, 'b', 'x"y', 'c', null], '{"a":1,"b":"x\\"y","c":null}'],
  ['JSON_OBJECT', [], [], '{}'],
  ['JSON_ARRAY', ['INT', S, 'BOOLEAN', 'INT'], [1, 'a', true, null], '[1,"a",true]'],
  ['JSON_ARRAY', ['ARRAY<INT>', 'TIMESTAMP(3)'], [[1, null], 1735639200000000], '[[1,null],"2024-12-31T10:00:00"]'], // Flink 1.20 drops a zero fraction
  ['MD5', [S], [''], 'd41d8cd98f00b204e9800998ecf8427e'],
  ['MD5', [S], ['hello'], '5d41402abc4b2a76b9719d911017c592'],
  ['SHA256', [S], ['hello'], createHash('sha256').update('hello').digest('hex')],
  ['SHA1', [S], ['hello'], 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d'],
  ['SHA2', [S, 'INT'], ['hello', 512], createHash('sha512').update('hello').digest('hex')],
  ['TYPEOF', ['INT NOT NULL'], [1], 'INT NOT NULL'],
  ['TYPEOF', ['DECIMAL(10, 2)'], [null], 'DECIMAL(10, 2)'],
  ['PARSE_URL', [S, S], ['http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'HOST'], 'facebook.com'],
  ['PARSE_URL', [S, S], ['http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'PATH'], '/path1/p.php'],
  ['PARSE_URL', [S, S], ['http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'QUERY'], 'k1=v1&k2=v2'],
  ['PARSE_URL', [S, S], ['http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'REF'], 'Ref1'],
  ['PARSE_URL', [S, S], ['http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'PROTOCOL'], 'http'],
  ['PARSE_URL', [S, S, S], ['http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'QUERY', 'k1'], 'v1'],
  ['PARSE_URL', [S, S], ['not a url', 'HOST'], null],
  ['URL_ENCODE', [S], ['a b&c'], 'a+b%26c'],
  ['URL_DECODE', [S], ['a+b%26c'], 'a b&c'],
  ['IS_DIGIT', [S], ['123'], true],
  ['IS_DIGIT', [S], ['12a'], false],
  ['IS_ALPHA', [S], ['abc'], true],
  ['IS_DECIMAL', [S], ['-1.5e3'], true],
  ['IS_DECIMAL', [S], [null], false],
  ['MD5', ['BYTES'], [new Uint8Array([104, 101, 108, 108, 111])], '5d41402abc4b2a76b9719d911017c592'],
];

describe('JSON and hash functions', () => {
  it.each(cases)('%s(%j)', (name, types, values, expected) => {
    expect(call(name, types, values)).toEqual(expected);
    if (types.length < 3) expect(call(name, types, values, { constants: 'none' })).toEqual(expected);
  });

  it('types', () => {
    expect(formatType(returnTypeOf('JSON_VALUE', [S, S]))).toBe('STRING');
    expect(formatType(returnTypeOf('JSON_VALUE', [S, S, S], [undefined, '$.a', 'INT']))).toBe('INT');
    expect(formatType(returnTypeOf('IS_JSON', [S]))).toBe('BOOLEAN NOT NULL');
    expect(formatType(returnTypeOf('UUID', []))).toBe('STRING NOT NULL');
    expect(formatType(returnTypeOf('MD5', ['STRING NOT NULL']))).toBe('CHAR(32) NOT NULL');
    expect(() => call('JSON_VALUE', [S, S], ['{}', 'a.b'])).toThrow(/must start with '\$'/);
  });

  it('UUID', () => {
    const u = call('UUID', [], []) as string;
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(call('UUID', [], [])).not.toBe(u);
  });
});
