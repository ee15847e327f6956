-- The differences known when the harness was written (issue 13).
-- vitest

-- case: cast-bigint-beyond-2^53
SELECT CAST(9007199254740993 AS BIGINT) AS v;

-- case: cast-bigint-max
SELECT CAST(9223372036854775807 AS BIGINT) AS v;

-- case: decimal-38-2-wide
SELECT CAST(12345678901234567.89 AS DECIMAL(38, 2)) AS v;

-- case: timestamp-9-digits
SELECT TIMESTAMP '2024-01-01 00:00:00.123456789' AS v;

-- case: json-object-nesting-json-array
SELECT JSON_OBJECT('a' VALUE JSON_ARRAY(1, 2), 'b' VALUE JSON_OBJECT('c' VALUE 'x')) AS v;

-- case: session-window-tvf-without-aggregation
-- mode: streaming
-- table: clicks (user_id STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"user_id": "u1", "ts": "2025-01-01 10:00:00"}
-- row: {"user_id": "u1", "ts": "2025-01-01 10:00:20"}
-- row: {"user_id": "u2", "ts": "2025-01-01 10:00:05"}
-- row: {"user_id": "u1", "ts": "2025-01-01 10:05:00"}
SELECT user_id, ts, window_start, window_end
FROM TABLE(SESSION(TABLE clicks PARTITION BY user_id, DESCRIPTOR(ts), INTERVAL '1' MINUTE));
