-- S2: the window counts (empty until the watermark passes 10:01:00), and one snapshot per
-- checkpoint that committed data.
CREATE CATALOG IF NOT EXISTS iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = 'http://rest:8181',
    'warehouse' = 's3://warehouse/', 'io-impl' = 'org.apache.iceberg.aws.s3.S3FileIO',
    's3.endpoint' = 'http://minio:9000', 's3.path-style-access' = 'true');
USE CATALOG iceberg_catalog;
USE demo;
SET 'execution.runtime-mode' = 'batch';
SELECT * FROM event_counts ORDER BY window_start, event_type;
SELECT snapshot_id, committed_at, operation FROM iceberg_catalog.demo.`event_counts$snapshots` ORDER BY committed_at;
