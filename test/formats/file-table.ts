// A throw-away folder for files a test writes, and a batch SELECT of `t (n INT, s STRING)` read
// from one of them with the filesystem connector in a given format.
import { afterAll, beforeAll } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session, collectQuery } from '../../src/cli/session.js';

/** The folder's path once `beforeAll` has run; removed in `afterAll`. */
export function tempDirFixture(prefix: string): { readonly dir: string } {
  const box = { dir: '' };
  beforeAll(async () => {
    box.dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterAll(async () => {
    await fs.rm(box.dir, { recursive: true, force: true });
  });
  return box;
}

/** `SELECT n, s FROM t` in batch mode, `t` being `file` in `format` with `extra` options (", 'k' = 'v'"). */
export async function queryFile(file: string, format: string, extra = ''): Promise<unknown[][]> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(`
      SET 'execution.runtime-mode' = 'batch';
      CREATE TABLE t (n INT, s STRING) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = '${format}'${extra});
      SELECT n, s FROM t;`);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error('expected a query');
    return await collectQuery(q);
  } finally {
    await session.close();
  }
}

/** A RegExp matching `file` literally, followed by `rest` (a pattern). */
export function fileThen(file: string, rest: string): RegExp {
  return new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}${rest}`);
}
