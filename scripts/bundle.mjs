// The CLI as one CommonJS script with a V8 code cache (part of `npm run build`, after tsc):
// dist/cli/tsstream.cjs holds the engine (dist/cli/main.js and the parallel workers' module,
// src/cli/parallel-worker.ts) and the packages every quickstart loads; src/cli/bundle-loader.ts
// runs it with the cache that scripts/code-cache.mjs makes here. Node 20 keeps no compiled code
// for ES modules: compiling the engine's JavaScript was ~40 % of the quickstart's main thread.
// Modules loaded on demand (a dynamic import() of our own code) stay lazy: esbuild wraps each
// in a function run on its first import. Packages stay external (require() from node_modules,
// or import() for the ES-module-only ones) except INLINE: the small ones every run loads, whose
// files Node's loaders would otherwise resolve, read and compile one by one (commander 8 files,
// lossless-json 11), and those the quickstart loads (apache-arrow's single-file build and avsc's
// types, which src/common/lazy-require.ts requires on first use; parquet-wasm's JavaScript).
// The bundle's code knows it runs bundled by __TSSTREAM_BUNDLE__ (src/cli/session.ts
// workerEntry: the workers load dist/cli/tsstream-worker.js, written here, which loads the bundle
// and its cache too), and import.meta.url is the bundle's own URL (its banner).
// bin/tsstream.js runs the bundle when it is newer than tsc's last build (else dist/cli/main.js).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/cli');
const INLINE = new Set(['commander', 'lossless-json', 'apache-arrow', 'avsc', 'parquet-wasm']);
/** The packages src/common/lazy-require.ts loads from the bundle instead of node_modules. */
const LAZY_INLINE = ['apache-arrow/Arrow.esnext.min', 'avsc/lib/types'];
/**
 * The Node flags a cache is made for: the launcher's (bin/tsstream.js's first line, also what
 * its workers run with) and none (`node bin/tsstream.js`). Other flags: the bundle without cache.
 */
const CACHE_FLAGS = [['--max-semi-space-size=32'], []];

/** Every other package (a bare import that is not a relative path): external. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.split('/').slice(0, args.path.startsWith('@') ? 2 : 1).join('/');
      return INLINE.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};
/**
 * src/common/import-module.ts: the loader's import() (src/cli/bundle-loader.ts passes it to the
 * bundle as __tsstreamImport): a classic script's own import() has no module loader to go to.
 */
const importModule = {
  name: 'import-module',
  setup(b) {
    b.onLoad({ filter: /[\\/]common[\\/]import-module\.js$/ }, () => ({
      loader: 'js',
      contents: 'export function importModule(specifier) {\n  return __tsstreamImport(specifier);\n}\n',
    }));
  },
};
/** lazyRequire(id) of a LAZY_INLINE package: the bundle's copy (a plain require() esbuild bundles). */
const lazyInline = {
  name: 'lazy-inline',
  setup(b) {
    b.onLoad({ filter: /[\\/]common[\\/]lazy-require\.js$/ }, () => ({
      loader: 'js',
      contents: `import { createRequire } from 'node:module';
const external = createRequire(import.meta.url);
const BUNDLED = { ${LAZY_INLINE.map((id) => `${JSON.stringify(id)}: () => require(${JSON.stringify(id)})`).join(', ')} };
export function lazyRequire(id) {
  let m;
  return () => (m ??= BUNDLED[id] ? BUNDLED[id]() : external(id));
}
`,
    }));
  },
};

for (const f of readdirSync(out)) if (/^(tsstream|tsstream-worker|chunk-[\w-]+)\.js$|^tsstream\..*\.(cjs|cache)$|^tsstream\.cjs$/.test(f)) rmSync(path.join(out, f));
let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  // A checkout without dev dependencies: bin/tsstream.js runs dist/cli/main.js.
  console.warn('esbuild is not installed: no bundle (bin/tsstream.js runs dist/cli/main.js)');
  process.exit(0);
}
const bundleFile = path.join(out, 'tsstream.cjs');
await build({
  stdin: {
    contents: "export { main } from './main.js';\nexport const worker = () => import('./parallel-worker.js');\n",
    resolveDir: out,
    sourcefile: 'bundle-entry.js',
  },
  define: { __TSSTREAM_BUNDLE__: 'true', 'import.meta.url': '__tsstreamImportMetaUrl', 'import.meta.resolve': '__tsstreamImportMetaResolve' },
  outfile: bundleFile,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  plugins: [lazyInline, importModule, externalPackages],
  banner: {
    js: [
      // ES modules run in strict mode; so does their code here (and the few CommonJS files inlined,
      // written for it: avsc says so, commander's are classes, Arrow's build is of ES modules).
      "'use strict';",
      "var __tsstreamImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
      "var __tsstreamImportMetaResolve = (s) => require('node:url').pathToFileURL(require.resolve(s)).href;",
    ].join('\n'),
  },
  logLevel: 'warning',
});
const code = readFileSync(bundleFile, 'latin1');
// No import() of its own (it would fail in the classic script), but for the text of the worker
// that src/runtime/parallel/pool.ts evaluates for a .ts entry (never the bundle's).
const stray = code.replaceAll('import(${JSON.stringify(', '').match(/.{0,80}\bimport\(.{0,80}/);
if (stray) throw new Error(`dist/cli/tsstream.cjs would run import() (use src/common/import-module.ts): ${stray[0]}`);
// The build id (the first line): a cache is used only with the bundle it was made from.
const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
writeFileSync(bundleFile, `//# tsstream-build ${id}\n${code}`, 'latin1');
// The build id's line is a comment: the banner's 'use strict' stays the first statement.
writeFileSync(
  path.join(out, 'tsstream-worker.js'),
  `// A parallel job's worker thread (src/runtime/parallel/pool.ts): the bundle, with its code cache (scripts/bundle.mjs).
import { loadBundle } from './bundle-loader.js';
await loadBundle().exports.worker();
`,
);
for (const flags of CACHE_FLAGS) {
  const r = spawnSync(process.execPath, [...flags, path.join(root, 'scripts/code-cache.mjs')], { encoding: 'utf8', env: { ...process.env, TSSTREAM_CODE_CACHE: '0' } });
  // No cache is no error: the bundle runs without it.
  if (r.status === 0) process.stdout.write(r.stdout);
  else console.warn(`no code cache for node ${flags.join(' ')}: scripts/code-cache.mjs exited ${r.status}\n${r.stderr}`);
}
