import { describe, expect, it } from 'vitest';
import { call, returnTypeOf } from './util.js';
import { formatType } from '../../src/common/types.js';
import { aggregateFunctionNames, getScalarFunction, scalarFunctionNames } from '../../src/functions/registry.js';

describe('conditional functions', () => {
  it.each([
    ['COALESCE', ['INT', 'INT'], [null, 2], 2],
    ['COALESCE', ['INT', 'INT', 'INT'], [null, null, 3], 3],
    ['COALESCE', ['INT', 'INT'], [null, null], null],
    ['COALESCE', ['STRING'], ['a'], 'a'],
    ['IFNULL', ['INT', 'INT'], [null, 5], 5],
    ['NULLIF', ['INT', 'INT'], [5, 5], null],
    ['NULLIF', ['INT', 'INT'], [5, 6], 5],
    ['NULLIF', ['INT', 'INT'], [5, null], 5],
    ['NULLIF', ['INT', 'INT'], [null, 5], null],
    ['IF', ['BOOLEAN', 'INT', 'INT'], [true, 1, 2], 1],
    ['IF', ['BOOLEAN', 'INT', 'INT'], [false, 1, 2], 2],
    ['IF', ['BOOLEAN', 'INT', 'INT'], [null, 1, 2], 2],
    // Arguments are converted to the common type's representation.
    ['COALESCE', ['DATE', 'TIMESTAMP(3)'], [1, 5], 86_400_000_000],
    ['COALESCE', ['DATE', 'TIMESTAMP(3)'], [null, 5], 5],
    ['IF', ['BOOLEAN', 'DATE', 'TIMESTAMP(3)'], [true, 2, 5], 2 * 86_400_000_000],
    ['NULLIF', ['DATE', 'TIMESTAMP(3)'], [1, 86_400_000_000], null],
    ['GREATEST', ['DATE', 'TIMESTAMP(3)'], [1, 5], 86_400_000_000],
  ] as [string, string[], unknown[], unknown][])('%s(%j)', (name, types, values, expected) => {
    expect(call(name, types, values)).toEqual(expected);
  });

  it('types', () => {
    expect(formatType(returnTypeOf('COALESCE', ['INT', 'BIGINT NOT NULL']))).toBe('BIGINT NOT NULL');
    expect(formatType(returnTypeOf('COALESCE', ['INT', 'BIGINT']))).toBe('BIGINT');
    expect(formatType(returnTypeOf('NULLIF', ['INT NOT NULL', 'INT']))).toBe('INT');
    expect(formatType(returnTypeOf('IF', ['BOOLEAN NOT NULL', 'INT NOT NULL', 'DOUBLE NOT NULL']))).toBe('DOUBLE NOT NULL');
    // Flink: a nullable condition makes IF nullable (IF(z, 1, 1) is INT).
    expect(formatType(returnTypeOf('IF', ['BOOLEAN', 'INT NOT NULL', 'INT NOT NULL']))).toBe('INT');
    expect(() => returnTypeOf('COALESCE', ['INT', 'STRING'])).toThrow(/COALESCE/);
    expect(() => returnTypeOf('IF', ['INT', 'INT', 'INT'])).toThrow(/IF\(condition BOOLEAN/);
  });
});

describe('registry', () => {
  it('finds functions case-insensitively and lists them', () => {
    expect(getScalarFunction('upper')?.name).toBe('UPPER');
    expect(getScalarFunction('nope')).toBeUndefined();
    const names = scalarFunctionNames();
    for (const n of ['COALESCE', 'NULLIF', 'IF', 'UPPER', 'LOWER', 'TRIM', 'LTRIM', 'RTRIM', 'SUBSTRING', 'CONCAT', 'CONCAT_WS',
      'REPLACE', 'CHAR_LENGTH', 'POSITION', 'LPAD', 'RPAD', 'REGEXP', 'REGEXP_EXTRACT', 'REGEXP_REPLACE', 'SPLIT_INDEX', 'INITCAP',
      'ABS', 'ROUND', 'FLOOR', 'CEIL', 'MOD', 'POWER', 'SQRT', 'LN', 'LOG10', 'RAND', 'CURRENT_TIMESTAMP', 'LOCALTIMESTAMP', 'NOW',
      'PROCTIME', 'CURRENT_DATE', 'DATE_FORMAT', 'TO_TIMESTAMP', 'TO_TIMESTAMP_LTZ', 'TO_DATE', 'UNIX_TIMESTAMP', 'FROM_UNIXTIME',
      'EXTRACT', 'FLOOR_TO', 'CEIL_TO', 'TIMESTAMPADD', 'TIMESTAMPDIFF', 'JSON_VALUE', 'JSON_QUERY', 'JSON_EXISTS', 'IS_JSON',
      'UUID', 'MD5', 'SHA256']) {
      expect(names).toContain(n);
    }
    expect(names).toEqual([...names].sort());
    for (const n of ['COUNT', 'SUM', 'MIN', 'MAX', 'AVG', 'FIRST_VALUE', 'LAST_VALUE', 'LISTAGG', 'STDDEV_POP', 'STDDEV_SAMP', 'VAR_POP', 'VAR_SAMP']) {
      expect(aggregateFunctionNames()).toContain(n);
    }
  });

  it('marks non-deterministic functions', () => {
    for (const n of ['RAND', 'UUID', 'NOW', 'CURRENT_TIMESTAMP', 'PROCTIME', 'LOCALTIMESTAMP', 'CURRENT_DATE']) {
      expect(getScalarFunction(n)!.deterministic).toBe(false);
    }
    expect(getScalarFunction('UPPER')!.deterministic).toBe(true);
  });
});
