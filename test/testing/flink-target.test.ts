// `tsstream test --target flink`: the specs of queries/tests run on tsstream and on Apache Flink 1.20
// (the flink peer's MiniCluster, through its SQL Gateway), as a child process; a spec only one
// engine meets fails on the other, with Flink's reason or Flink's rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { peer, requirePeers } from '../peers/index.js';
import type { FlinkEndpoint } from '../peers/flink.js';
import { BIN, ROOT } from '../e2e/helpers.js';
import { collectingQuery } from '../../src/testing/flink-target.js';
import { parseStatements } from '../../src/parser/index.js';
import type { InsertStatement } from '../../src/parser/ast.js';

const ready = requirePeers('flink');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-test-target-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, TSSTREAM_TARGET: '', TSSTREAM_GATEWAY: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const gateway = () => peer<FlinkEndpoint>('flink').gateway;

/** A one-spec project in its own folder: a Kafka-fed job and its spec. */
function project(name: string, select: string, sourceType: string, rows: string[], expect: string[]): string {
  const root = path.join(dir, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(
    path.join(root, 'job.sql'),
    `CREATE TABLE events (id BIGINT, ts ${sourceType}) WITH (
  'connector' = 'kafka', 'topic' = 'events', 'properties.bootstrap.servers' = 'kafka:9092',
  'scan.startup.mode' = 'earliest-offset', 'format' = 'json');
CREATE TABLE out_t (id BIGINT, t TIMESTAMP(3)) WITH ('connector' = 'blackhole');
INSERT INTO out_t ${select};
`,
  );
  writeFileSync(
    path.join(root, 'job.test.yaml'),
    `name: ${name}
job: job.sql
sources:
  events:
    rows:
${rows.map((r) => `      - ${r}`).join('\n')}
sinks:
  out_t:
    expect:
${expect.map((r) => `      - ${r}`).join('\n')}
`,
  );
  return root;
}

describe('tsstream test --target flink', () => {
  it('runs queries/tests on tsstream and on Flink: every spec passes on both', () => {
    if (!ready) return;
    const r = cli(['test', 'queries/tests', '--target', 'flink', '--gateway', gateway()]);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/PASS {2}queries\/tests\/s2-tumble\.test\.yaml \[on Flink\]/);
    expect(r.out).toMatch(/PASS {2}queries\/tests\/s1-append\.test\.yaml \[on Flink\]/);
    expect(r.out).toMatch(/PASS {2}queries\/tests\/s4-z-timestamp\.test\.yaml \[on Flink\]/);
    expect(r.out).toContain('Specs: 6 passed (6 total)');
    expect(r.code).toBe(0);
  }, 300_000);

  it("fails a spec on each engine with that engine's reason: CAST of a 'Z' string to TIMESTAMP (both read it as Flink 1.20 does)", () => {
    if (!ready) return;
    const root = project(
      'z-cast',
      'SELECT id, CAST(ts AS TIMESTAMP(3)) FROM events',
      'STRING',
      ['{id: 9007199254740993, ts: "2024-12-31T10:00:00Z"}'],
      ['{id: 9007199254740993, t: "2024-12-31 10:00:00"}'],
    );
    const r = cli(['test', '.', '--target', 'flink', '--gateway', gateway()], root);
    expect(r.out).toMatch(/FAIL {2}job\.test\.yaml \(/);
    expect(r.out).toContain("Cannot cast '2024-12-31T10:00:00Z' of type STRING to TIMESTAMP(3)");
    expect(r.out).toMatch(/FAIL {2}job\.test\.yaml \[on Flink\]/);
    expect(r.out).toContain('the query of INSERT INTO default_catalog.default_database.out_t (job.sql:5) failed on Flink: DateTimeParseException');
    expect(r.out).toContain('Specs: 0 passed, 2 failed (2 total)');
    expect(r.code).toBe(1);
  }, 300_000);

  it("names Flink's rows when its result differs from the expectation, exact BIGINT ids included", () => {
    if (!ready) return;
    const root = project(
      'wrong-expect',
      'SELECT id + 1, ts FROM events WHERE id > 0',
      'TIMESTAMP(3)',
      ['{id: 9007199254740993, ts: "2024-12-31 10:00:00.123"}', '{id: -1, ts: "2024-12-31 10:00:01"}'],
      ['{id: 9007199254740993, t: "2024-12-31 10:00:00.123"}'],
    );
    const r = cli(['test', '.', '--target', 'flink', '--gateway', gateway()], root);
    expect(r.out).toMatch(/FAIL {2}job\.test\.yaml \[on Flink\]/);
    const flinkPart = r.out.slice(r.out.indexOf('[on Flink]'));
    expect(flinkPart).toContain('at on Flink, end of input:');
    expect(flinkPart).toContain('- {"id":"9007199254740993","t":"2024-12-31 10:00:00.123"}');
    expect(flinkPart).toContain('+ {"id":"9007199254740994","t":"2024-12-31 10:00:00.123"}');
    expect(r.code).toBe(1);
  }, 300_000);

  it('refuses --update with --target flink, and --target flink without a gateway', () => {
    const a = cli(['test', 'queries/tests', '--target', 'flink']);
    expect(a.code).toBe(2);
    expect(a.err).toContain("The target 'flink' needs the SQL Gateway's address");
    const b = cli(['test', 'queries/tests', '--target', 'flink', '--gateway', 'http://127.0.0.1:1', '--update']);
    expect(b.code).toBe(2);
    expect(b.err).toContain('--update writes what tsstream computes');
  });
});

describe('the query sent to Flink for an INSERT', () => {
  it('casts to the sink columns, NULL for columns the INSERT does not name', () => {
    const [ins] = parseStatements('INSERT INTO t (b, a) SELECT x, y FROM s') as InsertStatement[];
    const sql = collectingQuery(ins, [
      { name: 'a', type: { kind: 'BIGINT', nullable: true } },
      { name: 'b', type: { kind: 'VARCHAR', length: 2147483647, nullable: true } },
      { name: 'c', type: { kind: 'DECIMAL', precision: 10, scale: 2, nullable: true } },
    ]);
    expect(sql).toMatch(/^SELECT CAST\(__q\.`c1` AS BIGINT\) AS `a`, CAST\(__q\.`c0` AS STRING\) AS `b`, CAST\(NULL AS DECIMAL\(10, 2\)\) AS `c` FROM \(SELECT .*\) AS __q\(`c0`, `c1`\)$/);
  });
});
