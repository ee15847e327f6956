// The hadoop (file-system) catalog: a warehouse folder, local or on S3, where a namespace is
// a folder and a table is `<warehouse>/<db>/<table>` with `metadata/vN.metadata.json` and
// `metadata/version-hint.text`, the layout other engines read by path. A table folder whose
// metadata files are named `NNNNN-<uuid>.metadata.json` without a version hint (copied from
// Glue or Athena) opens by its newest metadata file and keeps that naming when committing.
import { UnsupportedError, ValidationError } from '../../common/errors.js';
import { AccessDeniedError, fileIOFor, joinPath, type FileIO } from '../../io/fileio.js';
import type { IcebergBackend, NewTable } from './backend.js';
import { CommitConflictError, newTableMetadata, type TableMetadata } from './metadata.js';
import { HadoopTableOperations, listMetadataFiles, MetadataFileTableOperations, parseMetadataFile, type TableOperations } from './table.js';
import { serializeMetadata } from './metadata.js';

const NAME_RE = /^[^/\\$]+$/;

export function checkName(what: string, name: string): void {
  if (!NAME_RE.test(name) || name === '.' || name === '..') {
    throw new ValidationError(`Invalid ${what} name '${name}': it must not contain '/', '\\' or '$'`);
  }
}

export class HadoopBackend implements IcebergBackend {
  readonly kind = 'hadoop' as const;
  private fileIO: FileIO | undefined;
  readonly warehouse: string;

  constructor(warehouse: string, private readonly options: Record<string, string>) {
    if (!warehouse) throw new ValidationError("The hadoop Iceberg catalog needs a 'warehouse' location");
    this.warehouse = warehouse.replace(/\/+$/, '') || '/';
  }

  async io(): Promise<FileIO> {
    return (this.fileIO ??= await fileIOFor(this.warehouse, this.options));
  }

  async open(): Promise<void> {
    const io = await this.io();
    try {
      await io.mkdirs(this.warehouse);
    } catch (e) {
      // Credentials that may read but not write (an S3 policy with GetObject/ListBucket only) still
      // open the catalog to read it: the warehouse only has to be listable.
      if (!(e instanceof AccessDeniedError)) throw e;
      await io.list(this.warehouse).catch(() => {
        throw e;
      });
    }
  }

  async close(): Promise<void> {
    if (this.fileIO && this.fileIO.scheme !== 'file') await this.fileIO.close();
    this.fileIO = undefined;
  }

  private nsPath(ns: string): string {
    checkName('database', ns);
    return joinPath(this.warehouse, ns);
  }

  tableLocation(ns: string, name: string): string {
    checkName('table', name);
    return joinPath(this.nsPath(ns), name);
  }

  private async isTable(io: FileIO, folder: string): Promise<boolean> {
    const files = await io.list(joinPath(folder, 'metadata'));
    if (files.some((f) => f.name === 'version-hint.text')) return true;
    return (await listMetadataFiles(io, joinPath(folder, 'metadata'))).length > 0;
  }

  async listNamespaces(): Promise<string[]> {
    const io = await this.io();
    const out: string[] = [];
    for (const e of await io.list(this.warehouse)) {
      if (!e.isDir || e.name.startsWith('.')) continue;
      if (await this.isTable(io, e.location)) continue;
      out.push(e.name);
    }
    return out;
  }

  async namespaceExists(ns: string): Promise<boolean> {
    return (await this.listNamespaces()).includes(ns);
  }

  async createNamespace(ns: string): Promise<void> {
    const io = await this.io();
    await io.mkdirs(this.nsPath(ns));
  }

  async dropNamespace(ns: string): Promise<void> {
    const tables = await this.listTables(ns);
    if (tables.length > 0) throw new ValidationError(`Database ${ns} is not empty (tables: ${tables.join(', ')})`);
    const io = await this.io();
    await io.deleteRecursive(this.nsPath(ns));
  }

  async listTables(ns: string): Promise<string[]> {
    const io = await this.io();
    const out: string[] = [];
    for (const e of await io.list(this.nsPath(ns))) {
      if (e.isDir && (await this.isTable(io, e.location))) out.push(e.name);
    }
    return out;
  }

  async loadTable(ns: string, name: string): Promise<TableOperations | undefined> {
    const io = await this.io();
    const ops = new HadoopTableOperations(io, this.tableLocation(ns, name), `${ns}.${name}`);
    if (await ops.exists()) return ops;
    // No version hint and no vN files: a table with catalog-style names (NNNNN-<uuid>).
    const dir = joinPath(this.tableLocation(ns, name), 'metadata');
    if ((await listMetadataFiles(io, dir)).length > 0) return new MetadataFileTableOperations(io, dir, `${ns}.${name}`);
    return undefined;
  }

  /**
   * Registers an existing table under this warehouse: its metadata file becomes v1 of
   * `<warehouse>/<db>/<table>` (the table's data and its own location stay where they are).
   */
  async registerTable(ns: string, name: string, metadataLocation: string): Promise<TableMetadata> {
    if (!(await this.namespaceExists(ns))) throw new ValidationError(`Database ${ns} does not exist`);
    if (await this.loadTable(ns, name)) throw new ValidationError(`Table ${ns}.${name} already exists`);
    const io = await this.io();
    const source = await fileIOFor(metadataLocation, this.options);
    const meta = parseMetadataFile(await source.read(metadataLocation), metadataLocation, `${ns}.${name}`);
    const ops = new HadoopTableOperations(io, this.tableLocation(ns, name), `${ns}.${name}`);
    await io.write(ops.metadataFile(1), new TextEncoder().encode(serializeMetadata(meta)), { ifAbsent: true });
    await io.write(joinPath(ops.metadataDir, 'version-hint.text'), new TextEncoder().encode('1'));
    return meta;
  }

  async createTable(ns: string, name: string, t: NewTable): Promise<TableMetadata> {
    if (t.location && t.location.replace(/\/+$/, '') !== this.tableLocation(ns, name)) {
      throw new ValidationError(`The hadoop catalog places tables under the warehouse; a custom 'location' is not allowed`);
    }
    if (!(await this.namespaceExists(ns))) throw new ValidationError(`Database ${ns} does not exist`);
    const location = this.tableLocation(ns, name);
    const lastColumnId = maxId(t.schema.fields);
    const meta = newTableMetadata({
      location,
      schema: t.schema,
      lastColumnId,
      spec: t.spec,
      lastPartitionId: t.spec.fields.reduce((a, f) => Math.max(a, f['field-id']), 999),
      properties: t.properties,
    });
    const ops = new HadoopTableOperations(await this.io(), location, `${ns}.${name}`);
    try {
      return await ops.create(meta);
    } catch (e) {
      if (e instanceof CommitConflictError) throw new ValidationError(`Table ${ns}.${name} already exists`);
      throw e;
    }
  }

  async dropTable(ns: string, name: string): Promise<boolean> {
    const ops = await this.loadTable(ns, name);
    if (!ops) return false;
    const io = await this.io();
    await io.deleteRecursive(this.tableLocation(ns, name));
    return true;
  }

  /** As Iceberg's HadoopCatalog (and so Flink's hadoop catalog): a table is its folder, which a rename would have to move. */
  async renameTable(ns: string, name: string): Promise<void> {
    if (!(await this.loadTable(ns, name))) throw new ValidationError(`Table ${ns}.${name} does not exist`);
    throw new UnsupportedError(
      `Cannot rename Hadoop tables: a table of the hadoop catalog is its folder ${this.tableLocation(ns, name)} (as in Flink and Iceberg); create the new table and INSERT INTO it, or register the table's metadata file under the new name in a rest or glue catalog`,
    );
  }
}

function maxId(fields: { id: number; type: unknown }[]): number {
  let m = 0;
  const visit = (t: unknown) => {
    if (!t || typeof t !== 'object') return;
    const o = t as Record<string, unknown>;
    if (o.type === 'struct') for (const f of o.fields as { id: number; type: unknown }[]) (m = Math.max(m, f.id)), visit(f.type);
    if (o.type === 'list') (m = Math.max(m, o['element-id'] as number)), visit(o.element);
    if (o.type === 'map') (m = Math.max(m, o['key-id'] as number, o['value-id'] as number)), visit(o.key), visit(o.value);
  };
  for (const f of fields) (m = Math.max(m, f.id)), visit(f.type);
  return m;
}
