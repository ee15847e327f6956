// Catalogs: where tables, views and databases live. The session's default_catalog is in
// memory; Iceberg catalogs (hadoop, rest) implement the same interface.
import type { ConnectorFactory } from './connector.js';
import type { OptionSpec } from './options.js';
import type { LogicalType } from './types.js';

export type CatalogColumn =
  | { kind: 'physical'; name: string; type: LogicalType; comment?: string }
  /** `name AS expr`: expr is SQL text, parsed again by the planner. */
  | { kind: 'computed'; name: string; expr: string; comment?: string }
  | { kind: 'metadata'; name: string; type: LogicalType; key?: string; virtual: boolean; comment?: string };

/** Where ALTER TABLE … ADD / MODIFY puts a column. */
export type ColumnPosition = { kind: 'first' } | { kind: 'after'; column: string };

/** One column change of ALTER TABLE (Flink's syntax: ADD, MODIFY, DROP, RENAME a TO b). */
export type ColumnChange =
  | { kind: 'add'; name: string; type: LogicalType; comment?: string; position?: ColumnPosition }
  | { kind: 'modify'; name: string; type: LogicalType; comment?: string; position?: ColumnPosition }
  | { kind: 'drop'; name: string }
  | { kind: 'rename'; from: string; to: string };

export interface CatalogTable {
  kind: 'table';
  columns: CatalogColumn[];
  /** `WATERMARK FOR column AS expr` (expr as SQL text). */
  watermark?: { column: string; expr: string };
  primaryKey?: string[];
  partitionKeys: string[];
  options: Record<string, string>;
  comment?: string;
}

export interface CatalogView {
  kind: 'view';
  /** The query as SQL text. */
  query: string;
  columnNames?: string[];
  comment?: string;
}

export type CatalogEntry = CatalogTable | CatalogView;

export interface Catalog {
  readonly name: string;
  /** e.g. 'generic_in_memory', 'iceberg' */
  readonly type: string;
  /** Catalog options as given (secrets are masked by whoever prints them). */
  readonly options: Record<string, string>;
  readonly defaultDatabase: string;
  open(): Promise<void>;
  close(): Promise<void>;
  listDatabases(): Promise<string[]>;
  databaseExists(db: string): Promise<boolean>;
  createDatabase(db: string, ignoreIfExists: boolean, properties?: Record<string, string>): Promise<void>;
  dropDatabase(db: string, ignoreIfNotExists: boolean, cascade: boolean): Promise<void>;
  listTables(db: string): Promise<string[]>;
  listViews(db: string): Promise<string[]>;
  getTable(db: string, name: string): Promise<CatalogEntry | undefined>;
  createTable(db: string, name: string, entry: CatalogEntry, ignoreIfExists: boolean): Promise<void>;
  dropTable(db: string, name: string, ignoreIfNotExists: boolean): Promise<void>;
  alterTableOptions?(db: string, name: string, options: Record<string, string>): Promise<void>;
  /** ALTER TABLE … ADD / MODIFY / DROP / RENAME of columns (catalogs without it keep the changed entry in memory). */
  alterTableColumns?(db: string, name: string, changes: ColumnChange[]): Promise<void>;
  /** ALTER TABLE … RENAME TO: the table gets another name in the same database. */
  renameTable?(db: string, name: string, newName: string): Promise<void>;
  /**
   * The connector for this catalog's tables when they carry no 'connector' option
   * (Flink's Catalog#getFactory): an Iceberg catalog's tables are Iceberg tables.
   */
  tableFactory?(): ConnectorFactory | undefined;
}

export interface CatalogFactory {
  /** The 'type' option of CREATE CATALOG. */
  type: string;
  options: readonly OptionSpec[];
  create(name: string, options: Record<string, string>): Catalog;
}
