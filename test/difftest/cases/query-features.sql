-- Query-language features (issue 14, part A): grouping sets, subqueries, set operations, legacy
-- group windows, UNNEST, OVER details, OVERLAPS — batch and streaming where Flink has both.
-- table: sales (region STRING, product STRING, qty INT, price DECIMAL(8, 2), ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"region": "north", "product": "apple", "qty": 3, "price": 1.20, "ts": "2025-01-01 10:00:05"}
-- row: {"region": "north", "product": "pear", "qty": 1, "price": 2.00, "ts": "2025-01-01 10:00:20"}
-- row: {"region": "south", "product": "apple", "qty": 7, "price": 1.10, "ts": "2025-01-01 10:00:40"}
-- row: {"region": "south", "product": "fig", "qty": 2, "price": 3.50, "ts": "2025-01-01 10:01:10"}
-- row: {"region": null, "product": "apple", "qty": 4, "price": 1.25, "ts": "2025-01-01 10:01:30"}
-- row: {"region": "north", "product": "apple", "qty": 5, "price": 1.20, "ts": "2025-01-01 10:02:15"}

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
