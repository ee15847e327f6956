// The binder: resolves names against the catalogs, types every expression (with Flink's
// implicit casts), and turns AST queries into logical plans.
import type * as A from '../parser/ast.js';
import { parseExpression, parseStatement } from '../parser/index.js';
import type { CatalogTable } from '../common/catalog.js';
import type { ConnectorFactory, TableDescriptor } from '../common/connector.js';
import { formatPath } from '../common/connector.js';
import { PlanningError, UnsupportedError, ValidationError, suggestion } from '../common/errors.js';
import type { FactoryRegistry } from '../common/registry.js';
import { validateOptions } from '../common/options.js';
import { MAX_LENGTH, formatType, isNumeric, isString, isTimestamp, typesEqual, withNullable, type Field, type LogicalType } from '../common/types.js';
import type { CatalogManager } from '../catalog/manager.js';
import { aggregateFunctionNames, getAggregateFunction, getScalarFunction, scalarFunctionNames, type UserFunctions } from '../functions/registry.js';
import { canonical, decFromString, inLongRange, MAX_PRECISION, parseInteger } from '../common/exact.js';
import { arithmeticResultType, commonType, comparisonType } from '../functions/coercion.js';
import { canCast, truncateMicros } from '../functions/cast.js';
import { simplifyFilter, simplifyRex } from './simplify.js';
import { nanosToMicros, truncateNanos } from '../common/nanos.js';
import { jsonValueReturningSupported } from '../functions/scalar/json.js';
import { jsonAggregateName } from '../functions/json-aggregates.js';

/** Functions whose SQL/JSON clauses (RETURNING, ON ERROR, WRAPPER, ON NULL) the binder turns into arguments. */
const JSON_CLAUSE_FUNCTIONS = new Set(['JSON_VALUE', 'JSON_QUERY', 'JSON_EXISTS', 'JSON_OBJECT', 'JSON_ARRAY']);
import type { LogicalNode, PlanField, ResolvedTable } from './logical.js';
import type { AggCall, FrameEdge, OverCall, OverFrame, RankFunction, SortKey, WindowSpec } from './physical.js';
import { formatRex, inputRefs, remapInputs, rexCall, rexInput, rexLiteral, type RexNode } from './rex.js';
import { bindMatchRecognize } from './match-recognize.js';
import { analyzeGrouping, expandGroupingSets, groupingValue, isGroupingCall, type GroupingAnalysis } from './grouping.js';

export interface PlannerContext {
  catalogs: CatalogManager;
  registry: FactoryRegistry;
  config: ReadonlyMap<string, string>;
  /** The session's user-defined functions (CREATE FUNCTION); none when absent. */
  functions?: UserFunctions;
}

export function isBatchMode(config: ReadonlyMap<string, string>): boolean {
  return (config.get('execution.runtime-mode') ?? 'streaming').toLowerCase() === 'batch';
}

const BOOL: LogicalType = { kind: 'BOOLEAN', nullable: true };
const TIME_UNIT = /^(SQL_TSI_)?(NANOSECOND|MICROSECOND|MILLISECOND|SECOND|MINUTE|HOUR|DAY|WEEK|MONTH|QUARTER|YEAR)$/i;
const STRING: LogicalType = { kind: 'VARCHAR', length: MAX_LENGTH, nullable: true };
const TS3: LogicalType = { kind: 'TIMESTAMP', precision: 3, nullable: false };

/** A column visible to expressions: its position, name, table alias and type. */
interface ScopeField extends PlanField {
  qualifier?: string;
  /** The other side's copy of a JOIN … USING column: reachable only qualified, not by `*`. */
  usingDuplicate?: boolean;
  /** The kept copy of a JOIN … USING column: first in an unqualified `*`, as in Flink. */
  usingKept?: boolean;
}

class Scope {
  constructor(readonly fields: ScopeField[]) {}

  static of(fields: PlanField[], qualifier?: string): Scope {
    return new Scope(fields.map((f) => ({ ...f, qualifier })));
  }

  concat(other: Scope): Scope {
    return new Scope([...this.fields, ...other.fields]);
  }

  /** Finds `col` or `alias.col` (longest match); returns the index and any remaining parts (ROW fields). */
  resolve(parts: string[], pos: A.Pos): { index: number; rest: string[] } {
    if (parts.length >= 2) {
      const q = parts[0];
      const matches = this.fields.map((f, i) => [f, i] as const).filter(([f]) => f.qualifier !== undefined && eq(f.qualifier, q) && eq(f.name, parts[1]));
      if (matches.length === 1) return { index: matches[0][1], rest: parts.slice(2) };
      if (matches.length > 1) throw new ValidationError(`Column '${parts.slice(0, 2).join('.')}' is ambiguous`, pos);
    }
    const matches = this.fields.map((f, i) => [f, i] as const).filter(([f]) => f.name === parts[0] && !f.usingDuplicate);
    const ci = matches.length ? matches : this.fields.map((f, i) => [f, i] as const).filter(([f]) => eq(f.name, parts[0]) && !f.usingDuplicate);
    if (ci.length === 1) return { index: ci[0][1], rest: parts.slice(1) };
    if (ci.length > 1) throw new ValidationError(`Column '${parts[0]}' is ambiguous: it exists in ${ci.map(([f]) => f.qualifier ?? '?').join(' and ')}`, pos);
    const known = this.fields.map((f) => f.name);
    throw new ValidationError(`Column '${parts.join('.')}' not found in any table${suggestion(parts[parts.length - 1], known)}; available: ${known.join(', ')}`, pos);
  }
}

function eq(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

function fieldOf(e: RexNode, name: string, input?: PlanField[]): PlanField {
  const f: PlanField = { name, type: e.type };
  if (e.kind === 'input' && input?.[e.index]?.timeAttr) f.timeAttr = input[e.index].timeAttr;
  // PROCTIME() in a select list is a processing-time attribute, as in Flink.
  else if (e.kind === 'call' && e.op === 'PROCTIME') f.timeAttr = 'proctime';
  return f;
}

/** Strips time-attribute-ness: `TIMESTAMP(3) *ROWTIME*` becomes a plain TIMESTAMP(3) after e.g. aggregation. */
function typeLabel(f: PlanField): string {
  const t = formatType(f.type);
  return f.timeAttr === 'rowtime' ? `${t} *ROWTIME*` : f.timeAttr === 'proctime' ? `${t} *PROCTIME*` : t;
}

export { typeLabel };

/** Looks for an aggregate call (not inside a subquery). */
function containsAggregate(e: A.Expr | undefined, fns: UserFunctions | undefined): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === 'call' && !x.over && getAggregateFunction(lastPart(x.name), fns) !== undefined) found = true;
  });
  return found;
}

function lastPart(n: A.ObjectName): string {
  return n.parts[n.parts.length - 1];
}

/** Visits every expression node (pre-order), not descending into subqueries. */
export function walkExpr(e: A.Expr | undefined, f: (e: A.Expr) => void): void {
  if (!e) return;
  f(e);
  const w = (x: A.Expr | undefined) => walkExpr(x, f);
  switch (e.kind) {
    case 'ident':
    case 'literal':
    case 'exists':
    case 'scalarSubquery':
      return;
    case 'unary':
      return w(e.operand);
    case 'binary':
    case 'isDistinctFrom':
      w(e.left);
      return w(e.right);
    case 'is':
      return w(e.operand);
    case 'between':
      w(e.operand);
      w(e.low);
      return w(e.high);
    case 'like':
      w(e.operand);
      w(e.pattern);
      return w(e.escape);
    case 'inList':
      w(e.operand);
      return e.list.forEach(w);
    case 'inSubquery':
      return w(e.operand);
    case 'cast':
      return w(e.operand);
    case 'case':
      w(e.operand);
      e.whens.forEach((x) => {
        w(x.when);
        w(x.then);
      });
      return w(e.else);
    case 'call':
      e.args.forEach(w);
      return w(e.filter);
    case 'extract':
    case 'floorCeil':
      return w(e.operand);
    case 'position':
      w(e.needle);
      return w(e.haystack);
    case 'trim':
      w(e.chars);
      return w(e.operand);
    case 'substring':
      w(e.operand);
      w(e.start);
      return w(e.length);
    case 'overlay':
      w(e.operand);
      w(e.placing);
      w(e.start);
      return w(e.length);
    case 'subscript':
      w(e.operand);
      return w(e.index);
    case 'fieldAccess':
      return w(e.operand);
    case 'row':
    case 'array':
      return e.items.forEach(w);
    case 'map':
      return e.entries.forEach(([k, v]) => {
        w(k);
        w(v);
      });
  }
}

/** Structural key of an AST expression (ignores positions), to match GROUP BY expressions. */
function exprKey(e: A.Expr): string {
  return JSON.stringify(e, (k, v) => (k === 'pos' || k === 'quoted' || k === 'text' ? undefined : v));
}

/** The run-time value of a DECIMAL(p, s) literal written as `text`. */
function decimalLiteralValue(text: string, precision: number, scale: number): unknown {
  // The unscaled integer (exact; see the representation in common/types.ts).
  const v = decFromString(text, precision, scale);
  if (v === undefined) throw new ValidationError(`Numeric literal ${text} does not fit DECIMAL(${precision}, ${scale})`);
  return v;
}

/** A grouped SELECT bound: its plan, and what ORDER BY may still read. */
type Grouped = { plan: LogicalNode; selectScope?: Scope; orderHook?: BindHook };

/** Hook consulted before binding each AST node (aggregate outputs, group keys). */
type BindHook = (e: A.Expr) => RexNode | undefined;

/** Casts `e` to `t` unless it already has that type. */
export function castTo(e: RexNode, t: LogicalType): RexNode {
  if (typesEqual(e.type, t)) return e;
  if (e.kind === 'literal' && e.value === null) return { kind: 'literal', value: null, type: withNullable(t, true) };
  // Lossless literal casts are folded at plan time (string widening, numeric widening).
  if (e.kind === 'literal' && typeof e.value === 'string' && isString(t) && (t.kind === 'VARCHAR' ? t.length >= e.value.length : false)) {
    return { kind: 'literal', value: e.value, type: withNullable(t, false) };
  }
  if (e.kind === 'literal' && typeof e.value === 'number' && Number.isInteger(e.value) && isNumeric(e.type) && e.type.kind !== 'DECIMAL' && (t.kind === 'BIGINT' || t.kind === 'DOUBLE' || (t.kind === 'INT' && Math.abs(e.value) <= 2147483647))) {
    return { kind: 'literal', value: e.value, type: withNullable(t, false) };
  }
  return { kind: 'cast', arg: e, type: withNullable(t, e.type.nullable || t.nullable), safe: false };
}

/** The error of each '$REFUSED' marker (Binder.bindExpr); how many are bound and not yet settled. */
const REFUSALS = new WeakMap<RexNode, ValidationError>();
const REFUSED_PENDING = { n: 0 };
/** The errors of the markers: a refusal thrown by settleRefusals is one of them. */
const REFUSAL_ERRORS = new WeakSet<object>();
const isRefusal = (e: unknown): boolean => typeof e === 'object' && e !== null && REFUSAL_ERRORS.has(e);

/** The markers in `e`, in order. */
function markersIn(e: RexNode, out: RexNode[] = []): RexNode[] {
  if (e.kind === 'call') {
    if (e.op === '$REFUSED') out.push(e);
    for (const a of e.args) markersIn(a, out);
  } else if (e.kind === 'cast') markersIn(e.arg, out);
  return out;
}

/** `e` (an outermost expression) simplified as Flink's planner does if it holds markers; throws the error of one that survives. */
function settleRefusals(e: RexNode, filter = false): RexNode {
  const before = markersIn(e);
  if (before.length === 0) return e;
  REFUSED_PENDING.n = Math.max(0, REFUSED_PENDING.n - before.length);
  const s = filter ? simplifyFilter(e) : simplifyRex(e);
  const left = markersIn(s);
  if (left.length) throw REFUSALS.get(left[0])!;
  return s;
}

/**
 * CAST of a TIMESTAMP (or TIMESTAMP_LTZ) literal to the same type of a lower precision: Flink's
 * planner (Calcite's RexBuilder.makeCast) makes it a literal, the text's digits cut, so toward
 * the past (CAST(TIMESTAMP '1969-12-31 23:59:59.999' AS TIMESTAMP(0)) is 23:59:59), whereas its
 * generated code for any other value cuts the epoch milliseconds toward zero (flinkTruncateMicros).
 */
function foldTimestampLiteralCast(x: RexNode, to: LogicalType): RexNode | undefined {
  if (x.kind !== 'literal' || x.value === null || x.value === undefined) return undefined;
  if (!((x.type.kind === 'TIMESTAMP' || x.type.kind === 'TIMESTAMP_LTZ') && to.kind === x.type.kind && to.precision < x.type.precision)) return undefined;
  const type = withNullable(to, false);
  if (typeof x.value === 'bigint') return rexLiteral(to.precision > 6 ? truncateNanos(x.value, to.precision) : truncateMicros(nanosToMicros(x.value), to.precision), type);
  return typeof x.value === 'number' ? rexLiteral(truncateMicros(x.value, to.precision), type) : undefined;
}

function nullableAny(args: RexNode[]): boolean {
  return args.some((a) => a.type.nullable);
}

const CONSTANT_OPS = new Set(['+', '-', '*', '/', '%', 'NEG']);

/** A literal, or casts, arithmetic and deterministic functions of literals only (what Flink reduces at planning). */
function isConstantRex(e: RexNode, fns: UserFunctions | undefined): boolean {
  if (e.kind === 'literal') return true;
  if (e.kind === 'cast') return isConstantRex(e.arg, fns);
  if (e.kind !== 'call') return false;
  if (!CONSTANT_OPS.has(e.op) && getScalarFunction(e.op, fns)?.deterministic !== true) return false;
  return e.args.every((x) => isConstantRex(x, fns));
}

/**
 * Operators whose IS NULL Flink's planner reads from their operands' (Calcite's Strong policy ANY,
 * RexSimplify.simplifyIsNull): arithmetic, comparisons, NOT, LIKE, EXTRACT, TRIM, FLOOR/CEIL,
 * TIMESTAMPADD. Not CAST, MOD/%, || or other functions (TIMESTAMPDIFF is a CAST to Flink).
 */
const IS_NULL_FROM_OPERANDS = new Set(['+', '-', '*', '/', 'NEG', '=', '<>', '<', '<=', '>', '>=', 'NOT', 'LIKE', 'NOT LIKE', 'EXTRACT', 'TRIM', 'LTRIM', 'RTRIM', 'FLOOR', 'CEIL', 'FLOOR_TO', 'CEIL_TO', 'TIMESTAMPADD']);

/**
 * x IS [NOT] NULL as Flink's planner simplifies it: of such an operator, its operands' IS [NOT] NULL
 * ORed (ANDed), one that cannot be NULL left out, so the operator is not evaluated:
 * (n * k) / TIMESTAMPDIFF(MONTH, ts, ts) IS NULL is FALSE where it would divide by zero (seed 14).
 */
function isNullOf(x: RexNode, negated: boolean): RexNode {
  const B: LogicalType = { kind: 'BOOLEAN', nullable: false };
  const terms: RexNode[] = [];
  const walk = (e: RexNode) => {
    if (e.kind === 'call' && IS_NULL_FROM_OPERANDS.has(e.op)) e.args.forEach(walk);
    else if (e.type.nullable || e.kind === 'call' || e.kind === 'cast') terms.push(rexCall(negated ? 'IS NOT NULL' : 'IS NULL', [e], B));
  };
  if (x.kind !== 'call' || !IS_NULL_FROM_OPERANDS.has(x.op)) return rexCall(negated ? 'IS NOT NULL' : 'IS NULL', [x], B);
  walk(x);
  if (terms.length === 0) return rexLiteral(negated, B);
  return terms.length === 1 ? terms[0] : rexCall(negated ? 'AND' : 'OR', terms, B);
}

/** Constant DOUBLE/FLOAT divisions by a constant zero, with the error Flink's planner gives where it reduces one. */
const ZERO_DIVISIONS = new WeakMap<RexNode, ValidationError>();

/** Throws for such a division that is the root of the largest constant expression around it (its parent, if any, reads a column). */
function throwConstantZeroDivision(e: RexNode, parent: RexNode | undefined, fns: UserFunctions | undefined): void {
  const err = ZERO_DIVISIONS.get(e);
  if (err && !(parent && isConstantRex(parent, fns))) throw err;
  if (e.kind === 'call') for (const a of e.args) throwConstantZeroDivision(a, e, fns);
  else if (e.kind === 'cast') throwConstantZeroDivision(e.arg, e, fns);
}

/** Calcite's TimeUnit order, for canRollUp. */
const ROLL_UP_ORDER = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'QUARTER', 'ISOYEAR', 'WEEK', 'MILLISECOND', 'MICROSECOND'];
const ROLL_UP_OUTER = new Set(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'MICROSECOND']);
const ROLL_UP_INNER = new Set([...ROLL_UP_OUTER, 'QUARTER']);

/** Whether FLOOR(FLOOR(x TO inner) TO outer) is FLOOR(x TO outer) to Flink's planner (Calcite's RexSimplify.canRollUp). */
function canRollUp(outer: string, inner: string): boolean {
  if (outer === 'QUARTER') return ROLL_UP_INNER.has(inner);
  if (!ROLL_UP_OUTER.has(outer) || !ROLL_UP_INNER.has(inner)) return false;
  if (inner === 'QUARTER') return outer === 'YEAR';
  return ROLL_UP_ORDER.indexOf(outer) <= ROLL_UP_ORDER.indexOf(inner);
}

/** A numeric literal zero (possibly cast). */
function isZeroConstant(e: RexNode): boolean {
  if (e.kind === 'cast') return isZeroConstant(e.arg);
  return e.kind === 'literal' && (typeof e.value === 'number' || typeof e.value === 'bigint') && Number(e.value) === 0;
}

/** The constant value of an interval or numeric literal expression (for window sizes, LIMIT). */
function constantValue(e: RexNode): unknown {
  if (e.kind === 'literal') return e.value;
  if (e.kind === 'call' && e.op === 'NEG' && e.args[0].kind === 'literal') return -(e.args[0].value as number);
  throw new ValidationError(`Expected a constant, found ${formatRex(e)}`);
}

export class Binder {
  constructor(private readonly ctx: PlannerContext) {}

  get batch(): boolean {
    return isBatchMode(this.ctx.config);
  }

  // ───────────── tables ─────────────

  /** Resolves a CREATE TABLE entry into what sources and sinks need. */
  async resolveTable(parts: string[], hints: A.Hint[] = [], pos?: A.Pos): Promise<ResolvedTable & { entry: CatalogTable }> {
    const { path, entry } = await this.ctx.catalogs.resolve(parts).catch((e) => {
      if (e instanceof ValidationError && pos) throw new ValidationError(e.message, pos);
      throw e;
    });
    if (entry.kind !== 'table') throw new ValidationError(`'${formatPath(path)}' is a view, not a table`, pos);
    const options = { ...entry.options };
    for (const h of hints) {
      if (h.name.toUpperCase() === 'OPTIONS') for (const [k, v] of h.options ?? []) options[k] = v;
    }
    const catalog = this.ctx.catalogs.getCatalog(path.catalog);
    let factory: ConnectorFactory | undefined;
    const connector = options['connector'];
    if (connector !== undefined) {
      factory = await this.ctx.registry.connector(connector);
      if (!factory) {
        throw new ValidationError(
          `Table '${formatPath(path)}': unknown connector '${connector}'${suggestion(connector, this.ctx.registry.connectorIds())}. Available connectors: ${this.ctx.registry.connectorIds().join(', ')}`,
          pos,
        );
      }
    } else {
      factory = catalog.tableFactory?.();
      if (!factory) throw new ValidationError(`Table '${formatPath(path)}' has no 'connector' option (available: ${this.ctx.registry.connectorIds().join(', ')})`, pos);
    }
    const optionsForCheck = Object.fromEntries(Object.entries(options).filter(([k]) => k !== 'connector'));
    validateOptions(`connector '${factory.identifier}' (table ${formatPath(path)})`, optionsForCheck, factory.options, factory.formatPrefixes?.(options) ?? []);

    const physical: Field[] = [];
    const metadata: TableDescriptor['metadata'] = [];
    for (const c of entry.columns) {
      if (c.kind === 'physical') physical.push({ name: c.name, type: c.type });
      else if (c.kind === 'metadata') {
        const key = c.key ?? c.name;
        if (factory.metadataKeys && !(key in factory.metadataKeys)) {
          throw new ValidationError(
            `Table '${formatPath(path)}': connector '${factory.identifier}' has no metadata key '${key}'${suggestion(key, Object.keys(factory.metadataKeys))}. Available: ${Object.keys(factory.metadataKeys).join(', ')}`,
            pos,
          );
        }
        metadata.push({ name: c.name, type: c.type, key, virtual: c.virtual });
      }
    }
    const descriptor: TableDescriptor = { path, physical, metadata, options, partitionKeys: entry.partitionKeys, primaryKey: entry.primaryKey };
    try {
      factory.validate?.(descriptor);
    } catch (e) {
      if (e instanceof ValidationError && pos && !e.position) throw new ValidationError(e.message, pos);
      throw e;
    }
    const producedFields: Field[] = [...physical, ...metadata.map((m) => ({ name: m.name, type: m.type }))];
    const producedScope = Scope.of(producedFields);
    const fields: PlanField[] = [];
    const exprs: RexNode[] = [];
    let identity = true;
    let pi = 0;
    let mi = 0;
    for (const c of entry.columns) {
      let e: RexNode;
      if (c.kind === 'physical') e = rexInput(pi++, c.type, c.name);
      else if (c.kind === 'metadata') e = rexInput(physical.length + mi++, c.type, c.name);
      else {
        e = this.bindExpr(parseExpression(c.expr), producedScope);
        identity = false;
      }
      if (e.kind !== 'input' || e.index !== exprs.length) identity = false;
      const f: PlanField = { name: c.name, type: e.type };
      if (c.kind === 'computed' && e.kind === 'call' && e.op === 'PROCTIME') f.timeAttr = 'proctime';
      exprs.push(e);
      fields.push(f);
    }
    let watermark: ResolvedTable['watermark'];
    if (entry.watermark) {
      const idx = fields.findIndex((f) => eq(f.name, entry.watermark!.column));
      if (idx < 0) throw new ValidationError(`WATERMARK column '${entry.watermark.column}' is not a column of ${formatPath(path)}`, pos);
      const t = fields[idx].type;
      if (t.kind !== 'TIMESTAMP' && t.kind !== 'TIMESTAMP_LTZ') {
        throw new ValidationError(`The rowtime attribute '${entry.watermark.column}' must be TIMESTAMP or TIMESTAMP_LTZ, but is ${formatType(t)}`, pos);
      }
      if (t.precision > 3) {
        // Flink 1.20's words (DefaultSchemaResolver): a rowtime holds milliseconds at most.
        throw new ValidationError(
          `Invalid data type of time field for watermark definition. The field must be of type TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the time field type is ${formatType(withNullable(t, true))}`,
          pos,
        );
      }
      fields[idx].timeAttr = 'rowtime';
      const wexpr = this.bindExpr(parseExpression(entry.watermark.expr), Scope.of(fields));
      if (!isTimestamp(wexpr.type)) throw new ValidationError(`The watermark expression must return a timestamp, not ${formatType(wexpr.type)}`, pos);
      watermark = { rowtimeIndex: idx, expr: wexpr };
    }
    return {
      entry,
      name: formatPath(path),
      descriptor,
      factory,
      producedFields,
      fields,
      computed: identity && exprs.length === producedFields.length ? undefined : exprs,
      watermark,
      metadataKeys: metadata.map((m) => m.key),
    };
  }

  // ───────────── queries ─────────────

  async bindQuery(q: A.Query, outer: Map<string, LogicalNode> = new Map()): Promise<LogicalNode> {
    const ctes = new Map(outer);
    for (const c of q.with) {
      let plan = await this.bindQuery(c.query, ctes);
      if (c.columns) plan = rename(plan, c.columns.map((i) => i.value));
      ctes.set(c.name.value, plan);
    }
    const { plan, selectScope, orderHook } = await this.bindBody(q.body, ctes, q.orderBy.length > 0);
    let result = plan;
    if (q.orderBy.length || q.limit || q.offset) {
      const keys: SortKey[] = [];
      const extra: RexNode[] = [];
      let hiddenColumns = 0;
      for (const o of q.orderBy) {
        let e: RexNode;
        if (o.expr.kind === 'literal' && o.expr.type === 'number') {
          const i = o.expr.value - 1;
          if (i < 0 || i >= result.fields.length) throw new ValidationError(`ORDER BY position ${o.expr.value} is not in the select list`, o.pos);
          e = rexInput(i, result.fields[i].type);
        } else {
          try {
            e = this.bindExpr(o.expr, Scope.of(result.fields));
          } catch (err) {
            // ORDER BY a column that is not selected: carry it through the select's projection.
            if (!(err instanceof ValidationError) || !selectScope || result.kind !== 'Project') throw err;
            const hidden = this.bindExpr(o.expr, selectScope, orderHook);
            result.exprs.push(hidden);
            result.fields.push({ name: `$order${result.fields.length}`, type: hidden.type, timeAttr: hidden.kind === 'input' ? selectScope.fields[hidden.index]?.timeAttr : undefined });
            e = rexInput(result.fields.length - 1, hidden.type);
            hiddenColumns++;
          }
        }
        let index: number;
        if (e.kind === 'input') index = e.index;
        else {
          index = result.fields.length + extra.length;
          extra.push(e);
        }
        keys.push({ index, descending: o.desc, nullsFirst: o.nulls ? o.nulls === 'FIRST' : !o.desc });
      }
      const width = result.fields.length - hiddenColumns;
      if (extra.length) {
        const exprs = [...result.fields.map((f, i) => rexInput(i, f.type)), ...extra];
        result = { kind: 'Project', input: result, exprs, fields: [...result.fields, ...extra.map((e, i) => ({ name: `$order${i}`, type: e.type }))] };
      }
      // Streaming ORDER BY … LIMIT is a Top-N (any keys); without LIMIT only a temporal sort.
      if (keys.length && !this.batch && !q.limit) {
        const f = result.fields[keys[0].index];
        if (!(f.timeAttr && !keys[0].descending)) {
          throw new PlanningError('Sort on a non-time-attribute field is not supported in streaming mode (ORDER BY needs an ascending time attribute first); use batch mode (SET \'execution.runtime-mode\' = \'batch\').');
        }
      }
      const limit = q.limit ? Number(constantValue(this.bindExpr(q.limit, Scope.of([])))) : undefined;
      const offset = q.offset ? Number(constantValue(this.bindExpr(q.offset, Scope.of([])))) : undefined;
      result = { kind: 'Sort', input: result, keys, limit, offset, fields: result.fields };
      if (extra.length || hiddenColumns) {
        result = { kind: 'Project', input: result, exprs: result.fields.slice(0, width).map((f, i) => rexInput(i, f.type)), fields: result.fields.slice(0, width) };
      }
    }
    return result;
  }

  private async bindBody(
    body: A.QueryBody,
    ctes: Map<string, LogicalNode>,
    _hasOrder: boolean,
  ): Promise<{ plan: LogicalNode; selectScope?: Scope; orderHook?: BindHook }> {
    switch (body.kind) {
      case 'query':
        return { plan: await this.bindQuery(body, ctes) };
      case 'values':
        return { plan: this.bindValues(body) };
      case 'setOp':
        return { plan: await this.bindSetOp(body, ctes) };
      case 'select':
        return this.bindSelect(body, ctes);
    }
  }

  private bindValues(v: A.Values): LogicalNode {
    const empty = Scope.of([]);
    const rows = v.rows.map((r) => r.map((e) => this.bindExpr(e, empty)));
    const width = rows[0]?.length ?? 0;
    if (rows.some((r) => r.length !== width)) throw new ValidationError('VALUES rows must all have the same number of columns', v.pos);
    const types: LogicalType[] = [];
    for (let i = 0; i < width; i++) {
      const t = commonType(rows.map((r) => r[i].type));
      if (!t) throw new ValidationError(`VALUES column ${i + 1} mixes incompatible types: ${rows.map((r) => formatType(r[i].type)).join(', ')}`, v.pos);
      types.push(t);
    }
    const cast = rows.map((r) => r.map((e, i) => castTo(e, types[i])));
    return { kind: 'Values', rows: cast, fields: types.map((t, i) => ({ name: `EXPR$${i}`, type: t })) };
  }

  private async bindSetOp(s: A.SetOperation, ctes: Map<string, LogicalNode>): Promise<LogicalNode> {
    if (s.op !== 'UNION') return this.bindIntersectExcept(s, ctes);
    const inputs: LogicalNode[] = [];
    const collect = async (b: A.QueryBody) => {
      if (b.kind === 'setOp' && b.op === 'UNION' && b.all === s.all) {
        await collect(b.left);
        await collect(b.right);
      } else inputs.push((await this.bindBody(b, ctes, false)).plan);
    };
    await collect(s.left);
    await collect(s.right);
    const width = inputs[0].fields.length;
    for (const i of inputs) {
      if (i.fields.length !== width) throw new ValidationError(`UNION inputs have different numbers of columns (${width} and ${i.fields.length})`, s.pos);
    }
    const types = inputs[0].fields.map((_, c) => {
      const t = commonType(inputs.map((i) => i.fields[c].type));
      if (!t) throw new ValidationError(`UNION column ${c + 1} has incompatible types: ${inputs.map((i) => formatType(i.fields[c].type)).join(', ')}`, s.pos);
      return t;
    });
    const casted = inputs.map((i) => {
      if (i.fields.every((f, c) => typesEqual(f.type, types[c], false))) return i;
      const exprs = i.fields.map((f, c) => castTo(rexInput(c, f.type), types[c]));
      return { kind: 'Project', input: i, exprs, fields: i.fields.map((f, c) => ({ name: f.name, type: types[c], timeAttr: f.timeAttr })) } as LogicalNode;
    });
    const fields = inputs[0].fields.map((f, c) => ({ name: f.name, type: types[c] }));
    let plan: LogicalNode = { kind: 'Union', inputs: casted, fields };
    if (!s.all) plan = this.distinct(plan, s.pos);
    return plan;
  }

  private distinct(plan: LogicalNode, _pos: A.Pos): LogicalNode {
    return { kind: 'Aggregate', input: plan, groupKeys: plan.fields.map((_, i) => i), aggs: [], fields: plan.fields.map((f) => ({ name: f.name, type: f.type })) };
  }

  private async bindFrom(t: A.TableRef, ctes: Map<string, LogicalNode>, lookupAllowed = false): Promise<{ plan: LogicalNode; scope: Scope }> {
    switch (t.kind) {
      case 'table': {
        let hints = t.hints;
        if (t.forSystemTime && !lookupAllowed) {
          // Time travel: FOR SYSTEM_TIME AS OF TIMESTAMP '…' reads the snapshot current then (Iceberg).
          const at = this.bindExpr(t.forSystemTime, Scope.of([]));
          if (at.kind !== 'literal' || !isTimestamp(at.type) || typeof at.value !== 'number') {
            throw new UnsupportedError("FOR SYSTEM_TIME AS OF outside a lookup join needs a constant TIMESTAMP (time travel on Iceberg tables)", t.forSystemTime.pos);
          }
          hints = [...hints, { name: 'OPTIONS', options: [['as-of-timestamp', String(Math.floor(at.value / 1000))]], pos: t.pos }];
        }
        const alias = t.alias?.name.value ?? t.name.parts[t.name.parts.length - 1];
        if (t.name.parts.length === 1 && ctes.has(t.name.parts[0])) {
          let plan = ctes.get(t.name.parts[0])!;
          if (t.alias?.columns) plan = rename(plan, t.alias.columns.map((c) => c.value));
          return { plan, scope: Scope.of(plan.fields, alias) };
        }
        let plan = await this.bindTableName(t.name, hints, ctes);
        if (t.alias?.columns) plan = rename(plan, t.alias.columns.map((c) => c.value));
        return { plan, scope: Scope.of(plan.fields, alias) };
      }
      case 'subquery': {
        if (t.lateral) throw new UnsupportedError('LATERAL subqueries are not supported yet', t.pos);
        let plan = await this.bindQuery(t.query, ctes);
        if (t.alias?.columns) plan = rename(plan, t.alias.columns.map((c) => c.value));
        return { plan, scope: Scope.of(plan.fields, t.alias?.name.value) };
      }
      case 'join':
        return this.bindJoin(t, ctes);
      case 'windowTvf': {
        const { plan, window } = await this.bindWindowTvf(t, ctes);
        const fields: PlanField[] = [
          ...plan.fields,
          { name: 'window_start', type: window.boundType },
          { name: 'window_end', type: window.boundType },
          { name: 'window_time', type: { ...(window.timeType ?? window.boundType) }, timeAttr: window.eventTime ? 'rowtime' : 'proctime' },
        ];
        const tvf: LogicalNode = { kind: 'WindowTVF', input: plan, window, fields };
        return { plan: tvf, scope: Scope.of(fields, t.alias?.name.value) };
      }
      case 'tableFunction': {
        const one: LogicalNode = { kind: 'Values', rows: [[]], fields: [] };
        return this.bindUnnest(one, Scope.of([]), this.tableFunctionAsUnnest(t), false);
      }
      case 'matchRecognize': {
        const { plan: input, scope } = await this.bindFrom(t.input, ctes);
        const { spec, fields } = bindMatchRecognize(t, {
          functions: this.ctx.functions,
          inputFields: input.fields,
          batch: this.batch,
          bindInput: (e, hook) => this.bindExpr(e, scope, hook),
          bindHooked: (e, hook) => this.bindExpr(e, Scope.of([]), hook),
          intervalMicros: (e) => {
            const r = this.bindExpr(e, Scope.of([]));
            if (r.type.kind !== 'INTERVAL_DAY_TIME') throw new ValidationError(`WITHIN needs a day-time INTERVAL, found ${formatType(r.type)}`, e.pos);
            return Number(constantValue(r));
          },
        });
        const plan: LogicalNode = { kind: 'MatchRecognize', input, spec: this.batch ? { ...spec, batch: true } : spec, fields };
        return { plan, scope: Scope.of(fields, t.alias?.name.value) };
      }
      case 'unnest': {
        // FROM UNNEST(ARRAY[…]): the unnest of one empty row.
        const one: LogicalNode = { kind: 'Values', rows: [[]], fields: [] };
        return this.bindUnnest(one, Scope.of([]), t, false);
      }
    }
  }

  private async bindTableName(name: A.ObjectName, hints: A.Hint[], ctes: Map<string, LogicalNode>): Promise<LogicalNode> {
    const { entry } = await this.ctx.catalogs.resolve(name.parts).catch((e) => {
      throw e instanceof ValidationError ? new ValidationError(e.message, name.pos) : e;
    });
    if (entry.kind === 'view') {
      const st = parseStatement(entry.query);
      if (st.kind !== 'queryStatement') throw new ValidationError(`View ${name.parts.join('.')} does not hold a query`, name.pos);
      let plan = await this.bindQuery(st.query, ctes);
      if (entry.columnNames) plan = rename(plan, entry.columnNames);
      return plan;
    }
    const table = await this.resolveTable(name.parts, hints, name.pos);
    if (!table.factory.createSource) throw new ValidationError(`Connector '${table.factory.identifier}' of table ${table.name} cannot be read (it is a sink only)`, name.pos);
    return { kind: 'Scan', table, fields: table.fields };
  }

  private async bindWindowTvf(t: A.WindowTvfRef, ctes: Map<string, LogicalNode>): Promise<{ plan: LogicalNode; window: WindowSpec }> {
    const plan = t.table.parts.length === 1 && ctes.has(t.table.parts[0]) ? ctes.get(t.table.parts[0])! : await this.bindTableName(t.table, [], ctes);
    const scope = Scope.of(plan.fields);
    const { index } = scope.resolve([t.timeCol.value], t.timeCol.pos);
    const tf = plan.fields[index];
    // Batch mode (as Flink): any TIMESTAMP(p)/TIMESTAMP_LTZ(p) column may be the descriptor, a
    // rowtime or not; window_start/window_end are TIMESTAMP(3) (the wall clock of the session time
    // zone for TIMESTAMP_LTZ) and window_time is typed as the column. Other than TIMESTAMP(3), the
    // runtime reads the column to the millisecond (WindowSpec.timeType).
    const timestampColumn = tf.type.kind === 'TIMESTAMP' || tf.type.kind === 'TIMESTAMP_LTZ';
    const plainInBatch = !tf.timeAttr && this.batch && timestampColumn;
    const readInBatch = this.batch && tf.timeAttr !== 'proctime' && timestampColumn;
    if (this.batch && t.fn === 'SESSION') {
      throw new UnsupportedError('Unaligned windows like session are not supported in batch mode yet (the SESSION window TVF runs in streaming mode, as in Flink 1.20)', t.pos);
    }
    if (!tf.timeAttr && !plainInBatch) {
      throw new ValidationError(
        `The window function ${t.fn} requires the time attribute '${t.timeCol.value}' to be a rowtime (WATERMARK FOR …) or proctime (PROCTIME()) column, but it is a plain ${formatType(tf.type)} column`,
        t.timeCol.pos,
      );
    }
    const interval = (e: A.Expr | undefined, what: string): number => {
      if (!e) throw new ValidationError(`${t.fn} needs a ${what} interval`, t.pos);
      const r = this.bindExpr(e, Scope.of([]));
      if (r.type.kind !== 'INTERVAL_DAY_TIME') throw new ValidationError(`${t.fn} ${what} must be a day-time INTERVAL, found ${formatType(r.type)}`, e.pos);
      const v = Number(constantValue(r));
      if (!(v > 0) && what !== 'offset') throw new ValidationError(`${t.fn} ${what} must be positive`, e.pos);
      return v;
    };
    const a = t.args;
    let size: number;
    let slide: number | undefined;
    switch (t.fn) {
      case 'TUMBLE':
        size = interval(a.size, 'size');
        break;
      case 'HOP':
        // A size that is not a multiple of the slide is fine for the TVF (and a batch aggregation
        // over it); Flink's streaming window aggregation refuses it (bindWindowAggregate).
        slide = interval(a.slide, 'slide');
        size = interval(a.size, 'size');
        break;
      case 'CUMULATE':
        slide = interval(a.step, 'step');
        size = interval(a.size, 'size');
        if (size % slide !== 0) throw new ValidationError(`CUMULATE size (${size / 1000} ms) must be an integral multiple of the step (${slide / 1000} ms)`, t.pos);
        break;
      case 'SESSION':
        size = interval(a.gap, 'gap');
        break;
    }
    const offset = a.offset ? interval(a.offset, 'offset') : 0;
    const partitionKeys = t.partitionBy.map((p) => {
      const r = this.bindExpr(p, scope);
      if (r.kind !== 'input') throw new ValidationError('SESSION PARTITION BY takes column names', p.pos);
      return r.index;
    });
    // Streaming mode over a TIMESTAMP_LTZ time attribute (rowtime or PROCTIME()), as Flink: the
    // windows are in the wall clock of the session time zone too (window_start/window_end
    // TIMESTAMP(3), window_time TIMESTAMP_LTZ(3)) and fire when the watermark (or processing time)
    // reaches their end as an instant (src/runtime/operators/window.ts windowProgress).
    const shifted = !this.batch && tf.type.kind === 'TIMESTAMP_LTZ';
    const boundType: LogicalType = tf.type.kind === 'TIMESTAMP_LTZ' && !readInBatch && !shifted ? { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: false } : TS3;
    const timeType = (readInBatch && (tf.type.kind !== 'TIMESTAMP' || tf.type.precision !== 3)) || shifted ? withNullable(tf.type, false) : undefined;
    return {
      plan,
      window: { kind: t.fn, timeIndex: index, eventTime: tf.timeAttr !== 'proctime', size, slide, offset, partitionKeys, boundType, ...(timeType ? { timeType } : {}) },
    };
  }

  private async bindJoin(j: A.JoinTableRef, ctes: Map<string, LogicalNode>): Promise<{ plan: LogicalNode; scope: Scope }> {
    const l = await this.bindFrom(j.left, ctes);
    if (j.right.kind === 'unnest') return this.bindUnnestJoin(j, l.plan, l.scope);
    if (j.right.kind === 'tableFunction') return this.bindUnnestJoin({ ...j, right: this.tableFunctionAsUnnest(j.right) }, l.plan, l.scope);
    const lookup = j.right.kind === 'table' && j.right.forSystemTime !== undefined;
    // FOR SYSTEM_TIME AS OF a processing-time attribute of the left side: Flink's lookup join; AS OF
    // its rowtime: an event-time temporal join against a versioned table (`asOf`, the left rowtime).
    let asOf: number | undefined;
    if (lookup) {
      const at = this.bindExpr((j.right as A.NamedTableRef).forSystemTime!, l.scope);
      const attr = at.kind === 'input' ? l.plan.fields[at.index]?.timeAttr : undefined;
      if (attr === 'rowtime') asOf = (at as { index: number }).index;
      else if (attr !== 'proctime') {
        throw new UnsupportedError('FOR SYSTEM_TIME AS OF in a join needs a time attribute of the left table: PROCTIME() (a lookup join) or its rowtime (an event-time temporal join against a versioned table)', j.right.pos);
      }
      if (j.joinType !== 'INNER' && j.joinType !== 'LEFT') throw new ValidationError(`A ${asOf === undefined ? 'lookup' : 'temporal'} join is an INNER or LEFT join`, j.pos);
    }
    const r = await this.bindFrom(j.right, ctes, lookup);
    const scope = l.scope.concat(r.scope);
    // Time attributes survive a join (an interval join keeps both sides' rowtimes).
    const fields: PlanField[] = [...l.plan.fields, ...r.plan.fields].map((f) => ({ name: f.name, type: f.type, timeAttr: f.timeAttr === 'rowtime' ? 'rowtime' : undefined }));
    let condition: RexNode | undefined;
    if (j.natural) throw new UnsupportedError('NATURAL JOIN is not supported yet', j.pos);
    if (j.on) {
      condition = this.bindExpr(j.on, scope);
      if (condition.type.kind !== 'BOOLEAN') throw new ValidationError(`JOIN ON condition must be BOOLEAN, found ${formatType(condition.type)}`, j.on.pos);
    } else if (j.using) {
      const conds = j.using.map((u) => {
        const li = l.scope.resolve([u.value], u.pos).index;
        const ri = r.scope.resolve([u.value], u.pos).index + l.plan.fields.length;
        return this.compareRex('=', rexInput(li, fields[li].type), rexInput(ri, fields[ri].type), u.pos);
      });
      condition = conds.reduce((x, y) => rexCall('AND', [x, y], BOOL));
    }
    const joinType = j.joinType === 'CROSS' || j.joinType === 'COMMA' ? 'INNER' : j.joinType;
    if (joinType === 'LEFT' || joinType === 'FULL') r.plan.fields.forEach((_, i) => (fields[l.plan.fields.length + i].type = withNullable(fields[l.plan.fields.length + i].type, true)));
    if (joinType === 'RIGHT' || joinType === 'FULL') l.plan.fields.forEach((_, i) => (fields[i].type = withNullable(fields[i].type, true)));
    const plan: LogicalNode = { kind: 'Join', joinType, left: l.plan, right: r.plan, condition, fields, lookup: (lookup && asOf === undefined) || undefined, ...(asOf !== undefined ? { asOf } : {}) };
    // JOIN … USING (c): an unqualified c is the kept side's column (the left one, the right one in a
    // RIGHT JOIN); a FULL JOIN would need COALESCE of both, so there c stays ambiguous.
    const duplicates = new Set<number>();
    const kept = new Set<number>();
    if (j.using && joinType !== 'FULL') {
      for (const u of j.using) {
        const li = l.scope.resolve([u.value], u.pos).index;
        const ri = r.scope.resolve([u.value], u.pos).index + l.plan.fields.length;
        duplicates.add(joinType === 'RIGHT' ? li : ri);
        kept.add(joinType === 'RIGHT' ? ri : li);
      }
    }
    return {
      plan,
      scope: new Scope(scope.fields.map((f, i) => ({ ...f, type: fields[i].type, timeAttr: fields[i].timeAttr, usingDuplicate: duplicates.has(i) || f.usingDuplicate || undefined, usingKept: kept.has(i) || undefined }))),
    };
  }

  private async bindSelect(s: A.Select, ctes: Map<string, LogicalNode>): Promise<{ plan: LogicalNode; selectScope?: Scope; orderHook?: BindHook }> {
    let plan: LogicalNode;
    let scope: Scope;
    if (s.from) ({ plan, scope } = await this.bindFrom(s.from, ctes));
    else {
      plan = { kind: 'Values', rows: [[]], fields: [] };
      scope = Scope.of([]);
    }
    const hasAgg = s.items.some((i) => i.kind === 'expr' && containsAggregate(i.expr, this.ctx.functions)) || containsAggregate(s.having, this.ctx.functions);
    const grouped = s.groupBy.length > 0 || hasAgg;

    if (grouped && plan.kind === 'WindowTVF' && s.groupBy.length > 0) {
      if (s.where && hasSubquery(s.where)) {
        // IN / EXISTS (and scalar subqueries) in a window aggregation's WHERE: semi/anti joins of the
        // window TVF's input rows, before the window (the subquery reads the table's columns).
        const base = plan.input.fields.length;
        let bound: { plan: LogicalNode };
        try {
          bound = await this.bindWhereWithSubqueries(s.where, plan.input, new Scope(scope.fields.slice(0, base)), ctes);
        } catch (e) {
          if (!(e instanceof ValidationError && /window_(start|end|time)/.test(e.message))) throw e;
          // The subquery reads the window bounds: a window semi/anti join of the window TVF's rows
          // (window_start = …, window_end = …) feeds the window aggregation, which takes each row's
          // window from its window_start/window_end columns (Flink's window-attached aggregation).
          const joined = await this.bindWhereWithSubqueries(s.where, plan, scope, ctes);
          const attached = { ...plan, input: joined.plan, window: { ...plan.window, attached: { start: base, end: base + 1 } } };
          return this.bindWindowAggregate({ ...s, where: undefined }, attached, scope);
        }
        return this.bindWindowAggregate({ ...s, where: undefined }, { ...plan, input: bound.plan }, scope);
      }
      return this.bindWindowAggregate(s, plan, scope);
    }
    if (grouped && s.groupBy.some((g) => g.kind === 'expr' && isGroupWindowCall(g.expr))) {
      return this.bindGroupWindow(s, plan, scope);
    }
    if (s.where) {
      if (containsAggregate(s.where, this.ctx.functions)) throw new ValidationError('Aggregate functions are not allowed in WHERE (use HAVING)', s.where.pos);
      if (hasSubquery(s.where)) ({ plan, scope } = await this.bindWhereWithSubqueries(s.where, plan, scope, ctes));
      else {
        const cond = this.bindCondition(s.where, scope);
        if (cond.type.kind !== 'BOOLEAN' && cond.type.kind !== 'NULL') throw new ValidationError(`WHERE condition must be BOOLEAN, found ${formatType(cond.type)}`, s.where.pos);
        plan = { kind: 'Filter', input: plan, condition: cond, fields: plan.fields };
        const f = simplifyFilter(cond);
        if (f.kind === 'literal' && f.value !== true) return this.overEmptyInput(() => this.bindSelectItemsOver(s, plan, scope, grouped, ctes));
      }
    }
    return this.bindSelectItemsOver(s, plan, scope, grouped, ctes);
  }

  /**
   * Binds `bind` (a query's select list, grouping and aggregates) over an input Flink's planner
   * finds empty (a WHERE simplified to FALSE: PruneEmptyRules make it empty Values, and the
   * projections and aggregate arguments over it go with it): a call Flink refuses only while
   * generating code (JSON_VALUE … RETURNING DECIMAL) is not refused there.
   */
  private async overEmptyInput<R>(bind: () => Promise<R>): Promise<R> {
    const before = this.emptyInput;
    this.emptyInput = true;
    try {
      return await bind();
    } finally {
      this.emptyInput = before;
    }
  }

  /**
   * Whether a HAVING without aggregates or subqueries simplifies to FALSE or NULL whatever the rows
   * (HAVING FALSE, HAVING k IS NULL AND k IS NOT NULL), bound over the aggregate's input for that
   * question only: binding it in its place still reports what is wrong with it.
   */
  private havingFalse(having: A.Expr | undefined, scope: Scope): boolean {
    if (!having || containsAggregate(having, this.ctx.functions) || hasSubquery(having)) return false;
    let cond: RexNode;
    try {
      cond = this.bindCondition(having, scope);
    } catch {
      return false;
    }
    const f = simplifyFilter(cond);
    return f.kind === 'literal' && f.value !== true;
  }

  private async bindSelectItemsOver(s: A.Select, plan: LogicalNode, scope: Scope, grouped: boolean, ctes: Map<string, LogicalNode>): Promise<{ plan: LogicalNode; selectScope?: Scope; orderHook?: BindHook }> {
    if (grouped) {
      // A HAVING that is FALSE whatever the rows: Flink's planner prunes the aggregate with its
      // arguments (PruneEmptyRules), as under a WHERE that is FALSE.
      if (this.havingFalse(s.having, scope)) return this.overEmptyInput(async () => this.bindAggregate(s, plan, scope, ctes));
      return this.bindAggregate(s, plan, scope, ctes);
    }
    // Scalar subqueries in the select list: joined columns the items read.
    const itemExprs = s.items.flatMap((i) => (i.kind === 'expr' ? [i.expr] : []));
    const scalars = await this.joinScalarSubqueries(itemExprs, plan, scope, ctes);
    ({ plan, scope } = scalars);
    ({ plan, scope } = this.bindRowNumber(s, plan, scope));
    const rowNumberHook = this.rowNumberHook(scope);
    const itemHook: BindHook | undefined = scalars.hook ? (e) => scalars.hook!(e) ?? rowNumberHook?.(e) : rowNumberHook;
    const { exprs, names } = this.bindSelectItems(s.items, scope, itemHook);
    let out: LogicalNode = { kind: 'Project', input: plan, exprs, fields: exprs.map((e, i) => fieldOf(e, names[i], plan.fields)) };
    if (s.distinct) return { plan: this.distinct(out, s.pos) };
    return { plan: out, selectScope: scope };
  }

  /**
   * OVER in a select list. `ROW_NUMBER() OVER (PARTITION BY … ORDER BY …)` becomes a Rank node
   * (a hidden `$rownum` column); aggregates `f(x) OVER (PARTITION BY … ORDER BY time [ROWS|RANGE
   * BETWEEN … PRECEDING AND CURRENT ROW])` sharing one window become an OverAggregate node (hidden
   * `$over<i>` columns). The select items then read those columns.
   */
  private bindRowNumber(s: A.Select, plan: LogicalNode, scope: Scope, hook?: BindHook): { plan: LogicalNode; scope: Scope } {
    const calls: A.CallExpr[] = [];
    for (const i of s.items) {
      if (i.kind !== 'expr') continue;
      walkExpr(i.expr, (x) => {
        if (x.kind === 'call' && x.over) calls.push(x);
      });
    }
    if (!calls.length) return { plan, scope };
    const first = calls[0];
    const specs = calls.map((c) => resolveWindowSpec(c.over!, s.windows));
    const names = calls.map((c) => lastPart(c.name).toUpperCase());
    // Calcite's validation of window functions (its words), in both modes.
    calls.forEach((c, n) => {
      const name = names[n];
      const sp = specs[n];
      if (c.filter) throw new ValidationError('OVER must be applied to aggregate function: FILTER (WHERE …) is not allowed with OVER (put the condition in a CASE inside the aggregate)', c.filter.pos);
      if (!WINDOW_FUNCTIONS.has(name)) return;
      if (sp.frame) throw new ValidationError('ROW/RANGE not allowed with RANK, DENSE_RANK or ROW_NUMBER functions', sp.pos);
      const [lo, hi] = name === 'NTILE' ? [1, 1] : name === 'LAG' || name === 'LEAD' ? [1, 3] : [0, 0];
      if (c.star || c.args.length < lo || c.args.length > hi) {
        throw new ValidationError(`Invalid number of arguments to function '${name}'. Was expecting ${lo === hi ? lo : `${lo} to ${hi}`} arguments`, c.pos);
      }
      if (c.distinct) throw new ValidationError(`DISTINCT is not allowed with ${name}`, c.pos);
      if (!sp.orderBy.length) {
        if (name === 'RANK' || name === 'DENSE_RANK' || name === 'PERCENT_RANK' || name === 'CUME_DIST') throw new ValidationError('RANK or DENSE_RANK functions require ORDER BY clause in window specification', c.pos);
        if (name === 'ROW_NUMBER' || name === 'NTILE') throw new ValidationError('Over Agg: The window rank function requires order by clause with non-constant fields. please re-check the over window statement.', c.pos);
      }
    });
    // Keys and arguments that are expressions: columns appended to the input (a projection below).
    const pre: RexNode[] = [];
    const col = (e: RexNode): number => {
      if (e.kind === 'input') return e.index;
      const k = formatRex(e);
      let i = pre.findIndex((p) => formatRex(p) === k && typesEqual(p.type, e.type, false));
      if (i < 0) i = pre.push(e) - 1;
      return plan.fields.length + i;
    };
    const bindKeys = (sp: A.WindowSpec) => ({
      partitionKeys: sp.partitionBy.map((p) => col(this.bindExpr(p, scope, hook))),
      orderKeys: sp.orderBy.map((o): SortKey => ({ index: col(this.bindExpr(o.expr, scope, hook)), descending: o.desc, nullsFirst: o.nulls ? o.nulls === 'FIRST' : !o.desc })),
    });
    // The input with the appended columns (a Project when there are any); its scope.
    const withPre = (): { input: LogicalNode; inputScope: PlanField[] } => {
      if (!pre.length) return { input: plan, inputScope: scope.fields };
      const preFields: PlanField[] = pre.map((e, i) => ({ name: `$arg${i}`, type: e.type }));
      return {
        input: { kind: 'Project', input: plan, exprs: [...plan.fields.map((f, i) => rexInput(i, f.type, f.name)), ...pre], fields: [...plan.fields.map((f) => ({ ...f })), ...preFields] },
        inputScope: [...scope.fields, ...preFields],
      };
    };
    const over = specs[0];
    const rankFn = names.find((n): n is RankFunction => n === 'ROW_NUMBER' || n === 'RANK' || n === 'DENSE_RANK');
    if (rankFn && calls.length === 1 && s.items.some((i) => i.kind === 'expr' && i.expr === first)) {
      // A ranking of its own: a Rank node (a Top-N or a deduplication when an outer filter reads it).
      const { partitionKeys, orderKeys } = bindKeys(over);
      const { input, inputScope } = withPre();
      const rownum: PlanField = { name: '$rownum', type: { kind: 'BIGINT', nullable: false } };
      const rank: LogicalNode = { kind: 'Rank', input, partitionKeys, orderKeys, fields: [...input.fields, rownum], fn: rankFn === 'ROW_NUMBER' ? undefined : rankFn };
      this.overCalls = new Map([[first, input.fields.length]]);
      return { plan: rank, scope: new Scope([...inputScope, rownum]) };
    }
    const batch = this.batch;
    const keys = specs.map(bindKeys);
    const keyFields: PlanField[] = [...plan.fields, ...pre.map((e, i) => ({ name: `$arg${i}`, type: e.type }))];
    const frames = specs.map((sp, n) => this.overFrame(sp, names[n], keys[n].orderKeys, keyFields, batch));
    const overCalls: OverCall[] = calls.map((c, n) => {
      const name = names[n];
      const frame = frames[n];
      const bigint: LogicalType = { kind: 'BIGINT', nullable: false };
      if (name === 'ROW_NUMBER' || name === 'RANK' || name === 'DENSE_RANK') return { fn: name, args: [], argTypes: [], distinct: false, type: bigint, name: `$over${n}`, frame };
      if (name === 'PERCENT_RANK' || name === 'CUME_DIST' || name === 'NTILE') {
        if (!batch) throw new UnsupportedError(`${name} is supported in batch mode only`, c.pos);
        if (name !== 'NTILE') return { fn: name, args: [], argTypes: [], distinct: false, type: { kind: 'DOUBLE', nullable: false }, name: `$over${n}`, frame };
        const b = this.bindExpr(c.args[0], Scope.of([]));
        if (b.kind !== 'literal' || typeof b.value !== 'number' || !Number.isInteger(b.value) || b.value < 1) throw new ValidationError('The argument of NTILE must be a positive integer literal', c.args[0].pos);
        return { fn: name, args: [], argTypes: [], distinct: false, type: bigint, name: `$over${n}`, frame, offset: b.value };
      }
      if (name === 'LAG' || name === 'LEAD') {
        if (!batch && name === 'LEAD') throw new PlanningError('LEAD Function is not supported in stream mode.');
        const value = this.bindExpr(c.args[0], scope, hook);
        let offset = 1;
        if (c.args.length > 1) {
          // Bound in the query's scope, so that a column names itself in the refusal below (not "not found").
          const o = this.bindExpr(c.args[1], scope, hook);
          if (o.kind !== 'literal' || typeof o.value !== 'number' || !Number.isInteger(o.value)) throw new UnsupportedError(`The offset of ${name} must be an integer literal, not ${formatRex(o)}`, c.args[1].pos);
          offset = o.value;
          if (!batch && offset < 0) throw new PlanningError(`Offset(${offset}) should be positive.`);
        }
        const def = c.args.length > 2 ? this.bindExpr(c.args[2], scope, hook) : undefined;
        // Calcite's return type: the value's, NOT NULL when a NOT NULL default is given.
        const type = withNullable(value.type, !def || def.type.nullable);
        const args = [col(value)];
        const argTypes = [value.type];
        if (def && def.type.kind !== 'NULL') {
          if (!batch && internalClass(def.type) !== internalClass(value.type)) {
            // Flink's words (it names the offset's type where it means the value's).
            throw new PlanningError(`Please explicitly cast default value ${formatType(def.type)} to INT NOT NULL.`);
          }
          const d = castTo(def, withNullable(value.type, def.type.nullable));
          args.push(col(d));
          argTypes.push(d.type);
        }
        return { fn: name, args, argTypes, distinct: false, type, name: `$over${n}`, frame, offset };
      }
      const def = getAggregateFunction(name, this.ctx.functions);
      if (!def) throw new UnsupportedError(`${name} is not an aggregate function usable with OVER`, c.pos);
      if (batch && c.distinct) throw new ValidationError('Distinct not supported in Windowing function!', c.pos);
      const args = c.star ? [] : c.args.map((a) => this.bindExpr(a, scope, hook));
      let type: LogicalType;
      try {
        type = def.returnType(args.map((a) => a.type), c.distinct);
      } catch (e) {
        if (e instanceof ValidationError) throw new ValidationError(e.message, c.pos);
        throw e;
      }
      return { fn: name, args: args.map(col), argTypes: args.map((a) => a.type), distinct: c.distinct, type, name: `$over${n}`, frame };
    });
    const { input, inputScope } = withPre();
    const extra: PlanField[] = overCalls.map((a) => ({ name: a.name, type: a.type }));
    if (batch) {
      // One OverWindow node per PARTITION BY/ORDER BY; each appends its calls' columns.
      const groups = new Map<string, number[]>();
      keys.forEach((k, n) => {
        const g = JSON.stringify(k);
        groups.set(g, [...(groups.get(g) ?? []), n]);
      });
      const position = new Map<number, number>();
      let node = input;
      for (const members of groups.values()) {
        const k = keys[members[0]];
        members.forEach((m, j) => position.set(m, node.fields.length + j));
        const added = members.map((m) => extra[m]);
        node = { kind: 'OverWindow', input: node, partitionKeys: k.partitionKeys, orderKeys: k.orderKeys, calls: members.map((m) => overCalls[m]), fields: [...node.fields, ...added] };
      }
      const positions = calls.map((_c, n) => position.get(n)!);
      // Scope: the input's fields then the calls' columns in the order the nodes append them.
      const appended = [...position.entries()].sort((a, b) => a[1] - b[1]).map(([m]) => extra[m]);
      this.overCalls = new Map(calls.map((c, n) => [c, positions[n]]));
      return { plan: node, scope: new Scope([...inputScope, ...appended]) };
    }
    // Streaming: Flink's rules for an over aggregation (its words).
    const sameWindow = (n: number) => JSON.stringify(keys[n]) === JSON.stringify(keys[0]) && JSON.stringify(frames[n]) === JSON.stringify(frames[0]);
    if (calls.some((_c, n) => !sameWindow(n))) throw new PlanningError('Over Agg: Unsupported use of OVER windows. All aggregates must be computed on the same window. please re-check the over window statement.');
    const { partitionKeys, orderKeys } = keys[0];
    if (orderKeys.length !== 1) throw new PlanningError('The window can only be ordered by a single time column.');
    const order = orderKeys[0];
    if (order.descending) throw new PlanningError('The window can only be ordered in ASCENDING mode.');
    if (!plan.fields[order.index]?.timeAttr) throw new PlanningError("OVER windows' ordering in stream mode must be defined on a time attribute.");
    const frame = frames[0];
    if (frame.upper.kind !== 'current') throw new PlanningError('OVER RANGE FOLLOWING windows are not supported yet.');
    let preceding: number | undefined; // undefined = unbounded
    if (frame.lower.kind === 'preceding') preceding = Number(frame.lower.amount);
    else if (frame.lower.kind === 'current') preceding = 0;
    else if (frame.lower.kind !== 'unbounded') throw new UnsupportedError('OVER frames start at UNBOUNDED PRECEDING, n PRECEDING or CURRENT ROW', over.pos);
    const aggs: AggCall[] = overCalls.map(({ frame: _f, ...a }) => a);
    const node: LogicalNode = { kind: 'OverAggregate', input, partitionKeys, orderKey: order.index, rows: frame.rows, preceding, aggs, fields: [...input.fields, ...extra] };
    this.overCalls = new Map(calls.map((c, n) => [c, input.fields.length + n]));
    return { plan: node, scope: new Scope([...inputScope, ...extra]) };
  }

  /**
   * The frame of one OVER call, as Calcite makes it: window functions (ranking, LAG/LEAD) run from
   * UNBOUNDED PRECEDING to CURRENT ROW (ROWS for ROW_NUMBER, else the window's units, RANGE by
   * default); aggregates take the written frame, else RANGE UNBOUNDED PRECEDING to CURRENT ROW
   * with ORDER BY, the whole partition without.
   */
  private overFrame(sp: A.WindowSpec, name: string, orderKeys: SortKey[], fields: PlanField[], batch: boolean): OverFrame {
    const unbounded: FrameEdge = { kind: 'unbounded' };
    const current: FrameEdge = { kind: 'current' };
    if (WINDOW_FUNCTIONS.has(name)) return { rows: name === 'ROW_NUMBER', lower: unbounded, upper: current };
    const f = sp.frame;
    if (!f) return orderKeys.length ? { rows: false, lower: unbounded, upper: current } : { rows: true, lower: unbounded, upper: unbounded };
    const rows = f.units === 'ROWS';
    const edge = (b: A.FrameBound, upper: boolean): FrameEdge => {
      if (b.kind === 'currentRow') return current;
      if (b.kind === 'unboundedPreceding') {
        if (upper) throw new ValidationError('UNBOUNDED PRECEDING cannot be specified for the upper frame boundary', sp.pos);
        return unbounded;
      }
      if (b.kind === 'unboundedFollowing') {
        if (!upper) throw new ValidationError('UNBOUNDED FOLLOWING cannot be specified for the lower frame boundary', sp.pos);
        return unbounded;
      }
      const v = this.bindExpr(b.offset, Scope.of([]));
      if (v.kind !== 'literal' || (typeof v.value !== 'number' && typeof v.value !== 'bigint')) throw new ValidationError(`The ${b.kind === 'preceding' ? 'PRECEDING' : 'FOLLOWING'} offset of an OVER frame must be a constant`, sp.pos);
      if (rows) {
        if (v.type.kind === 'INTERVAL_DAY_TIME' || v.type.kind === 'INTERVAL_YEAR_MONTH') throw new ValidationError('A ROWS frame takes a number of rows PRECEDING', sp.pos);
        return { kind: b.kind, amount: Number(v.value) };
      }
      const key = orderKeys.length === 1 ? fields[orderKeys[0].index]?.type : undefined;
      if (!key) throw new ValidationError('A RANGE frame with an offset needs exactly one ORDER BY key', sp.pos);
      if (v.type.kind === 'INTERVAL_DAY_TIME') {
        if (!isTimestamp(key)) throw new ValidationError(`A RANGE frame takes an INTERVAL … PRECEDING over a time attribute, not over ${formatType(key)}`, sp.pos);
        // Flink 1.20's batch planner fails compiling a RANGE interval frame (a CodeGen ClassCastException).
        if (batch) throw new UnsupportedError('A RANGE frame with an INTERVAL offset runs in streaming mode only (Flink 1.20 fails compiling it in batch mode)', sp.pos);
        return { kind: b.kind, amount: v.value as number };
      }
      if (!batch) throw new ValidationError('A RANGE frame takes an INTERVAL … PRECEDING', sp.pos);
      if (!isNumeric(key)) throw new ValidationError(`A RANGE frame with a numeric offset needs a numeric ORDER BY key, not ${formatType(key)}`, sp.pos);
      // The amount in the key's representation (a DECIMAL key is its unscaled integer).
      const amount = key.kind === 'DECIMAL' ? decAmount(v, key.scale) : v.type.kind === 'DECIMAL' ? Number(v.value) / 10 ** v.type.scale : v.value;
      return { kind: b.kind, amount };
    };
    const lower = edge(f.start, false);
    const upper = f.end ? edge(f.end, true) : current;
    if (!batch && upper.kind !== 'current') throw new PlanningError('OVER RANGE FOLLOWING windows are not supported yet.');
    return { rows, lower, upper };
  }

  private overCalls?: Map<A.CallExpr, number>;

  private rowNumberHook(scope: Scope): BindHook | undefined {
    const calls = this.overCalls;
    if (!calls) return undefined;
    this.overCalls = undefined;
    return (e) => {
      const i = e.kind === 'call' ? calls.get(e) : undefined;
      return i === undefined ? undefined : rexInput(i, scope.fields[i].type, scope.fields[i].name);
    };
  }


  private bindSelectItems(items: A.SelectItem[], scope: Scope, hook?: BindHook): { exprs: RexNode[]; names: string[] } {
    const exprs: RexNode[] = [];
    const names: string[] = [];
    for (const item of items) {
      if (item.kind === 'wildcard') {
        const q = item.qualifier?.parts[item.qualifier.parts.length - 1];
        let any = false;
        const order = scope.fields.map((f, i) => [f, i] as const);
        if (q === undefined) order.sort(([a, i], [b, k]) => (a.usingKept === b.usingKept ? i - k : a.usingKept ? -1 : 1));
        order.forEach(([f, i]) => {
          if (q !== undefined && !(f.qualifier !== undefined && eq(f.qualifier, q))) return;
          if (f.name.startsWith('$') || (q === undefined && f.usingDuplicate)) return;
          any = true;
          exprs.push(hook ? hook({ kind: 'ident', parts: [f.name], quoted: [false], pos: item.pos }) ?? rexInput(i, f.type, f.name) : rexInput(i, f.type, f.name));
          names.push(f.name);
        });
        if (!any && q !== undefined) throw new ValidationError(`Unknown table alias '${q}' in ${q}.*`, item.pos);
        continue;
      }
      const e = this.bindExpr(item.expr, scope, hook);
      exprs.push(e);
      names.push(item.alias?.value ?? this.deriveName(item.expr, exprs.length - 1));
    }
    // Duplicate output names get suffixes as in Flink (EXPR$n stays).
    const seen = new Map<string, number>();
    for (let i = 0; i < names.length; i++) {
      const n = names[i];
      const c = seen.get(n) ?? 0;
      if (c > 0) names[i] = `${n}${c - 1}`;
      seen.set(n, c + 1);
    }
    return { exprs, names };
  }

  private deriveName(e: A.Expr, i: number): string {
    if (e.kind === 'ident') return e.parts[e.parts.length - 1];
    if (e.kind === 'fieldAccess') return e.field.value;
    return `EXPR$${i}`;
  }

  /** Binds aggregate calls of a SELECT/HAVING against the input scope. */
  private collectAggregates(s: A.Select, scope: Scope): { calls: A.CallExpr[]; keyOf: Map<string, number> } {
    const calls: A.CallExpr[] = [];
    const keyOf = new Map<string, number>();
    const visit = (e: A.Expr | undefined) =>
      walkExpr(e, (x) => {
        if (x.kind === 'call' && !x.over && getAggregateFunction(lastPart(x.name), this.ctx.functions)) {
          const k = exprKey(x);
          if (!keyOf.has(k)) {
            keyOf.set(k, calls.length);
            calls.push(x);
          }
          for (const a of x.args) if (containsAggregate(a, this.ctx.functions)) throw new ValidationError('Aggregate function calls cannot be nested', a.pos);
        }
      });
    for (const i of s.items) if (i.kind === 'expr') visit(i.expr);
    visit(s.having);
    void scope;
    return { calls, keyOf };
  }

  /** Builds a pre-projection [group exprs…, agg args…] and AggCalls over it. */
  private prepareAggregation(
    groupExprs: RexNode[],
    calls: A.CallExpr[],
    scope: Scope,
    prefix: RexNode[] = [],
    /** Every group has a row (a GROUP BY, a window): aggregates over NOT NULL arguments are NOT NULL. */
    nonEmptyGroups = groupExprs.length > 0,
  ): { pre: RexNode[]; groupIdx: number[]; aggs: AggCall[] } {
    const pre: RexNode[] = [...prefix];
    const idx = (e: RexNode): number => {
      const k = formatRex(e);
      const i = pre.findIndex((p) => formatRex(p) === k && typesEqual(p.type, e.type, false));
      if (i >= 0) return i;
      pre.push(e);
      return pre.length - 1;
    };
    const groupIdx = groupExprs.map((g) => {
      pre.push(g);
      return pre.length - 1;
    });
    const aggs: AggCall[] = calls.map((c, n) => {
      const valueArg = c.args[c.args.length - 1];
      // JSON_ARRAYAGG(JSON_OBJECT(…)) nests the inner JSON as JSON, not as a string.
      const valueIsJson = valueArg?.kind === 'call' && ['JSON_OBJECT', 'JSON_ARRAY'].includes(lastPart(valueArg.name).toUpperCase());
      const name = jsonAggregateName(lastPart(c.name).toUpperCase(), c.json?.onNull, valueIsJson);
      const def = getAggregateFunction(name, this.ctx.functions)!;
      const args = c.star ? [] : c.args.map((a) => this.bindExpr(a, scope));
      if (name === 'COUNT' && c.star === false && args.length === 0) throw new ValidationError('COUNT needs an argument or *', c.pos);
      let type: LogicalType;
      try {
        type = def.returnType(args.map((a) => a.type), c.distinct);
      } catch (e) {
        if (e instanceof ValidationError) throw new ValidationError(e.message, c.pos);
        throw e;
      }
      // As Calcite's aggregate return types: grouped, unfiltered, over NOT NULL arguments, every group
      // has a row, so the result is NOT NULL (SUM(v) GROUP BY k is INT NOT NULL when v is).
      if (nonEmptyGroups && !c.filter && args.length > 0 && args.every((a) => !a.type.nullable)) type = withNullable(type, false);
      let filter: number | undefined;
      if (c.filter) {
        const f = this.bindExpr(c.filter, scope);
        if (f.type.kind !== 'BOOLEAN') throw new ValidationError('FILTER (WHERE …) needs a BOOLEAN condition', c.filter.pos);
        filter = idx(f);
      }
      return { fn: name, args: args.map(idx), argTypes: args.map((a) => a.type), distinct: c.distinct, filter, type, name: `EXPR$${n}` };
    });
    return { pre, groupIdx, aggs };
  }

  /** The GROUP BY expressions and, for GROUPING SETS / ROLLUP / CUBE, the sets. */
  private groupExprList(s: A.Select): GroupingAnalysis {
    const g = analyzeGrouping(s.groupBy);
    for (const e of g.exprs) {
      if (e.kind === 'call' && ['TUMBLE', 'HOP', 'SESSION'].includes(lastPart(e.name).toUpperCase())) {
        throw new UnsupportedError(
          `Group window function ${lastPart(e.name).toUpperCase()}(…) in GROUP BY is Flink's deprecated syntax; use the window TVF: FROM TABLE(${lastPart(e.name).toUpperCase()}(TABLE t, DESCRIPTOR(ts), …)) GROUP BY window_start, window_end`,
          e.pos,
        );
      }
    }
    return g;
  }

  /** Post-aggregation binding: group expressions and aggregate calls become input refs of the aggregate's output. */
  private aggregateHook(groupKeys: Map<string, number>, aggKeys: Map<string, number>, aggBase: number, outFields: PlanField[]): BindHook {
    return (e) => {
      const k = exprKey(e);
      const g = groupKeys.get(k);
      if (g !== undefined) return rexInput(g, outFields[g].type, outFields[g].name);
      const a = aggKeys.get(k);
      if (a !== undefined) return rexInput(aggBase + a, outFields[aggBase + a].type, outFields[aggBase + a].name);
      if (e.kind === 'ident') {
        // Plain ident equal by name to a group key ident (e.g. `t.a` grouped as `a`).
        for (const [key, i] of groupKeys) {
          const parsed = JSON.parse(key) as { kind: string; parts?: string[] };
          if (parsed.kind === 'ident' && parsed.parts && eq(parsed.parts[parsed.parts.length - 1], e.parts[e.parts.length - 1])) return rexInput(i, outFields[i].type);
        }
        throw new ValidationError(`Expression '${e.parts.join('.')}' is not being grouped: add it to GROUP BY or use it inside an aggregate function`, e.pos);
      }
      return undefined;
    };
  }

  private bindAggregate(s: A.Select, input: LogicalNode, scope: Scope, ctes: Map<string, LogicalNode> = new Map()): Grouped | Promise<Grouped> {
    const { exprs: groupAst, sets } = this.groupExprList(s);
    const groupRex = groupAst.map((g) => this.bindExpr(g, scope));
    const { calls, keyOf } = this.collectAggregates(s, scope);
    const { pre, groupIdx, aggs } = this.prepareAggregation(groupRex, calls, scope);
    const proj: LogicalNode = { kind: 'Project', input, exprs: pre, fields: pre.map((e, i) => fieldOf(e, e.kind === 'input' && e.name ? e.name : `$f${i}`)) };
    const keyFields: PlanField[] = groupAst.map((g, i) => ({ name: g.kind === 'ident' ? g.parts[g.parts.length - 1] : `$g${i}`, type: groupRex[i].type }));
    const groupKeys = new Map(groupAst.map((g, i) => [exprKey(g), i] as const));
    if (!sets) {
      const fields: PlanField[] = [...keyFields, ...aggs.map((a) => ({ name: a.name, type: a.type }))];
      const agg: LogicalNode = { kind: 'Aggregate', input: proj, groupKeys: groupIdx, aggs, fields };
      const hook = this.groupingHook(this.aggregateHook(groupKeys, keyOf, groupAst.length, fields), groupAst.length);
      return this.finishGroupedWith(s, agg, hook, ctes);
    }
    const ex = expandGroupingSets(proj, groupIdx, sets);
    const fields: PlanField[] = [...ex.keyFields.map((f, i) => ({ ...f, name: keyFields[i].name })), ex.setField, ...aggs.map((a) => ({ name: a.name, type: a.type }))];
    const agg: LogicalNode = { kind: 'Aggregate', input: ex.plan, groupKeys: [...ex.keyIdx, ex.setIdx], aggs, fields };
    const hook = this.groupingHook(this.aggregateHook(groupKeys, keyOf, groupAst.length + 1, fields), groupAst.length, sets, groupAst.length);
    return this.finishGroupedWith(s, agg, hook, ctes);
  }

  /**
   * GROUPING(e, …) / GROUPING_ID(e, …) after an aggregation whose first `keyCount` output columns
   * are the group keys: 0 for a plain GROUP BY; with grouping sets a function of the set number
   * column `setCol`.
   */
  private groupingHook(base: BindHook, keyCount: number, sets?: number[][], setCol = -1): BindHook {
    const T: LogicalType = { kind: 'BIGINT', nullable: false };
    return (e) => {
      if (!isGroupingCall(e)) return base(e);
      const name = lastPart(e.name).toUpperCase();
      if (!e.args.length) throw new ValidationError(`${name} needs at least one argument`, e.pos);
      const args = e.args.map((a) => {
        let r: RexNode | undefined;
        try {
          r = base(a);
        } catch {
          r = undefined;
        }
        if (!r || r.kind !== 'input' || r.index >= keyCount) throw new ValidationError(`Argument to ${name} must be a grouped expression`, a.pos);
        return r.index;
      });
      if (!sets) return rexLiteral(0, T);
      const values = sets.map((set) => groupingValue(args, set));
      if (values.every((v) => v === values[0])) return rexLiteral(values[0], T);
      const caseArgs: RexNode[] = [];
      values.forEach((v, i) => {
        if (i < values.length - 1) caseArgs.push(rexCall('=', [rexInput(setCol, T), rexLiteral(i, T)], { kind: 'BOOLEAN', nullable: false }), rexLiteral(v, T));
      });
      caseArgs.push(rexLiteral(values[values.length - 1], T));
      return rexCall('CASE', caseArgs, T);
    };
  }

  private finishGrouped(s: A.Select, agg: LogicalNode, hook: BindHook, scope?: Scope): { plan: LogicalNode; selectScope?: Scope; orderHook?: BindHook } {
    const aggScope = scope ?? Scope.of(agg.fields);
    let plan: LogicalNode = agg;
    if (s.having) {
      const cond = this.bindCondition(s.having, aggScope, hook);
      if (cond.type.kind !== 'BOOLEAN') throw new ValidationError(`HAVING condition must be BOOLEAN, found ${formatType(cond.type)}`, s.having.pos);
      plan = { kind: 'Filter', input: plan, condition: cond, fields: plan.fields };
    }
    // OVER over the groups (RANK() OVER (ORDER BY SUM(x))): its keys and arguments read the groups' columns.
    const over = this.bindRowNumber(s, plan, aggScope, hook);
    plan = over.plan;
    const overHook = this.rowNumberHook(over.scope);
    const itemHook: BindHook = overHook ? (e) => overHook(e) ?? hook(e) : hook;
    const { exprs, names } = this.bindSelectItems(s.items, over.scope, itemHook);
    const input = plan;
    const out: LogicalNode = { kind: 'Project', input, exprs, fields: exprs.map((e, i) => fieldOf(e, names[i], input.fields)) };
    if (s.distinct) return { plan: this.distinct(out, s.pos) };
    return { plan: out, selectScope: over.scope, orderHook: itemHook };
  }

  /**
   * finishGrouped, with subqueries in HAVING or the select list first joined to the aggregation's
   * output (scalar subqueries as columns, IN / EXISTS as mark columns).
   */
  private finishGroupedWith(s: A.Select, agg: LogicalNode, hook: BindHook, ctes: Map<string, LogicalNode>): Grouped | Promise<Grouped> {
    const exprs = [...(s.having ? [s.having] : []), ...s.items.flatMap((i) => (i.kind === 'expr' ? [i.expr] : []))];
    if (!exprs.some(hasSubquery)) return this.finishGrouped(s, agg, hook);
    return (async () => {
      const sc = await this.joinScalarSubqueries(exprs, agg, Scope.of(agg.fields), ctes, hook);
      const both: BindHook = (e) => sc.hook?.(e) ?? hook(e);
      return this.finishGrouped(s, sc.plan, both, sc.scope);
    })();
  }

  /** GROUP BY window_start, window_end[, keys] over a window TVF: window aggregation. */
  private bindWindowAggregate(s: A.Select, tvf: Extract<LogicalNode, { kind: 'WindowTVF' }>, scope: Scope, auxHook?: (e: A.Expr, windowStartCol: number, fields: PlanField[]) => RexNode | undefined): { plan: LogicalNode; selectScope?: Scope; orderHook?: BindHook } {
    // The table's columns, then window_start, window_end, window_time (also in tvf.input when its window is attached).
    const base = tvf.fields.length - 3;
    const baseScope = new Scope(scope.fields.slice(0, base));
    let input = tvf.input;
    if (s.where) {
      const cond = this.bindCondition(s.where, scope);
      if ([...inputRefs(cond)].some((i) => i >= base)) throw new UnsupportedError('A WHERE on window columns of a window aggregation is not supported yet (filter before the window or use HAVING)', s.where.pos);
      input = { kind: 'Filter', input, condition: cond, fields: input.fields };
    }
    const { exprs: groupAst, sets } = this.groupExprList(s);
    const groupRex = groupAst.map((g) => this.bindExpr(g, scope));
    const windowCol = (r: RexNode) => (r.kind === 'input' && r.index >= base ? (['window_start', 'window_end', 'window_time'] as const)[r.index - base] : undefined);
    for (const set of sets ?? [groupRex.map((_, i) => i)]) {
      const hasStart = set.some((i) => windowCol(groupRex[i]) === 'window_start');
      const hasEnd = set.some((i) => windowCol(groupRex[i]) === 'window_end');
      if (!hasStart || !hasEnd) {
        throw new ValidationError(`A window aggregation must GROUP BY both window_start and window_end of the window TVF${sets ? ' in every grouping set' : ''}`, s.pos);
      }
    }
    const keyAst: A.Expr[] = [];
    const keyRex: RexNode[] = [];
    groupRex.forEach((r, i) => {
      if (windowCol(r)) return;
      if ([...inputRefs(r)].some((x) => x >= base)) throw new ValidationError('GROUP BY keys of a window aggregation cannot compute on window columns', groupAst[i].pos);
      keyAst.push(groupAst[i]);
      keyRex.push(r);
    });
    const { calls, keyOf } = this.collectAggregates(s, scope);
    for (const c of calls) {
      for (const a of c.args) {
        const r = this.bindExpr(a, scope);
        if ([...inputRefs(r)].some((x) => x >= base)) throw new UnsupportedError('Aggregating window columns is not supported', a.pos);
      }
    }
    const w = tvf.window;
    const timeRef = rexInput(w.timeIndex, tvf.input.fields[w.timeIndex].type, tvf.input.fields[w.timeIndex].name);
    const partitionRefs = w.partitionKeys.map((p) => rexInput(p, tvf.input.fields[p].type));
    // Session partition keys are group keys of the window aggregation too.
    const allKeys = [...partitionRefs.filter((p) => !keyRex.some((k) => formatRex(k) === formatRex(p))), ...keyRex];
    const boundRefs = w.attached ? [rexInput(w.attached.start, w.boundType, 'window_start'), rexInput(w.attached.end, w.boundType, 'window_end')] : [];
    const { pre, groupIdx, aggs } = this.prepareAggregation(allKeys, calls, baseScope, [timeRef, ...boundRefs], true);
    const proj: LogicalNode = { kind: 'Project', input, exprs: pre, fields: pre.map((e, i) => fieldOf(e, e.kind === 'input' && e.name ? e.name : `$f${i}`, input.fields)) };
    const extraKeys = allKeys.length - keyRex.length;
    const window: WindowSpec = { ...w, timeIndex: 0, partitionKeys: groupIdx.slice(0, extraKeys), attached: w.attached && { start: 1, end: 2 } };
    let keyFields: PlanField[] = allKeys.map((r, i) => ({ name: i >= extraKeys && keyAst[i - extraKeys].kind === 'ident' ? (keyAst[i - extraKeys] as A.IdentExpr).parts.slice(-1)[0] : `$k${i}`, type: r.type }));
    let aggInput: LogicalNode = proj;
    let aggKeys = groupIdx;
    if (sets) {
      // GROUPING SETS beside the window bounds: expand the keys (session partition keys stay in every set).
      const keySets = sets.map((set) => [...Array.from({ length: extraKeys }, (_, j) => j), ...set.filter((i) => !windowCol(groupRex[i])).map((i) => extraKeys + keyAst.indexOf(groupAst[i]))]);
      const ex = expandGroupingSets(proj, groupIdx, keySets);
      keyFields = [...ex.keyFields.map((f, i) => ({ ...f, name: keyFields[i].name })), ex.setField];
      aggInput = ex.plan;
      aggKeys = [...ex.keyIdx, ex.setIdx];
    }
    const k = keyFields.length;
    const fields: PlanField[] = [
      ...keyFields,
      { name: 'window_start', type: w.boundType },
      { name: 'window_end', type: w.boundType },
      { name: 'window_time', type: w.timeType ?? w.boundType, timeAttr: w.eventTime ? 'rowtime' : undefined },
      ...aggs.map((a) => ({ name: a.name, type: a.type })),
    ];
    if (!this.batch && window.kind === 'HOP' && window.size % window.slide! !== 0) {
      // Flink's streaming window aggregation slices a HOP window by its slide; a group window
      // (GROUP BY HOP(…), auxHook) runs in Flink's older window operator, which takes any size.
      if (!auxHook) throw new PlanningError(`HOP table function based aggregate requires size must be an integral multiple of slide, but got size ${window.size / 1000} ms and slide ${window.slide! / 1000} ms`);
    } else if (!this.batch) checkSlicedWindowAggs(window, aggs);
    const agg: LogicalNode = { kind: 'WindowAggregate', input: aggInput, window, groupKeys: aggKeys, aggs, fields };
    const groupKeys = new Map<string, number>();
    groupAst.forEach((g, i) => {
      const wc = windowCol(groupRex[i]);
      groupKeys.set(exprKey(g), wc === 'window_start' ? k : wc === 'window_end' ? k + 1 : wc === 'window_time' ? k + 2 : extraKeys + keyAst.indexOf(g));
    });
    // window_time may be selected without being grouped (Flink allows it as the window's rowtime).
    const keySets = sets?.map((set) => set.filter((i) => !windowCol(groupRex[i])).map((i) => extraKeys + keyAst.indexOf(groupAst[i])));
    const hookBase = this.groupingHook(this.aggregateHook(groupKeys, keyOf, k + 3, fields), sets ? k - 1 : k, keySets, k - 1);
    const hook: BindHook = (e) => {
      const aux = auxHook?.(e, k, fields);
      if (aux) return aux;
      if (e.kind === 'ident' && e.parts.length <= 2 && eq(e.parts[e.parts.length - 1], 'window_time')) return rexInput(k + 2, fields[k + 2].type, 'window_time');
      return hookBase(e);
    };
    return this.finishGrouped(s, agg, hook);
  }

  // ───────────── UNNEST ─────────────

  /** `l CROSS JOIN UNNEST(…)`, `l, UNNEST(…)` or `l LEFT JOIN UNNEST(…) ON TRUE`: the unnest reads l's columns. */
  /**
   * LATERAL TABLE(f(…)) of a user table function (src/functions/javascript.ts): the unnest of the
   * rows its hidden scalar form returns, joined like UNNEST (CROSS, comma, LEFT … ON TRUE).
   */
  private tableFunctionAsUnnest(t: A.TableFunctionRef): A.UnnestTableRef {
    const name = lastPart(t.call.name);
    if (!getScalarFunction(`$TABLE_FUNCTION$${name}`, this.ctx.functions)) throw new UnsupportedError(`Table function ${name} is unknown: LATERAL TABLE takes a JavaScript table function (CREATE FUNCTION ${name} AS 'file.js' LANGUAGE JAVASCRIPT)`, t.pos);
    const call: A.CallExpr = { ...t.call, name: { ...t.call.name, parts: [`$TABLE_FUNCTION$${name}`] } };
    return { kind: 'unnest', args: [call], withOrdinality: false, alias: t.alias, pos: t.pos };
  }

  private bindUnnestJoin(j: A.JoinTableRef, left: LogicalNode, scope: Scope): { plan: LogicalNode; scope: Scope } {
    const u = j.right as A.UnnestTableRef;
    if (j.natural || j.using) throw new ValidationError('A join with UNNEST takes no NATURAL or USING', j.pos);
    let outer = false;
    if (j.joinType === 'LEFT') {
      const on = j.on ? this.bindExpr(j.on, scope) : undefined;
      if (!on || on.kind !== 'literal' || on.value !== true) throw new UnsupportedError('LEFT JOIN UNNEST(…) needs ON TRUE', j.pos);
      outer = true;
    } else if (j.joinType !== 'CROSS' && j.joinType !== 'COMMA' && !(j.joinType === 'INNER' && (!j.on || (j.on.kind === 'literal' && j.on.value === true)))) {
      throw new UnsupportedError(`${j.joinType} JOIN UNNEST(…) is not supported (CROSS JOIN, a comma or LEFT JOIN … ON TRUE are)`, j.pos);
    }
    return this.bindUnnest(left, scope, u, outer);
  }

  /**
   * UNNEST(array) gives one row per element (the fields of a ROW element as columns), UNNEST(map)
   * one per entry (key, value); WITH ORDINALITY appends the position (from 1). Appended to each
   * row of `input`; `outer` keeps a row with NULLs for an empty or NULL collection.
   */
  private bindUnnest(input: LogicalNode, scope: Scope, u: A.UnnestTableRef, outer: boolean): { plan: LogicalNode; scope: Scope } {
    if (u.args.length !== 1) throw new UnsupportedError('UNNEST of more than one collection is not supported yet', u.pos);
    const e = this.bindExpr(u.args[0], scope);
    let cols: PlanField[];
    if (e.type.kind === 'ARRAY') {
      const el = e.type.element;
      cols = el.kind === 'ROW' ? el.fields.map((f) => ({ name: f.name, type: withNullable(f.type, true) })) : [{ name: 'EXPR$0', type: el }];
    } else if (e.type.kind === 'MAP') {
      cols = [{ name: 'EXPR$0', type: e.type.key }, { name: 'EXPR$1', type: e.type.value }];
    } else throw new ValidationError(`UNNEST needs an ARRAY or a MAP, not ${formatType(e.type)}`, u.args[0].pos);
    if (u.withOrdinality) cols.push({ name: 'ORDINALITY', type: { kind: 'INT', nullable: false } });
    if (outer) cols = cols.map((c) => ({ ...c, type: withNullable(c.type, true) }));
    const names = u.alias?.columns?.map((c) => c.value);
    if (names) {
      if (names.length !== cols.length) throw new ValidationError(`UNNEST gives ${cols.length} columns but its alias names ${names.length}`, u.pos);
      cols = cols.map((c, i) => ({ ...c, name: names[i] }));
    }
    const fields: PlanField[] = [...input.fields, ...cols];
    const plan: LogicalNode = { kind: 'Unnest', input, expr: e, ordinality: u.withOrdinality, outer, fields };
    return { plan, scope: scope.concat(Scope.of(cols, u.alias?.name.value)) };
  }

  // ───────────── legacy group windows ─────────────

  /**
   * Flink's group window functions: `GROUP BY [keys,] TUMBLE(ts, size)` / `HOP(ts, slide, size)` /
   * `SESSION(ts, gap)` with TUMBLE_START / _END / _ROWTIME / _PROCTIME (and HOP_*, SESSION_*) in
   * the select list: the window aggregation of the equivalent window TVF.
   */
  private bindGroupWindow(s: A.Select, plan: LogicalNode, scope: Scope): { plan: LogicalNode; selectScope?: Scope; orderHook?: BindHook } {
    const calls = s.groupBy.filter((g) => g.kind === 'expr' && isGroupWindowCall(g.expr)).map((g) => (g as { expr: A.CallExpr }).expr);
    if (calls.length > 1) throw new ValidationError('GROUP BY may hold only one group window function', calls[1].pos);
    const call = calls[0];
    const fn = lastPart(call.name).toUpperCase() as 'TUMBLE' | 'HOP' | 'SESSION';
    const want = fn === 'HOP' ? 3 : 2;
    if (call.args.length !== want) throw new ValidationError(`${fn} takes ${fn === 'HOP' ? '(time_attr, slide, size)' : fn === 'TUMBLE' ? '(time_attr, size)' : '(time_attr, gap)'} as a group window`, call.pos);
    const t = this.bindExpr(call.args[0], scope);
    const tf = t.kind === 'input' ? plan.fields[t.index] : undefined;
    if (t.kind !== 'input' || !tf || !isTimestamp(tf.type)) throw new ValidationError(`The first argument of ${fn} must be a time attribute column`, call.args[0].pos);
    if (!tf.timeAttr && !this.batch) {
      throw new ValidationError(`Window aggregate can only be defined over a time attribute column, but ${tf.name} (${formatType(tf.type)}) is a plain column: declare it with WATERMARK FOR or as PROCTIME()`, call.args[0].pos);
    }
    if (fn === 'SESSION' && this.batch) {
      // Flink 1.20's batch planner has no session group window (its words); the SESSION window TVF is the way.
      throw new UnsupportedError(`Window SessionGroupWindow is not supported right now in batch mode (as in Flink 1.20); use the window TVF: FROM TABLE(SESSION(TABLE t PARTITION BY k, DESCRIPTOR(ts), gap)) GROUP BY window_start, window_end, k`, call.pos);
    }
    if (this.batch && tf.type.kind === 'TIMESTAMP_LTZ') {
      // Flink 1.20's batch planner fails on it (TableException: Unknown window type encountered).
      throw new UnsupportedError(`The group window ${fn}(…) over a TIMESTAMP_LTZ column is not supported in batch mode (Flink 1.20 fails on it); use the window TVF: FROM TABLE(${fn === 'HOP' ? 'HOP' : 'TUMBLE'}(TABLE t, DESCRIPTOR(${tf.name}), …)) GROUP BY window_start, window_end`, call.pos);
    }
    const interval = (e: A.Expr, what: string): number => {
      const r = this.bindExpr(e, Scope.of([]));
      if (r.type.kind !== 'INTERVAL_DAY_TIME') throw new ValidationError(`${fn} ${what} must be a day-time INTERVAL, found ${formatType(r.type)}`, e.pos);
      const v = Number(constantValue(r));
      if (!(v > 0)) throw new ValidationError(`${fn} ${what} must be positive`, e.pos);
      return v;
    };
    let size: number;
    let slide: number | undefined;
    if (fn === 'HOP') {
      slide = interval(call.args[1], 'slide');
      size = interval(call.args[2], 'size');
    } else size = interval(call.args[1], fn === 'SESSION' ? 'gap' : 'size');
    // Over a TIMESTAMP_LTZ time attribute the windows are in the session time zone's wall clock, as
    // the window TVFs' (bindWindowTvf): _START/_END TIMESTAMP(3), _ROWTIME/_PROCTIME TIMESTAMP_LTZ(3).
    const timeType = tf.type.kind === 'TIMESTAMP_LTZ' ? withNullable(tf.type, false) : undefined;
    const window: WindowSpec = { kind: fn, timeIndex: t.index, eventTime: tf.timeAttr !== 'proctime', size, slide, offset: 0, partitionKeys: [], boundType: TS3, ...(timeType ? { timeType } : {}) };
    const fields: PlanField[] = [
      ...plan.fields,
      { name: 'window_start', type: TS3 },
      { name: 'window_end', type: TS3 },
      { name: 'window_time', type: { ...(timeType ?? TS3) }, timeAttr: window.eventTime ? 'rowtime' : 'proctime' },
    ];
    const tvf = { kind: 'WindowTVF' as const, input: plan, window, fields };
    const ident = (name: string): A.Expr => ({ kind: 'ident', parts: [name], quoted: [false], pos: call.pos });
    const groupBy: A.GroupingElement[] = s.groupBy.flatMap((g) =>
      g.kind === 'expr' && g.expr === call ? [{ kind: 'expr' as const, expr: ident('window_start'), pos: g.pos }, { kind: 'expr' as const, expr: ident('window_end'), pos: g.pos }] : [g],
    );
    const aux = (e: A.Expr, k: number, out: PlanField[]): RexNode | undefined => {
      if (e.kind !== 'call' || e.over) return undefined;
      const m = /^(TUMBLE|HOP|SESSION)_(START|END|ROWTIME|PROCTIME)$/.exec(lastPart(e.name).toUpperCase());
      if (!m) return undefined;
      if (m[1] !== fn) throw new ValidationError(`${m[0]} does not match the group window ${fn}(…) of GROUP BY`, e.pos);
      if (m[2] === 'ROWTIME' && !window.eventTime) throw new ValidationError(`${m[0]} needs an event-time window; this one is on processing time (use ${fn}_PROCTIME)`, e.pos);
      if (m[2] === 'PROCTIME' && window.eventTime) throw new ValidationError(`${m[0]} needs a processing-time window; this one is on event time (use ${fn}_ROWTIME)`, e.pos);
      const i = m[2] === 'START' ? k : m[2] === 'END' ? k + 1 : k + 2;
      const f = out[i];
      // _START/_END are plain timestamps; _ROWTIME keeps the rowtime attribute for a later window
      // (typed nullable, as Flink's; _PROCTIME NOT NULL).
      return rexInput(i, m[2] === 'ROWTIME' ? withNullable(f.type, true) : f.type, f.name);
    };
    const scope2 = new Scope([...scope.fields, ...fields.slice(plan.fields.length)]);
    return this.bindWindowAggregate({ ...s, groupBy }, tvf, scope2, aux);
  }

  // ───────────── INTERSECT / EXCEPT ─────────────

  /**
   * INTERSECT / EXCEPT [ALL], planned as an aggregation (as Flink does): both inputs tagged with
   * a count column for their side, unioned, grouped by every column (NULLs equal) with the counts
   * summed; the distinct forms keep the groups present on both sides (INTERSECT) or only on the
   * left (EXCEPT), the ALL forms replicate each row min(l, r) or l - r times.
   */
  private async bindIntersectExcept(s: A.SetOperation, ctes: Map<string, LogicalNode>): Promise<LogicalNode> {
    const left = (await this.bindBody(s.left, ctes, false)).plan;
    const right = (await this.bindBody(s.right, ctes, false)).plan;
    const w = left.fields.length;
    if (right.fields.length !== w) throw new ValidationError(`${s.op} inputs have different numbers of columns (${w} and ${right.fields.length})`, s.pos);
    const types = left.fields.map((f, c) => {
      const t = commonType([f.type, right.fields[c].type]);
      if (!t) throw new ValidationError(`${s.op} column ${c + 1} has incompatible types: ${formatType(f.type)} and ${formatType(right.fields[c].type)}`, s.pos);
      return t;
    });
    const INT: LogicalType = { kind: 'INT', nullable: false };
    const tag = (input: LogicalNode, l: number, r: number): LogicalNode => ({
      kind: 'Project',
      input,
      exprs: [...input.fields.map((f, c) => castTo(rexInput(c, f.type, f.name), types[c])), rexLiteral(l, INT), rexLiteral(r, INT)],
      fields: [...input.fields.map((f, c) => ({ name: left.fields[c].name, type: types[c] })), { name: '$l', type: INT }, { name: '$r', type: INT }],
    });
    const union: LogicalNode = { kind: 'Union', inputs: [tag(left, 1, 0), tag(right, 0, 1)], fields: [...types.map((t, c) => ({ name: left.fields[c].name, type: t })), { name: '$l', type: INT }, { name: '$r', type: INT }] };
    const BIG: LogicalType = { kind: 'BIGINT', nullable: false };
    const count = (arg: number, name: string): AggCall => ({ fn: 'COUNT', args: [], argTypes: [], distinct: false, filter: arg, type: BIG, name });
    // The side flags as BOOLEAN filters: COUNT(*) FILTER (WHERE $l = 1) counts the left rows.
    const flagged: LogicalNode = {
      kind: 'Project',
      input: union,
      exprs: [...types.map((t, c) => rexInput(c, t)), rexCall('=', [rexInput(w, INT), rexLiteral(1, INT)], { kind: 'BOOLEAN', nullable: false }), rexCall('=', [rexInput(w + 1, INT), rexLiteral(1, INT)], { kind: 'BOOLEAN', nullable: false })],
      fields: [...union.fields.slice(0, w), { name: '$isl', type: { kind: 'BOOLEAN', nullable: false } }, { name: '$isr', type: { kind: 'BOOLEAN', nullable: false } }],
    };
    const agg: LogicalNode = {
      kind: 'Aggregate',
      input: flagged,
      groupKeys: types.map((_, c) => c),
      aggs: [count(w, '$cl'), count(w + 1, '$cr')],
      fields: [...union.fields.slice(0, w), { name: '$cl', type: BIG }, { name: '$cr', type: BIG }],
    };
    const cl = rexInput(w, BIG, '$cl');
    const cr = rexInput(w + 1, BIG, '$cr');
    const zero = rexLiteral(0, BIG);
    const B: LogicalType = { kind: 'BOOLEAN', nullable: false };
    const cols = types.map((t, c) => rexInput(c, t, left.fields[c].name));
    const fields: PlanField[] = types.map((t, c) => ({ name: left.fields[c].name, type: t }));
    if (!s.all) {
      const cond = s.op === 'INTERSECT' ? rexCall('AND', [rexCall('>', [cl, zero], B), rexCall('>', [cr, zero], B)], B) : rexCall('AND', [rexCall('>', [cl, zero], B), rexCall('=', [cr, zero], B)], B);
      const filtered: LogicalNode = { kind: 'Filter', input: agg, condition: cond, fields: agg.fields };
      return { kind: 'Project', input: filtered, exprs: cols, fields };
    }
    const n = s.op === 'INTERSECT' ? rexCall('CASE', [rexCall('<', [cl, cr], B), cl, cr], BIG) : rexCall('-', [cl, cr], BIG);
    const counted: LogicalNode = { kind: 'Project', input: agg, exprs: [...cols, n], fields: [...fields, { name: '$n', type: BIG }] };
    const positive: LogicalNode = { kind: 'Filter', input: counted, condition: rexCall('>', [rexInput(w, BIG), zero], B), fields: counted.fields };
    return { kind: 'Replicate', input: positive, fields };
  }

  // ───────────── subqueries ─────────────

  /**
   * WHERE with subqueries: `[NOT] EXISTS (…)` and `x [NOT] IN (SELECT …)` conjuncts become semi /
   * anti joins (NOT IN NULL-aware, as in Flink), scalar subqueries joined columns; the other
   * conjuncts a Filter over them.
   */
  private async bindWhereWithSubqueries(where: A.Expr, plan: LogicalNode, scope: Scope, ctes: Map<string, LogicalNode>): Promise<{ plan: LogicalNode; scope: Scope }> {
    const rest: A.Expr[] = [];
    for (const c of astConjuncts(where)) {
      const negated = c.kind === 'unary' && c.op === 'NOT';
      const target = negated ? (c as A.UnaryExpr).operand : c;
      if (target.kind === 'exists') plan = await this.semiJoin(plan, scope, target.query, undefined, negated, ctes, target.pos);
      else if (target.kind === 'inSubquery') plan = await this.semiJoin(plan, scope, target.query, target.operand, target.negated !== negated, ctes, target.pos);
      else rest.push(c);
    }
    if (!rest.length) return { plan, scope };
    const scalars = await this.joinScalarSubqueries(rest, plan, scope, ctes);
    const cond = this.bindCondition(rest.reduce((a, b) => ({ kind: 'binary', op: 'AND', left: a, right: b, pos: a.pos }) as A.Expr), scalars.scope, scalars.hook);
    if (cond.type.kind !== 'BOOLEAN' && cond.type.kind !== 'NULL') throw new ValidationError(`WHERE condition must be BOOLEAN, found ${formatType(cond.type)}`, where.pos);
    let out: LogicalNode = { kind: 'Filter', input: scalars.plan, condition: cond, fields: scalars.plan.fields };
    if (scalars.plan !== plan) {
      // The joined scalar columns served the condition only.
      out = { kind: 'Project', input: out, exprs: plan.fields.map((f, i) => rexInput(i, f.type, f.name)), fields: plan.fields };
    }
    return { plan: out, scope };
  }

  /**
   * Binds a subquery that may read columns of the enclosing query (`outer`). Uncorrelated: the
   * whole query. Correlated (a plain SELECT … FROM … WHERE): the FROM with the WHERE conjuncts
   * on its own columns, and the conjuncts that read outer columns as a condition over the outer
   * row followed by the subquery's row; the select items are appended to that row.
   */
  private async bindSubquery(q: A.Query, outer: Scope, ctes: Map<string, LogicalNode>): Promise<{ plan: LogicalNode; values: number[]; correlated?: RexNode }> {
    let first: unknown;
    try {
      const plan = await this.bindQuery(q, ctes);
      return { plan, values: plan.fields.map((_, i) => i) };
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      first = e;
    }
    const body = q.body;
    if (body.kind !== 'select' || q.with.length || q.orderBy.length || q.limit || q.offset || !body.from || body.groupBy.length || body.having || body.distinct) throw first;
    if (body.items.some((i) => i.kind === 'expr' && containsAggregate(i.expr, this.ctx.functions))) throw first;
    const { plan: from, scope: inner } = await this.bindFrom(body.from, ctes);
    const both = new CorrelatedScope(outer, inner);
    const whereFalse = this.correlatedWhereFalse(body.where, both);
    const local: RexNode[] = [];
    const correlated: RexNode[] = [];
    for (const c of body.where ? astConjuncts(body.where) : []) {
      if (hasSubquery(c)) throw new UnsupportedError('Subqueries nested in a correlated subquery are not supported yet', c.pos);
      try {
        try {
          local.push(this.expectBool(this.bindExpr(c, inner), c.pos));
        } catch (e) {
          if (!(e instanceof ValidationError) || isRefusal(e)) throw e;
          correlated.push(this.expectBool(this.bindExpr(c, both), c.pos));
        }
      } catch (e) {
        // A WHERE that is FALSE as a whole: Flink's planner drops the refused call with the rest.
        if (!(whereFalse && isRefusal(e))) throw e;
      }
    }
    if (whereFalse) local.push(rexLiteral(false, BOOL));
    if (!correlated.length) throw first;
    let plan: LogicalNode = from;
    if (local.length) plan = { kind: 'Filter', input: plan, condition: local.length === 1 ? local[0] : rexCall('AND', local, BOOL), fields: plan.fields };
    const items: RexNode[] = [];
    for (const i of body.items) {
      if (i.kind === 'wildcard') items.push(...inner.fields.map((f, c) => rexInput(c, f.type, f.name)));
      else items.push(this.bindExpr(i.expr, inner));
    }
    const width = from.fields.length;
    plan = { kind: 'Project', input: plan, exprs: [...from.fields.map((f, c) => rexInput(c, f.type, f.name)), ...items], fields: [...from.fields, ...items.map((e, n) => ({ name: `$v${n}`, type: e.type }))] };
    return { plan, values: items.map((_, n) => width + n), correlated: correlated.length === 1 ? correlated[0] : rexCall('AND', correlated, BOOL) };
  }

  /** `[NOT] EXISTS (q)` (operand undefined) or `operand [NOT] IN (q)` over `plan`: a semi or anti join. */
  private async semiJoin(plan: LogicalNode, scope: Scope, q: A.Query, operand: A.Expr | undefined, anti: boolean, ctes: Map<string, LogicalNode>, pos: A.Pos, mark = false, operandHook?: BindHook): Promise<LogicalNode> {
    const sub = await this.bindSubquery(q, scope, ctes);
    const width = plan.fields.length;
    let left = plan;
    let right = sub.plan;
    let condition = sub.correlated;
    let nullAware: [number, number] | undefined;
    if (operand) {
      if (sub.values.length !== 1) throw new ValidationError(`The subquery of IN must return one column, not ${sub.values.length}`, pos);
      const x = this.bindExpr(operand, scope, operandHook);
      const v = sub.values[0];
      const y = right.fields[v];
      const t = comparisonType(x.type, y.type);
      if (!t) throw new ValidationError(`Cannot compare ${formatType(x.type)} with the subquery's ${formatType(y.type)} in IN`, pos);
      let li: number;
      if (x.kind === 'input' && typesEqual(x.type, t)) li = x.index;
      else {
        left = { kind: 'Project', input: plan, exprs: [...plan.fields.map((f, i) => rexInput(i, f.type, f.name)), castTo(x, t)], fields: [...plan.fields, { name: '$in', type: withNullable(t, x.type.nullable) }] };
        li = width;
        // The correlated condition reads the right side after the left row: one column further now.
        if (condition) condition = remapInputs(condition, (i) => rexInput(i >= width ? i + 1 : i, i >= width ? right.fields[i - width].type : plan.fields[i].type));
      }
      let ri = v;
      if (!typesEqual(y.type, t)) {
        right = { kind: 'Project', input: right, exprs: [...right.fields.map((f, i) => rexInput(i, f.type, f.name)), castTo(rexInput(v, y.type), t)], fields: [...right.fields, { name: '$in', type: withNullable(t, y.type.nullable) }] };
        ri = right.fields.length - 1;
      }
      const lw = left.fields.length;
      if (anti || mark) nullAware = [li, ri];
      else {
        const eqc = rexCall('=', [rexInput(li, left.fields[li].type), rexInput(lw + ri, right.fields[ri].type)], BOOL);
        condition = condition ? rexCall('AND', [eqc, condition], BOOL) : eqc;
      }
    }
    if (mark) {
      // EXISTS is TRUE or FALSE; IN is NULL too when a key on either side is NULL (and no match).
      const nullableIn = nullAware !== undefined && (left.fields[nullAware[0]].type.nullable || right.fields[nullAware[1]].type.nullable);
      const markField: PlanField = { name: `$mark${plan.fields.length}`, type: { kind: 'BOOLEAN', nullable: nullableIn } };
      let out: LogicalNode = { kind: 'SemiJoin', anti: false, left, right, condition, nullAware, mark: true, fields: [...left.fields, markField] };
      if (left !== plan) {
        const lw = left.fields.length;
        out = { kind: 'Project', input: out, exprs: [...plan.fields.map((f, i) => rexInput(i, f.type, f.name)), rexInput(lw, markField.type)], fields: [...plan.fields, markField] };
      }
      return out;
    }
    let out: LogicalNode = { kind: 'SemiJoin', anti, left, right, condition, nullAware, fields: left.fields };
    if (left !== plan) out = { kind: 'Project', input: out, exprs: plan.fields.map((f, i) => rexInput(i, f.type, f.name)), fields: plan.fields };
    return out;
  }

  /**
   * Scalar subqueries in `exprs`: each becomes a column joined to `plan` (a LEFT join with a
   * single-row input: NULL when the subquery has no row, an error when it has more than one). The
   * hook reads that column in place of the subquery.
   */
  private async joinScalarSubqueries(exprs: A.Expr[], plan: LogicalNode, scope: Scope, ctes: Map<string, LogicalNode>, outerHook?: BindHook): Promise<{ plan: LogicalNode; scope: Scope; hook?: BindHook }> {
    const found: (A.ScalarSubqueryExpr | A.ExistsExpr | A.InSubqueryExpr)[] = [];
    for (const e of exprs) walkExpr(e, (x) => (x.kind === 'scalarSubquery' || x.kind === 'exists' || x.kind === 'inSubquery') && found.push(x));
    if (!found.length) return { plan, scope };
    const columns = new Map<A.Expr, number>();
    for (const sq of found) {
      // EXISTS / IN as a value: a mark join appends whether each row has a match.
      if (sq.kind === 'exists') plan = await this.semiJoin(plan, scope, sq.query, undefined, false, ctes, sq.pos, true);
      else if (sq.kind === 'inSubquery') plan = await this.semiJoin(plan, scope, sq.query, sq.operand, false, ctes, sq.pos, true, outerHook);
      else plan = await this.scalarJoin(plan, scope, sq, ctes);
      columns.set(sq, plan.fields.length - 1);
    }
    const fields = plan.fields;
    const extended = new Scope([...scope.fields, ...fields.slice(scope.fields.length)]);
    const hook: BindHook = (e) => {
      const i = columns.get(e);
      if (i === undefined) return undefined;
      const ref = rexInput(i, fields[i].type);
      return e.kind === 'inSubquery' && e.negated ? rexCall('NOT', [ref], ref.type) : ref;
    };
    return { plan, scope: extended, hook };
  }

  /**
   * Whether a correlated subquery's WHERE is FALSE (or NULL) as a whole once simplified as Flink's
   * planner does (./simplify.ts) — bound whole, as Flink simplifies it before splitting it. A refused
   * call (JSON_VALUE … RETURNING BIGINT) that survives that simplification is refused here.
   */
  private correlatedWhereFalse(where: A.Expr | undefined, both: Scope): boolean {
    if (!where || hasSubquery(where)) return false;
    let whole: RexNode;
    try {
      whole = this.bindCondition(where, both);
    } catch (e) {
      if (isRefusal(e)) throw e;
      return false; // the conjuncts report it
    }
    return whole.kind === 'literal' && (whole.value === false || whole.value === null);
  }

  private async scalarJoin(plan: LogicalNode, outer: Scope, sq: A.ScalarSubqueryExpr, ctes: Map<string, LogicalNode>): Promise<LogicalNode> {
    const width = plan.fields.length;
    const name = `$scalar${width}`;
    let sub: LogicalNode | undefined;
    let first: unknown;
    try {
      sub = await this.bindQuery(sq.query, ctes);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      first = e;
    }
    if (sub) {
      if (sub.fields.length !== 1) throw new ValidationError(`A scalar subquery must return one column, not ${sub.fields.length}`, sq.pos);
      if (!atMostOneRow(sub)) {
        const agg: AggCall = { fn: '$SINGLE_VALUE', args: [0], argTypes: [sub.fields[0].type], distinct: false, type: withNullable(sub.fields[0].type, true), name: sub.fields[0].name };
        sub = { kind: 'Aggregate', input: sub, groupKeys: [], aggs: [agg], fields: [{ name: agg.name, type: agg.type }] };
      }
      const fields: PlanField[] = [...plan.fields, { name, type: withNullable(sub.fields[0].type, true) }];
      return { kind: 'Join', joinType: 'LEFT', left: plan, right: sub, fields };
    }
    // Correlated: SELECT <item> FROM … WHERE inner = outer [AND …] becomes an aggregation grouped
    // by the inner side of the equalities, LEFT joined on them.
    const body = sq.query.body;
    if (body.kind !== 'select' || !body.from || body.groupBy.length || body.having || body.distinct || body.items.length !== 1 || body.items[0].kind !== 'expr' || sq.query.with.length || sq.query.orderBy.length || sq.query.limit) throw first;
    const { scope: inner } = await this.bindFrom(body.from, ctes);
    const whereFalse = this.correlatedWhereFalse(body.where, new CorrelatedScope(outer, inner));
    const localAst: A.Expr[] = [];
    const innerKeys: A.Expr[] = [];
    const outerKeys: RexNode[] = [];
    if (whereFalse) localAst.push({ kind: 'literal', type: 'boolean', value: false, pos: body.where!.pos } as A.Expr);
    for (const c of body.where ? astConjuncts(body.where) : []) {
      try {
        this.bindExpr(c, inner);
        localAst.push(c);
        continue;
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        // A WHERE that is FALSE as a whole: Flink's planner drops the refused call with the rest.
        if (isRefusal(e)) {
          if (whereFalse) continue;
          throw e;
        }
      }
      const side = (a: A.Expr, b: A.Expr): boolean => {
        try {
          this.bindExpr(a, inner);
          outerKeys.push(this.bindExpr(b, outer));
          innerKeys.push(a);
          return true;
        } catch {
          return false;
        }
      };
      if (c.kind !== 'binary' || c.op !== '=' || !(side(c.left, c.right) || side(c.right, c.left))) {
        if (whereFalse) continue;
        throw new UnsupportedError('A correlated scalar subquery may relate to the outer query only by equalities (inner = outer) joined by AND', c.pos);
      }
    }
    if (!innerKeys.length) throw first;
    const itemAst = (body.items[0] as { expr: A.Expr }).expr;
    const aggregated = containsAggregate(itemAst, this.ctx.functions);
    const value: A.Expr = aggregated ? itemAst : { kind: 'call', name: { parts: ['$SINGLE_VALUE'], quoted: [false], pos: itemAst.pos }, args: [itemAst], distinct: false, star: false, noParens: false, pos: itemAst.pos } as A.CallExpr;
    const trueLit: A.Expr = { kind: 'literal', type: 'boolean', value: true, pos: sq.pos } as A.Expr;
    const synthetic: A.Select = {
      ...body,
      items: [...innerKeys.map((k) => ({ kind: 'expr' as const, expr: k, pos: k.pos })), { kind: 'expr', expr: value, pos: value.pos }, { kind: 'expr', expr: trueLit, alias: { value: '$m', quoted: true, pos: sq.pos } as A.Ident, pos: sq.pos }],
      where: localAst.length ? localAst.reduce((a, b) => ({ kind: 'binary', op: 'AND', left: a, right: b, pos: a.pos }) as A.Expr) : undefined,
      groupBy: innerKeys.map((k) => ({ kind: 'expr' as const, expr: k, pos: k.pos })),
    };
    const grouped = (await this.bindSelect(synthetic, ctes)).plan;
    const k = innerKeys.length;
    const conds = outerKeys.map((o, i) => this.compareRex('=', o, rexInput(width + i, grouped.fields[i].type), sq.pos));
    const joinFields: PlanField[] = [...plan.fields, ...grouped.fields.map((f) => ({ ...f, type: withNullable(f.type, true), timeAttr: undefined }))];
    const join: LogicalNode = { kind: 'Join', joinType: 'LEFT', left: plan, right: grouped, condition: conds.length === 1 ? conds[0] : rexCall('AND', conds, BOOL), fields: joinFields };
    // No matching row: the item's value over an empty group (COUNT is 0, other aggregates NULL).
    const valueRef = rexInput(width + k, joinFields[width + k].type);
    let result: RexNode = valueRef;
    if (aggregated) {
      const empty = this.bindExpr(itemAst, Scope.of([]), (e) => {
        if (e.kind !== 'call' || e.over || !getAggregateFunction(lastPart(e.name), this.ctx.functions)) return undefined;
        const fn = lastPart(e.name).toUpperCase();
        if (fn === 'COUNT') return rexLiteral(0, { kind: 'BIGINT', nullable: false });
        const def = getAggregateFunction(fn, this.ctx.functions)!;
        return rexLiteral(null, withNullable(def.returnType(e.star ? [] : e.args.map((a) => this.bindExpr(a, inner).type), e.distinct), true));
      });
      if (!(empty.kind === 'literal' && empty.value === null)) {
        const missing = rexCall('IS NULL', [rexInput(width + k + 1, joinFields[width + k + 1].type)], { kind: 'BOOLEAN', nullable: false });
        const t = commonType([valueRef.type, empty.type]) ?? valueRef.type;
        result = rexCall('CASE', [missing, castTo(empty, t), castTo(valueRef, t)], withNullable(t, true));
      }
    }
    return { kind: 'Project', input: join, exprs: [...plan.fields.map((f, i) => rexInput(i, f.type, f.name)), result], fields: [...plan.fields, { name, type: result.type }] };
  }

  // ───────────── INSERT ─────────────

  async bindInsert(ins: A.InsertStatement): Promise<LogicalNode> {
    const table = await this.resolveTable(ins.table.parts, ins.hints, ins.table.pos);
    if (!table.factory.createSink) throw new ValidationError(`Connector '${table.factory.identifier}' of table ${table.name} cannot be written (it is a source only)`, ins.table.pos);
    if (ins.overwrite && !this.batch) throw new ValidationError('INSERT OVERWRITE is only supported in batch mode', ins.pos);
    if (ins.partition.length) throw new UnsupportedError('INSERT … PARTITION (…) with static partition values is not supported yet', ins.pos);
    const query = await this.bindQuery(ins.query);
    // Writable columns: physical, then non-virtual metadata (in declared order).
    const writable: { name: string; type: LogicalType }[] = [
      ...table.descriptor.physical,
      ...table.descriptor.metadata.filter((m) => !m.virtual).map((m) => ({ name: m.name, type: m.type })),
    ];
    let sources: (number | null)[];
    if (ins.columns) {
      sources = writable.map(() => null);
      if (ins.columns.length !== query.fields.length) {
        throw new ValidationError(`INSERT INTO ${table.name} lists ${ins.columns.length} columns but the query produces ${query.fields.length}`, ins.pos);
      }
      ins.columns.forEach((c, i) => {
        const j = writable.findIndex((w) => eq(w.name, c.value));
        if (j < 0) throw new ValidationError(`Unknown target column '${c.value}' of ${table.name}${suggestion(c.value, writable.map((w) => w.name))}`, c.pos);
        sources[j] = i;
      });
    } else {
      if (query.fields.length !== writable.length) {
        throw new ValidationError(
          `Column types of query result and sink for '${table.name}' do not match: the query produces ${query.fields.length} columns [${query.fields.map((f) => f.name).join(', ')}] but the sink has ${writable.length} [${writable.map((w) => w.name).join(', ')}]`,
          ins.pos,
        );
      }
      sources = writable.map((_, i) => i);
    }
    const exprs = writable.map((w, j) => {
      const i = sources[j];
      if (i === null) return rexLiteral(null, withNullable(w.type, true));
      const f = query.fields[i];
      if (!typesEqual(f.type, w.type) && !canCast(f.type, w.type)) {
        throw new ValidationError(`Incompatible types for sink column '${w.name}' of ${table.name}: the query produces ${formatType(f.type)}, the sink expects ${formatType(w.type)}`, ins.pos);
      }
      return castTo(rexInput(i, f.type, f.name), withNullable(w.type, true));
    });
    const fields = writable.map((w) => ({ name: w.name, type: w.type }));
    const proj: LogicalNode = { kind: 'Project', input: query, exprs, fields };
    return { kind: 'Sink', input: proj, table, fields };
  }

  // ───────────── expressions ─────────────

  /** How deep bindExpr is nested (0: not binding an expression). */
  private exprDepth = 0;
  /** The outermost expression being bound is a filter's condition (bindCondition). */
  private filterContext = false;
  /** Binding over an input Flink's planner finds empty (overEmptyInput). */
  private emptyInput = false;

  /** Binds a WHERE/HAVING condition: a refused call in it is settled as Flink simplifies a filter (simplifyFilter). */
  private bindCondition(e: A.Expr, scope: Scope, hook?: BindHook): RexNode {
    if (this.exprDepth > 0) return this.bindExpr(e, scope, hook);
    this.filterContext = true;
    try {
      return this.bindExpr(e, scope, hook);
    } finally {
      this.filterContext = false;
    }
  }

  /**
   * Binds an expression. Calls Flink refuses only while generating code (JSON_VALUE … RETURNING
   * BIGINT) are bound as '$REFUSED' markers: once the outermost expression is bound, it is
   * simplified as Flink's planner does (./simplify.ts), and a marker still there is refused.
   */
  bindExpr(e: A.Expr, scope: Scope, hook?: BindHook): RexNode {
    this.exprDepth++;
    let r: RexNode;
    try {
      r = this.bindExprNode(e, scope, hook);
    } finally {
      this.exprDepth--;
    }
    if (this.exprDepth > 0) return r;
    throwConstantZeroDivision(r, undefined, this.ctx.functions);
    return REFUSED_PENDING.n > 0 ? settleRefusals(r, this.filterContext) : r;
  }

  private bindExprNode(e: A.Expr, scope: Scope, hook?: BindHook): RexNode {
    if (hook) {
      const h = hook(e);
      if (h) return h;
    }
    const b = (x: A.Expr) => this.bindExpr(x, scope, hook);
    switch (e.kind) {
      case 'ident': {
        const { index, rest } = scope.resolve(e.parts, e.pos);
        let r: RexNode = rexInput(index, scope.fields[index].type, scope.fields[index].name);
        for (const part of rest) r = this.fieldAccess(r, part, e.pos);
        return r;
      }
      case 'literal':
        return this.bindLiteral(e);
      case 'unary': {
        // A negative exact literal is one literal, typed and range-checked from its signed value, as
        // Calcite's parser reads it: -2147483648 is an INT, -9223372036854775808 a BIGINT.
        if (e.op === '-' && e.operand.kind === 'literal' && e.operand.type === 'number' && e.operand.numberKind !== 'approx') {
          return this.bindLiteral({ ...e.operand, value: -e.operand.value, text: `-${e.operand.text}`, pos: e.pos });
        }
        const x = b(e.operand);
        if (e.op === 'NOT') return rexCall('NOT', [this.expectBool(x, e.operand.pos)], { kind: 'BOOLEAN', nullable: x.type.nullable });
        if (e.op === '+') return x;
        if (x.kind === 'literal' && typeof x.value === 'number') return rexLiteral(x.value === 0 ? 0 : -x.value, x.type);
        if (x.kind === 'literal' && typeof x.value === 'bigint') return rexLiteral(canonical(-x.value), x.type);
        if (!isNumeric(x.type) && x.type.kind !== 'INTERVAL_DAY_TIME' && x.type.kind !== 'INTERVAL_YEAR_MONTH') {
          throw new ValidationError(`Cannot negate a value of type ${formatType(x.type)}`, e.pos);
        }
        return rexCall('NEG', [x], x.type);
      }
      case 'binary':
        return this.bindBinary(e, scope, hook);
      case 'is': {
        const x = b(e.operand);
        if (e.test.startsWith('JSON ')) {
          // s IS [NOT] JSON kind → [NOT] IS_JSON(s, 'kind'): FALSE for NULL (so IS NOT JSON is TRUE), as in Flink.
          const s = this.expectString(x, e.operand.pos);
          const kind = e.test.slice(5);
          const call = this.callFunction('IS_JSON', [s, rexLiteral(kind, { kind: 'CHAR', length: kind.length, nullable: false })], e.pos);
          return e.negated ? rexCall('NOT', [call], call.type) : call;
        }
        const op = e.test === 'NULL' || e.test === 'UNKNOWN' ? 'NULL' : e.test;
        if (op === 'NULL') return isNullOf(x, e.negated);
        return rexCall(`IS ${e.negated ? 'NOT ' : ''}${op}`, [x], { kind: 'BOOLEAN', nullable: false });
      }
      case 'isDistinctFrom': {
        const [l, r] = this.coercePair(b(e.left), b(e.right), e.pos);
        return rexCall(e.negated ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM', [l, r], { kind: 'BOOLEAN', nullable: false });
      }
      case 'between': {
        const x = b(e.operand);
        const lo = b(e.low);
        const hi = b(e.high);
        const t = commonType([x.type, lo.type, hi.type]);
        if (!t) throw new ValidationError(`Cannot compare ${formatType(x.type)} with ${formatType(lo.type)} and ${formatType(hi.type)} in BETWEEN`, e.pos);
        const args = [castTo(x, t), castTo(lo, t), castTo(hi, t)];
        if (e.symmetric) {
          const a = rexCall('BETWEEN', args, { kind: 'BOOLEAN', nullable: nullableAny(args) });
          const c = rexCall('BETWEEN', [args[0], args[2], args[1]], { kind: 'BOOLEAN', nullable: nullableAny(args) });
          const or = rexCall('OR', [a, c], { kind: 'BOOLEAN', nullable: nullableAny(args) });
          return e.negated ? rexCall('NOT', [or], or.type) : or;
        }
        return rexCall(e.negated ? 'NOT BETWEEN' : 'BETWEEN', args, { kind: 'BOOLEAN', nullable: nullableAny(args) });
      }
      case 'like': {
        const x = this.expectString(b(e.operand), e.operand.pos);
        const p = this.expectString(b(e.pattern), e.pattern.pos);
        const args = [x, p];
        if (e.escape) args.push(this.expectString(b(e.escape), e.escape.pos));
        const op = e.op === 'LIKE' ? (e.negated ? 'NOT LIKE' : 'LIKE') : 'SIMILAR TO';
        const r = rexCall(op, args, { kind: 'BOOLEAN', nullable: nullableAny(args) });
        return e.op === 'SIMILAR TO' && e.negated ? rexCall('NOT', [r], r.type) : r;
      }
      case 'inList': {
        const x = b(e.operand);
        let list = e.list.map(b);
        // Flink: a value of the list that is not a literal is cast to the type of the left operand
        // (so 'a' IN ('zz', s) compares s cut to CHAR(1), and k IN (5, d) compares CAST(d AS INT));
        // literals keep their type.
        list = list.map((l) => (l.kind !== 'literal' && ((isNumeric(l.type) && isNumeric(x.type)) || (isString(l.type) && isString(x.type))) ? castTo(l, x.type) : l));
        const t = commonType([x.type, ...list.map((l) => l.type)]);
        if (!t) throw new ValidationError(`Values in IN (…) are not comparable with ${formatType(x.type)}`, e.pos);
        const args = [castTo(x, t), ...list.map((l) => castTo(l, t))];
        return rexCall(e.negated ? 'NOT IN' : 'IN', args, { kind: 'BOOLEAN', nullable: nullableAny(args) });
      }
      case 'inSubquery':
      case 'exists':
      case 'scalarSubquery':
        throw new UnsupportedError('Subqueries in expressions are not supported yet', e.pos);
      case 'cast': {
        const x = b(e.operand);
        // Flink 1.20 refuses CAST and TRY_CAST between TIMESTAMP_LTZ and the numeric types (its
        // messages); tsstream's cast functions have them for internal use only.
        if (x.type.kind === 'TIMESTAMP_LTZ' && isNumeric(e.type)) throw new ValidationError(`The cast from TIMESTAMP_LTZ type to NUMERIC type is not allowed (${formatType(x.type)} to ${formatType(e.type)})`, e.pos);
        if (isNumeric(x.type) && e.type.kind === 'TIMESTAMP_LTZ') {
          throw new ValidationError(`The cast from NUMERIC type to TIMESTAMP_LTZ type is not allowed (${formatType(x.type)} to ${formatType(e.type)}); use TO_TIMESTAMP_LTZ(numeric_col, precision) instead`, e.pos);
        }
        if (!canCast(x.type, e.type)) throw new ValidationError(`Cannot cast ${formatType(x.type)} to ${formatType(e.type)}`, e.pos);
        // CAST(… AS TIME(p)) is TIME(0) in Flink 1.20 (its planner supports no fraction of a second for TIME).
        const to: LogicalType = e.type.kind === 'TIME' ? { ...e.type, precision: 0 } : e.type;
        const folded = foldTimestampLiteralCast(x, to);
        if (folded) return folded;
        return { kind: 'cast', arg: x, type: withNullable(to, e.try || x.type.nullable), safe: e.try };
      }
      case 'case':
        return this.bindCase(e, scope, hook);
      case 'call':
        return this.bindCall(e, scope, hook);
      case 'extract': {
        const x = b(e.operand);
        return this.callFunction('EXTRACT', [rexLiteral(e.unit, { kind: 'VARCHAR', length: e.unit.length, nullable: false }), x], e.pos);
      }
      case 'floorCeil': {
        const fn = e.fn === 'FLOOR' ? 'FLOOR_TO' : 'CEIL_TO';
        let x = b(e.operand);
        // Flink's planner (Calcite's RexSimplify.simplifyCeilFloor) rolls FLOOR(FLOOR(x TO HOUR) TO DAY)
        // up into FLOOR(x TO DAY) (CEIL likewise); it matters where the inner one is not exact in
        // Flink (a TIMESTAMP_LTZ floored before 1900 in a zone's standard offset, not its local mean time).
        if (x.kind === 'call' && x.op === fn && x.args[1]?.kind === 'literal' && canRollUp(e.unit, String(x.args[1].value))) x = x.args[0];
        return this.callFunction(fn, [x, rexLiteral(e.unit, { kind: 'VARCHAR', length: e.unit.length, nullable: false })], e.pos);
      }
      case 'position':
        return this.callFunction('POSITION', [b(e.needle), b(e.haystack)], e.pos);
      case 'trim': {
        const mode = rexLiteral(e.where, { kind: 'VARCHAR', length: e.where.length, nullable: false });
        const chars = e.chars ? b(e.chars) : rexLiteral(' ', { kind: 'CHAR', length: 1, nullable: false });
        return this.callFunction('TRIM', [mode, chars, b(e.operand)], e.pos);
      }
      case 'substring':
        return this.callFunction('SUBSTRING', [b(e.operand), b(e.start), ...(e.length ? [b(e.length)] : [])], e.pos);
      case 'overlay':
        return this.callFunction('OVERLAY', [b(e.operand), b(e.placing), b(e.start), ...(e.length ? [b(e.length)] : [])], e.pos);
      case 'subscript': {
        const x = b(e.operand);
        const i = b(e.index);
        if (x.type.kind === 'ARRAY') {
          if (i.kind === 'literal' && typeof i.value === 'number' && i.value < 1) throw new ValidationError(`Array element access needs an index starting at 1 but was ${i.value}.`, e.pos);
          return rexCall('ITEM', [x, castTo(i, { kind: 'INT', nullable: i.type.nullable })], withNullable(x.type.element, true));
        }
        // A text key is looked up as it is: cast to the map's CHAR(1) key type, 'abc' would find 'a'.
        if (x.type.kind === 'MAP') return rexCall('ITEM', [x, isString(x.type.key) && isString(i.type) ? i : castTo(i, x.type.key)], withNullable(x.type.value, true));
        throw new ValidationError(`Cannot subscript a value of type ${formatType(x.type)} (only ARRAY and MAP)`, e.pos);
      }
      case 'fieldAccess':
        return this.fieldAccess(b(e.operand), e.field.value, e.pos);
      case 'row': {
        const items = e.items.map(b);
        return rexCall('ROW', items, { kind: 'ROW', fields: items.map((x, i) => ({ name: `EXPR$${i}`, type: x.type })), nullable: false });
      }
      case 'array': {
        const items = e.items.map(b);
        const t = commonType(items.map((x) => x.type));
        if (!t) throw new ValidationError('ARRAY elements have incompatible types', e.pos);
        return rexCall('ARRAY', items.map((x) => castTo(x, t)), { kind: 'ARRAY', element: t, nullable: false });
      }
      case 'map': {
        const ks = e.entries.map(([k]) => b(k));
        const vs = e.entries.map(([, v]) => b(v));
        const kt = commonType(ks.map((x) => x.type));
        const vt = commonType(vs.map((x) => x.type));
        if (!kt || !vt) throw new ValidationError('MAP keys or values have incompatible types', e.pos);
        const args: RexNode[] = [];
        // A literal key given again replaces the earlier entry, whose value is not evaluated (as Flink:
        // MAP['a', 1 / 0, 'a', 2] is {a=2}).
        const later = (i: number) => ks.slice(i + 1).some((x) => x.kind === 'literal' && ks[i].kind === 'literal' && x.value === ks[i].value);
        ks.forEach((k, i) => later(i) || args.push(castTo(k, kt), castTo(vs[i], vt)));
        return rexCall('MAP', args, { kind: 'MAP', key: kt, value: vt, nullable: false });
      }
    }
  }

  private fieldAccess(r: RexNode, name: string, pos: A.Pos): RexNode {
    if (r.type.kind !== 'ROW') throw new ValidationError(`Cannot access field '${name}' of a value of type ${formatType(r.type)}`, pos);
    const i = r.type.fields.findIndex((f) => eq(f.name, name));
    if (i < 0) throw new ValidationError(`Field '${name}' not found in ${formatType(r.type)}${suggestion(name, r.type.fields.map((f) => f.name))}`, pos);
    return rexCall('FIELD', [r, rexLiteral(i, { kind: 'INT', nullable: false })], withNullable(r.type.fields[i].type, r.type.nullable || r.type.fields[i].type.nullable));
  }

  private bindLiteral(e: A.LiteralExpr): RexNode {
    switch (e.type) {
      case 'string':
        return rexLiteral(e.value, { kind: 'CHAR', length: e.value.length, nullable: false });
      case 'number':
        if (e.numberKind === 'integer') {
          // Exact from the text: INT when it fits, else BIGINT; beyond BIGINT refused as Flink (Calcite)
          // refuses it (a wider constant is written CAST('…' AS DECIMAL(p, s))).
          const v = parseInteger(e.text);
          if (v === undefined) throw new ValidationError(`Invalid integer literal ${e.text}`, e.pos);
          if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) return rexLiteral(v, { kind: 'INT', nullable: false });
          if (!inLongRange(v)) throw literalOutOfRange(e);
          return rexLiteral(v, { kind: 'BIGINT', nullable: false });
        }
        if (e.numberKind === 'decimal') {
          const [ip, fp = ''] = e.text.replace(/^[-+]/, '').split('.');
          const scale = fp.length;
          // Calcite counts every digit of the text, leading zeros too: 0.05 is DECIMAL(3, 2).
          const precision = Math.max(1, ip.length + scale);
          // Calcite's validator (Flink's) refuses an exact literal whose unscaled value (its digits
          // without the point) does not fit a 64-bit long: 99999999999999999.99 is out of range.
          const unscaled = parseInteger(e.text.replace('.', ''));
          if (unscaled === undefined || !inLongRange(unscaled) || precision > MAX_PRECISION) throw literalOutOfRange(e);
          return rexLiteral(decimalLiteralValue(e.text, precision, scale), { kind: 'DECIMAL', precision, scale, nullable: false });
        }
        return rexLiteral(e.value, { kind: 'DOUBLE', nullable: false });
      case 'boolean':
        return rexLiteral(e.value, { kind: 'BOOLEAN', nullable: false });
      case 'null':
        return rexLiteral(null, { kind: 'NULL', nullable: true });
      case 'binary': {
        const bytes = Uint8Array.from(Buffer.from(e.value, 'hex'));
        return rexLiteral(bytes, { kind: 'BINARY', length: bytes.length, nullable: false }); // X'' is BINARY(0), as '' is CHAR(0)
      }
      case 'date':
        return rexLiteral(e.value, { kind: 'DATE', nullable: false });
      case 'time':
        // Flink 1.20's planner supports TIME(0) only: TIME '10:11:12.123456789' is TIME(0), printed
        // 10:11:12, its value the milliseconds of the day (10:11:12.123) as every Flink TIME.
        return rexLiteral(Math.floor(e.value / 1000) * 1000, { kind: 'TIME', precision: 0, nullable: false });
      case 'timestamp':
        return rexLiteral(e.value, { kind: 'TIMESTAMP', precision: e.precision, nullable: false });
      case 'interval':
        return rexLiteral(e.value, { kind: e.yearMonth ? 'INTERVAL_YEAR_MONTH' : 'INTERVAL_DAY_TIME', nullable: false });
    }
  }

  private expectBool(x: RexNode, pos: A.Pos): RexNode {
    if (x.type.kind === 'BOOLEAN') return x;
    if (x.type.kind === 'NULL') return castTo(x, BOOL);
    throw new ValidationError(`Expected a BOOLEAN expression, found ${formatType(x.type)}`, pos);
  }

  private expectString(x: RexNode, pos: A.Pos): RexNode {
    if (isString(x.type)) return x;
    if (x.type.kind === 'NULL') return castTo(x, STRING);
    throw new ValidationError(`Expected a string, found ${formatType(x.type)}`, pos);
  }

  private coercePair(l: RexNode, r: RexNode, pos: A.Pos): [RexNode, RexNode] {
    if (typesEqual(l.type, r.type)) return [l, r];
    const t = comparisonType(l.type, r.type);
    if (!t) throw new ValidationError(`Cannot compare ${formatType(l.type)} with ${formatType(r.type)}`, pos);
    return [castTo(l, t), castTo(r, t)];
  }

  private compareRex(op: string, l: RexNode, r: RexNode, pos: A.Pos): RexNode {
    const [a, b] = this.coercePair(l, r, pos);
    return rexCall(op, [a, b], { kind: 'BOOLEAN', nullable: a.type.nullable || b.type.nullable });
  }

  private bindBinary(e: A.BinaryExpr, scope: Scope, hook?: BindHook): RexNode {
    if (e.op === 'OVERLAPS') return this.bindOverlaps(e, scope, hook);
    const l = this.bindExpr(e.left, scope, hook);
    const r = this.bindExpr(e.right, scope, hook);
    switch (e.op) {
      case 'AND':
      case 'OR': {
        const a = this.expectBool(l, e.left.pos);
        const c = this.expectBool(r, e.right.pos);
        // Flatten nested ANDs/ORs.
        const args = [...(a.kind === 'call' && a.op === e.op ? a.args : [a]), ...(c.kind === 'call' && c.op === e.op ? c.args : [c])];
        return rexCall(e.op, args, { kind: 'BOOLEAN', nullable: nullableAny(args) });
      }
      case '=':
      case '<>':
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.compareRex(e.op, l, r, e.pos);
      case '||': {
        const a = isString(l.type) ? l : castTo(l, STRING);
        const c = isString(r.type) ? r : castTo(r, STRING);
        // Calcite's DYADIC_STRING_SUM_PRECISION: CHAR(m) || CHAR(n) is CHAR(m + n), else VARCHAR(m + n).
        const len = (t: LogicalType) => (t.kind === 'CHAR' || t.kind === 'VARCHAR' ? t.length : MAX_LENGTH);
        const both = a.type.kind === 'CHAR' && c.type.kind === 'CHAR';
        return rexCall('||', [a, c], { kind: both ? 'CHAR' : 'VARCHAR', length: Math.min(MAX_LENGTH, len(a.type) + len(c.type)), nullable: a.type.nullable || c.type.nullable });
      }
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        // String operands in arithmetic are cast implicitly as in Flink (e.g. '1' + 1).
        const t = arithmeticResultType(e.op, l.type, r.type);
        if (!t) throw new ValidationError(`Cannot apply '${e.op}' to arguments of type ${formatType(l.type)} and ${formatType(r.type)}`, e.pos);
        if (e.op === '%' && [l.type, r.type].some((x) => x.kind === 'DOUBLE' || x.kind === 'FLOAT')) {
          throw new ValidationError(`Cannot apply '%' to arguments of type ${formatType(l.type)} and ${formatType(r.type)}: '%' (MOD) takes exact numerics only, as in Flink`, e.pos);
        }
        // Flink reduces constant expressions at planning with BigDecimal: a constant divided by a
        // constant zero fails ("Division by zero") even where a column's DOUBLE / 0 is Infinity.
        // Only where the division is the root of the largest constant expression around it (a select
        // item, an aggregate's argument, a CASE branch, an operand of a comparison with a column): under a
        // constant call (EXP(1.0E-3 / 0), (1.0E-3 / 0) + 1, CAST(… AS STRING)) Flink reduces that call in
        // doubles, Infinity (seed 14). Checked once the outermost expression is bound (bindExpr).
        const constantZeroDivision = e.op === '/' && (t.kind === 'DOUBLE' || t.kind === 'FLOAT') && isConstantRex(l, this.ctx.functions) && isZeroConstant(r);
        const call = rexCall(e.op, [l, r], withNullable(t, l.type.nullable || r.type.nullable));
        if (constantZeroDivision) ZERO_DIVISIONS.set(call, new ValidationError(`Division by zero: ${formatRex(l)} / ${formatRex(r)} is reduced at planning, as Flink reduces constant expressions`, e.pos));
        return call;
      }
    }
  }

  /**
   * `(s1, e1) OVERLAPS (s2, e2)`, each end a datetime or an interval after its start: with each
   * period's bounds put in order, e1 >= s2 AND e2 >= s1 (Calcite's and Flink's rule); NULL when
   * a bound is NULL.
   */
  private bindOverlaps(e: A.BinaryExpr, scope: Scope, hook?: BindHook): RexNode {
    const period = (x: A.Expr): [RexNode, RexNode] => {
      if (x.kind !== 'row' || x.items.length !== 2) throw new ValidationError('OVERLAPS compares two periods written (start, end) or (start, interval)', x.pos);
      const start = this.bindExpr(x.items[0], scope, hook);
      let end = this.bindExpr(x.items[1], scope, hook);
      if (end.type.kind === 'INTERVAL_DAY_TIME' || end.type.kind === 'INTERVAL_YEAR_MONTH') {
        end = this.bindExpr({ kind: 'binary', op: '+', left: x.items[0], right: x.items[1], pos: x.pos }, scope, hook);
      }
      if (!isTimestamp(start.type) && start.type.kind !== 'DATE' && start.type.kind !== 'TIME') throw new ValidationError(`OVERLAPS needs datetime periods, not ${formatType(start.type)}`, x.pos);
      return [start, end];
    };
    const [s1, e1] = period(e.left);
    const [s2, e2] = period(e.right);
    const all = [s1, e1, s2, e2];
    const t = commonType(all.map((a) => a.type));
    if (!t) throw new ValidationError(`OVERLAPS periods have incompatible types: ${all.map((a) => formatType(a.type)).join(', ')}`, e.pos);
    const [a, b, c, d] = all.map((x) => castTo(x, t));
    const B: LogicalType = { kind: 'BOOLEAN', nullable: false };
    const cmp = (op: string, x: RexNode, y: RexNode) => rexCall(op, [x, y], { kind: 'BOOLEAN', nullable: x.type.nullable || y.type.nullable });
    const pick = (op: string, x: RexNode, y: RexNode) => rexCall('CASE', [cmp(op, x, y), x, y], withNullable(t, x.type.nullable || y.type.nullable));
    const body = rexCall('AND', [cmp('>=', pick('>=', a, b), pick('<=', c, d)), cmp('>=', pick('>=', c, d), pick('<=', a, b))], { kind: 'BOOLEAN', nullable: nullableAny(all) });
    if (!nullableAny(all)) return body;
    const anyNull = rexCall('OR', all.map((x) => rexCall('IS NULL', [x], B)), B);
    return rexCall('CASE', [anyNull, rexLiteral(null, { kind: 'BOOLEAN', nullable: true }), body], { kind: 'BOOLEAN', nullable: true });
  }

  private bindCase(e: A.CaseExpr, scope: Scope, hook?: BindHook): RexNode {
    const b = (x: A.Expr) => this.bindExpr(x, scope, hook);
    const operand = e.operand ? b(e.operand) : undefined;
    const conds = e.whens.map((w) => {
      const c = b(w.when);
      return operand ? this.compareRex('=', operand, c, w.when.pos) : this.expectBool(c, w.when.pos);
    });
    const results = e.whens.map((w) => b(w.then));
    const other = e.else ? b(e.else) : rexLiteral(null, { kind: 'NULL', nullable: true });
    const t = commonType([...results.map((x) => x.type), other.type], { calcite: true });
    if (!t) throw new ValidationError(`CASE branches have incompatible types: ${[...results, other].map((x) => formatType(x.type)).join(', ')}`, e.pos);
    const args: RexNode[] = [];
    conds.forEach((c, i) => args.push(c, castTo(results[i], t)));
    args.push(castTo(other, t));
    const nullable = !e.else || results.some((x) => x.type.nullable) || other.type.nullable;
    return rexCall('CASE', args, withNullable(t, nullable));
  }

  private bindCall(e: A.CallExpr, scope: Scope, hook?: BindHook): RexNode {
    const name = lastPart(e.name).toUpperCase();
    if (e.over) throw new UnsupportedError('OVER windows are not supported yet', e.pos);
    if (getAggregateFunction(name, this.ctx.functions) && !getScalarFunction(name, this.ctx.functions)) {
      throw new ValidationError(`Aggregate function ${name} is not allowed here`, e.pos);
    }
    if (name === 'CURRENT_WATERMARK') {
      // Flink 1.20's checks and words: one argument, a rowtime attribute (none exist in batch mode).
      const x = e.args.length === 1 ? this.bindExpr(e.args[0], scope, hook) : undefined;
      if (!x || !isTimestamp(x.type)) {
        throw new ValidationError(`CURRENT_WATERMARK() must be called with a single rowtime attribute argument, but '${x ? formatType(x.type) : e.args.length + ' arguments'}' cannot be a time attribute.`, e.pos);
      }
      if (this.batch || x.kind !== 'input' || scope.fields[x.index]?.timeAttr !== 'rowtime') {
        throw new ValidationError(`The argument of CURRENT_WATERMARK() must be a rowtime attribute, but was '${formatType(x.type)}'.`, e.pos);
      }
      return rexCall('CURRENT_WATERMARK', [x], withNullable(x.type, true));
    }
    const args = e.args.map((a, i) => {
      // TIMESTAMPADD(DAY, …) / TIMESTAMPDIFF(SQL_TSI_DAY, …): the unit is a keyword, not a column.
      if (i === 0 && (name === 'TIMESTAMPADD' || name === 'TIMESTAMPDIFF') && a.kind === 'ident' && a.parts.length === 1 && TIME_UNIT.test(a.parts[0])) {
        return rexLiteral(a.parts[0].toUpperCase(), { kind: 'VARCHAR', length: a.parts[0].length, nullable: false });
      }
      return this.bindExpr(a, scope, hook);
    });
    if (e.json && JSON_CLAUSE_FUNCTIONS.has(name)) return this.bindJsonCall(name, args, e.json, scope, hook, e.pos);
    return this.callFunction(name, args, e.pos);
  }

  /**
   * The SQL/JSON clauses become constant arguments (src/functions/registry.ts lists the forms); a
   * DEFAULT value is cast to the RETURNING type here.
   */
  private bindJsonCall(name: string, args: RexNode[], j: A.JsonClauses, scope: Scope, hook: BindHook | undefined, pos: A.Pos): RexNode {
    const lit = (v: string): RexNode => rexLiteral(v, { kind: 'CHAR', length: v.length, nullable: false });
    const nullLit = (): RexNode => rexLiteral(null, { kind: 'NULL', nullable: true });
    const allowed = (b: A.JsonBehavior | undefined, kinds: string[], clause: string) => {
      if (b && !kinds.includes(b.kind)) throw new ValidationError(`${name} does not accept ${b.kind} ON ${clause} (${kinds.join(', ')} are allowed)`, pos);
    };
    switch (name) {
      case 'JSON_VALUE': {
        allowed(j.onEmpty, ['NULL', 'ERROR', 'DEFAULT'], 'EMPTY');
        allowed(j.onError, ['NULL', 'ERROR', 'DEFAULT'], 'ERROR');
        let rt: LogicalType | undefined;
        let refusal: ValidationError | undefined;
        if (j.returning) {
          rt = withNullable(j.returning, true);
          if (!jsonValueReturningSupported(rt)) refusal = new ValidationError(`Unsupported type '${formatType(rt)}' for RETURNING in JSON_VALUE()`, pos);
        }
        // JSON_VALUE(j, p, returning, onError, errorDefault, onEmpty, emptyDefault): as far as given.
        const behavior = (b: A.JsonBehavior | undefined): RexNode[] => {
          if (b?.kind !== 'DEFAULT') return [b ? lit(b.kind) : nullLit(), nullLit()];
          const d = this.bindExpr(b.value, scope, hook);
          const t = rt ?? STRING;
          if (!canCast(d.type, t)) throw new ValidationError(`The DEFAULT value of JSON_VALUE must be castable to ${formatType(t)}, found ${formatType(d.type)}`, pos);
          return [lit('DEFAULT'), castTo(d, t)];
        };
        const out = [...args];
        if (rt || j.onError || j.onEmpty) out.push(rt ? lit(formatType(rt)) : nullLit());
        if (j.onError || j.onEmpty) out.push(...behavior(j.onError));
        if (j.onEmpty) out.push(...behavior(j.onEmpty));
        const call = this.callFunction(name, out, pos);
        if (refusal && !this.emptyInput) {
          // Flink 1.20 refuses it while generating code: only if its planner has not simplified it away.
          const marker = rexCall('$REFUSED', [], call.type);
          REFUSALS.set(marker, refusal);
          REFUSAL_ERRORS.add(refusal);
          REFUSED_PENDING.n++;
          return marker;
        }
        return call;
      }
      case 'JSON_QUERY': {
        allowed(j.onEmpty, ['NULL', 'ERROR', 'EMPTY ARRAY', 'EMPTY OBJECT'], 'EMPTY');
        allowed(j.onError, ['NULL', 'ERROR', 'EMPTY ARRAY', 'EMPTY OBJECT'], 'ERROR');
        if (j.returning && !isString(j.returning)) throw new UnsupportedError(`JSON_QUERY … RETURNING ${formatType(j.returning)} is not supported yet (STRING is)`, pos);
        // JSON_QUERY(j, p, wrapper, onError, onEmpty): as far as given.
        const out = [...args];
        if (j.wrapper || j.onError || j.onEmpty) out.push(lit(j.wrapper === 'WITH CONDITIONAL' ? 'CONDITIONAL' : j.wrapper === 'WITH UNCONDITIONAL' ? 'WITH' : 'WITHOUT'));
        if (j.onError || j.onEmpty) out.push(lit(j.onError?.kind ?? 'NULL')); // JSON_QUERY is strict: no NULL argument
        if (j.onEmpty) out.push(lit(j.onEmpty.kind));
        const call = this.callFunction(name, out, pos);
        return j.returning ? castTo(call, withNullable(j.returning, true)) : call;
      }
      case 'JSON_EXISTS': {
        allowed(j.onError, ['TRUE', 'FALSE', 'UNKNOWN', 'ERROR'], 'ERROR');
        return this.callFunction(name, j.onError ? [...args, lit(j.onError.kind)] : args, pos);
      }
      case 'JSON_OBJECT':
        return this.callFunction(j.onNull === 'ABSENT' ? '$JSON_OBJECT_ABSENT_ON_NULL' : name, args, pos);
      case 'JSON_ARRAY':
        return this.callFunction(j.onNull === 'NULL' ? '$JSON_ARRAY_NULL_ON_NULL' : name, args, pos);
      default:
        return this.callFunction(name, args, pos);
    }
  }

  private callFunction(name: string, args: RexNode[], pos: A.Pos): RexNode {
    const def = getScalarFunction(name, this.ctx.functions);
    if (!def) {
      const known = [...scalarFunctionNames(), ...aggregateFunctionNames()];
      throw new ValidationError(`No match found for function signature ${name}(${args.map((a) => formatType(a.type)).join(', ')}): unknown function '${name}'${suggestion(name, known)}`, pos);
    }
    let type: LogicalType;
    try {
      type = def.returnType(
        args.map((a) => a.type),
        args.map((a) => (a.kind === 'literal' ? a.value : undefined)),
      );
    } catch (err) {
      if (err instanceof ValidationError) throw new ValidationError(err.message, pos);
      throw err;
    }
    return rexCall(def.name.toUpperCase(), args, type);
  }
}

/** Window functions of OVER (ranking and offsets): no frame of their own. */
const WINDOW_FUNCTIONS = new Set(['ROW_NUMBER', 'RANK', 'DENSE_RANK', 'PERCENT_RANK', 'CUME_DIST', 'NTILE', 'LAG', 'LEAD']);

/** The Java class Flink holds a value of this type in (its "conversion class" of internal data). */
function internalClass(t: LogicalType): string {
  switch (t.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return 'StringData';
    case 'DATE':
    case 'TIME':
    case 'INT':
    case 'INTERVAL_YEAR_MONTH':
      return 'Integer';
    case 'BIGINT':
    case 'INTERVAL_DAY_TIME':
      return 'Long';
    case 'BINARY':
    case 'VARBINARY':
      return 'byte[]';
    default:
      return t.kind;
  }
}

/** A numeric literal as an amount of a DECIMAL(…, scale) key: its unscaled integer. */
function decAmount(v: RexNode & { kind: 'literal' }, scale: number): number | bigint {
  const t = v.type;
  const s = t.kind === 'DECIMAL' ? t.scale : 0;
  const x = typeof v.value === 'bigint' ? v.value : BigInt(Math.trunc(Number(v.value)));
  const r = scale >= s ? x * 10n ** BigInt(scale - s) : x / 10n ** BigInt(s - scale);
  return canonical(r) as number | bigint;
}

/**
 * Flink's streaming window aggregation merges slices of HOP windows (and of CUMULATE for
 * FIRST_VALUE/LAST_VALUE), which some aggregates cannot do; Flink refuses those queries at planning.
 */
function checkSlicedWindowAggs(window: WindowSpec, aggs: AggCall[]): void {
  for (const a of aggs) {
    const fn = a.fn.toUpperCase();
    if (window.kind === 'HOP' && fn === 'SUM' && a.distinct) {
      throw new PlanningError(`SUM(DISTINCT …) in a HOP window aggregation: this function does not support retraction, which Flink's sliced HOP windows need (Flink refuses it too; use a TUMBLE or CUMULATE window, or batch mode)`);
    }
    if ((window.kind === 'HOP' || window.kind === 'CUMULATE') && (fn === 'FIRST_VALUE' || fn === 'LAST_VALUE')) {
      throw new PlanningError(`${fn} in a ${window.kind} window aggregation: Flink cannot merge its window slices ('merge' is not implemented) and refuses the query; use a TUMBLE window or batch mode`);
    }
  }
}

/** `TUMBLE(…)`, `HOP(…)` or `SESSION(…)` written in GROUP BY (a legacy group window). */
function isGroupWindowCall(e: A.Expr): e is A.CallExpr {
  return e.kind === 'call' && !e.over && ['TUMBLE', 'HOP', 'SESSION'].includes(lastPart(e.name).toUpperCase());
}

/** An OVER spec with its named window (`OVER w`, `OVER (w ORDER BY …)`, WINDOW w AS (…)) filled in. */
function resolveWindowSpec(o: A.WindowSpec, windows: A.NamedWindow[], seen: string[] = []): A.WindowSpec {
  if (!o.ref) return o;
  const name = o.ref.value;
  const w = windows.find((x) => eq(x.name.value, name));
  if (!w) throw new ValidationError(`Window '${name}' is not defined: add WINDOW ${name} AS (…) after the SELECT's HAVING`, o.ref.pos);
  if (seen.includes(name)) throw new ValidationError(`Window '${name}' refers to itself`, o.ref.pos);
  const base = resolveWindowSpec(w.spec, windows, [...seen, name]);
  return { ...base, ref: undefined, bareRef: false, partitionBy: o.partitionBy.length ? o.partitionBy : base.partitionBy, orderBy: o.orderBy.length ? o.orderBy : base.orderBy, frame: o.frame ?? base.frame, pos: o.pos };
}

/** The AND-ed parts of a condition. */
function astConjuncts(e: A.Expr): A.Expr[] {
  return e.kind === 'binary' && e.op === 'AND' ? [...astConjuncts(e.left), ...astConjuncts(e.right)] : [e];
}

/** Whether an expression holds a subquery (IN, EXISTS or scalar). */
function hasSubquery(e: A.Expr | undefined): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === 'exists' || x.kind === 'inSubquery' || x.kind === 'scalarSubquery') found = true;
  });
  return found;
}

/** Whether a plan gives at most one row (a global aggregate, possibly projected or filtered). */
function atMostOneRow(n: LogicalNode): boolean {
  if (n.kind === 'Aggregate') return n.groupKeys.length === 0;
  if (n.kind === 'Values') return n.rows.length <= 1;
  if (n.kind === 'Project' || n.kind === 'Filter') return atMostOneRow(n.input);
  if (n.kind === 'Sort') return n.limit !== undefined && n.limit <= 1;
  return false;
}

/**
 * The scope of a correlated subquery's condition: the outer row then the subquery's row; a name
 * resolves in the subquery first, then outside (SQL's scoping).
 */
class CorrelatedScope extends Scope {
  constructor(private readonly outer: Scope, private readonly inner: Scope) {
    super([...outer.fields, ...inner.fields]);
  }

  override resolve(parts: string[], pos: A.Pos): { index: number; rest: string[] } {
    try {
      const r = this.inner.resolve(parts, pos);
      return { index: r.index + this.outer.fields.length, rest: r.rest };
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return this.outer.resolve(parts, pos);
    }
  }
}

/** Renames a plan's output columns (CTE / alias column lists). */
function rename(plan: LogicalNode, names: string[]): LogicalNode {
  if (names.length !== plan.fields.length) throw new ValidationError(`Expected ${plan.fields.length} column names, got ${names.length}`);
  const exprs = plan.fields.map((f, i) => rexInput(i, f.type));
  return { kind: 'Project', input: plan, exprs, fields: plan.fields.map((f, i) => ({ ...f, name: names[i] })) };
}

export { Scope };

/** Flink's (Calcite's) error for an exact numeric literal beyond a 64-bit unscaled value. */
function literalOutOfRange(e: { text: string; pos: A.Pos }): ValidationError {
  return new ValidationError(`Numeric literal '${e.text}' out of range: an exact literal's digits must fit a BIGINT (write CAST('${e.text}' AS DECIMAL(p, s)) for a wider constant)`, e.pos);
}
