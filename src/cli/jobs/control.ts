// The control endpoint of a running job: HTTP on 127.0.0.1 only, every request authorized by
// the job's token (Authorization: Bearer …). Savepoint, stop-with-savepoint, cancel, status.
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Job } from '../../runtime/job.js';
import { JobRegistry, type JobRecord } from './registry.js';

export interface ControlServer {
  port: number;
  close(): Promise<void>;
}

function authorized(req: http.IncomingMessage, token: string): boolean {
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

export function startControlServer(job: Job, token: string, defaultSavepointDir?: string): Promise<ControlServer> {
  const server = http.createServer(async (req, res) => {
    const send = (code: number, obj: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    if (!authorized(req, token)) return send(401, { error: 'missing or wrong token' });
    try {
      const b = req.method === 'POST' ? await body(req) : {};
      const dir = (b.dir as string | undefined) ?? defaultSavepointDir;
      switch (`${req.method} ${req.url}`) {
        case 'GET /v1/job':
          return send(200, JobRegistry.record(job, 0));
        case 'POST /v1/savepoint':
          if (!dir) return send(400, { error: "no savepoint directory given and 'state.savepoints.dir' is not set" });
          return send(200, { path: await job.triggerSavepoint(dir) });
        case 'POST /v1/stop':
          if (!dir) return send(400, { error: "no savepoint directory given and 'state.savepoints.dir' is not set" });
          return send(200, { path: await job.stopWithSavepoint(dir, b.drain === true) });
        case 'POST /v1/cancel':
          job.cancel();
          return send(200, { status: 'CANCELED' });
        default:
          return send(404, { error: `unknown request ${req.method} ${req.url}` });
      }
    } catch (e) {
      return send(500, { error: (e as Error).message });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address() as { port: number };
      server.unref();
      resolve({ port: addr.port, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

/** Sends a control request to a job's endpoint with its token. */
export async function controlRequest(registry: JobRegistry, rec: JobRecord, method: 'GET' | 'POST', route: string, payload?: unknown, timeoutMs = 120_000): Promise<Record<string, unknown>> {
  const token = await registry.readToken(rec.id);
  return new Promise((resolve, reject) => {
    const data = payload === undefined ? undefined : JSON.stringify(payload);
    const req = http.request(
      { host: '127.0.0.1', port: rec.port, method, path: route, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, timeout: timeoutMs },
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
    req.on('error', (e) => reject(new Error(`Cannot reach job ${rec.id} on 127.0.0.1:${rec.port}: ${e.message}`)));
    if (data) req.write(data);
    req.end();
  });
}

/**
 * Registers a job, serves its control endpoint and keeps its record fresh until it ends. The
 * returned stop function takes the failure's message when the job failed (kept in its record).
 * `TSSTREAM_LOG_FILE` names the log of a job the shell started in the background.
 */
export async function superviseJob(job: Job, savepointDir?: string, registry = new JobRegistry()): Promise<(failure?: string) => Promise<void>> {
  const token = await registry.createToken(job.id);
  const server = await startControlServer(job, token, savepointDir);
  const extra: { failure?: string; logFile?: string } = { logFile: process.env.TSSTREAM_LOG_FILE || undefined };
  const update = () => registry.write(JobRegistry.record(job, server.port, savepointDir, extra)).catch(() => {});
  await update();
  void job.opened.then(update);
  const timer = setInterval(update, 1000);
  timer.unref();
  return async (failure?: string) => {
    clearInterval(timer);
    if (failure !== undefined) extra.failure = failure;
    await update();
    await server.close();
  };
}
