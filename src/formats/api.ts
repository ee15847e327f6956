// Formats turn message bytes or text lines into rows and back (json, csv, raw).
import type { OptionSpec } from '../common/options.js';
import type { Field, Row } from '../common/types.js';

/** Where a record came from, for error messages: "topic 'events' partition 0 offset 42", "file a.json line 3". */
export type RecordLocation = () => string;

export interface RowDecoder {
  /** The row, or null when the record is malformed and the format skips such records (counted by the caller). */
  decode(data: Uint8Array | string, where: RecordLocation): Row | null;
}

export interface RowEncoder {
  encode(row: Row): Uint8Array | string;
}

export interface FormatFactory {
  identifier: string;
  /** Keys without the format prefix: 'fail-on-missing-field' for 'json.fail-on-missing-field'. */
  options: readonly OptionSpec[];
  /** `options` holds the format's own keys with the prefix removed. */
  createDecoder(fields: Field[], options: Record<string, string>): RowDecoder;
  createEncoder(fields: Field[], options: Record<string, string>): RowEncoder;
}
