// Helpers for the observability tests: a real Prometheus server scraping a job's /metrics, and
// promtool checking the exposition text.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onFreePorts, portClashLine, PortClashError } from '../peers/process.js';
import { sleep } from '../e2e/helpers.js';

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface PrometheusServer {
  url: string;
  /** An instant query through Prometheus' HTTP API. */
  query(q: string): Promise<PromSample[]>;
  stop(): Promise<void>;
}

/** Starts Debian's `prometheus` scraping 127.0.0.1:<target> every second. */
export async function startPrometheus(target: number): Promise<PrometheusServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-prom-'));
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n  - job_name: tsstream\n    static_configs:\n      - targets: ['127.0.0.1:${target}']\n`,
  );
  // Its port is bound once it has started: when another process took it meanwhile ("bind: address
  // already in use"), it is started again on another one.
  const { child, url } = await onFreePorts(1, async ([port]) => {
    const child: ChildProcess = spawn(
      'prometheus',
      [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    const closed = new Promise((r) => child.once('close', r));
    const url = `http://127.0.0.1:${port}`;
    const end = Date.now() + 30_000;
    for (;;) {
      // Exited first (not answered by another server that holds the port).
      if (child.exitCode !== null || child.signalCode !== null) {
        await closed;
        const clash = portClashLine(log);
        if (clash) throw new PortClashError(`prometheus exited before serving: a port it was given was taken by another process before it bound it (port clash): ${clash.trim()}`);
        throw new Error(`prometheus exited before serving: ${log}`);
      }
      try {
        if ((await fetch(`${url}/-/ready`)).ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > end) {
        child.kill('SIGKILL');
        throw new Error(`prometheus did not start within 30 s: ${log}`);
      }
      await sleep(200);
    }
    return { child, url };
  }).catch((e) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  return {
    url,
    async query(q) {
      const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = (await r.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (body.status !== 'success') throw new Error(`query ${q}: ${body.error}`);
      return body.data.result.map((x) => ({ metric: x.metric, value: Number(x.value[1]) }));
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `promtool check metrics` on an exposition: the exit code and what it printed. Exit 3 means
 * parsed but with lint remarks (Flink's camelCase names are one).
 */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
