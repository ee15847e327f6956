// Iceberg REST catalog client (the Iceberg REST OpenAPI protocol): /v1/config for defaults,
// overrides and the path prefix; OAuth2 client credentials (`credential` = 'id:secret') or a
// static bearer `token`; namespaces; create / load / drop tables; commits that send
// requirements and updates, where 409 means "someone else committed: reload and retry" and
// 5xx or a lost connection means the outcome is unknown. Bodies are parsed losslessly
// (snapshot ids are 63-bit). Tokens and credentials never appear in messages.
import { inspect } from 'node:util';
import { ConnectorError, ValidationError } from '../../common/errors.js';
import { fileIOFor, type FileIO } from '../../io/fileio.js';
import type { IcebergBackend, NewTable } from './backend.js';
import { parseJson, stringifyJson } from './json.js';
import {
  CommitConflictError,
  CommitStateUnknownError,
  parseMetadata,
  type MetadataUpdate,
  type TableMetadata,
  type UpdateRequirement,
} from './metadata.js';
import type { TableOperations } from './table.js';
import { RestSigner, sigv4Enabled } from './sigv4.js';

const NS_SEP = '\u001f';

export class RestError extends ConnectorError {
  constructor(
    message: string,
    readonly status: number,
    readonly type?: string,
  ) {
    super(message);
  }
}

interface Token {
  value: string;
  expiresAt: number;
}

export class RestBackend implements IcebergBackend {
  readonly kind = 'rest' as const;
  private readonly uri: string;
  private props: Record<string, string>;
  private prefix = '';
  private token: Token | undefined;
  private opened = false;
  private fileIOs = new Map<string, FileIO>();
  private readonly timeoutMs: number;
  /** SigV4 signing of every request ('rest.sigv4-enabled'), see sigv4.ts. */
  private readonly signer: RestSigner | undefined;

  constructor(private readonly options: Record<string, string>) {
    const uri = options.uri;
    if (!uri) throw new ValidationError("The REST Iceberg catalog needs a 'uri'");
    this.uri = uri.replace(/\/+$/, '');
    this.props = { ...options };
    this.timeoutMs = Number(options['rest.timeout-ms'] ?? 30_000);
    if (options.token) this.token = { value: options.token, expiresAt: Infinity };
    this.signer = sigv4Enabled(options) ? new RestSigner(options) : undefined;
  }

  /** Headers with the SigV4 signature added when signing is on. */
  private async signed(method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<Record<string, string>> {
    return this.signer ? this.signer.sign({ method, url, headers, body }) : headers;
  }

  /** What to check when the server refused a request (403) that was signed. */
  private refusalHint(status: number): string {
    return this.signer && status === 403
      ? ` (the request was signed with SigV4 for service '${this.signer.service}' in region '${this.signer.region}': check the AWS credentials, 'rest.signing-name' and 'rest.signing-region')`
      : '';
  }

  toString(): string {
    return `RestBackend(${this.uri})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  toJSON(): string {
    return this.toString();
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const q = this.options.warehouse ? `?warehouse=${encodeURIComponent(this.options.warehouse)}` : '';
    const cfg = (await this.request('GET', `/v1/config${q}`, undefined, { noPrefix: true })) as {
      defaults?: Record<string, string>;
      overrides?: Record<string, string>;
    };
    // Precedence: server defaults < catalog options < server overrides.
    this.props = { ...(cfg.defaults ?? {}), ...this.options, ...(cfg.overrides ?? {}) };
    this.prefix = (this.props.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.opened = true;
  }

  async close(): Promise<void> {
    for (const io of this.fileIOs.values()) if (io.scheme !== 'file') await io.close().catch(() => undefined);
    this.fileIOs.clear();
    this.opened = false;
  }

  private path(p: string): string {
    return this.prefix ? `/v1/${this.prefix}${p}` : `/v1${p}`;
  }

  private ns(ns: string): string {
    return encodeURIComponent(ns.split('.').join(NS_SEP));
  }

  private async authHeader(): Promise<string | undefined> {
    if (this.token && this.token.expiresAt > Date.now() + 5_000) return `Bearer ${this.token.value}`;
    const credential = this.options.credential;
    if (!credential) return this.token ? `Bearer ${this.token.value}` : undefined;
    const i = credential.indexOf(':');
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: this.options.scope ?? 'catalog' });
    if (i >= 0) {
      form.set('client_id', credential.slice(0, i));
      form.set('client_secret', credential.slice(i + 1));
    } else form.set('client_secret', credential);
    const url = this.options['oauth2-server-uri'] ?? `${this.uri}/v1/oauth/tokens`;
    const formBody = form.toString();
    const formHeaders = await this.signed('POST', url, { 'content-type': 'application/x-www-form-urlencoded' }, formBody);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: formHeaders,
        body: formBody,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new ConnectorError(`REST catalog ${this.uri}: cannot reach the OAuth2 token endpoint (${(e as Error).message})`);
    }
    const text = await res.text();
    if (!res.ok) throw new RestError(`REST catalog ${this.uri}: OAuth2 token request failed with HTTP ${res.status}${this.refusalHint(res.status)}`, res.status);
    const body = JSON.parse(text) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new ConnectorError(`REST catalog ${this.uri}: OAuth2 response has no access_token`);
    this.token = { value: body.access_token, expiresAt: body.expires_in ? Date.now() + body.expires_in * 1000 : Infinity };
    return `Bearer ${this.token.value}`;
  }

  /** One HTTP call; JSON in and out (lossless). Throws RestError with the server's message. */
  async request(method: string, path: string, body?: unknown, opts: { noPrefix?: boolean; retry?: boolean } = {}): Promise<unknown> {
    if (!this.opened && !opts.noPrefix) await this.open(); // the prefix comes from /v1/config
    const url = this.uri + (opts.noPrefix ? path : this.path(path));
    const idempotent = method === 'GET' || method === 'HEAD';
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { accept: 'application/json' };
      for (const [k, v] of Object.entries(this.options)) if (k.startsWith('header.')) headers[k.slice(7)] = v;
      const auth = await this.authHeader();
      if (auth) headers.authorization = auth;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const payload = body === undefined ? undefined : stringifyJson(body);
      const sent = await this.signed(method, url, headers, payload);
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: sent,
          body: payload,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (e) {
        if (idempotent && attempt < 3) {
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
          continue;
        }
        // The host and the request, and why it could not be sent (fetch's own message is only "fetch failed").
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        const why = cause ? `${(e as Error).message}: ${cause.code ?? cause.message}` : (e as Error).message;
        throw new RestError(`REST catalog ${method} ${requestUrl(url)}: ${why}`, 0);
      }
      if (res.status === 401 && this.options.credential && attempt === 0) {
        this.token = undefined; // expired: fetch a new one and try once more
        continue;
      }
      if (idempotent && (res.status === 502 || res.status === 503 || res.status === 504) && attempt < 3) {
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        continue;
      }
      const text = res.status === 204 ? '' : await res.text();
      if (!res.ok) {
        let message = text.slice(0, 500);
        let type: string | undefined;
        try {
          const err = (JSON.parse(text) as { error?: { message?: string; type?: string } }).error;
          if (err?.message) message = err.message;
          type = err?.type;
        } catch {
          /* not JSON */
        }
        throw new RestError(`REST catalog ${method} ${requestUrl(url)} failed with HTTP ${res.status}${type ? ` (${type})` : ''}: ${message}${this.refusalHint(res.status)}`, res.status, type);
      }
      return text ? parseJson(text) : undefined;
    }
  }

  async listNamespaces(): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const q = token ? `?pageToken=${encodeURIComponent(token)}` : '';
      const res = (await this.request('GET', `/namespaces${q}`)) as { namespaces?: string[][]; 'next-page-token'?: string };
      for (const ns of res.namespaces ?? []) out.push(ns.join('.'));
      token = res['next-page-token'] ?? undefined;
    } while (token);
    return out;
  }

  async namespaceExists(ns: string): Promise<boolean> {
    try {
      await this.request('GET', `/namespaces/${this.ns(ns)}`);
      return true;
    } catch (e) {
      if (e instanceof RestError && e.status === 404) return false;
      throw e;
    }
  }

  async createNamespace(ns: string, properties: Record<string, string>): Promise<void> {
    try {
      await this.request('POST', '/namespaces', { namespace: ns.split('.'), properties });
    } catch (e) {
      if (e instanceof RestError && e.status === 409) throw new ValidationError(`Database ${ns} already exists`);
      throw e;
    }
  }

  async dropNamespace(ns: string): Promise<void> {
    try {
      await this.request('DELETE', `/namespaces/${this.ns(ns)}`);
    } catch (e) {
      if (e instanceof RestError && e.status === 409) throw new ValidationError(`Database ${ns} is not empty`);
      if (e instanceof RestError && e.status === 404) return;
      throw e;
    }
  }

  async listTables(ns: string): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const q = token ? `?pageToken=${encodeURIComponent(token)}` : '';
      const res = (await this.request('GET', `/namespaces/${this.ns(ns)}/tables${q}`)) as {
        identifiers?: { namespace: string[]; name: string }[];
        'next-page-token'?: string;
      };
      for (const id of res.identifiers ?? []) out.push(id.name);
      token = res['next-page-token'] ?? undefined;
    } while (token);
    return out;
  }

  tablePath(ns: string, name: string): string {
    return `/namespaces/${this.ns(ns)}/tables/${encodeURIComponent(name)}`;
  }

  async fileIOFor(location: string, config: Record<string, string> = {}): Promise<FileIO> {
    const props = { ...this.props, ...config };
    const key = `${location.split(':')[0]}|${JSON.stringify(Object.entries(props).filter(([k]) => k.startsWith('s3.') || k.startsWith('client.')).sort())}`;
    let io = this.fileIOs.get(key);
    if (!io) {
      io = await fileIOFor(location, props);
      this.fileIOs.set(key, io);
    }
    return io;
  }

  /** GET the table: metadata plus the per-table FileIO config. */
  async loadTableResult(ns: string, name: string): Promise<{ metadata: TableMetadata; location: string; config: Record<string, string> } | undefined> {
    let res: { metadata: Record<string, unknown>; 'metadata-location'?: string; config?: Record<string, string> };
    try {
      res = (await this.request('GET', this.tablePath(ns, name))) as typeof res;
    } catch (e) {
      if (e instanceof RestError && e.status === 404) return undefined;
      throw e;
    }
    return { metadata: parseMetadata(res.metadata), location: res['metadata-location'] ?? '', config: res.config ?? {} };
  }

  async loadTable(ns: string, name: string): Promise<TableOperations | undefined> {
    const r = await this.loadTableResult(ns, name);
    if (!r) return undefined;
    const io = await this.fileIOFor(r.metadata.location, r.config);
    return new RestTableOperations(this, ns, name, io, r.metadata);
  }

  async createTable(ns: string, name: string, t: NewTable): Promise<TableMetadata> {
    try {
      const res = (await this.request('POST', `/namespaces/${this.ns(ns)}/tables`, {
        name,
        ...(t.location ? { location: t.location } : {}),
        schema: t.schema,
        'partition-spec': t.spec,
        'write-order': { 'order-id': 0, fields: [] },
        'stage-create': false,
        properties: t.properties,
      })) as { metadata: Record<string, unknown> };
      return parseMetadata(res.metadata);
    } catch (e) {
      if (e instanceof RestError && e.status === 409) throw new ValidationError(`Table ${ns}.${name} already exists`);
      if (e instanceof RestError && e.status === 404) throw new ValidationError(`Database ${ns} does not exist`);
      throw e;
    }
  }

  /** Registers an existing table by its metadata file (POST …/namespaces/{ns}/register). */
  async registerTable(ns: string, name: string, metadataLocation: string): Promise<TableMetadata> {
    try {
      const res = (await this.request('POST', `/namespaces/${this.ns(ns)}/register`, { name, 'metadata-location': metadataLocation })) as {
        metadata: Record<string, unknown>;
      };
      return parseMetadata(res.metadata);
    } catch (e) {
      if (e instanceof RestError && e.status === 409) throw new ValidationError(`Table ${ns}.${name} already exists`);
      if (e instanceof RestError && e.status === 404) throw new ValidationError(`Database ${ns} does not exist, or the server cannot register tables`);
      throw e;
    }
  }

  async dropTable(ns: string, name: string, purge: boolean): Promise<boolean> {
    try {
      await this.request('DELETE', `${this.tablePath(ns, name)}${purge ? '?purgeRequested=true' : ''}`);
      return true;
    } catch (e) {
      if (e instanceof RestError && e.status === 404) return false;
      throw e;
    }
  }

  /** POST …/tables/rename: the server moves the catalog entry; metadata and files stay. */
  async renameTable(ns: string, name: string, toNs: string, toName: string): Promise<void> {
    try {
      await this.request('POST', '/tables/rename', {
        source: { namespace: ns.split('.'), name },
        destination: { namespace: toNs.split('.'), name: toName },
      });
    } catch (e) {
      if (e instanceof RestError && e.status === 409) throw new ValidationError(`Table ${toNs}.${toName} already exists`);
      if (e instanceof RestError && e.status === 404) {
        throw new ValidationError(e.type === 'NoSuchNamespaceException' ? `Database ${toNs} does not exist` : `Table ${ns}.${name} does not exist`);
      }
      throw e;
    }
  }

  async io(): Promise<FileIO> {
    const wh = this.props.warehouse ?? '';
    return this.fileIOFor(/^[a-z0-9]+:\/\//i.test(wh) || wh.startsWith('/') ? wh : '/');
  }
}

export class RestTableOperations implements TableOperations {
  readonly name: string;

  constructor(
    private readonly backend: RestBackend,
    private readonly ns: string,
    private readonly table: string,
    readonly io: FileIO,
    /** The metadata the GET that found the table returned: the first load() within a second uses it. */
    private initial?: TableMetadata,
  ) {
    this.name = `${ns}.${table}`;
    this.initialAt = Date.now();
  }

  private readonly initialAt: number;

  async load(): Promise<TableMetadata> {
    if (this.initial && Date.now() - this.initialAt < 1000) {
      const m = this.initial;
      this.initial = undefined;
      return m;
    }
    this.initial = undefined;
    const r = await this.backend.loadTableResult(this.ns, this.table);
    if (!r) throw new ConnectorError(`Table ${this.name} does not exist in the REST catalog`);
    return r.metadata;
  }

  async commit(_base: TableMetadata, updates: MetadataUpdate[], requirements: UpdateRequirement[]): Promise<TableMetadata> {
    try {
      const res = (await this.backend.request('POST', this.backend.tablePath(this.ns, this.table), {
        identifier: { namespace: this.ns.split('.'), name: this.table },
        requirements,
        updates,
      })) as { metadata: Record<string, unknown> };
      return parseMetadata(res.metadata);
    } catch (e) {
      if (e instanceof RestError) {
        if (e.status === 409) throw new CommitConflictError(`Commit to ${this.name} conflicted: ${e.message}`);
        if (e.status === 0 || e.status >= 500) throw new CommitStateUnknownError(`Commit to ${this.name} has an unknown outcome: ${e.message}`);
      }
      throw e;
    }
  }
}

/** A request's URL as errors name it: scheme, host, port and path (no query string, no user info). */
function requestUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}
