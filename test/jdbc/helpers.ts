// Shared by the jdbc tests: one client API over the two database peers, and tsstream DDL for them.
import pg from 'pg';
import mysql from 'mysql2/promise';
import { peer } from '../peers/index.js';
import type { PostgresEndpoint } from '../peers/postgres.js';
import type { MariadbEndpoint } from '../peers/mariadb.js';

export type DbName = 'postgres' | 'mariadb';

export interface TestDb {
  name: DbName;
  jdbcUrl: string;
  user: string;
  password: string;
  /** Rows as objects of text values (the driver's text forms). */
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function openDb(name: DbName): Promise<TestDb> {
  if (name === 'postgres') {
    const e = peer<PostgresEndpoint>('postgres');
    const c = new pg.Client({ host: e.host, port: e.port, user: e.user, password: e.password, database: e.database });
    await c.connect();
    await c.query("SET TIME ZONE 'UTC'");
    return {
      name,
      jdbcUrl: e.jdbcUrl,
      user: e.user,
      password: e.password,
      async query(sql, params = []) {
        const r = await c.query({ text: sql.replace(/\?/g, (() => { let i = 0; return () => `$${++i}`; })()), values: params, types: { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig });
        return r.rows as Record<string, unknown>[];
      },
      close: () => c.end(),
    };
  }
  const e = peer<MariadbEndpoint>('mariadb');
  const c = await mysql.createConnection({ host: e.host, port: e.port, user: e.user, password: e.password, database: e.database, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, timezone: 'Z', multipleStatements: false });
  await c.query("SET time_zone = '+00:00'");
  return {
    name,
    jdbcUrl: e.jdbcUrl,
    user: e.user,
    password: e.password,
    async query(sql, params = []) {
      const [rows] = await c.query(sql, params);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    close: () => c.end(),
  };
}

/** The WITH clause of a jdbc table in `db`. */
export function jdbcWith(db: TestDb, table: string, extra: Record<string, string> = {}): string {
  const o: Record<string, string> = { connector: 'jdbc', url: db.jdbcUrl, 'table-name': table, username: db.user, password: db.password, ...extra };
  return `WITH (${Object.entries(o).map(([k, v]) => `'${k}' = '${v.replace(/'/g, "''")}'`).join(', ')})`;
}

let seq = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now() % 100000}_${seq++}`;
}
