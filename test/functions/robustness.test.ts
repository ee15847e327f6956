import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/common/errors.js';
import { aggregateFunctionNames, getAggregateFunction, getScalarFunction, scalarFunctionNames } from '../../src/functions/registry.js';
import { ty } from './util.js';

const SAMPLES = ['BOOLEAN', 'INT', 'STRING', 'TIMESTAMP(3)', 'ARRAY<INT>', 'NULL', 'BYTES', 'MAP<STRING, INT>'].map(ty);

describe('every function validates its arguments with a ValidationError', () => {
  it.each(scalarFunctionNames())('%s', (name) => {
    const def = getScalarFunction(name)!;
    expect(def.name).toBe(name);
    for (let n = 0; n <= 3; n++) {
      for (const t of SAMPLES) {
        const args = new Array(n).fill(t);
        try {
          const r = def.returnType(args, new Array(n).fill(undefined));
          expect(typeof r.kind).toBe('string');
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
          expect((e as Error).message).toContain(name);
        }
      }
    }
  });

  it.each(aggregateFunctionNames())('aggregate %s', (name) => {
    const def = getAggregateFunction(name)!;
    for (let n = 0; n <= 2; n++) {
      for (const t of SAMPLES) {
        try {
          const r = def.returnType(new Array(n).fill(t), false);
          expect(typeof r.kind).toBe('string');
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
          expect((e as Error).message).toContain(name);
        }
      }
    }
  });
});
