// String functions (Flink semantics: 1-based positions, NULL in → NULL out unless noted).
import type { LogicalType } from '../../common/types.js';
import { MAX_LENGTH } from '../../common/types.js';
import { ValidationError } from '../../common/errors.js';
import type { ScalarFunctionDef } from '../api.js';
import { alias, anyNullable, checkArgs, fail, INT, INTEGER, STR, STRING, BOOLEAN, simple, BIN, STR_OR_BIN, typeLength } from '../helpers.js';
import type { AnyFn } from '../helpers.js';
import { stringifier } from '../cast.js';

/** A string result of the argument's type, CHAR(n) staying CHAR(n) (UPPER, LOWER, INITCAP: Calcite's ARG0). */
const sameString = (i: number) => (args: LogicalType[]): LogicalType => ({
  kind: args[i].kind === 'CHAR' ? 'CHAR' : 'VARCHAR',
  length: typeLength(args[i]),
  nullable: anyNullable(args),
});
/** VARCHAR of the argument's length (TRIM, LTRIM, …: Flink's ARG0_VARCHAR). */
const sameVarchar = (i: number) => (args: LogicalType[]): LogicalType => ({
  kind: 'VARCHAR',
  length: typeLength(args[i]),
  nullable: anyNullable(args),
});
/** VARCHAR of the argument's length, always nullable (SUBSTRING, LEFT, RIGHT: Flink's ARG0_VARCHAR_FORCE_NULLABLE). */
const sameVarcharNullable = (i: number) => (args: LogicalType[]): LogicalType => ({ kind: 'VARCHAR', length: typeLength(args[i]), nullable: true });
const stringResult = (args: LogicalType[]) => STRING(anyNullable(args));
const stringAlwaysNullable = () => STRING(true);
const intResult = (args: LogicalType[]) => INT(anyNullable(args));

/** Number of Unicode code points. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

const regexCache = new Map<string, RegExp | null>();
/** A (cached) JS RegExp for a Java regex; null when the pattern is invalid. */
export function compileRegex(pattern: string, flags = ''): RegExp | null {
  const key = flags + '\u0000' + pattern;
  let re = regexCache.get(key);
  if (re !== undefined) return re;
  try {
    // Java's leading inline flags, e.g. (?i) or (?is), become JS flags.
    let body = pattern;
    let fl = flags;
    const inline = /^\(\?([imsux]+)\)/.exec(body);
    if (inline) {
      body = body.slice(inline[0].length);
      for (const f of inline[1]) if ('ims'.includes(f) && !fl.includes(f)) fl += f;
    }
    re = new RegExp(javaToJsRegex(body), fl);
  } catch {
    re = null;
  }
  if (regexCache.size > 1000) regexCache.clear();
  regexCache.set(key, re);
  return re;
}

/** Small Java → JS regex adjustments: inline (?i) flag, possessive quantifiers, \p{Alpha} classes. */
function javaToJsRegex(p: string): string {
  return p
    .replace(/\\p\{Alpha\}/g, '[A-Za-z]')
    .replace(/\\p\{Digit\}/g, '[0-9]')
    .replace(/\\p\{Alnum\}/g, '[A-Za-z0-9]')
    .replace(/\\p\{Punct\}/g, '[!-\\/:-@\\[-`{-~]')
    .replace(/\\p\{Upper\}/g, '[A-Z]')
    .replace(/\\p\{Lower\}/g, '[a-z]')
    .replace(/\\p\{Space\}/g, '\\s')
    .replace(/([*+?}])\+/g, '$1');
}

/** A regex for argument i: precompiled when constant, else looked up in a small cache. */
function regexArg(constants: readonly unknown[], i: number, flags: string): (p: string) => RegExp | null {
  const c = constants[i];
  if (typeof c === 'string') {
    const re = compileRegex(c, flags);
    if (re === null) throw new ValidationError(`Invalid regular expression '${c}'`);
    return () => re;
  }
  return (p) => compileRegex(p, flags);
}

export const UPPER = simple('UPPER', 'UPPER(STRING)', [STR], sameString(0), () => (s: string) => s.toUpperCase());
export const LOWER = simple('LOWER', 'LOWER(STRING)', [STR], sameString(0), () => (s: string) => s.toLowerCase());

function trimChars(s: string, chars: string, leading: boolean, trailing: boolean): string {
  let a = 0;
  let b = s.length;
  if (chars === ' ') {
    if (leading) while (a < b && s.charCodeAt(a) === 32) a++;
    if (trailing) while (b > a && s.charCodeAt(b - 1) === 32) b--;
  } else {
    if (leading) while (a < b && chars.includes(s[a])) a++;
    if (trailing) while (b > a && chars.includes(s[b - 1])) b--;
  }
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * TRIM([BOTH|LEADING|TRAILING] [chars] FROM s) is the function TRIM(mode, chars, s) with a
 * constant mode string; TRIM(s) trims spaces on both sides.
 */
export const TRIM: ScalarFunctionDef = {
  name: 'TRIM',
  strict: true,
  deterministic: true,
  returnType(args) {
    if (args.length === 1) checkArgs('TRIM', 'TRIM(STRING)', args, [STR]);
    else checkArgs('TRIM', "TRIM(mode 'BOTH'|'LEADING'|'TRAILING', chars STRING, STRING)", args, [STR, STR, STR]);
    return { kind: 'VARCHAR', length: typeLength(args[args.length - 1]), nullable: anyNullable(args) };
  },
  create(args, ctx): AnyFn {
    if (args.length === 1) return (s: string) => trimChars(s, ' ', true, true);
    const mode = String(ctx.constantArgs[0] ?? 'BOTH').toUpperCase();
    if (mode !== 'BOTH' && mode !== 'LEADING' && mode !== 'TRAILING') {
      throw new ValidationError(`TRIM mode must be BOTH, LEADING or TRAILING, not '${mode}'`);
    }
    const l = mode !== 'TRAILING';
    const t = mode !== 'LEADING';
    return (_m: string, chars: string, s: string) => trimChars(s, chars, l, t);
  },
};

const oneSideTrim = (name: string, leading: boolean): ScalarFunctionDef =>
  simple(name, `${name}(STRING[, chars STRING])`, [STR, STR], sameVarchar(0), () => (s: string, chars?: string) =>
    trimChars(s, chars ?? ' ', leading, !leading), 1);
export const LTRIM = oneSideTrim('LTRIM', true);
export const RTRIM = oneSideTrim('RTRIM', false);
export const BTRIM = simple('BTRIM', 'BTRIM(STRING[, chars STRING])', [STR, STR], sameVarchar(0), () => (s: string, chars?: string) =>
  trimChars(s, chars ?? ' ', true, true), 1);

/** Flink's SUBSTRING: 1-based start, 0 counts as 1, negative counts from the end; negative length → NULL. */
export function substring(s: string, pos: number, len?: number): string | null {
  if (len !== undefined && len < 0) return null;
  const n = s.length;
  let start: number;
  if (pos > 0) {
    start = pos - 1;
    if (start >= n) return '';
  } else if (pos < 0) {
    start = n + pos;
    if (start < 0) return '';
  } else start = 0;
  if (len === undefined || n - start < len) return start === 0 ? s : s.slice(start);
  return s.slice(start, start + len);
}
export const SUBSTRING = simple('SUBSTRING', 'SUBSTRING(STRING, start INT[, length INT])', [STR, INTEGER, INTEGER], sameVarcharNullable(0), () => substring, 2);
export const SUBSTR = alias(SUBSTRING, 'SUBSTR');

export const CONCAT: ScalarFunctionDef = {
  name: 'CONCAT',
  strict: true,
  deterministic: true,
  returnType(args) {
    if (args.length === 0) checkArgs('CONCAT', 'CONCAT(STRING, ...)', args, [STR]);
    if (args.every((a) => BIN(a) && a.kind !== 'NULL')) return { kind: 'VARBINARY', length: MAX_LENGTH, nullable: anyNullable(args) };
    for (const a of args) if (!STR(a)) fail('CONCAT', 'CONCAT(STRING, ...) or CONCAT(BYTES, ...)', args);
    return stringResult(args);
  },
  create(args): AnyFn {
    if (args.every((a) => BIN(a) && a.kind !== 'NULL')) {
      return (...vs: Uint8Array[]) => {
        let n = 0;
        for (const v of vs) n += v.length;
        const out = new Uint8Array(n);
        let o = 0;
        for (const v of vs) out.set(v, o), (o += v.length);
        return out;
      };
    }
    const fs = args.map((a) => (STR(a) ? undefined : stringifier(a)));
    if (fs.every((f) => f === undefined)) {
      if (args.length === 2) return (a: string, b: string) => a + b;
      if (args.length === 3) return (a: string, b: string, c: string) => a + b + c;
      return (...vs: string[]) => vs.join('');
    }
    return (...vs: unknown[]) => {
      let s = '';
      for (let i = 0; i < vs.length; i++) s += fs[i] ? fs[i]!(vs[i]) : (vs[i] as string);
      return s;
    };
  },
};

/** CONCAT_WS(sep, s1, …): NULL when sep is NULL; NULL strings are skipped. */
export const CONCAT_WS: ScalarFunctionDef = {
  name: 'CONCAT_WS',
  strict: false,
  deterministic: true,
  returnType(args) {
    if (args.length < 2) checkArgs('CONCAT_WS', 'CONCAT_WS(separator STRING, STRING, ...)', args, [STR, STR]);
    for (const a of args) if (!STR(a)) fail('CONCAT_WS', 'CONCAT_WS(separator STRING, STRING, ...)', args);
    return STRING(anyNullable(args));
  },
  create() {
    return (sep: unknown, ...vs: unknown[]) => {
      if (sep === null || sep === undefined) return null;
      let s = '';
      let first = true;
      for (let i = 0; i < vs.length; i++) {
        const v = vs[i];
        if (v === null || v === undefined) continue;
        if (!first) s += sep as string;
        s += v as string;
        first = false;
      }
      return s;
    };
  },
};

export const REPLACE = simple('REPLACE', 'REPLACE(STRING, search STRING, replacement STRING)', [STR, STR, STR], stringResult, () =>
  // An empty search string matches between every two chars, as Java's String.replace.
  (s: string, a: string, b: string) => (a === '' ? s.replaceAll('', () => b) : s.split(a).join(b)));

export const CHAR_LENGTH = simple('CHAR_LENGTH', 'CHAR_LENGTH(STRING)', [STR], intResult, () => codePointLength);
export const CHARACTER_LENGTH = alias(CHAR_LENGTH, 'CHARACTER_LENGTH');

/** POSITION(sub IN s) is the function POSITION(sub, s): 1-based, 0 when absent. */
export const POSITION = simple('POSITION', 'POSITION(substring STRING, STRING)', [STR, STR], intResult, () =>
  (sub: string, s: string) => s.indexOf(sub) + 1);

export const LOCATE = simple('LOCATE', 'LOCATE(substring STRING, STRING[, start INT])', [STR, STR, INTEGER], intResult, () =>
  (sub: string, s: string, start?: number) => {
    if (start === undefined) return s.indexOf(sub) + 1;
    if (start < 1) return 0;
    return s.indexOf(sub, start - 1) + 1;
  }, 2);

export const INSTR = simple('INSTR', 'INSTR(STRING, substring STRING)', [STR, STR], intResult, () =>
  (s: string, sub: string) => s.indexOf(sub) + 1);

/** LPAD/RPAD: NULL for a negative length or an empty pad; longer strings are cut to the length. */
function pad(left: boolean) {
  return (s: string, len: number, p: string): string | null => {
    if (len < 0 || p.length === 0) return null;
    if (len <= s.length) return s.slice(0, len);
    const fill = p.repeat(Math.ceil((len - s.length) / p.length)).slice(0, len - s.length);
    return left ? fill + s : s + fill;
  };
}
export const LPAD = simple('LPAD', 'LPAD(STRING, length INT, pad STRING)', [STR, INTEGER, STR], stringResult, () => pad(true));
export const RPAD = simple('RPAD', 'RPAD(STRING, length INT, pad STRING)', [STR, INTEGER, STR], stringResult, () => pad(false));

/** REGEXP(s, regex): whether some substring matches (Java's Matcher.find). */
export const REGEXP = simple('REGEXP', 'REGEXP(STRING, regex STRING)', [STR, STR], (a) => BOOLEAN(anyNullable(a)), (_a, k) => {
  const get = regexArg(k, 1, '');
  return (s: string, p: string) => {
    if (p.length === 0) return false;
    const re = get(p);
    return re === null ? false : re.test(s);
  };
});

/** REGEXP_EXTRACT(s, regex[, group]): the group (0 = whole match, the default) of the first match, or NULL. */
export const REGEXP_EXTRACT = simple('REGEXP_EXTRACT', 'REGEXP_EXTRACT(STRING, regex STRING[, group INT])', [STR, STR, INTEGER], stringAlwaysNullable, (_a, k) => {
  const get = regexArg(k, 1, '');
  return (s: string, p: string, idx = 0) => {
    const re = get(p);
    if (re === null) return null;
    const m = re.exec(s);
    if (m === null || idx < 0 || idx >= m.length) return null;
    return m[idx] ?? null;
  };
}, 2);

export const REGEXP_REPLACE = simple('REGEXP_REPLACE', 'REGEXP_REPLACE(STRING, regex STRING, replacement STRING)', [STR, STR, STR], stringResult, (_a, k) => {
  const get = regexArg(k, 1, 'g');
  return (s: string, p: string, r: string) => {
    const re = get(p);
    if (re === null) return null;
    re.lastIndex = 0;
    // Flink quotes the replacement (Matcher.quoteReplacement): `$1` is literal text.
    return s.replace(re, () => r);
  };
});

export const REGEXP_COUNT = simple('REGEXP_COUNT', 'REGEXP_COUNT(STRING, regex STRING)', [STR, STR], (a) => INT(anyNullable(a)), (_a, k) => {
  const get = regexArg(k, 1, 'g');
  return (s: string, p: string) => {
    const re = get(p);
    if (re === null) return null;
    re.lastIndex = 0;
    let n = 0;
    while (re.exec(s) !== null) {
      n++;
      if (re.lastIndex === 0) break;
    }
    return n;
  };
});

/** SPLIT_INDEX(s, separator, index): the 0-based piece, NULL when out of range. */
export const SPLIT_INDEX = simple('SPLIT_INDEX', 'SPLIT_INDEX(STRING, separator STRING, index INT)', [STR, STR, INTEGER], stringAlwaysNullable, () =>
  (s: string, sep: string, idx: number) => {
    if (idx < 0 || s.length === 0) return null;
    if (sep === '') return idx === 0 ? s : null;
    let start = 0;
    for (let i = 0; i < idx; i++) {
      const j = s.indexOf(sep, start);
      if (j < 0) return null;
      start = j + sep.length;
    }
    const end = s.indexOf(sep, start);
    return end < 0 ? s.slice(start) : s.slice(start, end);
  });

/**
 * Flink 1.20's INITCAP (Calcite's SqlFunctions.initcap): words are runs of ASCII letters and
 * digits; their first letter is upper-cased and the rest lower-cased, ASCII letters only. Any
 * other char (ß, Ä, …) is kept as it is and ends the word.
 */
export function initcap(s: string): string {
  let out = '';
  let start = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    if (start) {
      out += lower ? String.fromCharCode(c - 32) : s[i];
      if (digit || upper || lower) start = false;
    } else {
      out += upper ? String.fromCharCode(c + 32) : s[i];
      if (!(digit || upper || lower)) start = true;
    }
  }
  return out;
}
export const INITCAP = simple('INITCAP', 'INITCAP(STRING)', [STR], sameString(0), () => initcap);

export const LEFT = simple('LEFT', 'LEFT(STRING, length INT)', [STR, INTEGER], sameVarcharNullable(0), () =>
  (s: string, n: number) => (n <= 0 ? '' : s.slice(0, n)));
export const RIGHT = simple('RIGHT', 'RIGHT(STRING, length INT)', [STR, INTEGER], sameVarcharNullable(0), () =>
  (s: string, n: number) => (n <= 0 ? '' : n >= s.length ? s : s.slice(s.length - n)));
export const REPEAT = simple('REPEAT', 'REPEAT(STRING, times INT)', [STR, INTEGER], stringResult, () =>
  (s: string, n: number) => (n <= 0 ? '' : s.repeat(n)));
export const REVERSE = simple('REVERSE', 'REVERSE(STRING)', [STR], stringAlwaysNullable, () => (s: string) => [...s].reverse().join(''));
/** As Flink 1.20: the first byte of the UTF-8 text, signed as a Java byte ('ß' gives -61). */
export const ASCII = simple('ASCII', 'ASCII(STRING)', [STR], intResult, () => (s: string) => {
  if (s.length === 0) return 0;
  const c = s.charCodeAt(0);
  if (c < 128) return c;
  const b = Buffer.from(String.fromCodePoint(s.codePointAt(0)!), 'utf8')[0];
  return b > 127 ? b - 256 : b;
});
export const CHR = simple('CHR', 'CHR(INT)', [INTEGER], stringAlwaysNullable, () => (n: number) => (n < 0 ? '' : String.fromCharCode(n & 0xff)));
export const TO_BASE64 = simple('TO_BASE64', 'TO_BASE64(STRING|BYTES)', [STR_OR_BIN], stringResult, () =>
  (v: string | Uint8Array) => Buffer.from(v as any).toString('base64'));
export const FROM_BASE64 = simple('FROM_BASE64', 'FROM_BASE64(STRING)', [STR], stringResult, () =>
  (s: string) => Buffer.from(s, 'base64').toString('utf8'));
/** OVERLAY(s PLACING r FROM start [FOR length]): s unchanged when start is out of range. */
export const OVERLAY = simple('OVERLAY', 'OVERLAY(STRING, replacement STRING, start INT[, length INT])', [STR, STR, INTEGER, INTEGER], (a) => ({ kind: 'VARCHAR', length: Math.min(MAX_LENGTH, typeLength(a[0]) + typeLength(a[1])), nullable: anyNullable(a) }), () =>
  (s: string, r: string, start: number, len?: number) => {
    if (start <= 0 || start > s.length) return s;
    const l = len ?? r.length;
    return s.slice(0, start - 1) + r + (start + l <= s.length && l > 0 ? s.slice(start - 1 + l) : '');
  }, 3);
export const SPLIT = simple('SPLIT', 'SPLIT(STRING, delimiter STRING)', [STR, STR], (a) => ({ kind: 'ARRAY', element: STRING(true), nullable: anyNullable(a) }), () =>
  (s: string, d: string) => (d === '' ? [...s] : s.split(d)));
/** STR_TO_MAP(s[, pairDelimiter, keyValueDelimiter]): delimiters are regexes (default ',' and '='). */
export const STR_TO_MAP = simple('STR_TO_MAP', 'STR_TO_MAP(STRING[, listDelimiter STRING, keyValueDelimiter STRING])', [STR, STR, STR],
  () => ({ kind: 'MAP', key: STRING(true), value: STRING(true), nullable: true }), () =>
  (s: string, ld = ',', kd = '=') => {
    const m = new Map<string, string | null>();
    if (s.length === 0) return m;
    const lre = compileRegex(ld, 'g');
    const kre = compileRegex(kd);
    if (lre === null || kre === null) return null;
    const pairs = s.split(lre);
    while (pairs.length > 0 && pairs[pairs.length - 1] === '') pairs.pop(); // Java's split drops trailing empties
    for (const pair of pairs) {
      const k = kre.exec(pair);
      if (k === null) m.set(pair, null);
      else m.set(pair.slice(0, k.index), pair.slice(k.index + k[0].length));
    }
    return m;
  }, 1);

/** STARTSWITH / ENDSWITH (Flink 1.19+). */
export const STARTSWITH = simple('STARTSWITH', 'STARTSWITH(STRING, prefix STRING)', [STR, STR], (a) => BOOLEAN(anyNullable(a)), () =>
  (s: string, p: string) => s.startsWith(p));
export const ENDSWITH = simple('ENDSWITH', 'ENDSWITH(STRING, suffix STRING)', [STR, STR], (a) => BOOLEAN(anyNullable(a)), () =>
  (s: string, p: string) => s.endsWith(p));


export const STRING_FUNCTIONS: ScalarFunctionDef[] = [
  UPPER, LOWER, TRIM, LTRIM, RTRIM, BTRIM, SUBSTRING, SUBSTR, CONCAT, CONCAT_WS, REPLACE, CHAR_LENGTH, CHARACTER_LENGTH,
  POSITION, LOCATE, INSTR, LPAD, RPAD, REGEXP, REGEXP_EXTRACT, REGEXP_REPLACE, REGEXP_COUNT, SPLIT_INDEX, INITCAP,
  LEFT, RIGHT, REPEAT, REVERSE, ASCII, CHR, TO_BASE64, FROM_BASE64, OVERLAY, SPLIT, STR_TO_MAP, STARTSWITH, ENDSWITH,
];
