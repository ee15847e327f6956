// Keyed lookup join: for a lookup table whose connector looks rows up by key (jdbc), left rows
// are buffered and, when the job drains (before sinks are flushed and before every checkpoint),
// their distinct keys are asked for in one call; the matches (after the lookup side's own
// projection and filter) are joined. Watermarks and the end of input wait behind buffered rows,
// so nothing downstream sees them before the rows they follow. Only the buffered left rows are
// state (empty at a checkpoint, which drains first).
import type { Row } from '../../common/types.js';
import { rowKindOf, setRowKind } from '../../common/types.js';
import { Operator, type OperatorContext, type Output } from './operator.js';

export type KeyedLookup = (keys: unknown[][]) => Promise<Row[][]>;

export class KeyedLookupJoinOperator extends Operator {
  private pendingRows: Row[] = [];
  private heldWatermark?: number;
  private heldEnd = false;
  private readonly nullsRight: Row;

  constructor(
    out: Output,
    ctx: OperatorContext,
    private readonly joinType: 'INNER' | 'LEFT',
    private readonly leftKeys: number[],
    rightWidth: number,
    /** Looks keys up: the lookup side's rows (already projected and filtered) per key. */
    private readonly lookup: KeyedLookup,
    private readonly condition?: (row: Row) => boolean,
  ) {
    super(out, ctx, 1);
    this.nullsRight = new Array(rightWidth).fill(null);
  }

  process(rows: Row[]): void {
    for (const r of rows) this.pendingRows.push(r);
  }

  get hasPending(): boolean {
    return this.pendingRows.length > 0;
  }

  protected override onWatermark(wm: number): void {
    if (this.pendingRows.length) this.heldWatermark = wm;
    else this.out.watermark(wm);
  }

  protected override onEnd(): void {
    if (this.pendingRows.length) this.heldEnd = true;
    else this.out.end();
  }

  /** Looks up the buffered rows' keys, emits the joined rows, then what was held back. */
  async drain(): Promise<void> {
    if (!this.pendingRows.length) return;
    const rows = this.pendingRows;
    this.pendingRows = [];
    const keyIndex = new Map<string, number>();
    const keys: unknown[][] = [];
    const slot = new Array<number>(rows.length);
    rows.forEach((l, i) => {
      const key = this.leftKeys.map((k) => l[k]);
      if (key.some((v) => v === null || v === undefined)) {
        slot[i] = -1;
        return;
      }
      const ks = JSON.stringify(key, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
      let at = keyIndex.get(ks);
      if (at === undefined) {
        at = keys.length;
        keyIndex.set(ks, at);
        keys.push(key);
      }
      slot[i] = at;
    });
    const found = keys.length ? await this.lookup(keys) : [];
    const out: Row[] = [];
    rows.forEach((l, i) => {
      const kind = rowKindOf(l);
      let matched = false;
      for (const r of slot[i] >= 0 ? (found[slot[i]] ?? []) : []) {
        const joined = [...l, ...r];
        if (this.condition && !this.condition(joined)) continue;
        matched = true;
        out.push(setRowKind(joined, kind));
      }
      if (!matched && this.joinType === 'LEFT') out.push(setRowKind([...l, ...this.nullsRight], kind));
    });
    if (out.length) this.out.emit(out);
    if (this.heldWatermark !== undefined && !this.pendingRows.length) {
      const wm = this.heldWatermark;
      this.heldWatermark = undefined;
      this.out.watermark(wm);
    }
    if (this.heldEnd && !this.pendingRows.length) {
      this.heldEnd = false;
      this.out.end();
    }
  }

  override snapshot(): unknown {
    return { base: super.snapshot(), waiting: this.pendingRows };
  }

  override restore(state: unknown): void {
    const s = state as { base: unknown; waiting?: Row[] };
    super.restore(s.base);
    this.pendingRows = s.waiting ?? [];
  }
}
