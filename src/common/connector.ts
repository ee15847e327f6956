// The contract between the runtime and connectors (sources, sinks) and between the planner
// and connector factories, which it finds by name. Connectors implement these; the runtime
// calls them. Everything that crosses a checkpoint is plain JSON.
import type { Field, LogicalType, Row } from './types.js';
import type { OptionSpec } from './options.js';
import type { ColumnBatch } from './columns.js';

/** catalog.database.table */
export interface ObjectPath {
  catalog: string;
  database: string;
  table: string;
}

export function formatPath(p: ObjectPath): string {
  return `${p.catalog}.${p.database}.${p.table}`;
}

export interface MetadataColumn {
  name: string;
  type: LogicalType;
  /** The connector's metadata key (`FROM 'key'`), defaulting to the column name. */
  key: string;
  virtual: boolean;
}

/** What a factory is given to build a source or sink: the resolved table. */
export interface TableDescriptor {
  path: ObjectPath;
  /** Physical columns, in declared order: what the connector reads or writes. */
  physical: Field[];
  /** Metadata columns the table declares (sources append the requested ones after the physical ones). */
  metadata: MetadataColumn[];
  options: Record<string, string>;
  partitionKeys: string[];
  primaryKey?: string[];
}

/** A comparison of two values. */
export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** `a op b` of two values of one JavaScript type (numbers, strings; booleans and bigints cast to number by the caller). */
export function compareWith(op: ComparisonOp, a: number | string, b: number | string): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '<>':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** A simple predicate on one column that a source may use to skip data (it must still be re-checked). */
export type PushdownPredicate =
  | { op: ComparisonOp; column: string; value: unknown }
  | { op: 'IS NULL' | 'IS NOT NULL'; column: string }
  | { op: 'IN'; column: string; values: unknown[] };

export interface ScanRequest {
  /** Indices into `physical` to produce, in this order; all when absent. */
  projection?: number[];
  /** Metadata columns to append after the physical ones, by key, in this order. */
  metadataKeys?: string[];
  /** Conjunctive predicates the source may use to prune (files, partitions). */
  filters?: PushdownPredicate[];
  /** The job runs in batch mode: a source that can be unbounded should read what exists now and end. */
  batch: boolean;
}

export interface RuntimeContext {
  jobId: string;
  jobName: string;
  /** Session configuration (SET keys) in force for the job. */
  config: ReadonlyMap<string, string>;
  /** Aborted when the job is cancelled or stopped. */
  signal: AbortSignal;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** Counters for metrics (e.g. 'records-skipped'). */
  metric(name: string, delta: number): void;
  /**
   * Set when the job runs split across worker threads: this is worker `index` of `parallelism`,
   * and a source reads only its share of the splits (Kafka partitions, Nexmark events by stride).
   * `wholeSplits`: the plan keeps state whose result depends on the order of the rows (keyed
   * operators, a window aggregation's late rows), so each split is read whole, in its order, by
   * one worker (as Flink reads a file: one split per file) — a source must not cut a split into
   * parts read by several workers (byte ranges or every N-th record of one file).
   * `chunks` (with wholeSplits): a source may instead cut one file into chunks at the batch
   * boundaries parallelism 1 has and mark each chunk's last batch (SourceBatch.chunkEnd); the
   * coordinator merges the chunks in file order. `chunkClaims`: the number of chunks taken so far,
   * shared by the workers (Atomics.add on element 0): a worker takes the next chunk when it needs
   * one, so the workers' chunks follow how fast each runs; without it, chunk k is worker k mod
   * parallelism's.
   */
  subtask?: { index: number; parallelism: number; wholeSplits?: boolean; chunks?: boolean; chunkClaims?: Int32Array };
}

export interface SourceBatch {
  /** The split (partition, file) the rows came from: watermarks are kept per split. */
  split: string;
  rows: Row[];
  /**
   * The same records as columns (insert-only), from a source asked for them (setColumnarOutput):
   * then `rows` is empty and the runtime materialises rows where an operator needs them.
   */
  columns?: ColumnBatch;
  /**
   * With `columns`: called by the consumer once it is done with the batch and keeps no reference to
   * its vectors (their values copied out, e.g. into window state or rows), at most once; the source
   * may then reuse their arrays for a later batch. A consumer that keeps vectors does not call it.
   */
  release?(): void;
  /** The last batch of chunk `chunkEnd` of a file read in chunks (RuntimeContext.subtask.chunks). */
  chunkEnd?: number;
}

/**
 * What a source reads or a sink writes, in terms that outlive the SQL: an Iceberg table's UUID and
 * location, a Kafka topic and its bootstrap servers, a folder. A checkpoint records it, and a job
 * resumes a checkpoint only when every source and sink still has the same `keys`.
 */
export interface ConnectorIdentity {
  /** For messages, e.g. "Iceberg table db.orders". */
  what: string;
  keys: Record<string, string>;
}

/**
 * What a source reports for monitoring (read when metrics are scraped, not per row): bytes read
 * so far and, per split, its position, the position committed to the outside (a consumer group)
 * and the end of the split as last seen (Kafka's high watermark), which give the lag.
 */
export interface SourceMetrics {
  bytesIn: number;
  splits: { split: string; labels: Record<string, string>; currentOffset: number; committedOffset?: number; endOffset?: number }[];
  /** Time behind the tip of each split (Kinesis: MillisBehindLatest of the last GetRecords per shard). */
  millisBehindLatest?: { split: string; labels: Record<string, string>; millis: number }[];
}

/** A source of rows. The runtime calls poll() in a loop; it never calls two methods at once. */
export interface DynamicSource {
  /** Monitoring figures (optional). */
  metrics?(): SourceMetrics;
  /** What it reads (called before open()); undefined when nothing outlives the job (datagen). */
  checkpointIdentity?(): Promise<ConnectorIdentity | undefined>;
  /** True when the source ends by itself (files, bounded Kafka, datagen with number-of-rows). */
  readonly bounded: boolean;
  open(ctx: RuntimeContext, restoredState?: unknown): Promise<void>;
  /**
   * The next records: batches (possibly empty) that arrived within about `timeoutMs`, or null
   * when a bounded source has ended.
   */
  poll(timeoutMs: number): Promise<SourceBatch[] | null>;
  /** The splits currently assigned: a split that produces nothing for a while counts as idle. */
  splits(): string[];
  /**
   * A reader with no split (a worker's share is empty): unbounded, none assigned until a discovery
   * finds one (Flink marks it IDLE); bounded, nothing to read (it ends at its first poll). A parallel
   * job leaves it out of the minimum watermark, a keyed one before any worker reads (Exchange.start).
   * Known once open; a reader that has read its splits still has them (it is not idle: its end is due).
   */
  noSplits?(): boolean;
  /** The source reads its file in chunks (RuntimeContext.subtask.chunks) and marks their ends; known once open. */
  chunked?(): boolean;
  /**
   * A worker's source that holds every split of a bounded input (a file source whose files all went
   * to this worker: RuntimeContext.subtask.wholeSplits); its watermarks are parallelism 1's. Known once open.
   */
  readsEverySplit?(): boolean;
  /** Exact positions (next offset per split) at this point of the stream, as JSON. */
  snapshotState(checkpointId: number): unknown;
  /**
   * Called once the checkpoint is durable (e.g. commit offsets to the consumer group). The runtime
   * does not wait for it (it may run while poll() does), calls it for one checkpoint at a time and
   * may skip older checkpoints when a newer one completed meanwhile.
   */
  notifyCheckpointComplete?(checkpointId: number): Promise<void>;
  /**
   * Asks for SourceBatch.columns instead of rows (called before open(), only when every record
   * goes to an operator that reads columns). `unused`: columns nothing reads, which the source may
   * leave NULL when that cannot change which records are read or refused. A source without this,
   * or one that cannot, keeps producing rows.
   */
  setColumnarOutput?(unused: ReadonlySet<number>): void;
  /** Stop fetching until resume() (backpressure). */
  pause?(): void;
  resume?(): void;
  close(): Promise<void>;
}

/** A two-phase sink: write → prepareCommit at a checkpoint → commit once the checkpoint is durable. */
export interface DynamicSink {
  /** What it writes (called before open()); undefined when nothing outlives the job (print). */
  checkpointIdentity?(): Promise<ConnectorIdentity | undefined>;
  /** Sinks whose writes only become visible through commit() (Iceberg, Kafka exactly-once). */
  readonly transactional: boolean;
  open(ctx: RuntimeContext, restoredState?: unknown): Promise<void>;
  write(rows: Row[]): Promise<void>;
  /** Flush and return what commit() needs (JSON), stored in the checkpoint. */
  prepareCommit(checkpointId: number): Promise<unknown>;
  /** Make the prepared data visible; must be idempotent (a checkpoint may be committed again after a restart). */
  commit(checkpointId: number, committables: unknown[]): Promise<void>;
  /** State of the writer itself that a checkpoint must keep (usually none). */
  snapshotState?(checkpointId: number): unknown;
  /** The watermark of the rows written reached `wm` (micros; +∞ when the input ended). */
  watermarkAdvanced?(wm: number): void;
  /** In words, what commit() made visible for these committables (for the checkpoint history). */
  describeCommit?(committables: unknown[]): string;
  close(): Promise<void>;
}

/** What a keyed lookup asks for: the rows whose `keyColumns` equal a key. */
export interface LookupRequest {
  /** Indices into `physical` of the key columns, in the order of each key's values. */
  keyColumns: number[];
  /** Indices into `physical` to produce per row, in this order; all when absent. */
  projection?: number[];
}

/**
 * The lookup side of a `FOR SYSTEM_TIME AS OF` join that asks its table per key (a database)
 * instead of being read whole. The runtime hands it the distinct keys of a batch of rows; it
 * never calls two methods at once. Nothing of it is checkpointed.
 */
export interface LookupSource {
  open(ctx: RuntimeContext): Promise<void>;
  /** For each key (values of the key columns), the matching rows (projected), in the keys' order. */
  lookup(keys: unknown[][]): Promise<Row[][]>;
  close(): Promise<void>;
}

export interface FactoryContext {
  /** Session configuration (SET keys). */
  config: ReadonlyMap<string, string>;
}

/** A connector: an identifier, its declared options, and how to build sources and sinks. */
export interface ConnectorFactory {
  identifier: string;
  description: string;
  options: readonly OptionSpec[];
  /** Option prefixes owned by the table's formats (e.g. 'json.'), checked by the format. */
  formatPrefixes?(options: Record<string, string>): string[];
  createSource?(table: TableDescriptor, scan: ScanRequest, ctx: FactoryContext): DynamicSource;
  /**
   * The source prunes with ScanRequest.filters (files, partitions): two scans of the table share
   * one read only when they push down the same filters (Flink's SupportsFilterPushDown). The
   * others ignore the filters, and scans with different ones share a read.
   */
  supportsFilterPushDown?: boolean;
  /**
   * Whether a scan of this table ends by itself (default: yes). A source that is unbounded as
   * declared (datagen without number-of-rows, Kafka without scan.bounded.mode) says no, and the
   * planner refuses to read it in batch mode, as Flink does.
   */
  isBounded?(table: TableDescriptor): boolean;
  createSink?(table: TableDescriptor, ctx: FactoryContext): DynamicSink;
  /** A keyed lookup for lookup joins (jdbc); without it the lookup side is read whole. */
  createLookupSource?(table: TableDescriptor, request: LookupRequest, ctx: FactoryContext): LookupSource;
  /** Metadata keys the source can produce, with their types (Kafka: topic, partition, offset, …). */
  metadataKeys?: Record<string, LogicalType>;
  /** Checks a table definition beyond its options (e.g. a required primary key); throws ValidationError. */
  validate?(table: TableDescriptor): void;
  /**
   * Whether the sink accepts updates (rows whose kind is -U, +U or -D, see RowKind): 'append'
   * (the default) refuses an updating query at planning time, as Flink does. A function decides
   * per table (Iceberg: updates only into a table with a primary key).
   */
  sinkChangelogMode?: 'append' | 'all' | ((table: TableDescriptor) => 'append' | 'all');
  /**
   * Whether the source's rows carry changes (RowKind -U, +U, -D) rather than only inserts: 'all'
   * for changelog formats (debezium-json, …) and upsert sources; default 'insert-only'.
   */
  sourceChangelogMode?(table: TableDescriptor): 'insert-only' | 'all';
}
