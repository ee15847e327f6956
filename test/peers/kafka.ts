// Apache Kafka as a test peer: kafka_2.13 and its runtime jars from Maven Central (see
// kafka/pom.xml), started as one KRaft node (broker and controller in one JVM) on 127.0.0.1.
// The global setup starts one shared broker per test run; its listeners:
//   bootstrap         PLAINTEXT
//   saslBootstrap     SASL_PLAINTEXT (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 for saslUser/saslPassword)
//   saslSslBootstrap  SASL_SSL (the same mechanisms; a self-signed certificate for 127.0.0.1, caFile)
// Tests that stop, kill or restart a broker, or need other broker settings (auto-create off), start
// a private one with startKafkaBroker(): same jars, its own ports and directory.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { missingTool, peersHome, REPO_ROOT, type Peer, type RunningPeer } from './peer.js';
import { installJars, jarsDir, jarsInstalled } from './maven-jars.js';
import { onFreePorts, portClashLine, PortClashError } from './process.js';

export const KAFKA_POM = path.join(REPO_ROOT, 'test/peers/kafka/pom.xml');
export const SASL_USER = 'tsstream';
export const SASL_PASSWORD = 'tsstream-secret';

export interface KafkaEndpoint {
  [k: string]: string | number | boolean;
  /** PLAINTEXT listener, '127.0.0.1:PORT'. */
  bootstrap: string;
  /** SASL_PLAINTEXT listener (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512). */
  saslBootstrap: string;
  /** SASL_SSL listener (the same mechanisms over TLS). */
  saslSslBootstrap: string;
  /** PEM certificate the SASL_SSL listener presents (its own CA). */
  caFile: string;
  saslUser: string;
  saslPassword: string;
}

function kafkaHome(): string {
  return path.join(peersHome(), 'kafka');
}

function libDir(): string {
  return jarsDir(kafkaHome(), KAFKA_POM);
}

function isInstalled(): boolean {
  return jarsInstalled(kafkaHome(), KAFKA_POM);
}

export async function installKafka(log: (line: string) => void): Promise<void> {
  await installJars(kafkaHome(), KAFKA_POM, { what: 'kafka_2.13 and its dependencies', expect: /^kafka_2\.13-.*\.jar$/, timeoutMs: 600_000, log });
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${out.slice(-4000)}`));
    });
  });
}

export interface KafkaBrokerOptions {
  /** auto.create.topics.enable (default true). */
  autoCreateTopics?: boolean;
  /** num.partitions of auto-created topics (default 1). */
  partitions?: number;
  /** More server.properties entries (override the defaults). */
  config?: Record<string, string>;
  /** How long to wait for the broker to serve (default 180 s: the machine is shared). */
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

/** A running Kafka node owned by its starter. */
export interface KafkaBroker {
  endpoint: KafkaEndpoint;
  /** Its directory: server.properties, server.log, the log dirs. */
  dir: string;
  /** Milliseconds the last start took (JVM start to a served DescribeCluster). */
  startMs: number;
  /** SIGTERM (a controlled shutdown), SIGKILL after 30 s. Keeps its data: restart() serves it again. */
  stop(): Promise<void>;
  /** SIGKILL now. */
  kill(): Promise<void>;
  /** Starts the stopped broker again on the same ports and data. */
  restart(): Promise<void>;
  /** stop() and delete its directory. */
  destroy(): Promise<void>;
}

function classpath(): string {
  return path.join(libDir(), '*');
}

function makeCert(dir: string): { keystore: string; caFile: string } {
  const keyFile = path.join(dir, 'broker.key');
  const certFile = path.join(dir, 'broker.crt');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-days', '30'],
    { stdio: 'pipe', timeout: 30_000 },
  );
  // A PEM key store: the (unencrypted PKCS#8) private key followed by its certificate.
  const keystore = path.join(dir, 'keystore.pem');
  writeFileSync(keystore, readFileSync(keyFile, 'utf8') + readFileSync(certFile, 'utf8'));
  return { keystore, caFile: certFile };
}

function properties(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`)
    .join('\n') + '\n';
}

/**
 * Starts a Kafka node of its own (own ports and directory under .peers/kafka/run-*). Its ports are
 * free when picked but only bound seconds later (after the storage is formatted, by a JVM starting
 * on a loaded machine): when another process took one meanwhile, the node is started again on
 * other ports, up to 3 times.
 */
export async function startKafkaBroker(opts: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const log = opts.log ?? (() => {});
  if (!isInstalled()) await installKafka(log);
  mkdirSync(kafkaHome(), { recursive: true });
  return onFreePorts(4, (ports) => startOnce(opts, log, ports), log);
}

async function startOnce(opts: KafkaBrokerOptions, log: (line: string) => void, ports: number[]): Promise<KafkaBroker> {
  const dir = mkdtempSync(path.join(kafkaHome(), 'run-'));
  const [plain, sasl, saslSsl, controller] = ports;
  const { keystore, caFile } = makeCert(dir);
  const jaasPlain = `org.apache.kafka.common.security.plain.PlainLoginModule required username="${SASL_USER}" password="${SASL_PASSWORD}" user_${SASL_USER}="${SASL_PASSWORD}";`;
  const jaasScram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${controller}`,
    listeners: `PLAINTEXT://127.0.0.1:${plain},SASL_PLAINTEXT://127.0.0.1:${sasl},SASL_SSL://127.0.0.1:${saslSsl},CONTROLLER://127.0.0.1:${controller}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${plain},SASL_PLAINTEXT://127.0.0.1:${sasl},SASL_SSL://127.0.0.1:${saslSsl}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': path.join(dir, 'data'),
    'metadata.log.dir': path.join(dir, 'meta'),
    'num.partitions': String(opts.partitions ?? 1),
    'auto.create.topics.enable': String(opts.autoCreateTopics ?? true),
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '5',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '5',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'min.insync.replicas': '1',
    'default.replication.factor': '1',
    'group.initial.rebalance.delay.ms': '0',
    // No deletion by age: the tests' records carry event times of 2025 as their timestamps, and with
    // the default retention (7 days) the retention check (30 s after start, then every 5 min) deleted
    // them while a test ran (its bounded re-read found the topic starting at a later offset).
    'log.retention.ms': '-1',
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    'listener.name.sasl_plaintext.plain.sasl.jaas.config': jaasPlain,
    'listener.name.sasl_ssl.plain.sasl.jaas.config': jaasPlain,
    'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': jaasScram,
    'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': jaasScram,
    'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config': jaasScram,
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': jaasScram,
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': keystore,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': caFile,
    ...opts.config,
  };
  const serverProps = path.join(dir, 'server.properties');
  writeFileSync(serverProps, properties(props));
  const log4j = path.join(dir, 'log4j2.properties');
  writeFileSync(
    log4j,
    properties({
      status: 'warn',
      'appender.file.type': 'File',
      'appender.file.name': 'file',
      'appender.file.fileName': path.join(dir, 'server.log'),
      'appender.file.layout.type': 'PatternLayout',
      'appender.file.layout.pattern': '[%d] %p %m (%c)%n',
      'rootLogger.level': 'INFO',
      'rootLogger.appenderRef.file.ref': 'file',
      'logger.kafka.name': 'kafka',
      'logger.kafka.level': 'INFO',
      'logger.request.name': 'kafka.request.logger',
      'logger.request.level': 'WARN',
    }),
  );
  const jvm = ['-Xmx512m', '-Xms128m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${log4j}`, '-cp', classpath()];
  // As Kafka's own Uuid.randomUuid(): an id starting with '-' would be read as an option by the
  // storage tool's argument parser (1 start in 64 failed before).
  let clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
  const t0 = Date.now();
  await run(
    'java',
    [
      ...jvm,
      'kafka.tools.StorageTool',
      'format',
      '--cluster-id',
      clusterId,
      '--config',
      serverProps,
      '--add-scram',
      `SCRAM-SHA-256=[name=${SASL_USER},password=${SASL_PASSWORD}]`,
      '--add-scram',
      `SCRAM-SHA-512=[name=${SASL_USER},password=${SASL_PASSWORD}]`,
      '--ignore-formatted',
    ],
    120_000,
  );
  log(`storage formatted in ${Date.now() - t0} ms`);

  const endpoint: KafkaEndpoint = {
    bootstrap: `127.0.0.1:${plain}`,
    saslBootstrap: `127.0.0.1:${sasl}`,
    saslSslBootstrap: `127.0.0.1:${saslSsl}`,
    caFile,
    saslUser: SASL_USER,
    saslPassword: SASL_PASSWORD,
  };
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const out = openSync(path.join(dir, 'stdout.log'), 'a');
    const proc = spawn('java', [...jvm, 'kafka.Kafka', serverProps], { cwd: dir, stdio: ['ignore', out, out] });
    closeSync(out);
    child = proc;
    // If this Node process dies without stop() (a killed test run), a watchdog ends the JVM.
    const watchdog = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${proc.pid} 2>/dev/null; do sleep 2; done; kill -9 ${proc.pid} 2>/dev/null`], {
      stdio: 'ignore',
      detached: true,
    });
    watchdog.unref();
    let exitInfo: string | undefined;
    exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        watchdog.kill('SIGKILL');
        exitInfo = signal ?? `exit ${code}`;
        if (child === proc) child = undefined;
        resolve();
      });
    });
    const deadline = Date.now() + (opts.startTimeoutMs ?? 180_000);
    const kafka = new Kafka({ brokers: [endpoint.bootstrap], logLevel: logLevel.NOTHING, connectionTimeout: 2000, retry: { retries: 0 } });
    for (;;) {
      if (exitInfo) {
        const cause = exitCause(dir);
        const message = `Kafka broker in ${dir} exited (${exitInfo}) before serving: ${cause.text}\n${tail(dir)}`;
        throw cause.portClash ? new PortClashError(message) : new Error(message);
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`Kafka broker in ${dir} did not serve within ${opts.startTimeoutMs ?? 180_000} ms:\n${tail(dir)}`);
      }
      const admin = kafka.admin();
      try {
        await admin.connect();
        const c = await admin.describeCluster();
        if (c.brokers.length > 0) return;
      } catch {
        // not yet
      } finally {
        await admin.disconnect().catch(() => {});
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const broker: KafkaBroker = {
    endpoint,
    dir,
    startMs: 0,
    async stop() {
      const proc = child;
      if (!proc) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      const proc = child;
      if (!proc) return;
      proc.kill('SIGKILL');
      await exited;
    },
    async restart() {
      if (child) throw new Error('the Kafka broker is still running: stop() it first');
      const t = Date.now();
      await launch();
      broker.startMs = Date.now() - t;
    },
    async destroy() {
      await broker.stop();
      if (!process.env.TSSTREAM_PEERS_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
  const t1 = Date.now();
  try {
    await launch();
  } catch (e) {
    await broker.kill().catch(() => {});
    // The directory of a clash is of no use (the next attempt has its own); any other is kept for a look.
    if (e instanceof PortClashError) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  broker.startMs = Date.now() - t1;
  log(`broker served in ${broker.startMs} ms (${Date.now() - t0} ms with formatting)`);
  return broker;
}

/** Why a broker exited, from its log (server.log) and its JVM's output (stdout.log: stdout and stderr). */
function exitCause(dir: string): { text: string; portClash: boolean } {
  const read = (f: string) => (existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), 'utf8') : '');
  const lines = `${read('server.log')}\n${read('stdout.log')}`.split('\n');
  const bind = portClashLine(lines.join('\n'));
  if (bind) return { text: `a port it was given was taken by another process before it bound it (port clash): ${bind.trim()}`, portClash: true };
  const oom = lines.find((l) => /OutOfMemoryError|Cannot allocate memory|Could not reserve enough space/.test(l));
  if (oom) return { text: `the JVM ran out of memory: ${oom.trim()}`, portClash: false };
  const fatal = lines.find((l) => /\b(FATAL|ERROR)\b|Exception/.test(l));
  if (fatal) return { text: fatal.trim(), portClash: false };
  return { text: `no error in ${path.join(dir, 'server.log')} or stdout.log`, portClash: false };
}

function tail(dir: string): string {
  const pick = (f: string) => (existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), 'utf8').split('\n').slice(-30).join('\n') : '');
  return `${pick('stdout.log')}\n${pick('server.log')}`.trim();
}

export const kafkaPeer: Peer<KafkaEndpoint> = {
  name: 'kafka',
  unavailable() {
    return missingTool('java', ['-version']) ?? missingTool('mvn', ['-v']) ?? missingTool('openssl', ['version']);
  },
  install: installKafka,
  async start(log): Promise<RunningPeer<KafkaEndpoint>> {
    const broker = await startKafkaBroker({ log });
    return { endpoint: broker.endpoint, stop: () => broker.destroy() };
  },
};
