// The jdbc scan source: a bounded read of the table, split into ranges of
// scan.partition.column when the scan.partition.* options are set (Flink's numeric partitioning:
// num ranges of about equal width from lower-bound to upper-bound, each `col BETWEEN a AND b`).
// The checkpoint keeps the partition being read and how many of its rows were emitted; with a
// PRIMARY KEY the rows of a partition come in key order, so a restore skips exactly those.
import type { ConnectorIdentity, DynamicSource, RuntimeContext, ScanRequest, SourceBatch, SourceMetrics, TableDescriptor } from '../../common/connector.js';
import { ConnectorError } from '../../common/errors.js';
import type { Field, Row } from '../../common/types.js';
import { connect, describeDbError, quoteIdent, quoteTable, type DbClient } from './db.js';
import { jdbcIdentity, type JdbcConfig } from './options.js';
import { fromDb, ValueError } from './values.js';

interface Split {
  name: string;
  /** Inclusive range of the partition column, or none (the whole table). */
  range?: [bigint, bigint];
}

/** Flink's JdbcNumericBetweenParametersProvider: the first (size mod num) ranges get one more value. */
export function partitionRanges(lower: bigint, upper: bigint, num: number): [bigint, bigint][] {
  const count = upper - lower + 1n;
  const n = BigInt(num) > count ? count : BigInt(num);
  const size = count / n;
  const extra = count % n;
  const out: [bigint, bigint][] = [];
  let start = lower;
  for (let i = 0n; i < n; i++) {
    const len = size + (i < extra ? 1n : 0n);
    out.push([start, start + len - 1n]);
    start += len;
  }
  return out;
}

export interface JdbcSourceState {
  /** Index of the split being read (earlier ones are done). */
  split: number;
  /** Rows of that split already emitted. */
  offset: number;
}

export class JdbcSource implements DynamicSource {
  readonly bounded = true;
  private client?: DbClient;
  private readonly splitsList: Split[];
  private current = 0;
  private offset = 0;
  private skip = 0;
  private pages?: AsyncGenerator<unknown[][]>;
  private readonly columns: Field[];
  private bytesIn = 0;
  private ctx?: RuntimeContext;

  constructor(
    private readonly table: TableDescriptor,
    private readonly scan: ScanRequest,
    private readonly cfg: JdbcConfig,
  ) {
    this.columns = (scan.projection ?? table.physical.map((_, i) => i)).map((i) => table.physical[i]);
    this.splitsList = cfg.partition
      ? partitionRanges(cfg.partition.lower, cfg.partition.upper, cfg.partition.num).map((range, i) => ({ name: `partition-${i}`, range }))
      : [{ name: 'table' }];
  }

  async checkpointIdentity(): Promise<ConnectorIdentity> {
    return jdbcIdentity(this.cfg);
  }

  async open(ctx: RuntimeContext, restored?: unknown): Promise<void> {
    this.ctx = ctx;
    const st = restored as JdbcSourceState | undefined;
    if (st) {
      this.current = st.split;
      this.skip = st.offset;
      this.offset = 0;
    }
    try {
      this.client = await connect(this.cfg, ctx.signal);
    } catch (e) {
      throw new ConnectorError(`Cannot connect to the database of ${this.cfg.what}: ${describeDbError(e)}`, { cause: e });
    }
  }

  private selectSql(split: Split): string {
    const d = this.cfg.dialect;
    const cols = this.columns.length ? this.columns.map((f) => quoteIdent(d, f.name)).join(', ') : '1';
    let sql = `SELECT ${cols} FROM ${quoteTable(d, this.cfg.table)}`;
    if (split.range) sql += ` WHERE ${quoteIdent(d, this.cfg.partition!.column)} BETWEEN ${split.range[0]} AND ${split.range[1]}`;
    if (this.table.primaryKey?.length) sql += ` ORDER BY ${this.table.primaryKey.map((k) => quoteIdent(d, k)).join(', ')}`;
    return sql;
  }

  async poll(): Promise<SourceBatch[] | null> {
    for (;;) {
      if (this.current >= this.splitsList.length) return null;
      const split = this.splitsList[this.current];
      if (!this.pages) this.pages = this.client!.pages(this.selectSql(split), [], this.cfg.fetchSize);
      let next: IteratorResult<unknown[][]>;
      try {
        next = await this.pages.next();
      } catch (e) {
        this.pages = undefined;
        throw new ConnectorError(`Reading ${this.cfg.what} (${split.name}) failed: ${describeDbError(e)}`, { cause: e });
      }
      if (next.done) {
        this.pages = undefined;
        this.current++;
        this.offset = 0;
        this.skip = 0;
        continue;
      }
      let raw = next.value;
      if (this.skip > 0) {
        const k = Math.min(this.skip, raw.length);
        raw = raw.slice(k);
        this.skip -= k;
        this.offset += k;
        if (raw.length === 0) continue;
      }
      const rows: Row[] = raw.map((r) => this.convert(r));
      this.offset += rows.length;
      for (const r of raw) for (const v of r) if (typeof v === 'string') this.bytesIn += v.length;
      // Metadata columns: the jdbc connector has none (the planner refuses unknown keys).
      return [{ split: split.name, rows: this.scan.metadataKeys?.length ? rows.map((r) => [...r, ...this.scan.metadataKeys!.map(() => null)]) : rows }];
    }
  }

  private convert(raw: unknown[]): Row {
    const row = new Array(this.columns.length);
    for (let i = 0; i < this.columns.length; i++) {
      try {
        row[i] = fromDb(raw[i], this.columns[i].type);
      } catch (e) {
        if (e instanceof ValueError) throw new ConnectorError(`${this.cfg.what}, column '${this.columns[i].name}': ${e.message}`);
        throw e;
      }
    }
    return row;
  }

  splits(): string[] {
    return this.current < this.splitsList.length ? [this.splitsList[this.current].name] : [];
  }

  snapshotState(): JdbcSourceState {
    return { split: this.current, offset: this.offset };
  }

  metrics(): SourceMetrics {
    return { bytesIn: this.bytesIn, splits: [] };
  }

  async close(): Promise<void> {
    await this.pages?.return(undefined).catch(() => {});
    this.pages = undefined;
    await this.client?.close().catch((e) => this.ctx?.log('warn', `Closing ${this.cfg.what}: ${describeDbError(e)}`));
    this.client = undefined;
  }
}
