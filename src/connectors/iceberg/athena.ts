// Athena's maintenance statements on Iceberg tables, as aliases of the procedures:
//   OPTIMIZE t REWRITE DATA USING BIN_PACK [WHERE p]  → rewrite_data_files (bin-pack), on the
//       partitions p selects (p may use the table's identity partition columns only, as in Athena)
//   VACUUM t  → expire_snapshots by the table's retention properties, then remove orphan files
//       older than the same age.
// Retention: Iceberg's history.expire.max-snapshot-age-ms (default 5 days) and
// history.expire.min-snapshots-to-keep (default 1); Athena's vacuum_max_snapshot_age_seconds and
// vacuum_min_snapshots_to_keep are honoured when the Iceberg ones are not set.
import { ValidationError } from '../../common/errors.js';
import type { Field } from '../../common/types.js';
import type { DataFile } from './manifest.js';
import { expireSnapshots, removeOrphanFiles, rewriteDataFiles, type RewriteResult } from './maintenance.js';
import { currentSchema, defaultSpec } from './metadata.js';
import { toLogicalType } from './schema.js';
import type { TableOperations } from './table.js';

const DAY_MS = 86_400_000;

/** Iceberg types whose partition values are tsstream values as they are (identity transform). */
const WHERE_TYPES = new Set(['boolean', 'int', 'long', 'string', 'date']);

export interface PartitionColumns {
  /** The columns a WHERE may use, in the order `values()` gives them. */
  fields: Field[];
  /** A data file's values of those columns, or undefined when it has another partition spec. */
  values(f: DataFile): unknown[] | undefined;
}

/** The identity partition columns of the table's current spec (what OPTIMIZE … WHERE may name). */
export async function identityPartitionColumns(ops: TableOperations): Promise<PartitionColumns> {
  const m = await ops.load();
  const schema = currentSchema(m);
  const spec = defaultSpec(m);
  const cols: { index: number; field: Field }[] = [];
  spec.fields.forEach((pf, index) => {
    if (pf.transform !== 'identity') return;
    const src = schema.fields.find((f) => f.id === pf['source-id']);
    if (!src || typeof src.type !== 'string' || !WHERE_TYPES.has(src.type)) return;
    cols.push({ index, field: { name: src.name, type: toLogicalType(src.type, true) } });
  });
  return {
    fields: cols.map((c) => c.field),
    values: (f) => (f.specId === spec['spec-id'] ? cols.map((c) => f.partition[c.index] ?? null) : undefined),
  };
}

/** OPTIMIZE … REWRITE DATA USING BIN_PACK: bin-packs the small files (of the partitions `include` accepts). */
export function optimizeBinPack(ops: TableOperations, include?: (f: DataFile) => boolean): Promise<RewriteResult> {
  return rewriteDataFiles(ops, include ? { include } : {});
}

function positiveNumber(table: string, key: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new ValidationError(`Table ${table}: property '${key}' = '${v}' is not a non-negative number`);
  return n;
}

export interface VacuumResult {
  expiredSnapshots: number;
  deletedFiles: number;
  orphanFiles: number;
}

/** VACUUM: expire snapshots by the table's retention properties, then delete orphan files older than that age. */
export async function vacuum(ops: TableOperations, now = Date.now()): Promise<VacuumResult> {
  const props = (await ops.load()).properties;
  const ageMs =
    positiveNumber(ops.name, 'history.expire.max-snapshot-age-ms', props['history.expire.max-snapshot-age-ms']) ??
    (positiveNumber(ops.name, 'vacuum_max_snapshot_age_seconds', props.vacuum_max_snapshot_age_seconds) ?? 5 * DAY_MS / 1000) * 1000;
  const keep =
    positiveNumber(ops.name, 'history.expire.min-snapshots-to-keep', props['history.expire.min-snapshots-to-keep']) ??
    positiveNumber(ops.name, 'vacuum_min_snapshots_to_keep', props.vacuum_min_snapshots_to_keep) ??
    1;
  const olderThanMs = now - ageMs;
  const expired = await expireSnapshots(ops, { olderThanMs, retainLast: Math.max(1, Math.floor(keep)) });
  const orphans = await removeOrphanFiles(ops, { olderThanMs });
  return { expiredSnapshots: expired.expiredSnapshots, deletedFiles: expired.deletedFiles, orphanFiles: orphans.length };
}
