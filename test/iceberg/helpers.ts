import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RuntimeContext } from '../../src/common/connector.js';
import { Session, collectQuery } from '../../src/cli/session.js';
import { cellText } from '../../src/cli/tableau.js';
import { formatType } from '../../src/common/types.js';

export async function tempDir(prefix = 'tsstream-iceberg-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export function runtimeContext(jobId = 'job-1', logs: string[] = []): RuntimeContext {
  return {
    jobId,
    jobName: 'test',
    config: new Map(),
    signal: new AbortController().signal,
    log: (level, message) => logs.push(`${level}: ${message}`),
    metric: () => undefined,
  };
}

/**
 * icebird fetches by URL; this serves plain local paths (and file: URLs) from disk, with HEAD
 * and Range support, so that it reads tables exactly as written.
 */
export async function withLocalFetch<T>(fn: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith('/') && !url.startsWith('file:')) return original(input, init);
    const p = url.startsWith('file:') ? new URL(url).pathname : url;
    let data: Buffer;
    try {
      data = await fs.readFile(decodeURIComponent(p));
    } catch {
      return new Response('not found', { status: 404 });
    }
    if (init?.method === 'HEAD') return new Response(null, { status: 200, headers: { 'content-length': String(data.length) } });
    const range = new Headers(init?.headers).get('Range');
    if (range) {
      const m = /bytes=(\d+)-(\d*)/.exec(range)!;
      const start = Number(m[1]);
      const end = m[2] ? Number(m[2]) : data.length - 1;
      return new Response(data.subarray(start, end + 1), { status: 206 });
    }
    return new Response(data, { status: 200, headers: { 'content-length': String(data.length) } });
  }) as typeof fetch;
  try {
    return await fn();
  } finally {
    globalThis.fetch = original;
  }
}

/** Runs `fn` with a fresh session, closed after. */
export async function session<T>(fn: (s: Session) => Promise<T>): Promise<T> {
  const s = new Session({ log: () => {} });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** Runs statements, jobs to completion. */
export async function exec(s: Session, sql: string): Promise<void> {
  for (const r of await s.executeAll(sql)) if (r.kind === 'job') await r.job.run();
}

/** The last statement's result: column types and names, rows as sorted comma-joined cell text. */
export async function select(s: Session, sql: string): Promise<{ types: string[]; names: string[]; rows: string[] }> {
  const res = await s.executeAll(sql);
  const q = res[res.length - 1];
  if (q.kind !== 'query') throw new Error(`not a query: ${q.kind}`);
  const rows = cellText(await collectQuery(q), q.columns).map((r) => r.join(','));
  return { types: q.columns.map((c) => formatType(c.type)), names: q.columns.map((c) => c.name), rows: rows.sort() };
}
