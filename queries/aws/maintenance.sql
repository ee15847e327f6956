-- Table maintenance as Athena writes it: compact the small files that every checkpoint's commit
-- leaves (OPTIMIZE … BIN_PACK), then expire old snapshots by the table's
-- history.expire.max-snapshot-age-ms (default 5 days) and remove orphan files (VACUUM).
--   tsstream run queries/aws/maintenance.sql
CREATE CATALOG glue WITH (
  'type' = 'iceberg',
  'catalog-impl' = 'org.apache.iceberg.aws.glue.GlueCatalog',
  'warehouse' = 's3://tsstream-aws-demo/warehouse',
  'client.region' = 'us-east-1'
);
USE CATALOG glue;
OPTIMIZE demo.event_counts REWRITE DATA USING BIN_PACK;
VACUUM demo.event_counts;
