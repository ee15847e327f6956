// Flink's full-screen result views in a real terminal (tmux): `SET 'sql-client.execution.result-mode'`
// to 'table' shows the materialized result (retractions applied), refreshed while the query runs,
// paged with N/P/L/G, a row opened with O, quit with Q/Esc; 'changelog' shows the changes with
// their op. Leaving a view cancels the query and prints "[INFO] Result retrieval cancelled.".
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession, hasTmux } from './tmux.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROMPT = /^tsstream \S+\.\S+>( |$)/gm;
const atPrompt = (screen: string) => /^tsstream \S+\.\S+>$/.test(screen.split('\n').at(-1) ?? '');
/** The pane: 100 × 16, so a page holds 16 − 6 = 10 rows (title, status, blank, header, two help lines). */
const WIDTH = 100;
const HEIGHT = 16;

/** The rows of the view's main part: the lines between the column header and the two help lines. */
function viewRows(screen: string): string[][] {
  const lines = screen.split('\n');
  const header = lines.findIndex((l, i) => i > 1 && l.trim() !== '' && !/Refresh|Page:|SQL Query Result/.test(l));
  const help = lines.findIndex((l) => /^Q Quit/.test(l));
  return lines
    .slice(header + 1, help < 0 ? undefined : help)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.split(/\s+/));
}

describe.skipIf(!hasTmux())("result modes 'table' and 'changelog' in a terminal", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsstream-view-'));
  const live = path.join(tmp, 'live.jsonl');
  const t = new TmuxSession(root);

  async function run(statement: string, timeoutMs = 15_000): Promise<string> {
    const before = (t.screen().match(PROMPT) ?? []).length;
    t.type(statement);
    return t.waitFor((x) => (x.match(PROMPT) ?? []).length > before && atPrompt(x), `the prompt after: ${statement}`, timeoutMs);
  }

  /** Types a query and waits for the full-screen view with `title`. */
  async function open(query: string, title: string): Promise<string> {
    t.type(query);
    return t.waitForVisible((s) => s.includes(`SQL Query Result (${title})`), `the ${title} view of: ${query}`);
  }

  /** Quits the view with `key` and waits for the prompt under "[INFO] Result retrieval cancelled.". */
  async function quit(key: string): Promise<string> {
    const before = t.screen().split('[INFO] Result retrieval cancelled.').length;
    t.keys(key);
    return t.waitFor((s) => s.split('[INFO] Result retrieval cancelled.').length > before && atPrompt(s), 'the prompt after leaving the view');
  }

  beforeAll(async () => {
    await fs.writeFile(live, '');
    t.start(`env TSSTREAM_HOME='${path.join(tmp, 'home')}' '${process.execPath}' bin/tsstream.js sql`, WIDTH, HEIGHT);
    await t.waitFor(atPrompt, 'the first prompt');
    await run(`CREATE TABLE live (user_id STRING) WITH ('connector' = 'filesystem', 'path' = '${live}', 'format' = 'json', 'source.monitor-interval' = '100ms');`);
    await run("CREATE TABLE w (event_id STRING, user_id STRING) WITH ('connector' = 'filesystem', 'path' = 'queries/data/window-events.jsonl', 'format' = 'json');");
    expect(await run("SET 'sql-client.execution.result-mode' = 'table';")).toContain('[INFO] Execute statement succeeded.');
  });

  afterAll(() => {
    t.kill();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("'table' shows the running query's materialized result and refreshes it: an updated count replaces its row", async () => {
    const first = await open('SELECT user_id, COUNT(*) AS n FROM live GROUP BY user_id;', 'Table');
    expect(first).toMatch(/^ Refresh: 1 s +Page: Last of 1 +Updated: \d\d:\d\d:\d\d\.\d{3}$/m);
    expect(first).toMatch(/^ +user_id +n$/m);
    await fs.appendFile(live, '{"user_id":"u1"}\n');
    await t.waitForVisible((s) => viewRows(s).some((r) => r.join(' ') === 'u1 1'), 'u1 1');
    await fs.appendFile(live, '{"user_id":"u1"}\n{"user_id":"u2"}\n{"user_id":"u1"}\n');
    const s = await t.waitForVisible((x) => viewRows(x).length === 2 && viewRows(x).some((r) => r.join(' ') === 'u1 3'), 'u1 3 and u2 1, retractions applied');
    expect(viewRows(s).map((r) => r.join(' ')).sort()).toEqual(['u1 3', 'u2 1']);
    // '-' refreshes faster, '+' slower; the running query says so in the status line.
    t.keys('-');
    await t.waitForVisible((x) => /^ Refresh: 500 ms /m.test(x), 'Refresh: 500 ms');
    t.keys('+');
    t.keys('+');
    await t.waitForVisible((x) => /^ Refresh: 5 s /m.test(x), 'Refresh: 5 s');
    expect(s).toMatch(/^Q Quit +\+ Inc Refresh +G Goto Page +N Next Page +O Open Row$/m);
    expect(s).toMatch(/^R Refresh +- Dec Refresh +L Last Page +P Prev Page$/m);
    const back = await quit('q');
    // The normal screen is back, with what was there before the view.
    expect(back).toContain("SET 'sql-client.execution.result-mode' = 'table';");
    expect(back).not.toContain('SQL Query Result');
  }, 60_000);

  it("'table' pages a finished result: Last of 3, P, N, L, G with a checked page number, O opens a row", async () => {
    const values = Array.from({ length: 25 }, (_, i) => `(${i + 1})`).join(', ');
    const s = await open(`SELECT id FROM (VALUES ${values}) AS t(id);`, 'Table');
    const last = await t.waitForVisible((x) => x.includes('Table program finished.') && viewRows(x).length === 5, 'the last page');
    expect(last).toMatch(/Page: Last of 3/);
    expect(viewRows(last).map((r) => r[0])).toEqual(['21', '22', '23', '24', '25']);
    expect(s).toContain('SQL Query Result (Table)');
    const ids = async (page: string) => viewRows(await t.waitForVisible((x) => x.includes(`Page: ${page} of 3`), `page ${page}`)).map((r) => Number(r[0]));
    t.keys('p');
    expect(await ids('2')).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    t.keys('P');
    expect(await ids('1')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    t.keys('n');
    expect(await ids('2')).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    t.keys('L');
    expect(await ids('Last')).toEqual([21, 22, 23, 24, 25]);
    // G asks for a page; one that does not exist is refused, as sql-client's input dialog does.
    t.keys('g');
    await t.waitForVisible((x) => x.includes('Input Dialog') && x.includes('Enter page number: [1 to 3]'), 'the input dialog');
    t.type('7', true);
    await t.waitForVisible((x) => x.includes('The input is invalid please check it again.'), 'the refusal of page 7');
    t.keys('BSpace');
    t.type('3', true);
    expect(await ids('3')).toEqual([21, 22, 23, 24, 25]);
    // S selects the first row of the page, O opens it.
    t.keys('s');
    t.keys('o');
    const row = await t.waitForVisible((x) => x.includes('Row Summary'), 'the row summary');
    expect(row).toMatch(/^ id \(INT NOT NULL\):$/m);
    expect(row).toMatch(/^ +21$/m);
    expect(row).toContain('Press Q to go back.');
    t.keys('q');
    await t.waitForVisible((x) => x.includes('Page: 3 of 3'), 'the table again');
    await quit('q');
  }, 60_000);

  it("'changelog' shows every change with its op, and Esc leaves it", async () => {
    await run("SET 'sql-client.execution.result-mode' = 'changelog';");
    await open('SELECT user_id, COUNT(*) AS n FROM w GROUP BY user_id;', 'Changelog');
    const s = await t.waitForVisible((x) => x.includes('Table program finished.'), 'the end of the query');
    expect(s).toMatch(/^ op +user_id +n$/m);
    expect(viewRows(s).map((r) => r.join(' '))).toEqual(['+I u001 1', '+I u002 1', '-U u001 1', '+U u001 2', '+I u003 1', '-U u002 1', '+U u002 2', '-U u001 2', '+U u001 3']);
    expect(s).toMatch(/^Q Quit +\+ Inc Refresh +O Open Row$/m);
    await quit('Escape');
    // Back to tableau: the same query prints as rows with the op column.
    await run("SET 'sql-client.execution.result-mode' = 'tableau';");
    const out = await run('SELECT user_id, COUNT(*) AS n FROM w GROUP BY user_id;');
    expect(out).toContain('Received a total of 9 rows');
  }, 60_000);
});
