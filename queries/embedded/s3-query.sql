-- S3: the window counts after each step.
CREATE CATALOG IF NOT EXISTS iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'queries/embedded/warehouse');
SET 'execution.runtime-mode' = 'batch';
SELECT * FROM iceberg_catalog.demo.savepoint_test ORDER BY window_start, event_type;
