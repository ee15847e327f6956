-- Streaming semantics over a file in one split: watermarks, out-of-order rows, changelogs,
-- deduplication. No row is later than the watermark delay: when a late row is dropped depends on
-- when each engine emits watermarks (Flink every 200 ms of processing time, tsstream per batch).
-- table: ev (id INT, user_id STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
-- row: {"id": 1, "user_id": "a", "v": 10, "ts": "2025-01-01 10:00:01"}
-- row: {"id": 2, "user_id": "b", "v": 20, "ts": "2025-01-01 10:00:07"}
-- row: {"id": 3, "user_id": "a", "v": 30, "ts": "2025-01-01 10:00:12"}
-- row: {"id": 4, "user_id": "a", "v": 40, "ts": "2025-01-01 10:00:10.5"}
-- row: {"id": 5, "user_id": "b", "v": 50, "ts": "2025-01-01 10:00:11"}
-- row: {"id": 6, "user_id": "c", "v": 60, "ts": "2025-01-01 10:00:25"}
-- row: {"id": 7, "user_id": "a", "v": 70, "ts": "2025-01-01 10:00:24"}

-- case: out-of-order-within-delay-tumble
-- mode: streaming
SELECT window_start, COUNT(*) AS n, SUM(v) AS s
FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY window_start, window_end;

-- case: tumble-with-offset
-- mode: streaming
SELECT window_start, window_end, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND, INTERVAL '3' SECOND))
GROUP BY window_start, window_end;

-- case: window-count-distinct
-- mode: streaming
SELECT window_start, COUNT(DISTINCT user_id) AS users
FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end;

-- case: window-max-min-avg
-- mode: streaming
SELECT window_start, user_id, MAX(v) AS mx, MIN(v) AS mn, AVG(v) AS av
FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, user_id;

-- case: hop-small-slide
-- mode: streaming
SELECT window_start, window_end, SUM(v) AS s
FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '15' SECOND))
GROUP BY window_start, window_end;

-- case: session-gap-5s
-- mode: streaming
SELECT user_id, window_start, window_end, SUM(v) AS s
FROM TABLE(SESSION(TABLE ev PARTITION BY user_id, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY user_id, window_start, window_end;

-- case: dedup-keep-first-rowtime
-- mode: streaming
SELECT id, user_id, v FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts ASC) AS rn FROM ev)
WHERE rn = 1;

-- case: dedup-keep-last-rowtime
-- mode: streaming
SELECT id, user_id, v FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC) AS rn FROM ev)
WHERE rn = 1;

-- case: over-rows-preceding
-- mode: streaming
SELECT id, SUM(v) OVER (PARTITION BY user_id ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s2 FROM ev;

-- case: over-unpartitioned-count
-- mode: streaming
SELECT id, COUNT(*) OVER (ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n FROM ev;

-- case: group-by-updating-count
-- mode: streaming
SELECT user_id, COUNT(*) AS n, MAX(ts) AS last_ts FROM ev GROUP BY user_id;

-- case: group-by-then-filter
-- mode: streaming
SELECT user_id, s FROM (SELECT user_id, SUM(v) AS s FROM ev GROUP BY user_id) WHERE s > 50;

-- case: rowtime-in-projection-type
-- mode: streaming
SELECT ts, CAST(ts AS STRING) AS t FROM ev WHERE id = 1;

-- case: window-tvf-columns-select-star
-- mode: streaming
SELECT * FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '30' SECOND)) WHERE id < 3;

-- case: cumulate-tvf-sum
-- mode: streaming
SELECT window_start, window_end, SUM(v) AS s
FROM TABLE(CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '15' SECOND))
GROUP BY window_start, window_end;

-- case: error-order-by-non-time-streaming
-- mode: streaming
SELECT id FROM ev ORDER BY v;

-- case: order-by-time-streaming
-- mode: streaming
SELECT id FROM ev ORDER BY ts;

-- case: limit-streaming
-- mode: streaming
SELECT user_id FROM ev WHERE id = 1 LIMIT 1;

-- case: current-watermark
-- mode: streaming
SELECT id, CURRENT_WATERMARK(ts) IS NULL AS no_wm FROM ev WHERE id = 1;

-- case: batch-window-tvf-out-of-order
SELECT window_start, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY window_start, window_end;

-- case: union-all-streaming
-- mode: streaming
SELECT id FROM ev WHERE id < 3 UNION ALL SELECT id FROM ev WHERE id > 5;

-- case: case-when-aggregate
-- mode: streaming
SELECT user_id, SUM(CASE WHEN v > 25 THEN 1 ELSE 0 END) AS big FROM ev GROUP BY user_id;

-- case: proctime-column-type
-- mode: streaming
-- table: pt (a INT, p AS PROCTIME())
-- row: {"a": 1}
SELECT a, p IS NOT NULL AS has_p FROM pt;
