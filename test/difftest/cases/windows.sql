-- Window table-valued functions and group windows, streaming over a table with a watermark.
-- vitest
-- table: events (user_id STRING, kind STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"user_id": "u1", "kind": "click", "v": 1, "ts": "2025-01-01 10:00:05"}
-- row: {"user_id": "u2", "kind": "view", "v": 2, "ts": "2025-01-01 10:00:40"}
-- row: {"user_id": "u1", "kind": "click", "v": 3, "ts": "2025-01-01 10:01:10"}
-- row: {"user_id": "u1", "kind": "view", "v": 4, "ts": "2025-01-01 10:01:30"}
-- row: {"user_id": "u2", "kind": "click", "v": 5, "ts": "2025-01-01 10:02:59.999"}
-- row: {"user_id": "u3", "kind": "click", "v": 6, "ts": "2025-01-01 10:05:00"}

-- case: tumble-tvf-count
-- mode: streaming
SELECT window_start, window_end, kind, COUNT(*) AS n, SUM(v) AS s
FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, kind;

-- case: tumble-tvf-window-time
-- mode: streaming
SELECT window_start, window_time, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '2' MINUTE))
GROUP BY window_start, window_end, window_time;

-- case: hop-tvf
-- mode: streaming
SELECT window_start, window_end, COUNT(*) AS n
FROM TABLE(HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE))
GROUP BY window_start, window_end;

-- case: cumulate-tvf
-- mode: streaming
SELECT window_start, window_end, SUM(v) AS s
FROM TABLE(CUMULATE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '3' MINUTE))
GROUP BY window_start, window_end;

-- case: session-tvf-aggregate
-- mode: streaming
SELECT user_id, window_start, window_end, COUNT(*) AS n
FROM TABLE(SESSION(TABLE events PARTITION BY user_id, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY user_id, window_start, window_end;

-- case: tumble-tvf-without-aggregation
-- mode: streaming
SELECT user_id, v, window_start, window_end FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE));

-- case: tumble-group-window
-- mode: streaming
SELECT TUMBLE_START(ts, INTERVAL '1' MINUTE) AS ws, TUMBLE_END(ts, INTERVAL '1' MINUTE) AS we, COUNT(*) AS n
FROM events GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE);

-- case: hop-group-window
-- mode: streaming
SELECT HOP_START(ts, INTERVAL '1' MINUTE, INTERVAL '2' MINUTE) AS ws, SUM(v) AS s
FROM events GROUP BY HOP(ts, INTERVAL '1' MINUTE, INTERVAL '2' MINUTE);

-- case: session-group-window
-- mode: streaming
SELECT user_id, SESSION_START(ts, INTERVAL '30' SECOND) AS ws, SESSION_END(ts, INTERVAL '30' SECOND) AS we, COUNT(*) AS n
FROM events GROUP BY user_id, SESSION(ts, INTERVAL '30' SECOND);

-- case: window-top-n
-- mode: streaming
SELECT window_start, user_id, s, rn FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY s DESC) AS rn FROM (
    SELECT window_start, window_end, user_id, SUM(v) AS s
    FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '2' MINUTE))
    GROUP BY window_start, window_end, user_id))
WHERE rn <= 1;

-- case: over-rows-unbounded
-- mode: streaming
SELECT user_id, v, SUM(v) OVER (PARTITION BY user_id ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run_sum FROM events;

-- case: over-range-interval
-- mode: streaming
SELECT user_id, v, COUNT(*) OVER (PARTITION BY user_id ORDER BY ts RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW) AS n FROM events;

-- case: tumble-tvf-batch
SELECT window_start, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;

-- case: window-join
-- mode: streaming
SELECT l.user_id, l.v, r.v AS rv, l.window_start FROM
  (SELECT * FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) WHERE kind = 'click') l
JOIN
  (SELECT * FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) WHERE kind = 'view') r
ON l.user_id = r.user_id AND l.window_start = r.window_start AND l.window_end = r.window_end;

-- case: interval-join
-- mode: streaming
SELECT a.v, b.v AS bv FROM events a, events b
WHERE a.user_id = b.user_id AND a.v < b.v AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '1' MINUTE;

-- case: batch-tumble-plain-timestamp
-- mode: batch
-- table: bw (k STRING, v INT, ts TIMESTAMP(3))
-- row: {"k": "a", "v": 1, "ts": "2025-01-01 10:00:01.250"}
-- row: {"k": "b", "v": 2, "ts": "2025-01-01 10:00:04.999"}
-- row: {"k": "a", "v": 3, "ts": "2025-01-01 10:00:05"}
-- row: {"k": "a", "v": 4, "ts": "2025-01-01 09:59:59.999"}
-- row: {"k": null, "v": 5, "ts": "2025-01-01 10:00:07"}
-- row: {"k": "b", "v": 6, "ts": null}
SELECT window_start, window_end, window_time, k, SUM(v) AS s, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE bw, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY window_start, window_end, window_time, k;

-- case: batch-hop-plain-timestamp-rows
-- mode: batch
-- table: bw2 (k STRING, ts TIMESTAMP(3))
-- row: {"k": "a", "ts": "2025-01-01 10:00:01.250"}
-- row: {"k": "b", "ts": "2025-01-01 10:00:04"}
SELECT k, ts, window_start, window_end, window_time
FROM TABLE(HOP(TABLE bw2, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND));

-- case: batch-cumulate-plain-timestamp
-- mode: batch
-- table: bw3 (v INT, ts TIMESTAMP(3))
-- row: {"v": 1, "ts": "2025-01-01 10:00:01"}
-- row: {"v": 2, "ts": "2025-01-01 10:00:03"}
-- row: {"v": 3, "ts": "2025-01-01 10:00:05"}
SELECT window_start, window_end, SUM(v) AS s
FROM TABLE(CUMULATE(TABLE bw3, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
GROUP BY window_start, window_end;

-- case: streaming-tumble-plain-timestamp-refused
-- mode: streaming
-- table: bw4 (v INT, ts TIMESTAMP(3))
-- row: {"v": 1, "ts": "2025-01-01 10:00:01"}
SELECT window_start, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE bw4, DESCRIPTOR(ts), INTERVAL '2' SECOND))
GROUP BY window_start, window_end;

-- case: streaming-tumble-ltz-rowtime-local-time-zone
-- mode: streaming
-- table: lzw (ts TIMESTAMP_LTZ(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-02-29 10:11:14.999Z", "v": 2}
SET 'table.local-time-zone' = 'Asia/Kolkata';
SELECT ts, window_start, window_end, window_time FROM TABLE(TUMBLE(TABLE lzw, DESCRIPTOR(ts), INTERVAL '1' HOUR));
