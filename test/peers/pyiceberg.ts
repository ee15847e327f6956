// Peer 'pyiceberg': Iceberg's Python implementation in the shared venv, used to read back what
// tsstream wrote (and to write tables tsstream must read). Nothing runs between calls: each
// read/write is one `python read_table.py` with the request on stdin and JSON on stdout.
//   const t = await readIcebergTable({ kind: 'hadoop', warehouse: dir }, 'db.events');
//   t.rows, t.schema.fields[0].id, t.currentSnapshot?.summary['added-records']
import type { Peer } from './peer.js';
import { peer } from './index.js';
import { ensureVenv, pythonUnavailable, runVenvScript, venvBin } from './python.js';

export type PyicebergEndpoint = { python: string };

export const pyicebergPeer: Peer<PyicebergEndpoint> = {
  name: 'pyiceberg',
  unavailable: pythonUnavailable,
  install: ensureVenv,
  async start(log) {
    await ensureVenv(log);
    return { endpoint: { python: venvBin('python') }, stop: async () => undefined };
  },
};

/** Where the table is: an Iceberg REST catalog, a hadoop (filesystem) warehouse, or one metadata
 *  file. props are FileIO properties (s3.endpoint, s3.access-key-id, …; see moto.ts s3Options). */
export type CatalogSpec =
  | { kind: 'rest'; uri: string; props?: Record<string, string> }
  | { kind: 'hadoop'; warehouse: string; props?: Record<string, string> }
  | { kind: 'metadata'; location: string; props?: Record<string, string> };

/** Iceberg schema JSON as the spec writes it (types: "long", "decimal(10, 2)", {type: "struct", …}). */
export interface IcebergField {
  id: number;
  name: string;
  required: boolean;
  type: string | Record<string, unknown>;
  doc?: string;
}

export interface PySnapshot {
  snapshotId: string;
  parentSnapshotId: string | null;
  sequenceNumber: number | null;
  timestampMs: number;
  manifestList: string;
  /** operation plus the other summary properties, all strings. */
  summary: Record<string, string>;
}

export interface PyTable {
  location: string;
  metadataLocation: string;
  formatVersion: number;
  columns: string[];
  /** Values by Iceberg type: long/decimal as exact strings, timestamps as ISO strings with
   *  microseconds (timestamptz with "+00:00"), dates "YYYY-MM-DD", binary hex, map → [k, v][]. */
  rows: unknown[][];
  schema: { type: 'struct'; 'schema-id': number; fields: IcebergField[]; 'identifier-field-ids'?: number[] };
  spec: { 'spec-id': number; fields: { 'source-id': number; 'field-id': number; transform: string; name: string }[] };
  sortOrder: unknown;
  properties: Record<string, string>;
  currentSnapshot: PySnapshot | null;
  snapshots: PySnapshot[];
  /** Data files the (filtered) scan planned to read. */
  filesScanned: number;
  /** Those files, each with its partition tuple from the manifest in spec order (day → days since
   *  the epoch, bucket → int, truncate → the truncated value; longs ≥ 2^53 as strings). */
  files: { path: string; recordCount: number; partition: unknown[] }[];
  /** With partitionOfRows: each row's partition tuple as pyiceberg's own transforms compute it. */
  rowPartitions: unknown[][];
}

function runPython(script: string, request: unknown): Promise<unknown> {
  return runVenvScript(peer<PyicebergEndpoint>('pyiceberg').python, script, request);
}

/** Reads a table (its current snapshot, or snapshotId) with pyiceberg. `table` is "db.name". */
export async function readIcebergTable(
  catalog: CatalogSpec,
  table: string,
  opts: { snapshotId?: string | bigint; /** pyiceberg filter, e.g. "n >= 5 and event_type == 'view'" */ rowFilter?: string; partitionOfRows?: boolean } = {},
): Promise<PyTable> {
  return (await runPython('read_table.py', { catalog, table, snapshotId: opts.snapshotId?.toString(), rowFilter: opts.rowFilter, partitionOfRows: opts.partitionOfRows })) as PyTable;
}

/** Microseconds since the epoch as read_table.py prints a timestamp ('…T10:00:00.000000', '+00:00' for timestamptz). */
export function isoMicros(micros: number | bigint, tz = false): string {
  const us = BigInt(micros);
  const ms = us / 1000n - (us % 1000n < 0n ? 1n : 0n);
  const rest = us - ms * 1000n;
  const iso = new Date(Number(ms)).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 23)}${String(rest).padStart(3, '0')}${tz ? '+00:00' : ''}`;
}

/** Days since the epoch as read_table.py prints a date. */
export function isoDate(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

export interface PyWriteRequest {
  columns: { name: string; type: string; required?: boolean }[];
  rows: unknown[][];
  partitionBy?: { column: string; transform: string }[];
  properties?: Record<string, string>;
}

/** Creates the table if it is missing (namespace too) and appends the rows with pyiceberg, through
 *  a REST catalog. Values as readIcebergTable prints them (long/decimal may be strings). */
export async function writeIcebergTable(
  catalog: Extract<CatalogSpec, { kind: 'rest' }>,
  table: string,
  req: PyWriteRequest,
): Promise<{ snapshotId: string; metadataLocation: string; created: boolean }> {
  return (await runPython('write_table.py', { catalog, table, ...req })) as { snapshotId: string; metadataLocation: string; created: boolean };
}

/** The schema's fields as [id, name, type] for compact comparisons. */
export function fieldSummary(t: PyTable): [number, string, string | Record<string, unknown>][] {
  return t.schema.fields.map((f) => [f.id, f.name, f.type]);
}
