// The web server of the jobs of this process (Flink's REST endpoint and dashboard): HTTP on
// 127.0.0.1 unless 'rest.bind-address' says otherwise. Pages and JSON are read-only; savepoint,
// stop-with-savepoint and cancel are authorized by the job's token (Authorization: Bearer …).
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { timingSafeEqual } from 'node:crypto';
import type { Job } from '../../runtime/job.js';
import path from 'node:path';
import { JobRegistry, type JobRecord } from './registry.js';
import { HOST, monitorJob, monitors } from '../observe/monitor.js';
import { esc, jobPage, overviewPage } from '../observe/dashboard.js';
import { listenOnPorts } from '../observe/ports.js';

export interface WebServer {
  port: number;
  /** Where the CLI sends control requests (127.0.0.1 unless bound to one other address). */
  controlHost: string;
  /** Base URL of the dashboard, e.g. http://127.0.0.1:8081 */
  url: string;
  close(): Promise<void>;
}

function authorized(req: http.IncomingMessage, token: string | undefined): boolean {
  if (!token) return false;
  const h = req.headers.authorization ?? '';
  const given = Buffer.from(h.startsWith('Bearer ') ? h.slice(7) : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

async function body(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // Everything is inline and from here: no other origin is ever contacted.
  'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/**
 * The web server of this process (Flink's REST endpoint and web UI): read-only pages and JSON for
 * anyone who can reach it, and job control (savepoint, stop, cancel) only with the job's token.
 *   GET  /                          the jobs of $TSSTREAM_HOME
 *   GET  /jobs/<id>                 a job's dashboard
 *   GET  /v1/jobs, /v1/jobs/<id>    the same as JSON
 *   POST /v1/jobs/<id>/savepoint | stop | cancel   (Authorization: Bearer <token>)
 */
function handler(registry: JobRegistry): http.RequestListener {
  return async (req, res) => {
    const send = (code: number, obj: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(JSON.stringify(obj));
    };
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean);
    try {
      if (req.method === 'GET') {
        if (parts.length === 0) {
          res.writeHead(200, PAGE_HEADERS);
          return res.end(overviewPage(await registry.list(), path.dirname(registry.dir)));
        }
        if (parts[0] === 'jobs' && parts.length === 2) {
          const m = monitors.get(parts[1]);
          if (!m) {
            res.writeHead(404, PAGE_HEADERS);
            return res.end(overviewPage(await registry.list(), path.dirname(registry.dir)).replace('<main>', `<main><p>Job ${esc(parts[1])} does not run in this process; the jobs below link to their own dashboards.</p>`));
          }
          res.writeHead(200, PAGE_HEADERS);
          return res.end(jobPage(m.view()));
        }
        if (parts[0] === 'v1' && parts[1] === 'jobs' && parts.length === 2) return send(200, { jobs: await registry.list() });
        if (parts[0] === 'v1' && parts[1] === 'jobs' && parts.length === 3) {
          const m = monitors.get(parts[2]);
          return m ? send(200, m.view()) : send(404, { error: `no job ${parts[2]} in this process` });
        }
        return send(404, { error: `unknown request GET ${url.pathname}` });
      }
      if (req.method === 'POST' && parts[0] === 'v1' && parts[1] === 'jobs' && parts.length === 4) {
        const m = monitors.get(parts[2]);
        if (!m) return send(404, { error: `no job ${parts[2]} in this process` });
        if (!authorized(req, m.token)) return send(401, { error: "missing or wrong token (the job's token file is readable by its owner only)" });
        const b = await body(req);
        const dir = (b.dir as string | undefined) ?? m.savepointDir;
        const job = m.job;
        switch (parts[3]) {
          case 'savepoint':
            if (!dir) return send(400, { error: "no savepoint directory given and 'state.savepoints.dir' is not set" });
            return send(200, { path: await job.triggerSavepoint(dir) });
          case 'stop':
            if (!dir) return send(400, { error: "no savepoint directory given and 'state.savepoints.dir' is not set" });
            return send(200, { path: await job.stopWithSavepoint(dir, b.drain === true) });
          case 'cancel':
            job.cancel();
            return send(200, { status: 'CANCELED' });
        }
      }
      return send(404, { error: `unknown request ${req.method} ${url.pathname}` });
    } catch (e) {
      return send(500, { error: (e as Error).message });
    }
  };
}

let web: Promise<WebServer> | undefined;

/**
 * Starts this process's web server once: on 'rest.port' (a port or range) and 'rest.bind-address'
 * when set, else on a free port of 127.0.0.1. 'rest.address' is the host name its URLs use.
 */
export function startWebServer(config: ReadonlyMap<string, string>, registry = new JobRegistry(), log?: (level: 'warn', m: string) => void): Promise<WebServer> {
  if (web) return web;
  web = (async () => {
    const bind = config.get('rest.bind-address') ?? '127.0.0.1';
    const wanted = config.get('rest.port');
    let server = http.createServer(handler(registry));
    let port: number;
    try {
      port = await listenOnPorts(server, bind, wanted ?? '0', 'rest.port');
    } catch (e) {
      if (wanted === undefined) throw e;
      log?.('warn', `${(e as Error).message}: the dashboard and job control use a free port of 127.0.0.1 instead.`);
      server = http.createServer(handler(registry));
      port = await listenOnPorts(server, '127.0.0.1', '0', 'rest.port');
    }
    server.unref();
    const actual = (server.address() as { address: string }).address;
    const wildcard = actual === '0.0.0.0' || actual === '::';
    const controlHost = wildcard ? '127.0.0.1' : actual;
    const shown = config.get('rest.address') ?? (wildcard ? HOST : actual);
    return { port, controlHost, url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
  })();
  web.catch(() => (web = undefined));
  return web;
}

/** Sends a control request to a job's endpoint with its token. */
export async function controlRequest(registry: JobRegistry, rec: JobRecord, method: 'GET' | 'POST', route: string, payload?: unknown, timeoutMs = 120_000): Promise<Record<string, unknown>> {
  const token = await registry.readToken(rec.id);
  return new Promise((resolve, reject) => {
    const data = payload === undefined ? undefined : JSON.stringify(payload);
    const req = http.request(
      { host: rec.controlHost ?? '127.0.0.1', port: rec.port, method, path: `/v1/jobs/${rec.id}/${route.replace(/^\/?(v1\/)?/, '')}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const obj = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
          if ((res.statusCode ?? 500) >= 400) reject(new Error(`job ${rec.id}: ${String(obj.error ?? res.statusCode)}`));
          else resolve(obj);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`job ${rec.id} did not answer within ${timeoutMs / 1000} s`)));
    req.on('error', (e) => reject(new Error(`Cannot reach job ${rec.id} on ${rec.controlHost ?? '127.0.0.1'}:${rec.port}: ${e.message}`)));
    if (data) req.write(data);
    req.end();
  });
}

/**
 * Registers a job (each attempt of it, after a restart too), serves its dashboard and control
 * endpoint, reports its metrics when the session configures Flink's Prometheus reporter, and
 * keeps its record fresh until it ends. The returned stop function takes the failure's message
 * when the job failed (kept in its record). `TSSTREAM_LOG_FILE` names the log of a job the shell
 * started in the background.
 */
export async function superviseJob(job: Job, savepointDir?: string, registry = new JobRegistry(), log?: (level: 'warn', m: string) => void): Promise<(failure?: string) => Promise<void>> {
  const monitor = monitorJob(job);
  monitor.savepointDir = savepointDir;
  if (!monitor.token) {
    monitor.token = await registry.createToken(job.id);
    monitor.tokenFile = registry.tokenFile(job.id);
  }
  // prom-client is imported only when the session names a metrics reporter.
  const reporter = job.opts.config.has('metrics.reporter.prom.factory.class') ? import('../observe/prometheus.js').then((m) => m.startPrometheusReporter(job.opts.config)) : undefined;
  reporter?.catch((e: Error) => log?.('warn', `Metrics are not reported: ${e.message}`));
  const server = await startWebServer(job.opts.config, registry, log);
  const extra: Pick<JobRecord, 'failure' | 'logFile' | 'controlHost' | 'dashboard' | 'restarts'> = { logFile: process.env.TSSTREAM_LOG_FILE || undefined, controlHost: server.controlHost, dashboard: `${server.url}/jobs/${job.id}` };
  const update = () => registry.write(JobRegistry.record(job, server.port, savepointDir, { ...extra, restarts: monitor.restarts })).catch(() => {});
  await update();
  void job.opened.then(update);
  const timer = setInterval(update, 1000);
  timer.unref();
  return async (failure?: string) => {
    clearInterval(timer);
    if (failure !== undefined) extra.failure = failure;
    if (job.status === 'FAILED') monitor.recordFailure(job.failure);
    await update();
  };
}

/** A local directory given as a path or a `file:` URI (`file:/a`, `file:///a`), made absolute; `s3://…` as given. */
export function storageDir(location: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('file:')) return location;
  if (location.startsWith('file://')) return fileURLToPath(location);
  if (location.startsWith('file:')) return path.resolve(location.slice('file:'.length));
  return path.resolve(location);
}

/** A savepoint location as Flink prints it: `file:/absolute/path` for a local one, `s3://…` as it is. */
export function savepointUri(location: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('file:')) return location;
  return `file:${storageDir(location)}`;
}
