import { describe, expect, it } from 'vitest';
import type { Row } from '../../src/common/types.js';
import { parseTimestamp, formatTimestamp } from '../../src/common/time.js';
import type { AggCall, WindowSpec } from '../../src/planner/physical.js';
import { WindowAggregateOperator, WindowTableFunctionOperator, assignWindows } from '../../src/runtime/operators/window.js';
import type { Output } from '../../src/runtime/operators/operator.js';
import { CheckpointSerializer, stringifyState, type CheckpointData } from '../../src/runtime/checkpoint-store.js';

const ts = (s: string) => parseTimestamp(`2025-12-29 ${s}`)!;
const fmt = (v: unknown) => formatTimestamp(v as number, 3).slice(11, 19);
const MIN = 60_000_000;
const SEC = 1_000_000;
const TS3 = { kind: 'TIMESTAMP', precision: 3, nullable: false } as const;

function collector() {
  const rows: Row[] = [];
  const out: Output = { emit: (r) => rows.push(...r), watermark: () => {}, end: () => {} };
  return { rows, out };
}

const count: AggCall = { fn: 'COUNT', args: [], argTypes: [], distinct: false, type: { kind: 'BIGINT', nullable: false }, name: 'cnt' };

function windowAgg(window: Partial<WindowSpec>, keys: number[] = [1]) {
  const c = collector();
  let late = 0;
  const spec: WindowSpec = { kind: 'TUMBLE', timeIndex: 0, eventTime: true, size: MIN, offset: 0, partitionKeys: [], boundType: TS3, ...window };
  const op = new WindowAggregateOperator(c.out, { metric: (n, d) => (late += n === 'late-records-dropped' ? d : 0), now: () => 0 }, spec, keys, [count]);
  return { op, rows: c.rows, late: () => late };
}

/** [key, window_start, window_end, count] as text. */
const show = (rows: Row[]) => rows.map((r) => `${r[0]} ${fmt(r[1])}-${fmt(r[2])} ${r[4]}`);

describe('window assignment', () => {
  it('HOP assigns a row to size/slide windows', () => {
    const got: string[] = [];
    assignWindows({ kind: 'HOP', timeIndex: 0, eventTime: true, size: 10 * MIN, slide: 5 * MIN, offset: 0, partitionKeys: [], boundType: TS3 }, ts('10:07:00'), (s, e) =>
      got.push(`${fmt(s)}-${fmt(e)}`),
    );
    expect(got.sort()).toEqual(['10:00:00-10:10:00', '10:05:00-10:15:00']);
  });

  it('CUMULATE assigns a row to every window from its step to the max size', () => {
    const got: string[] = [];
    assignWindows({ kind: 'CUMULATE', timeIndex: 0, eventTime: true, size: 4 * MIN, slide: MIN, offset: 0, partitionKeys: [], boundType: TS3 }, ts('10:01:30'), (s, e) =>
      got.push(`${fmt(s)}-${fmt(e)}`),
    );
    expect(got).toEqual(['10:00:00-10:02:00', '10:00:00-10:03:00', '10:00:00-10:04:00']);
  });

  it('TUMBLE honours an offset', () => {
    const got: string[] = [];
    assignWindows({ kind: 'TUMBLE', timeIndex: 0, eventTime: true, size: MIN, offset: 15 * SEC, partitionKeys: [], boundType: TS3 }, ts('10:00:10'), (s, e) => got.push(`${fmt(s)}-${fmt(e)}`));
    expect(got).toEqual(['09:59:15-10:00:15']);
  });
});

describe('window aggregation fires on the watermark', () => {
  it('a TUMBLE window fires only when the watermark passes its end (S2)', () => {
    const { op, rows } = windowAgg({});
    const events: [string, string][] = [
      ['10:00:10', 'click'],
      ['10:00:20', 'click'],
      ['10:00:30', 'view'],
      ['10:00:45', 'click'],
      ['10:00:55', 'purchase'],
    ];
    for (const [t, k] of events) {
      op.process([[ts(t), k]], 0);
      op.watermark(ts(t) - 5 * SEC, 0);
    }
    expect(rows).toEqual([]);
    op.process([[ts('10:01:10'), 'click']], 0);
    op.watermark(ts('10:01:05'), 0);
    expect(show(rows).sort()).toEqual(['click 10:00:00-10:01:00 3', 'purchase 10:00:00-10:01:00 1', 'view 10:00:00-10:01:00 1']);
    // window_time = window_end - 1 ms
    expect(rows[0][3]).toBe(ts('10:01:00') - 1000);
  });

  it('drops and counts records of windows that already fired', () => {
    const { op, rows, late } = windowAgg({});
    op.process([[ts('10:00:10'), 'a']], 0);
    op.watermark(ts('10:01:00'), 0);
    expect(show(rows)).toEqual(['a 10:00:00-10:01:00 1']);
    op.process([[ts('10:00:50'), 'a'], [ts('10:01:20'), 'a']], 0);
    expect(late()).toBe(1);
    op.endInput(0);
    expect(show(rows)).toEqual(['a 10:00:00-10:01:00 1', 'a 10:01:00-10:02:00 1']);
  });

  it('HOP counts every row in each overlapping window', () => {
    const { op, rows } = windowAgg({ kind: 'HOP', size: 2 * MIN, slide: MIN }, []);
    op.process([[ts('10:00:30'), 'x'], [ts('10:01:30'), 'x'], [ts('10:02:30'), 'x']], 0);
    op.endInput(0);
    expect(rows.map((r) => `${fmt(r[0])}-${fmt(r[1])} ${r[3]}`)).toEqual([
      '09:59:00-10:01:00 1',
      '10:00:00-10:02:00 2',
      '10:01:00-10:03:00 2',
      '10:02:00-10:04:00 1',
    ]);
  });

  it('CUMULATE emits growing windows as the watermark passes each step', () => {
    const { op, rows } = windowAgg({ kind: 'CUMULATE', size: 3 * MIN, slide: MIN }, []);
    op.process([[ts('10:00:30'), 'x'], [ts('10:01:30'), 'x']], 0);
    op.watermark(ts('10:02:00'), 0);
    expect(rows.map((r) => `${fmt(r[0])}-${fmt(r[1])} ${r[3]}`)).toEqual(['10:00:00-10:01:00 1', '10:00:00-10:02:00 2']);
    op.process([[ts('10:02:10'), 'x']], 0);
    op.endInput(0);
    expect(rows.map((r) => `${fmt(r[0])}-${fmt(r[1])} ${r[3]}`).slice(2)).toEqual(['10:00:00-10:03:00 3']);
  });

  it('SESSION windows merge rows closer than the gap, per key', () => {
    const { op, rows } = windowAgg({ kind: 'SESSION', size: 5 * MIN, partitionKeys: [] }, [1]);
    op.process(
      [
        [ts('10:00:00'), 'u1'],
        [ts('10:03:00'), 'u1'],
        [ts('10:20:00'), 'u1'],
        [ts('10:01:00'), 'u2'],
      ],
      0,
    );
    op.watermark(ts('10:10:00'), 0);
    expect(show(rows).sort()).toEqual(['u1 10:00:00-10:08:00 2', 'u2 10:01:00-10:06:00 1']);
    // A late bridge record arriving before the watermark passes merges two sessions.
    op.process([[ts('10:16:00'), 'u1'], [ts('10:12:00'), 'u1']], 0);
    op.endInput(0);
    expect(show(rows).slice(2)).toEqual(['u1 10:12:00-10:25:00 3']);
  });

  it('snapshots and restores open windows', () => {
    const a = windowAgg({});
    a.op.process([[ts('10:00:10'), 'k'], [ts('10:00:20'), 'k']], 0);
    const state = JSON.parse(stringifyState(a.op.snapshot()));
    const b = windowAgg({});
    b.op.restore(state);
    b.op.process([[ts('10:00:30'), 'k']], 0);
    b.op.endInput(0);
    expect(show(b.rows)).toEqual(['k 10:00:00-10:01:00 3']);
  });

  it('a snapshot written in slices holds the state of the moment it was taken (copy-on-write)', () => {
    const a = windowAgg({});
    const keys = Array.from({ length: 600 }, (_, i) => `k${i}`);
    a.op.process(keys.map((k) => [ts('10:00:10'), k]), 0);
    const data = { version: 1, jobId: 'j', jobName: 'j', checkpointId: 1, planFingerprint: 'f', timestamp: 0, savepoint: false, sources: [], operators: [a.op.snapshot()], sinks: [] } as CheckpointData;
    const ser = new CheckpointSerializer(data);
    expect(ser.step(0)).toBe(false); // one slice (256 groups) per step at the least
    // While it is being written: every group changes, a new key and a new window appear, a window fires.
    a.op.process(keys.map((k) => [ts('10:00:20'), k]), 0);
    a.op.process([[ts('10:00:30'), 'new'], [ts('10:01:30'), 'k0']], 0);
    a.op.watermark(ts('10:01:00'), 0);
    while (!ser.step(1));
    const text = new TextDecoder().decode(ser.bytes());
    // The restored operator has exactly the 600 groups with one row each.
    const b = windowAgg({});
    b.op.restore((JSON.parse(text) as CheckpointData).operators[0]);
    b.op.endInput(0);
    expect(show(b.rows).sort()).toEqual(keys.map((k) => `${k} 10:00:00-10:01:00 1`).sort());
    // The materialised data (kept in memory for restarts) says the same.
    const c = windowAgg({});
    c.op.restore(data.operators[0]);
    c.op.endInput(0);
    expect(show(c.rows).sort()).toEqual(show(b.rows).sort());
    // And the running operator kept its own counts.
    expect(show(a.rows).filter((r) => r.startsWith('k1 '))).toEqual(['k1 10:00:00-10:01:00 2']);
  });
});

describe('window table function', () => {
  it('appends window_start, window_end and window_time', () => {
    const c = collector();
    const op = new WindowTableFunctionOperator(c.out, { metric: () => {}, now: () => 0 }, { kind: 'TUMBLE', timeIndex: 0, eventTime: true, size: MIN, offset: 0, partitionKeys: [], boundType: TS3 });
    op.process([[ts('10:00:10'), 'a']], 0);
    expect(c.rows[0].slice(2).map(fmt)).toEqual(['10:00:00', '10:01:00', '10:00:59']);
  });
});

describe('HOP and CUMULATE aggregate by slices, as Flink', () => {
  // Rows: [ts, x DOUBLE, s STRING]; no group key.
  const calls: AggCall[] = [
    { fn: 'SUM', args: [1], argTypes: [{ kind: 'DOUBLE', nullable: true }], distinct: false, type: { kind: 'DOUBLE', nullable: true }, name: 'sx' },
    { fn: 'LISTAGG', args: [2], argTypes: [{ kind: 'VARCHAR', length: 100, nullable: true }], distinct: false, type: { kind: 'VARCHAR', length: 100, nullable: true }, name: 'l' },
  ];
  function sliced(window: Partial<WindowSpec>) {
    const c = collector();
    let late = 0;
    const spec: WindowSpec = { kind: 'HOP', timeIndex: 0, eventTime: true, size: 3 * MIN, slide: MIN, offset: 0, partitionKeys: [], boundType: TS3, ...window };
    const op = new WindowAggregateOperator(c.out, { metric: (n, d) => (late += n === 'late-records-dropped' ? d : 0), now: () => 0 }, spec, [], calls);
    // [window_start-window_end, sum, listagg]
    const results = () => c.rows.map((r) => `${fmt(r[0])}-${fmt(r[1])} ${r[3]} ${r[4]}`);
    return { op, results, late: () => late };
  }

  it('HOP merges its slices newest first into a new accumulator: ((0.3 + 0.2) + 0.1) = 0.6', () => {
    const { op, results } = sliced({});
    op.process([[ts('10:00:00'), 0.1, 'a'], [ts('10:01:00'), 0.2, 'b'], [ts('10:02:00'), 0.3, 'c'], [ts('10:02:30'), null, 'd']], 0);
    op.watermark(ts('10:03:00'), 0);
    expect(results()).toEqual(['09:58:00-10:01:00 0.1 a', '09:59:00-10:02:00 0.30000000000000004 b,a', '10:00:00-10:03:00 0.6 c,d,b,a']);
    expect(0.1 + 0.2 + 0.3).toBe(0.6000000000000001); // arrival order would give this
  });

  it('HOP: a late row goes into its slice and counts in the windows still open; after its last window it is dropped', () => {
    const { op, results, late } = sliced({});
    op.process([[ts('10:00:00'), 0.1, 'a'], [ts('10:01:00'), 0.2, 'b']], 0);
    op.watermark(ts('10:01:00'), 0); // fires 09:58-10:01
    op.process([[ts('10:00:30'), 0.3, 'late'], [ts('09:57:00'), 1, 'dropped']], 0);
    op.watermark(ts('10:02:00'), 0);
    expect(late()).toBe(1);
    expect(results()).toEqual(['09:58:00-10:01:00 0.1 a', '09:59:00-10:02:00 0.6000000000000001 b,a,late']); // 0.2 + (0.1 + 0.3)
  });

  it('CUMULATE merges each slice into its first slice, and a late row goes into the first slice', () => {
    const { op, results } = sliced({ kind: 'CUMULATE', size: 3 * MIN, slide: MIN });
    op.process([[ts('10:00:00'), 0.1, 'a'], [ts('10:01:00'), 0.2, 'b']], 0);
    op.watermark(ts('10:01:00'), 0); // fires 10:00-10:01
    op.process([[ts('10:00:30'), 0.3, 'late'], [ts('10:02:00'), 0.7, 'c']], 0);
    op.watermark(ts('10:03:00'), 0);
    // (0.1 + 0.3) + 0.2, then + 0.7
    expect(results()).toEqual(['10:00:00-10:01:00 0.1 a', '10:00:00-10:02:00 0.6000000000000001 a,late,b', '10:00:00-10:03:00 1.3 a,late,b,c']);
  });
});
