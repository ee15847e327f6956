// Every connector and catalog type tsstream ships. A new connector adds its factory here.
import type { CatalogFactory } from '../common/catalog.js';
import type { ConnectorFactory } from '../common/connector.js';
import { makeRegistry, type FactoryRegistry } from '../common/registry.js';
import { icebergCatalogFactory, icebergConnectorFactory } from './iceberg/index.js';
import { blackholeFactory } from './blackhole/index.js';
import { datagenFactory } from './datagen/index.js';
import { filesystemFactory } from './filesystem/index.js';
import { kafkaFactory, upsertKafkaFactory } from './kafka/index.js';
import { kinesisFactory } from './kinesis/index.js';
import { printFactory } from './print/index.js';
import { memoryFactory } from './memory/index.js';
import { nexmarkFactory } from './nexmark/index.js';
import { jdbcFactory } from './jdbc/index.js';

export const connectorFactories: ConnectorFactory[] = [
  icebergConnectorFactory,
  filesystemFactory,
  kafkaFactory,
  upsertKafkaFactory,
  kinesisFactory,
  datagenFactory,
  printFactory,
  blackholeFactory,
  memoryFactory,
  nexmarkFactory,
  jdbcFactory,
];

export const catalogFactories: CatalogFactory[] = [
  icebergCatalogFactory,
];

export function defaultRegistry(): FactoryRegistry {
  return makeRegistry(connectorFactories, catalogFactories);
}
