-- S1 on the embedded default: the Kafka topic is replaced by a folder of JSON-lines files that
-- the source keeps watching (new files and lines appended to known files are read), the REST
-- catalog on MinIO by a hadoop catalog in a local folder. Runs until stopped.
--   mkdir -p queries/embedded/input/events
--   cp queries/data/events.jsonl queries/embedded/input/events/
--   tsstream run queries/embedded/s1-file-to-iceberg.sql
CREATE TABLE kafka_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'filesystem',
    'path' = 'queries/embedded/input/events',
    'source.monitor-interval' = '1s',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

CREATE CATALOG IF NOT EXISTS iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'queries/embedded/warehouse');
USE CATALOG iceberg_catalog;
CREATE DATABASE IF NOT EXISTS demo;
USE demo;
CREATE TABLE IF NOT EXISTS events (
    event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(6));

SET 'execution.runtime-mode' = 'streaming';
-- Without checkpointing nothing is ever committed to Iceberg (as in Flink).
SET 'execution.checkpointing.interval' = '2s';
INSERT INTO iceberg_catalog.demo.events
SELECT event_id, user_id, event_type, event_time
FROM default_catalog.default_database.kafka_events;
