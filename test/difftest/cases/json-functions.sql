-- SQL/JSON functions with their clauses, as Flink 1.20 runs them: IS JSON, JSON_VALUE / JSON_QUERY /
-- JSON_EXISTS with RETURNING, ON EMPTY (in strict mode, a path without `lax`, a missing path is an
-- error, so ON EMPTY has no effect; lax mode: json-paths.sql) and ON ERROR, JSON_OBJECT /
-- JSON_ARRAY with NULL ON NULL / ABSENT ON NULL.

-- case: is-json-kinds
-- vitest
SELECT '{"a":1}' IS JSON AS a, 'nope' IS JSON AS b, '[1]' IS JSON ARRAY AS c, '1' IS JSON SCALAR AS d, '{}' IS JSON OBJECT AS e, '{}' IS NOT JSON OBJECT AS f, CAST(NULL AS STRING) IS JSON AS g, '"x"' IS JSON VALUE AS h, '1' IS NOT JSON AS i, '[1]' IS JSON OBJECT AS k, CAST(NULL AS STRING) IS NOT JSON AS l;

-- case: is-json-column
-- table: docs (id INT, s STRING)
-- row: {"id": 1, "s": "{\"a\": 1}"}
-- row: {"id": 2, "s": "[1, 2]"}
-- row: {"id": 3, "s": "oops"}
-- row: {"id": 4, "s": null}
-- row: {"id": 5, "s": "42"}
SELECT id, s IS JSON AS v, s IS JSON OBJECT AS o, s IS JSON ARRAY AS a, s IS JSON SCALAR AS sc, s IS NOT JSON AS nj FROM docs WHERE s IS JSON OR id > 2;

-- case: json-value-default-on-error
-- vitest
SELECT JSON_VALUE('{"a": 1}', '$.z' DEFAULT 'dflt' ON EMPTY) AS a, JSON_VALUE('bad', '$.z' DEFAULT 'e' ON ERROR) AS c, JSON_VALUE('{"a": [1,2]}', '$.a' DEFAULT 'e' ON ERROR) AS d, JSON_VALUE('{"a": [1,2]}', '$.a' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS e, JSON_VALUE('{"a": null}', '$.a' DEFAULT 'em' ON EMPTY) AS g;

-- case: json-value-missing-is-an-error
SELECT JSON_VALUE('{"a":1}', '$.z' NULL ON EMPTY DEFAULT 'er' ON ERROR) AS a, JSON_VALUE('{"a":1}', '$.z' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS b, JSON_VALUE('{"a":1}', 'strict $.z' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS c, JSON_VALUE('{"a":[1]}', 'strict $.a' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS d, JSON_VALUE('{"a":null}', '$.a' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS e;

-- case: json-value-error-on-empty-is-null
SELECT JSON_VALUE('{"a": 1}', '$.z' ERROR ON EMPTY) AS a, JSON_VALUE('{"a": 1}', '$.z' RETURNING INT DEFAULT 42 ON EMPTY) AS b;

-- case: json-value-error-on-error-fails
SELECT JSON_VALUE('bad', '$.z' ERROR ON ERROR) AS a;

-- case: json-value-error-on-error-missing-fails
SELECT JSON_VALUE('{"a":1}', '$.z' ERROR ON ERROR) AS a;

-- case: json-value-error-on-error-found
SELECT JSON_VALUE('{"a":1}', '$.a' ERROR ON ERROR) AS a, JSON_VALUE('{"a":1}', '$.a' RETURNING INT ERROR ON ERROR) AS b;

-- case: json-value-returning
SELECT JSON_VALUE('{"a": 1}', '$.a' RETURNING VARCHAR(5)) AS a, JSON_VALUE('{"a": 1}', '$.a' RETURNING STRING) AS b, JSON_VALUE('{"a": 123456789012}', '$.a') AS c, JSON_VALUE('{"a": 1e3}', '$.a') AS d, JSON_VALUE('{"a": 1.50}', '$.a' RETURNING DOUBLE) AS e, JSON_VALUE('{"a": false}', '$.a' RETURNING BOOLEAN) AS f, JSON_VALUE('{"a": -7}', '$.a' RETURNING INT) AS g, JSON_VALUE('{"a": 1}', '$.a' RETURNING INTEGER) AS h, JSON_VALUE('{"a": "x"}', '$.a' RETURNING VARCHAR(1)) AS i;

-- case: json-value-returning-default-on-error
SELECT JSON_VALUE('{"a": 1}', '$.a' RETURNING INT DEFAULT 5 ON ERROR) AS a, JSON_VALUE('{"a": 1}', '$.z' RETURNING INT DEFAULT 5 ON ERROR) AS b, JSON_VALUE('{"a": 1.5}', '$.a') AS c, JSON_VALUE('{"a": true}', '$.a') AS d, JSON_VALUE('{"a": 10.0}', '$.a') AS e;

-- case: json-value-returning-int-of-string-fails
SELECT JSON_VALUE('{"a": "12"}', '$.a' RETURNING INT) AS a;

-- case: json-value-returning-int-of-double-fails
SELECT JSON_VALUE('{"a": 1.7}', '$.a' RETURNING INT) AS a;

-- case: json-value-returning-int-of-long-fails
SELECT JSON_VALUE('{"a": 123456789012}', '$.a' RETURNING INT) AS a;

-- case: json-value-returning-double-of-int-fails
SELECT JSON_VALUE('{"a": 3}', '$.a' RETURNING DOUBLE) AS a;

-- case: json-value-returning-boolean-of-string-fails
SELECT JSON_VALUE('{"a": "true"}', '$.a' RETURNING BOOLEAN) AS a;

-- case: json-value-returning-int-default-does-not-catch
SELECT JSON_VALUE('{"a": "x"}', '$.a' RETURNING INT DEFAULT 7 ON ERROR) AS f;

-- case: json-value-returning-bigint-refused
SELECT JSON_VALUE('{"a": 1}', '$.a' RETURNING BIGINT) AS a;

-- case: json-value-returning-decimal-refused
SELECT JSON_VALUE('{"a": "12.30"}', '$.a' RETURNING DECIMAL(10, 2)) AS d;

-- case: json-value-returning-date-refused
SELECT JSON_VALUE('{"a": "2024-01-01"}', '$.a' RETURNING DATE) AS a;

-- case: json-value-returning-char-refused
SELECT JSON_VALUE('{"a": 1}', '$.a' RETURNING CHAR(3)) AS c;

-- case: json-value-column
-- table: ev (id INT, payload STRING)
-- row: {"id": 1, "payload": "{\"user\": {\"name\": \"ann\", \"age\": 31}, \"tags\": [\"x\", \"y\"]}"}
-- row: {"id": 2, "payload": "{\"user\": {\"name\": \"bob\"}}"}
-- row: {"id": 3, "payload": "not json"}
-- row: {"id": 4, "payload": null}
SELECT id, JSON_VALUE(payload, '$.user.name' DEFAULT '?' ON ERROR) AS name, JSON_VALUE(payload, '$.user.age' RETURNING INT DEFAULT -1 ON ERROR) AS age, JSON_QUERY(payload, '$.tags' EMPTY ARRAY ON ERROR) AS tags, JSON_EXISTS(payload, '$.user.age') AS has_age, JSON_EXISTS(payload, 'strict $.user.age' UNKNOWN ON ERROR) AS strict_age FROM ev;

-- case: json-query-wrappers
-- vitest
SELECT JSON_QUERY('{"a": [1, 2]}', '$.a' WITH WRAPPER) AS a, JSON_QUERY('{"a": 1}', '$.a' WITH CONDITIONAL WRAPPER) AS b, JSON_QUERY('{"a": [1]}', '$.a' WITH CONDITIONAL ARRAY WRAPPER) AS c, JSON_QUERY('{"a": 1}', '$.a') AS d, JSON_QUERY('{"a": 1}', '$.z' EMPTY ARRAY ON EMPTY) AS e, JSON_QUERY('{"a": 1}', '$.z' EMPTY OBJECT ON EMPTY) AS f, JSON_QUERY('bad', '$.z' EMPTY ARRAY ON ERROR) AS g, JSON_QUERY('{"a": 1}', '$.a' EMPTY OBJECT ON ERROR) AS h, JSON_QUERY('{"a": {"b": 2}}', '$.a' WITH UNCONDITIONAL ARRAY WRAPPER) AS i;

-- case: json-query-paths
SELECT JSON_QUERY('{"a": []}', '$.a' EMPTY OBJECT ON EMPTY) AS a, JSON_QUERY('{"a": 1}', 'strict $.z' EMPTY ARRAY ON ERROR) AS b, JSON_QUERY('{"a": 1}', 'strict $.z' EMPTY ARRAY ON EMPTY) AS c, JSON_QUERY('{"a": 1}', '$.z' WITH WRAPPER) AS d, JSON_QUERY('{"a": [1, {"b": 2}]}', '$.a[*]') AS e, JSON_QUERY('{"a": [1, {"b": 2}]}', '$.a[*]' WITH WRAPPER) AS f;

-- case: json-query-on-error
SELECT JSON_QUERY('{"a":1}', '$.z' EMPTY ARRAY ON EMPTY EMPTY OBJECT ON ERROR) AS a, JSON_QUERY('{"a":1}', '$.z' NULL ON EMPTY EMPTY OBJECT ON ERROR) AS b, JSON_QUERY('{"a":1}', '$.a' EMPTY ARRAY ON EMPTY) AS c, JSON_QUERY('{"a":1}', '$.a' WITH WRAPPER EMPTY ARRAY ON ERROR) AS d;

-- case: json-query-error-on-empty-is-null
SELECT JSON_QUERY('{"a": 1}', '$.z' ERROR ON EMPTY) AS a;

-- case: json-query-error-on-error-fails
SELECT JSON_QUERY('{"a": 1}', '$.a' ERROR ON ERROR) AS a;

-- case: json-query-error-on-error-missing-fails
SELECT JSON_QUERY('{"a":1}', '$.z' ERROR ON ERROR) AS a;

-- case: json-exists-on-error
-- vitest
SELECT JSON_EXISTS('{"a": 1}', '$.a') AS a, JSON_EXISTS('bad', '$.a' TRUE ON ERROR) AS b, JSON_EXISTS('bad', '$.a' FALSE ON ERROR) AS c, JSON_EXISTS('bad', '$.a' UNKNOWN ON ERROR) AS d, JSON_EXISTS('bad', '$.a') AS e, JSON_EXISTS('{"a": 1}', 'strict $.z' TRUE ON ERROR) AS f, JSON_EXISTS('{"a": 1}', 'strict $.z') AS g;

-- case: json-exists-lax
SELECT JSON_EXISTS('{"a": 1}', 'lax $.z' TRUE ON ERROR) AS a, JSON_EXISTS('{"a": 1}', 'lax $.z' ERROR ON ERROR) AS b, JSON_EXISTS('{"a": null}', '$.a') AS c, JSON_EXISTS('{"a": [1]}', '$.a[3]') AS d, JSON_EXISTS('[1]', '$[0]') AS e;

-- case: json-exists-error-on-error-fails
SELECT JSON_EXISTS('{"a": 1}', 'strict $.z' ERROR ON ERROR) AS a;

-- case: json-object-array-on-null
-- vitest
SELECT JSON_OBJECT('k' VALUE 1, 'n' VALUE CAST(NULL AS STRING) NULL ON NULL) AS a, JSON_OBJECT('k' VALUE 1, 'n' VALUE CAST(NULL AS STRING) ABSENT ON NULL) AS b, JSON_ARRAY(1, CAST(NULL AS INT) NULL ON NULL) AS c, JSON_ARRAY(1, CAST(NULL AS INT) ABSENT ON NULL) AS d, JSON_OBJECT() AS e, JSON_ARRAY() AS f, JSON_OBJECT(KEY 'a' VALUE JSON_ARRAY(1) NULL ON NULL) AS g;

-- case: json-object-absent-nested
SELECT JSON_OBJECT('a' VALUE JSON_ARRAY(CAST(NULL AS INT), 2 NULL ON NULL), 'b' VALUE JSON_OBJECT('x' VALUE CAST(NULL AS INT) ABSENT ON NULL), 'c' VALUE CAST(NULL AS INT) ABSENT ON NULL) AS v, JSON_ARRAY(JSON_OBJECT('n' VALUE CAST(NULL AS STRING)), CAST(NULL AS STRING) NULL ON NULL) AS w;

-- Listed differences (expected-differences.txt): Flink 1.20 bugs tsstream does not copy (IF/CASE
-- over a NULL JSON_EXISTS/JSON_VALUE BOOLEAN: gen-case-json-* in generator-findings-more.sql).
-- case: json-value-int-cast-to-tinyint
-- table: jd (id INT, js STRING)
-- row: {"id": 1, "js": "{\"a\": 1, \"f\": 1.5}"}
-- row: {"id": 2, "js": "{\"x\": 1}"}
SELECT id, CAST(JSON_VALUE(js, '$.a' RETURNING INT) AS TINYINT) AS a, CAST(JSON_VALUE(js, '$.a' RETURNING INT) AS SMALLINT) AS b, CAST(JSON_VALUE(js, '$.f' RETURNING DOUBLE) AS FLOAT) AS c FROM jd;
