// The columnar JSON reader against the row decoder: the same rows (values and their JS types) for
// edge values, and the same errors (a record the fast path does not take goes to the row decoder).
import { describe, expect, it } from 'vitest';
import { T, type Field, type Row } from '../../src/common/types.js';
import { JsonRowDecoder } from '../../src/formats/json.js';
import { JsonColumnReader } from '../../src/runtime/columnar/json.js';
import { toRows } from '../../src/runtime/columnar/batch.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Session, collectQuery } from '../../src/cli/session.js';
import { tempDirFixture } from '../formats/file-table.js';

const where = () => 'events.jsonl:7';
const fields: Field[] = [
  { name: 's', type: T.string() },
  { name: 'b', type: T.bigint() },
  { name: 'd', type: { kind: 'DECIMAL', precision: 38, scale: 2, nullable: true } },
  { name: 'x', type: T.double() },
  { name: 't', type: { kind: 'TIMESTAMP', precision: 3, nullable: true } },
  { name: 'ok', type: T.boolean() },
];

const LINES = [
  '{"s":"a","b":1,"d":1.5,"x":0.25,"t":"2025-12-29T10:00:00.123","ok":true}',
  '{"s":"a","b":-0,"d":-0.005,"x":-0,"t":"2025-12-29T10:00:59.999","ok":false}',
  '{"s":null,"b":null,"d":null,"x":null,"t":null,"ok":null}',
  '{}',
  '{"b":9007199254740993,"d":12345678901234567890123456789012345.67}',
  '{"b":-9223372036854775808,"s":12,"x":1e308}',
  '{"s":"caf\u00e9","t":"2025-12-29T10:01:00.000"}',
  '{"s":"a\\"b","b":"42"}',
  '{"s":"a","s":"b","b":1,"b":null}',
  '{"s":"x","other":{"k":[1,2]},"t":"2025-12-29T10:00:01.5"}',
  '{ "s" : "sp" , "b" : 3 }',
  '{"t":"2025-12-29T10:00:61.000"}',
  '{"t":"2025-02-29T10:00:00.000"}',
  '{"t":"2025-12-29T10:00:00.000Z"}',
  '{"t":"2025-12-29 10:00:00.000"}',
  '{"b":1.5e3,"d":1.25,"x":007}',
];

function rowPath(lines: string[], options: Record<string, string>, f = fields): (Row | string | null)[] {
  const dec = new JsonRowDecoder(f, options);
  return lines.map((l) => {
    try {
      return dec.decode(l, where);
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  });
}

function columnPath(lines: string[], options: Record<string, string>): (Row | string | null)[] {
  const dec = new JsonRowDecoder(fields, options);
  const reader = JsonColumnReader.create(fields, dec)!;
  expect(reader).toBeDefined();
  const out: (Row | string | null)[] = [];
  for (const l of lines) {
    const buf = Buffer.from(l + '\n' + '}}}  ,"t":1', 'utf8'); // bytes after the record must not be read
    const end = Buffer.byteLength(l);
    if (!reader.addLine(buf, 0, end)) {
      let row: Row | null;
      try {
        row = dec.decode(l, where);
      } catch (e) {
        out.push(`error: ${(e as Error).message}`);
        continue;
      }
      if (row === null) {
        out.push(null);
        continue;
      }
      reader.addRow(row);
    }
    out.push(toRows(reader.finish())[0]);
  }
  return out;
}

function typed(rows: (Row | string | null)[]): unknown[] {
  return rows.map((r) => (Array.isArray(r) ? r.map((v) => [typeof v, Object.is(v, -0) ? '-0' : v]) : r));
}

describe('columnar JSON reader', () => {
  for (const options of <Record<string, string>[]>[{ 'timestamp-format.standard': 'ISO-8601' }, {}, { 'ignore-parse-errors': 'true' }, { 'fail-on-missing-field': 'true' }]) {
    it(`reads what the row decoder reads (${JSON.stringify(options)})`, () => {
      for (const line of LINES) expect(typed(columnPath([line], options)), line).toEqual(typed(rowPath([line], options)));
    });
  }

  it('reads a run of records as the row decoder does (cached timestamp minutes, keys that start like a field name)', () => {
    const lines = [
      '{"s":"a","bb":2,"b":3,"t":"2025-12-29T10:00:00.123"}',
      '{"s":"a","b":4,"t":"2025-12-29T10:00:01.456"}',
      '{"s":"a","b":4,"t":"2025-12-29T10:00:61.456"}',
      '{"s":"a","b":4,"t":"2025-12-29T10:00:02.456x"}',
      '{"s":"a","b":4,"t":"2025-12-29T10:00:02.45"}',
      '{"s":"a","b":4,"t":"2025-12-29T10:00:03.000" }',
      '{"s":"a","b":4,"t":"2025-12-29T10:00:03.000"x}',
      '{"s":"a","b":4,"t":"2025-12-29T10:00:04.000","tt":1}',
      '{"ss":"q","s":"b","t":"2025-12-29T10:00:05.000"}',
    ];
    const options = { 'timestamp-format.standard': 'ISO-8601', 'ignore-parse-errors': 'true' };
    const dec = new JsonRowDecoder(fields, options);
    const reader = JsonColumnReader.create(fields, dec)!;
    const got: (Row | null)[] = [];
    for (const l of lines) {
      const buf = Buffer.from(l + '\n"', 'utf8');
      if (!reader.addLine(buf, 0, Buffer.byteLength(l))) {
        const row = dec.decode(l, where);
        if (row === null) {
          got.push(null);
          continue;
        }
        reader.addRow(row);
      }
      got.push(toRows(reader.finish())[0]);
    }
    expect(typed(got)).toEqual(typed(rowPath(lines, options)));
  });

  it('reads a chunk of lines as the file source does (the line end of a shaped record found on the way: \\n, \\r\\n, the end of the chunk)', () => {
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      // Out of order around minute ends (two cached minutes), records that break the shape now and then.
      const t = new Date(Date.UTC(2025, 11, 29, 10, 0, 58) + i * 10 + ((i * 7919) % 3000) - 1500).toISOString().slice(0, 23);
      const base = `{"s":"k${i % 3}","b":${i},"t":"${t}"}`;
      lines.push(i % 37 === 5 ? base + 'x' : i % 41 === 7 ? base + ' ' : i % 43 === 9 ? base.replace('"b"', '"b" ') : i % 47 === 11 ? '{"s":"caf\u00e9","b":1}' : base);
    }
    const options = { 'timestamp-format.standard': 'ISO-8601', 'ignore-parse-errors': 'true' };
    const dec = new JsonRowDecoder(fields, options);
    const reader = JsonColumnReader.create(fields, dec)!;
    // Line ends: \n, or \r\n every fifth line; the last line unterminated; bytes after the chunk's end that must not be read.
    const text = lines.map((l, i) => l + (i === lines.length - 1 ? '' : i % 5 === 0 ? '\r\n' : '\n')).join('');
    const buf = Buffer.from(text + '\n{"s":"zz","b":1,"t":"2025-12-29T10:00:59.999"}', 'utf8');
    const end = Buffer.byteLength(text);
    const got: (Row | null)[] = [];
    let shaped = 0;
    for (let pos = 0; pos < end; ) {
      const at = reader.addShapedLine(buf, pos, end);
      if (at >= 0) {
        shaped++;
        got.push(toRows(reader.finish())[0]);
        pos = at < end ? at + 1 : end;
        continue;
      }
      let nl = buf.indexOf(10, pos);
      if (nl < 0 || nl >= end) nl = end;
      let e = nl;
      if (buf[e - 1] === 13) e--;
      if (!reader.addLine(buf, pos, e)) {
        const row = dec.decode(buf.toString('utf8', pos, e), where);
        if (row !== null) reader.addRow(row);
      }
      got.push(reader.length ? toRows(reader.finish())[0] : null);
      pos = nl + 1;
    }
    expect(shaped).toBeGreaterThan(300);
    expect(typed(got)).toEqual(typed(rowPath(lines, options)));
  });

  it('keeps BIGINT beyond 2^53 and DECIMAL(38) exact', () => {
    const [r] = columnPath(['{"b":9007199254740993,"d":12345678901234567890123456789012345.67}'], {}) as Row[];
    expect(r[1]).toBe(9007199254740993n);
    expect(String(r[2])).toBe(String(rowPath(['{"d":12345678901234567890123456789012345.67}'], {})[0]![2 as never]));
  });

  it('reads many records into one batch, timestamps and dictionary strings included', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const t = new Date(Date.UTC(2025, 11, 29, 10) + i * 397).toISOString().slice(0, 23);
      lines.push(`{"s":"k${i % 7}","b":${i * 1000003},"x":${i / 8},"t":"${t}","ok":${i % 2 === 0}}`);
    }
    const options = { 'timestamp-format.standard': 'ISO-8601' };
    const dec = new JsonRowDecoder(fields, options);
    const reader = JsonColumnReader.create(fields, dec)!;
    const buf = Buffer.from(lines.join('\n') + '\n');
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      expect(reader.addLine(buf, pos, nl)).toBe(true);
      pos = nl + 1;
    }
    const batch = reader.finish();
    expect(batch.length).toBe(5000);
    expect(batch.columns[0].kind).toBe('dictionary');
    expect(toRows(batch)).toEqual(rowPath(lines, options));
    expect(reader.finish().length).toBe(0); // an empty batch
    expect(toRows(reader.finish())).toEqual([]);
  });
});

/** Lines of one shape (learned and read by its separators) with lines between them that break it. */
function shapedLines(): string[] {
  const breakers = [
    (t: string) => `{"s":null,"b":1,"d":1.25,"x":0.5,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"a\\"b","b":1,"d":1.25,"x":0.5,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"caf\u00e9","b":1,"d":1.25,"x":0.5,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":12,"b":1,"d":1.25,"x":0.5,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"k1","b":"42","d":1.25,"x":0.5,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"k1","b":9007199254740993,"d":1.25,"x":0.5,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"k1","b":1.5e3,"d":1.25,"x":007,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"k1","b":1,"d":1.25,"x":0.5,"t":"${t.slice(0, 21)}","u":"zz"}`,
    (t: string) => `{"s":"k1","b":1,"d":1.25,"x":0.5,"t":"${t.slice(0, 17)}61.000","u":"zz"}`,
    (t: string) => `{"s":"k1","b":1,"d":1.25,"x":0.5,"t":"${t.slice(0, 14)}59.000","u":"zz"}`,
    (t: string) => `{"b":1,"s":"k1","d":1.25,"x":0.5,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"k1", "b":1,"d":1.25,"x":0.5,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"k1","x":0.5,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"k1","s":"k2","b":1,"d":1.25,"x":0.5,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"k1","b":1,"d":1.25,"x":0.5,"t":"${t}","u":"z\u0001z"}`,
    (t: string) => `{"s":"k1","b":1,"d":1.25,"x":0.5,"t":"${t}","u":"é"}`,
    (t: string) => `{"s":"k1","b":1,"d":1.25,"x":0.5,"t":"${t}","u":"zz"}x`,
    (t: string) => `{"s":"k1","b":1,"d":1.25,"x":0.5,"t":"${t}","u":"zz","v":01}`,
    (t: string) => `{"s":"k1","b":1,"d":1.25,"x":-,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"k1","b":1,"d":1.25,"x":0.5,"t":"${t}","u":{"n":1}}`,
    (t: string) => `{"s":"k1","b":true,"d":1.25,"x":0.5,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"k1","b":1,"d":1.25,"x":0.5,"t":"${t}"}`,
    (t: string) => `{"s":"k1","b":1,"d":1.25,"x":0.5,"t":"${t}","u":"zz" }`,
    (t: string) => `{"s":"k1","b":1,"d":12345678901234567890.12,"x":1e308,"t":"${t}","u":"zz"}`,
    (t: string) => `{"s":"k1","b":-0,"d":-0.005,"x":-0,"t":"${t}","u":""}`,
  ];
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const t = new Date(Date.UTC(2025, 11, 29, 10) + i * 211 + ((i * 7919) % 3000)).toISOString().slice(0, 23);
    if (i % 9 === 4) lines.push(breakers[(i / 9) % breakers.length | 0](t));
    else if (i % 1000 === 999) lines.push(`{"s":"k${i % 7}","b":${i},"t":"${t}"}`); // a run of another shape
    else lines.push(`{"s":"k${i % 7}","b":${i * 1000003},"d":${(i / 4).toFixed(2)},"x":${i / 8},"t":"${t}","u":"zz${i}"}`);
  }
  return lines;
}

describe('columnar JSON reader, shaped records', () => {
  for (const options of <Record<string, string>[]>[
    { 'timestamp-format.standard': 'ISO-8601', 'ignore-parse-errors': 'true' },
    { 'timestamp-format.standard': 'ISO-8601', 'fail-on-missing-field': 'true' },
    { 'ignore-parse-errors': 'true' },
  ]) {
    for (const skip of [false, true]) {
      it(`reads lines of one shape and the lines breaking it as the row decoder (${JSON.stringify(options)}${skip ? ', s skipped' : ''})`, () => {
        const lines = shapedLines();
        const shapeFields = fields.filter((f) => f.name !== 'ok');
        const dec = new JsonRowDecoder(shapeFields, options);
        const reader = JsonColumnReader.create(shapeFields, dec)!;
        if (skip) reader.skipStrings(new Set([0]));
        const buf = Buffer.from(lines.join('\r\n') + '\r\n');
        let pos = 0;
        const want = rowPath(lines, options, shapeFields);
        let shaped = 0;
        for (const [i, l] of lines.entries()) {
          const e = pos + Buffer.byteLength(l);
          if (reader.addLine(buf, pos, e)) {
            shaped++;
            expect(Array.isArray(want[i]), l).toBe(true); // the fast path takes only what the row decoder reads
          } else {
            try {
              const row = dec.decode(l, where);
              if (row !== null) reader.addRow(row);
            } catch {
              // an error the row path gives too (want[i])
            }
          }
          pos = e + 2;
        }
        const got = toRows(reader.finish());
        const expected = (want.filter((r) => Array.isArray(r)) as Row[]).map((r) => (skip ? [null, ...r.slice(1)] : r));
        expect(want.some((r) => typeof r === 'string' || r === null)).toBe(true);
        expect(typed(got)).toEqual(typed(expected));
        expect(shaped).toBeGreaterThan(3000);
      });
    }
  }
});

describe('columnar JSON reader, compiled shapes', () => {
  it('reads runs of shapes with a key given twice, fields missing, keys outside the schema and a dictionary given up as the row decoder', () => {
    const shapes = [
      (i: number, t: string) => `{"s":"${i % 3}","s":${i},"b":${i},"t":"${t}"}`, // the last s (a number) wins
      (i: number, t: string) => `{"s":${i},"s":"k${i % 3}","x":${i / 4},"t":"${t}"}`, // the last s (a string) wins
      (i: number, t: string) => `{"b":${i + 1},"b":${i},"t":"${t}","t":"${t}"}`,
      (i: number) => `{"other":${i},"s":"a-longer-key-${i % 3}","more":"m${i}","d":${i}.25}`,
      (i: number, t: string) => `{ "t" : "${t}" , "s" : "${'k'.repeat(1 + (i % 8))}" }`, // strings of 1 to 8 bytes, known by their last 8
      (i: number) => `{"s":"v${i}","b":${i}}`, // past the dictionary limit: plain strings from the next batch on
    ];
    const lines: string[] = [];
    for (let i = 0; i < 80_000; i++) {
      const t = new Date(Date.UTC(2025, 11, 29, 10) + i * 7).toISOString().slice(0, 23);
      const k = i < 10_000 ? Math.floor(i / 200) % 5 : 5;
      lines.push(shapes[k](i, t));
    }
    const options = { 'timestamp-format.standard': 'ISO-8601' };
    const shapeFields = fields.filter((f) => f.name !== 'ok');
    const dec = new JsonRowDecoder(shapeFields, options);
    const reader = JsonColumnReader.create(shapeFields, dec)!;
    const got: Row[] = [];
    // As the file source: chunks of lines, shaped runs read on the way, other lines one by one.
    for (let from = 0; from < lines.length; from += 5_000) {
      const buf = Buffer.from(lines.slice(from, from + 5_000).join('\n') + '\n');
      let pos = 0;
      let shaped = 0;
      while (pos < buf.length) {
        const rows0 = reader.length;
        const at = reader.addShapedLines(buf, pos, buf.length, buf.length);
        if (at !== pos) {
          shaped += reader.length - rows0;
          pos = at;
          continue;
        }
        const nl = buf.indexOf(10, pos);
        if (!reader.addLine(buf, pos, nl)) reader.addRow(dec.decode(buf.toString('utf8', pos, nl), where)!);
        pos = nl + 1;
      }
      expect(shaped).toBeGreaterThan(4_000);
      got.push(...toRows(reader.finish()));
    }
    expect(typed(got)).toEqual(typed(rowPath(lines, options, shapeFields)));
  });
});

describe('columnar JSON files end to end', () => {
  const box = tempDirFixture('tsstream-columnar-');

  /** A batch query over `t` (the file in JSON) with the columnar reader on or off. */
  async function query(columnar: boolean, file: string, ddl: string, sql: string): Promise<unknown[][]> {
    const session = new Session({ log: () => {} });
    try {
      const res = await session.executeAll(`
        SET 'execution.runtime-mode' = 'batch';
        SET 'table.exec.columnar.enabled' = '${columnar}';
        CREATE TABLE t (${ddl}) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json',
          'json.timestamp-format.standard' = 'ISO-8601', 'json.ignore-parse-errors' = 'true');
        ${sql};`);
      const r = res[res.length - 1];
      if (r.kind !== 'query') throw new Error('expected a query');
      return await collectQuery(r);
    } finally {
      await session.close();
    }
  }

  const typedRows = (rows: unknown[][]) => rows.map((r) => r.map((v) => [typeof v, String(v)]));

  it('gives the row path results (exact BIGINT and DECIMAL, TUMBLE sums, records outside the fast path, bad lines)', async () => {
    const file = path.join(box.dir, 'events.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = new Date(Date.UTC(2025, 11, 29, 10) + i * 97 + ((i * 7919) % 3000)).toISOString().slice(0, 23);
      const b = i % 500 === 0 ? '9223372036854775807' : String(i * 1000003);
      const d = i % 7 === 0 ? '12345678901234567890123456789012345.67' : (i / 4).toFixed(2);
      lines.push(`{"k":"u${i % 13}","b":${b},"d":${d},"t":"${t}"}`);
      if (i % 997 === 0) lines.push('{"k":"caf\u00e9","b":"9007199254740993","d":"0.10","t":"2025-12-29T10:00:00.000"}', '{"k":"a\\"b","b":null}', 'not json');
    }
    await fs.writeFile(file, lines.join('\n') + '\n');
    const ddl = "k STRING, b BIGINT, d DECIMAL(38, 2), t TIMESTAMP(3), WATERMARK FOR t AS t - INTERVAL '5' SECOND";
    const col = await query(true, file, ddl, 'SELECT * FROM t');
    const row = await query(false, file, ddl, 'SELECT * FROM t');
    expect(col.length).toBe(3000 + 2 * 4);
    expect(typedRows(col)).toEqual(typedRows(row));
    expect(col.some((r) => r[1] === 9223372036854775807n)).toBe(true);
    expect(col.some((r) => r[1] === 9007199254740993n)).toBe(true);
    expect(col.some((r) => r[2] === 1234567890123456789012345678901234567n)).toBe(true); // DECIMAL(38, 2): the unscaled integer
    const tumble = "SELECT window_start, k, COUNT(*), SUM(b), SUM(d) FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(t), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, k";
    const aCol = typedRows(await query(true, file, ddl, tumble)).map((r) => JSON.stringify(r)).sort();
    const aRow = typedRows(await query(false, file, ddl, tumble)).map((r) => JSON.stringify(r)).sort();
    expect(aCol.length).toBeGreaterThan(13);
    expect(aCol).toEqual(aRow);
  });
});

describe('the columnar JSON reader reusing a released batch\'s arrays', () => {
  it('reads the same batches as without reuse (NULLs in reused arrays, batch lengths up and down)', () => {
    const options = { 'timestamp-format.standard': 'ISO-8601' };
    // Batches of 1500, 40, 3000, 700 and 2000 lines; every 3rd line lacks b and t (NULLs in reused arrays).
    const sizes = [1500, 40, 3000, 700, 2000];
    const batchesOf = (recycle: boolean): Row[][] => {
      const dec = new JsonRowDecoder(fields, options);
      const reader = JsonColumnReader.create(fields, dec)!;
      const out: Row[][] = [];
      let i = 0;
      for (const size of sizes) {
        for (let j = 0; j < size; j++, i++) {
          const l = i % 3 === 0 ? `{"s":"k${i % 5}","x":${i}.5}` : `{"s":"k${i % 5}","b":${i},"x":${i}.5,"t":"2025-12-29T10:00:${String(i % 60).padStart(2, '0')}.123"}`;
          expect(reader.addLine(Buffer.from(l + '\n'), 0, l.length)).toBe(true);
        }
        const b = reader.finish();
        // The rows and the raw arrays (a NULL's slot as in fresh, zeroed arrays).
        const raw = b.columns.map((v) => (v.kind === 'number' ? [...v.values, ...v.valid] : v.kind === 'dictionary' ? [...v.codes, ...v.valid] : v.values));
        out.push([...toRows(b), ...raw]);
        buffers.push(b.columns.map((v) => (v.kind === 'number' ? v.values.buffer : v.kind === 'dictionary' ? v.codes.buffer : undefined)));
        if (recycle) reader.recycle(b);
      }
      return out;
    };
    let buffers: unknown[][] = [];
    const plain = batchesOf(false);
    expect(plain.map((b) => b.length - fields.length)).toEqual(sizes);
    const fresh = new Set(buffers.flat().filter((x) => x !== undefined));
    buffers = [];
    expect(batchesOf(true)).toEqual(plain);
    // Without reuse each batch's 4 arrays are new; with it the 5th batch fills the 3rd's (1 batch in between).
    expect(fresh.size).toBe(sizes.length * 4);
    expect(buffers[4].every((x, k) => x === buffers[2][k])).toBe(true);
    expect(new Set(buffers.flat().filter((x) => x !== undefined)).size).toBe(4 * 4);
  });
});
