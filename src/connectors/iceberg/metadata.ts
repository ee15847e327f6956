// Iceberg table metadata (format v2): read and written losslessly (snapshot ids are bigint),
// unknown fields kept as they were; changes are expressed as the REST protocol's updates and
// requirements so that the hadoop and REST catalogs commit the same way.
import { randomUUID, randomBytes } from 'node:crypto';
import { ConnectorError } from '../../common/errors.js';
import { parseJson, stringifyJson, toBigInt, toBigIntOrNull } from './json.js';
import type { IcebergSchema, PartitionSpec } from './schema.js';

export interface Snapshot {
  'snapshot-id': bigint;
  'parent-snapshot-id'?: bigint;
  'sequence-number': number;
  'timestamp-ms': number;
  'manifest-list': string;
  summary: { operation: string; [k: string]: string };
  'schema-id'?: number;
  [k: string]: unknown;
}

export interface SnapshotRef {
  'snapshot-id': bigint;
  type: 'branch' | 'tag';
  'min-snapshots-to-keep'?: number;
  'max-snapshot-age-ms'?: number;
  'max-ref-age-ms'?: number;
}

export interface TableMetadata {
  'format-version': number;
  'table-uuid': string;
  location: string;
  'last-sequence-number': number;
  'last-updated-ms': number;
  'last-column-id': number;
  schemas: IcebergSchema[];
  'current-schema-id': number;
  'partition-specs': PartitionSpec[];
  'default-spec-id': number;
  'last-partition-id': number;
  properties: Record<string, string>;
  'current-snapshot-id': bigint | null;
  snapshots: Snapshot[];
  'snapshot-log': { 'timestamp-ms': number; 'snapshot-id': bigint }[];
  'metadata-log': { 'timestamp-ms': number; 'metadata-file': string }[];
  'sort-orders': unknown[];
  'default-sort-order-id': number;
  refs: Record<string, SnapshotRef>;
  [k: string]: unknown;
}

export type MetadataUpdate =
  | { action: 'add-snapshot'; snapshot: Snapshot }
  | { action: 'set-snapshot-ref'; 'ref-name': string; type: 'branch' | 'tag'; 'snapshot-id': bigint }
  | { action: 'remove-snapshots'; 'snapshot-ids': bigint[] }
  | { action: 'set-properties'; updates: Record<string, string> }
  | { action: 'remove-properties'; removals: string[] }
  /** A new schema (schema evolution); `last-column-id` is the highest field id assigned so far. */
  | { action: 'add-schema'; schema: IcebergSchema; 'last-column-id': number }
  /** -1: the schema added last in this commit. */
  | { action: 'set-current-schema'; 'schema-id': number };

export type UpdateRequirement =
  | { type: 'assert-create' }
  | { type: 'assert-table-uuid'; uuid: string }
  | { type: 'assert-ref-snapshot-id'; ref: string; 'snapshot-id': bigint | null }
  | { type: 'assert-current-schema-id'; 'current-schema-id': number }
  | { type: 'assert-last-assigned-field-id'; 'last-assigned-field-id': number };

/** Another writer changed the table since it was loaded: reload and retry. */
export class CommitConflictError extends ConnectorError {
  constructor(message: string) {
    super(message);
  }
}

/** The commit may or may not have landed (server error, time-out): reload and check before retrying. */
export class CommitStateUnknownError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v ?? 0));

function normalizeSnapshot(s: Record<string, unknown>): Snapshot {
  const out = { ...s } as Snapshot;
  out['snapshot-id'] = toBigInt(s['snapshot-id']);
  const parent = toBigIntOrNull(s['parent-snapshot-id']);
  if (parent === null) delete out['parent-snapshot-id'];
  else out['parent-snapshot-id'] = parent;
  out['sequence-number'] = num(s['sequence-number']);
  out['timestamp-ms'] = num(s['timestamp-ms']);
  out.summary = (s.summary ?? { operation: 'append' }) as Snapshot['summary'];
  return out;
}

/** Table metadata from JSON text (or an already parsed object, e.g. in a REST response). */
export function parseMetadata(input: string | Record<string, unknown>): TableMetadata {
  const raw = (typeof input === 'string' ? parseJson(input) : input) as Record<string, unknown>;
  if (!raw || typeof raw !== 'object') throw new ConnectorError('Table metadata is not a JSON object');
  const fv = num(raw['format-version']);
  if (fv > 2) throw new ConnectorError(`Iceberg format version ${fv} is not supported (tsstream reads and writes v1 and v2)`);
  const m = { ...raw } as TableMetadata;
  m['format-version'] = fv;
  m['last-sequence-number'] = num(raw['last-sequence-number']);
  m['last-updated-ms'] = num(raw['last-updated-ms']);
  if (!Array.isArray(raw.schemas) && raw.schema) {
    const sc = raw.schema as IcebergSchema;
    m.schemas = [{ ...sc, 'schema-id': sc['schema-id'] ?? 0 }];
    m['current-schema-id'] = sc['schema-id'] ?? 0;
  }
  if (!Array.isArray(raw['partition-specs']) && raw['partition-spec']) {
    m['partition-specs'] = [{ 'spec-id': 0, fields: raw['partition-spec'] as PartitionSpec['fields'] }];
    m['default-spec-id'] = 0;
  }
  m.properties = (raw.properties as Record<string, string>) ?? {};
  const cur = toBigIntOrNull(raw['current-snapshot-id']);
  m['current-snapshot-id'] = cur === null || cur === -1n ? null : cur;
  m.snapshots = ((raw.snapshots as Record<string, unknown>[]) ?? []).map(normalizeSnapshot);
  m['snapshot-log'] = ((raw['snapshot-log'] as Record<string, unknown>[]) ?? []).map((e) => ({
    'timestamp-ms': num(e['timestamp-ms']),
    'snapshot-id': toBigInt(e['snapshot-id']),
  }));
  m['metadata-log'] = ((raw['metadata-log'] as Record<string, unknown>[]) ?? []).map((e) => ({
    'timestamp-ms': num(e['timestamp-ms']),
    'metadata-file': String(e['metadata-file']),
  }));
  m['sort-orders'] = (raw['sort-orders'] as unknown[]) ?? [{ 'order-id': 0, fields: [] }];
  m['default-sort-order-id'] = num(raw['default-sort-order-id'] ?? 0);
  const refs: Record<string, SnapshotRef> = {};
  for (const [k, v] of Object.entries((raw.refs as Record<string, Record<string, unknown>>) ?? {})) {
    refs[k] = { ...(v as object), 'snapshot-id': toBigInt(v['snapshot-id']), type: (v.type as 'branch' | 'tag') ?? 'branch' } as SnapshotRef;
  }
  if (!refs.main && m['current-snapshot-id'] !== null) refs.main = { 'snapshot-id': m['current-snapshot-id'], type: 'branch' };
  m.refs = refs;
  if (Array.isArray(raw.statistics)) {
    m.statistics = (raw.statistics as Record<string, unknown>[]).map((s) => ({ ...s, 'snapshot-id': toBigInt(s['snapshot-id']) }));
  }
  return m;
}

/** The metadata as JSON text (ids printed exactly). */
export function serializeMetadata(m: TableMetadata, space = 2): string {
  const out: Record<string, unknown> = { ...m };
  out['current-snapshot-id'] = m['current-snapshot-id'] ?? -1n;
  return stringifyJson(out, space);
}

/** A new snapshot id: a random positive 63-bit long, as Java's Iceberg makes them (BIGINT keeps it exact). */
export function newSnapshotId(): bigint {
  const b = randomBytes(8);
  const v = b.readBigUInt64BE() & ((1n << 63n) - 1n);
  return v === 0n ? 1n : v;
}

export function newTableMetadata(args: {
  location: string;
  schema: IcebergSchema;
  lastColumnId: number;
  spec: PartitionSpec;
  lastPartitionId: number;
  properties?: Record<string, string>;
  uuid?: string;
}): TableMetadata {
  return {
    'format-version': 2,
    'table-uuid': args.uuid ?? randomUUID(),
    location: args.location.replace(/\/+$/, ''),
    'last-sequence-number': 0,
    'last-updated-ms': Date.now(),
    'last-column-id': args.lastColumnId,
    'current-schema-id': args.schema['schema-id'],
    schemas: [args.schema],
    'default-spec-id': args.spec['spec-id'],
    'partition-specs': [args.spec],
    'last-partition-id': args.lastPartitionId,
    'default-sort-order-id': 0,
    'sort-orders': [{ 'order-id': 0, fields: [] }],
    properties: { ...(args.properties ?? {}) },
    'current-snapshot-id': null,
    refs: {},
    snapshots: [],
    statistics: [],
    'partition-statistics': [],
    'snapshot-log': [],
    'metadata-log': [],
  };
}

export function currentSchema(m: TableMetadata): IcebergSchema {
  const s = m.schemas.find((x) => x['schema-id'] === m['current-schema-id']);
  if (!s) throw new ConnectorError(`Table metadata has no schema with id ${m['current-schema-id']}`);
  return s;
}

export function defaultSpec(m: TableMetadata): PartitionSpec {
  return m['partition-specs'].find((x) => x['spec-id'] === m['default-spec-id']) ?? { 'spec-id': 0, fields: [] };
}

export function specById(m: TableMetadata, id: number): PartitionSpec | undefined {
  return m['partition-specs'].find((x) => x['spec-id'] === id);
}

export function snapshotById(m: TableMetadata, id: bigint): Snapshot | undefined {
  return m.snapshots.find((s) => s['snapshot-id'] === id);
}

export function currentSnapshot(m: TableMetadata): Snapshot | undefined {
  const id = m.refs.main?.['snapshot-id'] ?? m['current-snapshot-id'];
  return id === null || id === undefined ? undefined : snapshotById(m, id);
}

/**
 * The head of a branch (main when none is given). A branch that does not exist yet starts at
 * main's current snapshot, as in Iceberg's SnapshotUtil.latestSnapshot (a write creates it there).
 */
export function branchHead(m: TableMetadata, branch: string | undefined): Snapshot | undefined {
  if (!branch || branch === 'main') return currentSnapshot(m);
  const ref = m.refs[branch];
  return ref ? snapshotById(m, ref['snapshot-id']) : currentSnapshot(m);
}

/** The snapshot and its parents, newest first (stops where the chain leaves the metadata). */
export function* ancestors(m: TableMetadata, from: Snapshot | undefined): Generator<Snapshot> {
  const seen = new Set<bigint>();
  let s = from;
  while (s && !seen.has(s['snapshot-id'])) {
    seen.add(s['snapshot-id']);
    yield s;
    const p = s['parent-snapshot-id'];
    s = p === undefined ? undefined : snapshotById(m, p);
  }
}

/** The snapshot that was current at a time (ms): the last one made current at or before it. */
export function snapshotAsOf(m: TableMetadata, timestampMs: number): Snapshot | undefined {
  let found: bigint | undefined;
  for (const e of m['snapshot-log']) if (e['timestamp-ms'] <= timestampMs) found = e['snapshot-id'];
  if (found === undefined) {
    // No log: walk the current ancestry.
    for (const s of ancestors(m, currentSnapshot(m))) if (s['timestamp-ms'] <= timestampMs) return s;
    return undefined;
  }
  return snapshotById(m, found);
}

export function checkRequirements(base: TableMetadata | undefined, reqs: UpdateRequirement[]): void {
  for (const r of reqs) {
    if (r.type === 'assert-create') {
      if (base) throw new CommitConflictError('Requirement failed: table already exists');
      continue;
    }
    if (!base) throw new CommitConflictError('Requirement failed: table does not exist');
    if (r.type === 'assert-table-uuid' && base['table-uuid'] !== r.uuid) {
      throw new CommitConflictError(`Requirement failed: table UUID does not match (expected ${r.uuid}, found ${base['table-uuid']})`);
    }
    if (r.type === 'assert-current-schema-id' && base['current-schema-id'] !== r['current-schema-id']) {
      throw new CommitConflictError(`Requirement failed: current schema changed (expected ${r['current-schema-id']}, found ${base['current-schema-id']})`);
    }
    if (r.type === 'assert-last-assigned-field-id' && base['last-column-id'] !== r['last-assigned-field-id']) {
      throw new CommitConflictError(`Requirement failed: last assigned field id changed (expected ${r['last-assigned-field-id']}, found ${base['last-column-id']})`);
    }
    if (r.type === 'assert-ref-snapshot-id') {
      const ref = base.refs[r.ref];
      const actual = ref ? ref['snapshot-id'] : null;
      const expected = r['snapshot-id'] === null || r['snapshot-id'] === undefined ? null : toBigInt(r['snapshot-id']);
      if (actual !== expected) {
        throw new CommitConflictError(
          `Requirement failed: branch ${r.ref} has changed (expected ${expected ?? 'none'}, found ${actual ?? 'none'})`,
        );
      }
    }
  }
}

/** Applies updates to a copy of the metadata. `previousFile` joins the metadata log. */
export function applyUpdates(base: TableMetadata, updates: MetadataUpdate[], previousFile?: string): TableMetadata {
  const m: TableMetadata = {
    ...base,
    snapshots: [...base.snapshots],
    refs: { ...base.refs },
    properties: { ...base.properties },
    'snapshot-log': [...base['snapshot-log']],
    'metadata-log': [...base['metadata-log']],
    schemas: [...base.schemas],
  };
  const now = Date.now();
  let lastAddedSchema: number | undefined;
  for (const u of updates) {
    switch (u.action) {
      case 'add-snapshot': {
        const s = normalizeSnapshot(u.snapshot as unknown as Record<string, unknown>);
        if (m.snapshots.some((x) => x['snapshot-id'] === s['snapshot-id'])) {
          throw new CommitConflictError(`Snapshot ${s['snapshot-id']} already exists`);
        }
        if (m['format-version'] >= 2 && s['sequence-number'] <= m['last-sequence-number'] && s['parent-snapshot-id'] !== undefined) {
          throw new CommitConflictError(
            `Cannot add snapshot with sequence number ${s['sequence-number']} older than last sequence number ${m['last-sequence-number']}`,
          );
        }
        m.snapshots.push(s);
        m['last-sequence-number'] = Math.max(m['last-sequence-number'], s['sequence-number']);
        break;
      }
      case 'set-snapshot-ref': {
        const id = toBigInt(u['snapshot-id']);
        const snap = m.snapshots.find((x) => x['snapshot-id'] === id);
        if (!snap) throw new ConnectorError(`Cannot set ref ${u['ref-name']} to unknown snapshot ${id}`);
        m.refs[u['ref-name']] = { 'snapshot-id': id, type: u.type ?? 'branch' };
        if (u['ref-name'] === 'main') {
          m['current-snapshot-id'] = id;
          m['snapshot-log'].push({ 'timestamp-ms': snap['timestamp-ms'], 'snapshot-id': id });
        }
        break;
      }
      case 'remove-snapshots': {
        const ids = new Set(u['snapshot-ids'].map((x) => toBigInt(x)));
        for (const [name, ref] of Object.entries(m.refs)) {
          if (ids.has(ref['snapshot-id'])) throw new ConnectorError(`Cannot remove snapshot ${ref['snapshot-id']}: ref ${name} points to it`);
        }
        m.snapshots = m.snapshots.filter((x) => !ids.has(x['snapshot-id']));
        m['snapshot-log'] = m['snapshot-log'].filter((e) => !ids.has(e['snapshot-id']));
        break;
      }
      case 'set-properties':
        Object.assign(m.properties, u.updates);
        break;
      case 'remove-properties':
        for (const k of u.removals) delete m.properties[k];
        break;
      case 'add-schema': {
        const id = u.schema['schema-id'];
        if (m.schemas.some((x) => x['schema-id'] === id)) throw new CommitConflictError(`Schema ${id} already exists`);
        m.schemas.push(u.schema);
        m['last-column-id'] = Math.max(m['last-column-id'], u['last-column-id']);
        lastAddedSchema = id;
        break;
      }
      case 'set-current-schema': {
        const id = u['schema-id'] === -1 ? lastAddedSchema : u['schema-id'];
        if (id === undefined || !m.schemas.some((x) => x['schema-id'] === id)) throw new ConnectorError(`Cannot set the current schema to unknown schema ${u['schema-id']}`);
        m['current-schema-id'] = id;
        break;
      }
      default:
        throw new ConnectorError(`Unsupported metadata update '${(u as { action: string }).action}'`);
    }
  }
  if (previousFile) m['metadata-log'].push({ 'timestamp-ms': base['last-updated-ms'], 'metadata-file': previousFile });
  const maxLog = Number(m.properties['write.metadata.previous-versions-max'] ?? 100);
  if (m['metadata-log'].length > maxLog) m['metadata-log'] = m['metadata-log'].slice(-maxLog);
  m['last-updated-ms'] = now;
  return m;
}
