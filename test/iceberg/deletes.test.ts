// Merge-on-read rules (spec "Scan Planning"): which delete files apply to which data file, and
// equality/position deletes read by field id whatever their column order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DeleteFilter, DeleteIndex, DELETE_FILE_PATH_ID, DELETE_POS_ID } from '../../src/connectors/iceberg/deletes.js';
import type { DataFile } from '../../src/connectors/iceberg/manifest.js';
import { arrowSchema, buildBatch, compressionCodec, encodeParquet } from '../../src/connectors/iceberg/parquet.js';
import type { IcebergField, PartitionSpec } from '../../src/connectors/iceberg/schema.js';
import { LocalFileIO } from '../../src/io/local.js';
import { toBytes } from '../../src/connectors/iceberg/conversions.js';
import { tempDir } from './helpers.js';

const specs: Record<number, PartitionSpec> = {
  0: { 'spec-id': 0, fields: [] },
  1: { 'spec-id': 1, fields: [{ 'source-id': 2, 'field-id': 1000, name: 'region', transform: 'identity' }] },
};

function file(path: string, content: number, specId: number, partition: unknown[], extra: Partial<DataFile> = {}): DataFile {
  return { content, filePath: path, fileFormat: 'PARQUET', specId, partition, recordCount: 1, fileSizeInBytes: 1, ...extra };
}

describe('which delete files apply to a data file', () => {
  const index = new DeleteIndex((id) => specs[id]);
  index.add(file('pos-eu-5', 1, 1, ['eu']), 5);
  index.add(file('pos-us-5', 1, 1, ['us']), 5);
  index.add(file('pos-eu-5-other', 1, 1, ['eu'], { lowerBounds: { [DELETE_FILE_PATH_ID]: toBytes('string', 'z/a') }, upperBounds: { [DELETE_FILE_PATH_ID]: toBytes('string', 'z/b') } }), 5);
  index.add(file('eq-eu-5', 2, 1, ['eu'], { equalityIds: [1] }), 5);
  index.add(file('eq-global-7', 2, 0, [], { equalityIds: [1] }), 7);
  const names = (f: DataFile, seq: number) => index.forDataFile(f, seq).map((d) => d.path).sort();

  it('a position delete applies to data files with a sequence number <= its own, in its partition', () => {
    expect(names(file('data-eu', 0, 1, ['eu']), 5)).toEqual(['eq-global-7', 'pos-eu-5']);
    expect(names(file('data-eu', 0, 1, ['eu']), 4)).toEqual(['eq-eu-5', 'eq-global-7', 'pos-eu-5']);
    expect(names(file('data-eu', 0, 1, ['eu']), 6)).toEqual(['eq-global-7']);
    expect(names(file('data-us', 0, 1, ['us']), 5)).toEqual(['eq-global-7', 'pos-us-5']);
  });

  it('an equality delete applies only to strictly older data files; an unpartitioned one to every partition', () => {
    expect(names(file('data-eu', 0, 1, ['eu']), 7)).toEqual([]);
    expect(names(file('data-asia', 0, 1, ['asia']), 3)).toEqual(['eq-global-7']);
  });

  it('file_path bounds narrow a position delete to the files it names', () => {
    expect(names(file('z/a1', 0, 1, ['eu']), 1)).toEqual(['eq-eu-5', 'eq-global-7', 'pos-eu-5', 'pos-eu-5-other']);
  });
});

describe('applying delete files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('tsstream-deletes-');
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function parquet(name: string, fields: IcebergField[], rows: unknown[][]): Promise<string> {
    const schema = arrowSchema(fields);
    const bytes = await encodeParquet(schema, [buildBatch(schema, fields, rows, fields.map((_, i) => i))], compressionCodec('zstd'));
    const p = path.join(dir, name);
    await fs.writeFile(p, bytes);
    return p;
  }

  it('reads equality and position delete columns by field id, in any order', async () => {
    const id: IcebergField = { id: 1, name: 'id', required: false, type: 'long' };
    const region: IcebergField = { id: 2, name: 'region', required: false, type: 'string' };
    // Columns reversed and renamed: only the ids tell them apart.
    const eq = await parquet('eq.parquet', [{ ...region, name: 'r' }, { ...id, name: 'x' }], [['eu', 2], [null, 3]]);
    const pos = await parquet(
      'pos.parquet',
      [
        { id: DELETE_POS_ID, name: 'pos', required: true, type: 'long' },
        { id: DELETE_FILE_PATH_ID, name: 'file_path', required: true, type: 'string' },
      ],
      [[0, '/data/a.parquet'], [3, '/data/b.parquet']],
    );
    const byId = new Map([[1, id], [2, region]]);
    const filter = new DeleteFilter(new LocalFileIO(), (i) => byId.get(i));
    const rows = [[1, 'eu'], [2, 'eu'], [2, 'us'], [3, null], [3, 'eu']];
    const kept = await filter.apply(
      '/data/a.parquet',
      [
        { path: eq, content: 2, equalityIds: [2, 1] },
        { path: pos, content: 1 },
      ],
      rows.map((r) => [...r]),
      0,
      (i) => (i === 1 ? 0 : 1),
    );
    // Position 0 of a.parquet is deleted; (eu, 2) and (null, 3) match equality deletes (null matches null).
    expect(kept).toEqual([[2, 'us'], [3, 'eu']]);
    // Positions count from the first row given.
    const later = await filter.apply('/data/b.parquet', [{ path: pos, content: 1 }], [[7, 'x'], [8, 'y']], 2, () => 0);
    expect(later).toEqual([[7, 'x']]);
  });
});
