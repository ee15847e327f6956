import { describe, expect, it } from 'vitest';
import { call, returnTypeOf } from './util.js';
import { formatType } from '../../src/common/types.js';

const A = 'ARRAY<INT>';
type Case = [string, string[], unknown[], unknown];
const cases: Case[] = [
  ['CARDINALITY', [A], [[1, 2, 3]], 3],
  ['CARDINALITY', ['MAP<STRING, INT>'], [new Map([['a', 1]])], 1],
  ['ELEMENT', [A], [[7]], 7],
  ['ELEMENT', [A], [[]], null],
  ['ARRAY_CONTAINS', [A, 'INT'], [[1, 2], 2], true],
  ['ARRAY_CONTAINS', [A, 'INT'], [[1, 2], 3], false],
  ['ARRAY_CONTAINS', [A, 'INT'], [[1, null], null], true],
  ['ARRAY_CONTAINS', [A, 'INT'], [null, 1], null],
  ['ARRAY_POSITION', [A, 'INT'], [[5, 6, 7], 7], 3],
  ['ARRAY_REMOVE', [A, 'INT'], [[1, 2, 1], 1], [2]],
  ['ARRAY_DISTINCT', [A], [[1, 2, 1, null, null]], [1, 2, null]],
  ['ARRAY_REVERSE', [A], [[1, 2, 3]], [3, 2, 1]],
  ['ARRAY_CONCAT', [A, A], [[1], [2, 3]], [1, 2, 3]],
  ['ARRAY_UNION', [A, A], [[1, 2], [2, 3]], [1, 2, 3]],
  ['ARRAY_SLICE', [A, 'INT', 'INT'], [[1, 2, 3, 4], 2, 3], [2, 3]],
  ['ARRAY_SLICE', [A, 'INT'], [[1, 2, 3, 4], -2], [3, 4]],
  // As Flink's ArraySliceFunction: a start before the first is the first, an end of 0 is 1.
  ['ARRAY_SLICE', [A, 'INT', 'INT'], [[7, 8], -5, 0], [7]],
  ['ARRAY_SLICE', [A, 'INT', 'INT'], [[7, 8, 9], -5, 2], [7, 8]],
  ['ARRAY_SLICE', [A, 'INT', 'INT'], [[7, 8], 2, 0], []],
  ['ARRAY_SLICE', [A, 'INT', 'INT'], [[7, 8], -1, -5], []],
  ['ARRAY_MAX', [A], [[3, null, 9, 1]], 9],
  ['ARRAY_MIN', [A], [[3, null, 9, 1]], 1],
  ['ARRAY_JOIN', [A, 'STRING'], [[1, null, 3], '-'], '1-3'],
  ['ARRAY_JOIN', [A, 'STRING', 'STRING'], [[1, null, 3], '-', 'x'], '1-x-3'],
  ['MAP_KEYS', ['MAP<STRING, INT>'], [new Map([['a', 1], ['b', 2]])], ['a', 'b']],
  ['MAP_VALUES', ['MAP<STRING, INT>'], [new Map([['a', 1], ['b', 2]])], [1, 2]],
  ['MAP_ENTRIES', ['MAP<STRING, INT>'], [new Map([['a', 1]])], [['a', 1]]],
  ['MAP_FROM_ARRAYS', ['ARRAY<STRING>', A], [['a', 'b'], [1, 2]], new Map([['a', 1], ['b', 2]])],
];

describe('collection functions', () => {
  it.each(cases)('%s(%j)', (name, types, values, expected) => {
    expect(call(name, types, values)).toEqual(expected);
  });
  it('types and errors', () => {
    expect(formatType(returnTypeOf('CARDINALITY', ['ARRAY<INT> NOT NULL']))).toBe('INT NOT NULL');
    expect(formatType(returnTypeOf('MAP_KEYS', ['MAP<STRING, INT>']))).toBe('ARRAY<STRING>');
    expect(() => returnTypeOf('CARDINALITY', ['INT'])).toThrow(/CARDINALITY\(ARRAY \| MAP\)/);
    expect(() => call('ELEMENT', [A], [[1, 2]])).toThrow(/at most one/);
    // The needle casts implicitly to the element type (Flink's ArrayElementArgumentTypeStrategy).
    expect(() => returnTypeOf('ARRAY_REMOVE', [A, 'BIGINT'])).toThrow(/ARRAY_REMOVE\(ARRAY, value of the element type\)/);
    expect(() => returnTypeOf('ARRAY_CONTAINS', [A, 'DECIMAL(10, 2)'])).toThrow(/ARRAY_CONTAINS/);
    expect(() => returnTypeOf('ARRAY_POSITION', ['ARRAY<STRING>', 'INT'])).toThrow(/ARRAY_POSITION/);
    expect(formatType(returnTypeOf('ARRAY_CONTAINS', ['ARRAY<BIGINT>', 'TINYINT']))).toBe('BOOLEAN');
  });
});
