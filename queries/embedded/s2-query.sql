-- S2: the window counts and one snapshot per checkpoint that committed data.
CREATE CATALOG IF NOT EXISTS iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'queries/embedded/warehouse');
SET 'execution.runtime-mode' = 'batch';
SELECT * FROM iceberg_catalog.demo.event_counts ORDER BY window_start, event_type;
SELECT snapshot_id, committed_at, operation FROM iceberg_catalog.demo.`event_counts$snapshots` ORDER BY committed_at;
