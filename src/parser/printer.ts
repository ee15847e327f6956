// Prints AST nodes back to Flink SQL. The output is normalised (keywords upper-case, one
// spelling per construct, parentheses only where precedence needs them) and parses back to
// the same AST: parse(print(ast)) equals ast, positions aside.
import { formatType, type LogicalType } from '../common/types.js';
import type * as A from './ast.js';
import { NILADIC_FUNCTIONS, RESERVED } from './keywords.js';
import { PREC } from './parser.js';

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;

function quote(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** A name in a position where reserved words are not allowed (the first part of a name). */
export function printIdent(value: string, quoted = false): string {
  if (quoted || !SIMPLE_NAME.test(value) || RESERVED.has(value.toUpperCase())) return quote(value);
  return value;
}

/** A name part after a dot, where any word is a name. */
function printPart(value: string, quoted: boolean): string {
  return quoted || !SIMPLE_NAME.test(value) ? quote(value) : value;
}

function printName(name: { parts: string[]; quoted: boolean[] }): string {
  return name.parts.map((p, i) => (i === 0 ? printIdent(p, name.quoted[0]) : printPart(p, name.quoted[i]))).join('.');
}

/** A column reference: a lone `user` or `current_date` would read as a function call. */
function printColumnRef(e: A.IdentExpr): string {
  if (e.parts.length === 1 && !e.quoted[0] && NILADIC_FUNCTIONS.has(e.parts[0].toUpperCase())) return quote(e.parts[0]);
  return printName(e);
}

function id(i: A.Ident): string {
  return printIdent(i.value, i.quoted);
}

export function printString(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}

export function printDataType(t: LogicalType): string {
  return formatType(t);
}

function printOptions(options: A.Options, indent = '  '): string {
  if (options.length === 0) return '()';
  return '(\n' + options.map(([k, v]) => `${indent}${printString(k)} = ${printString(v)}`).join(',\n') + '\n)';
}

function printHints(hints: A.Hint[]): string {
  if (hints.length === 0) return '';
  const items = hints.map((h) => {
    const name = SIMPLE_NAME.test(h.name) ? h.name : quote(h.name);
    if (h.options) return `${name}(${h.options.map(([k, v]) => `${printString(k)}=${printString(v)}`).join(', ')})`;
    if (h.args) return `${name}(${h.args.map((a) => a.split('.').map((p) => printPart(p, false)).join('.')).join(', ')})`;
    return name;
  });
  return `/*+ ${items.join(', ')} */`;
}

// ───────────── statements ─────────────

export function printStatement(s: A.Statement): string {
  switch (s.kind) {
    case 'createTable':
      return printCreateTable(s);
    case 'createView': {
      let out = `CREATE ${s.temporary ? 'TEMPORARY ' : ''}VIEW ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${printName(s.name)}`;
      if (s.columns) out += ` (${s.columns.map(id).join(', ')})`;
      if (s.comment !== undefined) out += ` COMMENT ${printString(s.comment)}`;
      return `${out} AS\n${printQuery(s.query, '\n')}`;
    }
    case 'createCatalog':
      return `CREATE CATALOG ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${id(s.name)}${s.comment !== undefined ? ` COMMENT ${printString(s.comment)}` : ''} WITH ${printOptions(s.options)}`;
    case 'createDatabase': {
      let out = `CREATE DATABASE ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${printName(s.name)}`;
      if (s.comment !== undefined) out += ` COMMENT ${printString(s.comment)}`;
      if (s.options.length) out += ` WITH ${printOptions(s.options)}`;
      return out;
    }
    case 'createFunction':
      return `CREATE ${s.temporary ? 'TEMPORARY ' : ''}${s.system ? 'SYSTEM ' : ''}FUNCTION ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${printName(s.name)} AS ${printString(s.className)}${s.language ? ` LANGUAGE ${s.language}` : ''}`;
    case 'drop': {
      const name = s.objectType === 'CATALOG' ? printIdent(s.name.parts[0], s.name.quoted[0]) : printName(s.name);
      return `DROP ${s.temporary ? 'TEMPORARY ' : ''}${s.system ? 'SYSTEM ' : ''}${s.objectType} ${s.ifExists ? 'IF EXISTS ' : ''}${name}${s.behavior ? ' ' + s.behavior : ''}`;
    }
    case 'alterTable': {
      const head = `ALTER TABLE ${s.ifExists ? 'IF EXISTS ' : ''}${printName(s.name)}`;
      const a = s.action;
      switch (a.kind) {
        case 'setOptions':
          return `${head} SET ${printOptions(a.options)}`;
        case 'resetOptions':
          return `${head} RESET (${a.keys.map(printString).join(', ')})`;
        case 'rename':
          return `${head} RENAME TO ${printName(a.newName)}`;
        case 'addColumns':
        case 'modifyColumns': {
          const cols = a.columns.map((c) => {
            const comment = c.column.comment !== undefined ? ` COMMENT ${printString(c.column.comment)}` : '';
            const position = c.position ? (c.position.kind === 'first' ? ' FIRST' : ` AFTER ${id(c.position.column)}`) : '';
            return `${id(c.column.name)} ${printDataType(c.column.type)}${comment}${position}`;
          });
          return `${head} ${a.kind === 'addColumns' ? 'ADD' : 'MODIFY'} (${cols.join(', ')})`;
        }
        case 'dropColumns':
          return `${head} DROP (${a.names.map(id).join(', ')})`;
        case 'renameColumn':
          return `${head} RENAME ${id(a.from)} TO ${id(a.to)}`;
        default: {
          const never: never = a;
          throw new Error(`unknown ALTER TABLE action ${(never as A.AlterTableAction).kind}`);
        }
      }
    }
    case 'useCatalog':
      return `USE CATALOG ${id(s.name)}`;
    case 'useDatabase':
      return `USE ${printName(s.name)}`;
    case 'set':
      return s.key === undefined ? 'SET' : `SET ${printString(s.key)} = ${printString(s.value ?? '')}`;
    case 'reset':
      return s.key === undefined ? 'RESET' : `RESET ${printString(s.key)}`;
    case 'show': {
      let out = `SHOW ${s.object}`;
      if (s.from) out += ` ${s.fromKeyword ?? 'FROM'} ${printName(s.from)}`;
      if (s.like) out += ` ${s.like.not ? 'NOT ' : ''}${s.like.ilike ? 'ILIKE' : 'LIKE'} ${printString(s.like.pattern)}`;
      return out;
    }
    case 'showCreate':
      return `SHOW CREATE ${s.objectType} ${printName(s.name)}`;
    case 'describe':
      return `DESCRIBE ${s.extended ? 'EXTENDED ' : ''}${printName(s.name)}`;
    case 'explain': {
      const head = s.planFor ? 'EXPLAIN PLAN FOR' : s.details.length ? `EXPLAIN ${s.details.join(', ')}` : 'EXPLAIN';
      const inner = s.statement.kind === 'statementSet' ? printStatementSet(s.statement, 'STATEMENT SET') : printStatement(s.statement);
      return `${head}\n${inner}`;
    }
    case 'insert':
      return printInsert(s);
    case 'statementSet':
      return printStatementSet(s, 'EXECUTE STATEMENT SET');
    case 'beginStatementSet':
      return 'BEGIN STATEMENT SET';
    case 'end':
      return 'END';
    case 'queryStatement':
      return printQuery(s.query, '\n');
    case 'describeJob':
      return `DESCRIBE JOB ${printString(s.jobId)}`;
    case 'stopJob':
      return `STOP JOB ${printString(s.jobId)}${s.withSavepoint ? ' WITH SAVEPOINT' : ''}${s.withDrain ? ' WITH DRAIN' : ''}`;
    case 'callProcedure':
      return `CALL ${printName(s.name)}(${s.args.map((a) => (a.name ? `${printPart(a.name.value, a.name.quoted)} => ` : '') + printExpression(a.value)).join(', ')})`;
    case 'optimize':
      return `OPTIMIZE ${printName(s.table)} REWRITE DATA USING BIN_PACK${s.where ? ` WHERE ${printExpression(s.where)}` : ''}`;
    case 'vacuum':
      return `VACUUM ${printName(s.table)}`;
    case 'addJar':
      return `ADD JAR ${printString(s.path)}`;
    case 'removeJar':
      return `REMOVE JAR ${printString(s.path)}`;
    case 'help':
      return 'HELP';
    case 'quit':
      return 'QUIT';
    case 'clear':
      return 'CLEAR';
    default: {
      const never: never = s;
      throw new Error(`unknown statement ${(never as A.Statement).kind}`);
    }
  }
}

function printStatementSet(s: A.StatementSetStatement, head: string): string {
  return `${head}\nBEGIN\n${s.statements.map((i) => printInsert(i) + ';\n').join('')}END`;
}

function printInsert(s: A.InsertStatement): string {
  let out = `INSERT ${s.overwrite ? 'OVERWRITE' : 'INTO'} ${printName(s.table)}`;
  if (s.hints.length) out += ' ' + printHints(s.hints);
  if (s.partition.length) out += ` PARTITION (${s.partition.map((p) => `${id(p.column)} = ${printExpression(p.value)}`).join(', ')})`;
  if (s.columns) out += ` (${s.columns.map(id).join(', ')})`;
  return `${out}\n${printQuery(s.query, '\n')}`;
}

function printCreateTable(s: A.CreateTableStatement): string {
  let out = `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}${s.temporary ? 'TEMPORARY ' : ''}TABLE ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${printName(s.name)}`;
  const elements: string[] = s.columns.map((c) => {
    const comment = c.comment !== undefined ? ` COMMENT ${printString(c.comment)}` : '';
    switch (c.kind) {
      case 'physical':
        return `${id(c.name)} ${printDataType(c.type)}${comment}`;
      case 'computed':
        return `${id(c.name)} AS ${printExpression(c.expr)}${comment}`;
      case 'metadata':
        return `${id(c.name)} ${printDataType(c.type)} METADATA${c.from !== undefined ? ` FROM ${printString(c.from)}` : ''}${c.virtual ? ' VIRTUAL' : ''}${comment}`;
      default: {
        const never: never = c;
        throw new Error(`unknown column ${(never as A.ColumnDef).kind}`);
      }
    }
  });
  if (s.watermark) elements.push(`WATERMARK FOR ${id(s.watermark.column)} AS ${printExpression(s.watermark.expr)}`);
  if (s.primaryKey) {
    const pk = s.primaryKey;
    elements.push(`${pk.name ? `CONSTRAINT ${id(pk.name)} ` : ''}PRIMARY KEY (${pk.columns.map(id).join(', ')}) NOT ENFORCED`);
  }
  if (elements.length) out += ` (\n${elements.map((e) => '  ' + e).join(',\n')}\n)`;
  if (s.comment !== undefined) out += `\nCOMMENT ${printString(s.comment)}`;
  if (s.partitionedBy.length) out += `\nPARTITIONED BY (${s.partitionedBy.map(id).join(', ')})`;
  if (s.options.length) out += ` WITH ${printOptions(s.options)}`;
  if (s.like) {
    out += `\nLIKE ${printName(s.like.source)}`;
    if (s.like.options.length) out += ` (${s.like.options.map((o) => `${o.mode} ${o.feature}`).join(', ')})`;
  }
  if (s.asQuery) out += `\nAS ${printQuery(s.asQuery, '\n')}`;
  return out;
}

// ───────────── queries ─────────────

/** A query; `nl` separates its clauses ('\n' at statement level, ' ' when nested). */
export function printQuery(q: A.Query, nl = ' '): string {
  const parts: string[] = [];
  if (q.with.length) {
    parts.push(
      'WITH ' +
        q.with
          .map((c) => `${id(c.name)}${c.columns ? ` (${c.columns.map(id).join(', ')})` : ''} AS (${printQuery(c.query)})`)
          .join(', '),
    );
  }
  parts.push(printBody(q.body, nl));
  if (q.orderBy.length) parts.push('ORDER BY ' + printOrderItems(q.orderBy));
  if (q.limit) parts.push('LIMIT ' + printExpression(q.limit));
  if (q.offset) parts.push('OFFSET ' + printExpression(q.offset));
  return parts.join(nl);
}

function setPrec(b: A.QueryBody): number {
  return b.kind === 'setOp' ? (b.op === 'INTERSECT' ? 2 : 1) : 3;
}

function printBody(b: A.QueryBody, nl: string): string {
  switch (b.kind) {
    case 'select':
      return printSelect(b, nl);
    case 'values':
      return 'VALUES ' + b.rows.map((r) => `(${r.map((e) => printExpression(e)).join(', ')})`).join(', ');
    case 'query':
      return `(${printQuery(b)})`;
    case 'setOp': {
      const p = setPrec(b);
      const l = setPrec(b.left) < p ? `(${printBody(b.left, ' ')})` : printBody(b.left, nl);
      const r = setPrec(b.right) <= p ? `(${printBody(b.right, ' ')})` : printBody(b.right, nl);
      return `${l}${nl}${b.op}${b.all ? ' ALL' : ''}${nl}${r}`;
    }
    default: {
      const never: never = b;
      throw new Error(`unknown query body ${(never as A.QueryBody).kind}`);
    }
  }
}

function printOrderItems(items: A.OrderItem[]): string {
  return items.map((o) => `${printExpression(o.expr)}${o.desc ? ' DESC' : ''}${o.nulls ? ` NULLS ${o.nulls}` : ''}`).join(', ');
}

function printSelect(s: A.Select, nl: string): string {
  let out = 'SELECT ';
  if (s.hints.length) out += printHints(s.hints) + ' ';
  if (s.distinct) out += 'DISTINCT ';
  out += s.items
    .map((it) => {
      if (it.kind === 'wildcard') return it.qualifier ? `${printName(it.qualifier)}.*` : '*';
      return printExpression(it.expr) + (it.alias ? ` AS ${id(it.alias)}` : '');
    })
    .join(', ');
  if (s.from) out += `${nl}FROM ${printTableRef(s.from, nl)}`;
  if (s.where) out += `${nl}WHERE ${printExpression(s.where)}`;
  if (s.groupBy.length) out += `${nl}GROUP BY ${s.groupBy.map(printGroupingElement).join(', ')}`;
  if (s.having) out += `${nl}HAVING ${printExpression(s.having)}`;
  if (s.windows.length) out += `${nl}WINDOW ${s.windows.map((w) => `${id(w.name)} AS (${printWindowSpecBody(w.spec)})`).join(', ')}`;
  return out;
}

function printGroupingElement(g: A.GroupingElement): string {
  switch (g.kind) {
    case 'expr':
      return g.expr.kind === 'row' && !g.expr.explicit && g.expr.items.length === 0 ? '()' : printExpression(g.expr);
    case 'groupingSets':
      return `GROUPING SETS (${g.sets.map(printGroupingElement).join(', ')})`;
    case 'rollup':
      return `ROLLUP (${g.items.map((e) => printExpression(e)).join(', ')})`;
    case 'cube':
      return `CUBE (${g.items.map((e) => printExpression(e)).join(', ')})`;
    default: {
      const never: never = g;
      throw new Error(`unknown grouping element ${(never as A.GroupingElement).kind}`);
    }
  }
}

function printAlias(a: A.TableAlias | undefined): string {
  if (!a) return '';
  return ` AS ${id(a.name)}${a.columns ? ` (${a.columns.map(id).join(', ')})` : ''}`;
}

/** `nl`: what goes before each JOIN of a join chain (a newline in multi-line statements, as Calcite prints). */
export function printTableRef(t: A.TableRef, nl = ' '): string {
  switch (t.kind) {
    case 'table': {
      let out = printName(t.name);
      if (t.hints.length) out += ' ' + printHints(t.hints);
      if (t.forSystemTime) out += ` FOR SYSTEM_TIME AS OF ${printExpression(t.forSystemTime)}`;
      return out + printAlias(t.alias);
    }
    case 'subquery':
      return `${t.lateral ? 'LATERAL ' : ''}(${printQuery(t.query)})${printAlias(t.alias)}`;
    case 'join': {
      const right = t.right.kind === 'join' ? `(${printTableRef(t.right)})` : printTableRef(t.right);
      const left = printTableRef(t.left, nl);
      if (t.joinType === 'COMMA') return `${left}, ${right}`;
      if (t.joinType === 'CROSS') return `${left}${nl}CROSS JOIN ${right}`;
      let out = `${left}${nl}${t.natural ? 'NATURAL ' : ''}${t.joinType} JOIN ${right}`;
      if (t.on) out += ` ON ${printExpression(t.on)}`;
      else if (t.using) out += ` USING (${t.using.map(id).join(', ')})`;
      return out;
    }
    case 'windowTvf':
      return `TABLE(${printWindowTvf(t)})${printAlias(t.alias)}`;
    case 'tableFunction':
      return `${t.lateral ? 'LATERAL ' : ''}TABLE(${printExpression(t.call)})${printAlias(t.alias)}`;
    case 'unnest':
      return `UNNEST(${t.args.map((e) => printExpression(e)).join(', ')})${t.withOrdinality ? ' WITH ORDINALITY' : ''}${printAlias(t.alias)}`;
    case 'matchRecognize': {
      const parts: string[] = [];
      if (t.partitionBy.length) parts.push(`PARTITION BY ${t.partitionBy.map((e) => printExpression(e)).join(', ')}`);
      if (t.orderBy.length) parts.push(`ORDER BY ${t.orderBy.map((o) => `${printExpression(o.expr)}${o.desc ? ' DESC' : ''}${o.nulls ? ` NULLS ${o.nulls}` : ''}`).join(', ')}`);
      if (t.measures.length) parts.push(`MEASURES ${t.measures.map((m) => `${printExpression(m.expr)} AS ${id(m.alias)}`).join(', ')}`);
      if (t.rowsPerMatch) parts.push(t.rowsPerMatch === 'ONE' ? 'ONE ROW PER MATCH' : 'ALL ROWS PER MATCH');
      if (t.afterMatch) parts.push(`AFTER MATCH SKIP ${t.afterMatch.kind === 'TO FIRST' || t.afterMatch.kind === 'TO LAST' ? `${t.afterMatch.written} ${id(t.afterMatch.variable)}` : t.afterMatch.kind}`);
      parts.push(`PATTERN (${printPattern(t.pattern)})`);
      if (t.within) parts.push(`WITHIN ${printExpression(t.within)}`);
      parts.push(`DEFINE ${t.define.map((d) => `${id(d.name)} AS ${printExpression(d.expr)}`).join(', ')}`);
      return `${printTableRef(t.input)} MATCH_RECOGNIZE (${parts.join(' ')})${printAlias(t.alias)}`;
    }
    default: {
      const never: never = t;
      throw new Error(`unknown table reference ${(never as A.TableRef).kind}`);
    }
  }
}

export function printPattern(p: A.PatternTerm): string {
  switch (p.kind) {
    case 'var':
      return id(p.name);
    case 'seq':
      return p.items.map(printPattern).join(' ');
    case 'alt':
      return p.items.map(printPattern).join(' | ');
    case 'group':
      return `(${printPattern(p.term)})`;
    case 'quant':
      return `${printPattern(p.term)}${p.text}`;
  }
}

function printWindowTvf(t: A.WindowTvfRef): string {
  let table = `TABLE ${printName(t.table)}`;
  if (t.partitionBy.length === 1) table += ` PARTITION BY ${printExpression(t.partitionBy[0])}`;
  else if (t.partitionBy.length > 1) table += ` PARTITION BY (${t.partitionBy.map((e) => printExpression(e)).join(', ')})`;
  const desc = `DESCRIPTOR(${id(t.timeCol)})`;
  const order: (keyof A.WindowTvfArgs)[] =
    t.fn === 'TUMBLE' ? ['size', 'offset'] : t.fn === 'HOP' ? ['slide', 'size', 'offset'] : t.fn === 'CUMULATE' ? ['step', 'size', 'offset'] : ['gap', 'offset'];
  const args: string[] = [];
  if (t.named) {
    args.push(`DATA => ${table}`, `TIMECOL => ${desc}`);
    for (const k of order) {
      const v = t.args[k];
      if (v) args.push(`${k.toUpperCase()} => ${printExpression(v)}`);
    }
  } else {
    args.push(table, desc);
    for (const k of order) {
      const v = t.args[k];
      if (v) args.push(printExpression(v));
    }
  }
  return `${t.fn}(${args.join(', ')})`;
}

// ───────────── expressions ─────────────

const BINARY_PREC: Record<A.BinaryOp, number> = {
  OVERLAPS: PREC.COMPARISON,
  OR: PREC.OR,
  AND: PREC.AND,
  '=': PREC.COMPARISON,
  '<>': PREC.COMPARISON,
  '<': PREC.COMPARISON,
  '<=': PREC.COMPARISON,
  '>': PREC.COMPARISON,
  '>=': PREC.COMPARISON,
  '+': PREC.ADDITIVE,
  '-': PREC.ADDITIVE,
  '*': PREC.MULTIPLICATIVE,
  '/': PREC.MULTIPLICATIVE,
  '%': PREC.MULTIPLICATIVE,
  '||': PREC.MULTIPLICATIVE,
};

function precOf(e: A.Expr): number {
  switch (e.kind) {
    case 'binary':
      return BINARY_PREC[e.op];
    case 'unary':
      return e.op === 'NOT' ? PREC.NOT : PREC.UNARY;
    case 'is':
      return PREC.IS;
    case 'isDistinctFrom':
      return PREC.COMPARISON;
    case 'between':
    case 'like':
    case 'inList':
    case 'inSubquery':
      return PREC.BETWEEN;
    default:
      return PREC.POSTFIX + 1;
  }
}

/** `e` printed so that it parses back as one operand at precedence `min`. */
function operand(e: A.Expr, min: number): string {
  const s = printExpression(e);
  return precOf(e) < min ? `(${s})` : s;
}

function printQualifier(q: A.IntervalQualifier): string {
  let out: string = q.start;
  if (q.startPrecision !== undefined) {
    out += `(${q.startPrecision}${q.start === 'SECOND' && !q.end && q.fractionalPrecision !== undefined ? `, ${q.fractionalPrecision}` : ''})`;
  }
  if (q.end) {
    out += ` TO ${q.end}`;
    if (q.end === 'SECOND' && q.fractionalPrecision !== undefined) out += `(${q.fractionalPrecision})`;
  }
  return out;
}

function printLiteral(e: A.LiteralExpr): string {
  switch (e.type) {
    case 'string':
      return printString(e.value);
    case 'number':
      return e.text;
    case 'boolean':
      return e.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'binary':
      return `X'${e.value}'`;
    case 'date':
      return `DATE ${printString(e.text)}`;
    case 'time':
      return `TIME ${printString(e.text)}`;
    case 'timestamp':
      return `TIMESTAMP ${printString(e.text)}`;
    case 'interval':
      return `INTERVAL ${printString(e.text)} ${printQualifier(e.qualifier)}`;
    default: {
      const never: never = e;
      throw new Error(`unknown literal ${(never as A.LiteralExpr).type}`);
    }
  }
}

function printWindowSpecBody(w: A.WindowSpec): string {
  const parts: string[] = [];
  if (w.ref) parts.push(id(w.ref));
  if (w.partitionBy.length) parts.push(`PARTITION BY ${w.partitionBy.map((e) => printExpression(e)).join(', ')}`);
  if (w.orderBy.length) parts.push(`ORDER BY ${printOrderItems(w.orderBy)}`);
  if (w.frame) {
    const f = w.frame;
    parts.push(f.end ? `${f.units} BETWEEN ${printBound(f.start)} AND ${printBound(f.end)}` : `${f.units} ${printBound(f.start)}`);
  }
  return parts.join(' ');
}

function printBound(b: A.FrameBound): string {
  switch (b.kind) {
    case 'unboundedPreceding':
      return 'UNBOUNDED PRECEDING';
    case 'unboundedFollowing':
      return 'UNBOUNDED FOLLOWING';
    case 'currentRow':
      return 'CURRENT ROW';
    case 'preceding':
      return `${operand(b.offset, PREC.AND + 1)} PRECEDING`;
    case 'following':
      return `${operand(b.offset, PREC.AND + 1)} FOLLOWING`;
    default: {
      const never: never = b;
      throw new Error(`unknown frame bound ${(never as A.FrameBound).kind}`);
    }
  }
}

function printCall(c: A.CallExpr): string {
  // The first part may be a keyword (LEFT(s, 2)): it is followed by '(' so it parses as a call.
  const name = c.name.parts.map((p, i) => printPart(p, c.name.quoted[i])).join('.');
  if (c.noParens) return name;
  let args: string;
  if (c.star) args = '*';
  else args = (c.distinct ? 'DISTINCT ' : '') + c.args.map((a) => printExpression(a)).join(', ');
  const fn = c.name.parts.length === 1 && !c.name.quoted[0] ? c.name.parts[0].toUpperCase() : '';
  if (fn === 'JSON_OBJECT' || fn === 'JSON_OBJECTAGG') {
    const pairs: string[] = [];
    for (let i = 0; i + 1 < c.args.length; i += 2) pairs.push(`KEY ${printExpression(c.args[i])} VALUE ${printExpression(c.args[i + 1])}`);
    args = pairs.join(', ');
  }
  if (c.json) args = (args + printJsonClauses(c.json)).trimStart();
  let out = `${name}(${args})`;
  if (c.filter) out += ` FILTER (WHERE ${printExpression(c.filter)})`;
  if (c.over) out += c.over.bareRef && c.over.ref ? ` OVER ${id(c.over.ref)}` : ` OVER (${printWindowSpecBody(c.over)})`;
  return out;
}

function printJsonBehavior(b: A.JsonBehavior): string {
  return b.kind === 'DEFAULT' ? `DEFAULT ${printExpression(b.value)}` : b.kind;
}

function printJsonClauses(j: A.JsonClauses): string {
  let out = '';
  if (j.returning) out += ` RETURNING ${printDataType(j.returning)}`;
  if (j.wrapper) out += ` ${j.wrapper} ARRAY WRAPPER`;
  if (j.onEmpty) out += ` ${printJsonBehavior(j.onEmpty)} ON EMPTY`;
  if (j.onError) out += ` ${printJsonBehavior(j.onError)} ON ERROR`;
  if (j.onNull) out += ` ${j.onNull} ON NULL`;
  return out;
}

export function printExpression(e: A.Expr): string {
  switch (e.kind) {
    case 'ident':
      return printColumnRef(e);
    case 'literal':
      return printLiteral(e);
    case 'unary': {
      if (e.op === 'NOT') return `NOT ${operand(e.operand, PREC.NOT + 1)}`;
      const inner = operand(e.operand, PREC.UNARY + 1);
      // never print `--x` (a comment) or `+ +x` ambiguities
      return inner.startsWith('-') || inner.startsWith('+') ? `${e.op}(${inner})` : `${e.op}${inner}`;
    }
    case 'binary': {
      // a left-deep chain (a + b + c + …) prints in a loop, however long it is
      const p = BINARY_PREC[e.op];
      const rights: string[] = [];
      let cur: A.Expr = e;
      while (cur.kind === 'binary' && BINARY_PREC[cur.op] === p) {
        rights.push(`${cur.op} ${operand(cur.right, p + 1)}`);
        cur = cur.left;
      }
      return [operand(cur, p), ...rights.reverse()].join(' ');
    }
    case 'is':
      return `${operand(e.operand, PREC.IS)} IS ${e.negated ? 'NOT ' : ''}${e.test}`;
    case 'isDistinctFrom':
      return `${operand(e.left, PREC.IS)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${operand(e.right, PREC.COMPARISON + 1)}`;
    case 'between':
      return `${operand(e.operand, PREC.BETWEEN)} ${e.negated ? 'NOT ' : ''}BETWEEN ${e.symmetric ? 'SYMMETRIC ' : ''}${operand(e.low, PREC.BETWEEN + 1)} AND ${operand(e.high, PREC.BETWEEN + 1)}`;
    case 'like':
      return `${operand(e.operand, PREC.BETWEEN)} ${e.negated ? 'NOT ' : ''}${e.op} ${operand(e.pattern, PREC.BETWEEN + 1)}${e.escape ? ` ESCAPE ${operand(e.escape, PREC.BETWEEN + 1)}` : ''}`;
    case 'inList':
      return `${operand(e.operand, PREC.BETWEEN)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map((x) => printExpression(x)).join(', ')})`;
    case 'inSubquery':
      return `${operand(e.operand, PREC.BETWEEN)} ${e.negated ? 'NOT ' : ''}IN (${printQuery(e.query)})`;
    case 'exists':
      return `EXISTS (${printQuery(e.query)})`;
    case 'scalarSubquery':
      return `(${printQuery(e.query)})`;
    case 'cast':
      return `${e.try ? 'TRY_CAST' : 'CAST'}(${printExpression(e.operand)} AS ${printDataType(e.type)})`;
    case 'case': {
      let out = 'CASE';
      if (e.operand) out += ' ' + printExpression(e.operand);
      for (const w of e.whens) out += ` WHEN ${printExpression(w.when)} THEN ${printExpression(w.then)}`;
      if (e.else) out += ` ELSE ${printExpression(e.else)}`;
      return out + ' END';
    }
    case 'call':
      return printCall(e);
    case 'extract':
      return `EXTRACT(${e.unit} FROM ${printExpression(e.operand)})`;
    case 'floorCeil':
      return `${e.fn}(${printExpression(e.operand)} TO ${e.unit})`;
    case 'position':
      return `POSITION(${operand(e.needle, PREC.BETWEEN + 1)} IN ${printExpression(e.haystack)})`;
    case 'trim':
      if (e.where === 'BOTH' && !e.chars) return `TRIM(${printExpression(e.operand)})`;
      return `TRIM(${e.where} ${e.chars ? printExpression(e.chars) + ' ' : ''}FROM ${printExpression(e.operand)})`;
    case 'substring':
      return `SUBSTRING(${printExpression(e.operand)} FROM ${printExpression(e.start)}${e.length ? ` FOR ${printExpression(e.length)}` : ''})`;
    case 'overlay':
      return `OVERLAY(${printExpression(e.operand)} PLACING ${printExpression(e.placing)} FROM ${printExpression(e.start)}${e.length ? ` FOR ${printExpression(e.length)}` : ''})`;
    case 'subscript':
      return `${operand(e.operand, PREC.POSTFIX)}[${printExpression(e.index)}]`;
    case 'fieldAccess': {
      const inner = e.operand.kind === 'ident' || e.operand.kind === 'literal' ? `(${printExpression(e.operand)})` : operand(e.operand, PREC.POSTFIX);
      return `${inner}.${printPart(e.field.value, e.field.quoted)}`;
    }
    case 'row':
      if (e.explicit) return `ROW(${e.items.map((x) => printExpression(x)).join(', ')})`;
      return `(${e.items.map((x) => printExpression(x)).join(', ')})`;
    case 'array':
      return `ARRAY[${e.items.map((x) => printExpression(x)).join(', ')}]`;
    case 'map':
      return `MAP[${e.entries.map(([k, v]) => `${printExpression(k)}, ${printExpression(v)}`).join(', ')}]`;
    default: {
      const never: never = e;
      throw new Error(`unknown expression ${(never as A.Expr).kind}`);
    }
  }
}
