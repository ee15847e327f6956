-- S3 on the embedded default: the S2 job over a watched file, stopped with a savepoint and
-- resumed from it (tsstream jobs savepoint / cancel / stop, then --set execution.savepoint.path).
--   mkdir -p queries/embedded/input/savepoint-events
--   cp queries/data/savepoint-events-1.jsonl queries/embedded/input/savepoint-events/events.jsonl
--   tsstream run queries/embedded/s3-savepoint.sql &
CREATE TABLE kafka_savepoint_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'filesystem',
    'path' = 'queries/embedded/input/savepoint-events',
    'source.monitor-interval' = '1s',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

CREATE CATALOG IF NOT EXISTS iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'queries/embedded/warehouse');
CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;
CREATE TABLE IF NOT EXISTS iceberg_catalog.demo.savepoint_test (
    window_start TIMESTAMP(6),
    window_end TIMESTAMP(6),
    event_type STRING,
    event_count BIGINT
);

SET 'execution.runtime-mode' = 'streaming';
SET 'execution.checkpointing.interval' = '2s';
SET 'state.savepoints.dir' = 'queries/embedded/savepoints';
SET 'pipeline.name' = 's3-savepoint';
INSERT INTO iceberg_catalog.demo.savepoint_test
SELECT window_start, window_end, event_type, COUNT(*) AS event_count
FROM TABLE(TUMBLE(TABLE kafka_savepoint_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;
