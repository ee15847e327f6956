// upsert-kafka: a streaming GROUP BY's changelog into a topic as upserts keyed by the primary key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peer, requirePeers } from '../peers/index.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { Session } from '../../src/cli/session.js';
import { memoryChannel } from '../../src/connectors/memory/index.js';

// On the shared real Kafka broker; the topic is auto-created by the sink (one partition).
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

describe('upsert-kafka', () => {
  it('writes the latest count per key, dropping -U rows', async () => {
    const topic = uniqueTopic('counts');
    const input = memoryChannel('upsert-in');
    input.push([['click'], ['view'], ['click']]);
    input.end();
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE ev (event_type STRING) WITH ('connector' = 'memory', 'channel' = 'upsert-in', 'bounded' = 'true');
      CREATE TABLE counts (event_type STRING, n BIGINT, PRIMARY KEY (event_type) NOT ENFORCED) WITH (
        'connector' = 'upsert-kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${kafka.bootstrap}',
        'key.format' = 'json', 'value.format' = 'json');
      INSERT INTO counts SELECT event_type, COUNT(*) FROM ev GROUP BY event_type;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    await r.job.run();
    const msgs = (await client.records(topic, 0)).map((m) => `${m.key?.toString()} ${m.value?.toString()}`);
    expect(msgs).toEqual([
      '{"event_type":"click"} {"event_type":"click","n":1}',
      '{"event_type":"view"} {"event_type":"view","n":1}',
      '{"event_type":"click"} {"event_type":"click","n":2}',
    ]);
    await session.close();
  });

  it('needs a primary key', async () => {
    const session = new Session({ log: () => {} });
    await session.executeAll(`CREATE TABLE ev2 (k STRING) WITH ('connector' = 'memory', 'channel' = 'upsert-in2');`);
    await expect(
      session.executeAll(`CREATE TABLE c2 (k STRING, n BIGINT) WITH ('connector' = 'upsert-kafka', 'topic' = '${uniqueTopic('t')}', 'properties.bootstrap.servers' = '${kafka.bootstrap}', 'key.format' = 'json', 'value.format' = 'json');
        INSERT INTO c2 SELECT k, COUNT(*) FROM ev2 GROUP BY k;`),
    ).rejects.toThrow(/needs a PRIMARY KEY/);
  });
});
