// How the planner finds connectors, formats and catalog types by name without importing them:
// the CLI builds a registry from src/connectors/registry.ts and hands it over. A registry knows
// every name up front but imports a connector's module (and its client library: kafkajs, the AWS
// SDK, pg) only when a table using it is planned, so a job pays for the connectors it uses.
import type { CatalogFactory } from './catalog.js';
import type { ConnectorFactory } from './connector.js';

export interface FactoryRegistry {
  /** The factory of a connector, imported on first use; undefined for an unknown name. */
  connector(identifier: string): Promise<ConnectorFactory | undefined>;
  connectorIds(): string[];
  catalog(type: string): Promise<CatalogFactory | undefined>;
  catalogTypes(): string[];
}

/** A connector known by name whose module is imported when first asked for. */
export interface LazyConnector {
  identifier: string;
  load(): Promise<ConnectorFactory>;
}

/** A catalog type known by name whose module is imported when first asked for. */
export interface LazyCatalog {
  type: string;
  load(): Promise<CatalogFactory>;
}

const lazy = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => (p ??= load());
};

/** A registry of factories, given loaded or as lazy entries (`load` is called once, on first use). */
export function makeRegistry(connectors: (ConnectorFactory | LazyConnector)[], catalogs: (CatalogFactory | LazyCatalog)[]): FactoryRegistry {
  const c = new Map(connectors.map((f) => [f.identifier, 'load' in f ? lazy(() => f.load()) : () => Promise.resolve(f)]));
  const k = new Map(catalogs.map((f) => [f.type, 'load' in f ? lazy(() => f.load()) : () => Promise.resolve(f)]));
  return {
    connector: async (id) => c.get(id)?.(),
    connectorIds: () => [...c.keys()].sort(),
    catalog: async (type) => k.get(type)?.(),
    catalogTypes: () => [...k.keys()].sort(),
  };
}
