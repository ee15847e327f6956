// The `raw` format, as Flink's: the whole record is the value of the table's single column.
// STRING/VARCHAR/CHAR (decoded with raw.charset) and BYTES/VARBINARY/BINARY as is; also the
// fixed-width numeric types and BOOLEAN in raw.endianness, as Flink supports them.
import { canonical, type Exact } from '../common/exact.js';
import { ConnectorError, ValidationError } from '../common/errors.js';
import type { OptionSpec } from '../common/options.js';
import { formatType, type Field, type Row } from '../common/types.js';
import type { FormatFactory, RecordLocation, RowDecoder, RowEncoder } from './api.js';
import { formatOptions } from './common.js';

export const RAW_OPTIONS: readonly OptionSpec[] = [
  { key: 'charset', type: 'string', default: 'UTF-8', description: 'Charset of text values' },
  { key: 'endianness', type: 'enum', values: ['big-endian', 'little-endian'], default: 'big-endian', description: 'Byte order of numeric values' },
];

const WIDTH: Record<string, number> = { BOOLEAN: 1, TINYINT: 1, SMALLINT: 2, INT: 4, BIGINT: 8, FLOAT: 4, DOUBLE: 8 };

function check(fields: Field[], options: Record<string, string>) {
  const o = formatOptions('raw', options, RAW_OPTIONS);
  if (fields.length !== 1) {
    throw new ValidationError(`The 'raw' format only supports a table with a single physical column, but the table has ${fields.length}: ${fields.map((f) => f.name).join(', ')}`);
  }
  const t = fields[0].type;
  const ok = ['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY', ...Object.keys(WIDTH)].includes(t.kind);
  if (!ok) throw new ValidationError(`The 'raw' format doesn't support type ${formatType(t)} (column '${fields[0].name}')`);
  const charset = o.str('charset')!.toLowerCase().replace(/[-_]/g, '');
  const enc = charset === 'utf8' ? 'utf-8' : charset === 'usascii' || charset === 'ascii' ? 'ascii' : charset === 'iso88591' || charset === 'latin1' ? 'latin1' : charset === 'utf16le' ? 'utf-16le' : undefined;
  if (!enc) throw new ValidationError(`Unsupported charset '${o.str('charset')}' for the 'raw' format`);
  return { kind: t.kind, little: o.str('endianness') === 'little-endian', charset: enc as BufferEncoding };
}

export const rawFormat: FormatFactory = {
  identifier: 'raw',
  options: RAW_OPTIONS,
  createDecoder(fields, options): RowDecoder {
    const { kind, little, charset } = check(fields, options);
    const isText = kind === 'CHAR' || kind === 'VARCHAR';
    const isBytes = kind === 'BINARY' || kind === 'VARBINARY';
    const textDecoder = charset === 'utf-8' ? new TextDecoder('utf-8') : undefined;
    return {
      decode(data: Uint8Array | string, where: RecordLocation): Row | null {
        if (isText) {
          if (typeof data === 'string') return [data];
          return [textDecoder ? textDecoder.decode(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString(charset)];
        }
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
        if (isBytes) return [bytes];
        const w = WIDTH[kind];
        if (bytes.byteLength === 0) return [null];
        if (bytes.byteLength !== w) throw new ConnectorError(`raw format: expected ${w} bytes for ${kind} but got ${bytes.byteLength} at ${where()}`);
        const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        switch (kind) {
          case 'BOOLEAN':
            return [dv.getUint8(0) !== 0];
          case 'TINYINT':
            return [dv.getInt8(0)];
          case 'SMALLINT':
            return [dv.getInt16(0, little)];
          case 'INT':
            return [dv.getInt32(0, little)];
          case 'BIGINT':
            return [canonical(dv.getBigInt64(0, little))];
          case 'FLOAT':
            return [dv.getFloat32(0, little)];
          default:
            return [dv.getFloat64(0, little)];
        }
      },
    };
  },
  createEncoder(fields, options): RowEncoder {
    const { kind, little, charset } = check(fields, options);
    return {
      encode(row: Row): Uint8Array | string {
        const v = row[0];
        if (v === null || v === undefined) return new Uint8Array(0);
        if (kind === 'CHAR' || kind === 'VARCHAR') return charset === 'utf-8' ? (v as string) : new Uint8Array(Buffer.from(v as string, charset));
        if (kind === 'BINARY' || kind === 'VARBINARY') return v as Uint8Array;
        const out = new Uint8Array(WIDTH[kind]);
        const dv = new DataView(out.buffer);
        const n = v as number;
        switch (kind) {
          case 'BOOLEAN':
            dv.setUint8(0, v ? 1 : 0);
            break;
          case 'TINYINT':
            dv.setInt8(0, n);
            break;
          case 'SMALLINT':
            dv.setInt16(0, n, little);
            break;
          case 'INT':
            dv.setInt32(0, n, little);
            break;
          case 'BIGINT':
            dv.setBigInt64(0, BigInt(v as Exact), little);
            break;
          case 'FLOAT':
            dv.setFloat32(0, n, little);
            break;
          default:
            dv.setFloat64(0, n, little);
        }
        return out;
      },
    };
  },
};
