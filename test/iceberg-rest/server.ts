// A small Iceberg REST catalog server for tests, following the Iceberg REST OpenAPI spec
// (config, OAuth2 client-credentials tokens, namespaces, tables, commits with requirements),
// backed by tsstream's hadoop catalog code on a local warehouse folder. Listens on 127.0.0.1.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { HadoopBackend } from '../../src/connectors/iceberg/hadoop.js';
import { parseJson, stringifyJson } from '../../src/connectors/iceberg/json.js';
import {
  checkRequirements,
  CommitConflictError,
  serializeMetadata,
  type MetadataUpdate,
  type TableMetadata,
  type UpdateRequirement,
} from '../../src/connectors/iceberg/metadata.js';
import type { IcebergSchema, PartitionSpec } from '../../src/connectors/iceberg/schema.js';
import type { HadoopTableOperations } from '../../src/connectors/iceberg/table.js';
import { ValidationError } from '../../src/common/errors.js';

export interface RestServerOptions {
  warehouse: string;
  /** Path prefix handed out by /v1/config (overrides.prefix). */
  prefix?: string;
  /** Require OAuth2 client credentials; tokens come from /v1/oauth/tokens. */
  clientId?: string;
  clientSecret?: string;
  /** Extra config defaults/overrides for clients. */
  defaults?: Record<string, string>;
  overrides?: Record<string, string>;
  /** FileIO options of the server's own warehouse access (e.g. s3.endpoint for an s3:// warehouse). */
  backendOptions?: Record<string, string>;
}

export interface RestServer {
  uri: string;
  /** Requests seen, as 'METHOD path'. */
  log: string[];
  /** Commits to answer with 409 before trying them. */
  conflictNext: number;
  /** Commits to apply and then answer with 503 (the client cannot know they landed). */
  failAfterApplyNext: number;
  tokensIssued: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const NS_SEP = '\u001f';

export async function startRestServer(opts: RestServerOptions): Promise<RestServer> {
  const backend = new HadoopBackend(opts.warehouse, opts.backendOptions ?? {});
  await backend.open();
  const tokens = new Set<string>();
  const state: RestServer = {
    uri: '',
    log: [],
    conflictNext: 0,
    failAfterApplyNext: 0,
    tokensIssued: 0,
    close: async () => undefined,
  };

  const loadResult = (ops: HadoopTableOperations, m: TableMetadata, version: number | undefined) => ({
    'metadata-location': version === undefined ? undefined : ops.metadataFile(version),
    metadata: parseJson(serializeMetadata(m)),
    config: {},
  });

  async function handle(req: http.IncomingMessage, body: string): Promise<{ status: number; body?: unknown }> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    state.log.push(`${method} ${url.pathname}`);
    let parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v1') throw new HttpError(404, 'NotFoundException', 'unknown path');
    parts = parts.slice(1);

    if (parts[0] === 'oauth' && parts[1] === 'tokens' && method === 'POST') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials') throw new HttpError(400, 'invalid_request', 'unsupported grant');
      if (opts.clientId && (form.get('client_id') !== opts.clientId || form.get('client_secret') !== opts.clientSecret)) {
        return { status: 401, body: { error: 'invalid_client', error_description: 'bad credentials' } };
      }
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      state.tokensIssued++;
      return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: 3600, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' } };
    }
    if (opts.clientId) {
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ') || !tokens.has(auth.slice(7))) throw new HttpError(401, 'NotAuthorizedException', 'Not authorized');
    }
    if (parts[0] === 'config' && method === 'GET') {
      return {
        status: 200,
        body: { defaults: opts.defaults ?? {}, overrides: { ...(opts.overrides ?? {}), ...(opts.prefix ? { prefix: opts.prefix } : {}) } },
      };
    }
    if (opts.prefix) {
      if (parts[0] !== opts.prefix) throw new HttpError(404, 'NotFoundException', `unknown prefix ${parts[0]}`);
      parts = parts.slice(1);
    }
    if (parts[0] !== 'namespaces') throw new HttpError(404, 'NotFoundException', 'unknown path');
    const json = body ? (parseJson(body) as Record<string, unknown>) : {};

    if (parts.length === 1) {
      if (method === 'GET') return { status: 200, body: { namespaces: (await backend.listNamespaces()).map((n) => [n]) } };
      if (method === 'POST') {
        const ns = (json.namespace as string[]).join('.');
        if (await backend.namespaceExists(ns)) throw new HttpError(409, 'AlreadyExistsException', `Namespace already exists: ${ns}`);
        await backend.createNamespace(ns);
        return { status: 200, body: { namespace: json.namespace, properties: json.properties ?? {} } };
      }
    }
    const ns = parts[1].split(NS_SEP).join('.');
    const nsExists = await backend.namespaceExists(ns);
    if (parts.length === 2) {
      if (!nsExists) throw new HttpError(404, 'NoSuchNamespaceException', `Namespace does not exist: ${ns}`);
      if (method === 'GET') return { status: 200, body: { namespace: [ns], properties: {} } };
      if (method === 'HEAD') return { status: 204 };
      if (method === 'DELETE') {
        if ((await backend.listTables(ns)).length > 0) throw new HttpError(409, 'NamespaceNotEmptyException', `Namespace not empty: ${ns}`);
        await backend.dropNamespace(ns);
        return { status: 204 };
      }
    }
    if (parts[2] !== 'tables') throw new HttpError(404, 'NotFoundException', 'unknown path');
    if (!nsExists) throw new HttpError(404, 'NoSuchNamespaceException', `Namespace does not exist: ${ns}`);
    if (parts.length === 3) {
      if (method === 'GET') return { status: 200, body: { identifiers: (await backend.listTables(ns)).map((name) => ({ namespace: [ns], name })) } };
      if (method === 'POST') {
        const name = String(json.name);
        if (await backend.loadTable(ns, name)) throw new HttpError(409, 'AlreadyExistsException', `Table already exists: ${ns}.${name}`);
        const schema = json.schema as IcebergSchema;
        const spec = (json['partition-spec'] as PartitionSpec | undefined) ?? { 'spec-id': 0, fields: [] };
        await backend.createTable(ns, name, {
          schema: { ...schema, 'schema-id': schema['schema-id'] ?? 0 },
          spec: { 'spec-id': spec['spec-id'] ?? 0, fields: spec.fields ?? [] },
          properties: (json.properties as Record<string, string>) ?? {},
        });
        const ops = (await backend.loadTable(ns, name)) as HadoopTableOperations;
        return { status: 200, body: loadResult(ops, await ops.load(), await ops.currentVersion()) };
      }
    }
    const name = parts[3];
    const ops = (await backend.loadTable(ns, name)) as HadoopTableOperations | undefined;
    if (!ops) throw new HttpError(404, 'NoSuchTableException', `Table does not exist: ${ns}.${name}`);
    if (method === 'HEAD') return { status: 204 };
    if (method === 'GET') return { status: 200, body: loadResult(ops, await ops.load(), await ops.currentVersion()) };
    if (method === 'DELETE') {
      await backend.dropTable(ns, name);
      return { status: 204 };
    }
    if (method === 'POST') {
      if (state.conflictNext > 0) {
        state.conflictNext--;
        throw new HttpError(409, 'CommitFailedException', 'Injected conflict');
      }
      const base = await ops.load();
      try {
        checkRequirements(base, (json.requirements as UpdateRequirement[]) ?? []);
        const next = await ops.commit(base, (json.updates as MetadataUpdate[]) ?? [], []);
        if (state.failAfterApplyNext > 0) {
          state.failAfterApplyNext--;
          throw new HttpError(503, 'ServiceUnavailableException', 'Injected failure after commit');
        }
        return { status: 200, body: { 'metadata-location': ops.metadataFile((await ops.currentVersion())!), metadata: parseJson(serializeMetadata(next)) } };
      } catch (e) {
        if (e instanceof CommitConflictError) throw new HttpError(409, 'CommitFailedException', e.message);
        throw e;
      }
    }
    throw new HttpError(405, 'MethodNotAllowed', `${method} not supported here`);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks).toString('utf8'))
        .then(({ status, body }) => {
          res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
          res.end(body === undefined ? undefined : stringifyJson(body));
        })
        .catch((e: unknown) => {
          const he =
            e instanceof HttpError
              ? e
              : e instanceof ValidationError
                ? new HttpError(400, 'BadRequestException', e.message)
                : new HttpError(500, 'InternalServerError', (e as Error).message);
          res.writeHead(he.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: he.message, type: he.type, code: he.status } }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  state.uri = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => {
        backend.close().then(() => resolve(), () => resolve());
      });
    });
  return state;
}
