-- Init file of the compose stack's SQL shell (docker compose run --rm sql-client):
-- the Iceberg REST catalog on MinIO, as in the walkthrough, and its `demo` database.
CREATE CATALOG iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = 'http://rest:8181',
    'warehouse' = 's3://warehouse/', 'io-impl' = 'org.apache.iceberg.aws.s3.S3FileIO',
    's3.endpoint' = 'http://minio:9000', 's3.path-style-access' = 'true');
CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;
