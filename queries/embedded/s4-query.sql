-- S4: the rows per event type, and one snapshot per run with the records it added.
CREATE CATALOG IF NOT EXISTS iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'queries/embedded/warehouse');
SET 'execution.runtime-mode' = 'batch';
SELECT event_type, COUNT(*) AS events FROM iceberg_catalog.demo.user_events GROUP BY event_type ORDER BY event_type;
SELECT snapshot_id, committed_at, operation, summary['added-records'] AS added_records, summary
FROM iceberg_catalog.demo.`user_events$snapshots` ORDER BY committed_at;
