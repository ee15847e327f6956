-- CURRENT_WATERMARK(rowtime): the watermark of the operator evaluating it, typed as the rowtime,
-- NULL before the first watermark. Which rows see which watermark depends on when each engine
-- emits watermarks (Flink's watermark assigner after every row that moves it 200 ms or more,
-- tsstream per batch and pipeline.auto-watermark-interval), so the cases here are those whose
-- result does not: types, errors, and filters over rows in event-time order.

-- case: current-watermark-type
-- mode: streaming
-- table: cw (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '0' SECOND)
-- row: {"id": 1, "ts": "2024-01-01 00:00:01.000"}
-- row: {"id": 2, "ts": "2024-01-01 00:00:05.000"}
SELECT id, CURRENT_WATERMARK(ts) AS wm FROM cw WHERE id < 0;

-- case: current-watermark-type-ltz
-- mode: streaming
-- table: cwl (id INT, ts TIMESTAMP_LTZ(3), WATERMARK FOR ts AS ts)
-- row: {"id": 1, "ts": "2024-01-01 00:00:01.000Z"}
SELECT CURRENT_WATERMARK(ts) AS wm, ts FROM cwl WHERE id < 0;

-- case: current-watermark-never-ahead-of-in-order-rows
-- mode: streaming
-- table: cwo (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '0' SECOND)
-- row: {"id": 1, "ts": "2024-01-01 00:00:01.000"}
-- row: {"id": 2, "ts": "2024-01-01 00:00:05.000"}
-- row: {"id": 3, "ts": "2024-01-01 00:00:09.000"}
SELECT id, CURRENT_WATERMARK(ts) IS NULL OR CURRENT_WATERMARK(ts) < ts AS ok FROM cwo;

-- case: current-watermark-late-row-filter-in-order
-- mode: streaming
-- table: cwf (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"id": 1, "ts": "2024-01-01 00:00:01.000"}
-- row: {"id": 2, "ts": "2024-01-01 00:00:05.000"}
-- row: {"id": 3, "ts": "2024-01-01 00:00:09.000"}
SELECT id FROM cwf WHERE ts > CURRENT_WATERMARK(ts) OR CURRENT_WATERMARK(ts) IS NULL;

-- case: current-watermark-of-a-non-timestamp-rejected
-- mode: streaming
-- table: cwe (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
-- row: {"id": 1, "ts": "2024-01-01 00:00:01.000"}
SELECT id, CURRENT_WATERMARK(id) FROM cwe;

-- case: current-watermark-of-a-plain-timestamp-rejected
-- mode: streaming
-- table: cwp (id INT, ts TIMESTAMP(3))
-- row: {"id": 1, "ts": "2024-01-01 00:00:01.000"}
SELECT id, CURRENT_WATERMARK(ts) FROM cwp;

-- case: current-watermark-in-batch-rejected
-- table: cwb (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
-- row: {"id": 1, "ts": "2024-01-01 00:00:01.000"}
SELECT id, CURRENT_WATERMARK(ts) FROM cwb;
