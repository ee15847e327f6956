-- S6: a real-time ETL pipeline on the embedded default.
-- Orders arrive as JSON with amounts as strings and ISO-8601 `Z` timestamps; a malformed line is
-- skipped and counted. Orders are filtered, typed, enriched from a reference table (lookup
-- join), aggregated per country in one-minute windows into Iceberg, and joined with shipments
-- (interval join: shipped within an hour) to print delivery times.
CREATE TABLE orders (
    order_id STRING,
    user_id STRING,
    amount STRING,
    order_time TIMESTAMP_LTZ(3),
    proc AS PROCTIME(),
    WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'filesystem',
    'path' = 'queries/data/s6-orders.jsonl',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601',
    'json.ignore-parse-errors' = 'true'
);

CREATE TABLE shipments (
    order_id STRING,
    ship_time TIMESTAMP_LTZ(3),
    WATERMARK FOR ship_time AS ship_time - INTERVAL '5' SECOND
) WITH (
    'connector' = 'filesystem',
    'path' = 'queries/data/s6-shipments.jsonl',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
);

-- The reference table for enrichment.
CREATE TABLE users (user_id STRING, country STRING) WITH (
    'connector' = 'filesystem', 'path' = 'queries/data/s6-users.jsonl', 'format' = 'json');

-- Filter and convert types, enrich with the user's country.
CREATE VIEW enriched_orders AS
SELECT o.order_id, o.user_id, u.country, CAST(o.amount AS DECIMAL(10, 2)) AS amount, o.order_time
FROM orders AS o
JOIN users FOR SYSTEM_TIME AS OF o.proc AS u ON o.user_id = u.user_id
WHERE CAST(o.amount AS DECIMAL(10, 2)) > 0;

CREATE CATALOG iceberg_catalog WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'queries/embedded/warehouse');
CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;
DROP TABLE IF EXISTS iceberg_catalog.demo.revenue_per_minute;
CREATE TABLE iceberg_catalog.demo.revenue_per_minute (
    window_start TIMESTAMP(3), window_end TIMESTAMP(3), country STRING, revenue DECIMAL(12, 2), orders BIGINT);

CREATE TABLE delivery_times (order_id STRING, minutes INT) WITH ('connector' = 'print', 'print-identifier' = 'delivery');

EXECUTE STATEMENT SET BEGIN
INSERT INTO iceberg_catalog.demo.revenue_per_minute
SELECT window_start, window_end, country, SUM(amount), COUNT(*)
FROM TABLE(TUMBLE(TABLE enriched_orders, DESCRIPTOR(order_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, country;

INSERT INTO delivery_times
SELECT o.order_id, TIMESTAMPDIFF(MINUTE, o.order_time, s.ship_time)
FROM orders AS o, shipments AS s
WHERE o.order_id = s.order_id AND s.ship_time BETWEEN o.order_time AND o.order_time + INTERVAL '1' HOUR;
END;

SET 'execution.runtime-mode' = 'batch';
SELECT window_start, window_end, country, revenue, orders
FROM iceberg_catalog.demo.revenue_per_minute ORDER BY window_start, country;
