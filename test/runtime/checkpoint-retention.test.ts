import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/cli/session.js';
import { CheckpointStore, readCheckpoint, retainedCheckpoints, stringifyState, type CheckpointData } from '../../src/runtime/checkpoint-store.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';

function data(id: number): CheckpointData {
  return { version: 1, jobId: 'j', jobName: 'n', checkpointId: id, planFingerprint: 'f', timestamp: 0, savepoint: false, sources: [], operators: [], sinks: [] };
}

describe('state.checkpoints.num-retained', () => {
  for (const bad of ['-1', '0', '1.5', 'all']) {
    it(`'${bad}' is refused when the job is made, naming the key and what is allowed`, async () => {
      const session = new Session({ log: () => {} });
      const p = session.executeAll(`
        SET 'state.checkpoints.num-retained' = '${bad}';
        SET 'execution.checkpointing.dir' = '/tmp/unused-${bad}';
        CREATE TABLE src (n INT) WITH ('connector' = 'memory', 'channel' = 'retain-in-${bad}');
        CREATE TABLE out (n INT) WITH ('connector' = 'memory', 'channel' = 'retain-out-${bad}');
        INSERT INTO out SELECT n FROM src;`);
      await expect(p).rejects.toThrow(/'state\.checkpoints\.num-retained'.*whole number/);
    });

    it(`'${bad}' is refused by the runtime too (a configuration that did not come through SET)`, () => {
      expect(() => retainedCheckpoints(new Map([['state.checkpoints.num-retained', bad]]))).toThrow(/'state\.checkpoints\.num-retained' = '.*' is not allowed: it must be a whole number of at least 1/);
    });
  }

  it('pruning never deletes the latest completed checkpoint, whatever it is asked to keep', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsstream-retain-'));
    const store = new CheckpointStore(dir);
    for (const id of [1, 2, 3]) await store.write(data(id));
    await store.prune(-1);
    expect(await store.list()).toEqual([3]);
    await store.write(data(4));
    await store.prune(0);
    expect(await store.list()).toEqual([4]);
    await store.write(data(5));
    await store.prune(Number.NaN);
    expect(await store.list()).toEqual([5]);
    await store.write(data(6));
    await store.prune(2);
    expect(await store.list()).toEqual([5, 6]);
  });

  it('a job keeps the newest checkpoints it is told to, and its latest is always on disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsstream-retain-job-'));
    const src = memoryChannel('retain-job-in');
    src.push([[1], [2], [3]]);
    src.end();
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      SET 'state.checkpoints.num-retained' = '2';
      SET 'execution.checkpointing.dir' = '${dir}';
      SET 'pipeline.name' = 'retain-job';
      CREATE TABLE src (n INT) WITH ('connector' = 'memory', 'channel' = 'retain-job-in', 'bounded' = 'true');
      CREATE TABLE out (n INT) WITH ('connector' = 'memory', 'channel' = 'retain-job-out');
      INSERT INTO out SELECT n FROM src;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    await r.job.run();
    expect((await readdir(join(dir, 'retain-job'))).filter((n) => n.startsWith('chk-'))).toEqual(['chk-1']);
  });
});

describe('incremental checkpoints on disk', () => {
  const op = (o: Record<string, unknown>) => ({ base: { wm: [null] }, ...o });
  const chk = (id: number, operators: unknown[], previous?: number): CheckpointData => ({ ...data(id), operators, ...(previous !== undefined ? { previous } : {}) });

  it('a delta is read with the checkpoints before it as its prior; pruning keeps them while a kept checkpoint needs them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsstream-incremental-'));
    const store = new CheckpointStore(dir);
    const write = (d: CheckpointData) => store.writeBytes(d.checkpointId, new TextEncoder().encode(stringifyState(d)), d.previous);
    await write(chk(1, [op({ whole: 1 }), { n: 1 }]));
    await write(chk(2, [op({ delta: true, d: 2 }), { n: 2 }], 1));
    await store.prune(1);
    await write(chk(3, [op({ delta: true, d: 3 }), { n: 3 }], 2));
    await store.prune(1);
    expect(await store.list()).toEqual([1, 2, 3]);
    const latest = (await store.latest())!;
    expect(latest.operators[0]).toEqual(op({ delta: true, d: 3, prior: op({ delta: true, d: 2, prior: op({ whole: 1 }) }) }));
    expect(latest.operators[1]).toEqual({ n: 3 }); // a whole state gets no prior
    // A whole checkpoint: the chain before it goes.
    await write(chk(4, [op({ whole: 4 }), { n: 4 }]));
    await store.prune(1);
    expect(await store.list()).toEqual([4]);
    // A delta whose earlier checkpoint is gone is an error naming both.
    await write(chk(5, [op({ delta: true, d: 5 }), { n: 5 }], 3));
    await expect(readCheckpoint(join(dir, 'chk-5'))).rejects.toThrow(/chk-5 is incremental: it applies to checkpoint 3, and .*chk-3 is missing/);
  });
});
