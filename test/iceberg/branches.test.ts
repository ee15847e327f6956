// Branches and tags as Flink's Iceberg connector has them: the 'branch' option writes snapshots
// into a branch (created from main's current snapshot when missing) and reads its head; 'tag'
// reads a tag's snapshot; `$refs` lists them. pyiceberg reads the branch head's snapshot the same,
// and Flink reads the branch through its own 'branch' option when the flink peer is there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Session, collectQuery } from '../../src/cli/session.js';
import { cellText } from '../../src/cli/tableau.js';
import { icebergCatalogFactory, type IcebergCatalog } from '../../src/connectors/iceberg/index.js';
import { T, type Field } from '../../src/common/types.js';
import type { TableDescriptor } from '../../src/common/connector.js';
import { runtimeContext, tempDir } from './helpers.js';
import { hasPeer, peer } from '../peers/index.js';
import { readIcebergTable } from '../peers/pyiceberg.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { runOnFlink } from '../peers/flink-client.js';

let dir: string;
const wh = () => path.join(dir, 'wh');
const cat = () => `CREATE CATALOG IF NOT EXISTS ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${wh()}')`;

beforeAll(async () => {
  dir = await tempDir('tsstream-iceberg-branches-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function run(s: Session, sql: string): Promise<void> {
  for (const r of await s.executeAll(sql)) if (r.kind === 'job') await r.job.run();
}

async function rows(s: Session, sql: string): Promise<string[]> {
  const res = await s.executeAll(`SET 'execution.runtime-mode' = 'batch'; ${sql}`);
  const q = res[res.length - 1];
  if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
  return cellText(await collectQuery(q), q.columns)
    .map((r) => r.join(','))
    .sort();
}

describe('Iceberg branches and tags', () => {
  it("writes into a branch with 'branch', reads branches and tags, and lists them in $refs", async () => {
    const s = new Session({ log: () => {} });
    let auditHead = '';
    try {
      await run(
        s,
        `${cat()}; CREATE DATABASE IF NOT EXISTS ice.db; CREATE TABLE ice.db.t (id BIGINT, s STRING);
         SET 'execution.runtime-mode' = 'batch';
         INSERT INTO ice.db.t VALUES (1, 'a'), (2, 'b');
         INSERT INTO ice.db.t /*+ OPTIONS('branch' = 'audit') */ VALUES (3, 'c');`,
      );
      expect(await rows(s, 'SELECT * FROM ice.db.t')).toEqual(['1,a', '2,b']);
      expect(await rows(s, "SELECT * FROM ice.db.t /*+ OPTIONS('branch' = 'audit') */")).toEqual(['1,a', '2,b', '3,c']);
      await run(s, "SET 'execution.runtime-mode' = 'batch'; INSERT INTO ice.db.t VALUES (4, 'd'); INSERT INTO ice.db.t /*+ OPTIONS('branch' = 'audit') */ VALUES (5, 'e');");
      expect(await rows(s, 'SELECT * FROM ice.db.t')).toEqual(['1,a', '2,b', '4,d']);
      expect(await rows(s, "SELECT * FROM ice.db.t /*+ OPTIONS('branch' = 'audit') */")).toEqual(['1,a', '2,b', '3,c', '5,e']);
      expect(await rows(s, "SELECT * FROM ice.db.t /*+ OPTIONS('branch' = 'main') */")).toEqual(['1,a', '2,b', '4,d']);

      // A tag on main's first snapshot (tags come from other engines' DDL; here a metadata commit).
      const catalog = icebergCatalogFactory.create('x', { type: 'iceberg', warehouse: wh() }) as IcebergCatalog;
      await catalog.open();
      const ops = (await catalog.backend.loadTable('db', 't'))!;
      const m = await ops.load();
      const first = [...m.snapshots].sort((a, b) => a['sequence-number'] - b['sequence-number'])[0]['snapshot-id'];
      await ops.commit(m, [{ action: 'set-snapshot-ref', 'ref-name': 'v1', type: 'tag', 'snapshot-id': first }], [{ type: 'assert-table-uuid', uuid: m['table-uuid'] }]);
      await catalog.close();
      expect(await rows(s, "SELECT * FROM ice.db.t /*+ OPTIONS('tag' = 'v1') */")).toEqual(['1,a', '2,b']);

      const refs = await rows(s, 'SELECT name, type, snapshot_id FROM ice.db.`t$refs`');
      expect(refs.map((r) => r.split(',').slice(0, 2).join(','))).toEqual(['audit,BRANCH', 'main,BRANCH', 'v1,TAG']);
      expect(refs.find((r) => r.startsWith('v1,'))).toBe(`v1,TAG,${first}`);
      auditHead = refs.find((r) => r.startsWith('audit,'))!.split(',')[2];

      // Errors name what is missing or mixed up.
      await expect(rows(s, "SELECT * FROM ice.db.t /*+ OPTIONS('branch' = 'nope') */")).rejects.toThrow(/Cannot find branch 'nope' .*branches: audit, main/);
      await expect(rows(s, "SELECT * FROM ice.db.t /*+ OPTIONS('branch' = 'v1') */")).rejects.toThrow(/'v1' is a tag of the Iceberg table, not a branch/);
      await expect(rows(s, "SELECT * FROM ice.db.t /*+ OPTIONS('tag' = 'v1', 'snapshot-id' = '1') */")).rejects.toThrow(/'snapshot-id' and 'tag' cannot be set together/);
    } finally {
      await s.close();
    }

    if (hasPeer('pyiceberg')) {
      const py = await readIcebergTable({ kind: 'hadoop', warehouse: wh() }, 'db.t', { snapshotId: auditHead });
      expect(py.rows.map((r) => r.join(',')).sort()).toEqual(['1,a', '2,b', '3,c', '5,e']);
      const main = await readIcebergTable({ kind: 'hadoop', warehouse: wh() }, 'db.t');
      expect(main.rows.map((r) => r.join(',')).sort()).toEqual(['1,a', '2,b', '4,d']);
    }
    if (hasPeer('flink')) {
      const res = await runOnFlink(
        [
          `CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'file://${wh()}')`,
          "SELECT * FROM ice.db.t /*+ OPTIONS('branch' = 'audit') */",
          "SELECT * FROM ice.db.t /*+ OPTIONS('tag' = 'v1') */",
        ],
        { flink: peer<FlinkEndpoint>('flink'), properties: { 'execution.runtime-mode': 'batch' } },
      );
      expect(res[1].rows.map((r) => r.text.join(',')).sort()).toEqual(['1,a', '2,b', '3,c', '5,e']);
      expect(res[2].rows.map((r) => r.text.join(',')).sort()).toEqual(['1,a', '2,b']);
    }
  }, 240_000);

  it('commits of a checkpoint into a branch happen once, checked on the branch', async () => {
    const fields: Field[] = [
      { name: 'id', type: T.bigint() },
      { name: 's', type: T.string() },
    ];
    const desc: TableDescriptor = { path: { catalog: 'ice', database: 'db', table: 't' }, physical: fields, metadata: [], options: { branch: 'dev' }, partitionKeys: [] };
    const catalog = icebergCatalogFactory.create('x', { type: 'iceberg', warehouse: wh() }) as IcebergCatalog;
    await catalog.open();
    try {
      const sink = catalog.tableFactory().createSink!(desc, { config: new Map() });
      await sink.open(runtimeContext('job-B'));
      await sink.write([[10, 'x']]);
      const c1 = await sink.prepareCommit(1);
      await sink.commit(1, [c1]);
      await sink.commit(1, [c1]); // replayed: already on the branch
      await sink.close();
      const m = await (await catalog.backend.loadTable('db', 't'))!.load();
      const dev = m.snapshots.find((x) => x['snapshot-id'] === m.refs.dev['snapshot-id'])!;
      expect(dev.summary).toMatchObject({ 'tsstream.checkpoint-id': '1', 'added-records': '1' });
      expect(m.snapshots.filter((x) => x.summary['tsstream.job-id'] === 'job-B')).toHaveLength(1);
      // Created from main's current snapshot (Iceberg's rule for a branch that does not exist yet).
      expect(dev['parent-snapshot-id']).toBe(m.refs.main['snapshot-id']);
    } finally {
      await catalog.close();
    }
  });
});
