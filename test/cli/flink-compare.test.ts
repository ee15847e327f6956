// The Flink differences fixed in the CLI's first hour, checked against Flink 1.20 itself (the
// SQL Gateway test peer): the same statements on both sides, the same answer.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasPeer, peer, skipReason } from '../peers/index.js';
import { FlinkStatementError, runOnFlink } from '../peers/flink-client.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function tsstream(sql: string) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/tsstream.js'), 'sql'], { cwd: root, input: sql, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const rowsOf = (out: string) => out.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));

describe.skipIf(!hasPeer('flink'))(`tsstream and Flink 1.20 agree ${hasPeer('flink') ? '' : `(skipped: ${skipReason('flink')})`}`, () => {
  it('JSON_OBJECT/JSON_ARRAY nest inner JSON_OBJECT/JSON_ARRAY calls as JSON, JSON_QUERY results and other strings as strings', async () => {
    const q = `SELECT JSON_OBJECT('a' VALUE JSON_QUERY('{"x":[1]}', '$.x'), 'b' VALUE JSON_OBJECT('c' VALUE 1), 'd' VALUE JSON_ARRAY(1, JSON_ARRAY(2, JSON_OBJECT('k' VALUE 'v'))), 'e' VALUE '{"s":1}') AS j, JSON_ARRAY(JSON_QUERY('{"x":[1]}', '$.x'), JSON_OBJECT('id' VALUE 7)) AS k`;
    const [flink] = await runOnFlink([q], { flink: peer('flink'), properties: { 'execution.runtime-mode': 'batch' } });
    const ours = tsstream(`SET 'execution.runtime-mode' = 'batch';\nSET 'sql-client.display.max-column-width' = '500';\n${q};\n`);
    expect(ours.code, ours.err).toBe(0);
    expect(rowsOf(ours.out)[1]).toEqual(flink.rows[0].text);
  }, 120_000);

  it('a batch query of an unbounded datagen table fails at planning with the same message', async () => {
    const ddl = "CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen')";
    const err = await runOnFlink([ddl, 'SELECT * FROM g'], { flink: peer('flink'), properties: { 'execution.runtime-mode': 'batch' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FlinkStatementError);
    const flinkMessage = (err as FlinkStatementError).rootCause.replace(/^\w+Exception: /, '');
    const ours = tsstream(`SET 'execution.runtime-mode' = 'batch';\n${ddl};\nSELECT * FROM g;\n`);
    expect(ours.code).toBe(1);
    expect(ours.err).toContain(flinkMessage);
  }, 120_000);

  it('the SESSION window TVF without aggregation gives each row its merged session, as Flink does', async () => {
    const dir = `/tmp/tsstream-session-${process.pid}`;
    const lines = [
      // In time order: with a watermark at the row time, a row behind it would be late on either side.
      { u: 'u1', ts: '2025-01-01 10:00:00' },
      { u: 'u2', ts: '2025-01-01 10:00:10' },
      { u: 'u1', ts: '2025-01-01 10:00:20' },
      { u: 'u2', ts: '2025-01-01 10:00:50' },
      { u: 'u1', ts: '2025-01-01 10:05:00' },
    ];
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/data.json`, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const ddl = `CREATE TABLE ev (u STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'filesystem', 'path' = '${dir}/data.json', 'format' = 'json')`;
    const q = "SELECT u, CAST(ts AS STRING) AS t, window_start, window_end FROM TABLE(SESSION(TABLE ev PARTITION BY u, DESCRIPTOR(ts), INTERVAL '1' MINUTE))";
    const [, flink] = await runOnFlink([ddl, q], { flink: peer('flink'), properties: { 'execution.runtime-mode': 'streaming' } });
    const ours = tsstream(`${ddl};\n${q};\n`);
    expect(ours.code, ours.err).toBe(0);
    const key = (r: string[]) => r.join(' ');
    expect(rowsOf(ours.out).slice(1).map((r) => key(r)).sort()).toEqual(flink.rows.map((r) => key([r.kind, ...r.text])).sort());
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
