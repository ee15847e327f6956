import { describe, expect, it } from 'vitest';
import { T, type Field, type LogicalType } from '../../src/common/types.js';
import { datagenFactory } from '../../src/connectors/datagen/index.js';
import { context, drain, scan, table } from './helpers.js';

const f = (name: string, type: LogicalType): Field => ({ name, type });

function source(fields: Field[], options: Record<string, string>, over = {}) {
  return datagenFactory.createSource!(table(fields, { connector: 'datagen', 'rows-per-second': '1000000', ...options }), scan(over), { config: new Map() });
}

describe('datagen', () => {
  const fields = [f('id', T.bigint()), f('name', T.string()), f('score', T.int()), f('ts', T.timestamp(3))];

  it('number-of-rows bounds the source; random values respect min/max/length', async () => {
    const src = source(fields, {
      'number-of-rows': '500',
      seed: '7',
      'fields.id.kind': 'sequence',
      'fields.id.start': '1',
      'fields.id.end': '1000',
      'fields.name.length': '8',
      'fields.score.min': '10',
      'fields.score.max': '20',
      'fields.ts.max-past': '1 min',
    });
    expect(src.bounded).toBe(true);
    await src.open(context());
    const before = Date.now() * 1000;
    const { rows, splits } = await drain(src);
    const after = Date.now() * 1000;
    expect(rows).toHaveLength(500);
    expect(splits).toEqual(['datagen-0']);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    for (const r of rows) {
      expect(r[1]).toMatch(/^[0-9a-f]{8}$/);
      expect(r[2]).toBeGreaterThanOrEqual(10);
      expect(r[2]).toBeLessThanOrEqual(20);
      expect(r[3]).toBeGreaterThanOrEqual(before - 60_000_000 - 1000);
      expect(r[3]).toBeLessThanOrEqual(after);
    }
    expect(new Set(rows.map((r) => r[2])).size).toBe(11);
    expect(await src.poll(10)).toBeNull();
  });

  it('a sequence alone bounds the source at its end; sequences of strings', async () => {
    const src = source([f('n', T.int()), f('s', T.string())], {
      'fields.n.kind': 'sequence',
      'fields.n.start': '5',
      'fields.n.end': '9',
      'fields.s.kind': 'sequence',
      'fields.s.start': '100',
      'fields.s.end': '200',
    });
    expect(src.bounded).toBe(true);
    await src.open(context());
    expect((await drain(src)).rows).toEqual([
      [5, '100'],
      [6, '101'],
      [7, '102'],
      [8, '103'],
      [9, '104'],
    ]);
  });

  it('without number-of-rows or sequences it is unbounded', () => {
    expect(source(fields, {}).bounded).toBe(false);
  });

  it('the same seed gives the same rows', async () => {
    const opts = { 'number-of-rows': '50', seed: '42' };
    const a = source(fields.slice(0, 3), opts);
    const b = source(fields.slice(0, 3), opts);
    await a.open(context());
    await b.open(context());
    expect((await drain(a)).rows).toEqual((await drain(b)).rows);
    const c = source(fields.slice(0, 3), { ...opts, seed: '43' });
    await c.open(context());
    const d = source(fields.slice(0, 3), opts);
    await d.open(context());
    expect((await drain(c)).rows).not.toEqual((await drain(d)).rows);
  });

  it('restores from snapshotState: the sequence position and the random stream continue', async () => {
    const opts = { 'number-of-rows': '100', seed: '3', 'fields.id.kind': 'sequence', 'fields.id.start': '0', 'fields.id.end': '99' };
    const whole = source(fields.slice(0, 3), opts);
    await whole.open(context());
    const all = (await drain(whole)).rows;

    const first = source(fields.slice(0, 3), { ...opts, 'rows-per-second': '1000' });
    await first.open(context());
    const part = (await drain(first, 10, 5)).rows;
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThan(100);
    const state = JSON.parse(JSON.stringify(first.snapshotState(1)));
    expect(state.emitted).toBe(part.length);

    const second = source(fields.slice(0, 3), opts);
    await second.open(context(), state);
    const rest = (await drain(second)).rows;
    expect([...part, ...rest]).toEqual(all);
  });

  it('rows-per-second limits the rate', async () => {
    const src = source([f('n', T.int())], { 'rows-per-second': '100', 'number-of-rows': '1000' });
    await src.open(context());
    const start = Date.now();
    const { rows } = await drain(src, 20, 20);
    const elapsed = Date.now() - start;
    // 20 rows at 100/s take about 190 ms (the first row is immediate)
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(elapsed).toBeGreaterThanOrEqual(150);
  });

  it('null-rate, var-len, booleans, decimals, dates, bytes, arrays, maps and rows', async () => {
    const fs: Field[] = [
      f('maybe', T.int()),
      f('v', T.string()),
      f('b', T.boolean()),
      f('dec', { kind: 'DECIMAL', precision: 6, scale: 2, nullable: true }),
      f('d', T.date()),
      f('bin', T.bytes()),
      f('arr', { kind: 'ARRAY', element: T.int(), nullable: true }),
      f('m', { kind: 'MAP', key: T.string(), value: T.double(), nullable: true }),
      f('r', { kind: 'ROW', nullable: true, fields: [f('x', T.int())] }),
      f('tm', { kind: 'TIME', precision: 0, nullable: true }),
    ];
    const src = source(fs, {
      'number-of-rows': '400',
      seed: '1',
      'fields.maybe.null-rate': '0.5',
      'fields.v.var-len': 'true',
      'fields.v.length': '5',
      'fields.dec.min': '1',
      'fields.dec.max': '2',
      'fields.bin.length': '4',
      'fields.arr.length': '2',
      'fields.d.max-past': '10 d',
    });
    await src.open(context());
    const { rows } = await drain(src);
    const nulls = rows.filter((r) => r[0] === null).length;
    expect(nulls).toBeGreaterThan(120);
    expect(nulls).toBeLessThan(280);
    const lengths = new Set(rows.map((r) => (r[1] as string).length));
    expect([...lengths].every((l) => l >= 1 && l <= 5)).toBe(true);
    expect(lengths.size).toBeGreaterThan(1);
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set([true, false]));
    for (const r of rows) {
      // DECIMAL(6, 2) values are unscaled integers: 1.00 … 2.00 is 100 … 200.
      expect(r[3]).toBeGreaterThanOrEqual(100);
      expect(r[3]).toBeLessThanOrEqual(200);
      expect(Number.isSafeInteger(r[3])).toBe(true);
      const today = Math.floor(Date.now() / 86400000);
      expect(r[4]).toBeGreaterThanOrEqual(today - 11);
      expect(r[4]).toBeLessThanOrEqual(today);
      expect((r[5] as Uint8Array).length).toBe(4);
      expect((r[6] as unknown[]).length).toBe(2);
      expect(r[7]).toBeInstanceOf(Map);
      expect((r[8] as unknown[]).length).toBe(1);
      expect(r[9]).toBeGreaterThanOrEqual(0);
      expect(r[9]).toBeLessThan(86400e6);
    }
  });

  it('emits the projected columns', async () => {
    const src = source([f('a', T.int()), f('b', T.int())], {
      'number-of-rows': '3',
      'fields.a.kind': 'sequence',
      'fields.a.start': '1',
      'fields.a.end': '3',
      'fields.b.kind': 'sequence',
      'fields.b.start': '10',
      'fields.b.end': '12',
    }, { projection: [1] });
    await src.open(context());
    expect((await drain(src)).rows).toEqual([[10], [11], [12]]);
  });

  it('option errors name the field and list what is valid', () => {
    expect(() => source(fields, { 'fields.nope.kind': 'random' })).toThrow(/unknown field 'nope'.*Fields: id, name, score, ts/);
    expect(() => source(fields, { 'fields.score.mni': '1' })).toThrow(/did you mean 'min'/);
    expect(() => source(fields, { 'fields.score.kind': 'sequence' })).toThrow(/needs option 'fields.score.start' and option 'fields.score.end'/);
    expect(() => source(fields, { 'fields.score.kind': 'shuffle' })).toThrow(/'random' or 'sequence'/);
    expect(() => source(fields, { 'fields.name.min': '1' })).toThrow(/does not apply to field 'name'/);
    expect(() => source(fields, { 'fields.ts.kind': 'sequence', 'fields.ts.start': '1', 'fields.ts.end': '2' })).toThrow(/does not support kind 'sequence'/);
    expect(() => source(fields, { 'rows-per-secnd': '5' })).toThrow(/did you mean 'rows-per-second'/);
    expect(() => source(fields, { 'number-of-rows': 'many' })).toThrow(/expected an integer/);
    expect(() => source(fields, { 'fields.score.min': '5', 'fields.score.max': '1' })).toThrow(/must not be less than/);
  });
});
