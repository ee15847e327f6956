-- S3 — the S2 job on topic savepoint-events, to be stopped with a savepoint and resumed.
-- Start:   docker compose run --rm -d tsstream run queries/compose/s3-savepoint.sql   (note the Job ID)
-- Resume:  docker compose run --rm -d tsstream run --set execution.savepoint.path=<path> queries/compose/s3-savepoint.sql
CREATE TABLE kafka_savepoint_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = 'savepoint-events',
    'properties.bootstrap.servers' = 'kafka:29092',
    'properties.group.id' = 'flink-savepoint-consumer',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

CREATE CATALOG iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = 'http://rest:8181',
    'warehouse' = 's3://warehouse/', 'io-impl' = 'org.apache.iceberg.aws.s3.S3FileIO',
    's3.endpoint' = 'http://minio:9000', 's3.path-style-access' = 'true');
CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;
CREATE TABLE IF NOT EXISTS iceberg_catalog.demo.savepoint_test (
    window_start TIMESTAMP(6),
    window_end TIMESTAMP(6),
    event_type STRING,
    event_count BIGINT
);

SET 'execution.runtime-mode' = 'streaming';
SET 'execution.checkpointing.interval' = '10s';
SET 'state.savepoints.dir' = '/data/savepoints';
SET 'pipeline.name' = 's3-savepoint';
INSERT INTO iceberg_catalog.demo.savepoint_test
SELECT window_start, window_end, event_type, COUNT(*) AS event_count
FROM TABLE(TUMBLE(TABLE kafka_savepoint_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;
