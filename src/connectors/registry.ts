// Every connector and catalog type tsstream ships, by name. A connector's module is imported when
// a table using it is planned (see src/common/registry.ts), so a job that reads a file does not
// load kafkajs, the AWS SDK or the database drivers. A new connector adds its entry here.
import type { CatalogFactory } from '../common/catalog.js';
import type { ConnectorFactory } from '../common/connector.js';
import { makeRegistry, type FactoryRegistry, type LazyCatalog, type LazyConnector } from '../common/registry.js';

export const connectorModules: LazyConnector[] = [
  { identifier: 'iceberg', load: async () => (await import('./iceberg/factory.js')).icebergConnectorFactory },
  { identifier: 'filesystem', load: async () => (await import('./filesystem/index.js')).filesystemFactory },
  { identifier: 'kafka', load: async () => (await import('./kafka/index.js')).kafkaFactory },
  { identifier: 'upsert-kafka', load: async () => (await import('./kafka/upsert.js')).upsertKafkaFactory },
  { identifier: 'kinesis', load: async () => (await import('./kinesis/index.js')).kinesisFactory },
  { identifier: 'datagen', load: async () => (await import('./datagen/index.js')).datagenFactory },
  { identifier: 'print', load: async () => (await import('./print/index.js')).printFactory },
  { identifier: 'blackhole', load: async () => (await import('./blackhole/index.js')).blackholeFactory },
  { identifier: 'memory', load: async () => (await import('./memory/index.js')).memoryFactory },
  { identifier: 'nexmark', load: async () => (await import('./nexmark/index.js')).nexmarkFactory },
  { identifier: 'jdbc', load: async () => (await import('./jdbc/index.js')).jdbcFactory },
];

export const catalogModules: LazyCatalog[] = [{ type: 'iceberg', load: async () => (await import('./iceberg/catalog.js')).icebergCatalogFactory }];

/** Every connector factory, imported (for the option reference and tests; a job imports only its own). */
export async function connectorFactories(): Promise<ConnectorFactory[]> {
  const all = await Promise.all(connectorModules.map((m) => m.load()));
  all.forEach((f, i) => {
    if (f.identifier !== connectorModules[i].identifier) throw new Error(`connector module '${connectorModules[i].identifier}' loads factory '${f.identifier}'`);
  });
  return all;
}

/** Every catalog factory, imported. */
export async function catalogFactories(): Promise<CatalogFactory[]> {
  return Promise.all(catalogModules.map((m) => m.load()));
}

export function defaultRegistry(): FactoryRegistry {
  return makeRegistry(connectorModules, catalogModules);
}
