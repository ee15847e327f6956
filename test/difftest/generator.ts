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
  schema: '(id INT, k INT, i INT, j INT, b BIGINT, d DOUBLE, m DECIMAL(10, 2), n DECIMAL(20, 4), s STRING, t STRING, z BOOLEAN, ts TIMESTAMP(3), dt DATE)',
  rows: [
    { id: 1, k: 1, i: 1, j: 2, b: 10, d: 1.5, m: '12.34', n: '1.0001', s: 'abc', t: 'b', z: true, ts: '2024-01-01 10:00:00.123', dt: '2024-01-01' },
    { id: 2, k: 2, i: 0, j: -3, b: -7, d: -2.25, m: '-0.50', n: '-123456.7890', s: 'Hello World', t: 'o', z: false, ts: '2024-02-29 23:59:59.999', dt: '2024-02-29' },
    { id: 3, k: 0, i: 2147483647, j: 1, b: 9223372036854775807n, d: 1e300, m: '99999999.99', n: '9999999999999999.9999', s: '', t: '', z: true, ts: '1970-01-01 00:00:00', dt: '1970-01-01' },
    { id: 4, k: 1, i: -2147483648, j: -1, b: -9223372036854775808n, d: -0.1, m: '-99999999.99', n: '0.0001', s: '  pad  ', t: ' ', z: false, ts: '1999-12-31 23:59:59.5', dt: '1999-12-31' },
    { id: 5, k: 2, i: null, j: 7, b: null, d: null, m: null, n: null, s: null, t: 'x', z: null, ts: null, dt: null },
    { id: 6, k: 0, i: 42, j: null, b: 1234567890123456789n, d: 0, m: '0.00', n: '42.4242', s: 'a,b,,c', t: ',', z: true, ts: '2024-06-15 12:30:45.001', dt: '2024-06-15' },
    { id: 7, k: 1, i: -5, j: 3, b: 0, d: 3.141592653589793, m: '5.55', n: '-0.0005', s: 'Straße ÄÖÜ', t: 'ß', z: false, ts: '2038-01-19 03:14:07', dt: '2038-01-19' },
    { id: 8, k: 2, i: 100, j: 0, b: 4294967296, d: 123456789.125, m: '-1.01', n: '100', s: '123', t: '12', z: null, ts: '2024-01-01 10:59:59.999', dt: '2000-01-01' },
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

type T = 'INT' | 'BIGINT' | 'DOUBLE' | 'DECIMAL' | 'STRING' | 'BOOLEAN' | 'TIMESTAMP' | 'DATE';

const COLS: Record<T, string[]> = {
  INT: ['i', 'j', 'k'],
  BIGINT: ['b'],
  DOUBLE: ['d'],
  DECIMAL: ['m', 'n'],
  STRING: ['s', 't'],
  BOOLEAN: ['z'],
  TIMESTAMP: ['ts'],
  DATE: ['dt'],
};

const LITS: Record<T, string[]> = {
  INT: ['0', '1', '-1', '3', '7', '2147483647', '-2147483648', 'CAST(NULL AS INT)'],
  BIGINT: ['CAST(0 AS BIGINT)', '9223372036854775807', 'CAST(-1 AS BIGINT)', '4294967296', 'CAST(NULL AS BIGINT)'],
  DOUBLE: ['0.0E0', '1.5E0', '-2.5E0', '1.0E-3', '1.0E308', 'CAST(NULL AS DOUBLE)'],
  DECIMAL: ['0.5', '1.25', '-3.14', '12345678.901', '0.001', 'CAST(NULL AS DECIMAL(5, 2))'],
  STRING: ["'abc'", "''", "'a'", "'Hello'", "'x,y'", "'ß'", 'CAST(NULL AS STRING)'],
  BOOLEAN: ['TRUE', 'FALSE', 'CAST(NULL AS BOOLEAN)'],
  TIMESTAMP: ["TIMESTAMP '2024-03-10 01:02:03.456'", "TIMESTAMP '1970-01-01 00:00:00'", 'CAST(NULL AS TIMESTAMP(3))'],
  DATE: ["DATE '2024-03-10'", "DATE '1900-02-28'", 'CAST(NULL AS DATE)'],
};

const SMALL = ['0', '1', '2', '3', '-1', '5', '10'];
const NUMERIC: T[] = ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL'];

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

  private forms(t: T, d: number): (() => string)[] {
    const g = (x: T) => this.gen(x, d);
    const generic: (() => string)[] = [
      () => `CASE WHEN ${g('BOOLEAN')} THEN ${g(t)} ELSE ${g(t)} END`,
      () => `COALESCE(${g(t)}, ${g(t)})`,
      () => `NULLIF(${g(t)}, ${g(t)})`,
      () => `IF(${g('BOOLEAN')}, ${g(t)}, ${g(t)})`,
    ];
    switch (t) {
      case 'INT':
        return [
          ...generic,
          () => `(${g('INT')} + ${g('INT')})`,
          () => `(${g('INT')} - ${g('INT')})`,
          () => `(${g('INT')} * ${g('INT')})`,
          () => `(${g('INT')} / ${g('INT')})`,
          () => `MOD(${g('INT')}, ${g('INT')})`,
          () => `(${g('INT')} % ${g('INT')})`,
          () => `ABS(${g('INT')})`,
          () => `(-${g('INT')})`,
          () => `SIGN(${g('INT')})`,
          () => `CHAR_LENGTH(${g('STRING')})`,
          () => `POSITION(${g('STRING')} IN ${g('STRING')})`,
          () => `CAST(${g('DOUBLE')} AS INT)`,
          () => `CAST(${g('DECIMAL')} AS INT)`,
          () => `CAST(${g('BIGINT')} AS INT)`,
          () => `TRY_CAST(${g('STRING')} AS INT)`,
          () => `EXTRACT(${this.r.pick(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'QUARTER', 'DOW', 'DOY', 'WEEK'])} FROM ${g('TIMESTAMP')})`.replace(/^/, 'CAST(') + ' AS INT)',
          () => `ASCII(${g('STRING')})`,
          () => `CAST(${g('INT')} AS TINYINT) + CAST(${g('INT')} AS SMALLINT)`,
          () => `TIMESTAMPDIFF(${this.r.pick(['DAY', 'HOUR', 'MONTH', 'YEAR', 'MINUTE'])}, ${g('TIMESTAMP')}, ${g('TIMESTAMP')})`,
          () => `DAYOFMONTH(${g('DATE')})`,
          () => `BIT_LENGTH(${g('STRING')})`,
        ];
      case 'BIGINT':
        return [
          ...generic,
          () => `(${g('BIGINT')} + ${g('BIGINT')})`,
          () => `(${g('BIGINT')} - ${g('INT')})`,
          () => `(${g('BIGINT')} * ${g('INT')})`,
          () => `(${g('BIGINT')} / ${g('BIGINT')})`,
          () => `MOD(${g('BIGINT')}, ${g('INT')})`,
          () => `ABS(${g('BIGINT')})`,
          () => `CAST(${g('INT')} AS BIGINT)`,
          () => `CAST(${g('DOUBLE')} AS BIGINT)`,
          () => `CAST(${g('DECIMAL')} AS BIGINT)`,
          () => `TRY_CAST(${g('STRING')} AS BIGINT)`,
          () => `CAST(${g('INT')} AS BIGINT) * 1000000000`,
          () => `UNIX_TIMESTAMP(${g('STRING')})`,
          () => `(-${g('BIGINT')})`,
        ];
      case 'DOUBLE':
        return [
          ...generic,
          () => `(${g('DOUBLE')} + ${this.num(d)})`,
          () => `(${g('DOUBLE')} - ${this.num(d)})`,
          () => `(${this.num(d)} * ${g('DOUBLE')})`,
          () => `(${g('DOUBLE')} / ${this.num(d)})`,
          () => `SQRT(${g('DOUBLE')})`,
          () => `POWER(${this.num(d)}, ${this.num(d)})`,
          () => `EXP(${g('DOUBLE')})`,
          () => `LN(${g('DOUBLE')})`,
          () => `LOG10(${this.num(d)})`,
          () => `ROUND(${g('DOUBLE')}, ${this.r.pick(SMALL)})`,
          () => `FLOOR(${g('DOUBLE')})`,
          () => `CEIL(${g('DOUBLE')})`,
          () => `ABS(${g('DOUBLE')})`,
          () => `SIN(${g('DOUBLE')})`,
          () => `ATAN2(${g('DOUBLE')}, ${g('DOUBLE')})`,
          () => `CAST(${this.num(d)} AS DOUBLE)`,
          () => `TRY_CAST(${g('STRING')} AS DOUBLE)`,
          () => `CAST(${g('INT')} AS FLOAT) * 1.5E0`,
          () => `DEGREES(${g('DOUBLE')})`,
          () => `TRUNCATE(${g('DOUBLE')}, ${this.r.pick(SMALL)})`,
        ];
      case 'DECIMAL':
        return [
          ...generic,
          () => `(${g('DECIMAL')} + ${g('DECIMAL')})`,
          () => `(${g('DECIMAL')} - ${g(this.r.pick(['DECIMAL', 'INT'] as T[]))})`,
          () => `(${g('DECIMAL')} * ${g(this.r.pick(['DECIMAL', 'INT'] as T[]))})`,
          () => `(${g('DECIMAL')} / ${g(this.r.pick(['DECIMAL', 'INT'] as T[]))})`,
          () => `MOD(${g('DECIMAL')}, ${g('DECIMAL')})`,
          () => `ROUND(${g('DECIMAL')}, ${this.r.pick(SMALL)})`,
          () => `TRUNCATE(${g('DECIMAL')}, ${this.r.pick(SMALL)})`,
          () => `FLOOR(${g('DECIMAL')})`,
          () => `CEIL(${g('DECIMAL')})`,
          () => `ABS(${g('DECIMAL')})`,
          () => `(-${g('DECIMAL')})`,
          () => `CAST(${g(this.r.pick(['INT', 'BIGINT', 'DOUBLE', 'DECIMAL'] as T[]))} AS DECIMAL(${this.r.pick(['10, 2', '5, 2', '38, 10', '20, 0', '3, 3'])}))`,
          () => `TRY_CAST(${g('STRING')} AS DECIMAL(10, 3))`,
        ];
      case 'STRING':
        return [
          ...generic,
          () => `CONCAT(${g('STRING')}, ${g('STRING')})`,
          () => `(${g('STRING')} || ${g('STRING')})`,
          () => `UPPER(${g('STRING')})`,
          () => `LOWER(${g('STRING')})`,
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
          () => `(${g('BOOLEAN')} IS ${this.r.pick(['TRUE', 'NOT TRUE', 'FALSE', 'NOT FALSE', 'UNKNOWN'])})`,
          () => `(${g('STRING')} LIKE '${this.r.pick(['a%', '%b%', '_', '%', 'H_llo%'])}')`,
          () => `(${g('INT')} BETWEEN ${g('INT')} AND ${g('INT')})`,
          () => `(${g('INT')} IN (1, 2, ${g('INT')}))`,
          () => `(${g('STRING')} NOT IN ('abc', ${g('STRING')}))`,
          () => `(${g('STRING')} IS DISTINCT FROM ${g('STRING')})`,
          () => `REGEXP(${g('STRING')}, '^[A-Z]')`,
        ];
      }
      case 'TIMESTAMP':
        return [
          ...generic,
          () => `TIMESTAMPADD(${this.r.pick(['DAY', 'HOUR', 'MONTH', 'SECOND', 'YEAR'])}, ${this.small()}, ${g('TIMESTAMP')})`,
          () => `(${g('TIMESTAMP')} + INTERVAL '${this.r.pick(['1', '25', '59'])}' ${this.r.pick(['HOUR', 'MINUTE', 'DAY', 'MONTH'])})`,
          () => `(${g('TIMESTAMP')} - INTERVAL '1' ${this.r.pick(['SECOND', 'YEAR', 'DAY'])})`,
          () => `CAST(${g('DATE')} AS TIMESTAMP(3))`,
          () => `FLOOR(${g('TIMESTAMP')} TO ${this.r.pick(['HOUR', 'DAY', 'MONTH', 'MINUTE', 'YEAR'])})`,
          () => `CEIL(${g('TIMESTAMP')} TO ${this.r.pick(['HOUR', 'DAY', 'MINUTE'])})`,
          () => `TO_TIMESTAMP(${this.r.pick(["'2024-01-02 03:04:05'", "'2024-13-01 00:00:00'", "'x'", 'CAST(dt AS STRING)'])})`,
          () => `CAST(${g('TIMESTAMP')} AS TIMESTAMP(0))`,
        ];
      case 'DATE':
        return [
          ...generic,
          () => `CAST(${g('TIMESTAMP')} AS DATE)`,
          () => `(${g('DATE')} + INTERVAL ${this.r.pick(["'1' DAY", "'31' DAY", "'365' DAY(3)", "'365' DAY"])})`,
          () => `(${g('DATE')} - INTERVAL '1' MONTH)`,
          () => `TO_DATE(${this.r.pick(["'2024-02-30'", "'2024-02-29'", "'20240101'", 'CAST(dt AS STRING)'])})`,
          () => `TIMESTAMPADD(MONTH, ${this.small()}, ${g('DATE')})`,
        ];
    }
  }
}

const TYPES: T[] = ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BOOLEAN', 'TIMESTAMP', 'DATE'];

/** `count` expressions over table g, depth 1..3. */
export function generateExpressions(seed: number, count: number): string[] {
  const r = new Rng(seed);
  const g = new ExprGen(r);
  return Array.from({ length: count }, () => g.gen(r.pick(TYPES), 1 + r.int(3)));
}

/** The batch query of expressions over g: id first, so rows align by id. */
export function expressionCase(seed: number, index: number, exprs: string[]): DiffCase {
  return {
    name: `gen-${seed}-expr-${index}`,
    file: `seed ${seed}`,
    mode: 'batch',
    vitest: false,
    tables: [GEN_TABLE],
    statements: [`SELECT id, ${exprs.map((e, k) => `${e} AS c${k}`).join(', ')} FROM g`],
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
        const t = r.pick(TYPES);
        return `${safeAgg(t, g.gen(t, 1 + r.int(2)))} AS a${k}`;
      });
      const key = r.pick(['k', 'z', 'MOD(id, 3)', 't', 'CAST(dt AS STRING)']);
      const where = r.chance(0.4) ? ` WHERE ${g.gen('BOOLEAN', 2)}` : '';
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
        const t = r.pick(TYPES);
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
