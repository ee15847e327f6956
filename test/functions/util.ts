// Test helpers: parse type names, call a registered function as the runtime does.
import type { LogicalType } from '../../src/common/types.js';
import { MAX_LENGTH } from '../../src/common/types.js';
import type { FunctionContext } from '../../src/functions/api.js';
import { getAggregateFunction, getScalarFunction } from '../../src/functions/registry.js';

/** 'INT', 'STRING NOT NULL', 'DECIMAL(10, 2)', 'TIMESTAMP(3)', 'ARRAY<INT>', 'NULL' … */
export function ty(s: string): LogicalType {
  let text = s.trim();
  let nullable = true;
  if (/\s+NOT NULL$/i.test(text)) {
    nullable = false;
    text = text.replace(/\s+NOT NULL$/i, '');
  }
  const u = text.toUpperCase();
  let m: RegExpExecArray | null;
  if (u === 'NULL') return { kind: 'NULL', nullable: true };
  if (u === 'STRING') return { kind: 'VARCHAR', length: MAX_LENGTH, nullable };
  if (u === 'BYTES') return { kind: 'VARBINARY', length: MAX_LENGTH, nullable };
  if ((m = /^(CHAR|VARCHAR|BINARY|VARBINARY)\((\d+)\)$/.exec(u))) return { kind: m[1] as 'CHAR', length: Number(m[2]), nullable };
  if ((m = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(u))) return { kind: 'DECIMAL', precision: Number(m[1]), scale: Number(m[2]), nullable };
  if ((m = /^(TIMESTAMP_LTZ|TIMESTAMP|TIME)(?:\((\d)\))?$/.exec(u))) {
    return { kind: m[1] as 'TIMESTAMP', precision: Number(m[2] ?? (m[1] === 'TIME' ? 0 : 6)), nullable };
  }
  if ((m = /^ARRAY<(.*)>$/.exec(text))) return { kind: 'ARRAY', element: ty(m[1]), nullable };
  if ((m = /^MAP<([^,]*),(.*)>$/.exec(text))) return { kind: 'MAP', key: ty(m[1]), value: ty(m[2]), nullable };
  if ((m = /^ROW<(.*)>$/.exec(text))) {
    return { kind: 'ROW', fields: m[1].split(',').map((f, i) => ({ name: `f${i}`, type: ty(f) })), nullable };
  }
  if (u === 'INTERVAL_DAY_TIME' || u === 'INTERVAL_YEAR_MONTH') return { kind: u, nullable };
  if (['BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DATE'].includes(u)) {
    return { kind: u as 'INT', nullable };
  }
  throw new Error(`test type '${s}'`);
}

export interface CallOptions {
  zone?: string;
  now?: number;
  /** Which argument positions are literals (default: all). */
  constants?: number[] | 'all' | 'none';
}

/** Calls scalar function `name` as the runtime does (strict NULL handling, constants at plan time). */
export function call(name: string, types: string[], values: unknown[], opts: CallOptions = {}): unknown {
  const def = getScalarFunction(name);
  if (!def) throw new Error(`no function ${name}`);
  const argTypes = types.map(ty);
  const which = opts.constants ?? 'all';
  const constantArgs = values.map((v, i) => (which === 'all' || (which !== 'none' && which.includes(i)) ? v : undefined));
  def.returnType(argTypes, constantArgs);
  const ctx: FunctionContext = {
    localTimeZone: opts.zone ?? 'UTC',
    now: () => opts.now ?? Date.UTC(2025, 11, 29, 10, 0, 0) * 1000,
    constantArgs,
  };
  const impl = def.create(argTypes, ctx);
  if (def.strict !== false && values.some((v) => v === null)) return null;
  return impl(...values);
}

export function returnTypeOf(name: string, types: string[], constants?: unknown[]): LogicalType {
  const def = getScalarFunction(name);
  if (!def) throw new Error(`no function ${name}`);
  return def.returnType(types.map(ty), constants);
}

export function aggregate(name: string, types: string[], rows: unknown[][], distinct = false): unknown {
  const def = getAggregateFunction(name)!;
  const acc = def.create(types.map(ty), distinct)();
  for (const r of rows) acc.add(r);
  return acc.result();
}

/** `2024-12-31 10:00:00` → micros (UTC wall clock). */
export function ts(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/.exec(s)!;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  return ms * 1000 + Number(((m[7] ?? '') + '000000').slice(0, 6));
}

export function date(s: string): number {
  return Math.floor(ts(s) / 86_400_000_000);
}

export function time(s: string): number {
  return ts('1970-01-01 ' + s);
}
