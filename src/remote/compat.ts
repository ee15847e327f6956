// What in a job file only tsstream understands, so that it is refused by name before the file
// goes to a Flink cluster (never silently dropped), and the `tsstream.*` keys that choose where a
// file runs. Flink's own options (checkpointing, restart strategy, state backend, …) pass through.
import { splitStatements, type StatementText } from '../parser/index.js';

/** The keys that say where a file runs; read by tsstream, never sent to Flink. */
export const TARGET_KEYS = ['tsstream.target', 'tsstream.gateway', 'tsstream.flink-rest'] as const;

/** Connectors tsstream has and a Flink distribution does not. */
const TSSTREAM_ONLY_CONNECTORS: Record<string, string> = {
  memory: "tsstream's in-process test connector",
};

/** Something in the file that Flink would not run, with where it is. */
export interface FlinkIncompatibility {
  /** What it is, e.g. "option 'tsstream.foo'". */
  item: string;
  why: string;
  line: number;
  column: number;
}

const SET_RE = /^SET\s+'([^']*)'\s*=\s*'((?:[^']|'')*)'\s*$/is;

/** A `SET 'key' = 'value'` statement's key and value, or undefined for any other statement. */
export function setStatement(text: string): { key: string; value: string } | undefined {
  const m = SET_RE.exec(text.trim());
  return m ? { key: m[1], value: m[2].replace(/''/g, "'") } : undefined;
}

/** The file's `SET 'tsstream.target'`/`'tsstream.gateway'` values (the last of each wins). */
export function targetSettings(sql: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of splitStatements(sql)) {
    const set = setStatement(s.text);
    if (set && (TARGET_KEYS as readonly string[]).includes(set.key)) out[set.key] = set.value;
  }
  return out;
}

/** Position of `offset` (into the statement's text) in the whole file. */
function where(s: StatementText, offset: number): { line: number; column: number } {
  const before = s.text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  const line = s.line + (before.match(/\n/g)?.length ?? 0);
  return { line, column: nl < 0 ? s.column + offset : offset - nl };
}

/** Everything in these statements that only tsstream understands. */
export function flinkIncompatibilities(statements: StatementText[]): FlinkIncompatibility[] {
  const out: FlinkIncompatibility[] = [];
  for (const s of statements) {
    const set = setStatement(s.text);
    if (set) {
      if (set.key.startsWith('tsstream.') && !(TARGET_KEYS as readonly string[]).includes(set.key)) {
        out.push({ item: `option '${set.key}'`, why: 'a tsstream option, unknown to Flink', ...where(s, s.text.indexOf(set.key)) });
      }
      continue;
    }
    // A function written in JavaScript (`CREATE FUNCTION f AS 'f.js' LANGUAGE JAVASCRIPT`): Flink runs Java, Scala and Python ones only.
    const udf = /^\s*CREATE\s+(?:TEMPORARY\s+)?(?:SYSTEM\s+)?FUNCTION\s+(?:IF\s+NOT\s+EXISTS\s+)?([^\s]+)\s+AS\s+'([^']*)'(?:\s+LANGUAGE\s+(\w+))?/i.exec(s.text);
    if (udf && (/^javascript$/i.test(udf[3] ?? '') || (!udf[3] && /\.(?:m?js|ts)$/i.test(udf[2])))) {
      out.push({ item: `function ${udf[1]} ('${udf[2]}')`, why: 'a JavaScript function, which only tsstream runs (Flink runs Java, Scala and Python functions)', ...where(s, s.text.search(/FUNCTION/i)) });
    }
    // Table options (WITH ( 'k' = 'v', … )) that only tsstream knows.
    const opt = /'([^'\n]+)'\s*=\s*'((?:[^']|'')*)'/g;
    for (let m = opt.exec(s.text); m; m = opt.exec(s.text)) {
      const [key, value] = [m[1], m[2]];
      if (key.startsWith('tsstream.')) out.push({ item: `option '${key}'`, why: 'a tsstream option, unknown to Flink', ...where(s, m.index) });
      if (key === 'connector' && TSSTREAM_ONLY_CONNECTORS[value.toLowerCase()]) {
        out.push({ item: `connector '${value}'`, why: `${TSSTREAM_ONLY_CONNECTORS[value.toLowerCase()]}, which Flink does not have`, ...where(s, m.index) });
      }
    }
  }
  return out;
}

/** One line per incompatibility, `FILE:LINE:COL: item: why`. */
export function incompatibilityText(items: FlinkIncompatibility[], file?: string): string {
  return items.map((i) => `${file ? `${file}:` : ''}${i.line}:${i.column}: ${i.item} would not run on Flink: ${i.why}`).join('\n');
}
