import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Session, collectQuery } from '../../src/cli/session.js';
import { nexmarkFactory } from '../../src/connectors/nexmark/index.js';
import { NexmarkGenerator, DEFAULT_NEXMARK, eventJson } from '../../src/connectors/nexmark/generator.js';
import { nexmarkGen } from '../../src/cli/commands/nexmark.js';
import { T, type Field, type LogicalType } from '../../src/common/types.js';
import { context, drain, scan, table } from './helpers.js';

const f = (name: string, type: LogicalType): Field => ({ name, type });
const row = (...fields: Field[]): LogicalType => ({ kind: 'ROW', fields, nullable: true });
const bidType = row(f('auction', T.bigint()), f('bidder', T.bigint()), f('price', T.bigint()), f('channel', T.string()), f('url', T.string()), f('dateTime', T.timestamp(3)), f('extra', T.string()));
const personType = row(f('id', T.bigint()), f('name', T.string()), f('state', T.string()), f('dateTime', T.timestamp(3)));
const auctionType = row(f('id', T.bigint()), f('seller', T.bigint()), f('category', T.bigint()), f('dateTime', T.timestamp(3)), f('expires', T.timestamp(3)));
const columns = [f('event_type', T.int()), f('person', personType), f('auction', auctionType), f('bid', bidType)];

function source(options: Record<string, string>, cols = columns) {
  return nexmarkFactory.createSource!(table(cols, { connector: 'nexmark', ...options }), scan(), { config: new Map() });
}

const ddl = (events: number) =>
  readFileSync(new URL('../../bench/nexmark/ddl_gen.sql', import.meta.url), 'utf8').replaceAll('${TPS}', '1000').replace('${EVENTS_NUM}', String(events)) +
  ';\n' +
  readFileSync(new URL('../../bench/nexmark/ddl_views.sql', import.meta.url), 'utf8').replaceAll('${NEXMARK_TABLE}', 'datagen') +
  ';\n';

describe('nexmark source', () => {
  it("persons, auctions and bids in the suite's 1:3:46 proportions, ids and times as its generator defines them", async () => {
    const src = source({ 'events.num': '5000', 'first-event.rate': '1000', 'base-time': '2025-06-01 00:00:00' });
    expect(src.bounded).toBe(true);
    await src.open(context());
    const { rows } = await drain(src);
    expect(rows).toHaveLength(5000);
    const types = rows.map((r) => r[0]);
    expect(types.filter((t) => t === 0)).toHaveLength(100);
    expect(types.filter((t) => t === 1)).toHaveLength(300);
    expect(types.filter((t) => t === 2)).toHaveLength(4600);
    expect(types.slice(0, 5)).toEqual([0, 1, 1, 1, 2]);
    const base = Date.UTC(2025, 5, 1) * 1000;
    rows.forEach((r, n) => {
      const ts = (r[r[0] === 0 ? 1 : r[0] === 1 ? 2 : 3] as unknown[])[r[0] === 2 ? 5 : 3];
      expect(ts).toBe(base + n * 1000); // 1000 events/s: event n at n ms (values in µs)
      // exactly one of person/auction/bid is set
      expect([r[1], r[2], r[3]].filter((x) => x !== null)).toHaveLength(1);
    });
    const persons = rows.filter((r) => r[0] === 0).map((r) => r[1] as unknown[]);
    expect(persons.map((p) => p[0])).toEqual(Array.from({ length: 100 }, (_, i) => 1000 + i));
    for (const p of persons) expect(['AZ', 'CA', 'ID', 'OR', 'WA', 'WY']).toContain(p[2]);
    const auctions = rows.filter((r) => r[0] === 1).map((r) => r[2] as unknown[]);
    expect(auctions.map((a) => a[0])).toEqual(Array.from({ length: 300 }, (_, i) => 1000 + i));
    for (const a of auctions) {
      expect(a[2]).toBeGreaterThanOrEqual(10);
      expect(a[2]).toBeLessThanOrEqual(14);
      expect(a[4] as number).toBeGreaterThan(a[3] as number);
    }
    const bids = rows.filter((r) => r[0] === 2).map((r) => r[3] as unknown[]);
    const maxAuction = Math.max(...(auctions.map((a) => a[0]) as number[]));
    for (const b of bids) {
      expect(b[0] as number).toBeGreaterThanOrEqual(1000);
      expect(b[0] as number).toBeLessThanOrEqual(maxAuction + 10); // the suite's AUCTION_ID_LEAD
      expect(b[2] as number).toBeGreaterThanOrEqual(100); // 10^(6u) × 100
      expect(b[2] as number).toBeLessThanOrEqual(100_000_000);
      expect(b[4]).toMatch(/^https:\/\/www\.nexmark\.com\/[a-z_]+\/[a-z_]+\/[a-z_]+\/item\.htm\?query=1(&channel_id=\d+)?$/);
    }
    // Hot auctions: about half the bids go to the first auction of the last hundred.
    const hot = bids.filter((b) => (b[0] as number) % 100 === 0).length;
    expect(hot / bids.length).toBeGreaterThan(0.4);
    const channels = new Set(bids.map((b) => b[3]));
    for (const c of ['Google', 'Facebook', 'Baidu', 'Apple']) expect(channels).toContain(c);
    expect(await src.poll(10)).toBeNull();
  });

  it('is deterministic, resumes from its state, and the seed changes the stream', async () => {
    const a = source({ 'events.num': '300' });
    await a.open(context());
    const all = (await drain(a)).rows;
    const b = source({ 'events.num': '300' });
    await b.open(context());
    expect((await drain(b)).rows).toEqual(all);
    const c = source({ 'events.num': '300' });
    await c.open(context(), { emitted: 120 });
    expect((await drain(c)).rows).toEqual(all.slice(120));
    const d = source({ 'events.num': '300', seed: '5' });
    await d.open(context());
    expect((await drain(d)).rows).not.toEqual(all);
  });

  it('names what is wrong in a table definition', () => {
    expect(() => source({ 'events.num': '10' }, [f('event_type', T.int()), f('bidz', bidType)])).toThrow(/column 'bidz'.*Did you mean 'bid'/i);
    expect(() => source({}, [f('bid', row(f('prize', T.bigint())))])).toThrow(/Field 'prize' of column 'bid'.*price/);
    expect(() => source({ 'first-event.rate': '0' })).toThrow(/first-event.rate.*positive/);
    expect(() => source({ 'event.num': '10' })).toThrow(/event\.num/);
  });

  it("the suite's datagen table and person/auction/bid views plan and run", async () => {
    const session = new Session({ log: () => {} });
    try {
      const res = await session.executeAll(
        ddl(500) +
          `SELECT count(*), min(price), max(auction) FROM bid;
           SELECT id, name, state FROM person WHERE id < 1002;
           SELECT count(*) FROM auction WHERE category BETWEEN 10 AND 14;`,
      );
      const q = res.filter((r) => r.kind === 'query');
      const last = (rows: unknown[][]) => rows[rows.length - 1];
      const [bids, persons, auctions] = await Promise.all(q.map((r) => collectQuery(r as Extract<typeof r, { kind: 'query' }>)));
      expect(last(bids)[0]).toBe(460);
      const gen = new NexmarkGenerator({ ...DEFAULT_NEXMARK, firstEventRate: 1000 });
      const p0 = gen.event(0);
      const p1 = gen.event(50);
      expect(persons.map((r) => r.slice(0, 3))).toEqual([
        [1000, p0.type === 0 && p0.person.name, p0.type === 0 && p0.person.state],
        [1001, p1.type === 0 && p1.person.name, p1.type === 0 && p1.person.state],
      ]);
      expect(last(auctions)[0]).toBe(30);
    } finally {
      await session.close();
    }
  });

  it('`nexmark gen` writes the same events as JSON in the shape of the table', async () => {
    const chunks: string[] = [];
    const out = { write: (s: string) => (chunks.push(s), true), once: () => undefined } as unknown as NodeJS.WritableStream;
    expect(await nexmarkGen({ events: 60 }, out)).toBe(60);
    const lines = chunks.join('').trim().split('\n');
    expect(lines).toHaveLength(60);
    const gen = new NexmarkGenerator(DEFAULT_NEXMARK);
    expect(lines[7]).toBe(eventJson(gen.event(7)));
    const e = JSON.parse(lines[4]);
    expect(e.event_type).toBe(2);
    expect(e.person).toBeNull();
    expect(Object.keys(e.bid)).toEqual(['auction', 'bidder', 'price', 'channel', 'url', 'dateTime', 'extra']);
    expect(e.bid.dateTime).toMatch(/^2025-01-01 00:00:00\.000$/);
    expect(JSON.parse(lines[50]).person.dateTime).toBe('2025-01-01 00:00:00.005'); // 10 000 events/s
  });
});
