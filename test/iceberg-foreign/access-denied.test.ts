// Access denied, from a real store that enforces IAM: a moto server of its own started with
// INITIAL_NO_AUTH_ACTION_COUNT=0, so every request needs a known access key, a valid signature and
// an IAM policy allowing the action. Its users (made with boto3 in moto's setup window): `writer`
// (s3:* on the bucket), `readonly` (GetObject and ListBucket) and `nobody` (no policy at all).
// The errors name the real cause and the object, without a stack trace or the secret.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { AccessDeniedError } from '../../src/io/fileio.js';
import { S3FileIO } from '../../src/io/s3.js';
import { REPO_ROOT } from '../peers/peer.js';
import { requirePeers } from '../peers/index.js';
import { motoIamSetup, s3Options, startMoto, type MotoServer } from '../peers/moto.js';

const ready = requirePeers('moto');
const STACK = /^\s+at .+\(.+:\d+:\d+\)$/m;

let moto: MotoServer | undefined;
let keys: Record<string, { accessKeyId: string; secretAccessKey: string }>;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsstream-denied-'));

beforeAll(async () => {
  if (!ready) return;
  moto = await startMoto({ INITIAL_NO_AUTH_ACTION_COUNT: '0' });
  const lake = ['arn:aws:s3:::lake', 'arn:aws:s3:::lake/*'];
  keys = await motoIamSetup(moto, {
    buckets: ['lake'],
    users: [
      { name: 'writer', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: lake }] } },
      { name: 'readonly', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: lake }] } },
      { name: 'nobody' },
    ],
  });
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const as = (user: string) => ({ ...s3Options(moto!), 's3.access-key-id': keys[user].accessKeyId, 's3.secret-access-key': keys[user].secretAccessKey, 's3.max-attempts': '1' });
const catalogSql = (user: string) =>
  `CREATE CATALOG lake WITH ('type' = 'iceberg', 'warehouse' = 's3://lake/wh', ${Object.entries(as(user))
    .map(([k, v]) => `'${k}' = '${v}'`)
    .join(', ')});`;

async function run(sql: string): Promise<unknown[][]> {
  const s = new Session({ log: () => {} });
  try {
    let last: unknown[][] = [];
    for (const r of await s.executeAll(sql)) {
      if (r.kind === 'job') await r.job.run();
      if (r.kind === 'query') last = await collectQuery(r);
    }
    return last;
  } finally {
    await s.close();
  }
}

it.skipIf(!ready)('moto checks every request: an unknown access key and a wrong secret are named as such', async () => {
  const unknown = new S3FileIO({ ...s3Options(moto!), 's3.max-attempts': '1' }); // moto's default 'testing' key: not an IAM key here
  const wrongSecret = new S3FileIO({ ...as('writer'), 's3.secret-access-key': 'not-the-secret-xyz' });
  try {
    await expect(unknown.list('s3://lake/wh')).rejects.toThrow(/^Access denied to s3:\/\/lake\/wh: the access key id is not known to the store \(check 's3\.access-key-id'\)$/);
    const err = (await wrongSecret.read('s3://lake/wh/x').catch((e: Error) => e)) as Error;
    expect(err).toBeInstanceOf(AccessDeniedError);
    expect(err.message).toBe("Access denied to s3://lake/wh/x: the secret key does not match the access key id (check 's3.secret-access-key')");
  } finally {
    await unknown.close();
    await wrongSecret.close();
  }
}, 60_000);

it.skipIf(!ready)('a user without a policy: the CLI fails naming the object it was denied, no stack trace, no secret', async () => {
  await run(`${catalogSql('writer')}
    CREATE DATABASE lake.db;
    CREATE TABLE lake.db.t (id BIGINT, s STRING);
    INSERT INTO lake.db.t VALUES (1, 'one'), (2, 'two');`);
  expect((await run(`${catalogSql('writer')} SET 'execution.runtime-mode' = 'batch'; SELECT id, s FROM lake.db.t;`)).map((r) => `${r[0]}:${r[1]}`).sort()).toEqual(['1:one', '2:two']);

  const io = new S3FileIO(as('writer'));
  const metadata = (await io.list('s3://lake/wh/db/t/metadata')).map((e) => e.location).filter((l) => l.endsWith('.metadata.json')).sort().pop()!;
  await io.close();
  // Without a policy the catalog cannot even be opened (its warehouse can be neither made nor listed).
  await expect(run(`${catalogSql('nobody')} SHOW DATABASES;`)).rejects.toThrow(
    /^Access denied to s3:\/\/lake\/wh: the store refused to create the folder \(AccessDenied; check the credentials and their permissions\)$/,
  );
  // The table by its metadata file, from the CLI: the job fails with the object's name.
  const job = path.join(tmp, 'nobody.sql');
  const opts = Object.entries(as('nobody')).map(([k, v]) => `'${k}' = '${v}'`).join(', ');
  writeFileSync(job, `CREATE TABLE t (id BIGINT, s STRING) WITH ('connector' = 'iceberg', 'metadata-location' = '${metadata}', ${opts});\nSELECT id, s FROM t;\n`);
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/tsstream.js'), 'run', job], { cwd: tmp, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TSSTREAM_HOME: path.join(tmp, 'home') } });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`Access denied to ${metadata}: the store refused to read it (AccessDenied; check the credentials and their permissions)`);
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr + r.stdout).not.toContain(keys.nobody.secretAccessKey);
}, 120_000);

it.skipIf(!ready)('a read-only policy: the table reads, the INSERT fails naming the data file it could not write', async () => {
  expect((await run(`${catalogSql('readonly')} SET 'execution.runtime-mode' = 'batch'; SELECT id FROM lake.db.t;`)).map((r) => Number(r[0])).sort()).toEqual([1, 2]);
  const err = (await run(`${catalogSql('readonly')} INSERT INTO lake.db.t VALUES (3, 'three');`).catch((e: Error) => e)) as Error;
  expect(err.message).toMatch(/Access denied to s3:\/\/lake\/wh\/db\/t\/data\/\S+\.parquet: the store refused to write it \(AccessDenied; check the credentials and their permissions\)/);
  expect(err.message).not.toContain(keys.readonly.secretAccessKey);
  // Nothing was committed: the writer still reads two rows.
  expect((await run(`${catalogSql('writer')} SET 'execution.runtime-mode' = 'batch'; SELECT id FROM lake.db.t;`)).length).toBe(2);
}, 120_000);
