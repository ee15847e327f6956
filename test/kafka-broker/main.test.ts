// The standalone broker (npm run kafka:test-broker) starts, serves kcat, and stops on SIGTERM.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kcat } from './kcat-helper.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('standalone test broker', () => {
  it('prints its address, serves clients and exits on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'test/kafka-broker/main.ts', '--port', '0', '--partitions', '2'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no address printed: ${out}`)), 15_000);
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const m = /listening on (127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      const p = await kcat(['-b', address, '-P', '-t', 'standalone'], 'one\ntwo\n');
      expect(p.code, p.stderr).toBe(0);
      const md = JSON.parse((await kcat(['-b', address, '-L', '-J', '-t', 'standalone'])).stdout) as { topics: { partitions: unknown[] }[] };
      expect(md.topics[0].partitions).toHaveLength(2);
      const c = await kcat(['-b', address, '-C', '-t', 'standalone', '-e', '-f', '%s\n']);
      expect(c.stdout.trim().split('\n').sort()).toEqual(['one', 'two']);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
