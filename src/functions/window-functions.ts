// Window functions of streaming OVER aggregations, as accumulators (the batch OVER operator
// computes them over whole sorted partitions instead). Flink 1.20's streaming semantics:
// ROW_NUMBER runs over ROWS and counts rows; RANK and DENSE_RANK run over RANGE without their order
// key, so both count the rows up to the last of the current timestamp's rows; LAG keeps the last
// offset+1 values (of a RANGE frame: the rows of one timestamp share the value offset rows before
// the last of them), or its default while there are fewer.
import type { AggCall } from '../planner/physical.js';
import type { Accumulator } from './api.js';

class RowCount implements Accumulator {
  n = 0;
  add(): void {
    this.n++;
  }
  merge(other: Accumulator): void {
    this.n += (other as RowCount).n;
  }
  result(): unknown {
    return this.n;
  }
  save(): unknown {
    return this.n;
  }
  load(state: unknown): void {
    this.n = state as number;
  }
}

/** Flink's LagAggFunction: args [value, default?]. */
class Lag implements Accumulator {
  buffer: unknown[] = [];
  def: unknown = null;
  constructor(private readonly offset: number) {}
  add(values: unknown[]): void {
    if (values.length > 1) this.def = values[1] ?? null;
    this.buffer.push(values[0] ?? null);
    while (this.buffer.length > this.offset + 1) this.buffer.shift();
  }
  merge(): void {
    throw new Error('LAG accumulators do not merge');
  }
  result(): unknown {
    return this.buffer.length < this.offset + 1 ? this.def : this.buffer[0];
  }
  save(): unknown {
    return { buffer: this.buffer, def: this.def };
  }
  load(state: unknown): void {
    const s = state as { buffer: unknown[]; def: unknown };
    this.buffer = s.buffer;
    this.def = s.def;
  }
}

/** The accumulator maker of a window function call of a streaming OVER, or undefined for an aggregate. */
export function windowFunctionAccumulator(c: AggCall): (() => Accumulator) | undefined {
  switch (c.fn) {
    case 'ROW_NUMBER':
    case 'RANK':
    case 'DENSE_RANK':
      return () => new RowCount();
    case 'LAG': {
      const offset = c.offset ?? 1;
      return () => new Lag(offset);
    }
    default:
      return undefined;
  }
}
