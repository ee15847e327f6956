// `npx tsx test/difftest/write-docs.ts`: rewrites the "Known differences" section of
// docs/flink-compatibility.md from test/difftest/expected-differences.txt (difftest.test.ts fails
// while they disagree).
import { readFileSync, writeFileSync } from 'node:fs';
import { COMPAT_DOC, docWithDifferences } from './harness.js';

writeFileSync(COMPAT_DOC, docWithDifferences(readFileSync(COMPAT_DOC, 'utf8')));
console.log(`updated ${COMPAT_DOC}`);
