// Client libraries that only some tables need (the AWS SDK for a Glue catalog or SigV4 signing),
// loaded on first use rather than when their module is imported: code that builds a client in a
// synchronous constructor still pays nothing until it does. Only for CommonJS packages (the
// instance is the one an `import` of the package would give).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The package `id`, required on the first call. */
export function lazyRequire<T>(id: string): () => T {
  let m: T | undefined;
  return () => (m ??= require(id) as T);
}
