// The filesystem source and sink on s3:// paths, against moto's S3 on 127.0.0.1.
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { T, type Field } from '../../src/common/types.js';
import { filesystemFactory } from '../../src/connectors/filesystem/index.js';
import { fileIOFor } from '../../src/io/fileio.js';
import { context, drain, scan, table } from './helpers.js';
import { hasPeer, peer, skipReason } from '../peers/index.js';
import { type MotoEndpoint } from '../peers/moto.js';
import { freshBucket } from '../peers/s3-util.js';

let opts: Record<string, string>;
let data: string;

const FIELDS: Field[] = [
  { name: 'event_id', type: T.string() },
  { name: 'event_time', type: T.timestamp(3) },
  { name: 'dt', type: T.string() },
];
const line = (id: string, s: number) => `{"event_id":"${id}","event_time":"2025-12-29T10:00:${String(s).padStart(2, '0')}"}`;

describe.skipIf(!hasPeer('moto'))(`filesystem source on s3:// (moto: ${skipReason('moto') ?? 'running'})`, () => {
  beforeAll(async () => {
    const moto = peer<MotoEndpoint>('moto');
    data = await freshBucket(moto, 'data');
    opts = {
      's3.endpoint': moto.s3Endpoint,
      's3.path-style-access': 'true',
      's3.access-key-id': moto.accessKeyId,
      's3.secret-access-key': moto.secretAccessKey,
      's3.region': moto.region,
    };
    const io = await fileIOFor(`s3://${data}/`, opts);
    const enc = new TextEncoder();
    await io.write(`s3://${data}/events/dt=2025-12-29/a.json`, enc.encode([line('e1', 1), line('e2', 2)].join('\n') + '\n'));
    await io.write(`s3://${data}/events/dt=2025-12-29/b.json.gz`, new Uint8Array(gzipSync(line('e3', 3) + '\n')));
    await io.write(`s3://${data}/events/dt=2025-12-30/c.json`, enc.encode(line('e4', 4) + '\n' + 'not json\n'));
    await io.write(`s3://${data}/events/_SUCCESS`, new Uint8Array(0));
  });


  const at = (s: number) => Date.UTC(2025, 11, 29, 10, 0, s) * 1000;

  it('lists recursively in name order, reads partitions and .gz objects, names object:line in errors', async () => {
    const src = filesystemFactory.createSource!(
      table(FIELDS, { connector: 'filesystem', path: `s3://${data}/events`, format: 'json', 'json.timestamp-format.standard': 'ISO-8601', ...opts }, ['dt']),
      scan(),
      { config: new Map() },
    );
    await src.open(context());
    const rows: unknown[][] = [];
    const err = await (async () => {
      for (;;) {
        const b = await src.poll(10);
        if (b === null) return undefined;
        for (const x of b) rows.push(...x.rows);
      }
    })().catch((e: Error) => e);
    expect(rows).toEqual([
      ['e1', at(1), '2025-12-29'],
      ['e2', at(2), '2025-12-29'],
      ['e3', at(3), '2025-12-29'],
    ]);
    expect(String(err)).toContain(`s3://${data}/events/dt=2025-12-30/c.json:2`);
  });

  it('takes the S3 client options from the session and restores positions', async () => {
    const t = () =>
      filesystemFactory.createSource!(
        table(FIELDS.slice(0, 2), { connector: 'filesystem', path: `s3://${data}/events/dt=2025-12-29/a.json`, format: 'json', 'json.timestamp-format.standard': 'ISO-8601' }),
        scan(),
        { config: new Map(Object.entries(opts)) },
      );
    const src = t();
    await src.open(context(), { files: { [`s3://${data}/events/dt=2025-12-29/a.json`]: [line('e1', 1).length + 1, 1] } });
    expect((await drain(src)).rows).toEqual([['e2', at(2)]]);
  });

  it('the sink writes part objects that become visible at commit (idempotent), read back by the source', async () => {
    const fields: Field[] = [
      { name: 'id', type: T.string() },
      { name: 'dt', type: T.string() },
    ];
    const t = table(fields, { connector: 'filesystem', path: `s3://${data}/out`, format: 'json', 'sink.partition-commit.policy.kind': 'success-file', ...opts }, ['dt']);
    const sink = filesystemFactory.createSink!(t, { config: new Map() });
    await sink.open(context());
    await sink.write([
      ['a', 'x'],
      ['b', 'y'],
    ]);
    const c = await sink.prepareCommit(1);
    const io = await fileIOFor(`s3://${data}/`, opts);
    const names = async (folder: string) => (await io.list(folder)).map((e) => e.name).sort();
    expect((await names(`s3://${data}/out/dt=x`)).filter((n) => !n.startsWith('.'))).toEqual([]);
    await sink.commit(1, [c]);
    await sink.commit(1, [c]);
    const xs = await names(`s3://${data}/out/dt=x`);
    expect(xs).toHaveLength(2);
    expect(xs).toContain('_SUCCESS');
    expect(xs.find((n) => n.startsWith('part-'))).toMatch(/^part-[0-9a-f-]+-0-\d+$/);
    await sink.close();
    const src = filesystemFactory.createSource!(table(fields, { connector: 'filesystem', path: `s3://${data}/out`, format: 'json', ...opts }, ['dt']), scan(), {
      config: new Map(),
    });
    await src.open(context());
    expect((await drain(src)).rows).toEqual([
      ['a', 'x'],
      ['b', 'y'],
    ]);
  });

  it('a missing object is an error', async () => {
    const src = filesystemFactory.createSource!(table(FIELDS, { connector: 'filesystem', path: `s3://${data}/nothing-here`, format: 'json', ...opts }), scan(), {
      config: new Map(),
    });
    await expect(src.open(context())).rejects.toThrow(/does not exist/);
  });
});
