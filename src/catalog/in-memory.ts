// Flink's generic_in_memory catalog: databases, tables and views that live for the session.
import type { Catalog, CatalogEntry } from '../common/catalog.js';
import { ValidationError, suggestion } from '../common/errors.js';

export class InMemoryCatalog implements Catalog {
  readonly type = 'generic_in_memory';
  private readonly dbs = new Map<string, Map<string, CatalogEntry>>();

  constructor(
    readonly name: string,
    readonly defaultDatabase = 'default_database',
    readonly options: Record<string, string> = {},
  ) {
    this.dbs.set(defaultDatabase, new Map());
  }

  async open(): Promise<void> {}
  async close(): Promise<void> {}

  async listDatabases(): Promise<string[]> {
    return [...this.dbs.keys()].sort();
  }

  async databaseExists(db: string): Promise<boolean> {
    return this.dbs.has(db);
  }

  async createDatabase(db: string, ignoreIfExists: boolean): Promise<void> {
    if (this.dbs.has(db)) {
      if (ignoreIfExists) return;
      throw new ValidationError(`Database ${this.name}.${db} already exists`);
    }
    this.dbs.set(db, new Map());
  }

  async dropDatabase(db: string, ignoreIfNotExists: boolean, cascade: boolean): Promise<void> {
    const d = this.dbs.get(db);
    if (!d) {
      if (ignoreIfNotExists) return;
      throw new ValidationError(`Database ${this.name}.${db} does not exist`);
    }
    if (d.size > 0 && !cascade) throw new ValidationError(`Database ${this.name}.${db} is not empty (use DROP DATABASE … CASCADE)`);
    if (db === this.defaultDatabase) throw new ValidationError(`Cannot drop the default database ${this.name}.${db}`);
    this.dbs.delete(db);
  }

  private db(db: string): Map<string, CatalogEntry> {
    const d = this.dbs.get(db);
    if (!d) throw new ValidationError(`Database ${this.name}.${db} does not exist${suggestion(db, this.dbs.keys())}`);
    return d;
  }

  async listTables(db: string): Promise<string[]> {
    return [...this.db(db).entries()].filter(([, e]) => e.kind === 'table').map(([n]) => n).sort();
  }

  async listViews(db: string): Promise<string[]> {
    return [...this.db(db).entries()].filter(([, e]) => e.kind === 'view').map(([n]) => n).sort();
  }

  async getTable(db: string, name: string): Promise<CatalogEntry | undefined> {
    return this.dbs.get(db)?.get(name);
  }

  async createTable(db: string, name: string, entry: CatalogEntry, ignoreIfExists: boolean): Promise<void> {
    const d = this.db(db);
    if (d.has(name)) {
      if (ignoreIfExists) return;
      throw new ValidationError(`Table (or view) ${this.name}.${db}.${name} already exists`);
    }
    d.set(name, entry);
  }

  async dropTable(db: string, name: string, ignoreIfNotExists: boolean): Promise<void> {
    const d = this.db(db);
    if (!d.delete(name) && !ignoreIfNotExists) throw new ValidationError(`Table (or view) ${this.name}.${db}.${name} does not exist`);
  }

  /** As Flink's GenericInMemoryCatalog#renameTable. */
  async renameTable(db: string, name: string, newName: string): Promise<void> {
    const d = this.db(db);
    const e = d.get(name);
    if (!e) throw new ValidationError(`Table (or view) ${this.name}.${db}.${name} does not exist`);
    if (d.has(newName)) throw new ValidationError(`Table (or view) ${db}.${newName} already exists in Catalog ${this.name}.`);
    d.delete(name);
    d.set(newName, e);
  }

  async alterTableOptions(db: string, name: string, options: Record<string, string>): Promise<void> {
    const e = this.db(db).get(name);
    if (!e || e.kind !== 'table') throw new ValidationError(`Table ${this.name}.${db}.${name} does not exist`);
    e.options = options;
  }
}
