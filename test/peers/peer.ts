// The contract of a test peer: a real system (Apache Kafka, Flink, Iceberg's REST server, moto,
// pyiceberg) installed into the ignored cache folder and started once per test run on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where installed peers live (jars, the Python virtual env, data dirs): ignored by git. */
export function peersHome(): string {
  return process.env.TSSTREAM_PEERS_HOME ?? path.join(REPO_ROOT, '.peers');
}

/** What a started peer hands to the tests: plain JSON (it crosses into the test workers). */
export type Endpoint = Record<string, string | number | boolean>;

export interface RunningPeer<E extends Endpoint = Endpoint> {
  endpoint: E;
  stop(): Promise<void>;
}

export interface Peer<E extends Endpoint = Endpoint> {
  name: string;
  /** null when this machine can run the peer; otherwise why not (e.g. "java not found"). */
  unavailable(): string | null;
  /** Downloads into peersHome(); a no-op when the cache is already complete. */
  install(log: (line: string) => void): Promise<void>;
  /** Starts the installed peer (installing first if needed); resolves once it serves. */
  start(log: (line: string) => void): Promise<RunningPeer<E>>;
}

/** null when `cmd args…` runs, else the reason it does not. */
export function missingTool(cmd: string, args: string[] = ['--version']): string | null {
  try {
    execFileSync(cmd, args, { stdio: 'pipe', timeout: 30_000 });
    return null;
  } catch (e) {
    return `${cmd} is not available (${(e as Error).message.split('\n')[0]})`;
  }
}
