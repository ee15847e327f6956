// Splits SQL text into statements the way Flink's sql-client does: `;` ends a statement except
// inside strings, back-quoted identifiers, comments and `EXECUTE STATEMENT SET BEGIN … END;`.
// It never throws, so the shell can ask whether a buffer is complete while the user types.

export interface StatementText {
  /** The statement without its `;`, leading comments and surrounding whitespace. */
  text: string;
  /** Offsets [start, end) of `text` in the input. */
  start: number;
  end: number;
  /** 1-based line and column of `start`. */
  line: number;
  column: number;
}

interface ScanResult {
  statements: StatementText[];
  /** The input ends inside a string, quoted identifier, comment or BEGIN … END block. */
  open: boolean;
  /** Something other than whitespace and comments follows the last `;`. */
  trailing: boolean;
}

function scan(sql: string): ScanResult {
  const statements: StatementText[] = [];
  const n = sql.length;
  let line = 1;
  let lineStart = 0;
  let stmtStart = -1; // offset of the first significant char of the current statement
  let stmtLine = 1;
  let stmtCol = 1;
  let lastEnd = -1; // end offset of the last significant token of the current statement
  let words: string[] = []; // upper-cased words of the current statement (the first few)
  let inBlock = false; // inside STATEMENT SET BEGIN … END
  let atSubStatementStart = false; // inside a block, right after BEGIN or `;`
  let open = false;
  let i = 0;

  const markSignificant = (at: number) => {
    if (stmtStart < 0) {
      stmtStart = at;
      stmtLine = line;
      stmtCol = at - lineStart + 1;
    }
  };
  const finish = () => {
    if (stmtStart >= 0) {
      statements.push({ text: sql.slice(stmtStart, lastEnd), start: stmtStart, end: lastEnd, line: stmtLine, column: stmtCol });
    }
    stmtStart = -1;
    lastEnd = -1;
    words = [];
  };
  const newline = (at: number) => {
    // at is the offset of '\n' or a lone '\r'
    line++;
    lineStart = at + 1;
  };

  while (i < n) {
    const c = sql[i];
    if (c === '\n' || (c === '\r' && sql[i + 1] !== '\n')) {
      newline(i);
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n' && sql[i] !== '\r') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const isHint = sql[i + 2] === '+';
      if (isHint) markSignificant(i);
      const close = sql.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      for (let j = i; j < end; j++) if (sql[j] === '\n' || (sql[j] === '\r' && sql[j + 1] !== '\n')) newline(j);
      if (close < 0) {
        open = true;
        if (isHint) lastEnd = n;
        i = n;
        break;
      }
      if (isHint) lastEnd = end;
      i = end;
      continue;
    }
    if (c === "'" || c === '`') {
      markSignificant(i);
      let j = i + 1;
      let closed = false;
      while (j < n) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            j += 2;
            continue;
          }
          closed = true;
          j++;
          break;
        }
        if (sql[j] === '\n' || (sql[j] === '\r' && sql[j + 1] !== '\n')) newline(j);
        j++;
      }
      lastEnd = j;
      atSubStatementStart = false;
      if (!closed) {
        open = true;
        i = n;
        break;
      }
      i = j;
      continue;
    }
    if (c === ';') {
      if (inBlock) {
        lastEnd = i + 1;
        atSubStatementStart = true;
        i++;
        continue;
      }
      finish();
      i++;
      continue;
    }
    markSignificant(i);
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(sql[j])) j++;
      const word = sql.slice(i, j).toUpperCase();
      if (inBlock) {
        if (word === 'END' && atSubStatementStart) inBlock = false;
        atSubStatementStart = false;
      } else {
        if (words.length < 12) words.push(word);
        // EXECUTE STATEMENT SET BEGIN, EXPLAIN [EXECUTE] STATEMENT SET BEGIN
        const k = words.length;
        if (word === 'BEGIN' && k >= 3 && words[k - 2] === 'SET' && words[k - 3] === 'STATEMENT' && words[0] !== 'BEGIN') {
          inBlock = true;
          atSubStatementStart = true;
        }
      }
      lastEnd = j;
      i = j;
      continue;
    }
    if (inBlock) atSubStatementStart = false;
    lastEnd = i + 1;
    i++;
  }
  const trailing = stmtStart >= 0;
  if (inBlock) open = true;
  finish();
  return { statements, open, trailing };
}

/** The statements of a file or shell buffer, with their offsets and positions in it. */
export function splitStatements(sql: string): StatementText[] {
  return scan(sql).statements;
}

/** Whether the buffer ends a statement: the shell runs it then, otherwise it reads another line. */
export function isSqlComplete(text: string): boolean {
  const r = scan(text);
  return !r.open && !r.trailing && r.statements.length > 0;
}
