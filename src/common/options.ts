// Declared option tables for connectors, formats and catalogs: validation, "did you mean"
// errors, DESCRIBE output and secret masking all come from one table.
import { ValidationError, suggestion } from './errors.js';

export type OptionType = 'string' | 'int' | 'boolean' | 'duration' | 'memory' | 'enum' | 'list';

export interface OptionSpec {
  key: string;
  type: OptionType;
  description: string;
  required?: boolean;
  default?: string;
  /** For 'enum'. */
  values?: readonly string[];
  /** Never printed: passwords, secret keys, tokens. */
  secret?: boolean;
  /** The key is a prefix (e.g. `properties.`): any key starting with it is accepted. */
  prefix?: boolean;
  /** Other accepted spellings (Flink keeps deprecated keys working). */
  aliases?: readonly string[];
}

const SECRET_PATTERN = /(password|secret|token|credential|sasl\.jaas\.config|private[-_.]?key|user[-_.]info)/i;

/** Whether an option's value must never be shown. */
export function isSecretKey(key: string, specs: readonly OptionSpec[] = []): boolean {
  return !!specs.find((s) => s.key === key)?.secret || SECRET_PATTERN.test(key);
}

/** A URL's password ('http://user:password@host') replaced by `******`. */
export function maskUrlPassword(v: string): string {
  return v.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/@:\s]*):[^/@\s]*@/gi, '$1:******@');
}

/** A copy of the options with secret values replaced by `******` (and passwords inside URLs). */
export function maskSecrets(options: Record<string, string>, specs: readonly OptionSpec[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) out[k] = isSecretKey(k, specs) ? '******' : maskUrlPassword(v);
  return out;
}

/**
 * Checks options against a declared table: unknown keys (with a suggestion), missing required
 * keys, enum values, numbers and durations. `what` names the owner, e.g. "connector 'kafka'".
 * Keys accepted by `extraPrefixes` (format options such as `json.`) are left to their owner.
 */
export function validateOptions(
  what: string,
  options: Record<string, string>,
  specs: readonly OptionSpec[],
  extraPrefixes: readonly string[] = [],
): void {
  const known = new Map<string, OptionSpec>();
  for (const s of specs) {
    known.set(s.key, s);
    for (const a of s.aliases ?? []) known.set(a, s);
  }
  for (const [key, value] of Object.entries(options)) {
    let spec = known.get(key);
    if (!spec) spec = specs.find((s) => s.prefix && key.startsWith(s.key));
    if (!spec) {
      if (extraPrefixes.some((p) => key.startsWith(p))) continue;
      const valid = specs.map((s) => (s.prefix ? `${s.key}*` : s.key)).sort();
      throw new ValidationError(
        `Unsupported option '${key}' for ${what}${suggestion(key, specs.filter((s) => !s.prefix).map((s) => s.key))}. Supported options: ${valid.join(', ')}`,
      );
    }
    checkValue(what, key, value, spec);
  }
  for (const s of specs) {
    if (!s.required) continue;
    const present = key(options, s);
    if (present === undefined) {
      throw new ValidationError(`Missing required option '${s.key}' for ${what} (${s.description})`);
    }
  }
}

function key(options: Record<string, string>, s: OptionSpec): string | undefined {
  if (options[s.key] !== undefined) return options[s.key];
  for (const a of s.aliases ?? []) if (options[a] !== undefined) return options[a];
  return undefined;
}

function checkValue(what: string, key: string, value: string, spec: OptionSpec): void {
  const bad = (expected: string) =>
    new ValidationError(`Invalid value '${spec.secret ? '******' : value}' for option '${key}' of ${what}: expected ${expected}`);
  switch (spec.type) {
    case 'int':
      if (!/^-?\d+$/.test(value.trim())) throw bad('an integer');
      break;
    case 'boolean':
      if (!/^(true|false)$/i.test(value.trim())) throw bad("'true' or 'false'");
      break;
    case 'duration':
      if (parseDuration(value) === undefined) throw bad("a duration such as '10s', '500 ms', '1 min'");
      break;
    case 'memory':
      if (parseMemorySize(value) === undefined) throw bad("a size such as '128mb' or '134217728'");
      break;
    case 'enum':
      if (spec.values && !spec.values.includes(value.trim())) throw bad(`one of ${spec.values.map((v) => `'${v}'`).join(', ')}`);
      break;
    case 'string':
    case 'list':
      break;
  }
}

/** Reads an option with its declared default (and aliases). */
export function getOption(options: Record<string, string>, specs: readonly OptionSpec[], k: string): string | undefined {
  const spec = specs.find((s) => s.key === k);
  if (!spec) return options[k];
  return key(options, spec) ?? spec.default;
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/** Flink's duration syntax ('10s', '500 ms', '1 min', a bare number = milliseconds) → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!m[2]) return n;
  const unit = DURATION_UNITS[m[2].toLowerCase()];
  return unit === undefined ? undefined : n * unit;
}

/** Flink's memory size syntax ('128mb', '1 gb', '1024') → bytes. */
export function parseMemorySize(text: string): number | undefined {
  const m = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return undefined;
  const units: Record<string, number> = { '': 1, b: 1, bytes: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };
  const u = units[m[2].toLowerCase()];
  return u === undefined ? undefined : Number(m[1]) * u;
}

/**
 * Options of a table read whole as the lookup side of a join (Flink's FULL lookup cache): the
 * table is read again on a period and the join switches to the new rows once that read completes.
 */
export const LOOKUP_RELOAD_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'lookup.full-cache.periodic-reload.interval',
    type: 'duration',
    description: 'As the lookup side of a join (read whole): read the table again this often; lookups use the new rows once the read completes (default: read once)',
    aliases: ['lookup.join.cache.ttl'],
  },
  {
    key: 'lookup.full-cache.periodic-reload.schedule-mode',
    type: 'enum',
    values: ['FIXED_DELAY', 'FIXED_RATE'],
    default: 'FIXED_DELAY',
    description: 'FIXED_DELAY: the interval counts from the end of the previous read; FIXED_RATE: from its start',
  },
];

/** The periodic reload a lookup table's options ask for, if any (options validated before). */
export function lookupReload(options: Record<string, string>): { intervalMs: number; fixedRate: boolean } | undefined {
  const text = getOption(options, LOOKUP_RELOAD_OPTIONS, 'lookup.full-cache.periodic-reload.interval');
  if (text === undefined) return undefined;
  const intervalMs = parseDuration(text);
  if (intervalMs === undefined || intervalMs <= 0) throw new ValidationError(`Option 'lookup.full-cache.periodic-reload.interval': expected a positive duration such as '10 min', got '${text}'`);
  const mode = (getOption(options, LOOKUP_RELOAD_OPTIONS, 'lookup.full-cache.periodic-reload.schedule-mode') ?? 'FIXED_DELAY').toUpperCase();
  return { intervalMs, fixedRate: mode === 'FIXED_RATE' };
}
