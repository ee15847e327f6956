// Flink sql-client's full-screen result views, for `sql-client.execution.result-mode` 'table'
// and 'changelog' in the interactive shell. Both take the terminal's alternate screen until the
// user quits (Q, Esc or Ctrl+C), which cancels the query and gives the prompt back with
// "[INFO] Result retrieval cancelled.", as sql-client does.
//
// - 'table': the result materialized as rows (an insert or update-after adds a row, a retraction
//   or delete removes the newest equal row), shown a page at a time and refreshed at an interval.
//   Status line: refresh interval (or "Table program finished."), "Page: Last of N", "Updated: …".
//   Keys: Q quit, R refresh, + / - refresh interval, N / P next / previous page, L last page,
//   G go to a page, W / S or arrows select a row, A / D or arrows scroll sideways, O / Enter open
//   the selected row.
// - 'changelog': the last 1000 changes with their op column (+I, -U, +U, -D), following the end.
//   Keys: Q, R, + / -, row selection, sideways scrolling, O.
import type { Key } from 'node:readline';
import type { Writable } from 'node:stream';
import { formatType, rowKindOf, type Field, type Row } from '../../common/types.js';
import { cellText } from '../tableau.js';
import { typeWidth } from './result-printer.js';

export type ViewMode = 'table' | 'changelog';

/** sql-client's refresh intervals (label, milliseconds; 0 = as fast as the display allows, -1 = never). */
export const REFRESH_INTERVALS: readonly [string, number][] = [
  ['Fastest', 0],
  ['100 ms', 100],
  ['500 ms', 500],
  ['1 s', 1_000],
  ['5 s', 5_000],
  ['10 s', 10_000],
  ['1 min', 60_000],
  ['-', -1],
];
const TABLE_DEFAULT_INTERVAL = 3; // 1 s
const TABLE_MIN_INTERVAL = 1; // 100 ms
const CHANGELOG_DEFAULT_INTERVAL = 0; // Fastest
const CHANGELOG_MAX_ROWS = 1000;
/** Even "Fastest" redraws at most this often. */
const MIN_DRAW_MS = 100;

// --- the results --------------------------------------------------------------------------------

/**
 * A changelog materialized into rows, as Flink's MaterializedCollectStreamResult does: inserts
 * and update-afters are appended; retractions and deletes remove the newest equal row (so that a
 * page changes as little as possible). Rows are kept as their display text, which also decides
 * equality. Beyond `maxRows` the oldest rows are dropped.
 */
export class MaterializedTable {
  readonly rows: string[][] = [];
  /** How many rows are there for a key (a retraction of a row never seen is skipped at once). */
  private readonly counts = new Map<string, number>();

  constructor(private readonly maxRows = 1_000_000) {}

  apply(kind: string, cells: string[]): void {
    const key = cells.join('\u0000');
    if (kind === '+I' || kind === '+U') {
      if (this.rows.length >= this.maxRows) {
        const old = this.rows.shift()!;
        this.forget(old.join('\u0000'));
      }
      this.rows.push(cells);
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      return;
    }
    if (!this.counts.get(key)) return;
    for (let i = this.rows.length - 1; i >= 0; i--) {
      if (this.rows[i].join('\u0000') === key) {
        this.rows.splice(i, 1);
        this.forget(key);
        return;
      }
    }
  }

  private forget(key: string): void {
    const n = (this.counts.get(key) ?? 1) - 1;
    if (n > 0) this.counts.set(key, n);
    else this.counts.delete(key);
  }
}

// --- drawing ------------------------------------------------------------------------------------

/** A piece of a screen line with its SGR style ('7' inverse, '4' underline, '1' bold). */
interface Seg {
  t: string;
  s?: string;
}
type Line = Seg[];

const plain = (t: string): Line => [{ t }];

/** The columns [from, from + width) of a line. */
function sliceLine(l: Line, from: number, width: number): Line {
  const out: Line = [];
  let at = 0;
  for (const g of l) {
    const start = Math.max(from, at);
    const end = Math.min(from + width, at + g.t.length);
    if (end > start) out.push({ t: g.t.slice(start - at, end - at), s: g.s });
    at += g.t.length;
  }
  return out;
}

function ansi(l: Line): string {
  return l.map((g) => (g.s ? `\x1b[${g.s}m${g.t}\x1b[0m` : g.t)).join('');
}

/** A cell as sql-client draws it: right-aligned in its width, cut with '...' when longer. */
function normalize(text: string, width: number): string {
  if (text.length > width) return width <= 3 ? text.slice(0, width) : text.slice(0, width - 3) + '...';
  return ' '.repeat(width - text.length) + text;
}

/** The two help lines under the view: key (inverse), its name, in columns across the width. */
function helpLines(width: number, options: [string, string][]): Line[] {
  const columns = Math.ceil(options.length / 2);
  const space = Math.max(0, Math.floor((width - 1 - columns * 13) / columns));
  const lines: Line[] = [[], []];
  options.forEach(([key, label], i) => {
    const l = lines[i % 2];
    l.push({ t: key, s: '7' }, { t: ' ' + label + ' '.repeat(Math.max(0, 11 - label.length) + space) });
  });
  return lines;
}

function timeOfDay(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

// --- the view -----------------------------------------------------------------------------------

export interface ViewTerminal {
  output: Writable & { columns?: number; rows?: number };
  /** Takes every key press for the view (away from the line editor); returns how to give them back. */
  grabKeys(onKey: (str: string | undefined, key: Key) => void): () => void;
}

export interface ResultViewOptions {
  mode: ViewMode;
  columns: Field[];
  /** Hands the printer's row callback to the job. */
  onRows: (f: (rows: Row[]) => void) => void;
  /** Runs the job to its end (or until cancelled). */
  run: () => Promise<unknown>;
  cancel: () => void;
  terminal: ViewTerminal;
  timeZone?: string;
  maxColumnWidth?: number;
  /** `sql-client.execution.max-table-result.rows`. */
  maxRows?: number;
}

type SubView = { kind: 'row'; row: string[] } | { kind: 'input'; text: string; error?: string };

/**
 * Shows a query's result in Flink's full-screen view until the user quits. Resolves once the
 * screen is restored and the query has ended; rejects with the job's error when it failed.
 */
export function showResultView(o: ResultViewOptions): Promise<void> {
  return new ResultView(o).open();
}

class ResultView {
  private readonly mode: ViewMode;
  private readonly widths: number[];
  private readonly table?: MaterializedTable;
  /** Changelog mode: the changes shown (at most 1000), and those not yet shown. */
  private changes: string[][] = [];
  private pendingChanges: string[][] = [];
  /** Table mode: the rows at the last refresh, and the page shown (0 = the last one). */
  private snapshot: string[][] = [];
  private previousPage?: string[][];
  private previousPageNumber = 1;
  private page = 0;
  private refreshIndex: number;
  private lastRefresh?: Date;
  private retrieving = true;
  private selected = -1;
  private offsetX = 0;
  private offsetY = 0;
  private sub?: SubView;
  private timer?: NodeJS.Timeout;
  private drawTimer?: NodeJS.Timeout;
  private lastDraw = 0;
  private closed = false;
  private failure?: unknown;
  private finish!: () => void;

  constructor(private readonly o: ResultViewOptions) {
    this.mode = o.mode;
    const max = o.maxColumnWidth ?? 30;
    this.widths = o.columns.map((c) => Math.max(Math.min(max, c.name.length), typeWidth(c.type, max)));
    if (this.mode === 'changelog') this.widths.unshift(2);
    if (this.mode === 'table') this.table = new MaterializedTable(o.maxRows);
    this.refreshIndex = this.mode === 'table' ? TABLE_DEFAULT_INTERVAL : CHANGELOG_DEFAULT_INTERVAL;
  }

  private get width(): number {
    return Math.max(20, this.o.terminal.output.columns ?? 80);
  }

  private get height(): number {
    return Math.max(8, this.o.terminal.output.rows ?? 30);
  }

  /** Rows of the main part that fit: the screen less title, status + blank, column names and the two help lines. */
  private get pageSize(): number {
    return Math.max(1, this.height - 6);
  }

  private get pageCount(): number {
    return Math.max(1, Math.ceil(this.snapshot.length / this.pageSize));
  }

  async open(): Promise<void> {
    const out = this.o.terminal.output;
    const ended = new Promise<void>((resolve) => (this.finish = resolve));
    this.o.onRows((rows) => this.receive(rows));
    const giveBack = this.o.terminal.grabKeys((str, key) => this.key(str, key));
    const onResize = () => this.draw(true);
    out.on('resize', onResize);
    out.write('\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J');
    this.refresh();
    this.schedule();
    const job = this.o.run().then(
      () => this.jobEnded(),
      (e) => {
        this.failure = e;
        this.jobEnded();
        this.close();
      },
    );
    try {
      await ended;
    } finally {
      clearTimeout(this.timer);
      clearTimeout(this.drawTimer);
      out.off('resize', onResize);
      giveBack();
      out.write('\x1b[?1049l\x1b[?25h');
    }
    // Leaving the view cancels the query (sql-client cleans it up) and waits for its end.
    if (this.retrieving) this.o.cancel();
    await job;
    if (this.failure !== undefined) throw this.failure;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.finish();
  }

  private receive(rows: Row[]): void {
    const cells = cellText(rows, this.o.columns, this.o.timeZone);
    rows.forEach((r, i) => {
      const kind = rowKindOf(r);
      if (this.table) this.table.apply(kind, cells[i]);
      else this.pendingChanges.push([kind, ...cells[i]]);
    });
    // As fast as possible: show the change now (at most every 100 ms).
    if (this.refreshIndex === 0 && this.retrieving) this.drawSoon(true);
  }

  private jobEnded(): void {
    if (!this.retrieving) return;
    this.retrieving = false;
    clearTimeout(this.timer);
    if (!this.closed) {
      this.refresh();
      this.draw(true);
    }
  }

  /** Takes what arrived into the view (a snapshot of the table, or the new changes). */
  private refresh(): void {
    if (this.table) {
      // Cells that changed since the last refresh of the same page are shown bold.
      this.previousPageNumber = this.currentPage();
      this.previousPage = this.mainRows();
      this.snapshot = this.table.rows.slice();
      if (this.page > this.pageCount) this.page = 0;
    } else if (this.pendingChanges.length) {
      for (const c of this.pendingChanges) this.changes.push(c);
      this.pendingChanges = [];
      if (this.changes.length > CHANGELOG_MAX_ROWS) this.changes.splice(0, this.changes.length - CHANGELOG_MAX_ROWS);
      // Follow the end, as sql-client does, unless a row is selected.
      if (this.selected < 0) this.offsetY = Math.max(0, this.changes.length - this.pageSize);
    }
    this.lastRefresh = new Date();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.retrieving || this.closed) return;
    const ms = REFRESH_INTERVALS[this.refreshIndex][1];
    if (ms < 0) return;
    this.timer = setTimeout(() => {
      this.refresh();
      this.draw(true);
      this.schedule();
    }, Math.max(ms, MIN_DRAW_MS));
  }

  private drawSoon(refresh: boolean): void {
    if (this.drawTimer) return;
    const wait = Math.max(0, MIN_DRAW_MS - (Date.now() - this.lastDraw));
    this.drawTimer = setTimeout(() => {
      this.drawTimer = undefined;
      if (refresh) this.refresh();
      this.draw(true);
    }, wait);
  }

  // --- keys ---

  private key(str: string | undefined, key: Key): void {
    if (this.closed) return;
    const name = key?.name ?? '';
    const ch = (str ?? '').toLowerCase();
    const quit = name === 'escape' || (key?.ctrl && name === 'c');
    if (this.sub) return this.subKey(str, key, quit);
    if (quit || ch === 'q') return this.close();
    const table = this.mode === 'table';
    if (ch === 'r' || name === 'f5') this.refresh();
    else if (ch === '+') this.setInterval(Math.min(REFRESH_INTERVALS.length - 1, this.refreshIndex + 1));
    else if (ch === '-') this.setInterval(Math.max(table ? TABLE_MIN_INTERVAL : 0, this.refreshIndex - 1));
    else if (ch === 'w' || name === 'up') this.selectUp();
    else if (ch === 's' || name === 'down') this.selectDown();
    else if (ch === 'a' || name === 'left') this.offsetX = Math.max(0, this.offsetX - 1);
    else if (ch === 'd' || name === 'right') this.offsetX = Math.min(Math.max(0, this.mainWidth() - this.width), this.offsetX + 1);
    else if (ch === 'o' || name === 'return' || name === 'enter') this.openRow();
    else if (table && ch === 'n') this.gotoPage(Math.min(this.pageCount, this.currentPage() + 1));
    else if (table && ch === 'p') this.gotoPage(Math.max(1, this.currentPage() - 1));
    else if (table && (ch === 'l' || name === 'end')) this.gotoPage(0);
    else if (table && ch === 'g') this.sub = { kind: 'input', text: '' };
    else return;
    this.draw(true);
  }

  private subKey(str: string | undefined, key: Key, quit: boolean | undefined): void {
    const sub = this.sub!;
    if (sub.kind === 'row') {
      if (quit || (str ?? '').toLowerCase() === 'q') this.sub = undefined;
      this.draw(true);
      return;
    }
    const name = key?.name ?? '';
    if (quit) this.sub = undefined;
    else if (name === 'return' || name === 'enter') {
      const t = sub.text.trim();
      const n = Number(t);
      if (t === '') this.sub = undefined;
      else if (/^\d+$/.test(t) && n >= 1 && n <= this.pageCount) {
        this.sub = undefined;
        this.gotoPage(n);
      } else sub.error = 'The input is invalid please check it again.';
    } else if (name === 'backspace') sub.text = sub.text.slice(0, -1);
    else if (str && /^[ -~]$/.test(str)) sub.text += str;
    this.draw(true);
  }

  private setInterval(i: number): void {
    this.refreshIndex = i;
    this.schedule();
  }

  private currentPage(): number {
    return this.page === 0 ? this.pageCount : this.page;
  }

  private gotoPage(page: number): void {
    this.page = page === 0 ? 0 : page;
    this.selected = -1;
  }

  /** The rows of the main part: the page (table) or all changes (changelog). */
  private mainRows(): string[][] {
    if (this.mode === 'changelog') return this.changes;
    const p = this.currentPage();
    return this.snapshot.slice((p - 1) * this.pageSize, p * this.pageSize);
  }

  private mainWidth(): number {
    return this.widths.reduce((n, w) => n + w + 1, 0);
  }

  private selectUp(): void {
    const rows = this.mainRows();
    if (!rows.length) return;
    if (this.selected < 0) this.selected = Math.min(rows.length, this.offsetY + this.pageSize) - 1;
    else this.selected = Math.max(0, this.selected - 1);
    if (this.selected < this.offsetY) this.offsetY = this.selected;
  }

  private selectDown(): void {
    const rows = this.mainRows();
    if (!rows.length) return;
    if (this.selected < 0) this.selected = this.offsetY;
    else this.selected = Math.min(rows.length - 1, this.selected + 1);
    if (this.selected >= this.offsetY + this.pageSize) this.offsetY = this.selected - this.pageSize + 1;
  }

  private openRow(): void {
    const row = this.mainRows()[this.selected];
    if (!row) return;
    this.sub = { kind: 'row', row: this.mode === 'changelog' ? row.slice(1) : row };
  }

  // --- screen ---

  private draw(force = false): void {
    if (this.closed || (!force && Date.now() - this.lastDraw < MIN_DRAW_MS)) return;
    this.lastDraw = Date.now();
    const lines = this.sub ? this.subLines(this.sub) : this.viewLines();
    const w = this.width;
    let s = '';
    for (let i = 0; i < this.height; i++) s += `\x1b[${i + 1};1H${ansi(sliceLine(lines[i] ?? [], 0, w))}\x1b[K`;
    this.o.terminal.output.write(s);
  }

  private title(text: string): Line {
    const w = this.width;
    const margin = Math.max(0, w - text.length);
    return [{ t: ' '.repeat(Math.floor(margin / 2)) + text + ' '.repeat(Math.ceil(margin / 2)), s: '7' }];
  }

  private statusLine(): Line {
    const w = this.width;
    const left = ' ' + (this.retrieving ? `Refresh: ${REFRESH_INTERVALS[this.refreshIndex][0]}` : 'Table program finished.');
    const right = `Updated: ${this.lastRefresh ? timeOfDay(this.lastRefresh) : 'Unknown'} `;
    let text: string;
    if (this.mode === 'table') {
      const middle = `Page: ${this.page === 0 ? 'Last' : this.page} of ${this.pageCount}`;
      text = left + ' '.repeat(Math.max(0, Math.floor((w - middle.length) / 2) - left.length)) + middle;
      text += ' '.repeat(Math.max(1, w - text.length - right.length)) + right;
    } else text = left + ' '.repeat(Math.max(1, w - left.length - right.length)) + right;
    return [{ t: text.padEnd(w), s: '7' }];
  }

  private viewLines(): Line[] {
    const table = this.mode === 'table';
    const names = (table ? [] : ['op']).concat(this.o.columns.map((c) => c.name));
    const header: Line = [];
    names.forEach((n, i) => header.push({ t: ' ' }, { t: normalize(n, this.widths[i]), s: '4' }));
    const rows = this.mainRows();
    if (rows.length <= this.pageSize) this.offsetY = 0;
    else this.offsetY = Math.min(rows.length - this.pageSize, this.offsetY);
    const shownPage = this.currentPage();
    const before = table && this.retrieving && this.previousPageNumber === shownPage ? this.previousPage : undefined;
    const main: Line[] = rows.slice(this.offsetY, this.offsetY + this.pageSize).map((r, k) => {
      const idx = this.offsetY + k;
      const line: Line = [];
      r.forEach((c, i) => {
        const cell = normalize(c, this.widths[i]);
        const changed = before !== undefined && (idx >= before.length || before[idx][i] !== c);
        line.push({ t: ' ', s: idx === this.selected ? '7' : undefined }, { t: cell, s: idx === this.selected ? '7' : changed ? '1' : undefined });
      });
      return line;
    });
    const total = Math.max(this.mainWidth(), this.width);
    this.offsetX = Math.min(this.offsetX, Math.max(0, total - this.width));
    const shift = (l: Line) => (this.offsetX ? sliceLine(l, this.offsetX, this.width) : l);
    const help: [string, string][] = table
      ? [['Q', 'Quit'], ['R', 'Refresh'], ['+', 'Inc Refresh'], ['-', 'Dec Refresh'], ['G', 'Goto Page'], ['L', 'Last Page'], ['N', 'Next Page'], ['P', 'Prev Page'], ['O', 'Open Row']]
      : [['Q', 'Quit'], ['R', 'Refresh'], ['+', 'Inc Refresh'], ['-', 'Dec Refresh'], ['O', 'Open Row']];
    const lines: Line[] = [this.title(`SQL Query Result (${table ? 'Table' : 'Changelog'})`), this.statusLine(), [], shift(header), ...main.map(shift)];
    while (lines.length < this.height - 2) lines.push([]);
    return [...lines, ...helpLines(this.width, help)];
  }

  private subLines(sub: SubView): Line[] {
    const lines: Line[] = [];
    let footer: Line;
    if (sub.kind === 'row') {
      lines.push(this.title('Row Summary'), []);
      this.o.columns.forEach((c, i) => {
        lines.push([{ t: ` ${c.name} (${formatType(c.type)}):`, s: '1' }]);
        for (const part of (sub.row[i] ?? '').split('\n')) lines.push(plain(`   ${part}`));
        lines.push([]);
      });
      footer = [{ t: 'Press ' }, { t: 'Q', s: '7' }, { t: ' to go back.' }];
    } else {
      lines.push(this.title('Input Dialog'), [], plain(` Enter page number: [1 to ${this.pageCount}]`), [], plain(` > ${sub.text}`), []);
      if (sub.error) lines.push([{ t: ` ${sub.error}`, s: '1' }]);
      footer = [{ t: 'Press ' }, { t: 'Enter', s: '7' }, { t: ' to submit. Press ' }, { t: 'ESC', s: '7' }, { t: ' or submit an empty string to cancel.' }];
    }
    const shown = lines.slice(0, this.height - 1);
    while (shown.length < this.height - 1) shown.push([]);
    return [...shown, footer];
  }
}
