// Helpers for the AWS tests on the moto peer: the Glue catalog's options, pyiceberg's GlueCatalog
// (glue_pyiceberg.py), and a relay in front of moto's Glue that checks UpdateTable's VersionId as
// AWS Glue does (moto accepts any VersionId), so that two writers racing on one table are decided
// by the table version, as on AWS.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { REPO_ROOT } from '../peers/peer.js';
import { peer } from '../peers/index.js';
import type { MotoEndpoint } from '../peers/moto.js';
import type { PyicebergEndpoint, PyTable, PyWriteRequest } from '../peers/pyiceberg.js';

export function glueClient(m: MotoEndpoint, endpoint = m.s3Endpoint): GlueClient {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new GlueClient({ endpoint, region: m.region, credentials: { accessKeyId: m.accessKeyId, secretAccessKey: m.secretAccessKey } });
}

/** CREATE CATALOG options of a Glue catalog on moto (Glue and S3 on the same port unless glueEndpoint is given). */
export function glueCatalogOptions(m: MotoEndpoint, warehouse: string, glueEndpoint = m.s3Endpoint): Record<string, string> {
  return {
    type: 'iceberg',
    'catalog-impl': 'org.apache.iceberg.aws.glue.GlueCatalog',
    warehouse,
    'glue.endpoint': glueEndpoint,
    'glue.access-key-id': m.accessKeyId,
    'glue.secret-access-key': m.secretAccessKey,
    'client.region': m.region,
    's3.endpoint': m.s3Endpoint,
    's3.path-style-access': 'true',
    's3.access-key-id': m.accessKeyId,
    's3.secret-access-key': m.secretAccessKey,
  };
}

export function withClause(options: Record<string, string>): string {
  return Object.entries(options)
    .map(([k, v]) => `'${k}' = '${v.replace(/'/g, "''")}'`)
    .join(', ');
}

/** pyiceberg's GlueCatalog properties for the same moto. */
export function pyGlueProps(m: MotoEndpoint, warehouse: string): Record<string, string> {
  return {
    'glue.endpoint': m.s3Endpoint,
    'glue.region': m.region,
    'glue.access-key-id': m.accessKeyId,
    'glue.secret-access-key': m.secretAccessKey,
    warehouse,
    's3.endpoint': m.s3Endpoint,
    's3.access-key-id': m.accessKeyId,
    's3.secret-access-key': m.secretAccessKey,
    's3.region': m.region,
    's3.force-virtual-addressing': 'false',
  };
}

function runGluePy(request: unknown): Promise<unknown> {
  const python = peer<PyicebergEndpoint>('pyiceberg').python;
  return new Promise((resolve, reject) => {
    const child = spawn(python, [path.join(REPO_ROOT, 'test/aws/glue_pyiceberg.py')], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('exit', (code) => {
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code !== 0) return reject(new Error(`glue_pyiceberg.py failed (exit ${code}): ${stderr.split('\n').slice(-5).join('\n')}`));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
      } catch (e) {
        reject(new Error(`glue_pyiceberg.py printed no JSON: ${(e as Error).message}; stderr: ${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}

/** Reads "db.table" with pyiceberg's GlueCatalog. */
export async function pyReadGlue(props: Record<string, string>, table: string): Promise<PyTable> {
  return (await runGluePy({ op: 'read', glue: props, table })) as PyTable;
}

/** Creates (if missing) and appends to "db.table" with pyiceberg's GlueCatalog. */
export async function pyWriteGlue(props: Record<string, string>, table: string, req: PyWriteRequest): Promise<{ snapshotId: string; metadataLocation: string; created: boolean }> {
  return (await runGluePy({ op: 'write', glue: props, table, ...req })) as { snapshotId: string; metadataLocation: string; created: boolean };
}

export interface GlueGuard {
  endpoint: string;
  /** UpdateTable calls refused because their VersionId was no longer the table's. */
  refused: number;
  /** UpdateTable calls passed on to moto. */
  updated: number;
  /** Hold back UpdateTable calls until n are waiting, then decide them one by one (a race). */
  gatherUpdates(n: number): void;
  close(): Promise<void>;
}

/**
 * A relay to moto that answers UpdateTable as AWS Glue does: with a VersionId that is not the
 * table's current one, ConcurrentModificationException. Everything else goes to moto unchanged.
 */
export async function startGlueGuard(m: MotoEndpoint): Promise<GlueGuard> {
  const glue = glueClient(m);
  let chain: Promise<unknown> = Promise.resolve();
  let gather = 0;
  let waiting: (() => void)[] = [];
  const state = { refused: 0, updated: 0 };
  const forward = async (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'connection' && k !== 'content-length') headers[k] = v;
    const up = await fetch(m.s3Endpoint + (req.url ?? '/'), { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
    const data = Buffer.from(await up.arrayBuffer());
    const out: Record<string, string> = {};
    up.headers.forEach((v, k) => {
      if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection' && k !== 'content-encoding') out[k] = v;
    });
    res.writeHead(up.status, out);
    res.end(data);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      try {
        if (req.headers['x-amz-target'] !== 'AWSGlue.UpdateTable') return await forward(req, body, res);
        if (gather > 0) {
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
        // One UpdateTable at a time: check the version, then pass it on.
        const turn = chain.then(async () => {
          const input = JSON.parse(body.toString('utf8')) as { DatabaseName: string; TableInput: { Name: string }; VersionId?: string };
          if (input.VersionId !== undefined) {
            const cur = await glue.send(new GetTableCommand({ DatabaseName: input.DatabaseName, Name: input.TableInput.Name }));
            if (cur.Table?.VersionId !== input.VersionId) {
              state.refused++;
              res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
              res.end(JSON.stringify({ __type: 'ConcurrentModificationException', message: `Update table failed due to concurrent modifications (version ${input.VersionId} is not ${cur.Table?.VersionId})` }));
              return;
            }
          }
          state.updated++;
          await forward(req, body, res);
        });
        chain = turn.catch(() => undefined);
        await turn;
      } catch (e) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get refused() {
      return state.refused;
    },
    get updated() {
      return state.updated;
    },
    gatherUpdates(n: number) {
      gather = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        glue.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
