// The web dashboard of a running Kafka → Iceberg job (the CLI as a child process), seen through
// headless Chromium (Debian's, driven by playwright-core): the operator graph with counts that
// grow, the checkpoint table, configuration with secrets masked, an exception once its (private)
// broker stops, and stop-with-savepoint from the page, which only the job's token may do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startKafkaBroker, type KafkaBroker } from '../peers/kafka.js';
import { freePort } from '../peers/process.js';
import { kafkaTestClient, type KafkaTestClient } from '../peers/kafka-client.js';
import { startRun, tsstream, until, type RunningCli } from '../e2e/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const noChromium = !existsSync(CHROMIUM);

let dir: string;
let broker: KafkaBroker | undefined;
let kafka: KafkaTestClient | undefined;
let run: RunningCli | undefined;
let browser: Browser | undefined;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-dashboard-'));
});

afterAll(async () => {
  await browser?.close();
  run?.child.kill('SIGTERM');
  await run?.exited;
  await kafka?.close();
  await broker?.destroy();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

const ev = (i: number) => ({
  value: JSON.stringify({ event_id: `e${i}`, user_id: `u${i % 3}`, event_type: i % 2 ? 'click' : 'view', event_time: new Date(Date.UTC(2025, 11, 30, 10, 0, 0) + i * 1000).toISOString().slice(0, 19) }),
});

function jobSql(bootstrap: string, restPort: number): string {
  return `
SET 'rest.port' = '${restPort}';
SET 'execution.checkpointing.interval' = '500ms';
SET 'execution.checkpointing.dir' = '${dir}/checkpoints';
SET 'state.savepoints.dir' = '${dir}/savepoints';
SET 'restart-strategy' = 'fixed-delay';
SET 'restart-strategy.fixed-delay.attempts' = '1000';
SET 'restart-strategy.fixed-delay.delay' = '500 ms';
SET 's3.secret-access-key' = 'hunter2-do-not-show';
CREATE TABLE events (
  event_id STRING, user_id STRING, event_type STRING, event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka', 'topic' = 'dash-events', 'properties.bootstrap.servers' = '${bootstrap}',
  'properties.group.id' = 'dash', 'scan.startup.mode' = 'earliest-offset',
  'properties.retries' = '2', 'properties.retry.backoff.ms' = '50',
  'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '${dir}/warehouse');
CREATE DATABASE IF NOT EXISTS ice.dash;
CREATE TABLE IF NOT EXISTS ice.dash.counts (window_start TIMESTAMP(6), event_type STRING, n BIGINT);
INSERT INTO ice.dash.counts
SELECT window_start, event_type, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(event_time), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, event_type;
`;
}

/** The source operator's "in" count as the page shows it. */
async function sourceIn(page: Page): Promise<number> {
  const g = page.locator('#graph g.op.Source');
  const index = (await g.getAttribute('id'))!.replace('op-', '');
  return Number(await page.locator(`[data-op="${index}"][data-f="numRecordsIn"]`).textContent());
}

async function controlResult(page: Page, button: string, token: string): Promise<string> {
  await page.fill('#token', token);
  await page.locator('#control-result').evaluate((e) => (e.textContent = ''));
  await page.click(button);
  return until(async () => {
    const t = (await page.locator('#control-result').textContent()) ?? '';
    return /done|refused|failed/.test(t) ? t : undefined;
  }, 60_000, `an answer to ${button}`);
}

describe.skipIf(noChromium)(`the web dashboard of a running job${noChromium ? ` (skipped: ${CHROMIUM} is absent; apt-get install chromium)` : ''}`, () => {
  it('shows the plan with growing counts, checkpoints and exceptions; stop-with-savepoint needs the token', async () => {
    broker = await startKafkaBroker(); // a private one: the test stops it
    kafka = kafkaTestClient(broker.endpoint.bootstrap);
    await kafka.createTopic('dash-events', 1);
    await kafka.produce('dash-events', 0, Array.from({ length: 30 }, (_, i) => ev(i)));
    const restPort = await freePort();
    const home = `${dir}/home`;
    writeFileSync(`${dir}/job.sql`, jobSql(broker.endpoint.bootstrap, restPort));
    run = startRun(`${dir}/job.sql`, { TSSTREAM_HOME: home });
    const jobId = await run.jobId;

    // The URL `tsstream jobs list` gives (listed from when the job is CREATED; RUNNING once its connectors are open).
    const list = await until(async () => {
      const out = await tsstream(['jobs', 'list'], { TSSTREAM_HOME: home });
      return out.includes(`http://127.0.0.1:${restPort}/jobs/${jobId}`) && out.includes('RUNNING') ? out : undefined;
    }, 30_000, 'the dashboard URL of the RUNNING job in jobs list');
    expect(list).toMatch(new RegExp(`\\| +RUNNING \\|.*http://127\\.0\\.0\\.1:${restPort}/jobs/${jobId}`));
    const url = `http://127.0.0.1:${restPort}/jobs/${jobId}`;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const offsite: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(`http://127.0.0.1:${restPort}/`)) offsite.push(r.url());
    });
    await page.goto(url);

    // The operator graph: source → window aggregate → … → Iceberg sink, drawn as SVG.
    const names = await page.locator('#graph g.op text.name').allTextContents();
    expect(names.some((n) => /^Source: .*events$/.test(n))).toBe(true);
    expect(names).toContain('WindowAggregate');
    expect(names.some((n) => /^Sink: .*counts$/.test(n))).toBe(true);
    expect(await page.locator('#graph path.edge').count()).toBe(names.length - 1);

    const shots = process.env.TSSTREAM_SHOTS ?? dir;
    mkdirSync(shots, { recursive: true });
    const first = await until(async () => ((await sourceIn(page)) === 30 ? 30 : undefined), 30_000, 'the page to show 30 records in');
    await page.screenshot({ path: path.join(shots, 'dashboard-1.png'), fullPage: true });
    await kafka.produce('dash-events', 0, Array.from({ length: 25 }, (_, i) => ev(30 + i)));
    const second = await until(async () => ((await sourceIn(page)) === 55 ? 55 : undefined), 30_000, 'the page to show 55 records in (it polls)');
    expect(second).toBeGreaterThan(first);
    await page.screenshot({ path: path.join(shots, 'dashboard-2.png'), fullPage: true });

    // The checkpoint history: ids, durations, sizes and what was committed to Iceberg.
    await until(async () => ((await page.locator('#checkpoints tbody tr').count()) >= 2 ? true : undefined), 30_000, 'two checkpoints in the table');
    const cpText = (await page.locator('#checkpoints tbody').textContent()) ?? '';
    expect(cpText).toMatch(/\d+ ms/);
    expect(cpText).toMatch(/Iceberg table .*: snapshot \d+: \d+ data files?, \d+ rows?/);
    // Kafka position and lag of the partition.
    expect(await page.locator('#splits tbody').textContent()).toContain('dash-events-0');

    // Configuration with the secret masked; nothing fetched from elsewhere.
    const config = (await page.locator('#config').textContent()) ?? '';
    expect(config).toContain('s3.secret-access-key');
    expect(config).toContain('******');
    expect(await page.content()).not.toContain('hunter2');
    expect(offsite).toEqual([]);

    // Stop with savepoint without the token, or with a wrong one: refused, the job runs on.
    expect(await controlResult(page, '#btn-stop', '')).toMatch(/refused: missing or wrong token/);
    expect(await controlResult(page, '#btn-stop', 'not-the-token')).toMatch(/refused/);
    expect(await page.locator('#job-status').textContent()).toBe('RUNNING');

    // The broker goes away: the job fails (and restarts); the page shows why, with the cause.
    await broker.stop();
    const exc = await until(async () => {
      const t = (await page.locator('#exceptions .exc').first().textContent().catch(() => null)) ?? '';
      return t.includes('Kafka') ? t : undefined;
    }, 90_000, 'an exception on the page');
    expect(exc).toMatch(new RegExp(`Kafka brokers ${broker.endpoint.bootstrap.replace(/\./g, '\\.')}`));
    expect(exc).toContain('Caused by:');
    await page.screenshot({ path: path.join(shots, 'dashboard-3.png'), fullPage: true });

    // The broker is back: the restarted job runs again from its checkpoint; the token stops it.
    await broker.restart();
    await until(async () => (await page.locator('#job-status').textContent()) === 'RUNNING' && Number(await page.locator('#job-restarts').textContent()) >= 1 ? true : undefined, 120_000, 'the job running again after a restart');
    const token = readFileSync(path.join(home, 'jobs', `${jobId}.token`), 'utf8').trim();
    const stopped = await controlResult(page, '#btn-stop', token);
    expect(stopped).toMatch(new RegExp(`stop done: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/savepoints/savepoint-`));
    expect(await run.exited).toBe(0);
    expect(readdirSync(`${dir}/savepoints`).some((d) => d.startsWith('savepoint-'))).toBe(true);
  }, 400_000);
});
