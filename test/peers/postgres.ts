// Peer 'postgres': PostgreSQL from Debian's packages (postgresql), a fresh cluster per test run in
// a temp data dir (initdb), served on 127.0.0.1 on a free port. As root the server runs as the
// 'postgres' user (it refuses root). wal_level=logical, so Debezium can capture changes.
//   const pg = peer<PostgresEndpoint>('postgres'); pg.jdbcUrl → 'jdbc:postgresql://127.0.0.1:PORT/tsstream'
import { existsSync, readdirSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Peer, RunningPeer } from './peer.js';
import { onFreePorts, startServerProcess, type ServerProcess } from './process.js';
import { runTo, serverUser, tempDirFor } from './db-util.js';

export type PostgresEndpoint = {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** jdbc:postgresql://127.0.0.1:PORT/DATABASE */
  jdbcUrl: string;
};

/** The newest installed server's bin dir (/usr/lib/postgresql/N/bin), or undefined. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin', 'initdb')) && existsSync(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

const USER = 'tsstream';
const PASSWORD = 'pg-secret-7f3a';
const DATABASE = 'tsstream';

export interface PostgresServer {
  endpoint: PostgresEndpoint;
  stop(): Promise<void>;
}

/** Starts a PostgreSQL cluster of its own (initdb into a temp dir, removed again by stop()). */
export async function startPostgres(log: (line: string) => void = () => {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb): apt-get install postgresql');
  const user = serverUser(['postgres']);
  const dir = tempDirFor('tsstream-pg-', user);
  const data = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pwfile');
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (user.uid !== undefined) chownSync(pwfile, user.uid, user.gid!);
  const asUser = user.uid !== undefined ? { uid: user.uid, gid: user.gid } : {};
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    await runTo(path.join(bin, 'initdb'), ['-D', data, '-U', USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-sync'], { user, cwd: dir, env });
  } catch (e) {
    cleanup();
    throw e;
  }
  const connect = (port: number, database: string) =>
    new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database, connectionTimeoutMillis: 2_000 });
  // The port is bound only when the server starts: another process may take it meanwhile
  // (PostgreSQL then exits with "could not bind …: Address already in use"), and it is started
  // again on another one.
  let started: { proc: ServerProcess; port: number };
  try {
    started = await onFreePorts(1, async ([port]) => {
      const args = [
        '-D', data,
        '-p', String(port),
        '-k', dir,
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'wal_level=logical',
        '-c', 'max_wal_senders=8',
        '-c', 'max_replication_slots=8',
        '-c', 'fsync=off',
        '-c', 'synchronous_commit=off',
        '-c', 'full_page_writes=off',
        '-c', 'max_connections=100',
      ];
      const proc = await startServerProcess('postgres', path.join(bin, 'postgres'), args, {
        ...asUser,
        env,
        cwd: dir,
        log,
        timeoutMs: 120_000,
        ready: async () => {
          const c = connect(port, 'postgres');
          try {
            await c.connect();
            // This server, not another test run's that holds the port (this one then exits on the clash).
            const r = await c.query<{ data_directory: string }>('SHOW data_directory');
            return r.rows[0]?.data_directory === data;
          } finally {
            await c.end().catch(() => {});
          }
        },
      });
      return { proc, port };
    }, log);
  } catch (e) {
    cleanup();
    throw e;
  }
  const { proc: running, port } = started;
  const admin = connect(port, 'postgres');
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  return {
    endpoint: { host: '127.0.0.1', port, database: DATABASE, user: USER, password: PASSWORD, jdbcUrl: `jdbc:postgresql://127.0.0.1:${port}/${DATABASE}` },
    async stop() {
      // SIGTERM is PostgreSQL's "smart" shutdown, which waits for clients: SIGINT ("fast") does not.
      running.child.kill('SIGINT');
      await running.stop();
      cleanup();
    },
  };
}

export const postgresPeer: Peer<PostgresEndpoint> = {
  name: 'postgres',
  unavailable: () => (postgresBinDir() ? null : 'PostgreSQL is not installed (apt-get install postgresql)'),
  async install() {
    // A Debian package (.ci/run installs it): nothing to download.
  },
  async start(log): Promise<RunningPeer<PostgresEndpoint>> {
    return startPostgres(log);
  },
};
