// Checkpoints and savepoints on s3:// (an S3-compatible server on 127.0.0.1): a job resumes
// from the latest checkpoint stored in the bucket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';
import { Session } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';
import { CheckpointStore, readCheckpoint, storageOptions } from '../../src/runtime/checkpoint-store.js';
import { parseTimestamp } from '../../src/common/time.js';

let server: { run(): Promise<{ port: number }>; close(): Promise<void> };
let dir: string;
let s3: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-chk-s3-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: 'state', configs: [] }] });
  const addr = await server.run();
  s3 = {
    's3.endpoint': `http://127.0.0.1:${addr.port}`,
    's3.path-style-access': 'true',
    's3.access-key-id': 'S3RVER',
    's3.secret-access-key': 'S3RVER',
    'client.region': 'us-east-1',
  };
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('checkpoints on S3', () => {
  it('are written to the bucket and resumed from by the next run', async () => {
    const run = async (rows: unknown[][]) => {
      const input = memoryChannel('chk-s3-in');
      input.splits.clear();
      input.ended = false;
      input.push(rows);
      input.end();
      const session = new Session({ log: () => {}, config: s3 });
      const res = await session.executeAll(`
        SET 'execution.checkpointing.dir' = 's3://state/checkpoints';
        SET 'pipeline.name' = 'on-s3';
        CREATE TABLE ev (k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'memory', 'channel' = 'chk-s3-in', 'bounded' = 'true');
        CREATE TABLE out (k STRING, c BIGINT) WITH ('connector' = 'memory', 'channel' = 'chk-s3-out');
        INSERT INTO out SELECT k, COUNT(*) FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, k;`);
      const r = res[res.length - 1];
      if (r.kind !== 'job') throw new Error('expected a job');
      const result = await r.job.run();
      await session.close();
      return { result, job: r.job };
    };
    const t = parseTimestamp('2025-12-29 10:00:10')!;
    const first = await run([['a', t]]);
    expect(first.result.status).toBe('FINISHED');
    const store = new CheckpointStore('s3://state/checkpoints/on-s3', storageOptions(new Map(Object.entries(s3))));
    expect(await store.list()).toEqual([1]);
    const chk = await readCheckpoint('s3://state/checkpoints/on-s3/chk-1', s3);
    expect(chk.jobName).toBe('on-s3');
    // The memory source's position (one row read) is in the checkpoint: the next run resumes after it.
    const second = await run([['a', t], ['b', t]]);
    expect(second.job.restoredFrom).toBe(1);
    expect(second.result.metrics.recordsIn).toBe(1);
    expect(await store.list()).toEqual([2]);
  });
});
