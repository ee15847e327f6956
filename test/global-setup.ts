// Once per test run: builds dist/ and its bundle (tests run the real `bin/tsstream.js` as a child process) and
// starts the real systems the tests talk to (see test/peers), handing their endpoints to the
// test workers through vitest's provide/inject.
//   TSSTREAM_PEERS=kafka,flink npm test -- test/kafka   starts only those two (default: all).
//   TSSTREAM_PEERS=none                                   starts none.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT, type RunningPeer } from './peers/peer.js';
import { PEERS } from './peers/registry.js';
import type { PeersInfo } from './peers/index.js';

const running: RunningPeer[] = [];

export async function setup(project: TestProject): Promise<void> {
  try {
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch {
    // Type errors still emit (noEmitOnError: false); `npm run typecheck` reports them.
  }
  // The bundle bin/tsstream.js runs, as `npm run build` makes it (else the launcher would fall back to dist/cli/main.js).
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/bundle.mjs')], { cwd: REPO_ROOT, stdio: 'pipe' });
  const selected = (process.env.TSSTREAM_PEERS ?? 'all').split(',').map((s) => s.trim()).filter(Boolean);
  const info: PeersInfo = { endpoints: {}, skipped: {} };
  const log = (name: string) => (line: string) => {
    if (process.env.TSSTREAM_PEERS_DEBUG) console.log(`[peer ${name}] ${line}`);
  };
  const results = await Promise.allSettled(
    PEERS.map(async (p) => {
      if (!selected.includes('all') && !selected.includes(p.name)) {
        info.skipped[p.name] = `not selected (TSSTREAM_PEERS=${process.env.TSSTREAM_PEERS})`;
        return;
      }
      const why = p.unavailable();
      if (why) {
        info.skipped[p.name] = why;
        console.warn(`test peer ${p.name} skipped: ${why}; the tests that need it are skipped`);
        return;
      }
      const t0 = Date.now();
      const r = await p.start(log(p.name)).catch((e: unknown) => {
        throw new Error(`${p.name}: ${(e as Error)?.message ?? String(e)}`);
      });
      running.push(r);
      info.endpoints[p.name] = r.endpoint;
      console.log(`test peer ${p.name} started in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }),
  );
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) {
    await teardown();
    throw new Error(`test peers failed to start:\n${failed.map((f) => String((f.reason as Error)?.message ?? f.reason)).join('\n')}`);
  }
  project.provide('peers', info);
}

export async function teardown(): Promise<void> {
  await Promise.allSettled(running.map((r) => r.stop()));
}
