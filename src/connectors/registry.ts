// Every connector and catalog type tsstream ships. A new connector adds its factory here.
import type { CatalogFactory } from '../common/catalog.js';
import type { ConnectorFactory } from '../common/connector.js';
import { makeRegistry, type FactoryRegistry } from '../common/registry.js';

export const connectorFactories: ConnectorFactory[] = [];

export const catalogFactories: CatalogFactory[] = [];

export function defaultRegistry(): FactoryRegistry {
  return makeRegistry(connectorFactories, catalogFactories);
}
