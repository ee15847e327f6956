import { describe, expect, it } from 'vitest';
import { T, type Field } from '../../src/common/types.js';
import { decimalJava, decimalPlain, javaDoubleToString, javaFloatToString, roundDecimal } from '../../src/formats/javafmt.js';
import { getFormat } from '../../src/formats/registry.js';
import {
  SEP_ANY,
  SEP_SPACE,
  ZONE_FORBIDDEN,
  ZONE_OPTIONAL,
  ZONE_REQUIRED,
  civilFromDays,
  daysFromCivil,
  formatInstantJava,
  formatLocalDateTimeJava,
  formatTimeJava,
  formatTimestampFlink,
  parseDateStrict,
  parseTimeStrict,
  parseTimestampStrict,
  timestampParser,
  ZONE_Z_ONLY,
  SEP_T,
} from '../../src/formats/temporal.js';

const raw = getFormat('raw')!;
const where = () => 'topic t partition 0 offset 1';

describe('raw format', () => {
  it('one STRING column: the record text', () => {
    const fs: Field[] = [{ name: 'line', type: T.string() }];
    expect(raw.createDecoder(fs, {}).decode(new TextEncoder().encode('héllo, world'), where)).toEqual(['héllo, world']);
    expect(raw.createEncoder(fs, {}).encode(['x'])).toBe('x');
    const latin = raw.createDecoder(fs, { charset: 'ISO-8859-1' });
    expect(latin.decode(new Uint8Array([0xe9]), where)).toEqual(['é']);
  });

  it('one BYTES column: the record bytes', () => {
    const fs: Field[] = [{ name: 'b', type: T.bytes() }];
    expect(raw.createDecoder(fs, {}).decode(new Uint8Array([1, 2]), where)).toEqual([new Uint8Array([1, 2])]);
    expect(raw.createEncoder(fs, {}).encode([new Uint8Array([3])])).toEqual(new Uint8Array([3]));
  });

  it('numbers in raw.endianness', () => {
    const fs: Field[] = [{ name: 'n', type: T.int() }];
    expect(raw.createDecoder(fs, {}).decode(new Uint8Array([0, 0, 1, 0]), where)).toEqual([256]);
    expect(raw.createDecoder(fs, { endianness: 'little-endian' }).decode(new Uint8Array([0, 1, 0, 0]), where)).toEqual([256]);
    expect(raw.createEncoder(fs, {}).encode([256])).toEqual(new Uint8Array([0, 0, 1, 0]));
    expect(() => raw.createDecoder(fs, {}).decode(new Uint8Array([1]), where)).toThrow(/expected 4 bytes .* at topic t partition 0 offset 1/);
  });

  it('rejects more than one column and unsupported types', () => {
    expect(() => raw.createDecoder([{ name: 'a', type: T.string() }, { name: 'b', type: T.string() }], {})).toThrow(/single physical column/);
    expect(() => raw.createDecoder([{ name: 'a', type: T.date() }], {})).toThrow(/doesn't support type DATE/);
    expect(() => raw.createDecoder([{ name: 'a', type: T.string() }], { charset: 'EBCDIC' })).toThrow(/charset/);
  });
});

describe('temporal parsing and printing', () => {
  it('civil date conversion round-trips', () => {
    const out = [0, 0, 0];
    for (const days of [-719468, -1, 0, 59, 11016, 20451, 2932896]) {
      civilFromDays(days, out);
      expect(daysFromCivil(out[0], out[1], out[2])).toBe(days);
      if (out[0] >= 100) expect(Date.UTC(out[0], out[1] - 1, out[2]) / 86400000).toBe(days);
    }
  });

  it('parses strictly', () => {
    const base = Date.UTC(2025, 11, 29, 10, 0, 0) * 1000;
    expect(parseTimestampStrict('2025-12-29 10:00:00', SEP_SPACE, ZONE_FORBIDDEN, true)).toBe(base);
    expect(parseTimestampStrict('2025-12-29 10:00', SEP_SPACE, ZONE_FORBIDDEN, true)).toBeNaN();
    expect(parseTimestampStrict('2025-12-29T10:00:00.123456789', SEP_ANY, ZONE_FORBIDDEN, true)).toBe(base + 123456);
    expect(parseTimestampStrict('2025-12-29T10:00:00.', SEP_ANY, ZONE_FORBIDDEN, true)).toBeNaN();
    expect(parseTimestampStrict('2025-12-29 10:00:00', SEP_ANY, ZONE_REQUIRED, true)).toBeNaN();
    expect(parseTimestampStrict('2025-12-29 10:00:00+0130', SEP_ANY, ZONE_OPTIONAL, true)).toBe(base - 90 * 60e6);
    expect(parseTimestampStrict('2025-13-01 10:00:00', SEP_ANY, ZONE_OPTIONAL, true)).toBeNaN();
    expect(parseTimestampStrict('2024-02-29 24:00:00', SEP_ANY, ZONE_OPTIONAL, true)).toBeNaN();
    expect(parseTimestampStrict('1969-12-31 23:59:59.5', SEP_ANY, ZONE_OPTIONAL, true)).toBe(-500000);
    expect(parseDateStrict('2024-02-29')).toBe(19782);
    expect(parseDateStrict('2023-02-29')).toBeNaN();
    expect(parseTimeStrict('23:59:59.999')).toBe(86399999000);
  });

  it('timestampParser: the same-minute fast path gives the full parser result for every text', () => {
    // Texts that share a minute with an accepted one, and near misses: each against parseTimestampStrict.
    const texts = [
      '2025-12-29T10:00:00.123', '2025-12-29T10:00:59.999', '2025-12-29T10:00:07', '2025-12-29T10:00:60.000', '2025-12-29T10:00:6a.000',
      '2025-12-29T10:00:01.12x', '2025-12-29T10:00:01,123', '2025-12-29T10:00:01.1234', '2025-12-29T10:00:01.12Z', '2025-12-29T10:00:01.123Z',
      '2025-12-29T10:00:01.1\u0001Z', '2025-12-29T10:00:1\u0001.123', '2025-12-29T10:01:00.000', '2025-12-29T10:00:02.5', '2025-12-29 10:00:03.000',
      '1969-12-31T23:59:59.500', '1969-12-31T23:59:00.001', '2024-02-29T00:00:00.000', '2023-02-29T00:00:00.000', '+2025-12-29T10:00:01.123',
      '2025-12-29T10:00', '2025-12-29T10:00:01.123+01', '2025-12-29T10:00:01+01:00', '2025-12-29T10:00:01.000',
    ];
    for (const [sep, zone, needSeconds] of [[SEP_T, ZONE_Z_ONLY, false], [SEP_ANY, ZONE_FORBIDDEN, true], [SEP_ANY, ZONE_OPTIONAL, false], [SEP_T, ZONE_REQUIRED, false]] as const) {
      const parse = timestampParser(sep, zone, needSeconds);
      for (const t of [...texts, ...texts.slice().reverse()]) expect([t, parse(t)]).toEqual([t, parseTimestampStrict(t, sep, zone, needSeconds)]);
    }
  });

  it('prints like Java and Flink', () => {
    const base = Date.UTC(2025, 11, 29, 10, 0, 0) * 1000;
    expect(formatLocalDateTimeJava(base)).toBe('2025-12-29T10:00');
    expect(formatLocalDateTimeJava(base + 10e6)).toBe('2025-12-29T10:00:10');
    expect(formatLocalDateTimeJava(base + 10.5e6)).toBe('2025-12-29T10:00:10.500');
    expect(formatLocalDateTimeJava(base + 123)).toBe('2025-12-29T10:00:00.000123');
    expect(formatLocalDateTimeJava(-1)).toBe('1969-12-31T23:59:59.999999');
    expect(formatInstantJava(base)).toBe('2025-12-29T10:00:00Z');
    expect(formatTimeJava(0)).toBe('00:00');
    expect(formatTimestampFlink(base + 120000, ' ')).toBe('2025-12-29 10:00:00.12');
  });

  it('numbers like Java', () => {
    expect(javaDoubleToString(1)).toBe('1.0');
    expect(javaDoubleToString(0.001)).toBe('0.001');
    expect(javaDoubleToString(0.0001)).toBe('1.0E-4');
    expect(javaDoubleToString(12345678.9)).toBe('1.23456789E7');
    expect(javaDoubleToString(-0)).toBe('-0.0');
    expect(javaFloatToString(Math.fround(0.1))).toBe('0.1');
    expect(javaFloatToString(1e10)).toBe('1.0E10');
    // DECIMAL values are unscaled integers.
    expect(decimalPlain(150, 2)).toBe('1.50');
    expect(decimalPlain(-1, 2)).toBe('-0.01');
    expect(decimalPlain(1234567890123456789n, 2)).toBe('12345678901234567.89');
    expect(decimalJava(27, 9)).toBe('2.7E-8');
    expect(decimalJava(100, 0)).toBe('100');
    expect(roundDecimal(1.005, 2)).toBe(1.01);
    expect(roundDecimal(-2.5, 0)).toBe(-3);
  });
});
