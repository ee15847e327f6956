// Loading and committing one table. TableOperations is what a catalog gives for a table:
// load the current metadata, and commit REST-style updates guarded by requirements. The hadoop
// implementation writes `metadata/v{N+1}.metadata.json` with an atomic create-if-absent, so of
// two writers that read version N only one lands; the other reloads and retries.
import { ConnectorError } from '../../common/errors.js';
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

export class HadoopTableOperations implements TableOperations {
  private readonly versions = new WeakMap<TableMetadata, number>();
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
        const text = new TextDecoder().decode(await this.io.read(this.metadataFile(v)));
        const m = parseMetadata(text);
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
    const next = applyUpdates(base, updates, this.metadataFile(version));
    try {
      await this.io.write(this.metadataFile(version + 1), new TextEncoder().encode(serializeMetadata(next)), { ifAbsent: true });
    } catch (e) {
      if (e instanceof FileAlreadyExistsError) {
        throw new CommitConflictError(`Table ${this.name} was changed by another commit (version ${version + 1} exists)`);
      }
      throw e;
    }
    await this.writeHint(version + 1);
    this.versions.set(next, version + 1);
    return next;
  }

  private async writeHint(version: number): Promise<void> {
    try {
      await this.io.write(joinPath(this.metadataDir, 'version-hint.text'), new TextEncoder().encode(String(version)));
    } catch {
      // The hint is only a shortcut: readers probe for newer versions.
    }
  }
}
