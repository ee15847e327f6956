#!/usr/bin/env -S node --max-semi-space-size=32
// Thin launcher: the CLI lives in src/cli (compiled to dist/ by `npm run build`, run on `npm ci`).
// V8's semi-spaces of 32 MB (default 16): a stateful job's young rows and state otherwise survive
// scavenge after scavenge and are copied each time (Nexmark q4/q5/q7: 2–3× less CPU); the parallel
// workers get the same (src/runtime/parallel/pool.ts).
// It runs the bundle of scripts/bundle.mjs (dist/cli/tsstream.cjs: one script, with the V8 code
// cache made at build time, src/cli/bundle-loader.ts) unless tsc has built dist/ since the bundle
// was made (a build by `tsc -p tsconfig.build.json` alone), then dist/cli/main.js itself.
// parquet-wasm's WebAssembly compiles on V8's threads while the bundle loads, when the command
// line says it will be needed (src/cli/prestart.ts).
const [loader, { prestart }] = await Promise.all([import('../dist/cli/bundle-loader.js'), import('../dist/cli/prestart.js')]);
prestart(process.argv.slice(2));
const { main } = loader.bundleIsCurrent() ? loader.loadBundle().exports : await import('../dist/cli/main.js');
main(process.argv).then((code) => { process.exitCode = code ?? 0; });
