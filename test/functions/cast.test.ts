import { describe, expect, it } from 'vitest';
import { canCast, castFunction, CastError, formatValue, roundDecimal, parseTimestampText, lastTextHadZone, castUnsupportedReason } from '../../src/functions/cast.js';
import { ValidationError } from '../../src/common/errors.js';
import { ty, ts, date, time } from './util.js';

const cast = (v: unknown, from: string, to: string, zone = 'UTC') => castFunction(ty(from), ty(to), 'cast', zone)(v);
const tryCast = (v: unknown, from: string, to: string, zone = 'UTC') => castFunction(ty(from), ty(to), 'try_cast', zone)(v);

describe('CAST matrix', () => {
  const cases: [unknown, string, string, unknown][] = [
    // string → numbers
    ['42', 'STRING', 'INT', 42],
    [' -7 ', 'STRING', 'BIGINT', -7],
    ['1.9', 'STRING', 'INT', 1],
    ['127', 'STRING', 'TINYINT', 127],
    ['1.5e3', 'STRING', 'DOUBLE', 1500],
    ['NaN', 'STRING', 'DOUBLE', NaN],
    // DECIMAL values are unscaled integers (3.14 in DECIMAL(5, 2) is 314).
    ['3.14159', 'STRING', 'DECIMAL(5, 2)', 314],
    ['1.005', 'STRING', 'DECIMAL(5, 2)', 101],
    ['-2.345', 'STRING', 'DECIMAL(5, 2)', -235],
    ['12345678901234567.89', 'STRING', 'DECIMAL(38, 2)', 1234567890123456789n],
    ['2.5', 'STRING', 'FLOAT', 2.5],
    // string → boolean
    ['true', 'STRING', 'BOOLEAN', true],
    ['Y', 'STRING', 'BOOLEAN', true],
    ['0', 'STRING', 'BOOLEAN', false],
    ['FALSE', 'STRING', 'BOOLEAN', false],
    // string → time types
    ['2024-12-31', 'STRING', 'DATE', date('2024-12-31')],
    ['2024-1-5', 'STRING', 'DATE', date('2024-01-05')],
    ['2017-12-12 09:30:00.0', 'STRING', 'DATE', date('2017-12-12')],
    ['2017', 'STRING', 'DATE', date('2017-01-01')],
    ['9:5', 'STRING', 'TIME(0)', time('09:05:00')],
    ['10:11:12', 'STRING', 'TIME(0)', time('10:11:12')],
    ['10:11:12.345', 'STRING', 'TIME(3)', time('10:11:12.345')],
    ['2024-12-31 10:00:00', 'STRING', 'TIMESTAMP(3)', ts('2024-12-31 10:00:00')],
    ['2024-12-31 10:00:00.123456', 'STRING', 'TIMESTAMP(3)', ts('2024-12-31 10:00:00.123')],
    ['2024-12-31', 'STRING', 'TIMESTAMP(3)', ts('2024-12-31 00:00:00')],
    // numbers → numbers
    [300, 'INT', 'TINYINT', 44],
    [3.99, 'DOUBLE', 'INT', 3],
    [-3.99, 'DOUBLE', 'INT', -3],
    [1e12, 'DOUBLE', 'INT', 2147483647],
    [7, 'INT', 'DOUBLE', 7],
    [1.1, 'DOUBLE', 'FLOAT', Math.fround(1.1)],
    [12.345, 'DOUBLE', 'DECIMAL(10, 2)', 1235],
    [5, 'INT', 'DECIMAL(10, 2)', 500],
    [12345, 'INT', 'DECIMAL(3, 1)', null], // overflow: NULL as in Flink
    [1250, 'DECIMAL(10, 2)', 'INT', 12],
    [-1299, 'DECIMAL(4, 2)', 'INT', -12],
    [1250, 'DECIMAL(10, 2)', 'DECIMAL(10, 1)', 125],
    [1255, 'DECIMAL(10, 2)', 'DECIMAL(10, 1)', 126],
    [-1255, 'DECIMAL(10, 2)', 'DECIMAL(10, 1)', -126],
    [1250, 'DECIMAL(10, 2)', 'DOUBLE', 12.5],
    ['9223372036854775807', 'STRING', 'BIGINT', 9223372036854775807n],
    [9007199254740993n, 'BIGINT', 'DECIMAL(20, 1)', 90071992547409930n],
    [1, 'INT', 'BOOLEAN', true],
    [0, 'INT', 'BOOLEAN', false],
    [true, 'BOOLEAN', 'INT', 1],
    // → string
    [42, 'INT', 'STRING', '42'],
    [true, 'BOOLEAN', 'STRING', 'TRUE'],
    [1.0, 'DOUBLE', 'STRING', '1.0'],
    [1e7, 'DOUBLE', 'STRING', '1.0E7'],
    [0.0001, 'DOUBLE', 'STRING', '1.0E-4'],
    [123.456, 'DOUBLE', 'STRING', '123.456'],
    [500, 'DECIMAL(10, 2)', 'STRING', '5.00'],
    [-5, 'DECIMAL(10, 2)', 'STRING', '-0.05'],
    [date('2024-02-29'), 'DATE', 'STRING', '2024-02-29'],
    [time('01:02:03.5'), 'TIME(3)', 'STRING', '01:02:03.500'],
    [ts('2025-12-29 10:00:00'), 'TIMESTAMP(3)', 'STRING', '2025-12-29 10:00:00.000'],
    [ts('2025-12-29 10:00:00.123456'), 'TIMESTAMP(6)', 'STRING', '2025-12-29 10:00:00.123456'],
    [ts('2025-12-29 10:00:00'), 'TIMESTAMP(0)', 'STRING', '2025-12-29 10:00:00'],
    ['abcdef', 'STRING', 'VARCHAR(3)', 'abc'],
    ['ab', 'STRING', 'CHAR(4)', 'ab  '],
    [new Uint8Array([104, 105]), 'BYTES', 'STRING', 'hi'],
    [[1, null, 3], 'ARRAY<INT>', 'STRING', '[1, NULL, 3]'],
    [new Map([['a', 1]]), 'MAP<STRING, INT>', 'STRING', '{a=1}'],
    [[1, 'x'], 'ROW<INT, STRING>', 'STRING', '(1, x)'],
    // time ↔ time
    [date('2024-12-31'), 'DATE', 'TIMESTAMP(3)', ts('2024-12-31 00:00:00')],
    [ts('2024-12-31 10:11:12'), 'TIMESTAMP(3)', 'DATE', date('2024-12-31')],
    // Flink keeps the milliseconds of a TIME(0) (printed 10:11:12): comparisons and the CSV format see them.
    [ts('2024-12-31 10:11:12.5'), 'TIMESTAMP(3)', 'TIME(0)', time('10:11:12.5')],
    [ts('2024-12-31 10:11:12.123456'), 'TIMESTAMP(6)', 'TIMESTAMP(3)', ts('2024-12-31 10:11:12.123')],
    // Flink's generated code cuts the epoch milliseconds toward zero (DateTimeUtils.truncate).
    [ts('1969-12-31 23:59:59.9999'), 'TIMESTAMP(6)', 'TIMESTAMP(0)', ts('1970-01-01 00:00:00')],
    [ts('1969-12-31 23:59:58.9999'), 'TIMESTAMP(6)', 'TIMESTAMP(0)', ts('1969-12-31 23:59:59')],
    [ts('2024-12-31 10:11:12.9999'), 'TIMESTAMP(6)', 'TIMESTAMP(0)', ts('2024-12-31 10:11:12')],
    // structured
    [['1', '2'], 'ARRAY<STRING>', 'ARRAY<INT>', [1, 2]],
    [new Map([['1', '2']]), 'MAP<STRING, STRING>', 'MAP<INT, DOUBLE>', new Map([[1, 2]])],
    [['1', null], 'ROW<STRING, STRING>', 'ROW<INT, INT>', [1, null]],
    ['hi', 'STRING', 'BYTES', new Uint8Array([104, 105])],
    [new Uint8Array([1]), 'BYTES', 'BINARY(3)', new Uint8Array([1, 0, 0])],
    [null, 'STRING', 'INT', null],
    [null, 'NULL', 'TIMESTAMP(3)', null],
  ];
  it.each(cases)('CAST(%s AS …) %s → %s', (v, from, to, expected) => {
    expect(cast(v, from, to)).toEqual(expected);
  });

  it('TIMESTAMP ↔ TIMESTAMP_LTZ uses the session time zone', () => {
    const wall = ts('2024-12-31 10:00:00');
    const instant = cast(wall, 'TIMESTAMP(3)', 'TIMESTAMP_LTZ(3)', 'Asia/Shanghai');
    expect(instant).toBe(ts('2024-12-31 02:00:00'));
    expect(cast(instant, 'TIMESTAMP_LTZ(3)', 'TIMESTAMP(3)', 'Asia/Shanghai')).toBe(wall);
    expect(cast(instant, 'TIMESTAMP_LTZ(3)', 'STRING', 'Asia/Shanghai')).toBe('2024-12-31 10:00:00.000');
    expect(cast('2024-12-31 10:00:00', 'STRING', 'TIMESTAMP_LTZ(3)', 'Asia/Shanghai')).toBe(ts('2024-12-31 02:00:00'));
    // DST: New York is UTC-4 in July, UTC-5 in January.
    expect(cast(ts('2024-07-01 12:00:00'), 'TIMESTAMP(3)', 'TIMESTAMP_LTZ(3)', 'America/New_York')).toBe(ts('2024-07-01 16:00:00'));
    expect(cast(ts('2024-01-01 12:00:00'), 'TIMESTAMP(3)', 'TIMESTAMP_LTZ(3)', 'America/New_York')).toBe(ts('2024-01-01 17:00:00'));
    expect(cast(ts('2024-01-01 12:00:00'), 'TIMESTAMP(3)', 'TIMESTAMP_LTZ(3)', '+08:00')).toBe(ts('2024-01-01 04:00:00'));
    expect(cast(ts('2024-12-31 20:00:00'), 'TIMESTAMP_LTZ(3)', 'DATE', 'Asia/Shanghai')).toBe(date('2025-01-01'));
  });

  it('a failing CAST names the value and the types; TRY_CAST gives NULL', () => {
    expect(() => cast('abc', 'STRING', 'INT')).toThrow(CastError);
    // As Flink 1.20's CAST: no ISO 'T', no zone, no whitespace around, seconds required (test/difftest/cases/enforcer-and-parsing.sql).
    for (const [text, to] of [['2024-12-31T10:00:00Z', 'TIMESTAMP'], ['2024-12-31T10:00:00', 'TIMESTAMP(3)'], ['2024-12-31 12:00:00+02:00', 'TIMESTAMP(3)'], ['2024-12-31T10:00:00Z', 'TIMESTAMP_LTZ(3)'], [' 2024-12-31 10:00:00', 'TIMESTAMP(3)'], ['2024-12-31 10:00', 'TIMESTAMP(3)']]) {
      expect(() => cast(text, 'STRING', to)).toThrow(CastError);
    }
    expect(() => cast('abc', 'STRING', 'INT')).toThrow("Cannot cast 'abc' of type STRING to INT");
    expect(() => cast('2024-13-01', 'STRING', 'DATE')).toThrow(/2024-13-01.*DATE/);
    expect(() => cast('maybe', 'STRING', 'BOOLEAN')).toThrow(/BOOLEAN/);
    expect(tryCast(' true', 'STRING', 'BOOLEAN')).toBeNull();
    expect(() => cast('300', 'STRING', 'TINYINT')).toThrow(/TINYINT/);
    expect(tryCast('abc', 'STRING', 'INT')).toBeNull();
    expect(tryCast('2024-02-30', 'STRING', 'DATE')).toBeNull();
    expect(tryCast('2023-02-29', 'STRING', 'DATE')).toBeNull();
    expect(tryCast('24:00:00', 'STRING', 'TIME(0)')).toBeNull();
    expect(tryCast('x', 'STRING', 'TIMESTAMP(3)')).toBeNull();
    expect(tryCast(['1', 'x'], 'ARRAY<STRING>', 'ARRAY<INT>')).toBeNull();
    expect(tryCast('12', 'STRING', 'INT')).toBe(12);
  });

  it('rejects casts Flink does not allow at plan time', () => {
    expect(canCast(ty('INT'), ty('STRING'))).toBe(true);
    expect(canCast(ty('STRING'), ty('TIMESTAMP(3)'))).toBe(true);
    expect(canCast(ty('DATE'), ty('INT'))).toBe(false);
    expect(canCast(ty('BOOLEAN'), ty('DATE'))).toBe(false);
    expect(canCast(ty('ARRAY<INT>'), ty('INT'))).toBe(false);
    expect(canCast(ty('INT'), ty('BYTES'))).toBe(false);
    expect(canCast(ty('ROW<INT>'), ty('ROW<INT, INT>'))).toBe(false);
    expect(() => castFunction(ty('DATE'), ty('BOOLEAN'), 'cast')).toThrow(ValidationError);
    expect(() => castFunction(ty('DATE'), ty('BOOLEAN'), 'cast')).toThrow('Cast from DATE to BOOLEAN is not supported');
    expect(castUnsupportedReason(ty('BIGINT'), ty('TIMESTAMP(3)'))).toMatch(/TO_TIMESTAMP_LTZ/);
    expect(castUnsupportedReason(ty('BIGINT'), ty('TIMESTAMP_LTZ(3)'))).toBeUndefined();
  });
});

describe('formatValue', () => {
  it('prints like Flink CAST(… AS STRING)', () => {
    expect(formatValue(ts('2025-12-29 10:00:00'), ty('TIMESTAMP(3)'))).toBe('2025-12-29 10:00:00.000');
    expect(formatValue(null, ty('INT'))).toBe('NULL');
    expect(formatValue(Math.fround(0.1), ty('FLOAT'))).toBe('0.1');
    expect(formatValue(-0.5, ty('DOUBLE'))).toBe('-0.5');
    expect(formatValue(1.5e-7, ty('DOUBLE'))).toBe('1.5E-7');
    // JDK 17 (Flink's JVM) is not the shortest here: Double.toString(1.2345e21) prints 1.2344999999999999E21.
    expect(formatValue(1.2345e21, ty('DOUBLE'))).toBe('1.2344999999999999E21');
    expect(formatValue(90061001000, ty('INTERVAL_DAY_TIME'))).toBe('+1 01:01:01.001');
    expect(formatValue(14, ty('INTERVAL_YEAR_MONTH'))).toBe('+1-02');
    expect(formatValue(-1, ty('DATE'))).toBe('1969-12-31');
    expect(formatValue(ts('2025-01-01 00:00:00'), ty('TIMESTAMP_LTZ(3)'), 'America/New_York')).toBe('2024-12-31 19:00:00.000');
  });

  it('rounds decimals half away from zero', () => {
    expect(roundDecimal(2.675, 10, 2)).toBe(2.68);
    expect(roundDecimal(-0.125, 10, 2)).toBe(-0.13);
    expect(roundDecimal(0.004, 10, 2)).toBe(0);
    expect(roundDecimal(999.995, 5, 2)).toBeNull();
  });
});

describe('parseTimestampText', () => {
  it.each([
    ['2024-12-31 10:00:00', ts('2024-12-31 10:00:00'), false],
    ['2024-12-31T10:00:00Z', ts('2024-12-31 10:00:00'), true],
    ['  2024-1-5 1:2:3.5  ', ts('2024-01-05 01:02:03.5'), false],
    ['2024-12-31 10:00', ts('2024-12-31 10:00:00'), false],
    ['2024-12-31', ts('2024-12-31 00:00:00'), false],
    ['2024-12-31T12:00:00+02:00', ts('2024-12-31 10:00:00'), true],
    ['2024-12-31T12:00:00+0200', ts('2024-12-31 10:00:00'), true],
    ['2024-12-31T08:00:00-02', ts('2024-12-31 10:00:00'), true],
    ['2024-12-31 10:00:00.123456789', ts('2024-12-31 10:00:00.123456'), false],
    ['1969-12-31 23:59:59.999', ts('1969-12-31 23:59:59.999'), false],
  ])('%s', (text, expected, zoned) => {
    expect(parseTimestampText(text)).toBe(expected);
    expect(lastTextHadZone).toBe(zoned);
  });
  it.each(['2024-02-30', '2024-13-01', '24-01-01', '2024-01-01 25:00:00', '2024-01-01 10:60', '2024-01-01X10:00', 'abc', '', '2024-01-01 10:00:00+2'])(
    'rejects %j',
    (text) => {
      expect(parseTimestampText(text)).toBeUndefined();
    },
  );
});

describe('CAST round trips through STRING', () => {
  const rt = (v: unknown, type: string, zone = 'UTC') => {
    const s = castFunction(ty(type), ty('STRING'), 'cast', zone)(v);
    return castFunction(ty('STRING'), ty(type), 'cast', zone)(s);
  };
  it.each([
    [true, 'BOOLEAN'],
    [false, 'BOOLEAN'],
    [-128, 'TINYINT'],
    [32767, 'SMALLINT'],
    [-2147483648, 'INT'],
    [9007199254740991, 'BIGINT'],
    [Math.fround(3.14), 'FLOAT'],
    [0.1 + 0.2, 'DOUBLE'],
    [1e-300, 'DOUBLE'],
    [-1.5e300, 'DOUBLE'],
    [1234567, 'DECIMAL(10, 2)'],
    [12345678901234567890123456789012345678n, 'DECIMAL(38, 2)'],
    [-1, 'DECIMAL(10, 2)'],
    [date('0001-01-01'), 'DATE'],
    [date('9999-12-31'), 'DATE'],
    [time('23:59:59.999'), 'TIME(3)'],
    [ts('1900-02-28 12:34:56.789'), 'TIMESTAMP(3)'],
    [ts('2024-02-29 00:00:00.000001'), 'TIMESTAMP(6)'],
    [ts('2024-03-31 01:30:00'), 'TIMESTAMP_LTZ(3)'],
    [new Uint8Array([104, 105]), 'BYTES'],
  ])('%s as %s', (v, type) => {
    expect(rt(v, type)).toEqual(v);
    if (type.startsWith('TIMESTAMP_LTZ')) expect(rt(v, type, 'Europe/Berlin')).toEqual(v);
  });
});
