-- What the seeded random generator found in session 10 (seeds 8, 9, 10), kept as cases.
-- table: gb (id INT, ts TIMESTAMP(3), l TIMESTAMP_LTZ(3), x INT, q DECIMAL(4, 3), n DECIMAL(20, 4), s STRING, js STRING)
-- row: {"id": 1, "ts": "1969-12-31 21:00:00", "l": "1970-01-01 00:00:00Z", "x": 1, "q": 0.001, "n": 1.0001, "s": "abc", "js": "{\"a\": true}"}
-- row: {"id": 2, "ts": "1969-06-30 10:00:00", "l": "1900-01-01 00:00:00Z", "x": null, "q": 1.999, "n": null, "s": null, "js": "{}"}
-- row: {"id": 3, "ts": "1969-12-31 00:00:00", "l": "1969-12-31 23:59:59.999Z", "x": 0, "q": null, "n": 0.0001, "s": "", "js": "x"}
-- row: {"id": 4, "ts": "1899-12-31 23:59:59.999", "l": "2024-03-10 06:59:59.999Z", "x": 5, "q": 0.005, "n": -2.5, "s": "b", "js": "{\"a\": false}"}
-- row: {"id": 5, "ts": "1969-03-31 12:00:00", "l": "1969-07-20 20:17:40Z", "x": 2, "q": 0.001, "n": 3, "s": "a", "js": "{\"a\": null}"}
-- row: {"id": 6, "ts": "2024-01-31 10:00:00", "l": "2024-01-31 10:00:00Z", "x": 3, "q": 0.001, "n": 3, "s": "a", "js": null}

-- case: gen-floor-timestamp-before-1970-to-month
-- Flink 1.20 floors (and ceils) a TIMESTAMP before 1970 that is not at midnight TO MONTH, QUARTER or
-- YEAR from the next day: its day number is the epoch milliseconds divided by a day's, cut toward
-- zero (DateTimeUtils), so FLOOR(1969-12-31 21:00 TO YEAR) is 1970-01-01, later than the value (a
-- Flink bug: FLOOR rounds down); CEIL(1969-06-30 10:00 TO QUARTER) is 1969-10-01. TO WEEK, DAY,
-- HOUR, MINUTE and from 1970 on both agree (gen-floor-timestamp-before-1970-small-units-agree).
SELECT id, FLOOR(ts TO YEAR) AS y, FLOOR(ts TO QUARTER) AS q, FLOOR(ts TO MONTH) AS mo, CEIL(ts TO QUARTER) AS cq FROM gb;

-- case: gen-floor-timestamp-before-1970-small-units-agree
SELECT id, FLOOR(ts TO WEEK) AS w, FLOOR(ts TO DAY) AS d, FLOOR(ts TO HOUR) AS h, FLOOR(ts TO MINUTE) AS mi, CEIL(ts TO YEAR) AS cy, CEIL(ts TO MONTH) AS cmo, CEIL(ts TO DAY) AS cd, FLOOR(GREATEST(ts, TIMESTAMP '1970-01-01 00:00:00') TO YEAR) AS gy FROM gb;

-- case: gen-floor-ltz-before-1970-to-month
-- As gen-floor-timestamp-before-1970-to-month for a TIMESTAMP_LTZ in the session zone (1970-01-01T00:00Z
-- is 1969-12-31 21:00 in São Paulo; FLOOR TO YEAR gives 1970-01-01 there). HOUR and DAY agree.
SET 'table.local-time-zone' = 'America/Sao_Paulo';
SELECT id, FLOOR(l TO HOUR) AS h, FLOOR(l TO DAY) AS d, FLOOR(l TO MONTH) AS mo, FLOOR(l TO YEAR) AS y FROM gb;

-- case: gen-floor-ltz-to-minute-codegen
-- Flink 1.20 fails to compile FLOOR or CEIL of a TIMESTAMP_LTZ TO MINUTE or SECOND (CompileException:
-- no SqlFunctionUtils.floor(TimestampData, TimestampData)), a Flink bug; tsstream floors.
SELECT id, FLOOR(l TO MINUTE) AS a FROM gb;

-- case: gen-ceil-ltz-to-second-codegen
SELECT id, CEIL(l TO SECOND) AS a FROM gb;

-- case: gen-coalesce-decimal-literal-cast-dropped
-- Flink 1.20 drops a CAST of a constant to a DECIMAL of a smaller scale when the result is cast again
-- to a wider DECIMAL (COALESCE, CASE or an explicit CAST): COALESCE(CAST(0.001 AS DECIMAL(5, 2)), n)
-- is 0.0010 (DECIMAL(20, 4)) where CAST(0.001 AS DECIMAL(5, 2)) alone is 0.00, and CAST(1.25 AS
-- DECIMAL(3, 1)) widened is 1.2500, not 1.3000 (a Flink bug: the value a CAST gives depends on what
-- reads it); of a column the cast rounds (gen-coalesce-decimal-column-cast-agrees). tsstream rounds.
SELECT id, COALESCE(CAST(0.001 AS DECIMAL(5, 2)), n) AS a, CAST(CAST(1.25 AS DECIMAL(3, 1)) AS DECIMAL(20, 4)) AS b, CASE WHEN x > 0 THEN CAST(12.345 AS DECIMAL(10, 2)) ELSE n END AS c FROM gb;

-- case: gen-coalesce-decimal-column-cast-agrees
SELECT id, CAST(0.001 AS DECIMAL(5, 2)) AS a, COALESCE(CAST(q AS DECIMAL(5, 2)), n) AS b, CAST(CAST(q AS DECIMAL(5, 2)) AS DECIMAL(20, 4)) AS c FROM gb;

-- case: gen-position-parenthesized-needle-parse
-- Flink 1.20's parser takes only an atomic expression before POSITION's IN (Calcite's grammar, whose
-- own comment says it should be any expression): POSITION((s || '') IN 'abc') and POSITION(s || ''
-- IN 'abc') fail to parse (ParseException: Encountered "("), a Flink bug; tsstream accepts them as
-- the SQL standard does. A function call or CAST there agrees (gen-position-cast-needle-agrees).
SELECT id, POSITION((s || '') IN 'abc') AS a FROM gb;

-- case: gen-position-cast-needle-agrees
SELECT id, POSITION(CAST((s || '') AS STRING) IN 'abc') AS a, POSITION(s IN (s || 'x')) AS b, POSITION(CASE WHEN x > 0 THEN 'b' ELSE s END IN 'abc') AS c FROM gb;

-- case: gen-coalesce-map-value-types-planner
-- Flink 1.20's planner fails on COALESCE of MAPs whose value types differ (INT and BIGINT:
-- UnsupportedOperationException: Unsupported type when convertTypeToSpec: MAP), a Flink bug; CASE
-- over the same maps gives MAP<CHAR(1) NOT NULL, BIGINT> NOT NULL (gen-coalesce-map-same-types-agrees),
-- which tsstream gives for COALESCE too.
SELECT id, COALESCE(MAP['a', x], MAP['b', CAST(2 AS BIGINT)]) AS a FROM gb;

-- case: gen-coalesce-map-same-types-agrees
SELECT id, CASE WHEN x > 0 THEN MAP['a', x] ELSE MAP['b', CAST(2 AS BIGINT)] END AS a, COALESCE(MAP['a', x], MAP['b', 2]) AS b FROM gb;

-- case: gen-coalesce-nullif-constant-planner-assertion
-- Flink 1.20's planner fails on COALESCE(NULLIF(1, 2), x) with x nullable (AssertionError: Cannot add
-- expression of different type to set: NULLIF(1, 2) simplifies to the NOT NULL 1, and COALESCE(1, x)
-- to 1, typed INT NOT NULL where the projection was INT), a Flink bug; also with a CASE WHEN TRUE
-- first. tsstream answers 1. With the NULLIF elsewhere both agree (gen-coalesce-nullif-later-agrees).
SELECT id, COALESCE(NULLIF(1, 2), x) AS a FROM gb;

-- case: gen-coalesce-nullif-later-agrees
SELECT id, COALESCE(x, NULLIF(1, 2)) AS a, COALESCE(NULLIF(1, x), x) AS b, COALESCE(TRY_CAST('1' AS INT), x) AS c FROM gb;

-- case: gen-json-value-decimal-divided-by-null-constant
-- Flink 1.20 fails to generate code for JSON_VALUE … RETURNING DECIMAL, unless its planner
-- simplifies it away: a constant of a strict function with a NULL operand (POSITION(CAST(NULL AS
-- STRING) IN 'abc')) is reduced to NULL, and a division by NULL is NULL. tsstream simplifies the same.
SELECT id, JSON_VALUE(js, '$.b' RETURNING DECIMAL(10, 2) DEFAULT 0.5 ON EMPTY) / POSITION(CAST(NULL AS STRING) IN 'abc') AS a, JSON_VALUE(js, '$.b' RETURNING DECIMAL(10, 2)) + CHAR_LENGTH(CAST(NULL AS STRING)) AS b FROM gb;

-- case: gen-json-value-decimal-divided-by-constant-refused
SELECT id, JSON_VALUE(js, '$.b' RETURNING DECIMAL(10, 2) DEFAULT 0.5 ON EMPTY) / POSITION('a' IN 'abc') AS a FROM gb;

-- case: gen-json-value-boolean-is-true-null
-- As gen-case-json-value-boolean-null: Flink 1.20 fails the job on JSON_VALUE(… RETURNING BOOLEAN)
-- IS TRUE (IS NOT TRUE, IS FALSE, IS NOT FALSE) where it is NULL (NullPointerException), a Flink bug;
-- tsstream answers FALSE (TRUE for IS NOT TRUE). IS NULL and IS UNKNOWN agree (gen-json-value-boolean-is-null-agrees).
SELECT id, JSON_VALUE(js, '$.a' RETURNING BOOLEAN) IS TRUE AS a FROM gb;

-- case: gen-json-value-boolean-is-null-agrees
SELECT id, JSON_VALUE(js, '$.a' RETURNING BOOLEAN) IS NULL AS a, JSON_VALUE(js, '$.a' RETURNING BOOLEAN) IS UNKNOWN AS b FROM gb;

-- case: gen-integer-mod-div-no-negative-zero
-- An INT % or / whose result is 0 from a negative dividend is 0, not -0 (seed 12: CAST((i %
-- -2147483648) AS FLOAT) * 1.5E0 of i = -2147483648 printed -0.0); Java's int has no -0.
SELECT id, CAST((0 - x) % NULLIF(x, 0) AS DOUBLE) AS a, CAST((0 - x) / 10 AS DOUBLE) AS b, CAST(MOD(0 - x, 1) AS FLOAT) * 1.5E0 AS c FROM gb;

-- case: gen-in-list-stops-at-first-match
-- Flink 1.20 runs x IN (1, 2, e) with a non-literal e as x = 1 OR x = 2 OR x = e, left to right: e
-- is not evaluated once x matched (seed 13: NULLIF(k, i) IN (1, 2, j / i) with i = 0 and k = 2).
SELECT id, x IN (1, 2, 10 / (x - 2)) AS a, x NOT IN (1, 2, 10 / (x - 2)) AS b, x IN (x, 10 / (x - x)) AS c FROM gb WHERE x IS NOT NULL;
