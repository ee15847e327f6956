-- Joins whose equality compares expressions of the two sides (MOD(a.x, 10) = b.k,
-- CAST, string functions): the expressions are join keys, as in Flink (computed columns below the
-- join), not a condition checked for every pair of rows.
-- table: bids (auction BIGINT, bidder INT, price INT, tag STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
-- row: {"auction": 1001, "bidder": 1, "price": 10, "tag": "ab", "ts": "2025-01-01 10:00:01"}
-- row: {"auction": 2002, "bidder": 2, "price": 20, "tag": "AB", "ts": "2025-01-01 10:00:02"}
-- row: {"auction": 1003, "bidder": 3, "price": 30, "tag": "cd", "ts": "2025-01-01 10:00:03"}
-- row: {"auction": 7, "bidder": null, "price": 40, "tag": null, "ts": "2025-01-01 10:00:04"}
-- row: {"auction": null, "bidder": 5, "price": 50, "tag": "x", "ts": "2025-01-01 10:00:05"}
-- table: side (k BIGINT, name STRING, code STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
-- row: {"k": 1, "name": "one", "code": "AB", "ts": "2025-01-01 10:00:01"}
-- row: {"k": 2, "name": "two", "code": "CD", "ts": "2025-01-01 10:00:03"}
-- row: {"k": 3, "name": "three", "code": "EF", "ts": "2025-01-01 10:00:06"}
-- row: {"k": 7, "name": "seven", "code": null, "ts": "2025-01-01 10:00:09"}

-- case: join-key-mod-expression
-- mode: streaming
-- vitest
SELECT b.auction, b.price, s.name FROM bids b JOIN side s ON MOD(b.auction, 1000) = s.k;

-- case: join-key-mod-expression-batch
-- mode: batch
SELECT b.auction, b.price, s.name FROM bids b JOIN side s ON MOD(b.auction, 1000) = s.k;

-- case: join-key-expressions-both-sides
-- mode: streaming
SELECT b.auction, s.name FROM bids b JOIN side s ON UPPER(b.tag) = s.code AND b.bidder + 0 = CAST(s.k AS INT);

-- case: join-key-cast-int-bigint-left
-- mode: streaming
SELECT b.bidder, s.name FROM bids b LEFT JOIN side s ON CAST(b.bidder AS BIGINT) = s.k;

-- case: join-key-expression-right-outer
-- mode: streaming
SELECT b.auction, s.k, s.name FROM bids b RIGHT JOIN side s ON MOD(b.auction, 1000) = s.k;

-- case: join-key-expression-full-outer-with-condition
-- mode: batch
SELECT b.auction, s.k FROM bids b FULL JOIN side s ON MOD(b.auction, 1000) = s.k AND b.price > 15;

-- case: join-key-expression-and-column
-- mode: streaming
SELECT b.auction, s.name FROM bids b JOIN side s ON s.k = b.bidder AND LOWER(s.code) = b.tag;

-- case: interval-join-key-expression
-- mode: streaming
SELECT b.auction, s.name, b.ts FROM bids b JOIN side s
ON MOD(b.auction, 1000) = s.k AND b.ts BETWEEN s.ts - INTERVAL '2' SECOND AND s.ts + INTERVAL '2' SECOND;

-- case: join-key-expression-group-by-after
-- mode: streaming
SELECT s.name, COUNT(*) AS n, SUM(b.price) AS total FROM bids b JOIN side s ON MOD(b.auction, 1000) = s.k GROUP BY s.name;
