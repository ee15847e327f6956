// Apache Flink 1.20 as a test peer: one JVM running a MiniCluster (its JobManager REST endpoint)
// and the SQL Gateway's REST endpoint submitting to it, with the Kafka, Iceberg (hadoop catalog),
// filesystem, JSON and CSV connectors on the classpath. Maven Central has no flink-dist, so
// test/peers/flink/pom.xml lists the modules; install() copies them into .peers/flink/lib and
// compiles the launcher (test/peers/flink/src/main/java) with javac against them. Flink's Avro
// formats (avro, avro-confluent, debezium-avro-confluent) come from a separate pom
// (test/peers/flink/formats/pom.xml) installed into .peers/flink-formats with its own hash, so
// that adding formats does not reinstall the peer; their jars are appended to the classpath.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, missingTool, peersHome, type Peer, type RunningPeer } from './peer.js';

const execFileP = promisify(execFile);

export interface FlinkEndpoint {
  [key: string]: string;
  /** The SQL Gateway's REST endpoint, e.g. http://127.0.0.1:8083 */
  gateway: string;
  /** The JobManager's REST endpoint (jobs, their state), e.g. http://127.0.0.1:8081 */
  rest: string;
}

const SRC = path.join(REPO_ROOT, 'test/peers/flink');
const LAUNCHER = path.join(SRC, 'src/main/java/dev/tsstream/peers/FlinkPeer.java');
const home = () => path.join(peersHome(), 'flink');

/** What the installed files were built from: the pom and the launcher's source. */
function sourceHash(): string {
  const h = createHash('sha256');
  h.update(readFileSync(path.join(SRC, 'pom.xml')));
  h.update(readFileSync(LAUNCHER));
  return h.digest('hex');
}

function markerFile(): string {
  return path.join(home(), 'installed.sha256');
}

function isInstalled(): boolean {
  try {
    return readFileSync(markerFile(), 'utf8').trim() === sourceHash();
  } catch {
    return false;
  }
}

function jarsIn(lib: string): string[] {
  return readdirSync(lib).filter((f) => f.endsWith('.jar')).sort().map((f) => path.join(lib, f));
}

/** The launcher's compile classpath: Flink's modules (../pom.xml). */
function coreClasspath(): string {
  return [path.join(home(), 'classes'), ...jarsIn(path.join(home(), 'lib'))].join(path.delimiter);
}

/** The running peer's classpath: the core, then the format jars when they are installed. */
function classpath(): string {
  const extra = formatsInstalled() ? jarsIn(path.join(formatsHome(), 'lib')) : [];
  return [coreClasspath(), ...extra].join(path.delimiter);
}

const FORMATS_POM = path.join(SRC, 'formats/pom.xml');
const formatsHome = () => path.join(peersHome(), 'flink-formats');
const formatsMarker = () => path.join(formatsHome(), 'installed.sha256');
const formatsHash = () => createHash('sha256').update(readFileSync(FORMATS_POM)).digest('hex');

function formatsInstalled(): boolean {
  try {
    return readFileSync(formatsMarker(), 'utf8').trim() === formatsHash();
  } catch {
    return false;
  }
}

async function copyDependencies(pom: string, lib: string): Promise<void> {
  await execFileP('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`, '-DincludeScope=runtime'], {
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30 * 60_000,
  }).catch((e: Error & { stdout?: string }) => {
    throw new Error(`mvn dependency:copy-dependencies failed: ${(e.stdout ?? '').split('\n').filter((l) => l.includes('ERROR')).slice(0, 3).join(' ') || e.message}`);
  });
}

async function installFormats(log: (line: string) => void): Promise<void> {
  if (formatsInstalled()) return;
  const dir = formatsHome();
  mkdirSync(dir, { recursive: true });
  rmSync(formatsMarker(), { force: true });
  const lib = path.join(dir, 'lib');
  rmSync(lib, { recursive: true, force: true });
  log(`resolving Flink's Avro formats with Maven into ${lib}`);
  await copyDependencies(FORMATS_POM, lib);
  writeFileSync(formatsMarker(), formatsHash() + '\n');
}

const LOG4J = (file: string) => `rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FileAppender
appender.file.name = FileAppender
appender.file.type = File
appender.file.fileName = ${file}
appender.file.append = false
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n
`;

async function install(log: (line: string) => void): Promise<void> {
  await installCore(log);
  await installFormats(log);
}

async function installCore(log: (line: string) => void): Promise<void> {
  if (isInstalled()) return;
  const dir = home();
  mkdirSync(dir, { recursive: true });
  rmSync(markerFile(), { force: true });
  const lib = path.join(dir, 'lib');
  rmSync(lib, { recursive: true, force: true });
  log(`resolving Flink's modules with Maven into ${lib}`);
  await copyDependencies(path.join(SRC, 'pom.xml'), lib);
  const classes = path.join(dir, 'classes');
  rmSync(classes, { recursive: true, force: true });
  mkdirSync(classes, { recursive: true });
  log('compiling the launcher');
  await execFileP('javac', ['-nowarn', '-cp', coreClasspath(), '-d', classes, LAUNCHER], { maxBuffer: 16 * 1024 * 1024 });
  writeFileSync(markerFile(), sourceHash() + '\n');
}

async function serves(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return r.ok;
  } catch {
    return false;
  }
}

async function start(log: (line: string) => void): Promise<RunningPeer<FlinkEndpoint>> {
  await install(log);
  const dir = home();
  mkdirSync(path.join(dir, 'logs'), { recursive: true });
  // One log per test run (runs in other worktrees share .peers/); removed when the run stops it.
  const logFile = path.join(dir, 'logs', `flink-${process.pid}.log`);
  const log4j = path.join(dir, 'logs', `log4j2-${process.pid}.properties`);
  writeFileSync(log4j, LOG4J(logFile));
  const t0 = Date.now();
  const child = spawn(
    'java',
    [
      '-Xmx1536m',
      '-XX:+UseSerialGC',
      `-Dlog4j.configurationFile=${log4j}`,
      // Flink's own classes need these opened on Java 17 (what Flink's scripts pass too).
      '--add-opens=java.base/java.lang=ALL-UNNAMED',
      '--add-opens=java.base/java.util=ALL-UNNAMED',
      '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
      '--add-opens=java.base/java.io=ALL-UNNAMED',
      '--add-opens=java.base/java.nio=ALL-UNNAMED',
      '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
      '--add-opens=java.base/java.net=ALL-UNNAMED',
      '--add-opens=java.base/java.text=ALL-UNNAMED',
      '--add-opens=java.base/java.time=ALL-UNNAMED',
      '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
      '--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED',
      '-cp',
      classpath(),
      'dev.tsstream.peers.FlinkPeer',
      '--rest-port',
      process.env.TSSTREAM_FLINK_REST_PORT ?? '0',
      '--gateway-port',
      process.env.TSSTREAM_FLINK_GATEWAY_PORT ?? '0',
      '--slots',
      '4',
      '--managed-memory',
      '128m',
    ],
    // stdin stays open: the launcher stops when it closes (so it never outlives the test run).
    { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } },
  );
  let out = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const ready = await new Promise<{ rest: number; gateway: number }>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /FLINK_PEER_READY rest=(\d+) gateway=(\d+)/.exec(out);
      if (m) resolve({ rest: Number(m[1]), gateway: Number(m[2]) });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`Flink exited with code ${code} before serving: ${out.slice(-2000)} (log: ${logFile})`)));
    setTimeout(() => reject(new Error(`Flink did not start within 180 s: ${out.slice(-2000)}`)), 180_000).unref();
  }).catch((e) => {
    child.kill('SIGKILL');
    throw e;
  });
  const endpoint: FlinkEndpoint = { gateway: `http://127.0.0.1:${ready.gateway}`, rest: `http://127.0.0.1:${ready.rest}`, pid: String(child.pid) }; // pid: the JVM, for the Nexmark bench (CPU time, memory)
  const deadline = Date.now() + 60_000;
  while (!(await serves(`${endpoint.gateway}/v1/info`))) {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Flink's SQL Gateway at ${endpoint.gateway} does not answer /v1/info`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`started in ${((Date.now() - t0) / 1000).toFixed(1)} s: gateway ${endpoint.gateway}, rest ${endpoint.rest}; log ${logFile}`);
  return {
    endpoint,
    async stop() {
      if (child.exitCode !== null) return;
      child.stdin!.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
      rmSync(logFile, { force: true });
      rmSync(log4j, { force: true });
    },
  };
}

export const flinkPeer: Peer<FlinkEndpoint> = {
  name: 'flink',
  unavailable() {
    const java = missingTool('java', ['-version']);
    if (java) return java;
    if (!isInstalled() && !existsSync(path.join(home(), 'lib'))) return missingTool('mvn', ['-v']);
    return null;
  },
  install,
  start,
};
