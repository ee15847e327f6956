// `npm run peers:install [NAME…]`: installs the test peers into the ignored cache (.peers/,
// Maven's local repository, a Python virtual env). Later runs reuse what is there.
import { PEERS } from './registry.js';

const wanted = process.argv.slice(2);
let failed = 0;
for (const p of PEERS) {
  if (wanted.length > 0 && !wanted.includes(p.name)) continue;
  const why = p.unavailable();
  if (why) {
    console.log(`${p.name}: skipped (${why})`);
    continue;
  }
  const t0 = Date.now();
  try {
    await p.install((line) => console.log(`${p.name}: ${line}`));
    console.log(`${p.name}: installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    failed++;
    console.error(`${p.name}: install failed: ${(e as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
