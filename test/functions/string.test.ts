import { describe, expect, it } from 'vitest';
import { call, returnTypeOf } from './util.js';
import { formatType } from '../../src/common/types.js';
import { ValidationError } from '../../src/common/errors.js';
import { likeToRegExp, likeMatcher, similarToRegExp } from '../../src/functions/like.js';

type Case = [string, string[], unknown[], unknown];

// Expected values from Flink's documentation of the string functions.
const cases: Case[] = [
  ['UPPER', ['STRING'], ['hello'], 'HELLO'],
  ['LOWER', ['STRING'], ['HeLLo'], 'hello'],
  ['TRIM', ['STRING'], ['  hello  '], 'hello'],
  ['TRIM', ['STRING', 'STRING', 'STRING'], ['BOTH', ' ', ' hello '], 'hello'],
  ['TRIM', ['STRING', 'STRING', 'STRING'], ['LEADING', 'x', 'xxhixx'], 'hixx'],
  ['TRIM', ['STRING', 'STRING', 'STRING'], ['TRAILING', 'xy', 'xxhiyx'], 'xxhi'],
  ['LTRIM', ['STRING'], [' This is a test String.'], 'This is a test String.'],
  ['RTRIM', ['STRING'], ['This is a test String. '], 'This is a test String.'],
  ['LTRIM', ['STRING', 'STRING'], ['xxhi', 'x'], 'hi'],
  ['SUBSTRING', ['STRING', 'INT', 'INT'], ['Hello World', 1, 5], 'Hello'],
  ['SUBSTRING', ['STRING', 'INT'], ['Hello World', 7], 'World'],
  ['SUBSTRING', ['STRING', 'INT', 'INT'], ['Hello', 0, 2], 'He'],
  ['SUBSTRING', ['STRING', 'INT'], ['Hello', -3], 'llo'],
  ['SUBSTRING', ['STRING', 'INT', 'INT'], ['Hello', 10, 2], ''],
  ['SUBSTR', ['STRING', 'INT', 'INT'], ['Hello', 2, 3], 'ell'],
  ['CONCAT', ['STRING', 'STRING', 'STRING'], ['AA', 'BB', 'CC'], 'AABBCC'],
  ['CONCAT', ['STRING', 'STRING'], ['AA', null], null],
  ['CONCAT_WS', ['STRING', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING'], ['~', 'AA', null, 'BB', '', 'CC'], 'AA~BB~~CC'],
  ['CONCAT_WS', ['STRING', 'STRING'], [null, 'AA'], null],
  ['REPLACE', ['STRING', 'STRING', 'STRING'], ['hello world', 'world', 'flink'], 'hello flink'],
  ['REPLACE', ['STRING', 'STRING', 'STRING'], ['ababab', 'abab', 'z'], 'zab'],
  ['CHAR_LENGTH', ['STRING'], ['hello'], 5],
  ['CHAR_LENGTH', ['STRING'], ['😀a'], 2],
  ['CHARACTER_LENGTH', ['STRING'], [''], 0],
  ['POSITION', ['STRING', 'STRING'], ['lo', 'hello'], 4],
  ['POSITION', ['STRING', 'STRING'], ['x', 'hello'], 0],
  ['LOCATE', ['STRING', 'STRING', 'INT'], ['l', 'hello', 4], 4],
  ['LPAD', ['STRING', 'INT', 'STRING'], ['hi', 4, '??'], '??hi'],
  ['LPAD', ['STRING', 'INT', 'STRING'], ['hi', 1, '??'], 'h'],
  ['LPAD', ['STRING', 'INT', 'STRING'], ['hi', 5, 'ab'], 'abahi'],
  ['RPAD', ['STRING', 'INT', 'STRING'], ['hi', 4, '??'], 'hi??'],
  ['RPAD', ['STRING', 'INT', 'STRING'], ['hi', 1, '??'], 'h'],
  ['RPAD', ['STRING', 'INT', 'STRING'], ['hi', -1, '??'], null],
  ['REGEXP', ['STRING', 'STRING'], ['foobar', 'o+b'], true],
  ['REGEXP', ['STRING', 'STRING'], ['foobar', '^bar'], false],
  ['REGEXP', ['STRING', 'STRING'], ['FooBar', '(?i)foobar'], true],
  ['REGEXP_REPLACE', ['STRING', 'STRING', 'STRING'], ['A-a', '(?i)a', 'x'], 'x-x'],
  ['REGEXP_EXTRACT', ['STRING', 'STRING', 'INT'], ['foothebar', 'foo(.*?)(bar)', 2], 'bar'],
  ['REGEXP_EXTRACT', ['STRING', 'STRING', 'INT'], ['foothebar', 'foo(.*?)(bar)', 1], 'the'],
  ['REGEXP_EXTRACT', ['STRING', 'STRING'], ['foothebar', 'the'], 'the'],
  ['REGEXP_EXTRACT', ['STRING', 'STRING', 'INT'], ['foothebar', 'xyz(.)', 1], null],
  ['REGEXP_EXTRACT', ['STRING', 'STRING', 'INT'], ['foothebar', 'foo(.*?)(bar)', 3], null],
  ['REGEXP_REPLACE', ['STRING', 'STRING', 'STRING'], ['foobar', 'oo|ar', ''], 'fb'],
  ['REGEXP_REPLACE', ['STRING', 'STRING', 'STRING'], ['2024-01-02', '(\\d+)-(\\d+)', '$2'], '$2-02'], // replacement is literal in Flink
  ['REGEXP', ['STRING', 'STRING'], ['abc', ''], false],
  ['SUBSTRING', ['STRING', 'INT', 'INT'], ['Hello', 2, -1], null], // Flink: a negative length gives NULL
  ['SUBSTRING', ['STRING', 'INT'], ['Hello', -9], ''],
  ['LPAD', ['STRING', 'INT', 'STRING'], ['hi', 1, ''], null],
  ['LPAD', ['STRING', 'INT', 'STRING'], ['hi', 0, 'x'], ''],
  ['SPLIT_INDEX', ['STRING', 'STRING', 'INT'], ['', ',', 0], null],
  ['SPLIT_INDEX', ['STRING', 'STRING', 'INT'], ['a,,b', ',', 1], ''],
  ['CHR', ['INT'], [353], 'a'],
  ['OVERLAY', ['STRING', 'STRING', 'INT'], ['abcdef', 'XY', 3], 'abXYef'],
  ['OVERLAY', ['STRING', 'STRING', 'INT'], ['abc', 'XY', 9], 'abc'],
  ['STR_TO_MAP', ['STRING', 'STRING', 'STRING'], ['a:1;b;c:2:3;', ';', ':'], new Map([['a', '1'], ['b', null], ['c', '2:3']])],
  ['SPLIT_INDEX', ['STRING', 'STRING', 'INT'], ['Jack,John,Mary', ',', 2], 'Mary'],
  ['SPLIT_INDEX', ['STRING', 'STRING', 'INT'], ['Jack,John,Mary', ',', 0], 'Jack'],
  ['SPLIT_INDEX', ['STRING', 'STRING', 'INT'], ['Jack,John,Mary', ',', 3], null],
  ['SPLIT_INDEX', ['STRING', 'STRING', 'INT'], ['a::b', '::', 1], 'b'],
  ['INITCAP', ['STRING'], ['hello wORLD-foo bar1x'], 'Hello World-Foo Bar1x'],
  ['INITCAP', ['STRING'], ['élan ÉCOLE 😀x'], 'éLan ÉCole 😀X'], // as Flink 1.20 (Calcite's initcap: ASCII letters only)
  ['LEFT', ['STRING', 'INT'], ['hello', 2], 'he'],
  ['RIGHT', ['STRING', 'INT'], ['hello', 2], 'lo'],
  ['REPEAT', ['STRING', 'INT'], ['ab', 3], 'ababab'],
  ['REVERSE', ['STRING'], ['abc'], 'cba'],
  ['ASCII', ['STRING'], ['abc'], 97],
  ['CHR', ['INT'], [97], 'a'],
  ['TO_BASE64', ['STRING'], ['hello world'], 'aGVsbG8gd29ybGQ='],
  ['FROM_BASE64', ['STRING'], ['aGVsbG8gd29ybGQ='], 'hello world'],
  ['OVERLAY', ['STRING', 'STRING', 'INT', 'INT'], ['xxxxxtest', 'xxxx', 6, 4], 'xxxxxxxxx'],
  ['OVERLAY', ['STRING', 'STRING', 'INT', 'INT'], ['xxxxxtest', 'xxxx', 6, 2], 'xxxxxxxxxst'],
  ['SPLIT', ['STRING', 'STRING'], ['a,b,c', ','], ['a', 'b', 'c']],
  ['STR_TO_MAP', ['STRING'], ['a=1,b=2'], new Map([['a', '1'], ['b', '2']])],
  ['UPPER', ['STRING'], [null], null],
];

describe('string functions', () => {
  it.each(cases)('%s(%j) with constants', (name, types, values, expected) => {
    expect(call(name, types, values)).toEqual(expected);
  });
  it.each(cases.filter(([n]) => n !== 'TRIM' || true))('%s(%j) without constants', (name, types, values, expected) => {
    const constants = name === 'TRIM' ? [0] : 'none';
    expect(call(name, types, values, { constants })).toEqual(expected);
  });

  it('gives Flink result types and nullability', () => {
    expect(formatType(returnTypeOf('CHAR_LENGTH', ['STRING NOT NULL']))).toBe('INT NOT NULL');
    expect(formatType(returnTypeOf('CHAR_LENGTH', ['STRING']))).toBe('INT');
    expect(formatType(returnTypeOf('UPPER', ['VARCHAR(10) NOT NULL']))).toBe('VARCHAR(10) NOT NULL');
    expect(formatType(returnTypeOf('CONCAT', ['STRING NOT NULL', 'STRING NOT NULL']))).toBe('STRING NOT NULL');
    // As Flink 1.20 answers (difftest cases concat-with-null, upper-lower-initcap, substring, left-right):
    expect(formatType(returnTypeOf('CONCAT_WS', ['STRING NOT NULL', 'STRING', 'STRING']))).toBe('STRING');
    expect(formatType(returnTypeOf('CONCAT_WS', ['STRING NOT NULL', 'STRING NOT NULL']))).toBe('STRING NOT NULL');
    expect(formatType(returnTypeOf('UPPER', ['CHAR(4) NOT NULL']))).toBe('CHAR(4) NOT NULL');
    expect(formatType(returnTypeOf('SUBSTRING', ['VARCHAR(5) NOT NULL', 'INT NOT NULL']))).toBe('VARCHAR(5)');
    expect(formatType(returnTypeOf('LEFT', ['CHAR(5) NOT NULL', 'INT NOT NULL']))).toBe('VARCHAR(5)');
    expect(formatType(returnTypeOf('OVERLAY', ['CHAR(6) NOT NULL', 'CHAR(2) NOT NULL', 'INT NOT NULL']))).toBe('VARCHAR(8) NOT NULL');
    expect(formatType(returnTypeOf('REGEXP_EXTRACT', ['STRING NOT NULL', 'STRING NOT NULL']))).toBe('STRING');
    expect(formatType(returnTypeOf('SPLIT_INDEX', ['STRING NOT NULL', 'STRING NOT NULL', 'INT NOT NULL']))).toBe('STRING');
    expect(formatType(returnTypeOf('REGEXP', ['STRING NOT NULL', 'STRING NOT NULL']))).toBe('BOOLEAN NOT NULL');
  });

  it('rejects wrong argument types with the expected signature', () => {
    expect(() => returnTypeOf('UPPER', ['INT'])).toThrow(ValidationError);
    expect(() => returnTypeOf('UPPER', ['INT'])).toThrow('Invalid arguments for function UPPER(INT); expected UPPER(STRING)');
    expect(() => returnTypeOf('SUBSTRING', ['STRING'])).toThrow(/SUBSTRING\(STRING, start INT\[, length INT\]\)/);
    expect(() => returnTypeOf('CONCAT', ['STRING', 'INT'])).toThrow('Invalid arguments for function CONCAT(STRING, INT)');
    expect(() => returnTypeOf('LPAD', ['STRING', 'STRING', 'STRING'])).toThrow(/LPAD/);
  });

  it('rejects an invalid constant regex at plan time', () => {
    expect(() => call('REGEXP', ['STRING', 'STRING'], ['a', '(('])).toThrow(/Invalid regular expression/);
    expect(call('REGEXP', ['STRING', 'STRING'], ['a', '(('], { constants: 'none' })).toBe(false);
    expect(call('REGEXP_EXTRACT', ['STRING', 'STRING'], ['a', '(('], { constants: 'none' })).toBeNull();
  });
});

describe('LIKE / SIMILAR TO', () => {
  it.each([
    ['abc', 'a%', true],
    ['abc', '%c', true],
    ['abc', '%b%', true],
    ['abc', 'a_c', true],
    ['abc', 'a_', false],
    ['a.c', 'a.c', true],
    ['abc', 'a.c', false],
    ['a\nc', 'a%', true],
    ['100%', '100\\%', true],
    ['1000', '100\\%', false],
    ['(x)', '(%)', true],
  ])("'%s' LIKE '%s' = %s", (s, p, expected) => {
    const esc = p.includes('\\') ? '\\' : undefined;
    expect(likeToRegExp(p, esc).test(s)).toBe(expected);
    expect(likeMatcher(p, esc)(s)).toBe(expected);
  });
  it('rejects a bad escape', () => {
    expect(() => likeToRegExp('a\\b', '\\')).toThrow(ValidationError);
    expect(() => likeToRegExp('a', 'xy')).toThrow(ValidationError);
  });
  it('SIMILAR TO', () => {
    expect(similarToRegExp('(a|b)%').test('bxx')).toBe(true);
    expect(similarToRegExp('[0-9]+').test('123')).toBe(true);
    expect(similarToRegExp('[0-9]+').test('12a')).toBe(false);
    expect(similarToRegExp('a.c').test('abc')).toBe(false);
  });
});
