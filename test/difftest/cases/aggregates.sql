-- Aggregates over a small table: batch (final rows) and streaming (updating results compared
-- as the final table their changelog leaves).
-- table: orders (id INT, customer STRING, amount DECIMAL(10, 2), qty INT, price DOUBLE, note STRING)
-- row: {"id": 1, "customer": "alice", "amount": 10.50, "qty": 2, "price": 1.5, "note": "a"}
-- row: {"id": 2, "customer": "bob", "amount": 3.25, "qty": 1, "price": 2.25, "note": null}
-- row: {"id": 3, "customer": "alice", "amount": 7.00, "qty": 5, "price": 0.1, "note": "c"}
-- row: {"id": 4, "customer": "carol", "amount": null, "qty": null, "price": null, "note": "d"}
-- row: {"id": 5, "customer": "bob", "amount": 100.01, "qty": 3, "price": 10.0, "note": "e"}
-- row: {"id": 6, "customer": "alice", "amount": 0.49, "qty": 1, "price": 0.2, "note": "a"}

-- case: agg-count-sum-batch
SELECT customer, COUNT(*) AS n, COUNT(amount) AS n_amount, SUM(amount) AS total, SUM(qty) AS q FROM orders GROUP BY customer;

-- case: agg-count-sum-streaming
-- mode: streaming
SELECT customer, COUNT(*) AS n, SUM(amount) AS total FROM orders GROUP BY customer;

-- case: agg-avg-types
SELECT customer, AVG(amount) AS avg_amount, AVG(qty) AS avg_qty, AVG(price) AS avg_price FROM orders GROUP BY customer;

-- case: agg-min-max
SELECT MIN(amount) AS a, MAX(amount) AS b, MIN(note) AS c, MAX(note) AS d, MIN(price) AS e FROM orders;

-- case: agg-global-empty
SELECT COUNT(*) AS n, SUM(qty) AS s, MAX(note) AS m FROM orders WHERE id > 100;

-- case: agg-count-distinct
SELECT COUNT(DISTINCT customer) AS customers, COUNT(DISTINCT note) AS notes FROM orders;

-- case: agg-sum-double
SELECT SUM(price) AS v FROM orders;

-- case: agg-stddev-variance
SELECT STDDEV_POP(qty) AS a, STDDEV_SAMP(qty) AS b, VAR_POP(qty) AS c, VAR_SAMP(qty) AS d FROM orders;

-- case: agg-listagg
SELECT customer, LISTAGG(note) AS notes FROM (SELECT * FROM orders WHERE customer = 'bob') GROUP BY customer;

-- case: agg-having
SELECT customer, SUM(qty) AS q FROM orders GROUP BY customer HAVING SUM(qty) > 3;

-- case: agg-filter-clause
SELECT COUNT(*) FILTER (WHERE qty > 1) AS big, SUM(amount) FILTER (WHERE customer = 'alice') AS alice FROM orders;

-- case: agg-first-last-value
SELECT customer, FIRST_VALUE(id) AS f, LAST_VALUE(id) AS l FROM orders GROUP BY customer;

-- case: agg-bool-and-or
SELECT customer, COUNT(*) > 1 AS many FROM orders GROUP BY customer;

-- case: agg-group-by-expression
SELECT qty > 1 AS big, COUNT(*) AS n FROM orders GROUP BY qty > 1;

-- case: agg-distinct-select
SELECT DISTINCT customer FROM orders;

-- case: agg-distinct-streaming
-- mode: streaming
SELECT DISTINCT customer FROM orders;

-- case: agg-order-limit
SELECT customer, SUM(qty) AS q FROM orders GROUP BY customer ORDER BY q DESC LIMIT 2;

-- case: agg-grouping-sets
SELECT customer, note, COUNT(*) AS n FROM orders GROUP BY GROUPING SETS ((customer), ());

-- case: agg-rollup
SELECT customer, COUNT(*) AS n FROM orders GROUP BY ROLLUP (customer);

-- case: agg-sum-int-type
SELECT SUM(id) AS s, SUM(CAST(id AS TINYINT)) AS t FROM orders;

-- case: agg-avg-int-truncates
SELECT AVG(id) AS v FROM orders;

-- case: agg-max-streaming-retract
-- mode: streaming
SELECT customer, MAX(amount) AS m, MIN(qty) AS q FROM orders GROUP BY customer;

-- case: agg-two-level-streaming
-- mode: streaming
SELECT n, COUNT(*) AS customers FROM (SELECT customer, COUNT(*) AS n FROM orders GROUP BY customer) GROUP BY n;

-- case: dedup-row-number
-- mode: streaming
SELECT id, customer FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY customer ORDER BY id DESC) AS rn FROM orders) WHERE rn = 1;

-- case: topn-row-number
SELECT customer, id, rn FROM (SELECT customer, id, ROW_NUMBER() OVER (PARTITION BY customer ORDER BY amount DESC) AS rn FROM orders) WHERE rn <= 2;

-- case: union-all-and-union
SELECT customer FROM orders WHERE id < 3 UNION ALL SELECT customer FROM orders WHERE id > 4;

-- case: union-distinct
SELECT customer FROM orders UNION SELECT 'zed';

-- case: inner-join
SELECT a.id, b.id AS other FROM orders a JOIN orders b ON a.customer = b.customer AND a.id < b.id;

-- case: left-join-streaming
-- mode: streaming
SELECT a.id, b.id AS other FROM orders a LEFT JOIN orders b ON a.customer = b.customer AND a.id < b.id;

-- case: values-clause
SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t (x, y);

-- case: where-filter
SELECT id FROM orders WHERE amount > 5 AND note IS NOT NULL;
