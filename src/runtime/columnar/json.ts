// The JSON format read straight into columns: one record a line, only the projected fields,
// strings looked up in a dictionary by their bytes (no string is built for a value seen before).
// The fast path takes plain records (printable ASCII, no escapes, no nested values); any other
// record, and any value its converter refuses, goes to the row decoder, so the values and errors
// are the row path's by construction.
import { isIntegral, isTimestamp, type Field, type LogicalType, type Row } from '../../common/types.js';
import { isNanosType } from '../../common/nanos.js';
import { JSON_NUMBER, type JsonRowDecoder } from '../../formats/json.js';
import { EXACT_NUMBER_TEXT_LENGTH } from '../../formats/common.js';
import { DictionaryBuilder, NumberBuilder, ValueBuilder, type ColumnBatch, type ColumnBuilder } from './batch.js';

type Conv = (v: unknown) => unknown;

/** Dictionaries larger than this stop growing: the column is read as plain strings from the next batch on. */
const DICTIONARY_LIMIT = 1 << 16;

/** Types a NumberBuilder holds (a double each; a BIGINT beyond 2^53 goes to its exact side map; DECIMAL and TIMESTAMP(7..9), a bigint, never). */
function numberKind(t: LogicalType): boolean {
  return isIntegral(t) || t.kind === 'FLOAT' || t.kind === 'DOUBLE' || t.kind === 'DATE' || t.kind === 'TIME' || (isTimestamp(t) && !isNanosType(t));
}

/** Open addressing from a string's bytes to its dictionary code. */
class ByteDictionary {
  private table = new Int32Array(1024).fill(-1);
  private hashes = new Int32Array(1024);
  private starts: number[] = [];
  private lens: number[] = [];
  private codes: number[] = [];
  private pool = Buffer.allocUnsafe(4096);
  private poolLen = 0;

  constructor(readonly builder: DictionaryBuilder) {}

  get size(): number {
    return this.codes.length;
  }

  lookup(buf: Buffer, s: number, e: number, h: number): number {
    const len = e - s;
    let mask = this.table.length - 1;
    let slot = h & mask;
    for (;;) {
      const k = this.table[slot];
      if (k < 0) break;
      if (this.hashes[slot] === h && this.lens[k] === len) {
        const p = this.starts[k];
        const pool = this.pool;
        let j = 0;
        while (j < len && pool[p + j] === buf[s + j]) j++;
        if (j === len) return this.codes[k];
      }
      slot = (slot + 1) & mask;
    }
    // New: its string (ASCII: latin1 is its UTF-8 reading) and its code.
    const code = this.builder.code(buf.toString('latin1', s, e));
    const k = this.codes.length;
    if (this.poolLen + len > this.pool.length) {
      const g = Buffer.allocUnsafe(Math.max(this.pool.length * 2, this.poolLen + len));
      this.pool.copy(g, 0, 0, this.poolLen);
      this.pool = g;
    }
    buf.copy(this.pool, this.poolLen, s, e);
    this.starts.push(this.poolLen);
    this.lens.push(len);
    this.codes.push(code);
    this.poolLen += len;
    this.table[slot] = k;
    this.hashes[slot] = h;
    if (k * 2 >= this.table.length) {
      const old = this.table;
      const oldH = this.hashes;
      this.table = new Int32Array(old.length * 2).fill(-1);
      this.hashes = new Int32Array(old.length * 2);
      mask = this.table.length - 1;
      for (let i = 0; i < old.length; i++) {
        if (old[i] < 0) continue;
        let t = oldH[i] & mask;
        while (this.table[t] >= 0) t = (t + 1) & mask;
        this.table[t] = old[i];
        this.hashes[t] = oldH[i];
      }
    }
    return code;
  }
}

export class JsonColumnReader {
  private readonly n: number;
  private readonly names: Uint8Array[];
  /** 1: the field name is printable ASCII without a quote or backslash (its bytes are its JSON text). */
  private readonly plainName: Uint8Array;
  private readonly byLen: (number[] | undefined)[] = [];
  private readonly convs: Conv[];
  private readonly stringKind: boolean[];
  private readonly doubleKind: boolean[];
  private readonly bigintKind: boolean[];
  private readonly numberKind: boolean[];
  private readonly builders: ColumnBuilder[];
  /** Per string field while its dictionary is in use. */
  private readonly dicts: (ByteDictionary | undefined)[];
  private readonly failOnMissing: boolean;
  // One record's values before they are appended (a record the fast path gives up on leaves no trace).
  private readonly seen: Int32Array;
  /** 1: a STRING field nothing reads (skipStrings). */
  private readonly skip: Uint8Array;
  private readonly vals: unknown[];
  private readonly codes: Int32Array;
  private stamp = 0;
  /** TIMESTAMP fields: the first 16 bytes (date, hour, minute) of the last value read, and its micros without seconds. */
  private readonly tsPrefix: (Buffer | undefined)[];
  private readonly tsBase: Float64Array;
  private rows = 0;

  private constructor(
    fields: Field[],
    private readonly decoder: JsonRowDecoder,
    flat: NonNullable<ReturnType<JsonRowDecoder['flatConverters']>>,
  ) {
    this.n = fields.length;
    this.names = fields.map((f) => Buffer.from(f.name, 'utf8'));
    this.names.forEach((b, i) => (this.byLen[b.length] ??= []).push(i));
    this.plainName = Uint8Array.from(this.names, (b) => (b.every((x) => x >= 32 && x < 128 && x !== 34 && x !== 92) ? 1 : 0));
    this.convs = flat.convs;
    this.stringKind = flat.stringKind;
    this.doubleKind = flat.doubleKind;
    this.numberKind = fields.map((f) => numberKind(f.type));
    this.failOnMissing = flat.failOnMissing;
    this.bigintKind = flat.bigintKind;
    this.dicts = new Array(this.n).fill(undefined);
    this.builders = fields.map((_, i) => {
      if (this.stringKind[i]) {
        const b = new DictionaryBuilder();
        this.dicts[i] = new ByteDictionary(b);
        return b;
      }
      return this.numberKind[i] ? new NumberBuilder() : new ValueBuilder();
    });
    this.seen = new Int32Array(this.n);
    this.skip = new Uint8Array(this.n);
    this.vals = new Array(this.n).fill(null);
    this.codes = new Int32Array(this.n);
    this.tsPrefix = fields.map((f) => (f.type.kind === 'TIMESTAMP' && !isNanosType(f.type) ? Buffer.alloc(16) : undefined));
    this.tsBase = new Float64Array(this.n).fill(NaN);
  }

  /**
   * STRING fields at these indices are not looked up: a plain JSON string there is checked and
   * read as NULL (any other value still goes through the converter or the row decoder, so which
   * records are read or refused does not change). For fields nothing downstream reads.
   */
  skipStrings(fields: ReadonlySet<number>): void {
    for (const k of fields) if (k < this.n && this.stringKind[k]) this.skip[k] = 1;
  }

  /** A reader for the decoder's fields, or undefined when they are not flat. */
  static create(fields: Field[], decoder: JsonRowDecoder): JsonColumnReader | undefined {
    const flat = decoder.flatConverters();
    if (!flat) return undefined;
    return new JsonColumnReader(fields, decoder, flat);
  }

  get length(): number {
    return this.rows;
  }

  /**
   * Reads the record in buf[s, e) into the columns. False when the fast path does not take it
   * (the caller then hands it to addRow through the row decoder).
   */
  addLine(buf: Buffer, s: number, e: number): boolean {
    const n = this.n;
    const stamp = ++this.stamp;
    const seen = this.seen;
    const vals = this.vals;
    const codes = this.codes;
    let i = s;
    let c = buf[i];
    while (c === 32) c = buf[++i];
    if (c !== 123) return false;
    c = buf[++i];
    while (c === 32) c = buf[++i];
    let predicted = 0;
    if (c !== 125) {
      for (;;) {
        if (c !== 34) return false;
        const ks = i + 1;
        let ke = ks;
        let fi = -1;
        // The expected next key (fields usually come in the same order): its bytes then a quote.
        if (predicted < n && this.plainName[predicted] !== 0) {
          const name = this.names[predicted];
          const end = ks + name.length;
          if (end < e && buf[end] === 34 && sameBytes(buf, ks, name)) {
            fi = predicted;
            ke = end;
          }
        }
        if (fi < 0) {
          for (; ke < e; ke++) {
            const b = buf[ke];
            if (b === 34) break;
            if (b < 32 || b >= 128 || b === 92) return false;
          }
          if (ke >= e) return false;
          const kl = ke - ks;
          if (predicted < n && this.names[predicted].length === kl && sameBytes(buf, ks, this.names[predicted])) fi = predicted;
          else {
            const bucket = kl < this.byLen.length ? this.byLen[kl] : undefined;
            if (bucket !== undefined) {
              for (let b = 0; b < bucket.length; b++) {
                if (sameBytes(buf, ks, this.names[bucket[b]])) {
                  fi = bucket[b];
                  break;
                }
              }
            }
          }
        }
        if (fi >= 0) predicted = fi + 1;
        i = ke + 1;
        c = buf[i];
        while (c === 32) c = buf[++i];
        if (c !== 58) return false;
        c = buf[++i];
        while (c === 32) c = buf[++i];
        if (c === 34) {
          const vs = i + 1;
          let ve = vs;
          let h = -2128831035;
          if (fi >= 0 && this.tsPrefix[fi] !== undefined && this.skip[fi] === 0 && vs + 23 < e && buf[vs + 23] === 34 && this.cachedTimestamp(fi, buf, vs)) {
            // A timestamp of the cached minute: every byte was checked by the comparison and the seconds' parse.
            seen[fi] = stamp;
            codes[fi] = -1;
            i = vs + 24;
            if (i > e) return false;
            c = buf[i];
            while (c === 32) c = buf[++i];
            if (c === 44) {
              c = buf[++i];
              while (c === 32) c = buf[++i];
              continue;
            }
            if (c === 125) break;
            return false;
          }
          if (fi >= 0 && this.skip[fi] === 0 && this.dicts[fi] !== undefined) {
            // A dictionary string: its hash on the way.
            for (; ve < e; ve++) {
              const b = buf[ve];
              if (b === 34) break;
              if (b < 32 || b >= 128 || b === 92) return false;
              h = Math.imul(h ^ b, 16777619);
            }
          } else {
            for (; ve < e; ve++) {
              const b = buf[ve];
              if (b === 34) break;
              if (b < 32 || b >= 128 || b === 92) return false;
            }
          }
          if (ve >= e) return false;
          if (fi >= 0 && this.skip[fi] !== 0) {
            seen[fi] = stamp;
            codes[fi] = -1;
            vals[fi] = null;
          } else if (fi >= 0) {
            seen[fi] = stamp;
            const d = this.dicts[fi];
            if (d !== undefined) codes[fi] = d.lookup(buf, vs, ve, h);
            else if (this.tsPrefix[fi] !== undefined && ve - vs === 23 && this.cachedTimestamp(fi, buf, vs)) codes[fi] = -1;
            else {
              const text = buf.toString('latin1', vs, ve);
              codes[fi] = -1;
              if (this.stringKind[fi]) vals[fi] = text;
              else {
                try {
                  vals[fi] = this.convs[fi](text);
                } catch {
                  return false; // the row decoder says why (or skips the record)
                }
                if (this.tsPrefix[fi] !== undefined && ve - vs === 23) this.rememberTimestamp(fi, buf, vs, vals[fi]);
              }
            }
          }
          i = ve + 1;
        } else if ((c >= 48 && c <= 57) || c === 45) {
          const vs = i;
          c = buf[++i];
          while ((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45) c = buf[++i];
          if (fi >= 0) {
            const text = buf.toString('latin1', vs, i);
            if (!JSON_NUMBER.test(text)) return false;
            seen[fi] = stamp;
            codes[fi] = -1;
            if (this.stringKind[fi]) vals[fi] = text; // a number in a STRING column keeps its text
            else {
              if (text.length > EXACT_NUMBER_TEXT_LENGTH && !this.doubleKind[fi]) return false; // exact long numbers: the row path
              const v = Number(text);
              // As the row decoder's put(): numbers taken as they are where the column's kind allows.
              if (this.doubleKind[fi] || (this.bigintKind[fi] && Number.isSafeInteger(v))) vals[fi] = v;
              else try {
                vals[fi] = this.convs[fi](v);
              } catch {
                return false;
              }
            }
          } else if (!JSON_NUMBER.test(buf.toString('latin1', vs, i))) return false;
        } else if (c === 116 && buf[i + 1] === 114 && buf[i + 2] === 117 && buf[i + 3] === 101) {
          if (fi >= 0 && !this.setLiteral(fi, true, stamp)) return false;
          i += 4;
        } else if (c === 102 && buf[i + 1] === 97 && buf[i + 2] === 108 && buf[i + 3] === 115 && buf[i + 4] === 101) {
          if (fi >= 0 && !this.setLiteral(fi, false, stamp)) return false;
          i += 5;
        } else if (c === 110 && buf[i + 1] === 117 && buf[i + 2] === 108 && buf[i + 3] === 108) {
          if (fi >= 0) {
            seen[fi] = stamp;
            codes[fi] = -1;
            vals[fi] = null;
          }
          i += 4;
        } else return false; // nested values, malformed text
        if (i > e) return false;
        c = buf[i];
        while (c === 32) c = buf[++i];
        if (c === 44) {
          c = buf[++i];
          while (c === 32) c = buf[++i];
          continue;
        }
        if (c === 125) break;
        return false;
      }
    }
    i++;
    c = buf[i];
    while (i < e && c === 32) c = buf[++i];
    if (i !== e) return false;
    for (let k = 0; k < n; k++) {
      if (seen[k] !== stamp) {
        if (this.failOnMissing) return false;
        codes[k] = -1;
        vals[k] = null;
      }
    }
    // Append.
    const builders = this.builders;
    for (let k = 0; k < n; k++) {
      const code = codes[k];
      if (code >= 0) (builders[k] as DictionaryBuilder).pushCode(code);
      else builders[k].push(vals[k]);
    }
    this.rows++;
    return true;
  }

  /**
   * `yyyy-MM-dd?HH:mm:ss.SSS` whose first 16 bytes are those of the last such TIMESTAMP the
   * converter read: that value's date-and-minute part plus these seconds and millis (the same sum
   * the converter computes). False when the text does not have that shape.
   */
  private cachedTimestamp(fi: number, buf: Buffer, at: number): boolean {
    const prefix = this.tsPrefix[fi]!;
    if (this.tsBase[fi] !== this.tsBase[fi]) return false;
    for (let j = 0; j < 16; j++) if (buf[at + j] !== prefix[j]) return false;
    const tail = secondsAndMillis(buf, at);
    if (tail < 0) return false;
    this.vals[fi] = this.tsBase[fi] + tail;
    return true;
  }

  private rememberTimestamp(fi: number, buf: Buffer, at: number, v: unknown): void {
    const tail = secondsAndMillis(buf, at);
    if (typeof v !== 'number' || tail < 0) return;
    buf.copy(this.tsPrefix[fi]!, 0, at, at + 16);
    this.tsBase[fi] = v - tail;
  }

  private setLiteral(fi: number, v: boolean, stamp: number): boolean {
    this.seen[fi] = stamp;
    this.codes[fi] = -1;
    try {
      this.vals[fi] = this.convs[fi](v);
    } catch {
      return false;
    }
    return true;
  }

  /** Appends a row the row decoder read. */
  addRow(row: Row): void {
    for (let k = 0; k < this.n; k++) this.builders[k].push(row[k]);
    this.rows++;
  }

  /** The columns read since the last finish(). */
  finish(): ColumnBatch {
    const length = this.rows;
    const columns = this.builders.map((b) => b.finish(length));
    this.rows = 0;
    for (let k = 0; k < this.n; k++) {
      const d = this.dicts[k];
      if (d !== undefined && d.size > DICTIONARY_LIMIT) {
        // Too many distinct values to be worth a dictionary: plain strings from now on.
        this.dicts[k] = undefined;
        this.builders[k] = new ValueBuilder();
      }
    }
    return { length, columns };
  }

  /** The row decoder the records outside the fast path go to. */
  get rowDecoder(): JsonRowDecoder {
    return this.decoder;
  }
}

/** Micros of `:ss.SSS` at at+16 (seconds 00–59), or -1. */
function secondsAndMillis(buf: Buffer, at: number): number {
  if (buf[at + 16] !== 58 || buf[at + 19] !== 46) return -1;
  const s1 = buf[at + 17] - 48;
  const s2 = buf[at + 18] - 48;
  const f1 = buf[at + 20] - 48;
  const f2 = buf[at + 21] - 48;
  const f3 = buf[at + 22] - 48;
  if (!(s1 >= 0 && s1 <= 5 && s2 >= 0 && s2 <= 9 && f1 >= 0 && f1 <= 9 && f2 >= 0 && f2 <= 9 && f3 >= 0 && f3 <= 9)) return -1;
  return (s1 * 10 + s2) * 1_000_000 + f1 * 100_000 + f2 * 10_000 + f3 * 1000;
}

function sameBytes(buf: Buffer, at: number, name: Uint8Array): boolean {
  for (let j = 0; j < name.length; j++) if (buf[at + j] !== name[j]) return false;
  return true;
}
