// Writes docs/options.md from the declared option tables (see src/cli/reference.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { optionsReference } from '../src/cli/reference.js';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/options.md');
writeFileSync(file, await optionsReference());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
