-- More scalar functions and expressions.

-- case: coalesce-types
SELECT COALESCE(CAST(NULL AS INT), CAST(2 AS BIGINT)) AS a, COALESCE(CAST(NULL AS STRING), 'x', 'yy') AS b;

-- case: case-null-branch
SELECT CASE WHEN FALSE THEN 1 END AS v;

-- case: case-simple-form
SELECT CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END AS v;

-- case: nested-functions
SELECT UPPER(SUBSTRING(CONCAT('abc', 'def'), 2, 3)) AS v;

-- case: string-functions-null-args
SELECT UPPER(CAST(NULL AS STRING)) AS a, CHAR_LENGTH(CAST(NULL AS STRING)) AS b, SUBSTRING(CAST(NULL AS STRING), 1, 2) AS c, REPLACE(CAST(NULL AS STRING), 'a', 'b') AS d;

-- case: numeric-functions-null-args
SELECT ABS(CAST(NULL AS INT)) AS a, ROUND(CAST(NULL AS DOUBLE), 1) AS b, MOD(CAST(NULL AS INT), 2) AS c;

-- case: cast-row-to-string
SELECT CAST(ROW(1, 'a') AS STRING) AS v;

-- case: cast-array-to-string
SELECT CAST(ARRAY[1, 2] AS STRING) AS v;

-- case: cast-decimal-to-string
SELECT CAST(CAST(1.50 AS DECIMAL(10, 2)) AS STRING) AS a, CAST(CAST(-0.05 AS DECIMAL(4, 2)) AS STRING) AS b;

-- case: cast-double-to-decimal
SELECT CAST(CAST(2.675 AS DOUBLE) AS DECIMAL(5, 2)) AS v;

-- case: cast-bigint-to-int-overflow
SELECT CAST(CAST(3000000000 AS BIGINT) AS INT) AS v;

-- case: cast-string-to-bigint-overflow
SELECT CAST('99999999999999999999' AS BIGINT) AS v;

-- case: try-cast-date
SELECT TRY_CAST('2024-13-01' AS DATE) AS a, TRY_CAST('2024-12-01' AS DATE) AS b;

-- case: date-format-patterns
SELECT DATE_FORMAT(TIMESTAMP '2024-03-05 07:08:09.123', 'yyyy-MM-dd HH:mm:ss.SSS') AS a, DATE_FORMAT(TIMESTAMP '2024-03-05 07:08:09', 'EEE, d MMM yyyy') AS b;

-- case: timestamp-comparison-with-string
SELECT TIMESTAMP '2024-01-01 00:00:00' = CAST('2024-01-01 00:00:00' AS TIMESTAMP) AS v;

-- case: interval-multiplication
SELECT TIMESTAMP '2024-01-01 00:00:00' + 3 * INTERVAL '1' HOUR AS v;

-- case: date-minus-date
SELECT TIMESTAMPDIFF(DAY, DATE '2024-01-01', DATE '2024-12-31') AS v;

-- case: current-date-type
SELECT CURRENT_DATE IS NOT NULL AS a, CURRENT_TIMESTAMP IS NOT NULL AS b, LOCALTIMESTAMP IS NOT NULL AS c;

-- case: boolean-ops
SELECT TRUE AND NOT FALSE AS a, (1 < 2) = (3 < 4) AS b, TRUE <> FALSE AS c;

-- case: arithmetic-precedence
SELECT 2 + 3 * 4 - 10 / 5 AS v, (2 + 3) * 4 AS w;

-- case: decimal-comparison
SELECT CAST(1.10 AS DECIMAL(4, 2)) = CAST(1.1 AS DECIMAL(3, 1)) AS v;

-- case: double-comparison-with-int
SELECT CAST(1 AS DOUBLE) = 1 AS a, 0.1 + 0.2 = 0.3 AS b;

-- case: string-concat-with-number
SELECT CONCAT('n=', CAST(5 AS STRING)) AS v;

-- case: hash-code
SELECT HASH_CODE('abc') AS v;

-- case: elt-function
-- expect: not-found
-- A Flink 2.x function, unknown to Flink 1.20 and to tsstream.
SELECT ELT(2, 'a', 'b', 'c') AS v;

-- case: split-function
SELECT SPLIT('a,b,,c', ',') AS v;

-- case: array-concat-slice
SELECT ARRAY_CONCAT(ARRAY[1], ARRAY[2, 3]) AS a, ARRAY_SLICE(ARRAY[1, 2, 3, 4], 2, 3) AS b;

-- case: array-position-max
SELECT ARRAY_POSITION(ARRAY[5, 6, 7], 6) AS a, ARRAY_MAX(ARRAY[5, 9, 7]) AS b, ARRAY_MIN(ARRAY[5, 9, 7]) AS c;

-- case: array-join
SELECT ARRAY_JOIN(ARRAY['a', 'b'], '-') AS v;

-- case: map-keys-values
SELECT MAP_KEYS(MAP['a', 1]) AS k, MAP_VALUES(MAP['a', 1]) AS v, CARDINALITY(MAP_KEYS(MAP['a', 1, 'b', 2])) AS n;

-- case: regexp-extract-all
-- expect: not-found
-- A Flink 2.x function, unknown to Flink 1.20 and to tsstream.
SELECT REGEXP_EXTRACT_ALL('a1b22c333', '[0-9]+') AS v;

-- case: btrim-translate
-- expect: not-found
-- A Flink 2.x function, unknown to Flink 1.20 and to tsstream.
SELECT BTRIM('xxaxx', 'x') AS a, TRANSLATE('abc', 'ab', 'xy') AS b;

-- case: printf-format
-- expect: not-found
-- A Flink 2.x function, unknown to Flink 1.20 and to tsstream.
SELECT PRINTF('%s-%d', 'a', 5) AS v;

-- case: json-value-types
SELECT JSON_VALUE('{"a": 1.5}', '$.a' RETURNING DOUBLE) AS a, JSON_VALUE('{"a": true}', '$.a' RETURNING BOOLEAN) AS b, JSON_VALUE('{"a": [1, 2]}', '$.a[1]') AS c;

-- case: json-value-default-on-empty
SELECT JSON_VALUE('{"a": 1}', '$.b' DEFAULT 'none' ON EMPTY) AS v;

-- case: json-query-wrapper
SELECT JSON_QUERY('{"a": 1}', '$.a' WITH WRAPPER) AS v;

-- case: json-arrayagg-objectagg
-- table: kv (k STRING, v INT)
-- row: {"k": "a", "v": 1}
-- row: {"k": "b", "v": 2}
SELECT JSON_OBJECTAGG(KEY k VALUE v) AS o FROM kv;

-- case: unicode-functions
SELECT UPPER('straße') AS a, CHAR_LENGTH('😀') AS b, REVERSE('añb') AS c;

-- case: substring-out-of-range
SELECT SUBSTRING('abc', 5) AS a, SUBSTRING('abc', 2, 100) AS b;

-- case: lpad-empty-pad
SELECT LPAD('abc', 5, '') AS v;

-- case: round-negative-scale-int
SELECT ROUND(1250, -2) AS a, ROUND(-1250, -2) AS b;

-- case: rand-integer-range
SELECT RAND_INTEGER(10) < 10 AS v;
