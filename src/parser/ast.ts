// The syntax tree of tsstream's Flink SQL dialect: what the parser produces and the planner binds.
// Every concept is one closed union discriminated by `kind`; every node carries the `pos`
// (1-based line/column and 0-based offset in the whole input) of its first token.
//
// Conventions the planner can rely on:
// - Names keep their source spelling (Flink identifiers are case-sensitive; keywords and
//   function names are not). `quoted[i]` says whether part i was written in back-quotes; it
//   only matters for printing.
// - A dotted name in an expression (`a.b.c`) is one `ident` node with all parts: whether `a`
//   is a table alias, a column of ROW type, … is for the binder to decide (as in Calcite).
// - Data types are `LogicalType` values (src/common/types.ts), already normalised
//   (STRING → VARCHAR(MAX_LENGTH), INTEGER → INT, TIMESTAMP → TIMESTAMP(6), …).
// - Literal values are decoded: numbers as JS numbers (plus their source text), strings
//   unescaped, DATE as days since the epoch, TIME as microseconds of the day, TIMESTAMP as
//   microseconds since the epoch (wall clock in UTC terms), INTERVAL as microseconds
//   (day-time) or months (year-month) — the runtime representations of src/common/types.ts.
// - Surface variants with one meaning are normalised: `!=` → `<>`, `SUBSTRING(s, a, b)` and
//   `SUBSTRING(s FROM a FOR b)` → `substring`, inline `PRIMARY KEY` → table-level primaryKey,
//   `FETCH FIRST n ROWS ONLY` → limit, `DESC t` → describe, `EXIT` → quit, `MINUS` → EXCEPT,
//   `CEILING(x TO u)` → floorCeil CEIL, `(SELECT …)` without ORDER BY/LIMIT/WITH inside a set
//   operation → its body, `WITH WRAPPER` → 'WITH UNCONDITIONAL', plural interval units → singular.
import type { SourcePosition } from '../common/errors.js';
import type { LogicalType } from '../common/types.js';

export type Pos = SourcePosition;

/** Offsets [start, end) of a statement's text in the whole input (without its `;`). */
export interface Span {
  start: number;
  end: number;
}

/** A single name: a column, an alias, a catalog, an option-less object. */
export interface Ident {
  value: string;
  quoted: boolean;
  pos: Pos;
}

/** A possibly qualified object name: `t`, `db.t`, `catalog.db.t`. */
export interface ObjectName {
  parts: string[];
  quoted: boolean[];
  pos: Pos;
}

/** `key = value` pairs of WITH (…), SET, OPTIONS hints, in source order. */
export type Options = [string, string][];

// ───────────────────────────── statements ─────────────────────────────

interface StatementBase {
  pos: Pos;
  span: Span;
}

export type Statement =
  | CreateTableStatement
  | CreateViewStatement
  | CreateCatalogStatement
  | CreateDatabaseStatement
  | CreateFunctionStatement
  | DropStatement
  | AlterTableStatement
  | UseCatalogStatement
  | UseDatabaseStatement
  | SetStatement
  | ResetStatement
  | ShowStatement
  | ShowCreateStatement
  | DescribeStatement
  | ExplainStatement
  | InsertStatement
  | StatementSetStatement
  | BeginStatementSetStatement
  | EndStatement
  | QueryStatement
  | StopJobStatement
  | DescribeJobStatement
  | CallProcedureStatement
  | OptimizeStatement
  | VacuumStatement
  | AddJarStatement
  | RemoveJarStatement
  | HelpStatement
  | QuitStatement
  | ClearStatement;

export type StatementKind = Statement['kind'];

/** A column of CREATE TABLE. */
export type ColumnDef = PhysicalColumn | ComputedColumn | MetadataColumn;

/** `name TYPE [COMMENT '…']` */
export interface PhysicalColumn {
  kind: 'physical';
  name: Ident;
  type: LogicalType;
  comment?: string;
  pos: Pos;
}

/** `name AS expr [COMMENT '…']` — computed on read, not stored. */
export interface ComputedColumn {
  kind: 'computed';
  name: Ident;
  expr: Expr;
  comment?: string;
  pos: Pos;
}

/** `name TYPE METADATA [FROM 'key'] [VIRTUAL] [COMMENT '…']` — from the connector's metadata. */
export interface MetadataColumn {
  kind: 'metadata';
  name: Ident;
  type: LogicalType;
  /** The metadata key when it differs from the column name. */
  from?: string;
  /** VIRTUAL columns are read-only: not written by INSERT. */
  virtual: boolean;
  comment?: string;
  pos: Pos;
}

/** `WATERMARK FOR column AS expr` */
export interface WatermarkDef {
  column: Ident;
  expr: Expr;
  pos: Pos;
}

/** `[CONSTRAINT name] PRIMARY KEY (a, b) NOT ENFORCED` (also written inline after a column). */
export interface PrimaryKeyDef {
  name?: Ident;
  columns: Ident[];
  /** Flink only accepts NOT ENFORCED; kept to print it back. */
  enforced: false;
  pos: Pos;
}

/** `LIKE source [(INCLUDING ALL | EXCLUDING OPTIONS | …)]` */
export interface LikeClause {
  source: ObjectName;
  options: LikeOption[];
  pos: Pos;
}

export interface LikeOption {
  mode: 'INCLUDING' | 'EXCLUDING' | 'OVERWRITING';
  feature: 'ALL' | 'CONSTRAINTS' | 'PARTITIONS' | 'WATERMARKS' | 'GENERATED' | 'METADATA' | 'OPTIONS';
}

export interface CreateTableStatement extends StatementBase {
  kind: 'createTable';
  name: ObjectName;
  /** `CREATE OR REPLACE TABLE … AS SELECT` (replace table as select); absent otherwise. */
  orReplace?: true;
  temporary: boolean;
  ifNotExists: boolean;
  columns: ColumnDef[];
  watermark?: WatermarkDef;
  primaryKey?: PrimaryKeyDef;
  comment?: string;
  partitionedBy: Ident[];
  options: Options;
  like?: LikeClause;
  /** CREATE TABLE … AS SELECT */
  asQuery?: Query;
}

export interface CreateViewStatement extends StatementBase {
  kind: 'createView';
  name: ObjectName;
  temporary: boolean;
  ifNotExists: boolean;
  columns?: Ident[];
  comment?: string;
  query: Query;
}

export interface CreateCatalogStatement extends StatementBase {
  kind: 'createCatalog';
  name: Ident;
  ifNotExists: boolean;
  comment?: string;
  options: Options;
}

export interface CreateDatabaseStatement extends StatementBase {
  kind: 'createDatabase';
  /** `db` or `catalog.db` */
  name: ObjectName;
  ifNotExists: boolean;
  comment?: string;
  options: Options;
}

/** `CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] name AS 'class' [LANGUAGE JAVA|SCALA|PYTHON|JAVASCRIPT]` (JAVASCRIPT: 'class' is a module path) */
export interface CreateFunctionStatement extends StatementBase {
  kind: 'createFunction';
  name: ObjectName;
  temporary: boolean;
  system: boolean;
  ifNotExists: boolean;
  className: string;
  language?: 'JAVA' | 'SCALA' | 'PYTHON' | 'JAVASCRIPT';
}

export interface DropStatement extends StatementBase {
  kind: 'drop';
  objectType: 'TABLE' | 'VIEW' | 'DATABASE' | 'CATALOG' | 'FUNCTION';
  name: ObjectName;
  ifExists: boolean;
  temporary: boolean;
  /** DROP FUNCTION: TEMPORARY SYSTEM FUNCTION */
  system: boolean;
  /** DROP DATABASE … CASCADE / RESTRICT */
  behavior?: 'CASCADE' | 'RESTRICT';
}

export interface AlterTableStatement extends StatementBase {
  kind: 'alterTable';
  name: ObjectName;
  ifExists: boolean;
  action: AlterTableAction;
}

export type AlterTableAction =
  | { kind: 'setOptions'; options: Options }
  | { kind: 'resetOptions'; keys: string[] }
  | { kind: 'rename'; newName: ObjectName }
  /** `ADD (c TYPE [COMMENT '…'] [FIRST | AFTER x], …)` or `ADD c TYPE …` */
  | { kind: 'addColumns'; columns: AlterColumn[] }
  /** `MODIFY (c TYPE …, …)` or `MODIFY c TYPE …`: a new type (promotion), comment or position */
  | { kind: 'modifyColumns'; columns: AlterColumn[] }
  /** `DROP c`, `DROP COLUMN c` or `DROP (a, b)` */
  | { kind: 'dropColumns'; names: Ident[] }
  /** `RENAME a TO b` (a column) */
  | { kind: 'renameColumn'; from: Ident; to: Ident };

/** A column of ALTER TABLE … ADD / MODIFY, with its position. */
export interface AlterColumn {
  column: PhysicalColumn;
  position?: { kind: 'first' } | { kind: 'after'; column: Ident };
}

/** `USE CATALOG c` */
export interface UseCatalogStatement extends StatementBase {
  kind: 'useCatalog';
  name: Ident;
}

/** `USE db` or `USE catalog.db` */
export interface UseDatabaseStatement extends StatementBase {
  kind: 'useDatabase';
  name: ObjectName;
}

/** `SET` (list all) or `SET 'key' = 'value'` */
export interface SetStatement extends StatementBase {
  kind: 'set';
  key?: string;
  value?: string;
}

/** `RESET` (all) or `RESET 'key'` */
export interface ResetStatement extends StatementBase {
  kind: 'reset';
  key?: string;
}

export type ShowObject =
  | 'CATALOGS'
  | 'DATABASES'
  | 'TABLES'
  | 'VIEWS'
  | 'FUNCTIONS'
  | 'USER FUNCTIONS'
  | 'JOBS'
  | 'MODULES'
  | 'FULL MODULES'
  | 'JARS'
  | 'CURRENT CATALOG'
  | 'CURRENT DATABASE'
  | 'COLUMNS';

/** `SHOW TABLES [FROM|IN db] [[NOT] LIKE 'pattern']`, `SHOW COLUMNS FROM t`, … */
export interface ShowStatement extends StatementBase {
  kind: 'show';
  object: ShowObject;
  from?: ObjectName;
  /** Whether it was written `IN` rather than `FROM` (printing only). */
  fromKeyword?: 'FROM' | 'IN';
  like?: { not: boolean; ilike: boolean; pattern: string };
}

/** `SHOW CREATE TABLE t` / `SHOW CREATE VIEW v` */
export interface ShowCreateStatement extends StatementBase {
  kind: 'showCreate';
  objectType: 'TABLE' | 'VIEW';
  name: ObjectName;
}

/** `DESCRIBE [EXTENDED] t` / `DESC t` */
export interface DescribeStatement extends StatementBase {
  kind: 'describe';
  name: ObjectName;
  extended: boolean;
}

export type ExplainDetail = 'ESTIMATED_COST' | 'CHANGELOG_MODE' | 'JSON_EXECUTION_PLAN' | 'PLAN_ADVICE';

/** `EXPLAIN [PLAN FOR] stmt` / `EXPLAIN detail, … stmt` */
export interface ExplainStatement extends StatementBase {
  kind: 'explain';
  planFor: boolean;
  details: ExplainDetail[];
  statement: InsertStatement | QueryStatement | StatementSetStatement;
}

/** `INSERT INTO|OVERWRITE t [PARTITION (k = v, …)] [(cols)] query` */
export interface InsertStatement extends StatementBase {
  kind: 'insert';
  overwrite: boolean;
  table: ObjectName;
  /** OPTIONS hints on the target table. */
  hints: Hint[];
  /** Static partition values: `PARTITION (dt = '2024-01-01')`. */
  partition: { column: Ident; value: Expr }[];
  columns?: Ident[];
  query: Query;
}

/** `EXECUTE STATEMENT SET BEGIN insert; insert; END` (one statement) */
export interface StatementSetStatement extends StatementBase {
  kind: 'statementSet';
  statements: InsertStatement[];
}

/** The sql-client's older form: `BEGIN STATEMENT SET;` … inserts … `END;` as separate statements. */
export interface BeginStatementSetStatement extends StatementBase {
  kind: 'beginStatementSet';
}

export interface EndStatement extends StatementBase {
  kind: 'end';
}

/** A query on its own: SELECT, VALUES, WITH …, set operations. */
export interface QueryStatement extends StatementBase {
  kind: 'queryStatement';
  query: Query;
}

/** `STOP JOB 'id' [WITH SAVEPOINT] [WITH DRAIN]` */
/** `DESCRIBE JOB '<id>'`: a job's id, name, status and start time. */
export interface DescribeJobStatement extends StatementBase {
  kind: 'describeJob';
  jobId: string;
}

export interface StopJobStatement extends StatementBase {
  kind: 'stopJob';
  jobId: string;
  withSavepoint: boolean;
  withDrain: boolean;
}

/**
 * `CALL [catalog.][db.]procedure(arg, name => arg, …)` — Flink's stored procedures, e.g. table
 * maintenance: `CALL iceberg_catalog.system.rewrite_data_files(table => 'demo.events')`.
 */
export interface CallProcedureStatement extends StatementBase {
  kind: 'callProcedure';
  name: ObjectName;
  args: { name?: Ident; value: Expr }[];
}

/**
 * Athena's `OPTIMIZE t REWRITE DATA USING BIN_PACK [WHERE predicate]`: bin-pack compaction of an
 * Iceberg table's small data files (the rewrite_data_files procedure); the predicate selects
 * partitions by the table's identity partition columns.
 */
export interface OptimizeStatement extends StatementBase {
  kind: 'optimize';
  table: ObjectName;
  where?: Expr;
}

/** Athena's `VACUUM t`: expire snapshots by the table's history.expire.* properties, then remove orphan files. */
export interface VacuumStatement extends StatementBase {
  kind: 'vacuum';
  table: ObjectName;
}

/** `ADD JAR '/path/x.jar'` — from Flink files; tsstream has no JVM, so a session ignores or warns. */
export interface AddJarStatement extends StatementBase {
  kind: 'addJar';
  path: string;
}

/** `REMOVE JAR '/path/x.jar'` */
export interface RemoveJarStatement extends StatementBase {
  kind: 'removeJar';
  path: string;
}

export interface HelpStatement extends StatementBase {
  kind: 'help';
}

/** `QUIT` or `EXIT` */
export interface QuitStatement extends StatementBase {
  kind: 'quit';
}

export interface ClearStatement extends StatementBase {
  kind: 'clear';
}

// ───────────────────────────── queries ─────────────────────────────

/** A full query: `[WITH …] body [ORDER BY …] [LIMIT n] [OFFSET m]`. */
export interface Query {
  kind: 'query';
  with: Cte[];
  body: QueryBody;
  orderBy: OrderItem[];
  limit?: Expr;
  offset?: Expr;
  pos: Pos;
}

/** `name [(col, …)] AS (query)` */
export interface Cte {
  name: Ident;
  columns?: Ident[];
  query: Query;
  pos: Pos;
}

/** A parenthesised query inside a set operation is a nested `Query`. */
export type QueryBody = Select | SetOperation | Values | Query;

export interface SetOperation {
  kind: 'setOp';
  op: 'UNION' | 'INTERSECT' | 'EXCEPT';
  all: boolean;
  left: QueryBody;
  right: QueryBody;
  pos: Pos;
}

/** `VALUES (1, 'a'), (2, 'b')` — each row a list of expressions. */
export interface Values {
  kind: 'values';
  rows: Expr[][];
  pos: Pos;
}

export interface Select {
  kind: 'select';
  distinct: boolean;
  /** Query hints: `SELECT /*+ STATE_TTL('t' = '1d') *\/ …` */
  hints: Hint[];
  items: SelectItem[];
  from?: TableRef;
  where?: Expr;
  groupBy: GroupingElement[];
  having?: Expr;
  /** `WINDOW w AS (…)` named window specs for OVER w. */
  windows: NamedWindow[];
  pos: Pos;
}

export type SelectItem =
  | { kind: 'expr'; expr: Expr; alias?: Ident; pos: Pos }
  /** `*` or `t.*` */
  | { kind: 'wildcard'; qualifier?: ObjectName; pos: Pos };

export interface OrderItem {
  expr: Expr;
  desc: boolean;
  nulls?: 'FIRST' | 'LAST';
  pos: Pos;
}

/**
 * One GROUP BY element. In GROUPING SETS, `(a, b)` is a `row` expression and `()` a row
 * with no items (the grand total).
 */
export type GroupingElement =
  | { kind: 'expr'; expr: Expr; pos: Pos }
  | { kind: 'groupingSets'; sets: GroupingElement[]; pos: Pos }
  | { kind: 'rollup'; items: Expr[]; pos: Pos }
  | { kind: 'cube'; items: Expr[]; pos: Pos };

export interface NamedWindow {
  name: Ident;
  spec: WindowSpec;
  pos: Pos;
}

/** `/*+ NAME('k' = 'v', …) *\/` or `/*+ NAME(a, b) *\/` */
export interface Hint {
  name: string;
  /** Key-value form, e.g. OPTIONS('scan.startup.mode' = 'latest-offset'). */
  options?: Options;
  /** List form, e.g. BROADCAST(t1, t2). */
  args?: string[];
  pos: Pos;
}

/** `AS alias [(c1, c2)]` */
export interface TableAlias {
  name: Ident;
  columns?: Ident[];
}

export type TableRef = NamedTableRef | SubqueryTableRef | JoinTableRef | WindowTvfRef | TableFunctionRef | UnnestTableRef | MatchRecognizeRef;

/** `catalog.db.t [/*+ OPTIONS(…) *\/] [FOR SYSTEM_TIME AS OF expr] [AS alias]` */
export interface NamedTableRef {
  kind: 'table';
  name: ObjectName;
  hints: Hint[];
  /** Temporal (lookup / versioned) join: `FOR SYSTEM_TIME AS OF o.proc_time`. */
  forSystemTime?: Expr;
  alias?: TableAlias;
  pos: Pos;
}

/** `[LATERAL] (query) [AS alias]` */
export interface SubqueryTableRef {
  kind: 'subquery';
  lateral: boolean;
  query: Query;
  alias?: TableAlias;
  pos: Pos;
}

/** COMMA is `FROM a, b` (a cross join, or a correlated LATERAL/UNNEST). */
export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS' | 'COMMA';

export interface JoinTableRef {
  kind: 'join';
  joinType: JoinType;
  natural: boolean;
  left: TableRef;
  right: TableRef;
  on?: Expr;
  using?: Ident[];
  pos: Pos;
}

export type WindowTvfName = 'TUMBLE' | 'HOP' | 'CUMULATE' | 'SESSION';

/**
 * `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE [, offset]))` and HOP
 * (slide, size), CUMULATE (step, size), SESSION (TABLE t [PARTITION BY k], DESCRIPTOR(ts), gap),
 * positional or named (`DATA => TABLE t, TIMECOL => DESCRIPTOR(ts), SIZE => …`).
 * The interval arguments are expressions (normally interval literals).
 */
export interface WindowTvfRef {
  kind: 'windowTvf';
  fn: WindowTvfName;
  table: ObjectName;
  /** SESSION(TABLE t PARTITION BY a, b, …) */
  partitionBy: Expr[];
  timeCol: Ident;
  args: WindowTvfArgs;
  /** Written with `NAME => value` arguments (printing only). */
  named: boolean;
  alias?: TableAlias;
  pos: Pos;
}

export interface WindowTvfArgs {
  size?: Expr;
  slide?: Expr;
  step?: Expr;
  gap?: Expr;
  offset?: Expr;
}

/** `[LATERAL] TABLE(f(x)) [AS T(a, b)]` — a user table function. */
export interface TableFunctionRef {
  kind: 'tableFunction';
  lateral: boolean;
  call: CallExpr;
  alias?: TableAlias;
  pos: Pos;
}

/** `UNNEST(arr) [WITH ORDINALITY] [AS t(x)]` */
export interface UnnestTableRef {
  kind: 'unnest';
  args: Expr[];
  withOrdinality: boolean;
  alias?: TableAlias;
  pos: Pos;
}

/**
 * `t MATCH_RECOGNIZE (PARTITION BY … ORDER BY … MEASURES e AS m, … [ONE ROW PER MATCH]
 * [AFTER MATCH SKIP …] PATTERN (…) [WITHIN interval] DEFINE v AS cond, …) [AS alias]`
 */
export interface MatchRecognizeRef {
  kind: 'matchRecognize';
  input: TableRef;
  partitionBy: Expr[];
  orderBy: OrderItem[];
  measures: { expr: Expr; alias: Ident }[];
  rowsPerMatch?: 'ONE' | 'ALL';
  afterMatch?: AfterMatchSkip;
  pattern: PatternTerm;
  within?: Expr;
  define: { name: Ident; expr: Expr }[];
  alias?: TableAlias;
  pos: Pos;
}

export type AfterMatchSkip =
  | { kind: 'PAST LAST ROW' }
  | { kind: 'TO NEXT ROW' }
  | { kind: 'TO FIRST' | 'TO LAST'; variable: Ident; written: 'TO FIRST' | 'TO LAST' | 'TO' };

/** A row pattern: variables, concatenation, alternation, groups and quantifiers. */
export type PatternTerm =
  | { kind: 'var'; name: Ident }
  | { kind: 'seq'; items: PatternTerm[] }
  | { kind: 'alt'; items: PatternTerm[] }
  | { kind: 'group'; term: PatternTerm }
  /** `max` undefined: unbounded. `text`: the quantifier as written (`+`, `{2,}`, `*?`). */
  | { kind: 'quant'; term: PatternTerm; min: number; max?: number; reluctant: boolean; text: string };

// ───────────────────────────── expressions ─────────────────────────────

export type Expr =
  | IdentExpr
  | LiteralExpr
  | UnaryExpr
  | BinaryExpr
  | IsExpr
  | IsDistinctFromExpr
  | BetweenExpr
  | LikeExpr
  | InListExpr
  | InSubqueryExpr
  | ExistsExpr
  | ScalarSubqueryExpr
  | CastExpr
  | CaseExpr
  | CallExpr
  | ExtractExpr
  | FloorCeilExpr
  | PositionExpr
  | TrimExpr
  | SubstringExpr
  | OverlayExpr
  | SubscriptExpr
  | FieldAccessExpr
  | RowExpr
  | ArrayExpr
  | MapExpr;

export type ExprKind = Expr['kind'];

/** A column or a dotted path `t.col`, `db.t.col`, `col.field`. */
export interface IdentExpr {
  kind: 'ident';
  parts: string[];
  quoted: boolean[];
  pos: Pos;
}

export type LiteralExpr =
  | { kind: 'literal'; type: 'string'; value: string; pos: Pos }
  /**
   * `numberKind`: integer (`42`), decimal (`4.2`), approx (`4.2E1`). `text` is the source
   * spelling, exact even where `value` is not (integers above 2^53, long decimals).
   */
  | { kind: 'literal'; type: 'number'; value: number; text: string; numberKind: 'integer' | 'decimal' | 'approx'; pos: Pos }
  | { kind: 'literal'; type: 'boolean'; value: boolean; pos: Pos }
  | { kind: 'literal'; type: 'null'; value: null; pos: Pos }
  /** `X'0AFF'`: value is the hex digits. */
  | { kind: 'literal'; type: 'binary'; value: string; pos: Pos }
  /** `DATE '2024-01-31'`: value is days since 1970-01-01. */
  | { kind: 'literal'; type: 'date'; value: number; text: string; pos: Pos }
  /** `TIME '10:00:00.123'`: value is microseconds of the day; precision from the text. */
  | { kind: 'literal'; type: 'time'; value: number; text: string; precision: number; pos: Pos }
  /** `TIMESTAMP '2024-01-31 10:00:00'`: microseconds since the epoch, wall clock read as UTC (nanoseconds, a bigint, with 7..9 fraction digits). */
  | { kind: 'literal'; type: 'timestamp'; value: number | bigint; text: string; precision: number; pos: Pos }
  | IntervalLiteral;

export type TimeUnit =
  | 'YEAR'
  | 'QUARTER'
  | 'MONTH'
  | 'WEEK'
  | 'DAY'
  | 'HOUR'
  | 'MINUTE'
  | 'SECOND'
  | 'MILLISECOND'
  | 'MICROSECOND'
  | 'NANOSECOND'
  | 'DOW'
  | 'DOY'
  | 'ISODOW'
  | 'ISOYEAR'
  | 'EPOCH'
  | 'DECADE'
  | 'CENTURY'
  | 'MILLENNIUM';

/** `YEAR`, `DAY(2) TO SECOND(3)`, `MINUTE TO SECOND`, … */
export interface IntervalQualifier {
  start: TimeUnit;
  startPrecision?: number;
  end?: TimeUnit;
  fractionalPrecision?: number;
}

/**
 * `INTERVAL '5' SECOND`, `INTERVAL '1:30' MINUTE TO SECOND`, `INTERVAL '-2' DAY`.
 * `value` is microseconds when `yearMonth` is false, months when it is true.
 */
export interface IntervalLiteral {
  kind: 'literal';
  type: 'interval';
  text: string;
  qualifier: IntervalQualifier;
  yearMonth: boolean;
  value: number;
  pos: Pos;
}

export type UnaryOp = '-' | '+' | 'NOT';

export interface UnaryExpr {
  kind: 'unary';
  op: UnaryOp;
  operand: Expr;
  pos: Pos;
}

/** OVERLAPS: `(start, end|interval) OVERLAPS (start, end|interval)` between two row constructors. */
export type BinaryOp = 'OR' | 'AND' | '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | '||' | 'OVERLAPS';

export interface BinaryExpr {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  pos: Pos;
}

/** `x IS [NOT] NULL | TRUE | FALSE | UNKNOWN` */
export interface IsExpr {
  kind: 'is';
  negated: boolean;
  /** `IS JSON [VALUE|OBJECT|ARRAY|SCALAR]` too (plain `IS JSON` is 'JSON VALUE'). */
  test: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN' | 'JSON VALUE' | 'JSON OBJECT' | 'JSON ARRAY' | 'JSON SCALAR';
  operand: Expr;
  pos: Pos;
}

/** `a IS [NOT] DISTINCT FROM b` */
export interface IsDistinctFromExpr {
  kind: 'isDistinctFrom';
  negated: boolean;
  left: Expr;
  right: Expr;
  pos: Pos;
}

/** `x [NOT] BETWEEN [SYMMETRIC] low AND high` */
export interface BetweenExpr {
  kind: 'between';
  negated: boolean;
  symmetric: boolean;
  operand: Expr;
  low: Expr;
  high: Expr;
  pos: Pos;
}

/** `x [NOT] LIKE|SIMILAR TO pattern [ESCAPE 'c']` */
export interface LikeExpr {
  kind: 'like';
  op: 'LIKE' | 'SIMILAR TO';
  negated: boolean;
  operand: Expr;
  pattern: Expr;
  escape?: Expr;
  pos: Pos;
}

/** `x [NOT] IN (a, b, c)` */
export interface InListExpr {
  kind: 'inList';
  negated: boolean;
  operand: Expr;
  list: Expr[];
  pos: Pos;
}

/** `x [NOT] IN (SELECT …)` */
export interface InSubqueryExpr {
  kind: 'inSubquery';
  negated: boolean;
  operand: Expr;
  query: Query;
  pos: Pos;
}

/** `EXISTS (SELECT …)` (NOT EXISTS is a unary NOT around it) */
export interface ExistsExpr {
  kind: 'exists';
  query: Query;
  pos: Pos;
}

/** `(SELECT …)` used as a value */
export interface ScalarSubqueryExpr {
  kind: 'scalarSubquery';
  query: Query;
  pos: Pos;
}

/** `CAST(x AS type)` / `TRY_CAST(x AS type)` */
export interface CastExpr {
  kind: 'cast';
  try: boolean;
  operand: Expr;
  type: LogicalType;
  pos: Pos;
}

/** `CASE [operand] WHEN … THEN … [ELSE …] END` */
export interface CaseExpr {
  kind: 'case';
  operand?: Expr;
  whens: { when: Expr; then: Expr }[];
  else?: Expr;
  pos: Pos;
}

/**
 * A function call: `f(a, b)`, `COUNT(*)` (star), `COUNT(DISTINCT x)`,
 * `SUM(x) FILTER (WHERE …)`, `ROW_NUMBER() OVER (…)`, and the niladic
 * `CURRENT_TIMESTAMP` family written without parentheses (noParens).
 * `name` may be qualified (`cat.db.f`); compare function names case-insensitively.
 */
export interface CallExpr {
  kind: 'call';
  name: ObjectName;
  args: Expr[];
  distinct: boolean;
  star: boolean;
  noParens: boolean;
  filter?: Expr;
  over?: WindowSpec;
  /**
   * The SQL/JSON clauses of JSON_VALUE, JSON_QUERY, JSON_EXISTS, JSON_OBJECT, JSON_ARRAY,
   * JSON_OBJECTAGG and JSON_ARRAYAGG. For JSON_OBJECT(AGG), `args` holds key, value, key, value, …
   */
  json?: JsonClauses;
  pos: Pos;
}

export interface JsonClauses {
  /** `RETURNING type` */
  returning?: LogicalType;
  /** JSON_QUERY: `WITHOUT [ARRAY] WRAPPER`, `WITH [CONDITIONAL | UNCONDITIONAL] [ARRAY] WRAPPER` */
  wrapper?: 'WITHOUT' | 'WITH CONDITIONAL' | 'WITH UNCONDITIONAL';
  /** `… ON EMPTY` */
  onEmpty?: JsonBehavior;
  /** `… ON ERROR` */
  onError?: JsonBehavior;
  /** JSON_OBJECT / JSON_ARRAY: `NULL ON NULL` or `ABSENT ON NULL` */
  onNull?: 'NULL' | 'ABSENT';
}

export type JsonBehavior =
  | { kind: 'NULL' | 'ERROR' | 'TRUE' | 'FALSE' | 'UNKNOWN' | 'EMPTY ARRAY' | 'EMPTY OBJECT' }
  | { kind: 'DEFAULT'; value: Expr };

/** `OVER (w [PARTITION BY …] [ORDER BY …] [ROWS|RANGE …])` or `OVER w` (only `ref`). */
export interface WindowSpec {
  /** A named window this spec refers to or extends. */
  ref?: Ident;
  /** `OVER w` without parentheses. */
  bareRef: boolean;
  partitionBy: Expr[];
  orderBy: OrderItem[];
  frame?: WindowFrame;
  pos: Pos;
}

/** `ROWS BETWEEN 10 PRECEDING AND CURRENT ROW`; `ROWS 10 PRECEDING` has no `end`. */
export interface WindowFrame {
  units: 'ROWS' | 'RANGE';
  start: FrameBound;
  end?: FrameBound;
}

export type FrameBound =
  | { kind: 'unboundedPreceding' }
  | { kind: 'unboundedFollowing' }
  | { kind: 'currentRow' }
  | { kind: 'preceding'; offset: Expr }
  | { kind: 'following'; offset: Expr };

/** `EXTRACT(HOUR FROM ts)` */
export interface ExtractExpr {
  kind: 'extract';
  unit: TimeUnit;
  operand: Expr;
  pos: Pos;
}

/** `FLOOR(ts TO MINUTE)` / `CEIL(ts TO HOUR)`; plain `FLOOR(x)` is a call. */
export interface FloorCeilExpr {
  kind: 'floorCeil';
  fn: 'FLOOR' | 'CEIL';
  operand: Expr;
  unit: TimeUnit;
  pos: Pos;
}

/** `POSITION(needle IN haystack)` */
export interface PositionExpr {
  kind: 'position';
  needle: Expr;
  haystack: Expr;
  pos: Pos;
}

/** `TRIM([BOTH|LEADING|TRAILING] [chars] FROM s)` and `TRIM(s)` (BOTH, spaces). */
export interface TrimExpr {
  kind: 'trim';
  where: 'BOTH' | 'LEADING' | 'TRAILING';
  chars?: Expr;
  operand: Expr;
  pos: Pos;
}

/** `SUBSTRING(s FROM start [FOR length])`, also written `SUBSTRING(s, start[, length])`. */
export interface SubstringExpr {
  kind: 'substring';
  operand: Expr;
  start: Expr;
  length?: Expr;
  pos: Pos;
}

/** `OVERLAY(s PLACING r FROM start [FOR length])` */
export interface OverlayExpr {
  kind: 'overlay';
  operand: Expr;
  placing: Expr;
  start: Expr;
  length?: Expr;
  pos: Pos;
}

/** `arr[1]`, `m['k']` */
export interface SubscriptExpr {
  kind: 'subscript';
  operand: Expr;
  index: Expr;
  pos: Pos;
}

/** `(expr).field` where expr is not a plain name (a plain `a.b` is one `ident`). */
export interface FieldAccessExpr {
  kind: 'fieldAccess';
  operand: Expr;
  field: Ident;
  pos: Pos;
}

/** `ROW(a, b)` (explicit) or `(a, b)` */
export interface RowExpr {
  kind: 'row';
  explicit: boolean;
  items: Expr[];
  pos: Pos;
}

/** `ARRAY[a, b]` */
export interface ArrayExpr {
  kind: 'array';
  items: Expr[];
  pos: Pos;
}

/** `MAP[k1, v1, k2, v2]` — entries as pairs. */
export interface MapExpr {
  kind: 'map';
  entries: [Expr, Expr][];
  pos: Pos;
}
