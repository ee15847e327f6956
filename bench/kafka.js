// Kafka case of `npm run bench`: BENCH_KAFKA_EVENTS (default 1M) JSON events on a real Kafka broker
// of its own (the test peer's jars: `npm run peers:install kafka`)
// through S2's job (Kafka → TUMBLE count → blackhole), beside a bare kafkajs consumer that reads
// and counts the same topic in the same process.
import path from 'node:path';

const N = Number(process.env.BENCH_KAFKA_EVENTS ?? 1_000_000);

export async function run({ measure, root }) {
  const { startKafkaBroker } = await import(path.join(root, 'test/peers/kafka.ts'));
  const { kafkaTestClient } = await import(path.join(root, 'test/peers/kafka-client.ts'));
  const broker = await startKafkaBroker({ partitions: 2 });
  const bootstrap = broker.endpoint.bootstrap;
  const client = kafkaTestClient(bootstrap);
  const topic = 'bench-events';
  await client.createTopic(topic, 2);
  const types = ['click', 'view', 'purchase', 'login', 'logout'];
  const base = Date.UTC(2025, 11, 29, 10, 0, 0);
  for (let p = 0; p < 2; p++) {
    for (let start = p; start < N; start += 2 * 5000) {
      const batch = [];
      for (let i = start; i < Math.min(N, start + 2 * 5000); i += 2) {
        const t = new Date(base + i).toISOString().slice(0, 23);
        batch.push({ value: `{"event_id":"e${i}","user_id":"u${i % 1000}","event_type":"${types[i % 5]}","event_time":"${t}"}` });
      }
      await client.produce(topic, p, batch);
    }
  }
  await client.close();
  const out = [];
  try {
    out.push(
      await measure('kafka-bare-kafkajs-consumer-json-parse-map', async () => {
        const { Kafka, logLevel } = await import('kafkajs');
        const kafka = new Kafka({ clientId: 'bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
        const consumer = kafka.consumer({ groupId: `bench-${Date.now()}`, maxBytes: 16 << 20 });
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        const counts = new Map();
        let n = 0;
        await new Promise((resolve, reject) => {
          consumer
            .run({
              eachBatch: async ({ batch }) => {
                for (const m of batch.messages) {
                  const e = JSON.parse(m.value.toString());
                  const ts = Date.parse(e.event_time + 'Z');
                  const k = ts - (ts % 60000) + '|' + e.event_type;
                  counts.set(k, (counts.get(k) ?? 0) + 1);
                  n++;
                }
                if (n >= N) resolve();
              },
            })
            .catch(reject);
        });
        await consumer.disconnect();
        return { events: n, groups: counts.size };
      }),
    );
    out.push(
      await measure('kafka-tsstream-s2-tumble-blackhole', async () => {
        const { Session } = await import(path.join(root, 'dist/cli/session.js'));
        const session = new Session({ log: () => {} });
        const res = await session.executeAll(`
          CREATE TABLE events (event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
            WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
          WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${bootstrap}',
            'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',
            'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
          CREATE TABLE sink (window_start TIMESTAMP(3), window_end TIMESTAMP(3), event_type STRING, event_count BIGINT) WITH ('connector' = 'blackhole');
          INSERT INTO sink SELECT window_start, window_end, event_type, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, event_type;`);
        const r = await res[res.length - 1].job.run();
        await session.close();
        return { events: r.metrics.recordsIn, groups: r.metrics.recordsOut, late: r.metrics.lateRecordsDropped };
      }),
    );
    console.log(`tsstream / bare kafkajs throughput: ${(out[1].eventsPerSecond / out[0].eventsPerSecond).toFixed(2)}x`);
  } finally {
    await broker.destroy();
  }
  return out;
}
