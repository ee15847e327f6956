// The port helpers of the test peers: ports below the ephemeral range, a clash named and retried.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, onFreePorts, PortClashError, startServerProcess } from './process.js';

/** A child Node server on `port`, ready once it printed that it listens. */
async function nodeServer(port: number) {
  let listening = false;
  const script = `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('listening'))`;
  return startServerProcess('node server', process.execPath, ['-e', script], {
    log: (line) => {
      if (line === 'listening') listening = true;
    },
    ready: async () => listening,
    timeoutMs: 20_000,
  });
}

describe('test peer ports', () => {
  it('freePort picks below the ephemeral range (Linux)', async () => {
    let low = 32768;
    try {
      low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    } catch {
      return; // not Linux: nothing to check
    }
    for (let i = 0; i < 20; i++) {
      const p = await freePort();
      expect(p).toBeGreaterThanOrEqual(10_000);
      expect(p).toBeLessThan(low);
    }
  });

  it('a server whose port was taken meanwhile is named a port clash, and started again on another', async () => {
    const taken = await freePort();
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(taken, '127.0.0.1', () => r()));
    try {
      const tried: number[] = [];
      const logged: string[] = [];
      const server = await onFreePorts(
        1,
        async ([port]) => {
          // The first attempt gets the port another process took after it was picked.
          const p = tried.length === 0 ? taken : port;
          tried.push(p);
          return nodeServer(p);
        },
        (line) => logged.push(line),
      );
      await server.stop();
      expect(tried.length).toBe(2);
      expect(tried[1]).not.toBe(taken);
      expect(logged.length).toBe(1);
      expect(logged[0]).toMatch(/^node server exited with 1 before serving: .*port clash.*EADDRINUSE.*; starting it again on other ports$/);
    } finally {
      holder.close();
    }
  });

  it('gives up after its attempts with the clash as the error', async () => {
    const taken = await freePort();
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(taken, '127.0.0.1', () => r()));
    try {
      let attempts = 0;
      const started = onFreePorts(1, async () => {
        attempts++;
        return nodeServer(taken);
      }, () => {}, 2);
      await expect(started).rejects.toBeInstanceOf(PortClashError);
      expect(attempts).toBe(2);
    } finally {
      holder.close();
    }
  });
});
