-- Sub-plan reuse (table.optimizer.reuse-sub-plan-enabled, default true, as Flink): equal
-- deterministic sub-plans over the same (shared) scans are computed once and their output fanned
-- out to every reader: Nexmark q5's HOP count per auction feeds both the join and the MAX per
-- window; equal GROUP BY results (a changelog) feed both sides of a join or of a UNION ALL.
-- table: bid (auction BIGINT, bidder BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"auction": 1, "bidder": 10, "price": 5, "ts": "2024-01-01 10:00:01"}
-- row: {"auction": 2, "bidder": 11, "price": 7, "ts": "2024-01-01 10:00:02"}
-- row: {"auction": 1, "bidder": 12, "price": 9, "ts": "2024-01-01 10:00:03"}
-- row: {"auction": 3, "bidder": 10, "price": 1, "ts": "2024-01-01 10:00:04"}
-- row: {"auction": 2, "bidder": 12, "price": 8, "ts": "2024-01-01 10:00:05"}
-- row: {"auction": 2, "bidder": 13, "price": 11, "ts": "2024-01-01 10:00:07"}
-- row: {"auction": 3, "bidder": 11, "price": 2, "ts": "2024-01-01 10:00:08"}
-- row: {"auction": 3, "bidder": 12, "price": 3, "ts": "2024-01-01 10:00:09"}
-- row: {"auction": 3, "bidder": 13, "price": 4, "ts": "2024-01-01 10:00:11"}
-- row: {"auction": 1, "bidder": 14, "price": 12, "ts": "2024-01-01 10:00:12"}
-- row: {"auction": 4, "bidder": 10, "price": 6, "ts": "2024-01-01 10:00:15"}
-- row: {"auction": 4, "bidder": 11, "price": 7, "ts": "2024-01-01 10:00:16"}
-- row: {"auction": 1, "bidder": 15, "price": 13, "ts": "2024-01-01 10:00:19"}
-- row: {"auction": 4, "bidder": 12, "price": 9, "ts": "2024-01-01 10:00:21"}
-- row: {"auction": 2, "bidder": 14, "price": 12, "ts": "2024-01-01 10:00:23"}
-- row: {"auction": 4, "bidder": 13, "price": 10, "ts": "2024-01-01 10:00:24"}
-- vitest

-- case: reuse-nexmark-q5-hot-items
-- mode: streaming
SELECT AuctionBids.auction, AuctionBids.num, AuctionBids.starttime
FROM (
  SELECT auction, count(*) AS num, window_start AS starttime, window_end AS endtime
  FROM TABLE(HOP(TABLE bid, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
  GROUP BY auction, window_start, window_end
) AS AuctionBids
JOIN (
  SELECT max(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime
  FROM (
    SELECT count(*) AS num, window_start AS starttime, window_end AS endtime
    FROM TABLE(HOP(TABLE bid, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
    GROUP BY auction, window_start, window_end
  ) AS CountBids
  GROUP BY CountBids.starttime, CountBids.endtime
) AS MaxBids
ON AuctionBids.starttime = MaxBids.starttime AND
   AuctionBids.endtime = MaxBids.endtime AND
   AuctionBids.num >= MaxBids.maxn;

-- case: reuse-nexmark-q5-off
-- mode: streaming
SET 'table.optimizer.reuse-sub-plan-enabled' = 'false';
SELECT AuctionBids.auction, AuctionBids.num, AuctionBids.starttime
FROM (
  SELECT auction, count(*) AS num, window_start AS starttime, window_end AS endtime
  FROM TABLE(HOP(TABLE bid, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
  GROUP BY auction, window_start, window_end
) AS AuctionBids
JOIN (
  SELECT max(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime
  FROM (
    SELECT count(*) AS num, window_start AS starttime, window_end AS endtime
    FROM TABLE(HOP(TABLE bid, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
    GROUP BY auction, window_start, window_end
  ) AS CountBids
  GROUP BY CountBids.starttime, CountBids.endtime
) AS MaxBids
ON AuctionBids.starttime = MaxBids.starttime AND
   AuctionBids.endtime = MaxBids.endtime AND
   AuctionBids.num >= MaxBids.maxn;

-- case: reuse-tumble-count-and-its-window-top
-- mode: streaming
SELECT c.auction, c.n, c.window_start, t.top
FROM (
  SELECT auction, window_start, window_end, COUNT(*) AS n, MAX(price) AS p
  FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' SECOND))
  GROUP BY auction, window_start, window_end
) c
JOIN (
  SELECT window_start, window_end, MAX(p) AS top
  FROM (
    SELECT auction, window_start, window_end, COUNT(*) AS n, MAX(price) AS p
    FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' SECOND))
    GROUP BY auction, window_start, window_end
  )
  GROUP BY window_start, window_end
) t ON c.window_start = t.window_start AND c.window_end = t.window_end AND c.p = t.top;

-- case: reuse-equal-group-by-results-self-join
-- mode: streaming
SELECT x.auction, x.total, y.bids
FROM (SELECT auction, SUM(price) AS total, COUNT(*) AS bids FROM bid WHERE price > 2 GROUP BY auction) x
JOIN (SELECT auction, SUM(price) AS total, COUNT(*) AS bids FROM bid WHERE price > 2 GROUP BY auction) y
  ON x.auction = y.auction AND x.total > y.bids;

-- case: reuse-equal-group-by-results-union-all
-- mode: streaming
SELECT auction, SUM(t) AS s, COUNT(*) AS c
FROM (
  SELECT auction, SUM(price) AS t FROM bid GROUP BY auction
  UNION ALL
  SELECT auction, SUM(price) AS t FROM bid GROUP BY auction
  UNION ALL
  SELECT auction, SUM(price) AS t FROM bid WHERE bidder > 11 GROUP BY auction
)
GROUP BY auction;

-- case: reuse-almost-equal-filters-stay-apart
-- mode: streaming
SELECT x.auction, x.n, y.n AS m
FROM (SELECT auction, COUNT(*) AS n FROM bid WHERE price > 5 GROUP BY auction) x
LEFT JOIN (SELECT auction, COUNT(*) AS n FROM bid WHERE price > 6 GROUP BY auction) y ON x.auction = y.auction;

-- case: reuse-batch-equal-aggregates-joined
SELECT x.auction, x.mx, y.cnt
FROM (SELECT auction, MAX(price) AS mx, COUNT(*) AS cnt FROM bid GROUP BY auction) x
JOIN (SELECT auction, MAX(price) AS mx, COUNT(*) AS cnt FROM bid GROUP BY auction) y
  ON x.auction = y.auction AND x.mx >= y.cnt;
