-- S3: the window counts after each step.
CREATE CATALOG IF NOT EXISTS iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = 'http://rest:8181',
    'warehouse' = 's3://warehouse/', 'io-impl' = 'org.apache.iceberg.aws.s3.S3FileIO',
    's3.endpoint' = 'http://minio:9000', 's3.path-style-access' = 'true');
SET 'execution.runtime-mode' = 'batch';
SELECT * FROM iceberg_catalog.demo.savepoint_test ORDER BY window_start, event_type;
