// Differential: Flink 1.20's own Avro formats (flink-sql-avro-confluent-registry, on the Flink
// peer's classpath) and tsstream read and write the same Kafka topics with the same schema
// registry (the schema-registry peer): `debezium-avro-confluent` events written by Java Avro with
// Debezium's Envelope schema give the same changelog and final table in both engines; a changelog
// tsstream writes is read by Flink and the schema it registers is the one Flink registers; and
// `avro-confluent` and `avro` rows go both ways, exactly.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { cellText } from '../../src/cli/tableau.js';
import { rowKindOf } from '../../src/common/types.js';
import { peer, requirePeers } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { runOnFlink } from '../peers/flink-client.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { peersHome, REPO_ROOT } from '../peers/peer.js';
import type { SchemaRegistryEndpoint } from '../peers/schema-registry.js';

let kafka: KafkaEndpoint;
let flink: FlinkEndpoint;
let registry: SchemaRegistryEndpoint;
let client: KafkaTestClient;
const peersReady = requirePeers('kafka', 'schema-registry', 'flink');

beforeAll(() => {
  if (!peersReady) return;
  kafka = peer<KafkaEndpoint>('kafka');
  flink = peer<FlinkEndpoint>('flink');
  registry = peer<SchemaRegistryEndpoint>('schema-registry');
  client = kafkaTestClient(kafka.bootstrap);
});
afterAll(async () => {
  if (!peersReady) return;
  await client?.close();
});

const CONFIG = { 'table.local-time-zone': 'UTC' };

async function onTsstream(statements: string[]): Promise<string[]> {
  const session = new Session({ log: () => {} });
  try {
    for (const [k, v] of Object.entries(CONFIG)) await session.executeAll(`SET '${k}' = '${v}';`);
    const res = await session.executeAll(statements.join(';\n') + ';');
    const q = res[res.length - 1];
    if (q.kind === 'job') {
      await q.job.run();
      return [];
    }
    if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
    const rows = await collectQuery(q);
    const text = cellText(rows, q.columns);
    return rows.map((r, i) => `${rowKindOf(r)}[${text[i].join(', ')}]`);
  } finally {
    await session.close();
  }
}

async function onFlink(statements: string[]): Promise<string[]> {
  const res = await runOnFlink(statements, { flink, properties: CONFIG });
  return res[res.length - 1].rows.map((r) => `${r.kind}[${r.text.join(', ')}]`);
}

/** The rows a changelog leaves (kinds dropped), sorted. */
function materialize(changelog: string[]): string[] {
  const out: string[] = [];
  for (const c of changelog) {
    const row = c.slice(2);
    if (c.startsWith('+I') || c.startsWith('+U')) out.push(row);
    else {
      const i = out.indexOf(row);
      if (i < 0) throw new Error(`retraction of a row not in the table: ${c}`);
      out.splice(i, 1);
    }
  }
  return out.sort();
}

/** Apache Avro (Java) writing Confluent's wire format, registering the schema (test/peers/schema-registry/check). */
function javaAvroWrite(subject: string, schema: object, records: string[]): Buffer[] {
  const lib = path.join(peersHome(), 'schema-registry', 'build', 'lib');
  const out = execFileSync('java', ['-Xmx128m', '-cp', path.join(lib, '*'), path.join(REPO_ROOT, 'test/peers/schema-registry/check/AvroWire.java'), 'write', registry.url, subject, JSON.stringify(schema), ...records], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return out.trim().split('\n').map((h) => Buffer.from(h, 'hex'));
}

/** The latest schema registered under a subject, parsed. */
async function registered(subject: string): Promise<unknown> {
  const r = (await (await fetch(`${registry.url}/subjects/${encodeURIComponent(subject)}/versions/latest`)).json()) as { schema: string };
  return JSON.parse(r.schema) as unknown;
}

const bounded = (topic: string) =>
  `'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset'`;

/** A DECIMAL's unscaled value in Avro's JSON encoding of bytes (two's complement, big-endian, as \u00XX code points). */
function decimalJson(unscaled: bigint): string {
  const bytes: number[] = [];
  let v = unscaled;
  for (;;) {
    bytes.unshift(Number(BigInt.asUintN(8, v)));
    v >>= 8n;
    if ((v === 0n && !(bytes[0] & 0x80)) || (v === -1n && bytes[0] & 0x80)) break;
  }
  return String.fromCharCode(...bytes);
}

// Debezium's Avro schema for a PostgreSQL table shop.products (Kafka Connect's AvroConverter):
// an Envelope record with before/after of a Value record, the source block, op and ts_ms.
const VALUE = {
  type: 'record',
  name: 'Value',
  fields: [
    { name: 'id', type: 'int' },
    { name: 'name', type: 'string' },
    { name: 'category', type: ['null', 'string'], default: null },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'updated', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }], default: null },
  ],
};
const ENVELOPE = {
  type: 'record',
  name: 'Envelope',
  namespace: 'shop.public.products',
  fields: [
    { name: 'before', type: ['null', VALUE], default: null },
    { name: 'after', type: ['null', 'Value'], default: null },
    {
      name: 'source',
      type: { type: 'record', name: 'Source', namespace: 'io.debezium.connector.postgresql', fields: [{ name: 'db', type: 'string' }, { name: 'table', type: 'string' }, { name: 'ts_ms', type: 'long' }] },
    },
    { name: 'op', type: 'string' },
    { name: 'ts_ms', type: ['null', 'long'], default: null },
  ],
};

type Product = { id: number; name: string; category: string | null; price: bigint; updated: number | null };
const image = (p: Product | null) =>
  p === null
    ? null
    : {
        'shop.public.products.Value': {
          id: p.id,
          name: p.name,
          category: p.category === null ? null : { string: p.category },
          price: decimalJson(p.price),
          updated: p.updated === null ? null : { long: p.updated },
        },
      };
const event = (op: string, before: Product | null, after: Product | null) =>
  JSON.stringify({ before: image(before), after: image(after), source: { db: 'shop', table: 'products', ts_ms: 1700000000000 }, op, ts_ms: { long: 1700000000500 } });

const scooter: Product = { id: 1, name: 'scooter', category: 'toys', price: 350n, updated: 1704164645678 };
const EVENTS = [
  event('r', null, scooter),
  event('c', null, { id: 2, name: 'hammer', category: 'tools', price: 100n, updated: null }),
  event('c', null, { id: 3, name: 'ball', category: null, price: 50n, updated: -1 }),
  event('u', scooter, { ...scooter, category: 'tools', price: 325n }),
  event('d', { id: 3, name: 'ball', category: null, price: 50n, updated: -1 }, null),
  event('c', null, { id: 4, name: 'kite', category: 'toys', price: 1234567899n, updated: null }),
];

const COLUMNS = 'id INT, name STRING, category STRING, price DECIMAL(10, 2), updated TIMESTAMP(3)';
const AGG = 'SELECT category, COUNT(*) AS n, SUM(price) AS total, MAX(name) AS top FROM t GROUP BY category';
const dbzAvro = (topic: string, cols = COLUMNS) =>
  `CREATE TABLE t (${cols}) WITH ('connector' = 'kafka', ${bounded(topic)}, 'format' = 'debezium-avro-confluent', 'debezium-avro-confluent.url' = '${registry.url}')`;

/** A topic of Debezium's Avro events (and a tombstone after the delete, as Debezium writes). */
async function debeziumTopic(): Promise<string> {
  const topic = uniqueTopic('dbz-avro');
  await client.createTopic(topic, 1);
  const values = javaAvroWrite(`${topic}-value`, ENVELOPE, EVENTS);
  await client.produce(topic, 0, [...values.slice(0, 5).map((value) => ({ value })), { value: null }, { value: values[5] }]);
  return topic;
}

describe('Avro formats: tsstream and Flink 1.20 (flink-sql-avro-confluent-registry) on the same topics and registry', () => {
  it("debezium-avro-confluent: Debezium's Avro events give the same changelog and GROUP BY table in both engines", async () => {
    const topic = await debeziumTopic();
    const ddl = dbzAvro(topic);
    const theirs = await onFlink([ddl, 'SELECT * FROM t']);
    expect(theirs).toEqual([
      '+I[1, scooter, toys, 3.50, 2024-01-02 03:04:05.678]',
      '+I[2, hammer, tools, 1.00, <NULL>]',
      '+I[3, ball, <NULL>, 0.50, 1969-12-31 23:59:59.999]',
      '-U[1, scooter, toys, 3.50, 2024-01-02 03:04:05.678]',
      '+U[1, scooter, tools, 3.25, 2024-01-02 03:04:05.678]',
      '-D[3, ball, <NULL>, 0.50, 1969-12-31 23:59:59.999]',
      '+I[4, kite, toys, 12345678.99, <NULL>]',
    ]);
    expect(await onTsstream([ddl, 'SELECT * FROM t'])).toEqual(theirs);
    const theirAgg = materialize(await onFlink([ddl, AGG]));
    expect(theirAgg).toEqual(['[tools, 2, 4.25, scooter]', '[toys, 1, 12345678.99, kite]']);
    expect(materialize(await onTsstream([ddl, AGG]))).toEqual(theirAgg);
  }, 240_000);

  it('debezium-avro-confluent: a GROUP BY changelog tsstream writes registers the schema Flink registers, and each engine reads the other’s topic to the same table', async () => {
    const src = await debeziumTopic();
    const mine = uniqueTopic('dbz-avro-ts');
    const theirsTopic = uniqueTopic('dbz-avro-flink');
    await client.createTopic(mine, 1);
    await client.createTopic(theirsTopic, 1);
    const OUT = 'category STRING, n BIGINT, total DECIMAL(38, 2)';
    const sink = (topic: string) =>
      `CREATE TABLE o (${OUT}) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}', 'format' = 'debezium-avro-confluent', 'debezium-avro-confluent.url' = '${registry.url}')`;
    const insert = 'INSERT INTO o SELECT category, COUNT(*), SUM(price) FROM t GROUP BY category';
    await onTsstream([dbzAvro(src), sink(mine), insert]);
    await onFlink([dbzAvro(src), sink(theirsTopic), insert]);
    // The envelope schema: a nullable record "record" with before/after/op, as Flink's DebeziumAvroSerializationSchema.
    const flinkSchema = await registered(`${theirsTopic}-value`);
    expect(await registered(`${mine}-value`)).toEqual(flinkSchema);
    expect(JSON.stringify(flinkSchema)).toContain('"name":"record_before"');
    // The ball's NULL category was retracted by its delete.
    const expected = ['[tools, 2, 4.25]', '[toys, 1, 12345678.99]'];
    for (const topic of [mine, theirsTopic]) {
      const read = dbzAvro(topic, OUT);
      expect(materialize(await onFlink([read, 'SELECT * FROM t']))).toEqual(expected);
      expect(materialize(await onTsstream([read, 'SELECT * FROM t']))).toEqual(expected);
    }
  }, 300_000);

  // (No TIMESTAMP(6): Flink 1.20's Avro schema converter refuses it under the default legacy
  // timestamp mapping, "Avro does not support TIMESTAMP type with precision: 6".)
  const ROWS = 'id BIGINT, name STRING, amount DECIMAL(20, 4), ts TIMESTAMP(3), n INT, d DATE';
  const VALUES = `INSERT INTO o VALUES
    (CAST(9007199254740993 AS BIGINT), 'héllo', CAST(12345.6789 AS DECIMAL(20, 4)), TIMESTAMP '2024-01-02 03:04:05.678', 7, DATE '2024-02-29'),
    (CAST(-2 AS BIGINT), CAST(NULL AS STRING), CAST(-0.0001 AS DECIMAL(20, 4)), TIMESTAMP '1969-12-31 23:59:59.999', CAST(NULL AS INT), DATE '1900-01-01')`;
  const EXPECTED = [
    '+I[-2, <NULL>, -0.0001, 1969-12-31 23:59:59.999, <NULL>, 1900-01-01]',
    '+I[9007199254740993, héllo, 12345.6789, 2024-01-02 03:04:05.678, 7, 2024-02-29]',
  ];

  for (const format of ['avro-confluent', 'avro']) {
    it(`${format}: rows Flink writes are read by tsstream, rows tsstream writes are read by Flink, exactly${format === 'avro-confluent' ? ', under the same registered schema' : ''}`, async () => {
      const opts = format === 'avro' ? `'format' = 'avro'` : `'format' = 'avro-confluent', 'avro-confluent.url' = '${registry.url}'`;
      const table = (name: string, topic: string) => `CREATE TABLE ${name} (${ROWS}) WITH ('connector' = 'kafka', ${bounded(topic)}, ${opts})`;
      const byFlink = uniqueTopic(`${format}-flink`);
      const byTs = uniqueTopic(`${format}-ts`);
      await client.createTopic(byFlink, 1);
      await client.createTopic(byTs, 1);
      await onFlink([table('o', byFlink), VALUES]);
      await onTsstream([table('o', byTs), VALUES]);
      if (format === 'avro-confluent') expect(await registered(`${byTs}-value`)).toEqual(await registered(`${byFlink}-value`));
      else expect((await client.records(byTs, 0)).map((r) => r.value!.toString('hex'))).toEqual((await client.records(byFlink, 0)).map((r) => r.value!.toString('hex')));
      for (const topic of [byFlink, byTs]) {
        expect((await onFlink([table('t', topic), 'SELECT * FROM t'])).sort()).toEqual(EXPECTED);
        expect((await onTsstream([table('t', topic), 'SELECT * FROM t'])).sort()).toEqual(EXPECTED);
      }
    }, 240_000);
  }
});
