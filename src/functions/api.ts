// Built-in SQL functions: the planner asks them for result types, the runtime for
// implementations. Implementations are created once per plan, never looked up per row.
import type { LogicalType } from '../common/types.js';

export interface FunctionContext {
  /** `table.local-time-zone` (IANA name, default 'UTC'). */
  localTimeZone: string;
  /** Current processing time in micros since the epoch (tests may fix it). */
  now(): number;
  /** The watermark of the operator evaluating the call (micros; −∞ before the first): CURRENT_WATERMARK. */
  currentWatermark?: () => number;
  /** For each argument, its value when it is a literal (known at plan time), else undefined. */
  constantArgs: readonly unknown[];
  /**
   * For each argument, the name of the built-in function whose call it is (else undefined):
   * JSON_OBJECT and JSON_ARRAY nest the JSON of an inner JSON_OBJECT/JSON_ARRAY call as JSON.
   */
  argCalls?: readonly (string | undefined)[];
}

export interface ScalarFunctionDef {
  /** Upper-case SQL name. */
  name: string;
  /**
   * Result type for these argument types; throws ValidationError on wrong arguments.
   * `constantArgs` (optional, like FunctionContext.constantArgs): literal argument values known at
   * plan time; a few functions need them for their type (TIMESTAMPADD on a DATE, JSON_VALUE's
   * RETURNING type, TO_TIMESTAMP_LTZ's precision). Pass the same values as to `create`.
   */
  returnType(args: LogicalType[], constantArgs?: readonly unknown[]): LogicalType;
  /** When true (the default), a NULL argument gives NULL without calling the implementation. */
  strict?: boolean;
  /** False for RAND, UUID, NOW…: never folded at plan time. */
  deterministic?: boolean;
  /** The implementation for these argument types. */
  create(args: LogicalType[], ctx: FunctionContext): (...values: unknown[]) => unknown;
}

/**
 * An aggregate's accumulator is a mutable object owned by one group. `save`/`load` turn it into
 * JSON for checkpoints.
 */
export interface Accumulator {
  /** Adds one row's (non-filtered) argument values. */
  add(values: unknown[]): void;
  /** Removes a row (for retracting aggregations); optional. */
  retract?(values: unknown[]): void;
  merge(other: Accumulator): void;
  result(): unknown;
  save(): unknown;
  load(state: unknown): void;
}

export interface AggregateFunctionDef {
  name: string;
  returnType(args: LogicalType[], distinct: boolean): LogicalType;
  /** Builds a fresh accumulator factory for these argument types (DISTINCT wraps it). */
  create(args: LogicalType[], distinct: boolean): () => Accumulator;
}
