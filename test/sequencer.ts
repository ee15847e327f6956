// Test files in the order that ends the run soonest on CI's two workers: the longest first
// (longest-processing-time scheduling), using the durations a whole run recorded in
// test/durations.json (`npm run test:durations` refreshes it from .ci/vitest-results.json).
// Vitest's own order needs its results cache, which a fresh clone does not have; it then starts
// the largest files first, and a long file started late holds the run open alone.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** A file the durations do not know yet (new since they were recorded): assume a middling one. */
const UNKNOWN_MS = 2_000;

function recorded(root: string): Record<string, number> {
  try {
    return JSON.parse(readFileSync(path.join(root, 'test/durations.json'), 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const ms = recorded(root);
    const duration = (f: TestSpecification) => ms[path.relative(root, f.moduleId).split(path.sep).join('/')] ?? UNKNOWN_MS;
    return [...files].sort((a, b) => duration(b) - duration(a));
  }
}
