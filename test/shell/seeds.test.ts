// The acceptance run of issue 19: the seed walkthroughs' statements (S1, then S2 of
// SCENARIOS.md, as queries/compose/ holds them) pasted in the walkthrough's order into
// `tsstream sql` in a real terminal (tmux paste-buffer, the whole file at once), with the compose
// stack's hosts replaced by local ones: kafka:29092 → the Kafka peer, http://rest:8181 → Iceberg's
// own REST catalog server, http://minio:9000 → moto's S3 (s3://warehouse/ → a fresh bucket), and
// the stack's AWS_* credentials in the environment as docker-compose.yml gives them. The topics
// get unique names (the Kafka peer is shared). Nothing else is changed, and nothing is done by
// hand between the steps: each INSERT is pasted before its topic exists (it waits for it), the
// events are produced as the walkthrough produces them, and "the other session" is a second shell
// that pastes the query file and repeats the SELECT until the checkpoint has committed.
import { execFileSync } from 'node:child_process';
import { promises as fs, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession, hasTmux } from './tmux.js';
import { hasPeer, peer } from '../peers/index.js';
import { kafkaTestClient, uniqueTopic, type KafkaTestClient } from '../peers/kafka-client.js';
import { startIcebergRest, type IcebergRestServer } from '../peers/iceberg-rest.js';
import { s3Options, type MotoEndpoint } from '../peers/moto.js';
import { freshBucket } from '../peers/s3-util.js';
import type { KafkaEndpoint } from '../peers/kafka.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROMPT = /^tsstream \S+\.\S+>( |$)/gm;
const atPrompt = (screen: string) => /^tsstream \S+\.\S+>$/.test(screen.split('\n').at(-1) ?? '');
/** What each statement ends with: a message, a job id, a result's last line, or an error. */
const OUTCOME = /^(\[INFO\] Execute statement succeeded\.|Job ID: [0-9a-f]{32}|\d+ rows? in set|Empty set|\[ERROR\].*)$/gm;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ready = hasTmux() && hasPeer('kafka') && hasPeer('moto');

/** The data rows of the one boxed table in `text` (its header left out). */
function lastTable(text: string): string[][] {
  const rows = text.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  return rows.slice(1);
}

describe.skipIf(!ready)('the seed walkthroughs pasted into tsstream sql (S1, S2) with local hosts', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsstream-seeds-'));
  const home = path.join(tmp, 'home');
  const shells: TmuxSession[] = [];
  let kafka: KafkaTestClient;
  let rest: IcebergRestServer;
  let replace: (sql: string) => string;
  let env: string;

  beforeAll(async () => {
    const { bootstrap } = peer<KafkaEndpoint>('kafka');
    const moto = peer<MotoEndpoint>('moto');
    const s3 = s3Options(moto);
    const bucket = await freshBucket(moto, 'warehouse');
    rest = await startIcebergRest({ warehouse: `s3://${bucket}/`, 'io-impl': 'org.apache.iceberg.aws.s3.S3FileIO', ...s3 });
    kafka = kafkaTestClient(bootstrap);
    const topics = { events: uniqueTopic('events'), 'window-events': uniqueTopic('window-events') };
    replace = (sql) =>
      sql
        .replaceAll('kafka:29092', bootstrap)
        .replaceAll('http://rest:8181', rest.uri)
        .replaceAll('http://minio:9000', moto.s3Endpoint)
        .replaceAll('s3://warehouse/', `s3://${bucket}/`)
        .replace(/'topic' = '([^']+)'/g, (_m, t: keyof typeof topics) => `'topic' = '${topics[t]}'`);
    env = `env TSSTREAM_HOME='${home}' AWS_ACCESS_KEY_ID='${moto.accessKeyId}' AWS_SECRET_ACCESS_KEY='${moto.secretAccessKey}' AWS_REGION='${moto.region}'`;
    (globalThis as { seedTopics?: typeof topics }).seedTopics = topics;
  }, 120_000);

  afterAll(async () => {
    // The background INSERTs are processes of their own: cancel them, then the shells and peers go.
    for (const line of listJobs()) spawnCancel(line);
    for (const s of shells) s.kill();
    await kafka?.close();
    await rest?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  function listJobs(): string[] {
    try {
      const out = execTsstream(['jobs', 'list']);
      return [...out.matchAll(/\b([0-9a-f]{32})\b.*RUNNING/g)].map((m) => m[1]);
    } catch {
      return [];
    }
  }

  function spawnCancel(id: string): void {
    try {
      execTsstream(['jobs', 'cancel', id]);
    } catch {
      // already ended
    }
  }

  function execTsstream(args: string[]): string {
    return execFileSync(process.execPath, [path.join(root, 'bin/tsstream.js'), ...args], { encoding: 'utf8', cwd: root, timeout: 30_000, env: { ...process.env, TSSTREAM_HOME: home } });
  }

  /** A new `tsstream sql` in its own terminal, at its first prompt. */
  async function shell(): Promise<TmuxSession> {
    const t = new TmuxSession(root);
    shells.push(t);
    t.start(`${env} '${process.execPath}' bin/tsstream.js sql`, 200, 60);
    await t.waitFor(atPrompt, 'the first prompt');
    return t;
  }

  /** Pastes a file of queries/compose/ (hosts replaced) as one paste, and waits for the prompt after its last statement. */
  async function paste(t: TmuxSession, file: string, timeoutMs = 60_000): Promise<string> {
    const sql = replace(readFileSync(path.join(root, 'queries/compose', file), 'utf8'));
    const statements = sql.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n').split(';').filter((s) => s.trim()).length;
    // A paste is read as one input: the prompt is drawn once at its end, so count the statements' outcomes.
    const outcomes = (x: string) => (x.match(OUTCOME) ?? []).length;
    const before = outcomes(t.screen());
    const buf = path.join(tmp, `paste-${file}`);
    await fs.writeFile(buf, sql);
    t.tmux('load-buffer', '-b', 'seed', buf);
    t.tmux('paste-buffer', '-d', '-b', 'seed', '-t', t.target);
    const s = await t.waitFor((x) => outcomes(x) >= before + statements && atPrompt(x), `the prompt after pasting ${file}`, timeoutMs);
    expect(s, `no error while pasting ${file}`).not.toContain('[ERROR]');
    return s;
  }

  /** Types a statement and waits for the prompt after it; returns the screen. */
  async function type(t: TmuxSession, statement: string): Promise<string> {
    const before = (t.screen().match(PROMPT) ?? []).length;
    t.type(statement);
    return t.waitFor((x) => (x.match(PROMPT) ?? []).length > before && atPrompt(x), `the prompt after: ${statement}`, 60_000);
  }

  /** Repeats `select` in the other session until its last table has `n` rows; returns them. */
  async function until(t: TmuxSession, select: string, n: number, timeoutMs = 90_000): Promise<string[][]> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = await type(t, select);
      const tail = s.slice(s.lastIndexOf(select));
      const rows = tail.includes('Empty set') ? [] : lastTable(tail);
      if (rows.length >= n || Date.now() > end) return rows;
      await sleep(2_000);
    }
  }

  const topics = () => (globalThis as { seedTopics?: Record<string, string> }).seedTopics!;
  const json = (id: string, user: string, type: string, time: string) => ({ value: JSON.stringify({ event_id: id, user_id: user, event_type: type, event_time: time }) });

  it('S1: the INSERT pasted before its topic exists; 3 rows after a checkpoint, 4 once e004 is produced', async () => {
    const a = await shell();
    const s = await paste(a, 's1-kafka-to-iceberg.sql');
    expect(s).toMatch(/Job ID: [0-9a-f]{32}/);
    // The walkthrough creates the topic and produces the three events after starting the job.
    await kafka.createTopic(topics().events, 1);
    await kafka.produce(topics().events, 0, [
      json('e001', 'u001', 'click', '2025-12-29T10:00:00'),
      json('e002', 'u002', 'view', '2025-12-29T10:00:05'),
      json('e003', 'u001', 'purchase', '2025-12-29T10:00:10'),
    ]);
    // The other session.
    const b = await shell();
    await paste(b, 's1-query.sql');
    const three = await until(b, 'SELECT * FROM events;', 3);
    expect(three.sort()).toEqual([
      ['e001', 'u001', 'click', '2025-12-29 10:00:00.000000'],
      ['e002', 'u002', 'view', '2025-12-29 10:00:05.000000'],
      ['e003', 'u001', 'purchase', '2025-12-29 10:00:10.000000'],
    ]);
    await kafka.produce(topics().events, 0, [json('e004', 'u003', 'login', '2025-12-29T10:01:00')]);
    const four = await until(b, 'SELECT * FROM events;', 4);
    expect(four.sort()).toEqual([...three, ['e004', 'u003', 'login', '2025-12-29 10:01:00.000000']]);
    // The job runs on, with no failure reported in the first shell.
    expect(a.screen()).not.toContain('[ERROR]');
  }, 300_000);

  it('S2: the window counts are empty until w006 moves the watermark past 10:01:00, then the three counts', async () => {
    const a = await shell();
    const s = await paste(a, 's2-tumble-window.sql');
    expect(s).toMatch(/Job ID: [0-9a-f]{32}/);
    await kafka.createTopic(topics()['window-events'], 1);
    await kafka.produce(topics()['window-events'], 0, [
      json('w001', 'u001', 'click', '2025-12-29T10:00:10'),
      json('w002', 'u002', 'click', '2025-12-29T10:00:20'),
      json('w003', 'u001', 'view', '2025-12-29T10:00:30'),
      json('w004', 'u003', 'click', '2025-12-29T10:00:45'),
      json('w005', 'u002', 'purchase', '2025-12-29T10:00:55'),
    ]);
    const b = await shell();
    const first = await paste(b, 's2-query.sql');
    expect(first).toContain('Empty set');
    // One checkpoint interval (10 s) later the window is still open: still empty.
    await sleep(11_000);
    expect(await until(b, 'SELECT * FROM event_counts ORDER BY window_start, event_type;', 1, 0)).toEqual([]);
    await kafka.produce(topics()['window-events'], 0, [json('w006', 'u001', 'click', '2025-12-29T10:01:10')]);
    const counts = await until(b, 'SELECT * FROM event_counts ORDER BY window_start, event_type;', 3);
    expect(counts).toEqual([
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'click', '3'],
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'purchase', '1'],
      ['2025-12-29 10:00:00.000000', '2025-12-29 10:01:00.000000', 'view', '1'],
    ]);
    const snaps = await type(b, 'SELECT snapshot_id, committed_at, operation FROM iceberg_catalog.demo.`event_counts$snapshots` ORDER BY committed_at;');
    const rows = lastTable(snaps.slice(snaps.lastIndexOf('event_counts$snapshots')));
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.every((r) => r[2] === 'append')).toBe(true);
    expect(a.screen()).not.toContain('[ERROR]');
  }, 300_000);
});
