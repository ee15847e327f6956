// Numeric functions.
import type { LogicalType } from '../../common/types.js';
import { formatType, isIntegral, withNullable } from '../../common/types.js';
import { JobError, ValidationError } from '../../common/errors.js';
import { absExact, absLong, decimalArith, doubleOf, floorCeilScale, longFromDouble, modLong, rescale, truncScale, type Exact } from '../../common/exact.js';
import type { ScalarFunctionDef } from '../api.js';
import type { AnyFn } from '../helpers.js';
import { alias, anyNullable, checkArgs, fail, DOUBLE, INT, INTEGER, NUM, STRING, simple, STR } from '../helpers.js';
import { javaDoubleString } from '../../common/java-double.js';
import { adjustDecimal, arithmeticResultType, commonType } from '../coercion.js';
import { argConverters } from './core.js';

const doubleResult = (args: LogicalType[]) => DOUBLE(anyNullable(args));
const sameNumeric = (args: LogicalType[]) => withNullable(args[0].kind === 'NULL' ? DOUBLE(true) : args[0], anyNullable(args));

/** BigDecimal.valueOf(v) as unscaled × 10^-scale: Java's digits of v. NaN and Infinity fail the job, as in Flink. */
function javaDecimal(v: number, fn: string): { u: bigint; scale: number } {
  const text = javaDoubleString(v);
  const m = /^(-?)(\d+)\.(\d+)(?:E(-?\d+))?$/.exec(text);
  if (!m) throw new JobError(`${fn} of ${text}: NaN and Infinity have no decimal value (Flink fails with NumberFormatException)`);
  const u = BigInt(m[2] + m[3]);
  return { u: m[1] ? -u : u, scale: m[3].length - (m[4] ? Number(m[4]) : 0) };
}

/** BigDecimal.setScale(d, HALF_UP or DOWN) of unscaled u at `scale`: the unscaled value at scale d. */
function setScale(u: bigint, scale: number, d: number, halfUp: boolean): bigint {
  if (d >= scale) return u * 10n ** BigInt(d - scale);
  const p = 10n ** BigInt(scale - d);
  let q = u / p;
  if (halfUp) {
    const r = u % p;
    if ((r < 0n ? -r : r) * 2n >= p) q += u < 0n ? -1n : 1n;
  }
  return q;
}

/** BigDecimal.doubleValue (no negative zero). */
const toDouble = (u: bigint, scale: number): number => (u === 0n ? 0 : Number(`${u}e${-scale}`));

/** ROUND(DOUBLE, d) as Flink: BigDecimal.valueOf(v), HALF_UP at d digits (negative: tens, hundreds …), back to double. */
export function roundHalfUp(v: number, digits: number): number {
  const { u, scale } = javaDecimal(v, 'ROUND');
  return toDouble(setScale(u, scale, digits, true), digits);
}

/**
 * TRUNCATE(DOUBLE, d) as Flink: the value as DECIMAL(38, 18) first (HALF_UP at 18 digits; a value of
 * 10^20 or more does not fit and fails the job), then toward zero at d digits.
 */
export function truncateDigits(v: number, digits: number): number {
  const { u, scale } = javaDecimal(v, 'TRUNCATE');
  const x = setScale(u, scale, 18, true);
  if ((x < 0n ? -x : x) >= 10n ** 38n) throw new JobError(`TRUNCATE of ${javaDoubleString(v)}: the value does not fit DECIMAL(38, 18) (Flink fails the job)`);
  return digits >= 18 ? toDouble(x, 18) : toDouble(setScale(x, 18, digits, false), digits);
}

/** Flink's ROUND/TRUNCATE type on DECIMAL(p, s) with `r` digits (LogicalTypeMerging's rule). */
function roundDecimalType(p: number, s: number, r: number, nullable: boolean): LogicalType {
  if (r >= s) return { kind: 'DECIMAL', precision: p, scale: s, nullable };
  if (r < 0) return { kind: 'DECIMAL', precision: Math.min(38, 1 + p - s), scale: 0, nullable };
  return { kind: 'DECIMAL', precision: Math.min(38, 1 + p - s + r), scale: r, nullable };
}

function roundType(name: string, args: LogicalType[], constants?: readonly unknown[]): LogicalType {
  checkArgs(name, `${name}(NUMERIC[, digits INT])`, args, [NUM, INTEGER], 1);
  const t = args[0];
  const nullable = anyNullable(args);
  if (t.kind === 'DECIMAL') {
    // The digits shape the type when known (a literal), as in Flink; otherwise the type is kept.
    const r = args.length === 1 ? 0 : constants?.[1];
    if (typeof r === 'number') return roundDecimalType(t.precision, t.scale, r, nullable);
    return { ...t, nullable };
  }
  if (t.kind === 'NULL') return DOUBLE(true);
  return withNullable(t, nullable);
}

const roundDef = (name: string, fn: (v: number, d: number) => number): ScalarFunctionDef => ({
  name,
  strict: true,
  deterministic: true,
  returnType(args, constants) {
    return roundType(name, args, constants);
  },
  create(args, ctx): AnyFn {
    const t = args[0];
    const c = ctx.constantArgs[1];
    const integral = isIntegral(t);
    if (t.kind === 'DECIMAL') {
      // Exact on the unscaled value: to `d` digits (HALF_UP or toward zero), then at the result's scale.
      const rt = roundType(name, args, ctx.constantArgs);
      const rs = rt.kind === 'DECIMAL' ? rt.scale : t.scale;
      const s = t.scale;
      const cut = name === 'ROUND' ? rescale : truncScale;
      return (v: Exact, d: unknown = 0) => {
        const digits = Number(d);
        return rescale(cut(v, s, digits), digits, rs);
      };
    }
    if (t.kind === 'FLOAT') return args.length === 1 ? (v: number) => Math.fround(fn(v, 0)) : (v: number, d: number) => Math.fround(fn(v, d));
    if (args.length === 1) return integral ? (v: number) => v : (v: number) => fn(v, 0);
    if (t.kind === 'BIGINT') return (v: Exact, d: number) => (d >= 0 ? v : longFromDouble(fn(Number(v), d)));
    if (typeof c === 'number' && integral && c >= 0) return (v: number) => v;
    return (v: number, d: number) => fn(v, d);
  },
});

/** ROUND(x[, d]): half away from zero; the result keeps the argument's type. */
export const ROUND = roundDef('ROUND', roundHalfUp);
export const TRUNCATE = roundDef('TRUNCATE', truncateDigits);

function floorCeilType(name: string) {
  return (args: LogicalType[]): LogicalType => {
    const t = args[0];
    // As Flink 1.20 (Calcite's ARG0_OR_EXACT_NO_SCALE): FLOOR/CEIL of DECIMAL(p, s) is DECIMAL(p, 0).
    if (t.kind === 'DECIMAL') return adjustDecimal(t.precision, 0, t.nullable);
    return sameNumeric(args);
  };
}
const ident = (v: unknown) => v;
const floorCeil = (ceil: boolean) => (args: LogicalType[]) => {
  const t = args[0];
  if (isIntegral(t)) return ident;
  if (t.kind === 'DECIMAL') {
    const s = t.scale;
    return (v: Exact) => floorCeilScale(v, s, ceil);
  }
  return ceil ? Math.ceil : Math.floor;
};
export const FLOOR = simple('FLOOR', 'FLOOR(NUMERIC)', [NUM], floorCeilType('FLOOR'), floorCeil(false));
export const CEIL = simple('CEIL', 'CEIL(NUMERIC)', [NUM], floorCeilType('CEIL'), floorCeil(true));
export const CEILING = alias(CEIL, 'CEILING');

export const ABS = simple('ABS', 'ABS(NUMERIC)', [NUM], sameNumeric, (args) =>
  args[0].kind === 'BIGINT' ? absLong : args[0].kind === 'DECIMAL' ? absExact
  // Java's Math.abs of the minimum value is the minimum value (it wraps in its type).
  : args[0].kind === 'TINYINT' ? (v: number) => (Math.abs(v) << 24) >> 24
  : args[0].kind === 'SMALLINT' ? (v: number) => (Math.abs(v) << 16) >> 16
  : args[0].kind === 'INT' ? (v: number) => Math.abs(v) | 0
  : Math.abs);
export const SIGN = simple('SIGN', 'SIGN(NUMERIC)', [NUM], (args) => {
  // Flink 1.20 cannot compile SIGN of TINYINT/SMALLINT ("Assignment conversion not possible from
  // type int to type short"): refused at planning, so a job that fails on Flink fails here too.
  if (args[0].kind === 'TINYINT' || args[0].kind === 'SMALLINT') {
    throw new ValidationError(`SIGN(${formatType(args[0])}): Flink 1.20 fails to compile SIGN of ${args[0].kind}; cast the argument to INT`);
  }
  return sameNumeric(args);
}, (args) => {
  const t = args[0];
  if (t.kind === 'BIGINT') return (x: Exact) => (x < 0 ? -1 : x > 0 ? 1 : 0);
  if (t.kind === 'DECIMAL') {
    const one = rescale(1, 0, t.scale);
    const minus = rescale(-1, 0, t.scale);
    return (x: Exact) => (x < 0 ? minus : x > 0 ? one : 0);
  }
  return Math.sign;
});

export const MOD: ScalarFunctionDef = {
  name: 'MOD',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('MOD', 'MOD(NUMERIC, NUMERIC)', args, [NUM, NUM]);
    // Calcite's MOD takes exact numerics only: Flink 1.20 refuses MOD(DOUBLE, …) at validation.
    if (args.some((a) => a.kind === 'DOUBLE' || a.kind === 'FLOAT')) fail('MOD', 'MOD(<EXACT_NUMERIC>, <EXACT_NUMERIC>)', args);
    const t = arithmeticResultType('%', args[0], args[1]);
    if (!t) fail('MOD', 'MOD(NUMERIC, NUMERIC)', args);
    return t.kind === 'NULL' ? INT(true) : t;
  },
  create(args): AnyFn {
    const t = arithmeticResultType('%', args[0], args[1]);
    if (t && isIntegral(t)) {
      return (a: Exact, b: Exact) => {
        if (b === 0) throw new JobError('Division by zero in MOD');
        return modLong(a, b);
      };
    }
    if (t && t.kind === 'DECIMAL') {
      const f = decimalArith('%', args[0].kind === 'DECIMAL' ? args[0].scale : 0, args[1].kind === 'DECIMAL' ? args[1].scale : 0, t.precision, t.scale);
      return (a: Exact, b: Exact) => {
        if (b === 0) throw new JobError('Division by zero in MOD');
        return f(a, b);
      };
    }
    const ca = doubleOf(args[0]) ?? Number;
    const cb = doubleOf(args[1]) ?? Number;
    return (a: unknown, b: unknown) => ca(a) % cb(b);
  },
};

// Exact arguments (BIGINT beyond 2^53) enter these double functions as the nearest double.
const d1 = (name: string, f: (x: number) => number) =>
  simple(name, `${name}(NUMERIC)`, [NUM], doubleResult, (args) => {
    const a = doubleOf(args[0]);
    return a ? (x: unknown) => f(a(x)) : f;
  });
const d2 = (name: string, f: (x: number, y: number) => number) =>
  simple(name, `${name}(NUMERIC, NUMERIC)`, [NUM, NUM], doubleResult, (args) => {
    const a = doubleOf(args[0]);
    const b = doubleOf(args[1]);
    if (!a && !b) return f;
    const ca = a ?? ((x: unknown) => x as number);
    const cb = b ?? ((x: unknown) => x as number);
    return (x: unknown, y: unknown) => f(ca(x), cb(y));
  });

export const POWER = d2('POWER', Math.pow);
export const POW = d2('POW', Math.pow);
// Flink's SQRT(x) is POWER(x, 0.5) (SqrtConverter): Java's Math.pow gives +Infinity for
// -Infinity and +0.0 for -0.0 where Math.sqrt gives NaN and -0.0; elsewhere the two agree.
export const SQRT = d1('SQRT', (x) => (x === -Infinity ? Infinity : x === 0 ? 0 : Math.sqrt(x)));
export const CBRT = d1('CBRT', Math.cbrt);
export const LN = d1('LN', Math.log);
export const LOG10 = d1('LOG10', Math.log10);
export const LOG2 = d1('LOG2', Math.log2);
export const EXP = d1('EXP', Math.exp);
export const SIN = d1('SIN', Math.sin);
export const COS = d1('COS', Math.cos);
export const TAN = d1('TAN', Math.tan);
export const COT = d1('COT', (x) => 1 / Math.tan(x));
export const ASIN = d1('ASIN', Math.asin);
export const ACOS = d1('ACOS', Math.acos);
export const ATAN = d1('ATAN', Math.atan);
export const SINH = d1('SINH', Math.sinh);
export const COSH = d1('COSH', Math.cosh);
export const TANH = d1('TANH', Math.tanh);
// As Java's Math.toDegrees/toRadians (JDK 9+): one multiplication by the constant.
export const DEGREES = d1('DEGREES', (x) => x * 57.29577951308232);
export const RADIANS = d1('RADIANS', (x) => x * 0.017453292519943295);
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const highWord = (v: number) => {
  F64[0] = v;
  return U32[1] & 0x7fffffff;
};

/**
 * Java's Math.atan2 (fdlibm 5.3, as StrictMath): for |y/x| > 2^60 with x < 0 it gives
 * ±(π − (π/2 − π_lo)) = ±1.5707963267948968, one ulp above JavaScript's (FreeBSD's) ±π/2.
 */
export function javaAtan2(y: number, x: number): number {
  if (x < 0 && Number.isFinite(x) && Number.isFinite(y) && y !== 0 && (highWord(y) - highWord(x)) >> 20 > 60) {
    const piLo = 1.2246467991473531772e-16;
    const z = Math.PI / 2 + 0.5 * piLo;
    const r = Math.PI - (z - piLo);
    return y < 0 ? -r : r;
  }
  return Math.atan2(y, x);
}

export const ATAN2 = d2('ATAN2', javaAtan2);

/** LOG(x) is the natural logarithm; LOG(base, x) the logarithm to that base. */
export const LOG = simple('LOG', 'LOG(NUMERIC) or LOG(base NUMERIC, NUMERIC)', [NUM, NUM], doubleResult, () =>
  (a: number, b?: number) => (b === undefined ? Math.log(a) : Math.log(b) / Math.log(a)), 1);

export const PI: ScalarFunctionDef = simple('PI', 'PI()', [], () => DOUBLE(false), () => () => Math.PI);
export const E: ScalarFunctionDef = simple('E', 'E()', [], () => DOUBLE(false), () => () => Math.E);

/**
 * java.util.Random, as Flink's RAND(seed) and RAND_INTEGER(seed, n) use it: the 48-bit linear
 * congruential generator (multiplier 0x5DEECE66D, addend 0xB), kept as two 24-bit halves so that
 * every step is exact double arithmetic. One generator per call site, created at plan time and
 * advanced once per row, so a query gives Java's sequence for the seed (Flink's codegen does the same).
 */
export class JavaRandom {
  private hi: number;
  private lo: number;
  constructor(seed: number | bigint) {
    const s = BigInt.asUintN(48, BigInt(seed) ^ 0x5deece66dn);
    this.hi = Number(s >> 24n);
    this.lo = Number(s & 0xffffffn);
  }
  /** Java's next(bits): the top `bits` of the advanced 48-bit seed, as a signed 32-bit int. */
  next(bits: number): number {
    const lo = this.lo;
    const l = lo * 0xece66d + 0xb;
    const carry = Math.floor(l / 0x1000000);
    this.lo = l - carry * 0x1000000;
    this.hi = (this.hi * 0xece66d + lo * 0x5de + carry) % 0x1000000;
    return Math.floor((this.hi * 0x1000000 + this.lo) / 2 ** (48 - bits)) | 0;
  }
  nextDouble(): number {
    return ((this.next(26) * 134217728) + this.next(27)) * 2 ** -53;
  }
  nextInt(bound: number): number {
    if (bound <= 0) throw new JobError(`RAND_INTEGER: bound must be positive, got ${bound}`);
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n);
    // Java's `u - (r = u % bound) + m < 0` is an int overflow: past 2^31 - 1 here.
    for (let u = r; u - (r = u % bound) + m > 2147483647; u = this.next(31));
    return r;
  }
}

function seedCheck(name: string, args: LogicalType[]): void {
  // Flink 1.20 generates code for an INT seed only (RAND(BIGINT) is "Unsupported call").
  if (args.length > 0 && args[0].kind === 'BIGINT') throw new ValidationError(`Unsupported call: ${name}(${args.map(formatType).join(', ')}): the seed is an INT`);
}

/** A generator per seed: one for a constant seed; for a seed column, one per distinct value. */
function generatorFor(seedConst: unknown): (seed: number) => JavaRandom {
  if (typeof seedConst === 'number') {
    const g = new JavaRandom(seedConst);
    return () => g;
  }
  const bySeed = new Map<number, JavaRandom>();
  return (seed) => {
    let g = bySeed.get(seed);
    if (!g) bySeed.set(seed, (g = new JavaRandom(seed)));
    return g;
  };
}

export const RAND: ScalarFunctionDef = {
  name: 'RAND',
  strict: true,
  deterministic: false,
  returnType(args) {
    checkArgs('RAND', 'RAND() or RAND(seed INT)', args, [INTEGER], 0);
    seedCheck('RAND', args);
    return DOUBLE(anyNullable(args));
  },
  create(args, ctx): AnyFn {
    if (args.length === 0) return () => Math.random();
    const gen = generatorFor(ctx.constantArgs[0]);
    return (seed: number) => gen(seed).nextDouble();
  },
};

export const RAND_INTEGER: ScalarFunctionDef = {
  name: 'RAND_INTEGER',
  strict: true,
  deterministic: false,
  returnType(args) {
    checkArgs('RAND_INTEGER', 'RAND_INTEGER([seed INT,] bound INT)', args, [INTEGER, INTEGER], 1);
    if (args.length === 2) seedCheck('RAND_INTEGER', args);
    return INT(anyNullable(args));
  },
  create(args, ctx): AnyFn {
    if (args.length === 1) return (n: number) => Math.floor(Math.random() * n);
    const gen = generatorFor(ctx.constantArgs[0]);
    return (seed: number, n: number) => gen(seed).nextInt(n);
  },
};

/** GREATEST / LEAST over arguments of a common type; NULL when any argument is NULL. */
const extreme = (name: string, greater: boolean): ScalarFunctionDef => ({
  name,
  strict: true,
  deterministic: true,
  returnType(args) {
    if (args.length < 1) fail(name, `${name}(value, ...)`, args);
    const t = commonType(args);
    if (!t) fail(name, `${name}(value, ...) with arguments of a common type`, args);
    return t;
  },
  create(args, ctx): AnyFn {
    const t = commonType(args);
    const conv = t && argConverters(args, t, ctx.localTimeZone);
    if (conv) {
      return (...vs: any[]) => {
        for (let i = 0; i < vs.length; i++) if (conv[i]) vs[i] = conv[i](vs[i]);
        let best = vs[0];
        for (let i = 1; i < vs.length; i++) if (greater ? vs[i] > best : vs[i] < best) best = vs[i];
        return best;
      };
    }
    return (...vs: any[]) => {
      let best = vs[0];
      for (let i = 1; i < vs.length; i++) if (greater ? vs[i] > best : vs[i] < best) best = vs[i];
      return best;
    };
  },
});
export const GREATEST = extreme('GREATEST', true);
export const LEAST = extreme('LEAST', false);

export const BIN = simple('BIN', 'BIN(INTEGER)', [INTEGER], (a) => STRING(anyNullable(a)), () =>
  (n: number) => (n >= 0 ? n.toString(2) : (BigInt.asUintN(64, BigInt(n))).toString(2)));
export const HEX = simple('HEX', 'HEX(INTEGER | STRING)', [(t) => INTEGER(t) || STR(t)], (a) => STRING(anyNullable(a)), () =>
  (v: number | string) => typeof v === 'number'
    ? (v >= 0 ? v.toString(16) : BigInt.asUintN(64, BigInt(v)).toString(16)).toUpperCase()
    : Buffer.from(v, 'utf8').toString('hex').toUpperCase());


export const MATH_FUNCTIONS: ScalarFunctionDef[] = [
  ROUND, TRUNCATE, FLOOR, CEIL, CEILING, ABS, SIGN, MOD, POWER, POW, SQRT, CBRT, LN, LOG10, LOG2, LOG, EXP, SIN, COS, TAN,
  COT, ASIN, ACOS, ATAN, ATAN2, SINH, COSH, TANH, DEGREES, RADIANS, PI, E, RAND, RAND_INTEGER, GREATEST, LEAST, BIN, HEX,
];
