// The changelog formats on the filesystem connector: a folder of Debezium / Canal lines read as a
// changelog into a GROUP BY (streaming), and refused in batch mode as Flink refuses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';
import { rowKindOf, type Row } from '../../src/common/types.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-cdc-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(sql: string, channel: string, config: Record<string, string> = {}): Promise<Row[]> {
  const session = new Session({ log: () => {} });
  try {
    for (const [k, v] of Object.entries(config)) await session.executeAll(`SET '${k}' = '${v}';`);
    const res = await session.executeAll(sql);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    await r.job.run();
    return memoryChannel(channel).written;
  } finally {
    await session.close();
  }
}

const show = (rows: Row[]) => rows.map((r) => `${rowKindOf(r)}(${r.join(', ')})`);

describe('changelog formats on the filesystem connector', () => {
  it('reads debezium-json lines as changes into a GROUP BY', async () => {
    const folder = path.join(dir, 'dbz');
    mkdirSync(folder);
    const ev = (op: string, before: object | null, after: object | null) => JSON.stringify({ before, after, op });
    writeFileSync(
      path.join(folder, 'part-0.json'),
      [
        ev('c', null, { id: 1, category: 'toys' }),
        ev('c', null, { id: 2, category: 'toys' }),
        ev('u', { id: 1, category: 'toys' }, { id: 1, category: 'tools' }),
        '',
        ev('d', { id: 2, category: 'toys' }, null),
      ].join('\n') + '\n',
    );
    const rows = await run(
      `CREATE TABLE p (id INT, category STRING) WITH ('connector' = 'filesystem', 'path' = '${folder}', 'format' = 'debezium-json');
       CREATE TABLE out (category STRING, n BIGINT) WITH ('connector' = 'memory', 'channel' = 'cdc-files-1');
       INSERT INTO out SELECT category, COUNT(*) FROM p GROUP BY category;`,
      'cdc-files-1',
    );
    expect(show(rows)).toEqual(['+I(toys, 1)', '-U(toys, 1)', '+U(toys, 2)', '-U(toys, 2)', '+U(toys, 1)', '+I(tools, 1)', '-D(toys, 1)']);
  });

  it('names the file and line of a corrupt canal-json record, and is refused in batch mode', async () => {
    const folder = path.join(dir, 'canal');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a.json'), `${JSON.stringify({ data: [{ id: '1' }], type: 'INSERT' })}\n${JSON.stringify({ data: [{ id: '1' }], type: 'TRUNCATE' })}\n`);
    const ddl = `CREATE TABLE p (id INT) WITH ('connector' = 'filesystem', 'path' = '${folder}', 'format' = 'canal-json');
       CREATE TABLE out (id INT) WITH ('connector' = 'memory', 'channel' = 'cdc-files-2');
       INSERT INTO out SELECT id FROM p;`;
    await expect(run(ddl, 'cdc-files-2')).rejects.toThrow(/Corrupt Canal JSON message .* at \S*a\.json:2: unknown "type" value "TRUNCATE"/);
    await expect(run(ddl, 'cdc-files-2', { 'execution.runtime-mode': 'batch' })).rejects.toThrow(/only possible for INSERT-only table sources/);
  });
});
