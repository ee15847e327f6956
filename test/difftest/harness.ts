// The differential harness: each case (input rows + statements) runs on Apache Flink 1.20 (the
// test peer, through its SQL Gateway) and on tsstream (an in-process Session); the outcomes must
// agree. Compared: the last statement's result columns (names and types) and rows — insert-only
// results as multisets, updating results as the final table their changelog leaves — and errors:
// both accept, or both fail at the same statement for the same kind of reason (messages are not
// compared). The kinds (ErrorKind): a user error (the statement is refused, or its job fails on the
// data), a name not found (table, column, function, type), and a harness error (the input tables,
// the Flink peer, a timeout). Both failing with a user error agree; both with a name not found agree
// only in a case marked `-- expect: not-found` (else the case tests nothing: a harness error, as a
// harness error on either side is); tsstream failing with an untyped error (TypeError …) is a crash
// and never agrees.
//
// Case files (test/difftest/cases/*.sql) hold one or more cases:
//   -- table: events (user_id STRING, amount INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
//   -- row: {"user_id": "u1", "amount": 5, "ts": "2025-01-01 10:00:00"}
//   -- case: tumble-sum
//   -- mode: streaming
//   SELECT window_start, SUM(amount) AS s FROM TABLE(TUMBLE(…)) GROUP BY window_start, window_end;
// `-- table:` and its `-- row:` lines (JSON, read by the filesystem connector with format json)
// before the first `-- case:` are shared by every case of the file; after a `-- case:` they belong
// to that case. `-- mode: batch | streaming` (default batch). `-- vitest` puts the case (or, before
// the first case, every case of the file) into the subset the normal vitest suite runs. Everything else up to the next `-- case:` is the case's SQL; its last statement
// is the one whose result is compared, the ones before it must succeed on both (or fail on both).
// `${dir}` in the SQL is a directory of each engine's own (a sink's path that a later statement
// reads back, e.g. with format 'raw' to compare the text a format writes).
// `-- compare: changelog` compares an updating result's changelog too (its rows with their kinds,
// as a multiset), for cases whose changelog is deterministic on Flink (e.g. one mini-batch over the
// whole bounded input). `-- expect: not-found`: the case checks that both engines refuse an unknown
// name (a function Flink 1.20 does not have, a missing table).
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Session, collectQuery } from '../../src/cli/session.js';
import { cellText } from '../../src/cli/tableau.js';
import { TsstreamError } from '../../src/common/errors.js';
import { formatType, rowKindOf, type RowKind } from '../../src/common/types.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { FlinkStatementError, runOnFlink, splitStatements } from '../peers/flink-client.js';

export interface InputTable {
  name: string;
  /** The column list in parentheses, as in CREATE TABLE. */
  schema: string;
  rows: string[];
}

export interface DiffCase {
  name: string;
  file: string;
  mode: 'batch' | 'streaming';
  /** In the subset test/difftest/difftest.test.ts runs (the rest: `npm run difftest`). */
  vitest: boolean;
  /** `-- compare: changelog`: the changelog (rows with kinds, as a multiset) must match too, not only the final table. */
  changelog?: boolean;
  /** `-- expect: not-found`: both engines refusing an unknown name is the agreement the case checks. */
  expectNotFound?: boolean;
  tables: InputTable[];
  statements: string[];
}

/**
 * Why a statement failed: `user` a user error (refused at planning, or the job failed on the data),
 * `not-found` an unknown table, column, function or type, `harness` the input tables, the Flink
 * peer or a timeout (the case did not run), `crash` an untyped error in tsstream (a tsstream bug).
 */
export type ErrorKind = 'user' | 'not-found' | 'harness' | 'crash';

export type Outcome =
  | { kind: 'error'; statement: number; message: string; errorKind: ErrorKind }
  | { kind: 'result'; columns: { name: string; type: string }[]; rows: string[][]; updating: boolean; changelog?: string[] };

export interface CaseResult {
  case: DiffCase;
  flink: Outcome;
  tsstream: Outcome;
  /** Empty when they agree; otherwise what differs, one line each. */
  differences: string[];
  /** Set when the case could not be compared (a harness error on either side, or both failing on an unknown name it does not expect): why. */
  harnessError?: string;
}

const HEADER = /^--\s*(case|table|row|mode|vitest|compare|expect)\b:?\s*(.*)$/;

export function parseCaseFile(file: string, text: string): DiffCase[] {
  const shared: InputTable[] = [];
  let fileVitest = false;
  const cases: DiffCase[] = [];
  let cur: DiffCase | undefined;
  let sql: string[] = [];
  const finish = () => {
    if (!cur) return;
    cur.statements = splitStatements(sql.join('\n'));
    if (cur.statements.length === 0) throw new Error(`${file}: case '${cur.name}' has no statements`);
    cases.push(cur);
    sql = [];
  };
  let lastTable: InputTable | undefined;
  for (const line of text.split('\n')) {
    const m = HEADER.exec(line.trim());
    if (!m) {
      if (cur) sql.push(line);
      else if (line.trim() !== '' && !line.trim().startsWith('--')) throw new Error(`${file}: SQL before the first '-- case:' line: ${line}`);
      continue;
    }
    const [, key, value] = m;
    switch (key) {
      case 'case':
        finish();
        cur = { name: value.trim(), file, mode: 'batch', vitest: fileVitest, tables: [...shared], statements: [] };
        lastTable = undefined;
        break;
      case 'table': {
        const t = /^(\w+)\s*(\(.*\))\s*$/.exec(value.trim());
        if (!t) throw new Error(`${file}: '-- table:' needs NAME (COLUMNS…): ${value}`);
        lastTable = { name: t[1], schema: t[2], rows: [] };
        if (cur) cur.tables = [...cur.tables.filter((x) => x.name !== t[1]), lastTable];
        else shared.push(lastTable);
        break;
      }
      case 'row':
        if (!lastTable) throw new Error(`${file}: '-- row:' before any '-- table:'`);
        JSON.parse(value);
        lastTable.rows.push(value.trim());
        break;
      case 'mode':
        if (!cur || (value.trim() !== 'batch' && value.trim() !== 'streaming')) throw new Error(`${file}: '-- mode:' must follow a case and be batch or streaming`);
        cur.mode = value.trim() as 'batch' | 'streaming';
        break;
      case 'compare':
        if (!cur || value.trim() !== 'changelog') throw new Error(`${file}: '-- compare:' must follow a case and be changelog`);
        cur.changelog = true;
        break;
      case 'expect':
        if (!cur || value.trim() !== 'not-found') throw new Error(`${file}: '-- expect:' must follow a case and be not-found`);
        cur.expectNotFound = true;
        break;
      case 'vitest':
        if (cur) cur.vitest = true;
        else fileVitest = true;
        break;
    }
  }
  finish();
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`${file}: two cases named '${c.name}'`);
    names.add(c.name);
  }
  return cases;
}

export const CASES_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'cases');
export const EXPECTED_FILE = path.join(path.dirname(new URL(import.meta.url).pathname), 'expected-differences.txt');

export function loadCases(dir = CASES_DIR): DiffCase[] {
  const all: DiffCase[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.sql')).sort()) all.push(...parseCaseFile(f, readFileSync(path.join(dir, f), 'utf8')));
  const names = new Set<string>();
  for (const c of all) {
    if (names.has(c.name)) throw new Error(`two cases named '${c.name}' (${c.file})`);
    names.add(c.name);
  }
  return all;
}

/** Case name → why it is known to differ (test/difftest/expected-differences.txt: `name: reason`). */
export function loadExpected(file = EXPECTED_FILE): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const i = t.indexOf(':');
    if (i < 0) throw new Error(`${file}: 'name: reason' expected, got: ${t}`);
    out.set(t.slice(0, i).trim(), t.slice(i + 1).trim());
  }
  return out;
}

/** The statements both engines run: input tables, the mode, UTC, then the case's own. */
function preamble(c: DiffCase, dataDir: string): string[] {
  const out = [`SET 'execution.runtime-mode' = '${c.mode}'`, `SET 'table.local-time-zone' = 'UTC'`];
  for (const t of c.tables) {
    const dir = path.join(dataDir, t.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'data.json'), t.rows.map((r) => r + '\n').join(''));
    out.push(`CREATE TEMPORARY TABLE ${t.name} ${t.schema} WITH ('connector' = 'filesystem', 'path' = 'file://${dir}', 'format' = 'json')`);
  }
  return out;
}

/** Applies a changelog: the rows it leaves. `null` when it retracts a row it never emitted. */
function finalTable(rows: { kind: RowKind; text: string[] }[]): string[][] | null {
  const live: string[][] = [];
  for (const r of rows) {
    if (r.kind === '+I' || r.kind === '+U') live.push(r.text);
    else {
      const key = JSON.stringify(r.text);
      const i = live.findIndex((x) => JSON.stringify(x) === key);
      if (i < 0) return null;
      live.splice(i, 1);
    }
  }
  return live;
}

function resultOutcome(columns: { name: string; type: string }[], rows: { kind: RowKind; text: string[] }[]): Outcome {
  const updating = rows.some((r) => r.kind !== '+I');
  const fin = updating ? finalTable(rows) : rows.map((r) => r.text);
  if (fin === null) return { kind: 'error', statement: -1, message: 'the changelog retracts a row it never emitted', errorKind: 'crash' };
  const changelog = rows.map((r) => [r.kind, ...r.text].join(' | ')).sort();
  return { kind: 'result', columns, rows: sortRows(fin), updating, changelog };
}

export function sortRows(rows: string[][]): string[][] {
  return [...rows].sort((a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** The case's statements with `${dir}` replaced by the engine's own directory. */
function caseStatements(c: DiffCase, dir: string): string[] {
  return c.statements.map((st) => st.replaceAll('${dir}', path.join(dir, 'out')));
}

export async function runOnFlinkCase(c: DiffCase, flink: FlinkEndpoint, dataDir: string): Promise<Outcome> {
  const pre = preamble(c, path.join(dataDir, 'flink'));
  try {
    const res = await runOnFlink([...pre, ...caseStatements(c, path.join(dataDir, 'flink'))], { flink, rowFormat: 'PLAIN_TEXT', timeoutMs: 90_000 });
    const last = res[res.length - 1];
    // An INSERT's result is its job id: accepted, with no rows to compare (as tsstream's).
    if (last.jobState !== undefined) return { kind: 'result', columns: [], rows: [], updating: false };
    return resultOutcome(
      last.columns.map((col) => ({ name: col.name, type: col.type })),
      last.rows.map((r) => ({ kind: r.kind, text: r.text })),
    );
  } catch (e) {
    if (e instanceof FlinkStatementError) {
      const statement = e.index - pre.length;
      return { kind: 'error', statement, message: e.rootCause, errorKind: statement < 0 || FLINK_TIMEOUT.test(e.rootCause) ? 'harness' : NOT_FOUND.test(e.rootCause) ? 'not-found' : 'user' };
    }
    // The gateway unreachable, a session it did not open …: the case did not run.
    return { kind: 'error', statement: -1, message: `the Flink peer: ${(e as Error).message}`, errorKind: 'harness' };
  }
}

/** An unknown table, column, field, function or type, in Flink's words and tsstream's (the same as Calcite's). */
const NOT_FOUND = /\b(Object|Column|Table|Field) '[^']*' not found|Cannot find table '[^']*' in any of the catalogs|No match found for function signature|\bunknown data type\b|Unknown identifier|Could not find any factory for identifier/i;
/** runOnFlink's own timeouts. */
const FLINK_TIMEOUT = /^no result within \d+ ms|^results did not end within \d+ ms/;

/** How tsstream runs a case: `parallelism` sets 'parallelism.default' (worker threads); `log` hears the session's log lines. */
export interface TsstreamRunOptions {
  parallelism?: number;
  log?: (message: string) => void;
}

export async function runOnTsstream(c: DiffCase, dataDir: string, o: TsstreamRunOptions = {}): Promise<Outcome> {
  const pre = preamble(c, path.join(dataDir, 'tsstream'));
  const session = new Session({ log: (_l, m) => o.log?.(m), ...(o.parallelism ? { config: { 'parallelism.default': String(o.parallelism) } } : {}) });
  const all = [...pre, ...caseStatements(c, path.join(dataDir, 'tsstream'))];
  try {
    for (let i = 0; i < all.length; i++) {
      let results;
      try {
        results = await session.executeAll(all[i] + ';');
        for (const r of results) if (r.kind === 'job') await r.job.run();
        if (i < all.length - 1) continue;
        const r = results[results.length - 1];
        if (r.kind === 'query') {
          const rows = await collectQuery(r);
          const text = cellText(rows, r.columns, session.config.get('table.local-time-zone') ?? 'UTC');
          return resultOutcome(
            r.columns.map((col) => ({ name: col.name, type: formatType(col.type) })),
            rows.map((row, k) => ({ kind: rowKindOf(row), text: text[k] })),
          );
        }
        if (r.kind === 'table') {
          const text = cellText(r.rows, r.columns, session.config.get('table.local-time-zone') ?? 'UTC');
          return resultOutcome(
            r.columns.map((col) => ({ name: col.name, type: formatType(col.type) })),
            r.rows.map((row, k) => ({ kind: rowKindOf(row), text: text[k] })),
          );
        }
        return { kind: 'result', columns: [], rows: [], updating: false };
      } catch (e) {
        const statement = i - pre.length;
        const message = (e as Error).message;
        const errorKind: ErrorKind = statement < 0 ? 'harness' : !(e instanceof TsstreamError) ? 'crash' : NOT_FOUND.test(message) ? 'not-found' : 'user';
        return { kind: 'error', statement, message: errorKind === 'crash' ? `${(e as Error).name}: ${message}` : message, errorKind };
      }
    }
    throw new Error('unreachable');
  } finally {
    await session.close();
  }
}

const where = (o: { statement: number }) => (o.statement < 0 ? 'the input tables' : `statement ${o.statement + 1}`);

/**
 * Why the outcomes cannot be compared, or undefined: a harness error on either side (the input
 * tables, the Flink peer, a timeout), or both refusing an unknown name where the case does not
 * expect it (`expectNotFound`): such a case tests nothing.
 */
export function harnessProblem(flink: Outcome, mine: Outcome, expectNotFound = false): string | undefined {
  const side = (engine: string, o: Outcome) => (o.kind === 'error' && o.errorKind === 'harness' ? `${engine}: ${where(o)}: ${o.message.split('\n')[0]}` : undefined);
  const h = [side('Flink', flink), side('tsstream', mine)].filter((x) => x !== undefined);
  if (h.length) return h.join('; ');
  if (flink.kind === 'error' && mine.kind === 'error' && flink.errorKind === 'not-found' && mine.errorKind === 'not-found' && !expectNotFound)
    return `both engines refuse an unknown name, which the case does not expect (-- expect: not-found): Flink ${where(flink)}: ${flink.message.split('\n')[0]}; tsstream ${where(mine)}: ${mine.message.split('\n')[0]}`;
  return undefined;
}

export function compareOutcomes(flink: Outcome, mine: Outcome, changelog = false): string[] {
  if (flink.kind === 'error' && mine.kind === 'error') {
    const what = (o: typeof flink) => `${where(o)}: ${o.errorKind === 'not-found' ? 'not found: ' : o.errorKind === 'crash' ? 'crash: ' : ''}${o.message.split('\n')[0]}`;
    if (mine.errorKind === 'crash') return [`tsstream crashes (${what(mine)}) where Flink rejects (${what(flink)})`];
    if (flink.statement !== mine.statement || (flink.errorKind === 'not-found') !== (mine.errorKind === 'not-found'))
      return [`both reject, for different reasons: Flink (${what(flink)}), tsstream (${what(mine)})`];
    return [];
  }
  if (flink.kind === 'error') return [`Flink rejects (${where(flink)}: ${flink.message.split('\n')[0]}), tsstream accepts`];
  if (mine.kind === 'error') return [`tsstream rejects (${where(mine)}: ${mine.message.split('\n')[0]}), Flink accepts`];
  const out: string[] = [];
  const fc = flink.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  const mc = mine.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  if (fc !== mc) out.push(`columns: Flink (${fc}) vs tsstream (${mc})`);
  const fr = flink.rows.map((r) => r.join(' | '));
  const mr = mine.rows.map((r) => r.join(' | '));
  if (JSON.stringify(fr) !== JSON.stringify(mr)) {
    const onlyF = multisetMinus(fr, mr);
    const onlyM = multisetMinus(mr, fr);
    out.push(`rows${flink.updating || mine.updating ? ' (final table)' : ''}: only Flink [${onlyF.slice(0, 5).join('; ')}${onlyF.length > 5 ? '; …' : ''}], only tsstream [${onlyM.slice(0, 5).join('; ')}${onlyM.length > 5 ? '; …' : ''}]`);
  }
  const fl = flink.changelog ?? [];
  const ml = mine.changelog ?? [];
  if (changelog && JSON.stringify(fl) !== JSON.stringify(ml)) {
    const onlyF = multisetMinus(fl, ml);
    const onlyM = multisetMinus(ml, fl);
    out.push(`changelog (${fl.length} vs ${ml.length} rows): only Flink [${onlyF.slice(0, 5).join('; ')}${onlyF.length > 5 ? '; …' : ''}], only tsstream [${onlyM.slice(0, 5).join('; ')}${onlyM.length > 5 ? '; …' : ''}]`);
  }
  return out;
}

function multisetMinus(a: string[], b: string[]): string[] {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = counts.get(x) ?? 0;
    if (n > 0) counts.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

export async function runCase(c: DiffCase, flink: FlinkEndpoint, dataDir: string, o: TsstreamRunOptions = {}): Promise<CaseResult> {
  const dir = path.join(dataDir, c.name.replace(/[^\w.-]+/g, '_'));
  const f = await runOnFlinkCase(c, flink, dir);
  const m = await runOnTsstream(c, dir, o);
  const harnessError = harnessProblem(f, m, c.expectNotFound === true);
  return { case: c, flink: f, tsstream: m, differences: harnessError ? [] : compareOutcomes(f, m, c.changelog === true), ...(harnessError ? { harnessError } : {}) };
}

export const COMPAT_DOC = path.join(path.dirname(new URL(import.meta.url).pathname), '../../docs/flink-compatibility.md');
const DIFF_BEGIN = '<!-- differences:begin -->';
const DIFF_END = '<!-- differences:end -->';

/**
 * The "Known differences" list of docs/flink-compatibility.md from expected-differences.txt: its
 * comment headings (after the file's header) as sub-headings, each case as `name`: reason.
 */
export function differencesMarkdown(file = EXPECTED_FILE): string {
  const out: string[] = [];
  let header = true;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (t === '') {
      header = false;
      continue;
    }
    if (t.startsWith('#')) {
      if (!header) out.push('', `### ${t.replace(/^#+\s*/, '')}`, '');
      continue;
    }
    const i = t.indexOf(':');
    out.push(`- \`${t.slice(0, i).trim()}\`: ${t.slice(i + 1).trim()}`);
  }
  return out.join('\n').trim();
}

/** The page with its generated section replaced by `differencesMarkdown()`. */
export function docWithDifferences(doc: string, list = differencesMarkdown()): string {
  const a = doc.indexOf(DIFF_BEGIN);
  const b = doc.indexOf(DIFF_END);
  if (a < 0 || b < a) throw new Error(`docs/flink-compatibility.md lacks the ${DIFF_BEGIN} … ${DIFF_END} markers`);
  return doc.slice(0, a + DIFF_BEGIN.length) + '\n' + list + '\n' + doc.slice(b);
}
