// Keyword sets shared by the parser (what cannot be a bare name) and the printer (what to quote).

/**
 * Words that cannot be used as unquoted names (columns, aliases, tables) because the grammar
 * would become ambiguous. Flink reserves more; tsstream accepts those as names where they are
 * unambiguous and the printer back-quotes them (see NEEDS_QUOTES).
 */
export const RESERVED = new Set([
  'ALL', 'AND', 'AS', 'BETWEEN', 'BY', 'CASE', 'CAST', 'CROSS', 'DISTINCT', 'ELSE', 'END', 'ESCAPE',
  'EXCEPT', 'EXISTS', 'FALSE', 'FETCH', 'FOR', 'FROM', 'FULL', 'GROUP', 'HAVING', 'IN', 'INNER',
  'INTERSECT', 'INTERVAL', 'INTO', 'IS', 'JOIN', 'LATERAL', 'LEFT', 'LIKE', 'LIMIT',
  'MATCH_RECOGNIZE', 'MINUS', 'NATURAL', 'NOT', 'NULL', 'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER',
  'OVER', 'RIGHT', 'SELECT', 'SIMILAR', 'TABLE', 'TABLESAMPLE', 'THEN', 'TRUE', 'TRY_CAST',
  'UNION', 'UNKNOWN', 'UNNEST', 'USING', 'VALUES', 'WHEN', 'WHERE', 'WINDOW', 'WITH',
]);

/** Functions callable without parentheses (`CURRENT_TIMESTAMP`). */
export const NILADIC_FUNCTIONS = new Set([
  'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'LOCALTIME', 'LOCALTIMESTAMP',
  'CURRENT_CATALOG', 'CURRENT_DATABASE', 'CURRENT_USER', 'SESSION_USER', 'USER', 'CURRENT_ROLE',
]);

/**
 * Words the printer back-quotes when they are used as names: the reserved ones plus Flink's
 * reserved keywords that tsstream happens to accept as names, so printed SQL also runs on Flink.
 */
export const NEEDS_QUOTES = new Set([
  ...RESERVED,
  ...NILADIC_FUNCTIONS,
  'ARRAY', 'MAP', 'ROW', 'DATE', 'TIME', 'TIMESTAMP', 'YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE',
  'SECOND', 'VALUE', 'USER', 'PARTITION', 'PARTITIONED', 'CREATE', 'DROP', 'ALTER', 'INSERT',
  'SET', 'RESET', 'USE', 'SHOW', 'DESCRIBE', 'EXPLAIN', 'EXECUTE', 'UPDATE', 'DELETE', 'CURRENT',
  'ROWS', 'RANGE', 'PRECEDING', 'FOLLOWING', 'UNBOUNDED', 'FILTER', 'SYSTEM_TIME', 'ANY', 'SOME',
  'ASYMMETRIC', 'SYMMETRIC', 'BOTH', 'LEADING', 'TRAILING', 'EXTRACT', 'POSITION', 'SUBSTRING',
  'TRIM', 'OVERLAY', 'FLOOR', 'CEIL', 'CEILING', 'COUNT', 'SUM', 'MIN', 'MAX', 'AVG', 'MOD',
  'PRIMARY', 'KEY', 'CONSTRAINT', 'WATERMARK', 'METADATA', 'VIRTUAL', 'COMMENT', 'DESCRIPTOR',
  'ORDINALITY', 'GROUPING', 'ROLLUP', 'CUBE', 'SETS', 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST',
  'BOOLEAN', 'INT', 'INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT', 'DECIMAL',
  'CHAR', 'VARCHAR', 'BINARY', 'VARBINARY', 'STRING', 'BYTES', 'MULTISET', 'RAW', 'TO', 'AT',
  'ONLY', 'NEXT', 'ROW_NUMBER', 'RANK', 'DENSE_RANK', 'TUMBLE', 'HOP', 'SESSION', 'CUMULATE',
  'LANGUAGE', 'FUNCTION', 'CATALOG', 'DATABASE', 'VIEW', 'TEMPORARY', 'IF', 'BEGIN', 'STATEMENT',
  'SYSTEM', 'MODULES', 'JOBS', 'STOP', 'JOB', 'HELP', 'QUIT', 'EXIT', 'CLEAR', 'REPLACE',
]);

/** Whether a name can be printed without back-quotes and re-parse as the same name. */
export function isPlainName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) && !NEEDS_QUOTES.has(name.toUpperCase());
}
