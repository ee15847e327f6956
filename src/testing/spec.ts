// A test spec (`*.test.yaml`): which job file to run, rows for its sources, what its sinks must
// receive — at the end, or step by step. Loaded with the `yaml` package, keeping the position of
// every node so that each error says `file:line:col`.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { parseDuration } from '../common/options.js';
import { suggestion } from '../common/errors.js';

/** A place in a file. */
export interface Where {
  file: string;
  line: number;
  col: number;
}

export function whereText(w: Where | undefined, cwd = process.cwd()): string {
  if (!w) return '';
  const f = path.isAbsolute(w.file) ? path.relative(cwd, w.file) || w.file : w.file;
  return w.line > 0 ? `${f}:${w.line}:${w.col}` : f;
}

/** A spec (or job) that cannot be read or planned: exit code 2. */
export class SpecError extends Error {
  constructor(
    message: string,
    readonly where?: Where,
    /** Pre-formatted text (e.g. SQL line with a caret) shown instead of `where: message`. */
    readonly formatted?: string,
  ) {
    super(message);
    this.name = 'SpecError';
  }
  format(cwd = process.cwd()): string {
    if (this.formatted) return this.formatted;
    const w = whereText(this.where, cwd);
    return w ? `${w}: ${this.message}` : this.message;
  }
}

/** Rows given inline (a YAML list of objects) or by a file (JSON lines, JSON array, CSV). */
export interface RowsRef {
  inline?: { value: unknown; at: Where }[];
  file?: string;
  at: Where;
  /** Path of the node in its YAML document (for --update of inline rows). */
  yamlPath: (string | number)[];
}

export interface SourceSpec {
  name: string;
  rows?: RowsRef;
  at: Where;
}

export interface SinkSpec {
  name: string;
  expect?: RowsRef;
  order: 'any' | 'exact';
  ignoreColumns: string[];
  at: Where;
}

export interface StepSpec {
  index: number;
  name?: string;
  at: Where;
  feed: { table: string; rows: RowsRef; at: Where }[];
  watermark?: { table: string; to: string; at: Where };
  advanceMs?: number;
  end: boolean;
  expect: { sink: string; rows: RowsRef; at: Where }[];
}

export interface Spec {
  file: string;
  /** Index of the YAML document in the file. */
  doc: number;
  docCount: number;
  name: string;
  job: string;
  jobAt: Where;
  /** SQL run just before the job's first INSERT (tables that exist in production). */
  setup?: string;
  setupAt?: Where;
  set: Record<string, string>;
  processingTime?: string;
  sources: SourceSpec[];
  sinks: SinkSpec[];
  steps?: StepSpec[];
  at: Where;
}

/** Every `*.test.yaml` / `*.test.yml` under the given files and folders, sorted. */
export async function findSpecFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string, explicit: boolean): Promise<void> => {
    let st;
    try {
      st = await fs.stat(p);
    } catch {
      throw new SpecError(`No such file or folder: ${p}`);
    }
    if (st.isDirectory()) {
      const entries = (await fs.readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
      for (const e of entries) {
        if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
        const full = path.join(p, e.name);
        if (e.isDirectory()) await walk(full, false);
        else if (/\.test\.ya?ml$/.test(e.name)) out.push(path.resolve(full));
      }
    } else if (explicit || /\.test\.ya?ml$/.test(p)) out.push(path.resolve(p));
  };
  for (const p of paths) await walk(p, true);
  return [...new Set(out)];
}

const TOP_KEYS = ['name', 'job', 'setup', 'set', 'processing-time', 'sources', 'sinks', 'steps'];
const SOURCE_KEYS = ['rows'];
const SINK_KEYS = ['expect', 'order', 'ignore-columns'];
const STEP_KEYS = ['name', 'feed', 'watermark', 'advance-processing-time', 'end', 'expect'];

/** `key:` with no value. */
function isNullNode(n: Node | null): boolean {
  return n === null || (isScalar(n) && n.value === null);
}

class Reader {
  constructor(
    readonly file: string,
    readonly lc: LineCounter,
  ) {}

  at(node: Node | Pair | null | undefined): Where {
    const range = (node as Node | null | undefined)?.range ?? ((node as Pair | undefined)?.key as Node | undefined)?.range;
    if (!range) return { file: this.file, line: 0, col: 0 };
    const p = this.lc.linePos(range[0]);
    return { file: this.file, line: p.line, col: p.col };
  }

  err(node: Node | Pair | null | undefined, msg: string): SpecError {
    return new SpecError(msg, this.at(node));
  }

  map(node: unknown, what: string, parent?: Node): YAMLMap {
    if (!isMap(node)) throw this.err((node as Node) ?? parent, `${what} must be a mapping (key: value)`);
    return node;
  }

  pairs(m: YAMLMap, what: string, allowed?: string[]): [string, Node | null, Pair][] {
    const out: [string, Node | null, Pair][] = [];
    for (const p of m.items) {
      const k = isScalar(p.key) ? String(p.key.value) : undefined;
      if (k === undefined) throw this.err(p.key as Node, `${what}: keys must be plain names`);
      if (allowed && !allowed.includes(k)) throw this.err(p.key as Node, `${what}: unknown key '${k}'${suggestion(k, allowed)} (allowed: ${allowed.join(', ')})`);
      out.push([k, (p.value as Node | null) ?? null, p]);
    }
    return out;
  }

  scalar(node: Node | null, what: string): string | number | boolean | null {
    if (node === null) return null;
    if (!isScalar(node)) throw this.err(node, `${what} must be a single value`);
    const v = node.value;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    return String(v);
  }

  string(node: Node | null, what: string, pair?: Pair): string {
    const v = this.scalar(node, what);
    if (v === null || v === '') throw this.err(node ?? pair, `${what} must not be empty`);
    return String(v);
  }

  rows(node: Node | null, what: string, yamlPath: (string | number)[], pair: Pair): RowsRef {
    const at = this.at(node ?? pair);
    if (node === null) throw this.err(pair, `${what}: expected a list of rows or a file name`);
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v !== 'string' || !v) throw this.err(node, `${what}: expected a list of rows or a file name, got ${JSON.stringify(v)}`);
      return { file: path.resolve(path.dirname(this.file), v), at, yamlPath };
    }
    if (!isSeq(node)) throw this.err(node, `${what}: expected a list of rows (- {col: value, …}) or a file name`);
    const inline = node.items.map((it, i) => {
      const n = it as Node;
      if (!isMap(n)) throw this.err(n, `${what}[${i}]: a row must be a mapping {column: value, …}`);
      return { value: exactRowValues(n), at: this.at(n) };
    });
    return { inline, at, yamlPath };
  }
}

/** A row mapping as plain values; integers a double would round keep their exact value (bigint). */
function exactRowValues(n: YAMLMap): unknown {
  const o = n.toJSON() as Record<string, unknown>;
  for (const it of n.items as Pair[]) {
    const k = isScalar(it.key) ? String(it.key.value) : undefined;
    const v = it.value;
    if (k === undefined || !isScalar(v) || typeof v.value !== 'number' || Number.isSafeInteger(v.value)) continue;
    const src = (v as { source?: string }).source;
    if (src !== undefined && /^[-+]?\d+$/.test(src)) o[k] = BigInt(src);
  }
  return o;
}

/** Parses every document of a spec file. */
export function parseSpecText(text: string, file: string): Spec[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: true }) as Document.Parsed[] | { empty: true };
  if (!Array.isArray(docs) || docs.length === 0) throw new SpecError('empty spec: expected at least `job:` and `sinks:`', { file, line: 1, col: 1 });
  const r = new Reader(file, lc);
  const specs: Spec[] = [];
  docs.forEach((doc, di) => {
    if (doc.errors.length) {
      const e = doc.errors[0];
      const lp = e.linePos?.[0];
      throw new SpecError(`invalid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, { file, line: lp?.line ?? 0, col: lp?.col ?? 0 });
    }
    const root = r.map(doc.contents, 'the spec');
    const top = new Map(r.pairs(root, 'spec', TOP_KEYS).map(([k, v, p]) => [k, { v, p }]));
    const jobE = top.get('job');
    if (!jobE) throw new SpecError("missing 'job:' (the job's SQL file, relative to the spec)", r.at(root));
    const job = path.resolve(path.dirname(file), r.string(jobE.v, 'job', jobE.p));
    const setupE = top.get('setup');
    const setup = setupE ? path.resolve(path.dirname(file), r.string(setupE.v, 'setup', setupE.p)) : undefined;
    const set: Record<string, string> = {};
    const setE = top.get('set');
    if (setE?.v) for (const [k, v] of r.pairs(r.map(setE.v, 'set'), 'set')) set[k] = String(r.scalar(v, `set.${k}`) ?? '');
    const pt = top.get('processing-time');
    const sources: SourceSpec[] = [];
    const srcE = top.get('sources');
    if (srcE?.v) {
      for (const [name, v0, p] of r.pairs(r.map(srcE.v, 'sources'), 'sources')) {
        const v = isNullNode(v0) ? null : v0;
        if (v === null || isSeq(v) || isScalar(v)) {
          sources.push({ name, rows: v === null ? undefined : r.rows(v, `sources.${name}`, ['sources', name], p), at: r.at(p.key as Node) });
          continue;
        }
        const m = new Map(r.pairs(r.map(v, `sources.${name}`), `sources.${name}`, SOURCE_KEYS).map(([k, vv, pp]) => [k, { v: vv, p: pp }]));
        const rows = m.get('rows');
        sources.push({ name, rows: rows ? r.rows(rows.v, `sources.${name}.rows`, ['sources', name, 'rows'], rows.p) : undefined, at: r.at(p.key as Node) });
      }
    }
    const sinks: SinkSpec[] = [];
    const sinkE = top.get('sinks');
    if (sinkE?.v) {
      for (const [name, v0, p] of r.pairs(r.map(sinkE.v, 'sinks'), 'sinks')) {
        const v = isNullNode(v0) ? null : v0;
        if (v === null || isSeq(v) || isScalar(v)) {
          sinks.push({ name, expect: v === null ? undefined : r.rows(v, `sinks.${name}`, ['sinks', name], p), order: 'any', ignoreColumns: [], at: r.at(p.key as Node) });
          continue;
        }
        const m = new Map(r.pairs(r.map(v, `sinks.${name}`), `sinks.${name}`, SINK_KEYS).map(([k, vv, pp]) => [k, { v: vv, p: pp }]));
        const ex = m.get('expect');
        const ord = m.get('order');
        let order: 'any' | 'exact' = 'any';
        if (ord) {
          const o = r.scalar(ord.v, `sinks.${name}.order`);
          if (o !== 'any' && o !== 'exact') throw r.err(ord.v ?? ord.p, `sinks.${name}.order: expected 'any' or 'exact', got ${JSON.stringify(o)}`);
          order = o;
        }
        const ig = m.get('ignore-columns');
        let ignoreColumns: string[] = [];
        if (ig?.v) {
          if (!isSeq(ig.v)) throw r.err(ig.v, `sinks.${name}.ignore-columns: expected a list of column names`);
          ignoreColumns = ig.v.items.map((x, i) => r.string(x as Node, `sinks.${name}.ignore-columns[${i}]`));
        }
        sinks.push({ name, expect: ex ? r.rows(ex.v, `sinks.${name}.expect`, ['sinks', name, 'expect'], ex.p) : undefined, order, ignoreColumns, at: r.at(p.key as Node) });
      }
    }
    let steps: StepSpec[] | undefined;
    const stepsE = top.get('steps');
    if (stepsE?.v) {
      if (!isSeq(stepsE.v)) throw r.err(stepsE.v, 'steps: expected a list of steps (- feed: …, expect: …)');
      steps = stepsE.v.items.map((it, i) => {
        const what = `steps[${i}]`;
        const m = r.map(it, what, stepsE.v!);
        const step: StepSpec = { index: i, at: r.at(m), feed: [], end: false, expect: [] };
        for (const [k, v, p] of r.pairs(m, what, STEP_KEYS)) {
          if (k === 'name') step.name = String(r.scalar(v, `${what}.name`) ?? '');
          else if (k === 'feed') {
            for (const [t, rv, rp] of r.pairs(r.map(v, `${what}.feed`, m), `${what}.feed`)) step.feed.push({ table: t, rows: r.rows(rv, `${what}.feed.${t}`, ['steps', i, 'feed', t], rp), at: r.at(rp.key as Node) });
          } else if (k === 'expect') {
            for (const [t, rv, rp] of r.pairs(r.map(v, `${what}.expect`, m), `${what}.expect`)) step.expect.push({ sink: t, rows: r.rows(rv, `${what}.expect.${t}`, ['steps', i, 'expect', t], rp), at: r.at(rp.key as Node) });
          } else if (k === 'watermark') {
            const wm = new Map(r.pairs(r.map(v, `${what}.watermark`, m), `${what}.watermark`, ['table', 'to']).map(([kk, vv, pp]) => [kk, { v: vv, p: pp }]));
            const table = wm.get('table');
            const to = wm.get('to');
            if (!table || !to) throw r.err(v, `${what}.watermark: expected {table: <source table>, to: "<timestamp>"}`);
            step.watermark = { table: r.string(table.v, `${what}.watermark.table`, table.p), to: r.string(to.v, `${what}.watermark.to`, to.p), at: r.at(v) };
          } else if (k === 'advance-processing-time') {
            const d = r.scalar(v, `${what}.advance-processing-time`);
            const ms = typeof d === 'number' ? d : typeof d === 'string' ? parseDuration(d) : undefined;
            if (ms === undefined || !(ms >= 0)) throw r.err(v ?? p, `${what}.advance-processing-time: expected a duration such as 10s, 500ms, 1 min`);
            step.advanceMs = ms;
          } else if (k === 'end') {
            const e = r.scalar(v, `${what}.end`);
            if (typeof e !== 'boolean') throw r.err(v ?? p, `${what}.end: expected true or false`);
            step.end = e;
          }
        }
        if (!step.feed.length && !step.watermark && step.advanceMs === undefined && !step.end && !step.expect.length) {
          throw r.err(m, `${what}: a step needs feed, watermark, advance-processing-time, end or expect`);
        }
        return step;
      });
    }
    if (!sinks.length && !steps?.some((st) => st.expect.length)) {
      throw new SpecError("missing 'sinks:': name at least one table the job writes, with its expected rows (or give steps with expect)", r.at(root));
    }
    const nameE = top.get('name');
    const base = path.basename(file).replace(/\.test\.ya?ml$/, '');
    specs.push({
      file,
      doc: di,
      docCount: docs.length,
      name: nameE ? String(r.scalar(nameE.v, 'name') ?? base) : docs.length > 1 ? `${base} #${di + 1}` : base,
      job,
      jobAt: r.at(jobE.v ?? jobE.p),
      setup,
      setupAt: setupE ? r.at(setupE.v ?? setupE.p) : undefined,
      set,
      processingTime: pt ? String(r.scalar(pt.v, 'processing-time')) : undefined,
      sources,
      sinks,
      steps,
      at: r.at(root),
    });
  });
  return specs;
}

export async function loadSpecFile(file: string): Promise<Spec[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new SpecError(`cannot read the spec: ${(e as Error).message}`, { file, line: 0, col: 0 });
  }
  return parseSpecText(text, file);
}
