// NOT IN / NOT EXISTS in a streaming window aggregation's WHERE: as Flink plans it, a regular
// GROUP BY on the window TVF's bounds over the anti join's changelog. EXPLAIN, and the TVF that
// keeps row kinds and drops nothing as late. Flink's results: test/difftest/cases/window-semi-join.sql.
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { parseStatement } from '../../src/parser/index.js';
import type { QueryStatement } from '../../src/parser/ast.js';
import { rowKindOf, setRowKind, type Row } from '../../src/common/types.js';
import { WindowTableFunctionOperator } from '../../src/runtime/operators/window.js';

const TABLES = `CREATE TABLE sales (region STRING, qty INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen', 'number-of-rows' = '1');
  CREATE TABLE picks (region STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '1');`;

describe('NOT EXISTS in a streaming window aggregation', () => {
  it('plans a retracting GROUP BY on the window bounds over the anti join', async () => {
    const session = new Session({ log: () => {} });
    try {
      await session.executeAll(TABLES);
      const text = await session.explain(parseStatement(`SELECT window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
        WHERE NOT EXISTS (SELECT 1 FROM picks p WHERE p.region = l.region) GROUP BY window_start, window_end`) as QueryStatement);
      const physical = text.slice(text.indexOf('== Optimized Physical Plan =='));
      expect(physical).toMatch(/Aggregate\(groupBy=\[window_start, window_end, window_time\][^\n]*\n\s*\+- WindowTableFunction\(window=\[TUMBLE\(time_col=\[ts\], size=\[1 min\]\)\], changelog=\[row kinds kept, no row late\]\)/);
      expect(physical).toMatch(/anti/i);
      await expect(session.explain(parseStatement(`SELECT window_start, window_end, COUNT(*) AS n FROM TABLE(SESSION(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
        WHERE NOT EXISTS (SELECT 1 FROM picks p WHERE p.region = l.region) GROUP BY window_start, window_end`) as QueryStatement)).rejects.toThrow(/SESSION window aggregation over an updating input/);
    } finally {
      await session.close();
    }
  });

  it('the window TVF over a changelog keeps row kinds and takes a retraction of a window the watermark passed', () => {
    const out: string[] = [];
    const op = new WindowTableFunctionOperator(
      { emit: (rows: Row[]) => out.push(...rows.map((r) => `${rowKindOf(r)}${JSON.stringify(r)}`)), watermark() {}, end() {} },
      { metric() {}, now: () => 0 },
      { kind: 'TUMBLE', timeIndex: 1, eventTime: true, size: 60_000_000, slide: 60_000_000, offset: 0, partitionKeys: [], boundType: { kind: 'TIMESTAMP', precision: 3, nullable: false } },
      true,
    );
    op.process([['a', 1_000_000]], 0);
    op.watermark(120_000_000, 0);
    op.process([setRowKind(['a', 1_000_000], '-D')], 0);
    expect(out).toEqual(['+I["a",1000000,0,60000000,59999000]', '-D["a",1000000,0,60000000,59999000]']);
  });
});
