// A table partitioned by day(ts), bucket[16](id) and truncate[4](s), created by Iceberg's REST
// server and written by Flink 1.20's Iceberg sink (Iceberg Java computes the partition values):
// tsstream prunes its files by those values (day(ts) too: TIMESTAMP literals are pushed into the
// scan) and logs how many data files it skipped.
// pyiceberg as the writer of such a table: pyiceberg-partitions.test.ts.
import { expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { hasPeer, peer, requirePeers } from '../peers/index.js';
import { createDayBucketTruncateTable, type IcebergRestEndpoint } from '../peers/iceberg-rest.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { runOnFlink } from '../peers/flink-client.js';

const ready = requirePeers('iceberg-rest');
const DB = `prune_${Date.now().toString(36)}`;

it.skipIf(!ready || !hasPeer('flink'))('prunes the files of a day/bucket[16]/truncate[4] table Flink wrote; the skipped files are logged', async () => {
  const rest = peer<IcebergRestEndpoint>('iceberg-rest');
  await createDayBucketTruncateTable(rest.uri, DB);
  await runOnFlink(
    [
      `CREATE CATALOG rc WITH ('type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = '${rest.uri}')`,
      `INSERT INTO rc.${DB}.t VALUES (1, TIMESTAMP '2025-12-29 10:00:00', 'alpha'), (2, TIMESTAMP '2025-12-29 23:59:59', 'alpine'), (3, TIMESTAMP '2025-12-30 00:00:00', 'beta'), (34, TIMESTAMP '2024-02-29 12:00:00', 'gamma'), (35, TIMESTAMP '1969-12-31 23:00:00', 'delta')`,
    ],
    { flink: peer<FlinkEndpoint>('flink'), properties: { 'execution.runtime-mode': 'batch' } },
  );
  const logs: string[] = [];
  const s = new Session({ log: (_level, line) => logs.push(line) });
  const rowsOf = async (sql: string) => {
    const res = await s.executeAll(sql);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error('not a query');
    return collectQuery(q);
  };
  const query = async (where: string) => {
    logs.length = 0;
    const ids = (await rowsOf(`SELECT id FROM rc.${DB}.t WHERE ${where}`)).map((r) => Number(r[0])).sort((a, b) => a - b);
    return { ids, log: logs.find((l) => l.includes('data files')) ?? logs.join('\n') };
  };
  try {
    await s.executeAll(`CREATE CATALOG rc WITH ('type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = '${rest.uri}'); SET 'execution.runtime-mode' = 'batch';`);
    // Flink's partition values: id 34 is bucket 3 (the spec's example), 'alpine' truncates to 'alph'.
    const parts = (await rowsOf(`SELECT \`partition\` FROM rc.${DB}.\`t$files\``)).map((r) => JSON.stringify(r[0]));
    expect(parts).toHaveLength(5);
    expect(parts.some((p) => p.includes('"alph"'))).toBe(true);
    expect(await query('id = 34')).toEqual({ ids: [34], log: expect.stringMatching(/reading 1 of 5 data files \(4 skipped/) });
    expect(await query("s = 'alpine'")).toEqual({ ids: [2], log: expect.stringMatching(/reading \d of 5 data files/) });
    expect((await query("s = 'alpine'")).log).not.toMatch(/reading 5 of 5/);
    // A TIMESTAMP literal (widened to the column's precision) is pushed into the scan: day(ts) and
    // the ts bounds leave the two files of 2025-12-29, and one file from 2025-12-30 on.
    expect(await query("ts >= TIMESTAMP '2025-12-29 00:00:00' AND ts < TIMESTAMP '2025-12-30 00:00:00'")).toEqual({ ids: [1, 2], log: expect.stringMatching(/reading 2 of 5 data files \(3 skipped/) });
    expect(await query("ts >= TIMESTAMP '2025-12-30 00:00:00'")).toEqual({ ids: [3], log: expect.stringMatching(/reading 1 of 5 data files \(4 skipped/) });
  } finally {
    await s.close();
  }
}, 240_000);
