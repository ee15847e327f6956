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
});
