// Shared by the parallelism tests: the bench's Nexmark table and views, and a query run at a
// given parallelism.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, collectQuery } from '../../src/cli/session.js';
import type { Row } from '../../src/common/types.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The bench's Nexmark table (`events` events, as fast as they generate) and its views (bid, …). */
export function nexmarkDdl(events: number): string {
  return [
    readFileSync(path.join(root, 'bench/nexmark/ddl_gen.sql'), 'utf8').replace("'${TPS}'", "'10000000'").replace("'${TPS}'", "'10000000'").replace('${EVENTS_NUM}', String(events)),
    readFileSync(path.join(root, 'bench/nexmark/ddl_views.sql'), 'utf8').replaceAll('${NEXMARK_TABLE}', 'datagen'),
  ].join(';\n');
}

/** The rows of `sql` (after `ddl`) at `parallelism`; the session's log lines go to `logs`. */
export async function selectAt(parallelism: number, ddl: string, sql: string, logs: string[] = []): Promise<Row[]> {
  const session = new Session({ log: (_l, m) => logs.push(m), config: { 'parallelism.default': String(parallelism) } });
  try {
    const res = await session.executeAll(`${ddl};\n${sql}`);
    const q = res.at(-1)!;
    if (q.kind !== 'query') throw new Error('not a query');
    return await collectQuery(q);
  } finally {
    await session.close();
  }
}
