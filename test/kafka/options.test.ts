// Reading the kafka connector's options into kafkajs settings.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { T } from '../../src/common/types.js';
import { readKafkaConfig } from '../../src/connectors/kafka/options.js';
import { kafkaFactory } from '../../src/connectors/kafka/index.js';
import { maskSecrets } from '../../src/common/options.js';
import { ValidationError } from '../../src/common/errors.js';
import { table } from './helpers.js';

const fields = [{ name: 'id', type: T.int() }];
const base = { connector: 'kafka', topic: 't', 'properties.bootstrap.servers': 'h1:9092, h2:9093', format: 'json', 'scan.startup.mode': 'earliest-offset' };

describe('kafka options', () => {
  it("the sink's producer is idempotent with acks=all by default, as Kafka's 3.x client; enable.idempotence and acks as Kafka settles them", () => {
    const sink = (extra: Record<string, string>) => readKafkaConfig(table(fields, { ...base, ...extra }), 'sink');
    const pick = (extra: Record<string, string>) => {
      const c = sink(extra);
      return { idempotence: c.idempotence, acks: c.acks };
    };
    expect(pick({})).toEqual({ idempotence: true, acks: -1 });
    expect(pick({ 'sink.delivery-guarantee': 'none' })).toEqual({ idempotence: true, acks: -1 });
    expect(pick({ 'properties.enable.idempotence': 'false' })).toEqual({ idempotence: false, acks: -1 });
    expect(pick({ 'properties.enable.idempotence': 'true', 'properties.acks': 'all' })).toEqual({ idempotence: true, acks: -1 });
    expect(pick({ 'properties.acks': '-1' })).toEqual({ idempotence: true, acks: -1 });
    // Not asked for explicitly: a conflicting acks or retries = 0 turns idempotence off (as Kafka's client does).
    expect(pick({ 'properties.acks': '1' })).toEqual({ idempotence: false, acks: 1 });
    expect(pick({ 'properties.acks': '0', 'sink.delivery-guarantee': 'none' })).toEqual({ idempotence: false, acks: 0 });
    expect(pick({ 'properties.retries': '0' })).toEqual({ idempotence: false, acks: -1 });
    expect(pick({ 'sink.delivery-guarantee': 'exactly-once', 'sink.transactional-id-prefix': 'p' })).toEqual({ idempotence: true, acks: -1 });

    const fails = (extra: Record<string, string>, message: string) => {
      let err: unknown;
      try {
        sink(extra);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as Error).message).toBe(`connector 'kafka' (table t): ${message}`);
    };
    fails({ 'properties.enable.idempotence': 'yes' }, "invalid value 'yes' for option 'properties.enable.idempotence': expected 'true' or 'false'");
    fails({ 'properties.acks': 'leader' }, "invalid value 'leader' for option 'properties.acks': expected 'all', '-1', '1' or '0'");
    fails({ 'properties.enable.idempotence': 'true', 'properties.acks': '1' }, "'properties.enable.idempotence' = 'true' needs 'properties.acks' = 'all', not '1': the idempotent producer cannot be guaranteed otherwise");
    fails({ 'properties.enable.idempotence': 'true', 'properties.retries': '0' }, "'properties.enable.idempotence' = 'true' needs 'properties.retries' above 0");
    const eo = { 'sink.delivery-guarantee': 'exactly-once', 'sink.transactional-id-prefix': 'p' };
    fails({ ...eo, 'properties.enable.idempotence': 'false' }, "sink.delivery-guarantee 'exactly-once' writes Kafka transactions, which need an idempotent producer: remove 'properties.enable.idempotence' = 'false'");
    fails({ ...eo, 'properties.acks': '1' }, "sink.delivery-guarantee 'exactly-once' needs 'properties.acks' = 'all' (a transactional producer is idempotent), not '1'");
    fails({ ...eo, 'properties.retries': '0' }, "sink.delivery-guarantee 'exactly-once' needs 'properties.retries' above 0 (a transactional producer is idempotent)");
  });

  it('maps properties.* to kafkajs: brokers, client id, timeouts, retries, isolation level', () => {
    const cfg = readKafkaConfig(
      table(fields, { ...base, 'properties.client.id': 'me', 'properties.request.timeout.ms': '5000', 'properties.retries': '2', 'properties.retry.backoff.ms': '10', 'properties.isolation.level': 'read_uncommitted' }),
      'source',
    );
    expect(cfg.client).toMatchObject({ brokers: ['h1:9092', 'h2:9093'], clientId: 'me', requestTimeout: 5000, retry: { retries: 2, initialRetryTime: 10 }, isolationLevel: 0 });
    expect(cfg.client.sasl).toBeUndefined();
    expect(cfg.client.ssl).toBeUndefined();
  });

  it('maps SASL (PLAIN, SCRAM) and SSL with PEM stores', () => {
    const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";';
    const scram = readKafkaConfig(table(fields, { ...base, 'properties.security.protocol': 'SASL_SSL', 'properties.sasl.mechanism': 'SCRAM-SHA-512', 'properties.sasl.jaas.config': jaas }), 'source');
    expect(scram.client.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
    expect(scram.client.ssl).toBe(true);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kafka-ssl-'));
    try {
      writeFileSync(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n');
      const ssl = readKafkaConfig(table(fields, { ...base, 'properties.security.protocol': 'SSL', 'properties.ssl.truststore.location': path.join(dir, 'ca.pem') }), 'source');
      expect((ssl.client.ssl as { ca: string }).ca).toContain('BEGIN CERTIFICATE');
      expect(() => readKafkaConfig(table(fields, { ...base, 'properties.security.protocol': 'SSL', 'properties.ssl.truststore.location': path.join(dir, 'store.jks') }), 'source')).toThrow(/PEM/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(maskSecrets({ 'properties.sasl.jaas.config': jaas }, kafkaFactory.options)).toEqual({ 'properties.sasl.jaas.config': '******' });
  });

  it('checks Flink rules: topic or topic-pattern, key fields, prefixes, specific offsets', () => {
    expect(() => readKafkaConfig(table(fields, { ...base, topic: undefined as unknown as string }), 'source')).toThrow();
    const noTopic = { ...base } as Record<string, string>;
    delete noTopic['topic'];
    expect(() => readKafkaConfig(table(fields, noTopic), 'source')).toThrow(/either 'topic' or 'topic-pattern'/);
    expect(() => readKafkaConfig(table(fields, { ...base, 'topic-pattern': 'x.*' }), 'source')).toThrow(/cannot both be set/);
    expect(() => readKafkaConfig(table(fields, { ...base, 'key.fields': 'id' }), 'source')).toThrow(/needs 'key.format'/);
    expect(() => readKafkaConfig(table(fields, { ...base, 'key.format': 'json', 'key.fields': 'nope' }), 'source')).toThrow(/not a physical column/);
    expect(() => readKafkaConfig(table(fields, { ...base, 'key.format': 'json', 'key.fields': 'id', 'key.fields-prefix': 'k_' }), 'source')).toThrow(/EXCEPT_KEY/);
    expect(() => readKafkaConfig(table(fields, { ...base, 'scan.startup.mode': 'specific-offsets', 'scan.startup.specific-offsets': 'p0:1' }), 'source')).toThrow(/partition:0,offset:42/);
    expect(readKafkaConfig(table(fields, { ...base, 'scan.startup.mode': 'specific-offsets', 'scan.startup.specific-offsets': 'partition:0,offset:42;partition:1,offset:300' }), 'source').startupSpecific).toEqual(
      new Map([
        [0, 42],
        [1, 300],
      ]),
    );
    expect(() => readKafkaConfig(table(fields, { ...base, topic: 'a;b' }), 'sink')).toThrow(/exactly one 'topic'/);
    expect(() => readKafkaConfig(table(fields, { ...base, 'sink.partitioner': 'org.example.MyPartitioner' }), 'sink')).toThrow(/not supported/);
    expect(() => readKafkaConfig(table(fields, { ...base, 'value.json.fail-on-missing-field': 'true' }), 'source')).not.toThrow();
  });
});
