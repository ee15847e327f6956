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
