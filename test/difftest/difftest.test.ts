// The differential suite's fast subset (cases marked `-- vitest`) against Apache Flink 1.20, when
// the flink test peer runs; `npm run difftest` runs every case. A case listed in
// expected-differences.txt must still differ (the test fails once it agrees: take it off the
// list); any other case must agree.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPeer, peer } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { COMPAT_DOC, compareOutcomes, docWithDifferences, harnessProblem, loadCases, loadExpected, parseCaseFile, runCase, type ErrorKind, type Outcome } from './harness.js';

const cases = loadCases();
const expected = loadExpected();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-difftest-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the differential corpus', () => {
  it('parses, and every expected difference names a case', () => {
    expect(cases.length).toBeGreaterThan(100);
    const names = new Set(cases.map((c) => c.name));
    expect([...expected.keys()].filter((n) => !names.has(n))).toEqual([]);
    for (const [name, reason] of expected) expect(reason, name).not.toBe('');
  });

  it('docs/flink-compatibility.md lists every expected difference (npx tsx test/difftest/write-docs.ts)', () => {
    const doc = readFileSync(COMPAT_DOC, 'utf8');
    expect(doc).toBe(docWithDifferences(doc));
    for (const name of expected.keys()) expect(doc).toContain(`\`${name}\``);
  });

  it('reads tables, rows, modes and statements from a case file', () => {
    const parsed = parseCaseFile(
      'x.sql',
      `-- table: t (a INT)
-- row: {"a": 1}
-- case: one
-- mode: streaming
-- vitest
SELECT 'a;b' AS s; -- a comment; with a semicolon
SELECT a FROM t;
-- case: two
-- expect: not-found
-- table: u (b STRING)
-- row: {"b": "x"}
SELECT * FROM u`,
    );
    expect(parsed.map((c) => [c.name, c.mode, c.vitest, c.tables.map((t) => `${t.name}:${t.rows.length}`), c.statements, c.expectNotFound === true])).toEqual([
      ['one', 'streaming', true, ['t:1'], ["SELECT 'a;b' AS s", 'SELECT a FROM t'], false],
      ['two', 'batch', false, ['t:1', 'u:1'], ['SELECT * FROM u'], true],
    ]);
  });

  it('counts both engines failing as agreement only for the same kind of reason', () => {
    const err = (errorKind: ErrorKind, statement = 0): Outcome => ({ kind: 'error', statement, message: 'x', errorKind });
    expect(compareOutcomes(err('user'), err('user'))).toEqual([]);
    expect(compareOutcomes(err('user', 0), err('user', 1))).toHaveLength(1);
    expect(compareOutcomes(err('user'), err('not-found'))).toHaveLength(1);
    expect(compareOutcomes(err('user'), err('crash'))).toHaveLength(1);
    expect(harnessProblem(err('not-found'), err('not-found'))).toMatch(/unknown name/);
    expect(harnessProblem(err('not-found'), err('not-found'), true)).toBeUndefined();
    expect(harnessProblem(err('harness', -1), err('harness', -1))).toMatch(/input tables/);
    expect(harnessProblem(err('harness'), { kind: 'result', columns: [], rows: [], updating: false })).toMatch(/^Flink/);
    expect(harnessProblem(err('user'), err('user'))).toBeUndefined();
  });
});

describe.skipIf(!hasPeer('flink'))('tsstream against Flink 1.20 (fast subset)', () => {
  for (const c of cases.filter((x) => x.vitest)) {
    it(c.name, async () => {
      const r = await runCase(c, peer<FlinkEndpoint>('flink'), dataDir);
      expect(r.harnessError, `'${c.name}' (${c.file}) was not compared`).toBeUndefined();
      const known = expected.get(c.name);
      if (known !== undefined) {
        expect(r.differences, `'${c.name}' agrees with Flink now: take it off test/difftest/expected-differences.txt`).not.toEqual([]);
      } else {
        expect(r.differences, `'${c.name}' (${c.file}) differs from Flink`).toEqual([]);
      }
    }, 180_000);
  }
});
