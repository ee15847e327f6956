// The database peers serve: a password login over TCP on 127.0.0.1, the database exists.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { peer, requirePeers } from '../peers/index.js';
import type { PostgresEndpoint } from '../peers/postgres.js';
import type { MariadbEndpoint } from '../peers/mariadb.js';

describe('postgres peer', () => {
  requirePeers('postgres');
  it('serves its database with logical WAL', async () => {
    const e = peer<PostgresEndpoint>('postgres');
    const c = new pg.Client({ host: e.host, port: e.port, user: e.user, password: e.password, database: e.database });
    await c.connect();
    const r = await c.query('SHOW wal_level');
    await c.end();
    expect(r.rows[0].wal_level).toBe('logical');
  });
  it('refuses a wrong password', async () => {
    const e = peer<PostgresEndpoint>('postgres');
    const c = new pg.Client({ host: e.host, port: e.port, user: e.user, password: 'wrong', database: e.database });
    await expect(c.connect()).rejects.toThrow(/password authentication failed/);
  });
});

describe('mariadb peer', () => {
  requirePeers('mariadb');
  it('serves its database', async () => {
    const e = peer<MariadbEndpoint>('mariadb');
    const c = await mysql.createConnection({ host: e.host, port: e.port, user: e.user, password: e.password, database: e.database });
    const [rows] = await c.query('SELECT DATABASE() AS db, VERSION() AS v');
    await c.end();
    expect((rows as { db: string; v: string }[])[0].db).toBe('tsstream');
    expect((rows as { db: string; v: string }[])[0].v).toMatch(/MariaDB/);
  });
});
