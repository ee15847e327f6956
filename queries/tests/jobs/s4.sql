-- S4: JSON events whose `timestamp` is ISO-8601 with a Z, read "available now" from Kafka
-- (bounded at the latest offset) into Iceberg, the timestamp cast to TIMESTAMP.
-- The column is read as TIMESTAMP_LTZ by the json format, the form both tsstream and Flink 1.20
-- accept: Flink fails the job on CAST('2024-12-31T10:00:00Z' AS TIMESTAMP) of a STRING column
-- (DateTimeParseException), which `tsstream test --target flink` reports; tsstream casts it.
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
    'scan.startup.mode' = 'group-offsets',
    'scan.bounded.mode' = 'latest-offset',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

SET 'table.local-time-zone' = 'UTC';

CREATE CATALOG iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = 'http://rest:8181',
    'warehouse' = 's3://warehouse/', 'io-impl' = 'org.apache.iceberg.aws.s3.S3FileIO',
    's3.endpoint' = 'http://minio:9000', 's3.path-style-access' = 'true');
USE CATALOG iceberg_catalog;
CREATE DATABASE IF NOT EXISTS demo;
USE demo;
CREATE TABLE IF NOT EXISTS user_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    page STRING,
    event_time TIMESTAMP
);

SET 'execution.checkpointing.interval' = '10s';
INSERT INTO iceberg_catalog.demo.user_events
SELECT event_id, user_id, event_type, page, CAST(`timestamp` AS TIMESTAMP) AS event_time
FROM default_catalog.default_database.kafka_user_events;
