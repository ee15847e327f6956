// S6: the real-time ETL pattern as a runnable job (queries/embedded/s6-etl.sql) through the CLI:
// malformed records skipped and counted, filter, type conversion, lookup-join enrichment,
// window aggregation into Iceberg, and an interval join of two streams.
import { describe, expect, it } from 'vitest';
import { startRun } from './helpers.js';

describe('S6: a real-time ETL job', () => {
  it('gives the expected revenue table, delivery times and counts', async () => {
    const run = startRun('queries/embedded/s6-etl.sql');
    expect(await run.exited, run.output()).toBe(0);
    const out = run.output();
    expect(out).toContain('delivery> +I[o1, 19]');
    expect(out).toContain('delivery> +I[o3, 28]');
    expect(out).not.toContain('+I[o2'); // shipped after more than an hour
    // orders feeds both INSERTs and is read once (table.optimizer.reuse-source-enabled): 4 orders
    // (its malformed line counted once), 3 shipments and 3 users are 10 rows in.
    expect(out).toMatch(/FINISHED in [\d.]+ s: 10 rows in, 5 rows out, 0 late rows dropped, 1 malformed records skipped/);
    const table = out
      .split('\n')
      .filter((l) => /^\| 2025/.test(l))
      .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    expect(table).toEqual([
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'DE', '19.90', '1'],
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'FR', '5.00', '1'],
      ['2025-12-29 10:01:00.000000', '2025-12-29 10:02:00.000000', 'DE', '7.50', '1'],
    ]);
  }, 30_000);
});
