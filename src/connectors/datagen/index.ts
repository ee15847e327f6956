// The 'datagen' connector, as Flink's: generated rows at rows-per-second, unbounded unless
// number-of-rows is set or a field is a sequence (then it ends when the shortest sequence does).
// Per field: fields.<name>.kind = random | sequence; random numbers in [min, max] (defaults:
// the type's range; FLOAT/DOUBLE as Flink, [MIN_VALUE, MAX_VALUE]); random strings/bytes of
// `length` (hex characters, as Flink's nextHexString; var-len = random length 1..length);
// timestamps now − random(0..max-past); sequences from start to end; null-rate.
// tsstream adds `seed`: the same seed gives the same rows (except timestamps, which follow the
// clock). snapshotState holds the rows emitted and the generator state, so a restored source
// continues the sequences and the random stream exactly.
import { isNanosType } from '../../common/nanos.js';
import { randomBytes } from 'node:crypto';
import { ValidationError, suggestion } from '../../common/errors.js';
import type { ConnectorFactory, DynamicSource, RuntimeContext, ScanRequest, SourceBatch, TableDescriptor } from '../../common/connector.js';
import { getOption, parseDuration, validateOptions, type OptionSpec } from '../../common/options.js';
import { formatType, type Field, type LogicalType, type Row } from '../../common/types.js';
import { canonical, decFromDouble, LONG_MAX, LONG_MIN, type Exact } from '../../common/exact.js';

/** A generated integral double as a BIGINT value (canonical: a bigint beyond 2^53, clamped to the long range). */
function exactLong(x: number): Exact {
  if (Number.isSafeInteger(x)) return x;
  const b = BigInt(Math.trunc(x));
  return canonical(b > LONG_MAX ? LONG_MAX : b < LONG_MIN ? LONG_MIN : b);
}
import { withoutConnector } from '../filesystem/options.js';

export const DATAGEN_OPTIONS: readonly OptionSpec[] = [
  { key: 'rows-per-second', type: 'int', default: '10000', description: 'Rows generated per second (a rate limit)' },
  { key: 'number-of-rows', type: 'int', description: 'Total rows to generate; the source is unbounded when absent (unless a field is a sequence)' },
  { key: 'seed', type: 'int', description: 'tsstream: seed of the random generator, for reproducible data' },
  { key: 'fields.', type: 'string', prefix: true, description: 'Per-field generator options: fields.<name>.kind|min|max|max-past|length|var-len|start|end|null-rate' },
];

const FIELD_KEYS = ['kind', 'min', 'max', 'max-past', 'length', 'var-len', 'start', 'end', 'null-rate'];

/** xoshiro128** — small, fast, with a state that fits in a checkpoint. */
export class Rng {
  s: Uint32Array;
  constructor(seed: number | number[]) {
    this.s = new Uint32Array(4);
    if (Array.isArray(seed)) this.s.set(seed);
    else {
      let x = seed >>> 0;
      for (let i = 0; i < 4; i++) {
        // splitmix32
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        this.s[i] = (z ^ (z >>> 16)) >>> 0;
      }
      if (this.s.every((v) => v === 0)) this.s[0] = 1;
    }
  }
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
  /** Uniform in [0, 1) with 53 bits. */
  nextDouble(): number {
    return ((this.nextU32() >>> 5) * 67108864 + (this.nextU32() >>> 6)) / 9007199254740992;
  }
  /** Uniform integer in [min, max]. */
  nextInt(min: number, max: number): number {
    return min + Math.floor(this.nextDouble() * (max - min + 1));
  }
  state(): number[] {
    return [...this.s];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

type Gen = (rng: Rng, index: number, nowMs: number) => unknown;

interface FieldSpec {
  name: string;
  type: LogicalType;
  opts: Record<string, string>;
}

const INT_RANGE: Record<string, [number, number]> = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INT: [-2147483648, 2147483647],
  BIGINT: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  INTERVAL_DAY_TIME: [0, Number.MAX_SAFE_INTEGER],
  INTERVAL_YEAR_MONTH: [0, 2147483647],
};

function num(what: string, text: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n)) throw new ValidationError(`Invalid value '${text}' for ${what}: expected a number`);
  return n;
}

const HEX = '0123456789abcdef';

/** A generator and, for sequences, its length. */
function makeGenerator(f: FieldSpec): { gen: Gen; seqLength?: number } {
  const o = f.opts;
  const key = (k: string) => `option 'fields.${f.name}.${k}'`;
  const kind = (o['kind'] ?? 'random').trim();
  if (kind !== 'random' && kind !== 'sequence') throw new ValidationError(`Invalid value '${kind}' for ${key('kind')}: expected 'random' or 'sequence'`);
  const nullRate = o['null-rate'] !== undefined ? num(key('null-rate'), o['null-rate']) : 0;
  if (nullRate < 0 || nullRate > 1) throw new ValidationError(`${key('null-rate')} must be between 0 and 1`);
  const allowed = new Set<string>(['kind', 'null-rate']);
  let base: Gen;
  let seqLength: number | undefined;
  const t = f.type;
  if (kind === 'sequence') {
    allowed.add('start').add('end');
    const isNum = t.kind in INT_RANGE || t.kind === 'FLOAT' || t.kind === 'DOUBLE' || t.kind === 'DECIMAL';
    const isStr = t.kind === 'CHAR' || t.kind === 'VARCHAR';
    if (!isNum && !isStr) throw new ValidationError(`Field '${f.name}' of type ${formatType(t)} does not support kind 'sequence' (numeric and string types do)`);
    if (o['start'] === undefined || o['end'] === undefined) {
      throw new ValidationError(`Field '${f.name}' with kind 'sequence' needs ${key('start')} and ${key('end')}`);
    }
    const start = num(key('start'), o['start']);
    const end = num(key('end'), o['end']);
    if (end < start) throw new ValidationError(`${key('end')} (${end}) must not be less than ${key('start')} (${start})`);
    seqLength = Math.floor(end - start) + 1;
    const dscale = t.kind === 'DECIMAL' ? t.scale : -1;
    base = isStr
      ? (_r, i) => String(start + i)
      : dscale >= 0
        ? (_r, i) => decFromDouble(start + i, 38, dscale) ?? null // DECIMAL: the unscaled value
        : t.kind === 'BIGINT'
          ? (_r, i) => exactLong(start + i)
          : (_r, i) => start + i;
  } else {
    switch (t.kind) {
      case 'BOOLEAN':
        base = (r) => (r.nextU32() & 1) === 1;
        break;
      case 'TINYINT':
      case 'SMALLINT':
      case 'INT':
      case 'BIGINT':
      case 'INTERVAL_DAY_TIME':
      case 'INTERVAL_YEAR_MONTH': {
        allowed.add('min').add('max');
        const [lo, hi] = INT_RANGE[t.kind];
        const min = o['min'] !== undefined ? num(key('min'), o['min']) : lo;
        const max = o['max'] !== undefined ? num(key('max'), o['max']) : hi;
        if (max < min) throw new ValidationError(`${key('max')} (${max}) must not be less than ${key('min')} (${min})`);
        base = t.kind === 'BIGINT' ? (r) => exactLong(r.nextInt(min, max)) : (r) => r.nextInt(min, max);
        break;
      }
      case 'FLOAT':
      case 'DOUBLE':
      case 'DECIMAL': {
        allowed.add('min').add('max');
        const dflt: [number, number] =
          t.kind === 'FLOAT' ? [1.401298464324817e-45, 3.4028234663852886e38] : t.kind === 'DOUBLE' || t.kind !== 'DECIMAL' ? [Number.MIN_VALUE, Number.MAX_VALUE] : [0, 10 ** (t.precision - t.scale) - 1];
        const min = o['min'] !== undefined ? num(key('min'), o['min']) : dflt[0];
        const max = o['max'] !== undefined ? num(key('max'), o['max']) : dflt[1];
        if (max < min) throw new ValidationError(`${key('max')} (${max}) must not be less than ${key('min')} (${min})`);
        const scale = t.kind === 'DECIMAL' ? t.scale : -1;
        const fl = t.kind === 'FLOAT';
        base = (r) => {
          const v = min + r.nextDouble() * (max - min);
          return scale >= 0 ? (decFromDouble(v, 38, scale) ?? null) : fl ? Math.fround(v) : v;
        };
        break;
      }
      case 'CHAR':
      case 'VARCHAR':
      case 'BINARY':
      case 'VARBINARY': {
        allowed.add('length').add('var-len');
        const fixed = t.kind === 'CHAR' || t.kind === 'BINARY';
        const length = o['length'] !== undefined ? num(key('length'), o['length']) : fixed ? t.length : Math.min(100, t.length);
        if (!Number.isInteger(length) || length < 0) throw new ValidationError(`${key('length')} must be a non-negative integer`);
        const varLen = (o['var-len'] ?? 'false').trim().toLowerCase() === 'true';
        const str = t.kind === 'CHAR' || t.kind === 'VARCHAR';
        base = (r) => {
          const n = varLen && length > 0 ? r.nextInt(1, length) : length;
          if (str) {
            let s = '';
            for (let i = 0; i < n; i++) s += HEX[r.nextU32() & 15];
            return s;
          }
          const b = new Uint8Array(n);
          for (let i = 0; i < n; i++) b[i] = r.nextU32() & 255;
          return b;
        };
        break;
      }
      case 'DATE': {
        allowed.add('max-past');
        const pastDays = o['max-past'] !== undefined ? Math.floor(durationMs(key('max-past'), o['max-past']) / 86_400_000) : 0;
        base = (r, _i, now) => Math.floor(now / 86_400_000) - (pastDays > 0 ? r.nextInt(0, pastDays) : 0);
        break;
      }
      case 'TIME':
        base = (r) => r.nextInt(0, 86_399_999) * 1000;
        break;
      case 'TIMESTAMP':
      case 'TIMESTAMP_LTZ': {
        allowed.add('max-past');
        const past = o['max-past'] !== undefined ? durationMs(key('max-past'), o['max-past']) : 0;
        // Micros (a number); TIMESTAMP(7..9) holds nanos (a bigint).
        base = isNanosType(t)
          ? (r, _i, now) => BigInt(now - (past > 0 ? r.nextInt(0, past) : 0)) * 1_000_000n
          : (r, _i, now) => (now - (past > 0 ? r.nextInt(0, past) : 0)) * 1000;
        break;
      }
      case 'ARRAY': {
        allowed.add('length');
        const length = o['length'] !== undefined ? num(key('length'), o['length']) : 3;
        const el = makeGenerator({ name: `${f.name}.element`, type: t.element, opts: {} }).gen;
        base = (r, i, now) => {
          const a = new Array(length);
          for (let k = 0; k < length; k++) a[k] = el(r, i, now);
          return a;
        };
        break;
      }
      case 'MAP': {
        allowed.add('length');
        const length = o['length'] !== undefined ? num(key('length'), o['length']) : 3;
        const kg = makeGenerator({ name: `${f.name}.key`, type: t.key, opts: {} }).gen;
        const vg = makeGenerator({ name: `${f.name}.value`, type: t.value, opts: {} }).gen;
        base = (r, i, now) => {
          const m = new Map<unknown, unknown>();
          for (let k = 0; k < length; k++) m.set(kg(r, i, now), vg(r, i, now));
          return m;
        };
        break;
      }
      case 'ROW': {
        const gens = t.fields.map((nf) => makeGenerator({ name: `${f.name}.${nf.name}`, type: nf.type, opts: {} }).gen);
        base = (r, i, now) => gens.map((g) => g(r, i, now));
        break;
      }
      case 'NULL':
        base = () => null;
        break;
      default: {
        const never: never = t;
        throw new ValidationError(`datagen: unsupported type ${(never as LogicalType).kind}`);
      }
    }
  }
  for (const k of Object.keys(o)) {
    if (!allowed.has(k)) {
      throw new ValidationError(
        `Option 'fields.${f.name}.${k}' does not apply to field '${f.name}' (${formatType(t)}, kind '${kind}'). Options for it: ${[...allowed].map((a) => `fields.${f.name}.${a}`).join(', ')}`,
      );
    }
  }
  const gen: Gen = nullRate > 0 ? (r, i, now) => (r.nextDouble() < nullRate ? null : base(r, i, now)) : base;
  return { gen, seqLength };
}

function durationMs(what: string, text: string): number {
  const d = parseDuration(text);
  if (d === undefined) throw new ValidationError(`Invalid value '${text}' for ${what}: expected a duration such as '1 min', '10s'`);
  return d;
}

export interface DatagenState {
  emitted: number;
  rng: number[];
}

const MAX_BATCH = 8192;

export class DatagenSource implements DynamicSource {
  readonly bounded: boolean;
  private readonly total: number;
  private readonly rps: number;
  private readonly gens: Gen[];
  private rng: Rng;
  private emitted = 0;
  private startMs = 0;
  private emittedAtStart = 0;
  private ctx!: RuntimeContext;
  private readonly split = 'datagen-0';

  constructor(table: TableDescriptor, scan: ScanRequest) {
    const o = table.options;
    validateOptions(`connector 'datagen' (table ${table.path.table})`, withoutConnector(o), DATAGEN_OPTIONS);
    const perField = new Map<string, Record<string, string>>();
    const names = table.physical.map((f) => f.name);
    for (const [k, v] of Object.entries(o)) {
      if (!k.startsWith('fields.')) continue;
      const rest = k.slice('fields.'.length);
      const dot = rest.lastIndexOf('.');
      const name = dot > 0 ? rest.slice(0, dot) : rest;
      const opt = dot > 0 ? rest.slice(dot + 1) : '';
      if (!names.includes(name)) {
        throw new ValidationError(`Option '${k}' names an unknown field '${name}'. Fields: ${names.join(', ')}${suggestion(name, names)}`);
      }
      if (!FIELD_KEYS.includes(opt)) {
        throw new ValidationError(`Unsupported option '${k}'. Per-field options: ${FIELD_KEYS.map((x) => `fields.${name}.${x}`).join(', ')}${suggestion(opt, FIELD_KEYS)}`);
      }
      if (!perField.has(name)) perField.set(name, {});
      perField.get(name)![opt] = v;
    }
    const fields: Field[] = table.physical;
    const built = fields.map((f) => makeGenerator({ name: f.name, type: f.type, opts: perField.get(f.name) ?? {} }));
    const projection = scan.projection ?? fields.map((_, i) => i);
    // Generate every field (so the random stream does not depend on the projection), emit the projected ones.
    this.gens = built.map((b) => b.gen);
    this.projection = projection;
    this.identity = projection.length === fields.length && projection.every((p, i) => p === i);
    const rowsOpt = getOption(o, DATAGEN_OPTIONS, 'number-of-rows');
    let total = rowsOpt !== undefined ? Number(rowsOpt) : Infinity;
    for (const b of built) if (b.seqLength !== undefined) total = Math.min(total, b.seqLength);
    this.total = total;
    this.bounded = Number.isFinite(total);
    this.rps = Number(getOption(o, DATAGEN_OPTIONS, 'rows-per-second'));
    if (this.rps <= 0) throw new ValidationError(`Option 'rows-per-second' of connector 'datagen' must be positive, got ${this.rps}`);
    const seed = getOption(o, DATAGEN_OPTIONS, 'seed');
    this.rng = new Rng(seed !== undefined ? Number(seed) : randomBytes(4).readUInt32LE(0));
    if (scan.metadataKeys?.length) throw new ValidationError(`Connector 'datagen' has no metadata columns (asked for ${scan.metadataKeys.join(', ')})`);
  }

  private readonly projection: number[];
  private readonly identity: boolean;

  async open(ctx: RuntimeContext, restoredState?: unknown): Promise<void> {
    this.ctx = ctx;
    const st = restoredState as DatagenState | undefined;
    if (st && typeof st.emitted === 'number') {
      this.emitted = st.emitted;
      if (Array.isArray(st.rng) && st.rng.length === 4) this.rng = new Rng(st.rng);
    }
    this.startMs = Date.now();
    this.emittedAtStart = this.emitted;
  }

  splits(): string[] {
    return [this.split];
  }

  snapshotState(): DatagenState {
    return { emitted: this.emitted, rng: this.rng.state() };
  }

  async poll(timeoutMs: number): Promise<SourceBatch[] | null> {
    if (this.emitted >= this.total) return null;
    let allowed = this.allowed();
    if (allowed <= 0) {
      const untilNext = Math.ceil(((this.emitted - this.emittedAtStart) * 1000) / this.rps) - (Date.now() - this.startMs);
      const wait = Math.min(Math.max(1, untilNext), Math.max(0, timeoutMs));
      if (wait > 0) await sleep(wait, this.ctx.signal);
      allowed = this.allowed();
      if (allowed <= 0) return [];
    }
    const n = Math.min(allowed, MAX_BATCH, this.total - this.emitted);
    const rows = new Array<Row>(n);
    const gens = this.gens;
    const proj = this.projection;
    const now = Date.now();
    const identity = this.identity;
    const full = identity ? undefined : new Array(gens.length);
    for (let r = 0; r < n; r++) {
      const idx = this.emitted + r;
      if (identity) {
        const row = new Array(gens.length);
        for (let i = 0; i < gens.length; i++) row[i] = gens[i](this.rng, idx, now);
        rows[r] = row;
      } else {
        for (let i = 0; i < gens.length; i++) full![i] = gens[i](this.rng, idx, now);
        const out = new Array(proj.length);
        for (let j = 0; j < proj.length; j++) out[j] = full![proj[j]];
        rows[r] = out;
      }
    }
    this.emitted += n;
    return [{ split: this.split, rows }];
  }

  private allowed(): number {
    const elapsed = Date.now() - this.startMs;
    // Row k (counted from open) is due at k * 1000 / rps ms: the first one at once.
    return Math.floor((elapsed * this.rps) / 1000) + 1 - (this.emitted - this.emittedAtStart);
  }

  async close(): Promise<void> {}
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export const datagenFactory: ConnectorFactory = {
  identifier: 'datagen',
  description: "Generated rows (Flink's datagen): random or sequence values per field, at rows-per-second, bounded by number-of-rows",
  options: DATAGEN_OPTIONS,
  createSource: (table, scan) => new DatagenSource(table, scan),
  // Bounded by number-of-rows, or by the shortest sequence field.
  isBounded: (table) =>
    getOption(table.options, DATAGEN_OPTIONS, 'number-of-rows') !== undefined ||
    Object.entries(table.options).some(([k, v]) => /^fields\.[^.]+\.kind$/.test(k) && v.trim().toLowerCase() === 'sequence'),
};
