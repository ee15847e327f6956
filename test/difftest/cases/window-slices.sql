-- Streaming HOP and CUMULATE window aggregation accumulates per slice (Flink's slicing window
-- operator: HOP by its slide, CUMULATE by its step) and merges the slices' accumulators when a window
-- fires: HOP into a new accumulator newest slice first, CUMULATE into its first slice's accumulator.
-- The order shows in the last bit of DOUBLE/FLOAT sums and in the order of LISTAGG's values.
-- Flink runs these in two phases (local, global), and its local phase hands on a partial sum at
-- each watermark, which comes every 200 ms of wall-clock time: the rows of one slice may be added in
-- two or more parts. So no slice holds more than two non-NULL values here (two add up alike in any
-- order); the slices' sums are then merged in Flink's order whatever the timing.
-- table: ev (k STRING, ts TIMESTAMP(3), x DOUBLE, f FLOAT, s STRING, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"k": "a", "ts": "2024-01-01 10:00:00", "x": 0.1, "f": 0.1, "s": "r1"}
-- row: {"k": "b", "ts": "2024-01-01 10:00:10", "x": 0.3, "f": 0.3, "s": "q1"}
-- row: {"k": "a", "ts": "2024-01-01 10:00:20", "x": null, "f": null, "s": "r2"}
-- row: {"k": "a", "ts": "2024-01-01 10:01:00", "x": 0.2, "f": 0.2, "s": "r3"}
-- row: {"k": "b", "ts": "2024-01-01 10:01:10", "x": 0.6, "f": 0.6, "s": "q2"}
-- row: {"k": "a", "ts": "2024-01-01 10:02:00", "x": 0.3, "f": 0.3, "s": "r4"}
-- row: {"k": "b", "ts": "2024-01-01 10:02:40", "x": null, "f": null, "s": null}
-- row: {"k": "a", "ts": "2024-01-01 10:03:00", "x": 0.7, "f": 0.7, "s": "r5"}
-- row: {"k": "b", "ts": "2024-01-01 10:03:10", "x": 0.01, "f": 0.01, "s": "q3"}
-- row: {"k": "a", "ts": "2024-01-01 10:03:30", "x": null, "f": null, "s": "r6"}
-- row: {"k": "a", "ts": "2024-01-01 10:04:10", "x": 2.3, "f": 2.3, "s": "r7"}
-- row: {"k": "a", "ts": "2024-01-01 10:05:50", "x": 3.7, "f": 3.7, "s": "r8"}
-- vitest

-- case: slices-hop-double-float-sum-avg
-- mode: streaming
SELECT window_start, window_end, SUM(x) AS sx, AVG(x) AS ax, SUM(f) AS sf, AVG(f) AS af
FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '4' MINUTE))
GROUP BY window_start, window_end;

-- case: slices-hop-by-key
-- mode: streaming
SELECT k, window_start, window_end, SUM(x) AS sx, AVG(f) AS af, MIN(x) AS lo, MAX(f) AS hi
FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '3' MINUTE))
GROUP BY k, window_start, window_end;

-- case: slices-hop-listagg-newest-slice-first
-- mode: streaming
SELECT window_start, window_end, LISTAGG(s) AS l, LISTAGG(s, '|') AS m
FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '4' MINUTE))
GROUP BY window_start, window_end;

-- case: slices-hop-slide-equals-size
-- mode: streaming
SELECT window_start, SUM(x) AS sx, LISTAGG(s) AS l
FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;

-- case: slices-cumulate-double-float-sum-avg
-- mode: streaming
SELECT window_start, window_end, SUM(x) AS sx, AVG(x) AS ax, SUM(f) AS sf, AVG(f) AS af, COUNT(*) AS n
FROM TABLE(CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '4' MINUTE))
GROUP BY window_start, window_end;

-- case: slices-cumulate-by-key-listagg
-- mode: streaming
SELECT k, window_start, window_end, SUM(x) AS sx, LISTAGG(s) AS l
FROM TABLE(CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '3' MINUTE))
GROUP BY k, window_start, window_end;

-- case: slices-tumble-float-and-negative-zero
-- mode: streaming
-- table: fl (ts TIMESTAMP(3), f FLOAT, x DOUBLE, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"ts": "2024-01-01 10:00:00", "f": 16777216, "x": -0.0}
-- row: {"ts": "2024-01-01 10:00:01", "f": 1, "x": -0.0}
-- row: {"ts": "2024-01-01 10:00:02", "f": 1, "x": -0.0}
SELECT window_start, SUM(f) AS sf, AVG(f) AS af, SUM(x) AS sx, AVG(x) AS ax
FROM TABLE(TUMBLE(TABLE fl, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;

-- case: slices-group-by-float-sum
-- table: fl2 (f FLOAT, x DOUBLE)
-- row: {"f": 16777216, "x": -0.0}
-- row: {"f": 1, "x": -0.0}
-- row: {"f": 1, "x": -0.0}
SELECT SUM(f) AS sf, SUM(x) AS sx, AVG(x) AS ax FROM fl2;

-- Flink loses windows with an offset (FLINK-36664); the cause is traced at streaming.sql's
-- slices-tumble-offset-window-* cases.
-- case: slices-hop-offset-first-window
-- mode: streaming
SELECT window_start, window_end, SUM(x) AS sx, LISTAGG(s) AS l
FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '3' MINUTE, INTERVAL '30' SECOND))
GROUP BY window_start, window_end;

-- case: slices-cumulate-offset-first-window
-- mode: streaming
SELECT window_start, window_end, SUM(x) AS sx, LISTAGG(s) AS l
FROM TABLE(CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '3' MINUTE, INTERVAL '30' SECOND))
GROUP BY window_start, window_end;


