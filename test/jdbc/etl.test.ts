// The ETL job of queries/etl/ end to end on the real systems: PostgreSQL (the shop database of
// postgres-setup.pgsql), real Debezium capturing orders and customers into Kafka, payments on
// Kafka, and tsstream (the CLI on queries/etl/etl.sql, its endpoints pointed at the test peers)
// writing Iceberg upserts, the PostgreSQL reporting table and the customers' SCD Type 2 history.
// The Iceberg table (read back by tsstream: pyiceberg does not apply equality deletes) and the
// PostgreSQL tables end equal to the expected final states.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Session, collectQuery } from '../../src/cli/session.js';
import { decToString, type Exact } from '../../src/common/exact.js';
import { peer, requirePeers } from '../peers/index.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import type { PostgresEndpoint } from '../peers/postgres.js';
import { startDebeziumConnect, type DebeziumConnect, type DebeziumEndpoint } from '../peers/debezium.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { ROOT, startRun, until, type RunningCli } from '../e2e/helpers.js';

const ready = requirePeers('kafka', 'postgres', 'debezium');
let kafka: KafkaTestClient;
let shop: pg.Client;
let connect: DebeziumConnect | undefined;
let run: RunningCli | undefined;
let dir: string;
const database = `shop_${process.pid}_${Date.now() % 100000}`;
const prefix = uniqueTopic('shop');
const paymentsTopic = uniqueTopic('payments');

async function q(sql: string): Promise<Record<string, string | null>[]> {
  const r = await shop.query({ text: sql, types: { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig });
  return r.rows as Record<string, string | null>[];
}

beforeAll(async () => {
  if (!ready) return;
  const pgEnd = peer<PostgresEndpoint>('postgres');
  const admin = new pg.Client({ host: pgEnd.host, port: pgEnd.port, user: pgEnd.user, password: pgEnd.password, database: pgEnd.database });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  shop = new pg.Client({ host: pgEnd.host, port: pgEnd.port, user: pgEnd.user, password: pgEnd.password, database });
  await shop.connect();
  await shop.query(readFileSync(path.join(ROOT, 'queries/etl/postgres-setup.pgsql'), 'utf8'));
  kafka = kafkaTestClient(peer<KafkaEndpoint>('kafka').bootstrap);
  await kafka.createTopic(paymentsTopic, 1);
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-etl-'));
  connect = await startDebeziumConnect({
    lib: peer<DebeziumEndpoint>('debezium').lib,
    kafkaBootstrap: peer<KafkaEndpoint>('kafka').bootstrap,
    postgres: { ...pgEnd, database },
    topicPrefix: prefix,
    tables: ['public.orders', 'public.customers'],
  });
}, 240_000);

afterAll(async () => {
  if (run) {
    run.child.kill('SIGKILL');
    await run.exited;
  }
  await connect?.stop();
  await kafka?.close();
  await shop?.end();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The job file with its endpoints pointed at the test peers and its folders in a temp dir. */
function jobFile(): string {
  const e = peer<PostgresEndpoint>('postgres');
  const sql = readFileSync(path.join(ROOT, 'queries/etl/etl.sql'), 'utf8')
    .replaceAll('jdbc:postgresql://localhost:5432/shop', `jdbc:postgresql://127.0.0.1:${e.port}/${database}`)
    .replaceAll("'username' = 'etl'", `'username' = '${e.user}'`)
    .replaceAll("'password' = 'etl-secret'", `'password' = '${e.password}'`)
    .replaceAll('localhost:9092', peer<KafkaEndpoint>('kafka').bootstrap)
    .replaceAll("'shop.public.", `'${prefix}.public.`)
    .replaceAll("'topic' = 'payments'", `'topic' = '${paymentsTopic}'`)
    .replaceAll("'shop-etl'", `'${uniqueTopic('shop-etl')}'`)
    .replaceAll('queries/etl/', `${dir}/`);
  const file = path.join(dir, 'etl.sql');
  writeFileSync(file, sql);
  return file;
}

async function readLake(): Promise<string[]> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(`
      CREATE CATALOG c WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${dir}/warehouse');
      SET 'execution.runtime-mode' = 'batch';
      SELECT * FROM c.shop.order_facts;`);
    const qr = res[res.length - 1];
    if (qr.kind !== 'query') throw new Error('not a query');
    const rows = await collectQuery(qr);
    return rows
      .map((r) => r.map((v, i) => (v === null ? 'null' : qr.columns[i].type.kind === 'DECIMAL' ? decToString(v as Exact, (qr.columns[i].type as { scale: number }).scale) : String(v))).join(' | '))
      .sort();
  } finally {
    await session.close();
  }
}

const WANT = [
  '100 | Ada Lovelace | gold | 120.00 | PAID | 120.00 | 2',
  '101 | Alan Turing | gold | 35.50 | PAID | 35.50 | 1',
  '103 | Edsger Dijkstra | bronze | 250.80 | NEW | null | null',
];

describe('queries/etl/etl.sql on PostgreSQL, Debezium, Kafka and Iceberg', () => {
  it('loads the order facts into Iceberg and PostgreSQL and the customers history (SCD Type 2)', async () => {
    // Customers change while Debezium streams: the history gets a version per change.
    await until(async () => ((await kafka.endOffset(`${prefix}.public.customers`, 0).catch(() => 0)) >= 3 ? true : undefined), 120_000, 'the customers snapshot');
    await q(`UPDATE customers SET segment = 'gold' WHERE customer_id = 2`);
    await q(`UPDATE customers SET name = 'Grace B. Hopper', segment = 'silver' WHERE customer_id = 3`);
    await q(`INSERT INTO customers VALUES (4, 'Edsger Dijkstra', 'bronze')`);
    await until(async () => ((await kafka.endOffset(`${prefix}.public.customers`, 0)) >= 6 ? true : undefined), 60_000, 'the customer changes in Kafka');

    run = startRun(jobFile());
    await run.jobId;
    const pay = (id: string, order: number, amount: string) => ({ value: `{"payment_id":"${id}","order_id":${order},"amount":${amount}}` });
    await kafka.produce(paymentsTopic, 0, [pay('p1', 100, '60.00'), pay('p2', 100, '60.00'), pay('p3', 101, '35.50'), pay('p4', 999, '1.00')]);
    await q(`INSERT INTO orders VALUES (103, 4, 250.75, 'NEW')`);
    await q(`UPDATE orders SET status = 'PAID' WHERE order_id IN (100, 101)`);
    await q(`DELETE FROM orders WHERE order_id = 102`);
    await q(`UPDATE orders SET amount = 250.80 WHERE order_id = 103`);

    const report = async () =>
      (await q('SELECT order_id, customer_name, segment, amount, status, paid, payments FROM order_report')).map((r) => Object.values(r).map((v) => v ?? 'null').join(' | ')).sort();
    const fail = async (e: unknown) => {
      throw new Error(`${(e as Error).message}\nreport: ${JSON.stringify(await report())}\n${run?.output().slice(-3000)}`);
    };
    expect(await until(async () => {
      const r = await report();
      return JSON.stringify(r) === JSON.stringify(WANT) ? r : undefined;
    }, 90_000, 'the PostgreSQL reporting table').catch(fail)).toEqual(WANT);
    expect(await until(async () => {
      const r = await readLake().catch(() => []);
      return JSON.stringify(r) === JSON.stringify(WANT) ? r : undefined;
    }, 90_000, 'the Iceberg table').catch(fail)).toEqual(WANT);

    // SCD Type 2: every version, each closed by the next one; one current version per customer.
    const history = await until(async () => {
      const h = await q('SELECT customer_id, name, segment, valid_from, valid_to, is_current FROM customer_scd2 ORDER BY customer_id, valid_from');
      return h.length >= 6 ? h : undefined;
    }, 60_000, 'the customers history').catch(fail);
    expect(history.map((h) => `${h.customer_id} ${h.name} ${h.segment} ${h.is_current === 't'}`)).toEqual([
      '1 Ada Lovelace gold true',
      '2 Alan Turing silver false',
      '2 Alan Turing gold true',
      '3 Grace Hopper bronze false',
      '3 Grace B. Hopper silver true',
      '4 Edsger Dijkstra bronze true',
    ]);
    for (let i = 0; i + 1 < history.length; i++) {
      if (history[i].customer_id === history[i + 1].customer_id) expect(history[i].valid_to).toBe(history[i + 1].valid_from);
    }
    expect(history.filter((h) => h.is_current === 't').every((h) => h.valid_to === null)).toBe(true);
    run.child.kill('SIGTERM');
    await run.exited;
    run = undefined;
  }, 300_000);
});
