// A source's work after a completed checkpoint (Kafka: committing offsets to the group) may hang
// on an unreachable group coordinator: it must never hold back checkpoints, savepoints or cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from '../../src/cli/session.js';
import { makeRegistry } from '../../src/common/registry.js';
import { connectorModules, catalogModules } from '../../src/connectors/registry.js';
import type { ConnectorFactory, DynamicSource, SourceBatch } from '../../src/common/connector.js';
import type { Job } from '../../src/runtime/job.js';

/** An unbounded source of 0, 1, 2, … whose notifyCheckpointComplete never ends (until released). */
let release: () => void = () => {};
let notified: number[] = [];
const stuck: ConnectorFactory = {
  identifier: 'stuck-commits',
  description: 'test source whose offset commits hang',
  options: [],
  createSource(): DynamicSource {
    let next = 0;
    return {
      bounded: false,
      async open() {},
      async poll(): Promise<SourceBatch[] | null> {
        await new Promise((r) => setTimeout(r, 5));
        return [{ split: '0', rows: [[next++]] }];
      },
      splits: () => ['0'],
      snapshotState: () => next,
      notifyCheckpointComplete(id: number) {
        notified.push(id);
        return new Promise<void>((resolve) => (release = resolve));
      },
      async close() {},
    };
  },
};

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tsstream-stuck-'));
});
afterAll(async () => {
  release();
  await fs.rm(dir, { recursive: true, force: true });
});

async function start(): Promise<{ job: Job; run: Promise<unknown> }> {
  notified = [];
  const session = new Session({ registry: makeRegistry([...connectorModules, stuck], catalogModules), log: () => {} });
  const res = await session.executeAll(`
    SET 'execution.checkpointing.interval' = '20 ms';
    CREATE TABLE src (n INT) WITH ('connector' = 'stuck-commits');
    CREATE TABLE out (n INT) WITH ('connector' = 'blackhole');
    INSERT INTO out SELECT n FROM src;`);
  const r = res[res.length - 1];
  if (r.kind !== 'job') throw new Error('expected a job');
  return { job: r.job, run: r.job.run() };
}

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('an offset commit that hangs', () => {
  it('does not hold back the next checkpoints', async () => {
    const { job, run } = await start();
    await until(() => job.metrics.checkpoints >= 3, 'three checkpoints');
    expect(notified[0]).toBe(1);
    job.cancel();
    await run;
  });

  it('does not hold back a savepoint', async () => {
    const { job, run } = await start();
    await until(() => job.metrics.checkpoints >= 1, 'the first checkpoint');
    const sp = await job.triggerSavepoint(path.join(dir, 'savepoints'));
    expect(sp).toContain('savepoint-');
    job.cancel();
    await run;
  });

  it('does not hold back cancel', async () => {
    const { job, run } = await start();
    await until(() => notified.length >= 1, 'a hanging commit');
    job.cancel();
    const r = (await run) as { status: string };
    expect(r.status).toBe('CANCELED');
  });
});
