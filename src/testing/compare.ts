// Comparing what a sink received with what the spec expects: by column type, as a multiset
// (order: any) or as a sequence (order: exact); the diff names missing and unexpected rows.
import type { Field, Row } from '../common/types.js';
import { suggestion } from '../common/errors.js';
import { SpecError } from './spec.js';
import type { SpecRow } from './fixtures.js';
import { ValueError, canonical, rowToObject, showObject, toPlain, toRuntime } from './values.js';

export interface SinkDiff {
  sink: string;
  expectedCount: number;
  actualCount: number;
  /** Rows expected but not received (as printed). */
  missing: string[];
  /** Rows received but not expected. */
  unexpected: string[];
  /** order: exact — the first position where the sequences differ. */
  order?: { index: number; expected: string; actual: string };
}

export interface CompareOptions {
  order: 'any' | 'exact';
  ignoreColumns: string[];
  timeZone: string;
}

/** Expected rows as runtime rows of the compared columns; errors name the row's place. */
export function expectedRows(sink: string, fields: Field[], rows: SpecRow[], opts: CompareOptions): { keys: string[]; shown: string[] } {
  const names = fields.map((f) => f.name);
  const compared = fields.map((f, i) => ({ f, i })).filter(({ f }) => !opts.ignoreColumns.includes(f.name));
  const keys: string[] = [];
  const shown: string[] = [];
  for (const r of rows) {
    for (const k of Object.keys(r.value)) {
      if (!names.includes(k)) throw new SpecError(`expected row for ${sink}: unknown column '${k}'${suggestion(k, names)} (columns: ${names.join(', ')})`, r.at);
    }
    const vals: unknown[] = [];
    const obj: Record<string, unknown> = {};
    for (const { f } of compared) {
      let v: unknown;
      try {
        v = toRuntime(r.value[f.name], f.type, opts.timeZone);
      } catch (e) {
        if (e instanceof ValueError) throw new SpecError(`expected row for ${sink}, column '${f.name}': ${e.message}`, r.at);
        throw e;
      }
      vals.push(canonical(v, f.type, opts.timeZone));
      obj[f.name] = toPlain(v, f.type, opts.timeZone);
    }
    keys.push(JSON.stringify(vals));
    shown.push(showObject(obj));
  }
  return { keys, shown };
}

function actualRows(fields: Field[], rows: Row[], opts: CompareOptions): { keys: string[]; shown: string[] } {
  const compared = fields.map((f, i) => ({ f, i })).filter(({ f }) => !opts.ignoreColumns.includes(f.name));
  const cf = compared.map(({ f }) => f);
  const keys: string[] = [];
  const shown: string[] = [];
  for (const row of rows) {
    const sub = compared.map(({ i }) => row[i]);
    keys.push(JSON.stringify(sub.map((v, j) => canonical(v, cf[j].type, opts.timeZone))));
    shown.push(showObject(rowToObject(sub, cf, opts.timeZone)));
  }
  return { keys, shown };
}

/** Compares; undefined when they match. */
export function compareRows(sink: string, fields: Field[], expected: SpecRow[], actual: Row[], opts: CompareOptions): SinkDiff | undefined {
  const e = expectedRows(sink, fields, expected, opts);
  const a = actualRows(fields, actual, opts);
  const counts = new Map<string, number>();
  for (const k of a.keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  const missing: string[] = [];
  e.keys.forEach((k, i) => {
    const n = counts.get(k) ?? 0;
    if (n > 0) counts.set(k, n - 1);
    else missing.push(e.shown[i]);
  });
  const unexpected: string[] = [];
  const left = new Map(counts);
  a.keys.forEach((k, i) => {
    const n = left.get(k) ?? 0;
    if (n > 0) {
      left.set(k, n - 1);
      unexpected.push(a.shown[i]);
    }
  });
  let order: SinkDiff['order'];
  if (opts.order === 'exact' && !missing.length && !unexpected.length) {
    const i = e.keys.findIndex((k, j) => k !== a.keys[j]);
    if (i >= 0) order = { index: i, expected: e.shown[i], actual: a.shown[i] };
  }
  if (!missing.length && !unexpected.length && !order) return undefined;
  return { sink, expectedCount: e.keys.length, actualCount: a.keys.length, missing, unexpected, order };
}

/** Rows listed per kind in a diff; the rest are counted. */
const MAX_SHOWN = 50;

/** The diff as text, indented. */
export function formatDiff(d: SinkDiff, indent = '    '): string {
  const lines = [`${indent}sink ${d.sink}: expected ${d.expectedCount} row${d.expectedCount === 1 ? '' : 's'}, received ${d.actualCount}`];
  if (d.missing.length) {
    lines.push(`${indent}  missing (${d.missing.length}):`);
    for (const m of d.missing.slice(0, MAX_SHOWN)) lines.push(`${indent}    - ${m}`);
    if (d.missing.length > MAX_SHOWN) lines.push(`${indent}    … and ${d.missing.length - MAX_SHOWN} more`);
  }
  if (d.unexpected.length) {
    lines.push(`${indent}  unexpected (${d.unexpected.length}):`);
    for (const m of d.unexpected.slice(0, MAX_SHOWN)) lines.push(`${indent}    + ${m}`);
    if (d.unexpected.length > MAX_SHOWN) lines.push(`${indent}    … and ${d.unexpected.length - MAX_SHOWN} more`);
  }
  if (d.order) {
    lines.push(`${indent}  order (exact) differs at row ${d.order.index + 1}:`);
    lines.push(`${indent}    - ${d.order.expected}`);
    lines.push(`${indent}    + ${d.order.actual}`);
  }
  return lines.join('\n');
}
