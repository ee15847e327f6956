-- TIMESTAMP(p) and TIMESTAMP_LTZ(p) with p = 7..9 keep nanoseconds (session time zone UTC).

-- case: nanos-literals
SELECT TIMESTAMP '2024-01-01 00:00:00.123456789' AS a, TIMESTAMP '2024-01-01 00:00:00.1234567' AS b, TIMESTAMP '2024-01-01 00:00:00.12345678' AS c;

-- case: nanos-literal-range
SELECT TIMESTAMP '9999-12-31 23:59:59.999999999' AS a, TIMESTAMP '0001-01-01 00:00:00.000000001' AS b, TIMESTAMP '1969-12-31 23:59:59.999999999' AS c;

-- case: nanos-cast-from-string
SELECT CAST('2024-01-01 00:00:00.123456789' AS TIMESTAMP(9)) AS a, CAST('2024-01-01 00:00:00.123456789' AS TIMESTAMP(7)) AS b, CAST('2024-01-01 00:00:00.123456789' AS TIMESTAMP(6)) AS c, CAST('2024-01-01 00:00:00.123456789' AS TIMESTAMP) AS d, CAST('2024-01-01 00:00:00.5' AS TIMESTAMP(9)) AS e;

-- case: nanos-cast-from-string-too-many-digits
SELECT CAST('2024-01-01 00:00:00.1234567891' AS TIMESTAMP(9)) AS a;

-- case: nanos-cast-to-string
SELECT CAST(TIMESTAMP '2024-01-01 00:00:00.123456789' AS STRING) AS a, CAST(CAST('2024-01-01 00:00:00.1' AS TIMESTAMP(9)) AS STRING) AS b, CAST(TIMESTAMP '2024-01-01 00:00:00.1234567' AS STRING) AS c;

-- case: nanos-cast-between-precisions
SELECT CAST(TIMESTAMP '2024-01-01 00:00:00.123456789' AS TIMESTAMP(6)) AS a, CAST(TIMESTAMP '2024-01-01 00:00:00.123456789' AS TIMESTAMP(3)) AS b, CAST(TIMESTAMP '2024-01-01 00:00:00.999999999' AS TIMESTAMP(0)) AS c, CAST(TIMESTAMP '2024-01-01 00:00:00.123456789' AS TIMESTAMP(8)) AS d;

-- case: nanos-cast-truncates-before-1970
SELECT CAST(TIMESTAMP '1969-12-31 23:59:59.999999999' AS TIMESTAMP(6)) AS a, CAST(TIMESTAMP '1969-12-31 23:59:59.999999999' AS TIMESTAMP(0)) AS b, CAST(TIMESTAMP '1969-12-31 23:59:59.999999999' AS TIMESTAMP(7)) AS c;

-- case: nanos-widen-from-micros
SELECT CAST(TIMESTAMP '2024-01-01 00:00:00.123456' AS TIMESTAMP(9)) AS a, CAST(TIMESTAMP '2024-01-01 00:00:00.123' AS TIMESTAMP(7)) AS b, CAST(CAST('2024-01-01 00:00:00' AS TIMESTAMP(0)) AS TIMESTAMP(9)) AS c;

-- case: nanos-compare
SELECT TIMESTAMP '2024-01-01 00:00:00.123456789' > TIMESTAMP '2024-01-01 00:00:00.123456788' AS a, TIMESTAMP '2024-01-01 00:00:00.123456789' = TIMESTAMP '2024-01-01 00:00:00.123456' AS b, TIMESTAMP '2024-01-01 00:00:00.123000000' = TIMESTAMP '2024-01-01 00:00:00.123' AS c, TIMESTAMP '2024-01-01 00:00:00.123456001' > TIMESTAMP '2024-01-01 00:00:00.123456' AS d;

-- case: nanos-compare-between
SELECT TIMESTAMP '2024-01-01 00:00:00.000000005' BETWEEN TIMESTAMP '2024-01-01 00:00:00.000000001' AND TIMESTAMP '2024-01-01 00:00:00.000000009' AS a, TIMESTAMP '2024-01-01 00:00:00.000000005' IN (TIMESTAMP '2024-01-01 00:00:00.000000005', TIMESTAMP '2024-01-01 00:00:00.000000006') AS b;

-- case: nanos-extract
SELECT EXTRACT(NANOSECOND FROM TIMESTAMP '2024-01-01 00:00:01.123456789') AS a, EXTRACT(MICROSECOND FROM TIMESTAMP '2024-01-01 00:00:01.123456789') AS b, EXTRACT(MILLISECOND FROM TIMESTAMP '2024-01-01 00:00:01.123456789') AS c, EXTRACT(SECOND FROM TIMESTAMP '2024-01-01 00:00:01.123456789') AS d;

-- case: nanos-extract-micros-column
SELECT EXTRACT(NANOSECOND FROM TIMESTAMP '2024-01-01 00:00:01.123456') AS a, EXTRACT(MICROSECOND FROM TIMESTAMP '2024-01-01 00:00:01.123456') AS b, EXTRACT(NANOSECOND FROM TIMESTAMP '2024-01-01 00:00:01.5') AS c;

-- case: nanos-date-format
SELECT DATE_FORMAT(TIMESTAMP '2024-01-01 00:00:01.123456789', 'yyyy-MM-dd HH:mm:ss.SSSSSSSSS') AS a, DATE_FORMAT(TIMESTAMP '2024-01-01 00:00:01.123456789', 'HH:mm:ss.SSS') AS b, DATE_FORMAT(TIMESTAMP '2024-01-01 00:00:01.123456789', 'SSSSSS') AS c;

-- case: nanos-timestampadd
SELECT TIMESTAMPADD(SECOND, 1, TIMESTAMP '2024-01-01 00:00:01.123456789') AS a, TIMESTAMPADD(DAY, 1, TIMESTAMP '2024-01-01 00:00:01.123456789') AS b, TIMESTAMPADD(MONTH, 1, TIMESTAMP '2024-01-31 00:00:01.123456789') AS c;

-- case: nanos-timestampdiff-on-millis
SELECT TIMESTAMPDIFF(SECOND, TIMESTAMP '2024-01-01 00:00:00.999999999', TIMESTAMP '2024-01-01 00:00:01.999999998') AS a, TIMESTAMPDIFF(SECOND, TIMESTAMP '2024-01-01 00:00:00.999999999', TIMESTAMP '2024-01-01 00:00:02.000000000') AS b, TIMESTAMPDIFF(DAY, TIMESTAMP '2024-01-01 00:00:00.000000001', TIMESTAMP '2024-01-02 00:00:00') AS c;

-- case: nanos-timestampdiff-nanosecond
SELECT TIMESTAMPDIFF(NANOSECOND, TIMESTAMP '2024-01-01 00:00:00.000000001', TIMESTAMP '2024-01-01 00:00:00.000000009') AS a, TIMESTAMPDIFF(NANOSECOND, TIMESTAMP '2024-01-01 00:00:00.001', TIMESTAMP '2024-01-01 00:00:00.003') AS b;

-- case: nanos-timestampdiff-microsecond
SELECT TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '2024-01-01 00:00:00.000000001', TIMESTAMP '2024-01-01 00:00:00.000002009') AS a, TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '2024-01-01 00:00:00.001', TIMESTAMP '2024-01-01 00:00:00.003') AS b;

-- case: nanos-plus-interval
SELECT TIMESTAMP '2024-01-01 00:00:01.123456789' + INTERVAL '1' SECOND AS a, TIMESTAMP '2024-01-01 00:00:01.123456789' - INTERVAL '1' MONTH AS b, TIMESTAMP '2024-01-01 00:00:01.123456789' + INTERVAL '0.001' SECOND AS c;

-- case: nanos-ltz-casts
SELECT CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS TIMESTAMP_LTZ(9)) AS a, CAST(CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS TIMESTAMP_LTZ(9)) AS STRING) AS b, CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS TIMESTAMP_LTZ(3)) AS c, CAST(CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS TIMESTAMP_LTZ(9)) AS TIMESTAMP(9)) AS d;

-- case: nanos-ltz-other-zone
SET 'table.local-time-zone' = 'Asia/Kolkata';
SELECT CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS TIMESTAMP_LTZ(9)) AS a, CAST(CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS TIMESTAMP_LTZ(9)) AS STRING) AS b, CAST(CAST('2024-01-01 00:00:01.000000001' AS TIMESTAMP_LTZ(9)) AS TIMESTAMP(9)) AS c;

-- case: nanos-ltz-equals-timestamp
SELECT CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS TIMESTAMP(9)) = CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS TIMESTAMP_LTZ(9)) AS a;

-- case: nanos-to-date-and-time
SELECT CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS DATE) AS a, CAST(TIMESTAMP '2024-01-01 10:00:01.123456789' AS TIME) AS b;

-- case: nanos-floor-ceil
SELECT FLOOR(TIMESTAMP '2024-01-01 00:00:01.123456789' TO SECOND) AS a, CEIL(TIMESTAMP '2024-01-01 00:00:01.123456789' TO SECOND) AS b, FLOOR(TIMESTAMP '2024-01-01 00:00:01.123456789' TO MILLISECOND) AS c, FLOOR(TIMESTAMP '2024-01-01 10:20:01.123456789' TO HOUR) AS d;

-- case: nanos-case-coalesce
SELECT CASE WHEN TRUE THEN CAST(TIMESTAMP '2024-01-01 00:00:01' AS TIMESTAMP(0)) ELSE TIMESTAMP '2024-01-01 00:00:01.123456789' END AS a, COALESCE(CAST(NULL AS TIMESTAMP(9)), TIMESTAMP '2024-01-01 00:00:01.123') AS b, COALESCE(CAST(NULL AS TIMESTAMP(3)), TIMESTAMP '2024-01-01 00:00:01.123456789') AS c;

-- case: nanos-if
SELECT IF(TRUE, TIMESTAMP '2024-01-01 00:00:01.123456789', TIMESTAMP '2024-01-01 00:00:01.123') AS a, IF(FALSE, TIMESTAMP '2024-01-01 00:00:01.123', TIMESTAMP '2024-01-01 00:00:01.123456789') AS b;

-- case: if-timestamp-takes-true-branch-type
SELECT IF(TRUE, CAST(TIMESTAMP '2024-01-01 00:00:01' AS TIMESTAMP(0)), TIMESTAMP '2024-01-01 00:00:01.123') AS a, IF(FALSE, CAST(TIMESTAMP '2024-01-01 00:00:01' AS TIMESTAMP(0)), TIMESTAMP '2024-01-01 00:00:01.123') AS b;

-- case: if-timestamp-ltz-branches
SELECT IF(FALSE, CAST(TIMESTAMP '2024-01-01 00:00:01.5' AS TIMESTAMP_LTZ(3)), TIMESTAMP '2024-01-01 00:00:01.123456') AS a, IF(FALSE, TIMESTAMP '2024-01-01 00:00:01.123456', CAST(TIMESTAMP '2024-01-01 00:00:01.5' AS TIMESTAMP_LTZ(3))) AS b;

-- case: if-strings-and-numbers-common-type
SELECT IF(TRUE, 'ab', 'abcd') AS a, IF(FALSE, 'ab', 'abcd') AS b, IF(FALSE, 1, 2.5) AS c, IF(FALSE, CAST(1 AS INT), CAST(2 AS BIGINT)) AS d;

-- case: nanos-order-by
SELECT ts FROM (VALUES (TIMESTAMP '2024-01-01 00:00:00.000000003'), (TIMESTAMP '2024-01-01 00:00:00.000000001'), (TIMESTAMP '2024-01-01 00:00:00.000000002')) AS t(ts) ORDER BY ts DESC;

-- case: nanos-group-by
SELECT ts, COUNT(*) AS n FROM (VALUES (TIMESTAMP '2024-01-01 00:00:00.000000001'), (TIMESTAMP '2024-01-01 00:00:00.000000001'), (TIMESTAMP '2024-01-01 00:00:00.000000002')) AS t(ts) GROUP BY ts;

-- case: nanos-min-max
SELECT MAX(ts) AS mx, MIN(ts) AS mn, COUNT(DISTINCT ts) AS n FROM (VALUES (TIMESTAMP '2024-01-01 00:00:00.000000003'), (TIMESTAMP '2024-01-01 00:00:00.000000001'), (TIMESTAMP '2024-01-01 00:00:00.000000001')) AS t(ts);

-- case: nanos-unix-timestamp-and-to-timestamp
SELECT UNIX_TIMESTAMP(CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS STRING)) AS a, TO_TIMESTAMP('2024-01-01 00:00:01.123456789') AS b, TO_TIMESTAMP('2024-01-01 00:00:01.123456789', 'yyyy-MM-dd HH:mm:ss.SSSSSSSSS') AS c;

-- case: nanos-watermark-rejected
-- mode: streaming
CREATE TABLE w (ts TIMESTAMP(9), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen', 'number-of-rows' = '1');
SELECT * FROM w;

-- case: nanos-json-input
-- table: jt (id INT, ts TIMESTAMP(9), ts7 TIMESTAMP(7), ltz TIMESTAMP_LTZ(9))
-- row: {"id": 1, "ts": "2024-02-29 10:11:12.123456789", "ts7": "2024-02-29 10:11:12.1234567", "ltz": "2024-02-29 10:11:12.123456789Z"}
-- row: {"id": 2, "ts": "2024-02-29 10:11:12.000000001", "ts7": "2024-02-29 10:11:12", "ltz": "2024-02-29 10:11:12.5Z"}
-- row: {"id": 3, "ts": null, "ts7": null, "ltz": null}
SELECT id, ts, ts7, ltz, CAST(ts AS STRING) AS s FROM jt;

-- case: nanos-json-input-iso-t-rejected
-- table: jx (ts TIMESTAMP(9))
-- row: {"ts": "2024-02-29T10:11:12.000000001"}
SELECT * FROM jx;

-- case: nanos-json-input-group-order
-- table: jg (ts TIMESTAMP(9), v INT)
-- row: {"ts": "2024-02-29 10:11:12.000000002", "v": 1}
-- row: {"ts": "2024-02-29 10:11:12.000000001", "v": 2}
-- row: {"ts": "2024-02-29 10:11:12.000000002", "v": 3}
SELECT ts, SUM(v) AS s FROM jg GROUP BY ts ORDER BY ts;

-- case: nanos-json-input-filter
-- table: jf (ts TIMESTAMP(9))
-- row: {"ts": "2024-02-29 10:11:12.000000002"}
-- row: {"ts": "2024-02-29 10:11:12.000000001"}
SELECT ts FROM jf WHERE ts > TIMESTAMP '2024-02-29 10:11:12.000000001';

-- case: nanos-time-is-time-0
SELECT TIME '10:11:12.123456789' AS a, CAST('10:11:12.123456789' AS TIME(9)) AS b, CAST(TIME '10:11:12.123456789' AS STRING) AS c, CAST(TIMESTAMP '2024-01-01 10:00:01.123456789' AS TIME(9)) AS d;

-- case: nanos-time-compare-and-add
SELECT TIME '23:59:59.999999999' AS a, TIME '10:00:00.123456789' + INTERVAL '1' SECOND AS b, TIME '10:00:00.123456789' < TIME '10:00:00.123456788' AS c;

-- case: nanos-timestampdiff-units
SELECT TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:05') AS a, TIMESTAMPDIFF(NANOSECOND, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:05.5') AS b, TIMESTAMPDIFF(SECOND, TIMESTAMP '2024-01-01 00:00:00.9', TIMESTAMP '2024-01-01 00:00:01.8') AS c, TIMESTAMPDIFF(SECOND, TIMESTAMP '2024-01-01 00:00:00.999999', TIMESTAMP '2024-01-01 00:00:01.999998') AS d;

-- case: nanos-extract-subsecond-units
SELECT EXTRACT(MILLISECOND FROM TIMESTAMP '2024-01-01 00:00:01.123') AS a, EXTRACT(MICROSECOND FROM TIMESTAMP '2024-01-01 00:01:01.123') AS b, EXTRACT(NANOSECOND FROM CAST(TIMESTAMP '2024-01-01 00:00:01.123' AS TIMESTAMP_LTZ(3))) AS c, EXTRACT(MILLISECOND FROM TIME '10:00:01') AS d;

-- case: nanos-minus-interval-before-1970
SELECT ts - INTERVAL '1' SECOND AS a, ts + INTERVAL '1 02:03:04.005' DAY TO SECOND AS b, TIMESTAMPADD(HOUR, -1, ts) AS c FROM (VALUES (TIMESTAMP '1969-12-31 23:59:59.999999999')) AS t(ts);

-- case: nanos-ceil-exact
SELECT CEIL(TIMESTAMP '2024-01-01 00:00:01.000000001' TO SECOND) AS a, CEIL(TIMESTAMP '2024-01-01 00:00:01.000000000' TO SECOND) AS b, CEIL(TIMESTAMP '2024-01-01 00:00:01.000000001' TO MILLISECOND) AS c;

-- case: nanos-ceil-from-millis
SELECT CEIL(TIMESTAMP '2024-01-01 00:00:01.000001' TO SECOND) AS a, CEIL(TIMESTAMP '2024-01-01 00:00:01.0001' TO MILLISECOND) AS b, CEIL(TIMESTAMP '2024-01-01 00:00:01.001' TO SECOND) AS c, CEIL(TIMESTAMP '2024-01-01 00:00:01.000000001' TO MINUTE) AS d, CEIL(TIMESTAMP '2024-01-01 00:00:00.000000001' TO DAY) AS e;

-- case: nanos-string-functions
SELECT CONCAT('x', CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS STRING)) AS a, CAST(TIMESTAMP '2024-01-01 00:00:01.123456789' AS CHAR(40)) AS b;

-- case: nanos-greatest-least
SELECT GREATEST(TIMESTAMP '2024-01-01 00:00:01.123456789', TIMESTAMP '2024-01-01 00:00:01.123') AS a, LEAST(TIMESTAMP '2024-01-01 00:00:01.123456789', TIMESTAMP '2024-01-01 00:00:01.124') AS b;

-- case: nanos-hour-second-year
SELECT `HOUR`(TIMESTAMP '2024-01-01 10:00:01.123456789') AS a, `SECOND`(TIMESTAMP '2024-01-01 10:00:01.123456789') AS b, `YEAR`(TIMESTAMP '2024-02-01 10:00:01.123456789') AS d;

-- case: nanos-json-object
SELECT JSON_OBJECT('t' VALUE TIMESTAMP '2024-01-01 00:00:01.123456789') AS a, JSON_OBJECT('t' VALUE TIMESTAMP '2024-01-01 00:00:01.120000000') AS b, JSON_OBJECT('t' VALUE TIMESTAMP '2024-01-01 00:00:01.120') AS c, JSON_OBJECT('t' VALUE TIMESTAMP '2024-01-01 00:00:00') AS d, JSON_OBJECT('t' VALUE CAST(TIMESTAMP '2024-01-01 00:00:00.5' AS TIMESTAMP_LTZ(9))) AS e, JSON_ARRAY(TIMESTAMP '2024-01-01 00:00:01.000000100') AS f;

-- case: nanos-batch-tumble-window
-- table: jw (ts TIMESTAMP(9), v INT)
-- row: {"ts": "2024-02-29 10:11:12.000000002", "v": 1}
-- row: {"ts": "2024-02-29 10:11:14.999999999", "v": 2}
-- row: {"ts": "2024-02-29 10:11:15.000000001", "v": 3}
SELECT window_start, window_end, window_time, SUM(v) AS s FROM TABLE(TUMBLE(TABLE jw, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, window_time;

-- case: nanos-batch-tumble-window-rows
-- table: jw2 (ts TIMESTAMP(9), v INT)
-- row: {"ts": "2024-02-29 10:11:14.999999999", "v": 2}
SELECT ts, window_start, window_end, window_time FROM TABLE(TUMBLE(TABLE jw2, DESCRIPTOR(ts), INTERVAL '5' SECOND));

-- Window TVFs in batch mode over plain TIMESTAMP(p)/TIMESTAMP_LTZ(p) columns of every precision:
-- windows by the value to the millisecond, window_start/window_end TIMESTAMP(3), window_time typed
-- as the column (window_end − 1 ms, its digits printed beyond a precision below 3 as Flink does).

-- case: nanos-batch-window-p0
-- table: p0 (ts TIMESTAMP(0), v INT)
-- row: {"ts": "2024-02-29 10:11:14", "v": 2}
-- row: {"ts": "2024-02-29 10:11:15", "v": 3}
SELECT ts, window_start, window_end, window_time, CAST(window_time AS STRING) AS wts, window_time = ts AS eq FROM TABLE(TUMBLE(TABLE p0, DESCRIPTOR(ts), INTERVAL '5' SECOND));

-- case: nanos-batch-window-p0-agg
-- table: p0a (ts TIMESTAMP(0), v INT)
-- row: {"ts": "2024-02-29 10:11:14", "v": 2}
-- row: {"ts": "2024-02-29 10:11:15", "v": 3}
SELECT window_start, window_end, window_time, CAST(window_time AS STRING) AS wts, SUM(v) AS s FROM TABLE(TUMBLE(TABLE p0a, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, window_time;

-- case: nanos-batch-window-p6
-- table: p6 (ts TIMESTAMP(6), v INT)
-- row: {"ts": "2024-02-29 10:11:14.999999", "v": 2}
SELECT ts, window_start, window_end, window_time, CAST(window_time AS STRING) AS wts FROM TABLE(TUMBLE(TABLE p6, DESCRIPTOR(ts), INTERVAL '5' SECOND));

-- case: nanos-batch-window-p9
-- table: p9 (ts TIMESTAMP(9), v INT)
-- row: {"ts": "2024-02-29 10:11:14.999999999", "v": 2}
SELECT ts, window_start, window_end, window_time, CAST(window_time AS STRING) AS wts FROM TABLE(TUMBLE(TABLE p9, DESCRIPTOR(ts), INTERVAL '5' SECOND));

-- case: nanos-batch-window-p2-hop
-- table: p2 (ts TIMESTAMP(2), v INT)
-- row: {"ts": "2024-02-29 10:11:14.99", "v": 2}
SELECT ts, window_start, window_end, window_time, CAST(window_time AS STRING) AS wts FROM TABLE(HOP(TABLE p2, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND));

-- case: nanos-batch-window-ltz9
-- table: l9 (ts TIMESTAMP_LTZ(9), v INT)
-- row: {"ts": "2024-02-29 10:11:14.999999999Z", "v": 2}
SELECT ts, window_start, window_end, window_time, CAST(window_time AS STRING) AS wts FROM TABLE(CUMULATE(TABLE l9, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND));

-- case: nanos-batch-window-ltz0
-- table: l0 (ts TIMESTAMP_LTZ(0), v INT)
-- row: {"ts": "2024-02-29 10:11:14Z", "v": 2}
SELECT ts, window_start, window_end, window_time, CAST(window_time AS STRING) AS wts FROM TABLE(TUMBLE(TABLE l0, DESCRIPTOR(ts), INTERVAL '5' SECOND));

-- case: nanos-batch-window-ltz3-tz
-- table: l3 (ts TIMESTAMP_LTZ(3), v INT)
-- row: {"ts": "2024-02-29 10:11:14.999Z", "v": 2}
SET 'table.local-time-zone' = 'Asia/Kolkata';
SELECT ts, window_start, window_end, window_time FROM TABLE(TUMBLE(TABLE l3, DESCRIPTOR(ts), INTERVAL '1' HOUR));

-- case: nanos-batch-window-ltz9-tz-agg
-- table: l9t (ts TIMESTAMP_LTZ(9), v INT)
-- row: {"ts": "2024-02-29 10:11:14.999999999Z", "v": 2}
-- row: {"ts": "2024-02-29 10:31:14.999999999Z", "v": 3}
SET 'table.local-time-zone' = 'Asia/Kolkata';
SELECT window_start, window_end, window_time, SUM(v) AS s FROM TABLE(TUMBLE(TABLE l9t, DESCRIPTOR(ts), INTERVAL '1' HOUR)) GROUP BY window_start, window_end, window_time;

-- case: nanos-batch-window-topn9
-- table: t9 (ts TIMESTAMP(9), k STRING, v INT)
-- row: {"ts": "2024-02-29 10:11:14.999999999", "k": "a", "v": 2}
-- row: {"ts": "2024-02-29 10:11:13.999999999", "k": "b", "v": 3}
-- row: {"ts": "2024-02-29 10:11:16.999999999", "k": "b", "v": 3}
SELECT * FROM (SELECT window_start, window_end, k, v, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY v DESC) AS rn FROM TABLE(TUMBLE(TABLE t9, DESCRIPTOR(ts), INTERVAL '5' SECOND))) WHERE rn <= 1;

-- case: nanos-batch-window-topn9-agg
-- table: t9b (ts TIMESTAMP(9), k STRING, v INT)
-- row: {"ts": "2024-02-29 10:11:14.999999999", "k": "a", "v": 2}
-- row: {"ts": "2024-02-29 10:11:13.999999999", "k": "b", "v": 3}
-- row: {"ts": "2024-02-29 10:11:16.999999999", "k": "b", "v": 3}
SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY s DESC) AS rn FROM (SELECT window_start, window_end, window_time, k, SUM(v) AS s FROM TABLE(TUMBLE(TABLE t9b, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, window_time, k)) WHERE rn <= 1;

-- case: nanos-batch-window-join9
-- table: ja (ts TIMESTAMP(9), k STRING)
-- row: {"ts": "2024-02-29 10:11:14.999999999", "k": "a"}
-- table: jb (ts TIMESTAMP(0), k STRING)
-- row: {"ts": "2024-02-29 10:11:14", "k": "a"}
SELECT L.k, L.window_start, L.window_end, L.window_time, R.window_time AS rt FROM (SELECT * FROM TABLE(TUMBLE(TABLE ja, DESCRIPTOR(ts), INTERVAL '5' SECOND))) L JOIN (SELECT * FROM TABLE(TUMBLE(TABLE jb, DESCRIPTOR(ts), INTERVAL '5' SECOND))) R ON L.k = R.k AND L.window_start = R.window_start AND L.window_end = R.window_end;

-- case: nanos-batch-window-offset6
-- table: o6 (ts TIMESTAMP(6), v INT)
-- row: {"ts": "2024-02-29 10:11:14.999999", "v": 2}
-- row: {"ts": "2024-02-29 10:11:15.000001", "v": 2}
SELECT ts, window_start, window_end FROM TABLE(TUMBLE(TABLE o6, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '1' SECOND));

-- case: nanos-batch-window-null9
-- table: n9 (ts TIMESTAMP(9), v INT)
-- row: {"ts": null, "v": 2}
-- row: {"ts": "1969-12-31 23:59:59.999999999", "v": 2}
SELECT ts, window_start, window_end, window_time FROM TABLE(TUMBLE(TABLE n9, DESCRIPTOR(ts), INTERVAL '5' SECOND));

-- case: nanos-batch-window-dedup9
-- table: d9 (ts TIMESTAMP(9), k STRING, v INT)
-- row: {"ts": "2024-02-29 10:11:14.999999999", "k": "a", "v": 2}
-- row: {"ts": "2024-02-29 10:11:13.999999999", "k": "a", "v": 3}
SELECT * FROM (SELECT window_start, window_end, k, v, ts, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, k ORDER BY ts ASC) AS rn FROM TABLE(TUMBLE(TABLE d9, DESCRIPTOR(ts), INTERVAL '5' SECOND))) WHERE rn = 1;

-- case: nanos-batch-window-cascade
-- table: c9 (ts TIMESTAMP(9), v INT)
-- row: {"ts": "2024-02-29 10:11:14.999999999", "v": 2}
-- row: {"ts": "2024-02-29 10:11:19.999999999", "v": 3}
CREATE TEMPORARY VIEW c9w AS SELECT window_time AS t, SUM(v) AS s FROM TABLE(TUMBLE(TABLE c9, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, window_time;
SELECT window_start, window_end, window_time, SUM(s) AS s2 FROM TABLE(TUMBLE(TABLE c9w, DESCRIPTOR(t), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, window_time;

-- case: nanos-batch-window-every-precision
-- table: pall (t0 TIMESTAMP(0), t1 TIMESTAMP(1), t2 TIMESTAMP(2), t4 TIMESTAMP(4), t5 TIMESTAMP(5), t7 TIMESTAMP(7), t8 TIMESTAMP(8), l6 TIMESTAMP_LTZ(6))
-- row: {"t0": "2024-02-29 10:11:14", "t1": "2024-02-29 10:11:14.9", "t2": "2024-02-29 10:11:14.99", "t4": "2024-02-29 10:11:14.9999", "t5": "2024-02-29 10:11:15.00001", "t7": "2024-02-29 10:11:14.9999999", "t8": "2024-02-29 10:11:15.00000001", "l6": "2024-02-29 10:11:14.999999Z"}
SELECT 't0' AS c, window_start, window_end, CAST(window_time AS STRING) AS wt FROM TABLE(TUMBLE(TABLE pall, DESCRIPTOR(t0), INTERVAL '5' SECOND))
UNION ALL SELECT 't1', window_start, window_end, CAST(window_time AS STRING) FROM TABLE(TUMBLE(TABLE pall, DESCRIPTOR(t1), INTERVAL '5' SECOND))
UNION ALL SELECT 't2', window_start, window_end, CAST(window_time AS STRING) FROM TABLE(TUMBLE(TABLE pall, DESCRIPTOR(t2), INTERVAL '5' SECOND))
UNION ALL SELECT 't4', window_start, window_end, CAST(window_time AS STRING) FROM TABLE(TUMBLE(TABLE pall, DESCRIPTOR(t4), INTERVAL '5' SECOND))
UNION ALL SELECT 't5', window_start, window_end, CAST(window_time AS STRING) FROM TABLE(TUMBLE(TABLE pall, DESCRIPTOR(t5), INTERVAL '5' SECOND))
UNION ALL SELECT 't7', window_start, window_end, CAST(window_time AS STRING) FROM TABLE(TUMBLE(TABLE pall, DESCRIPTOR(t7), INTERVAL '5' SECOND))
UNION ALL SELECT 't8', window_start, window_end, CAST(window_time AS STRING) FROM TABLE(TUMBLE(TABLE pall, DESCRIPTOR(t8), INTERVAL '5' SECOND))
UNION ALL SELECT 'l6', window_start, window_end, CAST(window_time AS STRING) FROM TABLE(TUMBLE(TABLE pall, DESCRIPTOR(l6), INTERVAL '5' SECOND));

-- case: nanos-batch-window-types
-- table: ptypes (t1 TIMESTAMP(1), t5 TIMESTAMP(5), t8 TIMESTAMP(8), l0 TIMESTAMP_LTZ(0), v INT)
-- row: {"t1": "2024-02-29 10:11:14.9", "t5": "2024-02-29 10:11:15.00001", "t8": "2024-02-29 10:11:15.00000001", "l0": "2024-02-29 10:11:14Z", "v": 1}
SELECT a.window_time AS w1, b.window_time AS w5, c.window_time AS w8, d.window_time AS wl0 FROM TABLE(TUMBLE(TABLE ptypes, DESCRIPTOR(t1), INTERVAL '5' SECOND)) a, TABLE(TUMBLE(TABLE ptypes, DESCRIPTOR(t5), INTERVAL '5' SECOND)) b, TABLE(TUMBLE(TABLE ptypes, DESCRIPTOR(t8), INTERVAL '5' SECOND)) c, TABLE(TUMBLE(TABLE ptypes, DESCRIPTOR(l0), INTERVAL '5' SECOND)) d;

-- case: nanos-streaming-window-plain-timestamp-9-refused
-- mode: streaming
-- table: st9 (ts TIMESTAMP(9), v INT)
-- row: {"ts": "2024-02-29 10:11:14.999999999", "v": 2}
SELECT ts, window_start FROM TABLE(TUMBLE(TABLE st9, DESCRIPTOR(ts), INTERVAL '5' SECOND));

-- case: nanos-batch-window-session-refused
-- table: s9 (ts TIMESTAMP(9), v INT)
-- row: {"ts": "2024-02-29 10:11:14.999999999", "v": 2}
SELECT window_start, window_end, SUM(v) AS s FROM TABLE(SESSION(TABLE s9, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY window_start, window_end;
-- case: nanos-batch-window-session3
-- table: s3 (ts TIMESTAMP(3), v INT)
-- row: {"ts": "2024-02-29 10:11:14.999", "v": 2}
SELECT window_start, window_end, SUM(v) AS s FROM TABLE(SESSION(TABLE s3, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY window_start, window_end;

-- case: nanos-batch-window-session3-rows
-- table: s3r (ts TIMESTAMP(3), v INT)
-- row: {"ts": "2024-02-29 10:11:14.999", "v": 2}
SELECT ts, window_start, window_end FROM TABLE(SESSION(TABLE s3r, DESCRIPTOR(ts), INTERVAL '1' SECOND));

-- case: nanos-batch-window-session3-rowtime
-- table: s3w (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-02-29 10:11:14.999", "v": 2}
SELECT window_start, window_end, SUM(v) AS s FROM TABLE(SESSION(TABLE s3w, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY window_start, window_end;

-- case: nanos-batch-window-ltz3-rowtime-batch
-- table: lw (ts TIMESTAMP_LTZ(3), v INT, WATERMARK FOR ts AS ts)
-- row: {"ts": "2024-02-29 10:11:14.999Z", "v": 2}
SET 'table.local-time-zone' = 'Asia/Kolkata';
SELECT ts, window_start, window_end, window_time FROM TABLE(TUMBLE(TABLE lw, DESCRIPTOR(ts), INTERVAL '1' HOUR));

-- case: nanos-window-aggregate-of-timestamp-9
-- mode: streaming
-- table: jwa (id INT, ts TIMESTAMP(3), t9 TIMESTAMP(9), WATERMARK FOR ts AS ts)
-- row: {"id": 1, "ts": "2024-01-01 00:00:01.000", "t9": "2024-01-01 00:00:01.000000002"}
-- row: {"id": 2, "ts": "2024-01-01 00:00:02.000", "t9": "2024-01-01 00:00:01.000000001"}
-- row: {"id": 3, "ts": "2024-01-01 00:00:07.000", "t9": "2024-01-01 00:00:01.000000003"}
SELECT window_start, MAX(t9) AS mx, MIN(t9) AS mn, COUNT(DISTINCT t9) AS n FROM TABLE(TUMBLE(TABLE jwa, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end;

-- case: nanos-streaming-group-by
-- mode: streaming
-- table: jsg (k STRING, t9 TIMESTAMP(9))
-- row: {"k": "a", "t9": "2024-01-01 00:00:01.000000002"}
-- row: {"k": "a", "t9": "2024-01-01 00:00:01.000000001"}
-- row: {"k": "b", "t9": "2024-01-01 00:00:01.000000003"}
SELECT k, MAX(t9) AS mx, MIN(t9) AS mn FROM jsg GROUP BY k;

-- case: nanos-cast-to-micros-keeps-short-nano-of-second
-- Flink 1.20's CAST of a TIMESTAMP(9) to a precision p ≤ 6 (DateTimeUtils.truncate) keeps the value
-- as it is when its nano-of-second, written as a number, has at most p digits: 00:00:00.000000123
-- (123) stays 00:00:00.000000123 in a TIMESTAMP(6), (5) and (4) (and in TIMESTAMP_LTZ(6)); a TIMESTAMP(3)
-- or lower keeps it only until the row is serialized (its compact form holds milliseconds), so the
-- column prints .000 while CAST(… AS STRING) in the same projection shows the nanoseconds. Listed in
-- expected-differences.txt: tsstream cuts to the declared precision (00:00:00.000000).
-- table: tn9 (id INT, t9 TIMESTAMP(9))
-- row: {"id": 1, "t9": "2024-01-01 00:00:00.000000123"}
-- row: {"id": 2, "t9": "2024-01-01 00:00:00.000123456"}
-- row: {"id": 3, "t9": "2024-01-01 00:00:00.000012345"}
-- row: {"id": 4, "t9": "1969-12-31 23:59:59.000000123"}
-- row: {"id": 5, "t9": "2024-01-01 00:00:00.000000012"}
-- row: {"id": 6, "t9": "2024-01-01 00:00:00.001000012"}
SELECT id, CAST(t9 AS TIMESTAMP(6)) AS a, CAST(t9 AS TIMESTAMP(5)) AS b, CAST(t9 AS TIMESTAMP(4)) AS c, CAST(t9 AS TIMESTAMP(3)) AS d, CAST(CAST(t9 AS TIMESTAMP(3)) AS STRING) AS e, CAST(t9 AS TIMESTAMP_LTZ(6)) AS f, EXTRACT(NANOSECOND FROM CAST(t9 AS TIMESTAMP(6))) AS g FROM tn9;

-- case: nanos-cast-to-micros-long-nano-of-second
-- A nano-of-second of more than p digits is cut to p digits in both (and TIME(0) is whole seconds).
-- table: tn9 (id INT, t9 TIMESTAMP(9))
-- row: {"id": 1, "t9": "2024-01-01 00:00:00.001000012"}
-- row: {"id": 2, "t9": "2024-01-01 10:11:12.123456789"}
-- row: {"id": 3, "t9": "1969-12-31 23:59:59.999999999"}
SELECT id, CAST(t9 AS TIMESTAMP(6)) AS a, CAST(t9 AS TIMESTAMP(5)) AS b, CAST(t9 AS TIMESTAMP(3)) AS d, CAST(CAST(t9 AS TIMESTAMP(6)) AS STRING) AS e, CAST(t9 AS TIMESTAMP_LTZ(6)) AS f, CAST(t9 AS TIME(0)) AS g FROM tn9;
