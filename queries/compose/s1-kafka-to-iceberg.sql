-- S1 — Kafka → Iceberg, plain streaming append (the walkthrough's SQL; the compose stack's hosts).
-- Run:  docker compose run --rm tsstream run queries/compose/s1-kafka-to-iceberg.sql
-- (or paste it into `docker compose run --rm sql-client`: the INSERT becomes a background job).
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
CREATE TABLE IF NOT EXISTS events (
    event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(6));

SET 'execution.runtime-mode' = 'streaming';
-- Without checkpointing nothing is ever committed to Iceberg (as in Flink).
SET 'execution.checkpointing.interval' = '10s';
INSERT INTO iceberg_catalog.demo.events
SELECT event_id, user_id, event_type, event_time
FROM default_catalog.default_database.kafka_events;
