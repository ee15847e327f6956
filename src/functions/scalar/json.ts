// SQL/JSON functions: JSON_VALUE, JSON_QUERY, JSON_EXISTS, IS_JSON, over a small SQL/JSON path
// subset ($, .key, ['key'], [n], [*], .*; `lax`/`strict` prefixes accepted).
import type { LogicalType } from '../../common/types.js';
import { MAX_LENGTH, formatType, withNullable } from '../../common/types.js';
import { JobError, ValidationError } from '../../common/errors.js';
import type { ScalarFunctionDef } from '../api.js';
import type { AnyFn } from '../helpers.js';
import { anyNullable, checkArgs, STR, STRING, BOOLEAN } from '../helpers.js';
import { castFunction, formatDouble, formatFloat, stringifier } from '../cast.js';
import { isNanosType } from '../../common/nanos.js';
import { formatNanosFlink, formatTimestampFlink } from '../../formats/temporal.js';
import { fail } from '../helpers.js';
import { decToJavaText, type Exact } from '../../common/exact.js';

type Step = { key: string } | { index: number } | { wildcard: true };
export interface JsonPath {
  steps: Step[];
  strict: boolean;
  /** An explicit `lax` mode (without a mode, Flink's SQL/JSON functions read a path as strict). */
  lax: boolean;
  /** Whether a step is a wildcard (Jayway: the path is indefinite). */
  indefinite: boolean;
}

/** Parses `$.a.b[0]`, `$['a b'][*]`, `lax $.x`, `strict $.y`; throws ValidationError otherwise. */
export function parseJsonPath(path: string): JsonPath {
  let p = path.trim();
  let strict = false;
  const mode = /^(lax|strict)\s+/i.exec(p);
  if (mode) {
    strict = mode[1].toLowerCase() === 'strict';
    p = p.slice(mode[0].length);
  }
  if (p[0] !== '$') throw new ValidationError(`Invalid JSON path '${path}': it must start with '$'`);
  const steps: Step[] = [];
  let i = 1;
  const bad = () => new ValidationError(`Invalid JSON path '${path}' at position ${i + 1}`);
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      i++;
      if (p[i] === '*') {
        steps.push({ wildcard: true });
        i++;
        continue;
      }
      if (p[i] === '[') continue; // `$.["a.b"]`
      if (p[i] === '"') {
        const end = p.indexOf('"', i + 1);
        if (end < 0) throw bad();
        steps.push({ key: p.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
      const m = /^[^.[\s]+/.exec(p.slice(i));
      if (!m) throw bad();
      steps.push({ key: m[0] });
      i += m[0].length;
    } else if (c === '[') {
      const end = p.indexOf(']', i);
      if (end < 0) throw bad();
      const inner = p.slice(i + 1, end).trim();
      if (inner === '*') steps.push({ wildcard: true });
      else if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else throw bad();
      i = end + 1;
    } else if (c === ' ') i++;
    else throw bad();
  }
  return { steps, strict, lax: mode !== null && !strict, indefinite: steps.some((s) => 'wildcard' in s) };
}

/**
 * A JSON number Jackson reads as a Java Double (its text has a fraction or an exponent): kept apart
 * from integers, which Jackson reads as Integer, Long or BigInteger (here a number, or a bigint
 * beyond 2^53), as Flink prints the two differently (`1.0`, `1.0E300` against `1`).
 */
export class JsonDouble {
  constructor(readonly value: number) {}
}

const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object' || v instanceof JsonDouble;

const PARSE_ERROR = Symbol('parse-error');
// A document whose text has a fraction, an exponent, a long integer or an integer-like key is read
// again by readExact (JSON.parse loses the first three and puts integer-like keys first); any
// other is JSON.parse's (its numbers are all integers below 2^53).
const NEEDS_EXACT = /\d[.eE]|\d{16}|"(?:0|[1-9]\d*)"\s*:/;

/**
 * The text of the first JSON value in `text`: Jackson (Flink's JSON reader) reads one value and
 * ignores what follows it (`{"a": 1} x` is `{"a": 1}`), only a number or a word (true, false,
 * null) at the top must end at a space or the end.
 */
function firstValue(text: string): string | undefined {
  let i = 0;
  while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  const c = text[i];
  if (c === '{' || c === '[' || c === '"') {
    let depth = 0;
    let inString = false;
    for (let k = i; k < text.length; k++) {
      const ch = text[k];
      if (inString) {
        if (ch === '\\') k++;
        else if (ch === '"') {
          inString = false;
          if (depth === 0) return text.slice(0, k + 1);
        }
      } else if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if ((ch === '}' || ch === ']') && --depth === 0) return text.slice(0, k + 1);
    }
    return undefined;
  }
  const end = /[ \t\r\n]/.exec(text.slice(i));
  return end ? text.slice(0, i + end.index) : undefined;
}

/**
 * Valid JSON text as Jackson reads it: a number with a fraction or an exponent as a JsonDouble, an
 * integer as a number (a bigint beyond 2^53, read as Jackson's Long or BigInteger), objects as Maps (keys in
 * document order, a repeated key keeping its first place and its last value, as Jackson's
 * LinkedHashMap).
 */
function readExact(text: string): unknown {
  let i = 0;
  const ws = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i));
  };
  let b = -1; // the first backslash after the string last read (Infinity: none)
  const str = (): string => {
    const start = i;
    const q = text.indexOf('"', start + 1);
    if (b < start) {
      b = text.indexOf('\\', start + 1);
      if (b < 0) b = Infinity;
    }
    if (b > q) {
      i = q + 1;
      return text.slice(start + 1, q);
    }
    i++;
    for (let c = text.charCodeAt(i++); c !== 34; c = text.charCodeAt(i++)) if (c === 92) i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): unknown => {
    ws();
    switch (text[i]) {
      case '{': {
        i++;
        const m = new Map<string, unknown>();
        ws();
        if (text[i] === '}') {
          i++;
          return m;
        }
        for (;;) {
          ws();
          const k = str();
          ws();
          i++; // ':'
          m.set(k, value());
          ws();
          if (text[i++] === '}') return m;
        }
      }
      case '[': {
        i++;
        const a: unknown[] = [];
        ws();
        if (text[i] === ']') {
          i++;
          return a;
        }
        for (;;) {
          a.push(value());
          ws();
          if (text[i++] === ']') return a;
        }
      }
      case '"':
        return str();
      case 't':
        i += 4;
        return true;
      case 'f':
        i += 5;
        return false;
      case 'n':
        i += 4;
        return null;
      default: {
        const start = i;
        let fraction = false;
        for (let c = text.charCodeAt(i); (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69; c = text.charCodeAt(++i)) {
          if (c === 46 || c === 101 || c === 69) fraction = true;
        }
        const t = text.slice(start, i);
        if (fraction) return new JsonDouble(Number(t));
        const n = Number(t);
        return Number.isSafeInteger(n) ? n + 0 : BigInt(t);
      }
    }
  };
  return value();
}

// One-entry cache: several JSON functions on the same column parse the text once per row.
let lastText: string | undefined;
let lastDoc: unknown = PARSE_ERROR;
let lastSource = ''; // the text JSON.parse read: lastText, or its first value
const NOT_READ = Symbol('not-read');
let lastExact: unknown = NOT_READ;

/** JSON.parse's reading of the text (of its first value when more follows), or PARSE_ERROR. */
function parseCached(text: string): unknown {
  if (text === lastText) return lastDoc;
  lastText = text;
  lastExact = NOT_READ;
  try {
    lastDoc = JSON.parse(text) as unknown;
    lastSource = text;
  } catch {
    lastDoc = PARSE_ERROR;
    const first = firstValue(text);
    if (first !== undefined && first.length < text.length) {
      try {
        lastDoc = JSON.parse(first) as unknown;
        lastSource = first;
      } catch {
        // invalid
      }
    }
  }
  return lastDoc;
}

/**
 * The text parseCached read last as Jackson reads it (readExact) where JSON.parse's reading may
 * differ (NEEDS_EXACT), else JSON.parse's. Read only when a result holds a number or an object:
 * reading a document twice costs.
 */
function exactDoc(): unknown {
  if (lastExact === NOT_READ) lastExact = NEEDS_EXACT.test(lastSource) ? readExact(lastSource) : lastDoc;
  return lastExact;
}

/** A Java double as Jackson writes it: Double.toString, NaN and the infinities quoted. */
const javaDoubleText = (v: number): string => (Number.isFinite(v) ? formatDouble(v) : `"${formatDouble(v)}"`);

/** A JSON value (from readExact) as Jackson writes it: numbers in Java's text, keys in document order. */
export function jacksonText(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return jsonQuote(v);
    case 'number':
      return Number.isInteger(v) ? String(v + 0) : javaDoubleText(v);
    case 'bigint':
    case 'boolean':
      return String(v);
  }
  if (v instanceof JsonDouble) return javaDoubleText(v.value);
  if (Array.isArray(v)) return '[' + v.map(jacksonText).join(',') + ']';
  return '{' + [...objectEntries(v)].map(([k, x]) => jsonQuote(k) + ':' + jacksonText(x)).join(',') + '}';
}

/** A JSON object: a plain object (JSON.parse's) or a Map (readExact's). */
const isObject = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonDouble);
const objectEntries = (v: unknown): Iterable<[string, unknown]> => (v instanceof Map ? (v as Map<string, unknown>) : Object.entries(v as object));
const MISSING = Symbol('missing');
const objectGet = (v: unknown, k: string): unknown =>
  v instanceof Map ? ((v as Map<string, unknown>).has(k) ? v.get(k) : MISSING) : Object.prototype.hasOwnProperty.call(v, k) ? (v as Record<string, unknown>)[k] : MISSING;

function stepText(s: Step): string {
  return 'key' in s ? `['${s.key}']` : 'index' in s ? `[${s.index}]` : '[*]';
}

function pathText(path: JsonPath, n = path.steps.length): string {
  return '$' + path.steps.slice(0, n).map(stepText).join('');
}

class PathError extends Error {}

/**
 * What a path reads from a document, as Flink 1.20's Jayway JsonPath reads it: a definite path (no
 * wildcard) gives its value, or fails when nothing is there; an indefinite one gives the array of
 * its matches (possibly empty). A step that does not fit (a key of a non-object, an index of a
 * non-array, a missing key with steps after it) fails while the steps before it are definite and
 * is skipped after a wildcard. `lax` suppresses the failures (a definite path then gives undefined).
 */
export function readJsonPath(doc: unknown, path: JsonPath, lax: boolean): unknown {
  const out: unknown[] = [];
  try {
    walkPath(doc, path, 0, true, lax, out);
  } catch (e) {
    if (e instanceof PathError && lax) return undefined;
    throw e;
  }
  if (path.indefinite) return out;
  if (out.length === 0) {
    if (lax) return undefined;
    throw new PathError(`No results for path: ${pathText(path)}`);
  }
  return out[0];
}

/** readJsonPath from step i on, at value v; `definiteSoFar`: no wildcard before step i. */
function walkPath(v: unknown, path: JsonPath, i: number, definiteSoFar: boolean, lax: boolean, out: unknown[]): void {
  const { steps } = path;
  if (i === steps.length) {
    out.push(v);
    return;
  }
  const fail = (msg: () => string) => {
    if (definiteSoFar && !lax) throw new PathError(msg());
  };
  const show = () => (v === undefined ? 'null' : jacksonText(v));
  const s = steps[i];
  if ('key' in s) {
    if (!isObject(v)) {
      return fail(() => `Expected to find an object with property ['${s.key}'] in path ${pathText(path, i)} but found '${show()}'. This is not a json object according to the JsonProvider.`);
    }
    const x = objectGet(v, s.key);
    if (x === MISSING) return i === steps.length - 1 ? undefined : fail(() => `Missing property in path ${pathText(path, i + 1)}`);
    return walkPath(x, path, i + 1, definiteSoFar, lax, out);
  }
  if ('index' in s) {
    if (!Array.isArray(v)) {
      return fail(() => (v === null ? `The path ${pathText(path, i)} is null` : `Filter: [${s.index}] can only be applied to arrays. Current context is: ${show()}`));
    }
    if (s.index < v.length) walkPath(v[s.index], path, i + 1, definiteSoFar, lax, out);
    return;
  }
  if (Array.isArray(v)) for (const x of v) walkPath(x, path, i + 1, false, lax, out);
  else if (isObject(v)) for (const [, x] of objectEntries(v)) walkPath(x, path, i + 1, false, lax, out);
}

/** What a JSON function sees of a path in a document (Flink's JsonPathContext): an error, or a value (undefined or null: nothing). */
type JsonContext = { error: string } | { lax: boolean; value: unknown };

/**
 * As Flink 1.20's SQL/JSON functions read a path (a path without `lax` / `strict` is strict): in
 * strict mode invalid JSON, a failing path and a JSON null are errors; in lax mode they are nothing.
 */
function jsonContext(text: string, path: JsonPath, lax: boolean, exact: 'numbers' | 'numbers and structures' | 'no'): JsonContext {
  const doc = parseCached(text);
  if (doc === PARSE_ERROR) return lax ? { lax, value: undefined } : { error: `invalid JSON: ${text.slice(0, 100)}` };
  let value: unknown;
  try {
    value = readJsonPath(doc, path, lax);
    // A number (its Java class and text), or an object or array written out, read again exactly.
    // (A fraction JSON.parse gives is a Double whatever its text: only an integer may be one, `10.0`.)
    if (exact !== 'no' && ((typeof value === 'number' && Number.isInteger(value)) || (exact !== 'numbers' && !isScalar(value)))) {
      const e = exactDoc();
      if (e !== doc) value = readJsonPath(e, path, lax);
    }
  } catch (e) {
    if (e instanceof PathError) return { error: e.message };
    throw e;
  }
  if (!lax && value === null) return { error: 'Strict jsonpath mode requires a non empty returned value, but is null' };
  return { lax, value };
}

function pathArg(constants: readonly unknown[], i: number): (p: string) => JsonPath {
  const c = constants[i];
  if (typeof c === 'string') {
    const parsed = parseJsonPath(c);
    return () => parsed;
  }
  const cache = new Map<string, JsonPath>();
  return (p) => {
    let r = cache.get(p);
    if (!r) {
      r = parseJsonPath(p);
      if (cache.size > 100) cache.clear();
      cache.set(p, r);
    }
    return r;
  };
}

/** A RETURNING type name ('INT', 'DOUBLE', 'VARCHAR(5)', 'BOOLEAN', 'STRING', …) as a LogicalType. */
export function parseReturningType(name: string): LogicalType {
  const s = name.trim().toUpperCase();
  const dec = /^(?:DECIMAL|DEC|NUMERIC)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(s);
  if (dec) return { kind: 'DECIMAL', precision: Number(dec[1] ?? 10), scale: Number(dec[2] ?? 0), nullable: true };
  const vc = /^VARCHAR\s*\(\s*(\d+)\s*\)$/.exec(s);
  if (vc) return { kind: 'VARCHAR', length: Number(vc[1]), nullable: true };
  switch (s) {
    case 'STRING':
    case 'VARCHAR':
      return STRING(true);
    case 'INT':
    case 'INTEGER':
      return { kind: 'INT', nullable: true };
    case 'BIGINT':
    case 'SMALLINT':
    case 'TINYINT':
    case 'FLOAT':
    case 'DOUBLE':
      return { kind: s, nullable: true };
    case 'BOOLEAN':
      return { kind: 'BOOLEAN', nullable: true };
    case 'DATE':
      return { kind: 'DATE', nullable: true };
    default: {
      const ts = /^TIMESTAMP(?:\s*\((\d)\))?$/.exec(s);
      if (ts) return { kind: 'TIMESTAMP', precision: Number(ts[1] ?? 6), nullable: true };
      throw new ValidationError(`JSON_VALUE: unsupported RETURNING type '${name}'`);
    }
  }
}

/** The Java class Flink's JSON reader (Jackson) gives a scalar: Integer, Long, BigInteger, Double, Boolean or String. */
function javaClassOf(v: unknown): string {
  if (v instanceof JsonDouble || (typeof v === 'number' && !Number.isInteger(v))) return 'Double';
  if (typeof v === 'number' || typeof v === 'bigint') {
    const b = BigInt(v);
    return b >= -2147483648n && b <= 2147483647n ? 'Integer' : b >= -9223372036854775808n && b <= 9223372036854775807n ? 'Long' : 'BigInteger';
  }
  return typeof v === 'boolean' ? 'Boolean' : 'String';
}

/** A scalar as Java's toString gives it (JSON_VALUE's text). */
function scalarText(v: unknown): string {
  return v instanceof JsonDouble ? formatDouble(v.value) : typeof v === 'number' && !Number.isInteger(v) ? formatDouble(v) : String(v);
}

/** The ON ERROR / ON EMPTY behaviour of a JSON function (a constant argument; the default when absent). */
function behaviorArg(constants: readonly unknown[], i: number, fallback: string): string {
  const c = constants[i];
  return typeof c === 'string' ? c.toUpperCase() : fallback;
}

/** The RETURNING types Flink 1.20's JSON_VALUE generates code for. */
export function jsonValueReturningSupported(t: LogicalType): boolean {
  return t.kind === 'INT' || t.kind === 'DOUBLE' || t.kind === 'BOOLEAN' || t.kind === 'VARCHAR';
}

/**
 * JSON_VALUE(json, path[, returningType[, onError, errorDefault[, onEmpty, emptyDefault]]]): the
 * scalar at path as text (or as the RETURNING type: a constant type name). As in Flink 1.20: in
 * strict mode (a path without `lax`) a missing path, a JSON null, an object or array and invalid
 * JSON are errors, handled by ON ERROR ('NULL' by default, 'ERROR' fails, 'DEFAULT' answers the
 * default); in lax mode they (and an object or array) are empty, handled by ON EMPTY alike. A value
 * of another JSON type than RETURNING asks for (a string for INT, an integer for DOUBLE) fails the
 * job as Flink's ClassCastException does; RETURNING VARCHAR(n) cuts the text to n characters.
 */
export const JSON_VALUE: ScalarFunctionDef = {
  name: 'JSON_VALUE',
  strict: false,
  deterministic: true,
  returnType(args, constants) {
    checkArgs(
      'JSON_VALUE',
      "JSON_VALUE(STRING, path STRING[, returningType STRING[, onError 'NULL'|'ERROR'|'DEFAULT', default[, onEmpty 'NULL'|'ERROR'|'DEFAULT', default]]])",
      args,
      [STR, STR, STR, STR, () => true, STR, () => true],
      2,
    );
    if (args.length >= 3 && args[2].kind !== 'NULL') {
      const c = constants?.[2];
      if (typeof c !== 'string') throw new ValidationError('JSON_VALUE: the RETURNING type must be a constant type name');
      return parseReturningType(c);
    }
    return STRING(true);
  },
  create(args, ctx): AnyFn {
    const path = pathArg(ctx.constantArgs, 1);
    const onError = behaviorArg(ctx.constantArgs, 3, 'NULL');
    const onEmpty = behaviorArg(ctx.constantArgs, 5, 'NULL');
    const rt = args.length >= 3 && args[2].kind !== 'NULL' ? parseReturningType(String(ctx.constantArgs[2])) : undefined;
    const error = (msg: string, dflt: unknown) => {
      if (onError === 'ERROR') throw new JobError(`JSON_VALUE: ${msg}`);
      return onError === 'DEFAULT' ? dflt : null;
    };
    const empty = (dflt: unknown) => {
      if (onEmpty === 'ERROR') throw new JobError('Empty result of JSON_VALUE function is not allowed');
      return onEmpty === 'DEFAULT' ? dflt : null;
    };
    // INT, DOUBLE and BOOLEAN take the JSON value of that Java class only; VARCHAR(n) its text, cut.
    const need = rt === undefined ? undefined : rt.kind === 'INT' ? 'Integer' : rt.kind === 'DOUBLE' ? 'Double' : rt.kind === 'BOOLEAN' ? 'Boolean' : undefined;
    const cut = rt?.kind === 'VARCHAR' && rt.length < MAX_LENGTH ? castFunction(STRING(true), rt, 'cast') : (s: unknown) => s;
    return (s: unknown, p: unknown, _t?: unknown, _b?: unknown, errorDefault?: unknown, _e?: unknown, emptyDefault?: unknown) => {
      if (s === null || s === undefined || p === null || p === undefined) return null;
      const jp = path(p as string);
      const c = jsonContext(s as string, jp, jp.lax, 'numbers');
      if ('error' in c) return error(c.error, errorDefault);
      const v = c.value;
      if (v === undefined || v === null || (c.lax && !isScalar(v))) return empty(emptyDefault);
      if (!isScalar(v)) return error(`Strict jsonpath mode requires scalar value, and the actual value is: '${jacksonText(v).slice(0, 100)}'`, errorDefault);
      if (need !== undefined) {
        const cls = javaClassOf(v);
        if (cls !== need) throw new JobError(`JSON_VALUE … RETURNING ${formatType(withNullable(rt!, true))}: the value at ${p} is a ${cls}, not a ${need} (class java.lang.${cls} cannot be cast to class java.lang.${need})`);
        return v instanceof JsonDouble ? v.value : v;
      }
      return cut(scalarText(v));
    };
  },
};

/**
 * JSON_QUERY(json, path[, wrapper[, onError[, onEmpty]]]): the JSON text at path. wrapper is a
 * constant 'WITHOUT' (default), 'WITH' / 'UNCONDITIONAL' (always in an array) or 'CONDITIONAL' (in
 * an array unless it is one); an indefinite path (a wildcard) selects the array of its matches. As
 * in Flink 1.20: in strict mode invalid JSON, a missing path, a JSON null and a scalar (unwrapped)
 * are errors, handled by onError: 'NULL' (default), 'ERROR', 'EMPTY ARRAY' or 'EMPTY OBJECT'; in
 * lax mode they are empty, handled by onEmpty alike. Numbers are written as Jackson writes them.
 */
export const JSON_QUERY: ScalarFunctionDef = {
  name: 'JSON_QUERY',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs(
      'JSON_QUERY',
      "JSON_QUERY(STRING, path STRING[, wrapper 'WITHOUT'|'WITH'|'CONDITIONAL'[, onError 'NULL'|'ERROR'|'EMPTY ARRAY'|'EMPTY OBJECT'[, onEmpty …]]])",
      args,
      [STR, STR, STR, STR, STR],
      2,
    );
    return STRING(true);
  },
  create(args, ctx): AnyFn {
    const path = pathArg(ctx.constantArgs, 1);
    const w = String(args.length > 2 ? ctx.constantArgs[2] ?? 'WITHOUT' : 'WITHOUT').toUpperCase().replace(/\s*(ARRAY\s*)?WRAPPER$/, '').trim();
    const wrap = w === 'WITH' || w === 'UNCONDITIONAL' || w === 'WITH UNCONDITIONAL' ? 'always' : w.includes('CONDITIONAL') ? 'cond' : 'never';
    const onError = behaviorArg(ctx.constantArgs, 3, 'NULL');
    const onEmpty = behaviorArg(ctx.constantArgs, 4, 'NULL');
    const answer = (b: string) => (b === 'EMPTY ARRAY' ? '[]' : b === 'EMPTY OBJECT' ? '{}' : null);
    const error = (msg: string) => {
      if (onError === 'ERROR') throw new JobError(`JSON_QUERY: ${msg}`);
      return answer(onError);
    };
    const empty = () => {
      if (onEmpty === 'ERROR') throw new JobError('Empty result of JSON_QUERY function is not allowed');
      return answer(onEmpty);
    };
    return (s: string, p: string) => {
      const jp = path(p);
      const c = jsonContext(s, jp, jp.lax, 'numbers and structures');
      if ('error' in c) return error(c.error);
      const v = c.value === undefined || c.value === null ? undefined : wrap === 'always' || (wrap === 'cond' && !Array.isArray(c.value)) ? [c.value] : c.value;
      if (v === undefined || (c.lax && isScalar(v))) return empty();
      if (isScalar(v)) return error(`Strict jsonpath mode requires array or object value, and the actual value is: '${scalarText(v)}'`);
      return jacksonText(v);
    };
  },
};

/**
 * JSON_EXISTS(json, path[, onError]): whether path selects something: as in Flink 1.20, a definite
 * path a non-null value, an indefinite one (a wildcard) always (the array of its matches, even
 * empty). In strict mode (a path without `lax`) a missing path, a null and invalid JSON are errors
 * that onError decides: 'FALSE' (default), 'TRUE', 'UNKNOWN' (NULL) or 'ERROR'; in lax mode they are
 * FALSE.
 */
export const JSON_EXISTS: ScalarFunctionDef = {
  name: 'JSON_EXISTS',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('JSON_EXISTS', "JSON_EXISTS(STRING, path STRING[, onError 'FALSE'|'TRUE'|'UNKNOWN'|'ERROR'])", args, [STR, STR, STR], 2);
    return BOOLEAN(true);
  },
  create(_args, ctx): AnyFn {
    const path = pathArg(ctx.constantArgs, 1);
    const onError = behaviorArg(ctx.constantArgs, 2, 'FALSE');
    const error = (msg: string) => {
      if (onError === 'ERROR') throw new JobError(`JSON_EXISTS: ${msg}`);
      return onError === 'TRUE' ? true : onError === 'UNKNOWN' ? null : false;
    };
    return (s: string, p: string) => {
      const jp = path(p);
      const c = jsonContext(s, jp, jp.lax, 'no');
      if ('error' in c) return error(c.error);
      return c.value !== undefined && c.value !== null;
    };
  },
};

/** `s IS JSON [VALUE|OBJECT|ARRAY|SCALAR]` is IS_JSON(s[, kind]); NULL gives FALSE. */
export const IS_JSON: ScalarFunctionDef = {
  name: 'IS_JSON',
  strict: false,
  deterministic: true,
  returnType(args) {
    checkArgs('IS_JSON', "IS_JSON(STRING[, kind 'VALUE'|'OBJECT'|'ARRAY'|'SCALAR'])", args, [STR, STR], 1);
    return BOOLEAN(false);
  },
  create(args, ctx): AnyFn {
    const constKind = args.length > 1 ? ctx.constantArgs[1] : 'VALUE';
    const fixed = typeof constKind === 'string' ? constKind.toUpperCase() : undefined;
    return (s: unknown, k?: unknown) => {
      if (typeof s !== 'string') return false;
      const kind = fixed ?? (typeof k === 'string' ? k.toUpperCase() : 'VALUE');
      const doc = parseCached(s);
      if (doc === PARSE_ERROR) return false;
      switch (kind) {
        case 'OBJECT':
          return isObject(doc);
        case 'ARRAY':
          return Array.isArray(doc);
        case 'SCALAR':
          return isScalar(doc);
        default:
          return true;
      }
    };
  },
};

/** JSON_STRING(value): the value as JSON text. */
export const JSON_STRING: ScalarFunctionDef = {
  name: 'JSON_STRING',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('JSON_STRING', 'JSON_STRING(value)', args, [() => true]);
    checkJsonWritable('JSON_STRING', args[0]);
    return { kind: 'VARCHAR', length: MAX_LENGTH, nullable: anyNullable(args) };
  },
  create(args, ctx): AnyFn {
    // JSON_STRING(JSON_ARRAY(…)) writes the inner JSON as it is, as Flink does.
    return jsonArgWriters(args, ctx?.argCalls)[0];
  },
};

const ESCAPE = /\\u([0-9a-f]{4})|\\./g;

/**
 * A string as Jackson quotes it: JSON.stringify's escapes, with the control characters' \u00XX in
 * upper-case hex (\u001F) as Jackson writes them.
 */
export function jsonQuote(s: string): string {
  const q = JSON.stringify(s);
  return q.includes('\\u') ? q.replace(ESCAPE, (m, hex: string | undefined) => (hex === undefined ? m : '\\u' + hex.toUpperCase())) : q;
}

/**
 * The type within `t` that Flink 1.20 cannot write as JSON (its JSON_OBJECT, JSON_ARRAY, JSON_STRING
 * and JSON aggregates fail to compile on DATE, TIME and INTERVAL values, also inside an ARRAY, a
 * MAP's values or a ROW), or undefined.
 */
function notJsonWritable(t: LogicalType): LogicalType | undefined {
  switch (t.kind) {
    case 'DATE':
    case 'TIME':
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH':
      return t;
    case 'ARRAY':
      return notJsonWritable(t.element);
    case 'MAP':
      return notJsonWritable(t.value);
    case 'ROW':
      for (const f of t.fields) {
        const u = notJsonWritable(f.type);
        if (u) return u;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Refuses (at planning) a value Flink 1.20 cannot write as JSON; `topNull`: a NULL literal too (JSON_OBJECT, JSON_ARRAY). */
export function checkJsonWritable(fn: string, t: LogicalType, topNull = false): void {
  const u = t.kind === 'NULL' && topNull ? t : notJsonWritable(t);
  if (!u) return;
  const what = u.kind === 'NULL' ? 'an untyped NULL' : `a value of type ${formatType(u)}`;
  throw new ValidationError(`${fn}: ${what} cannot be converted into JSON (as in Flink 1.20, which writes strings, numbers, booleans, TIMESTAMP, TIMESTAMP_LTZ, BYTES, ARRAY, MAP and ROW values); cast it to STRING first`);
}

/** A JSON writer for values of type `t` (numbers, booleans, strings; time values as ISO text; nested types recursively). */
export function jsonWriter(t: LogicalType): (v: unknown) => string {
  switch (t.kind) {
    case 'BOOLEAN':
      return (v) => (v ? 'true' : 'false');
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
      return (v) => String(v);
    case 'DECIMAL': {
      // As Jackson writes Flink's BigDecimal: trailing zeros stripped, in Java's notation (1E+2).
      const scale = t.scale;
      return (v) => decToJavaText(v as Exact, scale);
    }
    case 'FLOAT':
    case 'DOUBLE': {
      // As Jackson writes a Java float/double: Float.toString / Double.toString (1.0E300, 0.0, -0.0),
      // NaN and the infinities quoted.
      const f = t.kind === 'FLOAT' ? formatFloat : formatDouble;
      return (v) => (Number.isFinite(v as number) ? f(v as number) : '"' + f(v as number) + '"');
    }
    case 'CHAR':
    case 'VARCHAR':
      return (v) => jsonQuote(v as string);
    case 'BINARY':
    case 'VARBINARY':
      return (v) => JSON.stringify(Buffer.from(v as Uint8Array).toString('base64'));
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      // As Flink 1.20: ISO-8601 with the fraction's trailing zeros dropped ("2024-01-01T00:00:01.12"),
      // TIMESTAMP_LTZ as the UTC instant with a Z.
      const z = t.kind === 'TIMESTAMP_LTZ' ? 'Z' : '';
      if (isNanosType(t)) return (v) => JSON.stringify(formatNanosFlink(v as bigint, 'T', z));
      return (v) => JSON.stringify(formatTimestampFlink(v as number, 'T', z));
    }
    case 'DATE':
    case 'TIME': {
      const f = stringifier(t);
      return (v) => JSON.stringify(f(v).replace(' ', 'T'));
    }
    case 'ARRAY': {
      const e = jsonWriter(t.element);
      return (v) => '[' + (v as unknown[]).map((x) => (x === null || x === undefined ? 'null' : e(x))).join(',') + ']';
    }
    case 'MAP': {
      const k = stringifier(t.key);
      const w = jsonWriter(t.value);
      return (v) => '{' + [...(v as Map<unknown, unknown>)].map(([a, b]) => jsonQuote(k(a)) + ':' + (b === null || b === undefined ? 'null' : w(b))).join(',') + '}';
    }
    case 'ROW': {
      const ws = t.fields.map((f) => jsonWriter(f.type));
      const names = t.fields.map((f) => jsonQuote(f.name));
      return (v) => '{' + ws.map((w, i) => names[i] + ':' + ((v as unknown[])[i] === null || (v as unknown[])[i] === undefined ? 'null' : w((v as unknown[])[i]))).join(',') + '}';
    }
    default:
      return (v) => JSON.stringify(String(v));
  }
}

/** The names JSON_OBJECT and JSON_ARRAY are bound to (the non-default ON NULL forms are internal names). */
export const JSON_CONSTRUCTORS = new Set(['JSON_OBJECT', 'JSON_ARRAY', '$JSON_OBJECT_ABSENT_ON_NULL', '$JSON_ARRAY_NULL_ON_NULL']);

/**
 * Writers for the values of JSON_OBJECT/JSON_ARRAY: the result of an inner JSON_OBJECT or
 * JSON_ARRAY call is JSON already and is nested as such, not as a string (Flink's codegen does
 * the same for these two functions; any other string, JSON_QUERY's included, stays a string).
 */
export function jsonArgWriters(args: LogicalType[], calls: readonly (string | undefined)[] | undefined): ((v: unknown) => string)[] {
  return args.map((a, i) => (calls?.[i] !== undefined && JSON_CONSTRUCTORS.has(calls[i]!) ? (v: unknown) => String(v) : jsonWriter(a)));
}

/**
 * JSON_OBJECT(KEY k1 VALUE v1, …) is JSON_OBJECT(k1, v1, k2, v2, …) with NULL ON NULL (Flink's
 * default: a NULL value is written as null); with ABSENT ON NULL it is
 * $JSON_OBJECT_ABSENT_ON_NULL(…) (the entry is left out). Keys must be non-NULL strings.
 */
const jsonObject = (name: string, absentOnNull: boolean): ScalarFunctionDef => ({
  name,
  strict: false,
  deterministic: true,
  returnType(args) {
    const sig = 'JSON_OBJECT(key STRING, value, ...)';
    if (args.length % 2 !== 0) fail('JSON_OBJECT', sig, args);
    for (let i = 0; i < args.length; i += 2) if (!STR(args[i]) || args[i].kind === 'NULL') fail('JSON_OBJECT', sig, args);
    for (let i = 1; i < args.length; i += 2) checkJsonWritable('JSON_OBJECT', args[i], true);
    return STRING(false);
  },
  create(args, ctx): AnyFn {
    const ws = jsonArgWriters(args, ctx?.argCalls);
    return (...vs: unknown[]) => {
      let out = '{';
      for (let i = 0; i < vs.length; i += 2) {
        const v = vs[i + 1];
        const isNull = v === null || v === undefined;
        if (isNull && absentOnNull) continue;
        if (out.length > 1) out += ',';
        out += jsonQuote((vs[i] as string | null) ?? 'null') + ':' + (isNull ? 'null' : ws[i + 1](v));
      }
      return out + '}';
    };
  },
});
export const JSON_OBJECT = jsonObject('JSON_OBJECT', false);
export const JSON_OBJECT_ABSENT_ON_NULL = jsonObject('$JSON_OBJECT_ABSENT_ON_NULL', true);

/** JSON_ARRAY(v1, …) with ABSENT ON NULL (Flink's default: NULL values are left out); NULL ON NULL is $JSON_ARRAY_NULL_ON_NULL(…). */
const jsonArray = (name: string, nullOnNull: boolean): ScalarFunctionDef => ({
  name,
  strict: false,
  deterministic: true,
  returnType(args) {
    for (const a of args) checkJsonWritable('JSON_ARRAY', a, true);
    return STRING(false);
  },
  create(args, ctx): AnyFn {
    const ws = jsonArgWriters(args, ctx?.argCalls);
    return (...vs: unknown[]) => {
      const parts: string[] = [];
      for (let i = 0; i < vs.length; i++) {
        if (vs[i] !== null && vs[i] !== undefined) parts.push(ws[i](vs[i]));
        else if (nullOnNull) parts.push('null');
      }
      return '[' + parts.join(',') + ']';
    };
  },
});
export const JSON_ARRAY = jsonArray('JSON_ARRAY', false);
export const JSON_ARRAY_NULL_ON_NULL = jsonArray('$JSON_ARRAY_NULL_ON_NULL', true);

export const JSON_FUNCTIONS: ScalarFunctionDef[] = [JSON_VALUE, JSON_QUERY, JSON_EXISTS, IS_JSON, JSON_STRING, JSON_OBJECT, JSON_ARRAY, JSON_OBJECT_ABSENT_ON_NULL, JSON_ARRAY_NULL_ON_NULL];
