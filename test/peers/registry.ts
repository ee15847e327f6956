// Every test peer, by name. The global setup starts the ones TSSTREAM_PEERS names (default all);
// `npm run peers:install` installs them all.
import { kafkaPeer } from './kafka.js';
import type { Peer } from './peer.js';
import { motoPeer } from './moto.js';
import { pyicebergPeer } from './pyiceberg.js';
import { flinkPeer } from './flink.js';
import { icebergRestPeer } from './iceberg-rest.js';
import { postgresPeer } from './postgres.js';
import { mariadbPeer } from './mariadb.js';
import { debeziumPeer } from './debezium.js';
import { schemaRegistryPeer } from './schema-registry.js';

export const PEERS: Peer[] = [kafkaPeer as unknown as Peer, motoPeer, pyicebergPeer, flinkPeer, icebergRestPeer, postgresPeer as unknown as Peer, mariadbPeer as unknown as Peer, debeziumPeer as unknown as Peer, schemaRegistryPeer as unknown as Peer];
