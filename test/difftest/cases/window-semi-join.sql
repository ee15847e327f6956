-- Window semi/anti joins: IN / EXISTS / NOT IN / NOT EXISTS between two window TVF (or window
-- aggregation) results on equal window_start and window_end. Flink plans them as a WindowJoin:
-- rows wait per window until the watermark passes window_end, the output is insert-only and the
-- window's state is then freed. Batch mode runs them as regular semi/anti joins.
-- table: sales (id INT, region STRING, qty INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"id": 1, "region": "north", "qty": 3, "ts": "2025-01-01 10:00:05"}
-- row: {"id": 2, "region": "south", "qty": 7, "ts": "2025-01-01 10:00:20"}
-- row: {"id": 3, "region": "east", "qty": 1, "ts": "2025-01-01 10:00:40"}
-- row: {"id": 4, "region": "north", "qty": 9, "ts": "2025-01-01 10:01:10"}
-- row: {"id": 5, "region": null, "qty": 2, "ts": "2025-01-01 10:01:15"}
-- row: {"id": 6, "region": "south", "qty": 4, "ts": "2025-01-01 10:01:50"}
-- row: {"id": 7, "region": "east", "qty": 6, "ts": "2025-01-01 10:02:10"}
-- row: {"id": 8, "region": "north", "qty": 2, "ts": "2025-01-01 10:02:30"}
-- row: {"id": 9, "region": "west", "qty": 5, "ts": "2025-01-01 10:03:05"}
-- row: {"id": 10, "region": "south", "qty": 8, "ts": "2025-01-01 10:03:40"}
-- table: picks (region STRING, score INT, pts TIMESTAMP(3), WATERMARK FOR pts AS pts - INTERVAL '1' SECOND)
-- row: {"region": "north", "score": 10, "pts": "2025-01-01 10:00:30"}
-- row: {"region": "east", "score": 3, "pts": "2025-01-01 10:00:50"}
-- row: {"region": "south", "score": 8, "pts": "2025-01-01 10:01:20"}
-- row: {"region": null, "score": 1, "pts": "2025-01-01 10:01:30"}
-- row: {"region": "north", "score": 4, "pts": "2025-01-01 10:02:40"}
-- row: {"region": "east", "score": 9, "pts": "2025-01-01 10:02:45"}
-- row: {"region": "west", "score": 2, "pts": "2025-01-01 10:04:00"}

-- case: wsj-in-tumble
-- mode: streaming
-- vitest
SELECT l.window_start, l.window_end, l.id, l.region FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
WHERE l.region IN (SELECT r.region FROM TABLE(TUMBLE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE)) r WHERE r.window_start = l.window_start AND r.window_end = l.window_end);

-- case: wsj-in-tumble-batch
SELECT l.window_start, l.window_end, l.id, l.region FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
WHERE l.region IN (SELECT r.region FROM TABLE(TUMBLE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE)) r WHERE r.window_start = l.window_start AND r.window_end = l.window_end);

-- case: wsj-not-exists-tumble
-- mode: streaming
SELECT l.window_start, l.id, l.region, l.qty FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
WHERE NOT EXISTS (SELECT * FROM TABLE(TUMBLE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE)) r WHERE r.region = l.region AND r.score > l.qty AND r.window_start = l.window_start AND r.window_end = l.window_end);

-- case: wsj-not-exists-tumble-batch
SELECT l.window_start, l.id, l.region, l.qty FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
WHERE NOT EXISTS (SELECT * FROM TABLE(TUMBLE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE)) r WHERE r.region = l.region AND r.score > l.qty AND r.window_start = l.window_start AND r.window_end = l.window_end);

-- case: wsj-exists-hop
-- mode: streaming
SELECT l.window_start, l.window_end, l.id FROM TABLE(HOP(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) l
WHERE EXISTS (SELECT 1 FROM TABLE(HOP(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) r WHERE r.region = l.region AND r.window_start = l.window_start AND r.window_end = l.window_end);

-- case: wsj-not-in-cumulate
-- mode: streaming
SELECT l.window_start, l.window_end, l.id, l.region FROM TABLE(CUMULATE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) l
WHERE l.region NOT IN (SELECT r.region FROM TABLE(CUMULATE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) r WHERE r.window_start = l.window_start AND r.window_end = l.window_end);

-- case: wsj-not-in-cumulate-batch
SELECT l.window_start, l.window_end, l.id, l.region FROM TABLE(CUMULATE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) l
WHERE l.region NOT IN (SELECT r.region FROM TABLE(CUMULATE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) r WHERE r.window_start = l.window_start AND r.window_end = l.window_end);

-- case: wsj-between-window-aggregations
-- mode: streaming
SELECT a.window_start, a.region, a.total FROM (
  SELECT window_start, window_end, region, SUM(qty) AS total FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, region) a
WHERE a.region IN (
  SELECT b.region FROM (SELECT window_start, window_end, region, MAX(score) AS best FROM TABLE(TUMBLE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, region) b
  WHERE b.best > 2 AND b.window_start = a.window_start AND b.window_end = a.window_end);

-- case: wsj-anti-then-group-by
-- mode: streaming
SELECT window_start, COUNT(*) AS n, SUM(qty) AS q FROM (
  SELECT l.window_start, l.window_end, l.qty FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
  WHERE NOT EXISTS (SELECT * FROM TABLE(TUMBLE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE)) r WHERE r.region = l.region AND r.window_start = l.window_start AND r.window_end = l.window_end))
GROUP BY window_start;

-- case: wsj-then-window-topn
-- mode: streaming
SELECT window_start, id, qty FROM (
  SELECT l.window_start, l.window_end, l.id, l.qty, ROW_NUMBER() OVER (PARTITION BY l.window_start, l.window_end ORDER BY l.qty DESC) AS rn
  FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
  WHERE l.region IN (SELECT r.region FROM TABLE(TUMBLE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE)) r WHERE r.window_start = l.window_start AND r.window_end = l.window_end))
WHERE rn <= 1;
-- case: wsj-in-window-aggregation-where
-- vitest
-- mode: streaming
SELECT window_start, window_end, COUNT(*) AS n, SUM(qty) AS q FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
WHERE region IN (SELECT region FROM picks WHERE score > 3)
GROUP BY window_start, window_end;

-- case: wsj-not-exists-in-window-aggregation-where
-- mode: streaming
SELECT window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
WHERE NOT EXISTS (SELECT 1 FROM picks p WHERE p.region = l.region)
GROUP BY window_start, window_end;

-- case: wsj-in-window-aggregation-where-batch
SELECT window_start, window_end, COUNT(*) AS n, SUM(qty) AS q FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
WHERE region IN (SELECT region FROM picks WHERE score > 3)
GROUP BY window_start, window_end;

-- case: wsj-windowed-in-window-aggregation-where
-- vitest
-- mode: streaming
SELECT window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
WHERE l.region IN (SELECT r.region FROM TABLE(TUMBLE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE)) r WHERE r.window_start = l.window_start AND r.window_end = l.window_end)
GROUP BY window_start, window_end;

-- case: wsj-exists-in-window-aggregation-where
-- mode: streaming
SELECT window_start, window_end, region, SUM(qty) AS q FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '2' MINUTE)) l
WHERE EXISTS (SELECT 1 FROM picks p WHERE p.region = l.region AND p.score >= l.qty) AND qty > 1
GROUP BY window_start, window_end, region;

-- case: wsj-not-in-window-aggregation-where-batch
SELECT window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
WHERE region NOT IN (SELECT region FROM picks WHERE score > 5)
GROUP BY window_start, window_end;

-- case: wsj-not-in-window-aggregation-where-streaming
-- mode: streaming
SELECT window_start, window_end, COUNT(*) AS n, SUM(qty) AS q, MAX(qty) AS mx FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
WHERE region NOT IN (SELECT region FROM picks WHERE score > 5)
GROUP BY window_start, window_end;

-- case: wsj-not-exists-hop-by-region
-- mode: streaming
SELECT window_start, window_end, region, COUNT(*) AS n, MIN(qty) AS mn, AVG(qty) AS a FROM TABLE(HOP(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) l
WHERE NOT EXISTS (SELECT 1 FROM picks p WHERE p.region = l.region AND p.score > 3)
GROUP BY window_start, window_end, region;

-- case: wsj-not-exists-cumulate-window-time
-- mode: streaming
SELECT window_start, window_end, window_time, COUNT(DISTINCT region) AS r, SUM(qty) AS q FROM TABLE(CUMULATE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) l
WHERE NOT EXISTS (SELECT 1 FROM picks p WHERE p.region = l.region AND p.score >= l.qty)
GROUP BY window_start, window_end, window_time;

-- case: wsj-windowed-in-window-aggregation-where-batch
SELECT window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
WHERE l.region IN (SELECT r.region FROM TABLE(TUMBLE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE)) r WHERE r.window_start = l.window_start AND r.window_end = l.window_end)
GROUP BY window_start, window_end;

-- case: wsj-windowed-not-in-window-aggregation-where
-- mode: streaming
SELECT window_start, window_end, COUNT(*) AS n, SUM(qty) AS q FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
WHERE l.region NOT IN (SELECT r.region FROM TABLE(TUMBLE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE)) r WHERE r.window_start = l.window_start AND r.window_end = l.window_end)
GROUP BY window_start, window_end;

-- case: wsj-windowed-not-in-window-aggregation-where-batch
SELECT window_start, window_end, COUNT(*) AS n, SUM(qty) AS q FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
WHERE l.region NOT IN (SELECT r.region FROM TABLE(TUMBLE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE)) r WHERE r.window_start = l.window_start AND r.window_end = l.window_end)
GROUP BY window_start, window_end;

-- case: wsj-windowed-not-exists-hop-aggregation-where
-- mode: streaming
SELECT window_start, window_end, region, COUNT(*) AS n, MAX(qty) AS mx FROM TABLE(HOP(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) l
WHERE NOT EXISTS (SELECT 1 FROM TABLE(HOP(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) r WHERE r.region = l.region AND r.window_start = l.window_start AND r.window_end = l.window_end)
GROUP BY window_start, window_end, region;

-- case: wsj-windowed-not-exists-hop-aggregation-where-batch
SELECT window_start, window_end, region, COUNT(*) AS n, MAX(qty) AS mx FROM TABLE(HOP(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) l
WHERE NOT EXISTS (SELECT 1 FROM TABLE(HOP(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) r WHERE r.region = l.region AND r.window_start = l.window_start AND r.window_end = l.window_end)
GROUP BY window_start, window_end, region;

-- case: wsj-windowed-exists-cumulate-aggregation-where
-- mode: streaming
SELECT window_start, window_end, window_time, COUNT(*) AS n, SUM(qty) AS q FROM TABLE(CUMULATE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) l
WHERE EXISTS (SELECT 1 FROM TABLE(CUMULATE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE, INTERVAL '2' MINUTE)) r WHERE r.region = l.region AND r.score > l.qty AND r.window_start = l.window_start AND r.window_end = l.window_end) AND l.qty > 1
GROUP BY window_start, window_end, window_time;

-- case: wsj-windowed-half-correlated-window-aggregation-where
-- mode: streaming
SELECT window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) l
WHERE l.region IN (SELECT r.region FROM TABLE(TUMBLE(TABLE picks, DESCRIPTOR(pts), INTERVAL '1' MINUTE)) r WHERE r.window_start = l.window_start)
GROUP BY window_start, window_end;
