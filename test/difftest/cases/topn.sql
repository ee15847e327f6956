-- Streaming Top-N (ROW_NUMBER/RANK/DENSE_RANK … WHERE rn <= N) over append-only and updating
-- inputs, and Window Top-N after a window TVF or a window aggregation.
-- table: sales (id INT, shop STRING, item STRING, price INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"id": 1, "shop": "a", "item": "x", "price": 10, "ts": "2025-01-01 10:00:01"}
-- row: {"id": 2, "shop": "a", "item": "y", "price": 30, "ts": "2025-01-01 10:00:02"}
-- row: {"id": 3, "shop": "b", "item": "x", "price": 20, "ts": "2025-01-01 10:00:03"}
-- row: {"id": 4, "shop": "a", "item": "z", "price": 20, "ts": "2025-01-01 10:00:04"}
-- row: {"id": 5, "shop": "a", "item": "x", "price": 50, "ts": "2025-01-01 10:00:06"}
-- row: {"id": 6, "shop": "b", "item": "y", "price": 5, "ts": "2025-01-01 10:00:07"}
-- row: {"id": 7, "shop": "b", "item": "z", "price": 25, "ts": "2025-01-01 10:00:11"}
-- row: {"id": 8, "shop": "a", "item": "y", "price": 30, "ts": "2025-01-01 10:00:12"}
-- row: {"id": 9, "shop": "b", "item": "x", "price": 40, "ts": "2025-01-01 10:00:13"}
-- row: {"id": 10, "shop": "a", "item": "z", "price": 15, "ts": "2025-01-01 10:00:14"}

-- case: topn-append-with-rank-number
-- mode: streaming
-- vitest
SELECT shop, id, price, rn FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY shop ORDER BY price DESC) AS rn FROM sales)
WHERE rn <= 2;

-- case: topn-append-without-rank-number
-- mode: streaming
SELECT shop, id, price FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY shop ORDER BY price ASC) AS rn FROM sales)
WHERE rn <= 3;

-- case: topn-global-less-than
-- mode: streaming
SELECT id, price FROM (
  SELECT id, price, ROW_NUMBER() OVER (ORDER BY price DESC) AS rn FROM sales)
WHERE rn < 4;

-- case: error-topn-rank-streaming
-- mode: streaming
-- vitest
SELECT shop, price, r FROM (
  SELECT *, RANK() OVER (PARTITION BY shop ORDER BY price DESC) AS r FROM sales)
WHERE r <= 3;

-- case: error-topn-dense-rank-streaming
-- mode: streaming
SELECT shop, price, r FROM (
  SELECT *, DENSE_RANK() OVER (PARTITION BY shop ORDER BY price DESC) AS r FROM sales)
WHERE r <= 2;

-- case: topn-rank-batch
SELECT shop, price, r FROM (
  SELECT *, RANK() OVER (PARTITION BY shop ORDER BY price DESC) AS r FROM sales)
WHERE r <= 3;

-- case: topn-dense-rank-batch
SELECT shop, price, r FROM (
  SELECT *, DENSE_RANK() OVER (PARTITION BY shop ORDER BY price DESC) AS r FROM sales)
WHERE r <= 2;

-- case: topn-over-group-by
-- mode: streaming
-- vitest
SELECT item, total, rn FROM (
  SELECT item, total, ROW_NUMBER() OVER (ORDER BY total DESC) AS rn FROM (
    SELECT item, SUM(price) AS total FROM sales GROUP BY item))
WHERE rn <= 2;

-- case: topn-over-group-by-partitioned
-- mode: streaming
SELECT shop, item, total FROM (
  SELECT shop, item, total, ROW_NUMBER() OVER (PARTITION BY shop ORDER BY total DESC, item) AS rn FROM (
    SELECT shop, item, SUM(price) AS total FROM sales GROUP BY shop, item))
WHERE rn <= 1;

-- case: topn-rank-range-equals
-- mode: streaming
SELECT shop, id, price FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY shop ORDER BY price DESC, id) AS rn FROM sales)
WHERE rn = 2;

-- case: topn-aggregated-downstream
-- mode: streaming
SELECT shop, SUM(price) AS top2 FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY shop ORDER BY price DESC, id) AS rn FROM sales)
WHERE rn <= 2 GROUP BY shop;

-- case: error-row-number-without-filter-streaming
-- mode: streaming
SELECT id, ROW_NUMBER() OVER (PARTITION BY shop ORDER BY price) AS rn FROM sales;

-- case: window-topn-after-tvf
-- mode: streaming
-- vitest
SELECT window_start, window_end, shop, id, price, rn FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn
  FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '5' SECOND)))
WHERE rn <= 2;

-- case: window-topn-after-aggregate
-- mode: streaming
SELECT window_start, window_end, shop, total, rn FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY total DESC) AS rn FROM (
    SELECT window_start, window_end, shop, SUM(price) AS total
    FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '10' SECOND))
    GROUP BY window_start, window_end, shop))
WHERE rn <= 1;

-- case: error-window-topn-rank
-- mode: streaming
SELECT window_start, shop, price, r FROM (
  SELECT *, RANK() OVER (PARTITION BY window_start, window_end, shop ORDER BY price DESC) AS r
  FROM TABLE(HOP(TABLE sales, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND)))
WHERE r <= 1;

-- case: window-topn-per-shop-hop
-- mode: streaming
SELECT window_start, shop, price, rn FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, shop ORDER BY price DESC) AS rn
  FROM TABLE(HOP(TABLE sales, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND)))
WHERE rn <= 1;

-- case: window-topn-batch
SELECT window_start, shop, id, rn FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn
  FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '5' SECOND)))
WHERE rn <= 1;
