// queries/: every SQL file passes `tsstream validate`, and the embedded variants of S1–S4 run
// as queries/README.md walks through them (in a copy of queries/, with the CLI as a user runs it):
// the exact tables of SCENARIOS.md at each step.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/tsstream.js');

function sqlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sqlFiles(p));
    else if (name.endsWith('.sql')) out.push(path.relative(root, p));
  }
  return out;
}

describe('queries/ files', () => {
  const files = sqlFiles(path.join(root, 'queries'));
  it('has S1–S4 for the compose stack and the embedded default', () => {
    for (const s of ['s1', 's2', 's3', 's4']) {
      expect(files.filter((f) => f.startsWith(`queries/compose/${s}-`)).length).toBeGreaterThanOrEqual(2);
      expect(files.filter((f) => f.startsWith(`queries/embedded/${s}-`)).length).toBeGreaterThanOrEqual(2);
    }
  });
  it.each(files)('%s passes tsstream validate', (file) => {
    const r = spawnSync(process.execPath, [bin, 'validate', file], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the embedded scenarios', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-queries-'));
  const env = { ...process.env, TSSTREAM_HOME: path.join(dir, 'home') };
  const started: ChildProcess[] = [];

  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  /** Starts a job in the background as `tsstream run FILE &` would; resolves with its job id. */
  const start = async (...args: string[]): Promise<string> => {
    const child = spawn(process.execPath, [bin, 'run', ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const end = Date.now() + 20_000;
    while (Date.now() < end) {
      const m = /Job ID: ([0-9a-f]{32})/.exec(err);
      if (m) return m[1];
      if (child.exitCode !== null) break;
      await sleep(50);
    }
    throw new Error(`no job id from tsstream run ${args.join(' ')}:\n${err}`);
  };
  const rows = (out: string) => out.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim())).slice(1);
  /** Runs a query file until its first table equals `want` (or fails after the timeout with the last one). */
  const expectTable = async (file: string, want: string[][], timeoutMs = 20_000) => {
    const end = Date.now() + timeoutMs;
    let got: string[][] = [];
    while (Date.now() < end) {
      const r = cli('run', '-q', file);
      const firstTable = r.out.split(/\d+ rows? in set|Empty set/)[0];
      got = rows(firstTable);
      if (JSON.stringify(got) === JSON.stringify(want)) return;
      await sleep(300);
    }
    expect(got).toEqual(want);
  };
  /** Appends a data file to an input file, as a producer would. */
  const append = async (from: string, to: string) => fs.appendFile(path.join(dir, to), await fs.readFile(path.join(dir, from)));
  const input = async (name: string) => fs.mkdir(path.join(dir, 'queries/embedded/input', name), { recursive: true });

  beforeAll(async () => {
    await fs.cp(path.join(root, 'queries'), path.join(dir, 'queries'), { recursive: true });
    for (const p of ['warehouse', 'input', 'checkpoints', 'savepoints']) await fs.rm(path.join(dir, 'queries/embedded', p), { recursive: true, force: true });
  });

  afterAll(() => {
    for (const c of started) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the quickstart', () => {
    const r = cli('run', '-q', 'queries/quickstart.sql');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/2025-12-29.10:00.*click.* 3\b/);
  });

  it('S1: a streaming append into Iceberg, visible after a checkpoint; e004 makes it 4 rows', async () => {
    await input('events');
    await append('queries/data/events.jsonl', 'queries/embedded/input/events/events.jsonl');
    const id = await start('queries/embedded/s1-file-to-iceberg.sql');
    const row = (id: string, u: string, t: string, ts: string) => [id, u, t, `2025-12-29 ${ts}.000000`];
    await expectTable('queries/embedded/s1-query.sql', [row('e001', 'u001', 'click', '10:00:00'), row('e002', 'u002', 'view', '10:00:05'), row('e003', 'u001', 'purchase', '10:00:10')]);
    await append('queries/data/events-e004.jsonl', 'queries/embedded/input/events/events.jsonl');
    await expectTable('queries/embedded/s1-query.sql', [
      row('e001', 'u001', 'click', '10:00:00'),
      row('e002', 'u002', 'view', '10:00:05'),
      row('e003', 'u001', 'purchase', '10:00:10'),
      row('e004', 'u003', 'login', '10:01:00'),
    ]);
    expect(cli('jobs', 'cancel', id).code).toBe(0);
  }, 90_000);

  it('S2: the window is written only once the watermark passes its end', async () => {
    await input('window-events');
    await append('queries/data/window-events-1.jsonl', 'queries/embedded/input/window-events/events.jsonl');
    const id = await start('queries/embedded/s2-tumble-window.sql');
    // Watermark 10:00:50: a few checkpoints later the table is still empty.
    await sleep(5000);
    await expectTable('queries/embedded/s2-query.sql', []);
    await append('queries/data/window-events-2.jsonl', 'queries/embedded/input/window-events/events.jsonl');
    const w = (t: string, n: string) => ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', t, n];
    await expectTable('queries/embedded/s2-query.sql', [w('click', '3'), w('purchase', '1'), w('view', '1')]);
    const snaps = cli('run', '-q', 'queries/embedded/s2-query.sql').out.split('3 rows in set')[1];
    expect(rows(snaps).map((r) => r[2])).toEqual(['append']);
    expect(cli('jobs', 'cancel', id).code).toBe(0);
  }, 90_000);

  it('S3: savepoint, cancel, resume from the savepoint with no loss and no duplicates', async () => {
    await input('savepoint-events');
    const file = 'queries/embedded/input/savepoint-events/events.jsonl';
    await append('queries/data/savepoint-events-1.jsonl', file);
    const id = await start('queries/embedded/s3-savepoint.sql');
    const w = (m: number, t: string, n: string) => [`2025-12-30 10:0${m}:00.000000`, `2025-12-30 10:0${m + 1}:00.000000`, t, n];
    const step1 = [w(0, 'click', '2'), w(0, 'view', '1')];
    await expectTable('queries/embedded/s3-query.sql', step1);
    const sp = cli('jobs', 'savepoint', id);
    const savepoint = /Path: (\S+)/.exec(sp.out)?.[1];
    expect(savepoint, sp.out + sp.err).toBeDefined();
    expect(cli('jobs', 'cancel', id).code).toBe(0);
    await sleep(500);
    await append('queries/data/savepoint-events-2.jsonl', file);
    const id2 = await start('queries/embedded/s3-savepoint.sql', '--set', `execution.savepoint.path=${savepoint}`);
    const step4 = [...step1, w(1, 'click', '1'), w(1, 'purchase', '1'), w(1, 'view', '1')];
    await expectTable('queries/embedded/s3-query.sql', step4);
    await sleep(3000); // sp004's window (10:02–10:03) stays open: watermark 10:02:55
    await expectTable('queries/embedded/s3-query.sql', step4);
    await append('queries/data/savepoint-events-3.jsonl', file);
    await expectTable('queries/embedded/s3-query.sql', [...step4, w(2, 'click', '1')]);
    const stop = cli('jobs', 'stop', id2);
    expect(stop.out).toMatch(/Savepoint completed\. Path: /);
  }, 120_000);

  it('S4: available-now runs commit snapshots of 10, 1 and 4 records', async () => {
    await input('user-events');
    const dirIn = 'queries/embedded/input/user-events';
    await append('queries/data/user-events-1.jsonl', `${dirIn}/part-1.jsonl`);
    expect(cli('run', '-q', 'queries/embedded/s4-available-now.sql').code).toBe(0);
    await append('queries/data/user-events-2.jsonl', `${dirIn}/part-1.jsonl`);
    expect(cli('run', '-q', 'queries/embedded/s4-available-now.sql').code).toBe(0);
    await append('queries/data/user-events-3.jsonl', `${dirIn}/part-2.jsonl`);
    expect(cli('run', '-q', 'queries/embedded/s4-available-now.sql').code).toBe(0);
    const out = cli('run', '-q', 'queries/embedded/s4-available-now.sql'.replace('available-now', 'query')).out;
    const [counts, snaps] = out.split(/\d+ rows? in set/);
    expect(rows(counts)).toEqual([['click', '5'], ['page_view', '5'], ['purchase', '5']]);
    expect(rows(snaps).map((r) => [r[2], r[3]])).toEqual([['append', '10'], ['append', '1'], ['append', '4']]);
  }, 90_000);
});
