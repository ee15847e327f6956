// Real Debezium (Kafka Connect + Debezium's PostgreSQL connector, pgoutput) captures the changes
// of a real PostgreSQL table into Kafka; tsstream reads the topic with 'debezium-json' into a
// jdbc upsert table in PostgreSQL, which ends equal to the captured table, row for row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { peer, requirePeers } from '../peers/index.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import type { PostgresEndpoint } from '../peers/postgres.js';
import { startDebeziumConnect, type DebeziumConnect, type DebeziumEndpoint } from '../peers/debezium.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { sleep, until } from '../e2e/helpers.js';
import { jdbcWith, openDb, uniqueName, type TestDb } from './helpers.js';

const ready = requirePeers('kafka', 'postgres', 'debezium');
let db: TestDb;
let kafka: KafkaTestClient;
let connect: DebeziumConnect | undefined;
const table = uniqueName('dbz_orders');
const prefix = uniqueTopic('dbz');
const topic = `${prefix}.public.${table}`;

beforeAll(async () => {
  if (!ready) return;
  db = await openDb('postgres');
  kafka = kafkaTestClient(peer<KafkaEndpoint>('kafka').bootstrap);
  await db.query(`CREATE TABLE ${table} (id BIGINT PRIMARY KEY, customer VARCHAR(20) NOT NULL, amount NUMERIC(12, 2) NOT NULL, big BIGINT)`);
  // Updates and deletes carry the whole old row (Flink's debezium-json needs "before").
  await db.query(`ALTER TABLE ${table} REPLICA IDENTITY FULL`);
  await db.query(`INSERT INTO ${table} VALUES (1, 'alice', 10.50, 9007199254740993), (2, 'bob', 20.00, NULL), (3, 'carol', -0.01, 1)`);
  const pg = peer<PostgresEndpoint>('postgres');
  connect = await startDebeziumConnect({
    lib: peer<DebeziumEndpoint>('debezium').lib,
    kafkaBootstrap: peer<KafkaEndpoint>('kafka').bootstrap,
    postgres: pg,
    topicPrefix: prefix,
    tables: [`public.${table}`],
  });
}, 240_000);

afterAll(async () => {
  await connect?.stop();
  await kafka?.close();
  await db?.close();
});

describe('Debezium PostgreSQL connector into Kafka', () => {
  it('captures the snapshot and then inserts, updates and deletes as change events', async () => {
    await until(async () => ((await kafka.endOffset(topic, 0).catch(() => 0)) >= 3 ? true : undefined), 120_000, 'the snapshot in Kafka');
    await db.query(`UPDATE ${table} SET amount = amount + 1, customer = 'alice2' WHERE id = 1`);
    await db.query(`INSERT INTO ${table} VALUES (4, 'dave', 99999999.99, -9223372036854775808)`);
    await db.query(`DELETE FROM ${table} WHERE id = 2`);
    await db.query(`UPDATE ${table} SET id = 5 WHERE id = 3`);
    const records = await until(
      async () => {
        const rs = await kafka.records(topic, 0).catch(() => []);
        return rs.length >= 8 ? rs : undefined;
      },
      120_000,
      'the change events in Kafka',
    );
    const ops = records.map((r) => (JSON.parse(r.value!.toString()) as { op: string }).op);
    expect(ops).toEqual(['r', 'r', 'r', 'u', 'c', 'd', 'd', 'c']);
    const first = JSON.parse(records[0].value!.toString());
    expect(first.after).toEqual({ id: 1, customer: 'alice', amount: '10.50', big: 9007199254740992 + 1 });
    expect(records[0].value!.toString()).toContain('"big":9007199254740993');
  }, 240_000);

  it("tsstream reads the topic with 'debezium-json' into a jdbc upsert table equal to the PostgreSQL table", async () => {
    const replica = `${table}_replica`;
    await db.query(`CREATE TABLE ${replica} (id BIGINT PRIMARY KEY, customer VARCHAR(20) NOT NULL, amount NUMERIC(12, 2) NOT NULL, big BIGINT, src_table VARCHAR(64))`);
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE orders_cdc (
        id BIGINT, customer STRING, amount DECIMAL(12, 2), big BIGINT,
        src_table STRING METADATA FROM 'value.source.table' VIRTUAL,
        PRIMARY KEY (id) NOT ENFORCED
      ) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${peer<KafkaEndpoint>('kafka').bootstrap}',
        'properties.group.id' = '${uniqueTopic('dbz-read')}', 'scan.startup.mode' = 'earliest-offset', 'format' = 'debezium-json');
      CREATE TABLE orders_replica (id BIGINT, customer STRING, amount DECIMAL(12, 2), big BIGINT, src_table STRING, PRIMARY KEY (id) NOT ENFORCED)
        ${jdbcWith(db, replica, { 'sink.buffer-flush.interval': '100ms' })};
      INSERT INTO orders_replica SELECT id, customer, amount, big, src_table FROM orders_cdc;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    const done = r.job.run();
    done.catch(() => {});
    const rows = async (t: string) => (await db.query(`SELECT id, customer, amount, big FROM ${t} ORDER BY id`)).map((x) => `${x.id} ${x.customer} ${x.amount} ${x.big}`);
    const same = (what: string) =>
      until(
        async () => {
          const [a, b] = [await rows(table), await rows(replica)];
          return JSON.stringify(a) === JSON.stringify(b) ? a : undefined;
        },
        60_000,
        what,
      );
    try {
      expect(await same('the replica equal to the captured table')).toEqual(['1 alice2 11.50 9007199254740993', '4 dave 99999999.99 -9223372036854775808', '5 carol -0.01 1']);
      // More changes while the job runs: they flow through Debezium and tsstream into the replica.
      await db.query(`INSERT INTO ${table} SELECT g, 'n' || g, g * 1.25, g * 1000000000000 FROM generate_series(10, 60) AS g`);
      await db.query(`UPDATE ${table} SET amount = amount * 2 WHERE id % 3 = 0`);
      await db.query(`DELETE FROM ${table} WHERE id % 5 = 0`);
      const final = await same('the replica equal after more changes');
      expect(final.length).toBe(2 + 51 - 11); // ids 1 and 4, and 10…60 but the multiples of 5 (id 5 too)
      expect(new Set((await db.query(`SELECT DISTINCT src_table FROM ${replica}`)).map((x) => x.src_table))).toEqual(new Set([table]));
    } finally {
      r.job.cancel();
      await done.catch(() => {});
      await session.close();
      await sleep(0);
    }
  }, 240_000);
});
