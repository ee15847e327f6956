#!/usr/bin/env node
// The hand-written baseline as a whole process: JSON.parse each line, count per (minute, event_type) in a Map.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const counts = new Map();
let n = 0;
const rl = createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity });
for await (const line of rl) {
  const e = JSON.parse(line);
  const ts = Date.parse(e.event_time + 'Z');
  const w = ts - (ts % 60000);
  const k = w + '|' + e.event_type;
  counts.set(k, (counts.get(k) ?? 0) + 1);
  n++;
}
console.log(JSON.stringify({ events: n, groups: counts.size }));
