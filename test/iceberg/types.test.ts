// Round trips of every supported type through a data file: our reader, DuckDB and pyiceberg
// (Iceberg's Python implementation) agree with what was written, including negative and extreme values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { icebergCatalogFactory, type IcebergCatalog } from '../../src/connectors/iceberg/index.js';
import type { TableDescriptor } from '../../src/common/connector.js';
import { MAX_LENGTH, type Field, type Row } from '../../src/common/types.js';
import { fromBytes, toBytes, truncateUpperString, bigintToTwos, twosToBigint } from '../../src/connectors/iceberg/conversions.js';
import { runtimeContext, tempDir } from './helpers.js';
import { hasPeer } from '../peers/index.js';
import { fieldSummary, readIcebergTable } from '../peers/pyiceberg.js';

let dir: string;
let catalog: IcebergCatalog;

const fields: Field[] = [
  { name: 'ti', type: { kind: 'TINYINT', nullable: true } },
  { name: 'si', type: { kind: 'SMALLINT', nullable: true } },
  { name: 'i', type: { kind: 'INT', nullable: true } },
  { name: 'b', type: { kind: 'BIGINT', nullable: true } },
  { name: 'f', type: { kind: 'FLOAT', nullable: true } },
  { name: 'd', type: { kind: 'DOUBLE', nullable: true } },
  { name: 'dec_small', type: { kind: 'DECIMAL', precision: 9, scale: 3, nullable: true } },
  { name: 'dec_big', type: { kind: 'DECIMAL', precision: 38, scale: 2, nullable: true } },
  { name: 'dt', type: { kind: 'DATE', nullable: true } },
  { name: 'tm', type: { kind: 'TIME', precision: 6, nullable: true } },
  { name: 'ts', type: { kind: 'TIMESTAMP', precision: 6, nullable: true } },
  { name: 'ltz', type: { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: true } },
  { name: 's', type: { kind: 'VARCHAR', length: MAX_LENGTH, nullable: true } },
  { name: 'fx', type: { kind: 'BINARY', length: 4, nullable: true } },
  { name: 'vb', type: { kind: 'VARBINARY', length: MAX_LENGTH, nullable: true } },
  { name: 'bo', type: { kind: 'BOOLEAN', nullable: true } },
  { name: 'm', type: { kind: 'MAP', key: { kind: 'INT', nullable: false }, value: { kind: 'VARCHAR', length: MAX_LENGTH, nullable: true }, nullable: true } },
  { name: 'nested', type: { kind: 'ARRAY', nullable: true, element: { kind: 'ROW', nullable: true, fields: [{ name: 'a', type: { kind: 'BIGINT', nullable: true } }, { name: 'tags', type: { kind: 'ARRAY', nullable: true, element: { kind: 'VARCHAR', length: MAX_LENGTH, nullable: true } } }] } } },
];

// DECIMAL values are unscaled integers (-123456.789 in DECIMAL(9, 3) is -123456789).
const rows: Row[] = [
  [-128, -32768, -2147483648, -(2 ** 53) + 1, -1.5, -1e300, -123456789, -1234567890123456, -719162, 0, -62135596800000000, -1000, '', Uint8Array.of(0, 0, 0, 0), new Uint8Array(0), false, new Map([[1, null]]), []],
  [127, 32767, 2147483647, 2 ** 53 - 1, 3.25, Number.MAX_VALUE, 999999999, 99999999999999999999999999999999999999n, 2932896, 86399999999, 7258118399999999, 1767002400123000, 'ünïcødé 🧊 text', Uint8Array.of(255, 1, 2, 3), Uint8Array.of(9, 8, 7), true, new Map([[2, 'two'], [3, 'three']]), [[1, ['x', null]], null, [null, null]]],
  [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
  [0, 0, 0, 0, -0, NaN, 0, 0, 0, 1, -1, 0, 'a', Uint8Array.of(1, 1, 1, 1), Uint8Array.of(0), false, new Map(), [[-5, []]]],
];

beforeAll(async () => {
  dir = await tempDir();
  catalog = icebergCatalogFactory.create('c', { type: 'iceberg', warehouse: dir }) as IcebergCatalog;
  await catalog.open();
  await catalog.createDatabase('db', false);
  await catalog.createTable('db', 'types', { kind: 'table', columns: fields.map((f) => ({ kind: 'physical' as const, ...f })), partitionKeys: [], options: {} }, false);
});

afterAll(async () => {
  await catalog.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Iceberg type round trips', () => {
  it('reads back exactly what it wrote, and DuckDB agrees', async () => {
    const d: TableDescriptor = { path: { catalog: 'c', database: 'db', table: 'types' }, physical: fields, metadata: [], options: {}, partitionKeys: [] };
    const sink = catalog.tableFactory().createSink!(d, { config: new Map() });
    await sink.open(runtimeContext('types'));
    await sink.write(rows);
    await sink.commit(1, [await sink.prepareCommit(1)]);
    const src = catalog.tableFactory().createSource!(d, { batch: true }, { config: new Map() });
    await src.open(runtimeContext());
    const back = (await src.poll(10))![0].rows;
    expect(back).toHaveLength(4);
    for (let r = 0; r < rows.length; r++) {
      for (let c = 0; c < fields.length; c++) {
        const exp = rows[r][c];
        const got = back[r][c];
        if (fields[c].name === 'f' && typeof exp === 'number') expect(got).toBeCloseTo(exp, 5);
        else if (typeof exp === 'number' && Number.isNaN(exp)) expect(got).toBeNaN();
        else expect([fields[c].name, got]).toEqual([fields[c].name, exp]);
      }
    }
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const files = (await fs.readdir(path.join(dir, 'db/types/data'))).filter((f) => f.endsWith('.parquet'));
    const res = await conn.runAndReadAll(
      `SELECT CAST(b AS VARCHAR) b, CAST(dec_small AS VARCHAR) ds, CAST(dec_big AS VARCHAR) db, CAST(dt AS VARCHAR) dt, CAST(tm AS VARCHAR) tm,
              CAST(ts AS VARCHAR) ts, s, hex(fx) fx, typeof(fx) tfx, typeof(tm) ttm, typeof(dec_big) tdb FROM read_parquet('${path.join(dir, 'db/types/data', files[0])}')`,
    );
    const out = res.getRowObjectsJS();
    expect(out[0]).toMatchObject({ b: String(-(2 ** 53) + 1), ds: '-123456.789', db: '-12345678901234.56', dt: '0001-01-01', tm: '00:00:00', ts: '0001-01-01 00:00:00', s: '', fx: '00000000', tfx: 'BLOB', ttm: 'TIME', tdb: 'DECIMAL(38,2)' });
    expect(out[1]).toMatchObject({ ds: '999999.999', db: '999999999999999999999999999999999999.99', dt: '9999-12-31', tm: '23:59:59.999999', ts: '2199-12-31 23:59:59.999999', s: 'ünïcødé 🧊 text', fx: 'FF010203' });
    conn.closeSync();
  });

  it.skipIf(!hasPeer('pyiceberg'))('pyiceberg reads the same values, types and field ids', async () => {
    const t = await readIcebergTable({ kind: 'hadoop', warehouse: dir }, 'db.types');
    expect(fieldSummary(t)).toEqual([
      [1, 'ti', 'int'],
      [2, 'si', 'int'],
      [3, 'i', 'int'],
      [4, 'b', 'long'],
      [5, 'f', 'float'],
      [6, 'd', 'double'],
      [7, 'dec_small', 'decimal(9, 3)'],
      [8, 'dec_big', 'decimal(38, 2)'],
      [9, 'dt', 'date'],
      [10, 'tm', 'time'],
      [11, 'ts', 'timestamp'],
      [12, 'ltz', 'timestamptz'],
      [13, 's', 'string'],
      [14, 'fx', 'fixed[4]'],
      [15, 'vb', 'binary'],
      [16, 'bo', 'boolean'],
      [17, 'm', expect.objectContaining({ type: 'map', key: 'int', value: 'string', 'value-required': false })],
      [18, 'nested', expect.objectContaining({ type: 'list', 'element-required': false })],
    ]);
    expect(t.rows).toEqual([
      [-128, -32768, -2147483648, String(-(2 ** 53) + 1), -1.5, -1e300, '-123456.789', '-12345678901234.56', '0001-01-01', '00:00:00.000000', '0001-01-01T00:00:00.000000', '1969-12-31T23:59:59.999000+00:00', '', '00000000', '', false, [[1, null]], []],
      [127, 32767, 2147483647, String(2 ** 53 - 1), 3.25, Number.MAX_VALUE, '999999.999', '999999999999999999999999999999999999.99', '9999-12-31', '23:59:59.999999', '2199-12-31T23:59:59.999999', '2025-12-29T10:00:00.123000+00:00', 'ünïcødé 🧊 text', 'ff010203', '090807', true, [[2, 'two'], [3, 'three']], [{ a: '1', tags: ['x', null] }, null, { a: null, tags: null }]],
      // pyiceberg 0.12 reads a null list of structs as [] (its projection rebuilds the list without
      // the validity bitmap); pyarrow reading the Parquet file directly gives null, as written.
      [...Array(17).fill(null), []],
      [0, 0, 0, '0', -0, 'NaN', '0.000', '0.00', '1970-01-01', '00:00:00.000001', '1969-12-31T23:59:59.999999', '1970-01-01T00:00:00.000000+00:00', 'a', '01010101', '00', false, [], [{ a: '-5', tags: [] }]],
    ]);
    expect(t.currentSnapshot?.summary).toMatchObject({ operation: 'append', 'added-records': '4', 'added-data-files': '1', 'total-records': '4' });
    expect(t.snapshots).toHaveLength(1);
  }, 120_000);

  it('encodes single values as the spec says', () => {
    expect([...toBytes('int', -2)]).toEqual([0xfe, 0xff, 0xff, 0xff]);
    expect([...toBytes('long', 1)]).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect([...toBytes('decimal(9, 2)', 123)]).toEqual([0x7b]);
    expect([...toBytes('decimal(9, 2)', -128)]).toEqual([0x80]);
    expect([...toBytes('decimal(9, 2)', 128)]).toEqual([0x00, 0x80]);
    expect([...toBytes('string', 'é')]).toEqual([0xc3, 0xa9]);
    expect([...toBytes('boolean', true)]).toEqual([1]);
    expect([...toBytes('double', 1)]).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    // DECIMAL values are unscaled integers: exact.
    expect(fromBytes('decimal(38, 2)', bigintToTwos(-1234567890123456789012345n))).toBe(-1234567890123456789012345n);
    expect(fromBytes('long', toBytes('long', 9007199254740993n))).toBe(9007199254740993n);
    expect(twosToBigint(bigintToTwos(-129n))).toBe(-129n);
    expect(fromBytes('timestamp', toBytes('timestamp', -1))).toBe(-1);
    expect(truncateUpperString('ab\u{10FFFF}\u{10FFFF}', 3)).toBe('ac');
    expect(truncateUpperString('abc', 3)).toBe('abc');
  });
});
