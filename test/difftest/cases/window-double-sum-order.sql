-- The order in which Flink 1.20 adds DOUBLEs in a streaming window aggregation (seeds 6 and 10:
-- SUM/AVG of a TUMBLE window differing in the last digit). Its window aggregation runs in two
-- phases even at parallelism 1 (LocalSlicingWindowAggOperator → SlicingWindowOperator): the local
-- phase accumulates rows in a buffer, in arrival order, and flushes the buffer (one partial
-- accumulator per key and slice) when a watermark passes the end of the oldest slice the buffer
-- holds; the global phase merges the partials in order. The rows below are the 13:30 window of
-- seed 6: the 12:00 window's row (id 1) is still in the buffer when row 3 brings the watermark to
-- 13:56:59, past 12:00's window end, so the buffer is flushed there: partials [1.8] and
-- [1.0, -1.0, 0.3], 1.8 + 0.3 = 2.1 in Flink; tsstream adds in arrival order, 2.0999999999999996.
-- Flink emits a watermark after each row that moves it on by more than 200 ms (and every 200 ms of
-- wall-clock time), and flushes the buffer at each checkpoint and when it is full, so where its
-- partial sums are cut depends on the watermark steps and on checkpoints.
-- table: e (id INT, x DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"id": 1, "x": 0.5, "ts": "2024-01-01 13:03:00.107"}
-- row: {"id": 2, "x": 1.8, "ts": "2024-01-01 13:30:00.230"}
-- row: {"id": 3, "x": null, "ts": "2024-01-01 13:57:00.353"}
-- row: {"id": 4, "x": 1.0, "ts": "2024-01-01 14:04:00.476"}
-- row: {"id": 5, "x": -1.0, "ts": "2024-01-01 14:31:00.599"}
-- row: {"id": 6, "x": 0.3, "ts": "2024-01-01 14:58:00.722"}
-- row: {"id": 7, "x": 0.0, "ts": "2024-01-01 15:10:00.000"}

-- case: window-tumble-double-sum-local-flush
-- mode: streaming
SELECT window_start, SUM(x) AS s, AVG(x) AS a FROM TABLE(TUMBLE(TABLE e, DESCRIPTOR(ts), INTERVAL '90' MINUTES)) GROUP BY window_start, window_end;

-- case: window-tumble-double-sum-one-flush-agrees
-- Without the 12:00 window's row in the buffer nothing is flushed before 15:00: one partial, the
-- rows added in arrival order, 2.0999999999999996 in both.
-- mode: streaming
SELECT window_start, SUM(x) AS s, AVG(x) AS a FROM TABLE(TUMBLE(TABLE e, DESCRIPTOR(ts), INTERVAL '90' MINUTES)) WHERE id > 1 GROUP BY window_start, window_end;

-- case: window-tumble-double-sum-batch-agrees
-- In batch mode the rows are added in arrival order: 2.0999999999999996 in both.
SELECT window_start, SUM(x) AS s, AVG(x) AS a FROM TABLE(TUMBLE(TABLE e, DESCRIPTOR(ts), INTERVAL '90' MINUTES)) GROUP BY window_start, window_end;
