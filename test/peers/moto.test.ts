// The two facts that made the tests move from s3rver to moto: delimiter listings report common
// prefixes (a hadoop catalog's namespaces are such "folders"), and a conditional PUT with
// If-None-Match: * refuses to overwrite (a hadoop catalog's atomic commit).
import { describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { hasPeer, peer, skipReason } from './index.js';
import type { MotoEndpoint } from './moto.js';

describe.skipIf(!hasPeer('moto'))(`moto's S3 (${skipReason('moto') ?? 'running'})`, () => {
  const client = () => {
    const m = peer<MotoEndpoint>('moto');
    return new S3Client({
      endpoint: m.s3Endpoint,
      region: m.region,
      forcePathStyle: true,
      credentials: { accessKeyId: m.accessKeyId, secretAccessKey: m.secretAccessKey },
    });
  };

  it('lists common prefixes for a delimiter listing', async () => {
    const s3 = client();
    await s3.send(new CreateBucketCommand({ Bucket: 'moto-prefixes' }));
    for (const key of ['wh/db1/t/metadata/v1.metadata.json', 'wh/db2/u/data/f.parquet', 'wh/readme.txt']) {
      await s3.send(new PutObjectCommand({ Bucket: 'moto-prefixes', Key: key, Body: 'x' }));
    }
    const res = await s3.send(new ListObjectsV2Command({ Bucket: 'moto-prefixes', Prefix: 'wh/', Delimiter: '/' }));
    expect((res.CommonPrefixes ?? []).map((p) => p.Prefix).sort()).toEqual(['wh/db1/', 'wh/db2/']);
    expect((res.Contents ?? []).map((o) => o.Key)).toEqual(['wh/readme.txt']);
    s3.destroy();
  });

  it('refuses a PUT with If-None-Match: * over an existing key, also when two race', async () => {
    const s3 = client();
    await s3.send(new CreateBucketCommand({ Bucket: 'moto-conditional' }));
    await s3.send(new PutObjectCommand({ Bucket: 'moto-conditional', Key: 'v1.json', Body: 'first', IfNoneMatch: '*' }));
    const err = await s3.send(new PutObjectCommand({ Bucket: 'moto-conditional', Key: 'v1.json', Body: 'second', IfNoneMatch: '*' })).catch((e: unknown) => e);
    expect((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(412);
    const body = await (await s3.send(new GetObjectCommand({ Bucket: 'moto-conditional', Key: 'v1.json' }))).Body!.transformToString();
    expect(body).toBe('first');
    const race = await Promise.allSettled(
      [0, 1, 2, 3].map((i) => s3.send(new PutObjectCommand({ Bucket: 'moto-conditional', Key: 'v2.json', Body: `w${i}`, IfNoneMatch: '*' }))),
    );
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    s3.destroy();
  });
});
