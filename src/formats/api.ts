// Formats turn message bytes or text lines into rows and back (json, csv, raw).
import type { OptionSpec } from '../common/options.js';
import type { Field, LogicalType, Row } from '../common/types.js';

/** Where a record came from, for error messages: "topic 'events' partition 0 offset 42", "file a.json line 3". */
export type RecordLocation = () => string;

export interface RowDecoder {
  /** The row, or null when the record is malformed and the format skips such records (counted by the caller). */
  decode(data: Uint8Array | string, where: RecordLocation): Row | null;
  /**
   * Formats that need something fetched before they can decode a record (avro-confluent: the
   * writer schema of the record's id, from the schema registry) return a promise here; the caller
   * awaits it before decode. Undefined when nothing is missing.
   */
  prepare?(data: Uint8Array | string, where: RecordLocation): Promise<void> | undefined;
}

export interface RowEncoder {
  encode(row: Row): Uint8Array | string;
  /** Awaited once before the first encode (avro-confluent registers its schema). */
  open?(): Promise<void>;
}

/** A changelog format's reader: one record stands for zero or more changes. */
export interface ChangelogDecoder {
  /**
   * The changes of one record: rows of the fields, then the requested metadata values, each row
   * marked with its kind (setRowKind); null when the record is malformed and the format skips it.
   */
  decode(data: Uint8Array | string, where: RecordLocation): Row[] | null;
  /** As RowDecoder.prepare (debezium-avro-confluent fetches writer schemas). */
  prepare?(data: Uint8Array | string, where: RecordLocation): Promise<void> | undefined;
}

/** A changelog format's writer: the row's kind (rowKindOf) says which change it is. */
export interface ChangelogEncoder {
  encode(row: Row): Uint8Array | string;
  /** As RowEncoder.open (debezium-avro-confluent registers its schema). */
  open?(): Promise<void>;
}

export interface ChangelogFormat {
  /** Metadata the format reads from a record ('source.table' of debezium-json), with types. */
  metadata: Record<string, LogicalType>;
  createDecoder(fields: Field[], options: Record<string, string>, metadataKeys: string[]): ChangelogDecoder;
  createEncoder(fields: Field[], options: Record<string, string>): ChangelogEncoder;
}

export interface FormatFactory {
  identifier: string;
  /** Keys without the format prefix: 'fail-on-missing-field' for 'json.fail-on-missing-field'. */
  options: readonly OptionSpec[];
  /** `options` holds the format's own keys with the prefix removed. */
  createDecoder(fields: Field[], options: Record<string, string>): RowDecoder;
  createEncoder(fields: Field[], options: Record<string, string>): RowEncoder;
  /** Set by the changelog formats (debezium-json, canal-json, maxwell-json): their records are changes, not rows. */
  changelog?: ChangelogFormat;
}
