// Splits SQL text into statements at `;` (placeholder until the splitter lands).
export interface StatementText {
  text: string;
  start: number;
  end: number;
  line: number;
  column: number;
}
export function splitStatements(sql: string): StatementText[] {
  return [{ text: sql, start: 0, end: sql.length, line: 1, column: 1 }];
}
export function isSqlComplete(text: string): boolean {
  return text.trimEnd().endsWith(';');
}
