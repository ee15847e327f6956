-- U&'…' unicode string literals, and named arguments (which Flink 1.20 refuses for built-ins).

-- case: unicode-string-literal
-- vitest
SELECT U&'\0041\00e9' AS a, U&'#0041b' UESCAPE '#' AS b, U&'x\\y' AS c, CHAR_LENGTH(U&'\00e9') AS e, u&'\0041' AS f, U&'it''s' AS g;

-- case: unicode-string-in-where
-- table: names (n STRING)
-- row: {"n": "café"}
-- row: {"n": "cafe"}
SELECT n FROM names WHERE n = U&'caf\00e9';

-- case: unicode-string-bad-escape
SELECT U&'\004' AS a;

-- case: named-arguments-builtin-refused
SELECT REPEAT(s => 'ab', n => 2) AS a;

-- case: named-arguments-abs-refused
SELECT ABS(x => -1) AS a;
