import { describe, expect, it } from 'vitest';
import { isSqlComplete, splitStatements } from '../../src/parser/index.js';

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

describe('splitting a file into statements', () => {
  it('splits at ; and drops empty statements', () => {
    expect(texts('SELECT 1; SELECT 2;;\n; SELECT 3')).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3']);
  });

  it('keeps ; inside strings, quoted identifiers and comments', () => {
    expect(texts("SELECT ';' FROM `a;b`; -- x; y\nSELECT /* ; */ 2;")).toEqual(["SELECT ';' FROM `a;b`", 'SELECT /* ; */ 2']);
  });

  it("handles '' and `` escapes", () => {
    expect(texts("SET 'k' = 'it''s; fine'; SELECT `a``;b`;")).toEqual(["SET 'k' = 'it''s; fine'", 'SELECT `a``;b`']);
  });

  it('keeps EXECUTE STATEMENT SET BEGIN … END; together, CASE … END inside it too', () => {
    const sql = `SET 'a' = 'b';
EXECUTE STATEMENT SET BEGIN
  INSERT INTO s1 SELECT CASE WHEN a THEN 1 END FROM t;
  INSERT INTO s2 SELECT * FROM t;
END;
SELECT 1;`;
    const parts = texts(sql);
    expect(parts).toHaveLength(3);
    expect(parts[1]).toMatch(/^EXECUTE STATEMENT SET BEGIN[\s\S]*END$/);
  });

  it('splits the older BEGIN STATEMENT SET; … END; form into statements', () => {
    expect(texts('BEGIN STATEMENT SET; INSERT INTO s SELECT 1; END;')).toEqual(['BEGIN STATEMENT SET', 'INSERT INTO s SELECT 1', 'END']);
  });

  it('gives each statement its offsets, line and column in the file', () => {
    const sql = '-- header\n\n  SELECT 1;\nSELECT\n 2 ;';
    const [a, b] = splitStatements(sql);
    expect(a).toEqual({ text: 'SELECT 1', start: 13, end: 21, line: 3, column: 3 });
    expect(b).toEqual({ text: 'SELECT\n 2', start: 23, end: 32, line: 4, column: 1 });
    expect(sql.slice(b.start, b.end)).toBe(b.text);
  });

  it('counts lines after CRLF and multi-line strings', () => {
    const sql = "SELECT 'a\r\nb';\r\nSELECT 2;";
    expect(splitStatements(sql)[1]).toMatchObject({ line: 3, column: 1 });
  });

  it('keeps a statement that starts with a hint-less comment out of the text', () => {
    expect(texts('/* c */ SELECT 1;')).toEqual(['SELECT 1']);
  });

  it('never throws on unterminated input', () => {
    expect(texts("SELECT 'abc")).toEqual(["SELECT 'abc"]);
    expect(texts('SELECT /* abc')).toEqual(['SELECT']);
  });
});

describe('whether a shell buffer is a complete statement', () => {
  it('is complete after ;', () => {
    expect(isSqlComplete('SELECT 1;')).toBe(true);
    expect(isSqlComplete('SELECT 1;  -- done\n')).toBe(true);
    expect(isSqlComplete('SELECT 1; SELECT 2;')).toBe(true);
  });

  it('is not complete without ; or inside a string, comment, or statement set', () => {
    expect(isSqlComplete('')).toBe(false);
    expect(isSqlComplete('SELECT 1')).toBe(false);
    expect(isSqlComplete("SELECT 'a;")).toBe(false);
    expect(isSqlComplete('SELECT 1 /* ; */')).toBe(false);
    expect(isSqlComplete('SELECT 1; SELECT')).toBe(false);
    expect(isSqlComplete('EXECUTE STATEMENT SET BEGIN\nINSERT INTO s SELECT 1;')).toBe(false);
    expect(isSqlComplete('EXECUTE STATEMENT SET BEGIN\nINSERT INTO s SELECT 1;\nEND;')).toBe(true);
  });
});
