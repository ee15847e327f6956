// JSON_OBJECTAGG and JSON_ARRAYAGG, as Flink 1.20 has them: VARCHAR(2000) NOT NULL results ('{}' and
// '[]' for no row), JSON_OBJECTAGG's keys sorted and unique (a repeated key fails the job),
// JSON_ARRAYAGG in arrival order; both retract (a streaming changelog input).
//
// The ON NULL clause and whether the value is JSON already (the call of an inner JSON_OBJECT or
// JSON_ARRAY, nested as JSON, not as a string) pick the internal variant the planner binds
// (jsonAggregateName): JSON_OBJECTAGG is NULL ON NULL and JSON_ARRAYAGG ABSENT ON NULL by default.
import type { LogicalType } from '../common/types.js';
import { formatType } from '../common/types.js';
import { JobError, ValidationError } from '../common/errors.js';
import type { Accumulator, AggregateFunctionDef } from './api.js';
import { STR } from './helpers.js';
import { checkJsonWritable, jsonQuote, jsonWriter } from './scalar/json.js';

const RESULT: LogicalType = { kind: 'VARCHAR', length: 2000, nullable: false };

/** The internal aggregate name for JSON_OBJECTAGG/JSON_ARRAYAGG with these clauses (else the name itself). */
export function jsonAggregateName(name: string, onNull: 'NULL' | 'ABSENT' | undefined, valueIsJson: boolean): string {
  if (name !== 'JSON_OBJECTAGG' && name !== 'JSON_ARRAYAGG') return name;
  const nonDefault = name === 'JSON_OBJECTAGG' ? onNull === 'ABSENT' : onNull === 'NULL';
  if (!nonDefault && !valueIsJson) return name;
  return `$${name}${nonDefault ? (name === 'JSON_OBJECTAGG' ? '_ABSENT_ON_NULL' : '_NULL_ON_NULL') : ''}${valueIsJson ? '_RAW' : ''}`;
}

class ArrayAgg implements Accumulator {
  items: string[] = [];
  constructor(
    private readonly write: (v: unknown) => string,
    private readonly nullOnNull: boolean,
  ) {}
  private text(v: unknown): string | undefined {
    if (v === null || v === undefined) return this.nullOnNull ? 'null' : undefined;
    return this.write(v);
  }
  add(v: unknown[]): void {
    const t = this.text(v[0]);
    if (t !== undefined) this.items.push(t);
  }
  retract(v: unknown[]): void {
    const t = this.text(v[0]);
    if (t === undefined) return;
    const i = this.items.indexOf(t);
    if (i >= 0) this.items.splice(i, 1);
  }
  merge(o: Accumulator): void {
    for (const t of (o as ArrayAgg).items) this.items.push(t);
  }
  result(): unknown {
    return '[' + this.items.join(',') + ']';
  }
  save(): unknown {
    return this.items;
  }
  load(s: unknown): void {
    this.items = (s as string[]).slice();
  }
}

class ObjectAgg implements Accumulator {
  entries = new Map<string, string>();
  constructor(
    private readonly write: (v: unknown) => string,
    private readonly absentOnNull: boolean,
  ) {}
  add(v: unknown[]): void {
    const k = v[0];
    if (k === null || k === undefined) throw new JobError('JSON_OBJECTAGG: a key is NULL (keys must not be NULL)');
    const x = v[1];
    if ((x === null || x === undefined) && this.absentOnNull) return;
    const key = k as string;
    if (this.entries.has(key)) {
      throw new JobError(`JSON_OBJECTAGG: Key '${key}' is already present. Duplicate keys are not allowed in JSON_OBJECTAGG. Please ensure that keys are unique.`);
    }
    this.entries.set(key, x === null || x === undefined ? 'null' : this.write(x));
  }
  retract(v: unknown[]): void {
    if (v[0] !== null && v[0] !== undefined) this.entries.delete(v[0] as string);
  }
  merge(o: Accumulator): void {
    for (const [k, x] of (o as ObjectAgg).entries) {
      if (this.entries.has(k)) throw new JobError(`JSON_OBJECTAGG: Key '${k}' is already present. Duplicate keys are not allowed in JSON_OBJECTAGG. Please ensure that keys are unique.`);
      this.entries.set(k, x);
    }
  }
  result(): unknown {
    const keys = [...this.entries.keys()].sort();
    return '{' + keys.map((k) => jsonQuote(k) + ':' + this.entries.get(k)).join(',') + '}';
  }
  save(): unknown {
    return [...this.entries];
  }
  load(s: unknown): void {
    this.entries = new Map(s as [string, string][]);
  }
}

const writerFor = (t: LogicalType, raw: boolean): ((v: unknown) => string) => (raw ? (v) => String(v) : jsonWriter(t));

function noDistinct(name: string, distinct: boolean): void {
  if (distinct) throw new ValidationError(`${name} does not take DISTINCT`);
}

const arrayAgg = (name: string, nullOnNull: boolean, raw: boolean): AggregateFunctionDef => ({
  name,
  returnType(args, distinct) {
    noDistinct('JSON_ARRAYAGG', distinct);
    if (args.length !== 1) throw new ValidationError(`Invalid arguments for aggregate function JSON_ARRAYAGG(${args.map(formatType).join(', ')}); expected JSON_ARRAYAGG(value)`);
    checkJsonWritable('JSON_ARRAYAGG', args[0]);
    return RESULT;
  },
  create(args) {
    const w = writerFor(args[0], raw);
    return () => new ArrayAgg(w, nullOnNull);
  },
});

const objectAgg = (name: string, absentOnNull: boolean, raw: boolean): AggregateFunctionDef => ({
  name,
  returnType(args, distinct) {
    noDistinct('JSON_OBJECTAGG', distinct);
    if (args.length !== 2 || !STR(args[0]) || args[0].kind === 'NULL') {
      throw new ValidationError(`Invalid arguments for aggregate function JSON_OBJECTAGG(${args.map(formatType).join(', ')}); expected JSON_OBJECTAGG(KEY key STRING VALUE value)`);
    }
    checkJsonWritable('JSON_OBJECTAGG', args[1]);
    return RESULT;
  },
  create(args) {
    const w = writerFor(args[1], raw);
    return () => new ObjectAgg(w, absentOnNull);
  },
});

export const JSON_AGGREGATE_FUNCTIONS: AggregateFunctionDef[] = [
  arrayAgg('JSON_ARRAYAGG', false, false),
  arrayAgg('$JSON_ARRAYAGG_NULL_ON_NULL', true, false),
  arrayAgg('$JSON_ARRAYAGG_RAW', false, true),
  arrayAgg('$JSON_ARRAYAGG_NULL_ON_NULL_RAW', true, true),
  objectAgg('JSON_OBJECTAGG', false, false),
  objectAgg('$JSON_OBJECTAGG_ABSENT_ON_NULL', true, false),
  objectAgg('$JSON_OBJECTAGG_RAW', false, true),
  objectAgg('$JSON_OBJECTAGG_ABSENT_ON_NULL_RAW', true, true),
];
