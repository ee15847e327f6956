// Compiles bound expressions (RexNode) into JS functions once per plan: the generated code
// reads positional rows, keeps SQL's three-valued NULL logic, and calls built-in functions
// through pre-resolved closures — no AST walk per row.
import type { LogicalType, Row } from '../common/types.js';
import { formatType, isNumeric, isIntegral } from '../common/types.js';
import { JobError } from '../common/errors.js';
import { isNanosType, microsToNanos, nanosToMicros, subMicros } from '../common/nanos.js';
import { addLong, canonical, decimalArith, divLong, doubleOf, modLong, mulLong, negLong, subLong, type Exact } from '../common/exact.js';
import type { RexNode } from '../planner/rex.js';
import { STRONG_OPS } from '../planner/simplify.js';
import { getScalarFunction } from '../functions/registry.js';
import { castFunction } from '../functions/cast.js';
import { likeToRegExp, similarToRegExp } from '../functions/like.js';
import { compareValues } from '../functions/aggregates.js';
import type { FunctionContext } from '../functions/api.js';

export interface CompileOptions {
  localTimeZone: string;
  now: () => number;
  /** The watermark of the operator evaluating the expression (micros; −∞ before the first), for CURRENT_WATERMARK. */
  currentWatermark?: () => number;
}

export const defaultCompileOptions: CompileOptions = { localTimeZone: 'UTC', now: () => Date.now() * 1000 };

type Fn = (...a: unknown[]) => unknown;

/** Generated-code builder: emits statements, hands out temporaries and constant slots. */
class CodeGen {
  private n = 0;
  readonly consts: unknown[] = [];
  lines: string[] = [];
  /** Inside a constant subexpression already (or evaluating one at compile time): no folding. */
  private inConstant = false;

  constructor(private readonly opts: CompileOptions, noFolding = false) {
    this.inConstant = noFolding;
  }

  /**
   * Flink's planner reduces a maximal constant subexpression to a literal; a FLOAT result then
   * passes through BigDecimal(value, DECIMAL32): 7 significant digits (HALF_EVEN). So
   * CAST(2147483647 AS FLOAT) * 1.5E0 is 3.22122496E9, not the float product 3.22122547E9. A cast
   * of a literal is not rounded so.
   */
  private foldFloatConstant(e: RexNode): string | undefined {
    if (e.type.kind !== 'FLOAT' || (e.kind === 'cast' && e.arg.kind === 'literal')) return undefined;
    let v: unknown;
    try {
      const g = new CodeGen(this.opts, true);
      const r = g.gen(e);
      v = build(g, `${g.lines.join('\n')}\nreturn ${r};`, 'r')([]);
    } catch {
      return undefined; // fails at run time, as in Flink
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v === 0) return this.wrap(v === null || v === undefined ? 'null' : String(v));
    // (toPrecision rounds an exact tie away from zero, DECIMAL32 to even: ties are rare here)
    return this.wrap(String(Math.fround(Number(v.toPrecision(7)))));
  }

  tmp(): string {
    return `t${this.n++}`;
  }

  konst(v: unknown): string {
    this.consts.push(v);
    return `K[${this.consts.length - 1}]`;
  }

  /** Emits code computing `e` into a fresh variable; returns its name. */
  gen(e: RexNode): string {
    if (!this.inConstant && (e.kind === 'call' || e.kind === 'cast') && isConstantRex(e)) {
      const folded = this.foldFloatConstant(e);
      if (folded !== undefined) return folded;
      this.inConstant = true;
      try {
        return this.gen(e);
      } finally {
        this.inConstant = false;
      }
    }
    switch (e.kind) {
      case 'input': {
        const t = this.tmp();
        this.lines.push(`let ${t} = r[${e.index}]; if (${t} === undefined) ${t} = null;`);
        return t;
      }
      case 'literal': {
        const t = this.tmp();
        const v = e.value;
        const lit = v === null || v === undefined ? 'null' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v === 'string' ? JSON.stringify(v) : this.konst(v);
        this.lines.push(`const ${t} = ${lit};`);
        return t;
      }
      case 'cast': {
        const a = this.gen(e.arg);
        const t = this.tmp();
        const f = this.konst(castFunction(e.arg.type, e.type, e.safe ? 'try_cast' : 'cast', this.opts.localTimeZone));
        this.lines.push(`const ${t} = ${a} === null ? null : ${f}(${a});`);
        return t;
      }
      case 'call':
        return this.genCall(e);
    }
  }

  private block(fn: () => string): { code: string; v: string } {
    const saved = this.lines;
    this.lines = [];
    const v = fn();
    const code = this.lines.join('\n');
    this.lines = saved;
    return { code, v };
  }

  private strict(args: RexNode[], body: (vs: string[]) => string): string {
    const vs = args.map((a) => this.gen(a));
    const t = this.tmp();
    const cond = vs.map((v) => `${v} === null`).join(' || ');
    this.lines.push(`const ${t} = ${cond ? `(${cond}) ? null : ` : ''}(${body(vs)});`);
    return t;
  }

  private genCall(e: Extract<RexNode, { kind: 'call' }>): string {
    const a = e.args;
    // As Flink's planner (Calcite's Strong): an operator that is NULL when an operand is NULL, with
    // an operand known to be NULL at planning, is NULL; its other operands are not evaluated.
    // NULLIF(NULL, x) (CASE WHEN NULL = x THEN NULL ELSE NULL END) is NULL too.
    if ((STRONG_OPS.has(e.op) && a.some((x) => this.isStaticNull(x))) || ((e.op === 'BETWEEN' || e.op === 'NOT BETWEEN' || e.op === 'NULLIF') && this.isStaticNull(a[0]))) {
      return this.wrap('null');
    }
    if (e.op === 'COALESCE') {
      // Calcite drops the operands after the first NOT NULL one: they are not evaluated (done here
      // when that is the first operand).
      const k = a.findIndex((x) => !x.type.nullable);
      if (k === 0) {
        const v = this.gen(a[0]);
        if (typesSame(a[0].type, e.type)) return v;
        const f = this.konst(castFunction(a[0].type, e.type, 'cast', this.opts.localTimeZone));
        return this.wrap(`${f}(${v})`);
      }
    }
    switch (e.op) {
      case 'IF':
        return this.genIf(e);
      case 'AND':
      case 'OR':
        return this.genLogical(e.op, a);
      case 'NOT':
        return this.strict(a, ([x]) => `!${x}`);
      case 'IS NULL':
        return this.wrap(`${this.gen(a[0])} === null`);
      case 'IS NOT NULL':
        return this.wrap(`${this.gen(a[0])} !== null`);
      case 'IS TRUE':
        return this.wrap(`${this.gen(a[0])} === true`);
      case 'IS NOT TRUE':
        return this.wrap(`${this.gen(a[0])} !== true`);
      case 'IS FALSE':
        return this.wrap(`${this.gen(a[0])} === false`);
      case 'IS NOT FALSE':
        return this.wrap(`${this.gen(a[0])} !== false`);
      case '=':
      case '<>':
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.strict(a, ([x, y]) => this.compare(e.op, x, y, a[0].type, a[1].type));
      case 'IS DISTINCT FROM':
      case 'IS NOT DISTINCT FROM': {
        const x = this.gen(a[0]);
        const y = this.gen(a[1]);
        const eq = this.compare('=', x, y, a[0].type, a[1].type);
        const same = `((${x} === null && ${y} === null) || (${x} !== null && ${y} !== null && ${eq}))`;
        return this.wrap(e.op === 'IS DISTINCT FROM' ? `!${same}` : same);
      }
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return this.strict(a, ([x, y]) => this.arith(e.op, x, y, a[0].type, a[1].type, e.type));
      case 'NEG':
        if (e.type.kind === 'BIGINT') return this.strict(a, ([x]) => `${this.konst(negLong)}(${x})`);
        if (e.type.kind === 'DECIMAL') return this.strict(a, ([x]) => `${this.konst(negExact)}(${x})`);
        if (e.type.kind === 'TINYINT') return this.strict(a, ([x]) => `((-(${x})) << 24 >> 24)`);
        if (e.type.kind === 'SMALLINT') return this.strict(a, ([x]) => `((-(${x})) << 16 >> 16)`);
        if (e.type.kind === 'INT') return this.strict(a, ([x]) => `((-(${x})) | 0)`);
        return this.strict(a, ([x]) => `-${x}`);
      case '||':
        return this.strict(a, ([x, y]) => `${x} + ${y}`);
      case 'LIKE':
      case 'NOT LIKE':
      case 'SIMILAR TO': {
        const pat = a[1];
        const esc = a[2];
        if (pat.kind === 'literal' && (!esc || esc.kind === 'literal')) {
          if (pat.value === null) return this.wrap('null');
          const escv = esc ? ((esc as { value: unknown }).value as string) : undefined;
          const re = this.konst(e.op === 'SIMILAR TO' ? similarToRegExp(String(pat.value), escv) : likeToRegExp(String(pat.value), escv));
          return this.strict([a[0]], ([x]) => `${e.op === 'NOT LIKE' ? '!' : ''}${re}.test(${x})`);
        }
        const mk = this.konst(e.op === 'SIMILAR TO' ? (p: string, x?: string) => similarToRegExp(p, x) : (p: string, x?: string) => likeToRegExp(p, x));
        return this.strict(a, ([x, p, q]) => `${e.op === 'NOT LIKE' ? '!' : ''}${mk}(${p}${q ? `, ${q}` : ''}).test(${x})`);
      }
      case 'IN':
      case 'NOT IN':
        return this.genIn(e.op === 'NOT IN', a);
      case 'BETWEEN':
      case 'NOT BETWEEN': {
        // As Flink (x >= lo AND x <= hi, AND evaluating left to right): hi is not evaluated
        // once x >= lo is false.
        const x = this.gen(a[0]);
        const lo = this.gen(a[1]);
        const hiB = this.block(() => this.gen(a[2]));
        const t = this.tmp();
        const ge = this.compare('>=', x, lo, a[0].type, a[1].type);
        const le = this.compare('<=', x, hiB.v, a[0].type, a[2].type);
        const neg = e.op === 'NOT BETWEEN';
        // Three-valued: NULL when undecidable.
        this.lines.push(
          `let ${t}; { const g = ${x} === null || ${lo} === null ? null : ${ge}; if (g === false) ${t} = false; else { ${hiB.code}\n const l = ${x} === null || ${hiB.v} === null ? null : ${le};` +
            ` ${t} = l === false ? false : (g === null || l === null) ? null : true; } }` +
            (neg ? ` if (${t} !== null) ${t} = !${t};` : ''),
        );
        return t;
      }
      case 'CASE':
        return this.genCase(a, e.type);
      case 'ITEM':
        return this.strict(a, ([x, k]) =>
          a[0].type.kind === 'MAP' ? `(${x}.has(${k}) ? ${x}.get(${k}) : null)` : `(${x}[${k} - 1] === undefined ? null : ${x}[${k} - 1])`,
        );
      case 'FIELD':
        return this.strict([a[0]], ([x]) => `(${x}[${Number((a[1] as { value: unknown }).value)}] ?? null)`);
      case 'ARRAY':
        return this.wrap(`[${a.map((n) => this.gen(n)).join(', ')}]`);
      case 'ROW':
        return this.wrap(`[${a.map((n) => this.gen(n)).join(', ')}]`);
      case 'MAP': {
        const vs = a.map((n) => this.gen(n));
        const pairs: string[] = [];
        for (let i = 0; i + 1 < vs.length; i += 2) pairs.push(`[${vs[i]}, ${vs[i + 1]}]`);
        return this.wrap(`new Map([${pairs.join(', ')}])`);
      }
      default:
        return this.genFunction(e);
    }
  }

  private wrap(expr: string): string {
    const t = this.tmp();
    this.lines.push(`const ${t} = ${expr};`);
    return t;
  }

  private genLogical(op: 'AND' | 'OR', args: RexNode[]): string {
    // SQL: AND is false if any is false, else null if any null, else true (OR mirrors it).
    const dominant = op === 'AND' ? 'false' : 'true';
    const t = this.tmp();
    const sawNull = this.tmp();
    this.lines.push(`let ${t} = ${op === 'AND' ? 'true' : 'false'}; let ${sawNull} = false;`);
    let close = '';
    for (const arg of args) {
      const b = this.block(() => this.gen(arg));
      this.lines.push(`${b.code}\nif (${b.v} === ${dominant}) { ${t} = ${dominant}; } else { if (${b.v} === null) ${sawNull} = true;`);
      close += ' }';
    }
    this.lines.push(close);
    this.lines.push(`if (${t} !== ${dominant} && ${sawNull}) ${t} = null;`);
    return t;
  }

  private genIn(negate: boolean, args: RexNode[]): string {
    const [x, ...list] = args;
    const xv = this.gen(x);
    const t = this.tmp();
    if (list.every((l) => l.kind === 'literal')) {
      const values = list.map((l) => (l as { value: unknown }).value);
      const hasNull = values.some((v) => v === null);
      const set = this.konst(new Set(values.filter((v) => v !== null)));
      this.lines.push(
        `let ${t}; if (${xv} === null) ${t} = null; else if (${set}.has(${xv})) ${t} = ${!negate}; else ${t} = ${hasNull ? 'null' : String(negate)};`,
      );
      return t;
    }
    // As Flink's x = v1 OR x = v2 … (x <> v1 AND … for NOT IN), evaluated left to right: the values
    // after the first match are not evaluated (x IN (1, 2, j / i) does not divide when x is 2).
    const n = this.tmp();
    this.lines.push(`let ${t} = ${negate}; let ${n} = ${xv} === null;`);
    for (const l of list) {
      const b = this.block(() => this.gen(l));
      this.lines.push(`if (${t} === ${negate}) { ${b.code}\n if (${b.v} === null) ${n} = true; else if (${xv} !== null && ${b.v} === ${xv}) ${t} = ${!negate}; }`);
    }
    this.lines.push(`if (${t} === ${negate} && ${n}) ${t} = null;`);
    return t;
  }

  private genCase(args: RexNode[], _type: LogicalType): string {
    const t = this.tmp();
    this.lines.push(`let ${t} = null;`);
    const pairs = Math.floor(args.length / 2);
    let close = '';
    for (let i = 0; i < pairs; i++) {
      const cond = this.block(() => this.gen(args[2 * i]));
      const val = this.block(() => this.gen(args[2 * i + 1]));
      this.lines.push(`${cond.code}\nif (${cond.v} === true) { ${val.code}\n${t} = ${val.v}; } else {`);
      close += ' }';
    }
    if (args.length % 2 === 1) {
      const el = this.block(() => this.gen(args[args.length - 1]));
      this.lines.push(`${el.code}\n${t} = ${el.v};`);
    }
    this.lines.push(close);
    return t;
  }

  private compare(op: string, x: string, y: string, tx: LogicalType, ty: LogicalType): string {
    const jsOp = op === '=' ? '===' : op === '<>' ? '!==' : op;
    if (tx.kind === 'BINARY' || tx.kind === 'VARBINARY' || tx.kind === 'ARRAY' || tx.kind === 'ROW' || tx.kind === 'MAP' || ty.kind === 'MAP') {
      const cmp = this.konst(compareStructured);
      return `${cmp}(${x}, ${y}) ${jsOp === '===' ? '===' : jsOp === '!==' ? '!==' : jsOp} 0`;
    }
    return `${x} ${jsOp} ${y}`;
  }

  private arith(op: string, x: string, y: string, tx: LogicalType, ty: LogicalType, out: LogicalType): string {
    // TINYINT and SMALLINT arithmetic stays in its type and wraps as Java's (byte)/(short) cast does.
    if (out.kind === 'TINYINT') return `((${this.arith(op, x, y, tx, ty, { kind: 'INT', nullable: out.nullable })}) << 24 >> 24)`;
    if (out.kind === 'SMALLINT') return `((${this.arith(op, x, y, tx, ty, { kind: 'INT', nullable: out.nullable })}) << 16 >> 16)`;
    // TIMESTAMP(7..9) ± interval: the timestamp is nanos (a bigint), the interval micros or months.
    if (isNanosType(out)) {
      const [ts, iv, tsFirst] = isNanosType(tx) ? [x, y, true] : [y, x, false];
      const it = tsFirst ? ty : tx;
      if (it.kind === 'INTERVAL_YEAR_MONTH') return `${this.konst(addMonthsNanos)}(${ts}, ${op === '-' && tsFirst ? '-' : ''}${iv})`;
      return tsFirst ? `${ts} ${op} BigInt(${iv}) * 1000n` : `BigInt(${iv}) * 1000n + ${ts}`;
    }
    // Date ± interval: DATE is days, day-time intervals are micros, year-month intervals months.
    if (tx.kind === 'DATE' && ty.kind === 'INTERVAL_DAY_TIME') return `${x} ${op} Math.trunc(${y} / 86400000000)`;
    if (ty.kind === 'INTERVAL_YEAR_MONTH' || tx.kind === 'INTERVAL_YEAR_MONTH') {
      const f = this.konst(addMonths);
      const [ts, months, sign] = tx.kind === 'INTERVAL_YEAR_MONTH' ? [y, x, '1'] : [x, y, op === '-' ? '-1' : '1'];
      return `${f}(${ts}, ${sign} * ${months}, ${(tx.kind === 'DATE' || ty.kind === 'DATE') ? 'true' : 'false'})`;
    }
    if (op === '%' && isIntegral(out) && (tx.kind === 'BIGINT' || ty.kind === 'BIGINT' || tx.kind === 'DECIMAL')) {
      // MOD takes the divisor's type; the remainder of a BIGINT (or a DECIMAL(p, 0)) fits it.
      return `${this.konst(longMod)}(${x}, ${y})`;
    }
    if (out.kind === 'BIGINT') {
      // Java long arithmetic: exact, wrapping around at 64 bits.
      const f = this.konst(op === '+' ? addLong : op === '-' ? subLong : op === '*' ? mulLong : op === '/' ? longDivide : longMod);
      return `${f}(${x}, ${y})`;
    }
    if (out.kind === 'DECIMAL') {
      // Both operands are exact (integers, or DECIMAL unscaled values): Flink's result type, HALF_UP, NULL on overflow.
      const f = this.konst(decimalArith(op, scaleOf(tx), scaleOf(ty), out.precision, out.scale));
      if (op === '/' && tx.kind === 'DECIMAL' && (ty.kind === 'INT' || ty.kind === 'SMALLINT' || ty.kind === 'TINYINT')) {
        // Flink casts the INT divisor to the dividend's DECIMAL(p, s) first; one that does not fit
        // (2147483647 into DECIMAL(10, 2)) fails the job.
        const limit = 10 ** (tx.precision - tx.scale);
        const chk = this.konst((v: number) => {
          if (Math.abs(v) >= limit) throw new JobError(`DECIMAL division: the divisor ${v} does not fit the dividend's type ${formatType(tx)}, to which Flink casts it (Flink fails the job)`);
          return v;
        });
        return `${f}(${x}, ${chk}(${y}))`;
      }
      return `${f}(${x}, ${y})`;
    }
    if (out.kind === 'DOUBLE' || out.kind === 'FLOAT') {
      // An exact operand (BIGINT beyond 2^53, DECIMAL) enters double arithmetic as the nearest double.
      const cx = doubleOf(tx);
      const cy = doubleOf(ty);
      if (cx) x = `${this.konst(cx)}(${x})`;
      if (cy) y = `${this.konst(cy)}(${y})`;
      // Flink computes a FLOAT result in float: each operand becomes a float first (FLOAT * DOUBLE
      // rounds the DOUBLE to float, then multiplies), and so does the result.
      if (out.kind === 'FLOAT') return op === '%' ? `Math.fround(Math.fround(${x}) % Math.fround(${y}))` : `Math.fround(Math.fround(${x}) ${op} Math.fround(${y}))`;
    }
    if (op === '/') {
      if (isIntegral(out)) {
        const f = this.konst(intDivide);
        return `${f}(${x}, ${y})`;
      }
      return `${x} / ${y}`;
    }
    if (op === '%') {
      const f = this.konst(intMod);
      return isIntegral(out) ? `${f}(${x}, ${y})` : `${x} % ${y}`;
    }
    if (isIntegral(out) && op === '*') {
      return `Math.imul(${x}, ${y})`;
    }
    if (out.kind === 'INT') return `((${x} ${op} ${y}) | 0)`;
    return `${x} ${op} ${y}`;
  }

  private readonly staticNull = new Map<RexNode, boolean>();

  /**
   * Known to be NULL at planning: a constant expression (no column, deterministic) that evaluates to
   * NULL (Flink reduces constants first), or a strong operator over such an operand.
   */
  isStaticNull(e: RexNode): boolean {
    let r = this.staticNull.get(e);
    if (r !== undefined) return r;
    if (e.kind === 'literal') r = e.value === null || e.value === undefined;
    else if (e.kind === 'input') r = false;
    else if (e.kind === 'cast' && this.isStaticNull(e.arg)) r = true;
    else if (e.kind === 'call' && STRONG_OPS.has(e.op) && e.args.some((x) => this.isStaticNull(x))) r = true;
    else if (isConstantRex(e)) {
      try {
        r = compileExpression(e, this.opts)([]) === null;
      } catch {
        r = false; // fails at run time, as in Flink
      }
    } else r = false;
    this.staticNull.set(e, r);
    return r;
  }

  /** IF(c, a, b) evaluates only the branch it takes (Flink's generated code does so too). */
  private genIf(e: Extract<RexNode, { kind: 'call' }>): string {
    const def = getScalarFunction(e.op);
    if (!def) throw new JobError(`No implementation for function ${e.op}`);
    const ctx: FunctionContext = {
      localTimeZone: this.opts.localTimeZone,
      now: this.opts.now,
      constantArgs: e.args.map((x) => (x.kind === 'literal' ? x.value : undefined)),
      argCalls: e.args.map((x) => (x.kind === 'call' ? x.op : undefined)),
    };
    const f = this.konst(def.create(e.args.map((x) => x.type), ctx));
    const c = this.gen(e.args[0]);
    const x = this.block(() => this.gen(e.args[1]));
    const y = this.block(() => this.gen(e.args[2]));
    const t = this.tmp();
    this.lines.push(`let ${t}; if (${c} === true) { ${x.code}\n${t} = ${f}(${c}, ${x.v}, null); } else { ${y.code}\n${t} = ${f}(${c}, null, ${y.v}); }`);
    return t;
  }

  private genFunction(e: Extract<RexNode, { kind: 'call' }>): string {
    const def = getScalarFunction(e.op);
    if (!def) throw new JobError(`No implementation for function ${e.op}`);
    const argTypes = e.args.map((x) => x.type);
    const ctx: FunctionContext = {
      localTimeZone: this.opts.localTimeZone,
      now: this.opts.now,
      currentWatermark: this.opts.currentWatermark,
      constantArgs: e.args.map((x) => (x.kind === 'literal' ? x.value : undefined)),
      argCalls: e.args.map((x) => (x.kind === 'call' ? x.op : undefined)),
    };
    const impl = def.create(argTypes, ctx) as Fn;
    const f = this.konst(impl);
    if (def.strict === false) {
      const vs = e.args.map((x) => this.gen(x));
      return this.wrap(`${f}(${vs.join(', ')})`);
    }
    return this.strict(e.args, (vs) => `${f}(${vs.join(', ')})`);
  }
}

const typesSame = (x: LogicalType, y: LogicalType) => formatType({ ...x, nullable: true }) === formatType({ ...y, nullable: true });

/** Calcite's Strong.Policy.ANY operators (NULL when any operand is NULL), by tsstream's names. */

/** No column and only deterministic functions: Flink's planner reduces it to a literal. */
function isConstantRex(e: RexNode): boolean {
  if (e.kind === 'literal') return true;
  if (e.kind === 'input') return false;
  if (e.kind === 'cast') return isConstantRex(e.arg);
  if (e.op === 'AND' || e.op === 'OR' || e.op === 'CASE' || e.op === 'NOT' || e.op === 'IS NULL' || e.op === 'IS NOT NULL' || STRONG_OPS.has(e.op)) return e.args.every(isConstantRex);
  const def = getScalarFunction(e.op);
  return !!def && def.deterministic === true && e.args.every(isConstantRex);
}

function scaleOf(t: LogicalType): number {
  return t.kind === 'DECIMAL' ? t.scale : 0;
}

function negExact(x: Exact): Exact {
  return typeof x === 'number' ? (x === 0 ? 0 : -x) : canonical(-x);
}

function longDivide(x: Exact, y: Exact): Exact {
  if (y === 0) throw new JobError('Division by zero (integer division)');
  return divLong(x, y);
}

function longMod(x: Exact, y: Exact): Exact {
  if (y === 0) throw new JobError('Division by zero (integer modulo)');
  return modLong(x, y);
}

function intDivide(x: number, y: number): number {
  if (y === 0) throw new JobError('Division by zero (integer division)');
  // + 0: an integer has no -0 (Math.trunc(-1 / 5) is -0, which a CAST to DOUBLE would show as -0.0).
  return Math.trunc(x / y) + 0;
}

function intMod(x: number, y: number): number {
  if (y === 0) throw new JobError('Division by zero (integer modulo)');
  return (x % y) + 0; // -5 % 5 is -0 in JavaScript, 0 in Java
}

function addMonthsNanos(v: bigint, months: number): bigint {
  return microsToNanos(addMonths(nanosToMicros(v), months, false)) + BigInt(subMicros(v));
}

function addMonths(v: number, months: number, isDate: boolean): number {
  const ms = isDate ? v * 86_400_000 : Math.floor(v / 1000);
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return isDate ? Math.round(d.getTime() / 86_400_000) : d.getTime() * 1000 + (v % 1000);
}

/** Orders bytes, arrays, rows and maps element by element (for =, <, ORDER BY on such values); NULL first. */
export function compareStructured(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (a instanceof Map && b instanceof Map) return compareValues([...a.entries()], [...b.entries()]);
  return compareValues(a, b);
}

function build(g: CodeGen, body: string, params: string): Fn {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('K', `"use strict"; return function compiled(${params}) {\n${body}\n};`);
  return factory(g.consts) as Fn;
}

/** One expression → `(row) => value`. */
export function compileExpression(e: RexNode, opts: CompileOptions = defaultCompileOptions): (row: Row) => unknown {
  const g = new CodeGen(opts);
  const v = g.gen(e);
  return build(g, `${g.lines.join('\n')}\nreturn ${v};`, 'r') as (row: Row) => unknown;
}

/** A predicate: true only when the condition is TRUE (NULL and FALSE drop the row). */
export function compilePredicate(e: RexNode, opts: CompileOptions = defaultCompileOptions): (row: Row) => boolean {
  const g = new CodeGen(opts);
  const v = g.gen(e);
  return build(g, `${g.lines.join('\n')}\nreturn ${v} === true;`, 'r') as (row: Row) => boolean;
}

/** Several expressions → `(row) => newRow`. */
export function compileProjection(exprs: RexNode[], opts: CompileOptions = defaultCompileOptions): (row: Row) => Row {
  const g = new CodeGen(opts);
  const vs = exprs.map((e) => g.gen(e));
  return build(g, `${g.lines.join('\n')}\nreturn [${vs.join(', ')}];`, 'r') as (row: Row) => Row;
}

/**
 * A whole batch step: optional filter, then projection (or the row itself), in one generated
 * loop so that the per-row work is straight-line code.
 */
export function compileCalc(
  filter: RexNode | undefined,
  projection: RexNode[] | undefined,
  opts: CompileOptions = defaultCompileOptions,
  /** The input is a changelog: projected rows keep their row kind. */
  changelog = false,
): (rows: Row[]) => Row[] {
  const g = new CodeGen(opts);
  const body: string[] = [];
  if (filter) {
    const saved = g.lines;
    g.lines = [];
    const v = g.gen(filter);
    body.push(...g.lines, `if (${v} !== true) continue;`);
    g.lines = saved;
  }
  if (projection) {
    const saved = g.lines;
    g.lines = [];
    const vs = projection.map((e) => g.gen(e));
    body.push(...g.lines, changelog ? `const o = [${vs.join(', ')}]; if (r.rowKind !== undefined) o.rowKind = r.rowKind; out.push(o);` : `out.push([${vs.join(', ')}]);`);
    g.lines = saved;
  } else {
    body.push('out.push(r);');
  }
  const code = `const out = []; for (let i = 0, n = rows.length; i < n; i++) { const r = rows[i];\n${body.join('\n')}\n} return out;`;
  return build(g, code, 'rows') as (rows: Row[]) => Row[];
}
