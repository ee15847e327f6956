// Shared helpers of the parser tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

export function fixture(name: string): string {
  return readFileSync(path.join(here, name), 'utf8');
}

/** The AST without positions and spans, for comparing a parse with a re-parse. */
export function stripPositions<T>(v: T): T {
  if (Array.isArray(v)) return v.map(stripPositions) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'pos' && k !== 'span') out[k] = stripPositions(x);
    return out as T;
  }
  return v;
}
