// The jdbc sink. With a PRIMARY KEY it applies a changelog as upserts and deletes by key
// (PostgreSQL `INSERT … ON CONFLICT (pk) DO UPDATE`, MySQL `INSERT … ON DUPLICATE KEY UPDATE`,
// `DELETE … WHERE pk IN (…)`), buffering the last change per key (Flink's reduced buffer: +I/+U
// upsert, -U/-D delete). Without one it appends (INSERT), and refuses updates. The buffer is
// written in one transaction when it holds sink.buffer-flush.max-rows rows, every
// sink.buffer-flush.interval, and at every checkpoint; a failed write reconnects and is retried
// sink.max-retries times. Upserts and deletes are idempotent, so a restart that replays the
// changes after the last checkpoint leaves the table exactly as the changelog says.
import type { ConnectorIdentity, DynamicSink, RuntimeContext, TableDescriptor } from '../../common/connector.js';
import { ConnectorError } from '../../common/errors.js';
import { rowKindOf, type Field, type Row } from '../../common/types.js';
import { connect, describeDbError, placeholder, quoteIdent, quoteTable, type DbClient } from './db.js';
import { keyString } from './lookup.js';
import { jdbcIdentity, type JdbcConfig } from './options.js';
import { toDb, ValueError } from './values.js';

/** Rows per INSERT / DELETE statement. */
const STATEMENT_ROWS = 500;

export class JdbcSink implements DynamicSink {
  readonly transactional = false;
  private client?: DbClient;
  private ctx?: RuntimeContext;
  private readonly fields: Field[];
  private readonly keyIdx?: number[];
  /** Upsert mode: the last change per key. */
  private readonly reduced = new Map<string, { del: boolean; row: Row }>();
  /** Append mode: rows in order. */
  private appended: Row[] = [];
  private lastFlush = Date.now();
  private timer?: NodeJS.Timeout;
  /** Every database write goes through this chain (one at a time). */
  private chain: Promise<void> = Promise.resolve();
  /** A failure of a write started by the interval timer, reported by the next call. */
  private failure?: unknown;
  /** Rows written (for describeCommit and tests). */
  written = 0;

  constructor(
    private readonly table: TableDescriptor,
    private readonly cfg: JdbcConfig,
  ) {
    this.fields = table.physical;
    if (table.primaryKey?.length) this.keyIdx = table.primaryKey.map((k) => table.physical.findIndex((f) => f.name === k));
  }

  async checkpointIdentity(): Promise<ConnectorIdentity> {
    return jdbcIdentity(this.cfg);
  }

  async open(ctx: RuntimeContext): Promise<void> {
    this.ctx = ctx;
    await this.reconnect();
    if (this.cfg.flushIntervalMs > 0) {
      this.timer = setInterval(() => {
        if (this.pending() > 0 && Date.now() - this.lastFlush >= this.cfg.flushIntervalMs) {
          this.enqueueFlush().catch((e) => (this.failure ??= e));
        }
      }, Math.max(50, Math.min(this.cfg.flushIntervalMs, 1000)));
      this.timer.unref();
    }
  }

  private async reconnect(): Promise<void> {
    await this.client?.close().catch(() => {});
    this.client = undefined;
    try {
      this.client = await connect(this.cfg, this.ctx?.signal);
    } catch (e) {
      throw new ConnectorError(`Cannot connect to the database of ${this.cfg.what}: ${describeDbError(e)}`, { cause: e });
    }
  }

  private pending(): number {
    return this.keyIdx ? this.reduced.size : this.appended.length;
  }

  private rethrow(): void {
    if (this.failure !== undefined) {
      const f = this.failure;
      this.failure = undefined;
      throw f;
    }
  }

  async write(rows: Row[]): Promise<void> {
    this.rethrow();
    if (this.keyIdx) {
      const idx = this.keyIdx;
      for (const r of rows) {
        const kind = rowKindOf(r);
        this.reduced.set(keyString(idx.map((i) => r[i])), { del: kind === '-U' || kind === '-D', row: r });
      }
    } else {
      for (const r of rows) {
        const kind = rowKindOf(r);
        if (kind !== '+I' && kind !== '+U') {
          throw new ConnectorError(
            `${this.cfg.what} has no PRIMARY KEY, so it takes inserts only, but the query sends updates or deletes (a ${kind} row). Declare the table's PRIMARY KEY (… NOT ENFORCED) to write them as upserts.`,
          );
        }
        this.appended.push(r);
      }
    }
    if (this.cfg.flushMaxRows > 0 && this.pending() >= this.cfg.flushMaxRows) await this.enqueueFlush();
  }

  private enqueueFlush(): Promise<void> {
    const next = this.chain.then(() => this.flushWithRetries());
    this.chain = next.catch(() => {});
    return next;
  }

  async prepareCommit(_checkpointId?: number): Promise<unknown> {
    this.rethrow();
    await this.enqueueFlush();
    return null;
  }

  async commit(): Promise<void> {
    // Written at prepareCommit (at-least-once; upserts make a replay exact).
  }

  describeCommit(): string {
    return `${this.written} rows written to ${this.cfg.tableName} so far`;
  }

  private async flushWithRetries(): Promise<void> {
    if (this.pending() === 0) return;
    // Take the buffer: rows that arrive while writing go to the next flush.
    const upserts: Row[] = [];
    const deletes: Row[] = [];
    let appends: Row[] = [];
    if (this.keyIdx) {
      for (const { del, row } of this.reduced.values()) (del ? deletes : upserts).push(row);
      this.reduced.clear();
    } else {
      appends = this.appended;
      this.appended = [];
    }
    for (let attempt = 0; ; attempt++) {
      try {
        if (!this.client) await this.reconnect();
        await this.writeTransaction(this.keyIdx ? upserts : appends, deletes);
        this.written += upserts.length + deletes.length + appends.length;
        this.lastFlush = Date.now();
        return;
      } catch (e) {
        if (e instanceof ConnectorError || attempt >= this.cfg.sinkMaxRetries || this.ctx?.signal.aborted) {
          if (e instanceof ConnectorError) throw e;
          throw new ConnectorError(`Writing to ${this.cfg.what} failed after ${attempt + 1} attempt(s): ${describeDbError(e)}`, { cause: e });
        }
        this.ctx?.log('warn', `Writing to ${this.cfg.what} failed (${describeDbError(e)}); retry ${attempt + 1} of ${this.cfg.sinkMaxRetries}`);
        await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
        this.client = undefined;
        await this.reconnect().catch(() => {});
      }
    }
  }

  private params(row: Row, idx: number[]): unknown[] {
    return idx.map((i) => {
      try {
        return toDb(row[i], this.fields[i].type);
      } catch (e) {
        if (e instanceof ValueError) throw new ConnectorError(`${this.cfg.what}, column '${this.fields[i].name}': ${e.message}`);
        throw e;
      }
    });
  }

  private async writeTransaction(inserts: Row[], deletes: Row[]): Promise<void> {
    const c = this.client!;
    const d = this.cfg.dialect;
    const t = quoteTable(d, this.cfg.table);
    const all = this.fields.map((_, i) => i);
    const cols = this.fields.map((f) => quoteIdent(d, f.name));
    await c.execute(d === 'postgres' ? 'BEGIN' : 'START TRANSACTION');
    try {
      if (this.keyIdx && deletes.length) {
        const k = this.keyIdx;
        for (let s = 0; s < deletes.length; s += STATEMENT_ROWS) {
          const chunk = deletes.slice(s, s + STATEMENT_ROWS);
          let p = 0;
          const tuple = () => (k.length === 1 ? placeholder(d, p++) : `(${k.map(() => placeholder(d, p++)).join(', ')})`);
          const lhs = k.length === 1 ? cols[k[0]] : `(${k.map((i) => cols[i]).join(', ')})`;
          const sql = `DELETE FROM ${t} WHERE ${lhs} IN (${chunk.map(tuple).join(', ')})`;
          await c.execute(sql, chunk.flatMap((r) => this.params(r, k)));
        }
      }
      for (let s = 0; s < inserts.length; s += STATEMENT_ROWS) {
        const chunk = inserts.slice(s, s + STATEMENT_ROWS);
        let p = 0;
        const values = chunk.map(() => `(${all.map(() => placeholder(d, p++)).join(', ')})`).join(', ');
        let sql = `INSERT INTO ${t} (${cols.join(', ')}) VALUES ${values}`;
        if (this.keyIdx) {
          const k = new Set(this.keyIdx);
          const rest = all.filter((i) => !k.has(i));
          if (d === 'postgres') {
            const target = this.keyIdx.map((i) => cols[i]).join(', ');
            sql += rest.length ? ` ON CONFLICT (${target}) DO UPDATE SET ${rest.map((i) => `${cols[i]} = EXCLUDED.${cols[i]}`).join(', ')}` : ` ON CONFLICT (${target}) DO NOTHING`;
          } else {
            const upd = rest.length ? rest : [this.keyIdx[0]];
            sql += ` ON DUPLICATE KEY UPDATE ${upd.map((i) => `${cols[i]} = VALUES(${cols[i]})`).join(', ')}`;
          }
        }
        await c.execute(sql, chunk.flatMap((r) => this.params(r, all)));
      }
      await c.execute('COMMIT');
    } catch (e) {
      await c.execute('ROLLBACK').catch(() => {});
      if (e instanceof ConnectorError) throw e;
      throw e;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.chain.catch(() => {});
    await this.client?.close().catch(() => {});
    this.client = undefined;
  }
}
