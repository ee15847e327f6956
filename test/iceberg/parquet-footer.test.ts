// The Parquet footer read in JavaScript (src/connectors/iceberg/parquet-footer.ts) gives what
// parquet-wasm's own metadata reader gives for the same file: top-level columns with their field
// ids, rows per row group, and each column chunk's path and compressed size (nested columns,
// several row groups, key-value metadata, a file with no field ids).
import { describe, expect, it } from 'vitest';
import { arrowSchema, buildBatch, compressionCodec, encodeParquet, loadParquet, parquetLayout, readParquetRows } from '../../src/connectors/iceberg/parquet.js';
import { readParquetFooter } from '../../src/connectors/iceberg/parquet-footer.js';
import type { IcebergField } from '../../src/connectors/iceberg/schema.js';

const fields: IcebergField[] = [
  { id: 1, name: 'id', required: true, type: 'long' },
  { id: 2, name: 'name', required: false, type: 'string' },
  { id: 3, name: 'point', required: false, type: { type: 'struct', fields: [{ id: 7, name: 'x', required: false, type: 'double' }, { id: 8, name: 'label', required: false, type: 'string' }] } },
  { id: 4, name: 'tags', required: false, type: { type: 'list', 'element-id': 9, element: 'string', 'element-required': false } },
  { id: 5, name: 'attrs', required: false, type: { type: 'map', 'key-id': 10, key: 'int', 'value-id': 11, value: 'string', 'value-required': false } },
  { id: 6, name: 'ok', required: false, type: 'boolean' },
];

const rows: unknown[][] = Array.from({ length: 10 }, (_, i) => [
  i,
  i % 3 === 0 ? null : `n${i}`.repeat(i + 1),
  i % 4 === 0 ? null : [i / 2, i % 2 ? null : `p${i}`],
  i % 5 === 0 ? null : Array.from({ length: i % 4 }, (_, k) => `t${k}`),
  i % 2 ? null : new Map([[i, `v${i}`]]),
  i % 3 === 1 ? null : i % 2 === 0,
]);

/** The same facts from parquet-wasm's metadata reader. */
async function wasmFacts(bytes: Uint8Array) {
  const pw = await loadParquet();
  const file = await pw.ParquetFile.fromFile(new Blob([bytes]));
  try {
    return file
      .metadata()
      .rowGroups()
      .map((rg) => ({ numRows: rg.numRows(), columns: rg.columns().map((c) => ({ path: c.columnPath(), totalCompressedSize: c.compressedSize() })) }));
  } finally {
    file.free();
  }
}

describe('the Parquet footer read in JavaScript', () => {
  it('gives the columns, row groups and column chunks parquet-wasm reads', async () => {
    const schema = arrowSchema(fields);
    const batch = buildBatch(schema, fields, rows, [0, 1, 2, 3, 4, 5]);
    // Rows of 3: four row groups; key-value metadata as the writer adds (the Iceberg schema).
    const bytes = await encodeParquet(schema, [batch], compressionCodec('zstd'), 3, 128 << 20, new Map([['iceberg.schema', '{"type":"struct"}']]));
    const footer = readParquetFooter(bytes);
    expect(footer.columns).toEqual(fields.map((f) => ({ name: f.name, id: f.id })));
    expect(footer.rowGroups.map((g) => g.numRows)).toEqual([3, 3, 3, 1]);
    expect(footer.rowGroups[0].columns.map((c) => c.path.join('.'))).toEqual(['id', 'name', 'point.x', 'point.label', 'tags.list.element', 'attrs.entries.key', 'attrs.entries.value', 'ok']);
    expect(footer.rowGroups).toEqual(await wasmFacts(bytes));
    // Sizes by field id over the row groups, and where each row group starts.
    const layout = parquetLayout(bytes, fields);
    const groups = footer.rowGroups.map((g) => g.columns.reduce((n, c) => n + c.totalCompressedSize, 0));
    expect(layout.splitOffsets).toEqual(groups.map((_, i) => 4 + groups.slice(0, i).reduce((a, b) => a + b, 0)));
    expect(Object.keys(layout.columnSizes).map(Number).sort((a, b) => a - b)).toEqual([1, 2, 7, 8, 9, 10, 11, 6].sort((a, b) => a - b));
    expect(layout.columnSizes[9]).toBe(footer.rowGroups.reduce((n, g) => n + g.columns[4].totalCompressedSize, 0));
    expect(await readParquetRows(bytes, [fields[1], fields[0]], [3])).toEqual([[rows[9][1], 9]]);
  });

  it('reads a file without field ids by column name', async () => {
    const schema = arrowSchema(fields.slice(0, 2));
    const plain = new (schema.constructor as new (f: unknown[]) => typeof schema)(schema.fields.map((f) => f.clone({ metadata: new Map() })));
    const batch = buildBatch(schema, fields.slice(0, 2), rows, [0, 1]);
    const bytes = await encodeParquet(plain, [batch], compressionCodec('snappy'));
    expect(readParquetFooter(bytes).columns).toEqual([
      { name: 'id', id: undefined },
      { name: 'name', id: undefined },
    ]);
  });

  it('refuses bytes that are not a Parquet file', () => {
    expect(() => readParquetFooter(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).toThrow(/Not a Parquet file/);
    const truncated = new Uint8Array([0x50, 0x41, 0x52, 0x31, 0x19, 0x1c, 0x00, 0x00, 3, 0, 0, 0, 0x50, 0x41, 0x52, 0x31]);
    expect(() => readParquetFooter(truncated)).toThrow(/Parquet footer/);
  });
});
