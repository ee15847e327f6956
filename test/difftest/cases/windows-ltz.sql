-- Streaming window TVFs over a TIMESTAMP_LTZ time attribute (Flink's shifted windows): the windows
-- are in the wall clock of table.local-time-zone, window_start/window_end TIMESTAMP(3) of that wall
-- clock, window_time TIMESTAMP_LTZ(3) the instant of window_end − 1 ms (in a DST gap java.time's
-- later one: 02:59:59.999 on 2024-03-31 in Berlin is 03:59:59.999 CEST). A window fires when the
-- watermark reaches its end − 1 ms as an instant, after both repeated hours of a fall-back (Flink's
-- TimeWindowUtil.toEpochMillsForTimer; unit-tested in test/common/time.test.ts, since the harness
-- cannot show when a window fires: the engines emit watermarks at other rows).

-- case: ltz-window-fall-back-tumble
-- mode: streaming
-- table: fb (ts TIMESTAMP_LTZ(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-10-26 23:30:00Z", "v": 1}
-- row: {"ts": "2024-10-27 00:10:00Z", "v": 2}
-- row: {"ts": "2024-10-27 00:50:00Z", "v": 4}
-- row: {"ts": "2024-10-27 01:10:00Z", "v": 8}
-- row: {"ts": "2024-10-27 01:40:00Z", "v": 16}
-- row: {"ts": "2024-10-27 02:20:00Z", "v": 32}
SET 'table.local-time-zone' = 'Europe/Berlin';
SELECT window_start, window_end, window_time, SUM(v) AS s, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE fb, DESCRIPTOR(ts), INTERVAL '1' HOUR)) GROUP BY window_start, window_end, window_time;

-- case: ltz-window-spring-forward-hop
-- mode: streaming
-- table: sp (ts TIMESTAMP_LTZ(3), v INT, WATERMARK FOR ts AS ts - INTERVAL '10' MINUTE)
-- row: {"ts": "2024-03-31 00:30:00Z", "v": 1}
-- row: {"ts": "2024-03-31 01:12:00Z", "v": 2}
-- row: {"ts": "2024-03-31 02:40:00Z", "v": 8}
SET 'table.local-time-zone' = 'Europe/Berlin';
SELECT window_start, window_end, window_time, SUM(v) AS s FROM TABLE(HOP(TABLE sp, DESCRIPTOR(ts), INTERVAL '30' MINUTE, INTERVAL '2' HOUR)) GROUP BY window_start, window_end, window_time;

-- case: ltz-window-spring-forward-tvf
-- mode: streaming
-- table: sp2 (ts TIMESTAMP_LTZ(3), v INT, WATERMARK FOR ts AS ts - INTERVAL '10' MINUTE)
-- row: {"ts": "2024-03-31 00:30:00Z", "v": 1}
-- row: {"ts": "2024-03-31 01:12:00Z", "v": 2}
-- row: {"ts": "2024-03-31 02:40:00Z", "v": 8}
SET 'table.local-time-zone' = 'Europe/Berlin';
SELECT v, window_start, window_end, window_time FROM TABLE(HOP(TABLE sp2, DESCRIPTOR(ts), INTERVAL '30' MINUTE, INTERVAL '2' HOUR));

-- case: ltz-window-batch-spring-forward
-- table: bg (ts TIMESTAMP_LTZ(3), v INT)
-- row: {"ts": "2024-03-31 00:30:00Z", "v": 1}
-- row: {"ts": "2024-03-31 01:12:00Z", "v": 2}
SET 'table.local-time-zone' = 'Europe/Berlin';
SELECT window_start, window_end, window_time, SUM(v) AS s FROM TABLE(HOP(TABLE bg, DESCRIPTOR(ts), INTERVAL '30' MINUTE, INTERVAL '2' HOUR)) GROUP BY window_start, window_end, window_time;

-- case: ltz-window-session
-- mode: streaming
-- table: ss (ts TIMESTAMP_LTZ(3), k STRING, v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-10-27 00:50:00Z", "k": "a", "v": 1}
-- row: {"ts": "2024-10-27 01:05:00Z", "k": "a", "v": 2}
-- row: {"ts": "2024-10-27 02:05:00Z", "k": "a", "v": 4}
SET 'table.local-time-zone' = 'Europe/Berlin';
SELECT k, window_start, window_end, window_time, SUM(v) AS s FROM TABLE(SESSION(TABLE ss PARTITION BY k, DESCRIPTOR(ts), INTERVAL '20' MINUTE)) GROUP BY k, window_start, window_end, window_time;

-- case: ltz-window-top-n
-- mode: streaming
-- table: tn (ts TIMESTAMP_LTZ(3), k STRING, v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-10-27 00:50:00Z", "k": "a", "v": 1}
-- row: {"ts": "2024-10-27 01:05:00Z", "k": "b", "v": 2}
-- row: {"ts": "2024-10-27 01:30:00Z", "k": "c", "v": 4}
-- row: {"ts": "2024-10-27 02:05:00Z", "k": "d", "v": 8}
SET 'table.local-time-zone' = 'Europe/Berlin';
SELECT * FROM (SELECT window_start, window_end, k, v, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY v DESC) AS rn FROM TABLE(TUMBLE(TABLE tn, DESCRIPTOR(ts), INTERVAL '1' HOUR))) WHERE rn <= 2;

-- case: ltz-window-proctime-types
-- mode: streaming
-- table: pr (v INT, p AS PROCTIME())
-- row: {"v": 1}
SELECT v, window_start, window_end, window_time FROM TABLE(TUMBLE(TABLE pr, DESCRIPTOR(p), INTERVAL '1' HOUR)) WHERE v < 0;

-- case: ltz-window-proctime-agg-types
-- mode: streaming
-- table: pr2 (v INT, p AS PROCTIME())
-- row: {"v": 1}
SELECT window_start, window_end, window_time, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE pr2, DESCRIPTOR(p), INTERVAL '1' HOUR)) WHERE v < 0 GROUP BY window_start, window_end, window_time;

-- In a zone without DST whose offset is not whole hours (Asia/Kolkata, +05:30), Flink 1.20 flushes
-- buffered rows at whole UTC hours (getNextTriggerWatermark does not shift there), 30 minutes off
-- the windows' ends: the same loss as FLINK-36664 (streaming.sql's slices-tumble-offset-window-*).
-- Here the watermark passes 10:30Z (16:00 local) at 10:40Z before the flush at 11:20Z.
-- case: ltz-window-kolkata-lost
-- mode: streaming
-- table: kk (ts TIMESTAMP_LTZ(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-02-29 10:11:00Z", "v": 1}
-- row: {"ts": "2024-02-29 10:40:00Z", "v": 2}
-- row: {"ts": "2024-02-29 11:20:00Z", "v": 4}
-- row: {"ts": "2024-02-29 12:05:00Z", "v": 8}
SET 'table.local-time-zone' = 'Asia/Kolkata';
SELECT window_start, window_end, window_time, SUM(v) AS s FROM TABLE(TUMBLE(TABLE kk, DESCRIPTOR(ts), INTERVAL '1' HOUR)) GROUP BY window_start, window_end, window_time;

-- Without the row at 10:40Z the flush at 11:05Z comes before the window fired: both agree.
-- case: ltz-window-kolkata-kept
-- mode: streaming
-- table: kk2 (ts TIMESTAMP_LTZ(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-02-29 10:11:00Z", "v": 1}
-- row: {"ts": "2024-02-29 11:05:00Z", "v": 2}
-- row: {"ts": "2024-02-29 12:05:00Z", "v": 8}
SET 'table.local-time-zone' = 'Asia/Kolkata';
SELECT window_start, window_end, window_time, SUM(v) AS s FROM TABLE(TUMBLE(TABLE kk2, DESCRIPTOR(ts), INTERVAL '1' HOUR)) GROUP BY window_start, window_end, window_time;

-- The group window functions over a TIMESTAMP_LTZ time attribute, streaming: as the window TVFs,
-- _START/_END TIMESTAMP(3) of the wall clock, _ROWTIME TIMESTAMP_LTZ(3) (nullable), _PROCTIME
-- TIMESTAMP_LTZ(3) NOT NULL. In batch mode Flink 1.20 fails on them (TableException: Unknown window
-- type encountered); tsstream refuses them at planning, pointing to the window TVF.
-- case: ltz-group-window-tumble
-- mode: streaming
-- table: lg (ts TIMESTAMP_LTZ(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-10-26 23:30:00Z", "v": 1}
-- row: {"ts": "2024-10-27 00:10:00Z", "v": 2}
-- row: {"ts": "2024-10-27 01:10:00Z", "v": 8}
-- row: {"ts": "2024-10-27 02:20:00Z", "v": 32}
SET 'table.local-time-zone' = 'Europe/Berlin';
SELECT TUMBLE_START(ts, INTERVAL '1' HOUR) AS ws, TUMBLE_END(ts, INTERVAL '1' HOUR) AS we, TUMBLE_ROWTIME(ts, INTERVAL '1' HOUR) AS wr, SUM(v) AS s FROM lg GROUP BY TUMBLE(ts, INTERVAL '1' HOUR);

-- A window semi join of two TIMESTAMP_LTZ windows (joined on the wall-clock bounds):
-- case: ltz-window-semi-join
-- mode: streaming
-- table: sl (ts TIMESTAMP_LTZ(3), k STRING, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-10-27 00:10:00Z", "k": "a"}
-- row: {"ts": "2024-10-27 01:10:00Z", "k": "b"}
-- table: sr (ts TIMESTAMP_LTZ(3), k STRING, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-10-27 01:20:00Z", "k": "a"}
-- row: {"ts": "2024-10-27 03:10:00Z", "k": "b"}
SET 'table.local-time-zone' = 'Europe/Berlin';
SELECT L.k, L.window_start, L.window_end FROM (SELECT * FROM TABLE(TUMBLE(TABLE sl, DESCRIPTOR(ts), INTERVAL '1' HOUR))) L WHERE L.k IN (SELECT R.k FROM (SELECT * FROM TABLE(TUMBLE(TABLE sr, DESCRIPTOR(ts), INTERVAL '1' HOUR))) R WHERE L.window_start = R.window_start AND L.window_end = R.window_end);

-- case: ltz-group-window-batch-refused
-- table: lgb (ts TIMESTAMP_LTZ(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-10-26 23:30:00Z", "v": 1}
-- row: {"ts": "2024-10-27 00:10:00Z", "v": 2}
-- row: {"ts": "2024-10-27 01:10:00Z", "v": 8}
-- row: {"ts": "2024-10-27 02:20:00Z", "v": 32}
SET 'table.local-time-zone' = 'Europe/Berlin';
SELECT TUMBLE_START(ts, INTERVAL '1' HOUR) AS ws, TUMBLE_END(ts, INTERVAL '1' HOUR) AS we, TUMBLE_ROWTIME(ts, INTERVAL '1' HOUR) AS wr, SUM(v) AS s FROM lgb GROUP BY TUMBLE(ts, INTERVAL '1' HOUR);

-- case: ltz-group-window-hop
-- mode: streaming
-- table: lgh (ts TIMESTAMP_LTZ(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-10-26 23:30:00Z", "v": 1}
-- row: {"ts": "2024-10-27 00:10:00Z", "v": 2}
-- row: {"ts": "2024-10-27 01:10:00Z", "v": 8}
SET 'table.local-time-zone' = 'Europe/Berlin';
SELECT HOP_START(ts, INTERVAL '30' MINUTE, INTERVAL '1' HOUR) AS ws, HOP_END(ts, INTERVAL '30' MINUTE, INTERVAL '1' HOUR) AS we, HOP_ROWTIME(ts, INTERVAL '30' MINUTE, INTERVAL '1' HOUR) AS wr, SUM(v) AS s FROM lgh GROUP BY HOP(ts, INTERVAL '30' MINUTE, INTERVAL '1' HOUR);

-- case: ltz-group-window-session
-- mode: streaming
-- table: lgs (ts TIMESTAMP_LTZ(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-10-26 23:30:00Z", "v": 1}
-- row: {"ts": "2024-10-27 00:10:00Z", "v": 2}
-- row: {"ts": "2024-10-27 01:10:00Z", "v": 8}
SET 'table.local-time-zone' = 'Europe/Berlin';
SELECT SESSION_START(ts, INTERVAL '50' MINUTE) AS ws, SESSION_END(ts, INTERVAL '50' MINUTE) AS we, SESSION_ROWTIME(ts, INTERVAL '50' MINUTE) AS wr, SUM(v) AS s FROM lgs GROUP BY SESSION(ts, INTERVAL '50' MINUTE);

-- case: ltz-group-window-proctime
-- mode: streaming
-- table: lgp (v INT, p AS PROCTIME())
-- row: {"v": 1}
SELECT TUMBLE_START(p, INTERVAL '1' HOUR) AS ws, TUMBLE_PROCTIME(p, INTERVAL '1' HOUR) AS wp, COUNT(*) AS n FROM lgp WHERE v < 0 GROUP BY TUMBLE(p, INTERVAL '1' HOUR);

-- case: ltz-group-window-batch-plain-refused
-- table: lgb2 (ts TIMESTAMP_LTZ(3), v INT)
-- row: {"ts": "2024-10-26 23:30:00Z", "v": 1}
SELECT TUMBLE_START(ts, INTERVAL '1' HOUR) AS ws, SUM(v) AS s FROM lgb2 GROUP BY TUMBLE(ts, INTERVAL '1' HOUR);

-- case: ltz-group-window-batch-hop-refused
-- table: lgb3 (ts TIMESTAMP_LTZ(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-10-26 23:30:00Z", "v": 1}
SELECT HOP_START(ts, INTERVAL '30' MINUTE, INTERVAL '1' HOUR) AS ws, SUM(v) AS s FROM lgb3 GROUP BY HOP(ts, INTERVAL '30' MINUTE, INTERVAL '1' HOUR);

-- case: ltz-group-window-proctime-start-end
-- mode: streaming
-- table: lgp2 (v INT, p AS PROCTIME())
-- row: {"v": 1}
SELECT TUMBLE_START(p, INTERVAL '1' HOUR) AS ws, TUMBLE_END(p, INTERVAL '1' HOUR) AS we, TUMBLE_PROCTIME(p, INTERVAL '1' HOUR) AS wp, COUNT(*) AS n FROM lgp2 WHERE v < 0 GROUP BY TUMBLE(p, INTERVAL '1' HOUR);
