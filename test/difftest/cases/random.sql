-- Seeded RAND(seed) / RAND_INTEGER(seed, n): java.util.Random's sequence per call site, advanced
-- once per row, as Flink 1.20 generates it. datagen has no seed option in Flink 1.20.
-- table: t (id INT)
-- row: {"id": 1}
-- row: {"id": 2}
-- row: {"id": 3}
-- row: {"id": 4}

-- case: rand-seeded-sequence
-- vitest
SELECT id, RAND(42) AS r, RAND_INTEGER(42, 100) AS ri, RAND_INTEGER(7, 10) AS r7 FROM t;

-- case: rand-seeded-edge
SELECT id, RAND(0) AS a, RAND(-5) AS b, RAND_INTEGER(3, 16) AS c, RAND_INTEGER(-2147483648, 2147483647) AS d, RAND_INTEGER(11, 1) AS e, RAND(CAST(NULL AS INT)) AS f FROM t;

-- case: rand-bigint-seed-refused
SELECT RAND(CAST(123456789012 AS BIGINT)) AS e;

-- case: datagen-seed-option-refused
CREATE TEMPORARY TABLE g (x INT) WITH ('connector' = 'datagen', 'number-of-rows' = '3', 'fields.x.seed' = '5');
SELECT COUNT(*) AS n FROM g;

-- case: negative-literal-types
SELECT -2147483648 AS a, -9223372036854775808 AS b, -2147483647 AS c, -(2147483648) AS d, - 2147483648 AS e;
