// Source reuse (table.optimizer.reuse-source-enabled): scans of one table in one job are one read.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { dropMemoryChannel, memoryChannel } from '../../src/connectors/memory/index.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

async function explain(sql: string, config: Record<string, string> = {}): Promise<string> {
  const s = new Session({ log: () => {}, config });
  try {
    const res = await s.executeAll(sql);
    const r = res[res.length - 1];
    if (r.kind !== 'explain') throw new Error('expected an explain');
    return r.text.slice(r.text.indexOf('== Optimized Physical Plan =='));
  } finally {
    await s.close();
  }
}

const count = (text: string, re: RegExp) => text.match(new RegExp(re, 'g'))?.length ?? 0;

const TABLES = `
  CREATE TABLE ev (kind INT, k STRING, n INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
    WITH ('connector' = 'memory', 'channel' = 'reuse-ev', 'bounded' = 'true');
  CREATE VIEW a AS SELECT k, n, ts FROM ev WHERE kind = 0;
  CREATE VIEW b AS SELECT k, n, ts FROM ev WHERE kind = 1;
  CREATE TABLE out1 (k STRING, x INT, y INT) WITH ('connector' = 'memory', 'channel' = 'reuse-out1');
  CREATE TABLE out2 (k STRING, n INT) WITH ('connector' = 'memory', 'channel' = 'reuse-out2');`;

describe('one read of a table for all its scans in a job', () => {
  it('EXPLAIN prints the shared scan once (reuse_id) and Reused where the other readers read it, as Flink', async () => {
    const join = await explain(`${TABLES} EXPLAIN INSERT INTO out1 SELECT a.k, a.n, b.n FROM a JOIN b ON a.k = b.k;`);
    expect(count(join, /TableSourceScan\(/)).toBe(1);
    expect(join).toMatch(/TableSourceScan\(table=\[\[default_catalog\.default_database\.ev\]\].*\)\(reuse_id=\[1\]\)/);
    expect(join).toContain('+- Reused(reference_id=[1])');
    // The readers' filters stay in their Calcs; the memory source prunes nothing, so none is pushed into the shared scan.
    expect(join).toContain('where=[(kind = 0)]');
    expect(join).toContain('where=[(kind = 1)]');
    expect(join).not.toContain('filter=[');

    // The INSERTs of a statement set share it too.
    const set = await explain(`${TABLES} EXPLAIN STATEMENT SET BEGIN INSERT INTO out2 SELECT k, n FROM a; INSERT INTO out2 SELECT k, n FROM b; END;`);
    expect(count(set, /TableSourceScan\(/)).toBe(1);
    expect(count(set, /Reused\(reference_id=\[1\]\)/)).toBe(1);

    const off = await explain(`${TABLES} EXPLAIN INSERT INTO out1 SELECT a.k, a.n, b.n FROM a JOIN b ON a.k = b.k;`, { 'table.optimizer.reuse-source-enabled': 'false' });
    expect(count(off, /TableSourceScan\(/)).toBe(2);
    expect(off).not.toContain('Reused');
  });

  it('a source that prunes with its pushed-down filters (filesystem) is shared only by scans with the same filters, as Flink', async () => {
    const ddl = `CREATE TABLE f (p INT, v STRING) WITH ('connector' = 'filesystem', 'path' = '/nonexistent', 'format' = 'json');`;
    const other = await explain(`${ddl} EXPLAIN SELECT x.v, y.v FROM (SELECT * FROM f WHERE p = 1) x JOIN (SELECT * FROM f WHERE p = 2) y ON x.v = y.v;`);
    expect(count(other, /TableSourceScan\(/)).toBe(2);
    expect(other).toContain('filter=[p = 1]');
    expect(other).toContain('filter=[p = 2]');
    const same = await explain(`${ddl} EXPLAIN SELECT x.v, y.v FROM (SELECT * FROM f WHERE p = 1) x JOIN (SELECT * FROM f WHERE p = 1) y ON x.v = y.v;`);
    // The same filters: one scan, and the equal Calcs over it are one sub-plan.
    expect(count(same, /TableSourceScan\(.*filter=\[p = 1\]/)).toBe(1);
    expect(same).toMatch(/Calc\(.*\)\(reuse_id=\[1\]\)/);
    expect(same).toContain('Reused(reference_id=[1])');
  });

  it('feeds every reader from one read: the same rows as two reads, half the records in', async () => {
    const rows = [
      [0, 'x', 1, 1000],
      [1, 'x', 10, 2000],
      [0, 'y', 2, 3000],
      [1, 'x', 20, 4000],
      [1, 'z', 30, 5000],
    ];
    const run = async (config: Record<string, string>) => {
      for (const c of ['reuse-ev', 'reuse-out1', 'reuse-out2']) dropMemoryChannel(c);
      memoryChannel('reuse-ev').push(rows.map(([kind, k, n, ms]) => [kind, k, n, (ms as number) * 1000]));
      memoryChannel('reuse-ev').end();
      const s = new Session({ log: () => {}, config });
      try {
        const res = await s.executeAll(`${TABLES}
          EXECUTE STATEMENT SET BEGIN
            INSERT INTO out1 SELECT a.k, a.n, b.n FROM a JOIN b ON a.k = b.k;
            INSERT INTO out2 SELECT k, n FROM b WHERE n > 10;
          END;`);
        const r = res[res.length - 1];
        if (r.kind !== 'job') throw new Error('expected a job');
        const result = await r.job.run();
        const text = (c: string) => memoryChannel(c).written.map((row) => row.join(' ')).sort();
        return { recordsIn: result.metrics.recordsIn, out1: text('reuse-out1'), out2: text('reuse-out2') };
      } finally {
        await s.close();
      }
    };
    const shared = await run({});
    const apart = await run({ 'table.optimizer.reuse-source-enabled': 'false' });
    expect(shared.out1).toEqual(['x 1 10', 'x 1 20']);
    expect(shared.out2).toEqual(['x 20', 'z 30']);
    expect(apart.out1).toEqual(shared.out1);
    expect(apart.out2).toEqual(shared.out2);
    expect(shared.recordsIn).toBe(5);
    expect(apart.recordsIn).toBe(15);
  });

  it('computes an equal sub-plan once for its readers (Nexmark q5: the same HOP count on both sides of a join), not one calling a function that is not deterministic', async () => {
    const q = `SELECT a.k, a.c FROM (SELECT k, COUNT(*) AS c FROM ev GROUP BY k) a
      JOIN (SELECT MAX(c) AS m FROM (SELECT k, COUNT(*) AS c FROM ev GROUP BY k)) b ON a.c = b.m`;
    const shared = await explain(`${TABLES} EXPLAIN ${q};`);
    expect(count(shared, /GroupAggregate\(groupBy=\[k\]/)).toBe(1);
    expect(shared).toMatch(/GroupAggregate\(groupBy=\[k\].*\)\(reuse_id=\[1\]\)/);
    expect(shared).toContain('Reused(reference_id=[1])');
    const off = await explain(`${TABLES} EXPLAIN ${q};`, { 'table.optimizer.reuse-sub-plan-enabled': 'false' });
    expect(count(off, /GroupAggregate\(groupBy=\[k\]/)).toBe(2);
    const rand = await explain(`${TABLES} EXPLAIN SELECT x.r FROM (SELECT k, RAND() AS r FROM ev) x JOIN (SELECT k, RAND() AS r FROM ev) y ON x.k = y.k;`);
    expect(count(rand, /Calc\(select=\[k, RAND\(\) AS r\]\)/)).toBe(2);

    const rows = [['x', 1], ['x', 2], ['y', 3], ['z', 4], ['z', 5]];
    const run = async (config: Record<string, string>) => {
      for (const c of ['reuse-ev', 'reuse-out2']) dropMemoryChannel(c);
      memoryChannel('reuse-ev').push(rows.map(([k, n]) => [0, k, n, 1000]));
      memoryChannel('reuse-ev').end();
      const s = new Session({ log: () => {}, config });
      try {
        const res = await s.executeAll(`${TABLES} INSERT INTO out2 SELECT k, CAST(c AS INT) FROM (${q});`);
        const r = res[res.length - 1];
        if (r.kind !== 'job') throw new Error('expected a job');
        await r.job.run();
        // The final table the changelog leaves.
        const { rowKindOf } = await import('../../src/common/types.js');
        const table: string[] = [];
        for (const row of memoryChannel('reuse-out2').written) {
          const t = row.join(' ');
          if (rowKindOf(row) === '+I' || rowKindOf(row) === '+U') table.push(t);
          else table.splice(table.indexOf(t), 1);
        }
        return table.sort();
      } finally {
        await s.close();
      }
    };
    expect(await run({})).toEqual(['x 2', 'z 2']);
    expect(await run({ 'table.optimizer.reuse-sub-plan-enabled': 'false' })).toEqual(['x 2', 'z 2']);
  });

  /**
   * A savepoint taken with `option` false (each scan / equal sub-plan on its own) is refused by the
   * same job with sharing on, with `refusal`, and resumes with `option` false again.
   */
  async function refusedUntilOptionOff(channel: string, columns: string, select: string, option: string, refusal: RegExp) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tsstream-reuse-'));
    dirs.push(dir);
    dropMemoryChannel(channel);
    const ch = memoryChannel(channel);
    const ddl = `
      CREATE TABLE s (k STRING, n INT) WITH ('connector' = 'memory', 'channel' = '${channel}', 'bounded' = 'true');
      CREATE TABLE o (${columns}) WITH ('connector' = 'memory', 'channel' = '${channel}-out');
      INSERT INTO o ${select};`;
    const start = async (config: Record<string, string>) => {
      const session = new Session({ log: () => {}, config });
      const res = await session.executeAll(ddl);
      const r = res[res.length - 1];
      if (r.kind !== 'job') throw new Error('expected a job');
      return { session, job: r.job };
    };
    const first = await start({ [option]: 'false' });
    const running = first.job.run();
    ch.push([['a', 1], ['a', 2]]);
    await first.job.opened;
    const sp = await first.job.triggerSavepoint(dir);
    first.job.cancel();
    await running;
    await first.session.close();

    const shared = await start({ 'execution.savepoint.path': sp });
    await expect(shared.job.run()).rejects.toThrow(refusal);
    await shared.session.close();

    ch.push([['a', 3]]);
    ch.end();
    const apart = await start({ 'execution.savepoint.path': sp, [option]: 'false' });
    expect((await apart.job.run()).status).toBe('FINISHED');
    await apart.session.close();
  }

  it('a savepoint taken while each scan read on its own is refused by a job that shares the scan, naming the option that resumes it', async () => {
    await refusedUntilOptionOff(
      'reuse-sp',
      'k STRING, x INT, y INT',
      'SELECT a.k, a.n, b.n FROM s a JOIN s b ON a.k = b.k AND a.n < b.n',
      'table.optimizer.reuse-source-enabled',
      /taken when each scan of default_catalog\.default_database\.s read it on its own.*SET 'table\.optimizer\.reuse-source-enabled' = 'false'/,
    );
  });

  it('a savepoint taken while each equal sub-plan had its own state is refused by a job that computes it once, naming the option that resumes it', async () => {
    await refusedUntilOptionOff(
      'reuse-sub-sp',
      'k STRING, x BIGINT, y BIGINT',
      'SELECT a.k, a.c, b.c FROM (SELECT k, COUNT(*) AS c FROM s GROUP BY k) a JOIN (SELECT k, COUNT(*) AS c FROM s GROUP BY k) b ON a.k = b.k',
      'table.optimizer.reuse-sub-plan-enabled',
      /taken when each equal sub-plan of this job \(GroupAggregate\) had its own state.*SET 'table\.optimizer\.reuse-sub-plan-enabled' = 'false'/,
    );
  });
});
