-- HOP windows whose size is not a multiple of their slide (or smaller than it), as Flink 1.20 takes
-- them: the window TVF (batch and streaming), a batch window aggregation and a group window
-- (GROUP BY HOP(ts, slide, size), streaming too: Flink's older window operator) put each row into
-- each of its windows; Flink's streaming window aggregation over the TVF slices windows by the slide
-- and refuses it ("HOP table function based aggregate requires size must be an integral multiple
-- of slide"), as does CUMULATE with a size not a multiple of its step.

-- case: hop-not-multiple-batch-agg
-- table: hb (ts TIMESTAMP(3), v INT)
-- row: {"ts": "2024-01-01 10:00:01", "v": 1}
-- row: {"ts": "2024-01-01 10:00:04", "v": 2}
-- row: {"ts": "2024-01-01 10:00:07", "v": 4}
-- row: {"ts": "2024-01-01 10:00:11", "v": 8}
SELECT window_start, window_end, SUM(v) AS s, COUNT(*) AS n FROM TABLE(HOP(TABLE hb, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '5' SECOND)) GROUP BY window_start, window_end;

-- case: hop-not-multiple-batch-tvf
-- table: hb2 (ts TIMESTAMP(3), v INT)
-- row: {"ts": "2024-01-01 10:00:01", "v": 1}
-- row: {"ts": "2024-01-01 10:00:04", "v": 2}
SELECT v, window_start, window_end, window_time FROM TABLE(HOP(TABLE hb2, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '5' SECOND));

-- case: hop-not-multiple-batch-offset
-- table: hb3 (ts TIMESTAMP(3), v INT)
-- row: {"ts": "2024-01-01 10:00:01", "v": 1}
-- row: {"ts": "2024-01-01 10:00:04", "v": 2}
-- row: {"ts": "2024-01-01 10:00:07", "v": 4}
SELECT window_start, window_end, SUM(v) AS s FROM TABLE(HOP(TABLE hb3, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '5' SECOND, INTERVAL '1' SECOND)) GROUP BY window_start, window_end;

-- case: hop-size-less-than-slide-batch
-- table: hb4 (ts TIMESTAMP(3), v INT)
-- row: {"ts": "2024-01-01 10:00:01", "v": 1}
-- row: {"ts": "2024-01-01 10:00:04", "v": 2}
-- row: {"ts": "2024-01-01 10:00:07", "v": 4}
SELECT window_start, window_end, SUM(v) AS s FROM TABLE(HOP(TABLE hb4, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '2' SECOND)) GROUP BY window_start, window_end;

-- case: hop-not-multiple-streaming-agg-refused
-- mode: streaming
-- table: hs (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-01-01 10:00:01", "v": 1}
-- row: {"ts": "2024-01-01 10:00:04", "v": 2}
SELECT window_start, window_end, SUM(v) AS s FROM TABLE(HOP(TABLE hs, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '5' SECOND)) GROUP BY window_start, window_end;

-- case: hop-not-multiple-streaming-tvf
-- mode: streaming
-- table: hs2 (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-01-01 10:00:01", "v": 1}
-- row: {"ts": "2024-01-01 10:00:04", "v": 2}
SELECT v, window_start, window_end FROM TABLE(HOP(TABLE hs2, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '5' SECOND));

-- case: cumulate-not-multiple-refused
-- table: hb5 (ts TIMESTAMP(3), v INT)
-- row: {"ts": "2024-01-01 10:00:01", "v": 1}
SELECT window_start, window_end, SUM(v) AS s FROM TABLE(CUMULATE(TABLE hb5, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '5' SECOND)) GROUP BY window_start, window_end;

-- case: hop-not-multiple-batch-group-window
-- table: hb6 (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-01-01 10:00:01", "v": 1}
-- row: {"ts": "2024-01-01 10:00:04", "v": 2}
SELECT HOP_START(ts, INTERVAL '2' SECOND, INTERVAL '5' SECOND) AS ws, SUM(v) AS s FROM hb6 GROUP BY HOP(ts, INTERVAL '2' SECOND, INTERVAL '5' SECOND);

-- case: hop-not-multiple-streaming-group-window
-- mode: streaming
-- table: hs7 (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-01-01 10:00:01", "v": 1}
-- row: {"ts": "2024-01-01 10:00:04", "v": 2}
SELECT HOP_START(ts, INTERVAL '2' SECOND, INTERVAL '5' SECOND) AS ws, SUM(v) AS s FROM hs7 GROUP BY HOP(ts, INTERVAL '2' SECOND, INTERVAL '5' SECOND);

-- case: hop-not-multiple-streaming-top-n
-- mode: streaming
-- table: hs8 (ts TIMESTAMP(3), k STRING, v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-01-01 10:00:01", "k": "a", "v": 1}
-- row: {"ts": "2024-01-01 10:00:04", "k": "b", "v": 2}
-- row: {"ts": "2024-01-01 10:00:05", "k": "c", "v": 3}
SELECT * FROM (SELECT window_start, window_end, k, v, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY v DESC) AS rn FROM TABLE(HOP(TABLE hs8, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '5' SECOND))) WHERE rn <= 1;

-- case: hop-not-multiple-batch-listagg
-- table: hb9 (ts TIMESTAMP(3), s STRING, d DOUBLE)
-- row: {"ts": "2024-01-01 10:00:01", "s": "a", "d": 0.1}
-- row: {"ts": "2024-01-01 10:00:02", "s": "b", "d": 0.2}
-- row: {"ts": "2024-01-01 10:00:04", "s": "c", "d": 0.3}
SELECT window_start, window_end, LISTAGG(s) AS l, SUM(d) AS sd FROM TABLE(HOP(TABLE hb9, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '5' SECOND)) GROUP BY window_start, window_end;

-- case: hop-not-multiple-streaming-group-window-listagg
-- mode: streaming
-- table: hs10 (ts TIMESTAMP(3), s STRING, d DOUBLE, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-01-01 10:00:01", "s": "a", "d": 0.1}
-- row: {"ts": "2024-01-01 10:00:02", "s": "b", "d": 0.2}
-- row: {"ts": "2024-01-01 10:00:04", "s": "c", "d": 0.3}
SELECT HOP_START(ts, INTERVAL '2' SECOND, INTERVAL '5' SECOND) AS ws, LISTAGG(s) AS l, SUM(d) AS sd, SUM(DISTINCT d) AS sdd FROM hs10 GROUP BY HOP(ts, INTERVAL '2' SECOND, INTERVAL '5' SECOND);
