// Iceberg schemas (JSON form, Appendix C of the spec) and the mapping to and from tsstream's
// logical types, with field ids: new schemas number top-level fields 1..n first, then nested
// fields, as Iceberg's own assignment does.
import { MAX_LENGTH, type Field, type LogicalType } from '../../common/types.js';
import { UnsupportedError, ValidationError } from '../../common/errors.js';

export type IcebergPrimitive = string; // 'boolean' | 'int' | 'long' | ... | 'decimal(P,S)' | 'fixed[L]'

export interface IcebergListType {
  type: 'list';
  'element-id': number;
  element: IcebergType;
  'element-required': boolean;
}

export interface IcebergMapType {
  type: 'map';
  'key-id': number;
  key: IcebergType;
  'value-id': number;
  value: IcebergType;
  'value-required': boolean;
}

export interface IcebergStructType {
  type: 'struct';
  fields: IcebergField[];
}

export type IcebergType = IcebergPrimitive | IcebergListType | IcebergMapType | IcebergStructType;

export interface IcebergField {
  id: number;
  name: string;
  required: boolean;
  type: IcebergType;
  doc?: string;
}

export interface IcebergSchema {
  type: 'struct';
  'schema-id': number;
  'identifier-field-ids'?: number[];
  fields: IcebergField[];
}

export interface PartitionField {
  'source-id': number;
  'field-id': number;
  name: string;
  transform: string;
}

export interface PartitionSpec {
  'spec-id': number;
  fields: PartitionField[];
}

export function isPrimitive(t: IcebergType): t is string {
  return typeof t === 'string';
}

/** Builds an Iceberg schema from columns, assigning fresh field ids. */
export function schemaFromFields(fields: Field[], schemaId = 0, identifierNames: string[] = []): { schema: IcebergSchema; lastColumnId: number } {
  let next = 1;
  const ids = fields.map(() => next++);
  const out: IcebergField[] = fields.map((f, i) => ({ id: ids[i], name: f.name, required: !f.type.nullable, type: '' }));
  // Nested ids are assigned after all the fields of one level, breadth first per struct.
  const convert = (t: LogicalType): IcebergType => {
    switch (t.kind) {
      case 'BOOLEAN':
        return 'boolean';
      case 'TINYINT':
      case 'SMALLINT':
      case 'INT':
        return 'int';
      case 'BIGINT':
        return 'long';
      case 'FLOAT':
        return 'float';
      case 'DOUBLE':
        return 'double';
      case 'DECIMAL':
        if (t.precision > 38) throw new UnsupportedError(`DECIMAL(${t.precision}, ${t.scale}): Iceberg decimals have at most 38 digits`);
        return `decimal(${t.precision}, ${t.scale})`;
      case 'CHAR':
      case 'VARCHAR':
        return 'string';
      case 'BINARY':
        return `fixed[${t.length}]`;
      case 'VARBINARY':
        return 'binary';
      case 'DATE':
        return 'date';
      case 'TIME':
        return 'time';
      case 'TIMESTAMP':
        return 'timestamp';
      case 'TIMESTAMP_LTZ':
        return 'timestamptz';
      case 'ARRAY': {
        const id = next++;
        return { type: 'list', 'element-id': id, element: convert(t.element), 'element-required': !t.element.nullable };
      }
      case 'MAP': {
        const keyId = next++;
        const valueId = next++;
        return {
          type: 'map',
          'key-id': keyId,
          key: convert(t.key),
          'value-id': valueId,
          value: convert(t.value),
          'value-required': !t.value.nullable,
        };
      }
      case 'ROW': {
        const fids = t.fields.map(() => next++);
        return {
          type: 'struct',
          fields: t.fields.map((f, i) => ({ id: fids[i], name: f.name, required: !f.type.nullable, type: convert(f.type) })),
        };
      }
      default:
        throw new UnsupportedError(`Type ${t.kind} cannot be stored in an Iceberg table`);
    }
  };
  fields.forEach((f, i) => {
    out[i].type = convert(f.type);
  });
  const identifier = identifierNames.map((n) => {
    const f = out.find((x) => x.name === n);
    if (!f) throw new ValidationError(`Primary key column '${n}' is not a column of the table`);
    return f.id;
  });
  const schema: IcebergSchema = { type: 'struct', 'schema-id': schemaId, fields: out };
  if (identifier.length > 0) schema['identifier-field-ids'] = identifier;
  return { schema, lastColumnId: next - 1 };
}

/** The logical type of an Iceberg type (as Flink's Iceberg connector maps them). */
export function toLogicalType(t: IcebergType, nullable: boolean): LogicalType {
  if (typeof t === 'string') {
    const dec = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(t);
    if (dec) return { kind: 'DECIMAL', precision: Number(dec[1]), scale: Number(dec[2]), nullable };
    const fixed = /^fixed\[\s*(\d+)\s*\]$/.exec(t);
    if (fixed) return { kind: 'BINARY', length: Number(fixed[1]), nullable };
    switch (t) {
      case 'boolean':
        return { kind: 'BOOLEAN', nullable };
      case 'int':
        return { kind: 'INT', nullable };
      case 'long':
        return { kind: 'BIGINT', nullable };
      case 'float':
        return { kind: 'FLOAT', nullable };
      case 'double':
        return { kind: 'DOUBLE', nullable };
      case 'date':
        return { kind: 'DATE', nullable };
      case 'time':
        return { kind: 'TIME', precision: 6, nullable };
      case 'timestamp':
        return { kind: 'TIMESTAMP', precision: 6, nullable };
      case 'timestamptz':
        return { kind: 'TIMESTAMP_LTZ', precision: 6, nullable };
      case 'string':
        return { kind: 'VARCHAR', length: MAX_LENGTH, nullable };
      case 'uuid':
        return { kind: 'BINARY', length: 16, nullable };
      case 'binary':
        return { kind: 'VARBINARY', length: MAX_LENGTH, nullable };
      default:
        throw new UnsupportedError(`Iceberg type '${t}' is not supported`);
    }
  }
  switch (t.type) {
    case 'list':
      return { kind: 'ARRAY', element: toLogicalType(t.element, !t['element-required']), nullable };
    case 'map':
      return { kind: 'MAP', key: toLogicalType(t.key, false), value: toLogicalType(t.value, !t['value-required']), nullable };
    case 'struct':
      return { kind: 'ROW', fields: t.fields.map((f) => ({ name: f.name, type: toLogicalType(f.type, !f.required) })), nullable };
  }
}

export function schemaToFields(schema: IcebergSchema): Field[] {
  return schema.fields.map((f) => ({ name: f.name, type: toLogicalType(f.type, !f.required) }));
}

/** Identity partition spec on the named columns (the only transform tsstream writes). */
export function identitySpec(schema: IcebergSchema, columns: string[], specId = 0): { spec: PartitionSpec; lastPartitionId: number } {
  let next = 1000;
  const fields = columns.map((c) => {
    const f = schema.fields.find((x) => x.name === c) ?? schema.fields.find((x) => x.name.toLowerCase() === c.toLowerCase());
    if (!f) throw new ValidationError(`Partition column '${c}' is not a column of the table`);
    if (!isPrimitive(f.type)) throw new ValidationError(`Partition column '${c}' must be of a primitive type`);
    return { 'source-id': f.id, 'field-id': next++, name: f.name, transform: 'identity' };
  });
  return { spec: { 'spec-id': specId, fields }, lastPartitionId: fields.length === 0 ? 999 : next - 1 };
}

/** Every field by id (nested ones too), with its type. */
export function indexById(schema: { fields: IcebergField[] }): Map<number, IcebergField> {
  const out = new Map<number, IcebergField>();
  const visit = (t: IcebergType) => {
    if (typeof t === 'string') return;
    if (t.type === 'struct') for (const f of t.fields) add(f);
    else if (t.type === 'list') visit(t.element);
    else {
      visit(t.key);
      visit(t.value);
    }
  };
  const add = (f: IcebergField) => {
    out.set(f.id, f);
    visit(f.type);
  };
  for (const f of schema.fields) add(f);
  return out;
}

/** The result type of a partition field (spec "Partition Transforms": day is a date, bucket, year, month and hour are ints). */
export function partitionFieldType(schema: IcebergSchema, pf: PartitionField): IcebergType {
  const src = indexById(schema).get(pf['source-id']);
  const t = pf.transform.trim().toLowerCase();
  if (t === 'identity' || t.startsWith('truncate')) return src?.type ?? 'string';
  if (t === 'void') return src?.type ?? 'int';
  if (t === 'day') return 'date';
  return 'int';
}
