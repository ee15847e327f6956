// Apache Iceberg's own REST catalog server as a test peer: org.apache.iceberg.rest.RESTCatalogServer,
// the test fixture that the apache/iceberg-rest-fixture image runs (iceberg-open-api's
// test-fixtures jar from Maven Central; see iceberg-rest/pom.xml), with iceberg-aws and the AWS SDK
// bundle (S3FileIO) and sqlite-jdbc (its default JdbcCatalog, in memory). Iceberg's code answers
// every request. It takes its catalog properties from CATALOG_* environment variables
// (`s3.endpoint` ← CATALOG_S3_ENDPOINT, `io-impl` ← CATALOG_IO__IMPL).
//   peer('iceberg-rest')  → { uri, warehouse }: one shared server, warehouse in a local temp folder
//   startIcebergRest({ warehouse: 's3://bucket/wh', 'io-impl': 'org.apache.iceberg.aws.s3.S3FileIO', … })
//       → a private server with other catalog properties (starts in ~2–4 s).
// Its catalog database is SQLite: the fixture's default is one in memory per JDBC connection, and
// with the default pool of two connections, concurrent requests see two different catalogs (tables
// "missing", HTTP 500). So each server gets a SQLite file in its own temp folder and one connection
// (`uri`, `clients`; a test may override them). Restarting a server loses its tables, not their files.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { missingTool, peersHome, REPO_ROOT, type Peer, type RunningPeer } from './peer.js';
import { httpAnswers, onFreePorts, startServerProcess } from './process.js';

export const ICEBERG_REST_POM = path.join(REPO_ROOT, 'test/peers/iceberg-rest/pom.xml');
const MAIN_CLASS = 'org.apache.iceberg.rest.RESTCatalogServer';

export type IcebergRestEndpoint = {
  /** Base URI of the REST API (without /v1). */
  uri: string;
  /** The catalog's warehouse (a local folder for the shared server). */
  warehouse: string;
};

export interface IcebergRestServer extends IcebergRestEndpoint {
  stop(): Promise<void>;
}

function libDir(): string {
  return path.join(peersHome(), 'iceberg-rest', 'lib');
}

function pomHash(): string {
  return createHash('sha256').update(readFileSync(ICEBERG_REST_POM)).digest('hex').slice(0, 16);
}

function isInstalled(): boolean {
  try {
    return readFileSync(path.join(libDir(), '.installed'), 'utf8').trim() === pomHash();
  } catch {
    return false;
  }
}

export async function installIcebergRest(log: (line: string) => void): Promise<void> {
  if (isInstalled()) return;
  const lib = libDir();
  rmSync(lib, { recursive: true, force: true });
  mkdirSync(lib, { recursive: true });
  log(`copying Iceberg's REST catalog server and its dependencies into ${lib}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('mvn', ['-q', '-B', '-f', ICEBERG_REST_POM, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mvn dependency:copy-dependencies exited with ${code}:\n${out.slice(-3000)}`))));
  });
  if (!readdirSync(lib).some((f) => /^iceberg-open-api-.*-test-fixtures\.jar$/.test(f))) throw new Error(`mvn left no iceberg-open-api test-fixtures jar in ${lib}`);
  writeFileSync(path.join(lib, '.installed'), `${pomHash()}\n`);
}

/** Catalog property → the CATALOG_* variable the fixture reads it from ('-' → '__', '.' → '_'). */
export function catalogEnvName(property: string): string {
  if (/[A-Z_]/.test(property)) throw new Error(`catalog property '${property}' cannot be passed as a CATALOG_* variable`);
  return 'CATALOG_' + property.replace(/-/g, '__').replace(/\./g, '_').toUpperCase();
}

/**
 * Starts a private Iceberg REST catalog server with these catalog properties (warehouse, io-impl,
 * s3.endpoint, s3.path-style-access, s3.access-key-id, s3.secret-access-key, client.region, …).
 * Without 'warehouse', a fresh local temp folder (removed by stop(), like the catalog database).
 */
export async function startIcebergRest(properties: Record<string, string> = {}, log: (line: string) => void = () => {}): Promise<IcebergRestServer> {
  await installIcebergRest(log);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsstream-iceberg-rest-'));
  const warehouse = properties.warehouse ?? path.join(tmp, 'warehouse');
  // The port is bound only once the JVM has started: when another process took it meanwhile
  // (BindException), the server is started again on another one.
  const { proc, uri } = await onFreePorts(
    1,
    async ([port]) => {
      const env: NodeJS.ProcessEnv = {};
      for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CATALOG_')) env[k] = v;
      for (const [k, v] of Object.entries({ uri: `jdbc:sqlite:${path.join(tmp, 'catalog.sqlite')}`, clients: '1', ...properties, warehouse, 'rest.port': String(port) })) env[catalogEnvName(k)] = v;
      // The AWS SDK in the server looks for a region before S3FileIO applies client.region.
      env.AWS_REGION ??= properties['client.region'] ?? 'us-east-1';
      const uri = `http://127.0.0.1:${port}`;
      const proc = await startServerProcess(
        'Iceberg REST catalog server',
        'java',
        ['-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', path.join(libDir(), '*'), MAIN_CLASS],
        { env, ready: () => httpAnswers(`${uri}/v1/config`), log, timeoutMs: 120_000 },
      );
      return { proc, uri };
    },
    log,
  ).catch((e) => {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  });
  return {
    uri,
    warehouse,
    stop: async () => {
      await proc.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export const icebergRestPeer: Peer<IcebergRestEndpoint> = {
  name: 'iceberg-rest',
  unavailable: () => missingTool('java', ['-version']) ?? missingTool('mvn', ['-v']),
  install: installIcebergRest,
  async start(log): Promise<RunningPeer<IcebergRestEndpoint>> {
    const s = await startIcebergRest({}, log);
    return { endpoint: { uri: s.uri, warehouse: s.warehouse }, stop: s.stop };
  },
};

/**
 * Creates `namespace` and in it table `t (id long, ts timestamp, s string)` partitioned by day(ts),
 * bucket[16](id) and truncate[4](s), format version 2, through the REST API (so Iceberg Java, not
 * tsstream, writes its metadata).
 */
export async function createDayBucketTruncateTable(uri: string, namespace: string): Promise<void> {
  const post = async (p: string, body: unknown) => {
    const r = await fetch(`${uri}/v1${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (r.status !== 200) throw new Error(`POST ${p}: HTTP ${r.status} ${await r.text()}`);
  };
  await post('/namespaces', { namespace: [namespace] });
  await post(`/namespaces/${namespace}/tables`, {
    name: 't',
    schema: {
      type: 'struct',
      'schema-id': 0,
      fields: [
        { id: 1, name: 'id', required: false, type: 'long' },
        { id: 2, name: 'ts', required: false, type: 'timestamp' },
        { id: 3, name: 's', required: false, type: 'string' },
      ],
    },
    'partition-spec': {
      'spec-id': 0,
      fields: [
        { 'source-id': 2, 'field-id': 1000, name: 'ts_day', transform: 'day' },
        { 'source-id': 1, 'field-id': 1001, name: 'id_bucket', transform: 'bucket[16]' },
        { 'source-id': 3, 'field-id': 1002, name: 's_trunc', transform: 'truncate[4]' },
      ],
    },
    properties: { 'format-version': '2' },
  });
}
