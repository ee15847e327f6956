// Tab completion for the shell: SQL keywords, and the names of catalogs, databases, tables and
// the columns of the tables the statement mentions, looked up in the session's catalogs.
import type { CatalogEntry } from '../../common/catalog.js';
import type { Session } from '../session.js';

export const KEYWORDS = [
  'ADD', 'ALL', 'ALTER', 'AND', 'ARRAY', 'AS', 'ASC', 'AVG', 'BEGIN', 'BETWEEN', 'BIGINT', 'BOOLEAN', 'BY', 'BYTES',
  'CASCADE', 'CASE', 'CAST', 'CATALOG', 'CATALOGS', 'CHAR', 'CLEAR', 'COLUMNS', 'COMMENT', 'COUNT', 'CREATE', 'CROSS',
  'CUMULATE', 'CURRENT', 'CURRENT_TIMESTAMP', 'DATABASE', 'DATABASES', 'DATE', 'DECIMAL', 'DESC', 'DESCRIBE',
  'DESCRIPTOR', 'DISTINCT', 'DOUBLE', 'DRAIN', 'DROP', 'ELSE', 'END', 'EXECUTE', 'EXISTS', 'EXIT', 'EXPLAIN',
  'EXTENDED', 'FALSE', 'FLOAT', 'FOR', 'FROM', 'FULL', 'FUNCTION', 'FUNCTIONS', 'GROUP', 'HAVING', 'HELP', 'HOP', 'IF',
  'IN', 'INNER', 'INSERT', 'INT', 'INTEGER', 'INTERVAL', 'INTO', 'IS', 'JOB', 'JOBS', 'JOIN', 'LEFT', 'LIKE', 'LIMIT',
  'MAP', 'MAX', 'METADATA', 'MIN', 'MINUTE', 'MODULES', 'NOT', 'NULL', 'ON', 'OR', 'ORDER', 'OVER', 'OVERWRITE',
  'PARTITION', 'PARTITIONED', 'PRIMARY', 'KEY', 'QUIT', 'RESET', 'RIGHT', 'ROW', 'SAVEPOINT', 'SECOND', 'SELECT',
  'SESSION', 'SET', 'SHOW', 'SMALLINT', 'STATEMENT', 'STOP', 'STRING', 'SUM', 'SYSTEM_TIME', 'TABLE', 'TABLES',
  'TEMPORARY', 'THEN', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ', 'TINYINT', 'TO', 'TRUE', 'TRY_CAST', 'TUMBLE', 'UNION',
  'USE', 'VALUES', 'VARCHAR', 'VIEW', 'VIEWS', 'WATERMARK', 'WHEN', 'WHERE', 'WITH', 'DAY', 'HOUR', 'MONTH', 'YEAR',
];

const unquote = (s: string) => s.replace(/^`|`$/g, '');

async function safe<T>(p: Promise<T> | (() => Promise<T>), fallback: T): Promise<T> {
  try {
    return await (typeof p === 'function' ? p() : p);
  } catch {
    return fallback;
  }
}

function columnsOf(e: CatalogEntry | undefined): string[] {
  return e && e.kind === 'table' ? e.columns.map((c) => c.name) : [];
}

/** Candidates for the word being typed at the end of `line` (`context`: the statement's earlier lines). */
export async function complete(session: Session, line: string, context = ''): Promise<[string[], string]> {
  const m = /[A-Za-z0-9_$`.]*$/.exec(line);
  const word = m ? m[0] : '';
  const cm = session.catalogs;
  const text = `${context}\n${line}`;
  const parts = word.split('.');
  const prefix = unquote(parts[parts.length - 1]).toLowerCase();
  const parents = parts.slice(0, -1).map(unquote);
  let names: string[] = [];

  if (parents.length === 0) {
    const before = line.slice(0, line.length - word.length).trimEnd().split(/\s+/).slice(-2).join(' ').toUpperCase();
    const catalogs = cm.catalogNames();
    if (/USE CATALOG$/.test(before)) names = catalogs;
    else {
      const dbs = await safe(() => cm.getCatalog(cm.currentCatalog).listDatabases(), []);
      const tables = await safe(() => cm.listTables(cm.currentCatalog, cm.currentDatabase, false), []);
      const views = await safe(() => cm.listTables(cm.currentCatalog, cm.currentDatabase, true), []);
      if (/\bUSE$/.test(before)) names = [...dbs, 'CATALOG'];
      else if (/\b(FROM|JOIN|INTO|TABLE|DESCRIBE|DESC)$/.test(before)) names = [...tables, ...views, ...dbs, ...catalogs];
      else {
        const upper = word === word.toLowerCase() && word !== '' ? KEYWORDS.map((k) => k.toLowerCase()) : KEYWORDS;
        // Columns of the tables this statement mentions.
        let mentioned = [...tables, ...views].filter((t) => new RegExp(`(^|[^A-Za-z0-9_$])\`?${t.replace(/[$]/g, '\\$')}\`?([^A-Za-z0-9_$]|$)`).test(text));
        // None yet (SELECT before FROM): the columns of every table of the current database.
        if (!mentioned.length) mentioned = tables.slice(0, 50);
        const cols: string[] = [];
        for (const t of mentioned) cols.push(...columnsOf(await safe(() => cm.get({ catalog: cm.currentCatalog, database: cm.currentDatabase, table: t }), undefined)));
        for (const q of text.matchAll(/`?([A-Za-z_][\w$]*)`?\.`?([A-Za-z_][\w$]*)`?\.`?([A-Za-z_][\w$]*)`?/g)) {
          cols.push(...columnsOf(await safe(() => cm.get({ catalog: q[1], database: q[2], table: q[3] }), undefined)));
        }
        names = [...cols, ...tables, ...views, ...dbs, ...catalogs, ...upper];
      }
    }
  } else if (parents.length === 1) {
    const [p] = parents;
    if (cm.hasCatalog(p)) names.push(...(await safe(() => cm.getCatalog(p).listDatabases(), [])));
    names.push(...(await safe(() => cm.listTables(cm.currentCatalog, p, false), [])));
    names.push(...columnsOf(await safe(() => cm.get({ catalog: cm.currentCatalog, database: cm.currentDatabase, table: p }), undefined)));
  } else if (parents.length === 2) {
    const [c, d] = parents;
    if (cm.hasCatalog(c)) names.push(...(await safe(() => cm.listTables(c, d, false), [])), ...(await safe(() => cm.listTables(c, d, true), [])));
    names.push(...columnsOf(await safe(() => cm.get({ catalog: cm.currentCatalog, database: c, table: d }), undefined)));
  } else if (parents.length === 3) {
    const [c, d, t] = parents;
    names.push(...columnsOf(await safe(() => cm.get({ catalog: c, database: d, table: t }), undefined)));
  }
  const head = parts.slice(0, -1).join('.');
  const seen = new Set<string>();
  const hits: string[] = [];
  for (const n of names) {
    if (!n.toLowerCase().startsWith(prefix) || seen.has(n)) continue;
    seen.add(n);
    hits.push(head ? `${head}.${n}` : n);
  }
  return [hits, word];
}

/** A node:readline completer bound to a session; `context` gives the lines typed before this one. */
export function makeCompleter(session: Session, context: () => string) {
  return (line: string, cb: (err: Error | null, result: [string[], string]) => void): void => {
    complete(session, line, context()).then(
      (r) => cb(null, r),
      () => cb(null, [[], line]),
    );
  };
}
