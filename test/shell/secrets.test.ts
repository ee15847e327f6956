// Plain-text secrets typed in the shell do not stay on disk: the history masks WITH option and
// SET values named like secrets, and a background job's replay file lives only while the job runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadHistory, saveHistory } from '../../src/cli/shell/history.js';
import { runFile } from '../../src/cli/commands/run.js';
import { main } from '../../src/cli/main.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tsstream-secrets-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the shell history', () => {
  it('masks the values of WITH options and SET keys named like secrets, and keeps the rest', async () => {
    const file = path.join(dir, 'sql_history');
    const typed = [
      "CREATE CATALOG c WITH ('type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = 'http://x', 'credential' = 'id:s3cr3t-cred', 'token' = 'tok''en-42', 's3.secret-access-key' = 'AKIA-SECRET');",
      "CREATE TABLE k (a INT) WITH ('connector' = 'kafka', 'properties.sasl.jaas.config' = 'org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"pw-123\";', 'topic' = 't');",
      "SET 's3.secret-access-key' = 'another-secret';",
      'SET s3.session-token = unquoted-token;',
      "CREATE TABLE p (a INT) WITH ('connector' = 'jdbc', 'password' = 'hunter2', 'username' = 'bob');",
      'SELECT 1;',
    ];
    await saveHistory(file, [...typed].reverse());
    const text = await fs.readFile(file, 'utf8');
    for (const secret of ['s3cr3t-cred', "tok''en-42", 'AKIA-SECRET', 'pw-123', 'another-secret', 'unquoted-token', 'hunter2']) expect(text).not.toContain(secret);
    expect(text).toContain("'credential' = '******'");
    expect(text).toContain("'password' = '******'");
    expect(text).toContain("'username' = 'bob'");
    expect(text).toContain("'uri' = 'http://x'");
    expect(text).toContain('SELECT 1;');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadHistory(file)).toHaveLength(typed.length);
  });
});

describe("a background job's replay file", () => {
  function job(channel: string): string {
    return `
      SET 's3.secret-access-key' = 'replay-secret';
      CREATE TABLE src (n INT) WITH ('connector' = 'memory', 'channel' = '${channel}', 'bounded' = 'true');
      CREATE TABLE out (n INT) WITH ('connector' = 'memory', 'channel' = '${channel}-out');
      INSERT INTO out SELECT n FROM src;\n`;
  }

  it('is removed when the job ends (run --remove-file-when-done, as the shell starts it)', async () => {
    const file = path.join(dir, 'a.sql');
    await fs.writeFile(file, job('replay-a'), { mode: 0o600 });
    const c = memoryChannel('replay-a');
    c.push([[1]]);
    c.end();
    expect(await main(['node', 'tsstream', 'run', '-q', '--remove-file-when-done', file])).toBe(0);
    expect(memoryChannel('replay-a-out').written).toEqual([[1]]);
    await expect(fs.access(file)).rejects.toThrow();
  });

  it('is removed when the job fails too', async () => {
    const file = path.join(dir, 'b.sql');
    await fs.writeFile(file, "INSERT INTO nowhere SELECT 1;\n", { mode: 0o600 });
    expect(await runFile(file, { quiet: true, removeFileWhenDone: true })).toBe(1);
    await expect(fs.access(file)).rejects.toThrow();
  });

  it('is gone once the job has read it, while the job still runs (a SIGKILL then leaves nothing), and a plain `run FILE` never removes the file', async () => {
    const file = path.join(dir, 'c.sql');
    await fs.writeFile(file, job('replay-c'), { mode: 0o600 });
    const c = memoryChannel('replay-c');
    c.push([[1]]);
    const p = runFile(file, { quiet: true, removeFileWhenDone: true });
    while (memoryChannel('replay-c-out').written.length === 0) await new Promise((r) => setTimeout(r, 10));
    await expect(fs.access(file)).rejects.toThrow();
    c.end();
    expect(await p).toBe(0);
    await expect(fs.access(file)).rejects.toThrow();
    const kept = path.join(dir, 'd.sql');
    await fs.writeFile(kept, job('replay-d'));
    memoryChannel('replay-d').end();
    expect(await runFile(kept, { quiet: true })).toBe(0);
    await fs.access(kept);
  });
});
