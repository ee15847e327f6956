import { defineConfig } from 'vitest/config';
import os from 'node:os';
import path from 'node:path';
import LongestFirstSequencer from './test/sequencer.js';

// Jobs started by tests register under a throw-away TSSTREAM_HOME, never the user's ~/.tsstream.
const home = path.join(os.tmpdir(), `tsstream-test-home-${process.pid}`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time: CI machines have 2 cores and most tests wait on peers (7.3 min instead of 11).
    maxWorkers: 2,
    // Longest files first (test/durations.json), so that no long file starts late and runs alone.
    sequence: { sequencer: LongestFirstSequencer },
    env: { TSSTREAM_HOME: home },
  },
});
