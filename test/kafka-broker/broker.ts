// A single-node Kafka broker speaking the wire protocol over TCP on 127.0.0.1, for tests.
// Node id 1 is leader of every partition, controller, and group/transaction coordinator.
import net from 'node:net';
import tls from 'node:tls';
import { EventEmitter } from 'node:events';
import { Reader, Writer } from './codec.js';
import { ERR, Group, type JoinResult } from './groups.js';
import { PartitionLog, Topic, isValidTopicName } from './log.js';
import { SASL_MECHANISMS, SaslExchange } from './sasl.js';
import { CorruptRecordError, UnsupportedMagicError, decodeRecords, splitBatches, type BrokerRecord, type NewRecord } from './records.js';

export const NODE_ID = 1;

/** API key → [min, max] version we implement. Only ApiVersions v3 is a flexible version. */
export const SUPPORTED_APIS: Record<number, [number, number]> = {
  0: [3, 7], // Produce
  1: [4, 11], // Fetch
  2: [1, 5], // ListOffsets
  3: [0, 8], // Metadata
  8: [0, 7], // OffsetCommit
  9: [1, 5], // OffsetFetch
  10: [0, 2], // FindCoordinator
  11: [0, 5], // JoinGroup
  12: [0, 3], // Heartbeat
  13: [0, 3], // LeaveGroup
  14: [0, 3], // SyncGroup
  15: [0, 4], // DescribeGroups
  18: [0, 3], // ApiVersions
  19: [0, 4], // CreateTopics
  20: [0, 3], // DeleteTopics
  22: [0, 1], // InitProducerId
  24: [0, 1], // AddPartitionsToTxn
  25: [0, 1], // AddOffsetsToTxn
  26: [0, 1], // EndTxn
  28: [0, 2], // TxnOffsetCommit
  37: [0, 1], // CreatePartitions
  17: [0, 1], // SaslHandshake
  36: [0, 1], // SaslAuthenticate
  16: [0, 2], // ListGroups
  42: [0, 1], // DeleteGroups
};

const API_NAMES: Record<number, string> = {
  0: 'Produce', 1: 'Fetch', 2: 'ListOffsets', 3: 'Metadata', 8: 'OffsetCommit', 9: 'OffsetFetch',
  10: 'FindCoordinator', 11: 'JoinGroup', 12: 'Heartbeat', 13: 'LeaveGroup', 14: 'SyncGroup',
  15: 'DescribeGroups', 18: 'ApiVersions', 19: 'CreateTopics', 20: 'DeleteTopics', 22: 'InitProducerId',
  24: 'AddPartitionsToTxn', 25: 'AddOffsetsToTxn', 26: 'EndTxn', 28: 'TxnOffsetCommit', 37: 'CreatePartitions',
  17: 'SaslHandshake', 36: 'SaslAuthenticate', 16: 'ListGroups', 42: 'DeleteGroups',
};

export interface BrokerOptions {
  port?: number;
  /** Partitions of auto-created topics (default 1). */
  partitions?: number;
  autoCreateTopics?: boolean;
  /** How long the first member of an empty group waits for others (default 50 ms). */
  initialRebalanceDelayMs?: number;
  /** Log every request to stderr. */
  debug?: boolean;
  /** Require SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) with these credentials (SASL_PLAINTEXT, or SASL_SSL with tls). */
  sasl?: { username: string; password: string };
  /** Serve TLS (security.protocol SSL) with this PEM key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface TopicConfig {
  /** message.timestamp.type (default CreateTime). */
  timestampType?: 'CreateTime' | 'LogAppendTime';
}

interface Connection {
  clientHost: string;
  authenticated: boolean;
  sasl?: SaslExchange;
}

interface Txn {
  transactionalId: string;
  producerId: number;
  epoch: number;
  timeoutMs: number;
  partitions: Set<PartitionLog>;
  /** group → `topic\0partition` → offset, applied on commit. */
  pendingOffsets: Map<string, Map<string, { offset: number; leaderEpoch: number; metadata: string | null }>>;
}

interface RequestContext {
  apiKey: number;
  version: number;
  clientId: string;
  clientHost: string;
  conn: Connection;
}

type Handler = (r: Reader, ctx: RequestContext) => Promise<Writer | null> | Writer | null;

export class KafkaTestBroker {
  readonly topics = new Map<string, Topic>();
  readonly groups = new Map<string, Group>();
  private readonly txns = new Map<string, Txn>();
  private nextProducerId = 1000;
  private readonly appended = new EventEmitter();
  private server?: net.Server | tls.Server;
  private readonly sockets = new Set<net.Socket>();
  private stopped = false;
  port = 0;
  readonly defaultPartitions: number;
  readonly autoCreateTopics: boolean;
  private readonly initialRebalanceDelayMs: number;
  private readonly debug: boolean;
  private readonly sasl?: { username: string; password: string };
  private readonly tlsOptions?: { key: string | Buffer; cert: string | Buffer };
  readonly clusterId = 'tsstream-test-cluster';

  constructor(opts: BrokerOptions = {}) {
    this.defaultPartitions = opts.partitions ?? 1;
    this.autoCreateTopics = opts.autoCreateTopics ?? true;
    this.initialRebalanceDelayMs = opts.initialRebalanceDelayMs ?? 50;
    this.debug = opts.debug ?? !!process.env.TEST_BROKER_DEBUG;
    this.sasl = opts.sasl;
    this.tlsOptions = opts.tls;
    this.appended.setMaxListeners(0);
  }

  async start(port = 0): Promise<void> {
    this.server = this.tlsOptions
      ? tls.createServer({ key: this.tlsOptions.key, cert: this.tlsOptions.cert }, (socket) => this.onConnection(socket))
      : net.createServer((socket) => this.onConnection(socket));
    this.server.on('tlsClientError', () => {});
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.appended.emit('stop');
    for (const g of this.groups.values()) g.shutdown();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ---- storage helpers (also used by the test API) ----

  createTopic(name: string, partitions: number, config: TopicConfig = {}): Topic {
    if (!isValidTopicName(name)) throw new Error(`invalid topic name '${name}'`);
    const existing = this.topics.get(name);
    if (existing) return existing;
    const t = new Topic(name, partitions, config.timestampType === 'LogAppendTime');
    this.topics.set(name, t);
    return t;
  }

  /** Grows a topic to `total` partitions (never shrinks); returns an error text or null. */
  addPartitions(name: string, total: number): string | null {
    const t = this.topics.get(name);
    if (!t) return `Topic '${name}' does not exist.`;
    if (total <= t.partitions.length) return `Topic currently has ${t.partitions.length} partitions, which is higher than the requested ${total}.`;
    for (let i = t.partitions.length; i < total; i++) t.partitions.push(new PartitionLog(name, i, t.logAppendTime));
    return null;
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  produce(topic: string, partition: number, messages: NewRecord[]): number {
    const t = this.topics.get(topic) ?? (this.autoCreateTopics ? this.createTopic(topic, this.defaultPartitions) : undefined);
    const log = t?.partitions[partition];
    if (!log) throw new Error(`unknown topic-partition ${topic}-${partition}`);
    const base = log.appendRecords(messages);
    this.appended.emit('append');
    return base;
  }

  /** Every data record of a partition (control records left out), for assertions. */
  records(topic: string, partition: number): BrokerRecord[] {
    const log = this.partition(topic, partition);
    if (!log) return [];
    const out: BrokerRecord[] = [];
    for (const b of log.batches) {
      if (b.info.attributes & 0x20) continue;
      out.push(...(decodeRecords(b.bytes) ?? []));
    }
    return out;
  }

  committedOffsets(group: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const [k, v] of this.groups.get(group)?.offsets ?? []) out.set(k.replace('\0', '-'), v.offset);
    return out;
  }

  private group(id: string): Group {
    let g = this.groups.get(id);
    if (!g) {
      g = new Group(id, this.initialRebalanceDelayMs);
      this.groups.set(id, g);
    }
    return g;
  }

  // ---- connections and framing ----

  private onConnection(socket: net.Socket): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let pending = Buffer.alloc(0);
    const queue: Buffer[] = [];
    let busy = false;
    const conn: Connection = { clientHost: `/${socket.remoteAddress ?? '127.0.0.1'}`, authenticated: !this.sasl };
    const pump = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        while (queue.length > 0 && !socket.destroyed) {
          const frame = queue.shift()!;
          const out = await this.handleFrame(frame, conn);
          if (out === 'close') {
            socket.destroy();
            return;
          }
          if (out && !socket.destroyed) {
            const size = Buffer.alloc(4);
            size.writeInt32BE(out.length);
            socket.write(Buffer.concat([size, out]));
          }
        }
      } finally {
        busy = false;
      }
    };
    socket.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 4) {
        const n = pending.readInt32BE(0);
        if (n < 0 || n > 256 * 1024 * 1024) {
          socket.destroy();
          return;
        }
        if (pending.length < 4 + n) break;
        queue.push(pending.subarray(4, 4 + n));
        pending = pending.subarray(4 + n);
      }
      void pump();
    });
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async handleFrame(frame: Buffer, conn: Connection): Promise<Buffer | null | 'close'> {
    const clientHost = conn.clientHost;
    const r = new Reader(frame);
    const apiKey = r.int16();
    const version = r.int16();
    const correlationId = r.int32();
    const clientId = r.nullableString() ?? '';
    const flexible = apiKey === 18 && version >= 3;
    if (flexible) r.taggedFields();
    const range = SUPPORTED_APIS[apiKey];
    const name = API_NAMES[apiKey] ?? `api ${apiKey}`;
    if (this.debug) process.stderr.write(`[test-broker] ${clientId}: ${name} v${version} #${correlationId}\n`);
    const header = new Writer().int32(correlationId);
    if (!range || version < range[0] || version > range[1]) {
      if (apiKey === 18) {
        // Unknown ApiVersions version: answer in v0 with UNSUPPORTED_VERSION and our list.
        const w = header.int16(ERR.UNSUPPORTED_VERSION);
        this.writeApiList(w, 0);
        return w.toBuffer();
      }
      process.stderr.write(`[test-broker] unsupported ${name} v${version} from '${clientId}', closing connection\n`);
      return 'close';
    }
    if (!conn.authenticated && apiKey !== 18 && apiKey !== 17 && apiKey !== 36) {
      process.stderr.write(`[test-broker] ${name} from '${clientId}' before SASL authentication, closing connection\n`);
      return 'close';
    }
    const handler = this.handlers[apiKey];
    try {
      const body = await handler(r, { apiKey, version, clientId, clientHost, conn });
      if (body === null) return null;
      return Buffer.concat([header.toBuffer(), body.toBuffer()]);
    } catch (e) {
      process.stderr.write(`[test-broker] failed to handle ${name} v${version}: ${(e as Error).stack}\n`);
      return 'close';
    }
  }

  private writeApiList(w: Writer, version: number): void {
    const entries = Object.entries(SUPPORTED_APIS).map(([k, [min, max]]) => [Number(k), min, max] as const);
    if (version >= 3) {
      w.compactArray(entries, (w2, [k, min, max]) => w2.int16(k).int16(min).int16(max).taggedFields());
    } else {
      w.array(entries, (w2, [k, min, max]) => w2.int16(k).int16(min).int16(max));
    }
  }

  private readonly handlers: Record<number, Handler> = {
    18: (r, c) => this.apiVersions(r, c),
    3: (r, c) => this.metadata(r, c),
    0: (r, c) => this.produceRequest(r, c),
    1: (r, c) => this.fetch(r, c),
    2: (r, c) => this.listOffsets(r, c),
    10: (r, c) => this.findCoordinator(r, c),
    11: (r, c) => this.joinGroup(r, c),
    14: (r, c) => this.syncGroup(r, c),
    12: (r, c) => this.heartbeat(r, c),
    13: (r, c) => this.leaveGroup(r, c),
    8: (r, c) => this.offsetCommit(r, c),
    9: (r, c) => this.offsetFetch(r, c),
    15: (r, c) => this.describeGroups(r, c),
    19: (r, c) => this.createTopics(r, c),
    20: (r, c) => this.deleteTopics(r, c),
    22: (r) => this.initProducerId(r),
    24: (r) => this.addPartitionsToTxn(r),
    25: (r) => this.addOffsetsToTxn(r),
    26: (r) => this.endTxn(r),
    28: (r, c) => this.txnOffsetCommit(r, c),
    37: (r) => this.createPartitions(r),
    17: (r, c) => this.saslHandshake(r, c),
    36: (r, c) => this.saslAuthenticate(r, c),
    16: (r, c) => this.listGroups(r, c),
    42: (r) => this.deleteGroups(r),
  };

  private listGroups(_r: Reader, { version }: RequestContext): Writer {
    const w = new Writer();
    if (version >= 1) w.int32(0);
    const groups = [...this.groups.values()].filter((g) => g.state !== 'Dead');
    return w.int16(ERR.NONE).array(groups, (w2, g) => w2.string(g.id).string(g.protocolType || 'consumer'));
  }

  private deleteGroups(r: Reader): Writer {
    const ids = r.array((x) => x.string());
    const w = new Writer().int32(0);
    return w.array(ids, (w2, id) => {
      const g = this.groups.get(id);
      let err: number = ERR.NONE;
      if (!g) err = ERR.GROUP_ID_NOT_FOUND;
      else if (g.members.size > 0) err = ERR.NON_EMPTY_GROUP;
      else {
        g.shutdown();
        this.groups.delete(id);
      }
      w2.string(id).int16(err);
    });
  }

  // ---- SASL/PLAIN ----

  private saslHandshake(r: Reader, { conn }: RequestContext): Writer {
    const mechanism = r.string();
    const offered = this.sasl ? SASL_MECHANISMS : [];
    const w = new Writer();
    if (!this.sasl || !offered.includes(mechanism)) return w.int16(ERR.UNSUPPORTED_SASL_MECHANISM).array(offered, (w2, m) => w2.string(m));
    conn.sasl = new SaslExchange(mechanism, this.sasl);
    return w.int16(ERR.NONE).array(offered, (w2, m) => w2.string(m));
  }

  private saslAuthenticate(r: Reader, { version, conn }: RequestContext): Writer {
    const bytes = r.bytes();
    const w = new Writer();
    const step = conn.sasl?.step(Buffer.from(bytes));
    if (step && (!step.done || step.ok)) {
      if (step.done) {
        conn.authenticated = true;
        conn.sasl = undefined;
      }
      w.int16(ERR.NONE).nullableString(null).bytes(step.reply);
    } else {
      conn.sasl = undefined;
      w.int16(ERR.SASL_AUTHENTICATION_FAILED).nullableString('Authentication failed: Invalid username or password').bytes(Buffer.alloc(0));
    }
    if (version >= 1) w.int64(0);
    return w;
  }

  // ---- ApiVersions ----

  private apiVersions(r: Reader, { version }: RequestContext): Writer {
    if (version >= 3) {
      r.compactString(); // client software name
      r.compactString(); // client software version
      r.taggedFields();
    }
    const w = new Writer().int16(ERR.NONE);
    this.writeApiList(w, version);
    if (version >= 1) w.int32(0);
    if (version >= 3) w.taggedFields();
    return w;
  }

  // ---- Metadata ----

  private metadata(r: Reader, { version }: RequestContext): Writer {
    const names = version === 0 ? r.array((x) => x.string()) : r.nullableArray((x) => x.string());
    let allowAuto = true;
    if (version >= 4) allowAuto = r.bool();
    if (version >= 8) {
      r.bool();
      r.bool();
    }
    const all = names === null || (version === 0 && names.length === 0);
    const wanted: { name: string; topic?: Topic; error: number }[] = [];
    if (all) {
      for (const t of this.topics.values()) wanted.push({ name: t.name, topic: t, error: ERR.NONE });
    } else {
      for (const name of names!) {
        let topic = this.topics.get(name);
        let error: number = ERR.NONE;
        if (!topic) {
          if (!isValidTopicName(name)) error = ERR.INVALID_TOPIC_EXCEPTION;
          else if (allowAuto && this.autoCreateTopics) topic = this.createTopic(name, this.defaultPartitions);
          else error = ERR.UNKNOWN_TOPIC_OR_PARTITION;
        }
        wanted.push({ name, topic, error });
      }
    }
    const w = new Writer();
    if (version >= 3) w.int32(0);
    w.array([0], (w2) => {
      w2.int32(NODE_ID).string('127.0.0.1').int32(this.port);
      if (version >= 1) w2.nullableString(null);
    });
    if (version >= 2) w.nullableString(this.clusterId);
    if (version >= 1) w.int32(NODE_ID);
    w.array(wanted, (w2, t) => {
      w2.int16(t.error).string(t.name);
      if (version >= 1) w2.bool(false);
      w2.array(t.topic?.partitions ?? [], (w3, p) => {
        w3.int16(ERR.NONE).int32(p.index).int32(NODE_ID);
        if (version >= 7) w3.int32(p.leaderEpoch);
        w3.array([NODE_ID], (w4, n) => w4.int32(n));
        w3.array([NODE_ID], (w4, n) => w4.int32(n));
        if (version >= 5) w3.array([] as number[], (w4, n) => w4.int32(n));
      });
      if (version >= 8) w2.int32(-2147483648);
    });
    if (version >= 8) w.int32(-2147483648);
    return w;
  }

  // ---- Produce ----

  private produceRequest(r: Reader, { version }: RequestContext): Writer | null {
    const transactionalId = r.nullableString();
    const acks = r.int16();
    r.int32(); // timeout
    const topics = r.array((x) => ({
      name: x.string(),
      partitions: x.array((y) => ({ index: y.int32(), records: y.nullableBytes() })),
    }));
    const results = topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const res = { index: p.index, error: ERR.NONE as number, baseOffset: -1, logStartOffset: -1, logAppendTime: -1 };
        let topic = this.topics.get(t.name);
        if (!topic && this.autoCreateTopics && isValidTopicName(t.name)) topic = this.createTopic(t.name, this.defaultPartitions);
        const log = topic?.partitions[p.index];
        if (!log) {
          res.error = ERR.UNKNOWN_TOPIC_OR_PARTITION;
          return res;
        }
        res.logStartOffset = log.logStartOffset;
        let batches: Buffer[];
        try {
          batches = splitBatches(p.records ?? Buffer.alloc(0));
        } catch (e) {
          res.error = e instanceof UnsupportedMagicError ? ERR.UNSUPPORTED_FOR_MESSAGE_FORMAT : ERR.CORRUPT_MESSAGE;
          if (this.debug || !(e instanceof CorruptRecordError)) process.stderr.write(`[test-broker] produce to ${t.name}-${p.index} rejected: ${(e as Error).message}\n`);
          return res;
        }
        for (const b of batches) {
          const attrs = b.readInt16BE(21);
          if (attrs & 0x10) {
            const pid = Number(b.readBigInt64BE(43));
            const txn = [...this.txns.values()].find((x) => x.producerId === pid);
            if (!transactionalId || !txn || !txn.partitions.has(log)) {
              res.error = ERR.INVALID_TXN_STATE;
              return res;
            }
          }
        }
        for (const b of batches) {
          const base = log.append(b);
          if (res.baseOffset < 0) res.baseOffset = base;
        }
        if (log.logAppendTime) res.logAppendTime = log.batches[log.batches.length - 1].info.maxTimestamp;
        return res;
      }),
    }));
    this.appended.emit('append');
    if (acks === 0) return null;
    const w = new Writer();
    w.array(results, (w2, t) => {
      w2.string(t.name);
      w2.array(t.partitions, (w3, p) => {
        w3.int32(p.index).int16(p.error).int64(p.baseOffset);
        if (version >= 2) w3.int64(p.logAppendTime); // -1 for CreateTime topics
        if (version >= 5) w3.int64(p.logStartOffset);
      });
    });
    w.int32(0);
    return w;
  }

  // ---- Fetch (with long polling) ----

  private async fetch(r: Reader, { version }: RequestContext): Promise<Writer> {
    r.int32(); // replica id
    const maxWaitMs = r.int32();
    const minBytes = r.int32();
    const maxBytes = version >= 3 ? r.int32() : 0x7fffffff;
    const isolation = version >= 4 ? r.int8() : 0;
    if (version >= 7) {
      r.int32(); // session id
      r.int32(); // session epoch
    }
    const topics = r.array((x) => ({
      name: x.string(),
      partitions: x.array((y) => {
        const index = y.int32();
        if (version >= 9) y.int32(); // current leader epoch
        const fetchOffset = y.int64();
        if (version >= 5) y.int64(); // log start offset (followers)
        const partitionMaxBytes = y.int32();
        return { index, fetchOffset, partitionMaxBytes };
      }),
    }));
    if (version >= 7) r.array((x) => ({ name: x.string(), partitions: x.array((y) => y.int32()) }));
    if (version >= 11) r.string(); // rack id

    const build = () => {
      let total = 0;
      const out = topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          const log = this.partition(t.name, p.index);
          const res = {
            index: p.index,
            error: ERR.NONE as number,
            hw: -1,
            lso: -1,
            logStart: -1,
            aborted: null as { producerId: number; firstOffset: number }[] | null,
            records: Buffer.alloc(0) as Buffer,
          };
          if (!log) {
            res.error = ERR.UNKNOWN_TOPIC_OR_PARTITION;
            return res;
          }
          res.hw = log.nextOffset;
          res.lso = log.lastStableOffset();
          res.logStart = log.logStartOffset;
          if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.nextOffset) {
            res.error = ERR.OFFSET_OUT_OF_RANGE;
            return res;
          }
          const limit = isolation === 1 ? res.lso : res.hw;
          const budget = Math.max(1, Math.min(p.partitionMaxBytes, maxBytes - total));
          if (total > 0 && total >= maxBytes) return res;
          const read = log.read(p.fetchOffset, limit, budget);
          if (read.batches.length > 0) {
            res.records = read.batches.length === 1 ? read.batches[0] : Buffer.concat(read.batches, read.size);
            total += read.size;
          }
          if (isolation === 1) {
            res.aborted = log.aborted
              .filter((a) => a.lastOffset >= p.fetchOffset && a.firstOffset <= read.lastOffset)
              .map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset }))
              .sort((a, b) => a.firstOffset - b.firstOffset);
          }
          return res;
        }),
      }));
      return { out, total };
    };

    let result = build();
    if (result.total < Math.max(1, minBytes) && maxWaitMs > 0 && !this.stopped) {
      const deadline = Date.now() + maxWaitMs;
      while (result.total < Math.max(1, minBytes) && !this.stopped) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            this.appended.off('append', done);
            this.appended.off('stop', done);
            resolve();
          };
          const timer = setTimeout(done, left);
          this.appended.on('append', done);
          this.appended.on('stop', done);
        });
        result = build();
      }
    }

    const w = new Writer();
    if (version >= 1) w.int32(0);
    if (version >= 7) w.int16(ERR.NONE).int32(0);
    w.array(result.out, (w2, t) => {
      w2.string(t.name);
      w2.array(t.partitions, (w3, p) => {
        w3.int32(p.index).int16(p.error).int64(p.hw);
        if (version >= 4) w3.int64(p.lso);
        if (version >= 5) w3.int64(p.logStart);
        if (version >= 4) w3.nullableArray(p.aborted, (w4, a) => w4.int64(a.producerId).int64(a.firstOffset));
        if (version >= 11) w3.int32(-1);
        w3.bytes(p.records);
      });
    });
    return w;
  }

  // ---- ListOffsets ----

  private listOffsets(r: Reader, { version }: RequestContext): Writer {
    r.int32(); // replica id
    const isolation = version >= 2 ? r.int8() : 0;
    const topics = r.array((x) => ({
      name: x.string(),
      partitions: x.array((y) => {
        const index = y.int32();
        if (version >= 4) y.int32(); // current leader epoch
        return { index, timestamp: y.int64() };
      }),
    }));
    const w = new Writer();
    if (version >= 2) w.int32(0);
    w.array(topics, (w2, t) => {
      w2.string(t.name);
      w2.array(t.partitions, (w3, p) => {
        const log = this.partition(t.name, p.index);
        let error: number = ERR.NONE;
        let ts = -1;
        let offset = -1;
        if (!log) error = ERR.UNKNOWN_TOPIC_OR_PARTITION;
        else if (p.timestamp === -1) offset = isolation === 1 ? log.lastStableOffset() : log.nextOffset;
        else if (p.timestamp === -2) offset = log.logStartOffset;
        else {
          const found = log.offsetForTimestamp(p.timestamp);
          if (found) {
            offset = found.offset;
            ts = found.timestamp;
          }
        }
        w3.int32(p.index).int16(error).int64(ts).int64(offset);
        if (version >= 4) w3.int32(log?.leaderEpoch ?? -1);
      });
    });
    return w;
  }

  // ---- FindCoordinator ----

  private findCoordinator(r: Reader, { version }: RequestContext): Writer {
    r.string(); // key
    if (version >= 1) r.int8(); // key type
    const w = new Writer();
    if (version >= 1) w.int32(0);
    w.int16(ERR.NONE);
    if (version >= 1) w.nullableString(null);
    w.int32(NODE_ID).string('127.0.0.1').int32(this.port);
    return w;
  }

  // ---- groups ----

  private async joinGroup(r: Reader, { version, clientId, clientHost }: RequestContext): Promise<Writer> {
    const groupId = r.string();
    const sessionTimeoutMs = r.int32();
    const rebalanceTimeoutMs = version >= 1 ? r.int32() : sessionTimeoutMs;
    const memberId = r.string();
    const groupInstanceId = version >= 5 ? r.nullableString() : null;
    const protocolType = r.string();
    const protocols = r.array((x) => ({ name: x.string(), metadata: Buffer.from(x.bytes()) }));
    let res: JoinResult;
    if (!groupId) {
      res = { errorCode: ERR.INVALID_GROUP_ID, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
    } else {
      res = await this.group(groupId).join({ memberId, groupInstanceId, clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocolType, protocols });
    }
    const w = new Writer();
    if (version >= 2) w.int32(0);
    w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leader).string(res.memberId);
    w.array(res.members, (w2, m) => {
      w2.string(m.memberId);
      if (version >= 5) w2.nullableString(m.groupInstanceId);
      w2.bytes(m.metadata);
    });
    return w;
  }

  private async syncGroup(r: Reader, { version }: RequestContext): Promise<Writer> {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    if (version >= 3) r.nullableString();
    const assignments = r.array((x) => ({ memberId: x.string(), assignment: Buffer.from(x.bytes()) }));
    const g = this.groups.get(groupId);
    const res = g ? await g.sync({ memberId, generationId, assignments }) : { errorCode: ERR.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) };
    const w = new Writer();
    if (version >= 1) w.int32(0);
    return w.int16(res.errorCode).bytes(res.assignment);
  }

  private heartbeat(r: Reader, { version }: RequestContext): Writer {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    if (version >= 3) r.nullableString();
    const g = this.groups.get(groupId);
    const err = g ? g.heartbeat(memberId, generationId) : ERR.UNKNOWN_MEMBER_ID;
    const w = new Writer();
    if (version >= 1) w.int32(0);
    return w.int16(err);
  }

  private leaveGroup(r: Reader, { version }: RequestContext): Writer {
    const groupId = r.string();
    const g = this.groups.get(groupId);
    const w = new Writer();
    if (version >= 1) w.int32(0);
    if (version < 3) {
      const memberId = r.string();
      return w.int16(g ? g.leave(memberId) : ERR.UNKNOWN_MEMBER_ID);
    }
    const members = r.array((x) => ({ memberId: x.string(), groupInstanceId: x.nullableString() }));
    w.int16(ERR.NONE);
    w.array(members, (w2, m) => {
      let id = m.memberId;
      if (!id && m.groupInstanceId && g) id = g.describe().members.find((x) => x.groupInstanceId === m.groupInstanceId)?.memberId ?? '';
      w2.string(m.memberId).nullableString(m.groupInstanceId).int16(g ? g.leave(id) : ERR.UNKNOWN_MEMBER_ID);
    });
    return w;
  }

  private offsetCommit(r: Reader, { version }: RequestContext): Writer {
    const groupId = r.string();
    let generationId = -1;
    let memberId = '';
    if (version >= 1) {
      generationId = r.int32();
      memberId = r.string();
    }
    if (version >= 7) r.nullableString();
    if (version >= 2 && version <= 4) r.int64(); // retention
    const topics = r.array((x) => ({
      name: x.string(),
      partitions: x.array((y) => {
        const index = y.int32();
        const offset = y.int64();
        const leaderEpoch = version >= 6 ? y.int32() : -1;
        if (version === 1) y.int64(); // commit timestamp
        return { index, offset, leaderEpoch, metadata: y.nullableString() };
      }),
    }));
    const g = this.group(groupId);
    const check = g.checkCommit(memberId, generationId);
    const w = new Writer();
    if (version >= 3) w.int32(0);
    w.array(topics, (w2, t) => {
      w2.string(t.name);
      w2.array(t.partitions, (w3, p) => {
        let err = check;
        if (err === ERR.NONE && !this.partition(t.name, p.index)) err = ERR.UNKNOWN_TOPIC_OR_PARTITION;
        if (err === ERR.NONE) g.offsets.set(`${t.name}\0${p.index}`, { offset: p.offset, leaderEpoch: p.leaderEpoch, metadata: p.metadata });
        w3.int32(p.index).int16(err);
      });
    });
    return w;
  }

  private offsetFetch(r: Reader, { version }: RequestContext): Writer {
    const groupId = r.string();
    const topics = version >= 2 ? r.nullableArray((x) => ({ name: x.string(), partitions: x.array((y) => y.int32()) })) : r.array((x) => ({ name: x.string(), partitions: x.array((y) => y.int32()) }));
    const g = this.groups.get(groupId);
    let wanted = topics;
    if (wanted === null) {
      const byTopic = new Map<string, number[]>();
      for (const k of g?.offsets.keys() ?? []) {
        const [name, p] = k.split('\0');
        byTopic.set(name, [...(byTopic.get(name) ?? []), Number(p)]);
      }
      wanted = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
    }
    const w = new Writer();
    if (version >= 3) w.int32(0);
    w.array(wanted, (w2, t) => {
      w2.string(t.name);
      w2.array(t.partitions, (w3, p) => {
        const c = g?.offsets.get(`${t.name}\0${p}`);
        w3.int32(p).int64(c ? c.offset : -1);
        if (version >= 5) w3.int32(c ? c.leaderEpoch : -1);
        w3.nullableString(c ? c.metadata ?? '' : '').int16(ERR.NONE);
      });
    });
    if (version >= 2) w.int16(ERR.NONE);
    return w;
  }

  private describeGroups(r: Reader, { version }: RequestContext): Writer {
    const ids = r.array((x) => x.string());
    if (version >= 3) r.bool();
    const w = new Writer();
    if (version >= 1) w.int32(0);
    w.array(ids, (w2, id) => {
      const g = this.groups.get(id);
      const d = g?.describe() ?? { state: 'Dead', protocolType: '', protocol: '', members: [] };
      w2.int16(ERR.NONE).string(id).string(d.state).string(d.protocolType).string(d.protocol);
      w2.array(d.members, (w3, m) => {
        w3.string(m.memberId);
        if (version >= 4) w3.nullableString(m.groupInstanceId);
        w3.string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment);
      });
      if (version >= 3) w2.int32(-2147483648);
    });
    return w;
  }

  // ---- topics administration ----

  private createTopics(r: Reader, { version }: RequestContext): Writer {
    const topics = r.array((x) => {
      const name = x.string();
      const numPartitions = x.int32();
      x.int16(); // replication factor
      const assignments = x.array((y) => ({ index: y.int32(), brokers: y.array((z) => z.int32()) }));
      const configs = x.array((y) => ({ name: y.string(), value: y.nullableString() }));
      const ts = configs.find((c) => c.name === 'message.timestamp.type')?.value;
      return { name, numPartitions, assignments, config: { timestampType: ts === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime' } as TopicConfig };
    });
    r.int32(); // timeout
    const validateOnly = version >= 1 ? r.bool() : false;
    const w = new Writer();
    if (version >= 2) w.int32(0);
    w.array(topics, (w2, t) => {
      let err: number = ERR.NONE;
      let msg: string | null = null;
      const count = t.numPartitions === -1 ? (t.assignments.length || this.defaultPartitions) : t.numPartitions;
      if (!isValidTopicName(t.name)) {
        err = ERR.INVALID_TOPIC_EXCEPTION;
        msg = `Topic name '${t.name}' is illegal`;
      } else if (this.topics.has(t.name)) {
        err = ERR.TOPIC_ALREADY_EXISTS;
        msg = `Topic '${t.name}' already exists.`;
      } else if (count <= 0) {
        err = ERR.INVALID_PARTITIONS;
        msg = 'Number of partitions must be larger than 0.';
      } else if (!validateOnly) {
        this.createTopic(t.name, count, t.config);
      }
      w2.string(t.name).int16(err);
      if (version >= 1) w2.nullableString(msg);
    });
    return w;
  }

  private createPartitions(r: Reader): Writer {
    const topics = r.array((x) => {
      const name = x.string();
      const count = x.int32();
      x.nullableArray((y) => y.array((z) => z.int32()));
      return { name, count };
    });
    r.int32(); // timeout
    const validateOnly = r.bool();
    const w = new Writer().int32(0);
    w.array(topics, (w2, t) => {
      let err: number = ERR.NONE;
      let msg: string | null = null;
      const topic = this.topics.get(t.name);
      if (!topic) {
        err = ERR.UNKNOWN_TOPIC_OR_PARTITION;
        msg = `Topic '${t.name}' does not exist.`;
      } else if (t.count <= topic.partitions.length) {
        err = ERR.INVALID_PARTITIONS;
        msg = `Topic currently has ${topic.partitions.length} partitions, which is higher than the requested ${t.count}.`;
      } else if (!validateOnly) {
        this.addPartitions(t.name, t.count);
      }
      w2.string(t.name).int16(err).nullableString(msg);
    });
    return w;
  }

  private deleteTopics(r: Reader, { version }: RequestContext): Writer {
    const names = r.array((x) => x.string());
    r.int32();
    const w = new Writer();
    if (version >= 1) w.int32(0);
    w.array(names, (w2, name) => {
      const existed = this.topics.delete(name);
      w2.string(name).int16(existed ? ERR.NONE : ERR.UNKNOWN_TOPIC_OR_PARTITION);
    });
    this.appended.emit('append');
    return w;
  }

  // ---- transactions ----

  private initProducerId(r: Reader): Writer {
    const transactionalId = r.nullableString();
    const timeoutMs = r.int32();
    const w = new Writer().int32(0);
    if (!transactionalId) return w.int16(ERR.NONE).int64(this.nextProducerId++).int16(0);
    let txn = this.txns.get(transactionalId);
    if (txn) {
      // A new incarnation fences the old one: abort whatever it left open.
      this.finishTxn(txn, false);
      txn.epoch++;
      txn.timeoutMs = timeoutMs;
    } else {
      txn = { transactionalId, producerId: this.nextProducerId++, epoch: 0, timeoutMs, partitions: new Set(), pendingOffsets: new Map() };
      this.txns.set(transactionalId, txn);
    }
    return w.int16(ERR.NONE).int64(txn.producerId).int16(txn.epoch);
  }

  private txnFor(transactionalId: string, producerId: number, epoch: number): { txn?: Txn; error: number } {
    const txn = this.txns.get(transactionalId);
    if (!txn || txn.producerId !== producerId) return { error: ERR.INVALID_PRODUCER_ID_MAPPING };
    if (txn.epoch !== epoch) return { error: ERR.INVALID_PRODUCER_EPOCH };
    return { txn, error: ERR.NONE };
  }

  private addPartitionsToTxn(r: Reader): Writer {
    const transactionalId = r.string();
    const producerId = r.int64();
    const epoch = r.int16();
    const topics = r.array((x) => ({ name: x.string(), partitions: x.array((y) => y.int32()) }));
    const { txn, error } = this.txnFor(transactionalId, producerId, epoch);
    const w = new Writer().int32(0);
    w.array(topics, (w2, t) => {
      w2.string(t.name);
      w2.array(t.partitions, (w3, p) => {
        let err = error;
        const log = this.partition(t.name, p);
        if (err === ERR.NONE && !log) err = ERR.UNKNOWN_TOPIC_OR_PARTITION;
        if (err === ERR.NONE) txn!.partitions.add(log!);
        w3.int32(p).int16(err);
      });
    });
    return w;
  }

  private addOffsetsToTxn(r: Reader): Writer {
    const transactionalId = r.string();
    const producerId = r.int64();
    const epoch = r.int16();
    const groupId = r.string();
    const { txn, error } = this.txnFor(transactionalId, producerId, epoch);
    if (txn && !txn.pendingOffsets.has(groupId)) txn.pendingOffsets.set(groupId, new Map());
    return new Writer().int32(0).int16(error);
  }

  private txnOffsetCommit(r: Reader, { version }: RequestContext): Writer {
    const transactionalId = r.string();
    const groupId = r.string();
    const producerId = r.int64();
    const epoch = r.int16();
    const topics = r.array((x) => ({
      name: x.string(),
      partitions: x.array((y) => {
        const index = y.int32();
        const offset = y.int64();
        const leaderEpoch = version >= 2 ? y.int32() : -1;
        return { index, offset, leaderEpoch, metadata: y.nullableString() };
      }),
    }));
    const { txn, error } = this.txnFor(transactionalId, producerId, epoch);
    let pending = txn?.pendingOffsets.get(groupId);
    const err = error !== ERR.NONE ? error : pending ? ERR.NONE : ERR.INVALID_TXN_STATE;
    const w = new Writer().int32(0);
    w.array(topics, (w2, t) => {
      w2.string(t.name);
      w2.array(t.partitions, (w3, p) => {
        if (err === ERR.NONE) pending!.set(`${t.name}\0${p.index}`, { offset: p.offset, leaderEpoch: p.leaderEpoch, metadata: p.metadata });
        w3.int32(p.index).int16(err);
      });
    });
    pending = undefined;
    return w;
  }

  private endTxn(r: Reader): Writer {
    const transactionalId = r.string();
    const producerId = r.int64();
    const epoch = r.int16();
    const committed = r.bool();
    const { txn, error } = this.txnFor(transactionalId, producerId, epoch);
    if (txn) this.finishTxn(txn, committed);
    return new Writer().int32(0).int16(error);
  }

  private finishTxn(txn: Txn, commit: boolean): void {
    for (const log of txn.partitions) {
      if (this.topics.get(log.topic)?.partitions[log.index] !== log) continue; // topic deleted
      log.endTransaction(txn.producerId, txn.epoch, commit);
    }
    if (commit) {
      for (const [groupId, offsets] of txn.pendingOffsets) {
        const g = this.group(groupId);
        for (const [k, v] of offsets) g.offsets.set(k, v);
      }
    }
    txn.partitions.clear();
    txn.pendingOffsets.clear();
    this.appended.emit('append');
  }
}
