// The AWS seed pipeline end to end on moto (Kinesis, Glue and S3 on one port): JSON events put
// on a 2-shard Kinesis stream as `aws kinesis put-record` does (partition key = user id) while
// `tsstream run queries/aws/kinesis-to-glue.sql` runs as a child process and is killed with
// SIGKILL and restarted from its checkpoints on S3; the Glue-registered Iceberg table then holds
// every one-minute count exactly once. queries/aws/maintenance.sql (OPTIMIZE … BIN_PACK, VACUUM)
// leaves the same rows in fewer files. The job files are used as written; the child gets moto
// through the AWS environment (AWS_ENDPOINT_URL, keys, region), and only the checkpoint interval
// is shortened (10 s → 300 ms) so that the test takes seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateStreamCommand, KinesisClient, ListShardsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Session, collectQuery } from '../../src/cli/session.js';
import { formatTimestamp } from '../../src/common/time.js';
import { hasPeer, peer, skipReason } from '../peers/index.js';
import type { MotoEndpoint } from '../peers/moto.js';
import { listKeys, s3Client } from '../peers/s3-util.js';
import { BIN, ROOT, sleep, until } from '../e2e/helpers.js';
import { glueCatalogOptions, pyGlueProps, pyReadGlue, withClause } from './helpers.js';

const BUCKET = 'tsstream-aws-demo';
const STREAM = 'tsstream-events';
const JOB = path.join(ROOT, 'queries/aws/kinesis-to-glue.sql');
const MAINTENANCE = path.join(ROOT, 'queries/aws/maintenance.sql');
const TYPES = ['click', 'view', 'purchase'];
const BASE = Date.UTC(2025, 11, 29, 10, 0, 0);

let moto: MotoEndpoint;
let kinesis: KinesisClient;
let dir: string;
const children: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  output: () => string;
  started: Promise<void>;
  exited: Promise<number | null>;
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AWS_PROFILE;
  return {
    ...env,
    AWS_ENDPOINT_URL: moto.s3Endpoint,
    AWS_REGION: moto.region,
    AWS_ACCESS_KEY_ID: moto.accessKeyId,
    AWS_SECRET_ACCESS_KEY: moto.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

function cli(file: string): Run {
  const child = spawn(process.execPath, [BIN, 'run', file], { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let started!: () => void;
  const startedP = new Promise<void>((r) => (started = r));
  const onData = (d: Buffer) => {
    out += d.toString();
    if (/Job ID: [0-9a-f]{32}/.test(out)) started();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, started: startedP, exited };
}

async function query(sql: string): Promise<unknown[][]> {
  const session = new Session({ log: () => {} });
  try {
    const res = await session.executeAll(`CREATE CATALOG glue WITH (${withClause(glueCatalogOptions(moto, `s3://${BUCKET}/warehouse`))}); ${sql}`);
    const last = res[res.length - 1];
    if (last.kind === 'query') return collectQuery(last);
    if (last.kind === 'table') return last.rows;
    return [];
  } finally {
    await session.close();
  }
}

/** The table's rows as 'HH:MM type count', sorted; `whileRunning`: a table not there yet reads as empty. */
const counts = async (whileRunning = false) =>
  (
    await query(`SET 'execution.runtime-mode' = 'batch'; SELECT window_start, event_type, event_count FROM glue.demo.event_counts;`).catch((e: Error) => {
      if (whileRunning) return [] as unknown[][];
      throw e;
    })
  )
    .map((r) => `${formatTimestamp(r[0] as number, 0).slice(11, 16)} ${r[1]} ${r[2]}`)
    .sort();

const dataFiles = async () => (await listKeys(moto, BUCKET, 'warehouse/demo.db/event_counts/data/')).filter((k) => k.endsWith('.parquet'));

describe.skipIf(!hasPeer('moto'))(`the AWS pipeline on moto: Kinesis → tsstream → Glue + S3 (${skipReason('moto') ?? 'moto running'})`, () => {
  beforeAll(async () => {
    moto = peer<MotoEndpoint>('moto');
    dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-aws-'));
    const s3 = s3Client(moto);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    s3.destroy();
    kinesis = new KinesisClient({
      endpoint: moto.s3Endpoint,
      region: moto.region,
      credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
      requestHandler: new NodeHttpHandler(),
    });
    await kinesis.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 2 }));
  }, 60_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    kinesis?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('puts events, survives SIGKILLs with checkpoints on S3, commits every count exactly once; OPTIMIZE and VACUUM keep the rows in fewer files', async () => {
    const text = readFileSync(JOB, 'utf8');
    const interval = "SET 'execution.checkpointing.interval' = '10s';";
    expect(text).toContain(interval);
    const job = path.join(dir, 'kinesis-to-glue.sql');
    writeFileSync(job, text.replace(interval, "SET 'execution.checkpointing.interval' = '300ms';"));

    // `aws kinesis put-record --stream-name tsstream-events --partition-key <user> --data <json>`, one event per second of event time.
    const expected = new Map<string, number>();
    const TOTAL = 360;
    let produced = 0;
    const producing = (async () => {
      for (; produced < TOTAL; produced++) {
        const t = BASE + produced * 1000;
        const type = TYPES[(produced * 7) % 3];
        const event = { event_id: `e${produced}`, user_id: `u${produced % 13}`, event_type: type, event_time: new Date(t).toISOString().slice(0, 19) };
        await kinesis.send(new PutRecordCommand({ StreamName: STREAM, PartitionKey: event.user_id, Data: new TextEncoder().encode(JSON.stringify(event)) }));
        const w = new Date(t - (t % 60000)).toISOString().slice(11, 16);
        expected.set(`${w} ${type}`, (expected.get(`${w} ${type}`) ?? 0) + 1);
        if (produced % 4 === 0) await sleep(10);
      }
    })();
    producing.catch(() => {});

    const resumes: string[] = [];
    let lastCheckpoint = -1;
    for (let k = 0; k < 3; k++) {
      const run = cli(job);
      await Promise.race([run.started, run.exited.then(() => Promise.reject(new Error(`the job ended before it started:\n${run.output()}`)))]);
      // Let it complete a checkpoint (on S3) past the one it resumed from, then kill it at a random moment.
      const seen = lastCheckpoint;
      lastCheckpoint = await until(
        async () => {
          const ids = (await listKeys(moto, BUCKET, 'checkpoints/')).map((k) => /\/chk-(\d+)\/_metadata$/.exec(k)).filter((x) => x !== null).map((x) => Number(x[1]));
          const top = Math.max(-1, ...ids);
          return top > seen ? top : undefined;
        },
        60_000,
        'a new checkpoint on S3',
      );
      await sleep(200 + Math.floor(Math.random() * 600));
      if (run.child.exitCode !== null) throw new Error(`the job ended by itself:\n${run.output()}`);
      run.child.kill('SIGKILL');
      await run.exited;
      const m = /Resuming job 'aws-event-counts' from checkpoint (\d+) in (\S+)/.exec(run.output());
      if (m) resumes.push(`${m[1]} ${m[2]}`);
    }
    await producing;
    // Resumed from checkpoints kept on S3.
    expect(resumes.length).toBeGreaterThanOrEqual(2);
    for (const r of resumes) expect(r).toMatch(new RegExp(`^\\d+ s3://${BUCKET}/checkpoints/`));
    expect((await listKeys(moto, BUCKET, 'checkpoints/')).some((k) => k.endsWith('/_metadata'))).toBe(true);

    // A sentinel far ahead on each shard moves every shard's watermark past the last window.
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: STREAM }))).Shards ?? [];
    expect(shards).toHaveLength(2);
    for (const s of shards) {
      const event = { event_id: `s-${s.ShardId}`, user_id: 'sentinel', event_type: 'sentinel', event_time: new Date(BASE + 86_400_000).toISOString().slice(0, 19) };
      await kinesis.send(
        new PutRecordCommand({ StreamName: STREAM, PartitionKey: 'sentinel', ExplicitHashKey: s.HashKeyRange!.StartingHashKey, Data: new TextEncoder().encode(JSON.stringify(event)) }),
      );
    }
    const last = cli(job);
    const want = [...expected.entries()].map(([k, n]) => `${k} ${n}`).sort();
    const got = await until(
      async () => {
        const rows = await counts(true);
        return rows.length >= want.length ? rows : undefined;
      },
      90_000,
      'every window in the Glue table',
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${last.output()}`);
    });
    last.child.kill('SIGTERM');
    await last.exited;
    expect(new Set(got.map((r) => r.split(' ').slice(0, 2).join(' '))).size).toBe(got.length); // no window twice
    expect(got).toEqual(want); // no loss, no double count

    // Maintenance: the many small files of the per-checkpoint commits become one.
    const before = await dataFiles();
    expect(before.length).toBeGreaterThan(1);
    await query(`ALTER TABLE glue.demo.event_counts SET ('history.expire.max-snapshot-age-ms' = '0');`);
    const maint = cli(MAINTENANCE);
    const code = await maint.exited;
    expect(code, maint.output()).toBe(0);
    const after = await dataFiles();
    expect(after.length).toBeLessThan(before.length);
    expect(after).toHaveLength(1);
    expect(await counts()).toEqual(want);
    if (hasPeer('pyiceberg')) {
      // Iceberg's Python GlueCatalog sees the same rows in the compacted table.
      const py = await pyReadGlue(pyGlueProps(moto, `s3://${BUCKET}/warehouse`), 'demo.event_counts');
      expect(py.rows.map((r) => `${String(r[0]).slice(11, 16)} ${r[2]} ${r[3]}`).sort()).toEqual(want);
      expect(py.filesScanned).toBe(1);
    }
  }, 240_000);
});
