// FileIO on S3 and S3-compatible stores (MinIO, …) through @aws-sdk/client-s3. Options follow
// Iceberg's S3FileIO: s3.endpoint, s3.path-style-access, s3.access-key-id,
// s3.secret-access-key, s3.session-token, client.region; without keys the AWS default
// credential chain applies. Large files go up in parts (lib-storage); the SDK retries
// transient errors. Credentials never appear in errors, logs or toString().
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { inspect } from 'node:util';
import { ConnectorError } from '../common/errors.js';
import { AccessDeniedError, BucketNotFoundError, FileAlreadyExistsError, FileNotFoundError, type FileEntry, type FileIO, type WriteOptions } from './fileio.js';

/** Files at least this large are uploaded in parts. */
export const MULTIPART_THRESHOLD = 16 * 1024 * 1024;
const PART_SIZE = 8 * 1024 * 1024;

export interface S3Location {
  scheme: string;
  bucket: string;
  key: string;
}

export function parseS3Location(location: string): S3Location {
  const m = /^(s3a?|s3n):\/\/([^/]+)\/?(.*)$/i.exec(location);
  if (!m) throw new ConnectorError(`Not an S3 location: ${location}`);
  return { scheme: m[1].toLowerCase(), bucket: m[2], key: m[3] };
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && v.trim().toLowerCase() === 'true';
}

function statusOf(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function nameOf(e: unknown): string {
  return (e as { name?: string })?.name ?? '';
}

export class S3FileIO implements FileIO {
  readonly scheme = 's3';
  private readonly client: S3Client;
  private readonly endpoint: string | undefined;

  constructor(options: Record<string, string> = {}) {
    // The SDK's notice about future Node versions would land in the middle of CLI output;
    // tsstream supports the Node versions its package.json names.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const config: S3ClientConfig = {
      maxAttempts: Number(options['s3.max-attempts'] ?? 5),
      region: options['client.region'] ?? options['s3.region'] ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    };
    this.endpoint = options['s3.endpoint'];
    if (this.endpoint) config.endpoint = this.endpoint;
    if (isTrue(options['s3.path-style-access'])) config.forcePathStyle = true;
    const accessKeyId = options['s3.access-key-id'];
    const secretAccessKey = options['s3.secret-access-key'];
    if (accessKeyId && secretAccessKey) {
      config.credentials = { accessKeyId, secretAccessKey, sessionToken: options['s3.session-token'] };
    }
    this.client = new S3Client(config);
  }

  toString(): string {
    return `S3FileIO(${this.endpoint ?? 'aws'})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  toJSON(): string {
    return this.toString();
  }

  private fail(e: unknown, location: string, what: string): Error {
    const status = statusOf(e);
    const name = nameOf(e);
    if (name === 'NoSuchBucket') {
      return new BucketNotFoundError(parseS3Location(location).bucket, location, this.endpoint ? ` at ${this.endpoint}` : '', what);
    }
    if (status === 404 || name === 'NoSuchKey' || name === 'NotFound') return new FileNotFoundError(location);
    if (status === 403 || name === 'AccessDenied' || name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch' || name === 'Forbidden') {
      const why =
        name === 'InvalidAccessKeyId'
          ? "the access key id is not known to the store (check 's3.access-key-id')"
          : name === 'SignatureDoesNotMatch'
            ? "the secret key does not match the access key id (check 's3.secret-access-key')"
            : // A HEAD answer has no body, so no error code: the SDK calls it 'Unknown' (or the status).
              `the store refused to ${what === 'create folder' ? 'create the folder' : `${what} it`} (${name && name !== 'Unknown' && !/^\d+$/.test(name) ? name : `HTTP ${status ?? 403}`}; check the credentials and their permissions)`;
      return new AccessDeniedError(location, why);
    }
    const msg = (e as Error)?.message ?? String(e);
    return new ConnectorError(`Cannot ${what} ${location}: ${name ? name + ': ' : ''}${msg}${status ? ` (HTTP ${status})` : ''}`);
  }

  async read(location: string): Promise<Uint8Array> {
    const { bucket, key } = parseS3Location(location);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await out.Body!.transformToByteArray();
    } catch (e) {
      throw this.fail(e, location, 'read');
    }
  }

  async readRange(location: string, start: number, length: number): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    const { bucket, key } = parseS3Location(location);
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${start + length - 1}` }),
      );
      return await out.Body!.transformToByteArray();
    } catch (e) {
      throw this.fail(e, location, 'read');
    }
  }

  async size(location: string): Promise<number> {
    const { bucket, key } = parseS3Location(location);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return out.ContentLength ?? 0;
    } catch (e) {
      throw this.fail(e, location, 'stat');
    }
  }

  async write(location: string, data: Uint8Array, options: WriteOptions = {}): Promise<void> {
    const { bucket, key } = parseS3Location(location);
    if (options.ifAbsent) {
      // Conditional write (If-None-Match: *) is atomic on AWS S3 and MinIO; the HEAD check
      // before it narrows the window on stores that ignore the header.
      // Stores that ignore the header let a racing writer overwrite: Iceberg commits read back.
      if (await this.exists(location)) throw new FileAlreadyExistsError(location);
      await this.putIfNoneMatch(location, data);
      return;
    }
    try {
      if (data.byteLength >= MULTIPART_THRESHOLD) {
        const upload = new Upload({
          client: this.client,
          params: { Bucket: bucket, Key: key, Body: data },
          partSize: PART_SIZE,
          queueSize: 4,
          leavePartsOnError: false,
        });
        await upload.done();
      } else {
        await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data }));
      }
    } catch (e) {
      throw this.fail(e, location, 'write');
    }
  }

  /** One PUT with If-None-Match: * (FileAlreadyExistsError when the store refuses it). */
  async putIfNoneMatch(location: string, data: Uint8Array): Promise<void> {
    const { bucket, key } = parseS3Location(location);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, IfNoneMatch: '*' }));
    } catch (e) {
      const status = statusOf(e);
      if (status === 412 || status === 409 || nameOf(e) === 'PreconditionFailed') throw new FileAlreadyExistsError(location);
      throw this.fail(e, location, 'write');
    }
  }

  async list(folder: string): Promise<FileEntry[]> {
    const { scheme, bucket, key } = parseS3Location(folder);
    const prefix = key === '' || key.endsWith('/') ? key : key + '/';
    const base = `${scheme}://${bucket}/`;
    const out: FileEntry[] = [];
    let token: string | undefined;
    try {
      do {
        const res = await this.client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
        );
        for (const p of res.CommonPrefixes ?? []) {
          const k = p.Prefix!.replace(/\/$/, '');
          out.push({ location: base + k, name: k.slice(prefix.length), isDir: true, size: 0 });
        }
        for (const o of res.Contents ?? []) {
          if (o.Key === prefix) continue; // folder marker
          out.push({ location: base + o.Key!, name: o.Key!.slice(prefix.length), isDir: false, size: o.Size ?? 0, modifiedMs: o.LastModified?.getTime() });
        }
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      throw this.fail(e, folder, 'list');
    }
    if (!out.some((e) => e.isDir)) {
      // No sub-folder reported: list the keys themselves and derive the children. On S3 this
      // is the same set of objects; some S3-compatible servers omit common prefixes of folders
      // that hold no object directly.
      return this.listFlat(folder, base, bucket, prefix);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private async listFlat(folder: string, base: string, bucket: string, prefix: string): Promise<FileEntry[]> {
    const files = new Map<string, FileEntry>();
    let token: string | undefined;
    try {
      do {
        const res = await this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of res.Contents ?? []) {
          const rest = o.Key!.slice(prefix.length);
          if (rest === '') continue;
          const slash = rest.indexOf('/');
          if (slash === -1) files.set(rest, { location: base + o.Key!, name: rest, isDir: false, size: o.Size ?? 0, modifiedMs: o.LastModified?.getTime() });
          else {
            const name = rest.slice(0, slash);
            if (!files.has(name)) files.set(name, { location: base + prefix + name, name, isDir: true, size: 0 });
          }
        }
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      throw this.fail(e, folder, 'list');
    }
    return [...files.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async mkdirs(folder: string): Promise<void> {
    const { bucket, key } = parseS3Location(folder);
    if (key === '') return;
    const marker = key.endsWith('/') ? key : key + '/';
    try {
      await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: marker, Body: new Uint8Array(0) }));
    } catch (e) {
      throw this.fail(e, folder, 'create folder');
    }
  }

  async delete(location: string): Promise<void> {
    const { bucket, key } = parseS3Location(location);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (e) {
      if (statusOf(e) === 404) return;
      throw this.fail(e, location, 'delete');
    }
  }

  async deleteRecursive(folder: string): Promise<void> {
    const { bucket, key } = parseS3Location(folder);
    const prefix = key === '' || key.endsWith('/') ? key : key + '/';
    let token: string | undefined;
    try {
      do {
        const res = await this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        const keys = (res.Contents ?? []).map((o) => ({ Key: o.Key! }));
        if (keys.length > 0) {
          await this.client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
        }
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      throw this.fail(e, folder, 'delete');
    }
  }

  async exists(location: string): Promise<boolean> {
    const { bucket, key } = parseS3Location(location);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (e) {
      if (statusOf(e) === 404 || nameOf(e) === 'NotFound' || nameOf(e) === 'NoSuchKey') return false;
      throw this.fail(e, location, 'stat');
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
