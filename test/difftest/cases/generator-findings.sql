-- What the seeded random generator (npm run difftest -- --seed=N) found, kept as cases.
-- table: g (id INT, i INT, m DECIMAL(10, 2), n DECIMAL(20, 4), s STRING, t STRING)
-- row: {"id": 1, "i": 5, "m": 12.34, "n": 1.0001, "s": "Straße ÄÖÜ", "t": "ß"}
-- row: {"id": 2, "i": 0, "m": null, "n": -123456.789, "s": "hello wORLD 3rd", "t": "a"}
-- row: {"id": 3, "i": null, "m": -0.5, "n": null, "s": "", "t": ""}

-- case: gen-coalesce-decimal-scales
-- vitest
SELECT id, COALESCE(m, n) AS a, COALESCE(n, m) AS b, COALESCE(n, 12345678.901) AS c, IF(i > 1, m, n) AS d FROM g;

-- case: gen-nullif-decimal-scales
SELECT id, NULLIF(CAST(n AS DECIMAL(20, 0)), n) AS g, NULLIF(CAST(m AS DECIMAL(12, 4)), m) AS h FROM g;

-- case: gen-greatest-decimal-scales
SELECT id, GREATEST(m, n) AS e, LEAST(m, n) AS f FROM g;

-- case: gen-floor-ceil-decimal-type
SELECT id, FLOOR(m) AS a, CEIL(m) AS b, CEIL(n * i) AS c FROM g;

-- case: gen-empty-string-literal-type
SELECT '' AS a, CASE WHEN TRUE THEN '' ELSE 'ab' END AS b;

-- case: gen-replace-empty-search
SELECT id, REPLACE('a', '', s) AS a, REPLACE(s, '', '-') AS b, REPLACE('', '', 'x') AS c FROM g;

-- case: gen-initcap-ascii-words
SELECT id, INITCAP(s) AS a, INITCAP(t) AS b FROM g;

-- case: gen-ascii-first-utf8-byte
SELECT id, ASCII(s) AS a, ASCII(t) AS b FROM g;

-- case: gen-unix-timestamp-unparsable
SELECT UNIX_TIMESTAMP('x') AS a, UNIX_TIMESTAMP('') AS b;

-- case: gen-to-date-year-only
SELECT TO_DATE('20240101') AS a, TO_DATE('2024-01-05') AS b, TO_DATE('2024') AS c;

-- case: gen-float-times-double-type
SELECT CAST(i AS FLOAT) * 1.5E0 AS a, CAST(i AS FLOAT) * CAST(2 AS DOUBLE) AS b, CAST(i AS FLOAT) + 1.5E0 AS c FROM g;

-- case: gen-degrees-radians-java
SELECT DEGREES(1.0E-3) AS a, DEGREES(-0.1E0) AS b, RADIANS(179.9E0) AS c, RADIANS(-33.3E0) AS d;

-- case: gen-interval-leading-precision
SELECT DATE '2024-01-01' + INTERVAL '365' DAY(3) AS a, INTERVAL '99' MINUTE AS b, INTERVAL '1.123456789' SECOND(2, 9) AS c, INTERVAL '99 23:59:59' DAY TO SECOND AS d, INTERVAL '99-11' YEAR TO MONTH AS e, INTERVAL '-99' HOUR AS f;

-- case: gen-interval-day-exceeds-precision
SELECT DATE '2024-01-01' + INTERVAL '365' DAY;

-- case: gen-interval-minute-exceeds-precision
SELECT INTERVAL '100' MINUTE;

-- case: gen-interval-negative-exceeds-precision
SELECT INTERVAL '-100' HOUR;

-- case: gen-interval-year-to-month-exceeds-precision
SELECT INTERVAL '100-11' YEAR TO MONTH;

-- case: gen-interval-day-to-second-exceeds-precision
SELECT INTERVAL '100 10:00:00' DAY TO SECOND;

-- case: gen-interval-fraction-exceeds-precision
SELECT INTERVAL '1.1234567' SECOND;

-- case: gen-interval-precision-out-of-range
SELECT INTERVAL '1' DAY(11);

-- case: gen-java-double-printing
-- vitest
SELECT CAST(1234567890123456789 AS DOUBLE) AS a, 1.0E23 AS b, CAST(3221225472 AS FLOAT) AS c, 1.2345E21 AS d, 1.0E7 AS e, 1.0E-4 AS f, CAST(CAST(1234567890123456789 AS DOUBLE) AS STRING) AS g, CAST(i AS FLOAT) * 1.5E0 AS h, CAST(i AS DOUBLE) * 123456789.125E0 * 1000000000 AS k FROM g;

-- case: gen-round-truncate-double-as-bigdecimal
-- vitest
SELECT ROUND(1.0E300, 5) AS a, ROUND(123456789.125E0, 2) AS b, ROUND(-0.1E0, 0) AS c, TRUNCATE(-0.5E0, -1) AS d, TRUNCATE(3.141592653589793E0, 20) AS e, ROUND(1.2345678901234567E17, -3) AS f, TRUNCATE(9.99E19, 1) AS g, TRUNCATE(CAST(1.25 AS FLOAT), 1) AS h;

-- case: gen-round-nan-fails
SELECT id, ROUND(SQRT(CAST(i AS DOUBLE)), 1) AS a FROM g;

-- case: gen-truncate-infinity-fails
SELECT id, TRUNCATE(CAST(i AS DOUBLE) * 1.0E308 * 10, 1) AS a FROM g;

-- case: gen-truncate-beyond-decimal-38-18-fails
SELECT TRUNCATE(1.0E20, 5) AS a;

-- case: gen-cast-nan-to-decimal-fails
SELECT id, CAST(SQRT(CAST(i AS DOUBLE) - 1) AS DECIMAL(10, 2)) AS a FROM g;

-- case: gen-try-cast-nan-to-decimal-fails
SELECT id, TRY_CAST(SQRT(CAST(i AS DOUBLE) - 1) AS DECIMAL(10, 2)) AS a FROM g;

-- case: gen-try-cast-string-to-decimal-scanner
-- vitest
SELECT TRY_CAST('x' AS DECIMAL(10, 3)) AS a, TRY_CAST('1.5x' AS DECIMAL(10, 3)) AS b, TRY_CAST('1e' AS DECIMAL(10, 3)) AS c, TRY_CAST('0000000000012' AS DECIMAL(10, 3)) AS d, TRY_CAST('1.5x' AS DECIMAL(20, 3)) AS e, TRY_CAST('' AS DECIMAL(10, 3)) AS f, TRY_CAST('ß' AS DECIMAL(10, 3)) AS g, TRY_CAST(' -1.25 ' AS DECIMAL(10, 1)) AS h, TRY_CAST('abc' AS DECIMAL(5, 2)) AS k, CAST(',' AS DECIMAL(5, 2)) AS l;

-- case: gen-cast-string-to-decimal-overflow-fails
SELECT CAST('12345678901' AS DECIMAL(10, 3)) AS a;

-- case: gen-if-nullable-condition
-- vitest
SELECT IF(i > 1, 1, 2) AS a, IF(i IS NULL, 1, 2) AS b, IF(i > 1, 'x', 'y') AS c, IF(CAST(NULL AS BOOLEAN), 0.5, 1.25) AS d, IF(TRUE, 1, 2) AS e FROM g;

-- case: gen-if-evaluates-one-branch
-- vitest
SELECT id, IF(i = 0, 0, 10 / i) AS a, IF(i <> 0, 10 / i, -1) AS b FROM g;

-- case: gen-null-operand-skips-the-rest
-- vitest
SELECT id, (10 / i) + CAST(NULL AS INT) AS a, (10 / i) > CAST(NULL AS INT) AS b, MOD(10, i) * ABS(CAST(NULL AS INT)) AS c, CAST(NULL AS INT) BETWEEN 10 / i AND 5 AS d FROM g;

-- case: gen-coalesce-evaluates-every-argument
SELECT id, COALESCE(id, 10 / i) AS a FROM g;

-- case: gen-hop-sum-distinct-refused
-- mode: streaming
-- table: ev (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"ts": "2024-01-01 10:00:00", "v": 1}
SELECT window_start, SUM(DISTINCT v) AS s FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '30' MINUTES, INTERVAL '60' MINUTES)) GROUP BY window_start, window_end;

-- case: gen-cumulate-first-value-refused
-- mode: streaming
-- table: ev (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"ts": "2024-01-01 10:00:00", "v": 1}
SELECT window_start, FIRST_VALUE(v) AS f FROM TABLE(CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '30' MINUTES, INTERVAL '60' MINUTES)) GROUP BY window_start, window_end;

-- case: gen-cumulate-sum-distinct
-- mode: streaming
-- table: ev (ts TIMESTAMP(3), v INT, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"ts": "2024-01-01 10:00:00", "v": 1}
-- row: {"ts": "2024-01-01 10:10:00", "v": 1}
-- row: {"ts": "2024-01-01 10:40:00", "v": 2}
SELECT window_start, window_end, SUM(DISTINCT v) AS s FROM TABLE(CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '30' MINUTES, INTERVAL '60' MINUTES)) GROUP BY window_start, window_end;

-- case: gen-float-arithmetic-in-float
-- vitest
SELECT id, CAST(-1 AS FLOAT) * 1.5E0 * LN(CAST(i AS DOUBLE)) AS a, CAST(i AS FLOAT) / 3.0E0 AS b, CAST(i AS FLOAT) + 0.1E0 AS c FROM g;

-- case: gen-in-list-cast-to-left-type
-- vitest
SELECT id, 'a' IN ('zz', t) AS a, 'S' IN ('x', s) AS b, CAST(i AS SMALLINT) IN (7, i * 65536 + 5) AS c, 5 IN (1, CAST(m AS DOUBLE)) AS d, 'a' NOT IN ('abc', t) AS e FROM g;

-- case: gen-timestamp-to-date-before-1970
SELECT CAST(TIMESTAMP '1969-12-30 12:00:00' AS DATE) AS a, CAST(TIMESTAMP '1969-12-31 00:00:00' AS DATE) AS b, CAST(TIMESTAMP '1969-12-31 23:59:59.999' AS DATE) AS c, CAST(TIMESTAMP '1970-01-01 00:00:00.001' AS DATE) AS d;

-- case: gen-nullif-null-first
SELECT id, NULLIF(CAST(NULL AS INT), 10 / i) AS a FROM g;

-- case: gen-jvm-math-intrinsics
SELECT LOG10(3.141592653589793E0) AS a, LN(85.94366926962348E0) AS b, POWER(3.141592653589793E0, 1.5E0) AS c, EXP(0.42E0) AS d;

-- case: gen-atan2-fdlibm
SELECT ATAN2(1.0E300, -2.5E0) AS a, ATAN2(-1.0E300, -2.5E0) AS b, ATAN2(1.0E300, 2.5E0) AS c, ATAN2(1.5E0, -2.5E0) AS d;

-- case: gen-between-skips-high-bound
-- vitest
SELECT id, i BETWEEN 1000 AND 10 / (i - i) AS a, i NOT BETWEEN 1000 AND 10 / (i - i) AS b FROM g WHERE i IS NOT NULL AND i < 1000;

-- case: gen-float-constant-reduced-to-7-digits
-- vitest
SELECT id, CAST(2147483647 AS FLOAT) * 1.5E0 AS a, CAST(2147483647 AS FLOAT) * 1.5E0 + i AS b, CAST(1.23456789 AS FLOAT) AS c, CAST(0.1 AS FLOAT) * 3 AS d FROM g;

-- case: gen-sign-smallint-refused
SELECT SIGN(CAST(i AS SMALLINT)) AS a FROM g;

-- case: gen-constant-function-divided-by-zero
SELECT ABS(-2.5E0) / 0 AS a;

-- case: gen-decimal-divided-by-int-beyond-its-type-fails
SELECT id, m / (i * 100000000) AS a FROM g;

-- case: gen-coalesce-not-null-first-skips-the-rest
-- vitest
SELECT id, COALESCE(CAST(1.5 AS DECIMAL(5, 2)), m, 10 / (i - i)) AS a, COALESCE(m, 1, n) AS b FROM g;

-- case: gen-hop-double-sum-by-slices
-- mode: streaming
-- table: ev (ts TIMESTAMP(3), x DOUBLE, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"ts": "2024-01-01 10:00:00", "x": 0.1}
-- row: {"ts": "2024-01-01 10:35:00", "x": 0.2}
-- row: {"ts": "2024-01-01 10:40:00", "x": 0.3}
SELECT window_start, window_end, SUM(x) AS s FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '30' MINUTES, INTERVAL '60' MINUTES)) GROUP BY window_start, window_end;

-- case: gen-to-timestamp-ltz-bigint-decimal-double
-- table: nums (b BIGINT, m DECIMAL(10, 2), d DOUBLE)
-- row: {"b": 4294967296, "m": 99999999.99, "d": 1.5}
-- row: {"b": 1234567890123456789, "m": -1.01, "d": 123456789.125}
-- row: {"b": 9223372036854775807, "m": null, "d": null}
SELECT TO_TIMESTAMP_LTZ(b, 3) AS b3, TO_TIMESTAMP_LTZ(b, 0) AS b0, TO_TIMESTAMP_LTZ(m, 0) AS m0, TO_TIMESTAMP_LTZ(d, 0) AS d0, TO_TIMESTAMP_LTZ(d, 3) AS d3 FROM nums;

-- case: gen-json-exists-missing-is-on-error
SELECT JSON_EXISTS('{"a": 1}', '$.x' TRUE ON ERROR) AS a, JSON_EXISTS('[1]', '$.f' UNKNOWN ON ERROR) AS b, JSON_EXISTS('{"d": null}', '$.d' TRUE ON ERROR) AS c, JSON_EXISTS('{"a": 1}', '$.a' TRUE ON ERROR) AS d, JSON_EXISTS('{"a": 1}', '$.x') AS e;

-- case: gen-lenient-date-text
SET 'table.local-time-zone' = 'America/New_York';
SELECT CONVERT_TZ('2024-13-01 00:00:00', 'UTC', 'UTC') AS a, CONVERT_TZ('2024-02-30 25:61:00', 'UTC', 'UTC') AS b, DATE_FORMAT('2024-13-01 00:00:00', 'yyyy-MM-dd HH:mm') AS c, UNIX_TIMESTAMP('2024-13-01 00:00:00') AS d, CONVERT_TZ('2024-01-01', 'UTC', 'UTC') AS e, DATE_FORMAT('2024-01-01', 'yyyy-MM-dd') AS f, CONVERT_TZ('2024-01-01 10:00:00 tail', 'UTC', 'UTC') AS g, TO_DATE('2024-02-30', 'yyyy-MM-dd') AS h, UNIX_TIMESTAMP('2024-01-01 24:00:00') AS i;

-- case: gen-map-lookup-longer-key
-- table: kv (s STRING, k INT)
-- row: {"s": "abc", "k": 0}
SELECT MAP['a', k][s] AS a, MAP['a', 3]['a'] AS b, MAP['a', 1 / k, 'a', 2] AS c FROM kv;

-- case: gen-if-array-refused
-- table: arr (a ARRAY<INT>)
-- row: {"a": [1, null]}
SELECT IF(a IS NULL, a, ARRAY[1]) FROM arr;

-- case: gen-nullif-array-refused
-- table: arr (a ARRAY<INT>)
-- row: {"a": [1, null]}
SELECT NULLIF(a, ARRAY[1]) FROM arr;

-- case: gen-array-index-zero-refused
-- table: arr (a ARRAY<INT>)
-- row: {"a": [1, null]}
SELECT a[0] FROM arr;

-- case: gen-array-position-null-needle
-- table: arr (a ARRAY<INT>)
-- row: {"a": [1, null]}
SELECT ARRAY_POSITION(a, CAST(NULL AS INT)) AS p, ARRAY_CONTAINS(a, CAST(NULL AS INT)) AS c FROM arr;

-- case: gen-array-concat-common-type
-- table: sarr (sa ARRAY<STRING>)
-- row: {"sa": ["x", null]}
SELECT ARRAY_CONCAT(ARRAY['a', 'bc'], sa) AS c, ARRAY_UNION(ARRAY['a'], sa) AS u FROM sarr;

-- case: gen-json-decimal-java-text
SELECT JSON_OBJECT(KEY 'k' VALUE CAST(100 AS DECIMAL(5, 2))) AS a, JSON_OBJECT(KEY 'k' VALUE CAST(-0.50 AS DECIMAL(5, 2))) AS b, JSON_ARRAY(CAST(1E+2 AS DECIMAL(10, 0)), 1.50, CAST(0.0000001 AS DECIMAL(10, 8)), CAST(0 AS DECIMAL(5, 2))) AS c, JSON_STRING(CAST(100 AS DECIMAL(5, 2))) AS d, JSON_STRING(CAST('9999999999999999.9999' AS DECIMAL(20, 4))) AS e;

-- case: gen-ltz-floor-ceil-across-dst
SET 'table.local-time-zone' = 'Europe/Berlin';
SELECT FLOOR(CAST('2024-03-31 12:00:00' AS TIMESTAMP_LTZ(3)) TO MONTH) AS fm, FLOOR(CAST('2024-03-31 12:00:00' AS TIMESTAMP_LTZ(3)) TO DAY) AS fd, CEIL(CAST('2024-10-27 12:00:00' AS TIMESTAMP_LTZ(3)) TO DAY) AS cd;

-- case: gen-nested-coalesce-date-minus-month-codegen
-- table: dts (dt DATE)
-- row: {"dt": "2024-01-01"}
SELECT COALESCE(COALESCE(CAST(NULL AS DATE), DATE '2024-03-10' - INTERVAL '1' MONTH), dt) FROM dts;

-- case: gen-legacy-zone-before-1900
SET 'table.local-time-zone' = 'Asia/Kathmandu';
SELECT UNIX_TIMESTAMP('1900-01-01 00:00:00') AS a, CONVERT_TZ('1900-01-01 00:00:00', 'Australia/Lord_Howe', 'UTC') AS b;
