-- S4 — JSON with an ISO-8601 `Z` timestamp, "available now": read what the topic holds,
-- commit it as one snapshot, stop. A second run with the same checkpoint directory and
-- pipeline.name resumes from the last checkpoint and reads only the new messages.
-- Run (each time new messages were produced):
--   docker compose run --rm tsstream run queries/compose/s4-available-now.sql
CREATE TABLE kafka_user_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    page STRING,
    `timestamp` TIMESTAMP_LTZ(3)
) WITH (
    'connector' = 'kafka',
    'topic' = 'events',
    'properties.bootstrap.servers' = 'kafka:29092',
    'properties.group.id' = 'flink-available-now',
    'scan.startup.mode' = 'earliest-offset',
    'scan.bounded.mode' = 'latest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);
-- The `Z` timestamp is read by the json format as TIMESTAMP_LTZ (Flink 1.20 fails a job on
-- CAST('2024-12-31T10:00:00Z' AS TIMESTAMP) of a STRING); in UTC it casts to the same TIMESTAMP.
SET 'table.local-time-zone' = 'UTC';

CREATE CATALOG iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = 'http://rest:8181',
    'warehouse' = 's3://warehouse/', 'io-impl' = 'org.apache.iceberg.aws.s3.S3FileIO',
    's3.endpoint' = 'http://minio:9000', 's3.path-style-access' = 'true');
CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;
CREATE TABLE IF NOT EXISTS iceberg_catalog.demo.user_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    page STRING,
    event_time TIMESTAMP
);

SET 'pipeline.name' = 's4-available-now';
SET 'execution.checkpointing.interval' = '10s';
SET 'execution.checkpointing.dir' = '/data/checkpoints';
INSERT INTO iceberg_catalog.demo.user_events
SELECT event_id, user_id, event_type, page, CAST(`timestamp` AS TIMESTAMP) AS event_time
FROM default_catalog.default_database.kafka_user_events;
