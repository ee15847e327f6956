// Peer 'mariadb': MariaDB from Debian's packages (mariadb-server), a fresh data dir per test run
// (mariadb-install-db into a temp dir), served on 127.0.0.1 on a free port. As root the server runs
// as the 'mysql' user. Tests connect as a password user with all rights on its database.
//   const my = peer<MariadbEndpoint>('mariadb'); my.jdbcUrl → 'jdbc:mysql://127.0.0.1:PORT/tsstream'
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { Peer, RunningPeer } from './peer.js';
import { onFreePorts, startServerProcess, type ServerProcess } from './process.js';
import { runTo, serverUser, tempDirFor } from './db-util.js';

export type MariadbEndpoint = {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** jdbc:mysql://127.0.0.1:PORT/DATABASE */
  jdbcUrl: string;
};

function findBinary(names: string[]): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
    for (const n of names) if (existsSync(path.join(dir, n))) return path.join(dir, n);
  }
  return undefined;
}

const USER = 'tsstream';
const PASSWORD = 'maria-secret-91c2';
const DATABASE = 'tsstream';

export interface MariadbServer {
  endpoint: MariadbEndpoint;
  stop(): Promise<void>;
}

export async function startMariadb(log: (line: string) => void = () => {}): Promise<MariadbServer> {
  const server = findBinary(['mariadbd', 'mysqld']);
  const installDb = findBinary(['mariadb-install-db', 'mysql_install_db']);
  if (!server || !installDb) throw new Error('MariaDB is not installed (no mariadbd / mariadb-install-db): apt-get install mariadb-server');
  const user = serverUser(['mysql']);
  const dir = tempDirFor('tsstream-maria-', user);
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const userArgs = user.uid !== undefined ? [`--user=${user.name}`] : [];
  try {
    await runTo(installDb, ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...userArgs], { user, cwd: dir });
  } catch (e) {
    cleanup();
    throw e;
  }
  // The port is bound only when the server starts: another process may take it meanwhile
  // (mariadbd then exits with "Can't start server: Bind on TCP/IP port … Address already in use"),
  // and it is started again on another one.
  let started: { proc: ServerProcess; port: number };
  try {
    started = await onFreePorts(1, async ([port]) => {
      const args = [
        '--no-defaults',
        `--datadir=${data}`,
        `--socket=${socket}`,
        `--pid-file=${path.join(dir, 'mysqld.pid')}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=32M',
        '--innodb-log-file-size=16M',
        '--innodb-flush-log-at-trx-commit=0',
        '--performance-schema=OFF',
        '--skip-log-bin',
        ...userArgs,
      ];
      const proc = await startServerProcess('mariadbd', server, args, {
        ...(user.uid !== undefined ? { uid: user.uid, gid: user.gid } : {}),
        cwd: dir,
        log,
        timeoutMs: 120_000,
        // Through its own socket: never another test run's server.
        ready: async () => {
          const c = await mysql.createConnection({ socketPath: socket, user: 'root', connectTimeout: 2_000 });
          try {
            await c.query('SELECT 1');
            return true;
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
  const admin = await mysql.createConnection({ socketPath: socket, user: 'root' });
  try {
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.query(`CREATE USER '${USER}'@'%' IDENTIFIED BY '${PASSWORD}'`);
    await admin.query(`GRANT ALL PRIVILEGES ON *.* TO '${USER}'@'%'`);
  } finally {
    await admin.end();
  }
  return {
    endpoint: { host: '127.0.0.1', port, database: DATABASE, user: USER, password: PASSWORD, jdbcUrl: `jdbc:mysql://127.0.0.1:${port}/${DATABASE}` },
    async stop() {
      await running.stop();
      cleanup();
    },
  };
}

export const mariadbPeer: Peer<MariadbEndpoint> = {
  name: 'mariadb',
  unavailable: () => (findBinary(['mariadbd', 'mysqld']) && findBinary(['mariadb-install-db', 'mysql_install_db']) ? null : 'MariaDB is not installed (apt-get install mariadb-server)'),
  async install() {
    // A Debian package (.ci/run installs it): nothing to download.
  },
  async start(log): Promise<RunningPeer<MariadbEndpoint>> {
    return startMariadb(log);
  },
};
