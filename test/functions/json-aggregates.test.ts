import { describe, expect, it } from 'vitest';
import { getAggregateFunction } from '../../src/functions/registry.js';
import { jsonAggregateName } from '../../src/functions/json-aggregates.js';
import { JobError } from '../../src/common/errors.js';
import type { LogicalType } from '../../src/common/types.js';

const S: LogicalType = { kind: 'VARCHAR', length: 10, nullable: true };
const I: LogicalType = { kind: 'INT', nullable: true };

describe('JSON_ARRAYAGG / JSON_OBJECTAGG', () => {
  it('picks the variant for ON NULL and nested JSON', () => {
    expect(jsonAggregateName('JSON_ARRAYAGG', undefined, false)).toBe('JSON_ARRAYAGG');
    expect(jsonAggregateName('JSON_ARRAYAGG', 'ABSENT', false)).toBe('JSON_ARRAYAGG');
    expect(jsonAggregateName('JSON_ARRAYAGG', 'NULL', true)).toBe('$JSON_ARRAYAGG_NULL_ON_NULL_RAW');
    expect(jsonAggregateName('JSON_OBJECTAGG', 'ABSENT', false)).toBe('$JSON_OBJECTAGG_ABSENT_ON_NULL');
    expect(jsonAggregateName('SUM', 'NULL', true)).toBe('SUM');
  });

  it('retracts, and keeps its state through save/load', () => {
    const make = getAggregateFunction('$JSON_ARRAYAGG_NULL_ON_NULL')!.create([I], false);
    const a = make();
    for (const v of [1, null, 2, 1]) a.add([v]);
    a.retract!([1]);
    expect(a.result()).toBe('[null,2,1]');
    const b = make();
    b.load(JSON.parse(JSON.stringify(a.save())));
    b.retract!([null]);
    expect(b.result()).toBe('[2,1]');
  });

  it('sorts keys, refuses a repeated key, and forgets a retracted one', () => {
    const make = getAggregateFunction('JSON_OBJECTAGG')!.create([S, I], false);
    const o = make();
    o.add(['b', 2]);
    o.add(['a', null]);
    expect(o.result()).toBe('{"a":null,"b":2}');
    expect(() => o.add(['a', 5])).toThrow(JobError);
    o.retract!(['a', null]);
    o.add(['a', 5]);
    expect(o.result()).toBe('{"a":5,"b":2}');
    expect(getAggregateFunction('JSON_OBJECTAGG')!.returnType([S, I], false)).toEqual({ kind: 'VARCHAR', length: 2000, nullable: false });
  });
});
