// Printing statement results and errors for the CLI commands (run, sql, explain).
import { SqlSyntaxError, TsstreamError, type SourcePosition } from '../common/errors.js';
import type { StatementResult } from './session.js';
import { renderTableau } from './tableau.js';

/** `FILE:LINE:COL: message`, the source line and a caret, for any error that carries a position. */
export function formatError(err: unknown, file: string | undefined, text: string | undefined): string {
  if (err instanceof SqlSyntaxError) return err.format(file);
  if (err instanceof TsstreamError) {
    const pos = (err as { position?: SourcePosition }).position;
    const msg = err.message.replace(/^\d+:\d+: /, '');
    if (pos && text !== undefined) {
      const line = text.split(/\r?\n/)[pos.line - 1] ?? '';
      return `${file ? `${file}:` : ''}${pos.line}:${pos.column}: ${msg}\n${line}\n${' '.repeat(Math.max(0, pos.column - 1))}^`;
    }
    return `${file ? `${file}: ` : ''}${msg}`;
  }
  const e = err as Error;
  return `${file ? `${file}: ` : ''}${e?.message ?? String(err)}`;
}

/** Text for a result that needs no job: messages and tables. */
export function resultText(r: StatementResult, timeZone = 'UTC'): string {
  switch (r.kind) {
    case 'ok':
      return [...(r.warnings ?? []).map((w) => `[WARNING] ${w}`), r.message ? `[INFO] ${r.message}` : ''].filter(Boolean).join('\n') + (r.message || r.warnings?.length ? '\n' : '');
    case 'table':
      return renderTableau(r.columns, r.rows, { timeZone });
    case 'explain':
      return r.text;
    case 'job':
    case 'query':
    case 'quit':
      return '';
  }
}
