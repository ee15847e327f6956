-- Quickstart: S2 of the walkthrough on the embedded default (no services).
-- Events come from a JSON-lines file; one-minute TUMBLE counts per event type go to stdout.
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

CREATE TABLE event_counts (
    window_start TIMESTAMP(3),
    window_end TIMESTAMP(3),
    event_type STRING,
    event_count BIGINT
) WITH ('connector' = 'print');

INSERT INTO event_counts
SELECT window_start, window_end, event_type, COUNT(*) AS event_count
FROM TABLE(TUMBLE(TABLE window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, event_type;
