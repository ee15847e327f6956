// Schema evolution (ALTER TABLE … ADD / MODIFY / DROP / RENAME of columns) as Iceberg commits
// it: a new schema with a new schema id, field ids kept (added fields get fresh ids above
// last-column-id), only the type promotions the spec allows (int → long, float → double,
// decimal(P, S) → decimal(P', S) with P' ≥ P), no required column added. Files written before
// are read by field id: a renamed column keeps its data, an added one reads as NULL, a promoted
// one is widened on read.
import type { ColumnChange, ColumnPosition } from '../../common/catalog.js';
import { ValidationError } from '../../common/errors.js';
import { formatType } from '../../common/types.js';
import type { TableMetadata } from './metadata.js';
import { schemaFromFields, type IcebergField, type IcebergSchema, type IcebergType } from './schema.js';

function renumber(t: IcebergType, offset: number): IcebergType {
  if (typeof t === 'string') return t;
  switch (t.type) {
    case 'list':
      return { ...t, 'element-id': t['element-id'] + offset, element: renumber(t.element, offset) };
    case 'map':
      return { ...t, 'key-id': t['key-id'] + offset, key: renumber(t.key, offset), 'value-id': t['value-id'] + offset, value: renumber(t.value, offset) };
    case 'struct':
      return { ...t, fields: t.fields.map((f) => ({ ...f, id: f.id + offset, type: renumber(f.type, offset) })) };
  }
}

const DECIMAL = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

/** Whether Iceberg allows a column of type `from` to become `to` (spec "Schema Evolution"). */
export function canPromote(from: IcebergType, to: IcebergType): boolean {
  if (typeof from !== 'string' || typeof to !== 'string') return JSON.stringify(from) === JSON.stringify(to);
  if (from === to) return true;
  if (from === 'int' && to === 'long') return true;
  if (from === 'float' && to === 'double') return true;
  const a = DECIMAL.exec(from);
  const b = DECIMAL.exec(to);
  return !!a && !!b && a[2] === b[2] && Number(b[1]) >= Number(a[1]);
}

function typeText(t: IcebergType): string {
  return typeof t === 'string' ? t : t.type;
}

/** The schema after `changes` (in order), and the new last-column-id. Throws ValidationError naming the column. */
export function evolveSchema(meta: TableMetadata, current: IcebergSchema, changes: ColumnChange[], table: string): { schema: IcebergSchema; lastColumnId: number } {
  let lastId = meta['last-column-id'];
  const fields: IcebergField[] = current.fields.map((f) => ({ ...f }));
  const identifier = current['identifier-field-ids'] ?? [];
  const find = (name: string) => {
    const exact = fields.findIndex((f) => f.name === name);
    return exact >= 0 ? exact : fields.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
  };
  const place = (f: IcebergField, position: ColumnPosition | undefined) => {
    if (!position) return fields.push(f);
    if (position.kind === 'first') return fields.unshift(f);
    const at = find(position.column);
    if (at < 0) throw new ValidationError(`Referenced column \`${position.column}\` by 'AFTER' does not exist in the table ${table}.`);
    fields.splice(at + 1, 0, f);
  };
  const specSources = new Set(meta['partition-specs'].find((s) => s['spec-id'] === meta['default-spec-id'])?.fields.map((pf) => pf['source-id']) ?? []);
  for (const c of changes) {
    switch (c.kind) {
      case 'add': {
        if (find(c.name) >= 0) throw new ValidationError(`Try to add a column \`${c.name}\` which already exists in the table ${table}.`);
        if (!c.type.nullable) throw new ValidationError(`Incompatible change: cannot add required column \`${c.name}\` to Iceberg table ${table} (declare it nullable)`);
        const { schema: one, lastColumnId } = schemaFromFields([{ name: c.name, type: c.type }]);
        const f: IcebergField = { ...one.fields[0], id: one.fields[0].id + lastId, type: renumber(one.fields[0].type, lastId) };
        if (c.comment !== undefined) f.doc = c.comment;
        lastId += lastColumnId;
        place(f, c.position);
        break;
      }
      case 'modify': {
        const at = find(c.name);
        if (at < 0) throw new ValidationError(`Try to modify a column \`${c.name}\` which does not exist in the table ${table}.`);
        const old = fields[at];
        const { schema: one } = schemaFromFields([{ name: old.name, type: c.type }]);
        const to = one.fields[0].type;
        if (!canPromote(old.type, to)) {
          throw new ValidationError(
            `Cannot change column \`${old.name}\` of Iceberg table ${table} from ${typeText(old.type)} to ${typeText(to)} (${formatType(c.type)}): Iceberg allows int → bigint, float → double and widening a decimal's precision`,
          );
        }
        if (old.required === false && !c.type.nullable) throw new ValidationError(`Cannot change column \`${old.name}\` of Iceberg table ${table} from nullable to NOT NULL`);
        const f: IcebergField = { ...old, type: typeof to === 'string' ? to : old.type, required: !c.type.nullable && old.required };
        if (c.comment !== undefined) f.doc = c.comment;
        fields.splice(at, 1);
        if (c.position) place(f, c.position);
        else fields.splice(at, 0, f);
        break;
      }
      case 'drop': {
        const at = find(c.name);
        if (at < 0) throw new ValidationError(`The column \`${c.name}\` does not exist in the base table ${table}.`);
        const f = fields[at];
        if (identifier.includes(f.id)) throw new ValidationError(`The column \`${f.name}\` is used as the primary key of ${table}.`);
        if (specSources.has(f.id)) throw new ValidationError(`The column \`${f.name}\` is used as the partition keys of ${table}.`);
        if (fields.length === 1) throw new ValidationError(`Cannot drop \`${f.name}\`, the only column of ${table}`);
        fields.splice(at, 1);
        break;
      }
      case 'rename': {
        const at = find(c.from);
        if (at < 0) throw new ValidationError(`The column \`${c.from}\` does not exist in the base table ${table}.`);
        const other = find(c.to);
        if (other >= 0 && other !== at) throw new ValidationError(`The column \`${c.to}\` already existed in table schema of ${table}.`);
        fields[at] = { ...fields[at], name: c.to };
        break;
      }
    }
  }
  const schemaId = Math.max(...meta.schemas.map((s) => s['schema-id'])) + 1;
  const schema: IcebergSchema = { type: 'struct', 'schema-id': schemaId, fields };
  if (identifier.length > 0) schema['identifier-field-ids'] = identifier;
  return { schema, lastColumnId: lastId };
}
