// What tests use: the endpoints of the peers the global setup started, or why one is missing.
//   const kafka = peer('kafka');            // throws (test fails) when it should have run
//   describe.skipIf(!hasPeer('flink'))(…)    // only where a missing Java/Python is a reason to skip
import { beforeEach, inject } from 'vitest';
import type { Endpoint } from './peer.js';

export interface PeersInfo {
  endpoints: Record<string, Endpoint>;
  /** Peer name → why it was not started (missing Java, Python, or excluded by TSSTREAM_PEERS). */
  skipped: Record<string, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    peers: PeersInfo;
  }
}

export function peersInfo(): PeersInfo {
  return inject('peers') ?? { endpoints: {}, skipped: {} };
}

export function hasPeer(name: string): boolean {
  return peersInfo().endpoints[name] !== undefined;
}

export function skipReason(name: string): string | undefined {
  return peersInfo().skipped[name];
}

export function peer<E extends Endpoint = Endpoint>(name: string): E {
  const info = peersInfo();
  const e = info.endpoints[name];
  if (!e) throw new Error(`test peer '${name}' is not running: ${info.skipped[name] ?? 'unknown peer'}`);
  return e as E;
}

/**
 * For a test file that needs these peers: when one is not running (no Java or Python on this
 * machine, or left out by TSSTREAM_PEERS), every test of the file is reported as skipped with
 * the reason, never passed. Returns whether all are running, for guarding the file's hooks.
 */
export function requirePeers(...names: string[]): boolean {
  const missing = names.filter((n) => !hasPeer(n));
  if (missing.length === 0) return true;
  const why = missing.map((n) => `${n}: ${skipReason(n) ?? 'not running'}`).join('; ');
  beforeEach((ctx) => ctx.skip(`needs test peer ${why}`));
  return false;
}
