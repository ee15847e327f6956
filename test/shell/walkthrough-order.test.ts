// Issue 19 item 10: the embedded walkthrough's jobs can be run again, and in another order,
// without "already exists" errors or duplicated rows (IF NOT EXISTS, each scenario its own tables,
// a resumed checkpoint). In a fresh copy of queries/, with the CLI as a user runs it.
import { spawnSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/tsstream.js');
const rows = (out: string) => out.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim())).slice(1);

describe('the embedded walkthrough run again and out of order', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-order-'));
  const env = { ...process.env, TSSTREAM_HOME: path.join(dir, 'home') };
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  beforeAll(async () => {
    await fs.cp(path.join(root, 'queries'), path.join(dir, 'queries'), { recursive: true });
    for (const p of ['warehouse', 'input', 'checkpoints', 'savepoints']) await fs.rm(path.join(dir, 'queries/embedded', p), { recursive: true, force: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('S4 before the quickstart, each twice: no error, the same counts, no row twice', async () => {
    const input = path.join(dir, 'queries/embedded/input/user-events');
    await fs.mkdir(input, { recursive: true });
    await fs.copyFile(path.join(dir, 'queries/data/user-events-1.jsonl'), path.join(input, 'part-1.jsonl'));
    const s4 = () => {
      const r = cli('run', '-q', 'queries/embedded/s4-available-now.sql');
      expect(r.code, r.err).toBe(0);
      expect(r.err).not.toMatch(/already exists|\[ERROR\]/);
      return rows(cli('run', '-q', 'queries/embedded/s4-query.sql').out.split(/\d+ rows? in set/)[0]);
    };
    const first = s4();
    expect(first.reduce((n, r) => n + Number(r[1]), 0)).toBe(10);
    // Again with nothing new: it resumes from its checkpoint and reads nothing twice.
    expect(s4()).toEqual(first);
    const quick = () => {
      const r = cli('run', '-q', 'queries/quickstart.sql');
      expect(r.code, r.err).toBe(0);
      expect(r.err).not.toMatch(/already exists|\[ERROR\]/);
      return rows(r.out.split(/\d+ rows? in set/)[0]);
    };
    const counts = quick();
    expect(counts.length).toBeGreaterThan(0);
    expect(quick()).toEqual(counts);
    // And S4 after the quickstart still has its own 10 rows.
    expect(s4()).toEqual(first);
  }, 120_000);
});
