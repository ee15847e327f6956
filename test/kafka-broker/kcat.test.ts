// The test broker checked with an independent client: kcat (librdkafka).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { startTestBroker, type TestBroker } from './index.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { KCAT, kcat } from './kcat-helper.js';
import { Reader, Writer } from './codec.js';
import { encodeBatch } from './records.js';
import { hasOpenssl, makeTestCert } from './tls-helper.js';

let broker: TestBroker;

beforeEach(async () => {
  broker = await startTestBroker({ partitions: 1 });
});
afterEach(async () => {
  await broker.stop();
});

interface KcatJsonMessage {
  topic: string;
  partition: number;
  offset: number;
  tstype: string;
  ts: number;
  headers: string[] | null;
  key: string | null;
  payload: string | null;
}

function parseJsonLines(out: string): KcatJsonMessage[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as KcatJsonMessage);
}

describe('kcat against the test broker', () => {
  it('lists metadata (-L) with brokers, topics and partitions', async () => {
    broker.createTopic('meta-a', 3);
    broker.createTopic('meta-b', 1);
    const res = await kcat(['-b', broker.bootstrap, '-L', '-J']);
    expect(res.code).toBe(0);
    const md = JSON.parse(res.stdout.trim()) as { brokers: { id: number; name: string }[]; topics: { topic: string; partitions: { partition: number; leader: number }[] }[]; controllerid: number };
    expect(md.brokers).toEqual([{ id: 1, name: broker.bootstrap }]);
    expect(md.controllerid).toBe(1);
    const topics = Object.fromEntries(md.topics.map((t) => [t.topic, t.partitions.map((p) => p.partition).sort()]));
    expect(topics).toEqual({ 'meta-a': [0, 1, 2], 'meta-b': [0] });
    expect(md.topics.every((t) => t.partitions.every((p) => p.leader === 1))).toBe(true);
  });

  it('produces with -P and reads back exactly the same messages with -C -e (keys, headers, several partitions)', async () => {
    broker.createTopic('roundtrip', 3);
    const sent: { partition: number; key: string; value: string; headers: string[] }[] = [];
    for (let p = 0; p < 3; p++) {
      const lines: string[] = [];
      for (let i = 0; i < 20; i++) {
        const key = `key-${p}-${i}`;
        const value = `{"n":${i},"p":${p},"text":"héllo wörld ${i}"}`;
        lines.push(`${key}\t${value}`);
        sent.push({ partition: p, key, value, headers: ['source', 'kcat', 'part', String(p)] });
      }
      const res = await kcat(['-b', broker.bootstrap, '-P', '-t', 'roundtrip', '-p', String(p), '-K', '\t', '-H', 'source=kcat', '-H', `part=${p}`], lines.join('\n') + '\n');
      expect(res.code, res.stderr).toBe(0);
    }
    for (let p = 0; p < 3; p++) expect(broker.endOffset('roundtrip', p)).toBe(20);

    const res = await kcat(['-b', broker.bootstrap, '-C', '-t', 'roundtrip', '-o', 'beginning', '-e', '-J']);
    expect(res.code, res.stderr).toBe(0);
    const got = parseJsonLines(res.stdout);
    expect(got).toHaveLength(60);
    for (let p = 0; p < 3; p++) {
      const inP = got.filter((m) => m.partition === p);
      expect(inP.map((m) => m.offset)).toEqual([...Array(20).keys()]);
      expect(inP.map((m) => ({ partition: m.partition, key: m.key, value: m.payload, headers: m.headers }))).toEqual(sent.filter((s) => s.partition === p));
      expect(inP.every((m) => m.tstype === 'create' && Math.abs(m.ts - Date.now()) < 60_000)).toBe(true);
    }
    // The broker stored the same bytes.
    const stored = broker.records('roundtrip', 1);
    expect(stored.map((r) => r.key?.toString())).toEqual(sent.filter((s) => s.partition === 1).map((s) => s.key));
    expect(stored[0].headers.map((h) => [h.key, h.value?.toString()])).toEqual([
      ['source', 'kcat'],
      ['part', '1'],
    ]);
  });

  it('produces with compression (gzip, snappy, lz4, zstd) and reads back the same messages', async () => {
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
      const topic = `compressed-${codec}`;
      const lines = Array.from({ length: 50 }, (_, i) => `${codec} message ${i} ${'x'.repeat(i)}`);
      const p = await kcat(['-b', broker.bootstrap, '-P', '-t', topic, '-z', codec], lines.join('\n') + '\n');
      expect(p.code, p.stderr).toBe(0);
      const c = await kcat(['-b', broker.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%s\n']);
      expect(c.code, c.stderr).toBe(0);
      expect(c.stdout.trim().split('\n')).toEqual(lines);
    }
  });

  it('reads messages produced through the test API, with their timestamps, and seeks by timestamp', async () => {
    const t0 = Date.UTC(2024, 0, 1);
    broker.produce('ts-topic', 0, [
      { key: 'a', value: 'first', timestamp: t0 },
      { key: 'b', value: 'second', timestamp: t0 + 1000, headers: { h: 'x' } },
    ]);
    broker.produce('ts-topic', 0, [{ key: null, value: 'third', timestamp: t0 + 2000 }]);
    const all = parseJsonLines((await kcat(['-b', broker.bootstrap, '-C', '-t', 'ts-topic', '-o', 'beginning', '-e', '-J'])).stdout);
    expect(all.map((m) => [m.offset, m.key, m.payload, m.ts])).toEqual([
      [0, 'a', 'first', t0],
      [1, 'b', 'second', t0 + 1000],
      [2, null, 'third', t0 + 2000],
    ]);
    expect(all[1].headers).toEqual(['h', 'x']);
    const fromTs = parseJsonLines((await kcat(['-b', broker.bootstrap, '-C', '-t', 'ts-topic', '-o', `s@${t0 + 500}`, '-e', '-J'])).stdout);
    expect(fromTs.map((m) => m.payload)).toEqual(['second', 'third']);
    const tail = parseJsonLines((await kcat(['-b', broker.bootstrap, '-C', '-t', 'ts-topic', '-o', '-1', '-e', '-J'])).stdout);
    expect(tail.map((m) => m.payload)).toEqual(['third']);
    // A LogAppendTime topic: the broker's clock, and kcat sees the timestamp type.
    broker.createTopic('lat-topic', 1, { timestampType: 'LogAppendTime' });
    const before = Date.now();
    await kcat(['-b', broker.bootstrap, '-P', '-t', 'lat-topic'], 'stamped\n');
    const [lat] = parseJsonLines((await kcat(['-b', broker.bootstrap, '-C', '-t', 'lat-topic', '-e', '-J'])).stdout);
    expect(lat.tstype).toBe('logappend');
    expect(lat.ts).toBeGreaterThanOrEqual(before);
  });

  it('consumes with a consumer group (-G), commits, and resumes from the committed offsets', async () => {
    broker.createTopic('grouped', 2);
    for (let p = 0; p < 2; p++) broker.produce('grouped', p, Array.from({ length: 5 }, (_, i) => ({ key: `k${p}${i}`, value: `v${p}${i}` })));
    const args = ['-b', broker.bootstrap, '-G', 'kcat-group', '-X', 'auto.offset.reset=earliest', '-e', '-f', '%p:%o:%s\n', 'grouped'];
    const first = await kcat(args, undefined, 25_000);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split('\n').sort()).toEqual(['0:0:v00', '0:1:v01', '0:2:v02', '0:3:v03', '0:4:v04', '1:0:v10', '1:1:v11', '1:2:v12', '1:3:v13', '1:4:v14']);
    expect(broker.committedOffsets('kcat-group')).toEqual(new Map([['grouped-0', 5], ['grouped-1', 5]]));
    broker.produce('grouped', 1, [{ value: 'later' }]);
    const second = await kcat(args, undefined, 25_000);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe('1:5:later');
  });

  it('transactions: kcat produces transactionally; kcat (read_committed) skips an aborted transaction written by the broker', async () => {
    const p = await kcat(['-b', broker.bootstrap, '-P', '-t', 'kc-txn', '-X', 'transactional.id=kcat-tx'], 'one\ntwo\n');
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toContain('Transaction successfully committed');
    expect(broker.endOffset('kc-txn', 0)).toBe(3); // two records and the commit marker
    // An aborted transaction, written directly: records then an abort marker.
    const b = broker.broker;
    const log = b.partition('kc-txn', 0)!;
    const { encodeBatch: enc } = await import('./records.js');
    log.append(enc([{ value: 'aborted-1' }, { value: 'aborted-2' }], { producerId: 77, producerEpoch: 0, transactional: true, baseSequence: 0 }));
    log.endTransaction(77, 0, false);
    broker.produce('kc-txn', 0, [{ value: 'three' }]);
    const committed = await kcat(['-b', broker.bootstrap, '-C', '-t', 'kc-txn', '-e', '-X', 'isolation.level=read_committed', '-f', '%s\n']);
    expect(committed.stdout.trim().split('\n')).toEqual(['one', 'two', 'three']);
    const uncommitted = await kcat(['-b', broker.bootstrap, '-C', '-t', 'kc-txn', '-e', '-X', 'isolation.level=read_uncommitted', '-f', '%s\n']);
    expect(uncommitted.stdout.trim().split('\n')).toEqual(['one', 'two', 'aborted-1', 'aborted-2', 'three']);
  });

  it('two kcat members of one group share the partitions and rebalance when one joins', async () => {
    broker.createTopic('pair', 4);
    const children: ChildProcess[] = [];
    const out = { A: '', B: '' };
    const err = { A: '', B: '' };
    const member = (name: 'A' | 'B') => {
      const c = spawn(KCAT, ['-u', '-b', broker.bootstrap, '-G', 'pair-group', '-X', 'auto.offset.reset=earliest', '-f', `${name} %p %s\n`, 'pair'], { stdio: ['ignore', 'pipe', 'pipe'] });
      c.stdout!.setEncoding('utf8').on('data', (d: string) => (out[name] += d));
      c.stderr!.setEncoding('utf8').on('data', (d: string) => (err[name] += d));
      children.push(c);
    };
    const waitFor = async (cond: () => boolean, ms = 15_000) => {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out; A: ${JSON.stringify(err.A)} B: ${JSON.stringify(err.B)} outA: ${JSON.stringify(out.A)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      member('A');
      await waitFor(() => /assigned: pair \[0\], pair \[1\], pair \[2\], pair \[3\]/.test(err.A));
      member('B');
      await waitFor(() => /assigned: pair/.test(err.B) && (err.A.match(/assigned:/g) ?? []).length >= 2);
      for (let p = 0; p < 4; p++) broker.produce('pair', p, [{ value: `m${p}a` }, { value: `m${p}b` }]);
      const lines = () => (out.A + out.B).split('\n').filter(Boolean);
      await waitFor(() => lines().length >= 8);
      expect(lines().map((l) => l.split(' ')[2]).sort()).toEqual(['m0a', 'm0b', 'm1a', 'm1b', 'm2a', 'm2b', 'm3a', 'm3b']);
      // Each member read only its own partitions.
      const partsOf = (o: string) => new Set(o.split('\n').filter(Boolean).map((l) => l.split(' ')[1]));
      const a = partsOf(out.A);
      const b = partsOf(out.B);
      expect(a.size).toBeGreaterThan(0);
      expect(b.size).toBeGreaterThan(0);
      expect([...a].some((p) => b.has(p))).toBe(false);
    } finally {
      for (const c of children) c.kill('SIGKILL');
    }
  }, 40_000);

  it('cross-client: kafkajs (gzip) → kcat, and kcat (idempotent producer) → kafkajs', async () => {
    const { Kafka, CompressionTypes, logLevel } = await import('kafkajs');
    const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: 'x1', compression: CompressionTypes.GZIP, messages: [{ key: 'a', value: 'from-kafkajs-1', headers: { h: 'v' } }, { key: 'b', value: 'from-kafkajs-2' }] });
    } finally {
      await producer.disconnect();
    }
    const read = parseJsonLines((await kcat(['-b', broker.bootstrap, '-C', '-t', 'x1', '-e', '-J'])).stdout);
    expect(read.map((m) => [m.key, m.payload, m.headers ?? null])).toEqual([
      ['a', 'from-kafkajs-1', ['h', 'v']],
      ['b', 'from-kafkajs-2', null],
    ]);
    const p = await kcat(['-b', broker.bootstrap, '-P', '-t', 'x2', '-X', 'enable.idempotence=true', '-K', ':'], 'k1:from-kcat-1\nk2:from-kcat-2\n');
    expect(p.code, p.stderr).toBe(0);
    const consumer = kafka.consumer({ groupId: 'x2-reader', maxWaitTimeInMs: 100 });
    const got: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: 'x2', fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void got.push(`${message.key}:${message.value}`) });
      const end = Date.now() + 10_000;
      while (got.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await consumer.disconnect();
    }
    expect(got).toEqual(['k1:from-kcat-1', 'k2:from-kcat-2']);
  });

  it('SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512): kcat authenticates with the right password and is refused with a wrong one', async () => {
    const secured = await startTestBroker({ sasl: { username: 'alice', password: 's3cret' } });
    try {
      const auth = (password: string) => ['-b', secured.bootstrap, '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=PLAIN', '-X', 'sasl.username=alice', '-X', `sasl.password=${password}`];
      const p = await kcat([...auth('s3cret'), '-P', '-t', 'sec'], 'hello\n');
      expect(p.code, p.stderr).toBe(0);
      const c = await kcat([...auth('s3cret'), '-C', '-t', 'sec', '-e', '-f', '%s\n']);
      expect(c.stdout.trim()).toBe('hello');
      const bad = await kcat([...auth('wrong'), '-L', '-m', '1']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/Authentication failed|SASL/i);
      const none = await kcat(['-b', secured.bootstrap, '-L', '-m', '1']);
      expect(none.code).not.toBe(0);
      for (const mech of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
        const scram = (password: string) => ['-b', secured.bootstrap, '-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mech}`, '-X', 'sasl.username=alice', '-X', `sasl.password=${password}`];
        const ok = await kcat([...scram('s3cret'), '-C', '-t', 'sec', '-e', '-f', '%s\n']);
        expect(ok.stdout.trim(), ok.stderr).toBe('hello');
        const wrong = await kcat([...scram('wrong'), '-L', '-m', '1']);
        expect(wrong.code).not.toBe(0);
      }
    } finally {
      await secured.stop();
    }
  });

  it.skipIf(!hasOpenssl())('TLS (security.protocol SSL): kcat produces and consumes, verifying the certificate', async () => {
    const cert = makeTestCert();
    const secured = await startTestBroker({ tls: { key: cert.key, cert: cert.cert } });
    try {
      const ssl = ['-b', secured.bootstrap, '-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${cert.certFile}`];
      const p = await kcat([...ssl, '-P', '-t', 'tls'], 'over-tls\n');
      expect(p.code, p.stderr).toBe(0);
      const c = await kcat([...ssl, '-C', '-t', 'tls', '-e', '-f', '%s\n']);
      expect(c.stdout.trim()).toBe('over-tls');
    } finally {
      await secured.stop();
      cert.cleanup();
    }
  });

  it('rejects a record batch whose CRC-32C does not match (CORRUPT_MESSAGE)', async () => {
    broker.createTopic('crc', 1);
    const batch = encodeBatch([{ key: 'k', value: 'v' }]);
    batch[batch.length - 1] ^= 0xff; // flip bits in the record body, after the CRC was computed
    const good = encodeBatch([{ key: 'k', value: 'v' }]);
    const produce = (records: Buffer, correlationId: number): Buffer =>
      new Writer()
        .int16(0).int16(3).int32(correlationId).nullableString('raw-test') // header v1: Produce v3
        .nullableString(null).int16(1).int32(5000)
        .array(['crc'], (w, t) => w.string(t).array([0], (w2, p) => w2.int32(p).bytes(records)))
        .toBuffer();
    const responses = await rawRequests(broker.port, [produce(batch, 7), produce(good, 8)]);
    const errorOf = (buf: Buffer): [number, number] => {
      const r = new Reader(buf);
      const corr = r.int32();
      r.int32(); // topics count
      r.string();
      r.int32(); // partitions count
      r.int32(); // partition
      return [corr, r.int16()];
    };
    expect(errorOf(responses[0])).toEqual([7, 2]);
    expect(errorOf(responses[1])).toEqual([8, 0]);
    expect(broker.endOffset('crc', 0)).toBe(1);
  });
});

/** Sends framed requests on one connection and collects as many framed responses. */
function rawRequests(port: number, requests: Buffer[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const out: Buffer[] = [];
    let pending = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('raw request timed out'));
    }, 5000);
    socket.on('connect', () => {
      for (const r of requests) {
        const size = Buffer.alloc(4);
        size.writeInt32BE(r.length);
        socket.write(Buffer.concat([size, r]));
      }
    });
    socket.on('data', (d) => {
      pending = Buffer.concat([pending, d]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const n = pending.readInt32BE(0);
        out.push(pending.subarray(4, 4 + n));
        pending = pending.subarray(4 + n);
      }
      if (out.length === requests.length) {
        clearTimeout(timer);
        socket.destroy();
        resolve(out);
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
