// JavaScript user-defined functions belong to the session (and its jobs) that created them: two
// sessions of one process may define the same name differently, run their jobs at the same time,
// and neither sees the other's function.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, collectQuery } from '../../src/cli/session.js';

const dir = path.relative(process.cwd(), path.join(path.dirname(fileURLToPath(import.meta.url)), 'udf'));

async function start(session: Session, sql: string) {
  const res = await session.executeAll(sql);
  const q = res[res.length - 1];
  if (q.kind !== 'query') throw new Error('expected a query');
  return q;
}

describe('user-defined function scope', () => {
  it('keeps a function to the session that created it and to its jobs', async () => {
    const a = new Session({ log: () => {} });
    const b = new Session({ log: () => {} });
    const c = new Session({ log: () => {} });
    try {
      await a.executeAll(`CREATE FUNCTION f AS '${dir}/greet.js' LANGUAGE JAVASCRIPT;`);
      // The same name in another session is no conflict.
      await b.executeAll(`CREATE FUNCTION f AS '${dir}/shout.js' LANGUAGE JAVASCRIPT;`);
      const T = `FROM (VALUES ('ann', 1), ('bo', 2)) AS t(n, k)`;
      for (const mode of ['batch', 'streaming']) {
        const qa = await start(a, `SET 'execution.runtime-mode' = '${mode}'; SELECT f(n, k) AS g ${T};`);
        const qb = await start(b, `SET 'execution.runtime-mode' = '${mode}'; SELECT f(n, k) AS g ${T};`);
        // Both jobs built; they run at the same time.
        const [ra, rb] = await Promise.all([collectQuery(qa), collectQuery(qb)]);
        expect(ra.map((r) => r[0]).sort()).toEqual(['hello ann!', 'hello bo!!']);
        expect(rb.map((r) => r[0]).sort()).toEqual(['ANN?', 'BO??']);
      }
      // A session that defined nothing sees neither.
      await expect(c.executeAll(`SELECT f('x', 1) AS g;`)).rejects.toThrow(/f/i);
      expect((await c.executeAll('SHOW USER FUNCTIONS;').catch(() => c.executeAll('SHOW FUNCTIONS;'))).flatMap((r) => (r.kind === 'table' ? r.rows.map((x) => String(x[0])) : []))).not.toContain('f');
      // Dropping it in one session leaves the other's.
      await a.executeAll('DROP FUNCTION f;');
      const qb = await start(b, `SELECT f('cy', 0) AS g;`);
      expect((await collectQuery(qb)).map((r) => r[0])).toEqual(['CY']);
      await expect(a.executeAll(`SELECT f('x', 1) AS g;`)).rejects.toThrow(/f/i);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
