// Peer 'debezium': real Debezium capturing PostgreSQL changes into Kafka — Kafka Connect's
// standalone worker (connect-runtime of the Kafka peer's version) with Debezium's PostgreSQL
// connector (pgoutput), jars from Maven Central (see debezium/pom.xml) in .peers/debezium/lib.
// The peer itself only installs; a test starts a worker for its own tables with
// startDebeziumConnect() (own Connect REST port, offsets file, replication slot and publication)
// and stops it. PostgreSQL must run with wal_level=logical (the postgres peer does).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { missingTool, peersHome, REPO_ROOT, type Peer, type RunningPeer } from './peer.js';
import { installJars, jarsDir, jarsInstalled } from './maven-jars.js';
import { onFreePorts, startServerProcess } from './process.js';

export const DEBEZIUM_POM = path.join(REPO_ROOT, 'test/peers/debezium/pom.xml');

export type DebeziumEndpoint = {
  /** The folder of the jars (a Connect worker's classpath). */
  lib: string;
};

function home(): string {
  return path.join(peersHome(), 'debezium');
}

/** One folder per pom content (lib-<hash>): see maven-jars.ts. */
function libDir(): string {
  return jarsDir(home(), DEBEZIUM_POM);
}

function isInstalled(): boolean {
  return jarsInstalled(home(), DEBEZIUM_POM);
}

export async function installDebezium(log: (line: string) => void): Promise<void> {
  await installJars(home(), DEBEZIUM_POM, {
    what: "Kafka Connect and Debezium's PostgreSQL connector",
    expect: /^debezium-connector-postgres-.*\.jar$/,
    timeoutMs: 900_000,
    log,
  });
}

export const debeziumPeer: Peer<DebeziumEndpoint> = {
  name: 'debezium',
  unavailable: () => missingTool('java', ['-version']) ?? (isInstalled() ? null : missingTool('mvn', ['-v'])),
  install: installDebezium,
  async start(log): Promise<RunningPeer<DebeziumEndpoint>> {
    await installDebezium(log);
    return { endpoint: { lib: libDir() }, stop: async () => {} };
  },
};

export interface DebeziumConnectOptions {
  lib: string;
  kafkaBootstrap: string;
  postgres: { host: string; port: number; user: string; password: string; database: string };
  /** Topics are `${topicPrefix}.${schema}.${table}`. */
  topicPrefix: string;
  /** schema.table names to capture, e.g. ['public.orders']. */
  tables: string[];
  /** More connector properties (override the defaults). */
  connector?: Record<string, string>;
  log?: (line: string) => void;
}

export interface DebeziumConnect {
  /** The Connect worker's REST endpoint. */
  rest: string;
  /** The replication slot it streams from (dropped by stop()). */
  slot: string;
  output(): string;
  stop(): Promise<void>;
}

function props(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`)
    .join('\n') + '\n';
}

/**
 * Starts a Kafka Connect standalone worker running Debezium's PostgreSQL connector for `tables`
 * (snapshot first, then streaming through pgoutput); resolves once its task is RUNNING.
 * Change events are JSON without the schema envelope (Flink's debezium-json default).
 */
export async function startDebeziumConnect(o: DebeziumConnectOptions): Promise<DebeziumConnect> {
  mkdirSync(home(), { recursive: true });
  const dir = mkdtempSync(path.join(home(), 'run-'));
  const id = path.basename(dir).replace(/[^a-z0-9]/gi, '').toLowerCase();
  const slot = `tsstream_${id}`;
  const name = `pg-${id}`;
  writeFileSync(
    path.join(dir, 'connector.properties'),
    props({
      name,
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'tasks.max': '1',
      'database.hostname': o.postgres.host,
      'database.port': String(o.postgres.port),
      'database.user': o.postgres.user,
      'database.password': o.postgres.password,
      'database.dbname': o.postgres.database,
      'topic.prefix': o.topicPrefix,
      'plugin.name': 'pgoutput',
      'slot.name': slot,
      'slot.drop.on.stop': 'true',
      'publication.name': `${slot}_pub`,
      'publication.autocreate.mode': 'filtered',
      'table.include.list': o.tables.join(','),
      'snapshot.mode': 'initial',
      // Exact decimals as text (the default encodes them as base64 bytes, which Flink's debezium-json does not read).
      'decimal.handling.mode': 'string',
      'tombstones.on.delete': 'false',
      ...o.connector,
    }),
  );
  writeFileSync(
    path.join(dir, 'log4j2.properties'),
    'rootLogger.level = WARN\nrootLogger.appenderRef.stdout.ref = STDOUT\nappender.stdout.type = Console\nappender.stdout.name = STDOUT\nappender.stdout.layout.type = PatternLayout\nappender.stdout.layout.pattern = %d{HH:mm:ss} %p %c{1} %m%n\n',
  );
  // Its REST port is bound only once the worker starts: when another process took it meanwhile
  // (BindException), the worker is started again on another one.
  const { proc, restPort } = await onFreePorts(
    1,
    async ([restPort]) => {
      writeFileSync(
        path.join(dir, 'worker.properties'),
        props({
          'bootstrap.servers': o.kafkaBootstrap,
          'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'key.converter.schemas.enable': 'false',
          'value.converter.schemas.enable': 'false',
          'offset.storage.file.filename': path.join(dir, 'offsets'),
          'offset.flush.interval.ms': '500',
          'plugin.discovery': 'only_scan',
          listeners: `http://127.0.0.1:${restPort}`,
        }),
      );
      const statusUrl = `http://127.0.0.1:${restPort}/connectors/${name}/status`;
      const proc = await startServerProcess(
        'kafka connect (debezium)',
        'java',
        [
          '-Xmx384m',
          '-XX:+UseSerialGC',
          '-XX:TieredStopAtLevel=1',
          `-Dlog4j2.configurationFile=${path.join(dir, 'log4j2.properties')}`,
          '-cp',
          path.join(o.lib, '*'),
          'org.apache.kafka.connect.cli.ConnectStandalone',
          path.join(dir, 'worker.properties'),
          path.join(dir, 'connector.properties'),
        ],
        {
          cwd: dir,
          log: o.log,
          timeoutMs: 180_000,
          ready: async () => {
            const res = await fetch(statusUrl, { signal: AbortSignal.timeout(2_000) });
            if (!res.ok) return false;
            const s = (await res.json()) as { connector?: { state?: string }; tasks?: { state?: string; trace?: string }[] };
            const failed = s.tasks?.find((t) => t.state === 'FAILED');
            if (failed) throw new Error(`Debezium task failed: ${failed.trace?.split('\n').slice(0, 3).join(' ')}`);
            return s.connector?.state === 'RUNNING' && (s.tasks ?? []).some((t) => t.state === 'RUNNING');
          },
        },
      );
      return { proc, restPort };
    },
    o.log,
  ).catch((e) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  return {
    rest: `http://127.0.0.1:${restPort}`,
    slot,
    output: proc.output,
    async stop() {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
