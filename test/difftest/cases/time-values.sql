-- TIME values as Flink 1.20 holds them: its planner types every TIME TIME(0), but the value is the
-- milliseconds of the day, kept by TIME literals and CAST (CAST(ts AS TIME(0)) holds 10:11:12.345):
-- comparisons and EXTRACT see them, printing and CAST to STRING show whole seconds. Sinks (their
-- files read back with format 'raw'): the JSON format writes whole seconds, the CSV format the
-- fraction too (10:11:12.345, 00:00:00.1); the JSON and CSV readers keep whole seconds.

-- case: time-value-keeps-millis
-- table: tp (ts TIMESTAMP(3), s STRING)
-- row: {"ts": "2024-01-01 10:11:12.345", "s": "10:11:12.678"}
SELECT CAST(CAST(ts AS TIME(3)) AS STRING) AS a, EXTRACT(MILLISECOND FROM CAST(ts AS TIME(3))) AS b, CAST(ts AS TIME(3)) = TIME '10:11:12' AS c, CAST(s AS TIME(3)) = TIME '10:11:12' AS d, CAST(CAST(s AS TIME(3)) AS STRING) AS e, CAST(ts AS TIME(3)) > TIME '10:11:12' AS f, HOUR(CAST(ts AS TIME(3))) AS g FROM tp;

-- case: time-value-csv-sink
-- table: tp2 (ts TIMESTAMP(3), s STRING)
-- row: {"ts": "2024-01-01 10:11:12.345", "s": "10:11:12.678"}
CREATE TEMPORARY TABLE cs (a TIME(3), b TIME(3), c TIME(3), d TIME(0), e TIME(3), f TIME(3)) WITH ('connector' = 'filesystem', 'path' = 'file://${dir}/cs', 'format' = 'csv');
INSERT INTO cs SELECT CAST(ts AS TIME(3)), CAST(s AS TIME(3)), TIME '10:11:12.999', CAST(ts AS TIME(0)), CAST(ts AS TIME(3)) + INTERVAL '1' SECOND, CAST(CAST(ts AS TIME(3)) AS TIME(3)) FROM tp2;
CREATE TEMPORARY TABLE cr (line STRING) WITH ('connector' = 'filesystem', 'path' = 'file://${dir}/cs', 'format' = 'raw');
SELECT line FROM cr;

-- case: time-value-csv-source-round-trip
-- table: tp3 (x INT)
-- row: {"x": 1}
CREATE TEMPORARY TABLE csrc (t TIME(3)) WITH ('connector' = 'filesystem', 'path' = 'file://${dir}/csrc', 'format' = 'csv');
INSERT INTO csrc SELECT CAST(TIMESTAMP '2024-01-01 10:11:12.345' AS TIME(3)) FROM tp3;
CREATE TEMPORARY TABLE cs2 (t TIME(3)) WITH ('connector' = 'filesystem', 'path' = 'file://${dir}/cs2', 'format' = 'csv');
INSERT INTO cs2 SELECT t FROM csrc;
CREATE TEMPORARY TABLE cr2 (line STRING) WITH ('connector' = 'filesystem', 'path' = 'file://${dir}/cs2', 'format' = 'raw');
SELECT line FROM cr2;

-- case: time-value-csv-source-whole-seconds
-- table: tp4 (x INT)
-- row: {"x": 1}
CREATE TEMPORARY TABLE csrc2 (t TIME(3)) WITH ('connector' = 'filesystem', 'path' = 'file://${dir}/csrc2', 'format' = 'csv');
INSERT INTO csrc2 SELECT CAST(TIMESTAMP '2024-01-01 10:11:12.345' AS TIME(3)) FROM tp4;
SELECT t, CAST(t AS STRING) AS s, EXTRACT(MILLISECOND FROM t) AS ms, t = TIME '10:11:12' AS eq FROM csrc2;

-- case: time-value-json-sink
-- table: tj (t TIME(3), t0 TIME(0), ts TIMESTAMP(3))
-- row: {"t": "10:11:12.123", "t0": "10:11:12", "ts": "2024-01-01 10:11:12.345"}
-- row: {"t": "00:00:00", "t0": "23:59:59", "ts": "2024-01-01 00:00:00.100"}
CREATE TEMPORARY TABLE js (t TIME(3), t0 TIME(0), c TIME(3), c0 TIME(0)) WITH ('connector' = 'filesystem', 'path' = 'file://${dir}/js', 'format' = 'json');
INSERT INTO js SELECT t, t0, CAST(ts AS TIME(3)), CAST(ts AS TIME(0)) FROM tj;
CREATE TEMPORARY TABLE jr (line STRING) WITH ('connector' = 'filesystem', 'path' = 'file://${dir}/js', 'format' = 'raw');
SELECT line FROM jr;
