-- Streaming ORDER BY: ascending on a time attribute (a temporal sort, emitted as the watermark
-- passes), ORDER BY … LIMIT as a Top-N, and what Flink refuses.
-- table: ev (id INT, k STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)
-- row: {"id": 1, "k": "a", "v": 10, "ts": "2025-01-01 10:00:03"}
-- row: {"id": 2, "k": "b", "v": 20, "ts": "2025-01-01 10:00:01"}
-- row: {"id": 3, "k": "a", "v": 5, "ts": "2025-01-01 10:00:02"}
-- row: {"id": 4, "k": "c", "v": 40, "ts": "2025-01-01 10:00:06"}
-- row: {"id": 5, "k": "b", "v": 15, "ts": "2025-01-01 10:00:05"}
-- row: {"id": 6, "k": "a", "v": 25, "ts": "2025-01-01 10:00:09"}

-- case: order-by-rowtime-selected
-- mode: streaming
-- vitest
SELECT id, ts FROM ev ORDER BY ts;

-- case: order-by-rowtime-then-column
-- mode: streaming
SELECT id, k, ts FROM ev ORDER BY ts, k DESC;

-- case: order-by-rowtime-limit
-- mode: streaming
-- vitest
SELECT id, ts FROM ev ORDER BY ts LIMIT 3;

-- case: order-by-column-limit
-- mode: streaming
SELECT id, v FROM ev ORDER BY v DESC LIMIT 2;

-- case: order-by-column-limit-offset
-- mode: streaming
SELECT id, v FROM ev ORDER BY v LIMIT 2 OFFSET 1;

-- case: error-order-by-rowtime-desc
-- mode: streaming
SELECT id, ts FROM ev ORDER BY ts DESC;

-- case: error-order-by-column-first
-- mode: streaming
SELECT id, ts FROM ev ORDER BY k, ts;

-- case: error-order-by-offset-without-limit-streaming
-- mode: streaming
SELECT id FROM ev ORDER BY v OFFSET 2;

-- case: order-by-over-group-by-limit
-- mode: streaming
SELECT k, SUM(v) AS s FROM ev GROUP BY k ORDER BY s DESC LIMIT 2;
