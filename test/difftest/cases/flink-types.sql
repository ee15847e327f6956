-- Result types as Flink 1.20 infers them (lengths, CHAR vs VARCHAR, nullability), Java's integer
-- wrap-around, HASH_CODE, JOIN … USING, and the numeric decisions of issue 13 (literal types,
-- MOD types, DECIMAL overflow in SUM and on JSON read).

-- case: string-types-arg0
SELECT UPPER('ab c') AS a, UPPER(CAST('x' AS VARCHAR(5))) AS b, 'a' || CAST('x' AS VARCHAR(5)) AS c, CONCAT('x', 'yy') AS d, CONCAT('x', CAST('x' AS VARCHAR(5))) AS e, CONCAT_WS('-', 'a', 'b') AS f, SUBSTRING('hello', 2) AS g, SUBSTRING(CAST('x' AS VARCHAR(5)), 2) AS h, TRIM(' a ') AS i, LTRIM(' a ') AS j, REPLACE('abc','b','x') AS k;

-- case: string-types-lengths
-- vitest
SELECT OVERLAY('abcdef' PLACING 'XY' FROM 2 FOR 3) AS a, OVERLAY(CAST('x' AS VARCHAR(5)) PLACING CAST('x' AS VARCHAR(3)) FROM 2) AS b, LPAD('7', 3, '0') AS c, REPEAT('ab', 3) AS d, REVERSE('abc') AS e, REGEXP_REPLACE('a1','[0-9]','#') AS f, CHR(66) AS g, `LEFT`('hello', 2) AS h, `RIGHT`(CAST('x' AS VARCHAR(3)), 3) AS i, MD5('abc') AS j, SHA1('abc') AS k, SHA224('a') AS l, SHA384('a') AS m, SHA512('a') AS n, SHA2('a', 256) AS o;

-- case: string-types-nullability
SELECT STR_TO_MAP('a=1') AS a, FROM_UNIXTIME(1) AS b, FROM_UNIXTIME(1, 'yyyy') AS c, TO_BASE64('a') AS d, FROM_BASE64('YQ==') AS e, REGEXP_EXTRACT('a','a') AS f, SPLIT_INDEX('a,b',',',0) AS g, INITCAP(CAST('x' AS VARCHAR(5))) AS h, RTRIM(CAST('x' AS VARCHAR(5))) AS j, TRIM(BOTH 'x' FROM 'xax') AS k, INITCAP('ab') AS l, LOWER('AB') AS m, CONCAT_WS(CAST(NULL AS STRING), 'a') AS n, 'a' || CAST(NULL AS STRING) AS o, CONCAT('a', CAST(NULL AS STRING)) AS p, TRIM('  ab') AS q;

-- case: similar-to
SELECT 'abc' SIMILAR TO 'a%' AS a, 'abc' SIMILAR TO '(a|x)b_' AS b, 'abc' NOT SIMILAR TO 'a%' AS c, 'aaa' SIMILAR TO 'a+' AS d, 'ab' SIMILAR TO 'a' AS e, 'a.c' SIMILAR TO 'a_c' AS f;

-- case: decimal-multiplication-precision
SELECT CAST(1.25 AS DECIMAL(10, 2)) * CAST(4.5 AS DECIMAL(6, 1)) AS a, CAST(1 AS DECIMAL(20,2)) * CAST(1 AS DECIMAL(20,3)) AS b, CAST(1 AS DECIMAL(30,10)) * CAST(1 AS DECIMAL(20,10)) AS c, 2 * CAST(1.5 AS DECIMAL(5,1)) AS d, CAST(2 AS BIGINT) * CAST(1.5 AS DECIMAL(5,1)) AS e, CAST(1 AS DECIMAL(38,0)) * CAST(1 AS DECIMAL(1,0)) AS f;

-- case: literal-and-mod-types
SELECT 0.05 AS a, MOD(CAST(7 AS BIGINT), 3) AS b, CAST(7 AS BIGINT) % 3 AS c, MOD(7, CAST(3 AS BIGINT)) AS d, MOD(CAST(7 AS TINYINT), 3) AS e, 1.5E0 AS f, 100.000 AS g, -0.5 AS h, MOD(CAST(-9223372036854775807 AS BIGINT), 10) AS i;

-- case: literal-decimal-arith-types
SELECT 0.1 + 0.2 AS a, 1.10 * 1.1 AS b, 0.5 AS c, .5 AS d, 00.5 AS e, 10.25 - 0.005 AS f;

-- case: tinyint-smallint-wrap
-- vitest
SELECT CAST(100 AS TINYINT) + CAST(100 AS TINYINT) AS a, CAST(30000 AS SMALLINT) + CAST(30000 AS SMALLINT) AS b, CAST(100 AS TINYINT) * CAST(3 AS TINYINT) AS c, CAST(-128 AS TINYINT) - CAST(1 AS TINYINT) AS d, -CAST(-128 AS TINYINT) AS e, CAST(100 AS TINYINT) + 1 AS f, CAST(2147483647 AS INT) + 1 AS g, CAST(100 AS TINYINT) / CAST(3 AS TINYINT) AS h, CAST(-128 AS TINYINT) / CAST(-1 AS TINYINT) AS i;

-- case: integer-cast-and-abs-wrap
SELECT ABS(CAST(-128 AS TINYINT)) AS a, CAST(300 AS TINYINT) AS b, CAST(70000 AS SMALLINT) AS c, CAST(1e10 AS INT) AS d, CAST(128.7 AS TINYINT) AS e, ABS(CAST(-2147483648 AS INT)) AS f, -CAST(-2147483648 AS INT) AS g;

-- case: hash-code-types
-- vitest
SELECT HASH_CODE('abc') AS a, HASH_CODE('') AS b, HASH_CODE(1) AS c, HASH_CODE(CAST(1 AS BIGINT)) AS d, HASH_CODE(1.5E0) AS e, HASH_CODE(TRUE) AS f, HASH_CODE(CAST(NULL AS STRING)) AS h, HASH_CODE(CAST('abc' AS VARCHAR(10))) AS i, HASH_CODE('polygenelubricants') AS j, HASH_CODE('aaaaaaaaaaaaaaaa') AS k, HASH_CODE('hello world, a longer string of text') AS l;

-- case: hash-code-more-types
SELECT HASH_CODE(CAST(1.5 AS DECIMAL(10,2))) AS a, HASH_CODE(DATE '2024-01-01') AS b, HASH_CODE(TIMESTAMP '2024-01-01 00:00:00') AS c, HASH_CODE(CAST(3 AS TINYINT)) AS e, HASH_CODE(-7) AS f, HASH_CODE(CAST(-5000000000 AS BIGINT)) AS g, HASH_CODE(FALSE) AS h, HASH_CODE(CAST(1.5 AS FLOAT)) AS i, HASH_CODE(CAST(-1.5 AS DECIMAL(10,2))) AS j, HASH_CODE(-2.75E-3) AS k, HASH_CODE(CAST(9223372036854775807 AS BIGINT)) AS l, HASH_CODE(CAST(-2147483648 AS INT)) AS m;

-- case: hash-code-binary-refused
SELECT HASH_CODE(X'0102') AS a;

-- case: json-decimal-overflow
-- vitest
-- table: o (id INT, d DECIMAL(5, 2))
-- row: {"id": 1, "d": 123456.789}
-- row: {"id": 2, "d": 1.5}
-- row: {"id": 3, "d": "999.999"}
SELECT * FROM o;

-- case: sum-decimal-overflow-nullable
-- table: sd (k STRING, d DECIMAL(38, 0))
-- row: {"k": "a", "d": 99999999999999999999999999999999999999}
-- row: {"k": "a", "d": 1}
-- row: {"k": "b", "d": 5}
SELECT k, SUM(d) AS s FROM sd GROUP BY k;

-- case: sum-decimal-overflow-streaming
-- mode: streaming
-- table: sd (k STRING, d DECIMAL(38, 0))
-- row: {"k": "a", "d": 99999999999999999999999999999999999999}
-- row: {"k": "a", "d": 1}
-- row: {"k": "b", "d": 5}
SELECT k, SUM(d) AS s, AVG(d) AS av FROM sd GROUP BY k;
