-- JSON_OBJECTAGG and JSON_ARRAYAGG in batch and streaming (over an updating input too).
-- table: t (k STRING, n STRING, v INT)
-- row: {"k": "a", "n": "x", "v": 1}
-- row: {"k": "a", "n": "y", "v": null}
-- row: {"k": "b", "n": "z", "v": 3}
-- row: {"k": "b", "n": "w", "v": 4}

-- case: json-aggs-grouped
-- vitest
SELECT k, JSON_OBJECTAGG(KEY n VALUE v) AS o, JSON_ARRAYAGG(v) AS a, JSON_OBJECTAGG(n VALUE v ABSENT ON NULL) AS o2, JSON_ARRAYAGG(v NULL ON NULL) AS a2 FROM t GROUP BY k;

-- case: json-aggs-global
SELECT JSON_OBJECTAGG(KEY n VALUE v) AS o, JSON_ARRAYAGG(n) AS a FROM t;

-- case: json-aggs-streaming
-- mode: streaming
SELECT k, JSON_OBJECTAGG(KEY n VALUE v) AS o, JSON_ARRAYAGG(v) AS a FROM t GROUP BY k;

-- case: json-aggs-nested-json
SELECT JSON_ARRAYAGG(JSON_OBJECT('k' VALUE k, 'v' VALUE v)) AS a, JSON_OBJECTAGG(KEY n VALUE JSON_ARRAY(v)) AS o FROM t;

-- case: json-objectagg-duplicate-key-fails
SELECT JSON_OBJECTAGG(KEY k VALUE v) AS o FROM t;

-- case: json-arrayagg-over-updating-input
-- mode: streaming
SELECT JSON_ARRAYAGG(c) AS a FROM (SELECT k, COUNT(*) AS c FROM t GROUP BY k);

-- case: json-objectagg-over-updating-input
-- mode: streaming
SELECT JSON_OBJECTAGG(KEY k VALUE c) AS o FROM (SELECT k, COUNT(*) AS c FROM t GROUP BY k);

-- case: json-aggs-empty-groups
SELECT k, JSON_ARRAYAGG(v) AS a FROM t WHERE v > 100 GROUP BY k;

-- case: json-aggs-empty-global
SELECT JSON_ARRAYAGG(v) AS a, JSON_OBJECTAGG(KEY n VALUE v) AS o FROM t WHERE v > 100;

-- case: json-arrayagg-distinct-refused
SELECT JSON_ARRAYAGG(DISTINCT k) AS a FROM t;

-- case: json-aggs-window
-- mode: streaming
-- table: w (n STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
-- row: {"n": "a", "v": 1, "ts": "2024-01-01 00:00:01"}
-- row: {"n": "b", "v": 2, "ts": "2024-01-01 00:00:02"}
-- row: {"n": "c", "v": 3, "ts": "2024-01-01 00:00:07"}
SELECT window_start, JSON_ARRAYAGG(v) AS a, JSON_OBJECTAGG(KEY n VALUE v) AS o FROM TABLE(TUMBLE(TABLE w, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end;
