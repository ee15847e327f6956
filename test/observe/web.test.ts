// The web server of a process's jobs without a browser: read-only JSON and pages for anyone,
// control only with the job's token, HTML escaped, secrets masked; the metrics registry reads the
// same counters; port settings are checked at SET.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from '../../src/cli/session.js';
import { superviseJob } from '../../src/cli/jobs/control.js';
import { JobRegistry } from '../../src/cli/jobs/registry.js';
import { createMetricsRegistry } from '../../src/cli/observe/prometheus.js';
import { parsePorts } from '../../src/cli/observe/ports.js';
import type { Job, JobResult } from '../../src/runtime/job.js';
import { until } from '../e2e/helpers.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'tsstream-web-'));
const session = new Session({ log: () => {} });
let job: Job | undefined;
let done: Promise<JobResult> | undefined;

afterAll(async () => {
  if (job?.status === 'RUNNING') job.cancel();
  await done?.catch(() => {});
  await session.close();
  rmSync(home, { recursive: true, force: true });
});

describe('the dashboard server and the metrics registry', () => {
  it('serves the job read-only, controls it only with its token, and escapes what it shows', async () => {
    const results = await session.executeAll(`
      SET 'pipeline.name' = '<b>bold</b> job';
      SET 's3.secret-access-key' = 'hunter2';
      SET 'execution.checkpointing.interval' = '200ms';
      CREATE TABLE src (id INT) WITH ('connector' = 'datagen', 'rows-per-second' = '200');
      CREATE TABLE snk (id INT) WITH ('connector' = 'blackhole');
      INSERT INTO snk SELECT id FROM src WHERE id IS NOT NULL;`);
    const r = results.at(-1)!;
    if (r.kind !== 'job') throw new Error(`not a job: ${r.kind}`);
    job = r.job;
    const registry = new JobRegistry(home);
    const stop = await superviseJob(job, `${home}/savepoints`, registry);
    done = job.run();
    const rec = await until(async () => (await registry.list()).find((x) => x.id === job!.id && x.status === 'RUNNING'), 10_000, 'the job record');
    expect(rec.dashboard).toBe(`http://127.0.0.1:${rec.port}/jobs/${job.id}`);
    const base = `http://127.0.0.1:${rec.port}`;

    const view = await until(async () => {
      const v = (await (await fetch(`${base}/v1/jobs/${job!.id}`)).json()) as { recordsIn: number; operators: { name: string; numRecordsIn: number }[]; config: Record<string, string> };
      return v.recordsIn > 0 ? v : undefined;
    }, 10_000, 'records in');
    expect(view.operators.map((o) => o.name)).toEqual(['Sink: default_catalog.default_database.snk', 'Calc', 'Source: default_catalog.default_database.src']);
    expect(view.config['s3.secret-access-key']).toBe('******');

    const html = await (await fetch(rec.dashboard!)).text();
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt; job');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).not.toContain('hunter2');
    const overview = await (await fetch(`${base}/`)).text();
    expect(overview).toContain(`href="${rec.dashboard}"`);

    const cancel = (auth?: string) => fetch(`${base}/v1/jobs/${job!.id}/cancel`, { method: 'POST', headers: auth ? { authorization: auth } : {} });
    expect((await cancel()).status).toBe(401);
    expect((await cancel('Bearer wrong')).status).toBe(401);
    expect(job.status).toBe('RUNNING');

    // The registry Prometheus scrapes reads the same counters.
    const text = await createMetricsRegistry().metrics();
    const line = text.split('\n').find((l) => l.startsWith('flink_taskmanager_job_task_operator_numRecordsIn{') && l.includes(`job_id="${job!.id}"`) && l.includes('operator_name="Calc"'));
    expect(Number(line?.split(' ').at(-1))).toBeGreaterThan(0);

    const token = readFileSync(path.join(home, 'jobs', `${job.id}.token`), 'utf8').trim();
    expect((await cancel(`Bearer ${token}`)).status).toBe(200);
    expect((await done).status).toBe('CANCELED');
    await stop();
  }, 60_000);

  it('counts per operator what each one emits, and a source its skipped malformed records', async () => {
    const file = path.join(home, 'events.json');
    writeFileSync(file, '{"id": 1}\n{"id": oops}\n{"id": 2}\n{"id": 3}\n');
    const s = new Session({ log: () => {} });
    try {
      const res = await s.executeAll(`
        CREATE TABLE f (id INT) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json', 'json.ignore-parse-errors' = 'true');
        CREATE TABLE b (id INT) WITH ('connector' = 'blackhole');
        INSERT INTO b SELECT id FROM f WHERE id > 1;`);
      const r = res.at(-1)!;
      if (r.kind !== 'job') throw new Error(`not a job: ${r.kind}`);
      await r.job.run();
      const byName = Object.fromEntries(r.job.operatorStats.map((o) => [o.name, o]));
      const src = byName['Source: default_catalog.default_database.f'];
      expect(src.numRecordsOut).toBe(3);
      expect(src.numRecordsInErrors).toBe(1);
      expect(byName.Calc.numRecordsOut).toBe(2);
      expect(byName.Calc.downstream).toBe(byName['Sink: default_catalog.default_database.b'].index);
    } finally {
      await s.close();
    }
  });

  it('checks the port settings at SET, as ports, ranges and lists', async () => {
    expect(parsePorts('9249')).toEqual([9249]);
    expect(parsePorts('9250-9252')).toEqual([9250, 9251, 9252]);
    expect(parsePorts('9250,9260')).toEqual([9250, 9260]);
    expect(parsePorts('9252-9250')).toBeUndefined();
    expect(parsePorts('http')).toBeUndefined();
    const s = new Session({ log: () => {} });
    try {
      await expect(s.executeAll("SET 'rest.port' = 'eighty';")).rejects.toThrow(/Invalid value 'eighty' for 'rest.port': expected a port such as '9249', a range such as '9250-9260'/);
      await expect(s.executeAll("SET 'metrics.reporter.prom.factory.class' = 'org.apache.flink.metrics.jmx.JMXReporterFactory';")).rejects.toThrow(/PrometheusReporterFactory/);
      await s.executeAll("SET 'metrics.reporter.prom.port' = '9250-9260';");
    } finally {
      await s.close();
    }
  });
});
