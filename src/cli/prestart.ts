// Work the launcher (bin/tsstream.js) starts before it loads the engine's bundle, for a command
// line whose needs it can tell from the arguments alone: `tsstream run FILE` of a file that
// mentions Iceberg will write or read Parquet, so parquet-wasm's WebAssembly starts compiling on
// V8's background threads now (src/common/parquet-wasm-module.ts) and is ready by the time the
// first data file is written. A wrong guess costs CPU on those threads, never an error: the file
// is read again (and any error reported) by the command itself.
import { readFileSync, statSync } from 'node:fs';
import { compileParquetWasm } from '../common/parquet-wasm-module.js';

/** Job files larger than this are not looked into here. */
const MAX_BYTES = 1 << 20;

/** `args`: the command line after the script (process.argv.slice(2)). */
export function prestart(args: readonly string[]): void {
  if (args[0] !== 'run') return;
  try {
    // The file is the one argument that names a file; option values (-s k=v, --job-id …) do not.
    for (const a of args.slice(1)) {
      if (a.startsWith('-') || (statSync(a, { throwIfNoEntry: false })?.size ?? MAX_BYTES + 1) > MAX_BYTES) continue;
      if (/iceberg/i.test(readFileSync(a, 'latin1'))) compileParquetWasm();
      return;
    }
  } catch {
    // Left to the command: it reads the file itself and says what is wrong.
  }
}
