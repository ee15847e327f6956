// The CLI as a few ES modules (part of `npm run build`, after tsc): dist/cli/tsstream.js holds
// what every command needs, and each connector, command or library loaded on demand (dynamic
// import()) becomes a chunk of its own beside it (dist/cli/chunk-*.js), loaded only when used.
// A process then reads and compiles a handful of files instead of ~160 modules of dist/.
// The chunks sit in dist/cli so that paths relative to a module's URL resolve as they do from
// dist/cli/*.js. The parallel workers' module is a second entry (dist/cli/tsstream-worker.js,
// sharing the chunks): a job at parallelism N loads the bundle in each worker thread too; the
// bundle's code knows it runs bundled by __TSSTREAM_BUNDLE__ (src/cli/session.ts workerEntry), so
// tsc's dist/cli/parallel-worker.js is never overwritten.
// bin/tsstream.js runs the bundle when it is newer than tsc's last build (else dist/cli/main.js).
// Packages stay external (loaded from node_modules) except the small ones every run loads, which
// go into the bundle (INLINE): Node's ESM loader resolves, reads and links each of their files
// (commander 8, lossless-json 11) one by one: ~40 ms of the quickstart's 0.45 CPU-seconds. The
// bundle's CommonJS code (commander) requires Node's built-in modules through the banner's require.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/cli');
const INLINE = new Set(['commander', 'lossless-json']);
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
for (const f of readdirSync(out)) if (/^(tsstream|tsstream-worker|chunk-[\w-]+)\.js$/.test(f)) rmSync(path.join(out, f));
let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  // A checkout without dev dependencies: bin/tsstream.js runs dist/cli/main.js.
  console.warn('esbuild is not installed: no bundle (bin/tsstream.js runs dist/cli/main.js)');
  process.exit(0);
}
await build({
  entryPoints: { tsstream: path.join(out, 'main.js'), 'tsstream-worker': path.join(out, 'parallel-worker.js') },
  define: { __TSSTREAM_BUNDLE__: 'true' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [externalPackages],
  chunkNames: 'chunk-[hash]',
  banner: { js: "import { createRequire as __tsstreamRequire } from 'node:module'; const require = __tsstreamRequire(import.meta.url);" },
  logLevel: 'warning',
});
