// A background INSERT that fails after it started, seen from the shell in a real terminal (tmux):
// the shell says so when it happens (why, and the log file), SHOW JOBS and `tsstream jobs list`
// show FAILED with the reason.
import { spawnSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TmuxSession, hasTmux } from '../shell/tmux.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const atPrompt = (screen: string) => /^tsstream \S+\.\S+>$/.test(screen.split('\n').at(-1) ?? '');

describe.skipIf(!hasTmux())('a background INSERT that fails', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsstream-bg-'));
  const home = path.join(tmp, 'home');
  const data = path.join(tmp, 'live.jsonl');
  const t = new TmuxSession(root);
  afterAll(() => {
    t.kill();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('is reported in the shell when it fails, with the reason and the log, and in SHOW JOBS and jobs list', async () => {
    await fs.writeFile(data, '{"s":"1"}\n');
    t.start(`env TSSTREAM_HOME='${home}' '${process.execPath}' bin/tsstream.js sql`);
    await t.waitFor(atPrompt, 'the first prompt');
    t.type(`CREATE TABLE src (s STRING) WITH ('connector' = 'filesystem', 'path' = '${data}', 'format' = 'json', 'source.monitor-interval' = '100ms');`);
    await t.waitForText('Execute statement succeeded.', 'CREATE TABLE src', 1);
    t.type("CREATE TABLE snk (n INT) WITH ('connector' = 'blackhole');");
    await t.waitForText('Execute statement succeeded.', 'CREATE TABLE snk', 2);
    t.type('INSERT INTO snk SELECT CAST(s AS INT) FROM src;');
    const submitted = await t.waitForText(/Job ID: [0-9a-f]{32}/, 'the job id', 1, 30_000);
    const id = /Job ID: ([0-9a-f]{32})/.exec(submitted)![1];
    await t.waitFor(atPrompt, 'the prompt after the INSERT');
    // The user starts typing; then a bad record arrives and the job fails.
    t.type('SHOW JOB', false);
    await fs.appendFile(data, '{"s":"abc"}\n');
    const screen = await t.waitForText(`[ERROR] Job ${id} (insert-into_default_catalog.default_database.snk) failed: Cannot cast 'abc' of type STRING to INT`, 'the failure notice', 1, 30_000);
    expect(screen).toContain(`Log: ${path.join(home, 'sql-client', `${id}.log`)}`);
    // The prompt and the half-typed line are drawn again below the notice.
    await t.waitFor((s) => /^tsstream default_catalog\.default_database> SHOW JOB$/.test(s.split('\n').at(-1) ?? ''), 'the prompt redrawn with the typed text');
    t.type('S;');
    const jobs = await t.waitFor((s) => /\| +failure \|/.test(s) && atPrompt(s), 'SHOW JOBS with the failure');
    const row = jobs.split('\n').find((l) => l.includes(id) && l.includes('FAILED'));
    expect(row).toMatch(/Cannot cast 'abc' of type STRING to INT \(log: .*\.log\) \|$/);
    t.type('QUIT;');
    const list = spawnSync(process.execPath, ['bin/tsstream.js', 'jobs', 'list'], { cwd: root, encoding: 'utf8', env: { ...process.env, TSSTREAM_HOME: home } });
    expect(list.status).toBe(0);
    const line = list.stdout.split('\n').find((l) => l.includes(id));
    expect(line).toMatch(/\| +FAILED \|/);
    expect(line).toContain(`Cannot cast 'abc' of type STRING to INT (log: ${path.join(home, 'sql-client', `${id}.log`)})`);
  }, 120_000);
});
