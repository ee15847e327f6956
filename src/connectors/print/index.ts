// The 'print' connector, as Flink's: every row as `+I[v1, v2, …]` on stdout (or stderr with
// standard-error), prefixed with `<print-identifier>> ` when one is given. Values print as
// Flink's Row.toString prints the external Java objects: TIMESTAMP as LocalDateTime
// (`2025-12-29T10:00`, `2025-12-29T10:00:10.500`), TIMESTAMP_LTZ as Instant
// (`2025-12-29T10:00:00Z`), DOUBLE as Java (`1.0`, `1.0E10`), DECIMAL with its scale, BYTES as
// `[1, 2]`, ARRAY as `[a, b]`, MAP as `{k=v}`, ROW as `+I[…]`, NULL as `null`.
import { instantJavaNanos, isNanosType, localDateTimeJavaNanos } from '../../common/nanos.js';
import type { ConnectorFactory, DynamicSink, RuntimeContext, TableDescriptor } from '../../common/connector.js';
import { getOption, validateOptions, type OptionSpec } from '../../common/options.js';
import { rowKindOf, type LogicalType, type Row } from '../../common/types.js';
import { decimalJava, javaDoubleToString, javaFloatToString } from '../../formats/javafmt.js';
import { formatDateIso, formatInstantJava, formatLocalDateTimeJava, formatTimeJava } from '../../formats/temporal.js';
import { withoutConnector } from '../filesystem/options.js';

export const PRINT_OPTIONS: readonly OptionSpec[] = [
  { key: 'print-identifier', type: 'string', description: 'A prefix for every printed line: `<identifier>> +I[…]`' },
  { key: 'standard-error', type: 'boolean', default: 'false', description: 'Print to standard error instead of standard output' },
  { key: 'sink.parallelism', type: 'int', description: 'Accepted for compatibility with Flink; tsstream prints from one writer' },
];

/** Where printed lines go (anything with write(string)); process.stdout/stderr by default. */
export interface PrintOutput {
  write(text: string): unknown;
}

type ToText = (v: unknown) => string;

/** How Flink prints a value of this type in a `+I[…]` row (Java toString of the external object). */
export function javaValueText(t: LogicalType): ToText {
  const inner = javaNotNullText(t);
  return (v) => (v === null || v === undefined ? 'null' : inner(v));
}

function javaNotNullText(t: LogicalType): ToText {
  switch (t.kind) {
    case 'FLOAT':
      return (v) => javaFloatToString(v as number);
    case 'DOUBLE':
      return (v) => javaDoubleToString(v as number);
    case 'DECIMAL': {
      const scale = t.scale;
      return (v) => decimalJava(v as number | bigint, scale); // BigDecimal.toString of the unscaled value
    }
    case 'DATE':
      return (v) => formatDateIso(v as number);
    case 'TIME':
      return (v) => formatTimeJava(v as number);
    case 'TIMESTAMP':
      if (isNanosType(t)) return (v) => localDateTimeJavaNanos(v as bigint);
      return (v) => formatLocalDateTimeJava(v as number);
    case 'TIMESTAMP_LTZ':
      if (isNanosType(t)) return (v) => instantJavaNanos(v as bigint);
      return (v) => formatInstantJava(v as number);
    case 'BINARY':
    case 'VARBINARY':
      // byte[] printed by arrayAwareToString: signed bytes
      return (v) => '[' + Array.from(v as Uint8Array, (b) => String((b << 24) >> 24)).join(', ') + ']';
    case 'ARRAY': {
      const el = javaValueText(t.element);
      return (v) => '[' + (v as unknown[]).map(el).join(', ') + ']';
    }
    case 'MAP': {
      const kt = javaValueText(t.key);
      const vt = javaValueText(t.value);
      return (v) => {
        const parts: string[] = [];
        for (const [k, val] of v as Map<unknown, unknown>) parts.push(kt(k) + '=' + vt(val));
        return '{' + parts.join(', ') + '}';
      };
    }
    case 'ROW': {
      const fs = t.fields.map((f) => javaValueText(f.type));
      return (v) => '+I[' + (v as unknown[]).map((x, i) => (fs[i] ?? String)(x)).join(', ') + ']';
    }
    default:
      return (v) => String(v);
  }
}

export class PrintSink implements DynamicSink {
  readonly transactional = false;
  private readonly texts: ToText[];
  private readonly prefix: string;

  constructor(
    table: TableDescriptor,
    private readonly out: PrintOutput,
  ) {
    this.texts = table.physical.map((f) => javaValueText(f.type));
    const id = table.options['print-identifier'];
    this.prefix = id !== undefined && id !== '' ? `${id}> ` : '';
  }

  async open(_ctx: RuntimeContext): Promise<void> {}

  /** One row as Flink prints it, without the identifier prefix. */
  rowText(row: Row): string {
    let s = rowKindOf(row) + '[';
    const t = this.texts;
    for (let i = 0; i < t.length; i++) s += (i ? ', ' : '') + t[i](row[i]);
    return s + ']';
  }

  async write(rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    let s = '';
    for (const r of rows) s += this.prefix + this.rowText(r) + '\n';
    this.out.write(s);
  }

  async prepareCommit(_checkpointId?: number): Promise<null> {
    return null;
  }

  async commit(): Promise<void> {}

  async close(): Promise<void> {}
}

/** A print factory writing to the given streams (tests inject their own). */
export function createPrintFactory(streams: { stdout?: PrintOutput; stderr?: PrintOutput } = {}): ConnectorFactory {
  return {
    identifier: 'print',
    description: "Prints every row to standard output as Flink does (`+I[…]`, and -U/+U for updates)",
    options: PRINT_OPTIONS,
    sinkChangelogMode: 'all',
    createSink(table: TableDescriptor): DynamicSink {
      validateOptions(`connector 'print' (table ${table.path.table})`, withoutConnector(table.options), PRINT_OPTIONS);
      const stdErr = getOption(table.options, PRINT_OPTIONS, 'standard-error')!.trim().toLowerCase() === 'true';
      const out = stdErr ? (streams.stderr ?? process.stderr) : (streams.stdout ?? process.stdout);
      return new PrintSink(table, out);
    },
  };
}

export const printFactory: ConnectorFactory = createPrintFactory();
