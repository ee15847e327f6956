-- Quickstart: S2 of the walkthrough on the embedded default (no services needed).
-- Events come from a JSON-lines file; one-minute TUMBLE counts per event type land in an
-- Apache Iceberg table of a local hadoop catalog (./warehouse), which we then query.
CREATE TABLE window_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'filesystem',
    'path' = 'queries/data/window-events.jsonl',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

CREATE CATALOG iceberg_catalog WITH (
    'type' = 'iceberg',
    'catalog-type' = 'hadoop',
    'warehouse' = 'warehouse'
);
USE CATALOG iceberg_catalog;
CREATE DATABASE IF NOT EXISTS demo;
USE demo;
-- Start from an empty table on every run of the quickstart.
DROP TABLE IF EXISTS event_counts;
CREATE TABLE event_counts (
    window_start TIMESTAMP(6),
    window_end TIMESTAMP(6),
    event_type STRING,
    event_count BIGINT
);

INSERT INTO iceberg_catalog.demo.event_counts
SELECT window_start, window_end, event_type, COUNT(*) AS event_count
FROM TABLE(TUMBLE(TABLE default_catalog.default_database.window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;

SET 'execution.runtime-mode' = 'batch';
SELECT * FROM event_counts ORDER BY window_start, event_type;
SELECT snapshot_id, operation, summary['added-records'] AS added_records FROM `event_counts$snapshots`;
