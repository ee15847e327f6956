// Recursive-descent parser for tsstream's Flink SQL dialect (placeholder until the parser lands).
import { UnsupportedError } from '../common/errors.js';
import type { LogicalType } from '../common/types.js';
import type { Expr, Statement } from './ast.js';

export function parseStatements(sql: string): Statement[] {
  throw new UnsupportedError(`parser not implemented yet (${sql.length} chars)`);
}
export function parseStatement(sql: string): Statement {
  throw new UnsupportedError(`parser not implemented yet (${sql.length} chars)`);
}
export function parseExpression(sql: string): Expr {
  throw new UnsupportedError(`parser not implemented yet (${sql.length} chars)`);
}
export function parseDataType(sql: string): LogicalType {
  throw new UnsupportedError(`parser not implemented yet (${sql.length} chars)`);
}
