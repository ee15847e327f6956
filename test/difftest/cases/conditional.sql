-- CASE, COALESCE, NULL handling, predicates, collections and JSON.

-- case: case-when
SELECT CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' ELSE 'c' END AS v;

-- case: case-type-widening
SELECT CASE WHEN TRUE THEN 1 ELSE 2.5 END AS v;

-- case: case-char-results
SELECT CASE WHEN TRUE THEN 'ab' ELSE 'abcd' END AS v;

-- case: coalesce-nullif-ifnull
SELECT COALESCE(CAST(NULL AS INT), 2, 3) AS a, NULLIF(1, 1) AS b, NULLIF(1, 2) AS c, IFNULL(CAST(NULL AS STRING), 'x') AS d;

-- case: if-function
SELECT IF(1 < 2, 'yes', 'no') AS v;

-- case: null-comparisons
SELECT CAST(NULL AS INT) = 1 AS a, CAST(NULL AS INT) IS NULL AS b, 1 IS NOT NULL AS c, CAST(NULL AS INT) IS DISTINCT FROM 1 AS d, CAST(NULL AS INT) IS NOT DISTINCT FROM CAST(NULL AS INT) AS e;

-- case: three-valued-logic
SELECT CAST(NULL AS BOOLEAN) AND FALSE AS a, CAST(NULL AS BOOLEAN) OR TRUE AS b, NOT CAST(NULL AS BOOLEAN) AS c, CAST(NULL AS BOOLEAN) IS UNKNOWN AS d;

-- case: between-in
SELECT 5 BETWEEN 1 AND 10 AS a, 5 NOT BETWEEN 6 AND 10 AS b, 3 IN (1, 2, 3) AS c, 'x' IN ('a', 'b') AS d;

-- case: in-with-null
SELECT 4 IN (1, CAST(NULL AS INT)) AS a, 1 IN (1, CAST(NULL AS INT)) AS b;

-- case: boolean-is-true
SELECT TRUE IS TRUE AS a, FALSE IS NOT FALSE AS b;

-- case: array-constructor
SELECT ARRAY[1, 2, 3] AS a, CARDINALITY(ARRAY['x', 'y']) AS b, ARRAY[1, 2, 3][2] AS c;

-- case: map-constructor
-- (one entry only where a whole map is printed: Flink's order of map entries is not fixed)
SELECT MAP['a', 1] AS m, MAP['a', 1, 'b', 2]['b'] AS b, CARDINALITY(MAP['a', 1]) AS n;

-- case: row-constructor
SELECT ROW(1, 'x') AS r;

-- case: array-functions
SELECT ARRAY_CONTAINS(ARRAY[1, 2], 2) AS a, ARRAY_DISTINCT(ARRAY[1, 1, 2]) AS b, ARRAY_REMOVE(ARRAY[1, 2, 1], 1) AS c, ARRAY_REVERSE(ARRAY[1, 2, 3]) AS d;

-- case: array-element-out-of-range
SELECT ARRAY[1, 2][5] AS v;

-- case: json-value
SELECT JSON_VALUE('{"a": {"b": 5}}', '$.a.b') AS a, JSON_VALUE('{"a": 1}', '$.z') AS b, JSON_VALUE('{"a": 7}', '$.a' RETURNING INT) AS c;

-- case: json-query
SELECT JSON_QUERY('{"a": [1, 2]}', '$.a') AS v;

-- case: json-exists
SELECT JSON_EXISTS('{"a": 1}', '$.a') AS a, JSON_EXISTS('{"a": 1}', '$.b') AS b;

-- case: json-object
SELECT JSON_OBJECT('k' VALUE 1, 'n' VALUE CAST(NULL AS STRING) NULL ON NULL) AS a, JSON_OBJECT('k' VALUE 'v') AS b;

-- case: json-object-absent-on-null
SELECT JSON_OBJECT('k' VALUE 1, 'n' VALUE CAST(NULL AS STRING) ABSENT ON NULL) AS v;

-- case: json-array
SELECT JSON_ARRAY(1, 'a', TRUE) AS v;

-- case: json-string
SELECT JSON_STRING('a"b') AS a, JSON_STRING(1) AS b;

-- case: is-json
SELECT '{"a":1}' IS JSON AS a, 'nope' IS JSON AS b, '[1]' IS JSON ARRAY AS c;
