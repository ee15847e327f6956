// Hashes, UUID and other functions without a family.
import { createHash, randomUUID } from 'node:crypto';
import type { ScalarFunctionDef } from '../api.js';
import type { AnyFn } from '../helpers.js';
import { anyNullable, checkArgs, STR_OR_BIN, STRING, INTEGER, simple, STR, BOOLEAN } from '../helpers.js';
import { formatType } from '../../common/types.js';
import type { LogicalType } from '../../common/types.js';
import { toBig, type Exact } from '../../common/exact.js';
import { fail } from '../helpers.js';

/** Flink types a hash as CHAR of its hex length (MD5 → CHAR(32), SHA256 → CHAR(64)). */
const hash = (name: string, algo: string, hexLength: number): ScalarFunctionDef =>
  simple(name, `${name}(STRING | BYTES)`, [STR_OR_BIN], (a) => ({ kind: 'CHAR', length: hexLength, nullable: anyNullable(a) }), () =>
    (v: string | Uint8Array) => createHash(algo).update(v).digest('hex'));

export const MD5 = hash('MD5', 'md5', 32);
export const SHA1 = hash('SHA1', 'sha1', 40);
export const SHA224 = hash('SHA224', 'sha224', 56);
export const SHA256 = hash('SHA256', 'sha256', 64);
export const SHA384 = hash('SHA384', 'sha384', 96);
export const SHA512 = hash('SHA512', 'sha512', 128);

export const SHA2: ScalarFunctionDef = {
  name: 'SHA2',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('SHA2', 'SHA2(STRING | BYTES, bits INT)', args, [STR_OR_BIN, INTEGER]);
    return { kind: 'VARCHAR', length: 128, nullable: anyNullable(args) };
  },
  create(): AnyFn {
    const algos: Record<number, string> = { 224: 'sha224', 256: 'sha256', 384: 'sha384', 512: 'sha512', 0: 'sha256' };
    return (v: string | Uint8Array, bits: number) => {
      const a = algos[bits];
      return a === undefined ? null : createHash(a).update(v).digest('hex');
    };
  },
};

export const UUID: ScalarFunctionDef = {
  name: 'UUID',
  strict: true,
  deterministic: false,
  returnType(args) {
    checkArgs('UUID', 'UUID()', args, []);
    return STRING(false);
  },
  create(): AnyFn {
    return () => randomUUID();
  },
};


/** TYPEOF(x): the argument's SQL type as Flink prints it (`INT NOT NULL`). */
export const TYPEOF: ScalarFunctionDef = {
  name: 'TYPEOF',
  strict: false,
  deterministic: true,
  returnType(args) {
    checkArgs('TYPEOF', 'TYPEOF(value[, forceSerializable BOOLEAN])', args, [() => true, () => true], 1);
    return STRING(false);
  },
  create(args): AnyFn {
    const s = formatType(args[0]);
    return () => s;
  },
};

/** PARSE_URL(url, part[, key]): HOST, PATH, QUERY, REF, PROTOCOL, FILE, AUTHORITY, USERINFO; with key the QUERY parameter. */
export const PARSE_URL: ScalarFunctionDef = {
  name: 'PARSE_URL',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('PARSE_URL', "PARSE_URL(url STRING, part STRING[, key STRING])", args, [STR, STR, STR], 2);
    return STRING(true);
  },
  create(): AnyFn {
    let lastUrl = '';
    let last: URL | null = null;
    return (u: string, part: string, key?: string) => {
      if (u !== lastUrl) {
        lastUrl = u;
        try {
          last = new URL(u);
        } catch {
          last = null;
        }
      }
      const url = last;
      if (url === null) return null;
      const query = url.search.length > 1 ? url.search.slice(1) : null;
      if (key !== undefined) {
        if (part !== 'QUERY' || query === null) return null;
        for (const kv of query.split('&')) {
          const i = kv.indexOf('=');
          if ((i < 0 ? kv : kv.slice(0, i)) === key) return i < 0 ? '' : kv.slice(i + 1);
        }
        return null;
      }
      switch (part) {
        case 'HOST':
          return url.hostname || null;
        case 'PATH':
          return url.pathname;
        case 'QUERY':
          return query;
        case 'REF':
          return url.hash.length > 1 ? url.hash.slice(1) : null;
        case 'PROTOCOL':
          return url.protocol.replace(/:$/, '');
        case 'FILE':
          return url.pathname + url.search;
        case 'AUTHORITY':
          return (url.username ? url.username + (url.password ? ':' + url.password : '') + '@' : '') + url.host;
        case 'USERINFO':
          return url.username ? url.username + (url.password ? ':' + url.password : '') : null;
        default:
          return null;
      }
    };
  },
};

export const URL_ENCODE = simple('URL_ENCODE', 'URL_ENCODE(STRING)', [STR], (a) => STRING(true), () =>
  (s: string) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()));
export const URL_DECODE = simple('URL_DECODE', 'URL_DECODE(STRING)', [STR], (a) => STRING(true), () => (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
});

const isFn = (name: string, test: (s: string) => boolean): ScalarFunctionDef => ({
  name,
  strict: false,
  deterministic: true,
  returnType(args) {
    checkArgs(name, `${name}(STRING)`, args, [STR]);
    return BOOLEAN(false);
  },
  create(): AnyFn {
    return (s: unknown) => typeof s === 'string' && s.length > 0 && test(s);
  },
});
export const IS_ALPHA = isFn('IS_ALPHA', (s) => /^\p{L}+$/u.test(s));
export const IS_DIGIT = isFn('IS_DIGIT', (s) => /^\p{Nd}+$/u.test(s));
export const IS_DECIMAL = isFn('IS_DECIMAL', (s) => /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(s));

/** Java's String.hashCode: over UTF-16 code units, 32-bit wrap-around. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Java's Long.hashCode: the two 32-bit halves XORed. */
export function javaLongHash(v: Exact): number {
  if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) return v < 0 ? ~v : v; // high half is 0 or -1
  const b = BigInt.asUintN(64, toBig(v));
  return Number(BigInt.asIntN(32, b ^ (b >> 32n)));
}

const f64 = new Float64Array(1);
const f64Bits = new Int32Array(f64.buffer);
const f32 = new Float32Array(1);
const f32Bits = new Int32Array(f32.buffer);

/** Java's BigDecimal.hashCode: 31 × BigInteger.hashCode(unscaled) + scale. */
function javaDecimalHash(u: Exact, scale: number): number {
  const big = toBig(u);
  let mag = big < 0n ? -big : big;
  const words: number[] = [];
  while (mag > 0n) {
    words.unshift(Number(mag & 0xffffffffn));
    mag >>= 32n;
  }
  let h = 0;
  for (const w of words) h = (Math.imul(h, 31) + w) | 0;
  if (big < 0n) h = -h | 0;
  return (Math.imul(31, h) + scale) | 0;
}

/** Java's TimestampData.hashCode over epoch millis and nanos of the milli. */
function javaTimestampHash(micros: number): number {
  const millis = Math.floor(micros / 1000);
  const nanoOfMilli = (micros - millis * 1000) * 1000;
  return (Math.imul(31, javaLongHash(millis)) + nanoOfMilli) | 0;
}

/** HASH_CODE(x): Flink's hash of the value, Java's hashCode of its internal data (String, Integer, Long, Double, BigDecimal, …). */
export const HASH_CODE: ScalarFunctionDef = {
  name: 'HASH_CODE',
  strict: true,
  deterministic: true,
  returnType(args) {
    const sig = 'HASH_CODE(BOOLEAN | numeric | STRING | DATE | TIME | TIMESTAMP)';
    if (args.length !== 1) fail('HASH_CODE', sig, args);
    if (!hashOf(args[0])) fail('HASH_CODE', sig, args);
    return { kind: 'INT', nullable: args[0].nullable };
  },
  create(args): AnyFn {
    return hashOf(args[0])!;
  },
};

function hashOf(t: LogicalType): ((v: any) => number) | undefined {
  switch (t.kind) {
    case 'BOOLEAN':
      return (v: boolean) => (v ? 1231 : 1237);
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'DATE':
    case 'INTERVAL_YEAR_MONTH':
      return (v: number) => v;
    case 'TIME':
      return (v: number) => Math.floor(v / 1000); // millis of the day
    case 'BIGINT':
    case 'INTERVAL_DAY_TIME':
      return t.kind === 'BIGINT' ? javaLongHash : (v: number) => javaLongHash(Math.trunc(v / 1000));
    case 'FLOAT':
      return (v: number) => {
        if (Number.isNaN(v)) return 0x7fc00000;
        f32[0] = v;
        return f32Bits[0];
      };
    case 'DOUBLE':
      return (v: number) => {
        if (Number.isNaN(v)) return 0x7ff80000;
        f64[0] = v;
        return f64Bits[0] ^ f64Bits[1];
      };
    case 'DECIMAL': {
      const scale = t.scale;
      return (v: Exact) => javaDecimalHash(v, scale);
    }
    case 'CHAR':
    case 'VARCHAR':
      // Flink 1.20 answers the absolute value of String.hashCode (asked: 'aaaaaaaaaaaaaaaa' → 1637252864).
      return (v: string) => Math.abs(javaStringHash(v)) | 0;
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return javaTimestampHash;
    default:
      return undefined;
  }
}

export const MISC_FUNCTIONS: ScalarFunctionDef[] = [
  HASH_CODE, MD5, SHA1, SHA224, SHA256, SHA384, SHA512, SHA2, UUID, TYPEOF, PARSE_URL, URL_ENCODE, URL_DECODE, IS_ALPHA, IS_DIGIT, IS_DECIMAL,
];
