// The seeded random generator of the differential harness (`npm run difftest -- --seed=N[,M…]
// [--size=N]`): typed expressions over a fixed schema — functions and operators with in-range,
// out-of-range (edge literals, overflow) and NULL arguments — batched many per query, plus
// aggregations, window aggregations and joins over random expressions. The same seed gives the
// same queries, so a difference is replayed with its seed (and printed with its expression).
import type { DiffCase, InputTable } from './harness.js';

/** mulberry32: a small, fast, seeded PRNG (the same sequence on every machine). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The fixed schema every generated query reads: edges of every type, and NULLs. */
export const GEN_TABLE: InputTable = {
  name: 'g',
  schema: '(id INT, k INT, i INT, j INT, b BIGINT, d DOUBLE, m DECIMAL(10, 2), n DECIMAL(20, 4), s STRING, t STRING, z BOOLEAN, ts TIMESTAMP(3), dt DATE, l TIMESTAMP_LTZ(3), a ARRAY<INT>, sa ARRAY<STRING>, mp MAP<STRING, INT>, js STRING)',
  rows: [
    { id: 1, k: 1, i: 1, j: 2, b: 10, d: 1.5, m: '12.34', n: '1.0001', s: 'abc', t: 'b', z: true, ts: '2024-01-01 10:00:00.123', dt: '2024-01-01', l: '2024-03-10 06:59:59.999Z', a: [1, null, 3], sa: ['a', null, 'b'], mp: { a: 1, b: null, c: 3 }, js: '{"a": 1, "b": [1, 2, {"c": "x"}], "d": null, "e": true, "f": 1.5, "g": "12"}' },
    { id: 2, k: 2, i: 0, j: -3, b: -7, d: -2.25, m: '-0.50', n: '-123456.7890', s: 'Hello World', t: 'o', z: false, ts: '2024-02-29 23:59:59.999', dt: '2024-02-29', l: '2024-03-10 07:00:00Z', a: [], sa: [], mp: {}, js: '[1, "two", null, [3], {"a": 4}]' },
    { id: 3, k: 0, i: 2147483647, j: 1, b: 9223372036854775807n, d: 1e300, m: '99999999.99', n: '9999999999999999.9999', s: '', t: '', z: true, ts: '1970-01-01 00:00:00', dt: '1970-01-01', l: '1970-01-01 00:00:00Z', a: [2147483647, -2147483648], sa: ['', ' '], mp: { a: 2147483647 }, js: '{"a": "x", "b": {"c": -0.5, "d": [true, false]}, "e": "2024-01-01"}' },
    { id: 4, k: 1, i: -2147483648, j: -1, b: -9223372036854775808n, d: -0.1, m: '-99999999.99', n: '0.0001', s: '  pad  ', t: ' ', z: false, ts: '1999-12-31 23:59:59.5', dt: '1999-12-31', l: '2024-11-03 05:30:00Z', a: [5], sa: ['Hello', 'ß'], mp: { b: -1 }, js: 'not json' },
    { id: 5, k: 2, i: null, j: 7, b: null, d: null, m: null, n: null, s: null, t: 'x', z: null, ts: null, dt: null, l: null, a: null, sa: null, mp: null, js: null },
    { id: 6, k: 0, i: 42, j: null, b: 1234567890123456789n, d: 0, m: '0.00', n: '42.4242', s: 'a,b,,c', t: ',', z: true, ts: '2024-06-15 12:30:45.001', dt: '2024-06-15', l: '2024-03-31 01:30:00.001Z', a: [1, 1, 2, null], sa: [null], mp: { a: null }, js: '"a string"' },
    { id: 7, k: 1, i: -5, j: 3, b: 0, d: 3.141592653589793, m: '5.55', n: '-0.0005', s: 'Straße ÄÖÜ', t: 'ß', z: false, ts: '2038-01-19 03:14:07', dt: '2038-01-19', l: '1900-01-01 00:00:00Z', a: [null], sa: ['b', 'a', 'b'], mp: { c: 0, d: 4 }, js: '{"a": 12345678901234567890, "b": [], "f": 1e300, "g": "x"}' },
    { id: 8, k: 2, i: 100, j: 0, b: 4294967296, d: 123456789.125, m: '-1.01', n: '100', s: '123', t: '12', z: null, ts: '2024-01-01 10:59:59.999', dt: '2000-01-01', l: '2024-10-27 00:59:59.999Z', a: [3, 2, 1], sa: ['x,y', 'a'], mp: { a: 1, b: 2 }, js: '' },
  ].map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `#BIG${v}#` : v)).replace(/"#BIG(-?\d+)#"/g, '$1')),
};

/** The rowtime table of the window queries (no NULL rowtime: Flink fails on one). */
export const GEN_EVENTS: InputTable = {
  name: 'e',
  schema: "(id INT, k INT, v INT, x DOUBLE, m DECIMAL(10, 2), s STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)",
  rows: Array.from({ length: 16 }, (_, q) => {
    // In rowtime order, so no row is late (which rows are late depends on when watermarks go).
    const h = Math.floor(q / 3);
    const mm = (q % 3) * 20 + ((q * 7) % 20);
    return JSON.stringify({
      id: q + 1,
      k: q % 3,
      v: q % 5 === 4 ? null : (q * 7919) % 23 - 11,
      x: q % 6 === 5 ? null : ((q * 31) % 13) / 4 - 1,
      m: q % 7 === 6 ? null : `${(q * 37) % 100}.${(q * 13) % 100}`.replace(/\.(\d)$/, '.0$1'),
      s: q % 4 === 3 ? null : ['a', 'bb', 'c', 'a'][q % 4],
      ts: `2024-01-01 ${String(10 + h).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00.${String((q * 123) % 1000).padStart(3, '0')}`,
    });
  }),
};

type T = 'INT' | 'BIGINT' | 'DOUBLE' | 'DECIMAL' | 'STRING' | 'BOOLEAN' | 'TIMESTAMP' | 'DATE' | 'LTZ' | 'ARRAY' | 'SARRAY' | 'MAP';

const COLS: Record<T, string[]> = {
  INT: ['i', 'j', 'k'],
  BIGINT: ['b'],
  DOUBLE: ['d'],
  DECIMAL: ['m', 'n'],
  STRING: ['s', 't'],
  BOOLEAN: ['z'],
  TIMESTAMP: ['ts'],
  DATE: ['dt'],
  LTZ: ['l'],
  ARRAY: ['a'],
  SARRAY: ['sa'],
  MAP: ['mp'],
};

const LITS: Record<T, string[]> = {
  INT: ['0', '1', '-1', '3', '7', '2147483647', '-2147483648', 'CAST(NULL AS INT)'],
  BIGINT: ['CAST(0 AS BIGINT)', '9223372036854775807', 'CAST(-1 AS BIGINT)', '4294967296', 'CAST(NULL AS BIGINT)'],
  DOUBLE: ['0.0E0', '1.5E0', '-2.5E0', '1.0E-3', '1.0E308', 'CAST(NULL AS DOUBLE)'],
  DECIMAL: ['0.5', '1.25', '-3.14', '12345678.901', '0.001', 'CAST(NULL AS DECIMAL(5, 2))'],
  STRING: ["'abc'", "''", "'a'", "'Hello'", "'x,y'", "'ß'", 'CAST(NULL AS STRING)'],
  BOOLEAN: ['TRUE', 'FALSE', 'CAST(NULL AS BOOLEAN)'],
  TIMESTAMP: ["TIMESTAMP '2024-03-10 01:02:03.456'", "TIMESTAMP '1970-01-01 00:00:00'", "TIMESTAMP '2024-03-10 02:30:00'", "TIMESTAMP '2024-10-27 02:30:00.5'", 'CAST(NULL AS TIMESTAMP(3))'],
  DATE: ["DATE '2024-03-10'", "DATE '1900-02-28'", 'CAST(NULL AS DATE)'],
  LTZ: ['TO_TIMESTAMP_LTZ(0, 3)', 'TO_TIMESTAMP_LTZ(1710054000, 0)', 'TO_TIMESTAMP_LTZ(1730611800000, 3)', 'CAST(NULL AS TIMESTAMP_LTZ(3))'],
  ARRAY: ['ARRAY[1, 2, 3]', 'ARRAY[CAST(NULL AS INT), 0]', 'CAST(NULL AS ARRAY<INT>)'],
  SARRAY: ["ARRAY['a', 'bc']", "ARRAY['', CAST(NULL AS STRING)]", 'CAST(NULL AS ARRAY<STRING>)'],
  MAP: ["MAP['a', 1, 'b', 2]", "MAP['a', CAST(NULL AS INT)]", 'CAST(NULL AS MAP<STRING, INT>)'],
};

/**
 * The session time zones of the expression batches (each batch runs in one, picked by the seed):
 * UTC, zones that change to and from daylight saving time (New York and Berlin; Lord Howe by half
 * an hour; São Paulo, which no longer does), and zones with offsets of :30 and :45.
 */
export const GEN_ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Sao_Paulo'];

/** Wall-clock times that a zone skips or repeats (New York's and Berlin's 2024 changes). */
const DST_TEXT = ["'2024-03-10 02:30:00'", "'2024-11-03 01:30:00'", "'2024-03-31 02:30:00.5'", "'2024-10-27 02:30:00'", "'1900-01-01 12:00:00'", "'2024-13-01 00:00:00'", "'x'"];

/** JSON paths over the js column's documents: present, missing, wrong type, strict and lax. */
const JSON_PATHS = ['$', '$.a', '$.b', '$.b[0]', '$.b[2].c', '$.b[*]', '$.d', '$.e', '$.f', '$.g', '$.x', '$.b.c', '$[1]', '$[*]', 'strict $.x', 'strict $.a', 'lax $.b[5]', '$.b.d[1]'];

/** The types of the aggregation/window/join queries' expressions. */
const REL_TYPES: T[] = ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BOOLEAN', 'TIMESTAMP', 'DATE'];
/** The types of generated expressions: also TIMESTAMP_LTZ, ARRAY<INT>, ARRAY<STRING>, MAP<STRING, INT>. */
const TYPES: T[] = [...REL_TYPES, 'LTZ', 'ARRAY', 'SARRAY', 'MAP'];

const SMALL = ['0', '1', '2', '3', '-1', '5', '10'];
const NUMERIC: T[] = ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL'];

/** A call of a function the JVM computes with its intrinsics (run-generated.ts compares their values to within a tolerance). */
export const INTRINSIC_CALL = /\b(LN|LOG|LOG10|LOG2|EXP|POWER|SIN|COS|TAN|COT|ASIN|ACOS|ATAN|SINH|COSH|TANH|CBRT)\s*\(/i;

/** Whether an expression reads a column of g (outside its string literals). */
const hasColumn = (e: string) => /\b(id|a|sa|mp|i|j|k|b|d|m|n|s|t|z|ts|dt|l|js)\b/.test(e.replace(/'[^']*'/g, "''"));

/** One generator per (type, form): returns the SQL of an expression of that type. */
export class ExprGen {
  constructor(private readonly r: Rng) {}

  leaf(t: T): string {
    return this.r.chance(0.7) ? this.r.pick(COLS[t]) : this.r.pick(LITS[t]);
  }

  small(): string {
    return this.r.chance(0.5) ? this.r.pick(SMALL) : this.r.chance(0.5) ? 'j' : 'k';
  }

  gen(t: T, depth: number): string {
    if (depth <= 0 || this.r.chance(0.25)) return this.leaf(t);
    const d = depth - 1;
    const forms = this.forms(t, d);
    return this.r.pick(forms)();
  }

  private num(d: number): string {
    return this.gen(this.r.pick(NUMERIC), d);
  }

  /**
   * An array or map expression that reads a column, to index: Flink 1.20 folds an index out of
   * range into a constant array to -1 (array-element-out-of-range, a listed Flink bug).
   */
  private collection(t: 'ARRAY' | 'SARRAY' | 'MAP', d: number): string {
    const e = this.gen(t, d);
    // Nor a MAP_FROM_ARRAYS: Flink 1.20 fails to index one (gen-map-from-arrays-index-class-cast, a Flink bug).
    // Nor a CASE/IF whose column is only in its condition: Flink folds one of two equal constant
    // branches to that constant (gen-map-missing-key-constant-folded).
    const folds = /^(CASE|IF)\b/.test(e) && !/\b(a|sa|mp)\b/.test(e.replace(/'[^']*'/g, "''"));
    return hasColumn(e) && !folds && !e.includes('MAP_FROM_ARRAYS') ? e : COLS[t][0];
  }

  /**
   * The argument of a narrowing CAST: not a bare JSON_VALUE, whose boxed result Flink 1.20's
   * generated code casts to the primitive (CompileException: Cannot cast "java.lang.Integer" to
   * "short"; gen-cast-json-value-narrowing-codegen, a Flink bug): the type's column instead.
   */
  private castArg(t: T, d: number): string {
    const e = this.gen(t, d);
    return e.startsWith('JSON_VALUE(') ? COLS[t][0] : e;
  }

  /**
   * An INT element of ARRAY[…] / MAP[…]: TINYINT + SMALLINT (a SMALLINT) cast to INT, as Flink 1.20's
   * generated code writes the sum (a Java int) with writeShort(int, short) and fails to compile
   * (gen-smallint-sum-in-array-codegen, a Flink bug).
   */
  private element(d: number): string {
    const e = this.gen('INT', d);
    return /^CAST\(.* AS TINYINT\) \+ CAST\(.* AS SMALLINT\)$/.test(e) ? `CAST(${e} AS INT)` : e;
  }

  /**
   * UPPER/LOWER of a CHAR(n) string with a letter whose case mapping changes the length ('ß' is
   * 'SS'): Flink 1.20 cuts the result to the CHAR(n) (UPPER('ß') is 'S', the intended difference
   * unicode-functions / gen-upper-eszett-char-literal), so an argument with a non-ASCII literal
   * (a CHAR constant, or IF(…, 'ß', …)) goes in as STRING.
   */
  private caseMapped(fn: 'UPPER' | 'LOWER', e: string): string {
    return /[^\x00-\x7f]/.test(e) ? `${fn}(CAST(${e} AS STRING))` : `${fn}(${e})`;
  }

  /**
   * The divisor of `/`: not a constant that reads a collection (CARDINALITY(ARRAY[…])), on which
   * Flink 1.20's planner fails (ClassCastException: RexCall cannot be cast to RexLiteral;
   * gen-divide-by-constant-collection-planner-class-cast, a Flink bug), nor one holding a TRY_CAST
   * (the same failure, gen-divide-by-constant-try-cast-planner-class-cast): one plus 0 * k then.
   */
  private divisor(e: string): string {
    return !hasColumn(e) && /\b(ARRAY|MAP|TRY_CAST)/.test(e) ? `(${e} + 0 * k)` : e;
  }

  /**
   * An INT needle of ARRAY_CONTAINS, made nullable: Flink 1.20 reads the array's elements with the
   * needle's type, so with a NOT NULL needle (a literal, COALESCE, CASE) it fails on a NULL element
   * read from a source (NullPointerException) and reads one of a constant array as 0
   * (gen-array-contains-not-null-needle, a Flink bug).
   */
  private needle(d: number): string {
    return `(${this.gen('INT', d)} + 0 * k)`;
  }

  /**
   * An argument of COALESCE: of DATE not a COALESCE itself, whose arguments may all be constants
   * (not reading dt): Flink 1.20 fails to compile COALESCE(COALESCE(CAST(NULL AS DATE), DATE
   * '2024-03-10' + INTERVAL '1' DAY), dt), in either position, any DATE arithmetic inside
   * (gen-nested-coalesce-date-minus-month-codegen, a Flink bug); with dt inside both agree
   * (gen-nested-coalesce-date-column-agrees).
   */
  private coalesceArg(t: T, d: number): string {
    const e = this.gen(t, d);
    return t === 'DATE' && e.startsWith('COALESCE(') && !/\bdt\b/.test(e) ? 'dt' : e;
  }

  /**
   * The condition of CASE/IF: not one with JSON_EXISTS … UNKNOWN ON ERROR or JSON_VALUE … RETURNING
   * BOOLEAN, whose NULL fails Flink 1.20's job (NullPointerException: Boolean.booleanValue();
   * gen-case-json-exists-unknown-on-error, gen-case-json-value-boolean-null, a Flink bug): z instead.
   * Also a query's WHERE, where such a NULL fails Flink's job the same way (gen-where-json-value-boolean-null).
   */
  condition(d: number): string {
    const e = this.gen('BOOLEAN', d);
    return e.includes('UNKNOWN ON ERROR') || e.includes('RETURNING BOOLEAN') ? 'z' : e;
  }

  /**
   * COALESCE of two: not starting with a NULLIF, CASE, IF or COALESCE, which Flink 1.20's planner may
   * simplify to a NOT NULL constant and then fail (AssertionError: Cannot add expression of different
   * type to set; gen-coalesce-nullif-constant-planner-assertion, a Flink bug): the two swapped, or the
   * type's column first. Of MAPs, none holding a BIGINT value (DAYOFMONTH): Flink fails on COALESCE of
   * maps of different value types (gen-coalesce-map-value-types-planner): mp instead.
   */
  private coalesce(t: T, d: number): string {
    let a = this.coalesceArg(t, d);
    let b = this.coalesceArg(t, d);
    if (t === 'MAP') {
      if (a.includes('DAYOFMONTH')) a = 'mp';
      if (b.includes('DAYOFMONTH')) b = 'mp';
    }
    const simplified = (e: string) => /^(CAST\()*(NULLIF|CASE|IF|COALESCE)\b/.test(e);
    if (simplified(a)) {
      if (!simplified(b)) [a, b] = [b, a];
      else a = COLS[t][0];
    }
    return `COALESCE(${a}, ${b})`;
  }

  /** Text to read as JSON: mostly the js column, also plain strings and built JSON. */
  private jsonText(d: number): string {
    return this.r.chance(0.7) ? 'js' : this.r.pick(['s', `'{"a": [1, {"b": null}], "x": "y"}'`, "'[]'", "'{}'", "'1'", `'{"a": 1,}'`, `JSON_OBJECT(KEY 'a' VALUE ${this.gen('INT', d)})`]);
  }

  private jsonPath(): string {
    return `'${this.r.pick(JSON_PATHS)}'`;
  }

  /** JSON_VALUE(…) returning a value of type `t`, with random ON EMPTY / ON ERROR behaviours. */
  private jsonValue(ret: string, dflt: string, d: number): string {
    const beh = () => (this.r.chance(0.1) ? 'ERROR' : this.r.chance(0.5) ? 'NULL' : `DEFAULT ${dflt}`);
    const empty = this.r.chance(0.4) ? ` ${beh()} ON EMPTY` : '';
    const error = this.r.chance(0.4) ? ` ${beh()} ON ERROR` : '';
    const returning = ret === 'STRING' && this.r.chance(0.5) ? '' : ` RETURNING ${ret}`;
    return `JSON_VALUE(${this.jsonText(d)}, ${this.jsonPath()}${returning}${empty}${error})`;
  }

  private jsonQuery(d: number): string {
    const wrapper = this.r.pick(['', '', ' WITHOUT ARRAY WRAPPER', ' WITH ARRAY WRAPPER', ' WITH CONDITIONAL ARRAY WRAPPER', ' WITH UNCONDITIONAL ARRAY WRAPPER']);
    const beh = () => (this.r.chance(0.1) ? 'ERROR' : this.r.pick(['NULL', 'EMPTY ARRAY', 'EMPTY OBJECT']));
    const empty = this.r.chance(0.4) ? ` ${beh()} ON EMPTY` : '';
    const error = this.r.chance(0.4) ? ` ${beh()} ON ERROR` : '';
    return `JSON_QUERY(${this.jsonText(d)}, ${this.jsonPath()}${wrapper}${empty}${error})`;
  }

  /** A value for JSON_OBJECT / JSON_ARRAY / JSON_STRING: any type, nested JSON built by them. */
  private jsonArg(d: number): string {
    if (d > 0 && this.r.chance(0.2)) return this.r.chance(0.5) ? this.jsonObject(d - 1) : this.jsonArray(d - 1);
    return this.gen(this.r.pick(TYPES), d);
  }

  private onNull(): string {
    return this.r.pick(['', ' NULL ON NULL', ' ABSENT ON NULL']);
  }

  private jsonObject(d: number): string {
    const n = 1 + this.r.int(3);
    const kv = Array.from({ length: n }, (_, q) => `KEY '${'kvw'[q]}' VALUE ${this.jsonArg(d)}`);
    return `JSON_OBJECT(${kv.join(', ')}${this.onNull()})`;
  }

  private jsonArray(d: number): string {
    const n = this.r.int(4);
    return `JSON_ARRAY(${Array.from({ length: n }, () => this.jsonArg(d)).join(', ')}${n ? this.onNull() : ''})`;
  }

  /** A TIMESTAMP_LTZ expression: from epoch numbers, from wall-clock times in the session zone. */
  private ltzText(): string {
    return this.r.pick(DST_TEXT.slice(0, 5));
  }

  private forms(t: T, d: number): (() => string)[] {
    const g = (x: T) => this.gen(x, d);
    const generic: (() => string)[] = [
      () => `CASE WHEN ${this.condition(d)} THEN ${g(t)} ELSE ${g(t)} END`,
      () => this.coalesce(t, d),
      ...(t === 'MAP' ? [] : [() => `NULLIF(${g(t)}, ${g(t)})`]),
      () => `IF(${this.condition(d)}, ${g(t)}, ${g(t)})`,
    ];
    switch (t) {
      case 'INT':
        return [
          ...generic,
          () => `(${g('INT')} + ${g('INT')})`,
          () => `(${g('INT')} - ${g('INT')})`,
          () => `(${g('INT')} * ${g('INT')})`,
          () => `(${g('INT')} / ${this.divisor(g('INT'))})`,
          () => `MOD(${g('INT')}, ${g('INT')})`,
          () => `(${g('INT')} % ${g('INT')})`,
          () => `ABS(${g('INT')})`,
          () => `(-${g('INT')})`,
          () => `SIGN(${g('INT')})`,
          () => `CHAR_LENGTH(${g('STRING')})`,
          // Flink 1.20 parses only an atomic expression before IN (gen-position-parenthesized-needle-parse,
          // gen-position-subscript-needle-parse): a CAST of a parenthesized or subscripted one.
          () => {
            const x = g('STRING');
            return `POSITION(${x.startsWith('(') || x.endsWith(']') ? `CAST(${x} AS STRING)` : x} IN ${g('STRING')})`;
          },
          () => `CAST(${this.castArg('DOUBLE', d)} AS INT)`,
          () => `CAST(${g('DECIMAL')} AS INT)`,
          () => `CAST(${this.castArg('BIGINT', d)} AS INT)`,
          () => `TRY_CAST(${g('STRING')} AS INT)`,
          () => `EXTRACT(${this.r.pick(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'QUARTER', 'DOW', 'DOY', 'WEEK'])} FROM ${g('TIMESTAMP')})`.replace(/^/, 'CAST(') + ' AS INT)',
          () => `ASCII(${g('STRING')})`,
          () => `CAST(${this.castArg('INT', d)} AS TINYINT) + CAST(${this.castArg('INT', d)} AS SMALLINT)`,
          () => `TIMESTAMPDIFF(${this.r.pick(['DAY', 'HOUR', 'MONTH', 'YEAR', 'MINUTE'])}, ${g('TIMESTAMP')}, ${g('TIMESTAMP')})`,
          () => `DAYOFMONTH(${g('DATE')})`,
          // (BIT_LENGTH was here: a function neither Flink 1.20 nor tsstream has; INSTR takes as many draws.)
          () => `INSTR(${g('STRING')}, 'b')`,
          () => `CARDINALITY(${g(this.r.pick(['ARRAY', 'SARRAY', 'MAP'] as T[]))})`,
          () => `${this.collection('ARRAY', d)}[${this.r.pick(['1', '2', '3', '4', 'k', 'j'])}]`,
          () => `${this.collection('MAP', d)}[${this.r.pick(["'a'", "'b'", "'c'", "'z'", 't', 's'])}]`,
          () => `ARRAY_POSITION(${g('ARRAY')}, ${g('INT')})`,
          () => `ARRAY_POSITION(${g('SARRAY')}, ${g('STRING')})`,
          () => `${this.r.pick(['ARRAY_MAX', 'ARRAY_MIN'])}(${g('ARRAY')})`,
          () => `${this.r.pick(['ARRAY_MAX', 'ARRAY_MIN', 'CARDINALITY'])}(MAP_VALUES(${g('MAP')}))`,
          () => {
            const at = this.r.pick(['1', '2', '-1']);
            // Of an array that reads a column: of an empty constant one Flink answers -1 (gen-element-of-empty-not-null-array).
            return `ELEMENT(ARRAY_SLICE(${this.collection('ARRAY', d)}, ${at}, ${at}))`;
          },
          () => `CAST(EXTRACT(${this.r.pick(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'])} FROM ${g('LTZ')}) AS INT)`,
          () => `TIMESTAMPDIFF(${this.r.pick(['DAY', 'HOUR', 'MINUTE', 'SECOND'])}, ${g('LTZ')}, ${g('LTZ')})`,
          () => this.jsonValue('INT', this.r.pick(['0', '-1']), d),
        ];
      case 'BIGINT':
        return [
          ...generic,
          () => `(${g('BIGINT')} + ${g('BIGINT')})`,
          () => `(${g('BIGINT')} - ${g('INT')})`,
          () => `(${g('BIGINT')} * ${g('INT')})`,
          () => `(${g('BIGINT')} / ${this.divisor(g('BIGINT'))})`,
          () => `MOD(${g('BIGINT')}, ${g('INT')})`,
          () => `ABS(${g('BIGINT')})`,
          () => `CAST(${g('INT')} AS BIGINT)`,
          () => `CAST(${this.castArg('DOUBLE', d)} AS BIGINT)`,
          () => `CAST(${g('DECIMAL')} AS BIGINT)`,
          () => `TRY_CAST(${g('STRING')} AS BIGINT)`,
          () => `CAST(${g('INT')} AS BIGINT) * 1000000000`,
          () => `UNIX_TIMESTAMP(${g('STRING')})`,
          () => `(-${g('BIGINT')})`,
          () => `UNIX_TIMESTAMP(${this.r.pick([...DST_TEXT, `CAST(${g('TIMESTAMP')} AS STRING)`, `CAST(${g('LTZ')} AS STRING)`])})`,
          () => `UNIX_TIMESTAMP(${this.r.pick([...DST_TEXT, g('STRING')])}, '${this.r.pick(['yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd', 'yyyy-MM-dd HH:mm:ss.SSS'])}')`,
          () => this.jsonValue('BIGINT', '0', d),
        ];
      case 'DOUBLE':
        return [
          ...generic,
          () => `(${g('DOUBLE')} + ${this.num(d)})`,
          () => `(${g('DOUBLE')} - ${this.num(d)})`,
          () => `(${this.num(d)} * ${g('DOUBLE')})`,
          () => `(${g('DOUBLE')} / ${this.divisor(this.num(d))})`,
          () => `SQRT(${g('DOUBLE')})`,
          () => `POWER(${this.num(d)}, ${this.num(d)})`,
          () => `EXP(${g('DOUBLE')})`,
          () => `LN(${g('DOUBLE')})`,
          () => `LOG10(${this.num(d)})`,
          () => `ROUND(${g('DOUBLE')}, ${this.r.pick(SMALL)})`,
          () => `FLOOR(${g('DOUBLE')})`,
          () => `CEIL(${g('DOUBLE')})`,
          () => `ABS(${g('DOUBLE')})`,
          // Not of a JVM intrinsic's result (POWER(b, 1.25) is 5.082906940108002E23 in Flink, one ulp
          // from JavaScript's; gen-jvm-math-intrinsics): the sine of a number that large turns the ulp
          // into any value. Of the d column then.
          () => {
            const x = g('DOUBLE');
            return `SIN(${INTRINSIC_CALL.test(x) ? 'd' : x})`;
          },
          () => `ATAN2(${g('DOUBLE')}, ${g('DOUBLE')})`,
          () => `CAST(${this.num(d)} AS DOUBLE)`,
          () => `TRY_CAST(${g('STRING')} AS DOUBLE)`,
          () => `CAST(${this.castArg('INT', d)} AS FLOAT) * 1.5E0`,
          () => `DEGREES(${g('DOUBLE')})`,
          // Of a constant, Flink 1.20's planner may fail (ClassCastException: RexCall cannot be cast to
          // RexLiteral; gen-truncate-constant-planner-class-cast, a Flink bug): of the d column then.
          () => {
            const x = g('DOUBLE');
            return `TRUNCATE(${hasColumn(x) ? x : 'd'}, ${this.r.pick(SMALL)})`;
          },
          () => this.jsonValue('DOUBLE', '-1.5E0', d),
        ];
      case 'DECIMAL':
        return [
          ...generic,
          () => `(${g('DECIMAL')} + ${g('DECIMAL')})`,
          () => `(${g('DECIMAL')} - ${g(this.r.pick(['DECIMAL', 'INT'] as T[]))})`,
          () => `(${g('DECIMAL')} * ${g(this.r.pick(['DECIMAL', 'INT'] as T[]))})`,
          () => `(${g('DECIMAL')} / ${this.divisor(g(this.r.pick(['DECIMAL', 'INT'] as T[])))})`,
          () => `MOD(${g('DECIMAL')}, ${g('DECIMAL')})`,
          () => `ROUND(${g('DECIMAL')}, ${this.r.pick(SMALL)})`,
          () => `TRUNCATE(${g('DECIMAL')}, ${this.r.pick(SMALL)})`,
          () => `FLOOR(${g('DECIMAL')})`,
          () => `CEIL(${g('DECIMAL')})`,
          () => `ABS(${g('DECIMAL')})`,
          () => `(-${g('DECIMAL')})`,
          // Of an expression reading a column: Flink 1.20 drops the cast of a constant when it is widened
          // again (gen-coalesce-decimal-literal-cast-dropped, a Flink bug), and gives a constant that
          // overflows its DECIMAL a made-up value under another CAST (gen-cast-overflowing-decimal-constant-made-up-value).
          () => {
            const ty = this.r.pick(['INT', 'BIGINT', 'DOUBLE', 'DECIMAL'] as T[]);
            const x = g(ty);
            return `CAST(${hasColumn(x) ? x : COLS[ty][0]} AS DECIMAL(${this.r.pick(['10, 2', '5, 2', '38, 10', '20, 0', '3, 3'])}))`;
          },
          () => `TRY_CAST(${g('STRING')} AS DECIMAL(10, 3))`,
          () => this.jsonValue('DECIMAL(10, 2)', '0.5', d),
        ];
      case 'STRING':
        return [
          ...generic,
          () => `CONCAT(${g('STRING')}, ${g('STRING')})`,
          () => `(${g('STRING')} || ${g('STRING')})`,
          () => this.caseMapped('UPPER', g('STRING')),
          () => this.caseMapped('LOWER', g('STRING')),
          () => `TRIM(${g('STRING')})`,
          () => `LTRIM(${g('STRING')})`,
          () => `SUBSTRING(${g('STRING')}, ${this.small()}, ${this.small()})`,
          () => `SUBSTRING(${g('STRING')} FROM ${this.small()})`,
          () => `REPLACE(${g('STRING')}, ${g('STRING')}, ${g('STRING')})`,
          () => `LPAD(${g('STRING')}, ${this.small()}, ${g('STRING')})`,
          () => `RPAD(${g('STRING')}, ${this.small()}, ${g('STRING')})`,
          () => `INITCAP(${g('STRING')})`,
          () => `REPEAT(${g('STRING')}, ${this.small()})`,
          () => `LEFT(${g('STRING')}, ${this.small()})`,
          () => `RIGHT(${g('STRING')}, ${this.small()})`,
          () => `SPLIT_INDEX(${g('STRING')}, ',', ${this.small()})`,
          () => `REGEXP_REPLACE(${g('STRING')}, '[a-c]', 'X')`,
          () => `REGEXP_EXTRACT(${g('STRING')}, '([a-z]+)', 1)`,
          () => `CAST(${this.num(d)} AS STRING)`,
          () => `CAST(${g(this.r.pick(['TIMESTAMP', 'DATE', 'BOOLEAN'] as T[]))} AS STRING)`,
          () => `DATE_FORMAT(${g('TIMESTAMP')}, '${this.r.pick(['yyyy-MM-dd', 'HH:mm:ss.SSS', 'yyyyMMdd HH', 'EEE MMM'])}')`,
          () => `MD5(${g('STRING')})`,
          () => `TO_BASE64(${g('STRING')})`,
          () => `OVERLAY(${g('STRING')} PLACING ${g('STRING')} FROM ${this.r.pick(['1', '2', '3'])})`,
          () => `CHR(${this.r.pick(['65', '97', '0', '255', 'j'])})`,
          () => `REVERSE(${g('STRING')})`,
          () => `TRANSLATE(${g('STRING')}, 'abc', 'xy')`.replace('TRANSLATE', 'REPLACE').replace(", 'abc', 'xy')", ", 'a', 'xy')"),
          () => `JSON_VALUE('{"a": ' || CAST(${g('INT')} AS STRING) || '}', '$.a')`,
          () => this.jsonValue('STRING', "'dflt'", d),
          () => this.jsonQuery(d),
          () => this.jsonObject(d),
          () => this.jsonArray(d),
          () => `JSON_STRING(${this.jsonArg(d)})`,
          () => `CAST(${g('LTZ')} AS STRING)`,
          () => `DATE_FORMAT(${g('LTZ')}, '${this.r.pick(['yyyy-MM-dd HH:mm:ss', 'HH:mm:ss.SSS', 'EEE HH'])}')`,
          () => `DATE_FORMAT(${this.r.pick([...DST_TEXT, g('STRING')])}, '${this.r.pick(['yyyy-MM-dd', 'HH:mm'])}')`,
          () => `CONVERT_TZ(${this.r.pick([...DST_TEXT, `CAST(${g('TIMESTAMP')} AS STRING)`])}, '${this.r.pick(GEN_ZONES)}', '${this.r.pick(GEN_ZONES)}')`,
          () => `FROM_UNIXTIME(${g('INT')}${this.r.chance(0.5) ? `, '${this.r.pick(['yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd', 'HH:mm:ss'])}'` : ''})`,
          () => `ARRAY_JOIN(${g('SARRAY')}, '${this.r.pick([',', '', ' | '])}'${this.r.chance(0.5) ? `, ${g('STRING')}` : ''})`,
          () => `${this.collection('SARRAY', d)}[${this.r.pick(['1', '2', '3', 'k', 'j'])}]`,
          () => `CAST(${g(this.r.pick(['ARRAY', 'SARRAY'] as T[]))} AS STRING)`,
          () => `${this.r.pick(['ARRAY_MAX', 'ARRAY_MIN'])}(${g('SARRAY')})`,
          () => `${this.r.pick(['ARRAY_MAX', 'ARRAY_MIN'])}(MAP_KEYS(${g('MAP')}))`,
        ];
      case 'BOOLEAN': {
        const cmp = () => {
          const ct = this.r.pick(['INT', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'TIMESTAMP', 'DATE'] as T[]);
          const op = this.r.pick(['=', '<>', '<', '<=', '>', '>=']);
          const l = g(ct);
          const rr = NUMERIC.includes(ct) ? this.num(d) : g(ct);
          return `(${l} ${op} ${rr})`;
        };
        return [
          ...generic,
          cmp,
          cmp,
          () => `(${g('BOOLEAN')} AND ${g('BOOLEAN')})`,
          () => `(${g('BOOLEAN')} OR ${g('BOOLEAN')})`,
          () => `(NOT ${g('BOOLEAN')})`,
          () => `(${g(this.r.pick(['INT', 'STRING', 'DECIMAL'] as T[]))} IS NULL)`,
          // Not IS [NOT] TRUE/FALSE of a JSON_VALUE … RETURNING BOOLEAN or JSON_EXISTS … UNKNOWN ON ERROR,
          // whose NULL fails Flink 1.20's job (gen-json-value-boolean-is-true-null, a Flink bug): of z then.
          () => {
            const x = g('BOOLEAN');
            const is = this.r.pick(['TRUE', 'NOT TRUE', 'FALSE', 'NOT FALSE', 'UNKNOWN']);
            return `(${is !== 'UNKNOWN' && (x.includes('UNKNOWN ON ERROR') || x.includes('RETURNING BOOLEAN')) ? 'z' : x} IS ${is})`;
          },
          () => `(${g('STRING')} LIKE '${this.r.pick(['a%', '%b%', '_', '%', 'H_llo%'])}')`,
          () => `(${g('INT')} BETWEEN ${g('INT')} AND ${g('INT')})`,
          () => `(${g('INT')} IN (1, 2, ${g('INT')}))`,
          () => `(${g('STRING')} NOT IN ('abc', ${g('STRING')}))`,
          () => `(${g('STRING')} IS DISTINCT FROM ${g('STRING')})`,
          () => `REGEXP(${g('STRING')}, '^[A-Z]')`,
          () => `JSON_EXISTS(${this.jsonText(d)}, ${this.jsonPath()}${this.r.pick(['', '', ' TRUE ON ERROR', ' FALSE ON ERROR', ' UNKNOWN ON ERROR', ' ERROR ON ERROR'])})`,
          () => `(${this.jsonText(d)} IS ${this.r.pick(['', 'NOT '])}JSON${this.r.pick(['', ' VALUE', ' SCALAR', ' ARRAY', ' OBJECT'])})`,
          () => this.jsonValue('BOOLEAN', 'FALSE', d),
          () => `ARRAY_CONTAINS(${g('ARRAY')}, ${this.needle(d)})`,
          () => `ARRAY_CONTAINS(${g('SARRAY')}, ${g('STRING')})`,
          () => `(${g('LTZ')} ${this.r.pick(['=', '<>', '<', '>='])} ${g('LTZ')})`,
          () => `(${g(this.r.pick(['ARRAY', 'SARRAY', 'MAP'] as T[]))} IS ${this.r.pick(['', 'NOT '])}NULL)`,
          // MAP_KEYS/MAP_VALUES only where the order of a map's entries does not matter (Flink's is a hash order).
          () => (this.r.chance(0.5) ? `ARRAY_CONTAINS(MAP_KEYS(${g('MAP')}), ${this.r.pick(["'a'", "'b'", 's'])})` : `ARRAY_CONTAINS(MAP_VALUES(${g('MAP')}), ${this.r.pick(['(1 + 0 * k)', 'i'])})`),
        ];
      }
      case 'TIMESTAMP':
        return [
          ...generic,
          () => `TIMESTAMPADD(${this.r.pick(['DAY', 'HOUR', 'MONTH', 'SECOND', 'YEAR'])}, ${this.small()}, ${g('TIMESTAMP')})`,
          () => `(${g('TIMESTAMP')} + INTERVAL '${this.r.pick(['1', '25', '59'])}' ${this.r.pick(['HOUR', 'MINUTE', 'DAY', 'MONTH'])})`,
          () => `(${g('TIMESTAMP')} - INTERVAL '1' ${this.r.pick(['SECOND', 'YEAR', 'DAY'])})`,
          () => `CAST(${g('DATE')} AS TIMESTAMP(3))`,
          // TO MONTH/YEAR from 1970 on: Flink 1.20 floors a timestamp before 1970 from the next day
          // (gen-floor-timestamp-before-1970-to-month, a Flink bug).
          () => {
            const x = g('TIMESTAMP');
            const unit = this.r.pick(['HOUR', 'DAY', 'MONTH', 'MINUTE', 'YEAR']);
            return `FLOOR(${unit === 'MONTH' || unit === 'YEAR' ? `GREATEST(${x}, TIMESTAMP '1970-01-01 00:00:00')` : x} TO ${unit})`;
          },
          () => `CEIL(${g('TIMESTAMP')} TO ${this.r.pick(['HOUR', 'DAY', 'MINUTE'])})`,
          () => `TO_TIMESTAMP(${this.r.pick(["'2024-01-02 03:04:05'", "'2024-13-01 00:00:00'", "'x'", 'CAST(dt AS STRING)'])})`,
          () => `CAST(${g('TIMESTAMP')} AS TIMESTAMP(0))`,
          () => `CAST(${g('LTZ')} AS TIMESTAMP(3))`,
        ];
      case 'DATE':
        return [
          ...generic,
          () => `CAST(${g('TIMESTAMP')} AS DATE)`,
          () => `(${g('DATE')} + INTERVAL ${this.r.pick(["'1' DAY", "'31' DAY", "'365' DAY(3)", "'365' DAY"])})`,
          () => `(${g('DATE')} - INTERVAL '1' MONTH)`,
          () => `TO_DATE(${this.r.pick(["'2024-02-30'", "'2024-02-29'", "'20240101'", 'CAST(dt AS STRING)'])})`,
          () => `TIMESTAMPADD(MONTH, ${this.small()}, ${g('DATE')})`,
          () => `CAST(${g('LTZ')} AS DATE)`,
        ];
      case 'LTZ':
        return [
          ...generic,
          () => `TO_TIMESTAMP_LTZ(${g(this.r.pick(['INT', 'BIGINT', 'DECIMAL', 'DOUBLE'] as T[]))}, ${this.r.pick(['0', '3'])})`,
          () => `CAST(${g('TIMESTAMP')} AS TIMESTAMP_LTZ(3))`,
          () => `CAST(${this.ltzText()} AS TIMESTAMP_LTZ(3))`,
          () => `TRY_CAST(${this.r.pick([...DST_TEXT, g('STRING')])} AS TIMESTAMP_LTZ(3))`,
          () => `CAST(${g('DATE')} AS TIMESTAMP_LTZ(3))`,
          () => `(${g('LTZ')} ${this.r.pick(['+', '-'])} INTERVAL '${this.r.pick(['1', '25', '59'])}' ${this.r.pick(['HOUR', 'MINUTE', 'DAY', 'MONTH'])})`,
          () => `TIMESTAMPADD(${this.r.pick(['DAY', 'HOUR', 'MONTH', 'SECOND'])}, ${this.small()}, ${g('LTZ')})`,
          // Not to DAY or MONTH, nor CEIL: Flink floors in the offset of the instant it starts from,
          // wrong across a DST change (gen-ltz-floor-ceil-across-dst, a listed Flink bug).
          () => `FLOOR(${g('LTZ')} TO HOUR)`,
        ];
      case 'ARRAY':
        return [
          ...generic,
          () => `ARRAY[${Array.from({ length: 1 + this.r.int(3) }, () => this.element(d)).join(', ')}]`,
          () => `${this.r.pick(['ARRAY_DISTINCT', 'ARRAY_REVERSE'])}(${g('ARRAY')})`,
          () => `${this.r.pick(['ARRAY_CONCAT', 'ARRAY_UNION'])}(${g('ARRAY')}, ${g('ARRAY')})`,
          () => `ARRAY_SLICE(${g('ARRAY')}, ${this.r.pick(['0', '1', '2', '-1', '-5', 'j'])}${this.r.chance(0.5) ? `, ${this.r.pick(['1', '2', '-1', '5', 'k'])}` : ''})`,
          () => `ARRAY_REMOVE(${g('ARRAY')}, ${g('INT')})`,
        ];
      case 'SARRAY':
        return [
          ...generic,
          () => `ARRAY[${Array.from({ length: 1 + this.r.int(3) }, () => g('STRING')).join(', ')}]`,
          () => `${this.r.pick(['ARRAY_DISTINCT', 'ARRAY_REVERSE'])}(${g('SARRAY')})`,
          () => `${this.r.pick(['ARRAY_CONCAT', 'ARRAY_UNION'])}(${g('SARRAY')}, ${g('SARRAY')})`,
          () => `ARRAY_SLICE(${g('SARRAY')}, ${this.r.pick(['1', '2', '-1'])}, ${this.r.pick(['1', '2', '5'])})`,
          () => `ARRAY_REMOVE(${g('SARRAY')}, ${g('STRING')})`,
        ];
      case 'MAP':
        return [
          ...generic,
          () => `MAP['a', ${this.element(d)}${this.r.chance(0.6) ? `, '${this.r.pick(['b', 'a'])}', ${this.element(d)}` : ''}]`,
          () => `MAP_FROM_ARRAYS(ARRAY['a', 'b'], ARRAY[${this.element(d)}, ${this.element(d)}])`,
        ];
    }
  }
}


/** `count` expressions over table g, depth 1..3. */
export function generateExpressions(seed: number, count: number): string[] {
  const r = new Rng(seed);
  const g = new ExprGen(r);
  return Array.from({ length: count }, () => g.gen(r.pick(TYPES), 1 + r.int(3)));
}

/** The batch query of expressions over g: id first, so rows align by id. */
export function expressionCase(seed: number, index: number, exprs: string[], zone = 'UTC'): DiffCase {
  return {
    name: `gen-${seed}-expr-${index}`,
    file: `seed ${seed}`,
    mode: 'batch',
    vitest: false,
    tables: [GEN_TABLE],
    statements: [...(zone === 'UTC' ? [] : [`SET 'table.local-time-zone' = '${zone}'`]), `SELECT id, ${exprs.map((e, k) => `${e} AS c${k}`).join(', ')} FROM g`],
  };
}

/** Aggregations, window aggregations and joins over random expressions (one query each). */
export function generateRelational(seed: number, count: number): DiffCase[] {
  const r = new Rng(seed ^ 0x5bd1e995);
  const g = new ExprGen(r);
  const out: DiffCase[] = [];
  const aggOf = (t: T, e: string): string => {
    const fns = t === 'STRING' || t === 'BOOLEAN' || t === 'TIMESTAMP' || t === 'DATE' ? ['MIN', 'MAX', 'COUNT', 'COUNT DISTINCT', 'FIRST_VALUE', 'LAST_VALUE'] : ['SUM', 'MIN', 'MAX', 'AVG', 'COUNT', 'COUNT DISTINCT', 'SUM DISTINCT'];
    const f = r.pick(fns);
    return f.endsWith('DISTINCT') ? `${f.split(' ')[0]}(DISTINCT ${e})` : `${f}(${e})`;
  };
  // FIRST_VALUE/LAST_VALUE depend on row order in batch: only where a group has a single row.
  const safeAgg = (t: T, e: string) => aggOf(t, e).replace(/^(FIRST_VALUE|LAST_VALUE)\((.*)\)$/, 'MAX($2)');
  for (let q = 0; q < count; q++) {
    const kind = r.pick(['group', 'group', 'global', 'tumble', 'hop', 'join', 'join-left']);
    const name = `gen-${seed}-${kind}-${q}`;
    const base = { name, file: `seed ${seed}`, vitest: false };
    if (kind === 'group' || kind === 'global') {
      const aggs = Array.from({ length: 6 }, (_, k) => {
        const t = r.pick(REL_TYPES);
        return `${safeAgg(t, g.gen(t, 1 + r.int(2)))} AS a${k}`;
      });
      const key = r.pick(['k', 'z', 'MOD(id, 3)', 't', 'CAST(dt AS STRING)']);
      const where = r.chance(0.4) ? ` WHERE ${g.condition(2)}` : '';
      const mode = r.chance(0.5) ? 'streaming' : 'batch';
      const sql = kind === 'global' ? `SELECT ${aggs.join(', ')} FROM g${where}` : `SELECT ${key} AS gk, ${aggs.join(', ')} FROM g${where} GROUP BY ${key}`;
      out.push({ ...base, mode, tables: [GEN_TABLE], statements: [sql] });
    } else if (kind === 'tumble' || kind === 'hop') {
      const ev = new ExprGen(r);
      const ex = (): { t: T; e: string } => {
        const pool: { t: T; e: string }[] = [
          { t: 'INT', e: r.pick(['v', 'k', 'v * k', 'COALESCE(v, -1)', 'ABS(v)', 'v + id']) },
          { t: 'DOUBLE', e: r.pick(['x', 'x * 2', 'ROUND(x, 1)']) },
          { t: 'DECIMAL', e: r.pick(['m', 'm * 2', 'm / 3', 'CAST(m AS DECIMAL(12, 4))']) },
          { t: 'STRING', e: r.pick(['s', 'UPPER(s)', 'CONCAT(s, CAST(k AS STRING))']) },
        ];
        void ev;
        return r.pick(pool);
      };
      const aggs = Array.from({ length: 5 }, (_, k) => {
        const { t, e } = ex();
        return `${safeAgg(t, e)} AS a${k}`;
      });
      const win = kind === 'tumble' ? `TUMBLE(TABLE e, DESCRIPTOR(ts), INTERVAL '${r.pick(['30', '60', '90'])}' MINUTES)` : `HOP(TABLE e, DESCRIPTOR(ts), INTERVAL '30' MINUTES, INTERVAL '${r.pick(['60', '90'])}' MINUTES)`;
      const byKey = r.chance(0.5);
      const sql = `SELECT window_start, window_end${byKey ? ', k' : ''}, ${aggs.join(', ')} FROM TABLE(${win}) GROUP BY window_start, window_end${byKey ? ', k' : ''}`;
      out.push({ ...base, mode: 'streaming', tables: [GEN_EVENTS], statements: [sql] });
    } else {
      const cols = Array.from({ length: 6 }, () => {
        const t = r.pick(REL_TYPES);
        const e = g.gen(t, 1 + r.int(2));
        // Qualify the columns: alternately the left (a) and the right (c) side.
        const side = r.pick(['a', 'c']);
        return e.replace(/\b(id|k|i|j|b|d|m|n|s|t|z|ts|dt)\b(?!\s*\()/g, (col, _x, off: number, whole: string) => (whole[off - 1] === "'" || /'[^']*$/.test(whole.slice(0, off)) ? col : `${side}.${col}`));
      });
      const on = r.pick(['a.k = c.k', 'a.j = c.i', 'a.t = c.t', 'a.k = c.k AND a.id < c.id', 'a.dt = c.dt']);
      const join = kind === 'join' ? 'JOIN' : 'LEFT JOIN';
      const sql = `SELECT a.id AS aid, c.id AS cid, ${cols.map((e, k) => `${e} AS c${k}`).join(', ')} FROM g AS a ${join} g AS c ON ${on}`;
      out.push({ ...base, mode: r.chance(0.5) ? 'streaming' : 'batch', tables: [GEN_TABLE], statements: [sql] });
    }
  }
  return out;
}
