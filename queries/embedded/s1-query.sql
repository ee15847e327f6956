-- S1, the other session: the rows committed so far.
CREATE CATALOG IF NOT EXISTS iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'queries/embedded/warehouse');
SET 'execution.runtime-mode' = 'batch';
SELECT * FROM iceberg_catalog.demo.events ORDER BY event_id;
