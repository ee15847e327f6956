// Changelog sources on Kafka: debezium-json / canal-json / maxwell-json topics and upsert-kafka
// read as changes (+I/-U/+U/-D) that flow into GROUP BY, joins and upsert sinks (real broker).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peer, requirePeers } from '../peers/index.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient, type NewRecord } from '../peers/kafka-client.js';
import { Session } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';
import { rowKindOf, type Row } from '../../src/common/types.js';

let kafka: KafkaEndpoint;
let client: KafkaTestClient;
const peersReady = requirePeers('kafka');

beforeAll(() => {
  if (!peersReady) return;
  kafka = peer<KafkaEndpoint>('kafka');
  client = kafkaTestClient(kafka.bootstrap);
});
afterAll(async () => {
  if (!peersReady) return;
  await client?.close();
});

let channels = 0;
/** Runs the statements (the last an INSERT into a memory sink over `channel`) to the end; returns the changelog written. */
async function run(sql: string, channel: string, config: Record<string, string> = {}): Promise<Row[]> {
  const session = new Session({ log: () => {} });
  try {
    for (const [k, v] of Object.entries(config)) await session.executeAll(`SET '${k}' = '${v}';`);
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

/** The table a changelog leaves: +I/+U add a row, -U/-D take one equal row away. */
function materialize(rows: Row[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const text = r.map((v) => (v === null ? 'null' : String(v))).join(', ');
    const k = rowKindOf(r);
    if (k === '+I' || k === '+U') out.push(text);
    else {
      const i = out.indexOf(text);
      if (i < 0) throw new Error(`retraction of a row not in the table: ${k}(${text})`);
      out.splice(i, 1);
    }
  }
  return out.sort();
}

function dbz(op: string, before: object | null, after: object | null, table = 'products'): NewRecord {
  return { value: JSON.stringify({ before, after, op, source: { db: 'shop', table, ts_ms: 1700000000000 }, ts_ms: 1700000000500 }) };
}

async function topicWith(prefix: string, records: NewRecord[]): Promise<string> {
  const topic = uniqueTopic(prefix);
  await client.createTopic(topic, 1);
  await client.produce(topic, 0, records);
  return topic;
}

function kafkaOpts(topic: string, format: string, extra = ''): string {
  return `'connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = '${format}'${extra}`;
}

describe('debezium-json on Kafka', () => {
  const products = [
    dbz('r', null, { id: 1, name: 'scooter', category: 'toys', weight: 3.5 }),
    dbz('c', null, { id: 2, name: 'hammer', category: 'tools', weight: 1.0 }),
    dbz('c', null, { id: 3, name: 'ball', category: 'toys', weight: 0.5 }),
    dbz('u', { id: 1, name: 'scooter', category: 'toys', weight: 3.5 }, { id: 1, name: 'scooter', category: 'tools', weight: 3.25 }),
    { value: null }, // Debezium's tombstone after a delete: no change
    dbz('d', { id: 3, name: 'ball', category: 'toys', weight: 0.5 }, null),
  ];

  it('reads the changes with metadata; a GROUP BY over them retracts', async () => {
    const topic = await topicWith('dbz', products);
    const ch = `dbz-${++channels}`;
    const rows = await run(
      `CREATE TABLE products (id INT, name STRING, category STRING, weight DECIMAL(10, 2),
         tbl STRING METADATA FROM 'value.source.table' VIRTUAL, src_ts TIMESTAMP_LTZ(3) METADATA FROM 'value.source.timestamp' VIRTUAL,
         PRIMARY KEY (id) NOT ENFORCED) WITH (${kafkaOpts(topic, 'debezium-json')});
       CREATE TABLE out (name STRING, tbl STRING, src_ts BIGINT) WITH ('connector' = 'memory', 'channel' = '${ch}');
       INSERT INTO out SELECT name, tbl, UNIX_TIMESTAMP(CAST(src_ts AS STRING)) FROM products WHERE id <> 2;`,
      ch,
      { 'table.local-time-zone': 'UTC' },
    );
    expect(show(rows)).toEqual(['+I(scooter, products, 1700000000)', '+I(ball, products, 1700000000)', '-U(scooter, products, 1700000000)', '+U(scooter, products, 1700000000)', '-D(ball, products, 1700000000)']);

    const ch2 = `dbz-${++channels}`;
    const agg = await run(
      `CREATE TABLE products (id INT, name STRING, category STRING, weight DECIMAL(10, 2)) WITH (${kafkaOpts(topic, 'debezium-json')});
       CREATE TABLE out (category STRING, n BIGINT, w DECIMAL(38, 2)) WITH ('connector' = 'memory', 'channel' = '${ch2}');
       INSERT INTO out SELECT category, COUNT(*), SUM(weight) FROM products GROUP BY category;`,
      ch2,
    );
    expect(materialize(agg)).toEqual(['tools, 2, 425']);
  });

  it('feeds a regular join, whose results are taken back with the rows they joined', async () => {
    const orders = await topicWith('dbz-orders', [
      dbz('c', null, { order_id: 10, product_id: 1, qty: 2 }, 'orders'),
      dbz('c', null, { order_id: 11, product_id: 3, qty: 1 }, 'orders'),
      dbz('u', { order_id: 10, product_id: 1, qty: 2 }, { order_id: 10, product_id: 2, qty: 5 }, 'orders'),
    ]);
    const prods = await topicWith('dbz', products);
    const ch = `dbz-${++channels}`;
    const rows = await run(
      `CREATE TABLE products (id INT, name STRING, category STRING, weight DECIMAL(10, 2)) WITH (${kafkaOpts(prods, 'debezium-json')});
       CREATE TABLE orders (order_id INT, product_id INT, qty INT) WITH (${kafkaOpts(orders, 'debezium-json')});
       CREATE TABLE out (order_id INT, name STRING, qty INT) WITH ('connector' = 'memory', 'channel' = '${ch}');
       INSERT INTO out SELECT o.order_id, p.name, o.qty FROM orders o JOIN products p ON o.product_id = p.id;`,
      ch,
    );
    // Order 11's product (ball) was deleted; order 10 moved from the scooter to the hammer.
    expect(materialize(rows)).toEqual(['10, hammer, 5']);
  });

  it('needs a PRIMARY KEY with table.exec.source.cdc-events-duplicate, and then drops repeated events', async () => {
    const topic = await topicWith('dbz-dup', [...products.slice(0, 4), ...products.slice(0, 4), products[5], products[5]]);
    const ch = `dbz-${++channels}`;
    await expect(
      run(
        `CREATE TABLE products (id INT, name STRING, category STRING, weight DECIMAL(10, 2)) WITH (${kafkaOpts(topic, 'debezium-json')});
         CREATE TABLE out (id INT, name STRING) WITH ('connector' = 'memory', 'channel' = '${ch}');
         INSERT INTO out SELECT id, name FROM products;`,
        ch,
        { 'table.exec.source.cdc-events-duplicate': 'true' },
      ),
    ).rejects.toThrow(/requires the changelog sources to define a PRIMARY KEY. However, table 'default_catalog.default_database.products' doesn't have a primary key/);
    const ch2 = `dbz-${++channels}`;
    const agg = await run(
      `CREATE TABLE products (id INT, name STRING, category STRING, weight DECIMAL(10, 2), PRIMARY KEY (id) NOT ENFORCED) WITH (${kafkaOpts(topic, 'debezium-json')});
       CREATE TABLE out (category STRING, n BIGINT) WITH ('connector' = 'memory', 'channel' = '${ch2}');
       INSERT INTO out SELECT category, COUNT(*) FROM products GROUP BY category;`,
      ch2,
      { 'table.exec.source.cdc-events-duplicate': 'true' },
    );
    expect(materialize(agg)).toEqual(['tools, 2']);
  });

  it('is refused in batch mode, as Flink refuses it', async () => {
    const topic = await topicWith('dbz-batch', products.slice(0, 1));
    const ch = `dbz-${++channels}`;
    await expect(
      run(
        `CREATE TABLE products (id INT, name STRING) WITH (${kafkaOpts(topic, 'debezium-json')});
         CREATE TABLE out (id INT, name STRING) WITH ('connector' = 'memory', 'channel' = '${ch}');
         INSERT INTO out SELECT id, name FROM products;`,
        ch,
        { 'execution.runtime-mode': 'batch' },
      ),
    ).rejects.toThrow(/only possible for INSERT-only table sources/);
  });

  it('names topic, partition and offset of a corrupt message', async () => {
    const topic = await topicWith('dbz-bad', [products[0], { value: '{"op":"x","after":{}}' }]);
    const ch = `dbz-${++channels}`;
    await expect(
      run(
        `CREATE TABLE products (id INT, name STRING) WITH (${kafkaOpts(topic, 'debezium-json')});
         CREATE TABLE out (id INT, name STRING) WITH ('connector' = 'memory', 'channel' = '${ch}');
         INSERT INTO out SELECT id, name FROM products;`,
        ch,
      ),
    ).rejects.toThrow(new RegExp(`Corrupt Debezium JSON message .* at topic '${topic}' partition 0 offset 1: unknown "op" value "x"`));
  });

  it('writes a GROUP BY changelog as Debezium events, which read back to the same table', async () => {
    const src = await topicWith('dbz', products);
    const topic = uniqueTopic('dbz-out');
    await client.createTopic(topic, 1);
    const ch = `dbz-${++channels}`;
    await run(
      `CREATE TABLE products (id INT, name STRING, category STRING, weight DECIMAL(10, 2)) WITH (${kafkaOpts(src, 'debezium-json')});
       CREATE TABLE counts (category STRING, n BIGINT) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}', 'format' = 'debezium-json');
       INSERT INTO counts SELECT category, COUNT(*) FROM products GROUP BY category;`,
      ch,
    );
    const msgs = (await client.records(topic, 0)).map((m) => m.value!.toString());
    expect(msgs[0]).toBe('{"before":null,"after":{"category":"toys","n":1},"op":"c"}');
    const back = await run(
      `CREATE TABLE counts (category STRING, n BIGINT) WITH (${kafkaOpts(topic, 'debezium-json')});
       CREATE TABLE out (category STRING, n BIGINT) WITH ('connector' = 'memory', 'channel' = '${ch}');
       INSERT INTO out SELECT * FROM counts;`,
      ch,
    );
    expect(materialize(back)).toEqual(['tools, 2']);
  });
});

describe('canal-json and maxwell-json on Kafka', () => {
  it('read into the same table', async () => {
    const canal = await topicWith('canal', [
      { value: JSON.stringify({ data: [{ id: '1', name: 'a' }, { id: '2', name: 'b' }], type: 'INSERT', database: 'shop', table: 'p' }) },
      { value: JSON.stringify({ data: [{ id: '1', name: 'a2' }], old: [{ name: 'a' }], type: 'UPDATE', database: 'shop', table: 'p' }) },
      { value: JSON.stringify({ data: [{ id: '2', name: 'b' }], type: 'DELETE', database: 'shop', table: 'p' }) },
      { value: JSON.stringify({ data: [{ id: '9', name: 'other' }], type: 'INSERT', database: 'shop', table: 'q' }) },
    ]);
    const maxwell = await topicWith('maxwell', [
      { value: JSON.stringify({ database: 'shop', table: 'p', type: 'insert', ts: 1, data: { id: 1, name: 'a' } }) },
      { value: JSON.stringify({ database: 'shop', table: 'p', type: 'insert', ts: 1, data: { id: 2, name: 'b' } }) },
      { value: JSON.stringify({ database: 'shop', table: 'p', type: 'update', ts: 2, data: { id: 1, name: 'a2' }, old: { name: 'a' } }) },
      { value: JSON.stringify({ database: 'shop', table: 'p', type: 'delete', ts: 3, data: { id: 2, name: 'b' } }) },
    ]);
    for (const [topic, format, extra] of [
      [canal, 'canal-json', `, 'canal-json.table.include' = 'p'`],
      [maxwell, 'maxwell-json', ''],
    ]) {
      const ch = `cdc-${++channels}`;
      const rows = await run(
        `CREATE TABLE p (id INT, name STRING, db STRING METADATA FROM 'value.database' VIRTUAL) WITH (${kafkaOpts(topic, format, extra)});
         CREATE TABLE out (id INT, name STRING, db STRING) WITH ('connector' = 'memory', 'channel' = '${ch}');
         INSERT INTO out SELECT * FROM p;`,
        ch,
      );
      expect(show(rows)).toEqual(['+I(1, a, shop)', '+I(2, b, shop)', '-U(1, a, shop)', '+U(1, a2, shop)', '-D(2, b, shop)']);
    }
  });
});

describe('upsert-kafka source', () => {
  it('reads a keyed topic as a normalized changelog: tombstones delete, repeats vanish', async () => {
    const k = (id: number) => JSON.stringify({ id });
    const topic = await topicWith('upsert-src', [
      { key: k(1), value: JSON.stringify({ id: 1, name: 'a', n: 1 }) },
      { key: k(2), value: JSON.stringify({ id: 2, name: 'b', n: 1 }) },
      { key: k(1), value: JSON.stringify({ id: 1, name: 'a', n: 2 }) },
      { key: k(1), value: JSON.stringify({ id: 1, name: 'a', n: 2 }) },
      { key: k(2), value: null },
      { key: k(3), value: null },
      { key: k(2), value: JSON.stringify({ id: 2, name: 'c', n: 5 }) },
    ]);
    const ch = `ups-${++channels}`;
    const rows = await run(
      `CREATE TABLE v (id INT, name STRING, n INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = '${topic}',
         'properties.bootstrap.servers' = '${kafka.bootstrap}', 'key.format' = 'json', 'value.format' = 'json', 'scan.bounded.mode' = 'latest-offset');
       CREATE TABLE out (id INT, name STRING, n INT) WITH ('connector' = 'memory', 'channel' = '${ch}');
       INSERT INTO out SELECT * FROM v;`,
      ch,
    );
    expect(show(rows)).toEqual(['+I(1, a, 1)', '+I(2, b, 1)', '-U(1, a, 1)', '+U(1, a, 2)', '-D(2, b, 1)', '+I(2, c, 5)']);

    const ch2 = `ups-${++channels}`;
    const agg = await run(
      `CREATE TABLE v (id INT, name STRING, n INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = '${topic}',
         'properties.bootstrap.servers' = '${kafka.bootstrap}', 'key.format' = 'json', 'value.format' = 'json', 'value.fields-include' = 'EXCEPT_KEY', 'scan.bounded.mode' = 'latest-offset');
       CREATE TABLE out (total BIGINT) WITH ('connector' = 'memory', 'channel' = '${ch2}');
       INSERT INTO out SELECT SUM(n) FROM v;`,
      ch2,
    );
    expect(materialize(agg)).toEqual(['7']);
  });

  it('refuses a changelog value format', async () => {
    const session = new Session({ log: () => {} });
    await expect(
      session.executeAll(`CREATE TABLE v (id INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = 't', 'properties.bootstrap.servers' = '${kafka.bootstrap}', 'key.format' = 'json', 'value.format' = 'debezium-json');`),
    ).rejects.toThrow(/doesn't support 'debezium-json' as value format, because 'debezium-json' is not in insert-only mode/);
    await session.close();
  });
});

describe('avro on Kafka', () => {
  it('upsert-kafka with avro key and value: written from a GROUP BY, read back as the same table', async () => {
    const src = await topicWith('dbz-avro-src', [
      dbz('c', null, { id: 1, name: 'scooter', category: 'toys', weight: 3.5 }),
      dbz('c', null, { id: 2, name: 'hammer', category: 'tools', weight: 1.25 }),
      dbz('u', { id: 1, name: 'scooter', category: 'toys', weight: 3.5 }, { id: 1, name: 'scooter', category: 'tools', weight: 3.5 }),
    ]);
    const topic = uniqueTopic('avro-upsert');
    await client.createTopic(topic, 1);
    const ch = `avro-${++channels}`;
    const table = (name: string) => `CREATE TABLE ${name} (category STRING, n BIGINT, w DECIMAL(38, 2), PRIMARY KEY (category) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = '${topic}',
         'properties.bootstrap.servers' = '${kafka.bootstrap}', 'key.format' = 'avro', 'value.format' = 'avro', 'scan.bounded.mode' = 'latest-offset')`;
    await run(
      `CREATE TABLE products (id INT, name STRING, category STRING, weight DECIMAL(10, 2)) WITH (${kafkaOpts(src, 'debezium-json')});
       ${table('totals')};
       INSERT INTO totals SELECT category, COUNT(*), SUM(weight) FROM products GROUP BY category;`,
      ch,
    );
    const back = await run(
      `${table('totals')};
       CREATE TABLE out (category STRING, n BIGINT, w DECIMAL(38, 2)) WITH ('connector' = 'memory', 'channel' = '${ch}');
       INSERT INTO out SELECT * FROM totals;`,
      ch,
    );
    expect(materialize(back)).toEqual(['tools, 2, 475']);
  });
});
