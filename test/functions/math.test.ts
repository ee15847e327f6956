import { describe, expect, it } from 'vitest';
import { call, returnTypeOf } from './util.js';
import { formatType } from '../../src/common/types.js';

type Case = [string, string[], unknown[], unknown];
const cases: Case[] = [
  ['ABS', ['INT'], [-5], 5],
  ['ABS', ['DOUBLE'], [-1.5], 1.5],
  ['ROUND', ['DOUBLE', 'INT'], [125.315, 2], 125.32],
  ['ROUND', ['DOUBLE', 'INT'], [-125.315, 2], -125.32],
  ['ROUND', ['DOUBLE'], [2.5], 3],
  ['ROUND', ['DOUBLE'], [-2.5], -3],
  ['ROUND', ['INT', 'INT'], [125, -1], 130],
  ['ROUND', ['INT'], [7], 7],
  ['TRUNCATE', ['DOUBLE', 'INT'], [42.345, 2], 42.34],
  ['TRUNCATE', ['DOUBLE', 'INT'], [-42.345, 2], -42.34],
  ['FLOOR', ['DOUBLE'], [-1.5], -2],
  ['CEIL', ['DOUBLE'], [1.2], 2],
  ['CEILING', ['DOUBLE'], [-1.2], -1],
  ['MOD', ['INT', 'INT'], [7, 3], 1],
  ['MOD', ['INT', 'INT'], [-7, 3], -1],
  ['POWER', ['INT', 'INT'], [2, 10], 1024],
  ['SQRT', ['INT'], [16], 4],
  ['LN', ['DOUBLE'], [Math.E], 1],
  ['LOG10', ['INT'], [1000], 3],
  ['LOG2', ['INT'], [8], 3],
  ['LOG', ['INT', 'INT'], [2, 8], 3],
  ['EXP', ['INT'], [0], 1],
  ['SIGN', ['INT'], [-3], -1],
  ['GREATEST', ['INT', 'INT', 'INT'], [1, 5, 3], 5],
  ['LEAST', ['STRING', 'STRING'], ['b', 'a'], 'a'],
  ['GREATEST', ['INT', 'INT'], [1, null], null],
  ['BIN', ['INT'], [12], '1100'],
  ['HEX', ['INT'], [100], '64'],
  ['HEX', ['STRING'], ['hello,world'], '68656C6C6F2C776F726C64'],
  ['DEGREES', ['DOUBLE'], [Math.PI], 180],
  ['PI', [], [], Math.PI],
];

describe('math functions', () => {
  it.each(cases)('%s(%j)', (name, types, values, expected) => {
    const r = call(name, types, values);
    if (typeof expected === 'number') expect(r).toBeCloseTo(expected, 10);
    else expect(r).toEqual(expected);
    const r2 = call(name, types, values, { constants: 'none' });
    if (typeof expected === 'number') expect(r2).toBeCloseTo(expected, 10);
    else expect(r2).toEqual(expected);
  });

  it('ROUND, TRUNCATE, FLOOR, CEIL, ABS and MOD of a DECIMAL are exact on its unscaled value', () => {
    // 1.005 in DECIMAL(10, 3) is 1005; ROUND(…, 2) with a literal 2 is DECIMAL(10, 2): 1.01 → 101.
    expect(call('ROUND', ['DECIMAL(10, 3)', 'INT'], [1005, 2])).toBe(101);
    // Digits not known at planning: the type stays DECIMAL(10, 3), so 1.010 → 1010.
    expect(call('ROUND', ['DECIMAL(10, 3)', 'INT'], [1005, 2], { constants: 'none' })).toBe(1010);
    expect(call('ROUND', ['DECIMAL(10, 3)', 'INT'], [-1005, 2])).toBe(-101);
    expect(call('TRUNCATE', ['DECIMAL(10, 3)', 'INT'], [1009, 2])).toBe(100);
    expect(call('ROUND', ['DECIMAL(38, 2)', 'INT'], [1234567890123456789n, 0])).toBe(12345678901234568n);
    expect(call('FLOOR', ['DECIMAL(10, 2)'], [-150])).toBe(-2);
    expect(call('CEIL', ['DECIMAL(10, 2)'], [101])).toBe(2);
    expect(call('ABS', ['DECIMAL(38, 0)'], [-12345678901234567890n])).toBe(12345678901234567890n);
    expect(call('MOD', ['DECIMAL(10, 2)', 'INT'], [750, 2])).toBe(150);
    expect(call('SQRT', ['DECIMAL(10, 2)'], [225])).toBe(1.5);
  });

  it('MOD by zero on integers fails clearly', () => {
    expect(() => call('MOD', ['INT', 'INT'], [1, 0])).toThrow(/Division by zero/);
  });

  it('RAND', () => {
    const r = call('RAND', [], []) as number;
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThan(1);
    expect(call('RAND', ['INT'], [42])).toBe(call('RAND', ['INT'], [42]));
    const n = call('RAND_INTEGER', ['INT'], [10]) as number;
    expect(Number.isInteger(n) && n >= 0 && n < 10).toBe(true);
  });

  it('result types', () => {
    const rt = (n: string, t: string[]) => formatType(returnTypeOf(n, t));
    expect(rt('ABS', ['INT NOT NULL'])).toBe('INT NOT NULL');
    expect(rt('SQRT', ['INT'])).toBe('DOUBLE');
    expect(rt('POWER', ['INT NOT NULL', 'INT NOT NULL'])).toBe('DOUBLE NOT NULL');
    expect(rt('MOD', ['BIGINT', 'INT'])).toBe('INT');
    expect(rt('FLOOR', ['DECIMAL(10, 2)'])).toBe('DECIMAL(10, 0)');
    expect(rt('ROUND', ['DOUBLE', 'INT'])).toBe('DOUBLE');
    expect(formatType(returnTypeOf('ROUND', ['DECIMAL(4, 3) NOT NULL', 'INT NOT NULL'], [1.005, 2]))).toBe('DECIMAL(4, 2) NOT NULL');
    expect(formatType(returnTypeOf('ROUND', ['DECIMAL(10, 3)'], [1.5]))).toBe('DECIMAL(8, 0)');
    expect(formatType(returnTypeOf('ROUND', ['DECIMAL(10, 3)', 'INT'], [1.5, -1]))).toBe('DECIMAL(8, 0)');
    expect(formatType(returnTypeOf('ROUND', ['DECIMAL(10, 3)', 'INT'], [1.5, 5]))).toBe('DECIMAL(10, 3)');
    expect(rt('RAND', [])).toBe('DOUBLE NOT NULL');
    expect(() => rt('SQRT', ['STRING'])).toThrow(/SQRT/);
  });
});
