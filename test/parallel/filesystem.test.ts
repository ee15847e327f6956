// The filesystem source at parallelism > 1: each worker reads its byte range of each file, aligned
// to lines (a .gz file whole by one worker), so every record is read exactly once; a malformed
// record is named by the same file:line as at parallelism 1. The workers are pooled: the next job
// reuses them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { T, type Row } from '../../src/common/types.js';
import { filesystemFactory } from '../../src/connectors/filesystem/index.js';
import type { FileSystemSourceState } from '../../src/connectors/filesystem/source.js';
import { context, drain, scan, table as descriptor } from '../connectors/helpers.js';
import { workerPool } from '../../src/runtime/parallel/pool.js';
import { selectAt } from './helpers.js';
import { Session } from '../../src/cli/session.js';

const text = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

function table(dir: string, extra = ''): string {
  return `CREATE TABLE t (id BIGINT, s STRING) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'json'${extra})`;
}

describe('filesystem source split by byte ranges', () => {
  it('reads every line exactly once at parallelism 2 and 3, whatever the line lengths, and reuses the pooled workers', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-ranges-'));
    let id = 0;
    const line = () => {
      const i = id++;
      return JSON.stringify({ id: i, s: 'x'.repeat((i * 7919) % 300) });
    };
    // Lines of 10–320 bytes, blank lines, CRLF, no newline at the end, a one-line file (shorter
    // than a range per worker), an empty file, a .gz file (not splittable).
    writeFileSync(path.join(dir, 'a.json'), Array.from({ length: 3000 }, line).join('\n') + '\n');
    writeFileSync(path.join(dir, 'b.json'), Array.from({ length: 500 }, (_, k) => (k % 50 === 0 ? '\r\n' : '') + line()).join('\r\n'));
    writeFileSync(path.join(dir, 'c.json'), line() + '\n');
    writeFileSync(path.join(dir, 'd.json'), '');
    writeFileSync(path.join(dir, 'e.json.gz'), gzipSync(Array.from({ length: 700 }, line).join('\n') + '\n'));
    const ddl = table(dir);
    const sql = 'SELECT id, CHAR_LENGTH(s) FROM t';
    const p1 = await selectAt(1, ddl, sql);
    expect(p1.length).toBe(id);
    const started = workerPool.started;
    const logs: string[] = [];
    const p2 = await selectAt(2, ddl, sql, logs);
    expect(logs.filter((m) => m.includes('parallelism 1'))).toEqual([]);
    expect(text(p2)).toEqual(text(p1));
    // The second job at 2 runs on the workers of the first.
    expect(text(await selectAt(2, ddl, sql))).toEqual(text(p1));
    expect(workerPool.started - started).toBeLessThanOrEqual(2);
    expect(text(await selectAt(3, ddl, sql))).toEqual(text(p1));
  }, 120_000);

  it("a worker reads the lines that start in its byte range, in order, and resumes inside it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-ranges-unit-'));
    const file = path.join(dir, 'a.json');
    const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: i, s: 'y'.repeat(i % 37) }));
    writeFileSync(file, lines.join('\n') + '\n');
    const fields = [
      { name: 'id', type: T.bigint() },
      { name: 's', type: T.string() },
    ];
    const open = async (index: number, parallelism: number, state?: FileSystemSourceState) => {
      const src = filesystemFactory.createSource!(descriptor(fields, { connector: 'filesystem', path: file, format: 'json' }), scan(), { config: new Map([['table.exec.columnar.enabled', 'false']]) });
      await src.open({ ...context(), subtask: { index, parallelism } }, state);
      return src;
    };
    const ids: number[][] = [];
    for (let i = 0; i < 3; i++) ids.push((await drain(await open(i, 3))).rows.map((r) => Number(r[0])));
    // Each worker's lines are one contiguous run of the file, in file order; together every line once.
    for (const run of ids) {
      expect(run.length).toBeGreaterThan(250);
      expect(run).toEqual(Array.from({ length: run.length }, (_, k) => run[0] + k));
    }
    expect(ids.flat()).toEqual(lines.map((_, i) => i));
    // Worker 2 of 3 stopped after one poll resumes where it was, up to the end of its range only.
    const w = await open(1, 3);
    const first = (await w.poll(50))![0].rows.map((r) => Number(r[0]));
    const st = w.snapshotState(1) as FileSystemSourceState;
    await w.close();
    const rest = (await drain(await open(1, 3, st))).rows.map((r) => Number(r[0]));
    expect([...first, ...rest]).toEqual(ids[1]);
  });

  it('where the order of the rows matters (wholeSplits), each file is read whole, in order, by one worker', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-whole-'));
    const files = ['a', 'b', 'c', 'd', 'e', 'f'].map((f, k) => {
      const ids = Array.from({ length: 300 }, (_, i) => k * 1000 + i);
      writeFileSync(path.join(dir, `${f}.json`), ids.map((id) => JSON.stringify({ id, s: 'z'.repeat(id % 41) })).join('\n') + '\n');
      return ids;
    });
    const fields = [
      { name: 'id', type: T.bigint() },
      { name: 's', type: T.string() },
    ];
    const read = async (index: number) => {
      const src = filesystemFactory.createSource!(descriptor(fields, { connector: 'filesystem', path: dir, format: 'json' }), scan(), { config: new Map([['table.exec.columnar.enabled', 'false']]) });
      await src.open({ ...context(), subtask: { index, parallelism: 3, wholeSplits: true } });
      return (await drain(src)).rows.map((r) => Number(r[0]));
    };
    const got = [await read(0), await read(1), await read(2)];
    // Every file's lines are all read by one worker, in file order (a file is one split).
    const all = got.flat().sort((x, y) => x - y);
    expect(all).toEqual(files.flat());
    for (const ids of files) {
      const owner = got.filter((g) => g.includes(ids[0]));
      expect(owner).toHaveLength(1);
      expect(owner[0].filter((id) => Math.floor(id / 1000) === Math.floor(ids[0] / 1000))).toEqual(ids);
    }
    expect(got.filter((g) => g.length > 0).length).toBeGreaterThan(1);
  });

  it('a file read in chunks with a shared count of chunks taken: each worker takes the next chunk when it needs one, in file order, every chunk once', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-claims-'));
    const file = path.join(dir, 'a.json');
    // ~6.5 MB: chunks of one read batch (1 MiB up to its last newline), so 7 chunks.
    const lines = Array.from({ length: 30000 }, (_, i) => JSON.stringify({ id: i, s: 'w'.repeat(200) }));
    writeFileSync(file, lines.join('\n') + '\n');
    const fields = [
      { name: 'id', type: T.bigint() },
      { name: 's', type: T.string() },
    ];
    const chunkClaims = new Int32Array(new SharedArrayBuffer(4));
    const open = async (index: number) => {
      const src = filesystemFactory.createSource!(descriptor(fields, { connector: 'filesystem', path: file, format: 'json' }), scan(), { config: new Map([['table.exec.columnar.enabled', 'false']]) });
      await src.open({ ...context(), subtask: { index, parallelism: 2, wholeSplits: true, chunks: true, chunkClaims } });
      expect(src.chunked!()).toBe(true);
      return src;
    };
    // Each worker's chunks (the chunk ends it marks) and the ids of each chunk's rows.
    const read = async (src: Awaited<ReturnType<typeof open>>, ends: number[], ids: Map<number, number[]>, upTo = Infinity) => {
      let rows: number[] = [];
      while (ends.length < upTo) {
        const batches = await src.poll(50);
        if (batches === null) break;
        for (const b of batches) {
          rows.push(...b.rows.map((r) => Number(r[0])));
          if (b.chunkEnd !== undefined) {
            ends.push(b.chunkEnd);
            ids.set(b.chunkEnd, rows);
            rows = [];
          }
        }
      }
      expect(rows).toEqual([]);
    };
    const a = await open(0);
    const b = await open(1);
    const endsA: number[] = [];
    const endsB: number[] = [];
    const ids = new Map<number, number[]>();
    // Worker 1 reads 3 chunks while worker 2 reads none (a slow worker), then worker 2 reads to the end, then worker 1.
    await read(a, endsA, ids, 3);
    expect(endsA).toEqual([0, 1, 2]);
    await read(b, endsB, ids);
    await read(a, endsA, ids);
    // Worker 1 had taken the chunk after its third (read ahead) before worker 2 began; worker 2 took the rest.
    expect(endsA).toEqual([0, 1, 2, 3]);
    expect(endsB).toEqual([4, 5, 6]);
    // Chunk k holds the lines after chunk k - 1's: every line once, in file order.
    expect([...ids.keys()].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([0, 1, 2, 3, 4, 5, 6].flatMap((k) => ids.get(k)!)).toEqual(lines.map((_, i) => i));
    await a.close();
    await b.close();
  });

  it('a keyed plan over a monitored folder with a watermark runs at parallelism 1: a worker without a file would hold the watermark back', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-whole-monitor-'));
    const session = new Session({ log: () => {}, config: { 'parallelism.default': '2' } });
    try {
      const res = await session.executeAll(`CREATE TABLE m (k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'json', 'source.monitor-interval' = '1 s');
        EXPLAIN SELECT k, COUNT(*) FROM TABLE(TUMBLE(TABLE m, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY k, window_start, window_end;
        EXPLAIN SELECT k FROM m`);
      const show = (r: (typeof res)[number]) => (r.kind === 'explain' ? r.text : '');
      expect(show(res[1])).toContain('Runs at parallelism 1 (2 asked for): the filesystem source');
      expect(show(res[2])).toContain('Runs at parallelism 2: each worker thread reads its share of the source splits');
    } finally {
      await session.close();
    }
  });

  it('names a malformed record by the file and line parallelism 1 names', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-ranges-bad-'));
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: i, s: `v${i}` }));
    lines[1733] = '{"id": 1733, "s": ';
    writeFileSync(path.join(dir, 'a.json'), lines.join('\n') + '\n');
    const failure = (p: number) => selectAt(p, table(dir), 'SELECT id FROM t').then(
      () => 'no error',
      (e: Error) => e.message,
    );
    const at1 = await failure(1);
    expect(at1).toContain(`${path.join(dir, 'a.json')}:1734`);
    expect(await failure(2)).toContain(`${path.join(dir, 'a.json')}:1734`);
  }, 60_000);
});
