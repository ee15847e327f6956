import { appendFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, ValidationError } from '../../src/common/errors.js';
import { T, type Field } from '../../src/common/types.js';
import type { ScanRequest } from '../../src/common/connector.js';
import { filesystemFactory } from '../../src/connectors/filesystem/index.js';
import { connectorModules } from '../../src/connectors/registry.js';
import { context, drain, scan, table, tempDir } from './helpers.js';

const S2_INPUT = [
  '{"event_id":"w001","user_id":"u001","event_type":"click","event_time":"2025-12-29T10:00:10"}',
  '{"event_id":"w002","user_id":"u002","event_type":"click","event_time":"2025-12-29T10:00:20"}',
  '{"event_id":"w003","user_id":"u001","event_type":"view","event_time":"2025-12-29T10:00:30"}',
  '{"event_id":"w004","user_id":"u003","event_type":"click","event_time":"2025-12-29T10:00:45"}',
  '{"event_id":"w005","user_id":"u002","event_type":"purchase","event_time":"2025-12-29T10:00:55"}',
  '{"event_id":"w006","user_id":"u001","event_type":"click","event_time":"2025-12-29T10:01:10"}',
];
const EVENT_FIELDS: Field[] = [
  { name: 'event_id', type: T.string() },
  { name: 'user_id', type: T.string() },
  { name: 'event_type', type: T.string() },
  { name: 'event_time', type: T.timestamp(3) },
];
const at = (h: number, m: number, s: number) => Date.UTC(2025, 11, 29, h, m, s) * 1000;

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

function source(options: Record<string, string>, fields: Field[] = EVENT_FIELDS, over = {}, partitionKeys: string[] = []) {
  return filesystemFactory.createSource!(table(fields, { connector: 'filesystem', format: 'json', ...options }, partitionKeys), scan(over), { config: new Map() });
}

describe('filesystem connector: registration and options', () => {
  it('is registered with print, datagen and blackhole', () => {
    const ids = connectorModules.map((f) => f.identifier);
    for (const id of ['filesystem', 'datagen', 'print', 'blackhole']) expect(ids).toContain(id);
  });

  it('unknown and missing options are errors that list the valid ones', () => {
    expect(() => source({ path: dir, 'source.monitor-intervall': '1s' })).toThrow(/did you mean 'source.monitor-interval'/);
    expect(() => source({ path: dir, 'source.monitor-intervall': '1s' })).toThrow(/Supported options: .*path/);
    expect(() => filesystemFactory.createSource!(table(EVENT_FIELDS, { connector: 'filesystem', format: 'json' }), scan(), { config: new Map() })).toThrow(
      /Missing required option 'path'/,
    );
    expect(() => source({ path: dir, format: 'jsn' })).toThrow(/Unsupported format 'jsn'.*did you mean 'json'/);
    expect(() => source({ path: dir, 'json.ignore-parse-error': 'true' })).toThrow(/did you mean 'json.ignore-parse-errors'/);
    expect(() => source({ path: dir, 'csv.field-delimiter': ';' })).toThrow(ValidationError);
    expect(filesystemFactory.formatPrefixes!({ format: 'csv' })).toEqual(['csv.']);
  });
});

describe('filesystem source', () => {
  it("reads S2's input file into the expected rows, then ends", async () => {
    const file = path.join(dir, 'events.json');
    writeFileSync(file, S2_INPUT.join('\n') + '\n');
    const src = source({ path: file, 'json.timestamp-format.standard': 'ISO-8601' });
    expect(src.bounded).toBe(true);
    await src.open(context());
    const { rows, splits } = await drain(src);
    expect(rows).toEqual([
      ['w001', 'u001', 'click', at(10, 0, 10)],
      ['w002', 'u002', 'click', at(10, 0, 20)],
      ['w003', 'u001', 'view', at(10, 0, 30)],
      ['w004', 'u003', 'click', at(10, 0, 45)],
      ['w005', 'u002', 'purchase', at(10, 0, 55)],
      ['w006', 'u001', 'click', at(10, 1, 10)],
    ]);
    expect(splits).toEqual([file]);
    expect(await src.poll(10)).toBeNull();
    await src.close();
  });

  it('reads a folder recursively in name order, skipping hidden files, blank lines and a missing final newline', async () => {
    writeFileSync(path.join(dir, 'b.json'), S2_INPUT[1] + '\n\n' + S2_INPUT[2]);
    writeFileSync(path.join(dir, 'a.json'), S2_INPUT[0] + '\r\n');
    writeFileSync(path.join(dir, '.hidden.json'), S2_INPUT[3] + '\n');
    writeFileSync(path.join(dir, '_SUCCESS'), 'x\n');
    mkdirSync(path.join(dir, 'c'));
    writeFileSync(path.join(dir, 'c', 'd.json'), S2_INPUT[4] + '\n');
    const src = source({ path: dir, 'json.timestamp-format.standard': 'ISO-8601' });
    await src.open(context());
    const { rows, splits } = await drain(src);
    expect(rows.map((r) => r[0])).toEqual(['w001', 'w002', 'w003', 'w005']);
    expect(splits).toEqual([path.join(dir, 'a.json'), path.join(dir, 'b.json'), path.join(dir, 'c', 'd.json')]);
  });

  it('a malformed record names file:line', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, `${S2_INPUT[0]}\n\n{"event_id": oops}\n`);
    const src = source({ path: file, 'json.timestamp-format.standard': 'ISO-8601' });
    await src.open(context());
    const err = await drain(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(String((err as Error).message)).toContain(`${file}:3`);
  });

  it('a bad field value names file:line and the field', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, `${S2_INPUT[0]}\n{"event_id":"x","event_time":"2025-12-29 10:00:00"}\n`);
    const src = source({ path: file, 'json.timestamp-format.standard': 'ISO-8601' });
    await src.open(context());
    await expect(drain(src)).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: field 'event_time'`));
  });

  it('ignore-parse-errors skips malformed records and counts them', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, `${S2_INPUT[0]}\nnot json\n${S2_INPUT[1]}\n`);
    const src = source({ path: file, 'json.timestamp-format.standard': 'ISO-8601', 'json.ignore-parse-errors': 'true' });
    const ctx = context();
    await src.open(ctx);
    const { rows } = await drain(src);
    expect(rows.map((r) => r[0])).toEqual(['w001', 'w002']);
    expect(ctx.metrics.get('records-skipped')).toBe(1);
  });

  it('source.path.regex-pattern filters files by their full path', async () => {
    writeFileSync(path.join(dir, 'a.json'), S2_INPUT[0] + '\n');
    writeFileSync(path.join(dir, 'b.txt'), S2_INPUT[1] + '\n');
    const src = source({ path: dir, 'source.path.regex-pattern': '.*\\.json', 'json.timestamp-format.standard': 'ISO-8601' });
    await src.open(context());
    expect((await drain(src)).rows.map((r) => r[0])).toEqual(['w001']);
    expect(() => source({ path: dir, 'source.path.regex-pattern': '(' })).toThrow(/Invalid value '\(' for option 'source.path.regex-pattern'/);
  });

  it("'path' may be a file:// URI; other schemes are a clear error", async () => {
    const file = path.join(dir, 'events.json');
    writeFileSync(file, S2_INPUT[0] + '\n');
    for (const p of [`file://${file}`, `file:${file}`, `file://localhost${file}`]) {
      const src = source({ path: p, 'json.timestamp-format.standard': 'ISO-8601' });
      await src.open(context());
      expect((await drain(src)).rows.map((r) => r[0])).toEqual(['w001']);
    }
    expect(() => source({ path: 'hdfs://nn/events' })).toThrow(/scheme 'hdfs:'.*local paths, file:\/\/ URIs and s3:\/\/ paths/);
  });

  it('a missing path is an error for a bounded source', async () => {
    const src = source({ path: path.join(dir, 'nope') });
    await expect(src.open(context())).rejects.toThrow(/does not exist/);
  });

  it('restores from snapshotState exactly (mid-file and across files)', async () => {
    // a.json is larger than one read chunk (1 MiB), so the first batch ends in the middle of it.
    const lines: string[] = [];
    for (let i = 0; i < 40000; i++) lines.push(`{"event_id":"e${i}","event_time":"2025-12-29 10:00:00"}`);
    writeFileSync(path.join(dir, 'a.json'), lines.slice(0, 32000).join('\n') + '\n');
    writeFileSync(path.join(dir, 'b.json'), lines.slice(32000).join('\n') + '\n');
    const src = source({ path: dir });
    await src.open(context());
    const first = await src.poll(10);
    const got = first!.flatMap((b) => b.rows.map((r) => r[0]));
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(32000);
    const state = JSON.parse(JSON.stringify(src.snapshotState(1)));
    await src.close();

    const restored = source({ path: dir });
    await restored.open(context(), state);
    const rest = (await drain(restored)).rows.map((r) => r[0]);
    expect([...got, ...rest]).toEqual(lines.map((_, i) => `e${i}`));
    // line numbers continue too: a bad line after restore names its true line number
    appendFileSync(path.join(dir, 'b.json'), 'garbage\n');
    const again = source({ path: dir });
    await again.open(context(), restored.snapshotState(2));
    await expect(drain(again)).rejects.toThrow(`b.json:8001`);
    expect(restored.snapshotState(3)).toEqual({ files: { [path.join(dir, 'a.json')]: [expect.any(Number), 32000], [path.join(dir, 'b.json')]: [expect.any(Number), 8000] } });
  });

  it('source.monitor-interval picks up appended lines and new files; its state restores', async () => {
    const file = path.join(dir, 'events.json');
    writeFileSync(file, S2_INPUT.slice(0, 5).join('\n') + '\n');
    const src = source({ path: dir, 'source.monitor-interval': '20ms', 'json.timestamp-format.standard': 'ISO-8601' });
    expect(src.bounded).toBe(false);
    const ctx = context();
    await src.open(ctx);
    const first = await drain(src, 5);
    expect(first.rows.map((r) => r[0])).toEqual(['w001', 'w002', 'w003', 'w004', 'w005']);
    // nothing new: an empty poll, not the end
    expect(await src.poll(30)).toEqual([]);
    // an appended line whose newline arrives later
    appendFileSync(file, S2_INPUT[5].slice(0, 20));
    const partial = await src.poll(30);
    expect(partial!.flatMap((b) => b.rows)).toEqual([]);
    appendFileSync(file, S2_INPUT[5].slice(20) + '\n');
    const more = await drain(src, 1);
    expect(more.rows).toEqual([['w006', 'u001', 'click', at(10, 1, 10)]]);
    const state = src.snapshotState(1);
    await src.close();
    // a new file while the job is down
    writeFileSync(path.join(dir, 'later.json'), '{"event_id":"w007","event_time":"2025-12-29T10:02:00"}\n');
    const resumed = source({ path: dir, 'source.monitor-interval': '20ms', 'json.timestamp-format.standard': 'ISO-8601' });
    await resumed.open(context(), JSON.parse(JSON.stringify(state)));
    const after = await drain(resumed, 1);
    expect(after.rows.map((r) => r[0])).toEqual(['w007']);
    await resumed.close();
  });

  it('monitor mode: lines appended in arbitrary pieces while polling are read exactly once, in order', async () => {
    const file = path.join(dir, 'stream.json');
    writeFileSync(file, '');
    const src = source({ path: dir, 'source.monitor-interval': '5ms' }, [{ name: 'event_id', type: T.string() }]);
    await src.open(context());
    const text = Array.from({ length: 3000 }, (_, i) => `{"event_id":"e${i}"}\n`).join('');
    let written = 0;
    let seed = 1;
    const got: unknown[] = [];
    while (written < text.length || got.length < 3000) {
      if (written < text.length) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const n = 1 + (seed % 200);
        appendFileSync(file, text.slice(written, written + n));
        written += n;
      }
      const b = await src.poll(1);
      for (const x of b!) got.push(...x.rows.map((r) => r[0]));
    }
    expect(got).toEqual(Array.from({ length: 3000 }, (_, i) => `e${i}`));
    expect(src.snapshotState(1)).toEqual({ files: { [file]: [text.length, 3000] } });
    await src.close();
  });

  it('monitor mode reads an unterminated last line once the file stopped growing (1 s)', async () => {
    const file = path.join(dir, 'events.json');
    writeFileSync(file, S2_INPUT[0]);
    const src = source({ path: file, 'source.monitor-interval': '10ms', 'json.timestamp-format.standard': 'ISO-8601' });
    await src.open(context());
    const { rows } = await drain(src, 1, 30);
    expect(rows.map((r) => r[0])).toEqual(['w001']);
  });

  it('batch mode reads what exists and ends even with a monitor interval', async () => {
    writeFileSync(path.join(dir, 'a.json'), S2_INPUT[0] + '\n');
    const src = source({ path: dir, 'source.monitor-interval': '1s', 'json.timestamp-format.standard': 'ISO-8601' }, EVENT_FIELDS, { batch: true });
    expect(src.bounded).toBe(true);
    await src.open(context());
    expect((await drain(src)).rows).toHaveLength(1);
  });

  it('projection, partition folders and metadata columns', async () => {
    const fields: Field[] = [
      { name: 'event_id', type: T.string() },
      { name: 'n', type: T.int() },
      { name: 'dt', type: T.date() },
      { name: 'region', type: T.string() },
    ];
    mkdirSync(path.join(dir, 'dt=2025-12-29', 'region=eu'), { recursive: true });
    mkdirSync(path.join(dir, 'dt=2025-12-30', 'region=__DEFAULT_PARTITION__'), { recursive: true });
    writeFileSync(path.join(dir, 'dt=2025-12-29', 'region=eu', 'p1'), '{"event_id":"a","n":1}\n');
    writeFileSync(path.join(dir, 'dt=2025-12-30', 'region=__DEFAULT_PARTITION__', 'p2'), '{"event_id":"b","n":2}\n');
    const src = source({ path: dir }, fields, { projection: [3, 0, 2], metadataKeys: ['file.name', 'file.size'] }, ['dt', 'region']);
    await src.open(context());
    const { rows } = await drain(src);
    expect(rows).toEqual([
      ['eu', 'a', 20451, 'p1', 23],
      [null, 'b', 20452, 'p2', 23],
    ]);
    expect(filesystemFactory.metadataKeys).toHaveProperty('file.path');
  });

  it('pushed-down filters on partition columns skip partitions', async () => {
    const fields: Field[] = [
      { name: 'id', type: T.string() },
      { name: 'dt', type: T.date() },
      { name: 'region', type: T.string() },
    ];
    for (const [dt, region, id] of [
      ['2025-12-28', 'eu', 'a'],
      ['2025-12-29', 'eu', 'b'],
      ['2025-12-29', 'us', 'c'],
      ['2025-12-30', '__DEFAULT_PARTITION__', 'd'],
    ]) {
      mkdirSync(path.join(dir, `dt=${dt}`, `region=${region}`), { recursive: true });
      writeFileSync(path.join(dir, `dt=${dt}`, `region=${region}`, 'p'), `{"id":"${id}"}\n`);
    }
    const read = async (filters: ScanRequest['filters']) => {
      const src = source({ path: dir }, fields, { filters }, ['dt', 'region']);
      await src.open(context());
      return (await drain(src)).rows.map((r) => r[0]);
    };
    expect(await read([{ op: '>=', column: 'dt', value: 20451 }])).toEqual(['b', 'c', 'd']);
    expect(await read([{ op: '=', column: 'region', value: 'eu' }, { op: '<', column: 'dt', value: 20452 }])).toEqual(['a', 'b']);
    expect(await read([{ op: 'IN', column: 'region', values: ['us', 'xx'] }])).toEqual(['c']);
    expect(await read([{ op: 'IS NULL', column: 'region' }])).toEqual(['d']);
    // filters on data columns do not prune (the runtime checks them)
    expect(await read([{ op: '=', column: 'id', value: 'zzz' }])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads CSV with the csv.* options', async () => {
    const file = path.join(dir, 'data.csv');
    writeFileSync(file, '# header comment\ne1;5;2025-12-29 10:00:00\n"e;2";;\n');
    const fields: Field[] = [
      { name: 'id', type: T.string() },
      { name: 'n', type: T.int() },
      { name: 't', type: T.timestamp(3) },
    ];
    const src = filesystemFactory.createSource!(
      table(fields, { connector: 'filesystem', path: file, format: 'csv', 'csv.field-delimiter': ';', 'csv.allow-comments': 'true' }),
      scan(),
      { config: new Map() },
    );
    const ctx = context();
    await src.open(ctx);
    const { rows } = await drain(src);
    expect(rows).toEqual([
      ['e1', 5, at(10, 0, 0)],
      ['e;2', null, null],
    ]);
    expect(ctx.metrics.get('records-skipped')).toBeUndefined();
  });

  it('CSV quoted values may span lines (as Jackson reads them); line numbers stay right', async () => {
    const file = path.join(dir, 'multi.csv');
    writeFileSync(file, 'a,"line one\nline two",1\nb,5" screen,2\nc,"x ""q"" \r\ny",3\nd,bad,x\n');
    const fields: Field[] = [
      { name: 'id', type: T.string() },
      { name: 'text', type: T.string() },
      { name: 'n', type: T.int() },
    ];
    const src = filesystemFactory.createSource!(table(fields, { connector: 'filesystem', path: file, format: 'csv' }), scan(), { config: new Map() });
    await src.open(context());
    const rows: unknown[][] = [];
    const err = await (async () => {
      for (;;) {
        const b = await src.poll(10);
        if (b === null) return undefined;
        for (const x of b) rows.push(...x.rows);
      }
    })().catch((e: Error) => e);
    expect(rows).toEqual([]);
    expect(String(err)).toContain(`${file}:6: field 'n'`);
    const ok = filesystemFactory.createSource!(table(fields, { connector: 'filesystem', path: file, format: 'csv', 'csv.ignore-parse-errors': 'true' }), scan(), {
      config: new Map(),
    });
    await ok.open(context());
    expect((await drain(ok)).rows).toEqual([
      ['a', 'line one\nline two', 1],
      ['b', '5" screen', 2],
      ['c', 'x "q" \r\ny', 3],
      ['d', 'bad', null],
    ]);
  });

  it('a multi-line CSV record across the read chunk boundary (1 MiB) is read whole, and restores exactly', async () => {
    const file = path.join(dir, 'big.csv');
    const filler: string[] = [];
    let size = 0;
    let i = 0;
    while (size < (1 << 20) - 40) {
      const l = `r${i++},plain,1\n`;
      filler.push(l);
      size += l.length;
    }
    const multi = `m,"${'x'.repeat(30)}\n${'y'.repeat(60)}\n${'z'.repeat(10)}",2\n`;
    writeFileSync(file, filler.join('') + multi + 'last,one,3\n');
    const fields: Field[] = [
      { name: 'id', type: T.string() },
      { name: 'text', type: T.string() },
      { name: 'n', type: T.int() },
    ];
    const mk = () => filesystemFactory.createSource!(table(fields, { connector: 'filesystem', path: file, format: 'csv' }), scan(), { config: new Map() });
    const src = mk();
    await src.open(context());
    const first = (await src.poll(10))!.flatMap((b) => b.rows);
    expect(first.length).toBe(filler.length);
    const state = src.snapshotState(1);
    const again = mk();
    await again.open(context(), state);
    const rest = (await drain(again)).rows;
    expect(rest).toEqual([
      ['m', `${'x'.repeat(30)}\n${'y'.repeat(60)}\n${'z'.repeat(10)}`, 2],
      ['last', 'one', 3],
    ]);
    expect(again.snapshotState(2)).toEqual({ files: { [file]: [size + multi.length + 11, filler.length + 4] } });
  });

  it('a CSV record with an unterminated quote at the end of a file is an error naming its line', async () => {
    const file = path.join(dir, 'open.csv');
    writeFileSync(file, 'a,b,1\n"never closed,2,3\nmore\n');
    const fields: Field[] = [
      { name: 'x', type: T.string() },
      { name: 'y', type: T.string() },
      { name: 'n', type: T.int() },
    ];
    const src = filesystemFactory.createSource!(table(fields, { connector: 'filesystem', path: file, format: 'csv' }), scan(), { config: new Map() });
    await src.open(context());
    await expect(drain(src)).rejects.toThrow(`${file}:2: unterminated quoted value`);
  });

  it('reads .gz files (decompressed), and restores inside them', async () => {
    const { gzipSync } = await import('node:zlib');
    writeFileSync(path.join(dir, 'a.json.gz'), gzipSync(S2_INPUT.slice(0, 3).join('\n') + '\n'));
    writeFileSync(path.join(dir, 'b.json'), S2_INPUT.slice(3).join('\n') + '\n');
    const src = source({ path: dir, 'json.timestamp-format.standard': 'ISO-8601' });
    await src.open(context());
    const first = (await src.poll(10))!.flatMap((b) => b.rows.map((r) => r[0]));
    expect(first).toEqual(['w001', 'w002', 'w003']);
    const state = src.snapshotState(1);
    const again = source({ path: dir, 'json.timestamp-format.standard': 'ISO-8601' });
    await again.open(context(), state);
    expect((await drain(again)).rows.map((r) => r[0])).toEqual(['w004', 'w005', 'w006']);
    // a restored position inside the .gz file
    const mid = source({ path: dir, 'json.timestamp-format.standard': 'ISO-8601' });
    const firstLine = Buffer.byteLength(S2_INPUT[0]) + 1;
    await mid.open(context(), { files: { [path.join(dir, 'a.json.gz')]: [firstLine, 1] } });
    expect((await drain(mid)).rows.map((r) => r[0])).toEqual(['w002', 'w003', 'w004', 'w005', 'w006']);
  });

  it('raw format: every line is a row (blank ones too); a UTF-8 BOM is dropped', async () => {
    const file = path.join(dir, 'log.txt');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('first\n\nthird\n')]));
    const src = filesystemFactory.createSource!(table([{ name: 'line', type: T.string() }], { connector: 'filesystem', path: file, format: 'raw' }), scan(), {
      config: new Map(),
    });
    await src.open(context());
    expect((await drain(src)).rows).toEqual([['first'], [''], ['third']]);
  });
});

describe('filesystem sink', () => {
  function sink(options: Record<string, string> = {}, fields: Field[] = EVENT_FIELDS, partitionKeys: string[] = []) {
    return filesystemFactory.createSink!(table(fields, { connector: 'filesystem', path: dir, format: 'json', ...options }, partitionKeys), { config: new Map() });
  }
  const visible = (d = dir) => readdirSync(d).filter((n) => !n.startsWith('.'));
  const row = (i: number) => [`e${i}`, 'u', 'click', at(10, 0, i % 60)];

  it('writes JSON lines that become visible only at commit, and commit is idempotent', async () => {
    const s = sink({ 'json.timestamp-format.standard': 'ISO-8601' });
    expect(s.transactional).toBe(true);
    await s.open(context());
    await s.write([row(1), row(2)]);
    expect(visible()).toEqual([]);
    const c = await s.prepareCommit(1);
    expect(c).not.toBeNull();
    expect(visible()).toEqual([]);
    await s.commit(1, [c]);
    const files = visible();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^part-[0-9a-f-]+-0-0$/);
    expect(readFileSync(path.join(dir, files[0]), 'utf8')).toBe(
      '{"event_id":"e1","user_id":"u","event_type":"click","event_time":"2025-12-29T10:00:01"}\n' +
        '{"event_id":"e2","user_id":"u","event_type":"click","event_time":"2025-12-29T10:00:02"}\n',
    );
    // committing the same checkpoint again (after a restart) changes nothing
    await s.commit(1, [c]);
    const s2 = sink();
    await s2.open(context());
    await s2.commit(1, [c]);
    expect(visible()).toEqual(files);
    // a checkpoint without data has nothing to commit
    expect(await s.prepareCommit(2)).toBeNull();
    await s.close();
    await s2.close();
  });

  it('what it writes reads back through the filesystem source', async () => {
    const s = sink({ format: 'csv' });
    await s.open(context());
    await s.write([row(1), ['x, "y"', null, 'view', at(10, 0, 0)], [null, 'u', 'v', null]]);
    await s.commit(1, [await s.prepareCommit(1)]);
    await s.close();
    const src = filesystemFactory.createSource!(table(EVENT_FIELDS, { connector: 'filesystem', path: dir, format: 'csv' }), scan(), { config: new Map() });
    await src.open(context());
    // As in Flink's CSV, a NULL string is written as an empty value and reads back as ''.
    expect((await drain(src)).rows).toEqual([row(1), ['x, "y"', '', 'view', at(10, 0, 0)], ['', 'u', 'v', null]]);
  });

  it("a 'path' that is a file is a clear error", async () => {
    const file = path.join(dir, 'taken');
    writeFileSync(file, 'x');
    const s = filesystemFactory.createSink!(table(EVENT_FIELDS, { connector: 'filesystem', path: file, format: 'json' }), { config: new Map() });
    await expect(s.open(context())).rejects.toThrow(/'path' must be a folder/);
  });

  it('rolls part files at sink.rolling-policy.file-size', async () => {
    const s = sink({ 'sink.rolling-policy.file-size': '1kb' });
    await s.open(context());
    const rows = Array.from({ length: 100 }, (_, i) => row(i));
    await s.write(rows);
    const c = await s.prepareCommit(1);
    await s.commit(1, [c]);
    const files = visible().sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop()));
    expect(files.length).toBeGreaterThan(5);
    const lines = files.flatMap((f) => readFileSync(path.join(dir, f), 'utf8').trim().split('\n'));
    expect(lines).toHaveLength(100);
    expect(lines[99]).toContain('"e99"');
    await s.close();
  });

  it('rolls part files after sink.rolling-policy.rollover-interval', async () => {
    const s = sink({ 'sink.rolling-policy.rollover-interval': '30 ms' });
    await s.open(context());
    await s.write([row(1)]);
    await new Promise((r) => setTimeout(r, 50));
    await s.write([row(2)]);
    await s.commit(1, [await s.prepareCommit(1)]);
    expect(visible()).toHaveLength(2);
    await s.close();
  });

  it('rolls part files after sink.rolling-policy.inactivity-interval', async () => {
    const s = sink({ 'sink.rolling-policy.inactivity-interval': '30 ms', 'sink.rolling-policy.rollover-interval': '1 h' });
    await s.open(context());
    // Rows 1 and 2 in one write (one clock reading: two writes 30 ms apart rolled on a loaded machine).
    await s.write([row(1), row(2)]);
    await new Promise((r) => setTimeout(r, 50));
    await s.write([row(3)]);
    await s.commit(1, [await s.prepareCommit(1)]);
    expect(visible()).toHaveLength(2);
    expect(visible().map((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).length).sort()).toEqual([1, 2]);
    await s.close();
  });

  it('writes raw BYTES lines', async () => {
    const s = filesystemFactory.createSink!(table([{ name: 'b', type: T.bytes() }], { connector: 'filesystem', path: dir, format: 'raw' }), { config: new Map() });
    await s.open(context());
    await s.write([[new Uint8Array([104, 105])], [new Uint8Array([33])]]);
    await s.commit(1, [await s.prepareCommit(1)]);
    expect(readFileSync(path.join(dir, visible()[0]), 'utf8')).toBe('hi\n!\n');
    await s.close();
  });

  it('uncommitted data is not visible and close() removes unprepared in-progress files', async () => {
    const s = sink();
    await s.open(context());
    await s.write([row(1)]);
    const prepared = await s.prepareCommit(1);
    await s.write([row(2)]);
    await s.close();
    expect(visible()).toEqual([]);
    // the prepared file survives a crash and is committed on restore
    const hidden = readdirSync(dir).filter((n) => n.startsWith('.'));
    expect(hidden).toHaveLength(1);
    const restarted = sink();
    await restarted.open(context());
    await restarted.commit(1, [prepared]);
    expect(visible()).toHaveLength(1);
    await restarted.close();
  });

  it('writes PARTITIONED BY columns as col=value folders, without them in the files', async () => {
    const fields: Field[] = [
      { name: 'id', type: T.string() },
      { name: 'dt', type: T.date() },
      { name: 'kind', type: T.string() },
    ];
    const s = sink({}, fields, ['dt', 'kind']);
    await s.open(context());
    await s.write([
      ['a', 20451, 'x/y'],
      ['b', 20451, null],
      ['c', 20452, 'x/y'],
    ]);
    await s.commit(1, [await s.prepareCommit(1)]);
    await s.close();
    expect(visible().sort()).toEqual(['dt=2025-12-29', 'dt=2025-12-30']);
    expect(visible(path.join(dir, 'dt=2025-12-29')).sort()).toEqual(['kind=__DEFAULT_PARTITION__', 'kind=x%2Fy']);
    const f = visible(path.join(dir, 'dt=2025-12-29', 'kind=x%2Fy'))[0];
    expect(readFileSync(path.join(dir, 'dt=2025-12-29', 'kind=x%2Fy', f), 'utf8')).toBe('{"id":"a"}\n');
    // and the source reads the partition values back
    const src = filesystemFactory.createSource!(table(fields, { connector: 'filesystem', path: dir, format: 'json' }, ['dt', 'kind']), scan(), { config: new Map() });
    await src.open(context());
    expect((await drain(src)).rows).toEqual([
      ['b', 20451, null],
      ['a', 20451, 'x/y'],
      ['c', 20452, 'x/y'],
    ]);
    expect(existsSync(dir)).toBe(true);
  });

  it("sink.partition-commit.policy.kind = 'success-file' marks committed partitions", async () => {
    const fields: Field[] = [
      { name: 'id', type: T.string() },
      { name: 'dt', type: T.string() },
    ];
    const s = sink({ 'sink.partition-commit.policy.kind': 'metastore,success-file' }, fields, ['dt']);
    await s.open(context());
    await s.write([['a', 'x']]);
    await s.commit(1, [await s.prepareCommit(1)]);
    expect(existsSync(path.join(dir, 'dt=x', '_SUCCESS'))).toBe(true);
    expect(existsSync(path.join(dir, 'dt=y', '_SUCCESS'))).toBe(false);
    await s.close();
    // the success file is hidden from the source (names starting with _)
    const src = filesystemFactory.createSource!(table(fields, { connector: 'filesystem', path: dir, format: 'json' }, ['dt']), scan(), { config: new Map() });
    await src.open(context());
    expect((await drain(src)).rows).toEqual([['a', 'x']]);
    expect(() => sink({ 'sink.partition-commit.policy.kind': 'custom' }, fields, ['dt'])).toThrow(/supports 'success-file'/);
    expect(() => sink({ 'sink.partition-commit.trigger': 'partition-time' }, fields, [])).toThrow(/needs a partitioned table/);
    expect(() => sink({ 'sink.partition-commit.trigger': 'partition-time', 'partition.time-extractor.timestamp-pattern': '$day 00:00:00' }, fields, ['dt'])).toThrow(
      /names '\$day', which is not a partition key \(dt\)/,
    );
  });

  it("'partition-time' commits a partition once a checkpoint's watermark passes its time + delay, and keeps waiting ones in the checkpoint", async () => {
    const fields: Field[] = [
      { name: 'id', type: T.string() },
      { name: 'dt', type: T.string() },
      { name: 'hm', type: T.string() },
    ];
    const opts = {
      'sink.partition-commit.policy.kind': 'success-file',
      'sink.partition-commit.trigger': 'partition-time',
      'sink.partition-commit.delay': '1 min',
      'partition.time-extractor.timestamp-pattern': '$dt $hm:00',
    };
    const micros = (t: string) => Date.parse(`${t}Z`) * 1000;
    const success = (p: string) => existsSync(path.join(dir, p, '_SUCCESS'));
    const s = sink(opts, fields, ['dt', 'hm']);
    await s.open(context());
    await s.write([['a', '2025-12-29', '10:00'], ['b', '2025-12-29', '10:01']]);
    s.watermarkAdvanced!(micros('2025-12-29T10:01:00'));
    const c1 = await s.prepareCommit(1);
    await s.commit(1, [c1]);
    // The files are visible at once; no partition is committed: 10:00 + 1 min is not passed yet.
    expect(visible(path.join(dir, 'dt=2025-12-29', 'hm=10%3A00'))).toHaveLength(1);
    expect([success('dt=2025-12-29/hm=10%3A00'), success('dt=2025-12-29/hm=10%3A01')]).toEqual([false, false]);
    s.watermarkAdvanced!(micros('2025-12-29T10:01:00.001'));
    const state = s.snapshotState!(2);
    await s.commit(2, [await s.prepareCommit(2)]);
    expect([success('dt=2025-12-29/hm=10%3A00'), success('dt=2025-12-29/hm=10%3A01')]).toEqual([true, false]);
    await s.close();
    // A restart from checkpoint 2's state still waits for 10:01; the end of the input commits it.
    const r = sink(opts, fields, ['dt', 'hm']);
    await r.open(context(), state);
    r.watermarkAdvanced!(micros('2025-12-29T10:02:00'));
    await r.commit(3, [await r.prepareCommit(3)]);
    expect(success('dt=2025-12-29/hm=10%3A01')).toBe(false);
    r.watermarkAdvanced!(Infinity);
    await r.commit(4, [await r.prepareCommit(4)]);
    expect(success('dt=2025-12-29/hm=10%3A01')).toBe(true);
    await r.close();
  });

  it("'process-time' with a delay commits a partition that long after its first row", async () => {
    const fields: Field[] = [
      { name: 'id', type: T.string() },
      { name: 'dt', type: T.string() },
    ];
    const s = sink({ 'sink.partition-commit.policy.kind': 'success-file', 'sink.partition-commit.delay': '300 ms' }, fields, ['dt']);
    await s.open(context());
    await s.write([['a', 'x']]);
    await s.commit(1, [await s.prepareCommit(1)]);
    expect(existsSync(path.join(dir, 'dt=x', '_SUCCESS'))).toBe(false);
    await new Promise((r) => setTimeout(r, 350));
    await s.commit(2, [await s.prepareCommit(2)]);
    expect(existsSync(path.join(dir, 'dt=x', '_SUCCESS'))).toBe(true);
    await s.close();
  });
});
