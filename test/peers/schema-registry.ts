// Peer 'schema-registry': a real Confluent-compatible schema registry — Apicurio Registry
// 2.4.2.Final with in-memory (H2) storage, serving Confluent's REST API at /apis/ccompat/v7.
// Confluent's own registry is not on Maven Central; Apicurio's app is, as a library jar that its
// Quarkus build turns into a server: install() runs that build (schema-registry/pom.xml, which
// says what had to be left out and why) into .peers/schema-registry/build, once per pom.
//   peer('schema-registry') → { url }: one shared registry for the run (subjects are per test).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { missingTool, peersHome, REPO_ROOT, type Peer, type RunningPeer } from './peer.js';
import { httpAnswers, onFreePorts, startServerProcess } from './process.js';

const SRC = path.join(REPO_ROOT, 'test/peers/schema-registry');
const POM = path.join(SRC, 'pom.xml');
const GLUE = path.join(SRC, 'src/main/java/tsstream/peer/NoDynamicConfig.java');

export type SchemaRegistryEndpoint = {
  /** The Confluent-compatible API's base URL ('avro-confluent.url'). */
  url: string;
};

function buildDir(): string {
  return path.join(peersHome(), 'schema-registry', 'build');
}

function runnerJar(): string {
  return path.join(buildDir(), 'tsstream-schema-registry-peer-2.4.2.Final-runner.jar');
}

function sourceHash(): string {
  return createHash('sha256').update(readFileSync(POM)).update(readFileSync(GLUE)).digest('hex').slice(0, 16);
}

function isInstalled(): boolean {
  try {
    return readFileSync(path.join(buildDir(), '.installed'), 'utf8').trim() === sourceHash() && existsSync(runnerJar());
  } catch {
    return false;
  }
}

export async function installSchemaRegistry(log: (line: string) => void): Promise<void> {
  if (isInstalled()) return;
  const dir = buildDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`building Apicurio Registry (Quarkus) from Maven Central into ${dir}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('mvn', ['-q', '-B', '-f', POM, 'package', `-Dregistry.build.dir=${dir}`], { cwd: SRC, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 900_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`mvn package (schema registry) exited with ${code}:\n${out.slice(-3000)}`));
    });
  });
  if (!existsSync(runnerJar())) throw new Error(`the Quarkus build left no ${runnerJar()}`);
  writeFileSync(path.join(dir, '.installed'), `${sourceHash()}\n`);
}

export interface SchemaRegistryServer extends SchemaRegistryEndpoint {
  stop(): Promise<void>;
}

/** Starts a registry of its own (empty, in memory) on a free port of 127.0.0.1. */
export async function startSchemaRegistry(log: (line: string) => void = () => {}): Promise<SchemaRegistryServer> {
  await installSchemaRegistry(log);
  // The port is bound only once Quarkus has started: when another process took it meanwhile ("Port
  // … seems to be in use by another process"), the registry is started again on another one.
  return onFreePorts(
    1,
    async ([port]) => {
      const url = `http://127.0.0.1:${port}/apis/ccompat/v7`;
      const proc = await startServerProcess(
        'Apicurio schema registry',
        'java',
        ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Dquarkus.http.host=127.0.0.1', `-Dquarkus.http.port=${port}`, '-Dquarkus.log.level=WARN', '-jar', runnerJar()],
        { cwd: buildDir(), ready: () => httpAnswers(`${url}/subjects`), log, timeoutMs: 120_000 },
      );
      return { url, stop: () => proc.stop() };
    },
    log,
  );
}

export const schemaRegistryPeer: Peer<SchemaRegistryEndpoint> = {
  name: 'schema-registry',
  unavailable: () => missingTool('java', ['-version']) ?? (isInstalled() ? null : missingTool('mvn', ['-v'])),
  install: installSchemaRegistry,
  async start(log): Promise<RunningPeer<SchemaRegistryEndpoint>> {
    const s = await startSchemaRegistry(log);
    return { endpoint: { url: s.url }, stop: s.stop };
  },
};
