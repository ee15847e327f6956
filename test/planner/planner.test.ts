import { describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';
import { parseTimestamp, formatTimestamp } from '../../src/common/time.js';
import { ValidationError } from '../../src/common/errors.js';
import type { Row } from '../../src/common/types.js';

const ts = (s: string) => parseTimestamp(`2025-12-29 ${s}`)!;
const hm = (v: unknown) => formatTimestamp(v as number, 0).slice(11, 16);

/** Runs a windowed SELECT over rows (k, ts) fed to a bounded memory source. */
async function windowed(channel: string, rows: [string, string][], select: string): Promise<Row[]> {
  const ch = memoryChannel(channel);
  ch.push(rows.map(([k, t]) => [k, ts(t)]));
  ch.end();
  const session = new Session({ log: () => {} });
  const res = await session.executeAll(`
    CREATE TABLE ev (k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
      WITH ('connector' = 'memory', 'channel' = '${channel}', 'bounded' = 'true');
    ${select};`);
  const q = res[res.length - 1];
  if (q.kind !== 'query') throw new Error('expected a query');
  const out = await collectQuery(q);
  await session.close();
  return out;
}

const EVENTS: [string, string][] = [
  ['a', '10:00:30'],
  ['a', '10:01:30'],
  ['b', '10:01:40'],
  ['a', '10:02:30'],
  ['a', '10:09:00'],
];

describe('window TVFs in SQL', () => {
  it('HOP counts per key with hand-computed windows', async () => {
    const rows = await windowed(
      'hop',
      EVENTS,
      `SELECT window_start, window_end, k, COUNT(*) AS c FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) GROUP BY window_start, window_end, k`,
    );
    expect(rows.map((r) => `${hm(r[0])}-${hm(r[1])} ${r[2]} ${r[3]}`).sort()).toEqual([
      '09:59-10:01 a 1',
      '10:00-10:02 a 2',
      '10:00-10:02 b 1',
      '10:01-10:03 a 2',
      '10:01-10:03 b 1',
      '10:02-10:04 a 1',
      '10:08-10:10 a 1',
      '10:09-10:11 a 1',
    ]);
  });

  it('CUMULATE emits every step of the growing window', async () => {
    const rows = await windowed(
      'cumulate',
      EVENTS.slice(0, 4),
      `SELECT window_start, window_end, COUNT(*) AS c, SUM(CASE WHEN k = 'a' THEN 1 ELSE 0 END) AS a FROM TABLE(CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '3' MINUTE)) GROUP BY window_start, window_end`,
    );
    expect(rows.map((r) => `${hm(r[0])}-${hm(r[1])} ${r[2]} ${r[3]}`)).toEqual(['10:00-10:01 1 1', '10:00-10:02 3 2', '10:00-10:03 4 3']);
  });

  it('SESSION windows with PARTITION BY', async () => {
    const rows = await windowed(
      'session',
      EVENTS,
      `SELECT k, window_start, window_end, COUNT(*) AS c FROM TABLE(SESSION(TABLE ev PARTITION BY k, DESCRIPTOR(ts), INTERVAL '2' MINUTE)) GROUP BY k, window_start, window_end`,
    );
    expect(rows.map((r) => `${r[0]} ${hm(r[1])}-${hm(r[2])} ${r[3]}`).sort()).toEqual(['a 10:00-10:04 3', 'a 10:09-10:11 1', 'b 10:01-10:03 1']);
  });

  it('a window TVF without aggregation appends the window columns', async () => {
    const rows = await windowed('tvf', [['a', '10:00:30']], `SELECT k, window_start, window_end, window_time FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE))`);
    expect(rows.map((r) => [r[0], hm(r[1]), hm(r[2]), formatTimestamp(r[3] as number, 3).slice(11)])).toEqual([['a', '10:00', '10:01', '10:00:59.999']]);
  });

  it('drops and counts late records', async () => {
    const ch = memoryChannel('late');
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      SET 'pipeline.auto-watermark-interval' = '0';
      CREATE TABLE ev (k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'memory', 'channel' = 'late', 'bounded' = 'true');
      CREATE TABLE out (k STRING, c BIGINT) WITH ('connector' = 'memory', 'channel' = 'late-out');
      INSERT INTO out SELECT k, COUNT(*) FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, k;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    const done = r.job.run();
    ch.push([['a', ts('10:00:10')], ['a', ts('10:02:00')]]);
    await new Promise((x) => setTimeout(x, 150));
    ch.push([['a', ts('10:00:20')]]); // its window ended at 10:01 < watermark 10:02
    ch.end();
    const result = await done;
    expect(result.metrics.lateRecordsDropped).toBe(1);
    expect(memoryChannel('late-out').written).toEqual([
      ['a', 1],
      ['a', 1],
    ]);
  });
});

describe('planning errors a person can act on', () => {
  const session = () => new Session({ log: () => {} });

  it('names an unknown column with a suggestion and its position', async () => {
    const s = session();
    await s.executeAll(`CREATE TABLE t (event_type STRING) WITH ('connector' = 'memory', 'channel' = 'x');`);
    const err = await s.executeAll(`SELECT\n  evnt_type FROM t;`).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(/Column 'evnt_type' not found.*did you mean 'event_type'/);
    expect(err.position).toMatchObject({ line: 2, column: 3 });
  });

  it('lists the valid options of a connector for an unknown one', async () => {
    const err = await session()
      .executeAll(`CREATE TABLE t (a STRING) WITH ('connector' = 'kafka', 'topc' = 'x', 'properties.bootstrap.servers' = 'h:1', 'format' = 'json');`)
      .catch((e) => e);
    expect(err.message).toMatch(/Unsupported option 'topc'.*did you mean 'topic'/);
  });

  it('names an unknown connector and the available ones', async () => {
    const err = await session().executeAll(`CREATE TABLE t (a STRING) WITH ('connector' = 'kafak');`).catch((e) => e);
    expect(err.message).toMatch(/unknown connector 'kafak'.*did you mean 'kafka'/);
  });

  it('refuses a window TVF on a column that is not a time attribute', async () => {
    const s = session();
    await s.executeAll(`CREATE TABLE t (ts TIMESTAMP(3)) WITH ('connector' = 'memory', 'channel' = 'y');`);
    await expect(s.executeAll(`SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE));`)).rejects.toThrow(/rowtime.*or proctime/);
  });

  it('checks INSERT column counts and types against the sink', async () => {
    const s = session();
    await s.executeAll(`CREATE TABLE t (a STRING, b INT) WITH ('connector' = 'memory', 'channel' = 'z');`);
    await expect(s.executeAll(`INSERT INTO t SELECT a FROM t;`)).rejects.toThrow(/query produces 1 columns.*the sink has 2/);
  });
});

describe('EXPLAIN', () => {
  it('shows the source, watermark, window, keys, aggregates and sink', async () => {
    const s = new Session({ log: () => {} });
    const res = await s.executeAll(`
      CREATE TABLE ev (k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'memory', 'channel' = 'e');
      CREATE TABLE out (ws TIMESTAMP(3), k STRING, c BIGINT) WITH ('connector' = 'blackhole');
      EXPLAIN INSERT INTO out SELECT window_start, k, COUNT(*) FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) WHERE k <> 'x' GROUP BY window_start, window_end, k;`);
    const r = res[res.length - 1];
    const text = r.kind === 'explain' ? r.text : '';
    expect(text).toContain('== Abstract Syntax Tree ==');
    expect(text).toContain('== Optimized Physical Plan ==');
    expect(text).toMatch(/Sink\(table=\[default_catalog\.default_database\.out\], connector=\[blackhole\]/);
    expect(text).toMatch(/WindowAggregate\(groupBy=\[k\], window=\[TUMBLE\(time_col=\[ts\], size=\[1 min\]\)\], select=\[k, COUNT\(\*\)/);
    expect(text).toMatch(/TableSourceScan\(table=\[\[default_catalog\.default_database\.ev\]\], connector=\[memory\].*watermark=\[\(ts - INTERVAL '5' SECOND\)\]/);
    expect(text).toMatch(/filter=\[k <> 'x'\]/);
  });

  it('pushes a TIMESTAMP literal widened to the column into the scan, shown as a literal', async () => {
    const s = new Session({ log: () => {} });
    const res = await s.executeAll(`
      CREATE TABLE f (id INT, ts TIMESTAMP(6), s STRING) WITH ('connector' = 'filesystem', 'path' = '/nonexistent', 'format' = 'json');
      EXPLAIN SELECT id FROM f WHERE ts >= TIMESTAMP '2025-12-29 00:00:00' AND ts < CAST('2025-12-30 00:00:00' AS TIMESTAMP(3)) AND id = 3;`);
    const r = res[res.length - 1];
    const text = r.kind === 'explain' ? r.text : '';
    // The CAST of a string is not a literal at planning: it stays in the Calc, not in the scan's filter.
    expect(text).toMatch(/filter=\[ts >= TIMESTAMP '2025-12-29 00:00:00(\.0+)?' AND id = 3\]/);
  });

  it('masks secrets in plans and DESCRIBE', async () => {
    const s = new Session({ log: () => {} });
    const res = await s.executeAll(`
      CREATE TABLE k (a STRING) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'h:1', 'format' = 'json',
        'properties.sasl.jaas.config' = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="hunter2";');
      EXPLAIN SELECT * FROM k;
      DESCRIBE EXTENDED k;
      SHOW CREATE TABLE k;`);
    const text = JSON.stringify(res);
    expect(text).not.toContain('hunter2');
    expect(text).toContain('******');
  });
});

describe('streaming interval join (S6)', () => {
  it('joins orders with shipments within an hour, and EXPLAIN shows the bounds', async () => {
    const orders = memoryChannel('ij-orders');
    const ships = memoryChannel('ij-ships');
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE orders (order_id STRING, amount INT, order_time TIMESTAMP(3), WATERMARK FOR order_time AS order_time)
        WITH ('connector' = 'memory', 'channel' = 'ij-orders', 'bounded' = 'true');
      CREATE TABLE shipments (order_id STRING, ship_time TIMESTAMP(3), WATERMARK FOR ship_time AS ship_time)
        WITH ('connector' = 'memory', 'channel' = 'ij-ships', 'bounded' = 'true');
      CREATE TABLE out (order_id STRING, amount INT, hours INT) WITH ('connector' = 'memory', 'channel' = 'ij-out');
      EXPLAIN INSERT INTO out SELECT o.order_id, o.amount, TIMESTAMPDIFF(HOUR, o.order_time, s.ship_time)
        FROM orders o, shipments s
        WHERE o.order_id = s.order_id AND o.order_time BETWEEN s.ship_time - INTERVAL '1' HOUR AND s.ship_time;
      INSERT INTO out SELECT o.order_id, o.amount, TIMESTAMPDIFF(HOUR, o.order_time, s.ship_time)
        FROM orders o JOIN shipments s ON o.order_id = s.order_id AND o.order_time BETWEEN s.ship_time - INTERVAL '1' HOUR AND s.ship_time;`);
    const explain = res[res.length - 2];
    expect(explain.kind === 'explain' && explain.text).toMatch(/IntervalJoin\(joinType=\[InnerJoin\], leftKeys=\[order_id\], rightKeys=\[order_id\], windowBounds=\[isRowTime=true, leftLowerBound=-3600000, leftUpperBound=0/);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    orders.push([
      ['o1', 10, ts('10:00:00')],
      ['o2', 20, ts('10:10:00')],
      ['o3', 30, ts('10:20:00')],
    ]);
    ships.push([
      ['o1', ts('10:30:00')], // within the hour
      ['o2', ts('11:30:00')], // too late
      ['o3', ts('10:15:00')], // before the order
      ['o1', ts('10:59:00')], // a second shipment of o1
    ]);
    orders.end();
    ships.end();
    await r.job.run();
    expect(memoryChannel('ij-out').written.map((x) => x.join(' ')).sort()).toEqual(['o1 10 0', 'o1 10 0']);
    await session.close();
  });

  it('runs a streaming join without an equality condition with one key for every row, as Flink does', async () => {
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE a (k STRING) WITH ('connector' = 'memory', 'channel' = 'rj-a');
      CREATE TABLE b (k STRING) WITH ('connector' = 'memory', 'channel' = 'rj-b');
      EXPLAIN SELECT * FROM a JOIN b ON a.k < b.k;`);
    const e = res[res.length - 1];
    if (e.kind !== 'explain') throw new Error('expected an explain');
    expect(e.text).toMatch(/Join\(joinType=\[InnerJoin\], leftKeys=\[\], rightKeys=\[\], where=\[\(k < k\)\], state=\[rows of both inputs under one key/);
    await session.close();
  });

  it('runs regular streaming joins: INNER appends, LEFT retracts a padded row when its match comes', async () => {
    const { rowKindOf } = await import('../../src/common/types.js');
    const run = async (type: string, tag: string) => {
      const a = memoryChannel(`${tag}-a`);
      const b = memoryChannel(`${tag}-b`);
      const session = new Session({ log: () => {} });
      const res = await session.executeAll(`
        CREATE TABLE a (k STRING, x INT) WITH ('connector' = 'memory', 'channel' = '${tag}-a', 'bounded' = 'true');
        CREATE TABLE b (k STRING, y INT) WITH ('connector' = 'memory', 'channel' = '${tag}-b', 'bounded' = 'true');
        CREATE TABLE out (k STRING, x INT, y INT) WITH ('connector' = 'memory', 'channel' = '${tag}-out');
        INSERT INTO out SELECT a.k, a.x, b.y FROM a ${type} JOIN b ON a.k = b.k;`);
      const r = res[res.length - 1];
      if (r.kind !== 'job') throw new Error('expected a job');
      const done = r.job.run();
      a.push([['k1', 1], ['k2', 2]]);
      await new Promise((x) => setTimeout(x, 150));
      b.push([['k1', 10]]);
      await new Promise((x) => setTimeout(x, 150));
      a.end();
      b.end();
      await done;
      await session.close();
      return memoryChannel(`${tag}-out`).written.map((row) => `${rowKindOf(row)}[${row.join(', ')}]`);
    };
    expect(await run('INNER', 'sj-inner')).toEqual(['+I[k1, 1, 10]']);
    expect(await run('LEFT', 'sj-left')).toEqual(['+I[k1, 1, ]', '+I[k2, 2, ]', '-D[k1, 1, ]', '+I[k1, 1, 10]']);
  });
});

describe('lookup join (S6 enrichment)', () => {
  it('enriches each event from a reference table, FOR SYSTEM_TIME AS OF the processing time', async () => {
    const os = await import('node:os');
    const fs = await import('node:fs');
    const dir = fs.mkdtempSync(`${os.tmpdir()}/tsstream-lookup-`);
    fs.writeFileSync(`${dir}/users.jsonl`, '{"user_id":"u1","country":"DE"}\n{"user_id":"u2","country":"FR"}\n');
    const events = memoryChannel('lk-events');
    events.push([['e1', 'u1'], ['e2', 'u3'], ['e3', 'u2']]);
    events.end();
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE events (event_id STRING, user_id STRING, proc AS PROCTIME())
        WITH ('connector' = 'memory', 'channel' = 'lk-events', 'bounded' = 'true');
      CREATE TABLE users (user_id STRING, country STRING) WITH ('connector' = 'filesystem', 'path' = '${dir}/users.jsonl', 'format' = 'json');
      CREATE TABLE out (event_id STRING, country STRING) WITH ('connector' = 'memory', 'channel' = 'lk-out');
      EXPLAIN INSERT INTO out SELECT e.event_id, u.country FROM events AS e LEFT JOIN users FOR SYSTEM_TIME AS OF e.proc AS u ON e.user_id = u.user_id;
      INSERT INTO out SELECT e.event_id, u.country FROM events AS e LEFT JOIN users FOR SYSTEM_TIME AS OF e.proc AS u ON e.user_id = u.user_id;`);
    const explain = res[res.length - 2];
    expect(explain.kind === 'explain' && explain.text).toMatch(/LookupJoin\(table=\[default_catalog\.default_database\.users\], joinType=\[LeftOuterJoin\], lookup=\[user_id=user_id\], state=\[the table read whole in memory/);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    await r.job.run();
    expect(memoryChannel('lk-out').written).toEqual([
      ['e1', 'DE'],
      ['e2', null],
      ['e3', 'FR'],
    ]);
    await session.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("looks up by an expression of the event's columns (Nexmark q13: MOD(auction, 10000) = key)", async () => {
    const os = await import('node:os');
    const fs = await import('node:fs');
    const dir = fs.mkdtempSync(`${os.tmpdir()}/tsstream-lookup-`);
    fs.writeFileSync(`${dir}/side.csv`, '1,one\n2,two\n7,seven\n');
    memoryChannel('lkx-bids').push([[10001, 5], [20002, 6], [3, 7], [null, 8], [7, 9]]);
    memoryChannel('lkx-bids').end();
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE bids (auction BIGINT, price INT, pt AS PROCTIME()) WITH ('connector' = 'memory', 'channel' = 'lkx-bids', 'bounded' = 'true');
      CREATE TABLE side (k BIGINT, v STRING) WITH ('connector' = 'filesystem', 'path' = '${dir}/side.csv', 'format' = 'csv');
      CREATE TABLE out (auction BIGINT, price INT, v STRING) WITH ('connector' = 'memory', 'channel' = 'lkx-out');
      EXPLAIN INSERT INTO out SELECT b.auction, b.price, s.v FROM bids AS b JOIN side FOR SYSTEM_TIME AS OF b.pt AS s ON MOD(b.auction, 10000) = s.k;
      INSERT INTO out SELECT b.auction, b.price, s.v FROM bids AS b JOIN side FOR SYSTEM_TIME AS OF b.pt AS s ON MOD(b.auction, 10000) = s.k;`);
    const explain = res[res.length - 2];
    expect(explain.kind === 'explain' && explain.text).toMatch(/LookupJoin\(table=\[default_catalog\.default_database\.side\], joinType=\[InnerJoin\], lookup=\[k=\$join_key0\]/);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    await r.job.run();
    expect(memoryChannel('lkx-out').written).toEqual([
      [10001, 5, 'one'],
      [20002, 6, 'two'],
      [7, 9, 'seven'],
    ]);
    await session.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('ROW_NUMBER: ranking in batch mode, deduplication in streaming', () => {
  it('keeps the top 2 per key in batch mode', async () => {
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      SET 'execution.runtime-mode' = 'batch';
      SELECT k, v, rn FROM (
        SELECT k, v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v DESC) AS rn FROM (VALUES ('a', 1), ('a', 3), ('a', 2), ('b', 5)) AS t(k, v)
      ) WHERE rn <= 2 ORDER BY k, rn;`);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error('expected a query');
    expect(await collectQuery(q)).toEqual([
      ['a', 3, 1],
      ['a', 2, 2],
      ['b', 5, 1],
    ]);
  });

  it('deduplicates a stream: the first row per key by processing time, or the last as updates', async () => {
    const run = async (order: 'ASC' | 'DESC', channel: string) => {
      const input = memoryChannel(channel);
      input.push([['o1', 'created'], ['o2', 'created'], ['o1', 'paid']]);
      input.end();
      const session = new Session({ log: () => {} });
      const res = await session.executeAll(`
        CREATE TABLE ev (id STRING, status STRING, pt AS PROCTIME()) WITH ('connector' = 'memory', 'channel' = '${channel}', 'bounded' = 'true');
        CREATE TABLE out (id STRING, status STRING) WITH ('connector' = 'memory', 'channel' = '${channel}-out');
        EXPLAIN INSERT INTO out SELECT id, status FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY pt ${order}) AS rn FROM ev) WHERE rn = 1;
        INSERT INTO out SELECT id, status FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY pt ${order}) AS rn FROM ev) WHERE rn = 1;`);
      const explain = res[res.length - 2];
      const r = res[res.length - 1];
      if (r.kind !== 'job' || explain.kind !== 'explain') throw new Error('expected a job');
      await r.job.run();
      const { rowKindOf } = await import('../../src/common/types.js');
      return { explain: explain.text, rows: memoryChannel(`${channel}-out`).written.map((x) => `${rowKindOf(x)}[${x.join(', ')}]`) };
    };
    const first = await run('ASC', 'dedup-first');
    expect(first.explain).toMatch(/Deduplicate\(keep=\[FirstRow\], key=\[id\], order=\[PROCTIME\], state=\[the first row per key, table\.exec\.state\.ttl\]\)/);
    expect(first.rows).toEqual(['+I[o1, created]', '+I[o2, created]']);
    const last = await run('DESC', 'dedup-last');
    expect(last.rows).toEqual(['+I[o1, created]', '+I[o2, created]', '-U[o1, created]', '+U[o1, paid]']);
  });
});

describe('OVER aggregates', () => {
  it('computes running and bounded aggregates per partition in event-time order', async () => {
    const input = memoryChannel('over-in');
    // Out of order within the watermark delay: b's 10:00:02 arrives after 10:00:03.
    input.push([
      ['u1', 10, ts('10:00:01')],
      ['u1', 5, ts('10:00:03')],
      ['u1', 20, ts('10:00:02')],
      ['u2', 7, ts('10:00:02')],
      ['u1', 1, ts('10:00:09')],
    ]);
    input.end();
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE ev (u STRING, amount INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
        WITH ('connector' = 'memory', 'channel' = 'over-in', 'bounded' = 'true');
      EXPLAIN SELECT u, amount,
        SUM(amount) OVER (PARTITION BY u ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS total,
        MAX(amount) OVER (PARTITION BY u ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS biggest
      FROM ev;
      SELECT u, amount,
        SUM(amount) OVER (PARTITION BY u ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS total,
        MAX(amount) OVER (PARTITION BY u ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS biggest
      FROM ev;`);
    const explain = res[res.length - 2];
    expect(explain.kind === 'explain' && explain.text).toMatch(/OverAggregate\(partitionBy=\[u\], orderBy=\[ts ASC\], window=\[ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW\]/);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error('expected a query');
    const rows = (await collectQuery(q)).map((r) => r.join(' '));
    expect(rows.filter((r) => r.startsWith('u1'))).toEqual(['u1 10 10 10', 'u1 20 30 20', 'u1 5 35 20', 'u1 1 36 20']);
    expect(rows.filter((r) => r.startsWith('u2'))).toEqual(['u2 7 7 7']);

    // A bounded RANGE frame: the last 2 seconds.
    const input2 = memoryChannel('over-in2');
    input2.push([
      ['u1', 1, ts('10:00:00')],
      ['u1', 2, ts('10:00:01')],
      ['u1', 4, ts('10:00:03')],
      ['u1', 8, ts('10:00:03')],
    ]);
    input2.end();
    const res2 = await session.executeAll(`
      CREATE TABLE ev2 (u STRING, amount INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'memory', 'channel' = 'over-in2', 'bounded' = 'true');
      SELECT amount, SUM(amount) OVER (PARTITION BY u ORDER BY ts RANGE BETWEEN INTERVAL '2' SECOND PRECEDING AND CURRENT ROW) FROM ev2;`);
    const q2 = res2[res2.length - 1];
    if (q2.kind !== 'query') throw new Error('expected a query');
    // 10:00:03's peers share one result: 2 + 4 + 8 (10:00:00 is out of the frame).
    expect(await collectQuery(q2)).toEqual([
      [1, 1],
      [2, 3],
      [4, 14],
      [8, 14],
    ]);
    await session.close();
  });
});
