// One JSON grammar (RFC 8259) whatever the table's columns: a flat schema (read by the fast text
// scanner) and a schema with an ARRAY column (read by the full parser) accept and refuse the same
// records; bytes that are not UTF-8 are an error naming the record, never U+FFFD.
import { describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { T, type Field } from '../../src/common/types.js';
import { getFormat } from '../../src/formats/registry.js';
import { fileThen, queryFile, tempDirFixture } from './file-table.js';

const json = getFormat('json')!;
const where = () => "topic 'events' partition 2 offset 41";
const flat: Field[] = [
  { name: 'n', type: T.int() },
  { name: 's', type: T.string() },
  { name: 'd', type: T.double() },
  { name: 't', type: T.timestamp(3) },
];
const withArray: Field[] = [...flat, { name: 'tags', type: { kind: 'ARRAY', element: T.string(), nullable: true } }];
const schemas: [string, Field[]][] = [
  ['a flat schema', flat],
  ['a schema with an ARRAY column', withArray],
];

const INVALID: [string, string][] = [
  ['a leading zero', '{"n": 007, "s": "a"}'],
  ['a negative leading zero', '{"n": -01, "s": "a"}'],
  ['a fraction without digits', '{"n": 1, "s": "a", "d": 1.}'],
  ['a fraction without digits before an exponent', '{"n": 1, "s": "a", "d": 1.e5}'],
  ['an exponent without digits', '{"n": 1, "s": "a", "d": 1e}'],
  ['a lone minus', '{"n": -, "s": "a"}'],
  ['a raw tab inside a string', '{"n": 1, "s": "a\tb"}'],
  ['a raw control character inside a string', '{"n": 1, "s": "a\u0001b"}'],
  ['a raw newline inside a string', '{"n": 1, "s": "a\nb"}'],
  ['a raw control character inside a key', '{"n\u0002": 1, "s": "a"}'],
  ['a raw control character inside a key not in the schema', '{"n": 1, "x\u0002": 1}'],
  ['a raw control character inside a value of a key not in the schema', '{"n": 1, "x": "a\u0003"}'],
  ['a raw control character inside a timestamp', '{"n": 1, "t": "2025-12-29 10:00:00\u0001"}'],
  ['a raw tab inside a timestamp', '{"n": 1, "t": "2025-12-29\t10:00:00"}'],
];

const VALID: [string, string, unknown[]][] = [
  ['minus zero, fractions and exponents', '{"n": -0, "s": "a", "d": -1.5e-3}', [0, 'a', -0.0015]],
  ['an exponent with a sign and a capital E', '{"n": 10, "s": "a", "d": 1E+2}', [10, 'a', 100]],
  ['escaped control characters', '{"n": 1, "s": "a\\tb\\u0001"}', [1, 'a\tb\u0001', null]],
];

describe('strict JSON', () => {
  for (const [schemaName, fields] of schemas) {
    describe(schemaName, () => {
      for (const [what, text] of INVALID) {
        it(`refuses ${what}, naming the record`, () => {
          const d = json.createDecoder(fields, {});
          expect(() => d.decode(text, where)).toThrow(/Failed to deserialize JSON .* at topic 'events' partition 2 offset 41/s);
          expect(json.createDecoder(fields, { 'ignore-parse-errors': 'true' }).decode(text, where)).toBeNull();
        });
      }
      for (const [what, text, row] of VALID) {
        it(`accepts ${what}`, () => {
          const got = json.createDecoder(fields, {}).decode(text, where)!;
          expect(got.slice(0, 3).map((v) => (typeof v === 'bigint' ? Number(v) : v))).toEqual(row);
        });
      }
      it('refuses bytes that are not UTF-8, naming the record and the byte', () => {
        const bytes = new Uint8Array([...new TextEncoder().encode('{"n": 1, "s": "caf'), 0xe9, ...new TextEncoder().encode('"}')]);
        const d = json.createDecoder(fields, {});
        expect(() => d.decode(bytes, where)).toThrow(/Failed to deserialize JSON at topic 'events' partition 2 offset 41: not valid UTF-8 \(byte 0xe9 at offset 18\)/);
        expect(json.createDecoder(fields, { 'ignore-parse-errors': 'true' }).decode(bytes, where)).toBeNull();
      });
    });
  }
});

describe('a JSON file with a line that is not UTF-8', () => {
  const tmp = tempDirFixture('tsstream-utf8-');
  const query = (file: string, extra = '') => queryFile(file, 'json', extra);

  it('fails naming the file and the line, instead of reading U+FFFD', async () => {
    const file = path.join(tmp.dir, 'latin1.jsonl');
    await fs.writeFile(file, Buffer.concat([Buffer.from('{"n": 1, "s": "ok"}\n{"n": 2, "s": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    await expect(query(file)).rejects.toThrow(fileThen(file, ':2.*not valid UTF-8'));
  });

  it("skips it with 'json.ignore-parse-errors', reading the rest", async () => {
    const file = path.join(tmp.dir, 'latin1-skip.jsonl');
    await fs.writeFile(file, Buffer.concat([Buffer.from('{"n": 1, "s": "ok"}\n{"n": 2, "s": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"n": 3, "s": "é"}\n')]));
    expect(await query(file, ", 'json.ignore-parse-errors' = 'true'")).toEqual([
      [1, 'ok'],
      [3, 'é'],
    ]);
  });
});
