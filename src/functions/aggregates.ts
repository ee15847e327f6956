// Built-in aggregate functions. Accumulators are small classes (monomorphic per function); `add`
// receives an argument array the caller reuses, so accumulators never keep it. save()/load() use
// JSON-safe values (bytes and maps are tagged, see toJsonValue).
import type { LogicalType } from '../common/types.js';
import { formatType, isIntegral, isNumeric, MAX_LENGTH, withNullable } from '../common/types.js';
import { JobError, ValidationError } from '../common/errors.js';
import type { Accumulator, AggregateFunctionDef } from './api.js';
import { STR, aggregateAlias } from './helpers.js';
import { addExact, addLong, decDivide, decFits, decFromDouble, divLong, doubleOf, subExact, subLong, type Exact } from '../common/exact.js';

function aggFail(name: string, sig: string, args: LogicalType[]): never {
  throw new ValidationError(`Invalid arguments for aggregate function ${name}(${args.map(formatType).join(', ')}); expected ${sig}`);
}

// ----- JSON-safe values for checkpoints --------------------------------------------------------

/** A runtime value as JSON-safe data (Uint8Array → {$b: base64}, Map → {$m: entries}, NaN/±Infinity tagged). */
export function toJsonValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $n: String(v) };
  if (typeof v === 'bigint') return { $l: String(v) };
  if (typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return { $b: Buffer.from(v).toString('base64') };
  if (v instanceof Map) return { $m: [...v.entries()].map(([k, x]) => [toJsonValue(k), toJsonValue(x)]) };
  if (Array.isArray(v)) return v.map(toJsonValue);
  return v;
}

export function fromJsonValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(fromJsonValue);
  const o = v as Record<string, unknown>;
  if (typeof o.$b === 'string') return new Uint8Array(Buffer.from(o.$b, 'base64'));
  if (Array.isArray(o.$m)) return new Map((o.$m as unknown[][]).map(([k, x]) => [fromJsonValue(k), fromJsonValue(x)]));
  if (typeof o.$n === 'string') return Number(o.$n);
  if (typeof o.$l === 'string') return BigInt(o.$l);
  return v;
}

/** A Map key for a (possibly structured) value: primitives as themselves. */
function keyOf(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  return '\u0001' + JSON.stringify(toJsonValue(v));
}

/** Orders two non-null values of the same type (numbers, strings, booleans, bytes, arrays). */
export function compareValues(a: unknown, b: unknown): number {
  // number and bigint compare exactly with each other (a BIGINT or DECIMAL is either).
  if (typeof a === 'number' || typeof a === 'string' || typeof a === 'bigint') return a < (b as typeof a) ? -1 : a > (b as typeof a) ? 1 : 0;
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a[i];
      const y = b[i];
      if (x === y) continue;
      if (x === null || x === undefined) return -1;
      if (y === null || y === undefined) return 1;
      const c = compareValues(x, y);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return 0;
}

// ----- COUNT -----------------------------------------------------------------------------------

class CountStar implements Accumulator {
  n = 0;
  add(_v?: unknown[]): void {
    this.n++;
  }
  retract(_v?: unknown[]): void {
    this.n--;
  }
  merge(o: Accumulator): void {
    this.n += (o as CountStar).n;
  }
  result(): unknown {
    return this.n;
  }
  save(): unknown {
    return this.n;
  }
  load(s: unknown): void {
    this.n = s as number;
  }
}

class Count1 extends CountStar {
  override add(v: unknown[]): void {
    const x = v[0];
    if (x !== null && x !== undefined) this.n++;
  }
  override retract(v: unknown[]): void {
    const x = v[0];
    if (x !== null && x !== undefined) this.n--;
  }
}

class CountN extends CountStar {
  override add(v: unknown[]): void {
    for (let i = 0; i < v.length; i++) if (v[i] === null || v[i] === undefined) return;
    this.n++;
  }
  override retract(v: unknown[]): void {
    for (let i = 0; i < v.length; i++) if (v[i] === null || v[i] === undefined) return;
    this.n--;
  }
}

/** COUNT(DISTINCT …): multiplicities per distinct value (so that retraction works). */
class CountDistinct implements Accumulator {
  m = new Map<unknown, number>();
  private key(v: unknown[]): unknown {
    if (v.length === 1) {
      const x = v[0];
      return x === null || x === undefined ? undefined : keyOf(x);
    }
    for (let i = 0; i < v.length; i++) if (v[i] === null || v[i] === undefined) return undefined;
    return '\u0002' + JSON.stringify(toJsonValue(v));
  }
  add(v: unknown[]): void {
    const k = this.key(v);
    if (k === undefined) return;
    this.m.set(k, (this.m.get(k) ?? 0) + 1);
  }
  retract(v: unknown[]): void {
    const k = this.key(v);
    if (k === undefined) return;
    const c = (this.m.get(k) ?? 0) - 1;
    if (c <= 0) this.m.delete(k);
    else this.m.set(k, c);
  }
  merge(o: Accumulator): void {
    for (const [k, c] of (o as CountDistinct).m) this.m.set(k, (this.m.get(k) ?? 0) + c);
  }
  result(): unknown {
    return this.m.size;
  }
  save(): unknown {
    return [...this.m.entries()].map(([k, c]) => [toJsonValue(k), c]);
  }
  load(s: unknown): void {
    this.m = new Map((s as [unknown, number][]).map(([k, c]) => [fromJsonValue(k), c]));
  }
}

export const COUNT: AggregateFunctionDef = {
  name: 'COUNT',
  returnType() {
    return { kind: 'BIGINT', nullable: false };
  },
  create(args, distinct) {
    if (distinct && args.length > 0) return () => new CountDistinct();
    if (args.length === 0) return () => new CountStar();
    if (args.length === 1) return () => new Count1();
    return () => new CountN();
  },
};

// ----- generic DISTINCT wrapper ------------------------------------------------------------------

/** Feeds the inner accumulator each distinct argument value once (and retracts it when its count drops to 0). */
class DistinctWrapper implements Accumulator {
  m = new Map<unknown, { c: number; v: unknown[] }>();
  constructor(readonly inner: Accumulator) {}
  private key(v: unknown[]): unknown {
    return v.length === 1 ? keyOf(v[0]) : '\u0002' + JSON.stringify(toJsonValue(v));
  }
  add(v: unknown[]): void {
    const k = this.key(v);
    const e = this.m.get(k);
    if (e) e.c++;
    else {
      const copy = v.slice();
      this.m.set(k, { c: 1, v: copy });
      this.inner.add(copy);
    }
  }
  retract(v: unknown[]): void {
    const k = this.key(v);
    const e = this.m.get(k);
    if (!e) return;
    if (--e.c <= 0) {
      this.m.delete(k);
      if (!this.inner.retract) throw new ValidationError('This DISTINCT aggregate cannot retract');
      this.inner.retract(e.v);
    }
  }
  merge(o: Accumulator): void {
    for (const [k, e] of (o as DistinctWrapper).m) {
      const mine = this.m.get(k);
      if (mine) mine.c += e.c;
      else {
        this.m.set(k, { c: e.c, v: e.v });
        this.inner.add(e.v);
      }
    }
  }
  result(): unknown {
    return this.inner.result();
  }
  save(): unknown {
    return { d: [...this.m.values()].map((e) => [e.c, toJsonValue(e.v)]), i: this.inner.save() };
  }
  load(s: unknown): void {
    const st = s as { d: [number, unknown][]; i: unknown };
    this.m = new Map();
    for (const [c, v] of st.d) {
      const vals = fromJsonValue(v) as unknown[];
      this.m.set(this.key(vals), { c, v: vals });
    }
    this.inner.load(st.i);
  }
}

function withDistinct(make: () => Accumulator, distinct: boolean): () => Accumulator {
  return distinct ? () => new DistinctWrapper(make()) : make;
}

// ----- SUM / AVG ---------------------------------------------------------------------------------

const POW10 = (s: number) => 10 ** s;

function numericArg(name: string, args: LogicalType[]): LogicalType {
  if (args.length !== 1 || !(isNumeric(args[0]) || args[0].kind === 'NULL' || args[0].kind === 'INTERVAL_DAY_TIME' || args[0].kind === 'INTERVAL_YEAR_MONTH')) {
    aggFail(name, `${name}(NUMERIC)`, args);
  }
  return args[0].kind === 'NULL' ? { kind: 'INT', nullable: true } : args[0];
}

/** Flink's SUM type: DECIMAL(p, s) → DECIMAL(38, s); others keep their type; always nullable. */
function sumType(t: LogicalType): LogicalType {
  if (t.kind === 'DECIMAL') return { kind: 'DECIMAL', precision: 38, scale: t.scale, nullable: true };
  return withNullable(t, true);
}

/** Flink's AVG (and STDDEV/VAR) type: DECIMAL(p, s) → DECIMAL(38, max(6, s)); others keep their type. */
function avgType(t: LogicalType): LogicalType {
  if (t.kind === 'DECIMAL') return { kind: 'DECIMAL', precision: 38, scale: Math.max(6, t.scale), nullable: true };
  return withNullable(t, true);
}

/**
 * SUM over doubles. The sum starts at −0, the identity of IEEE addition: as Flink's SUM, which starts
 * at NULL, the first value is taken as it is (a SUM of −0.0 is −0.0). AVG starts at 0, as Flink's.
 */
class Sum implements Accumulator {
  sum = -0;
  n = 0;
  constructor(readonly scale: number) {}
  add(v: unknown[]): void {
    const x = v[0];
    if (x === null || x === undefined) return;
    this.sum += x as number;
    this.n++;
  }
  retract(v: unknown[]): void {
    const x = v[0];
    if (x === null || x === undefined) return;
    this.sum -= x as number;
    this.n--;
  }
  merge(o: Accumulator): void {
    const s = o as Sum;
    this.sum += s.sum;
    this.n += s.n;
  }
  result(): unknown {
    if (this.n === 0) return null;
    if (this.scale >= 0) {
      const f = POW10(this.scale);
      return Math.round(this.sum * f) / f;
    }
    return this.sum;
  }
  save(): unknown {
    return [toJsonValue(this.sum), this.n];
  }
  load(s: unknown): void {
    const [sum, n] = s as [unknown, number];
    this.sum = n === 0 ? this.start : (fromJsonValue(sum) as number);
    this.n = n;
  }
  /** The sum of no rows. */
  get start(): number {
    return -0;
  }
}

/** SUM over FLOAT: each addition rounded to FLOAT, as Java adds floats. */
class SumFloat extends Sum {
  constructor() {
    super(-1);
  }
  override add(v: unknown[]): void {
    const x = v[0];
    if (x === null || x === undefined) return;
    this.sum = Math.fround(this.sum + (x as number));
    this.n++;
  }
  override retract(v: unknown[]): void {
    const x = v[0];
    if (x === null || x === undefined) return;
    this.sum = Math.fround(this.sum - (x as number));
    this.n--;
  }
  override merge(o: Accumulator): void {
    const s = o as Sum;
    this.sum = Math.fround(this.sum + s.sum);
    this.n += s.n;
  }
}

/** SUM over integers: exact while |sum| < 2^53, wrapping like Java for INT and smaller. */
class SumInt extends Sum {
  constructor(readonly wrap: (x: number) => number) {
    super(-1);
  }
  override result(): unknown {
    return this.n === 0 ? null : this.wrap(this.sum);
  }
}

/** A SUM over exact values (number | bigint) with the given add and subtract: the base of SumLong and SumDecimal. */
class ExactSum implements Accumulator {
  sum: Exact = 0;
  n = 0;
  constructor(
    private readonly plus: (a: Exact, b: Exact) => Exact,
    private readonly minus: (a: Exact, b: Exact) => Exact,
  ) {}
  add(v: unknown[]): void {
    const x = v[0];
    if (x === null || x === undefined) return;
    this.sum = this.plus(this.sum, x as Exact);
    this.n++;
  }
  retract(v: unknown[]): void {
    const x = v[0];
    if (x === null || x === undefined) return;
    this.sum = this.minus(this.sum, x as Exact);
    this.n--;
  }
  merge(o: Accumulator): void {
    const s = o as ExactSum;
    this.sum = this.plus(this.sum, s.sum);
    this.n += s.n;
  }
  result(): unknown {
    return this.n === 0 ? null : this.sum;
  }
  save(): unknown {
    return [toJsonValue(this.sum), this.n];
  }
  load(s: unknown): void {
    const [sum, n] = s as [unknown, number];
    this.sum = fromJsonValue(sum) as Exact;
    this.n = n;
  }
}

/** SUM over BIGINT: exact, wrapping around at 64 bits like Java's long. */
class SumLong extends ExactSum {
  constructor() {
    super(addLong, subLong);
  }
}

/** AVG over BIGINT: the exact (wrapping) sum divided by the count, truncated, as Flink's BIGINT AVG. */
class AvgLong extends SumLong {
  override result(): unknown {
    return this.n === 0 ? null : divLong(this.sum, this.n);
  }
}

/** SUM over DECIMAL(p, s): exact unscaled sum into DECIMAL(38, s); NULL once it needs more than 38 digits (Flink's overflow). */
class SumDecimal extends ExactSum {
  constructor() {
    super(addExact, subExact);
  }
  override result(): unknown {
    return this.n === 0 || !decFits(this.sum, 38) ? null : this.sum;
  }
}

/** AVG over DECIMAL(p, s): the exact sum divided by the count into DECIMAL(38, max(6, s)), HALF_UP. */
class AvgDecimal extends SumDecimal {
  constructor(
    readonly inScale: number,
    readonly outScale: number,
  ) {
    super();
  }
  override result(): unknown {
    if (this.n === 0) return null;
    const r = decDivide(this.sum, this.inScale, this.n, 0, this.outScale);
    return decFits(r, 38) ? r : null;
  }
}

const WRAP: Record<string, (x: number) => number> = {
  TINYINT: (x) => (x << 24) >> 24,
  SMALLINT: (x) => (x << 16) >> 16,
  INT: (x) => x | 0,
  BIGINT: (x) => x,
};

export const SUM: AggregateFunctionDef = {
  name: 'SUM',
  returnType(args) {
    return sumType(numericArg('SUM', args));
  },
  create(args, distinct) {
    const t = numericArg('SUM', args);
    const make: () => Accumulator = t.kind === 'BIGINT'
      ? () => new SumLong()
      : isIntegral(t)
      ? () => new SumInt(WRAP[t.kind])
      : t.kind === 'DECIMAL'
        ? () => new SumDecimal()
        : t.kind === 'FLOAT'
          ? () => new SumFloat()
          : () => new Sum(-1);
    return withDistinct(make, distinct);
  },
};

/** SUM0: like SUM but 0 instead of NULL for no rows (used by some rewritten plans). */
export const SUM0: AggregateFunctionDef = {
  name: '$SUM0',
  returnType(args) {
    return withNullable(sumType(numericArg('$SUM0', args)), false);
  },
  create(args, distinct) {
    const inner = SUM.create(args, false);
    return withDistinct(() => {
      const a = inner();
      const r = a.result.bind(a);
      a.result = () => r() ?? 0;
      return a;
    }, distinct);
  },
};

class Avg extends Sum {
  override sum = 0;
  constructor(
    readonly mode: 'int' | 'decimal' | 'float',
    scale: number,
  ) {
    super(scale);
  }
  override get start(): number {
    return 0;
  }
  override result(): unknown {
    if (this.n === 0) return null;
    const a = this.sum / this.n;
    if (this.mode === 'int') return Math.trunc(a);
    if (this.mode === 'decimal') {
      const f = POW10(this.scale);
      return Math.round(a * f) / f;
    }
    return a;
  }
}

export const AVG: AggregateFunctionDef = {
  name: 'AVG',
  returnType(args) {
    return avgType(numericArg('AVG', args));
  },
  create(args, distinct) {
    const t = numericArg('AVG', args);
    const rt = avgType(t);
    const mode = isIntegral(t) || t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH' ? 'int' : t.kind === 'DECIMAL' ? 'decimal' : 'float';
    const scale = rt.kind === 'DECIMAL' ? rt.scale : -1;
    if (t.kind === 'BIGINT') return withDistinct(() => new AvgLong(), distinct);
    if (t.kind === 'DECIMAL') return withDistinct(() => new AvgDecimal(t.scale, scale), distinct);
    return withDistinct(() => new Avg(mode, scale), distinct);
  },
};

// ----- MIN / MAX -----------------------------------------------------------------------------------

class MinMax implements Accumulator {
  v: unknown = null;
  constructor(readonly sign: number) {}
  add(vals: unknown[]): void {
    const x = vals[0];
    if (x === null || x === undefined) return;
    const cur = this.v;
    if (cur === null) this.v = x;
    else if (typeof x === 'number' || typeof x === 'string' || typeof x === 'bigint') {
      if (this.sign < 0 ? x < (cur as typeof x) : x > (cur as typeof x)) this.v = x;
    } else if (compareValues(x, cur) * this.sign > 0) this.v = x;
  }
  merge(o: Accumulator): void {
    const x = (o as MinMax).v;
    if (x !== null) this.add([x]);
  }
  result(): unknown {
    return this.v;
  }
  save(): unknown {
    return toJsonValue(this.v);
  }
  load(s: unknown): void {
    this.v = fromJsonValue(s);
  }
}

/** MIN/MAX with retraction: a count per value; the extreme is recomputed only when it is retracted. */
class MinMaxRetract implements Accumulator {
  counts = new Map<unknown, { c: number; v: unknown }>();
  best: unknown = null;
  constructor(readonly sign: number) {}
  add(vals: unknown[]): void {
    const x = vals[0];
    if (x === null || x === undefined) return;
    const k = keyOf(x);
    const e = this.counts.get(k);
    if (e) e.c++;
    else this.counts.set(k, { c: 1, v: x });
    if (this.best === null || compareValues(x, this.best) * this.sign > 0) this.best = x;
  }
  retract(vals: unknown[]): void {
    const x = vals[0];
    if (x === null || x === undefined) return;
    const k = keyOf(x);
    const e = this.counts.get(k);
    if (!e) return;
    if (--e.c > 0) return;
    this.counts.delete(k);
    if (this.best !== null && compareValues(x, this.best) === 0) {
      this.best = null;
      for (const { v } of this.counts.values()) if (this.best === null || compareValues(v, this.best) * this.sign > 0) this.best = v;
    }
  }
  merge(o: Accumulator): void {
    for (const { c, v } of (o as MinMaxRetract).counts.values()) for (let i = 0; i < c; i++) this.add([v]);
  }
  result(): unknown {
    return this.best;
  }
  save(): unknown {
    return [...this.counts.values()].map((e) => [e.c, toJsonValue(e.v)]);
  }
  load(s: unknown): void {
    this.counts = new Map();
    this.best = null;
    for (const [c, v] of s as [number, unknown][]) {
      const x = fromJsonValue(v);
      for (let i = 0; i < c; i++) this.add([x]);
    }
  }
}

const minMax = (name: string, sign: number): AggregateFunctionDef => ({
  name,
  returnType(args) {
    if (args.length !== 1 || args[0].kind === 'MAP') aggFail(name, `${name}(comparable value)`, args);
    return withNullable(args[0], true);
  },
  create() {
    return () => new MinMax(sign);
  },
});
export const MIN = minMax('MIN', -1);
export const MAX = minMax('MAX', 1);

/** MIN/MAX accumulators that support retract (for updating aggregations over changelogs). */
export function minMaxWithRetract(kind: 'MIN' | 'MAX'): () => Accumulator {
  const sign = kind === 'MIN' ? -1 : 1;
  return () => new MinMaxRetract(sign);
}

// ----- FIRST_VALUE / LAST_VALUE -------------------------------------------------------------------

class FirstValue implements Accumulator {
  v: unknown = null;
  set = false;
  add(vals: unknown[]): void {
    const x = vals[0];
    if (!this.set && x !== null && x !== undefined) {
      this.v = x;
      this.set = true;
    }
  }
  merge(o: Accumulator): void {
    const f = o as FirstValue;
    if (!this.set && f.set) {
      this.v = f.v;
      this.set = true;
    }
  }
  result(): unknown {
    return this.v;
  }
  save(): unknown {
    return [this.set, toJsonValue(this.v)];
  }
  load(s: unknown): void {
    const [set, v] = s as [boolean, unknown];
    this.set = set;
    this.v = fromJsonValue(v);
  }
}

class LastValue extends FirstValue {
  override add(vals: unknown[]): void {
    const x = vals[0];
    if (x !== null && x !== undefined) {
      this.v = x;
      this.set = true;
    }
  }
  override merge(o: Accumulator): void {
    const f = o as LastValue;
    if (f.set) {
      this.v = f.v;
      this.set = true;
    }
  }
}

const firstLast = (name: string, make: () => Accumulator): AggregateFunctionDef => ({
  name,
  returnType(args) {
    if (args.length !== 1) aggFail(name, `${name}(value)`, args);
    return withNullable(args[0], true);
  },
  create(_args, distinct) {
    return withDistinct(make, distinct);
  },
});
/** FIRST_VALUE(x): the first non-NULL value in arrival order. */
export const FIRST_VALUE = firstLast('FIRST_VALUE', () => new FirstValue());
/** LAST_VALUE(x): the last non-NULL value in arrival order. */
export const LAST_VALUE = firstLast('LAST_VALUE', () => new LastValue());

// ----- LISTAGG -------------------------------------------------------------------------------------

class ListAgg implements Accumulator {
  items: string[] = [];
  sep = ',';
  add(v: unknown[]): void {
    const x = v[0];
    if (x === null || x === undefined) return;
    this.items.push(x as string);
    if (v.length > 1 && typeof v[1] === 'string') this.sep = v[1];
  }
  retract(v: unknown[]): void {
    const x = v[0];
    if (x === null || x === undefined) return;
    const i = this.items.lastIndexOf(x as string);
    if (i >= 0) this.items.splice(i, 1);
  }
  merge(o: Accumulator): void {
    const l = o as ListAgg;
    for (const s of l.items) this.items.push(s);
    this.sep = l.sep;
  }
  result(): unknown {
    return this.items.length === 0 ? null : this.items.join(this.sep);
  }
  save(): unknown {
    return [this.items.slice(), this.sep];
  }
  load(s: unknown): void {
    const [items, sep] = s as [string[], string];
    this.items = items.slice();
    this.sep = sep;
  }
}

/** LISTAGG(x[, separator]): non-NULL values joined by the separator (default ','). */
export const LISTAGG: AggregateFunctionDef = {
  name: 'LISTAGG',
  returnType(args) {
    if (args.length < 1 || args.length > 2 || !STR(args[0]) || (args.length === 2 && !STR(args[1]))) {
      aggFail('LISTAGG', 'LISTAGG(STRING[, separator STRING])', args);
    }
    return { kind: 'VARCHAR', length: MAX_LENGTH, nullable: true };
  },
  create(_args, distinct) {
    return withDistinct(() => new ListAgg(), distinct);
  },
};

// ----- variance family ------------------------------------------------------------------------------

class Moments implements Accumulator {
  n = 0;
  sum = 0;
  sumSq = 0;
  constructor(
    readonly sample: boolean,
    readonly sqrt: boolean,
    readonly out: 'int' | 'decimal' | 'float',
    readonly scale: number,
    /** The argument's type: a BIGINT may be a bigint. */
    readonly toDouble: (v: unknown) => number = Number,
  ) {}
  add(v: unknown[]): void {
    if (v[0] === null || v[0] === undefined) return;
    const x = this.toDouble(v[0]);
    this.n++;
    this.sum += x;
    this.sumSq += x * x;
  }
  retract(v: unknown[]): void {
    if (v[0] === null || v[0] === undefined) return;
    const x = this.toDouble(v[0]);
    this.n--;
    this.sum -= x;
    this.sumSq -= x * x;
  }
  merge(o: Accumulator): void {
    const m = o as Moments;
    this.n += m.n;
    this.sum += m.sum;
    this.sumSq += m.sumSq;
  }
  result(): unknown {
    const n = this.n;
    if (n === 0 || (this.sample && n === 1)) return null;
    if (this.out === 'int') {
      // Flink rewrites these aggregates into SUM/COUNT arithmetic in the argument's integer type:
      // (SUM(x²) − SUM(x)² / COUNT) / (COUNT [− 1]) with integer divisions, then SQRT and a cast.
      const v = Math.trunc((this.sumSq - Math.trunc((this.sum * this.sum) / n)) / (this.sample ? n - 1 : n));
      return this.sqrt ? Math.trunc(Math.sqrt(v)) : v;
    }
    let r = Math.max(0, (this.sumSq - (this.sum * this.sum) / n) / (this.sample ? n - 1 : n));
    if (this.sqrt) r = Math.sqrt(r);
    if (this.out === 'decimal') return decFromDouble(r, 38, this.scale) ?? null;
    return r;
  }
  save(): unknown {
    return [this.n, this.sum, this.sumSq];
  }
  load(s: unknown): void {
    [this.n, this.sum, this.sumSq] = s as number[];
  }
}

const moments = (name: string, sample: boolean, sqrt: boolean): AggregateFunctionDef => ({
  name,
  returnType(args) {
    return avgType(numericArg(name, args));
  },
  create(args, distinct) {
    const t = numericArg(name, args);
    const rt = avgType(t);
    const out = isIntegral(t) ? 'int' : t.kind === 'DECIMAL' ? 'decimal' : 'float';
    const scale = rt.kind === 'DECIMAL' ? rt.scale : -1;
    const toDouble = doubleOf(t) ?? Number;
    return withDistinct(() => new Moments(sample, sqrt, out, scale, toDouble), distinct);
  },
});
export const STDDEV_POP = moments('STDDEV_POP', false, true);
export const STDDEV_SAMP = moments('STDDEV_SAMP', true, true);
export const STDDEV = aggregateAlias(STDDEV_SAMP, 'STDDEV');
export const VAR_POP = moments('VAR_POP', false, false);
export const VAR_SAMP = moments('VAR_SAMP', true, false);
export const VARIANCE = aggregateAlias(VAR_SAMP, 'VARIANCE');

// ----- BOOL_AND / BOOL_OR, COLLECT-like ARRAY_AGG ---------------------------------------------------

class BoolAgg implements Accumulator {
  t = 0;
  f = 0;
  constructor(readonly and: boolean) {}
  add(v: unknown[]): void {
    if (v[0] === true) this.t++;
    else if (v[0] === false) this.f++;
  }
  retract(v: unknown[]): void {
    if (v[0] === true) this.t--;
    else if (v[0] === false) this.f--;
  }
  merge(o: Accumulator): void {
    this.t += (o as BoolAgg).t;
    this.f += (o as BoolAgg).f;
  }
  result(): unknown {
    if (this.t + this.f === 0) return null;
    return this.and ? this.f === 0 : this.t > 0;
  }
  save(): unknown {
    return [this.t, this.f];
  }
  load(s: unknown): void {
    [this.t, this.f] = s as number[];
  }
}
const boolAgg = (name: string, and: boolean): AggregateFunctionDef => ({
  name,
  returnType(args) {
    if (args.length !== 1 || (args[0].kind !== 'BOOLEAN' && args[0].kind !== 'NULL')) aggFail(name, `${name}(BOOLEAN)`, args);
    return { kind: 'BOOLEAN', nullable: true };
  },
  create(_a, distinct) {
    return withDistinct(() => new BoolAgg(and), distinct);
  },
});
export const BOOL_AND = boolAgg('BOOL_AND', true);
export const BOOL_OR = boolAgg('BOOL_OR', false);

class ArrayAgg implements Accumulator {
  items: unknown[] = [];
  add(v: unknown[]): void {
    const x = v[0];
    if (x !== null && x !== undefined) this.items.push(x);
  }
  retract(v: unknown[]): void {
    const k = keyOf(v[0]);
    for (let i = this.items.length - 1; i >= 0; i--) {
      if (keyOf(this.items[i]) === k) {
        this.items.splice(i, 1);
        return;
      }
    }
  }
  merge(o: Accumulator): void {
    for (const x of (o as ArrayAgg).items) this.items.push(x);
  }
  result(): unknown {
    return this.items.length === 0 ? null : this.items.slice();
  }
  save(): unknown {
    return toJsonValue(this.items);
  }
  load(s: unknown): void {
    this.items = fromJsonValue(s) as unknown[];
  }
}
export const ARRAY_AGG: AggregateFunctionDef = {
  name: 'ARRAY_AGG',
  returnType(args) {
    if (args.length !== 1) aggFail('ARRAY_AGG', 'ARRAY_AGG(value)', args);
    return { kind: 'ARRAY', element: args[0], nullable: true };
  },
  create(_a, distinct) {
    return withDistinct(() => new ArrayAgg(), distinct);
  },
};

// ----- $SINGLE_VALUE (scalar subqueries) -------------------------------------------------------

/** The value of a scalar subquery: NULL for no row, the row's value for one, an error for more. */
class SingleValue implements Accumulator {
  v: unknown = null;
  n = 0;
  add(vals: unknown[]): void {
    if (++this.n > 1) throw new JobError('A scalar subquery returned more than one row (SingleValueAggFunction received more than one element)');
    this.v = vals[0] ?? null;
  }
  retract(): void {
    this.n--;
    if (this.n === 0) this.v = null;
  }
  merge(o: Accumulator): void {
    const f = o as SingleValue;
    for (let i = 0; i < f.n; i++) this.add([f.v]);
  }
  result(): unknown {
    return this.v;
  }
  save(): unknown {
    return [this.n, toJsonValue(this.v)];
  }
  load(s: unknown): void {
    const [n, v] = s as [number, unknown];
    this.n = n;
    this.v = fromJsonValue(v);
  }
}

export const SINGLE_VALUE: AggregateFunctionDef = {
  name: '$SINGLE_VALUE',
  returnType(args) {
    if (args.length !== 1) aggFail('$SINGLE_VALUE', '$SINGLE_VALUE(value)', args);
    return withNullable(args[0], true);
  },
  create() {
    return () => new SingleValue();
  },
};

export const AGGREGATE_FUNCTIONS: AggregateFunctionDef[] = [
  COUNT, SUM, SUM0, AVG, MIN, MAX, FIRST_VALUE, LAST_VALUE, LISTAGG, STDDEV_POP, STDDEV_SAMP, STDDEV, VAR_POP, VAR_SAMP,
  VARIANCE, BOOL_AND, BOOL_OR, ARRAY_AGG, SINGLE_VALUE,
];
