// The columnar window aggregation against the row operator (WindowAggregateOperator): the same
// rows, in the same order, with the same JS types, for edge data (NULL keys and values, BIGINT sums
// passing 2^53 and 2^63, INT sums wrapping, DOUBLE -0/NaN-free sums, DECIMAL beyond 2^53, late
// rows, HOP and CUMULATE); and the same state: a snapshot of either restores into the other.
import { describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { T, type Field, type LogicalType, type Row } from '../../src/common/types.js';
import type { AggCall, WindowSpec } from '../../src/planner/physical.js';
import { WindowAggregateOperator, savedGroups, type WindowAggState } from '../../src/runtime/operators/window.js';
import { ColumnarWindowAggregateOperator, columnarWindowAggSupported } from '../../src/runtime/columnar/window-agg.js';
import { DictionaryBuilder, NumberBuilder, ValueBuilder, type ColumnBatch, type ColumnBuilder } from '../../src/runtime/columnar/batch.js';
import type { Operator, Output } from '../../src/runtime/operators/operator.js';
import { CheckpointSerializer, parseState, stringifyState, type CheckpointData } from '../../src/runtime/checkpoint-store.js';
import { Session, collectQuery } from '../../src/cli/session.js';
import { tempDirFixture } from '../formats/file-table.js';
import { monotoneColumn } from '../../src/runtime/job.js';

const MIN = 60_000_000;
const SEC = 1_000_000;
const BASE = Date.UTC(2025, 11, 29, 10) * 1000;
const TS3: LogicalType = { kind: 'TIMESTAMP', precision: 3, nullable: true };
const DEC: LogicalType = { kind: 'DECIMAL', precision: 38, scale: 2, nullable: true };

// Input rows: [t, k (STRING), n (BIGINT), i (INT), x (DOUBLE), d (DECIMAL(38,2) unscaled)]
const fields: Field[] = [
  { name: 't', type: TS3 },
  { name: 'k', type: T.string() },
  { name: 'n', type: T.bigint() },
  { name: 'i', type: T.int() },
  { name: 'x', type: T.double() },
  { name: 'd', type: DEC },
];

const agg = (fn: string, arg: number | undefined, type: LogicalType, argType?: LogicalType): AggCall => ({
  fn,
  args: arg === undefined ? [] : [arg],
  argTypes: argType ? [argType] : [],
  distinct: false,
  type,
  name: `${fn}${arg ?? ''}`,
});

const AGGS: AggCall[] = [
  agg('COUNT', undefined, T.bigint()),
  agg('COUNT', 2, T.bigint(), T.bigint()),
  agg('SUM', 2, T.bigint(), T.bigint()),
  agg('AVG', 2, T.bigint(), T.bigint()),
  agg('MIN', 2, T.bigint(), T.bigint()),
  agg('MAX', 2, T.bigint(), T.bigint()),
  agg('SUM', 3, T.int(), T.int()),
  agg('AVG', 3, T.int(), T.int()),
  agg('SUM', 4, T.double(), T.double()),
  agg('AVG', 4, T.double(), T.double()),
  agg('MIN', 4, T.double(), T.double()),
  agg('MAX', 4, T.double(), T.double()),
  agg('SUM', 5, DEC, DEC),
  agg('AVG', 5, { kind: 'DECIMAL', precision: 38, scale: 6, nullable: true }, DEC),
  agg('$SUM0', 3, T.int(), T.int()),
];

/** Edge rows, in arrival order (some late once the watermark moves). */
function edgeRows(n: number): Row[] {
  const rows: Row[] = [];
  for (let j = 0; j < n; j++) {
    const t = j % 97 === 5 ? null : BASE + j * 7 * SEC + ((j * 7919) % 5) * 20 * SEC - 40 * SEC;
    const k = j % 11 === 0 ? null : `k${j % 5}`;
    let big: unknown = j % 13 === 0 ? null : j * 1_000_003;
    if (j % 50 === 7) big = 9_007_199_254_740_000; // sums pass 2^53
    if (j % 170 === 9) big = 9223372036854775807n; // and wrap at 2^63
    if (j % 170 === 10) big = -9223372036854775808n;
    const i = j % 17 === 0 ? null : j % 9 === 0 ? 2_147_483_000 : j - 300; // INT sums wrap
    const x = j % 19 === 0 ? null : j % 23 === 0 ? -0 : (j * 0.1) - 12.5;
    const d = j % 29 === 0 ? null : j % 31 === 0 ? 12345678901234567890123456789n : j * 125;
    rows.push([t, k, big, i, x, d]);
  }
  return rows;
}

function builderFor(t: LogicalType): ColumnBuilder {
  if (t.kind === 'VARCHAR' || t.kind === 'CHAR') return new DictionaryBuilder();
  if (t.kind === 'DECIMAL') return new ValueBuilder();
  return new NumberBuilder();
}

function toBatch(rows: Row[]): ColumnBatch {
  const bs = fields.map((f) => builderFor(f.type));
  for (const r of rows) bs.forEach((b, c) => b.push(r[c]));
  return { length: rows.length, columns: bs.map((b) => b.finish(rows.length)) };
}

function harness(kind: 'row' | 'columnar', window: WindowSpec, keys: number[], aggs: AggCall[]) {
  const rows: Row[] = [];
  let late = 0;
  const out: Output = { emit: (r) => rows.push(...r), watermark: () => {}, end: () => {} };
  const ctx = { metric: (n: string, d: number) => (late += n === 'late-records-dropped' ? d : 0), now: () => 0 };
  const op: Operator & { processBatch?: (b: ColumnBatch, i: number) => void } =
    kind === 'row' ? new WindowAggregateOperator(out, ctx, window, keys, aggs) : new ColumnarWindowAggregateOperator(out, ctx, window, keys, aggs, fields);
  return { op, rows, late: () => late };
}

/** Values with their JS types (so 1 and 1n, 0 and -0 differ). */
const typed = (rows: Row[]) => rows.map((r) => r.map((v) => (Object.is(v, -0) ? 'number:-0' : `${typeof v}:${String(v)}`)).join(' | '));

const WINDOWS: [string, WindowSpec][] = [
  ['TUMBLE', { kind: 'TUMBLE', timeIndex: 0, eventTime: true, size: MIN, offset: 0, partitionKeys: [], boundType: TS3 }],
  ['TUMBLE offset', { kind: 'TUMBLE', timeIndex: 0, eventTime: true, size: MIN, offset: 15 * SEC, partitionKeys: [], boundType: TS3 }],
  ['HOP', { kind: 'HOP', timeIndex: 0, eventTime: true, size: 2 * MIN, slide: 30 * SEC, offset: 0, partitionKeys: [], boundType: TS3 }],
  ['CUMULATE', { kind: 'CUMULATE', timeIndex: 0, eventTime: true, size: 2 * MIN, slide: 40 * SEC, offset: 0, partitionKeys: [], boundType: TS3 }],
];
const KEYS: [string, number[]][] = [
  ['string key', [1]],
  ['BIGINT key', [2]],
  ['two keys', [1, 3]],
  ['no key', []],
];

/** Feeds rows in chunks (as batches or rows), a watermark after each chunk, then the end. */
function feed(h: ReturnType<typeof harness>, rows: Row[], asBatches: boolean, from = 0, to = rows.length): void {
  for (let s = from; s < to; s += 64) {
    const chunk = rows.slice(s, Math.min(to, s + 64));
    if (asBatches) h.op.processBatch!(toBatch(chunk), 0);
    else h.op.process(chunk, 0);
    const maxT = Math.max(...chunk.map((r) => (r[0] as number | null) ?? -Infinity));
    h.op.watermark(maxT - 30 * SEC, 0);
  }
}

describe('columnar window aggregation', () => {
  it('takes TUMBLE/HOP/CUMULATE with COUNT/SUM/AVG/MIN/MAX; SESSION, DISTINCT, FILTER and other functions stay with the row operator', () => {
    for (const [, w] of WINDOWS) expect(columnarWindowAggSupported(w, AGGS)).toBe(true);
    expect(columnarWindowAggSupported({ ...WINDOWS[0][1], kind: 'SESSION' }, AGGS)).toBe(false);
    expect(columnarWindowAggSupported(WINDOWS[0][1], [{ ...AGGS[1], distinct: true }])).toBe(false);
    expect(columnarWindowAggSupported(WINDOWS[0][1], [{ ...AGGS[0], filter: 3 }])).toBe(false);
    expect(columnarWindowAggSupported(WINDOWS[0][1], [agg('LISTAGG', 1, T.string(), T.string())])).toBe(false);
    expect(columnarWindowAggSupported(WINDOWS[0][1], [agg('MIN', 1, T.string(), T.string())])).toBe(false);
  });

  const rows = edgeRows(1200);
  for (const [wname, w] of WINDOWS) {
    for (const [kname, keys] of KEYS) {
      it(`${wname}, ${kname}: rows and batches give the row operator's results in its order`, () => {
        const ref = harness('row', w, keys, AGGS);
        feed(ref, rows, false);
        ref.op.endInput(0);
        for (const asBatches of [false, true]) {
          const h = harness('columnar', w, keys, AGGS);
          feed(h, rows, asBatches);
          h.op.endInput(0);
          expect(typed(h.rows)).toEqual(typed(ref.rows));
          expect(h.late()).toBe(ref.late());
        }
        if (w.kind !== 'HOP') expect(ref.late()).toBeGreaterThan(0);
        expect(ref.rows.some((r) => typeof r[keys.length + 3 + 2] === 'bigint')).toBe(true); // a BIGINT sum beyond 2^53
      });
    }
  }

  it('a checkpoint written before slices (HOP/CUMULATE state as windows) restores into either operator', () => {
    // Order-free aggregates: a restored window goes on adding its rows in arrival order, not by slices.
    const exact = AGGS.filter((a) => a.argTypes[0]?.kind !== 'DOUBLE');
    const keys = [1];
    const half = 640;
    for (const [wname, w] of WINDOWS.slice(2)) {
      const ref = harness('row', w, keys, exact);
      feed(ref, rows, false, 0, half);
      const before = ref.rows.length;
      feed(ref, rows, false, half);
      ref.op.endInput(0);
      // The state as windows, the format before slices: the local phase keeps its open windows so.
      const out: Output = { emit: () => {}, watermark: () => {}, end: () => {} };
      const old = new WindowAggregateOperator(out, { metric: () => {}, now: () => 0 }, w, keys, exact, 'local');
      for (let s = 0; s < half; s += 64) {
        const chunk = rows.slice(s, Math.min(half, s + 64));
        old.process(chunk, 0);
        old.watermark(Math.max(...chunk.map((r) => (r[0] as number | null) ?? -Infinity)) - 30 * SEC, 0);
      }
      const state = parseState(stringifyState(old.snapshot())) as WindowAggState;
      expect(state.slices, wname).toBeUndefined();
      expect([...savedGroups(state.groups)].length, wname).toBeGreaterThan(0);
      for (const kind of ['row', 'columnar'] as const) {
        const h = harness(kind, w, keys, exact);
        h.op.restore(state);
        feed(h, rows, kind === 'columnar', half);
        h.op.endInput(0);
        // A restored window's keys go out before the keys only the slices hold: compared as multisets.
        expect(typed(h.rows).sort(), `${wname} ${kind}`).toEqual(typed(ref.rows.slice(before)).sort());
      }
    }
  });

  for (const [wname, w] of WINDOWS.slice(1)) it(`${wname}: a snapshot of either operator restores into the other (savepoints stay compatible)`, () => {
    const keys = [1];
    const half = 640;
    // JSON state keeps -0 as 0 (on both operators): the reference goes through a row operator's snapshot too.
    const run = (first: 'row' | 'columnar', second: 'row' | 'columnar') => {
      const a = harness(first, w, keys, AGGS);
      feed(a, rows, first === 'columnar', 0, half);
      const state = parseState(stringifyState(a.op.snapshot()));
      const b = harness(second, w, keys, AGGS);
      b.op.restore(state);
      feed(b, rows, second === 'columnar', half);
      b.op.endInput(0);
      return typed([...a.rows, ...b.rows]);
    };
    const ref = run('row', 'row');
    expect(ref.length).toBeGreaterThan(100);
    for (const [first, second] of [['row', 'columnar'], ['columnar', 'row'], ['columnar', 'columnar']] as const) {
      expect(run(first, second), `${first} → ${second}`).toEqual(ref);
    }
  });

  it('a snapshot written in slices while the operators run on holds the state of the moment it was taken', () => {
    const [, w] = WINDOWS[2];
    const keys = [1];
    const half = 640;
    for (const kind of ['row', 'columnar'] as const) {
      // The reference: the snapshot serialised at once.
      const a = harness(kind, w, keys, AGGS);
      feed(a, rows, kind === 'columnar', 0, half);
      const whole = stringifyState(a.op.snapshot());
      // The same state, serialised in slices while the rest of the rows go in (groups change, windows fire, slots are reused).
      const b = harness(kind, w, keys, AGGS);
      feed(b, rows, kind === 'columnar', 0, half);
      const data = { version: 1, jobId: 'j', jobName: 'j', checkpointId: 1, planFingerprint: 'f', timestamp: 0, savepoint: false, sources: [], operators: [b.op.snapshot()], sinks: [] } as CheckpointData;
      const ser = new CheckpointSerializer(data);
      // Rows go in before each slice (the first one included).
      let from = half;
      do {
        if (from < rows.length) feed(b, rows, kind === 'columnar', from, Math.min(rows.length, from + 64));
        from += 64;
      } while (!ser.step(0));
      expect(b.rows.length, kind).toBeGreaterThan(0); // windows fired meanwhile
      const sliced = (parseState(new TextDecoder().decode(ser.bytes())) as CheckpointData).operators[0];
      expect(stringifyState(sliced), kind).toEqual(stringifyState(parseState(whole)));
    }
  });
});

describe('columnar window state copy-on-write', () => {
  it('a snapshot of groups over many pages, written in slices while they change, are released and reused, is the state of its moment', () => {
    const [, w] = WINDOWS[0];
    // 9000 keys in one window (3 pages of slots), some sums past 2^53 (the exact accumulator).
    const first: Row[] = [];
    for (let j = 0; j < 9000; j++) first.push([BASE + (j % 50) * SEC, `u${j}`, j % 997 === 3 ? 9_007_199_254_740_000 : j, j, j * 0.5, j * 10]);
    // Later: keys of the open window change (pages 1 and 2), then a watermark fires it (every slot
    // released), then the next window's keys take the freed slots.
    const later: Row[] = [];
    for (let j = 5000; j < 5100; j++) later.push([BASE + 2 * SEC, `u${j}`, 9_007_199_254_740_000, 1, 1.5, 3]);
    for (let j = 8500; j < 8550; j++) later.push([BASE + 3 * SEC, `u${j}`, 7, 1, 1.5, 3]);
    const make = () => {
      const h = harness('columnar', w, [1], AGGS);
      for (let s = 0; s < first.length; s += 4096) h.op.processBatch!(toBatch(first.slice(s, s + 4096)), 0);
      return h;
    };
    const whole = stringifyState(make().op.snapshot());
    const h = make();
    const data = { version: 1, jobId: 'j', jobName: 'j', checkpointId: 1, planFingerprint: 'f', timestamp: 0, savepoint: false, sources: [], operators: [h.op.snapshot()], sinks: [] } as CheckpointData;
    const ser = new CheckpointSerializer(data);
    let step = 0;
    do {
      // One block of 4096 groups is written per slice: the first after these rows, the second after the firing, the third after the reuse.
      if (step === 0) {
        h.op.processBatch!(toBatch(later), 0);
        h.op.process(later.slice(0, 10), 0);
      }
      if (step === 1) h.op.watermark(BASE + 2 * MIN, 0);
      if (step === 2) h.op.processBatch!(toBatch(first.map((r) => [(r[0] as number) + 5 * MIN, ...r.slice(1)])), 0);
      step++;
    } while (!ser.step(0));
    expect(step).toBeGreaterThan(3);
    expect(h.rows.length).toBe(9000); // the first window fired meanwhile
    const sliced = (parseState(new TextDecoder().decode(ser.bytes())) as CheckpointData).operators[0];
    expect(stringifyState(sliced)).toEqual(stringifyState(parseState(whole)));
    // And it restores: the first window's groups, as they were.
    const r = harness('columnar', w, [1], AGGS);
    r.op.restore(sliced);
    r.op.endInput(0);
    expect(r.rows.length).toBe(9000);
    const ref = make();
    ref.op.endInput(0);
    expect(typed(r.rows)).toEqual(typed(ref.rows));
  });
});

describe('incremental window checkpoints', () => {
  const rows = edgeRows(1200);
  type St = Record<string, unknown> & { delta?: boolean; prior?: unknown };
  const snap = (op: Operator, incremental: boolean) => parseState(stringifyState(op.snapshot({ incremental, minGroups: 0 }))) as St;

  for (const [wname, w] of WINDOWS) it(`${wname}: a whole checkpoint and two deltas restore the state of the last, into either operator`, () => {
    const keys = [1];
    const a = harness('columnar', w, keys, AGGS);
    feed(a, rows, true, 0, 300);
    const s0 = snap(a.op, true);
    expect(s0.delta, 'the first snapshot of a run is whole').toBeUndefined();
    feed(a, rows, true, 300, 600);
    const s1 = snap(a.op, true);
    feed(a, rows, true, 600, 900);
    const s2 = snap(a.op, true);
    expect([s1.delta, s2.delta]).toEqual([true, true]);
    s1.prior = s0;
    s2.prior = s1;
    // The reference: the same rows, then a whole snapshot at the last one's moment.
    const ref = harness('columnar', w, keys, AGGS);
    feed(ref, rows, true, 0, 900);
    const whole = snap(ref.op, false);
    const rest = (state: unknown, kind: 'row' | 'columnar') => {
      const h = harness(kind, w, keys, AGGS);
      h.op.restore(state);
      feed(h, rows, kind === 'columnar', 900);
      h.op.endInput(0);
      return typed(h.rows);
    };
    const expected = rest(whole, 'columnar');
    expect(expected.length).toBeGreaterThan(10);
    expect(rest(s2, 'columnar')).toEqual(expected);
    expect(rest(s2, 'row')).toEqual(rest(whole, 'row'));
  });

  it('a delta holds only the groups changed since the previous snapshot, and the windows still open', () => {
    const [, w] = WINDOWS[0];
    const h = harness('columnar', w, [1], AGGS);
    const row = (t: number, k: string): Row => [BASE + t, k, 1, 1, 1.5, 100];
    h.op.process([row(0, 'a'), row(SEC, 'b'), row(2 * SEC, 'c'), row(MIN, 'd')], 0);
    snap(h.op, true);
    h.op.process([row(3 * SEC, 'b'), row(MIN + SEC, 'e')], 0);
    const d = snap(h.op, true) as St & { open: unknown[][]; groups: { items: { keys: unknown[][] }[] } };
    expect(d.delta).toBe(true);
    expect(d.open.map((o) => o.slice(1))).toEqual([[BASE, BASE + MIN, 0], [BASE + MIN, BASE + 2 * MIN, 0]]);
    expect(d.groups.items.map((b) => b.keys[0])).toEqual([['b'], ['e']]);
    // The first window fires: the next delta has neither it nor any group.
    h.op.watermark(BASE + MIN, 0);
    const e = snap(h.op, true) as typeof d;
    expect(e.open.map((o) => o.slice(1))).toEqual([[BASE + MIN, BASE + 2 * MIN, 0]]);
    expect(e.groups.items).toEqual([]);
    // Below minGroups a snapshot is whole.
    expect((parseState(stringifyState(h.op.snapshot({ incremental: true }))) as St).delta).toBeUndefined();
  });
});

describe('columnar window aggregation end to end', () => {
  const box = tempDirFixture('tsstream-columnar-window-');

  async function query(columnar: boolean, file: string, sql: string): Promise<unknown[][]> {
    const session = new Session({ log: () => {} });
    try {
      const res = await session.executeAll(`
        SET 'table.exec.columnar.enabled' = '${columnar}';
        CREATE TABLE t (id STRING, k STRING, n BIGINT, i INT, x DOUBLE, d DECIMAL(38, 2), t TIMESTAMP(3),
          WATERMARK FOR t AS t - INTERVAL '5' SECOND)
        WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json',
          'json.timestamp-format.standard' = 'ISO-8601', 'json.ignore-parse-errors' = 'true');
        ${sql};`);
      const r = res[res.length - 1];
      if (r.kind !== 'query') throw new Error('expected a query');
      return await collectQuery(r);
    } finally {
      await session.close();
    }
  }

  it('a JSON file through TUMBLE, HOP and CUMULATE gives the row path results in the same order', async () => {
    const file = path.join(box.dir, 'events.jsonl');
    const lines: string[] = [];
    for (let j = 0; j < 4000; j++) {
      const t = new Date(Date.UTC(2025, 11, 29, 10) + j * 97 + ((j * 7919) % 9000) - 4500).toISOString().slice(0, 23);
      const n = j % 300 === 0 ? '9223372036854775807' : j % 13 === 0 ? 'null' : String(j * 1000003);
      const k = j % 11 === 0 ? 'null' : `"u${j % 7}"`;
      lines.push(`{"id":"e${j}","k":${k},"n":${n},"i":${j % 9 === 0 ? 2147483000 : j},"x":${(j / 8).toFixed(3)},"d":${(j / 4).toFixed(2)},"t":"${t}"}`);
      if (j % 997 === 0) lines.push('{"id":"caf\u00e9","k":"a\\"b","n":"9007199254740993","t":"2025-12-29T10:00:30.000"}', 'not json');
    }
    await fs.writeFile(file, lines.join('\n') + '\n');
    const aggs = 'COUNT(*), COUNT(n), SUM(n), AVG(n), MIN(n), MAX(n), SUM(i), AVG(i), SUM(x), MIN(x), MAX(x), SUM(d), AVG(d), MIN(t), MAX(t)';
    for (const tvf of ["TUMBLE(TABLE t, DESCRIPTOR(t), INTERVAL '1' MINUTE)", "HOP(TABLE t, DESCRIPTOR(t), INTERVAL '20' SECOND, INTERVAL '1' MINUTE)", "CUMULATE(TABLE t, DESCRIPTOR(t), INTERVAL '20' SECOND, INTERVAL '1' MINUTE)"]) {
      for (const keys of tvf.startsWith('TUMBLE') ? ['k', 'n', 'k, i', ''] : ['k', 'k, i']) {
        const sql = `SELECT window_start, window_end, ${keys ? keys + ', ' : ''}${aggs} FROM TABLE(${tvf}) GROUP BY window_start, window_end${keys ? ', ' + keys : ''}`;
        const col = await query(true, file, sql);
        const row = await query(false, file, sql);
        expect(col.length, sql).toBeGreaterThan(3);
        expect(typed(col as Row[]), sql).toEqual(typed(row as Row[]));
      }
    }
    // The group window form.
    const sql = `SELECT k, TUMBLE_START(t, INTERVAL '1' MINUTE), TUMBLE_END(t, INTERVAL '1' MINUTE), ${aggs} FROM t GROUP BY TUMBLE(t, INTERVAL '1' MINUTE), k`;
    const col = await query(true, file, sql);
    expect(col.length).toBeGreaterThan(3);
    expect(typed(col as Row[])).toEqual(typed((await query(false, file, sql)) as Row[]));
  });

  it('a batch watermark (the largest time minus the delay) drops the late rows of later batches as the row path does', async () => {
    // Over 1 MiB, so the file is read in several chunks (batches); time jumps ±40 s, some times NULL.
    const file = path.join(box.dir, 'late.jsonl');
    const lines: string[] = [];
    for (let j = 0; j < 24_000; j++) {
      const t = j % 17 === 0 ? 'null' : `"${new Date(Date.UTC(2025, 11, 29, 10) + j * 50 + ((j * 7919) % 80_000) - 40_000).toISOString().slice(0, 23)}"`;
      lines.push(`{"id":"e${j}-${'p'.repeat(12)}","k":"u${j % 5}","t":${t}}`);
    }
    await fs.writeFile(file, lines.join('\n') + '\n');
    expect((await fs.stat(file)).size).toBeGreaterThan(1 << 20);
    const sql = 'SELECT window_start, k, COUNT(*) FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(t), INTERVAL \'10\' SECOND)) GROUP BY window_start, window_end, k';
    const col = await query(true, file, sql);
    const row = await query(false, file, sql);
    const counted = col.reduce((a, r) => a + Number(r[2]), 0);
    expect(counted).toBeLessThan(24_000 - Math.ceil(24_000 / 17)); // late rows dropped
    expect(counted).toBeGreaterThan(12_000);
    expect(typed(col as Row[])).toEqual(typed(row as Row[]));
  });
});

describe('monotoneColumn', () => {
  const ts = { kind: 'input' as const, index: 2, type: TS3 };
  const iv = { kind: 'literal' as const, value: 5 * SEC, type: { kind: 'INTERVAL_DAY_TIME' as const, nullable: false } };
  it('finds the column of ts, ts - INTERVAL, INTERVAL + ts; none for other expressions', () => {
    expect(monotoneColumn(ts)).toBe(2);
    expect(monotoneColumn({ kind: 'call', op: '-', args: [ts, iv], type: TS3 })).toBe(2);
    expect(monotoneColumn({ kind: 'call', op: '+', args: [iv, ts], type: TS3 })).toBe(2);
    expect(monotoneColumn({ kind: 'call', op: '-', args: [iv, ts], type: TS3 })).toBeUndefined();
    expect(monotoneColumn({ kind: 'call', op: '-', args: [ts, { ...iv, type: { kind: 'INTERVAL_YEAR_MONTH', nullable: false } }], type: TS3 })).toBeUndefined();
    expect(monotoneColumn({ kind: 'call', op: 'NEG', args: [ts], type: TS3 })).toBeUndefined();
    expect(monotoneColumn({ kind: 'input', index: 0, type: T.bigint() })).toBeUndefined();
  });
});
