import { describe, expect, it } from 'vitest';
import { arithmeticResultType, commonType, comparable, comparisonType, supportsImplicitCast } from '../../src/functions/coercion.js';
import { formatType } from '../../src/common/types.js';
import { ty } from './util.js';

const common = (...ts: string[]) => {
  const r = commonType(ts.map(ty));
  return r && formatType(r);
};
const arith = (op: '+' | '-' | '*' | '/' | '%', a: string, b: string) => {
  const r = arithmeticResultType(op, ty(a), ty(b));
  return r && formatType(r);
};

describe('commonType', () => {
  it.each([
    [['INT NOT NULL', 'BIGINT NOT NULL'], 'BIGINT NOT NULL'],
    [['TINYINT', 'SMALLINT'], 'SMALLINT'],
    [['INT', 'DOUBLE'], 'DOUBLE'],
    [['INT', 'FLOAT'], 'FLOAT'],
    [['INT', 'DECIMAL(5, 2)'], 'DECIMAL(12, 2)'],
    [['DECIMAL(10, 2)', 'DECIMAL(5, 4)'], 'DECIMAL(12, 4)'],
    [['DECIMAL(10, 2)', 'DOUBLE'], 'DOUBLE'],
    [['BIGINT', 'DECIMAL(38, 10)'], 'DECIMAL(38, 10)'],
    [['VARCHAR(3)', 'VARCHAR(10)'], 'VARCHAR(10)'],
    [['CHAR(3)', 'CHAR(5)'], 'VARCHAR(5)'],
    [['CHAR(3)', 'CHAR(3) NOT NULL'], 'CHAR(3)'],
    [['STRING NOT NULL', 'NULL'], 'STRING'],
    [['NULL', 'NULL'], 'NULL'],
    [['TIMESTAMP(3)', 'TIMESTAMP(6)'], 'TIMESTAMP(6)'],
    [['TIMESTAMP(3)', 'TIMESTAMP_LTZ(3)'], 'TIMESTAMP_LTZ(3)'],
    [['DATE', 'TIMESTAMP(3)'], 'TIMESTAMP(3)'],
    [['ARRAY<INT>', 'ARRAY<BIGINT>'], 'ARRAY<BIGINT>'],
    [['INT', 'STRING'], undefined],
    [['BOOLEAN', 'INT'], undefined],
    [['DATE', 'TIME(0)'], undefined],
  ] as [string[], string | undefined][])('%j → %s', (types, expected) => {
    expect(common(...types)).toBe(expected);
  });
});

describe('arithmeticResultType', () => {
  it.each([
    ['+', 'INT NOT NULL', 'INT NOT NULL', 'INT NOT NULL'],
    ['+', 'INT', 'BIGINT NOT NULL', 'BIGINT'],
    ['*', 'INT', 'DOUBLE', 'DOUBLE'],
    ['/', 'INT', 'INT', 'INT'],
    ['%', 'BIGINT', 'INT', 'INT'],
    ['+', 'DECIMAL(10, 2)', 'DECIMAL(5, 3)', 'DECIMAL(12, 3)'],
    ['*', 'DECIMAL(10, 2)', 'DECIMAL(5, 3)', 'DECIMAL(16, 5)'], // Flink: p1 + p2 + 1
    ['/', 'DECIMAL(10, 2)', 'DECIMAL(5, 3)', 'DECIMAL(19, 8)'],
    ['+', 'DECIMAL(38, 10)', 'DECIMAL(38, 10)', 'DECIMAL(38, 9)'],
    ['+', 'INT', 'DECIMAL(5, 2)', 'DECIMAL(13, 2)'],
    ['+', 'TIMESTAMP(3)', 'INTERVAL_DAY_TIME', 'TIMESTAMP(3)'],
    ['-', 'TIMESTAMP_LTZ(3)', 'INTERVAL_YEAR_MONTH', 'TIMESTAMP_LTZ(3)'],
    ['+', 'INTERVAL_DAY_TIME', 'DATE', 'DATE'],
    ['-', 'DATE', 'INTERVAL_DAY_TIME', 'DATE'],
    ['*', 'INTERVAL_DAY_TIME', 'INT', 'INTERVAL SECOND(3)'],
    ['+', 'INTERVAL_DAY_TIME', 'INTERVAL_DAY_TIME', 'INTERVAL SECOND(3)'],
    ['+', 'INT', 'NULL', 'INT'],
    ['-', 'TIMESTAMP(3)', 'TIMESTAMP(3)', undefined],
    ['+', 'STRING', 'INT', undefined],
    ['-', 'INTERVAL_DAY_TIME', 'TIMESTAMP(3)', undefined],
  ] as ['+', string, string, string | undefined][])('%s %s %s → %s', (op, a, b, expected) => {
    expect(arith(op, a, b)).toBe(expected);
  });
});

describe('comparable', () => {
  it('allows numbers with numbers, strings with strings, and strings with numbers/dates', () => {
    expect(comparable(ty('INT'), ty('DOUBLE'))).toBe(true);
    expect(comparable(ty('STRING'), ty('VARCHAR(3)'))).toBe(true);
    expect(formatType(comparisonType(ty('STRING'), ty('INT NOT NULL'))!)).toBe('INT');
    expect(comparable(ty('TIMESTAMP(3)'), ty('STRING'))).toBe(true);
    expect(comparable(ty('TIMESTAMP(3)'), ty('DATE'))).toBe(true);
    expect(comparable(ty('BOOLEAN'), ty('INT'))).toBe(false);
    expect(comparable(ty('DATE'), ty('INT'))).toBe(false);
    expect(comparable(ty('ARRAY<INT>'), ty('ARRAY<INT>'))).toBe(true);
  });

  it('types FLOAT with DECIMAL as DOUBLE in arithmetic and CASE (Calcite), as FLOAT in COALESCE (Flink)', () => {
    expect(formatType(arithmeticResultType('*', ty('DECIMAL(10, 2)'), ty('FLOAT'))!)).toBe('DOUBLE');
    expect(formatType(arithmeticResultType('+', ty('FLOAT'), ty('DECIMAL(10, 2)'))!)).toBe('DOUBLE');
    expect(formatType(arithmeticResultType('*', ty('BIGINT'), ty('FLOAT'))!)).toBe('FLOAT');
    expect(formatType(commonType([ty('FLOAT'), ty('DECIMAL(10, 2)')], { calcite: true })!)).toBe('DOUBLE');
    expect(formatType(commonType([ty('DECIMAL(10, 2)'), ty('FLOAT')])!)).toBe('FLOAT');
  });

  it('casts implicitly as Flink’s LogicalTypeCasts', () => {
    expect(supportsImplicitCast(ty('TINYINT'), ty('INT'))).toBe(true);
    expect(supportsImplicitCast(ty('BIGINT'), ty('INT'))).toBe(false);
    expect(supportsImplicitCast(ty('DOUBLE'), ty('DECIMAL(10, 2)'))).toBe(true);
    expect(supportsImplicitCast(ty('DECIMAL(10, 2)'), ty('INT'))).toBe(false);
    expect(supportsImplicitCast(ty('CHAR(3)'), ty('STRING'))).toBe(true);
    expect(supportsImplicitCast(ty('STRING'), ty('CHAR(3)'))).toBe(false);
    expect(supportsImplicitCast(ty('TIMESTAMP(3)'), ty('DATE'))).toBe(true);
    expect(supportsImplicitCast(ty('ARRAY<INT>'), ty('ARRAY<BIGINT>'))).toBe(true);
    expect(supportsImplicitCast(ty('ARRAY<BIGINT>'), ty('ARRAY<INT>'))).toBe(false);
  });
});
