-- Statements both engines must reject (the messages are not compared).
-- vitest
-- table: t (a INT, b STRING)
-- row: {"a": 1, "b": "x"}

-- case: error-unknown-column
-- expect: not-found
SELECT nope FROM t;

-- case: error-unknown-function
-- expect: not-found
SELECT NO_SUCH_FUNCTION(1) AS v;

-- case: error-unknown-table
-- expect: not-found
SELECT * FROM no_such_table;

-- case: error-type-mismatch-plus
SELECT 'a' + 1 AS v FROM t;

-- case: error-group-by-missing-column
SELECT a, b, COUNT(*) AS n FROM t GROUP BY a;

-- case: error-boolean-and-int
SELECT TRUE AND 1 AS v;

-- case: error-window-tvf-no-watermark
-- mode: streaming
SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(a), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;

-- case: error-ambiguous-column
SELECT a FROM t t1, t t2;

-- case: error-syntax
SELECT FROM WHERE;

-- case: error-cast-to-unknown-type
-- expect: not-found
SELECT CAST(1 AS NOPE) AS v;

-- case: error-insert-into-unknown
-- expect: not-found
INSERT INTO nowhere SELECT * FROM t;

-- case: error-wrong-arg-count
SELECT SUBSTRING('abc') AS v;

-- case: ok-quoted-identifiers
SELECT `a` AS `select` FROM t;
