// `tsstream validate` as a user runs it: the real CLI as a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStatements } from '../../src/parser/index.js';
import { fixture, stripPositions } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tsstream-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tsstream(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/tsstream.js', ...args], { encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('tsstream validate', () => {
  it('prints every statement normalised and exits 0', () => {
    const f = file('job.sql', "use catalog default_catalog;\nset 'a'='b';\nselect a,b from t where a=1;\n");
    const r = tsstream(['validate', f]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("USE CATALOG default_catalog;\n\nSET 'a' = 'b';\n\nSELECT a, b\nFROM t\nWHERE a = 1;\n");
  });

  it('its output is valid SQL that means the same (the scenarios)', () => {
    const sql = fixture('scenarios.sql');
    const r = tsstream(['validate', file('scenarios.sql', sql)]);
    expect(r.code).toBe(0);
    expect(stripPositions(parseStatements(r.stdout))).toEqual(stripPositions(parseStatements(sql)));
  });

  it('reads stdin with -', () => {
    const r = tsstream(['validate', '-'], 'SHOW TABLES;');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('SHOW TABLES;\n');
  });

  it('on the first error prints FILE:LINE:COLUMN, the source line and a caret, and exits 1', () => {
    const f = file('bad.sql', "SET 'a' = 'b';\nCREATE TABLE t (\n  a INT,\n  b STRNG\n);\nSELECT 'never reached;\n");
    const r = tsstream(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${f}:4:5: unknown data type 'STRNG' — did you mean 'STRING'?\n  b STRNG\n    ^^^^^\n`);
  });

  it('stops at the first file with an error', () => {
    const good = file('good.sql', 'SELECT 1;');
    const bad = file('bad2.sql', 'SELECT FROM;');
    const r = tsstream(['validate', good, bad, good]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('SELECT 1;\n');
    expect(r.stderr).toMatch(/bad2\.sql:1:8: expected an expression, found 'FROM'\nSELECT FROM;\n {7}\^{4}\n$/);
  });

  it('reports a malformed MATCH_RECOGNIZE with its position', () => {
    const r = tsstream(['validate', '-'], 'SELECT *\nFROM t MATCH_RECOGNIZE (x);');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("<stdin>:2:25: expected 'PATTERN', found 'x'");
  });

  it('says which file it cannot read', () => {
    const r = tsstream(['validate', path.join(dir, 'missing.sql')]);
    expect(r.code).toBe(2); // a file error, as `tsstream --help` documents
    expect(r.stderr).toMatch(/cannot read .*missing\.sql/i);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
