-- The real-time ETL pattern end to end (walkthrough: queries/README.md, "ETL: PostgreSQL → Debezium →
-- Kafka → tsstream → Iceberg and PostgreSQL"). Assumes: PostgreSQL at localhost:5432 with the shop
-- database of postgres-setup.pgsql (login etl / etl-secret), Kafka at localhost:9092, and Debezium's
-- PostgreSQL connector capturing public.orders and public.customers with topic.prefix 'shop'
-- (topics shop.public.orders, shop.public.customers). Payments arrive as JSON on the topic payments.
--
--   extract   the orders change log (Debezium), the payments stream, the customers' change events
--   enrich    each order change with its customer, looked up per key in PostgreSQL (jdbc lookup)
--   join      orders with their payments (a regular join of two changelogs)
--   load      Iceberg (upserts by order_id) and a PostgreSQL reporting table (upserts by order_id);
--             the customers' versions into a PostgreSQL history table (SCD Type 2)
SET 'execution.checkpointing.interval' = '2s';
SET 'execution.checkpointing.dir' = 'queries/etl/checkpoints';
SET 'pipeline.name' = 'shop-etl';

-- Orders as a changelog: Debezium's c/r → +I, u → -U/+U, d → -D.
CREATE TABLE orders (
    order_id BIGINT,
    customer_id BIGINT,
    amount DECIMAL(12, 2),
    status STRING,
    proc AS PROCTIME(),
    PRIMARY KEY (order_id) NOT ENFORCED
) WITH (
    'connector' = 'kafka',
    'topic' = 'shop.public.orders',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'shop-etl',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'debezium-json'
);

-- Customers, looked up per key when an order change passes (not read whole), with a small cache.
CREATE TABLE customers (
    customer_id BIGINT,
    name STRING,
    segment STRING,
    PRIMARY KEY (customer_id) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = 'jdbc:postgresql://localhost:5432/shop',
    'table-name' = 'customers',
    'username' = 'etl',
    'password' = 'etl-secret',
    'lookup.cache' = 'PARTIAL',
    'lookup.partial-cache.max-rows' = '10000',
    'lookup.partial-cache.expire-after-write' = '1 min',
    'lookup.max-retries' = '3'
);

CREATE TABLE payments (
    payment_id STRING,
    order_id BIGINT,
    amount DECIMAL(12, 2)
) WITH (
    'connector' = 'kafka',
    'topic' = 'payments',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'shop-etl',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json'
);

-- The customers' raw change events (plain JSON: one row per event, appended), for the history.
CREATE TABLE customer_events (
    `after` ROW<customer_id BIGINT, name STRING, segment STRING>,
    op STRING,
    `source` ROW<ts_ms BIGINT, lsn BIGINT>
) WITH (
    'connector' = 'kafka',
    'topic' = 'shop.public.customers',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'shop-etl',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'json'
);

-- Enrich: each order change with its customer as of the moment it is processed.
CREATE VIEW enriched_orders AS
SELECT o.order_id, c.name AS customer_name, c.segment, o.amount, o.status
FROM orders AS o
LEFT JOIN customers FOR SYSTEM_TIME AS OF o.proc AS c ON o.customer_id = c.customer_id;

CREATE VIEW paid_per_order AS
SELECT order_id, SUM(amount) AS paid, COUNT(*) AS payments FROM payments GROUP BY order_id;

CREATE VIEW order_facts AS
SELECT e.order_id, e.customer_name, e.segment, e.amount, e.status, p.paid, p.payments
FROM enriched_orders AS e
LEFT JOIN paid_per_order AS p ON e.order_id = p.order_id;

-- Load 1: the data lake, upserts by order_id (equality deletes + data files per checkpoint).
CREATE CATALOG lake WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'queries/etl/warehouse');
CREATE DATABASE IF NOT EXISTS lake.shop;
CREATE TABLE IF NOT EXISTS lake.shop.order_facts (
    order_id BIGINT NOT NULL, customer_name STRING, segment STRING, amount DECIMAL(12, 2), status STRING,
    paid DECIMAL(38, 2), payments BIGINT,
    PRIMARY KEY (order_id) NOT ENFORCED
);

-- Load 2: the reporting table in PostgreSQL, upserts and deletes by order_id.
CREATE TABLE order_report (
    order_id BIGINT, customer_name STRING, segment STRING, amount DECIMAL(12, 2), status STRING,
    paid DECIMAL(38, 2), payments BIGINT,
    PRIMARY KEY (order_id) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = 'jdbc:postgresql://localhost:5432/shop',
    'table-name' = 'order_report',
    'username' = 'etl',
    'password' = 'etl-secret',
    'sink.buffer-flush.max-rows' = '500',
    'sink.buffer-flush.interval' = '1s',
    'sink.max-retries' = '3'
);

-- Load 3: SCD Type 2. Every version of a customer (snapshot, insert or update event) is a row
-- keyed by the change's log position; the view customer_scd2 in PostgreSQL gives each version
-- its valid_to (the next version's valid_from) and is_current.
CREATE TABLE customer_history (
    customer_id BIGINT, name STRING, segment STRING, valid_from TIMESTAMP_LTZ(3), lsn BIGINT,
    PRIMARY KEY (customer_id, lsn) NOT ENFORCED
) WITH (
    'connector' = 'jdbc',
    'url' = 'jdbc:postgresql://localhost:5432/shop',
    'table-name' = 'customer_history',
    'username' = 'etl',
    'password' = 'etl-secret'
);

EXECUTE STATEMENT SET BEGIN
INSERT INTO lake.shop.order_facts SELECT * FROM order_facts;
INSERT INTO order_report SELECT * FROM order_facts;
INSERT INTO customer_history
SELECT `after`.customer_id, `after`.name, `after`.segment, TO_TIMESTAMP_LTZ(`source`.ts_ms, 3), `source`.lsn
FROM customer_events
WHERE op IN ('r', 'c', 'u');
END;
