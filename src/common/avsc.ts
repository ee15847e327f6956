// avsc, loaded on first use and only its types module (Type.forSchema and the builtin types, all
// that tsstream uses): the package's index also loads its container files, services and
// protocols, twice the load time.
import type avro from 'avsc';
import { lazyRequire } from './lazy-require.js';

/** avsc's Type and builtin types (`types` in the package's index). */
export const avsc = lazyRequire<{ Type: typeof avro.Type; builtins: typeof avro.types }>('avsc/lib/types');
