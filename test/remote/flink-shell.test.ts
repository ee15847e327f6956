// `tsstream sql --gateway URL` in a real pseudo-terminal (tmux) against Flink 1.20's SQL Gateway:
// the prompt with the gateway's catalog and database, DDL, a batch query's table, a streaming
// query's changelog with the op column, Flink's error message without a stack trace, table-name
// completion from the gateway, and QUIT.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TmuxSession, hasTmux } from '../shell/tmux.js';
import { hasPeer, peer } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { ROOT } from '../e2e/helpers.js';

const PROMPT = /^tsstream \S+\.\S+>( |$)/gm;
const atPrompt = (screen: string) => /^tsstream \S+\.\S+>$/.test(screen.split('\n').at(-1) ?? '');

describe.skipIf(!hasTmux() || !hasPeer('flink'))('tsstream sql --gateway in a terminal', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsstream-remote-shell-'));
  const t = new TmuxSession(ROOT);
  afterAll(() => {
    t.kill();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function run(statement: string, timeoutMs = 60_000): Promise<string> {
    const before = (t.screen().match(PROMPT) ?? []).length;
    t.type(statement);
    const s = await t.waitFor((x) => (x.match(PROMPT) ?? []).length > before && atPrompt(x), `the prompt after: ${statement}`, timeoutMs);
    const shown = s.split('\n');
    const at = shown.map((l, i) => (/^tsstream \S+\.\S+> /.test(l) && l.endsWith(statement) ? i : -1)).filter((i) => i >= 0).at(-1) ?? 0;
    return shown.slice(at + 1, -1).join('\n');
  }

  it('runs statements on Flink with the local shell’s prompt, results and errors', async () => {
    const flink = peer<FlinkEndpoint>('flink');
    t.start(`env TSSTREAM_HOME='${tmp}/home' '${process.execPath}' bin/tsstream.js sql --gateway ${flink.gateway} --set parallelism.default=1`);
    await t.waitFor(atPrompt, 'the first prompt', 60_000);
    expect(t.screen()).toContain(`on the Flink SQL Gateway at ${flink.gateway}`);
    expect(t.screen()).toMatch(/^tsstream default_catalog\.default_database>$/m);

    expect(await run(`CREATE TABLE window_events (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3)) WITH ('connector' = 'filesystem', 'path' = '${ROOT}/queries/data/window-events.jsonl', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');`)).toContain('[INFO] Execute statement succeeded.');

    // Completion of a table name the gateway knows.
    t.type('SELECT COUNT(*) FROM windo', false);
    t.keys('Tab');
    await t.waitForText('SELECT COUNT(*) FROM window_events', 'the completed table name');
    t.keys('C-u');

    expect(await run("SET 'execution.runtime-mode' = 'batch';")).toContain('[INFO] Session property has been set.');
    const batch = await run('SELECT event_type, COUNT(*) AS n FROM window_events GROUP BY event_type ORDER BY event_type;', 120_000);
    expect(batch).toMatch(/\| event_type \| +n \|/);
    expect(batch).toMatch(/\| +click \| +4 \|/);
    expect(batch).toMatch(/\d+ rows in set/);

    expect(await run("SET 'execution.runtime-mode' = 'streaming';")).toContain('[INFO] Session property has been set.');
    const streaming = await run("SELECT event_type, COUNT(*) AS n FROM window_events WHERE event_type <> 'view' GROUP BY event_type;", 120_000);
    expect(streaming).toMatch(/\| op \| +event_type \| +n \|/);
    expect(streaming).toMatch(/\| -U \| +click \| +3 \|/);
    expect(streaming).toMatch(/\| \+U \| +click \| +4 \|/);
    expect(streaming).toContain('Received a total of 8 rows');

    const error = await run('SELECT nope FROM window_events;');
    expect(error).toContain('[ERROR] Could not execute SQL statement. Reason:');
    expect(error).toMatch(/Column 'nope' not found/);
    expect(error).not.toMatch(/^\s+at [\w.$]+\(/m);

    t.type('QUIT;');
    await t.waitFor(() => t.paneDead(), 'the shell to exit', 30_000);
    expect(t.screen()).toContain('Shutting down the session...');
  }, 400_000);
});
