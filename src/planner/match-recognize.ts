// Binding of MATCH_RECOGNIZE: the pattern as a list of quantified variables, and the DEFINE and
// MEASURES expressions over "slots" (values read from the partial or complete match, such as
// LAST(A.price, 1) or SUM(A.price)) that the runtime computes before evaluating them.
import type * as A from '../parser/ast.js';
import { printExpression, printPattern } from '../parser/printer.js';
import { UnsupportedError, ValidationError } from '../common/errors.js';
import { formatType, withNullable, type LogicalType } from '../common/types.js';
import { getAggregateFunction, type UserFunctions } from '../functions/registry.js';
import type { PlanField } from './logical.js';
import type { MatchExprs, MatchSlot, MatchSpec, PatternElement, SortKey } from './physical.js';
import { rexInput, type RexNode } from './rex.js';

type Hook = (e: A.Expr) => RexNode | undefined;

export interface MatchBindContext {
  /** The session's user-defined functions. */
  functions?: UserFunctions;
  inputFields: PlanField[];
  /** Binds an expression over the input row (the binder's scope of the MATCH_RECOGNIZE input). */
  bindInput(e: A.Expr, hook?: Hook): RexNode;
  /** Binds an expression whose column references the hook resolves (an empty scope). */
  bindHooked(e: A.Expr, hook: Hook): RexNode;
  /** The microseconds of a constant day-time interval. */
  intervalMicros(e: A.Expr): number;
  /** Batch mode: the rowtime is a plain TIMESTAMP there (Flink). */
  batch?: boolean;
}

const NAVIGATION = new Set(['PREV', 'LAST', 'FIRST']);

export function bindMatchRecognize(t: A.MatchRecognizeRef, ctx: MatchBindContext): { spec: MatchSpec; fields: PlanField[] } {
  if (t.rowsPerMatch === 'ALL') throw new UnsupportedError('All rows per match mode is not supported yet.', t.pos);
  const input = ctx.inputFields;

  const partitionKeys = t.partitionBy.map((e) => {
    const r = ctx.bindInput(e);
    if (r.kind !== 'input') throw new ValidationError(`PARTITION BY in MATCH_RECOGNIZE takes columns, not ${printExpression(e)}`, e.pos);
    return r.index;
  });
  const orderKeys: SortKey[] = t.orderBy.map((o) => {
    const r = ctx.bindInput(o.expr);
    if (r.kind !== 'input') throw new ValidationError(`ORDER BY in MATCH_RECOGNIZE takes columns, not ${printExpression(o.expr)}`, o.pos);
    return { index: r.index, descending: o.desc, nullsFirst: o.nulls ? o.nulls === 'FIRST' : !o.desc };
  });
  const time = orderKeys[0] ? input[orderKeys[0].index] : undefined;
  if (!time?.timeAttr) throw new ValidationError('You must specify either rowtime or proctime for order by as the first one.', t.orderBy[0]?.pos ?? t.pos);
  if (orderKeys[0].descending) throw new ValidationError('Primary sort order of a streaming table must be ascending on time.', t.orderBy[0].pos);
  const eventTime = time.timeAttr === 'rowtime';

  const pattern = flattenPattern(t.pattern);
  const variables = new Map<string, string>(); // upper → as written
  for (const p of pattern) {
    if (variables.has(p.variable.toUpperCase())) throw new UnsupportedError(`The pattern variable ${p.variable} appears twice in PATTERN (${printPattern(t.pattern)}); each variable may appear once`, t.pos);
    variables.set(p.variable.toUpperCase(), p.variable);
  }
  const last = pattern[pattern.length - 1];
  if (last.greedy && last.max !== last.min) {
    throw new UnsupportedError('Greedy quantifiers are not allowed as the last element of a Pattern yet. Finish your pattern with either a simple variable or reluctant quantifier.', t.pos);
  }
  if (pattern.every((p) => p.min === 0)) throw new UnsupportedError(`PATTERN (${printPattern(t.pattern)}) can match no rows at all; at least one variable must be required`, t.pos);
  const varOf = (name: string, pos: A.Pos): string => {
    const v = variables.get(name.toUpperCase());
    if (!v) throw new ValidationError(`Unknown pattern variable '${name}': PATTERN has ${[...variables.values()].join(', ')}`, pos);
    return v;
  };

  // Without AFTER MATCH, Calcite (and so Flink) skips to the next row.
  let skip: MatchSpec['skip'] = { kind: 'TO NEXT ROW' };
  if (t.afterMatch) {
    if (t.afterMatch.kind === 'TO FIRST' || t.afterMatch.kind === 'TO LAST') skip = { kind: t.afterMatch.kind, variable: varOf(t.afterMatch.variable.value, t.afterMatch.variable.pos) };
    else skip = { kind: t.afterMatch.kind };
  }

  let withinMicros: number | undefined;
  if (t.within) {
    withinMicros = ctx.intervalMicros(t.within);
    if (!(withinMicros > 0)) throw new ValidationError('WITHIN needs a positive interval', t.within.pos);
  }

  const define: MatchSpec['define'] = {};
  for (const d of t.define) {
    const v = varOf(d.name.value, d.name.pos);
    if (define[v]) throw new ValidationError(`Pattern variable ${v} is defined twice in DEFINE`, d.name.pos);
    const m = bindMatchExprs([d.expr], ctx, variables, v, time);
    if (m.exprs[0].type.kind !== 'BOOLEAN') throw new ValidationError(`DEFINE ${v} needs a BOOLEAN condition, found ${formatType(m.exprs[0].type)}`, d.expr.pos);
    define[v] = { ...m, text: printExpression(d.expr) };
  }

  const measures = bindMatchExprs(
    t.measures.map((m) => m.expr),
    ctx,
    variables,
    undefined,
    time,
  );
  const fields: PlanField[] = partitionKeys.map((k) => ({ name: input[k].name, type: input[k].type }));
  t.measures.forEach((m, i) => {
    const e = measures.exprs[i];
    const slot = e.kind === 'input' ? measures.slots[e.index] : undefined;
    const timeAttr = slot?.nav === 'MATCH_ROWTIME' ? 'rowtime' : slot?.nav === 'MATCH_PROCTIME' ? 'proctime' : undefined;
    fields.push({ name: m.alias.value, type: e.type, ...(timeAttr ? { timeAttr } : {}) });
  });
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.name.toUpperCase())) throw new ValidationError(`MATCH_RECOGNIZE output has the column '${f.name}' twice (a partition key and a measure, or two measures)`, t.pos);
    seen.add(f.name.toUpperCase());
  }
  return {
    spec: {
      partitionKeys,
      orderKeys,
      eventTime,
      pattern,
      patternText: printPattern(t.pattern),
      skip,
      ...(withinMicros !== undefined ? { withinMicros } : {}),
      define,
      measures: { ...measures, names: t.measures.map((m) => m.alias.value) },
    },
    fields,
  };
}

/** `A B+ C*?` as quantified variables; groups and alternation are refused as in Flink. */
function flattenPattern(p: A.PatternTerm): PatternElement[] {
  const items = p.kind === 'seq' ? p.items : [p];
  return items.map((item) => {
    let term = item;
    let min = 1;
    let max: number | undefined = 1;
    let greedy = true;
    if (term.kind === 'quant') {
      ({ min, max } = term);
      if (min === 0 && max === 1 && term.reluctant) throw new UnsupportedError('Reluctant optional variables are not supported yet.');
      // `?` is never greedy in Flink's translation (optional() without greedy()): both branches run.
      greedy = !term.reluctant && !(min === 0 && max === 1);
      term = term.term;
    }
    while (term.kind === 'group') term = term.term;
    if (term.kind === 'alt') throw new UnsupportedError(`Alternation ${printPattern(item)} in PATTERN is not supported: CEP doesn't support branching patterns (as in Flink 1.20)`);
    if (term.kind !== 'var') throw new UnsupportedError(`Group patterns such as ${printPattern(item)} are not supported (as in Flink 1.20): PATTERN is a sequence of variables with quantifiers`);
    return { variable: term.name.value, min, ...(max !== undefined ? { max } : {}), greedy };
  });
}

/**
 * Binds DEFINE (`self` = the variable being defined, whose candidate row is the current row) or
 * MEASURES (`self` undefined) expressions; every column reference becomes a slot.
 */
function bindMatchExprs(exprs: A.Expr[], ctx: MatchBindContext, variables: Map<string, string>, self: string | undefined, time: PlanField): MatchExprs {
  const slots: MatchSlot[] = [];
  const keys = new Map<string, number>();
  const slot = (s: MatchSlot, key: string): RexNode => {
    let i = keys.get(key);
    if (i === undefined) {
      i = slots.length;
      slots.push(s);
      keys.set(key, i);
    }
    return rexInput(i, s.type, s.text);
  };
  const qualifier = (e: A.Expr): string | undefined => (e.kind === 'ident' && e.parts.length >= 2 ? variables.get(e.parts[0].toUpperCase()) : undefined);
  /** The one variable an argument reads (undefined: none, i.e. every row), and the argument over the input row. */
  const argument = (arg: A.Expr, what: string): { variable?: string; expr: RexNode } => {
    const vars = new Set<string>();
    walk(arg, (x) => {
      const q = qualifier(x);
      if (q) vars.add(q);
    });
    if (vars.size > 1) throw new ValidationError(`${what} must reference a single pattern variable, found ${[...vars].join(', ')}`, arg.pos);
    const expr = ctx.bindInput(arg, (x) => {
      if (x.kind === 'ident' && qualifier(x)) return ctx.bindInput({ ...x, parts: x.parts.slice(1), quoted: x.quoted.slice(1) });
      if (x.kind === 'call' && x.name.parts.length === 1 && (NAVIGATION.has(x.name.parts[0].toUpperCase()) || getAggregateFunction(x.name.parts[0].toUpperCase(), ctx.functions))) {
        throw new UnsupportedError(`${x.name.parts[0].toUpperCase()} inside ${what} is not supported`, x.pos);
      }
      return undefined;
    });
    return { variable: [...vars][0], expr };
  };
  const hook: Hook = (e) => {
    if (e.kind === 'ident') {
      const q = qualifier(e);
      const { variable, expr } = argument(e, 'A column reference');
      const v = q ?? variable ?? self;
      return slot({ nav: 'LAST', variable: v, offset: 0, expr, type: withNullable(expr.type, true), text: printExpression(e) }, `LAST|${v}|0|${printExpression(q ? { ...e, parts: e.parts.slice(1) } : e)}`);
    }
    if (e.kind !== 'call' || e.over || e.name.parts.length !== 1) return undefined;
    const fn = e.name.parts[0].toUpperCase();
    const text = printExpression(e);
    if (fn === 'MATCH_ROWTIME' || fn === 'MATCH_PROCTIME') {
      if (self !== undefined) throw new ValidationError(`${fn}() is allowed only in MEASURES`, e.pos);
      if (fn === 'MATCH_ROWTIME' && time.timeAttr !== 'rowtime') throw new ValidationError('MATCH_ROWTIME() needs the MATCH_RECOGNIZE to be ordered by a rowtime attribute', e.pos);
      if (e.args.length > 1 || (e.args.length === 1 && (fn !== 'MATCH_ROWTIME' || e.args[0].kind !== 'ident'))) {
        throw new ValidationError(fn === 'MATCH_ROWTIME' ? 'MATCH_ROWTIME takes no argument or a rowtime column: MATCH_ROWTIME() or MATCH_ROWTIME(rowtime)' : 'MATCH_PROCTIME() takes no argument', e.pos);
      }
      if (e.args.length === 1) {
        const id = e.args[0] as A.IdentExpr;
        const name = id.parts[id.parts.length - 1];
        if (name.toLowerCase() !== time.name.toLowerCase()) throw new ValidationError(`MATCH_ROWTIME(${name}): the argument must be the rowtime attribute the MATCH_RECOGNIZE is ordered by (${time.name})`, e.pos);
        // Flink's words: in batch mode the column is no time attribute.
        if (ctx.batch) throw new ValidationError(`The function MATCH_ROWTIME requires argument to be a row time attribute type, but is '${formatType(time.type)}'.`, e.pos);
      }
      // MATCH_ROWTIME(col), as Flink 1.20 types it: the column's type, nullable.
      const type: LogicalType = fn === 'MATCH_ROWTIME' ? withNullable(time.type, e.args.length === 1) : { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: false };
      return slot({ nav: fn, offset: 0, type, text }, fn);
    }
    if (fn === 'CLASSIFIER' || fn === 'MATCH_NUMBER' || fn === 'NEXT' || fn === 'RUNNING' || fn === 'FINAL') {
      throw new UnsupportedError(`${fn} in MATCH_RECOGNIZE is not supported (as in Flink 1.20)`, e.pos);
    }
    if (NAVIGATION.has(fn)) {
      if (e.args.length < 1 || e.args.length > 2) throw new ValidationError(`${fn} takes an expression and an optional offset`, e.pos);
      let offset = fn === 'PREV' ? 1 : 0;
      if (e.args.length === 2) {
        const o = e.args[1];
        if (o.kind !== 'literal' || o.type !== 'number' || !Number.isInteger(o.value) || o.value < 0) throw new ValidationError(`The offset of ${fn} must be a non-negative integer literal`, o.pos);
        offset = o.value;
      }
      if (fn === 'PREV' && self === undefined) throw new ValidationError(`Cannot use PREV/NEXT in MEASURE '${text}'`, e.pos);
      const { variable, expr } = argument(e.args[0], `The argument of ${fn}`);
      // Flink refuses PREV(V.x) inside V's own DEFINE (PREV(x) is allowed).
      if (fn === 'PREV' && variable === self) throw new UnsupportedError('Flink does not support physical offsets within partition.', e.pos);
      const v = variable;
      return slot({ nav: fn as 'PREV' | 'LAST' | 'FIRST', variable: v, offset, expr, type: withNullable(expr.type, true), text }, `${fn}|${v}|${offset}|${printExpression(e.args[0])}`);
    }
    const def = getAggregateFunction(fn, ctx.functions);
    if (def) {
      if (e.distinct) throw new UnsupportedError('Distinct aggregations are not supported in MATCH_RECOGNIZE (as in Flink 1.20)', e.pos);
      if (e.filter) throw new UnsupportedError('FILTER (WHERE …) in MATCH_RECOGNIZE aggregates is not supported', e.pos);
      const bound = e.args.map((a) => argument(a, `The aggregate ${fn}`));
      const vars = new Set(bound.map((b) => b.variable).filter((v) => v !== undefined));
      if (vars.size > 1) throw new ValidationError(`The aggregate ${fn} must reference a single pattern variable, found ${[...vars].join(', ')}`, e.pos);
      const variable = [...vars][0];
      const argTypes = bound.map((b) => b.expr.type);
      let type: LogicalType;
      try {
        type = def.returnType(argTypes, false);
      } catch (err) {
        if (err instanceof ValidationError) throw new ValidationError(err.message, e.pos);
        throw err;
      }
      const expr: RexNode | undefined = bound[0]?.expr;
      // Further arguments (LISTAGG's separator, …): evaluated over each row of the variable too.
      const more = bound.slice(1).map((b) => b.expr);
      // Flink's words: LISTAGG's separator is a constant (a column there fails its validation).
      if (def.name === 'LISTAGG' && more.some((m) => m.kind !== 'literal')) {
        throw new ValidationError(`Cannot apply 'LISTAGG' to arguments of type 'LISTAGG(${argTypes.map((t) => `<${formatType(t).replace(/^STRING/, 'VARCHAR(2147483647)')}>`).join(', ')})'. Supported form(s): 'LISTAGG(<CHARACTER>)'`, e.pos);
      }
      return slot({ nav: 'AGG', variable, offset: 0, ...(expr ? { expr } : {}), ...(more.length ? { moreArgs: more } : {}), agg: { fn: def.name, argTypes, star: e.star }, type, text }, `AGG|${fn}|${variable}|${e.args.map((a) => printExpression(a)).join(',')}|${e.star}`);
    }
    return undefined;
  };
  return { slots, exprs: exprs.map((e) => ctx.bindHooked(e, hook)) };
}

function walk(e: A.Expr, f: (e: A.Expr) => void): void {
  f(e);
  for (const v of Object.values(e)) {
    if (Array.isArray(v)) for (const x of v) if (x && typeof x === 'object' && 'kind' in x && 'pos' in x) walk(x as A.Expr, f);
    if (v && typeof v === 'object' && !Array.isArray(v) && 'kind' in v && 'pos' in v) walk(v as A.Expr, f);
  }
}
