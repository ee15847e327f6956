// Runs the CLI's bundle (dist/cli/tsstream.cjs, made by scripts/bundle.mjs) as a classic script
// with a V8 code cache: Node 20 caches no compiled code for ES modules, and compiling the engine's
// JavaScript was ~40 % of the quickstart's main thread. The bundle is one CommonJS script; the
// build runs a representative job with it in a throwaway process (scripts/bundle.mjs) and writes
// what V8 compiled by then (script.createCachedData(): the top level and every function run so
// far) beside it, once per set of Node flags it is made for (V8 refuses a cache made under other
// flags). Loading it skips parsing and compiling those functions. The cache never changes what
// runs: one missing, made for another bundle (the build id on the bundle's first line and in the
// cache's header differ), or rejected by V8 (another V8, other flags) leaves V8 to compile the
// script as it would without one. bin/tsstream.js loads the bundle here, and so does each worker
// thread of a parallel job (dist/cli/tsstream-worker.js).
// TSSTREAM_CODE_CACHE=0 loads the bundle without its cache (A/B measurements).
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** What the bundle exports (scripts/bundle.mjs's entry). */
export interface BundleExports {
  main(argv: string[]): Promise<number | undefined>;
  /** Runs the parallel worker's module (src/cli/parallel-worker.ts) in this worker thread. */
  worker(): Promise<unknown>;
}

export interface LoadedBundle {
  exports: BundleExports;
  /** The compiled script (createCachedData after a run: scripts/bundle.mjs). */
  script: vm.Script;
  /** The build id of the bundle (its first line: `//# tsstream-build <id>`). */
  buildId: string | undefined;
  /** The cache file for this process's Node flags. */
  cacheFile: string;
  /** 'accepted', 'rejected' (by V8), 'stale' (another build's), 'none' (no file, or TSSTREAM_CODE_CACHE=0). */
  cache: 'accepted' | 'rejected' | 'stale' | 'none';
}

const dir = path.dirname(fileURLToPath(import.meta.url));
export const BUNDLE_FILE = path.join(dir, 'tsstream.cjs');
const BUILD_LINE = /^\/\/# tsstream-build (\w+)\n/;

/**
 * Whether the bundle is the build to run: it exists and tsc has not built dist/ since it was made
 * (a build by `tsc -p tsconfig.build.json` alone leaves an older bundle: then dist/cli/main.js and
 * tsc's parallel-worker.js run). bin/tsstream.js and the parallel workers' entry (session.ts) decide by it.
 */
export function bundleIsCurrent(): boolean {
  const mtime = (f: string) => statSync(f, { throwIfNoEntry: false })?.mtimeMs;
  const bundled = mtime(BUNDLE_FILE);
  const built = mtime(path.join(dir, '../.tsbuildinfo'));
  return bundled !== undefined && (built === undefined || bundled >= built);
}

/**
 * The cache file for Node flags `execArgv`: V8 accepts a cache only under the flags it was made
 * with, so `node bin/tsstream.js` and the launcher's `node --max-semi-space-size=32` each have one
 * (workers inherit the process's flags). Flags with no cache built for them: no file, no cache.
 */
export function cacheFileFor(execArgv: readonly string[]): string {
  const key = execArgv.length ? execArgv.join(' ').replace(/^--/, '').replace(/[^\w=.-]+/g, '_') : 'default';
  return path.join(dir, `tsstream.${key.slice(0, 100)}.cache`);
}

/** A cache file: `<build id>\n` then V8's data. */
function readCache(file: string, buildId: string | undefined): Buffer | 'stale' | undefined {
  let b: Buffer;
  try {
    b = readFileSync(file);
  } catch {
    return undefined;
  }
  const nl = b.indexOf(10);
  if (buildId === undefined || nl < 0 || b.toString('latin1', 0, nl) !== buildId) return 'stale';
  return b.subarray(nl + 1);
}

/** The bundle, compiled (from its cache when there is a fitting one) and run; its exports. */
export function loadBundle(opts: { useCache?: boolean } = {}): LoadedBundle {
  // esbuild writes ASCII only (its default charset): read as one-byte text, no UTF-8 decoding.
  const source = readFileSync(BUNDLE_FILE, 'latin1');
  const buildId = BUILD_LINE.exec(source)?.[1];
  const cacheFile = cacheFileFor(process.execArgv);
  const useCache = (opts.useCache ?? true) && process.env.TSSTREAM_CODE_CACHE !== '0';
  const cached = useCache ? readCache(cacheFile, buildId) : undefined;
  const cachedData = cached instanceof Buffer ? cached : undefined;
  // The CommonJS wrapper as Node's own, and this module's import() for the bundle's
  // (src/common/import-module.ts): a classic script has none of its own (vm's
  // importModuleDynamically is experimental in Node 20 and lost with a code cache).
  const wrapped = `(function (exports, require, module, __filename, __dirname, __tsstreamImport) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: BUNDLE_FILE, cachedData });
  const cache = cached === 'stale' ? 'stale' : cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const module = { exports: {} as BundleExports };
  const fn = script.runInThisContext() as (e: object, r: NodeRequire, m: object, f: string, d: string, i: (s: string) => Promise<unknown>) => void;
  fn.call(module.exports, module.exports, createRequire(BUNDLE_FILE), module, BUNDLE_FILE, dir, (s) => import(s));
  return { exports: module.exports, script, buildId, cacheFile, cache };
}
