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

-- case: dedup-keep-last-rowtime-older-row-after
-- mode: streaming
-- vitest
SELECT id, user_id, v FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC) AS rn FROM ev WHERE id <> 7)
WHERE rn = 1;

-- case: dedup-keep-first-rowtime-earlier-row-after
-- mode: streaming
-- vitest
SELECT id, user_id, v FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts ASC) AS rn FROM ev WHERE id > 1)
WHERE rn = 1;

-- case: dedup-keep-first-rowtime-changelog-into-count
-- mode: streaming
SELECT user_id, COUNT(*) AS n, SUM(v) AS s FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts ASC) AS rn FROM ev WHERE id > 1)
WHERE rn = 1 GROUP BY user_id;

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

-- Why Flink loses windows with an offset (FLINK-36664; also window-slices.sql's
-- slices-*-offset-first-window): its window operators flush their buffered rows only when the
-- watermark reaches the next multiple of the slice size (getNextTriggerWatermark ignores the
-- offset), and register a window's timer only while the previous watermark has not passed its end.
-- A window whose end (at the offset) the watermark passes before the next multiple loses its rows.
-- Flink's watermark assigner emits a watermark after each row that moves it on by more than 200 ms.
-- With the rows at 10:00:20 and 10:01:05 the flush comes at 10:01:04 (past 10:00:59.999) before the
-- window [09:59:30, 10:00:30) fired: it is kept, and both engines agree.
-- case: slices-tumble-offset-window-kept
-- mode: streaming
-- table: to1 (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-01-01 10:00:20", "v": 1}
-- row: {"ts": "2024-01-01 10:01:05", "v": 2}
-- row: {"ts": "2024-01-01 10:03:05", "v": 3}
SELECT window_start, window_end, SUM(v) AS s FROM TABLE(TUMBLE(TABLE to1, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '30' SECOND)) GROUP BY window_start, window_end;

-- A row at 10:00:40 (of the next window) moves the watermark past 10:00:30 but not to 10:00:59.999:
-- Flink then loses the window [09:59:30, 10:00:30).
-- case: slices-tumble-offset-window-lost
-- mode: streaming
-- table: to2 (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-01-01 10:00:20", "v": 1}
-- row: {"ts": "2024-01-01 10:00:40", "v": 10}
-- row: {"ts": "2024-01-01 10:01:05", "v": 2}
-- row: {"ts": "2024-01-01 10:03:05", "v": 3}
SELECT window_start, window_end, SUM(v) AS s FROM TABLE(TUMBLE(TABLE to2, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '30' SECOND)) GROUP BY window_start, window_end;

-- Not only the first window: here Flink loses [10:01:30, 10:02:30) (the row at 10:02:20).
-- case: slices-tumble-offset-window-lost-middle
-- mode: streaming
-- table: to3 (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-01-01 10:00:20", "v": 1}
-- row: {"ts": "2024-01-01 10:01:05", "v": 2}
-- row: {"ts": "2024-01-01 10:02:20", "v": 4}
-- row: {"ts": "2024-01-01 10:02:40", "v": 10}
-- row: {"ts": "2024-01-01 10:03:05", "v": 3}
SELECT window_start, window_end, SUM(v) AS s FROM TABLE(TUMBLE(TABLE to3, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '30' SECOND)) GROUP BY window_start, window_end;
