// `tsstream sql` in a real pseudo-terminal (tmux): S2 on the embedded default typed statement by
// statement — the prompt with catalog and database, multi-line input, the background INSERT's
// job id, the Iceberg table queried in tableau mode, an error with its caret, a streaming
// SELECT with the op column, Ctrl+C on a running query and on a half-typed line, tab
// completion, the history file, and QUIT.
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession, hasTmux } from './tmux.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmuxOk = hasTmux();
if (!tmuxOk) console.warn('[test/shell] tmux is not installed: skipping the pseudo-terminal tests (CI installs it).');

const PROMPT = /^tsstream \S+\.\S+>( |$)/gm;
/** The screen is captured without trailing blanks: a fresh prompt is a last line ending in '>'. */
const atPrompt = (screen: string) => /^tsstream \S+\.\S+>$/.test(screen.split('\n').at(-1) ?? '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!tmuxOk)('tsstream sql in a terminal', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsstream-shell-'));
  const home = path.join(tmp, 'home');
  const warehouse = path.join(tmp, 'warehouse');
  const data = path.join(tmp, 'live.jsonl');
  const t = new TmuxSession(root);

  /** Types a (possibly multi-line) statement and waits for the next prompt; returns what it printed. */
  async function run(statement: string, timeoutMs = 15_000): Promise<string> {
    const before = (t.screen().match(PROMPT) ?? []).length;
    const lines = statement.split('\n');
    for (const [i, line] of lines.entries()) {
      t.type(line);
      // As a person would: type the next line once the continuation prompt is there.
      if (i < lines.length - 1) await t.waitFor((x) => /^ +>$/.test(x.split('\n').at(-1) ?? ''), 'the continuation prompt');
    }
    const s = await t.waitFor((x) => (x.match(PROMPT) ?? []).length > before && atPrompt(x), `the prompt after: ${statement}`, timeoutMs);
    const shown = s.split('\n');
    const lastStmtLine = lines.at(-1)!;
    const at = shown.map((l, i) => (/^(tsstream \S+\.\S+| +)> /.test(l) && l.endsWith(lastStmtLine) ? i : -1)).filter((i) => i >= 0).at(-1) ?? 0;
    return shown.slice(at + 1, -1).join('\n');
  }

  beforeAll(async () => {
    await fs.writeFile(data, '');
    t.start(`env TSSTREAM_HOME='${home}' '${process.execPath}' bin/tsstream.js sql`);
    await t.waitFor(atPrompt, 'the first prompt');
  });

  afterAll(() => {
    t.kill();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('shows a prompt with the current catalog and database', () => {
    expect(atPrompt(t.screen())).toBe(true);
    expect(t.screen()).toMatch(/^tsstream default_catalog\.default_database>$/m);
  });

  it('reads a statement over several lines with a continuation prompt', async () => {
    const out = await run(
      [
        'CREATE TABLE window_events (',
        '    event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),',
        "    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND",
        ") WITH ('connector' = 'filesystem', 'path' = 'queries/data/window-events.jsonl',",
        "        'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');",
      ].join('\n'),
    );
    expect(out).toContain('[INFO] Execute statement succeeded.');
    expect(t.screen()).toMatch(/^ +> +event_id STRING/m);
  });

  it('creates the Iceberg catalog and the S2 table, and the prompt follows USE', async () => {
    expect(await run(`CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${warehouse}');`)).toContain('succeeded');
    await run('USE CATALOG iceberg_catalog;');
    await run('CREATE DATABASE IF NOT EXISTS demo;');
    await run('USE demo;');
    expect(t.screen().split('\n').at(-1)).toBe('tsstream iceberg_catalog.demo>');
    const out = await run('CREATE TABLE event_counts (window_start TIMESTAMP(6), window_end TIMESTAMP(6), event_type STRING, event_count BIGINT);');
    expect(out).toContain('[INFO] Execute statement succeeded.');
    expect(await run("SET 'execution.checkpointing.interval' = '1s';")).toContain('succeeded');
  });

  let jobId = '';
  it("submits S2's INSERT as a background job and prints its id", async () => {
    const out = await run(
      [
        'INSERT INTO iceberg_catalog.demo.event_counts',
        'SELECT window_start, window_end, event_type, COUNT(*) AS event_count',
        "FROM TABLE(TUMBLE(TABLE default_catalog.default_database.window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))",
        'GROUP BY window_start, window_end, event_type;',
      ].join('\n'),
      30_000,
    );
    const m = /Job ID: ([0-9a-f]{32})/.exec(out);
    expect(m, out).not.toBeNull();
    jobId = m![1];
    // The job runs in its own process and writes its log under TSSTREAM_HOME.
    const log = path.join(home, 'sql-client', `${jobId}.log`);
    const end = Date.now() + 20_000;
    let text = '';
    while (Date.now() < end) {
      text = await fs.readFile(log, 'utf8').catch(() => '');
      if (/FINISHED|FAILED|\[ERROR\]/.test(text)) break;
      await sleep(100);
    }
    expect(text).toMatch(new RegExp(`Job ${jobId} .* FINISHED`));
  }, 60_000);

  it('lists the background job with SHOW JOBS', async () => {
    const out = await run('SHOW JOBS;');
    expect(out).toContain(jobId);
    expect(out).toMatch(/FINISHED/);
  });

  it('queries the Iceberg table in tableau mode', async () => {
    await run("SET 'execution.runtime-mode' = 'batch';");
    const out = await run('SELECT * FROM event_counts ORDER BY window_start, event_type;');
    const rows = out.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    expect(rows).toEqual([
      ['window_start', 'window_end', 'event_type', 'event_count'],
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'click', '3'],
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'purchase', '1'],
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'view', '1'],
      // The file ends: the final watermark fires the last window too.
      ['2025-12-29 10:01:00.000000', '2025-12-29 10:02:00.000000', 'click', '1'],
    ]);
    expect(out).toMatch(/^\+-+\+/m);
    expect(out).toContain('4 rows in set');
  });

  it('prints an error with a caret and goes on', async () => {
    const out = await run('SELECT event_type FROM event_cnts;');
    expect(out).toContain('[ERROR] Could not execute SQL statement. Reason:');
    expect(out).toContain("did you mean 'event_counts'?");
    const lines = out.split('\n');
    const i = lines.indexOf('SELECT event_type FROM event_cnts;');
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toBe(' '.repeat('SELECT event_type FROM '.length) + '^');
    const syntax = await run('SELEC 1;');
    expect(syntax).toMatch(/expected a statement, found 'SELEC'/);
    expect(syntax).toMatch(/^\^{5}$/m);
    expect(await run("SELECT 'still here' AS s;")).toContain('still here');
  });

  it('prints a streaming SELECT with the op column (tableau mode)', async () => {
    await run("SET 'execution.runtime-mode' = 'streaming';");
    const out = await run("SELECT event_id, event_type FROM default_catalog.default_database.window_events WHERE event_type = 'click';");
    expect(out).toMatch(/\| op \| +event_id \| +event_type \|/);
    expect(out.split('\n').filter((l) => /^\| \+I \|/.test(l))).toHaveLength(4);
    expect(out).toContain('Received a total of 4 rows');
  });

  it('prints rows of an unbounded query as they arrive, until Ctrl+C', async () => {
    await run(
      `CREATE TABLE default_catalog.default_database.live (event_id STRING, n INT) WITH ('connector' = 'filesystem', 'path' = '${data}', 'format' = 'json', 'source.monitor-interval' = '100ms');`,
    );
    const before = (t.screen().match(PROMPT) ?? []).length;
    t.type('SELECT event_id, n FROM default_catalog.default_database.live;');
    await t.waitForText(/\| +event_id \| +n \|/, 'the header of the streaming result');
    await fs.appendFile(data, '{"event_id":"a1","n":1}\n');
    await t.waitForText(/\| +a1 \| +1 \|/, 'the first row');
    await fs.appendFile(data, '{"event_id":"a2","n":2}\n');
    await t.waitForText(/\| +a2 \| +2 \|/, 'the second row');
    expect((t.screen().match(PROMPT) ?? []).length).toBe(before); // still running
    t.keys('C-c');
    const s = await t.waitForText('Query terminated, received a total of 2 rows', 'the query to stop on Ctrl+C');
    await t.waitFor((x) => (x.match(PROMPT) ?? []).length > before, 'the prompt after Ctrl+C');
    expect(s).not.toContain('Shutting down');
  }, 60_000);

  it('STOP JOB … WITH SAVEPOINT stops a background job through its control endpoint', async () => {
    await run("CREATE TABLE default_catalog.default_database.sink (event_id STRING, n INT) WITH ('connector' = 'blackhole');");
    await run(`SET 'state.savepoints.dir' = '${path.join(tmp, 'savepoints')}';`);
    const out = await run('INSERT INTO default_catalog.default_database.sink SELECT event_id, n FROM default_catalog.default_database.live;', 30_000);
    const id = /Job ID: ([0-9a-f]{32})/.exec(out)?.[1];
    expect(id, out).toBeDefined();
    // Registered by the job's own process once it runs.
    const end = Date.now() + 15_000;
    let jobs = '';
    while (Date.now() < end) {
      jobs = await run('SHOW JOBS;');
      if (new RegExp(`${id} .*RUNNING`).test(jobs)) break;
      await sleep(300);
    }
    expect(jobs).toMatch(new RegExp(`\\| +${id} \\| +insert-into_default_catalog\\.default_database\\.sink \\| +RUNNING \\|`));
    const stopped = await run(`STOP JOB '${id}' WITH SAVEPOINT;`, 30_000);
    expect(stopped).toContain('savepoint path');
    expect(stopped).toContain(path.join(tmp, 'savepoints'));
    const after = await run('SHOW JOBS;');
    expect(after).toMatch(new RegExp(`${id} .*\\| +STOPPED \\|`));
    expect(await run(`STOP JOB '${id}';`)).toMatch(/is not running \(status STOPPED\)/);
  }, 60_000);

  it('Ctrl+C drops a half-typed statement', async () => {
    t.type('SELECT * FROM', true);
    await t.waitForText(/^ +>$/m, 'the continuation prompt');
    t.type('never_finished', false);
    t.keys('C-c');
    await sleep(200);
    const out = await run('SHOW CURRENT CATALOG;');
    expect(out).toContain('iceberg_catalog');
    expect(out).not.toContain('ERROR');
  });

  it('completes table and column names with Tab', async () => {
    t.type('DESCRIBE event_co', false);
    t.keys('Tab');
    await t.waitForText(/DESCRIBE event_counts$/m, 'the table name completed');
    const out = await run(';');
    expect(out).toMatch(/\| +window_start \| +TIMESTAMP\(6\)/);
    t.type('SELECT window_st', false);
    t.keys('Tab');
    await t.waitForText(/SELECT window_start$/m, 'the column name completed');
    t.type(' FROM event_co', false);
    t.keys('Tab');
    await t.waitForText(/SELECT window_start FROM event_counts$/m, 'the table name completed after FROM');
    const rows = await run(' WHERE event_count > 0;');
    expect(rows).toMatch(/Received a total of 4 rows|4 rows in set/);
  });

  it('exits on QUIT, keeps the history, and the background job was not tied to the shell', async () => {
    t.type('QUIT;');
    await t.waitFor(() => t.paneDead(), 'the shell to exit', 10_000);
    expect(t.screen()).toContain('Shutting down the session...');
    const history = await fs.readFile(path.join(home, 'sql_history'), 'utf8');
    // A statement typed over several lines is one history entry.
    expect(history).toMatch(/^CREATE TABLE window_events \( event_id STRING, .* 'json.timestamp-format.standard' = 'ISO-8601'\);$/m);
    expect(history).toContain('SHOW CURRENT CATALOG;');
  });
});

describe.skipIf(!tmuxOk)('tsstream sql in a terminal: Ctrl+D and -i', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsstream-shell-d-'));
  const t = new TmuxSession(root);
  afterAll(() => {
    t.kill();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('starts in the state of the init file, recalls history with the up arrow, and exits on Ctrl+D', async () => {
    const init = path.join(tmp, 'init.sql');
    await fs.writeFile(init, `CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${path.join(tmp, 'wh')}');\nUSE CATALOG iceberg_catalog;\n`);
    await fs.mkdir(path.join(tmp, 'home'), { recursive: true });
    await fs.writeFile(path.join(tmp, 'home', 'sql_history'), "SELECT 'from the last session' AS h;\n");
    t.start(`env TSSTREAM_HOME='${path.join(tmp, 'home')}' '${process.execPath}' bin/tsstream.js sql -i '${init}'`);
    await t.waitFor((s) => /^tsstream iceberg_catalog\.default>$/.test(s.split('\n').at(-1) ?? ''), 'the prompt in the init file’s catalog');
    t.keys('Up');
    await t.waitForText(/^tsstream iceberg_catalog\.default> SELECT 'from the last session' AS h;$/m, 'the history entry');
    t.keys('Enter');
    await t.waitForText(/\| +from the last session \|/, 'the result of the recalled statement');
    await t.waitFor((s) => /^tsstream iceberg_catalog\.default>$/.test(s.split('\n').at(-1) ?? ''), 'the prompt');
    t.keys('C-d');
    await t.waitFor(() => t.paneDead(), 'the shell to exit on Ctrl+D', 10_000);
    expect(t.screen()).toContain('Shutting down the session...');
  });
});
