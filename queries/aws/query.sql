-- Reads the counts kinesis-to-glue.sql wrote (a batch SELECT through the Glue catalog).
--   tsstream run -q queries/aws/query.sql
CREATE CATALOG glue WITH (
  'type' = 'iceberg',
  'catalog-impl' = 'org.apache.iceberg.aws.glue.GlueCatalog',
  'warehouse' = 's3://tsstream-aws-demo/warehouse',
  'client.region' = 'us-east-1'
);
SET 'execution.runtime-mode' = 'batch';
SELECT window_start, event_type, event_count FROM glue.demo.event_counts ORDER BY window_start, event_type;
