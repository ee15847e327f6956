-- Mini-batch (table.exec.mini-batch.enabled / allow-latency / size): GROUP BY aggregations emit
-- each group's net change once per mini-batch. The final table must be the one without
-- mini-batch; with one batch over the whole bounded input (a latency of an hour, a size larger
-- than the input) the changelog is deterministic too (only +I rows of the final results).
-- table: ev (id INT, k STRING, v INT, ts TIMESTAMP(3))
-- row: {"id": 1, "k": "a", "v": 10, "ts": "2025-01-01 10:00:01"}
-- row: {"id": 2, "k": "b", "v": 20, "ts": "2025-01-01 10:00:02"}
-- row: {"id": 3, "k": "a", "v": 30, "ts": "2025-01-01 10:00:03"}
-- row: {"id": 4, "k": "c", "v": 5, "ts": "2025-01-01 10:00:04"}
-- row: {"id": 5, "k": "a", "v": 7, "ts": "2025-01-01 10:00:05"}
-- row: {"id": 6, "k": "b", "v": 40, "ts": "2025-01-01 10:00:06"}
-- row: {"id": 7, "k": "c", "v": 5, "ts": "2025-01-01 10:00:07"}
-- row: {"id": 8, "k": "d", "v": 1, "ts": "2025-01-01 10:00:08"}
-- row: {"id": 9, "k": "a", "v": 2, "ts": "2025-01-01 10:00:09"}
-- row: {"id": 10, "k": null, "v": 3, "ts": "2025-01-01 10:00:10"}
-- table: wev (auction INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"auction": 1, "ts": "2025-01-01 10:00:01"}
-- row: {"auction": 2, "ts": "2025-01-01 10:00:01.5"}
-- row: {"auction": 1, "ts": "2025-01-01 10:00:02"}
-- row: {"auction": 2, "ts": "2025-01-01 10:00:03"}
-- row: {"auction": 2, "ts": "2025-01-01 10:00:04"}
-- row: {"auction": 3, "ts": "2025-01-01 10:00:05"}
-- row: {"auction": 3, "ts": "2025-01-01 10:00:06"}
-- row: {"auction": 3, "ts": "2025-01-01 10:00:06.5"}
-- row: {"auction": 1, "ts": "2025-01-01 10:00:07"}
-- row: {"auction": 4, "ts": "2025-01-01 10:00:09"}
-- table: pev (id INT, k STRING, v INT, pt AS PROCTIME())
-- row: {"id": 1, "k": "a", "v": 10}
-- row: {"id": 2, "k": "b", "v": 20}
-- row: {"id": 3, "k": "a", "v": 30}
-- row: {"id": 4, "k": "a", "v": 7}
-- row: {"id": 5, "k": "b", "v": 40}
-- row: {"id": 6, "k": "c", "v": 5}
-- table: rev (id INT, k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' HOUR)
-- row: {"id": 1, "k": "a", "ts": "2025-01-01 10:00:01"}
-- row: {"id": 2, "k": "b", "ts": "2025-01-01 10:00:02"}
-- row: {"id": 3, "k": "a", "ts": "2025-01-01 10:00:03"}
-- row: {"id": 4, "k": "a", "ts": "2025-01-01 10:00:00"}
-- row: {"id": 5, "k": "b", "ts": "2025-01-01 10:00:05"}
-- table: pdup (k STRING, v INT, pt AS PROCTIME())
-- row: {"k": "a", "v": 1}
-- row: {"k": "a", "v": 1}
-- row: {"k": "b", "v": 2}
-- row: {"k": "a", "v": 3}
-- row: {"k": "a", "v": 3}

-- case: mini-batch-group-agg-one-batch
-- mode: streaming
-- compare: changelog
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '1000';
SELECT k, COUNT(*) AS n, SUM(v) AS s, MAX(v) AS mx, MIN(v) AS mn FROM ev GROUP BY k;

-- case: mini-batch-group-agg-size-3
-- mode: streaming
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '3';
SELECT k, COUNT(*) AS n, SUM(v) AS s, MAX(v) AS mx FROM ev GROUP BY k;

-- case: mini-batch-nested-retracting
-- mode: streaming
-- compare: changelog
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '1000';
SELECT n, COUNT(*) AS g, MAX(s) AS top FROM (SELECT k, COUNT(*) AS n, SUM(v) AS s FROM ev GROUP BY k) GROUP BY n;

-- case: mini-batch-nested-retracting-size-2
-- mode: streaming
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '2';
SELECT n, COUNT(*) AS g, MAX(s) AS top FROM (SELECT k, COUNT(*) AS n, SUM(v) AS s FROM ev GROUP BY k) GROUP BY n;

-- case: mini-batch-max-of-counts
-- mode: streaming
-- compare: changelog
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '1000';
SELECT MAX(n) AS mx, MIN(n) AS mn FROM (SELECT k, COUNT(*) AS n FROM ev GROUP BY k);

-- case: mini-batch-distinct
-- mode: streaming
-- compare: changelog
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '1000';
SELECT DISTINCT k FROM ev;

-- case: mini-batch-join-of-aggregates
-- mode: streaming
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '4';
SELECT a.k, a.n FROM (SELECT k, COUNT(*) AS n FROM ev GROUP BY k) a
JOIN (SELECT MAX(n) AS mx FROM (SELECT k, COUNT(*) AS n FROM ev GROUP BY k)) b ON a.n >= b.mx;

-- case: mini-batch-without-latency
-- mode: streaming
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.size' = '1000';
SELECT k, COUNT(*) AS n FROM ev GROUP BY k;

-- case: mini-batch-off-changelog
-- mode: streaming
-- compare: changelog
SET 'table.exec.mini-batch.enabled' = 'false';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '1000';
SELECT k, COUNT(*) AS n FROM ev GROUP BY k;

-- case: mini-batch-hot-items
-- mode: streaming
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '2 s';
SET 'table.exec.mini-batch.size' = '50000';
SELECT AuctionBids.auction, AuctionBids.num, AuctionBids.starttime
FROM (
  SELECT auction, count(*) AS num, window_start AS starttime, window_end AS endtime
  FROM TABLE(HOP(TABLE wev, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
  GROUP BY auction, window_start, window_end
) AS AuctionBids
JOIN (
  SELECT max(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime
  FROM (
    SELECT count(*) AS num, window_start AS starttime, window_end AS endtime
    FROM TABLE(HOP(TABLE wev, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
    GROUP BY auction, window_start, window_end
  ) AS CountBids
  GROUP BY CountBids.starttime, CountBids.endtime
) AS MaxBids
ON AuctionBids.starttime = MaxBids.starttime AND
   AuctionBids.endtime = MaxBids.endtime AND
   AuctionBids.num >= MaxBids.maxn;

-- case: mini-batch-dedup-keep-last-proctime
-- mode: streaming
-- compare: changelog
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '1000';
SELECT id, k, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY pt DESC) AS rn FROM pev) WHERE rn = 1;

-- case: mini-batch-dedup-keep-first-proctime
-- mode: streaming
-- compare: changelog
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '1000';
SELECT id, k, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY pt ASC) AS rn FROM pev) WHERE rn = 1;

-- case: mini-batch-dedup-keep-last-size-2
-- mode: streaming
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '2';
SELECT id, k, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY pt DESC) AS rn FROM pev) WHERE rn = 1;

-- case: mini-batch-dedup-keep-last-rowtime
-- mode: streaming
-- compare: changelog
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '1000';
SELECT id, k FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) AS rn FROM rev) WHERE rn = 1;

-- case: mini-batch-dedup-keep-first-rowtime
-- mode: streaming
-- compare: changelog
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '1000';
SELECT id, k FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts ASC) AS rn FROM rev) WHERE rn = 1;

-- Flink's keep-last deduplication (with or without mini-batch) emits nothing for a row equal to the
-- kept one, proctime included, when no state TTL is set; equal only within one millisecond, so
-- the changelog is not deterministic: only the final table is compared.
-- case: mini-batch-dedup-keep-last-identical-rows-size-1
-- mode: streaming
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '1';
SELECT k, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY pt DESC) AS rn FROM pdup) WHERE rn = 1;

-- case: dedup-keep-last-identical-rows-no-mini-batch
-- mode: streaming
SELECT k, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY pt DESC) AS rn FROM pdup) WHERE rn = 1;
