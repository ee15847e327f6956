// Schema evolution and table renames through Iceberg's own REST catalog server: ALTER TABLE …
// ADD / RENAME / MODIFY (type promotion) / DROP COLUMN are sent as REST commits whose
// requirements the server checks (a stale assert-current-schema-id is answered 409 and retried),
// RENAME TO is the rename endpoint; pyiceberg and Flink 1.20 read the evolved table through the
// same server, the files written before the changes by field id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPeer, peer, requirePeers } from '../peers/index.js';
import type { IcebergRestEndpoint } from '../peers/iceberg-rest.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { runOnFlink } from '../peers/flink-client.js';
import { readIcebergTable } from '../peers/pyiceberg.js';
import { startRelay, type RestRelay } from './proxy.js';
import { exec, select, session } from '../iceberg/helpers.js';

const ready = requirePeers('iceberg-rest', 'pyiceberg');
const DB = `evolve_${Date.now().toString(36)}`;
let relay: RestRelay;
const rest = () => peer<IcebergRestEndpoint>('iceberg-rest');
const cat = () => `CREATE CATALOG IF NOT EXISTS rc WITH ('type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = '${relay.uri}', 'credential' = 'tsstream:secret')`;

interface CommitBody {
  requirements: Record<string, unknown>[];
  updates: Record<string, unknown>[];
}

/** The commit requests (POST …/tables/{table}) the relay passed since `from`, with the server's status. */
function commitsSince(from: number, table: string): { status: number; body: CommitBody }[] {
  return relay.seen
    .slice(from)
    .filter((x) => x.method === 'POST' && x.path.endsWith(`/namespaces/${DB}/tables/${table}`))
    .map((x) => ({ status: x.status, body: JSON.parse(x.body ?? '{}') as CommitBody }));
}

const fieldsOf = (u: Record<string, unknown>) => ((u.schema as { fields: { id: number; name: string; type: string }[] }).fields ?? []).map((f) => `${f.id}:${f.name}:${f.type}`);

const EXPECTED = ['1,<NULL>,1.5,12345678.91,one', '2,<NULL>,<NULL>,-0.01,<NULL>', '9007199254740993,e,0.25,999999999999.99,three'];

describe('schema evolution and RENAME TO through the Iceberg REST catalog', () => {
  beforeAll(async () => {
    if (!ready) return;
    relay = await startRelay(rest().uri);
  });
  afterAll(async () => {
    await relay?.close();
  });

  it('commits each ALTER as add-schema + set-current-schema guarded by assert-current-schema-id; pyiceberg reads the evolved table', async () => {
    await session(async (s) => {
      await exec(
        s,
        `${cat()}; CREATE DATABASE rc.${DB};
         CREATE TABLE rc.${DB}.t (id INT NOT NULL, v FLOAT, amount DECIMAL(10, 2), name STRING, note STRING, PRIMARY KEY (id) NOT ENFORCED);
         SET 'execution.runtime-mode' = 'batch';
         INSERT INTO rc.${DB}.t VALUES (1, CAST(1.5 AS FLOAT), CAST(12345678.91 AS DECIMAL(10, 2)), 'one', 'x'), (2, CAST(NULL AS FLOAT), CAST(-0.01 AS DECIMAL(10, 2)), CAST(NULL AS STRING), 'y');`,
      );
      const before = relay.seen.length;
      await exec(s, `ALTER TABLE rc.${DB}.t ADD (extra STRING AFTER id)`);
      await exec(s, `ALTER TABLE rc.${DB}.t RENAME name TO label`);
      await exec(s, `ALTER TABLE rc.${DB}.t MODIFY (id BIGINT NOT NULL, v DOUBLE, amount DECIMAL(14, 2))`);
      await exec(s, `ALTER TABLE rc.${DB}.t DROP note`);
      const commits = commitsSince(before, 't');
      expect(commits.map((c) => c.status)).toEqual([200, 200, 200, 200]);
      commits.forEach((c, i) => {
        expect(c.body.requirements).toEqual([
          { type: 'assert-table-uuid', uuid: expect.any(String) },
          { type: 'assert-current-schema-id', 'current-schema-id': i },
          { type: 'assert-last-assigned-field-id', 'last-assigned-field-id': i === 0 ? 5 : 6 },
        ]);
        expect(c.body.updates.map((u) => u.action)).toEqual(['add-schema', 'set-current-schema']);
        expect(c.body.updates[0]).toMatchObject({ schema: { 'schema-id': i + 1, 'identifier-field-ids': [1] }, 'last-column-id': 6 });
        expect(c.body.updates[1]).toEqual({ action: 'set-current-schema', 'schema-id': -1 });
      });
      expect(fieldsOf(commits[0].body.updates[0])).toEqual(['1:id:int', '6:extra:string', '2:v:float', '3:amount:decimal(10, 2)', '4:name:string', '5:note:string']);
      expect(fieldsOf(commits[1].body.updates[0])).toEqual(['1:id:int', '6:extra:string', '2:v:float', '3:amount:decimal(10, 2)', '4:label:string', '5:note:string']);
      expect(fieldsOf(commits[2].body.updates[0])).toEqual(['1:id:long', '6:extra:string', '2:v:double', '3:amount:decimal(14, 2)', '4:label:string', '5:note:string']);
      expect(fieldsOf(commits[3].body.updates[0])).toEqual(['1:id:long', '6:extra:string', '2:v:double', '3:amount:decimal(14, 2)', '4:label:string']);

      // What the server refuses is refused before anything is sent.
      const n = relay.seen.length;
      await expect(s.executeAll(`ALTER TABLE rc.${DB}.t MODIFY label INT`)).rejects.toThrow(/Cannot change column `label` .* from string to int/);
      await expect(s.executeAll(`ALTER TABLE rc.${DB}.t ADD (req INT NOT NULL)`)).rejects.toThrow(/cannot add required column `req`/);
      expect(commitsSince(n, 't')).toEqual([]);

      await exec(
        s,
        `SET 'execution.runtime-mode' = 'batch';
         INSERT INTO rc.${DB}.t VALUES (9007199254740993, 'e', CAST(0.25 AS DOUBLE), CAST(999999999999.99 AS DECIMAL(14, 2)), 'three');`,
      );
      const got = await select(s, `SELECT * FROM rc.${DB}.t`);
      expect(got.names).toEqual(['id', 'extra', 'v', 'amount', 'label']);
      expect(got.types).toEqual(['BIGINT NOT NULL', 'STRING', 'DOUBLE', 'DECIMAL(14, 2)', 'STRING']);
      expect(got.rows).toEqual(EXPECTED);
    });

    const py = await readIcebergTable({ kind: 'rest', uri: rest().uri }, `${DB}.t`);
    expect(py.columns).toEqual(['id', 'extra', 'v', 'amount', 'label']);
    expect(py.schema['schema-id']).toBe(4);
    expect(py.rows.map((r) => r.map((v) => (v === null ? '<NULL>' : String(v))).join(',')).sort()).toEqual(EXPECTED);
  }, 120_000);

  it('two ALTERs at once: the server answers the stale one 409 (assert-current-schema-id) and it lands after a reload', async () => {
    const before = relay.seen.length;
    relay.gatherCommits(2);
    await Promise.all([
      session((s) => exec(s, `${cat()}; ALTER TABLE rc.${DB}.t ADD (c1 INT)`)),
      session((s) => exec(s, `${cat()}; ALTER TABLE rc.${DB}.t ADD (c2 STRING)`)),
    ]);
    const commits = commitsSince(before, 't');
    expect(commits.map((c) => c.status).sort()).toEqual([200, 200, 409]);
    const refused = commits.find((c) => c.status === 409)!;
    expect(refused.body.requirements).toContainEqual({ type: 'assert-current-schema-id', 'current-schema-id': 4 });
    const retried = commits.filter((c) => c.status === 200).find((c) => c.body.requirements.some((r) => r['current-schema-id'] === 5))!;
    expect(retried.body.updates[0]).toMatchObject({ 'last-column-id': 8 });
    const py = await readIcebergTable({ kind: 'rest', uri: rest().uri }, `${DB}.t`);
    expect(py.columns.slice(0, 5)).toEqual(['id', 'extra', 'v', 'amount', 'label']);
    expect(py.columns.slice(5).sort()).toEqual(['c1', 'c2']);
    expect(py.schema['schema-id']).toBe(6);
    // Dropping both gives schema 4's fields again: as Iceberg's TableMetadata.Builder, schema 4 is
    // made current again (set-current-schema 4), not added a second time.
    const n = relay.seen.length;
    await session((s) => exec(s, `${cat()}; ALTER TABLE rc.${DB}.t DROP (c1, c2)`));
    expect(commitsSince(n, 't').map((c) => [c.status, c.body.updates])).toEqual([[200, [{ action: 'set-current-schema', 'schema-id': 4 }]]]);
    const back = await readIcebergTable({ kind: 'rest', uri: rest().uri }, `${DB}.t`);
    expect(back.schema['schema-id']).toBe(4);
    expect(back.columns).toEqual(['id', 'extra', 'v', 'amount', 'label']);
  }, 120_000);

  it.skipIf(!hasPeer('flink'))('Flink 1.20 reads the evolved table through the same server, older files by field id', async () => {
    const flink = peer<FlinkEndpoint>('flink');
    const [, , back] = await runOnFlink(
      [`CREATE CATALOG rc WITH ('type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = '${rest().uri}')`, `USE CATALOG rc`, `SELECT * FROM ${DB}.t`],
      { flink, properties: { 'execution.runtime-mode': 'batch' } },
    );
    expect(back.columns.map((c) => `${c.name} ${c.type}`)).toEqual(['id BIGINT NOT NULL', 'extra STRING', 'v DOUBLE', 'amount DECIMAL(14, 2)', 'label STRING']);
    expect(back.rows.map((r) => r.text.join(',')).sort()).toEqual(EXPECTED);
  }, 240_000);

  it('RENAME TO is the rename endpoint: the table answers to its new name, with its rows and schema', async () => {
    await session(async (s) => {
      await exec(s, `${cat()}; CREATE TABLE rc.${DB}.other (a INT)`);
      const before = relay.seen.length;
      await exec(s, `ALTER TABLE rc.${DB}.t RENAME TO u`);
      const renames = relay.seen.slice(before).filter((x) => x.method === 'POST' && x.path.endsWith('/tables/rename'));
      expect(renames.map((x) => [x.status, JSON.parse(x.body!)])).toEqual([
        [200, { source: { namespace: [DB], name: 't' }, destination: { namespace: [DB], name: 'u' } }],
      ]);
      const shown = await s.executeAll(`SHOW TABLES FROM rc.${DB}`);
      if (shown[0].kind !== 'table') throw new Error('not a table');
      expect(shown[0].rows.map((r) => r[0]).sort()).toEqual(['other', 'u']);
      await exec(s, "SET 'execution.runtime-mode' = 'batch'");
      expect((await select(s, `SELECT * FROM rc.${DB}.u`)).rows).toEqual(EXPECTED);
      await expect(s.executeAll(`SELECT * FROM rc.${DB}.t`)).rejects.toThrow(/Object 't' not found/);
      await expect(s.executeAll(`ALTER TABLE rc.${DB}.u RENAME TO other`)).rejects.toThrow(`Table ${DB}.other already exists`);
      await expect(s.executeAll(`ALTER TABLE rc.${DB}.u RENAME TO other_db.w`)).rejects.toThrow(/keeps a table in its database/);
    });
    const py = await readIcebergTable({ kind: 'rest', uri: rest().uri }, `${DB}.u`);
    expect(py.rows.map((r) => r.map((v) => (v === null ? '<NULL>' : String(v))).join(',')).sort()).toEqual(EXPECTED);
    expect(py.schema['identifier-field-ids']).toEqual([1]);
  }, 120_000);
});
