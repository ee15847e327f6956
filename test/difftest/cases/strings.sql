-- String functions.

-- case: upper-lower-initcap
SELECT UPPER('ab c') AS a, LOWER('AB C') AS b, INITCAP('hello wORLD') AS c;

-- case: concat
SELECT 'a' || 'b' AS a, CONCAT('x', 'y', 'z') AS b, CONCAT_WS('-', 'x', 'y', 'z') AS c;

-- case: concat-with-null
SELECT 'a' || CAST(NULL AS STRING) AS a, CONCAT('x', CAST(NULL AS STRING)) AS b, CONCAT_WS('-', 'x', CAST(NULL AS STRING), 'z') AS c;

-- case: substring
SELECT SUBSTRING('hello' FROM 2 FOR 3) AS a, SUBSTR('hello', 2) AS b, SUBSTRING('hello', 0, 2) AS c;

-- case: substring-negative
SELECT SUBSTR('hello', -3) AS a, SUBSTR('hello', -3, 2) AS b;

-- case: char-length
SELECT CHAR_LENGTH('grüße') AS a, CHARACTER_LENGTH('') AS b;

-- case: trim
SELECT TRIM('  x  ') AS a, TRIM(LEADING 'x' FROM 'xxaxx') AS b, TRIM(TRAILING 'x' FROM 'xxaxx') AS c, LTRIM('  y') AS d, RTRIM('y  ') AS e;

-- case: position-locate
SELECT POSITION('l' IN 'hello') AS a, LOCATE('l', 'hello', 4) AS b, POSITION('z' IN 'hello') AS c;

-- case: replace
SELECT REPLACE('banana', 'an', 'AN') AS v;

-- case: overlay
SELECT OVERLAY('abcdef' PLACING 'XY' FROM 2 FOR 3) AS v;

-- case: lpad-rpad
SELECT LPAD('7', 3, '0') AS a, RPAD('ab', 5, 'xy') AS b, LPAD('abcdef', 3, '0') AS c;

-- case: repeat-reverse
SELECT REPEAT('ab', 3) AS a, REVERSE('abc') AS b;

-- case: split-index
SELECT SPLIT_INDEX('a,b,c', ',', 1) AS a, SPLIT_INDEX('a,b,c', ',', 5) AS b;

-- case: regexp-replace
SELECT REGEXP_REPLACE('a1b22c333', '[0-9]+', '#') AS v;

-- case: regexp-extract
SELECT REGEXP_EXTRACT('foo=12,bar=34', 'bar=([0-9]+)', 1) AS a, REGEXP_EXTRACT('abc', 'z(.)', 1) AS b;

-- case: regexp-predicate
SELECT REGEXP('abc123', '[0-9]+') AS a, 'abc' SIMILAR TO 'a%' AS b;

-- case: like
SELECT 'hello' LIKE 'h%o' AS a, 'hello' LIKE 'H%' AS b, 'a_c' LIKE 'a!_c' ESCAPE '!' AS c, 'abc' NOT LIKE '%b%' AS d;

-- case: ascii-chr
SELECT ASCII('A') AS a, CHR(66) AS b;

-- case: left-right
SELECT `LEFT`('hello', 2) AS a, `RIGHT`('hello', 3) AS b;

-- case: md5-sha
SELECT MD5('abc') AS a, SHA1('abc') AS b, SHA256('abc') AS c;

-- case: to-base64
SELECT TO_BASE64('hello') AS a, FROM_BASE64('aGVsbG8=') AS b;

-- case: uuid-length
SELECT CHAR_LENGTH(UUID()) AS v;

-- case: str-to-map
SELECT STR_TO_MAP('a=1,b=2') AS v;

-- case: string-comparison
SELECT 'a' < 'b' AS a, 'B' < 'a' AS b, 'abc' = 'abc' AS c;

-- case: translate-instr
SELECT INSTR('hello', 'l') AS a;

-- case: url-decode-encode
SELECT URL_ENCODE('a b&c') AS a, URL_DECODE('a%20b') AS b;

-- case: parse-url
SELECT PARSE_URL('http://example.com/p?q=1', 'HOST') AS a, PARSE_URL('http://example.com/p?q=1', 'QUERY', 'q') AS b;
