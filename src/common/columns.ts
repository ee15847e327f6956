// The columnar batch layout (see src/runtime/columnar/batch.ts): declared here so that the
// connector interface (SourceBatch) can carry a batch without depending on the runtime.

/**
 * A column of numbers (DOUBLE, INT, BIGINT, TIMESTAMP micros…) in a Float64Array. A value that is
 * not a number (a bigint beyond 2^53, a decimal object) is kept as it is in `others` at its index.
 */
export interface NumberVector {
  kind: 'number';
  values: Float64Array;
  /** Bit i set: row i is not NULL (LSB first, as Arrow's validity bitmap). */
  valid: Uint8Array;
  others?: Map<number, unknown>;
}

/** A string column as codes into a dictionary (the same string object for every repeat). */
export interface DictionaryVector {
  kind: 'dictionary';
  codes: Int32Array;
  dictionary: string[];
  valid: Uint8Array;
}

/** Any other values (booleans, bytes, decimals, strings without a dictionary), one per row. */
export interface ValueVector {
  kind: 'value';
  values: unknown[];
}

export type Vector = NumberVector | DictionaryVector | ValueVector;

export interface ColumnBatch {
  length: number;
  columns: Vector[];
}

