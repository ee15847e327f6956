// Helpers for end-to-end tests: the CLI as a child process, and reading Iceberg tables back.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, collectQuery } from '../../src/cli/session.js';
import { formatTimestamp } from '../../src/common/time.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll } from 'vitest';
import { peer, requirePeers } from '../peers/index.js';
import type { KafkaEndpoint } from '../peers/kafka.js';
import { kafkaTestClient, type KafkaTestClient } from '../peers/kafka-client.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/tsstream.js');
const execFileP = promisify(execFile);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(f: () => Promise<T | undefined> | T | undefined, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

export interface RunningCli {
  child: ChildProcess;
  output: () => string;
  jobId: Promise<string>;
  exited: Promise<number | null>;
}

/** Starts `tsstream run FILE` as a child process. */
export function startRun(file: string, env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, 'run', file], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let resolveId!: (id: string) => void;
  const jobId = new Promise<string>((r) => (resolveId = r));
  const onData = (d: Buffer) => {
    out += d.toString();
    const m = /Job ID: ([0-9a-f]{32})/.exec(out);
    if (m) resolveId(m[1]);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, jobId, exited };
}

/** Runs a `tsstream` command to completion; returns stdout (throws with stderr on failure). */
export async function tsstream(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await execFileP(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 });
  return r.stdout;
}

/** Reads an Iceberg table of a hadoop warehouse in batch mode; timestamps as text. */
export async function readIceberg(warehouse: string, table: string, orderBy = ''): Promise<string[][]> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(`
      CREATE CATALOG c WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${warehouse}');
      SET 'execution.runtime-mode' = 'batch';
      SELECT * FROM c.${table}${orderBy ? ` ORDER BY ${orderBy}` : ''};`);
    const q = res[res.length - 1];
    if (q.kind !== 'query') throw new Error('not a query');
    const rows = await collectQuery(q);
    return rows.map((r) => r.map((v, i) => (q.columns[i].type.kind === 'TIMESTAMP' ? formatTimestamp(v as number, 0).slice(11, 16) : String(v))));
  } finally {
    await session.close();
  }
}

export interface KillLoopOptions {
  /** The job file run again after every kill. */
  file: string;
  /** The job's pipeline.name (as in the "Resuming job '…'" log line). */
  pipeline: string;
  kills: number;
  /** Every run started is kept here, so that the test's afterAll can kill what is left. */
  running: RunningCli[];
  /** How long a run lives before its SIGKILL (ms). */
  waitMs: () => number;
  /** Before the wait starts (e.g. wait for a checkpoint of this run, or take the broker away); returns a note for the log. */
  beforeWait?: (run: RunningCli, kill: number) => Promise<string | void>;
  /** Progress of the test's producer, added to each kill's line. */
  progress?: () => string;
}

/**
 * Starts the job, kills it with SIGKILL at a random moment, and again, `kills` times; fails when a
 * run ends by itself. Returns one line per kill saying whether that run had resumed from a
 * checkpoint ("had resumed from checkpoint N").
 */
export async function killAgainAndAgain(o: KillLoopOptions): Promise<string[]> {
  const lines: string[] = [];
  const resumed = new RegExp(`Resuming job '${o.pipeline}' from checkpoint (\\d+)`);
  for (let k = 1; k <= o.kills; k++) {
    const run = startRun(o.file);
    o.running.push(run);
    await run.jobId;
    const note = await o.beforeWait?.(run, k);
    const wait = o.waitMs();
    const early = await Promise.race([run.exited.then(() => true), sleep(wait).then(() => false)]);
    if (early) throw new Error(`the job ended by itself before kill #${k}:\n${run.output()}`);
    run.child.kill('SIGKILL');
    await run.exited;
    const m = resumed.exec(run.output());
    lines.push(`kill #${k} ${wait} ms after start${note ? ` (${note})` : ''}${m ? `, had resumed from checkpoint ${m[1]}` : ''}${o.progress ? `, ${o.progress()}` : ''}`);
  }
  return lines;
}

/** The upserted view of a topic read from its start: the last value per key, a tombstone deleting it. */
export async function upsertedView(client: KafkaTestClient, topic: string): Promise<Map<string, string>> {
  const view = new Map<string, string>();
  for (const m of await client.records(topic, 0)) {
    const k = m.key!.toString();
    if (m.value === null) view.delete(k);
    else view.set(k, m.value.toString());
  }
  return view;
}

/** What kafkaE2e sets up for a test file: filled in by its beforeAll. */
export interface KafkaE2e {
  ready: boolean;
  kafka: KafkaEndpoint;
  client: KafkaTestClient;
  /** A temporary folder of the file's own, removed after. */
  dir: string;
  /** Every CLI run started; the ones still alive are killed after the file. */
  running: RunningCli[];
}

/**
 * The shared broker for an end-to-end test file: requires the kafka peer, creates the file's
 * topics (`partitions` each) and a temporary folder before its tests, and afterwards kills the
 * runs left, closes the client and removes the folder.
 */
export function kafkaE2e(dirPrefix: string, topics: readonly string[], partitions = 1): KafkaE2e {
  const e2e = { ready: requirePeers('kafka'), running: [] as RunningCli[] } as KafkaE2e;
  beforeAll(async () => {
    if (!e2e.ready) return;
    e2e.kafka = peer<KafkaEndpoint>('kafka');
    e2e.client = kafkaTestClient(e2e.kafka.bootstrap);
    for (const t of topics) await e2e.client.createTopic(t, partitions);
    e2e.dir = mkdtempSync(path.join(os.tmpdir(), dirPrefix));
  });
  afterAll(async () => {
    if (!e2e.ready) return;
    for (const r of e2e.running) r.child.kill('SIGKILL');
    await e2e.client?.close();
    if (e2e.dir) rmSync(e2e.dir, { recursive: true, force: true });
  });
  return e2e;
}
