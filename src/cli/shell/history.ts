// The shell's history file ($TSSTREAM_HOME/sql_history): one statement per line (a multi-line
// statement is kept on one line), oldest first, like sql-client's history file.
import { promises as fs } from 'node:fs';
import path from 'node:path';

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
    const lines = newestFirst.slice(0, HISTORY_SIZE).reverse();
    await fs.writeFile(file, lines.join('\n') + (lines.length ? '\n' : ''), { mode: 0o600 });
  } catch {
    // ignore
  }
}

/** One history line for a statement typed over several lines. */
export function historyEntry(statement: string): string {
  return statement.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join(' ');
}
