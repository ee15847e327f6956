// import() of a module outside the engine: a package only published as, or best loaded as, an ES
// module, or a user's file (JavaScript functions). One place, because the CLI's bundle is a
// classic script (src/cli/bundle-loader.ts), where a bare import() has no module loader to go to:
// scripts/bundle.mjs puts the loader's own import() in this function's place there.
/** The module `specifier` (a package name or a file: URL), as `import(specifier)` would give it. */
export function importModule<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}
