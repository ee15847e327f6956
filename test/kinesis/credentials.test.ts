// The credentials providers of the Kinesis connector (Flink's aws.credentials.provider PROFILE,
// ASSUME_ROLE, WEB_IDENTITY_TOKEN) against real servers on 127.0.0.1: kinesalite holds the stream,
// moto's STS issues the role credentials. Two recording relays show what went over the wire: the
// one in front of kinesalite records the access key id and session token that signed each Kinesis
// request; the one in front of moto records each STS request (action, parameters, signer). moto's
// GetCallerIdentity then says which role session the Kinesis requests were signed as.
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { DynamicSource, SourceBatch, TableDescriptor } from '../../src/common/connector.js';
import { ConnectorError, ValidationError } from '../../src/common/errors.js';
import { T, type Row } from '../../src/common/types.js';
import { kinesisFactory } from '../../src/connectors/kinesis/index.js';
import { hasPeer, peer } from '../peers/index.js';
import type { MotoEndpoint } from '../peers/moto.js';
import { freePort } from '../peers/process.js';
import { testContext } from '../kafka/helpers.js';

interface Seen {
  accessKeyId: string;
  sessionToken?: string;
  body: string;
  target?: string;
}

/** A pass-through HTTP relay that records who signed each request and what it asked. */
async function recordingRelay(target: string): Promise<{ uri: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const auth = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''));
      seen.push({ accessKeyId: auth?.[1] ?? '', sessionToken: req.headers['x-amz-security-token'] as string | undefined, body: body.toString('utf8'), target: req.headers['x-amz-target'] as string | undefined });
      const url = new URL(target);
      const up = http.request({ host: url.hostname, port: url.port, path: req.url, method: req.method, headers: { ...req.headers, host: url.host } }, (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      });
      up.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fields = [
  { name: 'id', type: T.int() },
  { name: 'k', type: T.string() },
];

let kinesalite: Server;
let kinesaliteEndpoint = '';
let kinRelay: Awaited<ReturnType<typeof recordingRelay>>;
let stream = '';
const dir = mkdtempSync(join(tmpdir(), 'kin-creds-'));

beforeAll(async () => {
  const port = await freePort();
  const create = createRequire(import.meta.url)('kinesalite') as (o: Record<string, unknown>) => Server;
  kinesalite = create({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
  await new Promise<void>((resolve) => kinesalite.listen(port, '127.0.0.1', () => resolve()));
  kinesaliteEndpoint = `http://127.0.0.1:${port}`;
  kinRelay = await recordingRelay(kinesaliteEndpoint);
  const client = new KinesisClient({ region: 'us-east-1', endpoint: kinesaliteEndpoint, credentials: { accessKeyId: 'setup', secretAccessKey: 'setup' }, requestHandler: new NodeHttpHandler() });
  stream = `creds-${process.pid}`;
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
  while ((await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }))).StreamDescriptionSummary?.StreamStatus !== 'ACTIVE') await sleep(50);
  for (let id = 0; id < 3; id++) await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: `k${id}`, Data: Buffer.from(JSON.stringify({ id, k: `k${id}` })) }));
  client.destroy();
});
afterAll(async () => {
  await kinRelay?.close();
  kinesalite?.closeAllConnections();
  await new Promise((r) => kinesalite?.close(r));
});

function table(creds: Record<string, string>): TableDescriptor {
  return {
    path: { catalog: 'c', database: 'd', table: 'kin' },
    physical: fields,
    metadata: [],
    options: { connector: 'kinesis', stream, 'aws.region': 'us-east-1', 'aws.endpoint': kinRelay.uri, 'scan.stream.initpos': 'TRIM_HORIZON', 'scan.shard.getrecords.intervalmillis': '50', format: 'json', ...creds },
    partitionKeys: [],
  };
}

/** Reads the 3 records of the stream with these credentials options; the Kinesis requests it made. */
async function readWith(creds: Record<string, string>): Promise<{ rows: Row[]; requests: Seen[] }> {
  const from = kinRelay.seen.length;
  const src: DynamicSource = kinesisFactory.createSource!(table(creds), { batch: false }, { config: new Map() });
  try {
    await src.open(testContext());
    const rows: Row[] = [];
    const end = Date.now() + 15_000;
    while (rows.length < 3 && Date.now() < end) for (const b of (await src.poll(200)) as SourceBatch[]) rows.push(...b.rows);
    return { rows: rows.sort((a, b) => (a[0] as number) - (b[0] as number)), requests: kinRelay.seen.slice(from) };
  } finally {
    await src.close();
  }
}

const expected = [0, 1, 2].map((id) => [id, `k${id}`]);
const make = (o: Record<string, string>) => kinesisFactory.createSource!(table(o), { batch: false }, { config: new Map() });

describe('kinesis credentials: PROFILE', () => {
  it('signs with the named profile of the given credentials file', async () => {
    const file = join(dir, 'credentials');
    writeFileSync(file, '[default]\naws_access_key_id = AKIDDEFAULTPROFILE\naws_secret_access_key = default-secret\n\n[tsstream-reader]\naws_access_key_id = AKIDREADERPROFILE\naws_secret_access_key = reader-secret-never-printed\n');
    const { rows, requests } = await readWith({ 'aws.credentials.provider': 'PROFILE', 'aws.credentials.profile.path': file, 'aws.credentials.profile.name': 'tsstream-reader' });
    expect(rows).toEqual(expected);
    expect(requests.length).toBeGreaterThan(0);
    expect(new Set(requests.map((r) => r.accessKeyId))).toEqual(new Set(['AKIDREADERPROFILE']));
    // Without profile.name: the 'default' profile of that file.
    const def = await readWith({ 'aws.credentials.provider': 'PROFILE', 'aws.credentials.profile.path': file });
    expect(def.rows).toEqual(expected);
    expect(new Set(def.requests.map((r) => r.accessKeyId))).toEqual(new Set(['AKIDDEFAULTPROFILE']));
  });

  it('a missing profile is an error naming it, without any key', async () => {
    const file = join(dir, 'credentials-2');
    writeFileSync(file, '[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = other-secret-never-printed\n');
    const src = make({ 'aws.credentials.provider': 'PROFILE', 'aws.credentials.profile.path': file, 'aws.credentials.profile.name': 'nope' });
    const err = await src.open(testContext()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    await src.close();
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err!.message).toMatch(/nope/);
    expect(err!.message).not.toMatch(/other-secret|AKIDOTHER/);
  });
});

describe.skipIf(!hasPeer('moto'))('kinesis credentials: STS roles on moto', () => {
  let stsRelay: Awaited<ReturnType<typeof recordingRelay>>;
  let m: MotoEndpoint;
  beforeAll(async () => {
    m = peer<MotoEndpoint>('moto');
    stsRelay = await recordingRelay(m.s3Endpoint);
  });
  afterAll(() => stsRelay?.close());

  /** The role session moto says these credentials belong to (STS GetCallerIdentity, signed with them). */
  async function callerArn(accessKeyId: string, sessionToken: string | undefined): Promise<string> {
    const url = new URL(m.s3Endpoint);
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', sha256: Sha256, credentials: { accessKeyId, secretAccessKey: 'unused-by-moto', sessionToken } });
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' }, body });
    const res = await fetch(`${m.s3Endpoint}/`, { method: 'POST', headers: signed.headers, body });
    const xml = await res.text();
    return /<Arn>([^<]+)<\/Arn>/.exec(xml)?.[1] ?? `no Arn in: ${xml}`;
  }

  it('ASSUME_ROLE: STS AssumeRole signed by role.provider, with the session name and external id; Kinesis signed as the role', async () => {
    const from = stsRelay.seen.length;
    const { rows, requests } = await readWith({
      'aws.credentials.provider': 'ASSUME_ROLE',
      'aws.credentials.role.arn': 'arn:aws:iam::123456789012:role/kinesis-reader',
      'aws.credentials.role.sessionName': 'tsstream-session',
      'aws.credentials.role.externalId': 'ext-id-never-printed',
      'aws.credentials.role.stsEndpoint': stsRelay.uri,
      'aws.credentials.role.provider': 'BASIC',
      'aws.credentials.role.provider.basic.accesskeyid': 'AKIDSOURCEUSER',
      'aws.credentials.role.provider.basic.secretkey': 'source-secret-never-printed',
    });
    expect(rows).toEqual(expected);
    const calls = stsRelay.seen.slice(from);
    expect(calls).toHaveLength(1); // cached for the life of the credentials
    const params = new URLSearchParams(calls[0].body);
    expect(params.get('Action')).toBe('AssumeRole');
    expect(params.get('RoleArn')).toBe('arn:aws:iam::123456789012:role/kinesis-reader');
    expect(params.get('RoleSessionName')).toBe('tsstream-session');
    expect(params.get('ExternalId')).toBe('ext-id-never-printed');
    expect(calls[0].accessKeyId).toBe('AKIDSOURCEUSER');
    // Every Kinesis request carried the temporary credentials STS issued, never the source user's.
    const keys = new Set(requests.map((r) => `${r.accessKeyId} ${r.sessionToken}`));
    expect(keys.size).toBe(1);
    const [key, token] = [...keys][0].split(' ');
    expect(key).not.toBe('AKIDSOURCEUSER');
    expect(token).toBeTruthy();
    expect(await callerArn(key, token)).toBe('arn:aws:sts::123456789012:assumed-role/kinesis-reader/tsstream-session');
  });

  it('WEB_IDENTITY_TOKEN: STS AssumeRoleWithWebIdentity with the token of the file; Kinesis signed as the role', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.test-oidc-token.signature');
    const from = stsRelay.seen.length;
    const { rows, requests } = await readWith({
      'aws.credentials.provider': 'WEB_IDENTITY_TOKEN',
      'aws.credentials.webIdentityToken.file': tokenFile,
      'aws.credentials.role.arn': 'arn:aws:iam::123456789012:role/web-reader',
      'aws.credentials.role.sessionName': 'pod-session',
      'aws.credentials.role.stsEndpoint': stsRelay.uri,
    });
    expect(rows).toEqual(expected);
    const calls = stsRelay.seen.slice(from);
    expect(calls).toHaveLength(1);
    const params = new URLSearchParams(calls[0].body);
    expect(params.get('Action')).toBe('AssumeRoleWithWebIdentity');
    expect(params.get('WebIdentityToken')).toBe('eyJhbGciOiJSUzI1NiJ9.test-oidc-token.signature');
    expect(params.get('RoleArn')).toBe('arn:aws:iam::123456789012:role/web-reader');
    expect(params.get('RoleSessionName')).toBe('pod-session');
    const keys = new Set(requests.map((r) => `${r.accessKeyId} ${r.sessionToken}`));
    expect(keys.size).toBe(1);
    const [key, token] = [...keys][0].split(' ');
    expect(await callerArn(key, token)).toBe('arn:aws:sts::123456789012:assumed-role/web-reader/pod-session');
  });

  it('a refused AssumeRole fails the open naming the stream, without any secret', async () => {
    // moto answers AssumeRole for any role, so STS is made to refuse by an endpoint that is not STS:
    // kinesalite answers the query request with an error.
    const src = make({
      'aws.credentials.provider': 'ASSUME_ROLE',
      'aws.credentials.role.arn': 'arn:aws:iam::123456789012:role/kinesis-reader',
      'aws.credentials.role.sessionName': 's',
      'aws.credentials.role.stsEndpoint': kinesaliteEndpoint,
      'aws.credentials.role.provider': 'BASIC',
      'aws.credentials.role.provider.basic.accesskeyid': 'AKIDSOURCEUSER',
      'aws.credentials.role.provider.basic.secretkey': 'source-secret-never-printed',
    });
    const err = await src.open(testContext()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    await src.close();
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err!.message).toContain(`Kinesis stream '${stream}'`);
    expect(err!.message).not.toMatch(/source-secret|AKIDSOURCEUSER/);
  });
});

describe('kinesis credentials options are checked at planning', () => {
  const msg = (o: Record<string, string>) => {
    try {
      make(o);
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as Error).message;
    }
    throw new Error('expected a ValidationError');
  };
  it('names the missing or misplaced option, never a value', () => {
    expect(msg({ 'aws.credentials.provider': 'ASSUME_ROLE', 'aws.credentials.role.sessionName': 's' })).toMatch(/'aws.credentials.role.arn' and 'aws.credentials.role.sessionName' are required/);
    expect(msg({ 'aws.credentials.provider': 'ASSUME_ROLE', 'aws.credentials.role.arn': 'not-an-arn', 'aws.credentials.role.sessionName': 's' })).toMatch(/invalid 'aws.credentials.role.arn'/);
    const misplaced = msg({
      'aws.credentials.provider': 'ASSUME_ROLE',
      'aws.credentials.role.arn': 'arn:aws:iam::123456789012:role/r',
      'aws.credentials.role.sessionName': 's',
      'aws.credentials.basic.accesskeyid': 'AKIDMISPLACED',
    });
    expect(misplaced).toMatch(/'aws.credentials.role.provider.basic.accesskeyid'/);
    expect(misplaced).not.toContain('AKIDMISPLACED');
    expect(msg({ 'aws.credentials.provider': 'ASSUME_ROLE', 'aws.credentials.role.arn': 'arn:aws:iam::123456789012:role/r', 'aws.credentials.role.sessionName': 's', 'aws.credentials.role.provider': 'BASIC', 'aws.credentials.role.provider.basic.accesskeyid': 'AKIDX' })).toMatch(
      /'aws.credentials.role.provider.basic.accesskeyid' and 'aws.credentials.role.provider.basic.secretkey' are required/,
    );
    expect(msg({ 'aws.credentials.provider': 'WEB_IDENTITY_TOKEN', 'aws.credentials.role.arn': 'arn:aws:iam::123456789012:role/r' })).toMatch(/needs 'aws.credentials.webIdentityToken.file'/);
    expect(msg({ 'aws.credentials.provider': 'PROFILE', 'aws.credentials.role.arn': 'arn:aws:iam::123456789012:role/r' })).toMatch(/'aws.credentials.role.arn' does not apply to aws.credentials.provider = 'PROFILE'/);
    expect(msg({ 'aws.credentials.provider': 'CUSTOM' })).toMatch(/aws\.credentials\.provider/);
    const basic = msg({ 'aws.credentials.basic.secretkey': 'secret-value-never-printed' });
    expect(basic).toMatch(/'aws.credentials.basic.secretkey' does not apply to aws.credentials.provider = 'AUTO'/);
    expect(basic).not.toContain('secret-value-never-printed');
  });
});

describe('enhanced fan-out is refused at planning', () => {
  it("'scan.stream.recordpublisher' = 'EFO' or any scan.stream.efo.* option fails the statement with a typed error", async () => {
    expect(() => make({ 'scan.stream.recordpublisher': 'EFO', 'scan.stream.efo.consumername': 'c' })).toThrow(/enhanced fan-out \('scan.stream.recordpublisher' = 'EFO'\) is not supported/);
    expect(() => make({ 'scan.stream.efo.consumername': 'c' })).toThrow(/enhanced fan-out \(option 'scan.stream.efo.consumername'\) is not supported/);
    expect(() => make({ 'scan.stream.recordpublisher': 'POLLING' })).not.toThrow();
    const { Session } = await import('../../src/cli/session.js');
    const session = new Session({ log: () => {} });
    try {
      const err = await session
        .executeAll(
          // Refused when the table is defined (as every option of the table), before any job.
          "CREATE TABLE efo (id INT, k STRING) WITH ('connector' = 'kinesis', 'stream' = 's', 'aws.region' = 'us-east-1', 'format' = 'json', 'scan.stream.recordpublisher' = 'EFO')",
        )
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(err).toBeInstanceOf(ValidationError);
      expect(err!.message).toMatch(/default_database\.efo\).*enhanced fan-out.*not supported/);
    } finally {
      await session.close();
    }
  });
});
