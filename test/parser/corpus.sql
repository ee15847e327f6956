-- The parser's round-trip corpus: every statement here must parse, print, and parse back to
-- the same AST. One construct (or a few) per statement; the scenarios' SQL is in scenarios.test.ts.

-- ───── session statements ─────
USE CATALOG default_catalog;
USE default_database;
USE my_catalog.my_db;
USE CATALOG `my-catalog`;
SET;
SET 'execution.runtime-mode' = 'streaming';
SET 'execution.checkpointing.interval' = '10s';
SET 'pipeline.name' = 'it''s a job';
set 'table.exec.source.idle-timeout'='5 s';
SET execution.runtime-mode = streaming;
SET table.exec.mini-batch.size = 5000;
RESET;
RESET table.exec.mini-batch.size;
RESET 'execution.savepoint.path';
HELP;
QUIT;
EXIT;
CLEAR;
STOP JOB '228d70913eab60dda85c5e7f78b5782c';
STOP JOB 'abc' WITH SAVEPOINT;
STOP JOB 'abc' WITH SAVEPOINT WITH DRAIN;
STOP JOB 'abc' WITH DRAIN;

-- ───── SHOW / DESCRIBE ─────
SHOW CATALOGS;
SHOW CURRENT CATALOG;
SHOW DATABASES;
SHOW CURRENT DATABASE;
SHOW TABLES;
SHOW TABLES FROM iceberg_catalog.demo;
SHOW TABLES IN demo LIKE 'event%';
SHOW TABLES NOT LIKE '%tmp%';
SHOW VIEWS;
SHOW FUNCTIONS;
SHOW USER FUNCTIONS;
SHOW JOBS;
SHOW MODULES;
SHOW FULL MODULES;
SHOW JARS;
SHOW COLUMNS FROM orders LIKE '%id';
SHOW CREATE TABLE kafka_events;
SHOW CREATE VIEW v_clicks;
DESCRIBE kafka_events;
DESC iceberg_catalog.demo.events;
DESCRIBE EXTENDED orders;

-- ───── CREATE / DROP / ALTER ─────
CREATE TABLE t1 (a INT);
CREATE TABLE IF NOT EXISTS db1.t2 (a INT NOT NULL, b STRING) WITH ('connector' = 'datagen');
CREATE TEMPORARY TABLE tmp (x BIGINT) WITH ('connector' = 'blackhole');
CREATE TABLE types_all (
  c_bool BOOLEAN,
  c_tiny TINYINT,
  c_small SMALLINT,
  c_int INT,
  c_integer INTEGER,
  c_big BIGINT,
  c_float FLOAT,
  c_double DOUBLE,
  c_dec DECIMAL(10, 2),
  c_dec_default DECIMAL,
  c_numeric NUMERIC(5),
  c_string STRING,
  c_varchar VARCHAR(20),
  c_varchar1 VARCHAR,
  c_char CHAR(3),
  c_bytes BYTES,
  c_binary BINARY(16),
  c_varbinary VARBINARY(100),
  c_date DATE,
  c_time TIME,
  c_time3 TIME(3),
  c_ts TIMESTAMP,
  c_ts3 TIMESTAMP(3),
  c_ts9 TIMESTAMP(9) WITHOUT TIME ZONE,
  c_ltz TIMESTAMP(3) WITH LOCAL TIME ZONE,
  c_ltz2 TIMESTAMP_LTZ(3),
  c_ltz_default TIMESTAMP_LTZ,
  c_arr ARRAY<STRING>,
  c_arr2 INT ARRAY,
  c_map MAP<STRING, BIGINT>,
  c_row ROW<name STRING, age INT NOT NULL>,
  c_row2 ROW(x DOUBLE, y DOUBLE),
  c_nested ARRAY<ROW<k STRING, v MAP<STRING, ARRAY<INT NOT NULL>>>> NOT NULL
) WITH ('connector' = 'print');
CREATE TABLE orders (
  order_id STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  proc_time AS PROCTIME(),
  total AS amount * 1.1 COMMENT 'with tax',
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
  PRIMARY KEY (order_id) NOT ENFORCED
) COMMENT 'orders from kafka' WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'format' = 'json'
);
CREATE TABLE kafka_meta (
  `partition` INT METADATA VIRTUAL,
  `offset` BIGINT METADATA VIRTUAL,
  event_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  headers MAP<STRING, BYTES> METADATA,
  payload STRING
) WITH ('connector' = 'kafka', 'topic' = 'x', 'value.format' = 'raw');
CREATE TABLE users (user_id STRING PRIMARY KEY NOT ENFORCED, name STRING COMMENT 'display name') WITH ('connector' = 'upsert-kafka');
CREATE TABLE pk2 (a INT, b INT, CONSTRAINT pk_ab PRIMARY KEY (a, b) NOT ENFORCED);
CREATE TABLE part_t (dt STRING, v INT) PARTITIONED BY (dt) WITH ('connector' = 'filesystem', 'path' = '/tmp/x');
CREATE TABLE like_t (extra INT) WITH ('topic' = 'other') LIKE orders (EXCLUDING OPTIONS, INCLUDING WATERMARKS);
CREATE TABLE like_all WITH ('connector' = 'blackhole') LIKE orders;
CREATE TABLE ctas WITH ('connector' = 'print') AS SELECT order_id, amount FROM orders;
CREATE TABLE `events$copy` (`select` STRING, `my col` INT);
CREATE TABLE wm_strategy (ts TIMESTAMP(3), WATERMARK FOR ts AS ts);
CREATE TABLE wm_func (ts_ms BIGINT, ts AS TO_TIMESTAMP_LTZ(ts_ms, 3), WATERMARK FOR ts AS ts - INTERVAL '0.5' SECOND);
CREATE VIEW v_clicks AS SELECT * FROM events WHERE event_type = 'click';
CREATE TEMPORARY VIEW IF NOT EXISTS v2 (a, b) COMMENT 'a view' AS SELECT x, y FROM t;
CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'file:///tmp/wh');
CREATE CATALOG IF NOT EXISTS c2 COMMENT 'second' WITH ('type' = 'generic_in_memory');
CREATE DATABASE demo;
CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo COMMENT 'demo db' WITH ('k' = 'v');
CREATE FUNCTION my_udf AS 'com.example.MyUdf';
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS parse_ua AS 'com.example.ParseUa' LANGUAGE JAVA;
DROP TABLE t1;
DROP TABLE IF EXISTS db1.t2;
DROP TEMPORARY TABLE tmp;
DROP VIEW v_clicks;
DROP TEMPORARY VIEW IF EXISTS v2;
DROP DATABASE demo;
DROP DATABASE IF EXISTS iceberg_catalog.demo CASCADE;
DROP CATALOG IF EXISTS c2;
DROP FUNCTION my_udf;
DROP TEMPORARY SYSTEM FUNCTION IF EXISTS parse_ua;
ALTER TABLE orders SET ('scan.startup.mode' = 'latest-offset');
ALTER TABLE IF EXISTS orders RESET ('scan.startup.mode', 'format');
ALTER TABLE orders RENAME TO orders_v2;

-- ───── INSERT, statement sets, EXPLAIN ─────
INSERT INTO sink SELECT * FROM src;
INSERT OVERWRITE sink SELECT * FROM src;
INSERT INTO sink (a, b) SELECT x, y FROM src;
INSERT INTO sink VALUES (1, 'a'), (2, 'b');
INSERT INTO part_t PARTITION (dt = '2024-01-01') SELECT v FROM src;
INSERT INTO sink /*+ OPTIONS('sink.parallelism' = '2') */ SELECT * FROM src;
INSERT INTO sink (SELECT * FROM src);
EXECUTE STATEMENT SET BEGIN
  INSERT INTO s1 SELECT * FROM src;
  INSERT INTO s2 SELECT a, CASE WHEN a > 1 THEN 'big' ELSE 'small' END FROM src;
END;
BEGIN STATEMENT SET;
END;
EXPLAIN SELECT * FROM orders;
EXPLAIN PLAN FOR INSERT INTO sink SELECT * FROM src;
EXPLAIN ESTIMATED_COST, CHANGELOG_MODE SELECT a, COUNT(*) FROM t GROUP BY a;
EXPLAIN STATEMENT SET BEGIN INSERT INTO s1 SELECT * FROM src; END;

-- ───── queries: projections, filters, ordering ─────
SELECT 1;
SELECT * FROM events;
SELECT DISTINCT user_id FROM events;
SELECT ALL user_id FROM events;
SELECT e.*, u.name FROM events AS e JOIN users u ON e.user_id = u.user_id;
SELECT event_id AS id, user_id uid FROM events e;
SELECT iceberg_catalog.demo.events.event_id FROM iceberg_catalog.demo.events;
SELECT snapshot_id, committed_at, operation FROM iceberg_catalog.demo.`event_counts$snapshots` ORDER BY committed_at;
SELECT * FROM event_counts ORDER BY window_start, event_type;
SELECT * FROM t ORDER BY a DESC NULLS LAST, b ASC NULLS FIRST LIMIT 10;
SELECT * FROM t LIMIT 10 OFFSET 20;
SELECT * FROM t ORDER BY a OFFSET 5 ROWS FETCH FIRST 3 ROWS ONLY;
SELECT * FROM t FETCH NEXT 1 ROW ONLY;
SELECT a FROM t WHERE a > 1 AND b < 2 OR NOT c;
SELECT a, b FROM t WHERE a BETWEEN 1 AND 10 AND b NOT BETWEEN SYMMETRIC 5 AND 1;
SELECT * FROM t WHERE name LIKE 'a%' AND name NOT LIKE '%\_x' ESCAPE '\';
SELECT * FROM t WHERE name SIMILAR TO '(a|b)%';
SELECT * FROM t WHERE a IN (1, 2, 3) AND b NOT IN ('x', 'y');
SELECT * FROM t WHERE a IN (SELECT a FROM u) AND b NOT IN (SELECT b FROM v WHERE v.c = t.c);
SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id) AND NOT EXISTS (SELECT 1 FROM v);
SELECT a IS NULL, b IS NOT NULL, c IS TRUE, d IS NOT FALSE, e IS UNKNOWN FROM t;
SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b FROM t;
SELECT (SELECT MAX(x) FROM u) AS mx FROM t;
SELECT a FROM t WHERE a <> 1 AND b != 2 AND c >= 3 AND d <= 4;

-- ───── expressions ─────
SELECT 1 + 2 * 3, (1 + 2) * 3, 10 / 4, 10 % 3, -a, +b, - (a - b) FROM t;
SELECT 'a' || 'b' || c FROM t;
SELECT 1.5, .5, 1e10, 2.5E-3, 123456789012345678901234567890 FROM t;
SELECT TRUE, FALSE, NULL, X'0AFF', 'it''s' FROM t;
SELECT DATE '2025-12-29', TIME '10:00:00', TIME '10:00:00.123', TIMESTAMP '2025-12-29 10:00:00', TIMESTAMP '2025-12-29 10:00:00.123456' FROM t;
SELECT INTERVAL '5' SECOND, INTERVAL '1' MINUTE, INTERVAL '2' HOUR, INTERVAL '3' DAY, INTERVAL '1' MONTH, INTERVAL '2' YEAR FROM t;
SELECT INTERVAL '1:30' MINUTE TO SECOND, INTERVAL '1 02:03:04.5' DAY TO SECOND, INTERVAL '1-6' YEAR TO MONTH, INTERVAL '10:30' HOUR TO MINUTE FROM t;
SELECT INTERVAL '10' MINUTES, INTERVAL '0.001' SECOND, INTERVAL -'5' SECOND, INTERVAL '100' DAY(3) FROM t;
SELECT CAST(a AS STRING), CAST(b AS DECIMAL(10, 2)), TRY_CAST(c AS INT), CAST(`timestamp` AS TIMESTAMP) FROM t;
SELECT CAST(x AS ROW<a INT, b ARRAY<STRING>>), CAST(y AS MAP<STRING, INT>), CAST(z AS TIMESTAMP_LTZ(3)) FROM t;
SELECT CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END FROM t;
SELECT CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END FROM t;
SELECT COUNT(*), COUNT(DISTINCT user_id), SUM(amount) FILTER (WHERE amount > 0), AVG(x), MIN(y), MAX(z) FROM t;
SELECT COUNT(DISTINCT a) FILTER (WHERE b IS NOT NULL) FROM t;
SELECT arr[1], m['key'], r.field, arr[1].x, f(x).y, `map`['a']['b'] FROM t;
SELECT ARRAY[1, 2, 3], MAP['a', 1, 'b', 2], ROW(1, 'a'), (1, 'a') FROM t;
SELECT FLOOR(ts TO MINUTE), CEIL(ts TO HOUR), FLOOR(x), CEIL(y), CEILING(z) FROM t;
SELECT EXTRACT(HOUR FROM ts), EXTRACT(YEAR FROM d), EXTRACT(DOW FROM d) FROM t;
SELECT POSITION('a' IN s), TRIM(BOTH 'x' FROM s), TRIM(LEADING FROM s), TRIM(s), TRIM(TRAILING ' ' FROM s) FROM t;
SELECT SUBSTRING(s FROM 1 FOR 2), SUBSTRING(s FROM 3), SUBSTRING(s, 1, 2), OVERLAY(s PLACING 'x' FROM 2 FOR 1) FROM t;
SELECT CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIMESTAMP, CURRENT_ROW_TIMESTAMP(), PROCTIME(), NOW() FROM t;
SELECT DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm'), TO_TIMESTAMP(s, 'yyyy-MM-dd'), UNIX_TIMESTAMP(), JSON_VALUE(payload, '$.a') FROM t;
SELECT LEFT(s, 2), RIGHT(s, 3), IF(a > 1, 'x', 'y'), COALESCE(a, b, 0), NULLIF(a, 0) FROM t;
SELECT my_catalog.my_db.my_func(a), `weird func`(b) FROM t;
SELECT NOT a = b, NOT (a AND b), a AND NOT b FROM t;
SELECT (a + b) IS NULL, a = b IS NOT TRUE FROM t;
SELECT a BETWEEN b + 1 AND c * 2 FROM t;
SELECT a || b LIKE c FROM t;
SELECT - - a, -(-a), 3 - -2 FROM t;
SELECT `timestamp`, `value`, `user`, `select` FROM t;
SELECT year, month, data, comment FROM t;
SELECT a -- trailing comment
  , /* block comment */ b FROM t;

-- ───── OVER windows ─────
SELECT ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC) AS rn FROM events;
SELECT SUM(amount) OVER (PARTITION BY product ORDER BY ts ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) FROM orders;
SELECT SUM(amount) OVER (PARTITION BY product ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) FROM orders;
SELECT COUNT(*) OVER (ORDER BY ts ROWS UNBOUNDED PRECEDING) FROM orders;
SELECT AVG(x) OVER (ORDER BY ts RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t;
SELECT SUM(x) OVER w, AVG(x) OVER w FROM t WINDOW w AS (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING);
SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY a ORDER BY b) AS rownum FROM t) WHERE rownum <= 3;

-- ───── joins ─────
SELECT * FROM a JOIN b ON a.id = b.id;
SELECT * FROM a INNER JOIN b ON a.id = b.id;
SELECT * FROM a LEFT JOIN b ON a.id = b.id;
SELECT * FROM a LEFT OUTER JOIN b ON a.id = b.id RIGHT JOIN c ON c.id = b.id;
SELECT * FROM a FULL OUTER JOIN b USING (id, ts);
SELECT * FROM a CROSS JOIN b;
SELECT * FROM a, b WHERE a.id = b.id;
SELECT * FROM a NATURAL JOIN b;
SELECT * FROM a JOIN (b JOIN c ON b.id = c.id) ON a.id = b.id;
SELECT o.order_id, c.name FROM orders AS o JOIN customers FOR SYSTEM_TIME AS OF o.proc_time AS c ON o.customer_id = c.id;
SELECT * FROM orders o LEFT JOIN rates FOR SYSTEM_TIME AS OF o.ts r ON o.currency = r.currency;
SELECT * FROM orders o, shipments s WHERE o.id = s.order_id AND o.ts BETWEEN s.ts - INTERVAL '4' HOUR AND s.ts;
SELECT * FROM t, LATERAL TABLE(split(s)) AS T(word);
SELECT * FROM t LEFT JOIN LATERAL TABLE(split(s)) AS T(word, len) ON TRUE;
SELECT * FROM t CROSS JOIN UNNEST(t.tags) AS tag (name);
SELECT * FROM t, UNNEST(arr) WITH ORDINALITY AS u(v, i);
SELECT * FROM t, LATERAL (SELECT * FROM u WHERE u.k = t.k);
SELECT * FROM (SELECT a FROM t) AS sub (x);
SELECT * FROM kafka_events /*+ OPTIONS('scan.startup.mode' = 'latest-offset') */;
SELECT * FROM kafka_events /*+ OPTIONS('a'='1', 'b'='2') */ AS k WHERE k.x = 1;
SELECT /*+ STATE_TTL('o' = '1d') */ * FROM orders o;
SELECT /*+ BROADCAST(dim) */ * FROM fact JOIN dim ON fact.k = dim.k;
SELECT /*+ LOOKUP('table'='c', 'retry-predicate'='lookup_miss') */ * FROM o JOIN c FOR SYSTEM_TIME AS OF o.pt ON o.id = c.id;

-- ───── window TVFs ─────
SELECT window_start, window_end, event_type, COUNT(*) AS event_count FROM TABLE(TUMBLE(TABLE kafka_window_events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, event_type;
SELECT * FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES, INTERVAL '1' MINUTE));
SELECT * FROM TABLE(HOP(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES, INTERVAL '10' MINUTES));
SELECT * FROM TABLE(CUMULATE(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES, INTERVAL '10' MINUTES));
SELECT * FROM TABLE(SESSION(TABLE bid PARTITION BY item, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES));
SELECT * FROM TABLE(SESSION(TABLE bid PARTITION BY (item, supplier), DESCRIPTOR(bidtime), INTERVAL '5' MINUTES));
SELECT * FROM TABLE(TUMBLE(DATA => TABLE bid, TIMECOL => DESCRIPTOR(bidtime), SIZE => INTERVAL '10' MINUTES));
SELECT * FROM TABLE(HOP(DATA => TABLE bid, TIMECOL => DESCRIPTOR(bidtime), SLIDE => INTERVAL '5' MINUTES, SIZE => INTERVAL '10' MINUTES, OFFSET => INTERVAL '1' MINUTE));
SELECT * FROM TABLE(TUMBLE(TIMECOL => DESCRIPTOR(ts), SIZE => INTERVAL '1' HOUR, DATA => TABLE cat.db.t));
SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' HOUR)) AS w WHERE w.x > 0;
SELECT L.window_start, L.k, R.v FROM TABLE(TUMBLE(TABLE l, DESCRIPTOR(ts), INTERVAL '5' MINUTES)) L JOIN TABLE(TUMBLE(TABLE r, DESCRIPTOR(ts), INTERVAL '5' MINUTES)) R ON L.k = R.k AND L.window_start = R.window_start AND L.window_end = R.window_end;
SELECT window_start, item, SUM(price) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES)) GROUP BY GROUPING SETS ((window_start, window_end, item), (window_start, window_end));
SELECT * FROM TABLE(my_tvf(1, 'x'));

-- ───── grouping, set operations, CTEs, VALUES ─────
SELECT a, b, SUM(c) FROM t GROUP BY a, b HAVING SUM(c) > 10;
SELECT a, b, SUM(c) FROM t GROUP BY GROUPING SETS ((a, b), (a), ());
SELECT a, b, SUM(c) FROM t GROUP BY ROLLUP (a, b);
SELECT a, b, SUM(c) FROM t GROUP BY CUBE (a, b);
SELECT user_id, TUMBLE_START(ts, INTERVAL '1' HOUR), COUNT(*) FROM t GROUP BY TUMBLE(ts, INTERVAL '1' HOUR), user_id;
SELECT a FROM t UNION SELECT a FROM u;
SELECT a FROM t UNION ALL SELECT a FROM u UNION ALL SELECT a FROM v;
SELECT a FROM t INTERSECT SELECT a FROM u;
SELECT a FROM t EXCEPT SELECT a FROM u;
SELECT a FROM t UNION (SELECT a FROM u EXCEPT SELECT a FROM v);
(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT a FROM u);
SELECT a FROM t UNION SELECT a FROM u ORDER BY a LIMIT 5;
WITH c AS (SELECT a FROM t) SELECT * FROM c;
WITH c1 (x) AS (SELECT a FROM t), c2 AS (SELECT x FROM c1 WHERE x > 1) SELECT * FROM c2 JOIN c1 ON c1.x = c2.x;
VALUES (1, 'a'), (2, 'b');
SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name);
INSERT INTO iceberg_catalog.demo.events WITH x AS (SELECT * FROM src) SELECT * FROM x;
SELECT
  user_id,
  COUNT(*) AS cnt,
  COUNT(*) FILTER (WHERE event_type = 'purchase') AS purchases
FROM events
WHERE event_time >= TIMESTAMP '2024-01-01 00:00:00'
GROUP BY user_id
HAVING COUNT(*) > 1
ORDER BY cnt DESC
LIMIT 100;

-- ───── SQL/JSON functions ─────
SELECT JSON_VALUE(payload, '$.user.id'), JSON_VALUE(payload, '$.amount' RETURNING DOUBLE), JSON_VALUE(payload, '$.ts' RETURNING TIMESTAMP(3) NULL ON EMPTY DEFAULT TIMESTAMP '1970-01-01 00:00:00' ON ERROR) FROM raw_events;
SELECT JSON_VALUE(s, '$.a' RETURNING INT DEFAULT -1 ON EMPTY ERROR ON ERROR), JSON_EXISTS(s, '$.b'), JSON_EXISTS(s, '$.c' FALSE ON ERROR) FROM t;
SELECT s IS JSON, s IS NOT JSON OBJECT, (s || t) IS JSON ARRAY, s IS JSON SCALAR AND s IS NOT JSON VALUE FROM t;
SELECT U&'!0041b' UESCAPE '!', U&'caf\00e9' FROM t;
SELECT JSON_QUERY(s, '$.arr'), JSON_QUERY(s, '$.a' WITH WRAPPER), JSON_QUERY(s, '$.a' WITHOUT ARRAY WRAPPER EMPTY ARRAY ON EMPTY EMPTY OBJECT ON ERROR), JSON_QUERY(s, '$.a' WITH CONDITIONAL ARRAY WRAPPER) FROM t;
SELECT JSON_OBJECT('id' VALUE id, KEY 'name' VALUE name ABSENT ON NULL), JSON_OBJECT(), JSON_ARRAY(1, 'a', b NULL ON NULL), JSON_ARRAY(ABSENT ON NULL), JSON_STRING(x) FROM t;
SELECT k, JSON_OBJECTAGG(KEY k VALUE v), JSON_ARRAYAGG(v) FROM t GROUP BY k;

-- ───── procedures, replace table as select ─────
CALL iceberg_catalog.system.rewrite_data_files('demo.events');
CALL iceberg_catalog.system.expire_snapshots(`table` => 'demo.events', older_than => TIMESTAMP '2025-12-01 00:00:00', retain_last => 5);
CALL sys.refresh();
CREATE OR REPLACE TABLE daily WITH ('connector' = 'print') AS SELECT d, COUNT(*) AS c FROM t GROUP BY d;
ADD JAR '/opt/flink/lib/flink-sql-connector-kafka-3.1.0-1.18.jar';
REMOVE JAR '/tmp/x.jar';
SELECT * FROM TABLE(TUMBLE(DATA => TABLE Bid, TIMECOL => DESCRIPTOR(bidtime), INTERVAL '10' MINUTES));
SELECT * FROM TABLE(SESSION(DATA => TABLE Bid PARTITION BY item, TIMECOL => DESCRIPTOR(bidtime), GAP => INTERVAL '5' MINUTES));
SELECT u.user, `user`, user FROM user AS u;
CREATE TABLE logins (user STRING, current_date DATE, `value` INT, data STRING);
SELECT (s, e) OVERLAPS (TIMESTAMP '2025-01-01 10:00:00', INTERVAL '1' HOUR) AND NOT (a, b) OVERLAPS (c, d) FROM periods;
SELECT a FROM t JOIN u ON t.k = u.k LEFT JOIN v ON v.k = t.k CROSS JOIN UNNEST(t.arr) WITH ORDINALITY AS x (e, o);
