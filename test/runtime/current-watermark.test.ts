// CURRENT_WATERMARK(rowtime) reads the watermark of the operator evaluating it: NULL before the
// first watermark, then the watermark as a value of the rowtime's type; in WHERE it drops late rows.
// A memory source with 'pipeline.auto-watermark-interval' = '0' sends the watermark after each
// batch it reads, so each pushed batch sees the watermark of the batches before it. (Types, errors
// and Flink's agreement: test/difftest/cases/current-watermark.sql.)
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';
import { parseTimestamp } from '../../src/common/time.js';
import { formatValue } from '../../src/functions/cast.js';
import type { Row } from '../../src/common/types.js';

const ts = (s: string) => parseTimestamp(s)!;
const TS3 = { kind: 'TIMESTAMP', precision: 3, nullable: true } as const;

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('CURRENT_WATERMARK', () => {
  it('is NULL before the first watermark, then the watermark; WHERE ts > CURRENT_WATERMARK(ts) drops a late row', async () => {
    const input = memoryChannel('cw-in');
    const all = memoryChannel('cw-all');
    const onTime = memoryChannel('cw-ontime');
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      SET 'pipeline.auto-watermark-interval' = '0';
      CREATE TABLE src (id STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'memory', 'channel' = 'cw-in');
      CREATE TABLE all_rows (id STRING, wm TIMESTAMP(3)) WITH ('connector' = 'memory', 'channel' = 'cw-all');
      CREATE TABLE on_time (id STRING) WITH ('connector' = 'memory', 'channel' = 'cw-ontime');
      EXECUTE STATEMENT SET BEGIN
        INSERT INTO all_rows SELECT id, CURRENT_WATERMARK(ts) FROM src;
        INSERT INTO on_time SELECT id FROM src WHERE ts > CURRENT_WATERMARK(ts) OR CURRENT_WATERMARK(ts) IS NULL;
      END;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    const done = r.job.run();
    const push = async (row: Row, n: number) => {
      input.push([row]);
      await until(() => all.written.length === n);
    };
    await push(['a', ts('2024-01-01 00:00:10')], 1);
    await push(['b', ts('2024-01-01 00:00:20')], 2);
    await push(['late', ts('2024-01-01 00:00:05')], 3);
    await push(['c', ts('2024-01-01 00:00:30')], 4);
    input.end();
    await done;
    expect(all.written.map((x) => [x[0], formatValue(x[1], TS3)])).toEqual([
      ['a', 'NULL'],
      ['b', '2024-01-01 00:00:09.000'],
      ['late', '2024-01-01 00:00:19.000'],
      ['c', '2024-01-01 00:00:19.000'],
    ]);
    expect(onTime.written.map((x) => x[0])).toEqual(['a', 'b', 'c']);
    await session.close();
  });
});
