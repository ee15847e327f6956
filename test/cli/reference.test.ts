// docs/options.md is generated from the declared option tables: it must say what tsstream accepts.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { optionsReference } from '../../src/cli/reference.js';
import { connectorFactories } from '../../src/connectors/registry.js';
import { ROOT } from '../e2e/helpers.js';

describe('docs/options.md', () => {
  const doc = readFileSync(path.join(ROOT, 'docs/options.md'), 'utf8');

  it('is what `npm run docs:options` generates from the option tables (run it after changing an option)', async () => {
    expect(doc).toBe(await optionsReference());
  });

  it('documents every connector and every one of its options, and marks secrets', async () => {
    for (const f of await connectorFactories()) {
      expect(doc).toContain(`### \`'connector' = '${f.identifier}'\``);
      for (const o of f.options) expect(doc, `${f.identifier}: ${o.key}`).toContain(`\`${o.key}${o.prefix ? '*' : ''}\``);
    }
    expect(doc).toMatch(/\| `password` \|[^\n]*secret: never printed/);
    expect(doc).toContain('`execution.checkpointing.interval`');
  });
});
