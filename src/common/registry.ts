// How the planner finds connectors, formats and catalog types by name without importing them:
// the CLI builds a registry from src/connectors/registry.ts and hands it over.
import type { CatalogFactory } from './catalog.js';
import type { ConnectorFactory } from './connector.js';

export interface FactoryRegistry {
  connector(identifier: string): ConnectorFactory | undefined;
  connectorIds(): string[];
  catalog(type: string): CatalogFactory | undefined;
  catalogTypes(): string[];
}

export function makeRegistry(connectors: ConnectorFactory[], catalogs: CatalogFactory[]): FactoryRegistry {
  const c = new Map(connectors.map((f) => [f.identifier, f]));
  const k = new Map(catalogs.map((f) => [f.type, f]));
  return {
    connector: (id) => c.get(id),
    connectorIds: () => [...c.keys()].sort(),
    catalog: (type) => k.get(type),
    catalogTypes: () => [...k.keys()].sort(),
  };
}
