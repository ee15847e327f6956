// Bound, typed row expressions (Calcite's RexNode): what the binder makes of SQL expressions
// and what the runtime compiles into JS functions once per plan.
import { formatNanos } from '../common/nanos.js';
import { decToString, type Exact } from '../common/exact.js';
import type { LogicalType } from '../common/types.js';

export type RexNode =
  /** A column of the operator's input row, by position. */
  | { kind: 'input'; index: number; type: LogicalType; name?: string }
  | { kind: 'literal'; value: unknown; type: LogicalType }
  /**
   * An operator or function. Operators: '=', '<>', '<', '<=', '>', '>=', 'IS DISTINCT FROM',
   * 'IS NOT DISTINCT FROM', '+', '-', '*', '/', '%', 'NEG', 'AND', 'OR', 'NOT', 'IS NULL',
   * 'IS NOT NULL', 'IS TRUE', 'IS NOT TRUE', 'IS FALSE', 'IS NOT FALSE', '||', 'LIKE',
   * 'NOT LIKE', 'SIMILAR TO', 'IN', 'NOT IN', 'BETWEEN', 'NOT BETWEEN', 'ITEM' (a[i], m[k]),
   * 'FIELD' (row.f, second arg a literal index), 'CASE' (when, then, …, else), 'ARRAY', 'MAP', 'ROW'.
   * Anything else names a built-in scalar function (src/functions).
   */
  | { kind: 'call'; op: string; args: RexNode[]; type: LogicalType }
  | { kind: 'cast'; arg: RexNode; type: LogicalType; safe: boolean };

export function rexInput(index: number, type: LogicalType, name?: string): RexNode {
  return { kind: 'input', index, type, name };
}

export function rexLiteral(value: unknown, type: LogicalType): RexNode {
  return { kind: 'literal', value, type };
}

export function rexCall(op: string, args: RexNode[], type: LogicalType): RexNode {
  return { kind: 'call', op, args, type };
}

/** The input columns an expression reads. */
export function inputRefs(e: RexNode, out = new Set<number>()): Set<number> {
  switch (e.kind) {
    case 'input':
      out.add(e.index);
      break;
    case 'literal':
      break;
    case 'call':
      for (const a of e.args) inputRefs(a, out);
      break;
    case 'cast':
      inputRefs(e.arg, out);
      break;
  }
  return out;
}

/** Rewrites input references (e.g. after a projection is pushed below). */
export function remapInputs(e: RexNode, map: (index: number) => RexNode): RexNode {
  switch (e.kind) {
    case 'input':
      return map(e.index);
    case 'literal':
      return e;
    case 'call':
      return { ...e, args: e.args.map((a) => remapInputs(a, map)) };
    case 'cast':
      return { ...e, arg: remapInputs(e.arg, map) };
  }
}

/** `$name` / literal / `op(args)` text for EXPLAIN. */
export function formatRex(e: RexNode, inputNames: readonly string[] = []): string {
  switch (e.kind) {
    case 'input':
      return inputNames[e.index] ?? e.name ?? `$${e.index}`;
    case 'literal':
      return formatLiteral(e.value, e.type);
    case 'cast':
      return `${e.safe ? 'TRY_CAST' : 'CAST'}(${formatRex(e.arg, inputNames)} AS ${typeName(e.type)})`;
    case 'call': {
      const args = e.args.map((a) => formatRex(a, inputNames));
      if (BINARY_OPS.has(e.op) && args.length === 2) return `(${args[0]} ${e.op} ${args[1]})`;
      if (e.op === 'NOT') return `NOT(${args[0]})`;
      if (e.op === 'NEG') return `-(${args[0]})`;
      if (e.op.startsWith('IS ')) return `(${args[0]} ${e.op})`;
      return `${e.op}(${args.join(', ')})`;
    }
  }
}

const BINARY_OPS = new Set(['=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', 'AND', 'OR', '||', 'LIKE', 'NOT LIKE', 'IS DISTINCT FROM', 'IS NOT DISTINCT FROM']);

function typeName(t: LogicalType): string {
  switch (t.kind) {
    case 'VARCHAR':
      return t.length === 2147483647 ? 'STRING' : `VARCHAR(${t.length})`;
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
    case 'TIME':
      return `${t.kind}(${t.precision})`;
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    default:
      return t.kind;
  }
}

export function formatLiteral(v: unknown, t: LogicalType): string {
  if (v === null || v === undefined) return 'NULL';
  switch (t.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return `'${String(v).replace(/'/g, "''")}'`;
    case 'INTERVAL_DAY_TIME': {
      const ms = Number(v) / 1000;
      return ms % 60000 === 0 ? `INTERVAL '${ms / 60000}' MINUTE` : `INTERVAL '${ms / 1000}' SECOND`;
    }
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      if (typeof v === 'bigint') return `TIMESTAMP '${formatNanos(v, t.precision)}'`;
      const d = new Date(Number(v) / 1000).toISOString().replace('T', ' ').replace('Z', '');
      return `TIMESTAMP '${d}'`;
    }
    case 'DECIMAL':
      return decToString(v as Exact, t.scale);
    default:
      return String(v);
  }
}
