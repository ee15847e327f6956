import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { runJob } from '../../src/cli/commands/run.js';
import { restartPolicy } from '../../src/cli/jobs/restart.js';
import { makeRegistry } from '../../src/common/registry.js';
import { connectorModules, catalogModules } from '../../src/connectors/registry.js';
import type { ConnectorFactory, DynamicSource, SourceBatch } from '../../src/common/connector.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';
import type { Job } from '../../src/runtime/job.js';

/** A source of 0..9 that fails once, after its fifth row, the first time it is opened. */
let failures = 0;
const flaky: ConnectorFactory = {
  identifier: 'flaky',
  description: 'test source that fails once',
  options: [],
  createSource(): DynamicSource {
    let next = 0;
    return {
      bounded: true,
      async open(_ctx, restored) {
        next = (restored as number | undefined) ?? 0;
      },
      async poll(): Promise<SourceBatch[] | null> {
        if (next >= 10) return null;
        if (next === 5 && failures === 0) {
          failures++;
          throw new Error('transient failure');
        }
        await new Promise((r) => setTimeout(r, 20));
        return [{ split: '0', rows: [[next++]] }];
      },
      splits: () => ['0'],
      snapshotState: () => next,
      async close() {},
    };
  },
};

describe('restart-strategy fixed-delay', () => {
  it('restarts a failed job from its last checkpoint and finishes', async () => {
    const logs: string[] = [];
    const session = new Session({ registry: makeRegistry([...connectorModules, flaky], catalogModules), log: (_l, m) => logs.push(m) });
    const res = await session.executeAll(`
      SET 'restart-strategy' = 'fixed-delay';
      SET 'restart-strategy.fixed-delay.attempts' = '2';
      SET 'restart-strategy.fixed-delay.delay' = '10 ms';
      SET 'execution.checkpointing.interval' = '30 ms';
      CREATE TABLE src (n INT) WITH ('connector' = 'flaky');
      CREATE TABLE out (n INT) WITH ('connector' = 'memory', 'channel' = 'restart-out');
      INSERT INTO out SELECT n FROM src;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    await runJob(r, session, true, new Set<Job>());
    expect(failures).toBe(1);
    expect(logs.join('\n')).toMatch(/failed: .*transient failure\. Restarting from checkpoint \d+/);
    // Every number arrives at least once (the memory sink is not transactional), and all ten arrive.
    const seen = new Set(memoryChannel('restart-out').written.map((row) => row[0]));
    expect([...seen].sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

/**
 * A source of 0..14 that fails right after its first completed checkpoint (attempt 1), and again
 * at its first poll after that restart (attempt 2), before that attempt completes a checkpoint.
 */
const opened: unknown[] = [];
let attempt = 0;
const failsTwice: ConnectorFactory = {
  identifier: 'fails-twice',
  description: 'test source that fails in two attempts',
  options: [],
  createSource(): DynamicSource {
    let next = 0;
    let snapshotAt = 0;
    let failNow = false;
    const mine = ++attempt;
    return {
      bounded: true,
      async open(_ctx, restored) {
        opened.push(restored);
        next = (restored as number | undefined) ?? 0;
      },
      async poll(): Promise<SourceBatch[] | null> {
        if (mine === 1 && failNow) throw new Error('first failure');
        if (mine === 2) throw new Error('second failure');
        if (next >= 15) return null;
        await new Promise((r) => setTimeout(r, 10));
        return [{ split: '0', rows: [[next++]] }];
      },
      splits: () => ['0'],
      snapshotState: () => (snapshotAt = next),
      async notifyCheckpointComplete() {
        if (snapshotAt >= 5) failNow = true;
      },
      async close() {},
    };
  },
};

describe('a restart that fails again', () => {
  it('resumes from the last completed checkpoint kept in memory (no checkpoint directory), not from the beginning', async () => {
    const logs: string[] = [];
    const session = new Session({ registry: makeRegistry([...connectorModules, failsTwice], catalogModules), log: (_l, m) => logs.push(m) });
    const res = await session.executeAll(`
      SET 'restart-strategy' = 'fixed-delay';
      SET 'restart-strategy.fixed-delay.attempts' = '3';
      SET 'restart-strategy.fixed-delay.delay' = '10 ms';
      SET 'execution.checkpointing.interval' = '30 ms';
      CREATE TABLE src (n INT) WITH ('connector' = 'fails-twice');
      CREATE TABLE out (n INT) WITH ('connector' = 'memory', 'channel' = 'restart-twice-out');
      INSERT INTO out SELECT n FROM src;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    await runJob(r, session, true, new Set<Job>());
    expect(attempt).toBe(3);
    const resumedAt = opened[1];
    expect(typeof resumedAt).toBe('number');
    expect(resumedAt as number).toBeGreaterThanOrEqual(5);
    // The third attempt starts where the second did: the checkpoint of the first.
    expect(opened).toEqual([undefined, resumedAt, resumedAt]);
    // Nothing after that checkpoint was written before the failure, so nothing is doubled.
    expect(memoryChannel('restart-twice-out').written.map((row) => row[0])).toEqual(Array.from({ length: 15 }, (_, i) => i));
    const restarts = logs.filter((m) => m.includes('Restarting'));
    expect(restarts).toHaveLength(2);
    for (const m of restarts) expect(m).toMatch(/Restarting from checkpoint \d+ kept in memory \(no checkpoint directory is set/);
  });
});

/** A source of 0..4 that fails at its first poll when `failNext` is set. */
let failNext = false;
const resumable: ConnectorFactory = {
  identifier: 'resumable',
  description: 'test source that fails on demand',
  options: [],
  createSource(): DynamicSource {
    let next = 0;
    return {
      bounded: true,
      async open(_ctx, restored) {
        next = (restored as number | undefined) ?? 0;
      },
      async poll(): Promise<SourceBatch[] | null> {
        if (failNext) {
          failNext = false;
          throw new Error('failure before any checkpoint');
        }
        if (next >= 5) return null;
        return [{ split: '0', rows: [[next++]] }];
      },
      splits: () => ['0'],
      snapshotState: () => next,
      async close() {},
    };
  },
};

describe('the restart message', () => {
  it('names the checkpoint on disk the failed run had resumed from, not "the beginning"', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'tsstream-restart-'));
    const script = `
      SET 'restart-strategy' = 'fixed-delay';
      SET 'restart-strategy.fixed-delay.attempts' = '1';
      SET 'restart-strategy.fixed-delay.delay' = '10 ms';
      SET 'execution.checkpointing.interval' = '1 h';
      SET 'execution.checkpointing.dir' = '${dir}';
      SET 'pipeline.name' = 'resumable-job';
      CREATE TABLE src (n INT) WITH ('connector' = 'resumable');
      CREATE TABLE out (n INT) WITH ('connector' = 'memory', 'channel' = 'restart-disk-out');
      INSERT INTO out SELECT n FROM src;`;
    const run = async (logs: string[]) => {
      const session = new Session({ registry: makeRegistry([...connectorModules, resumable], catalogModules), log: (_l, m) => logs.push(m) });
      const res = await session.executeAll(script);
      const r = res[res.length - 1];
      if (r.kind !== 'job') throw new Error('expected a job');
      await runJob(r, session, true, new Set<Job>());
    };
    await run([]); // ends with its final checkpoint 1 on disk
    failNext = true;
    const logs: string[] = [];
    await run(logs);
    const m = logs.find((l) => l.includes('Restarting'));
    expect(m).toContain(`Restarting from checkpoint 1 at ${join(dir, 'resumable-job', 'chk-1')}`);
    expect(m).not.toContain('beginning');
    expect(memoryChannel('restart-disk-out').written.map((row) => row[0])).toEqual([0, 1, 2, 3, 4]);
  });
});

/** A source that fails at every poll, counting its attempts. */
let alwaysAttempts = 0;
const alwaysFails: ConnectorFactory = {
  identifier: 'always-fails',
  description: 'test source that always fails',
  options: [],
  createSource(): DynamicSource {
    alwaysAttempts++;
    return {
      bounded: true,
      async open() {},
      async poll(): Promise<SourceBatch[] | null> {
        throw new Error('broken record');
      },
      splits: () => ['0'],
      snapshotState: () => 0,
      async close() {},
    };
  },
};

describe("Flink's default restart strategy (issue 19 item 2)", () => {
  it('with checkpointing on and no strategy set: exponential-delay (1 s, ×1.5, at most 1 min, 10 % jitter), without a limit', () => {
    const p = restartPolicy(new Map([['execution.checkpointing.interval', '10 s']]), () => 0.5);
    expect(p.name).toBe('exponential-delay, the default with checkpointing on');
    expect(p.attempts).toBe(Infinity);
    expect([1, 2, 3, 4, 12, 100].map((n) => p.delayBefore(n))).toEqual([1000, 1500, 2250, 3375, 60_000, 60_000]);
    const low = restartPolicy(new Map([['execution.checkpointing.interval', '10 s']]), () => 0);
    const high = restartPolicy(new Map([['execution.checkpointing.interval', '10 s']]), () => 1);
    expect([low.delayBefore(1), high.delayBefore(1)]).toEqual([900, 1100]);
    expect(p.resetsAfter(3_600_000)).toBe(true);
    expect(p.resetsAfter(60_000)).toBe(false);
  });

  it('without checkpointing: none; an explicit strategy wins', () => {
    expect(restartPolicy(new Map()).name).toBe('none');
    expect(restartPolicy(new Map()).delayBefore(1)).toBeUndefined();
    expect(restartPolicy(new Map([['execution.checkpointing.interval', '1 s'], ['restart-strategy.type', 'none']])).delayBefore(1)).toBeUndefined();
    const f = restartPolicy(new Map([['restart-strategy', 'fixed-delay'], ['restart-strategy.fixed-delay.attempts', '2'], ['restart-strategy.fixed-delay.delay', '5 s']]));
    expect([f.delayBefore(1), f.delayBefore(2), f.delayBefore(3)]).toEqual([5000, 5000, undefined]);
  });

  it('a failing job with checkpointing on restarts with growing delays, logged with the strategy, until its attempts run out', async () => {
    const logs: string[] = [];
    const session = new Session({ registry: makeRegistry([...connectorModules, alwaysFails], catalogModules), log: (_l, m) => logs.push(m) });
    const res = await session.executeAll(`
      SET 'execution.checkpointing.interval' = '1 s';
      SET 'restart-strategy.exponential-delay.initial-backoff' = '20 ms';
      SET 'restart-strategy.exponential-delay.backoff-multiplier' = '2';
      SET 'restart-strategy.exponential-delay.jitter-factor' = '0';
      SET 'restart-strategy.exponential-delay.attempts-before-reset-backoff' = '3';
      CREATE TABLE src (n INT) WITH ('connector' = 'always-fails');
      CREATE TABLE out (n INT) WITH ('connector' = 'blackhole');
      INSERT INTO out SELECT n FROM src;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    await expect(runJob(r, session, true, new Set<Job>())).rejects.toThrow(/broken record/);
    expect(alwaysAttempts).toBe(4);
    const restarts = logs.filter((m) => m.includes('Restarting'));
    expect(restarts.map((m) => /in (\d+) ms \(attempt (\d) of 3; restart-strategy ([^)]+)\)/.exec(m)?.slice(1))).toEqual([
      ['20', '1', 'exponential-delay, the default with checkpointing on'],
      ['40', '2', 'exponential-delay, the default with checkpointing on'],
      ['80', '3', 'exponential-delay, the default with checkpointing on'],
    ]);
  });
});
