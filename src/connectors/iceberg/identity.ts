// What a checkpoint binds an Iceberg source or sink to: the table itself, not its name.
import type { ConnectorIdentity } from '../../common/connector.js';
import type { TableMetadata } from './metadata.js';

/** A table is its UUID (a table dropped and made again is another) at its location (another warehouse is another). */
export function icebergIdentity(name: string, m: TableMetadata): ConnectorIdentity {
  return { what: `Iceberg table ${name}`, keys: { 'table-uuid': m['table-uuid'], location: m.location } };
}
