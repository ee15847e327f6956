// Turns SQL text into tokens following Flink's lexical rules: back-quoted identifiers,
// '' escapes in strings, -- and /* */ comments, /*+ hints */ kept as tokens.
import { SqlSyntaxError, type SourcePosition } from '../common/errors.js';

export type TokenType =
  | 'word' // unquoted identifier or keyword
  | 'qident' // `back-quoted identifier`
  | 'string' // 'text' (value unescaped)
  | 'binary' // X'0AFF' (value = hex digits)
  | 'number'
  | 'op' // punctuation and operators
  | 'hintStart' // /*+
  | 'hintEnd' // */ closing a hint
  | 'eof'
  | 'error'; // a lexical error: the last token, raised when the parser reaches it

export interface Token {
  type: TokenType;
  /** Identifier text, unescaped string, number text or operator. */
  value: string;
  /** Upper-cased value for words (keyword comparison); same as value otherwise. */
  upper: string;
  start: number;
  end: number;
  /** For 'error' tokens: the error to raise. */
  error?: SqlSyntaxError;
}

const OPERATORS2 = new Set(['<>', '!=', '<=', '>=', '||', '=>', '::']);
const OPERATORS1 = new Set(['(', ')', '[', ']', '{', '}', ',', ';', '.', '+', '-', '*', '/', '%', '=', '<', '>', '?', ':', '|', '^']);

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || (c > '\x7f' && /\p{L}/u.test(c));
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9') || c === '$' || (c > '\x7f' && /[\p{L}\p{N}]/u.test(c));
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Maps offsets of one input to 1-based line/column and gives back source lines. */
export class SourceMap {
  private readonly lineStarts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): SourcePosition {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1, offset };
  }

  line(lineNo: number): string {
    const start = this.lineStarts[lineNo - 1] ?? this.text.length;
    let end = start;
    while (end < this.text.length && this.text[end] !== '\n' && this.text[end] !== '\r') end++;
    return this.text.slice(start, end);
  }

  /** A syntax error at [start, end) of the input. */
  error(detail: string, start: number, end = start + 1): SqlSyntaxError {
    const pos = this.position(Math.min(start, this.text.length));
    const sourceLine = this.line(pos.line);
    const lineRest = Math.max(1, sourceLine.length - (pos.column - 1));
    return new SqlSyntaxError(detail, pos, sourceLine, Math.max(1, Math.min(end - start, lineRest)));
  }
}

/**
 * Tokenizes the whole input; comments are skipped, hints become hintStart … hintEnd. A lexical
 * error (an unterminated string, a stray character) throws, unless `deferErrors` is set: then it
 * becomes a final 'error' token, so that a syntax error earlier in the input is reported first.
 */
export function tokenize(text: string, map = new SourceMap(text), deferErrors = false): Token[] {
  if (!deferErrors) return lex(text, map);
  try {
    return lex(text, map);
  } catch (e) {
    if (!(e instanceof SqlSyntaxError)) throw e;
    const partial = (e as SqlSyntaxError & { tokens?: Token[] }).tokens ?? [];
    const at = e.position.offset;
    return [...partial, { type: 'error', value: '', upper: '', start: at, end: at + 1, error: e }];
  }
}

function lex(text: string, map: SourceMap): Token[] {
  const tokens: Token[] = [];
  try {
    return lexInto(text, map, tokens);
  } catch (e) {
    if (e instanceof SqlSyntaxError) Object.assign(e, { tokens });
    throw e;
  }
}

function lexInto(text: string, map: SourceMap, tokens: Token[]): Token[] {
  const n = text.length;
  let i = 0;
  let inHint = false;
  const push = (type: TokenType, value: string, start: number, end: number, upper = value) => {
    tokens.push({ type, value, upper, start, end });
  };
  while (i < n) {
    const c = text[i];
    // whitespace
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') {
      i++;
      continue;
    }
    // comments and hints
    if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      if (text[i + 2] === '+' && !inHint) {
        push('hintStart', '/*+', i, i + 3);
        inHint = true;
        i += 3;
        continue;
      }
      const close = text.indexOf('*/', i + 2);
      if (close < 0) throw map.error('unterminated comment: missing */', i, i + 2);
      i = close + 2;
      continue;
    }
    if (inHint && c === '*' && text[i + 1] === '/') {
      push('hintEnd', '*/', i, i + 2);
      inHint = false;
      i += 2;
      continue;
    }
    const start = i;
    // binary string X'..'
    if ((c === 'x' || c === 'X') && text[i + 1] === "'") {
      const { value, end } = readString(text, i + 1, map);
      if (!/^[0-9a-fA-F]*$/.test(value) || value.length % 2 !== 0) {
        throw map.error(`invalid binary literal X'${value}': expected an even number of hex digits`, start, end);
      }
      push('binary', value, start, end);
      i = end;
      continue;
    }
    // Unicode string U&'…' [UESCAPE 'c']: \XXXX (four hex digits) is a UTF-16 code unit, \\ a backslash.
    if ((c === 'u' || c === 'U') && text[i + 1] === '&' && text[i + 2] === "'") {
      const { value: raw, end: strEnd } = readString(text, i + 2, map);
      let end = strEnd;
      let escape = '\\';
      const m = /^\s+UESCAPE\s*'([^']*)'/i.exec(text.slice(strEnd));
      if (m) {
        if (m[1].length !== 1 || /[0-9a-fA-F+'"\s]/.test(m[1])) throw map.error(`invalid UESCAPE character '${m[1]}': it must be one character, not a hex digit, +, a quote or a blank`, strEnd, strEnd + m[0].length);
        escape = m[1];
        end = strEnd + m[0].length;
      }
      let value = '';
      for (let k = 0; k < raw.length; k++) {
        if (raw[k] !== escape) {
          value += raw[k];
          continue;
        }
        if (raw[k + 1] === escape) {
          value += escape;
          k++;
          continue;
        }
        const hex = raw.slice(k + 1, k + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw map.error(`Unicode escape sequence starting at character ${k} is not exactly four hex digits`, start, end);
        value += String.fromCharCode(parseInt(hex, 16));
        k += 4;
      }
      push('string', value, start, end);
      i = end;
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(text[i])) i++;
      const word = text.slice(start, i);
      push('word', word, start, i, word.toUpperCase());
      continue;
    }
    if (c === '`') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw map.error('unterminated quoted identifier: missing closing `', start, start + 1);
        if (text[i] === '`') {
          if (text[i + 1] === '`') {
            value += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      if (value.length === 0) throw map.error('empty quoted identifier', start, i);
      push('qident', value, start, i);
      continue;
    }
    if (c === "'") {
      const { value, end } = readString(text, i, map);
      push('string', value, start, end);
      i = end;
      continue;
    }
    if (c === '"') {
      throw map.error('unexpected character \'"\': Flink SQL quotes strings with \' and identifiers with `', start, start + 1);
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      while (i < n && isDigit(text[i])) i++;
      if (text[i] === '.' && isDigit(text[i + 1] ?? '')) {
        i++;
        while (i < n && isDigit(text[i])) i++;
      } else if (text[i] === '.' && !isIdentStart(text[i + 1] ?? '') && text[i + 1] !== '.') {
        // `1.` is a decimal
        i++;
      }
      if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text[i + 1] ?? '') || ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text[i + 2] ?? '')))) {
        i += 2;
        while (i < n && isDigit(text[i])) i++;
      }
      push('number', text.slice(start, i), start, i);
      continue;
    }
    const two = text.slice(i, i + 2);
    if (OPERATORS2.has(two)) {
      push('op', two, start, i + 2);
      i += 2;
      continue;
    }
    if (OPERATORS1.has(c)) {
      push('op', c, start, i + 1);
      i++;
      continue;
    }
    const cp = String.fromCodePoint(text.codePointAt(i) ?? 0);
    throw map.error(`unexpected character '${cp}'`, start, start + cp.length);
  }
  if (inHint) {
    const hs = [...tokens].reverse().find((t) => t.type === 'hintStart')!;
    throw map.error('unterminated hint: missing */', hs.start, hs.end);
  }
  push('eof', '', n, n);
  return tokens;
}

function readString(text: string, quoteAt: number, map: SourceMap): { value: string; end: number } {
  let i = quoteAt + 1;
  let value = '';
  for (;;) {
    if (i >= text.length) throw map.error("unterminated string literal: missing closing '", quoteAt, quoteAt + 1);
    const c = text[i];
    if (c === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += c;
    i++;
  }
}
