-- How JSON_OBJECT, JSON_ARRAY, JSON_STRING and the JSON aggregates write values, as Flink 1.20
-- (Jackson) writes them: DOUBLE and FLOAT in Java's text, control characters escaped in upper-case
-- hex, inner JSON_OBJECT / JSON_ARRAY nested as JSON; DATE, TIME, INTERVAL and an untyped NULL
-- refused (Flink fails to compile them).

-- case: json-write-double-float
SELECT JSON_ARRAY(CAST(1e300 AS DOUBLE), 0.0e0, -0.0e0, 1e-5, 123456789.125e0, 1e7, 1e6, 0.001e0, 1e21) AS a, JSON_OBJECT(KEY 'f1' VALUE CAST(1.5 AS FLOAT), KEY 'f2' VALUE CAST(0.1 AS FLOAT), KEY 'f3' VALUE CAST(1e10 AS FLOAT), KEY 'f4' VALUE CAST(-0.0 AS FLOAT), KEY 'f6' VALUE CAST(1e-10 AS FLOAT), KEY 'f7' VALUE CAST(3.4e38 AS FLOAT)) AS b, JSON_STRING(CAST(1e300 AS DOUBLE)) AS c, JSON_STRING(CAST(0.1 AS FLOAT)) AS d, JSON_STRING(ARRAY[1.5e0, 1e20]) AS e, JSON_STRING(-0.0e0) AS g, JSON_STRING(MAP['a', 1.5e0]) AS h, JSON_ARRAY(MAP['a', CAST(0.1 AS FLOAT)]) AS i;

-- case: json-write-double-column
-- table: dd (id INT, x DOUBLE, y DOUBLE, f FLOAT)
-- row: {"id": 1, "x": 1e300, "y": -0.0, "f": 0.1}
-- row: {"id": 2, "x": 1.0, "y": 0.5, "f": 1e10}
-- row: {"id": 3, "x": 0.0, "y": 0.0, "f": 0.0}
-- row: {"id": 4, "x": 1.0, "y": 0.0, "f": null}
SELECT id, JSON_ARRAY(x, y, f, CAST(x AS FLOAT), x / y NULL ON NULL) AS a, JSON_OBJECT(KEY 'f' VALUE f, KEY 'q' VALUE x / y) AS b, JSON_STRING(f) AS c, JSON_STRING(x / y) AS d FROM dd;

-- case: json-write-double-aggregates
SELECT JSON_ARRAYAGG(d) AS a, JSON_OBJECTAGG(KEY CAST(d AS STRING) VALUE d) AS b FROM (VALUES (1e300), (0e0), (1.5e0)) AS t(d);

-- case: json-write-control-characters
SELECT JSON_ARRAY(CHR(1), CHR(31), CHR(127), CHR(9), CHR(8), CHR(12), '/', '\') AS a, JSON_STRING(CHR(31)) AS b;

-- case: json-write-bytes-timestamps
SELECT JSON_ARRAY(x'41ff', TIMESTAMP '2024-01-01 10:00:00.120', TO_TIMESTAMP_LTZ(0, 3), CAST(TIMESTAMP '2024-01-01 10:00:00' AS TIMESTAMP(0))) AS a, JSON_STRING(x'41') AS b, JSON_STRING(TIMESTAMP '2024-01-01 10:00:00') AS c;

-- case: json-string-of-json
SELECT JSON_STRING(JSON_ARRAY(1, 'a')) AS a, JSON_STRING(JSON_OBJECT(KEY 'k' VALUE 'v')) AS b, JSON_ARRAY(JSON_STRING(JSON_ARRAY(1))) AS c, JSON_STRING(JSON_QUERY('{"a":[1]}', '$.a')) AS d, JSON_STRING('x"y') AS e, JSON_OBJECT(KEY 'a' VALUE JSON_STRING(1)) AS f, JSON_STRING(CAST(NULL AS STRING)) AS g;

-- case: json-array-date-refused
SELECT JSON_ARRAY(DATE '2024-01-01') AS a;

-- case: json-object-date-refused
SELECT JSON_OBJECT(KEY 'a' VALUE DATE '2024-01-01') AS a;

-- case: json-array-null-date-refused
SELECT JSON_ARRAY(CAST(NULL AS DATE)) AS a;

-- case: json-string-date-refused
SELECT JSON_STRING(DATE '2024-01-01') AS a;

-- case: json-array-time-refused
SELECT JSON_ARRAY(TIME '10:00:00') AS a;

-- case: json-string-time-refused
SELECT JSON_STRING(TIME '10:00:00') AS a;

-- case: json-array-interval-refused
SELECT JSON_ARRAY(INTERVAL '1' DAY) AS a;

-- case: json-object-interval-month-refused
SELECT JSON_OBJECT(KEY 'a' VALUE INTERVAL '1' YEAR) AS a;

-- case: json-array-date-in-array-refused
SELECT JSON_ARRAY(ARRAY[DATE '2024-01-01']) AS a;

-- case: json-string-date-in-row-refused
SELECT JSON_STRING(ROW(1, DATE '2024-01-01')) AS a;

-- case: json-array-untyped-null-refused
SELECT JSON_ARRAY(NULL) AS a;

-- case: json-arrayagg-date-refused
SELECT JSON_ARRAYAGG(d) AS a FROM (VALUES (DATE '2024-01-01')) AS t(d);

-- case: json-objectagg-date-refused
SELECT JSON_OBJECTAGG(KEY 'k' VALUE d) AS a FROM (VALUES (DATE '2024-01-01')) AS t(d);
