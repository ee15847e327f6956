-- Exact numeric literals: Flink 1.20 (Calcite's validator) refuses one whose unscaled value (its
-- digits without the point, with its sign) does not fit a 64-bit long, whatever its precision.
-- vitest

-- case: declit-38-digits-scale-2
SELECT CAST(999999999999999999999999999999999999.99 AS DECIMAL(38, 2)) AS v;

-- case: declit-38-digits-scale-2-bare
SELECT 999999999999999999999999999999999999.99 AS v;

-- case: declit-20-digits-scale-2
SELECT 999999999999999999.99 AS v;

-- case: declit-19-digits-scale-2
SELECT 99999999999999999.99 AS v;

-- case: declit-38-digits-scale-18
SELECT 99999999999999999999.999999999999999999 AS v;

-- case: intlit-38-digits
SELECT 99999999999999999999999999999999999999 AS v;

-- case: intlit-20-digits
SELECT 12345678901234567890 AS v;

-- case: declit-neg-38
SELECT -999999999999999999999999999999999999.99 AS v;

-- case: intlit-long-min
SELECT -9223372036854775808 AS v;

-- case: intlit-long-max-plus-1
SELECT 9223372036854775808 AS v;

-- case: declit-unscaled-long-max
SELECT 92233720368547758.07 AS v;

-- case: declit-unscaled-long-max-plus-1
SELECT 92233720368547758.08 AS v;

-- case: declit-unscaled-long-min
SELECT -92233720368547758.08 AS v;

-- case: declit-leading-zeros
SELECT 000000000000000000000000001.5 AS v, 0.000000000000000000000000000000000001 AS w;

-- case: declit-in-expression
SELECT 1 + 99999999999999999.99 AS v;

-- case: negative-literals-typed
SELECT -2147483648 AS a, -2147483649 AS b, -0 AS c, -0.0 AS d, -1.50 AS e, - -5 AS f, -(5) AS g, -1e3 AS h;
