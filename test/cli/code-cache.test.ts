// The CLI's bundle and its V8 code cache (src/cli/bundle-loader.ts, scripts/bundle.mjs, built by
// the global setup as `npm run build` does): V8 takes the cache under the launcher's flags, with no
// flags, and in a parallel job's worker thread; a cache that does not fit (another build's, or one
// V8 refuses) leaves the bundle to be compiled as without one, and the CLI does the same.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist/cli');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

/** Loads the bundle through `loader` (in a worker thread with `inWorker`), prints its cache state and `tsstream --version`. */
function probe(loader: string, flags: string[], inWorker = false): { cache: string; out: string } {
  const load = `const { loadBundle } = await import(${JSON.stringify(pathToFileURL(loader).href)});
    const b = loadBundle(); console.log('cache=' + b.cache); await b.exports.main([process.argv[0], 'tsstream', '--version']);`;
  const code = inWorker
    ? `import { Worker } from 'node:worker_threads'; new Worker(${JSON.stringify(load)}, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 96 } });`
    : load;
  const env = { ...process.env };
  delete env.TSSTREAM_CODE_CACHE;
  delete env.NODE_OPTIONS;
  // A file, not `-e` (whose --input-type would be one more flag).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-code-cache-probe-'));
  tmp.push(dir);
  writeFileSync(path.join(dir, 'probe.mjs'), code);
  const r = spawnSync(process.execPath, [...flags, path.join(dir, 'probe.mjs')], { encoding: 'utf8', env });
  expect(r.status, r.stderr).toBe(0);
  return { cache: /cache=(\w+)/.exec(r.stdout)?.[1] ?? '', out: r.stdout };
}

/** A copy of the bundle, its loader and the cache for no flags in a folder of its own, `cache` changed by `edit`. */
function copyWith(edit: (cache: Buffer) => Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-code-cache-'));
  tmp.push(dir);
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  for (const f of ['bundle-loader.js', 'tsstream.cjs']) copyFileSync(path.join(dist, f), path.join(dir, f));
  writeFileSync(path.join(dir, 'tsstream.default.cache'), edit(readFileSync(path.join(dist, 'tsstream.default.cache'))));
  return path.join(dir, 'bundle-loader.js');
}

describe('the code cache of the CLI bundle', () => {
  const loader = path.join(dist, 'bundle-loader.js');

  it('is accepted under the launcher flags, with none, and in a worker thread', () => {
    for (const flags of [['--max-semi-space-size=32'], []]) {
      for (const inWorker of [false, true]) {
        const r = probe(loader, flags, inWorker);
        expect({ flags, inWorker, cache: r.cache }).toEqual({ flags, inWorker, cache: 'accepted' });
        expect(r.out).toContain(version);
      }
    }
    // Flags no cache was made for: none is used, the CLI runs.
    const other = probe(loader, ['--stack-size=900']);
    expect(other.cache).toBe('none');
    expect(other.out).toContain(version);
  });

  it('is not used when made for another build, or refused by V8, and the CLI runs the same', () => {
    const nl = (b: Buffer) => b.indexOf(10);
    const stale = probe(copyWith((b) => Buffer.concat([Buffer.from('0000000000000000\n'), b.subarray(nl(b) + 1)])), []);
    expect(stale.cache).toBe('stale');
    expect(stale.out).toContain(version);
    // The right build id, V8's data cut short: V8 rejects it.
    const cut = probe(copyWith((b) => b.subarray(0, nl(b) + 1 + Math.floor((b.length - nl(b)) / 2))), []);
    expect(cut.cache).toBe('rejected');
    expect(cut.out).toContain(version);
  });

  it('leaves import() to the module loader: a JavaScript function runs through the CLI, in the bundle and in its workers', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-code-cache-udf-'));
    tmp.push(dir);
    writeFileSync(path.join(dir, 'twice.mjs'), "export default { kind: 'scalar', params: ['INT'], returns: 'INT', eval(n) { return 2 * n; } };\n");
    writeFileSync(path.join(dir, 'events.jsonl'), [1, 2, 3, 4].map((n) => JSON.stringify({ n, t: `2025-12-29T10:00:0${n}` }) + '\n').join(''));
    writeFileSync(
      path.join(dir, 'job.sql'),
      `CREATE TEMPORARY FUNCTION twice AS 'twice.mjs';
      SET 'parallelism.default' = '2';
      CREATE TABLE events (n INT, t TIMESTAMP(3), WATERMARK FOR t AS t) WITH ('connector' = 'filesystem', 'path' = 'events.jsonl', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
      CREATE TABLE sink (s INT, c BIGINT) WITH ('connector' = 'print');
      INSERT INTO sink SELECT SUM(twice(n)), COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(t), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;`,
    );
    const env = { ...process.env };
    delete env.TSSTREAM_CODE_CACHE;
    const r = spawnSync(process.execPath, ['--max-semi-space-size=32', path.join(root, 'bin/tsstream.js'), 'run', 'job.sql'], { cwd: dir, encoding: 'utf8', env });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('+I[20, 4]');
  });
});
