// Writes test/durations.json (file → milliseconds) from the JSON report of a whole test run
// (.ci/vitest-results.json, written by .ci/run), for test/sequencer.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const input = process.argv[2] ?? path.join(root, '.ci/vitest-results.json');
// The report's own checkout (the folder above its .ci/), which its absolute file names start with.
const reportRoot = path.resolve(path.dirname(input), '..');
const report = JSON.parse(readFileSync(input, 'utf8')) as { testResults: { name: string; startTime: number; endTime: number }[] };
const durations = Object.fromEntries(
  report.testResults
    .map((r) => [path.relative(reportRoot, r.name).split(path.sep).join('/'), Math.round(r.endTime - r.startTime)] as const)
    .sort((a, b) => b[1] - a[1]),
);
writeFileSync(path.join(root, 'test/durations.json'), `${JSON.stringify(durations, null, 1)}\n`);
console.log(`test/durations.json: ${Object.keys(durations).length} files, ${(Object.values(durations).reduce((a, b) => a + b, 0) / 1000).toFixed(0)} s in all`);
