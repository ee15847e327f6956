// Hashes, UUID and other functions without a family.
import { createHash, randomUUID } from 'node:crypto';
import type { ScalarFunctionDef } from '../api.js';
import type { AnyFn } from '../helpers.js';
import { anyNullable, checkArgs, STR_OR_BIN, STRING, INTEGER, simple, STR, BOOLEAN } from '../helpers.js';
import { formatType } from '../../common/types.js';

const hash = (name: string, algo: string): ScalarFunctionDef =>
  simple(name, `${name}(STRING | BYTES)`, [STR_OR_BIN], (a) => STRING(anyNullable(a)), () =>
    (v: string | Uint8Array) => createHash(algo).update(v).digest('hex'));

export const MD5 = hash('MD5', 'md5');
export const SHA1 = hash('SHA1', 'sha1');
export const SHA224 = hash('SHA224', 'sha224');
export const SHA256 = hash('SHA256', 'sha256');
export const SHA384 = hash('SHA384', 'sha384');
export const SHA512 = hash('SHA512', 'sha512');

export const SHA2: ScalarFunctionDef = {
  name: 'SHA2',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('SHA2', 'SHA2(STRING | BYTES, bits INT)', args, [STR_OR_BIN, INTEGER]);
    return STRING(true);
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

export const MISC_FUNCTIONS: ScalarFunctionDef[] = [
  MD5, SHA1, SHA224, SHA256, SHA384, SHA512, SHA2, UUID, TYPEOF, PARSE_URL, URL_ENCODE, URL_DECODE, IS_ALPHA, IS_DIGIT, IS_DECIMAL,
];
