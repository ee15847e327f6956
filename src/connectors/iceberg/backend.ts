// What an Iceberg catalog implementation (hadoop: a warehouse folder; rest: the REST
// protocol; glue: the AWS Glue Data Catalog) provides: namespaces, tables, and TableOperations to load and commit one table.
import type { FileIO } from '../../io/fileio.js';
import type { TableMetadata } from './metadata.js';
import type { IcebergSchema, PartitionSpec } from './schema.js';
import type { TableOperations } from './table.js';

export interface NewTable {
  schema: IcebergSchema;
  spec: PartitionSpec;
  properties: Record<string, string>;
  location?: string;
}

export interface IcebergBackend {
  readonly kind: 'hadoop' | 'rest' | 'glue';
  open(): Promise<void>;
  close(): Promise<void>;
  listNamespaces(): Promise<string[]>;
  namespaceExists(ns: string): Promise<boolean>;
  createNamespace(ns: string, properties: Record<string, string>): Promise<void>;
  /** Fails when the namespace still holds tables. */
  dropNamespace(ns: string): Promise<void>;
  listTables(ns: string): Promise<string[]>;
  /** Operations for an existing table, or undefined. */
  loadTable(ns: string, name: string): Promise<TableOperations | undefined>;
  createTable(ns: string, name: string, t: NewTable): Promise<TableMetadata>;
  /** Adds an existing table, known by its metadata file, under a name (Iceberg's register-table). */
  registerTable(ns: string, name: string, metadataLocation: string): Promise<TableMetadata>;
  /** Returns false when the table did not exist. */
  dropTable(ns: string, name: string, purge: boolean): Promise<boolean>;
  /**
   * Gives a table another name (Iceberg's Catalog#renameTable): its metadata and files stay where
   * they are. Throws a ValidationError when the source is missing or the target exists, and an
   * UnsupportedError where the catalog cannot rename (hadoop, as Iceberg's HadoopCatalog).
   */
  renameTable(ns: string, name: string, toNs: string, toName: string): Promise<void>;
  /** The FileIO data files are written through. */
  io(): Promise<FileIO>;
}
