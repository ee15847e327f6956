-- S4: the rows, and one snapshot per run with the number of records it added (10, 1, 4).
CREATE CATALOG IF NOT EXISTS iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = 'http://rest:8181',
    'warehouse' = 's3://warehouse/', 'io-impl' = 'org.apache.iceberg.aws.s3.S3FileIO',
    's3.endpoint' = 'http://minio:9000', 's3.path-style-access' = 'true');
SET 'execution.runtime-mode' = 'batch';
SELECT event_type, COUNT(*) AS events FROM iceberg_catalog.demo.user_events GROUP BY event_type ORDER BY event_type;
SELECT snapshot_id, committed_at, operation, summary['added-records'] AS added_records, summary
FROM iceberg_catalog.demo.`user_events$snapshots` ORDER BY committed_at;
