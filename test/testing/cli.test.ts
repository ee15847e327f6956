// `tsstream test` as users and CI run it: the real CLI (bin/tsstream.js → dist/) as a child process.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, parseXml, scratch, write } from './helpers.js';

const WRONG_S2 = `job: jobs/s2.sql
sinks:
  event_counts: {}
steps:
  - feed: {kafka_window_events: [{event_id: w001, user_id: u001, event_type: click, event_time: "2025-12-29T10:00:10"}]}
    expect: {event_counts: []}
  - feed:
      kafka_window_events:
        - {event_id: w005, user_id: u002, event_type: purchase, event_time: "2025-12-29T10:00:55"}
        - {event_id: w006, user_id: u001, event_type: click, event_time: "2025-12-29T10:01:10"}
    expect:
      event_counts:
        - {window_start: "2025-12-29 10:00:00", window_end: "2025-12-29 10:01:00", event_type: click, event_count: 1}
        - {window_start: "2025-12-29 10:00:00", window_end: "2025-12-29 10:01:00", event_type: view, event_count: 1}
`;

describe('tsstream test (CLI)', () => {
  it('passes the project specs in queries/tests (S1, S2 with steps, S4)', () => {
    const r = cli(['test', 'queries/tests']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS +queries\/tests\/s1-append\.test\.yaml/);
    expect(r.stdout).toMatch(/PASS +queries\/tests\/s2-tumble\.test\.yaml/);
    expect(r.stdout).toMatch(/PASS +queries\/tests\/s4-z-timestamp\.test\.yaml/);
    expect(r.stdout).toContain('Specs: 3 passed (3 total)');
  });

  it('S2: a spec expecting a row after w005 fails at that step (the window has not fired)', () => {
    const dir = scratch();
    const spec = readFileSync(path.join(dir, 's2-tumble.test.yaml'), 'utf8').replace(
      '    # The watermark is 10:00:50: the 10:00–10:01 window is still open.\n    expect: {iceberg_catalog.demo.event_counts: []}',
      '    expect: {iceberg_catalog.demo.event_counts: [{window_start: "2025-12-29 10:00:00", window_end: "2025-12-29 10:01:00", event_type: click, event_count: 3}]}',
    );
    expect(spec).toContain('event_count: 3}]}');
    write(dir, 's2-tumble.test.yaml', spec);
    const r = cli(['test', 's2-tumble.test.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('at step 5 (feed kafka_window_events: w005)');
    expect(r.stdout).toContain('expected 1 row, received 0');
    expect(r.stdout).toContain('missing (1):');
  });

  it('a wrong spec exits 1 with a diff naming the missing and unexpected rows and the step', () => {
    const dir = scratch();
    write(dir, 'wrong.test.yaml', WRONG_S2);
    const r = cli(['test', 'wrong.test.yaml'], dir);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toMatch(/^FAIL +wrong\.test\.yaml/m);
    expect(out).toContain('at step 2 (feed kafka_window_events: w005, w006) — wrong.test.yaml:7:5:');
    expect(out).toContain('sink event_counts: expected 2 rows, received 2');
    expect(out).toContain('missing (1):');
    expect(out).toContain('- {"window_start":"2025-12-29 10:00:00.000000","window_end":"2025-12-29 10:01:00.000000","event_type":"view","event_count":1}');
    expect(out).toContain('unexpected (1):');
    expect(out).toContain('+ {"window_start":"2025-12-29 10:00:00.000000","window_end":"2025-12-29 10:01:00.000000","event_type":"purchase","event_count":1}');
    // The row that matched is in neither list.
    expect(out).not.toContain('"event_type":"click","event_count":1}\n');
    expect(out).toContain('Specs: 0 passed, 1 failed (1 total)');
  });

  it('a malformed spec exits 2 with the position and a clear message', () => {
    const dir = scratch();
    write(dir, 'bad/typo.test.yaml', 'job: ../jobs/s2.sql\nsinks:\n  event_counts:\n    expekt: []\n');
    write(dir, 'bad/yaml.test.yaml', 'job: ../jobs/s2.sql\nsinks:\n  event_counts: [\nsteps: 3\n');
    write(dir, 'bad/nojob.test.yaml', 'sinks:\n  event_counts: []\n');
    write(dir, 'bad/col.test.yaml', 'job: ../jobs/s2.sql\nsources:\n  kafka_window_events:\n    rows:\n      - {event_id: w1, event_tim: "2025-12-29T10:00:10"}\nsinks:\n  event_counts: []\n');
    write(dir, 'bad/val.test.yaml', 'job: ../jobs/s2.sql\nsources:\n  kafka_window_events:\n    rows:\n      - {event_id: w1, event_time: "yesterday"}\nsinks:\n  event_counts: []\n');
    write(dir, 'bad/step.test.yaml', 'job: ../jobs/s2.sql\nsinks: {event_counts: []}\nsteps:\n  - advance-processing-time: soon\n');
    const r = cli(['test', 'bad'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("bad/typo.test.yaml:4:5: sinks.event_counts: unknown key 'expekt' — did you mean 'expect'?");
    expect(r.stdout).toMatch(/bad\/yaml\.test\.yaml:\d+:\d+: invalid YAML: /);
    expect(r.stdout).toContain("bad/nojob.test.yaml:1:1: missing 'job:'");
    expect(r.stdout).toContain("bad/col.test.yaml:5:9: rows for kafka_window_events: unknown column 'event_tim' — did you mean 'event_time'?");
    expect(r.stdout).toContain(`bad/val.test.yaml:5:9: rows for kafka_window_events, column 'event_time': "yesterday" is not a valid TIMESTAMP`);
    expect(r.stdout).toContain('bad/step.test.yaml:4:30: steps[0].advance-processing-time: expected a duration such as 10s');
    expect(r.stdout).toContain('Specs: 0 passed, 6 could not run (6 total)');
  });

  it('a job that cannot be planned exits 2 with the SQL position and a caret', () => {
    const dir = scratch();
    write(dir, 'jobs/bad.sql', "CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\nINSERT INTO nope SELECT a FROM t;\n");
    write(dir, 'bad.test.yaml', 'job: jobs/bad.sql\nsinks:\n  nope: []\n');
    const r = cli(['test', 'bad.test.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("jobs/bad.sql:2:13: Object 'nope' not found in default_catalog.default_database\n    INSERT INTO nope SELECT a FROM t;\n                ^");
  });

  it('a source still pointing at Kafka that the spec does not name is an error naming it; nothing is contacted', () => {
    const dir = scratch();
    write(dir, 'nosrc.test.yaml', 'job: jobs/s1.sql\nsinks:\n  events: []\n');
    const t0 = Date.now();
    const r = cli(['test', 'nosrc.test.yaml'], dir);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("jobs/s1.sql:4:1: source table default_catalog.default_database.kafka_events reads from an external service (connector 'kafka' at kafka:29092)");
    expect(r.stdout).toContain("add it under 'sources:' of nosrc.test.yaml");
  });

  it('names a sink the job does not write, with a suggestion', () => {
    const dir = scratch();
    write(dir, 'sink.test.yaml', 'job: jobs/s2.sql\nsources:\n  kafka_window_events: []\nsinks:\n  event_count: []\n');
    const r = cli(['test', 'sink.test.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("sink.test.yaml:5:3: sink 'event_count': the job writes no such table — did you mean 'event_counts'? (it writes: iceberg_catalog.demo.event_counts)");
  });

  it('--reporter junit FILE writes JUnit XML that parses and counts the cases', () => {
    const dir = scratch();
    write(dir, 'wrong.test.yaml', WRONG_S2);
    write(dir, 'typo.test.yaml', 'job: jobs/s2.sql\nsinks:\n  event_counts:\n    expekt: []\n');
    const r = cli(['test', '.', '--reporter', 'junit', 'reports/junit.xml'], dir);
    expect(r.code).toBe(2); // a spec that cannot be read wins over a failure
    const xml = readFileSync(path.join(dir, 'reports/junit.xml'), 'utf8');
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '5', failures: '1', errors: '1' });
    const suite = root.children[0];
    expect(suite.name).toBe('testsuite');
    expect(suite.attrs).toMatchObject({ tests: '5', failures: '1', errors: '1' });
    const cases = suite.children;
    expect(cases.map((c) => c.name)).toEqual(Array(5).fill('testcase'));
    expect(cases.map((c) => c.attrs.classname)).toEqual(['s1-append.test.yaml', 's2-tumble.test.yaml', 's4-z-timestamp.test.yaml', 'typo.test.yaml', 'wrong.test.yaml']);
    for (const c of cases) expect(Number(c.attrs.time)).toBeGreaterThanOrEqual(0);
    expect(cases.slice(0, 3).every((c) => c.children.length === 0)).toBe(true);
    expect(cases[3].children[0].name).toBe('error');
    expect(cases[3].children[0].text).toContain("unknown key 'expekt'");
    const failure = cases[4].children[0];
    expect(failure.name).toBe('failure');
    expect(failure.attrs.message).toContain('at step 2');
    expect(failure.text).toContain('missing (1):');
    expect(failure.text).toContain('"event_type":"purchase"');
    // The console report still goes to stdout.
    expect(r.stdout).toContain('Specs: 3 passed, 1 failed, 1 could not run (5 total)');
  });

  it('--reporter tap prints TAP 13 on stdout', () => {
    const dir = scratch();
    write(dir, 'wrong.test.yaml', WRONG_S2);
    const r = cli(['test', '--reporter', 'tap', '.'], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('TAP version 13');
    expect(lines[1]).toBe('1..4');
    expect(lines.filter((l) => /^(not )?ok \d+ - /.test(l))).toEqual([
      'ok 1 - s1-append.test.yaml',
      'ok 2 - s2-tumble.test.yaml',
      'ok 3 - s4-z-timestamp.test.yaml',
      'not ok 4 - wrong.test.yaml',
    ]);
    expect(r.stdout).toContain('  message: |-\n    at step 2');
    expect(r.stdout).toContain('# pass 3\n# fail 1');
    // The readable report moves to stderr.
    expect(r.stderr).toContain('FAIL  wrong.test.yaml');
  });

  it('--update writes the actual rows into expect files and inline expectations', () => {
    const dir = scratch();
    write(dir, 'expected/s1-events.jsonl', '');
    write(dir, 'wrong.test.yaml', '# keep this comment\n' + WRONG_S2);
    let r = cli(['test', '--update', 's1-append.test.yaml', 'wrong.test.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS +s1-append\.test\.yaml \(\d+ ms, 4 rows written\)/);
    const s1 = readFileSync(path.join(dir, 'expected/s1-events.jsonl'), 'utf8').trim().split('\n');
    expect(s1).toHaveLength(4);
    expect(JSON.parse(s1[0])).toEqual({ event_id: 'e001', user_id: 'u001', event_type: 'click', event_time: '2025-12-29 10:00:00.000000' });
    const spec = readFileSync(path.join(dir, 'wrong.test.yaml'), 'utf8');
    expect(spec).toContain('# keep this comment');
    expect(spec).toContain('event_type: purchase');
    r = cli(['test', 's1-append.test.yaml', 'wrong.test.yaml'], dir);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'expected/s1-events.jsonl'))).toBe(true);
  });

  it('exits 2 when there is no spec to run', () => {
    const r = cli(['test', 'queries/tests/jobs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No spec files (*.test.yaml) found');
  });
});
