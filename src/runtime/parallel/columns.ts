// Rows a worker sends the coordinator, as columns (the runtime's ColumnBatch layout): a column of
// numbers goes as a Float64Array and a validity bitmap whose buffers are transferred (not copied),
// any other column as one plain array; the coordinator reads them back as rows (toRows).
// Structured clone of row arrays tags and copies every value and builds an array per row.
import type { Row } from '../../common/types.js';
import type { ColumnBatch, NumberVector, Vector } from '../../common/columns.js';

/** `rows` (all of `width` fields) as a batch, and the buffers to transfer with it. */
export function toColumns(rows: Row[], width: number): { batch: ColumnBatch; transfer: ArrayBuffer[] } {
  const n = rows.length;
  const columns: Vector[] = [];
  const transfer: ArrayBuffer[] = [];
  for (let c = 0; c < width; c++) {
    let k = 0;
    while (k < n && (rows[k][c] === null || rows[k][c] === undefined)) k++;
    if (k < n && typeof rows[k][c] === 'number') {
      const values = new Float64Array(n);
      const valid = new Uint8Array((n + 7) >> 3);
      let others: Map<number, unknown> | undefined;
      for (let i = 0; i < n; i++) {
        const v = rows[i][c];
        if (v === null || v === undefined) continue;
        valid[i >> 3] |= 1 << (i & 7);
        if (typeof v === 'number') values[i] = v;
        else (others ??= new Map()).set(i, v);
      }
      const vec: NumberVector = { kind: 'number', values, valid };
      if (others) vec.others = others;
      columns.push(vec);
      transfer.push(values.buffer, valid.buffer);
    } else {
      const values = new Array<unknown>(n);
      for (let i = 0; i < n; i++) values[i] = rows[i][c] ?? null;
      columns.push({ kind: 'value', values });
    }
  }
  return { batch: { length: n, columns }, transfer };
}
