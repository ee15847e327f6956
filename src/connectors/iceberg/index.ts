// Public surface of the Iceberg connector.
export { icebergCatalogFactory, IcebergCatalog, createBackend } from './catalog.js';
export { icebergConnectorFactory, boundConnectorFactory } from './factory.js';
export { IcebergSink, maxCommittedCheckpoint, JOB_ID_KEY, CHECKPOINT_ID_KEY, SINK_ID_KEY, type IcebergCommittable } from './sink.js';
export { IcebergSource, planFiles } from './source.js';
export { HadoopBackend } from './hadoop.js';
export { HadoopTableOperations, type TableOperations } from './table.js';
export { METADATA_TABLES, splitMetadataName } from './metadata-tables.js';
export { rewriteDataFiles, expireSnapshots, removeOrphanFiles, type RewriteOptions, type ExpireOptions, type OrphanOptions } from './maintenance.js';
export { optimizeBinPack, vacuum, identityPartitionColumns } from './athena.js';
