// Mini-batch of the streaming GROUP BY (table.exec.mini-batch.*): when a batch ends (size,
// allow-latency, watermark, end of input) and what it emits (each group's net change), and an
// open batch carried across a checkpoint. Flink's results for the same options:
// test/difftest/cases/mini-batch.sql.
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { parseStatement } from '../../src/parser/index.js';
import type { QueryStatement } from '../../src/parser/ast.js';
import { rowKindOf, setRowKind, type Row } from '../../src/common/types.js';
import type { PhysicalNode } from '../../src/planner/physical.js';
import { StreamingGroupAggregateOperator } from '../../src/runtime/operators/aggregates.js';
import { parseState, stringifyState } from '../../src/runtime/checkpoint-store.js';
import { miniBatchOf } from '../../src/runtime/job.js';

async function groupAggNode(): Promise<Extract<PhysicalNode, { kind: 'GroupAggregate' }>> {
  const session = new Session({ log: () => {} });
  try {
    await session.executeAll(`SET 'execution.runtime-mode' = 'streaming'; CREATE TABLE t (k STRING, v INT) WITH ('connector' = 'datagen', 'number-of-rows' = '1');`);
    let n: PhysicalNode = (await session.plan(parseStatement('SELECT k, COUNT(*) AS n, MAX(v) AS mx FROM t GROUP BY k') as QueryStatement)).physical[0];
    while (n.kind !== 'GroupAggregate') n = (n as { input: PhysicalNode }).input;
    return n;
  } finally {
    await session.close();
  }
}

describe('streaming GROUP BY with mini-batch', () => {
  it('emits each group once per batch, ended by size, latency, watermark and end of input, across a checkpoint', async () => {
    const node = await groupAggNode();
    let now = 0;
    const make = () => {
      const out: string[] = [];
      const op = new StreamingGroupAggregateOperator(
        { emit: (rows: Row[]) => out.push(...rows.map((r) => `${rowKindOf(r)} ${r.join(',')}`)), watermark: () => out.push('wm'), end: () => out.push('end') },
        { metric: () => {}, now: () => now, miniBatch: { latency: 1000, size: 3 } },
        node.groupKeys, node.aggs, true,
      );
      return { op, out };
    };
    const first = make();
    first.op.process([['a', 10], ['b', 20]], 0);
    expect(first.out).toEqual([]);
    first.op.process([['a', 30]], 0); // the third row ends the batch
    expect(first.out).toEqual(['+I a,2,30', '+I b,1,20']);
    first.op.process([['a', 5], setRowKind(['b', 20], '-D')], 0);
    const state = parseState(stringifyState(first.op.snapshot())); // the open batch goes into the checkpoint
    const second = make();
    second.op.restore(state);
    second.op.process([['a', 7]], 0); // ends the batch of three: a changed, b's only row taken back
    expect(second.out).toEqual(['-U a,2,30', '+U a,4,30', '-D b,1,20']);
    second.op.process([['a', 1], setRowKind(['a', 1], '-U')], 0); // a's result back where it was: nothing
    now = 500;
    second.op.onProcessingTime(now);
    expect(second.out.length).toBe(3);
    second.op.process([['c', 1]], 0);
    now = 1200; // allow-latency since the batch's first row
    second.op.onProcessingTime(now);
    expect(second.out.slice(3)).toEqual(['+I c,1,1']);
    second.op.process([['c', 9]], 0);
    second.op.watermark(100, 0);
    second.op.process([['d', 2]], 0);
    second.op.endInput(0);
    expect(second.out.slice(4)).toEqual(['-U c,1,1', '+U c,2,9', 'wm', '+I d,1,2', 'end']);
  });

  it('reads the options as Flink does: off by default, on only with a positive latency and size', () => {
    const cfg = (o: Record<string, string>) => ({ get: (k: string) => o[k] });
    expect(miniBatchOf(cfg({}))).toBeUndefined();
    expect(miniBatchOf(cfg({ 'table.exec.mini-batch.enabled': 'true', 'table.exec.mini-batch.allow-latency': '2 s', 'table.exec.mini-batch.size': '50000' }))).toEqual({ latency: 2_000_000, size: 50000 });
    expect(() => miniBatchOf(cfg({ 'table.exec.mini-batch.enabled': 'true', 'table.exec.mini-batch.size': '10' }))).toThrow(/Latency must be greater than 0/);
    expect(() => miniBatchOf(cfg({ 'table.exec.mini-batch.enabled': 'true', 'table.exec.mini-batch.allow-latency': '1 s' }))).toThrow(/size' must be > 0/);
  });
});
