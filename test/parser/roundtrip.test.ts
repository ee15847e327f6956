import { describe, expect, it } from 'vitest';
import { parseStatement, parseStatements, printStatement, splitStatements } from '../../src/parser/index.js';
import { fixture, stripPositions } from './helpers.js';

function roundTrip(sql: string): void {
  const ast = parseStatement(sql);
  const printed = printStatement(ast);
  let again;
  try {
    again = parseStatement(printed);
  } catch (e) {
    throw new Error(`printed SQL does not parse:\n${printed}\n${(e as Error).message}`);
  }
  expect(stripPositions(again), printed).toEqual(stripPositions(ast));
  // printing is stable: the printed form prints to itself
  expect(printStatement(again)).toBe(printed);
}

describe('every statement of the scenarios parses and round-trips', () => {
  const sql = fixture('scenarios.sql');
  const statements = splitStatements(sql);

  it('the scenario file holds all the statements', () => {
    expect(statements.length).toBe(parseStatements(sql).length);
    expect(statements.length).toBeGreaterThanOrEqual(20);
  });

  for (const s of statements) {
    it(`line ${s.line}: ${s.text.split('\n')[0].slice(0, 70)}`, () => roundTrip(s.text));
  }
});

describe('the corpus parses and round-trips, statement by statement', () => {
  const sql = fixture('corpus.sql');
  const statements = splitStatements(sql);

  it('holds at least 150 statements, and the whole file parses at once', () => {
    expect(statements.length).toBeGreaterThanOrEqual(150);
    expect(parseStatements(sql).length).toBe(statements.length);
  });

  for (const s of statements) {
    it(`line ${s.line}: ${s.text.replace(/\s+/g, ' ').slice(0, 80)}`, () => roundTrip(s.text));
  }
});

describe('positions are relative to the whole input', () => {
  it('statement spans and positions point into the file', () => {
    const sql = fixture('corpus.sql');
    const parsed = parseStatements(sql);
    const split = splitStatements(sql);
    parsed.forEach((s, i) => {
      expect(s.span.start).toBe(split[i].start);
      expect(s.span.end).toBe(split[i].end);
      expect(s.pos.line).toBe(split[i].line);
      expect(s.pos.column).toBe(split[i].column);
    });
  });
});
