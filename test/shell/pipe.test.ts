// `tsstream sql` without a terminal: statements piped on stdin, `-f`, `-e` and `-i`. Results
// are printed without prompts (scriptable), errors go to stderr with the caret, and the exit
// code says whether a statement failed.
import { spawnSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsstream-sql-pipe-'));
const home = path.join(tmp, 'home');

function sql(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/tsstream.js', 'sql', ...args], {
    cwd: root,
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, TSSTREAM_HOME: home },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const EVENTS = `CREATE TABLE window_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'filesystem',
    'path' = 'queries/data/window-events.jsonl',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);
`;

const rowsOf = (out: string) => out.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('tsstream sql on a pipe', () => {
  it('runs piped statements and prints results without prompts', () => {
    const r = sql(
      [],
      `${EVENTS}
SET 'execution.runtime-mode' = 'batch';
-- a comment between statements
SELECT window_start, window_end, event_type, COUNT(*) AS event_count
FROM TABLE(TUMBLE(TABLE window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type
ORDER BY window_start, event_type;
SHOW TABLES;
`,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/tsstream \S+> /);
    expect(rowsOf(r.out)).toEqual([
      ['window_start', 'window_end', 'event_type', 'event_count'],
      ['2025-12-29 10:00:00.000', '2025-12-29 10:01:00.000', 'click', '3'],
      ['2025-12-29 10:00:00.000', '2025-12-29 10:01:00.000', 'purchase', '1'],
      ['2025-12-29 10:00:00.000', '2025-12-29 10:01:00.000', 'view', '1'],
      ['2025-12-29 10:01:00.000', '2025-12-29 10:02:00.000', 'click', '1'],
      ['table name'],
      ['window_events'],
    ]);
    expect(r.out).toContain('4 rows in set');
    expect(r.out).toContain('1 row in set');
    expect(r.out.match(/\[INFO\] Execute statement succeeded\./g)).toHaveLength(2);
  });

  it('reports an error with its caret on stderr, goes on, and exits with 1', () => {
    const r = sql([], `${EVENTS}SELECT event_id\n  FROM window_evnts;\nSELECT event_id AS n FROM window_events WHERE event_id = 'w001';\n`);
    expect(r.code).toBe(1);
    expect(r.err).toContain('[ERROR] Could not execute SQL statement. Reason:');
    expect(r.err).toContain("2:8: Object 'window_evnts' not found in default_catalog.default_database — did you mean 'window_events'?\n  FROM window_evnts;\n       ^");
    // The next statement still ran.
    expect(rowsOf(r.out)).toEqual([['op', 'n'], ['+I', 'w001']]);
    expect(r.out).toContain('Received a total of 1 row');
  });

  it('streams a SELECT with the op column (tableau mode, streaming)', () => {
    const r = sql([], `${EVENTS}SELECT event_id, event_type FROM window_events WHERE event_type <> 'click';\n`);
    expect(r.code).toBe(0);
    expect(rowsOf(r.out)).toEqual([
      ['op', 'event_id', 'event_type'],
      ['+I', 'w003', 'view'],
      ['+I', 'w005', 'purchase'],
    ]);
    expect(r.out).toContain('Received a total of 2 rows');
  });

  it('submits a piped INSERT as a background job that finishes after the shell exits', async () => {
    const out = path.join(tmp, 'counts');
    const r = sql(
      [],
      `${EVENTS}
CREATE TABLE event_counts (window_start TIMESTAMP(3), window_end TIMESTAMP(3), event_type STRING, event_count BIGINT)
WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'csv');
INSERT INTO event_counts
SELECT window_start, window_end, event_type, COUNT(*) FROM TABLE(TUMBLE(TABLE window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;
`,
    );
    expect(r.code, r.err).toBe(0);
    const id = /Job ID: ([0-9a-f]{32})/.exec(r.out)?.[1];
    expect(id, r.out).toBeDefined();
    // The job file replays the session's DDL before the INSERT (the job could not run otherwise),
    // and, as it may hold secrets, is gone once the job has ended.
    const jobFile = path.join(home, 'sql-client', `${id}.sql`);
    const end = Date.now() + 20_000;
    let lines: string[] = [];
    while (Date.now() < end) {
      const files = await fs.readdir(out).catch(() => [] as string[]);
      const visible = files.filter((f) => !f.startsWith('.'));
      lines = (await Promise.all(visible.map((f) => fs.readFile(path.join(out, f), 'utf8')))).join('').split('\n').filter(Boolean);
      if (lines.length >= 4) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(lines.sort()).toEqual([
      '"2025-12-29 10:00:00","2025-12-29 10:01:00",click,3',
      '"2025-12-29 10:00:00","2025-12-29 10:01:00",purchase,1',
      '"2025-12-29 10:00:00","2025-12-29 10:01:00",view,1',
      '"2025-12-29 10:01:00","2025-12-29 10:02:00",click,1',
    ]);
    while (Date.now() < end && (await fs.access(jobFile).then(() => true, () => false))) await new Promise((res) => setTimeout(res, 100));
    await expect(fs.access(jobFile)).rejects.toThrow();
    await fs.access(path.join(home, 'sql-client', `${id}.log`));
  });

  it('leaves no replay file (it may hold secrets) once the job has read it, even when the job is killed with SIGKILL', async () => {
    const inDir = path.join(tmp, 'watched');
    await fs.mkdir(inDir, { recursive: true });
    // A replay file no job read (its process died before): removed by the next submission.
    const stale = path.join(home, 'sql-client', 'ffffffffffffffffffffffffffffffff.sql');
    await fs.mkdir(path.dirname(stale), { recursive: true });
    await fs.writeFile(stale, "CREATE CATALOG c WITH ('credential' = 'id:secret');\n");
    const old = new Date(Date.now() - 3_600_000);
    await fs.utimes(stale, old, old);
    const r = sql(
      [],
      `CREATE TABLE src (s STRING) WITH ('connector' = 'filesystem', 'path' = '${inDir}', 'format' = 'raw', 'source.monitor-interval' = '1s');
CREATE TABLE snk (s STRING) WITH ('connector' = 'blackhole');
INSERT INTO snk SELECT s FROM src;
`,
    );
    expect(r.code, r.err).toBe(0);
    const id = /Job ID: ([0-9a-f]{32})/.exec(r.out)?.[1];
    expect(id, r.out).toBeDefined();
    await expect(fs.access(stale)).rejects.toThrow();
    const jobFile = path.join(home, 'sql-client', `${id}.sql`);
    const rec = path.join(home, 'jobs', `${id}.json`);
    const end = Date.now() + 20_000;
    let pid = 0;
    while (Date.now() < end) {
      const j = JSON.parse(await fs.readFile(rec, 'utf8').catch(() => '{}')) as { pid?: number; status?: string };
      if (j.pid && j.status === 'RUNNING') {
        pid = j.pid;
        break;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(pid, 'the job runs').toBeGreaterThan(0);
    // Running, and its replay file is already gone.
    await expect(fs.access(jobFile)).rejects.toThrow();
    process.kill(pid, 'SIGKILL');
    await new Promise((res) => setTimeout(res, 300));
    await expect(fs.access(jobFile)).rejects.toThrow();
  });

  it("honours 'sql-client.display.max-column-width'", () => {
    const long = 'x'.repeat(40);
    const r = sql([], `SET 'execution.runtime-mode' = 'batch';\nSELECT '${long}' AS s;\nSET 'sql-client.display.max-column-width' = '50';\nSELECT '${long}' AS s;\n`);
    expect(r.out).toContain(`| ${'x'.repeat(27)}... |`);
    expect(r.out).toContain(`| ${long} |`);
  });

  it('QUIT ends the script', () => {
    const r = sql([], "SELECT 'before' AS s;\nQUIT;\nSELECT 'after' AS s;\n");
    expect(r.out).toContain('before');
    expect(r.out).not.toContain('after');
    expect(r.code).toBe(0);
  });
});

describe('tsstream sql -e, -f, -i', () => {
  it('-e runs statements and exits', () => {
    const r = sql(['-e', "SHOW CURRENT CATALOG; SELECT 1 + 1 AS two"]);
    expect(r.code).toBe(0);
    expect(rowsOf(r.out)).toEqual([['current catalog name'], ['default_catalog'], ['op', 'two'], ['+I', '2']]);
  });

  it('-i sets the session up, -f runs a file and stops at its first error', async () => {
    const init = path.join(tmp, 'init.sql');
    const file = path.join(tmp, 'file.sql');
    await fs.writeFile(init, `CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${path.join(tmp, 'wh')}');\nCREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;\n`);
    await fs.writeFile(file, "SHOW CATALOGS;\nUSE iceberg_catalog.demo;\nSHOW CURRENT DATABASE;\nSELECT nope FROM missing;\nSELECT 'not reached' AS s;\n");
    const r = sql(['-i', init, '-f', file]);
    expect(r.code).toBe(1);
    expect(rowsOf(r.out)).toEqual([['catalog name'], ['default_catalog'], ['iceberg_catalog'], ['current database name'], ['demo']]);
    expect(r.err).toMatch(/Object 'missing' not found/);
    expect(r.out).not.toContain('not reached');
  });

  it('a failing init file stops the shell', async () => {
    const init = path.join(tmp, 'bad-init.sql');
    await fs.writeFile(init, 'CREATE TABLE t (a INT);\n');
    const r = sql(['-i', init], 'SELECT 1;\n');
    expect(r.code).toBe(1);
    expect(r.err).toContain("option key 'connector'");
    expect(r.err).toContain('The init file');
  });
});
