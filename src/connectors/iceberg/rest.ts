// REST catalog client (placeholder until implemented below).
import { UnsupportedError } from '../../common/errors.js';
import type { FileIO } from '../../io/fileio.js';
import type { IcebergBackend, NewTable } from './backend.js';
import type { TableMetadata } from './metadata.js';
import type { TableOperations } from './table.js';

export class RestBackend implements IcebergBackend {
  readonly kind = 'rest' as const;
  constructor(_options: Record<string, string>) {}
  private no(): never {
    throw new UnsupportedError('The Iceberg REST catalog is not implemented yet');
  }
  async open(): Promise<void> { this.no(); }
  async close(): Promise<void> {}
  async listNamespaces(): Promise<string[]> { this.no(); }
  async namespaceExists(_ns: string): Promise<boolean> { this.no(); }
  async createNamespace(_ns: string, _p: Record<string, string>): Promise<void> { this.no(); }
  async dropNamespace(_ns: string): Promise<void> { this.no(); }
  async listTables(_ns: string): Promise<string[]> { this.no(); }
  async loadTable(_ns: string, _n: string): Promise<TableOperations | undefined> { this.no(); }
  async createTable(_ns: string, _n: string, _t: NewTable): Promise<TableMetadata> { this.no(); }
  async dropTable(_ns: string, _n: string, _p: boolean): Promise<boolean> { this.no(); }
  async io(): Promise<FileIO> { this.no(); }
}
