-- The shop database the ETL job (etl.sql) reads and writes, for psql:
--   psql "postgresql://etl:etl-secret@localhost:5432/shop" -f queries/etl/postgres-setup.pgsql
-- PostgreSQL must run with wal_level = logical (Debezium's pgoutput plugin).

-- Sources: customers (looked up per key by the job, its changes captured for the SCD Type 2
-- history) and orders (captured by Debezium). REPLICA IDENTITY FULL: updates and deletes carry
-- the whole old row, which Flink's and tsstream's debezium-json need for -U/-D.
CREATE TABLE customers (customer_id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, segment VARCHAR(10) NOT NULL);
ALTER TABLE customers REPLICA IDENTITY FULL;
CREATE TABLE orders (order_id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, amount NUMERIC(12, 2) NOT NULL, status VARCHAR(12) NOT NULL);
ALTER TABLE orders REPLICA IDENTITY FULL;

-- Sinks: the reporting table (one row per order, upserted) and the customers' history.
CREATE TABLE order_report (
  order_id BIGINT PRIMARY KEY, customer_name VARCHAR(40), segment VARCHAR(10), amount NUMERIC(12, 2),
  status VARCHAR(12), paid NUMERIC(38, 2), payments BIGINT);
CREATE TABLE customer_history (
  customer_id BIGINT NOT NULL, name VARCHAR(40), segment VARCHAR(10), valid_from TIMESTAMPTZ NOT NULL, lsn BIGINT NOT NULL,
  PRIMARY KEY (customer_id, lsn));
-- SCD Type 2: every version of a customer with its validity interval; the current one has no end.
CREATE VIEW customer_scd2 AS
SELECT customer_id, name, segment, valid_from,
       LEAD(valid_from) OVER w AS valid_to,
       LEAD(valid_from) OVER w IS NULL AS is_current
FROM customer_history
WINDOW w AS (PARTITION BY customer_id ORDER BY lsn);

INSERT INTO customers VALUES (1, 'Ada Lovelace', 'gold'), (2, 'Alan Turing', 'silver'), (3, 'Grace Hopper', 'bronze');
INSERT INTO orders VALUES (100, 1, 120.00, 'NEW'), (101, 2, 35.50, 'NEW'), (102, 3, 9.99, 'NEW');
