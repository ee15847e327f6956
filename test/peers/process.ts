// Helpers for peers that are child processes serving HTTP on 127.0.0.1.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** The first port of the kernel's ephemeral range (the local ports of outgoing connections and of bind(0)). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 0) return low;
  } catch {
    // not Linux
  }
  return 32768;
}

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on 127.0.0.1 for a server started later (closed again before that server binds
 * it), for servers that cannot be told to pick one themselves. Picked at random below the
 * ephemeral range: a port the OS picks (bind to 0) lies in that range, where every outgoing
 * connection of the machine (the other test runs' clients) may take it as its local port before
 * the server binds it; below it only another server's choice can clash. A server that then finds
 * its port taken exits at start: see `PortClashError` and `onFreePorts`.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  const from = 10_000;
  if (low - from >= 1000) {
    for (let i = 0; i < 50; i++) {
      const port = from + Math.floor(Math.random() * (low - from));
      if (await listenable(port)) return port;
    }
  }
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** The line of a server's output saying a port it was given is taken (PostgreSQL's "could not bind",
 *  MariaDB's "Address already in use", Java's BindException, Python's errno 98), or undefined. */
export function portClashLine(output: string): string | undefined {
  return output.split('\n').find((l) => /Address already in use|EADDRINUSE|could not bind|BindException|failed to bind|port \d+ seems to be in use/i.test(l));
}

/** A server that exited at start because a port it was given was taken by another process
 *  between `freePort()` picking it and the server binding it. */
export class PortClashError extends Error {}

/**
 * Runs `start` with `count` ports from `freePort()`; when it fails with a `PortClashError`, again
 * with other ports, up to `attempts` times in all.
 */
export async function onFreePorts<T>(
  count: number,
  start: (ports: number[]) => Promise<T>,
  log: (line: string) => void = () => {},
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const ports: number[] = [];
    while (ports.length < count) {
      const p = await freePort();
      if (!ports.includes(p)) ports.push(p);
    }
    try {
      return await start(ports);
    } catch (e) {
      if (!(e instanceof PortClashError) || attempt >= attempts) throw e;
      log(`${e.message.split('\n')[0]}; starting it again on other ports`);
    }
  }
}

export interface ServerProcess {
  child: ChildProcess;
  /** The last lines it printed (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `cmd args…` and resolves once `ready()` says yes; rejects (and kills it) when it exits first
 *  or `timeoutMs` passes. */
export async function startServerProcess(
  name: string,
  cmd: string,
  args: string[],
  opts: SpawnOptions & { ready: () => Promise<boolean>; timeoutMs?: number; log?: (line: string) => void },
): Promise<ServerProcess> {
  const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const onData = (b: Buffer) => {
    for (const line of b.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      opts.log?.(line);
      tail.push(line);
      if (tail.length > 40) tail.shift();
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited: string | undefined;
  const exitedP = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      // Its last output may still be in the pipes: wait for them to close (at most 1 s, as a
      // process it started may hold them), so the error can name the cause.
      const done = () => {
        exited ??= `exited with ${code ?? signal}`;
        resolve();
      };
      child.on('close', done);
      setTimeout(done, 1_000).unref();
    });
    child.on('error', (e) => {
      exited = `failed to start: ${e.message}`;
      resolve();
    });
  });
  const stop = async () => {
    if (exited === undefined) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exitedP;
      clearTimeout(t);
    }
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) {
      const clash = portClashLine(tail.join('\n'));
      if (clash) {
        throw new PortClashError(
          `${name} ${exited} before serving: a port it was given was taken by another process before it bound it (port clash): ${clash.trim()}\n${tail.join('\n')}`,
        );
      }
      throw new Error(`${name} ${exited} before serving:\n${tail.join('\n')}`);
    }
    if (await opts.ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not serve within ${opts.timeoutMs ?? 60_000} ms:\n${tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => tail.join('\n'), stop };
}

/** true once GET url answers (any status below 500). */
export async function httpAnswers(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer();
  return res.status < 500;
}
