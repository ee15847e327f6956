-- MATCH_RECOGNIZE (Flink's CEP in SQL) in event time: PARTITION BY, ORDER BY the rowtime,
-- MEASURES with FIRST/LAST/aggregates/MATCH_ROWTIME, AFTER MATCH SKIP, quantifiers, WITHIN,
-- DEFINE with PREV/LAST/aggregates. The stock ticker of Flink's documentation, two symbols.
-- table: Ticker (symbol STRING, price BIGINT, tax INT, rowtime TIMESTAMP(3), WATERMARK FOR rowtime AS rowtime - INTERVAL '1' SECOND)
-- row: {"symbol": "ACME", "price": 12, "tax": 1, "rowtime": "2011-04-01 10:00:00"}
-- row: {"symbol": "BETA", "price": 30, "tax": 2, "rowtime": "2011-04-01 10:00:00"}
-- row: {"symbol": "ACME", "price": 17, "tax": 2, "rowtime": "2011-04-01 10:00:01"}
-- row: {"symbol": "ACME", "price": 19, "tax": 1, "rowtime": "2011-04-01 10:00:02"}
-- row: {"symbol": "BETA", "price": 28, "tax": 1, "rowtime": "2011-04-01 10:00:02"}
-- row: {"symbol": "ACME", "price": 21, "tax": 3, "rowtime": "2011-04-01 10:00:03"}
-- row: {"symbol": "BETA", "price": 25, "tax": 1, "rowtime": "2011-04-01 10:00:03"}
-- row: {"symbol": "ACME", "price": 25, "tax": 2, "rowtime": "2011-04-01 10:00:04"}
-- row: {"symbol": "BETA", "price": 27, "tax": 3, "rowtime": "2011-04-01 10:00:04"}
-- row: {"symbol": "ACME", "price": 18, "tax": 1, "rowtime": "2011-04-01 10:00:05"}
-- row: {"symbol": "ACME", "price": 15, "tax": 1, "rowtime": "2011-04-01 10:00:06"}
-- row: {"symbol": "BETA", "price": 20, "tax": 2, "rowtime": "2011-04-01 10:00:06"}
-- row: {"symbol": "ACME", "price": 14, "tax": 2, "rowtime": "2011-04-01 10:00:07"}
-- row: {"symbol": "BETA", "price": 21, "tax": 2, "rowtime": "2011-04-01 10:00:07"}
-- row: {"symbol": "ACME", "price": 24, "tax": 2, "rowtime": "2011-04-01 10:00:08"}
-- row: {"symbol": "BETA", "price": 19, "tax": 1, "rowtime": "2011-04-01 10:00:08"}
-- row: {"symbol": "ACME", "price": 25, "tax": 2, "rowtime": "2011-04-01 10:00:09"}
-- row: {"symbol": "BETA", "price": 18, "tax": 1, "rowtime": "2011-04-01 10:00:09"}
-- row: {"symbol": "ACME", "price": 19, "tax": 1, "rowtime": "2011-04-01 10:00:10"}
-- row: {"symbol": "BETA", "price": 26, "tax": 3, "rowtime": "2011-04-01 10:00:10"}
-- row: {"symbol": "ACME", "price": 13, "tax": 1, "rowtime": "2011-04-01 10:00:13"}
-- row: {"symbol": "ACME", "price": 16, "tax": 1, "rowtime": "2011-04-01 10:00:14"}

-- case: mr-v-shape
-- mode: streaming
-- vitest
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES
    START_ROW.rowtime AS start_tstamp,
    LAST(PRICE_DOWN.rowtime) AS bottom_tstamp,
    LAST(PRICE_UP.rowtime) AS end_tstamp
  ONE ROW PER MATCH
  AFTER MATCH SKIP TO LAST PRICE_UP
  PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)
  DEFINE
    PRICE_DOWN AS (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price) OR PRICE_DOWN.price < LAST(PRICE_DOWN.price, 1),
    PRICE_UP AS PRICE_UP.price > LAST(PRICE_DOWN.price, 1)
) MR;

-- case: mr-aggregates-avg
-- mode: streaming
-- vitest
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES
    FIRST(A.rowtime) AS start_tstamp,
    LAST(A.rowtime) AS end_tstamp,
    AVG(A.price) AS avgPrice,
    SUM(A.price) AS sumPrice,
    COUNT(A.price) AS cnt,
    MIN(A.tax) AS minTax,
    MAX(A.tax) AS maxTax
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A+ B)
  DEFINE
    A AS AVG(A.price) < 22
) MR;

-- case: mr-prev-rising
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES FIRST(UP.price) AS first_up, LAST(UP.price) AS last_up, COUNT(*) AS n, MATCH_ROWTIME() AS mt
  PATTERN (S UP{2,} E)
  DEFINE
    UP AS UP.price > PREV(UP.price),
    E AS E.price <= PREV(E.price)
) MR;

-- case: mr-skip-to-next-row
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES A.price AS a_price, B.price AS b_price, B.rowtime AS b_time
  AFTER MATCH SKIP TO NEXT ROW
  PATTERN (A B)
  DEFINE B AS B.price > A.price
) MR;

-- case: mr-skip-to-first
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES FIRST(A.price) AS a1, LAST(B.price) AS b_last, C.price AS c_price
  AFTER MATCH SKIP TO FIRST B
  PATTERN (A B{2} C)
  DEFINE C AS C.price > B.price
) MR;

-- case: mr-skip-past-last-fixed
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES FIRST(A.rowtime) AS t0, SUM(A.price) AS s, LAST(A.price, 2) AS third_last
  PATTERN (A{3})
  DEFINE A AS A.tax < 3
) MR;

-- case: mr-reluctant-plus
-- mode: streaming
-- vitest
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES FIRST(A.price) AS a, COUNT(B.price) AS nb, LAST(B.price) AS lb, C.price AS c
  PATTERN (A B+? C)
  DEFINE B AS B.price > 15, C AS C.price > 20
) MR;

-- case: mr-greedy-star-middle
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES FIRST(A.price) AS a, COUNT(B.price) AS nb, LAST(B.price) AS lb, C.price AS c
  PATTERN (A B* C)
  DEFINE A AS A.price < 20, B AS B.price > 15, C AS C.price > 20
) MR;

-- case: mr-reluctant-star-middle
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES FIRST(A.price) AS a, COUNT(B.price) AS nb, C.price AS c
  PATTERN (A B*? C)
  DEFINE A AS A.price < 20, B AS B.price > 15, C AS C.price > 20
) MR;

-- case: mr-optional-and-range
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES A.price AS a, COUNT(B.price) AS nb, FIRST(B.price) AS fb, D.price AS d
  PATTERN (A? B{1,3} D)
  DEFINE A AS A.tax = 3, B AS B.price < 26, D AS D.price >= 24
) MR;

-- case: mr-reluctant-range-end
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES A.price AS a, COUNT(B.price) AS nb
  PATTERN (A B{2,3}?)
  DEFINE A AS A.price > 20, B AS B.price < A.price
) MR;

-- case: mr-within
-- mode: streaming
-- vitest
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES FIRST(A.rowtime) AS t0, LAST(A.rowtime) AS t1, B.rowtime AS tb
  PATTERN (A+ B) WITHIN INTERVAL '3' SECOND
  DEFINE A AS A.price < 26, B AS B.price >= 26
) MR;

-- case: mr-unqualified-and-expressions
-- mode: streaming
SELECT symbol, p_total, ratio FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol
  ORDER BY rowtime
  MEASURES SUM(A.price * A.tax) AS p_total, LAST(price) - FIRST(price) AS ratio
  PATTERN (A A2)
  DEFINE A AS price > 20, A2 AS price + tax < 20
) MR;

-- case: mr-no-partition
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  ORDER BY rowtime
  MEASURES A.symbol AS s1, B.symbol AS s2, B.rowtime AS t
  PATTERN (A B)
  DEFINE A AS A.price >= 25, B AS B.symbol <> A.symbol
) MR;

-- case: mr-subquery-input-and-aggregate-after
-- mode: streaming
SELECT symbol, COUNT(*) AS n_matches, MAX(top) AS top FROM (
  SELECT * FROM (SELECT symbol, price * 2 AS p2, rowtime FROM Ticker) MATCH_RECOGNIZE (
    PARTITION BY symbol
    ORDER BY rowtime
    MEASURES MAX(U.p2) AS top
    PATTERN (D U)
    DEFINE D AS D.p2 < 40, U AS U.p2 > D.p2
  )
) GROUP BY symbol;

-- case: mr-rowtime-window-after
-- mode: streaming
SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE (
  SELECT * FROM Ticker MATCH_RECOGNIZE (
    PARTITION BY symbol ORDER BY rowtime
    MEASURES MATCH_ROWTIME() AS mt, B.price AS bp
    PATTERN (A B) DEFINE B AS B.price > A.price)
), DESCRIPTOR(mt), INTERVAL '5' SECOND)) GROUP BY window_start, window_end;

-- case: error-mr-all-rows-per-match
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS p
  ALL ROWS PER MATCH
  PATTERN (A B) DEFINE B AS B.price > A.price
) MR;

-- case: error-mr-greedy-last
-- mode: streaming
-- vitest
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS p
  PATTERN (A B*) DEFINE B AS B.price > A.price
) MR;

-- case: error-mr-reluctant-optional
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS p
  PATTERN (A?? B) DEFINE B AS B.price > 20
) MR;

-- case: error-mr-order-not-time
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol ORDER BY price
  MEASURES A.price AS p
  PATTERN (A B) DEFINE B AS B.price > A.price
) MR;

-- case: error-mr-alternation
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS p
  PATTERN (A (B | C)) DEFINE B AS B.price > A.price, C AS C.price < A.price
) MR;

-- case: error-mr-group-quantifier
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS p
  PATTERN ((A B)+ C) DEFINE B AS B.price > A.price
) MR;

-- case: mr-batch-mode
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS p
  PATTERN (A B) DEFINE B AS B.price > A.price
) MR;

-- case: error-mr-classifier
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol ORDER BY rowtime
  MEASURES CLASSIFIER() AS c
  PATTERN (A B) DEFINE B AS B.price > A.price
) MR;

-- case: error-mr-distinct-aggregate
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol ORDER BY rowtime
  MEASURES COUNT(DISTINCT A.tax) AS c
  PATTERN (A+ B) DEFINE B AS B.price > 24
) MR;

-- case: error-mr-aggregate-two-variables
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (
  PARTITION BY symbol ORDER BY rowtime
  MEASURES SUM(A.price + B.price) AS c
  PATTERN (A B) DEFINE B AS B.price > 24
) MR;

-- case: error-mr-prev-own-variable
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS a, B.price AS b PATTERN (A B) DEFINE B AS B.price > PREV(B.price)) MR;

-- case: mr-prev-unqualified
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS a, B.price AS b PATTERN (A B) DEFINE B AS price > PREV(price)) MR;

-- case: error-mr-prev-own-variable-loop
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES FIRST(B.price) AS a, LAST(B.price) AS b PATTERN (A B+? C) DEFINE B AS B.price > PREV(B.price), C AS C.price < PREV(C.price)) MR;

-- case: mr-prev-other-variable
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS a, B.price AS b PATTERN (A B) DEFINE B AS B.price > PREV(A.price)) MR;

-- case: error-mr-prev-own-variable-offset
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS a, C.price AS b PATTERN (A B C) DEFINE C AS C.price > PREV(C.price, 2)) MR;

-- case: error-mr-prev-in-measures
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES PREV(B.price) AS a, B.price AS b PATTERN (A B) DEFINE B AS B.price > A.price) MR;

-- case: mr-first-last-offsets
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES FIRST(A.price, 1) AS a, LAST(A.price, 1) AS b, C.price AS c PATTERN (A{2,3} C) DEFINE A AS A.tax < 3, C AS C.tax = 3) MR;

-- case: mr-count-star-reluctant
-- mode: streaming
SELECT symbol, n, sa FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES COUNT(*) AS n, SUM(A.price) AS sa, MATCH_PROCTIME() AS pt PATTERN (A+? B) DEFINE B AS B.tax = 3) MR;

-- case: mr-prev-offset-2
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS a, C.price AS b PATTERN (A B C) DEFINE C AS price > PREV(price, 2)) MR;

-- case: mr-skip-past-last-reluctant-range
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES FIRST(A.price) AS a, LAST(A.price) AS b, COUNT(A.price) AS n AFTER MATCH SKIP PAST LAST ROW PATTERN (A{2,3}? B) DEFINE A AS A.tax < 3, B AS B.price > 20) MR;

-- case: mr-greedy-range-next-not-taken
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES COUNT(B.price) AS nb, FIRST(B.price) AS fb, D.price AS d
  PATTERN (B{1,3} D) DEFINE B AS B.price < 26, D AS D.price >= 24) MR;

-- case: mr-optional-never-then-range
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES COUNT(B.price) AS nb, FIRST(B.price) AS fb, D.price AS d
  PATTERN (A? B{1,3} D) DEFINE A AS A.tax = 99, B AS B.price < 26, D AS D.price >= 24) MR;

-- case: mr-optional-first-both-branches
-- mode: streaming
-- vitest
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS a, B.price AS b, D.price AS d
  PATTERN (A? B D) DEFINE A AS A.tax = 3, B AS B.price < 26, D AS D.price >= 24) MR;

-- case: mr-fixed-count
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES COUNT(B.price) AS nb, FIRST(B.price) AS fb, D.price AS d
  PATTERN (B{2} D) DEFINE B AS B.price < 26, D AS D.price >= 24) MR;

-- case: mr-optional-middle
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS a, B.price AS b, D.price AS d
  PATTERN (S A? B D) DEFINE S AS S.price < 20, A AS A.tax = 3, B AS B.price < 26, D AS D.price >= 24) MR;

-- case: mr-greedy-range-from-zero
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES COUNT(B.price) AS nb, LAST(B.price) AS lb, D.price AS d
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (S B{0,2} D) DEFINE S AS S.price < 20, B AS B.price < 22, D AS D.price > 18) MR;

-- case: mr-reluctant-range-middle
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES COUNT(B.price) AS nb, LAST(B.price) AS lb, D.price AS d
  PATTERN (S B{1,2}? D) DEFINE S AS S.price < 20, B AS B.price < 22, D AS D.price > 18) MR;

-- case: mr-greedy-plus-middle
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES COUNT(B.price) AS nb, LAST(B.price) AS lb, D.price AS d
  PATTERN (S B+ D) DEFINE S AS S.price < 20, B AS B.price < 22, D AS D.price > 18) MR;

-- case: mr-optional-last
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES COUNT(B.price) AS nb, LAST(B.price) AS lb
  PATTERN (S B?) DEFINE S AS S.price < 20, B AS B.price < 22) MR;

-- case: mr-prev-of-earlier-variable
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES A.price AS a, B.price AS b, C.price AS c
  PATTERN (A B C) DEFINE C AS C.price > PREV(B.price), B AS B.price < 20) MR;

-- case: mr-define-unqualified-navigation
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES FIRST(price) AS f, LAST(price) AS l, AVG(price) AS av, MAX(tax) AS mt
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A B+? C) DEFINE B AS price < FIRST(price) + 5, C AS SUM(tax) >= 5) MR;

-- case: mr-skip-to-last-same-row
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES FIRST(A.price) AS a, LAST(A.price) AS la, B.price AS b
  AFTER MATCH SKIP TO LAST A
  PATTERN (A{2} B) DEFINE A AS A.tax < 3, B AS B.price > LAST(A.price)) MR;

-- case: mr-match-rowtime-column
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES FIRST(UP.price) AS first_up, MATCH_ROWTIME(rowtime) AS mt
  ONE ROW PER MATCH AFTER MATCH SKIP PAST LAST ROW PATTERN (UP{2}) DEFINE UP AS UP.price > 15);

-- case: mr-final-measures
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES FINAL LAST(UP.price) AS last_up, FINAL COUNT(UP.price) AS n
  ONE ROW PER MATCH AFTER MATCH SKIP PAST LAST ROW PATTERN (UP{2}) DEFINE UP AS UP.price > 15);

-- case: mr-running-measures-refused
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES RUNNING LAST(UP.price) AS last_up
  ONE ROW PER MATCH AFTER MATCH SKIP PAST LAST ROW PATTERN (UP{2}) DEFINE UP AS UP.price > 15);

-- case: mr-batch-no-partition
-- vitest
SELECT * FROM Ticker MATCH_RECOGNIZE (
  ORDER BY rowtime
  MEASURES A.symbol AS s1, B.symbol AS s2, B.rowtime AS t
  PATTERN (A B)
  DEFINE A AS A.price >= 25, B AS B.symbol <> A.symbol
) MR;

-- case: mr-batch-every-pair
SELECT * FROM Ticker MATCH_RECOGNIZE (ORDER BY rowtime
  MEASURES A.rowtime AS ta, A.price AS pa, B.rowtime AS tb, B.price AS pb
  AFTER MATCH SKIP TO NEXT ROW PATTERN (A B) DEFINE B AS TRUE) MR;

-- case: mr-batch-v-shape-one-symbol
SELECT * FROM (SELECT * FROM Ticker WHERE symbol = 'ACME') MATCH_RECOGNIZE (
  ORDER BY rowtime
  MEASURES START_ROW.rowtime AS start_tstamp, LAST(PRICE_DOWN.rowtime) AS bottom_tstamp, LAST(PRICE_UP.rowtime) AS end_tstamp, COUNT(PRICE_DOWN.price) AS downs, AVG(PRICE_DOWN.tax) AS avg_tax
  ONE ROW PER MATCH
  AFTER MATCH SKIP TO LAST PRICE_UP
  PATTERN (START_ROW PRICE_DOWN+ PRICE_UP)
  DEFINE
    PRICE_DOWN AS (LAST(PRICE_DOWN.price, 1) IS NULL AND PRICE_DOWN.price < START_ROW.price) OR PRICE_DOWN.price < LAST(PRICE_DOWN.price, 1),
    PRICE_UP AS PRICE_UP.price > LAST(PRICE_DOWN.price, 1)
) MR;

-- case: mr-batch-quantifiers-within
SELECT * FROM (SELECT * FROM Ticker WHERE symbol = 'BETA') MATCH_RECOGNIZE (
  ORDER BY rowtime
  MEASURES FIRST(A.price) AS a, COUNT(B.price) AS nb, LAST(B.price) AS lb, C.price AS c
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A B{1,3}? C) WITHIN INTERVAL '5' SECOND
  DEFINE B AS B.price < A.price, C AS C.price > LAST(B.price)
) MR;

-- case: error-mr-batch-match-rowtime-column
SELECT * FROM Ticker MATCH_RECOGNIZE (ORDER BY rowtime
  MEASURES FIRST(UP.price) AS first_up, MATCH_ROWTIME(rowtime) AS mt
  ONE ROW PER MATCH AFTER MATCH SKIP PAST LAST ROW PATTERN (UP{2}) DEFINE UP AS UP.price > 15);

-- case: mr-listagg-separator
-- mode: streaming
-- vitest
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES LISTAGG(CAST(A.price AS STRING), '-') AS prices, LISTAGG(CAST(A.tax AS STRING)) AS taxes, B.price AS b
  AFTER MATCH SKIP PAST LAST ROW PATTERN (A{2,3}? B) DEFINE B AS B.price < LAST(A.price)) MR;

-- case: error-mr-listagg-separator-column
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES LISTAGG(A.symbol, CAST(A.tax AS STRING)) AS s, COUNT(A.price) AS n
  AFTER MATCH SKIP PAST LAST ROW PATTERN (A{2} B) DEFINE B AS B.price > 20) MR;

-- case: mr-listagg-in-define
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES FIRST(A.price) AS a, LISTAGG(CAST(A.price AS STRING), ',') AS ps
  AFTER MATCH SKIP PAST LAST ROW PATTERN (A+? B) DEFINE A AS CHAR_LENGTH(LISTAGG(CAST(A.price AS STRING), ',')) < 9, B AS B.price > 20) MR;

-- case: mr-listagg-batch
SELECT * FROM Ticker MATCH_RECOGNIZE (ORDER BY rowtime
  MEASURES LISTAGG(A.symbol, '/') AS syms, LISTAGG(CAST(B.price AS STRING), ' ') AS bs
  AFTER MATCH SKIP PAST LAST ROW PATTERN (A{2} B+? C) DEFINE A AS A.price > 20, C AS C.price < 16) MR;

-- case: error-mr-listagg-two-variables
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES LISTAGG(A.symbol, B.symbol) AS s
  PATTERN (A B) DEFINE B AS B.price > 20) MR;

-- case: mr-other-aggregates
-- mode: streaming
SELECT * FROM Ticker MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime
  MEASURES STDDEV_POP(A.price) AS sd, VAR_SAMP(A.tax) AS vs, FIRST_VALUE(A.price) AS fv, LAST_VALUE(A.price) AS lv, ARRAY_AGG(A.tax) AS arr
  AFTER MATCH SKIP PAST LAST ROW PATTERN (A{3} B) DEFINE B AS TRUE) MR;
