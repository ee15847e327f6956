-- Arithmetic and numeric functions: result types and values.

-- case: int-division
SELECT 7 / 2 AS a, -7 / 2 AS b, 7 % 3 AS c, -7 % 3 AS d;

-- case: decimal-division-type
SELECT CAST(1 AS DECIMAL(10, 2)) / CAST(3 AS DECIMAL(10, 2)) AS v;

-- case: decimal-multiplication-type
SELECT CAST(1.25 AS DECIMAL(10, 2)) * CAST(4.5 AS DECIMAL(6, 1)) AS v;

-- case: decimal-addition-type
SELECT CAST(1.25 AS DECIMAL(10, 2)) + CAST(4.5 AS DECIMAL(6, 1)) AS v;

-- case: literal-decimal-type
SELECT 1.5 AS a, 1.50 + 2 AS b;

-- case: double-literal-type
SELECT 1.5E0 AS a, 2e-3 AS b;

-- case: int-plus-bigint-type
SELECT 1 + CAST(2 AS BIGINT) AS v;

-- case: int-overflow-wraps
SELECT 2147483647 + 1 AS v;

-- case: division-by-zero-int
SELECT 1 / 0 AS v;

-- case: division-by-zero-double
SELECT 1.0E0 / 0 AS v;

-- case: mod-function
SELECT MOD(17, 5) AS a, MOD(-17, 5) AS b;

-- case: abs-sign
SELECT ABS(-5) AS a, ABS(-2.5) AS b, SIGN(-3) AS c, SIGN(CAST(2.5 AS DOUBLE)) AS d;

-- case: round-half-up
SELECT ROUND(2.5, 0) AS a, ROUND(-2.5, 0) AS b, ROUND(1.2345, 2) AS c, ROUND(1234.5, -2) AS d;

-- case: round-double
SELECT ROUND(CAST(2.675 AS DOUBLE), 2) AS v;

-- case: truncate-number
SELECT TRUNCATE(1.789, 1) AS a, TRUNCATE(-1.789, 1) AS b;

-- case: floor-ceil
SELECT FLOOR(-1.5) AS a, CEIL(-1.5) AS b, FLOOR(CAST(2.7 AS DOUBLE)) AS c, CEIL(2) AS d;

-- case: power-sqrt
SELECT POWER(2, 10) AS a, SQRT(16) AS b, EXP(0) AS c, LN(1) AS d;

-- case: log-functions
SELECT LOG10(1000) AS a, LOG2(8) AS b, LOG(2, 8) AS c;

-- case: trig
SELECT SIN(0) AS a, COS(0) AS b, ROUND(PI(), 5) AS c, DEGREES(PI()) AS d;

-- case: bin-hex
SELECT BIN(10) AS a, HEX(255) AS b, HEX('AB') AS c;

-- case: greatest-least
SELECT GREATEST(1, 5, 3) AS a, LEAST(1, 5, 3) AS b, GREATEST('a', 'c', 'b') AS c;

-- case: greatest-with-null
SELECT GREATEST(1, CAST(NULL AS INT), 3) AS v;

-- case: unary-minus-decimal
SELECT -CAST(1.10 AS DECIMAL(4, 2)) AS v;

-- case: double-arithmetic
SELECT CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE) AS v;

-- case: float-arithmetic-type
SELECT CAST(1.5 AS FLOAT) * 2 AS v;

-- case: bigint-multiplication
SELECT CAST(3000000000 AS BIGINT) * 3 AS v;

-- case: tinyint-arithmetic-type
SELECT CAST(100 AS TINYINT) + CAST(100 AS TINYINT) AS v;
