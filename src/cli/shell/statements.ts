// Splitting a complete input buffer into statements that parse one by one, with positions that
// still point into the buffer (so an error's caret lands under the right token of what was typed).
import type * as A from '../../parser/ast.js';
import { parseStatements, splitStatements } from '../../parser/index.js';

export interface BufferedStatement {
  /** The statement's text, without its `;`. */
  text: string;
  /** The buffer up to the statement blanked out (newlines kept) + the statement: parse this. */
  padded: string;
}

/** The statements of a complete buffer, in order. */
export function bufferStatements(buffer: string): BufferedStatement[] {
  return splitStatements(buffer).map((st) => ({
    text: st.text,
    padded: buffer.slice(0, st.start).replace(/[^\r\n]/g, ' ') + st.text,
  }));
}

/** Parses one statement of a buffer; throws SqlSyntaxError with a position in the buffer. */
export function parseBuffered(st: BufferedStatement): A.Statement | undefined {
  return parseStatements(st.padded)[0];
}
