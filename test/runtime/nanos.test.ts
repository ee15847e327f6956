// TIMESTAMP(9) values (nanoseconds, a bigint: src/common/nanos.ts) through the parts around the
// expressions: JSON and CSV files written and read back as Flink 1.20 writes them, and operator state
// in a savepoint (stop, resume, same nanoseconds). The SQL semantics themselves are difftest cases
// (test/difftest/cases/nanos.sql, compared with Flink).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { cellText } from '../../src/cli/tableau.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';
import { formatNanos, parseNanosText } from '../../src/common/nanos.js';
import { rowKindOf, type Row } from '../../src/common/types.js';
import { parseState, stringifyState } from '../../src/runtime/checkpoint-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsstream-nanos-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ns = (s: string) => parseNanosText(s)!;

function filesText(folder: string): string[] {
  return fs
    .readdirSync(folder)
    .filter((f) => !f.startsWith('.'))
    .flatMap((f) => fs.readFileSync(path.join(folder, f), 'utf8').split('\n'))
    .filter((l) => l !== '')
    .sort();
}

async function query(session: Session, sql: string): Promise<string[]> {
  const res = await session.executeAll(sql);
  const r = res[res.length - 1];
  if (r.kind !== 'query') throw new Error('expected a query');
  const rows = await collectQuery(r);
  return cellText(rows, r.columns).map((c) => c.join(' | ')).sort();
}

describe('TIMESTAMP(9) in files', () => {
  // What Flink 1.20 writes for the same INSERTs (its filesystem connector, recorded from the peer):
  // the fraction without trailing zeros, all nine digits where they are not zero, LTZ with a Z.
  const FLINK_JSON = [
    '{"id":1,"ts":"2024-01-01 00:00:01.123456789","ts7":"2024-01-01 00:00:01.1234567","ltz":"2024-01-01 00:00:01.123456789Z"}',
    '{"id":2,"ts":"2024-01-01 00:00:01.12","ts7":"2024-01-01 00:00:00","ltz":"1969-12-31 23:59:59.999999999Z"}',
  ];
  const FLINK_CSV = ['1,"2024-01-01 00:00:01.123456789","2024-01-01 00:00:01.123456789Z"', '2,"2024-01-01 00:00:01.12","1969-12-31 23:59:59.999999999Z"'];
  const FLINK_JSON_ISO = ['{"id":1,"ts":"2024-01-01T00:00:01.123456789"}', '{"id":2,"ts":"2024-01-01T00:00:00"}'];

  it('writes JSON and CSV as Flink does and reads every digit back', async () => {
    const session = new Session({ log: () => {} });
    const run = async (sql: string) => {
      for (const r of await session.executeAll(sql)) if (r.kind === 'job') await r.job.run();
    };
    await run(`
      CREATE TABLE j (id INT, ts TIMESTAMP(9), ts7 TIMESTAMP(7), ltz TIMESTAMP_LTZ(9)) WITH ('connector' = 'filesystem', 'path' = '${dir}/json', 'format' = 'json');
      CREATE TABLE c (id INT, ts TIMESTAMP(9), ltz TIMESTAMP_LTZ(9)) WITH ('connector' = 'filesystem', 'path' = '${dir}/csv', 'format' = 'csv');
      CREATE TABLE i (id INT, ts TIMESTAMP(9)) WITH ('connector' = 'filesystem', 'path' = '${dir}/iso', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
      INSERT INTO j VALUES (1, TIMESTAMP '2024-01-01 00:00:01.123456789', CAST(TIMESTAMP '2024-01-01 00:00:01.1234567' AS TIMESTAMP(7)), CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS TIMESTAMP_LTZ(9))),
        (2, TIMESTAMP '2024-01-01 00:00:01.120000000', CAST(TIMESTAMP '2024-01-01 00:00:00' AS TIMESTAMP(7)), CAST(TIMESTAMP '1969-12-31 23:59:59.999999999' AS TIMESTAMP_LTZ(9)));
      INSERT INTO c VALUES (1, TIMESTAMP '2024-01-01 00:00:01.123456789', CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS TIMESTAMP_LTZ(9))),
        (2, TIMESTAMP '2024-01-01 00:00:01.120000000', CAST(TIMESTAMP '1969-12-31 23:59:59.999999999' AS TIMESTAMP_LTZ(9)));
      INSERT INTO i VALUES (1, TIMESTAMP '2024-01-01 00:00:01.123456789'), (2, TIMESTAMP '2024-01-01 00:00:00');`);
    expect(filesText(`${dir}/json`)).toEqual(FLINK_JSON);
    expect(filesText(`${dir}/csv`)).toEqual(FLINK_CSV);
    expect(filesText(`${dir}/iso`)).toEqual(FLINK_JSON_ISO);
    expect(await query(session, 'SELECT id, ts, ts7, ltz FROM j;')).toEqual([
      '1 | 2024-01-01 00:00:01.123456789 | 2024-01-01 00:00:01.1234567 | 2024-01-01 00:00:01.123456789',
      '2 | 2024-01-01 00:00:01.120000000 | 2024-01-01 00:00:00.0000000 | 1969-12-31 23:59:59.999999999',
    ]);
    expect(await query(session, 'SELECT id, ts, ltz FROM c;')).toEqual([
      '1 | 2024-01-01 00:00:01.123456789 | 2024-01-01 00:00:01.123456789',
      '2 | 2024-01-01 00:00:01.120000000 | 1969-12-31 23:59:59.999999999',
    ]);
    expect(await query(session, 'SELECT id, ts FROM i;')).toEqual(['1 | 2024-01-01 00:00:01.123456789', '2 | 2024-01-01 00:00:00.000000000']);
    await session.close();
  });
});

describe('TIMESTAMP(9) in state', () => {
  it('checkpoint text keeps a nanos value a bigint', () => {
    const v = ns('9999-12-31 23:59:59.999999999');
    const back = parseState(stringifyState({ rows: [[v, 1]] })) as { rows: unknown[][] };
    expect(back.rows[0][0]).toBe(v);
    expect(formatNanos(back.rows[0][0] as bigint, 9)).toBe('9999-12-31 23:59:59.999999999');
  });

  it('a grouped MAX/MIN over TIMESTAMP(9) survives STOP WITH SAVEPOINT and resume', async () => {
    const spDir = path.join(dir, 'savepoints');
    const input = memoryChannel('nanos-sp-in');
    const output = memoryChannel('nanos-sp-out');
    const start = async (extra: string) => {
      const session = new Session({ log: () => {} });
      const res = await session.executeAll(`
        SET 'state.savepoints.dir' = '${spDir}';
        ${extra}
        CREATE TABLE src (k STRING, ts TIMESTAMP(9)) WITH ('connector' = 'memory', 'channel' = 'nanos-sp-in');
        CREATE TABLE out (k STRING, mx TIMESTAMP(9), mn TIMESTAMP(9), n BIGINT) WITH ('connector' = 'memory', 'channel' = 'nanos-sp-out');
        INSERT INTO out SELECT k, MAX(ts), MIN(ts), COUNT(DISTINCT ts) FROM src GROUP BY k;`);
      const r = res[res.length - 1];
      if (r.kind !== 'job') throw new Error('expected a job');
      return { session, job: r.job };
    };
    const first = await start('');
    const done = first.job.run();
    input.push([
      ['a', ns('2024-01-01 00:00:00.000000002')],
      ['a', ns('2024-01-01 00:00:00.000000001')],
    ]);
    const t0 = Date.now();
    while (first.job.metrics.recordsIn < 2 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 5));
    const stopped = await first.session.executeAll(`STOP JOB '${first.job.id}' WITH SAVEPOINT;`);
    const sp = stopped[0].kind === 'table' ? String(stopped[0].rows[0][0]) : '';
    expect((await done).status).toBe('STOPPED');
    const again = await start(`SET 'execution.savepoint.path' = '${sp}';`);
    const done2 = again.job.run();
    input.push([
      ['a', ns('2024-01-01 00:00:00.000000003')],
      ['a', ns('2024-01-01 00:00:00.000000001')],
    ]);
    input.end();
    await done2;
    const last = output.written.filter((r: Row) => rowKindOf(r) !== '-U' && rowKindOf(r) !== '-D').at(-1)!;
    expect(typeof last[1]).toBe('bigint');
    expect([last[0], formatNanos(last[1] as bigint, 9), formatNanos(last[2] as bigint, 9), last[3]]).toEqual([
      'a',
      '2024-01-01 00:00:00.000000003',
      '2024-01-01 00:00:00.000000001',
      3,
    ]);
    await first.session.close();
    await again.session.close();
  });
});
