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

-- case: window-hop-double-sum-local-flush
-- HOP: the slices (45 minutes) hold the partial sums. Row 3 (x NULL) moves the watermark past
-- 13:30 and flushes the buffer (the slice [12:45, 13:30) holds row 1), cutting the slice
-- [13:30, 14:15) into 0.1 + (0.2 + 0.3) = 0.6: the window [13:30, 15:00) is 0.6 in Flink, the rows
-- in arrival order 0.6000000000000001.
-- table: eh (x DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"x": 0.5, "ts": "2024-01-01 13:03:00.107"}
-- row: {"x": 0.1, "ts": "2024-01-01 13:30:00.230"}
-- row: {"x": null, "ts": "2024-01-01 13:40:00.000"}
-- row: {"x": 0.2, "ts": "2024-01-01 13:50:00.000"}
-- row: {"x": 0.3, "ts": "2024-01-01 13:55:00.000"}
-- row: {"x": 0.0, "ts": "2024-01-01 15:10:00.000"}
-- mode: streaming
SELECT window_start, window_end, SUM(x) AS s, AVG(x) AS a FROM TABLE(HOP(TABLE eh, DESCRIPTOR(ts), INTERVAL '45' MINUTES, INTERVAL '90' MINUTES)) GROUP BY window_start, window_end;

-- case: window-cumulate-double-sum-local-flush
-- CUMULATE (steps of 30 minutes), the rows of the case before: the slice [13:30, 14:00) is
-- 0.1 + (0.2 + 0.3) = 0.6, and so every window of [13:30, 15:00) (arrival order: 0.6000000000000001).
-- table: eh (x DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"x": 0.5, "ts": "2024-01-01 13:03:00.107"}
-- row: {"x": 0.1, "ts": "2024-01-01 13:30:00.230"}
-- row: {"x": null, "ts": "2024-01-01 13:40:00.000"}
-- row: {"x": 0.2, "ts": "2024-01-01 13:50:00.000"}
-- row: {"x": 0.3, "ts": "2024-01-01 13:55:00.000"}
-- row: {"x": 0.0, "ts": "2024-01-01 15:10:00.000"}
-- mode: streaming
SELECT window_start, window_end, SUM(x) AS s, AVG(x) AS a FROM TABLE(CUMULATE(TABLE eh, DESCRIPTOR(ts), INTERVAL '30' MINUTES, INTERVAL '90' MINUTES)) GROUP BY window_start, window_end;

-- case: window-tumble-double-sum-filter-drops-watermark-row
-- The WHERE drops row 3 (x NULL), the one that moved the watermark past 13:30: Flink's watermark
-- assigner sits before the filter, so the buffer is still flushed there (1.8 + (1.0 - 1.0 + 0.3) =
-- 2.1); flushing at the next row kept (row 4) would give (1.8 + 1.0) + (-1.0 + 0.3) = 2.0999999999999996.
-- mode: streaming
SELECT window_start, SUM(x) AS s, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE e, DESCRIPTOR(ts), INTERVAL '90' MINUTES)) WHERE x IS NOT NULL GROUP BY window_start, window_end;

-- case: window-tumble-double-variance-local-flush
-- STDDEV/VAR: Flink rewrites them into SUMs of x and x * x, which are partial sums as SUM's.
-- mode: streaming
SELECT window_start, VAR_POP(x) AS v, STDDEV_SAMP(x) AS sd, SUM(x) AS s FROM TABLE(TUMBLE(TABLE e, DESCRIPTOR(ts), INTERVAL '90' MINUTES)) GROUP BY window_start, window_end;

-- case: window-tumble-double-sum-keys-local-flush
-- Several keys: the flush (row of key b at 13:57, its x NULL) cuts every key's partial sum: key a's
-- 13:30 window is 0.1 + (0.2 + 0.3) = 0.6 (arrival order: 0.6000000000000001), key b's
-- 1.8 + (1.0 - 1.0 + 0.3) = 2.1.
-- table: ek (k STRING, x DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"k": "a", "x": 0.5, "ts": "2024-01-01 13:03:00.107"}
-- row: {"k": "b", "x": 1.8, "ts": "2024-01-01 13:30:00.230"}
-- row: {"k": "a", "x": 0.1, "ts": "2024-01-01 13:31:00.000"}
-- row: {"k": "b", "x": null, "ts": "2024-01-01 13:57:00.353"}
-- row: {"k": "b", "x": 1.0, "ts": "2024-01-01 14:04:00.476"}
-- row: {"k": "a", "x": 0.2, "ts": "2024-01-01 14:10:00.000"}
-- row: {"k": "a", "x": 0.3, "ts": "2024-01-01 14:20:00.000"}
-- row: {"k": "b", "x": -1.0, "ts": "2024-01-01 14:31:00.599"}
-- row: {"k": "b", "x": 0.3, "ts": "2024-01-01 14:58:00.722"}
-- row: {"k": "a", "x": 0.0, "ts": "2024-01-01 15:10:00.000"}
-- mode: streaming
SELECT k, window_start, SUM(x) AS s, AVG(x) AS a FROM TABLE(TUMBLE(TABLE ek, DESCRIPTOR(ts), INTERVAL '90' MINUTES)) GROUP BY k, window_start, window_end;

-- case: window-tumble-float-sum-local-flush
-- FLOAT: each addition rounded to FLOAT. 1.0E8 + ((1 - 1.0E8) + 1) is 0 in FLOAT (1 - 1.0E8 rounds
-- to -1.0E8), the rows in arrival order ((1.0E8 + 1) - 1.0E8) + 1 = 1.
-- table: ef (x FLOAT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"x": 0.5, "ts": "2024-01-01 13:03:00.107"}
-- row: {"x": 1.0E8, "ts": "2024-01-01 13:30:00.230"}
-- row: {"x": null, "ts": "2024-01-01 13:57:00.353"}
-- row: {"x": 1.0, "ts": "2024-01-01 14:04:00.476"}
-- row: {"x": -1.0E8, "ts": "2024-01-01 14:31:00.599"}
-- row: {"x": 1.0, "ts": "2024-01-01 14:58:00.722"}
-- row: {"x": 0.0, "ts": "2024-01-01 15:10:00.000"}
-- mode: streaming
SELECT window_start, SUM(x) AS s FROM TABLE(TUMBLE(TABLE ef, DESCRIPTOR(ts), INTERVAL '90' MINUTES)) GROUP BY window_start, window_end;

-- case: window-tumble-double-sum-watermark-step-200ms
-- Flink's watermark assigner emits after a row only when the watermark moved on by more than
-- 200 ms since the last one it emitted: row 3 moves it past 10:01 by 150 ms only, so the buffer is
-- flushed after row 4 (1.8 + 1.0) + (-1.0 + 0.3) = 2.0999999999999996, not after row 3
-- (1.8 + (1.0 - 1.0 + 0.3) = 2.1). Here that is the arrival order's sum too. (Its other
-- emissions, every 200 ms of wall-clock time, do not fall inside an input this small.)
-- table: es (x DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"x": 0.5, "ts": "2024-01-01 10:00:30.000"}
-- row: {"x": 1.8, "ts": "2024-01-01 10:01:00.950"}
-- row: {"x": null, "ts": "2024-01-01 10:01:01.100"}
-- row: {"x": 1.0, "ts": "2024-01-01 10:01:01.200"}
-- row: {"x": -1.0, "ts": "2024-01-01 10:01:30.000"}
-- row: {"x": 0.3, "ts": "2024-01-01 10:01:40.000"}
-- row: {"x": 0.0, "ts": "2024-01-01 10:02:10.000"}
-- mode: streaming
SELECT window_start, SUM(x) AS s FROM TABLE(TUMBLE(TABLE es, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;

-- case: window-tumble-double-sum-with-distinct-local-flush
-- A DISTINCT aggregate beside the sum: Flink still runs the aggregation in two phases (seed 10).
-- mode: streaming
SELECT window_start, SUM(x) AS s, COUNT(DISTINCT id) AS n, SUM(DISTINCT x) AS d FROM TABLE(TUMBLE(TABLE e, DESCRIPTOR(ts), INTERVAL '90' MINUTES)) GROUP BY window_start, window_end;

-- case: window-tumble-double-sum-local-flush-parallelism-2
-- At parallelism 2 Flink reads the file with one reader, whose local phase cuts the partial sums
-- where it does at parallelism 1 (2.1); tsstream runs this aggregation at parallelism 1 (the key
-- exchange does not carry the watermarks the reader has after each row).
-- mode: streaming
SET 'parallelism.default' = '2';
SELECT window_start, SUM(x) AS s, AVG(x) AS a FROM TABLE(TUMBLE(TABLE e, DESCRIPTOR(ts), INTERVAL '90' MINUTES)) GROUP BY window_start, window_end;
