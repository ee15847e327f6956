// Formats parse failures for people: `FILE:LINE:COL: message`, the source line and a caret.
import { SqlSyntaxError, UnsupportedError } from '../common/errors.js';
import { SourceMap } from './lexer.js';

/**
 * The text to show for an error thrown by the parser, or undefined when it is not one of the
 * parser's errors. `sql` is the whole input the positions refer to.
 */
export function formatParseError(err: unknown, sql: string, file?: string): string | undefined {
  if (err instanceof SqlSyntaxError) return err.format(file);
  if (err instanceof UnsupportedError && err.position) {
    const p = err.position;
    const detail = err.message.replace(/^\d+:\d+: /, '');
    const line = new SourceMap(sql).line(p.line);
    const wordLen = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(p.column - 1))?.[0].length ?? 1;
    return new SqlSyntaxError(detail, p, line, wordLen).format(file);
  }
  return undefined;
}
