// The Parquet writer's column builders read straight from the buffered rows: values, nulls and
// column metrics (exact long bounds, string bounds by code point) for every kind of value they
// take fast paths for, checked by reading the encoded file back.
import { describe, expect, it } from 'vitest';
import { arrowSchema, buildBatch, compressionCodec, encodeParquet, readParquetRows, type StatsMap } from '../../src/connectors/iceberg/parquet.js';
import type { IcebergField } from '../../src/connectors/iceberg/schema.js';

const fields: IcebergField[] = [
  { id: 1, name: 'id', required: false, type: 'long' },
  { id: 2, name: 's', required: false, type: 'string' },
  { id: 3, name: 'amount', required: false, type: 'decimal(10, 2)' },
  { id: 4, name: 'ts', required: false, type: 'timestamp' },
  { id: 5, name: 'absent', required: false, type: 'int' },
];

const long = 'x'.repeat(40) + 'é';
// Row positions: id, s, amount, ts (the column 'absent' is not written: columnIndex -1).
const rows: unknown[][] = [
  [5, 'b', 125, 1_000_000],
  [null, 'é', null, 2_000_000],
  [2n ** 60n + 1n, null, -1, null],
  [-7, '😀', 99999, 3_000_000],
  [0, long, 0, 4_000_000],
  [3, 'a', 12, 5_000_000],
  [4, 'a', 13, 6_000_000],
  [6, 'ab', 14, 7_000_000],
  [null, 'b', 15, 8_000_000],
  [1, '\uFFFD', 16, 9_000_000],
];

describe('Parquet columns built from rows', () => {
  it('keeps values, nulls and exact bounds through a Parquet file', async () => {
    const schema = arrowSchema(fields);
    const stats: StatsMap = new Map();
    const batch = buildBatch(schema, fields, rows, [0, 1, 2, 3, -1], stats);
    expect(stats.get(1)).toMatchObject({ valueCount: 10, nullCount: 2, min: -7, max: 2n ** 60n + 1n });
    // By code point, as Iceberg orders strings: U+FFFD < '😀' (U+1F600), though not in UTF-16 units.
    expect(stats.get(2)).toMatchObject({ valueCount: 10, nullCount: 1, min: 'a', max: '😀' });
    expect(stats.get(3)).toMatchObject({ nullCount: 1, min: -1, max: 99999 });
    expect(stats.get(4)).toMatchObject({ nullCount: 1, min: 1_000_000, max: 9_000_000 });
    expect(stats.get(5)).toMatchObject({ valueCount: 10, nullCount: 10, min: undefined });
    const bytes = await encodeParquet(schema, [batch], compressionCodec('zstd'));
    const back = await readParquetRows(bytes, fields);
    expect(back).toEqual(rows.map((r) => [...r, null]));
  });

  it('keeps nulls that first come after whole bytes of values, and string bounds past the remembered values', async () => {
    // Nulls are found in the pass over the values: the bitmap starts at the first one (row 13 here),
    // with the rows before it valid. The string column has more distinct values than the builder
    // remembers (1024), its bounds ('!' and '~') coming after them.
    const f: IcebergField[] = [
      { id: 1, name: 'n', required: false, type: 'long' },
      { id: 2, name: 's', required: false, type: 'string' },
      { id: 3, name: 'b', required: false, type: 'boolean' },
      { id: 4, name: 'd', required: false, type: 'double' },
      { id: 5, name: 'x', required: false, type: 'binary' },
      { id: 6, name: 'm', required: false, type: 'decimal(20, 3)' },
    ];
    const nulls = new Set([13, 14, 23, 40, 1100, 1101, 1199]);
    const data = Array.from({ length: 1200 }, (_, i) =>
      nulls.has(i) ? [null, null, null, null, null, null] : [i - 600, i === 1150 ? '!' : i === 1160 ? '~' : `v${i}`, i % 3 === 0, i / 7, new Uint8Array([i & 255, i >> 8]), (i - 600) * 1001],
    );
    const schema = arrowSchema(f);
    const stats: StatsMap = new Map();
    const batch = buildBatch(schema, f, data, [0, 1, 2, 3, 4, 5], stats);
    for (let id = 1; id <= 6; id++) expect(stats.get(id)).toMatchObject({ valueCount: 1200, nullCount: 7 });
    expect(stats.get(1)).toMatchObject({ min: -600, max: 598 });
    expect(stats.get(2)).toMatchObject({ min: '!', max: '~' });
    expect(stats.get(6)).toMatchObject({ min: -600600, max: 598598 });
    const back = await readParquetRows(await encodeParquet(schema, [batch], compressionCodec('zstd')), f);
    expect(back).toEqual(data);
  });

  it('refuses a NULL in a required column, naming it', () => {
    const req: IcebergField[] = [{ id: 1, name: 'k', required: true, type: 'string' }];
    expect(() => buildBatch(arrowSchema(req), req, [['a'], [null]], [0])).toThrow(/Column 'k' is NOT NULL/);
  });
});
