-- Query-language features (issue 14, part A): grouping sets, subqueries, set operations, legacy
-- group windows, UNNEST, OVER details, OVERLAPS — batch and streaming where Flink has both.
-- table: sales (region STRING, product STRING, qty INT, price DECIMAL(8, 2), ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"region": "north", "product": "apple", "qty": 3, "price": 1.20, "ts": "2025-01-01 10:00:05"}
-- row: {"region": "north", "product": "pear", "qty": 1, "price": 2.00, "ts": "2025-01-01 10:00:20"}
-- row: {"region": "south", "product": "apple", "qty": 7, "price": 1.10, "ts": "2025-01-01 10:00:40"}
-- row: {"region": "south", "product": "fig", "qty": 2, "price": 3.50, "ts": "2025-01-01 10:01:10"}
-- row: {"region": null, "product": "apple", "qty": 4, "price": 1.25, "ts": "2025-01-01 10:01:30"}
-- row: {"region": "north", "product": "apple", "qty": 5, "price": 1.20, "ts": "2025-01-01 10:02:15"}
-- table: regions (name STRING, manager STRING, target BIGINT)
-- row: {"name": "north", "manager": "ann", "target": 8}
-- row: {"name": "south", "manager": "bo", "target": 20}
-- row: {"name": "west", "manager": null, "target": 5}
-- row: {"name": null, "manager": "cy", "target": 4}
-- table: baskets (id INT, tags ARRAY<STRING>, attrs MAP<STRING, INT>, items ARRAY<ROW<sku STRING, n INT>>)
-- row: {"id": 1, "tags": ["a", "b"], "attrs": {"x": 1}, "items": [{"sku": "p1", "n": 2}, {"sku": "p2", "n": 1}]}
-- row: {"id": 2, "tags": [], "attrs": {}, "items": []}
-- row: {"id": 3, "tags": null, "attrs": null, "items": null}
-- row: {"id": 4, "tags": ["c", null, "c"], "attrs": {"y": 5}, "items": [{"sku": "p3", "n": null}]}

-- case: gs-grouping-sets
-- vitest
SELECT region, product, SUM(qty) AS s, COUNT(*) AS n FROM sales GROUP BY GROUPING SETS ((region, product), (region), ());

-- case: gs-grouping-sets-streaming
-- mode: streaming
SELECT region, product, SUM(qty) AS s FROM sales GROUP BY GROUPING SETS ((region, product), (product), ());

-- case: gs-rollup
SELECT region, product, SUM(qty) AS s FROM sales GROUP BY ROLLUP (region, product);

-- case: gs-rollup-streaming
-- mode: streaming
SELECT region, COUNT(region) AS n, MAX(qty) AS m FROM sales GROUP BY ROLLUP (region);

-- case: gs-cube-grouping
SELECT region, product, COUNT(*) AS n, GROUPING(region) AS gr, GROUPING(region, product) AS g2, GROUPING_ID(region, product) AS gid FROM sales GROUP BY CUBE (region, product);

-- case: gs-cube-streaming
-- mode: streaming
SELECT region, product, SUM(qty) AS s, GROUPING_ID(region, product) AS gid FROM sales GROUP BY CUBE (region, product);

-- case: gs-plain-key-and-rollup
SELECT region, product, SUM(qty) AS s FROM sales GROUP BY region, ROLLUP (product);

-- case: gs-having-grouping
SELECT region, SUM(qty) AS s FROM sales GROUP BY ROLLUP (region) HAVING GROUPING(region) = 0 AND SUM(qty) > 3;

-- case: gs-grouping-plain
SELECT region, GROUPING(region) AS g FROM sales GROUP BY region;

-- case: gs-window-grouping-sets
-- mode: streaming
SELECT window_start, window_end, region, SUM(qty) AS s FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, GROUPING SETS ((region), ());

-- case: gs-window-rollup
-- mode: streaming
SELECT window_start, region, product, COUNT(*) AS n, GROUPING(region, product) AS g FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, ROLLUP (region, product);

-- case: gs-window-cube-batch
SELECT window_start, region, product, SUM(qty) AS s FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '2' MINUTE)) GROUP BY window_start, window_end, CUBE (region, product);

-- case: sq-in-streaming
-- mode: streaming
SELECT product, qty FROM sales WHERE region IN (SELECT name FROM regions WHERE manager IS NOT NULL);

-- case: sq-not-in-streaming
-- mode: streaming
SELECT product, qty FROM sales WHERE region NOT IN (SELECT name FROM regions WHERE name IS NOT NULL AND target > 10);

-- case: sq-not-in-null-streaming
-- mode: streaming
SELECT product FROM sales WHERE region NOT IN (SELECT name FROM regions);

-- case: sq-not-in-batch
-- vitest
SELECT name FROM regions WHERE name NOT IN (SELECT region FROM sales WHERE region IS NOT NULL);

-- case: sq-exists-correlated
SELECT name FROM regions r WHERE EXISTS (SELECT 1 FROM sales s WHERE s.region = r.name AND s.qty > 4);

-- case: sq-exists-correlated-streaming
-- mode: streaming
SELECT name, manager FROM regions r WHERE EXISTS (SELECT * FROM sales s WHERE s.region = r.name);

-- case: sq-not-exists-correlated
SELECT name FROM regions r WHERE NOT EXISTS (SELECT 1 FROM sales s WHERE s.region = r.name);

-- case: sq-not-exists-correlated-streaming
-- mode: streaming
SELECT name FROM regions r WHERE NOT EXISTS (SELECT 1 FROM sales s WHERE s.region = r.name AND s.qty >= 7);

-- case: sq-in-correlated
SELECT region, product FROM sales s WHERE qty IN (SELECT target - 5 FROM regions r WHERE r.name = s.region);

-- case: sq-in-expression-operand
SELECT region, qty FROM sales WHERE qty + 1 IN (SELECT target FROM regions);

-- case: sq-in-updating-subquery-streaming
-- mode: streaming
SELECT product, qty FROM sales WHERE region IN (SELECT region FROM sales GROUP BY region HAVING SUM(qty) > 8);

-- case: sq-not-in-updating-subquery-streaming
-- mode: streaming
SELECT name FROM regions WHERE name NOT IN (SELECT region FROM sales WHERE region IS NOT NULL GROUP BY region HAVING COUNT(*) > 2);

-- case: sq-scalar-in-select
SELECT product, qty, (SELECT MAX(target) FROM regions) AS top FROM sales;

-- case: sq-scalar-in-where-and-select
SELECT name, target - (SELECT SUM(qty) FROM sales) AS diff FROM regions WHERE target > (SELECT AVG(qty) FROM sales);

-- case: sq-scalar-correlated-sum
SELECT name, (SELECT SUM(qty) FROM sales s WHERE s.region = r.name) AS total FROM regions r;

-- case: sq-scalar-correlated-count-expr
SELECT name, (SELECT COUNT(*) + 1 FROM sales s WHERE s.region = r.name AND s.qty > 2) AS c FROM regions r;

-- case: sq-scalar-correlated-no-aggregate
SELECT product, (SELECT manager FROM regions r WHERE r.name = s.region) AS m FROM sales s;

-- case: sq-scalar-empty
SELECT name, (SELECT qty FROM sales WHERE qty > 100) AS q FROM regions;

-- case: sq-scalar-streaming
-- mode: streaming
SELECT product, qty FROM sales WHERE qty > (SELECT AVG(qty) FROM sales);

-- case: set-intersect
SELECT region FROM sales INTERSECT SELECT name FROM regions;

-- case: set-intersect-all
-- vitest
SELECT region, product FROM sales INTERSECT ALL SELECT region, product FROM sales WHERE qty > 2;

-- case: set-except
SELECT name FROM regions EXCEPT SELECT region FROM sales;

-- case: set-except-all
SELECT product FROM sales EXCEPT ALL SELECT product FROM sales WHERE region = 'north';

-- case: set-intersect-streaming
-- mode: streaming
SELECT region FROM sales INTERSECT SELECT name FROM regions;

-- case: set-intersect-all-streaming
-- mode: streaming
SELECT product FROM sales INTERSECT ALL SELECT product FROM sales WHERE qty < 5;

-- case: set-except-streaming
-- mode: streaming
SELECT name FROM regions EXCEPT SELECT region FROM sales;

-- case: set-except-all-streaming
-- mode: streaming
SELECT product FROM sales EXCEPT ALL SELECT product FROM sales WHERE qty > 3;

-- case: set-types-and-nesting
SELECT qty FROM sales EXCEPT (SELECT target FROM regions INTERSECT SELECT CAST(qty AS BIGINT) FROM sales WHERE qty < 5);

-- case: gw-tumble-keys-having
-- mode: streaming
SELECT region, TUMBLE_START(ts, INTERVAL '1' MINUTE) AS ws, TUMBLE_END(ts, INTERVAL '1' MINUTE) AS we, SUM(qty) AS s
FROM sales WHERE qty > 1 GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE), region HAVING COUNT(*) >= 1;

-- case: gw-tumble-batch
-- vitest
SELECT TUMBLE_START(ts, INTERVAL '2' MINUTE) AS ws, COUNT(*) AS n, MAX(price) AS p FROM sales GROUP BY TUMBLE(ts, INTERVAL '2' MINUTE);

-- case: gw-tumble-rowtime-nested
-- mode: streaming
SELECT TUMBLE_START(rt, INTERVAL '2' MINUTE) AS ws, SUM(s) AS total FROM (
  SELECT TUMBLE_ROWTIME(ts, INTERVAL '1' MINUTE) AS rt, SUM(qty) AS s FROM sales GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE)
) GROUP BY TUMBLE(rt, INTERVAL '2' MINUTE);

-- case: gw-hop-end
-- mode: streaming
SELECT product, HOP_START(ts, INTERVAL '30' SECOND, INTERVAL '1' MINUTE) AS ws, HOP_END(ts, INTERVAL '30' SECOND, INTERVAL '1' MINUTE) AS we, COUNT(*) AS n
FROM sales GROUP BY HOP(ts, INTERVAL '30' SECOND, INTERVAL '1' MINUTE), product;

-- case: gw-session-batch-refused
SELECT region, SESSION_START(ts, INTERVAL '30' SECOND) AS ws, SESSION_END(ts, INTERVAL '30' SECOND) AS we, SUM(qty) AS s
FROM sales GROUP BY region, SESSION(ts, INTERVAL '30' SECOND);

-- case: gw-rowtime-type
-- mode: streaming
SELECT TUMBLE_ROWTIME(ts, INTERVAL '1' MINUTE) AS rt, COUNT(*) AS n FROM sales GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE);

-- case: gw-session-streaming
-- mode: streaming
SELECT region, SESSION_START(ts, INTERVAL '30' SECOND) AS ws, SESSION_ROWTIME(ts, INTERVAL '30' SECOND) AS rt, SUM(qty) AS s
FROM sales GROUP BY region, SESSION(ts, INTERVAL '30' SECOND);

-- case: gw-session-tvf-touching
-- mode: streaming
SELECT region, window_start, window_end, SUM(qty) AS s FROM TABLE(SESSION(TABLE sales PARTITION BY region, DESCRIPTOR(ts), INTERVAL '30' SECOND)) GROUP BY region, window_start, window_end;

-- case: unnest-array
-- vitest
SELECT id, tag FROM baskets CROSS JOIN UNNEST(tags) AS t (tag);

-- case: unnest-array-streaming
-- mode: streaming
SELECT id, tag FROM baskets, UNNEST(tags) AS t (tag) WHERE tag <> 'b';

-- case: unnest-map
SELECT id, k, v FROM baskets CROSS JOIN UNNEST(attrs) AS t (k, v);

-- case: unnest-rows
SELECT id, sku, n FROM baskets CROSS JOIN UNNEST(items) AS t (sku, n);

-- case: unnest-rows-no-alias
SELECT b.id, t.* FROM baskets b CROSS JOIN UNNEST(b.items) AS t;

-- case: unnest-with-ordinality
SELECT id, tag, pos FROM baskets CROSS JOIN UNNEST(tags) WITH ORDINALITY AS t (tag, pos);

-- case: unnest-left-join
SELECT id, tag FROM baskets LEFT JOIN UNNEST(tags) AS t (tag) ON TRUE;

-- case: unnest-literal
SELECT x FROM UNNEST(ARRAY[3, 1, 2]) AS t (x);

-- case: unnest-aggregate-streaming
-- mode: streaming
SELECT tag, COUNT(*) AS n FROM baskets CROSS JOIN UNNEST(tags) AS t (tag) GROUP BY tag;


-- case: over-expression-args
-- mode: streaming
SELECT product, COUNT(1) OVER (PARTITION BY region ORDER BY ts) AS c, MAX(CAST(qty AS BIGINT) * 2) OVER (PARTITION BY region ORDER BY ts) AS m FROM sales;

-- case: over-expression-args-batch
SELECT product, SUM(qty * price) OVER (ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM sales;

-- case: over-named-window
-- mode: streaming
-- vitest
SELECT product, SUM(qty) OVER w AS s, COUNT(*) OVER w AS n FROM sales WINDOW w AS (PARTITION BY region ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW);

-- case: over-named-window-range
-- mode: streaming
SELECT product, AVG(qty) OVER w AS a FROM sales WINDOW w AS (ORDER BY ts RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW);

-- case: over-distinct
-- mode: streaming
SELECT product, COUNT(DISTINCT region) OVER (ORDER BY ts) AS regions, SUM(DISTINCT qty) OVER (ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s FROM sales;

-- case: over-filter-refused
-- mode: streaming
SELECT product, COUNT(*) FILTER (WHERE qty > 2) OVER (ORDER BY ts) AS big FROM sales;

-- case: overlaps-periods
-- vitest
SELECT (TIMESTAMP '2025-01-01 10:00:00', TIMESTAMP '2025-01-01 11:00:00') OVERLAPS (TIMESTAMP '2025-01-01 10:30:00', TIMESTAMP '2025-01-01 12:00:00') AS a,
  (TIMESTAMP '2025-01-01 10:00:00', TIMESTAMP '2025-01-01 11:00:00') OVERLAPS (TIMESTAMP '2025-01-01 11:00:00', TIMESTAMP '2025-01-01 12:00:00') AS touching,
  (TIMESTAMP '2025-01-01 12:00:00', TIMESTAMP '2025-01-01 10:00:00') OVERLAPS (TIMESTAMP '2025-01-01 11:00:00', TIMESTAMP '2025-01-01 11:30:00') AS reversed,
  (DATE '2025-01-01', DATE '2025-01-05') OVERLAPS (DATE '2025-01-06', DATE '2025-01-09') AS disjoint;

-- case: overlaps-intervals-columns
SELECT product, (ts, INTERVAL '30' SECOND) OVERLAPS (TIMESTAMP '2025-01-01 10:01:00', INTERVAL '1' MINUTE) AS o FROM sales;

-- case: overlaps-null
SELECT region, (CAST(NULL AS TIMESTAMP(3)), ts) OVERLAPS (ts, ts) AS o FROM sales WHERE region = 'south';

-- case: show-create-view
CREATE TEMPORARY VIEW big_sales AS SELECT region, qty FROM sales WHERE qty > 3;
SHOW CREATE VIEW big_sales;

-- case: show-create-view-columns
CREATE TEMPORARY VIEW totals (r, s) AS SELECT region, SUM(qty) FROM sales GROUP BY region;
SHOW CREATE VIEW totals;

-- case: show-create-view-of-table
SHOW CREATE VIEW sales;

-- case: gs-rollup-over-updating-streaming
-- mode: streaming
SELECT region, SUM(s) AS total, COUNT(*) AS n FROM (SELECT region, product, SUM(qty) AS s FROM sales GROUP BY region, product) GROUP BY ROLLUP (region);

-- case: set-except-over-updating-streaming
-- mode: streaming
SELECT region FROM (SELECT region, COUNT(*) AS n FROM sales GROUP BY region) WHERE n > 1 EXCEPT SELECT name FROM regions WHERE target > 10;

-- case: sq-exists-over-updating-streaming
-- mode: streaming
SELECT r.name FROM regions r WHERE EXISTS (SELECT 1 FROM (SELECT region, SUM(qty) AS s FROM sales GROUP BY region) t WHERE t.region = r.name AND t.s > r.target);

-- case: unnest-over-updating-streaming
-- mode: streaming
SELECT id, manager, tag FROM (SELECT b.id, b.tags, r.manager FROM baskets b LEFT JOIN regions r ON r.target = b.id) CROSS JOIN UNNEST(tags) AS t (tag);

-- case: sq-window-semi-join
-- mode: streaming
SELECT window_start, window_end, region, qty FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
WHERE l.region IN (SELECT r.region FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) r WHERE r.product = 'apple' AND l.window_start = r.window_start AND l.window_end = r.window_end);

-- case: sq-window-anti-join
-- mode: streaming
SELECT window_start, region, product FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
WHERE NOT EXISTS (SELECT * FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) r WHERE r.qty > 4 AND l.region = r.region AND l.window_start = r.window_start AND l.window_end = r.window_end);

-- case: show-create-view-join
CREATE TEMPORARY VIEW joined AS SELECT s.product, r.manager AS boss, upper(s.region) AS reg FROM sales AS s JOIN regions r ON s.region = r.name WHERE s.qty > 1;
SHOW CREATE VIEW joined;

-- case: show-create-view-star
CREATE TEMPORARY VIEW everything AS SELECT * FROM regions;
SHOW CREATE VIEW everything;

-- case: sq-not-in-correlated
SELECT region, product, qty FROM sales s WHERE qty NOT IN (SELECT target - 5 FROM regions r WHERE r.name = s.region);

-- case: sq-not-in-correlated-streaming
-- mode: streaming
SELECT region, product, qty FROM sales s WHERE qty NOT IN (SELECT target - 5 FROM regions r WHERE r.name = s.region);

-- case: sq-exists-uncorrelated-empty
SELECT product FROM sales WHERE EXISTS (SELECT 1 FROM regions WHERE target > 100);

-- case: sq-exists-non-equi-correlated
SELECT product, qty FROM sales s WHERE EXISTS (SELECT 1 FROM regions r WHERE r.target > s.qty * 3);

-- case: sq-in-cte-union
WITH big AS (SELECT name FROM regions WHERE target > 10)
SELECT product FROM sales WHERE region IN (SELECT name FROM big UNION SELECT 'north');

-- case: gs-rollup-distinct-agg
SELECT region, COUNT(DISTINCT product) AS products, SUM(DISTINCT qty) AS q FROM sales GROUP BY ROLLUP (region);

-- case: gs-rollup-distinct-agg-streaming
-- mode: streaming
SELECT region, COUNT(DISTINCT product) AS products FROM sales GROUP BY ROLLUP (region);

-- case: set-intersect-with-nulls
SELECT region, product FROM sales INTERSECT SELECT region, 'apple' FROM sales WHERE region IS NULL;

-- case: sq-in-as-value
SELECT name, name IN (SELECT region FROM sales) AS has_sales, target IN (SELECT qty + 1 FROM sales) AS t FROM regions;

-- case: sq-not-in-as-value-nulls
SELECT product, region NOT IN (SELECT name FROM regions) AS outside FROM sales;

-- case: sq-exists-as-value
SELECT name, EXISTS (SELECT 1 FROM sales s WHERE s.region = r.name AND s.qty > 4) AS big FROM regions r;

-- case: sq-exists-under-or
SELECT product, qty FROM sales s WHERE qty > 6 OR EXISTS (SELECT 1 FROM regions r WHERE r.name = s.region AND r.target < 10);

-- case: sq-in-under-or-streaming
-- mode: streaming
SELECT product, qty FROM sales WHERE qty = 1 OR region IN (SELECT name FROM regions WHERE target > 10);

-- case: sq-in-as-value-streaming
-- mode: streaming
SELECT name, name IN (SELECT region FROM sales WHERE qty > 4) AS big FROM regions;

-- case: sq-having-scalar
SELECT region, SUM(qty) AS s FROM sales GROUP BY region HAVING SUM(qty) > (SELECT AVG(target) FROM regions);

-- case: sq-having-in-streaming
-- mode: streaming
SELECT region, COUNT(*) AS n FROM sales GROUP BY region HAVING region IN (SELECT name FROM regions WHERE target > 10);

-- case: sq-grouped-select-items
SELECT region, SUM(qty) AS s, SUM(qty) IN (SELECT target + 1 FROM regions) AS hit, (SELECT MAX(target) FROM regions) AS top FROM sales GROUP BY region;
