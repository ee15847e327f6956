// A relay in front of Iceberg's REST catalog server that lets through only requests carrying a
// valid AWS SigV4 signature, checked by recomputing it with the AWS SDK's own signer
// (@smithy/signature-v4) from the request as received and the relay's copy of the credentials,
// as AWS API Gateway, Glue's Iceberg endpoint or S3 Tables would. Anything else gets HTTP 403 in
// the Iceberg REST error shape. Accepted requests go on to the server without the AWS headers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface SigV4Relay {
  uri: string;
  /** Requests whose signature checked out. */
  accepted: number;
  /** Requests refused, with the reason. */
  refused: string[];
  close(): Promise<void>;
}

const AUTH_RE = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

async function sha256Hex(body: Buffer): Promise<string> {
  const h = new Sha256();
  h.update(body);
  return Buffer.from(await h.digest()).toString('hex');
}

export async function startSigV4Relay(target: string, expect: { accessKeyId: string; secretAccessKey: string; region: string; service: string }): Promise<SigV4Relay> {
  const signer = new SignatureV4({
    service: expect.service,
    region: expect.region,
    sha256: Sha256,
    credentials: { accessKeyId: expect.accessKeyId, secretAccessKey: expect.secretAccessKey },
  });
  const state = { accepted: 0, refused: [] as string[] };

  async function check(req: http.IncomingMessage, body: Buffer): Promise<string | undefined> {
    const auth = req.headers.authorization ?? '';
    const m = AUTH_RE.exec(auth);
    if (!m) return `no SigV4 Authorization header (got '${auth.split(' ')[0]}')`;
    const [, keyId, , region, service, signedHeaders] = m;
    if (keyId !== expect.accessKeyId) return `unknown access key id`;
    if (region !== expect.region || service !== expect.service) return `signed for ${service} in ${region}`;
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const d = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!d) return 'no X-Amz-Date';
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (payloadHash !== (await sha256Hex(body))) return 'x-amz-content-sha256 is not the hash of the body';
    const headers: Record<string, string> = {};
    for (const name of signedHeaders.split(';')) {
      const v = req.headers[name];
      if (v === undefined) return `signed header ${name} is missing`;
      headers[name] = Array.isArray(v) ? v.join(',') : v;
    }
    const url = new URL(req.url ?? '/', 'http://relay');
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const signingDate = new Date(Date.UTC(+d[1], +d[2] - 1, +d[3], +d[4], +d[5], +d[6]));
    const [host, port] = (headers.host ?? '').split(':');
    const recomputed = await signer.sign(
      { method: req.method ?? 'GET', protocol: 'http:', hostname: host, port: port ? Number(port) : undefined, path: url.pathname, query, headers, body: body.length ? body.toString('utf8') : undefined },
      { signingDate },
    );
    if (recomputed.headers.authorization !== auth) return 'signature does not match';
    return undefined;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      try {
        const wrong = await check(req, body);
        if (wrong) {
          state.refused.push(`${req.method} ${req.url}: ${wrong}`);
          res.writeHead(403, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `The request signature we calculated does not match the signature you provided (${wrong})`, type: 'SignatureDoesNotMatchException', code: 403 } }));
          return;
        }
        state.accepted++;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v !== 'string' || k === 'host' || k === 'connection' || k === 'content-length' || k === 'authorization' || k.startsWith('x-amz-') || k === 'original-authorization') continue;
          headers[k] = v;
        }
        const up = await fetch(target + (req.url ?? '/'), { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
        const data = Buffer.from(await up.arrayBuffer());
        const out: Record<string, string> = {};
        up.headers.forEach((v, k) => {
          if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection' && k !== 'content-encoding') out[k] = v;
        });
        res.writeHead(up.status, out);
        res.end(data);
      } catch (e) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get accepted() {
      return state.accepted;
    },
    refused: state.refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
