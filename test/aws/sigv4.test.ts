// REST catalogs behind AWS SigV4 ('rest.sigv4-enabled'): Iceberg's REST server behind a relay
// that checks every request's signature with the AWS SDK's signer and refuses a wrong one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { hasPeer, peer, skipReason } from '../peers/index.js';
import type { IcebergRestEndpoint } from '../peers/iceberg-rest.js';
import { startSigV4Relay, type SigV4Relay } from './sigv4-proxy.js';

const ready = hasPeer('iceberg-rest');
const KEY = { accessKeyId: 'AKIDSIGV4TEST', secretAccessKey: 'sigv4-secret-value-123', region: 'eu-west-1', service: 'glue' };
let relay: SigV4Relay;

async function run(sql: string): Promise<unknown[][] | undefined> {
  const session = new Session({ log: () => {} });
  try {
    let rows: unknown[][] | undefined;
    for (const r of await session.executeAll(sql)) {
      if (r.kind === 'job') await r.job.run();
      if (r.kind === 'query') rows = await collectQuery(r);
      if (r.kind === 'table') rows = r.rows;
    }
    return rows;
  } finally {
    await session.close();
  }
}

function catalog(name: string, extra: Record<string, string>): string {
  const opts: Record<string, string> = {
    type: 'iceberg',
    'catalog-type': 'rest',
    uri: relay.uri,
    'rest.sigv4-enabled': 'true',
    'rest.signing-name': 'glue',
    'rest.signing-region': 'eu-west-1',
    ...extra,
  };
  return `CREATE CATALOG ${name} WITH (${Object.entries(opts)
    .map(([k, v]) => `'${k}' = '${v}'`)
    .join(', ')});`;
}

describe.skipIf(!ready)(`REST catalog with SigV4 (${skipReason('iceberg-rest') ?? 'iceberg-rest running'})`, () => {
  beforeAll(async () => {
    relay = await startSigV4Relay(peer<IcebergRestEndpoint>('iceberg-rest').uri, KEY);
  });
  afterAll(async () => {
    await relay?.close();
  });

  it('signs every request; creates, writes and reads a table through the checking relay', async () => {
    const cat = catalog('signed', { 'rest.access-key-id': KEY.accessKeyId, 'rest.secret-access-key': KEY.secretAccessKey });
    const rows = await run(`${cat}
      CREATE DATABASE IF NOT EXISTS signed.sig_db;
      CREATE TABLE signed.sig_db.t (id BIGINT, name STRING);
      INSERT INTO signed.sig_db.t VALUES (1, 'one'), (2, 'two');
      SET 'execution.runtime-mode' = 'batch';
      SELECT id, name FROM signed.sig_db.t ORDER BY id;`);
    expect(rows).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    expect(relay.refused).toEqual([]);
    expect(relay.accepted).toBeGreaterThan(5);
  }, 60_000);

  it('takes the credentials from the AWS default chain (environment) when the options have none', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = KEY.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = KEY.secretAccessKey;
    try {
      const rows = await run(`${catalog('chain', {})} USE CATALOG chain; SHOW DATABASES;`);
      expect(rows).toContainEqual(['sig_db']);
      expect(relay.refused).toEqual([]);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  }, 60_000);

  it('a wrong secret gets a clear error that names SigV4 and never shows the secret', async () => {
    const before = relay.refused.length;
    const err = await run(`${catalog('wrong', { 'rest.access-key-id': KEY.accessKeyId, 'rest.secret-access-key': 'not-the-secret-999' })} USE CATALOG wrong; SHOW DATABASES;`).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(/HTTP 403/);
    expect(err!.message).toMatch(/signed with SigV4 for service 'glue' in region 'eu-west-1': check the AWS credentials/);
    expect(err!.message).not.toContain('not-the-secret-999');
    expect(err!.stack ?? '').not.toContain('not-the-secret-999');
    expect(relay.refused.length).toBeGreaterThan(before);
    expect(relay.refused.at(-1)).toMatch(/signature does not match/);
  }, 60_000);

  it('an unsigned request is refused by the relay (the check is real)', async () => {
    const res = await fetch(`${relay.uri}/v1/config`);
    expect(res.status).toBe(403);
  });
});
