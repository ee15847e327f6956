// Small S3 helpers for tests on the moto peer: a client, fresh buckets, listing keys.
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import type { MotoEndpoint } from './moto.js';

export function s3Client(e: MotoEndpoint): S3Client {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    endpoint: e.s3Endpoint,
    region: e.region,
    forcePathStyle: true,
    credentials: { accessKeyId: e.accessKeyId, secretAccessKey: e.secretAccessKey },
  });
}

/** Creates a bucket with a unique name starting with `prefix` (moto is shared by the whole run). */
export async function freshBucket(e: MotoEndpoint, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`.toLowerCase();
  const c = s3Client(e);
  try {
    await c.send(new CreateBucketCommand({ Bucket: name }));
  } finally {
    c.destroy();
  }
  return name;
}

/** Every key in the bucket (under prefix), sorted. */
export async function listKeys(e: MotoEndpoint, bucket: string, prefix = ''): Promise<string[]> {
  const c = s3Client(e);
  const keys: string[] = [];
  let token: string | undefined;
  try {
    do {
      const res = await c.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of res.Contents ?? []) keys.push(o.Key!);
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
  } finally {
    c.destroy();
  }
  return keys.sort();
}
