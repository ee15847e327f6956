// Event-time temporal join (`JOIN versioned FOR SYSTEM_TIME AS OF l.rowtime`): the right input is
// a changelog of versions per key; each left row is joined, once the watermark has passed its
// time, with the version of its key valid at that time. Output is append-only.
import { rowKindOf, type Row } from '../../common/types.js';
import { groupKeyFn } from './aggregates.js';
import { Operator, StateTtl, type Output, type OperatorContext } from './operator.js';

interface Version {
  time: number;
  /** NULL: the key was deleted at `time`. */
  row: Row | null;
}

interface Versions {
  /** Sorted by time; equal times in arrival order (the later one wins). */
  list: Version[];
  at: number;
}

export class TemporalJoinOperator extends Operator {
  private pending: Row[] = [];
  private readonly versions = new Map<string, Versions>();
  private readonly leftKey: (r: Row) => string;
  private readonly rightKey: (r: Row) => string;
  private readonly nullsRight: Row;
  private readonly ttl: StateTtl;

  constructor(
    out: Output,
    ctx: OperatorContext,
    private readonly joinType: 'INNER' | 'LEFT',
    private readonly leftKeys: number[],
    rightKeys: number[],
    private readonly leftTime: number,
    private readonly rightTime: number,
    rightWidth: number,
    private readonly condition?: (row: Row) => boolean,
  ) {
    super(out, ctx, 2);
    this.leftKey = groupKeyFn(leftKeys);
    this.rightKey = groupKeyFn(rightKeys);
    this.nullsRight = new Array(rightWidth).fill(null);
    this.ttl = new StateTtl(ctx.stateTtl ?? 0);
  }

  /** table.exec.state.ttl: the versions of a key not updated that long are dropped. */
  override onProcessingTime(now: number): void {
    if (!this.ttl.due(now)) return;
    for (const [k, v] of this.versions) if (this.ttl.expired(v.at, now)) this.versions.delete(k);
  }

  process(rows: Row[], input: number): void {
    if (input === 0) {
      // Rows behind the watermark still join at the next one, as in Flink.
      for (const r of rows) if (r[this.leftTime] !== null && r[this.leftTime] !== undefined) this.pending.push(r);
      return;
    }
    for (const r of rows) {
      const kind = rowKindOf(r);
      if (kind === '-U') continue; // the +U that follows is the new version
      const time = r[this.rightTime] as number | null;
      if (time === null || time === undefined) continue;
      const k = this.rightKey(r);
      let v = this.versions.get(k);
      if (!v) this.versions.set(k, (v = { list: [], at: 0 }));
      if (this.ttl.enabled) v.at = this.ctx.now();
      const version: Version = { time, row: kind === '-D' ? null : kind === '+I' ? r : r.slice() };
      let i = v.list.length;
      while (i > 0 && v.list[i - 1].time > time) i--;
      v.list.splice(i, 0, version);
    }
  }

  protected override onWatermark(wm: number): void {
    this.fire(wm);
    this.out.watermark(wm);
  }

  protected override onEnd(): void {
    this.fire(Infinity);
    this.out.end();
  }

  private fire(wm: number): void {
    const ready: Row[] = [];
    const waiting: Row[] = [];
    for (const r of this.pending) ((r[this.leftTime] as number) <= wm ? ready : waiting).push(r);
    this.pending = waiting;
    ready.sort((a, b) => (a[this.leftTime] as number) - (b[this.leftTime] as number));
    const out: Row[] = [];
    for (const l of ready) {
      let matched = false;
      if (!this.leftKeys.some((k) => l[k] === null || l[k] === undefined)) {
        const v = this.versions.get(this.leftKey(l));
        const version = v ? validAt(v.list, l[this.leftTime] as number) : undefined;
        if (version?.row) {
          const joined = [...l, ...version.row];
          if (!this.condition || this.condition(joined)) {
            matched = true;
            out.push(joined);
          }
        }
      }
      if (!matched && this.joinType === 'LEFT') out.push([...l, ...this.nullsRight]);
    }
    if (out.length) this.out.emit(out);
    if (wm === Infinity) return;
    // Versions before the one valid at the watermark can no longer be asked for.
    for (const [k, v] of this.versions) {
      let i = 0;
      while (i + 1 < v.list.length && v.list[i + 1].time <= wm) i++;
      if (i > 0) v.list.splice(0, i);
      if (v.list.length === 1 && v.list[0].row === null && v.list[0].time <= wm) this.versions.delete(k);
    }
  }

  override snapshot(): unknown {
    return { base: super.snapshot(), pending: this.pending, versions: [...this.versions.values()].map((v) => v.list) };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; pending: Row[]; versions: Version[][] };
    super.restore(s.base);
    this.pending = s.pending ?? [];
    for (const list of s.versions ?? []) {
      const any = list.find((v) => v.row !== null);
      if (!any?.row) continue;
      this.versions.set(this.rightKey(any.row), { list, at: this.ctx.now() });
    }
  }
}

/** The latest version with time <= t (the later of equal times). */
function validAt(list: Version[], t: number): Version | undefined {
  let found: Version | undefined;
  for (const v of list) {
    if (v.time > t) break;
    found = v;
  }
  return found;
}
