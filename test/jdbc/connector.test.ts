// The 'jdbc' connector against the real PostgreSQL and MariaDB servers (test peers): scan (exact
// types, partitioned reads), keyed lookups for FOR SYSTEM_TIME AS OF joins (asked per key, so a
// change in the database is seen; batched; cached when asked), and the sink (append, upsert and
// delete by key), with errors naming the table and never the password.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/cli/session.js';
import { dropMemoryChannel, memoryChannel } from '../../src/connectors/memory/index.js';
import { jdbcFactory } from '../../src/connectors/jdbc/index.js';
import { JdbcLookupSource } from '../../src/connectors/jdbc/lookup.js';
import { JdbcSink } from '../../src/connectors/jdbc/sink.js';
import { readJdbcConfig } from '../../src/connectors/jdbc/options.js';
import { partitionRanges } from '../../src/connectors/jdbc/source.js';
import type { TableDescriptor } from '../../src/common/connector.js';
import { T, setRowKind, type Field, type Row } from '../../src/common/types.js';
import { parseDate, parseTimestamp } from '../../src/common/time.js';
import type { Job } from '../../src/runtime/job.js';
import { requirePeers } from '../peers/index.js';
import { testContext } from '../kafka/helpers.js';
import { jdbcWith, openDb, uniqueName, type DbName, type TestDb } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runJob(sql: string): Promise<Job> {
  const session = new Session({ log: () => {} });
  const res = await session.executeAll(sql);
  const r = res[res.length - 1];
  if (r.kind !== 'job') throw new Error(`expected a job, got ${r.kind}`);
  await r.job.run();
  await session.close();
  return r.job;
}

const DDL: Record<DbName, (t: string) => string> = {
  postgres: (t) => `CREATE TABLE ${t} (id BIGINT PRIMARY KEY, big BIGINT, amount NUMERIC(38,10), ts TIMESTAMP(6), ts3 TIMESTAMP(3), d DATE, flag BOOLEAN, data BYTEA, name VARCHAR(50))`,
  mariadb: (t) => `CREATE TABLE ${t} (id BIGINT PRIMARY KEY, big BIGINT, amount DECIMAL(38,10), ts DATETIME(6), ts3 DATETIME(3), d DATE, flag BOOLEAN, data VARBINARY(100), name VARCHAR(50))`,
};
const FLINK_COLS = 'id BIGINT, big BIGINT, amount DECIMAL(38, 10), ts TIMESTAMP(6), ts3 TIMESTAMP(3), d DATE, flag BOOLEAN, data BYTES, name STRING';
const ROWS = [
  [1, '9007199254740993', '12345678901234567890123456.0123456789', '2024-02-29 23:59:59.123456', '2024-01-01 00:00:00.123', '1999-12-31', true, Buffer.from([0, 1, 255]), 'héllo'],
  [2, '-9223372036854775808', '-0.0000000001', '1970-01-01 00:00:00.000001', '1969-12-31 23:59:59.999', '1900-01-01', false, Buffer.from([]), ''],
  [3, null, null, null, null, null, null, null, null],
];
const EXPECTED: Row[] = [
  [1, 9007199254740993n, 123456789012345678901234560123456789n, parseTimestamp('2024-02-29 23:59:59.123456'), parseTimestamp('2024-01-01 00:00:00.123'), parseDate('1999-12-31'), true, new Uint8Array([0, 1, 255]), 'héllo'],
  [2, -9223372036854775808n, -1, 1, -1000, parseDate('1900-01-01'), false, new Uint8Array([]), ''],
  [3, null, null, null, null, null, null, null, null],
];

describe.each(['postgres', 'mariadb'] as const)('jdbc connector on %s', (dbName) => {
  const ok = requirePeers(dbName);
  let db: TestDb;
  beforeAll(async () => {
    if (ok) db = await openDb(dbName);
  });
  afterAll(async () => {
    await db?.close();
  });
  afterEach(() => dropMemoryChannel('jdbc-out'));

  async function typedTable(): Promise<string> {
    const t = uniqueName('typed');
    await db.query(DDL[dbName](t));
    for (const r of ROWS) await db.query(`INSERT INTO ${t} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r);
    return t;
  }

  it('scans every type exactly (BIGINT beyond 2^53, DECIMAL(38,10), TIMESTAMP(6)/(3), DATE, BOOLEAN, BYTES, NULL)', async () => {
    const t = await typedTable();
    const out = memoryChannel('jdbc-out');
    const job = await runJob(`
      CREATE TABLE src (${FLINK_COLS}, PRIMARY KEY (id) NOT ENFORCED) ${jdbcWith(db, t)};
      CREATE TABLE sink_t (${FLINK_COLS}) WITH ('connector' = 'memory', 'channel' = 'jdbc-out');
      INSERT INTO sink_t SELECT * FROM src;`);
    expect(job.status).toBe('FINISHED');
    expect([...out.written].sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(EXPECTED);
  });

  it('partitioned scan: scan.partition.* split the table into ranges, each row read once', async () => {
    expect(partitionRanges(1n, 10n, 3n === 3n ? 3 : 0)).toEqual([[1n, 4n], [5n, 7n], [8n, 10n]]);
    const t = uniqueName('parts');
    await db.query(`CREATE TABLE ${t} (id INT PRIMARY KEY, v VARCHAR(10))`);
    for (let i = 1; i <= 25; i++) await db.query(`INSERT INTO ${t} VALUES (?, ?)`, [i, `v${i}`]);
    const out = memoryChannel('jdbc-out');
    await runJob(`
      CREATE TABLE src (id INT, v STRING) ${jdbcWith(db, t, { 'scan.partition.column': 'id', 'scan.partition.num': '4', 'scan.partition.lower-bound': '1', 'scan.partition.upper-bound': '25', 'scan.fetch-size': '3' })};
      CREATE TABLE sink_t (id INT, v STRING) WITH ('connector' = 'memory', 'channel' = 'jdbc-out');
      INSERT INTO sink_t SELECT id, v FROM src WHERE id <> 7;`);
    expect(out.written.map((r) => r[0]).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 25 }, (_, i) => i + 1).filter((i) => i !== 7));
    expect(out.written.find((r) => r[0] === 25)).toEqual([25, 'v25']);
  });

  it('a partitioned scan resumes from its checkpointed partition and offset', async () => {
    const t = uniqueName('resume');
    await db.query(`CREATE TABLE ${t} (id INT PRIMARY KEY, v VARCHAR(10))`);
    for (let i = 1; i <= 12; i++) await db.query(`INSERT INTO ${t} VALUES (?, ?)`, [i, `v${i}`]);
    const desc: TableDescriptor = {
      path: { catalog: 'c', database: 'd', table: 'resume' },
      physical: [
        { name: 'id', type: T.int() },
        { name: 'v', type: T.string() },
      ],
      metadata: [],
      partitionKeys: [],
      primaryKey: ['id'],
      options: { connector: 'jdbc', url: db.jdbcUrl, 'table-name': t, username: db.user, password: db.password, 'scan.partition.column': 'id', 'scan.partition.num': '3', 'scan.partition.lower-bound': '1', 'scan.partition.upper-bound': '12', 'scan.fetch-size': '2' },
    };
    const readAll = async (restored?: unknown) => {
      const src = jdbcFactory.createSource!(desc, { batch: true }, { config: new Map() });
      await src.open(testContext(), restored);
      const ids: unknown[] = [];
      let state: unknown;
      for (;;) {
        const b = await src.poll(100);
        if (b === null) break;
        for (const x of b) for (const r of x.rows) ids.push(r[0]);
        if (ids.length >= 5 && state === undefined) state = src.snapshotState(1);
      }
      await src.close();
      return { ids, state };
    };
    const first = await readAll();
    expect(first.ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(first.state).toEqual({ split: 1, offset: 2 }); // partitions 1–4, 5–8, 9–12, pages of 2: ids 5 and 6 read
    expect((await readAll(first.state)).ids).toEqual([7, 8, 9, 10, 11, 12]);
  });

  it('lookup join asks the database per key: a change made while the job runs is seen (no cache)', async () => {
    const t = uniqueName('cust');
    await db.query(`CREATE TABLE ${t} (id BIGINT PRIMARY KEY, name VARCHAR(20), tier INT)`);
    await db.query(`INSERT INTO ${t} VALUES (1, 'alice', 1), (2, 'bob', 2)`);
    const orders = memoryChannel(uniqueName('orders'));
    const out = memoryChannel('jdbc-out');
    const session = new Session({ log: () => {} });
    const res = await session.executeAll(`
      CREATE TABLE orders (oid INT, cid BIGINT, pt AS PROCTIME()) WITH ('connector' = 'memory', 'channel' = '${orders.name}', 'bounded' = 'true');
      CREATE TABLE customers (id BIGINT, name STRING, tier INT, PRIMARY KEY (id) NOT ENFORCED) ${jdbcWith(db, t)};
      CREATE TABLE sink_t (oid INT, name STRING, tier INT) WITH ('connector' = 'memory', 'channel' = 'jdbc-out');
      INSERT INTO sink_t SELECT o.oid, c.name, c.tier FROM orders AS o LEFT JOIN customers FOR SYSTEM_TIME AS OF o.pt AS c ON o.cid = c.id WHERE c.tier IS NULL OR c.tier < 5;`);
    const r = res[res.length - 1];
    if (r.kind !== 'job') throw new Error('expected a job');
    const done = r.job.run();
    orders.push([[10, 1], [11, 2], [12, 99], [13, null]]);
    const until = async (n: number) => {
      const end = Date.now() + 30_000;
      while (out.written.length < n && Date.now() < end) await sleep(20);
    };
    await until(4);
    await db.query(`UPDATE ${t} SET name = 'alice2' WHERE id = 1`);
    orders.push([[14, 1]]);
    orders.end();
    await done;
    await session.close();
    expect(out.written).toEqual([
      [10, 'alice', 1],
      [11, 'bob', 2],
      [12, null, null],
      [13, null, null],
      [14, 'alice2', 1],
    ]);
  });

  it('lookup source: one query for a batch of keys; the PARTIAL cache answers repeated keys', async () => {
    const t = uniqueName('lk');
    await db.query(`CREATE TABLE ${t} (k1 INT, k2 VARCHAR(5), v DECIMAL(10, 2), PRIMARY KEY (k1, k2))`);
    await db.query(`INSERT INTO ${t} VALUES (1, 'a', 1.50), (1, 'b', 2.25), (2, 'a', -3.00)`);
    const physical: Field[] = [
      { name: 'k1', type: T.int() },
      { name: 'k2', type: T.string() },
      { name: 'v', type: { kind: 'DECIMAL', precision: 10, scale: 2, nullable: true } },
    ];
    const desc: TableDescriptor = {
      path: { catalog: 'c', database: 'd', table: 'lk' },
      physical,
      metadata: [],
      partitionKeys: [],
      options: { connector: 'jdbc', url: db.jdbcUrl, 'table-name': t, username: db.user, password: db.password, 'lookup.cache': 'PARTIAL', 'lookup.partial-cache.max-rows': '10' },
    };
    const src = jdbcFactory.createLookupSource!(desc, { keyColumns: [0, 1], projection: [2, 0] }, { config: new Map() }) as JdbcLookupSource;
    await src.open(testContext());
    try {
      const got = await src.lookup([[1, 'b'], [2, 'a'], [3, 'z'], [1, 'b'], [null, 'a']]);
      expect(got).toEqual([[[225, 1]], [[-300, 2]], [], [[225, 1]], []]);
      expect(src.queries).toBe(1);
      await db.query(`UPDATE ${t} SET v = 9.99 WHERE k1 = 2`);
      expect(await src.lookup([[2, 'a'], [3, 'z']])).toEqual([[[-300, 2]], []]);
      expect(src.queries).toBe(1); // both cached (the missing key too)
      expect(await src.lookup([[1, 'a']])).toEqual([[[150, 1]]]);
      expect(src.queries).toBe(2);
      // The database's own comparison decides (MariaDB's default collation ignores case), as a query per key would.
      expect(await src.lookup([[1, 'A'], [1, 'a ']])).toEqual(dbName === 'mariadb' ? [[[150, 1]], [[150, 1]]] : [[], []]);
    } finally {
      await src.close();
    }
  });

  it('sink with a PRIMARY KEY: a GROUP BY changelog arrives as upserts (exact DECIMAL, BIGINT)', async () => {
    const t = uniqueName('agg');
    await db.query(`CREATE TABLE ${t} (k VARCHAR(10) PRIMARY KEY, n BIGINT, total DECIMAL(20, 2))`);
    const src = memoryChannel(uniqueName('amounts'));
    src.push([
      ['a', 9007199254740993n, 100],
      ['b', 1, 250],
      ['a', 1, 1],
      ['c', 5, -5],
      ['a', 2, 99],
    ]);
    src.end();
    await runJob(`
      CREATE TABLE amounts (k STRING, big BIGINT, amount DECIMAL(10, 2)) WITH ('connector' = 'memory', 'channel' = '${src.name}', 'bounded' = 'true');
      CREATE TABLE agg (k STRING, n BIGINT, total DECIMAL(20, 2), PRIMARY KEY (k) NOT ENFORCED) ${jdbcWith(db, t, { 'sink.buffer-flush.max-rows': '2' })};
      INSERT INTO agg SELECT k, SUM(big), SUM(amount) FROM amounts GROUP BY k;`);
    const rows = await db.query(`SELECT k, n, total FROM ${t} ORDER BY k`);
    expect(rows.map((r) => [r.k, String(r.n), String(r.total)])).toEqual([
      ['a', '9007199254740996', '2.00'],
      ['b', '1', '2.50'],
      ['c', '5', '-0.05'],
    ]);
  });

  it('sink: upserts and deletes by key, reduced per key; append without a key; types round-trip exactly', async () => {
    const t = await typedTable();
    const copy = uniqueName('copy');
    await db.query(DDL[dbName](copy));
    // Append: a table without PRIMARY KEY in tsstream (the database's key is not declared).
    await runJob(`
      CREATE TABLE src (${FLINK_COLS}) ${jdbcWith(db, t)};
      CREATE TABLE dst (${FLINK_COLS}) ${jdbcWith(db, copy)};
      INSERT INTO dst SELECT * FROM src;`);
    const cols = 'id, big, amount, ts, ts3, d, flag, name';
    const norm = (rows: Record<string, unknown>[]) => rows.map((r) => Object.values(r).map((v) => (v === null ? null : Buffer.isBuffer(v) ? v.toString('hex') : String(v))));
    expect(norm(await db.query(`SELECT ${cols}, data FROM ${copy} ORDER BY id`))).toEqual(norm(await db.query(`SELECT ${cols}, data FROM ${t} ORDER BY id`)));
    // Upsert/delete through the sink API with row kinds.
    const kv = uniqueName('kv');
    await db.query(`CREATE TABLE ${kv} (a INT, b VARCHAR(5), v BIGINT, PRIMARY KEY (a, b))`);
    await db.query(`INSERT INTO ${kv} VALUES (9, 'x', 1)`);
    const desc: TableDescriptor = {
      path: { catalog: 'c', database: 'd', table: 'kv' },
      physical: [
        { name: 'a', type: T.int() },
        { name: 'b', type: T.string() },
        { name: 'v', type: T.bigint() },
      ],
      metadata: [],
      partitionKeys: [],
      primaryKey: ['a', 'b'],
      options: { connector: 'jdbc', url: db.jdbcUrl, 'table-name': kv, username: db.user, password: db.password, 'sink.buffer-flush.interval': '0' },
    };
    const sink = jdbcFactory.createSink!(desc, { config: new Map() }) as JdbcSink;
    await sink.open(testContext());
    await sink.write([[1, 'a', 1], [2, 'a', 2], setRowKind([1, 'a', 1], '-U'), setRowKind([1, 'a', 10], '+U'), setRowKind([9, 'x', 1], '-D'), [3, 'c', 2n ** 62n]]);
    await sink.prepareCommit(1);
    await sink.write([setRowKind([2, 'a', 2], '-D'), [4, 'd', 4]]);
    await sink.prepareCommit(2);
    await sink.close();
    expect((await db.query(`SELECT a, b, v FROM ${kv} ORDER BY a`)).map((r) => [Number(r.a), r.b, String(r.v)])).toEqual([
      [1, 'a', '10'],
      [3, 'c', String(2n ** 62n)],
      [4, 'd', '4'],
    ]);
  });

  it('a dropped connection is reconnected and the lookup / write retried (lookup.max-retries, sink.max-retries)', async () => {
    const t = uniqueName('retry');
    await db.query(`CREATE TABLE ${t} (id INT PRIMARY KEY, v VARCHAR(10))`);
    await db.query(`INSERT INTO ${t} VALUES (1, 'one')`);
    const desc: TableDescriptor = {
      path: { catalog: 'c', database: 'd', table: 'retry' },
      physical: [
        { name: 'id', type: T.int() },
        { name: 'v', type: T.string() },
      ],
      metadata: [],
      partitionKeys: [],
      primaryKey: ['id'],
      options: { connector: 'jdbc', url: db.jdbcUrl, 'table-name': t, username: db.user, password: db.password, 'sink.buffer-flush.interval': '0' },
    };
    const ctx = testContext();
    const lookup = jdbcFactory.createLookupSource!(desc, { keyColumns: [0] }, { config: new Map() });
    const sink = jdbcFactory.createSink!(desc, { config: new Map() });
    await lookup.open(ctx);
    await sink.open(ctx);
    try {
      expect(await lookup.lookup([[1]])).toEqual([[[1, 'one']]]);
      await sink.write([[2, 'two']]);
      await sink.prepareCommit(1);
      // Kill the server side of both connections (their last statements named the table).
      const kill =
        dbName === 'postgres'
          ? `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%${t}%'`
          : `SELECT id FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND info IS NULL AND user = '${db.user}' AND db = 'tsstream'`;
      if (dbName === 'postgres') await db.query(kill);
      else for (const r of await db.query(kill)) await db.query(`KILL ${Number(r.id)}`).catch(() => {});
      expect(await lookup.lookup([[2]])).toEqual([[[2, 'two']]]);
      await sink.write([[3, 'three']]);
      await sink.prepareCommit(2);
      expect((await db.query(`SELECT id, v FROM ${t} ORDER BY id`)).map((r) => `${r.id} ${r.v}`)).toEqual(['1 one', '2 two', '3 three']);
      expect(ctx.logs.some((l) => /retry 1 of 3/.test(l))).toBe(true);
    } finally {
      await lookup.close();
      await sink.close();
    }
  });

  it('errors name the table and never the password', async () => {
    const t = uniqueName('missing');
    const secret = 'not-the-password-1234';
    const wrong = jdbcWith({ ...db, password: secret }, t);
    await expect(
      runJob(`
        CREATE TABLE src (id INT) ${wrong};
        CREATE TABLE sink_t (id INT) WITH ('connector' = 'memory', 'channel' = 'jdbc-out');
        INSERT INTO sink_t SELECT id FROM src;`),
    ).rejects.toSatisfy((e: Error) => e.message.includes(t) && !e.message.includes(secret) && !JSON.stringify(e).includes(secret));
    await expect(
      runJob(`
        CREATE TABLE src (id INT) ${jdbcWith(db, t)};
        CREATE TABLE sink_t (id INT) WITH ('connector' = 'memory', 'channel' = 'jdbc-out');
        INSERT INTO sink_t SELECT id FROM src;`),
    ).rejects.toThrow(new RegExp(`jdbc table 'default_catalog.default_database.src' \\(.*${t}.*\\)`));
    // An updating query into a table without PRIMARY KEY is refused at planning, as in Flink.
    const session = new Session({ log: () => {} });
    await expect(
      session.executeAll(`
        CREATE TABLE src (k STRING) WITH ('connector' = 'memory', 'channel' = 'jdbc-out');
        CREATE TABLE dst (k STRING, n BIGINT) ${jdbcWith(db, t)};
        INSERT INTO dst SELECT k, COUNT(*) FROM src GROUP BY k;`),
    ).rejects.toThrow(/doesn't support consuming update changes/);
    await session.close();
    const desc: TableDescriptor = { path: { catalog: 'c', database: 'd', table: 'x' }, physical: [], metadata: [], partitionKeys: [], options: { url: 'jdbc:oracle:thin:@h:1521:x', 'table-name': 'x' } };
    expect(() => readJdbcConfig(desc)).toThrow(/is for 'oracle'/);
    const maria = readJdbcConfig({ ...desc, options: { url: 'jdbc:mariadb://db.example:3307/shop?user=u&password=p%40ss&useSSL=false', 'table-name': 'inv.items' } });
    expect([maria.dialect, maria.host, maria.port, maria.database, maria.user, maria.password, maria.table, maria.params]).toEqual(['mysql', 'db.example', 3307, 'shop', 'u', 'p@ss', ['inv', 'items'], { useSSL: 'false' }]);
    expect(maria.what).not.toContain('p@ss');
  });
});
