-- OVER windows (issue 13/14): RANK / DENSE_RANK / ROW_NUMBER outside Top-N, LAG / LEAD,
-- PERCENT_RANK / CUME_DIST / NTILE, partition totals and frames over any order in batch; what
-- Flink 1.20 runs in streaming OVER (ordered by one ascending time attribute, frames ending at the
-- current row, LAG but not LEAD) and what it refuses. Streaming rows are never late.
-- table: sc (id INT, k STRING, v INT, s STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"id": 1, "k": "a", "v": 10, "s": "x", "ts": "2025-01-01 10:00:01"}
-- row: {"id": 2, "k": "b", "v": 20, "s": "y", "ts": "2025-01-01 10:00:02"}
-- row: {"id": 3, "k": "a", "v": 10, "s": null, "ts": "2025-01-01 10:00:03"}
-- row: {"id": 4, "k": "a", "v": null, "s": "z", "ts": "2025-01-01 10:00:04"}
-- row: {"id": 5, "k": "b", "v": 5, "s": "w", "ts": "2025-01-01 10:00:05"}
-- row: {"id": 6, "k": null, "v": 7, "s": "v", "ts": "2025-01-01 10:00:06"}
-- row: {"id": 7, "k": "a", "v": 30, "s": "u", "ts": "2025-01-01 10:00:07"}
-- row: {"id": 8, "k": "b", "v": 20, "s": "t", "ts": "2025-01-01 10:00:08"}
-- row: {"id": 9, "k": null, "v": null, "s": null, "ts": "2025-01-01 10:00:09"}
-- table: tt (id INT, k STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"id": 1, "k": "a", "v": 10, "ts": "2025-01-01 10:00:01"}
-- row: {"id": 2, "k": "a", "v": 20, "ts": "2025-01-01 10:00:02"}
-- row: {"id": 3, "k": "a", "v": 30, "ts": "2025-01-01 10:00:02"}
-- row: {"id": 4, "k": "a", "v": null, "ts": "2025-01-01 10:00:03"}
-- row: {"id": 5, "k": "b", "v": 5, "ts": "2025-01-01 10:00:03"}
-- row: {"id": 6, "k": "a", "v": 7, "ts": "2025-01-01 10:00:03"}
-- row: {"id": 7, "k": "b", "v": 8, "ts": "2025-01-01 10:00:04"}
-- row: {"id": 8, "k": "a", "v": 1, "ts": "2025-01-01 10:00:05"}

-- case: over-s-row-number
-- mode: streaming
-- vitest
SELECT id, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts) AS rn FROM tt;

-- case: over-s-row-number-no-ties
-- mode: streaming
SELECT id, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts) AS rn FROM sc;

-- case: over-s-rank
-- mode: streaming
-- vitest
SELECT id, RANK() OVER (PARTITION BY k ORDER BY ts) AS r FROM tt;

-- case: over-s-dense-rank
-- mode: streaming
SELECT id, DENSE_RANK() OVER (PARTITION BY k ORDER BY ts) AS r FROM tt;

-- case: over-s-rank-null-keys
-- mode: streaming
SELECT id, RANK() OVER (PARTITION BY k ORDER BY ts) AS r, DENSE_RANK() OVER (PARTITION BY k ORDER BY ts) AS d FROM sc;

-- case: over-s-rank-sum-lag
-- mode: streaming
-- vitest
SELECT id, RANK() OVER w AS r, SUM(v) OVER w AS t, LAG(v) OVER w AS l FROM tt WINDOW w AS (PARTITION BY k ORDER BY ts);

-- case: over-s-lag-ties
-- mode: streaming
SELECT id, LAG(v) OVER (PARTITION BY k ORDER BY ts) AS l, LAG(v, 0) OVER (PARTITION BY k ORDER BY ts) AS l0, LAG(v, 2) OVER (PARTITION BY k ORDER BY ts) AS l2 FROM tt;

-- case: over-s-lag
-- mode: streaming
SELECT id, LAG(v) OVER (PARTITION BY k ORDER BY ts) AS p, LAG(s) OVER (PARTITION BY k ORDER BY ts) AS q FROM sc;

-- case: over-s-lag-offset-default
-- mode: streaming
SELECT id, LAG(v, 2, -1) OVER w AS p, LAG(s, 1, 'none') OVER w AS q, LAG(k, 1, CAST(NULL AS STRING)) OVER w AS r FROM sc WHERE k = 'b' OR k IS NULL WINDOW w AS (PARTITION BY k ORDER BY ts);

-- case: over-s-lag-not-null-default-of-null
-- mode: streaming
SELECT id, LAG(v, 1, 0) OVER (PARTITION BY k ORDER BY ts) AS p FROM sc;

-- case: over-s-lag-column-default
-- mode: streaming
SELECT id, LAG(v, 1, id) OVER (PARTITION BY k ORDER BY ts) AS p, LAG(ts) OVER (PARTITION BY k ORDER BY ts) AS t FROM sc;

-- case: over-s-lag-proctime
-- mode: streaming
SELECT id, LAG(v) OVER (PARTITION BY k ORDER BY pt) AS p FROM (SELECT *, PROCTIME() AS pt FROM sc);

-- case: over-s-rank-in-expression
-- mode: streaming
SELECT id, RANK() OVER (PARTITION BY k ORDER BY ts) * 10 AS r FROM tt;

-- case: over-s-lag-filtered-outside
-- mode: streaming
SELECT * FROM (SELECT id, LAG(v) OVER (PARTITION BY k ORDER BY ts) AS p FROM sc) WHERE p IS NOT NULL;

-- case: over-s-rank-filtered-not-top-n
-- mode: streaming
SELECT * FROM (SELECT id, RANK() OVER (PARTITION BY k ORDER BY ts) AS r FROM tt) WHERE r > 2;

-- case: error-over-s-lead
-- mode: streaming
SELECT id, LEAD(v) OVER (PARTITION BY k ORDER BY ts) AS p FROM sc;

-- case: error-over-s-lag-with-frame
-- mode: streaming
SELECT id, LAG(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS p FROM sc;

-- case: error-over-s-row-number-with-frame
-- mode: streaming
SELECT id, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS r FROM sc;

-- case: error-over-s-rank-non-time-order
-- mode: streaming
SELECT id, RANK() OVER (PARTITION BY k ORDER BY v) AS r FROM sc;

-- case: error-over-s-rank-descending
-- mode: streaming
SELECT id, RANK() OVER (PARTITION BY k ORDER BY ts DESC) AS r FROM tt;

-- case: error-over-s-rank-two-order-keys
-- mode: streaming
SELECT id, RANK() OVER (PARTITION BY k ORDER BY ts, v) AS r FROM tt;

-- case: error-over-s-two-windows
-- mode: streaming
SELECT id, RANK() OVER (PARTITION BY k ORDER BY ts) AS r, LAG(v) OVER (ORDER BY ts) AS l FROM tt;

-- case: error-over-s-row-number-with-rank
-- mode: streaming
SELECT id, ROW_NUMBER() OVER w AS rn, RANK() OVER w AS r FROM tt WINDOW w AS (PARTITION BY k ORDER BY ts);

-- case: error-over-s-lag-negative-offset
-- mode: streaming
SELECT id, LAG(v, -1) OVER (PARTITION BY k ORDER BY ts) AS l FROM tt;

-- case: error-over-s-lag-default-type
-- mode: streaming
SELECT id, LAG(v, 1, 1.5) OVER (PARTITION BY k ORDER BY ts) AS p FROM sc;

-- case: error-over-s-lag-default-wider
-- mode: streaming
SELECT id, LAG(CAST(v AS BIGINT), 1, 0) OVER (PARTITION BY k ORDER BY ts) AS p FROM sc;

-- case: error-over-s-no-order
-- mode: streaming
SELECT id, SUM(v) OVER (PARTITION BY k) AS p FROM sc;

-- case: error-over-s-following
-- mode: streaming
SELECT id, SUM(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS p FROM sc;

-- case: over-b-ranks
-- vitest
SELECT id, k, v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v, id) AS rn, RANK() OVER (PARTITION BY k ORDER BY v) AS r, DENSE_RANK() OVER (PARTITION BY k ORDER BY v) AS d FROM sc;

-- case: over-b-ranks-descending
SELECT id, RANK() OVER (ORDER BY v DESC) AS r, DENSE_RANK() OVER (ORDER BY v DESC NULLS FIRST) AS d, ROW_NUMBER() OVER (ORDER BY id DESC) AS rn FROM sc;

-- case: over-b-ranks-time-ties
SELECT id, ROW_NUMBER() OVER w AS rn, RANK() OVER w AS r, DENSE_RANK() OVER w AS d, SUM(v) OVER w AS t, LAG(v) OVER w AS l FROM tt WINDOW w AS (PARTITION BY k ORDER BY ts, id);

-- case: over-b-rank-ties-time
SELECT id, RANK() OVER w AS r, DENSE_RANK() OVER w AS d, SUM(v) OVER w AS t, COUNT(*) OVER w AS n FROM tt WINDOW w AS (PARTITION BY k ORDER BY ts);

-- case: over-b-rank-multi-order
SELECT id, RANK() OVER (ORDER BY k DESC, v) AS r, DENSE_RANK() OVER (ORDER BY k NULLS FIRST, ts) AS d FROM tt;

-- case: over-b-rank-alone
SELECT id, RANK() OVER (PARTITION BY k ORDER BY v) AS r FROM sc;

-- case: over-b-lag-lead
-- vitest
SELECT id, LAG(v) OVER (PARTITION BY k ORDER BY id) AS a, LAG(v, 2, -1) OVER (PARTITION BY k ORDER BY id) AS b, LEAD(s) OVER (PARTITION BY k ORDER BY id) AS c, LEAD(s, 2, 'none') OVER (PARTITION BY k ORDER BY id) AS d FROM sc;

-- case: over-b-lag-zero
SELECT id, LAG(v, 0) OVER (ORDER BY id) AS a FROM sc;

-- case: over-b-lag-negative
SELECT id, LAG(v, -1) OVER (ORDER BY id) AS a, LEAD(v, -1) OVER (ORDER BY id) AS b FROM sc;

-- case: over-b-lag-beyond
SELECT id, LAG(v, 100) OVER (ORDER BY id) AS l, LEAD(v, 100, 0) OVER (ORDER BY id) AS m FROM tt;

-- case: over-b-lag-default-cast
SELECT id, LAG(v, 1, 1.5) OVER (ORDER BY id) AS a, LEAD(v, 1, 2.5) OVER (ORDER BY id) AS b FROM sc WHERE v IS NOT NULL;

-- case: over-b-lag-column-default
SELECT id, LAG(v, 1, id) OVER (ORDER BY id) AS a, LEAD(ts) OVER (PARTITION BY k ORDER BY id) AS t FROM sc;

-- case: over-b-lag-not-null-default-of-null
SELECT id, LAG(v, 1, 0) OVER (ORDER BY id) AS a FROM sc;

-- case: over-b-lag-without-order
SELECT id, LAG(v) OVER (PARTITION BY k) AS r FROM sc WHERE k = 'b';

-- case: error-over-b-lag-column-offset
-- Flink 1.20 plans a column offset and fails the job (ClassCastException: SerializedLambda in
-- OffsetOverFrame.calcOffsetFunc); tsstream refuses it at planning (the offset must be a literal).
SELECT id, LAG(v, id) OVER (ORDER BY id) AS a FROM sc;

-- case: error-over-b-lag-string-default
SELECT id, LAG(v, 1, 'x') OVER (ORDER BY id) AS a FROM sc;

-- case: over-b-ntile
SELECT id, NTILE(2) OVER (ORDER BY id) AS a, NTILE(3) OVER (PARTITION BY k ORDER BY id) AS b, NTILE(20) OVER (ORDER BY id) AS c FROM tt;

-- case: over-b-percent-rank-cume-dist
SELECT id, PERCENT_RANK() OVER (ORDER BY v) AS p, CUME_DIST() OVER (ORDER BY v) AS c, PERCENT_RANK() OVER (PARTITION BY k ORDER BY v) AS pk FROM tt;

-- case: over-b-first-last-value
SELECT id, FIRST_VALUE(v) OVER (PARTITION BY k ORDER BY id) AS f, LAST_VALUE(v) OVER (PARTITION BY k ORDER BY id) AS l FROM tt;

-- case: over-b-partition-total
SELECT id, SUM(v) OVER (PARTITION BY k) AS t, COUNT(*) OVER () AS n, MAX(s) OVER (PARTITION BY k) AS m FROM sc;

-- case: over-b-order-range-default
SELECT id, SUM(v) OVER (ORDER BY v) AS t, COUNT(*) OVER (PARTITION BY k ORDER BY v) AS n FROM sc;

-- case: over-b-rows-following
SELECT id, SUM(v) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS t, MAX(v) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS m FROM sc;

-- case: over-b-rows-before
SELECT id, SUM(v) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) AS n, MIN(v) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) AS m FROM tt;

-- case: over-b-range-numeric
SELECT id, SUM(v) OVER (ORDER BY v RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS t FROM sc;

-- case: over-b-range-descending
SELECT id, SUM(v) OVER (ORDER BY v DESC RANGE BETWEEN 10 PRECEDING AND CURRENT ROW) AS n FROM tt;

-- case: over-b-range-unbounded-following
SELECT id, SUM(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS n FROM tt;

-- case: over-b-in-expressions
SELECT id, RANK() OVER (ORDER BY v) + 1 AS r, CAST(LAG(v) OVER (ORDER BY id) AS STRING) AS l FROM sc;

-- case: over-b-filtered-outside
SELECT * FROM (SELECT id, RANK() OVER (ORDER BY v) AS r FROM sc) WHERE r > 2;

-- case: error-over-b-rank-without-order
SELECT id, RANK() OVER (PARTITION BY k) AS r FROM sc;

-- case: error-over-b-row-number-without-order
SELECT id, ROW_NUMBER() OVER () AS r FROM sc;

-- case: error-over-b-rank-with-frame
SELECT id, RANK() OVER (ORDER BY v ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS r FROM sc;

-- case: error-over-b-rank-argument
SELECT id, RANK(v) OVER (ORDER BY v) AS r FROM sc;

-- case: error-over-b-range-interval
SELECT id, COUNT(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' SECOND PRECEDING AND INTERVAL '1' SECOND FOLLOWING) AS n FROM tt;

-- case: error-over-b-in-where
SELECT id FROM tt WHERE RANK() OVER (ORDER BY v) > 1;

-- case: error-over-b-distinct
SELECT id, COUNT(DISTINCT k) OVER (ORDER BY id) AS c FROM tt;

-- case: over-b-over-group-by
SELECT k, SUM(v) AS t, RANK() OVER (ORDER BY SUM(v) DESC) AS r, LAG(k) OVER (ORDER BY k) AS pk, SUM(SUM(v)) OVER () AS total FROM tt GROUP BY k;

-- case: over-b-over-group-by-having
SELECT k, COUNT(*) AS n, DENSE_RANK() OVER (ORDER BY COUNT(*)) AS d, ROW_NUMBER() OVER (ORDER BY k DESC) AS rn FROM sc GROUP BY k HAVING COUNT(*) > 1;

-- case: error-over-s-over-group-by
-- mode: streaming
SELECT k, SUM(v) AS t, RANK() OVER (ORDER BY SUM(v)) AS r FROM tt GROUP BY k;

-- Keys that are expressions: PARTITION BY UPPER(k) / id % 2 / k || s, ORDER BY an expression in
-- batch (and in a Top-N); in streaming the ORDER BY of an over aggregation stays a time attribute.
-- case: over-s-partition-by-upper
-- mode: streaming
-- vitest
SELECT id, SUM(v) OVER (PARTITION BY UPPER(k) ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s FROM sc;

-- case: over-s-partition-by-arithmetic
-- mode: streaming
SELECT id, COUNT(v) OVER (PARTITION BY id % 2 ORDER BY ts) AS c, MAX(v) OVER (PARTITION BY id % 2 ORDER BY ts) AS m FROM sc;

-- case: over-s-partition-by-expression-and-column
-- mode: streaming
SELECT id, SUM(v) OVER (PARTITION BY k, CHAR_LENGTH(s) > 0 ORDER BY ts RANGE BETWEEN INTERVAL '3' SECOND PRECEDING AND CURRENT ROW) AS s FROM sc;

-- case: over-s-row-number-partition-by-expression
-- mode: streaming
SELECT id, ROW_NUMBER() OVER (PARTITION BY COALESCE(k, 'none') ORDER BY ts) AS rn FROM sc;

-- case: over-s-named-window-expression-keys
-- mode: streaming
SELECT id, SUM(v) OVER w AS s, LAG(v) OVER w AS p FROM sc WINDOW w AS (PARTITION BY UPPER(k) ORDER BY ts);

-- case: over-s-order-by-time-expression
-- mode: streaming
SELECT id, SUM(v) OVER (PARTITION BY k ORDER BY ts + INTERVAL '1' SECOND) AS s FROM sc;

-- case: over-s-order-by-cast-time
-- mode: streaming
SELECT id, SUM(v) OVER (PARTITION BY k ORDER BY CAST(ts AS TIMESTAMP(3))) AS s FROM sc;

-- case: over-s-order-by-number-expression
-- mode: streaming
SELECT id, SUM(v) OVER (PARTITION BY k ORDER BY v * 2) AS s FROM sc;

-- case: over-s-topn-expression-keys
-- mode: streaming
SELECT id, v, rn FROM (SELECT id, v, ROW_NUMBER() OVER (PARTITION BY UPPER(k) ORDER BY v * -1 DESC, id) AS rn FROM sc) WHERE rn <= 2;

-- case: over-s-dedup-partition-by-expression
-- mode: streaming
SELECT id, k FROM (SELECT id, k, ROW_NUMBER() OVER (PARTITION BY id % 3 ORDER BY ts DESC) AS rn FROM sc) WHERE rn = 1;

-- case: over-b-partition-by-upper
-- vitest
SELECT id, SUM(v) OVER (PARTITION BY UPPER(k) ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s FROM sc;

-- case: over-b-order-by-expression
SELECT id, RANK() OVER (PARTITION BY k ORDER BY COALESCE(v, 0) * -1) AS r, SUM(v) OVER (PARTITION BY id % 2 ORDER BY CHAR_LENGTH(s) DESC, id) AS t FROM sc;

-- case: over-b-lag-expression-keys
SELECT id, LAG(v) OVER (PARTITION BY k IS NULL ORDER BY id * -1) AS p, LEAD(id, 1, 0) OVER (PARTITION BY k IS NULL ORDER BY id * -1) AS n, LAG(s) OVER (PARTITION BY k IS NULL ORDER BY id * -1) AS q FROM sc;

-- case: over-b-topn-expression-keys
SELECT id, v, rn FROM (SELECT id, v, ROW_NUMBER() OVER (PARTITION BY UPPER(k) ORDER BY v * -1 DESC, id) AS rn FROM sc) WHERE rn <= 2;

-- case: over-b-range-expression-order
SELECT id, SUM(v) OVER (PARTITION BY k ORDER BY id + 1 RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) AS s FROM sc;
