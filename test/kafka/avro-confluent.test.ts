// The avro-confluent format on a real Kafka broker with a real Confluent-compatible schema
// registry (the schema-registry peer, Apicurio Registry's ccompat API). What tsstream writes is
// read by Apache Avro's Java implementation with the schema fetched by id from the registry, and
// records written by Java Avro with another writer schema (registered by it) are read by tsstream.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peer, requirePeers } from '../peers/index.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { peersHome, REPO_ROOT } from '../peers/peer.js';
import type { SchemaRegistryEndpoint } from '../peers/schema-registry.js';
import { Session } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';
import { rowKindOf, type Row } from '../../src/common/types.js';

let kafka: KafkaEndpoint;
let registry: SchemaRegistryEndpoint;
let client: KafkaTestClient;
const peersReady = requirePeers('kafka', 'schema-registry');

beforeAll(() => {
  if (!peersReady) return;
  kafka = peer<KafkaEndpoint>('kafka');
  registry = peer<SchemaRegistryEndpoint>('schema-registry');
  client = kafkaTestClient(kafka.bootstrap);
});
afterAll(async () => {
  if (!peersReady) return;
  await client?.close();
});

/** Apache Avro (Java) reading or writing Confluent's wire format against the registry. */
function javaAvro(args: string[]): string[] {
  const lib = path.join(peersHome(), 'schema-registry', 'build', 'lib');
  const out = execFileSync('java', ['-Xmx128m', '-cp', path.join(lib, '*'), path.join(REPO_ROOT, 'test/peers/schema-registry/check/AvroWire.java'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return out.trim().split('\n');
}

async function subjects(): Promise<string[]> {
  return (await (await fetch(`${registry.url}/subjects`)).json()) as string[];
}

let channels = 0;
async function run(sql: string, channel: string): Promise<Row[]> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(sql);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    await r.job.run();
    return memoryChannel(channel).written;
  } finally {
    await session.close();
  }
}

function show(rows: Row[]): string[] {
  return rows.map((r) => `${rowKindOf(r)}(${r.map((v) => (v === null ? 'null' : String(v))).join(', ')})`);
}

const COLUMNS = 'id BIGINT, name STRING, amount DECIMAL(20, 4), ts TIMESTAMP(3), ts6 TIMESTAMP(6), d DATE, note STRING';

function kafkaTable(name: string, topic: string, extra = ''): string {
  return `CREATE TABLE ${name} (${COLUMNS}) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}',
    'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',
    'key.format' = 'avro-confluent', 'key.avro-confluent.url' = '${registry.url}', 'key.fields' = 'id',
    'value.format' = 'avro-confluent', 'value.avro-confluent.url' = '${registry.url}'${extra})`;
}

describe('avro-confluent on Kafka with a schema registry', () => {
  it("writes with the table's schema registered as <topic>-value / <topic>-key; Java Avro reads it exactly; tsstream reads it back", async () => {
    const topic = uniqueTopic('avro-cf');
    await client.createTopic(topic, 1);
    const ch = `avro-cf-${++channels}`;
    await run(
      `${kafkaTable('t', topic)};
       INSERT INTO t SELECT * FROM (VALUES
         (CAST(9007199254740993 AS BIGINT), 'héllo', CAST('12345.6789' AS DECIMAL(20, 4)), TIMESTAMP '2024-01-02 03:04:05.678', TIMESTAMP '1969-12-31 23:59:59.999999', DATE '2024-02-29', CAST(NULL AS STRING)),
         (CAST(-2 AS BIGINT), 'b', CAST('-0.0001' AS DECIMAL(20, 4)), TIMESTAMP '1970-01-01 00:00:00.000', TIMESTAMP '2200-01-01 00:00:00.000001', DATE '1900-01-01', 'n'))
         AS v(id, name, amount, ts, ts6, d, note);`,
      `${ch}-in`,
    );
    expect(await subjects()).toEqual(expect.arrayContaining([`${topic}-value`, `${topic}-key`]));
    const records = await client.records(topic, 0);
    expect(records).toHaveLength(2);
    // Java Avro, with the writer schema fetched by the id in each record's header.
    const values = javaAvro(['read', registry.url, ...records.map((r) => r.value!.toString('hex'))]);
    expect(values.map((l) => l.replace(/^id=\d+ /, ''))).toEqual([
      'schema=org.apache.flink.avro.generated.record {"id": 9007199254740993, "name": "héllo", "amount": 12345.6789, "ts": "2024-01-02T03:04:05.678Z", "ts6": "1969-12-31T23:59:59.999999Z", "d": "2024-02-29", "note": null}',
      'schema=org.apache.flink.avro.generated.record {"id": -2, "name": "b", "amount": -0.0001, "ts": "1970-01-01T00:00:00Z", "ts6": "2200-01-01T00:00:00.000001Z", "d": "1900-01-01", "note": "n"}',
    ]);
    const keys = javaAvro(['read', registry.url, ...records.map((r) => r.key!.toString('hex'))]);
    expect(keys.map((l) => l.replace(/^id=\d+ /, ''))).toEqual(['schema=org.apache.flink.avro.generated.record {"id": 9007199254740993}', 'schema=org.apache.flink.avro.generated.record {"id": -2}']);
    // The two subjects have their own ids.
    expect(values[0].match(/^id=(\d+)/)![1]).not.toEqual(keys[0].match(/^id=(\d+)/)![1]);

    const back = await run(
      `${kafkaTable('t', topic)};
       CREATE TABLE out (${COLUMNS}) WITH ('connector' = 'memory', 'channel' = '${ch}');
       INSERT INTO out SELECT * FROM t;`,
      ch,
    );
    expect(show(back)).toEqual([
      '+I(9007199254740993, héllo, 123456789, 1704164645678000, -1, 19782, null)',
      '+I(-2, b, -1, 0, 7258118400000001, -25567, n)',
    ]);
  }, 120_000); // two JVMs (Java Avro as a single-file program) take over 30 s on a loaded machine

  it('reads records of another writer schema (other record name, field order, extra field, uuid) registered by Java Avro', async () => {
    const topic = uniqueTopic('avro-cf-foreign');
    await client.createTopic(topic, 1);
    const writerSchema = JSON.stringify({
      type: 'record',
      name: 'Order',
      namespace: 'com.example',
      fields: [
        { name: 'extra', type: 'string' },
        { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 20, scale: 4 } },
        { name: 'id', type: 'long' },
        { name: 'uid', type: { type: 'string', logicalType: 'uuid' } },
        { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'when', type: { type: 'int', logicalType: 'date' } },
      ],
    });
    const hex = javaAvro([
      'write',
      registry.url,
      `${topic}-value`,
      writerSchema,
      // Avro's JSON encoding: bytes as \u00XX code points (0x01E240 = 123456 → 12.3456).
      // (2^53 + 1 as JSON text: a JavaScript number would round it.)
      JSON.stringify({ extra: 'x', amount: '\u0001\u00e2\u0040', id: 0, uid: '123e4567-e89b-12d3-a456-426614174000', ts: 1704164645678, when: 19782 }).replace('"id":0', '"id":9007199254740993'),
      JSON.stringify({ extra: 'y', amount: '\u00ff', id: -1, uid: '00000000-0000-0000-0000-000000000000', ts: -1, when: -1 }),
    ]);
    await client.produce(topic, 0, hex.map((h) => ({ value: Buffer.from(h, 'hex') })));
    const ch = `avro-cf-${++channels}`;
    const cols = 'id BIGINT, uid STRING, amount DECIMAL(20, 4), ts TIMESTAMP(3), `when` DATE';
    const rows = await run(
      `CREATE TABLE t (${cols}) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}',
         'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'avro-confluent', 'avro-confluent.url' = '${registry.url}');
       CREATE TABLE out (${cols}) WITH ('connector' = 'memory', 'channel' = '${ch}');
       INSERT INTO out SELECT * FROM t;`,
      ch,
    );
    expect(show(rows)).toEqual(['+I(9007199254740993, 123e4567-e89b-12d3-a456-426614174000, 123456, 1704164645678000, 19782)', '+I(-1, 00000000-0000-0000-0000-000000000000, -1, -1000, -1)']);
  });

  it('names the record and the registry when a schema id is unknown or the table does not fit the writer schema', async () => {
    const topic = uniqueTopic('avro-cf-bad');
    await client.createTopic(topic, 1);
    await client.produce(topic, 0, [{ value: Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 2]) }]);
    const ch = `avro-cf-${++channels}`;
    const sql = (cols: string, t: string) => `CREATE TABLE t (${cols}) WITH ('connector' = 'kafka', 'topic' = '${t}', 'properties.bootstrap.servers' = '${kafka.bootstrap}',
         'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'avro-confluent', 'avro-confluent.url' = '${registry.url}');
       CREATE TABLE out (${cols}) WITH ('connector' = 'memory', 'channel' = '${ch}');
       INSERT INTO out SELECT * FROM t;`;
    await expect(run(sql('a INT', topic), ch)).rejects.toThrow(new RegExp(`topic '${topic}' partition 0 offset 0.*answered 404 to GET /schemas/ids/2147483632`));
    // A writer schema without the table's NOT NULL column.
    const t2 = uniqueTopic('avro-cf-misfit');
    await client.createTopic(t2, 1);
    const hex = javaAvro(['write', registry.url, `${t2}-value`, JSON.stringify({ type: 'record', name: 'r', fields: [{ name: 'a', type: 'long' }] }), '{"a": 1}']);
    await client.produce(t2, 0, [{ value: Buffer.from(hex[0], 'hex') }]);
    await expect(run(sql('b STRING NOT NULL', t2), ch)).rejects.toThrow(/writer schema id \d+ of the record at topic '.*' partition 0 offset 0 cannot be read as the table's columns/);
  });
});

describe('avro-confluent options', () => {
  it('keeps basic-auth and bearer credentials out of EXPLAIN, DESCRIBE and SHOW CREATE TABLE', async () => {
    const s = new Session({ log: () => {} });
    try {
      const res = await s.executeAll(`
        CREATE TABLE k (a STRING) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'h:1', 'format' = 'avro-confluent',
          'avro-confluent.url' = 'http://127.0.0.1:1', 'avro-confluent.basic-auth.credentials-source' = 'USER_INFO', 'avro-confluent.basic-auth.user-info' = 'fred:hunter2');
        CREATE TABLE b (a STRING) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'h:1', 'value.format' = 'avro-confluent',
          'value.avro-confluent.url' = 'http://127.0.0.1:1', 'value.avro-confluent.bearer-auth.credentials-source' = 'STATIC_TOKEN', 'value.avro-confluent.bearer-auth.token' = 'tok-s3cret');
        CREATE TABLE c (a STRING) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'h:1', 'format' = 'avro-confluent',
          'avro-confluent.url' = 'http://fred:pw-in-url@127.0.0.1:1', 'avro-confluent.basic-auth.credentials-source' = 'URL');
        SHOW CREATE TABLE c;
        EXPLAIN SELECT * FROM c;
        EXPLAIN SELECT * FROM k;
        DESCRIBE EXTENDED k;
        SHOW CREATE TABLE k;
        SHOW CREATE TABLE b;`);
      const text = JSON.stringify(res);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('tok-s3cret');
      expect(text).not.toContain('pw-in-url');
      expect(text).toContain('******');
    } finally {
      await s.close();
    }
  });

  it('refuses a missing or malformed url and unknown keys, naming the option', async () => {
    const ddl = (opts: string) => `CREATE TABLE x (a STRING) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'h:1', 'scan.startup.mode' = 'earliest-offset', 'format' = 'avro-confluent'${opts});
        CREATE TABLE o (a STRING) WITH ('connector' = 'blackhole');
        INSERT INTO o SELECT * FROM x;`;
    await expect(run(ddl(''), 'unused')).rejects.toThrow(/'avro-confluent\.url'/);
    await expect(run(ddl(", 'avro-confluent.url' = 'localhost:8081'"), 'unused')).rejects.toThrow(/'avro-confluent\.url': expected an http/);
    await expect(run(ddl(", 'avro-confluent.url' = 'http://h:1', 'avro-confluent.subjekt' = 's'"), 'unused')).rejects.toThrow(/avro-confluent\.subjekt/);
  });
});
