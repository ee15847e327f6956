-- Event-time temporal joins: orders joined with the currency rate valid at each order's time,
-- against a versioned table (a PRIMARY KEY and a watermark) or a deduplicating view.
-- table: orders (oid INT, currency STRING, amount INT, order_time TIMESTAMP(3), WATERMARK FOR order_time AS order_time)
-- row: {"oid": 1, "currency": "EUR", "amount": 10, "order_time": "2025-01-01 10:00:02"}
-- row: {"oid": 2, "currency": "USD", "amount": 20, "order_time": "2025-01-01 10:00:04"}
-- row: {"oid": 3, "currency": "EUR", "amount": 30, "order_time": "2025-01-01 10:00:06"}
-- row: {"oid": 4, "currency": "GBP", "amount": 40, "order_time": "2025-01-01 10:00:07"}
-- row: {"oid": 5, "currency": "EUR", "amount": 50, "order_time": "2025-01-01 10:00:11"}
-- row: {"oid": 6, "currency": "USD", "amount": 60, "order_time": "2025-01-01 10:00:01"}
-- row: {"oid": 7, "currency": "EUR", "amount": 70, "order_time": "2025-01-01 10:00:30"}
-- table: rates (currency STRING, rate INT, update_time TIMESTAMP(3), WATERMARK FOR update_time AS update_time, PRIMARY KEY (currency) NOT ENFORCED)
-- row: {"currency": "EUR", "rate": 114, "update_time": "2025-01-01 10:00:00"}
-- row: {"currency": "USD", "rate": 100, "update_time": "2025-01-01 10:00:03"}
-- row: {"currency": "EUR", "rate": 116, "update_time": "2025-01-01 10:00:05"}
-- row: {"currency": "EUR", "rate": 119, "update_time": "2025-01-01 10:00:10"}
-- row: {"currency": "USD", "rate": 101, "update_time": "2025-01-01 10:00:12"}
-- row: {"currency": "GBP", "rate": 130, "update_time": "2025-01-01 10:00:40"}

-- case: temporal-join-event-time
-- mode: streaming
-- vitest
SELECT o.oid, o.amount * r.rate AS converted, r.update_time
FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency;

-- case: temporal-left-join-event-time
-- mode: streaming
SELECT o.oid, o.currency, r.rate
FROM orders AS o LEFT JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency;

-- case: temporal-join-extra-condition
-- mode: streaming
SELECT o.oid, r.rate
FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency AND r.rate > 114;

-- case: temporal-join-versioned-view
-- mode: streaming
-- vitest
CREATE TEMPORARY VIEW rates_log AS SELECT currency, rate, update_time FROM rates;
CREATE TEMPORARY VIEW versioned_rates AS
SELECT currency, rate, update_time FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY currency ORDER BY update_time DESC) AS rn FROM rates_log)
WHERE rn = 1;
SELECT o.oid, r.rate FROM orders AS o JOIN versioned_rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency;

-- case: error-temporal-join-no-primary-key
-- mode: streaming
-- table: plain_rates (currency STRING, rate INT, update_time TIMESTAMP(3), WATERMARK FOR update_time AS update_time)
-- row: {"currency": "EUR", "rate": 114, "update_time": "2025-01-01 10:00:00"}
SELECT o.oid, r.rate FROM orders AS o JOIN plain_rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency;

-- case: error-temporal-join-key-not-covered
-- mode: streaming
SELECT o.oid, r.rate FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.amount = r.rate;

-- case: error-temporal-join-batch
SELECT o.oid, r.rate FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency;
