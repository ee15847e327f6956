-- S4 on the embedded default: "available now" over a folder of JSON-lines files (a bounded
-- read: what is there now), one snapshot per run; the next run with the same checkpoint
-- directory and pipeline.name resumes from the last checkpoint and reads only what is new.
--   mkdir -p queries/embedded/input/user-events
--   cp queries/data/user-events-1.jsonl queries/embedded/input/user-events/
--   tsstream run queries/embedded/s4-available-now.sql
CREATE TABLE kafka_user_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    page STRING,
    `timestamp` TIMESTAMP_LTZ(3)
) WITH (
    'connector' = 'filesystem',
    'path' = 'queries/embedded/input/user-events',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);
-- The `Z` timestamp is read by the json format as TIMESTAMP_LTZ (Flink 1.20 fails a job on
-- CAST('2024-12-31T10:00:00Z' AS TIMESTAMP) of a STRING); in UTC it casts to the same TIMESTAMP.
SET 'table.local-time-zone' = 'UTC';

CREATE CATALOG IF NOT EXISTS iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'queries/embedded/warehouse');
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
SET 'execution.checkpointing.dir' = 'queries/embedded/checkpoints';
INSERT INTO iceberg_catalog.demo.user_events
SELECT event_id, user_id, event_type, page, CAST(`timestamp` AS TIMESTAMP) AS event_time
FROM default_catalog.default_database.kafka_user_events;
