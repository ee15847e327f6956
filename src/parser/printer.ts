// Prints AST nodes back to SQL (placeholder until the printer lands).
import { formatType, type LogicalType } from '../common/types.js';
import type { Expr, Query, Statement } from './ast.js';

export function printStatement(s: Statement): string {
  return s.kind;
}
export function printExpression(e: Expr): string {
  return e.kind;
}
export function printQuery(q: Query): string {
  return q.kind;
}
export function printDataType(t: LogicalType): string {
  return formatType(t);
}
