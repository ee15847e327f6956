// A Flink user's first hour with the CLI, driven as a child process (bin/tsstream.js): results
// printed as sql-client's tableau mode prints them, SET values checked, errors without stack
// traces and with consistent exit codes, and the Flink differences found on the way.
import { spawnSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/tsstream.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsstream-cli-'));
const home = path.join(tmp, 'home');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], input = '') {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, input, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TSSTREAM_HOME: home } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs a shell pipeline in tmp; returns tsstream's exit code (the first command's) and stderr. */
function pipeline(command: string) {
  const r = spawnSync('bash', ['-c', `${command}; echo "exit=\${PIPESTATUS[0]}" >&2`], { cwd: tmp, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TSSTREAM_HOME: home } });
  const code = Number(/exit=(\d+)/.exec(r.stderr)?.[1]);
  return { code, out: r.stdout, err: r.stderr.replace(/exit=\d+\n?$/, '') };
}

let n = 0;
async function job(sql: string): Promise<string> {
  const f = path.join(tmp, `job${++n}.sql`);
  await fs.writeFile(f, sql);
  return f;
}

const rowsOf = (out: string) => out.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
const STACK = /^\s+at .+\(.+:\d+:\d+\)$/m;

const EVENTS = `CREATE TABLE w (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
WITH ('connector' = 'filesystem', 'path' = '${root}/queries/data/window-events.jsonl', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
`;

describe('results in tableau mode', () => {
  it('run prints an updating streaming result with the op column, as sql-client does', async () => {
    const r = cli(['run', '-q', await job(`${EVENTS}SELECT event_type, COUNT(*) AS n FROM w WHERE event_type <> 'view' GROUP BY event_type;\n`)]);
    expect(r.code, r.err).toBe(0);
    expect(rowsOf(r.out)).toEqual([
      ['op', 'event_type', 'n'],
      ['+I', 'click', '1'],
      ['-U', 'click', '1'],
      ['+U', 'click', '2'],
      ['-U', 'click', '2'],
      ['+U', 'click', '3'],
      ['+I', 'purchase', '1'],
      ['-U', 'click', '3'],
      ['+U', 'click', '4'],
    ]);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('Received a total of 8 rows');
  });

  it('an empty streaming result is the header and "Received a total of 0 row"; batch results have no op column', async () => {
    const r = cli(['run', '-q', await job(`${EVENTS}SELECT event_id FROM w WHERE event_type = 'none';\nSET 'execution.runtime-mode' = 'batch';\nSELECT event_type, COUNT(*) AS n FROM w GROUP BY event_type ORDER BY event_type;\n`)]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('| op | ');
    expect(r.out).toContain('+----+--------------------------------+\nReceived a total of 0 row\n');
    expect(rowsOf(r.out).slice(1)).toEqual([['event_type', 'n'], ['click', '4'], ['purchase', '1'], ['view', '1']]);
    expect(r.out).toContain('3 rows in set');
  });

  it("the shell on a pipe prints the op column of a streaming result too", () => {
    const r = cli(['sql'], `${EVENTS}SELECT event_type, COUNT(*) AS n FROM w WHERE event_type = 'click' GROUP BY event_type;\n`);
    expect(r.code, r.err).toBe(0);
    expect(rowsOf(r.out).map((x) => x[0])).toEqual(['op', '+I', '-U', '+U', '-U', '+U', '-U', '+U']);
  });

  it("result-mode 'table' and 'changelog' (Flink's full-screen views) are refused for a query without a terminal, as sql-client -f does, never printed as tableau", async () => {
    const FLINK = "In non-interactive mode, it only supports to use TABLEAU as value of sql-client.execution.result-mode when execute query. Please add 'SET sql-client.execution.result-mode=TABLEAU;' in the sql file.";
    const r = cli(['run', await job(`${EVENTS}SET 'sql-client.execution.result-mode' = 'table';\nSELECT event_id FROM w;\n`)]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(FLINK);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).not.toContain('event_id');
    // The shell reading a pipe, and -f: the SET is taken, the query refused; back to tableau it runs.
    const s = cli(['sql'], `${EVENTS}SET 'sql-client.execution.result-mode' = 'changelog';\nSELECT event_id FROM w;\nSET 'sql-client.execution.result-mode' = 'TABLEAU';\nSELECT COUNT(*) AS n FROM w;\n`);
    expect(s.code).toBe(1);
    expect(s.err).toContain(FLINK);
    expect(s.out).toContain('[INFO] Execute statement succeeded.');
    expect(s.out).not.toContain('event_id');
    expect(rowsOf(s.out)[0]).toEqual(['op', 'n']);
    const f = cli(['sql', '-f', await job(`SET 'sql-client.execution.result-mode' = 'table';\nSELECT 1 AS one;\n`)]);
    expect(f.code).toBe(1);
    expect(f.err).toContain(FLINK);
    expect(f.out).not.toContain('one');
  });
});

describe('Flink semantics', () => {
  it('the SESSION window TVF without aggregation gives every row of a session the merged bounds', async () => {
    const r = cli(['run', '-q', await job(`${EVENTS}SELECT user_id, event_id, window_start, window_end, window_time
FROM TABLE(SESSION(TABLE w PARTITION BY user_id, DESCRIPTOR(event_time), INTERVAL '30' SECOND));\n`)]);
    expect(r.code, r.err).toBe(0);
    const rows = rowsOf(r.out).slice(1).map((x) => x.slice(1).join(' ')).sort();
    // window-events.jsonl: u001 at 10:00:10, :30, :55 (one session), u001 10:01:40 (another); u002 10:00:20 and :45.
    const data = (await fs.readFile(path.join(root, 'queries/data/window-events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { event_id: string; user_id: string; event_time: string });
    // The expected sessions, computed here from the data: rows closer than 30 s per user merge.
    const byUser = new Map<string, { id: string; t: number }[]>();
    for (const d of data) byUser.set(d.user_id, [...(byUser.get(d.user_id) ?? []), { id: d.event_id, t: Date.parse(`${d.event_time}Z`) }]);
    const expected: string[] = [];
    const fmt = (t: number) => new Date(t).toISOString().replace('T', ' ').replace('Z', '');
    for (const [u, evs] of byUser) {
      evs.sort((a, b) => a.t - b.t);
      let cur: { id: string; t: number }[] = [];
      const flush = () => {
        const start = cur[0].t;
        const end = cur.at(-1)!.t + 30_000;
        for (const e of cur) expected.push(`${u} ${e.id} ${fmt(start)} ${fmt(end)} ${fmt(end - 1)}`);
        cur = [];
      };
      for (const e of evs) {
        if (cur.length && e.t >= cur.at(-1)!.t + 30_000) flush();
        cur.push(e);
      }
      flush();
    }
    expect(rows).toEqual(expected.sort());
    // At least one session holds several rows: the bug gave each row its own window.
    expect(new Set(rows.map((x) => x.split(' ').slice(2).join(' '))).size).toBeLessThan(rows.length);
  });

  it('JSON_OBJECT and JSON_ARRAY nest inner JSON_OBJECT/JSON_ARRAY values as JSON, other strings as strings', () => {
    const r = cli(['sql', '-e', `SET 'execution.runtime-mode' = 'batch'; SET 'sql-client.display.max-column-width' = '200';
SELECT JSON_OBJECT('a' VALUE JSON_OBJECT('b' VALUE 1), 'c' VALUE JSON_ARRAY(1, JSON_ARRAY(2, JSON_OBJECT('k' VALUE 'v'))), 'd' VALUE '{"x":1}') AS j,
       JSON_ARRAY(JSON_OBJECT('id' VALUE 7), '[1]') AS a`]);
    expect(r.code, r.err).toBe(0);
    expect(rowsOf(r.out)[1]).toEqual(['{"a":{"b":1},"c":[1,[2,{"k":"v"}]],"d":"{\\"x\\":1}"}', '[{"id":7},"[1]"]']);
  });
});

describe('errors and exit codes', () => {
  it('run | head -1 and explain | head end quietly with 0 (EPIPE is not an error)', async () => {
    const f = await job("CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '300000', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '300000');\nSELECT id FROM g;\n");
    const r = pipeline(`'${process.execPath}' '${bin}' run -q '${f}' | head -1`);
    expect(r.out).toBe('+----+----------------------+\n');
    expect(r.err).not.toMatch(/EPIPE|Error/);
    expect(r.code).toBe(0);
    const e = pipeline(`'${process.execPath}' '${bin}' explain '${f}' | head -1`);
    expect(e.out).toBe('== Abstract Syntax Tree ==\n');
    expect(e.err).not.toMatch(/EPIPE|Error/);
    expect(e.code).toBe(0);
  });

  it('a missing file is a file error (2) without a stack trace, for every command that reads one', () => {
    for (const args of [['run', 'missing.sql'], ['explain', 'missing.sql'], ['validate', 'missing.sql'], ['sql', '-f', 'missing.sql']]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/\[ERROR\] Cannot read missing\.sql/);
      expect(r.err).not.toMatch(STACK);
    }
  });

  it('a SQL error is 1, a usage error 2, and --help documents the codes', async () => {
    const r = cli(['run', await job('SELECT nope FROM missing;\n')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Object 'missing' not found/);
    expect(r.err).not.toMatch(STACK);
    expect(cli(['run', '--bogus', 'x.sql']).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
    const h = cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/Exit codes:\n\s+0\s+success\n\s+1\s+a SQL statement or a job failed.*\n\s+2\s+usage or file error/);
  });
});

describe('SET checks values', () => {
  it('a bad value of a known key fails at SET with the accepted forms; the key keeps its old value', () => {
    const r = cli(['sql'], "SET 'execution.checkpointing.interval' = 'ten seconds';\nSET 'sql-client.execution.result-mode' = 'bogus';\nSET 'table.local-time-zone' = 'Mars/Olympus';\nSET 'table.dml-sync' = 'yes';\nSET 'execution.checkpointing.interval' = '10 s';\nSET;\n");
    expect(r.code).toBe(1);
    expect(r.err).toContain("Invalid value 'ten seconds' for 'execution.checkpointing.interval': expected a duration such as '10 s', '10s', '500 ms', '1 min'");
    expect(r.err).toContain("Invalid value 'bogus' for 'sql-client.execution.result-mode': expected 'tableau'");
    expect(r.err).toContain("Invalid value 'Mars/Olympus' for 'table.local-time-zone': expected an IANA zone id");
    expect(r.err).toContain("Invalid value 'yes' for 'table.dml-sync': expected 'true', 'false'");
    const set = new Map(rowsOf(r.out).slice(1).map(([k, v]) => [k, v]));
    expect(set.get('execution.checkpointing.interval')).toBe('10 s');
    expect(set.get('sql-client.execution.result-mode')).toBe('tableau');
    expect(set.get('table.dml-sync')).toBe('false');
  });

  it('an unknown key is kept with a warning that suggests the known one', () => {
    const r = cli(['sql'], "SET 'execution.checkpointing.intervall' = '10 s';\n");
    expect(r.code).toBe(0);
    expect(r.out).toContain("[WARNING] Unknown configuration key 'execution.checkpointing.intervall' — did you mean 'execution.checkpointing.interval'?: kept, but tsstream does not use it.");
  });
});

describe('statement results as sql-client prints them', () => {
  const TABLE = `CREATE TABLE orders_with_a_long_name (order_id BIGINT, customer_name_that_is_long STRING, ts TIMESTAMP(3), pt AS PROCTIME(),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND, PRIMARY KEY (order_id) NOT ENFORCED)
WITH ('connector' = 'filesystem', 'path' = '/tmp/some/very/long/path/that/is/longer/than/thirty/characters', 'format' = 'json');
`;

  it('SHOW CREATE TABLE prints the whole DDL, never cut', () => {
    const r = cli(['sql'], `${TABLE}SHOW CREATE TABLE orders_with_a_long_name;\n`);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("  'path' = '/tmp/some/very/long/path/that/is/longer/than/thirty/characters',\n");
    expect(r.out).toContain('| CREATE TABLE `default_catalog`.`default_database`.`orders_with_a_long_name` (\n');
    expect(r.out).toContain('  CONSTRAINT `PK_order_id` PRIMARY KEY (`order_id`) NOT ENFORCED\n');
    expect(r.out).not.toContain('...');
  });

  it('DESCRIBE prints blanks where a column has no key, extras or watermark, and never cuts', () => {
    const r = cli(['sql'], `${TABLE}DESCRIBE orders_with_a_long_name;\n`);
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toContain('<NULL>');
    expect(rowsOf(r.out)).toEqual([
      ['name', 'type', 'null', 'key', 'extras', 'watermark'],
      ['order_id', 'BIGINT', 'FALSE', 'PRI(order_id)', '', ''],
      ['customer_name_that_is_long', 'STRING', 'TRUE', '', '', ''],
      ['ts', 'TIMESTAMP(3) *ROWTIME*', 'TRUE', '', '', "ts - INTERVAL '5' SECOND"],
      ['pt', 'TIMESTAMP_LTZ(3) *PROCTIME*', 'FALSE', '', 'AS PROCTIME()', ''],
    ]);
  });

  it('SET; lists the effective configuration: what was set, and the defaults of the rest', () => {
    const r = cli(['sql'], "SET 'pipeline.name' = 'a job name that is longer than thirty characters';\nSET;\n");
    expect(r.code, r.err).toBe(0);
    const set = new Map(rowsOf(r.out).slice(1).map(([k, v]) => [k, v]));
    expect(set.get('pipeline.name')).toBe('a job name that is longer than thirty characters');
    expect(set.get('execution.runtime-mode')).toBe('streaming');
    expect(set.get('table.local-time-zone')).toBe('UTC');
    expect(set.get('pipeline.auto-watermark-interval')).toBe('200 ms');
    expect(set.get('sql-client.execution.result-mode')).toBe('tableau');
    expect([...set.keys()]).toEqual([...set.keys()].sort());
  });
});

describe('batch mode', () => {
  it('refuses at planning to read an unbounded source (datagen without number-of-rows, Kafka without a bounded mode), with Flink message', async () => {
    const ddl = `SET 'execution.runtime-mode' = 'batch';
CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE k (id BIGINT) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = '127.0.0.1:1', 'format' = 'json');
CREATE TABLE s (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '3');
`;
    for (const t of ['g', 'k']) {
      const r = cli(['run', '-q', await job(`${ddl}SELECT * FROM ${t};\n`)]);
      expect(r.code, t).toBe(1);
      expect(r.err).toContain(`Querying an unbounded table 'default_catalog.default_database.${t}' in batch mode is not allowed. The table source is unbounded.`);
    }
    const ins = cli(['run', '-q', await job(`${ddl}CREATE TABLE out_t (id BIGINT) WITH ('connector' = 'blackhole');\nINSERT INTO out_t SELECT id FROM g;\n`)]);
    expect(ins.code).toBe(1);
    expect(ins.err).toContain("Querying an unbounded table 'default_catalog.default_database.g'");
    // A sequence bounds datagen: that one runs.
    const ok = cli(['run', '-q', await job(`${ddl}SELECT COUNT(*) AS n FROM s;\n`)]);
    expect(ok.code, ok.err).toBe(0);
    expect(rowsOf(ok.out)).toEqual([['n'], ['3']]);
  });
});

describe('what a Flink (or Spark) user types', () => {
  it('Spark and Athena forms fail with the Flink form in the message', async () => {
    const wh = path.join(tmp, 'wh-spark');
    const init = `CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${wh}');\nCREATE DATABASE ice.db;\nCREATE TABLE ice.db.t (id BIGINT);\n`;
    const meta = cli(['sql'], `${init}SELECT * FROM ice.db.t.snapshots;\n`);
    expect(meta.code).toBe(1);
    expect(meta.err).toContain("'ice.db.t.snapshots' is Spark's name for an Iceberg metadata table: Flink SQL writes it ice.db.`t$snapshots`");
    const ns = cli(['sql'], 'CREATE NAMESPACE ice.db2;\n');
    expect(ns.code).toBe(1);
    expect(ns.err).toContain("CREATE NAMESPACE is Spark's form: Flink SQL says CREATE DATABASE [IF NOT EXISTS] [catalog.]name");
    const using = cli(['sql'], 'CREATE TABLE t (id BIGINT) USING iceberg;\n');
    expect(using.code).toBe(1);
    expect(using.err).toContain("CREATE TABLE … USING is Spark's form: in Flink SQL the catalog makes the table an Iceberg table — CREATE CATALOG ice WITH ('type' = 'iceberg'");
    expect(using.err).toMatch(/CREATE TABLE t \(id BIGINT\) USING iceberg;?\n {27}\^/);
  });

  it('a REST catalog error names the host and the request, and why it failed', async () => {
    // A port nothing listens on: the request cannot be sent.
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const r = cli(['sql'], `CREATE CATALOG rc WITH ('type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = 'http://127.0.0.1:${port}');\n`);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`REST catalog GET http://127.0.0.1:${port}/v1/config: fetch failed: ECONNREFUSED`);
    expect(r.err).not.toMatch(STACK);
  });

  it('HELP lists every statement with its description in one aligned column', () => {
    const r = cli(['sql'], 'HELP;\n');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n').filter((l) => /^[A-Z]/.test(l) && !l.startsWith('The following') && !l.startsWith('Hint'));
    for (const s of ['ALTER TABLE', 'BEGIN STATEMENT SET', 'CALL', 'CREATE CATALOG', 'CREATE DATABASE', 'CREATE TABLE', 'CREATE VIEW', 'DESCRIBE', 'DROP', 'EXECUTE STATEMENT SET', 'EXPLAIN', 'HELP', 'INSERT INTO', 'QUIT', 'RESET', 'SELECT', 'SET', 'SHOW CATALOGS', 'SHOW COLUMNS', 'SHOW CREATE TABLE', 'SHOW CURRENT CATALOG', 'SHOW FUNCTIONS', 'SHOW JOBS', 'SHOW MODULES', 'STOP JOB', 'USE CATALOG', 'USE', 'ADD JAR']) {
      expect(lines.some((l) => l.startsWith(s)), s).toBe(true);
    }
    // The descriptions start in the same column: after the longest statement and two blanks.
    const starts = new Set(lines.map((l) => /^(.*?\S)( {2,})\S/.exec(l)!.slice(1).join('').length));
    expect(starts.size).toBe(1);
  });

  it('list, savepoint, stop and cancel work without `jobs`, and savepoint paths are absolute file: URIs, read back with or without file:', async () => {
    const { spawn } = await import('node:child_process');
    const f = await job(`CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20');
CREATE TABLE b (id BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO b SELECT id FROM g;
`);
    const start = (file: string) => {
      const child = spawn(process.execPath, [bin, 'run', file], { cwd: tmp, env: { ...process.env, TSSTREAM_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const exited = new Promise<number | null>((r) => child.on('exit', r));
      return { child, exited, output: () => output };
    };
    const until = async (what: string, f: () => boolean) => {
      const end = Date.now() + 30_000;
      while (!f()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const a = start(f);
    await until('the job id', () => /Job ID: [0-9a-f]{32}/.test(a.output()));
    const id = /Job ID: ([0-9a-f]{32})/.exec(a.output())![1];
    await until('the registry record', () => cli(['list']).out.includes(id));
    const list = cli(['list']);
    // The same table as `tsstream jobs list` (the counters move on in between).
    const same = (out: string) => out.replace(/\| +\d+ \| +\d+ \|/g, '| n | n |').replace(/-+/g, '-').replace(/ +/g, ' ');
    expect(same(list.out)).toBe(same(cli(['jobs', 'list']).out));
    expect(list.out).toMatch(new RegExp(`\\| +${id} \\| .* \\| +RUNNING \\|`));

    const sp = cli(['savepoint', id.slice(0, 8), `file:${path.join(tmp, 'sp1')}`]);
    expect(sp.code, sp.err).toBe(0);
    expect(sp.out).toMatch(new RegExp(`^Savepoint completed\\. Path: file:${path.join(tmp, 'sp1')}/savepoint-[0-9a-f]{6}-[0-9a-f]+\\n$`));
    const stop = cli(['stop', id, '-p', 'sp2']); // a relative directory: printed absolute
    expect(stop.code, stop.err).toBe(0);
    const stopped = /Path: (file:\S+)/.exec(stop.out)![1];
    expect(stopped).toMatch(new RegExp(`^file:${path.join(tmp, 'sp2')}/savepoint-`));
    expect(await a.exited).toBe(0);
    expect(cli(['cancel', id]).code).toBe(1); // not running any more
    expect(cli(['cancel', 'ffffffffffff']).code).toBe(2); // no such job

    // Resuming takes the printed path as it is, and without its file: too.
    for (const p of [stopped, stopped.slice('file:'.length)]) {
      const resumed = start(await job(`SET 'execution.savepoint.path' = '${p}';\n${await fs.readFile(f, 'utf8')}`));
      await until('the resumed job', () => /Job ID: /.test(resumed.output()) || /\[ERROR\]/.test(resumed.output()));
      await new Promise((r) => setTimeout(r, 1000));
      expect(resumed.output()).not.toContain('[ERROR]');
      const rid = /Job ID: ([0-9a-f]{32})/.exec(resumed.output())![1];
      await until('the resumed job in the registry', () => cli(['list']).out.includes(rid));
      expect(cli(['cancel', rid]).code).toBe(0);
      await resumed.exited;
    }
  }, 120_000);
});
