// FileIO: the storage a table lives on (local disk or an S3-compatible object store), chosen
// by the location's scheme. Iceberg needs only whole-file reads, ranged reads, writes (one of
// them atomic create-if-absent, for metadata commits), listing, deletes and existence checks.
import { ConnectorError } from '../common/errors.js';

export interface FileEntry {
  /** Full location (same scheme as the listed folder). */
  location: string;
  /** Last path segment. */
  name: string;
  isDir: boolean;
  size: number;
  /** Last modification time (ms since the epoch), for files, when the store reports it. */
  modifiedMs?: number;
}

export interface WriteOptions {
  /** Fail with FileAlreadyExistsError when the file exists (atomically where the store allows). */
  ifAbsent?: boolean;
}

export interface FileIO {
  /** 'file' or 's3' */
  readonly scheme: string;
  read(location: string): Promise<Uint8Array>;
  readRange(location: string, start: number, length: number): Promise<Uint8Array>;
  size(location: string): Promise<number>;
  write(location: string, data: Uint8Array, options?: WriteOptions): Promise<void>;
  /** Immediate children of a folder (files and sub-folders); empty when it does not exist. */
  list(folder: string): Promise<FileEntry[]>;
  /** Makes a folder visible to list() (a directory on disk; a marker object on S3). */
  mkdirs(folder: string): Promise<void>;
  delete(location: string): Promise<void>;
  /** Deletes a folder and everything under it. */
  deleteRecursive(folder: string): Promise<void>;
  exists(location: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Every file under a folder, depth first. */
export async function* walkFiles(io: FileIO, folder: string): AsyncGenerator<FileEntry> {
  for (const e of await io.list(folder)) {
    if (e.isDir) yield* walkFiles(io, e.location);
    else yield e;
  }
}

export class FileAlreadyExistsError extends ConnectorError {
  constructor(readonly location: string) {
    super(`File already exists: ${location}`);
  }
}

export class FileNotFoundError extends ConnectorError {
  constructor(readonly location: string, options?: { cause?: unknown }) {
    super(`File not found: ${location}`, options);
  }
}

/** The bucket of an object-store location does not exist. */
export class BucketNotFoundError extends ConnectorError {
  constructor(readonly bucket: string, readonly location: string, where: string, what = 'read') {
    super(`S3 bucket '${bucket}' does not exist${where}: cannot ${what} ${location}`);
  }
}

/** The store refused the request: credentials missing, wrong or without the permission. */
export class AccessDeniedError extends ConnectorError {
  constructor(readonly location: string, detail: string) {
    super(`Access denied to ${location}: ${detail}`);
  }
}

/** Joins location segments with single slashes (keeps `s3://` and `file:///`). */
export function joinPath(base: string, ...parts: string[]): string {
  let out = base;
  for (const p of parts) {
    if (!p) continue;
    out = out.endsWith('/') ? out + p.replace(/^\/+/, '') : `${out}/${p.replace(/^\/+/, '')}`;
  }
  return out;
}

export function schemeOf(location: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(location);
  if (!m || m[1].length === 1) return 'file'; // plain paths (and Windows drive letters)
  return m[1].toLowerCase();
}

export type FileIOFactory = (options: Record<string, string>) => FileIO;

const cache = new Map<string, FileIO>();

/**
 * The FileIO for a location: `s3://`, `s3a://`, `s3n://` → S3; `file:` or a plain path → local.
 * Options are the catalog's (`s3.endpoint`, `s3.access-key-id`, …).
 */
export async function fileIOFor(location: string, options: Record<string, string> = {}): Promise<FileIO> {
  const scheme = schemeOf(location);
  if (scheme === 'file') {
    const { LocalFileIO } = await import('./local.js');
    return cache.get('file') ?? (cache.set('file', new LocalFileIO()), cache.get('file')!);
  }
  if (scheme === 's3' || scheme === 's3a' || scheme === 's3n') {
    const { S3FileIO } = await import('./s3.js');
    return new S3FileIO(options);
  }
  throw new ConnectorError(`Unsupported file system scheme '${scheme}' in location ${location} (supported: s3://, s3a://, file:, plain paths)`);
}
