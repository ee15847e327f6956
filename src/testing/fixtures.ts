// Rows of a spec: inline lists, or files — JSON lines (`.jsonl`, `.ndjson`), a JSON array
// (`.json`) or CSV with a header line (`.csv`) — and writing rows back (`--update`).
import { parse as parseLossless } from 'lossless-json';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SpecError, type RowsRef, type Where } from './spec.js';

export interface SpecRow {
  value: Record<string, unknown>;
  at: Where;
}

function asObject(v: unknown, at: Where): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new SpecError(`a row must be an object {column: value, …}, got ${JSON.stringify(v)}`, at);
  return v as Record<string, unknown>;
}

/** Splits CSV text into records of fields (RFC 4180 quoting). */
export function parseCsv(text: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let cur = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cur += c;
      }
      continue;
    }
    if (c === '"') {
      quoted = true;
      any = true;
    } else if (c === ',') {
      fields.push(cur);
      cur = '';
      any = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (any || cur) {
        fields.push(cur);
        out.push({ fields, line: start });
      }
      fields = [];
      cur = '';
      any = false;
      line++;
      start = line;
    } else {
      cur += c;
      any = true;
    }
  }
  if (any || cur) {
    fields.push(cur);
    out.push({ fields, line: start });
  }
  return out;
}

/** The rows of an inline list or a file. */
export async function readRows(ref: RowsRef): Promise<SpecRow[]> {
  if (ref.inline) return ref.inline.map((r) => ({ value: asObject(r.value, r.at), at: r.at }));
  const file = ref.file!;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new SpecError(`cannot read rows from ${path.relative(process.cwd(), file)}: ${(e as Error).message}`, ref.at);
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') {
    const recs = parseCsv(text);
    if (!recs.length) return [];
    const header = recs[0].fields.map((h) => h.trim());
    return recs.slice(1).map((r) => {
      const at = { file, line: r.line, col: 1 };
      if (r.fields.length !== header.length) throw new SpecError(`expected ${header.length} fields (${header.join(', ')}), got ${r.fields.length}`, at);
      const o: Record<string, unknown> = {};
      // An empty unquoted field is NULL, as in Flink's csv format.
      header.forEach((h, i) => (o[h] = r.fields[i] === '' ? null : r.fields[i]));
      return { value: o, at };
    });
  }
  if (ext === '.json') {
    let v: unknown;
    try {
      v = parseJsonExactIntegers(text);
    } catch (e) {
      throw new SpecError(`invalid JSON: ${(e as Error).message}`, { file, line: 0, col: 0 });
    }
    if (!Array.isArray(v)) throw new SpecError('a .json rows file must hold an array of objects', { file, line: 1, col: 1 });
    return v.map((x, i) => ({ value: asObject(x, { file, line: 0, col: 0 }), at: { file, line: 0, col: i } }));
  }
  const rows: SpecRow[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    if (!l.trim()) return;
    const at = { file, line: i + 1, col: 1 };
    let v: unknown;
    try {
      v = parseJsonExactIntegers(l);
    } catch (e) {
      throw new SpecError(`invalid JSON line: ${(e as Error).message}`, at);
    }
    rows.push({ value: asObject(v, at), at });
  });
  return rows;
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes rows into a file in the format its extension says (for --update). */
export async function writeRowsFile(file: string, rows: Record<string, unknown>[], columns: string[]): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  let text: string;
  if (ext === '.csv') text = [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))].join('\n') + '\n';
  else if (ext === '.json') text = '[\n' + rows.map((r) => '  ' + JSON.stringify(r)).join(',\n') + (rows.length ? '\n' : '') + ']\n';
  else text = rows.map((r) => JSON.stringify(r) + '\n').join('');
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
}

/** JSON with integers beyond 2^53 as bigint and long non-integer numbers as their text (both exact). */
function parseJsonExactIntegers(text: string): unknown {
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  return parseLossless(text, null, (s) => {
    const n = Number(s);
    if (Number.isSafeInteger(n) || s.length <= 15) return n;
    return /^-?\d+$/.test(s) ? BigInt(s) : s;
  });
}
