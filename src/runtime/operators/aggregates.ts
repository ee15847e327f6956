// Aggregate calls over input rows, and GROUP BY in batch mode.
import { rowKindOf, setRowKind, type Row } from '../../common/types.js';
import { JobError } from '../../common/errors.js';
import type { AggCall } from '../../planner/physical.js';
import type { Accumulator } from '../../functions/api.js';
import { getAggregateFunction } from '../../functions/registry.js';
import { minMaxWithRetract, toJsonValue } from '../../functions/aggregates.js';
import { windowFunctionAccumulator } from '../../functions/window-functions.js';
import { Operator, StateTtl, type Output, type OperatorContext } from './operator.js';

/** Creates the accumulators of a list of aggregate calls and feeds rows into them. */
export class AggregatesFactory {
  private readonly makers: (() => Accumulator)[];
  private readonly scratch: unknown[][];

  constructor(private readonly calls: AggCall[], retracting = false) {
    this.makers = calls.map((c) => {
      // Over a changelog, MIN/MAX must be able to forget a value: they keep a multiset.
      if (retracting && !c.distinct && (c.fn === 'MIN' || c.fn === 'MAX')) return minMaxWithRetract(c.fn);
      const windowFn = windowFunctionAccumulator(c);
      if (windowFn) return windowFn;
      const def = getAggregateFunction(c.fn);
      if (!def) throw new JobError(`No implementation for aggregate function ${c.fn}`);
      return def.create(c.argTypes, c.distinct);
    });
    // One reused argument array per call: accumulators must not keep it.
    this.scratch = calls.map((c) => new Array(c.args.length));
  }

  create(): Accumulator[] {
    const accs = new Array<Accumulator>(this.makers.length);
    for (let i = 0; i < accs.length; i++) accs[i] = this.makers[i]();
    return accs;
  }

  /** Takes a row back out (a -U or -D of an updating input). */
  retract(accs: Accumulator[], row: Row): void {
    const calls = this.calls;
    for (let i = 0; i < calls.length; i++) {
      const c = calls[i];
      if (c.filter !== undefined && row[c.filter] !== true) continue;
      const acc = accs[i];
      if (!acc.retract) throw new JobError(`Aggregate ${c.fn}${c.distinct ? ' DISTINCT' : ''} cannot take back a row, so it cannot run over an updating input`);
      const a = this.scratch[i];
      for (let j = 0; j < c.args.length; j++) a[j] = row[c.args[j]];
      acc.retract(a);
    }
  }

  add(accs: Accumulator[], row: Row): void {
    const calls = this.calls;
    for (let i = 0; i < calls.length; i++) {
      const c = calls[i];
      if (c.filter !== undefined && row[c.filter] !== true) continue;
      const a = this.scratch[i];
      for (let j = 0; j < c.args.length; j++) a[j] = row[c.args[j]];
      accs[i].add(a);
    }
  }
}

/** A function giving a string key for the values at the given positions (NULL distinct from 'null'). */
export function groupKeyFn(indices: number[]): (row: Row) => string {
  const enc = (v: unknown): string => {
    if (v === null || v === undefined) return '\u0000';
    if (typeof v === 'string') return 's' + v;
    if (typeof v === 'number' || typeof v === 'bigint') return 'n' + v; // canonical: one spelling per value
    if (typeof v === 'boolean') return v ? 'T' : 'F';
    if (v instanceof Uint8Array) return 'b' + Buffer.from(v).toString('base64');
    if (v instanceof Map) return 'm' + JSON.stringify(toJsonValue([...v.entries()]));
    return 'j' + JSON.stringify(toJsonValue(v));
  };
  if (indices.length === 0) return () => '';
  if (indices.length === 1) {
    const i = indices[0];
    return (row) => {
      const v = row[i];
      return typeof v === 'string' ? 's' + v : enc(v);
    };
  }
  return (row) => {
    let k = '';
    for (let j = 0; j < indices.length; j++) k += enc(row[indices[j]]) + '\u0001';
    return k;
  };
}

/** GROUP BY without windows (batch mode): emits [keys…, aggregates…] when the input ends. */
export class GroupAggregateOperator extends Operator {
  private readonly groups = new Map<string, { keys: unknown[]; accs: Accumulator[] }>();
  private readonly key: (row: Row) => string;
  private readonly aggs: AggregatesFactory;

  constructor(out: Output, ctx: OperatorContext, private readonly groupKeys: number[], calls: AggCall[]) {
    super(out, ctx);
    this.key = groupKeyFn(groupKeys);
    this.aggs = new AggregatesFactory(calls);
  }

  process(rows: Row[], _input = 0): void {
    for (const row of rows) {
      const k = this.key(row);
      let g = this.groups.get(k);
      if (!g) {
        g = { keys: this.groupKeys.map((i) => row[i]), accs: this.aggs.create() };
        this.groups.set(k, g);
      }
      this.aggs.add(g.accs, row);
    }
  }

  protected override onWatermark(): void {
    // Batch operator: results come at the end of input.
  }

  protected override onEnd(): void {
    // A global aggregate (no GROUP BY) over no rows still gives one row, as in SQL.
    if (this.groups.size === 0 && this.groupKeys.length === 0) this.groups.set('', { keys: [], accs: this.aggs.create() });
    const out: Row[] = [];
    for (const g of this.groups.values()) out.push([...g.keys, ...g.accs.map((a) => a.result())]);
    this.groups.clear();
    if (out.length) this.out.emit(out);
    this.out.watermark(Infinity);
    this.out.end();
  }
}

/**
 * GROUP BY without a window in streaming mode: a changelog. A new group emits +I; when a row
 * changes a group's result, the old result is retracted (-U) and the new one emitted (+U).
 * Without aggregates (DISTINCT) a group's row never changes: only +I.
 *
 * With mini-batch (`table.exec.mini-batch.enabled`, Flink's MiniBatchGroupAggFunction) rows still
 * go into the accumulators as they come, but a group's result is emitted only when the mini-batch
 * ends, as its net change over the batch: +I (new group), -U/+U (changed; nothing when the result
 * is the one emitted before), -D (its rows all taken back). A mini-batch ends after `size` rows,
 * when `allow-latency` has passed since its first row, on a watermark and at the end of input. A
 * checkpoint keeps the open batch (the results emitted before it) instead of ending it.
 */
export class StreamingGroupAggregateOperator extends Operator {
  private readonly groups = new Map<string, { keys: unknown[]; accs: Accumulator[]; last: Row; count: number; at: number }>();
  private readonly key: (row: Row) => string;
  private readonly aggs: AggregatesFactory;
  private readonly ttl: StateTtl;
  /** Mini-batch: the groups changed in the open batch, each with its result emitted before it (null: none, a new group). */
  private readonly batch = new Map<string, Row | null>();
  private batchRows = 0;
  private batchStart = 0;
  private readonly batchSize: number;
  private readonly batchLatency: number;

  constructor(out: Output, ctx: OperatorContext, private readonly groupKeys: number[], private readonly calls: AggCall[], retracting = false) {
    super(out, ctx);
    this.key = groupKeyFn(groupKeys);
    this.aggs = new AggregatesFactory(calls, retracting);
    this.ttl = new StateTtl(ctx.stateTtl ?? 0);
    this.batchSize = ctx.miniBatch?.size ?? 0;
    this.batchLatency = ctx.miniBatch?.latency ?? 0;
  }

  /** table.exec.state.ttl: a group untouched that long is forgotten (its next row starts it anew, as in Flink). */
  override onProcessingTime(now: number): void {
    if (this.batch.size && now - this.batchStart >= this.batchLatency) {
      const out: Row[] = [];
      this.endBatch(out);
      if (out.length) this.out.emit(out);
    }
    if (!this.ttl.due(now)) return;
    for (const [k, g] of this.groups) if (this.ttl.expired(g.at, now)) this.groups.delete(k);
  }

  private result(keys: unknown[], accs: Accumulator[]): Row {
    const r: Row = keys.slice();
    for (const a of accs) r.push(a.result());
    return r;
  }

  protected override onWatermark(wm: number): void {
    const out: Row[] = [];
    this.endBatch(out);
    if (out.length) this.out.emit(out);
    this.out.watermark(wm);
  }

  protected override onEnd(): void {
    const out: Row[] = [];
    this.endBatch(out);
    if (out.length) this.out.emit(out);
    this.out.end();
  }

  /** Ends the open mini-batch: each group it changed emits its net change into `out`. */
  private endBatch(out: Row[]): void {
    if (this.batch.size === 0) return;
    for (const [k, prev] of this.batch) {
      const g = this.groups.get(k);
      if (!g) {
        if (prev) out.push(setRowKind(prev.slice(), '-D'));
        continue;
      }
      if (!prev) {
        out.push(g.last);
        continue;
      }
      if (this.calls.length === 0) continue;
      const r = g.last;
      if (r.length === prev.length && r.every((v, i) => v === prev[i])) continue;
      out.push(setRowKind(prev.slice(), '-U'), setRowKind(r.slice(), '+U'));
    }
    this.batch.clear();
    this.batchRows = 0;
  }

  process(rows: Row[], _input = 0): void {
    if (this.batchSize > 0) {
      this.processMiniBatch(rows);
      return;
    }
    const out: Row[] = [];
    for (const row of rows) {
      const k = this.key(row);
      const g = this.groups.get(k);
      const kind = rowKindOf(row);
      const retract = kind === '-U' || kind === '-D';
      if (!g) {
        if (retract) continue; // a retraction of a group never seen (e.g. state restored elsewhere)
        const keys = this.groupKeys.map((i) => row[i]);
        const accs = this.aggs.create();
        this.aggs.add(accs, row);
        const r = this.result(keys, accs);
        this.groups.set(k, { keys, accs, last: r, count: 1, at: this.ttl.enabled ? this.ctx.now() : 0 });
        out.push(r);
        continue;
      }
      if (this.ttl.enabled) g.at = this.ctx.now();
      if (retract) {
        g.count--;
        if (g.count === 0) {
          // The group's last row was taken back: the group's result row is deleted.
          this.groups.delete(k);
          out.push(setRowKind(g.last.slice(), '-D'));
          continue;
        }
        this.aggs.retract(g.accs, row);
      } else {
        g.count++;
        this.aggs.add(g.accs, row);
      }
      if (this.calls.length === 0) continue;
      const r = this.result(g.keys, g.accs);
      if (r.every((v, i) => v === g.last[i])) continue; // unchanged (e.g. MAX of a smaller value)
      out.push(setRowKind(g.last.slice(), '-U'), setRowKind(r, '+U'));
      g.last = r;
    }
    if (out.length) this.out.emit(out);
  }

  /** process() with mini-batch: the accumulators take each row; the groups' results wait for the batch's end. */
  private processMiniBatch(rows: Row[]): void {
    let out: Row[] | undefined;
    for (const row of rows) {
      const k = this.key(row);
      const g = this.groups.get(k);
      const kind = rowKindOf(row);
      const retract = kind === '-U' || kind === '-D';
      if (this.batch.size === 0) this.batchStart = this.ctx.now();
      if (!g) {
        if (!retract) {
          const keys = this.groupKeys.map((i) => row[i]);
          const accs = this.aggs.create();
          this.aggs.add(accs, row);
          if (!this.batch.has(k)) this.batch.set(k, null);
          this.groups.set(k, { keys, accs, last: this.result(keys, accs), count: 1, at: this.ttl.enabled ? this.ctx.now() : 0 });
        }
      } else {
        if (!this.batch.has(k)) this.batch.set(k, g.last);
        if (this.ttl.enabled) g.at = this.ctx.now();
        if (retract) {
          g.count--;
          if (g.count === 0) this.groups.delete(k);
          else this.aggs.retract(g.accs, row);
        } else {
          g.count++;
          this.aggs.add(g.accs, row);
        }
        if (g.count > 0 && this.calls.length) g.last = this.result(g.keys, g.accs);
      }
      if (++this.batchRows >= this.batchSize) this.endBatch((out ??= []));
    }
    if (out?.length) this.out.emit(out);
  }

  override snapshot(): unknown {
    const groups = [...this.groups.values()].map((g) => [g.keys, g.accs.map((a) => a.save()), g.count]);
    // An open mini-batch: the results emitted before it, for the net change when it ends after a restore.
    return { base: super.snapshot(), groups, ...(this.batch.size ? { batch: [...this.batch], batchRows: this.batchRows } : {}) };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; groups: [unknown[], unknown[], number?][]; batch?: [string, Row | null][]; batchRows?: number };
    super.restore(s.base);
    for (const [keys, saved, count] of s.groups) {
      const accs = this.aggs.create();
      accs.forEach((a, i) => a.load(saved[i]));
      const row: Row = [];
      this.groupKeys.forEach((j, i) => (row[j] = keys[i]));
      this.groups.set(this.key(row), { keys, accs, last: this.result(keys, accs), count: count ?? 1, at: this.ctx.now() });
    }
    for (const [k, prev] of s.batch ?? []) this.batch.set(k, prev);
    this.batchRows = s.batchRows ?? 0;
    this.batchStart = this.ctx.now();
  }
}

interface OverPartition {
  accs: Accumulator[];
  /** Rows in the frame (bounded frames only), oldest first, with their times. */
  frame: { row: Row; ts: number }[];
  /** When a row last went into it (processing time; kept only with table.exec.state.ttl). */
  at: number;
}

/**
 * Aggregates OVER (PARTITION BY … ORDER BY time ROWS|RANGE BETWEEN … PRECEDING AND CURRENT ROW).
 * Event time: rows wait until the watermark passes their time, then go in time order (late rows
 * are dropped and counted). Processing time: rows go as they arrive. Each row is emitted with
 * the aggregates over its frame; RANGE peers (same time) share one result.
 */
export class OverAggregateOperator extends Operator {
  private readonly partitions = new Map<string, OverPartition>();
  private pending: Row[] = [];
  private readonly key: (row: Row) => string;
  private readonly aggs: AggregatesFactory;
  private readonly ttl: StateTtl;

  constructor(
    out: Output,
    ctx: OperatorContext,
    partitionKeys: number[],
    private readonly orderKey: number,
    private readonly eventTime: boolean,
    private readonly rows: boolean,
    private readonly preceding: number | undefined,
    calls: AggCall[],
  ) {
    super(out, ctx);
    this.key = groupKeyFn(partitionKeys);
    this.aggs = new AggregatesFactory(calls, preceding !== undefined);
    this.ttl = new StateTtl(ctx.stateTtl ?? 0);
  }

  /** table.exec.state.ttl: a partition no row went into for that long is forgotten (its accumulators and frame), as Flink's over aggregation cleans idle state. */
  override onProcessingTime(now: number): void {
    if (!this.ttl.due(now)) return;
    for (const [k, p] of this.partitions) if (this.ttl.expired(p.at, now)) this.partitions.delete(k);
  }

  process(rows: Row[], _input = 0): void {
    if (!this.eventTime) {
      this.emitOrdered(rows, () => this.ctx.now());
      return;
    }
    const wm = this.currentWatermark;
    let late = 0;
    for (const r of rows) {
      const ts = r[this.orderKey] as number | null;
      if (ts === null || ts === undefined) continue;
      if (ts <= wm) late++;
      else this.pending.push(r);
    }
    if (late) this.ctx.metric('late-records-dropped', late);
  }

  protected override onWatermark(wm: number): void {
    this.flush(wm);
    this.out.watermark(wm);
  }

  protected override onEnd(): void {
    this.flush(Infinity);
    this.out.end();
  }

  private flush(wm: number): void {
    if (!this.pending.length) return;
    const ready: Row[] = [];
    const waiting: Row[] = [];
    for (const r of this.pending) ((r[this.orderKey] as number) <= wm ? ready : waiting).push(r);
    this.pending = waiting;
    ready.sort((a, b) => (a[this.orderKey] as number) - (b[this.orderKey] as number));
    this.emitOrdered(ready, (r) => r[this.orderKey] as number);
  }

  /**
   * Rows in time order: each joins its partition's frame and is emitted with the aggregates. RANGE
   * in event time: the rows of one partition and one time (peers, wherever they are among that
   * time's rows) go in together and share one result.
   */
  private emitOrdered(rows: Row[], timeOf: (r: Row) => number): void {
    const out: Row[] = [];
    const peers = !this.rows && this.eventTime;
    for (let i = 0; i < rows.length; ) {
      const ts = timeOf(rows[i]);
      let j = i + 1;
      if (peers) while (j < rows.length && timeOf(rows[j]) === ts) j++;
      if (j === i + 1) {
        this.emitGroup(this.key(rows[i]), [rows[i]], ts, out);
      } else {
        const byKey = new Map<string, Row[]>();
        for (let x = i; x < j; x++) {
          const k = this.key(rows[x]);
          const g = byKey.get(k);
          if (g) g.push(rows[x]);
          else byKey.set(k, [rows[x]]);
        }
        for (const [k, group] of byKey) this.emitGroup(k, group, ts, out);
      }
      i = j;
    }
    if (out.length) this.out.emit(out);
  }

  private emitGroup(k: string, group: Row[], ts: number, out: Row[]): void {
    let p = this.partitions.get(k);
    if (!p) this.partitions.set(k, (p = { accs: this.aggs.create(), frame: [], at: 0 }));
    if (this.ttl.enabled) p.at = this.ctx.now();
    for (const r of group) {
      this.aggs.add(p.accs, r);
      if (this.preceding !== undefined) p.frame.push({ row: r, ts });
    }
    if (this.preceding !== undefined) {
      if (this.rows) {
        while (p.frame.length > this.preceding + 1) this.aggs.retract(p.accs, p.frame.shift()!.row);
      } else {
        while (p.frame.length && p.frame[0].ts < ts - this.preceding) this.aggs.retract(p.accs, p.frame.shift()!.row);
      }
    }
    const results = p.accs.map((a) => a.result());
    for (const r of group) out.push([...r, ...results]);
  }

  override snapshot(): unknown {
    const parts = [...this.partitions.values()].map((p) => [p.accs.map((a) => a.save()), p.frame]);
    return { base: super.snapshot(), pending: this.pending, parts, keys: [...this.partitions.keys()] };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; pending: Row[]; parts: [unknown[], { row: Row; ts: number }[]][]; keys: string[] };
    super.restore(s.base);
    this.pending = s.pending ?? [];
    (s.parts ?? []).forEach(([saved, frame], i) => {
      const accs = this.aggs.create();
      accs.forEach((a, j) => a.load(saved[j]));
      this.partitions.set(s.keys[i], { accs, frame, at: this.ttl.enabled ? this.ctx.now() : 0 });
    });
  }
}
