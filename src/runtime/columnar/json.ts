// The JSON format read straight into columns: one record a line, only the projected fields,
// strings looked up in a dictionary by their bytes (no string is built for a value seen before).
// The fast path takes plain records (printable ASCII, no escapes, no nested values); any other
// record, and any value its converter refuses, goes to the row decoder, so the values and errors
// are the row path's by construction.
import { isIntegral, isTimestamp, type Field, type LogicalType, type Row } from '../../common/types.js';
import { isNanosType } from '../../common/nanos.js';
import { JSON_NUMBER, type JsonRowDecoder } from '../../formats/json.js';
import { EXACT_NUMBER_TEXT_LENGTH } from '../../formats/common.js';
import { DictionaryBuilder, NumberBuilder, ValueBuilder, type ColumnBatch, type ColumnBuilder, type DictionaryVector } from './batch.js';

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
  /** Per field: its dictionary code, NUMBER_CODE (the value is in nums) or -1 (in vals). */
  private readonly codes: Int32Array;
  private readonly nums: Float64Array;
  private stamp = 0;
  /** 1: a TIMESTAMP field whose last values' minutes are cached (tsWords, tsBase). */
  private readonly tsField: Uint8Array;
  /**
   * TIMESTAMP fields: the first 16 bytes (date, hour, minute) of the last two minutes read, as two
   * doubles each (at fi * 4 + slot * 2), and their micros without seconds (at fi * 2 + slot; NaN: none).
   */
  private readonly tsWords: Float64Array;
  private readonly tsBase: Float64Array;
  /** The columns that are built (not skipped). */
  private live: Int32Array;
  private rows = 0;
  /** The record shape of recent lines, tried before the general scan; undefined until learned. */
  private shape: Shape | undefined;
  /** The shape's reader (compileShape): straight-line code for its separators and values. */
  private shaped: ShapedReader | undefined;
  /** Lines in a row the shape did not take (it is dropped at SHAPE_MISSES). */
  private shapeMisses = 0;
  /** A DataView of the last buffer read (word compares). */
  private dv: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private dvOf: Buffer | undefined;

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
    this.nums = new Float64Array(this.n);
    this.tsField = Uint8Array.from(fields, (f) => (f.type.kind === 'TIMESTAMP' && !isNanosType(f.type) ? 1 : 0));
    this.tsWords = new Float64Array(this.n * 4);
    this.tsBase = new Float64Array(this.n * 2).fill(NaN);
    this.live = Int32Array.from(fields.keys());
  }

  /**
   * STRING fields at these indices are not looked up: a plain JSON string there is checked and
   * read as NULL (any other value still goes through the converter or the row decoder, so which
   * records are read or refused does not change). For fields nothing downstream reads.
   */
  skipStrings(fields: ReadonlySet<number>): void {
    for (const k of fields) if (k < this.n && this.stringKind[k]) this.skip[k] = 1;
    // Nothing reads them: no values are built (the batch has an all-NULL column there).
    this.live = Int32Array.from([...this.live].filter((k) => this.skip[k] === 0));
    this.useShape(undefined);
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
    if (this.dvOf !== buf) {
      this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.dvOf = buf;
    }
    const shaped = this.shaped;
    if (shaped !== undefined) {
      if (shaped(buf, s, e, true, this.dv) >= 0) {
        this.rows++;
        this.shapeMisses = 0;
        return true;
      }
      if (++this.shapeMisses >= SHAPE_MISSES) this.useShape(undefined);
    }
    return this.addUnshaped(buf, s, e);
  }

  /**
   * The record starting at buf[s] when it has the learned shape and its line ends right after it
   * ('\n', '\r\n' or `end`, the end of the complete lines in buf): read into the columns; returns
   * where its line ends (the '\n', or `end`). -1 when not, nothing read: the caller finds the line's
   * end and calls addLine. (No part of a shaped record can be a line break: the caller need not look
   * for the line's end first.)
   */
  addShapedLine(buf: Buffer, s: number, end: number): number {
    const shaped = this.shaped;
    if (shaped === undefined) return -1;
    if (this.dvOf !== buf) {
      this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.dvOf = buf;
    }
    const nl = shaped(buf, s, end, false, this.dv);
    if (nl < 0) return -1;
    this.rows++;
    this.shapeMisses = 0;
    return nl;
  }

  /**
   * addShapedLine over the lines from buf[s], while they have the learned shape and start before
   * `limit`: where the first line not read starts (s when none was; `end` after the last). Each
   * record read is one line (length grows by the lines read).
   */
  addShapedLines(buf: Buffer, s: number, end: number, limit: number): number {
    const shaped = this.shaped;
    if (shaped === undefined) return s;
    if (this.dvOf !== buf) {
      this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.dvOf = buf;
    }
    const dv = this.dv;
    const rows0 = this.rows;
    let pos = s;
    while (pos < end && pos < limit) {
      const nl = shaped(buf, pos, end, false, dv);
      if (nl < 0) break;
      this.rows++;
      pos = nl < end ? nl + 1 : end;
    }
    if (this.rows !== rows0) this.shapeMisses = 0;
    return pos;
  }

  /** addLine without the learned shape: the general scan (then the shape is learned from the record when there is none). */
  private addUnshaped(buf: Buffer, s: number, e: number): boolean {
    if (!this.addScanned(buf, s, e)) return false;
    if (this.shape === undefined) this.useShape(this.learnShape(buf, s, e));
    return true;
  }

  /** addLine's general scan: any key order, whitespace, unknown keys, literals. */
  private addScanned(buf: Buffer, s: number, e: number): boolean {
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
          else fi = this.fieldIndex(buf, ks, ke);
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
          if (fi >= 0 && this.tsField[fi] !== 0 && this.skip[fi] === 0 && vs + 23 < e && buf[vs + 23] === 34 && this.cachedTimestamp(fi, buf, vs)) {
            // A timestamp of the cached minute: every byte was checked by the comparison and the seconds' parse.
            seen[fi] = stamp;
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
            else if (this.tsField[fi] !== 0 && ve - vs === 23 && this.cachedTimestamp(fi, buf, vs)) {
              // codes[fi] = NUMBER_CODE: the value is in nums
            } else {
              const text = buf.toString('latin1', vs, ve);
              codes[fi] = -1;
              if (this.stringKind[fi]) vals[fi] = text;
              else {
                try {
                  vals[fi] = this.convs[fi](text);
                } catch {
                  return false; // the row decoder says why (or skips the record)
                }
                if (this.tsField[fi] !== 0 && ve - vs === 23) this.rememberTimestamp(fi, buf, vs, vals[fi]);
              }
            }
          }
          i = ve + 1;
        } else if ((c >= 48 && c <= 57) || c === 45) {
          const vs = i;
          c = buf[++i];
          while ((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45) c = buf[++i];
          if (fi >= 0) {
            if (!this.readNumber(fi, buf, vs, i, stamp)) return false;
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
    return this.append(stamp, true);
  }

  /** A number's text at buf[vs, ve) into field fi (as the row decoder's put()); false: the row path. */
  private readNumber(fi: number, buf: Buffer, vs: number, ve: number, stamp: number): boolean {
    const text = buf.toString('latin1', vs, ve);
    if (!JSON_NUMBER.test(text)) return false;
    this.seen[fi] = stamp;
    this.codes[fi] = -1;
    if (this.stringKind[fi]) this.vals[fi] = text; // a number in a STRING column keeps its text
    else {
      if (text.length > EXACT_NUMBER_TEXT_LENGTH && !this.doubleKind[fi]) return false; // exact long numbers: the row path
      const v = Number(text);
      // As the row decoder's put(): numbers taken as they are where the column's kind allows.
      if (this.doubleKind[fi] || (this.bigintKind[fi] && Number.isSafeInteger(v))) this.vals[fi] = v;
      else
        try {
          this.vals[fi] = this.convs[fi](v);
        } catch {
          return false;
        }
    }
    return true;
  }

  /** Appends the record read under `stamp` (fields not seen are NULL, or refuse it with failOnMissing when `missing`). */
  private append(stamp: number, missing: boolean): boolean {
    const seen = this.seen;
    const codes = this.codes;
    const vals = this.vals;
    if (missing) {
      for (let k = 0; k < this.n; k++) {
        if (seen[k] !== stamp) {
          if (this.failOnMissing) return false;
          codes[k] = -1;
          vals[k] = null;
        }
      }
    }
    const builders = this.builders;
    const live = this.live;
    for (let j = 0; j < live.length; j++) {
      const k = live[j];
      const code = codes[k];
      if (code >= 0) (builders[k] as DictionaryBuilder).pushCode(code);
      else if (code === NUMBER_CODE) (builders[k] as NumberBuilder).pushNumber(this.nums[k]);
      else builders[k].push(vals[k]);
    }
    this.rows++;
    return true;
  }

  /** Takes `shape` as the learned shape (undefined: none), with its compiled reader. */
  private useShape(shape: Shape | undefined): void {
    this.shape = shape;
    this.shaped = shape === undefined ? undefined : this.compileShape(shape);
  }

  /**
   * The reader of records of `shape`, as straight-line code: `(buf, s, e, exact, dv)` reads the
   * record starting at buf[s] if it has the shape's bytes between its values and values of the
   * shape's kinds (what the general scan would read from it, read without looking at its keys) and
   * its line ends right after it (at e when `exact`; else '\n', '\r\n' or e, the end of the complete
   * lines in buf), and appends it to the columns (not counted in rows: the caller adds it). Returns
   * where its line ends (the '\n', or e), or -1 with nothing appended.
   */
  private compileShape(shape: Shape): ShapedReader | undefined {
    const { seps, fields, kinds } = shape;
    const present = new Uint8Array(this.n);
    for (const fi of fields) if (fi >= 0) present[fi] = 1;
    if (this.failOnMissing && present.some((x) => x === 0)) return undefined; // every record refused
    const K = {
      builders: this.builders,
      dicts: this.dicts,
      vals: this.vals,
      tsWords: this.tsWords,
      tsBase: this.tsBase,
      plain: PLAIN_BYTES,
      readNumber: (fi: number, buf: Buffer, vs: number, ve: number) => this.readNumber(fi, buf, vs, ve, this.stamp),
      isNumber: (buf: Buffer, vs: number, ve: number) => JSON_NUMBER.test(buf.toString('latin1', vs, ve)),
      lookup: (fi: number, buf: Buffer, vs: number, ve: number) => {
        let h = -2128831035;
        for (let j = vs; j < ve; j++) h = Math.imul(h ^ buf[j], 16777619);
        return this.dicts[fi]!.lookup(buf, vs, ve, h);
      },
    };
    const wordCodes: WordCodes[] = [];
    const code: string[] = ['let i = s, t = 0, c = 0, vs = 0;'];
    /** Per field: how its last value is appended (the last of a key given twice wins). */
    const last: string[] = new Array(this.n).fill('');
    for (let k = 0; ; k++) {
      const sep = seps[k];
      const L = sep.length;
      // The separator's bytes: as doubles where 8 of them fit (see Sep), else one by one.
      const tests: string[] = [];
      if (L < 8) for (let j = 0; j < L; j++) tests.push(`buf[i + ${j}] !== ${sep.bytes[j]}`);
      else {
        for (let j = 0; j < sep.words.length; j++) tests.push(`dv.getFloat64(i + ${j * 8}, true) !== ${sep.words[j]}`);
        if ((L & 7) !== 0) tests.push(`dv.getFloat64(i + ${L - 8}, true) !== ${sep.last}`);
      }
      code.push(`if (i + ${L} > e${tests.map((x) => ' || ' + x).join('')}) return -1;`, `i += ${L};`);
      if (k === fields.length) break;
      const fi = fields[k];
      const v = `v${k}`;
      switch (kinds[k]) {
        case V_TIMESTAMP: {
          // A TIMESTAMP of one of the two cached minutes (cachedTimestamp, inline).
          const w = fi << 2;
          const b = fi << 1;
          code.push(
            `if (i + 23 >= e) return -1;`,
            `const a${k} = dv.getFloat64(i, true), z${k} = dv.getFloat64(i + 8, true);`,
            `let ${v} = 0;`,
            `if (a${k} === TW[${w}] && z${k} === TW[${w + 1}]) ${v} = TB[${b}];`,
            `else if (a${k} === TW[${w + 2}] && z${k} === TW[${w + 3}]) ${v} = TB[${b + 1}];`,
            `else return -1;`,
            `if (${v} !== ${v} || buf[i + 16] !== 58 || buf[i + 19] !== 46) return -1;`,
            `{ const s1 = buf[i + 17] - 48, s2 = buf[i + 18] - 48, f1 = buf[i + 20] - 48, f2 = buf[i + 21] - 48, f3 = buf[i + 22] - 48;`,
            `if (!(s1 >= 0 && s1 <= 5 && s2 >= 0 && s2 <= 9 && f1 >= 0 && f1 <= 9 && f2 >= 0 && f2 <= 9 && f3 >= 0 && f3 <= 9)) return -1;`,
            `${v} += (s1 * 10 + s2) * 1000000 + f1 * 100000 + f2 * 10000 + f3 * 1000; }`,
            `i += 23;`,
          );
          last[fi] = `B${fi}.pushNumber(${v});`;
          break;
        }
        case V_NUMBER:
        case V_OTHER_NUMBER:
          code.push(
            `vs = i; c = buf[i];`,
            `while ((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45) c = buf[++i];`,
            `if (i > e) return -1;`,
            kinds[k] === V_NUMBER ? `if (!K.readNumber(${fi}, buf, vs, i)) return -1;` : `if (!K.isNumber(buf, vs, i)) return -1;`,
          );
          // readNumber left the value in vals (a later key of the field overwrites it there too).
          if (kinds[k] === V_NUMBER) last[fi] = `B${fi}.push(V[${fi}]);`;
          break;
        case V_DICTIONARY: {
          // The string's bytes up to its quote (PLAIN_BYTES: 0 plain, 1 the quote; the quote starts
          // the next separator). A string of up to 8 bytes is known by the 8 bytes that end it: the
          // separator's last bytes (the same in every record of the shape, the opening quote last)
          // and its own, so the word gives the string and its length (WordCodes).
          const words = new WordCodes();
          wordCodes.push(words);
          const sepLen = seps[k].length;
          code.push(
            `vs = i;`,
            `while ((t = P[buf[i]]) === 0) i++;`,
            `if (t !== 1 || i >= e) return -1;`,
            `let ${v} = -1;`,
            `if (i - vs <= 8 && i - vs + ${sepLen} >= 8) {`,
            `  const lo = dv.getInt32(i - 8, true), hi = dv.getInt32(i - 4, true);`,
            `  ${v} = W${wordCodes.length - 1}.code(lo, hi);`,
            `  if (${v} < 0) { ${v} = K.lookup(${fi}, buf, vs, i); W${wordCodes.length - 1}.add(lo, hi, ${v}); }`,
            `} else ${v} = K.lookup(${fi}, buf, vs, i);`,
          );
          last[fi] = `B${fi}.pushCode(${v});`;
          break;
        }
        default:
          code.push(`vs = i;`, `while ((t = P[buf[i]]) === 0) i++;`, `if (t !== 1 || i >= e) return -1;`);
          if (kinds[k] === V_STRING) {
            code.push(`const ${v} = buf.toString('latin1', vs, i);`);
            last[fi] = `B${fi}.push(${v});`;
          } else if (fi >= 0) last[fi] = ''; // a skipped field: NULL, nothing built
      }
    }
    code.push(
      `let nl = i;`,
      `if (exact) { if (i !== e) return -1; }`,
      `else if (i !== e && buf[i] !== 10) { if (buf[i] === 13 && (i + 1 === e || buf[i + 1] === 10)) nl = i + 1; else return -1; }`,
    );
    for (const fi of this.live) code.push(present[fi] === 0 ? `B${fi}.push(null);` : last[fi]);
    code.push('return nl;');
    const head = [
      'const P = K.plain, TW = K.tsWords, TB = K.tsBase, V = K.vals;',
      ...[...this.live].map((fi) => `const B${fi} = K.builders[${fi}];`),
      ...wordCodes.map((_, j) => `const W${j} = K.words[${j}];`),
    ];
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const factory = new Function('K', `"use strict"; ${head.join('\n')}\nreturn function shapedRecord(buf, s, e, exact, dv) {\n${code.join('\n')}\n};`);
    return factory({ ...K, words: wordCodes }) as ShapedReader;
  }

  /**
   * The shape of a record the general scan took (so plain: printable ASCII, no escapes): the
   * bytes around each value and how the value is read; undefined when a value is of a kind the
   * shaped read does not take (literals, a string for a non-string field other than a cached
   * TIMESTAMP).
   */
  private learnShape(buf: Buffer, s: number, e: number): Shape | undefined {
    const seps: Sep[] = [];
    const fields: number[] = [];
    const kinds: number[] = [];
    let from = s;
    let i = s + 1; // after the '{'
    for (;;) {
      while (buf[i] === 32) i++;
      if (buf[i] === 125) break;
      const ks = i + 1;
      const ke = buf.indexOf(34, ks);
      const fi = this.fieldIndex(buf, ks, ke);
      i = ke + 1;
      while (buf[i] === 32 || buf[i] === 58) i++;
      const c = buf[i];
      let kind: number;
      let vs = i;
      let ve: number;
      if (c === 34) {
        vs = i + 1;
        ve = buf.indexOf(34, vs);
        if (fi < 0 || this.skip[fi] !== 0) kind = V_SKIPPED_STRING;
        else if (this.dicts[fi] !== undefined) kind = V_DICTIONARY;
        else if (this.stringKind[fi]) kind = V_STRING;
        else if (this.tsField[fi] !== 0 && ve - vs === 23 && this.tsBase[fi << 1] === this.tsBase[fi << 1]) kind = V_TIMESTAMP;
        else return undefined;
        i = ve + 1;
      } else if ((c >= 48 && c <= 57) || c === 45) {
        ve = i + 1;
        while (buf[ve] !== 44 && buf[ve] !== 125 && buf[ve] !== 32) ve++;
        kind = fi >= 0 ? V_NUMBER : V_OTHER_NUMBER;
        i = ve;
      } else return undefined;
      seps.push(separator(buf, from, vs));
      fields.push(fi);
      kinds.push(kind);
      from = ve;
      while (buf[i] === 32) i++;
      if (buf[i] === 125) break;
      i++; // ','
    }
    seps.push(separator(buf, from, e));
    return { seps, fields: Int32Array.from(fields), kinds: Uint8Array.from(kinds) };
  }

  /** The field named by the key bytes buf[ks, ke), or -1. */
  private fieldIndex(buf: Buffer, ks: number, ke: number): number {
    const bucket = ke - ks < this.byLen.length ? this.byLen[ke - ks] : undefined;
    if (bucket !== undefined) for (const k of bucket) if (sameBytes(buf, ks, this.names[k])) return k;
    return -1;
  }

  /**
   * `yyyy-MM-dd?HH:mm:ss.SSS` whose first 16 bytes are those of the last such TIMESTAMP the
   * converter read: that value's date-and-minute part plus these seconds and millis (the same sum
   * the converter computes). False when the text does not have that shape.
   */
  private cachedTimestamp(fi: number, buf: Buffer, at: number): boolean {
    const dv = this.dv;
    const w = this.tsWords;
    const b = fi << 2;
    // Printable ASCII read as doubles (never NaN nor ±0): equal doubles are equal bytes.
    const a0 = dv.getFloat64(at, true);
    const a1 = dv.getFloat64(at + 8, true);
    let base: number;
    if (a0 === w[b] && a1 === w[b + 1]) base = this.tsBase[fi << 1];
    else if (a0 === w[b + 2] && a1 === w[b + 3]) base = this.tsBase[(fi << 1) + 1];
    else return false;
    if (base !== base) return false;
    const tail = secondsAndMillis(buf, at);
    if (tail < 0) return false;
    this.nums[fi] = base + tail;
    this.codes[fi] = NUMBER_CODE;
    return true;
  }

  private rememberTimestamp(fi: number, buf: Buffer, at: number, v: unknown): void {
    const tail = secondsAndMillis(buf, at);
    if (typeof v !== 'number' || tail < 0) return;
    // The previous minute moves to the second slot (rows out of order around a minute's end alternate between two).
    const w = this.tsWords;
    const b = fi << 2;
    w[b + 2] = w[b];
    w[b + 3] = w[b + 1];
    w[b] = this.dv.getFloat64(at, true);
    w[b + 1] = this.dv.getFloat64(at + 8, true);
    this.tsBase[(fi << 1) + 1] = this.tsBase[fi << 1];
    this.tsBase[fi << 1] = v - tail;
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
    const live = this.live;
    for (let j = 0; j < live.length; j++) this.builders[live[j]].push(row[live[j]]);
    this.rows++;
  }

  /** The columns read since the last finish(). */
  finish(): ColumnBatch {
    const length = this.rows;
    const columns = this.builders.map((b, k) => (this.skip[k] === 0 ? b.finish(length) : nullColumn(length)));
    this.rows = 0;
    for (let k = 0; k < this.n; k++) {
      const d = this.dicts[k];
      if (d !== undefined && d.size > DICTIONARY_LIMIT) {
        // Too many distinct values to be worth a dictionary: plain strings from now on.
        this.dicts[k] = undefined;
        this.builders[k] = new ValueBuilder();
        this.useShape(undefined);
      }
    }
    return { length, columns };
  }

  /**
   * Takes back the arrays of a batch finish() returned once its consumer is done with it and keeps no
   * reference to its vectors (SourceBatch.release): the builders reuse them for a later batch.
   */
  recycle(b: ColumnBatch): void {
    const n = Math.min(this.n, b.columns.length);
    for (let k = 0; k < n; k++) this.builders[k].recycle?.(b.columns[k]);
  }

  /** The row decoder the records outside the fast path go to. */
  get rowDecoder(): JsonRowDecoder {
    return this.decoder;
  }
}

/** Lines in a row the learned shape does not take before it is dropped (and learned again from the next line). */
const SHAPE_MISSES = 8;

/** codes[k] of a value held in nums[k] (a number, not boxed). */
const NUMBER_CODE = -2;

// How a shaped record's value is read (Shape.kinds).
/** A string nothing reads (a skipped field or a key outside the schema): checked, not kept. */
const V_SKIPPED_STRING = 0;
const V_DICTIONARY = 1;
/** A STRING field read as a plain string (its dictionary was given up). */
const V_STRING = 2;
/** A TIMESTAMP of the cached minute (any other: the general scan). */
const V_TIMESTAMP = 3;
const V_NUMBER = 4;
/** A number under a key outside the schema: checked, not kept. */
const V_OTHER_NUMBER = 5;

/**
 * Bytes a record has between two values, with their 8-byte words read as doubles for the compare
 * (printable ASCII as a double is never NaN nor -0, so equal doubles are equal bytes).
 */
interface Sep {
  length: number;
  bytes: Uint8Array;
  words: Float64Array;
  /** The word ending at `length` (when length is not a multiple of 8). */
  last: number;
}

interface Shape {
  /** seps[k] before value k; the last one closes the record. */
  seps: Sep[];
  /** Each value's field (-1: a key outside the schema). */
  fields: Int32Array;
  kinds: Uint8Array;
}

/**
 * Dictionary codes by the 8 bytes that end a short string (two int32 words; see compileShape), in
 * open addressing. Full at WORD_CODES / 2 entries: strings not in it are looked up by their bytes.
 */
class WordCodes {
  private readonly keys = new Int32Array(WORD_CODES * 2);
  private readonly codes = new Int32Array(WORD_CODES).fill(-1);
  private size = 0;

  /** The code of the word (lo, hi), or -1. */
  code(lo: number, hi: number): number {
    let q = Math.imul(lo ^ Math.imul(hi, -1640531535), -2048144789) >>> (32 - WORD_CODES_BITS);
    for (;;) {
      const c = this.codes[q];
      if (c < 0 || (this.keys[q << 1] === lo && this.keys[(q << 1) + 1] === hi)) return c;
      q = (q + 1) & (WORD_CODES - 1);
    }
  }

  add(lo: number, hi: number, code: number): void {
    if (this.size >= WORD_CODES >> 1) return;
    let q = Math.imul(lo ^ Math.imul(hi, -1640531535), -2048144789) >>> (32 - WORD_CODES_BITS);
    while (this.codes[q] >= 0) q = (q + 1) & (WORD_CODES - 1);
    this.keys[q << 1] = lo;
    this.keys[(q << 1) + 1] = hi;
    this.codes[q] = code;
    this.size++;
  }
}

const WORD_CODES_BITS = 10;
const WORD_CODES = 1 << WORD_CODES_BITS;

/** A shape's compiled reader (JsonColumnReader.compileShape). */
type ShapedReader = (buf: Buffer, s: number, e: number, exact: boolean, dv: DataView<ArrayBufferLike>) => number;

/** Per byte inside a plain JSON string: 0 printable ASCII other than '"' and '\\', 1 the closing '"', 2 anything else (the general scan). */
const PLAIN_BYTES = Uint8Array.from({ length: 256 }, (_, b) => (b === 34 ? 1 : b < 32 || b >= 128 || b === 92 ? 2 : 0));

function separator(buf: Buffer, s: number, e: number): Sep {
  const bytes = Uint8Array.from(buf.subarray(s, e));
  const dv = new DataView(bytes.buffer);
  const words = new Float64Array(bytes.length >> 3);
  for (let j = 0; j < words.length; j++) words[j] = dv.getFloat64(j * 8, true);
  return { length: bytes.length, bytes, words, last: bytes.length >= 8 ? dv.getFloat64(bytes.length - 8, true) : 0 };
}

/** Zeros shared by the all-NULL columns (read only). */
let zeroCodes = new Int32Array(1 << 14);
let zeroBits = new Uint8Array(1 << 11);

/** A column of `length` NULLs (a skipped field). */
function nullColumn(length: number): DictionaryVector {
  if (length > zeroCodes.length) {
    zeroCodes = new Int32Array(length);
    zeroBits = new Uint8Array((length + 7) >> 3);
  }
  return { kind: 'dictionary', codes: zeroCodes.subarray(0, length), dictionary: [], valid: zeroBits.subarray(0, (length + 7) >> 3) };
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
