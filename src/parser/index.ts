// The SQL front end's public API: SQL text in, AST (src/parser/ast.ts) out, and back to SQL.
export type * from './ast.js';
export { parseStatements, parseStatement, parseExpression, parseDataType } from './parser.js';
export { splitStatements, isSqlComplete, type StatementText } from './splitter.js';
export { printStatement, printExpression, printQuery, printDataType } from './printer.js';
export { formatParseError } from './report.js';
export { tokenize, type Token } from './lexer.js';
