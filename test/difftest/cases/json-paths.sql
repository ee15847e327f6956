-- How JSON_VALUE, JSON_QUERY and JSON_EXISTS read a path, as Flink 1.20 (Jayway JsonPath over
-- Jackson) reads it: an indefinite path (a wildcard) gives the array of its matches, even empty; a
-- step that does not fit fails only while the steps before it are definite; lax mode makes
-- failures, JSON nulls, invalid JSON (and for JSON_VALUE an object or array, for JSON_QUERY a
-- scalar) empty, which ON EMPTY decides; numbers keep Jackson's classes (BigInteger exact, Double
-- in Java's text); text after the first JSON value is ignored.

-- case: json-exists-wildcard
SELECT JSON_EXISTS('"a string"', '$[*]') AS a, JSON_EXISTS('{"a":1}', '$.b[*]') AS b, JSON_EXISTS('[1]', '$.b[*]') AS c, JSON_EXISTS('{"b": 1}', '$.b[*]') AS d, JSON_EXISTS('{"b": []}', '$.b[*]') AS e, JSON_EXISTS('{"b": null}', '$.b[*]') AS f, JSON_EXISTS('[]', '$[*]') AS g, JSON_EXISTS('{"a":[{"c":1},{"d":2}]}', '$.a[*].c') AS k, JSON_EXISTS('{"a":[{"d":2}]}', '$.a[*].c') AS l, JSON_EXISTS('[[1]]', '$[*][3]') AS m, JSON_EXISTS('{"a":1}', '$.*') AS n, JSON_EXISTS('{"a":1}', '$.b[*]' UNKNOWN ON ERROR) AS o;

-- case: json-exists-lax-modes
SELECT JSON_EXISTS('{"a":1}', 'lax $.b[*]') AS h, JSON_EXISTS('bad', 'lax $[*]' TRUE ON ERROR) AS i, JSON_EXISTS('bad', 'lax $.a' ERROR ON ERROR) AS j, JSON_EXISTS('{"a":1}', 'lax $.a.b') AS o, JSON_EXISTS('{"a":null}', 'lax $.a') AS p, JSON_EXISTS('{"a":[1]}', 'lax $.a[5]' ERROR ON ERROR) AS q;

-- case: json-exists-wildcard-column
-- table: docs (id INT, js STRING)
-- row: {"id": 1, "js": "{\"a\": 1, \"b\": [1, 2, {\"c\": \"x\"}]}"}
-- row: {"id": 2, "js": "[1, \"two\", null, [3], {\"a\": 4}]"}
-- row: {"id": 3, "js": "{\"b\": {\"c\": -0.5, \"d\": [true, false]}}"}
-- row: {"id": 4, "js": "not json"}
-- row: {"id": 5, "js": "\"a string\""}
-- row: {"id": 6, "js": "{\"b\": []}"}
SELECT id, JSON_EXISTS(js, '$[*]') AS a, JSON_EXISTS(js, '$.b[*]' UNKNOWN ON ERROR) AS b, JSON_QUERY(js, '$.b[*]' EMPTY OBJECT ON ERROR) AS c, JSON_VALUE(js, '$.b[*]' DEFAULT 'er' ON ERROR) AS d FROM docs;

-- case: json-query-wildcard-and-null
SELECT JSON_QUERY('"a string"', '$[*]') AS a, JSON_QUERY('{"a":1}', '$.b[*]' EMPTY OBJECT ON ERROR) AS b, JSON_QUERY('[1]', '$.b[*]' EMPTY OBJECT ON ERROR) AS c, JSON_QUERY('{"b": 1}', '$.b[*]') AS d, JSON_QUERY('{"b": {"x": 1, "y": [2]}}', '$.b[*]') AS e, JSON_QUERY('{"a":null}', '$.a' WITH CONDITIONAL ARRAY WRAPPER EMPTY ARRAY ON ERROR) AS f;

-- case: json-query-lax-on-empty
SELECT JSON_QUERY('{"a":null}', 'lax $.a' WITH WRAPPER EMPTY OBJECT ON EMPTY) AS g, JSON_QUERY('{"a":[1]}', 'lax $.a' EMPTY OBJECT ON EMPTY) AS h, JSON_QUERY('{"a":1}', 'lax $.a' EMPTY OBJECT ON EMPTY EMPTY ARRAY ON ERROR) AS i, JSON_QUERY('bad', 'lax $.a' EMPTY OBJECT ON EMPTY EMPTY ARRAY ON ERROR) AS j, JSON_QUERY('{"a":1}', 'lax $.z' EMPTY OBJECT ON EMPTY EMPTY ARRAY ON ERROR) AS k, JSON_QUERY('{"a":[1]}', 'lax $.a' WITH WRAPPER) AS l, JSON_QUERY('{"a":1}', 'lax $.a' WITH WRAPPER) AS m, JSON_QUERY('{"a":1}', 'lax $.a' WITH CONDITIONAL WRAPPER) AS n, JSON_QUERY('{"a":1}', 'lax $.a' ERROR ON ERROR) AS o, JSON_QUERY('{"a":[1]}', '$.b' WITH WRAPPER EMPTY OBJECT ON EMPTY EMPTY ARRAY ON ERROR) AS p, JSON_QUERY('{"a":[1]}', 'lax $.a[*]' EMPTY OBJECT ON EMPTY) AS q, JSON_QUERY('{"a":{"b":1}}', 'lax $.a.b.c' EMPTY OBJECT ON EMPTY EMPTY ARRAY ON ERROR) AS r;

-- case: json-value-lax-on-empty
SELECT JSON_VALUE('bad', 'lax $.a' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS a, JSON_VALUE('{"a":1}', 'lax $.z' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS b, JSON_VALUE('{"a":[1]}', 'lax $.a' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS c, JSON_VALUE('{"a":null}', 'lax $.a' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS d, JSON_VALUE('{"a":[1,2]}', '$.a[*]' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS e, JSON_VALUE('{"a":[1]}', '$.a[*]' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS f, JSON_VALUE('"a string"', '$[*]' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS g, JSON_VALUE('[1]', '$.b[*]' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS h, JSON_VALUE('{"a":{"b":1}}', 'lax $.a.b.c' DEFAULT 'em' ON EMPTY DEFAULT 'er' ON ERROR) AS i, JSON_VALUE('{"a":5}', 'lax $.a' RETURNING INT DEFAULT 1 ON EMPTY) AS j, JSON_VALUE('{"a":[5]}', 'lax $.a' RETURNING INT DEFAULT 1 ON EMPTY DEFAULT 2 ON ERROR) AS k, JSON_VALUE('{"a":1}', 'lax $.z' NULL ON EMPTY) AS l;

-- case: json-value-lax-error-on-empty-fails
SELECT JSON_VALUE('{"a":1}', 'lax $.z' ERROR ON EMPTY) AS a;

-- case: json-query-lax-error-on-empty-fails
SELECT JSON_QUERY('{"a":1}', 'lax $.z' ERROR ON EMPTY) AS a;

-- case: json-value-returning-varchar-cuts
SELECT JSON_VALUE('{"a": "abcdef"}', '$.a' RETURNING VARCHAR(3)) AS a, JSON_VALUE('{"a":12345}', '$.a' RETURNING VARCHAR(3)) AS b, JSON_VALUE('{"a":"x"}', 'lax $.z' RETURNING VARCHAR(3) DEFAULT 'abcdef' ON EMPTY) AS c, JSON_VALUE('{"a":[1]}', '$.a' RETURNING VARCHAR(2) DEFAULT 'wxyz' ON ERROR) AS d;

-- case: json-query-numbers
SELECT JSON_QUERY('12345678901234567890', '$' WITH WRAPPER) AS a, JSON_QUERY('[12345678901234567890]', '$') AS b, JSON_QUERY('{"a": 12345678901234567890, "b": 1e300, "c": 1.50, "d": -0.5, "e": 1E2, "f": 10.0, "g": 123456789012, "h": 1.0e-5, "i": 0.1}', '$') AS c, JSON_QUERY('[1e400, -0.0, 0.000001, 1234567.0, 12345678.9]', '$') AS d, JSON_QUERY('[123456789012345678901234567890, -9223372036854775809, 9223372036854775807, 2147483648, -0]', '$') AS e, JSON_QUERY('{"s": "a\u00e9\"\\/\n<>&\u2028", "t": "\u001f"}', '$') AS f, JSON_QUERY('{"a": [1.0, 2]}', '$.a[*]') AS g, JSON_QUERY('{"a": 0.1e1}', '$' WITH WRAPPER) AS h;

-- case: json-value-numbers
SELECT JSON_VALUE('{"a": 12345678901234567890}', '$.a') AS a, JSON_VALUE('{"a": 1e400}', '$.a') AS b, JSON_VALUE('[-0.0]', '$[0]') AS c, JSON_VALUE('{"a":1,"a":2.50}', '$.a') AS d, JSON_VALUE('[-0]', '$[0]') AS e;

-- case: json-text-after-the-value
SELECT '{"a":1} x' IS JSON AS a, JSON_VALUE('{"a":1} x', '$.a') AS b, '[1]]' IS JSON ARRAY AS c, '1 2' IS JSON SCALAR AS d, '1x' IS JSON AS e, '"a" b' IS JSON AS f, JSON_QUERY('{"a":[1]}} {', '$.a') AS g, '{"a":1,"a":2}' IS JSON AS h, '' IS JSON AS i, ' ' IS JSON AS k;

-- case: json-query-key-order
SELECT JSON_QUERY('{"b":1,"1":2,"a":{"z":1,"2":3},"0":[{"10":1,"9":2}]}', '$') AS a, JSON_QUERY('{"b":1,"1":2,"b":3}', '$') AS b, JSON_QUERY('{"b":1,"1":2.5}', '$.*') AS c, JSON_VALUE('{"x":{"1":"one"}}', '$.x.1') AS d, JSON_QUERY('{"k":"a\"b\\c\u0041","10":null}', '$') AS e;

-- case: json-is-json-kinds-of-numbers
SELECT '1.5' IS JSON SCALAR AS a, '1.5' IS JSON OBJECT AS b, '12345678901234567890' IS JSON SCALAR AS c, '{"1":1.5}' IS JSON OBJECT AS d, '[1e5]' IS JSON ARRAY AS e, '{"1":1}' IS JSON SCALAR AS f;
