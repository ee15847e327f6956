// Rows a worker sends the coordinator or a peer, as columns (the runtime's ColumnBatch layout): a
// column of numbers goes as a Float64Array and a validity bitmap, any other column as one plain
// array; the receiver reads them back as rows (toRows). Structured clone of row arrays tags and
// copies every value and builds an array per row.
//
// The typed arrays are copied by postMessage, not transferred: transferring detaches their
// ArrayBuffers, and the first ArrayBuffer detached in a thread invalidates V8's detaching
// protector for that thread for good, after which its optimized code checks typed array and
// DataView accesses for a detached buffer (the JSON reader's shaped read, the columnar window
// aggregation). A pooled worker that had sent one batch so read every later event ~20 % slower
// (the seed job's worker plan, whole file: 2.4–2.6 CPU-s transferring, 1.9–2.1 copying).
import type { Row } from '../../common/types.js';
import type { ColumnBatch, NumberVector, Vector } from '../../common/columns.js';

/** `rows` (all of `width` fields) as a batch. */
export function toColumns(rows: Row[], width: number): ColumnBatch {
  const n = rows.length;
  const columns: Vector[] = [];
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
    } else {
      const values = new Array<unknown>(n);
      for (let i = 0; i < n; i++) values[i] = rows[i][c] ?? null;
      columns.push({ kind: 'value', values });
    }
  }
  return { length: n, columns };
}
