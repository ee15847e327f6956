-- S2 on the embedded default: one-minute TUMBLE counts per event type from a watched file
-- into the local Iceberg warehouse. Runs until stopped.
--   mkdir -p queries/embedded/input/window-events
--   cp queries/data/window-events-1.jsonl queries/embedded/input/window-events/events.jsonl
--   tsstream run queries/embedded/s2-tumble-window.sql
-- Later, append w006 to the same file (a new file would be a new split with its own watermark):
--   cat queries/data/window-events-2.jsonl >> queries/embedded/input/window-events/events.jsonl
CREATE TABLE kafka_window_events (
    event_id STRING,
    user_id STRING,
    event_type STRING,
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'filesystem',
    'path' = 'queries/embedded/input/window-events',
    'source.monitor-interval' = '1s',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

CREATE CATALOG IF NOT EXISTS iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'queries/embedded/warehouse');
CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;
CREATE TABLE IF NOT EXISTS iceberg_catalog.demo.event_counts (
    window_start TIMESTAMP(6),
    window_end TIMESTAMP(6),
    event_type STRING,
    event_count BIGINT
);

SET 'execution.runtime-mode' = 'streaming';
SET 'execution.checkpointing.interval' = '2s';
INSERT INTO iceberg_catalog.demo.event_counts
SELECT window_start, window_end, event_type, COUNT(*) AS event_count
FROM TABLE(TUMBLE(TABLE kafka_window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;
