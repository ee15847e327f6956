// A table partitioned by day(ts), bucket[16](id) and truncate[4](s), both ways between tsstream
// and pyiceberg (with pyiceberg-core, whose Rust transforms pyiceberg uses for bucket/day/truncate),
// through Iceberg's REST catalog server:
// - pyiceberg writes it; tsstream reads the same rows, sees pyiceberg's partition values in
//   `$files` and prunes by them (the skipped files are logged);
// - tsstream writes it; pyiceberg reads the same rows, the partition tuple of every data file is
//   the one pyiceberg's own transforms give for the row in it, and pyiceberg prunes by them.
import { expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { peer, requirePeers } from '../peers/index.js';
import { createDayBucketTruncateTable, type IcebergRestEndpoint } from '../peers/iceberg-rest.js';
import { readIcebergTable, writeIcebergTable } from '../peers/pyiceberg.js';

const ready = requirePeers('iceberg-rest', 'pyiceberg');
const DB = `pyparts_${Date.now().toString(36)}`;

// One row per partition: each data file holds one row. 'bé🐇xy' truncates to four code points.
const ROWS: [number | null, string | null, string | null][] = [
  [1, '2025-12-29T10:00:00.000000', 'alpha'],
  [2, '2025-12-29T23:59:59.999999', 'alpine'],
  [3, '2025-12-30T00:00:00.000000', 'bé🐇xy'],
  [34, '2024-02-29T12:00:00.000000', 'gamma'],
  [35, '1969-12-31T23:00:00.000000', 'delta'],
  [36, null, null],
];
const DAY = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
/** The partition tuples [ts_day, id_bucket, s_trunc] the Iceberg spec gives for ROWS. */
const EXPECTED_PARTS = [
  [DAY('2025-12-29'), 4, 'alph'],
  [DAY('2025-12-29'), 4, 'alpi'],
  [DAY('2025-12-30'), 3, 'bé🐇x'],
  [DAY('2024-02-29'), 3, 'gamm'], // bucket[16] of 34 is 3: the spec's example
  [-1, 5, 'delt'],
  [null, 14, null],
];

const sqlRows = ROWS.map(
  ([id, ts, s]) => `(CAST(${id} AS BIGINT), ${ts ? `TIMESTAMP '${ts.replace('T', ' ')}'` : 'CAST(NULL AS TIMESTAMP(6))'}, ${s ? `'${s}'` : 'CAST(NULL AS STRING)'})`,
);

function session() {
  const logs: string[] = [];
  const s = new Session({ log: (_level, line) => logs.push(line) });
  const rowsOf = async (sql: string) => {
    const res = await s.executeAll(sql);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error('not a query');
    return collectQuery(q);
  };
  /** The ids a filtered scan returns and the line that says how many data files it read. */
  const query = async (table: string, where: string) => {
    logs.length = 0;
    const ids = (await rowsOf(`SELECT id FROM ${table} WHERE ${where}`)).map((r) => Number(r[0])).sort((a, b) => a - b);
    return { ids, log: logs.find((l) => l.includes('data files')) ?? logs.join('\n') };
  };
  return { s, rowsOf, query };
}

const canon = (v: unknown) => JSON.stringify(v);
const byId = (a: unknown[], b: unknown[]) => Number(a[0]) - Number(b[0]);

it.skipIf(!ready)('pyiceberg writes a day/bucket[16]/truncate[4] table; tsstream reads its rows and partition values and prunes by them', async () => {
  const rest = peer<IcebergRestEndpoint>('iceberg-rest');
  const catalog = { kind: 'rest' as const, uri: rest.uri };
  await writeIcebergTable(catalog, `${DB}.from_py`, {
    columns: [
      { name: 'id', type: 'long' },
      { name: 'ts', type: 'timestamp' },
      { name: 's', type: 'string' },
    ],
    partitionBy: [
      { column: 'ts', transform: 'day' },
      { column: 'id', transform: 'bucket[16]' },
      { column: 's', transform: 'truncate[4]' },
    ],
    rows: ROWS,
  });
  const py = await readIcebergTable(catalog, `${DB}.from_py`);
  expect(py.files.map((f) => canon(f.partition)).sort()).toEqual(EXPECTED_PARTS.map(canon).sort());
  const { s, rowsOf, query } = session();
  const table = `rc.${DB}.from_py`;
  try {
    await s.executeAll(`CREATE CATALOG rc WITH ('type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = '${rest.uri}'); SET 'execution.runtime-mode' = 'batch';`);
    const ours = (await rowsOf(`SELECT id, CAST(ts AS STRING), s FROM ${table}`)).map((r) => [Number(r[0]), r[1] === null ? null : String(r[1]).replace(' ', 'T'), r[2]]);
    expect(ours.sort(byId)).toEqual(ROWS.map((r) => [r[0], r[1], r[2]]).sort(byId));
    // The partition values tsstream reads from pyiceberg's manifests are pyiceberg's.
    // (the partition ROW in spec order: ts_day as days since the epoch, id_bucket, s_truncate).
    const parts = (await rowsOf(`SELECT \`partition\` FROM rc.${DB}.\`from_py$files\``)).map((r) => canon(r[0]));
    expect(parts.sort()).toEqual(EXPECTED_PARTS.map(canon).sort());
    // Pruning by those values: bucket, truncate, day (TIMESTAMP literals are pushed into the scan).
    expect(await query(table, 'id = 34')).toEqual({ ids: [34], log: expect.stringMatching(/reading 1 of 6 data files \(5 skipped/) });
    expect(await query(table, "s = 'bé🐇xy'")).toEqual({ ids: [3], log: expect.stringMatching(/reading 1 of 6 data files \(5 skipped/) });
    expect(await query(table, "ts >= TIMESTAMP '2025-12-29 00:00:00' AND ts < TIMESTAMP '2025-12-30 00:00:00'")).toEqual({
      ids: [1, 2],
      log: expect.stringMatching(/reading 2 of 6 data files \(4 skipped/),
    });
    expect(await query(table, 'id IS NULL OR s IS NULL')).toMatchObject({ ids: [36] });
  } finally {
    await s.close();
  }
}, 180_000);

it.skipIf(!ready)('tsstream writes a day/bucket[16]/truncate[4] table created by the REST server; pyiceberg reads the same rows and partition values', async () => {
  const rest = peer<IcebergRestEndpoint>('iceberg-rest');
  await createDayBucketTruncateTable(rest.uri, `${DB}_ts`);
  const { s } = session();
  try {
    await s.executeAll(`CREATE CATALOG rc WITH ('type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = '${rest.uri}'); SET 'execution.runtime-mode' = 'batch';`);
    for (const r of await s.executeAll(`INSERT INTO rc.${DB}_ts.t VALUES ${sqlRows.join(', ')}`)) if (r.kind === 'job') await r.job.run();
  } finally {
    await s.close();
  }
  const catalog = { kind: 'rest' as const, uri: rest.uri };
  const py = await readIcebergTable(catalog, `${DB}_ts.t`, { partitionOfRows: true });
  expect(py.rows.map((r) => [Number(r[0]), r[1], r[2]]).sort(byId)).toEqual(ROWS.map((r) => [r[0], r[1], r[2]]).sort(byId));
  // Every file holds one row; its partition tuple (from tsstream's manifest) is what pyiceberg's
  // transforms compute for the rows, and what the spec gives.
  expect(py.files.map((f) => f.recordCount)).toEqual(ROWS.map(() => 1));
  const fromManifests = py.files.map((f) => canon(f.partition)).sort();
  expect(fromManifests).toEqual(py.rowPartitions.map(canon).sort());
  expect(fromManifests).toEqual(EXPECTED_PARTS.map(canon).sort());
  // pyiceberg prunes by them: bucket and truncate projections, and day.
  expect((await readIcebergTable(catalog, `${DB}_ts.t`, { rowFilter: 'id == 34' })).filesScanned).toBe(1);
  expect((await readIcebergTable(catalog, `${DB}_ts.t`, { rowFilter: "s == 'alpine'" })).filesScanned).toBe(1);
  const oneDay = await readIcebergTable(catalog, `${DB}_ts.t`, { rowFilter: "ts >= '2025-12-29T00:00:00' and ts < '2025-12-30T00:00:00'" });
  expect({ files: oneDay.filesScanned, ids: oneDay.rows.map((r) => Number(r[0])).sort((a, b) => a - b) }).toEqual({ files: 2, ids: [1, 2] });
}, 180_000);
