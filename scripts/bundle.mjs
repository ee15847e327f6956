// The CLI as a few ES modules (part of `npm run build`, after tsc): dist/cli/tsstream.js holds
// what every command needs, and each connector, command or library loaded on demand (dynamic
// import()) becomes a chunk of its own beside it (dist/cli/chunk-*.js), loaded only when used.
// A process then reads and compiles a handful of files instead of ~160 modules of dist/.
// Packages stay external (node_modules). The chunks sit in dist/cli so that paths relative to a
// module's URL (e.g. ./parallel-worker.js) resolve as they do from dist/cli/*.js.
// bin/tsstream.js runs the bundle when it is newer than tsc's last build (else dist/cli/main.js).
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/cli');
for (const f of readdirSync(out)) if (/^(tsstream|chunk-[\w-]+)\.js$/.test(f)) rmSync(path.join(out, f));
let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  // A checkout without dev dependencies: bin/tsstream.js runs dist/cli/main.js.
  console.warn('esbuild is not installed: no bundle (bin/tsstream.js runs dist/cli/main.js)');
  process.exit(0);
}
await build({
  entryPoints: { tsstream: path.join(out, 'main.js') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
});
