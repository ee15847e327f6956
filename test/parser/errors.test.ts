import { describe, expect, it } from 'vitest';
import { SqlSyntaxError, UnsupportedError } from '../../src/common/errors.js';
import { formatParseError, parseStatements } from '../../src/parser/index.js';
import { MALFORMED, UNSUPPORTED } from './malformed.js';

function errorOf(sql: string): unknown {
  try {
    parseStatements(sql);
  } catch (e) {
    return e;
  }
  throw new Error(`no error for: ${sql}`);
}

describe('malformed SQL gives a SqlSyntaxError at the offending token', () => {
  it('the list has at least 40 inputs', () => {
    expect(MALFORMED.length).toBeGreaterThanOrEqual(40);
  });

  for (const [sql, line, column, message] of MALFORMED) {
    it(`${line}:${column} ${message} — ${sql.replace(/\n/g, '⏎').slice(0, 60)}`, () => {
      const e = errorOf(sql);
      expect(e).toBeInstanceOf(SqlSyntaxError);
      const err = e as SqlSyntaxError;
      expect({ line: err.position.line, column: err.position.column }).toEqual({ line, column });
      expect(err.detail).toContain(message);
      // the source line shown is the line of the error in the whole input
      expect(err.sourceLine).toBe(sql.split('\n')[line - 1]);
    });
  }
});

describe('features not supported yet give an UnsupportedError, not a syntax error', () => {
  for (const [sql, line, column, message] of UNSUPPORTED) {
    it(message, () => {
      const e = errorOf(sql);
      expect(e).toBeInstanceOf(UnsupportedError);
      const err = e as UnsupportedError;
      expect(err.position).toMatchObject({ line, column });
      expect(err.message).toContain(message);
    });
  }
});

describe('error format', () => {
  it('names the file, line and column, shows the line and a caret under the token', () => {
    const sql = "SELECT a\nFROM t\nWHERE a = = 1;";
    const text = formatParseError(errorOf(sql), sql, 'job.sql');
    expect(text).toBe("job.sql:3:11: expected an expression, found '='\nWHERE a = = 1;\n          ^");
  });

  it('underlines a whole word', () => {
    const sql = 'SELECT * FORM t';
    expect(formatParseError(errorOf(sql), sql)).toBe("1:10: expected ',', FROM or the end of the query, found 'FORM' — did you mean 'FROM'?\nSELECT * FORM t\n         ^^^^");
  });

  it('reports a syntax error before a lexical error further down the file', () => {
    const e = errorOf("SELECT FROM t;\nSELECT 'unterminated") as SqlSyntaxError;
    expect(e.position).toMatchObject({ line: 1, column: 8 });
  });

  it('says expected …, found …', () => {
    const e = errorOf('CREATE TABLE t (a INT b STRING)') as SqlSyntaxError;
    expect(e.detail).toBe("expected ')' or ',', found 'b'");
  });

  it('formats unsupported features like syntax errors', () => {
    const sql = 'SELECT *\nFROM t TABLESAMPLE BERNOULLI(10)';
    expect(formatParseError(errorOf(sql), sql, 'f.sql')).toBe('f.sql:2:8: TABLESAMPLE is not supported yet\nFROM t TABLESAMPLE BERNOULLI(10)\n       ^^^^^^^^^^^');
  });
});
