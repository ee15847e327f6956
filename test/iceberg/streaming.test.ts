import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { icebergCatalogFactory, rewriteDataFiles, type IcebergCatalog } from '../../src/connectors/iceberg/index.js';
import type { DynamicSource, TableDescriptor } from '../../src/common/connector.js';
import { T, type Row } from '../../src/common/types.js';
import { runtimeContext, tempDir } from './helpers.js';

let dir: string;
let catalog: IcebergCatalog;
const physical = [{ name: 'n', type: T.bigint() }];
const desc = (options: Record<string, string> = {}): TableDescriptor => ({ path: { catalog: 'c', database: 'db', table: 't' }, physical, metadata: [], options, partitionKeys: [] });

async function append(jobCp: number, values: number[]): Promise<void> {
  const sink = catalog.tableFactory().createSink!(desc(), { config: new Map() });
  await sink.open(runtimeContext('writer'));
  await sink.write(values.map((v) => [v]));
  await sink.commit(jobCp, [await sink.prepareCommit(jobCp)]);
}

async function pollUntil(src: DynamicSource, count: number, got: number[]): Promise<void> {
  const end = Date.now() + 5000;
  while (got.length < count) {
    if (Date.now() > end) throw new Error(`timed out with ${got.length} of ${count} rows`);
    const b = await src.poll(20);
    expect(b).not.toBeNull();
    for (const x of b!) got.push(...x.rows.map((r: Row) => r[0] as number));
  }
}

beforeAll(async () => {
  dir = await tempDir();
  catalog = icebergCatalogFactory.create('c', { type: 'iceberg', warehouse: dir }) as IcebergCatalog;
  await catalog.open();
  await catalog.createDatabase('db', false);
  await catalog.createTable('db', 't', { kind: 'table', columns: [{ kind: 'physical', name: 'n', type: T.bigint() }], partitionKeys: [], options: {} }, false);
});

afterAll(async () => {
  await catalog.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Iceberg streaming reads', () => {
  it("reads the current snapshot, then each appended one ('streaming'='true')", async () => {
    await append(1, [1, 2]);
    const opts = { streaming: 'true', 'monitor-interval': '10ms', 'starting-strategy': 'TABLE_SCAN_THEN_INCREMENTAL' };
    const src = catalog.tableFactory().createSource!(desc(opts), { batch: false }, { config: new Map() });
    expect(src.bounded).toBe(false);
    await src.open(runtimeContext());
    const got: number[] = [];
    await pollUntil(src, 2, got);
    await append(2, [3]);
    await append(3, [4, 5]);
    await pollUntil(src, 5, got);
    expect(got.sort()).toEqual([1, 2, 3, 4, 5]);
    // A compaction rewrites files but adds no rows.
    await rewriteDataFiles((await catalog.backend.loadTable('db', 't'))!, { smallFileBytes: 1e9 });
    await append(4, [6]);
    await pollUntil(src, 6, got);
    const state = JSON.parse(JSON.stringify(src.snapshotState(1)));
    await src.close();
    // Restored from its state, it continues with what comes next only.
    await append(5, [7]);
    const again = catalog.tableFactory().createSource!(desc(opts), { batch: false }, { config: new Map() });
    await again.open(runtimeContext(), state);
    const more: number[] = [];
    await pollUntil(again, 1, more);
    expect(more).toEqual([7]);
    const extra = await again.poll(30);
    expect(extra).toEqual([]);
    await again.close();
  });

  it('stays bounded in batch mode', async () => {
    const src = catalog.tableFactory().createSource!(desc({ streaming: 'true' }), { batch: true }, { config: new Map() });
    expect(src.bounded).toBe(true);
  });
});
