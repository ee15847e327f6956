// A recording relay in front of Iceberg's REST catalog server, for tests that need to see what
// tsstream sends (paths, the Authorization header) or to cut a connection at a chosen moment.
// It never answers a catalog request itself: every answer comes from Iceberg's server, except
// where a test asks it to hold a request back or to lose the answer to one (as a network would).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  /** Status Iceberg's server answered with. */
  status: number;
  /** The JSON request body (catalog requests that have one; never the OAuth2 form), as sent. */
  body?: string;
}

export interface RestRelay {
  uri: string;
  seen: Seen[];
  /** Commit requests (POST …/tables/{name}) to hold back until this many are waiting, then pass together. */
  gatherCommits(n: number): void;
  /** The next commit request is passed on, but its answer is replaced by a lost connection (HTTP 503). */
  loseNextCommitAnswer(): void;
  close(): Promise<void>;
}

const isCommit = (method: string, p: string) => method === 'POST' && /\/namespaces\/[^/]+\/tables\/[^/]+$/.test(p);

export async function startRelay(target: string): Promise<RestRelay> {
  const seen: Seen[] = [];
  let gather = 0;
  let waiting: (() => void)[] = [];
  let loseNext = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      const p = url.split('?')[0];
      try {
        if (isCommit(method, p) && gather > 0) {
          await new Promise<void>((resolve) => {
            waiting.push(resolve);
            if (waiting.length >= gather) {
              gather = 0;
              const go = waiting;
              waiting = [];
              for (const w of go) w();
            }
          });
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'connection' && k !== 'content-length') headers[k] = v;
        const body = chunks.length ? Buffer.concat(chunks) : undefined;
        const up = await fetch(target + url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
        const data = Buffer.from(await up.arrayBuffer());
        seen.push({ method, path: p, authorization: req.headers.authorization, status: up.status, ...(body && String(req.headers['content-type']).includes('json') ? { body: body.toString('utf8') } : {}) });
        if (isCommit(method, p) && loseNext) {
          loseNext = false;
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.end('connection to the catalog lost');
          return;
        }
        const out: Record<string, string> = {};
        up.headers.forEach((v, k) => {
          if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'content-encoding' && k !== 'connection') out[k] = v;
        });
        res.writeHead(up.status, out);
        res.end(data);
      } catch (e) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`relay: ${(e as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    uri: `http://127.0.0.1:${port}`,
    seen,
    gatherCommits: (n) => {
      gather = n;
    },
    loseNextCommitAnswer: () => {
      loseNext = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
