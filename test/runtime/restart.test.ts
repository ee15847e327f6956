import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { runJob } from '../../src/cli/commands/run.js';
import { makeRegistry } from '../../src/common/registry.js';
import { connectorFactories, catalogFactories } from '../../src/connectors/registry.js';
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
    const session = new Session({ registry: makeRegistry([...connectorFactories, flaky], catalogFactories), log: (_l, m) => logs.push(m) });
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
