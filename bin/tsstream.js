#!/usr/bin/env node
// Thin launcher: the CLI lives in src/cli (compiled to dist/ by `npm run build`, run on `npm ci`).
import { main } from '../dist/cli/main.js';
main(process.argv).then((code) => { process.exitCode = code ?? 0; });
