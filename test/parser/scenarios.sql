-- Every SQL statement of the user scenarios (../shared/SCENARIOS.md), verbatim.

-- S1 — Kafka → Iceberg, plain streaming append
USE CATALOG default_catalog;
USE default_database;
CREATE TABLE kafka_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = 'events',
    'properties.bootstrap.servers' = 'kafka:29092',
    'properties.group.id' = 'flink-consumer',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

CREATE CATALOG iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = 'http://rest:8181',
    'warehouse' = 's3://warehouse/', 'io-impl' = 'org.apache.iceberg.aws.s3.S3FileIO',
    's3.endpoint' = 'http://minio:9000', 's3.path-style-access' = 'true');
USE CATALOG iceberg_catalog;
CREATE DATABASE IF NOT EXISTS demo;
USE demo;
CREATE TABLE events (
    event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(6));

SET 'execution.runtime-mode' = 'streaming';
SET 'execution.checkpointing.interval' = '10s';
INSERT INTO iceberg_catalog.demo.events
SELECT event_id, user_id, event_type, event_time
FROM default_catalog.default_database.kafka_events;

SET 'execution.runtime-mode' = 'batch'; SELECT * FROM events;

-- S2 — TUMBLE window count
CREATE TABLE event_counts (window_start TIMESTAMP(6), window_end TIMESTAMP(6), event_type STRING, event_count BIGINT);
INSERT INTO iceberg_catalog.demo.event_counts
SELECT window_start, window_end, event_type, COUNT(*) AS event_count
FROM TABLE(TUMBLE(TABLE kafka_window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;
SELECT * FROM event_counts ORDER BY window_start, event_type;
SELECT snapshot_id, committed_at, operation FROM iceberg_catalog.demo.`event_counts$snapshots` ORDER BY committed_at;

-- S3 — savepoint, stop, resume
SET 'execution.savepoint.path' = '<path>';

-- S4 — ISO-8601 Z timestamps
CREATE TABLE user_events (event_id STRING, user_id STRING, event_type STRING, page STRING, event_time TIMESTAMP);
INSERT INTO user_events SELECT event_id, user_id, event_type, page, CAST(`timestamp` AS TIMESTAMP) FROM kafka_user_events;
