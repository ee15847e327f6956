// DESCRIBE JOB '<id>' and SHOW USER FUNCTIONS in a session.
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';
import { parseStatement, printStatement } from '../../src/parser/index.js';

describe('DESCRIBE JOB', () => {
  it('parses and prints back', () => {
    expect(printStatement(parseStatement("DESCRIBE JOB 'abc'"))).toBe("DESCRIBE JOB 'abc'");
    expect(parseStatement('DESCRIBE job').kind).toBe('describe'); // a table named job
  });

  it("shows a session job's id, name, status and start time", async () => {
    const input = memoryChannel('describe-job-in');
    input.push([['a']]);
    input.end();
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE src (s STRING) WITH ('connector' = 'memory', 'channel' = 'describe-job-in', 'bounded' = 'true');
      CREATE TABLE snk (s STRING) WITH ('connector' = 'blackhole');
      SET 'pipeline.name' = 'described';
      INSERT INTO snk SELECT s FROM src;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    await r.job.run();
    const d = await session.executeAll(`DESCRIBE JOB '${r.job.id}';`);
    const t = d[0];
    if (t.kind !== 'table') throw new Error('expected a table');
    expect(t.columns.map((c) => c.name)).toEqual(['job id', 'job name', 'status', 'start time']);
    expect(t.rows[0].slice(0, 3)).toEqual([r.job.id, 'described', 'FINISHED']);
    await expect(session.executeAll("DESCRIBE JOB 'no-such-job';")).rejects.toThrow(/No job 'no-such-job'/);
    await session.close();
  });
});
