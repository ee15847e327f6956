-- What the seeded random generator found in session 11 (seeds 1-5, 11, 13-15), kept as cases.
-- table: gq (id INT, k INT, i INT, dt DATE, js STRING)
-- row: {"id": 1, "k": 1, "i": 1, "dt": "2024-01-01", "js": "{\"e\": true, \"f\": 1.5}"}
-- row: {"id": 2, "k": 2, "i": null, "dt": null, "js": "{\"e\": \"2.25\"}"}
-- row: {"id": 3, "k": 1, "i": 0, "dt": "1901-02-28", "js": "x"}
-- table: gl (id INT, j INT, l TIMESTAMP_LTZ(3), t6 TIMESTAMP(6))
-- row: {"id": 7, "j": 3, "l": "1900-01-01 00:00:00Z", "t6": "2024-01-01 10:00:01.000001"}
-- row: {"id": 8, "j": 0, "l": "1900-01-01 03:30:00Z", "t6": "1969-12-31 23:59:59.999001"}
-- row: {"id": 9, "j": -7, "l": "2024-03-10 06:59:59.999Z", "t6": null}
-- table: gz (id INT, k INT, n DECIMAL(10, 2), d DOUBLE, s STRING, ts TIMESTAMP(3))
-- row: {"id": 1, "k": 2, "n": 1.5, "d": 2.0, "s": "abc", "ts": "2024-01-01 10:00:00"}
-- row: {"id": 2, "k": null, "n": null, "d": null, "s": null, "ts": null}
-- table: gs (id INT, sa ARRAY<STRING>)
-- row: {"id": 1, "sa": ["a", "", "b"]}
-- row: {"id": 2, "sa": null}

-- case: gen-where-nullif-column-false-drops-json-value
-- Flink 1.20 refuses JSON_VALUE … RETURNING DECIMAL (and BIGINT) while generating code, so only
-- where its planner keeps it (src/planner/simplify.ts). In a filter's condition its planner reduces
-- NULLIF(c, c) of a column to NULL, so this WHERE is FALSE: the input becomes empty Values, and the
-- projections and aggregates over it go with it (seed 13, gen-13-group-11, with MIN(CAST(JSON_VALUE(…
-- RETURNING DECIMAL(10, 2) DEFAULT …) AS BIGINT))). tsstream answers the same (no rows).
SELECT k, MIN(CAST(JSON_VALUE(js, '$.e' RETURNING DECIMAL(10, 2) DEFAULT 0.5 ON EMPTY DEFAULT 0.5 ON ERROR) AS BIGINT)) AS a FROM gq WHERE (DATE '1900-02-28' + INTERVAL '365' DAY(3)) <> NULLIF(dt, dt) GROUP BY k;

-- case: gen-where-nullif-column-false-streaming
-- mode: streaming
SELECT k, MIN(JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2))) AS a FROM gq WHERE k <> NULLIF(i, i) GROUP BY k;

-- case: gen-where-nullif-column-false-global-aggregate
-- A global aggregate over the empty input still gives its one row.
SELECT MIN(CAST(JSON_VALUE(js, '$.e' RETURNING DECIMAL(10, 2) DEFAULT 0.5 ON EMPTY) AS BIGINT)) AS a, COUNT(*) AS c FROM gq WHERE NULLIF(i, i) > k;

-- case: gen-where-nullif-column-null-inside-functions
-- NULLIF(c, c) is NULL anywhere in the filter: under ABS, a CAST, IN, BETWEEN, IS NOT NULL.
SELECT id, JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2)) AS a FROM gq WHERE ABS(NULLIF(i, i)) > 0 OR CAST(NULLIF(i, i) AS BIGINT) > 0 OR NULLIF(i, i) IN (1, 2) OR NULLIF(i, i) BETWEEN 1 AND 2 OR NULLIF(i, i) IS NOT NULL OR i * NULLIF(i, i) > 0;

-- case: gen-where-false-drops-json-value
SELECT id, JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2)) AS a FROM gq WHERE FALSE;

-- case: gen-where-nullif-column-coalesce-refused
-- Only the NULLIF is NULL: COALESCE(NULL, k) > … stays, and so does the JSON_VALUE (both refuse).
SELECT id FROM gq WHERE COALESCE(NULLIF(i, i), k) > JSON_VALUE(js, '$.f' RETURNING BIGINT);

-- case: gen-where-nullif-column-is-null-refused
SELECT id, JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2)) AS a FROM gq WHERE NULLIF(i, i) IS NULL;

-- case: gen-where-nullif-expression-refused
-- NULLIF(x, x) of an expression is not reduced: Flink's filter becomes i + 1 > k AND i IS NULL.
SELECT id, JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2)) AS a FROM gq WHERE NULLIF(i + 1, i + 1) > k OR NULLIF(CAST(i AS BIGINT), CAST(i AS BIGINT)) > 0;

-- case: gen-case-when-nullif-column-compared
-- In a projection NULLIF(c, c) stays a CASE, but a CASE condition comparing it with a safe value
-- (no division, CAST or function) is FALSE: Flink pushes the comparison into the CASE, CASE WHEN i
-- IS NOT NULL THEN NULL > k ELSE i > k END, and simplifies that to FALSE as a condition.
SELECT id, CASE WHEN NULLIF(i, i) > k THEN JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2)) ELSE 1.5 END AS a, CASE WHEN NULLIF(i, i) = 5 THEN JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2)) ELSE 2.5 END AS b FROM gq;

-- case: gen-case-when-nullif-column-plus-refused
SELECT id, CASE WHEN k + NULLIF(i, i) > 0 THEN JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2)) ELSE 1.5 END AS a FROM gq;

-- case: gen-case-when-nullif-column-equals-column-refused
-- An = of two sides over different columns is not pushed into the CASE.
SELECT id, CASE WHEN NULLIF(i, i) = k THEN JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2)) ELSE 1.5 END AS a FROM gq;

-- case: gen-case-when-nullif-column-divided-refused
-- A division is not safe (Calcite's RexSimplify.isSafeExpression): the CASE stays.
SELECT id, CASE WHEN NULLIF(i, i) > k / 2 THEN JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2)) ELSE 1.5 END AS a FROM gq;

-- case: gen-nullif-column-values-agree
SELECT id, NULLIF(i, i) AS a, k + NULLIF(i, i) AS b, NULLIF(i, i) > 0 AS c, CASE WHEN NULLIF(i, i) > k THEN 1 ELSE 2 END AS d, COALESCE(NULLIF(i, i), k) AS e FROM gq WHERE id > 0 OR NULLIF(i, i) > 0;

-- case: gen-where-constant-false-drops-json-value
-- A WHERE of constants Flink's planner reduces to FALSE (1 = 0): the input is empty and the
-- JSON_VALUE goes with it, in both.
SELECT id, JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2)) AS a FROM gq WHERE 1 = 0;

-- case: gen-where-constant-true-keeps-json-value
-- A WHERE of constants that is TRUE (2 > 1) leaves the JSON_VALUE … RETURNING DECIMAL in place:
-- refused by both.
SELECT id, JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2)) AS a FROM gq WHERE 2 > 1;

-- case: gen-having-false-drops-json-value
-- HAVING FALSE empties the aggregate's output, and Flink prunes the aggregate and its arguments too:
-- the JSON_VALUE is not refused, in both.
SELECT k, MIN(JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2))) AS a FROM gq GROUP BY k HAVING FALSE;

-- case: gen-having-constant-false-global-drops-json-value
-- The same for a global aggregate and a HAVING of constants (1 > 2).
SELECT MIN(JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2))) AS a FROM gq HAVING 1 > 2;

-- case: gen-having-true-keeps-json-value
-- HAVING TRUE leaves the aggregate in place: refused by both.
SELECT k, MIN(JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2))) AS a FROM gq GROUP BY k HAVING TRUE;

-- case: gen-having-column-keeps-json-value
-- A HAVING that reads a column is not pruned: refused by both.
SELECT k, MIN(JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2))) AS a FROM gq GROUP BY k HAVING k > 0;

-- case: gen-having-null-and-not-null-drops-json-value
-- k IS NULL AND k IS NOT NULL is FALSE to Flink's planner (Calcite's RexSimplify), so the HAVING is
-- FALSE and the aggregate goes with its JSON_VALUE, in both.
SELECT k, MIN(JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2))) AS a FROM gq GROUP BY k HAVING k IS NULL AND k IS NOT NULL;

-- case: gen-where-null-and-not-null-drops-json-value
-- The same in a WHERE: the input is empty.
SELECT id, JSON_VALUE(js, '$.f' RETURNING DECIMAL(10, 2)) AS a FROM gq WHERE i IS NOT NULL AND id > 0 AND i IS NULL;

-- case: gen-floor-floor-ltz-rolled-up
-- Flink 1.20's planner rolls FLOOR(FLOOR(x TO HOUR) TO HOUR) up into FLOOR(x TO HOUR) (Calcite's
-- RexSimplify.simplifyCeilFloor: an outer unit as coarse or coarser, CEIL of CEIL likewise). It
-- shows where the inner one is not exact: Flink floors a TIMESTAMP_LTZ before 1900 in the zone's
-- standard offset (São Paulo's -3:00, not its -3:06:28 local mean time), so without the roll-up the
-- outer FLOOR of 1899-12-31 20:00:00 would be 19:53:32 (seed 3). CEIL of a FLOOR is not rolled up.
SET 'table.local-time-zone' = 'America/Sao_Paulo';
SELECT id, FLOOR(FLOOR(TIMESTAMPADD(SECOND, j, l) TO HOUR) TO HOUR) AS a, FLOOR(FLOOR(l TO HOUR) TO DAY) AS b, FLOOR(FLOOR(l TO DAY) TO HOUR) AS c, CEIL(FLOOR(l TO HOUR) TO HOUR) AS d, CEIL(CEIL(l TO MINUTE) TO HOUR) AS e, FLOOR(FLOOR(l TO DAY) TO WEEK) AS g FROM gl;

-- case: gen-ceil-ceil-timestamp-rolled-up
-- CEIL to a second or more starts from the millisecond in Flink: CEIL(CEIL(ts TO MILLISECOND) TO
-- SECOND) of …01.000001 is …01 (rolled up into CEIL(ts TO SECOND)), not …02.
SELECT id, CEIL(CEIL(t6 TO MILLISECOND) TO SECOND) AS a, CEIL(CEIL(t6 TO SECOND) TO MILLISECOND) AS b, FLOOR(FLOOR(t6 TO MILLISECOND) TO SECOND) AS c FROM gl;

-- case: gen-is-null-of-division-reads-operands
-- Flink 1.20's planner reads x IS [NOT] NULL of arithmetic, a comparison, NOT, LIKE, EXTRACT, TRIM,
-- FLOOR/CEIL or TIMESTAMPADD from its operands' (Calcite's RexSimplify.simplifyIsNull), so the
-- division is never evaluated: (n * k) / TIMESTAMPDIFF(MONTH, ts, ts) IS NULL is FALSE, not a
-- division by zero (seed 14). CAST, MOD and functions are evaluated (gen-is-null-of-function-evaluated).
SET 'table.local-time-zone' = 'America/Sao_Paulo';
SELECT id, (n * k) / TIMESTAMPDIFF(MONTH, ts, ts) IS NULL AS a, (k / (k - k)) IS NULL AS b, (k / (k - k)) IS NOT NULL AS c, (1 / 0) IS NULL AS e, -(k / (k - k)) > 1 IS NULL AS f FROM gz WHERE (k / (k - k)) IS NOT NULL OR id = 2;

-- case: gen-is-null-of-function-evaluated
SELECT id, ABS(k / (k - k)) IS NULL AS a FROM gz;

-- case: gen-constant-double-division-by-zero-under-a-call
-- A constant DOUBLE divided by a constant zero fails Flink 1.20's planning only where the division is
-- the root of the largest constant expression around it (gen-constant-function-divided-by-zero);
-- under a constant call Flink reduces that call in doubles: EXP(1.0E-3 / CAST(0 AS BIGINT)) is
-- Infinity (seed 14, in MAX), SIN(…) NaN, EXP(-1.0E-3 / 0) 0.0.
SELECT id, EXP(1.0E-3 / CAST(0 AS BIGINT)) AS a, (1.0E-3 / 0) + 1 AS b, CAST(1.0E-3 / 0 AS STRING) AS c, SIN(1.0E-3 / 0) AS e, EXP(-1.0E-3 / 0) AS f, EXP(1.0E-3 / 0) + d AS g FROM gz;

-- case: gen-constant-double-division-by-zero-in-aggregate
-- mode: streaming
SELECT MAX(EXP(1.0E-3 / CAST(0 AS BIGINT))) AS a FROM gz;

-- case: gen-constant-double-division-by-zero-compared
SELECT id FROM gz WHERE 1.0E-3 / 0 > d;

-- case: gen-constant-double-division-by-zero-case-branch
SELECT id, CASE WHEN d > 0 THEN 1.0E-3 / 0 ELSE d END AS a, COALESCE(1.0E-3 / 0, d) AS b FROM gz;

-- case: gen-position-subscript-needle-parse
-- As gen-position-parenthesized-needle-parse: Flink 1.20's parser takes only an atomic expression
-- before POSITION's IN, so POSITION(ARRAY_REMOVE(sa, '')[1] IN 'a') and POSITION(sa[1] IN 'a') fail
-- to parse (ParseException: Encountered "["; seed 15), a Flink bug; tsstream accepts them. Wrapped in
-- a CAST both agree (gen-position-subscript-needle-cast-agrees); the seeded generator wraps it so.
SELECT id, POSITION(ARRAY_REMOVE(sa, '')[1] IN 'a') AS a FROM gs;

-- case: gen-position-subscript-needle-cast-agrees
SELECT id, POSITION(CAST(ARRAY_REMOVE(sa, '')[1] AS STRING) IN 'a') AS a, POSITION(CAST(sa[1] AS STRING) IN 'ab') AS b FROM gs;
