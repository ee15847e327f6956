-- What the seeded random generator found in session 8, kept as cases.
-- table: gj (id INT, i INT, js STRING)
-- row: {"id": 1, "i": 5, "js": "{\"g\": 7}"}
-- row: {"id": 2, "i": null, "js": "{}"}

-- case: gen-timestamp-cast-lower-precision-toward-zero
-- Flink's generated CAST to a lower precision (DateTimeUtils.truncate) cuts the epoch milliseconds
-- toward zero (Java's long division): before 1970 a value goes up, not down. A nano-of-second with
-- at most as many digits as the precision is kept as it is.
-- table: tn (id INT, t3 TIMESTAMP(3), t6 TIMESTAMP(6), t9 TIMESTAMP(9))
-- row: {"id": 1, "t3": "1969-12-31 23:59:59.993", "t6": "1969-12-31 23:59:59.999993", "t9": "1969-12-31 23:59:59.999999993"}
-- row: {"id": 2, "t3": "1969-12-31 23:59:58.5", "t6": "1969-12-31 23:59:59.000007", "t9": "1969-12-31 23:59:59.010000007"}
-- row: {"id": 3, "t3": "2024-01-01 00:00:00.993", "t6": "2024-01-01 00:00:00.000007", "t9": "2024-01-01 00:00:00.999999993"}
-- row: {"id": 4, "t3": "1900-01-01 00:00:00.017", "t6": "1900-01-01 00:00:00.017003", "t9": "1900-01-01 00:00:00.010000017"}
SELECT id, CAST(t3 AS TIMESTAMP(0)) AS a, CAST(t3 AS TIMESTAMP(1)) AS b, CAST(t3 AS TIMESTAMP(2)) AS c, CAST(t6 AS TIMESTAMP(3)) AS d, CAST(t6 AS TIMESTAMP(4)) AS e, CAST(t6 AS TIMESTAMP(0)) AS f, CAST(t9 AS TIMESTAMP(6)) AS g, CAST(t9 AS TIMESTAMP(3)) AS h, CAST(t9 AS TIMESTAMP(7)) AS i, CAST(CAST(t6 AS TIMESTAMP(4)) AS STRING) AS j FROM tn;

-- case: gen-ltz-cast-lower-precision-toward-zero
SELECT CAST(CAST(TO_TIMESTAMP_LTZ(-7, 3) AS TIMESTAMP(3)) AS TIMESTAMP(0)) AS a, CAST(TO_TIMESTAMP_LTZ(-7, 3) AS TIMESTAMP_LTZ(0)) AS b, CAST(TO_TIMESTAMP_LTZ(-7, 3) AS TIMESTAMP(0)) AS c, CAST(TO_TIMESTAMP_LTZ(-1507, 3) AS TIMESTAMP(1)) AS d, CAST(TO_TIMESTAMP_LTZ(-2208988799983, 3) AS TIMESTAMP_LTZ(1)) AS e;

-- case: gen-ltz-cast-lower-precision-local-sign
-- The cut is of the local wall-clock milliseconds: in New York 1969-12-31 18:59:59.993 goes up,
-- in Kathmandu 1970-01-01 05:29:59.993 goes down.
SET 'table.local-time-zone' = 'America/New_York';
SELECT CAST(TO_TIMESTAMP_LTZ(-7, 3) AS TIMESTAMP(0)) AS a, CAST(CAST(TO_TIMESTAMP_LTZ(-7, 3) AS TIMESTAMP(3)) AS TIMESTAMP(0)) AS b, CAST(TO_TIMESTAMP_LTZ(-7, 3) AS TIMESTAMP_LTZ(0)) AS c;

-- case: gen-ltz-cast-lower-precision-local-sign-east
SET 'table.local-time-zone' = 'Asia/Kathmandu';
SELECT CAST(TO_TIMESTAMP_LTZ(-7, 3) AS TIMESTAMP(0)) AS a, CAST(TO_TIMESTAMP_LTZ(-7, 3) AS TIMESTAMP_LTZ(0)) AS c;

-- case: gen-timestamp-literal-cast-lower-precision-floor
-- A CAST of a literal is made a literal by the planner (Calcite), its text cut: toward the past.
SELECT CAST(TIMESTAMP '1969-12-31 23:59:59.993' AS TIMESTAMP(0)) AS a, CAST(CAST(TIMESTAMP '1969-12-31 23:59:59.999993' AS TIMESTAMP(3)) AS TIMESTAMP(0)) AS b, CAST(TIMESTAMP '1900-01-01 00:00:00.017' AS TIMESTAMP(1)) AS c, CAST(TIMESTAMP '1969-12-31 23:59:59.999999993' AS TIMESTAMP(7)) AS d;

-- case: gen-json-value-unsupported-returning-strict-null
-- Flink 1.20 generates no code for JSON_VALUE … RETURNING BIGINT (or DECIMAL), but its planner
-- first simplifies the expression (Calcite's RexSimplify): where the call is gone, nothing is
-- refused. A strict operator with a NULL operand is NULL.
SELECT id, JSON_VALUE(js, '$.g' RETURNING BIGINT DEFAULT 0 ON ERROR) - (i - CAST(NULL AS INT)) AS a FROM gj;

-- case: gen-json-value-unsupported-returning-case-false-branch
SELECT id, CASE WHEN FALSE THEN JSON_VALUE(js, '$.g' RETURNING BIGINT) ELSE CAST(i AS BIGINT) END AS b, CASE WHEN CAST(NULL AS BOOLEAN) THEN JSON_VALUE(js, '$.g' RETURNING BIGINT) WHEN i > 0 THEN 1 ELSE 2 END AS c FROM gj;

-- case: gen-json-value-unsupported-returning-case-true-branch
SELECT id, CASE WHEN TRUE THEN 1.5 ELSE JSON_VALUE(js, '$.g' RETURNING DECIMAL(10, 2)) END AS f FROM gj;

-- case: gen-json-value-unsupported-returning-coalesce-not-null
SELECT id, COALESCE(CAST(i AS BIGINT), 5, JSON_VALUE(js, '$.g' RETURNING BIGINT)) AS d FROM gj;

-- case: gen-json-value-unsupported-returning-and-false
SELECT id, (JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1 AND FALSE) AS e FROM gj;

-- case: gen-json-value-unsupported-returning-survives
SELECT id, CASE WHEN i > 0 THEN JSON_VALUE(js, '$.g' RETURNING BIGINT) ELSE 0 END AS a FROM gj;

-- case: gen-json-value-unsupported-returning-in-coalesce-after-nullable
SELECT id, COALESCE(CAST(i AS BIGINT), JSON_VALUE(js, '$.g' RETURNING BIGINT)) AS a FROM gj;

-- case: gen-timestampdiff-int-wraps
-- Flink 1.20 computes TIMESTAMPDIFF as a long and casts it to INT (Java's cast wraps).
SELECT TIMESTAMPDIFF(SECOND, TO_TIMESTAMP_LTZ(1710054000, 0), TO_TIMESTAMP_LTZ(-2208988800, 0)) AS a, TIMESTAMPDIFF(SECOND, TIMESTAMP '1900-01-01 00:00:00', TIMESTAMP '2024-03-10 07:00:00') AS b, TIMESTAMPDIFF(SECOND, TIMESTAMP '2000-01-01 00:00:00', TIMESTAMP '2060-01-01 00:00:00') AS d;

-- case: gen-nested-coalesce-date-column-agrees
-- As gen-nested-coalesce-date-minus-month-codegen, with the inner COALESCE reading a column: both agree.
-- table: dts (dt DATE, k INT)
-- row: {"dt": "2024-01-01", "k": 1}
-- row: {"dt": null, "k": null}
SELECT COALESCE(COALESCE(dt, DATE '2024-03-10' - INTERVAL '1' MONTH), dt) AS a, COALESCE(IF(k > 0, CAST(NULL AS DATE), DATE '2024-03-10' - INTERVAL '1' MONTH), dt) AS b FROM dts;

-- case: gen-nested-coalesce-date-plus-day-codegen
-- table: dts (dt DATE, k INT)
-- row: {"dt": "2024-01-01", "k": 1}
SELECT COALESCE(dt, COALESCE(CAST(NULL AS DATE), DATE '2024-03-10' + INTERVAL '1' DAY)) AS a FROM dts;
