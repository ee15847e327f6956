-- The AWS pipeline: JSON events put on a Kinesis data stream (2 shards) → one-minute TUMBLE
-- counts per event type → an Iceberg table registered in the AWS Glue Data Catalog, its files on
-- S3, checkpoints on S3. Credentials, region and endpoints come from the AWS default chain
-- (AWS_PROFILE / AWS_ACCESS_KEY_ID…, AWS_REGION; AWS_ENDPOINT_URL for a local moto).
-- Walkthrough: queries/README.md, "AWS: Kinesis → Glue + S3".
--   tsstream run queries/aws/kinesis-to-glue.sql
CREATE TABLE events (
  event_id   STRING,
  user_id    STRING,
  event_type STRING,
  event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kinesis',
  'stream' = 'tsstream-events',
  'aws.region' = 'us-east-1',
  'scan.stream.initpos' = 'TRIM_HORIZON',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

CREATE CATALOG glue WITH (
  'type' = 'iceberg',
  'catalog-impl' = 'org.apache.iceberg.aws.glue.GlueCatalog',
  'warehouse' = 's3://tsstream-aws-demo/warehouse',
  'client.region' = 'us-east-1'
);
CREATE DATABASE IF NOT EXISTS glue.demo;
CREATE TABLE IF NOT EXISTS glue.demo.event_counts (
  window_start TIMESTAMP(6),
  window_end   TIMESTAMP(6),
  event_type   STRING,
  event_count  BIGINT
);

SET 'execution.checkpointing.interval' = '10s';
SET 'execution.checkpointing.dir' = 's3://tsstream-aws-demo/checkpoints';
SET 'pipeline.name' = 'aws-event-counts';

INSERT INTO glue.demo.event_counts
SELECT window_start, window_end, event_type, COUNT(*) AS event_count
FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;
