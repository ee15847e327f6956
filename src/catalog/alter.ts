// ALTER TABLE … ADD / MODIFY / DROP / RENAME of columns on a catalog entry, with Flink's checks
// (what the generic in-memory catalog does: the entry's columns change; a MODIFY may set any type
// there, the data lives in the connector). Iceberg catalogs commit schema changes instead
// (src/connectors/iceberg/evolve.ts).
import type { CatalogColumn, CatalogTable, ColumnChange, ColumnPosition } from '../common/catalog.js';
import { ValidationError } from '../common/errors.js';

export function applyColumnChanges(entry: CatalogTable, changes: ColumnChange[], table: string): CatalogTable {
  const columns: CatalogColumn[] = [...entry.columns];
  let primaryKey = entry.primaryKey ? [...entry.primaryKey] : undefined;
  let partitionKeys = [...entry.partitionKeys];
  const find = (name: string) => columns.findIndex((c) => c.name === name);
  const place = (c: CatalogColumn, position: ColumnPosition | undefined) => {
    if (!position) return columns.push(c);
    if (position.kind === 'first') return columns.unshift(c);
    const at = find(position.column);
    if (at < 0) throw new ValidationError(`Referenced column \`${position.column}\` by 'AFTER' does not exist in the table ${table}.`);
    columns.splice(at + 1, 0, c);
  };
  const watermarkColumn = entry.watermark?.column;
  for (const c of changes) {
    switch (c.kind) {
      case 'add': {
        if (find(c.name) >= 0) throw new ValidationError(`Try to add a column \`${c.name}\` which already exists in the table ${table}.`);
        place({ kind: 'physical', name: c.name, type: c.type, ...(c.comment !== undefined ? { comment: c.comment } : {}) }, c.position);
        break;
      }
      case 'modify': {
        const at = find(c.name);
        if (at < 0) throw new ValidationError(`Try to modify a column \`${c.name}\` which does not exist in the table ${table}.`);
        const old = columns[at];
        if (old.kind === 'computed') throw new ValidationError(`Column \`${c.name}\` of ${table} is a computed column: MODIFY it as \`${c.name} AS …\` is not supported`);
        const comment = c.comment ?? old.comment;
        const next: CatalogColumn = { ...old, type: c.type, ...(comment !== undefined ? { comment } : {}) };
        columns.splice(at, 1);
        if (c.position) place(next, c.position);
        else columns.splice(at, 0, next);
        break;
      }
      case 'drop': {
        const at = find(c.name);
        if (at < 0) throw new ValidationError(`The column \`${c.name}\` does not exist in the base table ${table}.`);
        if (primaryKey?.includes(c.name)) throw new ValidationError(`The column \`${c.name}\` is used as the primary key of ${table}.`);
        if (partitionKeys.includes(c.name)) throw new ValidationError(`The column \`${c.name}\` is used as the partition keys of ${table}.`);
        if (watermarkColumn === c.name) throw new ValidationError(`The column \`${c.name}\` is referenced by watermark expression of ${table}.`);
        if (columns.length === 1) throw new ValidationError(`Cannot drop \`${c.name}\`, the only column of ${table}`);
        columns.splice(at, 1);
        break;
      }
      case 'rename': {
        const at = find(c.from);
        if (at < 0) throw new ValidationError(`The column \`${c.from}\` does not exist in the base table ${table}.`);
        if (find(c.to) >= 0) throw new ValidationError(`The column \`${c.to}\` already existed in table schema of ${table}.`);
        if (watermarkColumn === c.from) throw new ValidationError(`The column \`${c.from}\` is referenced by watermark expression of ${table}.`);
        columns[at] = { ...columns[at], name: c.to };
        primaryKey = primaryKey?.map((k) => (k === c.from ? c.to : k));
        partitionKeys = partitionKeys.map((k) => (k === c.from ? c.to : k));
        break;
      }
    }
  }
  return { ...entry, columns, ...(primaryKey ? { primaryKey } : {}), partitionKeys };
}
