// The live status line of `tsstream run` in a real terminal (tmux): drawn at the bottom while the
// job runs in the foreground, cleared before every log line (which goes whole on its own line),
// gone with -q's [INFO] lines, and never drawn by a job sent to the background with `&`.
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TmuxSession, hasTmux } from '../shell/tmux.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STATUS = /RUNNING \| in \d+ \(\d+\/s\) \| out \d+/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasTmux())('the status line of tsstream run', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsstream-status-'));
  let t: TmuxSession | undefined;
  let n = 0;
  afterEach(() => t?.kill());
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** An unbounded job that commits an Iceberg snapshot (and logs an [INFO] line) every 500 ms. */
  async function jobFile(): Promise<string> {
    const f = path.join(tmp, `job${++n}.sql`);
    await fs.writeFile(
      f,
      `SET 'execution.checkpointing.interval' = '500 ms';
CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '50');
CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${path.join(tmp, `wh${n}`)}');
CREATE DATABASE ice.db;
CREATE TABLE ice.db.t (id BIGINT);
INSERT INTO ice.db.t SELECT id FROM g;
`,
    );
    return f;
  }

  it('is drawn in the foreground and cleared before every log line', async () => {
    t = new TmuxSession(root);
    t.start(`'${process.execPath}' bin/tsstream.js run '${await jobFile()}'`, 200, 60);
    const screen = await t.waitForText(/\[INFO\] Iceberg db\.t: committed snapshot/, 'three commits', 3, 30_000);
    const lines = screen.split('\n');
    for (const l of lines.filter((x) => x.includes('[INFO]'))) {
      expect(l, 'a log line on its own').toMatch(/^\[INFO\] /);
      expect(l).not.toMatch(STATUS);
    }
    await t.waitFor((s) => STATUS.test(s.split('\n').at(-1) ?? ''), 'the status line at the bottom');
    t.keys('C-c');
    await t.waitFor(() => t!.paneDead(), 'the job to end on Ctrl+C');
  }, 90_000);

  it('-q leaves out the [INFO] lines, not the status line', async () => {
    t = new TmuxSession(root);
    t.start(`'${process.execPath}' bin/tsstream.js run -q '${await jobFile()}'`, 200, 60);
    await t.waitFor((s) => STATUS.test(s) && /out [1-9]/.test(s), 'the status line with rows out', 30_000);
    await sleep(1500);
    expect(t.screen()).not.toContain('[INFO]');
    t.keys('C-c');
  }, 90_000);

  it('is not drawn by a job in the background of an interactive shell', async () => {
    t = new TmuxSession(root);
    t.start('env PS1=\'$ \' bash --norc --noprofile -i', 200, 60);
    await t.waitFor((s) => /\$$/.test(s), 'the bash prompt');
    t.type(`'${process.execPath}' bin/tsstream.js run -q '${await jobFile()}' &`);
    await t.waitForText(/^\[1\] \d+$/m, 'the background job number');
    await sleep(4000);
    t.type('echo MARK');
    const s = await t.waitFor((x) => /^MARK$/m.test(x) && /\$$/.test(x), 'the echo and the next prompt');
    expect(s).not.toMatch(STATUS);
    expect(s.split('\n').at(-1)).toBe('$');
    t.type('kill %1');
  }, 90_000);
});
