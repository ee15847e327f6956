-- JSON_VALUE … RETURNING BIGINT/DECIMAL (Flink 1.20 generates no code for it) inside subqueries:
-- refused at planning exactly where it survives Flink's simplification (Calcite's RexSimplify) of
-- the expression that holds it; a correlated subquery's WHERE is simplified as a whole before it is
-- split into the conditions on the subquery's own columns and those on the outer query's.
-- table: gj (id INT, i INT, js STRING)
-- row: {"id": 1, "i": 5, "js": "{\"g\": 7}"}
-- row: {"id": 2, "i": null, "js": "{}"}

-- case: json-refusal-derived-table-where
SELECT id FROM (SELECT * FROM gj WHERE JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1) t;

-- case: json-refusal-derived-table-where-and-false
SELECT id FROM (SELECT * FROM gj WHERE JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1 AND FALSE) t;

-- case: json-refusal-in-subquery
SELECT id FROM gj WHERE id IN (SELECT id FROM gj WHERE JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1);

-- case: json-refusal-in-subquery-null-operand
SELECT id FROM gj WHERE id IN (SELECT id FROM gj WHERE JSON_VALUE(js, '$.g' RETURNING BIGINT) > CAST(NULL AS BIGINT));

-- case: json-refusal-in-subquery-select-case-false
SELECT id FROM gj WHERE id IN (SELECT CASE WHEN FALSE THEN JSON_VALUE(js, '$.g' RETURNING BIGINT) ELSE CAST(id AS BIGINT) END FROM gj);

-- case: json-refusal-exists-correlated
SELECT id FROM gj WHERE EXISTS (SELECT 1 FROM gj g2 WHERE g2.id = gj.id AND JSON_VALUE(g2.js, '$.g' RETURNING BIGINT) > 1);

-- case: json-refusal-exists-correlated-or-true
SELECT id FROM gj WHERE EXISTS (SELECT 1 FROM gj g2 WHERE g2.id = gj.id AND (JSON_VALUE(g2.js, '$.g' RETURNING BIGINT) > 1 OR g2.i IS NULL OR TRUE));

-- case: json-refusal-exists-correlated-and-false
SELECT id FROM gj WHERE EXISTS (SELECT 1 FROM gj g2 WHERE g2.id = gj.id AND JSON_VALUE(g2.js, '$.g' RETURNING BIGINT) > 1 AND FALSE);

-- case: json-refusal-exists-correlated-outer-and-false
SELECT id FROM gj WHERE EXISTS (SELECT 1 FROM gj g2 WHERE g2.id = gj.id AND JSON_VALUE(g2.js, '$.g' RETURNING BIGINT) > gj.i AND FALSE);

-- case: json-refusal-scalar-uncorrelated
SELECT id FROM gj WHERE i > (SELECT MAX(g2.i) FROM gj g2 WHERE JSON_VALUE(g2.js, '$.g' RETURNING BIGINT) > 1);

-- case: json-refusal-scalar-correlated
SELECT id, (SELECT MAX(g2.i) FROM gj g2 WHERE g2.id = gj.id AND JSON_VALUE(g2.js, '$.g' RETURNING BIGINT) > 1) AS m FROM gj;

-- case: json-refusal-scalar-correlated-and-false
SELECT id, (SELECT MAX(g2.i) FROM gj g2 WHERE g2.id = gj.id AND JSON_VALUE(g2.js, '$.g' RETURNING BIGINT) > 1 AND FALSE) AS m FROM gj;

-- case: json-refusal-scalar-correlated-outer-and-false
SELECT id, (SELECT COUNT(*) FROM gj g2 WHERE g2.id = gj.id AND JSON_VALUE(g2.js, '$.g' RETURNING BIGINT) > gj.i AND FALSE) AS m FROM gj;

-- case: json-refusal-cte-unused-column
WITH c AS (SELECT id, JSON_VALUE(js, '$.g' RETURNING BIGINT) AS g FROM gj) SELECT id, g FROM c;

-- case: json-refusal-correlated-plain
SELECT id, (SELECT COUNT(*) FROM gj g2 WHERE g2.id = gj.id AND g2.i > 1) AS m FROM gj WHERE EXISTS (SELECT 1 FROM gj g3 WHERE g3.id = gj.id AND g3.i > 1);

-- case: json-refusal-where-and-null
-- A filter's condition is simplified with NULL as FALSE (Calcite's unknownAs FALSE): AND NULL is FALSE.
SELECT id FROM gj WHERE JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1 AND CAST(NULL AS BOOLEAN);

-- case: json-refusal-where-or-null-branch
SELECT id FROM gj WHERE i > 1 OR (JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1 AND CAST(NULL AS BOOLEAN));

-- case: json-refusal-where-or-null-survives
SELECT id FROM gj WHERE JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1 OR CAST(NULL AS BOOLEAN);

-- case: json-refusal-where-not-and-null-survives
SELECT id FROM gj WHERE NOT (JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1 AND CAST(NULL AS BOOLEAN));

-- case: json-refusal-select-and-null-survives
-- Outside a filter AND NULL stays: refused.
SELECT id, JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1 AND CAST(NULL AS BOOLEAN) AS b FROM gj;

-- case: json-refusal-derived-table-where-and-null
SELECT id FROM (SELECT * FROM gj WHERE JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1 AND CAST(NULL AS BOOLEAN)) t;

-- case: json-refusal-in-correlated-and-null
SELECT id FROM gj WHERE id IN (SELECT g2.id FROM gj g2 WHERE g2.i = gj.i AND JSON_VALUE(g2.js, '$.g' RETURNING BIGINT) > 1 AND CAST(NULL AS BOOLEAN));
