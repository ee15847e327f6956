// The session's catalogs: the current catalog and database, name resolution of
// `t`, `db.t`, `catalog.db.t`, and temporary tables/views that shadow catalog objects.
import type { Catalog, CatalogEntry } from '../common/catalog.js';
import type { ObjectPath } from '../common/connector.js';
import { ValidationError, suggestion } from '../common/errors.js';
import { InMemoryCatalog } from './in-memory.js';

/** Iceberg metadata tables as Spark names them (`db.t.snapshots`). */
const SPARK_METADATA_TABLES = new Set(['snapshots', 'history', 'files', 'data_files', 'delete_files', 'manifests', 'all_manifests', 'refs', 'partitions', 'entries', 'all_entries', 'metadata_log_entries', 'position_deletes', 'all_data_files', 'all_delete_files', 'all_files']);

export class CatalogManager {
  private readonly catalogs = new Map<string, Catalog>();
  private readonly temporary = new Map<string, CatalogEntry>();
  currentCatalog = 'default_catalog';
  currentDatabase = 'default_database';

  constructor() {
    this.catalogs.set('default_catalog', new InMemoryCatalog('default_catalog'));
  }

  catalogNames(): string[] {
    return [...this.catalogs.keys()].sort();
  }

  hasCatalog(name: string): boolean {
    return this.catalogs.has(name);
  }

  getCatalog(name: string): Catalog {
    const c = this.catalogs.get(name);
    if (!c) throw new ValidationError(`Catalog '${name}' does not exist${suggestion(name, this.catalogs.keys())}`);
    return c;
  }

  async registerCatalog(name: string, catalog: Catalog, ignoreIfExists = false): Promise<void> {
    if (this.catalogs.has(name)) {
      if (ignoreIfExists) return;
      throw new ValidationError(`Catalog '${name}' already exists`);
    }
    await catalog.open();
    this.catalogs.set(name, catalog);
  }

  async dropCatalog(name: string, ignoreIfNotExists: boolean): Promise<void> {
    if (!this.catalogs.has(name)) {
      if (ignoreIfNotExists) return;
      throw new ValidationError(`Catalog '${name}' does not exist`);
    }
    if (name === this.currentCatalog) throw new ValidationError(`Cannot drop the catalog in use: '${name}'`);
    await this.catalogs.get(name)!.close();
    this.catalogs.delete(name);
  }

  async useCatalog(name: string): Promise<void> {
    const c = this.getCatalog(name);
    this.currentCatalog = name;
    this.currentDatabase = c.defaultDatabase;
  }

  async useDatabase(parts: string[]): Promise<void> {
    const [catalog, db] = parts.length === 2 ? parts : [this.currentCatalog, parts[0]];
    const c = this.getCatalog(catalog);
    if (!(await c.databaseExists(db))) {
      throw new ValidationError(`Database '${db}' does not exist in catalog '${catalog}'${suggestion(db, await c.listDatabases())}`);
    }
    this.currentCatalog = catalog;
    this.currentDatabase = db;
  }

  /** Completes `t` / `db.t` / `cat.db.t` with the current catalog and database. */
  qualify(parts: string[]): ObjectPath {
    if (parts.length === 1) return { catalog: this.currentCatalog, database: this.currentDatabase, table: parts[0] };
    if (parts.length === 2) return { catalog: this.currentCatalog, database: parts[0], table: parts[1] };
    if (parts.length === 3) return { catalog: parts[0], database: parts[1], table: parts[2] };
    throw new ValidationError(`Invalid object name '${parts.join('.')}': expected [catalog.][database.]name`);
  }

  /** Whether the object at `path` is a temporary table or view. */
  isTemporary(path: ObjectPath): boolean {
    return this.temporary.has(this.tempKey(path));
  }

  private tempKey(p: ObjectPath): string {
    return `${p.catalog}\u0000${p.database}\u0000${p.table}`;
  }

  /**
   * `db.t.snapshots` is how Spark (and Athena) name an Iceberg metadata table; Flink SQL names it
   * `` `t$snapshots` ``. When the name without its last part is a table, say so.
   */
  private async refuseSparkMetadataName(parts: string[]): Promise<void> {
    const last = parts.at(-1)!.toLowerCase();
    if (parts.length < 2 || !SPARK_METADATA_TABLES.has(last)) return;
    let table: CatalogEntry | undefined;
    try {
      table = await this.get(this.qualify(parts.slice(0, -1)));
    } catch {
      return;
    }
    if (table?.kind !== 'table') return;
    const prefix = parts.slice(0, -2).map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? p : `\`${p}\``));
    const flink = [...prefix, `\`${parts.at(-2)}$${last}\``].join('.');
    throw new ValidationError(`'${parts.join('.')}' is Spark's name for an Iceberg metadata table: Flink SQL writes it ${flink}`);
  }

  async get(path: ObjectPath): Promise<CatalogEntry | undefined> {
    const t = this.temporary.get(this.tempKey(path));
    if (t) return t;
    const c = this.catalogs.get(path.catalog);
    if (!c) return undefined;
    if (!(await c.databaseExists(path.database))) return undefined;
    return c.getTable(path.database, path.table);
  }

  /** Resolves a name to its entry, or throws a ValidationError with a suggestion. */
  async resolve(parts: string[]): Promise<{ path: ObjectPath; entry: CatalogEntry }> {
    let path: ObjectPath;
    try {
      path = this.qualify(parts);
    } catch (e) {
      await this.refuseSparkMetadataName(parts);
      throw e;
    }
    const entry = await this.get(path);
    if (entry) return { path, entry };
    await this.refuseSparkMetadataName(parts);
    const c = this.catalogs.get(path.catalog);
    if (!c) throw new ValidationError(`Object '${parts.join('.')}' not found: catalog '${path.catalog}' does not exist${suggestion(path.catalog, this.catalogs.keys())}`);
    if (!(await c.databaseExists(path.database))) {
      throw new ValidationError(`Object '${parts.join('.')}' not found: database '${path.database}' does not exist in catalog '${path.catalog}'`);
    }
    const names = [...(await c.listTables(path.database)), ...(await c.listViews(path.database)), ...this.temporaryNames(path)];
    throw new ValidationError(`Object '${path.table}' not found in ${path.catalog}.${path.database}${suggestion(path.table, names)}`);
  }

  private temporaryNames(p: ObjectPath): string[] {
    const out: string[] = [];
    for (const k of this.temporary.keys()) {
      const [c, d, t] = k.split('\u0000');
      if (c === p.catalog && d === p.database) out.push(t);
    }
    return out;
  }

  async create(path: ObjectPath, entry: CatalogEntry, ignoreIfExists: boolean, temporary: boolean): Promise<void> {
    if (temporary) {
      const k = this.tempKey(path);
      if (this.temporary.has(k)) {
        if (ignoreIfExists) return;
        throw new ValidationError(`Temporary table (or view) '${path.table}' already exists`);
      }
      this.temporary.set(k, entry);
      return;
    }
    await this.getCatalog(path.catalog).createTable(path.database, path.table, entry, ignoreIfExists);
  }

  async drop(path: ObjectPath, ignoreIfNotExists: boolean, temporary: boolean): Promise<void> {
    if (temporary || this.temporary.has(this.tempKey(path))) {
      if (!this.temporary.delete(this.tempKey(path)) && !ignoreIfNotExists) {
        throw new ValidationError(`Temporary table (or view) '${path.table}' does not exist`);
      }
      return;
    }
    await this.getCatalog(path.catalog).dropTable(path.database, path.table, ignoreIfNotExists);
  }

  /** Tables and views of a database, temporary ones included. */
  async listTables(catalog: string, db: string, views: boolean): Promise<string[]> {
    const c = this.getCatalog(catalog);
    const names = new Set(views ? await c.listViews(db) : [...(await c.listTables(db)), ...(await c.listViews(db))]);
    for (const k of this.temporary.keys()) {
      const [cc, d, t] = k.split('\u0000');
      const e = this.temporary.get(k)!;
      if (cc === catalog && d === db && (!views || e.kind === 'view')) names.add(t);
    }
    return [...names].sort();
  }

  async closeAll(): Promise<void> {
    for (const c of this.catalogs.values()) await c.close();
  }
}
