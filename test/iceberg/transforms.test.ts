// Partition transforms as the Iceberg spec defines them: Appendix B's published hash values,
// the transform examples of "Partition Transforms", partition path strings and the projection of
// predicates used for pruning.
import { describe, expect, it } from 'vitest';
import { applyTransform, humanPartitionValue, icebergHash, parseTransform, projectPredicate } from '../../src/connectors/iceberg/transforms.js';

const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const micros = (iso: string) => Date.parse(iso) * 1000;
const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

describe('Appendix B: 32-bit hash requirements (the spec\'s example values)', () => {
  it.each([
    ['int', 34, 2017239379],
    ['long', 34, 2017239379],
    ['long', 34n, 2017239379],
    ['decimal(9, 2)', 14.2, -500754589],
    ['decimal(9, 2)', '14.20', -500754589],
    ['decimal(9, 2)', 1420, -500754589],
    ['date', days('2017-11-16'), -653330422],
    ['time', (22 * 3600 + 31 * 60 + 8) * 1_000_000, -662762989],
    ['timestamp', micros('2017-11-16T22:31:08Z'), -2047944441],
    ['timestamptz', micros('2017-11-16T14:31:08-08:00'), -2047944441],
    ['string', 'iceberg', 1210000089],
    ['uuid', hex('f79c3e09677c4bbda4793f349cb785e7'), 1488055340],
    ['fixed[4]', hex('00010203'), -188683207],
    ['binary', hex('00010203'), -188683207],
  ] as [string, unknown, number][])('hash of %s %s is %d', (type, value, expected) => {
    expect(icebergHash(type, value)).toBe(expected);
  });

  it('bucket[16] of 34 is 3; floats cannot be bucketed', () => {
    expect(applyTransform(parseTransform('bucket[16]'), 'int', 34)).toBe(3);
    expect(() => applyTransform(parseTransform('bucket[4]'), 'double', 1.5)).toThrow(/cannot be bucketed/);
  });
});

describe('transforms and their partition path strings', () => {
  const t = (text: string, type: string, v: unknown) => {
    const tr = parseTransform(text);
    const out = applyTransform(tr, type, v);
    return [out, humanPartitionValue(tr, type, out)];
  };

  it('truncate (the spec\'s examples)', () => {
    expect(t('truncate[10]', 'int', 1)).toEqual([0, '0']);
    expect(t('truncate[10]', 'int', -1)).toEqual([-10, '-10']);
    expect(t('truncate[10]', 'long', 1)).toEqual([0, '0']);
    expect(t('truncate[10]', 'long', -1)).toEqual([-10, '-10']);
    // DECIMAL runtime values are unscaled: 10.65 in decimal(9, 2) is 1065.
    expect(t('truncate[50]', 'decimal(9, 2)', 1065)).toEqual([1050, '10.50']);
    expect(t('truncate[3]', 'string', 'iceberg')).toEqual(['ice', 'ice']);
    expect(t('truncate[2]', 'string', '🐇🐇🐇')).toEqual(['🐇🐇', '🐇🐇']); // code points, not UTF-16 units
  });

  it('year, month, day and hour of dates and timestamps', () => {
    const ts = micros('2025-12-29T10:41:05.123456Z');
    expect(t('year', 'timestamp', ts)).toEqual([55, '2025']);
    expect(t('month', 'timestamp', ts)).toEqual([55 * 12 + 11, '2025-12']);
    expect(t('day', 'timestamptz', ts)).toEqual([days('2025-12-29'), '2025-12-29']);
    expect(t('hour', 'timestamp', ts)).toEqual([Math.floor(ts / 3_600_000_000), '2025-12-29-10']);
    expect(t('day', 'date', days('2025-12-29'))).toEqual([days('2025-12-29'), '2025-12-29']);
    expect(t('month', 'date', days('1969-12-31'))).toEqual([-1, '1969-12']);
    expect(t('hour', 'timestamp', micros('1969-12-31T23:59:59Z'))).toEqual([-1, '1969-12-31-23']);
    expect(t('day', 'timestamp', null)).toEqual([null, 'null']);
    expect(t('void', 'string', 'x')).toEqual([null, 'null']);
    expect(() => t('hour', 'date', 1)).toThrow(/cannot apply/);
  });
});

describe('predicates projected onto partition values', () => {
  const day = parseTransform('day');
  const ts = micros('2025-12-29T10:00:00Z');
  it('order-preserving transforms widen < and > to <= and >=', () => {
    expect(projectPredicate(day, 'timestamp', { op: '<', column: 'ts', value: ts })).toEqual({ op: '<=', column: 'ts', value: days('2025-12-29') });
    expect(projectPredicate(day, 'timestamp', { op: '>', column: 'ts', value: ts })).toEqual({ op: '>=', column: 'ts', value: days('2025-12-29') });
    expect(projectPredicate(day, 'timestamp', { op: '<>', column: 'ts', value: ts })).toBeUndefined();
  });
  it('bucket answers = and IN only', () => {
    const b = parseTransform('bucket[16]');
    expect(projectPredicate(b, 'int', { op: '=', column: 'id', value: 34 })).toEqual({ op: '=', column: 'id', value: 3 });
    expect(projectPredicate(b, 'int', { op: 'IN', column: 'id', values: [34, null] })).toEqual({ op: 'IN', column: 'id', values: [3] });
    expect(projectPredicate(b, 'int', { op: '<', column: 'id', value: 34 })).toBeUndefined();
  });
});
