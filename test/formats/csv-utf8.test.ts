// CSV reads bytes as strict UTF-8, as Flink's Jackson CSV reader does: a record that is not UTF-8 is
// an error naming the record (or skipped with 'csv.ignore-parse-errors'), never read as U+FFFD.
import { describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { T, type Field } from '../../src/common/types.js';
import { getFormat } from '../../src/formats/registry.js';
import { fileThen, queryFile, tempDirFixture } from './file-table.js';

const csv = getFormat('csv')!;
const fields: Field[] = [
  { name: 'n', type: T.int() },
  { name: 's', type: T.string() },
];
const where = () => "topic 'events' partition 1 offset 7";
const latin1 = Buffer.concat([Buffer.from('2,caf'), Buffer.from([0xe9]), Buffer.from('\n')]);

describe('csv decoder and bytes that are not UTF-8', () => {
  it('fails naming the record and the first bad byte', () => {
    const d = csv.createDecoder(fields, {});
    expect(() => d.decode(new Uint8Array(latin1), where)).toThrow("Failed to deserialize CSV row at topic 'events' partition 1 offset 7: not valid UTF-8 (byte 0xe9 at offset 5)");
  });

  it("skips the record with 'ignore-parse-errors'", () => {
    const d = csv.createDecoder(fields, { 'ignore-parse-errors': 'true' });
    expect(d.decode(new Uint8Array(latin1), where)).toBeNull();
  });

  it('reads valid multi-byte UTF-8 unchanged', () => {
    const d = csv.createDecoder(fields, {});
    expect(d.decode(new Uint8Array(Buffer.from('3,café ☕ 𝄞\n')), where)).toEqual([3, 'café ☕ 𝄞']);
  });
});

describe('a CSV file with a line that is not UTF-8', () => {
  const tmp = tempDirFixture('tsstream-csv-utf8-');
  const query = (file: string, extra = '') => queryFile(file, 'csv', extra);

  it('fails naming the file and the line', async () => {
    const file = path.join(tmp.dir, 'latin1.csv');
    await fs.writeFile(file, Buffer.concat([Buffer.from('1,ok\n'), latin1]));
    await expect(query(file)).rejects.toThrow(fileThen(file, ':2.*not valid UTF-8'));
  });

  it("skips it with 'csv.ignore-parse-errors', reading the rest", async () => {
    const file = path.join(tmp.dir, 'latin1-skip.csv');
    await fs.writeFile(file, Buffer.concat([Buffer.from('1,ok\n'), latin1, Buffer.from('3,é\n')]));
    expect(await query(file, ", 'csv.ignore-parse-errors' = 'true'")).toEqual([
      [1, 'ok'],
      [3, 'é'],
    ]);
  });
});
