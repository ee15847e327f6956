// A damaged checkpoint or table metadata file: the error names the file and what is wrong with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';
import { readCheckpoint } from '../../src/runtime/checkpoint-store.js';
import { HadoopTableOperations } from '../../src/connectors/iceberg/table.js';
import { fileIOFor } from '../../src/io/fileio.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tsstream-corrupt-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function runJob(sql: string): Promise<void> {
  const session = new Session({ log: () => {} });
  try {
    for (const r of await session.executeAll(sql)) if (r.kind === 'job') await r.job.run();
  } finally {
    await session.close();
  }
}

function job(channel: string, extra = ''): string {
  return `
    SET 'execution.checkpointing.dir' = '${path.join(dir, 'chk')}';
    SET 'pipeline.name' = '${channel}';
    ${extra}
    CREATE TABLE src (n INT) WITH ('connector' = 'memory', 'channel' = '${channel}', 'bounded' = 'true');
    CREATE TABLE out (n INT) WITH ('connector' = 'memory', 'channel' = '${channel}-out');
    INSERT INTO out SELECT n FROM src;`;
}

async function checkpointOf(channel: string): Promise<string> {
  const c = memoryChannel(channel);
  c.push([[1], [2]]);
  c.end();
  await runJob(job(channel));
  return path.join(dir, 'chk', channel, 'chk-1', '_metadata');
}

describe('a damaged checkpoint', () => {
  it('cut short: the job names the _metadata file and says it is not complete JSON', async () => {
    const file = await checkpointOf('corrupt-cut');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.slice(0, Math.floor(text.length / 2)));
    const err = await runJob(job('corrupt-cut')).catch((e: Error) => e);
    expect(String((err as Error).message)).toContain(file);
    expect(String((err as Error).message)).toMatch(/checkpoint .* is damaged: not valid JSON \(.*\)/);
    expect(String((err as Error).message)).not.toMatch(/^Unexpected end of JSON input$/);
  });

  it('of another shape: names the file and the missing field instead of "job \'undefined\'"', async () => {
    const file = await checkpointOf('corrupt-shape');
    await fs.writeFile(file, JSON.stringify({ hello: 'world' }));
    const err = await runJob(job('corrupt-shape')).catch((e: Error) => e);
    const msg = String((err as Error).message);
    expect(msg).toContain(file);
    expect(msg).toMatch(/is not a tsstream checkpoint: .*'version'/);
    expect(msg).not.toContain('undefined');
  });

  it("given as 'execution.savepoint.path': the same message", async () => {
    const file = path.join(dir, 'savepoint-x', '_metadata');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '{"version": 1, "jobId": "a", "jobName": 7}');
    await expect(readCheckpoint(path.dirname(file))).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a tsstream checkpoint: 'jobName' is not a string`));
  });
});

describe('a damaged Iceberg metadata file', () => {
  it('cut short: the error names the vN.metadata.json file and the table', async () => {
    const wh = path.join(dir, 'wh');
    await runJob(`
      CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${wh}');
      CREATE DATABASE ice.db;
      CREATE TABLE ice.db.t (n INT);`);
    const file = path.join(wh, 'db', 't', 'metadata', 'v1.metadata.json');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.slice(0, 200));
    const ops = new HadoopTableOperations(await fileIOFor(wh, {}), path.join(wh, 'db', 't'), 'db.t');
    const err = await ops.load().catch((e: Error) => e);
    const msg = String((err as Error).message);
    expect(msg).toContain(file);
    expect(msg).toMatch(/Iceberg table db\.t: metadata file .* is damaged: not valid JSON/);
  });
});
