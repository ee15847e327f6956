// The shell's history file ($TSSTREAM_HOME/sql_history): one statement per line (a multi-line
// statement is kept on one line), oldest first, like sql-client's history file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isSecretKey } from '../../common/options.js';

export const HISTORY_SIZE = 1000;

/** Entries newest first, as node:readline wants them. */
export async function loadHistory(file: string): Promise<string[]> {
  try {
    const text = await fs.readFile(file, 'utf8');
    return text.split('\n').filter((l) => l.trim() !== '').reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

/** Writes entries (newest first) oldest first. Never throws: a shell without history still works. */
export async function saveHistory(file: string, newestFirst: readonly string[]): Promise<void> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const lines = newestFirst.slice(0, HISTORY_SIZE).reverse().map(maskSqlSecrets);
    await fs.writeFile(file, lines.join('\n') + (lines.length ? '\n' : ''), { mode: 0o600 });
  } catch {
    // ignore
  }
}

/** One history line for a statement typed over several lines. */
export function historyEntry(statement: string): string {
  return statement.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join(' ');
}

const SQL_STRING = "'((?:[^']|'')*)'";
/** `'key' = 'value'` (WITH options, SET) and the sql-client's unquoted `SET key = value`. */
const QUOTED_PAIR = new RegExp(`${SQL_STRING}(\\s*=\\s*)${SQL_STRING}`, 'g');
const UNQUOTED_SET = /\b(SET\s+)([A-Za-z0-9_.-]+)(\s*=\s*)([^;'\s][^;]*?)(\s*(?:;|$))/gi;

/** The statement with the values of options and SET keys named like secrets replaced by ******. */
export function maskSqlSecrets(statement: string): string {
  return statement
    .replace(QUOTED_PAIR, (all, key: string, eq: string) => (isSecretKey(key.replace(/''/g, "'")) ? `'${key}'${eq}'******'` : all))
    .replace(UNQUOTED_SET, (all, set: string, key: string, eq: string, _value: string, end: string) => (isSecretKey(key) ? `${set}${key}${eq}******${end}` : all));
}
