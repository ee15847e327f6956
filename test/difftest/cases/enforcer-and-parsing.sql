-- Flink 1.20 behaviours matched in session 3 (issue 13): the sink NOT NULL enforcer, division
-- by a constant zero, '%'/MOD on exact numerics only, and CAST/TO_TIMESTAMP's strict timestamp text.
-- table: d (x DOUBLE, i INT, f FLOAT, dc DECIMAL(10, 2))
-- row: {"x": 1.5, "i": 0, "f": 0.0, "dc": 0}
-- row: {"x": -2.0, "i": 0, "f": 0.0, "dc": 0}

-- case: not-null-enforcer-drop
-- vitest
SET 'table.exec.sink.not-null-enforcer' = 'DROP';
SELECT CAST(12345.678 AS DECIMAL(5, 2)) AS v;

-- case: not-null-enforcer-insert-error
CREATE TEMPORARY TABLE s (a INT NOT NULL, b STRING) WITH ('connector' = 'blackhole');
INSERT INTO s SELECT CAST(NULL AS INT), 'x';

-- case: not-null-enforcer-insert-ok
CREATE TEMPORARY TABLE s (a INT NOT NULL, b STRING) WITH ('connector' = 'blackhole');
INSERT INTO s SELECT 1, CAST(NULL AS STRING);

-- case: not-null-enforcer-drop-some
SET 'table.exec.sink.not-null-enforcer' = 'DROP';
SELECT x, LPAD('ab', CAST(x AS INT) + 2, '') AS p FROM d;

-- case: division-by-constant-zero-decimal
SELECT 1.0E0 / 0.0 AS v;

-- case: division-by-constant-zero-double
SELECT 1.0E0 / 0.0E0 AS v;

-- case: division-double-by-zero-column
-- vitest
SELECT x / i AS a, x / CAST(0 AS DOUBLE) AS b, x / f AS c, x / dc AS e FROM d;

-- case: division-decimal-by-zero-column
SELECT dc / 0 AS v FROM d;

-- case: mod-double-refused
SELECT MOD(x, 2) AS v FROM d;

-- case: percent-double-refused
SELECT 5.5E0 % 2 AS v;

-- case: cast-timestamp-text-no-seconds
SELECT CAST('2024-02-29 10:00' AS TIMESTAMP) AS v;

-- case: cast-timestamp-text-spaces
SELECT CAST(' 2024-02-29 10:00:00 ' AS TIMESTAMP) AS v;

-- case: cast-timestamp-text-short-fields
SELECT CAST('2024-2-9 1:02:03.5' AS TIMESTAMP(3)) AS v;

-- case: cast-timestamp-text-date-only
SELECT CAST('2024-02-29' AS TIMESTAMP) AS v;

-- case: cast-timestamp-ltz-text-zone
SELECT CAST('2024-02-29 10:00:00Z' AS TIMESTAMP_LTZ(3)) AS v;

-- case: cast-timestamp-ltz-text-iso-t
SELECT CAST('2024-02-29T13:45:01' AS TIMESTAMP_LTZ(3)) AS v;

-- case: cast-timestamp-column-iso-t
SELECT CAST(s AS TIMESTAMP(3)) AS v FROM (VALUES ('2024-02-29T13:45:01.123')) AS t(s);

-- case: to-timestamp-iso-t-null
-- vitest
SELECT TO_TIMESTAMP('2024-02-29T13:45:01') AS a, TO_TIMESTAMP('2024-02-29') AS b, TO_TIMESTAMP('2024-02-29 10:00') AS c;
