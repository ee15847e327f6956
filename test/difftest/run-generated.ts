// Runs one seed of the random generator on Flink and on tsstream. Expressions go many per query;
// a batch both engines run is compared column by column (type and every row's value), so each
// difference names its expression. A batch that one or both engines reject is split in halves until
// the expression at fault is found: one both reject for the same kind of reason (a user error) is
// counted as agreeing; a harness error (the Flink peer, a timeout) or an unknown name on both sides
// (a generator mistake) is counted and printed as a harness error.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FlinkEndpoint } from '../peers/flink.js';
import { compareOutcomes, harnessProblem, runOnFlinkCase, runOnTsstream, type Outcome } from './harness.js';
import { expressionCase, generateExpressions, generateRelational, GEN_ZONES, INTRINSIC_CALL as INTRINSIC, Rng } from './generator.js';

export interface SeedResult {
  seed: number;
  expressions: number;
  bothRejected: number;
  queries: number;
  differences: number;
  /** Expressions or queries that could not be compared (harness.ts harnessProblem). */
  harnessErrors: number;
  /** Expressions or queries whose DOUBLE/FLOAT values agree only to within INTRINSIC_TOLERANCE. */
  nearlyEqual: number;
}

/**
 * The JVM computes LN, LOG10, EXP, POWER, SIN, COS, TAN … with HotSpot's intrinsics, which differ
 * from fdlibm (Java's StrictMath, and JavaScript's Math) in the last bit for some arguments; that
 * is a listed intended difference (docs/flink-compatibility.md). Values of expressions that use one
 * of them are compared to within a relative 1e-12 (a few ulps, grown through what follows).
 */
const INTRINSIC_TOLERANCE = 1e-12;

function nearlyEqualText(a: string, b: string): boolean {
  if (a === b) return true;
  if (!/^-?\d/.test(a) || !/^-?\d/.test(b)) return false;
  const x = Number(a);
  const y = Number(b);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) <= INTRINSIC_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
}

/** Both results, rows sorted, equal cell by cell to within the tolerance. */
function nearlyEqualOutcomes(f: Outcome, m: Outcome): boolean {
  if (f.kind !== 'result' || m.kind !== 'result' || f.rows.length !== m.rows.length) return false;
  if (f.columns.map((c) => c.type).join() !== m.columns.map((c) => c.type).join()) return false;
  const key = (r: string[]) => r.map((c) => (/^-?\d.*[.E]/.test(c) ? Number(c).toPrecision(10) : c)).join('|');
  const fr = [...f.rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const mr = [...m.rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return fr.every((r, q) => r.every((c, k) => nearlyEqualText(c, mr[q][k])));
}

/** `{b=2, a=1}` as `{a=1, b=2}` (the generator's maps have simple keys and values). */
function sortedMapText(s: string): string {
  return s.startsWith('{') && s.endsWith('}') ? `{${s.slice(1, -1).split(', ').sort().join(', ')}}` : s;
}

const BATCH = 50;

/** `parallelism` runs tsstream with 'parallelism.default' = N (as `npm run difftest -- --parallelism=N`). */
export async function runGenerated(seed: number, size: number, flink: FlinkEndpoint, verbose = false, parallelism?: number): Promise<SeedResult> {
  const tsOptions = parallelism ? { parallelism } : {};
  const t0 = Date.now();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-difftest-gen-'));
  const res: SeedResult = { seed, expressions: 0, bothRejected: 0, queries: 0, differences: 0, harnessErrors: 0, nearlyEqual: 0 };
  let n = 0;
  // Each batch runs in a session time zone of its own (picked by the seed).
  const zones = new Rng(seed ^ 0x2545f491);
  let zone = 'UTC';
  const caseOf = (exprs: string[]) => {
    const c = expressionCase(seed, n++, exprs, zone);
    return { c, dir: path.join(dataDir, c.name) };
  };
  const report = (what: string, lines: string[]) => {
    res.differences++;
    console.log(`DIFFER (seed ${seed}${zone === 'UTC' ? '' : `, ${zone}`})  ${what}`);
    for (const l of lines) console.log(`    ${l}`);
  };
  /** Reports the outcomes of one expression or query: a harness error, or the differences (none: agree). Whether they agree. */
  const judge = (what: string, f: Outcome, m: Outcome): boolean => {
    const h = harnessProblem(f, m);
    if (h !== undefined) {
      res.harnessErrors++;
      console.log(`HARNESS ERROR (seed ${seed}${zone === 'UTC' ? '' : `, ${zone}`})  ${what}\n    ${h}`);
      return false;
    }
    const d = compareOutcomes(f, m);
    if (d.length) report(what, d);
    return d.length === 0;
  };
  // tsstream runs in process and is cheap; Flink costs ~1 s a query. So tsstream finds the
  // expressions it rejects (halving a batch), each of them goes to Flink alone (Flink must reject it
  // too), and the rest go to Flink as one batch.
  const tsSplit = async (exprs: string[], out: { ok: string[]; rejected: string[] }): Promise<void> => {
    const { c, dir } = caseOf(exprs);
    const m = await runOnTsstream(c, dir, tsOptions);
    if (m.kind === 'result') out.ok.push(...exprs);
    else if (exprs.length === 1) out.rejected.push(exprs[0]);
    else {
      const h = Math.ceil(exprs.length / 2);
      await tsSplit(exprs.slice(0, h), out);
      await tsSplit(exprs.slice(h), out);
    }
  };
  const compareColumns = (exprs: string[], f: Outcome, m: Outcome) => {
    if (f.kind !== 'result' || m.kind !== 'result') throw new Error('unreachable');
    for (let k = 0; k < exprs.length; k++) {
      res.expressions++;
      const c = k + 1;
      const lines: string[] = [];
      if (f.columns[c].type !== m.columns[c].type) lines.push(`type: Flink ${f.columns[c].type}, tsstream ${m.columns[c].type}`);
      // The order of a MAP's entries is not defined (Flink prints a hash order): compared sorted.
      const cell = f.columns[c].type.startsWith('MAP<') ? sortedMapText : (x: string) => x;
      let rows = f.rows.map((r, q) => [r[0], r[c], m.rows[q][c]]).filter(([, a, b]) => cell(a) !== cell(b));
      if (rows.length && !lines.length && INTRINSIC.test(exprs[k]) && rows.every(([, a, b]) => nearlyEqualText(a, b))) {
        res.nearlyEqual++;
        rows = [];
      }
      if (rows.length) lines.push(`values (id: Flink | tsstream): ${rows.slice(0, 4).map(([id, a, b]) => `${id}: ${a} | ${b}`).join('; ')}${rows.length > 4 ? '; …' : ''}`);
      if (lines.length) report(exprs[k], lines);
      else if (verbose) console.log(`agree  ${exprs[k]}`);
    }
  };
  /** Expressions tsstream runs: Flink runs them as a batch; halves when Flink rejects it. */
  const flinkCheck = async (exprs: string[]): Promise<void> => {
    if (exprs.length === 0) return;
    const { c, dir } = caseOf(exprs);
    res.queries++;
    const f = await runOnFlinkCase(c, flink, dir);
    if (f.kind === 'result') {
      const m = await runOnTsstream(c, dir, tsOptions);
      if (m.kind === 'result' && f.rows.length === m.rows.length) return compareColumns(exprs, f, m);
      if (exprs.length === 1) {
        res.expressions++;
        judge(exprs[0], f, m);
        return;
      }
    } else if (exprs.length === 1) {
      res.expressions++;
      const m = await runOnTsstream(c, dir, tsOptions);
      judge(exprs[0], f, m);
      return;
    }
    const h = Math.ceil(exprs.length / 2);
    await flinkCheck(exprs.slice(0, h));
    await flinkCheck(exprs.slice(h));
  };
  const check = async (exprs: string[]): Promise<void> => {
    const split = { ok: [] as string[], rejected: [] as string[] };
    await tsSplit(exprs, split);
    await flinkCheck(split.ok);
    for (const e of split.rejected) {
      const { c, dir } = caseOf([e]);
      res.queries++;
      const f = await runOnFlinkCase(c, flink, dir);
      res.expressions++;
      if (judge(e, f, await runOnTsstream(c, dir, tsOptions))) {
        res.bothRejected++;
        if (verbose) console.log(`both reject  ${e}`);
      }
    }
  };
  try {
    const exprs = generateExpressions(seed, size);
    for (let k = 0; k < exprs.length; k += BATCH) {
      zone = zones.pick(GEN_ZONES);
      await check(exprs.slice(k, k + BATCH));
    }
    zone = 'UTC';
    const rel = generateRelational(seed, Math.max(5, Math.round(size / 50)));
    let relAgree = 0;
    for (const c of rel) {
      res.queries++;
      const dir = path.join(dataDir, c.name);
      const f = await runOnFlinkCase(c, flink, dir);
      const m = await runOnTsstream(c, dir, tsOptions);
      const what = `${c.name} [${c.mode}]: ${c.statements[c.statements.length - 1]}`;
      let agrees: boolean;
      if (INTRINSIC.test(c.statements.join('\n')) && compareOutcomes(f, m).length && nearlyEqualOutcomes(f, m)) {
        res.nearlyEqual++;
        agrees = true;
      } else agrees = judge(what, f, m);
      if (agrees) relAgree++;
      if (verbose && agrees) console.log(`agree  ${c.name}${f.kind === 'error' ? ' (both reject)' : ''}`);
    }
    console.log(
      `seed ${seed}${parallelism ? ` (parallelism ${parallelism})` : ''}: ${res.expressions} expressions (${res.bothRejected} rejected by both) and ${rel.length} aggregation/window/join queries (${relAgree} agree) in ${res.queries} Flink queries, ${res.differences} differences, ${res.harnessErrors} harness errors, ${res.nearlyEqual} equal only to within the JVM math intrinsics' last bits, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return res;
}
