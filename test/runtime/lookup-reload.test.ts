// A lookup table read whole ('filesystem', 'iceberg') is read again on the period of
// 'lookup.full-cache.periodic-reload.interval' (Flink's FULL lookup cache, PERIODIC reload): rows
// joined after a reload see the file's new content, rows joined before keep what they saw.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

function lookupJob(dimPath: string, reload: string, channel: string) {
  return `
    CREATE TABLE orders (id INT, cust INT, pt AS PROCTIME()) WITH ('connector' = 'memory', 'channel' = '${channel}-in');
    CREATE TABLE customers (cust INT, name STRING, tier STRING) WITH (
      'connector' = 'filesystem', 'path' = '${dimPath}', 'format' = 'json'${reload});
    CREATE TABLE enriched (id INT, name STRING) WITH ('connector' = 'memory', 'channel' = '${channel}-out');
    INSERT INTO enriched
      SELECT o.id, c.name FROM orders AS o
      LEFT JOIN customers FOR SYSTEM_TIME AS OF o.pt AS c ON o.cust = c.cust AND c.tier <> 'x';`;
}

describe('lookup join: periodic reload of a table read whole', () => {
  it('joins rows after a reload with the table as it is then', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsstream-reload-'));
    const dim = path.join(dir, 'customers.json');
    fs.writeFileSync(dim, '{"cust":1,"name":"Ada","tier":"a"}\n{"cust":2,"name":"Bob","tier":"x"}\n');
    const input = memoryChannel('reload-in');
    const output = memoryChannel('reload-out');
    const logs: string[] = [];
    const session = new Session({ log: (_level, msg) => logs.push(msg) });
    const res = await session.executeAll(lookupJob(dim, ", 'lookup.full-cache.periodic-reload.interval' = '150 ms'", 'reload'));
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    const done = r.job.run();
    input.push([[1, 1], [2, 2], [3, 3]]);
    await until(() => output.written.length === 3);
    expect(output.written).toEqual([
      [1, 'Ada'],
      [2, null],
      [3, null],
    ]);
    // The file changes: Ada renamed, Bob no longer filtered out, a third customer.
    // Replaced whole (a reload never reads it half written), then two reloads awaited: one may have
    // started before the change (or finished while the first rows were joined, on a loaded machine);
    // the second began after it.
    const reloads = () => logs.filter((l) => /Lookup table .*customers reloaded/.test(l)).length;
    const before = reloads();
    fs.writeFileSync(`${dim}.tmp`, '{"cust":1,"name":"Ada L.","tier":"a"}\n{"cust":2,"name":"Bob","tier":"b"}\n{"cust":3,"name":"Cy","tier":"b"}\n');
    fs.renameSync(`${dim}.tmp`, dim);
    await until(() => reloads() >= before + 2);
    input.push([[4, 1], [5, 2], [6, 3]]);
    await until(() => output.written.length === 6);
    expect(output.written.slice(3)).toEqual([
      [4, 'Ada L.'],
      [5, 'Bob'],
      [6, 'Cy'],
    ]);
    input.end();
    await done;
    await session.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the table once without the option, and shows the reload in EXPLAIN', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsstream-reload-'));
    const dim = path.join(dir, 'customers.json');
    fs.writeFileSync(dim, '{"cust":1,"name":"Ada","tier":"a"}\n');
    const session = new Session({ log: () => {} });
    const plan = async (reload: string) => {
      const res = await session.executeAll(`${lookupJob(dim, reload, 'explain').replace(/INSERT INTO/, 'EXPLAIN INSERT INTO')}`);
      const last = res[res.length - 1];
      return JSON.stringify(last);
    };
    expect(await plan(", 'lookup.full-cache.periodic-reload.interval' = '10 min', 'lookup.full-cache.periodic-reload.schedule-mode' = 'FIXED_RATE'")).toContain(
      'reload=[every 600000 ms, FIXED_RATE]',
    );
    await session.executeAll('DROP TABLE orders; DROP TABLE customers; DROP TABLE enriched;');
    expect(await plan('')).not.toContain('reload=');
    await session.executeAll('DROP TABLE orders; DROP TABLE customers; DROP TABLE enriched;');
    await expect(session.executeAll(lookupJob(dim, ", 'lookup.full-cache.periodic-reload.interval' = 'often'", 'bad'))).rejects.toThrow(
      /lookup\.full-cache\.periodic-reload\.interval/,
    );
    await session.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
