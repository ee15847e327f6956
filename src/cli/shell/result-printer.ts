// Printing a streaming SELECT in sql-client's tableau style while its rows arrive: the column
// widths come from the column types (the rows are not known in advance), the header is printed
// at once, each batch of rows as soon as it arrives, and the footer when the query ends.
import { rowKindOf, type Field, type LogicalType, type Row } from '../../common/types.js';
import { cellText, renderTableau } from '../tableau.js';

const MAX_WIDTH = 30;
const NULL_WIDTH = '<NULL>'.length;

/** The width a value of this type needs at most (capped like sql-client's max column width). */
export function typeWidth(t: LogicalType, max = MAX_WIDTH): number {
  let w: number;
  switch (t.kind) {
    case 'BOOLEAN':
      w = 5;
      break;
    case 'TINYINT':
      w = 4;
      break;
    case 'SMALLINT':
      w = 6;
      break;
    case 'INT':
      w = 11;
      break;
    case 'BIGINT':
      w = 20;
      break;
    case 'FLOAT':
    case 'DOUBLE':
      w = 22;
      break;
    case 'DECIMAL':
      w = t.precision + 2;
      break;
    case 'CHAR':
    case 'VARCHAR':
    case 'BINARY':
    case 'VARBINARY':
      w = t.length;
      break;
    case 'DATE':
      w = 10;
      break;
    case 'TIME':
      w = 8 + (t.precision > 0 ? t.precision + 1 : 0);
      break;
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      w = 19 + (t.precision > 0 ? t.precision + 1 : 0);
      break;
    default:
      w = max;
  }
  return Math.min(max, Math.max(NULL_WIDTH, w));
}

export interface StreamingTableOptions {
  changelog?: boolean;
  timeZone?: string;
  maxColumnWidth?: number;
}

/** "0 row", "1 row", "2 rows": sql-client's row count wording. */
export function rowCount(n: number): string {
  return `${n} ${n > 1 ? 'rows' : 'row'}`;
}

/** Writes a tableau incrementally: header(), rows(batch)…, footer(). */
export class StreamingTable {
  private readonly widths: number[];
  private readonly header: string[];
  private headerPrinted = false;
  count = 0;

  constructor(
    private readonly columns: Field[],
    private readonly write: (s: string) => void,
    private readonly opts: StreamingTableOptions = {},
  ) {
    const max = opts.maxColumnWidth ?? MAX_WIDTH;
    this.header = (opts.changelog ? ['op'] : []).concat(columns.map((c) => c.name));
    const typeWidths = (opts.changelog ? [2] : []).concat(columns.map((c) => typeWidth(c.type, max)));
    this.widths = this.header.map((h, i) => Math.max(Math.min(max, h.length), typeWidths[i]));
  }

  private line(): string {
    return '+' + this.widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  }

  private fmt(cells: string[]): string {
    return '|' + cells.map((c, i) => {
      const w = this.widths[i];
      const s = c.length > w ? c.slice(0, Math.max(0, w - 3)) + '...' : c;
      return ' ' + ' '.repeat(Math.max(0, w - s.length)) + s + ' ';
    }).join('|') + '|';
  }

  printHeader(): void {
    if (this.headerPrinted) return;
    this.headerPrinted = true;
    this.write([this.line(), this.fmt(this.header), this.line()].join('\n') + '\n');
  }

  rows(rows: Row[]): void {
    if (!rows.length) return;
    this.printHeader();
    this.count += rows.length;
    const cells = cellText(rows, this.columns, this.opts.timeZone);
    this.write(cells.map((r, i) => this.fmt(this.opts.changelog ? [rowKindOf(rows[i]), ...r] : r)).join('\n') + '\n');
  }

  /** The closing line and the row count; `cancelled` when the user stopped the query. */
  footer(cancelled = false): void {
    if (this.headerPrinted && this.count > 0) this.write(this.line() + '\n');
    const n = rowCount(this.count);
    this.write(cancelled ? `Query terminated, received a total of ${n}\n` : `Received a total of ${n}\n`);
  }
}

export interface QueryPrintOptions {
  /** Batch mode: the whole result as one table ("N rows in set"); streaming: rows as they arrive, with the op column. */
  batch: boolean;
  timeZone?: string;
  maxColumnWidth?: number;
}

/**
 * Prints a SELECT's result as sql-client's tableau mode does. `run` runs the job and says whether
 * it was cancelled (Ctrl+C); `onRows` hands the job's rows to the printer.
 */
export async function printQueryResult(
  columns: Field[],
  onRows: (f: (rows: Row[]) => void) => void,
  run: () => Promise<boolean>,
  write: (s: string) => void,
  opts: QueryPrintOptions,
): Promise<void> {
  if (opts.batch) {
    const rows: Row[] = [];
    onRows((rs) => {
      for (const x of rs) rows.push(x);
    });
    const cancelled = await run();
    if (cancelled) write(`Query terminated, received a total of ${rowCount(rows.length)}\n`);
    else write(renderTableau(columns, rows, { timeZone: opts.timeZone, maxColumnWidth: opts.maxColumnWidth ?? MAX_WIDTH }));
    return;
  }
  const table = new StreamingTable(columns, write, { changelog: true, timeZone: opts.timeZone, maxColumnWidth: opts.maxColumnWidth });
  table.printHeader();
  onRows((rs) => table.rows(rs));
  const cancelled = await run();
  table.footer(cancelled);
}
