// The shell's pieces in-process: completion, statements of a buffer with positions in it,
// the streaming tableau, history entries, and which statements a background INSERT replays.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { complete } from '../../src/cli/shell/completer.js';
import { bufferStatements, parseBuffered } from '../../src/cli/shell/statements.js';
import { StreamingTable, typeWidth } from '../../src/cli/shell/result-printer.js';
import { historyEntry } from '../../src/cli/shell/history.js';
import { SessionReplay } from '../../src/cli/shell/detached.js';
import { SqlShell } from '../../src/cli/shell/shell.js';
import { SqlSyntaxError } from '../../src/common/errors.js';
import { parseStatements } from '../../src/parser/index.js';
import { T } from '../../src/common/types.js';

async function sessionWithTable(): Promise<Session> {
  const s = new Session({ log: () => {} });
  await s.executeAll(
    "CREATE TABLE window_events (event_id STRING, event_type STRING, event_time TIMESTAMP(3)) WITH ('connector' = 'datagen');" +
      "CREATE TABLE counts (window_start TIMESTAMP(3), event_count BIGINT) WITH ('connector' = 'blackhole');",
  );
  return s;
}

describe('completion', () => {
  it('completes keywords in the case typed', async () => {
    const s = new Session({ log: () => {} });
    expect((await complete(s, 'SEL'))[0]).toContain('SELECT');
    expect((await complete(s, 'sel'))[0]).toContain('select');
    expect((await complete(s, 'SHOW TAB'))[0]).toEqual(['TABLE', 'TABLES']);
  });

  it('completes tables, databases and catalogs, and columns of the tables in the statement', async () => {
    const s = await sessionWithTable();
    expect((await complete(s, 'SELECT * FROM win'))).toEqual([['window_events'], 'win']);
    expect((await complete(s, 'SELECT event_ty', 'FROM window_events'))[0]).toEqual(['event_type']);
    expect((await complete(s, 'USE CATALOG def'))[0]).toEqual(['default_catalog']);
    expect((await complete(s, 'SELECT * FROM default_catalog.default_database.co'))[0]).toEqual(['default_catalog.default_database.counts']);
    expect((await complete(s, 'SELECT * FROM default_catalog.def'))[0]).toEqual(['default_catalog.default_database']);
    expect((await complete(s, 'SELECT counts.event_c'))[0]).toEqual(['counts.event_count']);
  });
});

describe('statements of a buffer', () => {
  it('keeps positions in the buffer for the caret', () => {
    const buf = "SET 'a' = 'b';\nSELECT 1;\n  SELEC 2;";
    const sts = bufferStatements(buf);
    expect(sts.map((s) => s.text)).toEqual(["SET 'a' = 'b'", 'SELECT 1', 'SELEC 2']);
    expect(parseBuffered(sts[1])?.kind).toBe('queryStatement');
    try {
      parseBuffered(sts[2]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SqlSyntaxError);
      expect((e as SqlSyntaxError).position).toMatchObject({ line: 3, column: 3 });
    }
  });
});

describe('streaming tableau', () => {
  it('sizes columns by type and prints the rows of each batch at once', () => {
    let out = '';
    const t = new StreamingTable([{ name: 'id', type: T.string() }, { name: 'n', type: T.bigint() }], (s) => (out += s), { changelog: true });
    t.printHeader();
    expect(out.split('\n')[1]).toBe(`| op | ${' '.repeat(28)}id | ${' '.repeat(19)}n |`);
    t.rows([['a', 1n]]);
    expect(out).toMatch(/\| \+I \| +a \| +1 \|\n$/);
    t.rows([[null, 2n]]);
    t.footer();
    expect(out).toContain('<NULL>');
    expect(out.trimEnd().split('\n').at(-1)).toBe('Received a total of 2 rows');
    expect(typeWidth(T.timestamp(3))).toBe(23);
  });
});

describe('history and replay', () => {
  it('keeps a multi-line statement as one line', () => {
    expect(historyEntry('SELECT a,\n    b\n  FROM t;')).toBe('SELECT a, b FROM t;');
  });

  it('replays session state and in-memory DDL, not objects of persistent catalogs', async () => {
    const s = new Session({ log: () => {} });
    const r = new SessionReplay();
    const run = async (sql: string) => {
      const st = parseStatements(sql)[0];
      const rec = r.shouldRecord(s, st);
      await s.execute(st);
      if (rec) r.record(sql);
    };
    await run("CREATE TABLE t (a INT) WITH ('connector' = 'datagen')");
    await run("SET 'execution.checkpointing.interval' = '1s'");
    await run('SET');
    await run('SHOW TABLES');
    await run("CREATE TEMPORARY VIEW v AS SELECT a FROM t");
    expect(r.script()).toBe("CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\nSET 'execution.checkpointing.interval' = '1s';\nCREATE TEMPORARY VIEW v AS SELECT a FROM t;\n");
    // An Iceberg (persistent) catalog's database is not created again by the job.
    const fake = parseStatements('CREATE DATABASE iceberg_catalog.demo')[0];
    (s.catalogs as unknown as { catalogs: Map<string, unknown> }).catalogs.set('iceberg_catalog', { type: 'iceberg' });
    expect(r.shouldRecord(s, fake)).toBe(false);
  });
});

describe('the shell over streams', () => {
  it('runs piped statements, prints results, counts errors', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const errors = new PassThrough();
    let out = '';
    let err = '';
    output.on('data', (d) => (out += d));
    errors.on('data', (d) => (err += d));
    const shell = new SqlShell({ session: new Session({ log: () => {} }), input, output, errorOutput: errors, interactive: false });
    const done = shell.repl();
    input.end("SELECT 1 AS one;\nSELECT\n  nope FROM nothing;\nHELP;\n");
    await done;
    await shell.close();
    expect(out).toMatch(/\| +one \|/);
    expect(out).toContain('Received a total of 1 row');
    expect(out).toContain('The following commands are available');
    expect(err).toContain("2:13: Object 'nothing' not found in default_catalog.default_database\n  nope FROM nothing;\n            ^");
    expect(shell.errors).toBe(1);
  });
});
