import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the tsstream command', () => {
  it('prints its help as a child process', () => {
    const out = execFileSync(process.execPath, ['bin/tsstream.js', '--help'], { encoding: 'utf8' });
    expect(out).toContain('Usage: tsstream');
  });
});
