#!/usr/bin/env node
// One bench job as a whole process (Node start-up and module loading included), for the cases
// that compare processes (DuckDB) or peak RSS (a fresh heap per run):
//   node bench/job-process.js s2 FILE [columnar=true|false]     the seed job (1-minute TUMBLE counts per event_type)
//   node bench/job-process.js keys FILE [columnar=true|false]   one 1-hour TUMBLE window per user_id (all keys open until the end)
// Prints one JSON line: events, groups, late.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUERIES, runSeedJob } from './seed-job.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [kind, file, columnar = 'true'] = process.argv.slice(2);
if (!QUERIES[kind] || !file) {
  console.error('usage: node bench/job-process.js s2|keys FILE [true|false]');
  process.exit(2);
}
console.log(JSON.stringify(await runSeedJob(path.join(root, 'dist'), file, { columnar, kind })));
