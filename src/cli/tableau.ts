// Result tables in the style of Flink's sql-client tableau mode: a boxed table, NULL as <NULL>,
// then "N rows in set" (or "Received a total of N rows" with the changelog op column).
import { rowKindOf, type Field, type Row } from '../common/types.js';
import { stringifier } from '../functions/cast.js';

export interface TableauOptions {
  /** Show the `op` column (+I) as for streaming results in changelog style. */
  changelog?: boolean;
  timeZone?: string;
  /** Widest column; wider values are cut with '...'. Default: no limit (statement results: SHOW, DESCRIBE, SET). */
  maxColumnWidth?: number;
}

/** Display width: CJK and other wide characters count double, as in Flink's tableau. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6)) ? 2 : 1;
  }
  return w;
}

export function cellText(rows: Row[], columns: Field[], timeZone = 'UTC'): string[][] {
  const fmts = columns.map((c) => stringifier(c.type, timeZone, true));
  return rows.map((r) => columns.map((_, i) => (r[i] === null || r[i] === undefined ? '<NULL>' : fmts[i](r[i]))));
}

export function renderTableau(columns: Field[], rows: Row[], opts: TableauOptions = {}): string {
  const max = opts.maxColumnWidth ?? Infinity;
  const header = (opts.changelog ? ['op'] : []).concat(columns.map((c) => c.name));
  const cells = cellText(rows, columns, opts.timeZone).map((r, i) => (opts.changelog ? [rowKindOf(rows[i]), ...r] : r));
  const widths = header.map((h, i) => Math.min(max, Math.max(width(h), ...cells.map((r) => width(r[i])))));
  const clip = (s: string, w: number) => (width(s) > w ? s.slice(0, Math.max(0, w - 3)) + '...' : s);
  const line = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const fmt = (r: string[]) => '|' + r.map((c, i) => ' ' + ' '.repeat(Math.max(0, widths[i] - width(clip(c, widths[i])))) + clip(c, widths[i]) + ' ').join('|') + '|';
  if (rows.length === 0) return opts.changelog ? 'Received a total of 0 row\n' : 'Empty set\n';
  const out = [line, fmt(header), line, ...cells.map(fmt), line];
  out.push(opts.changelog ? `Received a total of ${rows.length} row${rows.length === 1 ? '' : 's'}` : `${rows.length} row${rows.length === 1 ? '' : 's'} in set`);
  return out.join('\n') + '\n';
}
