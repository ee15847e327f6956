// Garbage in never crashes with anything but a SqlSyntaxError or UnsupportedError: truncations
// and token-level mutations of every corpus statement.
import { describe, expect, it } from 'vitest';
import { SqlSyntaxError, UnsupportedError } from '../../src/common/errors.js';
import { parseStatements, printStatement, splitStatements, tokenize } from '../../src/parser/index.js';
import { fixture } from './helpers.js';

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = ['(', ')', ',', ';', "'", '`', '/*+', '*/', '--', '.', '[', ']', '=>', 'SELECT', 'FROM', 'WHERE', 'AND', 'NOT', 'NULL', 'TABLE', 'INTERVAL', 'END', 'BEGIN', 'AS', 'CAST(', 'OVER', '*', '-', '+', '<', '>', '1', "'x'", 'x', 'MATCH_RECOGNIZE', 'ROW<', 'ARRAY', 'MAP[', '"', '#', '\n'];

function check(sql: string): 'ok' | 'error' {
  try {
    const stmts = parseStatements(sql);
    // whatever parses must also print and re-parse
    for (const s of stmts) parseStatements(printStatement(s));
    return 'ok';
  } catch (e) {
    if (e instanceof SqlSyntaxError || e instanceof UnsupportedError) {
      if (e instanceof SqlSyntaxError) {
        expect(e.position.line).toBeGreaterThanOrEqual(1);
        expect(e.position.column).toBeGreaterThanOrEqual(1);
        expect(e.position.offset).toBeLessThanOrEqual(sql.length);
      }
      return 'error';
    }
    throw new Error(`unexpected ${(e as Error)?.name}: ${(e as Error)?.message}\ninput: ${JSON.stringify(sql)}\n${(e as Error)?.stack}`);
  }
}

const statements = [...splitStatements(fixture('corpus.sql')), ...splitStatements(fixture('scenarios.sql'))].map((s) => s.text);

describe('fuzzing the parser with broken statements', () => {
  it('every truncation of every statement fails cleanly or parses', () => {
    let errors = 0;
    for (const s of statements) {
      const cuts = new Set<number>();
      for (const t of tokenize(s)) {
        cuts.add(t.start);
        cuts.add(t.end);
        cuts.add(Math.max(0, t.end - 1));
      }
      for (const c of cuts) if (check(s.slice(0, c)) === 'error') errors++;
    }
    expect(errors).toBeGreaterThan(1000);
  });

  it('token deletions, duplications, swaps and insertions fail cleanly or parse', () => {
    const rand = rng(20251229);
    let n = 0;
    for (const s of statements) {
      const toks = tokenize(s).filter((t) => t.type !== 'eof');
      for (let round = 0; round < 25; round++) {
        const k = Math.floor(rand() * toks.length);
        const t = toks[k];
        let mutated: string;
        switch (round % 5) {
          case 0: // delete a token
            mutated = s.slice(0, t.start) + s.slice(t.end);
            break;
          case 1: // duplicate a token
            mutated = s.slice(0, t.end) + ' ' + s.slice(t.start);
            break;
          case 2: {
            // swap with the next token
            const u = toks[k + 1];
            mutated = u ? s.slice(0, t.start) + s.slice(u.start, u.end) + s.slice(t.end, u.start) + s.slice(t.start, t.end) + s.slice(u.end) : s.slice(0, t.start);
            break;
          }
          case 3: // insert a fragment
            mutated = s.slice(0, t.start) + FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)] + ' ' + s.slice(t.start);
            break;
          default: {
            // replace a character
            const at = Math.floor(rand() * s.length);
            mutated = s.slice(0, at) + FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)] + s.slice(at + 1);
          }
        }
        check(mutated);
        n++;
      }
    }
    expect(n).toBeGreaterThan(4000);
  });

  it('absurd nesting is a syntax error, not a stack overflow', () => {
    for (const sql of [
      'SELECT ' + '('.repeat(20000) + '1' + ')'.repeat(20000),
      'SELECT ' + 'NOT '.repeat(20000) + 'TRUE',
      'SELECT * FROM ' + '('.repeat(20000) + 't',
      'SELECT CAST(a AS ' + 'ARRAY<'.repeat(20000) + 'INT',
      'SELECT ' + '(SELECT '.repeat(5000) + '1',
    ]) {
      expect(check(sql)).toBe('error');
    }
    // long flat chains are fine
    expect(check('SELECT ' + Array(5000).fill('a').join(' + '))).toBe('ok');
  });

  it('random token soup fails cleanly', () => {
    const rand = rng(7);
    for (let i = 0; i < 3000; i++) {
      const len = 1 + Math.floor(rand() * 12);
      const parts: string[] = [];
      for (let j = 0; j < len; j++) parts.push(FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)]);
      check(parts.join(' '));
    }
  });
});
