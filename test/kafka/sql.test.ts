// Jobs written in SQL reading from (and writing to) Kafka topics on the real test broker: S1 and S2
// of the scenarios, two-partition watermarks and idle partitions, Kafka → Kafka exactly-once.
// Every test has its own topics, consumer group and transactional ids (files share the broker).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { memoryChannel, dropMemoryChannel } from '../../src/connectors/memory/index.js';
import { formatTimestamp } from '../../src/common/time.js';
import type { Job, JobResult } from '../../src/runtime/job.js';
import type { Row } from '../../src/common/types.js';
import { peer, requirePeers } from '../peers/index.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { kcat } from './kcat-helper.js';

let kafka: KafkaEndpoint;
let client: KafkaTestClient;
/** This test's consumer group. */
let group: string;
/** This test's topic names. */
let T: Record<'events' | 'window' | 'idle' | 'meta' | 'in2' | 'out2' | 'bad' | 'in' | 'out', string>;
let session: Session | undefined;
let running: { job: Job; done: Promise<JobResult> } | undefined;
const channels: string[] = [];

const peersReady = requirePeers('kafka');

beforeAll(() => {
  if (!peersReady) return;
  kafka = peer<KafkaEndpoint>('kafka');
  client = kafkaTestClient(kafka.bootstrap);
});
afterAll(async () => {
  if (!peersReady) return;
  await client.close();
});
beforeEach(() => {
  group = uniqueTopic('flink-consumer');
  T = Object.fromEntries(['events', 'window', 'idle', 'meta', 'in2', 'out2', 'bad', 'in', 'out'].map((k) => [k, uniqueTopic(`sql-${k}`)])) as typeof T;
});
afterEach(async () => {
  if (running && !['FINISHED', 'CANCELED', 'FAILED', 'STOPPED'].includes(running.job.status)) {
    running.job.cancel();
    await running.done.catch(() => {});
  }
  running = undefined;
  await session?.close();
  session = undefined;
  for (const c of channels.splice(0)) dropMemoryChannel(c);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${cond.toString()}`);
    await sleep(10);
  }
}

function channel(name: string) {
  channels.push(name);
  return memoryChannel(name);
}

function kafkaTable(name: string, topic: string, extra = ''): string {
  return `CREATE TABLE ${name} (
      event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
      WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
    ) WITH (
      'connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}',
      'properties.group.id' = '${group}', 'scan.startup.mode' = 'earliest-offset',
      'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601'${extra}
    );`;
}

async function start(sql: string): Promise<Job> {
  session = new Session({ log: () => {} });
  const res = await session.executeAll(sql);
  const r = res[res.length - 1];
  if (r.kind !== 'job') throw new Error('expected a job');
  running = { job: r.job, done: r.job.run() };
  return r.job;
}

function ev(id: string, user: string, type: string, time: string): string {
  return JSON.stringify({ event_id: id, user_id: user, event_type: type, event_time: time });
}

function counts(rows: Row[]): string[] {
  return rows.map((r) => `${formatTimestamp(r[0] as number, 3)} ${r[2]} ${r[3]}`).sort();
}

const S2_INPUT = [
  ev('w001', 'u001', 'click', '2025-12-29T10:00:10'),
  ev('w002', 'u002', 'click', '2025-12-29T10:00:20'),
  ev('w003', 'u001', 'view', '2025-12-29T10:00:30'),
  ev('w004', 'u003', 'click', '2025-12-29T10:00:45'),
  ev('w005', 'u002', 'purchase', '2025-12-29T10:00:55'),
];

const S2_SQL = (source: string, out: string) => `
    CREATE TABLE event_counts (window_start TIMESTAMP(3), window_end TIMESTAMP(3), event_type STRING, event_count BIGINT)
      WITH ('connector' = 'memory', 'channel' = '${out}');
    INSERT INTO event_counts
    SELECT window_start, window_end, event_type, COUNT(*) AS event_count
    FROM TABLE(TUMBLE(TABLE ${source}, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
    GROUP BY window_start, window_end, event_type;`;

describe('SQL jobs on Kafka topics', () => {
  it('S1: a plain streaming append from a topic written by kcat', async () => {
    const out = channel('s1-out');
    await client.createTopic(T.events, 1);
    const first = [
      ev('e001', 'u001', 'click', '2025-12-29T10:00:00'),
      ev('e002', 'u002', 'view', '2025-12-29T10:00:05'),
      ev('e003', 'u001', 'purchase', '2025-12-29T10:00:10'),
    ];
    expect((await kcat(['-b', kafka.bootstrap, '-P', '-t', T.events], first.join('\n') + '\n')).code).toBe(0);
    await start(`
      ${kafkaTable('kafka_events', T.events)}
      CREATE TABLE events_out (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(6)) WITH ('connector' = 'memory', 'channel' = 's1-out');
      INSERT INTO events_out SELECT event_id, user_id, event_type, event_time FROM kafka_events;`);
    await until(() => out.written.length === 3);
    expect(out.written.map((r) => r[0])).toEqual(['e001', 'e002', 'e003']);
    expect(formatTimestamp(out.written[2][3] as number, 3)).toBe('2025-12-29 10:00:10.000');
    await kcat(['-b', kafka.bootstrap, '-P', '-t', T.events], ev('e004', 'u003', 'login', '2025-12-29T10:01:00') + '\n');
    await until(() => out.written.length === 4);
    expect(out.written[3][2]).toBe('login');
  });

  it('S2: the window fires only when w006 moves the watermark past its end', async () => {
    const out = channel('s2-out');
    await client.createTopic(T.window, 1);
    const job = await start(`SET 'pipeline.auto-watermark-interval' = '0'; ${kafkaTable('kafka_window_events', T.window)} ${S2_SQL('kafka_window_events', 's2-out')}`);
    await client.produce(T.window, 0, S2_INPUT.map((value) => ({ value })));
    await until(() => job.metrics.recordsIn === 5);
    await sleep(300);
    expect(out.written).toEqual([]);
    await client.produce(T.window, 0, [{ value: ev('w006', 'u001', 'click', '2025-12-29T10:01:10') }]);
    await until(() => out.written.length === 3);
    expect(counts(out.written)).toEqual(['2025-12-29 10:00:00.000 click 3', '2025-12-29 10:00:00.000 purchase 1', '2025-12-29 10:00:00.000 view 1']);
  });

  it('S2 bounded: scan.bounded.mode = latest-offset ends the job and fires every window', async () => {
    const out = channel('s2b-out');
    await client.createTopic(T.window, 2);
    for (const [i, value] of S2_INPUT.entries()) await client.produce(T.window, i % 2, [{ value }]);
    await client.produce(T.window, 1, [{ value: ev('w006', 'u001', 'click', '2025-12-29T10:01:10') }]);
    await start(`${kafkaTable('kafka_window_events', T.window, ", 'scan.bounded.mode' = 'latest-offset'")} ${S2_SQL('kafka_window_events', 's2b-out')}`);
    const result = await running!.done;
    expect(result.status).toBe('FINISHED');
    expect(counts(out.written)).toEqual([
      '2025-12-29 10:00:00.000 click 3',
      '2025-12-29 10:00:00.000 purchase 1',
      '2025-12-29 10:00:00.000 view 1',
      '2025-12-29 10:01:00.000 click 1',
    ]);
  });

  it('two partitions: the watermark is the minimum over partitions; an idle partition is released by table.exec.source.idle-timeout', async () => {
    const out = channel('wm-out');
    await client.createTopic(T.window, 2);
    // Partition 1 gets one early event, then nothing.
    await client.produce(T.window, 1, [{ value: ev('p1', 'u9', 'view', '2025-12-29T10:00:05') }]);
    const job = await start(`SET 'pipeline.auto-watermark-interval' = '0'; ${kafkaTable('kafka_window_events', T.window)} ${S2_SQL('kafka_window_events', 'wm-out')}`);
    await client.produce(T.window, 0, [...S2_INPUT, ev('w006', 'u001', 'click', '2025-12-29T10:01:10')].map((value) => ({ value })));
    await until(() => job.metrics.recordsIn === 7);
    await sleep(500);
    // Partition 1's watermark (10:00:00) holds the window back.
    expect(out.written).toEqual([]);
    await client.produce(T.window, 1, [{ value: ev('p2', 'u9', 'view', '2025-12-29T10:01:30') }]);
    await until(() => out.written.length === 3);
    expect(counts(out.written)).toEqual(['2025-12-29 10:00:00.000 click 3', '2025-12-29 10:00:00.000 purchase 1', '2025-12-29 10:00:00.000 view 2']);
    running!.job.cancel();
    await running!.done;
    await session!.close();
    session = undefined;

    // With an idle timeout the silent partition stops holding the watermark back.
    const out2 = channel('wm-idle-out');
    await client.createTopic(T.idle, 2);
    await client.produce(T.idle, 1, [{ value: ev('p1', 'u9', 'view', '2025-12-29T10:00:05') }]);
    const job2 = await start(`SET 'pipeline.auto-watermark-interval' = '50 ms'; SET 'table.exec.source.idle-timeout' = '500 ms';
      ${kafkaTable('idle_events', T.idle)} ${S2_SQL('idle_events', 'wm-idle-out')}`);
    await until(() => job2.metrics.recordsIn === 1);
    await sleep(700); // partition 1 has been silent for longer than the idle timeout
    await client.produce(T.idle, 0, [...S2_INPUT, ev('w006', 'u001', 'click', '2025-12-29T10:01:10')].map((value) => ({ value })));
    await until(() => job2.metrics.recordsIn === 7);
    await until(() => out2.written.length === 3, 8000);
    expect(counts(out2.written)).toEqual(['2025-12-29 10:00:00.000 click 3', '2025-12-29 10:00:00.000 purchase 1', '2025-12-29 10:00:00.000 view 2']);
  });

  it('metadata columns in SQL: timestamp (TIMESTAMP_LTZ(3)), partition, offset, headers', async () => {
    const out = channel('meta-out');
    await client.createTopic(T.meta, 2);
    const ts = Date.UTC(2025, 11, 29, 10, 0, 0, 123);
    await client.produce(T.meta, 1, [{ value: JSON.stringify({ event_id: 'm1' }), timestamp: ts, headers: { trace: 't-1' } }]);
    await start(`CREATE TABLE meta_src (
        event_id STRING,
        ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
        part INT METADATA FROM 'partition' VIRTUAL,
        \`offset\` BIGINT METADATA VIRTUAL,
        hdrs MAP<STRING, BYTES> METADATA FROM 'headers',
        tstype STRING METADATA FROM 'timestamp-type' VIRTUAL
      ) WITH ('connector' = 'kafka', 'topic' = '${T.meta}', 'properties.bootstrap.servers' = '${kafka.bootstrap}',
              'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'json');
      CREATE TABLE meta_out (event_id STRING, ts TIMESTAMP_LTZ(3), part INT, off BIGINT, trace BYTES, tstype STRING) WITH ('connector' = 'memory', 'channel' = 'meta-out');
      INSERT INTO meta_out SELECT event_id, ts, part, \`offset\`, hdrs['trace'], tstype FROM meta_src;`);
    expect((await running!.done).status).toBe('FINISHED');
    expect(out.written).toHaveLength(1);
    const [id, t, part, off, trace, tstype] = out.written[0] as [string, number, number, number, Uint8Array, string];
    expect([id, t, part, off, tstype]).toEqual(['m1', ts * 1000, 1, 0, 'CreateTime']);
    expect(Buffer.from(trace).toString()).toBe('t-1');
  });

  it('INSERT INTO a Kafka table: key format, writable timestamp and headers metadata, read-only metadata VIRTUAL', async () => {
    await client.createTopic(T.in2, 1);
    await client.createTopic(T.out2, 2);
    await client.produce(T.in2, 0, [ev('e1', 'u1', 'click', '2025-12-29T10:00:01'), ev('e2', 'u2', 'view', '2025-12-29T10:00:02')].map((value) => ({ value })));
    await start(`${kafkaTable('src2', T.in2, ", 'scan.bounded.mode' = 'latest-offset'")}
      CREATE TABLE dst2 (
        user_id STRING, event_id STRING,
        ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
        hs MAP<STRING, BYTES> METADATA FROM 'headers',
        part INT METADATA FROM 'partition' VIRTUAL
      ) WITH ('connector' = 'kafka', 'topic' = '${T.out2}', 'properties.bootstrap.servers' = '${kafka.bootstrap}',
              'key.format' = 'raw', 'key.fields' = 'user_id', 'value.format' = 'json', 'value.fields-include' = 'EXCEPT_KEY');
      INSERT INTO dst2 SELECT user_id, event_id, CAST(event_time AS TIMESTAMP_LTZ(3)), MAP['src', CAST('tsstream' AS BYTES)] FROM src2;`);
    expect((await running!.done).status).toBe('FINISHED');
    const all = [...(await client.records(T.out2, 0)), ...(await client.records(T.out2, 1))];
    expect(all.map((r) => [r.key?.toString(), r.value?.toString(), r.headers.map((h) => `${h.key}=${h.value}`).join()]).sort()).toEqual([
      ['u1', '{"event_id":"e1"}', 'src=tsstream'],
      ['u2', '{"event_id":"e2"}', 'src=tsstream'],
    ]);
    expect(all.map((r) => r.timestamp).sort()).toEqual([Date.UTC(2025, 11, 29, 10, 0, 1), Date.UTC(2025, 11, 29, 10, 0, 2)]);
  });

  it('malformed JSON fails the job naming topic, partition and offset; json.ignore-parse-errors skips it', async () => {
    channel('bad-out');
    await client.createTopic(T.bad, 1);
    await client.produce(T.bad, 0, [{ value: ev('e1', 'u', 'click', '2025-12-29T10:00:00') }, { value: '{"event_id": ' }]);
    await start(`${kafkaTable('bad_events', T.bad, ", 'scan.bounded.mode' = 'latest-offset'")}
      CREATE TABLE bad_out (event_id STRING) WITH ('connector' = 'memory', 'channel' = 'bad-out');
      INSERT INTO bad_out SELECT event_id FROM bad_events;`);
    await expect(running!.done).rejects.toThrow(new RegExp(`topic '${T.bad}' partition 0 offset 1`));
    expect(running!.job.status).toBe('FAILED');
    await session!.close();
    session = undefined;

    const out = channel('skip-out');
    const job = await start(`${kafkaTable('bad_events', T.bad, ", 'scan.bounded.mode' = 'latest-offset', 'json.ignore-parse-errors' = 'true'")}
      CREATE TABLE skip_out (event_id STRING) WITH ('connector' = 'memory', 'channel' = 'skip-out');
      INSERT INTO skip_out SELECT event_id FROM bad_events;`);
    expect((await running!.done).status).toBe('FINISHED');
    expect(out.written).toEqual([['e1']]);
    expect(job.metrics).toBeDefined();
  });

  it('Kafka → Kafka exactly-once: output is visible to read_committed readers after checkpoints', async () => {
    await client.createTopic(T.in, 2);
    await client.createTopic(T.out, 1);
    for (let i = 0; i < 20; i++) await client.produce(T.in, i % 2, [{ value: ev(`e${i}`, 'u', 'click', '2025-12-29T10:00:00') }]);
    await start(`SET 'execution.checkpointing.interval' = '200 ms';
      ${kafkaTable('src', T.in)}
      CREATE TABLE dst (event_id STRING, event_type STRING) WITH (
        'connector' = 'kafka', 'topic' = '${T.out}', 'properties.bootstrap.servers' = '${kafka.bootstrap}', 'format' = 'json',
        'sink.delivery-guarantee' = 'exactly-once', 'sink.transactional-id-prefix' = '${uniqueTopic('sql-eos')}');
      INSERT INTO dst SELECT event_id, event_type FROM src;`);
    const read = async () => {
      const res = await kcat(['-b', kafka.bootstrap, '-C', '-t', T.out, '-e', '-X', 'isolation.level=read_committed', '-f', '%s\n']);
      return res.stdout.split('\n').filter(Boolean);
    };
    const deadline = Date.now() + 30_000;
    let seen: string[] = [];
    while (seen.length < 20 && Date.now() < deadline) {
      seen = await read();
      await sleep(100);
    }
    expect(seen.map((s) => (JSON.parse(s) as { event_id: string }).event_id).sort()).toEqual([...Array(20).keys()].map((i) => `e${i}`).sort());
    // The source committed its offsets to the group after a checkpoint.
    await until(async () => {
      const committed = await client.committedOffsets(group);
      return committed.get(`${T.in}-0`) === 10 && committed.get(`${T.in}-1`) === 10;
    });
  });

  it('a bounded job into blackhole (no checkpoint directory) commits the group offsets at its end', async () => {
    await client.createTopic(T.in, 2);
    for (let i = 0; i < 7; i++) await client.produce(T.in, i % 2, [{ value: ev(`e${i}`, 'u', 'click', '2025-12-29T10:00:00') }]);
    const job = await start(`${kafkaTable('src', T.in, ", 'scan.bounded.mode' = 'latest-offset'")}
      CREATE TABLE bh (user_id STRING, n BIGINT) WITH ('connector' = 'blackhole');
      INSERT INTO bh SELECT user_id, COUNT(*) FROM src GROUP BY user_id;`);
    await running!.done;
    expect(job.status).toBe('FINISHED');
    const committed = await client.committedOffsets(group);
    expect([committed.get(`${T.in}-0`), committed.get(`${T.in}-1`)]).toEqual([4, 3]);
  });
});
