// Binding a server to the first free port of a Flink port setting: '9249', '9250-9260' or
// '50100,50101' (as metrics.reporter.prom.port and rest.port accept them).
import type http from 'node:http';
import { ValidationError } from '../../common/errors.js';

/** The ports a setting names, in order; undefined when it is not one of the accepted forms. */
export function parsePorts(spec: string): number[] | undefined {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > 65535 || hi > 65535 || hi < lo) return undefined;
    for (let p = lo; p <= hi; p++) out.push(p);
  }
  return out.length ? out : undefined;
}

export const PORTS_ACCEPTED = "a port such as '9249', a range such as '9250-9260', or a list such as '9250,9251' (0: any free port)";

/** Listens on the first port of `spec` that is free; rejects naming the key when none is. */
export async function listenOnPorts(server: http.Server, host: string, spec: string, key: string): Promise<number> {
  const ports = parsePorts(spec);
  if (!ports) throw new ValidationError(`Invalid value '${spec}' for '${key}': expected ${PORTS_ACCEPTED}`);
  let last: Error | undefined;
  for (const port of ports) {
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => {
          server.off('listening', onListening);
          reject(e);
        };
        const onListening = () => {
          server.off('error', onError);
          resolve();
        };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen(port, host);
      });
      // Scrapers and browsers keep connections open: they must not keep the process alive
      // once its jobs have ended.
      server.unref();
      server.on('connection', (socket) => socket.unref());
      return (server.address() as { port: number }).port;
    } catch (e) {
      last = e as Error;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' && code !== 'EACCES') break;
    }
  }
  throw new Error(`Cannot listen on ${host} port ${spec} ('${key}'): ${last?.message ?? 'no port'}`);
}
