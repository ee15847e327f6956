import { describe, expect, it } from 'vitest';
import { MAX_LENGTH } from '../../src/common/types.js';
import { SqlSyntaxError } from '../../src/common/errors.js';
import {
  parseDataType,
  parseExpression,
  parseStatement,
  parseStatements,
  printExpression,
  type CreateTableStatement,
  type Expr,
  type InsertStatement,
  type QueryStatement,
  type Select,
  type WindowTvfRef,
} from '../../src/parser/index.js';
import { stripPositions } from './helpers.js';

const expr = (sql: string) => stripPositions(parseExpression(sql));

describe('data types are LogicalType values', () => {
  it.each([
    ['STRING', { kind: 'VARCHAR', length: MAX_LENGTH, nullable: true }],
    ['BYTES', { kind: 'VARBINARY', length: MAX_LENGTH, nullable: true }],
    ['INT', { kind: 'INT', nullable: true }],
    ['integer', { kind: 'INT', nullable: true }],
    ['BIGINT NOT NULL', { kind: 'BIGINT', nullable: false }],
    ['TIMESTAMP', { kind: 'TIMESTAMP', precision: 6, nullable: true }],
    ['TIMESTAMP(3)', { kind: 'TIMESTAMP', precision: 3, nullable: true }],
    ['TIMESTAMP(3) WITH LOCAL TIME ZONE', { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: true }],
    ['TIMESTAMP_LTZ(3)', { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: true }],
    ['TIMESTAMP_LTZ', { kind: 'TIMESTAMP_LTZ', precision: 6, nullable: true }],
    ['DECIMAL', { kind: 'DECIMAL', precision: 10, scale: 0, nullable: true }],
    ['DECIMAL(10, 2)', { kind: 'DECIMAL', precision: 10, scale: 2, nullable: true }],
    ['TIME', { kind: 'TIME', precision: 0, nullable: true }],
    ['VARCHAR', { kind: 'VARCHAR', length: MAX_LENGTH, nullable: true }], // Flink 1.20: VARCHAR without a length is STRING
    ['CHAR', { kind: 'CHAR', length: 1, nullable: true }],
    ['VARCHAR(20)', { kind: 'VARCHAR', length: 20, nullable: true }],
    ['ARRAY<INT NOT NULL>', { kind: 'ARRAY', element: { kind: 'INT', nullable: false }, nullable: true }],
    ['INT ARRAY', { kind: 'ARRAY', element: { kind: 'INT', nullable: true }, nullable: true }],
    ['MAP<STRING, BIGINT>', { kind: 'MAP', key: { kind: 'VARCHAR', length: MAX_LENGTH, nullable: true }, value: { kind: 'BIGINT', nullable: true }, nullable: true }],
    ['ROW<a INT, `b c` STRING>', { kind: 'ROW', fields: [{ name: 'a', type: { kind: 'INT', nullable: true } }, { name: 'b c', type: { kind: 'VARCHAR', length: MAX_LENGTH, nullable: true } }], nullable: true }],
    ['ROW(a INT) NOT NULL', { kind: 'ROW', fields: [{ name: 'a', type: { kind: 'INT', nullable: true } }], nullable: false }],
    ['INTERVAL DAY TO SECOND', { kind: 'INTERVAL_DAY_TIME', nullable: true }],
    ['INTERVAL YEAR TO MONTH', { kind: 'INTERVAL_YEAR_MONTH', nullable: true }],
  ])('%s', (sql, type) => {
    expect(parseDataType(sql)).toEqual(type);
  });
});

describe('literals carry decoded values', () => {
  it('numbers keep their source text', () => {
    expect(expr('123456789012345678901')).toMatchObject({ type: 'number', text: '123456789012345678901', numberKind: 'integer' });
    expect(expr('1.50')).toEqual({ kind: 'literal', type: 'number', value: 1.5, text: '1.50', numberKind: 'decimal' });
    expect(expr('2E3')).toMatchObject({ value: 2000, numberKind: 'approx' });
  });

  it("strings are unescaped", () => {
    expect(expr("'it''s'")).toEqual({ kind: 'literal', type: 'string', value: "it's" });
  });

  it('intervals are microseconds (day-time) or months (year-month)', () => {
    expect(expr("INTERVAL '5' SECOND")).toMatchObject({ type: 'interval', value: 5_000_000, yearMonth: false, qualifier: { start: 'SECOND' } });
    expect(expr("INTERVAL '1:30' MINUTE TO SECOND")).toMatchObject({ value: 90_000_000, qualifier: { start: 'MINUTE', end: 'SECOND' } });
    expect(expr("INTERVAL '10' MINUTES")).toMatchObject({ value: 600_000_000, qualifier: { start: 'MINUTE' } });
    expect(expr("INTERVAL '0.25' SECOND")).toMatchObject({ value: 250_000 });
    expect(expr("INTERVAL '1-6' YEAR TO MONTH")).toMatchObject({ value: 18, yearMonth: true });
    expect(expr("INTERVAL '2' YEAR")).toMatchObject({ value: 24, yearMonth: true });
    expect(expr("INTERVAL '-1' DAY")).toMatchObject({ value: -86_400_000_000 });
    expect(expr("INTERVAL -'1' HOUR")).toMatchObject({ value: -3_600_000_000, text: '-1' });
  });

  it('DATE, TIME and TIMESTAMP literals are days and microseconds', () => {
    expect(expr("DATE '1970-01-02'")).toMatchObject({ type: 'date', value: 1, text: '1970-01-02' });
    expect(expr("TIME '01:00:00.5'")).toMatchObject({ type: 'time', value: 3_600_500_000, precision: 1 });
    expect(expr("TIMESTAMP '2025-12-29 10:00:00'")).toMatchObject({ type: 'timestamp', value: Date.UTC(2025, 11, 29, 10) * 1000, precision: 0 });
    expect(expr("TIMESTAMP '2025-12-29 10:00:00.123'")).toMatchObject({ precision: 3 });
  });

  it('TRUE, FALSE, NULL and binary strings', () => {
    expect(expr('TRUE')).toEqual({ kind: 'literal', type: 'boolean', value: true });
    expect(expr('null')).toEqual({ kind: 'literal', type: 'null', value: null });
    expect(expr("x'0aff'")).toEqual({ kind: 'literal', type: 'binary', value: '0AFF' });
  });
});

describe('expressions', () => {
  it('follow Calcite precedence', () => {
    const e = parseExpression('a OR b AND NOT c = 1 + 2 * 3');
    expect(printExpression(e)).toBe('a OR b AND NOT c = 1 + 2 * 3');
    expect(expr('a OR b AND c')).toMatchObject({ op: 'OR', right: { op: 'AND' } });
    expect(expr('NOT a = b')).toMatchObject({ kind: 'unary', op: 'NOT', operand: { op: '=' } });
    expect(expr('1 + 2 * 3')).toMatchObject({ op: '+', right: { op: '*' } });
    expect(expr("a || 'x' = b")).toMatchObject({ op: '=', left: { op: '||' } });
    expect(expr('-a * b')).toMatchObject({ op: '*', left: { kind: 'unary', op: '-' } });
    expect(expr('a - b - c')).toMatchObject({ op: '-', left: { op: '-' } });
    expect(expr('a = b IS NULL')).toMatchObject({ kind: 'is', operand: { op: '=' } });
    expect(expr('a BETWEEN 1 AND 2 AND b')).toMatchObject({ op: 'AND', left: { kind: 'between' } });
    expect(expr('x != 1')).toMatchObject({ op: '<>' });
  });

  it('names keep their case and quoting; dotted names are one ident', () => {
    expect(expr('Cat.`my db`.T.col')).toEqual({ kind: 'ident', parts: ['Cat', 'my db', 'T', 'col'], quoted: [false, true, false, false] });
    expect(expr('`event_counts$snapshots`')).toEqual({ kind: 'ident', parts: ['event_counts$snapshots'], quoted: [true] });
  });

  it('calls: star, distinct, filter, over, niladic', () => {
    expect(expr('COUNT(*)')).toMatchObject({ kind: 'call', name: { parts: ['COUNT'] }, star: true, args: [] });
    expect(expr('count(DISTINCT x)')).toMatchObject({ name: { parts: ['count'] }, distinct: true, args: [{ kind: 'ident' }] });
    expect(expr('SUM(x) FILTER (WHERE y > 0)')).toMatchObject({ filter: { op: '>' } });
    expect(expr('ROW_NUMBER() OVER (PARTITION BY a ORDER BY b DESC)')).toMatchObject({
      over: { partitionBy: [{ parts: ['a'] }], orderBy: [{ desc: true }], bareRef: false },
    });
    expect(expr('CURRENT_TIMESTAMP')).toMatchObject({ kind: 'call', noParens: true, args: [] });
  });

  it('special forms', () => {
    expect(expr('FLOOR(ts TO MINUTE)')).toMatchObject({ kind: 'floorCeil', fn: 'FLOOR', unit: 'MINUTE' });
    expect(expr('CEILING(ts TO HOUR)')).toMatchObject({ kind: 'floorCeil', fn: 'CEIL', unit: 'HOUR' });
    expect(expr('FLOOR(x)')).toMatchObject({ kind: 'call', name: { parts: ['FLOOR'] } });
    expect(expr('EXTRACT(HOUR FROM ts)')).toMatchObject({ kind: 'extract', unit: 'HOUR' });
    expect(expr("POSITION('a' IN s)")).toMatchObject({ kind: 'position' });
    expect(expr("TRIM(BOTH 'x' FROM s)")).toMatchObject({ kind: 'trim', where: 'BOTH', chars: { value: 'x' } });
    expect(expr('SUBSTRING(s FROM 1 FOR 2)')).toEqual(expr('SUBSTRING(s, 1, 2)'));
    expect(expr('CAST(a AS STRING)')).toMatchObject({ kind: 'cast', try: false, type: { kind: 'VARCHAR', length: MAX_LENGTH } });
    expect(expr('TRY_CAST(a AS INT)')).toMatchObject({ kind: 'cast', try: true });
    expect(expr("m['k'][1]")).toMatchObject({ kind: 'subscript', operand: { kind: 'subscript', operand: { kind: 'ident' } } });
    expect(expr('f(x).y')).toMatchObject({ kind: 'fieldAccess', field: { value: 'y' }, operand: { kind: 'call' } });
    expect(expr("MAP['a', 1]")).toMatchObject({ kind: 'map', entries: [[{ value: 'a' }, { value: 1 }]] });
    expect(expr('a IN (1, 2)')).toMatchObject({ kind: 'inList', list: [{}, {}] });
    expect(expr('a NOT IN (SELECT b FROM t)')).toMatchObject({ kind: 'inSubquery', negated: true });
    expect(expr("a NOT LIKE 'x%' ESCAPE '!'")).toMatchObject({ kind: 'like', op: 'LIKE', negated: true, escape: { value: '!' } });
    expect(expr('a IS NOT DISTINCT FROM b')).toMatchObject({ kind: 'isDistinctFrom', negated: true });
  });

  it('SQL/JSON clauses', () => {
    expect(expr("JSON_VALUE(p, '$.a' RETURNING INT DEFAULT 0 ON EMPTY NULL ON ERROR)")).toMatchObject({
      kind: 'call',
      args: [{ kind: 'ident' }, { value: '$.a' }],
      json: { returning: { kind: 'INT' }, onEmpty: { kind: 'DEFAULT', value: { value: 0 } }, onError: { kind: 'NULL' } },
    });
    expect(expr("JSON_OBJECT('a' VALUE 1, KEY 'b' VALUE x ABSENT ON NULL)")).toMatchObject({ args: [{ value: 'a' }, { value: 1 }, { value: 'b' }, { kind: 'ident' }], json: { onNull: 'ABSENT' } });
    expect(expr("JSON_QUERY(p, '$' WITH WRAPPER)")).toMatchObject({ json: { wrapper: 'WITH UNCONDITIONAL' } });
    expect(expr("JSON_VALUE(p, '$')")).not.toHaveProperty('json');
  });

  it('keywords are case-insensitive', () => {
    expect(stripPositions(parseStatement('select a from t where a is not null'))).toEqual(stripPositions(parseStatement('SELECT a FROM t WHERE a IS NOT NULL')));
  });
});

describe('CREATE TABLE', () => {
  const ddl = `CREATE TABLE IF NOT EXISTS cat.db.kafka_events (
    event_id STRING NOT NULL PRIMARY KEY NOT ENFORCED,
    \`partition\` INT METADATA VIRTUAL,
    kafka_ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
    event_time TIMESTAMP(3),
    proc AS PROCTIME(),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
  ) COMMENT 'events' PARTITIONED BY (event_id) WITH ('connector' = 'kafka', 'topic' = 'events')`;
  const s = parseStatement(ddl) as CreateTableStatement;

  it('has the three kinds of columns in order', () => {
    expect(s.columns.map((c) => [c.kind, c.name.value])).toEqual([
      ['physical', 'event_id'],
      ['metadata', 'partition'],
      ['metadata', 'kafka_ts'],
      ['physical', 'event_time'],
      ['computed', 'proc'],
    ]);
    expect(s.columns[0]).toMatchObject({ type: { kind: 'VARCHAR', nullable: false } });
    expect(s.columns[1]).toMatchObject({ virtual: true, name: { quoted: true } });
    expect(s.columns[1]).not.toHaveProperty('from');
    expect(s.columns[2]).toMatchObject({ from: 'timestamp', virtual: false });
    expect(s.columns[4]).toMatchObject({ expr: { kind: 'call', name: { parts: ['PROCTIME'] } } });
  });

  it('has the watermark, an inline primary key as table-level, options in order', () => {
    expect(s.name.parts).toEqual(['cat', 'db', 'kafka_events']);
    expect(s.ifNotExists).toBe(true);
    expect(s.watermark).toMatchObject({ column: { value: 'event_time' }, expr: { kind: 'binary', op: '-' } });
    expect(s.primaryKey).toMatchObject({ columns: [{ value: 'event_id' }], enforced: false });
    expect(s.options).toEqual([
      ['connector', 'kafka'],
      ['topic', 'events'],
    ]);
    expect(s.comment).toBe('events');
    expect(s.partitionedBy.map((i) => i.value)).toEqual(['event_id']);
  });

  it('positions point at the whole file', () => {
    const [, t] = parseStatements(`SET 'a' = 'b';\n${ddl};`) as [unknown, CreateTableStatement];
    expect(t.pos).toEqual({ line: 2, column: 1, offset: 15 });
    expect(t.columns[1].pos).toMatchObject({ line: 4, column: 5 });
    expect(t.watermark!.expr.pos).toMatchObject({ line: 8, column: 33 });
  });
});

describe('window TVFs', () => {
  const tvf = (sql: string) => ((parseStatement(sql) as QueryStatement).query.body as Select).from as WindowTvfRef;

  it('TUMBLE positional and named give the same window', () => {
    const a = tvf("SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE))");
    const b = tvf("SELECT * FROM TABLE(TUMBLE(DATA => TABLE t, TIMECOL => DESCRIPTOR(ts), SIZE => INTERVAL '1' MINUTE))");
    expect(a).toMatchObject({ kind: 'windowTvf', fn: 'TUMBLE', table: { parts: ['t'] }, timeCol: { value: 'ts' }, partitionBy: [], named: false });
    expect(a.args.size).toMatchObject({ type: 'interval', value: 60_000_000 });
    expect(stripPositions({ ...b, named: false })).toEqual(stripPositions(a));
    // named then positional (as in Flink's design documents)
    const c = tvf("SELECT * FROM TABLE(TUMBLE(DATA => TABLE t, TIMECOL => DESCRIPTOR(ts), INTERVAL '1' MINUTE))");
    expect(stripPositions(c)).toEqual(stripPositions(b));
  });

  it('HOP is (slide, size), CUMULATE is (step, size), SESSION has partition keys and a gap', () => {
    expect(tvf("SELECT * FROM TABLE(HOP(TABLE t, DESCRIPTOR(ts), INTERVAL '5' MINUTE, INTERVAL '10' MINUTE))").args).toMatchObject({
      slide: { value: 300_000_000 },
      size: { value: 600_000_000 },
    });
    expect(tvf("SELECT * FROM TABLE(CUMULATE(TABLE t, DESCRIPTOR(ts), INTERVAL '2' MINUTE, INTERVAL '10' MINUTE))").args).toMatchObject({
      step: { value: 120_000_000 },
      size: { value: 600_000_000 },
    });
    const s = tvf("SELECT * FROM TABLE(SESSION(TABLE t PARTITION BY (a, b), DESCRIPTOR(ts), INTERVAL '5' MINUTE)) AS w");
    expect(s.partitionBy.map((e: Expr) => (e.kind === 'ident' ? e.parts[0] : '?'))).toEqual(['a', 'b']);
    expect(s.args.gap).toMatchObject({ value: 300_000_000 });
    expect(s.alias?.name.value).toBe('w');
  });
});

describe('statements', () => {
  it('INSERT keeps the target, columns and the query; spans cover the text', () => {
    const sql = '  INSERT INTO cat.db.t (a, b)\nSELECT x, y FROM s;  ';
    const [s] = parseStatements(sql) as InsertStatement[];
    expect(s.table.parts).toEqual(['cat', 'db', 't']);
    expect(s.columns?.map((c) => c.value)).toEqual(['a', 'b']);
    expect(sql.slice(s.span.start, s.span.end)).toBe('INSERT INTO cat.db.t (a, b)\nSELECT x, y FROM s');
    expect(s.pos).toEqual({ line: 1, column: 3, offset: 2 });
  });

  it('EXECUTE STATEMENT SET holds its inserts', () => {
    const s = parseStatement('EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END');
    expect(s.kind).toBe('statementSet');
    if (s.kind === 'statementSet') expect(s.statements.map((i) => i.table.parts[0])).toEqual(['a', 'b']);
  });

  it('parseStatement wants exactly one statement', () => {
    expect(() => parseStatement('SELECT 1; SELECT 2')).toThrow(SqlSyntaxError);
    expect(parseStatement('SELECT 1;').kind).toBe('queryStatement');
  });

  it('SET, RESET, SHOW, DESCRIBE, STOP JOB, QUIT', () => {
    expect(stripPositions(parseStatement("SET 'k' = 'v'"))).toEqual({ kind: 'set', key: 'k', value: 'v' });
    expect(stripPositions(parseStatement('SET'))).toEqual({ kind: 'set' });
    expect(stripPositions(parseStatement('SET execution.checkpointing.interval = 10 s'))).toEqual({ kind: 'set', key: 'execution.checkpointing.interval', value: '10 s' });
    expect(stripPositions(parseStatement('RESET pipeline.name'))).toEqual({ kind: 'reset', key: 'pipeline.name' });
    expect(stripPositions(parseStatement("RESET 'k'"))).toEqual({ kind: 'reset', key: 'k' });
    expect(parseStatement('SHOW JOBS')).toMatchObject({ kind: 'show', object: 'JOBS' });
    expect(parseStatement('DESC t')).toMatchObject({ kind: 'describe', name: { parts: ['t'] } });
    expect(parseStatement("STOP JOB 'x' WITH SAVEPOINT")).toMatchObject({ kind: 'stopJob', jobId: 'x', withSavepoint: true, withDrain: false });
    expect(parseStatement('exit')).toMatchObject({ kind: 'quit' });
  });
});
