// The Kinesis connector's source (and sink) against two independent implementations of the Kinesis API on
// 127.0.0.1: kinesalite (npm, started here on a free port) and moto's server (the 'moto' peer).
// Every test makes its own stream; records are put with partition keys as `aws kinesis put-record`
// sends them (the SDK base64-encodes the JSON data on the wire).
import { createRequire } from 'node:module';
import { createServer, request, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { DynamicSource, MetadataColumn, SourceBatch, TableDescriptor } from '../../src/common/connector.js';
import { ConnectorError, ValidationError } from '../../src/common/errors.js';
import { T } from '../../src/common/types.js';
import type { Row } from '../../src/common/types.js';
import { kinesisFactory } from '../../src/connectors/kinesis/index.js';
import { Session } from '../../src/cli/session.js';
import { dropMemoryChannel, memoryChannel } from '../../src/connectors/memory/index.js';
import type { Job, JobResult } from '../../src/runtime/job.js';
import { hasPeer, peer } from '../peers/index.js';
import type { MotoEndpoint } from '../peers/moto.js';
import { freePort } from '../peers/process.js';
import { testContext } from '../kafka/helpers.js';

interface Impl {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

let kinesalite: Server | undefined;
let kinesaliteEndpoint = '';

beforeAll(async () => {
  const port = await freePort();
  const create = createRequire(import.meta.url)('kinesalite') as (o: Record<string, unknown>) => Server;
  kinesalite = create({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 50 });
  await new Promise<void>((resolve, reject) => {
    kinesalite!.once('error', reject);
    kinesalite!.listen(port, '127.0.0.1', () => resolve());
  });
  kinesaliteEndpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  kinesalite?.closeAllConnections();
  await new Promise((r) => kinesalite?.close(r));
});

const impls: [string, () => Impl | undefined][] = [
  ['kinesalite', () => ({ endpoint: kinesaliteEndpoint, region: 'us-east-1', accessKeyId: 'AKIDKINESALITE', secretAccessKey: 'kinesalite-secret-do-not-print' })],
  [
    'moto',
    () => {
      if (!hasPeer('moto')) return undefined;
      const m = peer<MotoEndpoint>('moto');
      return { endpoint: m.s3Endpoint, region: m.region, accessKeyId: m.accessKeyId, secretAccessKey: m.secretAccessKey };
    },
  ],
];

const fields = [
  { name: 'id', type: T.int() },
  { name: 'k', type: T.string() },
];
const META: MetadataColumn[] = [];

const opened: DynamicSource[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

let n = 0;
const uniqueStream = (p: string) => `${p}-${process.pid}-${Date.now().toString(36)}-${n++}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(impls)('kinesis source on %s', (implName, getImpl) => {
  let impl: Impl;
  let client: KinesisClient;
  beforeAll(() => {
    const i = getImpl();
    if (!i) return;
    impl = i;
    client = new KinesisClient({
      region: impl.region,
      endpoint: impl.endpoint,
      credentials: { accessKeyId: impl.accessKeyId, secretAccessKey: impl.secretAccessKey },
      requestHandler: new NodeHttpHandler(),
    });
  });
  afterAll(() => client?.destroy());

  const runIf = (name: string, fn: () => Promise<void>, timeout = 60_000) =>
    it(name, async (ctx) => {
      if (!getImpl()) return ctx.skip();
      await fn();
    }, timeout);

  function opts(stream: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      connector: 'kinesis',
      stream,
      'aws.region': impl.region,
      'aws.endpoint': impl.endpoint,
      'aws.credentials.provider': 'BASIC',
      'aws.credentials.basic.accesskeyid': impl.accessKeyId,
      'aws.credentials.basic.secretkey': impl.secretAccessKey,
      'scan.stream.initpos': 'TRIM_HORIZON',
      'scan.shard.getrecords.intervalmillis': '50',
      format: 'json',
      ...extra,
    };
  }

  function table(options: Record<string, string>, metadata: MetadataColumn[] = META): TableDescriptor {
    return { path: { catalog: 'default_catalog', database: 'default_database', table: 'kin' }, physical: fields, metadata, options, partitionKeys: [] };
  }

  async function open(t: TableDescriptor, state?: unknown, metadataKeys?: string[]): Promise<DynamicSource> {
    const src = kinesisFactory.createSource!(t, { batch: false, metadataKeys }, { config: new Map() });
    opened.push(src);
    await src.open(testContext(), state);
    return src;
  }

  async function createStream(shards: number): Promise<string> {
    const name = uniqueStream(implName);
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    for (let i = 0; ; i++) {
      const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return name;
      if (i > 200) throw new Error(`stream ${name} did not become ACTIVE`);
      await sleep(50);
    }
  }

  async function put(stream: string, ids: number[], key = (id: number) => `key-${id}`): Promise<Map<number, string>> {
    const shardOf = new Map<number, string>();
    for (const id of ids) {
      const r = await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: key(id), Data: Buffer.from(JSON.stringify({ id, k: key(id) })) }));
      shardOf.set(id, r.ShardId!);
    }
    return shardOf;
  }

  /** Polls until `count` rows arrived; rows per split in arrival order. */
  async function drain(src: DynamicSource, count: number, ms = 20_000): Promise<{ rows: Row[]; bySplit: Map<string, Row[]>; order: string[] }> {
    const rows: Row[] = [];
    const bySplit = new Map<string, Row[]>();
    const order: string[] = [];
    const end = Date.now() + ms;
    while (rows.length < count && Date.now() < end) {
      const batches = (await src.poll(200)) as SourceBatch[];
      for (const b of batches) {
        rows.push(...b.rows);
        order.push(b.split);
        bySplit.set(b.split, [...(bySplit.get(b.split) ?? []), ...b.rows]);
      }
    }
    return { rows, bySplit, order };
  }

  const ids = (rows: Row[]) => rows.map((r) => r[0] as number).sort((a, b) => a - b);

  runIf('reads both shards of a 2-shard stream from TRIM_HORIZON, with metadata columns', async () => {
    const stream = await createStream(2);
    const before = Date.now() - 5000;
    const shardOf = await put(stream, Array.from({ length: 20 }, (_, i) => i));
    expect(new Set(shardOf.values()).size).toBe(2); // both shards got records
    const src = await open(table(opts(stream)), undefined, ['shard-id', 'sequence-number', 'timestamp']);
    expect(src.bounded).toBe(false);
    const shards = (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards!.map((s) => s.ShardId!);
    expect(src.splits().sort()).toEqual([...shards].sort());
    const { rows, bySplit } = await drain(src, 20);
    expect(ids(rows)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    for (const r of rows) {
      expect(r[1]).toBe(`key-${r[0]}`);
      expect(r[2]).toBe(shardOf.get(r[0] as number)); // shard-id
      expect(r[3]).toMatch(/^\d+$/); // sequence-number
      expect(r[4] as number).toBeGreaterThan(before); // approximate arrival timestamp
    }
    // Per shard, records come in the order they were put, sequence numbers increasing.
    for (const [split, list] of bySplit) {
      expect(list.every((r) => r[2] === split)).toBe(true);
      const seqs = list.map((r) => BigInt(r[3] as string));
      expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(list.map((r) => r[0])).toEqual([...list.map((r) => r[0] as number)].sort((a, b) => a - b));
    }
    // Unbounded: records put later arrive too.
    await put(stream, [100]);
    expect(ids((await drain(src, 1)).rows)).toEqual([100]);
  });

  runIf('a checkpoint in the middle of the shards resumes after its sequence numbers: no loss, no duplicate', async () => {
    const stream = await createStream(2);
    await put(stream, Array.from({ length: 12 }, (_, i) => i));
    const first = await open(table(opts(stream, { 'scan.shard.getrecords.maxrecordcount': '2' })));
    const got = await drain(first, 1);
    const state = first.snapshotState(1) as { shards: Record<string, string> };
    await first.close();
    expect(got.rows.length).toBeGreaterThan(0);
    expect(got.rows.length).toBeLessThan(12);
    expect(Object.values(state.shards).some((p) => /^\d+$/.test(p))).toBe(true);
    await put(stream, [12, 13, 14]);
    // The state survives JSON (as in a checkpoint file).
    const second = await open(table(opts(stream)), JSON.parse(JSON.stringify(state)));
    const rest = await drain(second, 15 - got.rows.length);
    expect(ids([...got.rows, ...rest.rows])).toEqual(Array.from({ length: 15 }, (_, i) => i));
    await sleep(300);
    expect((await second.poll(300))!.flatMap((b) => b.rows)).toEqual([]);
  });

  runIf('LATEST skips what exists; a checkpoint taken before any record loses nothing', async () => {
    const stream = await createStream(2);
    await put(stream, [1, 2, 3]);
    await sleep(20);
    const first = await open(table(opts(stream, { 'scan.stream.initpos': 'LATEST' })));
    expect((await first.poll(300))!.flatMap((b) => b.rows)).toEqual([]);
    const state = first.snapshotState(1);
    await first.close();
    await sleep(20);
    // Records on both shards: kinesalite never answers an AT_TIMESTAMP GetShardIterator for a
    // shard without a record after the timestamp (AWS and moto do).
    const later = Array.from({ length: 10 }, (_, i) => 4 + i);
    expect(new Set((await put(stream, later)).values()).size).toBe(2);
    const second = await open(table(opts(stream, { 'scan.stream.initpos': 'LATEST' })), state);
    expect(ids((await drain(second, 10)).rows)).toEqual(later);
  });

  runIf('AT_TIMESTAMP starts at records that arrived at or after the timestamp', async () => {
    const stream = await createStream(1);
    await put(stream, [1, 2]);
    await sleep(1100);
    const at = Date.now();
    await sleep(50);
    await put(stream, [3, 4]);
    const src = await open(table(opts(stream, { 'scan.stream.initpos': 'AT_TIMESTAMP', 'scan.stream.initpos-timestamp': String(at / 1000) })));
    const got = await drain(src, 2);
    await sleep(200);
    const more = (await src.poll(300))!.flatMap((b) => b.rows);
    expect(ids([...got.rows, ...more])).toEqual([3, 4]);
  });

  // moto's SplitShard is not AWS's: it moves the parent's records into the children and keeps
  // routing new records to the closed parent; only kinesalite is checked here.
  runIf("after a split, the parent's records are read before its children's", async () => {
    if (implName === 'moto') return;
    const stream = await createStream(1);
    const [parent] = (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards!;
    await put(stream, [0, 1, 2, 3], () => 'same-key');
    // Split the shard in the middle of its hash key range.
    const lo = BigInt(parent.HashKeyRange!.StartingHashKey!);
    const hi = BigInt(parent.HashKeyRange!.EndingHashKey!);
    await client.send(new SplitShardCommand({ StreamName: stream, ShardToSplit: parent.ShardId!, NewStartingHashKey: ((lo + hi) / 2n).toString() }));
    for (let i = 0; ; i++) {
      const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
      if (i > 200) throw new Error('split did not finish');
      await sleep(50);
    }
    const after = await put(stream, [4, 5, 6, 7], () => 'same-key');
    const child = [...after.values()][0];
    expect(child).not.toBe(parent.ShardId);
    const src = await open(table(opts(stream)), undefined, ['shard-id']);
    // Only the parent is read at first; its children wait until it is drained.
    expect(src.splits()).toEqual([parent.ShardId]);
    const { rows } = await drain(src, 8);
    expect(rows.map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rows.map((r) => r[2])).toEqual([...Array(4).fill(parent.ShardId), ...Array(4).fill(child)]);
    const state = src.snapshotState(1) as { shards: Record<string, string> };
    expect(state.shards[parent.ShardId!]).toBe('SHARD_END');
    expect(src.splits()).not.toContain(parent.ShardId);
  });

  /** Every record of the stream: shard, partition key, data. */
  async function readAll(stream: string): Promise<{ shard: string; key: string; data: string }[]> {
    const out: { shard: string; key: string; data: string }[] = [];
    for (const sh of (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards!) {
      let it = (await client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: sh.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      for (let i = 0; i < 5 && it; i++) {
        const r = await client.send(new GetRecordsCommand({ ShardIterator: it }));
        for (const rec of r.Records ?? []) out.push({ shard: sh.ShardId!, key: rec.PartitionKey!, data: Buffer.from(rec.Data!).toString('utf8') });
        it = r.NextShardIterator;
      }
    }
    return out;
  }

  runIf('the sink puts every row with PutRecords, the partition key from the PARTITIONED BY columns', async () => {
    const stream = await createStream(2);
    const t: TableDescriptor = { ...table(opts(stream, { 'sink.partitioner-field-delimiter': '#' })), partitionKeys: ['k', 'id'] };
    const sink = kinesisFactory.createSink!(t, { config: new Map() });
    await sink.open(testContext());
    const rows: Row[] = Array.from({ length: 30 }, (_, i) => [i, `user-${i % 4}`]);
    await sink.write(rows.slice(0, 10));
    await sink.write(rows.slice(10));
    expect(await sink.prepareCommit(1)).toBeNull();
    await sink.close();
    const got = await readAll(stream);
    expect(got.map((g) => JSON.parse(g.data).id).sort((a: number, b: number) => a - b)).toEqual(rows.map((r) => r[0]));
    for (const g of got) {
      const { id, k } = JSON.parse(g.data) as { id: number; k: string };
      expect(g.key).toBe(`${k}#${id}`);
    }
    expect(new Set(got.map((g) => g.shard)).size).toBe(2);
    // And the source reads them back.
    const src = await open(table(opts(stream)));
    expect(ids((await drain(src, 30)).rows)).toEqual(rows.map((r) => r[0] as number));
  });

  runIf("the sink's 'fixed' partitioner puts every row on one shard", async () => {
    const stream = await createStream(2);
    const sink = kinesisFactory.createSink!(table(opts(stream, { 'sink.partitioner': 'fixed' })), { config: new Map() });
    await sink.open(testContext());
    await sink.write(Array.from({ length: 10 }, (_, i) => [i, `x${i}`]));
    await sink.close();
    const got = await readAll(stream);
    expect(got).toHaveLength(10);
    expect(new Set(got.map((g) => g.shard)).size).toBe(1);
  });

  runIf('a missing stream is an error naming it; credentials are never printed', async () => {
    const t = table(opts('no-such-stream-here'));
    const src = kinesisFactory.createSource!(t, { batch: false }, { config: new Map() });
    opened.push(src);
    const err = await src.open(testContext()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err!.message).toContain("Kinesis stream 'no-such-stream-here' does not exist");
    expect(err!.message).not.toContain(impl.secretAccessKey);
    expect(err!.message).not.toContain(impl.accessKeyId);
  });
});

describe('kinesis source throttled (a proxy in front of kinesalite refusing GetRecords)', () => {
  let proxy: Server;
  let proxyEndpoint = '';
  let refuse = 0;
  beforeAll(async () => {
    const target = new URL(kinesaliteEndpoint);
    proxy = createServer((req, res) => {
      const op = String(req.headers['x-amz-target'] ?? '');
      if (op.endsWith('.GetRecords') && refuse > 0) {
        refuse--;
        req.resume();
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'ProvisionedThroughputExceededException', message: 'Rate exceeded for shard' }));
        return;
      }
      const fwd = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 500, up.headers);
        up.pipe(res);
      });
      req.pipe(fwd);
    });
    const port = await freePort();
    await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', () => r()));
    proxyEndpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((r) => proxy.close(r));
  });

  async function setup(): Promise<{ stream: string; t: TableDescriptor }> {
    const client = new KinesisClient({ region: 'us-east-1', endpoint: kinesaliteEndpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, requestHandler: new NodeHttpHandler() });
    const stream = uniqueStream('throttle');
    await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
    while ((await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }))).StreamDescriptionSummary?.StreamStatus !== 'ACTIVE') await sleep(50);
    for (let i = 0; i < 3; i++) await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from(JSON.stringify({ id: i, k: 'p' })) }));
    client.destroy();
    const options = {
      connector: 'kinesis', stream, 'aws.region': 'us-east-1', 'aws.endpoint': proxyEndpoint, 'aws.credentials.provider': 'BASIC',
      'aws.credentials.basic.accesskeyid': 'AKIDTHROTTLE', 'aws.credentials.basic.secretkey': 'throttle-secret-xyz', 'scan.stream.initpos': 'TRIM_HORIZON', format: 'json',
      'scan.shard.getrecords.maxretries': '3', 'scan.shard.getrecords.backoff.base': '20', 'scan.shard.getrecords.backoff.max': '100',
    };
    return { stream, t: { path: { catalog: 'c', database: 'd', table: 'kin' }, physical: fields, metadata: [], options, partitionKeys: [] } };
  }

  it('retries a throttled GetRecords with backoff and reads every record once', async () => {
    const { t } = await setup();
    // The SDK itself tries 3 times per call: 5 refusals = one call refused, then 2 more refusals.
    refuse = 5;
    const src = kinesisFactory.createSource!(t, { batch: false }, { config: new Map() });
    opened.push(src);
    const ctx = testContext();
    await src.open(ctx);
    const rows: Row[] = [];
    const end = Date.now() + 30_000;
    while (rows.length < 3 && Date.now() < end) for (const b of (await src.poll(200))!) rows.push(...b.rows);
    expect(rows.map((r) => r[0])).toEqual([0, 1, 2]);
    expect(refuse).toBe(0);
    expect(ctx.logs.some((l) => l.startsWith('warn') && l.includes('throttled') && l.includes('shardId-000000000000'))).toBe(true);
  }, 60_000);

  it('fails naming the stream and the shard once the retries are used up', async () => {
    const { stream, t } = await setup();
    refuse = 1000;
    const src = kinesisFactory.createSource!(t, { batch: false }, { config: new Map() });
    opened.push(src);
    await src.open(testContext());
    let err: Error | undefined;
    const end = Date.now() + 30_000;
    while (!err && Date.now() < end) await src.poll(200).catch((e: Error) => (err = e));
    refuse = 0;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err!.message).toContain(`shard shardId-000000000000 of Kinesis stream '${stream}'`);
    expect(err!.message).toContain('ProvisionedThroughputExceededException');
    expect(err!.message).not.toContain('throttle-secret-xyz');
    expect(err!.message).not.toContain('AKIDTHROTTLE');
  }, 60_000);
});

describe('kinesis options', () => {
  const t = (o: Record<string, string>): TableDescriptor => ({ path: { catalog: 'c', database: 'd', table: 'kin' }, physical: fields, metadata: [], options: { connector: 'kinesis', format: 'json', 'aws.region': 'us-east-1', ...o }, partitionKeys: [] });
  const make = (o: Record<string, string>) => kinesisFactory.createSource!(t(o), { batch: false }, { config: new Map() });
  it('needs a stream, validates init positions and BASIC credentials, and suggests option names', () => {
    expect(() => make({})).toThrow(/one of 'stream' or 'stream.arn' must be set/);
    expect(() => make({ stream: 's', 'scan.stream.initpos': 'AT_TIMESTAMP' })).toThrow(/'scan.stream.initpos-timestamp' is required/);
    expect(() => make({ stream: 's', 'aws.credentials.provider': 'BASIC', 'aws.credentials.basic.accesskeyid': 'AKID' })).toThrow(ValidationError);
    expect(() => make({ stream: 's', 'scan.stream.initps': 'LATEST' })).toThrow(/scan\.stream\.initpos/);
    expect(() => make({ stream: 's', 'scan.stream.initpos': 'EARLIEST' })).toThrow(ValidationError);
  });
  it('takes the stream name and region from stream.arn', () => {
    const o = t({ 'stream.arn': 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders' });
    delete o.options['aws.region'];
    const src = kinesisFactory.createSource!(o, { batch: false }, { config: new Map() });
    return expect(src.checkpointIdentity!()).resolves.toEqual({ what: 'Kinesis stream orders in eu-west-1', keys: { stream: 'orders', region: 'eu-west-1', endpoint: '' } });
  });
});

describe('SQL job reading a Kinesis stream (kinesalite)', () => {
  let session: Session | undefined;
  let running: { job: Job; done: Promise<JobResult> } | undefined;
  afterEach(async () => {
    if (running && !['FINISHED', 'CANCELED', 'FAILED', 'STOPPED'].includes(running.job.status)) {
      running.job.cancel();
      await running.done.catch(() => {});
    }
    await session?.close();
    dropMemoryChannel('kin-out');
  });
  it('INSERT INTO a kinesis table PARTITIONED BY a column (a bounded job) puts every row', async () => {
    const client = new KinesisClient({ region: 'us-east-1', endpoint: kinesaliteEndpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, requestHandler: new NodeHttpHandler() });
    const stream = uniqueStream('sqlsink');
    await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 2 }));
    while ((await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }))).StreamDescriptionSummary?.StreamStatus !== 'ACTIVE') await sleep(50);
    session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE kout (id INT, user_id STRING) PARTITIONED BY (user_id) WITH (
        'connector' = 'kinesis', 'stream' = '${stream}', 'aws.region' = 'us-east-1', 'aws.endpoint' = '${kinesaliteEndpoint}',
        'aws.credentials.provider' = 'BASIC', 'aws.credentials.basic.accesskeyid' = 'a', 'aws.credentials.basic.secretkey' = 'b',
        'format' = 'json'
      );
      INSERT INTO kout VALUES (1, 'u1'), (2, 'u2'), (3, 'u1');`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    running = { job: r.job, done: r.job.run() };
    await running.done;
    expect(r.job.status).toBe('FINISHED');
    const got: { key: string; data: string }[] = [];
    for (const sh of (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards!) {
      const it = (await client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: sh.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      for (const rec of (await client.send(new GetRecordsCommand({ ShardIterator: it }))).Records ?? []) got.push({ key: rec.PartitionKey!, data: Buffer.from(rec.Data!).toString('utf8') });
    }
    client.destroy();
    expect(got.map((g) => `${g.key} ${g.data}`).sort()).toEqual(['u1 {"id":1,"user_id":"u1"}', 'u1 {"id":3,"user_id":"u1"}', 'u2 {"id":2,"user_id":"u2"}']);
  }, 60_000);

  it('INSERT INTO a memory sink SELECT … FROM a kinesis table with metadata columns', async () => {
    const client = new KinesisClient({ region: 'us-east-1', endpoint: kinesaliteEndpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, requestHandler: new NodeHttpHandler() });
    const stream = uniqueStream('sql');
    await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 2 }));
    while ((await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }))).StreamDescriptionSummary?.StreamStatus !== 'ACTIVE') await sleep(50);
    for (let i = 0; i < 6; i++) {
      await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: `user-${i % 3}`, Data: Buffer.from(JSON.stringify({ id: i, user_id: `user-${i % 3}` })) }));
    }
    client.destroy();
    const out = memoryChannel('kin-out');
    session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE kin (
        id INT, user_id STRING,
        arrival TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
        shard STRING METADATA FROM 'shard-id' VIRTUAL
      ) WITH (
        'connector' = 'kinesis', 'stream' = '${stream}', 'aws.region' = 'us-east-1', 'aws.endpoint' = '${kinesaliteEndpoint}',
        'aws.credentials.provider' = 'BASIC', 'aws.credentials.basic.accesskeyid' = 'a', 'aws.credentials.basic.secretkey' = 'b',
        'scan.stream.initpos' = 'TRIM_HORIZON', 'format' = 'json'
      );
      CREATE TABLE out_t (id INT, user_id STRING, shard STRING) WITH ('connector' = 'memory', 'channel' = 'kin-out');
      INSERT INTO out_t SELECT id, user_id, shard FROM kin WHERE id >= 1;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    running = { job: r.job, done: r.job.run() };
    const end = Date.now() + 30_000;
    while (out.written.length < 5 && Date.now() < end) await sleep(20);
    expect(out.written.map((row) => row[0]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(out.written.every((row) => typeof row[2] === 'string' && (row[2] as string).startsWith('shardId-'))).toBe(true);
  }, 60_000);
});
