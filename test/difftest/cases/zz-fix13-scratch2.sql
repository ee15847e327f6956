-- table: gj (id INT, i INT, js STRING)
-- row: {"id": 1, "i": 5, "js": "{\"g\": 7}"}
-- row: {"id": 2, "i": null, "js": "{}"}

-- case: y-jv-derived-where
SELECT id FROM (SELECT * FROM gj WHERE JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1) t;

-- case: y-jv-derived-where-simplified
SELECT id FROM (SELECT * FROM gj WHERE JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1 AND FALSE) t;

-- case: y-jv-in-subquery
SELECT id FROM gj WHERE id IN (SELECT id FROM gj WHERE JSON_VALUE(js, '$.g' RETURNING BIGINT) > 1);

-- case: y-jv-in-subquery-simplified
SELECT id FROM gj WHERE id IN (SELECT id FROM gj WHERE JSON_VALUE(js, '$.g' RETURNING BIGINT) > CAST(NULL AS BIGINT));

-- case: y-jv-exists-subquery
SELECT id FROM gj WHERE EXISTS (SELECT 1 FROM gj g2 WHERE g2.id = gj.id AND JSON_VALUE(g2.js, '$.g' RETURNING BIGINT) > 1);

-- case: y-jv-exists-subquery-simplified
SELECT id FROM gj WHERE EXISTS (SELECT 1 FROM gj g2 WHERE g2.id = gj.id AND (JSON_VALUE(g2.js, '$.g' RETURNING BIGINT) > 1 OR TRUE));

-- case: y-jv-cte
WITH c AS (SELECT id, JSON_VALUE(js, '$.g' RETURNING BIGINT) AS g FROM gj) SELECT id FROM c WHERE id > 0;

-- case: y-jv-cte-used
WITH c AS (SELECT id, JSON_VALUE(js, '$.g' RETURNING BIGINT) AS g FROM gj) SELECT id, g FROM c;

-- case: y-jv-scalar-subquery
SELECT id, (SELECT MAX(JSON_VALUE(js, '$.g' RETURNING BIGINT)) FROM gj) AS m FROM gj;

-- case: y-jv-scalar-subquery-select
SELECT id, (SELECT JSON_VALUE(js, '$.g' RETURNING DECIMAL(10, 2)) FROM gj WHERE id = 1) AS m FROM gj;

-- case: y-jv-in-subquery-select-simplified
SELECT id FROM gj WHERE id IN (SELECT CASE WHEN FALSE THEN JSON_VALUE(js, '$.g' RETURNING BIGINT) ELSE CAST(id AS BIGINT) END FROM gj);

-- case: y-jv-derived-select-unused
SELECT id FROM (SELECT id, JSON_VALUE(js, '$.g' RETURNING BIGINT) AS g FROM gj) t;
