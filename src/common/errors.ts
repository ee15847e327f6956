// Typed errors that a person can act on: each names what was wrong and where.

export class TsstreamError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Where in the SQL text something is: 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
  offset: number;
}

/** A syntax error with its position, the source line and a caret under the offending token. */
export class SqlSyntaxError extends TsstreamError {
  constructor(
    readonly detail: string,
    readonly position: SourcePosition,
    readonly sourceLine: string,
    readonly tokenLength = 1,
  ) {
    super('SQL_SYNTAX', `${position.line}:${position.column}: ${detail}`);
  }

  /** The message, the source line and a caret line. */
  format(file?: string): string {
    const where = file ? `${file}:${this.position.line}:${this.position.column}` : `${this.position.line}:${this.position.column}`;
    const caret = ' '.repeat(Math.max(0, this.position.column - 1)) + '^'.repeat(Math.max(1, Math.min(this.tokenLength, 80)));
    return `${where}: ${this.detail}\n${this.sourceLine}\n${caret}`;
  }
}

/** A statement that parses but does not make sense: unknown names, wrong types, bad options. */
export class ValidationError extends TsstreamError {
  constructor(message: string, readonly position?: SourcePosition) {
    super('VALIDATION', message);
  }
}

/** A query that is valid SQL but cannot be planned as asked (e.g. updates into an append-only sink). */
export class PlanningError extends TsstreamError {
  constructor(message: string) {
    super('PLANNING', message);
  }
}

/** A connector or format failure, naming the connector and the place (topic/partition/offset, file:line). */
export class ConnectorError extends TsstreamError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONNECTOR', message, options);
  }
}

/** A failure while a job runs (not a connector's). */
export class JobError extends TsstreamError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('JOB', message, options);
  }
}

/** A feature the SQL names that tsstream does not do yet: never a silent wrong answer. */
export class UnsupportedError extends TsstreamError {
  constructor(message: string, readonly position?: SourcePosition) {
    super('UNSUPPORTED', message);
  }
}

/** Levenshtein distance, for "did you mean …?" suggestions. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n];
}

/** The closest candidate within a small distance, or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export function suggestion(name: string, candidates: Iterable<string>): string {
  const s = didYouMean(name, candidates);
  return s ? ` — did you mean '${s}'?` : '';
}
