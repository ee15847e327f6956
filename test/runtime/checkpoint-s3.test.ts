// Checkpoints and savepoints on s3:// (moto's S3 on 127.0.0.1): a job resumes from the latest
// checkpoint stored in the bucket.
import { beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';
import { CheckpointStore, readCheckpoint, storageOptions } from '../../src/runtime/checkpoint-store.js';
import { parseTimestamp } from '../../src/common/time.js';
import { hasPeer, peer, skipReason } from '../peers/index.js';
import { s3Options, type MotoEndpoint } from '../peers/moto.js';
import { freshBucket } from '../peers/s3-util.js';

let s3: Record<string, string>;
let bucket: string;

describe.skipIf(!hasPeer('moto'))(`checkpoints on S3 (moto: ${skipReason('moto') ?? 'running'})`, () => {
  beforeAll(async () => {
    const moto = peer<MotoEndpoint>('moto');
    s3 = s3Options(moto);
    bucket = await freshBucket(moto, 'state');
  });

  it('are written to the bucket and resumed from by the next run', async () => {
    const run = async (rows: unknown[][]) => {
      const input = memoryChannel('chk-s3-in');
      input.splits.clear();
      input.ended = false;
      input.push(rows);
      input.end();
      const session = new Session({ log: () => {}, config: s3 });
      const res = await session.executeAll(`
        SET 'execution.checkpointing.dir' = 's3://${bucket}/checkpoints';
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
    const store = new CheckpointStore(`s3://${bucket}/checkpoints/on-s3`, storageOptions(new Map(Object.entries(s3))));
    expect(await store.list()).toEqual([1]);
    const chk = await readCheckpoint(`s3://${bucket}/checkpoints/on-s3/chk-1`, s3);
    expect(chk.jobName).toBe('on-s3');
    // The memory source's position (one row read) is in the checkpoint: the next run resumes after it.
    const second = await run([['a', t], ['b', t]]);
    expect(second.job.restoredFrom).toBe(1);
    expect(second.result.metrics.recordsIn).toBe(1);
    expect(await store.list()).toEqual([2]);
  });
});
