// Differential: the same Debezium / Canal / Maxwell / upsert topics read by Flink 1.20's own
// formats through the SQL Gateway and by tsstream give the same changelog (row kinds and values)
// and the same final table of a GROUP BY; and a changelog tsstream writes as debezium-json is read
// by Flink to the same table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { cellText } from '../../src/cli/tableau.js';
import { rowKindOf } from '../../src/common/types.js';
import { peer, requirePeers } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { runOnFlink } from '../peers/flink-client.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient, type NewRecord } from '../peers/kafka-client.js';

let kafka: KafkaEndpoint;
let flink: FlinkEndpoint;
let client: KafkaTestClient;
const peersReady = requirePeers('kafka', 'flink');

beforeAll(() => {
  if (!peersReady) return;
  kafka = peer<KafkaEndpoint>('kafka');
  flink = peer<FlinkEndpoint>('flink');
  client = kafkaTestClient(kafka.bootstrap);
});
afterAll(async () => {
  if (!peersReady) return;
  await client?.close();
});

const CONFIG = { 'table.local-time-zone': 'UTC' };

async function onTsstream(statements: string[], config: Record<string, string> = {}): Promise<string[]> {
  const session = new Session({ log: () => {} });
  try {
    for (const [k, v] of Object.entries({ ...CONFIG, ...config })) await session.executeAll(`SET '${k}' = '${v}';`);
    const res = await session.executeAll(statements.join(';\n') + ';');
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
    const rows = await collectQuery(q);
    const text = cellText(rows, q.columns);
    return rows.map((r, i) => `${rowKindOf(r)}[${text[i].join(', ')}]`);
  } finally {
    await session.close();
  }
}

async function onFlink(statements: string[], config: Record<string, string> = {}): Promise<string[]> {
  const res = await runOnFlink(statements, { flink, properties: { ...CONFIG, ...config } });
  return res[res.length - 1].rows.map((r) => `${r.kind}[${r.text.join(', ')}]`);
}

/** The rows a changelog leaves (kinds dropped), sorted. */
function materialize(changelog: string[]): string[] {
  const out: string[] = [];
  for (const c of changelog) {
    const kind = c.slice(0, 2);
    const row = c.slice(2);
    if (kind === '+I' || kind === '+U') out.push(row);
    else {
      const i = out.indexOf(row);
      if (i < 0) throw new Error(`retraction of a row not in the table: ${c}`);
      out.splice(i, 1);
    }
  }
  return out.sort();
}

async function topicWith(prefix: string, records: NewRecord[]): Promise<string> {
  const topic = uniqueTopic(prefix);
  await client.createTopic(topic, 1);
  await client.produce(topic, 0, records);
  return topic;
}

const bounded = (topic: string) =>
  `'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset'`;

/** Both engines: the changelog of `SELECT * FROM t`, and the final table of `agg`; they must agree. */
async function same(ddl: string, agg: string | undefined, config: Record<string, string> = {}): Promise<string[]> {
  const theirs = await onFlink([ddl, 'SELECT * FROM t'], config);
  const mine = await onTsstream([ddl, 'SELECT * FROM t'], config);
  expect(mine).toEqual(theirs);
  if (agg) {
    const theirAgg = materialize(await onFlink([ddl, agg], config));
    const myAgg = materialize(await onTsstream([ddl, agg], config));
    expect(myAgg).toEqual(theirAgg);
  }
  return theirs;
}

const dbz = (op: string, before: object | null, after: object | null, schema = false): NewRecord => {
  const payload = { before, after, op, source: { db: 'shop', table: 'products', ts_ms: 1700000000000, connector: 'postgresql' }, ts_ms: 1700000000500 };
  return { value: JSON.stringify(schema ? { schema: { type: 'struct', optional: false }, payload } : payload) };
};

const PRODUCTS = (schema = false): NewRecord[] => [
  dbz('r', null, { id: 1, name: 'scooter', category: 'toys', price: '3.50', updated: '2024-01-02 03:04:05.678' }, schema),
  dbz('c', null, { id: 2, name: 'hammer', category: 'tools', price: 1, updated: null }, schema),
  dbz('c', null, { id: 3, name: 'ball', category: 'toys', price: 0.5, updated: '2024-01-02 03:04:05' }, schema),
  dbz('u', { id: 1, name: 'scooter', category: 'toys', price: 3.5, updated: null }, { id: 1, name: 'scooter', category: 'tools', price: 3.25, updated: null }, schema),
  { value: null },
  dbz('d', { id: 3, name: 'ball', category: 'toys', price: 0.5, updated: null }, null, schema),
  dbz('c', null, { id: 4, name: 'kite', category: 'toys', price: 12345678.99, updated: null }, schema),
];

const COLUMNS = `id INT, name STRING, category STRING, price DECIMAL(10, 2), updated TIMESTAMP(3)`;
const AGG = 'SELECT category, COUNT(*) AS n, SUM(price) AS total, MAX(name) AS top FROM t GROUP BY category';

describe('changelog formats: tsstream and Flink 1.20 read the same topics the same way', () => {
  it('debezium-json with source metadata', async () => {
    const topic = await topicWith('dbz-diff', PRODUCTS());
    const ddl = `CREATE TABLE t (${COLUMNS},
      origin_table STRING METADATA FROM 'value.source.table' VIRTUAL,
      origin_db STRING METADATA FROM 'value.source.database' VIRTUAL,
      source_ts TIMESTAMP_LTZ(3) METADATA FROM 'value.source.timestamp' VIRTUAL,
      ingested TIMESTAMP_LTZ(3) METADATA FROM 'value.ingestion-timestamp' VIRTUAL,
      props MAP<STRING, STRING> METADATA FROM 'value.source.properties' VIRTUAL
    ) WITH ('connector' = 'kafka', ${bounded(topic)}, 'format' = 'debezium-json')`;
    const log = await same(ddl.replace(",\n      props MAP<STRING, STRING> METADATA FROM 'value.source.properties' VIRTUAL", ''), AGG.replace(/ FROM t/, ' FROM t'));
    expect(log.length).toBe(7);
    // One entry only: Flink's map entry order is not fixed.
    const one = `CREATE TABLE t (id INT, props MAP<STRING, STRING> METADATA FROM 'value.source.properties' VIRTUAL) WITH ('connector' = 'kafka', ${bounded(topic)}, 'format' = 'debezium-json')`;
    expect(await onTsstream([one, "SELECT id, props['db'], props['ts_ms'] FROM t"])).toEqual(await onFlink([one, "SELECT id, props['db'], props['ts_ms'] FROM t"]));
  }, 240_000);

  it('debezium-json with the schema envelope (schema-include)', async () => {
    const topic = await topicWith('dbz-schema', PRODUCTS(true));
    await same(`CREATE TABLE t (${COLUMNS}) WITH ('connector' = 'kafka', ${bounded(topic)}, 'format' = 'debezium-json', 'debezium-json.schema-include' = 'true')`, AGG);
  }, 240_000);

  it('debezium-json with ignore-parse-errors skips what it cannot read', async () => {
    const topic = await topicWith('dbz-bad', [...PRODUCTS().slice(0, 2), { value: '{broken' }, { value: '{"op":"x","after":{"id":9}}' }, dbz('c', null, { id: 5, name: 'n', price: 'abc' }), ...PRODUCTS().slice(2)]);
    await same(`CREATE TABLE t (${COLUMNS}) WITH ('connector' = 'kafka', ${bounded(topic)}, 'format' = 'debezium-json', 'debezium-json.ignore-parse-errors' = 'true')`, AGG);
  }, 240_000);

  it('debezium-json with table.exec.source.cdc-events-duplicate and a PRIMARY KEY', async () => {
    const p = PRODUCTS();
    const topic = await topicWith('dbz-dup', [...p.slice(0, 4), ...p.slice(0, 4), ...p.slice(4), p[5]]);
    await same(`CREATE TABLE t (${COLUMNS}, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'kafka', ${bounded(topic)}, 'format' = 'debezium-json')`, AGG, {
      'table.exec.source.cdc-events-duplicate': 'true',
    });
  }, 240_000);

  it('canal-json with table.include', async () => {
    const msg = (type: string, data: object[], old?: object[], table = 'products') => ({ value: JSON.stringify({ data, old: old ?? null, type, database: 'shop', table, es: 1700000000000, ts: 1700000000123, pkNames: ['id'], isDdl: false }) });
    const topic = await topicWith('canal-diff', [
      msg('INSERT', [{ id: '1', name: 'scooter', category: 'toys', price: '3.50', updated: null }, { id: '2', name: 'hammer', category: 'tools', price: '1.00', updated: '2024-01-02 03:04:05' }]),
      msg('INSERT', [{ id: '7', name: 'other', category: 'x', price: '1', updated: null }], undefined, 'users'),
      msg('UPDATE', [{ id: '1', name: 'scooter', category: 'tools', price: '3.25', updated: null }], [{ category: 'toys', price: '3.50' }]),
      { value: JSON.stringify({ data: null, old: null, type: 'CREATE', database: 'shop', table: 'products', isDdl: true, sql: 'CREATE TABLE …' }) },
      msg('DELETE', [{ id: '2', name: 'hammer', category: 'tools', price: '1.00', updated: '2024-01-02 03:04:05' }]),
    ]);
    await same(
      `CREATE TABLE t (${COLUMNS}, db STRING METADATA FROM 'value.database' VIRTUAL, tbl STRING METADATA FROM 'value.table' VIRTUAL,
        es TIMESTAMP_LTZ(3) METADATA FROM 'value.event-timestamp' VIRTUAL, pks ARRAY<STRING> METADATA FROM 'value.pk-names' VIRTUAL)
        WITH ('connector' = 'kafka', ${bounded(topic)}, 'format' = 'canal-json', 'canal-json.table.include' = 'prod.*')`,
      AGG,
    );
  }, 240_000);

  it('maxwell-json', async () => {
    const msg = (type: string, data: object, old?: object) => ({ value: JSON.stringify({ database: 'shop', table: 'products', type, ts: 1700000000, data, ...(old ? { old } : {}), primary_key_columns: ['id'] }) });
    const topic = await topicWith('maxwell-diff', [
      msg('insert', { id: 1, name: 'scooter', category: 'toys', price: 3.5, updated: null }),
      msg('insert', { id: 2, name: 'hammer', category: 'tools', price: 1, updated: '2024-01-02 03:04:05.1' }),
      msg('update', { id: 1, name: 'scooter', category: 'tools', price: 3.25, updated: null }, { category: 'toys', price: 3.5 }),
      msg('delete', { id: 2, name: 'hammer', category: 'tools', price: 1, updated: '2024-01-02 03:04:05.1' }),
    ]);
    await same(
      `CREATE TABLE t (${COLUMNS}, ingested TIMESTAMP_LTZ(3) METADATA FROM 'value.ingestion-timestamp' VIRTUAL, pks ARRAY<STRING> METADATA FROM 'value.primary-key-columns' VIRTUAL)
        WITH ('connector' = 'kafka', ${bounded(topic)}, 'format' = 'maxwell-json')`,
      AGG,
    );
  }, 240_000);

  it('upsert-kafka: a keyed topic with tombstones', async () => {
    const k = (id: number) => JSON.stringify({ id });
    const v = (id: number, name: string, category: string, price: number) => JSON.stringify({ id, name, category, price, updated: null });
    const topic = await topicWith('upsert-diff', [
      { key: k(1), value: v(1, 'scooter', 'toys', 3.5) },
      { key: k(2), value: v(2, 'hammer', 'tools', 1) },
      { key: k(1), value: v(1, 'scooter', 'tools', 3.25) },
      { key: k(1), value: v(1, 'scooter', 'tools', 3.25) },
      { key: k(2), value: null },
      { key: k(9), value: null },
      { key: k(3), value: v(3, 'ball', 'toys', 0.5) },
    ]);
    await same(
      `CREATE TABLE t (${COLUMNS}, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}',
        'key.format' = 'json', 'value.format' = 'json', 'scan.bounded.mode' = 'latest-offset')`,
      AGG,
    );
  }, 240_000);

  it('regular joins of two Debezium tables (and a GROUP BY over one): the same final tables', async () => {
    const orders = await topicWith('dbz-orders', [
      dbz('c', null, { order_id: 10, product_id: 1, qty: 2 }),
      dbz('c', null, { order_id: 11, product_id: 3, qty: 1 }),
      dbz('c', null, { order_id: 12, product_id: 8, qty: 1 }),
      dbz('u', { order_id: 10, product_id: 1, qty: 2 }, { order_id: 10, product_id: 2, qty: 5 }),
    ]);
    const products = await topicWith('dbz-products', PRODUCTS());
    const ddl = [
      `CREATE TABLE o (order_id INT, product_id INT, qty INT) WITH ('connector' = 'kafka', ${bounded(orders)}, 'format' = 'debezium-json')`,
      `CREATE TABLE p (${COLUMNS}) WITH ('connector' = 'kafka', ${bounded(products)}, 'format' = 'debezium-json')`,
    ];
    // Each side is read to its end before the other on neither engine: compare the final tables.
    for (const q of [
      'SELECT o.order_id, p.name, o.qty FROM o JOIN p ON o.product_id = p.id',
      'SELECT o.order_id, p.name, o.qty FROM o LEFT JOIN p ON o.product_id = p.id',
      'SELECT p.category, SUM(o.qty) FROM o JOIN p ON o.product_id = p.id GROUP BY p.category',
    ]) {
      const theirs = materialize(await onFlink([...ddl, q]));
      expect(materialize(await onTsstream([...ddl, q]))).toEqual(theirs);
    }
  }, 240_000);

  it('a GROUP BY changelog tsstream writes as debezium-json reads the same in Flink', async () => {
    const src = await topicWith('dbz-src', PRODUCTS());
    const out = uniqueTopic('dbz-out');
    await client.createTopic(out, 1);
    const session = new Session({ log: () => {} });
    try {
      const res = await session.executeAll(`CREATE TABLE t (${COLUMNS}) WITH ('connector' = 'kafka', ${bounded(src)}, 'format' = 'debezium-json');
        CREATE TABLE o (category STRING, n BIGINT, total DECIMAL(38, 2)) WITH ('connector' = 'kafka', 'topic' = '${out}', 'properties.bootstrap.servers' = '${kafka.bootstrap}', 'format' = 'debezium-json');
        INSERT INTO o SELECT category, COUNT(*), SUM(price) FROM t GROUP BY category;`);
      const r = res[res.length - 1];
      if (r.kind !== 'job') throw new Error('expected a job');
      await r.job.run();
    } finally {
      await session.close();
    }
    const read = `CREATE TABLE t (category STRING, n BIGINT, total DECIMAL(38, 2)) WITH ('connector' = 'kafka', ${bounded(out)}, 'format' = 'debezium-json')`;
    const theirs = materialize(await onFlink([read, 'SELECT * FROM t']));
    expect(theirs).toEqual(['[tools, 2, 4.25]', '[toys, 1, 12345678.99]']);
    expect(materialize(await onTsstream([read, 'SELECT * FROM t']))).toEqual(theirs);
  }, 240_000);
});
