// Loading and committing one table. TableOperations is what a catalog gives for a table:
// load the current metadata, and commit REST-style updates guarded by requirements. The hadoop
// implementation writes `metadata/v{N+1}.metadata.json` with an atomic create-if-absent, so of
// two writers that read version N only one lands; the other reloads and retries.
// MetadataFileTableOperations opens a table by its metadata files alone, as Glue, Athena and
// most catalogs leave them (`NNNNN-<uuid>.metadata.json`, no version-hint.text), or by one
// metadata file named in a 'metadata-location' option.
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { ConnectorError } from '../../common/errors.js';
import { parseJson } from './json.js';
import { FileAlreadyExistsError, FileNotFoundError, joinPath, type FileIO } from '../../io/fileio.js';
import {
  applyUpdates,
  checkRequirements,
  CommitConflictError,
  parseMetadata,
  serializeMetadata,
  type MetadataUpdate,
  type TableMetadata,
  type UpdateRequirement,
} from './metadata.js';

export interface TableOperations {
  readonly io: FileIO;
  /** db.table, for messages */
  readonly name: string;
  /** The current metadata, read fresh. */
  load(): Promise<TableMetadata>;
  /**
   * Applies updates on top of `base` if the requirements hold against the table's current
   * state. Throws CommitConflictError when another commit got there first, and
   * CommitStateUnknownError when it cannot tell whether the commit landed.
   */
  commit(base: TableMetadata, updates: MetadataUpdate[], requirements: UpdateRequirement[]): Promise<TableMetadata>;
}

const VERSION_RE = /^v(\d+)(\.gz)?\.metadata\.json$/;
/** `00001-<uuid>.metadata.json` (and `.gz.metadata.json`), as Iceberg's catalogs name versions. */
const NUMBERED_RE = /^(\d+)-[^/]*?(\.gz)?\.metadata\.json$/;

export interface MetadataFileInfo {
  location: string;
  name: string;
  /** The version in the name (vN or NNNNN-…), if it has one. */
  version: number | undefined;
}

/** Whether a file name is a table metadata file, and its version. */
export function parseMetadataFileName(name: string): { version: number | undefined } | undefined {
  const v = VERSION_RE.exec(name) ?? NUMBERED_RE.exec(name);
  if (v) return { version: Number(v[1]) };
  if (name.endsWith('.metadata.json') || name.endsWith('.metadata.json.gz')) return { version: undefined };
  return undefined;
}

/** The metadata files of a metadata folder. */
export async function listMetadataFiles(io: FileIO, dir: string): Promise<MetadataFileInfo[]> {
  const out: MetadataFileInfo[] = [];
  for (const e of await io.list(dir)) {
    if (e.isDir) continue;
    const p = parseMetadataFileName(e.name);
    if (p) out.push({ location: e.location, name: e.name, version: p.version });
  }
  return out;
}

/**
 * Table metadata from a metadata file's bytes; a damaged file (cut short, not JSON, not table
 * metadata) is an error naming the table, the file and what is wrong.
 */
export function parseMetadataFile(bytes: Uint8Array, location: string, table: string): TableMetadata {
  let text: string;
  try {
    text = decodeMetadataBytes(bytes);
  } catch (e) {
    throw new ConnectorError(`Iceberg table ${table}: metadata file ${location} is damaged: not readable gzip (${(e as Error).message})`, { cause: e });
  }
  let json: unknown;
  try {
    json = parseJson(text);
  } catch (e) {
    throw new ConnectorError(`Iceberg table ${table}: metadata file ${location} is damaged: not valid JSON (${(e as Error).message}; the file has ${bytes.byteLength} bytes)`, { cause: e });
  }
  try {
    return parseMetadata(json as Record<string, unknown>);
  } catch (e) {
    throw new ConnectorError(`Iceberg table ${table}: metadata file ${location} is not valid table metadata: ${(e as Error).message}`, { cause: e });
  }
}

/** Metadata text from a file's bytes (gzip-compressed files too). */
export function decodeMetadataBytes(bytes: Uint8Array): string {
  const raw = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return new TextDecoder().decode(raw);
}

/**
 * The newest metadata file of a folder: the highest version; of two files with one version
 * (two writers racing), the one whose name sorts first (the rule commits below follow); when no
 * name carries a version, the one with the latest last-updated-ms.
 */
export async function newestMetadataFile(io: FileIO, dir: string): Promise<MetadataFileInfo | undefined> {
  const files = await listMetadataFiles(io, dir);
  const versioned = files.filter((f) => f.version !== undefined);
  if (versioned.length > 0) {
    versioned.sort((a, b) => b.version! - a.version! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return versioned[0];
  }
  let best: { f: MetadataFileInfo; ts: number } | undefined;
  for (const f of files) {
    const m = parseMetadataFile(await io.read(f.location), f.location, dir);
    if (!best || m['last-updated-ms'] > best.ts) best = { f, ts: m['last-updated-ms'] };
  }
  return best?.f;
}

function dirname(location: string): string {
  const i = location.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? location : location.slice(0, i);
}

function basename(location: string): string {
  return location.replace(/\/+$/, '').slice(location.replace(/\/+$/, '').lastIndexOf('/') + 1);
}

export class HadoopTableOperations implements TableOperations {
  private readonly versions = new WeakMap<TableMetadata, number>();
  /** The metadata version this writer created last, checked again at its next commit. */
  private lastWritten?: { version: number; bytes: Uint8Array };
  readonly metadataDir: string;

  constructor(
    readonly io: FileIO,
    readonly location: string,
    readonly name: string,
  ) {
    this.metadataDir = joinPath(location, 'metadata');
  }

  metadataFile(version: number): string {
    return joinPath(this.metadataDir, `v${version}.metadata.json`);
  }

  /** The latest version number, or undefined when the table does not exist. */
  async currentVersion(): Promise<number | undefined> {
    let v: number | undefined;
    try {
      const text = new TextDecoder().decode(await this.io.read(joinPath(this.metadataDir, 'version-hint.text'))).trim();
      if (/^\d+$/.test(text)) v = Number(text);
    } catch (e) {
      if (!(e instanceof FileNotFoundError)) throw e;
    }
    if (v === undefined) {
      const files = await this.io.list(this.metadataDir);
      for (const f of files) {
        const m = VERSION_RE.exec(f.name);
        if (m && (v === undefined || Number(m[1]) > v)) v = Number(m[1]);
      }
      if (v === undefined) return undefined;
    }
    // The hint may lag behind a commit that has not updated it yet.
    while (await this.io.exists(this.metadataFile(v + 1))) v++;
    return v;
  }

  async exists(): Promise<boolean> {
    return (await this.currentVersion()) !== undefined;
  }

  async load(): Promise<TableMetadata> {
    for (let attempt = 0; ; attempt++) {
      const v = await this.currentVersion();
      if (v === undefined) throw new ConnectorError(`Table ${this.name} does not exist (no metadata under ${this.metadataDir})`);
      try {
        const m = parseMetadataFile(await this.io.read(this.metadataFile(v)), this.metadataFile(v), this.name);
        this.versions.set(m, v);
        return m;
      } catch (e) {
        if (e instanceof FileNotFoundError && attempt < 3) continue;
        throw e;
      }
    }
  }

  /** Writes the first version of a new table; fails when the table exists. */
  async create(metadata: TableMetadata): Promise<TableMetadata> {
    if (await this.exists()) throw new CommitConflictError(`Table ${this.name} already exists`);
    try {
      await this.io.write(this.metadataFile(1), new TextEncoder().encode(serializeMetadata(metadata)), { ifAbsent: true });
    } catch (e) {
      if (e instanceof FileAlreadyExistsError) throw new CommitConflictError(`Table ${this.name} already exists`);
      throw e;
    }
    await this.writeHint(1);
    this.versions.set(metadata, 1);
    return metadata;
  }

  async commit(base: TableMetadata, updates: MetadataUpdate[], requirements: UpdateRequirement[]): Promise<TableMetadata> {
    let version = this.versions.get(base);
    if (version === undefined) {
      // A base not loaded here (e.g. a REST server handing in a request): use the current version.
      const fresh = await this.load();
      version = this.versions.get(fresh)!;
      base = fresh;
    }
    checkRequirements(base, requirements);
    await this.verifyLastCommit();
    const next = applyUpdates(base, updates, this.metadataFile(version));
    const file = this.metadataFile(version + 1);
    const bytes = new TextEncoder().encode(serializeMetadata(next));
    try {
      await this.io.write(file, bytes, { ifAbsent: true });
    } catch (e) {
      if (e instanceof FileAlreadyExistsError) {
        throw new CommitConflictError(`Table ${this.name} was changed by another commit (version ${version + 1} exists)`);
      }
      throw e;
    }
    // An object store that ignores If-None-Match lets a racing writer overwrite the version just
    // created: read it back, so that losing the race is a conflict (retried) and not a lost commit.
    if (!sameBytes(await this.io.read(file), bytes)) {
      throw new CommitConflictError(
        `Table ${this.name}: metadata version ${version + 1} was overwritten by another writer right after this commit created it (the store at ${this.metadataDir} does not honour If-None-Match); retrying on top of it`,
      );
    }
    this.lastWritten = { version: version + 1, bytes };
    await this.writeHint(version + 1);
    this.versions.set(next, version + 1);
    return next;
  }

  /**
   * The version this writer created last must still be what it wrote: on a store without atomic
   * create, another writer may have overwritten it after the read-back. That commit is then gone
   * from the table, and going on would hide it: refuse.
   */
  private async verifyLastCommit(): Promise<void> {
    const last = this.lastWritten;
    if (!last) return;
    let now: Uint8Array;
    try {
      now = await this.io.read(this.metadataFile(last.version));
    } catch (e) {
      if (e instanceof FileNotFoundError) return; // removed by write.metadata.delete-after-commit
      throw e;
    }
    if (sameBytes(now, last.bytes)) {
      this.lastWritten = undefined;
      return;
    }
    throw new ConnectorError(
      `Iceberg table ${this.name}: metadata version ${last.version} committed by this writer was overwritten by another writer, so that commit is no longer in the table. ` +
        `The store at ${this.metadataDir} does not honour conditional creates (If-None-Match), which a hadoop catalog needs when several writers commit to a table: ` +
        `on such a store a hadoop catalog is for one writer only. Use a REST or Glue catalog for several writers.`,
    );
  }

  private async writeHint(version: number): Promise<void> {
    try {
      await this.io.write(joinPath(this.metadataDir, 'version-hint.text'), new TextEncoder().encode(String(version)));
    } catch {
      // The hint is only a shortcut: readers probe for newer versions.
    }
  }
}

/**
 * A table known by its metadata files only: either a folder (the newest file is current, see
 * newestMetadataFile) or one pinned file (a 'metadata-location'). Commits write the next
 * version as `NNNNN-<uuid>.metadata.json` beside the current file. Such a folder has no atomic
 * pointer: of two writers that both write version N+1, the one whose file name sorts first
 * wins (every reader picks it too) and the other removes its file and retries.
 */
export class MetadataFileTableOperations implements TableOperations {
  private readonly files = new WeakMap<TableMetadata, MetadataFileInfo>();
  readonly metadataDir: string;
  /** The file a pinned table reads (moves forward with its own commits). */
  private pinned: MetadataFileInfo | undefined;

  constructor(
    readonly io: FileIO,
    /** A metadata folder, or one metadata file. */
    where: string,
    readonly name: string,
  ) {
    const base = basename(where);
    const parsed = parseMetadataFileName(base);
    if (parsed) {
      this.pinned = { location: where, name: base, version: parsed.version };
      this.metadataDir = dirname(where);
    } else {
      this.metadataDir = where.replace(/\/+$/, '');
    }
  }

  /** The current metadata file, or undefined when there is none. */
  async currentFile(): Promise<MetadataFileInfo | undefined> {
    if (this.pinned) return this.pinned;
    return newestMetadataFile(this.io, this.metadataDir);
  }

  async load(): Promise<TableMetadata> {
    for (let attempt = 0; ; attempt++) {
      const f = await this.currentFile();
      if (!f) throw new ConnectorError(`${this.name} is not an Iceberg table: no *.metadata.json file under ${this.metadataDir}`);
      try {
        const m = parseMetadataFile(await this.io.read(f.location), f.location, this.name);
        this.files.set(m, f);
        return m;
      } catch (e) {
        if (e instanceof FileNotFoundError && !this.pinned && attempt < 3) continue;
        if (e instanceof FileNotFoundError && this.pinned) {
          throw new ConnectorError(`Iceberg metadata file ${f.location} of ${this.name} does not exist`, { cause: e });
        }
        throw e;
      }
    }
  }

  async commit(base: TableMetadata, updates: MetadataUpdate[], requirements: UpdateRequirement[]): Promise<TableMetadata> {
    let file = this.files.get(base);
    if (!file) {
      base = await this.load();
      file = this.files.get(base)!;
    }
    checkRequirements(base, requirements);
    const version = (file.version ?? 0) + 1;
    const later = (await listMetadataFiles(this.io, this.metadataDir)).filter((f) => f.version !== undefined && f.version >= version);
    if (later.length > 0) {
      throw new CommitConflictError(`Table ${this.name} was changed by another commit (${later[0].name} exists)`);
    }
    const next = applyUpdates(base, updates, file.location);
    const name = `${String(version).padStart(5, '0')}-${randomUUID()}.metadata.json`;
    const location = joinPath(this.metadataDir, name);
    try {
      await this.io.write(location, new TextEncoder().encode(serializeMetadata(next)), { ifAbsent: true });
    } catch (e) {
      if (e instanceof FileAlreadyExistsError) throw new CommitConflictError(`Table ${this.name} was changed by another commit (${name} exists)`);
      throw e;
    }
    const rivals = (await listMetadataFiles(this.io, this.metadataDir)).filter((f) => f.version === version && f.name < name);
    if (rivals.length > 0) {
      await this.io.delete(location).catch(() => undefined);
      throw new CommitConflictError(`Table ${this.name} was changed by another commit (${rivals[0].name} won version ${version})`);
    }
    const info = { location, name, version };
    if (this.pinned) this.pinned = info;
    this.files.set(next, info);
    return next;
  }
}

/**
 * Opens the table at a location: a metadata file (pinned), a metadata folder, or a table folder.
 * A folder with version-hint.text or vN.metadata.json files follows the hadoop catalog's rules;
 * otherwise the newest metadata file is current.
 */
export async function openTableAt(io: FileIO, where: string, name: string): Promise<TableOperations> {
  const trimmed = where.replace(/\/+$/, '');
  if (parseMetadataFileName(basename(trimmed))) {
    // A read (not a HEAD) tells a missing bucket or a refusal from a missing file.
    try {
      await io.readRange(trimmed, 0, 1);
    } catch (e) {
      if (e instanceof FileNotFoundError) throw new ConnectorError(`Iceberg metadata file ${trimmed} does not exist`, { cause: e });
      throw e;
    }
    return new MetadataFileTableOperations(io, trimmed, name);
  }
  const here = await io.list(trimmed);
  const isMetadataDir = here.some((e) => !e.isDir && (e.name === 'version-hint.text' || parseMetadataFileName(e.name)));
  const dir = isMetadataDir ? trimmed : joinPath(trimmed, 'metadata');
  const files = isMetadataDir ? here : await io.list(dir);
  if (files.some((e) => e.name === 'version-hint.text' || VERSION_RE.test(e.name))) {
    return new HadoopTableOperations(io, dirname(dir), name);
  }
  if (files.some((e) => !e.isDir && parseMetadataFileName(e.name))) return new MetadataFileTableOperations(io, dir, name);
  throw new ConnectorError(
    here.length === 0
      ? `${trimmed} is not an Iceberg table: nothing is stored there`
      : `${trimmed} is not an Iceberg table: no metadata/*.metadata.json under it`,
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
