import { describe, expect, it } from 'vitest';
import { T, type Field, type LogicalType } from '../../src/common/types.js';
import { blackholeFactory, BlackholeSink } from '../../src/connectors/blackhole/index.js';
import { createPrintFactory, printFactory } from '../../src/connectors/print/index.js';
import { context, table } from './helpers.js';

const f = (name: string, type: LogicalType): Field => ({ name, type });
const ts = Date.UTC(2025, 11, 29, 10, 0, 0) * 1000;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const factory = createPrintFactory({ stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } });
  return { out, err, factory };
}

describe('print sink', () => {
  it("prints S2's result rows as Flink does", async () => {
    const { out, factory } = capture();
    const fields = [f('window_start', T.timestamp(3)), f('window_end', T.timestamp(3)), f('event_type', T.string()), f('event_count', T.bigint())];
    const sink = factory.createSink!(table(fields, { connector: 'print' }), { config: new Map() });
    expect(sink.transactional).toBe(false);
    await sink.open(context());
    await sink.write([
      [ts, ts + 60e6, 'click', 3],
      [ts, ts + 60e6, 'purchase', 1],
    ]);
    expect(out.join('')).toBe('+I[2025-12-29T10:00, 2025-12-29T10:01, click, 3]\n+I[2025-12-29T10:00, 2025-12-29T10:01, purchase, 1]\n');
    expect(await sink.prepareCommit(1)).toBeNull();
    await sink.close();
  });

  it('print-identifier prefixes lines; standard-error prints to stderr', async () => {
    const { out, err, factory } = capture();
    const fields = [f('a', T.string())];
    const s1 = factory.createSink!(table(fields, { connector: 'print', 'print-identifier': 'dbg' }), { config: new Map() });
    await s1.open(context());
    await s1.write([['x'], [null]]);
    expect(out.join('')).toBe('dbg> +I[x]\ndbg> +I[null]\n');
    const s2 = factory.createSink!(table(fields, { connector: 'print', 'standard-error': 'true' }), { config: new Map() });
    await s2.open(context());
    await s2.write([['y']]);
    expect(err.join('')).toBe('+I[y]\n');
  });

  it('values of every type print as their Java objects do', async () => {
    const { out, factory } = capture();
    const fields: Field[] = [
      f('b', T.boolean()),
      f('d', T.double()),
      f('fl', { kind: 'FLOAT', nullable: true }),
      f('dec', { kind: 'DECIMAL', precision: 10, scale: 2, nullable: true }),
      f('ts', T.timestamp(6)),
      f('lt', T.timestampLtz(3)),
      f('dt', T.date()),
      f('tm', { kind: 'TIME', precision: 0, nullable: true }),
      f('bin', T.bytes()),
      f('arr', { kind: 'ARRAY', element: T.string(), nullable: true }),
      f('m', { kind: 'MAP', key: T.string(), value: T.int(), nullable: true }),
      f('r', { kind: 'ROW', nullable: true, fields: [f('x', T.int()), f('y', T.string())] }),
    ];
    const sink = factory.createSink!(table(fields, { connector: 'print' }), { config: new Map() });
    await sink.open(context());
    await sink.write([
      [true, 2, 0.1, 350, ts + 10_500_000, ts, 20451, 3600e6 + 5e6, new Uint8Array([1, 255]), ['a', null], new Map([['k', 1]]), [1, 'z']],
    ]);
    expect(out.join('')).toBe(
      '+I[true, 2.0, 0.1, 3.50, 2025-12-29T10:00:10.500, 2025-12-29T10:00:00Z, 2025-12-29, 01:00:05, [1, -1], [a, null], {k=1}, +I[1, z]]\n',
    );
  });

  it('rejects unknown options', () => {
    expect(() => printFactory.createSink!(table([f('a', T.string())], { connector: 'print', 'print-identifer': 'x' }), { config: new Map() })).toThrow(
      /did you mean 'print-identifier'/,
    );
  });
});

describe('blackhole sink', () => {
  it('discards rows and counts them', async () => {
    const sink = blackholeFactory.createSink!(table([f('a', T.string())], { connector: 'blackhole' }), { config: new Map() }) as BlackholeSink;
    const ctx = context();
    await sink.open(ctx);
    await sink.write([['x'], ['y']]);
    expect(sink.rows).toBe(2);
    expect(ctx.metrics.get('blackhole-rows')).toBe(2);
    expect(await sink.prepareCommit(1)).toBeNull();
    expect(() => blackholeFactory.createSink!(table([f('a', T.string())], { connector: 'blackhole', x: '1' }), { config: new Map() })).toThrow(/Unsupported option 'x'/);
  });
});
