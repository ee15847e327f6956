// The jdbc lookup source: the rows of a batch of keys in one query per at most 500 keys
// (PostgreSQL: `WHERE k IN (…)` / `WHERE (k1, k2) IN ((…), …)`; MySQL: a join with the keys, so
// its collations decide what matches, as a query per key would), with Flink's PARTIAL cache (max rows, expire
// after write / access, missing keys cached or not). A failed query reconnects and is retried
// lookup.max-retries times.
import type { LookupRequest, LookupSource, RuntimeContext, TableDescriptor } from '../../common/connector.js';
import { ConnectorError } from '../../common/errors.js';
import type { Field, Row } from '../../common/types.js';
import { connect, describeDbError, placeholder, quoteIdent, quoteTable, type DbClient } from './db.js';
import type { JdbcConfig } from './options.js';
import { fromDb, toDb, ValueError } from './values.js';

const BATCH = 500;

/** A key's identity: its values as exact text (BIGINT/DECIMAL as number-or-bigint strings). */
export function keyString(values: unknown[]): string {
  return values
    .map((v) => {
      if (v === null || v === undefined) return '\u0000';
      if (v instanceof Uint8Array) return 'b' + Buffer.from(v).toString('base64');
      return typeof v + ':' + String(v);
    })
    .join('\u0001');
}

interface Entry {
  rows: Row[];
  written: number;
  accessed: number;
}

/** Flink's partial lookup cache: LRU by access, bounded by rows (keys), expiring by age. */
export class LookupCache {
  private readonly map = new Map<string, Entry>();
  constructor(
    private readonly maxRows: number,
    private readonly expireAfterWriteMs: number,
    private readonly expireAfterAccessMs: number,
    readonly cacheMissing: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Row[] | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    const t = this.now();
    if (t - e.written >= this.expireAfterWriteMs || t - e.accessed >= this.expireAfterAccessMs) {
      this.map.delete(key);
      return undefined;
    }
    e.accessed = t;
    this.map.delete(key);
    this.map.set(key, e);
    return e.rows;
  }

  put(key: string, rows: Row[]): void {
    if (rows.length === 0 && !this.cacheMissing) return;
    const t = this.now();
    this.map.delete(key);
    this.map.set(key, { rows, written: t, accessed: t });
    while (this.map.size > this.maxRows) this.map.delete(this.map.keys().next().value as string);
  }

  get size(): number {
    return this.map.size;
  }
}

export class JdbcLookupSource implements LookupSource {
  private client?: DbClient;
  private ctx?: RuntimeContext;
  private readonly out: Field[];
  private readonly keys: Field[];
  private readonly cache?: LookupCache;
  /** Queries sent (for tests and metrics). */
  queries = 0;

  constructor(
    private readonly table: TableDescriptor,
    private readonly request: LookupRequest,
    private readonly cfg: JdbcConfig,
  ) {
    this.out = (request.projection ?? table.physical.map((_, i) => i)).map((i) => table.physical[i]);
    this.keys = request.keyColumns.map((i) => table.physical[i]);
    const c = cfg.lookupCache;
    if (c) this.cache = new LookupCache(c.maxRows, c.expireAfterWriteMs, c.expireAfterAccessMs, c.cacheMissing);
  }

  async open(ctx: RuntimeContext): Promise<void> {
    this.ctx = ctx;
    await this.reconnect();
  }

  private async reconnect(): Promise<void> {
    await this.client?.close().catch(() => {});
    this.client = undefined;
    try {
      this.client = await connect(this.cfg, this.ctx?.signal);
    } catch (e) {
      throw new ConnectorError(`Cannot connect to the database of ${this.cfg.what} for lookups: ${describeDbError(e)}`, { cause: e });
    }
  }

  async lookup(keys: unknown[][]): Promise<Row[][]> {
    const result: (Row[] | undefined)[] = new Array(keys.length);
    const missing = new Map<string, { key: unknown[]; at: number[] }>();
    keys.forEach((k, i) => {
      if (k.some((v) => v === null || v === undefined)) {
        result[i] = []; // SQL equality never matches NULL
        return;
      }
      const ks = keyString(k);
      const hit = this.cache?.get(ks);
      if (hit) {
        result[i] = hit;
        return;
      }
      const m = missing.get(ks);
      if (m) m.at.push(i);
      else missing.set(ks, { key: k, at: [i] });
    });
    const todo = [...missing.entries()];
    for (let start = 0; start < todo.length; start += BATCH) {
      const chunk = todo.slice(start, start + BATCH);
      const found = await this.queryWithRetries(chunk.map(([, m]) => m.key));
      for (const [ks, m] of chunk) {
        const rows = found.get(ks) ?? [];
        this.cache?.put(ks, rows);
        for (const i of m.at) result[i] = rows;
      }
    }
    return result as Row[][];
  }

  /**
   * MySQL/MariaDB compare with the column's collation (case-insensitive, trailing spaces ignored by
   * default), so a row is matched to the keys that asked for it by the database itself: the keys
   * are a derived table joined on the key columns, each with its index.
   */
  private mysqlSql(n: number): string {
    const d = this.cfg.dialect;
    const cols = this.out.map((f) => `t.${quoteIdent(d, f.name)}`);
    const keyCols = this.keys.map((_, j) => `v${j}`);
    const first = `SELECT 0 AS i, ${keyCols.map((c) => `? AS ${c}`).join(', ')}`;
    const rest = Array.from({ length: n - 1 }, (_, i) => ` UNION ALL SELECT ${i + 1}, ${keyCols.map(() => '?').join(', ')}`).join('');
    const on = this.keys.map((f, j) => `t.${quoteIdent(d, f.name)} = k.${keyCols[j]}`).join(' AND ');
    return `SELECT ${[...cols, 'k.i'].join(', ')} FROM ${quoteTable(d, this.cfg.table)} AS t JOIN (${first}${rest}) AS k ON ${on}`;
  }

  private sql(n: number): string {
    const d = this.cfg.dialect;
    const cols = [...this.out, ...this.keys].map((f) => quoteIdent(d, f.name)).join(', ');
    let p = 0;
    const tuple = () => {
      const one = this.keys.map(() => placeholder(d, p++));
      return this.keys.length === 1 ? one[0] : `(${one.join(', ')})`;
    };
    const lhs = this.keys.length === 1 ? quoteIdent(d, this.keys[0].name) : `(${this.keys.map((f) => quoteIdent(d, f.name)).join(', ')})`;
    const tuples = Array.from({ length: n }, tuple).join(', ');
    return `SELECT ${cols} FROM ${quoteTable(d, this.cfg.table)} WHERE ${lhs} IN (${tuples})`;
  }

  private async queryWithRetries(keys: unknown[][]): Promise<Map<string, Row[]>> {
    const params: unknown[] = [];
    for (const k of keys) k.forEach((v, j) => params.push(toDb(v, this.keys[j].type)));
    const mysql = this.cfg.dialect === 'mysql';
    const sql = mysql ? this.mysqlSql(keys.length) : this.sql(keys.length);
    for (let attempt = 0; ; attempt++) {
      try {
        if (!this.client) await this.reconnect();
        this.queries++;
        const raw = await this.client!.query(sql, params);
        const byKey = new Map<string, Row[]>();
        const w = this.out.length;
        for (const r of raw) {
          const row = this.convert(r.slice(0, w), this.out);
          // PostgreSQL: the row's own key (its equality is exact for the mapped types); MySQL: the asking key's index.
          const ks = mysql ? keyString(keys[Number(r[w])]) : keyString(this.convert(r.slice(w), this.keys));
          const l = byKey.get(ks);
          if (l) l.push(row);
          else byKey.set(ks, [row]);
        }
        return byKey;
      } catch (e) {
        if (e instanceof ConnectorError || attempt >= this.cfg.lookupMaxRetries || this.ctx?.signal.aborted) {
          if (e instanceof ConnectorError) throw e;
          throw new ConnectorError(`Lookup in ${this.cfg.what} failed after ${attempt + 1} attempt(s): ${describeDbError(e)}`, { cause: e });
        }
        this.ctx?.log('warn', `Lookup in ${this.cfg.what} failed (${describeDbError(e)}); retry ${attempt + 1} of ${this.cfg.lookupMaxRetries}`);
        await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
        this.client = undefined;
        await this.reconnect().catch(() => {});
      }
    }
  }

  private convert(raw: unknown[], fields: Field[]): Row {
    return fields.map((f, i) => {
      try {
        return fromDb(raw[i], f.type);
      } catch (e) {
        if (e instanceof ValueError) throw new ConnectorError(`${this.cfg.what}, column '${f.name}': ${e.message}`);
        throw e;
      }
    });
  }

  async close(): Promise<void> {
    await this.client?.close().catch(() => {});
    this.client = undefined;
  }
}
