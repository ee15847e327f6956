// Three things of the Kinesis source that need a running read:
// - a reshard while the source reads (kinesalite, started here: its SplitShard closes the parent
//   and routes new records to the children as AWS does; moto's moves the parent's records into
//   the children, see src/connectors/kinesis/README.md), parents drained before children, and a
//   checkpoint taken across the reshard restored without loss or duplicate;
// - the lag metric, Flink's millisBehindLatest per shard, from moto (whose GetRecords computes
//   MillisBehindLatest from the records' arrival times; kinesalite always answers 0 for an open
//   shard), read from the source and from the Prometheus exposition of a running SQL job;
// - per-shard watermarks (the minimum over shards) and idle shards (table.exec.source.idle-timeout)
//   in a windowed SQL job on kinesalite.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, ListShardsCommand, PutRecordCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { DynamicSource, SourceBatch, TableDescriptor } from '../../src/common/connector.js';
import { T, type Row } from '../../src/common/types.js';
import { kinesisFactory } from '../../src/connectors/kinesis/index.js';
import { Session } from '../../src/cli/session.js';
import { dropMemoryChannel, memoryChannel } from '../../src/connectors/memory/index.js';
import { monitorJob } from '../../src/cli/observe/monitor.js';
import { createMetricsRegistry } from '../../src/cli/observe/prometheus.js';
import type { Job, JobResult } from '../../src/runtime/job.js';
import { hasPeer, peer } from '../peers/index.js';
import type { MotoEndpoint } from '../peers/moto.js';
import { freePort } from '../peers/process.js';
import { testContext } from '../kafka/helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let n = 0;
const uniqueStream = (p: string) => `${p}-${process.pid}-${Date.now().toString(36)}-${n++}`;
const fields = [
  { name: 'id', type: T.int() },
  { name: 'k', type: T.string() },
];

interface Impl {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

function helpers(impl: () => Impl) {
  const opened: DynamicSource[] = [];
  let client: KinesisClient | undefined;
  const kc = () => (client ??= new KinesisClient({ region: impl().region, endpoint: impl().endpoint, credentials: { accessKeyId: impl().accessKeyId, secretAccessKey: impl().secretAccessKey }, requestHandler: new NodeHttpHandler() }));
  const opts = (stream: string, extra: Record<string, string> = {}) => ({
    connector: 'kinesis',
    stream,
    'aws.region': impl().region,
    'aws.endpoint': impl().endpoint,
    'aws.credentials.provider': 'BASIC',
    'aws.credentials.basic.accesskeyid': impl().accessKeyId,
    'aws.credentials.basic.secretkey': impl().secretAccessKey,
    'scan.stream.initpos': 'TRIM_HORIZON',
    'scan.shard.getrecords.intervalmillis': '50',
    format: 'json',
    ...extra,
  });
  const table = (options: Record<string, string>): TableDescriptor => ({ path: { catalog: 'c', database: 'd', table: 'kin' }, physical: fields, metadata: [], options, partitionKeys: [] });
  async function open(options: Record<string, string>, state?: unknown): Promise<DynamicSource> {
    const src = kinesisFactory.createSource!(table(options), { batch: false, metadataKeys: ['shard-id'] }, { config: new Map() });
    opened.push(src);
    await src.open(testContext(), state);
    return src;
  }
  async function active(stream: string): Promise<void> {
    for (let i = 0; ; i++) {
      const d = await kc().send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
      if (i > 200) throw new Error(`stream ${stream} did not become ACTIVE`);
      await sleep(50);
    }
  }
  async function createStream(shards: number): Promise<string> {
    const name = uniqueStream('rl');
    await kc().send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    await active(name);
    return name;
  }
  async function put(stream: string, ids: number[], key = 'same-key'): Promise<string[]> {
    const shards: string[] = [];
    for (const id of ids) shards.push((await kc().send(new PutRecordCommand({ StreamName: stream, PartitionKey: key, Data: Buffer.from(JSON.stringify({ id, k: key })) }))).ShardId!);
    return shards;
  }
  async function drain(src: DynamicSource, count: number, ms = 20_000): Promise<Row[]> {
    const rows: Row[] = [];
    const end = Date.now() + ms;
    while (rows.length < count && Date.now() < end) for (const b of (await src.poll(200)) as SourceBatch[]) rows.push(...b.rows);
    return rows;
  }
  const close = async () => {
    for (const s of opened.splice(0)) await s.close();
  };
  return { kc, opts, open, active, createStream, put, drain, close, destroy: () => client?.destroy() };
}

describe('a reshard while the source reads (kinesalite)', () => {
  let kinesalite: Server;
  let endpoint = '';
  const h = helpers(() => ({ endpoint, region: 'us-east-1', accessKeyId: 'AKIDRESHARD', secretAccessKey: 'reshard-secret' }));
  beforeAll(async () => {
    const port = await freePort();
    kinesalite = (createRequire(import.meta.url)('kinesalite') as (o: Record<string, unknown>) => Server)({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 50 });
    await new Promise<void>((resolve) => kinesalite.listen(port, '127.0.0.1', () => resolve()));
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterEach(() => h.close());
  afterAll(async () => {
    h.destroy();
    kinesalite?.closeAllConnections();
    await new Promise((r) => kinesalite?.close(r));
  });

  it('a split found by shard discovery: the rest of the parent first, then the child; a checkpoint across the split restores exactly', async () => {
    const stream = await h.createStream(1);
    const [parent] = (await h.kc().send(new ListShardsCommand({ StreamName: stream }))).Shards!;
    const src = await h.open(h.opts(stream, { 'scan.shard.discovery.intervalmillis': '100', 'scan.shard.getrecords.maxrecordcount': '1' }));
    await h.put(stream, [0, 1]);
    expect((await h.drain(src, 2)).map((r) => r[0])).toEqual([0, 1]);
    // Records the source has not read yet stay on the parent; then the split; then new records of
    // the same key go to a child.
    await h.put(stream, [2, 3]);
    const lo = BigInt(parent.HashKeyRange!.StartingHashKey!);
    const hi = BigInt(parent.HashKeyRange!.EndingHashKey!);
    await h.kc().send(new SplitShardCommand({ StreamName: stream, ShardToSplit: parent.ShardId!, NewStartingHashKey: ((lo + hi) / 2n).toString() }));
    await h.active(stream);
    const childShards = await h.put(stream, [4, 5, 6, 7]);
    const child = childShards[0];
    expect(new Set(childShards)).toEqual(new Set([child]));
    expect(child).not.toBe(parent.ShardId);
    // A checkpoint now: the parent at record 1 (a sequence number), children unknown.
    const state = JSON.parse(JSON.stringify(src.snapshotState(1))) as { shards: Record<string, string> };
    expect(Object.keys(state.shards)).toEqual([parent.ShardId]);
    expect(state.shards[parent.ShardId!]).toMatch(/^\d+$/);

    await sleep(150); // discovery due
    const rows = await h.drain(src, 6);
    expect(rows.map((r) => r[0])).toEqual([2, 3, 4, 5, 6, 7]);
    expect(rows.map((r) => r[2])).toEqual([parent.ShardId, parent.ShardId, child, child, child, child]);
    const after = src.snapshotState(2) as { shards: Record<string, string> };
    expect(after.shards[parent.ShardId!]).toBe('SHARD_END');
    expect(Object.keys(after.shards).sort()).toEqual((await h.kc().send(new ListShardsCommand({ StreamName: stream }))).Shards!.map((s) => s.ShardId!).sort());
    expect(src.splits()).not.toContain(parent.ShardId);

    // Restoring the checkpoint taken before the split: the parent resumes after record 1, the
    // children (not in the checkpoint) start at TRIM_HORIZON once it is drained. No loss, no duplicate.
    const restored = await h.open(h.opts(stream), state);
    expect(restored.splits()).toEqual([parent.ShardId]);
    const again = await h.drain(restored, 6);
    await sleep(200);
    const extra = ((await restored.poll(300)) ?? []).flatMap((b) => b.rows);
    expect([...again, ...extra].map((r) => r[0])).toEqual([2, 3, 4, 5, 6, 7]);
  }, 60_000);
});

describe.skipIf(!hasPeer('moto'))("Kinesis lag: millisBehindLatest per shard (moto's MillisBehindLatest)", () => {
  const h = helpers(() => {
    const m = peer<MotoEndpoint>('moto');
    return { endpoint: m.s3Endpoint, region: m.region, accessKeyId: m.accessKeyId, secretAccessKey: m.secretAccessKey };
  });
  let running: { job: Job; done: Promise<JobResult> } | undefined;
  let session: Session | undefined;
  afterEach(async () => {
    if (running && !['FINISHED', 'CANCELED', 'FAILED', 'STOPPED'].includes(running.job.status)) {
      running.job.cancel();
      await running.done.catch(() => {});
    }
    running = undefined;
    await session?.close();
    dropMemoryChannel('kin-lag');
    await h.close();
  });
  afterAll(() => h.destroy());

  it('the source reports how far behind the tip each shard read is, and 0 once caught up', async () => {
    const stream = await h.createStream(1);
    const [shard] = await h.put(stream, [1]);
    await sleep(1500);
    await h.put(stream, [2]);
    const src = await h.open(h.opts(stream, { 'scan.shard.getrecords.maxrecordcount': '1' }));
    expect(src.metrics!().millisBehindLatest).toEqual([]); // nothing read yet
    expect((await h.drain(src, 1)).map((r) => r[0])).toEqual([1]);
    const behind = src.metrics!().millisBehindLatest!;
    expect(behind).toHaveLength(1);
    expect(behind[0].labels).toEqual({ stream, shardId: shard });
    expect(behind[0].millis).toBeGreaterThanOrEqual(1400);
    expect(behind[0].millis).toBeLessThan(10_000);
    expect((await h.drain(src, 1)).map((r) => r[0])).toEqual([2]);
    expect(src.metrics!().millisBehindLatest![0].millis).toBe(0);
  }, 60_000);

  it("a running job exposes it as Flink's KinesisConsumer_stream_shardId_millisBehindLatest gauge, per shard", async () => {
    const stream = await h.createStream(2);
    const m = peer<MotoEndpoint>('moto');
    await h.put(stream, [1, 2, 3], 'a');
    await h.put(stream, [4, 5, 6], 'b');
    const shards = (await h.kc().send(new ListShardsCommand({ StreamName: stream }))).Shards!.map((s) => s.ShardId!);
    const out = memoryChannel('kin-lag');
    session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE kin (id INT, k STRING) WITH (
        'connector' = 'kinesis', 'stream' = '${stream}', 'aws.region' = '${m.region}', 'aws.endpoint' = '${m.s3Endpoint}',
        'aws.credentials.provider' = 'BASIC', 'aws.credentials.basic.accesskeyid' = '${m.accessKeyId}', 'aws.credentials.basic.secretkey' = '${m.secretAccessKey}',
        'scan.stream.initpos' = 'TRIM_HORIZON', 'scan.shard.getrecords.intervalmillis' = '50', 'format' = 'json');
      CREATE TABLE out_t (id INT, k STRING) WITH ('connector' = 'memory', 'channel' = 'kin-lag');
      INSERT INTO out_t SELECT id, k FROM kin;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    running = { job: r.job, done: r.job.run() };
    monitorJob(r.job);
    const registry = createMetricsRegistry();
    const end = Date.now() + 30_000;
    let lines: string[] = [];
    while (Date.now() < end) {
      lines = (await registry.metrics()).split('\n').filter((l) => l.startsWith('flink_taskmanager_job_task_operator_KinesisConsumer_stream_shardId_millisBehindLatest{'));
      if (out.written.length >= 6 && lines.length >= 2) break;
      await sleep(100);
    }
    expect(out.written.map((row) => row[0]).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const seen = lines.filter((l) => l.includes(`stream="${stream}"`)).map((l) => ({ shard: /shardId="([^"]+)"/.exec(l)![1], value: Number(l.slice(l.lastIndexOf(' ') + 1)) }));
    expect(seen.map((s) => s.shard).sort()).toEqual([...shards].sort());
    for (const s of seen) expect(s.value).toBe(0); // caught up
  }, 60_000);
});

describe('per-shard watermarks and idle shards in a SQL job (kinesalite)', () => {
  let kinesalite: Server;
  let endpoint = '';
  const h = helpers(() => ({ endpoint, region: 'us-east-1', accessKeyId: 'AKIDWM', secretAccessKey: 'wm-secret' }));
  let running: { job: Job; done: Promise<JobResult> } | undefined;
  let session: Session | undefined;
  beforeAll(async () => {
    const port = await freePort();
    kinesalite = (createRequire(import.meta.url)('kinesalite') as (o: Record<string, unknown>) => Server)({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 50 });
    await new Promise<void>((resolve) => kinesalite.listen(port, '127.0.0.1', () => resolve()));
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterEach(async () => {
    if (running && !['FINISHED', 'CANCELED', 'FAILED', 'STOPPED'].includes(running.job.status)) {
      running.job.cancel();
      await running.done.catch(() => {});
    }
    running = undefined;
    await session?.close();
    session = undefined;
    dropMemoryChannel('kin-wm');
  });
  afterAll(async () => {
    h.destroy();
    kinesalite?.closeAllConnections();
    await new Promise((r) => kinesalite?.close(r));
  });

  // Partition keys whose MD5 hash key falls in the lower (shard 0) or upper (shard 1) half of a 2-shard stream.
  const keyOf = (upper: boolean) => {
    for (let i = 0; ; i++) if ((createHash('md5').update(`key-${i}`).digest()[0] >= 0x80) === upper) return `key-${i}`;
  };
  const A = keyOf(false);
  const B = keyOf(true);
  async function putAt(stream: string, key: string, id: number, ts: string): Promise<string> {
    return (await h.kc().send(new PutRecordCommand({ StreamName: stream, PartitionKey: key, Data: Buffer.from(JSON.stringify({ id, k: key, ts: `2025-12-29 ${ts}` })) }))).ShardId!;
  }
  async function start(stream: string, set: string): Promise<{ job: Job; out: ReturnType<typeof memoryChannel> }> {
    const out = memoryChannel('kin-wm');
    session = new Session({ log: () => {} });
    const res = await session.executeAll(`${set}
      CREATE TABLE ev (id INT, k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH (
        'connector' = 'kinesis', 'stream' = '${stream}', 'aws.region' = 'us-east-1', 'aws.endpoint' = '${endpoint}',
        'aws.credentials.provider' = 'BASIC', 'aws.credentials.basic.accesskeyid' = 'AKIDWM', 'aws.credentials.basic.secretkey' = 'wm-secret',
        'scan.stream.initpos' = 'TRIM_HORIZON', 'scan.shard.getrecords.intervalmillis' = '50', 'format' = 'json');
      CREATE TABLE out_t (window_start TIMESTAMP(3), n BIGINT) WITH ('connector' = 'memory', 'channel' = 'kin-wm');
      INSERT INTO out_t SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    running = { job: r.job, done: r.job.run() };
    return { job: r.job, out };
  }
  const until = async (f: () => boolean, ms = 15_000) => {
    const end = Date.now() + ms;
    while (!f()) {
      if (Date.now() > end) throw new Error('timed out');
      await sleep(25);
    }
  };
  // window_start as epoch microseconds (TIMESTAMP(3) rows), shown as the UTC time of day.
  const rows = (written: Row[]) => written.map((r) => `${new Date(Number(r[0]) / 1000).toISOString().slice(11, 19)} ${r[1]}`).sort();

  it("the watermark is the minimum over the shards: a lagging shard holds windows back until it moves", async () => {
    const stream = await h.createStream(2);
    const shardB = await putAt(stream, B, 0, '10:00:01');
    const shardA = await putAt(stream, A, 1, '10:00:02');
    expect(shardA).not.toBe(shardB);
    for (const [id, ts] of [[2, '10:00:03'], [3, '10:00:12'], [4, '10:00:25']] as const) await putAt(stream, A, id, ts);
    const { job, out } = await start(stream, "SET 'pipeline.auto-watermark-interval' = '0';");
    await until(() => job.metrics.recordsIn === 5);
    await sleep(500);
    expect(out.written).toEqual([]); // shard B's watermark (10:00:01) holds every window back
    await putAt(stream, B, 5, '10:00:40');
    await until(() => out.written.length === 2);
    await sleep(300);
    expect(rows(out.written)).toEqual(['10:00:00 3', '10:00:10 1']); // watermark min(25, 40) = 10:00:25
  }, 60_000);

  it('a shard silent for longer than table.exec.source.idle-timeout stops holding the watermark back', async () => {
    const stream = await h.createStream(2);
    await putAt(stream, B, 0, '10:00:01');
    const { job, out } = await start(stream, "SET 'pipeline.auto-watermark-interval' = '50 ms'; SET 'table.exec.source.idle-timeout' = '500 ms';");
    await until(() => job.metrics.recordsIn === 1);
    await sleep(700);
    for (const [id, ts] of [[1, '10:00:02'], [2, '10:00:03'], [3, '10:00:12'], [4, '10:00:25']] as const) await putAt(stream, A, id, ts);
    await until(() => out.written.length === 2);
    await sleep(300);
    expect(rows(out.written)).toEqual(['10:00:00 3', '10:00:10 1']);
  }, 60_000);
});
