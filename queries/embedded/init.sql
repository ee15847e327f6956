-- The embedded default's Iceberg catalog: a hadoop catalog (metadata/vN.metadata.json +
-- version-hint.text) in a local warehouse folder. Paths are relative to the repository root.
--   tsstream sql -i queries/embedded/init.sql
CREATE CATALOG IF NOT EXISTS iceberg_catalog WITH (
    'type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'queries/embedded/warehouse');
CREATE DATABASE IF NOT EXISTS iceberg_catalog.demo;
