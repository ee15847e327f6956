// The launcher's early start (src/cli/prestart.ts): `tsstream run FILE` of a file that mentions
// Iceberg starts compiling parquet-wasm's WebAssembly before the engine loads, and the Iceberg
// connector then takes that compile instead of starting its own; other command lines start nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prestart } from '../../src/cli/prestart.js';
import { compileParquetWasm } from '../../src/common/parquet-wasm-module.js';

const KEY = Symbol.for('tsstream.parquet-wasm-module');
const store = globalThis as unknown as Record<symbol, Promise<object> | undefined>;
const dir = mkdtempSync(path.join(os.tmpdir(), 'tsstream-prestart-'));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};
const iceberg = file('iceberg.sql', "CREATE CATALOG c WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = 'w');\n");
const plain = file('plain.sql', "CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n");

afterEach(() => {
  delete store[KEY];
});

describe('the launcher starts compiling parquet-wasm early', () => {
  it('for `run` of a file that mentions Iceberg (after options and their values)', async () => {
    prestart(['run', '-s', 'parallelism.default=1', '--job-id', '0123', iceberg]);
    const early = store[KEY];
    expect(early).toBeInstanceOf(Promise);
    // The connector's compile is that one, and it is a WebAssembly module.
    expect(compileParquetWasm()).toBe(early);
    const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: { Module: new (...a: unknown[]) => object } };
    expect(await early).toBeInstanceOf(wasm.Module);
  });

  it('not for a file without Iceberg, a missing file, or another command', () => {
    prestart(['run', plain]);
    prestart(['run', path.join(dir, 'missing.sql')]);
    prestart(['validate', iceberg]);
    prestart([]);
    expect(store[KEY]).toBeUndefined();
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
