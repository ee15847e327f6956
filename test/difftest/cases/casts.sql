-- CAST between types: numbers, strings, booleans, dates and times.

-- case: cast-string-to-int
SELECT CAST('42' AS INT) AS v;

-- case: cast-string-to-int-spaces
SELECT CAST(' 42 ' AS INT) AS v;

-- case: cast-string-to-int-invalid
SELECT CAST('4x2' AS INT) AS v;

-- case: try-cast-invalid
SELECT TRY_CAST('4x2' AS INT) AS v;

-- case: cast-double-to-int-truncates
SELECT CAST(3.99 AS INT) AS a, CAST(-3.99 AS INT) AS b;

-- case: cast-decimal-to-int
SELECT CAST(CAST(7.5 AS DECIMAL(5, 1)) AS INT) AS v;

-- case: cast-int-overflow-tinyint
SELECT CAST(300 AS TINYINT) AS v;

-- case: cast-string-to-decimal-rounds
SELECT CAST('1.005' AS DECIMAL(5, 2)) AS a, CAST('-1.005' AS DECIMAL(5, 2)) AS b;

-- case: cast-decimal-overflow-null
SELECT CAST(12345.678 AS DECIMAL(5, 2)) AS v;

-- case: cast-int-to-string
SELECT CAST(-17 AS STRING) AS v;

-- case: cast-double-to-string
SELECT CAST(1.5E10 AS STRING) AS a, CAST(0.1 + 0.2 AS STRING) AS b, CAST(CAST(0.0001 AS DOUBLE) AS STRING) AS c;

-- case: cast-float-to-string
SELECT CAST(CAST(1.1 AS FLOAT) AS STRING) AS v;

-- case: cast-boolean-to-string
SELECT CAST(TRUE AS STRING) AS a, CAST(FALSE AS STRING) AS b;

-- case: cast-string-to-boolean
SELECT CAST('true' AS BOOLEAN) AS a, CAST('FALSE' AS BOOLEAN) AS b, CAST('yes' AS BOOLEAN) AS c;

-- case: cast-string-to-date
SELECT CAST('2024-02-29' AS DATE) AS v;

-- case: cast-string-to-timestamp
SELECT CAST('2024-02-29 13:45:01.5' AS TIMESTAMP(3)) AS v;

-- case: cast-string-to-timestamp-iso-t
SELECT CAST('2024-02-29T13:45:01' AS TIMESTAMP) AS v;

-- case: cast-timestamp-to-date
SELECT CAST(TIMESTAMP '2024-02-29 23:59:59' AS DATE) AS v;

-- case: cast-date-to-timestamp
SELECT CAST(DATE '2024-02-29' AS TIMESTAMP(3)) AS v;

-- case: cast-timestamp-to-string
SELECT CAST(TIMESTAMP '2024-02-29 13:45:01.123' AS STRING) AS v;

-- case: cast-string-to-time
SELECT CAST('13:45:01' AS TIME) AS v;

-- case: cast-bigint-to-double
SELECT CAST(CAST(123456789012 AS BIGINT) AS DOUBLE) AS v;

-- case: cast-null-typed
SELECT CAST(NULL AS INT) AS a, CAST(NULL AS STRING) AS b;

-- case: cast-string-to-bigint-large
SELECT CAST('1234567890123' AS BIGINT) AS v;

-- case: cast-int-to-decimal
SELECT CAST(12 AS DECIMAL(10, 3)) AS v;

-- case: cast-string-to-double
SELECT CAST('1e3' AS DOUBLE) AS a, CAST('-0.5' AS DOUBLE) AS b;

-- case: cast-char-padding
SELECT CAST('ab' AS CHAR(4)) AS v, CHAR_LENGTH(CAST('ab' AS CHAR(4))) AS n;

-- case: cast-varchar-truncation
SELECT CAST('abcdef' AS VARCHAR(3)) AS v;

-- Cast rules as Flink 1.20 has them: TIMESTAMP_LTZ <-> numeric refused (CAST and TRY_CAST), TIMESTAMP/DATE/TIME <-> numeric refused,
-- BOOLEAN <-> numeric allowed, BINARY only to/from strings.
-- case: cast-rule-ltz-to-int
SELECT CAST(CAST(TIMESTAMP '2024-01-01 00:00:01' AS TIMESTAMP_LTZ(3)) AS INT) AS v;

-- case: cast-rule-ltz-to-bigint
SELECT CAST(CAST(TIMESTAMP '2024-01-01 00:00:01' AS TIMESTAMP_LTZ(3)) AS BIGINT) AS v;

-- case: cast-rule-ltz-to-double
SELECT CAST(CAST(TIMESTAMP '2024-01-01 00:00:01' AS TIMESTAMP_LTZ(3)) AS DOUBLE) AS v;

-- case: cast-rule-ltz-to-decimal
SELECT CAST(CAST(TIMESTAMP '2024-01-01 00:00:01' AS TIMESTAMP_LTZ(3)) AS DECIMAL(20, 3)) AS v;

-- case: cast-rule-try-ltz-to-bigint
SELECT TRY_CAST(CAST(TIMESTAMP '2024-01-01 00:00:01' AS TIMESTAMP_LTZ(3)) AS BIGINT) AS v;

-- case: cast-rule-ts-to-bigint
SELECT CAST(TIMESTAMP '2024-01-01 00:00:01' AS BIGINT) AS v;

-- case: cast-rule-ts-to-double
SELECT CAST(TIMESTAMP '2024-01-01 00:00:01' AS DOUBLE) AS v;

-- case: cast-rule-date-to-int
SELECT CAST(DATE '2024-01-01' AS INT) AS v;

-- case: cast-rule-time-to-int
SELECT CAST(TIME '00:00:01' AS INT) AS v;

-- case: cast-rule-int-to-date
SELECT CAST(1 AS DATE) AS v;

-- case: cast-rule-int-to-time
SELECT CAST(1 AS TIME) AS v;

-- case: cast-rule-bigint-to-ts
SELECT CAST(CAST(1 AS BIGINT) AS TIMESTAMP(3)) AS v;

-- case: cast-rule-int-to-ltz
SELECT CAST(1 AS TIMESTAMP_LTZ(3)) AS v;

-- case: cast-rule-bigint-to-ltz
SELECT CAST(CAST(1700000000 AS BIGINT) AS TIMESTAMP_LTZ(3)) AS v;

-- case: cast-rule-double-to-ltz
SELECT CAST(1.5E0 AS TIMESTAMP_LTZ(3)) AS v;

-- case: cast-rule-decimal-to-ts
SELECT CAST(1.5 AS TIMESTAMP(3)) AS v;

-- case: cast-rule-bool-to-int
SELECT CAST(TRUE AS INT) AS v;

-- case: cast-rule-bool-to-double
SELECT CAST(TRUE AS DOUBLE) AS v;

-- case: cast-rule-bool-to-decimal
SELECT CAST(TRUE AS DECIMAL(5, 2)) AS v;

-- case: cast-rule-int-to-bool
SELECT CAST(2 AS BOOLEAN) AS v;

-- case: cast-rule-double-to-bool
SELECT CAST(0.5E0 AS BOOLEAN) AS v;

-- case: cast-rule-decimal-to-bool
SELECT CAST(0.5 AS BOOLEAN) AS v;

-- case: cast-rule-bytes-to-int
SELECT CAST(X'01' AS INT) AS v;

-- case: cast-rule-int-to-bytes
SELECT CAST(1 AS BYTES) AS v;

-- case: cast-rule-bytes-to-string
SELECT CAST(X'41' AS STRING) AS v;

-- case: cast-rule-string-to-bytes
SELECT CAST('A' AS BYTES) AS v;

-- case: cast-rule-bytes-to-bool
SELECT CAST(X'01' AS BOOLEAN) AS v;

-- case: cast-rule-bytes-to-ts
SELECT CAST(X'01' AS TIMESTAMP(3)) AS v;

-- case: cast-rule-try-bool-to-int
SELECT TRY_CAST(TRUE AS INT) AS v;

-- case: cast-rule-try-int-to-date
SELECT TRY_CAST(1 AS DATE) AS v;

-- case: cast-rule-try-bytes-to-int
SELECT TRY_CAST(X'01' AS INT) AS v;

-- case: cast-rule-date-to-ts
SELECT CAST(DATE '2024-01-01' AS TIMESTAMP(3)) AS v;

-- case: cast-rule-time-to-ts
SELECT CAST(TIME '01:02:03' AS TIMESTAMP(3)) AS v;

-- case: cast-rule-ts-to-date
SELECT CAST(TIMESTAMP '2024-01-01 01:02:03' AS DATE) AS v;

-- case: cast-rule-date-to-ltz
SELECT CAST(DATE '2024-01-01' AS TIMESTAMP_LTZ(3)) AS v;

-- case: cast-rule-time-to-ltz
SELECT CAST(TIME '01:02:03' AS TIMESTAMP_LTZ(3)) AS v;

-- Results print BINARY/VARBINARY values as Flink's sql-client and SQL Gateway do: x'…' in lower-case
-- hex, also inside ARRAY, MAP and ROW values (CAST to STRING decodes them as UTF-8 instead). X'' is
-- BINARY(0), as '' is CHAR(0).
-- case: bytes-printed-as-hex
SELECT X'41' AS a, X'' AS b, X'00ff7f' AS c, ARRAY[X'41', X'42'] AS d, ROW(X'41', 1) AS e, MAP[X'41', X'42'] AS f, CAST(ARRAY[X'41'] AS STRING) AS g, CAST(X'4142' AS BINARY(4)) AS h;

-- case: bytes-empty-literal
SELECT CAST(X'' AS STRING) AS a, COALESCE(X'', X'41') AS b, CASE WHEN 1 = 1 THEN X'' ELSE X'4142' END AS c, X'' = X'' AS d, CAST(X'' AS BYTES) AS e, ARRAY[X'', X'41'] AS f, CAST(X'' AS BINARY(2)) AS g, CAST(X'' AS VARBINARY(3)) AS h, TO_BASE64(X'') AS i;
