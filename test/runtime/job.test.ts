import { describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { memoryChannel, dropMemoryChannel } from '../../src/connectors/memory/index.js';
import { parseTimestamp, formatTimestamp } from '../../src/common/time.js';
import type { Job } from '../../src/runtime/job.js';
import type { Row } from '../../src/common/types.js';

const ts = (s: string) => parseTimestamp(s)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}

const S2_EVENTS: [string, string, string, string][] = [
  ['w001', 'u001', 'click', '2025-12-29T10:00:10'],
  ['w002', 'u002', 'click', '2025-12-29T10:00:20'],
  ['w003', 'u001', 'view', '2025-12-29T10:00:30'],
  ['w004', 'u003', 'click', '2025-12-29T10:00:45'],
  ['w005', 'u002', 'purchase', '2025-12-29T10:00:55'],
];

function show(rows: Row[]): string[] {
  return rows.map((r) => `${formatTimestamp(r[0] as number, 3)} ${formatTimestamp(r[1] as number, 3)} ${r[2]} ${r[3]}`).sort();
}

async function s2Job(inName: string, outName: string, extra = ''): Promise<{ session: Session; job: Job }> {
  const session = new Session({ log: () => {} });
  const res = await session.executeAll(`
    SET 'pipeline.auto-watermark-interval' = '0';
    ${extra}
    CREATE TABLE kafka_window_events (
      event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
      WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
    ) WITH ('connector' = 'memory', 'channel' = '${inName}');
    CREATE TABLE event_counts (window_start TIMESTAMP(3), window_end TIMESTAMP(3), event_type STRING, event_count BIGINT)
      WITH ('connector' = 'memory', 'channel' = '${outName}');
    INSERT INTO event_counts
    SELECT window_start, window_end, event_type, COUNT(*) AS event_count
    FROM TABLE(TUMBLE(TABLE kafka_window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
    GROUP BY window_start, window_end, event_type;`);
  const r = res[res.length - 1];
  if (r.kind !== 'job') throw new Error('expected a job');
  return { session, job: r.job };
}

describe('a streaming job on S2', () => {
  it('emits no row until w006 moves the watermark past the window end', async () => {
    const input = memoryChannel('s2-in');
    const output = memoryChannel('s2-out');
    const { session, job } = await s2Job('s2-in', 's2-out');
    const done = job.run();
    let n = 0;
    for (const [id, user, type, t] of S2_EVENTS) {
      input.push([[id, user, type, ts(t)]]);
      n++;
      await until(() => job.metrics.recordsIn === n);
      await sleep(30);
      expect(output.written, `after ${id}`).toEqual([]);
    }
    expect(job.metrics.watermark).toBe(ts('2025-12-29T10:00:50'));
    input.push([['w006', 'u001', 'click', ts('2025-12-29T10:01:10')]]);
    await until(() => output.written.length === 3);
    expect(show(output.written)).toEqual([
      '2025-12-29 10:00:00.000 2025-12-29 10:01:00.000 click 3',
      '2025-12-29 10:00:00.000 2025-12-29 10:01:00.000 purchase 1',
      '2025-12-29 10:00:00.000 2025-12-29 10:01:00.000 view 1',
    ]);
    input.end();
    const result = await done;
    expect(result.status).toBe('FINISHED');
    // The final watermark fires w006's window too.
    expect(output.written).toHaveLength(4);
    await session.close();
    dropMemoryChannel('s2-in');
    dropMemoryChannel('s2-out');
  });

  it('holds the watermark at the minimum of two partitions, and releases an idle one', async () => {
    const input = memoryChannel('p2-in');
    const output = memoryChannel('p2-out');
    const { session, job } = await s2Job('p2-in', 'p2-out', "SET 'table.exec.source.idle-timeout' = '300 ms';");
    const done = job.run();
    input.push([['a', 'u', 'click', ts('2025-12-29T10:00:10')]], 'p0');
    input.push([['b', 'u', 'click', ts('2025-12-29T10:02:00')]], 'p1');
    await until(() => job.metrics.recordsIn === 2);
    await sleep(50);
    // p0 holds the watermark at 10:00:05 although p1 is at 10:01:55.
    expect(job.metrics.watermark).toBe(ts('2025-12-29T10:00:05'));
    expect(output.written).toEqual([]);
    // p0 goes quiet while p1 keeps producing: after the idle timeout only p1 counts, and the 10:00 window fires.
    for (let i = 0; i < 30 && output.written.length === 0; i++) {
      input.push([['c', 'u', 'view', ts('2025-12-29T10:02:10')]], 'p1');
      await sleep(50);
    }
    await until(() => output.written.length === 1, 3000);
    expect(show(output.written)).toEqual(['2025-12-29 10:00:00.000 2025-12-29 10:01:00.000 click 1']);
    input.end();
    await done;
    await session.close();
  });
});

describe('batch queries', () => {
  it('runs GROUP BY, ORDER BY and LIMIT over VALUES in batch mode', async () => {
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      SET 'execution.runtime-mode' = 'batch';
      SELECT k, COUNT(*) AS c, SUM(v) AS s FROM (VALUES ('a', 1), ('b', 2), ('a', 3)) AS t(k, v) GROUP BY k ORDER BY k DESC LIMIT 5;`);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error('expected a query');
    expect(q.columns.map((c) => c.name)).toEqual(['k', 'c', 's']);
    expect(await collectQuery(q)).toEqual([
      ['b', 1, 2],
      ['a', 2, 4],
    ]);
  });

  it('refuses a streaming GROUP BY without a window into an append-only sink, saying why', async () => {
    const session = new Session({ log: () => {} });
    await session.executeAll(`CREATE TABLE f (k STRING, c BIGINT) WITH ('connector' = 'filesystem', 'path' = '/tmp/never-written', 'format' = 'json');`);
    await expect(session.executeAll(`INSERT INTO f SELECT k, COUNT(*) FROM (VALUES ('a')) AS t(k) GROUP BY k;`)).rejects.toThrow(
      /doesn't support consuming update changes/,
    );
  });

  it('aggregates over a changelog: a GROUP BY of a GROUP BY takes rows back', async () => {
    const input = memoryChannel('cl2-in');
    input.push([['a'], ['b'], ['a']]);
    input.end();
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE src (k STRING) WITH ('connector' = 'memory', 'channel' = 'cl2-in', 'bounded' = 'true');
      CREATE TABLE out (cnt BIGINT, keys BIGINT) WITH ('connector' = 'memory', 'channel' = 'cl2-out');
      INSERT INTO out SELECT cnt, COUNT(*) FROM (SELECT k, COUNT(*) AS cnt FROM src GROUP BY k) GROUP BY cnt;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    await r.job.run();
    const { rowKindOf } = await import('../../src/common/types.js');
    expect(memoryChannel('cl2-out').written.map((row) => `${rowKindOf(row)}[${row.join(', ')}]`)).toEqual([
      '+I[1, 1]',
      '-U[1, 1]',
      '+U[1, 2]',
      '-U[1, 2]',
      '+U[1, 1]',
      '+I[2, 1]',
    ]);
  });

  it('forgets idle streaming state after table.exec.state.ttl', async () => {
    const input = memoryChannel('ttl-in');
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      SET 'table.exec.state.ttl' = '100 ms';
      CREATE TABLE src (k STRING) WITH ('connector' = 'memory', 'channel' = 'ttl-in', 'bounded' = 'true');
      CREATE TABLE out (k STRING, c BIGINT) WITH ('connector' = 'memory', 'channel' = 'ttl-out');
      INSERT INTO out SELECT k, COUNT(*) FROM src GROUP BY k;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    const done = r.job.run();
    input.push([['a'], ['a']]);
    await until(() => memoryChannel('ttl-out').written.length === 3);
    await sleep(400);
    input.push([['a']]);
    input.end();
    await done;
    const { rowKindOf } = await import('../../src/common/types.js');
    // After the TTL the group starts anew, as Flink's state TTL does.
    expect(memoryChannel('ttl-out').written.map((row) => `${rowKindOf(row)}[${row.join(', ')}]`)).toEqual(['+I[a, 1]', '-U[a, 1]', '+U[a, 2]', '+I[a, 1]']);
  });

  it('emits a changelog for a streaming GROUP BY without a window (+I, -U, +U)', async () => {
    const input = memoryChannel('cl-in');
    input.push([['a'], ['b'], ['a']]);
    input.end();
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE src (k STRING) WITH ('connector' = 'memory', 'channel' = 'cl-in', 'bounded' = 'true');
      CREATE TABLE out (k STRING, c BIGINT) WITH ('connector' = 'memory', 'channel' = 'cl-out');
      INSERT INTO out SELECT k, COUNT(*) FROM src GROUP BY k;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    await r.job.run();
    const { rowKindOf } = await import('../../src/common/types.js');
    expect(memoryChannel('cl-out').written.map((row) => `${rowKindOf(row)}[${row.join(', ')}]`)).toEqual(['+I[a, 1]', '+I[b, 1]', '-U[a, 1]', '+U[a, 2]']);
  });
});

describe('checkpoints and savepoints in a session', () => {
  it('refuses to resume from a checkpoint whose SQL no longer fits', async () => {
    const os = await import('node:os');
    const fs = await import('node:fs');
    const dir = fs.mkdtempSync(`${os.tmpdir()}/tsstream-fit-`);
    const run = async (select: string) => {
      const session = new Session({ log: () => {} });
      const res = await session.executeAll(`
        SET 'execution.checkpointing.dir' = '${dir}';
        SET 'pipeline.name' = 'fit';
        CREATE TABLE src (k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'memory', 'channel' = 'fit-in', 'bounded' = 'true');
        CREATE TABLE out (a STRING, b BIGINT) WITH ('connector' = 'memory', 'channel' = 'fit-out');
        INSERT INTO out ${select};`);
      const r = res[res.length - 1];
      if (r.kind !== 'job') throw new Error('expected a job');
      return r.job.run();
    };
    memoryChannel('fit-in').end();
    await run(`SELECT k, COUNT(*) FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, k`);
    await expect(run(`SELECT k, CAST(1 AS BIGINT) FROM src`)).rejects.toThrow(/does not fit this job's SQL/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops a job with a savepoint through STOP JOB and resumes it with execution.savepoint.path', async () => {
    const os = await import('node:os');
    const fs = await import('node:fs');
    const dir = fs.mkdtempSync(`${os.tmpdir()}/tsstream-sp-`);
    const input = memoryChannel('sp-in');
    const output = memoryChannel('sp-out');
    const { session, job } = await s2Job('sp-in', 'sp-out', `SET 'state.savepoints.dir' = '${dir}';`);
    const done = job.run();
    input.push([['a', 'u', 'click', ts('2025-12-29T10:00:10')]]);
    await until(() => job.metrics.recordsIn === 1);
    const shown = await session.executeAll('SHOW JOBS;');
    expect(shown[0].kind === 'table' && shown[0].rows.some((r) => r[0] === job.id && r[2] === 'RUNNING')).toBe(true);
    const stopped = await session.executeAll(`STOP JOB '${job.id}' WITH SAVEPOINT;`);
    const path = stopped[0].kind === 'table' ? String(stopped[0].rows[0][0]) : '';
    expect(path).toContain(`${dir}/savepoint-`);
    expect((await done).status).toBe('STOPPED');
    // Resume: the open window (one click) is in the savepoint, the source continues after 'a'.
    const again = await s2Job('sp-in', 'sp-out', `SET 'execution.savepoint.path' = '${path}';`);
    const done2 = again.job.run();
    input.push([['b', 'u', 'click', ts('2025-12-29T10:00:20')]]);
    input.end();
    await done2;
    expect(show(output.written)).toEqual(['2025-12-29 10:00:00.000 2025-12-29 10:01:00.000 click 2']);
    await session.close();
    await again.session.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('processing-time windows', () => {
  it('fire on the wall clock for a PROCTIME() attribute', async () => {
    const input = memoryChannel('pt-in');
    const output = memoryChannel('pt-out');
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE src (k STRING, pt AS PROCTIME()) WITH ('connector' = 'memory', 'channel' = 'pt-in');
      CREATE TABLE out (k STRING, c BIGINT) WITH ('connector' = 'memory', 'channel' = 'pt-out');
      INSERT INTO out SELECT k, COUNT(*) FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(pt), INTERVAL '1' SECOND)) GROUP BY window_start, window_end, k;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    const done = r.job.run();
    input.push([['x'], ['x']]);
    // The window closes within about a second without any further input.
    await until(() => output.written.length > 0, 3000);
    expect(output.written[0]).toEqual(['x', 2]);
    input.end();
    await done;
    await session.close();
  });
});
