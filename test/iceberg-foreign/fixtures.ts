// The foreign tables of /work/shared/iceberg-foreign (written by Spark, Iceberg Java and Athena)
// served as bucket `hyperparam-iceberg` from the moto peer (S3, path-style); reference rows come
// from pyiceberg, and from icebird (read straight from the folder) where pyiceberg cannot read
// (equality deletes).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { icebergRead } from 'icebird';
import { S3FileIO } from '../../src/io/s3.js';
import { s3Options, type MotoEndpoint } from '../peers/moto.js';

export const FOREIGN_DIR = process.env.TSSTREAM_FOREIGN_TABLES ?? '/work/shared/iceberg-foreign';
export const BUCKET = 'hyperparam-iceberg';


async function* walk(dir: string): AsyncGenerator<string> {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

/** Creates the bucket (under another name when asked) and uploads the tables. */
export async function uploadForeignTables(moto: MotoEndpoint, bucket = BUCKET): Promise<number> {
  const client = new S3Client({
    endpoint: moto.s3Endpoint,
    forcePathStyle: true,
    region: moto.region,
    credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((e: { name?: string }) => {
      if (e.name !== 'BucketAlreadyOwnedByYou' && e.name !== 'BucketAlreadyExists') throw e;
    });
  } finally {
    client.destroy();
  }
  const io = new S3FileIO(s3Options(moto));
  let n = 0;
  try {
    for (const top of ['athena', 'java', 'spark']) {
      for await (const f of walk(path.join(FOREIGN_DIR, top))) {
        await io.write(`s3://${bucket}/${path.relative(FOREIGN_DIR, f).split(path.sep).join('/')}`, await fs.readFile(f));
        n++;
      }
    }
  } finally {
    await io.close();
  }
  return n;
}

/** icebird's rows of a table (keys are column names), reading the fixture folder from disk. */
export async function icebirdRows(table: string, metadataFileName: string): Promise<Record<string, unknown>[]> {
  const original = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const m = /^https:\/\/hyperparam-iceberg\.s3\.amazonaws\.com\/(.*)$/.exec(url);
    if (!m) return original(input, init);
    let data: Buffer;
    try {
      data = await fs.readFile(path.join(FOREIGN_DIR, decodeURIComponent(m[1])));
    } catch {
      return new Response('not found', { status: 404 });
    }
    if (init?.method === 'HEAD') return new Response(null, { status: 200, headers: { 'content-length': String(data.length) } });
    const range = new Headers(init?.headers).get('Range');
    if (range) {
      const r = /bytes=(\d+)-(\d*)/.exec(range)!;
      const end = r[2] ? Number(r[2]) : data.length - 1;
      return new Response(data.subarray(Number(r[1]), end + 1), { status: 206 });
    }
    return new Response(data, { status: 200, headers: { 'content-length': String(data.length) } });
  }) as typeof fetch;
  try {
    return await icebergRead({ tableUrl: `s3://${BUCKET}/${table}`, metadataFileName });
  } finally {
    globalThis.fetch = original;
  }
}
