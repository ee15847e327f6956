// Recursive-descent parser for tsstream's Flink SQL dialect, with precedence climbing (Pratt)
// for expressions using Calcite's operator precedences. Every error is a SqlSyntaxError at the
// offending token's line:column in the whole input (or an UnsupportedError for a feature that
// tsstream does not do yet).
import { SqlSyntaxError, UnsupportedError, suggestion } from '../common/errors.js';
import { MAX_LENGTH, type Field, type LogicalType } from '../common/types.js';
import type * as A from './ast.js';
import { tokenize, SourceMap, type Token } from './lexer.js';
import { NILADIC_FUNCTIONS, RESERVED } from './keywords.js';
import { dateLiteralValue, intervalValue, timeLiteralValue, timestampLiteralValue } from './literals.js';

/** How deeply expressions, queries and types may nest (well below Node's stack limit). */
const MAX_DEPTH = 400;

/** Operator precedences (Calcite's): higher binds tighter. */
export const PREC = {
  OR: 13,
  AND: 24,
  NOT: 26,
  IS: 28,
  COMPARISON: 30,
  BETWEEN: 32, // also IN, LIKE, SIMILAR TO
  ADDITIVE: 40,
  MULTIPLICATIVE: 60, // also ||
  UNARY: 80,
  POSTFIX: 100, // a[i], (expr).field
} as const;

const COMPARISON_OPS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);

const STATEMENT_KEYWORDS = [
  'CREATE', 'DROP', 'ALTER', 'USE', 'SET', 'RESET', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'INSERT',
  'EXECUTE', 'BEGIN', 'END', 'SELECT', 'WITH', 'VALUES', 'STOP', 'HELP', 'QUIT', 'EXIT', 'CLEAR', 'CALL', 'ADD', 'REMOVE',
  'OPTIMIZE', 'VACUUM',
];

const CLAUSE_KEYWORDS = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'UNION', 'EXCEPT', 'INTERSECT', 'JOIN', 'WINDOW', 'WITH', 'LIKE', 'COMMENT', 'PARTITIONED'];

const TYPE_NAMES = [
  'BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'INTEGER', 'BIGINT', 'FLOAT', 'REAL', 'DOUBLE', 'DECIMAL',
  'DEC', 'NUMERIC', 'STRING', 'VARCHAR', 'CHAR', 'CHARACTER', 'BYTES', 'BINARY', 'VARBINARY', 'DATE',
  'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ', 'INTERVAL', 'ARRAY', 'MAP', 'ROW',
];

const TIME_UNITS: Record<string, A.TimeUnit> = {
  YEAR: 'YEAR', YEARS: 'YEAR', QUARTER: 'QUARTER', QUARTERS: 'QUARTER', MONTH: 'MONTH', MONTHS: 'MONTH',
  WEEK: 'WEEK', WEEKS: 'WEEK', DAY: 'DAY', DAYS: 'DAY', HOUR: 'HOUR', HOURS: 'HOUR', MINUTE: 'MINUTE',
  MINUTES: 'MINUTE', SECOND: 'SECOND', SECONDS: 'SECOND', MILLISECOND: 'MILLISECOND',
  MILLISECONDS: 'MILLISECOND', MICROSECOND: 'MICROSECOND', MICROSECONDS: 'MICROSECOND',
  NANOSECOND: 'NANOSECOND', NANOSECONDS: 'NANOSECOND', DOW: 'DOW', DOY: 'DOY', ISODOW: 'ISODOW',
  ISOYEAR: 'ISOYEAR', EPOCH: 'EPOCH', DECADE: 'DECADE', CENTURY: 'CENTURY', MILLENNIUM: 'MILLENNIUM',
};

const INTERVAL_UNITS = new Set<A.TimeUnit>(['YEAR', 'QUARTER', 'MONTH', 'WEEK', 'DAY', 'HOUR', 'MINUTE', 'SECOND']);
const INTERVAL_RANGES = new Set(['YEAR-MONTH', 'DAY-HOUR', 'DAY-MINUTE', 'DAY-SECOND', 'HOUR-MINUTE', 'HOUR-SECOND', 'MINUTE-SECOND']);
const FLOOR_UNITS = new Set<A.TimeUnit>(['YEAR', 'QUARTER', 'MONTH', 'WEEK', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'MICROSECOND']);

const JSON_FUNCTIONS = new Set(['JSON_VALUE', 'JSON_QUERY', 'JSON_EXISTS', 'JSON_OBJECT', 'JSON_ARRAY', 'JSON_OBJECTAGG', 'JSON_ARRAYAGG']);

const WINDOW_TVFS = new Set<A.WindowTvfName>(['TUMBLE', 'HOP', 'CUMULATE', 'SESSION']);
const EXPLAIN_DETAILS = new Set<A.ExplainDetail>(['ESTIMATED_COST', 'CHANGELOG_MODE', 'JSON_EXECUTION_PLAN', 'PLAN_ADVICE']);

/** Whether a token can be an alias written without AS: reserved words end the select item or table instead. */
function canBeImplicitAlias(t: Token): boolean {
  return t.type === 'qident' || (t.type === 'word' && !RESERVED.has(t.upper));
}

export class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private depth = 0;
  readonly map: SourceMap;

  constructor(readonly sql: string) {
    this.map = new SourceMap(sql);
    this.tokens = tokenize(sql, this.map, true);
  }

  // ───────────── token helpers ─────────────

  peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }

  next(): Token {
    const t = this.tokens[this.i];
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private prev(): Token {
    return this.tokens[Math.max(0, this.i - 1)];
  }

  pos(t: Token = this.peek()): A.Pos {
    return this.map.position(t.start);
  }

  atEof(): boolean {
    return this.peek().type === 'eof';
  }

  isWord(t: Token, ...words: string[]): boolean {
    return t.type === 'word' && words.includes(t.upper);
  }

  atWord(...words: string[]): boolean {
    return this.isWord(this.peek(), ...words);
  }

  atWordSeq(...words: string[]): boolean {
    return words.every((w, k) => this.isWord(this.peek(k), w));
  }

  atOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'op' && t.value === op;
  }

  eatWord(...words: string[]): boolean {
    if (this.atWord(...words)) {
      this.next();
      return true;
    }
    return false;
  }

  eatWordSeq(...words: string[]): boolean {
    if (this.atWordSeq(...words)) {
      for (let k = 0; k < words.length; k++) this.next();
      return true;
    }
    return false;
  }

  eatOp(op: string): boolean {
    if (this.atOp(op)) {
      this.next();
      return true;
    }
    return false;
  }

  expectWord(word: string, hint = ''): Token {
    if (!this.atWord(word)) throw this.expected(`'${word}'`, hint);
    return this.next();
  }

  expectWords(...words: string[]): void {
    for (const w of words) this.expectWord(w);
  }

  expectOp(op: string, hint = ''): Token {
    if (!this.atOp(op)) throw this.expected(`'${op}'`, hint);
    return this.next();
  }

  describe(t: Token): string {
    switch (t.type) {
      case 'eof':
        return 'end of input';
      case 'word':
        return `'${t.value}'`;
      case 'qident':
        return `\`${t.value}\``;
      case 'string':
        return `string '${t.value.length > 30 ? t.value.slice(0, 27) + '...' : t.value}'`;
      case 'binary':
        return `binary string X'${t.value}'`;
      case 'number':
        return `number ${t.value}`;
      case 'hintStart':
        return "hint '/*+'";
      case 'hintEnd':
        return "'*/'";
      case 'op':
        return `'${t.value}'`;
      case 'error':
        return t.error?.detail ?? 'an invalid token';
    }
  }

  /** `expected X, found Y` at the current token. */
  expected(what: string, hint = '', t: Token = this.peek()): SqlSyntaxError {
    // a hint starting with ' or ' names more alternatives: "expected ')' or ',', found …"
    if (hint.startsWith(' or ')) return this.errorAt(t, `expected ${what}${hint}, found ${this.describe(t)}`);
    return this.errorAt(t, `expected ${what}, found ${this.describe(t)}${hint}`);
  }

  errorAt(t: Token, detail: string): SqlSyntaxError {
    // the parser reached a lexical error: that is the first error in the input
    if (t.type === 'error' && t.error) return t.error;
    return this.map.error(detail, t.start, Math.max(t.end, t.start + 1));
  }

  // ───────────── names ─────────────

  /** A single name: an unquoted non-reserved word or a back-quoted identifier. */
  parseIdent(what = 'an identifier'): A.Ident {
    const t = this.peek();
    if (t.type === 'qident') {
      this.next();
      return { value: t.value, quoted: true, pos: this.pos(t) };
    }
    if (t.type === 'word' && !RESERVED.has(t.upper)) {
      this.next();
      return { value: t.value, quoted: false, pos: this.pos(t) };
    }
    if (t.type === 'word') throw this.expected(what, ` ('${t.value}' is a reserved word: quote it as \`${t.value}\`)`);
    throw this.expected(what);
  }

  /** A name part after a dot: any word is allowed there. */
  private parseIdentAfterDot(): A.Ident {
    const t = this.peek();
    if (t.type === 'qident' || t.type === 'word') {
      this.next();
      return { value: t.value, quoted: t.type === 'qident', pos: this.pos(t) };
    }
    throw this.expected('an identifier after \'.\'');
  }

  parseObjectName(what = 'a name'): A.ObjectName {
    const first = this.parseIdent(what);
    const parts = [first.value];
    const quoted = [first.quoted];
    while (this.atOp('.') && (this.peek(1).type === 'word' || this.peek(1).type === 'qident')) {
      this.next();
      const p = this.parseIdentAfterDot();
      parts.push(p.value);
      quoted.push(p.quoted);
    }
    return { parts, quoted, pos: first.pos };
  }

  private parseIdentList(): A.Ident[] {
    this.expectOp('(');
    const list = [this.parseIdent('a column name')];
    while (this.eatOp(',')) list.push(this.parseIdent('a column name'));
    this.expectOp(')');
    return list;
  }

  parseString(what = 'a string literal', hint = ''): string {
    const t = this.peek();
    if (t.type !== 'string') throw this.expected(what, hint);
    this.next();
    return t.value;
  }

  /** The source text of the tokens up to (not including) one of the `stop` operators or the end. */
  private parseRawUntil(stop: string[], what: string): string {
    const first = this.peek();
    let last: Token | undefined;
    while (!this.atEof() && !(this.peek().type === 'op' && stop.includes(this.peek().value))) {
      if (this.peek().type === 'error' || this.peek().type === 'hintStart') throw this.expected(what);
      last = this.next();
    }
    if (!last) throw this.expected(what);
    return this.sql.slice(first.start, last.end);
  }

  private parseOptions(): A.Options {
    this.expectOp('(');
    const options: A.Options = [];
    if (this.atOp(')')) {
      this.next();
      return options;
    }
    do {
      const keyTok = this.peek();
      const key = this.parseString('an option key string', keyTok.type === 'word' || keyTok.type === 'qident' ? ` (option keys are quoted: '${keyTok.value}' = '…')` : '');
      this.expectOp('=');
      const valTok = this.peek();
      const value = this.parseString('an option value string', valTok.type === 'number' || valTok.type === 'word' ? ` (option values are quoted: '${key}' = '${valTok.value}')` : '');
      options.push([key, value]);
    } while (this.eatOp(','));
    this.expectOp(')', " or ','");
    return options;
  }

  private parseOptionalComment(): string | undefined {
    if (this.eatWord('COMMENT')) return this.parseString('a comment string');
    return undefined;
  }

  // ───────────── statements ─────────────

  parseStatements(): A.Statement[] {
    const out: A.Statement[] = [];
    for (;;) {
      while (this.eatOp(';'));
      if (this.atEof()) break;
      out.push(this.parseStatement());
      if (!this.atEof() && !this.atOp(';')) {
        const t = this.peek();
        throw this.expected("';' or end of input", t.type === 'word' ? suggestion(t.value, CLAUSE_KEYWORDS) : '');
      }
    }
    return out;
  }

  parseStatement(): A.Statement {
    const first = this.peek();
    const start = first.start;
    const body = this.parseStatementBody();
    return { ...body, pos: this.pos(first), span: { start, end: this.prev().end } } as A.Statement;
  }

  private parseStatementBody(): DistributiveOmit<A.Statement, 'pos' | 'span'> {
    const t = this.peek();
    if (t.type === 'op' && t.value === '(') return { kind: 'queryStatement', query: this.parseQuery() };
    if (t.type !== 'word') throw this.expected('a statement', '');
    switch (t.upper) {
      case 'CREATE':
        return this.parseCreate();
      case 'DROP':
        return this.parseDrop();
      case 'ALTER':
        return this.parseAlter();
      case 'USE':
        this.next();
        if (this.eatWord('CATALOG')) return { kind: 'useCatalog', name: this.parseIdent('a catalog name') };
        return { kind: 'useDatabase', name: this.parseObjectName('a database name') };
      case 'SET': {
        this.next();
        if (this.atEof() || this.atOp(';')) return { kind: 'set' };
        // the sql-client's older unquoted form: SET execution.runtime-mode = streaming
        if (this.peek().type === 'word') {
          const key = this.parseRawUntil(['='], "a quoted key: SET 'key' = 'value'");
          this.expectOp('=');
          const value = this.parseRawUntil([';'], "a value: SET 'key' = 'value'");
          return { kind: 'set', key, value };
        }
        const key = this.parseString("a quoted key: SET 'key' = 'value'");
        this.expectOp('=');
        const value = this.parseString("a quoted value: SET 'key' = 'value'");
        return { kind: 'set', key, value };
      }
      case 'RESET': {
        this.next();
        if (this.atEof() || this.atOp(';')) return { kind: 'reset' };
        if (this.peek().type === 'word') return { kind: 'reset', key: this.parseRawUntil([';'], "a quoted key: RESET 'key'") };
        return { kind: 'reset', key: this.parseString("a quoted key: RESET 'key'") };
      }
      case 'SHOW':
        return this.parseShow();
      case 'DESCRIBE':
      case 'DESC': {
        this.next();
        if (this.atWord('JOB') && this.peek(1).type === 'string') {
          this.next();
          return { kind: 'describeJob', jobId: this.parseString("a quoted job id: DESCRIBE JOB '<id>'") };
        }
        const extended = this.eatWord('EXTENDED');
        return { kind: 'describe', extended, name: this.parseObjectName('a table name') };
      }
      case 'EXPLAIN':
        return this.parseExplain();
      case 'INSERT':
        return this.parseInsertBody();
      case 'EXECUTE': {
        this.next();
        if (!this.atWordSeq('STATEMENT', 'SET')) throw this.expected("'STATEMENT SET'");
        return this.parseStatementSetBody();
      }
      case 'BEGIN':
        this.next();
        this.expectWords('STATEMENT', 'SET');
        return { kind: 'beginStatementSet' };
      case 'END':
        this.next();
        return { kind: 'end' };
      case 'SELECT':
      case 'WITH':
      case 'VALUES':
        return { kind: 'queryStatement', query: this.parseQuery() };
      case 'STOP': {
        this.next();
        this.expectWord('JOB');
        const jobId = this.parseString("a quoted job id: STOP JOB '<id>'");
        let withSavepoint = false;
        let withDrain = false;
        while (this.atWord('WITH')) {
          if (this.eatWordSeq('WITH', 'SAVEPOINT') && !withSavepoint) withSavepoint = true;
          else if (this.eatWordSeq('WITH', 'DRAIN') && !withDrain) withDrain = true;
          else {
            this.next();
            throw this.expected(withSavepoint ? 'DRAIN' : 'SAVEPOINT or DRAIN');
          }
        }
        return { kind: 'stopJob', jobId, withSavepoint, withDrain };
      }
      case 'CALL': {
        this.next();
        const name = this.parseObjectName('a procedure name');
        this.expectOp('(', ' (CALL procedure(arguments))');
        const args: A.CallProcedureStatement['args'] = [];
        if (!this.atOp(')')) {
          do {
            if ((this.peek().type === 'word' || this.peek().type === 'qident') && this.atOp('=>', 1)) {
              const argName = this.parseIdentAfterDot();
              this.next();
              args.push({ name: argName, value: this.parseExpr() });
            } else args.push({ value: this.parseExpr() });
          } while (this.eatOp(','));
        }
        this.expectOp(')', args.length ? " or ','" : '');
        return { kind: 'callProcedure', name, args };
      }
      case 'OPTIMIZE': {
        // Athena: OPTIMIZE t REWRITE DATA USING BIN_PACK [WHERE predicate]
        this.next();
        const table = this.parseObjectName('a table name');
        this.expectWords('REWRITE', 'DATA', 'USING');
        if (!this.eatWord('BIN_PACK')) throw this.expected('BIN_PACK', ' (OPTIMIZE t REWRITE DATA USING BIN_PACK [WHERE …]: bin-packing is the one strategy)');
        const where = this.eatWord('WHERE') ? this.parseExpr() : undefined;
        return { kind: 'optimize', table, ...(where ? { where } : {}) };
      }
      case 'VACUUM': {
        this.next();
        return { kind: 'vacuum', table: this.parseObjectName('a table name') };
      }
      case 'ADD':
      case 'REMOVE': {
        this.next();
        this.expectWord('JAR');
        const path = this.parseString(`a quoted jar path: ${t.upper} JAR '<path>'`);
        return t.upper === 'ADD' ? { kind: 'addJar', path } : { kind: 'removeJar', path };
      }
      case 'HELP':
        this.next();
        return { kind: 'help' };
      case 'QUIT':
      case 'EXIT':
        this.next();
        return { kind: 'quit' };
      case 'CLEAR':
        this.next();
        return { kind: 'clear' };
      default:
        throw this.expected('a statement', suggestion(t.value, STATEMENT_KEYWORDS));
    }
  }

  private parseIfNotExists(): boolean {
    return this.eatWordSeq('IF', 'NOT', 'EXISTS');
  }

  private parseCreate(): DistributiveOmit<A.Statement, 'pos' | 'span'> {
    this.expectWord('CREATE');
    if (this.eatWordSeq('OR', 'REPLACE')) {
      this.expectWord('TABLE', ' (CREATE OR REPLACE TABLE … AS SELECT)');
      const t = this.parseCreateTable(false);
      if (t.ifNotExists) throw this.errorAt(this.peek(), 'CREATE OR REPLACE TABLE cannot have IF NOT EXISTS');
      if (!t.asQuery) throw this.expected("'AS'", ' (CREATE OR REPLACE TABLE … AS SELECT)');
      return { ...t, orReplace: true };
    }
    const temporary = this.eatWord('TEMPORARY');
    const system = temporary && this.eatWord('SYSTEM');
    if (this.eatWord('TABLE') && !system) return this.parseCreateTable(temporary);
    if (this.eatWord('VIEW') && !system) {
      const ifNotExists = this.parseIfNotExists();
      const name = this.parseObjectName('a view name');
      const columns = this.atOp('(') ? this.parseIdentList() : undefined;
      const comment = this.parseOptionalComment();
      this.expectWord('AS');
      const query = this.parseQuery();
      return { kind: 'createView', name, temporary, ifNotExists, ...(columns ? { columns } : {}), ...(comment !== undefined ? { comment } : {}), query };
    }
    if (this.eatWord('FUNCTION')) {
      const ifNotExists = this.parseIfNotExists();
      const name = this.parseObjectName('a function name');
      this.expectWord('AS');
      const className = this.parseString('the function class name as a string');
      let language: 'JAVA' | 'SCALA' | 'PYTHON' | 'JAVASCRIPT' | undefined;
      if (this.eatWord('LANGUAGE')) {
        // JAVASCRIPT is tsstream's (a module path instead of a class name).
        if (!this.atWord('JAVA', 'SCALA', 'PYTHON', 'JAVASCRIPT')) throw this.expected('JAVA, SCALA, PYTHON or JAVASCRIPT');
        language = this.next().upper as 'JAVA' | 'SCALA' | 'PYTHON' | 'JAVASCRIPT';
      }
      return { kind: 'createFunction', name, temporary, system, ifNotExists, className, ...(language ? { language } : {}) };
    }
    if (!temporary && this.eatWord('CATALOG')) {
      const ifNotExists = this.parseIfNotExists();
      const name = this.parseIdent('a catalog name');
      const comment = this.parseOptionalComment();
      this.expectWord('WITH', " (a catalog needs options: WITH ('type' = '…'))");
      const options = this.parseOptions();
      return { kind: 'createCatalog', name, ifNotExists, ...(comment !== undefined ? { comment } : {}), options };
    }
    if (!temporary && this.eatWord('DATABASE')) {
      const ifNotExists = this.parseIfNotExists();
      const name = this.parseObjectName('a database name');
      const comment = this.parseOptionalComment();
      const options = this.eatWord('WITH') ? this.parseOptions() : [];
      return { kind: 'createDatabase', name, ifNotExists, ...(comment !== undefined ? { comment } : {}), options };
    }
    if (system) throw this.expected("'FUNCTION'");
    if (!temporary && this.atWord('NAMESPACE', 'SCHEMA')) {
      throw this.errorAt(this.peek(), `CREATE ${this.peek().upper} is Spark's form: Flink SQL says CREATE DATABASE [IF NOT EXISTS] [catalog.]name`);
    }
    throw this.expected(temporary ? 'TABLE, VIEW or FUNCTION' : 'TABLE, VIEW, CATALOG, DATABASE or FUNCTION');
  }

  private parseCreateTable(temporary: boolean): Omit<A.CreateTableStatement, 'pos' | 'span'> {
    const ifNotExists = this.parseIfNotExists();
    const name = this.parseObjectName('a table name');
    const columns: A.ColumnDef[] = [];
    let watermark: A.WatermarkDef | undefined;
    let primaryKey: A.PrimaryKeyDef | undefined;
    const setPrimaryKey = (pk: A.PrimaryKeyDef, at: Token) => {
      if (primaryKey) throw this.errorAt(at, 'a table can have only one PRIMARY KEY');
      primaryKey = pk;
    };
    if (this.atOp('(')) {
      this.next();
      do {
        const t = this.peek();
        if (this.atWord('WATERMARK') && this.peek(1).type === 'word' && !this.isTypeStart(this.peek(1))) {
          if (!this.isWord(this.peek(1), 'FOR')) {
            this.next();
            throw this.expected("'FOR'", ' (WATERMARK FOR column AS expression)');
          }
          if (watermark) throw this.errorAt(t, 'a table can have only one WATERMARK');
          this.next();
          this.next();
          const column = this.parseIdent('the time attribute column');
          this.expectWord('AS');
          const expr = this.parseExpr();
          watermark = { column, expr, pos: this.pos(t) };
        } else if (this.atWordSeq('PRIMARY', 'KEY') || (this.atWord('CONSTRAINT') && this.peek(1).type !== 'eof' && !this.isTypeStart(this.peek(1)))) {
          let cname: A.Ident | undefined;
          if (this.eatWord('CONSTRAINT')) cname = this.parseIdent('a constraint name');
          this.expectWords('PRIMARY', 'KEY');
          const cols = this.parseIdentList();
          this.parseNotEnforced();
          setPrimaryKey({ ...(cname ? { name: cname } : {}), columns: cols, enforced: false, pos: this.pos(t) }, t);
        } else {
          const col = this.parseColumn();
          columns.push(col.column);
          if (col.primaryKey) setPrimaryKey({ ...(col.primaryKey.name ? { name: col.primaryKey.name } : {}), columns: [col.column.name], enforced: false, pos: col.primaryKey.pos }, col.primaryKey.at);
        }
      } while (this.eatOp(','));
      this.expectOp(')', " or ','");
    }
    if (this.atWord('USING')) {
      throw this.errorAt(
        this.peek(),
        "CREATE TABLE … USING is Spark's form: in Flink SQL the catalog makes the table an Iceberg table — CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '…'), then CREATE TABLE ice.db.t (…); for other connectors, WITH ('connector' = '…')",
      );
    }
    const comment = this.parseOptionalComment();
    let partitionedBy: A.Ident[] = [];
    if (this.eatWord('PARTITIONED')) {
      this.expectWord('BY');
      partitionedBy = this.parseIdentList();
    }
    const options = this.eatWord('WITH') ? this.parseOptions() : [];
    let like: A.LikeClause | undefined;
    if (this.atWord('LIKE')) {
      const lt = this.next();
      const source = this.parseObjectName('the source table of LIKE');
      const likeOptions: A.LikeOption[] = [];
      if (this.eatOp('(')) {
        do {
          if (!this.atWord('INCLUDING', 'EXCLUDING', 'OVERWRITING')) throw this.expected('INCLUDING, EXCLUDING or OVERWRITING');
          const mode = this.next().upper as A.LikeOption['mode'];
          if (!this.atWord('ALL', 'CONSTRAINTS', 'PARTITIONS', 'WATERMARKS', 'GENERATED', 'METADATA', 'OPTIONS')) {
            throw this.expected('ALL, CONSTRAINTS, PARTITIONS, WATERMARKS, GENERATED, METADATA or OPTIONS');
          }
          likeOptions.push({ mode, feature: this.next().upper as A.LikeOption['feature'] });
        } while (this.eatOp(','));
        this.expectOp(')', " or ','");
      }
      like = { source, options: likeOptions, pos: this.pos(lt) };
    }
    let asQuery: A.Query | undefined;
    if (this.eatWord('AS')) asQuery = this.parseQuery();
    return {
      kind: 'createTable',
      name,
      temporary,
      ifNotExists,
      columns,
      ...(watermark ? { watermark } : {}),
      ...(primaryKey ? { primaryKey } : {}),
      ...(comment !== undefined ? { comment } : {}),
      partitionedBy,
      options,
      ...(like ? { like } : {}),
      ...(asQuery ? { asQuery } : {}),
    };
  }

  private isTypeStart(t: Token): boolean {
    return t.type === 'word' && TYPE_NAMES.includes(t.upper);
  }

  private parseNotEnforced(): void {
    if (this.atWord('ENFORCED')) {
      throw this.errorAt(this.peek(), 'Flink only supports NOT ENFORCED primary keys: write PRIMARY KEY (…) NOT ENFORCED');
    }
    if (!this.atWordSeq('NOT', 'ENFORCED')) throw this.expected('NOT ENFORCED', ' (Flink only supports PRIMARY KEY (…) NOT ENFORCED)');
    this.next();
    this.next();
  }

  private parseColumn(): { column: A.ColumnDef; primaryKey?: { name?: A.Ident; pos: A.Pos; at: Token } } {
    const nameTok = this.peek();
    const name = this.parseIdent('a column name, WATERMARK FOR or PRIMARY KEY');
    const pos = this.pos(nameTok);
    if (this.eatWord('AS')) {
      const expr = this.parseExpr();
      const comment = this.parseOptionalComment();
      return { column: { kind: 'computed', name, expr, ...(comment !== undefined ? { comment } : {}), pos } };
    }
    const type = this.parseType();
    let column: A.ColumnDef;
    if (this.eatWord('METADATA')) {
      let from: string | undefined;
      if (this.eatWord('FROM')) from = this.parseString('a metadata key string');
      const virtual = this.eatWord('VIRTUAL');
      column = { kind: 'metadata', name, type, ...(from !== undefined ? { from } : {}), virtual, pos };
    } else {
      column = { kind: 'physical', name, type, pos };
    }
    let primaryKey: { name?: A.Ident; pos: A.Pos; at: Token } | undefined;
    const pkTok = this.peek();
    if (this.atWordSeq('PRIMARY', 'KEY') || this.atWord('CONSTRAINT')) {
      let cname: A.Ident | undefined;
      if (this.eatWord('CONSTRAINT')) cname = this.parseIdent('a constraint name');
      this.expectWords('PRIMARY', 'KEY');
      this.parseNotEnforced();
      primaryKey = { ...(cname ? { name: cname } : {}), pos: this.pos(pkTok), at: pkTok };
    }
    const comment = this.parseOptionalComment();
    if (comment !== undefined) column.comment = comment;
    return { column, ...(primaryKey ? { primaryKey } : {}) };
  }

  private parseDrop(): DistributiveOmit<A.Statement, 'pos' | 'span'> {
    this.expectWord('DROP');
    const temporary = this.eatWord('TEMPORARY');
    const system = temporary && this.eatWord('SYSTEM');
    const allowed = system ? ['FUNCTION'] : temporary ? ['TABLE', 'VIEW', 'FUNCTION'] : ['TABLE', 'VIEW', 'DATABASE', 'CATALOG', 'FUNCTION'];
    if (!temporary && this.atWord('NAMESPACE', 'SCHEMA')) {
      throw this.errorAt(this.peek(), `DROP ${this.peek().upper} is Spark's form: Flink SQL says DROP DATABASE [IF EXISTS] [catalog.]name [RESTRICT | CASCADE]`);
    }
    if (!this.atWord(...allowed)) throw this.expected(allowed.join(', ').replace(/, ([A-Z]+)$/, ' or $1'));
    const objectType = this.next().upper as A.DropStatement['objectType'];
    const ifExists = this.eatWordSeq('IF', 'EXISTS');
    const name = objectType === 'CATALOG' ? identToName(this.parseIdent('a catalog name')) : this.parseObjectName(`a ${objectType.toLowerCase()} name`);
    let behavior: 'CASCADE' | 'RESTRICT' | undefined;
    if (objectType === 'DATABASE' && this.atWord('CASCADE', 'RESTRICT')) behavior = this.next().upper as 'CASCADE' | 'RESTRICT';
    return { kind: 'drop', objectType, name, ifExists, temporary, system, ...(behavior ? { behavior } : {}) };
  }

  private parseAlter(): Omit<A.AlterTableStatement, 'pos' | 'span'> {
    this.expectWord('ALTER');
    this.expectWord('TABLE', ' (tsstream supports ALTER TABLE … SET/RESET/RENAME/ADD/MODIFY/DROP)');
    const ifExists = this.eatWordSeq('IF', 'EXISTS');
    const name = this.parseObjectName('a table name');
    let action: A.AlterTableAction;
    if (this.eatWord('SET')) action = { kind: 'setOptions', options: this.parseOptions() };
    else if (this.eatWord('RESET')) {
      this.expectOp('(');
      const keys = [this.parseString('an option key string')];
      while (this.eatOp(',')) keys.push(this.parseString('an option key string'));
      this.expectOp(')', " or ','");
      action = { kind: 'resetOptions', keys };
    } else if (this.eatWord('RENAME')) {
      if (this.eatWord('TO')) action = { kind: 'rename', newName: this.parseObjectName('the new table name') };
      else {
        const from = this.parseIdent('TO or a column name');
        this.expectWord('TO');
        action = { kind: 'renameColumn', from, to: this.parseIdent('the new column name') };
      }
    } else if (this.atWord('ADD', 'MODIFY')) {
      const kind = this.next().upper === 'ADD' ? 'addColumns' : 'modifyColumns';
      this.refuseConstraintChange(kind === 'addColumns' ? 'ADD' : 'MODIFY');
      const columns: A.AlterColumn[] = [];
      if (this.eatOp('(')) {
        do columns.push(this.parseAlterColumn(kind === 'addColumns' ? 'ADD' : 'MODIFY'));
        while (this.eatOp(','));
        this.expectOp(')', " or ','");
      } else columns.push(this.parseAlterColumn(kind === 'addColumns' ? 'ADD' : 'MODIFY'));
      action = { kind, columns };
    } else if (this.eatWord('DROP')) {
      this.refuseConstraintChange('DROP');
      this.eatWord('COLUMN');
      const names = this.atOp('(') ? this.parseIdentList() : [this.parseIdent('a column name')];
      action = { kind: 'dropColumns', names };
    } else throw this.expected('SET, RESET, RENAME, ADD, MODIFY or DROP');
    return { kind: 'alterTable', name, ifExists, action };
  }

  /** ALTER TABLE … ADD/MODIFY/DROP of a primary key, watermark or constraint: not supported. */
  private refuseConstraintChange(verb: string): void {
    const t = this.peek();
    if (this.atWordSeq('PRIMARY', 'KEY') || this.atWord('WATERMARK', 'CONSTRAINT')) {
      throw new UnsupportedError(`ALTER TABLE … ${verb} ${t.upper === 'PRIMARY' ? 'PRIMARY KEY' : t.upper} is not supported; tsstream changes columns only`, this.pos(t));
    }
  }

  private parseAlterColumn(verb: string): A.AlterColumn {
    const at = this.peek();
    const { column, primaryKey } = this.parseColumn();
    if (primaryKey) throw new UnsupportedError(`ALTER TABLE … ${verb} with a PRIMARY KEY is not supported; tsstream changes columns only`, primaryKey.pos);
    if (column.kind !== 'physical') throw new UnsupportedError(`ALTER TABLE … ${verb} of a ${column.kind} column is not supported; only physical columns`, this.pos(at));
    if (this.eatWord('FIRST')) return { column, position: { kind: 'first' } };
    if (this.eatWord('AFTER')) return { column, position: { kind: 'after', column: this.parseIdent('a column name') } };
    return { column };
  }

  private parseShow(): DistributiveOmit<A.Statement, 'pos' | 'span'> {
    this.expectWord('SHOW');
    if (this.eatWord('CREATE')) {
      if (!this.atWord('TABLE', 'VIEW')) throw this.expected('TABLE or VIEW');
      const objectType = this.next().upper as 'TABLE' | 'VIEW';
      return { kind: 'showCreate', objectType, name: this.parseObjectName(`a ${objectType.toLowerCase()} name`) };
    }
    let object: A.ShowObject;
    let allowFrom = false;
    let allowLike = false;
    if (this.eatWordSeq('CURRENT', 'CATALOG')) object = 'CURRENT CATALOG';
    else if (this.eatWordSeq('CURRENT', 'DATABASE')) object = 'CURRENT DATABASE';
    else if (this.eatWordSeq('USER', 'FUNCTIONS')) {
      object = 'USER FUNCTIONS';
      allowFrom = allowLike = true;
    } else if (this.eatWordSeq('FULL', 'MODULES')) object = 'FULL MODULES';
    else if (this.atWord('CATALOGS', 'DATABASES', 'TABLES', 'VIEWS', 'FUNCTIONS', 'JOBS', 'MODULES', 'JARS', 'COLUMNS')) {
      object = this.next().upper as A.ShowObject;
      allowLike = ['CATALOGS', 'DATABASES', 'TABLES', 'VIEWS', 'FUNCTIONS', 'COLUMNS'].includes(object);
      allowFrom = ['DATABASES', 'TABLES', 'VIEWS', 'FUNCTIONS', 'COLUMNS'].includes(object);
    } else {
      const t = this.peek();
      throw this.expected(
        'CATALOGS, DATABASES, TABLES, VIEWS, FUNCTIONS, JOBS, MODULES, JARS, COLUMNS, CURRENT or CREATE',
        t.type === 'word' ? suggestion(t.value, ['CATALOGS', 'DATABASES', 'TABLES', 'VIEWS', 'FUNCTIONS', 'JOBS', 'MODULES', 'JARS', 'COLUMNS']) : '',
      );
    }
    const out: Omit<A.ShowStatement, 'pos' | 'span'> = { kind: 'show', object };
    if (allowFrom && this.atWord('FROM', 'IN')) {
      out.fromKeyword = this.next().upper as 'FROM' | 'IN';
      out.from = this.parseObjectName();
    } else if (object === 'COLUMNS') throw this.expected('FROM or IN');
    if (allowLike && (this.atWord('LIKE', 'ILIKE') || this.atWordSeq('NOT', 'LIKE') || this.atWordSeq('NOT', 'ILIKE'))) {
      const not = this.eatWord('NOT');
      const ilike = this.next().upper === 'ILIKE';
      out.like = { not, ilike, pattern: this.parseString('a LIKE pattern string') };
    }
    return out;
  }

  private parseExplain(): Omit<A.ExplainStatement, 'pos' | 'span'> {
    this.expectWord('EXPLAIN');
    const planFor = this.eatWordSeq('PLAN', 'FOR');
    const details: A.ExplainDetail[] = [];
    if (!planFor && this.peek().type === 'word' && EXPLAIN_DETAILS.has(this.peek().upper as A.ExplainDetail)) {
      do {
        const t = this.peek();
        if (t.type !== 'word' || !EXPLAIN_DETAILS.has(t.upper as A.ExplainDetail)) throw this.expected('ESTIMATED_COST, CHANGELOG_MODE, JSON_EXECUTION_PLAN or PLAN_ADVICE');
        details.push(this.next().upper as A.ExplainDetail);
      } while (this.eatOp(','));
    }
    const first = this.peek();
    let statement: A.ExplainStatement['statement'];
    if (this.atWord('INSERT')) {
      statement = this.located(first, this.parseInsertBody());
    } else if (this.atWordSeq('STATEMENT', 'SET') || this.atWordSeq('EXECUTE', 'STATEMENT', 'SET')) {
      this.eatWord('EXECUTE');
      statement = this.located(first, this.parseStatementSetBody());
    } else if (this.atWord('SELECT', 'WITH', 'VALUES') || this.atOp('(')) {
      statement = this.located(first, { kind: 'queryStatement', query: this.parseQuery() });
    } else throw this.expected('a query, INSERT or STATEMENT SET to explain');
    return { kind: 'explain', planFor, details, statement };
  }

  private located<T extends object>(first: Token, body: T): T & { pos: A.Pos; span: A.Span } {
    return { ...body, pos: this.pos(first), span: { start: first.start, end: this.prev().end } };
  }

  private parseStatementSetBody(): Omit<A.StatementSetStatement, 'pos' | 'span'> {
    this.expectWords('STATEMENT', 'SET');
    this.expectWord('BEGIN');
    const statements: A.InsertStatement[] = [];
    while (!this.atWord('END')) {
      const first = this.peek();
      if (!this.atWord('INSERT')) throw this.expected(statements.length ? "INSERT or END" : 'INSERT', ' (a statement set holds INSERT statements)');
      statements.push(this.located(first, this.parseInsertBody()));
      this.expectOp(';', ' (each INSERT in a statement set ends with ;)');
    }
    this.expectWord('END');
    if (statements.length === 0) throw this.errorAt(this.prev(), 'a statement set needs at least one INSERT');
    return { kind: 'statementSet', statements };
  }

  private parseInsertBody(): Omit<A.InsertStatement, 'pos' | 'span'> {
    this.expectWord('INSERT');
    let overwrite = false;
    if (this.eatWord('OVERWRITE')) overwrite = true;
    else this.expectWord('INTO', ' (INSERT INTO or INSERT OVERWRITE)');
    const table = this.parseObjectName('a table name');
    const hints = this.parseHints();
    const partition: A.InsertStatement['partition'] = [];
    if (this.eatWord('PARTITION')) {
      this.expectOp('(');
      do {
        const column = this.parseIdent('a partition column');
        this.expectOp('=');
        partition.push({ column, value: this.parseExpr() });
      } while (this.eatOp(','));
      this.expectOp(')', " or ','");
    }
    let columns: A.Ident[] | undefined;
    if (this.atOp('(') && !this.startsQuery(1)) columns = this.parseIdentList();
    if (!this.startsQuery(0)) throw this.expected('SELECT, VALUES or WITH');
    const query = this.parseQuery();
    return { kind: 'insert', overwrite, table, hints, partition, ...(columns ? { columns } : {}), query };
  }

  /** Whether the tokens from k on start a query, after any number of `(`. */
  private startsQuery(k: number): boolean {
    let t = this.peek(k);
    while (t.type === 'op' && t.value === '(') t = this.peek(++k);
    return this.isWord(t, 'SELECT', 'WITH', 'VALUES');
  }

  // ───────────── hints ─────────────

  private parseHints(): A.Hint[] {
    const hints: A.Hint[] = [];
    while (this.peek().type === 'hintStart') {
      this.next();
      do {
        const nameTok = this.peek();
        if (nameTok.type !== 'word' && nameTok.type !== 'qident') throw this.expected('a hint name such as OPTIONS');
        this.next();
        const hint: A.Hint = { name: nameTok.type === 'word' ? nameTok.upper : nameTok.value, pos: this.pos(nameTok) };
        if (this.eatOp('(')) {
          if (!this.atOp(')')) {
            const isKv = this.atOp('=', 1);
            if (isKv) {
              const options: A.Options = [];
              do {
                const k = this.peek();
                if (k.type !== 'string' && k.type !== 'word' && k.type !== 'qident') throw this.expected('a hint option key');
                this.next();
                this.expectOp('=');
                const v = this.peek();
                if (v.type !== 'string' && v.type !== 'number' && v.type !== 'word') throw this.expected('a hint option value string');
                this.next();
                options.push([k.value, v.value]);
              } while (this.eatOp(','));
              hint.options = options;
            } else {
              const args: string[] = [];
              do {
                const a = this.peek();
                if (a.type !== 'string' && a.type !== 'word' && a.type !== 'qident' && a.type !== 'number') throw this.expected('a hint argument');
                this.next();
                let v = a.value;
                while ((a.type === 'word' || a.type === 'qident') && this.atOp('.') && (this.peek(1).type === 'word' || this.peek(1).type === 'qident')) {
                  this.next();
                  v += '.' + this.next().value;
                }
                args.push(v);
              } while (this.eatOp(','));
              hint.args = args;
            }
          } else {
            hint.args = [];
          }
          this.expectOp(')', " or ','");
        }
        hints.push(hint);
      } while (this.eatOp(','));
      if (this.peek().type !== 'hintEnd') throw this.expected("'*/' closing the hint");
      this.next();
    }
    return hints;
  }

  // ───────────── queries ─────────────

  parseQuery(): A.Query {
    this.enter();
    try {
      return this.parseQueryInner();
    } finally {
      this.depth--;
    }
  }

  private parseQueryInner(): A.Query {
    const first = this.peek();
    const pos = this.pos(first);
    const ctes: A.Cte[] = [];
    if (this.eatWord('WITH')) {
      do {
        const ct = this.peek();
        const name = this.parseIdent('a common table expression name');
        const columns = this.atOp('(') ? this.parseIdentList() : undefined;
        this.expectWord('AS');
        this.expectOp('(');
        const query = this.parseQuery();
        this.expectOp(')');
        ctes.push({ name, ...(columns ? { columns } : {}), query, pos: this.pos(ct) });
      } while (this.eatOp(','));
    }
    const body = this.parseSetExpr(0);
    const q: A.Query = { kind: 'query', with: ctes, body, orderBy: [], pos };
    if (this.eatWordSeq('ORDER', 'BY')) q.orderBy = this.parseOrderItems();
    if (this.eatWord('LIMIT')) {
      q.limit = this.parseExpr();
      if (this.eatWord('OFFSET')) {
        q.offset = this.parseExpr();
        this.eatWord('ROW', 'ROWS');
      }
    } else if (this.eatWord('OFFSET')) {
      q.offset = this.parseExpr();
      this.eatWord('ROW', 'ROWS');
      if (this.eatWord('LIMIT')) q.limit = this.parseExpr();
      else if (this.atWord('FETCH')) q.limit = this.parseFetch();
    } else if (this.atWord('FETCH')) q.limit = this.parseFetch();
    return q;
  }

  private parseFetch(): A.Expr {
    this.expectWord('FETCH');
    if (!this.eatWord('FIRST', 'NEXT')) throw this.expected('FIRST or NEXT');
    const e = this.parseExpr();
    if (!this.eatWord('ROW', 'ROWS')) throw this.expected("'ROWS'");
    this.expectWord('ONLY');
    return e;
  }

  private parseOrderItems(): A.OrderItem[] {
    const items: A.OrderItem[] = [];
    do {
      const t = this.peek();
      const expr = this.parseExpr();
      let desc = false;
      if (this.eatWord('DESC')) desc = true;
      else this.eatWord('ASC');
      let nulls: 'FIRST' | 'LAST' | undefined;
      if (this.eatWord('NULLS')) {
        if (!this.atWord('FIRST', 'LAST')) throw this.expected('FIRST or LAST');
        nulls = this.next().upper as 'FIRST' | 'LAST';
      }
      items.push({ expr, desc, ...(nulls ? { nulls } : {}), pos: this.pos(t) });
    } while (this.eatOp(','));
    return items;
  }

  private parseSetExpr(minPrec: number): A.QueryBody {
    let left = this.parseQueryTerm();
    for (;;) {
      const t = this.peek();
      let op: A.SetOperation['op'];
      let prec: number;
      if (this.isWord(t, 'UNION')) (op = 'UNION'), (prec = 1);
      else if (this.isWord(t, 'EXCEPT', 'MINUS')) (op = 'EXCEPT'), (prec = 1);
      else if (this.isWord(t, 'INTERSECT')) (op = 'INTERSECT'), (prec = 2);
      else break;
      if (prec < minPrec) break;
      this.next();
      let all = false;
      if (this.eatWord('ALL')) all = true;
      else this.eatWord('DISTINCT');
      const right = this.parseSetExpr(prec + 1);
      left = { kind: 'setOp', op, all, left, right, pos: this.pos(t) };
    }
    return left;
  }

  private parseQueryTerm(): A.QueryBody {
    const t = this.peek();
    if (this.isWord(t, 'SELECT')) return this.parseSelect();
    if (this.isWord(t, 'VALUES')) return this.parseValues();
    if (t.type === 'op' && t.value === '(') {
      this.next();
      const q = this.parseQuery();
      this.expectOp(')');
      return isPlainQuery(q) ? q.body : q;
    }
    throw this.expected('SELECT, VALUES, WITH or \'(\'', t.type === 'word' ? suggestion(t.value, ['SELECT', 'VALUES', 'WITH']) : '');
  }

  private parseValues(): A.Values {
    const t = this.expectWord('VALUES');
    const rows: A.Expr[][] = [];
    do {
      if (this.atWord('ROW') && this.atOp('(', 1)) this.next();
      this.expectOp('(', ' (each VALUES row is parenthesised)');
      const row = [this.parseExpr()];
      while (this.eatOp(',')) row.push(this.parseExpr());
      this.expectOp(')', " or ','");
      rows.push(row);
    } while (this.eatOp(','));
    return { kind: 'values', rows, pos: this.pos(t) };
  }

  private parseSelect(): A.Select {
    const t = this.expectWord('SELECT');
    const hints = this.parseHints();
    let distinct = false;
    if (this.eatWord('DISTINCT')) distinct = true;
    else this.eatWord('ALL');
    const items: A.SelectItem[] = [];
    do items.push(this.parseSelectItem());
    while (this.eatOp(','));
    const sel: A.Select = { kind: 'select', distinct, hints, items, groupBy: [], windows: [], pos: this.pos(t) };
    if (this.eatWord('FROM')) sel.from = this.parseFrom();
    if (this.eatWord('WHERE')) sel.where = this.parseExpr();
    if (this.atWord('GROUP')) {
      this.next();
      this.expectWord('BY');
      sel.groupBy = this.parseGroupingElements();
    }
    if (this.eatWord('HAVING')) sel.having = this.parseExpr();
    if (this.eatWord('WINDOW')) {
      do {
        const wt = this.peek();
        const name = this.parseIdent('a window name');
        this.expectWord('AS');
        this.expectOp('(');
        const spec = this.parseWindowSpecBody(wt);
        sel.windows.push({ name, spec, pos: this.pos(wt) });
      } while (this.eatOp(','));
    }
    const after = this.peek();
    if (after.type === 'word' && !RESERVED.has(after.upper) && !sel.from) {
      throw this.expected("',', FROM or the end of the query", suggestion(after.value, CLAUSE_KEYWORDS));
    }
    return sel;
  }

  private parseSelectItem(): A.SelectItem {
    const t = this.peek();
    if (this.eatOp('*')) return { kind: 'wildcard', pos: this.pos(t) };
    // t.* / db.t.*
    if (t.type === 'word' || t.type === 'qident') {
      let k = 0;
      while ((this.peek(k).type === 'word' || this.peek(k).type === 'qident') && this.atOp('.', k + 1)) {
        if (this.atOp('*', k + 2)) {
          const qualifier = this.parseObjectName();
          this.expectOp('.');
          this.expectOp('*');
          return { kind: 'wildcard', qualifier, pos: this.pos(t) };
        }
        k += 2;
      }
    }
    const expr = this.parseExpr();
    const alias = this.parseOptionalAliasName();
    return { kind: 'expr', expr, ...(alias ? { alias } : {}), pos: this.pos(t) };
  }

  private parseOptionalAliasName(): A.Ident | undefined {
    if (this.eatWord('AS')) return this.parseIdent('an alias');
    if (canBeImplicitAlias(this.peek())) return this.parseIdent('an alias');
    return undefined;
  }

  private parseOptionalTableAlias(): A.TableAlias | undefined {
    const name = this.parseOptionalAliasName();
    if (!name) return undefined;
    if (this.atOp('(')) return { name, columns: this.parseIdentList() };
    return { name };
  }

  private parseGroupingElements(): A.GroupingElement[] {
    const out: A.GroupingElement[] = [];
    do out.push(this.parseGroupingElement());
    while (this.eatOp(','));
    return out;
  }

  private parseGroupingElement(): A.GroupingElement {
    const t = this.peek();
    const pos = this.pos(t);
    if (this.atWordSeq('GROUPING', 'SETS')) {
      this.next();
      this.next();
      this.expectOp('(');
      const sets = this.parseGroupingElements();
      this.expectOp(')', " or ','");
      return { kind: 'groupingSets', sets, pos };
    }
    if (this.atWord('ROLLUP', 'CUBE') && this.atOp('(', 1)) {
      const kind = this.next().upper === 'ROLLUP' ? 'rollup' : 'cube';
      this.expectOp('(');
      const items = [this.parseExpr()];
      while (this.eatOp(',')) items.push(this.parseExpr());
      this.expectOp(')', " or ','");
      return { kind, items, pos };
    }
    if (this.atOp('(') && this.atOp(')', 1)) {
      this.next();
      this.next();
      return { kind: 'expr', expr: { kind: 'row', explicit: false, items: [], pos }, pos };
    }
    return { kind: 'expr', expr: this.parseExpr(), pos };
  }

  // ───────────── FROM ─────────────

  private parseFrom(): A.TableRef {
    let left = this.parseTableFactor();
    for (;;) {
      const t = this.peek();
      const pos = this.pos(t);
      if (this.eatOp(',')) {
        const right = this.parseTableFactor();
        left = { kind: 'join', joinType: 'COMMA', natural: false, left, right, pos };
        continue;
      }
      if (this.atWordSeq('CROSS', 'JOIN')) {
        this.next();
        this.next();
        const right = this.parseTableFactor();
        left = { kind: 'join', joinType: 'CROSS', natural: false, left, right, pos };
        continue;
      }
      const natural = this.atWord('NATURAL');
      let k = natural ? 1 : 0;
      let joinType: A.JoinType | undefined;
      const w = this.peek(k);
      if (this.isWord(w, 'JOIN')) joinType = 'INNER';
      else if (this.isWord(w, 'INNER') && this.isWord(this.peek(k + 1), 'JOIN')) (joinType = 'INNER'), k++;
      else if (this.isWord(w, 'LEFT', 'RIGHT', 'FULL')) {
        joinType = w.upper as A.JoinType;
        k++;
        if (this.isWord(this.peek(k), 'OUTER')) k++;
        if (!this.isWord(this.peek(k), 'JOIN')) {
          for (let s = 0; s < k; s++) this.next();
          throw this.expected("'JOIN'");
        }
      }
      if (!joinType) {
        if (natural) {
          this.next();
          throw this.expected("'JOIN'");
        }
        break;
      }
      for (let s = 0; s <= k; s++) this.next(); // through JOIN
      const right = this.parseTableFactor();
      const j: A.JoinTableRef = { kind: 'join', joinType, natural, left, right, pos };
      if (!natural) {
        if (this.eatWord('ON')) j.on = this.parseExpr();
        else if (this.eatWord('USING')) j.using = this.parseIdentList();
        else throw this.expected('ON or USING', ' (a join needs a condition; use CROSS JOIN for none)');
      }
      left = j;
    }
    return left;
  }

  private parseTableFactor(): A.TableRef {
    this.enter();
    try {
      return this.parseTableFactorInner();
    } finally {
      this.depth--;
    }
  }

  private parseTableFactorInner(): A.TableRef {
    const t = this.peek();
    const pos = this.pos(t);
    if (this.atWord('LATERAL')) {
      this.next();
      if (this.atWord('TABLE')) {
        const ref = this.parseTableCall(true, t);
        return ref;
      }
      if (this.atOp('(')) {
        this.next();
        const query = this.parseQuery();
        this.expectOp(')');
        const alias = this.parseOptionalTableAlias();
        return { kind: 'subquery', lateral: true, query, ...(alias ? { alias } : {}), pos };
      }
      throw this.expected("TABLE(…) or '(' after LATERAL");
    }
    if (this.atWord('TABLE')) {
      if (!this.atOp('(', 1)) {
        this.next();
        throw this.expected("'('", ' (FROM TABLE(…) calls a table function such as TUMBLE)');
      }
      return this.parseTableCall(false, t);
    }
    if (this.atWord('UNNEST')) {
      this.next();
      this.expectOp('(');
      const args = [this.parseExpr()];
      while (this.eatOp(',')) args.push(this.parseExpr());
      this.expectOp(')', " or ','");
      const withOrdinality = this.eatWordSeq('WITH', 'ORDINALITY');
      const alias = this.parseOptionalTableAlias();
      return { kind: 'unnest', args, withOrdinality, ...(alias ? { alias } : {}), pos };
    }
    if (this.atOp('(')) {
      // A subquery, or a parenthesised join.
      const save = this.i;
      this.next();
      if (this.startsQuery(0)) {
        try {
          const query = this.parseQuery();
          this.expectOp(')');
          if (this.atWord('MATCH_RECOGNIZE')) return this.parseMatchRecognize({ kind: 'subquery', lateral: false, query, pos }, pos);
          const alias = this.parseOptionalTableAlias();
          this.checkMatchRecognize();
          return { kind: 'subquery', lateral: false, query, ...(alias ? { alias } : {}), pos };
        } catch (err) {
          // `((SELECT …) AS a JOIN b ON …)` starts like a subquery: try a parenthesised join.
          this.i = save + 1;
          try {
            const inner = this.parseFrom();
            this.expectOp(')');
            return inner;
          } catch {
            throw err;
          }
        }
      }
      const inner = this.parseFrom();
      this.expectOp(')');
      return inner;
    }
    const name = this.parseObjectName('a table name');
    const hints = this.parseHints();
    let forSystemTime: A.Expr | undefined;
    if (this.atWord('FOR')) {
      this.next();
      this.expectWord('SYSTEM_TIME');
      this.expectWords('AS', 'OF');
      forSystemTime = this.parseExpr();
    }
    if (this.atWord('MATCH_RECOGNIZE')) return this.parseMatchRecognize({ kind: 'table', name, hints, ...(forSystemTime ? { forSystemTime } : {}), pos }, pos);
    this.checkMatchRecognize();
    const alias = this.parseOptionalTableAlias();
    this.checkMatchRecognize();
    return { kind: 'table', name, hints, ...(forSystemTime ? { forSystemTime } : {}), ...(alias ? { alias } : {}), pos };
  }

  /** `MATCH_RECOGNIZE ( … ) [AS alias]` after a table or subquery. */
  private parseMatchRecognize(input: A.TableRef, pos: A.Pos): A.MatchRecognizeRef {
    this.expectWord('MATCH_RECOGNIZE');
    this.expectOp('(');
    let partitionBy: A.Expr[] = [];
    if (this.eatWordSeq('PARTITION', 'BY')) {
      partitionBy = [this.parseExpr()];
      while (this.eatOp(',')) partitionBy.push(this.parseExpr());
    }
    let orderBy: A.OrderItem[] = [];
    if (this.eatWordSeq('ORDER', 'BY')) orderBy = this.parseOrderItems();
    const measures: { expr: A.Expr; alias: A.Ident }[] = [];
    if (this.eatWord('MEASURES')) {
      do {
        // FINAL (the value at the end of the match, which is what ONE ROW PER MATCH gives anyway) is
        // accepted as in Flink 1.20; RUNNING is refused (Flink 1.20 plans it, then fails to run it).
        if (this.atWord('FINAL', 'RUNNING') && this.peek(1).type === 'word' && !this.isWord(this.peek(1), 'AS')) {
          const t = this.next();
          if (t.upper === 'RUNNING') throw new UnsupportedError('RUNNING in MATCH_RECOGNIZE MEASURES is not supported (Flink 1.20 cannot run it either); ONE ROW PER MATCH measures are FINAL', this.pos(t));
        }
        const expr = this.parseExpr();
        this.expectWord('AS', ' (each measure is `expression AS name`)');
        measures.push({ expr, alias: this.parseIdent('a measure name') });
      } while (this.eatOp(','));
    }
    let rowsPerMatch: 'ONE' | 'ALL' | undefined;
    if (this.atWord('ONE', 'ALL')) {
      rowsPerMatch = this.next().upper as 'ONE' | 'ALL';
      this.expectWords('ROW' + (rowsPerMatch === 'ALL' ? 'S' : ''), 'PER', 'MATCH');
    }
    let afterMatch: A.AfterMatchSkip | undefined;
    if (this.eatWordSeq('AFTER', 'MATCH')) {
      this.expectWord('SKIP');
      if (this.eatWord('PAST')) {
        this.expectWords('LAST', 'ROW');
        afterMatch = { kind: 'PAST LAST ROW' };
      } else {
        this.expectWord('TO', ' (AFTER MATCH SKIP PAST LAST ROW, TO NEXT ROW, TO FIRST v, TO LAST v or TO v)');
        if (this.atWordSeq('NEXT', 'ROW')) {
          this.next();
          this.next();
          afterMatch = { kind: 'TO NEXT ROW' };
        } else if (this.atWord('FIRST', 'LAST') && this.peek(1).type !== 'op') {
          const w = this.next().upper as 'FIRST' | 'LAST';
          afterMatch = { kind: `TO ${w}`, variable: this.parseIdent('a pattern variable'), written: `TO ${w}` };
        } else afterMatch = { kind: 'TO LAST', variable: this.parseIdent('a pattern variable'), written: 'TO' };
      }
    }
    this.expectWord('PATTERN');
    this.expectOp('(');
    const pattern = this.parsePatternAlt();
    this.expectOp(')', ' (closing the PATTERN)');
    let within: A.Expr | undefined;
    if (this.eatWord('WITHIN')) within = this.parseExpr();
    if (this.atWord('SUBSET')) throw this.unsupported('SUBSET in MATCH_RECOGNIZE is');
    this.expectWord('DEFINE', ' (MATCH_RECOGNIZE needs DEFINE after PATTERN)');
    const define: { name: A.Ident; expr: A.Expr }[] = [];
    do {
      const name = this.parseIdent('a pattern variable');
      this.expectWord('AS');
      define.push({ name, expr: this.parseExpr() });
    } while (this.eatOp(','));
    this.expectOp(')', " or ',' (closing MATCH_RECOGNIZE)");
    const alias = this.parseOptionalTableAlias();
    return { kind: 'matchRecognize', input, partitionBy, orderBy, measures, ...(rowsPerMatch ? { rowsPerMatch } : {}), ...(afterMatch ? { afterMatch } : {}), pattern, ...(within ? { within } : {}), define, ...(alias ? { alias } : {}), pos };
  }

  private parsePatternAlt(): A.PatternTerm {
    const items = [this.parsePatternSeq()];
    while (this.eatOp('|')) items.push(this.parsePatternSeq());
    return items.length === 1 ? items[0] : { kind: 'alt', items };
  }

  private parsePatternSeq(): A.PatternTerm {
    const items: A.PatternTerm[] = [];
    while (!this.atOp(')') && !this.atOp('|')) {
      if (this.atOp('{') && this.atOp('-', 1)) throw this.unsupported('Pattern exclusion {- … -} is');
      if (this.atWord('PERMUTE') && this.atOp('(', 1)) throw this.unsupported('PERMUTE in a pattern is');
      if (this.atOp('^')) throw this.unsupported('Pattern anchors ^ and $ are');
      let term: A.PatternTerm;
      if (this.eatOp('(')) {
        term = { kind: 'group', term: this.parsePatternAlt() };
        this.expectOp(')');
      } else term = { kind: 'var', name: this.parseIdent('a pattern variable') };
      items.push(this.parseQuantifier(term));
    }
    if (!items.length) throw this.expected('a pattern variable');
    return items.length === 1 ? items[0] : { kind: 'seq', items };
  }

  private parseQuantifier(term: A.PatternTerm): A.PatternTerm {
    let min: number;
    let max: number | undefined;
    let text: string;
    if (this.eatOp('*')) [min, max, text] = [0, undefined, '*'];
    else if (this.eatOp('+')) [min, max, text] = [1, undefined, '+'];
    else if (this.eatOp('?')) [min, max, text] = [0, 1, '?'];
    else if (this.atOp('{') && !this.atOp('-', 1)) {
      this.next();
      if (this.atOp(',')) {
        this.next();
        min = 0;
        max = this.parseIntLiteral('a repetition count');
        text = `{,${max}}`;
      } else {
        min = this.parseIntLiteral('a repetition count');
        if (this.eatOp(',')) {
          max = this.atOp('}') ? undefined : this.parseIntLiteral('a repetition count');
          text = `{${min},${max ?? ''}}`;
        } else [max, text] = [min, `{${min}}`];
      }
      this.expectOp('}');
      if (max !== undefined && max < min) throw this.expected(`a maximum of at least ${min} in ${text}`);
    } else return term;
    const reluctant = this.eatOp('?');
    return { kind: 'quant', term, min, max, reluctant, text: text + (reluctant ? '?' : '') };
  }

  private checkMatchRecognize(): void {
    if (this.atWord('MATCH_RECOGNIZE')) throw this.errorAt(this.peek(), 'MATCH_RECOGNIZE must follow the table directly, before its alias: FROM t MATCH_RECOGNIZE (…) AS x');
    if (this.atWord('TABLESAMPLE')) throw this.unsupported(`${this.peek().upper} is`);
  }

  /** `<what> not supported yet`, at the current token. */
  private unsupported(what: string): UnsupportedError {
    const p = this.pos();
    return new UnsupportedError(`${p.line}:${p.column}: ${what} not supported yet`, p);
  }

  /** `[LATERAL] TABLE(fn(…))`: a window TVF or a user table function. */
  private parseTableCall(lateral: boolean, first: Token): A.TableRef {
    const pos = this.pos(first);
    this.expectWord('TABLE');
    this.expectOp('(');
    const fnTok = this.peek();
    const name = this.parseObjectName('a table function name');
    let ref: A.TableRef;
    if (!lateral && name.parts.length === 1 && WINDOW_TVFS.has(name.parts[0].toUpperCase() as A.WindowTvfName) && this.atOp('(')) {
      ref = this.parseWindowTvf(name.parts[0].toUpperCase() as A.WindowTvfName, pos);
    } else {
      if (!this.atOp('(')) throw this.expected("'(' after the table function name");
      const call = this.parseCallRest(name, fnTok);
      ref = { kind: 'tableFunction', lateral, call, pos };
    }
    this.expectOp(')');
    const alias = this.parseOptionalTableAlias();
    if (alias) (ref as A.WindowTvfRef | A.TableFunctionRef).alias = alias;
    return ref;
  }

  private parseWindowTvf(fn: A.WindowTvfName, pos: A.Pos): A.WindowTvfRef {
    this.expectOp('(');
    const named = (this.peek().type === 'word' || this.peek().type === 'qident') && this.atOp('=>', 1);
    let table: A.ObjectName | undefined;
    let partitionBy: A.Expr[] = [];
    let timeCol: A.Ident | undefined;
    const args: A.WindowTvfArgs = {};
    const parseTableArg = () => {
      this.expectWord('TABLE', ` (the first argument of ${fn} is TABLE <name>)`);
      table = this.parseObjectName('a table name');
      if (this.eatWord('PARTITION')) {
        this.expectWord('BY');
        if (this.eatOp('(')) {
          partitionBy = [this.parseExpr()];
          while (this.eatOp(',')) partitionBy.push(this.parseExpr());
          this.expectOp(')', " or ','");
        } else partitionBy = [this.parseExpr()];
      }
    };
    const parseDescriptor = () => {
      this.expectWord('DESCRIPTOR', ` (the time attribute argument of ${fn} is DESCRIPTOR(<column>))`);
      this.expectOp('(');
      timeCol = this.parseIdent('the time attribute column');
      this.expectOp(')');
    };
    const intervalNames: (keyof A.WindowTvfArgs)[] =
      fn === 'TUMBLE' ? ['size', 'offset'] : fn === 'HOP' ? ['slide', 'size', 'offset'] : fn === 'CUMULATE' ? ['step', 'size', 'offset'] : ['gap'];
    const required = intervalNames.filter((n) => n !== 'offset');
    if (named) {
      const seen = new Set<string>();
      const slots = ['DATA', 'TIMECOL', ...intervalNames.map((n) => n.toUpperCase())];
      do {
        const nt = this.peek();
        let argName: string;
        if ((nt.type === 'word' || nt.type === 'qident') && this.atOp('=>', 1)) {
          argName = nt.value.toUpperCase();
          this.next();
          this.next();
        } else {
          // a positional argument after named ones takes the next free slot
          const free = slots.find((n) => !seen.has(n));
          if (!free) throw this.errorAt(nt, `${fn} takes at most ${slots.length} arguments`);
          argName = free;
        }
        if (seen.has(argName)) throw this.errorAt(nt, `argument ${argName} given twice`);
        seen.add(argName);
        if (argName === 'DATA') parseTableArg();
        else if (argName === 'TIMECOL') parseDescriptor();
        else if (intervalNames.includes(argName.toLowerCase() as keyof A.WindowTvfArgs)) args[argName.toLowerCase() as keyof A.WindowTvfArgs] = this.parseExpr();
        else {
          const valid = ['DATA', 'TIMECOL', ...intervalNames.map((n) => n.toUpperCase())];
          throw this.errorAt(nt, `${fn} has no argument ${argName}; its arguments are ${valid.join(', ')}${suggestion(argName, valid)}`);
        }
      } while (this.eatOp(','));
      const closeTok = this.peek();
      const missing = ['DATA', 'TIMECOL', ...required.map((n) => n.toUpperCase())].filter((n) => !seen.has(n));
      if (missing.length > 0 && this.atOp(')')) throw this.errorAt(closeTok, `${fn} is missing argument ${missing.join(', ')}`);
    } else {
      parseTableArg();
      this.expectOp(',', ` (${fn} needs DESCRIPTOR(<time column>) next)`);
      parseDescriptor();
      for (const n of intervalNames) {
        if (n === 'offset') {
          if (this.eatOp(',')) args.offset = this.parseExpr();
          break;
        }
        this.expectOp(',', ` (${fn} needs its ${n.toUpperCase()} interval)`);
        args[n] = this.parseExpr();
      }
    }
    this.expectOp(')');
    return { kind: 'windowTvf', fn, table: table!, partitionBy, timeCol: timeCol!, args, named, pos };
  }

  // ───────────── types ─────────────

  parseType(): LogicalType {
    this.enter();
    try {
      return this.parseTypeInner();
    } finally {
      this.depth--;
    }
  }

  private parseTypeInner(): LogicalType {
    let t = this.parseBaseType();
    for (;;) {
      if (this.atWordSeq('NOT', 'NULL')) {
        this.next();
        this.next();
        t = { ...t, nullable: false } as LogicalType;
      } else if (this.atWord('NULL') && !this.isWord(this.peek(1), 'ON')) {
        // (`RETURNING INT NULL ON EMPTY` is a JSON clause, not nullability)
        this.next();
        t = { ...t, nullable: true } as LogicalType;
      } else if (this.atWord('ARRAY') && !this.atOp('<', 1)) {
        this.next();
        t = { kind: 'ARRAY', element: t, nullable: true };
      } else if (this.atWord('MULTISET')) {
        throw this.unsupported('MULTISET types are');
      } else break;
    }
    return t;
  }

  private parseOptPrecision(): number[] | undefined {
    if (!this.atOp('(')) return undefined;
    this.next();
    const nums = [this.parseIntLiteral('a length or precision')];
    while (this.eatOp(',')) nums.push(this.parseIntLiteral('a scale'));
    this.expectOp(')');
    return nums;
  }

  private parseIntLiteral(what: string): number {
    const t = this.peek();
    if (t.type !== 'number' || !/^\d+$/.test(t.value)) throw this.expected(what);
    this.next();
    return Number(t.value);
  }

  private checkRange(v: number, lo: number, hi: number, what: string, at: Token): number {
    if (v < lo || v > hi) throw this.errorAt(at, `${what} must be between ${lo} and ${hi}, found ${v}`);
    return v;
  }

  private parseBaseType(): LogicalType {
    const t = this.peek();
    if (t.type !== 'word') throw this.expected('a data type');
    this.next();
    const nullable = true;
    const precArgs = (max: number): number[] | undefined => {
      const at = this.peek();
      const p = this.parseOptPrecision();
      if (p && p.length > max) throw this.errorAt(at, `${t.upper} takes at most ${max} parameter${max === 1 ? '' : 's'}`);
      return p;
    };
    switch (t.upper) {
      case 'BOOLEAN':
        return { kind: 'BOOLEAN', nullable };
      case 'TINYINT':
      case 'SMALLINT':
      case 'BIGINT':
      case 'FLOAT':
      case 'DOUBLE':
        if (t.upper === 'DOUBLE') this.eatWord('PRECISION');
        return { kind: t.upper, nullable };
      case 'INT':
      case 'INTEGER':
        return { kind: 'INT', nullable };
      case 'REAL':
        return { kind: 'FLOAT', nullable };
      case 'DECIMAL':
      case 'DEC':
      case 'NUMERIC': {
        const at = this.peek();
        const p = precArgs(2);
        const precision = p ? this.checkRange(p[0], 1, 38, 'DECIMAL precision', at) : 10;
        const scale = p && p.length > 1 ? this.checkRange(p[1], 0, precision, 'DECIMAL scale', at) : 0;
        return { kind: 'DECIMAL', precision, scale, nullable };
      }
      case 'STRING':
        return { kind: 'VARCHAR', length: MAX_LENGTH, nullable };
      case 'BYTES':
        return { kind: 'VARBINARY', length: MAX_LENGTH, nullable };
      case 'VARCHAR':
      case 'CHAR':
      case 'CHARACTER':
      case 'BINARY':
      case 'VARBINARY': {
        let kind: 'VARCHAR' | 'CHAR' | 'BINARY' | 'VARBINARY' = t.upper === 'CHARACTER' ? 'CHAR' : t.upper;
        if ((kind === 'CHAR' || kind === 'BINARY') && this.eatWord('VARYING')) kind = kind === 'CHAR' ? 'VARCHAR' : 'VARBINARY';
        const at = this.peek();
        const p = precArgs(1);
        // Without a length VARCHAR is STRING in Flink 1.20 (asked: a column declared VARCHAR is STRING there), the others have length 1.
        const length = p ? this.checkRange(p[0], 1, MAX_LENGTH, `${kind} length`, at) : kind === 'VARCHAR' ? MAX_LENGTH : 1;
        return kind === 'VARCHAR' || kind === 'CHAR' ? { kind, length, nullable } : { kind, length, nullable };
      }
      case 'DATE':
        return { kind: 'DATE', nullable };
      case 'TIME': {
        const at = this.peek();
        const p = precArgs(1);
        if (p) this.checkRange(p[0], 0, 9, 'TIME precision', at);
        this.eatWordSeq('WITHOUT', 'TIME', 'ZONE');
        // Flink 1.20's planner supports no fraction of a second for TIME: a TIME(p) column, cast or
        // field is TIME(0) there (DESCRIBE says TIME(0), values are read to the second).
        return { kind: 'TIME', precision: 0, nullable };
      }
      case 'TIMESTAMP': {
        const at = this.peek();
        const p = precArgs(1);
        const precision = p ? this.checkRange(p[0], 0, 9, 'TIMESTAMP precision', at) : 6;
        if (this.eatWordSeq('WITH', 'LOCAL', 'TIME', 'ZONE')) return { kind: 'TIMESTAMP_LTZ', precision, nullable };
        if (this.atWordSeq('WITH', 'TIME', 'ZONE')) {
          throw this.errorAt(this.peek(), 'TIMESTAMP WITH TIME ZONE is not supported by Flink: use TIMESTAMP_LTZ or TIMESTAMP WITH LOCAL TIME ZONE');
        }
        this.eatWordSeq('WITHOUT', 'TIME', 'ZONE');
        return { kind: 'TIMESTAMP', precision, nullable };
      }
      case 'TIMESTAMP_LTZ': {
        const at = this.peek();
        const p = precArgs(1);
        const precision = p ? this.checkRange(p[0], 0, 9, 'TIMESTAMP_LTZ precision', at) : 6;
        return { kind: 'TIMESTAMP_LTZ', precision, nullable };
      }
      case 'INTERVAL': {
        const q = this.parseIntervalQualifier();
        return { kind: isYearMonth(q) ? 'INTERVAL_YEAR_MONTH' : 'INTERVAL_DAY_TIME', nullable };
      }
      case 'ARRAY': {
        this.expectOp('<', ' (ARRAY<element type>)');
        const element = this.parseType();
        this.expectOp('>');
        return { kind: 'ARRAY', element, nullable };
      }
      case 'MAP': {
        this.expectOp('<', ' (MAP<key type, value type>)');
        const key = this.parseType();
        this.expectOp(',');
        const value = this.parseType();
        this.expectOp('>');
        return { kind: 'MAP', key, value, nullable };
      }
      case 'ROW': {
        if (this.eatOp('<>')) return { kind: 'ROW', fields: [], nullable };
        const close = this.atOp('<') ? '>' : this.atOp('(') ? ')' : undefined;
        if (!close) throw this.expected("'<' or '('", ' (ROW<name type, …>)');
        this.next();
        const fields: Field[] = [];
        if (!this.atOp(close)) {
          const names = new Set<string>();
          do {
            const nt = this.peek();
            const name = this.parseIdent('a field name');
            if (names.has(name.value)) throw this.errorAt(nt, `duplicate field name '${name.value}' in ROW type`);
            names.add(name.value);
            const type = this.parseType();
            if (this.peek().type === 'string') this.next(); // field description: not kept
            fields.push({ name: name.value, type });
          } while (this.eatOp(','));
        }
        this.expectOp(close, " or ','");
        return { kind: 'ROW', fields, nullable };
      }
      case 'MULTISET':
      case 'RAW':
        throw new UnsupportedError(`${this.pos(t).line}:${this.pos(t).column}: ${t.upper} types are not supported yet`, this.pos(t));
      default:
        throw this.errorAt(t, `unknown data type '${t.value}'${suggestion(t.value, TYPE_NAMES)}`);
    }
  }

  private parseTimeUnit(allowed: Set<A.TimeUnit> | undefined, what: string): A.TimeUnit {
    const t = this.peek();
    const unit = t.type === 'word' ? TIME_UNITS[t.upper] : undefined;
    if (!unit || (allowed && !allowed.has(unit))) {
      const names = allowed ? [...allowed] : Object.values(TIME_UNITS);
      throw this.expected(what, t.type === 'word' ? suggestion(t.value, [...new Set(names)]) : '');
    }
    this.next();
    return unit;
  }

  private parseIntervalQualifier(): A.IntervalQualifier {
    const startTok = this.peek();
    const start = this.parseTimeUnit(INTERVAL_UNITS, 'an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)');
    const q: A.IntervalQualifier = { start };
    if (this.atOp('(')) {
      this.next();
      q.startPrecision = this.parseIntLiteral('a precision');
      if (start === 'SECOND' && this.eatOp(',')) q.fractionalPrecision = this.parseIntLiteral('a fractional precision');
      this.expectOp(')');
    }
    if (this.atWord('TO')) {
      this.next();
      const end = this.parseTimeUnit(INTERVAL_UNITS, 'an interval unit');
      if (!INTERVAL_RANGES.has(`${start}-${end}`)) {
        throw this.map.error(`invalid interval qualifier ${start} TO ${end}`, startTok.start, this.prev().end);
      }
      q.end = end;
      if (end === 'SECOND' && this.atOp('(')) {
        this.next();
        q.fractionalPrecision = this.parseIntLiteral('a fractional precision');
        this.expectOp(')');
      }
    }
    return q;
  }

  // ───────────── expressions ─────────────

  parseExpr(minPrec = 0): A.Expr {
    this.enter();
    try {
      return this.parseExprInner(minPrec);
    } finally {
      this.depth--;
    }
  }

  /** Guards the recursion: absurdly nested input is a syntax error, not a stack overflow. */
  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      throw this.errorAt(this.peek(), `the statement is nested too deeply (more than ${MAX_DEPTH} levels)`);
    }
  }

  private parseExprInner(minPrec: number): A.Expr {
    let left = this.parsePrefix();
    for (;;) {
      const t = this.peek();
      const pos = left.pos;
      if (t.type === 'op') {
        const op = t.value;
        if (op === '[' && PREC.POSTFIX >= minPrec) {
          this.next();
          const index = this.parseExpr();
          this.expectOp(']');
          left = { kind: 'subscript', operand: left, index, pos };
          continue;
        }
        if (op === '.' && PREC.POSTFIX >= minPrec && (this.peek(1).type === 'word' || this.peek(1).type === 'qident')) {
          this.next();
          const field = this.parseIdentAfterDot();
          left = { kind: 'fieldAccess', operand: left, field, pos };
          continue;
        }
        let prec: number | undefined;
        let bop: A.BinaryOp | undefined;
        if (COMPARISON_OPS.has(op)) (prec = PREC.COMPARISON), (bop = (op === '!=' ? '<>' : op) as A.BinaryOp);
        else if (op === '+' || op === '-') (prec = PREC.ADDITIVE), (bop = op);
        else if (op === '*' || op === '/' || op === '%' || op === '||') (prec = PREC.MULTIPLICATIVE), (bop = op);
        if (prec === undefined || bop === undefined || prec < minPrec) break;
        this.next();
        if (prec === PREC.COMPARISON && this.atWord('ANY', 'SOME', 'ALL') && this.atOp('(', 1)) {
          throw this.unsupported(`quantified comparisons (${op} ${this.peek().upper} (…)) are`);
        }
        const right = this.parseExpr(prec + 1);
        left = { kind: 'binary', op: bop, left, right, pos };
        continue;
      }
      if (t.type !== 'word') break;
      const w = t.upper;
      if (w === 'OR' || w === 'AND') {
        const prec = w === 'OR' ? PREC.OR : PREC.AND;
        if (prec < minPrec) break;
        this.next();
        const right = this.parseExpr(prec + 1);
        left = { kind: 'binary', op: w, left, right, pos };
        continue;
      }
      if (w === 'OVERLAPS') {
        if (PREC.COMPARISON < minPrec) break;
        this.next();
        const right = this.parseExpr(PREC.COMPARISON + 1);
        left = { kind: 'binary', op: 'OVERLAPS', left, right, pos };
        continue;
      }
      if (w === 'IS') {
        if (PREC.IS < minPrec) break;
        this.next();
        const negated = this.eatWord('NOT');
        if (this.eatWord('JSON')) {
          const kind = this.atWord('VALUE', 'OBJECT', 'ARRAY', 'SCALAR') ? this.next().upper : 'VALUE';
          left = { kind: 'is', negated, test: `JSON ${kind}` as A.IsExpr['test'], operand: left, pos };
          continue;
        }
        if (this.eatWord('DISTINCT')) {
          this.expectWord('FROM');
          const right = this.parseExpr(PREC.COMPARISON + 1);
          left = { kind: 'isDistinctFrom', negated, left, right, pos };
          continue;
        }
        if (!this.atWord('NULL', 'TRUE', 'FALSE', 'UNKNOWN')) throw this.expected('NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS');
        const test = this.next().upper as A.IsExpr['test'];
        left = { kind: 'is', negated, test, operand: left, pos };
        continue;
      }
      let negated = false;
      let k = 0;
      if (w === 'NOT') {
        const n1 = this.peek(1);
        if (!this.isWord(n1, 'BETWEEN', 'IN', 'LIKE', 'SIMILAR')) break;
        negated = true;
        k = 1;
      }
      const op = this.peek(k);
      if (!this.isWord(op, 'BETWEEN', 'IN', 'LIKE', 'SIMILAR')) break;
      if (PREC.BETWEEN < minPrec) break;
      for (let s = 0; s <= k; s++) this.next();
      switch (op.upper) {
        case 'BETWEEN': {
          let symmetric = false;
          if (this.eatWord('SYMMETRIC')) symmetric = true;
          else this.eatWord('ASYMMETRIC');
          const low = this.parseExpr(PREC.BETWEEN + 1);
          this.expectWord('AND', ' (BETWEEN low AND high)');
          const high = this.parseExpr(PREC.BETWEEN + 1);
          left = { kind: 'between', negated, symmetric, operand: left, low, high, pos };
          break;
        }
        case 'IN': {
          this.expectOp('(', ' (IN (value, …) or IN (SELECT …))');
          if (this.startsQuery(0)) {
            const query = this.parseQuery();
            this.expectOp(')');
            left = { kind: 'inSubquery', negated, operand: left, query, pos };
          } else {
            const list = [this.parseExpr()];
            while (this.eatOp(',')) list.push(this.parseExpr());
            this.expectOp(')', " or ','");
            left = { kind: 'inList', negated, operand: left, list, pos };
          }
          break;
        }
        case 'LIKE':
        case 'SIMILAR': {
          let likeOp: A.LikeExpr['op'] = 'LIKE';
          if (op.upper === 'SIMILAR') {
            this.expectWord('TO');
            likeOp = 'SIMILAR TO';
          }
          const pattern = this.parseExpr(PREC.BETWEEN + 1);
          const like: A.LikeExpr = { kind: 'like', op: likeOp, negated, operand: left, pattern, pos };
          if (this.eatWord('ESCAPE')) like.escape = this.parseExpr(PREC.BETWEEN + 1);
          left = like;
          break;
        }
      }
    }
    return left;
  }

  private parsePrefix(): A.Expr {
    const t = this.peek();
    const pos = this.pos(t);
    switch (t.type) {
      case 'number': {
        this.next();
        const numberKind = /[eE]/.test(t.value) ? 'approx' : t.value.includes('.') ? 'decimal' : 'integer';
        return { kind: 'literal', type: 'number', value: Number(t.value), text: t.value, numberKind, pos };
      }
      case 'string':
        this.next();
        return { kind: 'literal', type: 'string', value: t.value, pos };
      case 'binary':
        this.next();
        return { kind: 'literal', type: 'binary', value: t.value.toUpperCase(), pos };
      case 'qident':
        return this.parseNameOrCall();
      case 'op': {
        if (t.value === '(') {
          this.next();
          if (this.startsQuery(0)) {
            const query = this.parseQuery();
            this.expectOp(')');
            return { kind: 'scalarSubquery', query, pos };
          }
          const items = [this.parseExpr()];
          while (this.eatOp(',')) items.push(this.parseExpr());
          this.expectOp(')', items.length > 1 ? " or ','" : '');
          return items.length === 1 ? items[0] : { kind: 'row', explicit: false, items, pos };
        }
        if (t.value === '-' || t.value === '+') {
          this.next();
          const operand = this.parseExpr(PREC.UNARY + 1);
          return { kind: 'unary', op: t.value, operand, pos };
        }
        throw this.expected('an expression');
      }
      case 'word':
        break;
      default:
        throw this.expected('an expression');
    }
    const w = t.upper;
    const nextTok = this.peek(1);
    const nextIsParen = nextTok.type === 'op' && nextTok.value === '(';
    switch (w) {
      case 'NOT': {
        this.next();
        const operand = this.parseExpr(PREC.NOT + 1);
        return { kind: 'unary', op: 'NOT', operand, pos };
      }
      case 'TRUE':
      case 'FALSE':
        this.next();
        return { kind: 'literal', type: 'boolean', value: w === 'TRUE', pos };
      case 'NULL':
        this.next();
        return { kind: 'literal', type: 'null', value: null, pos };
      case 'EXISTS': {
        this.next();
        this.expectOp('(');
        if (!this.startsQuery(0)) throw this.expected("'SELECT'", ' (EXISTS takes a subquery)');
        const query = this.parseQuery();
        this.expectOp(')');
        return { kind: 'exists', query, pos };
      }
      case 'CASE':
        return this.parseCase();
      case 'CAST':
      case 'TRY_CAST': {
        this.next();
        this.expectOp('(');
        const operand = this.parseExpr();
        this.expectWord('AS', ` (${w}(value AS type))`);
        const type = this.parseType();
        this.expectOp(')');
        return { kind: 'cast', try: w === 'TRY_CAST', operand, type, pos };
      }
      case 'INTERVAL':
        return this.parseIntervalLiteral();
      case 'DATE':
      case 'TIME':
      case 'TIMESTAMP':
        if (nextTok.type === 'string') return this.parseTypedLiteral();
        break;
      case 'ARRAY':
        if (nextTok.type === 'op' && nextTok.value === '[') {
          this.next();
          this.next();
          const items: A.Expr[] = [];
          if (!this.atOp(']')) {
            do items.push(this.parseExpr());
            while (this.eatOp(','));
          }
          this.expectOp(']', items.length ? " or ','" : '');
          return { kind: 'array', items, pos };
        }
        break;
      case 'MAP':
        if (nextTok.type === 'op' && nextTok.value === '[') {
          this.next();
          const open = this.next();
          const items: A.Expr[] = [];
          if (!this.atOp(']')) {
            do items.push(this.parseExpr());
            while (this.eatOp(','));
          }
          const close = this.expectOp(']', items.length ? " or ','" : '');
          if (items.length % 2 !== 0) throw this.map.error('MAP[…] needs key, value pairs: an even number of items', open.start, close.end);
          const entries: [A.Expr, A.Expr][] = [];
          for (let k = 0; k < items.length; k += 2) entries.push([items[k], items[k + 1]]);
          return { kind: 'map', entries, pos };
        }
        break;
      case 'ROW':
        if (nextIsParen) {
          this.next();
          this.next();
          const items: A.Expr[] = [];
          if (!this.atOp(')')) {
            do items.push(this.parseExpr());
            while (this.eatOp(','));
          }
          this.expectOp(')', items.length ? " or ','" : '');
          return { kind: 'row', explicit: true, items, pos };
        }
        break;
      case 'EXTRACT':
        if (nextIsParen) {
          this.next();
          this.next();
          const unit = this.parseTimeUnit(undefined, 'a time unit such as HOUR');
          this.expectWord('FROM', ' (EXTRACT(unit FROM value))');
          const operand = this.parseExpr();
          this.expectOp(')');
          return { kind: 'extract', unit, operand, pos };
        }
        break;
      case 'FLOOR':
      case 'CEIL':
      case 'CEILING':
        if (nextIsParen) {
          const save = this.i;
          this.next();
          this.next();
          const operand = this.parseExpr();
          if (this.eatWord('TO')) {
            const unit = this.parseTimeUnit(FLOOR_UNITS, 'a time unit such as MINUTE');
            this.expectOp(')');
            return { kind: 'floorCeil', fn: w === 'FLOOR' ? 'FLOOR' : 'CEIL', operand, unit, pos };
          }
          this.i = save;
        }
        break;
      case 'POSITION':
        if (nextIsParen) {
          this.next();
          this.next();
          const needle = this.parseExpr(PREC.BETWEEN + 1);
          this.expectWord('IN', ' (POSITION(needle IN haystack))');
          const haystack = this.parseExpr();
          this.expectOp(')');
          return { kind: 'position', needle, haystack, pos };
        }
        break;
      case 'TRIM':
        if (nextIsParen) {
          this.next();
          this.next();
          let where: A.TrimExpr['where'] = 'BOTH';
          let explicitWhere = false;
          if (this.atWord('BOTH', 'LEADING', 'TRAILING')) {
            where = this.next().upper as A.TrimExpr['where'];
            explicitWhere = true;
          }
          let chars: A.Expr | undefined;
          let operand: A.Expr;
          if (this.eatWord('FROM')) {
            operand = this.parseExpr();
          } else {
            const first = this.parseExpr();
            if (this.eatWord('FROM')) {
              chars = first;
              operand = this.parseExpr();
            } else {
              if (explicitWhere) throw this.expected("'FROM'", ` (TRIM(${where} [characters] FROM value))`);
              operand = first;
            }
          }
          this.expectOp(')');
          return { kind: 'trim', where, ...(chars ? { chars } : {}), operand, pos };
        }
        break;
      case 'SUBSTRING':
        if (nextIsParen) {
          this.next();
          this.next();
          const operand = this.parseExpr();
          let start: A.Expr;
          let length: A.Expr | undefined;
          if (this.eatWord('FROM')) {
            start = this.parseExpr();
            if (this.eatWord('FOR')) length = this.parseExpr();
          } else {
            this.expectOp(',', ' or FROM (SUBSTRING(value FROM start [FOR length]))');
            start = this.parseExpr();
            if (this.eatOp(',')) length = this.parseExpr();
          }
          this.expectOp(')');
          return { kind: 'substring', operand, start, ...(length ? { length } : {}), pos };
        }
        break;
      case 'OVERLAY':
        if (nextIsParen) {
          this.next();
          this.next();
          const operand = this.parseExpr();
          this.expectWord('PLACING', ' (OVERLAY(value PLACING replacement FROM start [FOR length]))');
          const placing = this.parseExpr();
          this.expectWord('FROM');
          const start = this.parseExpr();
          let length: A.Expr | undefined;
          if (this.eatWord('FOR')) length = this.parseExpr();
          this.expectOp(')');
          return { kind: 'overlay', operand, placing, start, ...(length ? { length } : {}), pos };
        }
        break;
      default:
        if (NILADIC_FUNCTIONS.has(w) && !nextIsParen && !(nextTok.type === 'op' && nextTok.value === '.')) {
          this.next();
          return { kind: 'call', name: { parts: [t.value], quoted: [false], pos }, args: [], distinct: false, star: false, noParens: true, pos };
        }
    }
    if (RESERVED.has(w) && !((w === 'LEFT' || w === 'RIGHT') && nextIsParen)) {
      throw this.expected('an expression');
    }
    return this.parseNameOrCall();
  }

  /** A (possibly dotted) column reference, or a function call `name(…)`. */
  private parseNameOrCall(): A.Expr {
    const first = this.peek();
    const pos = this.pos(first);
    const parts = [first.value];
    const quoted = [first.type === 'qident'];
    this.next();
    while (this.atOp('.') && (this.peek(1).type === 'word' || this.peek(1).type === 'qident')) {
      this.next();
      const p = this.next();
      parts.push(p.value);
      quoted.push(p.type === 'qident');
    }
    if (this.atOp('(')) return this.parseCallRest({ parts, quoted, pos }, first);
    return { kind: 'ident', parts, quoted, pos };
  }

  /** From `(` of a call: arguments, then FILTER (WHERE …) and OVER …. */
  parseCallRest(name: A.ObjectName, first: Token): A.CallExpr {
    const pos = this.pos(first);
    this.expectOp('(');
    const call: A.CallExpr = { kind: 'call', name, args: [], distinct: false, star: false, noParens: false, pos };
    const jsonFn = name.parts.length === 1 && !name.quoted[0] ? name.parts[0].toUpperCase() : '';
    if (JSON_FUNCTIONS.has(jsonFn)) {
      this.parseJsonCallArgs(jsonFn, call);
    } else if (this.atOp('*') && this.atOp(')', 1)) {
      this.next();
      call.star = true;
    } else if (!this.atOp(')')) {
      if (this.eatWord('DISTINCT')) call.distinct = true;
      else this.eatWord('ALL');
      do call.args.push(this.parseExpr());
      while (this.eatOp(','));
    }
    this.expectOp(')', call.args.length ? " or ','" : '');
    if (this.atWord('FILTER') && this.atOp('(', 1) && this.isWord(this.peek(2), 'WHERE')) {
      this.next();
      this.next();
      this.next();
      call.filter = this.parseExpr();
      this.expectOp(')');
    }
    if (this.atWord('OVER')) {
      const ot = this.next();
      if (this.eatOp('(')) call.over = this.parseWindowSpecBody(ot);
      else {
        const ref = this.parseIdent("a window name or '('");
        call.over = { ref, bareRef: true, partitionBy: [], orderBy: [], pos: this.pos(ot) };
      }
    }
    return call;
  }

  /** The arguments and SQL/JSON clauses of a JSON function, up to (not including) `)`. */
  private parseJsonCallArgs(fn: string, call: A.CallExpr): void {
    const json: A.JsonClauses = {};
    const isObject = fn === 'JSON_OBJECT' || fn === 'JSON_OBJECTAGG';
    const atOnNull = () => (this.atWord('NULL', 'ABSENT') && this.atWordSeq(this.peek().upper, 'ON', 'NULL'));
    if (isObject || fn === 'JSON_ARRAY' || fn === 'JSON_ARRAYAGG') {
      if (!this.atOp(')') && !atOnNull()) {
        do {
          if (isObject) {
            this.eatWord('KEY');
            call.args.push(this.parseExpr());
            this.expectWord('VALUE', ` (${fn}(KEY key VALUE value, …))`);
          }
          call.args.push(this.parseExpr());
        } while (this.eatOp(','));
      }
      if (atOnNull()) {
        json.onNull = this.next().upper as 'NULL' | 'ABSENT';
        this.next();
        this.next();
      }
    } else {
      call.args.push(this.parseExpr());
      this.expectOp(',', ` (${fn}(value, path …))`);
      call.args.push(this.parseExpr());
      if (fn !== 'JSON_EXISTS' && this.eatWord('RETURNING')) json.returning = this.parseType();
      if (fn === 'JSON_QUERY') {
        if (this.eatWord('WITHOUT')) {
          this.eatWord('ARRAY');
          this.expectWord('WRAPPER');
          json.wrapper = 'WITHOUT';
        } else if (this.atWord('WITH') && this.isWord(this.peek(1), 'CONDITIONAL', 'UNCONDITIONAL', 'ARRAY', 'WRAPPER')) {
          this.next();
          json.wrapper = this.eatWord('CONDITIONAL') ? 'WITH CONDITIONAL' : 'WITH UNCONDITIONAL';
          this.eatWord('UNCONDITIONAL');
          this.eatWord('ARRAY');
          this.expectWord('WRAPPER');
        }
      }
      for (;;) {
        let b: A.JsonBehavior;
        if (this.atWord('NULL', 'ERROR', 'TRUE', 'FALSE', 'UNKNOWN')) b = { kind: this.next().upper as 'NULL' };
        else if (this.atWordSeq('EMPTY', 'ARRAY') || this.atWordSeq('EMPTY', 'OBJECT')) {
          this.next();
          b = { kind: this.next().upper === 'ARRAY' ? 'EMPTY ARRAY' : 'EMPTY OBJECT' };
        } else if (this.eatWord('DEFAULT')) b = { kind: 'DEFAULT', value: this.parseExpr() };
        else break;
        this.expectWord('ON', ' (… ON EMPTY or … ON ERROR)');
        if (this.atWord('EMPTY') && fn !== 'JSON_EXISTS' && !json.onEmpty && !json.onError) json.onEmpty = b;
        else if (this.atWord('ERROR') && !json.onError) json.onError = b;
        else throw this.expected(json.onEmpty || fn === 'JSON_EXISTS' ? "'ERROR'" : 'EMPTY or ERROR');
        this.next();
      }
    }
    if (Object.keys(json).length) call.json = json;
  }

  /** After `(` of OVER ( … ) or WINDOW w AS ( … ), through the closing `)`. */
  private parseWindowSpecBody(first: Token): A.WindowSpec {
    const spec: A.WindowSpec = { bareRef: false, partitionBy: [], orderBy: [], pos: this.pos(first) };
    if ((this.peek().type === 'qident' || (this.peek().type === 'word' && !this.atWord('PARTITION', 'ORDER', 'ROWS', 'RANGE'))) && !this.atOp(')')) {
      spec.ref = this.parseIdent('a window name, PARTITION BY, ORDER BY, ROWS or RANGE');
    }
    if (this.atWord('PARTITION')) {
      this.next();
      this.expectWord('BY');
      do spec.partitionBy.push(this.parseExpr());
      while (this.eatOp(','));
    }
    if (this.atWord('ORDER')) {
      this.next();
      this.expectWord('BY');
      spec.orderBy = this.parseOrderItems();
    }
    if (this.atWord('ROWS', 'RANGE')) {
      const units = this.next().upper as 'ROWS' | 'RANGE';
      if (this.eatWord('BETWEEN')) {
        const start = this.parseFrameBound();
        this.expectWord('AND');
        const end = this.parseFrameBound();
        spec.frame = { units, start, end };
      } else spec.frame = { units, start: this.parseFrameBound() };
    }
    this.expectOp(')', spec.frame ? '' : spec.orderBy.length ? " or ROWS/RANGE" : '');
    return spec;
  }

  private parseFrameBound(): A.FrameBound {
    if (this.eatWord('UNBOUNDED')) {
      if (this.eatWord('PRECEDING')) return { kind: 'unboundedPreceding' };
      if (this.eatWord('FOLLOWING')) return { kind: 'unboundedFollowing' };
      throw this.expected('PRECEDING or FOLLOWING');
    }
    if (this.eatWordSeq('CURRENT', 'ROW')) return { kind: 'currentRow' };
    const offset = this.parseExpr(PREC.AND + 1);
    if (this.eatWord('PRECEDING')) return { kind: 'preceding', offset };
    if (this.eatWord('FOLLOWING')) return { kind: 'following', offset };
    throw this.expected('PRECEDING or FOLLOWING');
  }

  private parseCase(): A.CaseExpr {
    const t = this.expectWord('CASE');
    const c: A.CaseExpr = { kind: 'case', whens: [], pos: this.pos(t) };
    if (!this.atWord('WHEN')) c.operand = this.parseExpr();
    if (!this.atWord('WHEN')) throw this.expected("'WHEN'");
    while (this.eatWord('WHEN')) {
      const when = this.parseExpr();
      this.expectWord('THEN');
      const then = this.parseExpr();
      c.whens.push({ when, then });
    }
    if (this.eatWord('ELSE')) c.else = this.parseExpr();
    this.expectWord('END', c.else ? ' (CASE … END)' : '');
    return c;
  }

  private parseTypedLiteral(): A.LiteralExpr {
    const t = this.next();
    const pos = this.pos(t);
    const s = this.next();
    const text = s.value;
    switch (t.upper) {
      case 'DATE': {
        const v = dateLiteralValue(text);
        if (v === undefined) throw this.errorAt(s, `invalid DATE literal '${text}': expected 'YYYY-MM-DD'`);
        return { kind: 'literal', type: 'date', value: v, text, pos };
      }
      case 'TIME': {
        const v = timeLiteralValue(text);
        if (!v) throw this.errorAt(s, `invalid TIME literal '${text}': expected 'HH:MM:SS[.fraction]'`);
        return { kind: 'literal', type: 'time', value: v.value, precision: v.precision, text, pos };
      }
      default: {
        const v = timestampLiteralValue(text);
        if (!v) throw this.errorAt(s, `invalid TIMESTAMP literal '${text}': expected 'YYYY-MM-DD HH:MM:SS[.fraction]'`);
        return { kind: 'literal', type: 'timestamp', value: v.value, precision: v.precision, text, pos };
      }
    }
  }

  /**
   * Calcite's (so Flink's) limits on an interval literal: the leading field has at most
   * startPrecision digits (default 2, at most 10: `INTERVAL '365' DAY` needs DAY(3)), and the
   * seconds' fraction at most fractionalPrecision digits (default 6).
   */
  private checkIntervalPrecision(s: Token, text: string, q: A.IntervalQualifier): void {
    const unit = q.end ? `${q.start} TO ${q.end}` : q.start;
    const p = q.startPrecision ?? 2;
    if (p < 1 || p > 10) throw this.errorAt(s, `interval leading field precision '${p}' out of range for INTERVAL ${q.start}(${p})`);
    const f = q.fractionalPrecision ?? 6;
    if (f < 0 || f > 9) throw this.errorAt(s, `interval fractional second precision '${f}' out of range for INTERVAL ${unit}`);
    const body = text.trim().replace(/^[+-]\s*/, '');
    const lead = /^\d+/.exec(body);
    if (!lead) return; // not a number: intervalValue's error
    const v = BigInt(lead[0]);
    const limit = p < 10 ? 10n ** BigInt(p) : 2147483648n;
    if (v >= limit) {
      throw this.errorAt(s, `interval field value ${text.trim().startsWith('-') ? '-' : ''}${v} exceeds precision of ${q.start}(${p}) field`);
    }
    if ((q.start === 'SECOND' || q.end === 'SECOND') && new RegExp(`\\.\\d{${f + 1},}$`).test(body)) {
      throw this.errorAt(s, `illegal interval literal format '${s.value}' for INTERVAL ${unit}: at most ${f} fraction digits`);
    }
  }

  private parseIntervalLiteral(): A.IntervalLiteral {
    const t = this.expectWord('INTERVAL');
    const pos = this.pos(t);
    let sign = '';
    if (this.atOp('-') || this.atOp('+')) sign = this.next().value;
    const s = this.peek();
    if (s.type !== 'string') throw this.expected("a quoted interval value such as '5'", " (INTERVAL '5' SECOND)");
    this.next();
    let text = s.value;
    if (sign === '-') text = text.startsWith('-') ? text.slice(1) : text.startsWith('+') ? '-' + text.slice(1) : '-' + text;
    const qualifier = this.parseIntervalQualifier();
    this.checkIntervalPrecision(s, text, qualifier);
    const v = intervalValue(text, qualifier);
    if (v === undefined) {
      const unit = qualifier.end ? `${qualifier.start} TO ${qualifier.end}` : qualifier.start;
      throw this.errorAt(s, `invalid interval value '${s.value}' for ${unit}`);
    }
    return { kind: 'literal', type: 'interval', text, qualifier, yearMonth: isYearMonth(qualifier), value: v, pos };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function isPlainQuery(q: A.Query): boolean {
  return q.with.length === 0 && q.orderBy.length === 0 && q.limit === undefined && q.offset === undefined;
}

function isYearMonth(q: A.IntervalQualifier): boolean {
  return q.start === 'YEAR' || q.start === 'MONTH' || q.start === 'QUARTER';
}

function identToName(i: A.Ident): A.ObjectName {
  return { parts: [i.value], quoted: [i.quoted], pos: i.pos };
}

// ───────────── public entry points ─────────────

/** Every statement of a file or shell buffer; positions are in the whole input. */
export function parseStatements(sql: string): A.Statement[] {
  return new Parser(sql).parseStatements();
}

/** Exactly one statement (a trailing `;` is allowed). */
export function parseStatement(sql: string): A.Statement {
  const p = new Parser(sql);
  while (p.eatOp(';'));
  if (p.atEof()) throw p.expected('a statement');
  const s = p.parseStatement();
  while (p.eatOp(';'));
  if (!p.atEof()) throw p.expected('end of input', ' (only one statement was expected)');
  return s;
}

/** One expression, e.g. a computed column or a watermark delay. */
export function parseExpression(sql: string): A.Expr {
  const p = new Parser(sql);
  const e = p.parseExpr();
  if (!p.atEof()) throw p.expected('end of expression');
  return e;
}

/** One data type, e.g. `TIMESTAMP(3) NOT NULL` or `ROW<a INT, b ARRAY<STRING>>`. */
export function parseDataType(sql: string): LogicalType {
  const p = new Parser(sql);
  const t = p.parseType();
  if (!p.atEof()) throw p.expected('end of data type');
  return t;
}

