// One connection to PostgreSQL (pg) or MySQL/MariaDB (mysql2) behind one small interface, and the
// SQL that differs between them (quoting, placeholders, upserts). Rows come back as arrays of the
// drivers' text forms (see values.ts). Messages name the table, never the password.
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { Connection as MysqlCoreConnection } from 'mysql2';
import type { Dialect, JdbcConfig } from './options.js';

export interface DbClient {
  readonly dialect: Dialect;
  /** Rows as arrays, columns in select order. */
  query(sql: string, params?: unknown[]): Promise<unknown[][]>;
  /** Runs a statement, resolving with the affected row count. */
  execute(sql: string, params?: unknown[]): Promise<number>;
  /** Streams a SELECT in pages of about `fetchSize` rows (inside a read transaction on PostgreSQL). */
  pages(sql: string, params: unknown[], fetchSize: number): AsyncGenerator<unknown[][]>;
  close(): Promise<void>;
}

/** Quotes an identifier (each part of schema.table separately). */
export function quoteIdent(dialect: Dialect, name: string): string {
  return dialect === 'postgres' ? `"${name.replace(/"/g, '""')}"` : `\`${name.replace(/`/g, '``')}\``;
}

export function quoteTable(dialect: Dialect, parts: string[]): string {
  return parts.map((p) => quoteIdent(dialect, p)).join('.');
}

/** The n-th (0-based) parameter placeholder. */
export function placeholder(dialect: Dialect, n: number): string {
  return dialect === 'postgres' ? `$${n + 1}` : '?';
}

// Every PostgreSQL type as its text form: the connector converts by the declared Flink type.
const pgTextTypes = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

class PgClient implements DbClient {
  readonly dialect = 'postgres' as const;
  constructor(private readonly c: pg.Client) {}
  async query(sql: string, params: unknown[] = []): Promise<unknown[][]> {
    const r = await this.c.query({ text: sql, values: params, rowMode: 'array', types: pgTextTypes });
    return r.rows as unknown[][];
  }
  async execute(sql: string, params: unknown[] = []): Promise<number> {
    const r = await this.c.query({ text: sql, values: params, types: pgTextTypes });
    return r.rowCount ?? 0;
  }
  async *pages(sql: string, params: unknown[], fetchSize: number): AsyncGenerator<unknown[][]> {
    await this.c.query('BEGIN READ ONLY');
    let open = true;
    try {
      await this.c.query({ text: `DECLARE tsstream_scan NO SCROLL CURSOR FOR ${sql}`, values: params });
      for (;;) {
        const r = await this.c.query({ text: `FETCH ${fetchSize} FROM tsstream_scan`, rowMode: 'array', types: pgTextTypes });
        if (r.rows.length === 0) break;
        yield r.rows as unknown[][];
        if (r.rows.length < fetchSize) break;
      }
      await this.c.query('COMMIT');
      open = false;
    } finally {
      if (open) await this.c.query('ROLLBACK').catch(() => {});
    }
  }
  async close(): Promise<void> {
    await this.c.end();
  }
}

class MysqlClient implements DbClient {
  readonly dialect = 'mysql' as const;
  constructor(private readonly c: mysql.Connection) {}
  async query(sql: string, params: unknown[] = []): Promise<unknown[][]> {
    const [rows] = await this.c.query({ sql, values: params, rowsAsArray: true });
    return rows as unknown[][];
  }
  async execute(sql: string, params: unknown[] = []): Promise<number> {
    const [r] = await this.c.query({ sql, values: params });
    return (r as { affectedRows?: number }).affectedRows ?? 0;
  }
  async *pages(sql: string, params: unknown[], fetchSize: number): AsyncGenerator<unknown[][]> {
    const core = (this.c as unknown as { connection: MysqlCoreConnection }).connection;
    const stream = core.query({ sql, values: params, rowsAsArray: true }).stream({ highWaterMark: fetchSize });
    let page: unknown[][] = [];
    try {
      for await (const row of stream as AsyncIterable<unknown[]>) {
        page.push(row);
        if (page.length >= fetchSize) {
          yield page;
          page = [];
        }
      }
      if (page.length) yield page;
    } finally {
      stream.destroy();
    }
  }
  async close(): Promise<void> {
    await this.c.end();
  }
}

/** A connection error's message without anything secret (drivers do not print passwords; we add where). */
export function describeDbError(e: unknown): string {
  const err = e as { message?: string; code?: string; detail?: string };
  const msg = (err?.message ?? String(e)).split('\n')[0];
  return err?.detail ? `${msg} (${err.detail})` : msg;
}

/** Opens a connection; retried until `cfg.connectTimeoutMs` passes. */
export async function connect(cfg: JdbcConfig, signal?: AbortSignal): Promise<DbClient> {
  const deadline = Date.now() + cfg.connectTimeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      if (cfg.dialect === 'postgres') {
        const c = new pg.Client({
          host: cfg.host,
          port: cfg.port,
          database: cfg.database,
          user: cfg.user,
          password: cfg.password,
          connectionTimeoutMillis: 10_000,
          ssl: cfg.params['sslmode'] && cfg.params['sslmode'] !== 'disable' ? { rejectUnauthorized: cfg.params['sslmode'] === 'verify-full' } : undefined,
          application_name: 'tsstream',
        });
        c.on('error', () => {}); // a dropped connection fails the next query, which reconnects
        try {
          await c.connect();
          await c.query("SET TIME ZONE 'UTC'; SET bytea_output = 'hex'; SET extra_float_digits = 3");
        } catch (e) {
          await c.end().catch(() => {});
          throw e;
        }
        return new PgClient(c);
      }
      const c = await mysql.createConnection({
        host: cfg.host,
        port: cfg.port,
        database: cfg.database,
        user: cfg.user,
        password: cfg.password,
        connectTimeout: 10_000,
        supportBigNumbers: true,
        bigNumberStrings: true,
        decimalNumbers: false,
        dateStrings: true,
        timezone: 'Z',
        charset: 'utf8mb4',
      });
      c.on('error', () => {});
      await c.query("SET time_zone = '+00:00'");
      return new MysqlClient(c);
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      // Wrong login or database: no point retrying.
      const fatal = /^(28P01|28000|3D000|ER_ACCESS_DENIED_ERROR|ER_BAD_DB_ERROR|ER_DBACCESS_DENIED_ERROR)$/.test(code);
      if (fatal || Date.now() + 1000 > deadline || signal?.aborted) throw e;
      await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** attempt)));
    }
  }
}
