-- Regular streaming joins over updating inputs (GROUP BY results: retractions in, a changelog
-- out) and non-equi joins, which Flink runs with one key (parallelism 1).
-- table: orders (oid INT, cust STRING, amount INT)
-- row: {"oid": 1, "cust": "a", "amount": 10}
-- row: {"oid": 2, "cust": "b", "amount": 20}
-- row: {"oid": 3, "cust": "a", "amount": 5}
-- row: {"oid": 4, "cust": "c", "amount": 7}
-- row: {"oid": 5, "cust": "b", "amount": 1}
-- table: pays (pid INT, cust STRING, paid INT)
-- row: {"pid": 1, "cust": "a", "paid": 8}
-- row: {"pid": 2, "cust": "b", "paid": 21}
-- row: {"pid": 3, "cust": "a", "paid": 7}
-- row: {"pid": 4, "cust": "d", "paid": 3}

-- case: join-two-group-by-results
-- mode: streaming
-- vitest
SELECT o.cust, o.total, p.paid
FROM (SELECT cust, SUM(amount) AS total FROM orders GROUP BY cust) o
JOIN (SELECT cust, SUM(paid) AS paid FROM pays GROUP BY cust) p ON o.cust = p.cust;

-- case: left-join-group-by-results
-- mode: streaming
SELECT o.cust, o.total, p.paid
FROM (SELECT cust, SUM(amount) AS total FROM orders GROUP BY cust) o
LEFT JOIN (SELECT cust, SUM(paid) AS paid FROM pays GROUP BY cust) p ON o.cust = p.cust;

-- case: full-join-group-by-results-with-condition
-- mode: streaming
SELECT o.cust, p.cust AS pc, o.total, p.paid
FROM (SELECT cust, SUM(amount) AS total FROM orders GROUP BY cust) o
FULL JOIN (SELECT cust, SUM(paid) AS paid FROM pays GROUP BY cust) p ON o.cust = p.cust AND o.total <= p.paid;

-- case: join-group-by-then-aggregate
-- mode: streaming
SELECT COUNT(*) AS n, SUM(o.total - p.paid) AS owed
FROM (SELECT cust, SUM(amount) AS total FROM orders GROUP BY cust) o
JOIN (SELECT cust, SUM(paid) AS paid FROM pays GROUP BY cust) p ON o.cust = p.cust;

-- case: join-updating-and-append
-- mode: streaming
SELECT o.oid, t.total FROM orders o JOIN (SELECT cust, COUNT(*) AS total FROM orders GROUP BY cust) t ON o.cust = t.cust;

-- case: non-equi-join-streaming
-- mode: streaming
-- vitest
SELECT o.oid, p.pid FROM orders o JOIN pays p ON o.amount > p.paid AND o.cust <> p.cust;

-- case: non-equi-left-join-streaming
-- mode: streaming
SELECT o.oid, p.pid FROM orders o LEFT JOIN pays p ON o.amount < p.paid - 10;

-- case: cross-join-streaming
-- mode: streaming
SELECT o.oid, p.pid FROM orders o, pays p WHERE o.oid = 1;

-- case: non-equi-join-over-group-by
-- mode: streaming
SELECT o.cust, p.cust AS pc FROM (SELECT cust, SUM(amount) AS total FROM orders GROUP BY cust) o
JOIN (SELECT cust, SUM(paid) AS paid FROM pays GROUP BY cust) p ON o.total < p.paid;
