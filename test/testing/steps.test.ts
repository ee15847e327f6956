// Specs run in process: steps (feed, watermark, advance-processing-time, end), comparison by
// type, order, ignored columns, CSV fixtures, computed and metadata columns, --update of inline rows.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureText, parseSpecText, runSpec, runTests, type CaseResult } from '../../src/testing/index.js';
import { compareRows } from '../../src/testing/compare.js';
import { parseCsv } from '../../src/testing/fixtures.js';
import { T } from '../../src/common/types.js';
import { ROOT } from './helpers.js';

const S2_JOB = path.join(ROOT, 'queries/tests/jobs/s2.sql');

function dir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'tsstream-steps-'));
}

async function run(yaml: string, files: Record<string, string> = {}): Promise<CaseResult> {
  const d = dir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    writeFileSync(path.join(d, name), text);
  }
  const file = path.join(d, 'x.test.yaml');
  writeFileSync(file, yaml);
  const [spec] = parseSpecText(yaml, file);
  return runSpec(spec);
}

const ev = (id: string, type: string, t: string) => `{event_id: ${id}, user_id: u1, event_type: ${type}, event_time: "2025-12-29T${t}"}`;

describe('steps', () => {
  it('an injected watermark fires the window; the final watermark fires the rest', async () => {
    const r = await run(`job: ${S2_JOB}
sinks:
  event_counts:
    expect:
      - {window_start: "2025-12-29 10:00:00", window_end: "2025-12-29 10:01:00", event_type: click, event_count: 2}
      - {window_start: "2025-12-29 10:01:00", window_end: "2025-12-29 10:02:00", event_type: view, event_count: 1}
steps:
  - feed: {kafka_window_events: [${ev('a', 'click', '10:00:10')}, ${ev('b', 'click', '10:00:50')}, ${ev('c', 'view', '10:01:02')}]}
    expect: {event_counts: []}
  - watermark: {table: kafka_window_events, to: "2025-12-29 10:00:59.998"}
    expect: {event_counts: []}
  - watermark: {table: default_catalog.default_database.kafka_window_events, to: "2025-12-29T10:01:00"}
    expect:
      event_counts: [{window_start: "2025-12-29T10:00:00", window_end: "2025-12-29T10:01:00", event_type: click, event_count: "2"}]
  - end: true
    expect:
      event_counts:
        - {window_start: "2025-12-29 10:00:00", window_end: "2025-12-29 10:01:00", event_type: click, event_count: 2}
        - {window_start: "2025-12-29 10:01:00", window_end: "2025-12-29 10:02:00", event_type: view, event_count: 1}
`);
    expect(failureText(r), failureText(r)).toBe('');
    expect(r.status).toBe('pass');
  });

  it('late rows (behind the watermark) are dropped, as in Flink', async () => {
    const r = await run(`job: ${S2_JOB}
sinks:
  event_counts:
    expect: [{window_start: "2025-12-29 10:00:00", window_end: "2025-12-29 10:01:00", event_type: click, event_count: 1}]
steps:
  - feed: {kafka_window_events: [${ev('a', 'click', '10:00:10')}, ${ev('b', 'click', '10:01:30')}]}
    expect: {event_counts: [{window_start: "2025-12-29 10:00:00", window_end: "2025-12-29 10:01:00", event_type: click, event_count: 1}]}
  - feed: {kafka_window_events: [${ev('late', 'click', '10:00:20')}]}
    expect: {event_counts: [{window_start: "2025-12-29 10:00:00", window_end: "2025-12-29 10:01:00", event_type: click, event_count: 1}]}
  - watermark: {table: kafka_window_events, to: "2025-12-29 10:01:00"}
sinks_note: ignored
`.replace('sinks_note: ignored\n', ''));
    // The final expectation lists only the first window: 10:01–10:02 fires at the end too.
    expect(r.status).toBe('fail');
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0].where).toBe('end of input (final watermark)');
    expect(r.failures[0].diffs[0].unexpected).toEqual(['{"window_start":"2025-12-29 10:01:00.000000","window_end":"2025-12-29 10:02:00.000000","event_type":"click","event_count":1}']);
    expect(r.failures[0].diffs[0].missing).toEqual([]);
  });

  it('advance-processing-time moves PROCTIME / CURRENT_TIMESTAMP deterministically', async () => {
    const r = await run(
      `job: job.sql
processing-time: "2025-01-01 00:00:00"
sinks:
  out:
    order: exact
    expect:
      - {id: 1, seen: "2025-01-01 00:00:00"}
      - {id: 2, seen: "2025-01-01 00:00:10"}
steps:
  - feed: {src: [{id: 1}]}
  - advance-processing-time: 10s
  - feed: {src: [{id: 2}]}
`,
      {
        'job.sql': `CREATE TABLE src (id INT, pt AS PROCTIME()) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'k:9092', 'format' = 'json');
CREATE TABLE out (id INT, seen TIMESTAMP(3)) WITH ('connector' = 'print');
INSERT INTO out SELECT id, CAST(pt AS TIMESTAMP(3)) FROM src;`,
      },
    );
    expect(failureText(r)).toBe('');
  });

  it('advance-processing-time fires processing-time windows', async () => {
    const r = await run(
      `job: job.sql
processing-time: "2025-01-01 00:00:10"
sinks: {out: {}}
steps:
  - feed: {src: [{id: 1}, {id: 2}]}
    expect: {out: []}
  - advance-processing-time: 49s
    expect: {out: []}
  - advance-processing-time: 1s
    expect: {out: [{w: "2025-01-01 00:00:00", n: 2}]}
`,
      {
        'job.sql': `CREATE TABLE src (id INT, pt AS PROCTIME()) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'k:9092', 'format' = 'json');
CREATE TABLE out (w TIMESTAMP(3), n BIGINT) WITH ('connector' = 'print');
INSERT INTO out SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(pt), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;`,
      },
    );
    expect(failureText(r) || r.message || '').toBe('');
  });

  it('sets computed and metadata columns per row; the watermark uses the computed column', async () => {
    const r = await run(
      `job: job.sql
sources:
  events:
    rows:
      - {ts_ms: 1767002410000, kind: a, part: 0}
      - {ts_ms: 1767002420000, kind: b, part: 1}
      - {ts_ms: 1767002530000, kind: c, part: 1}
sinks:
  counts:
    expect:
      - {w: "2025-12-29 10:00:00", part: 0, n: 1}
      - {w: "2025-12-29 10:00:00", part: 1, n: 1}
      - {w: "2025-12-29 10:02:00", part: 1, n: 1}
`,
      {
        'job.sql': `CREATE TABLE events (
  ts_ms BIGINT, kind STRING,
  part INT METADATA FROM 'partition' VIRTUAL,
  event_time AS TO_TIMESTAMP_LTZ(ts_ms, 3),
  WATERMARK FOR event_time AS event_time - INTERVAL '1' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'e', 'properties.bootstrap.servers' = 'k:9092', 'format' = 'json');
CREATE TABLE counts (w TIMESTAMP(3), part INT, n BIGINT) WITH ('connector' = 'kafka', 'topic' = 'out', 'properties.bootstrap.servers' = 'k:9092', 'format' = 'json');
INSERT INTO counts SELECT CAST(window_start AS TIMESTAMP(3)), part, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, part;`,
      },
    );
    expect(failureText(r)).toBe('');
  });

  it('reads CSV fixtures, ignores columns, and checks exact order', async () => {
    const files = {
      'in.csv': 'event_id,user_id,event_type,event_time\nw1,u1,click,2025-12-29 10:00:10\nw2,"u,2",view,2025-12-29T10:00:20\n',
    };
    const ok = await run(
      `job: ${S2_JOB}
sources: {kafka_window_events: {rows: in.csv}}
sinks:
  event_counts:
    ignore-columns: [window_end]
    order: exact
    expect:
      - {window_start: "2025-12-29 10:00:00", event_type: click, event_count: 1}
      - {window_start: "2025-12-29 10:00:00", event_type: view, event_count: 1}
`,
      files,
    );
    expect(failureText(ok)).toBe('');
    const swapped = await run(
      `job: ${S2_JOB}
sources: {kafka_window_events: {rows: in.csv}}
sinks:
  event_counts:
    ignore-columns: [window_end]
    order: exact
    expect:
      - {window_start: "2025-12-29 10:00:00", event_type: view, event_count: 1}
      - {window_start: "2025-12-29 10:00:00", event_type: click, event_count: 1}
`,
      files,
    );
    expect(swapped.status).toBe('fail');
    expect(failureText(swapped)).toContain('order (exact) differs at row 1:');
  });

  it('keeps watermarks per partition; an idle partition stops holding it back after advance-processing-time', async () => {
    const p = (id: string, part: number, t: string) => `{event_id: ${id}, event_type: click, event_time: "2025-12-29T${t}", part: ${part}}`;
    const r = await run(
      `job: job.sql
set: {table.exec.source.idle-timeout: 5s}
sinks:
  counts: {}
steps:
  - feed: {events: [${p('a', 0, '10:00:10')}, ${p('b', 1, '10:00:20')}]}
  - feed: {events: [${p('c', 0, '10:01:30')}]}
    # partition 1 is at 10:00:15: the 10:00 window stays open
    expect: {counts: []}
  - advance-processing-time: 10s
    # the rows of a step are read after the clock moved: partition 0 is active, partition 1
    # has been quiet for 10 s > the idle timeout, so the watermark is partition 0's (10:01:26)
    feed: {events: [${p('e', 0, '10:01:31')}]}
    expect: {counts: [{window_start: "2025-12-29 10:00:00", event_type: click, n: 2}]}
  # $split names the split when the table has no partition column
  - feed: {events: [{$split: "1", event_id: d, event_type: click, event_time: "2025-12-29T10:02:30"}]}
    expect: {counts: [{window_start: "2025-12-29 10:00:00", event_type: click, n: 2}]}
`,
      {
        'job.sql': `CREATE TABLE events (
  event_id STRING, event_type STRING, event_time TIMESTAMP(3),
  part INT METADATA FROM 'partition' VIRTUAL,
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'e', 'properties.bootstrap.servers' = 'k:9092', 'format' = 'json');
CREATE TABLE counts (window_start TIMESTAMP(3), event_type STRING, n BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO counts SELECT window_start, event_type, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, event_type;`,
      },
    );
    expect(failureText(r)).toBe('');
  });

  it('setup: creates a table that exists in production but that the job does not create', async () => {
    const job = `CREATE TABLE src (id INT, name STRING) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'kafka:29092', 'format' = 'json');
CREATE CATALOG lake WITH ('type' = 'iceberg', 'catalog-type' = 'rest', 'uri' = 'http://rest:8181', 'warehouse' = 's3://warehouse/');
INSERT INTO lake.prod.people SELECT id, UPPER(name) FROM src;`;
    const spec = `job: job.sql
setup: setup.sql
sources: {src: [{id: 1, name: ann}, {id: "2", name: bob}]}
sinks:
  lake.prod.people: [{id: 1, name: ANN}, {id: 2, name: BOB}]
`;
    const r = await run(spec, { 'job.sql': job, 'setup.sql': 'CREATE DATABASE IF NOT EXISTS lake.prod;\nCREATE TABLE IF NOT EXISTS lake.prod.people (id INT, name STRING);\n' });
    expect(failureText(r)).toBe('');
    const bad = await run(spec, { 'job.sql': job, 'setup.sql': 'CREATE TABLE lake.nope.people (id INT, name STRING);\n' });
    expect(bad.status).toBe('error');
    expect(bad.message).toMatch(/setup\.sql:1:1: .*nope/);
  });

  it('a source the spec does not name keeps its connector (the quickstart reads a JSON-lines file)', async () => {
    const r = await run(`job: ${path.join(ROOT, 'queries/quickstart.sql')}
sinks:
  event_counts:
    - {window_start: "2025-12-29 10:00:00", window_end: "2025-12-29 10:01:00", event_type: click, event_count: 3}
    - {window_start: "2025-12-29 10:00:00", window_end: "2025-12-29 10:01:00", event_type: view, event_count: 1}
    - {window_start: "2025-12-29 10:00:00", window_end: "2025-12-29 10:01:00", event_type: purchase, event_count: 1}
    - {window_start: "2025-12-29 10:01:00", window_end: "2025-12-29 10:02:00", event_type: click, event_count: 1}
`);
    expect(failureText(r) || r.message || '').toBe('');
    expect(r.notes.some((n) => n.startsWith('catalog iceberg_catalog: hadoop Iceberg catalog → temporary hadoop catalog'))).toBe(true);
  });

  it('a filesystem source on s3:// that the spec does not name is an error; an s3:// checkpoint dir is ignored', async () => {
    const job = `SET 'execution.checkpointing.dir' = 's3://bucket/checkpoints';
CREATE TABLE files (id INT) WITH ('connector' = 'filesystem', 'path' = 's3://bucket/in/', 'format' = 'json');
CREATE TABLE other (id INT) WITH ('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = 'k:9092', 'format' = 'json');
CREATE TABLE out (id INT) WITH ('connector' = 'blackhole');
INSERT INTO out SELECT id FROM files UNION ALL SELECT id FROM other;`;
    const bad = await run(`job: job.sql\nsources: {other: [{id: 1}]}\nsinks: {out: [{id: 1}]}\n`, { 'job.sql': job });
    expect(bad.status).toBe('error');
    expect(bad.message).toContain("job.sql:2:1: source table default_catalog.default_database.files reads from s3://bucket/in/ ('path'), outside this machine");
    const ok = await run(`job: job.sql\nsources: {other: [{id: 1}], files: [{id: 2}]}\nsinks: {out: [{id: 1}, {id: 2}]}\n`, { 'job.sql': job });
    expect(failureText(ok) || ok.message || '').toBe('');
    expect(ok.notes).toContain("SET 'execution.checkpointing.dir' ignored (checkpoints stay in memory)");
  });

  it('a feed after end: true is a spec error', async () => {
    const r = await run(`job: ${S2_JOB}
sinks: {event_counts: []}
steps:
  - end: true
  - feed: {kafka_window_events: [${ev('a', 'click', '10:00:10')}]}
`);
    expect(r.status).toBe('error');
    expect(r.message).toContain('the input has already ended');
  });
});

describe('comparison by type', () => {
  const fields = [
    { name: 't', type: T.timestamp(3) },
    { name: 'n', type: T.bigint() },
    { name: 'd', type: T.double() },
    { name: 's', type: T.string() },
  ];
  const opts = { order: 'any' as const, ignoreColumns: [], timeZone: 'UTC' };
  const at = { file: 'x', line: 1, col: 1 };
  const actual = [[Date.UTC(2025, 11, 29, 10) * 1000, 3, 0.5, 'x']];

  it('timestamps by instant, numbers by value', () => {
    for (const t of ['2025-12-29T10:00:00', '2025-12-29 10:00:00.000', '2025-12-29T10:00:00Z', '2025-12-29 10:00:00.000000']) {
      expect(compareRows('k', fields, [{ value: { t, n: '3', d: 0.50, s: 'x' }, at }], actual, opts)).toBeUndefined();
    }
    const d = compareRows('k', fields, [{ value: { t: '2025-12-29 10:00:00.001', n: 3, d: 0.5, s: 'x' }, at }], actual, opts)!;
    expect(d.missing).toEqual(['{"t":"2025-12-29 10:00:00.001","n":3,"d":0.5,"s":"x"}']);
    expect(d.unexpected).toEqual(['{"t":"2025-12-29 10:00:00.000","n":3,"d":0.5,"s":"x"}']);
  });

  it('multisets count duplicates', () => {
    const row = { value: { t: '2025-12-29 10:00:00', n: 3, d: 0.5, s: 'x' }, at };
    const d = compareRows('k', fields, [row, row], actual, opts)!;
    expect(d.missing).toHaveLength(1);
    expect(d.unexpected).toHaveLength(0);
  });
});

describe('spec files', () => {
  it('parses several documents in one file and names them', () => {
    const specs = parseSpecText('job: a.sql\nsinks: {t: []}\n---\nname: second\njob: b.sql\nsinks: {t: []}\n', '/x/y.test.yaml');
    expect(specs.map((s) => [s.name, s.job])).toEqual([
      ['y #1', '/x/a.sql'],
      ['second', '/x/b.sql'],
    ]);
  });

  it('CSV quoting', () => {
    expect(parseCsv('a,b\n"x,""y""",\n').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['x,"y"', ''],
    ]);
  });

  it('--update rewrites inline expectations of steps, keeping comments', async () => {
    const d = dir();
    const file = path.join(d, 'u.test.yaml');
    writeFileSync(
      file,
      `# top comment
job: ${S2_JOB}
sinks:
  event_counts:
steps:
  - feed: {kafka_window_events: [${ev('a', 'click', '10:00:10')}, ${ev('b', 'click', '10:01:30')}]}
    expect: {event_counts: [{window_start: "1999-01-01 00:00:00", window_end: "1999-01-01 00:00:00", event_type: x, event_count: 9}]}
`,
    );
    const first = await runTests([file], { update: true });
    expect(first.exitCode).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# top comment');
    expect(text).not.toContain('1999');
    const again = await runTests([file]);
    expect(again.results.map((x) => failureText(x))).toEqual(['']);
    expect(again.exitCode).toBe(0);
    // The final expectation was written too: both windows after the final watermark.
    expect(text.match(/event_count: 1/g)).toHaveLength(3);
  });
});
