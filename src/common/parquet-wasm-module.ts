// parquet-wasm's WebAssembly (5 MB, its encoder and decoder) compiled once per process, by whoever
// asks first: `tsstream run` of a job file that mentions Iceberg asks before the engine's bundle
// loads (src/cli/prestart.ts), so that V8's compile threads decode and validate it while the main
// thread loads the engine and runs the statements, instead of after the job has planned its sink
// (the quickstart's first Parquet write waited for it: docs/nexmark.md, session 13); else the
// Iceberg connector asks when a table is opened (src/connectors/iceberg/parquet.ts). V8 compiles
// the functions themselves lazily, each on its first call. The promise is kept on globalThis: the launcher's
// modules and the bundle's copies of them are separate module instances.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The compiled module (the type parquet-wasm's initSync takes). */
type WasmModule = object;

const KEY = Symbol.for('tsstream.parquet-wasm-module');
const store = globalThis as unknown as { [KEY]?: Promise<WasmModule> };
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } }).WebAssembly;

/**
 * Starts compiling parquet-wasm's WebAssembly unless it has started (the file is read here,
 * synchronously: its callback would otherwise wait for the main thread to be free). Idempotent.
 */
export function compileParquetWasm(): Promise<WasmModule> {
  let p = store[KEY];
  if (!p) {
    try {
      p = wasm.compile(readFileSync(createRequire(import.meta.url).resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')));
    } catch (e) {
      p = Promise.reject(e);
    }
    // Started early, it may never be asked for (a job file that only defines a catalog).
    p.catch(() => undefined);
    store[KEY] = p;
  }
  return p;
}
