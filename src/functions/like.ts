// LIKE and SIMILAR TO patterns as JS regular expressions (compiled once per plan).
import { ValidationError } from '../common/errors.js';

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/;

/**
 * SQL LIKE pattern → RegExp matching the whole string: `%` any sequence, `_` one character,
 * `escape` (one character) makes the next `%`, `_` or itself literal.
 */
export function likeToRegExp(pattern: string, escape?: string | null): RegExp {
  if (escape !== undefined && escape !== null && escape.length !== 1) {
    throw new ValidationError(`Invalid escape character '${escape}' in LIKE: it must be exactly one character`);
  }
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape && c === escape) {
      const n = pattern[i + 1];
      if (n === undefined || (n !== '%' && n !== '_' && n !== escape)) {
        throw new ValidationError(`Invalid escape sequence in LIKE pattern '${pattern}' at position ${i + 1}`);
      }
      re += REGEX_SPECIAL.test(n) ? '\\' + n : n;
      i++;
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += REGEX_SPECIAL.test(c) ? '\\' + c : c;
  }
  return new RegExp(re + '$');
}

/** A fast matcher for a LIKE pattern: plain prefix/suffix/contains checks where possible. */
export function likeMatcher(pattern: string, escape?: string | null): (s: string) => boolean {
  if (!escape && !pattern.includes('_')) {
    const inner = pattern.slice(1, -1);
    if (!pattern.includes('%')) return (s) => s === pattern;
    if (pattern.length > 1 && pattern[0] === '%' && pattern.endsWith('%') && !inner.includes('%')) return (s) => s.includes(inner);
    if (pattern.endsWith('%') && pattern.indexOf('%') === pattern.length - 1) {
      const p = pattern.slice(0, -1);
      return (s) => s.startsWith(p);
    }
    if (pattern[0] === '%' && pattern.lastIndexOf('%') === 0) {
      const p = pattern.slice(1);
      return (s) => s.endsWith(p);
    }
  }
  const re = likeToRegExp(pattern, escape);
  return (s) => re.test(s);
}

/**
 * SQL SIMILAR TO pattern → RegExp: `%` and `_` as in LIKE, plus `|`, `*`, `+`, `?`, `{m,n}`,
 * `( )` and `[ ]` character classes; everything else literal.
 */
export function similarToRegExp(pattern: string, escape?: string | null): RegExp {
  let re = '^(?:';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape && c === escape) {
      const n = pattern[i + 1] ?? '';
      re += /[a-zA-Z0-9]/.test(n) ? n : '\\' + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      re += c === '\\' ? '\\\\' : c;
      continue;
    }
    switch (c) {
      case '%':
        re += '[\\s\\S]*';
        break;
      case '_':
        re += '[\\s\\S]';
        break;
      case '[':
        inClass = true;
        re += c;
        break;
      case '|':
      case '*':
      case '+':
      case '?':
      case '(':
      case ')':
      case '{':
      case '}':
        re += c;
        break;
      default:
        re += REGEX_SPECIAL.test(c) ? '\\' + c : c;
    }
  }
  try {
    return new RegExp(re + ')$');
  } catch (e) {
    throw new ValidationError(`Invalid SIMILAR TO pattern '${pattern}': ${(e as Error).message}`);
  }
}
