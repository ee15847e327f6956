-- Aggregate result nullability: grouped, unfiltered, over NOT NULL arguments the result is NOT NULL.
-- table: ev (k STRING NOT NULL, v INT NOT NULL, d DECIMAL(10,2) NOT NULL, x INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
-- row: {"k": "a", "v": 1, "d": 1.5, "x": 1, "ts": "2024-01-01 00:00:01"}
-- row: {"k": "a", "v": 2, "d": 2.5, "x": null, "ts": "2024-01-01 00:00:02"}
-- row: {"k": "b", "v": 7, "d": 0.5, "x": 3, "ts": "2024-01-01 00:00:06"}

-- case: agg-nullability-grouped
SELECT k, SUM(v) AS s, MIN(v) AS mi, MAX(v) AS ma, AVG(v) AS av, COUNT(v) AS c, SUM(d) AS sd, AVG(d) AS ad, SUM(v) FILTER (WHERE v > 1) AS sf, FIRST_VALUE(v) AS fv, LAST_VALUE(v) AS lv, SUM(x) AS sx, STDDEV_POP(v) AS sp, LISTAGG(k) AS la, MAX(k) AS mk, SUM(DISTINCT v) AS sdi FROM ev GROUP BY k;

-- case: agg-nullability-global
SELECT SUM(v) AS s, MIN(v) AS mi, MAX(v) AS ma, AVG(v) AS av, COUNT(v) AS c FROM ev;

-- case: agg-nullability-streaming
-- vitest
-- mode: streaming
SELECT k, SUM(v) AS s, MIN(v) AS mi, MAX(v) AS ma, AVG(v) AS av, SUM(d) AS sd, SUM(x) AS sx, COUNT(*) AS n FROM ev GROUP BY k;

-- case: agg-nullability-window
-- mode: streaming
SELECT window_start, SUM(v) AS s, MIN(v) AS mi, MAX(v) AS ma, AVG(v) AS av, MAX(x) AS mx FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end;
