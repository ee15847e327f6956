// S2 of SCENARIOS.md as the Flink-facing tests use it: its job.sql with the broker, topic and
// warehouse substituted, its events, and a batch read of its Iceberg table by tsstream.
import { Session, collectQuery } from '../../src/cli/session.js';
import { cellText } from '../../src/cli/tableau.js';

/** S2's job.sql; `prelude` goes before the DDL, `kafkaOptions` into the Kafka table's WITH. */
export const s2JobSql = (bootstrap: string, topic: string, warehouse: string, { prelude = '', kafkaOptions = '' } = {}) => `
${prelude}
CREATE TABLE kafka_window_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = '${topic}',
    'properties.bootstrap.servers' = '${bootstrap}',
    'properties.group.id' = 'flink-consumer',${kafkaOptions}
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

${s2CatalogDdl(warehouse)};
CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;
CREATE TABLE IF NOT EXISTS iceberg_catalog.demo.event_counts (
    window_start TIMESTAMP(6),
    window_end TIMESTAMP(6),
    event_type STRING,
    event_count BIGINT
);

SET 'execution.checkpointing.interval' = '1s';

INSERT INTO iceberg_catalog.demo.event_counts
SELECT window_start, window_end, event_type, COUNT(*) AS event_count
FROM TABLE(TUMBLE(TABLE kafka_window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;
`;

export const s2CatalogDdl = (warehouse: string) => `CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${warehouse}')`;

/** The S2 table's rows in window and type order. */
export const S2_COUNTS = 'SELECT * FROM iceberg_catalog.demo.event_counts ORDER BY window_start, event_type';

/** One S2 event as a Kafka record (`time` is hh:mm:ss on 2025-12-29). */
export const s2Event = (id: string, user: string, type: string, time: string) => ({
  value: JSON.stringify({ event_id: id, user_id: user, event_type: type, event_time: `2025-12-29T${time}` }),
});

/** S2's first six events: the first minute's five and one that closes it. */
export const S2_EVENTS = [
  s2Event('w001', 'u001', 'click', '10:00:10'),
  s2Event('w002', 'u002', 'click', '10:00:20'),
  s2Event('w003', 'u001', 'view', '10:00:30'),
  s2Event('w004', 'u003', 'click', '10:00:45'),
  s2Event('w005', 'u002', 'purchase', '10:00:55'),
  s2Event('w006', 'u001', 'click', '10:01:10'),
];

/** Rows of a batch SELECT by tsstream of S2's Iceberg table at `warehouse` (a missing table reads as no rows yet). */
export const readS2Iceberg = (warehouse: string, select = S2_COUNTS) => batchRead(s2CatalogDdl(warehouse), select);

/** Rows of a batch SELECT by tsstream after `catalogDdl`, as printed text (a missing table reads as no rows yet). */
export async function batchRead(catalogDdl: string, select: string): Promise<string[][]> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(`${catalogDdl}; SET 'execution.runtime-mode' = 'batch'; ${select};`);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
    return cellText(await collectQuery(q), q.columns);
  } catch (e) {
    if (/not exist|not found|no such/i.test((e as Error).message)) return [];
    throw e;
  } finally {
    await session.close();
  }
}
