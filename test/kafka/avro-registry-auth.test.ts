// Schema registry authentication of avro-confluent and debezium-avro-confluent: a relay in front
// of the real registry (the schema-registry peer, which runs without authentication) lets through
// only requests carrying the expected Authorization header and answers 401 otherwise, as an
// authenticating Confluent registry does. tsstream must send HTTP basic auth from
// 'basic-auth.user-info' and a bearer token from 'bearer-auth.token', on every call (register,
// fetch by id); Flink 1.20 sends the same header through the same relay; a wrong password fails
// naming the registry and the option, and the secret is never in the error.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { cellText } from '../../src/cli/tableau.js';
import { peer, requirePeers } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { runOnFlink } from '../peers/flink-client.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import type { SchemaRegistryEndpoint } from '../peers/schema-registry.js';

let kafka: KafkaEndpoint;
let flink: FlinkEndpoint;
let registry: SchemaRegistryEndpoint;
let client: KafkaTestClient;
const peersReady = requirePeers('kafka', 'schema-registry', 'flink');

interface Relay {
  url: string;
  /** The Authorization header of every request, in order ('' when absent). */
  seen: { method: string; path: string; auth: string }[];
  close(): Promise<void>;
}

/** A relay to the registry that answers 401 unless the request carries `expected` as its Authorization header. */
async function relay(expected: string): Promise<Relay> {
  const seen: Relay['seen'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      seen.push({ method: req.method ?? '', path: req.url ?? '', auth });
      if (auth !== expected) {
        res.writeHead(401, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
        res.end(JSON.stringify({ error_code: 401, message: 'Unauthorized' }));
        return;
      }
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      fetch(`${registry.url}${req.url ?? ''}`, { method: req.method, headers: { 'Content-Type': req.headers['content-type'] ?? 'application/json', Accept: req.headers.accept ?? '*/*' }, body })
        .then(async (r) => {
          res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await r.arrayBuffer()));
        })
        .catch((e: Error) => {
          res.writeHead(502);
          res.end(e.message);
        });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

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

async function onTsstream(sql: string): Promise<string[]> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(sql);
    const q = res[res.length - 1];
    if (q.kind === 'job') {
      await q.job.run();
      return [];
    }
    if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
    const rows = await collectQuery(q);
    return cellText(rows, q.columns).map((r) => r.join(', ')).sort();
  } finally {
    await session.close();
  }
}

const BASIC = (userInfo: string) => `'avro-confluent.basic-auth.credentials-source' = 'USER_INFO', 'avro-confluent.basic-auth.user-info' = '${userInfo}'`;
const BEARER = (token: string) => `'avro-confluent.bearer-auth.credentials-source' = 'STATIC_TOKEN', 'avro-confluent.bearer-auth.token' = '${token}'`;

function table(topic: string, url: string, auth: string, format = 'avro-confluent'): string {
  return `CREATE TABLE t (id BIGINT, name STRING) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}',
    'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = '${format}', '${format}.url' = '${url}', ${auth.replaceAll('avro-confluent.', `${format}.`)})`;
}

describe('schema registry authentication', () => {
  for (const [kind, auth, header] of [
    ['basic', BASIC('fred:hunter2'), `Basic ${Buffer.from('fred:hunter2').toString('base64')}`],
    ['bearer', BEARER('tok-s3cret'), 'Bearer tok-s3cret'],
  ] as const) {
    it(`${kind}: tsstream sends '${header.split(' ')[0]} …' on every registry call (write and read); Flink 1.20 sends the same header`, async () => {
      const r = await relay(header);
      try {
        const topic = uniqueTopic(`avro-auth-${kind}`);
        await client.createTopic(topic, 1);
        await onTsstream(`${table(topic, r.url, auth)}; INSERT INTO t VALUES (CAST(1 AS BIGINT), 'a'), (CAST(2 AS BIGINT), 'b');`);
        expect(await onTsstream(`${table(topic, r.url, auth)}; SELECT * FROM t;`)).toEqual(['1, a', '2, b']);
        expect(r.seen.map((s) => s.method)).toEqual(expect.arrayContaining(['POST', 'GET']));
        expect(r.seen.every((s) => s.auth === header)).toBe(true);
        // Flink, with the same options, through the same relay: every request carries the same header.
        const before = r.seen.length;
        const res = await runOnFlink([table(topic, r.url, auth), 'SELECT * FROM t'], { flink });
        expect(res[1].rows.map((x) => x.text.join(', ')).sort()).toEqual(['1, a', '2, b']);
        expect(r.seen.length).toBeGreaterThan(before);
        expect(r.seen.slice(before).every((s) => s.auth === header)).toBe(true);
      } finally {
        await r.close();
      }
    }, 180_000);
  }

  it('a wrong password or token fails naming the registry and the option, never the secret; credentials go only as their credentials-source says (as Flink); debezium-avro-confluent sends the header too', async () => {
    const r = await relay(`Basic ${Buffer.from('fred:hunter2').toString('base64')}`);
    try {
      let topic = uniqueTopic('avro-auth-bad');
      await client.createTopic(topic, 1);
      for (const auth of [BASIC('fred:wrong-pass'), BEARER('wrong-tok')]) {
        const err = await onTsstream(`${table(topic, r.url, auth)}; INSERT INTO t VALUES (CAST(1 AS BIGINT), 'a');`).then(
          () => undefined,
          (e: Error) => e,
        );
        expect(err?.message).toMatch(new RegExp(`schema registry ${r.url} answered 401 .*check the format's basic-auth\\.credentials-source / basic-auth\\.user-info or bearer-auth\\.credentials-source / bearer-auth\\.token`));
        expect(err?.message).not.toMatch(/wrong-pass|wrong-tok|hunter2/);
      }
      // As Flink (checked through this relay: its client sent no header): user-info or a token
      // without its credentials-source is not sent, so the relay answers 401.
      for (const auth of [`'avro-confluent.basic-auth.user-info' = 'fred:hunter2'`, `'avro-confluent.bearer-auth.token' = 'tok'`]) {
        const m = r.seen.length;
        await expect(onTsstream(`${table(topic, r.url, auth)}; INSERT INTO t VALUES (CAST(1 AS BIGINT), 'a');`)).rejects.toThrow(/answered 401/);
        expect(r.seen.slice(m).map((s) => s.auth)).toEqual(['']);
      }
      // 'URL': the credentials of the url's user info, which are never printed.
      const withUser = r.url.replace('http://', 'http://fred:hunter2@');
      const m = r.seen.length;
      await onTsstream(`${table(topic, withUser, `'avro-confluent.basic-auth.credentials-source' = 'URL'`)}; INSERT INTO t VALUES (CAST(1 AS BIGINT), 'a');`);
      expect(r.seen.slice(m).map((s) => s.auth)).toEqual([`Basic ${Buffer.from('fred:hunter2').toString('base64')}`]);
      const urlErr = await onTsstream(`${table(topic, r.url.replace('http://', 'http://fred:wrong-pass@'), `'avro-confluent.basic-auth.credentials-source' = 'URL'`)}; INSERT INTO t VALUES (CAST(1 AS BIGINT), 'a');`).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(urlErr?.message).toMatch(/answered 401/);
      expect(urlErr?.message).not.toMatch(/wrong-pass|fred/);
      // debezium-avro-confluent registers its envelope schema through the relay with the same header.
      topic = uniqueTopic('avro-auth-dbz');
      await client.createTopic(topic, 1);
      const n = r.seen.length;
      await onTsstream(`${table(topic, r.url, BASIC('fred:hunter2'), 'debezium-avro-confluent')}; INSERT INTO t VALUES (CAST(1 AS BIGINT), 'a');`);
      expect(r.seen.slice(n).length).toBeGreaterThan(0);
      expect(r.seen.slice(n).every((s) => s.auth === `Basic ${Buffer.from('fred:hunter2').toString('base64')}`)).toBe(true);
      expect(await onTsstream(`${table(topic, r.url, BASIC('fred:hunter2'), 'debezium-avro-confluent')}; SELECT * FROM t;`)).toEqual(['1, a']);
    } finally {
      await r.close();
    }
  }, 180_000);
});
